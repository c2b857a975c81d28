//! Differential testing of code generation against the reference
//! evaluator (`src/eval/`).
//!
//! For each spec below, random commands — values drawn from small pools
//! per type, so that keys collide, entities are missing, constraints break
//! and sums overflow — are run through the evaluator, step by step. Each
//! step becomes a scenario in the evaluator's words: the events accepted
//! so far as `given` (those of the models it asks as `given … in`), the
//! command as `when`, what the evaluator says it came to as `then` (the
//! event field by field, or the rejection's rule, kind and message), and
//! the answer of every query of the model as `and … is …`. The scenarios
//! are added to the spec, the spec is built into a crate, and the crate's
//! generated tests run them against the generated code: every step the
//! crate answers otherwise fails there. All crates are built in one cargo
//! run, so rustc's cost is paid once.
//!
//! The knobs: `ESGEN_DIFF_STEPS` (commands per spec, 40 by default) and
//! `ESGEN_DIFF_SEED` (a number; by default `PROPTEST_RNG_SEED` when set,
//! as in CI, else the clock). The figures of a run are printed.

mod common;

use common::steps::{rule_specs, seed, steps, with_scenarios, Figures, Rng};
use esgen::source::Source;

#[test]
fn generated_crates_answer_as_the_evaluator_does() {
    let count: usize = std::env::var("ESGEN_DIFF_STEPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let seed = seed("ESGEN_DIFF_SEED");
    let mut rng = Rng(seed);
    let tmp = tempfile::tempdir().unwrap();
    let workspace = tmp.path();
    let mut members = Vec::new();
    let mut total = Figures::default();
    for (name, text) in rule_specs() {
        let source = Source::new(format!("{name}.ddd"), text.as_str());
        let (spec, found) = esgen::check(&source);
        let spec = spec
            .unwrap_or_else(|| panic!("{name}: {}", esgen::diagnostics::render(&source, &found)));
        let mut figures = Figures::default();
        let added = steps(&spec, &mut rng, count, &mut figures);
        let grown = with_scenarios(&text, &format!("{name}.ddd"), &added);
        let crate_name = format!("diff-{name}");
        let source = Source::new(format!("{crate_name}.ddd"), grown.as_str());
        // The evaluator holds its own scenarios (`esgen check` runs them).
        let (report, found) = esgen::build(&source, &workspace.join(&crate_name));
        assert!(
            report.is_some(),
            "seed {seed}: {}",
            esgen::diagnostics::render(&source, &found)
        );
        println!(
            "{name}: {} commands ({} accepted), {} comparisons",
            figures.commands, figures.accepted, figures.comparisons
        );
        total.commands += figures.commands;
        total.accepted += figures.accepted;
        total.comparisons += figures.comparisons;
        members.push(crate_name);
    }
    let members: Vec<&str> = members.iter().map(String::as_str).collect();
    common::make_workspace(workspace, &members);
    let output = common::cargo_in(workspace)
        .args(["test", "--workspace", "--test", "scenarios", "--quiet"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!(
        "seed {seed}: {} specs, {} commands ({} accepted), {} comparisons",
        members.len(),
        total.commands,
        total.accepted,
        total.comparisons
    );
    assert!(
        output.status.success(),
        "seed {seed}: the generated crates and the evaluator disagree (rerun with ESGEN_DIFF_SEED={seed}):\n{stdout}\n{stderr}"
    );
    // Every step ran as a test of its crate (beside the specs' own
    // scenarios).
    let passed: usize = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("test result: ok. "))
        .filter_map(|l| l.split(' ').next()?.parse::<usize>().ok())
        .sum();
    assert!(
        passed >= total.commands,
        "{passed} scenario tests passed, fewer than the {} steps:\n{stdout}",
        total.commands
    );
    assert!(
        total.commands > members.len() * count / 2,
        "too few commands ran"
    );
}
