//! The page's files, embedded in the binary so that `boneaxis serve` needs nothing at run time.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// (path, content type, content)
const FILES: &[(&str, &str, &str)] = &[
    (
        "index.html",
        "text/html; charset=utf-8",
        include_str!("../assets/index.html"),
    ),
    (
        "style.css",
        "text/css; charset=utf-8",
        include_str!("../assets/style.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_str!("../assets/app.js"),
    ),
    (
        "api.js",
        "text/javascript; charset=utf-8",
        include_str!("../assets/api.js"),
    ),
    (
        "chart.js",
        "text/javascript; charset=utf-8",
        include_str!("../assets/chart.js"),
    ),
    (
        "cms.js",
        "text/javascript; charset=utf-8",
        include_str!("../assets/cms.js"),
    ),
    (
        "patient.js",
        "text/javascript; charset=utf-8",
        include_str!("../assets/patient.js"),
    ),
    (
        "scenarios.js",
        "text/javascript; charset=utf-8",
        include_str!("../assets/scenarios.js"),
    ),
    (
        "model.js",
        "text/javascript; charset=utf-8",
        include_str!("../assets/model.js"),
    ),
    (
        "study.js",
        "text/javascript; charset=utf-8",
        include_str!("../assets/study.js"),
    ),
    (
        "forms.js",
        "text/javascript; charset=utf-8",
        include_str!("../assets/forms.js"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_str!("../assets/favicon.svg"),
    ),
];

fn file(path: &str) -> Response {
    match FILES.iter().find(|(p, _, _)| *p == path) {
        Some((_, mime, body)) => (
            [
                (header::CONTENT_TYPE, *mime),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            *body,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

/// `GET /`
pub async fn index() -> Response {
    file("index.html")
}

/// `GET /assets/{file}`
pub async fn asset(Path(path): Path<String>) -> Response {
    file(&path)
}
