//! `esgen schema`: for every spec in `specs/`, the JSON Schema of its
//! events is a valid 2020-12 schema, every event sample of the generated
//! `tests/evolution.rs` validates against it (and a broken one does not),
//! and the AsyncAPI document is valid to the AsyncAPI initiative's own
//! parser (`scripts/asyncapi.sh`).

mod common;

use esgen::model::evolution::schema;
use serde_json::Value;
use std::process::Command;

/// Each spec with its lock (as `esgen build` would write it).
fn locks() -> Vec<(String, esgen::Lock)> {
    common::specs()
        .iter()
        .map(|path| {
            let source = esgen::read_spec(path).expect("a readable spec");
            let (_, lock, diagnostics) = esgen::check_locked(&source);
            let lock = lock.unwrap_or_else(|| panic!("{}: {diagnostics:?}", source.name));
            (source.stem().to_string(), lock)
        })
        .collect()
}

/// The JSON payloads of a generated `tests/evolution.rs`.
fn samples(stem: &str) -> Vec<Value> {
    let path = common::root().join(format!("generated-examples/{stem}/tests/evolution.rs"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut found = Vec::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("r#\"") {
        let after = &rest[at + 3..];
        let end = after.find("\"#").expect("a closed raw string");
        found.push(serde_json::from_str(&after[..end]).expect("a JSON sample"));
        rest = &after[end..];
    }
    assert!(!found.is_empty(), "no samples in {}", path.display());
    found
}

#[test]
fn the_json_schema_is_valid_and_every_sample_fits_it() {
    for (stem, lock) in locks() {
        let document = schema::json_schema(&lock);
        jsonschema::meta::validate(&document)
            .unwrap_or_else(|e| panic!("{stem}: not a valid JSON Schema: {e}"));
        let validator = jsonschema::validator_for(&document).expect("a schema");
        let samples = samples(&stem);
        for sample in &samples {
            let errors: Vec<String> = validator
                .iter_errors(sample)
                .map(|e| e.to_string())
                .collect();
            assert!(
                errors.is_empty(),
                "{stem}: {sample} does not fit: {errors:?}"
            );
        }
        // A payload that lost a required field, or holds the wrong type,
        // does not.
        let mut broken = samples[0].clone();
        let fields = broken
            .as_object_mut()
            .and_then(|o| o.values_mut().next())
            .and_then(Value::as_object_mut)
            .expect("an event object");
        if let Some(key) = fields.keys().next().cloned() {
            fields.insert(key, Value::Array(vec![Value::Null, Value::Bool(true)]));
            assert!(!validator.is_valid(&broken), "{stem}: {broken} fits");
        }
        assert!(!validator.is_valid(&serde_json::json!({"no-such-event": {}})));
        for (name, one) in schema::event_schemas(&lock) {
            let standalone = schema::standalone(&lock, &name, &one);
            jsonschema::meta::validate(&standalone)
                .unwrap_or_else(|e| panic!("{stem} {name}: not a valid JSON Schema: {e}"));
        }
    }
}

#[test]
fn the_asyncapi_documents_are_valid() {
    let tmp = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (stem, lock) in locks() {
        let document = schema::asyncapi(&lock);
        let channels = document["channels"].as_object().expect("channels");
        assert_eq!(
            channels.len(),
            lock.models.len(),
            "{stem}: a channel per model"
        );
        let path = tmp.path().join(format!("{stem}.json"));
        std::fs::write(&path, serde_json::to_string_pretty(&document).unwrap()).unwrap();
        paths.push(path);
    }
    let output = Command::new("bash")
        .arg(common::root().join("scripts/asyncapi.sh"))
        .args(&paths)
        .current_dir(common::root())
        .output()
        .expect("bash runs");
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{said}");
    for path in &paths {
        let shown = path.display().to_string();
        assert!(
            said.contains(&format!("{shown}: a valid AsyncAPI 3.0.0 document")),
            "{shown}: {said}"
        );
    }
}
