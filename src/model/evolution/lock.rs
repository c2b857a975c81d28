//! The lock: what a spec's crates have stored, per model, event and
//! version — each version's wire tag and the JSON shape of each field as
//! serde writes it — committed beside the spec (`todos.lock` beside
//! `todos.ddd`). `esgen build` appends the versions it meets; a version
//! once locked is what stored events of it look like, forever.

use crate::model::ir::{self, Type};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The lock format's version.
pub const FORMAT: u32 = 1;

/// How the generated code writes events to JSON: recorded in the lock, and
/// compared on every build (`E0308`).
pub fn representation() -> BTreeMap<String, String> {
    [
        (
            "event",
            "an object with one key, the event's tag, whose value is an object of its fields",
        ),
        (
            "tag",
            "the event's spec name at version 1, `<name>@<n>` at version n",
        ),
        (
            "field",
            "the term's name in snake case (`doctor-id` is `doctor_id`, `done?` is `done`)",
        ),
        ("optional", "null or absent when there is nothing"),
        ("text", "a string"),
        ("id", "a string"),
        ("integer", "a number without a fraction (i64)"),
        ("number", "a number (f64)"),
        ("boolean", "true or false"),
        ("date", "a string, YYYY-MM-DD"),
        ("timestamp", "a string, RFC 3339 in UTC"),
        ("decimal", "a string of the decimal"),
        ("choice", "a string, the value as the spec writes it"),
        ("list", "an array"),
        (
            "entity",
            "an object of its fields, named as event fields are",
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// The whole lock file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Lock {
    /// The format's version ([`FORMAT`]).
    pub esgen_lock: u32,
    /// The spec's file name, for people.
    pub spec: String,
    /// How events are written ([`representation`]).
    pub representation: BTreeMap<String, String>,
    /// Per model (by its spec name), per event (by its spec name), per
    /// version: what was stored.
    pub models: BTreeMap<String, BTreeMap<String, BTreeMap<u32, LockedEvent>>>,
    /// Per model whose events are stored under another name than its own
    /// (`stored as`): that name. A model not listed stores under its name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub stored_as: BTreeMap<String, String>,
    /// Per model whose commands and events are named on the wire another
    /// way than by the spec's names and `event_version` `<n>` (`Tags:`):
    /// how (`PascalCase, versions like 1.0`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

/// One version of one event, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct LockedEvent {
    /// Its tag on the wire (`created`, `created@2`).
    pub tag: String,
    /// Its fields, in order.
    pub fields: Vec<LockedField>,
}

/// One field of a locked event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct LockedField {
    /// Its key on the wire (`doctor_id`).
    pub name: String,
    /// The term, as the spec writes it (`doctor-id`).
    pub term: String,
    /// Its type.
    #[serde(rename = "type")]
    pub ty: LockedType,
    /// Whether the key must be present (`false` for an optional field).
    pub required: bool,
    /// The JSON it holds, for people and other languages.
    pub json: String,
    /// The term's default when the version was locked: the value a stored
    /// event of an earlier version takes for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<ir::Literal>,
}

/// A field's type, as the lock records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LockedType {
    /// `text`
    Text,
    /// `integer`
    Integer,
    /// `number`
    Number,
    /// `boolean`
    Boolean,
    /// `date`
    Date,
    /// `timestamp`
    Timestamp,
    /// `decimal`
    Decimal,
    /// `id of <Entity>`: the entity's spec name.
    IdOf(String),
    /// `list of …`
    ListOf(Box<LockedType>),
    /// `optional …`
    Optional(Box<LockedType>),
    /// `one of […]`: the term and its values, as written.
    OneOf {
        /// The term.
        term: String,
        /// The values.
        values: Vec<String>,
    },
    /// An entity: its spec name and fields.
    Entity {
        /// The entity.
        name: String,
        /// Its fields.
        fields: Vec<LockedField>,
    },
}

impl LockedType {
    /// The type as the spec writes it.
    pub fn spec(&self) -> String {
        match self {
            LockedType::Text => "text".into(),
            LockedType::Integer => "integer".into(),
            LockedType::Number => "number".into(),
            LockedType::Boolean => "boolean".into(),
            LockedType::Date => "date".into(),
            LockedType::Timestamp => "timestamp".into(),
            LockedType::Decimal => "decimal".into(),
            LockedType::IdOf(of) => format!("id of {of}"),
            LockedType::ListOf(inner) => format!("list of {}", inner.spec()),
            LockedType::Optional(inner) => format!("optional {}", inner.spec()),
            LockedType::OneOf { values, .. } => format!("one of [{}]", values.join(" ")),
            LockedType::Entity { name, .. } => name.clone(),
        }
    }

    /// The JSON serde writes for it.
    pub fn json(&self) -> String {
        match self {
            LockedType::Text | LockedType::IdOf(_) => "string".into(),
            LockedType::Integer => "integer".into(),
            LockedType::Number => "number".into(),
            LockedType::Boolean => "boolean".into(),
            LockedType::Date => "string (date)".into(),
            LockedType::Timestamp => "string (date-time)".into(),
            LockedType::Decimal => "string (decimal)".into(),
            LockedType::ListOf(inner) => format!("array of {}", inner.json()),
            LockedType::Optional(inner) => format!("{} or null", inner.json()),
            LockedType::OneOf { values, .. } => values
                .iter()
                .map(|v| format!("{v:?}"))
                .collect::<Vec<_>>()
                .join(" | "),
            LockedType::Entity { name, .. } => format!("object ({name})"),
        }
    }
}

/// A model's field as the lock records it.
pub fn field(model: &ir::Model, field: &ir::Field) -> LockedField {
    let ty = locked_type(model, &field.ty);
    LockedField {
        name: crate::model::names::unraw(&field.rust).to_string(),
        term: field.term.clone(),
        required: !matches!(ty, LockedType::Optional(_)),
        json: ty.json(),
        default: model
            .terms
            .iter()
            .find(|t| t.name == field.term)
            .and_then(|t| t.default.clone()),
        ty,
    }
}

/// A model's type as the lock records it.
pub fn locked_type(model: &ir::Model, ty: &Type) -> LockedType {
    match ty {
        Type::Text => LockedType::Text,
        Type::Integer => LockedType::Integer,
        Type::Number => LockedType::Number,
        Type::Boolean => LockedType::Boolean,
        Type::Date => LockedType::Date,
        Type::Timestamp => LockedType::Timestamp,
        Type::Decimal => LockedType::Decimal,
        Type::Id(of) => LockedType::IdOf(of.clone()),
        Type::List(inner) => LockedType::ListOf(Box::new(locked_type(model, inner))),
        // Only a grouped query answers a map; no event holds one.
        Type::Map(_, value) => LockedType::ListOf(Box::new(locked_type(model, value))),
        // Only a history query answers events; no event holds one.
        Type::Event(_) => LockedType::Text,
        Type::Optional(inner) => LockedType::Optional(Box::new(locked_type(model, inner))),
        Type::Choice(rust) => match model.choices.iter().find(|c| c.rust == *rust) {
            Some(choice) => LockedType::OneOf {
                term: choice.term.clone(),
                values: choice.values.iter().map(|(v, _)| v.clone()).collect(),
            },
            None => LockedType::Text,
        },
        Type::Entity(rust) => match model.entities.iter().find(|e| e.rust == *rust) {
            Some(entity) => LockedType::Entity {
                name: entity.name.clone(),
                fields: entity.fields.iter().map(|f| field(model, f)).collect(),
            },
            None => LockedType::Text,
        },
    }
}

/// A model's event at its current version, as the lock records it.
pub fn event(model: &ir::Model, event: &ir::Event) -> LockedEvent {
    LockedEvent {
        tag: event.tag(),
        fields: event.fields.iter().map(|f| field(model, f)).collect(),
    }
}

impl Lock {
    /// An empty lock for `spec`.
    pub fn new(spec: &str) -> Self {
        Lock {
            esgen_lock: FORMAT,
            spec: spec.to_string(),
            representation: representation(),
            models: BTreeMap::new(),
            stored_as: BTreeMap::new(),
            tags: BTreeMap::new(),
        }
    }

    /// The lock as its file holds it: pretty JSON, keys in order, a
    /// newline at the end — the same text for the same lock.
    pub fn render(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Reads a lock file's text.
    ///
    /// # Errors
    ///
    /// What is wrong with it, and where (line and column), when it is
    /// not a lock esgen can read.
    pub fn parse(text: &str) -> Result<Self, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
}
