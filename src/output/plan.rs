//! Deciding what a build will do, before it does anything.
//!
//! [`plan`] reads the crate directory and compares it with the file set:
//! which files to create, update, leave alone, keep (the user's) or remove
//! (esgen's, of models no longer in the spec). It refuses directories that
//! are not this spec's crate, and notes generated files edited by hand. It
//! writes nothing: `esgen build --check` and `--dry-run` stop here, and a
//! real build hands the plan to [`Plan::apply`].

use super::disk::{self, io_error, Disk};
use super::notices;
use super::{Report, GENERATED_MARKER, STOPPED_PART_WAY};
use crate::codegen::checksum::{self, Verdict};
use crate::codegen::{FileSet, Owner};
use crate::diagnostics::{codes, Diagnostic};
use std::collections::HashSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

// `Change` and `Entry` are defined in `output` beside `Report`, so that
// `notices` reads a plan's entries without depending on this module;
// re-exported here under their old paths.
pub use super::{Change, Entry};

/// Everything a build will do to a crate directory.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Plan<'a> {
    /// The crate directory.
    pub dir: PathBuf,
    /// One entry per file, generated files in path order, then removals.
    pub entries: Vec<Entry<'a>>,
    /// Temporary files a killed build left behind, to delete.
    pub leftovers: Vec<PathBuf>,
    /// What a person should look at after the build.
    pub notices: Vec<String>,
}

/// Plans writing `files` into `dir`. Reads, never writes.
pub fn plan<'a>(dir: &Path, files: &'a FileSet) -> Result<Plan<'a>, Box<Diagnostic>> {
    check_paths(files)?;
    check_target(dir, files)?;
    let mut entries = Vec::new();
    for file in &files.files {
        let path = dir.join(&file.path);
        let existing = read_existing(&path)?;
        if let (Owner::Esgen, Some(bytes)) = (file.owner, &existing) {
            if !has_marker(bytes) {
                return Err(not_esgens(&path));
            }
        }
        let (change, old) = match (file.owner, existing) {
            (Owner::User, Some(_)) => (Change::Keep, None),
            // A model file the user turned into a directory module.
            (Owner::User, None) if path.with_extension("").join("mod.rs").exists() => {
                (Change::Keep, None)
            }
            (Owner::Esgen, Some(old)) if old == file.contents.as_bytes() => {
                (Change::Unchanged, None)
            }
            (Owner::Esgen, Some(old)) => (
                Change::Update,
                Some(String::from_utf8_lossy(&old).into_owned()),
            ),
            (_, None) => (Change::Create, None),
        };
        let edited = old
            .as_deref()
            .is_some_and(|old| checksum::verify(old) == Verdict::Edited);
        let new = (change != Change::Keep).then_some(file.contents.as_str());
        entries.push(Entry {
            path: file.path.clone(),
            owner: file.owner,
            change,
            old,
            new,
            edited,
        });
    }
    entries.extend(stale(dir, files));
    let generated = dir.join("src/generated");
    let leftovers = disk::leftovers(&[
        dir.to_path_buf(),
        dir.join("src"),
        generated,
        dir.join("tests"),
    ]);
    let notices = notices::notices(dir, files, &entries);
    Ok(Plan {
        dir: dir.to_path_buf(),
        entries,
        leftovers,
        notices,
    })
}

impl Plan<'_> {
    /// Whether building would change nothing on disk.
    pub fn is_up_to_date(&self) -> bool {
        self.entries
            .iter()
            .all(|e| matches!(e.change, Change::Unchanged | Change::Keep))
    }

    /// The paths of entries with `change`.
    pub fn paths(&self, change: Change) -> Vec<PathBuf> {
        self.entries
            .iter()
            .filter(|e| e.change == change)
            .map(|e| e.path.clone())
            .collect()
    }

    /// What the build will have done, if it succeeds.
    pub fn report(&self) -> Report {
        Report {
            created: self.paths(Change::Create),
            updated: self.paths(Change::Update),
            unchanged: self.paths(Change::Unchanged),
            kept: self.paths(Change::Keep),
            removed: self.paths(Change::Remove),
            notices: self.notices.clone(),
        }
    }

    /// One error per generated file edited by hand that this build would
    /// overwrite or delete.
    pub fn edits(&self) -> Vec<Diagnostic> {
        self.entries
            .iter()
            .filter(|e| e.edited)
            .map(|e| {
                let fate = if e.change == Change::Remove {
                    "and its model is no longer in the spec, so esgen would delete it"
                } else {
                    "and esgen would overwrite it"
                };
                Diagnostic::error(
                    codes::EDITED_GENERATED_FILE,
                    format!(
                        "`{}` was edited by hand since esgen wrote it, {fate}",
                        self.dir.join(&e.path).display()
                    ),
                )
                .with_help(
                    "generated files are esgen's: move your change into a file of yours \
                     (src/lib.rs, your model's file, or a new module), then rebuild; \
                     or rebuild with `--force` to discard it",
                )
            })
            .collect()
    }

    /// A unified diff of every esgen-owned file the build would change
    /// (`a/` is the disk, `b/` the build, paths relative to the crate), and a
    /// line for every file it would create or remove.
    pub fn diff(&self) -> String {
        let mut out = String::new();
        for entry in &self.entries {
            let shown = self.dir.join(&entry.path);
            let shown = shown.display();
            match (entry.change, entry.owner) {
                (Change::Update, _) => {
                    let old = entry.old.as_deref().unwrap_or_default();
                    let new = entry.new.unwrap_or_default();
                    if entry.edited {
                        out.push_str(&format!("{shown}: edited by hand since esgen wrote it\n"));
                    }
                    out.push_str(
                        &similar::TextDiff::from_lines(old, new)
                            .unified_diff()
                            .context_radius(3)
                            .header(
                                &format!("a/{}", entry.path.display()),
                                &format!("b/{}", entry.path.display()),
                            )
                            .to_string(),
                    );
                }
                (Change::Create, Owner::Esgen) => {
                    out.push_str(&format!("{shown}: missing (esgen would create it)\n"));
                }
                (Change::Create, Owner::User) => out.push_str(&format!(
                    "{shown}: missing (esgen would create it for you to fill in)\n"
                )),
                (Change::Remove, _) => out.push_str(&format!(
                    "{shown}: no longer generated from the spec (esgen would remove it)\n"
                )),
                _ => {}
            }
        }
        out
    }

    /// Carries the plan out: deletes leftovers, writes generated files, then
    /// new user files, then removes stale files. On a failure part-way it
    /// stops and says which files were written and which were not; every
    /// file is then either as it was or as the build meant it to be.
    pub fn apply(&self, disk: &mut dyn Disk) -> Result<Report, Box<Diagnostic>> {
        for leftover in &self.leftovers {
            disk.remove(leftover)?;
        }
        let order = [
            (Owner::Esgen, Change::Update),
            (Owner::Esgen, Change::Create),
            (Owner::User, Change::Create),
        ];
        let mut writes: Vec<&Entry<'_>> = Vec::new();
        for (owner, change) in order {
            writes.extend(
                self.entries
                    .iter()
                    .filter(|e| e.owner == owner && e.change == change),
            );
        }
        let removals: Vec<&Entry<'_>> = self
            .entries
            .iter()
            .filter(|e| e.change == Change::Remove)
            .collect();
        let total = writes.len() + removals.len();
        let mut done: Vec<&Entry<'_>> = Vec::new();
        for entry in writes.iter().chain(&removals) {
            let path = self.dir.join(&entry.path);
            let result = match &entry.new {
                Some(contents) if entry.change != Change::Remove => disk.write(&path, contents),
                _ => disk.remove(&path),
            };
            if let Err(error) = result {
                let pending: Vec<String> = writes
                    .iter()
                    .chain(&removals)
                    .skip(done.len())
                    .map(|e| e.path.display().to_string())
                    .collect();
                let finished: Vec<String> = done
                    .iter()
                    .map(|e| format!("{} ({})", e.path.display(), verb(e.change)))
                    .collect();
                let mut help = format!(
                    "{} of {total} {STOPPED_PART_WAY}: {}. Not changed: {}. \
                     Every file is either as it was or as this build meant it to be, and none of \
                     your files were touched; fix the problem and build again to finish",
                    done.len(),
                    if finished.is_empty() {
                        "none".to_string()
                    } else {
                        finished.join(", ")
                    },
                    pending.join(", ")
                );
                if let Some(previous) = &error.help {
                    help = format!("{previous}; {help}");
                }
                return Err(Box::new(Diagnostic {
                    help: Some(help),
                    ..*error
                }));
            }
            done.push(entry);
        }
        Ok(self.report())
    }
}

fn verb(change: Change) -> &'static str {
    match change {
        Change::Create => "created",
        Change::Update => "updated",
        Change::Remove => "removed",
        Change::Unchanged => "unchanged",
        Change::Keep => "kept",
    }
}

/// Every generated path must stay inside the crate directory.
pub(super) fn check_paths(files: &FileSet) -> Result<(), Box<Diagnostic>> {
    files
        .files
        .iter()
        .try_for_each(|file| check_path(&file.path))
}

/// A generated path must stay inside the crate directory.
fn check_path(path: &Path) -> Result<(), Box<Diagnostic>> {
    let inside = !path.as_os_str().is_empty()
        && path.components().all(|c| matches!(c, Component::Normal(_)));
    if inside {
        Ok(())
    } else {
        Err(Box::new(Diagnostic::error(
            codes::OUTPUT_CONFLICT,
            format!(
                "refusing to write `{}`: it is not a path inside the crate directory",
                path.display()
            ),
        )))
    }
}

/// esgen-owned files that this build does not produce: in `src/generated/`
/// (a model removed from the spec), and the scenarios' test file (a spec
/// that no longer has scenarios). Files without esgen's marker are left
/// alone.
fn stale<'a>(dir: &Path, files: &FileSet) -> Vec<Entry<'a>> {
    let generated: HashSet<&Path> = files.files.iter().map(|f| f.path.as_path()).collect();
    let mut candidates: Vec<PathBuf> = fs::read_dir(dir.join("src/generated"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .map(|entry| Path::new("src/generated").join(entry.file_name()))
        .filter(|relative| relative.extension().is_some_and(|e| e == "rs"))
        .collect();
    for test in [
        crate::codegen::SCENARIOS_PATH,
        crate::codegen::EVOLUTION_PATH,
    ] {
        let test = Path::new(test);
        if dir.join(test).is_file() {
            candidates.push(test.to_path_buf());
        }
    }
    let mut stale = Vec::new();
    for relative in candidates {
        if generated.contains(relative.as_path()) {
            continue;
        }
        let Ok(bytes) = fs::read(dir.join(&relative)) else {
            continue;
        };
        if has_marker(&bytes) {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            stale.push(Entry {
                path: relative,
                owner: Owner::Esgen,
                change: Change::Remove,
                edited: checksum::verify(&text) == Verdict::Edited,
                old: Some(text),
                new: None,
            });
        }
    }
    stale.sort_by(|a, b| a.path.cmp(&b.path));
    stale
}

/// Whether a file's first lines carry esgen's marker.
fn has_marker(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    String::from_utf8_lossy(head)
        .lines()
        .take(3)
        .any(|l| l.contains(GENERATED_MARKER))
}

fn read_existing(path: &Path) -> Result<Option<Vec<u8>>, Box<Diagnostic>> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_error("cannot read", path, &e)),
    }
}

/// `dir` must be absent, empty, or an esgen crate of this spec; and no
/// esgen-owned path may hold a file without esgen's marker (someone else's).
fn check_target(dir: &Path, files: &FileSet) -> Result<(), Box<Diagnostic>> {
    if !dir.exists() {
        return Ok(());
    }
    if !dir.is_dir() {
        return Err(Box::new(
            Diagnostic::error(
                codes::OUTPUT_CONFLICT,
                format!("`{}` exists and is not a directory", dir.display()),
            )
            .with_help("choose another directory with `--out`"),
        ));
    }
    let empty = fs::read_dir(dir)
        .map_err(|e| io_error("cannot read", dir, &e))?
        .next()
        .is_none();
    if empty {
        return Ok(());
    }
    let manifest = fs::read_to_string(dir.join("Cargo.toml")).unwrap_or_default();
    // The generated module index, read once: it marks the crate as esgen's
    // and names the spec it came from.
    let index = fs::read(dir.join("src/generated/mod.rs"))
        .ok()
        .filter(|bytes| has_marker(bytes))
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
    let marked = manifest.contains("[package.metadata.esgen]") || index.is_some();
    if !marked {
        return Err(Box::new(
            Diagnostic::error(
                codes::OUTPUT_CONFLICT,
                format!("`{}` is not empty and is not a crate esgen generated", dir.display()),
            )
            .with_help("build into a new or empty directory with `--out DIR`; esgen never writes over files it did not create"),
        ));
    }
    // A crate generated from another spec is not this spec's to take over.
    let header = |text: &str| text.lines().next().unwrap_or_default().to_string();
    if let (Some(old), Some(new)) = (index, files.get("src/generated/mod.rs")) {
        let from = |line: String| line.split('`').nth(1).unwrap_or_default().to_string();
        // A spec renamed: the crate's manifest says it now comes from it.
        let renamed =
            manifest_spec(&manifest).is_some_and(|spec| spec == from(header(&new.contents)));
        if header(&old) != header(&new.contents) && !renamed {
            return Err(Box::new(
                Diagnostic::error(
                    codes::OUTPUT_CONFLICT,
                    format!(
                        "`{}` was generated from `{}`, not from `{}`",
                        dir.display(),
                        from(header(&old)),
                        from(header(&new.contents))
                    ),
                )
                .with_help(format!(
                    "build this spec into its own directory with `--out DIR`; or, if `{}` was renamed `{}`, say so in `{}`: `spec = \"{}\"` under `[package.metadata.esgen]`, and build again",
                    from(header(&old)),
                    from(header(&new.contents)),
                    dir.join("Cargo.toml").display(),
                    from(header(&new.contents))
                )),
            ));
        }
    }
    for file in files.files.iter().filter(|f| f.owner == Owner::Esgen) {
        let path = dir.join(&file.path);
        if path.is_dir() {
            return Err(not_esgens(&path));
        }
    }
    Ok(())
}

/// The spec a crate's manifest names under `[package.metadata.esgen]`.
fn manifest_spec(manifest: &str) -> Option<String> {
    let mut inside = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line == "[package.metadata.esgen]";
            continue;
        }
        if inside {
            if let Some(value) = line.strip_prefix("spec") {
                let value = value.trim_start().strip_prefix('=')?.trim();
                return Some(value.trim_matches('"').to_string());
            }
        }
    }
    None
}

/// An esgen path holds something esgen did not write.
fn not_esgens(path: &Path) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            codes::OUTPUT_CONFLICT,
            format!("`{}` exists but was not generated by esgen", path.display()),
        )
        .with_help("esgen owns this path; move the file elsewhere, then rebuild"),
    )
}
