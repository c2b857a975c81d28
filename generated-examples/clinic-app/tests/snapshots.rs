//! Snapshots (`<model>_cqrs_with_snapshots`): a command loads a stream's
//! latest snapshot and the events after it, and the model it decides on is
//! exactly the one its whole history gives. Deposits show any event applied
//! twice (cqrs-es 0.5.0's snapshot store applies the events it commits to
//! the aggregate it loaded, which must therefore not have applied them).
//! Each test runs once on PostgreSQL and once on SQLite (`postgres::…`,
//! `sqlite::…`).

mod support;

use accounts::accounts::*;
use accounts::generated::runtime::AccountsStream;
use cqrs_es::persist::{PersistedEventRepository, PersistedEventStore};
use cqrs_es::EventStore;

fn open(id: &str) -> AccountsCommand {
    Open {
        id: AccountId::new(id),
        owner: id.to_string(),
    }
    .into()
}

fn deposit(id: &str, amount: i64) -> AccountsCommand {
    Deposit {
        id: AccountId::new(id),
        amount,
    }
    .into()
}

fn withdraw(id: &str, amount: i64) -> AccountsCommand {
    Withdraw {
        id: AccountId::new(id),
        amount,
    }
    .into()
}

fn balance(model: &Accounts) -> Option<i64> {
    model
        .get_account(&AccountId::new("ann"))
        .map(|account| account.balance)
}

/// The tests, written once: each module that expands them names its
/// runtime module `store`, and gives `database()` (the address of a new,
/// empty store, and what keeps it alive), `pool_on(address)`, and
/// `set_snapshot(pool, payload)` (ann's snapshot's payload replaced, in
/// its own SQL).
macro_rules! store_tests {
    () => {
        use store::{
            accounts_cqrs, accounts_cqrs_with_snapshots, accounts_execute, accounts_load, migrate,
            EventRepository, Pool,
        };

        /// Ann's account replayed from every stored event, in memory, with no
        /// snapshot involved: the truth a snapshot must agree with.
        async fn replayed(pool: &Pool) -> Accounts {
            let repository = EventRepository::new(pool.clone());
            let events = repository
                .get_events::<AccountsStream<Accounts>>("account/ann")
                .await
                .unwrap();
            let mut model = Accounts::default();
            for event in events {
                let event: AccountsEvent = serde_json::from_value(event.payload).unwrap();
                model.accept(&event);
            }
            model
        }

        /// The snapshots stored for ann: (last sequence, snapshot number).
        async fn snapshots(pool: &Pool) -> Vec<(i64, i64)> {
            sqlx::query_as(
                "SELECT last_sequence, current_snapshot FROM snapshots \
                 WHERE aggregate_id = 'account/ann' ORDER BY last_sequence",
            )
            .fetch_all(pool)
            .await
            .unwrap()
        }

        #[tokio::test]
        async fn a_snapshot_gives_the_model_its_whole_history_gives() {
            let (url, _kept) = database().await;
            let pool = pool_on(&url).await;
            migrate(&pool).await.unwrap();
            let cqrs = accounts_cqrs_with_snapshots::<Accounts>(pool.clone(), Vec::new(), 3);
            accounts_execute(&cqrs, open("ann")).await.unwrap();
            let mut expected = 0;
            for amount in 1..=10 {
                accounts_execute(&cqrs, deposit("ann", amount))
                    .await
                    .unwrap();
                expected += amount;
            }
            // 11 events: snapshots after the 3rd, 6th and 9th, of which the last
            // is kept, in the transaction of the event that completed it.
            assert_eq!(snapshots(&pool).await, [(9, 3)]);
            let truth = replayed(&pool).await;
            assert_eq!(balance(&truth), Some(expected));
            // Loaded from the snapshot and the two events after it: the same.
            let loaded: Accounts = accounts_load(&pool, "account/ann").await.unwrap();
            assert_eq!(loaded, truth);
            // The rules decide on that model: a withdrawal of one cent more than
            // the balance is refused, of the balance itself accepted.
            let refused = accounts_execute(&cqrs, withdraw("ann", expected + 1)).await;
            assert!(refused.is_err(), "{refused:?}");
            accounts_execute(&cqrs, withdraw("ann", expected))
                .await
                .unwrap();
            let loaded: Accounts = accounts_load(&pool, "account/ann").await.unwrap();
            assert_eq!(balance(&loaded), Some(0));
            assert_eq!(loaded, replayed(&pool).await);
            // The materialized row is written as without snapshots.
            let row: (i64,) =
                sqlx::query_as("SELECT sequence FROM accounts_accounts WHERE key = 'ann'")
                    .fetch_one(&pool)
                    .await
                    .unwrap();
            assert_eq!(row.0, 12);
        }

        #[tokio::test]
        async fn a_snapshot_that_cannot_be_read_is_passed_over() {
            let (url, _kept) = database().await;
            let pool = pool_on(&url).await;
            migrate(&pool).await.unwrap();
            let cqrs = accounts_cqrs_with_snapshots::<Accounts>(pool.clone(), Vec::new(), 2);
            accounts_execute(&cqrs, open("ann")).await.unwrap();
            for _ in 0..5 {
                accounts_execute(&cqrs, deposit("ann", 10)).await.unwrap();
            }
            assert_eq!(snapshots(&pool).await, [(6, 3)]);
            let deep = format!("{}{}", "[".repeat(300), "]".repeat(300));
            for payload in [
                // Written by another shape of the model.
                r#"{"@shape": "0000000000000000", "accounts": []}"#.to_string(),
                // Not a snapshot at all.
                r#"{"accounts": 7}"#.to_string(),
                // JSON serde refuses.
                deep,
                r#"{"n": 1e400}"#.to_string(),
            ] {
                set_snapshot(&pool, &payload).await;
                // The stream is replayed from its first event instead.
                let loaded: Accounts = accounts_load(&pool, "account/ann").await.unwrap();
                assert_eq!(balance(&loaded), Some(50), "{payload:.40}");
                let snapshotting =
                    PersistedEventStore::<_, AccountsStream<Accounts>>::new_snapshot_store(
                        EventRepository::new(pool.clone()),
                        2,
                    );
                let context = snapshotting.load_aggregate("account/ann").await.unwrap();
                assert_eq!(balance(&context.aggregate.0), Some(50));
            }
            // And commands go on, writing a readable snapshot again.
            for _ in 0..2 {
                accounts_execute(&cqrs, deposit("ann", 10)).await.unwrap();
            }
            assert_eq!(snapshots(&pool).await, [(8, 1)]);
            let loaded: Accounts = accounts_load(&pool, "account/ann").await.unwrap();
            assert_eq!(balance(&loaded), Some(70));
            assert_eq!(loaded, replayed(&pool).await);
        }

        #[tokio::test]
        async fn frameworks_with_and_without_snapshots_share_a_stream() {
            let (url, _kept) = database().await;
            let pool = pool_on(&url).await;
            migrate(&pool).await.unwrap();
            let snapshotting =
                accounts_cqrs_with_snapshots::<Accounts>(pool.clone(), Vec::new(), 2);
            let plain = accounts_cqrs::<Accounts>(pool.clone(), Vec::new());
            accounts_execute(&plain, open("ann")).await.unwrap();
            for round in 0..6 {
                let cqrs = if round % 2 == 0 {
                    &snapshotting
                } else {
                    &plain
                };
                accounts_execute(cqrs, deposit("ann", 100)).await.unwrap();
            }
            let loaded: Accounts = accounts_load(&pool, "account/ann").await.unwrap();
            assert_eq!(balance(&loaded), Some(600));
            assert_eq!(loaded, replayed(&pool).await);
        }
    };
}

/// The tests on PostgreSQL.
mod postgres {
    use super::*;
    use accounts::generated::runtime::postgres as store;

    /// A new, empty database of the cluster: its URL (nothing to keep).
    async fn database() -> (String, ()) {
        (support::database().await, ())
    }

    /// A pool on the database at `url`.
    async fn pool_on(url: &str) -> Pool {
        support::pool(url).await
    }

    /// Ann's snapshot's payload replaced by `payload`, which PostgreSQL's
    /// `json` type takes.
    async fn set_snapshot(pool: &Pool, payload: &str) {
        sqlx::query("UPDATE snapshots SET payload = $1::json WHERE aggregate_id = 'account/ann'")
            .bind(payload)
            .execute(pool)
            .await
            .unwrap();
    }

    store_tests!();
}

/// The tests on SQLite: a file per test.
mod sqlite {
    use super::*;
    use accounts::generated::runtime::sqlite as store;

    /// A new SQLite file: its path, and the directory that holds it.
    async fn database() -> (String, tempfile::TempDir) {
        support::sqlite_file()
    }

    /// A pool on the file at `path`.
    async fn pool_on(path: &str) -> Pool {
        support::sqlite_pool(path).await
    }

    /// Ann's snapshot's payload replaced by `payload`, as text.
    async fn set_snapshot(pool: &Pool, payload: &str) {
        sqlx::query("UPDATE snapshots SET payload = $1 WHERE aggregate_id = 'account/ann'")
            .bind(payload)
            .execute(pool)
            .await
            .unwrap();
    }

    store_tests!();
}
