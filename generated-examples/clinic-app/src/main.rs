//! A clinic that runs: commands in, events stored in PostgreSQL, answers
//! out, across restarts.
//!
//! ```text
//! clinic-app <postgres-url>
//! ```
//!
//! Reads one request per line on standard input and answers each with one
//! line of JSON on standard output:
//!
//! - a command, as the generated crate serialises it
//!   (`{"register-doctor": {"doctor_id": "grey", "name": "Dr Grey", "capacity": 2}}`):
//!   `{"event": …}` once it is stored, `{"rejected": …}` when the model
//!   refuses it, `{"error": "…"}` when the store does (a conflict with
//!   another writer, after three tries);
//! - `waiting`: the appointments waiting to be seen, read from the stored
//!   events (`{"waiting": ["a1", …]}`).
//!
//! Every answer comes after the database has the event, so a program
//! killed at any moment has lost nothing it answered.

use async_trait::async_trait;
use clinic::clinic::{Clinic, ClinicCommand, ClinicQueries};
use clinic::generated::runtime::{
    clinic_cqrs, clinic_load, connect, migrate, ClinicStream, PgPool, PostgresCqrs,
};
use cqrs_es::{AggregateError, EventEnvelope, Query};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// The clinic's one stream: the model's rules span every doctor and
/// appointment, so all of them are one aggregate.
const STREAM: &str = "clinic";

/// How often a command is tried when another writer stored first.
const TRIES: usize = 3;

type Stream = ClinicStream<Clinic>;

/// The events the last command stored, as cqrs-es hands them to its
/// queries once they are committed.
#[derive(Default, Clone)]
struct Stored(Arc<Mutex<Vec<Value>>>);

#[async_trait]
impl Query<Stream> for Stored {
    async fn dispatch(&self, _aggregate_id: &str, events: &[EventEnvelope<Stream>]) {
        if let Ok(mut stored) = self.0.lock() {
            stored.extend(events.iter().map(|e| json!(e.payload)));
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args()
        .nth(1)
        .ok_or("usage: clinic-app <postgres-url>")?;
    let pool = connect(&url, 4).await?;
    migrate(&pool).await?;
    let stored = Stored::default();
    let cqrs = clinic_cqrs::<Clinic>(pool.clone(), vec![Box::new(stored.clone())]);
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    let mut out = tokio::io::stdout();
    while let Some(line) = lines.next_line().await? {
        let answer = match line.trim() {
            "" => continue,
            "waiting" => waiting(&pool).await,
            request => match serde_json::from_str::<ClinicCommand>(request) {
                Err(error) => json!({ "error": format!("not a command: {error}") }),
                Ok(command) => execute(&cqrs, &stored, command).await,
            },
        };
        out.write_all(format!("{answer}\n").as_bytes()).await?;
        out.flush().await?;
    }
    Ok(())
}

/// Executes a command, trying again when another writer stored an event
/// on the stream first; answers with the stored event or the rejection.
async fn execute(cqrs: &PostgresCqrs<Stream>, stored: &Stored, command: ClinicCommand) -> Value {
    for _ in 0..TRIES {
        match cqrs.execute(STREAM, command.clone()).await {
            Ok(()) => {
                let events = stored.0.lock().map(|mut s| std::mem::take(&mut *s));
                return match events.as_deref() {
                    Ok([event]) => json!({ "event": event }),
                    _ => json!({ "error": "the stored event was not handed back" }),
                };
            }
            Err(AggregateError::UserError(rejection)) => return json!({ "rejected": rejection }),
            Err(AggregateError::AggregateConflict) => continue,
            Err(error) => return json!({ "error": error.to_string() }),
        }
    }
    json!({ "error": format!("another writer kept storing first ({TRIES} tries)") })
}

/// The appointments waiting to be seen, from the stored events.
async fn waiting(pool: &PgPool) -> Value {
    match clinic_load::<Clinic>(pool, STREAM).await {
        Ok(clinic) => {
            let ids: Vec<String> = clinic
                .waiting_appointments()
                .into_iter()
                .map(|a| a.id.to_string())
                .collect();
            json!({ "waiting": ids })
        }
        Err(error) => json!({ "error": error.to_string() }),
    }
}
