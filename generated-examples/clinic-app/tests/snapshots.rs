//! Snapshots (`<model>_cqrs_with_snapshots`): a command loads a stream's
//! latest snapshot and the events after it, and the model it decides on is
//! exactly the one its whole history gives. Deposits show any event applied
//! twice (cqrs-es 0.5.0's snapshot store applies the events it commits to
//! the aggregate it loaded, which must therefore not have applied them).

mod support;

use accounts::accounts::*;
use accounts::generated::runtime::{
    accounts_cqrs, accounts_cqrs_with_snapshots, accounts_execute, accounts_load, migrate, PgPool,
};
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

/// Ann's account replayed from every stored event, in memory, with no
/// snapshot involved: the truth a snapshot must agree with.
async fn replayed(pool: &PgPool) -> Accounts {
    let repository = accounts::generated::runtime::EventRepository::new(pool.clone());
    let events = repository
        .get_events::<accounts::generated::runtime::AccountsStream<Accounts>>("account/ann")
        .await
        .unwrap();
    let mut model = Accounts::default();
    for event in events {
        let event: AccountsEvent = serde_json::from_value(event.payload).unwrap();
        model.accept(&event);
    }
    model
}

fn balance(model: &Accounts) -> Option<i64> {
    model
        .get_account(&AccountId::new("ann"))
        .map(|account| account.balance)
}

/// The snapshots stored for ann: (last sequence, snapshot number).
async fn snapshots(pool: &PgPool) -> Vec<(i64, i64)> {
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
    let url = support::database().await;
    let pool = support::pool(&url).await;
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
    let row: (i64,) = sqlx::query_as("SELECT sequence FROM accounts_accounts WHERE key = 'ann'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(row.0, 12);
}

#[tokio::test]
async fn a_snapshot_that_cannot_be_read_is_passed_over() {
    let url = support::database().await;
    let pool = support::pool(&url).await;
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
        sqlx::query("UPDATE snapshots SET payload = $1::json WHERE aggregate_id = 'account/ann'")
            .bind(&payload)
            .execute(&pool)
            .await
            .unwrap();
        // The stream is replayed from its first event instead.
        let loaded: Accounts = accounts_load(&pool, "account/ann").await.unwrap();
        assert_eq!(balance(&loaded), Some(50), "{payload:.40}");
        let store = PersistedEventStore::<_, accounts::generated::runtime::AccountsStream<Accounts>>::new_snapshot_store(
            accounts::generated::runtime::EventRepository::new(pool.clone()),
            2,
        );
        let context = store.load_aggregate("account/ann").await.unwrap();
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
    let url = support::database().await;
    let pool = support::pool(&url).await;
    migrate(&pool).await.unwrap();
    let snapshotting = accounts_cqrs_with_snapshots::<Accounts>(pool.clone(), Vec::new(), 2);
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
