//! Each kind of boneaxis error is its own Python exception class, with the CLI's message and
//! the error's fields as attributes.

use boneaxis::Error;
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(
    boneaxis,
    BoneaxisError,
    PyException,
    "Base class of every boneaxis error."
);
create_exception!(
    boneaxis,
    ScenarioError,
    BoneaxisError,
    "A scenario that cannot be read: `file`, `line`, `column`, `field`."
);
create_exception!(
    boneaxis,
    ParameterError,
    BoneaxisError,
    "An unknown parameter or a value outside its bounds: `name`, `location`."
);
create_exception!(
    boneaxis,
    SolverError,
    BoneaxisError,
    "The ODE solver failed: `scenario`, `arm`, `subject` (or None), `time_days`."
);
create_exception!(
    boneaxis,
    PatientError,
    BoneaxisError,
    "A patient description out of range: `source`, `field`."
);
create_exception!(
    boneaxis,
    AnalysisError,
    BoneaxisError,
    "A study or sensitivity analysis that cannot be set up."
);
create_exception!(
    boneaxis,
    CalibrationError,
    BoneaxisError,
    "A calibration that cannot be set up or fails."
);
create_exception!(
    boneaxis,
    BoneaxisIOError,
    BoneaxisError,
    "A file that cannot be read or written: `path`."
);

/// The Python exception of a boneaxis error; the message is the CLI's.
pub fn to_py(e: Error) -> PyErr {
    let message = e.to_string();
    Python::attach(|py| {
        let err = match &e {
            Error::Scenario(_) => ScenarioError::new_err(message),
            Error::Param(_) => ParameterError::new_err(message),
            Error::Solve(_) => SolverError::new_err(message),
            Error::Patient { .. } => PatientError::new_err(message),
            Error::Analysis(_) => AnalysisError::new_err(message),
            Error::Calibration(_) => CalibrationError::new_err(message),
            Error::Io { .. } => BoneaxisIOError::new_err(message),
        };
        // Setting an attribute on a fresh exception object does not fail.
        let _ = set_fields(err.value(py), e);
        err
    })
}

fn set_fields(v: &Bound<'_, pyo3::exceptions::PyBaseException>, e: Error) -> PyResult<()> {
    match e {
        Error::Scenario(s) => {
            v.setattr("file", s.file)?;
            v.setattr("line", s.line)?;
            v.setattr("column", s.column)?;
            v.setattr("field", s.field)?;
        }
        Error::Param(p) => {
            v.setattr("name", p.name)?;
            v.setattr("location", p.location)?;
        }
        Error::Solve(s) => {
            v.setattr("scenario", s.scenario)?;
            v.setattr("arm", s.arm)?;
            v.setattr("subject", s.subject)?;
            v.setattr("time_days", s.time_days)?;
        }
        Error::Patient {
            source_name, field, ..
        } => {
            v.setattr("source", source_name)?;
            v.setattr("field", field)?;
        }
        Error::Io { path, .. } => v.setattr("path", path)?,
        Error::Analysis(_) | Error::Calibration(_) => {}
    }
    Ok(())
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("BoneaxisError", py.get_type::<BoneaxisError>())?;
    m.add("ScenarioError", py.get_type::<ScenarioError>())?;
    m.add("ParameterError", py.get_type::<ParameterError>())?;
    m.add("SolverError", py.get_type::<SolverError>())?;
    m.add("PatientError", py.get_type::<PatientError>())?;
    m.add("AnalysisError", py.get_type::<AnalysisError>())?;
    m.add("CalibrationError", py.get_type::<CalibrationError>())?;
    m.add("BoneaxisIOError", py.get_type::<BoneaxisIOError>())?;
    Ok(())
}
