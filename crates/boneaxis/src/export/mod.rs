//! Export of the model: the equations of one arm traced from the physiology itself (see
//! [`crate::symbolic`]) and written as SBML Level 3 Version 2 for other simulators.

pub mod import;
pub mod mathml;
pub mod python;
pub mod sbml;
pub mod trace;

pub use trace::{trace_arm, ArmTrace};
