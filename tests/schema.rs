//! `esgen schema`: for every spec in `specs/`, the JSON Schema of its
//! events is a valid 2020-12 schema, every event sample of the generated
//! `tests/evolution.rs` validates against it (and a broken one does not),
//! and the AsyncAPI document is valid to the AsyncAPI initiative's own
//! parser (`scripts/asyncapi.sh`); the OpenAPI document is valid to
//! openapi-spec-validator (`scripts/openapi.sh`), and every scenario's
//! command that breaks no constraint is a valid body.

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

/// The JSON a scenario's value is written as on the wire.
fn literal_json(value: &esgen::model::ir::Literal) -> Value {
    use esgen::model::ir::Literal;
    match value {
        Literal::Text(t) | Literal::Timestamp(t) | Literal::Decimal(t) => Value::String(t.clone()),
        Literal::Id(_, t) | Literal::Choice(_, _, t) => Value::String(t.clone()),
        Literal::Integer(n) => Value::from(*n),
        Literal::Number(n) => serde_json::from_str(n).expect("a number"),
        Literal::Boolean(b) => Value::Bool(*b),
        Literal::Nothing => Value::Null,
        Literal::Date(y, m, d) => Value::String(format!("{y:04}-{m:02}-{d:02}")),
        Literal::List(items) => Value::Array(items.iter().map(literal_json).collect()),
        Literal::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| {
                    let key = match literal_json(k) {
                        Value::String(s) => s,
                        other => other.to_string(),
                    };
                    (key, literal_json(v))
                })
                .collect(),
        ),
    }
}

#[test]
fn the_openapi_documents_are_valid_and_take_the_scenarios_commands() {
    use esgen::model::routes::{self, RouteKind};
    let tmp = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    let mut commands_checked = 0;
    for path in common::specs() {
        let source = esgen::read_spec(&path).expect("a readable spec");
        let (spec, diagnostics) = esgen::check(&source);
        let spec = spec.unwrap_or_else(|| panic!("{}: {diagnostics:?}", source.name));
        let stem = source.stem().to_string();
        let runs = esgen::eval::scenarios::run(&spec);
        let document = esgen::model::evolution::openapi::openapi(&spec);
        let schemas = document["components"]["schemas"]
            .as_object()
            .expect("schemas");
        // Every route is a path with its method; every reference resolves.
        let table = routes::routes(&spec);
        for route in &table {
            let operation = &document["paths"][&route.path][route.method.as_str().to_lowercase()];
            assert!(
                operation.is_object(),
                "{stem}: {} {}",
                route.method.as_str(),
                route.path
            );
        }
        let text = serde_json::to_string(&document).unwrap();
        for (at, _) in text.match_indices("#/components/schemas/") {
            let name: String = text[at + 21..].chars().take_while(|c| *c != '"').collect();
            assert!(
                schemas.contains_key(&name),
                "{stem}: `{name}` is referred to"
            );
        }
        // Each component is a valid JSON Schema (2020-12, as OpenAPI 3.1's).
        for (name, schema) in schemas {
            jsonschema::meta::validate(schema)
                .unwrap_or_else(|e| panic!("{stem} {name}: not a valid JSON Schema: {e}"));
        }
        // The command of every scenario is a valid body, unless the
        // scenario shows it breaking a constraint; and one without a
        // required field is not.
        for model in &spec.models {
            for scenario in &model.scenarios {
                let command = &model.commands[scenario.when.index];
                let Some(body) = schemas.get(&format!("{}.{}.command", model.name, command.name))
                else {
                    panic!("{stem}: no body for `{}`", command.name);
                };
                if serde_json::to_string(body).unwrap().contains("$ref") {
                    continue;
                }
                let validator = jsonschema::validator_for(body).expect("a schema");
                let json: serde_json::Map<String, Value> = scenario
                    .when
                    .values
                    .iter()
                    .map(|(field, value)| {
                        let name = field.rust.trim_start_matches("r#").to_string();
                        (name, literal_json(value))
                    })
                    .collect();
                // Rejected by its constraints, as the evaluator runs it.
                let invalid = runs
                    .iter()
                    .find(|r| std::ptr::eq(&spec.models[r.model].scenarios[r.scenario], scenario))
                    .and_then(|r| r.rejected_by.as_deref())
                    .is_some_and(|rule| rule.ends_with("/constraints"));
                let json = Value::Object(json);
                if !invalid {
                    assert!(
                        validator.is_valid(&json),
                        "{stem}: `{}` of `{}` does not fit its body: {json}",
                        command.name,
                        scenario.title
                    );
                    commands_checked += 1;
                }
                if let Some((first, _)) = json.as_object().and_then(|o| o.iter().next()) {
                    let mut without = json.clone();
                    without.as_object_mut().unwrap().remove(first);
                    let required = body["required"]
                        .as_array()
                        .is_some_and(|r| r.iter().any(|n| n == first));
                    if required {
                        assert!(!validator.is_valid(&without), "{stem}: `{first}` left out");
                    }
                }
            }
        }
        // A route per command of every model with actions.
        let commands = table
            .iter()
            .filter(|r| matches!(r.kind, RouteKind::Command { .. }))
            .count();
        let expected: usize = spec.models.iter().map(|m| m.commands.len()).sum();
        assert_eq!(commands, expected, "{stem}");
        let path = tmp.path().join(format!("{stem}.json"));
        std::fs::write(&path, serde_json::to_string_pretty(&document).unwrap()).unwrap();
        paths.push(path);
    }
    assert!(
        commands_checked > 20,
        "only {commands_checked} commands checked"
    );
    let output = Command::new("bash")
        .arg(common::root().join("scripts/openapi.sh"))
        .args(&paths)
        .current_dir(common::root())
        .output()
        .expect("bash runs");
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{said}");
    for path in &paths {
        let shown = path.display().to_string();
        assert!(
            said.contains(&format!("{shown}: a valid OpenAPI document")),
            "{shown}: {said}"
        );
    }
}
