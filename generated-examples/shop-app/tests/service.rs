//! The shop served over HTTP (SQLite): `/metrics` says each policy's lag,
//! the events of its model it has yet to act on, read from the database
//! when asked; and a command whose event a `strong` policy follows is
//! answered once that policy has acted.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use shop::generated::orders::{OrderId, Place};
use shop::generated::policies::sqlite::Policies;
use shop::generated::runtime::sqlite::{connect, migrate, orders_cqrs, orders_execute};
use shop::notifications::Notifier;
use shop::orders::Orders;
use tower::ServiceExt;

/// `POST`s `body` to `path`: the status.
async fn post(app: &axum::Router, path: &str, body: &str) -> StatusCode {
    let request = Request::post(path)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    app.clone().oneshot(request).await.unwrap().status()
}

async fn metrics(app: &axum::Router) -> String {
    let request = Request::get("/metrics").body(Body::empty()).unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8(body.to_vec()).unwrap()
}

#[tokio::test]
async fn the_lag_of_each_policy_is_a_metric() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.db");
    let pool = connect(path.to_str().unwrap(), 4).await.unwrap();
    migrate(&pool).await.unwrap();
    let orders = orders_cqrs::<Orders>(pool.clone(), Vec::new());
    for n in 0..3 {
        let place = Place {
            order_id: OrderId::new(format!("o{n}")),
            customer: "Ann".to_string(),
            total: 5,
        };
        orders_execute(&orders, place.into()).await.unwrap();
    }
    let app = shop::generated::http::sqlite::router(pool.clone());
    let before = metrics(&app).await;
    assert!(
        before.contains("esgen_policy_lag{policy=\"placed-then-charge\"} 3\n"),
        "{before}"
    );
    assert!(
        before.contains("esgen_policy_lag{policy=\"settled-then-mark-paid\"} 0\n"),
        "{before}"
    );
    Policies::new(pool, Notifier::default())
        .catch_up()
        .await
        .unwrap();
    let after = metrics(&app).await;
    assert!(
        after.contains("esgen_policy_lag{policy=\"placed-then-charge\"} 0\n"),
        "{after}"
    );
}

#[tokio::test]
async fn a_command_a_strong_policy_follows_is_answered_once_it_has_acted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.db");
    let pool = connect(path.to_str().unwrap(), 4).await.unwrap();
    migrate(&pool).await.unwrap();
    let app = shop::generated::http::sqlite::router(pool.clone());
    let placed = post(
        &app,
        "/api/orders/commands/place",
        r#"{"order_id": "o1", "customer": "Ann", "total": 5}"#,
    )
    .await;
    assert_eq!(placed, StatusCode::OK);
    // `when marked-paid then ship in Shipping, strong`: shipped before the
    // answer, with no runner at work.
    let paid = post(
        &app,
        "/api/orders/commands/mark-paid",
        r#"{"order_id": "o1"}"#,
    )
    .await;
    assert_eq!(paid, StatusCode::OK);
    let count = |model: &'static str| {
        let pool = pool.clone();
        async move {
            let counted: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE aggregate_type = $1")
                    .bind(model)
                    .fetch_one(&pool)
                    .await
                    .unwrap();
            counted
        }
    };
    assert_eq!(count("Shipping").await, 1);
    // The eventual ones wait for a runner: the order is not charged yet.
    assert_eq!(count("Payments").await, 0);
}
