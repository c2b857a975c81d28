//! The models of `{{ krate.spec_file }}` run by cqrs-es (feature `cqrs`), and
//! stored in PostgreSQL (feature `postgres`).
//!
//! Each model with actions is an [`Aggregate`] through a wrapper around
//! the aggregate you define (`<Model>Stream<M>`): cqrs-es loads it by
//! replaying its events, hands it a command, and stores the event it
//! records. The wrapper proposes and accepts exactly as the in-memory
//! aggregate does, so the two never disagree. Events are stored by their
//! spec names (`event_type`) and the version the spec gives them
//! (`event_version`: `1`, or `<n>` for `accepted as <event>@<n>`).
//!
//! A model whose state is generated (every entity in its stores) can be
//! snapshotted: its wrapper serialises that state (`<model>_cqrs_with_snapshots`).
//! Any other is rebuilt from its events only: serialising it is refused.
{%- if !krate.runtime_uses.is_empty() %}
{% for line in krate.runtime_uses %}
{{ line }}
{%- endfor %}
{%- endif %}
{%- for model in krate.runtime_models %}
{%- if !model.second %}

/// The `{{ model.name }}` model as a cqrs-es aggregate: `M` is the
/// aggregate you define for it.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct {{ model.rust }}Stream<M>(pub M);

impl DomainEvent for {{ model.rust }}Event {
    fn event_type(&self) -> String {
{{ model.type_body }}
    }

    fn event_version(&self) -> String {
{{ model.version_body }}
    }
}

impl<M> Aggregate for {{ model.rust }}Stream<M>
where
    M: {{ model.rust }}Aggregate + Send + Sync,
{
    const TYPE: &'static str = super::{{ model.module }}::STORED_AS;
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
{%- if !model.stream_arms.is_empty() %}
        {{ model.stream_fn }}_own(&self.0, &command)?;
{%- endif %}
        let event = self.0.propose(command)?;
        // The event is applied where it is stored, once: cqrs-es's snapshot
        // store applies the events it commits to the aggregate it loaded.
        sink.write(event, &mut Self::default()).await;
        Ok(())
    }

    fn apply(&mut self, event: {{ model.rust }}Event) {
        self.0.accept(&event);
    }
}
{%- else %}

{%- if model.asks.is_empty() %}

/// The `{{ model.name }}` model as a cqrs-es aggregate: `M` is the
/// aggregate you define for it, `Asks` what answers the queries its rules
/// ask of services outside the spec ({{ model.services_doc }}).
{%- else %}

/// The `{{ model.name }}` model as a cqrs-es aggregate: `M` is the
/// aggregate you define for it, `Asks` what answers the queries its rules
/// ask of other models ([`{{ model.rust }}Services`]).
{%- endif %}
#[derive(Debug, Clone, PartialEq)]
pub struct {{ model.rust }}Stream<M, Asks>(pub M, PhantomData<fn() -> Asks>);

impl<M: Default, Asks> Default for {{ model.rust }}Stream<M, Asks> {
    fn default() -> Self {
        Self(M::default(), PhantomData)
    }
}

impl DomainEvent for {{ model.rust }}Event {
    fn event_type(&self) -> String {
{{ model.type_body }}
    }

    fn event_version(&self) -> String {
{{ model.version_body }}
    }
}

{%- if !model.asks.is_empty() %}

/// What the rules of `{{ model.name }}` ask of other models when it proposes:
/// the cqrs-es `Services` of [`{{ model.rust }}Stream`], read before each command.
/// `{{ model.rust }}Stored` (feature `postgres`) reads them from the database;
/// implement it to answer another way, from models held in memory in a
/// test for instance.
pub trait {{ model.rust }}Services: Send + Sync {
{%- for ask in model.asks %}
{%- if !loop.first %}
{% endif %}
    /// What answers the queries `{{ model.name }}` asks of `{{ ask.name }}`.
    type {{ ask.rust }}: {{ ask.rust }}Queries + Send;

    /// `{{ ask.name }}` as `command` needs it.
    ///
    /// # Errors
    ///
    /// The rejection of the command when `{{ ask.name }}` cannot be read.
    fn {{ ask.method }}(
        &self,
        command: &{{ model.rust }}Command,
    ) -> impl Future<Output = Result<Self::{{ ask.rust }}, Rejection>> + Send;
{%- endfor %}
}
{%- endif %}

impl<M, Asks> Aggregate for {{ model.rust }}Stream<M, Asks>
where
    M: {{ model.rust }}Aggregate + Send + Sync,
    Asks: {{ model.bound }},
{
    const TYPE: &'static str = super::{{ model.module }}::STORED_AS;
    type Command = {{ model.rust }}Command;
    type Event = {{ model.rust }}Event;
    type Error = Rejection;
    type Services = Asks;

    async fn handle(
        &mut self,
        command: {{ model.rust }}Command,
        services: &Asks,
        sink: &EventSink<Self>,
    ) -> Result<(), Rejection> {
{%- if !model.stream_arms.is_empty() %}
        {{ model.stream_fn }}_own(&self.0, &command)?;
{%- endif %}
{%- for ask in model.asks %}
        let {{ ask.method }} = services.{{ ask.method }}(&command).await?;
{%- endfor %}
{%- if model.served %}
        let proposed = self.0.propose(command{% for ask in model.asks %}, &{{ ask.method }}{% endfor %}, services);
        let event = proposed.await?;
{%- else %}
        let event = self.0.propose(command{% for ask in model.asks %}, &{{ ask.method }}{% endfor %})?;
{%- endif %}
        // The event is applied where it is stored, once: cqrs-es's snapshot
        // store applies the events it commits to the aggregate it loaded.
        sink.write(event, &mut Self::default()).await;
        Ok(())
    }

    fn apply(&mut self, event: {{ model.rust }}Event) {
        self.0.accept(&event);
    }
}
{%- endif %}
{%- if let Some(snapshot) = model.snapshot %}

/// The shape of what a snapshot of `{{ model.name }}` holds and of how its
/// events change it: a snapshot of another shape is not read, and the
/// stream is replayed from its first event instead.
const {{ snapshot.shape_const }}: &str = "{{ snapshot.shape }}";

/// A snapshot of `{{ model.name }}` is its state, [`{{ model.state }}`]: every
/// entity, in the order added, with the shape of the code that wrote it.
impl<{{ model.generics }}> Serialize for {{ model.rust }}Stream<{{ model.generics }}>
where
    M: {{ model.rust }}Aggregate,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let state: &{{ model.state }} = self.0.as_ref();
        let mut snapshot = serializer.serialize_struct("{{ model.rust }}Snapshot", {{ snapshot.len }})?;
        snapshot.serialize_field("@shape", {{ snapshot.shape_const }})?;
{%- for write in snapshot.writes %}
{{ write }}
{%- endfor %}
        snapshot.end()
    }
}

/// The aggregate a snapshot holds: `M`'s default, with the snapshot's state.
impl<'de, {{ model.generics }}> Deserialize<'de> for {{ model.rust }}Stream<{{ model.generics }}>
where
    M: {{ model.rust }}Aggregate,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// A snapshot, as written.
        #[derive(Deserialize)]
        struct Snapshot {
            #[serde(rename = "@shape")]
            shape: String,
{%- for (field, ty) in snapshot.own %}
            {{ field }}: {{ ty }},
{%- endfor %}
{%- for (field, entity) in snapshot.stores %}
            {{ field }}: Vec<{{ entity }}>,
{%- endfor %}
        }
        let snapshot = Snapshot::deserialize(deserializer)?;
        if snapshot.shape != {{ snapshot.shape_const }} {
            return Err(serde::de::Error::custom(
                "a snapshot of another shape of the model: its stream is replayed instead",
            ));
        }
        let mut model = M::default();
        let state: &mut {{ model.state }} = model.as_mut();
{%- for (field, _) in snapshot.own %}
        state.{{ field }} = snapshot.{{ field }};
{%- endfor %}
{%- for (field, _) in snapshot.stores %}
        for entity in snapshot.{{ field }} {
            state.{{ field }}.insert(entity);
        }
{%- endfor %}
        Ok(Self(model{% if model.second %}, PhantomData{% endif %}))
    }
}
{%- else %}

impl<{{ model.generics }}> Serialize for {{ model.rust }}Stream<{{ model.generics }}> {
    fn serialize<S: Serializer>(&self, _serializer: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom(NO_SNAPSHOTS))
    }
}

impl<'de, {{ model.generics }}> Deserialize<'de> for {{ model.rust }}Stream<{{ model.generics }}> {
    fn deserialize<D: Deserializer<'de>>(_deserializer: D) -> Result<Self, D::Error> {
        Err(serde::de::Error::custom(NO_SNAPSHOTS))
    }
}
{%- endif %}
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

/// `Ok` when `command` is on the stream `model` was loaded from, as far
/// as the entity it holds tells; else the rejection (`<action>/stream`).
{{ model.own_signature }}
where
    M: AsRef<super::{{ model.module }}::{{ model.state }}>,
{
    let stream = {{ model.stream_fn }}(command);
    let held = {{ model.stream_fn }}_held(model);
    let Some(held) = held.filter(|held| *held != stream) else {
        return Ok(());
    };
    let message = format!(
        "`{}` is about `{stream}`, but was sent to the stream `{held}`: execute it on {{ model.stream_fn }}(&command)",
        command.action()
    );
    let mut refused = Rejection::by_rule(
        super::{{ model.module }}::MODEL,
        command.action(),
        "stream",
        super::RejectionKind::Invalid,
        message,
    );
    refused.rule = format!("{}/stream", command.action()).into();
    Err(refused)
}

/// The stream whose events `model` holds, read off the entity it holds;
/// `None` while it holds none. A command is refused on a stream that is
/// not its own (`<action>/stream`), so that it cannot change or skip the
/// rules of another entity.
fn {{ model.stream_fn }}_held<M>(model: &M) -> Option<String>
where
    M: AsRef<super::{{ model.module }}::{{ model.state }}>,
{
    let state = model.as_ref();
{%- for (field, prefix, key) in model.held %}
    if let Some(entity) = state.{{ field }}.values().next() {
        let key = &entity.{{ key }};
        return Some(format!("{{ prefix }}/{key}"));
    }
{%- endfor %}
    None
}
{%- endif %}
{%- endfor %}
{%- if krate.snapshots %}

/// The entities a store holds, in the order added, as a snapshot lists them.
fn entities<K, V>(store: &super::Store<K, V>) -> Vec<&V>
where
    K: Eq + std::hash::Hash + Clone,
    V: super::Keyed<Key = K>,
{
    store.values().collect()
}
{%- endif %}
{%- if krate.no_snapshots %}

const NO_SNAPSHOTS: &str =
    "this aggregate is rebuilt from its events only: use cqrs-es's event store, not snapshots";
{%- endif %}

#[cfg(feature = "postgres")]
pub use postgres::*;

/// The models over PostgreSQL (feature `postgres`).
#[cfg(feature = "postgres")]
pub mod postgres {
{%- for line in krate.postgres_uses %}
    {{ line }}
{%- endfor %}
{%- let sqlite = false %}
{% include "store.rs" %}
}

/// The models over SQLite (feature `sqlite`): the same functions and
/// types as over PostgreSQL, in a file.
#[cfg(feature = "sqlite")]
pub mod sqlite {
{%- for line in krate.sqlite_uses %}
    {{ line }}
{%- endfor %}
{%- let sqlite = true %}
{% include "store.rs" %}
}
