//! Lowering one model: entities (declared or inferred), term types,
//! queries, commands and events, into the semantic model, collecting the
//! names it puts into Rust for the collision checks.

use super::types::{EntityName, IdMeaning, Resolved, Resolver};
use super::{ir, names, Space};
use crate::diagnostics::{codes, has_errors, Diagnostic};
use crate::source::Span;
use crate::syntax::ast;
use ir::{Origin, Type};
use std::collections::{BTreeSet, HashMap};

/// An entity before its fields are typed: declared, or inferred.
struct EntitySource {
    written: String,
    rust: String,
    fields: Vec<ast::Ident>,
    /// Fields written `optional`: unknown until set.
    starts_empty: Vec<String>,
    docs: Vec<String>,
    inferred: Option<String>,
    span: Span,
}

pub(super) struct Lowering<'a, 'd> {
    model: &'a ast::Model,
    /// Declared terms by name (the first declaration of a name), for their
    /// docs.
    declared: HashMap<&'a str, &'a ast::Term>,
    diagnostics: &'d mut Vec<Diagnostic>,
    entities: Vec<EntityName>,
    /// Terms in first-use order, with the span of the first use.
    used: Vec<(String, Span)>,
    space: Space,
    failed: bool,
    /// Names already reported as invalid (each is reported once).
    reported_names: Vec<String>,
    /// The spec's other models, for queries asked of them; `None` lowers
    /// only what the model declares, skipping its rules.
    others: Option<&'a [ir::Model]>,
    /// The entities every model of the spec declares: (entity, model).
    foreign: &'a [(String, String)],
}

impl<'a, 'd> Lowering<'a, 'd> {
    pub(super) fn new(model: &'a ast::Model, diagnostics: &'d mut Vec<Diagnostic>) -> Self {
        let mut declared = HashMap::with_capacity(model.terms.len());
        for term in &model.terms {
            declared.entry(term.name.text.as_str()).or_insert(term);
        }
        Lowering {
            model,
            declared,
            diagnostics,
            entities: Vec::new(),
            used: Vec::new(),
            space: Space::default(),
            failed: false,
            reported_names: Vec::new(),
            others: Some(&[]),
            foreign: &[],
        }
    }

    /// Knowing the entities every model of the spec declares (entity,
    /// model), to say so when another model's entity is used as a type.
    pub(super) fn seeing(mut self, foreign: &'a [(String, String)]) -> Self {
        self.foreign = foreign;
        self
    }

    /// Lowers with the spec's other models at hand, as lowered by
    /// [`Lowering::declarations`], to resolve the queries asked of them.
    pub(super) fn asking(mut self, others: &'a [ir::Model]) -> Self {
        self.others = Some(others);
        self
    }

    /// Lowers only what the model declares (its queries' signatures among
    /// them), not its rules: what another model's rules need to ask it.
    pub(super) fn declarations(mut self) -> Self {
        self.others = None;
        self
    }

    fn invalid_name(&mut self, ident: &ast::Ident, what: &str, why: &str) {
        self.failed = true;
        if self.reported_names.contains(&ident.text) {
            return;
        }
        self.reported_names.push(ident.text.clone());
        self.diagnostics.push(
            Diagnostic::error(
                codes::INVALID_NAME,
                format!("{what} `{}` cannot be used: {why}", ident.text),
            )
            .at_labelled(ident.span, format!("rename this {what}"))
            .with_help(format!(
                "pick another word for this {what}; the spec's other names are fine as they are"
            )),
        );
    }

    fn type_name(&mut self, ident: &ast::Ident, what: &str) -> String {
        if ident.text.ends_with('?') {
            self.invalid_name(ident, what, "only terms and queries may end in `?`");
        }
        match names::pascal(&ident.text) {
            Ok(rust) => rust,
            Err(_) => {
                self.invalid_name(ident, what, "Rust reserves that word for itself");
                String::new()
            }
        }
    }

    fn value_name(&mut self, ident: &ast::Ident, what: &str) -> String {
        match names::snake(&ident.text) {
            Ok(rust) => rust,
            Err(names::NameError::Reserved(word)) => {
                self.invalid_name(
                    ident,
                    what,
                    &format!("Rust reserves `{word}` for itself, with no way around it"),
                );
                String::new()
            }
        }
    }

    pub(super) fn run(mut self) -> (Option<ir::Model>, Space) {
        let model = self.model;
        self.space.model = model.name.text.clone();
        let rust = self.type_name(&model.name, "model");
        let module = self.value_name(&model.name, "model");
        let file_stem = names::unraw(&module).to_string();
        if [
            "lib",
            "main",
            "generated",
            "mod",
            "build",
            "evolution",
            "notifications",
        ]
        .contains(&file_stem.as_str())
        {
            self.invalid_name(
                &model.name,
                "model",
                &format!(
                    "its module would be `src/{file_stem}.rs`, which the crate needs for itself"
                ),
            );
        } else if let Some(holds) = match file_stem.as_str() {
            "runtime" => {
                Some("`src/generated/runtime.rs`, which holds the crate's cqrs-es runtime")
            }
            "http" => Some("`src/generated/http/`, which holds the crate's HTTP service"),
            "policies" => Some("`src/generated/policies.rs`, which holds the spec's policies"),
            _ => None,
        } {
            self.invalid_name(
                &model.name,
                "model",
                &format!("its generated module would be {holds}"),
            );
        }
        let singular = {
            let kebab = names::kebab(&model.name.text);
            names::singular(&kebab).unwrap_or(kebab)
        };

        // Entities, declared or inferred.
        let mut entity_sources = Vec::new();
        for entity in &model.entities {
            let rust = self.type_name(&entity.name, "entity");
            entity_sources.push(EntitySource {
                written: entity.name.text.clone(),
                rust,
                fields: entity.fields.clone(),
                starts_empty: entity.starts_empty.iter().map(|f| f.text.clone()).collect(),
                docs: entity.docs.clone(),
                inferred: None,
                span: entity.name.span,
            });
        }
        if model.entities.is_empty() {
            if let Some(inferred) = infer_entity(model, &singular) {
                entity_sources.push(inferred);
            }
        }
        self.entities = entity_sources
            .iter()
            .map(|e| EntityName {
                written: e.written.clone(),
                kebab: names::kebab(&e.written),
                rust: e.rust.clone(),
            })
            .collect();
        let id = id_meaning(&entity_sources, &singular);
        let entity_names = std::mem::take(&mut self.entities);
        let foreign: Vec<(String, String)> = self
            .foreign
            .iter()
            .filter(|(_, m)| *m != model.name.text)
            .filter(|(e, _)| !entity_names.iter().any(|n| n.written == *e))
            .cloned()
            .collect();
        let mut resolver = Resolver::new(&model.terms, &entity_names, id).with_foreign(&foreign);

        // Declared terms are resolved up front, so that a bad declaration is
        // reported even where the term is never used.
        for term in &model.terms {
            resolver.term(&term.name.text, term.name.span);
        }

        let mut entities = Vec::new();
        for source in &entity_sources {
            let mut fields = self.fields(&mut resolver, &source.fields);
            // A field unknown until set holds nothing at first, whatever
            // its term's type in commands and events.
            for field in &mut fields {
                if source.starts_empty.contains(&field.term)
                    && !matches!(field.ty, Type::Optional(_))
                {
                    field.ty = Type::Optional(Box::new(field.ty.clone()));
                }
            }
            self.space.types.push((
                source.rust.clone(),
                format!("entity `{}`", source.written),
                Some(source.span),
            ));
            entities.push(ir::Entity {
                name: source.written.clone(),
                rust: source.rust.clone(),
                fields,
                docs: source.docs.clone(),
                inferred: source.inferred.clone(),
                eq: true,
            });
        }

        // `State: [fields]`: the record one stream holds. Its initial
        // values are the rules pass's to give (they need the defaults).
        let own: Vec<ir::Own> = model
            .state
            .first()
            .map(|decl| self.fields(&mut resolver, &decl.fields))
            .unwrap_or_default()
            .into_iter()
            .map(|field| ir::Own {
                field,
                initial: ir::Literal::Nothing,
            })
            .collect();

        let mut queries = Vec::new();
        for query in &model.queries {
            let method = self.value_name(&query.name, "query");
            self.space.methods.push((
                method.clone(),
                format!("query `{}`", query.name.text),
                Some(query.name.span),
            ));
            let params = self.fields(&mut resolver, &query.params);
            let field_of = match query.body.as_ref().and_then(|b| b.field_of.as_ref()) {
                Some(ast::Operand::FieldOf { field, .. }) => self
                    .fields(&mut resolver, std::slice::from_ref(field))
                    .pop()
                    .map(|f| {
                        let ty = match f.ty {
                            Type::Boolean | Type::Optional(_) => f.ty,
                            ty => Type::Optional(Box::new(ty)),
                        };
                        (ty, format!("the field `{}`", field.text))
                    }),
                _ => None,
            };
            let from_body = query.body.as_ref().and_then(|body| {
                if body.field_of.is_some() {
                    return field_of;
                }
                if body.history.is_some() {
                    return Some((
                        Type::List(Box::new(Type::Event(format!("{rust}Event")))),
                        "the events of one entity".to_string(),
                    ));
                }
                let each = each_answers(body, &entities, &entity_names)?;
                let Some(by) = &body.per else {
                    return Some(each);
                };
                let key = plural_field(body, &entities, by).map(|f| match &f.ty {
                    Type::Optional(inner) => (**inner).clone(),
                    ty => ty.clone(),
                })?;
                Some((
                    Type::Map(Box::new(key), Box::new(each.0)),
                    format!("{} per `{}`", each.1, by.text),
                ))
            });
            let (returns, returns_inferred) = match (&query.returns, from_body) {
                (Some(expr), _) => (resolver.expr(expr), None),
                (None, Some((ty, why))) => (Some(ty), Some(why)),
                (None, None) if query.body.is_some() => {
                    // The rules pass reports the unknown entities.
                    (Some(Type::Integer), None)
                }
                (None, None) => match infer_returns(&query.name.text, &entity_names) {
                    Some((ty, why)) => (Some(ty), Some(why)),
                    None => {
                        self.diagnostics.push(returns_unknown(query, &entity_names));
                        (None, None)
                    }
                },
            };
            let Some(returns) = returns else {
                self.failed = true;
                continue;
            };
            queries.push(ir::Query {
                name: query.name.text.clone(),
                method,
                spec_line: query_line(query),
                params,
                returns,
                returns_inferred,
                docs: query.docs.clone(),
                derived: None,
                definition: query.body.as_ref().map(super::rules::definition_text),
            });
        }

        let mut commands = Vec::new();
        let wire = model
            .tags
            .first()
            .map_or_else(ir::Wire::default, |t| ir::Wire {
                pascal: t.pascal,
                dotted: t.dotted,
            });
        let mut events: Vec<ir::Event> = Vec::new();
        let mut event_index: HashMap<&str, usize> = HashMap::new();
        for action in &model.actions {
            // The command's terms first: they come first on the line, so a
            // term's first use is the command's.
            let params = self.fields(&mut resolver, &action.params);
            let event = match event_index.get(action.event.text.as_str()) {
                Some(&index) => {
                    events[index].commands.push(action.command.text.clone());
                    index
                }
                None => {
                    let rust = self.type_name(&action.event, "event");
                    let method = self.value_name(&action.event, "event");
                    let fields = self.fields(&mut resolver, &action.fields);
                    self.space.types.push((
                        rust.clone(),
                        format!("event `{}`", action.event.text),
                        Some(action.event.span),
                    ));
                    let accept = format!("accept_{}", names::unraw(&method));
                    self.space.methods.push((
                        accept.clone(),
                        format!("the accepting method of event `{}`", action.event.text),
                        Some(action.event.span),
                    ));
                    events.push(ir::Event {
                        name: action.event.text.clone(),
                        version: action.event_version.map_or(1, |(v, _)| v),
                        wire: wire.name(&action.event.text),
                        rust,
                        method: accept,
                        fields,
                        commands: vec![action.command.text.clone()],
                        eq: true,
                        effects: None,
                        effect_lines: Vec::new(),
                    });
                    event_index.insert(&action.event.text, events.len() - 1);
                    events.len() - 1
                }
            };
            let rust = self.type_name(&action.command, "command");
            let method = self.value_name(&action.command, "command");
            self.space.types.push((
                rust.clone(),
                format!("command `{}`", action.command.text),
                Some(action.command.span),
            ));
            self.space.methods.push((
                method.clone(),
                format!("action `{}`", action.command.text),
                Some(action.command.span),
            ));
            commands.push(ir::Command {
                name: action.command.text.clone(),
                rust,
                method,
                params,
                event,
                docs: action.docs.clone(),
                spec_line: action_line(action),
                eq: true,
                guards: Vec::new(),
                proposing: None,
            });
        }

        // Terms: every term used, in first-use order, then declared ones
        // nobody uses.
        let mut terms = Vec::new();
        let used = std::mem::take(&mut self.used);
        for (name, span) in &used {
            let Some(Resolved { ty, origin }) = resolver.term(name, *span) else {
                continue;
            };
            if origin == Origin::Fallback {
                self.diagnostics.push(
                    Diagnostic::warning(
                        codes::INFERRED_TEXT,
                        format!("`{name}` has no declared type; esgen takes it as text"),
                    )
                    .at_labelled(*span, "first used here")
                    .with_help(format!(
                        "declare it under `Terms:` to say what it is, e.g. `- {name}: text`"
                    )),
                );
            }
            terms.push(ir::Term {
                name: name.clone(),
                ty,
                origin,
                docs: self.term_docs(name),
                checks: Vec::new(),
                default: None,
                said: Vec::new(),
            });
        }
        for term in &model.terms {
            if used.iter().any(|(name, _)| *name == term.name.text)
                || terms.iter().any(|t: &ir::Term| t.name == term.name.text)
            {
                continue;
            }
            let referenced = resolver.is_referenced(&term.name.text);
            if let (true, Some(Resolved { ty, origin })) =
                (referenced, resolver.term(&term.name.text, term.name.span))
            {
                terms.push(ir::Term {
                    name: term.name.text.clone(),
                    ty,
                    origin,
                    docs: term.docs.clone(),
                    checks: Vec::new(),
                    default: None,
                    said: Vec::new(),
                });
                continue;
            }
            self.diagnostics.push(
                Diagnostic::warning(
                    codes::UNUSED_TERM,
                    format!("term `{}` is declared but never used", term.name.text),
                )
                .at_labelled(term.name.span, "declared here")
                .with_help("use it in an entity, query or action, or remove it"),
            );
            if let Some(Resolved { ty, origin }) = resolver.term(&term.name.text, term.name.span) {
                terms.push(ir::Term {
                    name: term.name.text.clone(),
                    ty,
                    origin,
                    docs: term.docs.clone(),
                    checks: Vec::new(),
                    default: None,
                    said: Vec::new(),
                });
            }
        }
        let resolver_failed = has_errors(&resolver.diagnostics);
        self.diagnostics.append(&mut resolver.diagnostics);

        self.recursive_entities(&entities, &entity_sources);
        derive_eq(&mut entities, &mut commands, &mut events);

        for suffix in [
            "Command",
            "Event",
            "Queries",
            "Propose",
            "Accept",
            "Aggregate",
            "State",
        ] {
            self.space.types.push((
                format!("{rust}{suffix}"),
                format!("the name of the model's `{suffix}` type"),
                None,
            ));
        }
        self.space.types.push((
            rust.clone(),
            "the name of the model's aggregate".to_string(),
            Some(model.name.span),
        ));

        let choices = self.choices(&terms);
        if self.failed || resolver_failed {
            return (None, self.space);
        }
        let mut lowered = ir::Model {
            name: model.name.text.clone(),
            stored_as: model
                .stored_as
                .as_ref()
                .map_or_else(|| model.name.text.clone(), |s| s.text.clone()),
            rust,
            module,
            file_stem,
            docs: model.docs.clone(),
            entities,
            terms,
            queries,
            commands,
            events,
            choices,
            state: None,
            wire,
            own,
            scenarios: Vec::new(),
            streams: ir::Streams::Whole {
                action: None,
                reason: String::new(),
            },
            asks: Vec::new(),
            services: Vec::new(),
            stored: Vec::new(),
            retired: Vec::new(),
            migration: None,
            policies: Vec::new(),
            reactions: Vec::new(),
        };
        let Some(others) = self.others else {
            return (Some(lowered), self.space);
        };
        if !super::rules::apply(model, &mut lowered, others, self.diagnostics) {
            return (None, self.space);
        }
        (Some(lowered), self.space)
    }

    /// The choice types among the model's terms, with their Rust names
    /// (reported for collisions).
    fn choices(&mut self, terms: &[ir::Term]) -> Vec<ir::Choice> {
        let mut choices = Vec::new();
        for term in &self.model.terms {
            let ast::TypeExpr::Choice(values, span) = &term.ty else {
                continue;
            };
            let Some(ir::Term {
                ty: Type::Choice(rust),
                ..
            }) = terms.iter().find(|t| t.name == term.name.text)
            else {
                continue;
            };
            if choices
                .iter()
                .any(|c: &ir::Choice| c.term == term.name.text)
            {
                continue;
            }
            if values.is_empty() {
                self.failed = true;
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::CONSTRAINT_MISFIT,
                        format!("the choice `{}` has no values", term.name.text),
                    )
                    .at_labelled(*span, "nothing to choose from")
                    .with_help("list its values: `one of [booked checked-in cancelled]`"),
                );
                continue;
            }
            let mut variants: Vec<(String, String)> = Vec::new();
            for value in values {
                let variant = self.type_name(value, "choice value");
                if let Some((first, _)) = variants.iter().find(|(_, v)| *v == variant) {
                    self.failed = true;
                    self.diagnostics.push(
                        Diagnostic::error(
                            codes::DUPLICATE_PARAMETER,
                            format!(
                                "`{}` is listed twice in the choice `{}`",
                                value.text, term.name.text
                            ),
                        )
                        .at_labelled(value.span, "again here")
                        .with_help(format!(
                            "`{first}` and `{}` are one value in Rust: remove one",
                            value.text
                        )),
                    );
                    continue;
                }
                variants.push((value.text.clone(), variant));
            }
            self.space.types.push((
                rust.clone(),
                format!("the choice `{}`", term.name.text),
                Some(term.name.span),
            ));
            choices.push(ir::Choice {
                term: term.name.text.clone(),
                rust: rust.clone(),
                values: variants,
                default: None,
                docs: term.docs.clone(),
                moves: Vec::new(),
            });
        }
        choices
    }

    /// The documentation of a declared term; none for other terms.
    /// A term's documentation: its declaration's, or, for `new-<x>` and
    /// `old-<x>` typed by convention, `<x>`'s.
    fn term_docs(&self, name: &str) -> Vec<String> {
        if let Some(term) = self.declared.get(name) {
            return term.docs.clone();
        }
        ["new-", "old-"]
            .iter()
            .find_map(|prefix| name.strip_prefix(prefix))
            .and_then(|base| self.declared.get(base))
            .map(|t| t.docs.clone())
            .unwrap_or_default()
    }

    /// Fields (or parameters) from term names.
    fn fields(&mut self, resolver: &mut Resolver<'_>, names: &[ast::Ident]) -> Vec<ir::Field> {
        let mut fields = Vec::with_capacity(names.len());
        let mut list = Vec::with_capacity(names.len());
        for name in names {
            if !self.used.iter().any(|(used, _)| *used == name.text) {
                self.used.push((name.text.clone(), name.span));
            }
            let rust = self.value_name(name, "term");
            list.push((rust.clone(), name.text.clone(), name.span));
            let Some(resolved) = resolver.term(&name.text, name.span) else {
                continue;
            };
            fields.push(ir::Field {
                term: name.text.clone(),
                rust,
                ty: resolved.ty,
                docs: self.term_docs(&name.text),
                checks: Vec::new(),
                said: Vec::new(),
            });
        }
        self.space.field_lists.push(list);
        fields
    }

    /// An entity that holds itself (other than through a list) would be
    /// infinitely large.
    fn recursive_entities(&mut self, entities: &[ir::Entity], sources: &[EntitySource]) {
        fn direct<'t>(ty: &'t Type, out: &mut Vec<&'t str>) {
            match ty {
                Type::Entity(name) => out.push(name),
                Type::Optional(inner) => direct(inner, out),
                _ => {}
            }
        }
        let by_name: HashMap<&str, &ir::Entity> =
            entities.iter().map(|e| (e.rust.as_str(), e)).collect();
        // The entities each one holds directly (not through a list).
        fn holds(entity: &ir::Entity) -> Vec<(&str, &str)> {
            let mut out = Vec::new();
            for field in &entity.fields {
                let mut held = Vec::new();
                direct(&field.ty, &mut held);
                out.extend(held.into_iter().map(|h| (h, field.term.as_str())));
            }
            out
        }
        let mut reported: Vec<&str> = Vec::new();
        for (index, entity) in entities.iter().enumerate() {
            if reported.contains(&entity.rust.as_str()) {
                continue;
            }
            // Depth-first from this entity, remembering the path: does it
            // come back to itself?
            let mut stack = vec![(entity.rust.as_str(), vec![entity.name.as_str()])];
            let mut seen = BTreeSet::new();
            let mut cycle = None;
            while let Some((current, path)) = stack.pop() {
                let Some(e) = by_name.get(current) else {
                    continue;
                };
                for (next, field) in holds(e) {
                    let mut longer = path.clone();
                    longer.push(field);
                    if next == entity.rust {
                        cycle.get_or_insert(longer);
                    } else if seen.insert(next) {
                        if let Some(n) = by_name.get(next) {
                            longer.push(n.name.as_str());
                        }
                        stack.push((next, longer));
                    }
                }
            }
            let Some(path) = cycle else { continue };
            self.failed = true;
            reported.extend(
                entities
                    .iter()
                    .filter(|e| path.contains(&e.name.as_str()))
                    .map(|e| e.rust.as_str()),
            );
            self.diagnostics.push(
                Diagnostic::error(
                    codes::RECURSIVE_ENTITY,
                    format!(
                        "entity `{}` contains itself: {}",
                        entity.name,
                        path.join(" → ")
                    ),
                )
                .at_labelled(sources[index].span, "would be infinitely large")
                .with_help("hold the other by its identity (`optional id of …`) or in a `list of`"),
            );
        }
    }
}

/// What `id` identifies: the model's only entity; else the one entity whose
/// first field is `id`; else the one named like the model's singular; with
/// no entity, the singular of the model's name.
fn id_meaning(entities: &[EntitySource], singular: &str) -> IdMeaning {
    let of = |e: &EntitySource, why: &str| {
        IdMeaning::Of(
            e.rust.clone(),
            format!("`id` identifies {why} `{}`", e.written),
        )
    };
    match entities {
        [] => {
            let rust = names::pascal(singular).unwrap_or_default();
            let why = format!("`id` identifies `{rust}`, the singular of the model's name (no entity is declared)");
            IdMeaning::Of(rust, why)
        }
        [only] => of(only, "the model's entity"),
        several => {
            let by_id: Vec<&EntitySource> = several
                .iter()
                .filter(|e| e.fields.first().is_some_and(|f| f.text == "id"))
                .collect();
            if let [one] = by_id.as_slice() {
                return of(one, "the entity identified by `id`,");
            }
            if let Some(main) = several
                .iter()
                .find(|e| names::kebab(&e.written) == singular)
            {
                return of(main, "the entity named like the model,");
            }
            let mut names: Vec<String> = Vec::new();
            for entity in several {
                if !names.contains(&entity.rust) {
                    names.push(entity.rust.clone());
                }
            }
            IdMeaning::Ambiguous(names)
        }
    }
}

/// Infers the model's entity when none is declared and its queries name it.
fn infer_entity(model: &ast::Model, singular: &str) -> Option<EntitySource> {
    let plural = names::plural(singular);
    let mentions = |name: &str| {
        let padded = format!("-{}-", names::kebab(name));
        padded.contains(&format!("-{singular}-")) || padded.contains(&format!("-{plural}-"))
    };
    if names::kebab(&model.name.text) == singular {
        // The entity would take the aggregate's name.
        return None;
    }
    let query = model.queries.iter().find(|q| mentions(&q.name.text))?;
    let action = model
        .actions
        .iter()
        .find(|a| a.fields.iter().any(|f| f.text == "id"))?;
    let rust = names::pascal(singular).ok()?;
    let why = format!(
        "query `{}` names `{singular}`; fields of event `{}`",
        query.name.text, action.event.text
    );
    // A field the command carries too is first used there, on the left.
    let fields = action
        .fields
        .iter()
        .map(|f| {
            action
                .params
                .iter()
                .find(|p| p.text == f.text)
                .unwrap_or(f)
                .clone()
        })
        .collect();
    Some(EntitySource {
        written: rust.clone(),
        rust,
        fields,
        starts_empty: Vec::new(),
        docs: Vec::new(),
        inferred: Some(why),
        span: model.name.span,
    })
}

/// A query's return type by convention.
fn infer_returns(name: &str, entities: &[EntityName]) -> Option<(Type, String)> {
    if name.ends_with('?') {
        return Some((Type::Boolean, "ends in `?`".into()));
    }
    let kebab = names::kebab(name);
    if kebab.ends_with("-count") || kebab.starts_with("count-") {
        return Some((Type::Integer, "a count".into()));
    }
    for prefix in ["get-", "find-"] {
        if let Some(rest) = kebab.strip_prefix(prefix) {
            if let Some(entity) = entities.iter().find(|e| e.kebab == rest) {
                return Some((
                    Type::Optional(Box::new(Type::Entity(entity.rust.clone()))),
                    format!("`{prefix}<entity>` of `{}`", entity.written),
                ));
            }
        }
    }
    for entity in entities {
        let plural = names::plural(&entity.kebab);
        if kebab == plural || kebab.ends_with(&format!("-{plural}")) {
            return Some((
                Type::List(Box::new(Type::Entity(entity.rust.clone()))),
                format!("ends in `{plural}`, the plural of `{}`", entity.written),
            ));
        }
    }
    None
}

fn returns_unknown(query: &ast::Query, entities: &[EntityName]) -> Diagnostic {
    let diagnostic = Diagnostic::error(
        codes::QUERY_RETURNS,
        format!("esgen cannot tell what query `{}` returns", query.name.text),
    )
    .at_labelled(query.name.span, "no `returns` and no convention applies");
    let name = names::kebab(&query.name.text);
    let missing = ["get-", "find-"].iter().find_map(|p| name.strip_prefix(p));
    match (missing, entities.is_empty()) {
        (Some(entity), _) if !entities.iter().any(|e| e.kebab == entity) => {
            diagnostic.with_help(format!(
                "there is no entity `{}`: declare `Entity: {} [id …]`, or add `returns <type>`",
                names::pascal(entity).unwrap_or_default(),
                names::pascal(entity).unwrap_or_default()
            ))
        }
        _ => {
            // A plural asks for a list of something; anything else, a value.
            let example = match names::singular(&name) {
                Some(one) => {
                    let last = one.rsplit('-').next().unwrap_or(&one);
                    format!("list of {}", names::pascal(last).unwrap_or_default())
                }
                None => "text".to_string(),
            };
            diagnostic.with_help(format!(
                "add `returns <type>`, e.g. `- {} returns {example}`",
                query_line(query)
            ))
        }
    }
}

/// The bracket list of a line's names.
fn bracket(names: &[ast::Ident]) -> String {
    names::bracket(names.iter().map(|n| n.text.as_str()))
}

fn query_line(query: &ast::Query) -> String {
    let mut line = query.name.text.clone();
    if !query.params.is_empty() {
        line.push(' ');
        line.push_str(&bracket(&query.params));
    }
    if let Some(returns) = &query.returns {
        line.push_str(" returns ");
        line.push_str(&type_text(returns));
    }
    line
}

fn type_text(expr: &ast::TypeExpr) -> String {
    match expr {
        ast::TypeExpr::List(inner, _) => format!("list of {}", type_text(inner)),
        ast::TypeExpr::Optional(inner, _) => format!("optional {}", type_text(inner)),
        ast::TypeExpr::IdOf(name, _) => format!("id of {}", name.text),
        ast::TypeExpr::Named(name) => name.text.clone(),
        ast::TypeExpr::Choice(values, _) => format!("one of {}", bracket(values)),
    }
}

fn action_line(action: &ast::Action) -> String {
    let version = match action.event_version {
        Some((n, _)) if n != 1 => format!("@{n}"),
        _ => String::new(),
    };
    format!(
        "{} {} accepted as {}{version} {}",
        action.command.text,
        bracket(&action.params),
        action.event.text,
        bracket(&action.fields)
    )
}

/// Which structs can derive `Eq` and `Hash`: none holding a `number`,
/// directly or through an entity (a fixpoint over entities).
fn derive_eq(entities: &mut [ir::Entity], commands: &mut [ir::Command], events: &mut [ir::Event]) {
    loop {
        let eq: HashMap<String, bool> = entities.iter().map(|e| (e.rust.clone(), e.eq)).collect();
        let lookup = |name: &str| eq.get(name).copied().unwrap_or(true);
        let mut changed = false;
        for entity in entities.iter_mut() {
            let now = entity.fields.iter().all(|f| f.ty.eq_hash(&lookup));
            changed |= now != entity.eq;
            entity.eq = now;
        }
        if !changed {
            for command in commands.iter_mut() {
                command.eq = command.params.iter().all(|f| f.ty.eq_hash(&lookup));
            }
            for event in events.iter_mut() {
                event.eq = event.fields.iter().all(|f| f.ty.eq_hash(&lookup));
            }
            return;
        }
    }
}

/// What a query definition answers for the entities it looks at, and why:
/// a count, a sum of one of their fields, or the entities themselves.
fn each_answers(
    body: &ast::QueryBody,
    entities: &[ir::Entity],
    entity_names: &[EntityName],
) -> Option<(Type, String)> {
    if body.count {
        return Some((Type::Integer, "a count".to_string()));
    }
    if let Some(summed) = &body.sum {
        return plural_field(body, entities, summed)
            .map(|f| (f.ty.clone(), format!("a sum of `{}`", summed.text)));
    }
    let plural = names::kebab(&body.plural.text);
    entity_names
        .iter()
        .find(|e| names::plural(&e.kebab) == plural)
        .map(|e| {
            (
                Type::List(Box::new(Type::Entity(e.rust.clone()))),
                format!("a list of `{}`", e.written),
            )
        })
}

/// The field `name` of the entities a definition names by their plural.
fn plural_field<'e>(
    body: &ast::QueryBody,
    entities: &'e [ir::Entity],
    name: &ast::Ident,
) -> Option<&'e ir::Field> {
    let plural = names::kebab(&body.plural.text);
    entities
        .iter()
        .find(|e| names::plural(&names::kebab(&e.name)) == plural)
        .and_then(|e| e.fields.iter().find(|f| f.term == name.text))
}
