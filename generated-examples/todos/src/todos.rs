//! The `Todos` model: one person's todo list, kept as the todos in the
//! order they were created.
//!
//! [`Todos`] implements the three traits of the aggregate generated from
//! `todos.ddd` into `src/generated/todos.rs`:
//!
//! - [`TodosQueries`] reads the list.
//! - [`TodosPropose`] validates a command and turns it into its event:
//!   - `create-new` is rejected when the id is already on the list or the
//!     text is blank (empty or only whitespace); a new todo is never done.
//!   - `change-text` is rejected when the todo is not on the list or the
//!     new text is blank.
//!   - `change-completed` and `delete` are rejected when the todo is not
//!     on the list.
//!   - `clear-done` is never rejected: it lists the done todos, in
//!     creation order, and lists none when nothing is done, so that
//!     clearing is always safe to ask for.
//!
//!   Setting a todo's text or completion to what it already is, is
//!   accepted: the event records what the person asked for. Text is kept
//!   exactly as given, it is not trimmed.
//! - [`TodosAccept`] applies an event. It trusts the event, which was
//!   proposed against the model it is applied to, and never fails: an
//!   event about a todo that is not on the list changes nothing.
//!
//! `propose`, `accept`, `execute` and `replay` come with
//! [`TodosAggregate`], which esgen implements for every `Default` type that
//! implements both proposing and accepting.

use std::collections::HashSet;

pub use crate::generated::todos::*;

/// One person's todo list: every todo on it, in the order they were
/// created.
///
/// Lookups by id scan the list, which suits a personal list of, at most,
/// a few hundred todos and keeps the creation order without a second
/// structure to keep in step.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Todos {
    /// The todos on the list, oldest first.
    todos: Vec<Todo>,
}

impl Todos {
    /// The todo with this id, if the list holds it.
    fn find(&self, id: &TodoId) -> Option<&Todo> {
        self.todos.iter().find(|todo| &todo.id == id)
    }

    /// The todo with this id, for changing, if the list holds it.
    fn find_mut(&mut self, id: &TodoId) -> Option<&mut Todo> {
        self.todos.iter_mut().find(|todo| &todo.id == id)
    }
}

/// Whether `text` is empty or only whitespace.
fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

impl TodosQueries for Todos {
    fn has_todo(&self, id: &TodoId) -> bool {
        self.find(id).is_some()
    }

    fn get_todo(&self, id: &TodoId) -> Option<Todo> {
        self.find(id).cloned()
    }

    fn all_todos(&self) -> Vec<Todo> {
        self.todos.clone()
    }

    /// The todos that are done, in the order they were created.
    fn done_todos(&self) -> Vec<Todo> {
        self.todos
            .iter()
            .filter(|todo| todo.completed)
            .cloned()
            .collect()
    }

    fn open_count(&self) -> i64 {
        let open = self.todos.iter().filter(|todo| !todo.completed).count();
        i64::try_from(open).unwrap_or(i64::MAX)
    }
}

impl TodosPropose for Todos {
    /// Rejected when the id is already on the list or the text is blank.
    fn create_new(&self, command: CreateNew) -> Result<Created, Rejection> {
        if self.has_todo(&command.id) {
            return Err(command.reject(format!("there is already a todo `{}`", command.id)));
        }
        if is_blank(&command.text) {
            return Err(command.reject(format!(
                "the text of the new todo `{}` is blank",
                command.id
            )));
        }
        Ok(Created {
            id: command.id,
            text: command.text,
            completed: false,
        })
    }

    /// Rejected when the todo is not on the list or the new text is blank.
    fn change_text(&self, command: ChangeText) -> Result<TextChanged, Rejection> {
        if !self.has_todo(&command.id) {
            return Err(command.reject(format!("there is no todo `{}`", command.id)));
        }
        if is_blank(&command.new_text) {
            return Err(command.reject(format!(
                "the new text of the todo `{}` is blank",
                command.id
            )));
        }
        Ok(TextChanged {
            id: command.id,
            new_text: command.new_text,
        })
    }

    /// Rejected when the todo is not on the list.
    fn change_completed(&self, command: ChangeCompleted) -> Result<CompletedChanged, Rejection> {
        if !self.has_todo(&command.id) {
            return Err(command.reject(format!("there is no todo `{}`", command.id)));
        }
        Ok(CompletedChanged {
            id: command.id,
            completed: command.completed,
        })
    }

    /// Rejected when the todo is not on the list.
    fn delete(&self, command: Delete) -> Result<Deleted, Rejection> {
        if !self.has_todo(&command.id) {
            return Err(command.reject(format!("there is no todo `{}`", command.id)));
        }
        Ok(Deleted { id: command.id })
    }

    /// Never rejected: lists the ids of the done todos, in creation order,
    /// and none when nothing is done.
    fn clear_done(&self, _command: ClearDone) -> Result<DoneCleared, Rejection> {
        let ids = self
            .todos
            .iter()
            .filter(|todo| todo.completed)
            .map(|todo| todo.id.clone())
            .collect();
        Ok(DoneCleared { ids })
    }
}

impl TodosAccept for Todos {
    /// Puts the todo at the end of the list.
    fn accept_created(&mut self, event: &Created) {
        self.todos.push(Todo {
            id: event.id.clone(),
            text: event.text.clone(),
            completed: event.completed,
        });
    }

    fn accept_text_changed(&mut self, event: &TextChanged) {
        if let Some(todo) = self.find_mut(&event.id) {
            todo.text.clone_from(&event.new_text);
        }
    }

    fn accept_completed_changed(&mut self, event: &CompletedChanged) {
        if let Some(todo) = self.find_mut(&event.id) {
            todo.completed = event.completed;
        }
    }

    fn accept_deleted(&mut self, event: &Deleted) {
        self.todos.retain(|todo| todo.id != event.id);
    }

    /// Takes off the todos the event lists, whether or not they are done
    /// now: the event, not the current state, says what was cleared.
    fn accept_done_cleared(&mut self, event: &DoneCleared) {
        let cleared: HashSet<&TodoId> = event.ids.iter().collect();
        self.todos.retain(|todo| !cleared.contains(&todo.id));
    }
}
