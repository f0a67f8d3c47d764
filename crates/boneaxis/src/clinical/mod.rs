//! The clinical layer: what the simulated skeleton means for one person.
//!
//! * [`equations`] — published equations, one per file, each versioned with golden vectors;
//! * [`falls`] — the fall-risk model (age, sex, depression, antidepressants, β-blockers);
//! * [`fracture`] — the fracture hazard: BMD through Johnell's gradient, falls, other factors;
//! * [`patient`] — one person's what-if: BMD trajectory, T-scores, 1-, 5- and 10-year
//!   fracture probabilities with competing mortality, with and without a drug, and the split
//!   of the drug's effect into the part that comes through bone and the part through falls.
//!
//! A research model, not a clinical device. See `docs/clinical.md`.

pub mod equations;
pub mod falls;
pub mod fracture;
pub mod params;
pub mod patient;
