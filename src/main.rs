//! The `esgen` command: a thin layer over the library.

use clap::{Parser, Subcommand};
use esgen::diagnostics::{self, codes, Diagnostic};
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
    let Some(source) = read(path) else {
        return status_of_read(path);
    };
    let dir = out.map_or_else(
        || PathBuf::from(esgen::model::crate_name(source.stem())),
        Path::to_path_buf,
    );
    let (report, diagnostics) = esgen::build(&source, &dir);
    report_diagnostics(&source, &diagnostics);
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
    let Some(source) = read(path) else {
        return status_of_read(path);
    };
    let (spec, diagnostics) = esgen::check(&source);
    report_diagnostics(&source, &diagnostics);
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

/// Reads a spec, reporting why when it cannot.
fn read(path: &Path) -> Option<Source> {
    match esgen::read_spec(path) {
        Ok(source) => Some(source),
        Err(failure) => {
            let (source, diagnostic) = *failure;
            report_diagnostics(&source, std::slice::from_ref(&diagnostic));
            None
        }
    }
}

/// A file that is not UTF-8 is a spec error; one that cannot be read is trouble.
fn status_of_read(path: &Path) -> Status {
    if std::fs::metadata(path).is_ok() {
        Status::SpecErrors
    } else {
        Status::Trouble
    }
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
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    if errors > 0 {
        eprintln!("{}: {errors} error(s); nothing was written", source.name);
    }
}
