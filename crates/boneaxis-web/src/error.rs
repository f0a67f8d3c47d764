//! API errors: every failure is JSON `{"error": {"kind", "message", "field"}}` with a status
//! that says whose fault it is (4xx: the request; 5xx: the server or the solver).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiError {
    #[serde(skip)]
    pub status: StatusCode,
    pub kind: &'static str,
    pub message: String,
    /// The request field that caused it, when one did (`age`, `arm[1].drug[0].dose`, …).
    pub field: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            kind,
            message: message.into(),
            field: None,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// A request beyond one of the server's bounds (duration, population size).
    pub fn bound(field: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "bound", message).at(field)
    }

    pub fn at(mut self, field: &str) -> Self {
        self.field = (!field.is_empty()).then(|| field.to_string());
        self
    }
}

impl From<boneaxis::Error> for ApiError {
    fn from(e: boneaxis::Error) -> Self {
        use boneaxis::Error as E;
        let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
        match e {
            E::Scenario(s) => ApiError::new(unprocessable, "scenario", s.message).at(&s.field),
            E::Patient { field, message, .. } => {
                ApiError::new(unprocessable, "patient", message).at(&field)
            }
            E::Param(p) => ApiError::new(unprocessable, "parameter", p.to_string()),
            E::Analysis(m) | E::Calibration(m) => ApiError::new(unprocessable, "analysis", m),
            E::Solve(s) => {
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "solver", s.to_string())
            }
            E::Io { .. } => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "io", e.to_string()),
        }
    }
}

#[derive(Serialize)]
struct Body<'a> {
    error: &'a ApiError,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(Body { error: &self })).into_response()
    }
}
