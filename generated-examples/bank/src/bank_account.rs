//! The `BankAccount` model: the aggregate's state, what its queries
//! read, how it decides on commands and how events change it.
//!
//! esgen created this file once and never changes it: it is yours. The
//! types and traits it implements are generated from `bank.ddd`
//! into `src/generated/bank_account.rs`. When the spec gains an action or a
//! query, the compiler lists the methods to add here.
//!
//! Every query, action and event of this model is generated from the
//! spec's rules, so this file needs no code. A method written in one of
//! the `impl` blocks below replaces the generated one.

pub use crate::generated::bank_account::*;

/// The `BankAccount` aggregate: the state its queries read and its
/// events change, kept by the rules of the spec.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct BankAccount {
    /// The record the model holds (`State:` in the spec).
    state: BankAccountState,
}

impl AsRef<BankAccountState> for BankAccount {
    fn as_ref(&self) -> &BankAccountState {
        &self.state
    }
}

impl AsMut<BankAccountState> for BankAccount {
    fn as_mut(&mut self) -> &mut BankAccountState {
        &mut self.state
    }
}

impl BankAccountQueries for BankAccount {}

impl BankAccountPropose for BankAccount {}

impl BankAccountAccept for BankAccount {}
