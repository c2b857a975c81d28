//! The `execute` esgen generated before it dispatched in one `match`:
//! `propose` (a `match` on the command) and then `accept` (a second
//! `match`, on the event). Kept to measure what the one-`match` form
//! gained; see `docs/performance.md`.

use todos::todos::{Rejection, TodosAggregate, TodosCommand, TodosEvent};

/// `execute` as propose-then-accept.
///
/// # Errors
///
/// The [`Rejection`] of the command's proposing method.
#[inline]
pub fn execute<T: TodosAggregate>(
    model: &mut T,
    command: impl Into<TodosCommand>,
) -> Result<TodosEvent, Rejection> {
    let event = model.propose(command)?;
    model.accept(&event);
    Ok(event)
}
