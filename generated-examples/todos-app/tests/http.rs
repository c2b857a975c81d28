//! The generated HTTP service, each test over PostgreSQL and over SQLite:
//! commands answered with their events, refusals as RFC 9457 problems
//! with a status by kind, malformed and oversized requests refused with a
//! problem and never a 500, a retried command stored once, queries, event
//! pages, streams and the live feed. The PostgreSQL tests need the cluster
//! `scripts/test.sh` starts.

mod support;

use axum::Router;
use serde_json::{json, Value};
use std::time::Duration;
use support::{get, post, send, Answer};
use todos::generated::http::{MAX_BODY, OPENAPI};
use todos_app::app;

/// Each test, once over each store.
macro_rules! on_both_stores {
    ($($test:ident),+ $(,)?) => {
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let service = super::support::Service::new(super::support::Store::Postgres).await;
                    super::$test(service.app.clone()).await;
                }
            )+
        }
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let service = super::support::Service::new(super::support::Store::Sqlite).await;
                    super::$test(service.app.clone()).await;
                }
            )+
        }
    };
}

on_both_stores!(
    a_command_is_answered_with_its_event_and_queries_see_it,
    refusals_are_problems_with_their_rule_and_a_status_by_kind,
    malformed_requests_are_refused_with_a_problem_never_a_server_error,
    a_retried_command_is_stored_once_and_answered_alike,
    concurrent_commands_on_one_stream_are_each_stored_once_or_refused,
    events_are_read_a_page_at_a_time_in_order,
    the_live_feed_sends_each_event_as_it_is_stored,
    the_service_serves_its_openapi_document_and_console,
    with_a_token_a_command_without_it_is_refused,
    the_metrics_count_commands_by_outcome,
);

const CREATE: &str = "/api/todos/commands/create-new";

fn problem(answer: &Answer, status: u16, kind: &str) {
    assert_eq!(answer.status.as_u16(), status, "{answer:?}");
    assert_eq!(
        answer.content_type(),
        "application/problem+json",
        "{answer:?}"
    );
    assert_eq!(answer.body["status"], status, "{answer:?}");
    assert_eq!(answer.body["kind"], kind, "{answer:?}");
    assert!(answer.body["title"].is_string(), "{answer:?}");
    assert!(answer.body["type"].is_string(), "{answer:?}");
}

async fn a_command_is_answered_with_its_event_and_queries_see_it(app: Router) {
    let created = post(&app, CREATE, json!({"id": "t1", "text": "buy milk"})).await;
    assert_eq!(created.status, 200, "{created:?}");
    assert_eq!(
        created.body,
        json!({"created": {"id": "t1", "text": "buy milk", "completed": false}})
    );
    let has = get(&app, "/api/todos/queries/has-todo?id=t1").await;
    assert_eq!((has.status.as_u16(), has.body), (200, json!(true)));
    let none = get(&app, "/api/todos/queries/get-todo?id=t9").await;
    assert_eq!((none.status.as_u16(), none.body), (200, Value::Null));
    let all = get(&app, "/api/todos/queries/all-todos").await;
    assert_eq!(
        all.body,
        json!([{"id": "t1", "text": "buy milk", "completed": false}])
    );
    let done = post(
        &app,
        "/api/todos/commands/change-completed",
        json!({"id": "t1", "completed": true}),
    )
    .await;
    assert_eq!(done.status, 200, "{done:?}");
    let open = get(&app, "/api/todos/queries/open-count").await;
    assert_eq!(open.body, json!(0));
    let cleared = post(&app, "/api/todos/commands/clear-done", json!({})).await;
    assert_eq!(cleared.body, json!({"done-cleared": {"ids": ["t1"]}}));
}

async fn refusals_are_problems_with_their_rule_and_a_status_by_kind(app: Router) {
    post(&app, CREATE, json!({"id": "t1", "text": "buy milk"})).await;
    let again = post(&app, CREATE, json!({"id": "t1", "text": "again"})).await;
    problem(&again, 409, "conflict");
    assert_eq!(again.body["detail"], "there is already a todo `t1`");
    assert_eq!(again.body["rule"], "create-new/if-has-todo");
    assert_eq!(again.body["model"], "Todos");
    assert_eq!(again.body["action"], "create-new");

    let blank = post(&app, CREATE, json!({"id": "t2", "text": "   "})).await;
    problem(&blank, 422, "invalid");
    assert_eq!(blank.body["rule"], "create-new/constraints");
    assert_eq!(blank.body["problems"][0]["field"], "text");
    assert_eq!(blank.body["problems"][0]["rule"], "not-blank");

    let missing = post(&app, "/api/todos/commands/delete", json!({"id": "nowhere"})).await;
    problem(&missing, 404, "not-found");
    assert_eq!(missing.body["detail"], "there is no todo `nowhere`");
}

async fn malformed_requests_are_refused_with_a_problem_never_a_server_error(app: Router) {
    let cases: Vec<(&str, String)> = vec![
        ("not JSON", "{\"id\": ".to_string()),
        ("not an object", "[1, 2]".to_string()),
        ("a field missing", json!({"id": "t1"}).to_string()),
        (
            "a field of another type",
            json!({"id": 1, "text": "x"}).to_string(),
        ),
        (
            "a field the command lacks",
            json!({"id": "t1", "text": "x", "due": "today"}).to_string(),
        ),
        (
            "null for a required field",
            json!({"id": "t1", "text": null}).to_string(),
        ),
        (
            "nested too deep",
            format!(
                "{{\"id\": {}1{}, \"text\": \"x\"}}",
                "[".repeat(100),
                "]".repeat(100)
            ),
        ),
        ("empty", String::new()),
    ];
    for (what, body) in cases {
        let answer = send(&app, "POST", CREATE, body, &[]).await;
        problem(&answer, 400, "malformed");
        assert!(!answer.body["title"].as_str().unwrap().is_empty(), "{what}");
    }
    let huge = json!({"id": "t1", "text": "x".repeat(MAX_BODY)}).to_string();
    let answer = send(&app, "POST", CREATE, huge, &[]).await;
    assert_eq!(answer.status, 413, "{answer:?}");
    let unknown = get(&app, "/api/todos/nowhere").await;
    problem(&unknown, 404, "not-found");
    let query = get(&app, "/api/todos/queries/get-todo").await;
    problem(&query, 400, "malformed");
    let page = get(&app, "/api/todos/events?limit=0").await;
    problem(&page, 400, "malformed");
    let long_key = "k".repeat(201);
    let answer = send(
        &app,
        "POST",
        CREATE,
        json!({"id": "t1", "text": "x"}).to_string(),
        &[("idempotency-key", &long_key)],
    )
    .await;
    problem(&answer, 400, "malformed");
    // Nothing of the above was stored.
    let events = get(&app, "/api/todos/events").await;
    assert_eq!(events.body["events"], json!([]));
}

async fn a_retried_command_is_stored_once_and_answered_alike(app: Router) {
    let body = json!({"id": "t1", "text": "buy milk"}).to_string();
    let key = [("idempotency-key", "request-1")];
    let first = send(&app, "POST", CREATE, body.clone(), &key).await;
    let retry = send(&app, "POST", CREATE, body.clone(), &key).await;
    assert_eq!(first.status, 200, "{first:?}");
    assert_eq!(retry.status, 200, "{retry:?}");
    assert_eq!(first.body, retry.body);
    // Without the key, the same command is a new one, and refused.
    let again = send(&app, "POST", CREATE, body, &[]).await;
    assert_eq!(again.status, 409);
    let stream = get(&app, "/api/todos/streams/todos/events").await;
    assert_eq!(stream.body.as_array().map(Vec::len), Some(1), "{stream:?}");
}

async fn concurrent_commands_on_one_stream_are_each_stored_once_or_refused(app: Router) {
    let mut sent = Vec::new();
    for n in 0..16 {
        let app = app.clone();
        sent.push(tokio::spawn(async move {
            let body = json!({"id": format!("t{n}"), "text": "x"});
            post(&app, CREATE, body).await
        }));
    }
    let mut accepted = 0;
    for answer in sent {
        let answer = answer.await.unwrap();
        match answer.status.as_u16() {
            200 => accepted += 1,
            409 => assert_eq!(answer.body["kind"], "conflict", "{answer:?}"),
            other => panic!("{other}: {answer:?}"),
        }
    }
    let all = get(&app, "/api/todos/queries/all-todos").await;
    assert_eq!(all.body.as_array().map(Vec::len), Some(accepted));
    let stream = get(&app, "/api/todos/streams/todos/events").await;
    let sequences: Vec<i64> = stream
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["sequence"].as_i64().unwrap())
        .collect();
    assert_eq!(sequences, (1..=accepted as i64).collect::<Vec<_>>());
}

/// The page at `path` once it holds `n` events. On PostgreSQL a page
/// holds back an event while any transaction of the cluster that began
/// before it commits (the tests of other databases included), so a reader
/// asks again, as a live feed does.
async fn page_of(app: &Router, path: &str, n: usize) -> Answer {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let page = get(app, path).await;
        let held = page.body["events"].as_array().map_or(0, Vec::len);
        if held >= n || std::time::Instant::now() > deadline {
            return page;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn events_are_read_a_page_at_a_time_in_order(app: Router) {
    for n in 1..=5 {
        let body = json!({"id": format!("t{n}"), "text": "x"});
        assert_eq!(post(&app, CREATE, body).await.status, 200);
    }
    let first = page_of(&app, "/api/todos/events?limit=2", 2).await;
    let events = first.body["events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["stream"], "todos");
    assert_eq!(events[0]["sequence"], 1);
    assert_eq!(events[0]["event"]["created"]["id"], "t1");
    let next = first.body["next"].as_i64().unwrap();
    let rest = page_of(&app, &format!("/api/todos/events?after={next}"), 3).await;
    let ids: Vec<&str> = rest.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"]["created"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["t3", "t4", "t5"]);
}

async fn the_live_feed_sends_each_event_as_it_is_stored(app: Router) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    post(&app, CREATE, json!({"id": "t1", "text": "before"})).await;
    let request = axum::http::Request::get("/api/todos/events/live")
        .body(axum::body::Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "text/event-stream"
    );
    post(&app, CREATE, json!({"id": "t2", "text": "after"})).await;
    let mut body = response.into_body();
    let mut seen = String::new();
    while !seen.contains("\"t2\"") {
        let frame = tokio::time::timeout(Duration::from_secs(10), body.frame())
            .await
            .expect("an event within 10 s")
            .expect("the feed goes on")
            .expect("a frame");
        if let Ok(data) = frame.into_data() {
            seen.push_str(&String::from_utf8_lossy(&data));
        }
    }
    // From the latest: the event stored before the feed began is not sent.
    assert!(!seen.contains("before"), "{seen}");
    assert!(seen.contains("id: 2"), "{seen}");
}

async fn the_service_serves_its_openapi_document_and_console(app: Router) {
    let document = get(&app, "/api/openapi.json").await;
    assert_eq!(document.status, 200);
    let expected: Value = serde_json::from_str(OPENAPI).unwrap();
    assert_eq!(document.body, expected);
    assert!(document.body["paths"][CREATE]["post"].is_object());
    let console = get(&app, "/").await;
    assert_eq!(console.status, 200);
    let page = console.body.as_str().unwrap();
    assert!(page.contains("data-path=\"/api/todos/commands/create-new\""));
}

async fn with_a_token_a_command_without_it_is_refused(service: Router) {
    let app = app(service, Some("s3cret".to_string()));
    let body = json!({"id": "t1", "text": "x"}).to_string();
    let refused = send(&app, "POST", CREATE, body.clone(), &[]).await;
    assert_eq!(refused.status, 401, "{refused:?}");
    let wrong = send(
        &app,
        "POST",
        CREATE,
        body.clone(),
        &[("authorization", "Bearer nope")],
    )
    .await;
    assert_eq!(wrong.status, 401);
    let allowed = send(
        &app,
        "POST",
        CREATE,
        body,
        &[("authorization", "Bearer s3cret")],
    )
    .await;
    assert_eq!(allowed.status, 200, "{allowed:?}");
    // Reads stay open.
    assert_eq!(get(&app, "/api/todos/queries/all-todos").await.status, 200);
}

async fn the_metrics_count_commands_by_outcome(app: Router) {
    post(&app, CREATE, json!({"id": "m1", "text": "x"})).await;
    post(&app, CREATE, json!({"id": "m1", "text": "x"})).await;
    let answer = support::send(&app, "GET", "/metrics", axum::body::Body::empty(), &[]).await;
    assert_eq!(answer.status, 200);
    let text = answer.body.as_str().unwrap_or_default().to_string();
    for line in [
        "esgen_commands_total{model=\"Todos\",action=\"create-new\",outcome=\"accepted\"}",
        "esgen_commands_total{model=\"Todos\",action=\"create-new\",outcome=\"conflict\"}",
        "esgen_command_duration_seconds_count{model=\"Todos\",action=\"create-new\"}",
        "esgen_events_stored_total{model=\"Todos\"}",
    ] {
        assert!(text.contains(line), "{line} in {text}");
    }
}

/// A model whose accounts are streams of their own, over SQLite: a
/// stream's events by its name, and a query over every account read from
/// the materialized table.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_of_their_own_and_their_tables_over_sqlite() {
    let (pool, _dir) = support::sqlite_database(accounts::generated::runtime::sqlite::SCHEMA).await;
    let app = accounts::generated::http::sqlite::router(pool);
    let opened = post(
        &app,
        "/api/accounts/commands/open",
        json!({"id": "ann", "owner": "Ann"}),
    )
    .await;
    assert_eq!(opened.status, 200, "{opened:?}");
    let deposited = post(
        &app,
        "/api/accounts/commands/deposit",
        json!({"id": "ann", "amount": 500}),
    )
    .await;
    assert_eq!(deposited.status, 200, "{deposited:?}");
    let stream = get(&app, "/api/accounts/streams/account%2Fann/events").await;
    let sequences: Vec<i64> = stream
        .body
        .as_array()
        .unwrap_or_else(|| panic!("{stream:?}"))
        .iter()
        .map(|e| e["sequence"].as_i64().unwrap())
        .collect();
    assert_eq!(sequences, [1, 2]);
    let open = get(&app, "/api/accounts/queries/open-accounts").await;
    assert_eq!(open.body[0]["balance"], 500, "{open:?}");
    let closed = post(&app, "/api/accounts/commands/close", json!({"id": "ann"})).await;
    assert_eq!(closed.status, 200);
    let open = get(&app, "/api/accounts/queries/open-accounts").await;
    assert_eq!(open.body, json!([]));
}
