//! The API's OpenAPI 3.1 description (`GET /api/openapi.json`).

use axum::Json;
use serde_json::{json, Value};

fn error_responses() -> Value {
    let error = json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    json!({
        "400": {"description": "malformed request (bad JSON, wrong shape, unknown scenario)", "content": error["content"]},
        "413": {"description": "request body over the size bound", "content": error["content"]},
        "422": {"description": "scenario or patient invalid, or beyond a bound (field named)", "content": error["content"]},
        "500": {"description": "the solver failed (scenario, arm and time named)", "content": error["content"]},
        "503": {"description": "every simulation slot busy and the queue full; retry", "content": error["content"]},
        "504": {"description": "no answer within the wall-time bound", "content": error["content"]}
    })
}

fn ok(description: &str, schema: Value) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}

fn post(summary: &str, body: Value, answer: Value) -> Value {
    let mut responses = error_responses();
    responses["200"] = answer;
    json!({"post": {"summary": summary, "requestBody": {"required": true,
        "content": {"application/json": {"schema": body}}}, "responses": responses}})
}

fn get(summary: &str, answer: Value, parameters: Value) -> Value {
    json!({"get": {"summary": summary, "parameters": parameters,
        "responses": {"200": answer, "400": error_responses()["400"]}}})
}

/// `GET /api/openapi.json`
pub async fn spec() -> Json<Value> {
    let run_request = json!({"$ref": "#/components/schemas/RunRequest"});
    let object = json!({"type": "object"});
    Json(json!({
        "openapi": "3.1.0",
        "info": {
            "title": "boneaxis web API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Run the boneaxis brain–gut–bone model: shipped scenarios, a patient's what-if, the model map and its parameters. A research model, not a clinical device."
        },
        "paths": {
            "/api/health": get("liveness", ok("server up", object.clone()), json!([])),
            "/api/scenarios": get("the shipped scenarios", ok("list", json!({"type": "array", "items": object})), json!([])),
            "/api/scenarios/{name}": get("one shipped scenario with its TOML text", ok("scenario", object.clone()),
                json!([{"name": "name", "in": "path", "required": true, "schema": scenario_name()}])),
            "/api/run": post("run every arm of a scenario as one individual", run_request.clone(),
                ok("trajectories per arm", json!({"$ref": "#/components/schemas/RunResponse"}))),
            "/api/study": post("run a scenario's virtual population (bounded size) and its analyses", run_request,
                ok("analyses with confidence intervals", object.clone())),
            "/api/patient": post("one person's BMD trajectory and fracture probabilities, with and without a drug",
                json!({"$ref": "#/components/schemas/Patient"}),
                ok("the report `boneaxis patient --json` prints", object.clone())),
            "/api/model": get("the model map: subsystems, signals, interventions", ok("map", object.clone()), json!([])),
            "/api/parameters": get("parameters with value, unit, kind and source", ok("rows", json!({"type": "array", "items": object})),
                json!([
                    {"name": "species", "in": "query", "schema": {"enum": ["mouse", "rat", "human"]}},
                    {"name": "sex", "in": "query", "schema": {"enum": ["female", "male"]}}
                ])),
            "/api/limits": get("this server's bounds", ok("bounds", object), json!([]))
        },
        "components": {"schemas": schemas()}
    }))
}

fn schemas() -> Value {
    json!({
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {
            "type": "object", "required": ["kind", "message"], "properties": {
                "kind": {"type": "string"}, "message": {"type": "string"},
                "field": {"type": ["string", "null"]}}}}},
        "RunRequest": {"type": "object", "additionalProperties": false,
            "description": "exactly one of `scenario` and `toml`",
            "oneOf": [{"required": ["scenario"], "not": {"required": ["toml"]}},
                      {"required": ["toml"], "not": {"required": ["scenario"]}}],
            "properties": {
                "scenario": scenario_name(),
                "toml": {"type": "string", "description": "a scenario file's text (docs/scenarios.md)"},
                "overrides": {"type": "object", "description": "merged into the scenario's table, e.g. {\"scenario\": {\"duration\": \"8 weeks\"}}"}}},
        "RunResponse": {"type": "object", "properties": {
            "name": {"type": "string"}, "title": {"type": "string"},
            "species": {"type": "string"}, "sex": {"type": "string"},
            "duration_days": {"type": "number"}, "control": {"type": "string"},
            "readouts": {"type": "array", "items": {"type": "object", "properties": {
                "name": {"type": "string"}, "unit": {"type": "string"}, "description": {"type": "string"}}}},
            "arms": {"type": "array", "items": {"type": "object", "properties": {
                "name": {"type": "string"}, "description": {"type": ["string", "null"]},
                "times_days": {"type": "array", "items": {"type": "number"}},
                "values": {"type": "array", "items": {"type": "array", "items": {"type": ["number", "null"]}}}}}},
            "elapsed_ms": {"type": "number"}}},
        "Patient": patient(),
        "Drug": drug(),
    })
}

/// A shipped scenario's name.
fn scenario_name() -> Value {
    let names: Vec<&str> = boneaxis::scenario::shipped::SHIPPED
        .iter()
        .map(|(n, _)| *n)
        .collect();
    json!({"type": "string", "enum": names, "description": "a shipped scenario's name"})
}

/// A number within its range of the patient checks.
fn ranged(field: &str) -> Value {
    use boneaxis::clinical::patient::spec::FIELD_RANGES;
    match FIELD_RANGES.iter().find(|r| r.0 == field) {
        Some(&(_, lo, hi, unit)) => {
            json!({"type": "number", "minimum": lo, "maximum": hi, "description": unit})
        }
        None => json!({"type": "number"}),
    }
}

/// The fields of a patient file; cross-field rules are stated in `description`.
fn patient() -> Value {
    json!({"type": "object", "required": ["age", "sex"], "additionalProperties": false,
        "description": "the fields of a patient file (docs/clinical.md). Also checked: a T-score or a femoral-neck BMD, not both; age + years at most 100; alternatives need a drug; at most 6 alternatives; a drug's start within 20 years before now",
        "not": {"required": ["t_score", "femoral_neck_bmd"]},
        "properties": {
            "age": ranged("age"),
            "sex": {"enum": ["female", "male"]},
            "bmi": ranged("bmi"),
            "t_score": ranged("t_score"),
            "femoral_neck_bmd": ranged("femoral_neck_bmd"),
            "years": ranged("years"),
            "smoking": ranged("smoking"),
            "alcohol": ranged("alcohol"),
            "glucocorticoids": ranged("glucocorticoids"),
            "depression": {"type": "object", "required": ["severity"], "additionalProperties": false,
                "properties": {"severity": ranged("depression.severity"), "years": ranged("depression.years")}},
            "drug": {"$ref": "#/components/schemas/Drug"},
            "alternative": {"type": "array", "maxItems": 6, "items": {"$ref": "#/components/schemas/Drug"}}}})
}

/// A medicine and its daily dose; each medicine's dose range is in `description`.
fn drug() -> Value {
    use boneaxis::clinical::patient::spec::MEDICINES;
    let names: Vec<&str> = MEDICINES.iter().map(|m| m.0.key()).collect();
    let ranges: Vec<String> = MEDICINES
        .iter()
        .map(|(d, lo, hi)| format!("{} {lo}–{hi} mg/day", d.key()))
        .collect();
    json!({"type": "object", "required": ["name", "dose"], "additionalProperties": false,
        "description": format!("daily dose ranges: {}; alternatives may instead be {{\"name\": \"stop\"}}", ranges.join(", ")),
        "properties": {
            "name": {"type": "string", "enum": names},
            "dose": {"type": "string", "description": "daily dose with its unit, e.g. 50mg"},
            "start": {"type": ["string", "null"], "description": "relative to now, e.g. -2 years"}}})
}
