//! Scenarios: the shipped ones (embedded), conversion from and to JSON, and running one.

use crate::columns::Long;
use crate::{py_err, study_of};
use boneaxis::error::ScenarioError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Names and texts of the shipped scenarios.
#[pyfunction]
fn shipped_scenarios() -> Vec<(&'static str, &'static str)> {
    boneaxis::scenario::shipped::SHIPPED.to_vec()
}

fn input_error(source: &str, message: String) -> PyErr {
    py_err(ScenarioError {
        file: source.to_string(),
        line: None,
        column: None,
        field: String::new(),
        message,
    })
}

/// TOML text of a scenario given as JSON (a Python dict dumped by `json.dumps`).
#[pyfunction]
fn scenario_from_json(json: &str, source: &str) -> PyResult<String> {
    let table: toml::Table = serde_json::from_str(json)
        .map_err(|e| input_error(source, format!("not a scenario table: {e}")))?;
    toml::to_string(&table).map_err(|e| input_error(source, format!("cannot write TOML: {e}")))
}

/// JSON of a scenario's TOML text (for `Scenario.to_dict`).
#[pyfunction]
fn scenario_to_json(text: &str, source: &str) -> PyResult<String> {
    study_of(text, source)?;
    let table: toml::Table =
        toml::from_str(text).map_err(|e| input_error(source, e.message().to_string()))?;
    serde_json::to_string(&table).map_err(|e| input_error(source, e.to_string()))
}

/// What a scenario holds: name, species, sex, arms, readouts, duration, population size.
#[pyfunction]
fn scenario_info<'py>(py: Python<'py>, text: &str, source: &str) -> PyResult<Bound<'py, PyDict>> {
    let study = study_of(text, source)?;
    let d = PyDict::new(py);
    d.set_item("name", &study.name)?;
    d.set_item("title", &study.title)?;
    d.set_item("species", study.species.to_string())?;
    d.set_item("sex", study.sex.to_string())?;
    d.set_item(
        "arms",
        study
            .arms
            .iter()
            .map(|a| a.name.clone())
            .collect::<Vec<_>>(),
    )?;
    d.set_item("readouts", &study.readouts)?;
    d.set_item("duration_days", study.duration)?;
    d.set_item("population_size", study.population.as_ref().map(|p| p.size))?;
    d.set_item("population_seed", study.population.as_ref().map(|p| p.seed))?;
    Ok(d)
}

/// Runs every arm of a scenario (GIL released); long-format columns.
#[pyfunction]
fn run<'py>(py: Python<'py>, text: &str, source: &str) -> PyResult<Bound<'py, PyDict>> {
    let study = study_of(text, source)?;
    let result = py
        .detach(move || boneaxis::simulate::run_study(&study, |_, _| {}))
        .map_err(py_err)?;
    let mut long = Long::default();
    long.add(None, &result);
    long.into_py(py)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(shipped_scenarios, m)?)?;
    m.add_function(wrap_pyfunction!(scenario_from_json, m)?)?;
    m.add_function(wrap_pyfunction!(scenario_to_json, m)?)?;
    m.add_function(wrap_pyfunction!(scenario_info, m)?)?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    Ok(())
}
