//! A model's event-model diagram: its commands, the events they are
//! accepted as, the entities those events change, and the queries that
//! read them — four columns, left to right, joined by arrows — and under
//! the events, what happens next: each policy, an arrow from its event.
//! Drawn as an SVG esgen lays out itself, and written as Mermaid for
//! Markdown viewers.

use super::words::Words;
use crate::model::ir::{Derived, Effect, Model, Spec};
use std::fmt::Write as _;

/// A box of the diagram.
struct Node {
    label: String,
    detail: String,
}

/// An arrow: (from column, from row, to column, to row).
type Edge = (usize, usize, usize, usize);

/// The diagram's content, layout aside.
struct Graph {
    columns: [Vec<Node>; 4],
    edges: Vec<Edge>,
    /// The policies, under the events: each with its event's row.
    next: Vec<(Node, usize)>,
}

/// What happens next: a policy's box is this colour.
const NEXT_FILL: &str = "#fef9c3";
const NEXT_STROKE: &str = "#ca8a04";

const TITLES: [&str; 4] = ["Commands", "Events", "State", "Queries"];
const FILLS: [&str; 4] = ["#dbeafe", "#ffedd5", "#dcfce7", "#f3e8ff"];
const STROKES: [&str; 4] = ["#2563eb", "#ea580c", "#16a34a", "#9333ea"];

fn graph(spec: &Spec, model: &Model) -> Graph {
    let words = Words::new(spec, model);
    let commands = model
        .commands
        .iter()
        .map(|c| Node {
            label: c.name.clone(),
            detail: bracket(c.params.iter().map(|f| f.term.as_str())),
        })
        .collect();
    let events = model
        .events
        .iter()
        .map(|e| Node {
            label: e.name.clone(),
            detail: bracket(e.fields.iter().map(|f| f.term.as_str())),
        })
        .collect();
    let stores = model.state.clone().unwrap_or_default();
    let state = stores
        .iter()
        .map(|s| {
            let entity = &model.entities[s.entity];
            Node {
                label: entity.name.clone(),
                detail: bracket(entity.fields.iter().map(|f| f.term.as_str())),
            }
        })
        .collect();
    let queries = model
        .queries
        .iter()
        .map(|q| Node {
            label: q.name.clone(),
            detail: format!("→ {}", words.answer(q).replace('`', "")),
        })
        .collect();
    let mut edges = Vec::new();
    for (i, command) in model.commands.iter().enumerate() {
        edges.push((0, i, 1, command.event));
    }
    for (i, event) in model.events.iter().enumerate() {
        let mut touched = Vec::new();
        for effect in event.effects.iter().flatten() {
            let effect = match effect {
                Effect::When { then, .. } => then,
                plain => plain,
            };
            let store = match effect {
                Effect::Adds { store, .. }
                | Effect::Sets { store, .. }
                | Effect::Changes { store, .. }
                | Effect::Removes { store, .. }
                | Effect::RemovesEach { store, .. } => *store,
                // The model's own record is not an entity of the diagram.
                Effect::SetsOwn { .. } | Effect::ChangesOwn { .. } | Effect::When { .. } => {
                    continue
                }
            };
            if !touched.contains(&store) {
                touched.push(store);
                edges.push((1, i, 2, store));
            }
        }
    }
    for (i, query) in model.queries.iter().enumerate() {
        let Some(store) = query.derived.as_ref().map(Derived::store) else {
            continue;
        };
        edges.push((2, store, 3, i));
    }
    let next = model
        .policies
        .iter()
        .map(|policy| {
            let then = match (&policy.then, policy.asks(spec)) {
                (crate::model::ir::Then::Notify { function, .. }, _) => {
                    format!("notify by {function}")
                }
                (_, Some((target, command))) if target.name == model.name => command.name.clone(),
                (_, Some((target, command))) => format!("{} in {}", command.name, target.name),
                (_, None) => String::new(),
            };
            let detail = match (&policy.only_if, policy.strong) {
                (Some(_), true) => "only if …, strong",
                (Some(_), false) => "only if …",
                (None, true) => "strong",
                (None, false) => "eventual",
            };
            (
                Node {
                    label: format!("→ {then}"),
                    detail: detail.to_string(),
                },
                policy.event,
            )
        })
        .collect();
    Graph {
        columns: [commands, events, state, queries],
        edges,
        next,
    }
}

fn bracket<'a>(names: impl Iterator<Item = &'a str>) -> String {
    format!("[{}]", names.collect::<Vec<_>>().join(" "))
}

/// Text widths in the diagram's font, estimated per character.
pub(super) fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.58
}

pub(super) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Layout constants, in pixels.
const MARGIN: f64 = 24.0;
const GAP_X: f64 = 80.0;
const BOX_H: f64 = 44.0;
const GAP_Y: f64 = 14.0;
const TOP: f64 = 84.0;
const MAX_LABEL: usize = 38;

pub(super) fn shorten(text: &str) -> String {
    if text.chars().count() <= MAX_LABEL {
        text.to_string()
    } else {
        let cut: String = text.chars().take(MAX_LABEL - 1).collect();
        format!("{cut}…")
    }
}

/// The model's diagram as an SVG document.
pub fn svg(spec: &Spec, model: &Model) -> String {
    let graph = graph(spec, model);
    let widths: Vec<f64> = graph
        .columns
        .iter()
        .enumerate()
        .map(|(c, nodes)| {
            nodes
                .iter()
                .map(|n| {
                    text_width(&shorten(&n.label), 14.0).max(text_width(&shorten(&n.detail), 11.0))
                })
                .chain(graph.next.iter().filter(|_| c == 1).map(|(n, _)| {
                    text_width(&shorten(&n.label), 14.0).max(text_width(&shorten(&n.detail), 11.0))
                }))
                .fold(text_width(TITLES[c], 15.0), f64::max)
                + 28.0
        })
        .collect();
    let mut xs = [MARGIN; 4];
    for c in 1..4 {
        xs[c] = xs[c - 1] + widths[c - 1] + GAP_X;
    }
    // The events' column holds the policies too, under a title of their
    // own.
    let tall = |c: usize| {
        let n = graph.columns[c].len();
        if c == 1 && !graph.next.is_empty() {
            n + 1 + graph.next.len()
        } else {
            n
        }
    };
    let rows = (0..4).map(tall).max().unwrap_or(0).max(1);
    let height = TOP + rows as f64 * (BOX_H + GAP_Y) + MARGIN;
    // Each column centred on the tallest.
    let offset = |c: usize| {
        let n = tall(c) as f64;
        (rows as f64 - n) * (BOX_H + GAP_Y) / 2.0
    };
    let y = |c: usize, r: usize| TOP + offset(c) + r as f64 * (BOX_H + GAP_Y);
    let width = xs[3] + widths[3] + MARGIN;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" font-family=\"Helvetica, Arial, sans-serif\">"
    );
    let _ = writeln!(
        out,
        "  <title>{}: commands, events, state and queries</title>",
        escape(&model.name)
    );
    let _ = writeln!(
        out,
        "  <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#64748b\"/></marker></defs>"
    );
    let _ = writeln!(
        out,
        "  <rect width=\"{width:.0}\" height=\"{height:.0}\" fill=\"#ffffff\"/>"
    );
    let _ = writeln!(
        out,
        "  <text x=\"{MARGIN}\" y=\"34\" font-size=\"20\" font-weight=\"bold\" fill=\"#0f172a\">{}</text>",
        escape(&model.name)
    );
    for c in 0..4 {
        let _ = writeln!(
            out,
            "  <text x=\"{:.1}\" y=\"66\" font-size=\"15\" font-weight=\"bold\" fill=\"{}\">{}</text>",
            xs[c],
            STROKES[c],
            TITLES[c]
        );
    }
    // Where an edge meets a box: spread over its side when several do.
    let spread = |column: usize, row: usize, nth: usize, of: usize| {
        let top = y(column, row);
        if of <= 1 {
            top + BOX_H / 2.0
        } else {
            top + 8.0 + (BOX_H - 16.0) * nth as f64 / (of - 1) as f64
        }
    };
    let ends = |pick: &dyn Fn(&Edge) -> (usize, usize)| {
        graph
            .edges
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let at = pick(e);
                let same: Vec<usize> = graph
                    .edges
                    .iter()
                    .enumerate()
                    .filter(|(_, o)| pick(o) == at)
                    .map(|(j, _)| j)
                    .collect();
                (same.iter().position(|j| *j == i).unwrap_or(0), same.len())
            })
            .collect::<Vec<_>>()
    };
    let starts = ends(&|e| (e.0, e.1));
    let arrivals = ends(&|e| (e.2, e.3));
    // Edges first, under the boxes.
    for (i, &(from_c, from_r, to_c, to_r)) in graph.edges.iter().enumerate() {
        if from_r >= graph.columns[from_c].len() || to_r >= graph.columns[to_c].len() {
            continue;
        }
        let x1 = xs[from_c] + widths[from_c];
        let y1 = spread(from_c, from_r, starts[i].0, starts[i].1);
        let x2 = xs[to_c] - 2.0;
        let y2 = spread(to_c, to_r, arrivals[i].0, arrivals[i].1);
        let bend = GAP_X / 2.0;
        let _ = writeln!(
            out,
            "  <path d=\"M {x1:.1} {y1:.1} C {:.1} {y1:.1}, {:.1} {y2:.1}, {x2:.1} {y2:.1}\" fill=\"none\" stroke=\"#94a3b8\" stroke-width=\"1.4\" marker-end=\"url(#arrow)\"/>",
            x1 + bend,
            x2 - bend
        );
    }
    // What happens next: under the events, an arrow on the column's left
    // from each event to its policies.
    if !graph.next.is_empty() {
        let first = graph.columns[1].len();
        let _ = writeln!(
            out,
            "  <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\" font-weight=\"bold\" fill=\"{NEXT_STROKE}\">What happens next</text>",
            xs[1],
            y(1, first) + BOX_H / 2.0 + 5.0
        );
        for (i, (node, event)) in graph.next.iter().enumerate() {
            let (x, top) = (xs[1], y(1, first + 1 + i));
            // From the event's lower left, apart from the arrows that
            // arrive from its commands.
            let y1 = y(1, *event) + BOX_H - 8.0;
            let y2 = top + BOX_H / 2.0;
            let bend = 28.0 + 6.0 * i as f64;
            let _ = writeln!(
                out,
                "  <path d=\"M {x:.1} {y1:.1} C {:.1} {y1:.1}, {:.1} {y2:.1}, {:.1} {y2:.1}\" fill=\"none\" stroke=\"{NEXT_STROKE}\" stroke-width=\"1.4\" stroke-dasharray=\"4 3\" marker-end=\"url(#arrow)\"/>",
                x - bend,
                x - bend,
                x - 2.0
            );
            let _ = writeln!(
                out,
                "  <g><rect x=\"{x:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{BOX_H}\" rx=\"6\" fill=\"{NEXT_FILL}\" stroke=\"{NEXT_STROKE}\" stroke-width=\"1.2\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"14\" fill=\"#0f172a\">{}</text><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#475569\">{}</text></g>",
                widths[1],
                x + 12.0,
                top + 19.0,
                escape(&shorten(&node.label)),
                x + 12.0,
                top + 35.0,
                escape(&shorten(&node.detail))
            );
        }
    }
    for (c, nodes) in graph.columns.iter().enumerate() {
        for (r, node) in nodes.iter().enumerate() {
            let (x, top) = (xs[c], y(c, r));
            let _ = writeln!(
                out,
                "  <g><rect x=\"{x:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{BOX_H}\" rx=\"6\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1.2\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"14\" fill=\"#0f172a\">{}</text><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#475569\">{}</text></g>",
                widths[c],
                FILLS[c],
                STROKES[c],
                x + 12.0,
                top + 19.0,
                escape(&shorten(&node.label)),
                x + 12.0,
                top + 35.0,
                escape(&shorten(&node.detail))
            );
        }
    }
    out.push_str("</svg>\n");
    out
}

/// The model's diagram in Mermaid, for Markdown viewers that draw it.
pub fn mermaid(spec: &Spec, model: &Model) -> String {
    let graph = graph(spec, model);
    let prefixes = ["c", "e", "s", "q"];
    let mut out = String::from("flowchart LR\n");
    for (c, nodes) in graph.columns.iter().enumerate() {
        if nodes.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "  subgraph {}[\"{}\"]",
            TITLES[c].to_lowercase(),
            TITLES[c]
        );
        for (r, node) in nodes.iter().enumerate() {
            let label = format!("{}<br/>{}", node.label, node.detail).replace('"', "#quot;");
            let _ = writeln!(out, "    {}{r}[\"{label}\"]", prefixes[c]);
        }
        out.push_str("  end\n");
    }
    if !graph.next.is_empty() {
        out.push_str("  subgraph next[\"What happens next\"]\n");
        for (i, (node, _)) in graph.next.iter().enumerate() {
            let label = format!("{}<br/>{}", node.label, node.detail).replace('"', "#quot;");
            let _ = writeln!(out, "    p{i}[\"{label}\"]");
        }
        out.push_str("  end\n");
    }
    for &(from_c, from_r, to_c, to_r) in &graph.edges {
        let _ = writeln!(
            out,
            "  {}{from_r} --> {}{to_r}",
            prefixes[from_c], prefixes[to_c]
        );
    }
    for (i, (_, event)) in graph.next.iter().enumerate() {
        let _ = writeln!(out, "  e{event} -.-> p{i}");
    }
    let classes = ["command", "event", "state", "query"];
    for (c, prefix) in prefixes.iter().enumerate() {
        let _ = writeln!(
            out,
            "  classDef {} fill:{},stroke:{}",
            classes[c], FILLS[c], STROKES[c]
        );
        let ids: Vec<String> = (0..graph.columns[c].len())
            .map(|r| format!("{prefix}{r}"))
            .collect();
        if !ids.is_empty() {
            let _ = writeln!(out, "  class {} {}", ids.join(","), classes[c]);
        }
    }
    if !graph.next.is_empty() {
        let _ = writeln!(
            out,
            "  classDef policy fill:{NEXT_FILL},stroke:{NEXT_STROKE}"
        );
        let ids: Vec<String> = (0..graph.next.len()).map(|i| format!("p{i}")).collect();
        let _ = writeln!(out, "  class {} policy", ids.join(","));
    }
    out
}
