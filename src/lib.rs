//! esgen compiles a ubiquitous-language spec into a Rust crate.
//!
//! The pipeline, one module per stage, each handing the next a plain value:
//!
//! 1. [`syntax`]: spec text → syntax tree with spans ([`syntax::ast::SpecFile`]);
//! 2. [`model`]: syntax tree → checked semantic model ([`model::ir::Spec`]);
//! 3. [`codegen`]: semantic model → the crate's files in memory ([`codegen::FileSet`]);
//! 4. [`output`]: file set → the crate on disk ([`output::Report`]).
//!
//! Every stage reports problems as [`diagnostics::Diagnostic`]s. [`compile`]
//! runs stages 1–3 and [`build`] all four; build scripts call these.
//!
//! ```no_run
//! let source = esgen::read_spec("specs/todos.ddd".as_ref()).expect("readable spec");
//! let (report, diagnostics) = esgen::build(&source, "todos".as_ref());
//! eprint!("{}", esgen::diagnostics::render(&source, &diagnostics));
//! assert!(report.is_some());
//! ```

pub mod codegen;
pub mod diagnostics;
pub mod doc;
pub mod eval;
pub mod lsp;
pub mod model;
pub mod output;
pub mod source;
pub mod syntax;

use diagnostics::{codes, has_errors, Diagnostic};
use source::{Source, Span};
use std::path::Path;

/// A spec compiled in memory: its semantic model and the crate's files.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The checked model.
    pub spec: model::ir::Spec,
    /// Every file of the crate.
    pub files: codegen::FileSet,
    /// The lock to keep beside the spec: the one read, with the spec's
    /// current event versions added.
    pub lock: Lock,
}

pub use model::evolution::lock::Lock;

/// Where the lock of a spec is kept: beside it, `todos.lock` for
/// `todos.ddd`.
pub fn lock_path(source: &Source) -> std::path::PathBuf {
    Path::new(&source.name).with_extension("lock")
}

/// Reads the lock beside a spec: `None` when there is none yet.
///
/// # Errors
///
/// A located `E0309` when the file cannot be read or is not a lock.
pub fn read_lock(source: &Source) -> Result<Option<Lock>, Box<Diagnostic>> {
    let path = lock_path(source);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Box::new(
            Diagnostic::error(
                codes::LOCK_UNREADABLE,
                format!("cannot read the lock `{}`: {e}", path.display()),
            )
            .with_help(
                "the lock records what crates of this spec stored; restore it from version control",
            ),
        )),
    };
    Lock::parse(&text).map(Some).map_err(|why| {
        Box::new(
            Diagnostic::error(
                codes::LOCK_UNREADABLE,
                format!(
                    "the lock `{}` is not one esgen can read: {why}",
                    path.display()
                ),
            )
            .with_help(
                "esgen writes the lock; restore it from version control rather than editing it",
            ),
        )
    })
}

/// Reads a spec file. A file that is not UTF-8 comes back as an error
/// diagnostic located at its first bad byte, with the source to render it;
/// a file larger than [`syntax::MAX_SPEC_BYTES`] is refused unread.
pub fn read_spec(path: &Path) -> Result<Source, Box<(Source, Diagnostic)>> {
    let name = path.display().to_string();
    let unreadable = |e: std::io::Error| {
        let diagnostic = Diagnostic::error(codes::IO, format!("cannot read `{name}`: {e}"));
        Box::new((Source::new(name.clone(), String::new()), diagnostic))
    };
    // A file far too large to be a spec is refused before it is read.
    let len = std::fs::metadata(path).map_err(unreadable)?.len();
    if len > syntax::MAX_SPEC_BYTES as u64 {
        let source = Source::new(name.clone(), String::new());
        return Err(Box::new((source, syntax::too_large(len))));
    }
    let bytes = std::fs::read(path).map_err(unreadable)?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Source::new(name, text)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let source = Source::new(name, String::from_utf8_lossy(e.as_bytes()).into_owned());
            let (line, column) = source.line_col(at);
            let diagnostic = Diagnostic::error(
                codes::NOT_UTF8,
                format!("the spec is not UTF-8: byte {at} (line {line}, column {column}) is not valid UTF-8"),
            )
            .at_labelled(Span::new(at, at + char::REPLACEMENT_CHARACTER.len_utf8()), "this byte")
            .with_help("save the file as UTF-8");
            Err(Box::new((source, diagnostic)))
        }
    }
}

/// Checks a spec: parse, then analyse, then compare with the lock beside it
/// ([`read_lock`]). Returns the semantic model when the spec has no errors,
/// and every diagnostic either way.
pub fn check(source: &Source) -> (Option<model::ir::Spec>, Vec<Diagnostic>) {
    let (spec, _, diagnostics) = check_locked(source);
    (spec, diagnostics)
}

/// [`check`], with the lock to keep: the one read, with the spec's current
/// versions added (`None` with the spec).
pub fn check_locked(source: &Source) -> (Option<model::ir::Spec>, Option<Lock>, Vec<Diagnostic>) {
    match read_lock(source) {
        Ok(lock) => check_with_lock(source, lock.as_ref()),
        Err(unreadable) => (None, None, vec![*unreadable]),
    }
}

/// [`check`] against the given lock (`None`: nothing stored yet), reading
/// no file. Last, when all else checks, the scenarios are run by the
/// reference evaluator ([`eval`]): one that does not hold is an error.
pub fn check_with_lock(
    source: &Source,
    lock: Option<&Lock>,
) -> (Option<model::ir::Spec>, Option<Lock>, Vec<Diagnostic>) {
    let (file, spec, next, mut diagnostics) = check_model(source, lock);
    let Some(mut spec) = spec else {
        return (None, None, diagnostics);
    };
    let runs = eval::scenarios::run(&spec);
    let failed = eval::scenarios::diagnostics(source, &spec, &runs);
    if failed.is_empty() {
        // What each scenario shows, and so `W0003`, by the rejections
        // that happened.
        let actual = rejections(&runs);
        let untested = model::scenarios::credit(&file, &mut spec, &actual);
        diagnostics.retain(|d| d.code != codes::UNTESTED);
        diagnostics.extend(untested);
        diagnostics.sort_by_key(|d| d.span.map_or(usize::MAX, |s| s.start));
        return (Some(spec), next, diagnostics);
    }
    diagnostics.extend(failed);
    diagnostics.sort_by_key(|d| d.span.map_or(usize::MAX, |s| s.start));
    (None, None, diagnostics)
}

/// The rule that rejected each scenario that held with a rejection:
/// (model, scenario, rule).
fn rejections(runs: &[eval::scenarios::Run]) -> Vec<(usize, usize, String)> {
    runs.iter()
        .filter(|run| run.ran == eval::scenarios::Ran::Passed)
        .filter_map(|run| Some((run.model, run.scenario, run.rejected_by.clone()?)))
        .collect()
}

/// [`check_with_lock`] without running the scenarios.
pub fn check_rules(
    source: &Source,
    lock: Option<&Lock>,
) -> (Option<model::ir::Spec>, Option<Lock>, Vec<Diagnostic>) {
    let (_, spec, next, diagnostics) = check_model(source, lock);
    (spec, next, diagnostics)
}

/// [`check_rules`], with the syntax tree.
fn check_model(
    source: &Source,
    lock: Option<&Lock>,
) -> (
    syntax::ast::SpecFile,
    Option<model::ir::Spec>,
    Option<Lock>,
    Vec<Diagnostic>,
) {
    let (file, spec, mut diagnostics) = analyze(source);
    let Some(mut spec) = spec else {
        return (file, None, None, diagnostics);
    };
    let mut evolution = Vec::new();
    let next = model::evolution::apply(&file, &mut spec, lock, &mut evolution);
    evolution.sort_by_key(|d| d.span.map_or(usize::MAX, |s| s.start));
    if has_errors(&evolution) {
        // The change breaks what is stored: that comes first, before what
        // else it broke (scenarios that name the event's old fields).
        evolution.append(&mut diagnostics);
        diagnostics = evolution;
    } else {
        diagnostics.append(&mut evolution);
        diagnostics.sort_by_key(|d| d.span.map_or(usize::MAX, |s| s.start));
    }
    if has_errors(&diagnostics) {
        return (file, None, None, diagnostics);
    }
    (file, Some(spec), Some(next), diagnostics)
}

/// Parse and analyse, no lock. The model comes back with errors too when
/// they are all about scenarios ([`model::analyze_in_part`]), to be
/// compared with the lock.
fn analyze(
    source: &Source,
) -> (
    syntax::ast::SpecFile,
    Option<model::ir::Spec>,
    Vec<Diagnostic>,
) {
    let (file, mut diagnostics) = syntax::parse(source);
    let syntax_errors = has_errors(&diagnostics);
    if syntax_errors && file.models.is_empty() {
        return (file, None, diagnostics);
    }
    let (spec, mut more) = model::analyze_in_part(&file, source);
    if syntax_errors {
        // Warnings about a spec whose lines did not all parse are noise:
        // the term they call undeclared may sit on the broken line.
        more.retain(Diagnostic::is_error);
    }
    diagnostics.append(&mut more);
    // In file order; diagnostics without a place (about the whole spec) last.
    diagnostics.sort_by_key(|d| d.span.map_or(usize::MAX, |s| s.start));
    if syntax_errors {
        return (file, None, diagnostics);
    }
    (file, spec, diagnostics)
}

/// Checks a spec against the lock beside it and generates its crate in
/// memory.
pub fn compile(source: &Source) -> (Option<Compiled>, Vec<Diagnostic>) {
    let (spec, lock, diagnostics) = check_locked(source);
    let compiled = spec.zip(lock).map(|(spec, lock)| Compiled {
        files: codegen::generate(&spec),
        spec,
        lock,
    });
    (compiled, diagnostics)
}

/// The spec's text in esgen's canonical layout (`esgen fmt`).
///
/// # Errors
///
/// The spec's syntax errors, when it has any: a spec that does not parse
/// is not formatted. And, as a guard, an error when the layout would change
/// what the spec means (the checked model, or the problems found in it).
pub fn format_spec(source: &Source) -> Result<String, Vec<Diagnostic>> {
    let (_, diagnostics) = syntax::parse(source);
    if has_errors(&diagnostics) {
        return Err(diagnostics
            .into_iter()
            .filter(Diagnostic::is_error)
            .collect());
    }
    let formatted = syntax::format::format(&source.text);
    let after = Source::new(source.name.clone(), formatted.clone());
    if meaning(source) != meaning(&after) {
        return Err(vec![Diagnostic::error(
            codes::SYNTAX,
            "formatting would change what this spec means, so it was left as it is",
        )
        .with_help("please report this spec to esgen's maintainers")]);
    }
    Ok(formatted)
}

/// What a spec means, independent of its layout: the checked model (with
/// line numbers and lines as written left out), or the problems found.
fn meaning(source: &Source) -> serde_json::Value {
    fn strip(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                for key in ["line", "then_line", "text", "spec_line"] {
                    map.remove(key);
                }
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let (spec, _, diagnostics) = check_with_lock(source, None);
    let mut value = match spec {
        Some(spec) => serde_json::to_value(&spec).unwrap_or_default(),
        None => serde_json::Value::Array(
            diagnostics
                .iter()
                .map(|d| serde_json::Value::String(format!("{} {}", d.code, d.message)))
                .collect(),
        ),
    };
    strip(&mut value);
    value
}

/// Writes the lock beside the spec when it changed.
///
/// # Errors
///
/// When the file cannot be written.
pub fn write_lock(source: &Source, lock: &Lock) -> Result<bool, Box<Diagnostic>> {
    let path = lock_path(source);
    let text = lock.render();
    if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
        return Ok(false);
    }
    output::disk::write_atomically(&path, &text)?;
    Ok(true)
}

/// Compiles a spec and writes its crate into `dir` (not the lock: the
/// `esgen` command writes it beside the spec, with [`write_lock`]). Writes nothing when the
/// spec has errors, when `dir` is not this spec's crate, or when a generated
/// file there was edited by hand. Waits for another build of `dir` to end.
pub fn build(source: &Source, dir: &Path) -> (Option<output::Report>, Vec<Diagnostic>) {
    build_with(source, dir, &output::Options::default())
}

/// [`build`], with [`output::Options`] (`--force`, whether to wait for a
/// lock).
pub fn build_with(
    source: &Source,
    dir: &Path,
    options: &output::Options,
) -> (Option<output::Report>, Vec<Diagnostic>) {
    let (compiled, mut diagnostics) = compile(source);
    let Some(compiled) = compiled else {
        return (None, diagnostics);
    };
    match output::write(dir, &compiled.files, options) {
        Ok(report) => (Some(report), diagnostics),
        Err(mut errors) => {
            diagnostics.append(&mut errors);
            (None, diagnostics)
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::codes;
    use crate::source::Source;

    /// Scenarios whose rejection the spec alone cannot attribute: one
    /// rejected by the constraints of an action with one guard, one
    /// quoting a message two guards give, one naming no kind or message.
    const SPEC: &str = r#"Model: Todos
Entity: Todo [id text priority]
Terms:
  - text: text, not blank
  - priority: integer, between 1 and 5, default 3
Queries:
  - has-todo? [id]
Actions:
  - create-new [id text] accepted as created [id text priority]
    rejected if has-todo? [id]: "no"
    adds Todo
  - reprioritise [id priority] accepted as reprioritised [id priority]
    rejected unless has-todo? [id]: "no"
    rejected if priority is 5: "no"
    sets priority of Todo [id] to priority
Scenarios:
  - a todo is created
    when create-new [id: t1, text: "a"]
    then created [id: t1, text: "a", priority: 3]
  - blank text is refused
    when create-new [id: t2, text: " "]
    then rejected as invalid
  - top priority is refused
    given created [id: t1, text: "a"]
    when reprioritise [id: t1, priority: 5]
    then rejected: "no"
  - an absent todo is refused
    when reprioritise [id: t1, priority: 2]
    then rejected as not-found
  - a priority out of bounds is refused
    given created [id: t1, text: "a"]
    when reprioritise [id: t1, priority: 9]
    then rejected
"#;

    #[test]
    fn a_scenario_shows_the_rule_that_rejected_its_command() {
        let source = Source::new("t.ddd", SPEC);
        let (spec, _, diagnostics) = super::check_with_lock(&source, None);
        let spec = spec.expect("the spec checks");
        let covers: Vec<Vec<&str>> = spec.models[0]
            .scenarios
            .iter()
            .map(|s| s.covers.iter().map(String::as_str).collect())
            .collect();
        assert_eq!(
            covers,
            [
                vec!["create-new"],
                vec!["create-new", "create-new/constraints"],
                vec!["reprioritise", "reprioritise/if-priority-is-5"],
                vec!["reprioritise", "reprioritise/unless-has-todo"],
                vec!["reprioritise", "reprioritise/constraints"],
            ]
        );
        let untested: Vec<&str> = diagnostics
            .iter()
            .filter(|d| d.code == codes::UNTESTED)
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(
            untested,
            ["no scenario shows `create-new/if-has-todo` rejecting"]
        );
    }
}
