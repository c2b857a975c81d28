//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every spec in `specs/`, sorted.
pub fn specs() -> Vec<PathBuf> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(root().join("specs"))
        .expect("specs/ exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "ddd"))
        .collect();
    specs.sort();
    specs
}

/// A spec's name relative to the repository, with `/` separators, so that
/// snapshots do not depend on where the repository is.
pub fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Compiles a spec file that must be valid.
pub fn compile(path: &Path) -> esgen::Compiled {
    let source = esgen::read_spec(path).unwrap_or_else(|e| panic!("{}: {:?}", path.display(), e.1));
    let source = esgen::source::Source::new(relative(path), source.text);
    let (compiled, diagnostics) = esgen::compile(&source);
    compiled.unwrap_or_else(|| panic!("{}", esgen::diagnostics::render(&source, &diagnostics)))
}

/// Runs the `esgen` binary in `cwd`, without colours.
pub fn esgen(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_esgen"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("esgen runs")
}

/// What a run printed on stdout.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// What a run printed on stderr.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Every file under `dir` with its bytes and modification time, sorted.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>, std::time::SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let modified = fs::metadata(&path).unwrap().modified().unwrap();
                out.push((
                    path.strip_prefix(dir).unwrap().display().to_string(),
                    fs::read(&path).unwrap(),
                    modified,
                ));
            }
        }
    }
    out.sort();
    out
}

/// Makes `workspace` a cargo workspace of the crates `members`, locked to
/// the repository's dependency versions.
pub fn make_workspace(workspace: &Path, members: &[&str]) {
    let members: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    std::fs::write(
        workspace.join("Cargo.toml"),
        format!(
            "[workspace]\nmembers = [{}]\nresolver = \"2\"\n",
            members.join(", ")
        ),
    )
    .unwrap();
    std::fs::copy(root().join("Cargo.lock"), workspace.join("Cargo.lock")).unwrap();
}

/// `cargo` in `workspace`, building into a target directory shared by
/// every run (so dependencies are built once).
pub fn cargo_in(workspace: &Path) -> Command {
    let mut command = Command::new(env!("CARGO"));
    command
        .current_dir(workspace)
        .env(
            "CARGO_TARGET_DIR",
            root().join("target").join("generated-crates"),
        )
        .env("CARGO_TERM_COLOR", "never");
    command
}

pub mod matrix;
pub mod steps;
