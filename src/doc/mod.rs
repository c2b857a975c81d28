//! `esgen doc`: a spec as a document for the people who share it — a
//! Markdown page with the glossary and, per model, its entities, actions
//! with their rules and events, queries, scenarios and an event-model
//! diagram (Mermaid inline, and an SVG esgen draws, `diagram.rs`).

pub mod diagram;

use crate::model::ir::{Model, Origin, Spec};
use std::fmt::Write as _;

/// A file of the documentation: its name and text.
pub struct DocFile {
    /// Relative to the output directory.
    pub name: String,
    /// Its contents.
    pub text: String,
}

/// The documentation of a checked spec: `<stem>.md` and one
/// `<stem>.<model>.svg` per model with actions.
pub fn document(spec: &Spec, stem: &str) -> Vec<DocFile> {
    let mut files = Vec::new();
    let mut md = String::new();
    let _ = writeln!(md, "# {}\n", spec.file_name);
    let _ = writeln!(
        md,
        "The domain of `{}`: {} model(s). Written by `esgen doc` from the spec; rebuild it when the spec changes.\n",
        spec.file_name,
        spec.models.len()
    );
    md.push_str(
        "## Glossary\n\n| term | type | constraints | meaning | model |\n|---|---|---|---|---|\n",
    );
    let mut seen: Vec<(String, String)> = Vec::new();
    for model in &spec.models {
        for term in &model.terms {
            let key = (term.name.clone(), term.ty.spec());
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let mut constraints: Vec<String> = term.checks.iter().map(|c| c.spec()).collect();
            if let Some(default) = &term.default {
                constraints.push(format!("default {}", default.spec()));
            }
            let meaning = if term.docs.is_empty() {
                match &term.origin {
                    Origin::Convention(why) => format!("({why})"),
                    Origin::Fallback => "(no type declared: text)".into(),
                    Origin::Declared => String::new(),
                }
            } else {
                term.docs.join(" ")
            };
            let ty = match &term.ty {
                crate::model::ir::Type::Choice(rust) => {
                    model.choices.iter().find(|c| c.rust == *rust).map_or_else(
                        || term.ty.spec(),
                        |c| {
                            let values: Vec<&str> =
                                c.values.iter().map(|(v, _)| v.as_str()).collect();
                            format!("one of [{}]", values.join(" "))
                        },
                    )
                }
                other => other.spec(),
            };
            let _ = writeln!(
                md,
                "| `{}` | {} | {} | {} | {} |",
                term.name,
                cell(&ty),
                cell(&constraints.join(", ")),
                cell(&meaning),
                model.name
            );
        }
    }
    for model in &spec.models {
        md.push('\n');
        model_section(&mut md, model, stem);
        if !model.commands.is_empty() {
            files.push(DocFile {
                name: svg_name(stem, model),
                text: diagram::svg(model),
            });
        }
    }
    files.insert(
        0,
        DocFile {
            name: format!("{stem}.md"),
            text: md,
        },
    );
    files
}

fn svg_name(stem: &str, model: &Model) -> String {
    format!("{stem}.{}.svg", crate::model::names::unraw(&model.module))
}

/// A table cell: no pipes, no line breaks.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn model_section(md: &mut String, model: &Model, stem: &str) {
    let _ = writeln!(md, "## {}\n", model.name);
    if !model.docs.is_empty() {
        let _ = writeln!(md, "{}\n", model.docs.join(" "));
    }
    if !model.commands.is_empty() {
        let _ = writeln!(
            md,
            "![The event model of {}]({})\n\n```mermaid\n{}```\n",
            model.name,
            svg_name(stem, model),
            diagram::mermaid(model)
        );
    }
    for choice in model.choices.iter().filter(|c| !c.moves.is_empty()) {
        let _ = writeln!(
            md,
            "### The life of `{}`\n\n```mermaid\n{}```\n",
            choice.term,
            diagram::lifecycle(choice)
        );
    }
    if !model.own.is_empty() {
        let fields: Vec<String> = model
            .own
            .iter()
            .map(|o| format!("`{}` ({})", o.field.term, o.field.ty.spec()))
            .collect();
        let _ = writeln!(
            md,
            "### What one stream holds\n\n{}: its own record (`State:`), one per stream.\n",
            fields.join(", ")
        );
    }
    if model.stored_as != model.name || model.wire.locked().is_some() {
        let mut said = Vec::new();
        if model.stored_as != model.name {
            said.push(format!("stored as `{}`", model.stored_as));
        }
        if let Some(tags) = model.wire.locked() {
            said.push(format!("tagged `{tags}`"));
        }
        let _ = writeln!(md, "Its events are {}.\n", said.join(", "));
    }
    if !model.services.is_empty() {
        md.push_str("### Services it asks\n\n");
        for service in &model.services {
            let queries: Vec<String> = service
                .queries
                .iter()
                .map(|q| {
                    format!(
                        "`{} {}` → {}",
                        q.name,
                        crate::model::names::bracket(q.params.iter().map(|p| p.term.as_str())),
                        q.returns.spec()
                    )
                })
                .collect();
            let _ = writeln!(
                md,
                "- **{}**, outside the spec: {}",
                service.name,
                queries.join(", ")
            );
        }
        md.push('\n');
    }
    if !model.entities.is_empty() {
        md.push_str("### Entities\n\n");
        for entity in &model.entities {
            let fields: Vec<String> = entity
                .fields
                .iter()
                .map(|f| format!("`{}` ({})", f.term, f.ty.spec()))
                .collect();
            let _ = writeln!(md, "- **{}**: {}", entity.name, fields.join(", "));
            if !entity.docs.is_empty() {
                let _ = writeln!(md, "  {}", entity.docs.join(" "));
            }
        }
        md.push('\n');
    }
    if !model.commands.is_empty() {
        md.push_str("### Actions\n\n");
        for command in &model.commands {
            let event = model.event_of(command);
            let _ = writeln!(md, "- **{}** → `{}`", command.name, event.tag());
            if !command.docs.is_empty() {
                let _ = writeln!(md, "  {}", command.docs.join(" "));
            }
            let _ = writeln!(md, "  - `{}`", command.spec_line);
            for guard in &command.guards {
                let _ = writeln!(
                    md,
                    "  - rule `{}` ({}): {}",
                    guard.rule,
                    guard.kind.word(),
                    cell(&guard.spec_line)
                );
            }
            if !event.effect_lines.is_empty() {
                let _ = writeln!(md, "  - then: {}", event.effect_lines.join("; "));
            }
        }
        md.push('\n');
    }
    if !model.queries.is_empty() {
        md.push_str("### Queries\n\n");
        for query in &model.queries {
            let how = match (&query.definition, &query.derived) {
                (Some(definition), _) => format!("`= {definition}`"),
                (None, Some(_)) => "by convention".to_string(),
                (None, None) => "written by hand".to_string(),
            };
            let _ = writeln!(
                md,
                "- `{}` → {} ({how})",
                query.spec_line,
                query.returns.spec()
            );
            if !query.docs.is_empty() {
                let _ = writeln!(md, "  {}", query.docs.join(" "));
            }
        }
        md.push('\n');
    }
    if !model.scenarios.is_empty() {
        md.push_str("### Scenarios\n\n");
        for scenario in &model.scenarios {
            let _ = writeln!(md, "- **{}**\n\n  ```", scenario.title);
            for line in scenario.text.lines().skip(1) {
                let _ = writeln!(md, "  {}", line.trim());
            }
            md.push_str("  ```\n");
        }
        md.push('\n');
    }
}
