//! The spec's policies as the crate runs them (`src/generated/policies.rs`):
//! the [`Policy`] enum naming each subscription, the `Notifications` trait
//! the app implements for `notify by`, and per store a `Policies` runner
//! that follows each subscription and acts on its events. Each policy's
//! decision is its model's (`codegen::behaviour::policies`).

use crate::codegen::rust::{arm, call, inert, signature_with, use_order};
use crate::model::ir::{Model, Policy, Spec, Then};
use crate::model::names;

/// What `templates/policies.rs` and `templates/notifications.rs` show.
#[derive(Debug, Clone)]
pub struct PoliciesView {
    /// `Policy`'s variants: (doc line, variant).
    pub variants: Vec<(String, String)>,
    /// `pub const ALL: [Policy; n] = [...];`, laid out.
    pub all: String,
    /// The arms of `name`, `model`, `strong` and `from_now`.
    pub name_arms: Vec<String>,
    /// The arms of `model`.
    pub model_arms: Vec<String>,
    /// The arms of `strong`.
    pub strong_arms: Vec<String>,
    /// The arms of `from_now`.
    pub from_now_arms: Vec<String>,
    /// The arms of `sends`.
    pub sends_arms: Vec<String>,
    /// The methods of `Notifications`, with their docs, laid out.
    pub notify_methods: Vec<String>,
    /// The `use` lines of each store's module (`{store}` for the store).
    pub store_uses: Vec<String>,
    /// The type aliases of the models the policies ask, with their docs.
    pub aliases: Vec<String>,
    /// The fields of `Policies` holding them.
    pub fields: Vec<String>,
    /// Their initialisers in `Policies::new`.
    pub inits: Vec<String>,
    /// The arms of `act`.
    pub act_arms: Vec<String>,
    /// The methods of `Unnotified`, which fail.
    pub unnotified_methods: Vec<String>,
    /// The stub of `src/notifications.rs`: its `use` lines.
    pub stub_uses: Vec<String>,
    /// Its methods.
    pub stub_methods: Vec<String>,
}

impl PoliciesView {
    /// The view of the spec's policies; `None` when it has none.
    pub fn new(spec: &Spec) -> Option<Self> {
        let all: Vec<(&Model, &Policy)> = spec
            .models
            .iter()
            .flat_map(|m| m.policies.iter().map(move |p| (m, p)))
            .collect();
        if all.is_empty() {
            return None;
        }
        let variant = |p: &Policy| names::pascal(&p.name).unwrap_or_else(|_| p.rust.clone());
        let path = |p: &Policy| format!("Policy::{}", variant(p));
        let variants = all
            .iter()
            .map(|(_, p)| (format!("`{}`", inert(&p.spec_line)), variant(p)))
            .collect();
        let all_list = crate::codegen::expr::Expr::List(
            "[",
            all.iter()
                .map(|(_, p)| crate::codegen::expr::Expr::atom(path(p)))
                .collect(),
        )
        .assign(4, &format!("pub const ALL: [Policy; {}]", all.len()), ";");
        let name_arms = all
            .iter()
            .map(|(_, p)| arm(12, &path(p), &format!("\"{}\"", p.name)))
            .collect();
        let model_arms = all
            .iter()
            .map(|(m, p)| arm(12, &path(p), &format!("super::{}::STORED_AS", m.module)))
            .collect();
        let flag_arms = |on: &dyn Fn(&Policy) -> bool| -> Vec<String> {
            all.iter()
                .map(|(_, p)| arm(12, &path(p), if on(p) { "true" } else { "false" }))
                .collect()
        };
        let strong_arms = flag_arms(&|p| p.strong);
        let from_now_arms = flag_arms(&|p| p.from_now);
        let sends_arms = flag_arms(&|p| matches!(p.then, Then::Ask { .. }));

        let mut notify_methods = Vec::new();
        let mut unnotified_methods = Vec::new();
        let mut stub_methods = Vec::new();
        let mut stub_uses = vec![
            "use crate::generated::policies::Notifications;".to_string(),
            "use crate::generated::policies::NotifyError;".to_string(),
        ];
        for (m, p) in &all {
            let Then::Notify { method, function } = &p.then else {
                continue;
            };
            let event = &m.events[p.event];
            let params = [
                "&self".to_string(),
                format!("event: &super::{}::{}", m.module, event.rust),
                "key: &str".to_string(),
            ];
            let mut text = format!(
                "    /// `{}`.\n    ///\n    /// Called with each `{}` event{}, at least once: again when it\n    /// fails (after a wait), and when the runner stopped before it saved\n    /// that it was called. `key` names the event, the same on every call:\n    /// hand it on, to act once.\n",
                inert(&p.spec_line),
                event.name,
                if p.only_if.is_some() {
                    " its condition lets through"
                } else {
                    ""
                }
            );
            text.push_str(&signature_with(
                4,
                "fn",
                method,
                &params,
                Some("impl Future<Output = Result<(), NotifyError>> + Send"),
                ";",
            ));
            notify_methods.push(text);
            let unnotified = [
                "&self".to_string(),
                format!("_event: &super::{}::{}", m.module, event.rust),
                "_key: &str".to_string(),
            ];
            unnotified_methods.push(format!(
                "{}\n        Err(\"`{function}` is the app's, and no app is at hand here\".into())\n    }}",
                signature_with(
                    4,
                    "async fn",
                    method,
                    &unnotified,
                    Some("Result<(), NotifyError>"),
                    " {",
                )
            ));
            stub_uses.push(format!(
                "use crate::generated::{}::{};",
                m.module, event.rust
            ));
            let stub_params = [
                "&self".to_string(),
                format!("event: &{}", event.rust),
                "key: &str".to_string(),
            ];
            stub_methods.push(format!(
                "{}\n        todo!(\"{function}: act on {{event:?}} once for {{key}}\")\n    }}",
                signature_with(
                    4,
                    "async fn",
                    method,
                    &stub_params,
                    Some("Result<(), NotifyError>"),
                    " {",
                )
            ));
        }
        stub_uses.sort_by_key(|l| use_order(l));
        stub_uses.dedup();

        // The models the policies ask, in spec order.
        let asked: Vec<&Model> = spec
            .models
            .iter()
            .filter(|target| {
                all.iter().any(
                    |(_, p)| matches!(&p.then, Then::Ask { model, .. } if *model == target.name),
                )
            })
            .collect();
        let mut store_uses = vec![
            "use super::Notifications;".to_string(),
            "use super::Policy;".to_string(),
            "use crate::generated::runtime::{store}::Act;".to_string(),
            "use crate::generated::runtime::{store}::Failure;".to_string(),
            "use crate::generated::runtime::{store}::Following;".to_string(),
            "use crate::generated::runtime::{store}::Pool;".to_string(),
            "use crate::generated::runtime::{store}::Positioned;".to_string(),
            "use crate::generated::runtime::{store}::Subscription;".to_string(),
            "use crate::generated::runtime::{store}::{behind, causation, follow, head, read_event};"
                .to_string(),
        ];
        if !asked.is_empty() {
            store_uses.push("use crate::generated::runtime::{store}::Cqrs;".to_string());
            store_uses.push("use crate::generated::runtime::{store}::send;".to_string());
        }
        let mut aliases = Vec::new();
        let mut fields = Vec::new();
        let mut inits = Vec::new();
        for target in &asked {
            let prefix = names::unraw(&target.module).to_string();
            let aggregate = super::http::aggregate(target);
            let alias = format!("{}Cqrs", target.rust);
            let stream = if target.asks.is_empty() {
                format!("{}Stream<{aggregate}>", target.rust)
            } else {
                // What it asks of other models, an alias of its own: the
                // lines stay short.
                let asks = format!("{}Asks", target.rust);
                aliases.push(format!(
                    "    /// What `{}` asks of other models: their stored streams\n    /// and tables.\n{}",
                    inert(&target.name),
                    crate::codegen::expr::Expr::atom(super::http::stored_type(spec, target))
                        .assign(4, &format!("type {asks}"), ";")
                ));
                format!("{}Stream<{aggregate}, {asks}>", target.rust)
            };
            aliases.push(format!(
                "    /// `{}` as the policies run it: your aggregate of it\n    /// (`src/{prefix}.rs`), stored.\n{}",
                inert(&target.name),
                crate::codegen::expr::Expr::atom(format!("Cqrs<{stream}>")).assign(
                    4,
                    &format!("type {alias}"),
                    ";"
                )
            ));
            store_uses.push(format!(
                "use crate::generated::runtime::{}Stream;",
                target.rust
            ));
            store_uses.push(format!(
                "use crate::generated::runtime::{{store}}::{prefix}_cqrs;"
            ));
            if !target.asks.is_empty() {
                store_uses.push(format!(
                    "use crate::generated::runtime::{{store}}::{}Stored;",
                    target.rust
                ));
            }
            if matches!(target.streams, crate::model::ir::Streams::PerEntity { .. }) {
                store_uses.push(format!("use crate::generated::runtime::{prefix}_stream;"));
            }
            fields.push(format!("    {prefix}: {alias},"));
            let mut args = vec!["pool.clone()".to_string(), "Vec::new()".to_string()];
            if !target.asks.is_empty() {
                args.push(format!("{}Stored::new(pool.clone())", target.rust));
            }
            inits.push(call(16, &format!("{prefix}: {prefix}_cqrs"), &args, ","));
        }
        let mut act_arms = Vec::new();
        for (m, p) in &all {
            let event = &m.events[p.event];
            store_uses.push(format!(
                "use crate::generated::{}::{}Event;",
                m.module, m.rust
            ));
            let pattern = format!("{}Event::{}(event)", m.rust, event.rust);
            // An enum of one variant: its pattern is irrefutable.
            let single = m.events.len() == 1 && m.retired.is_empty();
            match &p.then {
                Then::Ask { model, .. } => {
                    store_uses.push(format!("use crate::generated::{}::{};", m.module, p.rust));
                    let Some(target) = spec.models.iter().find(|t| t.name == *model) else {
                        continue;
                    };
                    let prefix = names::unraw(&target.module).to_string();
                    let stream =
                        if matches!(target.streams, crate::model::ir::Streams::PerEntity { .. }) {
                            format!("{prefix}_stream")
                        } else {
                            format!(
                                "|_| String::from(\"{}\")",
                                crate::model::routes::model_segment(target)
                            )
                        };
                    let mut out = format!("                {} => {{\n", path(p));
                    if single {
                        out.push_str(&format!(
                            "                    let {pattern} = read_event(event)?;\n"
                        ));
                        out.push_str(&format!(
                            "                    let command = {}(&event);\n",
                            p.rust
                        ));
                    } else {
                        out.push_str(
                            "                    let command = match read_event(event)? {\n",
                        );
                        out.push_str(&arm(24, &pattern, &format!("{}(&event)", p.rust)));
                        out.push_str(
                            "\n                        _ => None,\n                    };\n",
                        );
                    }
                    out.push_str(&call(
                        20,
                        "send",
                        &[
                            format!("&self.{prefix}"),
                            "&self.pool".to_string(),
                            "&key".to_string(),
                            "command".to_string(),
                            stream,
                        ],
                        ".await",
                    ));
                    out.push_str("\n                }");
                    act_arms.push(out);
                }
                Then::Notify { method, .. } => {
                    let notified = format!("self.notifications.{method}(&event, &key)");
                    let conditioned = p.only_if.is_some();
                    if conditioned {
                        store_uses.push(format!("use crate::generated::{}::{};", m.module, p.rust));
                    }
                    let out = match (single, conditioned) {
                        (true, false) => format!(
                            "                {} => {{\n                    let {pattern} = read_event(event)?;\n{}\n                }}",
                            path(p),
                            notify_chain(20, "", &notified, "")
                        ),
                        (false, false) => format!(
                            "                {} => match read_event(event)? {{\n{}\n                    _ => Ok(()),\n                }},",
                            path(p),
                            notify_chain(20, &format!("{pattern} => "), &notified, ",")
                        ),
                        // Its condition first: an event it does not act on
                        // is done with.
                        (true, true) => format!(
                            "                {} => {{\n                    let {pattern} = read_event(event)?;\n                    if !{}(&event) {{\n                        return Ok(());\n                    }}\n{}\n                }}",
                            path(p),
                            p.rust,
                            notify_chain(20, "", &notified, "")
                        ),
                        (false, true) => format!(
                            "                {} => {{\n                    let event = match read_event(event)? {{\n{}\n                        _ => None,\n                    }};\n                    match event {{\n{}\n                        None => Ok(()),\n                    }}\n                }}",
                            path(p),
                            arm(24, &pattern, &format!("Some(event).filter({})", p.rust)),
                            notify_chain(24, "Some(event) => ", &notified, ",")
                        ),
                    };
                    act_arms.push(out);
                }
            }
        }
        store_uses.sort_by_key(|l| use_order(l));
        store_uses.dedup();
        Some(PoliciesView {
            variants,
            all: all_list,
            name_arms,
            model_arms,
            strong_arms,
            from_now_arms,
            sends_arms,
            notify_methods,
            unnotified_methods,
            store_uses,
            aliases,
            fields,
            inits,
            act_arms,
            stub_uses,
            stub_methods,
        })
    }

    /// The `use` lines of the module of `store` (`postgres`, `sqlite`).
    pub fn uses_of(&self, store: &str) -> Vec<String> {
        let mut lines: Vec<String> = self
            .store_uses
            .iter()
            .map(|l| l.replace("{store}", store))
            .collect();
        lines.sort_by_key(|l| use_order(l));
        lines
    }
}

/// `self.notifications.<method>(&event, &key).await.map_err(failed)` at
/// `indent`, after `lead` (a match arm's `<pattern> => `, or
/// nothing as a block's last expression), laid out as rustfmt lays a
/// chain out: on one line, or its root on the first and a call per line.
fn notify_chain(indent: usize, lead: &str, notified: &str, end: &str) -> String {
    use crate::codegen::rust::{width, CHAIN_WIDTH, MAX_WIDTH};
    let chain = format!("{notified}.await.map_err(failed)");
    let one = format!("{}{lead}{chain}{end}", " ".repeat(indent));
    if width(&one) <= MAX_WIDTH && width(&chain) <= CHAIN_WIDTH {
        return one;
    }
    let pad = " ".repeat(indent + 4);
    let method = notified.trim_start_matches("self.notifications.");
    // In an arm, rustfmt breaks after `self`; in a block, after the field.
    let root = if lead.is_empty() {
        "self.notifications".to_string()
    } else {
        format!("self\n{pad}.notifications")
    };
    format!(
        "{}{lead}{root}\n{pad}.{method}\n{pad}.await\n{pad}.map_err(failed){end}",
        " ".repeat(indent)
    )
}
