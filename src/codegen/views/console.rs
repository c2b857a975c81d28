//! The web console (`src/generated/console.html`): per model, a form per
//! command with inputs typed by its terms, the answers of the queries that
//! take no parameters, and the model's events as they are stored.

use crate::model::ir::{Check, Field, Literal, Model, Spec, Type};
use crate::model::routes::{model_segment, query_segment};

/// The console of a spec.
pub struct ConsoleView {
    /// The spec's file name.
    pub spec_file: String,
    /// The served models.
    pub models: Vec<ConsoleModel>,
}

/// One model's page.
pub struct ConsoleModel {
    /// As written.
    pub name: String,
    /// Its path segment and the page's anchor (`todos`).
    pub segment: String,
    /// Its commands.
    pub commands: Vec<ConsoleCommand>,
    /// Its queries that take no parameters.
    pub answers: Vec<ConsoleAnswer>,
}

/// A command's form.
pub struct ConsoleCommand {
    /// As written.
    pub name: String,
    /// Its route.
    pub path: String,
    /// Its docs, in one line.
    pub docs: String,
    /// The event it is accepted as.
    pub event: String,
    /// Its inputs.
    pub inputs: Vec<ConsoleInput>,
}

/// One input of a command's form.
pub struct ConsoleInput {
    /// The term, as the label shows it.
    pub term: String,
    /// The wire name.
    pub wire: String,
    /// How the script reads the value: `text`, `integer`, `number`,
    /// `boolean`, `timestamp`, a list of them (`list:text`), or `choice`.
    pub reads: String,
    /// Whether it may be left empty.
    pub optional: bool,
    /// The choice's values, for a `<select>`.
    pub options: Vec<String>,
    /// The `<input>`'s `type`.
    pub input_type: String,
    /// Its other attributes (`required`, `maxlength`, …) as (name, value).
    pub attributes: Vec<(String, String)>,
    /// A hint shown under it.
    pub hint: String,
}

/// A query's answer on the page.
pub struct ConsoleAnswer {
    /// As written.
    pub name: String,
    /// Its route.
    pub path: String,
    /// `table` for a list of entities, `list` for another list, `map` for a
    /// grouped answer, `value` otherwise.
    pub shape: String,
    /// A table's columns: the entity's fields' wire names and terms.
    pub columns: Vec<(String, String)>,
}

impl ConsoleView {
    /// The console of a spec's served models.
    pub fn new(spec: &Spec) -> Self {
        ConsoleView {
            spec_file: spec.file_name.clone(),
            models: spec
                .models
                .iter()
                .filter(|m| !m.commands.is_empty())
                .map(ConsoleModel::new)
                .collect(),
        }
    }
}

impl ConsoleModel {
    fn new(model: &Model) -> Self {
        let segment = model_segment(model);
        let base = format!("/api/{segment}");
        ConsoleModel {
            name: model.name.clone(),
            commands: model
                .commands
                .iter()
                .map(|c| ConsoleCommand {
                    name: c.name.clone(),
                    path: format!("{base}/commands/{}", c.name),
                    docs: c.docs.join(" "),
                    event: model.event_of(c).name.clone(),
                    inputs: c.params.iter().map(|p| input(model, p)).collect(),
                })
                .collect(),
            answers: model
                .queries
                .iter()
                .filter(|q| q.params.is_empty())
                .map(|q| {
                    let (shape, columns) = match &q.returns {
                        Type::List(inner) => match entity_columns(model, inner) {
                            Some(columns) => ("table", columns),
                            None => ("list", Vec::new()),
                        },
                        Type::Map(..) => ("map", Vec::new()),
                        _ => ("value", Vec::new()),
                    };
                    ConsoleAnswer {
                        name: q.name.clone(),
                        path: format!("{base}/queries/{}", query_segment(&q.name)),
                        shape: shape.to_string(),
                        columns,
                    }
                })
                .collect(),
            segment,
        }
    }
}

/// The columns of a table of `ty`'s entities.
fn entity_columns(model: &Model, ty: &Type) -> Option<Vec<(String, String)>> {
    let Type::Entity(rust) = ty else {
        return None;
    };
    let entity = model.entities.iter().find(|e| &e.rust == rust)?;
    Some(
        entity
            .fields
            .iter()
            .map(|f| (f.wire().to_string(), f.term.clone()))
            .collect(),
    )
}

fn literal(n: &Literal) -> Option<String> {
    match n {
        Literal::Integer(i) => Some(i.to_string()),
        Literal::Number(t) => Some(t.clone()),
        _ => None,
    }
}

/// A command's parameter as a form input, with the browser's own
/// validation for its constraints.
fn input(model: &Model, field: &Field) -> ConsoleInput {
    let (optional, ty) = match &field.ty {
        Type::Optional(inner) => (true, inner.as_ref()),
        other => (false, other),
    };
    let mut attributes = Vec::new();
    let mut options = Vec::new();
    let mut hint = String::new();
    let (reads, input_type) = match ty {
        Type::Integer => ("integer".to_string(), "number"),
        Type::Number => ("number".to_string(), "number"),
        Type::Boolean => ("boolean".to_string(), "checkbox"),
        Type::Date => ("text".to_string(), "date"),
        Type::Timestamp => ("timestamp".to_string(), "datetime-local"),
        Type::Decimal => {
            attributes.push(("pattern".into(), "-?[0-9]+(\\.[0-9]+)?".into()));
            attributes.push(("inputmode".into(), "decimal".into()));
            ("text".to_string(), "text")
        }
        Type::Choice(rust) => {
            if let Some(choice) = model.choices.iter().find(|c| &c.rust == rust) {
                options = choice.values.iter().map(|(v, _)| v.clone()).collect();
            }
            ("choice".to_string(), "select")
        }
        Type::List(inner) => {
            hint = "separate values with commas".to_string();
            let item = match inner.as_ref() {
                Type::Integer => "integer",
                Type::Number => "number",
                Type::Boolean => "boolean",
                _ => "text",
            };
            (format!("list:{item}"), "text")
        }
        _ => ("text".to_string(), "text"),
    };
    match ty {
        Type::Integer => attributes.push(("step".into(), "1".into())),
        Type::Number => attributes.push(("step".into(), "any".into())),
        _ => {}
    }
    if !optional && !matches!(ty, Type::Boolean | Type::List(_)) {
        attributes.push(("required".into(), String::new()));
    }
    for check in &field.checks {
        match check {
            Check::NotBlank => attributes.push(("pattern".into(), ".*\\S.*".into())),
            Check::MaxChars { n } => attributes.push(("maxlength".into(), n.to_string())),
            Check::MinChars { n } => attributes.push(("minlength".into(), n.to_string())),
            Check::AtLeast { n } => attributes.extend(literal(n).map(|n| ("min".into(), n))),
            Check::AtMost { n } => attributes.extend(literal(n).map(|n| ("max".into(), n))),
            Check::Between { low, high } => {
                attributes.extend(literal(low).map(|n| ("min".into(), n)));
                attributes.extend(literal(high).map(|n| ("max".into(), n)));
            }
            Check::Finite => {}
        }
    }
    if hint.is_empty() {
        hint = field.docs.join(" ");
    }
    ConsoleInput {
        term: field.term.clone(),
        wire: field.wire().to_string(),
        reads,
        optional,
        options,
        input_type: input_type.to_string(),
        attributes,
        hint,
    }
}
