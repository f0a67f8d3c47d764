//! Fall rate from the probability of falling within a year, fall counts being negative-binomial
//! (a Poisson process whose rate varies across people as a gamma distribution of shape `k`).
//!
//! Fall counts of older people are overdispersed: a few people fall often. Poisson models fit
//! them worst and negative-binomial models are recommended (Robertson 2005; Ullah 2010, four
//! cohorts). With mean `λ` falls a year and shape `k`, `P(no fall) = (1 + λ/k)^(−k)`, so
//!
//! `λ = k·((1 − p)^(−1/k) − 1)`,
//!
//! which tends to the Poisson `−ln(1 − p)` as `k → ∞`, and is the odds `p/(1 − p)` at `k = 1`.
//! Fractures follow falls, so the fall-driven part of a fracture hazard scales with `λ/λ₀`.
//! An exposure that multiplies everyone's rate raises the share of people who fall less than
//! it raises the number of falls, because frequent fallers already count once: the more
//! heterogeneous the people (the smaller `k`), the larger the rate ratio behind a published
//! odds ratio of falling.

pub const VERSION: &str = "fall_rate/2";

/// Falls per year for a probability `p` (0–1) of at least one fall in a year, `shape` the
/// gamma shape of fall-proneness across people (> 0; `f64::INFINITY` for Poisson).
pub fn rate(p: f64, shape: f64) -> f64 {
    let p = p.clamp(0.0, 0.999_999);
    if shape.is_infinite() {
        return -(1.0 - p).ln();
    }
    // k·((1−p)^(−1/k) − 1) = k·expm1(−ln(1−p)/k), accurate for small p.
    shape * (-(1.0 - p).ln() / shape).exp_m1()
}

/// Probability of no fall in a year at `rate` falls per year.
fn probability_of_none(rate: f64, shape: f64) -> f64 {
    if shape.is_infinite() {
        (-rate).exp()
    } else {
        (1.0 + rate / shape).powf(-shape)
    }
}

/// Probability of two or more falls in a year at `rate` falls per year.
pub fn probability_of_two_or_more(rate: f64, shape: f64) -> f64 {
    let none = probability_of_none(rate, shape);
    let one = if shape.is_infinite() {
        none * rate
    } else {
        none * shape * rate / (shape + rate)
    };
    (1.0 - none - one).max(0.0)
}
