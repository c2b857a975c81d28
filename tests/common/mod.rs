//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

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
