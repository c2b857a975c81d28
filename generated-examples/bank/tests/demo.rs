//! The tests of cqrs-es's own demo (serverlesstechnology/cqrs-demo,
//! `src/domain/aggregate.rs`), ported to the crate `specs/bank.ddd`
//! generates: the same commands, events and messages, run through
//! cqrs-es's `TestFramework`. Only names changed: the demo's enum variants
//! with fields are variants holding structs here, and its services'
//! `Result<(), AtmError>` is the answer `Ok(true)` or `Ok(false)`.
//!
//! Then what the demo's clients and stored rows rely on: its JSON.

use bank::bank_account::*;
use bank::generated::runtime::BankAccountStream;
use cqrs_es::test::TestFramework;
use std::sync::Mutex;

type AccountTestFramework = TestFramework<BankAccountStream<BankAccount, MockBankAccountServices>>;

fn deposited(amount: f64, balance: f64) -> BankAccountEvent {
    BankAccountEvent::CustomerDepositedMoney(CustomerDepositedMoney { amount, balance })
}

#[test]
fn test_deposit_money() {
    let expected = deposited(200.0, 200.0);
    let command = BankAccountCommand::DepositMoney(DepositMoney { amount: 200.0 });
    let services = MockBankAccountServices::default();
    // Obtain a new test framework
    AccountTestFramework::with(services)
        // In a test case with no previous events
        .given_no_previous_events()
        // Wnen we fire this command
        .when(command)
        // then we expect these results
        .then_expect_events(vec![expected]);
}

#[test]
fn test_deposit_money_with_balance() {
    let previous = deposited(200.0, 200.0);
    let expected = deposited(200.0, 400.0);
    let command = BankAccountCommand::DepositMoney(DepositMoney { amount: 200.0 });
    let services = MockBankAccountServices::default();

    AccountTestFramework::with(services)
        // Given this previously applied event
        .given(vec![previous])
        // When we fire this command
        .when(command)
        // Then we expect this resultant event
        .then_expect_events(vec![expected]);
}

#[test]
fn test_withdraw_money() {
    let previous = deposited(200.0, 200.0);
    let expected = BankAccountEvent::CustomerWithdrewCash(CustomerWithdrewCash {
        amount: 100.0,
        balance: 100.0,
    });
    let services = MockBankAccountServices::default();
    services.set_atm_withdrawal_response(true);
    let command = BankAccountCommand::WithdrawMoney(WithdrawMoney {
        amount: 100.0,
        atm_id: "ATM34f1ba3c".to_string(),
    });

    AccountTestFramework::with(services)
        .given(vec![previous])
        .when(command)
        .then_expect_events(vec![expected]);
}

#[test]
fn test_withdraw_money_client_error() {
    let previous = deposited(200.0, 200.0);
    let services = MockBankAccountServices::default();
    services.set_atm_withdrawal_response(false);
    let command = BankAccountCommand::WithdrawMoney(WithdrawMoney {
        amount: 100.0,
        atm_id: "ATM34f1ba3c".to_string(),
    });

    AccountTestFramework::with(services)
        .given(vec![previous])
        .when(command)
        .then_expect_error_message("atm rule violation");
}

#[test]
fn test_withdraw_money_funds_not_available() {
    let command = BankAccountCommand::WithdrawMoney(WithdrawMoney {
        amount: 200.0,
        atm_id: "ATM34f1ba3c".to_string(),
    });

    let services = MockBankAccountServices::default();
    AccountTestFramework::with(services)
        .given_no_previous_events()
        .when(command)
        // Here we expect an error rather than any events
        .then_expect_error_message("funds not available")
}

#[test]
fn test_wrote_check() {
    let previous = deposited(200.0, 200.0);
    let expected = BankAccountEvent::CustomerWroteCheck(CustomerWroteCheck {
        check_number: "1170".to_string(),
        amount: 100.0,
        balance: 100.0,
    });
    let services = MockBankAccountServices::default();
    services.set_validate_check_response(true);
    let command = BankAccountCommand::WriteCheck(WriteCheck {
        check_number: "1170".to_string(),
        amount: 100.0,
    });

    AccountTestFramework::with(services)
        .given(vec![previous])
        .when(command)
        .then_expect_events(vec![expected]);
}

#[test]
fn test_wrote_check_bad_check() {
    let previous = deposited(200.0, 200.0);
    let services = MockBankAccountServices::default();
    services.set_validate_check_response(false);
    let command = BankAccountCommand::WriteCheck(WriteCheck {
        check_number: "1170".to_string(),
        amount: 100.0,
    });

    AccountTestFramework::with(services)
        .given(vec![previous])
        .when(command)
        .then_expect_error_message("check invalid");
}

#[test]
fn test_wrote_check_funds_not_available() {
    let command = BankAccountCommand::WriteCheck(WriteCheck {
        check_number: "1170".to_string(),
        amount: 100.0,
    });

    let services = MockBankAccountServices::default();
    AccountTestFramework::with(services)
        .given_no_previous_events()
        .when(command)
        .then_expect_error_message("funds not available")
}

/// The check service is handed the account's id, as the demo's is
/// (`validate_check(&self.account_id, …)`): here, from the account's own
/// record, which `account-opened` set.
#[test]
fn the_check_service_is_asked_about_this_account() {
    let services = MockBankAccountServices::default();
    services.set_validate_check_response(true);
    let opened = BankAccountEvent::AccountOpened(AccountOpened {
        account_id: "ACCT-7".to_string(),
    });
    let command = BankAccountCommand::WriteCheck(WriteCheck {
        check_number: "1170".to_string(),
        amount: 100.0,
    });
    let services = std::sync::Arc::new(services);
    let seen = std::sync::Arc::clone(&services);
    let shared = SharedServices(services);
    TestFramework::<BankAccountStream<BankAccount, SharedServices>>::with(shared)
        .given(vec![opened, deposited(200.0, 200.0)])
        .when(command)
        .then_expect_events(vec![BankAccountEvent::CustomerWroteCheck(
            CustomerWroteCheck {
                check_number: "1170".to_string(),
                amount: 100.0,
                balance: 100.0,
            },
        )]);
    assert_eq!(seen.checked.lock().unwrap().as_deref(), Some("ACCT-7 1170"));
}

/// A service that fails is not a refusal of the command: it is rejected
/// as `unavailable`, worth sending again, by its own rule.
#[test]
fn an_atm_that_cannot_answer_leaves_the_command_undecided() {
    let services = MockBankAccountServices::default();
    services.fail_atm.lock().unwrap().replace(());
    let command = BankAccountCommand::WithdrawMoney(WithdrawMoney {
        amount: 100.0,
        atm_id: "ATM34f1ba3c".to_string(),
    });
    let mut account = BankAccount::default();
    account.accept(&deposited(200.0, 200.0));
    let rejection = block_on(account.propose(command, &services)).unwrap_err();
    assert_eq!(rejection.kind, bank::generated::RejectionKind::Unavailable);
    assert_eq!(rejection.rule, "withdraw-money/from-atm");
    assert_eq!(
        rejection.to_string(),
        "`Atm` could not answer: the line is down"
    );
}

// The demo's events and commands, as its clients and its stored rows
// write them (`curl/*.json`, and `serde_json` of its enums).
#[test]
fn events_are_the_demos_json() {
    let cases = [
        (
            BankAccountEvent::AccountOpened(AccountOpened {
                account_id: "ACCT-1".to_string(),
            }),
            r#"{"AccountOpened":{"account_id":"ACCT-1"}}"#,
        ),
        (
            deposited(200.0, 200.0),
            r#"{"CustomerDepositedMoney":{"amount":200.0,"balance":200.0}}"#,
        ),
        (
            BankAccountEvent::CustomerWithdrewCash(CustomerWithdrewCash {
                amount: 100.0,
                balance: 100.0,
            }),
            r#"{"CustomerWithdrewCash":{"amount":100.0,"balance":100.0}}"#,
        ),
        (
            BankAccountEvent::CustomerWroteCheck(CustomerWroteCheck {
                check_number: "1170".to_string(),
                amount: 256.28,
                balance: 743.72,
            }),
            r#"{"CustomerWroteCheck":{"check_number":"1170","amount":256.28,"balance":743.72}}"#,
        ),
    ];
    for (event, json) in cases {
        assert_eq!(serde_json::to_string(&event).unwrap(), json);
        assert_eq!(
            serde_json::from_str::<BankAccountEvent>(json).unwrap(),
            event
        );
        let tag = json[2..].split('"').next().unwrap();
        assert_eq!(cqrs_es::DomainEvent::event_type(&event), tag);
        assert_eq!(cqrs_es::DomainEvent::event_version(&event), "1.0");
    }
    assert_eq!(bank::bank_account::STORED_AS, "account");
}

#[test]
fn commands_are_the_demos_json() {
    let cases = [
        (
            r#"{"DepositMoney": {"amount": 1000.0}}"#,
            BankAccountCommand::DepositMoney(DepositMoney { amount: 1000.0 }),
        ),
        (
            r#"{"WithdrawMoney": {"atm_id": "ATM-N468290", "amount": 400.0}}"#,
            BankAccountCommand::WithdrawMoney(WithdrawMoney {
                amount: 400.0,
                atm_id: "ATM-N468290".to_string(),
            }),
        ),
        (
            r#"{"WriteCheck": {"check_number": "1170", "amount": 256.28}}"#,
            BankAccountCommand::WriteCheck(WriteCheck {
                check_number: "1170".to_string(),
                amount: 256.28,
            }),
        ),
        (
            r#"{"OpenAccount": {"account_id": "ACCT-1"}}"#,
            BankAccountCommand::OpenAccount(OpenAccount {
                account_id: "ACCT-1".to_string(),
            }),
        ),
    ];
    for (json, command) in cases {
        assert_eq!(
            serde_json::from_str::<BankAccountCommand>(json).unwrap(),
            command
        );
    }
}

/// The demo's mock services: each answer is set once by the test that
/// needs it, and taken by the one call the rules make. A service asked
/// without an answer set fails the test, as the demo's mock does: the
/// rules must not ask the ATM when the funds already refuse the command.
#[derive(Default)]
pub struct MockBankAccountServices {
    atm_withdrawal_response: Mutex<Option<bool>>,
    validate_check_response: Mutex<Option<bool>>,
    fail_atm: Mutex<Option<()>>,
    checked: Mutex<Option<String>>,
}

impl MockBankAccountServices {
    fn set_atm_withdrawal_response(&self, response: bool) {
        *self.atm_withdrawal_response.lock().unwrap() = Some(response);
    }
    fn set_validate_check_response(&self, response: bool) {
        *self.validate_check_response.lock().unwrap() = Some(response);
    }
}

impl Atm for MockBankAccountServices {
    async fn atm_accepts(&self, _atm_id: &str, _amount: f64) -> Result<bool, ServiceError> {
        if self.fail_atm.lock().unwrap().is_some() {
            return Err("the line is down".into());
        }
        Ok(self.atm_withdrawal_response.lock().unwrap().take().unwrap())
    }
}

impl Checks for MockBankAccountServices {
    async fn valid_check(
        &self,
        account_id: &str,
        check_number: &str,
    ) -> Result<bool, ServiceError> {
        *self.checked.lock().unwrap() = Some(format!("{account_id} {check_number}"));
        Ok(self.validate_check_response.lock().unwrap().take().unwrap())
    }
}

/// The mock behind an `Arc`, so that a test reads what it was asked after
/// the framework has taken it.
pub struct SharedServices(std::sync::Arc<MockBankAccountServices>);

impl Atm for SharedServices {
    async fn atm_accepts(&self, atm_id: &str, amount: f64) -> Result<bool, ServiceError> {
        self.0.atm_accepts(atm_id, amount).await
    }
}

impl Checks for SharedServices {
    async fn valid_check(
        &self,
        account_id: &str,
        check_number: &str,
    ) -> Result<bool, ServiceError> {
        self.0.valid_check(account_id, check_number).await
    }
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(future)
}
