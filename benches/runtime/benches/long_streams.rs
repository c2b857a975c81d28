//! Long streams on PostgreSQL, with and without snapshots, side by side in
//! one run: the clinic of `specs/clinic.ddd`, whose rules keep the whole
//! model in one stream.
//!
//! - **One command on a stream of 100,000 events**: a doctor, an
//!   appointment and 99,997 fee changes, then `change-fee` commands, in
//!   turn through `clinic_cqrs` (each loads the whole stream) and through
//!   `clinic_cqrs_with_snapshots` every 100 events (each loads the latest
//!   snapshot and the events after it). The rounds alternate which goes
//!   first; the median and the slowest latency of each are reported, with
//!   a stream of 2 events for scale.
//! - **Eight writers on one stream** of 10,000 events: each sends 25
//!   `change-fee` commands, trying again after each conflict, through each
//!   framework in turn. Reported: commands per second, conflicts per
//!   command, and how many commands would have failed had each been tried
//!   only three times.
//!
//! `bash benches/postgres.sh` starts a throwaway cluster and runs this
//! after `latency`. `ESGEN_BENCH_ROUNDS` sets the rounds of the first part
//! (default 10). Results and ratios in `docs/performance.md`.

use clinic::clinic::{
    AppointmentId, Booked, ChangeFee, Clinic, ClinicCommand, ClinicEvent, DateTime, Decimal,
    DoctorId, DoctorRegistered, FeeChanged,
};
use clinic::generated::runtime::{
    clinic_cqrs, clinic_cqrs_with_snapshots, connect, migrate, ClinicStream, PgPool, PostgresCqrs,
};
use cqrs_es::AggregateError;
use std::sync::Arc;
use std::time::{Duration, Instant};

type Framework = PostgresCqrs<ClinicStream<Clinic>>;

/// Events in the long stream before the first measured command.
const LONG: i64 = 100_000;
/// Events in the stream the writers share.
const SHARED: i64 = 10_000;
/// How often the snapshotting framework takes a snapshot.
const EVERY: usize = 100;
const WRITERS: usize = 8;
const PER_WRITER: usize = 25;

fn change_fee(cents: i64) -> ClinicCommand {
    ChangeFee {
        id: AppointmentId::new("a1"),
        fee: Decimal::new(cents, 2),
    }
    .into()
}

/// A new database with the clinic's schema and the stream `clinic` of
/// `events` events: a doctor, an appointment, then fee changes.
async fn database(url: &str, n: usize, events: i64) -> PgPool {
    let admin = connect(url, 1)
        .await
        .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {url}: {e}"));
    let name = format!("long_{}_{n}", std::process::id());
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await
        .expect("a database");
    admin.close().await;
    let (server, _) = url.rsplit_once('/').expect("a URL ending in /<database>");
    let pool = connect(&format!("{server}/{name}"), 16)
        .await
        .expect("a connection");
    migrate(&pool).await.expect("the schema applies");
    let first: [ClinicEvent; 2] = [
        DoctorRegistered {
            doctor_id: DoctorId::new("grey"),
            name: "Dr Grey".into(),
            capacity: 40,
        }
        .into(),
        Booked {
            id: AppointmentId::new("a1"),
            doctor_id: DoctorId::new("grey"),
            patient: "Ann".into(),
            slot: DateTime::from_timestamp(1_796_000_000, 0).expect("a time"),
            fee: Decimal::new(8000, 2),
        }
        .into(),
    ];
    let changed: ClinicEvent = FeeChanged {
        id: AppointmentId::new("a1"),
        fee: Decimal::new(9000, 2),
    }
    .into();
    let insert = "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, payload, metadata) \
                  SELECT 'Clinic', 'clinic', g, $1, '1', $2::json, '{}' FROM generate_series($3::bigint, $4::bigint) g";
    for (sequence, event) in (1_i64..).zip(first) {
        sqlx::query(insert)
            .bind(event.name())
            .bind(serde_json::to_string(&event).expect("JSON"))
            .bind(sequence)
            .bind(sequence)
            .execute(&pool)
            .await
            .expect("an event");
    }
    sqlx::query(insert)
        .bind(changed.name())
        .bind(serde_json::to_string(&changed).expect("JSON"))
        .bind(3_i64)
        .bind(events)
        .execute(&pool)
        .await
        .expect("the fee changes");
    sqlx::query("ANALYZE events")
        .execute(&pool)
        .await
        .expect("statistics");
    pool
}

/// How long one command takes.
async fn timed(cqrs: &Framework, cents: i64) -> Duration {
    let sent = Instant::now();
    cqrs.execute("clinic", change_fee(cents))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    sent.elapsed()
}

fn median(mut all: Vec<Duration>) -> Duration {
    all.sort();
    all[all.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

async fn one_command(url: &str, rounds: usize) {
    let pool = database(url, 0, LONG - 1).await;
    let plain = clinic_cqrs::<Clinic>(pool.clone(), Vec::new());
    let snapshots = clinic_cqrs_with_snapshots::<Clinic>(pool.clone(), Vec::new(), EVERY);
    // The first command through the snapshotting framework finds no
    // snapshot, replays the stream, and stores the 100,000th event with
    // the stream's first snapshot.
    let first = timed(&snapshots, 1).await;
    let (mut without, mut with) = (Vec::new(), Vec::new());
    for n in 0..rounds {
        let cents = 100 + i64::try_from(n).unwrap_or_default();
        if n % 2 == 0 {
            without.push(timed(&plain, cents).await);
            with.push(timed(&snapshots, cents).await);
        } else {
            with.push(timed(&snapshots, cents).await);
            without.push(timed(&plain, cents).await);
        }
    }
    let short = database(url, 1, 2).await;
    let mut scale = Vec::new();
    for n in 0..rounds {
        scale.push(
            timed(
                &clinic_cqrs::<Clinic>(short.clone(), Vec::new()),
                100 + n as i64,
            )
            .await,
        );
    }
    let (slowest_without, slowest_with) = (
        without.iter().max().copied().unwrap_or_default(),
        with.iter().max().copied().unwrap_or_default(),
    );
    let (without, with, scale) = (median(without), median(with), median(scale));
    eprintln!("\none command on a stream of {LONG} events, {rounds} rounds each");
    eprintln!("{:<34} {:>10} {:>10}", "", "median ms", "max ms");
    eprintln!(
        "{:<34} {:>10.2} {:>10.2}",
        "without snapshots",
        ms(without),
        ms(slowest_without)
    );
    eprintln!(
        "{:<34} {:>10.2} {:>10.2}",
        format!("with snapshots every {EVERY}"),
        ms(with),
        ms(slowest_with)
    );
    eprintln!(
        "{:<34} {:>10.2}",
        "a stream of 2 events (for scale)",
        ms(scale)
    );
    eprintln!(
        "the first command with snapshots (no snapshot yet): {:.2} ms",
        ms(first)
    );
    eprintln!(
        "without / with snapshots: {:.1}×; with snapshots / a stream of 2 events: {:.2}×",
        ms(without) / ms(with),
        ms(with) / ms(scale)
    );
    pool.close().await;
    short.close().await;
}

/// What eight writers on one stream measured through one framework.
struct Shared {
    wall: Duration,
    conflicts: usize,
    beyond_three: usize,
}

async fn writers(cqrs: Arc<Framework>) -> Shared {
    let start = Instant::now();
    let tasks: Vec<_> = (0..WRITERS)
        .map(|w| {
            let cqrs = Arc::clone(&cqrs);
            tokio::spawn(async move {
                let (mut conflicts, mut beyond_three) = (0, 0);
                for n in 0..PER_WRITER {
                    let cents = i64::try_from(w * 1000 + n).unwrap_or_default();
                    let mut tries = 0;
                    loop {
                        tries += 1;
                        match cqrs.execute("clinic", change_fee(cents)).await {
                            Ok(()) => break,
                            Err(AggregateError::AggregateConflict) => conflicts += 1,
                            Err(e) => panic!("{e}"),
                        }
                    }
                    if tries > 3 {
                        beyond_three += 1;
                    }
                }
                (conflicts, beyond_three)
            })
        })
        .collect();
    let (mut conflicts, mut beyond_three) = (0, 0);
    for task in tasks {
        let (c, b) = task.await.expect("a writer");
        conflicts += c;
        beyond_three += b;
    }
    Shared {
        wall: start.elapsed(),
        conflicts,
        beyond_three,
    }
}

async fn eight_writers(url: &str) {
    let commands = WRITERS * PER_WRITER;
    let mut measured = Vec::new();
    for (n, snapshotting) in [(2, false), (3, true)] {
        let pool = database(url, n, SHARED).await;
        let cqrs = if snapshotting {
            // A first command stores the stream's first snapshot.
            let cqrs = clinic_cqrs_with_snapshots::<Clinic>(pool.clone(), Vec::new(), EVERY);
            for cents in 0..EVERY as i64 {
                timed(&cqrs, cents).await;
            }
            cqrs
        } else {
            clinic_cqrs::<Clinic>(pool.clone(), Vec::new())
        };
        measured.push(writers(Arc::new(cqrs)).await);
        pool.close().await;
    }
    eprintln!(
        "\n{WRITERS} writers on one stream of {SHARED} events, {PER_WRITER} commands each, retried until stored"
    );
    eprintln!(
        "{:<28} {:>10} {:>12} {:>20} {:>24}",
        "", "wall ms", "commands/s", "conflicts/command", "failed within 3 tries"
    );
    for (name, m) in ["without snapshots", "with snapshots"]
        .iter()
        .zip(&measured)
    {
        eprintln!(
            "{:<28} {:>10.0} {:>12.0} {:>20.2} {:>24}",
            name,
            ms(m.wall),
            commands as f64 / m.wall.as_secs_f64(),
            m.conflicts as f64 / commands as f64,
            m.beyond_three
        );
    }
    eprintln!(
        "commands/s with / without snapshots: {:.1}×",
        measured[0].wall.as_secs_f64() / measured[1].wall.as_secs_f64()
    );
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not
    // ask for a measurement.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let Ok(url) = std::env::var("ESGEN_TEST_DATABASE_URL") else {
        eprintln!(
            "long streams: skipped, ESGEN_TEST_DATABASE_URL is not set; `bash benches/postgres.sh` starts a cluster and runs this bench"
        );
        return;
    };
    let rounds = std::env::var("ESGEN_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(10_usize)
        .max(1);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        one_command(&url, rounds).await;
        eight_writers(&url).await;
    });
}
