//! Everything esgen generates from `{{ krate.spec_file }}`: the identity types
//! the models share, [`Rejection`], and one module per model.
{% if !krate.record_arities.is_empty() %}
/// Gives an entity or event `Serialize` and `Deserialize`, written and read
/// as serde's derives would (see [`wire`]): `record! { <Entity> { <field>, r#<keyword>: "<keyword>" } }`.
macro_rules! record {
    (@wire $field:ident $wire:literal) => {
        $wire
    };
    (@wire $field:ident) => {
        stringify!($field)
    };
    ($name:ident { $($field:ident $(: $wire:literal)?),+ $(,)? }) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let fields = &[$(record!(@wire $field $($wire)?)),+];
                $crate::generated::wire::write(serializer, stringify!($name), fields, ($(&self.$field,)+))
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let fields = &[$(record!(@wire $field $($wire)?)),+];
                let ($($field,)+) = $crate::generated::wire::read(deserializer, stringify!($name), fields)?;
                Ok(Self { $($field),+ })
            }
        }
    };
}
{% endif %}
{%- if krate.tagged_events %}
/// Gives a model's event enum `Serialize` and `Deserialize`, written and
/// read as serde's derives would (an object whose one key is the event's
/// name; see [`wire::read_variant`]), from each variant's index, name and
/// tag: `events! { <Model>Event { 0 <Event> = "<tag>" } }`.
macro_rules! events {
    ($name:ident { $($index:literal $variant:ident = $tag:literal),+ $(,)? }) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(event) => {
                        serializer.serialize_newtype_variant(stringify!($name), $index, $tag, event)
                    })+
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::generated::wire::read_variant(deserializer, stringify!($name), &[$($tag),+])
            }
        }

        impl<'de> $crate::generated::wire::Variants<'de> for $name {
            fn read<V: serde::de::VariantAccess<'de>>(index: u32, variant: V) -> Result<Self, V::Error> {
                match index {
                    $($index => variant.newtype_variant().map(Self::$variant),)+
                    _ => Err(serde::de::Error::custom("no event has this index")),
                }
            }
        }
    };
}
{% endif %}
{% for module in krate.generated_modules -%}
pub mod {{ module }};
{% endfor %}
/// The models run by cqrs-es, and stored in PostgreSQL.
#[cfg(feature = "cqrs")]
pub mod runtime;
{%- if !krate.runtime_models.is_empty() %}

/// The models served over HTTP, with their OpenAPI document and console.
#[cfg(feature = "http")]
pub mod http;
{%- endif %}

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
{%- if krate.grouped.any %}
use std::collections::BTreeMap;
{%- endif %}
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
/// can map to a status (404, 409, 422, 403, and 503 for
/// [`RejectionKind::Unavailable`], the one kind worth retrying).
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
    /// Nothing was decided: the store, or a model the rules ask, could not
    /// be read. The same command may be sent again.
    Unavailable,
}

/// The kind as the spec and the JSON name it: `not-found`, `conflict`,
/// `invalid`, `refused`, `unavailable`.
impl fmt::Display for RejectionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotFound => "not-found",
            Self::Conflict => "conflict",
            Self::Invalid => "invalid",
            Self::Refused => "refused",
            Self::Unavailable => "unavailable",
        })
    }
}

/// One value of a command that breaks a constraint of the spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The parameter, as the spec names it (`text`).
    pub field: Cow<'static, str>,
    /// The constraint (`not-blank`, `at-most-characters`, `between`…).
    pub rule: Cow<'static, str>,
    /// What is wrong, for people.
    pub message: Cow<'static, str>,
}

{%- if krate.clock %}

/// The clock a model's rules read `today` and `now` from: the system's, in
/// UTC, unless it is fixed. The model's state holds one; fix it there
/// (`state.clock = Clock::fixed(at)`) to run the rules at another moment,
/// as scenarios do with `given today is "…"`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Clock {
    fixed: Option<chrono::DateTime<chrono::Utc>>,
}

impl Clock {
    /// A clock that always reads `at`.
    #[must_use]
    pub fn fixed(at: chrono::DateTime<chrono::Utc>) -> Self {
        Clock { fixed: Some(at) }
    }

    /// What the rules read as `now`.
    #[must_use]
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.fixed
            .unwrap_or_else(|| std::time::SystemTime::now().into())
    }

    /// What the rules read as `today`: the date of `now`, in UTC.
    #[must_use]
    pub fn today(&self) -> chrono::NaiveDate {
        self.now().date_naive()
    }
}
{%- endif %}
{%- if krate.services %}

/// Why a service outside the spec could not answer (a timeout, a refused
/// connection, a reply that cannot be read): any error your client of it
/// returns. A command whose rules ask it is then rejected as
/// [`RejectionKind::Unavailable`], and may be sent again.
pub type ServiceError = Box<dyn std::error::Error + Send + Sync>;
{%- endif %}

/// Why a model refused a command: where (the model and action, as the spec
/// names them), which rule (a stable identifier, for tests and logs), what
/// kind of refusal, a message for people, and every broken constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    /// The model that refused, as the spec names it; empty when not said.
    pub model: Cow<'static, str>,
    /// The action that was refused, as the spec names it.
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

/// The message alone, as the spec words it (`{}`): what a person is told,
/// and what cqrs-es's `then_expect_error_message` compares. The alternate
/// form (`{:#}`) adds the action, the rule and the kind, for logs:
/// `` `<action>` rejected by <rule> (<kind>): <message> ``.
impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            write!(
                f,
                "`{}` rejected by {} ({}): {}",
                self.action, self.rule, self.kind, self.message
            )
        } else {
            f.write_str(&self.message)
        }
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
{%- if krate.grouped.any %}

/// The entities grouped by the key each has (`None`: it is in no group),
/// each group in the order given, the groups in the keys' order.
#[must_use]
pub fn grouped<'a, E, K: Ord>(
    entities: impl Iterator<Item = &'a E>,
    key: impl Fn(&E) -> Option<K>,
) -> BTreeMap<K, Vec<&'a E>> {
    let mut groups: BTreeMap<K, Vec<&'a E>> = BTreeMap::new();
    for entity in entities {
        if let Some(k) = key(entity) {
            groups.entry(k).or_default().push(entity);
        }
    }
    groups
}
{%- endif %}
{%- if krate.grouped.cloned %}

/// What `<entities> per <field>` answers: the entities of each group.
#[must_use]
pub fn cloned<K: Ord, E: Clone>(groups: BTreeMap<K, Vec<&E>>) -> BTreeMap<K, Vec<E>> {
    groups
        .into_iter()
        .map(|(k, entities)| (k, entities.into_iter().cloned().collect()))
        .collect()
}
{%- endif %}
{%- if krate.grouped.counted %}

/// What `count of <entities> per <field>` answers: how many each group has.
#[must_use]
pub fn counted<K: Ord, E>(groups: BTreeMap<K, Vec<&E>>) -> BTreeMap<K, i64> {
    groups
        .into_iter()
        .map(|(k, entities)| (k, count(entities.len())))
        .collect()
}
{%- endif %}
{%- if krate.grouped.summed %}

/// What `sum of <field> of <entities> per <field>` answers: each group's
/// `value`s added up, as [`total`] does.
#[must_use]
pub fn summed<K: Ord, E, T: Total>(
    groups: BTreeMap<K, Vec<&E>>,
    value: impl Fn(&E) -> T,
) -> BTreeMap<K, T> {
    groups
        .into_iter()
        .map(|(k, entities)| (k, total(entities.into_iter().map(&value))))
        .collect()
}
{%- endif %}
{%- if !krate.sums.is_empty() %}

/// What a `sum of` query answers: `values` added up, in order; a sum past
/// its type's range stops at the bound it passed rather than wrap or panic
/// (a `number` sum may reach infinity).
#[must_use]
pub fn total<T: Total>(values: impl Iterator<Item = T>) -> T {
    values.fold(T::ZERO, T::plus)
}

/// A number a `sum of` query adds up.
pub trait Total: Sized {
    /// Nothing added up yet.
    const ZERO: Self;

    /// `self` and `other` added up, at the type's bound when past it.
    #[must_use]
    fn plus(self, other: Self) -> Self;
}
{%- for (ty, zero, plus) in krate.sums %}

impl Total for {{ ty }} {
    const ZERO: Self = {{ zero }};

    fn plus(self, other: Self) -> Self {
        {{ plus }}
    }
}
{%- endfor %}
{%- endif %}

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
    fn position<Q>(&self, key: &Q) -> Option<usize>
    where
        K: std::borrow::Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        if self.indexed {
            self.index.get(key).copied()
        } else {
            self.entries
                .iter()
                .position(|entry| entry.as_ref().is_some_and(|v| v.key().borrow() == key))
        }
    }

    /// The entity with this key (or a borrowed form of it: `&str` for a
    /// `String`), if held.
    #[must_use]
    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: std::borrow::Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        let position = self.position(key)?;
        self.entries[position].as_ref()
    }

    /// The entity with this key, for changing, if held. Its key is not to
    /// be changed.
    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: std::borrow::Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        let position = self.position(key)?;
        self.entries[position].as_mut()
    }

    /// Whether an entity with this key is held.
    #[must_use]
    pub fn contains<Q>(&self, key: &Q) -> bool
    where
        K: std::borrow::Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
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
    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: std::borrow::Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
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
{%- if !krate.record_arities.is_empty() %}

/// How entities and events are written and read: as serde's derives would
/// (the same fields, names and order; unknown fields ignored; a missing
/// optional field read as nothing; a sequence of the fields in order
/// accepted too), through generic code for the tuple of a type's fields
/// instead of code of its own for each type, which keeps a crate of many
/// types quick to compile.
#[doc(hidden)]
pub mod wire {
    use serde::de::{
        self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
    };
    use serde::ser::{SerializeStruct, Serializer};
    use serde::{Deserialize, Serialize};
    use std::fmt;
    use std::marker::PhantomData;

    /// Writes a record: its fields, by name, in order.
    ///
    /// # Errors
    ///
    /// What the serializer reports.
    pub fn write<S: Serializer, const N: usize, R: Fields<N>>(
        serializer: S,
        name: &'static str,
        fields: &'static [&'static str; N],
        values: R,
    ) -> Result<S::Ok, S::Error> {
        let mut record = serializer.serialize_struct(name, N)?;
        values.write(&mut record, fields)?;
        record.end()
    }

    /// Reads a record's fields, from a map or a sequence.
    ///
    /// # Errors
    ///
    /// A field missing, given twice or of the wrong type.
    pub fn read<'de, D: Deserializer<'de>, const N: usize, R: Row<'de, N>>(
        deserializer: D,
        name: &'static str,
        fields: &'static [&'static str; N],
    ) -> Result<R, D::Error> {
        deserializer.deserialize_struct(
            name,
            fields,
            Record {
                name,
                fields,
                row: PhantomData,
            },
        )
    }

    /// The references to a record's fields, written by name.
    pub trait Fields<const N: usize> {
        /// Writes each field.
        ///
        /// # Errors
        ///
        /// What the serializer reports.
        fn write<S: SerializeStruct>(
            self,
            record: &mut S,
            fields: &'static [&'static str; N],
        ) -> Result<(), S::Error>;
    }

    /// The values of a record's fields, read from a map or a sequence.
    pub trait Row<'de, const N: usize>: Sized {
        /// Reads them from a map of the fields.
        ///
        /// # Errors
        ///
        /// A field missing, given twice or of the wrong type.
        fn from_map<A: MapAccess<'de>>(
            map: A,
            fields: &'static [&'static str; N],
        ) -> Result<Self, A::Error>;

        /// Reads them from the fields in order.
        ///
        /// # Errors
        ///
        /// Too few fields, or one of the wrong type.
        fn from_seq<A: SeqAccess<'de>>(seq: A, name: &'static str) -> Result<Self, A::Error>;
    }

    /// Visits a record's map or sequence.
    struct Record<R, const N: usize> {
        name: &'static str,
        fields: &'static [&'static str; N],
        row: PhantomData<R>,
    }

    impl<'de, R: Row<'de, N>, const N: usize> Visitor<'de> for Record<R, N> {
        type Value = R;

        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            write!(formatter, "struct {}", self.name)
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<R, A::Error> {
            R::from_map(map, self.fields)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<R, A::Error> {
            R::from_seq(seq, self.name)
        }
    }

    /// The next key of a record's map: the index of its field, or `None`
    /// for a key the record does not have.
    fn key<'de, A: MapAccess<'de>>(
        map: &mut A,
        fields: &'static [&'static str],
    ) -> Result<Option<Option<usize>>, A::Error> {
        map.next_key_seed(Key(fields))
    }

    /// Reads a key as one of a record's fields, by name or position.
    struct Key(&'static [&'static str]);

    impl<'de> DeserializeSeed<'de> for Key {
        type Value = Option<usize>;

        fn deserialize<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Self::Value, D::Error> {
            deserializer.deserialize_identifier(self)
        }
    }

    impl<'de> Visitor<'de> for Key {
        type Value = Option<usize>;

        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            formatter.write_str("a field name")
        }

        fn visit_str<E: de::Error>(self, name: &str) -> Result<Self::Value, E> {
            Ok(self.0.iter().position(|field| *field == name))
        }

        fn visit_bytes<E: de::Error>(self, name: &[u8]) -> Result<Self::Value, E> {
            Ok(self.0.iter().position(|field| field.as_bytes() == name))
        }

        fn visit_u64<E: de::Error>(self, index: u64) -> Result<Self::Value, E> {
            Ok(usize::try_from(index).ok().filter(|i| *i < self.0.len()))
        }
    }

    /// Reads the value of field `name` into `slot`, once.
    fn value<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
        map: &mut A,
        slot: &mut Option<T>,
        name: &'static str,
    ) -> Result<(), A::Error> {
        if slot.is_some() {
            return Err(de::Error::duplicate_field(name));
        }
        *slot = Some(map.next_value()?);
        Ok(())
    }

    /// Skips the value of a key the record does not have.
    fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
        map.next_value::<IgnoredAny>().map(|_| ())
    }

    /// A field's value once the map is read: a missing field is an error,
    /// unless nothing is a value of its type (an optional field is `None`).
    fn take<'de, T: Deserialize<'de>, E: de::Error>(
        slot: Option<T>,
        name: &'static str,
    ) -> Result<T, E> {
        match slot {
            Some(value) => Ok(value),
            None => T::deserialize(Missing(name, PhantomData)),
        }
    }

    /// The next field of a record read from a sequence.
    fn element<'de, A: SeqAccess<'de>, T: Deserialize<'de>>(
        seq: &mut A,
        index: usize,
        name: &'static str,
    ) -> Result<T, A::Error> {
        seq.next_element()?
            .ok_or_else(|| de::Error::invalid_length(index, &name))
    }

    /// A field that is not there: `None` to an optional field, an error to
    /// any other.
    struct Missing<E>(&'static str, PhantomData<E>);

    impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
        type Error = E;

        fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
            Err(de::Error::missing_field(self.0))
        }

        fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
            visitor.visit_none()
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf unit unit_struct newtype_struct seq tuple tuple_struct
            map struct enum identifier ignored_any
        }
    }

    /// `Fields` and `Row` for the tuples of each length a record has.
    macro_rules! rows {
        ($($n:literal: $($t:ident $v:ident $i:tt),+;)+) => {$(
            impl<$($t: Serialize + ?Sized),+> Fields<$n> for ($(&$t,)+) {
                fn write<S: SerializeStruct>(self, record: &mut S, fields: &'static [&'static str; $n]) -> Result<(), S::Error> {
                    $(record.serialize_field(fields[$i], self.$i)?;)+
                    Ok(())
                }
            }

            impl<'de, $($t: Deserialize<'de>),+> Row<'de, $n> for ($($t,)+) {
                fn from_map<A: MapAccess<'de>>(mut map: A, fields: &'static [&'static str; $n]) -> Result<Self, A::Error> {
                    $(let mut $v = None;)+
                    while let Some(index) = key(&mut map, fields)? {
                        match index {
                            $(Some($i) => value(&mut map, &mut $v, fields[$i])?,)+
                            _ => skip(&mut map)?,
                        }
                    }
                    Ok(($(take($v, fields[$i])?,)+))
                }

                fn from_seq<A: SeqAccess<'de>>(mut seq: A, name: &'static str) -> Result<Self, A::Error> {
                    Ok(($(element(&mut seq, $i, name)?,)+))
                }
            }
        )+};
    }

    rows! {
{%- for line in krate.record_arities %}
        {{ line }}
{%- endfor %}
    }
{%- if krate.tagged_events %}

    /// An enum of one value per variant, read by its variant's index (what
    /// `events!` gives an event enum).
    pub trait Variants<'de>: Sized {
        /// Reads the value of the variant at `index`.
        ///
        /// # Errors
        ///
        /// What reading the value reports.
        fn read<V: de::VariantAccess<'de>>(index: u32, variant: V) -> Result<Self, V::Error>;
    }

    /// Reads an enum of [`Variants`] tagged by `tags`, as serde's derive
    /// would: an unknown tag is an error.
    ///
    /// # Errors
    ///
    /// An unknown tag, or what reading the value reports.
    pub fn read_variant<'de, D: Deserializer<'de>, E: Variants<'de>>(
        deserializer: D,
        name: &'static str,
        tags: &'static [&'static str],
    ) -> Result<E, D::Error> {
        deserializer.deserialize_enum(
            name,
            tags,
            Tagged {
                name,
                tags,
                value: PhantomData,
            },
        )
    }

    /// Visits an enum of [`Variants`].
    struct Tagged<E> {
        name: &'static str,
        tags: &'static [&'static str],
        value: PhantomData<E>,
    }

    impl<'de, E: Variants<'de>> Visitor<'de> for Tagged<E> {
        type Value = E;

        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            write!(formatter, "enum {}", self.name)
        }

        fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<E, A::Error> {
            let (index, variant) = data.variant_seed(Tag(self.tags))?;
            E::read(index, variant)
        }
    }

    /// Reads a variant's tag, by name or index, as that index.
    struct Tag(&'static [&'static str]);

    impl<'de> DeserializeSeed<'de> for Tag {
        type Value = u32;

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<u32, D::Error> {
            deserializer.deserialize_identifier(self)
        }
    }

    impl<'de> Visitor<'de> for Tag {
        type Value = u32;

        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            formatter.write_str("an event's name")
        }

        fn visit_u64<E: de::Error>(self, index: u64) -> Result<u32, E> {
            u32::try_from(index)
                .ok()
                .filter(|i| usize::try_from(*i).is_ok_and(|i| i < self.0.len()))
                .ok_or_else(|| E::invalid_value(de::Unexpected::Unsigned(index), &self))
        }

        fn visit_str<E: de::Error>(self, tag: &str) -> Result<u32, E> {
            self.0
                .iter()
                .position(|known| *known == tag)
                .and_then(|index| u32::try_from(index).ok())
                .ok_or_else(|| E::unknown_variant(tag, self.0))
        }

        fn visit_bytes<E: de::Error>(self, tag: &[u8]) -> Result<u32, E> {
            match std::str::from_utf8(tag) {
                Ok(tag) => self.visit_str(tag),
                Err(_) => Err(E::invalid_value(de::Unexpected::Bytes(tag), &self)),
            }
        }
    }
{%- endif %}
}
{%- endif %}
