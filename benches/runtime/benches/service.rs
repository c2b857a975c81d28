//! Requests per second and per-request latency (p50, p99) of the
//! generated HTTP service (`accounts::generated::http`) against a
//! hand-written axum handler in the shape of cqrs-es's demo (one route,
//! the command as JSON, `execute`, `204` or `400`), side by side in one
//! run, on the same store: 4,000 commands over 400 accounts
//! (`specs/accounts.ddd`: each opened, then deposits and withdrawals),
//! from 4 connections kept alive, over 127.0.0.1 only. Both run the same
//! generated aggregate through the same runtime and repository, so the
//! difference is the HTTP layer's: the generated one reads the body
//! against the command's fields, answers with the event, and records a
//! span and metrics.
//!
//! Rounds alternate which goes first; each starts from an empty store (a
//! new SQLite file; a new database on PostgreSQL). Throughput is the
//! median of the rounds' wall times; the percentiles pool every request of
//! every round. `cargo bench -p esgen-runtime-bench --bench service` runs
//! it on SQLite, and on PostgreSQL too when `ESGEN_TEST_DATABASE_URL` is
//! set (`bash benches/postgres.sh` starts a cluster and sets it).
//! `ESGEN_BENCH_ROUNDS` sets the rounds (default 5). Results and ratios in
//! `docs/performance.md`.

use accounts::accounts::{AccountId, Accounts, AccountsCommand, Deposit, Open, Withdraw};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{Request, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use axum::{Json, Router};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use std::sync::Arc;
use std::time::{Duration, Instant};

const ACCOUNTS: usize = 400;
const COMMANDS: usize = 4_000;
const CONNECTIONS: usize = 4;

/// Each request: its path on each service, and its body on each.
#[derive(Clone)]
struct Sent {
    generated: (String, String),
    hand: (String, String),
}

/// The commands, as `CONNECTIONS` lists that never share an account.
fn workload() -> Vec<Vec<Sent>> {
    let mut lists = vec![Vec::new(); CONNECTIONS];
    for n in 0..COMMANDS {
        let account = n % ACCOUNTS;
        let id = AccountId::new(format!("a{account}"));
        let command: AccountsCommand = if n < ACCOUNTS {
            Open {
                id: id.clone(),
                owner: format!("owner {account}"),
            }
            .into()
        } else if (n / ACCOUNTS) % 2 == 1 {
            Deposit {
                id: id.clone(),
                amount: 100,
            }
            .into()
        } else {
            Withdraw {
                id: id.clone(),
                amount: 50,
            }
            .into()
        };
        let tagged = serde_json::to_value(&command).expect("a command as JSON");
        let (action, fields) = tagged
            .as_object()
            .and_then(|o| o.iter().next())
            .map(|(a, f)| (a.clone(), f.to_string()))
            .expect("a tagged command");
        lists[account % CONNECTIONS].push(Sent {
            generated: (format!("/api/accounts/commands/{action}"), fields),
            hand: (format!("/account/{id}"), tagged.to_string()),
        });
    }
    lists
}

/// The hand-written service: cqrs-es's demo's shape, over the same
/// framework the generated service builds.
fn hand<F: Send + Sync + 'static>(
    cqrs: Arc<F>,
    execute: fn(Arc<F>, String, AccountsCommand) -> Execution,
) -> Router {
    Router::new()
        .route(
            "/account/{id}",
            post(
                move |Path(id): Path<String>,
                      State(cqrs): State<Arc<F>>,
                      Json(command): Json<AccountsCommand>| async move {
                    match execute(cqrs, id, command).await {
                        Ok(()) => StatusCode::NO_CONTENT.into_response(),
                        Err(error) => (StatusCode::BAD_REQUEST, error).into_response(),
                    }
                },
            ),
        )
        .with_state(cqrs)
}

/// A command executed by a hand-written handler: `Ok` or the error's text.
type Execution = std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), String>> + Send>>;

/// Serves `app` on 127.0.0.1; its base URL.
async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let address = listener.local_addr().expect("an address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

/// One round against the service at `base`: each list on its own
/// connection. The wall time, and each request's latency.
async fn round(base: &str, lists: &[Vec<Sent>], generated: bool) -> (Duration, Vec<Duration>) {
    let start = Instant::now();
    let tasks: Vec<_> = lists
        .iter()
        .cloned()
        .map(|list| {
            let base = base.to_string();
            tokio::spawn(async move {
                // One client per list, so one connection kept alive.
                let client = Client::builder(TokioExecutor::new())
                    .pool_max_idle_per_host(1)
                    .build_http::<Full<Bytes>>();
                let mut latencies = Vec::with_capacity(list.len());
                for sent in list {
                    let (path, body) = if generated { sent.generated } else { sent.hand };
                    let request = Request::post(format!("{base}{path}"))
                        .header("content-type", "application/json")
                        .body(Full::new(Bytes::from(body)))
                        .expect("a request");
                    let began = Instant::now();
                    let response = client.request(request).await.expect("an answer");
                    let status = response.status();
                    let body = response.into_body().collect().await.expect("a body");
                    latencies.push(began.elapsed());
                    assert!(
                        status.is_success(),
                        "{status}: {}",
                        String::from_utf8_lossy(&body.to_bytes())
                    );
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(COMMANDS);
    for task in tasks {
        latencies.extend(task.await.expect("a connection"));
    }
    (start.elapsed(), latencies)
}

/// What the rounds of one service measured.
#[derive(Default)]
struct Measured {
    walls: Vec<Duration>,
    latencies: Vec<Duration>,
}

impl Measured {
    fn add(&mut self, (wall, latencies): (Duration, Vec<Duration>)) {
        self.walls.push(wall);
        self.latencies.extend(latencies);
    }

    fn median_wall(&self) -> Duration {
        let mut walls = self.walls.clone();
        walls.sort();
        walls[walls.len() / 2]
    }

    fn percentile(&self, p: f64) -> Duration {
        let mut all = self.latencies.clone();
        all.sort();
        let at = ((all.len() as f64 * p).ceil() as usize).clamp(1, all.len()) - 1;
        all[at]
    }

    fn per_second(&self) -> f64 {
        COMMANDS as f64 / self.median_wall().as_secs_f64()
    }
}

fn report(store: &str, rounds: usize, generated: &Measured, hand: &Measured) {
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    eprintln!(
        "\n{store}: {COMMANDS} requests over {ACCOUNTS} accounts, {CONNECTIONS} connections, {rounds} rounds each"
    );
    eprintln!(
        "{:<14} {:>12} {:>12} {:>10} {:>10}",
        "service", "median wall", "requests/s", "p50 µs", "p99 µs"
    );
    for (name, m) in [("generated", generated), ("hand-written", hand)] {
        eprintln!(
            "{:<14} {:>9.1} ms {:>12.0} {:>10.1} {:>10.1}",
            name,
            m.median_wall().as_secs_f64() * 1e3,
            m.per_second(),
            us(m.percentile(0.50)),
            us(m.percentile(0.99)),
        );
    }
    eprintln!(
        "generated / hand-written: time {:.3}×, p50 {:.3}×, p99 {:.3}×",
        generated.median_wall().as_secs_f64() / hand.median_wall().as_secs_f64(),
        us(generated.percentile(0.50)) / us(hand.percentile(0.50)),
        us(generated.percentile(0.99)) / us(hand.percentile(0.99)),
    );
}

fn rounds() -> usize {
    std::env::var("ESGEN_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5)
        .max(1)
}

/// Both services on a store `fresh` makes anew for each round.
async fn compare<P, Fut>(store: &str, lists: &[Vec<Sent>], fresh: impl Fn(usize) -> Fut)
where
    Fut: std::future::Future<Output = (Router, Router, P)>,
{
    let rounds = rounds();
    let (mut generated, mut hand) = (Measured::default(), Measured::default());
    for n in 0..rounds {
        let (generated_app, hand_app, keep) = fresh(n).await;
        let generated_url = serve(generated_app).await;
        let hand_url = serve(hand_app).await;
        if n % 2 == 0 {
            generated.add(round(&generated_url, lists, true).await);
            hand.add(round(&hand_url, lists, false).await);
        } else {
            hand.add(round(&hand_url, lists, false).await);
            generated.add(round(&generated_url, lists, true).await);
        }
        drop(keep);
    }
    report(store, rounds, &generated, &hand);
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let lists = workload();
    runtime.block_on(compare("SQLite", &lists, |_| async {
        use accounts::generated::runtime::sqlite::{accounts_cqrs, connect, migrate};
        let dir = tempfile::tempdir().expect("a directory");
        let open = |name: &str| {
            let path = dir.path().join(name);
            async move {
                let pool = connect(path.to_str().expect("a path"), 8)
                    .await
                    .expect("an SQLite file");
                migrate(&pool).await.expect("the schema applies");
                pool
            }
        };
        let generated = accounts::generated::http::sqlite::router(open("generated.db").await);
        let pool = open("hand.db").await;
        let cqrs = Arc::new(accounts_cqrs::<Accounts>(pool, Vec::new()));
        let hand = hand(cqrs, |cqrs, id, command| {
            Box::pin(async move {
                let stream = format!("account/{id}");
                cqrs.execute(&stream, command)
                    .await
                    .map_err(|e| e.to_string())
            })
        });
        (generated, hand, dir)
    }));
    let Ok(url) = std::env::var("ESGEN_TEST_DATABASE_URL") else {
        eprintln!(
            "\nPostgreSQL: skipped, ESGEN_TEST_DATABASE_URL is not set (bash benches/postgres.sh sets it)"
        );
        return;
    };
    runtime.block_on(compare("PostgreSQL", &lists, |n| {
        let url = url.clone();
        async move {
            use accounts::generated::runtime::{accounts_cqrs, connect, migrate};
            let database = |name: String| {
                let url = url.clone();
                async move {
                    let admin = connect(&url, 1).await.expect("PostgreSQL");
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
            };
            let id = std::process::id();
            let generated = accounts::generated::http::postgres::router(
                database(format!("service_generated_{id}_{n}")).await,
            );
            let pool = database(format!("service_hand_{id}_{n}")).await;
            let cqrs = Arc::new(accounts_cqrs::<Accounts>(pool, Vec::new()));
            let hand = hand(cqrs, |cqrs, id, command| {
                Box::pin(async move {
                    let stream = format!("account/{id}");
                    cqrs.execute(&stream, command)
                        .await
                        .map_err(|e| e.to_string())
                })
            });
            (generated, hand, ())
        }
    }));
}
