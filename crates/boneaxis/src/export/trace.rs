//! The equations of one arm of a scenario, traced from the model.
//!
//! The traced model reads every catalog parameter as a named symbol, every state and protocol
//! input as a symbol, and records the signals and derivatives the physiology computes. What the
//! trace cannot hold as a formula it holds as numbers: the baseline state the arm starts from
//! (a steady state found numerically), the bone cells' reference steady state, and the dose
//! amounts (from the dose, the drug's molar mass and bioavailability, and, for mg/kg doses, the
//! body weight at the dose). Doses follow the scenario's `[solver] dosing`: exact doses are
//! events; averaged doses are constant infusions.

use crate::engine::stiff::{Diffsol, Method};
use crate::engine::SolverOptions;
use crate::error::Error;
use crate::model::{Model, StateInfo};
use crate::physiology::pharmacology::pk::PkEvent;
use crate::physiology::pharmacology::{Drug, Moiety, PkStructure, N_MOIETIES};
use crate::physiology::Exposure;
use crate::protocol::ArmInputs;
use crate::simulate::{arm_model, baseline, ArmSpec, Study};
use crate::symbolic::{Expr, Tape};
use crate::{params::TracedParams, physiology::Genotype};

/// Protocol inputs that change only at the protocol's breakpoints.
pub const SCHEDULED_INPUTS: [&str; 7] = [
    "stress",
    "cigarettes_per_day",
    "alcohol_units_per_day",
    "inflammation",
    "tryptophan",
    "calcium",
    "vitamin_d",
];

/// A protocol input that changes only at breakpoints: its value at 0 and its later changes.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduledInput {
    pub name: String,
    pub initial: f64,
    /// (time in days, new value).
    pub changes: Vec<(f64, f64)>,
}

/// One drug given in the arm: its compartments (traced) and its dosing events.
#[derive(Debug, Clone)]
pub struct DrugBlock {
    pub drug: Drug,
    pub structure: PkStructure<Expr>,
    /// Amounts (nmol) and infusion rates (nmol/day) at time 0, events at 0 included.
    pub initial_amounts: Vec<f64>,
    pub initial_infusion: Vec<f64>,
    /// Events after time 0.
    pub events: Vec<PkEvent>,
}

/// Everything an exporter needs for one arm.
#[derive(Debug, Clone)]
pub struct ArmTrace {
    pub scenario: String,
    pub arm: String,
    pub study: Study,
    pub tape: Tape,
    pub states: Vec<StateInfo>,
    /// The state at the start of the arm (the baseline boneaxis computes).
    pub initial: Vec<f64>,
    /// Node of `dy/dt` per state.
    pub derivatives: Vec<u32>,
    /// Named signals and their nodes.
    pub signals: Vec<(String, u32)>,
    /// Scheduled inputs: value at 0 and (time, value) changes after.
    pub schedule: Vec<ScheduledInput>,
    pub drugs: Vec<DrugBlock>,
    /// Node of the body weight signal (drug concentrations divide by it).
    pub body_weight: u32,
}

fn refuse(study: &Study, arm: &ArmSpec, what: &str) -> Error {
    Error::Analysis(format!(
        "scenario `{}`, arm `{}`: {what} cannot be exported yet",
        study.name, arm.name
    ))
}

/// Traces one arm (by name) of a study.
pub fn trace_arm(study: &Study, arm_name: &str) -> Result<ArmTrace, Error> {
    let arm = study
        .arms
        .iter()
        .find(|a| a.name == arm_name)
        .ok_or_else(|| {
            let names: Vec<&str> = study.arms.iter().map(|a| a.name.as_str()).collect();
            Error::Analysis(format!(
                "no arm `{arm_name}` in scenario `{}` (arms: {})",
                study.name,
                names.join(", ")
            ))
        })?;
    if arm.protocol.ovariectomy.is_some() {
        return Err(refuse(study, arm, "ovariectomy"));
    }
    let model = arm_model(study, arm)?;
    let integrator = Diffsol {
        options: study.solver,
    };
    let (initial, _) = baseline(&model, study.start_age, &integrator)
        .map_err(|e| Error::Analysis(format!("baseline of arm `{}`: {}", arm.name, e.message)))?;
    let inputs = ArmInputs::with_dosing(&model, &arm.protocol, study.start_age, study.dosing);
    let schedule = schedule(&model, &inputs, study);
    let (traced, tape) = Tape::record(|| trace_equations(study, arm, &model, &initial, &inputs));
    let (derivatives, signals, body_weight, drugs) = traced?;
    Ok(ArmTrace {
        scenario: study.name.clone(),
        arm: arm.name.clone(),
        study: study.clone(),
        tape,
        states: model.states.clone(),
        initial,
        derivatives,
        signals,
        schedule,
        drugs,
        body_weight,
    })
}

type Traced = (Vec<u32>, Vec<(String, u32)>, u32, Vec<DrugBlock>);

fn trace_equations(
    study: &Study,
    arm: &ArmSpec,
    model: &Model,
    initial: &[f64],
    inputs: &ArmInputs,
) -> Result<Traced, Error> {
    let genotype = Genotype::of(&arm.protocol.knockouts, &arm.protocol.expression);
    let traced = Model::traced(
        &study.params,
        study.species,
        study.sex,
        genotype,
        study.switches,
    )?;
    let y: Vec<Expr> = initial
        .iter()
        .enumerate()
        .map(|(i, v)| Expr::state(i, *v))
        .collect();
    let e0 = inputs.exposure(model, 0.0, 0.0, study.start_age, false);
    let input = |name: &str, value: f64| Expr::input(name, value);
    let plasma: [Expr; N_MOIETIES] =
        std::array::from_fn(|i| input(&format!("plasma.{}", Moiety::ALL[i].key()), e0.plasma[i]));
    let exposure = Exposure {
        age_days: input("age_days", study.start_age),
        stress: input("stress", e0.stress),
        plasma,
        exogenous_serotonin_flux: input("exogenous_serotonin_flux", e0.exogenous_serotonin_flux),
        tryptophan: input("tryptophan", e0.tryptophan),
        calcium: input("calcium", e0.calcium),
        vitamin_d: input("vitamin_d", e0.vitamin_d),
        cigarettes_per_day: input("cigarettes_per_day", e0.cigarettes_per_day),
        alcohol_units_per_day: input("alcohol_units_per_day", e0.alcohol_units_per_day),
        inflammation: input("inflammation", e0.inflammation),
        days_since_ovariectomy: None,
    };
    let signals = traced.signals(&y, &exposure);
    let mut dy = vec![Expr::default(); y.len()];
    traced.derivatives(&y, &exposure, &signals, &mut dy);
    let named = signals
        .named()
        .into_iter()
        .map(|(n, e)| (n.to_string(), e.id))
        .collect();
    let mut drugs = Vec::new();
    for (index, trajectory) in inputs.pk() {
        let drug = model.drugs[index].drug;
        let structure = PkStructure::from_params(drug, &TracedParams(&study.params))?;
        let n = structure.n;
        let mut amounts = vec![0.0; n];
        trajectory.amounts_at(0.0, &mut amounts);
        let mut infusion = vec![0.0; n];
        let mut later = Vec::new();
        for e in trajectory.events() {
            match *e {
                PkEvent::ChangeInfusion {
                    time,
                    compartment,
                    change,
                } if time <= 0.0 => infusion[compartment] += change,
                PkEvent::Bolus { time, .. } if time <= 0.0 => {}
                other => later.push(other),
            }
        }
        drugs.push(DrugBlock {
            drug,
            structure,
            initial_amounts: amounts,
            initial_infusion: infusion,
            events: later,
        });
    }
    Ok((
        dy.iter().map(|e| e.id).collect(),
        named,
        signals.body_weight.id,
        drugs,
    ))
}

/// Scheduled inputs at 0 and at every breakpoint after (read as the solver reads them).
fn schedule(model: &Model, inputs: &ArmInputs, study: &Study) -> Vec<ScheduledInput> {
    let at = |t: f64| {
        let e = inputs.exposure(model, t, t, study.start_age + t, false);
        [
            e.stress,
            e.cigarettes_per_day,
            e.alcohol_units_per_day,
            e.inflammation,
            e.tryptophan,
            e.calcium,
            e.vitamin_d,
        ]
    };
    let start = at(0.0);
    let mut changes: Vec<Vec<(f64, f64)>> = vec![Vec::new(); SCHEDULED_INPUTS.len()];
    let mut current = start;
    for b in inputs.protocol().breakpoints() {
        if b <= 0.0 || b > study.duration {
            continue;
        }
        let now = at(b);
        for (k, (old, new)) in current.iter().zip(&now).enumerate() {
            if old != new {
                changes[k].push((b, *new));
            }
        }
        current = now;
    }
    SCHEDULED_INPUTS
        .iter()
        .zip(start)
        .zip(changes)
        .map(|((name, initial), changes)| ScheduledInput {
            name: name.to_string(),
            initial,
            changes,
        })
        .collect()
}

/// Evaluates the traced nodes with the values they were traced at replaced where `value_of`
/// gives one (for parameters, inputs and states); checks that the trace reproduces the model.
pub fn evaluate(tape: &Tape, value_of: impl Fn(&crate::symbolic::Node) -> Option<f64>) -> Vec<f64> {
    use crate::symbolic::Node::*;
    let mut v: Vec<f64> = Vec::with_capacity(tape.nodes.len());
    for (node, traced) in &tape.nodes {
        let x = |i: &u32| v[*i as usize];
        let value = match node {
            Constant(c) => *c,
            Parameter(_) | Input(_) | State(_) => value_of(node).unwrap_or(*traced),
            Add(a, b) => x(a) + x(b),
            Sub(a, b) => x(a) - x(b),
            Mul(a, b) => x(a) * x(b),
            Div(a, b) => x(a) / x(b),
            Neg(a) => -x(a),
            Exp(a) => x(a).exp(),
            Ln(a) => x(a).ln(),
            Tanh(a) => x(a).tanh(),
            Sqrt(a) => x(a).sqrt(),
            Pow(a, b) => x(a).powf(x(b)),
            Max(a, b) => x(a).max(x(b)),
            Min(a, b) => x(a).min(x(b)),
        };
        v.push(value);
    }
    v
}

/// Tolerances of the reference trajectory: tight, so that a comparison with another
/// simulator measures the equations rather than the solvers.
pub const REFERENCE_SOLVER: SolverOptions = SolverOptions {
    rtol: 1e-9,
    atol: 1e-12,
    max_steps: 10_000_000,
    method: Method::Bdf,
};

/// boneaxis's own states of an arm at the scenario's sample times, dosed as in the export
/// (the scenario's `[solver] dosing`), with the tight [`REFERENCE_SOLVER`]: what an exported model is checked against.
pub fn state_trajectory(study: &Study, arm_name: &str) -> Result<(Vec<f64>, Vec<Vec<f64>>), Error> {
    state_trajectory_with(study, arm_name, REFERENCE_SOLVER)
}

/// [`state_trajectory`] with other solver options (e.g. the scenario's own, to measure their
/// error against the reference).
pub fn state_trajectory_with(
    study: &Study,
    arm_name: &str,
    options: SolverOptions,
) -> Result<(Vec<f64>, Vec<Vec<f64>>), Error> {
    let arm = study
        .arms
        .iter()
        .find(|a| a.name == arm_name)
        .ok_or_else(|| Error::Analysis(format!("no arm `{arm_name}`")))?;
    let model = arm_model(study, arm)?;
    let integrator = Diffsol { options };
    let fail = |e: crate::engine::EngineError| {
        Error::from(crate::error::SolveError {
            scenario: study.name.clone(),
            arm: arm.name.clone(),
            subject: None,
            time_days: e.time,
            message: e.message,
        })
    };
    let (y0, _) = baseline(&model, study.start_age, &integrator).map_err(fail)?;
    let inputs = ArmInputs::with_dosing(&model, &arm.protocol, study.start_age, study.dosing);
    let system = crate::protocol::ArmSystem::new(&model, &inputs);
    let traj = crate::engine::Integrator::integrate(
        &integrator,
        &system,
        0.0,
        &y0,
        &arm.protocol.breakpoints(),
        &study.sample_times,
    )
    .map_err(fail)?;
    Ok((traj.times, traj.states))
}
