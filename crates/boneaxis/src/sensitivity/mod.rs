//! Global sensitivity analysis of any readout to any set of parameters: Morris screening and
//! Sobol indices (first and total order) on quasi-random samples.
//!
//! A *factor* is a catalog parameter varied over its catalog bounds: log-uniformly when the
//! bounds are positive and span at least a factor of 4, uniformly otherwise. The *output* is a
//! readout of one arm at one time, or its percent change against another arm (an effect such as
//! "bone loss caused by the SSRI"). Every sample runs the scenario's protocol, doses included,
//! from its own baseline. Samples run in parallel (rayon) and are collected in sample order, so
//! a seed gives the same indices whatever the number of threads. See `docs/sensitivity.md`.

pub mod morris;
pub mod plan;
pub mod sobol;

use crate::error::{Error, SolveError};
use crate::params::Catalog;
use crate::simulate::{run_study, Study};
use crate::validation::case::value_at;
use rayon::prelude::*;
use serde::Serialize;
use std::sync::Mutex;

/// A parameter varied over a range (catalog units).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Factor {
    pub name: String,
    pub unit: String,
    pub low: f64,
    pub high: f64,
    /// Sampled uniformly in the logarithm.
    pub log: bool,
}

impl Factor {
    /// The value at a point `u` ∈ [0, 1] of the unit interval.
    pub fn value(&self, u: f64) -> f64 {
        let v = if self.log {
            (self.low.ln() + u * (self.high.ln() - self.low.ln())).exp()
        } else {
            self.low + u * (self.high - self.low)
        };
        // Rounding must not step outside the bounds the catalog enforces.
        v.clamp(self.low, self.high)
    }
}

/// What is analysed: a readout of `arm` at `at` (days), or its percent change vs `versus`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    pub readout: String,
    pub arm: String,
    pub versus: Option<String>,
    pub at: f64,
}

impl Target {
    pub fn describe(&self) -> String {
        match &self.versus {
            Some(v) => format!("% change of {} in {} vs {}", self.readout, self.arm, v),
            None => format!("{} in {}", self.readout, self.arm),
        }
    }
}

/// A sensitivity analysis that cannot be set up.
pub(crate) fn input(message: String) -> Error {
    Error::Analysis(format!("sensitivity: {message}"))
}

/// The factors for named parameters, from the catalog's bounds for the study's species and sex.
pub fn factors(study: &Study, names: &[String]) -> Result<Vec<Factor>, Error> {
    let catalog = Catalog::embedded()?;
    names
        .iter()
        .map(|name| {
            let entry = catalog
                .entry(name, study.species, study.sex)
                .ok_or_else(|| {
                    input(format!(
                    "parameter `{name}` is not in the catalog for {} {} (see `boneaxis params`)",
                    study.sex.name(),
                    study.species.name()
                ))
                })?;
            let [low, high] = entry.bounds.ok_or_else(|| {
                input(format!(
                    "parameter `{name}` has no bounds in the catalog, so it has no range to vary"
                ))
            })?;
            Ok(Factor {
                name: name.clone(),
                unit: entry.unit.clone(),
                low,
                high,
                log: low > 0.0 && high / low >= 4.0,
            })
        })
        .collect()
}

/// Every bounded parameter the model of the target's arm reads (the default factor set).
pub fn model_factors(study: &Study, target: &Target) -> Result<Vec<Factor>, Error> {
    let arm = study
        .arms
        .iter()
        .find(|a| a.name == target.arm)
        .ok_or_else(|| input(format!("no arm `{}` in the scenario", target.arm)))?;
    // Building the arm's model records which parameters it reads.
    crate::simulate::arm_model(study, arm)?;
    let unread: std::collections::BTreeSet<String> = study.params.unread().into_iter().collect();
    let catalog = Catalog::embedded()?;
    let names: Vec<String> = catalog
        .entries_for(study.species, study.sex)
        .into_iter()
        .filter(|p| p.bounds.is_some() && !unread.contains(&p.name))
        .map(|p| p.name.clone())
        .collect();
    factors(study, &names)
}

/// Runs the target's arms for many parameter points.
pub struct Evaluator {
    study: Mutex<Study>,
    target: Target,
}

impl Evaluator {
    /// Checks the target against the study and keeps only the arms it needs.
    pub fn new(mut study: Study, target: Target) -> Result<Evaluator, Error> {
        let wanted: Vec<&str> = std::iter::once(target.arm.as_str())
            .chain(target.versus.as_deref())
            .collect();
        for w in &wanted {
            if !study.arms.iter().any(|a| a.name == *w) {
                let names: Vec<&str> = study.arms.iter().map(|a| a.name.as_str()).collect();
                return Err(input(format!(
                    "no arm `{w}` in the scenario (arms: {})",
                    names.join(", ")
                )));
            }
        }
        if !study.readouts.contains(&target.readout) {
            return Err(input(format!(
                "the scenario does not output `{}` (add it to [output] readouts)",
                target.readout
            )));
        }
        if !(0.0..=study.duration).contains(&target.at) {
            return Err(input("`at` must lie within the study".into()));
        }
        study.arms.retain(|a| wanted.contains(&a.name.as_str()));
        study.control = 0;
        Ok(Evaluator {
            study: Mutex::new(study),
            target,
        })
    }

    pub fn target(&self) -> &Target {
        &self.target
    }

    /// The output at one point (factor values in catalog units); `sample` names it in errors.
    pub fn eval(&self, factors: &[Factor], values: &[f64], sample: usize) -> Result<f64, Error> {
        let mut study = self.study.lock().expect("no panic holds the lock").clone();
        for (f, v) in factors.iter().zip(values) {
            study.params.set(&f.name, *v, None)?;
        }
        let result = run_study(&study, |_, _| {}).map_err(|e| match e {
            Error::Solve(s) => Error::Solve(SolveError {
                subject: Some(sample),
                ..s
            }),
            other => other,
        })?;
        let t = &self.target;
        let at = |arm: &str| value_at(&result, arm, &t.readout, t.at);
        let value = match &t.versus {
            None => at(&t.arm),
            Some(v) => at(&t.arm).zip(at(v)).map(|(a, b)| 100.0 * (a - b) / b),
        };
        value.filter(|v| v.is_finite()).ok_or_else(|| {
            Error::Solve(SolveError {
                scenario: study.name.clone(),
                arm: t.arm.clone(),
                subject: Some(sample),
                time_days: t.at,
                message: "the output is not a finite number at this sample".into(),
            })
        })
    }

    /// The outputs at every point of the unit hypercube `design`, in order; a point where the
    /// model fails (no steady state, solver failure) is `None`, with its error kept in
    /// [`Outputs::first_failure`]. `done` is called once per finished sample (from any thread).
    pub fn eval_all(
        &self,
        factors: &[Factor],
        design: &[Vec<f64>],
        done: &(dyn Fn() + Sync),
    ) -> Outputs {
        self.eval_points(factors, design, 0, done)
    }

    /// As [`Evaluator::eval_all`] for a piece of a design whose first point is sample `first`
    /// (errors name samples by their place in the whole design).
    pub fn eval_points(
        &self,
        factors: &[Factor],
        points: &[Vec<f64>],
        first: usize,
        done: &(dyn Fn() + Sync),
    ) -> Outputs {
        let results: Vec<Result<f64, Error>> = points
            .par_iter()
            .enumerate()
            .map(|(i, u)| {
                let values: Vec<f64> = factors.iter().zip(u).map(|(f, x)| f.value(*x)).collect();
                let y = self.eval(factors, &values, first + i);
                done();
                y
            })
            .collect();
        let first_failure = results
            .iter()
            .find_map(|r| r.as_ref().err().map(|e| e.to_string()));
        Outputs {
            values: results.into_iter().map(Result::ok).collect(),
            first_failure,
        }
    }
}

/// The outputs of a design, `None` where the model failed.
#[derive(Debug, Clone, PartialEq)]
pub struct Outputs {
    pub values: Vec<Option<f64>>,
    pub first_failure: Option<String>,
}

impl Outputs {
    pub fn failures(&self) -> usize {
        self.values.iter().filter(|v| v.is_none()).count()
    }

    /// More than half of the runs failed: the indices would mean little.
    pub fn mostly_failed(&self) -> bool {
        2 * self.failures() > self.values.len()
    }
}
