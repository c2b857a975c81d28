//! Faults under the generated PostgreSQL runtime: replies to `COMMIT` cut
//! on the wire, the server stopped and restarted mid-run, a writer
//! process killed mid-load. Writers deposit into accounts
//! (`specs/accounts.ddd`, one stream per account) with `execute_once`, and
//! retry every error that is not a rejection with the same command id, as
//! a client that did not get its answer does. After each fault, once
//! recovered, the store must hold every acknowledged command exactly once
//! (0 lost, 0 duplicated), every materialized row must reflect its
//! stream's last event (0 stale), and no writer may have panicked.
//!
//! Each test prints its figures on stderr, which libtest does not
//! capture, as one line starting with `faults:`. The faults are drawn from
//! a fixed seed; set `ESGEN_FAULT_SEED` to draw others (the line names the
//! seed used).

mod support;

use accounts::accounts::*;
use accounts::generated::runtime::{
    accounts_cqrs, accounts_cqrs_with_snapshots, accounts_heal, accounts_load, accounts_stream,
    accounts_view, connect_with, execute_once, migrate, AccountsStream, EventRepository, PgPool,
    PostgresCqrs, Timeouts,
};
use cqrs_es::persist::PersistedEventStore;
use cqrs_es::{AggregateError, EventStore};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

type Cqrs = PostgresCqrs<AccountsStream<Accounts>>;

/// How often the writers that take snapshots take one, in events.
const SNAPSHOT_EVERY: usize = 3;

/// How long a writer keeps retrying one command before the test fails.
const GIVE_UP: Duration = Duration::from_secs(60);

/// How long one attempt may take before it counts as hung and is
/// abandoned (and retried, with the same id).
const ATTEMPT: Duration = Duration::from_secs(20);

/// The frameworks writer `w` and its account (`ann`, `bob`, …) use: even
/// writers replay their stream, odd ones load it from a snapshot (taken
/// every [`SNAPSHOT_EVERY`] events, in the events' transaction), so that
/// both ways of loading and storing a stream meet the fault.
fn frameworks(pool: &PgPool) -> [Arc<Cqrs>; 2] {
    [
        Arc::new(accounts_cqrs::<Accounts>(pool.clone(), Vec::new())),
        Arc::new(accounts_cqrs_with_snapshots::<Accounts>(
            pool.clone(),
            Vec::new(),
            SNAPSHOT_EVERY,
        )),
    ]
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

/// The seed the faults are drawn from.
fn seed() -> u64 {
    std::env::var("ESGEN_FAULT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_fa17)
}

/// splitmix64: a well-mixed number for each input.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A seeded sequence of numbers.
struct Rng(u64);

impl Rng {
    /// A number in `low..high`.
    fn range(&mut self, low: u64, high: u64) -> u64 {
        self.0 = self.0.wrapping_add(1);
        low + mix(self.0) % (high - low)
    }
}

/// A command a writer was told `Ok` for.
#[derive(Debug, Clone)]
struct Acked {
    id: String,
    account: String,
    amount: i64,
}

/// What the writers saw on the way.
#[derive(Default)]
struct Tally {
    /// Errors by kind (`DatabaseConnectionError`, …).
    errors: Mutex<BTreeMap<&'static str, usize>>,
    /// The first message of each kind, for the failure messages.
    samples: Mutex<BTreeMap<&'static str, String>>,
    /// Attempts abandoned after [`ATTEMPT`].
    hung: AtomicUsize,
    /// Commands that failed, and whose event was then found stored: the
    /// transaction committed but its writer was told otherwise.
    stored_unacknowledged: AtomicUsize,
    /// Set while the fault is on: errors seen then are counted apart.
    fault_on: AtomicBool,
    /// Errors seen while `fault_on` was set.
    during_fault: AtomicUsize,
    /// Commands acknowledged so far.
    acked: AtomicUsize,
}

impl Tally {
    fn error(&self, kind: &'static str, message: String) {
        *self.errors.lock().unwrap().entry(kind).or_default() += 1;
        self.samples.lock().unwrap().entry(kind).or_insert(message);
        if self.fault_on.load(Ordering::SeqCst) {
            self.during_fault.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn total_errors(&self) -> usize {
        self.errors.lock().unwrap().values().sum()
    }

    /// `kind n, kind n` for the figures line.
    fn kinds(&self) -> String {
        let errors = self.errors.lock().unwrap();
        if errors.is_empty() {
            return "none".to_string();
        }
        errors
            .iter()
            .map(|(kind, n)| format!("{kind} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The first message of each kind but connection errors (the fault
    /// itself) and conflicts (writers racing), for the failure messages.
    fn odd_samples(&self) -> String {
        self.samples
            .lock()
            .unwrap()
            .iter()
            .filter(|(kind, _)| !matches!(**kind, "DatabaseConnectionError" | "AggregateConflict"))
            .map(|(kind, message)| format!("{kind}: {message}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Executes `command` with the id `id` until it is acknowledged, retrying
/// every error but a rejection with the same id, as a client does. When
/// `probe` is given (a pool the fault does not touch), a command that
/// fails with an error other than a conflict is looked up there, to count
/// those that were stored all the same (once each).
async fn until_ok(
    cqrs: &Cqrs,
    pool: &PgPool,
    id: &str,
    command: AccountsCommand,
    tally: &Tally,
    probe: Option<&PgPool>,
) -> Result<(), String> {
    let stream = accounts_stream(&command);
    let deadline = Instant::now() + GIVE_UP;
    let mut found = false;
    let mut pause = Duration::from_millis(5);
    loop {
        let attempt = tokio::time::timeout(
            ATTEMPT,
            execute_once(cqrs, pool, &stream, id, command.clone()),
        )
        .await;
        let (kind, message) = match attempt {
            Ok(Ok(())) => {
                tally.acked.fetch_add(1, Ordering::SeqCst);
                return Ok(());
            }
            Ok(Err(AggregateError::UserError(rejection))) => {
                return Err(format!("`{id}` rejected: {rejection:?}"));
            }
            Ok(Err(AggregateError::AggregateConflict)) => {
                ("AggregateConflict", "AggregateConflict".to_string())
            }
            Ok(Err(AggregateError::DatabaseConnectionError(e))) => {
                ("DatabaseConnectionError", e.to_string())
            }
            Ok(Err(AggregateError::UnexpectedError(e))) => ("UnexpectedError", e.to_string()),
            Ok(Err(AggregateError::DeserializationError(e))) => {
                ("DeserializationError", e.to_string())
            }
            Err(_) => {
                tally.hung.fetch_add(1, Ordering::SeqCst);
                ("hung", format!("no answer in {ATTEMPT:?}"))
            }
        };
        tally.error(kind, message.clone());
        if let (Some(probe), false, false) = (probe, found, kind == "AggregateConflict") {
            if stored(probe, id).await {
                found = true;
                tally.stored_unacknowledged.fetch_add(1, Ordering::SeqCst);
            }
        }
        if Instant::now() > deadline {
            return Err(format!(
                "`{id}` still failing after {GIVE_UP:?}: {kind}: {message}"
            ));
        }
        // A conflict is another writer's event: retried at once. Other
        // errors wait for the database, longer each time.
        if kind != "AggregateConflict" {
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_millis(200));
        }
    }
}

/// Whether an event carries the command id `id`.
async fn stored(pool: &PgPool, id: &str) -> bool {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM events WHERE metadata ->> 'command_id' = $1)")
        .bind(id)
        .fetch_one(pool)
        .await
        .expect("the events table reads")
}

/// Opens `accounts`, each with the command id `open-<account>`.
async fn open_all(cqrs: &Cqrs, pool: &PgPool, accounts: &[String]) {
    let tally = Tally::default();
    for account in accounts {
        until_ok(
            cqrs,
            pool,
            &format!("open-{account}"),
            open(account),
            &tally,
            None,
        )
        .await
        .unwrap();
    }
}

/// What the store holds against what the writers were told.
#[derive(Debug, Default, PartialEq)]
struct Figures {
    /// Acknowledged commands with no event.
    lost: usize,
    /// Command ids with more than one event.
    duplicated: usize,
    /// Streams whose row is missing, behind, or not what the stream
    /// holds, or whose snapshot loads other than its events; and rows
    /// with no stream ([`stale`]).
    stale: usize,
    /// Accounts whose balance is not the sum of the deposits acknowledged
    /// on them: `<account> <balance> (<sum>)`.
    balances_off: Vec<String>,
    /// Command ids stored that no writer sent (`None`: an event with
    /// none).
    unknown: Vec<Option<String>>,
}

impl Figures {
    /// What the figures line says beyond lost, duplicated and stale.
    fn balances(&self) -> String {
        let mut said = if self.balances_off.is_empty() {
            "balances exact".to_string()
        } else {
            format!("balances off: {}", self.balances_off.join(", "))
        };
        if !self.unknown.is_empty() {
            said += &format!("; stored, never sent: {:?}", self.unknown);
        }
        said
    }
}

/// Compares the store at `pool` with `acked`, the deposits acknowledged
/// on `accounts` (each opened with the id `open-<account>`): every
/// command is acknowledged in the end, so the store holds exactly these,
/// and each account's balance is the sum of its deposits. And counts
/// stale rows.
async fn verify(pool: &PgPool, acked: &[Acked], accounts: &[String]) -> Figures {
    let ids: Vec<(Option<String>, i64)> = sqlx::query_as(
        "SELECT metadata ->> 'command_id', count(*) FROM events GROUP BY metadata ->> 'command_id'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let ids: HashMap<Option<String>, i64> = ids.into_iter().collect();
    let lost = acked
        .iter()
        .filter(|a| !ids.contains_key(&Some(a.id.clone())))
        .count();
    let duplicated = ids.values().filter(|n| **n > 1).count();
    let known: HashSet<String> = acked
        .iter()
        .map(|a| a.id.clone())
        .chain(accounts.iter().map(|a| format!("open-{a}")))
        .collect();
    let mut unknown: Vec<Option<String>> = ids
        .keys()
        .filter(|id| !id.as_ref().is_some_and(|id| known.contains(id)))
        .cloned()
        .collect();
    unknown.sort();
    // The balances: a deposit stored twice, or lost, shows here even
    // without its id.
    let mut balances_off = Vec::new();
    for account in accounts {
        let expected: i64 = acked
            .iter()
            .filter(|a| &a.account == account)
            .map(|a| a.amount)
            .sum();
        let model: Accounts = accounts_load(pool, &format!("account/{account}"))
            .await
            .unwrap();
        let balance = model
            .get_account(&AccountId::new(account.as_str()))
            .map(|a| a.balance);
        if balance != Some(expected) {
            balances_off.push(format!("{account} {balance:?} ({expected})"));
        }
    }
    let (snapshots,): (i64,) = sqlx::query_as("SELECT count(*) FROM snapshots")
        .fetch_one(pool)
        .await
        .unwrap();
    assert!(snapshots > 0, "the writers that take snapshots took none");
    Figures {
        lost,
        duplicated,
        stale: stale(pool).await,
        balances_off,
        unknown,
    }
}

/// Streams whose materialized row does not reflect their last event, or
/// whose snapshot and the events after it load other than their events
/// replayed; and rows with no stream.
async fn stale(pool: &PgPool) -> usize {
    let rows: Vec<(String, i64)> = sqlx::query_as("SELECT key, sequence FROM accounts_accounts")
        .fetch_all(pool)
        .await
        .unwrap();
    let mut rows: HashMap<String, i64> = rows.into_iter().collect();
    let streams: Vec<(String, i64)> =
        sqlx::query_as("SELECT aggregate_id, max(sequence) FROM events GROUP BY aggregate_id")
            .fetch_all(pool)
            .await
            .unwrap();
    let view = accounts_view(pool).await.unwrap();
    let mut stale = 0;
    for (stream, last) in &streams {
        let key = stream
            .strip_prefix("account/")
            .unwrap_or_else(|| panic!("an account's stream: {stream}"));
        let model: Accounts = accounts_load(pool, stream).await.unwrap();
        let id = AccountId::new(key);
        let behind = rows.remove(key) != Some(*last);
        let differs = view.get_account(&id) != model.get_account(&id);
        let snapshots = PersistedEventStore::<_, AccountsStream<Accounts>>::new_snapshot_store(
            EventRepository::new(pool.clone()),
            SNAPSHOT_EVERY,
        );
        let from_snapshot = snapshots.load_aggregate(stream).await.unwrap().aggregate.0;
        stale += usize::from(behind || differs || from_snapshot != model);
    }
    stale + rows.len()
}

/// Prints the figures line on stderr through `std::io::Write`, which
/// libtest does not capture (it captures `eprintln!`), so that the figures
/// show in every run's log.
#[allow(clippy::explicit_write)]
fn report(line: String) {
    writeln!(std::io::stderr(), "faults: {line}").unwrap();
}

// ---------------------------------------------------------------------
// 1. Lost COMMIT replies.

/// A TCP proxy in front of PostgreSQL that forwards bytes both ways and,
/// for one transaction in `one_in` (drawn from `seed`), after forwarding
/// the client's `COMMIT`, waits for the server's reply and then drops both
/// connections instead of passing it on: the transaction is committed,
/// and its client sees the connection fail.
struct CommitCutter {
    address: std::net::SocketAddr,
    /// `COMMIT`s seen.
    commits: Arc<AtomicU64>,
    /// Replies cut.
    cut: Arc<AtomicUsize>,
    accept: tokio::task::JoinHandle<()>,
}

impl CommitCutter {
    async fn start(upstream: String, seed: u64, one_in: u64) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let commits = Arc::new(AtomicU64::new(0));
        let cut = Arc::new(AtomicUsize::new(0));
        let (c, k) = (commits.clone(), cut.clone());
        let accept = tokio::spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    continue;
                };
                let Ok(server) = TcpStream::connect(&upstream).await else {
                    continue;
                };
                tokio::spawn(relay(client, server, c.clone(), k.clone(), seed, one_in));
            }
        });
        CommitCutter {
            address,
            commits,
            cut,
            accept,
        }
    }
}

impl Drop for CommitCutter {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

async fn relay(
    mut client: TcpStream,
    mut server: TcpStream,
    commits: Arc<AtomicU64>,
    cut: Arc<AtomicUsize>,
    seed: u64,
    one_in: u64,
) {
    let _ = (client.set_nodelay(true), server.set_nodelay(true));
    let (mut from_client, mut to_client) = client.split();
    let (mut from_server, mut to_server) = server.split();
    let (mut up, mut down) = (vec![0_u8; 1 << 16], vec![0_u8; 1 << 16]);
    // Set when the COMMIT just forwarded is to lose its reply.
    let mut armed = false;
    loop {
        tokio::select! {
            read = from_client.read(&mut up) => {
                let n = match read {
                    Ok(0) | Err(_) => return,
                    Ok(n) => n,
                };
                if up[..n].windows(6).any(|w| w == b"COMMIT") {
                    let k = commits.fetch_add(1, Ordering::SeqCst);
                    armed = mix(seed ^ k.wrapping_mul(0x2545_f491_4f6c_dd1d)).is_multiple_of(one_in);
                }
                if to_server.write_all(&up[..n]).await.is_err() {
                    return;
                }
            }
            read = from_server.read(&mut down) => {
                let n = match read {
                    Ok(0) | Err(_) => return,
                    Ok(n) => n,
                };
                if armed {
                    // The server answered the COMMIT: both connections
                    // are dropped with its reply.
                    cut.fetch_add(1, Ordering::SeqCst);
                    return;
                }
                if to_client.write_all(&down[..n]).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// Fault: a proxy between the pool and PostgreSQL cuts both connections
/// after one `COMMIT` in four has reached the server and been answered,
/// so the transaction is committed but its writer gets a connection
/// error. Four writers deposit into two accounts (so they also conflict),
/// those of `bob` through snapshots ([`frameworks`]), and retry every
/// error with the same command id.
///
/// Proves: a commit whose reply is lost is neither lost nor stored twice
/// when retried with its id (the balance is exactly the sum of the
/// deposits acknowledged), the rows written in the events' transaction
/// are not stale (no heal is run), and no writer panics; and that each
/// reply cut was a committed transaction's, found stored by a connection
/// the proxy does not touch.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commit_whose_reply_is_lost_is_stored_once_when_retried() {
    const WRITERS: usize = 4;
    const EACH: usize = 50;
    let seed = seed();
    let url = support::database().await;
    let direct = support::pool(&url).await;
    migrate(&direct).await.unwrap();
    let options: sqlx::postgres::PgConnectOptions = url.parse().unwrap();
    let upstream = format!("{}:{}", options.get_host(), options.get_port());
    let proxy = CommitCutter::start(upstream.clone(), seed, 4).await;
    let proxied = url.replacen(&upstream, &proxy.address.to_string(), 1);
    assert_ne!(proxied, url, "the URL names {upstream}");
    let timeouts = Timeouts {
        acquire: Duration::from_secs(5),
        statement: Duration::from_secs(10),
        lock: Duration::from_secs(5),
    };
    let pool = connect_with(&proxied, 4, timeouts).await.unwrap();
    let cqrs = frameworks(&pool);
    let accounts: Vec<String> = vec!["ann".into(), "bob".into()];
    // The accounts opened past the proxy: every COMMIT it sees is a
    // deposit's.
    open_all(
        &accounts_cqrs::<Accounts>(direct.clone(), Vec::new()),
        &direct,
        &accounts,
    )
    .await;

    let tally = Arc::new(Tally::default());
    let acked = Arc::new(Mutex::new(Vec::new()));
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (cqrs, pool, direct) = (cqrs[w % 2].clone(), pool.clone(), direct.clone());
            let (tally, acked) = (tally.clone(), acked.clone());
            let account = accounts[w % 2].clone();
            tokio::spawn(async move {
                for n in 0..EACH {
                    let id = format!("cut-{w}-{n}");
                    let amount = 1 + (w * EACH + n) as i64 % 9;
                    let command = deposit(&account, amount);
                    until_ok(&cqrs, &pool, &id, command, &tally, Some(&direct)).await?;
                    acked.lock().unwrap().push(Acked {
                        id,
                        account: account.clone(),
                        amount,
                    });
                }
                Ok::<_, String>(())
            })
        })
        .collect();
    let mut panics = 0;
    for writer in writers {
        match writer.await {
            Ok(done) => done.unwrap(),
            Err(e) => {
                assert!(e.is_panic(), "{e}");
                panics += 1;
            }
        }
    }
    let acked = acked.lock().unwrap().clone();
    let figures = verify(&direct, &acked, &accounts).await;
    let cut = proxy.cut.load(Ordering::SeqCst);
    let unacknowledged = tally.stored_unacknowledged.load(Ordering::SeqCst);
    report(format!(
        "lost COMMIT replies: {} commands, {cut} replies cut of {} COMMITs, \
         {unacknowledged} stored though their writer saw an error, {} lost, {} duplicated, \
         {} stale, {panics} panics, {} (errors seen: {}; {} hung; seed {seed})",
        WRITERS * EACH,
        proxy.commits.load(Ordering::SeqCst),
        figures.lost,
        figures.duplicated,
        figures.stale,
        figures.balances(),
        tally.kinds(),
        tally.hung.load(Ordering::SeqCst),
    ));
    assert_eq!(panics, 0);
    assert_eq!(acked.len(), WRITERS * EACH);
    assert_eq!(figures, Figures::default(), "{}", tally.odd_samples());
    assert!(cut > 0, "no reply was cut: the fault never happened");
    assert_eq!(
        unacknowledged, cut,
        "each reply cut was a committed deposit's, whose writer saw an error"
    );
}

// ---------------------------------------------------------------------
// 2. PostgreSQL stopped and restarted.

/// A PostgreSQL cluster of the test's own, in a temporary directory, as
/// `pg_start` of `scripts/postgres.sh` starts one; stopped and deleted
/// when dropped.
struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    /// The command prefix the server's programs run under (`runuser -u
    /// postgres --` as root), empty for the current user.
    run_as: Vec<String>,
    port: u16,
}

impl Cluster {
    /// Starts a cluster with the programs of `ESGEN_TEST_PG_BIN`, run
    /// under `ESGEN_TEST_PG_AS` (what `scripts/postgres.sh` exports);
    /// without them the test fails, saying how to run it, and never
    /// passes silently.
    fn start() -> Self {
        let missing = |name: &str| -> String {
            std::env::var(name).unwrap_or_else(|_| {
                panic!(
                    "this test runs a PostgreSQL cluster of its own and {name} is not set: \
                     run it with `bash scripts/test.sh`, which installs PostgreSQL when it \
                     is missing and exports ESGEN_TEST_PG_BIN and ESGEN_TEST_PG_AS"
                )
            })
        };
        let bin = PathBuf::from(missing("ESGEN_TEST_PG_BIN"));
        let run_as: Vec<String> = missing("ESGEN_TEST_PG_AS")
            .split_whitespace()
            .map(String::from)
            .collect();
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "esgen-faults-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let cluster = Cluster {
            dir,
            bin,
            run_as,
            port,
        };
        // initdb refuses to run as root: the cluster then belongs to
        // `postgres`, as scripts/postgres.sh has it.
        if !cluster.run_as.is_empty() {
            cluster.run(Command::new("chown").arg("postgres").arg(&cluster.dir));
        }
        let data = cluster.dir.join("data");
        let mut initdb = cluster.command("initdb");
        initdb.arg("-D").arg(&data).args([
            "-U",
            "esgen",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        ]);
        cluster.run(&mut initdb);
        cluster.pg_ctl_start();
        cluster
    }

    /// The server program `name`, run as the cluster's owner.
    fn command(&self, name: &str) -> Command {
        let program = self.bin.join(name);
        match self.run_as.split_first() {
            Some((first, rest)) => {
                let mut command = Command::new(first);
                command.args(rest).arg(program);
                command
            }
            None => Command::new(program),
        }
    }

    fn run(&self, command: &mut Command) {
        let output = command.output().unwrap();
        assert!(
            output.status.success(),
            "{command:?}: {}\n{}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
        );
    }

    fn pg_ctl(&self) -> Command {
        let mut pg_ctl = self.command("pg_ctl");
        pg_ctl
            .arg("-D")
            .arg(self.dir.join("data"))
            .arg("-l")
            .arg(self.dir.join("server.log"));
        pg_ctl
    }

    /// Starts the server as `scripts/postgres.sh` does, but with
    /// `synchronous_commit` left on: with it off, a crash loses commits
    /// already acknowledged, by design, which this test would report as
    /// lost.
    fn pg_ctl_start(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.dir.display()
        );
        let mut start = self.pg_ctl();
        start.args(["-w", "-t", "60", "start", "-o", &options]);
        self.run(&mut start);
    }

    /// Stops the server at once, as a crash does: no checkpoint, the WAL
    /// replayed at the next start.
    fn stop_immediate(&self) {
        let mut stop = self.pg_ctl();
        stop.args(["-m", "immediate", "-w", "stop"]);
        self.run(&mut stop);
    }

    fn url(&self) -> String {
        format!("postgres://esgen@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let mut stop = self.pg_ctl();
        stop.args(["-m", "immediate", "-w", "stop"]);
        let _ = stop.stdout(Stdio::null()).stderr(Stdio::null()).status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Fault: the test's own PostgreSQL cluster is stopped with `pg_ctl -m
/// immediate` (a crash: backends killed, no checkpoint) while four
/// writers deposit into two accounts (those of `bob` through snapshots,
/// [`frameworks`]), left down for a second, and started
/// again (recovering from its WAL). Writers retry every error with the
/// same command id, on a pool with short timeouts; after the run,
/// `accounts_heal` brings the tables up to date.
///
/// Proves: every deposit acknowledged before, during or after the
/// outage survives the crash, none is stored twice by its retries, no
/// attempt hangs past its timeouts, the tables reflect every stream
/// after healing, and no writer panics.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writers_ride_out_a_postgres_crash_and_restart() {
    const WRITERS: usize = 4;
    const EACH: usize = 75;
    let cluster = Arc::new(tokio::task::spawn_blocking(Cluster::start).await.unwrap());
    let timeouts = Timeouts {
        acquire: Duration::from_secs(1),
        statement: Duration::from_secs(5),
        lock: Duration::from_secs(2),
    };
    let pool = connect_with(&cluster.url(), 4, timeouts).await.unwrap();
    migrate(&pool).await.unwrap();
    let cqrs = frameworks(&pool);
    let accounts: Vec<String> = vec!["ann".into(), "bob".into()];
    open_all(&cqrs[0], &pool, &accounts).await;

    let tally = Arc::new(Tally::default());
    let acked = Arc::new(Mutex::new(Vec::new()));
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (cqrs, pool) = (cqrs[w % 2].clone(), pool.clone());
            let (tally, acked) = (tally.clone(), acked.clone());
            let account = accounts[w % 2].clone();
            tokio::spawn(async move {
                for n in 0..EACH {
                    let id = format!("crash-{w}-{n}");
                    let amount = 1 + (w * EACH + n) as i64 % 9;
                    let command = deposit(&account, amount);
                    until_ok(&cqrs, &pool, &id, command, &tally, None).await?;
                    acked.lock().unwrap().push(Acked {
                        id,
                        account: account.clone(),
                        amount,
                    });
                    // Spread the load over the outage.
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                Ok::<_, String>(())
            })
        })
        .collect();
    // The crash, once a quarter of the commands are in.
    let started = Instant::now();
    while tally.acked.load(Ordering::SeqCst) < WRITERS * EACH / 4 {
        assert!(
            started.elapsed() < GIVE_UP,
            "the writers stalled before the crash"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let acked_before = tally.acked.load(Ordering::SeqCst);
    tally.fault_on.store(true, Ordering::SeqCst);
    let c = cluster.clone();
    tokio::task::spawn_blocking(move || c.stop_immediate())
        .await
        .unwrap();
    let down = Instant::now();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let c = cluster.clone();
    tokio::task::spawn_blocking(move || c.pg_ctl_start())
        .await
        .unwrap();
    let down = down.elapsed();
    tally.fault_on.store(false, Ordering::SeqCst);
    let acked_after = WRITERS * EACH - tally.acked.load(Ordering::SeqCst);

    let mut panics = 0;
    for writer in writers {
        match writer.await {
            Ok(done) => done.unwrap(),
            Err(e) => {
                assert!(e.is_panic(), "{e}");
                panics += 1;
            }
        }
    }
    let acked = acked.lock().unwrap().clone();
    let before_heal = stale(&pool).await;
    accounts_heal::<Accounts>(&pool).await.unwrap();
    let figures = verify(&pool, &acked, &accounts).await;
    let during = tally.during_fault.load(Ordering::SeqCst);
    report(format!(
        "PostgreSQL stopped and restarted mid-run: {} commands, 1 crash after {acked_before} \
         acks, down {} ms, {acked_after} acks after the restart, {during} errors during the \
         outage ({} in all: {}), {} lost, {} duplicated, {} stale ({before_heal} before heal), \
         {panics} panics, {} ({} hung)",
        WRITERS * EACH,
        down.as_millis(),
        tally.total_errors(),
        tally.kinds(),
        figures.lost,
        figures.duplicated,
        figures.stale,
        figures.balances(),
        tally.hung.load(Ordering::SeqCst),
    ));
    pool.close().await;
    assert_eq!(panics, 0);
    assert_eq!(acked.len(), WRITERS * EACH);
    assert_eq!(figures, Figures::default(), "{}", tally.odd_samples());
    assert!(
        during > 0,
        "no writer saw an error during the outage: the crash did not land mid-run"
    );
    assert!(acked_after > 0, "every command was in before the restart");
}

// ---------------------------------------------------------------------
// 3. A writer process killed with SIGKILL.

/// The variable that makes [`writer_process_for_the_kill_test`] a writer:
/// the database's URL.
const WRITER: &str = "ESGEN_FAULT_WRITER";

/// The next command of each lane the writer starts from: `n,n,n,n`.
const WRITER_FROM: &str = "ESGEN_FAULT_WRITER_FROM";

/// The writer's lanes: each deposits its commands in order, two lanes to
/// an account (those of `k1` through snapshots, [`frameworks`]).
const LANES: usize = 4;

/// Commands per lane.
const PER_LANE: usize = 60;

/// The `n`th command of `lane`: its id, its account and its amount, the
/// same in every writer process.
fn kill_command(lane: usize, n: usize) -> (String, String, i64) {
    (
        format!("kill-{lane}-{n}"),
        format!("k{}", lane % 2),
        1 + (lane * PER_LANE + n) as i64 % 9,
    )
}

/// The writer process of
/// [`a_writer_killed_mid_load_is_restarted_with_nothing_lost_or_doubled`],
/// not a test of its own: that test runs this binary again with only this
/// test, and [`WRITER`] set to a database's URL. It then deposits, from
/// the commands [`WRITER_FROM`] names on, with `execute_once` and its
/// lane's ids, retrying errors with the same id, and prints `ack <lane>
/// <n>` on stdout a few milliseconds after a command is acknowledged (as
/// a client records an answer), until it is killed or done.
///
/// Run by itself (no [`WRITER`]), it checks what the writers rely on: the
/// commands are the same on every run, and their ids distinct.
#[test]
fn writer_process_for_the_kill_test() {
    let Ok(url) = std::env::var(WRITER) else {
        assert_eq!(kill_command(3, 7), kill_command(3, 7));
        let ids: HashSet<String> = (0..LANES)
            .flat_map(|lane| (0..PER_LANE).map(move |n| kill_command(lane, n).0))
            .collect();
        assert_eq!(ids.len(), LANES * PER_LANE);
        return;
    };
    let from: Vec<usize> = std::env::var(WRITER_FROM)
        .unwrap()
        .split(',')
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(from.len(), LANES);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let timeouts = Timeouts {
            acquire: Duration::from_secs(2),
            statement: Duration::from_secs(10),
            lock: Duration::from_secs(5),
        };
        let pool = connect_with(&url, 4, timeouts).await.unwrap();
        let cqrs = frameworks(&pool);
        let tally = Arc::new(Tally::default());
        let lanes: Vec<_> = (0..LANES)
            .map(|lane| {
                let (cqrs, pool, tally) = (cqrs[lane % 2].clone(), pool.clone(), tally.clone());
                let from = from[lane];
                tokio::spawn(async move {
                    for n in from..PER_LANE {
                        let (id, account, amount) = kill_command(lane, n);
                        until_ok(&cqrs, &pool, &id, deposit(&account, amount), &tally, None)
                            .await
                            .unwrap();
                        // The client's own work between the answer and
                        // its record of it: a kill there leaves a command
                        // stored that its client never saw acknowledged.
                        tokio::time::sleep(Duration::from_millis(15)).await;
                        let mut out = std::io::stdout().lock();
                        writeln!(out, "ack {lane} {n}").unwrap();
                        out.flush().unwrap();
                    }
                })
            })
            .collect();
        for lane in lanes {
            lane.await.unwrap();
        }
    });
}

/// Fault: a writer process (this binary, running
/// [`writer_process_for_the_kill_test`]) is killed with SIGKILL after a
/// random number of acknowledgements, five times, each time with commands
/// in flight on four lanes; it is restarted each time from each lane's
/// first unacknowledged command, whose event may already be stored, and
/// the last run goes to the end. Then `accounts_heal` runs.
///
/// Proves: a command cut off by a crash of its writer, sent again with
/// its id by the next writer, is stored once, including those the dead
/// writer had stored but not acknowledged (at least one is); every
/// acknowledged command is stored; balances are the sums of the
/// deposits; the tables reflect every stream; and the writer only ever
/// exits when killed or done.
#[test]
fn a_writer_killed_mid_load_is_restarted_with_nothing_lost_or_doubled() {
    use std::os::unix::process::ExitStatusExt;
    const KILLS: usize = 5;
    let seed = seed();
    let mut rng = Rng(seed);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let accounts: Vec<String> = vec!["k0".into(), "k1".into()];
    let (url, pool) = runtime.block_on(async {
        let url = support::database().await;
        let pool = support::pool(&url).await;
        migrate(&pool).await.unwrap();
        let cqrs = accounts_cqrs::<Accounts>(pool.clone(), Vec::new());
        open_all(&cqrs, &pool, &accounts).await;
        (url, pool)
    });

    let mut next = [0_usize; LANES];
    let mut acked = Vec::new();
    let (mut kills, mut panics, mut in_flight_stored) = (0, 0, 0);
    for round in 0..=KILLS {
        let from: Vec<String> = next.iter().map(usize::to_string).collect();
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "writer_process_for_the_kill_test", "--nocapture"])
            .env(WRITER, &url)
            .env(WRITER_FROM, from.join(","))
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut output = BufReader::new(child.stdout.take().unwrap());
        let kill_after = (round < KILLS).then(|| rng.range(5, 40) as usize);
        let mut acks = 0;
        let mut line = String::new();
        loop {
            line.clear();
            if output.read_line(&mut line).unwrap() == 0 {
                break;
            }
            let Some(ack) = line.trim().strip_prefix("ack ") else {
                continue;
            };
            let (lane, n) = ack.split_once(' ').unwrap();
            let (lane, n): (usize, usize) = (lane.parse().unwrap(), n.parse().unwrap());
            assert_eq!(n, next[lane], "lane {lane} acknowledges in order");
            next[lane] = n + 1;
            let (id, account, amount) = kill_command(lane, n);
            acked.push(Acked {
                id,
                account,
                amount,
            });
            acks += 1;
            // Killed only while it runs: one that exited by itself is
            // counted below. The acknowledgements it wrote before dying
            // are read on, and count.
            if Some(acks) == kill_after && child.try_wait().unwrap().is_none() {
                child.kill().unwrap();
            }
        }
        let status = child.wait().unwrap();
        match kill_after {
            Some(_) if status.signal() == Some(9) => kills += 1,
            None if status.success() => {}
            _ => panics += 1,
        }
        if kill_after.is_some() {
            // The commands in flight when the writer died: stored, or not.
            in_flight_stored += runtime.block_on(async {
                let mut found = 0;
                for (lane, n) in next.iter().enumerate() {
                    if *n < PER_LANE && stored(&pool, &kill_command(lane, *n).0).await {
                        found += 1;
                    }
                }
                found
            });
        }
    }

    let (figures, before_heal) = runtime.block_on(async {
        let before_heal = stale(&pool).await;
        accounts_heal::<Accounts>(&pool).await.unwrap();
        (verify(&pool, &acked, &accounts).await, before_heal)
    });
    report(format!(
        "writer SIGKILLed mid-load: {} commands, {kills} kills, {in_flight_stored} commands \
         in flight at a kill found stored, {} lost, {} duplicated, {} stale ({before_heal} \
         before heal), {panics} panics, {} (seed {seed})",
        LANES * PER_LANE,
        figures.lost,
        figures.duplicated,
        figures.stale,
        figures.balances(),
    ));
    assert_eq!(panics, 0, "a writer exited other than by the kill");
    assert_eq!(kills, KILLS, "every kill landed while the writer ran");
    assert!(
        in_flight_stored > 0,
        "no kill fell between a commit and its acknowledgement"
    );
    assert_eq!(acked.len(), LANES * PER_LANE);
    assert_eq!(figures, Figures::default());
}
