//! The scenarios of what happens next as tests
//! (`tests/policy_scenarios.rs`): each one's event handed to the decision
//! of each policy that follows it, and what each sends compared with the
//! command the scenario names for it, or with none.

use super::behaviour::string;
use super::expr::Expr;
use super::rust::{inert, test_head, use_order};
use super::scenarios::{fact_expr, literal_kinds};
use crate::model::ir::{Model, Reaction, Spec, Then};

/// The test file of the spec's scenarios of what happens next.
pub const PATH: &str = "tests/policy_scenarios.rs";

/// What `templates/policy_scenarios.rs` shows.
pub struct ReactionsView {
    /// The spec's file name, made inert.
    pub spec_doc: String,
    /// Per model with such scenarios, its module of tests.
    pub models: Vec<ModelReactions>,
    /// A value is a date (the `date` helper is written).
    pub date: bool,
    /// A value is a timestamp (the `timestamp` helper is written).
    pub timestamp: bool,
}

/// One model's tests.
pub struct ModelReactions {
    /// Its module's name.
    pub module: String,
    /// `use` lines.
    pub uses: Vec<String>,
    /// Its tests.
    pub tests: Vec<super::scenarios::TestView>,
}

impl ReactionsView {
    /// The view of a spec with scenarios of what happens next; `None`
    /// when it has none.
    pub fn new(spec: &Spec) -> Option<Self> {
        if spec.models.iter().all(|m| tested(m).next().is_none()) {
            return None;
        }
        let root = format!("::{}", spec.crate_name.replace('-', "_"));
        let mut kinds = Vec::new();
        for reaction in spec.models.iter().flat_map(tested) {
            for fact in
                std::iter::once(&reaction.event).chain(reaction.asked.iter().map(|(_, f)| f))
            {
                fact.values
                    .iter()
                    .for_each(|(_, v)| literal_kinds(v, &mut kinds));
            }
        }
        let models = spec
            .models
            .iter()
            .filter(|m| tested(m).next().is_some())
            .map(|m| ModelReactions::new(spec, m, &root))
            .collect();
        Some(ReactionsView {
            spec_doc: inert(&spec.file_name),
            models,
            date: kinds.contains(&"date"),
            timestamp: kinds.contains(&"timestamp"),
        })
    }
}

impl ModelReactions {
    fn new(spec: &Spec, model: &Model, root: &str) -> Self {
        let mut uses = vec![format!("use {root}::generated::{}::*;", model.module)];
        let needs = |f: &str| {
            tested(model).any(|r| {
                std::iter::once(&r.event)
                    .chain(r.asked.iter().map(|(_, a)| a))
                    .any(|fact| {
                        fact.values.iter().any(|(_, v)| {
                            let mut kinds = Vec::new();
                            literal_kinds(v, &mut kinds);
                            kinds.contains(&f)
                        })
                    })
            })
        };
        if needs("date") {
            uses.push("use super::date;".to_string());
        }
        if needs("timestamp") {
            uses.push("use super::timestamp;".to_string());
        }
        uses.sort_by_key(|line| use_order(line));
        let tests = tested(model)
            .map(|reaction| test(spec, model, reaction, root))
            .collect();
        ModelReactions {
            module: model.module.clone(),
            uses,
            tests,
        }
    }
}

/// The scenarios of `model` that a test can show: those of an event a
/// policy that sends a command follows. One whose event no such policy
/// follows shows that nothing is asked, which `esgen check` proves and
/// no code could break.
fn tested(model: &Model) -> impl Iterator<Item = &Reaction> {
    model.reactions.iter().filter(|r| {
        model
            .policies
            .iter()
            .any(|p| p.event == r.event.index && matches!(p.then, Then::Ask { .. }))
    })
}

/// One scenario's test.
fn test(spec: &Spec, model: &Model, reaction: &Reaction, root: &str) -> super::scenarios::TestView {
    let event = &model.events[reaction.event.index];
    let mut body = Expr::atom(string(&reaction.text)).assign(8, "let scenario", ";\n");
    body.push_str(&fact_expr(&event.rust, &reaction.event).assign(8, "let event", ";\n"));
    for policy in model
        .policies
        .iter()
        .filter(|p| p.event == reaction.event.index)
    {
        let Then::Ask {
            model: target,
            module,
            command,
            command_rust,
            ..
        } = &policy.then
        else {
            continue;
        };
        let path = if *module == model.module {
            command_rust.clone()
        } else {
            format!("{root}::generated::{module}::{command_rust}")
        };
        let expected = reaction
            .asked
            .iter()
            .find(|(name, fact)| {
                name == target
                    && spec.models.iter().any(|m| m.name == *name)
                    && fact.index == *command
            })
            .map_or_else(
                || Expr::atom("None"),
                |(_, fact)| Expr::call("Some", vec![fact_expr(&path, fact)]),
            );
        body.push_str(
            &Expr::call(
                "assert_eq!",
                vec![
                    Expr::atom(format!("{}(&event)", policy.rust)),
                    expected,
                    Expr::atom("\"{scenario}\""),
                ],
            )
            .render(8, "", ";\n"),
        );
    }
    super::scenarios::TestView {
        doc: format!(
            "`{}` ({}, line {}).",
            inert(&reaction.title),
            inert(&spec.file_name),
            reaction.line
        ),
        head: test_head(4, &reaction.test),
        body: body.trim_end().to_string(),
    }
}
