//! One model: what its generated file and its skeleton show.

use super::derives::{
    command_derives, derives, events_macro, record, stored_derives, tagged_events, COMMAND_SERDE,
};
use super::items::{choice_view, field_view, variant, CommandView, StructView, VariantView};
use super::methods::{
    asks_params, call_args, derived_inputs, param, proposal_params, provided, query_method,
    MethodView,
};
use super::services;
use crate::codegen::rust::{
    arm, blanket_impl, docs, execute_arm, inert, map_arm, signature, str_const, trait_header,
};
use crate::model::ir::{self, Field, Model, Type};

/// One model.
pub struct ModelView {
    /// The aggregate's type name, the prefix of the traits and enums.
    pub rust: String,
    /// The model's name as written.
    pub name: String,
    /// The name its events are stored under (`stored as`, else its name).
    pub stored_as: String,
    /// The module name.
    pub module: String,
    /// The module's file stem.
    pub file_stem: String,
    /// Module docs.
    pub docs: Vec<String>,
    /// `Rejection` and the identity types it uses.
    pub imports: Vec<String>,
    /// Entities.
    pub entities: Vec<StructView>,
    /// Commands.
    pub commands: Vec<CommandView>,
    /// Events.
    pub events: Vec<StructView>,
    /// Command enum variants.
    pub command_variants: Vec<VariantView>,
    /// Event enum variants.
    pub event_variants: Vec<VariantView>,
    /// Derives of the command enum.
    pub command_derives: &'static str,
    /// The attribute that gives the command enum serde's derives.
    pub command_serde: &'static str,
    /// Derives of the event enum.
    pub event_derives: String,
    /// The `events!` that gives the event enum serde's traits, when not
    /// derived.
    pub events_macro: Option<String>,
    /// Whether something derives serde's traits by their imported names.
    pub serde_import: bool,
    /// How stored versions of its events are read, when there are any
    /// (`codegen::evolution`).
    pub decoding: Option<String>,
    /// The spec retires stored events: the event enum reads them as
    /// `Retired`.
    pub retired: bool,
    /// Query methods.
    pub queries: Vec<MethodView>,
    /// Proposing methods, one per action.
    pub proposals: Vec<MethodView>,
    /// Accepting methods, one per event.
    pub acceptances: Vec<MethodView>,
    /// The arms of `propose`.
    pub propose_arms: Vec<String>,
    /// `execute`'s arms, one per command: propose, accept, return.
    pub execute_arms: Vec<String>,
    /// The arms of `accept`.
    pub accept_arms: Vec<String>,
    /// The arms of the command enum's `action`.
    pub action_arms: Vec<String>,
    /// The arms of the event enum's `name`.
    pub name_arms: Vec<String>,
    /// `pub trait …Aggregate: … {`
    pub aggregate_header: String,
    /// The blanket implementation of the aggregate trait.
    pub aggregate_impl: String,
    /// Signatures of the provided methods.
    pub propose_signature: String,
    /// `fn accept(…) {`
    pub accept_signature: String,
    /// `fn execute(…) -> … {`
    pub execute_signature: String,
    /// Choice enums, rendered.
    pub choices: Vec<String>,
    /// The state struct, rendered, when the model keeps one.
    pub state: Option<String>,
    /// `TodosState`.
    pub state_name: String,
    /// Whether tags are in PascalCase (`Tags: PascalCase`).
    pub pascal: bool,
    /// What its state holds, in a sentence, for the skeleton's doc.
    pub holds: &'static str,
    /// Whether its rules ask services outside the spec: `propose` and
    /// `execute` are then `async`.
    pub served: bool,
    /// Each service's trait, rendered.
    pub service_traits: Vec<String>,
    /// The wrapper whose `async fn`s are the bodies of the proposing
    /// methods that ask services, rendered.
    pub asking: Option<String>,
    /// Supertraits of the queries, proposing and accepting traits.
    pub queries_header: String,
    /// `pub trait …Propose…`
    pub propose_header: String,
    /// `pub trait …Accept…`
    pub accept_header: String,
    /// `use` lines after the serde import.
    pub uses: Vec<String>,
    /// The queries answered from the events: the event enum's methods
    /// naming the entity an event concerns, then a function per query.
    pub histories: Vec<String>,
    /// Whether a query answers a map (a grouped query): `BTreeMap` is
    /// re-exported.
    pub maps: bool,
    /// `use super::<module>::<Model>Queries;` for each model the rules
    /// ask, sorted (before the `pub use super::{…}` line, as rustfmt puts
    /// them).
    pub ask_uses: Vec<String>,
    /// Whether every piece is generated.
    pub fully_declared: bool,
    /// The queries the user writes (not generated).
    pub hand_queries: Vec<MethodView>,
    /// The proposing methods the user writes.
    pub hand_proposals: Vec<MethodView>,
    /// The accepting methods the user writes.
    pub hand_acceptances: Vec<MethodView>,
    /// The decision of each policy of its events that asks an action,
    /// rendered.
    pub policies: Vec<String>,
}

/// The bracket list of fields' terms.
fn bracket(fields: &[Field]) -> String {
    crate::model::names::bracket(fields.iter().map(|f| f.term.as_str()))
}

impl ModelView {
    pub fn new(model: &Model) -> Self {
        let rust = model.rust.clone();
        let mut imports = vec!["Rejection".to_string()];
        let leaves = leaf_types(model);
        let mut ids: Vec<String> = leaves
            .iter()
            .filter_map(|ty| match ty {
                Type::Id(of) => Some(format!("{of}Id")),
                _ => None,
            })
            .collect();
        ids.sort();
        ids.dedup();
        imports.extend(ids);
        imports.push("RejectionKind".to_string());
        if model.reads_clock() {
            imports.push("Clock".to_string());
        }
        let served = !model.services.is_empty();
        if served {
            imports.push("ServiceError".to_string());
        }
        imports.sort();

        let behaviour = crate::codegen::behaviour::Behaviour::new(model);
        let entities: Vec<StructView> = model
            .entities
            .iter()
            .map(|entity| {
                let mut extra = vec![format!(
                    "An entity of the `{}` model: `{} {}`, identified by its `{}`.",
                    model.name,
                    entity.name,
                    bracket(&entity.fields),
                    entity.fields.first().map_or("", |f| f.term.as_str())
                )];
                if let Some(why) = &entity.inferred {
                    extra.push(String::new());
                    extra.push(format!("Inferred, as the spec declares no entity: {why}."));
                }
                StructView {
                    docs: docs(&entity.docs, &extra),
                    derives: stored_derives(entity.eq, &entity.fields),
                    serde: None,
                    record: record(&entity.rust, &entity.fields),
                    name: entity.rust.clone(),
                    event_const: String::new(),
                    fields: entity.fields.iter().map(field_view).collect(),
                }
            })
            .collect();

        let commands: Vec<CommandView> = model
            .commands
            .iter()
            .map(|command| CommandView {
                strukt: StructView {
                    docs: docs(
                        &command.docs,
                        &[format!(
                            "The command of the action `{}`.",
                            command.spec_line
                        )],
                    ),
                    derives: command_derives(command.eq),
                    serde: Some(COMMAND_SERDE),
                    record: None,
                    name: command.rust.clone(),
                    event_const: String::new(),
                    fields: command.params.iter().map(field_view).collect(),
                },
                action_const: str_const("ACTION", &command.name),
                validate: validates(command).then(|| behaviour.validate(command)),
            })
            .collect();

        let events: Vec<StructView> = model
            .events
            .iter()
            .map(|event| {
                let by: Vec<String> = event.commands.iter().map(|c| format!("`{c}`")).collect();
                StructView {
                    docs: docs(
                        &[],
                        &[format!(
                            "The event `{} {}`, recorded when {} is accepted.",
                            event.name,
                            bracket(&event.fields),
                            by.join(" or ")
                        )],
                    ),
                    derives: stored_derives(event.eq, &event.fields),
                    serde: None,
                    record: record(&event.rust, &event.fields),
                    name: event.rust.clone(),
                    event_const: str_const("EVENT", &event.name),
                    fields: event.fields.iter().map(field_view).collect(),
                }
            })
            .collect();

        let command_variants = model
            .commands
            .iter()
            .map(|c| {
                variant(
                    inert(&format!("`{}`", c.spec_line)),
                    &model.wire.name(&c.name),
                    &c.rust,
                    &format!("{}Command", model.rust),
                )
            })
            .collect();
        let tagged = tagged_events(model);
        let event_variants: Vec<VariantView> = model
            .events
            .iter()
            .map(|e| {
                let mut variant = variant(
                    inert(&format!("`{} {}`", e.tag(), bracket(&e.fields))),
                    &e.tag(),
                    &e.rust,
                    &format!("{}Event", model.rust),
                );
                if tagged {
                    // `events!` names each variant's tag.
                    variant.rename.clear();
                }
                variant
            })
            .collect();

        let queries: Vec<MethodView> = model
            .queries
            .iter()
            .filter(|query| !query.is_history())
            .map(|query| {
                let mut view = query_method(query);
                if let Some(derived) = &query.derived {
                    // A parameter the definition does not read is named
                    // `_…` in the method that answers it.
                    let read = derived_inputs(derived);
                    let params: Vec<String> = std::iter::once("&self".to_string())
                        .chain(
                            query
                                .params
                                .iter()
                                .map(|f| param(f, !read.contains(&f.rust))),
                        )
                        .collect();
                    let returns = query.returns.rust();
                    let declaration = signature(4, &query.method, &params, Some(&returns), ";");
                    view.provided = Some(provided(&declaration, &behaviour.query(derived)));
                }
                view
            })
            .collect();
        // The clock's readings, for the rules: `self.today()`, `self.now()`.
        let mut queries = queries;
        if model.reads_clock() {
            for (method, returns, what, doc) in [
                (
                    "today",
                    "chrono::NaiveDate",
                    "today",
                    "Today's date, as the rules read `today`: from the clock the state holds.",
                ),
                (
                    "now",
                    "chrono::DateTime<chrono::Utc>",
                    "now",
                    "The moment, as the rules read `now`: from the clock the state holds.",
                ),
            ] {
                let declaration = signature(4, method, &["&self".to_string()], Some(returns), ";");
                queries.push(MethodView {
                    docs: vec![doc.to_string()],
                    spec_line: String::new(),
                    many_params: false,
                    definition: declaration.clone(),
                    provided: Some(provided(
                        &declaration,
                        &format!("        self.as_ref().clock.{what}()"),
                    )),
                    declaration,
                });
            }
        }
        let proposals: Vec<MethodView> = model
            .commands
            .iter()
            .map(|command| {
                let event = model.event_of(command);
                let returns = format!("Result<{}, Rejection>", event.rust);
                let extra = format!(
                    "Proposes `{}`: validates the command against the model and, if it is accepted, returns the `{}` event that records it.",
                    command.name, event.name
                );
                let asks_services = !model.services_of(command).is_empty();
                if asks_services {
                    return served_proposal(model, command, &returns, extra);
                }
                let errors = format!("A [`Rejection`] when the model refuses `{}`.", command.name);
                MethodView {
                    docs: docs(&command.docs, &[extra, String::new(), "# Errors".into(), String::new(), errors]),
                    spec_line: inert(&command.spec_line),
                    many_params: false,
                    declaration: signature(
                        4,
                        &command.method,
                        &proposal_params(model, command, "command", ""),
                        Some(&returns),
                        ";",
                    ),
                    definition: signature(
                        4,
                        &command.method,
                        &proposal_params(model, command, "_command", "_"),
                        Some(&returns),
                        " {",
                    ),
                    provided: command.proposing.as_ref().map(|_| {
                        let body = behaviour.proposing(command);
                        let name = if body.contains("command") { "command" } else { "_command" };
                        provided(
                            &signature(
                                4,
                                &command.method,
                                &proposal_params(model, command, name, ""),
                                Some(&returns),
                                ";",
                            ),
                            &body,
                        )
                    }),
                }
            })
            .collect();
        let acceptances: Vec<MethodView> = model
            .events
            .iter()
            .map(|event| MethodView {
                docs: docs(
                    &[],
                    &[format!(
                        "Accepts `{}`: applies the event to the model.",
                        event.name
                    )],
                ),
                spec_line: inert(&format!("{} {}", event.name, bracket(&event.fields))),
                many_params: false,
                declaration: signature(
                    4,
                    &event.method,
                    &["&mut self".into(), format!("event: &{}", event.rust)],
                    None,
                    ";",
                ),
                definition: signature(
                    4,
                    &event.method,
                    &["&mut self".into(), format!("_event: &{}", event.rust)],
                    None,
                    " {",
                ),
                provided: event.effects.as_ref().map(|effects| {
                    if effects.is_empty() {
                        return signature(
                            4,
                            &event.method,
                            &["&mut self".into(), format!("_event: &{}", event.rust)],
                            None,
                            " {}",
                        );
                    }
                    let body = behaviour.accepting(effects);
                    // Effects that only write values the spec gives read
                    // nothing of the event.
                    let name = if mentions(&body, "event") {
                        "event"
                    } else {
                        "_event"
                    };
                    provided(
                        &signature(
                            4,
                            &event.method,
                            &["&mut self".into(), format!("{name}: &{}", event.rust)],
                            None,
                            ";",
                        ),
                        &body,
                    )
                }),
            })
            .collect();

        let propose_arms = model
            .commands
            .iter()
            .map(|command| {
                let pattern = format!("{rust}Command::{}(command)", command.rust);
                let wrap = format!("{rust}Event::{}", model.event_of(command).rust);
                let call = format!("self.{}({})", command.method, call_args(model, command));
                if validates(command) {
                    let one = format!("{call}.map({wrap})");
                    let too_wide = crate::codegen::rust::width(&one) > crate::codegen::rust::CHAIN_WIDTH
                        || 16 + crate::codegen::rust::width(&one) > crate::codegen::rust::MAX_WIDTH;
                    let mapped = if too_wide {
                        format!("{call}\n                    .map({wrap})")
                    } else {
                        one
                    };
                    format!(
                        "            {pattern} => {{\n                command.validate()?;\n                {mapped}\n            }}"
                    )
                } else {
                    map_arm(12, &pattern, &call, &wrap)
                }
            })
            .collect();
        let execute_arms = model
            .commands
            .iter()
            .map(|command| {
                execute_arm(
                    12,
                    &format!("{rust}Command::{}(command)", command.rust),
                    &format!("{}({})", command.method, call_args(model, command)),
                    &model.event_of(command).method,
                    validates(command),
                )
            })
            .collect();
        let mut accept_arms: Vec<String> = model
            .events
            .iter()
            .map(|event| {
                arm(
                    12,
                    &format!("{rust}Event::{}(event)", event.rust),
                    &format!("self.{}(event)", event.method),
                )
            })
            .collect();
        if !model.retired.is_empty() {
            accept_arms.push(format!("            {rust}Event::Retired(_) => {{}}"));
        }

        let action_arms = model
            .commands
            .iter()
            .map(|c| {
                arm(
                    12,
                    &format!("Self::{}(_)", c.rust),
                    &format!("{}::ACTION", c.rust),
                )
            })
            .collect();
        let mut name_arms: Vec<String> = model
            .events
            .iter()
            .map(|e| {
                arm(
                    12,
                    &format!("Self::{}(_)", e.rust),
                    &format!("{}::EVENT", e.rust),
                )
            })
            .collect();
        if !model.retired.is_empty() {
            name_arms.push("            Self::Retired(name) => name,".to_string());
        }
        let mut halves = vec![
            format!("{rust}Propose"),
            format!("{rust}Accept"),
            "Default".to_string(),
        ];
        if served {
            // Its `execute` future holds the model across the services'
            // answers.
            halves.extend(["Send".to_string(), "Sync".to_string()]);
        }
        let result = format!("Result<{rust}Event, Rejection>");
        let command_param = format!("command: impl Into<{rust}Command>");
        // `propose` and `execute`: any command, every model and service the
        // rules ask; a future when a service is asked.
        let whole = |name: &str, receiver: &str| {
            let mut params = vec![receiver.to_string(), command_param.clone()];
            params.extend(asks_params(model));
            if served {
                params.push(services::services_param(model));
            }
            let returns = if served {
                services::future_of(&result)
            } else {
                result.clone()
            };
            signature(4, name, &params, Some(&returns), " {")
        };

        let state_name = format!("{rust}State");
        let mut keyed = Vec::new();
        let state = model.state.as_ref().map(|stores| {
            let mut fields = Vec::new();
            for own in &model.own {
                let view = super::items::field_view(&own.field);
                let mut lines = String::new();
                for doc in &view.docs {
                    if doc.is_empty() {
                        lines.push_str("    ///\n");
                    } else {
                        lines.push_str(&format!("    /// {doc}\n"));
                    }
                }
                lines.push_str(&format!("    pub {}: {},", view.name, view.ty));
                fields.push(lines);
            }
            if model.reads_clock() {
                fields.push(
                    "    /// The clock the rules read `today` and `now` from.\n    pub clock: super::Clock,"
                        .to_string(),
                );
            }
            for store in stores {
                let entity = &model.entities[store.entity];
                let key = &entity.fields[0];
                fields.push(format!(
                    "    /// Every `{}`, by its `{}`, in the order added.\n    pub {}: super::Store<{}, {}>,",
                    entity.name,
                    key.term,
                    store.field,
                    key.ty.rust(),
                    entity.rust
                ));
            }
            for store in stores {
                let entity = &model.entities[store.entity];
                let key = &entity.fields[0];
                keyed.push(format!(
                    "impl super::Keyed for {entity} {{\n    type Key = {ty};\n\n    fn key(&self) -> &{ty} {{\n        &self.{field}\n    }}\n}}",
                    entity = entity.rust,
                    ty = key.ty.rust(),
                    field = key.rust
                ));
            }
            let doc = if model.own.is_empty() {
                format!(
                    "/// The state of the `{}` model that its rules read and change: every\n/// entity it holds, by key, in the order added. The aggregate holds it\n/// and lends it out through `AsRef` and `AsMut`.",
                    model.name
                )
            } else {
                let held = if stores.is_empty() {
                    ""
                } else {
                    ", and every entity\n/// it holds, by key, in the order added"
                };
                format!(
                    "/// The state of the `{}` model that its rules read and change: the\n/// record one stream holds (`State:` in the spec){held}. The aggregate\n/// holds it and lends it out through `AsRef` and `AsMut`.",
                    model.name
                )
            };
            // The record starts from its terms' defaults: `Default` is
            // derived when they are Rust's own.
            let own_default = model
                .own
                .iter()
                .all(|o| super::super::behaviour::is_rust_default(&o.initial, &o.field.ty));
            let derives = if own_default {
                "Debug, Default, Clone, PartialEq"
            } else {
                "Debug, Clone, PartialEq"
            };
            let mut state = if fields.is_empty() {
                format!("{doc}\n#[derive({derives})]\npub struct {state_name} {{}}")
            } else {
                format!(
                    "{doc}\n#[derive({derives})]\npub struct {state_name} {{\n{}\n}}",
                    fields.join("\n")
                )
            };
            if !own_default {
                let mut values: Vec<(String, String)> = model
                    .own
                    .iter()
                    .map(|o| {
                        let value = match &o.initial {
                            ir::Literal::Text(t) if t.is_empty() => "String::new()".to_string(),
                            ir::Literal::List(items) if items.is_empty() => "Vec::new()".to_string(),
                            initial => super::super::behaviour::literal(initial, &o.field.ty),
                        };
                        (o.field.rust.clone(), value)
                    })
                    .collect();
                if model.reads_clock() {
                    values.push(("clock".to_string(), "super::Clock::default()".to_string()));
                }
                values.extend(
                    stores
                        .iter()
                        .map(|s| (s.field.clone(), "super::Store::default()".to_string())),
                );
                let body = super::super::rust::struct_lit(8, "", "Self", &values, "");
                state.push_str(&format!(
                    "\n\n/// The record before the stream's first event: each field's default in\n/// the spec.\nimpl Default for {state_name} {{\n    fn default() -> Self {{\n{body}\n    }}\n}}"
                ));
            }
            // Each stored entity says which of its fields is its key.
            keyed.insert(0, state);
            keyed.join("\n\n")
        });
        let (queries_header, propose_header, accept_header) = if model.state.is_some() {
            (
                trait_header(
                    &format!("pub trait {rust}Queries"),
                    &[format!("AsRef<{state_name}>")],
                ),
                trait_header(
                    &format!("pub trait {rust}Propose"),
                    &if served {
                        vec![format!("{rust}Queries"), "Sync".to_string()]
                    } else {
                        vec![format!("{rust}Queries")]
                    },
                ),
                trait_header(
                    &format!("pub trait {rust}Accept"),
                    &[format!("AsMut<{state_name}>")],
                ),
            )
        } else {
            (
                format!("pub trait {rust}Queries {{"),
                format!("pub trait {rust}Propose {{"),
                format!("pub trait {rust}Accept {{"),
            )
        };
        let mut uses = Vec::new();
        let mut time = Vec::new();
        if leaves.contains(&&Type::Timestamp) {
            time.push("DateTime");
        }
        if leaves.contains(&&Type::Date) {
            time.push("NaiveDate");
        }
        if leaves.contains(&&Type::Timestamp) {
            time.push("Utc");
        }
        // Re-exported: the model's file (yours) names them in the methods
        // written by hand, through its `use crate::generated::<model>::*`.
        match time.as_slice() {
            [] => {}
            [one] => uses.push(format!("pub use chrono::{one};")),
            many => uses.push(format!("pub use chrono::{{{}}};", many.join(", "))),
        }
        if leaves.contains(&&Type::Decimal) {
            uses.push("pub use rust_decimal::Decimal;".into());
        }
        uses.sort();
        let choices: Vec<String> = model.choices.iter().map(choice_view).collect();
        let event_derives = {
            let derives = derives(model.events_eq());
            if tagged {
                derives.replace(", Serialize, Deserialize", "")
            } else if model.stored.is_empty() && model.retired.is_empty() {
                derives.to_string()
            } else {
                // Read through the stored versions instead.
                derives.replace(", Deserialize", "")
            }
        };
        // Commands' serde derives name their paths: with the feature off,
        // the import would be unused.
        let serde_import = !choices.is_empty()
            || event_derives.contains("Serialize")
            || entities
                .iter()
                .chain(&events)
                .any(|s| s.derives.contains("Serialize"));

        let hand = |methods: &[MethodView]| -> Vec<MethodView> {
            methods
                .iter()
                .filter(|m| m.provided.is_none())
                .cloned()
                .collect()
        };
        ModelView {
            stored_as: model.stored_as.clone(),
            hand_queries: hand(&queries),
            hand_proposals: hand(&proposals),
            hand_acceptances: hand(&acceptances),
            policies: model
                .policies
                .iter()
                .filter_map(|p| behaviour.policy(p, &model.module))
                .collect(),
            choices,
            state,
            state_name,
            pascal: model.wire.pascal,
            queries_header,
            propose_header,
            accept_header,
            uses,
            histories: super::history::event_methods(model)
                .into_iter()
                .chain(super::history::functions(model))
                .collect(),
            maps: model
                .queries
                .iter()
                .any(|q| matches!(q.returns, Type::Map(..))),
            ask_uses: {
                let mut lines: Vec<String> = model
                    .asks
                    .iter()
                    .map(|ask| format!("use super::{}::{}Queries;", ask.module, ask.rust))
                    .collect();
                lines.sort_by_key(|line| crate::codegen::rust::use_order(line));
                lines
            },
            fully_declared: model.fully_declared(),
            action_arms,
            name_arms,
            aggregate_header: trait_header(&format!("pub trait {rust}Aggregate"), &halves),
            aggregate_impl: blanket_impl(&format!("impl<T> {rust}Aggregate for T"), &halves),
            propose_signature: whole("propose", "&self"),
            accept_signature: signature(
                4,
                "accept",
                &["&mut self".into(), format!("event: &{rust}Event")],
                None,
                " {",
            ),
            execute_signature: whole("execute", "&mut self"),
            served,
            holds: match (model.own.is_empty(), model.entities.is_empty()) {
                (true, _) => "The entities the model holds.",
                (false, true) => "The record the model holds (`State:` in the spec).",
                (false, false) => {
                    "The record (`State:` in the spec) and the entities the model holds."
                }
            },
            service_traits: services::service_traits(model),
            asking: services::asking(model, &behaviour),
            name: model.name.clone(),
            module: model.module.clone(),
            file_stem: model.file_stem.clone(),
            docs: docs(&model.docs, &[]),
            imports,
            entities,
            commands,
            events,
            command_variants,
            event_variants,
            command_derives: command_derives(model.commands_eq()),
            command_serde: COMMAND_SERDE,
            event_derives,
            events_macro: tagged.then(|| events_macro(model)),
            serde_import,
            decoding: crate::codegen::evolution::decoding(model),
            retired: !model.retired.is_empty(),
            queries,
            proposals,
            acceptances,
            propose_arms,
            execute_arms,
            accept_arms,
            rust,
        }
    }
}

/// The types a model's fields, parameters and query results are made of,
/// inside their `list of` and `optional`.
fn leaf_types(model: &Model) -> Vec<&Type> {
    let mut leaves = Vec::new();
    for ty in model
        .entities
        .iter()
        .flat_map(|e| &e.fields)
        .chain(model.commands.iter().flat_map(|c| &c.params))
        .chain(model.events.iter().flat_map(|e| &e.fields))
        .chain(model.queries.iter().flat_map(|q| &q.params))
        .map(|f| &f.ty)
        .chain(model.queries.iter().map(|q| &q.returns))
    {
        leaves_of(ty, &mut leaves);
    }
    leaves
}

/// The types a type is made of, past lists, optionals and maps.
fn leaves_of<'t>(ty: &'t Type, leaves: &mut Vec<&'t Type>) {
    match ty {
        Type::List(inner) | Type::Optional(inner) => leaves_of(inner, leaves),
        Type::Map(key, value) => {
            leaves_of(key, leaves);
            leaves_of(value, leaves);
        }
        leaf => leaves.push(leaf),
    }
}

/// Whether a command has constraints to check.
/// The proposing method of an action that asks services: `async`, its
/// body the wrapper's ([`services::asking`]).
fn served_proposal(
    model: &Model,
    command: &ir::Command,
    returns: &str,
    extra: String,
) -> MethodView {
    let errors = format!(
        "A [`Rejection`] when the model refuses `{}`, or when a service it asks cannot answer (`unavailable`: the command may be sent again).",
        command.name
    );
    let future = services::future_of(returns);
    let params = |name: &str, prefix: &str| {
        let mut params = proposal_params(model, command, name, prefix);
        params.extend(services::served_params(model, command, prefix));
        params
    };
    let provided = command.proposing.as_ref().map(|_| {
        let mut args = vec!["command".to_string()];
        args.extend(
            model
                .services_of(command)
                .into_iter()
                .map(|s| crate::codegen::behaviour::service_param(&model.services[s])),
        );
        let body =
            crate::codegen::rust::call(8, &format!("Asking(self).{}", command.method), &args, "");
        provided(
            &signature(
                4,
                &command.method,
                &params("command", ""),
                Some(&future),
                ";",
            ),
            &body,
        )
    });
    MethodView {
        docs: docs(
            &command.docs,
            &[
                extra,
                String::new(),
                "# Errors".into(),
                String::new(),
                errors,
            ],
        ),
        spec_line: inert(&command.spec_line),
        many_params: false,
        declaration: signature(
            4,
            &command.method,
            &params("command", ""),
            Some(&future),
            ";",
        ),
        definition: signature(
            4,
            &command.method,
            &params("_command", "_"),
            Some(&future),
            " {",
        ),
        provided,
    }
}

/// Whether `code` names `word` as a whole word.
fn mentions(code: &str, word: &str) -> bool {
    let part = |c: char| c.is_ascii_alphanumeric() || c == '_';
    code.match_indices(word).any(|(at, _)| {
        let before = code[..at].chars().next_back().is_none_or(|c| !part(c));
        let after = code[at + word.len()..]
            .chars()
            .next()
            .is_none_or(|c| !part(c));
        before && after
    })
}

pub(super) fn validates(command: &ir::Command) -> bool {
    command.params.iter().any(|p| !p.checks.is_empty())
}
