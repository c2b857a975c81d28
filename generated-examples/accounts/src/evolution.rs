//! What `accounts.ddd`'s `Evolution:` leaves to you: each `by <function>` reads a
//! stored version of an event and returns the next (the generated
//! `tests/evolution.rs` reads a sample through it); each `migrate by
//! <function>` moves a running stream to new ones.
//!
//! esgen created this file once and never changes it: it is yours.

use crate::generated::accounts::{AccountsEvent, AccountsQueries, Closed, Deposited, Opened};

/// Migrates a running `Accounts` stream: from the model its events
/// built, the streams that replace it, each with the events that build
/// it (`accounts_migrate` writes them).
///
/// The bank kept every account in one stream, `bank`, before each had its
/// own: each account becomes `account/<id>`, opened, holding its balance,
/// and closed if it was.
#[must_use]
pub fn from_one_stream(
    old: &impl AccountsQueries,
) -> Vec<(String, Vec<crate::generated::accounts::AccountsEvent>)> {
    old.as_ref()
        .accounts
        .values()
        .map(|account| {
            let mut events: Vec<AccountsEvent> = vec![Opened {
                id: account.id.clone(),
                owner: account.owner.clone(),
            }
            .into()];
            if account.balance > 0 {
                events.push(
                    Deposited {
                        id: account.id.clone(),
                        amount: account.balance,
                    }
                    .into(),
                );
            }
            if !account.open {
                events.push(
                    Closed {
                        id: account.id.clone(),
                    }
                    .into(),
                );
            }
            (format!("account/{}", account.id), events)
        })
        .collect()
}
