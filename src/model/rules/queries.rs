//! Derived queries: by definition (`= … where …`) or by convention. The
//! definitions that ask each other in a circle are found in `cycles.rs`.

use super::{err, Pass, Scope};
use crate::diagnostics::codes;
use crate::model::ir::{self, Derived, Expr, Type};
use crate::model::names;
use crate::syntax::ast;

impl Pass<'_> {
    pub(super) fn queries(&mut self, model: &ast::Model) {
        for (index, query) in model.queries.iter().enumerate() {
            let Some(lowered) = self
                .model
                .queries
                .iter()
                .position(|q| q.name == query.name.text)
            else {
                continue;
            };
            if lowered != index && self.model.queries[index].name != query.name.text {
                continue;
            }
            let derived = match &query.body {
                Some(body) => self.derived(body, &self.model.queries[lowered].params.clone()),
                None => self.conventional(lowered),
            };
            if let Some(derived) = derived {
                let returns = self.answers(&derived);
                if self.model.queries[lowered].returns != returns {
                    if query.body.is_some() {
                        let said = self.model.queries[lowered].returns.spec();
                        let help = if matches!(returns, Type::Map(..)) {
                            "leave `returns` out: a query grouped `per` a field answers a value for each of its values".to_string()
                        } else {
                            format!("write `returns {}` or leave `returns` out", returns.spec())
                        };
                        self.out.push(
                            err(
                                codes::WRONG_VALUE_TYPE,
                                format!(
                                    "query `{}` returns `{said}`, but its definition gives `{}`",
                                    query.name.text,
                                    returns.spec()
                                ),
                                query.body.as_ref().map_or(query.span, |b| b.span),
                                "this gives another type",
                            )
                            .with_help(help),
                        );
                    }
                    continue;
                }
                if query.body.is_some() {
                    self.lowered.push(query.span);
                }
                self.model.queries[lowered].derived = Some(derived);
            }
        }
        self.circles(model);
    }

    /// What a definition answers.
    fn answers(&self, derived: &Derived) -> Type {
        match derived {
            Derived::Has { .. } => Type::Boolean,
            Derived::Get { store, .. } => Type::Optional(Box::new(Type::Entity(
                self.model.store_entity(*store).rust.clone(),
            ))),
            Derived::Select { store, .. } => Type::List(Box::new(Type::Entity(
                self.model.store_entity(*store).rust.clone(),
            ))),
            Derived::Count { .. } => Type::Integer,
            Derived::Sum { ty, .. } => ty.clone(),
            Derived::Field {
                ty: Type::Boolean, ..
            } => Type::Boolean,
            Derived::Field {
                ty: ty @ Type::Optional(_),
                ..
            } => ty.clone(),
            Derived::Field { ty, .. } => Type::Optional(Box::new(ty.clone())),
            Derived::History { .. } => {
                Type::List(Box::new(Type::Event(format!("{}Event", self.model.rust))))
            }
            Derived::Per { key, each, .. } => {
                Type::Map(Box::new(key.clone()), Box::new(self.answers(each)))
            }
        }
    }

    pub(super) fn derived(
        &mut self,
        body: &ast::QueryBody,
        params: &[ir::Field],
    ) -> Option<Derived> {
        if let Some((entity, key)) = &body.history {
            return self.history(entity, key, params, body.span);
        }
        if let Some(field_of) = &body.field_of {
            let scope = Scope::Command(params);
            let Expr::FieldOf {
                store,
                field,
                key,
                ty,
            } = self.named(field_of, scope, true).ok()??
            else {
                return None;
            };
            return Some(Derived::Field {
                store,
                field,
                key: *key,
                ty,
            });
        }
        let store = self.store_by_plural(&body.plural)?;
        let entity = self.model.store_entity(store).clone();
        let filter = match &body.filter {
            Some(condition) => {
                let resolved = self
                    .condition(condition, Scope::Query(params, &entity))
                    .ok()?;
                if let Some(found) = super::logic::check(condition, true) {
                    self.out.push(found);
                    return None;
                }
                Some(resolved)
            }
            None => None,
        };
        let per = match &body.per {
            Some(by) => Some(self.grouped_by(&entity, by)?),
            None => None,
        };
        let each = self.each(body, store, &entity, filter)?;
        Some(match per {
            Some((field, key, optional)) => Derived::Per {
                field,
                key,
                optional,
                each: Box::new(each),
            },
            None => each,
        })
    }

    /// `history of <Entity> [key]`: the events that carry the entity's
    /// key field.
    fn history(
        &mut self,
        entity: &ast::Ident,
        key: &[ast::Ident],
        params: &[ir::Field],
        span: crate::source::Span,
    ) -> Option<Derived> {
        let store = self.store_of(entity)?;
        let key_field = self.model.store_entity(store).fields.first()?.clone();
        let key = self.key(store, key, Scope::Command(params), span).ok()?;
        let events: Vec<usize> = self
            .model
            .events
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                e.fields
                    .iter()
                    .any(|f| f.term == key_field.term && f.ty == key_field.ty)
            })
            .map(|(i, _)| i)
            .collect();
        if events.is_empty() {
            self.out.push(
                err(
                    codes::UNKNOWN_IN_RULE,
                    format!(
                        "no event of `{}` carries `{}`: nothing happens to one {}",
                        self.model.name, key_field.term, entity.text
                    ),
                    entity.span,
                    "no history",
                )
                .with_help(format!(
                    "a history is made of the events that carry the entity's key: add `{}` to the brackets of the events that concern it",
                    key_field.term
                )),
            );
            return None;
        }
        Some(Derived::History {
            store,
            key,
            field: key_field.rust,
            events,
        })
    }

    /// The field a grouped query is grouped `per`: its Rust name, the type
    /// of its values and whether it is optional.
    fn grouped_by(&mut self, entity: &ir::Entity, by: &ast::Ident) -> Option<(String, Type, bool)> {
        let f = self.entity_field(entity, by)?;
        let (key, optional) = match &f.ty {
            Type::Optional(inner) => ((**inner).clone(), true),
            ty => (ty.clone(), false),
        };
        if matches!(
            key,
            Type::Number | Type::List(_) | Type::Entity(_) | Type::Map(..)
        ) {
            self.out.push(
                err(
                    codes::WRONG_VALUE_TYPE,
                    format!("`{}` is a `{}`: entities cannot be grouped per its values", by.text, f.ty.spec()),
                    by.span,
                    "cannot group per this field",
                )
                .with_help("group per a field of text, a choice, an identity, a whole number, a decimal, a date or yes/no (`count of parcels per depot`)"),
            );
            return None;
        }
        Some((f.rust.clone(), key, optional))
    }

    /// A field of the entity, or a located error naming the fields it has.
    fn entity_field<'e>(
        &mut self,
        entity: &'e ir::Entity,
        name: &ast::Ident,
    ) -> Option<&'e ir::Field> {
        let found = entity.fields.iter().find(|f| f.term == name.text);
        if found.is_none() {
            let names: Vec<&str> = entity.fields.iter().map(|f| f.term.as_str()).collect();
            let help = match crate::diagnostics::did_you_mean(&name.text, names.iter().copied()) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("`{}` has: {}", entity.name, names.join(", ")),
            };
            self.out.push(
                err(
                    codes::UNKNOWN_IN_RULE,
                    format!("`{}` has no field `{}`", entity.name, name.text),
                    name.span,
                    "unknown field",
                )
                .with_help(help),
            );
        }
        found
    }

    /// What a definition answers for the entities it looks at: them, their
    /// count or a sum of one of their fields.
    fn each(
        &mut self,
        body: &ast::QueryBody,
        store: usize,
        entity: &ir::Entity,
        filter: Option<ir::Condition>,
    ) -> Option<Derived> {
        if let Some(summed) = &body.sum {
            let f = self.entity_field(entity, summed)?;
            if !matches!(f.ty, Type::Integer | Type::Number | Type::Decimal) {
                self.out.push(
                    err(
                        codes::ARITHMETIC_TYPES,
                        format!("`{}` is a `{}`: it does not add up", summed.text, f.ty.spec()),
                        summed.span,
                        "not a number",
                    )
                    .with_help("`sum of` adds up an `integer`, `number` or `decimal` field; to count the entities, write `count of`"),
                );
                return None;
            }
            return Some(Derived::Sum {
                store,
                field: f.rust.clone(),
                ty: f.ty.clone(),
                filter,
            });
        }
        Some(if body.count {
            Derived::Count { store, filter }
        } else {
            Derived::Select { store, filter }
        })
    }

    /// `has-<entity>? [key]`, `get-<entity> [key]` and `all-<entities>`.
    pub(super) fn conventional(&self, index: usize) -> Option<Derived> {
        let query = &self.model.queries[index];
        let name = query.name.as_str();
        for (store, s) in self.stores_ref().iter().enumerate() {
            let entity = &self.model.entities[s.entity];
            let one = names::kebab(&entity.name);
            let key = &entity.fields[0];
            let keyed = match query.params.as_slice() {
                [param] if param.ty == key.ty => Some(Expr::Input {
                    rust: param.rust.clone(),
                    ty: param.ty.clone(),
                }),
                _ => None,
            };
            if name == format!("has-{one}?") {
                if let Some(key) = keyed {
                    return Some(Derived::Has { store, key });
                }
            } else if name == format!("get-{one}") || name == format!("find-{one}") {
                if let Some(key) = keyed {
                    return Some(Derived::Get { store, key });
                }
            } else if (name == s.plural || name == format!("all-{}", s.plural))
                && query.params.is_empty()
            {
                return Some(Derived::Select {
                    store,
                    filter: None,
                });
            }
        }
        None
    }
}
