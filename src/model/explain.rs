//! `esgen check --explain`: every resolved type, and which were inferred.

use super::ir::{Model, Origin, Query, Spec, Streams};
use askama::Template;

#[derive(Template)]
#[template(path = "explain.txt", escape = "none")]
struct Explain<'a> {
    spec: &'a Spec,
}

/// The explanation of a checked spec, as text.
pub fn explain(spec: &Spec) -> String {
    let mut text = Explain { spec }.render().unwrap_or_default();
    text.truncate(text.trim_end().len());
    text.push('\n');
    text
}

/// How a term's type was found, in a few words.
fn origin(origin: &Origin) -> String {
    match origin {
        Origin::Declared => "declared".into(),
        Origin::Convention(why) => format!("convention: {why}"),
        Origin::Fallback => "inferred: no declaration, taken as text".into(),
    }
}

/// The actions no scenario runs and the guards none shows rejecting.
fn uncovered(model: &Model) -> Vec<String> {
    let covered: Vec<&String> = model.scenarios.iter().flat_map(|s| &s.covers).collect();
    let mut missing = Vec::new();
    for command in &model.commands {
        if !covered.contains(&&command.name) {
            missing.push(command.name.clone());
            continue;
        }
        for guard in &command.guards {
            if !covered.contains(&&guard.rule) {
                missing.push(guard.rule.clone());
            }
        }
    }
    missing
}

/// The other models the rules ask, and which actions ask each.
fn asks(model: &Model) -> String {
    let asked: Vec<String> = model
        .asks
        .iter()
        .enumerate()
        .map(|(index, ask)| {
            let by: Vec<&str> = model
                .commands
                .iter()
                .filter(|c| model.asks_of(c).contains(&index))
                .map(|c| c.name.as_str())
                .collect();
            format!("{} (when proposing {})", ask.name, by.join(", "))
        })
        .collect();
    format!(
        "{}; the answers are read as that model stands, not in this model's stream",
        asked.join("; ")
    )
}

/// How the model's events are stored, and why.
fn streams(model: &Model) -> String {
    match &model.streams {
        Streams::Whole { reason, .. } => format!("one stream for the whole model: {reason}"),
        Streams::PerEntity { .. } => {
            let stores = model.split_stores();
            let entities: Vec<&str> = stores
                .iter()
                .map(|&s| model.store_entity(s).name.as_str())
                .collect();
            let tables: Vec<String> = stores.iter().map(|&s| model.table(s)).collect();
            format!(
                "one per {}: every action carries one entity's key and touches only that entity; the queries over all of them read the materialized table{} {}",
                entities.join(", one per "),
                if tables.len() == 1 { "" } else { "s" },
                tables.join(", ")
            )
        }
    }
}

/// ` -> <type>`: what a query returns, unless its line already says it.
fn resolved(query: &Query) -> String {
    let returns = query.returns.spec();
    if query.spec_line.ends_with(&format!(" returns {returns}")) {
        String::new()
    } else {
        format!(" -> {returns}")
    }
}
