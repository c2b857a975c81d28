//! Stage 2, model: syntax tree → checked semantic model ([`ir::Spec`]).
//!
//! The passes, in order: structural checks on the tree ([`checks`]); per
//! model, lowering (`lower.rs`): entities, declared or inferred, term types
//! by declaration and convention (`types.rs`), queries, commands and events;
//! then Rust names and their collisions across the spec (`namespace.rs`). Every pass reports what it finds and the
//! next pass runs on whatever is usable, so one run reports every problem.

pub(crate) mod calendar;
pub mod checks;
pub mod evolution;
pub mod explain;
pub mod ir;
pub mod list;
mod lower;
pub mod names;
mod namespace;
mod policies;
pub mod routes;
mod rules;
pub(crate) mod scenarios;
mod streams;
mod types;

use crate::diagnostics::{codes, has_errors, Diagnostic};
use crate::source::{Source, Span};
use crate::syntax::ast;
use ir::Type;
use std::collections::BTreeSet;

/// Checks a parsed spec and builds its semantic model. Returns `None` when
/// any error was found; the diagnostics say why (warnings come either way).
pub fn analyze(file: &ast::SpecFile, source: &Source) -> (Option<ir::Spec>, Vec<Diagnostic>) {
    let (spec, diagnostics) = analyze_in_part(file, source);
    let spec = spec.filter(|_| !has_errors(&diagnostics));
    (spec, diagnostics)
}

/// [`analyze`], except that when every error found is about a scenario
/// (its shape, names or values) the model comes back all the same, each
/// scenario with an error left out of it: the rest of it is checked, and
/// can be compared with the lock.
pub fn analyze_in_part(
    file: &ast::SpecFile,
    source: &Source,
) -> (Option<ir::Spec>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    if file.models.is_empty() {
        diagnostics.push(
            Diagnostic::error(codes::NO_MODEL, "the spec has no model")
                .with_help("start it with `Model: <Name>`, then its `Queries:` and `Actions:`"),
        );
        return (None, diagnostics);
    }
    checks::duplicate_models(file, &mut diagnostics);
    let others = asked_models(file);
    let entities: Vec<(String, String)> = file
        .models
        .iter()
        .flat_map(|m| {
            m.entities
                .iter()
                .map(|e| (e.name.text.clone(), m.name.text.clone()))
        })
        .collect();
    let mut models = Vec::new();
    let mut spaces = Vec::new();
    let lines = crate::source::LineIndex::new(&source.text);
    let mut tables: Vec<(String, String, Span)> = Vec::new();
    let mut scenario_errors = 0;
    for model in file.models.iter().filter(|m| !m.name.text.is_empty()) {
        checks::model(model, &mut diagnostics);
        // A model with errors still hands on the names it has, so that
        // collisions are reported in the same run.
        let (mut lowered, space) = lower::Lowering::new(model, &mut diagnostics)
            .asking(&others)
            .seeing(&entities)
            .run();
        if let Some(lowered) = lowered.as_mut() {
            let before = diagnostics.len();
            scenarios::apply(model, lowered, &others, source, &lines, &mut diagnostics);
            scenario_errors += diagnostics[before..]
                .iter()
                .filter(|d| d.is_error())
                .count();
            lowered.streams = streams::apply(model, lowered, &mut diagnostics);
            streams::tables_apart(model, lowered, &mut tables, &mut diagnostics);
        }
        models.extend(lowered);
        spaces.push(space);
    }
    if models.len() == file.models.len() {
        policies::apply(file, &mut models, &mut diagnostics);
        let before = diagnostics.len();
        scenarios::reactions(file, &mut models, source, &lines, &mut diagnostics);
        scenario_errors += diagnostics[before..]
            .iter()
            .filter(|d| d.is_error())
            .count();
    }
    let identities = identities(&models);
    namespace::check_spec(file, &spaces, &identities, &mut diagnostics);
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    if errors > scenario_errors || models.len() != file.models.len() {
        return (None, diagnostics);
    }
    let spec = ir::Spec {
        file_name: source.file_name().to_string(),
        crate_name: crate_name(source.stem()),
        identities,
        models,
    };
    (Some(spec), diagnostics)
}

/// The models that other models ask (`<query> [args] in <Model>`, or
/// `given <event> […] in <Model>` in a scenario), lowered as far as they
/// declare, their rules aside: their queries' signatures and events are
/// what the asking model needs. Their own diagnostics come when they are
/// lowered in turn. Empty, at no cost, for a spec whose models ask nothing.
fn asked_models(file: &ast::SpecFile) -> Vec<ir::Model> {
    let mut named = BTreeSet::new();
    let operand = |o: &ast::Operand, named: &mut BTreeSet<String>| {
        if let ast::Operand::Asked { model, .. } = o {
            named.insert(model.text.clone());
        }
    };
    for model in &file.models {
        for action in &model.actions {
            for clause in &action.clauses {
                match clause {
                    ast::Clause::Guard { condition, .. } => {
                        for o in condition.operands() {
                            operand(o, &mut named);
                        }
                    }
                    ast::Clause::Source {
                        from: ast::FieldSource::Operand(o) | ast::FieldSource::IdsOf(o, _),
                        ..
                    } => operand(o, &mut named),
                    ast::Clause::Source {
                        from: ast::FieldSource::Sum(sum),
                        ..
                    } => {
                        for o in sum.operands() {
                            operand(o, &mut named);
                        }
                    }
                    ast::Clause::Effect(_) => {}
                }
            }
        }
        for scenario in &model.scenarios {
            for step in &scenario.steps {
                if let ast::StepKind::Given(fact) = &step.kind {
                    if let Some(model) = &fact.model {
                        named.insert(model.text.clone());
                    }
                }
            }
        }
    }
    if named.is_empty() {
        return Vec::new();
    }
    let mut quiet = Vec::new();
    file.models
        .iter()
        .filter(|m| named.contains(&m.name.text))
        .filter_map(|m| {
            let mut lowered = lower::Lowering::new(m, &mut quiet).declarations().run().0?;
            // Its terms' defaults and constraints: what a scenario's
            // `given … in <Model>` leaves out takes that model's default.
            rules::terms_only(m, &mut lowered);
            Some(lowered)
        })
        .collect()
}

/// A package name from a spec's file stem: lower kebab case, starting with
/// a letter.
pub fn crate_name(stem: &str) -> String {
    let cleaned: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let trimmed = cleaned.trim_matches('-');
    match trimmed.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => trimmed.to_string(),
        Some(_) => format!("spec-{trimmed}"),
        None => "spec".to_string(),
    }
}

/// Every identity type the models mention, sorted by name.
fn identities(models: &[ir::Model]) -> Vec<ir::Identity> {
    let mut found = BTreeSet::new();
    let mut visit = |ty: &Type| {
        let mut out = Vec::new();
        ty.identities(&mut out);
        found.extend(out.into_iter().map(str::to_string));
    };
    for model in models {
        for entity in &model.entities {
            entity.fields.iter().for_each(|f| visit(&f.ty));
        }
        for query in &model.queries {
            query.params.iter().for_each(|f| visit(&f.ty));
            visit(&query.returns);
        }
        for command in &model.commands {
            command.params.iter().for_each(|f| visit(&f.ty));
        }
        for event in &model.events {
            event.fields.iter().for_each(|f| visit(&f.ty));
        }
    }
    found
        .into_iter()
        .map(|of| ir::Identity {
            rust: format!("{of}Id"),
            of,
        })
        .collect()
}

/// The names one model puts into Rust, with where each comes from, for the
/// collision checks.
#[derive(Default)]
pub(crate) struct Space {
    /// The model's name as written.
    pub model: String,
    /// Type names: (Rust name, what it is, where in the spec).
    pub types: Vec<(String, String, Option<Span>)>,
    /// Methods of the aggregate.
    pub methods: Vec<(String, String, Option<Span>)>,
    /// Field lists: each list's (Rust name, term, where).
    pub field_lists: Vec<Vec<(String, String, Span)>>,
}
