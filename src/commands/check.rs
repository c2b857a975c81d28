//! `esgen check`: every problem of each spec reported, nothing written;
//! with `--explain`, every model's resolved types.

use super::{count, deny_warnings, read, report_diagnostics, Status, Ui};
use esgen::diagnostics::codes;
use std::path::{Path, PathBuf};

/// `esgen check SPEC…`: the events compared with the lock `--against`
/// names, or with each spec's own; the worst status wins.
pub fn run(specs: &[PathBuf], explain: bool, against: Option<&Path>, ui: &Ui) -> Status {
    let against = match against.map(|path| read_against(path, ui)) {
        Some(Ok(lock)) => Some(lock),
        Some(Err(status)) => return status,
        None => None,
    };
    specs
        .iter()
        .map(|spec| check(spec, explain, against.as_ref(), ui))
        .max()
        .unwrap_or(Status::Ok)
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
