//! The model described: its map (subsystems, the signals between them, where interventions
//! enter) and its parameters with provenance.

use crate::error::ApiError;
use axum::extract::rejection::QueryRejection;
use axum::extract::Query;
use axum::Json;
use boneaxis::params::Catalog;
use boneaxis::physiology::map::{links, INTERVENTIONS, SUBSYSTEMS};
use boneaxis::physiology::signals::SIGNAL_DOCS;
use boneaxis::physiology::{Drug, Knockout};
use boneaxis::species::{Sex, Species};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// `GET /api/model`
pub async fn map() -> Json<Value> {
    let signals: Vec<Value> = SIGNAL_DOCS
        .iter()
        .map(|s| {
            json!({"name": s.name, "unit": s.unit, "producer": s.producer,
                   "consumers": s.consumers, "description": s.description})
        })
        .collect();
    let drugs: Vec<Value> = Drug::ALL
        .iter()
        .map(|d| json!({"name": d.key(), "class": d.class()}))
        .collect();
    let knockouts: Vec<Value> = Knockout::ALL
        .iter()
        .map(|k| json!({"name": k.key(), "acts_on": k.acts_on()}))
        .collect();
    Json(json!({
        "subsystems": SUBSYSTEMS,
        "links": links(),
        "signals": signals,
        "interventions": INTERVENTIONS,
        "drugs": drugs,
        "knockouts": knockouts,
    }))
}

#[derive(Deserialize)]
pub struct ParamQuery {
    species: Option<String>,
    sex: Option<String>,
}

/// A parameter as the page's table shows it.
#[derive(Serialize)]
pub struct ParamRow {
    name: String,
    value: f64,
    unit: String,
    kind: &'static str,
    source: String,
    citation: Option<String>,
    doi: Option<String>,
    description: String,
}

/// `GET /api/parameters?species=mouse&sex=female`
pub async fn parameters(
    query: Result<Query<ParamQuery>, QueryRejection>,
) -> Result<Json<Vec<ParamRow>>, ApiError> {
    let Query(q) = query.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let species = match q.species.as_deref().unwrap_or("mouse") {
        "mouse" => Species::Mouse,
        "rat" => Species::Rat,
        "human" => Species::Human,
        other => {
            return Err(ApiError::bad_request(format!(
                "unknown species `{other}`; expected mouse, rat or human"
            ))
            .at("species"))
        }
    };
    let sex = match q.sex.as_deref().unwrap_or("female") {
        "female" => Sex::Female,
        "male" => Sex::Male,
        other => {
            return Err(ApiError::bad_request(format!(
                "unknown sex `{other}`; expected female or male"
            ))
            .at("sex"))
        }
    };
    let catalog = Catalog::embedded().map_err(boneaxis::Error::from)?;
    let rows = catalog
        .entries_for(species, sex)
        .into_iter()
        .map(|p| {
            let reference = catalog.references.get(&p.source);
            ParamRow {
                name: p.name.clone(),
                value: p.value,
                unit: p.unit.clone(),
                kind: p.kind.name(),
                source: p.source.clone(),
                citation: reference.map(|r| r.citation.clone()),
                doi: reference.and_then(|r| r.doi.clone()),
                description: p.description.clone(),
            }
        })
        .collect();
    Ok(Json(rows))
}
