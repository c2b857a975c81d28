//! `esgen list`: the models of a spec (its aggregates), and per model its
//! commands with the events they are accepted as, its events, its queries
//! and how its events are stored — for people, or as JSON for scripts.
//! Events are named by their tag (`registered@2` above version 1), as
//! `esgen doc` and the stored events name them.

use super::ir::{Spec, Streams, Type};
use serde::Serialize;
use std::fmt::Write as _;

/// What a spec holds, model by model.
#[derive(Debug, Clone, Serialize)]
pub struct Listing {
    /// The spec's file name.
    pub spec: String,
    /// Its models, in spec order.
    pub models: Vec<ModelListing>,
    /// The routes the service answers beside the models' (`http` feature):
    /// the console (the HTML file it serves), the OpenAPI document and the
    /// metrics; none when no model has actions.
    pub service: Vec<RouteListing>,
}

/// One model: an aggregate.
#[derive(Debug, Clone, Serialize)]
pub struct ModelListing {
    /// As written.
    pub name: String,
    /// The aggregate's Rust type.
    pub aggregate: String,
    /// Its commands, in spec order.
    pub commands: Vec<CommandListing>,
    /// Its events, in order of first appearance.
    pub events: Vec<EventListing>,
    /// Its queries, in spec order.
    pub queries: Vec<QueryListing>,
    /// `one per <Entity>`, or `one for the model`.
    pub streams: String,
    /// The other models its rules ask, in the order first asked.
    pub asks: Vec<String>,
    /// The routes its service answers (`http` feature), in order.
    pub routes: Vec<RouteListing>,
    /// Its policies, in spec order.
    pub policies: Vec<PolicyListing>,
}

/// A policy: the subscription that follows an event of the model.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyListing {
    /// Its name, which names its subscription.
    pub name: String,
    /// The event it follows.
    pub event: String,
    /// What it does: `<action> in <Model>` or `notify by <function>`.
    pub then: String,
    /// `strong` or `eventual`.
    pub consistency: &'static str,
}

/// A route of the service, with what it takes.
#[derive(Debug, Clone, Serialize)]
pub struct RouteListing {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// Its path.
    pub path: String,
    /// What it takes: a JSON body's fields (`{id text}`), query-string
    /// parameters (`?id`), or nothing.
    pub takes: String,
    /// What it does.
    pub summary: String,
}

/// A command and the event it is accepted as.
#[derive(Debug, Clone, Serialize)]
pub struct CommandListing {
    /// As written.
    pub name: String,
    /// Its parameters, as written.
    pub params: Vec<String>,
    /// The event it is accepted as, by its tag (`registered@2` above
    /// version 1).
    pub event: String,
}

/// An event.
#[derive(Debug, Clone, Serialize)]
pub struct EventListing {
    /// Its tag: the name, and `@<version>` above version 1
    /// (`registered@2`), as the action line writes it and events are
    /// serialised.
    pub name: String,
    /// Its fields, as written.
    pub fields: Vec<String>,
}

/// A query.
#[derive(Debug, Clone, Serialize)]
pub struct QueryListing {
    /// As written.
    pub name: String,
    /// Its parameters, as written.
    pub params: Vec<String>,
    /// What it returns, as the spec writes a type.
    pub returns: String,
}

/// The listing of a checked spec.
pub fn list(spec: &Spec) -> Listing {
    let names = |fields: &[super::ir::Field]| fields.iter().map(|f| f.term.clone()).collect();
    Listing {
        spec: spec.file_name.clone(),
        models: spec
            .models
            .iter()
            .map(|model| ModelListing {
                name: model.name.clone(),
                aggregate: model.rust.clone(),
                commands: model
                    .commands
                    .iter()
                    .map(|c| CommandListing {
                        name: c.name.clone(),
                        params: names(&c.params),
                        event: model.event_of(c).tag(),
                    })
                    .collect(),
                events: model
                    .events
                    .iter()
                    .map(|e| EventListing {
                        name: e.tag(),
                        fields: names(&e.fields),
                    })
                    .collect(),
                queries: model
                    .queries
                    .iter()
                    .map(|q| QueryListing {
                        name: q.name.clone(),
                        params: names(&q.params),
                        returns: spec_type(model, &q.returns),
                    })
                    .collect(),
                asks: model.asks.iter().map(|a| a.name.clone()).collect(),
                routes: super::routes::routes(spec)
                    .into_iter()
                    .filter(|r| r.model == model.name)
                    .map(|r| RouteListing {
                        method: r.method.as_str(),
                        takes: takes(model, &r.kind),
                        path: r.path,
                        summary: r.summary,
                    })
                    .collect(),
                policies: model
                    .policies
                    .iter()
                    .map(|p| PolicyListing {
                        name: p.name.clone(),
                        event: model.events[p.event].name.clone(),
                        then: match (&p.then, p.asks(spec)) {
                            (super::ir::Then::Notify { function, .. }, _) => {
                                format!("notify by {function}")
                            }
                            (_, Some((target, command))) => {
                                format!("{} in {}", command.name, target.name)
                            }
                            (_, None) => String::new(),
                        },
                        consistency: if p.strong { "strong" } else { "eventual" },
                    })
                    .collect(),
                streams: match &model.streams {
                    Streams::Whole { .. } => "one for the model".to_string(),
                    Streams::PerEntity { .. } => {
                        let entities: Vec<&str> = model
                            .split_stores()
                            .into_iter()
                            .map(|s| model.store_entity(s).name.as_str())
                            .collect();
                        format!("one per {}", entities.join(", one per "))
                    }
                },
            })
            .collect(),
        service: if spec.models.iter().any(|m| !m.commands.is_empty()) {
            [
                ("/", "console.html", "the console: a page per model"),
                ("/api/openapi.json", "", "the OpenAPI document"),
                ("/metrics", "", "the metrics, in Prometheus's text format"),
            ]
            .into_iter()
            .map(|(path, takes, summary)| RouteListing {
                method: "GET",
                path: path.to_string(),
                takes: takes.to_string(),
                summary: summary.to_string(),
            })
            .collect()
        } else {
            Vec::new()
        },
    }
}

/// What a route takes, in a few characters.
fn takes(model: &super::ir::Model, kind: &super::routes::RouteKind) -> String {
    use super::routes::RouteKind;
    let wire = |fields: &[super::ir::Field]| -> Vec<String> {
        fields.iter().map(|f| f.wire().to_string()).collect()
    };
    match kind {
        RouteKind::Command { command } => {
            format!("{{{}}}", wire(&model.commands[*command].params).join(" "))
        }
        RouteKind::Query { query } => {
            let params = wire(&model.queries[*query].params);
            if params.is_empty() {
                String::new()
            } else {
                format!("?{}", params.join("&"))
            }
        }
        RouteKind::Events => "?after&limit".to_string(),
        RouteKind::Follow => "?after".to_string(),
        RouteKind::Stream => String::new(),
    }
}

/// A type as the spec writes it, entities by their spec names.
fn spec_type(model: &super::ir::Model, ty: &Type) -> String {
    match ty {
        Type::Entity(rust) => model
            .entities
            .iter()
            .find(|e| e.rust == *rust)
            .map_or_else(|| rust.clone(), |e| e.name.clone()),
        Type::List(inner) => format!("list of {}", spec_type(model, inner)),
        Type::Optional(inner) => format!("optional {}", spec_type(model, inner)),
        other => other.spec(),
    }
}

/// The listing for people: per model, its commands with their events, and
/// its queries.
pub fn render(listing: &Listing) -> String {
    let mut out = String::new();
    for model in &listing.models {
        let _ = writeln!(
            out,
            "{} (aggregate `{}`; streams: {})",
            model.name, model.aggregate, model.streams
        );
        if model.commands.is_empty() {
            out.push_str("  no commands\n");
        }
        if !model.asks.is_empty() {
            let _ = writeln!(out, "  asks {}", model.asks.join(", "));
        }
        for command in &model.commands {
            let _ = writeln!(
                out,
                "  command {} [{}] -> event {}",
                command.name,
                command.params.join(" "),
                command.event
            );
        }
        for query in &model.queries {
            let params = if query.params.is_empty() {
                String::new()
            } else {
                format!(" [{}]", query.params.join(" "))
            };
            let _ = writeln!(out, "  query {}{params} -> {}", query.name, query.returns);
        }
        for policy in &model.policies {
            let _ = writeln!(
                out,
                "  policy {}: when {} then {} ({})",
                policy.name, policy.event, policy.then, policy.consistency
            );
        }
        for route in &model.routes {
            let takes = if route.takes.is_empty() {
                String::new()
            } else {
                format!(" {}", route.takes)
            };
            let _ = writeln!(out, "  route {} {}{takes}", route.method, route.path);
        }
    }
    if !listing.service.is_empty() {
        out.push_str("Service (feature `http`)\n");
        for route in &listing.service {
            let file = if route.takes.is_empty() {
                String::new()
            } else {
                format!(" -> {}", route.takes)
            };
            let _ = writeln!(out, "  route {} {}{file}", route.method, route.path);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::source::Source;

    #[test]
    fn lists_every_model_with_its_commands_events_and_queries() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/todos.ddd"))
            .unwrap();
        let (spec, _) = crate::check(&Source::new("todos.ddd", text));
        let listing = super::list(&spec.unwrap());
        let text = super::render(&listing);
        assert!(
            text.starts_with("Todos (aggregate `Todos`; streams: one for the model)\n"),
            "{text}"
        );
        assert!(
            text.contains("  command create-new [id text] -> event created\n"),
            "{text}"
        );
        assert!(
            text.contains("  command clear-done [] -> event done-cleared\n"),
            "{text}"
        );
        assert!(
            text.contains("  query get-todo [id] -> optional Todo\n"),
            "{text}"
        );
        assert!(text.contains("  query open-count -> integer\n"), "{text}");
        assert!(
            text.contains("  route POST /api/todos/commands/create-new {id text}\n"),
            "{text}"
        );
        assert!(
            text.contains("  route GET /api/todos/queries/has-todo ?id\n")
                && text.contains("Service (feature `http`)\n  route GET / -> console.html\n"),
            "{text}"
        );
        let json = serde_json::to_value(&listing).unwrap();
        assert_eq!(json["models"][0]["commands"][0]["event"], "created");
        assert_eq!(json["models"][0]["events"][4]["fields"][0], "ids");
    }

    #[test]
    fn lists_each_policy_with_what_it_does() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/shop.ddd"))
            .unwrap();
        let (spec, _) = crate::check(&Source::new("shop.ddd", text));
        let listing = super::list(&spec.unwrap());
        let text = super::render(&listing);
        for line in [
            "  policy placed-then-charge: when placed then charge in Payments (eventual)\n",
            "  policy placed-then-send-confirmation: when placed then notify by send-confirmation (eventual)\n",
            "  policy marked-paid-then-ship: when marked-paid then ship in Shipping (strong)\n",
        ] {
            assert!(text.contains(line), "{line} in:\n{text}");
        }
        let json = serde_json::to_value(&listing).unwrap();
        assert_eq!(json["models"][1]["policies"][1]["then"], "cancel in Orders");
    }
}
