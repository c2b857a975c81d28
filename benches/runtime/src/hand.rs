//! The todos model written by hand: the same state (a `Vec` of the
//! generated `Todo`), the same checks and the same changes as the user's
//! `generated-examples/todos/src/todos.rs`, as plain functions that match
//! on the generated command and event enums directly. No traits: this is
//! the baseline the generated dispatch is measured against.
//!
//! The entry points are `#[inline]`: the generated `propose`, `accept`,
//! `execute` and `replay` are generic trait methods, instantiated (and so
//! inlinable) in the crate that calls them, and the baseline gets at least
//! the same chance across the crate boundary (more, in fact: its checks
//! and changes are inlined too, where the user's trait methods in the
//! `todos` crate are not). [`execute_opaque`] and [`replay_opaque`] are the
//! same functions behind a call that is never inlined, as an ordinary
//! function of another crate would be without link-time optimisation.

use std::collections::HashSet;
use todos::todos::{
    CompletedChanged, Created, Deleted, DoneCleared, Rejection, TextChanged, Todo, TodoId,
    TodosCommand, TodosEvent,
};

/// The todos, oldest first (as `Todos` keeps them).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct State {
    /// The todos on the list.
    pub todos: Vec<Todo>,
}

fn find<'s>(state: &'s State, id: &TodoId) -> Option<&'s Todo> {
    state.todos.iter().find(|todo| &todo.id == id)
}

fn find_mut<'s>(state: &'s mut State, id: &TodoId) -> Option<&'s mut Todo> {
    state.todos.iter_mut().find(|todo| &todo.id == id)
}

fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// The event that records `command`, or why it is refused; `state` is not
/// changed.
///
/// # Errors
///
/// A [`Rejection`] as the user's `Todos` gives it.
#[inline]
pub fn propose(state: &State, command: TodosCommand) -> Result<TodosEvent, Rejection> {
    match command {
        TodosCommand::CreateNew(command) => {
            if find(state, &command.id).is_some() {
                return Err(command.reject(format!("there is already a todo `{}`", command.id)));
            }
            if is_blank(&command.text) {
                return Err(command.reject(format!(
                    "the text of the new todo `{}` is blank",
                    command.id
                )));
            }
            Ok(TodosEvent::Created(Created {
                id: command.id,
                text: command.text,
                completed: false,
            }))
        }
        TodosCommand::ChangeText(command) => {
            if find(state, &command.id).is_none() {
                return Err(command.reject(format!("there is no todo `{}`", command.id)));
            }
            if is_blank(&command.new_text) {
                return Err(command.reject(format!(
                    "the new text of the todo `{}` is blank",
                    command.id
                )));
            }
            Ok(TodosEvent::TextChanged(TextChanged {
                id: command.id,
                new_text: command.new_text,
            }))
        }
        TodosCommand::ChangeCompleted(command) => {
            if find(state, &command.id).is_none() {
                return Err(command.reject(format!("there is no todo `{}`", command.id)));
            }
            Ok(TodosEvent::CompletedChanged(CompletedChanged {
                id: command.id,
                completed: command.completed,
            }))
        }
        TodosCommand::Delete(command) => {
            if find(state, &command.id).is_none() {
                return Err(command.reject(format!("there is no todo `{}`", command.id)));
            }
            Ok(TodosEvent::Deleted(Deleted { id: command.id }))
        }
        TodosCommand::ClearDone(_) => {
            let ids = state
                .todos
                .iter()
                .filter(|todo| todo.completed)
                .map(|todo| todo.id.clone())
                .collect();
            Ok(TodosEvent::DoneCleared(DoneCleared { ids }))
        }
    }
}

/// Applies `event` to `state`.
#[inline]
pub fn accept(state: &mut State, event: &TodosEvent) {
    match event {
        TodosEvent::Created(event) => state.todos.push(Todo {
            id: event.id.clone(),
            text: event.text.clone(),
            completed: event.completed,
        }),
        TodosEvent::TextChanged(event) => {
            if let Some(todo) = find_mut(state, &event.id) {
                todo.text.clone_from(&event.new_text);
            }
        }
        TodosEvent::CompletedChanged(event) => {
            if let Some(todo) = find_mut(state, &event.id) {
                todo.completed = event.completed;
            }
        }
        TodosEvent::Deleted(event) => state.todos.retain(|todo| todo.id != event.id),
        TodosEvent::DoneCleared(event) => {
            let cleared: HashSet<&TodoId> = event.ids.iter().collect();
            state.todos.retain(|todo| !cleared.contains(&todo.id));
        }
    }
}

/// Proposes `command` and, if it is accepted, applies its event and
/// returns it; on rejection `state` is unchanged.
///
/// # Errors
///
/// The [`Rejection`] of [`propose`].
#[inline]
pub fn execute(state: &mut State, command: TodosCommand) -> Result<TodosEvent, Rejection> {
    let event = propose(state, command)?;
    accept(state, &event);
    Ok(event)
}

/// The state after applying `events`, in order, to an empty list.
#[must_use]
#[inline]
pub fn replay<'e>(events: impl IntoIterator<Item = &'e TodosEvent>) -> State {
    let mut state = State::default();
    for event in events {
        accept(&mut state, event);
    }
    state
}

/// [`execute`] behind a call that is never inlined.
///
/// # Errors
///
/// The [`Rejection`] of [`propose`].
#[inline(never)]
pub fn execute_opaque(state: &mut State, command: TodosCommand) -> Result<TodosEvent, Rejection> {
    execute(state, command)
}

/// [`replay`] of a slice, behind a call that is never inlined.
#[inline(never)]
#[must_use]
pub fn replay_opaque(events: &[TodosEvent]) -> State {
    replay(events)
}
