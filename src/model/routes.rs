//! The HTTP routes a spec's service answers, as plain data: one table that
//! `esgen list` prints, the OpenAPI document describes and the generated
//! router serves. Every path is under `/api/<model>`, the model's name in
//! kebab case; a query's path leaves out a final `?` (`has-todo?` is
//! `/api/todos/queries/has-todo`).

use super::ir::{Model, Spec};
use super::names;
use serde::Serialize;

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// Reads.
    Get,
    /// Sends a command.
    Post,
}

impl Method {
    /// As HTTP writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// What a route answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum RouteKind {
    /// A command: its JSON body the command's fields, answered with the
    /// event it was accepted as, or a problem.
    Command {
        /// The command's index in [`Model::commands`].
        command: usize,
    },
    /// A query: its parameters in the query string, answered with its
    /// JSON.
    Query {
        /// The query's index in [`Model::queries`].
        query: usize,
    },
    /// The model's events, in the order they were stored, a page at a time
    /// (`after`, `limit`).
    Events,
    /// One stream's events, in order.
    Stream,
    /// The model's events as they are stored (server-sent events).
    Follow,
}

/// One route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Route {
    /// Its method.
    pub method: Method,
    /// Its path, with `{stream}` where a stream's name goes.
    pub path: String,
    /// The model, as the spec names it.
    pub model: String,
    /// What it answers.
    #[serde(flatten)]
    pub kind: RouteKind,
    /// What it does, in a few words.
    pub summary: String,
}

/// The path segment of a model: its name in kebab case (`BankAccount` →
/// `bank-account`).
pub fn model_segment(model: &Model) -> String {
    names::kebab(&model.name)
}

/// The path segment of a query: its name without a final `?`.
pub fn query_segment(name: &str) -> &str {
    name.strip_suffix('?').unwrap_or(name)
}

/// Every route of the spec's service, model by model: its commands, its
/// queries, then its events. A model without actions has no aggregate to
/// serve, and no routes.
pub fn routes(spec: &Spec) -> Vec<Route> {
    let mut out = Vec::new();
    for model in spec.models.iter().filter(|m| !m.commands.is_empty()) {
        let base = format!("/api/{}", model_segment(model));
        let route = |method, path: String, kind, summary: String| Route {
            method,
            path,
            model: model.name.clone(),
            kind,
            summary,
        };
        for (index, command) in model.commands.iter().enumerate() {
            let event = model.event_of(command);
            out.push(route(
                Method::Post,
                format!("{base}/commands/{}", command.name),
                RouteKind::Command { command: index },
                format!("`{}`, accepted as `{}`", command.name, event.name),
            ));
        }
        for (index, query) in model.queries.iter().enumerate() {
            out.push(route(
                Method::Get,
                format!("{base}/queries/{}", query_segment(&query.name)),
                RouteKind::Query { query: index },
                format!("`{}`", query.spec_line),
            ));
        }
        out.push(route(
            Method::Get,
            format!("{base}/events"),
            RouteKind::Events,
            format!("the events of `{}`, in the order stored", model.name),
        ));
        out.push(route(
            Method::Get,
            format!("{base}/streams/{{stream}}/events"),
            RouteKind::Stream,
            "one stream's events, in order".to_string(),
        ));
        out.push(route(
            Method::Get,
            format!("{base}/events/live"),
            RouteKind::Follow,
            format!("the events of `{}` as they are stored", model.name),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{query_segment, routes, Method};

    #[test]
    fn a_query_path_leaves_out_its_question_mark() {
        assert_eq!(query_segment("has-todo?"), "has-todo");
        assert_eq!(query_segment("open-count"), "open-count");
    }

    #[test]
    fn every_command_is_a_post_and_every_query_a_get() {
        let source = crate::source::Source::new(
            "todos.ddd",
            std::fs::read_to_string(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/todos.ddd"),
            )
            .unwrap(),
        );
        let (spec, _) = crate::check(&source);
        let spec = spec.unwrap();
        let all = routes(&spec);
        let model = &spec.models[0];
        let posts = all.iter().filter(|r| r.method == Method::Post).count();
        assert_eq!(posts, model.commands.len());
        assert!(all
            .iter()
            .any(|r| r.path == "/api/todos/queries/has-todo" && r.method == Method::Get));
        assert!(all
            .iter()
            .any(|r| r.path == "/api/todos/commands/create-new"));
        let mut paths: Vec<(&str, &str)> = all
            .iter()
            .map(|r| (r.method.as_str(), r.path.as_str()))
            .collect();
        let before = paths.len();
        paths.sort_unstable();
        paths.dedup();
        assert_eq!(paths.len(), before, "a route is listed twice");
    }
}
