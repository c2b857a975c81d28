//! The `Visits` model: the aggregate's state, what its queries
//! read, how it decides on commands and how events change it.
//!
//! esgen created this file once and never changes it: it is yours. The
//! types and traits it implements are generated from `practice.ddd`
//! into `src/generated/visits.rs`. When the spec gains an action or a
//! query, the compiler lists the methods to add here.
//!
//! Every query, action and event of this model is generated from the
//! spec's rules, so this file needs no code. A method written in one of
//! the `impl` blocks below replaces the generated one.

pub use crate::generated::visits::*;

/// The `Visits` aggregate: the state its queries read and its
/// events change, kept by the rules of the spec.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Visits {
    /// The entities the model holds.
    state: VisitsState,
}

impl AsRef<VisitsState> for Visits {
    fn as_ref(&self) -> &VisitsState {
        &self.state
    }
}

impl AsMut<VisitsState> for Visits {
    fn as_mut(&mut self) -> &mut VisitsState {
        &mut self.state
    }
}

impl VisitsQueries for Visits {}

impl VisitsPropose for Visits {}

impl VisitsAccept for Visits {}
