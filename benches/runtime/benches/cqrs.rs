//! The generated cqrs-es adapter against a hand-written cqrs-es aggregate
//! doing the same work, on cqrs-es's `MemStore`, in one run:
//!
//! - `adapter/*`: 10,000 commands over 1,000 accounts (each opened, then
//!   deposits and withdrawals), from 4 concurrent writers, through
//!   `AccountsStream<Accounts>` (the generated rules) and through
//!   `HandAccount` (`src/hand_cqrs.rs`);
//! - `streams/*`: 2,000 commands over 200 accounts through the generated
//!   adapter, one stream per account (as esgen splits `accounts.ddd`)
//!   against one stream for the whole model, to show what the split buys:
//!   every command loads its stream's events.
//!
//! `cargo bench -p esgen-runtime-bench --bench cqrs`; results and ratios
//! in `docs/performance.md`.

use accounts::accounts::{AccountId, Accounts, AccountsCommand, Deposit, Open, Withdraw};
use accounts::generated::runtime::{accounts_stream, AccountsStream};
use cqrs_es::mem_store::MemStore;
use cqrs_es::{Aggregate, CqrsFramework};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use esgen_runtime_bench::hand_cqrs::HandAccount;
use std::sync::Arc;

/// `commands` commands over `accounts` accounts: each account opened,
/// then deposits and withdrawals in turn, as `writers` lists of commands
/// that never share an account.
fn workload(accounts: usize, commands: usize, writers: usize) -> Vec<Vec<AccountsCommand>> {
    let mut lists = vec![Vec::new(); writers];
    for n in 0..commands {
        let account = n % accounts;
        let id = AccountId::new(format!("a{account}"));
        let command: AccountsCommand = if n < accounts {
            Open {
                id,
                owner: format!("owner {account}"),
            }
            .into()
        } else if (n / accounts) % 2 == 1 {
            Deposit { id, amount: 100 }.into()
        } else {
            Withdraw { id, amount: 50 }.into()
        };
        lists[account % writers].push(command);
    }
    lists
}

/// Runs every list on its own task against one framework; `stream` names
/// each command's aggregate.
async fn run<A>(
    cqrs: Arc<CqrsFramework<A, MemStore<A>>>,
    lists: &[Vec<AccountsCommand>],
    stream: fn(&AccountsCommand) -> String,
) where
    A: Aggregate<Command = AccountsCommand> + 'static,
{
    let tasks: Vec<_> = lists
        .iter()
        .cloned()
        .map(|list| {
            let cqrs = cqrs.clone();
            tokio::spawn(async move {
                for command in list {
                    let id = stream(&command);
                    cqrs.execute(&id, command)
                        .await
                        .unwrap_or_else(|e| panic!("{e}"));
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
}

fn framework<A: Aggregate<Services = ()>>() -> Arc<CqrsFramework<A, MemStore<A>>> {
    Arc::new(CqrsFramework::new(MemStore::default(), Vec::new(), ()))
}

fn adapter(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let lists = workload(1_000, 10_000, 4);
    let mut group = c.benchmark_group("adapter");
    group.throughput(Throughput::Elements(10_000));
    group.sample_size(20);
    group.bench_function("generated", |b| {
        b.iter(|| {
            runtime.block_on(run(
                framework::<AccountsStream<Accounts>>(),
                &lists,
                accounts_stream,
            ))
        })
    });
    group.bench_function("hand-written", |b| {
        b.iter(|| runtime.block_on(run(framework::<HandAccount>(), &lists, accounts_stream)))
    });
    group.finish();
}

fn streams(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    // One writer: a single stream would make several conflict.
    let lists = workload(200, 2_000, 1);
    let mut group = c.benchmark_group("streams");
    group.throughput(Throughput::Elements(2_000));
    group.sample_size(10);
    group.bench_function("one-per-account", |b| {
        b.iter(|| {
            runtime.block_on(run(
                framework::<AccountsStream<Accounts>>(),
                &lists,
                accounts_stream,
            ))
        })
    });
    group.bench_function("one-for-the-model", |b| {
        b.iter(|| {
            runtime.block_on(run(framework::<AccountsStream<Accounts>>(), &lists, |_| {
                String::from("bank")
            }))
        })
    });
    group.finish();
}

criterion_group!(benches, adapter, streams);
criterion_main!(benches);
