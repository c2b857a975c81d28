//! Rules: what the spec says a model *does*. Constraints and defaults of
//! terms, the state esgen keeps (one store per entity), derived queries,
//! guards, where event fields come from, and effects — each name resolved
//! and each value typed, so that code generation only writes them out.
//!
//! A model with no rule line and no derived query is written by hand, as
//! before: this pass gives it constraints only. A model with rules gets a
//! state, and every piece the spec says enough about is generated; the
//! rest stays a method for the user to write.

use super::ir;
use crate::diagnostics::Diagnostic;
use crate::source::Span;
use crate::syntax::ast;

mod accounted;
mod actions;
mod cycles;
mod effects;
mod logic;
mod operands;
mod queries;
mod state;
mod terms;
mod text;

pub(super) use terms::literal;
pub(super) use text::definition_text;
pub(super) use text::{condition_text, source_text};

/// Runs every rule pass over a lowered model. Returns `false` when it
/// reported an error.
pub(super) fn apply(
    model: &ast::Model,
    lowered: &mut ir::Model,
    others: &[ir::Model],
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    let before = diagnostics.len();
    let mut pass = Pass {
        model: lowered,
        others,
        out: Vec::new(),
        lowered: Vec::new(),
    };
    pass.term_checks(model);
    let declared = model.actions.iter().any(|a| !a.clauses.is_empty())
        || model.queries.iter().any(|q| q.body.is_some());
    if declared {
        pass.stores(model);
        if pass.model.state.is_some() {
            pass.queries(model);
            pass.actions(model);
            pass.effects(model);
        }
    }
    // A rule line that no pass lowered, in a spec with no error to show
    // for it, would be dropped without a word: it is reported instead.
    if !crate::diagnostics::has_errors(diagnostics) && !pass.out.iter().any(|d| d.is_error()) {
        pass.account_for(model);
    }
    for diagnostic in &mut pass.out {
        diagnostic.message = articles(&diagnostic.message);
        diagnostic.label = diagnostic.label.as_deref().map(articles);
        diagnostic.help = diagnostic.help.as_deref().map(articles);
    }
    let failed = pass.out.iter().any(|d| d.is_error());
    diagnostics.append(&mut pass.out);
    !failed && !crate::diagnostics::has_errors(&diagnostics[before..])
}

/// The terms' constraints and defaults alone, reported nowhere (the
/// model's own lowering reports them): for a model lowered as far as it
/// declares, as other models see it.
pub(super) fn terms_only(model: &ast::Model, lowered: &mut ir::Model) {
    let mut pass = Pass {
        model: lowered,
        others: &[],
        out: Vec::new(),
        lowered: Vec::new(),
    };
    pass.term_checks(model);
}

/// A policy's condition and the values of its command's fields, typed
/// over its event's fields in the model the event is the model's. `None`
/// after reporting.
pub(super) fn policy(
    model: &mut ir::Model,
    event: &[ir::Field],
    condition: Option<&ast::Condition>,
    sources: &[(&ast::FieldSource, &ir::Field)],
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(Option<ir::Condition>, Vec<ir::Expr>)> {
    let mut pass = Pass {
        model,
        others: &[],
        out: Vec::new(),
        lowered: Vec::new(),
    };
    let scope = Scope::Policy(event);
    if let Some(found) = condition.and_then(|c| logic::check(c, true)) {
        pass.out.push(found);
    }
    let condition = condition.map(|c| pass.condition(c, scope));
    let values: Vec<Result<ir::Expr, ()>> = sources
        .iter()
        .map(|(source, field)| match source {
            ast::FieldSource::Operand(_) => pass.source(source, field, scope),
            ast::FieldSource::Sum(sum) => {
                pass.out.push(operands::computed_in_policy(sum.span()));
                Err(())
            }
            ast::FieldSource::IdsOf(_, span) => {
                pass.out.push(operands::computed_in_policy(*span));
                Err(())
            }
        })
        .collect();
    let failed = pass.out.iter().any(Diagnostic::is_error);
    for diagnostic in &mut pass.out {
        diagnostic.message = articles(&diagnostic.message);
        diagnostic.label = diagnostic.label.as_deref().map(articles);
        diagnostic.help = diagnostic.help.as_deref().map(articles);
    }
    diagnostics.append(&mut pass.out);
    let condition = condition.transpose().ok()?;
    let values = values.into_iter().collect::<Result<Vec<_>, ()>>().ok()?;
    (!failed).then_some((condition, values))
}

struct Pass<'m> {
    model: &'m mut ir::Model,
    /// The spec's other models, their rules aside: what `in <Model>` asks.
    others: &'m [ir::Model],
    out: Vec<Diagnostic>,
    /// Where each rule line and definition that made it into the model
    /// is: what `accounted.rs` checks every rule line against.
    lowered: Vec<Span>,
}

/// What bare names in a rule mean.
#[derive(Clone, Copy)]
enum Scope<'s> {
    /// A guard or source: the command's parameters.
    Command(&'s [ir::Field]),
    /// An effect: the event's fields.
    Event(&'s [ir::Field]),
    /// A derived query's condition: the query's parameters and the fields
    /// of the entity it looks at.
    Query(&'s [ir::Field], &'s ir::Entity),
    /// A policy's condition or command field: its event's fields, and
    /// nothing else (a policy runs after the fact, when the state may
    /// have moved on).
    Policy(&'s [ir::Field]),
}

impl Scope<'_> {
    fn inputs(&self) -> &[ir::Field] {
        match self {
            Scope::Command(fields)
            | Scope::Event(fields)
            | Scope::Query(fields, _)
            | Scope::Policy(fields) => fields,
        }
    }

    fn what(&self) -> &'static str {
        match self {
            Scope::Command(_) => "a parameter of the command",
            Scope::Event(_) | Scope::Policy(_) => "a field of the event",
            Scope::Query(..) => "a parameter of the query or a field of the entity",
        }
    }
}

fn err(code: &'static str, message: impl Into<String>, span: Span, label: &str) -> Diagnostic {
    Diagnostic::error(code, message).at_labelled(span, label.to_string())
}

impl Pass<'_> {
    fn term(&self, name: &str) -> Option<&ir::Term> {
        self.model.terms.iter().find(|t| t.name == name)
    }
}

/// "a `integer`" made "an `integer`": the messages above name types and
/// entities as written, after "a".
pub(super) fn articles(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("a `") {
        let (before, after) = rest.split_at(at);
        out.push_str(before);
        let word_start = before.is_empty() || before.ends_with([' ', '(']);
        let next = after[3..].to_ascii_lowercase();
        let vowel = next.starts_with(['a', 'e', 'i', 'o']) && !next.starts_with("one");
        out.push_str(if word_start && vowel { "an `" } else { "a `" });
        rest = &after[3..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn articles_agree_with_the_word_after_them() {
        assert_eq!(
            super::articles("a `integer`, a `text`, a `Appointment`, a `one of [x]`, data `x`"),
            "an `integer`, a `text`, an `Appointment`, a `one of [x]`, data `x`"
        );
    }
}
