//! SBML export of one arm and boneaxis's reference states of it.

use crate::{py_err, study_of};
use boneaxis::export::{python, sbml, trace};
use numpy::{IntoPyArray, PyArray1, PyArray2};
use pyo3::prelude::*;

fn arm_name(study: &boneaxis::simulate::Study, arm: Option<String>) -> String {
    arm.unwrap_or_else(|| study.arms[study.control].name.clone())
}

/// The SBML document (text) of one arm (default: the control arm).
#[pyfunction]
#[pyo3(signature = (text, source, arm=None))]
fn export_sbml(py: Python<'_>, text: &str, source: &str, arm: Option<String>) -> PyResult<String> {
    let study = study_of(text, source)?;
    let arm = arm_name(&study, arm);
    let text = text.to_string();
    py.detach(move || {
        let traced = trace::trace_arm(&study, &arm)?;
        sbml::write(&traced, Some(&text))
    })
    .map_err(py_err)
}

/// The arm's equations as a Python module (text) and the driver's data (JSON: initial state,
/// inputs, events), as `boneaxis bench --peer scipy` uses them.
#[pyfunction]
#[pyo3(signature = (text, source, arm=None))]
fn export_python(
    py: Python<'_>,
    text: &str,
    source: &str,
    arm: Option<String>,
) -> PyResult<(String, String)> {
    let study = study_of(text, source)?;
    let arm = arm_name(&study, arm);
    py.detach(move || {
        let traced = trace::trace_arm(&study, &arm)?;
        Ok::<_, boneaxis::Error>((python::write(&traced), python::events(&traced).to_string()))
    })
    .map_err(py_err)
}

/// Scenario text, arm, and changes (name, exported value, imported value).
type Imported = (String, String, Vec<(String, f64, f64)>);

/// Reads back an exported SBML document with changed parameter values: the scenario text with
/// the changes as overrides, the arm, and the changes (name, exported, imported; canonical).
#[pyfunction]
fn import_sbml(py: Python<'_>, document: &str, source: &str) -> PyResult<Imported> {
    let document = document.to_string();
    let source = source.to_string();
    let imported = py
        .detach(move || boneaxis::export::import::import(&document, &source))
        .map_err(py_err)?;
    Ok((imported.scenario, imported.arm, imported.changes))
}

type States<'py> = (
    Vec<String>,
    Vec<f64>,
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray2<f64>>,
);

/// boneaxis's states of one arm at the sample times (tight BDF reference): SBML ids, scales,
/// times (days) and a times × states array.
#[pyfunction]
#[pyo3(signature = (text, source, arm=None))]
fn reference_states<'py>(
    py: Python<'py>,
    text: &str,
    source: &str,
    arm: Option<String>,
) -> PyResult<States<'py>> {
    let study = study_of(text, source)?;
    let arm = arm_name(&study, arm);
    let (model, times, states) = py
        .detach(move || {
            let (times, states) = trace::state_trajectory(&study, &arm)?;
            let spec = study
                .arms
                .iter()
                .find(|a| a.name == arm)
                .expect("checked above");
            Ok::<_, boneaxis::Error>((boneaxis::simulate::arm_model(&study, spec)?, times, states))
        })
        .map_err(py_err)?;
    let (ids, scales): (Vec<String>, Vec<f64>) = model
        .states
        .iter()
        .map(|s| (sbml::sid(&s.name), s.scale))
        .unzip();
    let rows: Vec<Vec<f64>> = states;
    let array = PyArray2::from_vec2(py, &rows)
        .map_err(|e| py_err(boneaxis::Error::Analysis(e.to_string())))?;
    Ok((ids, scales, times.into_pyarray(py), array))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(export_sbml, m)?)?;
    m.add_function(wrap_pyfunction!(reference_states, m)?)?;
    m.add_function(wrap_pyfunction!(export_python, m)?)?;
    m.add_function(wrap_pyfunction!(import_sbml, m)?)?;
    Ok(())
}
