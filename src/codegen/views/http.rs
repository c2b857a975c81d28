//! The HTTP service (`src/generated/http.rs`, feature `http`): each
//! model's routes of [`crate::model::routes`], their handlers, and the
//! router that serves them with the OpenAPI document and the console.

use crate::codegen::expr::Expr;
use crate::codegen::rust::{call, chained, inert, signature_with};
use crate::model::ir::{Model, Query, Spec, Type};
use crate::model::names;
use crate::model::routes::{self, Route, RouteKind};

/// The service as a whole.
pub struct HttpView {
    /// The served models, in spec order.
    pub models: Vec<HttpModel>,
    /// `pub fn router(…) -> Router {`, laid out.
    pub router_signature: String,
    /// The `where` bounds of `router`, one per line, when it takes the
    /// services of models that ask outside the spec.
    pub router_bounds: Vec<String>,
    /// The `.merge(…)` lines of `router`, laid out.
    pub merges: Vec<String>,
    /// `esgen list`'s routes, for the module's docs: `METHOD path`.
    pub routes: Vec<String>,
    /// The `use` lines of a store's module.
    pub uses: Vec<String>,
    /// The `use` lines of the shared module.
    pub mod_uses: Vec<String>,
    /// Whether `open` is generated: no model asks a service outside the
    /// spec, which only the app can give.
    pub opens: bool,
    /// The `<model>_heal` calls of `open`, laid out at 4.
    pub heals: Vec<String>,
    /// Whether the store is SQLite (else PostgreSQL).
    pub sqlite: bool,
    /// Whether the spec has policies: `/metrics` says each one's lag.
    pub policies: bool,
    /// Whether a model's events have `strong` policies that send a
    /// command: its commands are answered once those have acted, through
    /// one `Settling` the router makes.
    pub settles: bool,
    /// `pub const OPENAPI: &str = r#"…"#;`: the document, pretty.
    pub openapi: String,
    /// Whether a served model is snapshotted (`SNAPSHOT_EVERY`).
    pub snapshots: bool,
    /// Each model's table of commands, laid out.
    pub commands: Vec<String>,
    /// Whether a query takes parameters (`Params` is generated).
    pub params: bool,
    /// The methods of `Params` the queries call.
    pub params_methods: Vec<&'static str>,
}

/// `Params::one`.
const ONE: &str = r#"    /// The one value of `name`.
    fn one<T: DeserializeOwned>(&self, name: &str) -> Result<T, Problem> {
        self.maybe::<T>(name)?
            .ok_or_else(|| Problem::malformed(format!("the parameter `{name}` is missing")))
    }"#;

/// `Params::maybe`.
const MAYBE: &str = r#"    /// The value of `name`, if given.
    fn maybe<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, Problem> {
        let mut values = self.0.iter().filter(|(n, _)| n == name);
        let Some((_, first)) = values.next() else {
            return Ok(None);
        };
        if values.next().is_some() {
            let message = format!("the parameter `{name}` is given more than once");
            return Err(Problem::malformed(message));
        }
        parameter(name, first).map(Some)
    }"#;

/// `Params::all`.
const ALL: &str = r#"    /// Every value of `name`, in order.
    fn all<T: DeserializeOwned>(&self, name: &str) -> Result<Vec<T>, Problem> {
        let values = self.0.iter().filter(|(n, _)| n == name);
        values.map(|(_, value)| parameter(name, value)).collect()
    }"#;

/// One served model.
pub struct HttpModel {
    /// As written, made inert.
    pub name: String,
    /// The path under which it is served (`/api/todos`).
    pub base: String,
    /// Its type aliases (`type TodosModel = crate::todos::Todos;`…), laid
    /// out.
    pub aliases: Vec<String>,
    /// `fn todos_routes(…) -> Router`, laid out, without its `where` or
    /// brace.
    pub routes_signature: String,
    /// The `where` bounds of its generic functions (a model whose rules
    /// ask outside the spec is generic over what answers them).
    pub bounds: Vec<String>,
    /// `let cqrs = …;`, laid out at 4.
    pub cqrs_let: String,
    /// The `settling` field of its `Served`: `None`, or
    /// `Some(settling)` for a model whose events have `strong` policies.
    pub settling: &'static str,
    /// How a command's stream is named: `todos_stream` when each entity
    /// is a stream, else `None` (the model is one stream, [`Self::whole`]).
    pub stream_fn: Option<String>,
    /// The name of the one stream of a model that is not split.
    pub whole: String,
    /// Its command route, laid out as a `.route(…)` line at 8.
    pub command_route: String,
    /// `async fn todos_command(…) -> Answer`, laid out.
    pub command_signature: String,
    /// `command(&served, TODOS_COMMANDS, …).await`, laid out at 4.
    pub command_body: String,
    /// The query and event routes, laid out as `.route(…)` lines at 8.
    pub query_routes: Vec<String>,
    /// Each query's handler, whole.
    pub queries: Vec<String>,
    /// The signature of the function that loads what the queries read
    /// (`async fn todos_model(pool: &Pool) -> Result<TodosModel, Problem>`).
    pub model_signature: String,
    /// Its body, laid out at 4.
    pub model_body: String,
    /// Whether a query needs the model loaded (not only histories).
    pub loads: bool,
    /// `crate::generated::todos::STORED_AS`.
    pub stored_as: String,
}

impl HttpView {
    /// The service of a spec over `store` (`postgres` or `sqlite`).
    pub fn new(spec: &Spec, store: &str) -> Self {
        let opens = spec.models.iter().all(|m| m.services.is_empty());
        let heals: Vec<String> = spec
            .models
            .iter()
            .filter(|m| !m.commands.is_empty() && !m.split_stores().is_empty())
            .map(|m| {
                format!(
                    "    {}_heal::<{}>(&pool).await?;",
                    m.file_stem.clone(),
                    aggregate(m)
                )
            })
            .collect();
        let all = routes::routes(spec);
        let models: Vec<HttpModel> = spec
            .models
            .iter()
            .filter(|m| !m.commands.is_empty())
            .map(|m| HttpModel::new(spec, m, &all))
            .collect();
        let served: Vec<&Model> = spec
            .models
            .iter()
            .filter(|m| !m.commands.is_empty() && !m.services.is_empty())
            .collect();
        let mut params = vec!["pool: Pool".to_string()];
        params.extend(
            served
                .iter()
                .map(|m| format!("{}: {}Asks", m.file_stem, m.rust)),
        );
        let generics: Vec<String> = served.iter().map(|m| format!("{}Asks", m.rust)).collect();
        let name = if generics.is_empty() {
            "router".to_string()
        } else {
            format!("router<{}>", generics.join(", "))
        };
        let router_signature = signature_with(0, "pub fn", &name, &params, Some("Router"), "");
        let router_bounds = served
            .iter()
            .map(|m| bound_line(&format!("{}Asks", m.rust), &services_bound(m)))
            .collect();
        let merges = spec
            .models
            .iter()
            .filter(|m| !m.commands.is_empty())
            .map(|m| {
                let mut args = vec![Expr::atom("pool.clone()")];
                if !m.services.is_empty() {
                    args.push(Expr::atom(m.file_stem.clone()));
                }
                if settles(m) {
                    args.push(Expr::atom("settling.clone()"));
                }
                let routes = Expr::call(format!("{}_routes", m.file_stem), args);
                Expr::call(".merge", vec![routes]).render(8, "", "")
            })
            .collect();
        let runtime = format!("crate::generated::runtime::{store}");
        let settling_uses = if spec.models.iter().any(settles) {
            vec![
                format!("crate::generated::policies::{store}::Policies"),
                "crate::generated::policies::Unnotified".to_string(),
            ]
        } else {
            Vec::new()
        };
        let mut uses: Vec<String> = [
            "super::answer_with",
            "super::committed",
            "super::console",
            "super::idempotency_key",
            "super::metrics",
            "super::openapi",
            "super::read",
            "super::unknown",
            "super::unwinding",
            "super::Answer",
            "super::Events",
            "super::Key",
            "super::Metrics",
            "super::Page",
            "super::Positioned",
            "super::Problem",
            "super::COMMITTED",
            "super::MAX_BODY",
            "super::MAX_PAGE",
            "super::PAGE",
            "super::POLL",
            "super::TRIES",
            "super::Commands",
            "crate::generated::Rejection",
            "axum::body::Bytes",
            "axum::extract::rejection::QueryRejection",
            "axum::extract::{DefaultBodyLimit, Path, Query, State}",
            "axum::http::{HeaderMap, StatusCode}",
            "axum::response::sse::{Event as Sse, KeepAlive}",
            "axum::response::IntoResponse",
            "axum::routing::{get, post}",
            "axum::{Json, Router}",
            "cqrs_es::{Aggregate, AggregateError}",
            "serde::de::DeserializeOwned",
            "serde::Serialize",
            "serde_json::Value",
            "sqlx::Row as _",
            "std::cell::RefCell",
            "std::convert::Infallible",
            "std::sync::Arc",
            "std::time::Instant",
            "tracing::Instrument as _",
        ]
        .map(String::from)
        .to_vec();
        for item in ["Cqrs", "Pool", "Row", "COMMAND_ID"] {
            uses.push(format!("{runtime}::{item}"));
        }
        if opens {
            uses.push(format!("{runtime}::{{connect, migrate}}"));
        }
        for (view, m) in models
            .iter()
            .zip(spec.models.iter().filter(|m| !m.commands.is_empty()))
        {
            uses.push(format!("crate::generated::runtime::{}Stream", m.rust));
            if snapshotted(m) {
                uses.push(format!("{runtime}::{}_cqrs_with_snapshots", m.file_stem));
                uses.push("super::SNAPSHOT_EVERY".to_string());
            } else {
                uses.push(format!("{runtime}::{}_cqrs", m.file_stem));
            }
            uses.push(format!("crate::generated::{}::{}Event", m.module, m.rust));
            uses.push(format!("super::{}", commands_const(m)));
            if !m.asks.is_empty() {
                if !m.services.is_empty() {
                    uses.push(format!("crate::generated::runtime::{}Services", m.rust));
                }
                if m.services.is_empty() {
                    uses.push(format!("{runtime}::{}Stored", m.rust));
                }
            }
            if view.stream_fn.is_some() {
                uses.push(format!("crate::generated::runtime::{}_stream", m.file_stem));
            }
            if view.loads {
                if m.split_stores().is_empty() {
                    uses.push(format!("{runtime}::{}_load", m.file_stem));
                } else {
                    uses.push(format!("{runtime}::{}_tables_into", m.file_stem));
                }
                if m.queries.iter().any(|q| !q.is_history()) {
                    uses.push(format!("crate::generated::{}::{}Queries", m.module, m.rust));
                }
            }
            for query in m.queries.iter().filter(|q| q.is_history()) {
                let method = names::unraw(&query.method);
                uses.push(format!("{runtime}::{}_{method}", m.file_stem));
            }
            if opens && !m.split_stores().is_empty() {
                uses.push(format!("{runtime}::{}_heal", m.file_stem));
            }
        }
        let params: Vec<&Type> = spec
            .models
            .iter()
            .filter(|m| !m.commands.is_empty())
            .flat_map(|m| &m.queries)
            .flat_map(|q| &q.params)
            .map(|p| &p.ty)
            .collect();
        let mut reads = Vec::new();
        let one = params
            .iter()
            .any(|t| !matches!(t, Type::List(_) | Type::Optional(_)));
        if one {
            reads.push(ONE);
        }
        if one || params.iter().any(|t| matches!(t, Type::Optional(_))) {
            reads.push(MAYBE);
        }
        if params.iter().any(|t| matches!(t, Type::List(_))) {
            reads.push(ALL);
        }
        if !reads.is_empty() {
            uses.push("super::Params".into());
        }
        let mut mod_uses: Vec<String> = [
            "super::Rejection",
            "axum::http::header::{HeaderMap, HeaderValue, CONTENT_TYPE, RETRY_AFTER}",
            "axum::http::StatusCode",
            "axum::response::{Html, IntoResponse, Response}",
            "axum::Json",
            "cqrs_es::{Aggregate, AggregateError, EventEnvelope}",
            "serde::de::DeserializeOwned",
            "serde::Serialize",
            "serde_json::Value",
            "std::cell::RefCell",
            "std::time::Duration",
            "prometheus_client::encoding::text::encode",
            "prometheus_client::metrics::counter::Counter",
            "prometheus_client::metrics::family::Family",
            "prometheus_client::metrics::histogram::{exponential_buckets, Histogram}",
            "prometheus_client::registry::Registry",
        ]
        .map(String::from)
        .to_vec();
        if opens {
            mod_uses.push("axum::Router".into());
        }
        let policies = spec.models.iter().any(|m| !m.policies.is_empty());
        let settles = spec.models.iter().any(settles);
        if policies {
            mod_uses.push("prometheus_client::metrics::gauge::Gauge".into());
        }
        if !reads.is_empty() {
            mod_uses.push("axum::extract::rejection::QueryRejection".into());
            mod_uses.push("axum::extract::{FromRequestParts, Query}".into());
            mod_uses.push("axum::http::request::Parts".into());
        }
        uses.extend(settling_uses);
        let uses = sorted_uses(uses);
        let mod_uses = sorted_uses(mod_uses);
        HttpView {
            models,
            router_signature,
            router_bounds,
            merges,
            routes: all
                .iter()
                .map(|r| format!("{} {}", r.method.as_str(), inert(&r.path)))
                .collect(),
            uses,
            mod_uses,
            opens,
            heals,
            sqlite: store == "sqlite",
            policies,
            settles,
            openapi: openapi_const(spec),
            snapshots: spec
                .models
                .iter()
                .any(|m| !m.commands.is_empty() && snapshotted(m)),
            commands: spec
                .models
                .iter()
                .filter(|m| !m.commands.is_empty())
                .map(commands_table)
                .collect(),
            params: !reads.is_empty(),
            params_methods: reads,
        }
    }
}

/// `use` lines in rustfmt's order.
fn sorted_uses(uses: Vec<String>) -> Vec<String> {
    let mut uses: Vec<String> = uses.into_iter().map(|u| format!("use {u};")).collect();
    uses.sort_by_key(|u| crate::codegen::rust::use_order(u));
    uses.dedup();
    uses
}

/// The user's aggregate of a model, as the skeleton defines it.
pub(super) fn aggregate(model: &Model) -> String {
    format!("crate::{}::{}", model.module, model.rust)
}

/// The generated `<Model>Stored` of a model that asks others, with the
/// skeleton's aggregate of each.
pub(super) fn stored_type(spec: &Spec, model: &Model) -> String {
    let asked: Vec<String> = model
        .asks
        .iter()
        .filter_map(|ask| spec.models.iter().find(|o| o.name == ask.name))
        .map(aggregate)
        .collect();
    format!("{}Stored<{}>", model.rust, asked.join(", "))
}

/// What a model's `Asks` must be: its services of other models and
/// outside the spec.
fn services_bound(model: &Model) -> String {
    let mut bounds = Vec::new();
    if !model.asks.is_empty() {
        bounds.push(format!("{}Services", model.rust));
    }
    bounds.extend(
        model
            .services
            .iter()
            .map(|s| format!("crate::generated::{}::{}", model.module, s.rust)),
    );
    bounds.push("'static".to_string());
    bounds.join(" + ")
}

impl HttpModel {
    fn new(spec: &Spec, m: &Model, all: &[Route]) -> Self {
        let prefix = m.file_stem.clone();
        let generic = !m.services.is_empty();
        let asks = !m.asks.is_empty();
        let model_alias = format!("{}Model", m.rust);
        let served = format!("{}Served", m.rust);
        let mut aliases = vec![format!(
            "/// Your aggregate of `{}` (`src/{}.rs`), which the service runs.\n{}",
            inert(&m.name),
            names::unraw(&m.module),
            Expr::atom(aggregate(m)).assign(0, &format!("type {model_alias}"), ";")
        )];
        let (served_generics, stream_args) = if generic {
            ("<Asks>", format!("{model_alias}, Asks"))
        } else if asks {
            aliases.push(format!(
                "/// What answers the queries `{}` asks of other models: their\n/// stored streams and tables.\n{}",
                inert(&m.name),
                Expr::atom(stored_type(spec, m)).assign(0, &format!("type {}Asks", m.rust), ";")
            ));
            ("", format!("{model_alias}, {}Asks", m.rust))
        } else {
            ("", model_alias.clone())
        };
        aliases.push(format!(
            "/// What the command route of `{}` shares.\n{}",
            inert(&m.name),
            Expr::atom(format!("Served<{}Stream<{stream_args}>>", m.rust)).assign(
                0,
                &format!("type {served}{served_generics}"),
                ";"
            )
        ));
        let bounds = if generic {
            vec![bound_line("Asks", &services_bound(m))]
        } else {
            Vec::new()
        };
        let mut params = vec!["pool: Pool".to_string()];
        if generic {
            params.push("asks: Asks".to_string());
        }
        if settles(m) {
            params.push("settling: Settling".to_string());
        }
        let routes_signature = signature_with(
            0,
            "pub fn",
            &format!("{prefix}_routes{served_generics}"),
            &params,
            Some("Router"),
            "",
        );
        let mut cqrs_args = vec![Expr::atom("pool.clone()"), Expr::atom("vec![committed()]")];
        if generic {
            cqrs_args.push(Expr::atom("asks"));
        } else if asks {
            cqrs_args.push(Expr::atom(format!("{}Asks::new(pool.clone())", m.rust)));
        }
        // A model kept in one stream, whose state is generated, is
        // snapshotted: a command and a query load the latest snapshot and
        // the events after it. A stream per entity stays short, and a
        // snapshot would cost each command one more read.
        let cqrs_fn = if snapshotted(m) {
            cqrs_args.push(Expr::atom("SNAPSHOT_EVERY"));
            format!("{prefix}_cqrs_with_snapshots")
        } else {
            format!("{prefix}_cqrs")
        };
        let cqrs_let = Expr::call(cqrs_fn, cqrs_args).assign(4, "let cqrs", ";");
        let base = format!("/api/{}", routes::model_segment(m));
        let command_handler = if generic {
            format!("{prefix}_command::<Asks>")
        } else {
            format!("{prefix}_command")
        };
        let command_route = route_line(
            &format!("{base}/commands/{{action}}"),
            "post",
            &command_handler,
        );
        let command_signature = signature_with(
            0,
            "async fn",
            &format!("{prefix}_command{served_generics}"),
            &[
                format!("State(served): State<Arc<{served}{served_generics}>>"),
                "Path(action): Path<String>".to_string(),
                "headers: HeaderMap".to_string(),
                "body: Bytes".to_string(),
            ],
            Some("Answer"),
            "",
        );
        let command_body = Expr::call(
            "command",
            vec![
                Expr::atom("&served"),
                Expr::atom(commands_const(m)),
                Expr::atom("&action"),
                Expr::atom("&headers"),
                Expr::atom("&body"),
            ],
        )
        .render(4, "", "");
        // `.await` after a call broken over lines goes on a line of its own.
        let command_body = if command_body.contains('\n') {
            format!("{command_body}\n    .await")
        } else {
            format!("{command_body}.await")
        };
        let mut query_routes = Vec::new();
        for route in all.iter().filter(|r| r.model == m.name) {
            let handler = match &route.kind {
                RouteKind::Command { .. } => continue,
                RouteKind::Query { query } => {
                    format!(
                        "answer_{prefix}_{}",
                        names::unraw(&m.queries[*query].method)
                    )
                }
                RouteKind::Events => format!("events::<{}Event>", m.rust),
                RouteKind::Stream => format!("stream::<{}Event>", m.rust),
                RouteKind::Follow => format!("live::<{}Event>", m.rust),
            };
            query_routes.push(route_line(&route.path, "get", &handler));
        }
        let loads = m.queries.iter().any(|q| !q.is_history());
        let model_signature = signature_with(
            0,
            "async fn",
            &format!("{prefix}_model"),
            &["pool: &Pool"],
            Some(&format!("Result<{model_alias}, Problem>")),
            " {",
        );
        let whole = routes::model_segment(m);
        let split = !m.split_stores().is_empty();
        let model_body = if split {
            chained(
                4,
                "",
                &format!("{prefix}_tables_into(pool).await.map_err(Problem::store)"),
                "",
            )
        } else {
            format!(
                "{}\n{}",
                Expr::atom(string(&whole)).assign(4, "let stream", ";"),
                chained(
                    4,
                    "",
                    &format!("{prefix}_load(pool, stream).await.map_err(Problem::aggregate)"),
                    "",
                )
            )
        };
        let queries = m
            .queries
            .iter()
            .map(|q| query_handler(m, &prefix, q))
            .collect();
        HttpModel {
            name: inert(&m.name),
            base,
            aliases,
            routes_signature,
            bounds,
            cqrs_let,
            settling: if settles(m) { "Some(settling)" } else { "None" },
            stream_fn: split.then(|| format!("{prefix}_stream")),
            whole,
            command_route,
            command_signature,
            command_body,
            query_routes,
            queries,
            model_signature,
            model_body,
            loads,
            stored_as: format!("crate::generated::{}::STORED_AS", m.module),
        }
    }
}

/// Whether the service snapshots a model: one kept in one stream, whose
/// state is generated.
fn snapshotted(model: &Model) -> bool {
    model.state.is_some() && model.split_stores().is_empty()
}

/// Whether `model`'s events have `strong` policies that send a command.
fn settles(model: &Model) -> bool {
    model
        .policies
        .iter()
        .any(|p| p.strong && matches!(p.then, crate::model::ir::Then::Ask { .. }))
}

/// The name of a model's table of commands (`TODOS_COMMANDS`).
fn commands_const(model: &Model) -> String {
    format!("{}_COMMANDS", model.file_stem.to_uppercase())
}

/// A model's table of commands: each action, and its fields' wire names.
fn commands_table(model: &Model) -> String {
    let rows = model
        .commands
        .iter()
        .map(|c| {
            let fields = c
                .params
                .iter()
                .map(|p| Expr::atom(string(p.wire())))
                .collect();
            Expr::call(
                "",
                vec![Expr::atom(string(&c.name)), Expr::List("&[", fields)],
            )
        })
        .collect();
    format!(
        "/// The commands of `{}`: each action, and its fields' wire names.\n{}",
        inert(&model.name),
        Expr::List("&[", rows).assign(
            0,
            &format!("const {}: Commands", commands_const(model)),
            ";"
        )
    )
}

/// `.route("{path}", {method}({handler}))` at 8, as rustfmt lays it out:
/// on one line if it fits, else one argument per line, and the handler on
/// a line of its own when even that is too long.
fn route_line(path: &str, method: &str, handler: &str) -> String {
    let mut wrapped = format!("{method}({handler})");
    if crate::codegen::rust::width(&wrapped) + 13 > 100 {
        wrapped = format!("{method}(\n    {handler},\n)");
    }
    call(8, ".route", &[string(path), wrapped], "")
}

/// `{name}: {bounds},` in a `where` clause (after its 4 spaces): on one
/// line if it fits, else a bound per line, as rustfmt lays it out.
fn bound_line(name: &str, bounds: &str) -> String {
    let one = format!("{name}: {bounds},");
    if crate::codegen::rust::width(&one) + 4 <= 100 {
        return one;
    }
    if crate::codegen::rust::width(bounds) + 9 <= 100 {
        return format!("{name}:\n        {bounds},");
    }
    let mut out = format!("{name}: ");
    for (i, bound) in bounds.split(" + ").enumerate() {
        if i > 0 {
            out.push_str("\n        + ");
        }
        out.push_str(bound);
    }
    out.push(',');
    out
}

/// A Rust string literal of `text`.
fn string(text: &str) -> String {
    crate::codegen::behaviour::string(text)
}

/// How a query's handler passes an owned parameter `name` of `ty` to its
/// method, which borrows it as [`Type::rust_param`] says.
fn argument(name: &str, ty: &Type) -> String {
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
fn query_handler(model: &Model, prefix: &str, query: &Query) -> String {
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
        let ty =
            super::runtime::qualified(&param.ty, &format!("crate::generated::{}", model.module));
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

/// The OpenAPI document as a raw string constant, with as many `#` as it
/// needs.
fn openapi_const(spec: &Spec) -> String {
    let document = crate::model::evolution::openapi::openapi(spec);
    let json = serde_json::to_string_pretty(&document).unwrap_or_default();
    let mut hashes = "#".to_string();
    while json.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("pub const OPENAPI: &str = r{hashes}\"{json}\"{hashes};")
}
