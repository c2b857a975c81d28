//! The `esgen` command: a thin layer over the library.

use clap::{Parser, Subcommand};
use esgen::diagnostics::{self, codes, Diagnostic, Severity};
use esgen::source::Source;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  esgen build todos.ddd                 write the crate ./todos/
  esgen build todos.ddd --out crates/todos
  esgen check todos.ddd loans.ddd       report problems, write nothing
  esgen check --explain todos.ddd       show every type and where it came from

Exit status: 0 success, 1 the spec has errors, 2 usage or I/O trouble.";

/// Compile a ubiquitous-language spec (`.ddd`) into a Rust crate.
#[derive(Parser)]
#[command(name = "esgen", version, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
    },
    /// Check specs and report every problem; write nothing.
    Check {
        /// The spec files.
        #[arg(required = true, value_name = "SPEC")]
        specs: Vec<PathBuf>,
        /// Print every model's resolved types, saying which were inferred.
        #[arg(long)]
        explain: bool,
    },
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
    let status = match cli.command {
        Command::Build { specs, out } => {
            if out.is_some() && specs.len() > 1 {
                eprintln!("error: `--out` names one crate's directory, so it takes one spec; build the others separately");
                return ExitCode::from(Status::Trouble as u8);
            }
            specs.iter().map(|spec| build(spec, out.as_deref())).max()
        }
        Command::Check { specs, explain } => specs.iter().map(|spec| check(spec, explain)).max(),
    };
    ExitCode::from(status.unwrap_or(Status::Ok) as u8)
}

fn build(path: &Path, out: Option<&Path>) -> Status {
    let source = match read(path) {
        Ok(source) => source,
        Err(status) => return status,
    };
    let dir = out.map_or_else(
        || PathBuf::from(esgen::model::crate_name(source.stem())),
        Path::to_path_buf,
    );
    let (report, diagnostics) = esgen::build(&source, &dir);
    report_diagnostics(&source, &diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        eprintln!(
            "{}: {}; nothing was written",
            source.name,
            count(&diagnostics)
        );
    }
    let Some(report) = report else {
        return if diagnostics
            .iter()
            .any(|d| d.code == codes::IO || d.code == codes::OUTPUT_CONFLICT)
        {
            Status::Trouble
        } else {
            Status::SpecErrors
        };
    };
    let written = report.created.len() + report.updated.len();
    eprintln!(
        "built {} into {}: {written} file(s) written ({} new), {} unchanged, {} removed, {} of your file(s) kept",
        source.name,
        dir.display(),
        report.created.len(),
        report.unchanged.len(),
        report.removed.len(),
        report.kept.len()
    );
    for notice in &report.notices {
        eprintln!("note: {notice}");
    }
    Status::Ok
}

fn check(path: &Path, explain: bool) -> Status {
    let source = match read(path) {
        Ok(source) => source,
        Err(status) => return status,
    };
    let (spec, diagnostics) = esgen::check(&source);
    report_diagnostics(&source, &diagnostics);
    eprintln!("{}: {}", source.name, count(&diagnostics));
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

/// Reads a spec, reporting why when it cannot: a file that is not UTF-8 is
/// a spec error, one that cannot be read (missing, a directory) is trouble.
fn read(path: &Path) -> Result<Source, Status> {
    esgen::read_spec(path).map_err(|failure| {
        let (source, diagnostic) = *failure;
        report_diagnostics(&source, std::slice::from_ref(&diagnostic));
        if diagnostic.code == codes::NOT_UTF8 {
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

fn report_diagnostics(source: &Source, diagnostics: &[Diagnostic]) {
    if diagnostics.is_empty() {
        return;
    }
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    if colour {
        use diagnostics::termcolor::{ColorChoice, StandardStream};
        let mut stderr = StandardStream::stderr(ColorChoice::Auto);
        diagnostics::render_coloured(source, diagnostics, &mut stderr);
    } else {
        eprint!("{}", diagnostics::render(source, diagnostics));
    }
}
