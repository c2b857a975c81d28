//! What the templates show: the semantic model with docs made inert,
//! derives chosen and long lines laid out.

use super::rust::{
    arm, blanket_impl, docs, execute_arm, inert, map_arm, signature, str_const, trait_header,
};
use crate::model::ir::{self, Field, Model, Spec, Type};

/// The crate as a whole.
pub struct CrateView {
    /// The spec's file name, made inert.
    pub spec_file: String,
    /// The spec's file name inside a TOML basic string.
    pub spec_file_toml: String,
    /// The package name.
    pub package: String,
    /// Identity types.
    pub identities: Vec<IdentityView>,
    /// Module declarations of `src/generated/mod.rs`, sorted as rustfmt
    /// sorts them.
    pub generated_modules: Vec<String>,
    /// Module declarations of `src/lib.rs`, sorted likewise.
    pub lib_modules: Vec<String>,
    /// Whether any model keeps a state (the `Store` and constraint helpers
    /// are generated).
    pub stores: bool,
    /// Dependencies the spec's types need, as `Cargo.toml` lines.
    pub dependencies: Vec<String>,
    /// The models cqrs-es runs: those with actions.
    pub runtime_models: Vec<RuntimeModel>,
    /// `use` lines of `src/generated/runtime.rs`, sorted as rustfmt sorts
    /// them.
    pub runtime_uses: Vec<String>,
    /// `use` lines of its `postgres` module.
    pub postgres_uses: Vec<String>,
    /// Whether a model has materialized tables.
    pub has_tables: bool,
    /// Some model's rules ask another model.
    pub has_asks: bool,
    /// Whether some aggregate refuses to be serialised (`NO_SNAPSHOTS`).
    pub no_snapshots: bool,
    /// Whether some aggregate is serialised as a snapshot of its state.
    pub snapshots: bool,
    /// The lengths of the field tuples `record!` reads and writes (each
    /// entity's and event's number of fields), as the lines of `rows!`:
    /// `2: T0 v0 0, T1 v1 1;`.
    pub record_arities: Vec<String>,
    /// Whether some model's event enum gets serde's traits from `events!`.
    pub tagged_events: bool,
}

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
    /// The other models its rules ask: its aggregate then takes their
    /// answers as cqrs-es `Services`.
    pub asks: Vec<AskView>,
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
    /// Each store's `snapshot.serialize_field(…)?;`, laid out.
    pub writes: Vec<String>,
    /// `{prefix}_cqrs_with_snapshots`'s signature, laid out.
    pub signature: String,
}

/// Another model a model's rules ask, in its runtime.
pub struct AskView {
    /// As written.
    pub name: String,
    /// Its module.
    pub module: String,
    /// Its aggregate's type name, also the type parameter standing for it.
    pub rust: String,
    /// Its function prefix (`patients`).
    pub prefix: String,
    /// The services' method (`patients`).
    pub method: String,
    /// Its definition's signature in `<Model>Stored`, laid out.
    pub signature: String,
    /// The bounds of its type parameter.
    pub bound: String,
    /// The match arms naming, per command that asks, the stream to read
    /// (`VisitsCommand::Book(command) => format!("patient/{}", …)`); empty
    /// when the model is read from its materialized tables.
    pub stream_arms: Vec<String>,
    /// The commands that ask it, as a pattern (`VisitsCommand::Book(_)`),
    /// when it is read from its materialized tables.
    pub view_pattern: String,
    /// Every command of the model asks it: no command falls through to a
    /// model left empty.
    pub every_command_asks: bool,
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
    super::rust::signature_with(
        4,
        &format!("pub {keywords}"),
        name,
        params,
        Some(returns),
        "",
    )
}

/// An identity newtype.
pub struct IdentityView {
    /// `TodoId`.
    pub rust: String,
    /// `Todo`.
    pub of: String,
}

/// A struct: entity, command or event.
pub struct StructView {
    /// Doc lines.
    pub docs: Vec<String>,
    /// The derive list.
    pub derives: &'static str,
    /// serde's derives when they come with the `serde` feature (commands).
    pub serde: Option<&'static str>,
    /// The `record!` that gives it serde's traits (entities and events
    /// with fields).
    pub record: Option<String>,
    /// The type name.
    pub name: String,
    /// For events, the `EVENT` constant (the spec name, also its tag when
    /// serialised), laid out.
    pub event_const: String,
    /// Its fields.
    pub fields: Vec<FieldView>,
}

/// A struct field.
pub struct FieldView {
    /// Doc lines.
    pub docs: Vec<String>,
    /// The Rust name.
    pub name: String,
    /// The Rust type.
    pub ty: String,
}

/// A command struct and what belongs to it.
pub struct CommandView {
    /// The struct.
    pub strukt: StructView,
    /// The `ACTION` constant (the action's name as written), laid out.
    pub action_const: String,
    /// The body of `validate`, when a parameter has constraints.
    pub validate: Option<String>,
}

/// An enum variant over a command or event.
pub struct VariantView {
    /// Doc line.
    pub doc: String,
    /// The attribute that gives the variant its tag, laid out: a command's
    /// only with the `serde` feature.
    pub rename: String,
    /// The variant and struct name.
    pub name: String,
    /// The variant's line(s), `    Name(Name),`, broken as rustfmt breaks it.
    pub line: String,
    /// `impl From<Name> for Enum {`, broken as rustfmt breaks it.
    pub from_header: String,
}

fn variant(doc: String, tag: &str, name: &str, enumeration: &str) -> VariantView {
    let rename = if enumeration.ends_with("Command") {
        feature_rename(tag)
    } else {
        format!("    #[serde(rename = \"{tag}\")]")
    };
    let header = format!("impl From<{name}> for {enumeration} {{");
    let from_header = if header.chars().count() <= 100 {
        header
    } else {
        format!("impl From<{name}>\n    for {enumeration}\n{{")
    };
    let one_line = format!("    {name}({name}),");
    let line = if one_line.chars().count() <= 100 {
        one_line
    } else {
        format!("    {name}(\n        {name},\n    ),")
    };
    VariantView {
        doc,
        rename,
        name: name.to_string(),
        line,
        from_header,
    }
}

/// `#[cfg_attr(feature = "serde", serde(rename = "tag"))]` on a variant,
/// broken as rustfmt breaks it.
fn feature_rename(tag: &str) -> String {
    let rename = format!("serde(rename = \"{tag}\")");
    let one_line = format!("    #[cfg_attr(feature = \"serde\", {rename})]");
    // rustfmt lays attributes out as calls, by widths found by trying.
    if one_line.chars().count() <= 87 {
        one_line
    } else if rename.chars().count() + 8 <= 98 {
        format!("    #[cfg_attr(\n        feature = \"serde\",\n        {rename}\n    )]")
    } else {
        format!(
            "    #[cfg_attr(\n        feature = \"serde\",\n        serde(\n            rename = \"{tag}\"\n        )\n    )]"
        )
    }
}

/// A trait method: declaration and the skeleton's definition.
#[derive(Clone)]
pub struct MethodView {
    /// Doc lines.
    pub docs: Vec<String>,
    /// The spec line, for the skeleton's comment.
    pub spec_line: String,
    /// Whether it takes more than seven parameters (clippy's limit).
    pub many_params: bool,
    /// `fn …;` at trait indentation.
    pub declaration: String,
    /// `fn … {` at impl indentation, with parameters prefixed by `_`.
    pub definition: String,
    /// The generated body, when esgen writes the method (a default method
    /// of the trait), with its `fn … {` line.
    pub provided: Option<String>,
}

/// One model.
pub struct ModelView {
    /// The aggregate's type name, the prefix of the traits and enums.
    pub rust: String,
    /// The model's name as written.
    pub name: String,
    /// The module name.
    pub module: String,
    /// The module's file stem.
    pub file_stem: String,
    /// Module docs.
    pub docs: Vec<String>,
    /// `Rejection` and the identity types it uses.
    pub imports: Vec<String>,
    /// Whether any method takes a borrowed event list (needs `Borrow`).
    pub entities: Vec<StructView>,
    /// Commands.
    pub commands: Vec<CommandView>,
    /// Events.
    pub events: Vec<StructView>,
    /// Command enum variants.
    pub command_variants: Vec<VariantView>,
    /// Event enum variants.
    pub event_variants: Vec<VariantView>,
    /// Derives of the command enum.
    pub command_derives: &'static str,
    /// The attribute that gives the command enum serde's derives.
    pub command_serde: &'static str,
    /// Derives of the event enum.
    pub event_derives: String,
    /// The `events!` that gives the event enum serde's traits, when not
    /// derived.
    pub events_macro: Option<String>,
    /// Whether something derives serde's traits by their imported names.
    pub serde_import: bool,
    /// How stored versions of its events are read, when there are any
    /// (`codegen::evolution`).
    pub decoding: Option<String>,
    /// The spec retires stored events: the event enum reads them as
    /// `Retired`.
    pub retired: bool,
    /// Query methods.
    pub queries: Vec<MethodView>,
    /// Proposing methods, one per action.
    pub proposals: Vec<MethodView>,
    /// Accepting methods, one per event.
    pub acceptances: Vec<MethodView>,
    /// The arms of `propose`.
    pub propose_arms: Vec<String>,
    /// `execute`'s arms, one per command: propose, accept, return.
    pub execute_arms: Vec<String>,
    /// The arms of `accept`.
    pub accept_arms: Vec<String>,
    /// The arms of the command enum's `action`.
    pub action_arms: Vec<String>,
    /// The arms of the event enum's `name`.
    pub name_arms: Vec<String>,
    /// `pub trait …Aggregate: … {`
    pub aggregate_header: String,
    /// The blanket implementation of the aggregate trait.
    pub aggregate_impl: String,
    /// Signatures of the provided methods.
    pub propose_signature: String,
    /// `fn accept(…) {`
    pub accept_signature: String,
    /// `fn execute(…) -> … {`
    pub execute_signature: String,
    /// Choice enums, rendered.
    pub choices: Vec<String>,
    /// The state struct, rendered, when the model keeps one.
    pub state: Option<String>,
    /// `TodosState`.
    pub state_name: String,
    /// Supertraits of the queries, proposing and accepting traits.
    pub queries_header: String,
    /// `pub trait …Propose…`
    pub propose_header: String,
    /// `pub trait …Accept…`
    pub accept_header: String,
    /// `use` lines after the serde import.
    pub uses: Vec<String>,
    /// `use super::<module>::<Model>Queries;` for each model the rules
    /// ask, sorted (before the `pub use super::{…}` line, as rustfmt puts
    /// them).
    pub ask_uses: Vec<String>,
    /// Whether every piece is generated.
    pub fully_declared: bool,
    /// The queries the user writes (not generated).
    pub hand_queries: Vec<MethodView>,
    /// The proposing methods the user writes.
    pub hand_proposals: Vec<MethodView>,
    /// The accepting methods the user writes.
    pub hand_acceptances: Vec<MethodView>,
}

// What each generated type derives is what pays for its compile time:
// serde's derives are most of a generated crate's `cargo check`
// (docs/performance.md). Entities and events, which are stored, always
// (de)serialise; commands only with the crate's `serde` feature (their
// derives then come from `COMMAND_SERDE`). Nothing derives `Hash` but
// identities and choices, the types used as keys.
const DERIVE_EQ: &str = "Debug, Clone, PartialEq, Eq, Serialize, Deserialize";
const DERIVE_PARTIAL: &str = "Debug, Clone, PartialEq, Serialize, Deserialize";
// An entity or event with fields gets serde's traits from `record!`
// (`templates/generated_mod.rs`), a fraction of the derives' compile time.
const RECORD_EQ: &str = "Debug, Clone, PartialEq, Eq";
const RECORD_PARTIAL: &str = "Debug, Clone, PartialEq";
const COMMAND_EQ: &str = "Debug, Clone, PartialEq, Eq";
const COMMAND_PARTIAL: &str = "Debug, Clone, PartialEq";

/// The attribute that gives commands and the command enum serde's derives,
/// with the `serde` feature.
pub const COMMAND_SERDE: &str =
    "#[cfg_attr(feature = \"serde\", derive(serde::Serialize, serde::Deserialize))]";

fn derives(eq: bool) -> &'static str {
    if eq {
        DERIVE_EQ
    } else {
        DERIVE_PARTIAL
    }
}

/// The lines of `rows!`: one per number of fields an entity or event has.
fn record_arities(spec: &Spec) -> Vec<String> {
    let lengths: std::collections::BTreeSet<usize> = spec
        .models
        .iter()
        .flat_map(|m| {
            let entities = m.entities.iter().map(|e| e.fields.len());
            entities.chain(m.events.iter().map(|e| e.fields.len()))
        })
        .filter(|n| *n > 0)
        .collect();
    lengths
        .into_iter()
        .map(|n| {
            let fields: Vec<String> = (0..n).map(|i| format!("T{i} v{i} {i}")).collect();
            format!("{n}: {};", fields.join(", "))
        })
        .collect()
}

/// The derives of a stored struct (entity or event): serde's come from
/// `record!` when it has fields.
fn stored_derives(eq: bool, fields: &[Field]) -> &'static str {
    match (fields.is_empty(), eq) {
        (true, _) => derives(eq),
        (false, true) => RECORD_EQ,
        (false, false) => RECORD_PARTIAL,
    }
}

/// `record! { Name { field, r#type: "type" } }`, which gives a struct with
/// fields serde's traits; `None` for a struct without fields (derived).
fn record(name: &str, fields: &[Field]) -> Option<String> {
    if fields.is_empty() {
        return None;
    }
    let fields: Vec<String> = fields
        .iter()
        .map(|f| match f.rust.strip_prefix("r#") {
            Some(wire) => format!("{}: \"{wire}\"", f.rust),
            None => f.rust.clone(),
        })
        .collect();
    Some(macro_call("record", name, &fields))
}

/// `<mac>! { <name> { <items> } }` on one line when it fits in 100
/// columns, else an item per line (rustfmt leaves macro calls in braces as
/// they are written).
fn macro_call(mac: &str, name: &str, items: &[String]) -> String {
    let one_line = format!("{mac}! {{ {name} {{ {} }} }}", items.join(", "));
    if one_line.chars().count() <= 100 {
        return one_line;
    }
    let mut out = format!("{mac}! {{\n    {name} {{\n");
    for item in items {
        out.push_str(&format!("        {item},\n"));
    }
    out.push_str("    }\n}");
    out
}

/// Whether a model's event enum gets serde's traits from `events!`
/// (`templates/generated_mod.rs`) rather than derives: when it has events
/// and no stored versions to read (those are read through
/// `codegen::evolution`), and an event with fields (so that the crate has
/// the `wire` module).
fn tagged_events(model: &Model) -> bool {
    model.events.iter().any(|e| !e.fields.is_empty())
        && model.stored.is_empty()
        && model.retired.is_empty()
}

/// `events! { TodosEvent { 0 Created = "created" } }`: each variant's
/// index, name and tag.
fn events_macro(model: &Model) -> String {
    let variants: Vec<String> = model
        .events
        .iter()
        .enumerate()
        .map(|(index, event)| format!("{index} {} = \"{}\"", event.rust, event.tag()))
        .collect();
    macro_call("events", &format!("{}Event", model.rust), &variants)
}

fn command_derives(eq: bool) -> &'static str {
    if eq {
        COMMAND_EQ
    } else {
        COMMAND_PARTIAL
    }
}

impl CrateView {
    /// The view of a whole spec.
    pub fn new(spec: &Spec) -> Self {
        let runtime = runtime_models(spec);
        CrateView {
            spec_file: inert(&spec.file_name),
            spec_file_toml: inert(&spec.file_name)
                .replace('\\', "\\\\")
                .replace('"', "\\\""),
            package: spec.crate_name.clone(),
            identities: spec
                .identities
                .iter()
                .map(|i| IdentityView {
                    rust: i.rust.clone(),
                    of: i.of.clone(),
                })
                .collect(),
            stores: spec.models.iter().any(|m| {
                m.state.is_some()
                    || m.commands
                        .iter()
                        .any(|c| c.params.iter().any(|p| !p.checks.is_empty()))
            }),
            dependencies: dependencies(spec),
            runtime_uses: runtime_uses(&runtime),
            postgres_uses: postgres_uses(&runtime),
            has_tables: runtime.iter().any(|m| !m.tables.is_empty()),
            has_asks: runtime.iter().any(|m| !m.asks.is_empty()),
            snapshots: runtime.iter().any(|m| m.snapshot.is_some()),
            no_snapshots: runtime
                .iter()
                .any(|m| m.snapshot.is_none() || !m.asks.is_empty()),
            record_arities: record_arities(spec),
            tagged_events: spec.models.iter().any(tagged_events),
            runtime_models: runtime,
            generated_modules: sorted_modules(spec.models.iter().map(|m| m.module.clone())),
            lib_modules: sorted_modules(
                spec.models
                    .iter()
                    .map(|m| m.module.clone())
                    .chain(["generated".to_string()])
                    .chain(
                        (!super::evolution::functions(spec).is_empty()
                            || !super::evolution::migrations(spec).is_empty())
                        .then(|| "evolution".to_string()),
                    ),
            ),
        }
    }
}

/// The crates the spec's types need: chrono for `date` and `timestamp`,
/// rust_decimal for `decimal`.
fn dependencies(spec: &Spec) -> Vec<String> {
    let crates = TypeCrates::of(spec);
    let mut out = Vec::new();
    if crates.date || crates.timestamp {
        out.push(
            "# `date` and `timestamp`: ISO 8601 in JSON.\nchrono = { version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }".to_string(),
        );
    }
    if crates.decimal {
        out.push(
            "# `decimal`: exact, a string in JSON.\nrust_decimal = { version = \"1\", default-features = false, features = [\"serde-with-str\", \"std\"] }".to_string(),
        );
    }
    out
}

/// The crates the spec's types need beyond serde.
pub(super) struct TypeCrates {
    /// chrono, for `date`.
    pub date: bool,
    /// chrono, for `timestamp`.
    pub timestamp: bool,
    /// rust_decimal, for `decimal`.
    pub decimal: bool,
}

impl TypeCrates {
    pub(super) fn of(spec: &Spec) -> Self {
        fn uses(ty: &Type, wanted: &dyn Fn(&Type) -> bool) -> bool {
            match ty {
                Type::List(inner) | Type::Optional(inner) => uses(inner, wanted),
                other => wanted(other),
            }
        }
        let any = |wanted: &dyn Fn(&Type) -> bool| {
            spec.models
                .iter()
                .flat_map(|m| &m.terms)
                .any(|t| uses(&t.ty, wanted))
        };
        TypeCrates {
            date: any(&|t| *t == Type::Date),
            timestamp: any(&|t| *t == Type::Timestamp),
            decimal: any(&|t| *t == Type::Decimal),
        }
    }
}

/// The models with actions: each is a cqrs-es aggregate.
fn runtime_models(spec: &Spec) -> Vec<RuntimeModel> {
    spec.models
        .iter()
        .filter(|m| !m.commands.is_empty())
        .map(|m| RuntimeModel::new(spec, m))
        .collect()
}

impl RuntimeModel {
    fn new(spec: &Spec, m: &crate::model::ir::Model) -> Self {
        let prefix = crate::model::names::unraw(&m.module).to_string();
        let stream = if m.asks.is_empty() {
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
        let generics = if m.asks.is_empty() {
            "<M>"
        } else {
            "<M, Asks>"
        };
        let tables: Vec<TableView> = split.iter().map(|&s| table_view(m, s)).collect();
        let shapes_let = shapes_let(&tables);
        let snapshot = m.state.as_ref().map(|stores| SnapshotView {
            shape_const: format!("{}_SHAPE", prefix.to_uppercase()),
            shape: {
                use sha2::{Digest as _, Sha256};
                // Debug output: any change to the entities, the events or
                // their effects gives another shape.
                let described = format!("{:?}", (&m.state, &m.entities, &m.events));
                let hash = Sha256::digest(described.as_bytes());
                hash[..8].iter().map(|b| format!("{b:02x}")).collect()
            },
            writes: stores
                .iter()
                .map(|store| {
                    use super::expr::Expr;
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
                })
                .collect(),
            stores: (0..stores.len())
                .map(|s| {
                    (
                        stores[s].field.clone(),
                        format!("super::{}::{}", m.module, m.store_entity(s).rust),
                    )
                })
                .collect(),
            signature: if m.asks.is_empty() {
                where_signature(
                    "fn",
                    &format!("{prefix}_cqrs_with_snapshots<M>"),
                    &[
                        "pool: PgPool",
                        &format!("queries: Vec<Box<dyn Query<{stream}>>>"),
                        "every: usize",
                    ],
                    &format!("PostgresCqrs<{stream}>"),
                )
            } else {
                where_signature(
                    "fn",
                    &format!("{prefix}_cqrs_with_snapshots<M, Asks>"),
                    &[
                        "pool: PgPool",
                        &format!("queries: Vec<Box<dyn Query<{stream}>>>"),
                        "services: Asks",
                        "every: usize",
                    ],
                    &format!("PostgresCqrs<{stream}>"),
                )
            },
        });
        RuntimeModel {
            generics: generics.trim_matches(['<', '>']).to_string(),
            snapshot,
            shapes_let,
            asks,
            own_signature: super::rust::signature_with(
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
                    &format!("cqrs: &PostgresCqrs<{stream}>"),
                    &format!("command: super::{}Command", m.rust),
                ],
                "Result<(), AggregateError<Rejection>>",
            ),
            handle_signature: where_signature(
                "fn",
                &format!("{prefix}_cqrs<M, Asks>"),
                &[
                    "pool: PgPool",
                    &format!("queries: Vec<Box<dyn Query<{stream}>>>"),
                    "services: Asks",
                ],
                &format!("PostgresCqrs<{stream}>"),
            ),
            name_literal: super::behaviour::string(&m.name),
            version_body: version_body(m),
            migration: m.migration.clone(),
            migrate_signature: where_signature(
                "async fn",
                &format!("{prefix}_migrate<M>"),
                &["pool: &PgPool", "from: &str"],
                "Result<Vec<String>, AggregateError<Rejection>>",
            ),
            name: inert(&m.name),
            rust: m.rust.clone(),
            module: m.module.clone(),
            cqrs_signature: where_signature(
                "fn",
                &format!("{prefix}_cqrs<M>"),
                &[
                    "pool: PgPool",
                    &format!("queries: Vec<Box<dyn Query<{stream}>>>"),
                ],
                &format!("PostgresCqrs<{stream}>"),
            ),
            load_signature: where_signature(
                "async fn",
                &format!("{prefix}_load<M>"),
                &["pool: &PgPool", "aggregate_id: &str"],
                "Result<M, AggregateError<Rejection>>",
            ),
            // A model that snapshots is loaded from its latest snapshot,
            // if any, and the events after it.
            load_store: if m.asks.is_empty() && m.state.is_some() {
                super::expr::Expr::call(
                    format!("PersistedEventStore::<_, {stream}>::new_snapshot_store"),
                    vec![
                        super::expr::Expr::atom("repository"),
                        super::expr::Expr::atom("1"),
                    ],
                )
            } else {
                super::expr::Expr::call(
                    format!(
                        "PersistedEventStore::<_, {}>::new_event_store",
                        if m.asks.is_empty() {
                            stream.clone()
                        } else {
                            format!("{}Replay<M>", m.rust)
                        }
                    ),
                    vec![super::expr::Expr::atom("repository")],
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
                &["pool: &PgPool", "aggregate_id: &str"],
                "Result<(), AggregateError<Rejection>>",
            ),
            into_signature: where_signature(
                "async fn",
                &format!("{prefix}_tables_into<M>"),
                &["pool: &PgPool"],
                "Result<M, sqlx::Error>",
            ),
            rebuild_signature: where_signature(
                "async fn",
                &format!("{prefix}_rebuild<M>"),
                &["pool: &PgPool"],
                "Result<usize, AggregateError<Rejection>>",
            ),
            heal_signature: where_signature(
                "async fn",
                &format!("{prefix}_heal<M>"),
                &["pool: &PgPool"],
                "Result<usize, AggregateError<Rejection>>",
            ),
            view_signature: super::rust::signature_with(
                4,
                "pub async fn",
                &format!("{prefix}_view"),
                &["pool: &PgPool"],
                Some(&format!("Result<{}View, sqlx::Error>", m.rust)),
                " {",
            ),
            dispatch_signature: super::rust::signature_with(
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
            prefix,
        }
    }
}

/// `event_version`: each event's current version.
fn version_body(model: &crate::model::ir::Model) -> String {
    if model.events.iter().all(|e| e.version == 1) {
        return "        String::from(\"1\")".to_string();
    }
    let mut out = String::from("        let version = match self {\n");
    for event in &model.events {
        out.push_str(&super::rust::arm(
            12,
            &format!("Self::{}(_)", event.rust),
            &event.version.to_string(),
        ));
        out.push('\n');
    }
    if !model.retired.is_empty() {
        out.push_str("            Self::Retired(_) => 1,\n");
    }
    out.push_str("        };\n        version.to_string()");
    out
}

/// How the runtime reads `other`, which `model`'s rules ask (the
/// `index`th): per command that asks it, the one stream that holds what
/// is asked, when every query asked is about the entity under a key the
/// command carries and `other` is one stream per entity, or its only
/// stream when it is whole; else its materialized tables.
fn ask_view(
    model: &crate::model::ir::Model,
    index: usize,
    other: &crate::model::ir::Model,
) -> AskView {
    use crate::model::ir::{Derived, Expr, Streams};
    let asking: Vec<&crate::model::ir::Command> = model
        .commands
        .iter()
        .filter(|c| model.asks_of(c).contains(&index))
        .collect();
    // Per asking command: the stream, if one holds every answer.
    let streams: Vec<Option<String>> = asking
        .iter()
        .map(|command| {
            let mut calls = Vec::new();
            command.visit(&mut |e| {
                if let Expr::Asked {
                    ask, method, args, ..
                } = e
                {
                    if *ask == index {
                        calls.push((method.clone(), args.clone()));
                    }
                }
            });
            match &other.streams {
                Streams::Whole { .. } => Some(format!(
                    "String::from({})",
                    super::behaviour::string(&other.name)
                )),
                Streams::PerEntity { .. } => {
                    let split = other.split_stores();
                    let mut keys = calls.iter().map(|(method, args)| {
                        let query = other.queries.iter().find(|q| q.method == *method)?;
                        let store = match query.derived.as_ref()? {
                            Derived::Has { store, .. }
                            | Derived::Get { store, .. }
                            | Derived::Field { store, .. } => *store,
                            _ => return None,
                        };
                        match args.as_slice() {
                            [Expr::Input { rust, .. }] if split.contains(&store) => {
                                Some((store, rust.clone()))
                            }
                            _ => None,
                        }
                    });
                    let first = keys.next()??;
                    if keys.all(|k| k.as_ref() == Some(&first)) {
                        Some(format!(
                            "format!(\"{}/{{}}\", command.{})",
                            other.stream_prefix(first.0),
                            first.1
                        ))
                    } else {
                        None
                    }
                }
            }
        })
        .collect();
    let by_stream = streams.iter().all(Option::is_some);
    let pattern = |command: &crate::model::ir::Command, binding: &str| {
        format!("{}Command::{}({binding})", model.rust, command.rust)
    };
    let stream_arms = if by_stream {
        asking
            .iter()
            .zip(&streams)
            .map(|(command, stream)| {
                super::rust::arm(
                    16,
                    &pattern(command, "command"),
                    stream.as_deref().unwrap_or_default(),
                )
                .replace("(command) => String::from", "(_) => String::from")
            })
            .collect()
    } else {
        Vec::new()
    };
    let state = format!("{}State", other.rust);
    let bound = if by_stream {
        format!("{}Aggregate + Send + Sync", other.rust)
    } else {
        format!(
            "{}Aggregate + AsMut<crate::generated::{}::{state}> + Send + Sync",
            other.rust, other.module
        )
    };
    AskView {
        name: inert(&other.name),
        module: other.module.clone(),
        rust: other.rust.clone(),
        prefix: crate::model::names::unraw(&other.module).to_string(),
        method: model.asks[index].param.clone(),
        signature: super::rust::signature_with(
            8,
            "async fn",
            &model.asks[index].param,
            &[
                "&self".to_string(),
                format!("command: &{}Command", model.rust),
            ],
            Some(&format!("Result<{}, Rejection>", other.rust)),
            " {",
        ),
        bound,
        stream_arms,
        view_pattern: asking
            .iter()
            .map(|c| pattern(c, "_"))
            .collect::<Vec<_>>()
            .join(" | "),
        every_command_asks: asking.len() == model.commands.len(),
    }
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
            super::rust::arm(
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
    use super::expr::Expr;
    let entries = tables
        .iter()
        .map(|t| {
            let text = |s: &str| Expr::atom(super::behaviour::string(s));
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
    lines.sort_by_key(|line| super::rust::use_order(line));
    lines.dedup();
    lines
}

/// The `use` lines of `src/generated/runtime.rs`.
fn runtime_uses(models: &[RuntimeModel]) -> Vec<String> {
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
        lines.push("use std::marker::PhantomData;".into());
    }
    lines.push("use super::Rejection;".into());
    lines.push("use cqrs_es::event_sink::EventSink;".into());
    lines.push("use cqrs_es::{Aggregate, DomainEvent};".into());
    lines.push("use serde::{Deserialize, Deserializer, Serialize, Serializer};".into());
    sorted_uses(lines)
}

/// The `use` lines of its `postgres` module.
fn postgres_uses(models: &[RuntimeModel]) -> Vec<String> {
    let mut lines = vec![
        "use sqlx::postgres::{PgConnectOptions, PgPoolOptions};".to_string(),
        "use std::time::Duration;".into(),
        "pub use sqlx::PgPool;".into(),
    ];
    if !models.is_empty() {
        lines.push("use crate::generated::Rejection;".into());
        lines.push("use cqrs_es::persist::{PersistedEventRepository, PersistedEventStore, PersistenceError};".into());
        lines.push(
            "use cqrs_es::persist::{ReplayStream, SerializedEvent, SerializedSnapshot};".into(),
        );
        lines.push("use cqrs_es::{AggregateError, CqrsFramework, EventStore, Query};".into());
        lines.push("use sqlx::types::JsonValue;".into());
        lines.push("use sqlx::Row;".into());
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

fn sorted_modules(modules: impl Iterator<Item = String>) -> Vec<String> {
    let mut modules: Vec<String> = modules.collect();
    modules.sort_by(|a, b| crate::model::names::unraw(a).cmp(crate::model::names::unraw(b)));
    modules
}

fn field_view(field: &Field) -> FieldView {
    FieldView {
        docs: if field.docs.is_empty() {
            let fallback = format!("The `{}` ({}).", field.term, field.ty.spec());
            docs(&[], &[fallback])
        } else {
            docs(&field.docs, &[])
        },
        name: field.rust.clone(),
        ty: field.ty.rust(),
    }
}

/// A choice enum, rendered.
fn choice_view(choice: &ir::Choice) -> String {
    let words: Vec<String> = choice
        .values
        .iter()
        .map(|(w, _)| format!("`{w}`"))
        .collect();
    let mut out = String::new();
    for line in docs(
        &choice.docs,
        &[format!(
            "A choice: `{}` is one of {}.",
            choice.term,
            words.join(", ")
        )],
    ) {
        if line.is_empty() {
            out.push_str("///\n");
        } else {
            out.push_str(&format!("/// {line}\n"));
        }
    }
    let derives = if choice.default.is_some() {
        "Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize"
    } else {
        "Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize"
    };
    // rustfmt keeps a derive on one line up to the maximum width, and
    // breaks a longer one after the parenthesis.
    let one = format!("#[derive({derives})]");
    if one.len() < 100 {
        out.push_str(&format!("{one}\npub enum {} {{\n", choice.rust));
    } else {
        out.push_str(&format!(
            "#[derive(\n    {derives},\n)]\npub enum {} {{\n",
            choice.rust
        ));
    }
    for (i, (word, variant)) in choice.values.iter().enumerate() {
        out.push_str(&format!("    /// `{}`\n", inert(word)));
        if choice.default == Some(i) {
            out.push_str("    #[default]\n");
        }
        out.push_str(&format!(
            "    #[serde(rename = \"{word}\")]\n    {variant},\n"
        ));
    }
    out.push_str("}\n\n");
    out.push_str(&format!("impl {} {{\n", choice.rust));
    out.push_str("    /// The value as the spec writes it.\n    #[must_use]\n    pub fn as_str(self) -> &'static str {\n        match self {\n");
    for (word, variant) in &choice.values {
        out.push_str(&arm(
            12,
            &format!("Self::{variant}"),
            &format!("\"{word}\""),
        ));
        out.push('\n');
    }
    out.push_str("        }\n    }\n}\n\n");
    out.push_str(&format!(
        "impl fmt::Display for {} {{\n    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {{\n        f.write_str(self.as_str())\n    }}\n}}",
        choice.rust
    ));
    out
}

/// The bracket list of fields' terms.
fn bracket(fields: &[Field]) -> String {
    crate::model::names::bracket(fields.iter().map(|f| f.term.as_str()))
}

/// The parameters of a proposing method: the command, then each model its
/// rules ask (`patients: &impl PatientsQueries`), `prefix`ed.
fn proposal_params(model: &Model, command: &ir::Command, name: &str, prefix: &str) -> Vec<String> {
    let mut params = vec!["&self".to_string(), format!("{name}: {}", command.rust)];
    for ask in model.asks_of(command) {
        let ask = &model.asks[ask];
        params.push(format!("{prefix}{}: &impl {}Queries", ask.param, ask.rust));
    }
    params
}

/// The parameters `propose` and `execute` take after the command: every
/// model the rules ask.
fn asks_params(model: &Model) -> Vec<String> {
    model
        .asks
        .iter()
        .map(|ask| format!("{}: &impl {}Queries", ask.param, ask.rust))
        .collect()
}

/// The arguments a proposing method is called with: the command, then
/// the models its rules ask.
fn call_args(model: &Model, command: &ir::Command) -> String {
    let mut args = vec!["command"];
    for ask in model.asks_of(command) {
        args.push(&model.asks[ask].param);
    }
    args.join(", ")
}

/// The inputs (Rust names) a derived query's definition reads.
fn derived_inputs(derived: &ir::Derived) -> Vec<String> {
    let mut read = Vec::new();
    let mut look = |e: &ir::Expr| {
        if let ir::Expr::Input { rust, .. } = e {
            read.push(rust.clone());
        }
    };
    match derived {
        ir::Derived::Has { key, .. }
        | ir::Derived::Get { key, .. }
        | ir::Derived::Field { key, .. } => key.visit(&mut look),
        ir::Derived::Select { filter, .. } | ir::Derived::Count { filter, .. } => {
            for expr in filter.iter().flat_map(ir::Condition::exprs) {
                expr.visit(&mut look);
            }
        }
    }
    read
}

fn param(field: &Field, skeleton: bool) -> String {
    let name = if skeleton {
        format!("_{}", crate::model::names::unraw(&field.rust))
    } else {
        field.rust.clone()
    };
    format!("{name}: {}", field.ty.rust_param())
}

impl ModelView {
    pub fn new(model: &Model) -> Self {
        let rust = model.rust.clone();
        let mut imports = vec!["Rejection".to_string()];
        let leaves = leaf_types(model);
        let mut ids: Vec<String> = leaves
            .iter()
            .filter_map(|ty| match ty {
                Type::Id(of) => Some(format!("{of}Id")),
                _ => None,
            })
            .collect();
        ids.sort();
        ids.dedup();
        imports.extend(ids);
        imports.push("RejectionKind".to_string());
        imports.sort();

        let behaviour = super::behaviour::Behaviour::new(model);
        let entities: Vec<StructView> = model
            .entities
            .iter()
            .map(|entity| {
                let mut extra = vec![format!(
                    "An entity of the `{}` model: `{} {}`, identified by its `{}`.",
                    model.name,
                    entity.name,
                    bracket(&entity.fields),
                    entity.fields.first().map_or("", |f| f.term.as_str())
                )];
                if let Some(why) = &entity.inferred {
                    extra.push(String::new());
                    extra.push(format!("Inferred, as the spec declares no entity: {why}."));
                }
                StructView {
                    docs: docs(&entity.docs, &extra),
                    derives: stored_derives(entity.eq, &entity.fields),
                    serde: None,
                    record: record(&entity.rust, &entity.fields),
                    name: entity.rust.clone(),
                    event_const: String::new(),
                    fields: entity.fields.iter().map(field_view).collect(),
                }
            })
            .collect();

        let commands: Vec<CommandView> = model
            .commands
            .iter()
            .map(|command| CommandView {
                strukt: StructView {
                    docs: docs(
                        &command.docs,
                        &[format!(
                            "The command of the action `{}`.",
                            command.spec_line
                        )],
                    ),
                    derives: command_derives(command.eq),
                    serde: Some(COMMAND_SERDE),
                    record: None,
                    name: command.rust.clone(),
                    event_const: String::new(),
                    fields: command.params.iter().map(field_view).collect(),
                },
                action_const: str_const("ACTION", &command.name),
                validate: validates(command).then(|| behaviour.validate(command)),
            })
            .collect();

        let events: Vec<StructView> = model
            .events
            .iter()
            .map(|event| {
                let by: Vec<String> = event.commands.iter().map(|c| format!("`{c}`")).collect();
                StructView {
                    docs: docs(
                        &[],
                        &[format!(
                            "The event `{} {}`, recorded when {} is accepted.",
                            event.name,
                            bracket(&event.fields),
                            by.join(" or ")
                        )],
                    ),
                    derives: stored_derives(event.eq, &event.fields),
                    serde: None,
                    record: record(&event.rust, &event.fields),
                    name: event.rust.clone(),
                    event_const: str_const("EVENT", &event.name),
                    fields: event.fields.iter().map(field_view).collect(),
                }
            })
            .collect();

        let command_variants = model
            .commands
            .iter()
            .map(|c| {
                variant(
                    inert(&format!("`{}`", c.spec_line)),
                    &c.name,
                    &c.rust,
                    &format!("{}Command", model.rust),
                )
            })
            .collect();
        let tagged = tagged_events(model);
        let event_variants: Vec<VariantView> = model
            .events
            .iter()
            .map(|e| {
                let mut variant = variant(
                    inert(&format!("`{} {}`", e.tag(), bracket(&e.fields))),
                    &e.tag(),
                    &e.rust,
                    &format!("{}Event", model.rust),
                );
                if tagged {
                    // `events!` names each variant's tag.
                    variant.rename.clear();
                }
                variant
            })
            .collect();

        let queries: Vec<MethodView> = model
            .queries
            .iter()
            .map(|query| {
                let mut view = query_method(query);
                if let Some(derived) = &query.derived {
                    // A parameter the definition does not read is named
                    // `_…` in the method that answers it.
                    let read = derived_inputs(derived);
                    let params: Vec<String> = std::iter::once("&self".to_string())
                        .chain(
                            query
                                .params
                                .iter()
                                .map(|f| param(f, !read.contains(&f.rust))),
                        )
                        .collect();
                    let returns = query.returns.rust();
                    let declaration = signature(4, &query.method, &params, Some(&returns), ";");
                    view.provided = Some(provided(&declaration, &behaviour.query(derived)));
                }
                view
            })
            .collect();
        let proposals: Vec<MethodView> = model
            .commands
            .iter()
            .map(|command| {
                let event = model.event_of(command);
                let returns = format!("Result<{}, Rejection>", event.rust);
                let extra = format!(
                    "Proposes `{}`: validates the command against the model and, if it is accepted, returns the `{}` event that records it.",
                    command.name, event.name
                );
                let errors = format!("A [`Rejection`] when the model refuses `{}`.", command.name);
                MethodView {
                    docs: docs(&command.docs, &[extra, String::new(), "# Errors".into(), String::new(), errors]),
                    spec_line: inert(&command.spec_line),
                    many_params: false,
                    declaration: signature(
                        4,
                        &command.method,
                        &proposal_params(model, command, "command", ""),
                        Some(&returns),
                        ";",
                    ),
                    definition: signature(
                        4,
                        &command.method,
                        &proposal_params(model, command, "_command", "_"),
                        Some(&returns),
                        " {",
                    ),
                    provided: command.proposing.as_ref().map(|_| {
                        let body = behaviour.proposing(command);
                        let name = if body.contains("command") { "command" } else { "_command" };
                        provided(
                            &signature(
                                4,
                                &command.method,
                                &proposal_params(model, command, name, ""),
                                Some(&returns),
                                ";",
                            ),
                            &body,
                        )
                    }),
                }
            })
            .collect();
        let acceptances: Vec<MethodView> = model
            .events
            .iter()
            .map(|event| MethodView {
                docs: docs(
                    &[],
                    &[format!(
                        "Accepts `{}`: applies the event to the model.",
                        event.name
                    )],
                ),
                spec_line: inert(&format!("{} {}", event.name, bracket(&event.fields))),
                many_params: false,
                declaration: signature(
                    4,
                    &event.method,
                    &["&mut self".into(), format!("event: &{}", event.rust)],
                    None,
                    ";",
                ),
                definition: signature(
                    4,
                    &event.method,
                    &["&mut self".into(), format!("_event: &{}", event.rust)],
                    None,
                    " {",
                ),
                provided: event.effects.as_ref().map(|effects| {
                    if effects.is_empty() {
                        return signature(
                            4,
                            &event.method,
                            &["&mut self".into(), format!("_event: &{}", event.rust)],
                            None,
                            " {}",
                        );
                    }
                    provided(
                        &signature(
                            4,
                            &event.method,
                            &["&mut self".into(), format!("event: &{}", event.rust)],
                            None,
                            ";",
                        ),
                        &behaviour.accepting(effects),
                    )
                }),
            })
            .collect();

        let propose_arms = model
            .commands
            .iter()
            .map(|command| {
                let pattern = format!("{rust}Command::{}(command)", command.rust);
                let wrap = format!("{rust}Event::{}", model.event_of(command).rust);
                let call = format!("self.{}({})", command.method, call_args(model, command));
                if validates(command) {
                    let one = format!("{call}.map({wrap})");
                    let too_wide = super::rust::width(&one) > super::rust::CHAIN_WIDTH
                        || 16 + super::rust::width(&one) > super::rust::MAX_WIDTH;
                    let mapped = if too_wide {
                        format!("{call}\n                    .map({wrap})")
                    } else {
                        one
                    };
                    format!(
                        "            {pattern} => {{\n                command.validate()?;\n                {mapped}\n            }}"
                    )
                } else {
                    map_arm(12, &pattern, &call, &wrap)
                }
            })
            .collect();
        let execute_arms = model
            .commands
            .iter()
            .map(|command| {
                execute_arm(
                    12,
                    &format!("{rust}Command::{}(command)", command.rust),
                    &format!("{}({})", command.method, call_args(model, command)),
                    &model.event_of(command).method,
                    validates(command),
                )
            })
            .collect();
        let mut accept_arms: Vec<String> = model
            .events
            .iter()
            .map(|event| {
                arm(
                    12,
                    &format!("{rust}Event::{}(event)", event.rust),
                    &format!("self.{}(event)", event.method),
                )
            })
            .collect();
        if !model.retired.is_empty() {
            accept_arms.push(format!("            {rust}Event::Retired(_) => {{}}"));
        }

        let action_arms = model
            .commands
            .iter()
            .map(|c| {
                arm(
                    12,
                    &format!("Self::{}(_)", c.rust),
                    &format!("{}::ACTION", c.rust),
                )
            })
            .collect();
        let mut name_arms: Vec<String> = model
            .events
            .iter()
            .map(|e| {
                arm(
                    12,
                    &format!("Self::{}(_)", e.rust),
                    &format!("{}::EVENT", e.rust),
                )
            })
            .collect();
        if !model.retired.is_empty() {
            name_arms.push("            Self::Retired(name) => name,".to_string());
        }
        let halves = [
            format!("{rust}Propose"),
            format!("{rust}Accept"),
            "Default".to_string(),
        ];
        let result = format!("Result<{rust}Event, Rejection>");
        let command_param = format!("command: impl Into<{rust}Command>");

        let state_name = format!("{rust}State");
        let mut keyed = Vec::new();
        let state = model.state.as_ref().map(|stores| {
            let mut fields = Vec::new();
            for store in stores {
                let entity = &model.entities[store.entity];
                let key = &entity.fields[0];
                fields.push(format!(
                    "    /// Every `{}`, by its `{}`, in the order added.\n    pub {}: super::Store<{}, {}>,",
                    entity.name,
                    key.term,
                    store.field,
                    key.ty.rust(),
                    entity.rust
                ));
            }
            for store in stores {
                let entity = &model.entities[store.entity];
                let key = &entity.fields[0];
                keyed.push(format!(
                    "impl super::Keyed for {entity} {{\n    type Key = {ty};\n\n    fn key(&self) -> &{ty} {{\n        &self.{field}\n    }}\n}}",
                    entity = entity.rust,
                    ty = key.ty.rust(),
                    field = key.rust
                ));
            }
            let doc = format!(
                "/// The state of the `{}` model that its rules read and change: every\n/// entity it holds, by key, in the order added. The aggregate holds it\n/// and lends it out through `AsRef` and `AsMut`.",
                model.name
            );
            let state = if fields.is_empty() {
                format!("{doc}\n#[derive(Debug, Default, Clone, PartialEq)]\npub struct {state_name} {{}}")
            } else {
                format!(
                    "{doc}\n#[derive(Debug, Default, Clone, PartialEq)]\npub struct {state_name} {{\n{}\n}}",
                    fields.join("\n")
                )
            };
            // Each stored entity says which of its fields is its key.
            keyed.insert(0, state);
            keyed.join("\n\n")
        });
        let (queries_header, propose_header, accept_header) = if model.state.is_some() {
            (
                trait_header(
                    &format!("pub trait {rust}Queries"),
                    &[format!("AsRef<{state_name}>")],
                ),
                trait_header(
                    &format!("pub trait {rust}Propose"),
                    &[format!("{rust}Queries")],
                ),
                trait_header(
                    &format!("pub trait {rust}Accept"),
                    &[format!("AsMut<{state_name}>")],
                ),
            )
        } else {
            (
                format!("pub trait {rust}Queries {{"),
                format!("pub trait {rust}Propose {{"),
                format!("pub trait {rust}Accept {{"),
            )
        };
        let mut uses = Vec::new();
        let mut time = Vec::new();
        if leaves.contains(&&Type::Timestamp) {
            time.push("DateTime");
        }
        if leaves.contains(&&Type::Date) {
            time.push("NaiveDate");
        }
        if leaves.contains(&&Type::Timestamp) {
            time.push("Utc");
        }
        // Re-exported: the model's file (yours) names them in the methods
        // written by hand, through its `use crate::generated::<model>::*`.
        match time.as_slice() {
            [] => {}
            [one] => uses.push(format!("pub use chrono::{one};")),
            many => uses.push(format!("pub use chrono::{{{}}};", many.join(", "))),
        }
        if leaves.contains(&&Type::Decimal) {
            uses.push("pub use rust_decimal::Decimal;".into());
        }
        uses.sort();
        let choices: Vec<String> = model.choices.iter().map(choice_view).collect();
        let event_derives = {
            let derives = derives(model.events_eq());
            if tagged {
                derives.replace(", Serialize, Deserialize", "")
            } else if model.stored.is_empty() && model.retired.is_empty() {
                derives.to_string()
            } else {
                // Read through the stored versions instead.
                derives.replace(", Deserialize", "")
            }
        };
        // Commands' serde derives name their paths: with the feature off,
        // the import would be unused.
        let serde_import = !choices.is_empty()
            || event_derives.contains("Serialize")
            || entities
                .iter()
                .chain(&events)
                .any(|s| s.derives.contains("Serialize"));

        let hand = |methods: &[MethodView]| -> Vec<MethodView> {
            methods
                .iter()
                .filter(|m| m.provided.is_none())
                .cloned()
                .collect()
        };
        ModelView {
            hand_queries: hand(&queries),
            hand_proposals: hand(&proposals),
            hand_acceptances: hand(&acceptances),
            choices,
            state,
            state_name,
            queries_header,
            propose_header,
            accept_header,
            uses,
            ask_uses: {
                let mut lines: Vec<String> = model
                    .asks
                    .iter()
                    .map(|ask| format!("use super::{}::{}Queries;", ask.module, ask.rust))
                    .collect();
                lines.sort_by_key(|line| super::rust::use_order(line));
                lines
            },
            fully_declared: model.fully_declared(),
            action_arms,
            name_arms,
            aggregate_header: trait_header(&format!("pub trait {rust}Aggregate"), &halves),
            aggregate_impl: blanket_impl(&format!("impl<T> {rust}Aggregate for T"), &halves),
            propose_signature: signature(
                4,
                "propose",
                &[
                    vec!["&self".into(), command_param.clone()],
                    asks_params(model),
                ]
                .concat(),
                Some(&result),
                " {",
            ),
            accept_signature: signature(
                4,
                "accept",
                &["&mut self".into(), format!("event: &{rust}Event")],
                None,
                " {",
            ),
            execute_signature: signature(
                4,
                "execute",
                &[vec!["&mut self".into(), command_param], asks_params(model)].concat(),
                Some(&result),
                " {",
            ),
            name: model.name.clone(),
            module: model.module.clone(),
            file_stem: model.file_stem.clone(),
            docs: docs(&model.docs, &[]),
            imports,
            entities,
            commands,
            events,
            command_variants,
            event_variants,
            command_derives: command_derives(model.commands_eq()),
            command_serde: COMMAND_SERDE,
            event_derives,
            events_macro: tagged.then(|| events_macro(model)),
            serde_import,
            decoding: super::evolution::decoding(model),
            retired: !model.retired.is_empty(),
            queries,
            proposals,
            acceptances,
            propose_arms,
            execute_arms,
            accept_arms,
            rust,
        }
    }
}

/// The types a model's fields, parameters and query results are made of,
/// inside their `list of` and `optional`.
fn leaf_types(model: &Model) -> Vec<&Type> {
    let mut leaves = Vec::new();
    for ty in model
        .entities
        .iter()
        .flat_map(|e| &e.fields)
        .chain(model.commands.iter().flat_map(|c| &c.params))
        .chain(model.events.iter().flat_map(|e| &e.fields))
        .chain(model.queries.iter().flat_map(|q| &q.params))
        .map(|f| &f.ty)
        .chain(model.queries.iter().map(|q| &q.returns))
    {
        let mut leaf = ty;
        while let Type::List(inner) | Type::Optional(inner) = leaf {
            leaf = inner;
        }
        leaves.push(leaf);
    }
    leaves
}

/// Whether a command has constraints to check.
fn validates(command: &ir::Command) -> bool {
    command.params.iter().any(|p| !p.checks.is_empty())
}

/// A trait's default method: its declaration (ending in `;`) opened as a
/// definition, then its body.
fn provided(declaration: &str, body: &str) -> String {
    let head = declaration.strip_suffix(';').unwrap_or(declaration);
    format!("{head} {{\n{body}\n    }}")
}

fn query_method(query: &ir::Query) -> MethodView {
    let returns = query.returns.rust();
    let params = |skeleton: bool| {
        std::iter::once("&self".to_string())
            .chain(query.params.iter().map(|f| param(f, skeleton)))
            .collect::<Vec<_>>()
    };
    MethodView {
        provided: None,
        docs: docs(&query.docs, &[format!("The query `{}`.", query.spec_line)]),
        spec_line: inert(&query.spec_line),
        many_params: query.params.len() + 1 > 7,
        declaration: signature(4, &query.method, &params(false), Some(&returns), ";"),
        definition: signature(4, &query.method, &params(true), Some(&returns), " {"),
    }
}
