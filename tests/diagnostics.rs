//! Snapshot tests over a corpus of malformed specs.
//!
//! Every `.ddd` file in `tests/fixtures/errors/` is a small spec with a
//! mistake a domain expert could make (its first line says which). Each is
//! read with `esgen::read_spec` (so a file that is not UTF-8 is reported the
//! way the command line reports it), checked, and its rendered diagnostics
//! are compared with `tests/snapshots/diagnostics__<fixture>.snap`.
//!
//! Each fixture's diagnostics are also snapshotted as JSON
//! (`diagnostics__<fixture>.json.snap`, one object per line, as
//! `--message-format json` prints them), and the two forms are checked to
//! agree. The explanations in `docs/diagnostics/` are checked here too:
//! one per code, and their examples do what they say.
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

/// Codes about spec text that no fixture can show: a spec larger than
/// 16 MiB is tested in `tests/robustness.rs`; a rule esgen could not
/// generate is a fault of esgen's that no spec should show
/// (`tests/accounted.rs` checks that none does).
const NO_FIXTURE: [&str; 2] = [codes::SPEC_TOO_LARGE, codes::RULE_NOT_LOWERED];

/// Every code a fixture must show, listed by hand.
const EXPECTED_CODES: [&str; 66] = [
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
    codes::TYPE_TOO_DEEP,
    codes::DOUBLE_OPTIONAL,
    codes::UNKNOWN_IN_RULE,
    codes::CLAUSE_OUTSIDE_ACTION,
    codes::NOT_YES_NO,
    codes::BAD_PLACEHOLDER,
    codes::INCOMPATIBLE_COMPARISON,
    codes::NOT_IN_CHOICE,
    codes::NO_SOURCE,
    codes::CONFLICTING_EFFECTS,
    codes::CONSTRAINT_MISFIT,
    codes::WRONG_VALUE_TYPE,
    codes::SCENARIO_SHAPE,
    codes::SCENARIO_UNKNOWN,
    codes::SCENARIO_VALUES,
    codes::SCENARIO_WRONG_EVENT,
    codes::STREAMS_NOT_ALLOWED,
    codes::ASKED_WHERE_NOT_ALLOWED,
    codes::QUERY_CYCLE,
    codes::SCENARIO_FAILS,
    codes::AND_OR_UNGROUPED,
    codes::CONDITION_CONTRADICTS,
    codes::ARITHMETIC_TYPES,
    codes::STATE_SHAPE,
    codes::POLICY,
    codes::EVENT_REMOVED,
    codes::VERSION_EDITED,
    codes::FIELD_WITHOUT_DEFAULT,
    codes::FIELD_RETYPED,
    codes::CHOICE_VALUE_REMOVED,
    codes::RESERVED_NAME_REUSED,
    codes::UPCAST_CHAIN,
    codes::REPRESENTATION_CHANGED,
    codes::LOCK_UNREADABLE,
    codes::STORED_AS_CHANGED,
    codes::TAGS_CHANGED,
    codes::INFERRED_TEXT,
    codes::UNUSED_TERM,
    codes::UNTESTED,
    codes::FIELD_DROPPED,
    codes::CHOICE_VALUE_ADDED,
    codes::MODEL_REMOVED,
    codes::POLICY_MAY_LOOP,
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
    /// The diagnostics as JSON, one line each.
    json: Vec<String>,
    /// The same, from `render_json`.
    json_batch: String,
    /// Each diagnostic rendered on its own.
    rendered_each: Vec<String>,
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
    let (source, diagnostics, has_model) = match esgen::read_spec(path) {
        Ok(source) => {
            assert_eq!(source.name, path.display().to_string());
            let (spec, diagnostics) = esgen::check(&source);
            (source, diagnostics, spec.is_some())
        }
        Err(failure) => {
            let (source, diagnostic) = *failure;
            (source, vec![diagnostic], false)
        }
    };
    Outcome {
        name,
        rendered: diagnostics::render(&source, &diagnostics),
        json: json_lines(&source, &diagnostics),
        json_batch: diagnostics::render_json(&source, &diagnostics),
        rendered_each: rendered_each(&source, &diagnostics),
        diagnostics,
        has_model,
    }
}

fn json_lines(source: &esgen::source::Source, diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| diagnostics::to_json(source, d))
        .collect()
}

fn rendered_each(source: &esgen::source::Source, diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| diagnostics::render(source, std::slice::from_ref(d)))
        .collect()
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
                insta::assert_snapshot!(
                    format!("{}.json", outcome.name),
                    outcome.json.join("\n")
                );
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
    for code in NO_FIXTURE {
        assert!(!shown.contains(code), "{code} is listed in NO_FIXTURE");
    }
    let missing: Vec<&str> = listed.difference(&shown).copied().collect();
    assert!(
        missing.is_empty(),
        "no fixture in {FIXTURES} shows {missing:?}"
    );

    let declared = declared_codes();
    assert!(
        declared.len() >= EXPECTED_CODES.len() + NOT_ABOUT_SPEC_TEXT.len() + NO_FIXTURE.len(),
        "found only {} codes in src/diagnostics.rs: {declared:?}",
        declared.len()
    );
    let unlisted: Vec<&String> = declared
        .iter()
        .filter(|code| !NOT_ABOUT_SPEC_TEXT.contains(&code.as_str()))
        .filter(|code| !NO_FIXTURE.contains(&code.as_str()))
        .filter(|code| !shown.contains(code.as_str()))
        .collect();
    assert!(
        unlisted.is_empty(),
        "codes in src/diagnostics.rs that no fixture in {FIXTURES} shows \
         (add a fixture, and the code to EXPECTED_CODES): {unlisted:?}"
    );
}

/// What the rendered form says about one diagnostic: its header line and
/// the `file:line:column` of its primary place, if it has one.
fn rendered_parts(rendered: &str) -> (String, Option<(usize, usize)>) {
    let header = rendered.lines().next().unwrap_or_default().to_string();
    let place = rendered
        .lines()
        .find_map(|line| line.trim_start().strip_prefix("┌─ "))
        .map(|place| {
            let mut parts = place.rsplitn(3, ':');
            let column = parts.next().and_then(|c| c.parse().ok()).expect("a column");
            let line = parts.next().and_then(|l| l.parse().ok()).expect("a line");
            (line, column)
        });
    (header, place)
}

#[test]
fn json_and_rendered_forms_agree() {
    let mut compared = 0;
    for path in fixtures() {
        let outcome = run(&path);
        let shown = path.display();
        assert_eq!(outcome.json.len(), outcome.diagnostics.len(), "{shown}");
        assert_eq!(
            outcome.json_batch,
            outcome
                .json
                .iter()
                .map(|line| format!("{line}\n"))
                .collect::<String>(),
            "{shown}: render_json differs from to_json"
        );
        assert_eq!(
            outcome.rendered_each.concat(),
            outcome.rendered,
            "{shown}: rendering one by one differs from rendering all"
        );
        for ((line, diagnostic), rendered) in outcome
            .json
            .iter()
            .zip(&outcome.diagnostics)
            .zip(&outcome.rendered_each)
        {
            assert!(!line.contains('\n'), "{shown}: JSON over several lines");
            let json: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{shown}: not JSON ({e}): {line}"));
            let (header, place) = rendered_parts(rendered);
            let severity = json["severity"].as_str().expect("a severity");
            let code = json["code"].as_str().expect("a code");
            let message = json["message"].as_str().expect("a message");
            assert_eq!(header, format!("{severity}[{code}]: {message}"), "{shown}");
            assert_eq!(code, diagnostic.code, "{shown}");
            assert_eq!(json["file"], path.display().to_string(), "{shown}");
            assert_eq!(
                json["rendered"].as_str(),
                Some(rendered.as_str()),
                "{shown}"
            );
            match place {
                Some((line, column)) => {
                    assert_eq!(json["span"]["line"], line, "{shown}: {header}");
                    assert_eq!(json["span"]["column"], column, "{shown}: {header}");
                    let span = diagnostic.span.expect("a rendered place has a span");
                    assert_eq!(json["span"]["start"], span.start, "{shown}");
                    assert_eq!(json["span"]["end"], span.end, "{shown}");
                }
                None => assert!(json["span"].is_null(), "{shown}: {header}"),
            }
            assert_eq!(
                json["labels"].as_array().map(Vec::len),
                Some(diagnostic.labels.len()),
                "{shown}"
            );
            assert_eq!(json["help"].as_str(), diagnostic.help.as_deref(), "{shown}");
            compared += 1;
        }
    }
    assert!(compared > 50, "only {compared} diagnostics compared");
}

#[test]
fn json_columns_count_characters() {
    // `é` is two bytes: the name after it starts at byte 9, column 8.
    let source = esgen::source::Source::new("t.ddd", "# é\nModel: Tödos\n");
    let (_, found) = esgen::check(&source);
    let line = diagnostics::to_json(&source, &found[0]);
    let json: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(json["code"], codes::SYNTAX, "{line}");
    assert_eq!(json["span"]["line"], 2, "{line}");
    assert_eq!(json["span"]["column"], 9, "{line}");
    assert_eq!(json["span"]["start"], 13, "{line}");
    assert_eq!(json["span"]["end_column"], 10, "{line}");
    assert_eq!(json["span"]["end"], 15, "{line}");
}

#[test]
fn json_without_a_place_has_null_span_and_clamps_spans_past_the_text() {
    let source = esgen::source::Source::new("t.ddd", "ab");
    let free = Diagnostic::error(codes::NO_MODEL, "the spec has no model");
    let json: serde_json::Value =
        serde_json::from_str(&diagnostics::to_json(&source, &free)).unwrap();
    assert!(json["span"].is_null());
    assert!(json["label"].is_null());
    assert!(json["help"].is_null());
    assert_eq!(json["labels"], serde_json::json!([]));
    let past = Diagnostic::error(codes::SYNTAX, "x")
        .at(esgen::source::Span::new(1, 99))
        .with_label(esgen::source::Span::new(7, 3), "y");
    let json: serde_json::Value =
        serde_json::from_str(&diagnostics::to_json(&source, &past)).unwrap();
    assert_eq!(json["span"]["start"], 1);
    assert_eq!(json["span"]["end"], 2);
    assert_eq!(json["labels"][0]["span"]["start"], 2);
    assert_eq!(json["labels"][0]["span"]["end"], 2);
    assert_eq!(json["labels"][0]["message"], "y");
}

#[test]
fn cap_keeps_the_first_errors_and_counts_the_rest() {
    let error = |n: usize| Diagnostic::error(codes::SYNTAX, format!("e{n}"));
    let warning = |n: usize| Diagnostic::warning(codes::INFERRED_TEXT, format!("w{n}"));
    let all = vec![
        error(1),
        warning(1),
        error(2),
        warning(2),
        error(3),
        warning(3),
    ];

    let capped = diagnostics::cap(&all, 2);
    assert_eq!(capped.shown.len(), 3);
    assert_eq!((capped.hidden_errors, capped.hidden_warnings), (1, 2));
    assert_eq!(
        capped.summary().as_deref(),
        Some("… and 1 more error (and 2 warnings)")
    );

    // Exactly as many errors as allowed: nothing is cut, warnings included.
    let capped = diagnostics::cap(&all, 3);
    assert_eq!(capped.shown.len(), all.len());
    assert!(!capped.is_truncated());
    assert_eq!(capped.summary(), None);
    // No limit.
    assert_eq!(diagnostics::cap(&all, 0).shown.len(), all.len());
    // Warnings alone are never cut.
    let warnings: Vec<Diagnostic> = (0..500).map(warning).collect();
    assert_eq!(
        diagnostics::cap(&warnings, diagnostics::DEFAULT_MAX_ERRORS)
            .shown
            .len(),
        500
    );
    let errors: Vec<Diagnostic> = (0..130).map(error).collect();
    let capped = diagnostics::cap(&errors, diagnostics::DEFAULT_MAX_ERRORS);
    assert_eq!(capped.shown.len(), diagnostics::DEFAULT_MAX_ERRORS);
    assert_eq!(capped.summary().as_deref(), Some("… and 80 more errors"));
}

// ---------------------------------------------------------------- explain

/// The explanation pages.
fn explanation_files() -> BTreeSet<String> {
    std::fs::read_dir(repo().join("docs/diagnostics"))
        .expect("docs/diagnostics exists")
        .map(|entry| entry.expect("a directory entry").file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .collect()
}

#[test]
fn every_code_has_an_explanation_and_every_explanation_a_code() {
    let all: BTreeSet<String> = codes::ALL.iter().map(|c| c.to_string()).collect();
    assert_eq!(
        all.len(),
        codes::ALL.len(),
        "a code is listed twice in codes::ALL"
    );
    assert_eq!(all, declared_codes(), "codes::ALL and the constants differ");
    let pages: BTreeSet<String> = all.iter().map(|code| format!("{code}.md")).collect();
    assert_eq!(explanation_files(), pages);
    let index = std::fs::read_to_string(repo().join("docs/diagnostics.md")).unwrap();
    for code in codes::ALL {
        let text =
            diagnostics::explain(code).unwrap_or_else(|| panic!("no explanation for {code}"));
        assert!(text.starts_with(&format!("# {code}: ")), "{code}: {text}");
        assert_eq!(diagnostics::explain(&code.to_lowercase()), Some(text));
        for heading in ["\n## Wrong\n", "\n## Right\n", "\n## How to fix it\n"] {
            assert!(text.contains(heading), "{code} lacks {heading:?}");
        }
        assert!(
            index.contains(&format!("[{code}](diagnostics/{code}.md)")),
            "docs/diagnostics.md does not link {code}"
        );
    }
    assert_eq!(diagnostics::explain("E9999"), None);
    assert_eq!(diagnostics::explain(""), None);
}

/// The ```ddd blocks of a page, in order.
fn ddd_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match current.as_mut() {
            None if line.trim_end() == "```ddd" => current = Some(String::new()),
            None => {}
            Some(_) if line.trim_end() == "```" => blocks.extend(current.take()),
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
        }
    }
    blocks
}

/// Codes whose examples are not spec text (the file's bytes, its size, or
/// the crate on disk): their pages show commands in ```text blocks.
const NOT_SPEC_TEXT_EXAMPLES: [&str; 5] = [
    codes::NOT_UTF8,
    codes::RULE_NOT_LOWERED,
    codes::SPEC_TOO_LARGE,
    codes::REPRESENTATION_CHANGED,
    codes::LOCK_UNREADABLE,
];

#[test]
fn explanation_examples_do_what_they_say() {
    for code in codes::ALL {
        let text = diagnostics::explain(code).unwrap();
        let blocks = ddd_blocks(text);
        if NOT_ABOUT_SPEC_TEXT.contains(&code) || NOT_SPEC_TEXT_EXAMPLES.contains(&code) {
            assert!(
                blocks.is_empty(),
                "{code}: ```ddd blocks in a page about files"
            );
            continue;
        }
        // A page about stored events shows the spec as it was locked
        // first: the other two are checked against that lock.
        let (before, wrong, right) = match blocks.as_slice() {
            [wrong, right] => (None, wrong, right),
            [before, wrong, right] => (Some(before), wrong, right),
            _ => panic!(
                "{code}: expected a wrong and a right ```ddd block (after a stored-before one), found {}",
                blocks.len()
            ),
        };
        let lock = before.map(|before| {
            let source = esgen::source::Source::new("before.ddd", before.as_str());
            let (_, lock, found) = esgen::check_with_lock(&source, None);
            lock.unwrap_or_else(|| {
                panic!(
                    "{code}: the stored-before example does not check:\n{}",
                    diagnostics::render(&source, &found)
                )
            })
        });
        let source = esgen::source::Source::new("wrong.ddd", wrong.as_str());
        let (_, _, found) = esgen::check_with_lock(&source, lock.as_ref());
        assert!(
            found.iter().any(|d| d.code == code),
            "{code}: the wrong example does not produce it, but:\n{}",
            diagnostics::render(&source, &found)
        );
        let source = esgen::source::Source::new("right.ddd", right.as_str());
        let (spec, _, found) = esgen::check_with_lock(&source, lock.as_ref());
        assert!(
            spec.is_some() && found.is_empty(),
            "{code}: the right example is not clean:\n{}",
            diagnostics::render(&source, &found)
        );
    }
}

#[test]
fn long_lines_are_shown_around_the_place_only() {
    let text = format!(
        "Model: M\nEntity: E [id]\nQueries:\n  - q [{}é x]\n",
        "ab ".repeat(300_000)
    );
    let source = esgen::source::Source::new("long.ddd", text);
    let (_, found) = esgen::check(&source);
    assert_eq!(found.len(), 1, "{found:?}");
    let rendered = diagnostics::render(&source, &found);
    assert!(rendered.len() < 2_000, "{} bytes", rendered.len());
    // `  - q [` is 7 characters, the names 900,000: `é` is in column 900,008.
    assert!(rendered.contains("long.ddd:4:900008"), "{rendered}");
    assert!(rendered.contains("4 │ …"), "{rendered}");
    assert!(rendered.contains("ab é x]"), "{rendered}");
    let json: serde_json::Value =
        serde_json::from_str(&diagnostics::to_json(&source, &found[0])).unwrap();
    assert_eq!(json["rendered"].as_str(), Some(rendered.as_str()));
    assert_eq!(json["span"]["column"], 900_008);

    // Two places far apart on one line: each shown with its own context.
    let text = format!("Model: M\nEntity: E [id x {}x]\n", "a ".repeat(2_000));
    let source = esgen::source::Source::new("far.ddd", text);
    let (_, found) = esgen::check(&source);
    let twice: Vec<&Diagnostic> = found
        .iter()
        .filter(|d| d.code == codes::DUPLICATE_PARAMETER && d.message.contains("`x`"))
        .collect();
    assert_eq!(twice.len(), 1);
    let rendered = diagnostics::render(&source, &[twice[0].clone()]);
    assert!(rendered.len() < 2_000, "{rendered}");
    assert!(rendered.contains("first listed here"), "{rendered}");
    assert!(rendered.contains("listed again here"), "{rendered}");
    assert_eq!(rendered.matches("\n2 │").count(), 2, "{rendered}");
}

#[test]
fn the_documented_json_example_is_what_esgen_writes() {
    let doc = std::fs::read_to_string(repo().join("docs/diagnostics.md")).unwrap();
    let json_section = &doc[doc.find("## JSON").expect("a JSON section")..];
    let block = |after: &str, fence: &str| -> String {
        let start = after.find(fence).expect("a fenced block") + fence.len();
        let end = start + after[start..].find("\n```").expect("a closing fence");
        after[start..end].trim_start_matches('\n').to_string()
    };
    let spec = block(json_section, "```\n");
    let line = block(json_section, "```json\n");
    let source = esgen::source::Source::new("library.ddd", format!("{spec}\n"));
    let (_, found) = esgen::check(&source);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(diagnostics::to_json(&source, &found[0]), line);
    // And the rendered example above it.
    let rendered = block(
        &doc[doc.find("## Reading a diagnostic").unwrap()..],
        "```\n",
    );
    assert_eq!(
        diagnostics::render(&source, &found).trim_end(),
        rendered.trim_end()
    );
}

// ---------------------------------------------------------------- syntax errors in words

/// The todos example the help of every syntax error once showed, whatever
/// the line, each with a word of it: a help must speak of the line
/// written, not of this (unless that line is about todos).
const UNRELATED_EXAMPLE: [(&str, &str); 4] = [
    ("- done-count: integer", "done-count"),
    ("- create-new [id text] accepted as created", "create-new"),
    ("- get-todo [id]", "get-todo"),
    ("- ids are unique", "ids are unique"),
];

/// Words and forms the language does not have where a fixture writes
/// them (the text a syntax error points at), and what its help must name
/// instead: one of these at least.
const SAID_INSTEAD: [(&str, &[&str]); 23] = [
    ("and", &["commas", "on a line of its own", "another action"]),
    ("&", &["commas"]),
    (
        "or",
        &["commas", "one effect for each value", "another action"],
    ),
    ("more than", &["at least"]),
    ("less than", &["at most"]),
    (">", &["is more than", "at least"]),
    (">=", &["is at least"]),
    ("<=", &["is at most"]),
    ("==", &[" is "]),
    ("!=", &["is not"]),
    ("equals", &[" is "]),
    ("is greater than", &["is more than"]),
    ("is not equal to", &["is not"]),
    ("is one of", &["joined by `or`"]),
    ("in [", &["joined by `or`"]),
    ("today", &["rejected if"]),
    ("per", &["write `"]),
    ("when", &[" where ", " if "]),
    ("if", &[" where "]),
    ("otherwise", &[" if not ("]),
    ("not more than", &["at most"]),
    ("greater than", &["is more than"]),
    ("not equal", &["is not"]),
];

/// The text of one line of `text`, and where it starts.
fn line_at(text: &str, at: usize) -> (usize, &str) {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    (start, text[start..end].trim_end_matches('\r'))
}

/// The code spans of a help, in order.
fn code_spans(help: &str) -> Vec<&str> {
    help.split('`').skip(1).step_by(2).collect()
}

#[test]
fn syntax_errors_say_what_the_language_offers_instead() {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut rewrites = 0;
    let mut failures = Vec::new();
    for path in fixtures() {
        let outcome = run(&path);
        let Ok(text) = std::fs::read_to_string(repo().join(&path)) else {
            continue; // not UTF-8: its one diagnostic is not E0001
        };
        for diagnostic in outcome
            .diagnostics
            .iter()
            .filter(|d| d.code == codes::SYNTAX)
        {
            let shown = format!("{}: {}", path.display(), diagnostic.message);
            let help = diagnostic.help.as_deref().unwrap_or_default();
            let Some(span) = diagnostic.span else {
                continue;
            };
            let Some(pointed) = text.get(span.start..span.end.max(span.start)) else {
                continue;
            };
            let (line_start, line) = line_at(&text, span.start);
            for (example, word) in UNRELATED_EXAMPLE {
                if help.contains(example) && !line.contains(word) {
                    failures.push(format!(
                        "{shown}: the help shows an unrelated example: {help}"
                    ));
                }
            }
            // What the language says instead.
            for (written, instead) in SAID_INSTEAD {
                let same = pointed == written
                    || (pointed.starts_with(written)
                        && (written.ends_with('[')
                            || pointed[written.len()..].starts_with([' ', '['])));
                if same {
                    seen.insert(written);
                    if !instead.iter().any(|alternative| help.contains(alternative)) {
                        failures.push(format!(
                            "{shown}: `{pointed}` is pointed at, but the help names none of {instead:?}: {help}"
                        ));
                    }
                }
            }
            // A rewrite of the line (a code span after `write ` or `: `
            // that starts as the line does, with no placeholder in it, and
            // the one after `, then ` when it is split in two) must parse
            // in its place.
            let content = line.trim_start();
            let indent = &line[..line.len() - content.len()];
            let first_word = content.split_whitespace().next().unwrap_or_default();
            let spans = code_spans(help);
            let Some(i) = spans.iter().position(|s| {
                s.split_whitespace().next() == Some(first_word)
                    && *s != content
                    && !s.contains(['<', '…'])
                    && (help.contains(&format!("write `{s}`"))
                        || help.contains(&format!(": `{s}`")))
            }) else {
                continue;
            };
            let mut lines = vec![spans[i]];
            if help.contains(&format!("`{}`, then `", spans[i])) {
                lines.extend(spans.get(i + 1));
            }
            let replaced = lines
                .iter()
                .map(|l| format!("{indent}{l}"))
                .collect::<Vec<_>>()
                .join("\n");
            let mended = format!(
                "{}{replaced}{}",
                &text[..line_start],
                &text[line_start + line.len()..]
            );
            let source = esgen::source::Source::new(path.display().to_string(), mended);
            let (_, found) = esgen::check(&source);
            let end = line_start + replaced.len();
            let still: Vec<&Diagnostic> = found
                .iter()
                .filter(|d| d.code == codes::SYNTAX)
                .filter(|d| {
                    d.span
                        .is_some_and(|s| (line_start..=end).contains(&s.start))
                })
                .collect();
            if still.is_empty() {
                rewrites += 1;
            } else {
                failures.push(format!(
                    "{shown}: the help's rewrite {lines:?} does not parse: {}",
                    still[0].message
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    let unseen: Vec<&str> = SAID_INSTEAD
        .iter()
        .map(|(written, _)| *written)
        .filter(|written| !seen.contains(written))
        .collect();
    assert!(
        unseen.is_empty(),
        "no fixture writes {unseen:?} where the language has another word"
    );
    assert!(rewrites >= 30, "only {rewrites} rewrites checked");
}
