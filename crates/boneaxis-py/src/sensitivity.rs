//! Global sensitivity: a plan (factors and design points), evaluation of any range of its
//! points, and the indices from all outputs. Pieces evaluated anywhere give the same indices.

use crate::{py_err, study_of};
use boneaxis::sensitivity::plan::{Method, Plan, Settings};
use boneaxis::sensitivity::{Evaluator, Outputs, Target};
use boneaxis::units::{Dimension, Quantity};
use boneaxis::Error;
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;

/// What to analyse and how, as the Python package sends it (JSON).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    readout: String,
    arm: String,
    versus: Option<String>,
    /// A duration such as "4 weeks"; the end of the study by default.
    at: Option<String>,
    params: Vec<String>,
    method: String,
    samples: Option<usize>,
    seed: u64,
}

fn prepare(text: &str, source: &str, spec: &str) -> PyResult<(Plan, Evaluator)> {
    let spec: Spec = serde_json::from_str(spec)
        .map_err(|e| py_err(Error::Analysis(format!("bad specification: {e}"))))?;
    let study = study_of(text, source)?;
    let at = match &spec.at {
        Some(t) => Quantity::parse_canonical(t, Dimension::Time)
            .map_err(|m| py_err(Error::Analysis(format!("at: {m}"))))?,
        None => study.duration,
    };
    let target = Target {
        readout: spec.readout,
        arm: spec.arm,
        versus: spec.versus,
        at,
    };
    let settings = Settings {
        method: Method::parse(&spec.method).map_err(py_err)?,
        samples: spec.samples,
        seed: spec.seed,
    };
    let plan = Plan::new(&study, &target, &spec.params, settings).map_err(py_err)?;
    let evaluator = Evaluator::new(study, target).map_err(py_err)?;
    Ok((plan, evaluator))
}

/// The plan: number of design points and the factors (JSON list with name, unit, low, high, log).
#[pyfunction]
fn sensitivity_plan(text: &str, source: &str, spec: &str) -> PyResult<(usize, String)> {
    let (plan, _) = prepare(text, source, spec)?;
    let factors =
        serde_json::to_string(&plan.factors).map_err(|e| py_err(Error::Analysis(e.to_string())))?;
    Ok((plan.points.len(), factors))
}

/// Outputs at design points `first..last` (NaN where the model failed) and the first failure.
#[pyfunction]
fn sensitivity_eval<'py>(
    py: Python<'py>,
    text: &str,
    source: &str,
    spec: &str,
    first: usize,
    last: usize,
) -> PyResult<(Bound<'py, PyArray1<f64>>, Option<String>)> {
    let (plan, evaluator) = prepare(text, source, spec)?;
    let last = last.min(plan.points.len());
    let first = first.min(last);
    let outputs = py.detach(move || {
        evaluator.eval_points(&plan.factors, &plan.points[first..last], first, &|| {})
    });
    let values: Vec<f64> = outputs
        .values
        .iter()
        .map(|v| v.unwrap_or(f64::NAN))
        .collect();
    Ok((values.into_pyarray(py), outputs.first_failure))
}

/// The indices (JSON: header and rows) from the outputs of every point, in design order.
#[pyfunction]
fn sensitivity_analyse(
    text: &str,
    source: &str,
    spec: &str,
    values: PyReadonlyArray1<'_, f64>,
) -> PyResult<String> {
    let (plan, _) = prepare(text, source, spec)?;
    let outputs = Outputs {
        values: values
            .as_slice()?
            .iter()
            .map(|v| Some(*v).filter(|v| v.is_finite()))
            .collect(),
        first_failure: None,
    };
    if outputs.mostly_failed() {
        return Err(py_err(Error::Analysis(format!(
            "{} of {} runs failed; narrow the parameter ranges",
            outputs.failures(),
            outputs.values.len()
        ))));
    }
    let rows = plan.analyse(&outputs).map_err(py_err)?;
    let rows: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            let f = plan.factors.iter().find(|f| f.name == r.name);
            serde_json::json!({
                "parameter": r.name,
                "unit": f.map(|f| f.unit.clone()),
                "low": f.map(|f| f.low),
                "high": f.map(|f| f.high),
                "log": f.map(|f| f.log),
                "indices": r.columns,
            })
        })
        .collect();
    Ok(serde_json::json!({ "header": plan.header(), "rows": rows }).to_string())
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(sensitivity_plan, m)?)?;
    m.add_function(wrap_pyfunction!(sensitivity_eval, m)?)?;
    m.add_function(wrap_pyfunction!(sensitivity_analyse, m)?)?;
    Ok(())
}
