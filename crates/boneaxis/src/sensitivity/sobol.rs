//! Sobol indices: first order (Saltelli et al. 2010) and total order (Jansen 1999) from the
//! `A`, `B`, `A_B⁽ⁱ⁾` sampling scheme on an Owen-scrambled Sobol sequence (`sobol_burley`,
//! Burley 2020), with percentile bootstrap intervals.
//!
//! `A` takes dimensions `0..k` of the sequence and `B` dimensions `k..2k`, so `k ≤ 128`; the
//! sequence has at most 2¹⁶ points. `N` base samples cost `N·(k + 2)` model runs.
//!
//! `S_i = mean(f_B·(f_{A_B⁽ⁱ⁾} − f_A))/V`, `S_Ti = mean((f_A − f_{A_B⁽ⁱ⁾})²)/(2V)`, `V` the
//! variance of `f_A ∪ f_B`.

use rand::{RngExt, SeedableRng};
use rand_xorshift::XorShiftRng;
use serde::Serialize;

pub const MAX_FACTORS: usize = 128;
pub const MAX_SAMPLES: usize = 1 << 16;

/// The design: `N` rows of `A`, `N` of `B`, then `N` of each `A_B⁽ⁱ⁾` (A with column i of B).
pub fn design(k: usize, n: usize, seed: u32) -> Vec<Vec<f64>> {
    let point = |j: usize, offset: usize| -> Vec<f64> {
        (0..k)
            .map(|i| f64::from(sobol_burley::sample(j as u32, (offset + i) as u32, seed)))
            .collect()
    };
    let a: Vec<Vec<f64>> = (0..n).map(|j| point(j, 0)).collect();
    let b: Vec<Vec<f64>> = (0..n).map(|j| point(j, k)).collect();
    let mut rows = a.clone();
    rows.extend(b.iter().cloned());
    for i in 0..k {
        for j in 0..n {
            let mut row = a[j].clone();
            row[i] = b[j][i];
            rows.push(row);
        }
    }
    rows
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SobolIndex {
    pub name: String,
    pub first: f64,
    pub first_interval: [f64; 2],
    pub total: f64,
    pub total_interval: [f64; 2],
}

fn indices(fa: &[f64], fb: &[f64], fab: &[f64], rows: &[usize]) -> (f64, f64) {
    if rows.len() < 2 {
        return (f64::NAN, f64::NAN);
    }
    let n = rows.len() as f64;
    let all = rows.iter().flat_map(|&j| [fa[j], fb[j]]);
    let mean = all.clone().sum::<f64>() / (2.0 * n);
    let var = all.map(|y| (y - mean).powi(2)).sum::<f64>() / (2.0 * n - 1.0);
    if var <= 0.0 {
        return (0.0, 0.0);
    }
    let first = rows.iter().map(|&j| fb[j] * (fab[j] - fa[j])).sum::<f64>() / n / var;
    let total = rows.iter().map(|&j| (fa[j] - fab[j]).powi(2)).sum::<f64>() / n / (2.0 * var);
    (first, total)
}

/// The indices from the outputs of [`design`]'s rows, with `resamples` bootstrap resamples. A
/// base sample with a failed run in `A`, `B` or any `A_B⁽ⁱ⁾` is left out.
pub fn analyse(
    names: &[String],
    n: usize,
    outputs: &[Option<f64>],
    resamples: usize,
    seed: u64,
) -> Vec<SobolIndex> {
    let k = names.len();
    let complete: Vec<usize> = (0..n)
        .filter(|&j| (0..k + 2).all(|block| outputs[block * n + j].is_some()))
        .collect();
    let value = |i: usize| outputs[i].unwrap_or(f64::NAN);
    let fa: Vec<f64> = (0..n).map(value).collect();
    let fb: Vec<f64> = (0..n).map(|j| value(n + j)).collect();
    let fab_all: Vec<f64> = (2 * n..(k + 2) * n).map(value).collect();
    let (fa, fb) = (&fa[..], &fb[..]);
    let rows = complete;
    let m = rows.len().max(1);
    let mut rng = XorShiftRng::seed_from_u64(seed);
    let boots: Vec<Vec<usize>> = (0..resamples)
        .map(|_| {
            (0..m)
                .map(|_| rows[rng.random_range(0..m).min(rows.len().saturating_sub(1))])
                .collect()
        })
        .collect();
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let fab = &fab_all[i * n..(i + 1) * n];
            let (first, total) = indices(fa, fb, fab, &rows);
            let (mut s1, mut st): (Vec<f64>, Vec<f64>) =
                boots.iter().map(|b| indices(fa, fb, fab, b)).unzip();
            SobolIndex {
                name: name.clone(),
                first,
                first_interval: percentiles(&mut s1),
                total,
                total_interval: percentiles(&mut st),
            }
        })
        .collect()
}

fn percentiles(v: &mut [f64]) -> [f64; 2] {
    if v.is_empty() {
        return [f64::NAN, f64::NAN];
    }
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((q * (v.len() - 1) as f64).round() as usize).min(v.len() - 1)];
    [at(0.025), at(0.975)]
}
