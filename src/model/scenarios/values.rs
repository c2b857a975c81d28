//! A scenario's names and values, checked against the model: the events
//! and the command it names, each field's value typed by the field, the
//! rule and kind of a rejection, and each query's arguments and answer.

use super::shape::Steps;
use super::Pass;
use crate::diagnostics::{codes, did_you_mean, Diagnostic};
use crate::model::calendar::{date, timestamp};
use crate::model::ir::{self, Literal, RejectionKind, Type};
use crate::source::Span;
use crate::syntax::ast;

/// What a fact names: an event or an action.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Event,
    Command,
}

fn unknown(message: impl Into<String>, span: Span, label: &str, help: String) -> Diagnostic {
    Diagnostic::error(codes::SCENARIO_UNKNOWN, message)
        .at_labelled(span, label.to_string())
        .with_help(help)
}

impl Pass<'_> {
    /// A `given` event (`command`: false) or a `when` command, typed.
    pub(super) fn read(&mut self, fact: &ast::Fact, command: bool) -> Option<ir::Fact> {
        self.fact(fact, if command { Role::Command } else { Role::Event })
    }

    /// The checked scenario, or `None` when something in it was reported.
    pub(super) fn scenario(
        &mut self,
        scenario: &ast::Scenario,
        steps: &Steps<'_>,
        tests: &mut Vec<String>,
    ) -> Option<ir::Scenario> {
        let before = self.out.len();
        let mut given: Vec<Option<ir::Fact>> = Vec::new();
        for (fact, times) in &steps.given {
            if *times == 1 {
                given.push(self.fact(fact, Role::Event));
                continue;
            }
            // `given 40 × …`: a value wrong in the first is wrong in all.
            for n in 1..=*times {
                let read = self.fact(&super::shape::nth(fact, n), Role::Event);
                let failed = read.is_none();
                given.push(read);
                if failed {
                    break;
                }
            }
        }
        let clock = match steps.clock {
            Some(fix) => Some(self.clock(fix)?),
            None => None,
        };
        let when = self.fact(steps.when, Role::Command);
        let then = when
            .as_ref()
            .and_then(|when| self.outcome(steps.then, when.index));
        let expects: Vec<Option<ir::Expect>> = steps
            .expects
            .iter()
            .map(|expectation| self.expect(expectation))
            .collect();
        let answers: Vec<Option<ir::Answer>> = steps
            .answers
            .iter()
            .map(|answer| self.answer(answer))
            .collect();
        if self.out[before..].iter().any(Diagnostic::is_error) {
            return None;
        }
        let last = scenario
            .steps
            .last()
            .map_or(scenario.span, |step| step.span);
        let text = self.whole_lines(crate::source::Span::new(scenario.span.start, last.end));
        let when = when?;
        if clock.is_none() {
            self.unclocked(&when, &expects, steps)?;
        }
        let covers = self.covers(&when, then.as_ref()?);
        Some(ir::Scenario {
            title: scenario.title.clone(),
            test: super::test_name(&scenario.title, tests),
            line: self.line(scenario.span),
            text,
            given: given.into_iter().collect::<Option<_>>()?,
            when,
            then: then?,
            then_line: self.line(steps.then_step.span),
            expects: expects.into_iter().collect::<Option<_>>()?,
            answers: answers.into_iter().collect::<Option<_>>()?,
            clock,
            covers,
        })
    }

    /// A scenario whose command or answers read `today` or `now` says
    /// when it runs, else it would hold on one day and not the next.
    fn unclocked(
        &mut self,
        when: &ir::Fact,
        expects: &[Option<ir::Expect>],
        steps: &Steps<'_>,
    ) -> Option<()> {
        let model = &*self.model;
        let mut command = false;
        model.commands[when.index].visit(&mut |e| command |= model.expr_reads_clock(e));
        let asked = expects.iter().flatten().find(|e| {
            let filter = model.queries[e.query]
                .derived
                .as_ref()
                .and_then(ir::Derived::filter);
            filter.is_some_and(|c| c.exprs().into_iter().any(|x| model.expr_reads_clock(x)))
        });
        let reader = match (command, asked) {
            (true, _) => format!("`{}`", model.commands[when.index].name),
            (false, Some(expect)) => format!("`{}`", model.queries[expect.query].name),
            (false, None) => return Some(()),
        };
        self.out.push(
            Diagnostic::error(
                codes::SCENARIO_SHAPE,
                format!("{reader} reads `today`, and the scenario does not say when it runs"),
            )
            .at_labelled(steps.when.span, "runs on whatever day it is".to_string())
            .with_help(
                "fix the clock above `when`: `given today is \"2026-03-02\"` (or `given now is \"2026-03-02T09:30:00Z\"`), so that the scenario holds on every day",
            ),
        );
        None
    }

    /// `given today is "2026-03-02"` (midnight, UTC) or `given now is
    /// "2026-03-02T09:30:00Z"`: the moment the clock reads, in RFC 3339.
    fn clock(&mut self, fix: &ast::ClockFix) -> Option<String> {
        let at = crate::model::calendar::clock(&fix.value, fix.today);
        if at.is_none() {
            let (what, example) = if fix.today {
                ("a date", "given today is \"2026-03-02\"")
            } else {
                (
                    "a timestamp",
                    "given now is \"2026-03-02T09:30:00Z\" (RFC 3339, with its offset)",
                )
            };
            self.out.push(
                Diagnostic::error(
                    codes::SCENARIO_VALUES,
                    format!("`{}` is not {what}", fix.value),
                )
                .at_labelled(fix.value_span, format!("not {what}"))
                .with_help(format!("write `{example}`")),
            );
        }
        at.map(|at| at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    }

    /// `given <Service> answers <query> <value>` or `given <Service>
    /// cannot answer`: a service the model's rules ask, and a value of
    /// what its query answers.
    pub(super) fn answer(&mut self, answer: &ast::ServiceAnswer) -> Option<ir::Answer> {
        let Some(service) = self
            .model
            .services
            .iter()
            .position(|s| s.name == answer.service.text)
        else {
            let names: Vec<&str> = self
                .model
                .services
                .iter()
                .map(|s| s.name.as_str())
                .collect();
            let help = match crate::diagnostics::did_you_mean(
                &answer.service.text,
                names.iter().copied(),
            ) {
                Some(close) => format!("did you mean `{close}`?"),
                None if names.is_empty() => {
                    "the rules ask no service: a rule asks one with `<query> [args] from <Service>`"
                        .to_string()
                }
                None => format!("the rules ask: {}", names.join(", ")),
            };
            self.out.push(
                Diagnostic::error(
                    codes::SCENARIO_UNKNOWN,
                    format!(
                        "the rules of `{}` ask no service `{}`",
                        self.model.name, answer.service.text
                    ),
                )
                .at_labelled(answer.service.span, "not a service the rules ask")
                .with_help(help),
            );
            return None;
        };
        let Some((query, value)) = &answer.answer else {
            return Some(ir::Answer {
                service,
                answer: None,
            });
        };
        let queries = &self.model.services[service].queries;
        let Some(at) = queries.iter().position(|q| q.name == query.text) else {
            let names: Vec<String> = queries.iter().map(|q| q.name.clone()).collect();
            self.out.push(
                Diagnostic::error(
                    codes::SCENARIO_UNKNOWN,
                    format!(
                        "the rules ask `{}` no query `{}`",
                        answer.service.text, query.text
                    ),
                )
                .at_labelled(query.span, "not asked of this service")
                .with_help(format!("the rules ask it: {}", names.join(", "))),
            );
            return None;
        };
        let ty = queries[at].returns.clone();
        let literal = self.value(value, &ty)?;
        Some(ir::Answer {
            service,
            answer: Some((at, literal)),
        })
    }

    /// An event (`given`, `then`) or a command (`when`) with every field's
    /// value: written, or its default.
    fn fact(&mut self, fact: &ast::Fact, role: Role) -> Option<ir::Fact> {
        if let Some(model) = &fact.model {
            return self.foreign_fact(fact, model, role);
        }
        let (index, what, fields) = match role {
            Role::Event => {
                let Some(index) = self
                    .model
                    .events
                    .iter()
                    .position(|e| e.name == fact.name.text)
                else {
                    self.unknown_fact(fact, role);
                    return None;
                };
                let event = &self.model.events[index];
                (
                    index,
                    format!("the event `{}`", event.name),
                    event.fields.clone(),
                )
            }
            Role::Command => {
                let Some(index) = self
                    .model
                    .commands
                    .iter()
                    .position(|c| c.name == fact.name.text)
                else {
                    self.unknown_fact(fact, role);
                    return None;
                };
                let command = &self.model.commands[index];
                (
                    index,
                    format!("the action `{}`", command.name),
                    command.params.clone(),
                )
            }
        };
        let mut ok = true;
        let mut unknown_fields = false;
        for (i, entry) in fact.entries.iter().enumerate() {
            if let Some(first) = fact.entries[..i]
                .iter()
                .find(|e| e.name.text == entry.name.text)
            {
                self.out.push(
                    Diagnostic::error(
                        codes::SCENARIO_VALUES,
                        format!("`{}` is given twice", entry.name.text),
                    )
                    .at_labelled(entry.name.span, "again here")
                    .with_label(first.name.span, "first here")
                    .with_help("give each field one value"),
                );
                ok = false;
            } else if !fields.iter().any(|f| f.term == entry.name.text) {
                unknown_fields = true;
                let names: Vec<&str> = fields.iter().map(|f| f.term.as_str()).collect();
                let unwritten: Vec<&str> = names
                    .iter()
                    .copied()
                    .filter(|name| !fact.entries.iter().any(|e| e.name.text == *name))
                    .collect();
                let help = match did_you_mean(&entry.name.text, names.iter().copied()) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None if names.is_empty() => format!("{what} has no fields: write `[]`"),
                    None if !unwritten.is_empty() => format!(
                        "{what} has {}; not yet given: {}",
                        names.join(", "),
                        unwritten.join(", ")
                    ),
                    None => format!("{what} has: {}", names.join(", ")),
                };
                self.out.push(unknown(
                    format!("{what} has no field `{}`", entry.name.text),
                    entry.name.span,
                    "not one of its fields",
                    help,
                ));
                ok = false;
            }
        }
        let mut values = Vec::new();
        let mut missing = Vec::new();
        for field in &fields {
            let written = fact.entries.iter().find(|e| e.name.text == field.term);
            let value = match written {
                Some(entry) => self.value(&entry.value, &field.ty),
                None => match self.default(field) {
                    Some(value) => Some(value),
                    None => {
                        missing.push(field.term.as_str());
                        None
                    }
                },
            };
            match value {
                Some(value) => values.push((field.clone(), value)),
                None => ok = false,
            }
        }
        // A misspelt field is reported once, as unknown, not also as
        // missing.
        if !missing.is_empty() && !unknown_fields {
            let example: Vec<String> = missing.iter().map(|m| format!("`{m}: …`")).collect();
            let names: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
            self.out.push(
                Diagnostic::error(
                    codes::SCENARIO_VALUES,
                    format!("{what} needs {}", and_list(&names)),
                )
                .at_labelled(fact.span, "missing a value")
                .with_help(format!(
                    "add {} inside the brackets; only optional fields and fields whose term has a default may be left out",
                    and_list(&example)
                )),
            );
        }
        ok.then(|| ir::Fact {
            index,
            values,
            line: self.line(fact.span),
            ask: None,
        })
    }

    /// `given <event> […] in <Model>`: an event of a model this model's
    /// rules ask, which the scenario hands them as it stands after its
    /// `given … in <Model>` events.
    fn foreign_fact(
        &mut self,
        fact: &ast::Fact,
        model: &ast::Ident,
        role: Role,
    ) -> Option<ir::Fact> {
        let refuse = |message: String, help: String| {
            Diagnostic::error(codes::ASKED_WHERE_NOT_ALLOWED, message)
                .at_labelled(model.span, "this model".to_string())
                .with_help(help)
        };
        if role == Role::Command {
            self.out.push(refuse(
                format!(
                    "a scenario runs an action of its own model, not of `{}`",
                    model.text
                ),
                format!(
                    "remove `in {}`, or write the scenario under `{}`",
                    model.text, model.text
                ),
            ));
            return None;
        }
        if model.text == self.model.name {
            self.out.push(refuse(
                format!(
                    "`{}` is this model: its events are given without `in`",
                    model.text
                ),
                format!("remove `in {}`", model.text),
            ));
            return None;
        }
        let Some(ask) = self.model.asks.iter().position(|a| a.name == model.text) else {
            let asked: Vec<String> = self
                .model
                .asks
                .iter()
                .map(|a| format!("`{}`", a.name))
                .collect();
            let help = if asked.is_empty() {
                format!(
                    "the rules of `{}` ask no other model; a scenario gives other models' events only for the queries its rules ask (`<query> [args] in {}`)",
                    self.model.name, model.text
                )
            } else {
                format!(
                    "the rules of `{}` ask {}",
                    self.model.name,
                    asked.join(" and ")
                )
            };
            self.out.push(refuse(
                format!(
                    "the rules of `{}` ask nothing of `{}`",
                    self.model.name, model.text
                ),
                help,
            ));
            return None;
        };
        let other = self.others.iter().find(|m| m.name == model.text)?;
        let mut other = other.clone();
        let mut pass = Pass {
            model: &mut other,
            others: &[],
            source: self.source,
            lines: self.lines,
            out: Vec::new(),
        };
        let found = pass.fact(
            &ast::Fact {
                model: None,
                ..fact.clone()
            },
            role,
        );
        self.out.append(&mut pass.out);
        found.map(|f| ir::Fact {
            ask: Some(ask),
            ..f
        })
    }

    /// The value a field takes when a scenario leaves it out: `nothing` for
    /// an optional field, else its term's default.
    fn default(&self, field: &ir::Field) -> Option<Literal> {
        if matches!(field.ty, Type::Optional(_)) {
            return Some(Literal::Nothing);
        }
        self.model
            .terms
            .iter()
            .find(|t| t.name == field.term)
            .and_then(|t| t.default.clone())
    }

    fn unknown_fact(&mut self, fact: &ast::Fact, role: Role) {
        let name = &fact.name.text;
        let events = self.model.events.iter().map(|e| e.name.as_str());
        let commands = self.model.commands.iter().map(|c| c.name.as_str());
        let (what, other, help) = match role {
            Role::Event => {
                let is_command = self.model.commands.iter().find(|c| c.name == *name);
                let help = match is_command {
                    Some(command) => format!(
                        "`{name}` is an action; events are facts: `{}`",
                        self.model.events[command.event].name
                    ),
                    None => match did_you_mean(name, events.clone()) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => format!(
                            "the events of `{}` are: {}",
                            self.model.name,
                            events.collect::<Vec<_>>().join(", ")
                        ),
                    },
                };
                ("event", "events", help)
            }
            Role::Command => {
                let is_event = self.model.events.iter().find(|e| e.name == *name);
                let help = match is_event {
                    Some(event) => format!(
                        "`{name}` is an event; `when` takes the action it records: `{}`",
                        event.commands.first().map_or("", String::as_str)
                    ),
                    None => match did_you_mean(name, commands.clone()) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => format!(
                            "the actions of `{}` are: {}",
                            self.model.name,
                            commands.collect::<Vec<_>>().join(", ")
                        ),
                    },
                };
                ("action", "actions", help)
            }
        };
        self.out.push(unknown(
            format!("`{}` has no {what} `{name}`", self.model.name),
            fact.name.span,
            &format!("not one of its {other}"),
            help,
        ));
    }

    /// A value written in a scenario, as a value of `ty`. Dates and
    /// timestamps are written quoted (`"2026-12-01"`,
    /// `"2026-12-01T09:30:00Z"`).
    pub(super) fn value(&mut self, value: &ast::Value, ty: &Type) -> Option<Literal> {
        match (value, ty) {
            (ast::Value::Word(w), Type::Optional(_)) if w.text == "nothing" => {
                Some(Literal::Nothing)
            }
            (_, Type::Optional(inner)) => self.value(value, inner),
            (ast::Value::Word(w), Type::Event(_)) => {
                if self.model.events.iter().any(|e| e.name == w.text) {
                    return Some(Literal::Choice(
                        String::new(),
                        String::new(),
                        w.text.clone(),
                    ));
                }
                let names: Vec<&str> = self.model.events.iter().map(|e| e.name.as_str()).collect();
                let help = match crate::diagnostics::did_you_mean(&w.text, names.iter().copied()) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!("a history lists events by name: {}", names.join(", ")),
                };
                self.out.push(
                    Diagnostic::error(
                        codes::SCENARIO_VALUES,
                        format!("`{}` has no event `{}`", self.model.name, w.text),
                    )
                    .at_labelled(w.span, "not an event of the model".to_string())
                    .with_help(help),
                );
                None
            }
            (ast::Value::List(items, _), Type::Map(..)) if items.is_empty() => {
                Some(Literal::Map(Vec::new()))
            }
            (ast::Value::Map(entries, _), Type::Map(key, value)) => entries
                .iter()
                .map(|(k, v)| Some((self.value(k, key)?, self.value(v, value)?)))
                .collect::<Vec<_>>()
                .into_iter()
                .collect::<Option<Vec<_>>>()
                .map(Literal::Map),
            (ast::Value::List(items, _), Type::List(inner)) => items
                .iter()
                .map(|item| self.value(item, inner))
                .collect::<Vec<_>>()
                .into_iter()
                .collect::<Option<Vec<_>>>()
                .map(Literal::List),
            (ast::Value::Text(text, _), Type::Date) if date(text).is_some() => {
                let (y, m, d) = date(text)?;
                Some(Literal::Date(y, m, d))
            }
            (ast::Value::Text(text, _), Type::Timestamp) if timestamp(text) => {
                Some(Literal::Timestamp(text.clone()))
            }
            (ast::Value::Text(text, span), Type::Date | Type::Timestamp) => {
                let what = if *ty == Type::Date {
                    "date"
                } else {
                    "timestamp"
                };
                let example = if *ty == Type::Date {
                    "\"2026-12-01\""
                } else {
                    "\"2026-12-01T09:30:00Z\" (RFC 3339, with its offset)"
                };
                self.out.push(
                    Diagnostic::error(
                        codes::WRONG_VALUE_TYPE,
                        format!("`{text}` is not a {what} that exists"),
                    )
                    .at_labelled(*span, format!("expected a `{what}`"))
                    .with_help(format!("write a real {what}, e.g. `{example}`")),
                );
                None
            }
            (ast::Value::Text(..), Type::Boolean) => {
                self.out.push(
                    Diagnostic::error(codes::WRONG_VALUE_TYPE, "this value is not a `boolean`")
                        .at_labelled(value.span(), "expected a `boolean`")
                        .with_help("write `yes` or `no`, unquoted"),
                );
                None
            }
            (ast::Value::Word(w), Type::Integer | Type::Number | Type::Decimal) => {
                self.out.push(
                    Diagnostic::error(
                        codes::WRONG_VALUE_TYPE,
                        format!("this value is not a `{}`", ty.spec()),
                    )
                    .at_labelled(w.span, format!("expected a `{}`", ty.spec()))
                    .with_help(format!("write a number, e.g. `1`, not `{}`", w.text)),
                );
                None
            }
            (_, Type::Date | Type::Timestamp) => {
                let (what, example) = if *ty == Type::Date {
                    ("date", "\"2026-12-01\"")
                } else {
                    ("timestamp", "\"2026-12-01T09:30:00Z\"")
                };
                self.out.push(
                    Diagnostic::error(
                        codes::WRONG_VALUE_TYPE,
                        format!("this value is not a `{what}`"),
                    )
                    .at_labelled(value.span(), format!("expected a `{what}`"))
                    .with_help(format!("write a {what} in quotes, e.g. `{example}`")),
                );
                None
            }
            (_, Type::Entity(rust)) => {
                self.out.push(
                    Diagnostic::error(
                        codes::WRONG_VALUE_TYPE,
                        format!("a whole `{rust}` cannot be written in a scenario"),
                    )
                    .at_labelled(value.span(), format!("expected a `{rust}`"))
                    .with_help(
                        "give the entity's fields their own terms in the event, or check it through a query, where an entity is written as its key",
                    ),
                );
                None
            }
            _ => super::super::rules::literal(&self.model.choices, value, ty, &mut self.out),
        }
    }

    /// What `then` says, checked against the action's event and guards.
    fn outcome(&mut self, outcome: &ast::Outcome, command: usize) -> Option<ir::Outcome> {
        let command = &self.model.commands[command];
        match outcome {
            ast::Outcome::Accepted(_) => Some(ir::Outcome::Accepted),
            ast::Outcome::Asked { span, .. } | ast::Outcome::NothingAsked(span) => {
                self.out.push(
                    Diagnostic::error(
                        codes::SCENARIO_SHAPE,
                        "what is asked next follows an event that happens, not a command",
                    )
                    .at_labelled(*span, "after a command")
                    .with_help(format!(
                        "write `when <event> [...] happens` above it to show what the policies ask; after `when {} [...]`, write the event it is accepted as",
                        command.name
                    )),
                );
                None
            }
            ast::Outcome::Event(fact) => {
                let event = &self.model.events[command.event];
                if let Some(model) = &fact.model {
                    self.out.push(
                        Diagnostic::error(
                            codes::ASKED_WHERE_NOT_ALLOWED,
                            format!(
                                "`then` is the event of this scenario's own action, not one of `{}`",
                                model.text
                            ),
                        )
                        .at_labelled(model.span, "this model")
                        .with_help(format!("remove `in {}`", model.text)),
                    );
                    return None;
                }
                if fact.name.text != event.name {
                    let (name, action, expected) = (
                        fact.name.text.clone(),
                        command.name.clone(),
                        event.name.clone(),
                    );
                    let known = self.model.events.iter().any(|e| e.name == name);
                    let (code, message) = if known {
                        (
                            codes::SCENARIO_WRONG_EVENT,
                            format!("`{action}` is accepted as `{expected}`, not `{name}`"),
                        )
                    } else {
                        (
                            codes::SCENARIO_UNKNOWN,
                            format!(
                                "`{}` has no event `{name}`; `{action}` is accepted as `{expected}`",
                                self.model.name
                            ),
                        )
                    };
                    self.out.push(
                        Diagnostic::error(code, message)
                        .at_labelled(fact.name.span, format!("`{action}` never records this"))
                        .with_help(format!(
                            "write `then {expected} [...]`, or `then rejected` if the command is refused"
                        )),
                    );
                    return None;
                }
                let fact = self.fact(fact, Role::Event)?;
                Some(ir::Outcome::Event { fact })
            }
            ast::Outcome::Rejected {
                by, kind, message, ..
            } => {
                let rule = match by {
                    Some(by) => Some(self.rule(by, command.name.clone())?),
                    None => None,
                };
                let kind = match kind {
                    Some(kind) => match RejectionKind::ALL
                        .into_iter()
                        .find(|k| k.word() == kind.text)
                    {
                        Some(found) => Some(found),
                        None => {
                            let words = RejectionKind::ALL.map(RejectionKind::word).into_iter();
                            let help = match did_you_mean(&kind.text, words.clone()) {
                                Some(close) => format!("did you mean `{close}`?"),
                                None => format!(
                                    "a rejection is one of: {}",
                                    words.collect::<Vec<_>>().join(", ")
                                ),
                            };
                            self.out.push(unknown(
                                format!("`{}` is not a kind of rejection", kind.text),
                                kind.span,
                                "not a kind",
                                help,
                            ));
                            return None;
                        }
                    },
                    None => None,
                };
                Some(ir::Outcome::Rejected {
                    rule,
                    kind,
                    message: message.as_ref().map(|(text, _)| text.clone()),
                })
            }
        }
    }

    /// The rule after `by`, as the rejection names it. A guard of the
    /// spec may be named without its action (`if-has-todo`); an action
    /// whose rules are written by hand accepts any name.
    fn rule(&mut self, by: &ast::Ident, action: String) -> Option<String> {
        let command = self.model.commands.iter().find(|c| c.name == action)?;
        let full = if by.text.contains('/') {
            by.text.clone()
        } else {
            format!("{action}/{}", by.text)
        };
        let rules = self.model.rules_of(command);
        let known = rules.contains(&full);
        if known || command.guards.is_empty() && command.proposing.is_none() {
            return Some(if known { full } else { by.text.clone() });
        }
        let short: Vec<&str> = rules
            .iter()
            .filter_map(|rule| rule.split_once('/').map(|(_, rule)| rule))
            .collect();
        let written = by.text.rsplit('/').next().unwrap_or(&by.text);
        let help = match did_you_mean(written, short.iter().copied()) {
            Some(close) => format!("did you mean `{close}`?"),
            None if short.is_empty() => {
                format!("`{action}` has no rule that rejects: every command that fits its types is accepted")
            }
            None => format!("the rules of `{action}` are: {}", short.join(", ")),
        };
        self.out.push(unknown(
            format!("`{action}` has no rule `{}`", by.text),
            by.span,
            "not one of its rules",
            help,
        ));
        None
    }

    /// `and <query> [args] is <value>`.
    fn expect(&mut self, expectation: &ast::Expectation) -> Option<ir::Expect> {
        let (index, args) = self.asking(&expectation.query, &expectation.args)?;
        let query = self.model.queries[index].clone();
        let ty = self.keyed(&query.returns);
        let value = self.value(&expectation.value, &ty);
        Some(ir::Expect {
            query: index,
            args: args?,
            value: value?,
            ty,
            line: self.line(expectation.span),
        })
    }

    /// A query and its arguments, typed: the query's index and the
    /// arguments (`None` when one of them was reported); `None` when there
    /// is no such query or it was given the wrong number of arguments.
    pub(super) fn asking(
        &mut self,
        query_name: &ast::Ident,
        written_args: &ast::Args,
    ) -> Option<(usize, Option<Vec<Literal>>)> {
        let name = &query_name.text;
        let Some(index) = self.model.queries.iter().position(|q| q.name == *name) else {
            let names = self.model.queries.iter().map(|q| q.name.as_str());
            let help = match did_you_mean(name, names.clone()) {
                Some(close) => format!("did you mean `{close}`?"),
                None if self.model.queries.is_empty() => {
                    format!("`{}` has no queries to ask", self.model.name)
                }
                None => format!(
                    "the queries of `{}` are: {}",
                    self.model.name,
                    names.collect::<Vec<_>>().join(", ")
                ),
            };
            self.out.push(unknown(
                format!("`{}` has no query `{name}`", self.model.name),
                query_name.span,
                "not one of its queries",
                help,
            ));
            return None;
        };
        let query = self.model.queries[index].clone();
        let params: Vec<&str> = query.params.iter().map(|p| p.term.as_str()).collect();
        let shape = format!("`{name}` takes {}", bracket_or_none(&params));
        let written: Vec<(Option<&ast::Ident>, &ast::Value)> = match written_args {
            ast::Args::None => Vec::new(),
            ast::Args::Positional(values, _) => values.iter().map(|v| (None, v)).collect(),
            ast::Args::Named(entries, _) => {
                entries.iter().map(|e| (Some(&e.name), &e.value)).collect()
            }
        };
        let args_span = match written_args {
            ast::Args::None => query_name.span,
            ast::Args::Positional(_, span) | ast::Args::Named(_, span) => *span,
        };
        let mut args = Vec::new();
        let mut ok = true;
        if written.len() != query.params.len() {
            self.out.push(
                Diagnostic::error(
                    codes::SCENARIO_VALUES,
                    match written.len() {
                        0 => format!("{shape}, and none is given"),
                        1 => format!("{shape}, and 1 is given"),
                        n => format!("{shape}, and {n} are given"),
                    },
                )
                .at_labelled(args_span, "the arguments")
                .with_help(format!(
                    "write `{name}{}`",
                    if params.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " [{}]",
                            params
                                .iter()
                                .map(|p| format!("{p}: …"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    }
                )),
            );
            return None;
        }
        for (param, (label, value)) in query.params.iter().zip(&written) {
            if let Some(label) = label.filter(|label| label.text != param.term) {
                let position = query.params.iter().position(|p| p.term == label.text);
                let help = match position {
                    Some(_) => format!("write the arguments in order: {}", params.join(", ")),
                    None => shape.clone(),
                };
                self.out.push(unknown(
                    format!("`{name}` has no argument `{}` here", label.text),
                    label.span,
                    &format!("expected `{}`", param.term),
                    help,
                ));
                ok = false;
                continue;
            }
            match self.value(value, &param.ty) {
                Some(arg) => args.push(arg),
                None => ok = false,
            }
        }
        Some((index, ok.then_some(args)))
    }

    /// `ty` with each entity replaced by its key's type: how a scenario
    /// writes an entity.
    pub(super) fn keyed(&self, ty: &Type) -> Type {
        match ty {
            Type::Entity(rust) => self
                .model
                .entities
                .iter()
                .find(|e| e.rust == *rust)
                .and_then(|e| e.fields.first())
                .map_or_else(|| ty.clone(), |key| key.ty.clone()),
            Type::List(inner) => Type::List(Box::new(self.keyed(inner))),
            Type::Optional(inner) => Type::Optional(Box::new(self.keyed(inner))),
            Type::Map(key, value) => Type::Map(key.clone(), Box::new(self.keyed(value))),
            other => other.clone(),
        }
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn bracket_or_none(params: &[&str]) -> String {
    if params.is_empty() {
        "no arguments".into()
    } else {
        format!("[{}]", params.join(" "))
    }
}
