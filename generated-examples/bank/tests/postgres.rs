//! The bank account over PostgreSQL and over SQLite, beside rows
//! cqrs-es's own demo stored: its streams are read under the demo's
//! aggregate type (`account`), tags and `event_version`, and what it
//! stores the demo's code would read back. Each test runs once on each
//! store: in `postgres`, on a new database of the cluster
//! `scripts/test.sh` starts; in `sqlite`, on a new file.

use bank::bank_account::*;

/// Services that accept every ATM withdrawal and every check.
struct Accepting;

impl Atm for Accepting {
    async fn atm_accepts(&self, _atm_id: &str, _amount: f64) -> Result<bool, ServiceError> {
        Ok(true)
    }
}

impl Checks for Accepting {
    async fn valid_check(
        &self,
        _account_id: &str,
        _check_number: &str,
    ) -> Result<bool, ServiceError> {
        Ok(true)
    }
}

/// The tests, written once: each module that expands them names its
/// runtime module `store`, and gives `database()` (a new, empty store
/// with the crate's schema applied, and what keeps it alive) and
/// `demo_row` (a row as the demo wrote it, in the store's SQL).
macro_rules! store_tests {
    () => {
        use store::{bank_account_cqrs, bank_account_load};

        #[tokio::test]
        async fn the_demos_stored_account_is_read_and_carried_on() {
            let (pool, _kept) = database().await;
            demo_row(
                &pool,
                1,
                "AccountOpened",
                r#"{"AccountOpened":{"account_id":"ACCT-1"}}"#,
            )
            .await;
            demo_row(
                &pool,
                2,
                "CustomerDepositedMoney",
                r#"{"CustomerDepositedMoney":{"amount":1000.0,"balance":1000.0}}"#,
            )
            .await;
            demo_row(
                &pool,
                3,
                "CustomerWroteCheck",
                r#"{"CustomerWroteCheck":{"check_number":"1170","amount":256.25,"balance":743.75}}"#,
            )
            .await;

            let account: BankAccount = bank_account_load(&pool, "ACCT-1")
                .await
                .expect("the demo's stream");
            let state: &BankAccountState = account.as_ref();
            assert_eq!(state.account_id, "ACCT-1");
            assert_eq!(state.balance, 743.75);

            let cqrs = bank_account_cqrs::<BankAccount, _>(pool.clone(), Vec::new(), Accepting);
            let withdraw = BankAccountCommand::WithdrawMoney(WithdrawMoney {
                amount: 400.0,
                atm_id: "ATM-N468290".to_string(),
            });
            cqrs.execute("ACCT-1", withdraw).await.expect("stored");
            let too_much = BankAccountCommand::WithdrawMoney(WithdrawMoney {
                amount: 400.0,
                atm_id: "ATM-N468290".to_string(),
            });
            let refused = cqrs.execute("ACCT-1", too_much).await.unwrap_err();
            assert_eq!(refused.to_string(), "funds not available");

            let stored: (String, String, String, String) = sqlx::query_as(
                "SELECT aggregate_type, event_type, event_version, CAST(payload AS TEXT) FROM events \
                 WHERE aggregate_id = 'ACCT-1' AND sequence = 4",
            )
            .fetch_one(&pool)
            .await
            .expect("the new row");
            let payload: serde_json::Value = serde_json::from_str(&stored.3).unwrap();
            assert_eq!(
                (stored.0.as_str(), stored.1.as_str(), stored.2.as_str()),
                ("account", "CustomerWithdrewCash", "1.0")
            );
            assert_eq!(
                payload,
                serde_json::json!({"CustomerWithdrewCash": {"amount": 400.0, "balance": 343.75}})
            );
            let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
                .fetch_one(&pool)
                .await
                .unwrap();
            assert_eq!(rows, 4, "the refused command stored nothing");
        }
    };
}

/// The tests on PostgreSQL.
mod postgres {
    use super::*;
    use bank::generated::runtime::postgres as store;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use store::{connect, migrate, Pool};

    /// A new, empty database with the crate's schema applied: these tests
    /// never pass without one.
    async fn database() -> (Pool, ()) {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let url = std::env::var("ESGEN_TEST_DATABASE_URL").unwrap_or_else(|_| {
            panic!(
                "these tests store events in PostgreSQL and ESGEN_TEST_DATABASE_URL is not set: \
                 run them with `bash scripts/test.sh`, which installs PostgreSQL when it is \
                 missing and starts a throwaway cluster"
            )
        });
        let admin = connect(&url, 1)
            .await
            .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {url}: {e}"));
        let name = format!(
            "bank_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&admin)
            .await
            .expect("a test database");
        admin.close().await;
        let (server, _) = url.rsplit_once('/').expect("a URL ending in /<database>");
        let pool = connect(&format!("{server}/{name}"), 4)
            .await
            .expect("a connection");
        migrate(&pool).await.expect("the schema applies");
        (pool, ())
    }

    /// A row as the demo's postgres-es wrote it.
    async fn demo_row(pool: &Pool, sequence: i64, event_type: &str, payload: &str) {
        sqlx::query(
            "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, payload, metadata) \
             VALUES ('account', 'ACCT-1', $1, $2, '1.0', $3::json, '{}')",
        )
        .bind(sequence)
        .bind(event_type)
        .bind(payload)
        .execute(pool)
        .await
        .expect("a demo row");
    }

    store_tests!();
}

/// The tests on SQLite.
mod sqlite {
    use super::*;
    use bank::generated::runtime::sqlite as store;
    use store::{connect, migrate, Pool};

    /// A new SQLite file with the crate's schema applied, and the
    /// directory that holds it (removed when dropped).
    async fn database() -> (Pool, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("a directory");
        let path = dir.path().join("events.db");
        let pool = connect(&format!("sqlite://{}", path.display()), 4)
            .await
            .expect("an SQLite file");
        migrate(&pool).await.expect("the schema applies");
        (pool, dir)
    }

    /// A row as the demo would have written it with sqlite-es: the same
    /// columns, the payload as text.
    async fn demo_row(pool: &Pool, sequence: i64, event_type: &str, payload: &str) {
        sqlx::query(
            "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, payload, metadata) \
             VALUES ('account', 'ACCT-1', $1, $2, '1.0', $3, '{}')",
        )
        .bind(sequence)
        .bind(event_type)
        .bind(payload)
        .execute(pool)
        .await
        .expect("a demo row");
    }

    store_tests!();
}
