//! The model: one module per subsystem, coupled only through the named fields of [`Signals`].
//!
//! Each subsystem has a parameter struct read from the catalog, a function that computes its
//! algebraic signals from the state and the signals of the subsystems upstream of it, and (for
//! subsystems with dynamics) a function that writes its own slice of the state derivative.
//! None of them sees the solver; see `docs/model.md` for the equations.

pub mod age;
pub mod bone;
pub mod genetics;
pub mod hpa;
pub mod map;
pub mod mood;
pub mod pathways;
pub mod pharmacology;
pub mod serotonin;
pub mod signals;
pub mod sympathetic;

pub use genetics::{Gene, Genotype, Knockout};
pub use pharmacology::{Drug, Moiety, Route, N_MOIETIES};
pub use signals::Signals;

use crate::symbolic::{Lhs, Real};

/// Everything outside the body at one instant: schedules, doses (as plasma levels), diet,
/// habits and surgery. Built by the protocol of an arm; read by the subsystems.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exposure<R = f64> {
    /// Age of the individual, days.
    pub age_days: R,
    /// Stressor intensity (chronic mild stress) or depressive-episode severity, 0–1.
    pub stress: R,
    /// Total plasma concentration of each drug moiety, nM.
    pub plasma: [R; N_MOIETIES],
    /// Serotonin entering plasma from injections, nmol/day.
    pub exogenous_serotonin_flux: R,
    /// Dietary tryptophan relative to a normal diet (1 = normal).
    pub tryptophan: R,
    /// Dietary calcium relative to an adequate intake (1 = adequate).
    pub calcium: R,
    /// Vitamin D status relative to sufficiency (1 = sufficient).
    pub vitamin_d: R,
    pub cigarettes_per_day: R,
    pub alcohol_units_per_day: R,
    /// Extra inflammatory cytokine level imposed by an intervention (0 = none).
    pub inflammation: R,
    /// Days since ovariectomy, if it has happened.
    pub days_since_ovariectomy: Option<R>,
}

impl<R: Real> Exposure<R> {
    /// No stressor, drug, special diet, habit or surgery, at an age given as a model number.
    pub fn neutral_at(age_days: R) -> Exposure<R> {
        let c = R::constant;
        Exposure {
            age_days,
            stress: c(0.0),
            plasma: [c(0.0); N_MOIETIES],
            exogenous_serotonin_flux: c(0.0),
            tryptophan: c(1.0),
            calcium: c(1.0),
            vitamin_d: c(1.0),
            cigarettes_per_day: c(0.0),
            alcohol_units_per_day: c(0.0),
            inflammation: c(0.0),
            days_since_ovariectomy: None,
        }
    }
}

impl Exposure<f64> {
    /// No stressor, drug, special diet, habit or surgery.
    pub fn neutral(age_days: f64) -> Exposure {
        Exposure {
            age_days,
            stress: 0.0,
            plasma: [0.0; N_MOIETIES],
            exogenous_serotonin_flux: 0.0,
            tryptophan: 1.0,
            calcium: 1.0,
            vitamin_d: 1.0,
            cigarettes_per_day: 0.0,
            alcohol_units_per_day: 0.0,
            inflammation: 0.0,
            days_since_ovariectomy: None,
        }
    }
}

/// `exp(gain · (x − x0))`: the multiplicative effect of a receptor signal on a rate.
///
/// It is 1 at the reference level `x0`, positive for any input, and symmetric in log space, so a
/// knockout (x = 0) and an agonist push the rate in opposite directions by related amounts.
#[inline]
pub fn log_linear_effect<R: Real>(gain: R, x: R, x0: R) -> R {
    (gain * (x - x0)).exp()
}

/// Fractional occupancy of a receptor by an agonist at `ratio = [A]/K_A` competing with
/// antagonists at `antagonist_ratio = Σ [I]/K_I`.
#[inline]
pub fn occupancy<R: Real>(ratio: R, antagonist_ratio: R) -> R
where
    f64: Lhs<R>,
{
    ratio / (1.0 + ratio + antagonist_ratio)
}
