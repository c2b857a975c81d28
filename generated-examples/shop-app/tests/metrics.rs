//! The service's `/metrics` says each policy's lag: the events of its
//! model it has yet to act on, read from the database when asked.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use shop::generated::orders::{OrderId, Place};
use shop::generated::policies::sqlite::Policies;
use shop::generated::runtime::sqlite::{connect, migrate, orders_cqrs, orders_execute};
use shop::notifications::Notifier;
use shop::orders::Orders;
use tower::ServiceExt;

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
