//! Reading stored events: for a model whose events have versions stored
//! before the current ones (`Model::stored`), the model file gets a
//! `stored` module with a struct per such version, as it was stored, and
//! its upcast to the next version; the event enum is then read through an
//! enum of every tag ever stored, each brought up to its current event.
//! Plain serde: the tag says which version a payload is, nothing is
//! guessed.

use super::behaviour::{literal, string};
use super::expr::Expr;
use super::rust::{inert, test_head};
use crate::model::ir::{FieldValue, Literal, Model, Next, Spec, StoredVersion, Type, Upcast};
use crate::model::names::unraw;

/// The decoding of `model`'s events, when it has stored versions: the
/// enum of stored tags, `Deserialize` for the event enum, and the `stored`
/// module. `None` when every stored event is of a current version.
pub fn decoding(model: &Model) -> Option<String> {
    if model.stored.is_empty() && model.retired.is_empty() {
        return None;
    }
    let name = &model.rust;
    let mut out = String::new();
    out.push_str(&format!(
        "/// Every version of the `{}` events ever stored, by its tag: what\n/// [`{name}Event`] is read from.\n#[derive(Deserialize)]\n#[allow(clippy::enum_variant_names, clippy::large_enum_variant)]\nenum {name}Stored {{\n",
        model.name
    ));
    for event in &model.events {
        out.push_str(&format!(
            "    #[serde(rename = {})]\n    {r}({r}),\n",
            string(&event.tag()),
            r = event.rust
        ));
    }
    for version in &model.stored {
        out.push_str(&format!(
            "    #[serde(rename = {})]\n    {r}(stored::{r}),\n",
            string(&version.tag),
            r = version.rust
        ));
    }
    for (index, tag) in model.retired.iter().enumerate() {
        out.push_str(&format!(
            "    #[serde(rename = {})]\n    Retired{index}(serde::de::IgnoredAny),\n",
            string(tag)
        ));
    }
    out.push_str("}\n\n");
    out.push_str(&format!(
        "impl<'de> Deserialize<'de> for {name}Event {{\n    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {{\n        Ok(match {name}Stored::deserialize(deserializer)? {{\n"
    ));
    for event in &model.events {
        out.push_str(&super::rust::arm(
            12,
            &format!("{name}Stored::{r}(event)", r = event.rust),
            &format!("Self::{}(event)", event.rust),
        ));
        out.push('\n');
    }
    for (index, version) in model.stored.iter().enumerate() {
        let (upcasts, current) = chain(model, index);
        let value = format!("event{}", ".upcast()".repeat(upcasts));
        out.push_str(&super::rust::arm(
            12,
            &format!("{name}Stored::{}(event)", version.rust),
            &format!("Self::{}({value})", model.events[current].rust),
        ));
        out.push('\n');
    }
    for (index, tag) in model.retired.iter().enumerate() {
        let event = tag.split('@').next().unwrap_or(tag);
        out.push_str(&super::rust::arm(
            12,
            &format!("{name}Stored::Retired{index}(_)"),
            &format!("Self::Retired({})", string(event)),
        ));
        out.push('\n');
    }
    out.push_str("        })\n    }\n}\n");
    if model.stored.is_empty() {
        return Some(out.trim_end().to_string());
    }
    out.push('\n');
    out.push_str(&format!(
        "/// The versions of the `{}` events stored before the current ones, each as\n/// it was stored, and how it is read today.\npub mod stored {{\n    use super::*;\n",
        model.name
    ));
    for version in &model.stored {
        out.push('\n');
        out.push_str(&frozen(model, version));
    }
    out.push('}');
    Some(out)
}

/// The test file that proves every version of every event is read: per
/// model, a sample payload of each current version read and written back
/// unchanged, and of each stored version read as its current event.
pub fn tests(spec: &Spec) -> Option<String> {
    let root = format!("::{}", spec.crate_name.replace('-', "_"));
    let mut out = format!(
        "//! Every version of every event of `{}` that its lock records, read by
//! the crate as it is now: a sample payload of each current version is
//! read and written back unchanged, and one of each version stored before
//! is read as its current event, as `Evolution:` says.
",
        inert(&spec.file_name)
    );
    let mut any = false;
    for model in &spec.models {
        if model.events.is_empty() {
            continue;
        }
        any = true;
        out.push_str(&format!(
            "\nmod {} {{\n    use {root}::generated::{}::*;\n\n    /// An event of the model, read from JSON.\n    fn read(json: &str) -> {}Event {{\n        serde_json::from_str(json).expect(\"the payload is read\")\n    }}\n",
            model.module, model.module, model.rust
        ));
        for event in &model.events {
            let sample = object(&event.tag(), &samples(model, &event.fields));
            out.push_str(&format!(
                "\n    /// `{}` is read, and written back as it was.\n    #[test]\n{}\n{}        let written = serde_json::to_value(read(sample)).expect(\"the event is written\");\n        let sample: serde_json::Value = serde_json::from_str(sample).expect(\"JSON\");\n        assert_eq!(written, sample);\n    }}\n",
                inert(&event.tag()),
                test_head(4, &format!("{}_is_read_and_written_back", test_name(&event.tag()))),
                let_raw("sample", &sample),
            ));
        }
        for (index, version) in model.stored.iter().enumerate() {
            let fields: Vec<(String, String)> = version
                .fields
                .iter()
                .map(|f| (f.wire.clone(), sample(model, &f.ty)))
                .collect();
            let stored = object(&version.tag, &fields);
            let Some((tag, current)) = read_as(model, index, &fields) else {
                out.push_str(&format!(
                    "\n    /// `{}` as stored is read through the function you write.\n    #[test]\n{}\n{}        let _ = read(stored);\n    }}\n",
                    inert(&version.tag),
                    test_head(4, &format!("{}_is_read", test_name(&version.tag))),
                    let_raw("stored", &stored),
                ));
                continue;
            };
            out.push_str(&format!(
                "\n    /// `{}` as stored is read as `{}`.\n    #[test]\n{}\n{}{}        assert_eq!(read(stored), read(current));\n    }}\n",
                inert(&version.tag),
                inert(&tag),
                test_head(
                    4,
                    &format!("{}_is_read_as_{}", test_name(&version.tag), test_name(&tag))
                ),
                let_raw("stored", &stored),
                let_raw("current", &object(&tag, &current)),
            ));
        }
        for tag in &model.retired {
            let event = tag.split('@').next().unwrap_or(tag);
            out.push_str(&format!(
                "\n    /// `{}` as stored is read as retired: it changes nothing.\n    #[test]\n{}\n{}        assert_eq!(read(stored), {}Event::Retired({}));\n    }}\n",
                inert(tag),
                test_head(4, &format!("{}_is_read_as_retired", test_name(tag))),
                let_raw("stored", &object(tag, &[])),
                model.rust,
                string(event)
            ));
        }
        out.push_str("}\n");
    }
    any.then_some(out)
}

/// What a stored version becomes at the end of its chain: the current
/// event's tag and its fields' JSON. `None` when a function you write
/// does a step (its result is not known here).
fn read_as(
    model: &Model,
    mut index: usize,
    fields: &[(String, String)],
) -> Option<(String, Vec<(String, String)>)> {
    // Fields by Rust name, as each step reads them.
    let mut values: Vec<(String, String)> = model.stored[index]
        .fields
        .iter()
        .zip(fields)
        .map(|(f, (_, json))| (f.rust.clone(), json.clone()))
        .collect();
    for _ in 0..=model.stored.len() {
        let version = &model.stored[index];
        let Upcast::Fields { fields: mapping } = &version.how else {
            return None;
        };
        let next: Vec<(String, String)> = mapping
            .iter()
            .map(|(rust, value)| {
                let json = match value {
                    FieldValue::Field { rust: from } => values
                        .iter()
                        .find(|(r, _)| r == from)
                        .map_or_else(|| "null".to_string(), |(_, j)| j.clone()),
                    FieldValue::Value { value, ty } => literal_json(value, ty),
                };
                (rust.clone(), json)
            })
            .collect();
        match version.next {
            Next::Current(event) => {
                let event = &model.events[event];
                let wire = next
                    .into_iter()
                    .map(|(rust, json)| {
                        let wire = event
                            .fields
                            .iter()
                            .find(|f| f.rust == rust)
                            .map_or(rust.clone(), |f| unraw(&f.rust).to_string());
                        (wire, json)
                    })
                    .collect();
                return Some((event.tag(), wire));
            }
            Next::Stored(following) => {
                values = next;
                index = following;
            }
        }
    }
    None
}

/// `{"<tag>":{"<field>":<json>,…}}`
fn object(tag: &str, fields: &[(String, String)]) -> String {
    let body: Vec<String> = fields
        .iter()
        .map(|(name, json)| format!("{}:{json}", json_string(name)))
        .collect();
    format!("{{{}:{{{}}}}}", json_string(tag), body.join(","))
}

/// Sample values of fields, by their keys on the wire.
fn samples(model: &Model, fields: &[crate::model::ir::Field]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|f| (unraw(&f.rust).to_string(), sample(model, &f.ty)))
        .collect()
}

/// A sample value of a type, as JSON.
fn sample(model: &Model, ty: &Type) -> String {
    match ty {
        Type::Text => json_string("sample text"),
        Type::Id(_) => json_string("sample-id"),
        Type::Integer => "7".into(),
        Type::Number => "2.5".into(),
        Type::Boolean => "true".into(),
        Type::Date => json_string("2026-01-31"),
        Type::Timestamp => json_string("2026-01-31T12:30:00Z"),
        Type::Decimal => json_string("12.50"),
        Type::List(inner) => format!("[{}]", sample(model, inner)),
        // Only a grouped query answers a map; no event holds one.
        Type::Map(..) => "{}".into(),
        Type::Event(_) => "null".into(),
        Type::Optional(inner) => sample(model, inner),
        Type::Choice(rust) => model
            .choices
            .iter()
            .find(|c| c.rust == *rust)
            .and_then(|c| c.values.last())
            .map_or_else(|| json_string(""), |(word, _)| json_string(word)),
        Type::Entity(rust) => match model.entities.iter().find(|e| e.rust == *rust) {
            Some(entity) => {
                let fields = samples(model, &entity.fields);
                let body: Vec<String> = fields
                    .iter()
                    .map(|(name, json)| format!("{}:{json}", json_string(name)))
                    .collect();
                format!("{{{}}}", body.join(","))
            }
            None => "{}".into(),
        },
    }
}

/// A value written in the spec, as JSON.
fn literal_json(value: &Literal, ty: &Type) -> String {
    match (value, ty) {
        (Literal::Nothing, _) => "null".into(),
        (_, Type::Optional(inner)) => literal_json(value, inner),
        (Literal::Text(t), _) => json_string(t),
        (Literal::Integer(n), _) => n.to_string(),
        (Literal::Number(n), _) => n.clone(),
        (Literal::Decimal(n), _) => json_string(n),
        (Literal::Boolean(b), _) => b.to_string(),
        (Literal::Choice(_, _, word), _) => json_string(word),
        (Literal::Id(_, text), _) => json_string(text),
        (Literal::List(items), Type::List(inner)) => format!(
            "[{}]",
            items
                .iter()
                .map(|i| literal_json(i, inner))
                .collect::<Vec<_>>()
                .join(",")
        ),
        (Literal::List(_), _) => "[]".into(),
        // Only scenarios write maps; no event holds one.
        (Literal::Map(_), _) => "{}".into(),
        (Literal::Date(y, m, d), _) => json_string(&format!("{y:04}-{m:02}-{d:02}")),
        (Literal::Timestamp(t), _) => json_string(t),
    }
}

fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// `let <name> = r#"<json>"#;` at 8, laid out as rustfmt lays it out.
fn let_raw(name: &str, json: &str) -> String {
    Expr::atom(raw(json)).assign(8, &format!("let {name}"), ";\n")
}

/// A raw string literal holding `text`.
fn raw(text: &str) -> String {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
}

/// A test function's name from a tag: `created@2` is `created_2`.
fn test_name(tag: &str) -> String {
    let mut name: String = tag
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    while name.contains("__") {
        name = name.replace("__", "_");
    }
    name.trim_matches('_').to_string()
}

/// How many upcasts take a stored version to a current event, and which.
fn chain(model: &Model, mut index: usize) -> (usize, usize) {
    let mut steps = 1;
    // Each stored version goes to a later one; the chain has no cycle (the
    // model pass checked), so it ends within as many steps as there are.
    for _ in 0..=model.stored.len() {
        match model.stored[index].next {
            Next::Current(event) => return (steps, event),
            Next::Stored(next) => {
                index = next;
                steps += 1;
            }
        }
    }
    (steps, 0)
}

/// A stored version's struct and its upcast.
fn frozen(model: &Model, version: &StoredVersion) -> String {
    let fields: Vec<String> = version
        .fields
        .iter()
        .map(|f| format!("`{}`", f.term))
        .collect();
    let mut out = format!(
        "    /// `{}` as stored: [{}].\n    #[derive(Debug, Clone, PartialEq, Deserialize)]\n    pub struct {} {{\n",
        version.tag,
        fields
            .iter()
            .map(|f| f.trim_matches('`'))
            .collect::<Vec<_>>()
            .join(" "),
        version.rust
    );
    if version.fields.is_empty() {
        out = out.trim_end_matches('\n').to_string();
        out.push_str("}\n");
    } else {
        for field in &version.fields {
            out.push_str(&format!("        /// `{}`\n", field.term));
            if crate::model::names::unraw(&field.rust) != field.wire {
                out.push_str(&format!(
                    "        #[serde(rename = {})]\n",
                    string(&field.wire)
                ));
            }
            out.push_str(&format!(
                "        pub {}: {},\n",
                field.rust,
                field.ty.rust()
            ));
        }
        out.push_str("    }\n");
    }
    let (target, target_tag) = match version.next {
        Next::Current(event) => {
            let event = &model.events[event];
            (format!("super::{}", event.rust), event.tag())
        }
        Next::Stored(next) => {
            let next = &model.stored[next];
            (next.rust.clone(), next.tag.clone())
        }
    };
    let body = match &version.how {
        Upcast::By { function } => {
            format!("            crate::evolution::{function}(self)\n")
        }
        Upcast::Fields { fields } => {
            let values: Vec<(String, Expr)> = fields
                .iter()
                .map(|(rust, value)| {
                    let value = match value {
                        FieldValue::Field { rust } => format!("self.{rust}"),
                        FieldValue::Value { value, ty } => literal(value, ty),
                    };
                    (rust.clone(), Expr::atom(value))
                })
                .collect();
            let used = fields
                .iter()
                .any(|(_, v)| matches!(v, FieldValue::Field { .. }));
            let expr = Expr::Struct(target.clone(), values).render(12, "", "\n");
            if used {
                expr
            } else {
                format!("            let _ = self;\n{expr}")
            }
        }
    };
    out.push_str(&format!(
        "\n    impl {} {{\n        /// Reads it as `{target_tag}`.\n        #[must_use]\n        pub fn upcast(self) -> {target} {{\n{body}        }}\n    }}\n",
        version.rust
    ));
    out
}

/// The functions `Evolution:` names (`by <function>`), each with the
/// stored version it reads and what it returns, as paths from the crate.
pub fn functions(spec: &Spec) -> Vec<(String, String, String, String)> {
    let mut found = Vec::new();
    for model in &spec.models {
        for version in &model.stored {
            let Upcast::By { function } = &version.how else {
                continue;
            };
            let module = format!("crate::generated::{}", model.module);
            let (returns, next_tag) = match version.next {
                Next::Current(event) => (
                    format!("{module}::{}", model.events[event].rust),
                    model.events[event].tag(),
                ),
                Next::Stored(next) => (
                    format!("{module}::stored::{}", model.stored[next].rust),
                    model.stored[next].tag.clone(),
                ),
            };
            found.push((
                function.clone(),
                format!("{module}::stored::{}", version.rust),
                returns,
                format!("a stored `{}` as `{next_tag}`", version.tag),
            ));
        }
    }
    found
}

/// The migrations the spec declares (`migrate by <function>`): the
/// function, the model's module and its type name.
pub fn migrations(spec: &Spec) -> Vec<(String, String, String)> {
    spec.models
        .iter()
        .filter_map(|m| {
            m.migration
                .as_ref()
                .map(|f| (f.clone(), m.module.clone(), m.rust.clone()))
        })
        .collect()
}

/// The first text of `src/evolution.rs`, yours: a function per `by`, and
/// per `migrate by`.
pub fn skeleton(spec: &Spec) -> Option<String> {
    let functions = functions(spec);
    let migrations = migrations(spec);
    if functions.is_empty() && migrations.is_empty() {
        return None;
    }
    let mut out = format!(
        "//! What `{}`'s `Evolution:` leaves to you: each `by <function>` reads a\n//! stored version of an event and returns the next (the generated\n//! `tests/evolution.rs` reads a sample through it); each `migrate by\n//! <function>` moves a running stream to new ones.\n//!\n//! esgen created this file once and never changes it: it is yours.\n",
        inert(&spec.file_name)
    );
    for (function, takes, returns, what) in functions {
        let signature = super::rust::signature_with(
            0,
            "pub fn",
            &function,
            &[format!("old: {takes}")],
            Some(&returns),
            " {",
        );
        out.push_str(&format!(
            "\n/// Reads {what}.\n#[must_use]\n{signature}\n    let _ = old;\n    todo!()\n}}\n"
        ));
    }
    for (function, module, rust) in migrations {
        let signature = super::rust::signature_with(
            0,
            "pub fn",
            &function,
            &[format!(
                "old: &impl crate::generated::{module}::{rust}Queries"
            )],
            Some(&format!(
                "Vec<(String, Vec<crate::generated::{module}::{rust}Event>)>"
            )),
            " {",
        );
        out.push_str(&format!(
            "\n/// Migrates a running `{rust}` stream: from the model its events\n/// built, the streams that replace it, each with the events that build\n/// it (`{}_migrate` writes them).\n#[must_use]\n{signature}\n    let _ = old;\n    todo!()\n}}\n",
            crate::model::names::unraw(&module)
        ));
    }
    Some(out)
}
