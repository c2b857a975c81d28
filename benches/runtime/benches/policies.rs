//! A policy's subscription against the polling loop a team writes by hand
//! today, side by side in one run, on the same store (`specs/shop.ddd`):
//!
//! - **throughput**: 2,000 orders placed, then `placed-then-charge`
//!   followed from the start until it has charged them all — the
//!   generated runner (`Policies::step`: a lease, the events read without
//!   a gap, the command sent once under its event's key, the checkpoint
//!   saved after each event) against a loop over `read_all` that sends the
//!   same command the same way (`send`, the same key) and keeps its place
//!   in memory only;
//! - **delay**: 300 orders placed 10 ms apart while a runner follows
//!   `placed-then-send-confirmation`, waiting 10 ms whenever it has caught
//!   up; the delay from an order's `place` returning to the policy
//!   acting on its event (the `notify by` function called), p50 and p99,
//!   against the hand loop handing the event over at the same point.
//!
//! Rounds alternate which goes first; each starts from an empty store.
//! `cargo bench -p esgen-runtime-bench --bench policies` runs it on SQLite,
//! and on PostgreSQL too when `ESGEN_TEST_DATABASE_URL` is set (`bash
//! benches/postgres.sh` starts a cluster and sets it).
//! `ESGEN_BENCH_ROUNDS` sets the rounds (default 5). Results and ratios in
//! `docs/performance.md`.

use shop::generated::orders::{OrderId, OrdersCommand, OrdersEvent, Place, Placed};
use shop::generated::policies::{Notifications, NotifyError, Policy};
use shop::orders::Orders;
use shop::payments::Payments;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BACKLOG: usize = 2_000;
const PACED: usize = 300;
const PACE: Duration = Duration::from_millis(10);
const IDLE: Duration = Duration::from_millis(10);

fn rounds() -> usize {
    std::env::var("ESGEN_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5)
}

fn place(n: usize) -> OrdersCommand {
    Place {
        order_id: OrderId::new(format!("o{n}")),
        customer: format!("customer {n}"),
        total: 100,
    }
    .into()
}

/// When each order's event was handed to the policy, by order.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<HashMap<String, Instant>>>);

impl Seen {
    fn saw(&self, event: &Placed) {
        if let Ok(mut seen) = self.0.lock() {
            seen.entry(event.order_id.to_string())
                .or_insert_with(Instant::now);
        }
    }

    fn len(&self) -> usize {
        self.0.lock().map(|s| s.len()).unwrap_or_default()
    }
}

impl Notifications for Seen {
    async fn send_confirmation(&self, event: &Placed, _key: &str) -> Result<(), NotifyError> {
        self.saw(event);
        Ok(())
    }

    async fn tell_the_customer(
        &self,
        _event: &shop::generated::payments::Declined,
        _key: &str,
    ) -> Result<(), NotifyError> {
        Ok(())
    }
}

/// What the rounds measured of one side.
#[derive(Default)]
struct Measured {
    walls: Vec<Duration>,
    delays: Vec<Duration>,
}

impl Measured {
    fn median_wall(&self) -> Duration {
        let mut walls = self.walls.clone();
        walls.sort();
        walls[walls.len() / 2]
    }

    fn percentile(&self, p: f64) -> Duration {
        let mut delays = self.delays.clone();
        delays.sort();
        let at = ((delays.len() as f64 - 1.0) * p).round() as usize;
        delays[at]
    }
}

fn report(store: &str, rounds: usize, generated: &Measured, hand: &Measured) {
    eprintln!("\n{store}, {rounds} rounds");
    eprintln!(
        "  {:<11} {:>14} {:>10} {:>12} {:>12}",
        "", "median wall", "events/s", "delay p50", "delay p99"
    );
    for (name, m) in [("generated", generated), ("by hand", hand)] {
        eprintln!(
            "  {name:<11} {:>11.1} ms {:>10.0} {:>9.1} ms {:>9.1} ms",
            m.median_wall().as_secs_f64() * 1e3,
            BACKLOG as f64 / m.median_wall().as_secs_f64(),
            m.percentile(0.5).as_secs_f64() * 1e3,
            m.percentile(0.99).as_secs_f64() * 1e3,
        );
    }
    eprintln!(
        "  generated / by hand: throughput time {:.3}x, delay p50 {:.3}x, p99 {:.3}x",
        generated.median_wall().as_secs_f64() / hand.median_wall().as_secs_f64(),
        generated.percentile(0.5).as_secs_f64() / hand.percentile(0.5).as_secs_f64(),
        generated.percentile(0.99).as_secs_f64() / hand.percentile(0.99).as_secs_f64(),
    );
}

/// The benchmark over one store's runtime, `$runtime` and `$policies`
/// its modules, `fresh` a new empty pool.
macro_rules! bench_store {
    ($runtime:path, $policies:path) => {{
        use policies_of::Policies;
        use runtime_of::{
            causation, orders_cqrs, orders_execute, payments_cqrs, read_all, send, Following, Pool,
        };
        use $policies as policies_of;
        use $runtime as runtime_of;

        /// Places `n` orders, numbered from `from`.
        async fn backlog(pool: &Pool, from: usize, n: usize) {
            let orders = orders_cqrs::<Orders>(pool.clone(), Vec::new());
            for k in from..from + n {
                orders_execute(&orders, place(k)).await.expect("an order");
            }
        }

        /// The generated runner charges the backlog: its wall time.
        async fn generated_throughput(pool: Pool) -> Duration {
            backlog(&pool, 0, BACKLOG).await;
            let policies = Policies::new(pool, Seen::default());
            let started = Instant::now();
            let mut read = 0;
            while read < BACKLOG {
                read += policies
                    .step(Policy::PlacedThenCharge)
                    .await
                    .expect("a step");
            }
            started.elapsed()
        }

        /// The hand loop charges the backlog: its wall time.
        async fn hand_throughput(pool: Pool) -> Duration {
            backlog(&pool, 0, BACKLOG).await;
            let payments = payments_cqrs::<Payments>(pool.clone(), Vec::new());
            let started = Instant::now();
            let (mut after, mut charged) = (0, 0);
            while charged < BACKLOG {
                for event in read_all(&pool, after, 100).await.expect("a page") {
                    after = event.position;
                    if event.model != shop::generated::orders::STORED_AS {
                        continue;
                    }
                    let Ok(OrdersEvent::Placed(placed)) =
                        serde_json::from_value::<OrdersEvent>(event.payload.clone())
                    else {
                        continue;
                    };
                    let command = shop::generated::orders::placed_then_charge(&placed);
                    let key = causation("placed-then-charge", &event);
                    send(
                        &payments,
                        &pool,
                        &key,
                        command,
                        shop::generated::runtime::payments_stream,
                    )
                    .await
                    .expect("a charge");
                    charged += 1;
                }
            }
            started.elapsed()
        }

        /// Orders placed `PACE` apart while `follow` runs: the delay of each
        /// from its `place` returning to the policy acting on it.
        async fn delays<F, Fut>(pool: Pool, seen: Seen, follow: F) -> Vec<Duration>
        where
            F: FnOnce(Pool, Seen) -> Fut,
            Fut: std::future::Future<Output = ()> + Send + 'static,
        {
            let runner = tokio::spawn(follow(pool.clone(), seen.clone()));
            let orders = orders_cqrs::<Orders>(pool.clone(), Vec::new());
            let mut placed = HashMap::new();
            for k in 0..PACED {
                orders_execute(&orders, place(k)).await.expect("an order");
                placed.insert(format!("o{k}"), Instant::now());
                tokio::time::sleep(PACE).await;
            }
            while seen.len() < PACED {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            runner.abort();
            let seen = seen.0.lock().expect("the times").clone();
            placed
                .iter()
                .map(|(order, at)| seen[order].saturating_duration_since(*at))
                .collect()
        }

        async fn generated_delays(pool: Pool) -> Vec<Duration> {
            delays(pool, Seen::default(), |pool, seen| async move {
                let following = Following {
                    idle: IDLE,
                    ..Following::default()
                };
                let policies = Policies::new(pool, seen).following(following);
                loop {
                    let read = policies
                        .step(Policy::PlacedThenSendConfirmation)
                        .await
                        .expect("a step");
                    if read == 0 {
                        tokio::time::sleep(IDLE).await;
                    }
                }
            })
            .await
        }

        async fn hand_delays(pool: Pool) -> Vec<Duration> {
            delays(pool, Seen::default(), |pool, seen| async move {
                let mut after = 0;
                loop {
                    let page = read_all(&pool, after, 100).await.expect("a page");
                    if page.is_empty() {
                        tokio::time::sleep(IDLE).await;
                    }
                    for event in page {
                        after = event.position;
                        if let Ok(OrdersEvent::Placed(placed)) =
                            serde_json::from_value::<OrdersEvent>(event.payload)
                        {
                            seen.saw(&placed);
                        }
                    }
                }
            })
            .await
        }

        (
            generated_throughput,
            hand_throughput,
            generated_delays,
            hand_delays,
        )
    }};
}

async fn compare<Fresh, FreshFut, G, GF, H, HF, GD, GDF, HD, HDF>(
    store: &str,
    fresh: Fresh,
    (generated_throughput, hand_throughput, generated_delays, hand_delays): (G, H, GD, HD),
) where
    Fresh: Fn(usize) -> FreshFut,
    FreshFut: std::future::Future,
    FreshFut::Output: Pooled,
    G: Fn(<FreshFut::Output as Pooled>::Pool) -> GF,
    GF: std::future::Future<Output = Duration>,
    H: Fn(<FreshFut::Output as Pooled>::Pool) -> HF,
    HF: std::future::Future<Output = Duration>,
    GD: Fn(<FreshFut::Output as Pooled>::Pool) -> GDF,
    GDF: std::future::Future<Output = Vec<Duration>>,
    HD: Fn(<FreshFut::Output as Pooled>::Pool) -> HDF,
    HDF: std::future::Future<Output = Vec<Duration>>,
{
    let rounds = rounds();
    let (mut generated, mut hand) = (Measured::default(), Measured::default());
    for n in 0..rounds {
        let mut pools = Vec::new();
        for k in 0..4 {
            pools.push(fresh(4 * n + k).await);
        }
        let mut pools = pools.into_iter();
        let mut next = || pools.next().expect("a pool").pool();
        if n % 2 == 0 {
            generated.walls.push(generated_throughput(next()).await);
            hand.walls.push(hand_throughput(next()).await);
            generated.delays.extend(generated_delays(next()).await);
            hand.delays.extend(hand_delays(next()).await);
        } else {
            hand.walls.push(hand_throughput(next()).await);
            generated.walls.push(generated_throughput(next()).await);
            hand.delays.extend(hand_delays(next()).await);
            generated.delays.extend(generated_delays(next()).await);
        }
    }
    report(store, rounds, &generated, &hand);
}

/// A store made for a round: its pool, and what keeps it (a directory).
trait Pooled {
    type Pool;
    fn pool(&self) -> Self::Pool;
}

impl Pooled
    for (
        shop::generated::runtime::sqlite::Pool,
        Arc<tempfile::TempDir>,
    )
{
    type Pool = shop::generated::runtime::sqlite::Pool;
    fn pool(&self) -> Self::Pool {
        self.0.clone()
    }
}

impl Pooled for shop::generated::runtime::postgres::Pool {
    type Pool = shop::generated::runtime::postgres::Pool;
    fn pool(&self) -> Self::Pool {
        self.clone()
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let dir = Arc::new(tempfile::tempdir().expect("a directory"));
    runtime.block_on(compare(
        "SQLite",
        |n| {
            let dir = dir.clone();
            async move {
                use shop::generated::runtime::sqlite::{connect, migrate};
                let path = dir.path().join(format!("round-{n}.db"));
                let pool = connect(path.to_str().expect("a path"), 8)
                    .await
                    .expect("an SQLite file");
                migrate(&pool).await.expect("the schema applies");
                (pool, dir)
            }
        },
        bench_store!(
            shop::generated::runtime::sqlite,
            shop::generated::policies::sqlite
        ),
    ));
    let Ok(url) = std::env::var("ESGEN_TEST_DATABASE_URL") else {
        eprintln!(
            "\nPostgreSQL: skipped, ESGEN_TEST_DATABASE_URL is not set (bash benches/postgres.sh sets it)"
        );
        return;
    };
    runtime.block_on(compare(
        "PostgreSQL",
        |n| {
            let url = url.clone();
            async move {
                use shop::generated::runtime::postgres::{connect, migrate};
                let admin = connect(&url, 1).await.expect("PostgreSQL");
                let name = format!("policies_bench_{}_{n}", std::process::id());
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&admin)
                    .await
                    .expect("a database");
                admin.close().await;
                let (server, _) = url.rsplit_once('/').expect("a URL ending in /<database>");
                let pool = connect(&format!("{server}/{name}"), 8)
                    .await
                    .expect("a connection");
                migrate(&pool).await.expect("the schema applies");
                pool
            }
        },
        bench_store!(
            shop::generated::runtime::postgres,
            shop::generated::policies::postgres
        ),
    ));
}
