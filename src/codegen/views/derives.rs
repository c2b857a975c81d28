//! What each generated type derives, and the `record!` and `events!`
//! calls that give entities and events serde's traits instead.

use crate::model::ir::{Field, Model, Spec};

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

pub(super) fn derives(eq: bool) -> &'static str {
    if eq {
        DERIVE_EQ
    } else {
        DERIVE_PARTIAL
    }
}

/// The lines of `rows!`: one per number of fields an entity or event has.
pub(super) fn record_arities(spec: &Spec) -> Vec<String> {
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
pub(super) fn stored_derives(eq: bool, fields: &[Field]) -> &'static str {
    match (fields.is_empty(), eq) {
        (true, _) => derives(eq),
        (false, true) => RECORD_EQ,
        (false, false) => RECORD_PARTIAL,
    }
}

/// `record! { Name { field, r#type: "type" } }`, which gives a struct with
/// fields serde's traits; `None` for a struct without fields (derived).
pub(super) fn record(name: &str, fields: &[Field]) -> Option<String> {
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
pub(super) fn tagged_events(model: &Model) -> bool {
    model.events.iter().any(|e| !e.fields.is_empty())
        && model.stored.is_empty()
        && model.retired.is_empty()
}

/// `events! { TodosEvent { 0 Created = "created" } }`: each variant's
/// index, name and tag.
pub(super) fn events_macro(model: &Model) -> String {
    let variants: Vec<String> = model
        .events
        .iter()
        .enumerate()
        .map(|(index, event)| format!("{index} {} = \"{}\"", event.rust, event.tag()))
        .collect();
    macro_call("events", &format!("{}Event", model.rust), &variants)
}

pub(super) fn command_derives(eq: bool) -> &'static str {
    if eq {
        COMMAND_EQ
    } else {
        COMMAND_PARTIAL
    }
}
