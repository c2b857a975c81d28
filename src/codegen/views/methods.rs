//! Trait methods: their declarations, the skeleton's definitions, and
//! the parameters and arguments of proposing methods.

use crate::codegen::rust::{docs, inert, signature};
use crate::model::ir::{self, Field, Model};

/// A trait method: declaration and the skeleton's definition.
#[derive(Clone)]
pub struct MethodView {
    /// Doc lines.
    pub docs: Vec<String>,
    /// The spec line, for the skeleton's comment.
    pub spec_line: String,
    /// Whether it takes more than seven parameters (clippy's limit).
    pub many_params: bool,
    /// `fn …;` at trait indentation.
    pub declaration: String,
    /// `fn … {` at impl indentation, with parameters prefixed by `_`.
    pub definition: String,
    /// The generated body, when esgen writes the method (a default method
    /// of the trait), with its `fn … {` line.
    pub provided: Option<String>,
}

/// The parameters of a proposing method: the command, then each model its
/// rules ask (`patients: &impl PatientsQueries`), `prefix`ed.
pub(super) fn proposal_params(
    model: &Model,
    command: &ir::Command,
    name: &str,
    prefix: &str,
) -> Vec<String> {
    let mut params = vec!["&self".to_string(), format!("{name}: {}", command.rust)];
    for ask in model.asks_of(command) {
        let ask = &model.asks[ask];
        params.push(format!("{prefix}{}: &impl {}Queries", ask.param, ask.rust));
    }
    params
}

/// The parameters `propose` and `execute` take after the command: every
/// model the rules ask.
pub(super) fn asks_params(model: &Model) -> Vec<String> {
    model
        .asks
        .iter()
        .map(|ask| format!("{}: &impl {}Queries", ask.param, ask.rust))
        .collect()
}

/// The arguments a proposing method is called with: the command, then
/// the models its rules ask.
pub(super) fn call_args(model: &Model, command: &ir::Command) -> String {
    let mut args = vec!["command"];
    for ask in model.asks_of(command) {
        args.push(&model.asks[ask].param);
    }
    args.join(", ")
}

/// The inputs (Rust names) a derived query's definition reads.
pub(super) fn derived_inputs(derived: &ir::Derived) -> Vec<String> {
    let mut read = Vec::new();
    let mut look = |e: &ir::Expr| {
        if let ir::Expr::Input { rust, .. } = e {
            read.push(rust.clone());
        }
    };
    match derived {
        ir::Derived::Has { key, .. }
        | ir::Derived::Get { key, .. }
        | ir::Derived::Field { key, .. }
        | ir::Derived::History { key, .. } => key.visit(&mut look),
        ir::Derived::Select { .. }
        | ir::Derived::Count { .. }
        | ir::Derived::Sum { .. }
        | ir::Derived::Per { .. } => {
            for expr in derived.filter().into_iter().flat_map(ir::Condition::exprs) {
                expr.visit(&mut look);
            }
        }
    }
    read
}

pub(super) fn param(field: &Field, skeleton: bool) -> String {
    let name = if skeleton {
        format!("_{}", crate::model::names::unraw(&field.rust))
    } else {
        field.rust.clone()
    };
    format!("{name}: {}", field.ty.rust_param())
}

/// A trait's default method: its declaration (ending in `;`) opened as a
/// definition, then its body.
pub(super) fn provided(declaration: &str, body: &str) -> String {
    let head = declaration.strip_suffix(';').unwrap_or(declaration);
    format!("{} {{\n{body}\n    }}", widened(head))
}

/// A one-line signature that fits before `;` but not before ` {` (one
/// character more), broken one parameter per line as rustfmt breaks it.
fn widened(head: &str) -> String {
    use crate::codegen::rust::{split_args, width, MAX_WIDTH};
    if head.contains('\n') || width(head) + 2 <= MAX_WIDTH {
        return head.to_string();
    }
    let Some(open) = head.find('(') else {
        return head.to_string();
    };
    // The parenthesis that closes the parameters (a return type may hold
    // more).
    let mut depth = 0;
    let Some(close) = head[open..].char_indices().find_map(|(at, c)| {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        (depth == 0).then_some(open + at)
    }) else {
        return head.to_string();
    };
    let indent = head.len() - head.trim_start().len();
    let pad = " ".repeat(indent);
    let mut out = format!("{}\n", &head[..=open]);
    for param in split_args(&head[open + 1..close]) {
        out.push_str(&format!("{pad}    {param},\n"));
    }
    out.push_str(&pad);
    out.push_str(&head[close..]);
    out
}

pub(super) fn query_method(query: &ir::Query) -> MethodView {
    let returns = query.returns.rust();
    let params = |skeleton: bool| {
        std::iter::once("&self".to_string())
            .chain(query.params.iter().map(|f| param(f, skeleton)))
            .collect::<Vec<_>>()
    };
    MethodView {
        provided: None,
        docs: docs(&query.docs, &[format!("The query `{}`.", query.spec_line)]),
        spec_line: inert(&query.spec_line),
        many_params: query.params.len() + 1 > 7,
        declaration: signature(4, &query.method, &params(false), Some(&returns), ";"),
        definition: signature(4, &query.method, &params(true), Some(&returns), " {"),
    }
}
