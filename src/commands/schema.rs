//! `esgen schema`: the contracts of every stored event version, as JSON
//! Schema or AsyncAPI, and the service's, as OpenAPI.

use super::{count, read, report_diagnostics, Status, Ui};
use esgen::diagnostics::codes;
use std::path::Path;

/// What `esgen schema` writes.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SchemaFormat {
    /// JSON Schema, draft 2020-12.
    Jsonschema,
    /// AsyncAPI 3.0.
    Asyncapi,
    /// OpenAPI 3.1: the service's routes, bodies, answers and problems.
    Openapi,
}

/// `esgen schema`: the contracts of every locked event version, and the
/// spec's current ones.
pub fn run(path: &Path, format: SchemaFormat, out: Option<&Path>, ui: &Ui) -> Status {
    use esgen::model::evolution::schema as contracts;
    let source = match read(path, ui) {
        Ok(source) => source,
        Err(status) => return status,
    };
    let (spec, lock, diagnostics) = esgen::check_locked(&source);
    report_diagnostics(ui, &source, &diagnostics);
    let (Some(spec), Some(lock)) = (spec, lock) else {
        eprintln!(
            "{}: {}; no schema was written",
            source.name,
            count(&diagnostics)
        );
        return Status::SpecErrors;
    };
    let pretty = |value: &serde_json::Value| {
        let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
        text.push('\n');
        text
    };
    let files: Vec<(String, String)> = match (format, out) {
        (SchemaFormat::Jsonschema, None) => {
            print!("{}", pretty(&contracts::json_schema(&lock)));
            return Status::Ok;
        }
        (SchemaFormat::Asyncapi, None) => {
            print!("{}", pretty(&contracts::asyncapi(&lock)));
            return Status::Ok;
        }
        (SchemaFormat::Openapi, None) => {
            print!(
                "{}",
                pretty(&esgen::model::evolution::openapi::openapi(&spec))
            );
            return Status::Ok;
        }
        (SchemaFormat::Openapi, Some(_)) => vec![(
            "openapi.json".to_string(),
            pretty(&esgen::model::evolution::openapi::openapi(&spec)),
        )],
        (SchemaFormat::Jsonschema, Some(_)) => contracts::event_schemas(&lock)
            .into_iter()
            .map(|(name, schema)| {
                let document = contracts::standalone(&lock, &name, &schema);
                (format!("{name}.json"), pretty(&document))
            })
            .collect(),
        (SchemaFormat::Asyncapi, Some(_)) => {
            vec![(
                "asyncapi.json".to_string(),
                pretty(&contracts::asyncapi(&lock)),
            )]
        }
    };
    let dir = out.unwrap_or(Path::new("."));
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!(
            "error[{}]: cannot create `{}`: {e}",
            codes::IO,
            dir.display()
        );
        return Status::Trouble;
    }
    for (name, text) in &files {
        if let Err(error) = esgen::output::disk::write_atomically(&dir.join(name), text) {
            report_diagnostics(ui, &source, std::slice::from_ref(&*error));
            return Status::Trouble;
        }
    }
    eprintln!("wrote {} file(s) into {}", files.len(), dir.display());
    Status::Ok
}
