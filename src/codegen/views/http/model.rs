//! One model's part of the service: its aliases, its routes, its command
//! route and its table of commands, its query handlers' list.

use super::*;

/// What a model's `Asks` must be: its services of other models and
/// outside the spec.
pub(super) fn services_bound(model: &Model) -> String {
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
    pub(super) fn new(spec: &Spec, m: &Model, all: &[Route]) -> Self {
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
pub(super) fn snapshotted(model: &Model) -> bool {
    model.state.is_some() && model.split_stores().is_empty()
}

/// Whether `model`'s events have `strong` policies that send a command.
pub(super) fn settles(model: &Model) -> bool {
    model
        .policies
        .iter()
        .any(|p| p.strong && matches!(p.then, crate::model::ir::Then::Ask { .. }))
}

/// The name of a model's table of commands (`TODOS_COMMANDS`).
pub(super) fn commands_const(model: &Model) -> String {
    format!("{}_COMMANDS", model.file_stem.to_uppercase())
}

/// A model's table of commands: each action, and its fields' wire names.
pub(super) fn commands_table(model: &Model) -> String {
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
pub(super) fn route_line(path: &str, method: &str, handler: &str) -> String {
    let mut wrapped = format!("{method}({handler})");
    if crate::codegen::rust::width(&wrapped) + 13 > 100 {
        wrapped = format!("{method}(\n    {handler},\n)");
    }
    call(8, ".route", &[string(path), wrapped], "")
}
