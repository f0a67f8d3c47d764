//! One person's what-if: `boneaxis patient`.
//!
//! The person is simulated as a scenario with a reference arm (a person of the same age and
//! sex without depression, habits or drugs), their own arm without the drug, with the drug,
//! and with each alternative. Their measured femoral-neck BMD, when given, scales their arms
//! (the model's dynamics, i.e. relative changes, are those of the reference person; see
//! `docs/clinical.md`). Fracture probabilities follow from [`outcome`].

pub mod arms;
pub mod case;
pub mod outcome;
mod person;
mod report;
pub mod spec;

use crate::clinical::equations::t_score;
use crate::clinical::params::ClinicalParams;
use crate::error::Error;
use crate::params::ParamSet;
use crate::physiology::pathways::PathwaySwitches;
use crate::scenario;
use crate::simulate::{run_study, ArmResult, Study, StudyResult};
use arms::{ArmPlan, Clock};
use outcome::Series;
pub use spec::{Alternative, Course, DepressionSpec, DrugSpec, PatientSpec};

pub const DISCLAIMER: &str = "Research model, not a clinical device: the numbers are model \
projections for teaching and research and must not guide the care of a patient.";

pub use case::{option_keys, CASE_READOUTS};
pub use person::{MeasuredBmd, Patient};
pub use report::{Effect, OptionOutcome, PatientReport, TrajectoryPoint, BETA_BLOCKER_CAVEAT};

/// Simulates the person and computes the report.
pub fn run(p: &Patient) -> Result<PatientReport, Error> {
    Ok(simulate(p, &[])?.report)
}

/// A what-if with everything validation needs besides the report.
#[derive(Debug, Clone)]
pub struct Simulation {
    pub report: PatientReport,
    /// The options (not the reference person) as a study: weekly samples from now of the
    /// readouts in [`CASE_READOUTS`], so validation cases can measure them like any scenario.
    pub result: StudyResult,
    pub params: ParamSet,
}

/// As [`run`], with parameter overrides (catalog units) applied to the model and the clinical
/// layer alike.
pub fn simulate(p: &Patient, overrides: &[(String, f64)]) -> Result<Simulation, Error> {
    simulate_with(p, overrides, PathwaySwitches::default())
}

/// As [`simulate`], with optional pathways switched on (a validation hypothesis).
pub fn simulate_with(
    p: &Patient,
    overrides: &[(String, f64)],
    pathways: PathwaySwitches,
) -> Result<Simulation, Error> {
    let clock = arms::clock(p);
    let plans = arms::plans(p, clock);
    let text = arms::scenario(p, clock, &plans);
    let mut study = scenario::load_str(&text, "patient")?;
    for (name, value) in overrides {
        study.params.set(name, *value, None)?;
    }
    study.switches = study.switches.union(pathways);
    let c = ClinicalParams::from_params(&study.params)?;
    weigh(&mut study, p, &c, &plans);
    let started = std::time::Instant::now();
    let result = run_study(&study, |_, _| {})?;
    let run_ms = started.elapsed().as_secs_f64() * 1e3;
    let mut series: Vec<Series> = plans
        .iter()
        .map(|plan| series_of(&result, plan, clock))
        .collect::<Result<_, _>>()?;
    let scale = bmd_scale(&c, p, &series);
    for s in series.iter_mut().skip(1) {
        for v in [&mut s.femoral_neck, &mut s.total_hip, &mut s.lumbar_spine] {
            v.iter_mut().for_each(|x| *x *= scale);
        }
    }
    let report = report::report(&c, p, &plans, &series, run_ms);
    let result = case::case_result(&c, p, &plans, &series);
    Ok(Simulation {
        report,
        result,
        params: study.params,
    })
}

/// The person's arms at their own adult weight (BMI at the reference height), lifelong: their
/// skeleton has carried that load (the mechanostat) and their drug volumes scale with it. The
/// reference person keeps the reference weight.
fn weigh(study: &mut Study, p: &Patient, c: &ClinicalParams, plans: &[ArmPlan]) {
    let Some(bmi) = p.bmi else { return };
    for (arm, plan) in study.arms.iter_mut().zip(plans) {
        if !plan.reference {
            arm.protocol.relative_body_weight = Some(bmi / c.reference_bmi);
        }
    }
}

/// The factor that makes the person's simulated femoral-neck BMD now equal a measurement (1
/// without one: the model's own level, BMI included).
fn bmd_scale(c: &ClinicalParams, p: &Patient, series: &[Series]) -> f64 {
    let simulated = series[own_arm(p)].femoral_neck[0];
    match p.measured {
        MeasuredBmd::TScore(t) => {
            t_score::bmd_of_score(t, c.femoral_neck.mean, c.femoral_neck.sd) / simulated
        }
        MeasuredBmd::FemoralNeck(b) => b / simulated,
        MeasuredBmd::None => 1.0,
    }
}

/// The arm whose history is the person's own up to now: the drug's if they already take it.
pub(super) fn own_arm(p: &Patient) -> usize {
    if p.drug.is_some_and(|d| d.start_days < 0.0) {
        2
    } else {
        1
    }
}

fn series_of(result: &StudyResult, plan: &ArmPlan, clock: Clock) -> Result<Series, Error> {
    let arm: &ArmResult = result
        .arm(&plan.key)
        .expect("every planned arm is simulated");
    let column = |name: &str| -> Vec<f64> {
        let r = result
            .readout_index(name)
            .expect("the patient scenario asks for it");
        arm.times
            .iter()
            .zip(&arm.values[r])
            .filter(|(t, _)| **t >= clock.now - 1e-6)
            .map(|(_, v)| *v)
            .collect()
    };
    let days: Vec<f64> = arm
        .times
        .iter()
        .filter(|t| **t >= clock.now - 1e-6)
        .map(|t| t - clock.now)
        .collect();
    Ok(Series {
        days,
        femoral_neck: column("bone.femoral_neck.bmd"),
        total_hip: column("bone.total_hip.bmd"),
        lumbar_spine: column("bone.lumbar_spine.bmd"),
        depressive_state: column("mood.depressive_state"),
        sert_occupancy: column("pd.sert_occupancy")
            .into_iter()
            .map(|v| v / 100.0)
            .collect(),
        courses: outcome::from_now(plan, clock),
    })
}
