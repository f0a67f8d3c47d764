//! A sensitivity analysis as a plan: its factors, the points of its design, and the analysis of
//! the outputs. Points are independent, so a plan can be evaluated in pieces (threads, processes,
//! machines); the outputs put back in design order give the same indices, bit for bit.

use super::{factors, model_factors, morris, sobol, Factor, Outputs, Target};
use crate::error::Error;
use crate::simulate::Study;

/// Morris screening or Sobol indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Morris,
    Sobol,
}

impl Method {
    pub fn parse(text: &str) -> Result<Method, Error> {
        match text {
            "morris" => Ok(Method::Morris),
            "sobol" => Ok(Method::Sobol),
            other => Err(super::input(format!(
                "unknown method `{other}` (expected morris or sobol)"
            ))),
        }
    }
}

/// The design settings: for Morris `samples` is the number of trajectories (default 10), for
/// Sobol the base sample size N (default 256; N·(k + 2) runs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    pub method: Method,
    pub samples: Option<usize>,
    pub seed: u64,
}

/// One parameter's indices: the ranking index first, then its companions (see [`Plan::header`]).
#[derive(Debug, Clone, PartialEq)]
pub struct IndexRow {
    pub name: String,
    pub rank_value: f64,
    pub columns: Vec<f64>,
}

/// Factors, design and the settings needed to analyse the outputs.
#[derive(Debug, Clone)]
pub struct Plan {
    pub settings: Settings,
    pub factors: Vec<Factor>,
    /// Points of the unit hypercube, in design order.
    pub points: Vec<Vec<f64>>,
    morris: Vec<morris::Trajectory>,
    base_samples: usize,
}

impl Plan {
    /// The plan for `params` (empty: every bounded parameter the target's arm reads, Morris only).
    pub fn new(
        study: &Study,
        target: &Target,
        params: &[String],
        settings: Settings,
    ) -> Result<Plan, Error> {
        let factors = match (params.is_empty(), settings.method) {
            (true, Method::Sobol) => {
                return Err(super::input(
                    "Sobol indices need an explicit parameter list (screen with Morris first)"
                        .into(),
                ))
            }
            (true, Method::Morris) => model_factors(study, target)?,
            (false, _) => factors(study, params)?,
        };
        match settings.method {
            Method::Morris => {
                let m = morris::MorrisSettings {
                    trajectories: settings.samples.unwrap_or(10).max(2),
                    levels: 4,
                    seed: settings.seed,
                };
                let design = morris::design(factors.len(), &m);
                let points = design.iter().flat_map(|t| t.points.clone()).collect();
                Ok(Plan {
                    settings,
                    factors,
                    points,
                    morris: design,
                    base_samples: 0,
                })
            }
            Method::Sobol => {
                let n = settings.samples.unwrap_or(256);
                if factors.len() > sobol::MAX_FACTORS || !(8..=sobol::MAX_SAMPLES).contains(&n) {
                    return Err(super::input(format!(
                        "Sobol indices take at most {} parameters and 8 to {} base samples",
                        sobol::MAX_FACTORS,
                        sobol::MAX_SAMPLES
                    )));
                }
                let points = sobol::design(factors.len(), n, settings.seed as u32);
                Ok(Plan {
                    settings,
                    factors,
                    points,
                    morris: Vec::new(),
                    base_samples: n,
                })
            }
        }
    }

    /// Names of the index columns; the first ranks the parameters.
    pub fn header(&self) -> &'static [&'static str] {
        match self.settings.method {
            Method::Morris => &["mu*", "mu", "sigma"],
            Method::Sobol => &[
                "S_T",
                "S_T 2.5%",
                "S_T 97.5%",
                "S_1",
                "S_1 2.5%",
                "S_1 97.5%",
            ],
        }
    }

    /// The indices from the outputs of every point, in design order.
    pub fn analyse(&self, outputs: &Outputs) -> Result<Vec<IndexRow>, Error> {
        if outputs.values.len() != self.points.len() {
            return Err(super::input(format!(
                "{} outputs for a design of {} points",
                outputs.values.len(),
                self.points.len()
            )));
        }
        let names: Vec<String> = self.factors.iter().map(|f| f.name.clone()).collect();
        let rows = match self.settings.method {
            Method::Morris => morris::analyse(&names, &self.morris, &outputs.values)
                .into_iter()
                .map(|m| IndexRow {
                    name: m.name,
                    rank_value: m.mu_star,
                    columns: vec![m.mu_star, m.mu, m.sigma],
                })
                .collect(),
            Method::Sobol => sobol::analyse(
                &names,
                self.base_samples,
                &outputs.values,
                200,
                self.settings.seed,
            )
            .into_iter()
            .map(|s| IndexRow {
                name: s.name,
                rank_value: s.total,
                columns: vec![
                    s.total,
                    s.total_interval[0],
                    s.total_interval[1],
                    s.first,
                    s.first_interval[0],
                    s.first_interval[1],
                ],
            })
            .collect(),
        };
        Ok(rows)
    }
}
