//! Snapshot tests over a corpus of malformed specs.
//!
//! Every `.ddd` file in `tests/fixtures/errors/` is a small spec with a
//! mistake a domain expert could make (its first line says which). Each is
//! read with `esgen::read_spec` (so a file that is not UTF-8 is reported the
//! way the command line reports it), checked, and its rendered diagnostics
//! are compared with `tests/snapshots/diagnostics__<fixture>.snap`.
//!
//! Accept new or changed snapshots with
//! `INSTA_UPDATE=always cargo test --test diagnostics` (or `cargo insta
//! review`), after reading them.

use esgen::diagnostics::{self, codes, Diagnostic, Severity};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The fixtures' folder, relative to the repository (and so to the
/// `Source` names, which keeps the snapshots free of absolute paths).
const FIXTURES: &str = "tests/fixtures/errors";

/// Codes that are not about spec text: reading or writing files.
const NOT_ABOUT_SPEC_TEXT: [&str; 4] = [
    codes::IO,
    codes::OUTPUT_CONFLICT,
    codes::EDITED_GENERATED_FILE,
    codes::OUTPUT_LOCKED,
];

/// Every code a fixture must show, listed by hand.
const EXPECTED_CODES: [&str; 25] = [
    codes::SYNTAX,
    codes::OUTSIDE_MODEL,
    codes::ITEM_OUTSIDE_SECTION,
    codes::UNKNOWN_SECTION,
    codes::NOT_UTF8,
    codes::DUPLICATE_MODEL,
    codes::DUPLICATE_SECTION,
    codes::DUPLICATE_ENTITY,
    codes::DUPLICATE_TERM,
    codes::DUPLICATE_QUERY,
    codes::DUPLICATE_ACTION,
    codes::DUPLICATE_PARAMETER,
    codes::EVENT_FIELDS_DIFFER,
    codes::COMMAND_IS_EVENT,
    codes::UNKNOWN_TYPE,
    codes::ALIAS_CYCLE,
    codes::QUERY_RETURNS,
    codes::ENTITY_WITHOUT_FIELDS,
    codes::INVALID_NAME,
    codes::NAME_COLLISION,
    codes::AMBIGUOUS_ID,
    codes::RECURSIVE_ENTITY,
    codes::NO_MODEL,
    codes::INFERRED_TEXT,
    codes::UNUSED_TERM,
];

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The fixtures, sorted, as paths relative to the repository.
fn fixtures() -> Vec<PathBuf> {
    let dir = repo().join(FIXTURES);
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "ddd"))
        .map(|path| Path::new(FIXTURES).join(path.file_name().expect("a file name")))
        .collect();
    found.sort();
    assert!(!found.is_empty(), "no fixtures in {FIXTURES}");
    found
}

/// What checking one fixture gives.
struct Outcome {
    /// The fixture's stem, which names its snapshot.
    name: String,
    /// The diagnostics, rendered as the command line renders them.
    rendered: String,
    /// The diagnostics themselves.
    diagnostics: Vec<Diagnostic>,
    /// Whether `check` returned a model.
    has_model: bool,
}

/// Reads and checks one fixture. The working directory of an integration
/// test is the package root, so the relative path both opens the file and
/// names it in the rendered text.
fn run(path: &Path) -> Outcome {
    std::env::set_current_dir(repo()).expect("the repository is a directory");
    let name = path
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("a UTF-8 file name")
        .to_string();
    match esgen::read_spec(path) {
        Ok(source) => {
            assert_eq!(source.name, path.display().to_string());
            let (spec, diagnostics) = esgen::check(&source);
            Outcome {
                name,
                rendered: diagnostics::render(&source, &diagnostics),
                diagnostics,
                has_model: spec.is_some(),
            }
        }
        Err(failure) => {
            let (source, diagnostic) = *failure;
            let diagnostics = vec![diagnostic];
            Outcome {
                name,
                rendered: diagnostics::render(&source, &diagnostics),
                diagnostics,
                has_model: false,
            }
        }
    }
}

#[test]
fn every_fixture_is_rejected_with_located_diagnostics() {
    let mut failed = Vec::new();
    for path in fixtures() {
        // One fixture's failure must not hide the others': each is checked
        // on its own, and the failures are listed at the end.
        let checked = std::panic::catch_unwind(|| {
            let outcome = run(&path);
            let shown = path.display();
            assert!(
                outcome
                    .diagnostics
                    .iter()
                    .any(|d| d.severity == Severity::Error),
                "{shown}: expected at least one error, got:\n{}",
                outcome.rendered
            );
            assert!(
                !outcome.has_model,
                "{shown}: `check` returned a model despite errors"
            );
            insta::with_settings!({
                description => format!("esgen check {shown}"),
                omit_expression => true,
            }, {
                insta::assert_snapshot!(outcome.name.as_str(), outcome.rendered);
            });
        });
        if checked.is_err() {
            failed.push(path.display().to_string());
        }
    }
    assert!(failed.is_empty(), "fixtures that failed: {failed:#?}");
}

/// The codes declared in `src/diagnostics.rs`, read from its text, so that
/// a code added there without a fixture fails `every_code_has_a_fixture`.
fn declared_codes() -> BTreeSet<String> {
    let text = std::fs::read_to_string(repo().join("src/diagnostics.rs"))
        .expect("src/diagnostics.rs is readable");
    let mut found = BTreeSet::new();
    for line in text.lines() {
        let line = line.trim();
        let Some(rest) = line.strip_prefix("pub const ") else {
            continue;
        };
        let Some((_, value)) = rest.split_once('=') else {
            continue;
        };
        let value = value.trim().trim_end_matches(';').trim().trim_matches('"');
        let is_code = value.len() == 5
            && (value.starts_with('E') || value.starts_with('W'))
            && value[1..].chars().all(|c| c.is_ascii_digit());
        if is_code {
            found.insert(value.to_string());
        }
    }
    found
}

#[test]
fn every_code_has_a_fixture() {
    let mut shown: BTreeSet<&'static str> = BTreeSet::new();
    for path in fixtures() {
        shown.extend(run(&path).diagnostics.iter().map(|d| d.code));
    }

    let listed: BTreeSet<&str> = EXPECTED_CODES.iter().copied().collect();
    let missing: Vec<&str> = listed.difference(&shown).copied().collect();
    assert!(
        missing.is_empty(),
        "no fixture in {FIXTURES} shows {missing:?}"
    );

    let declared = declared_codes();
    assert!(
        declared.len() >= EXPECTED_CODES.len() + NOT_ABOUT_SPEC_TEXT.len(),
        "found only {} codes in src/diagnostics.rs: {declared:?}",
        declared.len()
    );
    let unlisted: Vec<&String> = declared
        .iter()
        .filter(|code| !NOT_ABOUT_SPEC_TEXT.contains(&code.as_str()))
        .filter(|code| !shown.contains(code.as_str()))
        .collect();
    assert!(
        unlisted.is_empty(),
        "codes in src/diagnostics.rs that no fixture in {FIXTURES} shows \
         (add a fixture, and the code to EXPECTED_CODES): {unlisted:?}"
    );
}
