//! The state a model with rules keeps: one store per entity.

use super::{err, Pass};
use crate::diagnostics::{codes, did_you_mean};
use crate::model::ir::{self, Store, Type};
use crate::model::names;
use crate::syntax::ast;

impl Pass<'_> {
    /// One store per entity, keyed by its first field.
    pub(super) fn stores(&mut self, model: &ast::Model) {
        let mut stores = Vec::new();
        let mut ok = true;
        for (index, entity) in self.model.entities.iter().enumerate() {
            let Some(key) = entity.fields.first() else {
                continue;
            };
            if !matches!(
                key.ty,
                Type::Id(_) | Type::Text | Type::Integer | Type::Choice(_)
            ) {
                ok = false;
                let span = model
                    .entities
                    .iter()
                    .find(|e| e.name.text == entity.name)
                    .map_or(model.name.span, |e| e.name.span);
                self.out.push(
                    err(
                        codes::WRONG_VALUE_TYPE,
                        format!(
                            "entity `{}` cannot be looked up by its `{}`, a `{}`",
                            entity.name,
                            key.term,
                            key.ty.spec()
                        ),
                        span,
                        "its first field is its key",
                    )
                    .with_help("put its identity first: an `id of …`, a `text` or an `integer`"),
                );
            }
            let plural = names::plural(&names::kebab(&entity.name));
            stores.push(Store {
                entity: index,
                field: names::snake(&plural).unwrap_or_else(|_| format!("{plural}_store")),
                plural,
            });
        }
        ok &= self.own_record(model, &stores);
        if ok {
            self.model.state = Some(stores);
        }
    }

    /// `State: [fields]`: one line at most, each field with a first value
    /// (its term's default or its type's empty value) and a name no store
    /// takes. `false` after reporting a problem.
    fn own_record(&mut self, model: &ast::Model, stores: &[Store]) -> bool {
        let Some(decl) = model.state.first() else {
            return true;
        };
        let mut ok = true;
        for extra in &model.state[1..] {
            ok = false;
            self.out.push(
                err(
                    codes::STATE_SHAPE,
                    format!("model `{}` has a second `State:`", model.name.text),
                    extra.span,
                    "a second one",
                )
                .with_label(decl.span, "the first")
                .with_help(
                    "a model's stream holds one record: put every field in one `State: [...]`",
                ),
            );
        }
        for own in &mut self.model.own {
            let declared = self
                .model
                .terms
                .iter()
                .find(|t| t.name == own.field.term)
                .and_then(|t| t.default.clone());
            let span = decl
                .fields
                .iter()
                .find(|f| f.text == own.field.term)
                .map_or(decl.span, |f| f.span);
            let Some(initial) = declared.or_else(|| empty_value(&own.field.ty)) else {
                ok = false;
                self.out.push(
                    err(
                        codes::STATE_SHAPE,
                        format!(
                            "`{}` has no value before the stream's first event",
                            own.field.term
                        ),
                        span,
                        &match &own.field.ty {
                            Type::Choice(_) => "a choice has no empty value".to_string(),
                            ty => format!("a `{}` has no empty value", ty.spec()),
                        },
                    )
                    .with_help(format!(
                        "give `{}` a default in `Terms:` (`…, default <value>` after its type), or make it `optional`",
                        own.field.term
                    )),
                );
                continue;
            };
            own.initial = initial;
            if let Some(store) = stores.iter().find(|s| s.field == own.field.rust) {
                ok = false;
                self.out.push(
                    err(
                        codes::STATE_SHAPE,
                        format!(
                            "`{}` names both a field of the state and the model's `{}`",
                            own.field.term, self.model.entities[store.entity].name
                        ),
                        span,
                        "taken by the entities",
                    )
                    .with_help("rename the field: the state holds the entities under their plural"),
                );
            }
        }
        ok
    }

    pub(super) fn stores_ref(&self) -> &[Store] {
        self.model.state.as_deref().unwrap_or_default()
    }

    pub(super) fn store_of(&mut self, entity: &ast::Ident) -> Option<usize> {
        let found = self
            .stores_ref()
            .iter()
            .position(|s| self.model.entities[s.entity].name == entity.text);
        if found.is_none() {
            let names: Vec<String> = self.model.entities.iter().map(|e| e.name.clone()).collect();
            let help = match did_you_mean(&entity.text, names.iter().map(String::as_str)) {
                Some(close) => format!("did you mean `{close}`?"),
                None if names.is_empty() => "declare it: `Entity: <Name> [id …]`".to_string(),
                None => format!("the model holds: {}", names.join(", ")),
            };
            self.out.push(
                err(
                    codes::UNKNOWN_IN_RULE,
                    format!("the model holds no entity `{}`", entity.text),
                    entity.span,
                    "unknown entity",
                )
                .with_help(help),
            );
        }
        found
    }

    pub(super) fn store_by_plural(&mut self, plural: &ast::Ident) -> Option<usize> {
        let kebab = names::kebab(&plural.text);
        let found = self.stores_ref().iter().position(|s| s.plural == kebab);
        if found.is_none() {
            let plurals: Vec<String> = self.stores_ref().iter().map(|s| s.plural.clone()).collect();
            let help = match did_you_mean(&plural.text, plurals.iter().map(String::as_str)) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("name the entities by their plural: {}", plurals.join(", ")),
            };
            self.out.push(
                err(
                    codes::UNKNOWN_IN_RULE,
                    format!("the model holds no `{}`", plural.text),
                    plural.span,
                    "not the plural of an entity",
                )
                .with_help(help),
            );
        }
        found
    }

    pub(super) fn key_field(&self, store: usize) -> &ir::Field {
        &self.model.store_entity(store).fields[0]
    }
}

/// The value a field of a `State:` of type `ty` starts from when its term
/// has no default: `""`, `0`, `no`, `nothing` or `[]`; `None` for a type
/// with no empty value (an identity, a choice, a date, an entity).
fn empty_value(ty: &Type) -> Option<ir::Literal> {
    use ir::Literal;
    Some(match ty {
        Type::Text => Literal::Text(String::new()),
        Type::Integer => Literal::Integer(0),
        Type::Number => Literal::Number("0".to_string()),
        Type::Decimal => Literal::Decimal("0".to_string()),
        Type::Boolean => Literal::Boolean(false),
        Type::Optional(_) => Literal::Nothing,
        Type::List(_) => Literal::List(Vec::new()),
        _ => return None,
    })
}
