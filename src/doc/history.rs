//! A model's stored history in words: how its events are kept, what
//! events stored by earlier versions of the spec read as today (from the
//! lock and `Evolution:`), which are skipped, and how running streams
//! were moved.

use super::words::{and_list, function};
use crate::model::ir::{FieldValue, Model, Next, StoredVersion, Upcast};
use std::fmt::Write as _;

/// The sentences, one per line of a list; empty when the model has no
/// history worth telling.
pub fn sentences(model: &Model) -> Vec<String> {
    let mut said = Vec::new();
    if model.stored_as != model.name {
        said.push(format!(
            "Its events are kept under the name `{}`.",
            model.stored_as
        ));
    }
    if model.wire.pascal {
        let example = model
            .events
            .first()
            .map(|e| format!(" (`{}` is kept as `{}`)", e.name, e.wire))
            .unwrap_or_default();
        said.push(format!(
            "Its events are named in PascalCase where they are kept{example}."
        ));
    }
    if model.wire.dotted {
        said.push("Their versions are written like `1.0`.".into());
    }
    for stored in &model.stored {
        said.push(reads_as(model, stored));
    }
    if !model.retired.is_empty() {
        let retired: Vec<String> = model.retired.iter().map(|t| format!("`{t}`")).collect();
        said.push(format!(
            "Stored {} events are skipped: they no longer change anything.",
            and_list(&retired).replace(" and ", " or ")
        ));
    }
    if let Some(by) = &model.migration {
        said.push(format!(
            "Streams kept the earlier way are moved to today's by `{}`, a step written outside the spec.",
            function(by)
        ));
    }
    said
}

/// The section `### How its events are kept`, when there is anything to say.
pub fn section(md: &mut String, model: &Model) {
    let said = sentences(model);
    if said.is_empty() {
        return;
    }
    md.push_str("### How its events are kept\n\n");
    for sentence in said {
        let _ = writeln!(md, "- {sentence}");
    }
    md.push('\n');
}

/// "A `registered` event stored at version 1 reads as `registered` at
/// version 2, with `phone` = nothing."
fn reads_as(model: &Model, stored: &StoredVersion) -> String {
    // The next version: its name, its version, whether it is today's, and
    // its fields (Rust name, term).
    let (name, version, today, fields): (&str, u32, bool, Vec<(&str, &str)>) = match stored.next {
        Next::Current(i) => {
            let event = &model.events[i];
            let fields = event
                .fields
                .iter()
                .map(|f| (f.rust.as_str(), f.term.as_str()))
                .collect();
            (&event.name, event.version, true, fields)
        }
        Next::Stored(i) => {
            let next = &model.stored[i];
            let fields = next
                .fields
                .iter()
                .map(|f| (f.rust.as_str(), f.term.as_str()))
                .collect();
            (&next.name, next.version, false, fields)
        }
    };
    let term_of = |rust: &str| {
        fields
            .iter()
            .find(|(r, _)| *r == rust)
            .map_or(rust.to_string(), |(_, t)| t.to_string())
    };
    let old_term = |rust: &str| {
        stored
            .fields
            .iter()
            .find(|f| f.rust == rust)
            .map_or(rust.to_string(), |f| f.term.clone())
    };
    let mut sentence = format!(
        "A `{}` event stored at version {} reads as {}`{name}`{}",
        stored.name,
        stored.version,
        if today { "today's " } else { "" },
        if today && version == 1 {
            String::new()
        } else {
            format!(" at version {version}")
        }
    );
    match &stored.how {
        Upcast::By { function: by } => {
            let _ = write!(
                sentence,
                ", by `{}`, a step written outside the spec",
                function(by)
            );
        }
        Upcast::Fields { fields: values } => {
            let mut changes = Vec::new();
            let mut kept = Vec::new();
            for (rust, value) in values {
                let term = term_of(rust);
                match value {
                    FieldValue::Value { value, .. } => {
                        changes.push(format!("`{term}` = {}", value.spec()));
                    }
                    FieldValue::Field { rust: from } => {
                        let old = old_term(from);
                        kept.push(from.as_str());
                        if old != term {
                            changes.push(format!("`{term}` taken from what was `{old}`"));
                        }
                    }
                }
            }
            let dropped: Vec<String> = stored
                .fields
                .iter()
                .filter(|f| !kept.contains(&f.rust.as_str()))
                .map(|f| format!("`{}`", f.term))
                .collect();
            if !changes.is_empty() {
                let _ = write!(sentence, ", with {}", and_list(&changes));
            }
            if !dropped.is_empty() {
                let _ = write!(
                    sentence,
                    "; {} {} left behind",
                    and_list(&dropped),
                    if dropped.len() == 1 { "is" } else { "are" }
                );
            }
            if changes.is_empty() && dropped.is_empty() {
                sentence.push_str(", field by field");
            }
        }
    }
    sentence.push('.');
    sentence
}
