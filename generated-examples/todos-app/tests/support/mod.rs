//! A fresh database for each test, on the cluster `scripts/test.sh`
//! starts, and requests handed to the router in process.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};
use todos::generated::runtime::sqlite::SqlitePool;
use todos::generated::runtime::{connect, PgPool};
use tower::ServiceExt;

/// A new, empty database with the todos crate's schema applied: these
/// tests never pass without one.
pub async fn database() -> PgPool {
    database_with(todos::generated::runtime::SCHEMA).await
}

/// A new, empty database with `schema` (a crate's `schema.sql`) applied.
pub async fn database_with(schema: &str) -> PgPool {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let url = std::env::var("ESGEN_TEST_DATABASE_URL").unwrap_or_else(|_| {
        panic!(
            "these tests store events in PostgreSQL and ESGEN_TEST_DATABASE_URL is not set: \
             run them with `bash scripts/test.sh`, which installs PostgreSQL when it is \
             missing and starts a throwaway cluster"
        )
    });
    let admin = connect(&url, 1)
        .await
        .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {url}: {e}"));
    let name = format!(
        "todos_app_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await
        .expect("a test database");
    admin.close().await;
    let (server, _) = url.rsplit_once('/').expect("a URL ending in /<database>");
    let pool = connect(&format!("{server}/{name}"), 16)
        .await
        .expect("a connection");
    sqlx::raw_sql(schema)
        .execute(&pool)
        .await
        .expect("the schema applies");
    pool
}

/// A store for a test's events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Store {
    /// A new database on the cluster `scripts/test.sh` starts.
    Postgres,
    /// A new SQLite file in a directory of its own.
    Sqlite,
}

/// The todos service over a new, empty store, and what keeps the store
/// alive until the test ends.
pub struct Service {
    /// The generated router.
    pub app: Router,
    _dir: Option<tempfile::TempDir>,
}

impl Service {
    /// The service over a new `store`.
    pub async fn new(store: Store) -> Self {
        match store {
            Store::Postgres => Self {
                app: todos::generated::http::postgres::router(database().await),
                _dir: None,
            },
            Store::Sqlite => {
                let (pool, dir) = sqlite_database(todos::generated::runtime::sqlite::SCHEMA).await;
                Self {
                    app: todos::generated::http::sqlite::router(pool),
                    _dir: Some(dir),
                }
            }
        }
    }
}

/// A new SQLite file with `schema` (a crate's `schema.sqlite.sql`)
/// applied, in a directory removed when the returned guard drops.
pub async fn sqlite_database(schema: &str) -> (SqlitePool, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a directory for the database");
    let path = dir.path().join("events.db");
    let pool = todos::generated::runtime::sqlite::connect(path.to_str().unwrap(), 16)
        .await
        .expect("an SQLite file");
    sqlx::raw_sql(schema)
        .execute(&pool)
        .await
        .expect("the schema applies");
    (pool, dir)
}

/// An answer: its status, headers and body (JSON when it is JSON, else a
/// string).
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    /// The `content-type` header.
    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

/// Sends `method path` with `body` and extra `headers` to `app`.
pub async fn send(
    app: &Router,
    method: &str,
    path: &str,
    body: impl Into<Body>,
    headers: &[(&str, &str)],
) -> Answer {
    let mut request = Request::builder().method(method).uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request.body(body.into()).expect("a request");
    let response = app.clone().oneshot(request).await.expect("an answer");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    Answer {
        status,
        headers,
        body,
    }
}

/// `POST path` with a JSON body.
pub async fn post(app: &Router, path: &str, body: Value) -> Answer {
    send(app, "POST", path, body.to_string(), &[]).await
}

/// `GET path`.
pub async fn get(app: &Router, path: &str) -> Answer {
    send(app, "GET", path, Body::empty(), &[]).await
}
