//! The models of `{{ krate.spec_file }}` run by cqrs-es (feature `cqrs`), and
//! stored in PostgreSQL through postgres-es (feature `postgres`).
//!
//! Each model with actions is an [`Aggregate`] through a wrapper around
//! the aggregate you define (`<Model>Stream<Todos>`): cqrs-es loads it by
//! replaying its events, hands it a command, and stores the event it
//! records. The wrapper proposes and accepts exactly as the in-memory
//! aggregate does, so the two never disagree. Events are stored by their
//! spec names (`event_type`) at version `1`.
//!
//! Aggregates are rebuilt from their events, never from snapshots:
//! serialising one is refused.
{%- if !krate.runtime_uses.is_empty() %}
{% for line in krate.runtime_uses %}
{{ line }}
{%- endfor %}
{%- endif %}
{%- for model in krate.runtime_models %}

/// The `{{ model.name }}` model as a cqrs-es aggregate: `M` is the
/// aggregate you define for it.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct {{ model.rust }}Stream<M>(pub M);

impl<M> Serialize for {{ model.rust }}Stream<M> {
    fn serialize<S: Serializer>(&self, _serializer: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom(NO_SNAPSHOTS))
    }
}

impl<'de, M> Deserialize<'de> for {{ model.rust }}Stream<M> {
    fn deserialize<D: Deserializer<'de>>(_deserializer: D) -> Result<Self, D::Error> {
        Err(serde::de::Error::custom(NO_SNAPSHOTS))
    }
}

impl DomainEvent for {{ model.rust }}Event {
    fn event_type(&self) -> String {
        self.name().to_string()
    }

    fn event_version(&self) -> String {
        String::from("1")
    }
}

impl<M> Aggregate for {{ model.rust }}Stream<M>
where
    M: {{ model.rust }}Aggregate + Send + Sync,
{
    const TYPE: &'static str = super::{{ model.module }}::MODEL;
    type Command = {{ model.rust }}Command;
    type Event = {{ model.rust }}Event;
    type Error = Rejection;
    type Services = ();

    async fn handle(
        &mut self,
        command: {{ model.rust }}Command,
        _services: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), Rejection> {
        let event = self.0.propose(command)?;
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: {{ model.rust }}Event) {
        self.0.accept(&event);
    }
}
{%- if !model.stream_arms.is_empty() %}

/// Where a command of `{{ model.name }}` is stored: each {{ model.stream_entities|join(" and each ") }} is a
/// stream of its own (`{{ model.stream_example }}`), as every action carries one
/// entity's key and touches only that entity. A command loads only its
/// entity's events, and commands on different entities never conflict.
pub fn {{ model.stream_fn }}(command: &{{ model.rust }}Command) -> String {
    match command {
{%- for arm in model.stream_arms %}
{{ arm }}
{%- endfor %}
    }
}
{%- endif %}
{%- endfor %}
{%- if !krate.runtime_models.is_empty() %}

const NO_SNAPSHOTS: &str =
    "esgen's aggregates are rebuilt from their events: use cqrs-es's event store, not snapshots";
{%- endif %}

#[cfg(feature = "postgres")]
pub use postgres::*;

/// The models over PostgreSQL (feature `postgres`).
#[cfg(feature = "postgres")]
mod postgres {
{%- for line in krate.postgres_uses %}
    {{ line }}
{%- endfor %}

    /// The tables the crate stores its events in (`schema.sql`), created
    /// only when missing.
    pub const SCHEMA: &str = include_str!("../../schema.sql");

    /// A pool of at most `max_connections` connections to the database at
    /// `url` (`postgres://user:password@host:port/database`).
    ///
    /// # Errors
    ///
    /// When the database cannot be reached.
    pub async fn connect(url: &str, max_connections: u32) -> Result<PgPool, sqlx::Error> {
        PgPoolOptions::new()
            .max_connections(max_connections)
            .connect(url)
            .await
    }
{% if krate.has_tables %}
    /// Upserts `row` as the row `key` of `table`, or deletes the row when
    /// there is none.
    async fn write_row<T: Serialize + Sync>(
        pool: &PgPool,
        table: &str,
        key: &str,
        row: Option<&T>,
    ) -> Result<(), AggregateError<Rejection>> {
        let written = match row {
            Some(row) => {
                let sql = format!(
                    "INSERT INTO {table} (key, payload) VALUES ($1, $2) \
                     ON CONFLICT (key) DO UPDATE SET payload = excluded.payload"
                );
                sqlx::query(&sql)
                    .bind(key)
                    .bind(Json(row))
                    .execute(pool)
                    .await
            }
            None => {
                let sql = format!("DELETE FROM {table} WHERE key = $1");
                sqlx::query(&sql).bind(key).execute(pool).await
            }
        };
        written
            .map(|_| ())
            .map_err(|e| AggregateError::DatabaseConnectionError(Box::new(e)))
    }

    /// Every row of `table`, in the order they were first written.
    async fn read_rows<T>(pool: &PgPool, table: &str) -> Result<Vec<T>, sqlx::Error>
    where
        T: DeserializeOwned + Send + Unpin + 'static,
    {
        let sql = format!("SELECT payload FROM {table} ORDER BY position");
        let rows: Vec<(Json<T>,)> = sqlx::query_as(&sql).fetch_all(pool).await?;
        Ok(rows.into_iter().map(|(Json(row),)| row).collect())
    }
{% endif %}
    /// Creates the tables of [`SCHEMA`] that are missing.
    ///
    /// # Errors
    ///
    /// When the database refuses a statement.
    pub async fn migrate(pool: &PgPool) -> Result<(), sqlx::Error> {
        sqlx::raw_sql(SCHEMA).execute(pool).await.map(|_| ())
    }
{%- for model in krate.runtime_models %}

    /// The `{{ model.name }}` model stored in PostgreSQL: `execute` loads
    /// the stream `aggregate_id` from its events, proposes the command and
    /// stores the event, failing with `AggregateConflict` when another
    /// writer stored one first; then hands the stored event to each of
    /// `queries`.
{{ model.cqrs_signature }}
    where
        M: {{ model.rust }}Aggregate + Send + Sync,
    {
        postgres_es::postgres_cqrs(pool, queries, ())
    }

    /// The `{{ model.name }}` model's stream `aggregate_id` as stored: its
    /// events replayed into `M`, as a restarted program finds it.
    ///
    /// # Errors
    ///
    /// When the database cannot be read, or a stored event cannot be read
    /// back as one of the model's.
{{ model.load_signature }}
    where
        M: {{ model.rust }}Aggregate + Send + Sync,
    {
        let repository = PostgresEventRepository::new(pool.clone());
{{ model.load_store }}
        Ok(store.load_aggregate(aggregate_id).await?.aggregate.0)
    }
{%- if !model.tables.is_empty() %}

    /// The `{{ model.name }}` model's materialized tables, one row per
    /// {% for table in model.tables %}{% if !loop.first %} and per {% endif %}`{{ table.entity_name }}`{% endfor %}: a cqrs-es query that, after
    /// each stored event, writes the entity its stream holds into its
    /// table, or deletes its row when the entity is gone. Give it to
    /// [`{{ model.prefix }}_cqrs`]; [`{{ model.prefix }}_view`] reads the tables.
    #[derive(Debug, Clone)]
    pub struct {{ model.rust }}Tables<M> {
        pool: PgPool,
        model: PhantomData<fn() -> M>,
    }

    impl<M> {{ model.rust }}Tables<M> {
        /// The tables in the database of `pool`.
        #[must_use]
        pub fn new(pool: PgPool) -> Self {
            Self {
                pool,
                model: PhantomData,
            }
        }
    }

    #[async_trait]
    impl<M> Query<{{ model.rust }}Stream<M>> for {{ model.rust }}Tables<M>
    where
        M: {{ model.rust }}Aggregate + AsRef<{{ model.state }}> + Send + Sync,
    {
{{ model.dispatch_signature }}
            // A cqrs-es query cannot fail: a row left behind is brought up
            // to date by the stream's next event, or by `{{ model.prefix }}_refresh`.
            let _ = {{ model.prefix }}_refresh::<M>(&self.pool, aggregate_id).await;
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
        let model: M = {{ model.prefix }}_load(pool, aggregate_id).await?;
        let (kind, key) = aggregate_id.split_once('/').unwrap_or((aggregate_id, ""));
        let state = model.as_ref();
{%- for table in model.tables %}
        if kind == "{{ table.kind }}" {
            let row = state.{{ table.field }}.values().next();
            write_row(pool, "{{ table.table }}", key, row).await?;
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
}
