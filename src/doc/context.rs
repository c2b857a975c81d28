//! The context map: the models of a spec, and what each asks of the
//! others (`<query> [args] in <Model>`) and of services outside the spec
//! (`<query> [args] from <Service>`), as a Mermaid flowchart and as
//! sentences.

use super::words::and_list;
use crate::model::ir::{Expr, Model, Spec};
use std::fmt::Write as _;

/// One model asking another, or a service: which queries, by which
/// actions.
struct Asking {
    /// The model that asks: an index into [`Spec::models`].
    from: usize,
    /// Whom it asks.
    to: Whom,
    /// The queries asked, each once, in the order first asked: its name
    /// and its parameters, as the spec writes them.
    queries: Vec<(String, Vec<String>)>,
    /// The actions whose rules ask, in spec order.
    actions: Vec<String>,
}

#[derive(Clone, PartialEq, Eq)]
enum Whom {
    /// Another model of the spec: an index into [`Spec::models`].
    Model(usize),
    /// A service outside the spec, by name.
    Service(String),
}

/// Who asks whom, and what, in model order.
fn askings(spec: &Spec) -> Vec<Asking> {
    let mut found: Vec<Asking> = Vec::new();
    for (from, model) in spec.models.iter().enumerate() {
        for command in &model.commands {
            let mut asked: Vec<(Whom, String, Vec<String>)> = Vec::new();
            command.visit(&mut |e| {
                if let Some(one) = asked_by(spec, model, e) {
                    asked.push(one);
                }
            });
            for (to, query, params) in asked {
                let at = match found.iter().position(|a| a.from == from && a.to == to) {
                    Some(at) => at,
                    None => {
                        found.push(Asking {
                            from,
                            to,
                            queries: Vec::new(),
                            actions: Vec::new(),
                        });
                        found.len() - 1
                    }
                };
                let asking = &mut found[at];
                if !asking.queries.iter().any(|(q, _)| *q == query) {
                    asking.queries.push((query, params));
                }
                if !asking.actions.contains(&command.name) {
                    asking.actions.push(command.name.clone());
                }
            }
        }
    }
    found
}

/// Whom an expression asks, and which query with which parameters.
fn asked_by(spec: &Spec, model: &Model, expr: &Expr) -> Option<(Whom, String, Vec<String>)> {
    match expr {
        Expr::Asked { ask, method, .. } => {
            let ask = model.asks.get(*ask)?;
            let (index, other) = spec
                .models
                .iter()
                .enumerate()
                .find(|(_, m)| m.name == ask.name)?;
            let query = other.queries.iter().find(|q| q.method == *method);
            let (name, params) = query.map_or_else(
                || (method.replace('_', "-"), Vec::new()),
                |q| {
                    (
                        q.name.clone(),
                        q.params.iter().map(|p| p.term.clone()).collect(),
                    )
                },
            );
            Some((Whom::Model(index), name, params))
        }
        Expr::Served { service, query, .. } => {
            let service = model.services.get(*service)?;
            let query = service.queries.get(*query)?;
            Some((
                Whom::Service(service.name.clone()),
                query.name.clone(),
                query.params.iter().map(|p| p.term.clone()).collect(),
            ))
        }
        _ => None,
    }
}

/// The entities of other models a model names by their ids: (the model
/// naming, the model holding the entity, the entity's name, the terms
/// that name it), in model order, each pair once.
fn references(spec: &Spec) -> Vec<(usize, usize, String, Vec<String>)> {
    let mut found: Vec<(usize, usize, String, Vec<String>)> = Vec::new();
    for (from, model) in spec.models.iter().enumerate() {
        let fields = model
            .entities
            .iter()
            .flat_map(|e| &e.fields)
            .chain(model.commands.iter().flat_map(|c| &c.params))
            .chain(model.events.iter().flat_map(|e| &e.fields));
        for field in fields {
            let mut ids = Vec::new();
            field.ty.identities(&mut ids);
            for of in ids {
                if model.entities.iter().any(|e| e.rust == of) {
                    continue;
                }
                let Some((to, entity)) =
                    spec.models.iter().enumerate().find_map(|(i, m)| {
                        m.entities.iter().find(|e| e.rust == of).map(|e| (i, e))
                    })
                else {
                    continue;
                };
                match found
                    .iter_mut()
                    .find(|r| r.0 == from && r.1 == to && r.2 == entity.name)
                {
                    Some(r) if !r.3.contains(&field.term) => r.3.push(field.term.clone()),
                    Some(_) => {}
                    None => found.push((from, to, entity.name.clone(), vec![field.term.clone()])),
                }
            }
        }
    }
    found
}

/// The services outside the spec any model asks, each once, in the order
/// first asked.
fn services(spec: &Spec) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for service in spec.models.iter().flat_map(|m| &m.services) {
        if !names.contains(&service.name) {
            names.push(service.name.clone());
        }
    }
    names
}

/// The section: `## How the models work together`, a Mermaid flowchart
/// (when there is more than one box to draw) and a sentence per model.
pub fn section(md: &mut String, spec: &Spec) {
    let askings = askings(spec);
    let references = references(spec);
    let services = services(spec);
    md.push_str("## How the models work together\n\n");
    let names: Vec<String> = spec
        .models
        .iter()
        .map(|m| format!("**{}**", m.name))
        .collect();
    let _ = writeln!(
        md,
        "The spec has {}: {}.{}\n",
        super::words::count(spec.models.len(), "model", "models"),
        and_list(&names),
        if services.is_empty() {
            String::new()
        } else {
            let outside: Vec<String> = services.iter().map(|s| format!("**{s}**")).collect();
            format!(
                " It asks {} outside the spec: {}.",
                if services.len() == 1 {
                    "one service"
                } else {
                    "services"
                },
                and_list(&outside)
            )
        }
    );
    if spec.models.len() + services.len() > 1 {
        let _ = writeln!(
            md,
            "```mermaid\n{}```\n",
            mermaid(spec, &askings, &references, &services)
        );
    }
    for (index, model) in spec.models.iter().enumerate() {
        let mine: Vec<&Asking> = askings.iter().filter(|a| a.from == index).collect();
        let asked_by: Vec<String> = askings
            .iter()
            .filter(|a| a.to == Whom::Model(index))
            .map(|a| format!("**{}**", spec.models[a.from].name))
            .collect();
        let mut said = Vec::new();
        if mine.is_empty() {
            said.push(if spec.models.len() > 1 {
                "asks nothing of the others".to_string()
            } else {
                "asks nothing outside itself".to_string()
            });
        }
        for asking in &mine {
            let whom = match &asking.to {
                Whom::Model(to) => format!("**{}**", spec.models[*to].name),
                Whom::Service(name) => format!("**{name}**, outside the spec,"),
            };
            let queries: Vec<String> = asking
                .queries
                .iter()
                .map(|(q, params)| {
                    if params.is_empty() {
                        format!("`{q}`")
                    } else {
                        format!("`{q} [{}]`", params.join(" "))
                    }
                })
                .collect();
            let actions: Vec<String> = asking.actions.iter().map(|a| format!("**{a}**")).collect();
            said.push(format!(
                "asks {whom} {} to decide {}",
                and_list(&queries),
                and_list(&actions)
            ));
        }
        let sends: Vec<String> = model
            .policies
            .iter()
            .filter_map(|policy| {
                let (target, command) = policy.asks(spec)?;
                (target.name != model.name).then(|| {
                    format!(
                        "asks **{}** to **{}** when `{}` is recorded",
                        target.name, command.name, model.events[policy.event].name
                    )
                })
            })
            .collect();
        if !sends.is_empty() && mine.is_empty() && spec.models.len() > 1 {
            said.clear();
            said.push("asks nothing of the others to decide".to_string());
        }
        said.extend(sends);
        let mut sentence = format!("- **{}** {}", model.name, and_list(&said));
        if !asked_by.is_empty() {
            let _ = write!(sentence, "; {} asks it", and_list(&asked_by));
        }
        let named: Vec<String> = references
            .iter()
            .filter(|r| r.0 == index)
            .map(|(_, to, entity, terms)| {
                let terms: Vec<String> = terms.iter().map(|t| format!("`{t}`")).collect();
                format!(
                    "{} of **{}** (by {})",
                    super::words::article(entity),
                    spec.models[*to].name,
                    and_list(&terms)
                )
            })
            .collect();
        if !named.is_empty() {
            let _ = write!(sentence, "; it refers to {}", and_list(&named));
        }
        let _ = writeln!(md, "{sentence}.");
    }
    md.push('\n');
}

/// The context map in Mermaid: a box per model, a rounded box per service
/// outside the spec, an arrow from the asking model labelled with the
/// queries it asks, a dotted one to a model whose entities it refers to.
fn mermaid(
    spec: &Spec,
    askings: &[Asking],
    references: &[(usize, usize, String, Vec<String>)],
    services: &[String],
) -> String {
    let mut out = String::from("flowchart LR\n");
    for (i, model) in spec.models.iter().enumerate() {
        let _ = writeln!(out, "  m{i}[\"{}\"]", label(&model.name));
    }
    for (i, service) in services.iter().enumerate() {
        let _ = writeln!(out, "  x{i}([\"{}<br/>outside the spec\"])", label(service));
    }
    for asking in askings {
        let to = match &asking.to {
            Whom::Model(to) => format!("m{to}"),
            Whom::Service(name) => format!(
                "x{}",
                services.iter().position(|s| s == name).unwrap_or_default()
            ),
        };
        let queries: Vec<&str> = asking.queries.iter().map(|(q, _)| q.as_str()).collect();
        let _ = writeln!(
            out,
            "  m{} -->|\"{}\"| {to}",
            asking.from,
            label(&queries.join(", "))
        );
    }
    for (from, to, entity, _) in references {
        let _ = writeln!(out, "  m{from} -.->|\"refers to {}\"| m{to}", label(entity));
    }
    // A policy's arrow: from the model whose event sets it off to the
    // model it asks, labelled `<event> → <action>`.
    for (from, model) in spec.models.iter().enumerate() {
        for policy in &model.policies {
            let Some((target, command)) = policy.asks(spec) else {
                continue;
            };
            let Some(to) = spec.models.iter().position(|m| m.name == target.name) else {
                continue;
            };
            if to == from {
                continue;
            }
            let _ = writeln!(
                out,
                "  m{from} ==>|\"{} → {}\"| m{to}",
                label(&model.events[policy.event].name),
                label(&command.name)
            );
        }
    }
    out.push_str("  classDef model fill:#dbeafe,stroke:#2563eb\n");
    let models: Vec<String> = (0..spec.models.len()).map(|i| format!("m{i}")).collect();
    let _ = writeln!(out, "  class {} model", models.join(","));
    if !services.is_empty() {
        out.push_str("  classDef service fill:#f1f5f9,stroke:#64748b,stroke-dasharray:4 3\n");
        let ids: Vec<String> = (0..services.len()).map(|i| format!("x{i}")).collect();
        let _ = writeln!(out, "  class {} service", ids.join(","));
    }
    out
}

/// Text inside a Mermaid label's quotes.
fn label(text: &str) -> String {
    text.replace('"', "#quot;")
}
