//! A small driver for instruction counts, which do not depend on the load
//! of the machine: runs one workload once, generated or hand-written
//! (inlinable, or behind a call never inlined: `hand-opaque`), or the
//! earlier two-`match` `execute` over the generated traits (`two-step`).
//!
//! ```sh
//! cargo build --release -p esgen-runtime-bench --bin instructions
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*run_*' \
//!     target/release/instructions execute generated 100000
//! ```
//!
//! Only the `run_*` functions are counted, never the building of inputs.

use esgen_runtime_bench::{commands, events, hand, two_step};
use std::hint::black_box;
use std::process::ExitCode;
use todos::todos::{Todos, TodosAggregate, TodosCommand, TodosEvent};

#[inline(never)]
fn run_replay_generated(events: &[TodosEvent]) -> Todos {
    Todos::replay(events)
}

#[inline(never)]
fn run_replay_hand(events: &[TodosEvent]) -> hand::State {
    hand::replay(events)
}

#[inline(never)]
fn run_replay_hand_opaque(events: &[TodosEvent]) -> hand::State {
    hand::replay_opaque(events)
}

#[inline(never)]
fn run_execute_generated(commands: Vec<TodosCommand>) -> (Todos, usize) {
    let mut todos = Todos::default();
    let mut accepted = 0;
    for command in commands {
        if let Ok(event) = todos.execute(command) {
            black_box(&event);
            accepted += 1;
        }
    }
    (todos, accepted)
}

#[inline(never)]
fn run_execute_two_step(commands: Vec<TodosCommand>) -> (Todos, usize) {
    let mut todos = Todos::default();
    let mut accepted = 0;
    for command in commands {
        if let Ok(event) = two_step::execute(&mut todos, command) {
            black_box(&event);
            accepted += 1;
        }
    }
    (todos, accepted)
}

#[inline(never)]
fn run_execute_hand(commands: Vec<TodosCommand>) -> (hand::State, usize) {
    let mut state = hand::State::default();
    let mut accepted = 0;
    for command in commands {
        if let Ok(event) = hand::execute(&mut state, command) {
            black_box(&event);
            accepted += 1;
        }
    }
    (state, accepted)
}

#[inline(never)]
fn run_execute_hand_opaque(commands: Vec<TodosCommand>) -> (hand::State, usize) {
    let mut state = hand::State::default();
    let mut accepted = 0;
    for command in commands {
        if let Ok(event) = hand::execute_opaque(&mut state, command) {
            black_box(&event);
            accepted += 1;
        }
    }
    (state, accepted)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (work, which, n) = match args.as_slice() {
        [work, which, n] => match n.parse::<usize>() {
            Ok(n) => (work.as_str(), which.as_str(), n),
            Err(_) => return usage(),
        },
        _ => return usage(),
    };
    match (work, which) {
        ("replay", "generated") => {
            let events = events(n);
            black_box(run_replay_generated(black_box(&events)));
        }
        ("replay", "hand") => {
            let events = events(n);
            black_box(run_replay_hand(black_box(&events)));
        }
        ("replay", "hand-opaque") => {
            let events = events(n);
            black_box(run_replay_hand_opaque(black_box(&events)));
        }
        ("execute", "two-step") => {
            let commands = commands(n);
            black_box(run_execute_two_step(black_box(commands)));
        }
        ("execute", "hand-opaque") => {
            let commands = commands(n);
            black_box(run_execute_hand_opaque(black_box(commands)));
        }
        ("execute", "generated") => {
            let commands = commands(n);
            black_box(run_execute_generated(black_box(commands)));
        }
        ("execute", "hand") => {
            let commands = commands(n);
            black_box(run_execute_hand(black_box(commands)));
        }
        _ => return usage(),
    }
    ExitCode::SUCCESS
}

fn usage() -> ExitCode {
    eprintln!("usage: instructions <replay|execute> <generated|two-step|hand|hand-opaque> <N>");
    ExitCode::from(2)
}
