//! Running a study: baselines, arms, readouts.
//!
//! Each arm starts from its own baseline, because knockouts are present from conception:
//!
//! * an adult in the plateau between skeletal maturity and the onset of senescence (or the
//!   approach of menopause) starts at the steady state of its age — the baseline does not drift;
//! * a growing animal starts at the steady state of birth and is grown to its age (pre-run);
//! * an older individual starts at the steady state of the end of the plateau and is aged to
//!   its age, so bone already lost with age (and menopause) is part of its baseline.
//!
//! The study then runs every arm's protocol from that state.

use crate::engine::steady_state::steady_state;
use crate::engine::stiff::Diffsol;
use crate::engine::{EngineError, Integrator, SolverOptions, SolverStats};
use crate::error::{Error, SolveError};
use crate::model::readouts::{catalog, Readout, ReadoutContext};
use crate::model::Model;
use crate::params::ParamSet;
use crate::physiology::pathways::PathwaySwitches;
use crate::physiology::Genotype;
use crate::protocol::{ArmInputs, ArmSystem, Protocol};
use crate::species::{Sex, Species};
use serde::Serialize;
use std::collections::HashMap;

/// One arm of a study.
#[derive(Debug, Clone, PartialEq)]
pub struct ArmSpec {
    pub name: String,
    pub description: Option<String>,
    pub protocol: Protocol,
}

/// A resolved, validated study: everything needed to run it.
#[derive(Debug, Clone)]
pub struct Study {
    pub name: String,
    pub title: String,
    pub species: Species,
    pub sex: Sex,
    /// Age at the start, days.
    pub start_age: f64,
    /// Duration, days.
    pub duration: f64,
    pub arms: Vec<ArmSpec>,
    /// Index of the control arm (percent changes are relative to it).
    pub control: usize,
    pub params: ParamSet,
    pub switches: PathwaySwitches,
    pub readouts: Vec<String>,
    /// Sample times, days since the start (sorted, ending at `duration`).
    pub sample_times: Vec<f64>,
    pub solver: SolverOptions,
    /// Whether repeated fixed doses are resolved or averaged (`[solver] dosing`).
    pub dosing: crate::protocol::Dosing,
    /// Who a population study simulates (`[population]`), if anyone beyond one individual.
    pub population: Option<crate::population::Population>,
    /// What a population study computes (`[[analysis]]`).
    pub analyses: Vec<crate::population::Analysis>,
}

/// A readout's name and unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReadoutInfo {
    pub name: String,
    pub unit: String,
    pub description: String,
}

/// The results of one arm.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArmResult {
    pub name: String,
    /// Days since the start of the study.
    pub times: Vec<f64>,
    /// `values[r][i]`: readout `r` at `times[i]`.
    pub values: Vec<Vec<f64>>,
    pub stats: SolverStats,
    pub baseline_stats: SolverStats,
    /// Wall-clock time of the arm's run (without its baseline), milliseconds.
    pub run_ms: f64,
}

impl ArmResult {
    pub fn final_value(&self, readout: usize) -> f64 {
        *self.values[readout].last().expect("every arm has samples")
    }
}

/// The results of a study.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StudyResult {
    pub name: String,
    pub title: String,
    pub species: Species,
    pub sex: Sex,
    pub start_age_days: f64,
    pub duration_days: f64,
    pub control: usize,
    pub readouts: Vec<ReadoutInfo>,
    pub arms: Vec<ArmResult>,
}

impl StudyResult {
    pub fn readout_index(&self, name: &str) -> Option<usize> {
        self.readouts.iter().position(|r| r.name == name)
    }

    pub fn arm(&self, name: &str) -> Option<&ArmResult> {
        self.arms.iter().find(|a| a.name == name)
    }

    /// Final value of a readout in an arm.
    pub fn final_value(&self, arm: &str, readout: &str) -> Option<f64> {
        Some(self.arm(arm)?.final_value(self.readout_index(readout)?))
    }

    /// Percent change of the final value of `readout` in `arm` relative to the control arm.
    pub fn percent_vs_control(&self, arm: &str, readout: &str) -> Option<f64> {
        let r = self.readout_index(readout)?;
        let control = self.arms[self.control].final_value(r);
        let value = self.arm(arm)?.final_value(r);
        Some(100.0 * (value - control) / control)
    }
}

/// Builds the model of one arm (its genotype and body weight applied).
pub fn arm_model(study: &Study, arm: &ArmSpec) -> Result<Model, Error> {
    let weighed;
    let params = match arm.protocol.relative_body_weight {
        Some(r) => {
            let mut p = study.params.clone();
            p.set("age.relative_body_weight", r, None)?;
            weighed = p;
            &weighed
        }
        None => &study.params,
    };
    Ok(Model::new(
        params,
        study.species,
        study.sex,
        Genotype::of(&arm.protocol.knockouts, &arm.protocol.expression),
        study.switches,
    )?)
}

/// The state an individual of this model has at `age` (days) without any intervention.
pub fn baseline(
    model: &Model,
    age: f64,
    integrator: &dyn Integrator,
) -> Result<(Vec<f64>, SolverStats), EngineError> {
    let (mature, plateau_end) = model.age.adult_plateau();
    let anchor = if age < mature {
        0.0
    } else {
        age.min(plateau_end.max(mature))
    };
    let none = ArmInputs::none(anchor);
    let frozen = ArmSystem::frozen(model, &none, anchor);
    let y_anchor = steady_state(&frozen, integrator, 0.0, &model.reference_state())?;
    if age <= anchor {
        return Ok((y_anchor, SolverStats::default()));
    }
    let ageing = ArmSystem::new(model, &none);
    let traj = integrator.integrate(&ageing, 0.0, &y_anchor, &[], &[age - anchor])?;
    let y = traj
        .states
        .last()
        .cloned()
        .expect("one sample was requested");
    Ok((y, traj.stats))
}

/// Runs every arm; `on_arm` sees each arm (and the readouts' names and units) as soon as it is
/// finished, so callers can save it at once.
pub fn run_study(
    study: &Study,
    mut on_arm: impl FnMut(&[ReadoutInfo], &ArmResult),
) -> Result<StudyResult, Error> {
    let integrator = Diffsol {
        options: study.solver,
    };
    // Arms share a baseline when their genotype and body weight are the same.
    type BaselineKey = (
        Vec<crate::physiology::Knockout>,
        Vec<(crate::physiology::Gene, u64)>,
        Option<u64>,
    );
    let mut baselines: HashMap<BaselineKey, (Vec<f64>, SolverStats)> = HashMap::new();
    let mut readout_infos = Vec::new();
    let mut arms = Vec::with_capacity(study.arms.len());
    for arm in &study.arms {
        let model = arm_model(study, arm)?;
        let solve_error = |e: EngineError| {
            Error::from(SolveError {
                scenario: study.name.clone(),
                arm: arm.name.clone(),
                subject: None,
                time_days: e.time,
                message: e.message,
            })
        };
        let mut knockouts = arm.protocol.knockouts.clone();
        knockouts.sort_by_key(|k| k.key());
        knockouts.dedup();
        let expression = arm
            .protocol
            .expression
            .iter()
            .map(|&(g, f)| (g, f.to_bits()))
            .collect();
        let key = (
            knockouts,
            expression,
            arm.protocol.relative_body_weight.map(f64::to_bits),
        );
        let (y0, baseline_stats) = match baselines.get(&key) {
            Some(b) => b.clone(),
            None => {
                let b = baseline(&model, study.start_age, &integrator).map_err(|e| {
                    solve_error(EngineError {
                        message: format!("while finding the baseline: {}", e.message),
                        ..e
                    })
                })?;
                baselines.insert(key, b.clone());
                b
            }
        };
        let started = std::time::Instant::now();
        let inputs = ArmInputs::with_dosing(&model, &arm.protocol, study.start_age, study.dosing);
        let system = ArmSystem::new(&model, &inputs);
        let traj = integrator
            .integrate(
                &system,
                0.0,
                &y0,
                &arm.protocol.breakpoints(),
                &study.sample_times,
            )
            .map_err(solve_error)?;
        let run_ms = started.elapsed().as_secs_f64() * 1e3;
        let readouts = select_readouts(&model, &study.readouts);
        if readout_infos.is_empty() {
            readout_infos = readouts
                .iter()
                .map(|r| ReadoutInfo {
                    name: r.name.clone(),
                    unit: r.unit.to_string(),
                    description: r.description.clone(),
                })
                .collect();
        }
        let mut values = vec![Vec::with_capacity(traj.times.len()); readouts.len()];
        for (t, y) in traj.times.iter().zip(&traj.states) {
            let exposure = system.exposure_at_sample(*t);
            let signals = model.signals(y, &exposure);
            let ctx = ReadoutContext {
                model: &model,
                state: y,
                signals: &signals,
                exposure: &exposure,
            };
            for (column, r) in values.iter_mut().zip(&readouts) {
                column.push(r.eval(&ctx));
            }
        }
        let result = ArmResult {
            name: arm.name.clone(),
            times: traj.times,
            values,
            stats: traj.stats,
            baseline_stats,
            run_ms,
        };
        on_arm(&readout_infos, &result);
        arms.push(result);
    }
    Ok(StudyResult {
        name: study.name.clone(),
        title: study.title.clone(),
        species: study.species,
        sex: study.sex,
        start_age_days: study.start_age,
        duration_days: study.duration,
        control: study.control,
        readouts: readout_infos,
        arms,
    })
}

/// The readouts of `names`, in that order (names are checked when the scenario is resolved).
fn select_readouts(model: &Model, names: &[String]) -> Vec<Readout> {
    let mut all: Vec<Option<Readout>> = catalog(model).into_iter().map(Some).collect();
    names
        .iter()
        .map(|n| {
            let i = all
                .iter()
                .position(|r| r.as_ref().is_some_and(|r| &r.name == n))
                .expect("readout names are validated against the catalog");
            all[i].take().expect("each readout is selected once")
        })
        .collect()
}
