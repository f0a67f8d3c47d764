//! Calibration: fits the catalog's free parameters of one species to its training cases.
//!
//! The objective (documented in `docs/calibration.md`) sums, over every non-pending observation
//! of the training cases:
//!
//! * SEEN observations with an observed value: `ln(1 + ((sim − obs)/h)²)` (Cauchy loss), where
//!   `h` is the range's half-width (or half the observed value when no range is given);
//! * SEEN observations outside their range: `1 + d/h` for a distance `d` outside it;
//! * every expected direction (SEEN or UNVERIFIED) that is wrong: `1 + |v|/s`, where `v` is the
//!   violation (for `none`, the excess over the tolerance) and `s` the tolerance (or 10 units of
//!   the observation's scale for increase/decrease);
//!
//! plus a prior that keeps each parameter near its pre-fit value:
//! `λ·((ln θ − ln θ₀)/ln 2)²` (log-scaled) or `λ·((θ − θ₀)/(hi − lo))²·4` (bounds reaching 0).
//!
//! The optimiser is Nelder–Mead (argmin), started from the prior and from `restarts` points
//! drawn within the bounds by a seeded xorshift generator, so a fit is reproducible.

use super::{run_case_with, Case, Direction, Evidence, Role};
use crate::error::Error;
use crate::params::Catalog;
use crate::species::Species;
use argmin::core::{CostFunction, Executor, State};
use argmin::solver::neldermead::NelderMead;
use rand::{RngExt, SeedableRng};
use rand_xorshift::XorShiftRng;
use rayon::prelude::*;
use serde::Deserialize;
use std::path::Path;

/// `validation/calibration.toml`: settings and, per species, the parameters to fit.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalibrationSpec {
    pub settings: Settings,
    #[serde(rename = "species")]
    pub groups: Vec<Group>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub seed: u64,
    pub restarts: usize,
    pub max_iterations: u64,
    pub prior_weight: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub species: String,
    pub parameters: Vec<String>,
}

pub fn load_spec(path: &Path) -> Result<CalibrationSpec, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    toml::from_str(&text).map_err(|e| {
        crate::error::ScenarioError {
            file: path.display().to_string(),
            line: None,
            column: None,
            field: String::new(),
            message: e.message().to_string(),
        }
        .into()
    })
}

/// One free parameter: catalog name, bounds, prior centre and the scale it is searched on.
#[derive(Debug, Clone)]
pub struct FreeParameter {
    pub name: String,
    pub lower: f64,
    pub upper: f64,
    pub prior: f64,
    pub log_scale: bool,
}

impl FreeParameter {
    fn to_search(&self, value: f64) -> f64 {
        if self.log_scale {
            value.ln()
        } else {
            value
        }
    }

    fn value_at_search(&self, x: f64) -> f64 {
        let v = if self.log_scale { x.exp() } else { x };
        v.clamp(self.lower, self.upper)
    }

    fn prior_penalty(&self, value: f64) -> f64 {
        if self.log_scale {
            ((value.ln() - self.prior.ln()) / std::f64::consts::LN_2).powi(2)
        } else {
            4.0 * ((value - self.prior) / (self.upper - self.lower)).powi(2)
        }
    }
}

/// The free parameters of a group, looked up in the catalog: each must exist for exactly this
/// species (a species-specific entry) and have bounds.
pub fn free_parameters(catalog: &Catalog, group: &Group) -> Result<Vec<FreeParameter>, Error> {
    let species = parse_species(&group.species)?;
    group
        .parameters
        .iter()
        .map(|name| {
            let p = catalog.species_entry(name, species).ok_or_else(|| {
                Error::Calibration(format!(
                    "calibration: `{name}` has no entry specific to {species:?}; split the catalog entry per species first"
                ))
            })?;
            let [lower, upper] = p.bounds.ok_or_else(|| {
                Error::Calibration(format!("calibration: `{name}` has no bounds"))
            })?;
            Ok(FreeParameter {
                name: name.clone(),
                lower,
                upper,
                prior: p.prior.unwrap_or(p.value),
                log_scale: lower > 0.0,
            })
        })
        .collect()
}

pub fn parse_species(name: &str) -> Result<Species, Error> {
    Species::ALL
        .into_iter()
        .find(|s| s.name() == name)
        .ok_or_else(|| Error::Calibration(format!("unknown species `{name}` (mouse, rat, human)")))
}

/// The training cases of a species.
pub fn training_cases(cases: &[Case], species: Species) -> Result<Vec<Case>, Error> {
    let mut out = Vec::new();
    for case in cases {
        if case.role != Role::Training
            || case.patient
            || case.observations.iter().all(|o| o.pending.is_some())
        {
            continue;
        }
        if crate::scenario::load(&case.scenario_path)?.species == species {
            out.push(case.clone());
        }
    }
    Ok(out)
}

/// Objective terms of the cases at the given parameter values (catalog units).
pub fn misfit(cases: &[Case], overrides: &[(String, f64)]) -> Result<f64, Error> {
    let per_case: Vec<Result<f64, Error>> = cases
        .par_iter()
        .map(|case| {
            let result = run_case_with(case, overrides)?;
            Ok(case
                .observations
                .iter()
                .zip(&result.observations)
                .filter(|(o, _)| o.pending.is_none())
                .map(|(o, r)| observation_misfit(o, r.simulated))
                .sum())
        })
        .collect();
    per_case.into_iter().sum()
}

fn observation_misfit(o: &super::Observation, simulated: Option<f64>) -> f64 {
    let Some(v) = simulated else {
        return 100.0;
    };
    let mut total = 0.0;
    if o.status == Evidence::Seen {
        let half_width = o.range.map(|[lo, hi]| (hi - lo) / 2.0);
        if let Some(observed) = o.observed {
            let h = half_width.unwrap_or(observed.abs() / 2.0).max(1e-12);
            // Cauchy loss: a structural misfit (a missing mechanism) cannot dominate the fit.
            total += ((v - observed) / h).powi(2).ln_1p();
        }
        if let Some([lo, hi]) = o.range {
            let outside = (lo - v).max(v - hi);
            if outside > 0.0 {
                total += 1.0 + outside / half_width.unwrap_or(1.0).max(1e-12);
            }
        }
    }
    if let Some(d) = o.expect {
        if !d.holds(v, o.none_tolerance) {
            let (violation, scale) = match d {
                Direction::None => (v.abs() - o.none_tolerance, o.none_tolerance.max(1e-12)),
                _ => (v.abs(), 10.0),
            };
            total += 1.0 + violation / scale;
        }
    }
    total
}

/// The outcome of fitting one species.
#[derive(Debug, Clone)]
pub struct Fit {
    pub parameters: Vec<FreeParameter>,
    pub values: Vec<f64>,
    pub objective_before: f64,
    pub objective_after: f64,
    pub cases: Vec<String>,
    pub evaluations: usize,
}

struct Objective<'a> {
    cases: &'a [Case],
    parameters: &'a [FreeParameter],
    prior_weight: f64,
    progress: &'a (dyn Fn(f64) + Sync),
    evaluations: &'a std::sync::atomic::AtomicUsize,
}

impl Objective<'_> {
    fn values(&self, x: &[f64]) -> Vec<(String, f64)> {
        self.parameters
            .iter()
            .zip(x)
            .map(|(p, &xi)| (p.name.clone(), p.value_at_search(xi)))
            .collect()
    }
}

impl CostFunction for Objective<'_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, x: &Self::Param) -> Result<f64, argmin::core::Error> {
        let values = self.values(x);
        let prior: f64 = self
            .parameters
            .iter()
            .zip(&values)
            .map(|(p, (_, v))| p.prior_penalty(*v))
            .sum();
        // Outside the bounds the value is clamped; the distance is penalised so the simplex
        // comes back instead of wandering along a flat, clamped direction.
        let outside: f64 = self
            .parameters
            .iter()
            .zip(x)
            .map(|(p, &xi)| (xi - p.to_search(p.value_at_search(xi))).powi(2))
            .sum();
        let cost = misfit(self.cases, &values)? + self.prior_weight * prior + 100.0 * outside;
        self.evaluations
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        (self.progress)(cost);
        Ok(cost)
    }
}

/// Fits one species group. `progress` is called after every evaluation with its objective.
pub fn fit(
    catalog: &Catalog,
    group: &Group,
    settings: &Settings,
    cases: &[Case],
    progress: &(dyn Fn(f64) + Sync),
) -> Result<Fit, Error> {
    let parameters = free_parameters(catalog, group)?;
    let counter = std::sync::atomic::AtomicUsize::new(0);
    let objective = Objective {
        evaluations: &counter,
        cases,
        parameters: &parameters,
        prior_weight: settings.prior_weight,
        progress,
    };
    let start: Vec<f64> = parameters.iter().map(|p| p.to_search(p.prior)).collect();
    let objective_before = objective
        .cost(&start)
        .map_err(|e| Error::Calibration(e.to_string()))?;
    let mut rng = XorShiftRng::seed_from_u64(settings.seed);
    let mut starts = vec![start];
    for _ in 0..settings.restarts {
        starts.push(
            parameters
                .iter()
                .map(|p| {
                    let (lo, hi) = (p.to_search(p.lower), p.to_search(p.upper));
                    lo + (hi - lo) * rng.random::<f64>()
                })
                .collect(),
        );
    }
    let mut best = (objective_before, starts[0].clone());
    for x0 in starts {
        let simplex = initial_simplex(&parameters, &x0);
        let solver = NelderMead::new(simplex)
            .with_sd_tolerance(1e-4)
            .map_err(|e| Error::Calibration(e.to_string()))?;
        let objective = Objective { ..objective };
        let result = Executor::new(objective, solver)
            .configure(|state| state.max_iters(settings.max_iterations))
            .run()
            .map_err(|e| Error::Calibration(format!("calibration of {}: {e}", group.species)))?;
        let state = result.state();
        if let Some(x) = state.get_best_param() {
            if state.get_best_cost() < best.0 {
                best = (state.get_best_cost(), x.clone());
            }
        }
    }
    let values = parameters
        .iter()
        .zip(&best.1)
        .map(|(p, &x)| p.value_at_search(x))
        .collect();
    Ok(Fit {
        values,
        objective_before,
        objective_after: best.0,
        cases: cases.iter().map(|c| c.id.clone()).collect(),
        parameters,
        evaluations: counter.load(std::sync::atomic::Ordering::Relaxed),
    })
}

/// A simplex around `x0`: one vertex per parameter, a step of 0.3 (log) or a tenth of the range.
fn initial_simplex(parameters: &[FreeParameter], x0: &[f64]) -> Vec<Vec<f64>> {
    let mut simplex = vec![x0.to_vec()];
    for (i, p) in parameters.iter().enumerate() {
        let mut x = x0.to_vec();
        let step = if p.log_scale {
            0.3
        } else {
            0.1 * (p.upper - p.lower)
        };
        // Step inwards if the start sits at the upper bound.
        x[i] += if x0[i] + step > p.to_search(p.upper) {
            -step
        } else {
            step
        };
        simplex.push(x);
    }
    simplex
}

/// Writes fitted values back into the catalog's TOML files (formatting and comments kept):
/// `value`, `kind = "calibrated"`, `prior` (kept from the first fit) and the `fit` record.
pub fn write_back(
    catalog_dir: &Path,
    species: &str,
    fit: &Fit,
    record: &crate::params::FitRecord,
) -> Result<Vec<String>, Error> {
    let mut written = Vec::new();
    let files = std::fs::read_dir(catalog_dir).map_err(|e| Error::Io {
        path: catalog_dir.display().to_string(),
        message: e.to_string(),
    })?;
    let mut paths: Vec<_> = files
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    for path in paths {
        let io = |e: std::io::Error| Error::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        let text = std::fs::read_to_string(&path).map_err(io)?;
        let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
            Error::Calibration(format!("{}: {e}", path.display()))
        })?;
        let mut changed = false;
        if let Some(entries) = doc
            .get_mut("param")
            .and_then(|p| p.as_array_of_tables_mut())
        {
            for entry in entries.iter_mut() {
                let name = entry
                    .get("name")
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string();
                let entry_species = entry
                    .get("species")
                    .and_then(|v| v.as_str())
                    .map(str::to_string);
                let Some(i) = fit.parameters.iter().position(|p| p.name == name) else {
                    continue;
                };
                if entry_species.as_deref() != Some(species) {
                    continue;
                }
                let old = entry.get("value").and_then(|v| v.as_float());
                if entry.get("prior").is_none() {
                    if let Some(old) = old {
                        entry["prior"] = toml_edit::value(old);
                    }
                }
                entry["value"] = toml_edit::value(round_sig(fit.values[i], 4));
                entry["kind"] = toml_edit::value("calibrated");
                let mut table = toml_edit::InlineTable::new();
                let mut cases = toml_edit::Array::new();
                for c in &record.cases {
                    cases.push(c.as_str());
                }
                table.insert("cases", cases.into());
                table.insert("objective", record.objective.as_str().into());
                table.insert(
                    "objective_value",
                    round_sig(record.objective_value, 6).into(),
                );
                table.insert("optimizer", record.optimizer.as_str().into());
                table.insert("date", record.date.as_str().into());
                entry["fit"] = toml_edit::Item::Value(table.into());
                written.push(format!("{name} ({species}) in {}", path.display()));
                changed = true;
            }
        }
        if changed {
            std::fs::write(&path, doc.to_string()).map_err(io)?;
        }
    }
    Ok(written)
}

fn round_sig(x: f64, digits: i32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(digits - 1 - x.abs().log10().floor() as i32);
    (x * scale).round() / scale
}

/// For each calibrated parameter of the catalog, the observations it constrains: those whose
/// simulated value moves by more than 1% when the parameter moves by 10% (inwards from a bound).
pub fn constraints(
    catalog: &Catalog,
    results: &[super::CaseResult],
) -> Result<Vec<super::report::Constraint>, Error> {
    let calibrated: Vec<&crate::params::Parameter> = catalog
        .params
        .iter()
        .filter(|p| p.kind == crate::params::Kind::Calibrated)
        .collect();
    let mut out = Vec::new();
    for p in calibrated {
        let species = Species::ALL.into_iter().find(|s| {
            catalog
                .species_entry(&p.name, *s)
                .is_some_and(|e| std::ptr::eq(e, p))
        });
        let Some(species) = species else { continue };
        let [lo, hi] = p.bounds.unwrap_or([f64::MIN, f64::MAX]);
        let moved = if p.value * 1.1 <= hi {
            p.value * 1.1
        } else {
            p.value * 0.9
        }
        .max(lo);
        let overrides = vec![(p.name.clone(), moved)];
        let relevant: Vec<&super::CaseResult> = results
            .iter()
            // Population cases are left out: each costs a whole population per parameter.
            .filter(|r| !r.case.population)
            .filter(|r| r.study.as_ref().is_some_and(|s| s.species == species))
            .collect();
        let moved_results: Vec<Result<Vec<Option<f64>>, Error>> = relevant
            .par_iter()
            .map(|r| {
                let again = run_case_with(&r.case, &overrides)?;
                Ok(again.observations.iter().map(|o| o.simulated).collect())
            })
            .collect();
        let mut observations = Vec::new();
        for (r, moved) in relevant.iter().zip(moved_results) {
            let values = moved?;
            for (o, after) in r.observations.iter().zip(values) {
                if let (Some(before), Some(after)) = (o.simulated, after) {
                    let change = (after - before).abs();
                    if change > 1e-9 && change > 0.01 * before.abs().max(1e-9) {
                        observations.push(format!("{}/{}", r.case.id, o.id));
                    }
                }
            }
        }
        out.push(super::report::Constraint {
            parameter: p.name.clone(),
            species: species.name().to_string(),
            observations,
        });
    }
    Ok(out)
}
