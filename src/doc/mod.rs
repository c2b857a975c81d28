//! `esgen doc`: a spec as a document for the people who share it — a
//! Markdown page with how its models work together (`context.rs`), the
//! glossary and, per model, its entities, actions with their rules and
//! events, queries, scenarios (long runs folded, `scenarios.rs`), what
//! older stored events read as (`history.rs`) and an event-model diagram
//! (Mermaid inline, and an SVG esgen draws, `diagram.rs`), and each
//! lifecycle a choice declares as a state diagram (the same two ways,
//! `lifecycle.rs`). Types are written in words (`words.rs`), never as the
//! Rust types they become.

pub mod context;
pub mod diagram;
pub mod history;
pub mod lifecycle;
pub mod scenarios;
pub mod words;

use crate::model::ir::{Choice, Derived, Model, Origin, Spec, Term, Type};
use std::fmt::Write as _;
use words::Words;

/// A file of the documentation: its name and text.
pub struct DocFile {
    /// Relative to the output directory.
    pub name: String,
    /// Its contents.
    pub text: String,
}

/// The documentation of a checked spec: `<stem>.md`, one
/// `<stem>.<model>.svg` per model with actions and one
/// `<stem>.<model>.<term>.svg` per lifecycle (a choice's `moves`).
pub fn document(spec: &Spec, stem: &str) -> Vec<DocFile> {
    let mut files = Vec::new();
    let mut md = String::new();
    let _ = writeln!(md, "# {}\n", spec.file_name);
    let _ = writeln!(
        md,
        "The domain of `{}`: {}. Written by `esgen doc` from the spec; rebuild it when the spec changes.\n",
        spec.file_name,
        words::count(spec.models.len(), "model", "models")
    );
    context::section(&mut md, spec);
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
            let words = Words::new(spec, model);
            // A constraint with its own message shows it: what a refused
            // command is told.
            let mut constraints: Vec<String> = term
                .checks
                .iter()
                .map(|c| match term.said.iter().find(|(id, _)| id == c.id()) {
                    Some((_, said)) => format!("{} (\"{said}\")", c.spec()),
                    None => c.spec(),
                })
                .collect();
            if let Some(default) = &term.default {
                constraints.push(format!("default {}", default.spec()));
            }
            let meaning = if term.docs.is_empty() {
                meaning(&words, term)
            } else {
                term.docs.join(" ")
            };
            let ty = words.phrase(&term.ty);
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
        model_section(&mut md, spec, model, stem);
        if !model.commands.is_empty() {
            files.push(DocFile {
                name: svg_name(stem, model),
                text: diagram::svg(spec, model),
            });
        }
        for choice in model.choices.iter().filter(|c| !c.moves.is_empty()) {
            files.push(DocFile {
                name: lifecycle_svg_name(stem, model, choice),
                text: lifecycle::svg(model, choice),
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

fn lifecycle_svg_name(stem: &str, model: &Model, choice: &Choice) -> String {
    format!(
        "{stem}.{}.{}.svg",
        crate::model::names::unraw(&model.module),
        choice.term
    )
}

/// What a term undocumented in the spec means, from how it is named:
/// what an id identifies, what `new-` and `old-` are the value of; empty
/// when its name says no more than its type.
fn meaning(words: &Words, term: &Term) -> String {
    if let Type::Id(of) = &term.ty {
        return format!("identifies {}", words::article(&words.identity(of)));
    }
    let Origin::Convention(why) = &term.origin else {
        return String::new();
    };
    if let Some(base) = why
        .strip_prefix("has the type of `")
        .and_then(|b| b.strip_suffix('`'))
    {
        let which = if term.name.starts_with("new-") {
            "new"
        } else {
            "old"
        };
        return format!("the {which} `{base}`");
    }
    if let Some(one) = why
        .strip_prefix("plural of `")
        .and_then(|b| b.strip_suffix('`'))
    {
        return format!("several `{one}`");
    }
    String::new()
}

/// A table cell: no pipes, no line breaks.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn model_section(md: &mut String, spec: &Spec, model: &Model, stem: &str) {
    let words = Words::new(spec, model);
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
            diagram::mermaid(spec, model)
        );
    }
    for choice in model.choices.iter().filter(|c| !c.moves.is_empty()) {
        let _ = writeln!(
            md,
            "### The life of `{}`\n\n![The life of {}]({})\n\n```mermaid\n{}```\n",
            choice.term,
            choice.term,
            lifecycle_svg_name(stem, model, choice),
            lifecycle::mermaid(choice)
        );
    }
    if !model.own.is_empty() {
        let fields = fields(&words, model.own.iter().map(|o| &o.field));
        let _ = writeln!(
            md,
            "### What it keeps\n\nEach {} keeps a record of its own: {}.\n",
            model.name, fields
        );
    }
    if !model.services.is_empty() {
        md.push_str("### Services it asks\n\n");
        for service in &model.services {
            let queries: Vec<String> = service
                .queries
                .iter()
                .map(|q| {
                    format!(
                        "`{} {}`, answered with {}",
                        q.name,
                        crate::model::names::bracket(q.params.iter().map(|p| p.term.as_str())),
                        words.phrase(&q.returns)
                    )
                })
                .collect();
            let _ = writeln!(
                md,
                "- **{}**, outside the spec: {}",
                service.name,
                queries.join("; ")
            );
        }
        md.push('\n');
    }
    if !model.entities.is_empty() {
        md.push_str("### Entities\n\n");
        for entity in &model.entities {
            let _ = writeln!(
                md,
                "- **{}**: {}",
                entity.name,
                fields(&words, entity.fields.iter())
            );
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
            let _ = writeln!(md, "- **{}** → `{}`", command.name, event.name);
            if !command.docs.is_empty() {
                let _ = writeln!(md, "  {}", command.docs.join(" "));
            }
            let terms = |fields: &[crate::model::ir::Field]| -> String {
                let named: Vec<String> = fields.iter().map(|f| format!("`{}`", f.term)).collect();
                words::and_list(&named)
            };
            if !command.params.is_empty() {
                let _ = writeln!(md, "  - takes {}", terms(&command.params));
            }
            if event.fields.is_empty() {
                let _ = writeln!(md, "  - records `{}`", event.name);
            } else {
                let _ = writeln!(
                    md,
                    "  - records `{}` with {}",
                    event.name,
                    terms(&event.fields)
                );
            }
            // Fields the spec computes (`attempts = … + 1`, `failed-on =
            // today`), beside those the command gives.
            for from in command.proposing.iter().flatten() {
                let given = from.spec.starts_with("the command's ")
                    || from.spec.starts_with("default ")
                    || from.spec.starts_with("nothing ");
                if !given {
                    let _ = writeln!(md, "  - `{}` = {}", from.term, cell(&from.spec));
                }
            }
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
                (Some(definition), _) => format!(" (`= {definition}`)"),
                (None, Some(derived)) => format!(" ({})", by_name(&words, model, derived)),
                (None, None) => " (worked out outside the spec)".to_string(),
            };
            let _ = writeln!(md, "- `{}` → {}{how}", query.spec_line, words.answer(query));
            if !query.docs.is_empty() {
                let _ = writeln!(md, "  {}", query.docs.join(" "));
            }
        }
        md.push('\n');
    }
    policies(md, spec, model);
    scenarios::section(md, &model.scenarios, &model.reactions);
    history::section(md, model);
}

/// What happens next when the model's events are recorded: its policies,
/// in words.
fn policies(md: &mut String, spec: &Spec, model: &Model) {
    if model.policies.is_empty() {
        return;
    }
    md.push_str(
        "### What happens next

",
    );
    for policy in &model.policies {
        let event = &model.events[policy.event];
        let then = match (&policy.then, policy.asks(spec)) {
            (crate::model::ir::Then::Ask { fields, .. }, Some((target, command))) => {
                let action = &command.name;
                let whom = if target.name == model.name {
                    "the model".to_string()
                } else {
                    format!("**{}**", target.name)
                };
                let given: Vec<String> = fields
                    .iter()
                    .filter(|f| f.spec != f.term)
                    .map(|f| format!("`{}` = `{}`", f.term, cell(&f.spec)))
                    .collect();
                let rest = if given.is_empty() {
                    String::new()
                } else {
                    format!(", with {}", words::and_list(&given))
                };
                format!("{whom} is asked to **{action}**{rest}")
            }
            (crate::model::ir::Then::Notify { function, .. }, _) => {
                format!("the app's `{function}` is told")
            }
            (crate::model::ir::Then::Ask { .. }, None) => continue,
        };
        let only = policy
            .lines
            .iter()
            .find_map(|l| l.strip_prefix("only if "))
            .map_or(String::new(), |c| format!(", only if {}", cell(c)));
        let _ = writeln!(md, "- when `{}` is recorded, {then}{only}", event.name);
        if !policy.docs.is_empty() {
            let _ = writeln!(md, "  {}", policy.docs.join(" "));
        }
        if policy.strong {
            md.push_str(
                "  - at once: the command that recorded it answers only after this
",
            );
        }
        if policy.from_now {
            md.push_str(
                "  - for the events recorded since it first ran, not those before
",
            );
        }
    }
    md.push('\n');
}

/// Fields in words: "`patient-id` (a Patient id), `name` (text)".
fn fields<'a>(words: &Words, fields: impl Iterator<Item = &'a crate::model::ir::Field>) -> String {
    fields
        .map(|f| format!("`{}` ({})", f.term, words.phrase(&f.ty)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a query its name defines answers, in words.
fn by_name(words: &Words, model: &Model, derived: &Derived) -> String {
    let entity = |store: usize| {
        let rust = &model.store_entity(store).rust;
        (words.entity(rust, false), words.entity(rust, true))
    };
    match derived {
        Derived::Has { store, .. } => {
            format!(
                "whether there is such {}",
                words::article(&entity(*store).0)
            )
        }
        Derived::Get { store, .. } => {
            format!("the {}, if there is one", entity(*store).0)
        }
        Derived::Select { store, .. } => format!("the {}, oldest first", entity(*store).1),
        Derived::Count { store, .. } => format!("how many {}", entity(*store).1),
        Derived::History { store, .. } => format!(
            "what happened to the {}: its events, in the order they happened",
            entity(*store).0
        ),
        Derived::Field { .. } | Derived::Sum { .. } | Derived::Per { .. } => {
            "by its name".to_string()
        }
    }
}
