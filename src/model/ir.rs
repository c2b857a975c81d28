//! The checked semantic model: every name resolved, every type known, every
//! Rust name chosen. Code generation reads only this.

use serde::Serialize;

/// A whole spec: its models and the identity types they share.
#[derive(Debug, Clone, Serialize)]
pub struct Spec {
    /// The spec's file name (`todos.ddd`), quoted in generated headers.
    pub file_name: String,
    /// The crate's package name (`todos`).
    pub crate_name: String,
    /// Identity newtypes, shared by all models, sorted by name.
    pub identities: Vec<Identity>,
    /// The models, in spec order.
    pub models: Vec<Model>,
}

/// An identity newtype (`TodoId`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Identity {
    /// The Rust type name.
    pub rust: String,
    /// What it identifies, as written in the spec (`Todo`, `member`).
    pub of: String,
}

/// A resolved type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "of", rename_all = "lowercase")]
pub enum Type {
    /// `text`: `String`.
    Text,
    /// `integer`: `i64`.
    Integer,
    /// `number`: `f64`.
    Number,
    /// `boolean`: `bool`.
    Boolean,
    /// `list of T`: `Vec<T>`.
    List(Box<Type>),
    /// `optional T`: `Option<T>`.
    Optional(Box<Type>),
    /// `id of X`: the identity newtype of X (X's Rust name, `Todo` for
    /// `TodoId`).
    Id(String),
    /// An entity of the model (its Rust name).
    Entity(String),
}

/// How a term's type was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "how", content = "why", rename_all = "lowercase")]
pub enum Origin {
    /// Declared under `Terms:`.
    Declared,
    /// By a naming convention (the sentence says which).
    Convention(String),
    /// Nothing said: taken as text.
    Fallback,
}

/// A term the model uses, with its type.
#[derive(Debug, Clone, Serialize)]
pub struct Term {
    /// As written (`completed?`).
    pub name: String,
    /// Its type.
    pub ty: Type,
    /// How the type was found.
    pub origin: Origin,
    /// Documentation from the spec.
    pub docs: Vec<String>,
}

/// A field of a struct, or a parameter: a term with its Rust name.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// The term as written (`new-text`).
    pub term: String,
    /// The Rust name (`new_text`, `r#type`).
    pub rust: String,
    /// Its type.
    pub ty: Type,
    /// Documentation from the term's declaration.
    pub docs: Vec<String>,
}

/// An entity the model holds.
#[derive(Debug, Clone, Serialize)]
pub struct Entity {
    /// As written (`Todo`).
    pub name: String,
    /// The Rust type name.
    pub rust: String,
    /// Its fields; the first identifies it.
    pub fields: Vec<Field>,
    /// Documentation from the spec.
    pub docs: Vec<String>,
    /// Why it exists when the spec does not declare it.
    pub inferred: Option<String>,
    /// Whether `Eq` and `Hash` can be derived (no `number` inside).
    pub eq: bool,
}

/// A query of the model.
#[derive(Debug, Clone, Serialize)]
pub struct Query {
    /// As written (`has-todo?`).
    pub name: String,
    /// The method name.
    pub method: String,
    /// Its parameters.
    pub params: Vec<Field>,
    /// What it returns.
    pub returns: Type,
    /// Why, when the spec does not say.
    pub returns_inferred: Option<String>,
    /// Documentation from the spec.
    pub docs: Vec<String>,
    /// The spec line, in canonical form.
    pub spec_line: String,
}

/// An action: a command, accepted as an event.
#[derive(Debug, Clone, Serialize)]
pub struct Command {
    /// As written (`create-new`).
    pub name: String,
    /// The struct name (`CreateNew`).
    pub rust: String,
    /// The proposing method (`create_new`).
    pub method: String,
    /// Its parameters.
    pub params: Vec<Field>,
    /// The index of its event in [`Model::events`].
    pub event: usize,
    /// Documentation from the spec.
    pub docs: Vec<String>,
    /// The spec line, in canonical form.
    pub spec_line: String,
    /// Whether `Eq` and `Hash` can be derived.
    pub eq: bool,
}

/// An event that one or more commands are accepted as.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    /// As written (`text-changed`), also its serialised tag.
    pub name: String,
    /// The struct name (`TextChanged`).
    pub rust: String,
    /// The accepting method (`accept_text_changed`).
    pub method: String,
    /// Its fields.
    pub fields: Vec<Field>,
    /// The commands accepted as it, as written.
    pub commands: Vec<String>,
    /// Whether `Eq` and `Hash` can be derived.
    pub eq: bool,
}

/// One model: a bounded context with its queries and actions.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    /// As written (`Todos`).
    pub name: String,
    /// The aggregate's type name (`Todos`), and the prefix of its traits.
    pub rust: String,
    /// The module name (`todos`).
    pub module: String,
    /// The module's file stem (`todos`, `type` for `r#type`).
    pub file_stem: String,
    /// Documentation from the spec.
    pub docs: Vec<String>,
    /// Its entities.
    pub entities: Vec<Entity>,
    /// Every term it uses or declares, in first-use order.
    pub terms: Vec<Term>,
    /// Its queries.
    pub queries: Vec<Query>,
    /// Its commands, in spec order.
    pub commands: Vec<Command>,
    /// Its events, in order of first appearance.
    pub events: Vec<Event>,
}

impl Model {
    /// The event a command is accepted as.
    pub fn event_of(&self, command: &Command) -> &Event {
        &self.events[command.event]
    }

    /// Whether the command enum can derive `Eq`.
    pub fn commands_eq(&self) -> bool {
        self.commands.iter().all(|c| c.eq)
    }

    /// Whether the event enum can derive `Eq`.
    pub fn events_eq(&self) -> bool {
        self.events.iter().all(|e| e.eq)
    }
}

impl Type {
    /// The type as the spec would write it (`list of id of Todo`).
    pub fn spec(&self) -> String {
        match self {
            Type::Text => "text".into(),
            Type::Integer => "integer".into(),
            Type::Number => "number".into(),
            Type::Boolean => "boolean".into(),
            Type::List(inner) => format!("list of {}", inner.spec()),
            Type::Optional(inner) => format!("optional {}", inner.spec()),
            Type::Id(of) => format!("id of {of}"),
            Type::Entity(rust) => rust.clone(),
        }
    }

    /// The owned Rust type (`Vec<TodoId>`).
    pub fn rust(&self) -> String {
        match self {
            Type::Text => "String".into(),
            Type::Integer => "i64".into(),
            Type::Number => "f64".into(),
            Type::Boolean => "bool".into(),
            Type::List(inner) => format!("Vec<{}>", inner.rust()),
            Type::Optional(inner) => format!("Option<{}>", inner.rust()),
            Type::Id(of) => format!("{of}Id"),
            Type::Entity(rust) => rust.clone(),
        }
    }

    /// The Rust type of a parameter that borrows it (`&str`, `&[TodoId]`,
    /// `i64`).
    pub fn rust_param(&self) -> String {
        match self {
            Type::Integer | Type::Number | Type::Boolean => self.rust(),
            Type::Text => "&str".into(),
            Type::List(inner) => format!("&[{}]", inner.rust()),
            Type::Optional(inner) => match inner.rust_param() {
                by_ref if by_ref.starts_with('&') => format!("Option<{by_ref}>"),
                by_value if matches!(**inner, Type::Integer | Type::Number | Type::Boolean) => {
                    format!("Option<{by_value}>")
                }
                other => format!("Option<&{other}>"),
            },
            Type::Id(_) | Type::Entity(_) => format!("&{}", self.rust()),
        }
    }

    /// Whether values of the type can be `Eq` and `Hash` (no `f64` inside),
    /// given which entities can.
    pub fn eq_hash(&self, entity_eq: &dyn Fn(&str) -> bool) -> bool {
        match self {
            Type::Number => false,
            Type::List(inner) | Type::Optional(inner) => inner.eq_hash(entity_eq),
            Type::Entity(name) => entity_eq(name),
            _ => true,
        }
    }

    /// The identity types this type mentions (`Todo` for `TodoId`).
    pub fn identities<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Type::Id(of) => out.push(of),
            Type::List(inner) | Type::Optional(inner) => inner.identities(out),
            _ => {}
        }
    }
}
