//! The scenarios of a spec, run by the evaluator: what `esgen check` and
//! the language server report, in the words of the generated test
//! (`tests/scenarios.rs`) — the same "expected" and "happened".

use super::{Outcome, Stop, Value, World};
use crate::diagnostics::{codes, Diagnostic};
use crate::model::ir::{self, Spec};
use crate::source::{Source, Span};

/// How one scenario ran.
#[derive(Debug, Clone, PartialEq)]
pub enum Ran {
    /// It holds.
    Passed,
    /// It does not hold: at `line`, what it expected and what happened.
    Failed {
        /// The line of the step that failed (1-based).
        line: usize,
        /// What the scenario says, as the spec writes it.
        expected: String,
        /// What the rules did instead.
        happened: String,
    },
    /// It needs code written by hand (what, in a sentence): it runs in the
    /// crate's tests only.
    NotRun(String),
}

/// One scenario's run.
#[derive(Debug, Clone)]
pub struct Run {
    /// The model's index.
    pub model: usize,
    /// The scenario's index in the model.
    pub scenario: usize,
    /// What came of it.
    pub ran: Ran,
    /// The rule that rejected its command, when it was rejected.
    pub rejected_by: Option<String>,
    /// Whether it is a scenario of what happens next (`scenario` indexes
    /// the model's reactions).
    pub reaction: bool,
}

/// Runs every scenario of the spec.
pub fn run(spec: &Spec) -> Vec<Run> {
    let mut runs = Vec::new();
    for (model, m) in spec.models.iter().enumerate() {
        for (index, scenario) in m.scenarios.iter().enumerate() {
            let mut rejected_by = None;
            let ran = match run_one(spec, model, scenario, &mut rejected_by) {
                Ok(ran) => ran,
                Err(Stop::Unsupported(why)) => Ran::NotRun(why),
                Err(Stop::Absent) => Ran::NotRun("it reads an entity that is not there".into()),
                Err(Stop::OutOfRange) => {
                    Ran::NotRun("it computes a number out of range, or divides by zero".into())
                }
                Err(Stop::Unavailable(_)) => {
                    Ran::NotRun("a service it asks cannot answer where it is asked".into())
                }
                Err(Stop::Unclocked) => Ran::Failed {
                    line: scenario.line,
                    expected: "a day to run on".to_string(),
                    happened: "the rules read `today` or `now`, and the scenario does not say when it runs: add `given today is \"2026-03-02\"` (or `given now is \"2026-03-02T09:30:00Z\"`)".to_string(),
                },
                Err(Stop::Unanswered(service, query)) => Ran::Failed {
                    line: scenario.line,
                    expected: format!("an answer of `{service}` to `{query}`"),
                    happened: format!(
                        "the rules ask it, and the scenario does not say what it answers: add `given {service} answers {query} <value>` (or `given {service} cannot answer`)"
                    ),
                },
            };
            runs.push(Run {
                model,
                scenario: index,
                ran,
                rejected_by,
                reaction: false,
            });
        }
        for (index, reaction) in m.reactions.iter().enumerate() {
            let ran = match react(spec, model, reaction) {
                Ok(ran) => ran,
                Err(Stop::Unsupported(why)) => Ran::NotRun(why),
                Err(_) => Ran::NotRun("its policies read what the evaluator cannot".into()),
            };
            runs.push(Run {
                model,
                scenario: index,
                ran,
                rejected_by: None,
                reaction: true,
            });
        }
    }
    runs
}

/// Runs a scenario of what happens next: the commands the policies ask
/// against those written, in any order.
fn react(spec: &Spec, model: usize, reaction: &ir::Reaction) -> Result<Ran, Stop> {
    let world = World::new(spec);
    let asked = world.react(model, reaction.event.index, &values(&reaction.event))?;
    let words = |asked: &[(usize, usize, Vec<Value>)]| -> String {
        if asked.is_empty() {
            return "nothing is asked".to_string();
        }
        let said: Vec<String> = asked
            .iter()
            .map(|(m, c, values)| {
                let target = &spec.models[*m];
                let command = &target.commands[*c];
                format!(
                    "{} is asked to {}",
                    target.name,
                    fact_words(&command.name, &command.params, values)
                )
            })
            .collect();
        said.join(", and ")
    };
    let mut happened: Vec<(usize, usize, Vec<Value>)> = asked
        .into_iter()
        .map(|a| (a.model, a.command, a.values))
        .collect();
    let mut expected: Vec<(usize, usize, Vec<Value>)> = reaction
        .asked
        .iter()
        .filter_map(|(name, fact)| {
            let m = spec.models.iter().position(|m| m.name == *name)?;
            Some((m, fact.index, values(fact)))
        })
        .collect();
    let (shown_expected, shown_happened) = (words(&expected), words(&happened));
    let key = |a: &(usize, usize, Vec<Value>)| (a.0, a.1);
    expected.sort_by_key(key);
    happened.sort_by_key(key);
    Ok(if expected == happened {
        Ran::Passed
    } else {
        Ran::Failed {
            line: reaction.then_line,
            expected: shown_expected,
            happened: shown_happened,
        }
    })
}

/// What the runs came to, in a few words (`12 scenarios hold`, `9
/// scenarios hold, 3 need code written by hand`); `None` without
/// scenarios.
pub fn summary(runs: &[Run]) -> Option<String> {
    if runs.is_empty() {
        return None;
    }
    let count = |f: fn(&Ran) -> bool| runs.iter().filter(|r| f(&r.ran)).count();
    let held = count(|r| *r == Ran::Passed);
    let failed = count(|r| matches!(r, Ran::Failed { .. }));
    let not_run = count(|r| matches!(r, Ran::NotRun(_)));
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut parts = vec![plural(held, "scenario holds", "scenarios hold")];
    if failed > 0 {
        parts.push(plural(failed, "does not", "do not"));
    }
    if not_run > 0 {
        parts.push(format!(
            "{} (they run in the crate's tests)",
            plural(
                not_run,
                "needs code written by hand",
                "need code written by hand"
            )
        ));
    }
    Some(parts.join(", "))
}

/// The failing scenarios of `spec`, as errors located at the failing step.
pub fn diagnostics(source: &Source, spec: &Spec, runs: &[Run]) -> Vec<Diagnostic> {
    runs.iter()
        .filter_map(|run| {
            let Ran::Failed {
                line,
                expected,
                happened,
            } = &run.ran
            else {
                return None;
            };
            let model = &spec.models[run.model];
            let title = if run.reaction {
                &model.reactions[run.scenario].title
            } else {
                &model.scenarios[run.scenario].title
            };
            Some(
                Diagnostic::error(
                    codes::SCENARIO_FAILS,
                    format!("the scenario `{title}` does not hold"),
                )
                .at_labelled(line_span(&source.text, *line), format!("expected: {expected}"))
                .with_help(format!(
                    "happened: {happened}. The rules and this scenario disagree: correct whichever is wrong"
                )),
            )
        })
        .collect()
}

/// The span of a line's text (1-based), without its indentation and line
/// break.
fn line_span(text: &str, line: usize) -> Span {
    let mut start = 0;
    for (number, content) in text.split_inclusive('\n').enumerate() {
        if number + 1 == line {
            let trimmed = content.trim_end_matches(['\n', '\r']);
            let indent = trimmed.len() - trimmed.trim_start().len();
            return Span::new(start + indent, start + trimmed.len());
        }
        start += content.len();
    }
    Span::new(text.len(), text.len())
}

fn values(fact: &ir::Fact) -> Vec<Value> {
    Value::all(fact.values.iter().map(|(field, literal)| (field, literal)))
}

/// `created [id: t1, text: "a"]`.
pub(super) fn event_words(event: &ir::Event, values: &[Value]) -> String {
    fact_words(&event.name, &event.fields, values)
}

/// An event or a command as a scenario writes it: `name [field: value, …]`.
pub fn fact_words(name: &str, fields: &[ir::Field], values: &[Value]) -> String {
    let entries: Vec<String> = fields
        .iter()
        .zip(values)
        .map(|(f, v)| format!("{}: {}", f.term, v.words()))
        .collect();
    format!("{name} [{}]", entries.join(", "))
}

fn happened(event: &ir::Event, outcome: &Outcome) -> String {
    match outcome {
        Ok(values) => event_words(event, values),
        Err(r) => format!(
            "rejected by {} as {}: {:?}",
            r.rule,
            r.kind.word(),
            r.message
        ),
    }
}

fn run_one(
    spec: &Spec,
    model: usize,
    scenario: &ir::Scenario,
    rejected_by: &mut Option<String>,
) -> Result<Ran, Stop> {
    let m = &spec.models[model];
    let mut world = World::new(spec);
    if let Some(at) = scenario
        .clock
        .as_deref()
        .and_then(|text| crate::model::calendar::clock(text, false))
    {
        world.fix_clock(at);
    }
    for fact in &scenario.given {
        let at = match fact.ask {
            Some(ask) => spec
                .models
                .iter()
                .position(|o| o.name == m.asks[ask].name)
                .ok_or_else(|| Stop::Unsupported("an unknown model".into()))?,
            None => model,
        };
        world.accept(at, fact.index, &values(fact))?;
    }
    for answer in &scenario.answers {
        let said = answer.answer.as_ref().map(|(query, literal)| {
            let ty = &m.services[answer.service].queries[*query].returns;
            (*query, Value::from_literal(literal, ty))
        });
        world.answer(model, answer.service, said);
    }
    let command = &m.commands[scenario.when.index];
    let event = m.event_of(command);
    let outcome = world.propose(model, scenario.when.index, &values(&scenario.when))?;
    *rejected_by = outcome.as_ref().err().map(|r| r.rule.clone());
    let fail = |expected: String| Ran::Failed {
        line: scenario.then_line,
        expected,
        happened: happened(event, &outcome),
    };
    match &scenario.then {
        ir::Outcome::Event { fact } => {
            let expected = values(fact);
            if outcome.as_ref().ok() != Some(&expected) {
                return Ok(fail(event_words(&m.events[fact.index], &expected)));
            }
        }
        ir::Outcome::Accepted => {
            if outcome.is_err() {
                return Ok(fail("accepted".into()));
            }
        }
        ir::Outcome::Rejected {
            rule,
            kind,
            message,
        } => {
            let fits = outcome.as_ref().err().is_some_and(|r| {
                rule.as_ref().is_none_or(|rule| {
                    r.rule == *rule
                        || r.rule.strip_prefix(&format!("{}/", command.name)) == Some(rule.as_str())
                }) && kind.is_none_or(|kind| r.kind == kind)
                    && message.as_ref().is_none_or(|message| r.message == *message)
            });
            if !fits {
                let mut expected = String::from("rejected");
                if let Some(rule) = rule {
                    expected.push_str(&format!(" by {rule}"));
                }
                if let Some(kind) = kind {
                    expected.push_str(&format!(" as {}", kind.word()));
                }
                if let Some(message) = message {
                    expected.push_str(&format!(": {message:?}"));
                }
                return Ok(fail(expected));
            }
        }
    }
    if let Ok(values) = &outcome {
        world.accept(model, command.event, values)?;
    }
    for expect in &scenario.expects {
        let query = &m.queries[expect.query];
        let args = Value::all(query.params.iter().zip(&expect.args));
        let answer = world.query(model, expect.query, &args)?.keyed();
        let wanted = Value::from_literal(&expect.value, &expect.ty);
        if answer != wanted {
            return Ok(Ran::Failed {
                line: expect.line,
                expected: format!("{} is {}", query.name, wanted.words()),
                happened: format!("{} is {}", query.name, answer.words()),
            });
        }
    }
    Ok(Ran::Passed)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_line_span_leaves_out_indentation_and_line_breaks() {
        let text = "a\r\n    then b\r\nc";
        let span = super::line_span(text, 2);
        assert_eq!(&text[span.range()], "then b");
        assert_eq!(super::line_span(text, 9).start, text.len());
    }
}
