//! The policies' runner killed with SIGKILL, again and again, while
//! eight writers place orders on PostgreSQL: every order is charged once,
//! whatever step each kill cut. Needs the cluster `scripts/test.sh`
//! starts.

use shop::generated::orders::{self, OrderId, OrdersCommand};
use shop::generated::payments;
use shop::generated::policies::postgres::Policies;
use shop::generated::policies::Policy;
use shop::generated::runtime::postgres::{
    connect, dead_letters, lag, migrate, orders_cqrs, orders_execute, Following, Pool,
};
use shop::notifications::Notifier;
use shop::orders::Orders;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The variable that makes [`runner_process_for_the_kill_test`] a runner:
/// the database's URL.
const RUNNER: &str = "ESGEN_SHOP_RUNNER";

/// Orders placed before the first runner starts: a backlog that keeps the
/// runners busy, so that kills cut them mid-work.
const BACKLOG: usize = 300;

/// Orders each writer places while the runners are killed.
const PER_WRITER: usize = 25;

/// Writers.
const WRITERS: usize = 8;

/// Kills of the runner.
const KILLS: usize = 12;

/// How the runner follows: a short lease, so that the next runner takes
/// over soon after a kill.
fn following() -> Following {
    Following {
        lease: Duration::from_millis(40),
        idle: Duration::from_millis(5),
        ..Following::default()
    }
}

/// The runner process of [`a_runner_killed_again_and_again_charges_each_order_once`],
/// not a test of its own: that test runs this binary again with only this
/// test, and [`RUNNER`] set to a database's URL. It then runs the shop's
/// policies until it is killed. Run by itself (no [`RUNNER`]), it checks
/// that the runner it would run follows every policy.
#[test]
fn runner_process_for_the_kill_test() {
    let Ok(url) = std::env::var(RUNNER) else {
        assert_eq!(Policy::ALL.len(), 7);
        assert!(following().lease < Following::default().lease);
        return;
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let pool = connect(&url, 4).await.unwrap();
        let policies = Policies::new(pool, Notifier::default()).following(following());
        loop {
            // A database error ends a round; the next starts from the
            // checkpoints.
            let Err(_) = policies.run().await;
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    });
}

/// A runner process on the database at `url`.
fn runner(url: &str) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "runner_process_for_the_kill_test", "--nocapture"])
        .env(RUNNER, url)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the runner starts")
}

async fn database() -> (String, Pool) {
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
    let name = format!("shop_crash_{}", std::process::id());
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await
        .expect("a test database");
    admin.close().await;
    let (server, _) = url.rsplit_once('/').expect("a URL ending in /<database>");
    let url = format!("{server}/{name}");
    let pool = connect(&url, 8).await.expect("a connection");
    migrate(&pool).await.unwrap();
    (url, pool)
}

fn place(id: &str) -> OrdersCommand {
    orders::Place {
        order_id: OrderId::new(id),
        customer: format!("customer of {id}"),
        total: 100,
    }
    .into()
}

/// How many of the store's events are of `model` and named `event_type`.
async fn stored(pool: &Pool, model: &str, event_type: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE aggregate_type = $1 AND event_type = $2")
        .bind(model)
        .bind(event_type)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Whether the runner was caught between storing a charge and moving its
/// checkpoint past the order it is for: more charges than placed orders
/// at or before the checkpoint.
async fn caught_in_the_window(pool: &Pool) -> bool {
    let checkpoint: i64 = sqlx::query_scalar(
        "SELECT COALESCE((SELECT position FROM esgen_subscriptions WHERE name = 'placed-then-charge'), 0)",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let through: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM events WHERE aggregate_type = $1 AND event_type = 'placed' AND position <= $2",
    )
    .bind(orders::STORED_AS)
    .bind(checkpoint)
    .fetch_one(pool)
    .await
    .unwrap();
    stored(pool, payments::STORED_AS, "charged").await > through
}

/// Fault: the runner (this binary, running
/// [`runner_process_for_the_kill_test`]) is killed with SIGKILL twelve
/// times, 150 to 450 ms after it started, with 300 orders placed before
/// the first and eight writers placing 200 more meanwhile; it is started
/// again each time, and the last one runs until every order is charged.
///
/// Proves: a policy's command cut off by a crash of its runner — before
/// it was sent, after it was stored and before the checkpoint moved, or
/// after — is stored once; no order is left uncharged; nothing is parked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_runner_killed_again_and_again_charges_each_order_once() {
    let (url, pool) = database().await;
    let orders = std::sync::Arc::new(orders_cqrs::<Orders>(pool.clone(), Vec::new()));
    for n in 0..BACKLOG {
        orders_execute(&orders, place(&format!("b{n}")))
            .await
            .unwrap();
    }
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let orders = orders.clone();
            tokio::spawn(async move {
                for n in 0..PER_WRITER {
                    orders_execute(&orders, place(&format!("w{w}-{n}")))
                        .await
                        .unwrap();
                    tokio::time::sleep(Duration::from_millis(3)).await;
                }
            })
        })
        .collect();
    let mut windows = 0;
    // A pseudo-random wait from the test's own process id.
    let mut seed = u64::from(std::process::id()) | 1;
    for _ in 0..KILLS {
        let mut child = runner(&url);
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        tokio::time::sleep(Duration::from_millis(150 + seed % 300)).await;
        child.kill().unwrap();
        child.wait().unwrap();
        windows += usize::from(caught_in_the_window(&pool).await);
    }
    for writer in writers {
        writer.await.unwrap();
    }
    let mut last = runner(&url);
    let charge = Policies::<Notifier>::subscription(Policy::PlacedThenCharge);
    let started = Instant::now();
    while lag(&pool, &charge).await.unwrap() > 0 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the last runner did not catch up"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    last.kill().unwrap();
    last.wait().unwrap();

    let placed = (BACKLOG + WRITERS * PER_WRITER) as i64;
    assert_eq!(stored(&pool, orders::STORED_AS, "placed").await, placed);
    assert_eq!(stored(&pool, payments::STORED_AS, "charged").await, placed);
    let charged_orders: i64 = sqlx::query_scalar(
        "SELECT COUNT(DISTINCT aggregate_id) FROM events WHERE aggregate_type = $1",
    )
    .bind(payments::STORED_AS)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(charged_orders, placed, "one charge per order");
    let parked = dead_letters(&pool).await.unwrap();
    assert!(parked.is_empty(), "{parked:?}");
    eprintln!("{KILLS} kills, {windows} between a charge stored and its checkpoint");
}
