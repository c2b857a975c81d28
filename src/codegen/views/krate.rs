//! The crate as a whole: what `Cargo.toml`, `src/lib.rs` and
//! `src/generated/mod.rs` show, and the crates the spec's types need.

use super::derives::{record_arities, tagged_events};
use super::runtime::{postgres_uses, runtime_models, runtime_uses, sqlite_uses, RuntimeModel};
use crate::codegen::rust::inert;
use crate::model::ir::{Spec, Type};

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
    /// Whether any model's rules ask a service outside the spec (the
    /// `ServiceError` type is generated).
    pub services: bool,
    /// The types `sum of` queries add up: (type, zero, how two add up).
    pub sums: Vec<(&'static str, &'static str, &'static str)>,
    /// Whether a model's rules read `today` or `now` (the `Clock` is
    /// generated).
    pub clock: bool,
    /// What queries grouped `per` a field answer for each group: the
    /// entities, a count, a sum (the helpers generated).
    pub grouped: Grouped,
    /// Dependencies the spec's types need, as `Cargo.toml` lines.
    pub dependencies: Vec<String>,
    /// The models cqrs-es runs: those with actions.
    pub runtime_models: Vec<RuntimeModel>,
    /// `use` lines of `src/generated/runtime.rs`, sorted as rustfmt sorts
    /// them.
    pub runtime_uses: Vec<String>,
    /// `use` lines of its `postgres` module.
    pub postgres_uses: Vec<String>,
    /// `use` lines of its `sqlite` module.
    pub sqlite_uses: Vec<String>,
    /// Whether a model has materialized tables.
    pub has_tables: bool,
    /// Some model's rules ask another model.
    pub has_asks: bool,
    /// The spec has policies (`src/generated/policies.rs`, and their
    /// tables and runtime).
    pub policies: bool,
    /// Some policy notifies (`src/notifications.rs`).
    pub notifies: bool,
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

/// An identity newtype.
pub struct IdentityView {
    /// `TodoId`.
    pub rust: String,
    /// `Todo`.
    pub of: String,
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
            services: spec.models.iter().any(|m| !m.services.is_empty()),
            sums: {
                let summed: Vec<&crate::model::ir::Type> = spec
                    .models
                    .iter()
                    .flat_map(|m| &m.queries)
                    .filter_map(|q| match &q.derived {
                        Some(crate::model::ir::Derived::Sum { ty, .. }) => Some(ty),
                        Some(crate::model::ir::Derived::Per { each, .. }) => match each.as_ref() {
                            crate::model::ir::Derived::Sum { ty, .. } => Some(ty),
                            _ => None,
                        },
                        _ => None,
                    })
                    .collect();
                let has = |ty: crate::model::ir::Type| summed.contains(&&ty);
                let mut sums = Vec::new();
                if has(crate::model::ir::Type::Integer) {
                    sums.push(("i64", "0", "self.saturating_add(other)"));
                }
                if has(crate::model::ir::Type::Number) {
                    sums.push(("f64", "0.0", "self + other"));
                }
                if has(crate::model::ir::Type::Decimal) {
                    sums.push((
                        "rust_decimal::Decimal",
                        "rust_decimal::Decimal::ZERO",
                        "self.saturating_add(other)",
                    ));
                }
                sums
            },
            clock: spec.models.iter().any(crate::model::ir::Model::reads_clock),
            grouped: {
                let mut grouped = Grouped::default();
                for q in spec.models.iter().flat_map(|m| &m.queries) {
                    if let Some(crate::model::ir::Derived::Per { each, .. }) = &q.derived {
                        grouped.any = true;
                        match each.as_ref() {
                            crate::model::ir::Derived::Count { .. } => grouped.counted = true,
                            crate::model::ir::Derived::Sum { .. } => grouped.summed = true,
                            _ => grouped.cloned = true,
                        }
                    }
                }
                grouped
            },
            stores: spec.models.iter().any(|m| {
                m.state.is_some()
                    || m.commands
                        .iter()
                        .any(|c| c.params.iter().any(|p| !p.checks.is_empty()))
            }),
            dependencies: dependencies(spec),
            runtime_uses: runtime_uses(&runtime),
            postgres_uses: postgres_uses(&runtime),
            sqlite_uses: sqlite_uses(&runtime),
            has_tables: runtime.iter().any(|m| !m.tables.is_empty()),
            has_asks: runtime.iter().any(|m| !m.asks.is_empty()),
            policies: spec.models.iter().any(|m| !m.policies.is_empty()),
            notifies: notifies(spec),
            snapshots: runtime
                .iter()
                .any(|m| m.snapshot.as_ref().is_some_and(|s| !s.stores.is_empty())),
            no_snapshots: runtime.iter().any(|m| m.snapshot.is_none() || m.second),
            record_arities: record_arities(spec),
            tagged_events: spec.models.iter().any(tagged_events),
            runtime_models: runtime,
            generated_modules: sorted_modules(
                spec.models.iter().map(|m| m.module.clone()).chain(
                    spec.models
                        .iter()
                        .any(|m| !m.policies.is_empty())
                        .then(|| "policies".to_string()),
                ),
            ),
            lib_modules: sorted_modules(
                spec.models
                    .iter()
                    .map(|m| m.module.clone())
                    .chain(["generated".to_string()])
                    .chain(
                        (!crate::codegen::evolution::functions(spec).is_empty()
                            || !crate::codegen::evolution::migrations(spec).is_empty())
                        .then(|| "evolution".to_string()),
                    )
                    .chain(notifies(spec).then(|| "notifications".to_string())),
            ),
        }
    }
}

/// Whether a policy of the spec notifies (`notify by`).
fn notifies(spec: &Spec) -> bool {
    spec.models
        .iter()
        .flat_map(|m| &m.policies)
        .any(|p| matches!(p.then, crate::model::ir::Then::Notify { .. }))
}

/// The crates the spec's types need: chrono for `date` and `timestamp`,
/// rust_decimal for `decimal`.
fn dependencies(spec: &Spec) -> Vec<String> {
    let crates = TypeCrates::of(spec);
    let mut out = Vec::new();
    if crates.date || crates.timestamp || crates.clock {
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
pub(in crate::codegen) struct TypeCrates {
    /// chrono, for `date`.
    pub date: bool,
    /// chrono, for `timestamp`.
    pub timestamp: bool,
    /// rust_decimal, for `decimal`.
    pub decimal: bool,
    /// chrono, for the clock `today` and `now` are read from.
    pub clock: bool,
}

impl TypeCrates {
    pub(in crate::codegen) fn of(spec: &Spec) -> Self {
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
            clock: spec.models.iter().any(crate::model::ir::Model::reads_clock),
        }
    }
}

fn sorted_modules(modules: impl Iterator<Item = String>) -> Vec<String> {
    let mut modules: Vec<String> = modules.collect();
    modules.sort_by(|a, b| crate::model::names::unraw(a).cmp(crate::model::names::unraw(b)));
    modules
}

/// The helpers grouped queries need.
#[derive(Debug, Default, Clone, Copy)]
pub struct Grouped {
    /// Some query is grouped (`grouped`).
    pub any: bool,
    /// Some answers the entities of each group (`cloned`).
    pub cloned: bool,
    /// Some counts them (`counted`).
    pub counted: bool,
    /// Some adds up a field of theirs (`summed`).
    pub summed: bool,
}
