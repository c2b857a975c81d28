//! Specs written to the language but never seen by the snapshots — several
//! models, shared identities, keywords as names, `number` fields, CRLF and
//! tabs, comments full of code-like text, very long names — build into
//! crates that compile with zero warnings, pass clippy and are formatted; so
//! do keywords as model and entity names, and models without queries or
//! actions.
//!
//! The crates are built together in one temporary workspace, with the
//! repository's lock file and a target directory kept under `target/`, so
//! the dependencies compile once.

mod common;

use std::path::Path;
use std::process::Command;

const KEYWORDS_AND_NUMBERS: &str = "\
# A shipping line. Keywords as names: `type`, `move`, `match`, `return`, `loop`.
Model: Shipping

Entity: Vessel [vessel-id name type tonnage crew-count]

Terms:
  - name: text
  - type: text                # `type` becomes r#type
  - tonnage: number           # no Eq or Hash for what holds this
  - crew-count: integer
  - match: optional text      # \"*/\" and {{ braces }} and {% tags %} and \\ backslashes
  - route: list of port-id

Queries:
  - find-vessel [vessel-id]
  - vessels-at [port-id] returns list of Vessel
  - heaviest returns optional Vessel
  - total-tonnage returns number
  - vessel-count
  - in-port? [vessel-id port-id]

Actions:
  - register [vessel-id name type tonnage crew-count] accepted as registered [vessel-id name type tonnage crew-count]
  - move [vessel-id port-id] accepted as moved [vessel-id port-id]
  - plan [vessel-id route] accepted as planned [vessel-id route]
  - loop [vessel-id] accepted as looped [vessel-id]
  - return [vessel-id] accepted as returned [vessel-id]
  - scrap [vessel-id] accepted as scrapped [vessel-id]

Model: Ports

Entity: Port [port-id name berths]

Terms:
  - berths: integer
  - name: text

Queries:
  - get-port [port-id]
  - all-ports

Actions:
  - open [port-id name berths] accepted as opened [port-id name berths]
  - close [port-id] accepted as closed [port-id]
";

const LONG_NAMES_WITH_TABS_AND_CRLF: &str = "# Names long enough that rustfmt would break the lines.\r
Model:\tMunicipal-Permit-Application-Processing\r
\r
Entity:\tPermit-Application\t[permit-application-id applicant-full-legal-name submitted-on-day-number]\r
\r
Terms:\r
\t*\tapplicant-full-legal-name: text\r
\t*\tsubmitted-on-day-number: integer\r
\t*\tplanning-committee-reviewer-remarks: list of optional text\r
\r
Queries:\r
\t*\tfind-permit-application [permit-application-id]\r
\t*\tapplications-awaiting-review-by-the-planning-committee-in-this-quarter [permit-application-id applicant-full-legal-name submitted-on-day-number planning-committee-reviewer-remarks reviewer-id inspector-id clerk-id] returns list of Permit-Application\r
\t*\tpermit-applications\r
\r
Actions:\r
\t*\tsubmit-permit-application-for-planning-committee-review [permit-application-id, applicant-full-legal-name, submitted-on-day-number] accepted as permit-application-submitted-for-planning-committee-review [permit-application-id, applicant-full-legal-name, submitted-on-day-number]\r
\t*\tresubmit-permit-application-for-planning-committee-review-again [permit-application-id] accepted as permit-application-resubmitted-for-planning-committee-review-again [permit-application-id]\r
\t*\trecord-planning-committee-reviewer-remarks [permit-application-id planning-committee-reviewer-remarks] accepted as planning-committee-reviewer-remarks-recorded [permit-application-id planning-committee-reviewer-remarks]\r
\t*\twithdraw [permit-application-id] accepted as withdrawn [permit-application-id]\r
";

const ODD_NAMES_AND_EMPTY_MODELS: &str = "\
# Odd but legal names. Prose with Vec<u8>, [brackets] and <b>tags</b> stays prose.
Model: Match
Entity: Loop [loop-id async await dyn try gen top-10-scores nested]
Terms:
  - async: boolean
  - await: optional integer
  - dyn: text
  - try: list of number
  - gen: id of Generator
  - top-10-scores: list of integer
  - nested: optional Loop2
  - v2: text
Entity: Loop2 [loop2-id v2]
Queries:
  - find-loop [loop-id]
  - loops-by [async await dyn try gen top-10-scores] returns list of Loop
  - as? [loop-id]
Actions:
  - impl [loop-id async] accepted as implemented [loop-id async]
  - where [loop-id gen] accepted as where-set [loop-id gen]
  - for [loop2-id v2] accepted as fored [loop2-id v2]

Model: Type
Actions:
  - use [type-id] accepted as used [type-id]

Model: Empty

Model: Readers
Queries:
  - reader-count

Model: Harness
Entity: Trial [trial-id]
Queries:
  - has-trial? [trial-id]
  - longest-trial returns optional Trial
Actions:
  - start [trial-id] accepted as started [trial-id]
    rejected if has-trial? [trial-id]: \"again\"
    adds Trial
Scenarios:
  - a trial starts once
    given started [trial-id: t1]
    when start [trial-id: t1]
    then rejected
";

fn run(command: &mut Command, what: &str) {
    let output = command.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        output.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("warning"), "{what} warned:\n{stderr}");
}

/// rustfmt, told to format generated files too, would change nothing in
/// the crate whose root is `lib`.
fn assert_formatted(lib: &Path) {
    run(
        Command::new("rustfmt")
            .args([
                "--edition",
                "2021",
                "--check",
                "--config",
                "format_generated_files=true",
            ])
            .arg(lib),
        "rustfmt --check",
    );
}

fn build(spec: &str, name: &str, workspace: &Path) {
    let source = esgen::source::Source::new(format!("{name}.ddd"), spec);
    let (report, diagnostics) = esgen::build(&source, &workspace.join(name));
    assert!(
        report.is_some(),
        "{}",
        esgen::diagnostics::render(&source, &diagnostics)
    );
}

/// A spec with rules in every form (optional fields compared with values
/// and with nothing, yes/no fields, a choice, integers, numbers and
/// decimals, queries with optional parameters, two entities compared in one
/// guard, every effect, long names), and tests of what its rules do
/// (`tests/fixtures/rules/`).
const RULES: &str = include_str!("fixtures/rules/lending.ddd");
const RULES_TESTS: &str = include_str!("fixtures/rules/lending_tests.rs");

/// Rules that once passed `esgen check` and were dropped or did not
/// compile: a choice another model answers, compared with one of its
/// values; an optional identity compared with a plain one.
const ASKED_CHOICE: &str = include_str!("fixtures/rules/shows.ddd");
const OPTIONAL_AGAINST_INNER: &str = include_str!("fixtures/rules/borrowers.ddd");

/// Conditions joined by `and` and `or`, negated and grouped, some too long
/// for one line.
const JOINED_CONDITIONS: &str = include_str!("fixtures/rules/parcels.ddd");

/// Event fields computed by arithmetic, in every numeric type, with
/// entities read and parentheses.
const ARITHMETIC: &str = include_str!("fixtures/rules/ledger.ddd");

/// A model that is its own record and holds entities too.
const RECORD_AND_ENTITIES: &str = include_str!("fixtures/rules/shop.ddd");

/// A lifecycle, each action moving a parcel one step.
const LIFECYCLE: &str = include_str!("fixtures/rules/lifecycle.ddd");

/// Policies between models with long names: commands of a model kept in
/// one stream and of one that asks another, conditions, `notify by`, and
/// events alone in their enum.
const POLICIES: &str = include_str!("fixtures/rules/policies.ddd");

/// The crates of this test.
const CRATES: [&str; 12] = [
    "shipping",
    "permits",
    "odd",
    "lending",
    "matrix",
    "shows",
    "borrowers",
    "parcels",
    "ledger",
    "shop",
    "lifecycle",
    "policies",
];

#[test]
fn unseen_specs_build_into_clean_crates() {
    let tmp = tempfile::tempdir().unwrap();
    let workspace = tmp.path();
    build(KEYWORDS_AND_NUMBERS, "shipping", workspace);
    build(LONG_NAMES_WITH_TABS_AND_CRLF, "permits", workspace);
    build(ODD_NAMES_AND_EMPTY_MODELS, "odd", workspace);
    build(RULES, "lending", workspace);
    build(&common::matrix::spec(), "matrix", workspace);
    build(ASKED_CHOICE, "shows", workspace);
    build(OPTIONAL_AGAINST_INNER, "borrowers", workspace);
    build(JOINED_CONDITIONS, "parcels", workspace);
    build(ARITHMETIC, "ledger", workspace);
    build(RECORD_AND_ENTITIES, "shop", workspace);
    build(LIFECYCLE, "lifecycle", workspace);
    build(POLICIES, "policies", workspace);
    std::fs::create_dir_all(workspace.join("lending/tests")).unwrap();
    std::fs::write(workspace.join("lending/tests/rules.rs"), RULES_TESTS).unwrap();
    common::make_workspace(workspace, &CRATES);
    let cargo = || common::cargo_in(workspace);
    run(
        cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
        "cargo clippy",
    );
    // The runtime too: every model on cqrs-es and PostgreSQL.
    run(
        cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ]),
        "cargo clippy --all-features",
    );
    // Documentation tests too: spec comments must never become doctests.
    run(
        cargo().args(["test", "--workspace", "--quiet"]),
        "cargo test",
    );
    // And rustdoc reads spec comments as prose: no stray HTML or links.
    run(
        cargo().env("RUSTDOCFLAGS", "-D warnings").args([
            "doc",
            "--workspace",
            "--no-deps",
            "--quiet",
        ]),
        "cargo doc",
    );
    let mut tests_checked = 0;
    for krate in CRATES {
        let lib = workspace.join(krate).join("src/lib.rs");
        assert_formatted(&lib);
        // The test files esgen writes too (a model whose module is named
        // like the scenarios' harness among them, in `odd`).
        for file in [
            "tests/scenarios.rs",
            "tests/evolution.rs",
            "tests/policy_scenarios.rs",
        ] {
            let path = workspace.join(krate).join(file);
            if path.is_file() {
                assert_formatted(&path);
                tests_checked += 1;
            }
        }
    }
    assert!(
        tests_checked >= 2,
        "only {tests_checked} test files checked"
    );
}

/// A model written by hand (`tests/fixtures/scenarios/poll.rs`) and the
/// scenarios of its spec, which test that code.
const POLL: &str = include_str!("fixtures/scenarios/poll.ddd");
const POLL_CODE: &str = include_str!("fixtures/scenarios/poll.rs");

/// Scenarios that state the wrong outcome: a wrong answer, a rejection
/// that does not happen, and an event where a rejection happens.
const WRONG_SCENARIOS: &str = r#"
  - a wrong count
    given voted [voter: "ann", option: "tea"]
    when vote [voter: "bob", option: "tea"]
    then voted [voter: "bob", option: "tea"]
    and votes-for ["tea"] is 3
  - a refusal that is not one
    when vote [voter: "ann", option: "tea"]
    then rejected: "ann has already voted"
  - an event where there is a refusal
    given voted [voter: "ann", option: "tea"]
    when vote [voter: "ann", option: "coffee"]
    then voted [voter: "ann", option: "coffee"]
"#;

/// The 1-based line of `text` in `spec`.
fn line_of(spec: &str, text: &str) -> usize {
    spec.lines()
        .position(|line| line.trim() == text)
        .unwrap_or_else(|| panic!("no line `{text}`"))
        + 1
}

#[test]
fn scenarios_test_hand_written_code_and_a_wrong_one_fails_naming_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    let workspace = tmp.path();
    let wrong = format!("{POLL}{WRONG_SCENARIOS}");
    build(POLL, "poll", workspace);
    build(&wrong, "wrong-poll", workspace);
    for krate in ["poll", "wrong-poll"] {
        std::fs::write(workspace.join(krate).join("src/poll.rs"), POLL_CODE).unwrap();
    }
    common::make_workspace(workspace, &["poll", "wrong-poll"]);
    let cargo = || common::cargo_in(workspace);
    run(
        cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
        "cargo clippy",
    );
    assert_formatted(&workspace.join("poll/tests/scenarios.rs"));
    // The right scenarios pass against the code written by hand.
    run(
        cargo().args(["test", "-p", "poll", "--test", "scenarios"]),
        "cargo test -p poll",
    );

    let output = cargo()
        .args(["test", "-p", "wrong-poll", "--test", "scenarios"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        !output.status.success(),
        "wrong scenarios passed:\n{stdout}"
    );
    assert!(
        stdout.contains("test result: FAILED. 4 passed; 3 failed"),
        "{stdout}"
    );
    let count = line_of(&wrong, r#"and votes-for ["tea"] is 3"#);
    let title = line_of(&wrong, "- a wrong count");
    for expected in [
        format!("scenario failed at wrong-poll.ddd:{count}\n"),
        format!("   {title:>4} |   - a wrong count\n"),
        format!("-> {count:>4} |     and votes-for [\"tea\"] is 3\n"),
        "expected: votes-for is 3\nhappened: votes-for is 2\n".to_string(),
        format!(
            "scenario failed at wrong-poll.ddd:{}\n",
            line_of(&wrong, r#"then rejected: "ann has already voted""#)
        ),
        "expected: rejected: \"ann has already voted\"\nhappened: voted [voter: \"ann\", option: \"tea\"]\n"
            .to_string(),
        "expected: voted [voter: \"ann\", option: \"coffee\"]\nhappened: rejected by vote/once as conflict: \"ann has already voted\"\n"
            .to_string(),
    ] {
        assert!(stdout.contains(&expected), "no {expected:?} in:\n{stdout}");
    }
}

#[test]
fn committed_examples_are_formatted() {
    for entry in std::fs::read_dir(common::root().join("generated-examples")).unwrap() {
        let krate = entry.unwrap().path();
        let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).unwrap();
        if !manifest.contains("[package.metadata.esgen]") {
            // An app on a generated crate (`clinic-app`): `cargo fmt` checks it.
            continue;
        }
        assert_formatted(&krate.join("src/lib.rs"));
        if krate.join("tests/scenarios.rs").exists() {
            assert_formatted(&krate.join("tests/scenarios.rs"));
        }
    }
}

/// Comments that try to end the doc comment they land in, open an
/// attribute, a string or a template tag, hide text with bidirectional
/// controls, or smuggle a line break: each carries `PWNED`, which must
/// never appear in the generated code outside a comment.
const ADVERSARIAL: &str = "# PWNED */ pub fn injected_block() {} /*\r
# PWNED \" pub fn injected_string() {} \" \\\r
# PWNED {{ model.name }} {% if true %}pub fn injected_template() {}{% endif %} {# x #}\r
# PWNED #[cfg(any())] #![allow(warnings)] #[doc = \"x\"]\r
# PWNED \u{202e}pub fn injected_bidi() {}\u{2066}\u{2069}\u{200f}\r
# PWNED \0 pub fn injected_nul() {} \u{0}\u{1b}[31m\u{7f}\r
# PWNED \u{2028}pub fn injected_line_separator() {}\u{2029}\u{85}pub fn injected_nel() {}\r
# PWNED ```\r
# PWNED pub fn injected_doctest() { panic!() }\r
# PWNED ```\r
Model: Vault # PWNED */ pub struct InjectedModel; /*\r
\r
# PWNED <script>alert(1)</script> [link](javascript:x) </b>\r
Entity: Secret [id label]\r
\r
Terms:\r
  - label: text # PWNED \\\" } pub fn injected_term() { \"\r
\r
Queries:\r
  # PWNED }}}} */ */ ;; pub mod injected_query {}\r
  - get-secret [id] # PWNED {{{{ raw }}}} {% raw %}\r
\r
Actions:\r
  # PWNED \"#]\" r#\"raw\"# '\\u{0}'\r
  - hide [id label] accepted as hidden [id label] # PWNED \\\r
";

/// Names that cannot be Rust identifiers, each in a spec of its own: every
/// one must be refused with an error, never reach the generated code.
const ADVERSARIAL_NAMES: [&str; 9] = [
    "Model: Evil\"Quote\n",
    "Model: V\nEntity: E{{x}} [id]\n",
    "Model: V\nActions:\n  - a*/b [id] accepted as c [id]\n",
    "Model: V\nTerms:\n  - na\u{202e}me: text\n",
    "Model: V\nTerms:\n  - nul\u{0}x: text\n",
    "Model: V\nTerms:\n  - r#type: text\n",
    "Model: V\nQueries:\n  - q#[cfg(x)] returns text\n  - #[allow(warnings)] returns text\n",
    "Model: V\nEntity: E [id self]\nTerms:\n  - self: text\n",
    "Model: V\r\rpub fn injected() {}\nEntity: E [id]\n",
];

/// The item declarations in the crate's files: each line outside comments
/// that declares something (`pub fn x`, `impl X for Y`, `mod m`, …).
fn declarations(files: &esgen::codegen::FileSet) -> Vec<String> {
    const STARTS: [&str; 14] = [
        "fn ",
        "struct ",
        "enum ",
        "trait ",
        "mod ",
        "impl ",
        "impl<",
        "type ",
        "const ",
        "static ",
        "macro_rules!",
        "use ",
        "extern ",
        "union ",
    ];
    let mut found = Vec::new();
    for file in &files.files {
        for line in file.contents.lines() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            let mut rest = code;
            for prefix in ["pub(crate) ", "pub ", "unsafe ", "async "] {
                rest = rest.strip_prefix(prefix).unwrap_or(rest);
            }
            if STARTS.iter().any(|start| rest.starts_with(start)) {
                found.push(format!("{}: {code}", file.path.display()));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn adversarial_comments_and_names_cannot_reach_the_code() {
    for spec in ADVERSARIAL_NAMES {
        let source = esgen::source::Source::new("names.ddd", spec);
        let (compiled, diagnostics) = esgen::compile(&source);
        assert!(compiled.is_none(), "accepted {spec:?}");
        assert!(
            diagnostics.iter().any(|d| d.is_error()
                && [
                    esgen::diagnostics::codes::SYNTAX,
                    esgen::diagnostics::codes::INVALID_NAME
                ]
                .contains(&d.code)),
            "{spec:?}: {}",
            esgen::diagnostics::render(&source, &diagnostics)
        );
    }

    let source = esgen::source::Source::new("vault.ddd", ADVERSARIAL);
    let (compiled, diagnostics) = esgen::compile(&source);
    let compiled =
        compiled.unwrap_or_else(|| panic!("{}", esgen::diagnostics::render(&source, &diagnostics)));
    // The same spec with every comment removed declares the same items.
    let plain: String = ADVERSARIAL
        .split("\r\n")
        .map(|line| {
            line.split_once('#')
                .map_or(line, |(code, _)| code)
                .trim_end()
        })
        .collect::<Vec<_>>()
        .join("\n");
    let plain_source = esgen::source::Source::new("vault.ddd", plain);
    let (plain_compiled, plain_diagnostics) = esgen::compile(&plain_source);
    let plain_compiled = plain_compiled.unwrap_or_else(|| {
        panic!(
            "{}",
            esgen::diagnostics::render(&plain_source, &plain_diagnostics)
        )
    });
    let declared = declarations(&compiled.files);
    assert!(
        declared.len() > 20,
        "too few declarations found: {declared:#?}"
    );
    assert_eq!(declared, declarations(&plain_compiled.files));
    for file in &compiled.files.files {
        // The OpenAPI document, a raw string whose delimiter the spec's
        // text does not hold: text there is data, not code.
        let mut in_document = false;
        for line in file.contents.lines() {
            let code = line.trim_start();
            if let Some(raw) = code.strip_prefix("pub const OPENAPI: &str = r") {
                let hashes = raw.chars().take_while(|c| *c == '#').count();
                let close = format!("\"{};", "#".repeat(hashes));
                assert_eq!(
                    file.contents.matches(&close).count(),
                    1,
                    "{}: the document's delimiter appears in it",
                    file.path.display()
                );
                in_document = true;
            }
            if in_document {
                in_document = !line.ends_with(';');
                continue;
            }
            let html = file.path.extension().is_some_and(|e| e == "html");
            if line.contains("PWNED") && html {
                // The console shows spec text, escaped as HTML.
                assert!(
                    !line.contains("\"#]\"") && line.contains("&#34;"),
                    "{}: spec text not escaped: {line}",
                    file.path.display()
                );
            } else if line.contains("PWNED") {
                assert!(
                    code.starts_with("///") || code.starts_with("//!"),
                    "{}: spec text outside a doc comment: {line}",
                    file.path.display()
                );
            }
            assert!(
                !line.contains('\0') && !line.contains('\u{202e}') && !line.contains('\r'),
                "{}: a raw control character: {line:?}",
                file.path.display()
            );
        }
    }
    assert!(
        compiled
            .files
            .files
            .iter()
            .any(|f| f.contents.contains("PWNED */ pub fn injected_block")),
        "the comments should still be documentation"
    );

    // And the crate compiles cleanly, its doctests run (no comment became
    // one), and rustdoc reads the comments as prose.
    let tmp = tempfile::tempdir().unwrap();
    let workspace = tmp.path();
    build(ADVERSARIAL, "vault", workspace);
    common::make_workspace(workspace, &["vault"]);
    let cargo = || common::cargo_in(workspace);
    run(
        cargo().args(["clippy", "--all-targets", "--", "-D", "warnings"]),
        "cargo clippy",
    );
    run(cargo().args(["test", "--quiet"]), "cargo test");
    run(
        cargo()
            .env("RUSTDOCFLAGS", "-D warnings")
            .args(["doc", "--no-deps", "--quiet"]),
        "cargo doc",
    );
    assert_formatted(&workspace.join("vault/src/lib.rs"));
}

/// Scenarios of `specs/clinic.ddd` that its rules do not bear out, one for
/// each way a scenario can fail: an event's decimal and timestamp, a
/// rejection's rule, kind and message, an answer holding a choice and
/// entities, a constraint, an entity a source reads that is absent, and a
/// count.
const WRONG_CLINIC: &str = r#"  - a fee is kept as written
    given doctor-registered [doctor-id: grey, name: "Dr Grey", capacity: 2]
    when book [id: a1, doctor-id: grey, patient: "Ann", slot: "2026-12-01T09:00:00.5+01:00", fee: 80.10]
    then booked [id: a1, doctor-id: grey, patient: "Ann", slot: "2026-12-01T09:00:00Z", fee: 80.1]
  - the wrong rule
    when book [id: a1, doctor-id: grey, patient: "Ann", slot: "2026-12-01T09:00:00Z", fee: 1]
    then rejected by if-has-appointment as conflict
  - a blank patient
    given doctor-registered [doctor-id: grey, name: "Dr Grey", capacity: 2]
    when book [id: a1, doctor-id: grey, patient: " ", slot: "2026-12-01T09:00:00Z", fee: -1]
    then accepted
  - cancelling what is not there
    when cancel [id: a9]
    then cancelled [id: a9, doctor-id: grey]
  - who is waiting
    given doctor-registered [doctor-id: grey, name: "Dr Grey", capacity: 2]
    and booked [id: a1, doctor-id: grey, patient: "Ann", slot: "2026-12-01T09:00:00Z", fee: 80.00]
    and booked [id: a2, doctor-id: grey, patient: "Bob", slot: "2026-12-01T10:00:00Z", fee: 80.00]
    when check-in [id: a1]
    then checked-in [id: a1]
    and waiting-appointments is [a1, a2]
  - how many were cancelled
    given doctor-registered [doctor-id: grey, name: "Dr Grey", capacity: 2]
    and booked [id: a1, doctor-id: grey, patient: "Ann", slot: "2026-12-01T09:00:00Z", fee: 80.00]
    when cancel [id: a1]
    then accepted
    and cancelled-count is 2
"#;

/// Each failure a test report shows: (line, expected, happened).
fn failures_in_report(stdout: &str) -> Vec<(usize, String, String)> {
    let mut found = Vec::new();
    let mut line = None;
    let mut expected = None;
    for text in stdout.lines() {
        if let Some(at) = text.split("scenario failed at wrong-clinic.ddd:").nth(1) {
            line = at.trim().parse().ok();
        } else if let Some(e) = text.strip_prefix("expected: ") {
            expected = Some(e.to_string());
        } else if let Some(h) = text.strip_prefix("happened: ") {
            if let (Some(l), Some(e)) = (line.take(), expected.take()) {
                found.push((l, e, h.to_string()));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn esgen_check_and_the_generated_tests_fail_scenarios_alike() {
    let spec = std::fs::read_to_string(common::root().join("specs/clinic.ddd")).unwrap();
    let wrong = format!("{spec}{WRONG_CLINIC}");
    let source = esgen::source::Source::new("wrong-clinic.ddd", wrong.as_str());
    // What `esgen check` says, without cargo.
    let (_, diagnostics) = esgen::check(&source);
    let mut checked: Vec<(usize, String, String)> = diagnostics
        .iter()
        .filter(|d| d.code == esgen::diagnostics::codes::SCENARIO_FAILS)
        .map(|d| {
            let line = source.line_col(d.span.unwrap().start).0;
            let expected = d
                .label
                .as_deref()
                .unwrap()
                .strip_prefix("expected: ")
                .unwrap();
            let help = d
                .help
                .as_deref()
                .unwrap()
                .strip_prefix("happened: ")
                .unwrap();
            let happened = help.split(". The rules and this scenario").next().unwrap();
            (line, expected.to_string(), happened.to_string())
        })
        .collect();
    checked.sort();
    assert_eq!(checked.len(), 6, "{checked:#?}");
    // What the crate's own tests say: generated from the rules alone.
    let (spec, _, found) = esgen::check_rules(&source, None);
    let spec = spec.unwrap_or_else(|| panic!("{}", esgen::diagnostics::render(&source, &found)));
    let tmp = tempfile::tempdir().unwrap();
    let workspace = tmp.path();
    let files = esgen::codegen::generate(&spec);
    esgen::output::write(
        &workspace.join("wrong-clinic"),
        &files,
        &esgen::output::Options::default(),
    )
    .unwrap();
    common::make_workspace(workspace, &["wrong-clinic"]);
    let output = common::cargo_in(workspace)
        .args(["test", "--test", "scenarios", "--", "--test-threads", "1"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("14 passed; 6 failed"), "{stdout}");
    assert_eq!(failures_in_report(&stdout), checked, "{stdout}");
}
