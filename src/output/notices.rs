//! What a person should look at after a build: the files of theirs that
//! need a new method or module, or that refer to something the spec no
//! longer has.

use super::{Change, Entry};
use crate::codegen::{FileSet, GeneratedFile, Owner};
use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

/// What a person must do after this build: declare new model modules in
/// `src/lib.rs`, add trait methods for new queries, actions and events.
pub(super) fn notices(dir: &Path, files: &FileSet, entries: &[Entry<'_>]) -> Vec<String> {
    let mut notices = Vec::new();
    let created: HashSet<&Path> = entries
        .iter()
        .filter(|e| e.change == Change::Create)
        .map(|e| e.path.as_path())
        .collect();
    let lib_kept = entries
        .iter()
        .any(|e| e.change == Change::Keep && e.path == Path::new("src/lib.rs"));
    let lib = fs::read_to_string(dir.join("src/lib.rs")).unwrap_or_default();
    let declared_modules = declared_modules(&lib);
    let mut new_files = Vec::new();
    for skeleton in files
        .files
        .iter()
        .filter(|f| f.owner == Owner::User && is_model_file(f))
    {
        let stem = skeleton
            .path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        if created.contains(skeleton.path.as_path()) {
            if skeleton.contents.contains("todo!()") {
                new_files.push(format!("`{}`", skeleton.path.display()));
            } else {
                notices.push(format!(
                    "new model file `{}`: every query, action and event is generated from the spec's rules; it needs no code",
                    skeleton.path.display()
                ));
            }
            if lib_kept && !declared_modules.contains(stem) {
                notices.push(format!(
                    "new model file `{}`: add `pub mod {};` to src/lib.rs",
                    skeleton.path.display(),
                    module_name(skeleton)
                ));
            }
            continue;
        }
        let Ok(mine) = fs::read_to_string(dir.join(&skeleton.path)) else {
            continue;
        };
        let generated = files
            .get(&format!("src/generated/{stem}.rs"))
            .map(|f| f.contents.as_str())
            .unwrap_or_default();
        if let Some(state) = state_type(generated) {
            if !mine.contains(&format!("AsRef<{state}>")) {
                notices.push(format!(
                    "the spec's rules now keep the model's state in `{state}`: give the aggregate in `{}` a field `state: {state}` and implement `AsRef<{state}>` and `AsMut<{state}>` for it (a new crate's skeleton shows how)",
                    skeleton.path.display()
                ));
            }
        }
        for name in provided_methods(generated)
            .into_iter()
            .filter(|n| !["propose", "accept", "execute", "replay"].contains(&n.as_str()))
        {
            if mine.contains(&format!("fn {name}(")) || mine.contains(&format!("fn {name}<")) {
                notices.push(format!(
                    "`fn {name}` in `{}` is now generated from the spec's rules: delete yours to use them (while it is there, it replaces them)",
                    skeleton.path.display()
                ));
            }
        }
        for method in methods(&skeleton.contents) {
            let name = method
                .signature
                .split('(')
                .next()
                .unwrap_or_default()
                .trim_start_matches("fn ")
                .trim();
            if !mine.contains(&format!("fn {name}(")) && !mine.contains(&format!("fn {name}<")) {
                notices.push(format!(
                    "`{}` has no `fn {name}` yet (for `{}`); add it to `{}`:\n    {} {{\n        todo!()\n    }}",
                    skeleton.path.display(),
                    method.comment,
                    method.block,
                    method.signature
                ));
            }
        }
    }
    if !new_files.is_empty() {
        let shown = 3;
        let mut list = new_files[..new_files.len().min(shown)].join(", ");
        if new_files.len() > shown {
            list.push_str(&format!(" and {} more", new_files.len() - shown));
        }
        notices.insert(
            0,
            format!("new model file(s) {list}: fill in the bodies marked `todo!()` with your model's rules"),
        );
    }
    for removed in entries
        .iter()
        .filter(|e| e.change == Change::Remove)
        .map(|e| &e.path)
    {
        let stem = removed
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let mine = [format!("src/{stem}.rs"), format!("src/{stem}/mod.rs")]
            .into_iter()
            .find(|p| dir.join(p).exists());
        if let Some(mine) = mine {
            notices.push(format!(
                "model module `{stem}` is no longer in the spec (esgen removed `{}`): delete `{mine}` and the `mod {stem};` line in src/lib.rs, or move what you need elsewhere",
                removed.display()
            ));
        }
    }
    notices.extend(references_to_removed(dir, entries));
    if created.contains(Path::new("Cargo.toml")) {
        notices.extend(enclosing_workspace(dir));
    }
    notices.extend(user_functions(
        dir,
        files,
        &created,
        lib_kept,
        &declared_modules,
    ));
    notices.extend(manifest_gaps(dir, files, entries));
    notices
}

/// User files that still name a type or trait method the spec no longer
/// has (an action, query, entity or model removed or renamed). The files of
/// removed models have their own notice and are not repeated here.
fn references_to_removed(dir: &Path, entries: &[Entry<'_>]) -> Vec<String> {
    let mut removed = BTreeSet::new();
    let mut removed_models = BTreeSet::new();
    for entry in entries {
        if let (Some(old), Change::Update | Change::Remove) = (&entry.old, entry.change) {
            let now = entry.new.map(declared).unwrap_or_default();
            removed.extend(declared(old).difference(&now).cloned());
        }
        if let (Change::Remove, Some(stem)) = (entry.change, entry.path.file_stem()) {
            let stem = stem.to_string_lossy();
            removed_models.insert(dir.join(format!("src/{stem}.rs")));
            removed_models.insert(dir.join(format!("src/{stem}/mod.rs")));
        }
    }
    if removed.is_empty() {
        return Vec::new();
    }
    let mut notices = Vec::new();
    for file in user_sources(dir) {
        if removed_models.contains(&file) {
            continue;
        }
        let Ok(text) = fs::read_to_string(&file) else {
            continue;
        };
        let words: BTreeSet<&str> = text
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .collect();
        let named: Vec<String> = removed
            .iter()
            .filter(|name| match name {
                Name::Type(name) => words.contains(name.as_str()),
                // Method names can be ordinary words (`write`): only a
                // definition or a call counts.
                Name::Method(name) => [".", "fn ", "::"]
                    .iter()
                    .any(|before| text.contains(&format!("{before}{name}("))),
                // A field: read (`.name`) or written in a struct literal.
                Name::Field(name) => {
                    words.contains(name.as_str())
                        && (text.contains(&format!(".{name}"))
                            || text.contains(&format!("{name}: "))
                            || text.contains(&format!("{name},")))
                }
            })
            .map(|name| format!("`{}`", name.as_str()))
            .collect();
        if !named.is_empty() {
            let shown = file
                .strip_prefix(dir)
                .unwrap_or(&file)
                .display()
                .to_string();
            notices.push(format!(
                "`{shown}` refers to {}, which the spec no longer has: update or delete that code",
                named.join(", ")
            ));
        }
    }
    notices
}

/// A name a generated file declares.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Name {
    /// A struct, enum or trait.
    Type(String),
    /// A trait method.
    Method(String),
    /// A field of a struct.
    Field(String),
}

impl Name {
    fn as_str(&self) -> &str {
        match self {
            Name::Type(name) | Name::Method(name) | Name::Field(name) => name,
        }
    }
}

/// The types, traits and trait methods a generated file declares.
fn declared(text: &str) -> BTreeSet<Name> {
    let mut names = BTreeSet::new();
    let mut in_trait = false;
    let mut in_struct = false;
    for line in text.lines() {
        if line == "}" {
            in_trait = false;
            in_struct = false;
        }
        if line.starts_with("pub struct ") && line.ends_with('{') {
            in_struct = true;
        }
        if in_struct {
            if let Some(rest) = line.strip_prefix("    pub ") {
                let name: String = rest
                    .trim_start_matches("r#")
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && rest[name.len()..].starts_with(':') {
                    names.insert(Name::Field(name));
                }
            }
        }
        let line = line.trim();
        let found = ["pub struct ", "pub enum ", "pub trait "]
            .iter()
            .find_map(|keyword| line.strip_prefix(keyword))
            .map(|rest| (rest, Name::Type as fn(String) -> Name))
            .or_else(|| {
                line.strip_prefix("fn ")
                    .filter(|_| in_trait)
                    .map(|rest| (rest, Name::Method as fn(String) -> Name))
            });
        if line.starts_with("pub trait ") {
            in_trait = true;
        }
        if let Some((rest, kind)) = found {
            let name: String = rest
                .trim_start_matches("r#")
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                names.insert(kind(name));
            }
        }
    }
    names
}

/// Every `.rs` file of the crate that is yours: under `src/` (but for
/// esgen's `generated/`), `tests/` (but for esgen's test files),
/// `benches/` and `examples/`.
fn user_sources(dir: &Path) -> Vec<PathBuf> {
    let esgens = [
        dir.join(crate::codegen::SCENARIOS_PATH),
        dir.join(crate::codegen::EVOLUTION_PATH),
    ];
    let mut found = Vec::new();
    let mut pending = vec![
        dir.join("src"),
        dir.join("tests"),
        dir.join("benches"),
        dir.join("examples"),
    ];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() && path != dir.join("src/generated") {
                pending.push(path);
            } else if kind.is_file()
                && path.extension().is_some_and(|e| e == "rs")
                && !esgens.contains(&path)
            {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn is_model_file(file: &GeneratedFile) -> bool {
    file.path.starts_with("src")
        && file.path.extension().is_some_and(|e| e == "rs")
        && file.path != Path::new("src/lib.rs")
        && file.path != Path::new(crate::codegen::EVOLUTION_FUNCTIONS_PATH)
}

/// A new crate inside a cargo workspace that does not list it: cargo
/// refuses to build it until the workspace's `members` or `exclude` names
/// it.
fn enclosing_workspace(dir: &Path) -> Option<String> {
    let dir = fs::canonicalize(dir).ok()?;
    let mut parent = dir.parent();
    while let Some(at) = parent {
        let manifest = at.join("Cargo.toml");
        if let Ok(text) = fs::read_to_string(&manifest) {
            if text.lines().any(|l| l.trim() == "[workspace]") {
                let relative = dir.strip_prefix(at).ok()?.display().to_string();
                // Listed itself, or under a listed directory or glob.
                let parts: Vec<&str> = relative.split('/').collect();
                let listed = (1..=parts.len()).any(|n| {
                    let prefix = parts[..n].join("/");
                    text.contains(&format!("\"{prefix}\""))
                        || text.contains(&format!("\"{prefix}/*\""))
                });
                return (!listed).then(|| {
                    format!(
                        "the crate is inside the cargo workspace of `{}`, which does not list it: add \"{relative}\" to its `members` (or its `exclude`), or cargo refuses to build it",
                        manifest.display()
                    )
                });
            }
        }
        parent = at.parent();
    }
    None
}

/// A file of functions the user writes (`src/evolution.rs`,
/// `src/notifications.rs`), as the notices see it.
struct Functions {
    /// Its path in the crate.
    path: &'static str,
    /// Its module in `src/lib.rs`.
    module: &'static str,
    /// What starts the line of each function in the stub esgen writes.
    head: &'static str,
    /// The notice of a new file.
    new: &'static str,
}

/// The files of functions the user writes: `src/evolution.rs` (the
/// functions `Evolution:` names) and `src/notifications.rs` (those the
/// `notify by` policies call).
const FUNCTIONS: [Functions; 2] = [
    Functions {
        path: crate::codegen::EVOLUTION_FUNCTIONS_PATH,
        module: "evolution",
        head: "pub fn ",
        new: "write the functions `Evolution:` names (`by <function>`, `migrate by <function>`); until then they panic",
    },
    Functions {
        path: crate::codegen::NOTIFICATIONS_PATH,
        module: "notifications",
        head: "    async fn ",
        new: "write what the `notify by` policies do; until then each call panics, and its event is tried again, then parked",
    },
];

/// Each file of functions the user writes: new, not declared in a kept
/// `lib.rs`, or lacking a function the spec now names.
fn user_functions(
    dir: &Path,
    files: &FileSet,
    created: &HashSet<&Path>,
    lib_kept: bool,
    declared_modules: &HashSet<&str>,
) -> Vec<String> {
    let mut notices = Vec::new();
    for functions in &FUNCTIONS {
        let path = functions.path;
        let Some(skeleton) = files.get(path) else {
            continue;
        };
        if created.contains(Path::new(path)) {
            notices.push(format!("new file `{path}`: {}", functions.new));
        } else if let Ok(mine) = fs::read_to_string(dir.join(path)) {
            for line in skeleton.contents.lines() {
                let Some(rest) = line.strip_prefix(functions.head) else {
                    continue;
                };
                let name = rest.split('(').next().unwrap_or_default();
                if !mine.contains(&format!("fn {name}(")) {
                    notices.push(format!(
                        "`{path}` lacks `{}`: add it (a new crate's `{path}` shows it)",
                        line.trim().trim_end_matches(" {")
                    ));
                }
            }
        }
        if lib_kept && !declared_modules.contains(functions.module) {
            notices.push(format!(
                "add `pub mod {};` to src/lib.rs, for `{path}`",
                functions.module
            ));
        }
    }
    notices
}

fn module_name(skeleton: &GeneratedFile) -> String {
    skeleton
        .contents
        .lines()
        .find_map(|l| l.strip_prefix("pub use crate::generated::"))
        .and_then(|rest| rest.strip_suffix("::*;"))
        .unwrap_or_default()
        .to_string()
}

/// The module names `lib.rs` declares (`mod x;`, `pub mod r#x;`).
fn declared_modules(lib: &str) -> HashSet<&str> {
    lib.lines()
        .filter_map(|line| {
            let line = line.trim().strip_suffix(';')?;
            let (_, name) = line.rsplit_once("mod ")?;
            Some(name.trim().trim_start_matches("r#"))
        })
        .collect()
}

/// A method of a skeleton.
struct Method {
    /// The spec line above it.
    comment: String,
    /// `fn name(…) -> …`, on one line.
    signature: String,
    /// The `impl … for …` it belongs to.
    block: String,
}

/// The methods of a skeleton, read back from its text.
fn methods(skeleton: &str) -> Vec<Method> {
    let mut out = Vec::new();
    let mut comment = String::new();
    let mut block = String::new();
    let mut signature: Option<String> = None;
    for line in skeleton.lines().map(str::trim) {
        if let Some(partial) = signature.as_mut() {
            partial.push_str(line);
            partial.push(' ');
        } else if let Some(text) = line.strip_prefix("// ") {
            comment = text.to_string();
        } else if line.starts_with("impl ") {
            block = line.trim_end_matches('{').trim().to_string();
        } else if line.starts_with("fn ") {
            signature = Some(format!("{line} "));
        }
        if signature
            .as_ref()
            .is_some_and(|s| s.trim_end().ends_with('{'))
        {
            let joined = signature.take().unwrap_or_default();
            // The state's accessors have a notice of their own.
            if block.starts_with("impl AsRef<") || block.starts_with("impl AsMut<") {
                continue;
            }
            let one_line = joined
                .trim_end()
                .trim_end_matches('{')
                .trim()
                .replace("( ", "(")
                .replace(", )", ")");
            out.push(Method {
                comment: comment.clone(),
                signature: one_line,
                block: block.clone(),
            });
        }
    }
    out
}

/// The state type a generated model file declares, if any.
fn state_type(generated: &str) -> Option<&str> {
    generated.lines().find_map(|line| {
        line.strip_prefix("pub struct ")
            .and_then(|rest| rest.strip_suffix(" {").or(rest.strip_suffix(" {}")))
            .filter(|name| name.ends_with("State"))
            .filter(|_| {
                generated.contains(&format!(
                    "AsRef<{}>",
                    line[11..].trim_end_matches([' ', '{', '}'])
                ))
            })
    })
}

/// The trait methods a generated model file provides (default methods,
/// generated from the spec's rules).
fn provided_methods(generated: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_trait = false;
    let mut pending: Option<String> = None;
    for line in generated.lines() {
        if line.starts_with("pub trait ") {
            in_trait = true;
        } else if line == "}" {
            in_trait = false;
        }
        if !in_trait {
            continue;
        }
        if let Some(rest) = line.strip_prefix("    fn ") {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '#')
                .collect();
            pending = Some(name);
        }
        if let Some(name) = &pending {
            if line.starts_with("    ") && !line.starts_with("     ") || line.starts_with("    ) ")
            {
                if line.ends_with(';') {
                    pending = None;
                } else if line.ends_with('{') || line.ends_with("{}") {
                    out.push(name.clone());
                    pending = None;
                }
            }
        }
    }
    out
}

/// What a kept `Cargo.toml` lacks that the generated code needs: the
/// `serde`, `cqrs` and `postgres` features, and the crates of
/// `date`, `timestamp` and `decimal` (a manifest written by an older esgen,
/// or before the spec used them).
fn manifest_gaps(dir: &Path, files: &FileSet, entries: &[Entry<'_>]) -> Vec<String> {
    let kept = entries
        .iter()
        .any(|e| e.change == Change::Keep && e.path == Path::new("Cargo.toml"));
    let (true, Some(wanted)) = (kept, files.get("Cargo.toml")) else {
        return Vec::new();
    };
    let Ok(mine) = fs::read_to_string(dir.join("Cargo.toml")) else {
        return Vec::new();
    };
    let declares = |text: &str, key: &str| {
        text.lines()
            .any(|line| line.trim_start().starts_with(&format!("{key} =")))
    };
    let mut notices = Vec::new();
    if !declares(&mine, "cqrs") || !declares(&mine, "postgres") {
        notices.push(
            "`Cargo.toml` lacks the features `cqrs` and `postgres` of the generated runtime (`src/generated/runtime.rs`): add the `[features]` section and the optional `cqrs-es`, `sqlx` and `async-trait` dependencies a new crate's `Cargo.toml` has; until then rustc warns of an unexpected `cfg`"
                .to_string(),
        );
    }
    if declares(&wanted.contents, "sqlite") && !declares(&mine, "sqlite") {
        notices.push(
            "`Cargo.toml` lacks the feature `sqlite` of the generated runtime's SQLite store: add the `sqlite = [...]` line a new crate's `Cargo.toml` has, and `\"sqlx/postgres\"` to its `postgres` feature (the `sqlx` line no longer names a database); until then rustc warns of an unexpected `cfg`"
                .to_string(),
        );
    }
    if declares(&wanted.contents, "http") && !declares(&mine, "http") {
        notices.push(
            "`Cargo.toml` lacks the feature `http` of the generated service (`src/generated/http.rs`): add the `http = [...]` line and the optional `axum`, `tokio`, `serde_json`, `futures-util` and `tracing` dependencies a new crate's `Cargo.toml` has; until then rustc warns of an unexpected `cfg`"
                .to_string(),
        );
    }
    // The policies' runner waits and catches panics with tokio and
    // futures-util, which a manifest written before the spec had policies
    // does not bring with its stores.
    let store_line = |text: &str| {
        text.lines()
            .find(|line| line.trim_start().starts_with("postgres = ["))
            .map(str::to_string)
            .unwrap_or_default()
    };
    if store_line(&wanted.contents).contains("dep:tokio")
        && !store_line(&mine).contains("dep:tokio")
    {
        notices.push(
            "`Cargo.toml`'s features `postgres` and `sqlite` lack what the policies' runner needs: add `\"dep:tokio\", \"dep:futures-util\"` to both, and the optional `tokio` and `futures-util` dependencies a new crate's `Cargo.toml` has"
                .to_string(),
        );
    }
    let features_serde = |text: &str| {
        text.lines()
            .any(|line| line.trim_start().starts_with("serde = ["))
    };
    if features_serde(&wanted.contents) && !features_serde(&mine) {
        notices.push(
            "`Cargo.toml` lacks the feature `serde`, which gives commands `Serialize` and `Deserialize` (events and entities always have them): add `serde = []` under `[features]`, and to your dependency's features if your code (de)serialises commands; until then rustc warns of an unexpected `cfg`"
                .to_string(),
        );
    }
    for dependency in ["chrono", "rust_decimal"] {
        if declares(&wanted.contents, dependency) && !declares(&mine, dependency) {
            notices.push(format!(
                "`Cargo.toml` lacks `{dependency}`, which the spec's types now need: add the line a new crate's `Cargo.toml` has for it"
            ));
        }
    }
    if files.get(crate::codegen::EVOLUTION_PATH).is_some() && !declares(&mine, "serde_json") {
        notices.push(
            "`Cargo.toml` lacks the dev-dependency `serde_json`, which `tests/evolution.rs` reads event samples with: add `[dev-dependencies]` and `serde_json = \"1\"`"
                .to_string(),
        );
    }
    notices
}
