//! Schemathesis (`scripts/schemathesis.sh`) against the generated services,
//! over PostgreSQL and over SQLite: every operation of the OpenAPI
//! document each serves, with generated valid and invalid inputs, finds no
//! server error, no answer that breaks the document, no invalid request
//! accepted and no valid one refused. The specs served between them have
//! one stream and a stream per entity, a model that asks another, dates,
//! choices, grouped answers and histories. The PostgreSQL run needs the
//! cluster `scripts/test.sh` starts.

mod serve;
mod support;

use axum::Router;
use serve::{script, serve};
use support::{database_with, sqlite_database};

/// How many cases Schemathesis generates per operation.
const EXAMPLES: &str = "40";

/// Runs Schemathesis against each service, one after the other.
async fn check(services: Vec<(&str, Router)>) {
    for (spec, app) in services {
        let url = serve(app).await;
        let report = script("schemathesis.sh", vec![url, EXAMPLES.to_string()]).await;
        // The script fails on any failure; its summary counts the cases.
        let summary = report.lines().find(|l| l.contains(" generated, "));
        let summary = summary.unwrap_or_else(|| panic!("{spec}: no summary in {report}"));
        assert!(!report.contains("FAILURES"), "{spec}: {report}");
        eprintln!("{spec}: Schemathesis found no issue ({})", summary.trim());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_nothing_over_postgres() {
    use accounts::generated::runtime as accounts_runtime;
    use clinic::generated::runtime as clinic_runtime;
    use delivery::generated::runtime as delivery_runtime;
    use practice::generated::runtime as practice_runtime;
    use todos::generated::runtime as todos_runtime;
    check(vec![
        (
            "todos",
            todos::generated::http::postgres::router(database_with(todos_runtime::SCHEMA).await),
        ),
        (
            "accounts",
            accounts::generated::http::postgres::router(
                database_with(accounts_runtime::SCHEMA).await,
            ),
        ),
        (
            "clinic",
            clinic::generated::http::postgres::router(database_with(clinic_runtime::SCHEMA).await),
        ),
        (
            "delivery",
            delivery::generated::http::postgres::router(
                database_with(delivery_runtime::SCHEMA).await,
            ),
        ),
        (
            "practice",
            practice::generated::http::postgres::router(
                database_with(practice_runtime::SCHEMA).await,
            ),
        ),
    ])
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_nothing_over_sqlite() {
    let (todos, _a) = sqlite_database(todos::generated::runtime::sqlite::SCHEMA).await;
    let (accounts, _b) = sqlite_database(accounts::generated::runtime::sqlite::SCHEMA).await;
    let (clinic, _c) = sqlite_database(clinic::generated::runtime::sqlite::SCHEMA).await;
    let (delivery, _d) = sqlite_database(delivery::generated::runtime::sqlite::SCHEMA).await;
    let (practice, _e) = sqlite_database(practice::generated::runtime::sqlite::SCHEMA).await;
    check(vec![
        ("todos", todos::generated::http::sqlite::router(todos)),
        (
            "accounts",
            accounts::generated::http::sqlite::router(accounts),
        ),
        ("clinic", clinic::generated::http::sqlite::router(clinic)),
        (
            "delivery",
            delivery::generated::http::sqlite::router(delivery),
        ),
        (
            "practice",
            practice::generated::http::sqlite::router(practice),
        ),
    ])
    .await;
}
