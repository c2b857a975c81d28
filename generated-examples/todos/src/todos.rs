//! The `Todos` model: the aggregate's state, what its queries
//! read, how it decides on commands and how events change it.
//!
//! esgen created this file once and never changes it: it is yours. The
//! types and traits it implements are generated from `todos.ddd`
//! into `src/generated/todos.rs`. When the spec gains an action or a
//! query, the compiler lists the methods to add here.

pub use crate::generated::todos::*;

/// The `Todos` aggregate: the state its queries read and its
/// events change.
#[derive(Debug, Default)]
pub struct Todos {}

impl TodosQueries for Todos {
    // has-todo? [id]
    fn has_todo(&self, _id: &TodoId) -> bool {
        todo!()
    }

    // get-todo [id]
    fn get_todo(&self, _id: &TodoId) -> Option<Todo> {
        todo!()
    }

    // all-todos
    fn all_todos(&self) -> Vec<Todo> {
        todo!()
    }

    // done-todos
    fn done_todos(&self) -> Vec<Todo> {
        todo!()
    }

    // open-count
    fn open_count(&self) -> i64 {
        todo!()
    }
}

impl TodosPropose for Todos {
    // create-new [id text] accepted as created [id text completed?]
    fn create_new(&self, _command: CreateNew) -> Result<Created, Rejection> {
        todo!()
    }

    // change-text [id new-text] accepted as text-changed [id new-text]
    fn change_text(&self, _command: ChangeText) -> Result<TextChanged, Rejection> {
        todo!()
    }

    // change-completed [id completed?] accepted as completed-changed [id completed?]
    fn change_completed(&self, _command: ChangeCompleted) -> Result<CompletedChanged, Rejection> {
        todo!()
    }

    // delete [id] accepted as deleted [id]
    fn delete(&self, _command: Delete) -> Result<Deleted, Rejection> {
        todo!()
    }

    // clear-done [] accepted as done-cleared [ids]
    fn clear_done(&self, _command: ClearDone) -> Result<DoneCleared, Rejection> {
        todo!()
    }
}

impl TodosAccept for Todos {
    // created [id text completed?]
    fn accept_created(&mut self, _event: &Created) {
        todo!()
    }

    // text-changed [id new-text]
    fn accept_text_changed(&mut self, _event: &TextChanged) {
        todo!()
    }

    // completed-changed [id completed?]
    fn accept_completed_changed(&mut self, _event: &CompletedChanged) {
        todo!()
    }

    // deleted [id]
    fn accept_deleted(&mut self, _event: &Deleted) {
        todo!()
    }

    // done-cleared [ids]
    fn accept_done_cleared(&mut self, _event: &DoneCleared) {
        todo!()
    }
}
