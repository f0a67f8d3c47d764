//! One patient, the validation library and the parameter catalog.

use crate::py_err;
use boneaxis::clinical::patient::{self as clinic, PatientSpec};
use boneaxis::params::Catalog;
use boneaxis::species::{Sex, Species};
use boneaxis::validation::{hypothesis, load_cases, run_case, scores, Verdict};
use boneaxis::Error;
use pyo3::prelude::*;
use std::path::Path;

fn json_error(e: serde_json::Error) -> PyErr {
    py_err(Error::Analysis(format!("JSON: {e}")))
}

/// The report (JSON) for one person described by `spec` (JSON of a patient file's fields).
#[pyfunction]
fn patient(py: Python<'_>, spec: &str, source: &str) -> PyResult<String> {
    let spec: PatientSpec = serde_json::from_str(spec).map_err(|e| {
        py_err(Error::Patient {
            source_name: source.to_string(),
            field: "(arguments)".into(),
            message: e.to_string(),
        })
    })?;
    let person = clinic::Patient::from_spec(&spec, source).map_err(py_err)?;
    let report = py.detach(move || clinic::run(&person)).map_err(py_err)?;
    serde_json::to_string(&report).map_err(json_error)
}

/// A patient file's fields (JSON), checked as `boneaxis patient --file` checks them.
#[pyfunction]
fn read_patient_file(path: &str) -> PyResult<String> {
    let spec = clinic::spec::read_file(Path::new(path)).map_err(py_err)?;
    serde_json::to_string(&spec).map_err(json_error)
}

/// Runs the validation cases below `dir` (those whose name contains `filter`): every observation
/// with its published and simulated value (JSON), the summary scores and, if asked, what each
/// hypothesis of `dir/hypotheses.toml` gains and loses on those cases.
#[pyfunction]
#[pyo3(signature = (dir, filter=None, hypotheses=false))]
fn validate(py: Python<'_>, dir: &str, filter: Option<&str>, hypotheses: bool) -> PyResult<String> {
    let cases: Vec<_> = load_cases(Path::new(dir))
        .map_err(py_err)?
        .into_iter()
        .filter(|c| filter.is_none_or(|f| c.id.contains(f)))
        .collect();
    let results = py
        .detach(move || cases.iter().map(run_case).collect::<Result<Vec<_>, _>>())
        .map_err(py_err)?;
    let mut rows = Vec::new();
    for c in &results {
        for (ob, r) in c.case.observations.iter().zip(&c.observations) {
            let reason = match r.verdict {
                Verdict::Fail => ob.known_failure.clone(),
                Verdict::Pending => ob.pending.clone(),
                Verdict::Pass => None,
            };
            rows.push(serde_json::json!({
                "case": c.case.id,
                "id": ob.id,
                "finding": ob.finding,
                "role": c.case.role,
                "evidence": ob.status,
                "measure": ob.measure,
                "expected_direction": ob.expect,
                "observed": ob.observed,
                "low": ob.range.map(|r| r[0]),
                "high": ob.range.map(|r| r[1]),
                "unit": ob.unit,
                "simulated": r.simulated,
                "verdict": r.verdict,
                "direction_right": r.direction_right,
                "log_fold_error": r.log_fold_error,
                "within_range": r.within_range,
                "reason": reason,
                "failure_class": (r.verdict == Verdict::Fail).then_some(ob.failure_class).flatten(),
            }));
        }
    }
    let s = scores(results.iter().flat_map(|c| &c.observations));
    let tested = if hypotheses {
        let list = hypothesis::load(&Path::new(dir).join("hypotheses.toml")).map_err(py_err)?;
        py.detach(|| {
            list.iter()
                .map(|h| hypothesis::run(h, &results, &|| {}).map(|r| hypothesis_json(&r)))
                .collect::<Result<Vec<_>, _>>()
        })
        .map_err(py_err)?
    } else {
        Vec::new()
    };
    Ok(serde_json::json!({ "observations": rows, "scores": s, "hypotheses": tested }).to_string())
}

fn hypothesis_json(r: &hypothesis::HypothesisResult) -> serde_json::Value {
    let h = &r.hypothesis;
    let species: Vec<&str> = h.species.iter().map(|s| s.name()).collect();
    let parameters: serde_json::Map<String, serde_json::Value> = h
        .parameters
        .iter()
        .map(|(n, v)| (n.clone(), serde_json::json!(v)))
        .collect();
    serde_json::json!({
        "id": h.id,
        "claim": h.claim,
        "source": h.source,
        "species": species,
        "pathways": h.pathway_names,
        "parameters": parameters,
        "observations": r.observations,
        "passing_default": r.passing_default,
        "passing_under": r.passing_under,
        "gained": r.gained().collect::<Vec<_>>(),
        "lost": r.lost().collect::<Vec<_>>(),
    })
}

/// The parameters of one species and sex with their provenance (JSON list).
#[pyfunction]
fn params(species: &str, sex: &str) -> PyResult<String> {
    let bad =
        |field: &str, message: String| py_err(Error::Analysis(format!("`{field}`: {message}")));
    let species = match species {
        "mouse" => Species::Mouse,
        "rat" => Species::Rat,
        "human" => Species::Human,
        other => {
            return Err(bad(
                "species",
                format!("`{other}`; expected mouse, rat or human"),
            ))
        }
    };
    let sex = match sex {
        "female" => Sex::Female,
        "male" => Sex::Male,
        other => return Err(bad("sex", format!("`{other}`; expected female or male"))),
    };
    let catalog = Catalog::embedded().map_err(py_err)?;
    serde_json::to_string(&catalog.entries_for(species, sex)).map_err(json_error)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(patient, m)?)?;
    m.add_function(wrap_pyfunction!(read_patient_file, m)?)?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(params, m)?)?;
    Ok(())
}
