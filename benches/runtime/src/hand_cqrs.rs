//! The accounts of `specs/accounts.ddd` as a cqrs-es aggregate written by
//! hand, the way a careful engineer would: one account per aggregate, the
//! same commands, events and rejections as the generated code, and the
//! anchor the generated adapter is measured against (`benches/cqrs.rs`).

use accounts::accounts::{
    AccountsCommand, AccountsEvent, Closed, Deposited, Opened, Rejection, RejectionKind, Withdrawn,
};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

/// One account, as its events left it.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct HandAccount {
    exists: bool,
    open: bool,
    balance: i64,
}

fn refuse(
    action: &'static str,
    rule: &'static str,
    kind: RejectionKind,
    message: String,
) -> Rejection {
    Rejection::by_rule("Accounts", action, rule, kind, message)
}

impl HandAccount {
    fn decide(&self, command: AccountsCommand) -> Result<AccountsEvent, Rejection> {
        match command {
            AccountsCommand::Open(c) => {
                if c.owner.trim().is_empty() {
                    return Err(refuse(
                        "open",
                        "open/constraints",
                        RejectionKind::Invalid,
                        "owner is blank".into(),
                    ));
                }
                if self.exists {
                    return Err(refuse(
                        "open",
                        "open/if-has-account",
                        RejectionKind::Conflict,
                        format!("there is already an account {}", c.id),
                    ));
                }
                Ok(Opened {
                    id: c.id,
                    owner: c.owner,
                }
                .into())
            }
            AccountsCommand::Deposit(c) => {
                if c.amount < 1 {
                    return Err(refuse(
                        "deposit",
                        "deposit/constraints",
                        RejectionKind::Invalid,
                        "amount is less than 1".into(),
                    ));
                }
                if !self.open {
                    return Err(refuse(
                        "deposit",
                        "deposit/unless-open-of-account",
                        RejectionKind::Refused,
                        format!("account {} is not open", c.id),
                    ));
                }
                Ok(Deposited {
                    id: c.id,
                    amount: c.amount,
                }
                .into())
            }
            AccountsCommand::Withdraw(c) => {
                if c.amount < 1 {
                    return Err(refuse(
                        "withdraw",
                        "withdraw/constraints",
                        RejectionKind::Invalid,
                        "amount is less than 1".into(),
                    ));
                }
                if !self.open {
                    return Err(refuse(
                        "withdraw",
                        "withdraw/unless-open-of-account",
                        RejectionKind::Refused,
                        format!("account {} is not open", c.id),
                    ));
                }
                if c.amount > self.balance {
                    return Err(refuse(
                        "withdraw",
                        "withdraw/if-amount-is-more-than-balance-of-account",
                        RejectionKind::Refused,
                        format!("account {} holds less than that", c.id),
                    ));
                }
                Ok(Withdrawn {
                    id: c.id,
                    amount: c.amount,
                }
                .into())
            }
            AccountsCommand::Close(c) => {
                if !self.open {
                    return Err(refuse(
                        "close",
                        "close/unless-open-of-account",
                        RejectionKind::Refused,
                        format!("account {} is not open", c.id),
                    ));
                }
                Ok(Closed { id: c.id }.into())
            }
        }
    }
}

impl Aggregate for HandAccount {
    const TYPE: &'static str = "Accounts";
    type Command = AccountsCommand;
    type Event = AccountsEvent;
    type Error = Rejection;
    type Services = ();

    async fn handle(
        &mut self,
        command: AccountsCommand,
        _services: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), Rejection> {
        let event = self.decide(command)?;
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: AccountsEvent) {
        match event {
            AccountsEvent::Opened(_) => {
                self.exists = true;
                self.open = true;
            }
            AccountsEvent::Deposited(e) => self.balance = self.balance.saturating_add(e.amount),
            AccountsEvent::Withdrawn(e) => self.balance = self.balance.saturating_sub(e.amount),
            AccountsEvent::Closed(_) => self.open = false,
        }
    }
}
