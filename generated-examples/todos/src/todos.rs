//! The `Todos` model: the aggregate's state, what its queries
//! read, how it decides on commands and how events change it.
//!
//! esgen created this file once and never changes it: it is yours. The
//! types and traits it implements are generated from `todos.ddd`
//! into `src/generated/todos.rs`. When the spec gains an action or a
//! query, the compiler lists the methods to add here.
//!
//! Every query, action and event of this model is generated from the
//! spec's rules, so this file needs no code. A method written in one of
//! the `impl` blocks below replaces the generated one.

pub use crate::generated::todos::*;

/// The `Todos` aggregate: the state its queries read and its
/// events change, kept by the rules of the spec.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Todos {
    /// The entities the model holds.
    state: TodosState,
}

impl AsRef<TodosState> for Todos {
    fn as_ref(&self) -> &TodosState {
        &self.state
    }
}

impl AsMut<TodosState> for Todos {
    fn as_mut(&mut self) -> &mut TodosState {
        &mut self.state
    }
}

impl TodosQueries for Todos {}

impl TodosPropose for Todos {}

impl TodosAccept for Todos {}
