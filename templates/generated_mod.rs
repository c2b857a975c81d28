//! Everything esgen generates from `{{ krate.spec_file }}`: the identity types
//! the models share, [`Rejection`], and one module per model.

{% for module in krate.generated_modules -%}
pub mod {{ module }};
{% endfor %}
/// The models run by cqrs-es, and stored in PostgreSQL.
#[cfg(feature = "cqrs")]
pub mod runtime;

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
{%- if krate.stores %}
use std::collections::HashMap;
{%- endif %}
use std::fmt;
{%- if krate.stores %}
use std::hash::Hash;
{%- endif %}
{% for id in krate.identities %}
/// The identity of each `{{ id.of }}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct {{ id.rust }}(pub String);

impl {{ id.rust }} {
    /// An identity from its text.
    #[must_use]
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// The identity as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for {{ id.rust }} {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for {{ id.rust }} {
    fn from(id: String) -> Self {
        Self(id)
    }
}

impl From<&str> for {{ id.rust }} {
    fn from(id: &str) -> Self {
        Self(id.to_string())
    }
}

impl AsRef<str> for {{ id.rust }} {
    fn as_ref(&self) -> &str {
        &self.0
    }
}
{% endfor %}
/// What kind of refusal a [`Rejection`] is: a coarse class an HTTP layer
/// can map to a status (404, 409, 422, 403).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RejectionKind {
    /// Something the command needs does not exist.
    NotFound,
    /// The command clashes with what exists.
    Conflict,
    /// The command's values break a constraint of the spec.
    Invalid,
    /// The model refuses it for another reason.
    Refused,
}

/// One value of a command that breaks a constraint of the spec.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Problem {
    /// The parameter, as the spec names it (`text`).
    pub field: Cow<'static, str>,
    /// The constraint (`not-blank`, `at-most-characters`, `between`…).
    pub rule: Cow<'static, str>,
    /// What is wrong, for people.
    pub message: Cow<'static, str>,
}

/// Why a model refused a command: where (the model and action, as the spec
/// names them), which rule (a stable identifier, for tests and logs), what
/// kind of refusal, a message for people, and every broken constraint.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Rejection {
    /// The model that refused (`Todos`); empty when not said.
    pub model: Cow<'static, str>,
    /// The action that was refused (`create-new`).
    pub action: Cow<'static, str>,
    /// The rule that refused it: `<action>/<if|unless>-<condition>` for a
    /// guard of the spec, `<action>/constraints` for broken constraints,
    /// the action's name for a rejection written by hand.
    pub rule: Cow<'static, str>,
    /// What kind of refusal it is.
    pub kind: RejectionKind,
    /// Why, for people.
    pub message: String,
    /// The broken constraints, when [`RejectionKind::Invalid`].
    pub problems: Box<[Problem]>,
}

impl Rejection {
    /// A refusal of `action` with a message; its rule is the action's name.
    #[must_use]
    pub fn new(action: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        let action = action.into();
        Self {
            model: Cow::Borrowed(""),
            rule: action.clone(),
            action,
            kind: RejectionKind::Refused,
            message: message.into(),
            problems: Box::default(),
        }
    }

    /// A rejection by a rule of the spec.
    #[must_use]
    pub fn by_rule(
        model: &'static str,
        action: &'static str,
        rule: &'static str,
        kind: RejectionKind,
        message: impl Into<String>,
    ) -> Self {
        Self {
            model: Cow::Borrowed(model),
            action: Cow::Borrowed(action),
            rule: Cow::Borrowed(rule),
            kind,
            message: message.into(),
            problems: Box::default(),
        }
    }

    /// The same rejection, of another kind.
    #[must_use]
    pub fn with_kind(mut self, kind: RejectionKind) -> Self {
        self.kind = kind;
        self
    }

    /// The same rejection, by another rule.
    #[must_use]
    pub fn with_rule(mut self, rule: impl Into<Cow<'static, str>>) -> Self {
        self.rule = rule.into();
        self
    }

    /// The same rejection, of the model `model`.
    #[must_use]
    pub fn in_model(mut self, model: impl Into<Cow<'static, str>>) -> Self {
        self.model = model.into();
        self
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` rejected: {}", self.action, self.message)
    }
}

impl std::error::Error for Rejection {}
{%- if krate.stores %}

/// The broken constraints of a command, gathered so that all of them are
/// reported together.
#[derive(Debug, Default)]
pub struct Problems(Vec<Problem>);

impl Problems {
    /// Records that `field` breaks `rule`.
    #[inline]
    pub fn add(&mut self, field: &'static str, rule: &'static str, message: &'static str) {
        self.0.push(Problem {
            field: Cow::Borrowed(field),
            rule: Cow::Borrowed(rule),
            message: Cow::Borrowed(message),
        });
    }

    /// `Ok` when nothing is broken, else one [`RejectionKind::Invalid`]
    /// rejection by `rule`, listing every problem.
    ///
    /// # Errors
    ///
    /// The rejection, when a constraint is broken.
    #[inline]
    pub fn finish(
        self,
        model: &'static str,
        action: &'static str,
        rule: &'static str,
    ) -> Result<(), Rejection> {
        if self.0.is_empty() {
            return Ok(());
        }
        Err(self.rejection(model, action, rule))
    }

    #[cold]
    fn rejection(self, model: &'static str, action: &'static str, rule: &'static str) -> Rejection {
        let messages: Vec<&str> = self.0.iter().map(|p| &*p.message).collect();
        let message = messages.join("; ");
        let mut rejection =
            Rejection::by_rule(model, action, rule, RejectionKind::Invalid, message);
        // Moved into a vector of the exact size: shrinking the one that
        // grew would reallocate.
        let mut exact = Vec::with_capacity(self.0.len());
        exact.extend(self.0);
        rejection.problems = exact.into_boxed_slice();
        rejection
    }
}

/// Whether `text` is empty or only white space.
#[must_use]
#[inline]
pub fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// How many characters `text` has.
#[must_use]
#[inline]
pub fn chars(text: &str) -> usize {
    text.chars().count()
}

/// A count as the spec's `integer`.
#[must_use]
#[inline]
pub fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// An entity that a [`Store`] finds by one of its fields, its key.
pub trait Keyed {
    /// The key's type.
    type Key: Eq + Hash + Clone;

    /// The entity's key.
    fn key(&self) -> &Self::Key;
}

/// Below this many entities a store finds one by looking at each, which is
/// faster than hashing; above it, it keeps an index.
const SMALL: usize = 16;

/// The entities of one kind that a model holds: found by key, listed in the
/// order they were added.
///
/// Lookups are O(1): a store of more than a few entities keeps an index
/// from key to position. Removing leaves a hole that later lookups skip,
/// and the holes are swept out once they are half the store.
#[derive(Debug, Clone)]
pub struct Store<K, V> {
    /// In the order added; `None` where one was removed (only while
    /// indexed: a small store closes the gap at once).
    entries: Vec<Option<V>>,
    /// Key to position in `entries`, kept once the store is not small.
    index: HashMap<K, usize>,
    /// Whether `index` is kept.
    indexed: bool,
    /// How many entries are not removed.
    live: usize,
}

impl<K, V> Default for Store<K, V> {
    fn default() -> Self {
        Self {
            entries: Vec::new(),
            index: HashMap::new(),
            indexed: false,
            live: 0,
        }
    }
}

impl<K: Eq + Hash + Clone, V: Keyed<Key = K>> Store<K, V> {
    fn position(&self, key: &K) -> Option<usize> {
        if self.indexed {
            self.index.get(key).copied()
        } else {
            self.entries
                .iter()
                .position(|entry| entry.as_ref().is_some_and(|v| v.key() == key))
        }
    }

    /// The entity with this key, if held.
    #[must_use]
    pub fn get(&self, key: &K) -> Option<&V> {
        let position = self.position(key)?;
        self.entries[position].as_ref()
    }

    /// The entity with this key, for changing, if held. Its key is not to
    /// be changed.
    pub fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        let position = self.position(key)?;
        self.entries[position].as_mut()
    }

    /// Whether an entity with this key is held.
    #[must_use]
    pub fn contains(&self, key: &K) -> bool {
        self.position(key).is_some()
    }

    /// Adds an entity last; one with the same key is replaced where it is.
    pub fn insert(&mut self, value: V) {
        if let Some(position) = self.position(value.key()) {
            self.entries[position] = Some(value);
            return;
        }
        if self.indexed {
            self.index.insert(value.key().clone(), self.entries.len());
        }
        self.entries.push(Some(value));
        self.live += 1;
        if !self.indexed && self.entries.len() > SMALL {
            self.reindex();
        }
    }

    /// Removes the entity with this key, if held.
    pub fn remove(&mut self, key: &K) -> Option<V> {
        let position = self.position(key)?;
        self.live -= 1;
        if !self.indexed {
            return self.entries.remove(position);
        }
        self.index.remove(key);
        let removed = self.entries[position].take();
        if self.entries.len() - self.live > self.entries.len() / 2 {
            self.entries.retain(Option::is_some);
            self.reindex();
        }
        removed
    }

    /// Indexes a store that is not small; drops the index of one that is.
    fn reindex(&mut self) {
        self.index.clear();
        self.indexed = self.entries.len() > SMALL;
        if self.indexed {
            for (position, entry) in self.entries.iter().enumerate() {
                if let Some(value) = entry {
                    self.index.insert(value.key().clone(), position);
                }
            }
        }
    }

    /// The entities, in the order they were added.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().flatten()
    }

    /// How many entities are held.
    #[must_use]
    pub fn len(&self) -> usize {
        self.live
    }

    /// Whether none is held.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }
}

/// Two stores are equal when they hold equal entities in the same order.
impl<K: Eq + Hash + Clone, V: Keyed<Key = K> + PartialEq> PartialEq for Store<K, V> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.values().eq(other.values())
    }
}
{%- endif %}
