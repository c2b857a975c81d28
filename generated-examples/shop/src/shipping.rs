//! The `Shipping` model: the aggregate's state, what its queries
//! read, how it decides on commands and how events change it.
//!
//! esgen created this file once and never changes it: it is yours. The
//! types and traits it implements are generated from `shop.ddd`
//! into `src/generated/shipping.rs`. When the spec gains an action or a
//! query, the compiler lists the methods to add here.
//!
//! Every query, action and event of this model is generated from the
//! spec's rules, so this file needs no code. A method written in one of
//! the `impl` blocks below replaces the generated one.

pub use crate::generated::shipping::*;

/// The `Shipping` aggregate: the state its queries read and its
/// events change, kept by the rules of the spec.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Shipping {
    /// The entities the model holds.
    state: ShippingState,
}

impl AsRef<ShippingState> for Shipping {
    fn as_ref(&self) -> &ShippingState {
        &self.state
    }
}

impl AsMut<ShippingState> for Shipping {
    fn as_mut(&mut self) -> &mut ShippingState {
        &mut self.state
    }
}

impl ShippingQueries for Shipping {}

impl ShippingPropose for Shipping {}

impl ShippingAccept for Shipping {}
