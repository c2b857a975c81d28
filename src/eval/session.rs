//! `esgen try`: a model explored before any Rust exists. Each line is a
//! scenario's step, read against the checked spec and run by the
//! evaluator at once:
//!
//! - `when <action> [field: value, …]`: the command is proposed; what it
//!   came to is printed (the event, which the model then accepts, or the
//!   rejection), then the answers of the model's queries that take no
//!   arguments;
//! - `given <event> […] [in <Model>]`: the model accepts an event;
//! - `and <query> [args] is <value>`: the answer is checked;
//! - `<query> [args]`: the answer is printed;
//! - `model <Name>` turns to another model of the spec, `reset` starts
//!   again from nothing, `help` says this.
//!
//! A line with a mistake gets the same diagnostic `esgen check` would
//! give it, and changes nothing.

use super::{Stop, Value, World};
use crate::diagnostics::Diagnostic;
use crate::model::ir::Spec;
use crate::source::{Source, Span};
use crate::syntax::ast;

/// What a line came to.
#[derive(Debug)]
pub enum Reply {
    /// Lines to print.
    Said(Vec<String>),
    /// An `and … is …` whose answer was not the one written: what to print.
    Differs(Vec<String>),
    /// The line has mistakes: its diagnostics, about `source` (the line).
    Wrong(Source, Vec<Diagnostic>),
}

/// A model being tried, and what it holds so far.
pub struct Session<'s> {
    world: World<'s>,
    model: usize,
    /// Lines read so far, for naming the next one.
    read: usize,
}

/// `help`'s text.
const HELP: &str = "\
when <action> [field: value, ...]   propose a command; if accepted, the model accepts its event
given <event> [...] [in <Model>]    the model accepts an event
and <query> [args] is <value>       check an answer
<query> [args]                      print an answer
model <Name>                        turn to another model
reset                               start again from nothing";

impl<'s> Session<'s> {
    /// A session on `spec`, holding nothing, on its first model with
    /// actions.
    pub fn new(spec: &'s Spec) -> Self {
        let model = spec
            .models
            .iter()
            .position(|m| !m.commands.is_empty())
            .unwrap_or(0);
        Session {
            world: World::new(spec),
            model,
            read: 0,
        }
    }

    /// The model lines are about now (its name).
    pub fn model(&self) -> &'s str {
        &self.world.spec().models[self.model].name
    }

    /// Reads and runs one line.
    pub fn line(&mut self, text: &str) -> Reply {
        self.read += 1;
        let line = text.trim();
        let spec = self.world.spec();
        if line.is_empty() || line.starts_with('#') {
            return Reply::Said(Vec::new());
        }
        if line == "help" {
            return Reply::Said(HELP.lines().map(str::to_string).collect());
        }
        if line == "reset" {
            self.world = World::new(spec);
            return Reply::Said(vec!["every model holds nothing again".into()]);
        }
        if let Some(at) = clock_line(line) {
            return match at {
                Some(at) => {
                    self.world.fix_clock(at);
                    Reply::Said(vec![format!(
                        "the clock now reads {}",
                        at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
                    )])
                }
                None => Reply::Said(vec![
                    "write a date or a time, quoted: `today is \"2026-03-02\"` or `now is \"2026-03-02T09:30:00Z\"`".into(),
                ]),
            };
        }
        if let Some(name) = line.strip_prefix("model ") {
            let name = name.trim();
            return match spec.models.iter().position(|m| m.name == name) {
                Some(at) => {
                    self.model = at;
                    Reply::Said(vec![format!("now trying `{name}`")])
                }
                None => {
                    let names: Vec<&str> = spec.models.iter().map(|m| m.name.as_str()).collect();
                    Reply::Said(vec![format!(
                        "the spec has no model `{name}`; it has: {}",
                        names.join(", ")
                    )])
                }
            };
        }
        let is_step = ["given ", "when ", "and "]
            .iter()
            .any(|k| line.starts_with(k));
        if is_step {
            self.step(line)
        } else {
            self.ask(line)
        }
    }

    /// The text a step is read after, as the step of a scenario of the
    /// current model (then `lead`, the words added before the line).
    fn prefix(&self, lead: &str) -> String {
        format!(
            "Model: {}\nScenarios:\n  - trying\n    {lead}",
            self.model()
        )
    }

    /// The step `line` parsed, as a scenario of the current model would
    /// hold it; spans relative to the line.
    fn parse(&self, line: &str, suffix: &str) -> Result<ast::Step, Reply> {
        let prefix = self.prefix("");
        let text = format!("{prefix}{line}{suffix}");
        let source = Source::new("trying", text);
        let (file, diagnostics) = crate::syntax::parse(&source);
        let step = file
            .models
            .first()
            .and_then(|m| m.scenarios.first())
            .and_then(|s| s.steps.first())
            .cloned();
        let errors: Vec<Diagnostic> = diagnostics
            .into_iter()
            .filter(Diagnostic::is_error)
            .collect();
        match step {
            Some(step) if errors.is_empty() => Ok(step),
            _ => Err(self.wrong(line, &prefix, errors)),
        }
    }

    /// Diagnostics about a line read inside a longer text that begins with
    /// `prefix`, made about the line alone.
    fn wrong(&self, line: &str, prefix: &str, diagnostics: Vec<Diagnostic>) -> Reply {
        let shift = |span: Span| {
            let start = span.start.saturating_sub(prefix.len()).min(line.len());
            let end = span
                .end
                .saturating_sub(prefix.len())
                .clamp(start, line.len());
            Span::new(start, end)
        };
        let diagnostics = diagnostics
            .into_iter()
            .map(|mut d| {
                d.span = d.span.map(shift);
                for label in &mut d.labels {
                    label.span = shift(label.span);
                }
                d
            })
            .collect();
        Reply::Wrong(
            Source::new(format!("line {}", self.read), line.to_string()),
            diagnostics,
        )
    }

    fn step(&mut self, line: &str) -> Reply {
        let step = match self.parse(line, "") {
            Ok(step) => step,
            Err(reply) => return reply,
        };
        let prefix = " ".repeat(self.prefix("").len());
        let source = Source::new("trying", format!("{prefix}{line}"));
        let spec = self.world.spec();
        match &step.kind {
            ast::StepKind::Given(fact) => {
                let (read, found) =
                    crate::model::scenarios::read_fact(spec, self.model, fact, false, &source);
                let Some(read) = read else {
                    return self.wrong(line, &prefix, found);
                };
                let model = match read.ask {
                    Some(ask) => {
                        let name = &spec.models[self.model].asks[ask].name;
                        spec.models
                            .iter()
                            .position(|m| m.name == *name)
                            .unwrap_or(self.model)
                    }
                    None => self.model,
                };
                let values = Value::all(read.values.iter().map(|(f, l)| (f, l)));
                match self.world.accept(model, read.index, &values) {
                    Ok(()) => {
                        Reply::Said(vec![format!("`{}` accepted it", spec.models[model].name)])
                    }
                    Err(stop) => Reply::Said(vec![not_here(&stop)]),
                }
            }
            ast::StepKind::Answers(answer) => {
                let (read, found) =
                    crate::model::scenarios::read_service_answer(spec, self.model, answer, &source);
                let Some(read) = read else {
                    return self.wrong(line, &prefix, found);
                };
                let service = &spec.models[self.model].services[read.service];
                let said = read.answer.map(|(query, literal)| {
                    let ty = &service.queries[query].returns;
                    (query, Value::from_literal(&literal, ty))
                });
                let reply = match &said {
                    Some((query, value)) => format!(
                        "`{}` answers `{}` {} from now on",
                        service.name,
                        service.queries[*query].name,
                        value.display()
                    ),
                    None => format!("`{}` cannot answer from now on", service.name),
                };
                self.world.answer(self.model, read.service, said);
                Reply::Said(vec![reply])
            }
            ast::StepKind::Clock(fix) => match crate::model::calendar::clock(&fix.value, fix.today)
            {
                Some(at) => {
                    self.world.fix_clock(at);
                    Reply::Said(vec![format!("the clock now reads {}", fix.value)])
                }
                None => Reply::Said(vec![format!("`{}` is not a date or a time", fix.value)]),
            },
            ast::StepKind::Repeated(..) => Reply::Said(vec![
                "here, give the events one by one: `given <event> [...]`".to_string(),
            ]),
            ast::StepKind::When(fact) => {
                let (read, found) =
                    crate::model::scenarios::read_fact(spec, self.model, fact, true, &source);
                let Some(read) = read else {
                    return self.wrong(line, &prefix, found);
                };
                self.when(&read)
            }
            ast::StepKind::Happens(fact) => {
                let (read, found) =
                    crate::model::scenarios::read_fact(spec, self.model, fact, false, &source);
                let Some(read) = read else {
                    return self.wrong(line, &prefix, found);
                };
                let values = Value::all(read.values.iter().map(|(f, l)| (f, l)));
                match self.world.react(self.model, read.index, &values) {
                    Ok(asked) => Reply::Said(asked_words(spec, &asked)),
                    Err(stop) => Reply::Said(vec![not_here(&stop)]),
                }
            }
            ast::StepKind::Expect(expectation) => {
                let (query, answer) = match self.answer(expectation, &source) {
                    Ok(Ok(answered)) => answered,
                    Ok(Err(stop)) => return Reply::Said(vec![not_here(&stop)]),
                    Err(found) => return self.wrong(line, &prefix, found),
                };
                let q = &spec.models[self.model].queries[query];
                // The expected value, typed as a scenario types it.
                let (wanted, found) = crate::model::scenarios::read_answer(
                    spec,
                    self.model,
                    query,
                    &expectation.value,
                    &source,
                );
                let wanted = wanted.map(|(literal, ty)| Value::from_literal(&literal, &ty));
                match (wanted, found) {
                    (Some(wanted), _) if wanted == answer => {
                        Reply::Said(vec![format!("{} is {}: yes", q.name, answer.words())])
                    }
                    (Some(wanted), _) => Reply::Differs(vec![
                        format!("expected: {} is {}", q.name, wanted.words()),
                        format!("happened: {} is {}", q.name, answer.words()),
                    ]),
                    (None, found) => self.wrong(line, &prefix, found),
                }
            }
            ast::StepKind::Then(_) => Reply::Said(vec![
                "`then` is for scenarios: here each command's outcome is printed as it happens"
                    .into(),
            ]),
        }
    }

    fn when(&mut self, read: &crate::model::ir::Fact) -> Reply {
        let before = self.world.accepted(self.model).len();
        let reply = self.proposed(read);
        // What the policies of the event it was accepted as ask next.
        let spec = self.world.spec();
        let command = &spec.models[self.model].commands[read.index];
        let Reply::Said(mut said) = reply else {
            return reply;
        };
        let accepted = self.world.accepted(self.model);
        if let (true, Some((_, values))) = (accepted.len() > before, accepted.last()) {
            if spec.models[self.model]
                .policies
                .iter()
                .any(|p| p.event == command.event)
            {
                if let Ok(asked) = self.world.react(self.model, command.event, values) {
                    said.extend(
                        asked_words(spec, &asked)
                            .into_iter()
                            .map(|l| format!("  {l}")),
                    );
                }
            }
        }
        Reply::Said(said)
    }

    fn proposed(&mut self, read: &crate::model::ir::Fact) -> Reply {
        let spec = self.world.spec();
        let model = &spec.models[self.model];
        let args = Value::all(read.values.iter().map(|(f, l)| (f, l)));
        let command = &model.commands[read.index];
        let outcome = match self.world.propose(self.model, read.index, &args) {
            Ok(outcome) => outcome,
            Err(stop) => return Reply::Said(vec![not_here(&stop)]),
        };
        let mut said = Vec::new();
        match outcome {
            Ok(values) => {
                let event = model.event_of(command);
                said.push(format!(
                    "accepted as {}",
                    super::scenarios::event_words(event, &values)
                ));
                if let Err(stop) = self.world.accept(self.model, command.event, &values) {
                    said.push(not_here(&stop));
                    return Reply::Said(said);
                }
                for (index, query) in model.queries.iter().enumerate() {
                    if !query.params.is_empty() || query.derived.is_none() {
                        continue;
                    }
                    if let Ok(answer) = self.world.query(self.model, index, &[]) {
                        said.push(format!("  {} is {}", query.name, answer.keyed().words()));
                    }
                }
            }
            Err(rejection) => said.push(format!(
                "rejected by {} as {}: {:?}",
                rejection.rule,
                rejection.kind.word(),
                rejection.message
            )),
        }
        Reply::Said(said)
    }

    /// `<query> [args]`: its answer.
    fn ask(&mut self, line: &str) -> Reply {
        let step = match self.parse(&format!("and {line}"), " is nothing") {
            Ok(step) => step,
            Err(Reply::Wrong(_, found)) => {
                let prefix = self.prefix("and ");
                return self.wrong(line, &prefix, found);
            }
            Err(other) => return other,
        };
        let ast::StepKind::Expect(expectation) = &step.kind else {
            return Reply::Said(vec![format!(
                "write `when <action> [...]`, `given <event> [...]`, or a query: `help` says more"
            )]);
        };
        let prefix = self.prefix("and ");
        let source = Source::new("trying", format!("{}{line}", " ".repeat(prefix.len())));
        match self.answer(expectation, &source) {
            Ok(Ok((_, answer))) => Reply::Said(vec![format!("{line} is {}", answer.words())]),
            Ok(Err(stop)) => Reply::Said(vec![not_here(&stop)]),
            Err(found) => self.wrong(line, &prefix, found),
        }
    }

    /// The query an `and <query> [args] …` names, and its answer (entities
    /// by their keys); the diagnostics when it names no query or its
    /// arguments are wrong.
    fn answer(
        &self,
        expectation: &ast::Expectation,
        source: &Source,
    ) -> Result<Result<(usize, Value), Stop>, Vec<Diagnostic>> {
        let spec = self.world.spec();
        let (read, found) = crate::model::scenarios::read_query(
            spec,
            self.model,
            &expectation.query,
            &expectation.args,
            source,
        );
        let Some((query, args)) = read else {
            return Err(found);
        };
        let q = &spec.models[self.model].queries[query];
        let args = Value::all(q.params.iter().zip(&args));
        Ok(self
            .world
            .query(self.model, query, &args)
            .map(|answer| (query, answer.keyed())))
    }
}

fn not_here(stop: &Stop) -> String {
    match stop {
        Stop::Unsupported(why) => format!("cannot run here: {why}; it runs in the generated crate"),
        Stop::Absent => "cannot run here: it reads an entity that is not there".into(),
        Stop::Unavailable(_) => "cannot run here: a service it asks cannot answer".into(),
        Stop::Unanswered(service, query) => format!(
            "`{service}` was asked `{query}`: say what it answers first (`given {service} answers {query} <value>`)"
        ),
        Stop::OutOfRange => {
            "cannot run here: it computes a number out of range, or divides by zero".into()
        }
        Stop::Unclocked => {
            "it reads `today` or `now`: say when it runs first (`today is \"2026-03-02\"` or `now is \"2026-03-02T09:30:00Z\"`)".into()
        }
    }
}

/// `today is "2026-03-02"` or `now is "2026-03-02T09:30:00Z"`: where the
/// clock is fixed (`Some(None)`: the value is not a date or a time).
fn clock_line(line: &str) -> Option<Option<chrono::DateTime<chrono::Utc>>> {
    let (today, rest) = match line.strip_prefix("today is ") {
        Some(rest) => (true, rest),
        None => (false, line.strip_prefix("now is ")?),
    };
    let text = rest.trim().trim_matches('"');
    Some(crate::model::calendar::clock(text, today))
}

/// What the policies ask, as a scenario writes it: `then <Model> is asked
/// to <action> [...]`, a line each, or `then nothing is asked`.
fn asked_words(spec: &crate::model::ir::Spec, asked: &[super::Asked]) -> Vec<String> {
    if asked.is_empty() {
        return vec!["then nothing is asked".to_string()];
    }
    asked
        .iter()
        .enumerate()
        .map(|(n, a)| {
            let model = &spec.models[a.model];
            let command = &model.commands[a.command];
            format!(
                "{} {} is asked to {}",
                if n == 0 { "then" } else { "and" },
                model.name,
                super::scenarios::fact_words(&command.name, &command.params, &a.values)
            )
        })
        .collect()
}
