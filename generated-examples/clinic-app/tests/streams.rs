//! A model split into one stream per entity (`specs/accounts.ddd`: every
//! action carries an account's id and touches only that account), stored
//! in PostgreSQL and in SQLite: each account's events land in a stream of
//! their own, and writers on different accounts never conflict. The tests
//! of `store_tests!` run once on each store (`postgres::…`, `sqlite::…`),
//! each faulting the store in its own SQL where they fault it; the tests
//! of a fault that only one store has run on that store alone.

mod support;

use accounts::accounts::*;
use accounts::generated::runtime::accounts_stream;
use cqrs_es::AggregateError;
use std::sync::Arc;

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

/// The tests, written once: each module that expands them names its
/// runtime module `store`, and gives `database()` (the address of a new,
/// empty store, and what keeps it alive), `pool_on(address)`, and the faults
/// in its own SQL: `hold_the_events_table(pool)` (a transaction of another
/// connection that keeps every writer of the events table waiting until
/// it ends), and `refuse_row_writes(pool)` / `allow_row_writes(pool)` (a
/// trigger refusing every write to the accounts' table, and its removal).
macro_rules! store_tests {
    () => {
        use store::{
            accounts_cqrs, accounts_execute, accounts_heal, accounts_load, accounts_migrate,
            accounts_rebuild, accounts_refresh, accounts_tables_into, accounts_view,
            execute_once, migrate, AccountsTables, Pool,
        };

        #[tokio::test]
        async fn each_account_is_a_stream_of_its_own() {
            let (url, _kept) = database().await;
            let pool = pool_on(&url).await;
            migrate(&pool).await.unwrap();
            let cqrs = accounts_cqrs::<Accounts>(pool.clone(), Vec::new());
            for command in [open("ann"), open("bob"), deposit("ann", 500)] {
                cqrs.execute(&accounts_stream(&command), command)
                    .await
                    .unwrap();
            }
            // The same, with no stream to name.
            accounts_execute(&cqrs, deposit("bob", 70))
                .await
                .unwrap();
            let refused = cqrs.execute("account/ann", open("ann")).await.unwrap_err();
            assert!(matches!(refused, AggregateError::UserError(r) if r.kind == RejectionKind::Conflict));
            // A command sent to another entity's stream is refused, and stores
            // nothing: it would skip its own entity's rules (ann opened twice) and
            // change the other's row.
            for (stream, command) in [
                ("account/bob", open("ann")),
                ("account/bob", deposit("ann", 5)),
            ] {
                let refused = cqrs.execute(stream, command).await.unwrap_err();
                let AggregateError::UserError(rejection) = refused else {
                    panic!("not refused by the rules: {refused:?}");
                };
                assert_eq!(rejection.kind, RejectionKind::Invalid);
                assert!(rejection.rule.ends_with("/stream"), "{}", rejection.rule);
                assert!(
                    rejection.message.contains("`account/ann`")
                        && rejection.message.contains("`account/bob`"),
                    "{}",
                    rejection.message
                );
            }

            let stored: Vec<(String, i64, String)> = sqlx::query_as(
                "SELECT aggregate_id, sequence, event_type FROM events ORDER BY aggregate_id, sequence",
            )
            .fetch_all(&pool)
            .await
            .unwrap();
            let stored: Vec<(&str, i64, &str)> = stored
                .iter()
                .map(|(id, n, event)| (id.as_str(), *n, event.as_str()))
                .collect();
            assert_eq!(
                stored,
                [
                    ("account/ann", 1, "opened"),
                    ("account/ann", 2, "deposited"),
                    ("account/bob", 1, "opened"),
                    ("account/bob", 2, "deposited"),
                ]
            );
            // A stream holds its account only.
            let ann: Accounts = accounts_load(&pool, "account/ann").await.unwrap();
            let held: Vec<(String, i64)> = ann
                .open_accounts()
                .into_iter()
                .map(|a| (a.id.to_string(), a.balance))
                .collect();
            assert_eq!(held, [("ann".to_string(), 500)]);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn writers_on_different_accounts_never_conflict() {
            let (url, _kept) = database().await;
            migrate(&pool_on(&url).await).await.unwrap();
            let writers: Vec<_> = [pool_on(&url).await, pool_on(&url).await]
                .into_iter()
                .map(|pool| Arc::new(accounts_cqrs::<Accounts>(pool, Vec::new())))
                .collect();
            let mut tasks = Vec::new();
            for n in 0..10 {
                let writer = writers[n % 2].clone();
                tasks.push(tokio::spawn(async move {
                    let id = format!("a{n}");
                    for command in [open(&id), deposit(&id, 10), deposit(&id, 20)] {
                        let stream = accounts_stream(&command);
                        writer.execute(&stream, command).await?;
                    }
                    Ok::<_, AggregateError<Rejection>>(())
                }));
            }
            for task in tasks {
                task.await
                    .unwrap()
                    .expect("no conflict between different accounts");
            }
            let reader = pool_on(&url).await;
            for n in 0..10 {
                let account: Accounts = accounts_load(&reader, &format!("account/a{n}"))
                    .await
                    .unwrap();
                let id = AccountId::new(format!("a{n}"));
                assert_eq!(account.get_account(&id).map(|a| a.balance), Some(30));
            }
        }

        #[tokio::test]
        async fn the_materialized_tables_answer_as_the_model_in_memory_does() {
            let (url, _kept) = database().await;
            let pool = pool_on(&url).await;
            migrate(&pool).await.unwrap();
            let tables = AccountsTables::<Accounts>::new(pool.clone());
            let cqrs = accounts_cqrs::<Accounts>(pool.clone(), vec![Box::new(tables)]);
            let close = |id: &str| -> AccountsCommand {
                Close {
                    id: AccountId::new(id),
                }
                .into()
            };
            let commands = [
                open("cy"),
                open("ann"),
                deposit("ann", 500),
                open("bob"),
                deposit("bob", 70),
                close("cy"),
                deposit("ann", 25),
            ];
            // The same commands, in memory: one model holding every account.
            let mut memory = Accounts::default();
            for command in commands {
                memory.execute(command.clone()).unwrap();
                cqrs.execute(&accounts_stream(&command), command)
                    .await
                    .unwrap();
            }
            let view = accounts_view(&pool).await.unwrap();
            let keys = |accounts: Vec<Account>| -> Vec<(String, i64)> {
                accounts
                    .into_iter()
                    .map(|a| (a.id.to_string(), a.balance))
                    .collect()
            };
            assert_eq!(keys(view.open_accounts()), keys(memory.open_accounts()));
            assert_eq!(
                keys(view.open_accounts()),
                [("ann".to_string(), 525), ("bob".to_string(), 70)],
                "in the order the accounts were opened"
            );
            let cy = AccountId::new("cy");
            assert_eq!(view.get_account(&cy), memory.get_account(&cy));

            // A row lost (or never written) comes back from the stream.
            sqlx::query("DELETE FROM accounts_accounts WHERE key = 'bob'")
                .execute(&pool)
                .await
                .unwrap();
            assert_eq!(
                keys(accounts_view(&pool).await.unwrap().open_accounts()).len(),
                1
            );
            accounts_refresh::<Accounts>(&pool, "account/bob")
                .await
                .unwrap();
            let view = accounts_view(&pool).await.unwrap();
            assert_eq!(keys(view.open_accounts()), keys(memory.open_accounts()));

            // Every table rebuilt from the events: garbage gone, every row back,
            // and the tables read as the aggregate you define.
            sqlx::query("INSERT INTO accounts_accounts (key, payload) VALUES ('ghost', '{}')")
                .execute(&pool)
                .await
                .unwrap();
            sqlx::query("DELETE FROM accounts_accounts WHERE key = 'ann'")
                .execute(&pool)
                .await
                .unwrap();
            let streams = accounts_rebuild::<Accounts>(&pool).await.unwrap();
            assert_eq!(streams, 3, "one stream per account opened");
            let (rows,): (i64,) = sqlx::query_as("SELECT count(*) FROM accounts_accounts")
                .fetch_one(&pool)
                .await
                .unwrap();
            assert_eq!(rows, 3);
            let rebuilt: Accounts = accounts_tables_into(&pool).await.unwrap();
            assert_eq!(
                keys(rebuilt.open_accounts()),
                keys(memory.open_accounts()),
                "the tables, read into the aggregate, answer as in memory"
            );
            assert_eq!(rebuilt.get_account(&cy), memory.get_account(&cy));
        }

        #[tokio::test]
        async fn a_bank_kept_in_one_stream_is_migrated_to_one_per_account() {
            let (url, _kept) = database().await;
            let pool = pool_on(&url).await;
            migrate(&pool).await.unwrap();
            // Before each account had its own stream, the bank kept them all in
            // one, `bank`, as a crate of that time stored them (today's refuses a
            // command on a stream that is not its own).
            let tables = AccountsTables::<Accounts>::new(pool.clone());
            let cqrs = accounts_cqrs::<Accounts>(pool.clone(), vec![Box::new(tables)]);
            let close = Close {
                id: AccountId::new("cy"),
            };
            let mut bank = Accounts::default();
            for (sequence, command) in [
                open("ann"),
                deposit("ann", 500),
                open("bob"),
                open("cy"),
                close.into(),
                deposit("bob", 70),
            ]
            .into_iter()
            .enumerate()
            {
                let event = bank.execute(command).unwrap();
                sqlx::query(
                    "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, payload, metadata) \
                     VALUES ('Accounts', 'bank', $1, $2, '1', $3, '{}')",
                )
                .bind(sequence as i64 + 1)
                .bind(event.name())
                .bind(sqlx::types::Json(&event))
                .execute(&pool)
                .await
                .unwrap();
            }
            let before: Accounts = accounts_load(&pool, "bank").await.unwrap();
            assert_eq!(before, bank, "the stored stream reads back as written");

            let streams = accounts_migrate::<Accounts>(&pool, "bank").await.unwrap();
            assert_eq!(streams, ["account/ann", "account/bob", "account/cy"]);
            for stream in &streams {
                let id = AccountId::new(stream.trim_start_matches("account/"));
                let account: Accounts = accounts_load(&pool, stream).await.unwrap();
                assert_eq!(
                    account.get_account(&id),
                    before.get_account(&id),
                    "{stream}"
                );
            }
            // The tables hold every account, and the model goes on taking
            // commands on the new streams.
            let view = accounts_view(&pool).await.unwrap();
            assert_eq!(view.open_accounts().len(), 2);
            let withdraw = |id: &str, amount: i64| -> AccountsCommand {
                Withdraw {
                    id: AccountId::new(id),
                    amount,
                }
                .into()
            };
            cqrs.execute("account/ann", withdraw("ann", 200))
                .await
                .unwrap();
            let refused = cqrs
                .execute("account/bob", withdraw("bob", 71))
                .await
                .unwrap_err();
            assert!(matches!(refused, AggregateError::UserError(r) if r.kind == RejectionKind::Refused));
            let ann: Accounts = accounts_load(&pool, "account/ann").await.unwrap();
            assert_eq!(
                ann.get_account(&AccountId::new("ann")).map(|a| a.balance),
                Some(300)
            );

            // Migrated once: a second run finds the new streams taken.
            let again = accounts_migrate::<Accounts>(&pool, "bank").await;
            assert!(
                matches!(again, Err(AggregateError::AggregateConflict)),
                "{again:?}"
            );
        }

        #[tokio::test]
        async fn a_locked_table_is_an_error_after_the_lock_timeout_not_a_wait() {
            use store::{connect_with, Timeouts};
            use std::time::Duration;
            let (url, _kept) = database().await;
            let short = Timeouts {
                lock: Duration::from_millis(200),
                ..Timeouts::default()
            };
            let pool = connect_with(&url, 4, short).await.unwrap();
            migrate(&pool).await.unwrap();
            let cqrs = accounts_cqrs::<Accounts>(pool.clone(), Vec::new());
            // Another session holds the events table.
            let other = pool_on(&url).await;
            let holder = hold_the_events_table(&other).await;
            let command = open("ann");
            let waited = tokio::time::timeout(
                Duration::from_secs(20),
                cqrs.execute(&accounts_stream(&command), command),
            )
            .await
            .expect("the lock timeout ends the wait");
            // Reported as the database not answering in time: worth a retry.
            assert!(
                matches!(waited, Err(AggregateError::DatabaseConnectionError(_))),
                "nothing is stored while the table is held: {waited:?}"
            );
            holder.rollback().await.unwrap();
            // Once the lock is gone, the same command goes through.
            let command = open("ann");
            cqrs.execute(&accounts_stream(&command), command)
                .await
                .unwrap();
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn a_command_retried_with_its_id_is_stored_once() {
            let (url, _kept) = database().await;
            let pool = pool_on(&url).await;
            migrate(&pool).await.unwrap();
            let cqrs = Arc::new(accounts_cqrs::<Accounts>(pool.clone(), Vec::new()));
            execute_once(&cqrs, &pool, "account/ann", "open-1", open("ann"))
                .await
                .unwrap();
            // The deposit's answer is lost, and the client retries it, once in
            // turn and eight times at once: the deposit is stored once.
            let deposit_ann = || deposit("ann", 500);
            execute_once(&cqrs, &pool, "account/ann", "deposit-1", deposit_ann())
                .await
                .unwrap();
            execute_once(&cqrs, &pool, "account/ann", "deposit-1", deposit_ann())
                .await
                .unwrap();
            let retries: Vec<_> = (0..8)
                .map(|_| {
                    let (cqrs, pool) = (Arc::clone(&cqrs), pool.clone());
                    tokio::spawn(async move {
                        execute_once(&cqrs, &pool, "account/ann", "deposit-2", deposit("ann", 7)).await
                    })
                })
                .collect();
            for retry in retries {
                retry.await.unwrap().unwrap();
            }
            let stored: Vec<(i64, String)> = sqlx::query_as(
                "SELECT sequence, event_type FROM events WHERE aggregate_id = 'account/ann' ORDER BY sequence",
            )
            .fetch_all(&pool)
            .await
            .unwrap();
            let events: Vec<&str> = stored.iter().map(|(_, e)| e.as_str()).collect();
            assert_eq!(events, ["opened", "deposited", "deposited"], "{stored:?}");
            let ann: Accounts = accounts_load(&pool, "account/ann").await.unwrap();
            assert_eq!(
                ann.get_account(&AccountId::new("ann")).map(|a| a.balance),
                Some(507)
            );
            // Another command, with another id, goes through as usual.
            execute_once(&cqrs, &pool, "account/ann", "deposit-3", deposit_ann())
                .await
                .unwrap();
            let ann: Accounts = accounts_load(&pool, "account/ann").await.unwrap();
            assert_eq!(
                ann.get_account(&AccountId::new("ann")).map(|a| a.balance),
                Some(1007)
            );
        }

        #[tokio::test]
        async fn a_row_is_never_overwritten_by_an_older_state_of_its_stream() {
            let (url, _kept) = database().await;
            let pool = pool_on(&url).await;
            migrate(&pool).await.unwrap();
            let tables = AccountsTables::<Accounts>::new(pool.clone());
            let cqrs = accounts_cqrs::<Accounts>(pool.clone(), vec![Box::new(tables)]);
            for command in [open("ann"), deposit("ann", 500)] {
                cqrs.execute(&accounts_stream(&command), command)
                    .await
                    .unwrap();
            }
            let row = || async {
                let (sequence, payload): (i64, String) = sqlx::query_as(
                    "SELECT sequence, CAST(payload AS TEXT) FROM accounts_accounts WHERE key = 'ann'",
                )
                .fetch_one(&pool)
                .await
                .unwrap();
                let payload: serde_json::Value = serde_json::from_str(&payload).unwrap();
                (sequence, payload["balance"].as_i64())
            };
            assert_eq!(row().await, (2, Some(500)), "the row reflects event 2");
            // A row written from a later state (say, by a refresh that ran after
            // an event this one has not loaded): an older refresh leaves it alone.
            sqlx::query("UPDATE accounts_accounts SET sequence = 9, payload = '{\"id\":\"ann\",\"owner\":\"ann\",\"balance\":1,\"open\":true}' WHERE key = 'ann'")
                .execute(&pool)
                .await
                .unwrap();
            accounts_refresh::<Accounts>(&pool, "account/ann")
                .await
                .unwrap();
            assert_eq!(row().await, (9, Some(1)));
            // The stream moves on past it: the row follows again.
            sqlx::query("UPDATE accounts_accounts SET sequence = 1 WHERE key = 'ann'")
                .execute(&pool)
                .await
                .unwrap();
            let command = deposit("ann", 5);
            cqrs.execute(&accounts_stream(&command), command)
                .await
                .unwrap();
            assert_eq!(row().await, (3, Some(505)));
        }

        #[tokio::test]
        async fn a_rebuild_keeps_the_rows_order_and_a_bad_stream_leaves_the_tables_untouched() {
            let (url, _kept) = database().await;
            let pool = pool_on(&url).await;
            migrate(&pool).await.unwrap();
            let tables = AccountsTables::<Accounts>::new(pool.clone());
            let cqrs = accounts_cqrs::<Accounts>(pool.clone(), vec![Box::new(tables)]);
            // Opened in an order that is not the streams' names' order.
            for id in ["cy", "ann", "bob"] {
                let command = open(id);
                cqrs.execute(&accounts_stream(&command), command)
                    .await
                    .unwrap();
            }
            let rows = || async {
                let rows: Vec<(String,)> =
                    sqlx::query_as("SELECT key FROM accounts_accounts ORDER BY position")
                        .fetch_all(&pool)
                        .await
                        .unwrap();
                rows.into_iter().map(|(k,)| k).collect::<Vec<_>>()
            };
            assert_eq!(rows().await, ["cy", "ann", "bob"]);
            assert_eq!(accounts_rebuild::<Accounts>(&pool).await.unwrap(), 3);
            assert_eq!(rows().await, ["cy", "ann", "bob"], "the order is kept");

            // A row no serde reads in one stream: the rebuild stops, and the
            // tables are as they were.
            sqlx::query(
                "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, payload, metadata) \
                 VALUES ('Accounts', 'account/dee', 1, 'opened', '1', '{\"opened\": {\"id\": 5}}', '{}')",
            )
            .execute(&pool)
            .await
            .unwrap();
            assert!(accounts_rebuild::<Accounts>(&pool).await.is_err());
            assert_eq!(rows().await, ["cy", "ann", "bob"], "untouched");
        }

        #[tokio::test]
        async fn healing_at_start_catches_rows_up_and_rebuilds_a_table_of_another_shape() {
            let (url, _kept) = database().await;
            let pool = pool_on(&url).await;
            migrate(&pool).await.unwrap();
            let tables = AccountsTables::<Accounts>::new(pool.clone());
            let cqrs = accounts_cqrs::<Accounts>(pool.clone(), vec![Box::new(tables)]);
            for command in [open("ann"), open("bob"), deposit("ann", 500)] {
                cqrs.execute(&accounts_stream(&command), command)
                    .await
                    .unwrap();
            }
            let balance = |pool: Pool| async move {
                let view = accounts_view(&pool).await.unwrap();
                view.get_account(&AccountId::new("ann")).map(|a| a.balance)
            };
            // The first start finds no shape recorded: it rebuilds the tables,
            // whatever crate wrote them, and records their shapes.
            assert_eq!(accounts_heal::<Accounts>(&pool).await.unwrap(), 2);
            assert_eq!(accounts_heal::<Accounts>(&pool).await.unwrap(), 0);
            // A row left behind its stream (the process died before writing it),
            // and one lost: both caught up.
            sqlx::query("UPDATE accounts_accounts SET sequence = 1, payload = '{\"id\":\"ann\",\"owner\":\"ann\",\"balance\":0,\"open\":true}' WHERE key = 'ann'")
                .execute(&pool)
                .await
                .unwrap();
            sqlx::query("DELETE FROM accounts_accounts WHERE key = 'bob'")
                .execute(&pool)
                .await
                .unwrap();
            assert_eq!(balance(pool.clone()).await, Some(0));
            assert_eq!(accounts_heal::<Accounts>(&pool).await.unwrap(), 2);
            assert_eq!(balance(pool.clone()).await, Some(500));
            assert_eq!(
                accounts_heal::<Accounts>(&pool).await.unwrap(),
                0,
                "nothing behind now"
            );
            // Rows an older crate wrote, of another shape (no balance): the
            // table is rebuilt, and reads again.
            sqlx::query("UPDATE accounts_accounts SET payload = '{\"id\":\"ann\",\"owner\":\"ann\"}'")
                .execute(&pool)
                .await
                .unwrap();
            sqlx::query("UPDATE esgen_tables SET shape = 'older' WHERE name = 'accounts_accounts'")
                .execute(&pool)
                .await
                .unwrap();
            assert!(accounts_view(&pool).await.is_err(), "unreadable rows");
            assert_eq!(accounts_heal::<Accounts>(&pool).await.unwrap(), 2);
            assert_eq!(balance(pool.clone()).await, Some(500));
        }

        #[tokio::test]
        async fn a_command_and_its_rows_are_stored_together_or_not_at_all() {
            let (url, _kept) = database().await;
            let pool = pool_on(&url).await;
            migrate(&pool).await.unwrap();
            // No query given: the rows come with the events, in their transaction.
            let cqrs = accounts_cqrs::<Accounts>(pool.clone(), Vec::new());
            for command in [open("ann"), deposit("ann", 500)] {
                cqrs.execute(&accounts_stream(&command), command)
                    .await
                    .unwrap();
            }
            let balance = || async {
                let view = accounts_view(&pool).await.unwrap();
                view.get_account(&AccountId::new("ann")).map(|a| a.balance)
            };
            assert_eq!(
                balance().await,
                Some(500),
                "read as soon as execute returns"
            );
            // Every write to the table refused: the command fails, and its event
            // is not stored either.
            refuse_row_writes(&pool).await;
            let command = deposit("ann", 7);
            let failed = cqrs.execute(&accounts_stream(&command), command).await;
            assert!(failed.is_err(), "{failed:?}");
            let (events,): (i64,) =
                sqlx::query_as("SELECT count(*) FROM events WHERE aggregate_id = 'account/ann'")
                    .fetch_one(&pool)
                    .await
                    .unwrap();
            assert_eq!(events, 2, "the refused write took its event with it");
            allow_row_writes(&pool).await;
            let command = deposit("ann", 7);
            cqrs.execute(&accounts_stream(&command), command)
                .await
                .unwrap();
            assert_eq!(balance().await, Some(507));
        }

        #[tokio::test]
        async fn a_row_behind_its_stream_is_rebuilt_from_the_stream_by_the_next_command() {
            let (url, _kept) = database().await;
            let pool = pool_on(&url).await;
            migrate(&pool).await.unwrap();
            let cqrs = accounts_cqrs::<Accounts>(pool.clone(), Vec::new());
            for command in [open("ann"), deposit("ann", 5), deposit("ann", 7)] {
                accounts_execute(&cqrs, command)
                    .await
                    .unwrap();
            }
            // The row as it was after the first event only (an older crate's
            // write, a repair by hand): a command's row is then not made from it.
            sqlx::query(
                "UPDATE accounts_accounts SET sequence = 1, \
                 payload = '{\"id\":\"ann\",\"owner\":\"ann\",\"balance\":0,\"open\":true}' \
                 WHERE key = 'ann'",
            )
            .execute(&pool)
            .await
            .unwrap();
            accounts_execute(&cqrs, deposit("ann", 1))
                .await
                .unwrap();
            let (sequence, payload): (i64, String) = sqlx::query_as(
                "SELECT sequence, CAST(payload AS TEXT) FROM accounts_accounts WHERE key = 'ann'",
            )
            .fetch_one(&pool)
            .await
            .unwrap();
            let payload: serde_json::Value = serde_json::from_str(&payload).unwrap();
            assert_eq!((sequence, payload["balance"].as_i64()), (4, Some(13)));
            // And from a row at its stream's last event, the next one follows.
            accounts_execute(&cqrs, deposit("ann", 2))
                .await
                .unwrap();
            let view = accounts_view(&pool).await.unwrap();
            let ann: Accounts = accounts_load(&pool, "account/ann").await.unwrap();
            assert_eq!(
                view.get_account(&AccountId::new("ann")),
                ann.get_account(&AccountId::new("ann"))
            );
            assert_eq!(
                ann.get_account(&AccountId::new("ann")).map(|a| a.balance),
                Some(15)
            );
        }

        /// A row rebuilt from its stream is read in the command's own
        /// transaction: on a pool of one connection it does not wait for a
        /// second one (it once did, until the pool gave up).
        #[tokio::test]
        async fn a_row_is_rebuilt_on_a_pool_of_one_connection() {
            let (url, _kept) = database().await;
            let pool = pool_of_one(&url).await;
            migrate(&pool).await.unwrap();
            let cqrs = accounts_cqrs::<Accounts>(pool.clone(), Vec::new());
            accounts_execute(&cqrs, open("ann")).await.unwrap();
            accounts_execute(&cqrs, deposit("ann", 5)).await.unwrap();
            sqlx::query("DELETE FROM accounts_accounts")
                .execute(&pool)
                .await
                .unwrap();
            accounts_execute(&cqrs, deposit("ann", 5)).await.unwrap();
            let view = accounts_view(&pool).await.unwrap();
            assert_eq!(
                view.get_account(&AccountId::new("ann")).map(|a| a.balance),
                Some(10)
            );
        }
    };
}

/// The tests on PostgreSQL, and those of its faults that SQLite has not.
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

    /// A pool of one connection on the database at `url`.
    async fn pool_of_one(url: &str) -> Pool {
        store::connect(url, 1).await.unwrap()
    }

    /// Another session's transaction holding the events table, locked.
    async fn hold_the_events_table(other: &Pool) -> sqlx::Transaction<'static, store::Database> {
        let mut holder = other.begin().await.unwrap();
        sqlx::query("LOCK TABLE events IN ACCESS EXCLUSIVE MODE")
            .execute(&mut *holder)
            .await
            .unwrap();
        holder
    }

    /// Every write to the accounts' table refused, by a trigger.
    async fn refuse_row_writes(pool: &Pool) {
        sqlx::raw_sql(
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$; \
             CREATE TRIGGER refuse BEFORE INSERT OR UPDATE OR DELETE ON accounts_accounts FOR EACH ROW EXECUTE FUNCTION refuse();",
        )
        .execute(pool)
        .await
        .unwrap();
    }

    /// The trigger of [`refuse_row_writes`] dropped.
    async fn allow_row_writes(pool: &Pool) {
        sqlx::raw_sql("DROP TRIGGER refuse ON accounts_accounts")
            .execute(pool)
            .await
            .unwrap();
    }

    store_tests!();

    #[tokio::test]
    async fn a_database_error_says_what_it_is() {
        use std::time::Duration;
        use store::{connect_with, Timeouts};
        let (url, _kept) = database().await;
        let short = Timeouts {
            statement: Duration::from_millis(300),
            ..Timeouts::default()
        };
        let pool = connect_with(&url, 2, short).await.unwrap();
        migrate(&pool).await.unwrap();
        let cqrs = accounts_cqrs::<Accounts>(pool.clone(), Vec::new());
        accounts_execute(&cqrs, open("ann")).await.unwrap();
        // A statement that outlives its timeout (a trigger that sleeps) is the
        // database not answering in time: retriable.
        sqlx::raw_sql(
            "CREATE FUNCTION slow() RETURNS trigger AS $$ BEGIN PERFORM pg_sleep(2); RETURN NEW; END $$ LANGUAGE plpgsql; \
             CREATE TRIGGER slow BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION slow();",
        )
        .execute(&pool)
        .await
        .unwrap();
        let slow = accounts_execute(&cqrs, deposit("ann", 5)).await;
        assert!(
            matches!(slow, Err(AggregateError::DatabaseConnectionError(_))),
            "{slow:?}"
        );
        sqlx::query("DROP TRIGGER slow ON events")
            .execute(&pool)
            .await
            .unwrap();
        // A table that is not there is not a connection error: retrying will
        // not help, and it is reported as what it is.
        sqlx::query("ALTER TABLE accounts_accounts RENAME TO gone")
            .execute(&pool)
            .await
            .unwrap();
        let missing = accounts_execute(&cqrs, deposit("ann", 5)).await;
        let Err(AggregateError::UnexpectedError(error)) = missing else {
            panic!("{missing:?}");
        };
        assert!(error.to_string().contains("accounts_accounts"), "{error}");
        // Neither stored anything.
        let ann: Accounts = accounts_load(&pool, "account/ann").await.unwrap();
        assert_eq!(
            ann.get_account(&AccountId::new("ann")).map(|a| a.balance),
            Some(0)
        );
    }

    #[tokio::test]
    async fn a_reader_of_the_whole_store_never_skips_an_event_that_commits_late() {
        use store::read_all;
        let (url, _kept) = database().await;
        let pool = pool_on(&url).await;
        migrate(&pool).await.unwrap();
        let cqrs = accounts_cqrs::<Accounts>(pool.clone(), Vec::new());
        let command = open("ann");
        cqrs.execute(&accounts_stream(&command), command)
            .await
            .unwrap();
        // Transactions of other tests in the cluster hold readers back too,
        // while they last: the reader polls, as a follower would.
        let settled = |after: i64, want: usize| {
            let pool = pool.clone();
            async move {
                for _ in 0..200 {
                    let read = read_all(&pool, after, 100).await.unwrap();
                    if read.len() >= want {
                        return read;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
                read_all(&pool, after, 100).await.unwrap()
            }
        };
        let first = settled(0, 1).await;
        assert_eq!(first.len(), 1);
        let after = first[0].position;
        // A writer takes a position and has not committed; another commits a
        // later one meanwhile.
        let slow = pool_on(&url).await;
        let mut late = slow.begin().await.unwrap();
        sqlx::query(
            "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, payload, metadata) \
             VALUES ('Accounts', 'account/late', 1, 'opened', '1', '{\"opened\": {\"id\": \"late\", \"owner\": \"late\"}}', '{}')",
        )
        .execute(&mut *late)
        .await
        .unwrap();
        let command = open("bob");
        cqrs.execute(&accounts_stream(&command), command)
            .await
            .unwrap();
        // The reader is held back rather than moved past the slow position.
        assert_eq!(read_all(&pool, after, 100).await.unwrap(), []);
        late.commit().await.unwrap();
        let next: Vec<String> = settled(after, 2)
            .await
            .into_iter()
            .map(|e| e.stream)
            .collect();
        assert_eq!(next, ["account/late", "account/bob"], "in position order");
    }
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

    /// A pool of one connection on the file at `path`.
    async fn pool_of_one(path: &str) -> Pool {
        store::connect(path, 1).await.unwrap()
    }

    /// Another connection's transaction holding the file's write lock (a
    /// row written and not committed), which every writer of the events
    /// table waits for.
    async fn hold_the_events_table(other: &Pool) -> sqlx::Transaction<'static, store::Database> {
        let mut holder = other.begin().await.unwrap();
        sqlx::query("INSERT INTO esgen_tables (name, shape) VALUES ('held', 'held')")
            .execute(&mut *holder)
            .await
            .unwrap();
        holder
    }

    /// Every write to the accounts' table refused, by a trigger for each
    /// kind of write.
    async fn refuse_row_writes(pool: &Pool) {
        for write in ["INSERT", "UPDATE", "DELETE"] {
            sqlx::raw_sql(&format!(
                "CREATE TRIGGER refuse_{write} BEFORE {write} ON accounts_accounts \
                 BEGIN SELECT RAISE(ABORT, 'refused'); END"
            ))
            .execute(pool)
            .await
            .unwrap();
        }
    }

    /// The triggers of [`refuse_row_writes`] dropped.
    async fn allow_row_writes(pool: &Pool) {
        for write in ["INSERT", "UPDATE", "DELETE"] {
            sqlx::raw_sql(&format!("DROP TRIGGER refuse_{write}"))
                .execute(pool)
                .await
                .unwrap();
        }
    }

    store_tests!();

    /// A database error says what it is, as the PostgreSQL test of that
    /// name checks: a table that is not there is not a connection error,
    /// retrying will not help, and it is reported as what it is, with
    /// nothing stored. SQLite bounds no statement's time, so that test's
    /// slow statement has no twin here; a write lock held past the busy
    /// timeout is `a_locked_table_is_an_error_after_the_lock_timeout_not_a_wait`.
    #[tokio::test]
    async fn a_database_error_says_what_it_is() {
        let (path, _kept) = database().await;
        let pool = pool_on(&path).await;
        migrate(&pool).await.unwrap();
        let cqrs = accounts_cqrs::<Accounts>(pool.clone(), Vec::new());
        accounts_execute(&cqrs, open("ann")).await.unwrap();
        sqlx::query("ALTER TABLE accounts_accounts RENAME TO gone")
            .execute(&pool)
            .await
            .unwrap();
        let missing = accounts_execute(&cqrs, deposit("ann", 5)).await;
        let Err(AggregateError::UnexpectedError(error)) = missing else {
            panic!("{missing:?}");
        };
        assert!(error.to_string().contains("accounts_accounts"), "{error}");
        let ann: Accounts = accounts_load(&pool, "account/ann").await.unwrap();
        assert_eq!(
            ann.get_account(&AccountId::new("ann")).map(|a| a.balance),
            Some(0)
        );
    }

    /// A reader of the whole store never skips an event that commits late,
    /// as the PostgreSQL test of that name checks: on SQLite a writer whose
    /// transaction is open keeps every other writer waiting until it ends,
    /// so a later event cannot commit below it, and the reader sees
    /// neither meanwhile, then both, in position order.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_reader_of_the_whole_store_never_skips_an_event_that_commits_late() {
        use std::time::Duration;
        use store::read_all;
        let (path, _kept) = database().await;
        let pool = pool_on(&path).await;
        migrate(&pool).await.unwrap();
        let cqrs = Arc::new(accounts_cqrs::<Accounts>(pool.clone(), Vec::new()));
        let command = open("ann");
        cqrs.execute(&accounts_stream(&command), command)
            .await
            .unwrap();
        let first = read_all(&pool, 0, 100).await.unwrap();
        assert_eq!(first.len(), 1);
        let after = first[0].position;
        // A writer takes a position and has not committed; another writer
        // of a later event starts meanwhile.
        let slow = pool_on(&path).await;
        let mut late = slow.begin().await.unwrap();
        sqlx::query(
            "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, payload, metadata) \
             VALUES ('Accounts', 'account/late', 1, 'opened', '1', '{\"opened\": {\"id\": \"late\", \"owner\": \"late\"}}', '{}')",
        )
        .execute(&mut *late)
        .await
        .unwrap();
        let bob = tokio::spawn({
            let cqrs = Arc::clone(&cqrs);
            async move {
                let command = open("bob");
                cqrs.execute(&accounts_stream(&command), command).await
            }
        });
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(!bob.is_finished(), "the later writer waits for the first");
        assert_eq!(read_all(&pool, after, 100).await.unwrap(), []);
        late.commit().await.unwrap();
        bob.await.unwrap().unwrap();
        let next: Vec<String> = read_all(&pool, after, 100)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.stream)
            .collect();
        assert_eq!(next, ["account/late", "account/bob"], "in position order");
    }
}
