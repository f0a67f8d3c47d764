//! Falls: the probability of falling within a year, by age and sex, raised by depression and by
//! antidepressants (higher in the first weeks after starting) and not by β-blockers.
//!
//! `p₀(age) = p₆₅·exp(k·(age − 65))` (capped at 0.95). Each exposure multiplies the odds of
//! falling by a published odds ratio, converted to probabilities at `p₀` (Zhang & Yu 1998):
//!
//! * depression: `OR_D = OR_dep^(D/D_ref)`, `D` the simulated depressive state;
//! * an antidepressant: `OR = 1 + (OR_class − 1)·x·(1 + m·exp(−Δt/τ))`, with exposure
//!   `x = SERT occupancy / occupancy of users at therapeutic doses` and `Δt` the time since
//!   starting (tolerance to the acute adverse effects: sedation, orthostasis, hyponatraemia);
//! * a β-blocker: its odds ratio (1.01, Woolcott 2009) while taken.
//!
//! Probabilities become mean fall rates through the negative-binomial count model
//! (`equations/fall_rate.rs`), falls being overdispersed across people.

use super::equations::odds_ratio;
use super::params::FallParams;
use serde::Serialize;

/// The fall-risk class of a medicine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FallClass {
    Ssri,
    Tricyclic,
    BetaBlocker,
}

/// A medicine's exposure at one moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DrugExposure {
    pub class: FallClass,
    /// SERT occupancy (0–1) for antidepressants; ignored for β-blockers.
    pub sert_occupancy: f64,
    /// Days since the course started.
    pub days_since_start: f64,
    /// Whether the medicine is still being taken (an antidepressant washing out still counts
    /// through its occupancy).
    pub taking: bool,
}

/// Probability of at least one fall in a year for an unexposed person of this age.
pub fn baseline_probability(p: &FallParams, age_years: f64) -> f64 {
    (p.probability_at_65 * (p.age_slope * (age_years - 65.0)).exp()).min(0.95)
}

/// The odds ratio of an exposure to a medicine.
pub fn drug_odds_ratio(p: &FallParams, e: &DrugExposure) -> f64 {
    let early = |x: f64| {
        let acute = if e.taking {
            p.early_excess_multiplier * (-e.days_since_start.max(0.0) / p.early_phase_time).exp()
        } else {
            0.0
        };
        x * (1.0 + acute)
    };
    match e.class {
        FallClass::Ssri => 1.0 + (p.ssri_odds_ratio - 1.0) * early(exposure(p, e)),
        FallClass::Tricyclic => 1.0 + (p.tca_odds_ratio - 1.0) * early(exposure(p, e)),
        FallClass::BetaBlocker if e.taking => p.beta_blocker_odds_ratio,
        FallClass::BetaBlocker => 1.0,
    }
}

fn exposure(p: &FallParams, e: &DrugExposure) -> f64 {
    (e.sert_occupancy / p.reference_sert_occupancy).max(0.0)
}

/// The odds ratio of a depressive state.
pub fn depression_odds_ratio(p: &FallParams, depressive_state: f64) -> f64 {
    p.depression_odds_ratio
        .powf(depressive_state.max(0.0) / p.depression_reference_state)
}

/// Probability of at least one fall in a year with these exposures.
pub fn annual_probability(
    p: &FallParams,
    age_years: f64,
    depressive_state: f64,
    drug: Option<&DrugExposure>,
) -> f64 {
    let or =
        depression_odds_ratio(p, depressive_state) * drug.map_or(1.0, |d| drug_odds_ratio(p, d));
    odds_ratio::exposed_risk(or, baseline_probability(p, age_years))
}

/// Falls per year with these exposures over those of an unexposed person of the same age: the
/// factor the fall-driven share of a fracture hazard is scaled by.
pub fn rate_ratio(p: &FallParams, age_years: f64, probability: f64) -> f64 {
    rate(p, probability) / rate(p, baseline_probability(p, age_years))
}

/// Mean falls per year when the probability of at least one fall in a year is `probability`.
pub fn rate(p: &FallParams, probability: f64) -> f64 {
    super::equations::fall_rate::rate(probability, p.count_shape)
}

/// Probability of two or more falls in a year when that of one or more is `probability`.
pub fn probability_of_two_or_more(p: &FallParams, probability: f64) -> f64 {
    let rate = rate(p, probability);
    super::equations::fall_rate::probability_of_two_or_more(rate, p.count_shape)
}
