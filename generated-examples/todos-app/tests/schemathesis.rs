//! Schemathesis (`scripts/schemathesis.sh`) against the generated services
//! over PostgreSQL: every operation of the OpenAPI document each serves,
//! with generated valid and invalid inputs, finds no server error, no
//! answer that breaks the document, no invalid request accepted and no
//! valid one refused. The specs served between them have one stream and a
//! stream per entity, a model that asks another, dates, choices, grouped
//! answers and histories. Needs the cluster `scripts/test.sh` starts.

mod serve;
mod support;

use serve::{script, serve};
use support::database_with;

/// How many cases Schemathesis generates per operation.
const EXAMPLES: &str = "40";

/// One after the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_nothing_in_the_generated_services() {
    let services = [
        (
            "todos",
            todos_app::app(database_with(todos::generated::runtime::SCHEMA).await, None),
        ),
        (
            "accounts",
            accounts::generated::http::router(
                database_with(accounts::generated::runtime::SCHEMA).await,
            ),
        ),
        (
            "clinic",
            clinic::generated::http::router(
                database_with(clinic::generated::runtime::SCHEMA).await,
            ),
        ),
        (
            "delivery",
            delivery::generated::http::router(
                database_with(delivery::generated::runtime::SCHEMA).await,
            ),
        ),
        (
            "practice",
            practice::generated::http::router(
                database_with(practice::generated::runtime::SCHEMA).await,
            ),
        ),
    ];
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
