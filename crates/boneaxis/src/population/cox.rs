//! Cox proportional-hazards regression (Cox 1972) by Newton–Raphson on the Breslow partial
//! likelihood: `ℓ(β) = Σ_events [x_i·β − ln Σ_{j: t_j ≥ t_i} exp(x_j·β)]`, with tied event times
//! sharing one risk set (Breslow 1974). Standard errors from the inverse observed information.

use serde::Serialize;

/// One record: follow-up time, whether it ended in the event, covariates.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub time: f64,
    pub event: bool,
    pub covariates: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoxFit {
    pub coefficients: Vec<f64>,
    pub standard_errors: Vec<f64>,
    pub log_likelihood: f64,
    pub iterations: usize,
    pub events: usize,
}

impl CoxFit {
    /// Hazard ratio of covariate `k` with its 95% interval.
    pub fn hazard_ratio(&self, k: usize) -> (f64, [f64; 2]) {
        let (b, se) = (self.coefficients[k], self.standard_errors[k]);
        (b.exp(), [(b - 1.96 * se).exp(), (b + 1.96 * se).exp()])
    }
}

/// Log partial likelihood, gradient and information at `beta` (records sorted by time, latest
/// first).
fn evaluate(sorted: &[&Record], beta: &[f64]) -> (f64, Vec<f64>, Vec<Vec<f64>>) {
    let p = beta.len();
    let (mut ll, mut grad, mut info) = (0.0, vec![0.0; p], vec![vec![0.0; p]; p]);
    let (mut s0, mut s1, mut s2) = (0.0, vec![0.0; p], vec![vec![0.0; p]; p]);
    let mut i = 0;
    while i < sorted.len() {
        // all records with this time join the risk set before its events are counted (Breslow)
        let t = sorted[i].time;
        let mut j = i;
        while j < sorted.len() && sorted[j].time == t {
            let x = &sorted[j].covariates;
            let w = x.iter().zip(beta).map(|(a, b)| a * b).sum::<f64>().exp();
            s0 += w;
            for a in 0..p {
                s1[a] += w * x[a];
                for b in 0..p {
                    s2[a][b] += w * x[a] * x[b];
                }
            }
            j += 1;
        }
        for r in &sorted[i..j] {
            if !r.event {
                continue;
            }
            ll += r
                .covariates
                .iter()
                .zip(beta)
                .map(|(a, b)| a * b)
                .sum::<f64>()
                - s0.ln();
            for a in 0..p {
                grad[a] += r.covariates[a] - s1[a] / s0;
                for b in 0..p {
                    info[a][b] += s2[a][b] / s0 - s1[a] * s1[b] / (s0 * s0);
                }
            }
        }
        i = j;
    }
    (ll, grad, info)
}

/// Solves `a·x = b` (small, symmetric positive definite) by Gaussian elimination with pivoting.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for c in 0..n {
        let pivot = (c..n).max_by(|&x, &y| a[x][c].abs().total_cmp(&a[y][c].abs()))?;
        if a[pivot][c].abs() < 1e-300 {
            return None;
        }
        a.swap(c, pivot);
        b.swap(c, pivot);
        let (top, rest) = a.split_at_mut(c + 1);
        let pivot_row = &top[c];
        for (offset, row) in rest.iter_mut().enumerate() {
            let f = row[c] / pivot_row[c];
            row.iter_mut()
                .zip(pivot_row)
                .skip(c)
                .for_each(|(x, p)| *x -= f * p);
            b[c + 1 + offset] -= f * b[c];
        }
    }
    let mut x = vec![0.0; n];
    for r in (0..n).rev() {
        x[r] = (b[r] - (r + 1..n).map(|k| a[r][k] * x[k]).sum::<f64>()) / a[r][r];
    }
    Some(x)
}

fn inverse_diagonal(info: &[Vec<f64>]) -> Option<Vec<f64>> {
    let n = info.len();
    (0..n)
        .map(|k| {
            let mut e = vec![0.0; n];
            e[k] = 1.0;
            solve(info.to_vec(), e).map(|col| col[k])
        })
        .collect()
}

/// Fits the model; `None` without events or when the information matrix is singular (e.g. a
/// covariate that never varies).
pub fn fit(records: &[Record]) -> Option<CoxFit> {
    let p = records.first()?.covariates.len();
    let events = records.iter().filter(|r| r.event).count();
    if events == 0 {
        return None;
    }
    let mut sorted: Vec<&Record> = records.iter().collect();
    sorted.sort_by(|a, b| b.time.total_cmp(&a.time));
    let mut beta = vec![0.0; p];
    let (mut ll, mut grad, mut info) = evaluate(&sorted, &beta);
    for iteration in 1..=50 {
        let step = solve(info.clone(), grad.clone())?;
        // step halving keeps every iteration an ascent
        let mut scale = 1.0;
        let (next, next_eval) = loop {
            let candidate: Vec<f64> = beta.iter().zip(&step).map(|(b, s)| b + scale * s).collect();
            let e = evaluate(&sorted, &candidate);
            if e.0 >= ll - 1e-12 || scale < 1e-6 {
                break (candidate, e);
            }
            scale /= 2.0;
        };
        let change = next
            .iter()
            .zip(&beta)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        beta = next;
        (ll, grad, info) = next_eval;
        if change < 1e-9 {
            let se = inverse_diagonal(&info)?
                .into_iter()
                .map(f64::sqrt)
                .collect();
            return Some(CoxFit {
                coefficients: beta,
                standard_errors: se,
                log_likelihood: ll,
                iterations: iteration,
                events,
            });
        }
    }
    None
}

/// The log partial likelihood at `beta` (for checks against other maximisers).
pub fn log_likelihood(records: &[Record], beta: &[f64]) -> f64 {
    let mut sorted: Vec<&Record> = records.iter().collect();
    sorted.sort_by(|a, b| b.time.total_cmp(&a.time));
    evaluate(&sorted, beta).0
}
