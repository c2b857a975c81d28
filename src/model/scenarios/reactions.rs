//! Scenarios of what happens next: `when <event> [...] happens`, then
//! `then <Model> is asked to <action> [...]` (and `and …` for each more),
//! or `then nothing is asked`. Read once every model's policies are, as
//! they name the commands of other models: the event is typed as the
//! model's, each command as its model's.

use super::{test_name, Pass};
use crate::diagnostics::{codes, Diagnostic};
use crate::model::ir;
use crate::source::{LineIndex, Source, Span};
use crate::syntax::ast;

fn shape_error(message: impl Into<String>, span: Span, label: &str, help: &str) -> Diagnostic {
    Diagnostic::error(codes::SCENARIO_SHAPE, message)
        .at_labelled(span, label.to_string())
        .with_help(help.to_string())
}

/// Reads the scenarios of what happens next of every model into its
/// [`ir::Model::reactions`].
pub(in crate::model) fn apply(
    file: &ast::SpecFile,
    models: &mut [ir::Model],
    source: &Source,
    lines: &LineIndex,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for model in &file.models {
        let Some(at) = models.iter().position(|m| m.name == model.name.text) else {
            continue;
        };
        let mut tests: Vec<String> = models[at]
            .scenarios
            .iter()
            .map(|s| s.test.clone())
            .collect();
        let mut reactions = Vec::new();
        for scenario in model.scenarios.iter().filter(|s| super::happens(s)) {
            let mut out = Vec::new();
            if let Some(read) = reaction(scenario, model, at, models, source, lines, &mut out) {
                reactions.push(ir::Reaction {
                    test: test_name(&scenario.title, &mut tests),
                    ..read
                });
            }
            for diagnostic in &mut out {
                diagnostic.message = crate::model::rules::articles(&diagnostic.message);
                diagnostic.help = diagnostic
                    .help
                    .as_deref()
                    .map(crate::model::rules::articles);
            }
            diagnostics.append(&mut out);
        }
        models[at].reactions = reactions;
    }
}

/// One scenario, read; `None` after reporting (its test name is left
/// empty, for the caller to give).
fn reaction(
    scenario: &ast::Scenario,
    model: &ast::Model,
    at: usize,
    models: &[ir::Model],
    source: &Source,
    lines: &LineIndex,
    out: &mut Vec<Diagnostic>,
) -> Option<ir::Reaction> {
    let earlier = model
        .scenarios
        .iter()
        .take_while(|other| other.span != scenario.span)
        .find(|other| other.title == scenario.title);
    if let Some(first) = earlier {
        out.push(
            shape_error(
                format!("two scenarios are called `{}`", scenario.title),
                scenario.title_span,
                "a second scenario with this title",
                "give each scenario its own title: it names its test",
            )
            .with_label(first.title_span, "the first"),
        );
        return None;
    }
    if scenario.broken {
        return None;
    }
    let mut event: Option<&ast::Fact> = None;
    let mut asked: Vec<(&ast::Ident, &ast::Fact)> = Vec::new();
    let mut nothing: Option<Span> = None;
    let mut then: Option<&ast::Step> = None;
    let mut ok = true;
    for step in &scenario.steps {
        match &step.kind {
            ast::StepKind::Happens(fact) if event.is_none() => event = Some(fact),
            ast::StepKind::Happens(_) => {
                out.push(shape_error(
                    "a scenario shows one event happening",
                    step.span,
                    "a second `when`",
                    "write another scenario for this event",
                ));
                ok = false;
            }
            ast::StepKind::Then(ast::Outcome::Asked { model, command, .. }) if event.is_some() => {
                if step.and && then.is_none() {
                    out.push(shape_error(
                        "`and` continues a `then`",
                        step.span,
                        "no `then` above",
                        "write `then` for the first command asked, `and` for each more",
                    ));
                    ok = false;
                }
                then = then.or(Some(step));
                asked.push((model, command));
            }
            ast::StepKind::Then(ast::Outcome::NothingAsked(span)) if event.is_some() => {
                nothing = Some(*span);
                then = then.or(Some(step));
            }
            _ => {
                out.push(shape_error(
                    "a scenario of what happens next has `when <event> [...] happens`, then what is asked",
                    step.span,
                    "not part of it",
                    "write `when <event> [...] happens`, then `then <Model> is asked to <action> [...]` (`and …` for each more) or `then nothing is asked`; a policy reads its event alone, so nothing is given",
                ));
                ok = false;
            }
        }
    }
    let event = event?;
    let Some(then) = then else {
        out.push(shape_error(
            "this scenario does not say what is asked",
            scenario.title_span,
            "no `then`",
            "add `then <Model> is asked to <action> [...]`, or `then nothing is asked`",
        ));
        return None;
    };
    if let (Some(span), false) = (nothing, asked.is_empty()) {
        out.push(shape_error(
            "`nothing is asked` beside a command asked",
            span,
            "nothing",
            "keep either `then nothing is asked` or the commands",
        ));
        ok = false;
    }
    if let Some(other) = &event.model {
        out.push(shape_error(
            "the event that happens is one of the scenario's own model",
            other.span,
            "another model",
            &format!("write this scenario under `{}`'s `Scenarios:`", other.text),
        ));
        return None;
    }
    if !ok {
        return None;
    }
    let read = |index: usize, fact: &ast::Fact, command: bool, out: &mut Vec<Diagnostic>| {
        let mut lowered = models[index].clone();
        let others: Vec<ir::Model> = Vec::new();
        let mut pass = Pass {
            model: &mut lowered,
            others: &others,
            source,
            lines,
            out: Vec::new(),
        };
        let read = pass.read(fact, command);
        out.append(&mut pass.out);
        read
    };
    let event = read(at, event, false, out);
    let mut commands = Vec::new();
    for (model_name, command) in &asked {
        let Some(target) = models.iter().position(|m| m.name == model_name.text) else {
            let names: Vec<&str> = models.iter().map(|m| m.name.as_str()).collect();
            out.push(
                Diagnostic::error(
                    codes::SCENARIO_UNKNOWN,
                    format!("the spec has no model `{}`", model_name.text),
                )
                .at_labelled(model_name.span, "unknown model")
                .with_help(
                    match crate::diagnostics::did_you_mean(&model_name.text, names.iter().copied())
                    {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => format!("the spec's models are: {}", names.join(", ")),
                    },
                ),
            );
            commands.push(None);
            continue;
        };
        commands
            .push(read(target, command, true, out).map(|fact| (models[target].name.clone(), fact)));
    }
    let last = scenario
        .steps
        .last()
        .map_or(scenario.span, |step| step.span);
    let pass_lines = |span: Span| lines.line(span.start);
    let text = super::whole_lines(source, Span::new(scenario.span.start, last.end));
    Some(ir::Reaction {
        title: scenario.title.clone(),
        test: String::new(),
        line: pass_lines(scenario.span),
        text,
        event: event?,
        asked: commands.into_iter().collect::<Option<_>>()?,
        then_line: pass_lines(then.span),
    })
}
