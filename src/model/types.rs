//! Term types: declarations first, then the naming conventions, then text.
//!
//! Each term is resolved once (memoised), so resolution is linear in the
//! number of terms; alias cycles are found with the resolution stack.

use super::ir::{Origin, Type};
use super::names;
use crate::diagnostics::{codes, did_you_mean, Diagnostic};
use crate::source::Span;
use crate::syntax::ast;
use std::collections::{HashMap, HashSet};

/// An entity as the resolver sees it.
pub struct EntityName {
    /// As written (`Todo`).
    pub written: String,
    /// Kebab case (`todo`), for matching term and query names.
    pub kebab: String,
    /// The Rust name.
    pub rust: String,
}

/// What `id` means in a model.
pub enum IdMeaning {
    /// `id of <this>` (a Rust name), and why.
    Of(String, String),
    /// Several entities, none obviously the model's.
    Ambiguous(Vec<String>),
}

/// A resolved term.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// Its type.
    pub ty: Type,
    /// How it was found.
    pub origin: Origin,
}

/// Resolves the terms of one model.
pub struct Resolver<'a> {
    declared: HashMap<&'a str, &'a ast::Term>,
    entities: &'a [EntityName],
    id: IdMeaning,
    memo: HashMap<String, Option<Resolved>>,
    stack: Vec<String>,
    /// Terms named in type expressions (aliases), which count as used.
    referenced: HashSet<String>,
    /// Problems found, in the order found.
    pub diagnostics: Vec<Diagnostic>,
    /// The entities of the spec's other models: (entity, model), as
    /// written, for the help when one is used as a type here.
    foreign: &'a [(String, String)],
}

const PRIMITIVES: [&str; 7] = [
    "text",
    "integer",
    "number",
    "boolean",
    "date",
    "timestamp",
    "decimal",
];

/// How many terms deep one term's type may be reached (`a: list of b`,
/// `b: optional c`, … or `new-new-…-x`), and how deeply its `list of` and
/// `optional` may nest once aliases are unfolded. Real specs stay under
/// ten; the limit keeps resolution and code generation from exhausting the
/// stack on a generated chain of thousands.
const MAX_DEPTH: usize = 100;

/// How many `list of` and `optional` wrap a type.
fn nesting(mut ty: &Type) -> usize {
    let mut depth = 0;
    while let Type::List(inner) | Type::Optional(inner) = ty {
        depth += 1;
        ty = inner;
    }
    depth
}

impl<'a> Resolver<'a> {
    /// A resolver for a model's declared terms and entities.
    pub fn new(terms: &'a [ast::Term], entities: &'a [EntityName], id: IdMeaning) -> Self {
        let mut declared = HashMap::new();
        for term in terms {
            declared.entry(term.name.text.as_str()).or_insert(term);
        }
        Resolver {
            declared,
            entities,
            id,
            memo: HashMap::new(),
            stack: Vec::new(),
            referenced: HashSet::new(),
            diagnostics: Vec::new(),
            foreign: &[],
        }
    }

    /// Knowing the entities of the spec's other models (entity, model).
    pub fn with_foreign(mut self, foreign: &'a [(String, String)]) -> Self {
        self.foreign = foreign;
        self
    }

    /// The type of a term used at `span`; `None` after an error was reported.
    pub fn term(&mut self, name: &str, span: Span) -> Option<Resolved> {
        if let Some(done) = self.memo.get(name) {
            return done.clone();
        }
        if let Some(start) = self.stack.iter().position(|n| *n == name) {
            let members = self.stack[start..].to_vec();
            self.cycle(&members);
            return None;
        }
        if self.stack.len() >= MAX_DEPTH {
            self.too_deep(name, span, false);
            return None;
        }
        self.stack.push(name.to_string());
        let resolved = if let Some(term) = self
            .declared
            .get(name)
            .copied()
            .filter(|t| matches!(t.ty, ast::TypeExpr::Choice(..)))
        {
            names::pascal(&term.name.text).ok().map(|rust| Resolved {
                ty: Type::Choice(rust),
                origin: Origin::Declared,
            })
        } else if let Some(term) = self.declared.get(name).copied() {
            self.expr(&term.ty).map(|ty| Resolved {
                ty,
                origin: Origin::Declared,
            })
        } else {
            match self.convention(name, span) {
                Some(found) => found,
                None => Some(Resolved {
                    ty: Type::Text,
                    origin: Origin::Fallback,
                }),
            }
        };
        self.stack.pop();
        let resolved = match resolved {
            Some(r) if nesting(&r.ty) > MAX_DEPTH => {
                self.too_deep(name, span, true);
                None
            }
            other => other,
        };
        // A term on a cycle was reported by the cycle's first member; keep
        // the first answer.
        self.memo
            .entry(name.to_string())
            .or_insert(resolved)
            .clone()
    }

    /// The type a naming convention gives `name`: `None` if no convention
    /// applies, `Some(None)` if one applies but failed (reported).
    fn convention(&mut self, name: &str, span: Span) -> Option<Option<Resolved>> {
        let by = |ty: Type, why: String| {
            Some(Some(Resolved {
                ty,
                origin: Origin::Convention(why),
            }))
        };
        if name.ends_with('?') {
            return by(Type::Boolean, "ends in `?`".into());
        }
        if name == "id" {
            return match &self.id {
                IdMeaning::Of(entity, why) => {
                    let (entity, why) = (entity.clone(), why.clone());
                    by(Type::Id(entity), why)
                }
                IdMeaning::Ambiguous(entities) => {
                    self.diagnostics.push(
                        Diagnostic::error(
                            codes::AMBIGUOUS_ID,
                            format!("`id` could identify any of {}", quoted_list(entities)),
                        )
                        .at_labelled(span, "which entity's identity is this?")
                        .with_help(format!(
                            "name each entity's identity after it: {}",
                            entities
                                .iter()
                                .map(|e| format!("`{}-id`", names::kebab(e)))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                    );
                    Some(None)
                }
            };
        }
        if let Some(base) = name
            .strip_prefix("new-")
            .or_else(|| name.strip_prefix("old-"))
            .filter(|b| !b.is_empty() && self.is_known(b, 0))
        {
            self.referenced.insert(base.to_string());
            return Some(self.term(base, span).map(|r| Resolved {
                ty: r.ty,
                origin: Origin::Convention(format!("has the type of `{base}`")),
            }));
        }
        if let Some(of) = name
            .strip_suffix("-id")
            .or_else(|| name.strip_suffix("_id"))
            .filter(|p| !p.is_empty())
        {
            return match names::pascal(of) {
                Ok(rust) => by(
                    Type::Id(rust.clone()),
                    format!("`{name}` identifies `{rust}`"),
                ),
                Err(_) => None,
            };
        }
        if let Some(entity) = self.entities.iter().find(|e| e.kebab == name) {
            return by(
                Type::Entity(entity.rust.clone()),
                format!("named like the entity `{}`", entity.written),
            );
        }
        if let Some(one) = names::singular(name) {
            if self.is_known(&one, 0) {
                self.referenced.insert(one.clone());
                return Some(self.term(&one, span).map(|r| Resolved {
                    ty: Type::List(Box::new(r.ty)),
                    origin: Origin::Convention(format!("plural of `{one}`")),
                }));
            }
        }
        None
    }

    /// Whether a term is declared or typed by a convention (not by the
    /// fallback to text). Past [`MAX_DEPTH`] conventions it is not (and
    /// resolving it reports that).
    fn is_known(&self, name: &str, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        self.declared.contains_key(name)
            || name.ends_with('?')
            || name == "id"
            || name
                .strip_suffix("-id")
                .or_else(|| name.strip_suffix("_id"))
                .is_some_and(|p| !p.is_empty())
            || name
                .strip_prefix("new-")
                .or_else(|| name.strip_prefix("old-"))
                .is_some_and(|b| self.is_known(b, depth + 1))
            || self.entities.iter().any(|e| e.kebab == name)
            || names::singular(name).is_some_and(|one| self.is_known(&one, depth + 1))
    }

    /// Whether a type expression names this term (as an alias).
    pub fn is_referenced(&self, name: &str) -> bool {
        self.referenced.contains(name)
    }

    /// The type a type expression denotes.
    pub fn expr(&mut self, expr: &'a ast::TypeExpr) -> Option<Type> {
        match expr {
            ast::TypeExpr::List(inner, _) => self.expr(inner).map(|t| Type::List(Box::new(t))),
            ast::TypeExpr::Optional(inner, span) => match self.expr(inner)? {
                Type::Optional(_) => {
                    self.double_optional(inner, *span);
                    None
                }
                t => Some(Type::Optional(Box::new(t))),
            },
            ast::TypeExpr::IdOf(name, _) => match names::pascal(&name.text) {
                Ok(rust) => Some(Type::Id(rust)),
                Err(_) => {
                    self.diagnostics.push(
                        Diagnostic::error(
                            codes::INVALID_NAME,
                            format!("`id of {}` cannot name a Rust type", name.text),
                        )
                        .at_labelled(name.span, "a reserved word in Rust")
                        .with_help("name the identified thing differently"),
                    );
                    None
                }
            },
            ast::TypeExpr::Named(name) => self.named(name),
            // Only a term's whole type can be a choice (the grammar says so).
            ast::TypeExpr::Choice(..) => Some(Type::Text),
        }
    }

    fn named(&mut self, name: &'a ast::Ident) -> Option<Type> {
        match name.text.as_str() {
            "text" => return Some(Type::Text),
            "integer" => return Some(Type::Integer),
            "number" => return Some(Type::Number),
            "boolean" => return Some(Type::Boolean),
            "date" => return Some(Type::Date),
            "timestamp" => return Some(Type::Timestamp),
            "decimal" => return Some(Type::Decimal),
            _ => {}
        }
        if let Some(entity) = self.entities.iter().find(|e| e.written == name.text) {
            return Some(Type::Entity(entity.rust.clone()));
        }
        if self.is_known(&name.text, 0) {
            self.referenced.insert(name.text.clone());
            return self.term(&name.text, name.span).map(|r| r.ty);
        }
        let stack = &self.stack;
        let mut candidates: Vec<&str> = PRIMITIVES.to_vec();
        candidates.extend(self.entities.iter().map(|e| e.written.as_str()));
        // Not the term being declared: `tags: list of tag` must not suggest
        // `tags` itself.
        candidates.extend(
            self.declared
                .keys()
                .copied()
                .filter(|k| !stack.iter().any(|s| s == k)),
        );
        if let Some((entity, model)) = self.foreign.iter().find(|(e, _)| *e == name.text) {
            let key = format!("{}-id", names::kebab(entity));
            let term = self.stack.last().cloned().unwrap_or_else(|| key.clone());
            self.diagnostics.push(
                Diagnostic::error(
                    codes::UNKNOWN_TYPE,
                    format!("`{entity}` is an entity of the model `{model}`, not of this one"),
                )
                .at_labelled(name.span, format!("held by `{model}`"))
                .with_help(format!(
                    "a model holds only its own entities: refer to a `{entity}` by its identity, `- {term}: id of {entity}`, or name the term `{key}` (its type is then `id of {entity}` by convention)"
                )),
            );
            return None;
        }
        let diagnostic =
            Diagnostic::error(codes::UNKNOWN_TYPE, format!("unknown type `{}`", name.text))
                .at_labelled(name.span, "not a type, an entity or a declared term");
        let lower = name.text.to_lowercase();
        let other_language = match lower.as_str() {
            "bool" => Some("boolean"),
            "int" | "long" | "i32" | "i64" | "u32" | "u64" | "usize" => Some("integer"),
            "float" | "double" | "f32" | "f64" | "real" => Some("number"),
            "money" | "currency" => Some("decimal"),
            "datetime" | "instant" | "time" => Some("timestamp"),
            "enum" | "choice" => Some("one of [a b c]"),
            "string" | "str" => Some("text"),
            "vec" | "array" => Some("list of <type>"),
            _ => None,
        };
        let help = match (other_language, did_you_mean(&name.text, candidates), lower.as_str()) {
            (Some(ours), ..) => format!("write `{ours}`"),
            (None, Some(suggestion), _) => format!("did you mean `{suggestion}`?"),
            (None, None, "list") => "write `list of <type>`, e.g. `list of text`".to_string(),
            (None, None, "optional") => "write `optional <type>`, e.g. `optional integer`".to_string(),
            (None, None, "duration") => {
                "there is no duration type: use `integer` (e.g. minutes)".to_string()
            }
            (None, None, _) if !self.declared.contains_key(name.text.as_str()) => format!(
                "declare `{}` under `Terms:` (e.g. `- {}: text`), or use a type: `text`, `integer`, `number`, `decimal`, `boolean`, `date`, `timestamp`, `one of [a b c]`, `list of …`, `optional …`, `id of …` or an entity",
                name.text, name.text
            ),
            _ => "types are `text`, `integer`, `number`, `decimal`, `boolean`, `date`, `timestamp`, `one of [a b c]`, `list of <type>`, `optional <type>`, `id of <Name>`, an entity, or a declared term".to_string(),
        };
        let diagnostic = diagnostic.with_help(help);
        self.diagnostics.push(diagnostic);
        None
    }

    /// `optional optional T`, written so or through a term that is
    /// already optional: `Option<Option<T>>`, whose two kinds of nothing
    /// are one in JSON (`null`), so an event would not replay as recorded.
    fn double_optional(&mut self, inner: &ast::TypeExpr, span: Span) {
        let (label, help) = match inner {
            ast::TypeExpr::Named(name) => (
                format!("`{}` is optional already", name.text),
                format!("write `{}` alone: it may already be left out", name.text),
            ),
            _ => (
                "`optional` twice".to_string(),
                "write `optional` once: a value is there or it is not".to_string(),
            ),
        };
        self.diagnostics.push(
            Diagnostic::error(
                codes::DOUBLE_OPTIONAL,
                "an optional value cannot be optional again",
            )
            .at_labelled(span, label)
            .with_help(help),
        );
    }

    fn too_deep(&mut self, name: &str, span: Span, nested: bool) {
        let first = self
            .stack
            .first()
            .cloned()
            .unwrap_or_else(|| name.to_string());
        // One report per chain: the terms on it are all left unresolved.
        if self
            .diagnostics
            .iter()
            .any(|d| d.code == codes::TYPE_TOO_DEEP && d.span == Some(span))
        {
            return;
        }
        self.diagnostics.push(
            Diagnostic::error(
                codes::TYPE_TOO_DEEP,
                if nested {
                    format!("the type of `{name}` nests `list of` and `optional` more than {MAX_DEPTH} deep")
                } else {
                    format!("the type of `{first}` is reached through more than {MAX_DEPTH} other terms")
                },
            )
            .at_labelled(span, "resolving this term")
            .with_help(if nested {
                "nest less: a list of lists of lists is rarely what the domain means; an inner level is usually an entity of its own".to_string()
            } else {
                format!("give one of the terms on the way a type of its own, e.g. `- {name}: text`")
            }),
        );
    }

    fn cycle(&mut self, members: &[String]) {
        let first = members[0].as_str();
        let Some(term) = self.declared.get(first).copied() else {
            return;
        };
        let path = members
            .iter()
            .map(String::as_str)
            .chain(std::iter::once(first))
            .map(|m| format!("`{m}`"))
            .collect::<Vec<_>>();
        let mut diagnostic = Diagnostic::error(
            codes::ALIAS_CYCLE,
            format!(
                "the type of `{first}` is defined in a circle: {}",
                path.join(" → ")
            ),
        )
        .at_labelled(term.ty.span(), "this refers back to itself");
        for member in &members[1..] {
            if let Some(other) = self.declared.get(member.as_str()) {
                diagnostic =
                    diagnostic.with_label(other.ty.span(), format!("`{member}` is defined here"));
            }
        }
        self.diagnostics.push(diagnostic.with_help(format!(
            "give one of them a real type, e.g. `- {first}: text`"
        )));
    }
}

fn quoted_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.as_slice() {
        [init @ .., last] if !init.is_empty() => format!("{} or {last}", init.join(", ")),
        _ => quoted.join(""),
    }
}
