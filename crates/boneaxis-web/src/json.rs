//! A JSON body extractor whose every rejection is an [`ApiError`]: 413 for a body over the size
//! bound, 400 naming the field for malformed or ill-shaped JSON.

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too_large",
                    format!(
                        "the request body is over this server's bound: {}",
                        e.body_text()
                    ),
                )
            } else {
                ApiError::bad_request(e.body_text())
            }
        })?;
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(&mut de)
            .map(JsonBody)
            .map_err(|e| {
                let field = e.path().to_string();
                let message = format!("malformed request body: {}", e.inner());
                ApiError::bad_request(message).at(if field == "." || field == "?" {
                    ""
                } else {
                    &field
                })
            })
    }
}
