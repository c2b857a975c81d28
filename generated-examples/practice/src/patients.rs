//! The `Patients` model: the aggregate's state, what its queries
//! read, how it decides on commands and how events change it.
//!
//! esgen created this file once and never changes it: it is yours. The
//! types and traits it implements are generated from `practice.ddd`
//! into `src/generated/patients.rs`. When the spec gains an action or a
//! query, the compiler lists the methods to add here.
//!
//! Every query, action and event of this model is generated from the
//! spec's rules, so this file needs no code. A method written in one of
//! the `impl` blocks below replaces the generated one.

pub use crate::generated::patients::*;

/// The `Patients` aggregate: the state its queries read and its
/// events change, kept by the rules of the spec.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Patients {
    /// The entities the model holds.
    state: PatientsState,
}

impl AsRef<PatientsState> for Patients {
    fn as_ref(&self) -> &PatientsState {
        &self.state
    }
}

impl AsMut<PatientsState> for Patients {
    fn as_mut(&mut self) -> &mut PatientsState {
        &mut self.state
    }
}

impl PatientsQueries for Patients {}

impl PatientsPropose for Patients {}

impl PatientsAccept for Patients {}
