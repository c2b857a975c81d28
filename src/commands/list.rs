//! `esgen list`: every model of each spec, with its commands, events and
//! queries.

use super::{count, read, report_diagnostics, Status, Ui};
use std::path::{Path, PathBuf};

/// `esgen list SPEC…`: each spec listed in turn, the worst status wins.
pub fn run(specs: &[PathBuf], json: bool, ui: &Ui) -> Status {
    specs
        .iter()
        .map(|spec| list(spec, json, ui))
        .max()
        .unwrap_or(Status::Ok)
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
