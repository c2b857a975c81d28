{%- if sqlite %}
    /// The tables the crate stores its events in (`schema.sqlite.sql`),
    /// created only when missing.
    pub const SCHEMA: &str = include_str!("../../schema.sqlite.sql");

    /// The database.
    pub type Database = sqlx::Sqlite;
    /// A pool of connections to it.
    pub type Pool = SqlitePool;
    /// One connection.
    pub type Connection = sqlx::SqliteConnection;
    /// A row it answers.
    pub type Row = sqlx::sqlite::SqliteRow;

    /// A pool of at most `max_connections` connections to the database in
    /// the file at `url` (`sqlite://events.db`, or a path), which is
    /// created when missing and kept in write-ahead-log mode, waiting on
    /// the database no longer than [`Timeouts::default`] says.
{%- else %}
    /// The tables the crate stores its events in (`schema.sql`), created
    /// only when missing.
    pub const SCHEMA: &str = include_str!("../../schema.sql");

    /// The database.
    pub type Database = sqlx::Postgres;
    /// A pool of connections to it.
    pub type Pool = PgPool;
    /// One connection.
    pub type Connection = sqlx::PgConnection;
    /// A row it answers.
    pub type Row = sqlx::postgres::PgRow;

    /// A pool of at most `max_connections` connections to the database at
    /// `url` (`postgres://user:password@host:port/database`), waiting on
    /// the database no longer than [`Timeouts::default`] says.
{%- endif %}
    ///
    /// # Errors
    ///
    /// When the database cannot be reached.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Pool, sqlx::Error> {
        connect_with(url, max_connections, Timeouts::default()).await
    }

    /// How long the runtime waits on the database before it gives up with
    /// an error: for a connection from the pool (or a new one), for any
    /// one statement, and for a lock a statement needs.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Timeouts {
        /// A connection: 5 seconds by default.
        pub acquire: Duration,
        /// A statement: 30 seconds by default.
        pub statement: Duration,
        /// A lock: 5 seconds by default.
        pub lock: Duration,
    }

    impl Default for Timeouts {
        fn default() -> Self {
            Self {
                acquire: Duration::from_secs(5),
                statement: Duration::from_secs(30),
                lock: Duration::from_secs(5),
            }
        }
    }

    /// [`connect`], with other [`Timeouts`].
    ///
    /// # Errors
    ///
    /// When `url` is not a database's address, or the database cannot be
    /// reached.
    pub async fn connect_with(
        url: &str,
        max_connections: u32,
        timeouts: Timeouts,
    ) -> Result<Pool, sqlx::Error> {
{%- if sqlite %}
        // SQLite runs no statement for longer than it takes: only the wait
        // for the file's lock is bounded.
        let options = if url.starts_with("sqlite:") {
            url.parse::<SqliteConnectOptions>()?
        } else {
            SqliteConnectOptions::new().filename(url)
        };
        let options = options
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(timeouts.lock);
        SqlitePoolOptions::new()
{%- else %}
        let millis = |d: Duration| format!("{}ms", d.as_millis().max(1));
        let options: PgConnectOptions = url.parse()?;
        let options = options.options([
            ("statement_timeout", millis(timeouts.statement)),
            ("lock_timeout", millis(timeouts.lock)),
        ]);
        PgPoolOptions::new()
{%- endif %}
            .max_connections(max_connections)
            .acquire_timeout(timeouts.acquire)
            .connect_with(options)
            .await
    }
{% if krate.has_tables %}
    /// Upserts `row` as the row `key` of `table`, or deletes the row when
    /// there is none.
    async fn write_row<'e, E, T>(
        executor: E,
        table: &str,
        key: &str,
        sequence: i64,
        row: Option<&T>,
    ) -> Result<(), sqlx::Error>
    where
        E: sqlx::Executor<'e, Database = Database>,
        T: Serialize + Sync,
    {
        // A row records the stream's sequence it reflects, and a write
        // that reflects an older one (a refresh that lost a race) changes
        // nothing.
        let written = match row {
            Some(row) => {
                let sql = format!(
                    "INSERT INTO {table} (key, payload, sequence) VALUES ($1, $2, $3) \
                     ON CONFLICT (key) DO UPDATE SET payload = excluded.payload, sequence = excluded.sequence \
                     WHERE {table}.sequence <= excluded.sequence"
                );
                sqlx::query(&sql)
                    .bind(key)
                    .bind(Json(row))
                    .bind(sequence)
                    .execute(executor)
                    .await
            }
            None => {
                let sql = format!("DELETE FROM {table} WHERE key = $1 AND sequence <= $2");
                sqlx::query(&sql)
                    .bind(key)
                    .bind(sequence)
                    .execute(executor)
                    .await
            }
        };
        written.map(|_| ())
    }

    /// The entity of the row `key` of `table`, when the row reflects its
    /// stream's event `sequence` and is of the entity's shape.
    async fn row_at<T: DeserializeOwned>(
        connection: &mut Connection,
        table: &str,
        key: &str,
        sequence: i64,
    ) -> Result<Option<T>, PersistenceError> {
        let sql = format!("SELECT sequence, payload FROM {table} WHERE key = $1");
        let row: Option<(i64, JsonValue)> = sqlx::query_as(&sql)
            .bind(key)
            .fetch_optional(connection)
            .await
            .map_err(classified)?;
        Ok(row.and_then(|(at, payload)| {
            let entity = T::deserialize(&payload).ok()?;
            (at == sequence).then_some(entity)
        }))
    }

    /// Every row of `table`, in the order they were first written.
    async fn read_rows<T>(pool: &Pool, table: &str) -> Result<Vec<T>, sqlx::Error>
    where
        T: DeserializeOwned + Send + Unpin + 'static,
    {
        let sql = format!("SELECT payload FROM {table} ORDER BY position");
        let rows: Vec<(Json<T>,)> = sqlx::query_as(&sql).fetch_all(pool).await?;
        Ok(rows.into_iter().map(|(Json(row),)| row).collect())
    }
{% endif %}
{%- if krate.has_asks %}
    /// The rejection of a command of `model` whose rules ask another model
    /// that could not be read.
    fn unavailable(model: &'static str, action: &'static str, error: &dyn Display) -> Rejection {
        let message = format!("what `{action}` asks of other models could not be read: {error}");
        Rejection::new(action, message)
            .in_model(model)
            .with_rule(format!("{action}/asks"))
            .with_kind(crate::generated::RejectionKind::Unavailable)
    }
{% endif %}
    /// Creates the tables of [`SCHEMA`] that are missing.
    ///
    /// # Errors
    ///
    /// When the database refuses a statement.
    pub async fn migrate(pool: &Pool) -> Result<(), sqlx::Error> {
        sqlx::raw_sql(SCHEMA).execute(pool).await.map(|_| ())
    }
{%- if !krate.runtime_models.is_empty() %}

    /// A model stored in {% if sqlite %}SQLite{% else %}PostgreSQL{% endif %}, run by cqrs-es: the events table read
    /// through [`EventRepository`].
    pub type Cqrs<A> = CqrsFramework<A, PersistedEventStore<EventRepository, A>>;
{%- if sqlite %}

    /// [`Cqrs`], by the name sqlite-es gives it.
    pub type SqliteCqrs<A> = Cqrs<A>;
{%- else %}

    /// [`Cqrs`], by the name postgres-es gives it.
    pub type PostgresCqrs<A> = Cqrs<A>;
{%- endif %}

    /// The events table as cqrs-es reads and writes it (a cqrs-es
    /// `PersistedEventRepository` over {% if sqlite %}sqlite-es's{% else %}postgres-es's{% endif %} schema). A command's
    /// events, the materialized rows they change and the snapshot they
    /// complete are written in one transaction. Every row is checked as it
    /// is read, so that no row can stop the program: one that cannot be
    /// read — JSON serde refuses (nested too deep, a number out of range, a
    /// lone surrogate), a payload that is none of the model's events, an
    /// `event_type` or `event_version` that contradicts its payload, a
    /// sequence with a gap — is an error naming the model, the stream, the
    /// sequence and the cause ([`BadRow`]), never a panic.
    pub struct EventRepository {
        pool: Pool,
        tables: Option<std::sync::Arc<dyn TableRows>>,
    }

    /// A model's materialized tables, as [`EventRepository`] writes them in
    /// the same transaction as a stream's events.
    #[async_trait]
    pub trait TableRows: Send + Sync {
        /// Writes, on `connection`, the rows of the stream `aggregate_id`
        /// after `events` (all of its events, in order), as of its event
        /// `sequence`.
        ///
        /// # Errors
        ///
        /// When an event cannot be read as one of the model's, or a row
        /// cannot be written.
        async fn write(
            &self,
            connection: &mut Connection,
            aggregate_id: &str,
            events: &[SerializedEvent],
            sequence: i64,
        ) -> Result<(), PersistenceError>;

        /// Writes the rows after `events`, the stream's newest, from its
        /// row as the event before them left it, without reading the
        /// stream; `false` (and nothing written) when the row is not at
        /// that event, or there is none.
        ///
        /// # Errors
        ///
        /// As [`TableRows::write`].
        async fn write_after_row(
            &self,
            connection: &mut Connection,
            aggregate_id: &str,
            events: &[SerializedEvent],
        ) -> Result<bool, PersistenceError>;
    }

    impl std::fmt::Debug for EventRepository {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("EventRepository")
                .field("pool", &self.pool)
                .finish_non_exhaustive()
        }
    }

    /// What a database error is to cqrs-es: a conflict (another writer
    /// stored the stream's next event, or the command's id, first:
    /// `AggregateConflict`); the database out of reach, shutting down, or
    /// not answering within [`Timeouts`] (`DatabaseConnectionError`: worth
    /// retrying, once it is back); or anything else it refused, a missing
    /// table say (`UnexpectedError`: retrying will not help).
    fn classified(error: sqlx::Error) -> PersistenceError {
        let code = error
            .as_database_error()
            .and_then(|d| d.code())
            .map(|c| c.into_owned());
        match code.as_deref() {
{%- if sqlite %}
            // A second event of the stream's sequence, or of the command's
            // id (`SQLITE_CONSTRAINT_PRIMARYKEY`, `_UNIQUE`).
            Some("1555" | "2067") => PersistenceError::OptimisticLockError,
            // The file locked by another writer for longer than the busy
            // timeout (`SQLITE_BUSY`, `SQLITE_LOCKED` and their variants).
            Some("5" | "6" | "261" | "262" | "517" | "773") => {
                PersistenceError::ConnectionError(Box::new(error))
            }
{%- else %}
            Some("23505") => PersistenceError::OptimisticLockError,
            // Connection exceptions, shutdowns, too many connections, a
            // lock or a statement that timed out.
            Some(c)
                if c.starts_with("08")
                    || c.starts_with("57P")
                    || matches!(c, "53300" | "55P03" | "57014") =>
            {
                PersistenceError::ConnectionError(Box::new(error))
            }
{%- endif %}
            Some(_) => PersistenceError::UnknownError(Box::new(error)),
            None => match error {
                sqlx::Error::Io(_)
                | sqlx::Error::Tls(_)
                | sqlx::Error::Protocol(_)
                | sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::WorkerCrashed => PersistenceError::ConnectionError(Box::new(error)),
                _ => PersistenceError::UnknownError(Box::new(error)),
            },
        }
    }

    /// `error` as cqrs-es reports it to a caller of `execute`.
    fn reported<E: std::error::Error>(error: sqlx::Error) -> AggregateError<E> {
        classified(error).into()
    }

    impl EventRepository {
        /// The repository of the database of `pool`.
        #[must_use]
        pub fn new(pool: Pool) -> Self {
            Self { pool, tables: None }
        }

        /// The repository of the database of `pool` that writes, with each
        /// stream's events and in their transaction, the rows `tables` says
        /// the stream's entity has then.
        #[must_use]
        pub fn with_tables(pool: Pool, tables: std::sync::Arc<dyn TableRows>) -> Self {
            Self {
                tables: Some(tables),
                ..Self::new(pool)
            }
        }

        /// The events of the stream `aggregate_id` after `after`, checked.
        async fn read<A: cqrs_es::Aggregate>(
            &self,
            aggregate_id: &str,
            after: usize,
        ) -> Result<Vec<SerializedEvent>, PersistenceError> {
            read_stream::<A, _>(&self.pool, aggregate_id, after).await
        }
    }

    /// The events of the stream `aggregate_id` after `after`, checked, read
    /// through `executor`: the pool, or the transaction that is storing
    /// (which sees its own events, and needs no second connection).
    async fn read_stream<'c, A, E>(
        executor: E,
        aggregate_id: &str,
        after: usize,
    ) -> Result<Vec<SerializedEvent>, PersistenceError>
    where
        A: cqrs_es::Aggregate,
        E: sqlx::Executor<'c, Database = Database>,
    {
        let after = i64::try_from(after).unwrap_or(i64::MAX);
        let rows = sqlx::query(
            "SELECT aggregate_id, sequence, event_type, event_version, payload, metadata FROM events \
             WHERE aggregate_type = $1 AND aggregate_id = $2 AND sequence > $3 ORDER BY sequence",
        )
        .bind(A::TYPE)
        .bind(aggregate_id)
        .bind(after)
        .fetch_all(executor)
        .await
        .map_err(classified)?;
        let mut expected = after;
        rows.iter()
            .map(|row| {
                expected += 1;
                checked::<A>(row, expected)
            })
            .collect()
    }

    /// A row of the events table, read and checked as the event `expected`
    /// of its stream.
    fn checked<A: cqrs_es::Aggregate>(
        row: &Row,
        expected: i64,
    ) -> Result<SerializedEvent, PersistenceError> {
        let stream: String = row.try_get("aggregate_id").map_err(classified)?;
        let sequence: i64 = row.try_get("sequence").map_err(classified)?;
        let bad = |cause: String| {
            PersistenceError::DeserializationError(Box::new(BadRow {
                model: A::TYPE.to_string(),
                stream: stream.clone(),
                sequence,
                cause,
            }))
        };
        if sequence != expected {
            return Err(bad(format!("the stream has no event {expected}")));
        }
        let event_type: String = row.try_get("event_type").map_err(classified)?;
        let event_version: String = row.try_get("event_version").map_err(classified)?;
        let payload: JsonValue = row
            .try_get("payload")
            .map_err(|e| bad(format!("its payload is not JSON serde reads: {e}")))?;
        let metadata: JsonValue = row
            .try_get("metadata")
            .map_err(|e| bad(format!("its metadata is not JSON serde reads: {e}")))?;
        // `2` and `2.0` are one version: cqrs-es's own examples write
        // the second.
        let version = event_version.strip_suffix(".0").unwrap_or(&event_version);
        let tag = if version == "1" {
            event_type.clone()
        } else {
            format!("{event_type}@{version}")
        };
        let tagged = payload
            .as_object()
            .is_some_and(|o| o.len() == 1 && o.contains_key(&tag));
        if !tagged {
            return Err(bad(format!(
                "its event_type `{event_type}` and event_version `{event_version}` say `{tag}`, but its payload is not that event"
            )));
        }
        <A::Event as serde::Deserialize>::deserialize(&payload)
            .map_err(|e| bad(format!("its payload is not a `{tag}` event: {e}")))?;
        Ok(SerializedEvent::new(
            stream.clone(),
            usize::try_from(sequence).unwrap_or_default(),
            A::TYPE.to_string(),
            event_type,
            event_version,
            payload,
            metadata,
        ))
    }

    impl PersistedEventRepository for EventRepository {
        async fn get_events<A: cqrs_es::Aggregate>(
            &self,
            aggregate_id: &str,
        ) -> Result<Vec<SerializedEvent>, PersistenceError> {
            self.read::<A>(aggregate_id, 0).await
        }

        async fn get_last_events<A: cqrs_es::Aggregate>(
            &self,
            aggregate_id: &str,
            last_sequence: usize,
        ) -> Result<Vec<SerializedEvent>, PersistenceError> {
            self.read::<A>(aggregate_id, last_sequence).await
        }

        async fn get_snapshot<A: cqrs_es::Aggregate>(
            &self,
            aggregate_id: &str,
        ) -> Result<Option<SerializedSnapshot>, PersistenceError> {
            let row = sqlx::query(
                "SELECT last_sequence, current_snapshot, payload FROM snapshots \
                 WHERE aggregate_type = $1 AND aggregate_id = $2 ORDER BY last_sequence DESC LIMIT 1",
            )
            .bind(A::TYPE)
            .bind(aggregate_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(classified)?;
            // A snapshot that cannot be read is no snapshot: the stream is
            // replayed from its first event, which is the truth.
            let read = row.and_then(|row| {
                let last: i64 = row.try_get("last_sequence").ok()?;
                let current: i64 = row.try_get("current_snapshot").ok()?;
                let payload: JsonValue = row.try_get("payload").ok()?;
                Some(SerializedSnapshot {
                    aggregate_id: aggregate_id.to_string(),
                    aggregate: payload,
                    current_sequence: usize::try_from(last).ok()?,
                    current_snapshot: usize::try_from(current).ok()?,
                })
            });
            Ok(read)
        }

        async fn persist<A: cqrs_es::Aggregate>(
            &self,
            events: &[SerializedEvent],
            snapshot_update: Option<(String, JsonValue, usize)>,
        ) -> Result<(), PersistenceError> {
            let (Some(first), Some(last)) = (events.first(), events.last()) else {
                return Ok(());
            };
            let aggregate_id = first.aggregate_id.as_str();
            let sequence = i64::try_from(last.sequence).unwrap_or(i64::MAX);
            let mut transaction = self.pool.begin().await.map_err(classified)?;
            for event in events {
                sqlx::query(
                    "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, payload, metadata) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(A::TYPE)
                .bind(&event.aggregate_id)
                .bind(i64::try_from(event.sequence).unwrap_or(i64::MAX))
                .bind(&event.event_type)
                .bind(&event.event_version)
                .bind(&event.payload)
                .bind(&event.metadata)
                .execute(&mut *transaction)
                .await
                .map_err(classified)?;
            }
            // The rows: from each row as the stream's previous event left
            // it and these events; else from the whole stream as it was
            // loaded, then these. Had another writer stored meanwhile, the
            // first insert above failed as a conflict and nothing is written.
            if let Some(tables) = &self.tables {
                let written = tables
                    .write_after_row(&mut transaction, aggregate_id, events)
                    .await?;
                if !written {
                    // Read in the transaction, which sees these events
                    // too: a second connection could wait for ever on a
                    // pool this command's own transaction exhausts.
                    let mut all = read_stream::<A, _>(&mut *transaction, aggregate_id, 0).await?;
                    all.truncate(first.sequence.saturating_sub(1));
                    all.extend(events.iter().cloned());
                    tables
                        .write(&mut transaction, aggregate_id, &all, sequence)
                        .await?;
                }
            }
            // A command stores one event, so a snapshot cqrs-es hands over
            // reflects the stream up to the last of these. One snapshot is
            // kept per stream.
            if let Some((_, payload, current)) = snapshot_update {
                sqlx::query(
                    "INSERT INTO snapshots (aggregate_type, aggregate_id, last_sequence, current_snapshot, payload) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(A::TYPE)
                .bind(aggregate_id)
                .bind(sequence)
                .bind(i64::try_from(current).unwrap_or(i64::MAX))
                .bind(&payload)
                .execute(&mut *transaction)
                .await
                .map_err(classified)?;
                sqlx::query(
                    "DELETE FROM snapshots WHERE aggregate_type = $1 AND aggregate_id = $2 AND last_sequence < $3",
                )
                .bind(A::TYPE)
                .bind(aggregate_id)
                .bind(sequence)
                .execute(&mut *transaction)
                .await
                .map_err(classified)?;
            }
            transaction.commit().await.map_err(classified)
        }

        async fn stream_events<A: cqrs_es::Aggregate>(
            &self,
            aggregate_id: &str,
        ) -> Result<ReplayStream, PersistenceError> {
            // Read, and checked, as `get_events` reads them.
            let events = self.read::<A>(aggregate_id, 0).await?;
            let (mut feed, stream) = ReplayStream::new(events.len().max(1));
            for event in events {
                feed.push(Ok(event)).await?;
            }
            Ok(stream)
        }

        async fn stream_all_events<A: cqrs_es::Aggregate>(
            &self,
        ) -> Result<ReplayStream, PersistenceError> {
            // Every stream of the model in the order its events were
            // stored, each row checked as a load checks it. A stream with
            // a bad row gives that row's error, then nothing more; the
            // others go on.
            let rows = sqlx::query(
                "SELECT aggregate_id, sequence, event_type, event_version, payload, metadata FROM events \
                 WHERE aggregate_type = $1 ORDER BY position",
            )
            .bind(A::TYPE)
            .fetch_all(&self.pool)
            .await
            .map_err(classified)?;
            let (mut feed, stream) = ReplayStream::new(rows.len().max(1));
            let mut next: std::collections::HashMap<String, Option<i64>> =
                std::collections::HashMap::new();
            for row in &rows {
                let id: String = row.try_get("aggregate_id").map_err(classified)?;
                let expected = next.entry(id).or_insert(Some(0));
                let Some(before) = *expected else {
                    continue;
                };
                let event = checked::<A>(row, before + 1);
                *expected = event.is_ok().then_some(before + 1);
                feed.push(event).await?;
            }
            Ok(stream)
        }
    }

    /// A stored event that cannot be read: which, and why.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct BadRow {
        /// The model (the row's `aggregate_type`).
        pub model: String,
        /// The stream (`aggregate_id`).
        pub stream: String,
        /// The row's `sequence`.
        pub sequence: i64,
        /// What is wrong with it.
        pub cause: String,
    }

    impl std::fmt::Display for BadRow {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(
                f,
                "event {} of the stream `{}` of `{}` cannot be read: {}",
                self.sequence, self.stream, self.model, self.cause
            )
        }
    }

    impl std::error::Error for BadRow {}

    /// A stored event, with its place in the whole store.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Positioned {
        /// Its place in the whole store: later events have greater ones.
        pub position: i64,
        /// The model (`aggregate_type`).
        pub model: String,
        /// The stream (`aggregate_id`).
        pub stream: String,
        /// Its number in its stream.
        pub sequence: i64,
        /// Its name.
        pub event_type: String,
        /// Its version.
        pub event_version: String,
        /// The event, as stored: read it with the model's event enum.
        pub payload: JsonValue,
    }

    /// At most `limit` events of every model, after the position `after`
    /// (0 for the first), in the order of their positions: what a reader
    /// follows the whole store by, passing the last position it read. No
{%- if sqlite %}
    /// event is skipped: SQLite commits one writer at a time, so no event
    /// commits below a position already read.
{%- else %}
    /// event is skipped: events whose transactions may still commit with a
    /// lower position are held back until they have, so a reader never
    /// moves past a position an event will later fill.
{%- endif %}
    ///
    /// # Errors
    ///
    /// When the database cannot be read, or a row's JSON is not readable.
    pub async fn read_all(
        pool: &Pool,
        after: i64,
        limit: i64,
    ) -> Result<Vec<Positioned>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT position, aggregate_type, aggregate_id, sequence, event_type, event_version, payload \
{%- if sqlite %}
             FROM events WHERE position > $1 \
{%- else %}
             FROM events WHERE position > $1 AND transaction_id < pg_snapshot_xmin(pg_current_snapshot()) \
{%- endif %}
             ORDER BY position LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Positioned {
                    position: row.try_get("position")?,
                    model: row.try_get("aggregate_type")?,
                    stream: row.try_get("aggregate_id")?,
                    sequence: row.try_get("sequence")?,
                    event_type: row.try_get("event_type")?,
                    event_version: row.try_get("event_version")?,
                    payload: row.try_get("payload")?,
                })
            })
            .collect()
    }

    /// The metadata key under which [`execute_once`] stores a command's id.
    pub const COMMAND_ID: &str = "command_id";

    /// Executes `command` on the stream `aggregate_id` once for
    /// `command_id`, an id the client gives the command (an HTTP
    /// `Idempotency-Key`, a message id): a second call with the same id in
    /// the same model stores nothing and answers `Ok` as the first did, so
    /// a client may retry a command whose answer it did not get. The id is
    /// stored with the event, in the same row (`{% if sqlite %}schema.sqlite.sql{% else %}schema.sql{% endif %}` keeps it
    /// unique), so a retry racing the first call also stores nothing. A
    /// rejected command stores nothing, and is decided again on a retry.
    ///
    /// # Errors
    ///
    /// As `execute`; `AggregateConflict` only for another command's
    /// event, never for this command's own.
    pub async fn execute_once<A>(
        cqrs: &Cqrs<A>,
        pool: &Pool,
        aggregate_id: &str,
        command_id: &str,
        command: A::Command,
    ) -> Result<(), AggregateError<A::Error>>
    where
        A: cqrs_es::Aggregate,
    {
        if executed(pool, A::TYPE, command_id).await? {
            return Ok(());
        }
        let metadata = [(COMMAND_ID.to_string(), command_id.to_string())];
        let done = cqrs
            .execute_with_metadata(aggregate_id, command, metadata.into_iter().collect())
            .await;
        if matches!(done, Err(AggregateError::AggregateConflict))
            && executed(pool, A::TYPE, command_id).await?
        {
            return Ok(());
        }
        done
    }

    /// Whether an event of `aggregate_type` carries `command_id`.
    async fn executed<E: std::error::Error>(
        pool: &Pool,
        aggregate_type: &str,
        command_id: &str,
    ) -> Result<bool, AggregateError<E>> {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM events WHERE aggregate_type = $1 AND metadata ->> 'command_id' = $2)",
        )
        .bind(aggregate_type)
        .bind(command_id)
        .fetch_one(pool)
        .await
        .map_err(reported)
    }
{%- if krate.policies %}

    /// A policy's subscription: the events of one model, followed from a
    /// checkpoint (`esgen_subscriptions`) that only moves forward.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Subscription {
        /// Its name, the policy's: the key of its checkpoint.
        pub name: &'static str,
        /// The model whose events it follows (their `aggregate_type`).
        pub model: &'static str,
        /// Whether it starts at the events stored after it first runs,
        /// rather than at the first event.
        pub from_now: bool,
    }

    /// How subscriptions are followed.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Following {
        /// How many events are read at a time.
        pub batch: i64,
        /// How many times an event is tried before it is parked.
        pub tries: u32,
        /// The wait before the second try, doubled before each next one.
        pub backoff: Duration,
        /// The longest wait between two tries.
        pub max_backoff: Duration,
        /// How long a runner that has caught up waits before it looks again.
        pub idle: Duration,
        /// How long a runner holds a subscription after it last acted on
        /// one of its events: no other runner follows it meanwhile, so that
        /// its events are acted on in order. A runner that stopped is
        /// taken over once its lease has run out.
        pub lease: Duration,
    }

    impl Default for Following {
        /// 100 events at a time; 5 tries, 100 ms apart, then 200, 400 and
        /// 800; a look every 200 ms once caught up; a lease of 30 s.
        fn default() -> Self {
            Self {
                batch: 100,
                tries: 5,
                backoff: Duration::from_millis(100),
                max_backoff: Duration::from_secs(5),
                idle: Duration::from_millis(200),
                lease: Duration::from_secs(30),
            }
        }
    }

    impl Following {
        /// The wait after the `tries`th failed try: [`Following::backoff`],
        /// doubled after each try but the first, at most
        /// [`Following::max_backoff`].
        #[must_use]
        pub fn wait(&self, tries: u32) -> Duration {
            let doubling = 1_u32 << tries.saturating_sub(1).min(16);
            self.backoff.saturating_mul(doubling).min(self.max_backoff)
        }
    }

    /// Why a policy did not act on an event.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum Failure {
        /// The model asked refused the command: the event is parked at
        /// once, as it would be refused again.
        Refused(String),
        /// The event cannot be read as its model's: parked at once.
        Unreadable(String),
        /// Anything else (the store out of reach, other writers first every
        /// time, the app's function failing or panicking): the event is
        /// tried again, then parked.
        Failed(String),
    }

    impl std::fmt::Display for Failure {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            match self {
                Failure::Refused(why) => write!(f, "refused: {why}"),
                Failure::Unreadable(why) => write!(f, "unreadable: {why}"),
                Failure::Failed(why) => write!(f, "failed: {why}"),
            }
        }
    }

    impl std::error::Error for Failure {}

    /// What acts on the events its subscriptions follow: the crate's
    /// `Policies`.
    pub trait Act: Sync {
        /// Which subscription an event is acted on for.
        type Policy: Copy + Send + Sync;

        /// Acts on `event` for `policy`.
        fn act(
            &self,
            policy: Self::Policy,
            event: &Positioned,
        ) -> impl std::future::Future<Output = Result<(), Failure>> + Send;

        /// Whether the checkpoint of `policy` is saved after each event
        /// (each one acted on again after a crash is an effect repeated),
        /// rather than after each batch (acting again does nothing new, as
        /// a command sent under its event's key is stored once).
        fn saves_each(&self, policy: Self::Policy) -> bool {
            let _ = policy;
            true
        }
    }

    /// The checkpoint of `subscription`: the position of the last event
    /// it handled. One it does not have yet starts at 0, or under
    /// `from_now` at the last position no event can commit below.
    ///
    /// # Errors
    ///
    /// When the database cannot be read or written.
    pub async fn checkpoint(pool: &Pool, subscription: &Subscription) -> Result<i64, sqlx::Error> {
        let saved: Option<i64> =
            sqlx::query_scalar("SELECT position FROM esgen_subscriptions WHERE name = $1")
                .bind(subscription.name)
                .fetch_optional(pool)
                .await?;
        if let Some(position) = saved {
            return Ok(position);
        }
        let start: i64 = if subscription.from_now {
{%- if sqlite %}
            sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) FROM events")
                .fetch_one(pool)
                .await?
{%- else %}
            sqlx::query_scalar(
                "SELECT COALESCE(MAX(position), 0) FROM events \
                 WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())",
            )
            .fetch_one(pool)
            .await?
{%- endif %}
        } else {
            0
        };
        sqlx::query(
            "INSERT INTO esgen_subscriptions (name, position) VALUES ($1, $2) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(subscription.name)
        .bind(start)
        .execute(pool)
        .await?;
        sqlx::query_scalar("SELECT position FROM esgen_subscriptions WHERE name = $1")
            .bind(subscription.name)
            .fetch_one(pool)
            .await
    }

    /// At most `limit` events of `model` after `after`, in the order of
    /// their positions and skipping none (as [`read_all`]), each with the
    /// reason it cannot be read, if it cannot.
    async fn read_model(
        pool: &Pool,
        model: &str,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(Positioned, Option<String>)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT position, aggregate_type, aggregate_id, sequence, event_type, event_version, \
             CAST(payload AS TEXT) AS payload FROM events \
{%- if sqlite %}
             WHERE position > $1 AND aggregate_type = $3 \
{%- else %}
             WHERE position > $1 AND aggregate_type = $3 \
             AND transaction_id < pg_snapshot_xmin(pg_current_snapshot()) \
{%- endif %}
             ORDER BY position LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .bind(model)
        .fetch_all(pool)
        .await?;
        rows.iter()
            .map(|row| {
                let text: String = row.try_get("payload")?;
                let (payload, unreadable) = match text.parse::<JsonValue>() {
                    Ok(payload) => (payload, None),
                    Err(e) => (
                        JsonValue::Null,
                        Some(format!("its payload is not JSON serde reads: {e}")),
                    ),
                };
                let event = Positioned {
                    position: row.try_get("position")?,
                    model: row.try_get("aggregate_type")?,
                    stream: row.try_get("aggregate_id")?,
                    sequence: row.try_get("sequence")?,
                    event_type: row.try_get("event_type")?,
                    event_version: row.try_get("event_version")?,
                    payload,
                };
                Ok((event, unreadable))
            })
            .collect()
    }

    /// Takes or keeps the subscription `name` for the runner `owner`, for
    /// `lease` from now: `false` when another runner holds it.
    async fn claim(
        pool: &Pool,
        name: &str,
        owner: &str,
        lease: Duration,
    ) -> Result<bool, sqlx::Error> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let millis = |d: Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
        let claimed = sqlx::query(
            "UPDATE esgen_subscriptions SET owner = $2, lease_until = $3 \
             WHERE name = $1 AND (owner = $2 OR owner IS NULL OR lease_until < $4)",
        )
        .bind(name)
        .bind(owner)
        .bind(millis(now.saturating_add(lease)))
        .bind(millis(now))
        .execute(pool)
        .await?;
        Ok(claimed.rows_affected() == 1)
    }

    /// Acts on the events of `subscription` after its checkpoint, at most
    /// [`Following::batch`] of them, in the order of their positions (so
    /// each stream's in its order), and moves the checkpoint past them:
    /// after each, or after the batch when acting again is harmless
    /// ([`Act::saves_each`]).
    /// The runner `owner` holds the subscription meanwhile
    /// ([`Following::lease`]); while another runner holds it, it reads
    /// nothing.
    /// An event `act` fails on is tried again after [`Following::wait`],
    /// [`Following::tries`] times in all, then parked in
    /// `esgen_dead_letters` with its error; one it refuses, or that cannot
    /// be read, is parked at once. Either way the subscription moves on. A
    /// panic in `act` is a failure. Returns how many events it read: 0
    /// when the subscription has caught up.
    ///
    /// # Errors
    ///
    /// When the database cannot be read or written; the checkpoint is then
    /// where the last event handled left it.
    pub async fn follow<A: Act>(
        pool: &Pool,
        policy: A::Policy,
        subscription: &Subscription,
        following: &Following,
        owner: &str,
        act: &A,
    ) -> Result<usize, sqlx::Error> {
        checkpoint(pool, subscription).await?;
        if !claim(pool, subscription.name, owner, following.lease).await? {
            return Ok(0);
        }
        // Read after the claim: a runner that held it before may have
        // moved the checkpoint meanwhile.
        let mut claimed = std::time::Instant::now();
        let after = checkpoint(pool, subscription).await?;
        let events = read_model(pool, subscription.model, after, following.batch.max(1)).await?;
        let each = act.saves_each(policy);
        let mut done = None;
        for (read, (event, unreadable)) in events.iter().enumerate() {
            // The lease is renewed once a third of it has passed.
            if claimed.elapsed() > following.lease / 3 {
                if !claim(pool, subscription.name, owner, following.lease).await? {
                    advance(pool, subscription.name, done).await?;
                    return Ok(read);
                }
                claimed = std::time::Instant::now();
            }
            let mut tries = 0;
            let parked = loop {
                tries += 1;
                let outcome = match unreadable {
                    Some(why) => Err(Failure::Unreadable(why.clone())),
                    None => {
                        let acting = std::panic::AssertUnwindSafe(act.act(policy, event));
                        futures_util::FutureExt::catch_unwind(acting)
                            .await
                            .unwrap_or_else(|panic| Err(Failure::Failed(panicked(&*panic))))
                    }
                };
                match outcome {
                    Ok(()) => break None,
                    Err(Failure::Failed(_)) if tries < following.tries => {
                        tokio::time::sleep(following.wait(tries)).await;
                    }
                    Err(failure) => break Some(failure),
                }
            };
            if let Some(failure) = parked {
                park(pool, subscription.name, event, tries, &failure.to_string()).await?;
            }
            done = Some(event.position);
            if each {
                advance(pool, subscription.name, done.take()).await?;
            }
        }
        advance(pool, subscription.name, done).await?;
        Ok(events.len())
    }

    /// Moves the checkpoint of the subscription `name` forward to
    /// `position`, if there is one (never back).
    async fn advance(pool: &Pool, name: &str, position: Option<i64>) -> Result<(), sqlx::Error> {
        let Some(position) = position else {
            return Ok(());
        };
        sqlx::query(
            "UPDATE esgen_subscriptions SET position = $2 WHERE name = $1 AND position < $2",
        )
        .bind(name)
        .bind(position)
        .execute(pool)
        .await
        .map(|_| ())
    }

    /// What a panic said.
    fn panicked(panic: &(dyn std::any::Any + Send)) -> String {
        let said = panic
            .downcast_ref::<&str>()
            .map(ToString::to_string)
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        format!("panicked: {said}")
    }

    /// Parks `event` for the subscription `name`, after `tries` tries.
    async fn park(
        pool: &Pool,
        name: &str,
        event: &Positioned,
        tries: u32,
        error: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO esgen_dead_letters \
             (subscription, position, aggregate_type, aggregate_id, sequence, event_type, tries, error) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (subscription, position) DO NOTHING",
        )
        .bind(name)
        .bind(event.position)
        .bind(&event.model)
        .bind(&event.stream)
        .bind(event.sequence)
        .bind(&event.event_type)
        .bind(i64::from(tries))
        .bind(error)
        .execute(pool)
        .await
        .map(|_| ())
    }

    /// An event a subscription could not act on, parked.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct DeadLetter {
        /// The subscription (the policy's name).
        pub subscription: String,
        /// The event's place in the whole store.
        pub position: i64,
        /// Its model (`aggregate_type`).
        pub model: String,
        /// Its stream (`aggregate_id`).
        pub stream: String,
        /// Its number in its stream.
        pub sequence: i64,
        /// Its name.
        pub event_type: String,
        /// How many times it was tried.
        pub tries: i64,
        /// The last try's error.
        pub error: String,
    }

    /// Every parked event, by subscription and position.
    ///
    /// # Errors
    ///
    /// When the database cannot be read.
    pub async fn dead_letters(pool: &Pool) -> Result<Vec<DeadLetter>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT subscription, position, aggregate_type, aggregate_id, sequence, event_type, tries, error \
             FROM esgen_dead_letters ORDER BY subscription, position",
        )
        .fetch_all(pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(DeadLetter {
                    subscription: row.try_get("subscription")?,
                    position: row.try_get("position")?,
                    model: row.try_get("aggregate_type")?,
                    stream: row.try_get("aggregate_id")?,
                    sequence: row.try_get("sequence")?,
                    event_type: row.try_get("event_type")?,
                    tries: row.try_get("tries")?,
                    error: row.try_get("error")?,
                })
            })
            .collect()
    }

    /// How many events of its model `subscription` has yet to act on:
    /// its lag.
    ///
    /// # Errors
    ///
    /// When the database cannot be read.
    pub async fn lag(pool: &Pool, subscription: &Subscription) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM events WHERE aggregate_type = $1 AND position > \
             COALESCE((SELECT position FROM esgen_subscriptions WHERE name = $2), 0)",
        )
        .bind(subscription.model)
        .bind(subscription.name)
        .fetch_one(pool)
        .await
    }

    /// The key a policy's command is sent under: the policy's name and the
    /// event that caused it (its model, stream and sequence), so that the
    /// command is stored once however often the event is delivered.
    #[must_use]
    pub fn causation(name: &str, event: &Positioned) -> String {
        format!("{name}:{}/{}/{}", event.model, event.stream, event.sequence)
    }

    /// The event of `event`, read as its model's.
    ///
    /// # Errors
    ///
    /// [`Failure::Unreadable`] when its payload is none of the model's events.
    pub fn read_event<E: DeserializeOwned>(event: &Positioned) -> Result<E, Failure> {
        E::deserialize(&event.payload).map_err(|e| {
            Failure::Unreadable(format!(
                "event {} of the stream `{}` of `{}`: {e}",
                event.sequence, event.stream, event.model
            ))
        })
    }

    /// Sends `command`, if there is one, to the model `cqrs` runs, on the
    /// stream `stream` names, once for `key` ([`execute_once`]). A refusal
    /// is [`Failure::Refused`], unless it says what the model asks could
    /// not be read; that and any other error are [`Failure::Failed`].
    ///
    /// # Errors
    ///
    /// As said.
    pub async fn send<A, C>(
        cqrs: &Cqrs<A>,
        pool: &Pool,
        key: &str,
        command: Option<C>,
        stream: fn(&A::Command) -> String,
    ) -> Result<(), Failure>
    where
        A: cqrs_es::Aggregate<Error = Rejection>,
        C: Into<A::Command>,
    {
        let Some(command) = command else {
            return Ok(());
        };
        let command = command.into();
        let aggregate_id = stream(&command);
        match execute_once(cqrs, pool, &aggregate_id, key, command).await {
            Ok(()) => Ok(()),
            Err(AggregateError::UserError(rejection))
                if rejection.kind != crate::generated::RejectionKind::Unavailable =>
            {
                Err(Failure::Refused(rejection.to_string()))
            }
            Err(error) => Err(Failure::Failed(error.to_string())),
        }
    }

    /// The last position of the store this connection sees.
    ///
    /// # Errors
    ///
    /// When the database cannot be read.
    pub async fn head(pool: &Pool) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) FROM events")
            .fetch_one(pool)
            .await
    }

    /// How many events of `subscription`'s model up to `through` it has
    /// yet to act on.
    ///
    /// # Errors
    ///
    /// When the database cannot be read.
    pub async fn behind(
        pool: &Pool,
        subscription: &Subscription,
        through: i64,
    ) -> Result<i64, sqlx::Error> {
        let after = checkpoint(pool, subscription).await?;
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM events WHERE aggregate_type = $1 AND position > $2 AND position <= $3",
        )
        .bind(subscription.model)
        .bind(after)
        .bind(through)
        .fetch_one(pool)
        .await
    }
{%- endif %}

{%- endif %}
{%- for model in krate.runtime_models %}

    /// The `{{ model.name }}` model stored in {% if sqlite %}SQLite{% else %}PostgreSQL{% endif %}: `execute` loads
    /// the stream `aggregate_id` from its events, proposes the command and
    /// stores the event, failing with `AggregateConflict` when another
    /// writer stored one first; then hands the stored event to each of
    /// `queries`.
{%- if !model.second %}
{{ model.cqrs_signature }}
    where
{%- if model.tables.is_empty() %}
        M: {{ model.rust }}Aggregate + Send + Sync,
    {
        let store = PersistedEventStore::new_event_store(EventRepository::new(pool));
{%- else %}
        M: {{ model.rust }}Aggregate + AsRef<{{ model.state }}> + Send + Sync + 'static,
    {
        let rows = std::sync::Arc::new({{ model.rust }}Rows::<M>(PhantomData));
        let store = PersistedEventStore::new_event_store(EventRepository::with_tables(pool, rows));
{%- endif %}
        CqrsFramework::new(store, queries, ())
    }
{%- else %}
    ///
{%- if model.asks.is_empty() %}
    /// `services` answers what its rules ask of services outside the spec:
    /// the app's clients of them.
{%- else %}
    /// `services` answers what its rules ask of other models:
    /// [`{{ model.rust }}Stored`] reads them from the same database.
{%- endif %}
{{ model.handle_signature }}
    where
{%- if model.tables.is_empty() %}
        M: {{ model.rust }}Aggregate + Send + Sync,
        Asks: {{ model.pg_bound }},
    {
        let store = PersistedEventStore::new_event_store(EventRepository::new(pool));
{%- else %}
        M: {{ model.rust }}Aggregate + AsRef<{{ model.state }}> + Send + Sync + 'static,
        Asks: {{ model.pg_bound }},
    {
        let rows = std::sync::Arc::new({{ model.rust }}Rows::<M>(PhantomData));
        let store = PersistedEventStore::new_event_store(EventRepository::with_tables(pool, rows));
{%- endif %}
        CqrsFramework::new(store, queries, services)
    }
{%- endif %}
{%- if let Some(snapshot) = model.snapshot %}

    /// [`{{ model.prefix }}_cqrs`], with a snapshot of each stream taken every
    /// `every` events (at least 1) and stored in the transaction of the
    /// event that completes it: a command loads the stream's latest
    /// snapshot and the events after it, not its whole history. A snapshot
    /// is the model's state, [`{{ model.state }}`](crate::generated::{{ model.module }}::{{ model.state }}):
    /// use this when `M` keeps nothing else (the skeleton's aggregate keeps
    /// nothing else). A snapshot written for another shape of the model's
    /// entities, events or effects, or that cannot be read, is passed over
    /// and the stream replayed from its first event.
{{ snapshot.signature }}
    where
{%- if model.tables.is_empty() %}
        M: {{ model.rust }}Aggregate + Send + Sync,
{%- else %}
        M: {{ model.rust }}Aggregate + AsRef<{{ model.state }}> + Send + Sync + 'static,
{%- endif %}
{%- if model.second %}
        Asks: {{ model.pg_bound }},
{%- endif %}
    {
{%- if model.tables.is_empty() %}
        let repository = EventRepository::new(pool);
{%- else %}
        let rows = std::sync::Arc::new({{ model.rust }}Rows::<M>(PhantomData));
        let repository = EventRepository::with_tables(pool, rows);
{%- endif %}
        let store = PersistedEventStore::new_snapshot_store(repository, every.max(1));
        CqrsFramework::new(store, queries, {% if model.second %}services{% else %}(){% endif %})
    }
{%- endif %}

{%- if !model.stream_arms.is_empty() %}

    /// Executes `command` on its own stream, [`super::{{ model.stream_fn }}`]:
    /// what `cqrs.execute` does, with no stream to name wrong.
    ///
    /// # Errors
    ///
    /// As `execute`: the rejection, a conflict, or the database's error.
{{ model.execute_signature }}
    where
        M: {{ model.rust }}Aggregate + Send + Sync,
{%- if model.second %}
        Asks: {{ model.pg_bound }},
{%- endif %}
    {
        let stream = super::{{ model.stream_fn }}(&command);
        cqrs.execute(&stream, command).await
    }
{%- endif %}

    /// The `{{ model.name }}` model's stream `aggregate_id` as stored: its
    /// events replayed into `M`{% if model.snapshot.is_some() && !model.second %} (from its latest snapshot, if any, and the
    /// events after it){% endif %}, as a restarted program finds it.
    ///
    /// # Errors
    ///
    /// When the database cannot be read, or a stored event cannot be read
    /// back as one of the model's.
{{ model.load_signature }}
    where
        M: {{ model.rust }}Aggregate + Send + Sync,
    {
        let repository = EventRepository::new(pool.clone());
{{ model.load_store }}
        Ok(store.load_aggregate(aggregate_id).await?.aggregate.0)
    }
{%- for history in model.histories %}

{{ history }}
{%- endfor %}
{%- if let Some(migration) = model.migration %}

    /// Migrates the running stream `from` of `{{ model.name }}` (`Evolution:`:
    /// `migrate by`): loads the model its events built, hands it to
    /// [`crate::evolution::{{ migration }}`], and writes the streams that returns,
    /// each from its first event, in one transaction. Returns their names.
    ///
    /// Pause the writers of `from` first: if its stream moved since it was
    /// loaded, nothing is written and the result is `AggregateConflict`, as
    /// it is when one of the new streams already exists. `from` keeps its
    /// events, as history; send commands to the new streams.
    ///
    /// # Errors
    ///
    /// A conflict as above, or when the database cannot be read or written.
{{ model.migrate_signature }}
    where
        M: {{ model.rust }}Aggregate + {{ model.rust }}Queries + Send + Sync,
    {
        let model = crate::generated::{{ model.module }}::STORED_AS;
        let last =
            "SELECT max(sequence) FROM events WHERE aggregate_type = $1 AND aggregate_id = $2";
        let old: M = {{ model.prefix }}_load(pool, from).await?;
        let loaded: Option<i64> = sqlx::query_scalar(last)
            .bind(model)
            .bind(from)
            .fetch_one(pool)
            .await
            .map_err(reported)?;
        let streams = crate::evolution::{{ migration }}(&old);
        let mut tx = pool.begin().await.map_err(reported)?;
        let now: Option<i64> = sqlx::query_scalar(last)
            .bind(model)
            .bind(from)
            .fetch_one(&mut *tx)
            .await
            .map_err(reported)?;
        if now != loaded {
            return Err(AggregateError::AggregateConflict);
        }
        for (stream, events) in &streams {
            for (sequence, event) in (1_i64..).zip(events) {
                sqlx::query(
                    "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, payload, metadata) \
                     VALUES ($1, $2, $3, $4, $5, $6, '{}')",
                )
                .bind(model)
                .bind(stream)
                .bind(sequence)
                .bind(event.event_type())
                .bind(event.event_version())
                .bind(Json(event))
                .execute(&mut *tx)
                .await
                .map_err(reported)?;
            }
        }
        tx.commit().await.map_err(reported)?;
{%- if !model.tables.is_empty() %}
        for (stream, _) in &streams {
            {{ model.prefix }}_refresh::<M>(pool, stream).await?;
        }
{%- endif %}
        Ok(streams.into_iter().map(|(stream, _)| stream).collect())
    }
{%- endif %}
{%- if model.second %}

    /// `{{ model.name }}` as replayed from its events: proposing asks nothing,
    /// as nothing is proposed while loading.
    #[derive(Debug, Default)]
    struct {{ model.rust }}Replay<M>(M);

    impl<M> serde::Serialize for {{ model.rust }}Replay<M> {
        fn serialize<S: serde::Serializer>(&self, _serializer: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom(super::NO_SNAPSHOTS))
        }
    }

    impl<'de, M> serde::Deserialize<'de> for {{ model.rust }}Replay<M> {
        fn deserialize<D: serde::Deserializer<'de>>(_deserializer: D) -> Result<Self, D::Error> {
            Err(serde::de::Error::custom(super::NO_SNAPSHOTS))
        }
    }

    impl<M> cqrs_es::Aggregate for {{ model.rust }}Replay<M>
    where
        M: {{ model.rust }}Aggregate + Send + Sync,
    {
        const TYPE: &'static str = crate::generated::{{ model.module }}::STORED_AS;
        type Command = {{ model.rust }}Command;
        type Event = {{ model.rust }}Event;
        type Error = Rejection;
        type Services = ();

        async fn handle(
            &mut self,
            command: {{ model.rust }}Command,
            _services: &(),
            _sink: &cqrs_es::event_sink::EventSink<Self>,
        ) -> Result<(), Rejection> {
            Err(Rejection::new(
                command.action(),
                "a replayed aggregate proposes nothing",
            ))
        }

        fn apply(&mut self, event: {{ model.rust }}Event) {
            self.0.accept(&event);
        }
    }

{%- endif %}
{%- if !model.asks.is_empty() %}

    /// What `{{ model.name }}` asks of other models, read from the database
    /// when a command needs it: {% for ask in model.asks %}{% if !loop.first %}; {% endif %}`{{ ask.name }}` {% if ask.stream_arms.is_empty() %}from its materialized
    /// tables, as they stand{% else %}from the one stream that holds
    /// what is asked, as of its last stored event{% endif %}{% endfor %}. Give it to
    /// [`{{ model.prefix }}_cqrs`]; each type parameter is the aggregate you define
    /// for that model.
    #[derive(Debug, Clone)]
    pub struct {{ model.rust }}Stored<{% for ask in model.asks %}{% if !loop.first %}, {% endif %}{{ ask.rust }}{% endfor %}> {
        pool: Pool,
        models: PhantomData<fn() -> ({% for ask in model.asks %}{{ ask.rust }},{% if !loop.last %} {% endif %}{% endfor %})>,
    }

    impl<{% for ask in model.asks %}{% if !loop.first %}, {% endif %}{{ ask.rust }}{% endfor %}> {{ model.rust }}Stored<{% for ask in model.asks %}{% if !loop.first %}, {% endif %}{{ ask.rust }}{% endfor %}> {
        /// The models in the database of `pool`.
        #[must_use]
        pub fn new(pool: Pool) -> Self {
            Self {
                pool,
                models: PhantomData,
            }
        }
    }

    impl<{% for ask in model.asks %}{% if !loop.first %}, {% endif %}{{ ask.rust }}{% endfor %}> {{ model.rust }}Services for {{ model.rust }}Stored<{% for ask in model.asks %}{% if !loop.first %}, {% endif %}{{ ask.rust }}{% endfor %}>
    where
{%- for ask in model.asks %}
        {{ ask.rust }}: {{ ask.bound }},
{%- endfor %}
    {
{%- for ask in model.asks %}
{%- if !loop.first %}
{% endif %}
        type {{ ask.rust }} = {{ ask.rust }};

{{ ask.signature }}
{%- if ask.stream_arms.is_empty() %}
{%- if !ask.every_command_asks %}
            match command {
                {{ ask.view_pattern }} => {}
                _ => return Ok({{ ask.rust }}::default()),
            }
{%- endif %}
            let view = {{ ask.prefix }}_view(&self.pool).await;
            let view = view.map_err(|e| unavailable({{ model.name_literal }}, command.action(), &e))?;
            let mut model = {{ ask.rust }}::default();
            *model.as_mut() = view.0;
            Ok(model)
{%- else %}
            let stream = match command {
{%- for arm in ask.stream_arms %}
{{ arm }}
{%- endfor %}
{%- if !ask.every_command_asks %}
                _ => return Ok({{ ask.rust }}::default()),
{%- endif %}
            };
            let loaded = {{ ask.prefix }}_load(&self.pool, &stream).await;
            loaded.map_err(|e| unavailable({{ model.name_literal }}, command.action(), &e))
{%- endif %}
        }
{%- endfor %}
    }
{%- endif %}
{%- if !model.tables.is_empty() %}

    /// The `{{ model.name }}` model's materialized tables, one row per
    /// {% for table in model.tables %}{% if !loop.first %} and per {% endif %}`{{ table.entity_name }}`{% endfor %}: a cqrs-es query that, after
    /// each stored event, writes the entity its stream holds into its
    /// table, or deletes its row when the entity is gone.
    /// [`{{ model.prefix }}_cqrs`] needs none: its repository writes the
    /// rows in the events' own transaction. For a framework built another
    /// way. [`{{ model.prefix }}_view`] reads the tables.
    #[derive(Debug, Clone)]
    pub struct {{ model.rust }}Tables<M> {
        pool: Pool,
        model: PhantomData<fn() -> M>,
    }

    impl<M> {{ model.rust }}Tables<M> {
        /// The tables in the database of `pool`.
        #[must_use]
        pub fn new(pool: Pool) -> Self {
            Self {
                pool,
                model: PhantomData,
            }
        }
    }

    #[async_trait]
{%- if !model.second %}
    impl<M> Query<{{ model.rust }}Stream<M>> for {{ model.rust }}Tables<M>
    where
        M: {{ model.rust }}Aggregate + AsRef<{{ model.state }}> + Send + Sync,
    {
{%- else %}
    impl<M, Asks> Query<{{ model.rust }}Stream<M, Asks>> for {{ model.rust }}Tables<M>
    where
        M: {{ model.rust }}Aggregate + AsRef<{{ model.state }}> + Send + Sync,
        Asks: {{ model.pg_bound }},
    {
{%- endif %}
{{ model.dispatch_signature }}
            // A cqrs-es query cannot fail: a row left behind is brought up
            // to date by the stream's next event, or by `{{ model.prefix }}_refresh`.
            let _ = {{ model.prefix }}_refresh::<M>(&self.pool, aggregate_id).await;
        }
    }

    /// The rows of `{{ model.name }}`'s materialized tables a stream holds
    /// after its events, written in their transaction by the repository
    /// of [`{{ model.prefix }}_cqrs`].
    struct {{ model.rust }}Rows<M>(PhantomData<fn() -> M>);

    impl<M> {{ model.rust }}Rows<M>
    where
        M: {{ model.rust }}Aggregate + AsRef<{{ model.state }}> + Send + Sync,
    {
        /// `model` after `events`: the rows of the stream `aggregate_id` as of
        /// its event `sequence`, written on `connection`.
        async fn rows(
            connection: &mut Connection,
            aggregate_id: &str,
            mut model: M,
            events: &[SerializedEvent],
            sequence: i64,
        ) -> Result<(), PersistenceError> {
            use crate::generated::{{ model.module }}::{{ model.rust }}Event as Event;
            for event in events {
                let event = <Event as serde::Deserialize>::deserialize(&event.payload)
                    .map_err(|e| PersistenceError::DeserializationError(Box::new(e)))?;
                model.accept(&event);
            }
            let (kind, key) = aggregate_id.split_once('/').unwrap_or((aggregate_id, ""));
            let state = model.as_ref();
{%- for table in model.tables %}
            if kind == "{{ table.kind }}" {
                let row = state.{{ table.field }}.values().next();
                let table = "{{ table.table }}";
                write_row(&mut *connection, table, key, sequence, row)
                    .await
                    .map_err(classified)?;
            }
{%- endfor %}
            Ok(())
        }
    }

    #[async_trait]
    impl<M> TableRows for {{ model.rust }}Rows<M>
    where
        M: {{ model.rust }}Aggregate + AsRef<{{ model.state }}> + Send + Sync,
    {
        async fn write(
            &self,
            connection: &mut Connection,
            aggregate_id: &str,
            events: &[SerializedEvent],
            sequence: i64,
        ) -> Result<(), PersistenceError> {
            Self::rows(connection, aggregate_id, M::default(), events, sequence).await
        }

        async fn write_after_row(
            &self,
            connection: &mut Connection,
            aggregate_id: &str,
            events: &[SerializedEvent],
        ) -> Result<bool, PersistenceError> {
            let (Some(first), Some(last)) = (events.first(), events.last()) else {
                return Ok(false);
            };
            let before = i64::try_from(first.sequence).unwrap_or(i64::MAX) - 1;
            let sequence = i64::try_from(last.sequence).unwrap_or(i64::MAX);
            let (kind, key) = aggregate_id.split_once('/').unwrap_or((aggregate_id, ""));
            let mut model = M::default();
{%- for table in model.tables %}
            if kind == "{{ table.kind }}" && before > 0 {
                let table = "{{ table.table }}";
                let Some(entity) = row_at(connection, table, key, before).await? else {
                    return Ok(false);
                };
                let state: &mut {{ model.state }} = model.as_mut();
                state.{{ table.field }}.insert(entity);
            }
{%- endfor %}
            Self::rows(connection, aggregate_id, model, events, sequence).await?;
            Ok(true)
        }
    }

    /// Writes the entity the stream `aggregate_id` holds into its table,
    /// or deletes its row when the entity is gone: what
    /// [`{{ model.rust }}Tables`] does after each event, to bring a row up to
    /// date by hand.
    ///
    /// # Errors
    ///
    /// When the database cannot be read or written.
{{ model.refresh_signature }}
    where
        M: {{ model.rust }}Aggregate + AsRef<{{ model.state }}> + Send + Sync,
    {
        // The sequence first: the state loaded next reflects it, or a
        // later one.
        let sequence: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(sequence), 0) FROM events WHERE aggregate_type = $1 AND aggregate_id = $2",
        )
        .bind(crate::generated::{{ model.module }}::STORED_AS)
        .bind(aggregate_id)
        .fetch_one(pool)
        .await
        .map_err(reported)?;
        let model: M = {{ model.prefix }}_load(pool, aggregate_id).await?;
        let (kind, key) = aggregate_id.split_once('/').unwrap_or((aggregate_id, ""));
        let state = model.as_ref();
{%- for table in model.tables %}
        if kind == "{{ table.kind }}" {
            let row = state.{{ table.field }}.values().next();
            let table = "{{ table.table }}";
            write_row(pool, table, key, sequence, row)
                .await
                .map_err(reported)?;
        }
{%- endfor %}
        Ok(())
    }

    /// The `{{ model.name }}` model as its materialized tables hold it: every
    /// {% for table in model.tables %}{% if !loop.first %} and every {% endif %}`{{ table.entity_name }}`{% endfor %}, in the order they were created, to answer the
    /// queries over all of them. It reads what the tables held when it was
    /// called: a command stored since then shows in the next view.
    ///
    /// # Errors
    ///
    /// When the database cannot be read, or a row cannot be read back.
{{ model.view_signature }}
        let mut state = {{ model.state }}::default();
{%- for table in model.tables %}
        for row in read_rows(pool, "{{ table.table }}").await? {
            state.{{ table.field }}.insert(row);
        }
{%- endfor %}
        Ok({{ model.rust }}View(state))
    }

    /// The `{{ model.name }}` model as its materialized tables hold it, as the
    /// aggregate `M` you define: every query, those you write by hand
    /// included, answers from the tables, as [`{{ model.prefix }}_view`] reads them.
    ///
    /// # Errors
    ///
    /// When the database cannot be read, or a row cannot be read back.
{{ model.into_signature }}
    where
        M: Default + AsMut<{{ model.state }}>,
    {
        let mut model = M::default();
        *model.as_mut() = {{ model.prefix }}_view(pool).await?.0;
        Ok(model)
    }

    /// Rebuilds every materialized table of `{{ model.name }}` from the events
    /// table, for after restoring a backup, or when rows were lost: every
    /// stream of the model is read first, and only then are the tables
    /// replaced, in one transaction, the rows in the order their streams
    /// began (the order the entities were created in). A stream
    /// that cannot be read stops it with the tables untouched; readers see
    /// the old tables or the new ones, never a part. Returns the number of
    /// streams read.
    ///
    /// # Errors
    ///
    /// When a stream cannot be read, or the database written.
{{ model.rebuild_signature }}
    where
        M: {{ model.rust }}Aggregate + AsRef<{{ model.state }}> + Send + Sync,
    {
        // Each stream and its last sequence, in the order the streams
        // began (their first events, as the table holds them).
        let streams: Vec<(String, i64)> = sqlx::query_as(
            "SELECT first.aggregate_id, (SELECT MAX(last.sequence) FROM events last \
             WHERE last.aggregate_type = first.aggregate_type AND last.aggregate_id = first.aggregate_id) \
             FROM events first WHERE first.aggregate_type = $1 AND first.sequence = 1 ORDER BY first.position",
        )
        .bind(crate::generated::{{ model.module }}::STORED_AS)
        .fetch_all(pool)
        .await
        .map_err(reported)?;
        // Every stream read before anything is written.
        let mut loaded: Vec<(&str, i64, M)> = Vec::new();
        for (stream, sequence) in &streams {
            let model: M = {{ model.prefix }}_load(pool, stream).await?;
            loaded.push((stream, *sequence, model));
        }
        let mut replace = pool.begin().await.map_err(reported)?;
{%- for table in model.tables %}
        sqlx::query("DELETE FROM {{ table.table }}")
            .execute(&mut *replace)
            .await
            .map_err(reported)?;
{%- endfor %}
        for (stream, sequence, model) in &loaded {
            let (kind, key) = stream.split_once('/').unwrap_or((stream, ""));
            let state = model.as_ref();
{%- for table in model.tables %}
            if kind == "{{ table.kind }}" {
                let row = state.{{ table.field }}.values().next();
                let table = "{{ table.table }}";
                write_row(&mut *replace, table, key, *sequence, row)
                    .await
                    .map_err(reported)?;
            }
{%- endfor %}
        }
        replace.commit().await.map_err(reported)?;
        Ok(streams.len())
    }

    /// Brings the materialized tables of `{{ model.name }}` up to date, for
    /// a program's start: a table whose rows have another shape than this
    /// crate's entity (an entity changed since they were written), or no
    /// shape recorded yet, is rebuilt whole ([`{{ model.prefix }}_rebuild`]);
    /// otherwise each row behind its stream, or missing, is refreshed from
    /// it. Returns the number of streams read.
    ///
    /// # Errors
    ///
    /// When a stream cannot be read, or the database written.
{{ model.heal_signature }}
    where
        M: {{ model.rust }}Aggregate + AsRef<{{ model.state }}> + Send + Sync,
    {
        // Each table, and a hash of its entity's fields and their types.
{{ model.shapes_let }}
        let mut stale = false;
        for (table, shape) in shapes {
            let kept: Option<String> =
                sqlx::query_scalar("SELECT shape FROM esgen_tables WHERE name = $1")
                    .bind(table)
                    .fetch_optional(pool)
                    .await
                    .map_err(reported)?;
            stale |= kept.as_deref() != Some(shape);
        }
        let read = if stale {
            {{ model.prefix }}_rebuild::<M>(pool).await?
        } else {
            let behind: Vec<(String,)> = sqlx::query_as(concat!(
                "SELECT streams.aggregate_id FROM (SELECT aggregate_id, MAX(sequence) AS last FROM events ",
                "WHERE aggregate_type = $1 GROUP BY aggregate_id) streams WHERE",
{%- for table in model.tables %}
                "{% if !loop.first %} OR{% endif %} (streams.aggregate_id LIKE '{{ table.kind }}/%' AND NOT EXISTS (SELECT 1 FROM {{ table.table }} r ",
                "WHERE r.key = substr(streams.aggregate_id, {{ table.kind.len() + 2 }}) AND r.sequence >= streams.last))",
{%- endfor %}
            ))
            .bind(crate::generated::{{ model.module }}::STORED_AS)
            .fetch_all(pool)
            .await
            .map_err(reported)?;
            for (stream,) in &behind {
                {{ model.prefix }}_refresh::<M>(pool, stream).await?;
            }
            behind.len()
        };
        for (table, shape) in shapes {
            sqlx::query(
                "INSERT INTO esgen_tables (name, shape) VALUES ($1, $2) \
                 ON CONFLICT (name) DO UPDATE SET shape = excluded.shape",
            )
            .bind(table)
            .bind(shape)
            .execute(pool)
            .await
            .map_err(reported)?;
        }
        Ok(read)
    }

    /// The `{{ model.name }}` model's entities as its materialized tables
    /// hold them{% if model.view_queries %}: its queries answer from them{% endif %}.
    #[derive(Debug, Default, Clone, PartialEq)]
    pub struct {{ model.rust }}View(pub {{ model.state }});

    impl AsRef<{{ model.state }}> for {{ model.rust }}View {
        fn as_ref(&self) -> &{{ model.state }} {
            &self.0
        }
    }
{%- if model.view_queries %}

    impl {{ model.rust }}Queries for {{ model.rust }}View {}
{%- endif %}
{%- endif %}
{%- endfor %}
