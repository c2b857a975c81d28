//! The runtime over SQLite (feature `sqlite`, `runtime::sqlite`): the
//! guarantees the PostgreSQL tests check, on a file — a stream per
//! account, a second writer refused as a conflict and no event lost or
//! stored twice, the materialized rows written with the events and
//! healed or rebuilt from them, snapshots, a command stored once per id,
//! the whole store read in order, a row that cannot be read reported and
//! not a panic, and a model that asks another.

use accounts::accounts::*;
use accounts::generated::runtime::accounts_stream;
use accounts::generated::runtime::sqlite::{
    accounts_cqrs, accounts_cqrs_with_snapshots, accounts_heal, accounts_load, accounts_rebuild,
    accounts_view, connect, execute_once, migrate, read_all, Pool,
};
use cqrs_es::AggregateError;
use std::sync::Arc;

/// A new SQLite file with the accounts' schema, and the directory that
/// holds it (removed when dropped).
async fn database() -> (Pool, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a directory");
    let path = dir.path().join("events.db");
    let pool = connect(&format!("sqlite://{}", path.display()), 8)
        .await
        .expect("an SQLite file");
    migrate(&pool).await.expect("the schema applies");
    (pool, dir)
}

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

fn balance(view: &accounts::generated::runtime::sqlite::AccountsView, id: &str) -> Option<i64> {
    view.get_account(&AccountId::new(id)).map(|a| a.balance)
}

#[tokio::test]
async fn each_account_is_a_stream_and_its_row_is_written_with_its_events() {
    let (pool, _dir) = database().await;
    let cqrs = accounts_cqrs::<Accounts>(pool.clone(), Vec::new());
    for command in [open("ann"), open("bob"), deposit("ann", 500)] {
        cqrs.execute(&accounts_stream(&command), command)
            .await
            .unwrap();
    }
    let refused = cqrs.execute("account/ann", open("ann")).await.unwrap_err();
    assert!(matches!(refused, AggregateError::UserError(r) if r.kind == RejectionKind::Conflict));
    // A command on another entity's stream is refused by the rules.
    let refused = cqrs
        .execute("account/bob", deposit("ann", 5))
        .await
        .unwrap_err();
    assert!(matches!(refused, AggregateError::UserError(r) if r.rule.ends_with("/stream")));
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
            ("account/bob", 1, "opened")
        ]
    );
    let view = accounts_view(&pool).await.unwrap();
    assert_eq!(balance(&view, "ann"), Some(500));
    assert_eq!(balance(&view, "bob"), Some(0));
    let ann: Accounts = accounts_load(&pool, "account/ann").await.unwrap();
    assert_eq!(
        ann.get_account(&AccountId::new("ann")).map(|a| a.balance),
        Some(500)
    );
}

#[tokio::test]
async fn writers_on_one_stream_lose_no_event_and_store_none_twice() {
    let (pool, _dir) = database().await;
    let cqrs = Arc::new(accounts_cqrs::<Accounts>(pool.clone(), Vec::new()));
    cqrs.execute("account/ann", open("ann")).await.unwrap();
    let writers: Vec<_> = (0..8)
        .map(|_| {
            let cqrs = cqrs.clone();
            tokio::spawn(async move { cqrs.execute("account/ann", deposit("ann", 10)).await })
        })
        .collect();
    let mut accepted = 0;
    for writer in writers {
        match writer.await.unwrap() {
            Ok(()) => accepted += 1,
            Err(AggregateError::AggregateConflict) => {}
            Err(other) => panic!("{other}"),
        }
    }
    assert!(accepted >= 1);
    let sequences: Vec<i64> = sqlx::query_scalar(
        "SELECT sequence FROM events WHERE aggregate_id = 'account/ann' ORDER BY sequence",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(sequences, (1..=1 + accepted).collect::<Vec<i64>>());
    let view = accounts_view(&pool).await.unwrap();
    assert_eq!(balance(&view, "ann"), Some(10 * accepted));
}

#[tokio::test]
async fn rows_lost_or_of_an_old_shape_are_healed_from_the_events() {
    let (pool, _dir) = database().await;
    let cqrs = accounts_cqrs::<Accounts>(pool.clone(), Vec::new());
    for command in [open("ann"), open("bob"), deposit("bob", 70)] {
        cqrs.execute(&accounts_stream(&command), command)
            .await
            .unwrap();
    }
    accounts_heal::<Accounts>(&pool).await.unwrap();
    sqlx::query("DELETE FROM accounts_accounts WHERE key = 'bob'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(balance(&accounts_view(&pool).await.unwrap(), "bob"), None);
    assert_eq!(accounts_heal::<Accounts>(&pool).await.unwrap(), 1);
    assert_eq!(
        balance(&accounts_view(&pool).await.unwrap(), "bob"),
        Some(70)
    );
    // A table whose rows have another shape is rebuilt whole.
    sqlx::query("UPDATE esgen_tables SET shape = 'older'")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE accounts_accounts SET payload = '{}'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(accounts_heal::<Accounts>(&pool).await.unwrap(), 2);
    let keys: Vec<String> =
        sqlx::query_scalar("SELECT key FROM accounts_accounts ORDER BY position")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(keys, ["ann", "bob"]);
    assert_eq!(accounts_rebuild::<Accounts>(&pool).await.unwrap(), 2);
    assert_eq!(
        balance(&accounts_view(&pool).await.unwrap(), "bob"),
        Some(70)
    );
}

#[tokio::test]
async fn a_snapshot_is_taken_with_its_event_and_loads_as_the_events_do() {
    let (pool, _dir) = database().await;
    let cqrs = accounts_cqrs_with_snapshots::<Accounts>(pool.clone(), Vec::new(), 2);
    cqrs.execute("account/ann", open("ann")).await.unwrap();
    for _ in 0..4 {
        cqrs.execute("account/ann", deposit("ann", 5))
            .await
            .unwrap();
    }
    let snapshots: Vec<i64> = sqlx::query_scalar(
        "SELECT last_sequence FROM snapshots WHERE aggregate_id = 'account/ann'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(snapshots.len(), 1, "one snapshot kept per stream");
    let ann: Accounts = accounts_load(&pool, "account/ann").await.unwrap();
    assert_eq!(
        ann.get_account(&AccountId::new("ann")).map(|a| a.balance),
        Some(20)
    );
}

#[tokio::test]
async fn a_command_with_an_id_is_stored_once() {
    let (pool, _dir) = database().await;
    let cqrs = accounts_cqrs::<Accounts>(pool.clone(), Vec::new());
    cqrs.execute("account/ann", open("ann")).await.unwrap();
    for _ in 0..3 {
        execute_once(
            &cqrs,
            &pool,
            "account/ann",
            "request-1",
            deposit("ann", 100),
        )
        .await
        .unwrap();
    }
    let view = accounts_view(&pool).await.unwrap();
    assert_eq!(balance(&view, "ann"), Some(100));
}

#[tokio::test]
async fn the_store_is_read_in_order_and_a_bad_row_is_an_error() {
    let (pool, _dir) = database().await;
    let cqrs = accounts_cqrs::<Accounts>(pool.clone(), Vec::new());
    for command in [
        open("ann"),
        open("bob"),
        deposit("ann", 1),
        deposit("bob", 2),
    ] {
        cqrs.execute(&accounts_stream(&command), command)
            .await
            .unwrap();
    }
    let all = read_all(&pool, 0, 100).await.unwrap();
    let streams: Vec<(&str, i64)> = all
        .iter()
        .map(|e| (e.stream.as_str(), e.sequence))
        .collect();
    assert_eq!(
        streams,
        [
            ("account/ann", 1),
            ("account/bob", 1),
            ("account/ann", 2),
            ("account/bob", 2)
        ]
    );
    assert!(all.windows(2).all(|w| w[0].position < w[1].position));
    let after = read_all(&pool, all[1].position, 100).await.unwrap();
    assert_eq!(after.len(), 2);
    // A row that is no event of the model: loading its stream says which
    // row and why, and nothing panics.
    sqlx::query(
        "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, payload, metadata) \
         VALUES ('Accounts', 'account/ann', 3, 'deposited', '1', '{\"deposited\": {\"id\": 7}}', '{}')",
    )
    .execute(&pool)
    .await
    .unwrap();
    let error = accounts_load::<Accounts>(&pool, "account/ann")
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("account/ann") && error.contains('3'),
        "{error}"
    );
    let refused = cqrs
        .execute("account/ann", deposit("ann", 1))
        .await
        .unwrap_err();
    assert!(
        matches!(refused, AggregateError::DeserializationError(_)),
        "{refused:?}"
    );
}

#[tokio::test]
async fn a_visit_asks_its_patient_in_the_same_file() {
    use practice::generated::runtime::sqlite::{
        connect, migrate, patients_cqrs, visits_cqrs, VisitsStored,
    };
    use practice::generated::{PatientId, VisitId};
    use practice::patients::{Discharge, Patients, PatientsCommand, Register};
    use practice::visits::{Book, Visits, VisitsCommand};
    let dir = tempfile::tempdir().unwrap();
    let pool = connect(dir.path().join("practice.db").to_str().unwrap(), 8)
        .await
        .unwrap();
    migrate(&pool).await.unwrap();
    let patients = patients_cqrs::<Patients>(pool.clone(), Vec::new());
    let visits = visits_cqrs::<Visits, VisitsStored<Patients>>(
        pool.clone(),
        Vec::new(),
        VisitsStored::new(pool.clone()),
    );
    let register: PatientsCommand = Register {
        patient_id: PatientId::new("ann"),
        name: "Ann Lee".to_string(),
        phone: None,
    }
    .into();
    patients.execute("patient/ann", register).await.unwrap();
    let book = |visit: &str| -> VisitsCommand {
        Book {
            visit_id: VisitId::new(visit),
            patient_id: PatientId::new("ann"),
            day: chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
            reason: "a cough".to_string(),
        }
        .into()
    };
    visits.execute("visit/v1", book("v1")).await.unwrap();
    let discharge: PatientsCommand = Discharge {
        patient_id: PatientId::new("ann"),
    }
    .into();
    patients.execute("patient/ann", discharge).await.unwrap();
    let refused = visits.execute("visit/v2", book("v2")).await.unwrap_err();
    assert!(
        matches!(refused, AggregateError::UserError(_)),
        "{refused:?}"
    );
}
