//! Fracture risk with oral glucocorticoids (Kanis et al. 2004, JBMR 19:893) and its dose
//! adjustment (Kanis et al. 2011, Osteoporos Int 22:809).
//!
//! Kanis 2004 reports the relative risk of ever-use falling with age (e.g. hip 4.42 at 50 to
//! 2.48 at 85), little changed by BMD adjustment; between those ages `ln RR` is interpolated
//! linearly and held constant outside. Kanis 2011 scales the risk of daily doses below
//! 2.5 mg prednisolone down and above 7.5 mg up. boneaxis does not simulate exogenous
//! glucocorticoids in bone, so the whole risk (not a BMD-adjusted part) applies.

pub const VERSION: &str = "steroid_risk/1";

/// Relative risk of a glucocorticoid user against a non-user, before the dose adjustment.
pub fn relative_risk(rr_at_50: f64, rr_at_85: f64, age_years: f64) -> f64 {
    let w = ((age_years - 50.0) / 35.0).clamp(0.0, 1.0);
    (rr_at_50.ln() * (1.0 - w) + rr_at_85.ln() * w).exp()
}

/// Dose adjustment: `low` below 2.5 mg/day, 1 from 2.5 to 7.5, `high` above 7.5 mg/day
/// (prednisolone equivalents); no adjustment without glucocorticoids.
pub fn dose_factor(mg_per_day: f64, low: f64, high: f64) -> f64 {
    if mg_per_day <= 0.0 {
        1.0
    } else if mg_per_day < 2.5 {
        low
    } else if mg_per_day > 7.5 {
        high
    } else {
        1.0
    }
}
