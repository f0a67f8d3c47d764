//! Odds ratio → risk ratio at a baseline risk (Zhang & Yu 1998, JAMA 280:1690).
//!
//! `RR = OR/(1 − p₀ + p₀·OR)`. Falls are common (p₀ ≈ 0.3 a year after 65), so an odds ratio
//! of a falls study overstates the ratio of fall probabilities; the clinical layer works with
//! probabilities and converts every published odds ratio at the person's own baseline risk.

pub const VERSION: &str = "odds_ratio/1";

/// The risk ratio implied by `odds_ratio` when the unexposed risk is `baseline_risk` (0–1).
pub fn risk_ratio(odds_ratio: f64, baseline_risk: f64) -> f64 {
    odds_ratio / (1.0 - baseline_risk + baseline_risk * odds_ratio)
}

/// The risk of the exposed: the baseline risk with its odds multiplied by `odds_ratio`.
pub fn exposed_risk(odds_ratio: f64, baseline_risk: f64) -> f64 {
    baseline_risk * risk_ratio(odds_ratio, baseline_risk)
}
