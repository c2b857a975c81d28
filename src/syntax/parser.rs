//! Line-by-line parsing with the pest grammar, and the small state machine
//! that groups lines into models and sections.

use super::ast::*;
use super::errors;
use super::grammar::{DddParser, Rule};
use crate::diagnostics::{codes, Diagnostic};
use crate::source::{Source, Span};
use pest::iterators::Pair;
use pest::Parser as _;

/// Where the parser is: which rule parses the next line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    /// No section open (or no model yet).
    Outside,
    /// Inside a known section.
    In(SectionKind),
    /// After an unknown section header: its items are skipped quietly (the
    /// header was reported).
    Skipping,
}

impl Context {
    fn rule(self) -> Rule {
        match self {
            Context::Outside | Context::Skipping => Rule::outside_line,
            Context::In(SectionKind::Terms) => Rule::terms_line,
            Context::In(SectionKind::Queries) => Rule::queries_line,
            Context::In(SectionKind::Actions) => Rule::actions_line,
            Context::In(SectionKind::Scenarios) => Rule::scenarios_line,
            Context::In(SectionKind::Evolution) => Rule::evolution_line,
            Context::In(SectionKind::Policies) => Rule::policies_line,
        }
    }
}

struct LineParser {
    models: Vec<Model>,
    context: Context,
    docs: Vec<String>,
    diagnostics: Vec<Diagnostic>,
    /// Set once an item outside any model was reported, to report it once.
    reported_outside: bool,
    /// `Entity:` lines before the first model (reported), kept for it so
    /// that its queries do not report the entity as missing.
    orphans: Vec<Entity>,
    /// Whether a rule line here belongs to the last action: set by an
    /// action line, cleared by anything else that is not a rule line.
    clause_target: bool,
    /// Set when an action line did not parse: its rule lines are skipped
    /// quietly (the action was reported).
    clause_target_broken: bool,
    /// Whether a step here belongs to the last scenario: set by a scenario's
    /// title, cleared by anything else that is not a step.
    step_target: bool,
    /// Whether a line here belongs to the last policy: set by a policy,
    /// cleared by anything else that is not one of its lines.
    policy_target: bool,
}

/// The largest spec esgen reads, in bytes: 16 MiB.
///
/// The example specs are a few kilobytes, and a generated spec of 1,000
/// models with 10 actions each is about 1.3 MB, so no real domain comes near
/// this: 16 MiB leaves a factor of twelve. The limit is there so that a
/// file that is not a spec at all (a log, a database dump, a disk image)
/// is refused at once with a clear message, rather than after a long parse
/// and a flood of syntax errors.
pub const MAX_SPEC_BYTES: usize = 16 * 1024 * 1024;

/// How many grammar calls one line may take. A line of a real spec takes a
/// few hundred; a bracket list of about 400,000 names (a line over a
/// megabyte long) reaches the limit and is reported as too complex. The
/// limit bounds the work on any single line whatever its shape (pest
/// guards its own stack depth separately). pest's limit is process-wide;
/// `parse` sets it each time.
const CALL_LIMIT: usize = 5_000_000;

/// Parses a spec into its syntax tree. Lines that do not parse are reported
/// and left out; the tree holds everything else.
///
/// A spec larger than [`MAX_SPEC_BYTES`] is refused whole (`E0006`).
pub fn parse(source: &Source) -> (SpecFile, Vec<Diagnostic>) {
    if source.text.len() > MAX_SPEC_BYTES {
        return (
            SpecFile { models: Vec::new() },
            vec![super::too_large(source.text.len() as u64)],
        );
    }
    pest::set_call_limit(std::num::NonZeroUsize::new(CALL_LIMIT));
    let mut parser = LineParser {
        models: Vec::new(),
        context: Context::Outside,
        docs: Vec::new(),
        diagnostics: Vec::new(),
        reported_outside: false,
        orphans: Vec::new(),
        clause_target: false,
        clause_target_broken: false,
        step_target: false,
        policy_target: false,
    };
    let text = source.text.as_str();
    let mut offset = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    while offset <= text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let line = &text[offset..end];
        let line = line.strip_suffix('\r').unwrap_or(line);
        parser.line(line, offset);
        offset = end + 1;
    }
    (
        SpecFile {
            models: parser.models,
        },
        parser.diagnostics,
    )
}

impl LineParser {
    fn line(&mut self, line: &str, offset: usize) {
        if line.trim().is_empty() {
            self.docs.clear();
            return;
        }
        if let Some(at) = too_deep(line) {
            self.docs.clear();
            self.diagnostics
                .push(errors::too_deep(offset + at, MAX_TYPE_DEPTH));
            return;
        }
        if let Some(at) = line.find('\r') {
            // Not even a comment can hide this: the rest of the "line" may
            // be the whole file.
            self.docs.clear();
            self.reported_outside |= self.models.is_empty();
            self.diagnostics
                .push(errors::lone_carriage_return(offset + at));
            return;
        }
        let rule = self.context.rule();
        let pairs = match DddParser::parse(rule, line) {
            Ok(pairs) => pairs,
            Err(error) => {
                self.docs.clear();
                if self.models.is_empty() {
                    // Most likely a broken `Model:` line: what follows is
                    // not "before any model" as far as the writer knows.
                    self.reported_outside = true;
                }
                if self.context == Context::In(SectionKind::Scenarios) && self.step_target {
                    // The scenario is incomplete: its shape is not checked.
                    if let Some(scenario) = self.last_scenario() {
                        scenario.broken = true;
                    }
                }
                if self.context == Context::In(SectionKind::Actions)
                    && self.bulleted_clause(line, offset)
                {
                    return;
                }
                if self.context != Context::Skipping {
                    let step_line = is_step_line(line);
                    if step_line && self.context != Context::In(SectionKind::Scenarios) {
                        self.docs.clear();
                        self.diagnostics
                            .push(errors::step_outside_scenario(line_span(line, offset)));
                        return;
                    }
                    let clause_line = is_clause_line(line);
                    if clause_line && self.context != Context::In(SectionKind::Actions) {
                        self.diagnostics
                            .push(errors::clause_outside_action(line_span(line, offset)));
                    } else if !(clause_line && self.clause_target_broken) {
                        self.diagnostics
                            .push(errors::translate(&error, rule, line, offset));
                    }
                    if !clause_line {
                        // An action line that did not parse: its rule
                        // lines are not reported again (unless it is
                        // recovered, below).
                        self.clause_target = false;
                        self.clause_target_broken =
                            self.context == Context::In(SectionKind::Actions);
                    }
                    self.recover(line, offset);
                }
                return;
            }
        };
        let Some(line_pair) = pairs.into_iter().next() else {
            return;
        };
        let mut item = None;
        let mut comment = None;
        for pair in line_pair.into_inner() {
            match pair.as_rule() {
                Rule::comment => comment = Some(doc_text(&pair)),
                Rule::EOI => {}
                _ => item = Some(pair),
            }
        }
        let Some(item) = item else {
            // A comment line: documentation for the item below it.
            if let Some(text) = comment {
                self.docs.push(text);
            }
            return;
        };
        let mut docs = std::mem::take(&mut self.docs);
        docs.extend(comment);
        self.item(item, docs, offset);
    }

    /// A bracket list of names with `and` or `or` written between them
    /// (`[parcel-id and status]`): reported, with the line rewritten, and
    /// the word left out of the list.
    fn listed(&mut self, lists: Vec<Vec<Ident>>, item: &str, item_start: usize) -> Vec<Vec<Ident>> {
        let joining = |n: &Ident| matches!(n.text.as_str(), "and" | "or");
        let words: Vec<&Ident> = lists.iter().flatten().filter(|n| joining(n)).collect();
        if let Some(word) = words.first() {
            let mut rewritten = item.to_string();
            let mut dropped = 0;
            for n in &words {
                let at = n.span.start.saturating_sub(item_start + dropped);
                let end = at + n.text.len();
                if end > rewritten.len() || !rewritten.is_char_boundary(at) {
                    continue;
                }
                let from = rewritten[..at].trim_end().len();
                rewritten.replace_range(from..end, "");
                dropped += end - from;
            }
            self.diagnostics.push(
                Diagnostic::error(
                    codes::SYNTAX,
                    format!(
                        "the names in brackets are listed, not joined by `{}`",
                        word.text
                    ),
                )
                .at_labelled(word.span, "not a name of the list")
                .with_help(format!(
                    "list them, separated by spaces or commas: `{}`",
                    rewritten.trim_end()
                )),
            );
        }
        lists
            .into_iter()
            .map(|names| names.into_iter().filter(|n| !joining(n)).collect())
            .collect()
    }

    fn item(&mut self, pair: Pair<'_, Rule>, docs: Vec<String>, offset: usize) {
        let span = span_of(&pair, offset);
        let text = pair.as_str();
        if pair.as_rule() != Rule::clause {
            self.clause_target = false;
            self.clause_target_broken = false;
        }
        if !matches!(pair.as_rule(), Rule::step | Rule::scenario_item) {
            self.step_target = false;
        }
        match pair.as_rule() {
            Rule::model_header => {
                let parts: Vec<_> = pair.into_inner().collect();
                let stored_as = parts
                    .iter()
                    .find(|p| p.as_rule() == Rule::stored_as)
                    .map(|p| ident(first(p.clone()), offset));
                let name = match parts.into_iter().find(|p| p.as_rule() == Rule::name) {
                    Some(name) => ident(name, offset),
                    None => {
                        self.diagnostics.push(
                            Diagnostic::error(codes::SYNTAX, "`Model:` needs a name")
                                .at_labelled(span, "which model is this?")
                                .with_help("name the model after the part of the domain it holds, e.g. `Model: Todos`"),
                        );
                        // A nameless model still collects its lines, so they
                        // are not reported as being outside any model; the
                        // analysis skips it.
                        Ident {
                            text: String::new(),
                            span,
                        }
                    }
                };
                self.models.push(Model {
                    name,
                    stored_as,
                    docs,
                    entities: std::mem::take(&mut self.orphans),
                    sections: Vec::new(),
                    terms: Vec::new(),
                    queries: Vec::new(),
                    actions: Vec::new(),
                    scenarios: Vec::new(),
                    streams: Vec::new(),
                    state: Vec::new(),
                    tags: Vec::new(),
                    evolution: Vec::new(),
                    policies: Vec::new(),
                });
                self.context = Context::Outside;
            }
            Rule::entity_decl => {
                let mut name = None;
                let mut fields = Vec::new();
                let mut starts_empty = Vec::new();
                for part in pair.into_inner() {
                    match part.as_rule() {
                        Rule::name => name = Some(ident(part, offset)),
                        Rule::entity_fields => {
                            for field in part.into_inner() {
                                let marked = field
                                    .clone()
                                    .into_inner()
                                    .any(|p| p.as_rule() == Rule::starts_empty);
                                let Some(named) =
                                    field.into_inner().find(|p| p.as_rule() == Rule::name)
                                else {
                                    continue;
                                };
                                let named = ident(named, offset);
                                if marked {
                                    starts_empty.push(named.clone());
                                }
                                fields.push(named);
                            }
                        }
                        _ => {}
                    }
                }
                let Some(name) = name else { return };
                let fields = self
                    .listed(vec![fields], text, span.start)
                    .pop()
                    .unwrap_or_default();
                let entity = Entity {
                    name,
                    fields,
                    starts_empty,
                    docs,
                    span,
                    recovered: false,
                };
                match self.model_for("`Entity:`", span) {
                    Some(model) => model.entities.push(entity),
                    None => self.orphans.push(entity),
                }
                self.context = Context::Outside;
            }
            Rule::state_decl => {
                let fields = pair
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::name_list)
                    .map(|list| idents(list, offset))
                    .unwrap_or_default();
                if let Some(model) = self.model_for("`State:`", span) {
                    model.state.push(StateDecl { fields, docs, span });
                }
                self.context = Context::Outside;
            }
            Rule::tags_decl => {
                let mut decl = TagsDecl {
                    pascal: false,
                    dotted: false,
                    span,
                };
                for part in pair.into_inner() {
                    match part.as_rule() {
                        Rule::tag_case => decl.pascal = part.as_str() == "PascalCase",
                        Rule::version_style => decl.dotted = part.as_str() == "1.0",
                        _ => {}
                    }
                }
                if let Some(model) = self.model_for("`Tags:`", span) {
                    model.tags.push(decl);
                }
                self.context = Context::Outside;
            }
            Rule::streams_decl => {
                let per = pair
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::per_entity)
                    .and_then(|p| p.into_inner().find(|n| n.as_rule() == Rule::name))
                    .map(|name| ident(name, offset));
                if let Some(model) = self.model_for("`Streams:`", span) {
                    model.streams.push(StreamsRequest { per, span });
                }
                self.context = Context::Outside;
            }
            Rule::section_header => {
                let word = first(pair);
                let text = word.as_str();
                let kind = match text {
                    "Terms" => Some(SectionKind::Terms),
                    "Queries" => Some(SectionKind::Queries),
                    "Actions" => Some(SectionKind::Actions),
                    "Scenarios" => Some(SectionKind::Scenarios),
                    "Evolution" => Some(SectionKind::Evolution),
                    "Policies" => Some(SectionKind::Policies),
                    _ => None,
                };
                let word_span = span_of(&word, offset);
                match kind {
                    Some(kind) => {
                        if let Some(model) = self.model_for(&format!("`{text}:`"), span) {
                            model.sections.push(SectionHeader { kind, span });
                            self.context = Context::In(kind);
                        } else {
                            self.context = Context::Skipping;
                        }
                    }
                    None => {
                        self.diagnostics
                            .push(errors::unknown_section(text, word_span));
                        self.context = Context::Skipping;
                    }
                }
            }
            Rule::term_item => {
                let mut name = None;
                let mut ty = None;
                let mut constraints = Vec::new();
                for part in pair.into_inner() {
                    match part.as_rule() {
                        Rule::name => name = Some(ident(part, offset)),
                        Rule::type_expr => ty = Some(type_expr(part, offset)),
                        Rule::choice_type => {
                            let span = span_of(&part, offset);
                            let values = part
                                .into_inner()
                                .find(|p| p.as_rule() == Rule::name_list)
                                .map(|list| idents(list, offset))
                                .unwrap_or_default();
                            ty = Some(TypeExpr::Choice(values, span));
                        }
                        Rule::constraint => constraints.push(constraint(part, offset)),
                        _ => {}
                    }
                }
                if let (Some(model), Some(name), Some(ty)) = (self.models.last_mut(), name, ty) {
                    model.terms.push(Term {
                        name,
                        ty,
                        constraints,
                        docs,
                        span,
                    });
                }
            }
            Rule::query_item => {
                let mut name = None;
                let mut params = Vec::new();
                let mut returns = None;
                let mut body = None;
                for part in pair.into_inner() {
                    match part.as_rule() {
                        Rule::name => name = Some(ident(part, offset)),
                        Rule::name_list => params = idents(part, offset),
                        Rule::type_expr => returns = Some(type_expr(part, offset)),
                        Rule::query_body => body = Some(query_body(part, offset)),
                        _ => {}
                    }
                }
                if let (Some(model), Some(name)) = (self.models.last_mut(), name) {
                    model.queries.push(Query {
                        name,
                        params,
                        returns,
                        body,
                        docs,
                        span,
                    });
                }
            }
            Rule::action_item => {
                let mut names = Vec::new();
                let mut lists = Vec::new();
                let mut event = None;
                for part in pair.into_inner() {
                    match part.as_rule() {
                        Rule::name => names.push(ident(part, offset)),
                        Rule::name_list => lists.push(idents(part, offset)),
                        Rule::event_ref => event = Some(event_ref(part, offset)),
                        _ => {}
                    }
                }
                let lists = self.listed(lists, text, span.start);
                let mut names = names.into_iter();
                let mut lists = lists.into_iter();
                if let (Some(model), Some(command), Some(event), Some(params), Some(fields)) = (
                    self.models.last_mut(),
                    names.next(),
                    event,
                    lists.next(),
                    lists.next(),
                ) {
                    model.actions.push(Action {
                        command,
                        params,
                        event: event.name,
                        event_version: event.version,
                        fields,
                        clauses: Vec::new(),
                        docs,
                        span,
                    });
                    self.clause_target = true;
                }
            }
            Rule::clause => {
                let clause = clause(first(pair), offset);
                let action = self
                    .models
                    .last_mut()
                    .filter(|_| self.clause_target)
                    .and_then(|model| model.actions.last_mut());
                match action {
                    Some(action) => action.clauses.push(clause),
                    None if self.clause_target_broken => {}
                    None => self.diagnostics.push(errors::clause_outside_action(span)),
                }
            }
            Rule::evolution_item => {
                if let Some(item) = evolution_item(first(pair), offset) {
                    if let Some(model) = self.models.last_mut() {
                        model.evolution.push(item);
                    }
                }
            }
            Rule::policy_item => {
                if let (Some(model), Some(policy)) =
                    (self.models.last_mut(), policy_item(pair, docs, offset))
                {
                    model.policies.push(policy);
                    self.policy_target = true;
                }
            }
            Rule::policy_clause => {
                let line = policy_line(first(pair), offset);
                let policy = self
                    .models
                    .last_mut()
                    .filter(|_| self.policy_target)
                    .and_then(|model| model.policies.last_mut());
                match policy {
                    Some(policy) => policy.lines.push(line),
                    None => self.diagnostics.push(errors::line_outside_policy(span)),
                }
            }
            Rule::scenario_item => {
                let Some(title) = pair.into_inner().find(|p| p.as_rule() == Rule::title) else {
                    return;
                };
                let raw = title.as_str();
                let text = raw.trim_end();
                let start = title.as_span().start() + offset;
                if let Some(model) = self.models.last_mut() {
                    model.scenarios.push(Scenario {
                        title: text.to_string(),
                        title_span: Span::new(start, start + text.len()),
                        steps: Vec::new(),
                        docs,
                        broken: false,
                        span,
                    });
                    self.step_target = true;
                }
            }
            Rule::step => {
                let step = step(first(pair), offset);
                let target = self.step_target;
                match self.last_scenario().filter(|_| target) {
                    Some(scenario) => scenario.steps.push(step),
                    None => self.diagnostics.push(errors::step_outside_scenario(span)),
                }
            }
            Rule::stray_item if self.context == Context::Skipping => {}
            Rule::stray_item => {
                if self.models.is_empty() {
                    if !self.reported_outside {
                        self.reported_outside = true;
                        self.diagnostics
                            .push(errors::outside_model("this list item", span));
                    }
                } else {
                    self.diagnostics.push(
                        Diagnostic::error(
                            codes::ITEM_OUTSIDE_SECTION,
                            "this item is not inside a section",
                        )
                        .at_labelled(
                            span,
                            "no `Terms:`, `Queries:`, `Actions:` or `Scenarios:` section is open here",
                        )
                        .with_help("put it under `Terms:`, `Queries:`, `Actions:` or `Scenarios:`"),
                    );
                }
            }
            _ => {}
        }
    }

    /// After a line failed to parse (and was reported): keeps what it
    /// plainly meant to declare, read loosely, so that later lines that
    /// refer to it are not reported as well. Only whole names are kept (a
    /// name cut short by a bad character could collide with another). An `Entity:` line gives its
    /// entity; a term gives its name, typed as its type if that part
    /// parses and as text if not; an action with both its bracket lists
    /// gives its command and event (an event that carries `id` may be what
    /// the model's entity is inferred from).
    fn recover(&mut self, line: &str, offset: usize) {
        let content = line.split_once('#').map_or(line, |(code, _)| code);
        let indent = content.len() - content.trim_start().len();
        let content = content.trim_start();
        if let Some(rest) = content
            .strip_prefix("Entity")
            .filter(|rest| rest.starts_with([' ', '\t', ':']))
        {
            let Some((name, after)) = loose_name(rest.trim_start_matches([' ', '\t', ':']))
                .filter(|(_, after)| after.is_empty() || after.starts_with([' ', '\t', '[']))
            else {
                return;
            };
            let at = |part: &str| offset + (part.as_ptr() as usize - line.as_ptr() as usize);
            let name = Ident {
                text: name.to_string(),
                span: Span::new(at(name), at(name) + name.len()),
            };
            let fields = after
                .split_once('[')
                .map(|(_, list)| list.split(']').next().unwrap_or(list))
                .map(|list| {
                    list.split([' ', '\t', ','])
                        .filter(|word| loose_name(word).is_some_and(|(_, rest)| rest.is_empty()))
                        .map(|word| Ident {
                            text: word.to_string(),
                            span: Span::new(at(word), at(word) + word.len()),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let entity = Entity {
                name,
                fields,
                starts_empty: Vec::new(),
                docs: Vec::new(),
                span: Span::new(offset + indent, offset + indent + content.trim_end().len()),
                recovered: true,
            };
            match self.models.last_mut() {
                Some(model) => model.entities.push(entity),
                None => self.orphans.push(entity),
            }
            self.context = Context::Outside;
        } else if self.context == Context::In(SectionKind::Actions) {
            // `- command [params] … event [fields]`, whatever is between.
            let Some(rest) = content.strip_prefix(['•', '-', '*']) else {
                return;
            };
            let at = |part: &str| offset + (part.as_ptr() as usize - line.as_ptr() as usize);
            let ident = |word: &str| Ident {
                text: word.to_string(),
                span: Span::new(at(word), at(word) + word.len()),
            };
            let list = |inside: &str| -> Vec<Ident> {
                inside
                    .split([' ', '\t', ','])
                    .filter(|word| loose_name(word).is_some_and(|(_, rest)| rest.is_empty()))
                    .map(ident)
                    .collect()
            };
            let Some((command, after)) = loose_name(rest.trim_start()) else {
                return;
            };
            let Some(after) = after.trim_start().strip_prefix('[') else {
                return;
            };
            let Some((params, after)) = after.split_once(']') else {
                return;
            };
            let Some((between, after)) = after.split_once('[') else {
                return;
            };
            let Some(event) = between.split_whitespace().last() else {
                return;
            };
            let Some((fields, _)) = after.split_once(']') else {
                return;
            };
            if loose_name(event).is_none_or(|(_, rest)| !rest.is_empty()) {
                return;
            }
            let action = Action {
                command: ident(command),
                params: list(params),
                event: ident(event),
                event_version: None,
                fields: list(fields),
                clauses: Vec::new(),
                docs: Vec::new(),
                span: Span::new(offset + indent, offset + indent + content.trim_end().len()),
            };
            if let Some(model) = self.models.last_mut() {
                model.actions.push(action);
                self.clause_target = true;
                self.clause_target_broken = false;
            }
        } else if self.context == Context::In(SectionKind::Terms) {
            let Some(rest) = content.strip_prefix(['•', '-', '*']) else {
                return;
            };
            let Some((name, after)) = loose_name(rest.trim_start())
                .filter(|(_, after)| after.is_empty() || after.starts_with([' ', '\t', ':']))
            else {
                return;
            };
            let at = offset + (name.as_ptr() as usize - line.as_ptr() as usize);
            let name = Ident {
                text: name.to_string(),
                span: Span::new(at, at + name.len()),
            };
            let written = after.trim_start().strip_prefix(':').map(str::trim);
            let ty = written
                .and_then(|ty| {
                    let pairs = DddParser::parse(Rule::type_expr, ty).ok()?;
                    let pair = pairs.into_iter().next()?;
                    (pair.as_str().len() == ty.len()).then(|| {
                        let ty_at = ty.as_ptr() as usize - line.as_ptr() as usize;
                        type_expr(pair, offset + ty_at)
                    })
                })
                .unwrap_or_else(|| {
                    TypeExpr::Named(Ident {
                        text: "text".to_string(),
                        span: name.span,
                    })
                });
            if let Some(model) = self.models.last_mut() {
                model.terms.push(Term {
                    name,
                    ty,
                    constraints: Vec::new(),
                    docs: Vec::new(),
                    span: Span::new(offset + indent, offset + indent + content.trim_end().len()),
                });
            }
        }
    }

    /// A rule line of an action written as a list item (`- adds Todo`):
    /// reported as such, in `Actions:`. When the rest of the line reads as a
    /// rule line, it is attached to the action above all the same, so that
    /// nothing is reported for its absence, and the rule lines after it
    /// still belong to that action. Returns whether the line was one.
    fn bulleted_clause(&mut self, line: &str, offset: usize) -> bool {
        let content = line.trim_start();
        let indent = line.len() - content.len();
        let Some(bullet) = content
            .chars()
            .next()
            .filter(|c| matches!(c, '•' | '-' | '*'))
        else {
            return false;
        };
        let after = &content[bullet.len_utf8()..];
        let rest = after.trim_start_matches([' ', '\t']);
        if rest.len() == after.len() {
            return false;
        }
        let bullet_end = line.len() - rest.len();
        // The same line with the bullet blanked out: every position in it
        // is the position in the spec.
        let blank = format!("{}{rest}", " ".repeat(bullet_end));
        let parsed = DddParser::parse(Rule::actions_line, &blank);
        let clause_pair = parsed.as_ref().ok().and_then(|pairs| {
            pairs
                .clone()
                .next()?
                .into_inner()
                .find(|pair| pair.as_rule() == Rule::clause)
        });
        if clause_pair.is_none() && !is_clause_line(rest) {
            return false;
        }
        let written = match &clause_pair {
            Some(pair) => pair.as_str(),
            None => rest
                .split_once('#')
                .map_or(rest, |(code, _)| code)
                .trim_end(),
        };
        let action = self
            .models
            .last()
            .filter(|_| self.clause_target)
            .and_then(|model| model.actions.last())
            .map(|action| action.command.span);
        let message = if action.is_some() || self.clause_target_broken {
            "this is a rule line of the action above, written as a list item"
        } else {
            "this is a rule line, written as a list item"
        };
        let mut diagnostic = Diagnostic::error(codes::SYNTAX, message)
            .at_labelled(
                Span::new(offset + indent, offset + bullet_end),
                "remove this bullet",
            )
            .with_help(format!(
                "rule lines come directly under their action, without a bullet: write `{written}`"
            ));
        if let Some(command) = action {
            diagnostic = diagnostic.with_label(command, "the action it belongs to");
        }
        self.diagnostics.push(diagnostic);
        match (clause_pair, &parsed) {
            (Some(pair), _) => {
                let clause = clause(first(pair), offset);
                if let Some(action) = self
                    .models
                    .last_mut()
                    .filter(|_| self.clause_target)
                    .and_then(|model| model.actions.last_mut())
                {
                    action.clauses.push(clause);
                }
            }
            (None, Err(error)) if !self.clause_target_broken => {
                self.diagnostics
                    .push(errors::translate(error, Rule::actions_line, &blank, offset));
            }
            (None, _) => {}
        }
        true
    }

    /// The scenario the steps below belong to, if any.
    fn last_scenario(&mut self) -> Option<&mut Scenario> {
        self.models.last_mut()?.scenarios.last_mut()
    }

    /// The model a header or entity belongs to; reports it (once) when there
    /// is none yet.
    fn model_for(&mut self, what: &str, span: Span) -> Option<&mut Model> {
        if self.models.is_empty() {
            if !self.reported_outside {
                self.reported_outside = true;
                self.diagnostics.push(errors::outside_model(what, span));
            }
            return None;
        }
        self.models.last_mut()
    }
}

/// How deeply `list of` and `optional` may nest. Far beyond any domain's
/// need, and far below what would exhaust the parser's stack.
const MAX_TYPE_DEPTH: usize = 64;

/// Where a line's type nesting passes [`MAX_TYPE_DEPTH`], if it does. Words
/// in a comment do not count: the first `#` starts one, as no name holds a
/// `#`.
fn too_deep(line: &str) -> Option<usize> {
    let mut depth = 0;
    let mut offset = 0;
    let code = line.split_once('#').map_or(line, |(code, _)| code);
    for word in code.split([' ', '\t']) {
        if word == "list" || word == "optional" {
            depth += 1;
            if depth > MAX_TYPE_DEPTH {
                return Some(offset);
            }
        }
        offset += word.len() + 1;
    }
    None
}

/// A name at the start of `text` (as the grammar's `name` rule reads it),
/// and what follows it.
fn loose_name(text: &str) -> Option<(&str, &str)> {
    if !text.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_')))
        .unwrap_or(text.len());
    if text[end..].starts_with('?') {
        end += 1;
    }
    Some(text.split_at(end))
}

fn span_of(pair: &Pair<'_, Rule>, offset: usize) -> Span {
    let span = pair.as_span();
    Span::new(span.start(), span.end()).shift(offset)
}

fn first(pair: Pair<'_, Rule>) -> Pair<'_, Rule> {
    pair.into_inner()
        .next()
        .expect("grammar guarantees an inner pair")
}

fn ident(pair: Pair<'_, Rule>, offset: usize) -> Ident {
    Ident {
        text: pair.as_str().to_string(),
        span: span_of(&pair, offset),
    }
}

fn idents(list: Pair<'_, Rule>, offset: usize) -> Vec<Ident> {
    list.into_inner()
        .filter(|pair| pair.as_rule() == Rule::name)
        .map(|name| ident(name, offset))
        .collect()
}

fn type_expr(pair: Pair<'_, Rule>, offset: usize) -> TypeExpr {
    let inner = first(pair);
    let span = span_of(&inner, offset);
    match inner.as_rule() {
        Rule::list_type => TypeExpr::List(Box::new(type_expr(first(inner), offset)), span),
        Rule::optional_type => TypeExpr::Optional(Box::new(type_expr(first(inner), offset)), span),
        Rule::id_type => TypeExpr::IdOf(ident(first(inner), offset), span),
        _ => TypeExpr::Named(ident(first(inner), offset)),
    }
}

/// The text of a comment: without `#` and the one space after it.
fn doc_text(pair: &Pair<'_, Rule>) -> String {
    let text = pair.as_str().strip_prefix('#').unwrap_or(pair.as_str());
    let text = text.strip_prefix(' ').unwrap_or(text);
    text.trim_end().to_string()
}

/// Whether a line starts like a rule line of an action (a guard or an
/// effect), whatever follows.
fn is_clause_line(line: &str) -> bool {
    let code = line.trim_start();
    [
        "rejected ",
        "adds ",
        "sets ",
        "increases ",
        "decreases ",
        "removes ",
        "changes ",
    ]
    .iter()
    .any(|keyword| code.starts_with(keyword))
}

/// Whether a line starts like a step of a scenario, whatever follows.
fn is_step_line(line: &str) -> bool {
    let code = line.trim_start();
    ["given ", "when ", "then "]
        .iter()
        .any(|keyword| code.starts_with(keyword))
}

/// The span of a line's text, without its indentation and comment.
fn line_span(line: &str, offset: usize) -> Span {
    let code = line.split_once('#').map_or(line, |(code, _)| code);
    let start = code.len() - code.trim_start().len();
    Span::new(offset + start, offset + code.trim_end().len().max(start))
}

fn number(pair: Pair<'_, Rule>, offset: usize) -> Number {
    Number {
        text: pair.as_str().to_string(),
        span: span_of(&pair, offset),
    }
}

fn constraint(pair: Pair<'_, Rule>, offset: usize) -> Constraint {
    let span = span_of(&pair, offset);
    let said = pair
        .clone()
        .into_inner()
        .find(|p| p.as_rule() == Rule::said)
        .and_then(|p| p.into_inner().find(|s| s.as_rule() == Rule::string))
        .map(|s| (unquote(&s), span_of(&s, offset)));
    let inner = first(pair);
    let rule = inner.as_rule();
    let mut numbers = inner
        .clone()
        .into_inner()
        .filter(|p| p.as_rule() == Rule::number_lit)
        .map(|p| number(p, offset));
    let mut next = || {
        numbers.next().unwrap_or(Number {
            text: "0".into(),
            span,
        })
    };
    let kind = match rule {
        Rule::not_blank => ConstraintKind::NotBlank,
        Rule::max_chars => ConstraintKind::MaxChars(next()),
        Rule::min_chars => ConstraintKind::MinChars(next()),
        Rule::at_least => ConstraintKind::AtLeast(next()),
        Rule::at_most => ConstraintKind::AtMost(next()),
        Rule::between => {
            let low = next();
            ConstraintKind::Between(low, next())
        }
        Rule::moves_decl => {
            let mut edges = Vec::new();
            for chain in inner.into_inner() {
                let groups: Vec<Vec<Ident>> = chain
                    .into_inner()
                    .map(|states| states.into_inner().map(|n| ident(n, offset)).collect())
                    .collect();
                for pair in groups.windows(2) {
                    for from in &pair[0] {
                        for to in &pair[1] {
                            edges.push((from.clone(), to.clone()));
                        }
                    }
                }
            }
            ConstraintKind::Moves(edges)
        }
        _ => ConstraintKind::Default(value(first(inner), offset)),
    };
    Constraint { kind, said, span }
}

/// The text inside quotes, with `\"` and `\\` unescaped.
fn unquote(pair: &Pair<'_, Rule>) -> String {
    let raw = pair.as_str();
    let inner = &raw[1..raw.len() - 1];
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(escaped) = chars.next() {
                out.push(escaped);
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn value(pair: Pair<'_, Rule>, offset: usize) -> Value {
    let pair = if pair.as_rule() == Rule::value {
        first(pair)
    } else {
        pair
    };
    let span = span_of(&pair, offset);
    match pair.as_rule() {
        Rule::string => Value::Text(unquote(&pair), span),
        Rule::number_lit => Value::Number(number(pair, offset)),
        Rule::list_value => Value::List(
            pair.into_inner()
                .filter(|p| p.as_rule() == Rule::value)
                .map(|p| value(p, offset))
                .collect(),
            span,
        ),
        Rule::map_value => Value::Map(
            pair.into_inner()
                .filter(|p| p.as_rule() == Rule::pair)
                .map(|p| {
                    let mut parts = p.into_inner();
                    let key = parts.next().map(|k| value(k, offset));
                    let val = parts.next().map(|v| value(v, offset));
                    let empty = || {
                        Value::Word(Ident {
                            text: String::new(),
                            span,
                        })
                    };
                    (key.unwrap_or_else(empty), val.unwrap_or_else(empty))
                })
                .collect(),
            span,
        ),
        _ => Value::Word(ident(pair, offset)),
    }
}

/// A `sum`, `product`, `product_op` or `factor`: operands joined left to
/// right by their operators.
fn sum(pair: Pair<'_, Rule>, offset: usize) -> Sum {
    match pair.as_rule() {
        Rule::sum | Rule::product | Rule::product_op => {
            let mut parts = pair.into_inner();
            let Some(first) = parts.next() else {
                return Sum::Operand(Operand::Value(Value::Word(Ident {
                    text: String::new(),
                    span: Span::new(offset, offset),
                })));
            };
            let mut total = sum(first, offset);
            while let (Some(op), Some(next)) = (parts.next(), parts.next()) {
                let op = match op.as_str() {
                    "+" => ArithOp::Add,
                    "-" => ArithOp::Sub,
                    "*" | "×" => ArithOp::Mul,
                    _ => ArithOp::Div,
                };
                let right = sum(next, offset);
                let span = Span::new(total.span().start, right.span().end);
                total = Sum::Op(Box::new(total), op, Box::new(right), span);
            }
            total
        }
        // `factor`: `( … )`, or an operand.
        _ => {
            let inner = first(pair);
            match inner.as_rule() {
                Rule::sum | Rule::factor | Rule::product | Rule::product_op => sum(inner, offset),
                _ => Sum::Operand(operand(inner, offset)),
            }
        }
    }
}

fn operand(pair: Pair<'_, Rule>, offset: usize) -> Operand {
    let pair = if pair.as_rule() == Rule::operand {
        first(pair)
    } else {
        pair
    };
    let span = span_of(&pair, offset);
    match pair.as_rule() {
        Rule::field_of => {
            let mut names = Vec::new();
            let mut key = Vec::new();
            for part in pair.into_inner() {
                match part.as_rule() {
                    Rule::name => names.push(ident(part, offset)),
                    Rule::name_list => key = idents(part, offset),
                    _ => {}
                }
            }
            let mut names = names.into_iter();
            let field = names.next().unwrap_or(Ident {
                text: String::new(),
                span,
            });
            let entity = names.next().unwrap_or(Ident {
                text: String::new(),
                span,
            });
            Operand::FieldOf {
                field,
                entity,
                key,
                span,
            }
        }
        Rule::asked | Rule::served => {
            let served = pair.as_rule() == Rule::served;
            let mut parts = pair.into_inner();
            let asked = parts.next();
            let model = parts.next().map_or(
                Ident {
                    text: String::new(),
                    span,
                },
                |m| ident(m, offset),
            );
            let (query, args) = match asked {
                Some(part) if part.as_rule() == Rule::call => match operand(part, offset) {
                    Operand::Call { query, args, .. } => (query, args),
                    _ => unreachable_call(span),
                },
                Some(part) => (ident(part, offset), Vec::new()),
                None => unreachable_call(span),
            };
            if served {
                Operand::Served {
                    query,
                    args,
                    service: model,
                    span,
                }
            } else {
                Operand::Asked {
                    query,
                    args,
                    model,
                    span,
                }
            }
        }
        Rule::call => {
            let mut query = None;
            let mut args = Vec::new();
            for part in pair.into_inner() {
                match part.as_rule() {
                    Rule::name => query = Some(ident(part, offset)),
                    Rule::name_list => args = idents(part, offset),
                    _ => {}
                }
            }
            Operand::Call {
                query: query.unwrap_or(Ident {
                    text: String::new(),
                    span,
                }),
                args,
                span,
            }
        }
        _ => Operand::Value(value(pair, offset)),
    }
}

/// `created` or `created@2`.
fn event_ref(pair: Pair<'_, Rule>, offset: usize) -> EventRef {
    let span = span_of(&pair, offset);
    let mut name = Ident {
        text: String::new(),
        span,
    };
    let mut version = None;
    for part in pair.into_inner() {
        match part.as_rule() {
            Rule::name => name = ident(part, offset),
            Rule::version => {
                // At most six digits: always a `u32`.
                let number = part.as_str().parse().unwrap_or(u32::MAX);
                version = Some((number, span_of(&part, offset)));
            }
            _ => {}
        }
    }
    EventRef {
        name,
        version,
        span,
    }
}

/// A bullet of `Policies:`.
fn policy_item(pair: Pair<'_, Rule>, docs: Vec<String>, offset: usize) -> Option<Policy> {
    let span = span_of(&pair, offset);
    let mut event = None;
    let mut then = None;
    let mut strong = None;
    let mut from_now = None;
    for part in pair.into_inner() {
        match part.as_rule() {
            Rule::name => event = Some(ident(part, offset)),
            Rule::notify => then = Some(PolicyThen::Notify(ident(first(part), offset))),
            Rule::ask => {
                let mut names = part.into_inner().map(|n| ident(n, offset));
                then = names.next().map(|action| PolicyThen::Ask {
                    action,
                    model: names.next(),
                });
            }
            Rule::policy_option => {
                let option = first(part);
                let at = span_of(&option, offset);
                match option.as_rule() {
                    Rule::strong => strong = Some(at),
                    _ => from_now = Some(at),
                }
            }
            _ => {}
        }
    }
    Some(Policy {
        event: event?,
        then: then?,
        strong,
        from_now,
        lines: Vec::new(),
        docs,
        span,
    })
}

/// A line below a policy: `<param> = <source>` or `only if <condition>`.
fn policy_line(pair: Pair<'_, Rule>, offset: usize) -> PolicyLine {
    let span = span_of(&pair, offset);
    match pair.as_rule() {
        Rule::only_if => PolicyLine::OnlyIf {
            condition: condition(first(pair), offset),
            span,
        },
        _ => match clause(pair, offset) {
            Clause::Source { field, from, span } => PolicyLine::Source { field, from, span },
            // `policy_clause` holds a source or `only if`, nothing else.
            _ => PolicyLine::OnlyIf {
                condition: Condition::Holds(Operand::Value(Value::Word(Ident {
                    text: String::new(),
                    span,
                }))),
                span,
            },
        },
    }
}

/// A bullet of `Evolution:`.
fn evolution_item(pair: Pair<'_, Rule>, offset: usize) -> Option<EvolutionItem> {
    let span = span_of(&pair, offset);
    let names = |pair: Pair<'_, Rule>| -> Vec<Ident> {
        pair.into_inner()
            .filter(|p| p.as_rule() == Rule::names)
            .flat_map(|p| p.into_inner())
            .filter(|p| p.as_rule() == Rule::name)
            .map(|p| ident(p, offset))
            .collect()
    };
    match pair.as_rule() {
        Rule::retired => Some(EvolutionItem::Retired {
            names: names(pair),
            span,
        }),
        Rule::reserved => Some(EvolutionItem::Reserved {
            names: names(pair),
            span,
        }),
        Rule::migration => pair
            .into_inner()
            .find(|p| p.as_rule() == Rule::name)
            .map(|function| EvolutionItem::Migrate {
                function: ident(function, offset),
                span,
            }),
        Rule::upcast => {
            let mut refs = Vec::new();
            let mut changes = Vec::new();
            for part in pair.into_inner() {
                match part.as_rule() {
                    Rule::event_ref => refs.push(event_ref(part, offset)),
                    Rule::change => {
                        let change = first(part);
                        let rule = change.as_rule();
                        let mut inner = change.into_inner();
                        let found = match rule {
                            Rule::by_function => inner.next().map(|n| Change::By(ident(n, offset))),
                            Rule::renamed_field => match (inner.next(), inner.next()) {
                                (Some(field), Some(old)) => Some(Change::Was {
                                    field: ident(field, offset),
                                    old: ident(old, offset),
                                }),
                                _ => None,
                            },
                            Rule::field_default => match (inner.next(), inner.next()) {
                                (Some(field), Some(v)) => Some(Change::Default {
                                    field: ident(field, offset),
                                    value: value(v, offset),
                                }),
                                _ => None,
                            },
                            _ => None,
                        };
                        changes.extend(found);
                    }
                    _ => {}
                }
            }
            let mut refs = refs.into_iter();
            Some(EvolutionItem::Upcast {
                from: refs.next()?,
                to: refs.next()?,
                changes,
                span,
            })
        }
        _ => None,
    }
}

/// An empty query where the grammar guarantees one: never reached.
fn unreachable_call(span: Span) -> (Ident, Vec<Ident>) {
    (
        Ident {
            text: String::new(),
            span,
        },
        Vec::new(),
    )
}

fn condition(pair: Pair<'_, Rule>, offset: usize) -> Condition {
    let span = span_of(&pair, offset);
    let inner = first(pair);
    match inner.as_rule() {
        Rule::either | Rule::both => condition_part(inner, offset),
        Rule::not_group => {
            Condition::Negated(Box::new(condition_part(first(first(inner)), offset)), span)
        }
        Rule::group => Condition::Grouped(Box::new(condition_part(first(inner), offset)), span),
        Rule::negation => Condition::Not(operand(first(inner), offset), span),
        Rule::comparison | Rule::equality => {
            let mut operands = Vec::new();
            let mut comparator = Comparator::Is;
            for part in inner.into_inner() {
                match part.as_rule() {
                    Rule::operand => operands.push(operand(part, offset)),
                    Rule::side => {
                        let inner = first(part);
                        operands.push(if inner.as_rule() == Rule::sum {
                            Operand::Sum(Box::new(sum(inner, offset)))
                        } else {
                            operand(inner, offset)
                        });
                    }
                    Rule::is_not => comparator = Comparator::IsNot,
                    Rule::comparator => {
                        let how = first(part);
                        comparator = match how.as_rule() {
                            Rule::more_than => Comparator::MoreThan,
                            Rule::less_than => Comparator::LessThan,
                            Rule::at_least_cmp => Comparator::AtLeast,
                            Rule::within_cmp => {
                                let mut not = false;
                                let mut days = 0;
                                for p in how.into_inner() {
                                    match p.as_rule() {
                                        Rule::within_not => not = true,
                                        Rule::days => days = p.as_str().parse().unwrap_or(u32::MAX),
                                        _ => {}
                                    }
                                }
                                if not {
                                    Comparator::Beyond(days)
                                } else {
                                    Comparator::Within(days)
                                }
                            }
                            _ => Comparator::AtMost,
                        }
                    }
                    _ => {}
                }
            }
            let mut operands = operands.into_iter();
            match (operands.next(), operands.next()) {
                (Some(left), Some(right)) => Condition::Compare(left, comparator, right, span),
                (Some(only), None) => Condition::Holds(only),
                _ => Condition::Holds(Operand::Value(Value::Word(Ident {
                    text: String::new(),
                    span,
                }))),
            }
        }
        _ => Condition::Holds(operand(inner, offset)),
    }
}

/// A part of a condition (`either`, `both`, `simple`), as the condition
/// it is.
fn condition_part(pair: Pair<'_, Rule>, offset: usize) -> Condition {
    match pair.as_rule() {
        Rule::either | Rule::both => {
            let span = span_of(&pair, offset);
            let rule = pair.as_rule();
            let mut parts: Vec<Condition> = pair
                .into_inner()
                .map(|part| condition_part(part, offset))
                .collect();
            match (parts.len(), rule) {
                (1, _) => parts.pop().unwrap_or(Condition::All(Vec::new(), span)),
                (_, Rule::either) => Condition::Any(parts, span),
                _ => Condition::All(parts, span),
            }
        }
        // `simple`: one of the forms `condition` reads.
        _ => condition(pair, offset),
    }
}

fn query_body(pair: Pair<'_, Rule>, offset: usize) -> QueryBody {
    let span = span_of(&pair, offset);
    let inner = first(pair);
    let empty = Ident {
        text: String::new(),
        span,
    };
    if inner.as_rule() == Rule::history_of {
        let mut entity = empty.clone();
        let mut key = Vec::new();
        for part in inner.into_inner() {
            match part.as_rule() {
                Rule::name => entity = ident(part, offset),
                Rule::name_list => key = idents(part, offset),
                _ => {}
            }
        }
        return QueryBody {
            field_of: None,
            count: false,
            sum: None,
            plural: empty,
            per: None,
            history: Some((entity, key)),
            filter: None,
            span,
        };
    }
    if inner.as_rule() == Rule::field_of {
        return QueryBody {
            field_of: Some(operand(inner, offset)),
            count: false,
            sum: None,
            plural: empty,
            per: None,
            history: None,
            filter: None,
            span,
        };
    }
    let count = inner.as_rule() == Rule::count_of;
    let summed = inner.as_rule() == Rule::sum_of;
    let mut sum = None;
    let mut plural = None;
    let mut per = None;
    let mut filter = None;
    for part in inner.into_inner() {
        match part.as_rule() {
            Rule::name if summed && sum.is_none() => sum = Some(ident(part, offset)),
            Rule::name => plural = Some(ident(part, offset)),
            Rule::per => per = Some(ident(first(part), offset)),
            Rule::condition => filter = Some(condition(part, offset)),
            _ => {}
        }
    }
    QueryBody {
        field_of: None,
        count,
        sum,
        plural: plural.unwrap_or(Ident {
            text: String::new(),
            span,
        }),
        per,
        history: None,
        filter,
        span,
    }
}

fn clause(pair: Pair<'_, Rule>, offset: usize) -> Clause {
    let span = span_of(&pair, offset);
    match pair.as_rule() {
        Rule::guard => {
            let mut unless = false;
            let mut condition_ = None;
            let mut message = (String::new(), span);
            for part in pair.into_inner() {
                match part.as_rule() {
                    Rule::guard_kind => unless = part.as_str() == "unless",
                    Rule::condition => condition_ = Some(condition(part, offset)),
                    Rule::string => message = (unquote(&part), span_of(&part, offset)),
                    _ => {}
                }
            }
            Clause::Guard {
                unless,
                condition: condition_.unwrap_or(Condition::Holds(Operand::Value(Value::Word(
                    Ident {
                        text: String::new(),
                        span,
                    },
                )))),
                message: message.0,
                message_span: message.1,
                span,
            }
        }
        Rule::source => {
            let mut parts = pair.into_inner();
            let field = parts.next().map(|p| ident(p, offset)).unwrap_or(Ident {
                text: String::new(),
                span,
            });
            let from = match parts.next() {
                Some(part) if part.as_rule() == Rule::ids_of => {
                    let ids_span = span_of(&part, offset);
                    FieldSource::IdsOf(operand(first(part), offset), ids_span)
                }
                Some(part) if part.as_rule() == Rule::sum => FieldSource::Sum(sum(part, offset)),
                Some(part) => FieldSource::Operand(operand(part, offset)),
                None => FieldSource::Operand(Operand::Value(Value::Word(field.clone()))),
            };
            Clause::Source { field, from, span }
        }
        _ => {
            let when = pair
                .clone()
                .into_inner()
                .find(|p| p.as_rule() == Rule::condition)
                .map(|c| condition(c, offset));
            let inner = first(pair);
            let rule = inner.as_rule();
            let mut names = Vec::new();
            let mut key = Vec::new();
            let mut by = None;
            let mut increase = true;
            let mut own = false;
            for part in inner.into_inner() {
                match part.as_rule() {
                    Rule::name => names.push(ident(part, offset)),
                    Rule::name_list => key = idents(part, offset),
                    Rule::value => by = Some(value(part, offset)),
                    Rule::change_verb => increase = part.as_str() == "increases",
                    _ => {}
                }
            }
            let blank = Ident {
                text: String::new(),
                span,
            };
            let by = by.unwrap_or(Value::Word(blank.clone()));
            let (kind, entity) = match rule {
                Rule::adds => (EffectKind::Adds, names.pop().unwrap_or(blank)),
                Rule::removes => (EffectKind::Removes, names.pop().unwrap_or(blank)),
                Rule::removes_each => (EffectKind::RemovesEach, names.pop().unwrap_or(blank)),
                Rule::no_change => (EffectKind::Nothing, blank),
                Rule::moves => {
                    own = names.len() == 1;
                    let to = names.pop().unwrap_or(blank.clone());
                    (EffectKind::Moves(to), names.pop().unwrap_or(blank))
                }
                _ => {
                    own = names.len() == 1;
                    let mut names = names.into_iter();
                    let field = names.next().unwrap_or(blank.clone());
                    let entity = names.next().unwrap_or(blank);
                    let kind = if rule == Rule::sets {
                        EffectKind::Sets(field, by)
                    } else {
                        EffectKind::Changes {
                            increase,
                            field,
                            by,
                        }
                    };
                    (kind, entity)
                }
            };
            Clause::Effect(Effect {
                kind,
                entity,
                key,
                own,
                when,
                span,
            })
        }
    }
}

fn entries(pair: Pair<'_, Rule>, offset: usize) -> Vec<Entry> {
    pair.into_inner()
        .filter(|p| p.as_rule() == Rule::entry)
        .filter_map(|entry| {
            let mut parts = entry.into_inner();
            let name = ident(parts.next()?, offset);
            let value = value(parts.next()?, offset);
            Some(Entry { name, value })
        })
        .collect()
}

fn fact(pair: Pair<'_, Rule>, offset: usize) -> Fact {
    let span = span_of(&pair, offset);
    let mut names = Vec::new();
    let mut found = Vec::new();
    for part in pair.into_inner() {
        match part.as_rule() {
            Rule::name => names.push(ident(part, offset)),
            Rule::record => found = entries(part, offset),
            _ => {}
        }
    }
    let mut names = names.into_iter();
    Fact {
        name: names.next().unwrap_or(Ident {
            text: String::new(),
            span,
        }),
        entries: found,
        model: names.next(),
        span,
    }
}

/// A fact with no name, where the grammar guarantees one.
fn fact_placeholder(span: Span) -> Fact {
    Fact {
        name: Ident {
            text: String::new(),
            span,
        },
        entries: Vec::new(),
        model: None,
        span,
    }
}

fn step(pair: Pair<'_, Rule>, offset: usize) -> Step {
    let span = span_of(&pair, offset);
    let rule = pair.as_rule();
    let pair_text = pair.clone();
    let inner = first(pair);
    let kind = match (rule, inner.as_rule()) {
        (Rule::given_step | Rule::and_step, Rule::answers | Rule::cannot) => {
            let span = span_of(&inner, offset);
            let answered = inner.as_rule() == Rule::answers;
            let mut parts = inner.into_inner();
            let service = parts.next().map_or(
                Ident {
                    text: String::new(),
                    span,
                },
                |p| ident(p, offset),
            );
            let answer = match (answered, parts.next(), parts.next()) {
                (true, Some(query), Some(v)) => Some((ident(query, offset), value(v, offset))),
                _ => None,
            };
            StepKind::Answers(ServiceAnswer {
                service,
                answer,
                span,
            })
        }
        (Rule::given_step | Rule::and_step, Rule::clock_is) => {
            let span = span_of(&inner, offset);
            let mut parts = inner.into_inner();
            let today = parts.next().is_some_and(|w| w.as_str() == "today");
            let (value, value_span) = parts.next().map_or((String::new(), span), |s| {
                (unquote(&s), span_of(&s, offset))
            });
            StepKind::Clock(ClockFix {
                today,
                value,
                value_span,
                span,
            })
        }
        (Rule::given_step | Rule::and_step, Rule::repeated) => {
            let mut parts = inner.into_inner();
            let times = parts
                .next()
                .and_then(|t| t.as_str().parse().ok())
                .unwrap_or(0);
            match parts.next() {
                Some(f) => StepKind::Repeated(times, fact(f, offset)),
                None => StepKind::Repeated(times, fact_placeholder(span)),
            }
        }
        (Rule::given_step, _) | (Rule::and_step, Rule::fact) => {
            StepKind::Given(fact(inner, offset))
        }
        (Rule::when_step, _) => {
            let happens = step_happens(&pair_text);
            let fact = fact(inner, offset);
            if happens {
                StepKind::Happens(fact)
            } else {
                StepKind::When(fact)
            }
        }
        (Rule::and_step, Rule::asked_to) => StepKind::Then(asked_to(inner, offset)),
        (Rule::then_step, _) => StepKind::Then(outcome(inner, offset)),
        _ => StepKind::Expect(expectation(inner, offset)),
    };
    Step {
        kind,
        and: rule == Rule::and_step,
        span,
    }
}

/// Whether a `when` step ends in `happens`.
fn step_happens(pair: &Pair<'_, Rule>) -> bool {
    pair.clone()
        .into_inner()
        .any(|part| part.as_rule() == Rule::happens)
}

/// `<Model> is asked to <action> [...]`.
fn asked_to(pair: Pair<'_, Rule>, offset: usize) -> Outcome {
    let span = span_of(&pair, offset);
    let mut names = Vec::new();
    let mut entries = Vec::new();
    let mut record_span = span;
    for part in pair.into_inner() {
        match part.as_rule() {
            Rule::name => names.push(ident(part, offset)),
            Rule::record => {
                record_span = span_of(&part, offset);
                entries = self::entries(part, offset);
            }
            _ => {}
        }
    }
    let mut names = names.into_iter();
    let empty = || Ident {
        text: String::new(),
        span,
    };
    let model = names.next().unwrap_or_else(empty);
    let action = names.next().unwrap_or_else(empty);
    let command_span = Span::new(action.span.start, record_span.end);
    Outcome::Asked {
        model,
        command: Fact {
            name: action,
            entries,
            model: None,
            span: command_span,
        },
        span,
    }
}

fn outcome(pair: Pair<'_, Rule>, offset: usize) -> Outcome {
    let inner = first(pair);
    let span = span_of(&inner, offset);
    match inner.as_rule() {
        Rule::fact => Outcome::Event(fact(inner, offset)),
        Rule::accepted => Outcome::Accepted(span),
        Rule::asked_to => asked_to(inner, offset),
        Rule::nothing_asked => Outcome::NothingAsked(span),
        _ => {
            let mut by = None;
            let mut kind = None;
            let mut message = None;
            for part in inner.into_inner() {
                match part.as_rule() {
                    Rule::rejected_by => by = Some(ident(first(part), offset)),
                    Rule::rejected_as => kind = Some(ident(first(part), offset)),
                    Rule::string => message = Some((unquote(&part), span_of(&part, offset))),
                    _ => {}
                }
            }
            Outcome::Rejected {
                by,
                kind,
                message,
                span,
            }
        }
    }
}

fn expectation(pair: Pair<'_, Rule>, offset: usize) -> Expectation {
    let span = span_of(&pair, offset);
    let mut query = None;
    let mut args = Args::None;
    let mut expected = None;
    for part in pair.into_inner() {
        match part.as_rule() {
            Rule::name => query = Some(ident(part, offset)),
            Rule::record => {
                let at = span_of(&part, offset);
                args = Args::Named(entries(part, offset), at);
            }
            Rule::list_value => {
                let at = span_of(&part, offset);
                let values = part
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::value)
                    .map(|p| value(p, offset))
                    .collect();
                args = Args::Positional(values, at);
            }
            Rule::value => expected = Some(value(part, offset)),
            _ => {}
        }
    }
    let blank = Ident {
        text: String::new(),
        span,
    };
    Expectation {
        query: query.unwrap_or(blank.clone()),
        args,
        value: expected.unwrap_or(Value::Word(blank)),
        span,
    }
}
