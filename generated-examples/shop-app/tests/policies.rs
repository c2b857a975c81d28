//! The shop's policies run as subscriptions, on each store (`postgres::…`,
//! `sqlite::…`): an order goes through every policy; a condition stops
//! one; a refused command and a failing or panicking function are parked
//! without stopping the subscription; a runner stopped at each step
//! between sending a command and saving its checkpoint sends it once; a
//! subscription replayed from the start sends nothing twice; two runners
//! never act on one subscription at once, so every event is acted on once
//! and in its stream's order, while eight writers commit out of order; a
//! `from now` subscription starts at the end; a strong policy has acted
//! when `settle` returns.

use shop::generated::orders::{self, OrderId, OrdersCommand, Status};
use shop::generated::payments::{self, PaymentsCommand};
use shop::generated::policies::{Notifications, NotifyError, Policy};
use shop::notifications::Notifier;
use shop::orders::Orders;
use shop::payments::Payments;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn place(id: &str, total: i64) -> OrdersCommand {
    orders::Place {
        order_id: OrderId::new(id),
        customer: format!("customer of {id}"),
        total,
    }
    .into()
}

fn settle(id: &str) -> PaymentsCommand {
    payments::Settle {
        order_id: OrderId::new(id),
    }
    .into()
}

fn decline(id: &str, reason: &str) -> PaymentsCommand {
    payments::Decline {
        order_id: OrderId::new(id),
        reason: reason.to_string(),
    }
    .into()
}

/// A `notify by` function that fails its first `failing` calls (or
/// panics, under `panics`), then sends as the shop's does.
#[derive(Default)]
struct Flaky {
    failing: usize,
    panics: bool,
    calls: AtomicUsize,
    sent: Notifier,
}

impl Notifications for Flaky {
    async fn send_confirmation(
        &self,
        event: &orders::Placed,
        key: &str,
    ) -> Result<(), NotifyError> {
        let call = self.calls.fetch_add(1, Ordering::SeqCst);
        if call < self.failing {
            if self.panics {
                panic!("the mailer fell over");
            }
            return Err("the mailer is down".into());
        }
        self.sent.send_confirmation(event, key).await
    }

    async fn tell_the_customer(
        &self,
        event: &payments::Declined,
        key: &str,
    ) -> Result<(), NotifyError> {
        self.sent.tell_the_customer(event, key).await
    }
}

macro_rules! store_tests {
    ($store:ident) => {
        use shop::generated::policies::$store::Policies;
        use shop::generated::runtime::$store::{
            checkpoint, dead_letters, follow, head, lag, migrate, orders_cqrs, orders_execute,
            orders_view, payments_cqrs, payments_execute, read_all, Act, Failure, Following, Pool,
            Positioned, Subscription,
        };

        /// Waits that keep a test short: tries 1 ms apart.
        fn quick() -> Following {
            Following {
                tries: 3,
                backoff: Duration::from_millis(1),
                max_backoff: Duration::from_millis(4),
                idle: Duration::from_millis(5),
                ..Following::default()
            }
        }

        /// A new database with the shop's tables, and what keeps it.
        async fn shop() -> (Pool, Kept) {
            let (pool, kept) = database().await;
            migrate(&pool).await.unwrap();
            (pool, kept)
        }

        /// How many events of `model` named `event_type` are stored.
        async fn stored(pool: &Pool, model: &str, event_type: &str) -> i64 {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM events WHERE aggregate_type = $1 AND event_type = $2",
            )
            .bind(model)
            .bind(event_type)
            .fetch_one(pool)
            .await
            .unwrap()
        }

        /// The first `n` events of the store, once a reader can see them
        /// (on PostgreSQL, once no older transaction of the cluster, other
        /// tests' included, may still commit below them).
        async fn readable(pool: &Pool, n: usize) -> Vec<Positioned> {
            for _ in 0..2000 {
                let events = read_all(pool, 0, 1000).await.unwrap();
                if events.len() >= n {
                    return events;
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            panic!("{n} events are not readable after 10 s");
        }

        async fn status(pool: &Pool, id: &str) -> Option<Status> {
            use shop::generated::orders::OrdersQueries;
            let view = orders_view(pool).await.unwrap();
            view.get_order(&OrderId::new(id)).map(|o| o.status)
        }

        #[tokio::test]
        async fn an_order_goes_through_every_policy() {
            let (pool, _kept) = shop().await;
            let orders = orders_cqrs::<Orders>(pool.clone(), Vec::new());
            let payments = payments_cqrs::<Payments>(pool.clone(), Vec::new());
            let notifier = Notifier::default();
            let policies = Policies::new(pool.clone(), notifier.clone()).following(quick());
            orders_execute(&orders, place("o1", 1250)).await.unwrap();
            policies.catch_up().await.unwrap();
            // Charged its total, and the customer told, once.
            assert_eq!(stored(&pool, payments::STORED_AS, "charged").await, 1);
            assert_eq!(notifier.outbox().len(), 1);
            assert!(notifier.outbox().values().all(|m| m.contains("1250 cents")));
            payments_execute(&payments, settle("o1")).await.unwrap();
            // Settled: paid, then shipped, then marked shipped.
            policies.catch_up().await.unwrap();
            assert_eq!(status(&pool, "o1").await, Some(Status::Shipped));
            assert!(dead_letters(&pool).await.unwrap().is_empty());
            for policy in Policy::ALL {
                let subscription = Policies::<Notifier>::subscription(policy);
                assert_eq!(lag(&pool, &subscription).await.unwrap(), 0, "{policy:?}");
            }
        }

        /// `when marked-paid then ship in Shipping, strong`: once `settle`
        /// returns after an order is paid, its parcel is on its way, with
        /// no runner at work.
        #[tokio::test]
        async fn a_strong_policy_has_acted_when_settle_returns() {
            let (pool, _kept) = shop().await;
            let orders = orders_cqrs::<Orders>(pool.clone(), Vec::new());
            let policies = Policies::new(pool.clone(), Notifier::default()).following(quick());
            orders_execute(&orders, place("o1", 5)).await.unwrap();
            let paid = orders::MarkPaid {
                order_id: OrderId::new("o1"),
            };
            orders_execute(&orders, paid.into()).await.unwrap();
            policies.settle().await.unwrap();
            let shipping = shop::generated::shipping::STORED_AS;
            assert_eq!(stored(&pool, shipping, "shipped").await, 1);
            // Only the strong policy acted: the order is not charged yet.
            assert_eq!(stored(&pool, payments::STORED_AS, "charged").await, 0);
        }

        #[tokio::test]
        async fn a_declined_charge_cancels_its_order_unless_it_is_retried() {
            let (pool, _kept) = shop().await;
            let orders = orders_cqrs::<Orders>(pool.clone(), Vec::new());
            let payments = payments_cqrs::<Payments>(pool.clone(), Vec::new());
            let notifier = Notifier::default();
            let policies = Policies::new(pool.clone(), notifier.clone()).following(quick());
            orders_execute(&orders, place("o1", 10)).await.unwrap();
            orders_execute(&orders, place("o2", 20)).await.unwrap();
            policies.catch_up().await.unwrap();
            payments_execute(&payments, decline("o1", "retry"))
                .await
                .unwrap();
            payments_execute(&payments, decline("o2", "card expired"))
                .await
                .unwrap();
            policies.catch_up().await.unwrap();
            assert_eq!(status(&pool, "o1").await, Some(Status::Placed));
            assert_eq!(status(&pool, "o2").await, Some(Status::Cancelled));
            // `only if reason is not "retry"` holds for a function too:
            // o2's customer is told, o1's is not.
            let told: Vec<String> = notifier
                .outbox()
                .into_values()
                .filter(|m| m.contains("was declined"))
                .collect();
            assert_eq!(
                told,
                ["Your payment for order o2 was declined: card expired."]
            );
        }

        #[tokio::test]
        async fn a_refused_command_is_parked_and_the_subscription_goes_on() {
            let (pool, _kept) = shop().await;
            let orders = orders_cqrs::<Orders>(pool.clone(), Vec::new());
            let payments = payments_cqrs::<Payments>(pool.clone(), Vec::new());
            // o1 is charged before its policy acts: the policy's charge is
            // refused ("already charged").
            payments_execute(
                &payments,
                payments::Charge {
                    order_id: OrderId::new("o1"),
                    amount: 5,
                }
                .into(),
            )
            .await
            .unwrap();
            orders_execute(&orders, place("o1", 5)).await.unwrap();
            orders_execute(&orders, place("o2", 7)).await.unwrap();
            let policies = Policies::new(pool.clone(), Notifier::default()).following(quick());
            policies.catch_up().await.unwrap();
            let parked = dead_letters(&pool).await.unwrap();
            assert_eq!(parked.len(), 1, "{parked:?}");
            assert_eq!(parked[0].subscription, "placed-then-charge");
            assert_eq!(parked[0].model, orders::STORED_AS);
            assert_eq!(parked[0].event_type, "placed");
            assert_eq!(parked[0].tries, 1, "a refusal is not tried again");
            assert!(
                parked[0].error.contains("already charged"),
                "{}",
                parked[0].error
            );
            // o2 was charged all the same.
            assert_eq!(stored(&pool, payments::STORED_AS, "charged").await, 2);
        }

        #[tokio::test]
        async fn a_failing_function_is_tried_again_then_parked() {
            let (pool, _kept) = shop().await;
            let orders = orders_cqrs::<Orders>(pool.clone(), Vec::new());
            orders_execute(&orders, place("o1", 5)).await.unwrap();
            // Fails twice, then sends: tried three times, nothing parked.
            let flaky = Flaky {
                failing: 2,
                ..Flaky::default()
            };
            let policies = Policies::new(pool.clone(), flaky).following(quick());
            policies.catch_up().await.unwrap();
            assert!(dead_letters(&pool).await.unwrap().is_empty());
            orders_execute(&orders, place("o2", 5)).await.unwrap();
            // Fails every time (or panics): parked after three tries, and
            // the runner goes on.
            for panics in [false, true] {
                let (pool, _kept) = shop().await;
                let orders = orders_cqrs::<Orders>(pool.clone(), Vec::new());
                orders_execute(&orders, place("o1", 5)).await.unwrap();
                orders_execute(&orders, place("o2", 6)).await.unwrap();
                let down = Flaky {
                    failing: usize::MAX,
                    panics,
                    ..Flaky::default()
                };
                let policies = Policies::new(pool.clone(), down).following(quick());
                policies.catch_up().await.unwrap();
                let parked = dead_letters(&pool).await.unwrap();
                assert_eq!(parked.len(), 2, "{parked:?}");
                assert!(parked
                    .iter()
                    .all(|p| p.subscription == "placed-then-send-confirmation"));
                assert!(parked.iter().all(|p| p.tries == 3));
                let said = if panics {
                    "panicked: the mailer fell over"
                } else {
                    "the mailer is down"
                };
                assert!(parked.iter().all(|p| p.error.contains(said)), "{parked:?}");
                // The charges went through: one policy's failure stops no other.
                assert_eq!(stored(&pool, payments::STORED_AS, "charged").await, 2);
            }
        }

        /// The window between a command stored and the checkpoint saved:
        /// a runner stopped before acting, after acting, or after saving
        /// is followed by another that goes on from the checkpoint.
        #[tokio::test]
        async fn a_runner_stopped_at_any_step_sends_the_command_once() {
            for step in ["before acting", "after acting", "after saving"] {
                let (pool, _kept) = shop().await;
                let orders = orders_cqrs::<Orders>(pool.clone(), Vec::new());
                orders_execute(&orders, place("o1", 5)).await.unwrap();
                let first = Policies::new(pool.clone(), Notifier::default()).following(quick());
                let event = readable(&pool, 1).await.remove(0);
                match step {
                    "before acting" => {}
                    // The command is stored, and the runner stops before
                    // its checkpoint moves.
                    "after acting" => first.act(Policy::PlacedThenCharge, &event).await.unwrap(),
                    _ => {
                        first.step(Policy::PlacedThenCharge).await.unwrap();
                    }
                }
                drop(first);
                // The next runner takes over once the lease has run out.
                let next = Policies::new(pool.clone(), Notifier::default()).following(Following {
                    lease: Duration::from_millis(1),
                    ..quick()
                });
                tokio::time::sleep(Duration::from_millis(5)).await;
                next.catch_up().await.unwrap();
                assert_eq!(
                    stored(&pool, payments::STORED_AS, "charged").await,
                    1,
                    "{step}"
                );
                assert!(dead_letters(&pool).await.unwrap().is_empty(), "{step}");
            }
        }

        #[tokio::test]
        async fn a_subscription_replayed_from_the_start_sends_nothing_twice() {
            let (pool, _kept) = shop().await;
            let orders = orders_cqrs::<Orders>(pool.clone(), Vec::new());
            for n in 0..5 {
                orders_execute(&orders, place(&format!("o{n}"), 5))
                    .await
                    .unwrap();
            }
            let notifier = Notifier::default();
            let policies = Policies::new(pool.clone(), notifier.clone()).following(quick());
            // Three policies follow the 5 orders placed, three the 5 charges.
            assert_eq!(policies.catch_up().await.unwrap(), 30);
            sqlx::query("DELETE FROM esgen_subscriptions")
                .execute(&pool)
                .await
                .unwrap();
            // Every event is read again…
            assert_eq!(policies.catch_up().await.unwrap(), 30);
            // …and no command stored twice, no message sent twice.
            assert_eq!(stored(&pool, payments::STORED_AS, "charged").await, 5);
            assert_eq!(notifier.outbox().len(), 5);
        }

        #[tokio::test]
        async fn a_subscription_from_now_starts_after_the_events_stored_before_it() {
            let (pool, _kept) = shop().await;
            let orders = orders_cqrs::<Orders>(pool.clone(), Vec::new());
            orders_execute(&orders, place("o1", 5)).await.unwrap();
            readable(&pool, 1).await;
            let now = Subscription {
                name: "from-now",
                model: orders::STORED_AS,
                from_now: true,
            };
            let at = checkpoint(&pool, &now).await.unwrap();
            assert_eq!(at, head(&pool).await.unwrap());
            orders_execute(&orders, place("o2", 5)).await.unwrap();
            readable(&pool, 2).await;
            let seen = Recorder::default();
            follow(&pool, (), &now, &quick(), "me", &seen)
                .await
                .unwrap();
            let seen = seen.0.lock().unwrap().clone();
            assert!(seen.contains_key("order/o2"), "{seen:?}");
            assert_eq!(seen.len(), 1, "{seen:?}");
            // And where it stands now is kept.
            assert!(checkpoint(&pool, &now).await.unwrap() > at);
        }

        /// Records the events it is handed, per stream, in order.
        #[derive(Default)]
        struct Recorder(Mutex<BTreeMap<String, Vec<i64>>>);

        impl Act for Recorder {
            type Policy = ();

            async fn act(&self, _: (), event: &Positioned) -> Result<(), Failure> {
                self.0
                    .lock()
                    .unwrap()
                    .entry(event.stream.clone())
                    .or_default()
                    .push(event.sequence);
                Ok(())
            }
        }

        /// Eight writers place and pay 30 orders each, their events
        /// committing out of the order of their positions, while two
        /// runners follow one subscription: each event is acted on once,
        /// each stream's in order, and none is skipped.
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn two_runners_and_eight_writers_act_on_each_event_once_in_order() {
            let (pool, _kept) = shop().await;
            let orders = Arc::new(orders_cqrs::<Orders>(pool.clone(), Vec::new()));
            let subscription = Subscription {
                name: "every-order-event",
                model: orders::STORED_AS,
                from_now: false,
            };
            let seen = Arc::new(Recorder::default());
            let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
            // A lease no stall of this test outlasts: while it holds, the
            // other runner reads nothing.
            let following = Following {
                batch: 7,
                lease: Duration::from_secs(60),
                ..quick()
            };
            let runners: Vec<_> = ["a", "b"]
                .into_iter()
                .map(|owner| {
                    let (pool, seen, done) = (pool.clone(), seen.clone(), done.clone());
                    tokio::spawn(async move {
                        loop {
                            let finished = done.load(Ordering::SeqCst);
                            let read = follow(&pool, (), &subscription, &following, owner, &*seen)
                                .await
                                .unwrap();
                            let caught_up = lag(&pool, &subscription).await.unwrap() == 0;
                            if read == 0 {
                                if finished && caught_up {
                                    return;
                                }
                                tokio::time::sleep(Duration::from_millis(2)).await;
                            }
                        }
                    })
                })
                .collect();
            let writers: Vec<_> = (0..8)
                .map(|w| {
                    let orders = orders.clone();
                    tokio::spawn(async move {
                        for n in 0..30 {
                            let id = format!("w{w}-{n}");
                            orders_execute(&orders, place(&id, 5)).await.unwrap();
                            let paid = orders::MarkPaid {
                                order_id: OrderId::new(&id),
                            };
                            orders_execute(&orders, paid.into()).await.unwrap();
                        }
                    })
                })
                .collect();
            for writer in writers {
                writer.await.unwrap();
            }
            // The runners finish once every event is readable and read.
            done.store(true, Ordering::SeqCst);
            for runner in runners {
                runner.await.unwrap();
            }
            let seen = seen.0.lock().unwrap().clone();
            assert_eq!(seen.len(), 240);
            for (stream, sequences) in &seen {
                assert_eq!(sequences, &vec![1, 2], "{stream}");
            }
        }
    };
}

/// A database of the cluster `scripts/test.sh` starts.
mod postgres {
    use super::*;

    type Kept = ();

    async fn database() -> (Pool, Kept) {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let url = std::env::var("ESGEN_TEST_DATABASE_URL").unwrap_or_else(|_| {
            panic!(
                "these tests store events in PostgreSQL and ESGEN_TEST_DATABASE_URL is not set: \
                 run them with `bash scripts/test.sh`, which installs PostgreSQL when it is \
                 missing and starts a throwaway cluster"
            )
        });
        let admin = shop::generated::runtime::postgres::connect(&url, 1)
            .await
            .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {url}: {e}"));
        let name = format!(
            "shop_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&admin)
            .await
            .expect("a test database");
        admin.close().await;
        let (server, _) = url.rsplit_once('/').expect("a URL ending in /<database>");
        let pool = shop::generated::runtime::postgres::connect(&format!("{server}/{name}"), 8)
            .await
            .expect("a connection");
        (pool, ())
    }

    store_tests!(postgres);
}

/// A file of its own.
mod sqlite {
    use super::*;

    type Kept = tempfile::TempDir;

    async fn database() -> (Pool, Kept) {
        let dir = tempfile::tempdir().expect("a directory");
        let path = dir.path().join("shop.db");
        let pool = shop::generated::runtime::sqlite::connect(&path.display().to_string(), 8)
            .await
            .expect("an SQLite file");
        (pool, dir)
    }

    store_tests!(sqlite);
}
