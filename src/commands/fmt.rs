//! `esgen fmt`: specs rewritten in esgen's canonical layout.

use super::{count, read, report_diagnostics, MessageFormat, Status, Ui};
use std::path::{Path, PathBuf};

/// `esgen fmt SPEC…`: each spec formatted (or checked) in turn, the worst
/// status wins.
pub fn run(specs: &[PathBuf], check: bool, ui: &Ui) -> Status {
    specs
        .iter()
        .map(|spec| fmt(spec, check, ui))
        .max()
        .unwrap_or(Status::Ok)
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
