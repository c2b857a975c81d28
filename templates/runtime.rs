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
{%- endfor %}
}
