//! No input makes esgen panic. Property tests feed the whole in-memory
//! pipeline (`esgen::compile`: parse, check, generate) with random bytes,
//! with random sequences of the spec's own words, and with random edits of
//! the example specs, and hold it to four properties:
//!
//! 1. it does not panic;
//! 2. it returns generated files, or at least one error (never nothing);
//! 3. every diagnostic's spans lie inside the text, on character
//!    boundaries, and every diagnostic renders, as text and as JSON;
//! 4. the same text gives the same files and diagnostics twice.
//!
//! Then pathological inputs (a megabyte of `[`, one endless line, random
//! bytes, deep bracket nesting, a spec over the size limit) must each end
//! in a diagnostic, quickly.
//!
//! `fuzz/` runs the same properties under `cargo fuzz`, far longer.

mod common;

use esgen::diagnostics::{self, codes, Diagnostic};
use esgen::source::{Source, Span};
use proptest::prelude::*;
use proptest::sample::Index;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The spec's vocabulary, and some things a spec should never contain.
const TOKENS: &[&str] = &[
    "Model:",
    "Entity:",
    "Terms:",
    "Queries:",
    "Actions:",
    "Scenarios:",
    "Streams:",
    "one",
    "per",
    "Querys:",
    "given",
    "when",
    "then",
    "and",
    "rejected",
    "by",
    "is",
    "Model",
    "•",
    "-",
    "*",
    " ",
    "\t",
    "\n",
    "\n",
    "\n",
    "\r\n",
    "\r",
    "[",
    "]",
    ",",
    ":",
    "#",
    "?",
    "accepted",
    "as",
    "returns",
    "return",
    "list",
    "of",
    "optional",
    "id",
    "text",
    "integer",
    "number",
    "boolean",
    "self",
    "type",
    "Self",
    "crate",
    "lib",
    "todo",
    "todos",
    "Todo",
    "todo-id",
    "ids",
    "new-text",
    "old-id",
    "new-new-x",
    "get-todo",
    "all-todos",
    "done-count",
    "has-todo?",
    "x?",
    "é",
    "\u{a0}",
    "\u{202e}",
    "\u{200b}",
    "\u{feff}",
    "\u{0}",
    "{{",
    "}}",
    "*/",
    "Option",
    "default",
    "execute",
    "x",
    "x_y",
    "X-Y",
    "rejected",
    "if",
    "unless",
    "not",
    "is",
    "more than",
    "at least",
    "adds",
    "sets",
    "to",
    "increases",
    "by",
    "removes",
    "each",
    "changes nothing",
    "=",
    "where",
    "count of",
    "one of",
    "between",
    "and",
    "default",
    "not blank",
    "characters",
    "\"",
    "\"msg {id}\"",
    "42",
    "-1.5",
    "nothing",
    "yes",
    "date",
    "decimal",
    "timestamp",
    "per",
    "today",
    "now",
    "history of",
    "within 3 days of",
    "sum of",
    "moves",
    "->",
    "|",
    "×",
    "{n}",
    "State:",
];

/// A spec with entities, a choice and counters, whose actions get rule
/// lines from [`RULE_LINES`] (property `rule_lines_never_panic`).
const RULES_BASE: &str = "Model: Tasks
Entity: Task [id text done? status count note]
Entity: Owner [owner-id name]
Terms:
  - text: text, not blank
  - status: one of [open closed], default open
  - count: integer, default 0
  - note: optional text
  - name: text
  - due: date
Queries:
  - has-task? [id]
  - get-task [id]
  - all-tasks
  - done-tasks = tasks where done?
  - open-count = count of tasks where status is open
  - per-status = count of tasks per status where not done?
  - per-note = tasks per note
  - counted = sum of count of tasks per status
  - task-history [id] = history of Task [id]
  - due-soon [due] = tasks where count is at least 1 and due is within 2 days of today
Actions:
";

/// Actions, each followed by rule lines from [`RULE_LINES`].
const RULE_ACTIONS: &[&str] = &[
    "  - create [id text] accepted as created [id text done?]",
    "  - close [id] accepted as closed [id]",
    "  - retext [id new-text] accepted as retexted [id new-text]",
    "  - clear [] accepted as cleared [ids]",
    "  - own [owner-id name] accepted as owned [owner-id name]",
    "  - reopen [id] accepted as closed@2 [id]",
    "  - rename [id text] accepted as retexted@0 [id text]",
];

/// Rule lines, well formed or not, that may or may not fit their action.
const RULE_LINES: &[&str] = &[
    "    rejected if has-task? [id]: \"there is a task {id}\"",
    "    rejected unless has-task? [id]: \"no task {id}\"",
    "    rejected if done? of Task [id]: \"done\"",
    "    rejected unless not done? of Task [id]: \"done\"",
    "    rejected if status of Task [id] is closed: \"closed\"",
    "    rejected unless note of Task [id] is not \"x\": \"{nope}\"",
    "    rejected if count of Task [id] is at least open-count: \"many\"",
    "    rejected if text is \"x\": \"x {text}\"",
    "    rejected if open-count is more than 3: \"busy\"",
    "    rejected if get-task [id]: \"not yes or no\"",
    "    adds Task",
    "    adds Owner",
    "    removes Task [id]",
    "    removes each Task [ids]",
    "    sets text of Task [id] to new-text",
    "    sets status of Task [id] to closed",
    "    sets note of Task [id] to nothing",
    "    sets id of Task [id] to id",
    "    increases count of Task [id] by 1",
    "    decreases count of Task [id] by text",
    "    changes nothing",
    "    ids = ids of done-tasks",
    "    ids = ids of tasks",
    "    done? = yes",
    "    done? = maybe",
    "    text = \"untitled\"",
    "    rejected if",
    "    adds",
    "    removes Task",
    "    nonsense = nonsense of Nothing [x]",
    "    rejected unless has-person? [owner-id] in People: \"no one {owner-id}\"",
    "    rejected if is-away? [owner-id] in People: \"away\"",
    "    rejected unless has-task? [id] in Tasks: \"itself\"",
    "    rejected if today is more than due: \"late\"",
    "    rejected unless due is within 3 days of today: \"far\"",
    "    rejected if task-history [id] is []: \"history\"",
    "    due = today",
    "    sets status of Task [id] to closed if count of Task [id] is at least 3",
    "    sets note of Task [id] to nothing if today is due",
    "    removes Task [id] if open-count is 0",
    "    moves Task [id] to closed",
    "    moves to closed",
    "    rejected unless has-person? [id] in Peeple: \"typo\"",
    "    name = name-of [owner-id] in People",
    "Model: People\nEntity: Person [owner-id name away?]\nQueries:\n  - has-person? [owner-id]\n  - is-away? [owner-id] = away? of Person [owner-id]\n  - name-of [owner-id] = name of Person [owner-id]\nActions:\n  - join [owner-id name] accepted as joined [owner-id name]\n    adds Person",
];

/// Actions with rules, for scenarios to run.
const SCENARIO_ACTIONS: &str = "  - create [id text] accepted as created [id text done?]
    rejected if has-task? [id]: \"there is a task {id}\"
    adds Task
  - close [id] accepted as closed [id]
    rejected unless has-task? [id]: \"no task {id}\"
    sets status of Task [id] to closed
  - clear [] accepted as cleared [ids]
    ids = ids of done-tasks
    removes each Task [ids]
Scenarios:
";

/// Scenario lines, well formed or not, in any order.
const SCENARIO_LINES: &[&str] = &[
    "  - a task",
    "  - a task",
    "  - 2 ünïcode titles!",
    "    given created [id: t1, text: \"a\"]",
    "    given created [id: t1, text: \"a\", done?: yes]",
    "    and created [id: t2, text: \"b\", done?: maybe]",
    "    given closed [id: t1]",
    "    given today is \"2026-03-02\"",
    "    given now is \"2026-02-30T10:00:00Z\"",
    "    given 3 × created [id: t{n}, text: \"t{n}\"]",
    "    and 0 × closed [id: t{n}]",
    "    and per-status is [open: 2]",
    "    and task-history [t1] is [created, closed]",
    "    given create [id: t1]",
    "    when create [id: t1, text: \"again\"]",
    "    when create [id: t1, txt: \"x\", id: t2]",
    "    when close [id: t1]",
    "    when clear []",
    "    when created [id: t1]",
    "    then created [id: t1, text: \"again\", done?: no]",
    "    then closed [id: t1]",
    "    then cleared [ids: [t1, t2]]",
    "    then accepted",
    "    then rejected",
    "    then rejected by if-has-task as conflict: \"there is a task t1\"",
    "    then rejected by nothing-at-all as sad",
    "    then rejected: \"no task t1\"",
    "    and all-tasks is [t1]",
    "    and get-task [t1] is nothing",
    "    and has-task? [id: t1] is yes",
    "    and open-count is \"one\"",
    "    and open-count [t1] is 1",
    "    and done-tasks is [t1, [t2]]",
    "    given",
    "    then",
    "    and",
    "Streams: one per Task",
    "Streams: one per Owner",
    "Streams: one",
    "Streams: two",
    "Evolution:",
    "  - created -> created@2: done? = yes",
    "  - created@0 -> cleared",
    "  - created@1 -> created@2: by fix-it, text was name",
    "  - closed -> closed@3: text = \"x\"",
    "  - retired closed, cleared",
    "  - reserved text, ids",
    "  - closed@2 -> closed",
    "    given created [id: t1, text: \"a\"] in People",
    "    given joined [owner-id: o1, name: \"Ann\"] in People",
    "    when close [id: t1] in Tasks",
    "    then closed [id: t1] in People",
];

/// What one run of the pipeline gives, in a comparable form.
type Outcome = (Option<Vec<(PathBuf, String)>>, Vec<Diagnostic>);

fn outcome(source: &Source) -> Outcome {
    let (compiled, diagnostics) = esgen::compile(source);
    let files = compiled.map(|compiled| {
        compiled
            .files
            .files
            .into_iter()
            .map(|file| (file.path, file.contents))
            .collect()
    });
    (files, diagnostics)
}

fn span_in(text: &str, span: Span) -> Result<(), String> {
    if span.start > span.end || span.end > text.len() {
        return Err(format!("{span:?} outside a text of {} bytes", text.len()));
    }
    if !text.is_char_boundary(span.start) || !text.is_char_boundary(span.end) {
        return Err(format!("{span:?} not on character boundaries"));
    }
    Ok(())
}

/// Properties 3 for diagnostics about `source`.
fn check_diagnostics(source: &Source, found: &[Diagnostic]) -> Result<(), TestCaseError> {
    for diagnostic in found {
        let spans = diagnostic
            .span
            .into_iter()
            .chain(diagnostic.labels.iter().map(|l| l.span));
        for span in spans {
            span_in(&source.text, span)
                .map_err(|e| TestCaseError::fail(format!("{}: {e}", diagnostic.code)))?;
        }
        let json = diagnostics::to_json(source, diagnostic);
        prop_assert!(!json.contains('\n'));
        prop_assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
    }
    let rendered = diagnostics::render(source, found);
    prop_assert_eq!(rendered.is_empty(), found.is_empty());
    Ok(())
}

/// All four properties for one text.
fn check_text(text: String) -> Result<(), TestCaseError> {
    let source = Source::new("prop.ddd", text);
    let first = outcome(&source);
    let (files, found) = &first;
    match files {
        None => prop_assert!(
            diagnostics::has_errors(found),
            "neither files nor an error for {:?}",
            source.text
        ),
        Some(files) => {
            prop_assert!(!diagnostics::has_errors(found));
            prop_assert!(!files.is_empty());
        }
    }
    check_diagnostics(&source, found)?;
    prop_assert!(outcome(&source) == first, "two runs differ");
    check_format(&source)?;
    Ok(())
}

/// `esgen fmt` on any text: a spec that parses is formatted without
/// changing what it means (`format_spec` compares the checked models and
/// refuses otherwise), and formatting it again changes nothing; one that
/// does not parse is refused with its syntax errors.
fn check_format(source: &Source) -> Result<(), TestCaseError> {
    match esgen::format_spec(source) {
        Ok(formatted) => {
            let again = Source::new(source.name.clone(), formatted.clone());
            let twice = esgen::format_spec(&again);
            prop_assert!(
                twice.as_ref() == Ok(&formatted),
                "formatting is not idempotent for {:?}: {:?}",
                source.text,
                twice.map_err(|e| e.iter().map(|d| d.message.clone()).collect::<Vec<_>>())
            );
        }
        Err(errors) => {
            let meaning_changed = errors
                .iter()
                .any(|d| d.message.starts_with("formatting would change"));
            prop_assert!(
                !meaning_changed,
                "formatting changes the meaning of {:?}",
                source.text
            );
            prop_assert!(errors.iter().all(Diagnostic::is_error));
        }
    }
    Ok(())
}

fn specs() -> Vec<String> {
    common::specs()
        .iter()
        .map(|path| esgen::read_spec(path).expect("a readable spec").text)
        .collect()
}

/// One edit of a spec's lines.
#[derive(Debug, Clone)]
enum Edit {
    Delete(Index),
    Duplicate(Index),
    Swap(Index, Index),
    /// A `[` or `]` at a place in a line.
    InsertBracket(Index, Index, char),
    /// The n-th bracket of a line removed.
    DeleteBracket(Index, Index),
    /// A character replaced, inserted or removed.
    Character(Index, Index, Option<char>, bool),
}

fn edit() -> impl Strategy<Value = Edit> {
    let odd_char = prop_oneof![
        any::<char>(),
        prop::sample::select(vec![
            ' ', '\t', ':', '[', ']', '-', '?', '#', '•', '\r', '\0', 'é', '\u{202e}'
        ]),
    ];
    prop_oneof![
        any::<Index>().prop_map(Edit::Delete),
        any::<Index>().prop_map(Edit::Duplicate),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::Swap(a, b)),
        (
            any::<Index>(),
            any::<Index>(),
            prop::sample::select(vec!['[', ']'])
        )
            .prop_map(|(l, at, c)| Edit::InsertBracket(l, at, c)),
        (any::<Index>(), any::<Index>()).prop_map(|(l, n)| Edit::DeleteBracket(l, n)),
        (
            any::<Index>(),
            any::<Index>(),
            prop::option::of(odd_char),
            any::<bool>()
        )
            .prop_map(|(l, at, c, insert)| Edit::Character(l, at, c, insert)),
    ]
}

/// The byte offset of the `at`-th character boundary of `line`.
fn boundary(line: &str, at: Index) -> usize {
    let count = line.chars().count();
    let nth = at.index(count + 1);
    line.char_indices().nth(nth).map_or(line.len(), |(i, _)| i)
}

fn apply(text: &str, edits: &[Edit], crlf: bool) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for edit in edits {
        if lines.is_empty() {
            break;
        }
        let n = lines.len();
        match edit {
            Edit::Delete(i) => {
                lines.remove(i.index(n));
            }
            Edit::Duplicate(i) => {
                let line = lines[i.index(n)].clone();
                lines.insert(i.index(n), line);
            }
            Edit::Swap(a, b) => lines.swap(a.index(n), b.index(n)),
            Edit::InsertBracket(l, at, c) => {
                let line = &mut lines[l.index(n)];
                let at = boundary(line, *at);
                line.insert(at, *c);
            }
            Edit::DeleteBracket(l, nth) => {
                let line = &mut lines[l.index(n)];
                let brackets: Vec<usize> = line.match_indices(['[', ']']).map(|(i, _)| i).collect();
                if !brackets.is_empty() {
                    line.remove(brackets[nth.index(brackets.len())]);
                }
            }
            Edit::Character(l, at, c, insert) => {
                let line = &mut lines[l.index(n)];
                let at = boundary(line, *at);
                if !insert && at < line.len() {
                    line.remove(at);
                }
                if let Some(c) = c {
                    line.insert(at, *c);
                }
            }
        }
    }
    lines.join(if crlf { "\r\n" } else { "\n" })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn edited_specs_never_panic(
        spec in any::<Index>(),
        edits in prop::collection::vec(edit(), 1..6),
        crlf in any::<bool>(),
    ) {
        let specs = specs();
        let text = &specs[spec.index(specs.len())];
        check_text(apply(text, &edits, crlf))?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1200, ..ProptestConfig::default() })]

    #[test]
    fn token_sequences_never_panic(
        tokens in prop::collection::vec(prop::sample::select(TOKENS), 0..120),
    ) {
        check_text(tokens.concat())?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        check_text(String::from_utf8_lossy(&bytes).into_owned())?;
    }

    /// Through `read_spec`, as the command line reads a file: bytes that
    /// are not UTF-8 end in `E0005`, located inside the lossy text.
    #[test]
    fn random_files_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("bytes.ddd");
        std::fs::write(&path, &bytes).expect("a writable temporary file");
        match esgen::read_spec(&path) {
            Ok(source) => {
                prop_assert!(std::str::from_utf8(&bytes).is_ok());
                check_text(source.text)?;
            }
            Err(failure) => {
                let (source, diagnostic) = *failure;
                prop_assert!(std::str::from_utf8(&bytes).is_err());
                prop_assert_eq!(diagnostic.code, codes::NOT_UTF8);
                prop_assert!(diagnostic.span.is_some());
                check_diagnostics(&source, &[diagnostic])?;
            }
        }
    }
}

/// Compiles `text`, which must end in an error with code `code`, within
/// `limit`; renders the diagnostics as the command line would.
fn diagnosed(what: &str, text: String, code: &str) {
    let started = Instant::now();
    let source = Source::new("big.ddd", text);
    let (compiled, found) = esgen::compile(&source);
    let capped = diagnostics::cap(&found, diagnostics::DEFAULT_MAX_ERRORS);
    let rendered = diagnostics::render(&source, capped.shown);
    let json: Vec<String> = capped
        .shown
        .iter()
        .map(|d| diagnostics::to_json(&source, d))
        .collect();
    let took = started.elapsed();
    assert!(compiled.is_none(), "{what}: compiled");
    assert!(
        found.iter().any(|d| d.is_error() && d.code == code),
        "{what}: no {code} among {:?}",
        found.iter().map(|d| d.code).collect::<Vec<_>>()
    );
    assert!(!rendered.is_empty() && json.len() == capped.shown.len());
    for diagnostic in &found {
        for span in diagnostic
            .span
            .iter()
            .chain(diagnostic.labels.iter().map(|l| &l.span))
        {
            span_in(&source.text, *span).unwrap_or_else(|e| panic!("{what}: {e}"));
        }
    }
    // Only a guard against hangs: the release build takes milliseconds.
    assert!(took < Duration::from_secs(20), "{what} took {took:?}");
}

const MIB: usize = 1 << 20;

#[test]
fn a_megabyte_of_open_brackets_is_diagnosed() {
    diagnosed("[ × 1 MiB", "[".repeat(MIB), codes::SYNTAX);
}

#[test]
fn a_megabyte_long_line_is_diagnosed() {
    // A query whose parameter list never closes: 200,000 names.
    let mut text = "Model: Endless\nQueries:\n  - q [".to_string();
    while text.len() < MIB {
        text.push_str("name ");
    }
    diagnosed("one endless line", text, codes::SYNTAX);
}

#[test]
fn a_megabyte_of_random_bytes_is_diagnosed() {
    // A fixed xorshift stream, so that a failure reproduces.
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let bytes: Vec<u8> = (0..MIB)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    diagnosed(
        "random bytes",
        String::from_utf8_lossy(&bytes).into_owned(),
        codes::SYNTAX,
    );
}

#[test]
fn a_line_beyond_the_parsers_budget_is_diagnosed() {
    let text = format!("Model: M\nQueries:\n  - q [{}]\n", "ab ".repeat(600_000));
    let source = Source::new("long.ddd", text.as_str());
    let (_, found) = esgen::syntax::parse(&source);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].message.contains("too long or too complex"),
        "{}",
        found[0].message
    );
    diagnosed("a line of 600,000 names", text, codes::SYNTAX);
}

#[test]
fn a_megabyte_of_nested_brackets_is_diagnosed() {
    let half = MIB / 2;
    let text = format!(
        "Model: Nested\nActions:\n  - a {}{} accepted as b []\n",
        "[".repeat(half),
        "]".repeat(half)
    );
    diagnosed("nested brackets", text, codes::SYNTAX);
}

#[test]
fn deeply_nested_types_are_diagnosed() {
    let text = format!(
        "Model: D\nEntity: E [id x]\nTerms:\n  - x: {}text\n",
        "list of ".repeat(100_000)
    );
    diagnosed("nested types", text, codes::SYNTAX);
    // Under the line's limit, but deeper than any type may be once the
    // aliases are unfolded.
    let mut text = "Model: D\nEntity: E [id t0]\nTerms:\n".to_string();
    for i in 0..40 {
        text.push_str(&format!("  - t{i}: {}t{}\n", "list of ".repeat(10), i + 1));
    }
    text.push_str("  - t40: text\n");
    diagnosed("nested aliases", text, codes::TYPE_TOO_DEEP);
}

#[test]
fn long_chains_of_terms_are_diagnosed() {
    // 5,000 aliases, each the next one's type.
    let mut text = "Model: D\nEntity: E [id a0]\nTerms:\n".to_string();
    for i in 0..5_000 {
        text.push_str(&format!("  - a{i}: a{}\n", i + 1));
    }
    text.push_str("  - a5000: text\n");
    diagnosed("a chain of aliases", text, codes::TYPE_TOO_DEEP);
    // A name that has the type of another through 20,000 `new-` prefixes.
    let text = format!("Model: D\nEntity: E [id {}id]\n", "new-".repeat(20_000));
    diagnosed("new-new-…", text, codes::TYPE_TOO_DEEP);
}

#[test]
fn a_spec_over_the_size_limit_is_refused_at_once() {
    let mut text = "Model: Big\n".to_string();
    text.push_str(&"#".repeat(esgen::syntax::MAX_SPEC_BYTES + 1 - text.len()));
    let started = Instant::now();
    let (file, found) = esgen::syntax::parse(&Source::new("big.ddd", text.as_str()));
    assert!(started.elapsed() < Duration::from_secs(1));
    assert!(file.models.is_empty());
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, codes::SPEC_TOO_LARGE);
    assert!(found[0].message.contains("16 MiB"), "{}", found[0].message);
    diagnosed("16 MiB + 1", text.clone(), codes::SPEC_TOO_LARGE);
    // The same diagnostic for a caller that checks a file's size first.
    let early = esgen::syntax::too_large(20 << 20);
    assert_eq!(early.code, codes::SPEC_TOO_LARGE);
    assert!(early.message.contains("20.0 MiB"), "{}", early.message);
    assert_eq!(early.help, found[0].help);
    // One byte less is read.
    text.pop();
    let (_, found) = esgen::syntax::parse(&Source::new("big.ddd", text));
    assert!(found.iter().all(|d| d.code != codes::SPEC_TOO_LARGE));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Rule lines, right or wrong, under actions: a checked model or
    /// located errors, never a panic; and what is accepted generates.
    #[test]
    fn rule_lines_never_panic(
        plan in prop::collection::vec(
            (
                prop::sample::select(RULE_ACTIONS),
                prop::collection::vec(prop::sample::select(RULE_LINES), 0..4),
            ),
            1..5,
        ),
    ) {
        let mut text = RULES_BASE.to_string();
        for (action, lines) in plan {
            text.push_str(action);
            text.push('\n');
            for line in lines {
                text.push_str(line);
                text.push('\n');
            }
        }
        check_text(text)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Scenario lines, right or wrong and in any order, under a model with
    /// rules: a checked model or located errors, never a panic; and what
    /// is accepted generates.
    #[test]
    fn scenario_lines_never_panic(
        lines in prop::collection::vec(prop::sample::select(SCENARIO_LINES), 0..12),
    ) {
        let mut text = format!("{RULES_BASE}{SCENARIO_ACTIONS}");
        for line in lines {
            text.push_str(line);
            text.push('\n');
        }
        check_text(text)?;
    }
}
