//! What the scenarios show: for each, the action it runs and the guard it
//! shows rejecting; for the model, a warning for each action no scenario
//! runs and each guard no scenario shows rejecting — only in models that
//! have scenarios, so that a model without examples is not nagged.

use super::Pass;
use crate::diagnostics::{codes, Diagnostic};
use crate::model::ir::{self, MessagePart, RejectionKind};
use crate::syntax::ast;

impl Pass<'_> {
    /// The rule ids a scenario shows: its action's name, and the rule its
    /// rejection comes from when that can be told from the spec alone
    /// ([`rejected_by`]).
    pub(super) fn covers(&self, when: &ir::Fact, then: &ir::Outcome) -> Vec<String> {
        let command = &self.model.commands[when.index];
        let mut covers = vec![command.name.clone()];
        covers.extend(rejected_by(self.model, command, then));
        covers
    }

    /// A warning for each action no scenario runs and each guard no
    /// scenario shows rejecting, when the model has scenarios.
    pub(super) fn coverage(&mut self, model: &ast::Model) {
        // A scenario with an error may be the one that covers a rule.
        // Scenarios of what happens next show no action or guard: a model
        // with those alone is not held to show them all.
        if model.scenarios.iter().all(super::happens) || self.out.iter().any(Diagnostic::is_error) {
            return;
        }
        let warnings = untested(model, self.model);
        self.out.extend(warnings);
    }
}

/// The rule a scenario's rejection comes from, when the spec alone tells
/// it: the rule the scenario names; else the one guard whose message it
/// quotes (of the kind it names, if it names one); else, when it quotes no
/// message, the one guard of the kind it names (or the action's only
/// guard, when it names no kind), provided nothing but a guard rejects the
/// command with that kind (constraints and ranges reject as `invalid`, a
/// source reading an entity as `not-found`). `None` when the command is
/// accepted, or when more than one rule could have rejected it.
fn rejected_by(model: &ir::Model, command: &ir::Command, then: &ir::Outcome) -> Option<String> {
    let ir::Outcome::Rejected {
        rule,
        kind,
        message,
    } = then
    else {
        return None;
    };
    if let Some(rule) = rule {
        return Some(rule.clone());
    }
    let mut candidates = command
        .guards
        .iter()
        .filter(|g| kind.is_none_or(|kind| g.kind == kind))
        .filter(|g| {
            message
                .as_deref()
                .is_none_or(|message| matches(&g.message, message))
        });
    let guard = candidates.next()?;
    if candidates.next().is_some() {
        return None;
    }
    if message.is_none() {
        let others = other_rejections(model, command);
        let ambiguous = match kind {
            Some(kind) => others.contains(kind),
            None => !others.is_empty(),
        };
        if ambiguous {
            return None;
        }
    }
    Some(guard.rule.clone())
}

/// The kinds with which a command is rejected by something other than its
/// guards: `invalid` when a parameter has constraints or its event
/// increases or decreases a field (whose range it must keep), `not-found`
/// when a field of its event is read from an entity.
fn other_rejections(model: &ir::Model, command: &ir::Command) -> Vec<RejectionKind> {
    let mut kinds = Vec::new();
    let ranges = model.events[command.event]
        .effects
        .iter()
        .flatten()
        .any(|effect| matches!(effect, ir::Effect::Changes { .. }));
    if ranges || command.params.iter().any(|p| !p.checks.is_empty()) {
        kinds.push(RejectionKind::Invalid);
    }
    let reads_entity = command
        .proposing
        .iter()
        .flatten()
        .any(|from| matches!(from.expr, ir::Expr::FieldOf { .. }));
    if reads_entity {
        kinds.push(RejectionKind::NotFound);
    }
    kinds
}

/// The warnings `W0003` of a model that has scenarios: each action no
/// scenario runs, and each guard of the others that no scenario shows
/// rejecting (by the scenarios' `covers`).
pub(super) fn untested(model: &ast::Model, lowered: &ir::Model) -> Vec<Diagnostic> {
    let covered: Vec<&str> = lowered
        .scenarios
        .iter()
        .flat_map(|s| s.covers.iter().map(String::as_str))
        .collect();
    let mut warnings = Vec::new();
    for (command, action) in lowered.commands.iter().zip(&model.actions) {
        if !covered.contains(&command.name.as_str()) {
            warnings.push(
                Diagnostic::warning(
                    codes::UNTESTED,
                    format!("no scenario runs `{}`", command.name),
                )
                .at_labelled(action.command.span, "no example of this action")
                .with_help(format!(
                    "add a scenario under `Scenarios:`: a title, then `when {} [...]` and `then …`",
                    command.name
                )),
            );
            continue;
        }
        let guard_lines = action.clauses.iter().filter_map(|clause| match clause {
            ast::Clause::Guard { span, .. } => Some(*span),
            _ => None,
        });
        for (guard, span) in command.guards.iter().zip(guard_lines) {
            if covered.contains(&guard.rule.as_str()) {
                continue;
            }
            let short = guard.rule.split_once('/').map_or("", |(_, r)| r);
            warnings.push(
                Diagnostic::warning(
                    codes::UNTESTED,
                    format!("no scenario shows `{}` rejecting", guard.rule),
                )
                .at_labelled(span, "no example of this rule")
                .with_help(format!(
                    "add a scenario whose `when {}` breaks it, ending `then rejected by {short}` or quoting its message",
                    command.name
                )),
            );
        }
    }
    warnings
}

/// Whether `message` is what a guard's message gives for some values of
/// its placeholders.
fn matches(parts: &[MessagePart], message: &str) -> bool {
    match parts.split_first() {
        None => message.is_empty(),
        Some((MessagePart::Text(text), rest)) => message
            .strip_prefix(text.as_str())
            .is_some_and(|after| matches(rest, after)),
        Some((MessagePart::Param(_) | MessagePart::Field(_), rest)) => message
            .char_indices()
            .map(|(i, _)| i)
            .chain([message.len()])
            .any(|i| matches(rest, &message[i..])),
    }
}

#[cfg(test)]
mod tests {
    use super::matches;
    use crate::model::ir::MessagePart::{Param, Text};

    #[test]
    fn messages_match_their_template() {
        let parts = [
            Text("doctor ".into()),
            Param("doctor_id".into()),
            Text(" is fully booked".into()),
        ];
        assert!(matches(&parts, "doctor d1 is fully booked"));
        assert!(matches(&parts, "doctor  is fully booked"));
        assert!(!matches(&parts, "doctor d1 is busy"));
        assert!(!matches(&parts, "the doctor d1 is fully booked"));
        assert!(matches(&[Param("a".into()), Param("b".into())], "xé"));
    }
}
