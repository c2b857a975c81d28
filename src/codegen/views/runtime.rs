//! The runtime glue (`src/generated/runtime.rs`): each model as a
//! cqrs-es aggregate, over PostgreSQL with its snapshots and materialized
//! tables, and the `use` lines of both.

use super::asks::{ask_view, AskView};
use crate::codegen::rust::inert;
use crate::model::ir::Spec;

/// A model as the runtime glue names it.
pub struct RuntimeModel {
    /// As written.
    pub name: String,
    /// The aggregate's type name.
    pub rust: String,
    /// The module.
    pub module: String,
    /// The signature of the function that builds its PostgreSQL
    /// framework (`todos_cqrs`), laid out.
    pub cqrs_signature: String,
    /// The signature of the function that loads a stream (`todos_load`).
    pub load_signature: String,
    /// Its `let store = …;` line, laid out.
    pub load_store: String,
    /// When each entity is its own stream: the function naming a
    /// command's stream (`todos_stream`), and its match arms.
    pub stream_fn: String,
    /// As above.
    pub stream_arms: Vec<String>,
    /// The entities that are streams, as written (`Todo`).
    pub stream_entities: Vec<String>,
    /// A stream's name, for the docs (`todo/<id>`).
    pub stream_example: String,
    /// When each entity is its own stream: per such store, its field in
    /// the state, its streams' prefix and its key's Rust name — what tells
    /// which stream a loaded aggregate is.
    pub held: Vec<(String, String, String)>,
    /// The materialized tables of a split model: one per entity that is a
    /// stream.
    pub tables: Vec<TableView>,
    /// `AccountsState`.
    pub state: String,
    /// Whether every query is generated (the view implements the queries
    /// trait).
    pub view_queries: bool,
    /// `fn {module}_refresh<M>(…) -> …`, laid out.
    pub refresh_signature: String,
    /// `fn {module}_view(…) -> …`, laid out.
    pub view_signature: String,
    /// `fn {module}_tables_into<M>(…) -> …`, laid out.
    pub into_signature: String,
    /// `fn {module}_rebuild<M>(…) -> …`, laid out.
    pub rebuild_signature: String,
    /// `{prefix}_heal`'s signature, laid out.
    pub heal_signature: String,
    /// `let shapes = [(table, shape), …];` for `{prefix}_heal`, laid out.
    pub shapes_let: String,
    /// `impl<M> Query<…> for …Tables<M>`, laid out.
    pub dispatch_signature: String,
    /// The model's function prefix (`accounts`).
    pub prefix: String,
    /// The readers of its history queries, from the stored events.
    pub histories: Vec<String>,
    /// The other models its rules ask: its aggregate then takes their
    /// answers as cqrs-es `Services`.
    pub asks: Vec<AskView>,
    /// Whether its wrapper has a second parameter, its cqrs-es `Services`:
    /// it asks other models or services outside the spec.
    pub second: bool,
    /// Whether its rules ask services outside the spec.
    pub served: bool,
    /// The bound on the `Services` parameter, in the runtime module.
    pub bound: String,
    /// The same bound, in its `postgres` module.
    pub pg_bound: String,
    /// The service traits, linked for docs (`[`Atm`](super::bank::Atm)`).
    pub services_doc: String,
    /// `fn {module}_cqrs<M…>(…) -> …` of a model that asks others, laid
    /// out (`cqrs_signature` otherwise).
    pub handle_signature: String,
    /// `{prefix}_execute`'s signature, laid out, for a model split into
    /// one stream per entity.
    pub execute_signature: String,
    /// `{prefix}_stream_own`'s signature, laid out.
    pub own_signature: String,
    /// Its name as a Rust string literal.
    pub name_literal: String,
    /// The body of `event_version`, laid out at 8.
    pub version_body: String,
    /// The body of `event_type`, laid out at 8.
    pub type_body: String,
    /// `migrate by <function>`: the function's Rust name.
    pub migration: Option<String>,
    /// `fn {module}_migrate<M>(…) -> …`, laid out.
    pub migrate_signature: String,
    /// The wrapper's generic parameters: `M`, or `M, Asks`.
    pub generics: String,
    /// How its aggregate is snapshotted, when its state is the model's
    /// generated state (every entity in stores).
    pub snapshot: Option<SnapshotView>,
}

/// A model's snapshots: its state's stores, written and read back.
pub struct SnapshotView {
    /// The const holding the state's shape (`CLINIC_SHAPE`).
    pub shape_const: String,
    /// A hash of what the state is made from and how events change it:
    /// a snapshot of another shape is not read.
    pub shape: String,
    /// Each store: the state's field and the entity's type.
    pub stores: Vec<(String, String)>,
    /// Each field of the model's `State:`: its name and type.
    pub own: Vec<(String, String)>,
    /// How many fields a snapshot has, `@shape` included.
    pub len: usize,
    /// Each field's and store's `snapshot.serialize_field(…)?;`, laid out.
    pub writes: Vec<String>,
    /// `{prefix}_cqrs_with_snapshots`'s signature, laid out.
    pub signature: String,
}

/// A materialized table: one row per entity.
pub struct TableView {
    /// The table's name (`accounts_accounts`).
    pub table: String,
    /// The state's field (`accounts`).
    pub field: String,
    /// The entity as written, for the docs.
    pub entity_name: String,
    /// The plural as written, for the docs.
    pub plural: String,
    /// The streams' prefix (`account`).
    pub kind: String,

    /// The shape of its rows, as `<model>_heal` compares it with the
    /// table's: the entity's fields and their types.
    pub shape: String,
}

/// `    pub {keywords} {name}({params}) -> {returns}` before a `where`
/// clause, laid out.
fn where_signature(keywords: &str, name: &str, params: &[&str], returns: &str) -> String {
    crate::codegen::rust::signature_with(
        4,
        &format!("pub {keywords}"),
        name,
        params,
        Some(returns),
        "",
    )
}

/// The models with actions: each is a cqrs-es aggregate.
pub(super) fn runtime_models(spec: &Spec) -> Vec<RuntimeModel> {
    spec.models
        .iter()
        .filter(|m| !m.commands.is_empty())
        .map(|m| RuntimeModel::new(spec, m))
        .collect()
}

impl RuntimeModel {
    fn new(spec: &Spec, m: &crate::model::ir::Model) -> Self {
        let prefix = crate::model::names::unraw(&m.module).to_string();
        let second = !m.asks.is_empty() || !m.services.is_empty();
        let bound = |path: &str| {
            let mut bounds = Vec::new();
            if !m.asks.is_empty() {
                bounds.push(format!("{}Services", m.rust));
            }
            bounds.extend(
                m.services
                    .iter()
                    .map(|s| format!("{path}{}::{}", m.module, s.rust)),
            );
            bounds.join(" + ")
        };
        let stream = if !second {
            format!("{}Stream<M>", m.rust)
        } else {
            format!("{}Stream<M, Asks>", m.rust)
        };
        let split = m.split_stores();
        let asks: Vec<AskView> = m
            .asks
            .iter()
            .enumerate()
            .filter_map(|(index, ask)| {
                let other = spec.models.iter().find(|o| o.name == ask.name)?;
                Some(ask_view(m, index, other))
            })
            .collect();
        let generics = if !second { "<M>" } else { "<M, Asks>" };
        let tables: Vec<TableView> = split.iter().map(|&s| table_view(m, s)).collect();
        let shapes_let = shapes_let(&tables);
        let snapshot = m.state.as_ref().map(|stores| SnapshotView {
            shape_const: format!("{}_SHAPE", prefix.to_uppercase()),
            shape: {
                use sha2::{Digest as _, Sha256};
                // Debug output: any change to the entities, the events or
                // their effects gives another shape.
                // What a refused command is told changes no shape.
                let mut entities = m.entities.clone();
                let mut events = m.events.clone();
                let mut own = m.own.clone();
                let fields = entities
                    .iter_mut()
                    .flat_map(|e| &mut e.fields)
                    .chain(events.iter_mut().flat_map(|e| &mut e.fields))
                    .chain(own.iter_mut().map(|o| &mut o.field));
                for field in fields {
                    field.said.clear();
                }
                let described = format!("{:?}", (&m.state, &entities, &events, &own));
                let hash = Sha256::digest(described.as_bytes());
                hash[..8].iter().map(|b| format!("{b:02x}")).collect()
            },
            own: m
                .own
                .iter()
                .map(|o| {
                    (
                        o.field.rust.clone(),
                        qualified(&o.field.ty, &format!("super::{}", m.module)),
                    )
                })
                .collect(),
            len: stores.len() + m.own.len() + 1,
            writes: m
                .own
                .iter()
                .map(|o| {
                    use crate::codegen::expr::Expr;
                    Expr::call(
                        "snapshot.serialize_field",
                        vec![
                            Expr::atom(format!("\"{}\"", o.field.rust)),
                            Expr::atom(format!("&state.{}", o.field.rust)),
                        ],
                    )
                    .render(8, "", "?;")
                })
                .chain(stores.iter().map(|store| {
                    use crate::codegen::expr::Expr;
                    Expr::call(
                        "snapshot.serialize_field",
                        vec![
                            Expr::atom(format!("\"{}\"", store.field)),
                            Expr::call(
                                "&entities",
                                vec![Expr::atom(format!("&state.{}", store.field))],
                            ),
                        ],
                    )
                    .render(8, "", "?;")
                }))
                .collect(),
            stores: (0..stores.len())
                .map(|s| {
                    (
                        stores[s].field.clone(),
                        format!("super::{}::{}", m.module, m.store_entity(s).rust),
                    )
                })
                .collect(),
            signature: if !second {
                where_signature(
                    "fn",
                    &format!("{prefix}_cqrs_with_snapshots<M>"),
                    &[
                        "pool: Pool",
                        &format!("queries: Vec<Box<dyn Query<{stream}>>>"),
                        "every: usize",
                    ],
                    &format!("Cqrs<{stream}>"),
                )
            } else {
                where_signature(
                    "fn",
                    &format!("{prefix}_cqrs_with_snapshots<M, Asks>"),
                    &[
                        "pool: Pool",
                        &format!("queries: Vec<Box<dyn Query<{stream}>>>"),
                        "services: Asks",
                        "every: usize",
                    ],
                    &format!("Cqrs<{stream}>"),
                )
            },
        });
        RuntimeModel {
            generics: generics.trim_matches(['<', '>']).to_string(),
            snapshot,
            shapes_let,
            asks,
            second,
            served: !m.services.is_empty(),
            bound: bound("super::"),
            pg_bound: bound("crate::generated::"),
            services_doc: m
                .services
                .iter()
                .map(|s| format!("[`{}`](super::{}::{})", s.rust, m.module, s.rust))
                .collect::<Vec<_>>()
                .join(", "),
            own_signature: crate::codegen::rust::signature_with(
                0,
                "fn",
                &format!("{prefix}_stream_own<M>"),
                &[
                    "model: &M".to_string(),
                    format!("command: &{}Command", m.rust),
                ],
                Some("Result<(), Rejection>"),
                "",
            ),
            execute_signature: where_signature(
                "async fn",
                &format!("{prefix}_execute{generics}"),
                &[
                    &format!("cqrs: &Cqrs<{stream}>"),
                    &format!("command: super::{}Command", m.rust),
                ],
                "Result<(), AggregateError<Rejection>>",
            ),
            handle_signature: where_signature(
                "fn",
                &format!("{prefix}_cqrs<M, Asks>"),
                &[
                    "pool: Pool",
                    &format!("queries: Vec<Box<dyn Query<{stream}>>>"),
                    "services: Asks",
                ],
                &format!("Cqrs<{stream}>"),
            ),
            name_literal: crate::codegen::behaviour::string(&m.name),
            version_body: version_body(m),
            type_body: type_body(m),
            migration: m.migration.clone(),
            migrate_signature: where_signature(
                "async fn",
                &format!("{prefix}_migrate<M>"),
                &["pool: &Pool", "from: &str"],
                "Result<Vec<String>, AggregateError<Rejection>>",
            ),
            name: inert(&m.name),
            rust: m.rust.clone(),
            module: m.module.clone(),
            cqrs_signature: where_signature(
                "fn",
                &format!("{prefix}_cqrs<M>"),
                &[
                    "pool: Pool",
                    &format!("queries: Vec<Box<dyn Query<{stream}>>>"),
                ],
                &format!("Cqrs<{stream}>"),
            ),
            load_signature: where_signature(
                "async fn",
                &format!("{prefix}_load<M>"),
                &["pool: &Pool", "aggregate_id: &str"],
                "Result<M, AggregateError<Rejection>>",
            ),
            // A model that snapshots is loaded from its latest snapshot,
            // if any, and the events after it.
            load_store: if !second && m.state.is_some() {
                crate::codegen::expr::Expr::call(
                    format!("PersistedEventStore::<_, {stream}>::new_snapshot_store"),
                    vec![
                        crate::codegen::expr::Expr::atom("repository"),
                        crate::codegen::expr::Expr::atom("1"),
                    ],
                )
            } else {
                crate::codegen::expr::Expr::call(
                    format!(
                        "PersistedEventStore::<_, {}>::new_event_store",
                        if !second {
                            stream.clone()
                        } else {
                            format!("{}Replay<M>", m.rust)
                        }
                    ),
                    vec![crate::codegen::expr::Expr::atom("repository")],
                )
            }
            .assign(8, "let store", ";"),
            stream_fn: format!("{prefix}_stream"),
            stream_arms: stream_arms(m),
            stream_entities: split
                .iter()
                .map(|&s| inert(&m.store_entity(s).name))
                .collect(),
            stream_example: match &m.streams {
                crate::model::ir::Streams::PerEntity { keys } => {
                    keys.first().map_or_else(String::new, |key| {
                        format!("{}/<{}>", m.stream_prefix(key.store), inert(&key.term))
                    })
                }
                crate::model::ir::Streams::Whole { .. } => String::new(),
            },
            // Empty unless each entity is a stream of its own.
            held: split
                .iter()
                .map(|&s| {
                    let key = m.store_entity(s).fields.first();
                    (
                        m.state.as_deref().unwrap_or_default()[s].field.clone(),
                        m.stream_prefix(s),
                        key.map_or_else(String::new, |k| k.rust.clone()),
                    )
                })
                .collect(),
            tables,
            state: format!("{}State", m.rust),
            view_queries: m.queries.iter().all(|q| q.derived.is_some()),
            refresh_signature: where_signature(
                "async fn",
                &format!("{prefix}_refresh<M>"),
                &["pool: &Pool", "aggregate_id: &str"],
                "Result<(), AggregateError<Rejection>>",
            ),
            into_signature: where_signature(
                "async fn",
                &format!("{prefix}_tables_into<M>"),
                &["pool: &Pool"],
                "Result<M, sqlx::Error>",
            ),
            rebuild_signature: where_signature(
                "async fn",
                &format!("{prefix}_rebuild<M>"),
                &["pool: &Pool"],
                "Result<usize, AggregateError<Rejection>>",
            ),
            heal_signature: where_signature(
                "async fn",
                &format!("{prefix}_heal<M>"),
                &["pool: &Pool"],
                "Result<usize, AggregateError<Rejection>>",
            ),
            view_signature: crate::codegen::rust::signature_with(
                4,
                "pub async fn",
                &format!("{prefix}_view"),
                &["pool: &Pool"],
                Some(&format!("Result<{}View, sqlx::Error>", m.rust)),
                " {",
            ),
            dispatch_signature: crate::codegen::rust::signature_with(
                8,
                "async fn",
                "dispatch",
                &[
                    "&self",
                    "aggregate_id: &str",
                    &format!("_events: &[EventEnvelope<{stream}>]"),
                ],
                None,
                " {",
            ),
            histories: super::history::runtime_functions(m, &prefix),
            prefix,
        }
    }
}

/// `event_type`: each event's name on the wire (`Tags:`).
fn type_body(model: &crate::model::ir::Model) -> String {
    if !model.wire.pascal {
        return "        self.name().to_string()".to_string();
    }
    let mut out = String::from("        let name = match self {\n");
    for event in &model.events {
        out.push_str(&crate::codegen::rust::arm(
            12,
            &format!("Self::{}(_)", event.rust),
            &format!("\"{}\"", event.wire),
        ));
        out.push('\n');
    }
    if !model.retired.is_empty() {
        out.push_str("            Self::Retired(_) => self.name(),\n");
    }
    out.push_str("        };\n        name.to_string()");
    out
}

/// `event_version`: each event's current version.
fn version_body(model: &crate::model::ir::Model) -> String {
    if model.events.iter().all(|e| e.version == 1) {
        return format!("        String::from(\"{}\")", model.wire.version(1));
    }
    let mut out = String::from("        let version = match self {\n");
    for event in &model.events {
        out.push_str(&crate::codegen::rust::arm(
            12,
            &format!("Self::{}(_)", event.rust),
            &event.version.to_string(),
        ));
        out.push('\n');
    }
    if !model.retired.is_empty() {
        out.push_str("            Self::Retired(_) => 1,\n");
    }
    if model.wire.dotted {
        out.push_str("        };\n        format!(\"{version}.0\")");
    } else {
        out.push_str("        };\n        version.to_string()");
    }
    out
}

/// The arms of a split model's stream function: each command's entity
/// and key (`TodosCommand::Delete(command) => format!("todo/{}", command.id)`).
fn stream_arms(model: &crate::model::ir::Model) -> Vec<String> {
    let crate::model::ir::Streams::PerEntity { keys } = &model.streams else {
        return Vec::new();
    };
    model
        .commands
        .iter()
        .zip(keys)
        .map(|(command, key)| {
            crate::codegen::rust::arm(
                8,
                &format!("{}Command::{}(command)", model.rust, command.rust),
                &format!(
                    "format!(\"{}/{{}}\", command.{})",
                    model.stream_prefix(key.store),
                    key.param
                ),
            )
        })
        .collect()
}

/// `let shapes = [(table, shape hash), …];`, laid out, for `<model>_heal`.
fn shapes_let(tables: &[TableView]) -> String {
    use crate::codegen::expr::Expr;
    let entries = tables
        .iter()
        .map(|t| {
            let text = |s: &str| Expr::atom(crate::codegen::behaviour::string(s));
            Expr::call("", vec![text(&t.table), text(&t.shape)])
        })
        .collect();
    let lhs = format!("let shapes: [(&str, &str); {}]", tables.len());
    Expr::List("[", entries).assign(8, &lhs, ";")
}

/// The materialized table of a store whose entities are streams.
fn table_view(model: &crate::model::ir::Model, store: usize) -> TableView {
    let stores = model.state.as_deref().unwrap_or_default();
    TableView {
        table: model.table(store),
        field: stores[store].field.clone(),
        entity_name: inert(&model.store_entity(store).name),
        plural: inert(&stores[store].plural),
        kind: model.stream_prefix(store),
        shape: {
            use sha2::{Digest as _, Sha256};
            let described: Vec<String> = model
                .store_entity(store)
                .fields
                .iter()
                .map(|f| format!("{}: {}", f.term, f.ty.spec()))
                .collect();
            let hash = Sha256::digest(described.join(", ").as_bytes());
            hash[..8].iter().map(|b| format!("{b:02x}")).collect()
        },
    }
}

fn sorted_uses(mut lines: Vec<String>) -> Vec<String> {
    lines.sort_by_key(|line| crate::codegen::rust::use_order(line));
    lines.dedup();
    lines
}

/// The `use` lines of `src/generated/runtime.rs`.
pub(super) fn runtime_uses(models: &[RuntimeModel]) -> Vec<String> {
    if models.is_empty() {
        return Vec::new();
    }
    let mut lines: Vec<String> = models
        .iter()
        .flat_map(|m| {
            ["Aggregate", "Command", "Event"]
                .map(|what| format!("use super::{}::{}{what};", m.module, m.rust))
        })
        .collect();
    for m in models {
        for ask in &m.asks {
            lines.push(format!("use super::{}::{}Queries;", ask.module, ask.rust));
        }
        if m.snapshot.is_some() {
            lines.push(format!("use super::{}::{};", m.module, m.state));
        }
    }
    if models.iter().any(|m| !m.asks.is_empty()) {
        lines.push("use std::future::Future;".into());
    }
    if models.iter().any(|m| m.second) {
        lines.push("use std::marker::PhantomData;".into());
    }
    lines.push("use super::Rejection;".into());
    lines.push("use cqrs_es::event_sink::EventSink;".into());
    lines.push("use cqrs_es::{Aggregate, DomainEvent};".into());
    lines.push("use serde::{Deserialize, Deserializer, Serialize, Serializer};".into());
    sorted_uses(lines)
}

/// The `use` lines of its `postgres` module.
pub(super) fn postgres_uses(models: &[RuntimeModel]) -> Vec<String> {
    store_uses(
        models,
        &[
            "use sqlx::postgres::{PgConnectOptions, PgPoolOptions};",
            "pub use sqlx::PgPool;",
        ],
    )
}

/// The `use` lines of its `sqlite` module.
pub(super) fn sqlite_uses(models: &[RuntimeModel]) -> Vec<String> {
    store_uses(
        models,
        &[
            "use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};",
            "use sqlx::sqlite::{SqlitePoolOptions, SqliteSynchronous};",
            "pub use sqlx::SqlitePool;",
        ],
    )
}

/// The `use` lines of a store's module: those of its database, then
/// those of the models.
fn store_uses(models: &[RuntimeModel], database: &[&str]) -> Vec<String> {
    let mut lines: Vec<String> = database.iter().map(|l| (*l).to_string()).collect();
    lines.push("use std::time::Duration;".into());
    if !models.is_empty() {
        lines.push("use crate::generated::Rejection;".into());
        lines.push("use cqrs_es::persist::{PersistedEventRepository, PersistedEventStore, PersistenceError};".into());
        lines.push(
            "use cqrs_es::persist::{ReplayStream, SerializedEvent, SerializedSnapshot};".into(),
        );
        lines.push("use cqrs_es::{AggregateError, CqrsFramework, EventStore, Query};".into());
        lines.push("use sqlx::types::JsonValue;".into());
        lines.push("use sqlx::Row as _;".into());
        lines.push("use async_trait::async_trait;".into());
    }
    if models.iter().any(|m| !m.tables.is_empty()) {
        lines.push("use async_trait::async_trait;".into());
        lines.push("use cqrs_es::EventEnvelope;".into());
        lines.push("use sqlx::types::Json;".into());
        lines.push("use std::marker::PhantomData;".into());
        lines.push("use serde::de::DeserializeOwned;".into());
        lines.push("use serde::Serialize;".into());
    }
    if models.iter().any(|m| !m.asks.is_empty()) {
        lines.push("use std::fmt::Display;".into());
        lines.push("use std::marker::PhantomData;".into());
    }
    for m in models {
        let generated = format!("use crate::generated::{}::{}", m.module, m.rust);
        lines.push(format!("use super::{}Stream;", m.rust));
        lines.push(format!("{generated}Aggregate;"));
        if m.migration.is_some() {
            lines.push("use sqlx::types::Json;".into());
            lines.push("use cqrs_es::DomainEvent;".into());
            lines.push(format!("{generated}Queries;"));
        }
        if !m.asks.is_empty() {
            lines.push(format!("use super::{}Services;", m.rust));
        }
        if m.second {
            lines.push(format!("{generated}Command;"));
            lines.push(format!("{generated}Event;"));
        }
        if !m.tables.is_empty() {
            lines.push(format!("{generated}State;"));
            if m.view_queries {
                lines.push(format!("{generated}Queries;"));
            }
        }
    }
    sorted_uses(lines)
}

/// A type as code outside a model's module names it, through the
/// module's path (`super::<module>`, `crate::generated::<module>`): the
/// module's own types (identities, entities, choices, and the ones it
/// re-exports: dates, timestamps, decimals) by that path.
pub(super) fn qualified(ty: &crate::model::ir::Type, path: &str) -> String {
    use crate::model::ir::Type;
    match ty {
        Type::Text | Type::Integer | Type::Number | Type::Boolean => ty.rust(),
        Type::List(inner) => format!("Vec<{}>", qualified(inner, path)),
        Type::Optional(inner) => format!("Option<{}>", qualified(inner, path)),
        Type::Timestamp => format!("{path}::DateTime<{path}::Utc>"),
        _ => format!("{path}::{}", ty.rust()),
    }
}
