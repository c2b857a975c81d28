//! The `Couriers` model: the aggregate's state, what its queries
//! read, how it decides on commands and how events change it.
//!
//! esgen created this file once and never changes it: it is yours. The
//! types and traits it implements are generated from `delivery.ddd`
//! into `src/generated/couriers.rs`. When the spec gains an action or a
//! query, the compiler lists the methods to add here.
//!
//! Every query, action and event of this model is generated from the
//! spec's rules, so this file needs no code. A method written in one of
//! the `impl` blocks below replaces the generated one.

pub use crate::generated::couriers::*;

/// The `Couriers` aggregate: the state its queries read and its
/// events change, kept by the rules of the spec.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Couriers {
    /// The entities the model holds.
    state: CouriersState,
}

impl AsRef<CouriersState> for Couriers {
    fn as_ref(&self) -> &CouriersState {
        &self.state
    }
}

impl AsMut<CouriersState> for Couriers {
    fn as_mut(&mut self) -> &mut CouriersState {
        &mut self.state
    }
}

impl CouriersQueries for Couriers {}

impl CouriersPropose for Couriers {}

impl CouriersAccept for Couriers {}
