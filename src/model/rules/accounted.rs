//! The last word on rules: every rule line of an action and every query
//! definition either made it into the model or was reported. The passes
//! before this one record what they lowered (`Pass::lowered`); a line they
//! neither lowered nor reported would be a rule the generated crate does
//! not enforce, with `esgen check` saying yes. It is reported here, as an
//! error, so that a check never passes over a rule it dropped.

use super::{err, Pass};
use crate::diagnostics::codes;
use crate::source::Span;
use crate::syntax::ast;

impl Pass<'_> {
    /// Reports every rule line of `model` that no pass lowered. Called only
    /// when nothing was reported: a line a pass could not lower comes with
    /// its own error, which stops the build anyway.
    pub(super) fn account_for(&mut self, model: &ast::Model) {
        let mut dropped: Vec<(Span, &'static str)> = Vec::new();
        for action in &model.actions {
            for clause in &action.clauses {
                let (span, what) = match clause {
                    ast::Clause::Guard { span, .. } => (*span, "guard"),
                    ast::Clause::Source { span, .. } => (*span, "source of an event field"),
                    ast::Clause::Effect(effect) => (effect.span, "effect"),
                };
                if !self.lowered.contains(&span) {
                    dropped.push((span, what));
                }
            }
        }
        for query in &model.queries {
            if query.body.is_some() && !self.lowered.contains(&query.span) {
                dropped.push((query.span, "query definition"));
            }
        }
        for (span, what) in dropped {
            self.out.push(
                err(
                    codes::RULE_NOT_LOWERED,
                    format!("esgen could not generate this {what}"),
                    span,
                    "not enforced by the generated code",
                )
                .with_help(
                    "this is a fault in esgen, not in your spec: please report it with this spec. Until it is fixed, write this rule as a method by hand (leave the line out)",
                ),
            );
        }
    }
}
