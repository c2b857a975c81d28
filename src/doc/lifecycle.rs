//! A choice's lifecycle (`moves a -> b -> c | d, d -> c`) as a state
//! diagram: written as Mermaid for Markdown viewers, and drawn as an SVG
//! esgen lays out itself, as `diagram.rs` draws a model.
//!
//! The SVG: a filled dot and an arrow into the state it starts in (the
//! choice's default, else its first value); the states in columns by how
//! many moves they are from the start, each a rounded box with its name,
//! those no move leaves with a double border; a move to the next column
//! an arrow between them; a move back (or within a column) leaves its
//! state to the right, runs in a lane of its own under every box and
//! comes up into its state from the left, so that it crosses the forward
//! arrows but never runs along them.

use super::diagram::{escape, shorten, text_width};
use crate::model::ir::{Choice, Model};
use std::fmt::Write as _;

/// A choice's lifecycle as a Mermaid `stateDiagram`: its first value
/// (or its default) where it starts, each move an arrow.
pub fn mermaid(choice: &Choice) -> String {
    let id = |word: &str| word.replace('-', "_");
    let mut out = String::from("stateDiagram-v2\n");
    for (word, _) in &choice.values {
        if word.contains('-') {
            out.push_str(&format!("  state \"{word}\" as {}\n", id(word)));
        }
    }
    if let Some(start) = start(choice) {
        out.push_str(&format!("  [*] --> {}\n", id(&choice.values[start].0)));
    }
    for (from, to) in &choice.moves {
        out.push_str(&format!("  {} --> {}\n", id(from), id(to)));
    }
    out
}

/// The state a lifecycle starts in: the default, else the first value.
fn start(choice: &Choice) -> Option<usize> {
    choice
        .default
        .filter(|d| *d < choice.values.len())
        .or_else(|| (!choice.values.is_empty()).then_some(0))
}

/// The states in columns: (each state's column, each column's states in
/// the order they were reached). The start's column is 0, each other
/// reachable state one further than the nearest state a move leads to it
/// from; states the start does not reach follow in columns of their own,
/// from the first of them in the order the spec lists them.
fn columns(count: usize, start: usize, moves: &[(usize, usize)]) -> (Vec<usize>, Vec<Vec<usize>>) {
    let mut column: Vec<Option<usize>> = vec![None; count];
    let mut columns: Vec<Vec<usize>> = Vec::new();
    let mut seed = Some(start);
    while let Some(first) = seed {
        let base = columns.len();
        column[first] = Some(base);
        let mut queue = std::collections::VecDeque::from([first]);
        while let Some(state) = queue.pop_front() {
            let at = column[state].unwrap_or(base);
            if columns.len() <= at {
                columns.resize(at + 1, Vec::new());
            }
            columns[at].push(state);
            for &(_, to) in moves.iter().filter(|(from, _)| *from == state) {
                if column[to].is_none() {
                    column[to] = Some(at + 1);
                    queue.push_back(to);
                }
            }
        }
        seed = column.iter().position(Option::is_none);
    }
    (
        column.into_iter().map(Option::unwrap_or_default).collect(),
        columns,
    )
}

/// Layout constants, in pixels.
const MARGIN: f64 = 24.0;
/// Room left of the first column for the start dot and its arrow,
/// besides that of moves back into it.
const LEAD: f64 = 40.0;
const GAP_X: f64 = 84.0;
const BOX_H: f64 = 36.0;
const GAP_Y: f64 = 18.0;
const TOP: f64 = 60.0;
/// From the lowest box to the first lane, and between lanes.
const LANE: f64 = 16.0;
/// From a box's side to the first vertical of a move back, and between
/// such verticals in one gap.
const STEP: f64 = 12.0;
const FILL: &str = "#dcfce7";
const STROKE: &str = "#16a34a";
const INK: &str = "#0f172a";
const LINE: &str = "#94a3b8";

/// Where arrows meet a box's side: spread over it when several do.
fn spread(top: f64, nth: usize, of: usize) -> f64 {
    if of <= 1 {
        top + BOX_H / 2.0
    } else {
        top + 8.0 + (BOX_H - 16.0) * nth as f64 / (of - 1) as f64
    }
}

/// An end of an arrow at a box's side, and what orders it along the side
/// (top to bottom).
struct End {
    key: (u8, f64),
    arrow: Option<usize>,
}

/// The lifecycle of `choice`, a term of `model`, as an SVG document.
pub fn svg(model: &Model, choice: &Choice) -> String {
    let states: Vec<&str> = choice
        .values
        .iter()
        .map(|(word, _)| word.as_str())
        .collect();
    let index = |word: &str| states.iter().position(|s| *s == word);
    // Moves between values of the choice (the checker refuses others).
    let moves: Vec<(usize, usize)> = choice
        .moves
        .iter()
        .filter_map(|(from, to)| Some((index(from)?, index(to)?)))
        .collect();
    let start = start(choice);
    let (column, columns) = match start {
        Some(start) => columns(states.len(), start, &moves),
        None => (Vec::new(), Vec::new()),
    };
    let row = |state: usize| {
        columns[column[state]]
            .iter()
            .position(|s| *s == state)
            .unwrap_or(0)
    };
    let widths: Vec<f64> = columns
        .iter()
        .map(|states_of| {
            states_of
                .iter()
                .map(|s| text_width(&shorten(states[*s]), 14.0))
                .fold(48.0, f64::max)
                + 32.0
        })
        .collect();
    // Moves back (or within a column), each in a lane of its own: the
    // shortest nearest the boxes, so that lanes nest.
    let back: Vec<usize> = {
        let mut back: Vec<usize> = (0..moves.len())
            .filter(|&i| column[moves[i].1] <= column[moves[i].0])
            .collect();
        back.sort_by_key(|&i| (column[moves[i].0] - column[moves[i].1], i));
        back
    };
    // The start dot, then room for the moves back into the first column.
    let lead = LEAD + STEP * back.iter().filter(|&&i| column[moves[i].1] == 0).count() as f64;
    let mut xs = vec![MARGIN + lead; columns.len()];
    for c in 1..columns.len() {
        xs[c] = xs[c - 1] + widths[c - 1] + GAP_X;
    }
    let rows = columns.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let offset = |c: usize| (rows - columns[c].len()) as f64 * (BOX_H + GAP_Y) / 2.0;
    let top = |state: usize| {
        let c = column[state];
        TOP + offset(c) + row(state) as f64 * (BOX_H + GAP_Y)
    };
    let left = |state: usize| xs[column[state]];
    let right = |state: usize| xs[column[state]] + widths[column[state]];
    let bottom = TOP + rows as f64 * (BOX_H + GAP_Y) - GAP_Y;

    let lane_of = |i: usize| back.iter().position(|b| *b == i);
    let lane_y = |lane: usize| bottom + LANE * (lane + 1) as f64;
    // In each gap, the verticals of deeper lanes further out.
    let out_of = |i: usize, at: fn(&(usize, usize)) -> usize| {
        back.iter()
            .filter(|&&b| column[at(&moves[b])] == column[at(&moves[i])])
            .position(|b| *b == i)
            .unwrap_or(0)
    };
    let down_x = |i: usize| right(moves[i].0) + STEP * (out_of(i, |m| m.0) + 1) as f64;
    let up_x = |i: usize| left(moves[i].1) - STEP * (out_of(i, |m| m.1) + 1) as f64;

    // The ends of arrows on each box's sides. Left: the start arrow, then
    // forward moves by where they come from, then moves back, deeper
    // lanes higher. Right: forward moves by where they go, then moves
    // back, deeper lanes higher.
    let mut lefts: Vec<Vec<End>> = (0..states.len()).map(|_| Vec::new()).collect();
    let mut rights: Vec<Vec<End>> = (0..states.len()).map(|_| Vec::new()).collect();
    if let Some(start) = start {
        lefts[start].push(End {
            key: (0, 0.0),
            arrow: None,
        });
    }
    for (i, &(from, to)) in moves.iter().enumerate() {
        let (left_key, right_key) = match lane_of(i) {
            Some(lane) => ((2, -(lane as f64)), (2, -(lane as f64))),
            None => ((1, top(from)), (1, top(to))),
        };
        lefts[to].push(End {
            key: left_key,
            arrow: Some(i),
        });
        rights[from].push(End {
            key: right_key,
            arrow: Some(i),
        });
    }
    let place = |ends: &mut Vec<End>| {
        ends.sort_by(|a, b| {
            a.key
                .0
                .cmp(&b.key.0)
                .then(a.key.1.total_cmp(&b.key.1))
                .then(a.arrow.cmp(&b.arrow))
        });
    };
    lefts.iter_mut().for_each(place);
    rights.iter_mut().for_each(place);
    let at = |ends: &[End], state: usize, arrow: Option<usize>| {
        let nth = ends.iter().position(|e| e.arrow == arrow).unwrap_or(0);
        spread(top(state), nth, ends.len())
    };

    let width = back.iter().map(|&i| down_x(i)).fold(
        xs.last()
            .zip(widths.last())
            .map_or(MARGIN + lead, |(x, w)| x + w),
        f64::max,
    ) + MARGIN;
    let title = format!("{}: the life of {}", model.name, choice.term);
    let width = width.max(MARGIN * 2.0 + text_width(&title, 20.0));
    let height = back.len().checked_sub(1).map_or(bottom, lane_y) + MARGIN;

    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" font-family=\"Helvetica, Arial, sans-serif\">"
    );
    let _ = writeln!(
        out,
        "  <title>{}: the states of {} and the moves between them</title>",
        escape(&model.name),
        escape(&choice.term)
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
        "  <text x=\"{MARGIN}\" y=\"34\" font-size=\"20\" font-weight=\"bold\" fill=\"{INK}\">{}</text>",
        escape(&title)
    );
    // Arrows first, under the boxes.
    if let Some(start) = start {
        let y = at(&lefts[start], start, None);
        let dot = MARGIN + 7.0;
        let _ = writeln!(
            out,
            "  <circle class=\"start\" cx=\"{dot:.1}\" cy=\"{y:.1}\" r=\"7\" fill=\"{INK}\"/>"
        );
        let _ = writeln!(
            out,
            "  <path class=\"start\" d=\"M {:.1} {y:.1} L {:.1} {y:.1}\" fill=\"none\" stroke=\"{LINE}\" stroke-width=\"1.4\" marker-end=\"url(#arrow)\"/>",
            dot + 7.0,
            left(start) - 2.0
        );
    }
    for (i, &(from, to)) in moves.iter().enumerate() {
        let x1 = right(from);
        let y1 = at(&rights[from], from, Some(i));
        let x2 = left(to) - 2.0;
        let y2 = at(&lefts[to], to, Some(i));
        let d = match lane_of(i) {
            None => {
                let bend = GAP_X / 2.0;
                format!(
                    "M {x1:.1} {y1:.1} C {:.1} {y1:.1}, {:.1} {y2:.1}, {x2:.1} {y2:.1}",
                    x1 + bend,
                    x2 - bend
                )
            }
            // Right, down to its lane, along it, up, and right into the
            // state: corners rounded.
            Some(lane) => {
                let (down, up, low) = (down_x(i), up_x(i), lane_y(lane));
                let r = 6.0;
                format!(
                    "M {x1:.1} {y1:.1} L {:.1} {y1:.1} Q {down:.1} {y1:.1} {down:.1} {:.1} L {down:.1} {:.1} Q {down:.1} {low:.1} {:.1} {low:.1} L {:.1} {low:.1} Q {up:.1} {low:.1} {up:.1} {:.1} L {up:.1} {:.1} Q {up:.1} {y2:.1} {:.1} {y2:.1} L {x2:.1} {y2:.1}",
                    down - r,
                    y1 + r,
                    low - r,
                    down - r,
                    up + r,
                    low - r,
                    y2 + r,
                    up + r
                )
            }
        };
        let class = if lane_of(i).is_some() {
            "move back"
        } else {
            "move"
        };
        let _ = writeln!(
            out,
            "  <path class=\"{class}\" d=\"{d}\" fill=\"none\" stroke=\"{LINE}\" stroke-width=\"1.4\" marker-end=\"url(#arrow)\"><title>{} → {}</title></path>",
            escape(states[from]),
            escape(states[to])
        );
    }
    for states_of in &columns {
        for &state in states_of {
            let (x, y, w) = (left(state), top(state), widths[column[state]]);
            let last = !moves.iter().any(|(from, _)| *from == state);
            let inner = if last {
                format!(
                    "<rect class=\"final\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"5\" fill=\"none\" stroke=\"{STROKE}\" stroke-width=\"1.2\"/>",
                    x + 3.5,
                    y + 3.5,
                    w - 7.0,
                    BOX_H - 7.0
                )
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "  <g><rect class=\"state\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{BOX_H}\" rx=\"8\" fill=\"{FILL}\" stroke=\"{STROKE}\" stroke-width=\"1.2\"/>{inner}<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"14\" text-anchor=\"middle\" fill=\"{INK}\">{}</text></g>",
                x + w / 2.0,
                y + 23.0,
                escape(&shorten(states[state]))
            );
        }
    }
    out.push_str("</svg>\n");
    out
}
