//! A proposal for the generated `execute`, measured before it is made: one
//! `match` on the command whose arms propose and accept in the same place
//! (`self.create_new(command)?`, then `self.accept_created(&event)`),
//! instead of `propose` (a `match` on the command) followed by `accept`
//! (a second `match`, on the event). It calls the same trait methods of the
//! user's `Todos` as the generated code does.

use todos::todos::{Rejection, TodosAccept, TodosCommand, TodosEvent, TodosPropose};

/// `execute` as the proposed template would generate it.
///
/// # Errors
///
/// The [`Rejection`] of the command's proposing method.
#[inline]
pub fn execute<T: TodosPropose + TodosAccept>(
    model: &mut T,
    command: impl Into<TodosCommand>,
) -> Result<TodosEvent, Rejection> {
    match command.into() {
        TodosCommand::CreateNew(command) => {
            let event = model.create_new(command)?;
            model.accept_created(&event);
            Ok(TodosEvent::Created(event))
        }
        TodosCommand::ChangeText(command) => {
            let event = model.change_text(command)?;
            model.accept_text_changed(&event);
            Ok(TodosEvent::TextChanged(event))
        }
        TodosCommand::ChangeCompleted(command) => {
            let event = model.change_completed(command)?;
            model.accept_completed_changed(&event);
            Ok(TodosEvent::CompletedChanged(event))
        }
        TodosCommand::Delete(command) => {
            let event = model.delete(command)?;
            model.accept_deleted(&event);
            Ok(TodosEvent::Deleted(event))
        }
        TodosCommand::ClearDone(command) => {
            let event = model.clear_done(command)?;
            model.accept_done_cleared(&event);
            Ok(TodosEvent::DoneCleared(event))
        }
    }
}
