//! History queries (`= history of <Entity> [key]`): the events that
//! concern one entity. They read the event log, not the state, so they are
//! not methods of the queries trait: each is a function over events (which
//! scenarios call with theirs), a method of the event enum says which
//! entity an event concerns, and the runtime reads the stored events.

use crate::codegen::rust::{signature_with, MAX_WIDTH};
use crate::model::ir::{self, Derived, Model, Type};
use crate::model::names;

/// A history query of the model, with what it reads.
struct History<'m> {
    query: &'m ir::Query,
    store: usize,
    /// The parameter the key is (its Rust name).
    key: &'m str,
    field: &'m str,
    events: &'m [usize],
}

fn histories(model: &Model) -> Vec<History<'_>> {
    model
        .queries
        .iter()
        .filter_map(|query| match &query.derived {
            Some(Derived::History {
                store,
                key: ir::Expr::Input { rust, .. },
                field,
                events,
            }) => Some(History {
                query,
                store: *store,
                key: rust,
                field,
                events,
            }),
            _ => None,
        })
        .collect()
}

/// `about_parcel`: the event enum's method naming the entity of `store`
/// an event concerns.
fn about(model: &Model, store: usize) -> String {
    let entity = &model.store_entity(store).name;
    let snake = names::snake(&names::kebab(entity)).unwrap_or_else(|_| "entity".into());
    format!("about_{}", names::unraw(&snake))
}

/// `impl <Model>Event { … }`: for each entity a history query reads, the
/// method saying which one an event concerns.
pub(super) fn event_methods(model: &Model) -> Option<String> {
    let all = histories(model);
    let mut stores: Vec<usize> = all.iter().map(|h| h.store).collect();
    stores.sort_unstable();
    stores.dedup();
    if stores.is_empty() {
        return None;
    }
    let event_enum = format!("{}Event", model.rust);
    let mut methods = Vec::new();
    for store in stores {
        let Some(history) = all.iter().find(|h| h.store == store) else {
            continue;
        };
        let entity = model.store_entity(store);
        let Some(key) = entity.fields.first() else {
            continue;
        };
        let param = key.ty.rust_param();
        let field = history.field;
        let value = if key.ty.is_copy() {
            format!("event.{field}")
        } else if param == "&str" {
            format!("event.{field}.as_str()")
        } else {
            format!("&event.{field}")
        };
        let mut arms = Vec::new();
        for (index, event) in model.events.iter().enumerate() {
            if !history.events.contains(&index) {
                continue;
            }
            let arm = format!("            Self::{}(event) => Some({value}),", event.rust);
            if crate::codegen::rust::width(&arm) <= MAX_WIDTH {
                arms.push(arm);
            } else {
                arms.push(format!(
                    "            Self::{}(event) => {{\n                Some({value})\n            }}",
                    event.rust
                ));
            }
        }
        if history.events.len() < model.events.len() {
            arms.push("            _ => None,".to_string());
        }
        methods.push(format!(
            "    /// The `{name}` the event concerns, by its `{term}`; `None` for an\n    /// event that carries no `{term}`.\n    #[must_use]\n    pub fn {method}(&self) -> Option<{param}> {{\n        match self {{\n{arms}\n        }}\n    }}",
            name = entity.name,
            term = key.term,
            method = about(model, store),
            arms = arms.join("\n"),
        ));
    }
    Some(format!(
        "impl {event_enum} {{\n{}\n}}",
        methods.join("\n\n")
    ))
}

/// The free function answering each history query over events given to
/// it: the scenarios' events, or the stored ones the runtime reads.
pub(super) fn functions(model: &Model) -> Vec<String> {
    let event_enum = format!("{}Event", model.rust);
    histories(model)
        .into_iter()
        .map(|history| {
            let entity = model.store_entity(history.store);
            let mut params = vec![format!("events: impl IntoIterator<Item = &'e {event_enum}>")];
            for p in &history.query.params {
                let name = if p.rust == history.key {
                    p.rust.clone()
                } else {
                    format!("_{}", names::unraw(&p.rust))
                };
                params.push(format!("{name}: {}", p.ty.rust_param()));
            }
            let signature = signature_with(
                0,
                "pub fn",
                &format!("{}<'e>", history.query.method),
                &params,
                Some(&format!("Vec<{event_enum}>")),
                " {",
            );
            format!(
                "/// The query `{line}`: the events that concern one `{entity}`, in\n/// the order given (a scenario's, or those the runtime reads from the\n/// store).\n#[must_use]\n{signature}\n    events\n        .into_iter()\n        .filter(|event| event.{about}() == Some({key}))\n        .cloned()\n        .collect()\n}}",
                line = crate::codegen::rust::inert(&history.query.spec_line),
                entity = entity.name,
                key = history.key,
                about = about(model, history.store),
            )
        })
        .collect()
}

/// The runtime's reader of each history query: the model's stored events,
/// in the order they were stored, that concern the entity.
pub(super) fn runtime_functions(model: &Model, prefix: &str) -> Vec<String> {
    let module = format!("crate::generated::{}", model.module);
    let event_enum = format!("{module}::{}Event", model.rust);
    histories(model)
        .into_iter()
        .map(|history| {
            let entity = model.store_entity(history.store);
            let params: Vec<String> = std::iter::once("pool: &Pool".to_string())
                .chain(history.query.params.iter().map(|p| {
                    let ty = p.ty.rust_param();
                    let ty = match &p.ty {
                        Type::Id(_) => ty.replacen('&', "&crate::generated::", 1),
                        Type::Choice(_) => format!("{module}::{ty}"),
                        _ => ty,
                    };
                    format!("{}: {ty}", p.rust)
                }))
                .collect();
            let signature = signature_with(
                4,
                "pub async fn",
                &format!("{prefix}_{}", names::unraw(&history.query.method)),
                &params,
                Some(&format!("Result<Vec<{event_enum}>, sqlx::Error>")),
                " {",
            );
            let args: Vec<String> = std::iter::once("&stored".to_string())
                .chain(history.query.params.iter().map(|p| p.rust.clone()))
                .collect();
            // Bound first: inside `Ok(…)`, a call this long would be laid
            // out over lines.
            let call = crate::codegen::rust::call(
                8,
                &format!("let history = {module}::{}", history.query.method),
                &args,
                ";",
            );
            format!(
                "    /// The query `{line}` of `{name}`, answered from the stored\n    /// events: those that concern the `{entity}`, in the order they were\n    /// stored.\n    ///\n    /// # Errors\n    ///\n    /// When the database cannot be read, or a stored event cannot be read\n    /// back as one of the model's.\n{signature}\n        let rows: Vec<(JsonValue,)> = sqlx::query_as(\n            \"SELECT payload FROM events WHERE aggregate_type = $1 ORDER BY position\",\n        )\n        .bind({module}::STORED_AS)\n        .fetch_all(pool)\n        .await?;\n        let stored = rows\n            .into_iter()\n            .map(|(payload,)| serde::Deserialize::deserialize(payload))\n            .collect::<Result<Vec<{event_enum}>, _>>()\n            .map_err(|error| sqlx::Error::Decode(Box::new(error)))?;\n{call}\n        Ok(history)\n    }}",
                line = crate::codegen::rust::inert(&history.query.spec_line),
                name = model.name,
                entity = entity.name,
            )
        })
        .collect()
}
