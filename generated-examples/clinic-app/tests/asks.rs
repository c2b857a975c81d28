//! A model whose rules ask another model (`specs/practice.ddd`: a visit is
//! booked only by a patient the practice still cares for, which only
//! `Patients` knows), run by cqrs-es: the answers come in as the visits
//! aggregate's `Services`, read from the store by the generated
//! `VisitsStored`, or from a model in memory by a hand-written one. Each
//! test of a store runs once on PostgreSQL and once on SQLite
//! (`postgres::…`, `sqlite::…`).

mod support;

use cqrs_es::mem_store::MemStore;
use cqrs_es::{AggregateError, CqrsFramework};
use practice::generated::runtime::{patients_stream, visits_stream, VisitsServices, VisitsStream};
use practice::generated::{PatientId, Rejection, RejectionKind, VisitId};
use practice::patients::{
    Discharge, Patients, PatientsAggregate, PatientsCommand, PatientsQueries, PatientsState,
    Register,
};
use practice::visits::{Book, Visits, VisitsCommand, VisitsQueries};

fn register(patient: &str) -> PatientsCommand {
    Register {
        patient_id: PatientId::new(patient),
        name: format!("{patient} Lee"),
        phone: None,
    }
    .into()
}

fn discharge(patient: &str) -> PatientsCommand {
    Discharge {
        patient_id: PatientId::new(patient),
    }
    .into()
}

fn book(visit: &str, patient: &str) -> VisitsCommand {
    Book {
        visit_id: VisitId::new(visit),
        patient_id: PatientId::new(patient),
        day: chrono::NaiveDate::from_ymd_opt(2026, 12, 7).expect("a date"),
        reason: String::from("a cough"),
    }
    .into()
}

/// The rejection inside a refused command, or a failure saying what came
/// instead.
fn rejection<T: std::fmt::Debug>(outcome: Result<T, AggregateError<Rejection>>) -> Rejection {
    match outcome {
        Err(AggregateError::UserError(rejection)) => rejection,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

/// The tests of a store, written once: each module that expands them
/// names its runtime module `store`, and gives `database()` (the address
/// of a new, empty store, and what keeps it alive) and `pool_on(address)`.
macro_rules! store_tests {
    () => {
        use store::{
            migrate, patients_cqrs, patients_load, visits_cqrs, visits_load, visits_view,
            PatientsTables, VisitsStored, VisitsTables,
        };

        #[tokio::test]
        async fn a_visit_asks_the_stream_of_its_patient() {
            let (url, _kept) = database().await;
            let pool = pool_on(&url).await;
            migrate(&pool).await.unwrap();
            let patients = patients_cqrs::<Patients>(
                pool.clone(),
                vec![Box::new(PatientsTables::new(pool.clone()))],
            );
            let visits = visits_cqrs::<Visits, VisitsStored<Patients>>(
                pool.clone(),
                vec![Box::new(VisitsTables::new(pool.clone()))],
                VisitsStored::new(pool.clone()),
            );
            let run_patients = |command: PatientsCommand| {
                let patients = &patients;
                async move { patients.execute(&patients_stream(&command), command).await }
            };
            let run_visits = |command: VisitsCommand| {
                let visits = &visits;
                async move { visits.execute(&visits_stream(&command), command).await }
            };

            // Nobody registered: the answer from `Patients` is "no such patient".
            let refused = rejection(run_visits(book("v1", "ann")).await);
            assert_eq!(refused.rule, "book/unless-has-patient-in-patients");
            assert_eq!(refused.kind, RejectionKind::NotFound);
            assert_eq!(refused.message, "there is no patient ann");

            run_patients(register("ann")).await.unwrap();
            run_visits(book("v1", "ann")).await.unwrap();

            // The patient leaves; the very next command reads that from her
            // stream, as of its last stored event.
            run_patients(discharge("ann")).await.unwrap();
            let refused = rejection(run_visits(book("v2", "ann")).await);
            assert_eq!(refused.rule, "book/unless-is-active-in-patients");
            assert_eq!(
                refused.message,
                "patient ann is no longer with the practice"
            );

            // Only the accepted visit is stored, in its own stream, and in the
            // table the visits' queries read.
            let stored: Vec<(String, String)> =
                sqlx::query_as("SELECT aggregate_id, event_type FROM events ORDER BY aggregate_id, sequence")
                    .fetch_all(&pool)
                    .await
                    .unwrap();
            let stored: Vec<(&str, &str)> = stored
                .iter()
                .map(|(id, event)| (id.as_str(), event.as_str()))
                .collect();
            assert_eq!(
                stored,
                [
                    ("patient/ann", "registered"),
                    ("patient/ann", "discharged"),
                    ("visit/v1", "booked"),
                ]
            );
            let view = visits_view(&pool).await.unwrap();
            let booked: Vec<VisitId> = view
                .visits_of(&PatientId::new("ann"))
                .into_iter()
                .map(|v| v.visit_id)
                .collect();
            assert_eq!(booked, [VisitId::new("v1")]);
            let loaded: Visits = visits_load(&pool, "visit/v1").await.unwrap();
            assert!(loaded.has_visit(&VisitId::new("v1")));
        }

        #[tokio::test]
        async fn a_patient_who_cannot_be_read_refuses_the_command() {
            let (url, _kept) = database().await;
            let pool = pool_on(&url).await;
            migrate(&pool).await.unwrap();
            // The services read from a pool that is closed: the command is
            // refused, by a rule that says so, and nothing is stored.
            let closed = pool_on(&url).await;
            closed.close().await;
            let visits = visits_cqrs::<Visits, VisitsStored<Patients>>(
                pool.clone(),
                Vec::new(),
                VisitsStored::new(closed),
            );
            let command = book("v1", "ann");
            let refused = rejection(visits.execute(&visits_stream(&command), command).await);
            assert_eq!(refused.rule, "book/asks");
            assert_eq!(refused.kind, RejectionKind::Unavailable, "worth retrying");
            assert_eq!(refused.model, "Visits");
            assert!(
                refused
                    .message
                    .starts_with("what `book` asks of other models could not be read"),
                "{}",
                refused.message
            );
            let (count,): (i64,) = sqlx::query_as("SELECT count(*) FROM events")
                .fetch_one(&pool)
                .await
                .unwrap();
            assert_eq!(count, 0);
        }

        #[tokio::test]
        async fn a_patient_stored_before_phones_were_recorded_still_loads_and_books() {
            let (url, _kept) = database().await;
            let pool = pool_on(&url).await;
            migrate(&pool).await.unwrap();
            // A row as the crate wrote it when `registered` was at version 1,
            // before `specs/practice.ddd` gave it a phone (`registered@2`).
            sqlx::query(
                "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, payload, metadata) \
                 VALUES ('Patients', 'patient/ann', 1, 'registered', '1', $1, '{}')",
            )
            .bind(sqlx::types::Json(serde_json::json!({
                "registered": { "patient_id": "ann", "name": "Ann Lee" }
            })))
            .execute(&pool)
            .await
            .unwrap();

            let ann: Patients = patients_load(&pool, "patient/ann").await.unwrap();
            assert!(ann.is_active(&PatientId::new("ann")));
            let state: &PatientsState = ann.as_ref();
            let patient = state
                .patients
                .get(&PatientId::new("ann"))
                .expect("read from version 1");
            assert_eq!(patient.phone, None, "a field version 1 lacked is nothing");

            // The old row decides like a new one, and new rows are version 2.
            let patients = patients_cqrs::<Patients>(pool.clone(), Vec::new());
            patients
                .execute("patient/ann", discharge("ann"))
                .await
                .unwrap();
            let visits = visits_cqrs::<Visits, VisitsStored<Patients>>(
                pool.clone(),
                Vec::new(),
                VisitsStored::new(pool.clone()),
            );
            let command = book("v1", "ann");
            let refused = rejection(visits.execute(&visits_stream(&command), command).await);
            assert_eq!(refused.rule, "book/unless-is-active-in-patients");
            patients
                .execute("patient/bob", register("bob"))
                .await
                .unwrap();
            let versions: Vec<(String, String)> = sqlx::query_as(
                "SELECT event_type, event_version FROM events WHERE aggregate_id = 'patient/bob'",
            )
            .fetch_all(&pool)
            .await
            .unwrap();
            assert_eq!(versions, [("registered".to_string(), "2".to_string())]);
        }
    };
}

/// The tests on PostgreSQL.
mod postgres {
    use super::*;
    use practice::generated::runtime::postgres as store;

    /// A new, empty database of the cluster: its URL (nothing to keep).
    async fn database() -> (String, ()) {
        (support::database().await, ())
    }

    /// A pool on the database at `url`.
    async fn pool_on(url: &str) -> store::Pool {
        support::pool(url).await
    }

    store_tests!();
}

/// The tests on SQLite: a file per test.
mod sqlite {
    use super::*;
    use practice::generated::runtime::sqlite as store;

    /// A new SQLite file: its path, and the directory that holds it.
    async fn database() -> (String, tempfile::TempDir) {
        support::sqlite_file()
    }

    /// A pool on the file at `path`.
    async fn pool_on(path: &str) -> store::Pool {
        support::sqlite_pool(path).await
    }

    store_tests!();
}

/// The answers from a `Patients` model held in memory.
struct InMemory(Patients);

impl VisitsServices for InMemory {
    type Patients = Patients;

    async fn patients(&self, _command: &VisitsCommand) -> Result<Patients, Rejection> {
        Ok(self.0.clone())
    }
}

#[tokio::test]
async fn services_of_your_own_answer_in_memory() {
    let mut patients = Patients::default();
    patients.execute(register("ann")).unwrap();
    patients.execute(register("bob")).unwrap();
    patients.execute(discharge("bob")).unwrap();
    let cqrs: CqrsFramework<VisitsStream<Visits, InMemory>, _> =
        CqrsFramework::new(MemStore::default(), Vec::new(), InMemory(patients));
    let command = book("v1", "ann");
    cqrs.execute(&visits_stream(&command), command)
        .await
        .unwrap();
    let command = book("v2", "bob");
    let refused = rejection(cqrs.execute(&visits_stream(&command), command).await);
    assert_eq!(refused.rule, "book/unless-is-active-in-patients");
}
