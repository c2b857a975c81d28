//! The todos of `specs/todos.ddd` as a service: the router the generated
//! crate serves (`todos::generated::http`), behind a bearer token for the
//! commands when one is set.
//!
//! The generated router is a plain axum `Router`; this crate shows how an
//! app wraps it in a layer of its own. Reads (queries, events, the console
//! and the OpenAPI document) are open; a command needs
//! `Authorization: Bearer <token>`.

use axum::extract::Request;
use axum::http::{header, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::sync::Arc;

/// Where the events are kept unless `DATABASE_URL` says otherwise: an
/// SQLite file in the directory the service runs in.
pub const DEFAULT_DATABASE: &str = "sqlite://todos.db";

/// `service` (the generated router), and with a `token`, a command without
/// `Authorization: Bearer <token>` is answered `401`.
pub fn app(service: Router, token: Option<String>) -> Router {
    match token {
        None => service,
        Some(token) => {
            let token: Arc<str> = Arc::from(format!("Bearer {token}"));
            service.layer(middleware::from_fn(move |request, next| {
                let token = Arc::clone(&token);
                async move { bearer(&token, request, next).await }
            }))
        }
    }
}

/// Lets a request through when it reads, or carries the token.
async fn bearer(token: &str, request: Request, next: Next) -> Response {
    let given = request.headers().get(header::AUTHORIZATION);
    let allowed =
        request.method() == Method::GET || given.is_some_and(|g| g.as_bytes() == token.as_bytes());
    if allowed {
        return next.run(request).await;
    }
    let problem = r#"{"type":"urn:esgen:problem:unauthorized","title":"a command needs `Authorization: Bearer <token>`","status":401,"kind":"unauthorized"}"#;
    (
        StatusCode::UNAUTHORIZED,
        [
            (header::CONTENT_TYPE, "application/problem+json"),
            (header::WWW_AUTHENTICATE, "Bearer"),
        ],
        problem,
    )
        .into_response()
}
