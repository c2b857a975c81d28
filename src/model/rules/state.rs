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
        if ok {
            self.model.state = Some(stores);
        }
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
