//! Gradient of fracture risk per SD of femoral-neck BMD, by age (Johnell et al. 2005; Marshall
//! et al. 1996 for its size).
//!
//! `GR(age) = GR₆₅·exp(s·(age − 65))` and the relative risk of a person whose femoral-neck
//! Z-score is `Z`, against people of the same age and sex, is `RR = GR(age)^(−Z)`. Johnell's
//! gradient for hip fracture falls with age (s < 0); for osteoporotic fractures it rises
//! (s > 0). The log-linear form interpolates Johnell's age table; see `docs/clinical.md`.

pub const VERSION: &str = "gradient_of_risk/1";

/// The gradient of risk (relative risk per SD decrease) at `age_years`.
pub fn gradient(gradient_at_65: f64, slope_per_year: f64, age_years: f64) -> f64 {
    gradient_at_65 * (slope_per_year * (age_years - 65.0)).exp()
}

/// Relative risk against the age- and sex-matched population for a Z-score.
pub fn relative_risk(gradient: f64, z_score: f64) -> f64 {
    gradient.powf(-z_score)
}
