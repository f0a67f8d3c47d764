//! Fall rate from the probability of falling within a year, falls being a Poisson process
//! (the standard count model of falls studies, e.g. negative-binomial/Poisson regressions).
//!
//! `λ = −ln(1 − p)` falls per year. Fractures follow falls, so the fall-driven part of a
//! fracture hazard scales with `λ/λ₀`, which exceeds the ratio of probabilities `p/p₀`:
//! an exposure that makes more people fall also makes fallers fall more often.

pub const VERSION: &str = "fall_rate/1";

/// Falls per year for a probability `p` (0–1) of at least one fall in a year.
pub fn rate(p: f64) -> f64 {
    -(1.0 - p.clamp(0.0, 0.999_999)).ln()
}
