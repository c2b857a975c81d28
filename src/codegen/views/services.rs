//! Services outside the spec (`<query> [args] from <Service>`): the trait
//! each becomes, the parameters that hand them to proposing methods, and
//! the asynchronous proposing of the actions that ask them.
//!
//! A proposing method that asks a service waits for its answer, so it is
//! `async`. The trait method returns a `Send` future and hands the work to
//! an `async fn` of a private wrapper around the model (`Asking`), whose
//! body is written exactly as a synchronous proposing method's is.

use super::methods::{call_args, param};
use crate::codegen::behaviour::{service_param, Behaviour};
use crate::codegen::rust::{
    arm, docs, inert, signature, signature_with, width, CHAIN_WIDTH, MAX_WIDTH,
};
use crate::model::ir::{Command, Model};

/// The return type of a proposing method that asks a service.
pub(super) fn future_of(output: &str) -> String {
    format!("impl Future<Output = {output}> + Send")
}

/// The parameters that hand `command`'s services to its proposing method
/// (`atm: &impl Atm`), `prefix`ed.
pub(super) fn served_params(model: &Model, command: &Command, prefix: &str) -> Vec<String> {
    model
        .services_of(command)
        .into_iter()
        .map(|s| {
            let service = &model.services[s];
            format!("{prefix}{}: &impl {}", service_param(service), service.rust)
        })
        .collect()
}

/// The parameter `propose` and `execute` take every service in:
/// `services: &(impl Atm + Checks)`.
pub(super) fn services_param(model: &Model) -> String {
    let traits: Vec<&str> = model.services.iter().map(|s| s.rust.as_str()).collect();
    match traits.as_slice() {
        [one] => format!("services: &impl {one}"),
        many => format!("services: &(impl {})", many.join(" + ")),
    }
}

/// Each service's trait, rendered.
pub(super) fn service_traits(model: &Model) -> Vec<String> {
    model
        .services
        .iter()
        .enumerate()
        .map(|(index, service)| {
            let askers: Vec<String> = model
                .commands
                .iter()
                .filter(|c| model.services_of(c).contains(&index))
                .map(|c| format!("`{}`", c.name))
                .collect();
            let mut out = format!(
                "/// `{name}`, a service outside the spec that the rules of `{model}` ask\n/// (`… from {name}`, in {askers}): implement it for your client of\n/// that service and hand it to `propose` and `execute` (with cqrs-es,\n/// as the aggregate's `Services`).\npub trait {rust}: Send + Sync {{\n",
                name = inert(&service.name),
                model = inert(&model.name),
                askers = askers.join(", "),
                rust = service.rust,
            );
            for (i, query) in service.queries.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                let line = format!(
                    "`{} {}`",
                    query.name,
                    crate::model::names::bracket(query.params.iter().map(|p| p.term.as_str()))
                );
                let lines = docs(
                    &[],
                    &[
                        format!("{line}: what `{}` answers.", service.name),
                        String::new(),
                        "# Errors".into(),
                        String::new(),
                        "When the service cannot answer: the command is then rejected as `unavailable`, and may be sent again.".into(),
                    ],
                );
                for doc in lines {
                    if doc.is_empty() {
                        out.push_str("    ///\n");
                    } else {
                        out.push_str(&format!("    /// {doc}\n"));
                    }
                }
                let params: Vec<String> = std::iter::once("&self".to_string())
                    .chain(query.params.iter().map(|p| param(p, false)))
                    .collect();
                let returns = future_of(&format!("Result<{}, ServiceError>", query.returns.rust()));
                out.push_str(&signature(4, &query.method, &params, Some(&returns), ";"));
                out.push('\n');
            }
            out.push('}');
            out
        })
        .collect()
}

/// The wrapper whose `async fn`s are the bodies of the proposing methods
/// that ask services, and of `propose`; `None` for a model that asks none.
pub(super) fn asking(model: &Model, behaviour: &Behaviour<'_>) -> Option<String> {
    if model.services.is_empty() {
        return None;
    }
    let rust = &model.rust;
    let state = format!("{rust}State");
    let mut out = format!(
        "/// The `{name}` model lent to the proposing methods that ask services\n/// outside the spec: their bodies, which wait for the services' answers.\nstruct Asking<'m, M: ?Sized>(&'m M);\n\nimpl<M: ?Sized> std::ops::Deref for Asking<'_, M> {{\n    type Target = M;\n\n    fn deref(&self) -> &M {{\n        self.0\n    }}\n}}\n\nimpl<M: AsRef<{state}> + ?Sized> AsRef<{state}> for Asking<'_, M> {{\n    fn as_ref(&self) -> &{state} {{\n        self.0.as_ref()\n    }}\n}}\n\nimpl<M: {rust}Propose + ?Sized> Asking<'_, M> {{\n",
        name = inert(&model.name),
    );
    for command in &model.commands {
        if model.services_of(command).is_empty() || command.proposing.is_none() {
            continue;
        }
        let event = model.event_of(command);
        let body = behaviour.proposing(command);
        let name = if body.contains("command") {
            "command"
        } else {
            "_command"
        };
        let mut params = vec!["self".to_string(), format!("{name}: {}", command.rust)];
        params.extend(served_params(model, command, ""));
        out.push_str(&signature_with(
            4,
            "async fn",
            &command.method,
            &params,
            Some(&format!("Result<{}, Rejection>", event.rust)),
            " {\n",
        ));
        out.push_str(&body);
        out.push_str("\n    }\n\n");
    }
    out.push_str(&signature_with(
        4,
        "async fn",
        "propose",
        &[
            "self".to_string(),
            format!("command: {rust}Command"),
            services_param(model),
        ],
        Some(&format!("Result<{rust}Event, Rejection>")),
        " {\n",
    ));
    out.push_str("        let model = self.0;\n        match command {\n");
    for command in &model.commands {
        out.push_str(&propose_arm(model, command));
        out.push('\n');
    }
    out.push_str("        }\n    }\n}");
    Some(out)
}

/// The arm of `Asking::propose` for `command`: its proposing method
/// called on the model (awaited when it asks a service), its event
/// wrapped.
fn propose_arm(model: &Model, command: &Command) -> String {
    let rust = &model.rust;
    let pattern = format!("{rust}Command::{}(command)", command.rust);
    let wrap = format!("{rust}Event::{}", model.event_of(command).rust);
    let mut args = call_args(model, command);
    let served = !model.services_of(command).is_empty();
    if served {
        args.push_str(", services");
    }
    let call = format!("model.{}({args})", command.method);
    let awaited = if served { ".await" } else { "" };
    let one = format!("{call}{awaited}.map({wrap})");
    // The chain one call per line, at `indent`: `model` is longer than
    // rustfmt joins to the call after it.
    let broken = |indent: usize| {
        let pad = " ".repeat(indent);
        let rest = call.strip_prefix("model.").unwrap_or(&call);
        let awaited = if served {
            format!("\n{pad}.await")
        } else {
            String::new()
        };
        format!("model\n{pad}.{rest}{awaited}\n{pad}.map({wrap})")
    };
    if super::model::validates(command) {
        let too_wide = width(&one) > CHAIN_WIDTH || 16 + width(&one) > MAX_WIDTH;
        let mapped = if too_wide { broken(20) } else { one };
        return format!(
            "            {pattern} => {{\n                command.validate()?;\n                {mapped}\n            }}"
        );
    }
    if width(&one) <= CHAIN_WIDTH {
        return arm(12, &pattern, &one);
    }
    format!("            {pattern} => {},", broken(16))
}
