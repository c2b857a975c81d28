//! Scenarios: the examples a spec gives beside its rules — given these
//! events, when this command, then this event or this rejection, and these
//! answers from the queries. Each is checked against the model it belongs
//! to (every name resolved, every value typed) and handed to code
//! generation as a test.
//!
//! The passes, in order: the shape of each scenario (one `when`, one
//! `then`, steps in order: `shape.rs`); its values (`values.rs`); what it
//! covers, and a warning for each guard no scenario shows rejecting and
//! each action none runs (`coverage.rs`).

use super::ir;
use crate::diagnostics::Diagnostic;
use crate::source::{LineIndex, Source, Span};
use crate::syntax::ast;

mod coverage;
mod reactions;
mod shape;
mod values;

pub(super) use reactions::apply as reactions;

/// Whether a scenario shows what happens next (`when <event> [...]
/// happens`): those are read by [`reactions`], once every policy is.
fn happens(scenario: &ast::Scenario) -> bool {
    scenario
        .steps
        .iter()
        .any(|step| matches!(step.kind, ast::StepKind::Happens(_)))
}

/// Checks and types the scenarios of a lowered model and stores them on it.
pub(super) fn apply(
    model: &ast::Model,
    lowered: &mut ir::Model,
    others: &[ir::Model],
    source: &Source,
    lines: &LineIndex,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut pass = Pass {
        model: lowered,
        others,
        source,
        lines,
        out: Vec::new(),
    };
    let mut scenarios = Vec::new();
    let mut tests = Vec::new();
    for scenario in model.scenarios.iter().filter(|s| !happens(s)) {
        let Some(steps) = pass.shape(scenario, &model.scenarios) else {
            continue;
        };
        if let Some(checked) = pass.scenario(scenario, &steps, &mut tests) {
            scenarios.push(checked);
        }
    }
    pass.model.scenarios = scenarios;
    pass.coverage(model);
    for diagnostic in &mut pass.out {
        diagnostic.message = super::rules::articles(&diagnostic.message);
        diagnostic.label = diagnostic.label.as_deref().map(super::rules::articles);
        diagnostic.help = diagnostic.help.as_deref().map(super::rules::articles);
    }
    diagnostics.append(&mut pass.out);
}

/// The scenarios of a checked spec credited with what their runs showed:
/// `actual` holds, for each scenario that held with its command rejected
/// (its model's and its own index), the rule that rejected it, which is
/// then the one it shows (in place of what the spec alone told, which
/// stays for the scenarios the evaluator could not run). Returns the
/// warnings `W0003` as they stand after that, for every model with
/// scenarios: they replace the ones the analysis gave.
pub(crate) fn credit(
    file: &ast::SpecFile,
    spec: &mut ir::Spec,
    actual: &[(usize, usize, String)],
) -> Vec<Diagnostic> {
    for (model, index, rule) in actual {
        let Some(scenario) = spec
            .models
            .get_mut(*model)
            .and_then(|m| m.scenarios.get_mut(*index))
        else {
            continue;
        };
        scenario.covers.truncate(1);
        scenario.covers.push(rule.clone());
    }
    let mut warnings = Vec::new();
    for lowered in &spec.models {
        let Some(model) = file
            .models
            .iter()
            .find(|m| m.name.text == lowered.name && !m.scenarios.iter().all(happens))
        else {
            continue;
        };
        warnings.extend(coverage::untested(model, lowered));
    }
    for diagnostic in &mut warnings {
        diagnostic.message = super::rules::articles(&diagnostic.message);
        diagnostic.label = diagnostic.label.as_deref().map(super::rules::articles);
        diagnostic.help = diagnostic.help.as_deref().map(super::rules::articles);
    }
    warnings
}

/// A `given` event or a `when` command written as a scenario writes it
/// (`fact`, read from `source`), typed against model `model` of a
/// checked spec: what `esgen try` reads.
pub(crate) fn read_fact(
    spec: &ir::Spec,
    model: usize,
    fact: &ast::Fact,
    command: bool,
    source: &Source,
) -> (Option<ir::Fact>, Vec<Diagnostic>) {
    let others: Vec<ir::Model> = spec
        .models
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != model)
        .map(|(_, m)| m.clone())
        .collect();
    reading(spec, model, &others, source, |pass| {
        pass.read(fact, command)
    })
}

/// A query and its arguments written as a scenario writes them, typed
/// against model `model` of a checked spec: the query's index and its
/// arguments.
pub(crate) fn read_query(
    spec: &ir::Spec,
    model: usize,
    query: &ast::Ident,
    args: &ast::Args,
    source: &Source,
) -> (Option<(usize, Vec<ir::Literal>)>, Vec<Diagnostic>) {
    reading(spec, model, &[], source, |pass| {
        pass.asking(query, args)
            .and_then(|(index, args)| Some((index, args?)))
    })
}

/// The answer an `and <query> … is <value>` writes, typed as a scenario
/// types it (entities by their keys): the value and its type.
pub(crate) fn read_answer(
    spec: &ir::Spec,
    model: usize,
    query: usize,
    value: &ast::Value,
    source: &Source,
) -> (Option<(ir::Literal, ir::Type)>, Vec<Diagnostic>) {
    reading(spec, model, &[], source, |pass| {
        let ty = pass.keyed(&spec.models[model].queries[query].returns);
        pass.value(value, &ty).map(|literal| (literal, ty))
    })
}

/// What a service answers, written as a scenario writes it (`given
/// <Service> answers <query> <value>`), typed against model `model` of a
/// checked spec: what `esgen try` reads.
pub(crate) fn read_service_answer(
    spec: &ir::Spec,
    model: usize,
    answer: &ast::ServiceAnswer,
    source: &Source,
) -> (Option<ir::Answer>, Vec<Diagnostic>) {
    reading(spec, model, &[], source, |pass| pass.answer(answer))
}

/// What `read` makes of a step against model `model`, and what it
/// reported.
fn reading<T>(
    spec: &ir::Spec,
    model: usize,
    others: &[ir::Model],
    source: &Source,
    read: impl FnOnce(&mut Pass<'_>) -> Option<T>,
) -> (Option<T>, Vec<Diagnostic>) {
    let mut lowered = spec.models[model].clone();
    let lines = LineIndex::new(&source.text);
    let mut pass = Pass {
        model: &mut lowered,
        others,
        source,
        lines: &lines,
        out: Vec::new(),
    };
    let read = read(&mut pass);
    (read, pass.out)
}

struct Pass<'m> {
    model: &'m mut ir::Model,
    /// The spec's other models, their rules aside: the events of a
    /// `given … in <Model>`.
    others: &'m [ir::Model],
    source: &'m Source,
    lines: &'m LineIndex,
    out: Vec<Diagnostic>,
}

impl Pass<'_> {
    /// The line a span starts on.
    fn line(&self, span: Span) -> usize {
        self.lines.line(span.start)
    }

    /// The whole lines `span` touches, as written, each without trailing
    /// white space.
    fn whole_lines(&self, span: Span) -> String {
        whole_lines(self.source, span)
    }
}

/// The whole lines of `source` that `span` touches, as written, each
/// without trailing white space.
fn whole_lines(source: &Source, span: Span) -> String {
    let text = &source.text;
    let start = text[..span.start.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let end = text[span.end.min(text.len())..]
        .find('\n')
        .map_or(text.len(), |i| span.end + i);
    text.get(start..end)
        .unwrap_or_default()
        .lines()
        .map(|line| format!("{}\n", line.trim_end()))
        .collect()
}

/// The longest test name, in characters.
const MAX_TEST_NAME: usize = 64;

/// A test function's name from a scenario's title: its words in snake
/// case, ASCII letters and digits only.
fn test_name(title: &str, taken: &mut Vec<String>) -> String {
    let mut name = String::new();
    for word in title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !name.is_empty() {
            name.push('_');
        }
        name.push_str(&word.to_ascii_lowercase());
    }
    // A test's name is read in test output: the first words of a long
    // title say enough.
    while name.len() > MAX_TEST_NAME {
        match name.rfind('_') {
            Some(at) => name.truncate(at),
            None => name.truncate(MAX_TEST_NAME),
        }
    }
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("scenario_{name}").trim_end_matches('_').to_string();
    }
    if super::names::is_keyword(&name) {
        name.push('_');
    }
    let mut unique = name.clone();
    let mut n = 2;
    while taken.contains(&unique) {
        unique = format!("{name}_{n}");
        n += 1;
    }
    taken.push(unique.clone());
    unique
}

#[cfg(test)]
mod tests {
    use super::test_name;

    #[test]
    fn test_names_are_snake_case_and_unique() {
        let mut taken = Vec::new();
        assert_eq!(test_name("ids are unique", &mut taken), "ids_are_unique");
        assert_eq!(test_name("IDs are Unique!", &mut taken), "ids_are_unique_2");
        assert_eq!(test_name("2 todos", &mut taken), "scenario_2_todos");
        assert_eq!(test_name("über", &mut taken), "ber");
        assert_eq!(test_name("ééé", &mut taken), "scenario");
        assert_eq!(test_name("match", &mut taken), "match_");
        let long =
            "a book with a very long title joins the general collection, described in every detail";
        assert_eq!(
            test_name(long, &mut taken),
            "a_book_with_a_very_long_title_joins_the_general_collection"
        );
    }
}
