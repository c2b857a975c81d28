//! The `Parcels` model: the aggregate's state, what its queries
//! read, how it decides on commands and how events change it.
//!
//! esgen created this file once and never changes it: it is yours. The
//! types and traits it implements are generated from `delivery.ddd`
//! into `src/generated/parcels.rs`. When the spec gains an action or a
//! query, the compiler lists the methods to add here.
//!
//! Every query, action and event of this model is generated from the
//! spec's rules, so this file needs no code. A method written in one of
//! the `impl` blocks below replaces the generated one.

pub use crate::generated::parcels::*;

/// The `Parcels` aggregate: the state its queries read and its
/// events change, kept by the rules of the spec.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Parcels {
    /// The entities the model holds.
    state: ParcelsState,
}

impl AsRef<ParcelsState> for Parcels {
    fn as_ref(&self) -> &ParcelsState {
        &self.state
    }
}

impl AsMut<ParcelsState> for Parcels {
    fn as_mut(&mut self) -> &mut ParcelsState {
        &mut self.state
    }
}

impl ParcelsQueries for Parcels {}

impl ParcelsPropose for Parcels {}

impl ParcelsAccept for Parcels {}
