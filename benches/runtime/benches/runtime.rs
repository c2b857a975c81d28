//! The code esgen generates, at run time: the todos example's aggregate
//! (`TodosAggregate`, generated, over the user's `Todos`) against the same
//! logic written by hand (`esgen_runtime_bench::hand`), on the same
//! prebuilt inputs, plus JSON round trips of its events.
//!
//! ```sh
//! cargo bench -p esgen-runtime-bench
//! ```

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use esgen_runtime_bench::{commands, events, hand, two_step};
use std::hint::black_box;
use std::time::Duration;
use todos::todos::{Rejection, Todos, TodosAggregate, TodosCommand, TodosEvent};

/// Events replayed, commands executed, events serialised, per iteration.
const N: usize = 1_000_000;

type Group<'c> = criterion::BenchmarkGroup<'c, criterion::measurement::WallTime>;

fn config(c: &mut Criterion) -> Group<'_> {
    let mut group = c.benchmark_group("todos");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .throughput(Throughput::Elements(N as u64));
    group
}

fn replay(c: &mut Criterion) {
    let events = events(N);
    let mut group = config(c);
    group.bench_function("replay/generated", |b| {
        b.iter(|| Todos::replay(black_box(&events)));
    });
    group.bench_function("replay/hand-written", |b| {
        b.iter(|| hand::replay(black_box(&events)));
    });
    group.bench_function("replay/hand-written-opaque", |b| {
        b.iter(|| hand::replay_opaque(black_box(&events)));
    });
    group.finish();
}

/// Executes the commands by hand with `execute` (a function item: each is
/// a type of its own, so each call site is compiled for it, not through a
/// pointer).
fn by_hand<E>(group: &mut Group<'_>, name: &str, commands: &[TodosCommand], execute: E)
where
    E: Fn(&mut hand::State, TodosCommand) -> Result<TodosEvent, Rejection>,
{
    group.bench_function(name, |b| {
        b.iter_batched(
            || commands.to_vec(),
            |commands| {
                let mut state = hand::State::default();
                let mut accepted = 0usize;
                for command in commands {
                    if let Ok(event) = execute(&mut state, command) {
                        black_box(&event);
                        accepted += 1;
                    }
                }
                (state, accepted)
            },
            BatchSize::PerIteration,
        );
    });
}

fn execute(c: &mut Criterion) {
    let commands = commands(N);
    let mut group = config(c);
    // Commands are taken by value: each iteration gets a fresh copy, made
    // outside the measurement.
    group.bench_function("execute/generated", |b| {
        b.iter_batched(
            || commands.clone(),
            |commands| {
                let mut todos = Todos::default();
                let mut accepted = 0usize;
                for command in commands {
                    if let Ok(event) = todos.execute(command) {
                        black_box(&event);
                        accepted += 1;
                    }
                }
                (todos, accepted)
            },
            BatchSize::PerIteration,
        );
    });
    group.bench_function("execute/two-step", |b| {
        b.iter_batched(
            || commands.clone(),
            |commands| {
                let mut todos = Todos::default();
                let mut accepted = 0usize;
                for command in commands {
                    if let Ok(event) = two_step::execute(&mut todos, command) {
                        black_box(&event);
                        accepted += 1;
                    }
                }
                (todos, accepted)
            },
            BatchSize::PerIteration,
        );
    });
    by_hand(&mut group, "execute/hand-written", &commands, hand::execute);
    by_hand(
        &mut group,
        "execute/hand-written-opaque",
        &commands,
        hand::execute_opaque,
    );
    group.finish();
}

fn json(c: &mut Criterion) {
    let events = events(N);
    let text = serde_json::to_vec(&events).expect("events serialise");
    let mut group = config(c);
    group.bench_function("json/serialize", |b| {
        b.iter(|| serde_json::to_vec(black_box(&events)).expect("events serialise"));
    });
    group.bench_function("json/deserialize", |b| {
        b.iter(|| {
            serde_json::from_slice::<Vec<TodosEvent>>(black_box(&text)).expect("events parse")
        });
    });
    group.finish();
}

criterion_group!(benches, replay, execute, json);
criterion_main!(benches);
