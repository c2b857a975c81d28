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

#[test]
fn unseen_specs_build_into_clean_crates() {
    let tmp = tempfile::tempdir().unwrap();
    let workspace = tmp.path();
    build(KEYWORDS_AND_NUMBERS, "shipping", workspace);
    build(LONG_NAMES_WITH_TABS_AND_CRLF, "permits", workspace);
    build(ODD_NAMES_AND_EMPTY_MODELS, "odd", workspace);
    std::fs::write(
        workspace.join("Cargo.toml"),
        "[workspace]\nmembers = [\"shipping\", \"permits\", \"odd\"]\nresolver = \"2\"\n",
    )
    .unwrap();
    std::fs::copy(
        common::root().join("Cargo.lock"),
        workspace.join("Cargo.lock"),
    )
    .unwrap();

    let target = common::root().join("target").join("generated-crates");
    let cargo = || {
        let mut command = Command::new(env!("CARGO"));
        command
            .current_dir(workspace)
            .env("CARGO_TARGET_DIR", &target)
            .env("CARGO_TERM_COLOR", "never");
        command
    };
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
    for krate in ["shipping", "permits", "odd"] {
        let lib = workspace.join(krate).join("src/lib.rs");
        assert_formatted(&lib);
    }
}

#[test]
fn committed_examples_are_formatted() {
    for entry in std::fs::read_dir(common::root().join("generated-examples")).unwrap() {
        let lib = entry.unwrap().path().join("src/lib.rs");
        assert_formatted(&lib);
    }
}
