//! Commands per second and per-command latency (p50, p99) through the
//! generated cqrs-es adapter and through a hand-written cqrs-es aggregate
//! doing the same work, side by side in one run: 10,000 commands over
//! 1,000 accounts (`specs/accounts.ddd`: each account opened, then
//! deposits and withdrawals), from 4 concurrent writers, on cqrs-es's
//! `MemStore` and on PostgreSQL through postgres-es.
//!
//! The rounds alternate which adapter goes first; each round starts from
//! an empty store (a new database on PostgreSQL). Throughput is the median
//! of the rounds' wall times; the percentiles pool every command of every
//! round.
//!
//! `bash benches/postgres.sh` starts a throwaway PostgreSQL cluster and
//! runs this; `cargo bench -p esgen-runtime-bench --bench latency` alone
//! runs the `MemStore` half and says why it skips the other.
//! `ESGEN_BENCH_ROUNDS` sets the rounds (default: 10 in memory, 5 on
//! PostgreSQL). The report goes to standard error: cqrs-es's `MemStore`
//! prints two lines per command on standard output, which the script
//! sends to `/dev/null`. Results and ratios in `docs/performance.md`.

use accounts::accounts::{AccountId, Accounts, AccountsCommand, Deposit, Open, Withdraw};
use accounts::generated::runtime::{
    accounts_cqrs, accounts_stream, connect, migrate, AccountsStream,
};
use cqrs_es::mem_store::MemStore;
use cqrs_es::{Aggregate, CqrsFramework, EventStore};
use esgen_runtime_bench::hand_cqrs::HandAccount;
use std::sync::Arc;
use std::time::{Duration, Instant};

const ACCOUNTS: usize = 1_000;
const COMMANDS: usize = 10_000;
const WRITERS: usize = 4;

/// `COMMANDS` commands over `ACCOUNTS` accounts: each account opened,
/// then deposits and withdrawals in turn, as `WRITERS` lists that never
/// share an account.
fn workload() -> Vec<Vec<AccountsCommand>> {
    let mut lists = vec![Vec::new(); WRITERS];
    for n in 0..COMMANDS {
        let account = n % ACCOUNTS;
        let id = AccountId::new(format!("a{account}"));
        let command: AccountsCommand = if n < ACCOUNTS {
            Open {
                id,
                owner: format!("owner {account}"),
            }
            .into()
        } else if (n / ACCOUNTS) % 2 == 1 {
            Deposit { id, amount: 100 }.into()
        } else {
            Withdraw { id, amount: 50 }.into()
        };
        lists[account % WRITERS].push(command);
    }
    lists
}

/// One round: every list on its own task against `cqrs`. The wall time,
/// and each command's latency.
async fn round<A, ES>(
    cqrs: Arc<CqrsFramework<A, ES>>,
    lists: &[Vec<AccountsCommand>],
) -> (Duration, Vec<Duration>)
where
    A: Aggregate<Command = AccountsCommand> + 'static,
    ES: EventStore<A> + 'static,
    ES::AC: Send,
{
    let start = Instant::now();
    let tasks: Vec<_> = lists
        .iter()
        .cloned()
        .map(|list| {
            let cqrs = cqrs.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(list.len());
                for command in list {
                    let id = accounts_stream(&command);
                    let sent = Instant::now();
                    cqrs.execute(&id, command)
                        .await
                        .unwrap_or_else(|e| panic!("{e}"));
                    latencies.push(sent.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(COMMANDS);
    for task in tasks {
        latencies.extend(task.await.expect("a writer"));
    }
    (start.elapsed(), latencies)
}

/// What the rounds of one adapter on one store measured.
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
    eprintln!("\n{store}: {COMMANDS} commands over {ACCOUNTS} accounts, {WRITERS} writers, {rounds} rounds each");
    eprintln!(
        "{:<14} {:>12} {:>12} {:>10} {:>10}",
        "adapter", "median wall", "commands/s", "p50 µs", "p99 µs"
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

fn rounds(default: usize) -> usize {
    std::env::var("ESGEN_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(default)
        .max(1)
}

fn memory(runtime: &tokio::runtime::Runtime, lists: &[Vec<AccountsCommand>]) {
    let rounds = rounds(10);
    let (mut generated, mut hand) = (Measured::default(), Measured::default());
    for n in 0..rounds {
        let gen = || {
            let cqrs = CqrsFramework::new(MemStore::default(), Vec::new(), ());
            runtime.block_on(round::<AccountsStream<Accounts>, _>(Arc::new(cqrs), lists))
        };
        let by_hand = || {
            let cqrs = CqrsFramework::new(MemStore::default(), Vec::new(), ());
            runtime.block_on(round::<HandAccount, _>(Arc::new(cqrs), lists))
        };
        if n % 2 == 0 {
            generated.add(gen());
            hand.add(by_hand());
        } else {
            hand.add(by_hand());
            generated.add(gen());
        }
    }
    report("MemStore", rounds, &generated, &hand);
}

/// A new, empty database on the cluster at `url`, with the crate's schema.
async fn database(url: &str, n: usize) -> sqlx::PgPool {
    let admin = connect(url, 1)
        .await
        .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {url}: {e}"));
    let name = format!("bench_{}_{n}", std::process::id());
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

fn postgres(runtime: &tokio::runtime::Runtime, lists: &[Vec<AccountsCommand>], url: &str) {
    let rounds = rounds(5);
    let (mut generated, mut hand) = (Measured::default(), Measured::default());
    let mut databases = 0;
    for n in 0..rounds {
        let mut gen = || {
            databases += 1;
            runtime.block_on(async {
                let pool = database(url, databases).await;
                let cqrs = accounts_cqrs::<Accounts>(pool.clone(), Vec::new());
                let measured = round(Arc::new(cqrs), lists).await;
                pool.close().await;
                measured
            })
        };
        let first = if n % 2 == 0 { Some(gen()) } else { None };
        databases += 1;
        let by_hand = runtime.block_on(async {
            let pool = database(url, databases).await;
            let cqrs = postgres_es::postgres_cqrs::<HandAccount>(pool.clone(), Vec::new(), ());
            let measured = round(Arc::new(cqrs), lists).await;
            pool.close().await;
            measured
        });
        hand.add(by_hand);
        let second = match first {
            Some(first) => first,
            None => {
                databases += 1;
                runtime.block_on(async {
                    let pool = database(url, databases).await;
                    let cqrs = accounts_cqrs::<Accounts>(pool.clone(), Vec::new());
                    let measured = round(Arc::new(cqrs), lists).await;
                    pool.close().await;
                    measured
                })
            }
        };
        generated.add(second);
    }
    report("PostgreSQL", rounds, &generated, &hand);
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not
    // ask for a measurement.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let lists = workload();
    memory(&runtime, &lists);
    match std::env::var("ESGEN_TEST_DATABASE_URL") {
        Ok(url) => postgres(&runtime, &lists, &url),
        Err(_) => eprintln!(
            "\nPostgreSQL: skipped, ESGEN_TEST_DATABASE_URL is not set; `bash benches/postgres.sh` starts a cluster and runs this bench"
        ),
    }
}
