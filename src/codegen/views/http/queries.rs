//! A query's handler: its parameters read from the query string, the
//! model asked (or, for a history, the stored events), the answer as JSON.

use super::*;

/// How a query's handler passes an owned parameter `name` of `ty` to its
/// method, which borrows it as [`Type::rust_param`] says.
pub(super) fn argument(name: &str, ty: &Type) -> String {
    match ty {
        _ if ty.is_copy() => name.to_string(),
        Type::Optional(inner) if inner.is_copy() => name.to_string(),
        Type::Optional(inner) if matches!(**inner, Type::Text | Type::List(_)) => {
            format!("{name}.as_deref()")
        }
        Type::Optional(_) => format!("{name}.as_ref()"),
        _ => format!("&{name}"),
    }
}

/// A query's handler: reads its parameters, asks the model (or, for a
/// history, the stored events) and answers with JSON.
pub(super) fn query_handler(model: &Model, prefix: &str, query: &Query) -> String {
    let method = names::unraw(&query.method);
    let mut out = format!("/// `{}`.\n", inert(&query.spec_line));
    let params: &[&str] = if query.params.is_empty() {
        &["State(store): State<Store>"]
    } else {
        &["State(store): State<Store>", "params: Params"]
    };
    out.push_str(&signature_with(
        0,
        "async fn",
        &format!("answer_{prefix}_{method}"),
        params,
        Some("Answer"),
        " {",
    ));
    out.push('\n');
    let mut args = Vec::new();
    for param in &query.params {
        let wire = param.wire();
        let read = if matches!(param.ty, Type::List(_)) {
            "params.all"
        } else if matches!(param.ty, Type::Optional(_)) {
            "params.maybe"
        } else {
            "params.one"
        };
        let ty = param_type(&param.ty, &model.module);
        out.push_str(&chained(
            4,
            &format!("let {}: {ty} = ", param.rust),
            &format!("{read}({})?", string(wire)),
            ";",
        ));
        out.push('\n');
        args.push(Expr::atom(argument(&param.rust, &param.ty)));
    }
    if query.is_history() {
        let args: Vec<String> = std::iter::once("&store.pool".to_string())
            .chain(args.iter().map(Expr::flat))
            .collect();
        out.push_str(&chained(
            4,
            "let answer = ",
            &format!(
                "{prefix}_{method}({}).await.map_err(Problem::store)?",
                args.join(", ")
            ),
            ";",
        ));
    } else {
        out.push_str(&chained(
            4,
            "let model = ",
            &format!("{prefix}_model(&store.pool).await?"),
            ";",
        ));
        out.push('\n');
        let call = Expr::call(format!("model.{}", query.method), args);
        out.push_str(&call.assign(4, "let answer", ";"));
    }
    out.push_str("\n    answer_with(&answer)\n}");
    out
}

/// A parameter's type as a handler names it: the crate's identity types
/// and the model's entities and choices by their paths, the types of
/// chrono and rust_decimal by theirs (shorter than through the model's
/// module, which keeps the handler's `let`s on one line).
fn param_type(ty: &Type, module: &str) -> String {
    match ty {
        Type::Id(of) => format!("crate::generated::{of}Id"),
        Type::Entity(rust) | Type::Choice(rust) => format!("crate::generated::{module}::{rust}"),
        Type::List(inner) => format!("Vec<{}>", param_type(inner, module)),
        Type::Optional(inner) => format!("Option<{}>", param_type(inner, module)),
        Type::Date => "chrono::NaiveDate".into(),
        Type::Timestamp => "chrono::DateTime<chrono::Utc>".into(),
        Type::Decimal => "rust_decimal::Decimal".into(),
        other => other.rust(),
    }
}
