//! A policy's decision, as a function of its event: the command it sends,
//! or `None` for an event its `only if` refuses.

use super::{hoisted, literal, struct_lit, Behaviour, Ctx, Joined};
use crate::codegen::rust::{docs, signature_with};
use crate::model::ir::{Expr, Policy, Then};

impl Behaviour<'_> {
    /// `pub fn <policy>(event: &<Event>) -> Option<<Command>> { … }`, with
    /// its docs, for a policy that asks an action; `None` for one that
    /// notifies (the app's function decides what it does).
    pub fn policy(&self, policy: &Policy, own_module: &str) -> Option<String> {
        let Then::Ask {
            model,
            module,
            command_rust,
            fields,
            ..
        } = &policy.then
        else {
            return self.notify_condition(policy);
        };
        let event = &self.model.events[policy.event];
        let command = if module == own_module {
            command_rust.clone()
        } else {
            format!("crate::generated::{module}::{command_rust}")
        };
        let says = format!(
            "The command it sends to `{model}` for `event`{}.",
            if policy.only_if.is_some() {
                ", or `None` when the event is not one it acts on"
            } else {
                " (it acts on every one)"
            }
        );
        let mut out = head(policy, &event.rust, says, &format!("Option<{command}>"));
        if let Some(condition) = &policy.only_if {
            let refuses = self.joined(condition, Ctx::Event, "", false);
            out.push_str(&if_at(&refuses, 4));
            out.push_str("\n        return None;\n    }\n");
        }
        let values: Vec<(String, String)> = fields
            .iter()
            .map(|field| (field.field.clone(), self.policy_value(&field.expr)))
            .collect();
        out.push_str(&struct_lit(4, "Some(", &command, &values, ")"));
        out.push_str("\n}");
        Some(out)
    }

    /// `pub fn <policy>(event: &<Event>) -> bool { … }`, with its docs,
    /// for a policy that notifies with an `only if`: whether it acts on
    /// `event`. `None` without a condition (it acts on every one).
    fn notify_condition(&self, policy: &Policy) -> Option<String> {
        let condition = policy.only_if.as_ref()?;
        let Then::Notify { function, .. } = &policy.then else {
            return None;
        };
        let event = &self.model.events[policy.event];
        let says = format!(
            "Whether it calls `{function}` for `event`: whether the event is one it acts on."
        );
        let mut out = head(policy, &event.rust, says, "bool");
        let acts = self.joined(condition, Ctx::Event, "", true);
        let body = acts
            .one_line(4, "", "")
            .or_else(|| acts.vertical(4, ""))
            .unwrap_or_else(|| {
                let (mut lets, named) = hoisted(&acts, 4);
                lets.push_str(
                    &named
                        .one_line(4, "", "")
                        .or_else(|| named.vertical(4, ""))
                        .unwrap_or_else(|| format!("    {}", named.flat())),
                );
                lets
            });
        out.push_str(&body);
        out.push_str("\n}");
        Some(out)
    }

    /// A value of the event, owned.
    fn policy_value(&self, expr: &Expr) -> String {
        match expr {
            Expr::Input { rust, ty } if ty.is_copy() => format!("event.{rust}"),
            Expr::Input { rust, .. } => format!("event.{rust}.clone()"),
            Expr::Literal { value, ty } => literal(value, ty),
            other => self.value(other, Ctx::Event, ""),
        }
    }
}

/// `if <tests> {` at `indent`, laid out as rustfmt lays it out.
fn if_at(joined: &Joined, indent: usize) -> String {
    let head = |joined: &Joined| {
        joined.one_line(indent, "if ", " {").or_else(|| {
            joined
                .vertical(indent, "if ")
                .map(|lines| format!("{lines}\n{}{{", " ".repeat(indent)))
        })
    };
    if let Some(head) = head(joined) {
        return head;
    }
    let (mut out, named) = hoisted(joined, indent);
    out.push_str(
        &head(&named).unwrap_or_else(|| format!("{}if {} {{", " ".repeat(indent), named.flat())),
    );
    out
}

/// A policy's function up to its body: its docs (the policy's line, its
/// lines below it, then `says`) and `pub fn <policy>(event: &<event>) ->
/// <returns> {`.
fn head(policy: &Policy, event: &str, says: String, returns: &str) -> String {
    let mut extra = vec![format!("The policy `{}`.", policy.spec_line), String::new()];
    extra.extend(policy.lines.iter().map(|line| format!("`{line}`")));
    if !policy.lines.is_empty() {
        extra.push(String::new());
    }
    extra.push(says);
    let mut out = String::new();
    for line in docs(&policy.docs, &extra) {
        if line.is_empty() {
            out.push_str("///\n");
        } else {
            out.push_str(&format!("/// {line}\n"));
        }
    }
    out.push_str(&signature_with(
        0,
        "pub fn",
        &policy.rust,
        &[format!("event: &{event}")],
        Some(returns),
        " {",
    ));
    out.push('\n');
    out
}
