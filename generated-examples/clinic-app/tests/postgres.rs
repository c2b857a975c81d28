//! The generated clinic on a real PostgreSQL: nothing lost across a kill
//! and a restart of the app, conflicts between writers reported and
//! retried, and a stream of 10,000 events replayed.

mod support;

use chrono::{DateTime, Utc};
use clinic::clinic::*;
use clinic::generated::runtime::{clinic_cqrs, clinic_load, ClinicStream};
use cqrs_es::persist::PersistedEventStore;
use cqrs_es::{AggregateError, EventStore};
use postgres_es::PostgresEventRepository;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

type Stream = ClinicStream<Clinic>;

/// The app, started on a database, with a request at a time.
struct App {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
}

impl App {
    fn start(url: &str) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_clinic-app"))
            .arg(url)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the app starts");
        let input = child.stdin.take().unwrap();
        let output = BufReader::new(child.stdout.take().unwrap());
        App {
            child,
            input,
            output,
        }
    }

    /// Sends one request and reads its answer.
    fn ask(&mut self, request: &str) -> serde_json::Value {
        writeln!(self.input, "{request}").unwrap();
        self.input.flush().unwrap();
        let mut line = String::new();
        self.output.read_line(&mut line).unwrap();
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"))
    }

    /// Kills the app at once (SIGKILL), as a crash would.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

const GREY: &str =
    r#"{"register-doctor": {"doctor_id": "grey", "name": "Dr Grey", "capacity": 2}}"#;

fn book(id: &str, patient: &str) -> String {
    format!(
        r#"{{"book": {{"id": "{id}", "doctor_id": "grey", "patient": "{patient}", "slot": "2026-12-01T09:00:00Z", "fee": "80.00"}}}}"#
    )
}

#[tokio::test]
async fn the_app_loses_nothing_across_a_kill_and_a_restart() {
    let url = support::database().await;
    let mut app = App::start(&url);
    assert!(app.ask(GREY)["event"]["doctor-registered"].is_object());
    assert!(app.ask(&book("a1", "Ann"))["event"]["booked"].is_object());
    assert_eq!(app.ask("waiting")["waiting"], serde_json::json!(["a1"]));
    // Killed while it waits for the next request.
    app.kill();

    let mut app = App::start(&url);
    assert_eq!(app.ask("waiting")["waiting"], serde_json::json!(["a1"]));
    let again = app.ask(GREY);
    assert_eq!(again["rejected"]["rule"], "register-doctor/if-has-doctor");
    assert_eq!(again["rejected"]["kind"], "conflict");
    assert!(app.ask(&book("a2", "Bob"))["event"]["booked"].is_object());
    // Dr Grey sees two patients: a third booking is refused by the rules,
    // which read the events the first run stored.
    let full = app.ask(&book("a3", "Cy"));
    assert_eq!(full["rejected"]["message"], "doctor grey is fully booked");
    assert_eq!(
        app.ask("waiting")["waiting"],
        serde_json::json!(["a1", "a2"])
    );
    app.kill();

    let pool = support::pool(&url).await;
    let stored: Vec<(i64, String)> =
        sqlx::query_as("SELECT sequence, event_type FROM events ORDER BY sequence")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        stored,
        [
            (1, "doctor-registered".to_string()),
            (2, "booked".to_string()),
            (3, "booked".to_string())
        ]
    );
}

fn slot() -> DateTime<Utc> {
    "2026-12-01T09:00:00Z".parse().unwrap()
}

fn booked(id: &str) -> ClinicEvent {
    Booked {
        id: AppointmentId::new(id),
        doctor_id: DoctorId::new("grey"),
        patient: "Ann".into(),
        slot: slot(),
        fee: Decimal::new(8000, 2),
    }
    .into()
}

fn registered(capacity: i64) -> ClinicEvent {
    DoctorRegistered {
        doctor_id: DoctorId::new("grey"),
        name: "Dr Grey".into(),
        capacity,
    }
    .into()
}

#[tokio::test]
async fn two_writers_on_one_stream_one_wins_and_the_other_retries() {
    let url = support::database().await;
    let store = |pool| {
        PersistedEventStore::<_, Stream>::new_event_store(PostgresEventRepository::new(pool))
    };
    let first = store(support::pool(&url).await);
    let second = store(support::pool(&url).await);
    first
        .commit(
            vec![registered(40)],
            first.load_aggregate("clinic").await.unwrap(),
            HashMap::new(),
        )
        .await
        .unwrap();

    // Both load the stream as it is, then both write.
    let seen_by_first = first.load_aggregate("clinic").await.unwrap();
    let seen_by_second = second.load_aggregate("clinic").await.unwrap();
    first
        .commit(vec![booked("a1")], seen_by_first, HashMap::new())
        .await
        .unwrap();
    let lost = second
        .commit(vec![booked("a2")], seen_by_second, HashMap::new())
        .await;
    assert!(
        matches!(lost, Err(AggregateError::AggregateConflict)),
        "the second writer is told it conflicts: {lost:?}"
    );
    // It tries again on the stream as it now is, and succeeds.
    let fresh = second.load_aggregate("clinic").await.unwrap();
    second
        .commit(vec![booked("a2")], fresh, HashMap::new())
        .await
        .unwrap();
    let clinic: Clinic = clinic_load(&support::pool(&url).await, "clinic")
        .await
        .unwrap();
    let ids: Vec<String> = clinic
        .all_appointments()
        .into_iter()
        .map(|a| a.id.to_string())
        .collect();
    assert_eq!(ids, ["a1", "a2"], "nothing lost, nothing twice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_frameworks_lose_nothing_when_they_retry_conflicts() {
    let url = support::database().await;
    let writers: Vec<_> = [support::pool(&url).await, support::pool(&url).await]
        .into_iter()
        .map(|pool| std::sync::Arc::new(clinic_cqrs::<Clinic>(pool, Vec::new())))
        .collect();
    let grey = RegisterDoctor {
        doctor_id: DoctorId::new("grey"),
        name: "Dr Grey".into(),
        capacity: 40,
    };
    writers[0].execute("clinic", grey.into()).await.unwrap();
    let mut tasks = Vec::new();
    for n in 0..20 {
        let writer = writers[n % 2].clone();
        tasks.push(tokio::spawn(async move {
            let command: ClinicCommand = Book {
                id: AppointmentId::new(format!("a{n}")),
                doctor_id: DoctorId::new("grey"),
                patient: format!("patient {n}"),
                slot: slot(),
                fee: Decimal::new(8000, 2),
            }
            .into();
            let mut conflicts = 0;
            loop {
                match writer.execute("clinic", command.clone()).await {
                    Ok(()) => return conflicts,
                    Err(AggregateError::AggregateConflict) => conflicts += 1,
                    Err(other) => panic!("{other}"),
                }
            }
        }));
    }
    let mut conflicts = 0;
    for task in tasks {
        conflicts += task.await.unwrap();
    }
    let clinic: Clinic = clinic_load(&support::pool(&url).await, "clinic")
        .await
        .unwrap();
    assert_eq!(
        clinic.all_appointments().len(),
        20,
        "after {conflicts} conflicts"
    );
    let doctor = clinic.get_doctor(&DoctorId::new("grey")).unwrap();
    assert_eq!(doctor.booked_count, 20);
}

#[tokio::test]
async fn a_stream_of_ten_thousand_events_replays() {
    let url = support::database().await;
    let pool = support::pool(&url).await;
    let store = PersistedEventStore::<_, Stream>::new_event_store(PostgresEventRepository::new(
        pool.clone(),
    ));
    let mut events = vec![registered(i64::MAX)];
    events.extend((1..10_000).map(|n| booked(&format!("a{n}"))));
    store
        .commit(
            events,
            store.load_aggregate("clinic").await.unwrap(),
            HashMap::new(),
        )
        .await
        .unwrap();
    let clinic: Clinic = clinic_load(&pool, "clinic").await.unwrap();
    assert_eq!(clinic.all_appointments().len(), 9_999);
    assert_eq!(
        clinic
            .get_doctor(&DoctorId::new("grey"))
            .unwrap()
            .booked_count,
        9_999
    );
}
