//! The only code that changes files: atomic writes and removals.
//!
//! Every write goes through a temporary file in the target's own directory
//! (`.esgen-*.tmp`), then is renamed over the target, so a
//! reader (or a build killed half-way) sees the old file or the new one,
//! never a mix. A temporary file left by a killed build is removed by the
//! next build.

use crate::diagnostics::{codes, Diagnostic};
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// What temporary files are called, so leftovers can be recognised.
const TEMP_PREFIX: &str = ".esgen-";
const TEMP_SUFFIX: &str = ".tmp";

/// Where writes go. The real one is [`Real`]; tests put a failing one in
/// its place to check what a failure half-way through a build leaves.
pub trait Disk {
    /// Replaces (or creates) `path` with `contents`, atomically.
    fn write(&mut self, path: &Path, contents: &str) -> Result<(), Box<Diagnostic>>;
    /// Deletes `path`.
    fn remove(&mut self, path: &Path) -> Result<(), Box<Diagnostic>>;
}

/// The file system.
#[derive(Debug, Default)]
pub struct Real;

impl Disk for Real {
    fn write(&mut self, path: &Path, contents: &str) -> Result<(), Box<Diagnostic>> {
        write_atomically(path, contents)
    }

    fn remove(&mut self, path: &Path) -> Result<(), Box<Diagnostic>> {
        fs::remove_file(path).map_err(|e| io_error("cannot remove", path, &e))
    }
}

/// Writes `contents` to `path` through a temporary file in the same
/// directory and a rename.
pub fn write_atomically(path: &Path, contents: &str) -> Result<(), Box<Diagnostic>> {
    let parent = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| io_error("cannot create", parent, &e))?;
    let mut temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(parent)
        .map_err(|e| io_error("cannot create a temporary file in", parent, &e))?;
    // Not flushed to the device (`sync_all`): that would make a build of a
    // large crate several times slower, and guards only against a power
    // failure, after which every file esgen replaces can be regenerated
    // from the spec (the user's files are only ever created). Against a
    // crash or kill of esgen itself, the rename is what makes a file old or
    // new, never half.
    temp.write_all(contents.as_bytes())
        .map_err(|e| io_error("cannot write", path, &e))?;
    // The temporary file is private (0600); the file it becomes keeps the
    // permissions of the one it replaces, or the usual 0644.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = fs::metadata(path).map_or(0o644, |m| m.permissions().mode());
        temp.as_file()
            .set_permissions(fs::Permissions::from_mode(mode))
            .map_err(|e| io_error("cannot set the permissions of", path, &e))?;
    }
    // On failure the temporary file is dropped, which deletes it.
    temp.persist(path)
        .map_err(|e| io_error("cannot replace", path, &e.error))?;
    Ok(())
}

/// Temporary files left in `dirs` by a build that was killed.
pub fn leftovers(dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for dir in dirs {
        let Ok(entries) = fs::read_dir(dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(TEMP_PREFIX)
                && name.ends_with(TEMP_SUFFIX)
                && entry.file_type().is_ok_and(|t| t.is_file())
            {
                found.push(entry.path());
            }
        }
    }
    found.sort();
    found
}

pub(super) fn io_error(what: &str, path: &Path, error: &std::io::Error) -> Box<Diagnostic> {
    Box::new(Diagnostic::error(
        codes::IO,
        format!("{what} `{}`: {error}", path.display()),
    ))
}
