//! Stage 3, codegen: semantic model → the crate's files, in memory.
//!
//! Every file comes from an askama template in `templates/`; this module
//! only prepares what the templates show (views of the model with docs made
//! inert and long lines laid out). Nothing touches the disk here.

mod behaviour;
pub mod checksum;
mod evolution;
mod expr;
mod reactions;
mod rust;
mod scenarios;
mod views;

use crate::model::ir::{Model, Spec};
use askama::Template;
use std::path::PathBuf;
use views::{CrateView, ModelView};

/// Who a generated file belongs to once it is on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Owner {
    /// esgen: rewritten on every build, never to be edited.
    Esgen,
    /// The user: written once, when absent, and never touched again.
    User,
}

/// One file of the crate.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GeneratedFile {
    /// Path relative to the crate's root, with `/` separators.
    pub path: PathBuf,
    /// Whose file it is.
    pub owner: Owner,
    /// Its whole text.
    pub contents: String,
}

/// The crate's files, in a fixed order.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct FileSet {
    /// The files, sorted by path.
    pub files: Vec<GeneratedFile>,
}

impl FileSet {
    /// The file at `path`, if generated.
    pub fn get(&self, path: &str) -> Option<&GeneratedFile> {
        self.files
            .iter()
            .find(|f| f.path == std::path::Path::new(path))
    }
}

/// The header every esgen-owned file starts with.
#[derive(Template)]
#[template(path = "header.rs", escape = "none")]
struct Header<'a> {
    spec_file: &'a str,
    checksum: &'a str,
}

#[derive(Template)]
#[template(path = "cargo.toml", escape = "none")]
struct CargoToml<'a> {
    krate: &'a CrateView,
}

#[derive(Template)]
#[template(path = "lib.rs", escape = "none")]
struct LibRs<'a> {
    krate: &'a CrateView,
}

#[derive(Template)]
#[template(path = "generated_mod.rs", escape = "none")]
struct GeneratedMod<'a> {
    krate: &'a CrateView,
}

#[derive(Template)]
#[template(path = "runtime.rs", escape = "none")]
struct RuntimeRs<'a> {
    krate: &'a CrateView,
}

#[derive(Template)]
#[template(path = "http_mod.rs", escape = "none")]
struct HttpMod<'a> {
    krate: &'a CrateView,
    http: &'a views::HttpView,
}

#[derive(Template)]
#[template(path = "http_store.rs", escape = "none")]
struct HttpStore<'a> {
    http: &'a views::HttpView,
}

#[derive(Template)]
#[template(path = "console.html", escape = "html")]
struct ConsoleHtml<'a> {
    console: &'a views::ConsoleView,
}

#[derive(Template)]
#[template(path = "policies.rs", escape = "none")]
struct PoliciesRs<'a> {
    krate: &'a CrateView,
    policies: &'a views::PoliciesView,
}

#[derive(Template)]
#[template(path = "notifications.rs", escape = "none")]
struct NotificationsRs<'a> {
    krate: &'a CrateView,
    policies: &'a views::PoliciesView,
}

#[derive(Template)]
#[template(path = "schema.sql", escape = "none")]
struct SchemaSql<'a> {
    krate: &'a CrateView,
}

#[derive(Template)]
#[template(path = "schema.sqlite.sql", escape = "none")]
struct SqliteSql<'a> {
    krate: &'a CrateView,
}

#[derive(Template)]
#[template(path = "scenarios.rs", escape = "none")]
struct ScenariosRs<'a> {
    view: &'a scenarios::ScenariosView,
}

#[derive(Template)]
#[template(path = "policy_scenarios.rs", escape = "none")]
struct PolicyScenariosRs<'a> {
    view: &'a reactions::ReactionsView,
}

#[derive(Template)]
#[template(path = "model.rs", escape = "none")]
struct ModelRs<'a> {
    model: &'a ModelView,
}

#[derive(Template)]
#[template(path = "skeleton.rs", escape = "none")]
struct SkeletonRs<'a> {
    krate: &'a CrateView,
    model: &'a ModelView,
}

/// The test file of a spec's scenarios, relative to its crate.
pub const SCENARIOS_PATH: &str = "tests/scenarios.rs";

/// Your functions that read stored event versions (`by <function>`).
pub const EVOLUTION_FUNCTIONS_PATH: &str = "src/evolution.rs";

/// Your functions that `notify by` policies call.
pub const NOTIFICATIONS_PATH: &str = "src/notifications.rs";

/// The test file that reads a sample of every locked event version.
pub const EVOLUTION_PATH: &str = "tests/evolution.rs";

/// Below this many models a thread costs more than it saves.
const MODELS_PER_THREAD: usize = 32;

/// Generates every file of the crate for a checked spec.
///
/// A large spec's files are rendered on several threads; the result is the
/// same on any number of them, sorted by path.
pub fn generate(spec: &Spec) -> FileSet {
    let krate = &CrateView::new(spec);
    let mut files = if spec.models.len() < MODELS_PER_THREAD {
        let mut files = crate_files(spec, krate);
        files.extend(render_models(krate, &spec.models));
        files
    } else {
        std::thread::scope(|scope| {
            // The crate-wide files (the runtime and the evolution tests are
            // the largest) are rendered while the models are.
            let models = scope.spawn(|| model_files(krate, &spec.models));
            let mut files = crate_files(spec, krate);
            files.extend(joined(models));
            files
        })
    };
    files.sort_by(|a, b| a.path.cmp(&b.path));
    FileSet { files }
}

/// The files of the whole crate, as opposed to those of one model.
fn crate_files(spec: &Spec, krate: &CrateView) -> Vec<GeneratedFile> {
    let mut files = vec![
        file("Cargo.toml", Owner::User, render(&CargoToml { krate })),
        file("src/lib.rs", Owner::User, render(&LibRs { krate })),
        // Yours: cargo's build output stays out of version control.
        file(".gitignore", Owner::User, "/target\n".to_string()),
        generated(
            "src/generated/mod.rs",
            &krate.spec_file,
            render(&GeneratedMod { krate }),
        ),
        generated(
            "src/generated/runtime.rs",
            &krate.spec_file,
            render(&RuntimeRs { krate }),
        ),
        generated_sql("schema.sql", &krate.spec_file, render(&SchemaSql { krate })),
        generated_sql(
            "schema.sqlite.sql",
            &krate.spec_file,
            render(&SqliteSql { krate }),
        ),
    ];
    if !krate.runtime_models.is_empty() {
        for store in ["postgres", "sqlite"] {
            let http = &views::HttpView::new(spec, store);
            if store == "postgres" {
                files.push(generated(
                    "src/generated/http/mod.rs",
                    &krate.spec_file,
                    render(&HttpMod { krate, http }),
                ));
            }
            files.push(generated(
                &format!("src/generated/http/{store}.rs"),
                &krate.spec_file,
                render(&HttpStore { http }),
            ));
        }
        let console = &views::ConsoleView::new(spec);
        files.push(generated_html(
            "src/generated/console.html",
            &krate.spec_file,
            render(&ConsoleHtml { console }),
        ));
    }
    if let Some(policies) = &views::PoliciesView::new(spec) {
        files.push(generated(
            "src/generated/policies.rs",
            &krate.spec_file,
            render(&PoliciesRs { krate, policies }),
        ));
        if krate.notifies {
            files.push(file(
                NOTIFICATIONS_PATH,
                Owner::User,
                render(&NotificationsRs { krate, policies }),
            ));
        }
    }
    if let Some(skeleton) = evolution::skeleton(spec) {
        files.push(file(EVOLUTION_FUNCTIONS_PATH, Owner::User, skeleton));
    }
    if let Some(tests) = evolution::tests(spec) {
        files.push(generated(EVOLUTION_PATH, &krate.spec_file, tests));
    }
    if let Some(view) = reactions::ReactionsView::new(spec) {
        files.push(generated(
            reactions::PATH,
            &krate.spec_file,
            render(&PolicyScenariosRs { view: &view }),
        ));
    }
    if let Some(view) = scenarios::ScenariosView::new(spec) {
        files.push(generated(
            SCENARIOS_PATH,
            &krate.spec_file,
            render(&ScenariosRs { view: &view }),
        ));
    }
    files
}

/// Each model's two files, in spec order, rendered on as many threads as
/// the machine has cores, in contiguous runs of models.
fn model_files(krate: &CrateView, models: &[Model]) -> Vec<GeneratedFile> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(models.len() / MODELS_PER_THREAD)
        .max(1);
    let run = models.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let mut runs = models.chunks(run);
        let first = runs.next().unwrap_or_default();
        let others: Vec<_> = runs
            .map(|models| scope.spawn(move || render_models(krate, models)))
            .collect();
        let mut files = render_models(krate, first);
        for other in others {
            files.extend(joined(other));
        }
        files
    })
}

/// What a rendering thread returned. A panic while rendering is a bug; it
/// carries on as if it had happened on the joining thread.
fn joined<T>(thread: std::thread::ScopedJoinHandle<'_, T>) -> T {
    thread
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Each model's two files (its generated module and the skeleton that is
/// yours), one model after the other: each model's view is built, rendered
/// and dropped in turn (the views of a large spec together weigh more than
/// the files they render).
fn render_models(krate: &CrateView, models: &[Model]) -> Vec<GeneratedFile> {
    let mut files = Vec::with_capacity(2 * models.len());
    for model in models {
        let model = &ModelView::new(model);
        files.push(generated(
            &format!("src/generated/{}.rs", model.file_stem),
            &krate.spec_file,
            render(&ModelRs { model }),
        ));
        files.push(file(
            &format!("src/{}.rs", model.file_stem),
            Owner::User,
            render(&SkeletonRs { krate, model }),
        ));
    }
    files
}

/// A file, ending in exactly one newline.
fn file(path: &str, owner: Owner, mut contents: String) -> GeneratedFile {
    contents.truncate(contents.trim_end().len());
    contents.push('\n');
    GeneratedFile {
        path: PathBuf::from(path),
        owner,
        contents,
    }
}

/// An esgen-owned file: the header (with the checksum of everything after
/// it), a blank line, then `body`.
fn generated(path: &str, spec_file: &str, body: String) -> GeneratedFile {
    let body = format!("\n{}", file(path, Owner::Esgen, body).contents);
    let header = render(&Header {
        spec_file,
        checksum: &checksum::of(&body),
    });
    file(path, Owner::Esgen, format!("{header}\n{body}"))
}

/// An esgen-owned SQL file: the same header as a Rust file's, in SQL
/// comments, with the checksum of everything after it.
fn generated_sql(path: &str, spec_file: &str, body: String) -> GeneratedFile {
    let body = format!("\n{}", file(path, Owner::Esgen, body).contents);
    let header = render(&Header {
        spec_file,
        checksum: &checksum::of(&body),
    });
    let header: String = header
        .lines()
        .map(|line| format!("--{}\n", line.strip_prefix("//").unwrap_or(line)))
        .collect();
    file(path, Owner::Esgen, format!("{header}{body}"))
}

/// An esgen-owned HTML file: the same header as a Rust file's, in HTML
/// comments, with the checksum of everything after it.
fn generated_html(path: &str, spec_file: &str, body: String) -> GeneratedFile {
    let body = format!("\n{}", file(path, Owner::Esgen, body).contents);
    let header = render(&Header {
        spec_file,
        checksum: &checksum::of(&body),
    });
    let header: String = header
        .lines()
        .map(|line| format!("<!--{} -->\n", line.strip_prefix("//").unwrap_or(line)))
        .collect();
    file(path, Owner::Esgen, format!("{header}{body}"))
}

/// Renders a template. Templates only format data already in memory, so the
/// only possible error is a formatter error, which askama's `Display` types
/// here never raise.
fn render(template: &impl Template) -> String {
    template
        .render()
        .expect("rendering a template into a String cannot fail")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Source;

    /// A valid spec of `models` small models.
    fn spec_of(models: usize) -> Spec {
        let mut text = String::new();
        for n in 1..=models {
            text.push_str(&format!(
                "Model: Shop{n}s\nEntity: Item{n} [id title]\nQueries:\n  - has-item{n}? [id]\n\
                 Actions:\n  - open [id title] accepted as opened [id title]\n\n"
            ));
        }
        let (spec, diagnostics) = crate::check(&Source::new("shops.ddd", text));
        assert!(!diagnostics.iter().any(|d| d.is_error()), "{diagnostics:?}");
        spec.expect("the spec checks")
    }

    #[test]
    fn models_rendered_on_threads_are_those_rendered_in_turn() {
        let spec = spec_of(3 * MODELS_PER_THREAD + 5);
        let krate = CrateView::new(&spec);
        let threaded = model_files(&krate, &spec.models);
        assert_eq!(threaded.len(), 2 * spec.models.len());
        assert_eq!(threaded, render_models(&krate, &spec.models));
        let mut whole = crate_files(&spec, &krate);
        whole.extend(threaded);
        whole.sort_by(|a, b| a.path.cmp(&b.path));
        assert_eq!(generate(&spec).files, whole);
    }
}
