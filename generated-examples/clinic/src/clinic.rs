//! The `Clinic` model: the aggregate's state, what its queries
//! read, how it decides on commands and how events change it.
//!
//! esgen created this file once and never changes it: it is yours. The
//! types and traits it implements are generated from `clinic.ddd`
//! into `src/generated/clinic.rs`. When the spec gains an action or a
//! query, the compiler lists the methods to add here.
//!
//! Every query, action and event of this model is generated from the
//! spec's rules, so this file needs no code. A method written in one of
//! the `impl` blocks below replaces the generated one.

pub use crate::generated::clinic::*;

/// The `Clinic` aggregate: the state its queries read and its
/// events change, kept by the rules of the spec.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Clinic {
    /// The entities the model holds.
    state: ClinicState,
}

impl AsRef<ClinicState> for Clinic {
    fn as_ref(&self) -> &ClinicState {
        &self.state
    }
}

impl AsMut<ClinicState> for Clinic {
    fn as_mut(&mut self) -> &mut ClinicState {
        &mut self.state
    }
}

impl ClinicQueries for Clinic {}

impl ClinicPropose for Clinic {}

impl ClinicAccept for Clinic {}
