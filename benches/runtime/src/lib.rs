//! Workloads for benchmarking the code esgen generates, on the `todos`
//! example (`generated-examples/todos`), and a hand-written baseline.
//!
//! - [`commands`] builds a deterministic stream of commands that keeps a
//!   small, changing list of todos (creations, edits, completions,
//!   deletions, clears, and one command in nine rejected);
//! - [`events`] replays that stream into the events it produces;
//! - [`hand`] does the same work as the generated `TodosAggregate`
//!   dispatch over the user's `Todos`, with plain functions and direct
//!   `match`es and no traits;
//! - [`two_step`] is the `execute` esgen generated before (propose, then
//!   accept: two `match`es), over the same trait methods.
//!
//! The benchmarks (`benches/runtime.rs`) and the instruction-count driver
//! (`src/bin/instructions.rs`) build their inputs here, outside anything
//! they measure.

use todos::todos::{
    ChangeCompleted, ChangeText, ClearDone, CreateNew, Delete, TodoId, TodosCommand, TodosEvent,
};

pub mod hand;
pub mod hand_cqrs;
pub mod two_step;

/// Todos created per round; about half are deleted or cleared within it,
/// so the list stays short (the user's model scans it by id).
const ROUND: usize = 8;

/// `n` commands: rounds of creating [`ROUND`] todos, rewording and
/// completing some, deleting some and clearing the done ones, with three
/// commands in 27 that the model rejects (a duplicate id, a blank text, an
/// unknown todo).
#[must_use]
pub fn commands(n: usize) -> Vec<TodosCommand> {
    let mut out = Vec::with_capacity(n + 4 * ROUND);
    let mut round = 0usize;
    while out.len() < n {
        let id = |k: usize| TodoId::new(format!("todo-{round}-{k}"));
        for k in 0..ROUND {
            out.push(
                CreateNew {
                    id: id(k),
                    text: format!("buy {k} things for round {round}"),
                }
                .into(),
            );
        }
        for k in 0..ROUND {
            if k % 2 == 0 {
                out.push(
                    ChangeText {
                        id: id(k),
                        new_text: format!("buy {k} other things"),
                    }
                    .into(),
                );
            }
            out.push(
                ChangeCompleted {
                    id: id(k),
                    completed: k % 3 != 0,
                }
                .into(),
            );
        }
        // Rejected: a duplicate id, a blank text, an unknown todo.
        out.push(
            CreateNew {
                id: id(1),
                text: "again".into(),
            }
            .into(),
        );
        out.push(
            ChangeText {
                id: id(2),
                new_text: "   ".into(),
            }
            .into(),
        );
        out.push(
            Delete {
                id: TodoId::new("never-created"),
            }
            .into(),
        );
        out.push(Delete { id: id(0) }.into());
        out.push(ClearDone {}.into());
        // Whatever is left (the undone ones) goes too, so that the list
        // does not grow from round to round.
        for k in (0..ROUND).filter(|k| k % 3 == 0 && *k != 0) {
            out.push(Delete { id: id(k) }.into());
        }
        round += 1;
    }
    out.truncate(n);
    out
}

/// `n` events: those that [`commands`] produce, in order.
#[must_use]
pub fn events(n: usize) -> Vec<TodosEvent> {
    let mut state = hand::State::default();
    let mut out = Vec::with_capacity(n);
    // Most commands are accepted: this many always give `n` events.
    for command in commands(n + n / 4 + 64) {
        if let Ok(event) = hand::execute(&mut state, command) {
            out.push(event);
            if out.len() == n {
                break;
            }
        }
    }
    out
}
