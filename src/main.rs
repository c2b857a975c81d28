//! The `esgen` command: a thin layer over the library.

use clap::{Parser, Subcommand};
use esgen::codegen::{FileSet, Owner};
use esgen::diagnostics::{self, codes, Diagnostic, Severity};
use esgen::output::{self, lock::Wait, Change};
use esgen::source::Source;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// A large spec allocates millions of small strings and frees them at the
/// end; with mimalloc a 1,000-model build takes half the CPU time it takes
/// with the system allocator (docs/performance.md). Only the command sets
/// it: programs that call the library keep their own.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const EXAMPLES: &str = "\
Examples:
  esgen build todos.ddd                 write the crate ./todos/
  esgen build todos.ddd --out crates/todos
  esgen build --check todos.ddd --out crates/todos   in CI: fail if the crate is stale
  esgen check todos.ddd loans.ddd       report problems, write nothing
  esgen check --explain todos.ddd       show every type and where it came from
  esgen check --message-format json todos.ddd   diagnostics for editors and CI
  esgen explain E0108                   what a diagnostic code means, with examples

Exit status: 0 success, 1 the spec has errors (or `--check` found the crate
stale), 2 usage or I/O trouble, or a crate directory esgen must not write.";

/// Compile a ubiquitous-language spec (`.ddd`) into a Rust crate.
#[derive(Parser)]
#[command(name = "esgen", version, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// How to print diagnostics: for people, or one JSON object per line on
    /// stdout (schema in docs/diagnostics.md).
    #[arg(long, global = true, value_enum, default_value_t = MessageFormat::Human)]
    message_format: MessageFormat,
    /// Treat warnings as errors.
    #[arg(long, global = true)]
    deny_warnings: bool,
    /// Show at most this many errors per spec (0: all). JSON shows all.
    #[arg(long, global = true, value_name = "N", default_value_t = diagnostics::DEFAULT_MAX_ERRORS)]
    max_errors: usize,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum MessageFormat {
    /// Located, with the source line (coloured on a terminal).
    Human,
    /// One JSON object per diagnostic, one per line, on stdout.
    Json,
}

/// How diagnostics are shown.
struct Ui {
    format: MessageFormat,
    deny_warnings: bool,
    max_errors: usize,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a crate from each spec (or regenerate it, keeping your code).
    Build {
        /// The spec files.
        #[arg(required = true, value_name = "SPEC")]
        specs: Vec<PathBuf>,
        /// The crate's directory (default: ./<spec name>/). Only with one spec.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Write nothing; exit 1 with a diff if the crate is not what a build
        /// would make (for CI).
        #[arg(long, conflicts_with_all = ["dry_run", "force"])]
        check: bool,
        /// Write nothing; list what a build would create, update, remove and
        /// keep.
        #[arg(long, conflicts_with = "force")]
        dry_run: bool,
        /// Overwrite generated files even if they were edited by hand. Your
        /// own files are never touched, with or without it.
        #[arg(long)]
        force: bool,
        /// A line per file.
        #[arg(short, long)]
        verbose: bool,
    },
    /// Check specs and report every problem; write nothing.
    Check {
        /// The spec files.
        #[arg(required = true, value_name = "SPEC")]
        specs: Vec<PathBuf>,
        /// Print every model's resolved types, saying which were inferred.
        #[arg(long)]
        explain: bool,
        /// Compare the events with this lock, or with the lock an older
        /// spec would have written, instead of the lock beside each spec
        /// (for review or CI: `--against main.lock`, `--against old.ddd`).
        #[arg(long, value_name = "LOCK_OR_SPEC")]
        against: Option<PathBuf>,
    },
    /// List every model (aggregate) of specs, with its commands, the events
    /// they are accepted as, and its queries.
    List {
        /// The spec files.
        #[arg(required = true, value_name = "SPEC")]
        specs: Vec<PathBuf>,
        /// One JSON object per spec, on a line of its own, for scripts.
        #[arg(long)]
        json: bool,
    },
    /// Write a spec's documentation: a Markdown page (glossary, models,
    /// rules, scenarios, a Mermaid diagram) and an SVG diagram per model.
    Doc {
        /// The spec.
        #[arg(value_name = "SPEC")]
        spec: PathBuf,
        /// Where to write (default: `./<spec name>-doc/`).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Serve editors: a language server over stdin and stdout
    /// (diagnostics as you type, formatting, document symbols).
    Lsp,
    /// Rewrite specs in esgen's canonical layout, keeping every comment.
    Fmt {
        /// The spec files.
        #[arg(required = true, value_name = "SPEC")]
        specs: Vec<PathBuf>,
        /// Write nothing; exit 1 with a diff if a spec is not in the
        /// layout (for CI).
        #[arg(long)]
        check: bool,
    },
    /// Write the contracts of every event version ever stored, for other
    /// languages: a JSON Schema (2020-12) or an AsyncAPI 3.0 document.
    Schema {
        /// The spec (its lock beside it says what was stored).
        #[arg(value_name = "SPEC")]
        spec: PathBuf,
        /// `jsonschema` (one document, every version under `$defs`) or
        /// `asyncapi` (a channel per model, a message per version).
        #[arg(long, value_enum, default_value = "jsonschema")]
        format: SchemaFormat,
        /// Write files into this directory instead of stdout: a JSON Schema
        /// per event version (`<Model>.<event>.v<n>.json`), or
        /// `asyncapi.json`.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Try a model before any Rust exists: read scenario steps (`when
    /// create-new [id: t1, text: "milk"]`, `given …`, `and <query> … is …`,
    /// `<query> [args]`, `model <Name>`, `reset`, `help`) from FILE or the
    /// terminal, and print what each comes to.
    Try {
        /// The spec file.
        #[arg(value_name = "SPEC")]
        spec: PathBuf,
        /// The steps to run, one per line (default: standard input).
        #[arg(value_name = "FILE")]
        steps: Option<PathBuf>,
        /// The model to start with (default: the first with actions).
        #[arg(long, value_name = "NAME")]
        model: Option<String>,
    },
    /// Explain a diagnostic code (`esgen explain E0108`), with examples.
    Explain {
        /// The code, as shown in brackets: `error[E0108]`.
        code: String,
    },
}

/// What `esgen schema` writes.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum SchemaFormat {
    /// JSON Schema, draft 2020-12.
    Jsonschema,
    /// AsyncAPI 3.0.
    Asyncapi,
}

/// The outcome of one spec, worst wins.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Status {
    Ok = 0,
    SpecErrors = 1,
    Trouble = 2,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ui = Ui {
        format: cli.message_format,
        deny_warnings: cli.deny_warnings,
        max_errors: cli.max_errors,
    };
    let ui = &ui;
    let status = match cli.command {
        Command::Build {
            specs,
            out,
            check,
            dry_run,
            force,
            verbose,
        } => {
            if out.is_some() && specs.len() > 1 {
                eprintln!("error: `--out` names one crate's directory, so it takes one spec; build the others separately");
                return ExitCode::from(Status::Trouble as u8);
            }
            let mode = if check {
                Mode::Check
            } else if dry_run {
                Mode::DryRun
            } else {
                Mode::Write { force }
            };
            specs
                .iter()
                .map(|spec| build(spec, out.as_deref(), mode, verbose, ui))
                .max()
        }
        Command::Check {
            specs,
            explain,
            against,
        } => {
            let against = match against.as_deref().map(|path| read_against(path, ui)) {
                Some(Ok(lock)) => Some(lock),
                Some(Err(status)) => return ExitCode::from(status as u8),
                None => None,
            };
            specs
                .iter()
                .map(|spec| check(spec, explain, against.as_ref(), ui))
                .max()
        }
        Command::List { specs, json } => specs.iter().map(|spec| list(spec, json, ui)).max(),
        Command::Doc { spec, out } => Some(doc(&spec, out.as_deref(), ui)),
        Command::Lsp => Some(match esgen::lsp::run_stdio() {
            Ok(()) => Status::Ok,
            Err(e) => {
                eprintln!("esgen lsp: {e}");
                Status::Trouble
            }
        }),
        Command::Fmt { specs, check } => specs.iter().map(|spec| fmt(spec, check, ui)).max(),
        Command::Schema { spec, format, out } => Some(schema(&spec, format, out.as_deref(), ui)),
        Command::Try { spec, steps, model } => {
            Some(try_model(&spec, steps.as_deref(), model.as_deref(), ui))
        }
        Command::Explain { code } => Some(explain_code(&code)),
    };
    ExitCode::from(status.unwrap_or(Status::Ok) as u8)
}

/// What `esgen build` does with the crate it generated in memory.
#[derive(Clone, Copy)]
enum Mode {
    /// Write it.
    Write { force: bool },
    /// Compare it with the disk.
    Check,
    /// Say what writing would do.
    DryRun,
}

fn build(path: &Path, out: Option<&Path>, mode: Mode, verbose: bool, ui: &Ui) -> Status {
    let source = match read(path, ui) {
        Ok(source) => source,
        Err(status) => return status,
    };
    let dir = out.map_or_else(
        || PathBuf::from(esgen::model::crate_name(source.stem())),
        Path::to_path_buf,
    );
    let (mut compiled, mut diagnostics) = esgen::compile(&source);
    if deny_warnings(ui, &mut diagnostics) {
        compiled = None;
    }
    if let (None, Some(compiled)) = (out, &compiled) {
        // Run from inside this spec's own crate, the default directory
        // would be a second crate nested in it.
        let here = std::fs::read_to_string("src/generated/mod.rs").unwrap_or_default();
        let first = |text: &str| text.lines().next().unwrap_or_default().to_string();
        let ours = compiled
            .files
            .get("src/generated/mod.rs")
            .map(|f| first(&f.contents));
        if !here.is_empty() && ours.is_some_and(|line| line == first(&here)) {
            eprintln!(
                "error: this directory is the crate of {}; without `--out`, esgen would build another one inside it, in `{}`. Rebuild this one with `--out .`",
                source.name,
                dir.display()
            );
            return Status::Trouble;
        }
    }
    report_diagnostics(ui, &source, &diagnostics);
    let Some(compiled) = compiled else {
        eprintln!(
            "{}: {}; nothing was written",
            source.name,
            count(&diagnostics)
        );
        return Status::SpecErrors;
    };
    match mode {
        Mode::Write { force } => {
            // Each part is dropped once written: on a large spec the
            // model, the files and the lock's text each weigh tens of MB.
            let esgen::Compiled { spec, files, lock } = compiled;
            drop(spec);
            let status = write(&source, &dir, &files, force, verbose, ui);
            drop(files);
            if status != Status::Ok {
                return status;
            }
            match esgen::write_lock(&source, &lock) {
                Ok(true) => {
                    eprintln!(
                        "locked the events of {} in {}: commit it beside the spec",
                        source.name,
                        esgen::lock_path(&source).display()
                    );
                    Status::Ok
                }
                Ok(false) => Status::Ok,
                Err(error) => {
                    report_diagnostics(ui, &source, std::slice::from_ref(&*error));
                    Status::Trouble
                }
            }
        }
        Mode::Check | Mode::DryRun => {
            let plan = match output::plan(&dir, &compiled.files) {
                Ok(plan) => plan,
                Err(refusal) => {
                    report_diagnostics(ui, &source, std::slice::from_ref(&refusal));
                    return Status::Trouble;
                }
            };
            if matches!(mode, Mode::Check) {
                let crate_status = check_crate(&source, &dir, &plan, ui);
                let lock = esgen::lock_path(&source);
                let stale = std::fs::read_to_string(&lock)
                    .map_or(true, |text| text != compiled.lock.render());
                if stale {
                    eprintln!(
                        "{} is not up to date with {}: rebuild with `esgen build {}` and commit it",
                        lock.display(),
                        source.name,
                        source.name
                    );
                    return Status::SpecErrors;
                }
                crate_status
            } else {
                dry_run(&source, &dir, &plan, verbose, ui)
            }
        }
    }
}

fn write(
    source: &Source,
    dir: &Path,
    files: &FileSet,
    force: bool,
    verbose: bool,
    ui: &Ui,
) -> Status {
    let mut options = output::Options {
        force,
        wait: Wait::Fail,
    };
    let mut result = output::write(dir, files, &options);
    if matches!(&result, Err(errors) if errors.iter().all(|e| e.code == codes::OUTPUT_LOCKED)) {
        eprintln!(
            "waiting for another esgen build of {} to finish…",
            dir.display()
        );
        options.wait = Wait::Block;
        result = output::write(dir, files, &options);
    }
    let report = match result {
        Ok(report) => report,
        Err(errors) => {
            report_diagnostics(ui, source, &errors);
            eprintln!(
                "{}: {}; {}",
                source.name,
                count(&errors),
                if errors.iter().any(|e| e
                    .help
                    .as_deref()
                    .is_some_and(|h| h.contains("changes were made")))
                {
                    "the build stopped part-way"
                } else {
                    "nothing was written"
                }
            );
            return Status::Trouble;
        }
    };
    if verbose {
        for (verb, paths) in [
            ("created", &report.created),
            ("updated", &report.updated),
            ("unchanged", &report.unchanged),
            ("removed", &report.removed),
            ("kept", &report.kept),
        ] {
            for path in paths {
                eprintln!("  {verb:<9} {}", path.display());
            }
        }
    }
    eprintln!(
        "built {} into {}: created {}, updated {}, unchanged {}, removed {}; kept {} of your files",
        source.name,
        dir.display(),
        report.created.len(),
        report.updated.len(),
        report.unchanged.len(),
        report.removed.len(),
        report.kept.len()
    );
    for notice in &report.notices {
        eprintln!("look at: {notice}");
    }
    Status::Ok
}

/// `esgen build --check`: a diff on stdout, a verdict on stderr.
/// With `--message-format json`, stdout holds only JSON, so the diff goes
/// to stderr.
fn check_crate(source: &Source, dir: &Path, plan: &output::Plan, ui: &Ui) -> Status {
    if plan.is_up_to_date() {
        eprintln!("{} is up to date with {}", dir.display(), source.name);
        return Status::Ok;
    }
    if ui.format == MessageFormat::Json {
        eprint!("{}", plan.diff());
    } else {
        print!("{}", plan.diff());
    }
    let report = plan.report();
    eprintln!(
        "{} is not what {} generates: {} file(s) differ, {} missing, {} to remove; rebuild with `esgen build {} --out {}`",
        dir.display(),
        source.name,
        report.updated.len(),
        report.created.len(),
        report.removed.len(),
        source.name,
        dir.display()
    );
    Status::SpecErrors
}

/// `esgen build --dry-run`: what a build would do, file by file.
fn dry_run(source: &Source, dir: &Path, plan: &output::Plan, verbose: bool, ui: &Ui) -> Status {
    // With `--message-format json`, stdout holds only JSON.
    let say = |line: String| {
        if ui.format == MessageFormat::Json {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    };
    for entry in &plan.entries {
        let what = match entry.change {
            Change::Create => "create",
            Change::Update => "update",
            Change::Remove => "remove",
            Change::Keep => "keep",
            Change::Unchanged if verbose => "unchanged",
            Change::Unchanged => continue,
        };
        let whose = if entry.owner == Owner::User {
            " (yours)"
        } else if entry.edited {
            " (edited by hand!)"
        } else {
            ""
        };
        say(format!("would {what:<9} {}{whose}", entry.path.display()));
    }
    for notice in &plan.notices {
        say(format!("then look at: {notice}"));
    }
    let report = plan.report();
    eprintln!(
        "dry run of {} into {}: would create {}, update {}, remove {}, leave {} unchanged; keep {} of your files; nothing was written",
        source.name,
        dir.display(),
        report.created.len(),
        report.updated.len(),
        report.removed.len(),
        report.unchanged.len(),
        report.kept.len()
    );
    let edits = plan.edits();
    if edits.is_empty() {
        Status::Ok
    } else {
        report_diagnostics(ui, source, &edits);
        eprintln!("a build would stop: generated files were edited by hand");
        Status::Trouble
    }
}

/// `esgen doc`: the documentation of a spec, written into a directory.
fn doc(path: &Path, out: Option<&Path>, ui: &Ui) -> Status {
    let source = match read(path, ui) {
        Ok(source) => source,
        Err(status) => return status,
    };
    let (spec, diagnostics) = esgen::check(&source);
    report_diagnostics(ui, &source, &diagnostics);
    let Some(spec) = spec else {
        eprintln!(
            "{}: {}; no documentation was written",
            source.name,
            count(&diagnostics)
        );
        return Status::SpecErrors;
    };
    let dir = out.map_or_else(
        || PathBuf::from(format!("{}-doc", source.stem())),
        Path::to_path_buf,
    );
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!(
            "error[{}]: cannot create `{}`: {e}",
            codes::IO,
            dir.display()
        );
        return Status::Trouble;
    }
    let files = esgen::doc::document(&spec, source.stem());
    for file in &files {
        if let Err(error) = esgen::output::disk::write_atomically(&dir.join(&file.name), &file.text)
        {
            report_diagnostics(ui, &source, std::slice::from_ref(&*error));
            return Status::Trouble;
        }
    }
    eprintln!("wrote {} file(s) into {}", files.len(), dir.display());
    Status::Ok
}

/// `esgen fmt`: the spec in the canonical layout, written in place, or
/// with `--check` a diff.
fn fmt(path: &Path, check: bool, ui: &Ui) -> Status {
    let source = match read(path, ui) {
        Ok(source) => source,
        Err(status) => return status,
    };
    let formatted = match esgen::format_spec(&source) {
        Ok(formatted) => formatted,
        Err(errors) => {
            report_diagnostics(ui, &source, &errors);
            eprintln!("{}: {}; it was left as it is", source.name, count(&errors));
            return Status::SpecErrors;
        }
    };
    if formatted == source.text {
        return Status::Ok;
    }
    if check {
        let diff = similar::TextDiff::from_lines(&source.text, &formatted)
            .unified_diff()
            .header(&source.name, &format!("{} (formatted)", source.name))
            .to_string();
        if ui.format == MessageFormat::Json {
            eprint!("{diff}");
        } else {
            print!("{diff}");
        }
        eprintln!(
            "{} is not in esgen's layout: run `esgen fmt {}`",
            source.name, source.name
        );
        return Status::SpecErrors;
    }
    match esgen::output::disk::write_atomically(path, &formatted) {
        Ok(()) => {
            eprintln!("formatted {}", source.name);
            Status::Ok
        }
        Err(error) => {
            report_diagnostics(ui, &source, std::slice::from_ref(&*error));
            Status::Trouble
        }
    }
}

/// `esgen schema`: the contracts of every locked event version, and the
/// spec's current ones.
fn schema(path: &Path, format: SchemaFormat, out: Option<&Path>, ui: &Ui) -> Status {
    use esgen::model::evolution::schema as contracts;
    let source = match read(path, ui) {
        Ok(source) => source,
        Err(status) => return status,
    };
    let (_, lock, diagnostics) = esgen::check_locked(&source);
    report_diagnostics(ui, &source, &diagnostics);
    let Some(lock) = lock else {
        eprintln!(
            "{}: {}; no schema was written",
            source.name,
            count(&diagnostics)
        );
        return Status::SpecErrors;
    };
    let pretty = |value: &serde_json::Value| {
        let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
        text.push('\n');
        text
    };
    let files: Vec<(String, String)> = match (format, out) {
        (SchemaFormat::Jsonschema, None) => {
            print!("{}", pretty(&contracts::json_schema(&lock)));
            return Status::Ok;
        }
        (SchemaFormat::Asyncapi, None) => {
            print!("{}", pretty(&contracts::asyncapi(&lock)));
            return Status::Ok;
        }
        (SchemaFormat::Jsonschema, Some(_)) => contracts::event_schemas(&lock)
            .into_iter()
            .map(|(name, schema)| {
                let document = contracts::standalone(&lock, &name, &schema);
                (format!("{name}.json"), pretty(&document))
            })
            .collect(),
        (SchemaFormat::Asyncapi, Some(_)) => {
            vec![(
                "asyncapi.json".to_string(),
                pretty(&contracts::asyncapi(&lock)),
            )]
        }
    };
    let dir = out.unwrap_or(Path::new("."));
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!(
            "error[{}]: cannot create `{}`: {e}",
            codes::IO,
            dir.display()
        );
        return Status::Trouble;
    }
    for (name, text) in &files {
        if let Err(error) = esgen::output::disk::write_atomically(&dir.join(name), text) {
            report_diagnostics(ui, &source, std::slice::from_ref(&*error));
            return Status::Trouble;
        }
    }
    eprintln!("wrote {} file(s) into {}", files.len(), dir.display());
    Status::Ok
}

/// The lock `--against` names: a lock file, or the lock an older spec
/// gives.
fn read_against(path: &Path, ui: &Ui) -> Result<esgen::Lock, Status> {
    if path.extension().is_some_and(|e| e == "lock") {
        let text = std::fs::read_to_string(path).map_err(|e| {
            eprintln!("error: cannot read `{}`: {e}", path.display());
            Status::Trouble
        })?;
        return esgen::Lock::parse(&text).map_err(|why| {
            eprintln!(
                "error[{}]: `{}` is not a lock esgen can read: {why}",
                codes::LOCK_UNREADABLE,
                path.display()
            );
            Status::Trouble
        });
    }
    let source = read(path, ui)?;
    let (_, lock, diagnostics) = esgen::check_with_lock(&source, None);
    lock.ok_or_else(|| {
        report_diagnostics(ui, &source, &diagnostics);
        eprintln!(
            "{}: {}; it cannot be compared with",
            source.name,
            count(&diagnostics)
        );
        Status::Trouble
    })
}

fn check(path: &Path, explain: bool, against: Option<&esgen::Lock>, ui: &Ui) -> Status {
    let source = match read(path, ui) {
        Ok(source) => source,
        Err(status) => return status,
    };
    let (mut spec, mut diagnostics) = match against {
        Some(lock) => {
            let (spec, _, diagnostics) = esgen::check_with_lock(&source, Some(lock));
            (spec, diagnostics)
        }
        None => esgen::check(&source),
    };
    if deny_warnings(ui, &mut diagnostics) {
        spec = None;
    }
    report_diagnostics(ui, &source, &diagnostics);
    let scenarios = spec
        .as_ref()
        .and_then(|spec| esgen::eval::scenarios::summary(&esgen::eval::scenarios::run(spec)))
        .map_or_else(String::new, |said| format!("; {said}"));
    eprintln!("{}: {}{scenarios}", source.name, count(&diagnostics));
    match spec {
        Some(spec) => {
            if explain {
                print!("{}", esgen::model::explain::explain(&spec));
            }
            Status::Ok
        }
        None => Status::SpecErrors,
    }
}

/// `esgen try`: each step read, run and answered; a mistake or an answer
/// that differs makes the exit status say so.
fn try_model(path: &Path, steps: Option<&Path>, model: Option<&str>, ui: &Ui) -> Status {
    use esgen::eval::session::{Reply, Session};
    use std::io::BufRead;
    let source = match read(path, ui) {
        Ok(source) => source,
        Err(status) => return status,
    };
    let (spec, diagnostics) = esgen::check(&source);
    let Some(spec) = spec else {
        report_diagnostics(ui, &source, &diagnostics);
        eprintln!("{}: {}", source.name, count(&diagnostics));
        return Status::SpecErrors;
    };
    let mut session = Session::new(&spec);
    if let Some(name) = model {
        if let Reply::Said(said) = session.line(&format!("model {name}")) {
            said.iter().for_each(|line| eprintln!("{line}"));
        }
    }
    let input: Box<dyn BufRead> = match steps {
        Some(file) => match std::fs::File::open(file) {
            Ok(file) => Box::new(std::io::BufReader::new(file)),
            Err(e) => {
                eprintln!("error: cannot read `{}`: {e}", file.display());
                return Status::Trouble;
            }
        },
        None => Box::new(std::io::stdin().lock()),
    };
    let interactive = steps.is_none() && std::io::stdin().is_terminal();
    if interactive {
        eprintln!("trying {}: `help` lists what to write", source.name);
    }
    let mut status = Status::Ok;
    let prompt = |session: &Session<'_>| {
        if interactive {
            eprint!("{}> ", session.model());
        }
    };
    prompt(&session);
    for line in input.lines() {
        let Ok(line) = line else { break };
        match session.line(&line) {
            Reply::Said(said) => said.iter().for_each(|l| println!("{l}")),
            Reply::Differs(said) => {
                said.iter().for_each(|l| println!("{l}"));
                status = status.max(Status::SpecErrors);
            }
            Reply::Wrong(line_source, found) => {
                report_diagnostics(ui, &line_source, &found);
                status = status.max(Status::SpecErrors);
            }
        }
        prompt(&session);
    }
    if interactive {
        eprintln!();
    }
    status
}

fn list(path: &Path, json: bool, ui: &Ui) -> Status {
    let source = match read(path, ui) {
        Ok(source) => source,
        Err(status) => return status,
    };
    let (spec, diagnostics) = esgen::check(&source);
    let Some(spec) = spec else {
        report_diagnostics(ui, &source, &diagnostics);
        eprintln!("{}: {}", source.name, count(&diagnostics));
        return Status::SpecErrors;
    };
    let listing = esgen::model::list::list(&spec);
    if json {
        match serde_json::to_string(&listing) {
            Ok(line) => println!("{line}"),
            Err(error) => {
                eprintln!("error: {error}");
                return Status::Trouble;
            }
        }
    } else {
        print!("{}", esgen::model::list::render(&listing));
    }
    Status::Ok
}

/// Reads a spec, reporting why when it cannot: a file that is not UTF-8 is
/// a spec error, one that cannot be read (missing, a directory) is trouble.
fn read(path: &Path, ui: &Ui) -> Result<Source, Status> {
    esgen::read_spec(path).map_err(|failure| {
        let (source, diagnostic) = *failure;
        report_diagnostics(ui, &source, std::slice::from_ref(&diagnostic));
        if diagnostic.code == codes::NOT_UTF8 || diagnostic.code == codes::SPEC_TOO_LARGE {
            Status::SpecErrors
        } else {
            Status::Trouble
        }
    })
}

/// `2 error(s), 1 warning(s)`.
fn count(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    format!("{errors} error(s), {warnings} warning(s)")
}

/// `--deny-warnings`: turns warnings into errors. Whether it did.
fn deny_warnings(ui: &Ui, diagnostics: &mut [Diagnostic]) -> bool {
    if !ui.deny_warnings {
        return false;
    }
    let mut denied = false;
    for diagnostic in diagnostics
        .iter_mut()
        .filter(|d| d.severity == Severity::Warning)
    {
        diagnostic.severity = Severity::Error;
        let why = "this warning is an error because of `--deny-warnings`";
        diagnostic.help = Some(match diagnostic.help.take() {
            Some(help) => format!("{help}\n{why}"),
            None => why.to_string(),
        });
        denied = true;
    }
    denied
}

fn report_diagnostics(ui: &Ui, source: &Source, diagnostics: &[Diagnostic]) {
    if diagnostics.is_empty() {
        return;
    }
    if ui.format == MessageFormat::Json {
        // Every diagnostic: tools filter for themselves.
        print!("{}", diagnostics::render_json(source, diagnostics));
        return;
    }
    let capped = diagnostics::cap(diagnostics, ui.max_errors);
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    if colour {
        use diagnostics::termcolor::{ColorChoice, StandardStream};
        let mut stderr = StandardStream::stderr(ColorChoice::Auto);
        diagnostics::render_coloured(source, capped.shown, &mut stderr);
    } else {
        eprint!("{}", diagnostics::render(source, capped.shown));
    }
    if let Some(summary) = capped.summary() {
        eprintln!("{summary} (show them all with `--max-errors 0`)\n");
    }
}

/// `esgen explain CODE`.
fn explain_code(code: &str) -> Status {
    if let Some(text) = diagnostics::explain(code) {
        print!("{text}");
        return Status::Ok;
    }
    let known = diagnostics::codes::ALL;
    let upper = code.trim().to_uppercase();
    match diagnostics::did_you_mean(&upper, known.iter().copied()) {
        Some(near) => eprintln!("error: esgen has no code `{code}`; did you mean `{near}`?"),
        None => eprintln!(
            "error: esgen has no code `{code}`; codes look like `E0108` or `W0001` (all of them: docs/diagnostics.md)"
        ),
    }
    Status::Trouble
}
