//! The commands of `esgen`, one module each, and what they share: how
//! diagnostics are shown ([`Ui`]), how a spec is read, and the exit
//! status ([`Status`]).

pub mod build;
pub mod check;
pub mod doc;
pub mod explain;
pub mod fmt;
pub mod list;
pub mod lsp;
pub mod schema;
pub mod try_;

use esgen::diagnostics::{self, codes, Diagnostic, Severity};
use esgen::source::Source;
use std::io::IsTerminal as _;
use std::path::Path;

/// `--message-format`: how diagnostics are printed.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MessageFormat {
    /// Located, with the source line (coloured on a terminal).
    Human,
    /// One JSON object per diagnostic, one per line, on stdout.
    Json,
}

/// How diagnostics are shown.
pub struct Ui {
    pub format: MessageFormat,
    pub deny_warnings: bool,
    pub max_errors: usize,
}

/// The outcome of one spec, worst wins.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Ok = 0,
    SpecErrors = 1,
    Trouble = 2,
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
