//! The shape of a scenario: `given` lines (any number), then one `when`,
//! then one `then`, then `and` answers; and one title per scenario.

use super::Pass;
use crate::diagnostics::{codes, Diagnostic};
use crate::syntax::ast::{self, StepKind};

/// A scenario's steps, sorted by role.
pub(super) struct Steps<'a> {
    /// Each event, and how many times it happened (`given 40 × …`).
    pub given: Vec<(&'a ast::Fact, u32)>,
    /// `given today is …` or `given now is …`.
    pub clock: Option<&'a ast::ClockFix>,
    pub when: &'a ast::Fact,
    pub then: &'a ast::Outcome,
    pub then_step: &'a ast::Step,
    pub expects: Vec<&'a ast::Expectation>,
    pub answers: Vec<&'a ast::ServiceAnswer>,
}

/// How many times `given <n> × …` may give an event.
const MAX_TIMES: u32 = 10_000;

/// The `n`th of `given <times> × <fact>`: `{n}` in its values replaced by
/// `n`.
pub(crate) fn nth(fact: &ast::Fact, n: u32) -> ast::Fact {
    fn value(v: &ast::Value, n: &str) -> ast::Value {
        match v {
            ast::Value::Text(text, span) => ast::Value::Text(text.replace("{n}", n), *span),
            ast::Value::Word(w) => ast::Value::Word(ast::Ident {
                text: w.text.replace("{n}", n),
                span: w.span,
            }),
            ast::Value::List(items, span) => {
                ast::Value::List(items.iter().map(|i| value(i, n)).collect(), *span)
            }
            other => other.clone(),
        }
    }
    let n = n.to_string();
    let mut out = fact.clone();
    for entry in &mut out.entries {
        entry.value = value(&entry.value, &n);
    }
    out
}

fn shape_error(
    message: impl Into<String>,
    span: crate::source::Span,
    label: &str,
    help: &str,
) -> Diagnostic {
    Diagnostic::error(codes::SCENARIO_SHAPE, message)
        .at_labelled(span, label.to_string())
        .with_help(help.to_string())
}

impl Pass<'_> {
    /// The scenario's steps by role, or `None` when its shape is wrong
    /// (reported) or one of its lines did not parse (already reported).
    pub(super) fn shape<'a>(
        &mut self,
        scenario: &'a ast::Scenario,
        all: &[ast::Scenario],
    ) -> Option<Steps<'a>> {
        let first = all
            .iter()
            .find(|other| other.title == scenario.title)
            .filter(|other| other.span != scenario.span);
        if let Some(first) = first {
            self.out.push(
                shape_error(
                    format!("two scenarios are called `{}`", scenario.title),
                    scenario.title_span,
                    "a second scenario with this title",
                    "give each scenario its own title: it names its test",
                )
                .with_label(first.title_span, "the first"),
            );
        }
        if scenario.broken {
            return None;
        }
        let mut given = Vec::new();
        let mut clock = None;
        let mut when = None;
        let mut then: Option<(&ast::Outcome, &ast::Step)> = None;
        let mut expects = Vec::new();
        let mut answers = Vec::new();
        let mut ok = true;
        for step in &scenario.steps {
            match &step.kind {
                StepKind::Given(fact) if then.is_some() && step.and => {
                    self.out.push(shape_error(
                        "after `then`, `and` states what a query answers",
                        step.span,
                        "an event after `then`",
                        "write `and <query> [args] is <value>`, e.g. `and all-todos is [t1]`; events the scenario starts from go before `when`",
                    ));
                    ok = false;
                }
                StepKind::Given(_) if when.is_some() => {
                    self.out.push(shape_error(
                        "`given` after `when`",
                        step.span,
                        "the events a scenario starts from come first",
                        "move this line above `when`",
                    ));
                    ok = false;
                }
                StepKind::Given(fact) => given.push((fact, 1)),
                // Scenarios of what happens next are read apart
                // (`reactions.rs`), and never reach here.
                StepKind::Happens(_) => ok = false,
                StepKind::Repeated(..) if when.is_some() => {
                    self.out.push(shape_error(
                        "`given` after `when`",
                        step.span,
                        "the events a scenario starts from come first",
                        "move this line above `when`",
                    ));
                    ok = false;
                }
                StepKind::Repeated(times, _) if !(1..=MAX_TIMES).contains(times) => {
                    self.out.push(shape_error(
                        format!("an event is given 1 to {MAX_TIMES} times"),
                        step.span,
                        "this many times",
                        &format!("write a number from 1 to {MAX_TIMES} before `×`"),
                    ));
                    ok = false;
                }
                StepKind::Repeated(times, fact) => given.push((fact, *times)),
                StepKind::Clock(_) if when.is_some() => {
                    self.out.push(shape_error(
                        "what the clock reads is given before `when`",
                        step.span,
                        "after the command",
                        "move this line above `when`, with the events the scenario starts from",
                    ));
                    ok = false;
                }
                StepKind::Clock(_) if clock.is_some() => {
                    self.out.push(shape_error(
                        "a scenario sets the clock once",
                        step.span,
                        "a second time",
                        "keep one `given today is \"…\"` (or `given now is \"…\"`)",
                    ));
                    ok = false;
                }
                StepKind::Clock(fix) => clock = Some(fix),
                StepKind::When(_) if when.is_some() => {
                    self.out.push(shape_error(
                        "a scenario has one `when`",
                        step.span,
                        "a second `when`",
                        "show the second command in a scenario of its own: its `given` lists the events that came before",
                    ));
                    ok = false;
                }
                StepKind::When(fact) => when = Some(fact),
                StepKind::Then(_) if then.is_some() => {
                    self.out.push(shape_error(
                        "a scenario has one `then`",
                        step.span,
                        "a second `then`",
                        "say what the queries answer afterwards with `and <query> [args] is <value>`",
                    ));
                    ok = false;
                }
                StepKind::Then(_) if when.is_none() => {
                    self.out.push(shape_error(
                        "`then` before `when`",
                        step.span,
                        "what happens, before the command that makes it happen",
                        "write the command first: `when <action> [param: value, …]`",
                    ));
                    ok = false;
                }
                StepKind::Then(outcome) => then = Some((outcome, step)),
                StepKind::Expect(_) if then.is_none() => {
                    self.out.push(shape_error(
                        "an answer before `then`",
                        step.span,
                        "queries are asked after the command",
                        "move this line after `then`; `and` after `given` adds an event: `and created [id: t2]`",
                    ));
                    ok = false;
                }
                StepKind::Expect(expectation) => expects.push(expectation),
                StepKind::Answers(_) if when.is_some() => {
                    self.out.push(shape_error(
                        "what a service answers is given before `when`",
                        step.span,
                        "after the command",
                        "move this line above `when`, with the events the scenario starts from",
                    ));
                    ok = false;
                }
                StepKind::Answers(answer) => answers.push(answer),
            }
        }
        let missing = |what: &str, example: &str| {
            shape_error(
                format!("the scenario `{}` has no `{what}`", scenario.title),
                scenario.title_span,
                &format!("no `{what}` line under this"),
                example,
            )
        };
        let Some(when) = when else {
            if ok {
                self.out.push(missing(
                    "when",
                    "say which command it is about: `when <action> [param: value, …]`",
                ));
            }
            return None;
        };
        let Some((then, then_step)) = then else {
            if ok {
                self.out.push(missing(
                    "then",
                    "say what happens: `then <event> [field: value, …]`, `then rejected: \"…\"` or `then accepted`",
                ));
            }
            return None;
        };
        ok.then_some(Steps {
            given,
            clock,
            when,
            then,
            then_step,
            expects,
            answers,
        })
    }
}
