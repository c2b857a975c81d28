//! The `esgen` command: a thin layer over the library.

mod commands;

use clap::{Parser, Subcommand};
use commands::schema::SchemaFormat;
use commands::{MessageFormat, Ui};
use esgen::diagnostics;
use std::path::PathBuf;
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
    /// Write a spec's documentation: a Markdown page (how the models work
    /// together, glossary, models, rules, scenarios, Mermaid diagrams), an
    /// SVG diagram per model and one per lifecycle.
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
        } => commands::build::run(&specs, out.as_deref(), check, dry_run, force, verbose, ui),
        Command::Check {
            specs,
            explain,
            against,
        } => commands::check::run(&specs, explain, against.as_deref(), ui),
        Command::List { specs, json } => commands::list::run(&specs, json, ui),
        Command::Doc { spec, out } => commands::doc::run(&spec, out.as_deref(), ui),
        Command::Lsp => commands::lsp::run(),
        Command::Fmt { specs, check } => commands::fmt::run(&specs, check, ui),
        Command::Schema { spec, format, out } => {
            commands::schema::run(&spec, format, out.as_deref(), ui)
        }
        Command::Try { spec, steps, model } => {
            commands::try_::run(&spec, steps.as_deref(), model.as_deref(), ui)
        }
        Command::Explain { code } => commands::explain::run(&code),
    };
    ExitCode::from(status as u8)
}
