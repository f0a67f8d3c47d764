//! # boneaxis
//!
//! A mechanistic simulator of the brain–gut–bone axis: what chronic stress, depression,
//! antidepressants and β-blockers do to the skeleton, from receptor occupancy to bone mass.
//!
//! | module | what it holds |
//! |---|---|
//! | [`physiology`] | the model, one module per subsystem, coupled through named [`physiology::Signals`] |
//! | [`model`] | the assembled model: state layout, right-hand side, readouts |
//! | [`engine`] | the mathematics: stiff integration (diffsol BDF) and steady states |
//! | [`protocol`] | what is done to an arm and when; exact PK of its doses |
//! | [`scenario`] | the scenario file format and its validation |
//! | [`simulate`] | baselines, arms, results |
//! | [`params`] | the parameter catalog with units, sources and kinds |
//! | [`units`] | canonical units and conversions at the edges |
//! | [`output`] | tables, CSV and JSON writers |
//! | [`validation`] | published experiments as cases, scores and the report |
//! | [`population`] | virtual populations and in-silico studies (effect sizes, rates) |
//! | [`sensitivity`] | Morris screening and Sobol indices of any readout to any parameters |
//! | [`clinical`] | T-scores, falls, fracture probabilities and the one-person what-if |
//!
//! Choose a workflow:
//!
//! | you want to | use |
//! |---|---|
//! | run a scenario file | [`scenario::load`] then [`simulate::run_study`] |
//! | list parameters with provenance | [`params::Catalog::embedded`] |
//! | drive the model yourself | [`model::Model::new`], [`protocol::ArmInputs`], [`engine::stiff::Diffsol`] |

pub mod clinical;
pub mod engine;
pub mod error;
pub mod export;
pub mod model;
pub mod numerics;
pub mod output;
pub mod params;
pub mod physiology;
pub mod population;
pub mod protocol;
pub mod scenario;
pub mod sensitivity;
pub mod simulate;
pub mod species;
pub mod symbolic;
pub mod units;
pub mod validation;

pub use error::{Error, Result};
