//! How the runtime reads another model that a model's rules ask: from
//! the one stream that holds the answer, or from its materialized tables.

use crate::codegen::rust::inert;

/// Another model a model's rules ask, in its runtime.
pub struct AskView {
    /// As written.
    pub name: String,
    /// Its module.
    pub module: String,
    /// Its aggregate's type name, also the type parameter standing for it.
    pub rust: String,
    /// Its function prefix (`patients`).
    pub prefix: String,
    /// The services' method (`patients`).
    pub method: String,
    /// Its definition's signature in `<Model>Stored`, laid out.
    pub signature: String,
    /// The bounds of its type parameter.
    pub bound: String,
    /// The match arms naming, per command that asks, the stream to read
    /// (`VisitsCommand::Book(command) => format!("patient/{}", …)`); empty
    /// when the model is read from its materialized tables.
    pub stream_arms: Vec<String>,
    /// The commands that ask it, as a pattern (`VisitsCommand::Book(_)`),
    /// when it is read from its materialized tables.
    pub view_pattern: String,
    /// Every command of the model asks it: no command falls through to a
    /// model left empty.
    pub every_command_asks: bool,
}

/// How the runtime reads `other`, which `model`'s rules ask (the
/// `index`th): per command that asks it, the one stream that holds what
/// is asked, when every query asked is about the entity under a key the
/// command carries and `other` is one stream per entity, or its only
/// stream when it is whole; else its materialized tables.
pub(super) fn ask_view(
    model: &crate::model::ir::Model,
    index: usize,
    other: &crate::model::ir::Model,
) -> AskView {
    use crate::model::ir::{Derived, Expr, Streams};
    let asking: Vec<&crate::model::ir::Command> = model
        .commands
        .iter()
        .filter(|c| model.asks_of(c).contains(&index))
        .collect();
    // Per asking command: the stream, if one holds every answer.
    let streams: Vec<Option<String>> = asking
        .iter()
        .map(|command| {
            let mut calls = Vec::new();
            command.visit(&mut |e| {
                if let Expr::Asked {
                    ask, method, args, ..
                } = e
                {
                    if *ask == index {
                        calls.push((method.clone(), args.clone()));
                    }
                }
            });
            match &other.streams {
                Streams::Whole { .. } => Some(format!(
                    "String::from({})",
                    crate::codegen::behaviour::string(&other.name)
                )),
                Streams::PerEntity { .. } => {
                    let split = other.split_stores();
                    let mut keys = calls.iter().map(|(method, args)| {
                        let query = other.queries.iter().find(|q| q.method == *method)?;
                        let store = match query.derived.as_ref()? {
                            Derived::Has { store, .. }
                            | Derived::Get { store, .. }
                            | Derived::Field { store, .. } => *store,
                            _ => return None,
                        };
                        match args.as_slice() {
                            [Expr::Input { rust, .. }] if split.contains(&store) => {
                                Some((store, rust.clone()))
                            }
                            _ => None,
                        }
                    });
                    let first = keys.next()??;
                    if keys.all(|k| k.as_ref() == Some(&first)) {
                        Some(format!(
                            "format!(\"{}/{{}}\", command.{})",
                            other.stream_prefix(first.0),
                            first.1
                        ))
                    } else {
                        None
                    }
                }
            }
        })
        .collect();
    let by_stream = streams.iter().all(Option::is_some);
    let pattern = |command: &crate::model::ir::Command, binding: &str| {
        format!("{}Command::{}({binding})", model.rust, command.rust)
    };
    let stream_arms = if by_stream {
        asking
            .iter()
            .zip(&streams)
            .map(|(command, stream)| {
                crate::codegen::rust::arm(
                    16,
                    &pattern(command, "command"),
                    stream.as_deref().unwrap_or_default(),
                )
                .replace("(command) => String::from", "(_) => String::from")
            })
            .collect()
    } else {
        Vec::new()
    };
    let state = format!("{}State", other.rust);
    let bound = if by_stream {
        format!("{}Aggregate + Send + Sync", other.rust)
    } else {
        format!(
            "{}Aggregate + AsMut<crate::generated::{}::{state}> + Send + Sync",
            other.rust, other.module
        )
    };
    AskView {
        name: inert(&other.name),
        module: other.module.clone(),
        rust: other.rust.clone(),
        prefix: crate::model::names::unraw(&other.module).to_string(),
        method: model.asks[index].param.clone(),
        signature: crate::codegen::rust::signature_with(
            8,
            "async fn",
            &model.asks[index].param,
            &[
                "&self".to_string(),
                format!("command: &{}Command", model.rust),
            ],
            Some(&format!("Result<{}, Rejection>", other.rust)),
            " {",
        ),
        bound,
        stream_arms,
        view_pattern: asking
            .iter()
            .map(|c| pattern(c, "_"))
            .collect::<Vec<_>>()
            .join(" | "),
        every_command_asks: asking.len() == model.commands.len(),
    }
}
