//! T-score and Z-score of an areal BMD (WHO 1994; reference population of Looker 1998).
//!
//! `T = (BMD − μ_young)/σ_young`, against young-adult white women (NHANES III, aged 20–29) for
//! both sexes, as FRAX does. `Z = (BMD − μ_age)/σ_young`: the age- and sex-matched mean comes
//! from the model's own reference person (see `docs/clinical.md`), the SD from the young-adult
//! reference, because the NHANES III SD hardly changes with age.

pub const VERSION: &str = "t_score/1";

/// Standard deviations of `bmd` from `mean`, in units of `sd` (g/cm² throughout).
pub fn score(bmd: f64, mean: f64, sd: f64) -> f64 {
    (bmd - mean) / sd
}

/// The areal BMD that has this score.
pub fn bmd_of_score(score: f64, mean: f64, sd: f64) -> f64 {
    mean + score * sd
}
