//! Morris elementary-effects screening (Morris 1991; μ* of Campolongo et al. 2007).
//!
//! `r` trajectories of `k + 1` points on a `p`-level grid of the unit hypercube; each step moves
//! one factor by `Δ = p/(2(p − 1))` (up where it can, down otherwise), in a random order. The
//! elementary effect of a factor is the change of the output per unit of its normalised range;
//! `μ*` (mean |EE|) ranks importance, `σ` flags non-linearity or interactions.

use rand::{RngExt, SeedableRng};
use rand_xorshift::XorShiftRng;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MorrisSettings {
    pub trajectories: usize,
    pub levels: usize,
    pub seed: u64,
}

/// One trajectory: its points and which factor each step moved (and by how much).
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory {
    pub points: Vec<Vec<f64>>,
    pub steps: Vec<(usize, f64)>,
}

pub fn delta(levels: usize) -> f64 {
    levels as f64 / (2.0 * (levels as f64 - 1.0))
}

/// The design: `trajectories` trajectories in `k` factors.
pub fn design(k: usize, s: &MorrisSettings) -> Vec<Trajectory> {
    let mut rng = XorShiftRng::seed_from_u64(s.seed);
    let d = delta(s.levels);
    let step = 1.0 / (s.levels as f64 - 1.0);
    (0..s.trajectories)
        .map(|_| {
            let mut x: Vec<f64> = (0..k)
                .map(|_| (rng.random_range(0..s.levels) as f64) * step)
                .collect();
            let mut order: Vec<usize> = (0..k).collect();
            for i in (1..k).rev() {
                order.swap(i, rng.random_range(0..=i));
            }
            let mut points = vec![x.clone()];
            let mut steps = Vec::with_capacity(k);
            for &i in &order {
                let signed = if x[i] + d <= 1.0 + 1e-12 { d } else { -d };
                x[i] += signed;
                points.push(x.clone());
                steps.push((i, signed));
            }
            Trajectory { points, steps }
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MorrisIndex {
    pub name: String,
    /// Mean elementary effect, output units per normalised range.
    pub mu: f64,
    /// Mean absolute elementary effect.
    pub mu_star: f64,
    /// Standard deviation of the elementary effects.
    pub sigma: f64,
}

/// Elementary-effect statistics from the outputs of the design's points, in design order; a
/// step with a failed point at either end is left out.
pub fn analyse(
    names: &[String],
    design: &[Trajectory],
    outputs: &[Option<f64>],
) -> Vec<MorrisIndex> {
    let k = names.len();
    let mut effects = vec![Vec::with_capacity(design.len()); k];
    let mut offset = 0;
    for t in design {
        let y = &outputs[offset..offset + t.points.len()];
        for (j, (i, signed)) in t.steps.iter().enumerate() {
            if let (Some(a), Some(b)) = (y[j], y[j + 1]) {
                effects[*i].push((b - a) / signed);
            }
        }
        offset += t.points.len();
    }
    names
        .iter()
        .zip(effects)
        .map(|(name, e)| {
            if e.is_empty() {
                return MorrisIndex {
                    name: name.clone(),
                    mu: f64::NAN,
                    mu_star: f64::NAN,
                    sigma: f64::NAN,
                };
            }
            let n = e.len() as f64;
            let mu = e.iter().sum::<f64>() / n;
            let mu_star = e.iter().map(|v| v.abs()).sum::<f64>() / n;
            let var = if e.len() > 1 {
                e.iter().map(|v| (v - mu).powi(2)).sum::<f64>() / (n - 1.0)
            } else {
                0.0
            };
            MorrisIndex {
                name: name.clone(),
                mu,
                mu_star,
                sigma: var.sqrt(),
            }
        })
        .collect()
}
