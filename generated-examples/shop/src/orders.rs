//! The `Orders` model: the aggregate's state, what its queries
//! read, how it decides on commands and how events change it.
//!
//! esgen created this file once and never changes it: it is yours. The
//! types and traits it implements are generated from `shop.ddd`
//! into `src/generated/orders.rs`. When the spec gains an action or a
//! query, the compiler lists the methods to add here.
//!
//! Every query, action and event of this model is generated from the
//! spec's rules, so this file needs no code. A method written in one of
//! the `impl` blocks below replaces the generated one.

pub use crate::generated::orders::*;

/// The `Orders` aggregate: the state its queries read and its
/// events change, kept by the rules of the spec.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Orders {
    /// The entities the model holds.
    state: OrdersState,
}

impl AsRef<OrdersState> for Orders {
    fn as_ref(&self) -> &OrdersState {
        &self.state
    }
}

impl AsMut<OrdersState> for Orders {
    fn as_mut(&mut self) -> &mut OrdersState {
        &mut self.state
    }
}

impl OrdersQueries for Orders {}

impl OrdersPropose for Orders {}

impl OrdersAccept for Orders {}
