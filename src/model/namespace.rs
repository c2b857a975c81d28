//! Rust-name collisions: two spec names that become one Rust name, or a
//! spec name that becomes a name the generated code needs for itself.

use super::ir;
use super::Space;
use crate::diagnostics::{codes, Diagnostic};
use crate::source::Span;
use crate::syntax::ast;
use std::collections::HashMap;

/// Names the generated modules use from std, serde and esgen itself.
const RESERVED_TYPES: &[&str] = &[
    "Borrow",
    "Box",
    "Clone",
    "Debug",
    "Default",
    "Deserialize",
    "Display",
    "Eq",
    "Error",
    "Formatter",
    "From",
    "Hash",
    "Into",
    "IntoIterator",
    "Iterator",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Rejection",
    "RejectionKind",
    "AsRef",
    "AsMut",
    "Borrow",
    "NaiveDate",
    "DateTime",
    "Utc",
    "Decimal",
    "Result",
    "Self",
    "Serialize",
    "String",
    "ToString",
    "Vec",
];

/// Methods every aggregate has.
const RESERVED_METHODS: &[&str] = &[
    "propose", "accept", "execute", "replay", "default", "as_ref", "as_mut",
];

/// Every collision check, across the whole spec.
pub(super) fn check_spec(
    file: &ast::SpecFile,
    spaces: &[Space],
    identities: &[ir::Identity],
    out: &mut Vec<Diagnostic>,
) {
    modules(file, out);
    // The names every model shares (reserved types and the spec's identity
    // types, which never collide with each other: identities end in `Id`),
    // seeded once for all models.
    let identity_whats: Vec<String> = identities
        .iter()
        .map(|i| format!("the identity type of `{}`", i.of))
        .collect();
    let mut shared_types: HashMap<&str, (&str, Option<Span>)> = HashMap::new();
    for name in RESERVED_TYPES {
        shared_types
            .entry(name)
            .or_insert(("a name the generated code uses for itself", None));
    }
    for (identity, what) in identities.iter().zip(&identity_whats) {
        shared_types
            .entry(identity.rust.as_str())
            .or_insert((what.as_str(), None));
    }
    let method_whats: Vec<String> = RESERVED_METHODS
        .iter()
        .map(|name| format!("the `{name}` method every aggregate has"))
        .collect();
    let mut shared_methods: HashMap<&str, (&str, Option<Span>)> = HashMap::new();
    for (name, what) in RESERVED_METHODS.iter().zip(&method_whats) {
        shared_methods.entry(name).or_insert((what.as_str(), None));
    }
    for space in spaces {
        let mut reported = Vec::new();
        collisions(
            shared_types.clone(),
            &space.types,
            &space.model,
            &mut reported,
            out,
        );
        collisions(
            shared_methods.clone(),
            &space.methods,
            &space.model,
            &mut reported,
            out,
        );

        for list in &space.field_lists {
            let mut seen: HashMap<&str, (&str, Span)> = HashMap::new();
            for (rust, term, span) in list {
                match seen.get(rust.as_str()) {
                    Some((other, first)) if other != term => out.push(
                        Diagnostic::error(
                            codes::NAME_COLLISION,
                            format!("`{other}` and `{term}` both become `{rust}` in Rust"),
                        )
                        .at_labelled(*span, format!("`{term}` becomes `{rust}`"))
                        .with_label(*first, format!("so does `{other}`"))
                        .with_help("rename one of the terms"),
                    ),
                    Some(_) => {}
                    None => {
                        seen.insert(rust, (term, *span));
                    }
                }
            }
        }
    }
}

/// Reports the names of one model that become a Rust name already taken:
/// by a name the model shares with every other (`seen` starts with those)
/// or by an earlier name of the model.
fn collisions<'n>(
    mut seen: HashMap<&'n str, (&'n str, Option<Span>)>,
    names: &'n [(String, String, Option<Span>)],
    model: &str,
    reported: &mut Vec<Span>,
    out: &mut Vec<Diagnostic>,
) {
    for (rust, what, span) in names {
        if rust.is_empty() {
            continue;
        }
        let Some((first_what, first_span)) = seen.get(rust.as_str()).copied() else {
            seen.insert(rust, (what, *span));
            continue;
        };
        if first_what == what || same_spec_name(what, first_what) {
            // The same item twice, or a command named like its event
            // (reported as such by the structural checks).
            continue;
        }
        // One report per place: a name that collides as a type and as a
        // method is one mistake.
        if span.is_some_and(|s| reported.contains(&s)) {
            continue;
        }
        let diagnostic = match (*span, first_span) {
            (Some(span), Some(first)) => {
                reported.push(span);
                Diagnostic::error(
                    codes::NAME_COLLISION,
                    format!("in model `{model}`, {what} and {first_what} both become `{rust}` in Rust"),
                )
                .at_labelled(span, format!("becomes `{rust}`"))
                .with_label(first, "so does this")
                .with_help("rename one of them; names that differ only in `-`, `_` or case are the same name in Rust")
            }
            (Some(span), None) => reserved(model, rust, what, span, first_what, reported),
            (None, Some(first)) => reserved(model, rust, first_what, first, what, reported),
            (None, None) => continue,
        };
        out.push(diagnostic);
    }
}

/// A spec name that becomes a name the generated code already uses.
fn reserved(
    model: &str,
    rust: &str,
    what: &str,
    span: Span,
    taken_by: &str,
    reported: &mut Vec<Span>,
) -> Diagnostic {
    reported.push(span);
    let kind = what.split(' ').next().unwrap_or("item");
    Diagnostic::error(
        codes::NAME_COLLISION,
        format!("in model `{model}`, {what} would become `{rust}`, which is {taken_by}"),
    )
    .at_labelled(span, format!("becomes `{rust}`"))
    .with_help(format!("rename the {kind}"))
}

/// Whether two descriptions are a command and an event with one spec name.
fn same_spec_name(a: &str, b: &str) -> bool {
    let name = |d: &str| {
        d.strip_prefix("command ")
            .or_else(|| d.strip_prefix("event "))
            .map(str::to_string)
    };
    matches!((name(a), name(b)), (Some(x), Some(y)) if x == y)
}

fn modules(file: &ast::SpecFile, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<String, &ast::Ident> = HashMap::new();
    for model in &file.models {
        let Ok(module) = super::names::snake(&model.name.text) else {
            continue;
        };
        match seen.get(&module) {
            Some(first) if first.text != model.name.text => out.push(
                Diagnostic::error(
                    codes::NAME_COLLISION,
                    format!(
                        "models `{}` and `{}` both become module `{module}`",
                        first.text, model.name.text
                    ),
                )
                .at_labelled(model.name.span, format!("becomes `{module}`"))
                .with_label(first.span, "so does this")
                .with_help("rename one of the models"),
            ),
            Some(_) => {}
            None => {
                seen.insert(module, &model.name);
            }
        }
    }
}
