//! Scenarios: the shipped list, one scenario's text, and running one (with overrides) as the
//! typical individual of each arm, or as a bounded virtual population (`/api/study`).

use crate::error::ApiError;
use crate::json::JsonBody;
use crate::limits::Limits;
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use boneaxis::scenario::{self, shipped};
use boneaxis::simulate::{run_study, ReadoutInfo, Study};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// A shipped scenario as listed to users.
#[derive(Serialize)]
pub struct ScenarioInfo {
    name: String,
    title: String,
    description: Option<String>,
    species: String,
    sex: String,
    duration_days: f64,
    control: String,
    arms: Vec<ArmInfo>,
    readouts: Vec<String>,
    population_size: Option<usize>,
}

#[derive(Serialize)]
struct ArmInfo {
    name: String,
    description: Option<String>,
}

fn info(study: &Study, text: &str) -> ScenarioInfo {
    let description = toml::from_str::<toml::Table>(text).ok().and_then(|t| {
        t.get("scenario")?
            .get("description")?
            .as_str()
            .map(String::from)
    });
    ScenarioInfo {
        name: study.name.clone(),
        title: study.title.clone(),
        description,
        species: study.species.to_string(),
        sex: study.sex.to_string(),
        duration_days: study.duration,
        control: study.arms[study.control].name.clone(),
        arms: study
            .arms
            .iter()
            .map(|a| ArmInfo {
                name: a.name.clone(),
                description: a.description.clone(),
            })
            .collect(),
        readouts: study.readouts.clone(),
        population_size: study.population.as_ref().map(|p| p.size),
    }
}

/// `GET /api/scenarios`
pub async fn list() -> Result<Json<Vec<ScenarioInfo>>, ApiError> {
    let mut out = Vec::new();
    for (name, text) in shipped::SHIPPED {
        let study = scenario::load_str(text, name).map_err(boneaxis::Error::from)?;
        out.push(info(&study, text));
    }
    Ok(Json(out))
}

/// `GET /api/scenarios/{name}`
pub async fn get(Path(name): Path<String>) -> Result<Json<Value>, ApiError> {
    let text = shipped_text(&name)?;
    let study = scenario::load_str(text, &name).map_err(boneaxis::Error::from)?;
    Ok(Json(json!({"scenario": info(&study, text), "toml": text})))
}

fn shipped_text(name: &str) -> Result<&'static str, ApiError> {
    shipped::text(name).ok_or_else(|| {
        let known: Vec<&str> = shipped::SHIPPED.iter().map(|(n, _)| *n).collect();
        ApiError::bad_request(format!(
            "unknown scenario `{name}`; shipped: {}",
            known.join(", ")
        ))
        .at("scenario")
    })
}

/// The body of `/api/run` and `/api/study`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunRequest {
    /// A shipped scenario's name…
    scenario: Option<String>,
    /// …or a scenario file's text.
    toml: Option<String>,
    /// A table merged into the scenario's (tables merge key by key; other values replace).
    #[serde(default)]
    overrides: Option<serde_json::Map<String, Value>>,
}

/// The scenario a request names, with its overrides applied and the server's bounds checked.
fn resolve(req: RunRequest, limits: &Limits) -> Result<Study, ApiError> {
    let (text, source) = match (&req.scenario, &req.toml) {
        (Some(name), None) => (shipped_text(name)?.to_string(), name.clone()),
        (None, Some(text)) => (text.clone(), "request".to_string()),
        _ => return Err(ApiError::bad_request(
            "give either `scenario` (a shipped scenario's name) or `toml` (a scenario file's text)",
        )),
    };
    let text = match req.overrides {
        Some(overrides) => with_overrides(&text, &source, overrides)?,
        None => text,
    };
    let study = scenario::load_str(&text, &source).map_err(boneaxis::Error::from)?;
    check_bounds(&study, limits)?;
    Ok(study)
}

fn with_overrides(
    text: &str,
    source: &str,
    overrides: serde_json::Map<String, Value>,
) -> Result<String, ApiError> {
    let mut table: toml::Table =
        toml::from_str(text).map_err(|e| scenario_parse_error(source, &e.to_string()))?;
    let overrides: toml::Table = serde_json::from_value(Value::Object(overrides))
        .map_err(|e| ApiError::bad_request(format!("overrides: {e}")).at("overrides"))?;
    merge(&mut table, overrides);
    toml::to_string(&table)
        .map_err(|e| ApiError::bad_request(format!("overrides: {e}")).at("overrides"))
}

fn scenario_parse_error(source: &str, message: &str) -> ApiError {
    ApiError::new(
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        "scenario",
        format!("{source}: {message}"),
    )
}

/// Merges `over` into `base`: tables key by key, anything else replaced.
fn merge(base: &mut toml::Table, over: toml::Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

fn check_bounds(study: &Study, limits: &Limits) -> Result<(), ApiError> {
    if study.duration > limits.max_duration_days {
        return Err(ApiError::bound(
            "scenario.duration",
            format!(
                "duration {:.0} days is beyond this server's bound of {:.0} days ({:.0} years)",
                study.duration,
                limits.max_duration_days,
                limits.max_duration_days / 365.25
            ),
        ));
    }
    if study.sample_times.len() > limits.max_samples {
        return Err(ApiError::bound(
            "output.every",
            format!(
                "{} sample times per arm is beyond this server's bound of {}; sample less often",
                study.sample_times.len(),
                limits.max_samples
            ),
        ));
    }
    Ok(())
}

/// One arm's trajectories.
#[derive(Serialize)]
struct ArmOut {
    name: String,
    description: Option<String>,
    times_days: Vec<f64>,
    /// `values[r][i]`: readout `r` at `times_days[i]`.
    values: Vec<Vec<f64>>,
}

#[derive(Serialize)]
pub struct RunResponse {
    name: String,
    title: String,
    species: String,
    sex: String,
    duration_days: f64,
    control: String,
    readouts: Vec<ReadoutInfo>,
    arms: Vec<ArmOut>,
    elapsed_ms: f64,
}

/// `POST /api/run`: every arm of a scenario as one individual.
pub async fn run(
    State(state): State<AppState>,
    JsonBody(req): JsonBody<RunRequest>,
) -> Result<Json<RunResponse>, ApiError> {
    let limits = *state.gate.limits();
    let response = state
        .gate
        .run(move || {
            let study = resolve(req, &limits)?;
            simulate(&study)
        })
        .await?;
    Ok(Json(response))
}

fn simulate(study: &Study) -> Result<RunResponse, ApiError> {
    let started = std::time::Instant::now();
    let result = run_study(study, |_, _| {})?;
    let arms = result
        .arms
        .into_iter()
        .zip(&study.arms)
        .map(|(a, spec)| ArmOut {
            name: a.name,
            description: spec.description.clone(),
            times_days: a.times,
            values: a.values,
        })
        .collect();
    Ok(RunResponse {
        name: result.name,
        title: result.title,
        species: result.species.to_string(),
        sex: result.sex.to_string(),
        duration_days: result.duration_days,
        control: study.arms[study.control].name.clone(),
        readouts: result.readouts,
        arms,
        elapsed_ms: started.elapsed().as_secs_f64() * 1e3,
    })
}

/// `POST /api/study`: a scenario's virtual population and its analyses (bounded in size).
pub async fn study(
    State(state): State<AppState>,
    JsonBody(req): JsonBody<RunRequest>,
) -> Result<Json<Value>, ApiError> {
    let limits = *state.gate.limits();
    state
        .gate
        .run(move || {
            let study = resolve(req, &limits)?;
            let size = match &study.population {
                Some(p) => p.size,
                None => {
                    return Err(ApiError::bad_request(format!(
                        "scenario `{}` has no [population] section",
                        study.name
                    ))
                    .at("population"))
                }
            };
            if size > limits.max_population {
                return Err(ApiError::bound(
                    "population.size",
                    format!(
                        "{size} subjects is beyond this server's bound of {}; run larger studies with `boneaxis study`",
                        limits.max_population
                    ),
                ));
            }
            let started = std::time::Instant::now();
            let analyses = boneaxis::population::run_analyses(&study)?;
            Ok(Json(json!({
                "name": study.name,
                "title": study.title,
                "subjects": size,
                "analyses": analyses,
                "elapsed_ms": started.elapsed().as_secs_f64() * 1e3,
            })))
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_merge_tables_and_replace_values() {
        let mut base: toml::Table =
            toml::from_str("[scenario]\nname = \"a\"\nduration = \"4 weeks\"\n").unwrap();
        let over: toml::Table = toml::from_str("[scenario]\nduration = \"8 weeks\"\n").unwrap();
        merge(&mut base, over);
        assert_eq!(base["scenario"]["name"].as_str(), Some("a"));
        assert_eq!(base["scenario"]["duration"].as_str(), Some("8 weeks"));
    }
}
