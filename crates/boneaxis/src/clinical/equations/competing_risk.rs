//! Probability of a first fracture within a horizon, with death as a competing risk (the
//! construction FRAX uses: Kanis et al. 2008).
//!
//! `P(T) = ∫₀ᵀ h(t)·exp(−∫₀ᵗ (h + μ) ds) dt`. The hazards are piecewise constant on the
//! intervals given, so each interval contributes exactly
//! `S·h/(h + μ)·(1 − exp(−(h + μ)·Δt))`, where `S` is the probability of being alive and
//! fracture-free at its start.

pub const VERSION: &str = "competing_risk/1";

/// One interval of constant hazards: length (years), fracture and death hazards (per year).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub years: f64,
    pub fracture_hazard: f64,
    pub death_hazard: f64,
}

/// Cumulative probability of a first fracture at the end of each interval.
pub fn cumulative_probability(intervals: &[Interval]) -> Vec<f64> {
    let mut alive_and_intact = 1.0;
    let mut probability = 0.0;
    intervals
        .iter()
        .map(|i| {
            let total = i.fracture_hazard + i.death_hazard;
            if total > 0.0 {
                let leaving = 1.0 - (-total * i.years).exp();
                probability += alive_and_intact * i.fracture_hazard / total * leaving;
                alive_and_intact *= 1.0 - leaving;
            }
            probability
        })
        .collect()
}
