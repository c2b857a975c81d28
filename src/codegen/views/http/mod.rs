//! The HTTP service (`src/generated/http.rs`, feature `http`): each
//! model's routes of [`crate::model::routes`], their handlers, and the
//! router that serves them with the OpenAPI document and the console.

use crate::codegen::expr::Expr;
use crate::codegen::rust::bound_line;
use crate::codegen::rust::{call, chained, inert, signature_with};
use crate::model::ir::{Model, Query, Spec, Type};
use crate::model::names;
use crate::model::routes::{self, Route, RouteKind};

mod model;
mod queries;

use model::{commands_const, commands_table, services_bound, settles, snapshotted};
use queries::query_handler;

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

/// A Rust string literal of `text`.
fn string(text: &str) -> String {
    crate::codegen::behaviour::string(text)
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
