//! The spec's types and names in the words of the people who share it:
//! "a whole number", "optional text", "list of visits", "a Patient id",
//! never the Rust types the code is built from.

use crate::model::ir::{Derived, Model, Query, Spec, Type};

/// What the words are about: a model of a spec, for the names of its
/// entities, choices and identities (some of another model's).
#[derive(Clone, Copy)]
pub struct Words<'a> {
    /// The spec.
    pub spec: &'a Spec,
    /// The model whose words these are.
    pub model: &'a Model,
}

impl<'a> Words<'a> {
    /// The words of `model` of `spec`.
    pub fn new(spec: &'a Spec, model: &'a Model) -> Self {
        Words { spec, model }
    }

    /// A type as a phrase on its own: "text", "a whole number",
    /// "optional text", "list of visits", "one of [open closed]".
    pub fn phrase(&self, ty: &Type) -> String {
        match ty {
            Type::Text
            | Type::Boolean
            | Type::Choice(_)
            | Type::Optional(_)
            | Type::List(_)
            | Type::Map(..) => self.noun(ty, false),
            other => article(&self.noun(other, false)),
        }
    }

    /// What a query answers: its type as a phrase, or for a grouped one,
    /// what for each value of which field ("for each `depot`, a whole
    /// number").
    pub fn answer(&self, query: &Query) -> String {
        if let (Some(derived @ Derived::Per { field, .. }), Type::Map(_, value)) =
            (&query.derived, &query.returns)
        {
            let stores = self.model.state.as_deref().unwrap_or_default();
            if let Some(term) = stores.get(derived.store()).and_then(|store| {
                self.model.entities[store.entity]
                    .fields
                    .iter()
                    .find(|f| f.rust == *field)
            }) {
                return format!("for each `{}`, {}", term.term, self.phrase(value));
            }
        }
        self.phrase(&query.returns)
    }

    /// A type as a noun, with no article: "whole number", "Patient id";
    /// in the plural when `plural` ("whole numbers", "visits").
    pub fn noun(&self, ty: &Type, plural: bool) -> String {
        let counted = |one: &str, many: &str| if plural { many } else { one }.to_string();
        match ty {
            Type::Text => counted("text", "texts"),
            Type::Integer => counted("whole number", "whole numbers"),
            Type::Number => counted("number", "numbers"),
            Type::Decimal => counted("exact number", "exact numbers"),
            Type::Boolean => counted("yes or no", "yes-or-no answers"),
            Type::Date => counted("date", "dates"),
            Type::Timestamp => counted("date and time", "dates and times"),
            Type::Id(of) => format!("{} {}", self.identity(of), counted("id", "ids")),
            Type::Entity(rust) => self.entity(rust, plural),
            Type::Event(_) => counted("event", "events"),
            Type::Choice(rust) => self.choice(rust),
            Type::Optional(inner) => format!("optional {}", self.noun(inner, plural)),
            Type::List(inner) => format!("list of {}", self.noun(inner, true)),
            Type::Map(key, value) => {
                format!("for each {}, {}", self.noun(key, false), self.phrase(value))
            }
        }
    }

    /// What an identity (its Rust name, `Patient` for `PatientId`)
    /// identifies, as the spec writes it.
    pub fn identity(&self, rust: &str) -> String {
        if let Some(entity) = self
            .spec
            .models
            .iter()
            .flat_map(|m| &m.entities)
            .find(|e| e.rust == rust)
        {
            return entity.name.clone();
        }
        let newtype = format!("{rust}Id");
        self.spec
            .identities
            .iter()
            .find(|i| i.rust == newtype)
            .map_or_else(|| rust.to_string(), |i| i.of.clone())
    }

    /// An entity (its Rust name) as the spec writes it; in the plural,
    /// as its rules do (`visits`).
    pub fn entity(&self, rust: &str, plural: bool) -> String {
        let Some(index) = self.model.entities.iter().position(|e| e.rust == rust) else {
            let name = self
                .spec
                .models
                .iter()
                .flat_map(|m| &m.entities)
                .find(|e| e.rust == rust)
                .map_or(rust, |e| e.name.as_str());
            return if plural {
                format!("{name}s")
            } else {
                name.to_string()
            };
        };
        let entity = &self.model.entities[index];
        if !plural {
            return entity.name.clone();
        }
        self.model
            .state
            .iter()
            .flatten()
            .find(|s| s.entity == index)
            .map_or_else(|| format!("{}s", entity.name), |s| s.plural.clone())
    }

    /// A choice (its Rust name, `super::Stage` for another model's) as its
    /// values: `one of [planned live]`.
    pub fn choice(&self, rust: &str) -> String {
        let path: Vec<&str> = rust.split("::").filter(|p| *p != "super").collect();
        let bare = path.last().copied().unwrap_or(rust);
        let module = path.len().checked_sub(2).map(|i| path[i]);
        let own = self.model.choices.iter().find(|c| c.rust == rust);
        let found = own.or_else(|| {
            self.spec
                .models
                .iter()
                .filter(|m| module.is_none_or(|module| m.module == module))
                .flat_map(|m| &m.choices)
                .find(|c| c.rust == bare)
        });
        found.map_or_else(
            || crate::model::names::kebab(bare),
            |c| {
                let values: Vec<&str> = c.values.iter().map(|(v, _)| v.as_str()).collect();
                format!("one of [{}]", values.join(" "))
            },
        )
    }
}

/// A function you write, named as the spec names it (`from_one_stream`
/// is `from-one-stream`).
pub fn function(rust: &str) -> String {
    crate::model::names::unraw(rust).replace('_', "-")
}

/// `a` or `an` before a noun.
pub fn article(noun: &str) -> String {
    let vowel = noun
        .chars()
        .next()
        .is_some_and(|c| "aeiouAEIOU".contains(c));
    if vowel {
        format!("an {noun}")
    } else {
        format!("a {noun}")
    }
}

/// Words in a list: "a", "a and b", "a, b and c".
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// `1 thing`, `2 things`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}
