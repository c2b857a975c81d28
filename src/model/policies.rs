//! `Policies:`: what happens next when an event is accepted. Each policy
//! is resolved against the spec's lowered models (its event in its own
//! model, its action in this one or another), its command's fields filled
//! from the event (by name, or by `<field> = …` lines) and typed, its
//! `only if` typed over the event's fields; then the policies of the whole
//! spec are checked for circles (a policy whose command's event sets off
//! the policy again, directly or through others).

use super::ir::{self, FieldFrom, Then, Type};
use super::names;
use super::rules;
use crate::diagnostics::{codes, did_you_mean, Diagnostic};
use crate::source::Span;
use crate::syntax::ast;
use std::collections::BTreeMap;

/// Resolves every model's policies into its [`ir::Model::policies`].
/// Models are matched to the syntax tree by name.
pub(super) fn apply(
    file: &ast::SpecFile,
    models: &mut [ir::Model],
    diagnostics: &mut Vec<Diagnostic>,
) {
    // Where each lowered policy is written, for the circle check.
    let mut written: Vec<(usize, usize, Span, bool)> = Vec::new();
    // A policy's name is its subscription's, unique in the whole store.
    let mut names: BTreeMap<String, Span> = BTreeMap::new();
    for model in &file.models {
        let Some(at) = models.iter().position(|m| m.name == model.name.text) else {
            continue;
        };
        for policy in &model.policies {
            let Some(lowered) = lower(policy, at, models, diagnostics) else {
                continue;
            };
            if let Some(first) = names.get(&lowered.name) {
                diagnostics.push(
                    Diagnostic::error(
                        codes::POLICY,
                        format!("two policies are both `{}`", lowered.name),
                        )
                        .at_labelled(policy.span, "the second")
                        .with_label(*first, "the first")
                        .with_help("say it once: a policy that follows an event and asks an action is one subscription"),
                );
                continue;
            }
            names.insert(lowered.name.clone(), policy.span);
            written.push((
                at,
                models[at].policies.len(),
                policy.span,
                lowered.only_if.is_some(),
            ));
            models[at].policies.push(lowered);
        }
    }
    circles(models, &written, diagnostics);
}

fn error(message: impl Into<String>, span: Span, label: &str) -> Diagnostic {
    Diagnostic::error(codes::POLICY, message).at_labelled(span, label.to_string())
}

/// One policy of the model `at`, lowered; `None` after reporting.
fn lower(
    policy: &ast::Policy,
    at: usize,
    models: &mut [ir::Model],
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<ir::Policy> {
    let model = &models[at];
    let Some(event) = model
        .events
        .iter()
        .position(|e| e.name == policy.event.text)
    else {
        let names: Vec<&str> = model.events.iter().map(|e| e.name.as_str()).collect();
        let help = match did_you_mean(&policy.event.text, names.iter().copied()) {
            Some(close) => format!("did you mean `{close}`?"),
            None if names.is_empty() => {
                "the model has no event yet: add an action under `Actions:`".to_string()
            }
            None => format!("the model's events are: {}", names.join(", ")),
        };
        diagnostics.push(
            Diagnostic::error(
                codes::UNKNOWN_IN_RULE,
                format!("`{}` has no event `{}`", model.name, policy.event.text),
            )
            .at_labelled(policy.event.span, "unknown event")
            .with_help(format!(
                "{help}; a policy follows an event of the model it is written in"
            )),
        );
        return None;
    };
    let event_fields = model.events[event].fields.clone();
    let condition = policy.lines.iter().find_map(|line| match line {
        ast::PolicyLine::OnlyIf { condition, .. } => Some(condition),
        ast::PolicyLine::Source { .. } => None,
    });
    let mut ok = true;
    for extra in policy
        .lines
        .iter()
        .filter(|l| matches!(l, ast::PolicyLine::OnlyIf { .. }))
        .skip(1)
    {
        diagnostics.push(
            error("a policy has one `only if`", extra.span(), "a second one")
                .with_help("join the conditions with `and` in one line: `only if <a> and <b>`"),
        );
        ok = false;
    }
    let event_name = &policy.event.text;
    let (then, name, typed) = match &policy.then {
        ast::PolicyThen::Notify(function) => {
            if let Some(line) = policy
                .lines
                .iter()
                .find(|l| matches!(l, ast::PolicyLine::Source { .. }))
            {
                diagnostics.push(
                    error(
                        "a policy that notifies has no command to fill",
                        line.span(),
                        "a field of no command",
                    )
                    .with_help("the function is handed the whole event; remove this line"),
                );
                ok = false;
            }
            let method = match names::snake(&function.text) {
                Ok(method) => method,
                Err(_) => {
                    diagnostics.push(
                        error(
                            format!("`{}` cannot be a function's name", function.text),
                            function.span,
                            "not a name for Rust",
                        )
                        .with_help("name it with letters, digits and `-`, starting with a letter"),
                    );
                    return None;
                }
            };
            let typed = rules::policy(&mut models[at], &event_fields, condition, &[], diagnostics)?;
            (
                Then::Notify {
                    function: function.text.clone(),
                    method,
                },
                format!("{event_name}-then-{}", function.text),
                typed,
            )
        }
        ast::PolicyThen::Ask {
            action,
            model: target,
        } => {
            let target_at = match target {
                None => at,
                Some(target) => match models.iter().position(|m| m.name == target.text) {
                    Some(found) => found,
                    None => {
                        let names: Vec<&str> = models.iter().map(|m| m.name.as_str()).collect();
                        let help = match did_you_mean(&target.text, names.iter().copied()) {
                            Some(close) => format!("did you mean `{close}`?"),
                            None => format!("the spec's models are: {}", names.join(", ")),
                        };
                        diagnostics.push(
                            Diagnostic::error(
                                codes::UNKNOWN_IN_RULE,
                                format!("the spec has no model `{}`", target.text),
                            )
                            .at_labelled(target.span, "unknown model")
                            .with_help(help),
                        );
                        return None;
                    }
                },
            };
            let target_model = &models[target_at];
            let Some(command) = target_model
                .commands
                .iter()
                .position(|c| c.name == action.text)
            else {
                let names: Vec<&str> = target_model
                    .commands
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect();
                let help = match did_you_mean(&action.text, names.iter().copied()) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None if target.is_none() => {
                        "an action of another model is written `<action> in <Model>`".to_string()
                    }
                    None => format!(
                        "`{}`'s actions are: {}",
                        target_model.name,
                        names.join(", ")
                    ),
                };
                diagnostics.push(
                    Diagnostic::error(
                        codes::UNKNOWN_IN_RULE,
                        format!("`{}` has no action `{}`", target_model.name, action.text),
                    )
                    .at_labelled(action.span, "unknown action")
                    .with_help(help),
                );
                return None;
            };
            if !target_model.services.is_empty() {
                let services: Vec<String> = target_model
                    .services
                    .iter()
                    .map(|s| format!("`{}`", s.name))
                    .collect();
                diagnostics.push(
                    error(
                        format!(
                            "`{}`'s rules ask {} outside the spec, which the policies' runner cannot answer",
                            target_model.name,
                            services.join(" and ")
                        ),
                        action.span,
                        "an action of a model that asks outside the spec",
                    )
                    .with_help("send this command from the app, which has the services' clients: `notify by <function>` hands it the event"),
                );
                return None;
            }
            let params = target_model.commands[command].params.clone();
            let foreign = target_at != at;
            let mut sources: Vec<(&ast::FieldSource, &ir::Field)> = Vec::new();
            let mut by_line: Vec<Option<usize>> = vec![None; params.len()];
            for line in &policy.lines {
                let ast::PolicyLine::Source { field, from, span } = line else {
                    continue;
                };
                let Some(index) = params.iter().position(|p| p.term == field.text) else {
                    let names: Vec<&str> = params.iter().map(|p| p.term.as_str()).collect();
                    let help = match did_you_mean(&field.text, names.iter().copied()) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None if names.is_empty() => {
                            format!("`{}` has no parameter to fill", action.text)
                        }
                        None => format!("`{}` takes: {}", action.text, names.join(", ")),
                    };
                    diagnostics.push(
                        Diagnostic::error(
                            codes::UNKNOWN_IN_RULE,
                            format!("`{}` has no parameter `{}`", action.text, field.text),
                        )
                        .at_labelled(field.span, "not a parameter of the command")
                        .with_help(help),
                    );
                    ok = false;
                    continue;
                };
                if by_line[index].is_some() {
                    diagnostics.push(
                        error(
                            format!("`{}` is filled twice", field.text),
                            *span,
                            "a second time",
                        )
                        .with_help("keep one line for it"),
                    );
                    ok = false;
                    continue;
                }
                by_line[index] = Some(sources.len());
                sources.push((from, &params[index]));
            }
            // A parameter no line fills is the event's field of its name.
            let mut fields = Vec::with_capacity(params.len());
            let mut unfilled: Vec<&str> = Vec::new();
            for (index, param) in params.iter().enumerate() {
                if foreign && crosses(&param.ty) {
                    diagnostics.push(
                        error(
                            format!(
                                "`{}` of `{}` is a `{}`, which is `{}`'s own",
                                param.term,
                                action.text,
                                param.ty.spec(),
                                models[target_at].name
                            ),
                            action.span,
                            "a command of another model",
                        )
                        .with_help("a policy passes identities, text, numbers, dates and yes/no between models; make the parameter one of those"),
                    );
                    ok = false;
                    continue;
                }
                if by_line[index].is_some() {
                    fields.push(None);
                    continue;
                }
                match event_fields.iter().find(|f| f.term == param.term) {
                    Some(field) if field.ty == param.ty => fields.push(Some(FieldFrom {
                        field: param.rust.clone(),
                        term: param.term.clone(),
                        expr: ir::Expr::Input {
                            rust: field.rust.clone(),
                            ty: field.ty.clone(),
                        },
                        spec: param.term.clone(),
                    })),
                    Some(field) => {
                        diagnostics.push(
                            Diagnostic::error(
                                codes::WRONG_VALUE_TYPE,
                                format!(
                                    "`{}` of `{}` is a `{}`, and the event's `{}` a `{}`",
                                    param.term,
                                    action.text,
                                    param.ty.spec(),
                                    field.term,
                                    field.ty.spec()
                                ),
                            )
                            .at_labelled(policy.span, "filled from the event by name")
                            .with_help(format!(
                                "say what fills it below the policy: `{} = …`",
                                param.term
                            )),
                        );
                        ok = false;
                    }
                    None => unfilled.push(param.term.as_str()),
                }
            }
            if !unfilled.is_empty() {
                let names: Vec<&str> = event_fields.iter().map(|f| f.term.as_str()).collect();
                let quoted: Vec<String> = unfilled.iter().map(|n| format!("`{n}`")).collect();
                diagnostics.push(
                    error(
                        format!(
                            "`{}` needs {}, and `{}` has no field of that name",
                            action.text,
                            quoted.join(" and "),
                            event_name
                        ),
                        policy.span,
                        "a parameter left unfilled",
                    )
                    .with_help(format!(
                        "say what fills it below the policy: `{} = <field>`, from the event's {}",
                        unfilled[0],
                        if names.is_empty() {
                            "fields (it has none)".to_string()
                        } else {
                            names.join(", ")
                        }
                    )),
                );
                ok = false;
            }
            let (condition, values) = rules::policy(
                &mut models[at],
                &event_fields,
                condition,
                &sources,
                diagnostics,
            )?;
            if !ok {
                return None;
            }
            let mut values = values.into_iter();
            let fields: Vec<FieldFrom> = fields
                .into_iter()
                .zip(&params)
                .zip(&by_line)
                .filter_map(|((field, param), line)| match (field, line) {
                    (Some(field), _) => Some(field),
                    (None, Some(_)) => values.next().map(|expr| FieldFrom {
                        field: param.rust.clone(),
                        term: param.term.clone(),
                        spec: policy
                            .lines
                            .iter()
                            .find_map(|l| match l {
                                ast::PolicyLine::Source { field, from, .. }
                                    if field.text == param.term =>
                                {
                                    Some(rules::source_text(from))
                                }
                                _ => None,
                            })
                            .unwrap_or_default(),
                        expr,
                    }),
                    (None, None) => None,
                })
                .collect();
            let target_model = &models[target_at];
            (
                Then::Ask {
                    model: target_model.name.clone(),
                    module: target_model.module.clone(),
                    rust: target_model.rust.clone(),
                    command,
                    command_rust: target_model.commands[command].rust.clone(),
                    fields,
                },
                format!("{event_name}-then-{}", action.text),
                (condition, Vec::new()),
            )
        }
    };
    if !ok {
        return None;
    }
    let (only_if, _) = typed;
    let rust = names::snake(&name).ok()?;
    Some(ir::Policy {
        name,
        rust,
        event,
        then,
        only_if,
        strong: policy.strong.is_some(),
        from_now: policy.from_now.is_some(),
        docs: policy.docs.clone(),
        spec_line: line(policy),
        lines: policy
            .lines
            .iter()
            .map(|l| match l {
                ast::PolicyLine::Source { field, from, .. } => {
                    format!("{} = {}", field.text, rules::source_text(from))
                }
                ast::PolicyLine::OnlyIf { condition, .. } => {
                    format!("only if {}", rules::condition_text(condition))
                }
            })
            .collect(),
    })
}

/// A type that is one model's own (a choice, an entity, an event): it
/// cannot be handed to another model's command.
fn crosses(ty: &Type) -> bool {
    match ty {
        Type::Choice(_) | Type::Entity(_) | Type::Event(_) => true,
        Type::List(inner) | Type::Optional(inner) => crosses(inner),
        Type::Map(k, v) => crosses(k) || crosses(v),
        _ => false,
    }
}

/// The policy's line, in canonical form.
pub(crate) fn line(policy: &ast::Policy) -> String {
    let then = match &policy.then {
        ast::PolicyThen::Ask {
            action,
            model: Some(model),
        } => format!("{} in {}", action.text, model.text),
        ast::PolicyThen::Ask {
            action,
            model: None,
        } => action.text.clone(),
        ast::PolicyThen::Notify(function) => format!("notify by {}", function.text),
    };
    let mut line = format!("when {} then {then}", policy.event.text);
    if policy.strong.is_some() {
        line.push_str(", strong");
    }
    if policy.from_now.is_some() {
        line.push_str(", from now");
    }
    line
}

/// Policies that set each other off in a circle: an event's policy asks
/// an action whose event's policy asks … the first again. Unconditional
/// all the way round, it never ends: an error. With an `only if` on the
/// way, it may end: a warning.
fn circles(
    models: &[ir::Model],
    written: &[(usize, usize, Span, bool)],
    diagnostics: &mut Vec<Diagnostic>,
) {
    // Nodes are the written policies; an edge runs from a policy to each
    // policy of the event its command is accepted as.
    let successors: Vec<Vec<usize>> = written
        .iter()
        .map(|&(model, index, _, _)| {
            let Then::Ask {
                model: target,
                command,
                ..
            } = &models[model].policies[index].then
            else {
                return Vec::new();
            };
            let Some(target_at) = models.iter().position(|m| &m.name == target) else {
                return Vec::new();
            };
            let event = models[target_at].commands[*command].event;
            written
                .iter()
                .enumerate()
                .filter(|(_, &(m, i, _, _))| m == target_at && models[m].policies[i].event == event)
                .map(|(n, _)| n)
                .collect()
        })
        .collect();
    let mut reported = vec![false; written.len()];
    for start in 0..written.len() {
        if reported[start] {
            continue;
        }
        let Some(circle) = shortest_circle(&successors, start) else {
            continue;
        };
        for &n in &circle {
            reported[n] = true;
        }
        let name = |n: usize| {
            let (m, i, _, _) = written[n];
            models[m].policies[i].name.clone()
        };
        let round: Vec<String> = circle
            .iter()
            .chain(circle.first())
            .map(|&n| name(n))
            .collect();
        let ends = circle.iter().any(|&n| written[n].3);
        let (_, _, span, _) = written[start];
        let mut diagnostic = if ends {
            Diagnostic::warning(
                codes::POLICY_MAY_LOOP,
                format!(
                    "these policies may set each other off without end: {}",
                    round.join(" → ")
                ),
            )
            .at_labelled(span, "sets itself off again")
            .with_help("make sure an `only if` on the way stops the circle, or break it")
        } else {
            Diagnostic::error(
                codes::POLICY,
                format!(
                    "these policies set each other off without end: {}",
                    round.join(" → ")
                ),
            )
            .at_labelled(span, "sets itself off again")
            .with_help("break the circle, or give one of its policies an `only if` that stops it")
        };
        for &n in circle.iter().skip(1) {
            diagnostic = diagnostic.with_label(written[n].2, "on the way");
        }
        diagnostics.push(diagnostic);
    }
}

/// The shortest circle through `start`, as the nodes from it, if there is
/// one (a breadth-first search back to it).
fn shortest_circle(successors: &[Vec<usize>], start: usize) -> Option<Vec<usize>> {
    let mut came_from: Vec<Option<usize>> = vec![None; successors.len()];
    let mut queue = std::collections::VecDeque::from([start]);
    let mut seen = vec![false; successors.len()];
    while let Some(node) = queue.pop_front() {
        for &next in &successors[node] {
            if next == start {
                let mut path = vec![node];
                let mut at = node;
                while at != start {
                    at = came_from[at]?;
                    path.push(at);
                }
                path.reverse();
                return Some(path);
            }
            if !seen[next] {
                seen[next] = true;
                came_from[next] = Some(node);
                queue.push_back(next);
            }
        }
    }
    None
}
