//! The syntax tree: what the spec says, as written, with spans.

use crate::source::Span;
use serde::Serialize;

/// A name as written in the spec (`has-todo?`, `Todos`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ident {
    /// The text.
    pub text: String,
    /// Where it is.
    pub span: Span,
}

/// A parsed spec file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SpecFile {
    /// The models, in file order.
    pub models: Vec<Model>,
}

/// `Model: <Name>` and everything up to the next model.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    /// The model's name.
    pub name: Ident,
    /// Documentation from comments.
    pub docs: Vec<String>,
    /// `Entity:` lines.
    pub entities: Vec<Entity>,
    /// Section headers, in order (for the once-per-model check).
    pub sections: Vec<SectionHeader>,
    /// Bullets of `Terms:` sections.
    pub terms: Vec<Term>,
    /// Bullets of `Queries:` sections.
    pub queries: Vec<Query>,
    /// Bullets of `Actions:` sections.
    pub actions: Vec<Action>,
}

/// Which section a header opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SectionKind {
    /// `Terms:`
    Terms,
    /// `Queries:`
    Queries,
    /// `Actions:`
    Actions,
}

impl SectionKind {
    /// The header word.
    pub fn keyword(self) -> &'static str {
        match self {
            SectionKind::Terms => "Terms",
            SectionKind::Queries => "Queries",
            SectionKind::Actions => "Actions",
        }
    }
}

/// A section header line.
#[derive(Debug, Clone, Serialize)]
pub struct SectionHeader {
    /// Which section.
    pub kind: SectionKind,
    /// Where the header is.
    pub span: Span,
}

/// `Entity: <Name> [fields]`.
#[derive(Debug, Clone, Serialize)]
pub struct Entity {
    /// The entity's name.
    pub name: Ident,
    /// Its fields (term names); the first identifies it.
    pub fields: Vec<Ident>,
    /// Documentation from comments.
    pub docs: Vec<String>,
    /// Read loosely from a line that did not parse (which was reported):
    /// the entity exists, so that what refers to it is not reported too,
    /// but its fields may be incomplete.
    pub recovered: bool,
    /// The whole line's item.
    pub span: Span,
}

/// A type as written: `list of optional text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum TypeExpr {
    /// `list of <type>`
    List(Box<TypeExpr>, Span),
    /// `optional <type>`
    Optional(Box<TypeExpr>, Span),
    /// `id of <Name>`
    IdOf(Ident, Span),
    /// `text`, `integer`, `number`, `boolean`, an entity or a term.
    Named(Ident),
}

impl TypeExpr {
    /// Where the type is written.
    pub fn span(&self) -> Span {
        match self {
            TypeExpr::List(_, span) | TypeExpr::Optional(_, span) | TypeExpr::IdOf(_, span) => {
                *span
            }
            TypeExpr::Named(name) => name.span,
        }
    }
}

/// `- <term>: <type>` in `Terms:`.
#[derive(Debug, Clone, Serialize)]
pub struct Term {
    /// The term.
    pub name: Ident,
    /// Its type.
    pub ty: TypeExpr,
    /// Documentation from comments.
    pub docs: Vec<String>,
    /// The item.
    pub span: Span,
}

/// `- <query> [params] returns <type>` in `Queries:`.
#[derive(Debug, Clone, Serialize)]
pub struct Query {
    /// The query's name.
    pub name: Ident,
    /// Its parameters (term names).
    pub params: Vec<Ident>,
    /// What it returns, if said.
    pub returns: Option<TypeExpr>,
    /// Documentation from comments.
    pub docs: Vec<String>,
    /// The item.
    pub span: Span,
}

/// `- <command> [params] accepted as <event> [fields]` in `Actions:`.
#[derive(Debug, Clone, Serialize)]
pub struct Action {
    /// The command's name.
    pub command: Ident,
    /// The command's parameters (term names).
    pub params: Vec<Ident>,
    /// The event's name.
    pub event: Ident,
    /// The event's fields (term names).
    pub fields: Vec<Ident>,
    /// Documentation from comments.
    pub docs: Vec<String>,
    /// The item.
    pub span: Span,
}
