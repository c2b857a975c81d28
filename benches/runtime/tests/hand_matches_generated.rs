//! The hand-written baseline does what the generated aggregate over the
//! user's `Todos` does: same events, the same commands rejected (the
//! generated rejections also carry their rule and kind, and word a blank
//! text as a broken constraint), same final list.

use esgen_runtime_bench::{commands, events, hand, two_step};
use todos::todos::{Todos, TodosAggregate, TodosQueries};

#[test]
fn execute_gives_the_same_events_and_rejections() {
    let mut todos = Todos::default();
    let mut state = hand::State::default();
    let mut rejected = 0;
    for command in commands(10_000) {
        let generated = todos.execute(command.clone());
        let by_hand = hand::execute(&mut state, command);
        match (&generated, &by_hand) {
            (Ok(a), Ok(b)) => assert_eq!(a, b),
            (Err(a), Err(b)) => assert_eq!(a.action, b.action),
            _ => panic!("generated {generated:?}, by hand {by_hand:?}"),
        }
        rejected += usize::from(generated.is_err());
        assert_eq!(todos.all_todos(), state.todos);
    }
    // The workload exercises rejections, but mostly accepts.
    assert!(rejected > 0 && rejected < 2_000, "{rejected} rejections");
}

#[test]
fn two_step_execute_gives_the_same_events() {
    let mut todos = Todos::default();
    let mut two_step_todos = Todos::default();
    for command in commands(10_000) {
        let generated = todos.execute(command.clone());
        assert_eq!(generated, two_step::execute(&mut two_step_todos, command));
    }
    assert_eq!(todos, two_step_todos);
}

#[test]
fn replay_gives_the_same_list() {
    let events = events(10_000);
    assert_eq!(events.len(), 10_000);
    let todos = Todos::replay(&events);
    let state = hand::replay(&events);
    assert_eq!(todos.all_todos(), state.todos);
    // The list stays short: lookups scan it.
    assert!(state.todos.len() < 64, "{} todos", state.todos.len());
}
