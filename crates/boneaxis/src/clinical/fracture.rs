//! Fracture hazard of one person, per outcome (hip; major osteoporotic).
//!
//! `h = h₀(age)·GR(age)^(−Z)·[(1 − φ) + φ·λ/λ₀]·RR_smoking·RR_alcohol·RR_GC`
//!
//! * `h₀` — incidence of the person's age and sex (Gompertz fit to a population table);
//! * `GR^(−Z)` — femoral-neck BMD through Johnell's gradient, `Z` against the simulated
//!   reference person of the same age and sex: everything the model does to bone enters here;
//! * the bracket — the share `φ` of fractures caused by falls scales with the person's fall
//!   rate `λ` against an unexposed person of the same age: everything else a drug or
//!   depression does enters here, so no effect is counted twice;
//! * smoking enters with its BMD-adjusted risk (the model already lowers BMD for it), alcohol
//!   with its risk that does not interact with BMD, glucocorticoids with their whole risk (the
//!   model does not simulate exogenous glucocorticoids in bone).

use super::equations::{gompertz, gradient_of_risk, steroid_risk};
use super::params::{ClinicalParams, OutcomeParams};

/// What the hazard depends on at one moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HazardInputs {
    pub age_years: f64,
    /// Femoral-neck Z-score against the reference person of the same age and sex.
    pub z_score: f64,
    /// Fall rate over that of an unexposed person of the same age.
    pub fall_ratio: f64,
    pub smoker: bool,
    pub alcohol_units_per_day: f64,
    /// Oral glucocorticoids, mg/day prednisolone equivalent.
    pub glucocorticoid_mg_per_day: f64,
}

/// Hazard of a first fracture of this outcome, per year.
pub fn hazard(o: &OutcomeParams, c: &ClinicalParams, x: &HazardInputs) -> f64 {
    let base = gompertz::rate(o.incidence_at_65, o.incidence_slope, x.age_years);
    let gradient = gradient_of_risk::gradient(o.gradient_at_65, o.gradient_slope, x.age_years);
    let bone = gradient_of_risk::relative_risk(gradient, x.z_score);
    let falls = 1.0 - o.fall_share + o.fall_share * x.fall_ratio;
    base * bone * falls * other_factors(o, c, x)
}

/// The relative risk of smoking, alcohol and glucocorticoids.
pub fn other_factors(o: &OutcomeParams, c: &ClinicalParams, x: &HazardInputs) -> f64 {
    let smoking = if x.smoker { o.smoking_rr } else { 1.0 };
    let alcohol = if x.alcohol_units_per_day >= c.alcohol_threshold_units_per_day {
        o.alcohol_rr
    } else {
        1.0
    };
    let steroid = if x.glucocorticoid_mg_per_day > 0.0 {
        steroid_risk::relative_risk(
            o.glucocorticoid_rr_at_50,
            o.glucocorticoid_rr_at_85,
            x.age_years,
        ) * steroid_risk::dose_factor(
            x.glucocorticoid_mg_per_day,
            c.glucocorticoid_low_dose_factor,
            c.glucocorticoid_high_dose_factor,
        )
    } else {
        1.0
    };
    smoking * alcohol * steroid
}

/// All-cause death rate, per year.
pub fn mortality(c: &ClinicalParams, age_years: f64) -> f64 {
    gompertz::rate(c.mortality_at_65, c.mortality_slope, age_years)
}
