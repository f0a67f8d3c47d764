//! Error types. Every error says where it happened in words a user can act on: the file, line
//! and field of a scenario; the parameter and catalog file; the scenario, arm and time of a
//! solver failure.

use std::fmt;

/// Any error the library returns.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    #[error(transparent)]
    Param(#[from] ParamError),
    #[error(transparent)]
    Solve(#[from] SolveError),
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    /// A calibration that cannot be set up or fails (names the species and the reason).
    #[error("calibration: {0}")]
    Calibration(String),
    /// An analysis, study, export or import that cannot be set up (an unknown or unbounded
    /// parameter, arm or readout, a file boneaxis cannot read back); the message says where.
    #[error("{0}")]
    Analysis(String),
    /// A patient description out of range or incomplete: the field and what it allows.
    #[error("{source_name}: field `{field}`: {message}")]
    Patient {
        /// The file or "command line" the description came from.
        source_name: String,
        field: String,
        message: String,
    },
}

impl Error {
    /// Errors caused by the user's input (exit code 2 in the CLI) as opposed to failures of a run.
    pub fn is_input_error(&self) -> bool {
        matches!(
            self,
            Error::Scenario(_)
                | Error::Param(_)
                | Error::Io { .. }
                | Error::Calibration(_)
                | Error::Analysis(_)
                | Error::Patient { .. }
        )
    }
}

/// A problem in a scenario file: where it is and what was expected.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioError {
    pub file: String,
    /// 1-based line and column, when the location is known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Dotted path of the offending field, e.g. `arm[2].drug[0].dose`.
    pub field: String,
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if self.field.is_empty() {
            write!(f, ": {}", self.message)
        } else {
            write!(f, ": field `{}`: {}", self.field, self.message)
        }
    }
}

impl std::error::Error for ScenarioError {}

/// A problem with the parameter catalog or a parameter override.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("parameter `{name}`{}: {message}", location.as_ref().map(|l| format!(" ({l})")).unwrap_or_default())]
pub struct ParamError {
    pub name: String,
    /// The catalog file or scenario that holds the parameter, when known.
    pub location: Option<String>,
    pub message: String,
}

impl ParamError {
    pub fn new(name: impl Into<String>, message: impl Into<String>) -> Self {
        ParamError {
            name: name.into(),
            location: None,
            message: message.into(),
        }
    }
}

/// A failure of the ODE solver, with the context needed to reproduce it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("solver failed in scenario `{scenario}`, arm `{arm}`{}, at t = {time_days:.4} days: {message}", subject.map(|s| format!(", subject {s}")).unwrap_or_default())]
pub struct SolveError {
    pub scenario: String,
    pub arm: String,
    pub subject: Option<usize>,
    pub time_days: f64,
    pub message: String,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
