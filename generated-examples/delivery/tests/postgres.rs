//! The delivery company over PostgreSQL and over SQLite: commands
//! through cqrs-es, a parcel's history read back from the stored events,
//! and the third failed delivery returning the parcel, on the clock of the
//! machine that runs it. Each test runs once on each store: in
//! `postgres`, on a new database of the cluster `scripts/test.sh` starts;
//! in `sqlite`, on a new file.

use delivery::couriers::{Couriers, CouriersCommand, Hire};
use delivery::parcels::*;

fn register(parcel: &str) -> ParcelsCommand {
    Register {
        parcel_id: ParcelId::from(parcel),
        weight: 2,
        service: Service::Standard,
        recipient_address: String::from("1 Main St"),
        depot: String::from("north"),
    }
    .into()
}

fn names(events: &[ParcelsEvent]) -> Vec<&'static str> {
    events.iter().map(ParcelsEvent::name).collect()
}

/// The tests, written once: each module that expands them names its
/// runtime module `store`, and gives `database()` (a new, empty store
/// with the crate's schema applied, and what keeps it alive).
macro_rules! store_tests {
    () => {
        use store::{
            couriers_cqrs, couriers_execute, parcels_cqrs, parcels_execute, parcels_load,
            parcels_parcel_history, parcels_view, ParcelsStored,
        };

        #[tokio::test]
        async fn a_parcels_history_is_read_from_its_stored_events() {
            let (pool, _kept) = database().await;
            let couriers = couriers_cqrs::<Couriers>(pool.clone(), Vec::new());
            let parcels = parcels_cqrs::<Parcels, ParcelsStored<Couriers>>(
                pool.clone(),
                Vec::new(),
                ParcelsStored::new(pool.clone()),
            );
            let hire: CouriersCommand = Hire {
                courier_id: CourierId::from("c1"),
                name: String::from("Kim"),
            }
            .into();
            couriers_execute(&couriers, hire).await.expect("hired");
            let p1 = ParcelId::from("p1");
            let steps: Vec<ParcelsCommand> = vec![
                register("p1"),
                register("p2"),
                PickUp {
                    parcel_id: p1.clone(),
                    courier_id: CourierId::from("c1"),
                }
                .into(),
                DropAtDepot {
                    parcel_id: p1.clone(),
                    depot: String::from("south"),
                }
                .into(),
                SendOut {
                    parcel_id: p1.clone(),
                    courier_id: CourierId::from("c1"),
                }
                .into(),
                Deliver {
                    parcel_id: p1.clone(),
                }
                .into(),
            ];
            for step in steps {
                parcels_execute(&parcels, step).await.expect("accepted");
            }

            let history = parcels_parcel_history(&pool, &p1).await.expect("read");
            assert_eq!(
                names(&history),
                [
                    "registered",
                    "picked-up",
                    "dropped-at-depot",
                    "sent-out",
                    "delivered"
                ]
            );
            assert!(history.iter().all(|e| e.about_parcel() == Some(&p1)));
            let other = parcels_parcel_history(&pool, &ParcelId::from("p2"))
                .await
                .expect("read");
            assert_eq!(names(&other), ["registered"]);
            let none = parcels_parcel_history(&pool, &ParcelId::from("p9"))
                .await
                .expect("read");
            assert!(none.is_empty());

            // A refused command stores nothing, so it is in no history.
            let refused = parcels_execute(&parcels, register("p1")).await;
            assert!(refused.is_err());
            let again = parcels_parcel_history(&pool, &p1).await.expect("read");
            assert_eq!(again.len(), 5);
        }

        #[tokio::test]
        async fn the_third_failure_returns_the_parcel_on_todays_date() {
            let (pool, _kept) = database().await;
            let couriers = couriers_cqrs::<Couriers>(pool.clone(), Vec::new());
            let parcels = parcels_cqrs::<Parcels, ParcelsStored<Couriers>>(
                pool.clone(),
                Vec::new(),
                ParcelsStored::new(pool.clone()),
            );
            let hire: CouriersCommand = Hire {
                courier_id: CourierId::from("c1"),
                name: String::from("Kim"),
            }
            .into();
            couriers_execute(&couriers, hire).await.expect("hired");
            let p1 = ParcelId::from("p1");
            let send_out = || -> ParcelsCommand {
                SendOut {
                    parcel_id: ParcelId::from("p1"),
                    courier_id: CourierId::from("c1"),
                }
                .into()
            };
            let fail = || -> ParcelsCommand {
                FailDelivery {
                    parcel_id: ParcelId::from("p1"),
                }
                .into()
            };
            let before = Clock::default().today();
            let mut steps: Vec<ParcelsCommand> = vec![
                register("p1"),
                PickUp {
                    parcel_id: p1.clone(),
                    courier_id: CourierId::from("c1"),
                }
                .into(),
                DropAtDepot {
                    parcel_id: p1.clone(),
                    depot: String::from("north"),
                }
                .into(),
            ];
            for _ in 0..3 {
                steps.push(send_out());
                steps.push(fail());
            }
            for step in steps {
                parcels_execute(&parcels, step).await.expect("accepted");
            }
            let after = Clock::default().today();

            let model: Parcels = parcels_load(&pool, "parcel/p1").await.expect("loaded");
            let state: &ParcelsState = model.as_ref();
            let parcel = state.parcels.get(&p1).expect("held");
            assert_eq!(parcel.status, Status::Returned);
            assert_eq!(parcel.failed_attempts, 3);
            let failed_on = parcel.last_failed_on.expect("a failed day");
            assert!(failed_on == before || failed_on == after);

            // Returned: no fourth attempt goes out.
            let refused = parcels_execute(&parcels, send_out()).await;
            assert!(refused.is_err());

            // The tables say the same: nothing failed today is still failed.
            let view = parcels_view(&pool).await.expect("the tables");
            assert!(view.failed_today().is_empty());
            let history = parcels_parcel_history(&pool, &p1).await.expect("read");
            let failures: Vec<_> = history
                .iter()
                .filter_map(|e| match e {
                    ParcelsEvent::DeliveryFailed(failed) => Some(failed.attempts),
                    _ => None,
                })
                .collect();
            assert_eq!(failures, [1, 2, 3]);
        }
    };
}

/// The tests on PostgreSQL.
mod postgres {
    use super::*;
    use delivery::generated::runtime::postgres as store;
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
            "delivery_{}_{}",
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

    store_tests!();
}

/// The tests on SQLite.
mod sqlite {
    use super::*;
    use delivery::generated::runtime::sqlite as store;
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

    store_tests!();
}
