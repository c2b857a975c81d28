//! The `Accounts` model: the aggregate's state, what its queries
//! read, how it decides on commands and how events change it.
//!
//! esgen created this file once and never changes it: it is yours. The
//! types and traits it implements are generated from `accounts.ddd`
//! into `src/generated/accounts.rs`. When the spec gains an action or a
//! query, the compiler lists the methods to add here.
//!
//! Every query, action and event of this model is generated from the
//! spec's rules, so this file needs no code. A method written in one of
//! the `impl` blocks below replaces the generated one.

pub use crate::generated::accounts::*;

/// The `Accounts` aggregate: the state its queries read and its
/// events change, kept by the rules of the spec.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Accounts {
    /// The entities the model holds.
    state: AccountsState,
}

impl AsRef<AccountsState> for Accounts {
    fn as_ref(&self) -> &AccountsState {
        &self.state
    }
}

impl AsMut<AccountsState> for Accounts {
    fn as_mut(&mut self) -> &mut AccountsState {
        &mut self.state
    }
}

impl AccountsQueries for Accounts {}

impl AccountsPropose for Accounts {}

impl AccountsAccept for Accounts {}
