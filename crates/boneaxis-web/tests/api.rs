//! The API in-process (tower's `oneshot`): answers equal the science crate's, and every bad
//! request gets its documented status, kind and field.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use boneaxis_web::{app, Limits};
use serde_json::{json, Value};
use tower::ServiceExt;

async fn call(limits: Limits, method: &str, path: &str, body: Vec<u8>) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json")
        .body(Body::from(body))
        .unwrap();
    let response = app(limits).oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, value)
}

async fn post(path: &str, body: Value) -> (StatusCode, Value) {
    call(
        Limits::default(),
        "POST",
        path,
        body.to_string().into_bytes(),
    )
    .await
}

async fn get(path: &str) -> (StatusCode, Value) {
    call(Limits::default(), "GET", path, vec![]).await
}

fn assert_error(got: &(StatusCode, Value), status: StatusCode, kind: &str, field: Option<&str>) {
    let (s, v) = got;
    assert_eq!(*s, status, "status: expected {status}, got {s}; body {v}");
    assert_eq!(v["error"]["kind"], kind, "kind: expected {kind}; body {v}");
    assert_eq!(v["error"]["field"].as_str(), field, "field; body {v}");
    assert!(
        !v["error"]["message"].as_str().unwrap_or("").is_empty(),
        "{v}"
    );
}

#[tokio::test]
async fn run_answers_what_the_science_crate_computes() {
    let (status, v) = post("/api/run", json!({"scenario": "cms_mouse"})).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let text = boneaxis::scenario::shipped::text("cms_mouse").unwrap();
    let study = boneaxis::scenario::load_str(text, "cms_mouse").unwrap();
    let expected = boneaxis::simulate::run_study(&study, |_, _| {}).unwrap();
    assert_eq!(v["arms"].as_array().unwrap().len(), expected.arms.len());
    for (arm, want) in v["arms"].as_array().unwrap().iter().zip(&expected.arms) {
        assert_eq!(arm["name"], want.name.as_str());
        for (r, column) in want.values.iter().enumerate() {
            let got: Vec<f64> = serde_json::from_value(arm["values"][r].clone()).unwrap();
            assert_eq!(&got, column, "arm {} readout {r}", want.name);
        }
    }
}

#[tokio::test]
async fn overrides_change_the_scenario() {
    let (status, v) = post(
        "/api/run",
        json!({"scenario": "cms_mouse", "overrides": {"scenario": {"duration": "8 weeks"}}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["duration_days"], 56.0);
}

#[tokio::test]
async fn patient_answers_what_the_cli_prints() {
    let spec = json!({"age": 70, "sex": "female", "drug": {"name": "sertraline", "dose": "50mg"}});
    let (status, mut v) = post("/api/patient", spec.clone()).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let parsed: boneaxis::clinical::patient::PatientSpec = serde_json::from_value(spec).unwrap();
    let person = boneaxis::clinical::patient::Patient::from_spec(&parsed, "test").unwrap();
    let mut want =
        serde_json::to_value(boneaxis::clinical::patient::run(&person).unwrap()).unwrap();
    v["run_ms"] = Value::Null; // wall time differs
    want["run_ms"] = Value::Null;
    assert_eq!(v, want);
}

#[tokio::test]
async fn bad_requests_get_their_status_kind_and_field() {
    let malformed = call(Limits::default(), "POST", "/api/run", b"{bad".to_vec()).await;
    assert_error(&malformed, StatusCode::BAD_REQUEST, "bad_request", None);
    let unknown_field = post("/api/run", json!({"scenario": "cms_mouse", "extra": 1})).await;
    assert_error(
        &unknown_field,
        StatusCode::BAD_REQUEST,
        "bad_request",
        Some("extra"),
    );
    let unknown = post("/api/run", json!({"scenario": "nope"})).await;
    assert_error(
        &unknown,
        StatusCode::BAD_REQUEST,
        "bad_request",
        Some("scenario"),
    );
    let neither = post("/api/run", json!({})).await;
    assert_error(&neither, StatusCode::BAD_REQUEST, "bad_request", None);
    let invalid = post(
        "/api/run",
        json!({"scenario": "cms_mouse", "overrides": {"scenario": {"duration": "4 parsecs"}}}),
    )
    .await;
    assert_error(
        &invalid,
        StatusCode::UNPROCESSABLE_ENTITY,
        "scenario",
        Some("scenario.duration"),
    );
    let age = post("/api/patient", json!({"age": 150, "sex": "female"})).await;
    assert_error(
        &age,
        StatusCode::UNPROCESSABLE_ENTITY,
        "patient",
        Some("age"),
    );
    let dose = post(
        "/api/patient",
        json!({"age": 70, "sex": "female", "drug": {"name": "sertraline", "dose": "lots"}}),
    )
    .await;
    assert_error(
        &dose,
        StatusCode::UNPROCESSABLE_ENTITY,
        "patient",
        Some("drug.dose"),
    );
    let path = get("/api/nowhere").await;
    assert_error(&path, StatusCode::NOT_FOUND, "not_found", None);
    let species = get("/api/parameters?species=dog").await;
    assert_error(
        &species,
        StatusCode::BAD_REQUEST,
        "bad_request",
        Some("species"),
    );
}

#[tokio::test]
async fn requests_beyond_the_bounds_are_refused() {
    let small = Limits {
        max_body_bytes: 1000,
        ..Limits::default()
    };
    let big = call(small, "POST", "/api/run", vec![b' '; 5000]).await;
    assert_error(&big, StatusCode::PAYLOAD_TOO_LARGE, "too_large", None);
    let short = Limits {
        max_duration_days: 14.0,
        ..Limits::default()
    };
    let body = json!({"scenario": "cms_mouse"}).to_string();
    let long = call(short, "POST", "/api/run", body.into_bytes()).await;
    assert_error(
        &long,
        StatusCode::UNPROCESSABLE_ENTITY,
        "bound",
        Some("scenario.duration"),
    );
    let few = Limits {
        max_population: 10,
        ..Limits::default()
    };
    let body = json!({"scenario": "population_depression_ssri"}).to_string();
    let population = call(few, "POST", "/api/study", body.into_bytes()).await;
    assert_error(
        &population,
        StatusCode::UNPROCESSABLE_ENTITY,
        "bound",
        Some("population.size"),
    );
}

#[tokio::test]
async fn descriptions_list_scenarios_parameters_and_paths() {
    let (status, scenarios) = get("/api/scenarios").await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> = scenarios
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), boneaxis::scenario::shipped::SHIPPED.len());
    assert!(names.contains(&"cms_mouse"));
    let (_, params) = get("/api/parameters?species=human&sex=male").await;
    let rows = params.as_array().unwrap();
    assert!(rows.len() > 50, "{} parameters", rows.len());
    for row in rows {
        for key in ["name", "unit", "kind", "source"] {
            assert!(row[key].is_string(), "{row}");
        }
    }
    let (_, spec) = get("/api/openapi.json").await;
    for path in [
        "/api/run",
        "/api/patient",
        "/api/scenarios",
        "/api/model",
        "/api/parameters",
    ] {
        assert!(
            spec["paths"][path].is_object(),
            "{path} missing from the OpenAPI description"
        );
    }
    let (_, map) = get("/api/model").await;
    assert!(map["links"].as_array().unwrap().len() > 10);
}

/// Many requests at once over the in-process service: every one answered, none lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_are_all_answered() {
    let limits = Limits {
        concurrent: 2,
        queue: 64,
        ..Limits::default()
    };
    let router = app(limits);
    let mut tasks = Vec::new();
    for _ in 0..24 {
        let router = router.clone();
        tasks.push(tokio::spawn(async move {
            let request = Request::post("/api/run")
                .body(Body::from(json!({"scenario": "cms_mouse"}).to_string()))
                .unwrap();
            router.oneshot(request).await.unwrap().status()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), StatusCode::OK);
    }
}
