//! Structural checks on the syntax tree, one small pass each: duplicates,
//! repeated sections, empty entities, commands named like events, events
//! given different fields. They run before types are resolved.

use crate::diagnostics::{codes, Diagnostic};
use crate::source::Span;
use crate::syntax::ast;
use std::collections::HashMap;

/// Every structural pass over one model.
pub fn model(model: &ast::Model, out: &mut Vec<Diagnostic>) {
    repeated_sections(model, out);
    duplicates(
        "entity",
        codes::DUPLICATE_ENTITY,
        model.entities.iter().map(|e| &e.name),
        out,
    );
    duplicates(
        "term",
        codes::DUPLICATE_TERM,
        model.terms.iter().map(|t| &t.name),
        out,
    );
    duplicates(
        "query",
        codes::DUPLICATE_QUERY,
        model.queries.iter().map(|q| &q.name),
        out,
    );
    duplicates(
        "action",
        codes::DUPLICATE_ACTION,
        model.actions.iter().map(|a| &a.command),
        out,
    );
    parameter_lists(model, out);
    empty_entities(model, out);
    commands_named_like_events(model, out);
    event_fields_agree(model, out);
}

/// Models with the same name.
pub fn duplicate_models(spec: &ast::SpecFile, out: &mut Vec<Diagnostic>) {
    duplicates(
        "model",
        codes::DUPLICATE_MODEL,
        spec.models.iter().map(|m| &m.name),
        out,
    );
}

fn duplicates<'a>(
    what: &str,
    code: &'static str,
    names: impl Iterator<Item = &'a ast::Ident>,
    out: &mut Vec<Diagnostic>,
) {
    let mut seen: HashMap<&str, Span> = HashMap::new();
    for name in names {
        if let Some(first) = seen.get(name.text.as_str()) {
            out.push(
                Diagnostic::error(code, format!("{what} `{}` is defined twice", name.text))
                    .at_labelled(name.span, "defined again here")
                    .with_label(*first, "first defined here")
                    .with_help(format!("remove one of them, or rename this {what}")),
            );
        } else {
            seen.insert(&name.text, name.span);
        }
    }
}

fn repeated_sections(model: &ast::Model, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, Span> = HashMap::new();
    for header in &model.sections {
        let keyword = header.kind.keyword();
        if let Some(first) = seen.get(keyword) {
            out.push(
                Diagnostic::error(
                    codes::DUPLICATE_SECTION,
                    format!(
                        "model `{}` has a second `{keyword}:` section",
                        model.name.text
                    ),
                )
                .at_labelled(header.span, "opened again here")
                .with_label(*first, "first opened here")
                .with_help(format!(
                    "move these items into the first `{keyword}:` section"
                )),
            );
        } else {
            seen.insert(keyword, header.span);
        }
    }
}

fn parameter_lists(model: &ast::Model, out: &mut Vec<Diagnostic>) {
    let lists = model
        .entities
        .iter()
        .map(|e| (format!("entity `{}`", e.name.text), &e.fields))
        .chain(
            model
                .queries
                .iter()
                .map(|q| (format!("query `{}`", q.name.text), &q.params)),
        )
        .chain(model.actions.iter().flat_map(|a| {
            [
                (format!("command `{}`", a.command.text), &a.params),
                (format!("event `{}`", a.event.text), &a.fields),
            ]
        }));
    for (owner, list) in lists {
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for name in list {
            if let Some(first) = seen.get(name.text.as_str()) {
                out.push(
                    Diagnostic::error(
                        codes::DUPLICATE_PARAMETER,
                        format!("{owner} lists `{}` twice", name.text),
                    )
                    .at_labelled(name.span, "listed again here")
                    .with_label(*first, "first listed here")
                    .with_help("a term means one thing throughout the model; list it once"),
                );
            } else {
                seen.insert(&name.text, name.span);
            }
        }
    }
}

fn empty_entities(model: &ast::Model, out: &mut Vec<Diagnostic>) {
    // A recovered entity's line was reported already.
    for entity in model
        .entities
        .iter()
        .filter(|e| e.fields.is_empty() && !e.recovered)
    {
        out.push(
            Diagnostic::error(
                codes::ENTITY_WITHOUT_FIELDS,
                format!("entity `{}` has no fields", entity.name.text),
            )
            .at_labelled(
                entity.name.span,
                "needs at least the field that identifies it",
            )
            .with_help(format!(
                "list its fields, identity first: `Entity: {} [id …]`",
                entity.name.text
            )),
        );
    }
}

fn commands_named_like_events(model: &ast::Model, out: &mut Vec<Diagnostic>) {
    let commands: HashMap<&str, Span> = model
        .actions
        .iter()
        .map(|a| (a.command.text.as_str(), a.command.span))
        .collect();
    let mut reported = Vec::new();
    for action in &model.actions {
        let event = action.event.text.as_str();
        if let Some(command) = commands.get(event) {
            if !reported.contains(&event) {
                reported.push(event);
                out.push(
                    Diagnostic::error(
                        codes::COMMAND_IS_EVENT,
                        format!("`{event}` is the name of both a command and an event"),
                    )
                    .at_labelled(action.event.span, "the event")
                    .with_label(*command, "the command")
                    .with_help("a command asks, an event records what happened: name the event in the past tense (`created`, `text-changed`)"),
                );
            }
        }
    }
}

fn event_fields_agree(model: &ast::Model, out: &mut Vec<Diagnostic>) {
    let mut first: HashMap<&str, &ast::Action> = HashMap::new();
    for action in &model.actions {
        let event = action.event.text.as_str();
        let Some(earlier) = first.get(event) else {
            first.insert(event, action);
            continue;
        };
        let version = |a: &ast::Action| a.event_version.map_or(1, |(v, _)| v);
        if version(earlier) != version(action) {
            let at = action.event_version.map_or(action.event.span, |(_, s)| s);
            out.push(
                Diagnostic::error(
                    codes::EVENT_FIELDS_DIFFER,
                    format!(
                        "action `{}` is accepted as `{event}@{}`, but `{}` accepts `{event}@{}`",
                        action.command.text,
                        version(action),
                        earlier.command.text,
                        version(earlier)
                    ),
                )
                .at_labelled(at, "this version")
                .with_label(
                    earlier.event.span,
                    format!("`{event}@{}` here", version(earlier)),
                )
                .with_help(format!(
                    "an event has one current version: write `{event}@{}` in both actions",
                    version(action).max(version(earlier))
                )),
            );
            continue;
        }
        let names =
            |fields: &[ast::Ident]| fields.iter().map(|f| f.text.clone()).collect::<Vec<_>>();
        if names(&earlier.fields) != names(&action.fields) {
            let list_span = |a: &ast::Action| match (a.fields.first(), a.fields.last()) {
                (Some(first), Some(last)) => Span::new(first.span.start, last.span.end),
                _ => a.event.span,
            };
            out.push(
                Diagnostic::error(
                    codes::EVENT_FIELDS_DIFFER,
                    format!(
                        "action `{}` is accepted as `{event}`, but `{event}` already has different fields",
                        action.command.text
                    ),
                )
                .at_labelled(list_span(action), format!("[{}] here", names(&action.fields).join(" ")))
                .with_label(list_span(earlier), format!("[{}] for `{}`", names(&earlier.fields).join(" "), earlier.command.text))
                .with_help(format!(
                    "give `{event}` the same fields in both actions, or name this event differently"
                )),
            );
        }
    }
}
