//! Contracts for other languages, from the lock: a JSON Schema (2020-12)
//! of every event version ever stored, and an AsyncAPI 3.0 document with a
//! channel per model and a message per event version. Both describe the
//! JSON the generated code writes (`lock::representation`).

use super::lock::{Lock, LockedEvent, LockedField, LockedType};
use serde_json::{json, Map, Value};

/// The name of an event version's definition: `Todos.created.v1`.
pub fn definition_name(model: &str, event: &str, version: u32) -> String {
    format!("{model}.{event}.v{version}")
}

/// One schema per event version, by its definition name, in the lock's
/// order (model, event, version).
pub fn event_schemas(lock: &Lock) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (model, events) in &lock.models {
        for (event, versions) in events {
            for (version, locked) in versions {
                out.push((
                    definition_name(model, event, *version),
                    event_schema(model, event, *version, locked),
                ));
            }
        }
    }
    out
}

/// The schema of one stored event version: an object with one key, its
/// tag, holding its fields.
pub fn event_schema(model: &str, event: &str, version: u32, locked: &LockedEvent) -> Value {
    json!({
        "title": format!("`{event}` of `{model}`, version {version}"),
        "description": format!(
            "The event `{}` as stored, tagged `{}`.",
            event, locked.tag
        ),
        "type": "object",
        "properties": { locked.tag.clone(): fields_schema(&locked.fields) },
        "required": [locked.tag],
        "additionalProperties": false,
    })
}

/// An object of fields.
fn fields_schema(fields: &[LockedField]) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for field in fields {
        let mut schema = type_schema(&field.ty);
        if let Value::Object(map) = &mut schema {
            map.insert(
                "description".into(),
                Value::String(format!("`{}`", field.term)),
            );
        }
        properties.insert(field.name.clone(), schema);
        if field.required {
            required.push(Value::String(field.name.clone()));
        }
    }
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
    })
}

/// The schema of a field's type, as serde writes it.
pub(super) fn type_schema(ty: &LockedType) -> Value {
    match ty {
        LockedType::Text | LockedType::IdOf(_) => json!({ "type": "string" }),
        LockedType::Integer => json!({ "type": "integer" }),
        LockedType::Number => json!({ "type": "number" }),
        LockedType::Boolean => json!({ "type": "boolean" }),
        LockedType::Date => json!({ "type": "string", "format": "date" }),
        LockedType::Timestamp => json!({ "type": "string", "format": "date-time" }),
        LockedType::Decimal => json!({ "type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$" }),
        LockedType::ListOf(inner) => json!({ "type": "array", "items": type_schema(inner) }),
        LockedType::Optional(inner) => json!({ "anyOf": [type_schema(inner), { "type": "null" }] }),
        LockedType::OneOf { values, .. } => json!({ "enum": values }),
        LockedType::Entity { fields, .. } => fields_schema(fields),
    }
}

/// One JSON Schema document: every event version under `$defs`, and the
/// document itself accepting any of them.
pub fn json_schema(lock: &Lock) -> Value {
    let schemas = event_schemas(lock);
    let refs: Vec<Value> = schemas
        .iter()
        .map(|(name, _)| json!({ "$ref": format!("#/$defs/{name}") }))
        .collect();
    let defs: Map<String, Value> = schemas.into_iter().collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("urn:esgen:{}", lock.spec),
        "title": format!("The events of `{}`", lock.spec),
        "description": "Every version of every event ever stored, as the generated code writes it.",
        "oneOf": refs,
        "$defs": defs,
    })
}

/// A standalone JSON Schema document of one event version (for `--out`).
pub fn standalone(lock: &Lock, name: &str, schema: &Value) -> Value {
    let mut schema = schema.clone();
    if let Value::Object(map) = &mut schema {
        map.insert(
            "$schema".into(),
            Value::String("https://json-schema.org/draft/2020-12/schema".into()),
        );
        map.insert(
            "$id".into(),
            Value::String(format!("urn:esgen:{}:{name}", lock.spec)),
        );
    }
    schema
}

/// An AsyncAPI 3.0 document: a channel per model (its streams), a message
/// per event version, and an operation per model for the events it sends.
pub fn asyncapi(lock: &Lock) -> Value {
    let mut channels = Map::new();
    let mut operations = Map::new();
    let mut messages = Map::new();
    for (model, events) in &lock.models {
        let mut channel_messages = Map::new();
        for (event, versions) in events {
            for (version, locked) in versions {
                let name = definition_name(model, event, *version);
                messages.insert(
                    name.clone(),
                    json!({
                        "name": locked.tag,
                        "title": format!("`{event}` of `{model}`, version {version}"),
                        "contentType": "application/json",
                        "payload": event_schema(model, event, *version, locked),
                    }),
                );
                channel_messages.insert(
                    name.clone(),
                    json!({ "$ref": format!("#/components/messages/{name}") }),
                );
            }
        }
        let refs: Vec<Value> = channel_messages
            .keys()
            .map(|name| json!({ "$ref": format!("#/channels/{model}/messages/{name}") }))
            .collect();
        channels.insert(
            model.clone(),
            json!({
                "address": model,
                "title": format!("The events of `{model}`"),
                "messages": channel_messages,
            }),
        );
        operations.insert(
            format!("{model}.events"),
            json!({
                "action": "send",
                "title": format!("`{model}` records its events"),
                "channel": { "$ref": format!("#/channels/{model}") },
                "messages": refs,
            }),
        );
    }
    json!({
        "asyncapi": "3.0.0",
        "info": {
            "title": format!("The events of `{}`", lock.spec),
            "version": "1.0.0",
            "description": "Every version of every event ever stored (the lock), as the generated code writes it.",
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": { "messages": messages },
    })
}
