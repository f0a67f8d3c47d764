//! Virtual populations: running subjects (all of them, or one shard) and the study's analyses
//! from gathered rows.

use crate::columns::{Long, Subjects};
use crate::{py_err, study_of};
use boneaxis::population::rows::{self, LongRow};
use boneaxis::population::{run, Population};
use boneaxis::simulate::Study;
use boneaxis::Error;
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// The scenario's population, resized to `size` when given.
fn population(study: &Study, source: &str, size: Option<usize>) -> PyResult<Population> {
    let mut pop = study.population.clone().ok_or_else(|| {
        py_err(Error::Analysis(format!(
            "{source}: has no [population] section; `run` simulates one individual"
        )))
    })?;
    if let Some(n) = size {
        pop.size = n.max(1);
    }
    Ok(pop)
}

fn bar(len: usize, show: bool) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "subjects [{bar:40}] {pos}/{len}, {per_sec}, ETA {eta}",
        )
        .expect("a valid template")
        .progress_chars("=> "),
    );
    bar
}

/// Runs subjects `first..last` of the population (all by default), in parallel with the GIL
/// released; returns the subjects' table and their long-format results.
#[pyfunction]
#[pyo3(signature = (text, source, size=None, first=0, last=None, chunk=256, progress=false))]
#[allow(clippy::too_many_arguments)]
fn run_subjects<'py>(
    py: Python<'py>,
    text: &str,
    source: &str,
    size: Option<usize>,
    first: usize,
    last: Option<usize>,
    chunk: usize,
    progress: bool,
) -> PyResult<(Bound<'py, PyDict>, Bound<'py, PyDict>)> {
    let study = study_of(text, source)?;
    let pop = population(&study, source, size)?;
    let last = last.unwrap_or(pop.size).min(pop.size);
    let first = first.min(last);
    let (subjects, long) = py
        .detach(move || {
            let mut subjects = Subjects::new(&pop);
            let mut long = Long::default();
            let bar = bar(last - first, progress);
            run::run_range(&study, &pop, first..last, chunk, &|| bar.inc(1), |s, r| {
                subjects.add(s);
                long.add(Some(s.index), r);
                Ok(())
            })?;
            bar.finish_and_clear();
            Ok::<_, Error>((subjects, long))
        })
        .map_err(py_err)?;
    Ok((subjects.into_py(py)?, long.into_py(py)?))
}

/// The study's analyses (JSON) from long-format rows in increasing subject order; the strings
/// come as categorical codes and categories.
#[pyfunction]
#[pyo3(signature = (text, source, size, subject, arm, arms, time, variable, variables, units, value))]
#[allow(clippy::too_many_arguments)]
fn analyse(
    py: Python<'_>,
    text: &str,
    source: &str,
    size: Option<usize>,
    subject: PyReadonlyArray1<'_, u64>,
    arm: PyReadonlyArray1<'_, u32>,
    arms: Vec<String>,
    time: PyReadonlyArray1<'_, f64>,
    variable: PyReadonlyArray1<'_, u32>,
    variables: Vec<String>,
    units: Vec<String>,
    value: PyReadonlyArray1<'_, f64>,
) -> PyResult<String> {
    let study = study_of(text, source)?;
    let pop = population(&study, source, size)?;
    let columns = (
        subject.as_slice()?,
        arm.as_slice()?,
        time.as_slice()?,
        variable.as_slice()?,
        value.as_slice()?,
    );
    let n = columns.0.len();
    if [
        columns.1.len(),
        columns.2.len(),
        columns.3.len(),
        columns.4.len(),
    ] != [n; 4]
        || units.len() != variables.len()
    {
        return Err(py_err(Error::Analysis(
            "the result columns differ in length".into(),
        )));
    }
    let mut rows = Vec::with_capacity(n);
    for i in 0..n {
        let (Some(a), Some(v)) = (
            category(&arms, columns.1[i]),
            category(&variables, columns.3[i]),
        ) else {
            return Err(py_err(Error::Analysis(format!(
                "row {i}: a category code out of range"
            ))));
        };
        rows.push(LongRow {
            subject: columns.0[i] as usize,
            arm: a,
            time: columns.2[i],
            variable: v,
            unit: &units[columns.3[i] as usize],
            value: columns.4[i],
        });
    }
    let results = py
        .detach(move || rows::analyse(&study, &pop, rows))
        .map_err(py_err)?;
    serde_json::to_string(&results).map_err(|e| py_err(Error::Analysis(e.to_string())))
}

fn category(names: &[String], code: u32) -> Option<&str> {
    names.get(code as usize).map(String::as_str)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(run_subjects, m)?)?;
    m.add_function(wrap_pyfunction!(analyse, m)?)?;
    Ok(())
}
