//! Age-specific baseline rates, exponential in age (Gompertz 1825).
//!
//! `h(age) = h₆₅·exp(k·(age − 65))`, per year. Used for hip and major osteoporotic fracture
//! incidence and for all-cause mortality by sex; each (h₆₅, k) pair is fitted to the age
//! table of its cited source over ages 50–90 (`docs/clinical.md`).

pub const VERSION: &str = "gompertz/1";

/// The rate at `age_years`, in the unit of `rate_at_65`.
pub fn rate(rate_at_65: f64, slope_per_year: f64, age_years: f64) -> f64 {
    rate_at_65 * (slope_per_year * (age_years - 65.0)).exp()
}
