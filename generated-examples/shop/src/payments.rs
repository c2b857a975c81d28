//! The `Payments` model: the aggregate's state, what its queries
//! read, how it decides on commands and how events change it.
//!
//! esgen created this file once and never changes it: it is yours. The
//! types and traits it implements are generated from `shop.ddd`
//! into `src/generated/payments.rs`. When the spec gains an action or a
//! query, the compiler lists the methods to add here.
//!
//! Every query, action and event of this model is generated from the
//! spec's rules, so this file needs no code. A method written in one of
//! the `impl` blocks below replaces the generated one.

pub use crate::generated::payments::*;

/// The `Payments` aggregate: the state its queries read and its
/// events change, kept by the rules of the spec.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Payments {
    /// The entities the model holds.
    state: PaymentsState,
}

impl AsRef<PaymentsState> for Payments {
    fn as_ref(&self) -> &PaymentsState {
        &self.state
    }
}

impl AsMut<PaymentsState> for Payments {
    fn as_mut(&mut self) -> &mut PaymentsState {
        &mut self.state
    }
}

impl PaymentsQueries for Payments {}

impl PaymentsPropose for Payments {}

impl PaymentsAccept for Payments {}
