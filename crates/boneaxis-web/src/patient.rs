//! `POST /api/patient`: one person's what-if — the same computation and JSON as
//! `boneaxis patient --json`.

use crate::error::ApiError;
use crate::json::JsonBody;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use boneaxis::clinical::patient::{self, PatientReport, PatientSpec};

pub async fn what_if(
    State(state): State<AppState>,
    JsonBody(spec): JsonBody<PatientSpec>,
) -> Result<Json<PatientReport>, ApiError> {
    let report = state
        .gate
        .run(move || {
            let person = patient::Patient::from_spec(&spec, "request")?;
            Ok(patient::run(&person)?)
        })
        .await?;
    Ok(Json(report))
}
