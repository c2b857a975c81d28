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
    "Result",
    "Self",
    "Serialize",
    "String",
    "ToString",
    "Vec",
];

/// Methods every aggregate has.
const RESERVED_METHODS: &[&str] = &["propose", "accept", "execute", "replay", "default"];

/// Every collision check, across the whole spec.
pub(super) fn check_spec(
    file: &ast::SpecFile,
    models: &[ir::Model],
    spaces: &[Space],
    identities: &[ir::Identity],
    out: &mut Vec<Diagnostic>,
) {
    modules(file, out);
    for (model, space) in models.iter().zip(spaces) {
        let mut types: Vec<(String, String, Option<Span>)> = RESERVED_TYPES
            .iter()
            .map(|name| {
                (
                    name.to_string(),
                    format!("`{name}`, which the generated code uses"),
                    None,
                )
            })
            .collect();
        types.extend(identities.iter().map(|i| {
            (
                i.rust.clone(),
                format!("the identity type of `{}`", i.of),
                None,
            )
        }));
        types.extend(space.types.iter().cloned());
        collisions(&types, &model.name, out);

        let mut methods: Vec<(String, String, Option<Span>)> = RESERVED_METHODS
            .iter()
            .map(|name| {
                (
                    name.to_string(),
                    format!("`{name}`, which every aggregate has"),
                    None,
                )
            })
            .collect();
        methods.extend(space.methods.iter().cloned());
        collisions(&methods, &model.name, out);

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

fn collisions(names: &[(String, String, Option<Span>)], model: &str, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, (&str, Option<Span>)> = HashMap::new();
    for (rust, what, span) in names {
        if rust.is_empty() {
            continue;
        }
        let Some((first_what, first_span)) = seen.get(rust.as_str()).copied() else {
            seen.insert(rust, (what, *span));
            continue;
        };
        if first_what == what {
            continue;
        }
        let mut diagnostic = Diagnostic::error(
            codes::NAME_COLLISION,
            format!("in model `{model}`, {what} and {first_what} both become `{rust}` in Rust"),
        );
        match (*span, first_span) {
            (Some(span), Some(first)) => {
                diagnostic = diagnostic
                    .at_labelled(span, format!("becomes `{rust}`"))
                    .with_label(first, "so does this");
            }
            (Some(span), None) | (None, Some(span)) => {
                diagnostic = diagnostic.at_labelled(span, format!("becomes `{rust}`"));
            }
            (None, None) => {}
        }
        out.push(diagnostic.with_help("rename one of them"));
    }
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
