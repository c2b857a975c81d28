//! The shape of a scenario: `given` lines (any number), then one `when`,
//! then one `then`, then `and` answers; and one title per scenario.

use super::Pass;
use crate::diagnostics::{codes, Diagnostic};
use crate::syntax::ast::{self, StepKind};

/// A scenario's steps, sorted by role.
pub(super) struct Steps<'a> {
    pub given: Vec<&'a ast::Fact>,
    pub when: &'a ast::Fact,
    pub then: &'a ast::Outcome,
    pub then_step: &'a ast::Step,
    pub expects: Vec<&'a ast::Expectation>,
    pub answers: Vec<&'a ast::ServiceAnswer>,
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
                StepKind::Given(fact) => given.push(fact),
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
            when,
            then,
            then_step,
            expects,
            answers,
        })
    }
}
