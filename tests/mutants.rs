//! Accepted means compiles: random mutants of the specs with rules — a
//! comparator, a name, a value, a type, `if` and `unless`, `increases`
//! and `decreases` changed, conditions joined by `and` and `or`, an
//! arithmetic operator changed, a line dropped, a rule line copied under
//! another action — are checked by esgen, and every mutant it accepts is
//! built into a crate that must pass clippy (with every feature: the
//! runtime too) with `-D warnings` and be formatted. Nothing esgen says
//! yes to may leave a type error or a warning for rustc to find.
//!
//! The knobs: `ESGEN_MUTANTS` (accepted mutants to build, 12 by default)
//! and `ESGEN_MUTANT_SEED` (by default `PROPTEST_RNG_SEED` when set, as in
//! CI, else the clock). The figures of a run are printed.

mod common;

use common::steps::{rule_specs, seed, steps, with_scenarios, Figures, Rng};
use esgen::source::Source;
use esgen::syntax::ast;
use std::collections::BTreeSet;

/// Commands run on each mutant, as scenarios the crate must agree with.
const STEPS: usize = 12;

/// The spec without its scenarios (a mutant's rules would mostly fail
/// them, which says nothing of the code generated).
fn without_scenarios(text: &str) -> String {
    let (file, _) = esgen::syntax::parse(&Source::new("spec.ddd", text));
    let line_start = |at: usize| text[..at].rfind('\n').map_or(0, |i| i + 1);
    let mut cut: Vec<(usize, usize)> = Vec::new();
    for (index, model) in file.models.iter().enumerate() {
        let model_end = file
            .models
            .get(index + 1)
            .map_or(text.len(), |next| line_start(next.name.span.start));
        let mut headers: Vec<&ast::SectionHeader> = model.sections.iter().collect();
        headers.sort_by_key(|h| h.span.start);
        for (i, header) in headers.iter().enumerate() {
            if header.kind != ast::SectionKind::Scenarios {
                continue;
            }
            let end = headers
                .get(i + 1)
                .map_or(model_end, |next| line_start(next.span.start));
            cut.push((line_start(header.span.start), end));
        }
    }
    let mut out = text.to_string();
    cut.sort_by_key(|(start, _)| std::cmp::Reverse(*start));
    for (start, end) in cut {
        out.replace_range(start..end, "");
    }
    out
}

/// The words a spec uses as names, to put one in another's place.
fn names(text: &str) -> Vec<String> {
    let (file, _) = esgen::syntax::parse(&Source::new("spec.ddd", text));
    let mut names = BTreeSet::new();
    for model in &file.models {
        names.extend(model.terms.iter().map(|t| t.name.text.clone()));
        for entity in &model.entities {
            names.extend(entity.fields.iter().map(|f| f.text.clone()));
        }
        for action in &model.actions {
            names.extend(action.params.iter().map(|p| p.text.clone()));
            names.extend(action.fields.iter().map(|p| p.text.clone()));
        }
        names.extend(model.queries.iter().map(|q| q.name.text.clone()));
    }
    names.into_iter().collect()
}

const COMPARATORS: [&str; 6] = [
    " is not ",
    " is more than ",
    " is less than ",
    " is at least ",
    " is at most ",
    " is ",
];
const VALUES: [&str; 12] = [
    "0",
    "-1",
    "2.5",
    "9223372036854775807",
    "\"x\"",
    "yes",
    "no",
    "nothing",
    "\"2026-12-01\"",
    "\"2026-12-01T09:00:00Z\"",
    "[]",
    "k1",
];
const TYPES: [&str; 10] = [
    "integer",
    "decimal",
    "number",
    "text",
    "boolean",
    "date",
    "timestamp",
    "list of text",
    "optional integer",
    "optional text",
];

/// Whether a line is a rule line under an action.
fn is_rule(line: &str) -> bool {
    let t = line.trim_start();
    !t.starts_with('-')
        && !t.starts_with('#')
        && line.starts_with("    ")
        && [
            "rejected ",
            "adds ",
            "sets ",
            "increases ",
            "decreases ",
            "removes ",
            "changes ",
        ]
        .iter()
        .any(|k| t.starts_with(k))
        || line.starts_with("    ") && t.split_once(" = ").is_some_and(|(f, _)| !f.contains(' '))
}

/// The condition of a guard (`rejected if <condition>: "…"`) or of a
/// derived query (`… where <condition>`).
fn condition_of(line: &str) -> Option<&str> {
    if let Some(at) = line
        .find("rejected if ")
        .map(|i| i + 12)
        .or_else(|| line.find("rejected unless ").map(|i| i + 16))
    {
        let end = line.rfind(": \"")?;
        return (end > at).then(|| &line[at..end]);
    }
    let at = line.find(" where ")? + 7;
    let end = line.find(" #").unwrap_or(line.len());
    (end > at).then(|| line[at..end].trim_end())
}

/// One random change to the spec's lines; `None` when the one drawn did
/// not apply.
fn mutate(rng: &mut Rng, lines: &mut Vec<String>, names: &[String]) -> Option<()> {
    let rules: Vec<usize> = (0..lines.len()).filter(|&i| is_rule(&lines[i])).collect();
    let terms: Vec<usize> = (0..lines.len())
        .filter(|&i| {
            let t = lines[i].trim_start();
            t.starts_with("- ") && t.contains(": ") && lines[i].starts_with("  -")
        })
        .collect();
    let queries: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].starts_with("  - ") && lines[i].contains(" = "))
        .collect();
    let with_conditions: Vec<usize> = rules.iter().chain(&queries).copied().collect();
    match rng.below(11) {
        // A comparator for another.
        0 => {
            let at = *rng.pick(&with_conditions)?;
            let line = &lines[at];
            let from = COMPARATORS.iter().find(|c| line.contains(**c))?;
            let to = rng.pick(&COMPARATORS)?;
            lines[at] = line.replacen(from, to, 1);
        }
        // `if` for `unless`.
        1 => {
            let at = *rng.pick(&rules)?;
            let line = &lines[at];
            lines[at] = if line.contains("rejected if ") {
                line.replacen("rejected if ", "rejected unless ", 1)
            } else {
                line.replacen("rejected unless ", "rejected if ", 1)
            };
        }
        // A name in a rule or a definition for another name of the spec.
        2 | 3 => {
            let at = *rng.pick(&with_conditions)?;
            let words: Vec<&str> = lines[at].split(' ').collect();
            let candidates: Vec<usize> = (0..words.len())
                .filter(|&i| {
                    names
                        .iter()
                        .any(|n| words[i].trim_matches(['[', ']', ':']) == n)
                })
                .collect();
            let i = *rng.pick(&candidates)?;
            let word = words[i].trim_matches(['[', ']', ':']);
            let replaced = words[i].replacen(word, rng.pick(names)?, 1);
            let mut words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
            words[i] = replaced;
            lines[at] = words.join(" ");
        }
        // A value for another.
        4 => {
            let at = *rng.pick(&with_conditions)?;
            let line = lines[at].clone();
            let value = rng.pick(&VALUES)?;
            let cut = line.rfind([' '])?;
            let (head, tail) = line.split_at(cut + 1);
            if tail.contains(':') || tail.contains('"') && tail.len() < 2 {
                return None;
            }
            lines[at] = format!("{head}{value}");
        }
        // A term's type for another.
        5 => {
            let at = *rng.pick(&terms)?;
            let line = lines[at].clone();
            let (head, rest) = line.split_once(": ")?;
            let rest_tail = rest.find([',', '#']).map_or("", |i| &rest[i..]);
            lines[at] = format!("{head}: {}{rest_tail}", rng.pick(&TYPES)?);
        }
        // `increases` for `decreases`, or the reverse.
        6 => {
            let at = *rng.pick(&rules)?;
            let line = &lines[at];
            lines[at] = if line.contains("increases ") {
                line.replacen("increases ", "decreases ", 1)
            } else if line.contains("decreases ") {
                line.replacen("decreases ", "increases ", 1)
            } else {
                return None;
            };
        }
        // A condition joined to another by `and` or `or`, maybe negated
        // or grouped.
        8 => {
            let at = *rng.pick(&with_conditions)?;
            let other = condition_of(&lines[*rng.pick(&with_conditions)?])?.to_string();
            let line = lines[at].clone();
            let own = condition_of(&line)?;
            let joined = match rng.below(4) {
                0 => format!("{own} and {other}"),
                1 => format!("{own} or {other}"),
                2 => format!("not ({own}) and {other}"),
                _ => format!("({own} or {other}) and {own}"),
            };
            lines[at] = line.replacen(own, &joined, 1);
        }
        // An arithmetic operator for another.
        9 => {
            let at = *rng.pick(&rules)?;
            let line = &lines[at];
            let from = [" + ", " - ", " * ", " / "]
                .into_iter()
                .find(|op| line.contains(op))?;
            lines[at] = line.replacen(from, rng.pick(&[" + ", " - ", " * ", " / "])?, 1);
        }
        // A rule line dropped.
        7 => {
            let at = *rng.pick(&rules)?;
            lines.remove(at);
        }
        // A rule line copied under another action.
        _ => {
            let from = *rng.pick(&rules)?;
            let actions: Vec<usize> = (0..lines.len())
                .filter(|&i| lines[i].starts_with("  - ") && lines[i].contains(" accepted as "))
                .collect();
            let to = *rng.pick(&actions)?;
            let copy = lines[from].clone();
            lines.insert(to + 1, copy);
        }
    }
    Some(())
}

#[test]
fn every_mutant_esgen_accepts_builds_clippy_clean() {
    let wanted: usize = std::env::var("ESGEN_MUTANTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12);
    let seed = seed("ESGEN_MUTANT_SEED");
    let mut rng = Rng(seed);
    let bases: Vec<(String, String, Vec<String>)> = rule_specs()
        .into_iter()
        .map(|(name, text)| {
            let text = without_scenarios(&text);
            let names = names(&text);
            (name, text, names)
        })
        .collect();
    let mut seen = BTreeSet::new();
    let mut accepted: Vec<(String, String)> = Vec::new();
    let mut tried = 0;
    while accepted.len() < wanted && tried < wanted * 400 {
        tried += 1;
        let Some((name, text, names)) = rng.pick(&bases) else {
            break;
        };
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let changes = 1 + rng.below(3);
        let mut applied = 0;
        for _ in 0..changes {
            // A draw that does not apply (no such line) is skipped.
            let mut copy = lines.clone();
            if mutate(&mut rng, &mut copy, names).is_some() {
                lines = copy;
                applied += 1;
            }
        }
        let mutant = lines.join("\n") + "\n";
        if applied == 0 || mutant == *text || !seen.insert(mutant.clone()) {
            continue;
        }
        let source = Source::new(format!("{name}.ddd"), mutant.as_str());
        let (spec, _, _) = esgen::check_rules(&source, None);
        if spec.is_some() {
            accepted.push((format!("mutant-{}-{name}", accepted.len()), mutant));
        }
    }
    println!(
        "seed {seed}: {tried} mutants tried, {} accepted by esgen",
        accepted.len()
    );
    assert!(
        accepted.len() * 2 >= wanted,
        "seed {seed}: only {} accepted mutants in {tried} tries",
        accepted.len()
    );
    let tmp = tempfile::tempdir().unwrap();
    let workspace = tmp.path();
    // Each mutant is also a random spec for the differential test: random
    // commands through the evaluator, its answers as scenarios.
    let mut figures = Figures::default();
    for (krate, mutant) in &mut accepted {
        let source = Source::new(format!("{krate}.ddd"), mutant.as_str());
        let (spec, _, found) = esgen::check_rules(&source, None);
        let spec =
            spec.unwrap_or_else(|| panic!("{}", esgen::diagnostics::render(&source, &found)));
        let added = steps(&spec, &mut rng, STEPS, &mut figures);
        *mutant = with_scenarios(mutant, &format!("{krate}.ddd"), &added);
    }
    for (krate, mutant) in &accepted {
        let source = Source::new(format!("{krate}.ddd"), mutant.as_str());
        let (report, found) = esgen::build(&source, &workspace.join(krate));
        assert!(
            report.is_some(),
            "{krate}: checked, then not built:\n{}\n{mutant}",
            esgen::diagnostics::render(&source, &found)
        );
    }
    let members: Vec<&str> = accepted.iter().map(|(k, _)| k.as_str()).collect();
    common::make_workspace(workspace, &members);
    for features in [None, Some("--all-features")] {
        let mut cargo = common::cargo_in(workspace);
        cargo.args(["clippy", "--workspace", "--all-targets", "--quiet"]);
        cargo.args(features);
        cargo.args(["--", "-D", "warnings"]);
        let output = cargo.output().unwrap();
        if !output.status.success() {
            let said = String::from_utf8_lossy(&output.stderr);
            let culprits: Vec<String> = accepted
                .iter()
                .filter(|(k, _)| {
                    said.contains(&format!("`{k}`")) || said.contains(&format!("{k}/"))
                })
                .map(|(k, m)| format!("--- {k}.ddd ---\n{m}"))
                .collect();
            panic!(
                "seed {seed}: a mutant esgen accepted does not pass clippy {}:\n{said}\n{}",
                features.unwrap_or(""),
                culprits.join("\n")
            );
        }
    }
    // And the crates answer every step as the evaluator did.
    let output = common::cargo_in(workspace)
        .args(["test", "--workspace", "--test", "scenarios", "--quiet"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "seed {seed}: a mutant's crate and the evaluator disagree:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    for (krate, mutant) in &accepted {
        let lib = workspace.join(krate).join("src/lib.rs");
        let output = std::process::Command::new("rustfmt")
            .args(["--check", "--edition", "2021"])
            .arg(&lib)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "seed {seed}: {krate} is not formatted:\n{}\n{mutant}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
    println!(
        "seed {seed}: {} accepted mutants built clippy-clean, with and without features, and formatted; {} commands ({} accepted) and {} comparisons agree with the evaluator",
        accepted.len(),
        figures.commands,
        figures.accepted,
        figures.comparisons
    );
}
