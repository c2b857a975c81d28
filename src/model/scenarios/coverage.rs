//! What the scenarios show: for each, the action it runs and the guard it
//! shows rejecting; for the model, a warning for each action no scenario
//! runs and each guard no scenario shows rejecting — only in models that
//! have scenarios, so that a model without examples is not nagged.

use super::Pass;
use crate::diagnostics::{codes, Diagnostic};
use crate::model::ir::{self, MessagePart};
use crate::syntax::ast;

impl Pass<'_> {
    /// The rule ids a scenario shows: its action's name, and the guard
    /// its rejection comes from when that can be told from the spec (the
    /// rule it names, else the guard whose message it quotes, else the
    /// only guard of its kind, else the action's only guard).
    pub(super) fn covers(&self, when: &ir::Fact, then: &ir::Outcome) -> Vec<String> {
        let command = &self.model.commands[when.index];
        let mut covers = vec![command.name.clone()];
        let ir::Outcome::Rejected {
            rule,
            kind,
            message,
        } = then
        else {
            return covers;
        };
        let guards = &command.guards;
        let by_rule = rule
            .as_ref()
            .and_then(|rule| guards.iter().find(|g| g.rule == *rule));
        let by_message = || {
            let message = message.as_deref()?;
            guards.iter().find(|g| matches(&g.message, message))
        };
        let by_kind = || {
            let kind = (*kind)?;
            let mut of_kind = guards.iter().filter(|g| g.kind == kind);
            let only = of_kind.next()?;
            of_kind.next().is_none().then_some(only)
        };
        let only = || match guards.as_slice() {
            [only] => Some(only),
            _ => None,
        };
        let guard = if rule.is_some() {
            by_rule
        } else {
            by_message().or_else(by_kind).or_else(only)
        };
        if let Some(guard) = guard {
            covers.push(guard.rule.clone());
        } else if let Some(rule) = rule {
            covers.push(rule.clone());
        }
        covers
    }

    /// A warning for each action no scenario runs and each guard no
    /// scenario shows rejecting, when the model has scenarios.
    pub(super) fn coverage(&mut self, model: &ast::Model) {
        // A scenario with an error may be the one that covers a rule.
        if model.scenarios.is_empty() || self.out.iter().any(Diagnostic::is_error) {
            return;
        }
        let covered: Vec<&str> = self
            .model
            .scenarios
            .iter()
            .flat_map(|s| s.covers.iter().map(String::as_str))
            .collect();
        let mut warnings = Vec::new();
        for (command, action) in self.model.commands.iter().zip(&model.actions) {
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
        self.out.extend(warnings);
    }
}

/// Whether `message` is what a guard's message gives for some values of
/// its placeholders.
fn matches(parts: &[MessagePart], message: &str) -> bool {
    match parts.split_first() {
        None => message.is_empty(),
        Some((MessagePart::Text(text), rest)) => message
            .strip_prefix(text.as_str())
            .is_some_and(|after| matches(rest, after)),
        Some((MessagePart::Param(_), rest)) => message
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
