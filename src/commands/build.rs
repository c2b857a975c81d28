//! `esgen build`: a crate generated from each spec and written, compared
//! with the disk (`--check`) or planned (`--dry-run`).

use super::{count, deny_warnings, read, report_diagnostics, MessageFormat, Status, Ui};
use esgen::codegen::{FileSet, Owner};
use esgen::diagnostics::codes;
use esgen::output::{self, lock::Wait, Change};
use esgen::source::Source;
use std::path::{Path, PathBuf};

/// `esgen build SPEC…`: each spec built in turn, the worst status wins.
pub fn run(
    specs: &[PathBuf],
    out: Option<&Path>,
    check: bool,
    dry_run: bool,
    force: bool,
    verbose: bool,
    ui: &Ui,
) -> Status {
    if out.is_some() && specs.len() > 1 {
        eprintln!("error: `--out` names one crate's directory, so it takes one spec; build the others separately");
        return Status::Trouble;
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
        .map(|spec| build(spec, out, mode, verbose, ui))
        .max()
        .unwrap_or(Status::Ok)
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
