//! A model's scenarios as the spec writes them, with long runs folded: a
//! scenario given more than [`FOLD_GIVEN`] lines shows them under one
//! `<details>`, and a run of at least [`FOLD_RUN`] like lines (the same
//! event) is folded on its own, each summed up as "given 40 events
//! (picked-up ×40)".

use crate::model::ir::{Reaction, Scenario};
use std::fmt::Write as _;

/// More `given` lines than this, and they are folded together.
pub const FOLD_GIVEN: usize = 8;

/// At least this many like `given` lines in a row are folded.
pub const FOLD_RUN: usize = 5;

/// A piece of a scenario: lines shown, or lines folded.
enum Piece<'a> {
    Shown(Vec<&'a str>),
    Folded(Vec<&'a str>),
}

/// The section `### Scenarios`: the scenarios of commands, then those of
/// what happens next.
pub fn section(md: &mut String, scenarios: &[Scenario], reactions: &[Reaction]) {
    if scenarios.is_empty() && reactions.is_empty() {
        return;
    }
    md.push_str("### Scenarios\n\n");
    for scenario in scenarios {
        let _ = writeln!(md, "- **{}**\n", scenario.title);
        for piece in pieces(scenario) {
            match piece {
                Piece::Shown(lines) => block(md, &lines),
                Piece::Folded(lines) => {
                    let _ = writeln!(
                        md,
                        "  <details><summary>{}</summary>\n",
                        escape(&summary(&lines))
                    );
                    block(md, &lines);
                    md.push_str("  </details>\n\n");
                }
            }
        }
    }
    for reaction in reactions {
        let _ = writeln!(md, "- **{}**\n", reaction.title);
        let lines: Vec<&str> = reaction
            .text
            .lines()
            .skip(1)
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        block(md, &lines);
    }
}

/// Lines in a fenced block, indented under the list item.
fn block(md: &mut String, lines: &[&str]) {
    md.push_str("  ```\n");
    for line in lines {
        let _ = writeln!(md, "  {line}");
    }
    md.push_str("  ```\n\n");
}

/// The scenario's steps, split into what is shown and what is folded.
fn pieces(scenario: &Scenario) -> Vec<Piece<'_>> {
    let lines: Vec<&str> = scenario
        .text
        .lines()
        .skip(1)
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    // The `given` lines: from the first step up to `when`.
    let when = lines
        .iter()
        .position(|l| l.starts_with("when ") || *l == "when")
        .unwrap_or(lines.len());
    let (given, rest) = lines.split_at(when);
    let mut pieces = Vec::new();
    if given.len() > FOLD_GIVEN {
        pieces.push(Piece::Folded(given.to_vec()));
    } else {
        let mut shown: Vec<&str> = Vec::new();
        let mut at = 0;
        while at < given.len() {
            let key = fact(given[at]);
            let run = given[at..]
                .iter()
                .take_while(|l| fact(l) == key && key.is_some())
                .count()
                .max(1);
            if run >= FOLD_RUN {
                if !shown.is_empty() {
                    pieces.push(Piece::Shown(std::mem::take(&mut shown)));
                }
                pieces.push(Piece::Folded(given[at..at + run].to_vec()));
            } else {
                shown.extend(&given[at..at + run]);
            }
            at += run;
        }
        if !shown.is_empty() {
            pieces.push(Piece::Shown(shown));
        }
    }
    match pieces.last_mut() {
        Some(Piece::Shown(shown)) => shown.extend(rest),
        _ if !rest.is_empty() => pieces.push(Piece::Shown(rest.to_vec())),
        _ => {}
    }
    pieces
}

/// What a `given` line gives: its event (with `in <Model>` when it is
/// another model's), or the service that answers; `None` for a line that
/// is neither (a comment).
fn fact(line: &str) -> Option<String> {
    let step = line
        .strip_prefix("given ")
        .or_else(|| line.strip_prefix("and "))?;
    let name = step.split([' ', '[']).next().filter(|n| !n.is_empty())?;
    if step.contains(" answers ") || step.ends_with(" cannot answer") {
        return Some(format!("{name} answers"));
    }
    let other = step
        .rsplit_once("] in ")
        .map(|(_, model)| format!(" in {}", model.trim()))
        .unwrap_or_default();
    Some(format!("{name}{other}"))
}

/// "given 40 events (registered ×1, picked-up ×39)".
fn summary(lines: &[&str]) -> String {
    let mut tally: Vec<(String, usize)> = Vec::new();
    let mut events = 0;
    let mut others = 0;
    for line in lines {
        let Some(key) = fact(line) else {
            others += 1;
            continue;
        };
        if key.ends_with(" answers") {
            others += 1;
        } else {
            events += 1;
        }
        match tally.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => tally.push((key, 1)),
        }
    }
    let counts: Vec<String> = tally.iter().map(|(k, n)| format!("{k} ×{n}")).collect();
    let mut said = format!("given {}", super::words::count(events, "event", "events"));
    if others > 0 {
        let _ = write!(
            said,
            " and {}",
            super::words::count(others, "line", "lines")
        );
    }
    let _ = write!(said, " ({})", counts.join(", "));
    said
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
