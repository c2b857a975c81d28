//! `esgen doc`: a spec's documentation, a Markdown page, an SVG diagram
//! per model and one per lifecycle.

use super::{count, read, report_diagnostics, Status, Ui};
use esgen::diagnostics::codes;
use std::path::{Path, PathBuf};

/// `esgen doc`: the documentation of a spec, written into a directory.
pub fn run(path: &Path, out: Option<&Path>, ui: &Ui) -> Status {
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
