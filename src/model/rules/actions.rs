//! Guards, their messages, and where each event field comes from.

use super::text::{condition_text, source_text};
use super::{err, Pass, Scope};
use crate::diagnostics::{codes, did_you_mean};
use crate::model::ir::{
    self, Condition, Derived, Expr, FieldFrom, Guard, Literal, MessagePart, RejectionKind, Type,
};
use crate::model::names;
use crate::source::Span;
use crate::syntax::ast;

impl Pass<'_> {
    pub(super) fn actions(&mut self, model: &ast::Model) {
        for action in &model.actions {
            let Some(index) = self
                .model
                .commands
                .iter()
                .position(|c| c.name == action.command.text)
            else {
                continue;
            };
            let params = self.model.commands[index].params.clone();
            let scope = Scope::Command(&params);
            let mut guards = Vec::new();
            let mut sources: Vec<(&ast::Ident, &ast::FieldSource, Span)> = Vec::new();
            for clause in &action.clauses {
                match clause {
                    ast::Clause::Guard {
                        unless,
                        condition,
                        message,
                        message_span,
                        span,
                    } => {
                        let Ok(resolved) = self.condition(condition, scope) else {
                            continue;
                        };
                        if let Some(found) = super::logic::check(condition, !*unless) {
                            self.out.push(found);
                            continue;
                        }
                        let Some(parts) = self.message(message, *message_span, &params) else {
                            continue;
                        };
                        let kind = guard_kind(*unless, &resolved, &self.model.queries);
                        let slug = slug(&action.command.text, *unless, condition);
                        let mut rule = slug.clone();
                        let mut n = 2;
                        while guards.iter().any(|g: &Guard| g.rule == rule) {
                            rule = format!("{slug}-{n}");
                            n += 1;
                        }
                        self.lowered.push(*span);
                        guards.push(Guard {
                            rule,
                            unless: *unless,
                            condition: resolved,
                            message: parts,
                            kind,
                            spec_line: format!(
                                "rejected {} {}: {message:?}",
                                if *unless { "unless" } else { "if" },
                                condition_text(condition)
                            ),
                        });
                    }
                    ast::Clause::Source { field, from, span } => sources.push((field, from, *span)),
                    ast::Clause::Effect(_) => {}
                }
            }
            let has_rules = action
                .clauses
                .iter()
                .any(|c| !matches!(c, ast::Clause::Effect(_)));
            let event = self.model.events[self.model.commands[index].event].clone();
            let mut from = Vec::new();
            let mut complete = true;
            for (field, _, span) in &sources {
                if !event.fields.iter().any(|f| f.term == field.text) {
                    let names: Vec<&str> = event.fields.iter().map(|f| f.term.as_str()).collect();
                    let help = match did_you_mean(&field.text, names.iter().copied()) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => format!("the event `{}` has: {}", event.name, names.join(", ")),
                    };
                    let _ = span;
                    self.out.push(
                        err(
                            codes::UNKNOWN_IN_RULE,
                            format!("the event `{}` has no field `{}`", event.name, field.text),
                            field.span,
                            "not a field of the event",
                        )
                        .with_help(help),
                    );
                }
            }
            for field in &event.fields {
                if let Some((_, source, span)) = sources.iter().find(|(f, ..)| f.text == field.term)
                {
                    match self.source(source, field, scope) {
                        Ok(expr) => {
                            self.lowered.push(*span);
                            from.push(FieldFrom {
                                field: field.rust.clone(),
                                term: field.term.clone(),
                                expr,
                                spec: source_text(source),
                            });
                        }
                        Err(()) => complete = false,
                    }
                    continue;
                }
                if let Some(param) = params.iter().find(|p| p.term == field.term) {
                    from.push(FieldFrom {
                        field: field.rust.clone(),
                        term: field.term.clone(),
                        expr: Expr::Input {
                            rust: param.rust.clone(),
                            ty: param.ty.clone(),
                        },
                        spec: format!("the command's `{}`", param.term),
                    });
                    continue;
                }
                if let Some(value) = self.term(&field.term).and_then(|t| t.default.clone()) {
                    from.push(FieldFrom {
                        field: field.rust.clone(),
                        term: field.term.clone(),
                        spec: format!("default {}", value.spec()),
                        expr: Expr::Literal {
                            value,
                            ty: field.ty.clone(),
                        },
                    });
                    continue;
                }
                if matches!(field.ty, Type::Optional(_)) {
                    from.push(FieldFrom {
                        field: field.rust.clone(),
                        term: field.term.clone(),
                        spec: "nothing (optional)".into(),
                        expr: Expr::Literal {
                            value: Literal::Nothing,
                            ty: field.ty.clone(),
                        },
                    });
                    continue;
                }
                complete = false;
                if has_rules {
                    self.out.push(
                        err(
                            codes::NO_SOURCE,
                            format!(
                                "the event field `{}` of `{}` has no source",
                                field.term, event.name
                            ),
                            action
                                .fields
                                .iter()
                                .find(|f| f.text == field.term)
                                .map_or(action.event.span, |f| f.span),
                            &format!("`{}` does not carry `{}`", action.command.text, field.term),
                        )
                        .with_help(format!(
                            "add it to the command's brackets, give the term a default (`- {}: {}, default …`), or say where it comes from on a line under the action: `{} = …`",
                            field.term,
                            field.ty.spec(),
                            field.term
                        )),
                    );
                }
            }
            let command = &mut self.model.commands[index];
            command.guards = guards;
            if complete {
                command.proposing = Some(from);
            }
        }
    }

    /// `{term}` placeholders of a guard's message.
    pub(super) fn message(
        &mut self,
        message: &str,
        span: Span,
        params: &[ir::Field],
    ) -> Option<Vec<MessagePart>> {
        let mut parts = Vec::new();
        let mut rest = message;
        let mut ok = true;
        while let Some(open) = rest.find('{') {
            let at = message.len() - rest.len() + open;
            if open > 0 {
                parts.push(MessagePart::Text(rest[..open].to_string()));
            }
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                parts.push(MessagePart::Text(rest[open..].to_string()));
                rest = "";
                break;
            };
            let name = &after[..close];
            match params.iter().find(|p| p.term == name) {
                Some(param) if param.ty.is_displayable() => {
                    parts.push(MessagePart::Param(param.rust.clone()));
                }
                found => {
                    ok = false;
                    let names: Vec<&str> = params
                        .iter()
                        .filter(|p| p.ty.is_displayable())
                        .map(|p| p.term.as_str())
                        .collect();
                    let (text, label, help) = match found {
                        Some(p) => (
                            format!("`{{{name}}}` is a `{}`, which a message cannot show", p.ty.spec()),
                            "cannot be shown",
                            "show a parameter that is text, a number, an identity, a date or a choice".to_string(),
                        ),
                        None => (
                            format!("`{{{name}}}` is not a parameter of the command"),
                            "not a parameter",
                            match did_you_mean(name, names.iter().copied()) {
                                Some(close) => format!("did you mean `{{{close}}}`?"),
                                None if names.is_empty() => "this command has no parameter to show".to_string(),
                                None => format!("a message can show: {}", names.iter().map(|n| format!("{{{n}}}")).collect::<Vec<_>>().join(", ")),
                            },
                        ),
                    };
                    self.out.push(
                        err(
                            codes::BAD_PLACEHOLDER,
                            text,
                            placeholder_span(message, span, at, at + close + 2),
                            label,
                        )
                        .with_help(help),
                    );
                }
            }
            rest = &after[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(MessagePart::Text(rest.to_string()));
        }
        ok.then_some(parts)
    }

    pub(super) fn source(
        &mut self,
        source: &ast::FieldSource,
        field: &ir::Field,
        scope: Scope<'_>,
    ) -> Result<Expr, ()> {
        let expr = match source {
            ast::FieldSource::Operand(operand) => {
                self.operand(operand, scope, Some(&field.ty), false)?
            }
            ast::FieldSource::Sum(sum) => self.sum(sum, scope, Some(&field.ty))?,
            ast::FieldSource::IdsOf(of, span) => {
                let list = match of {
                    ast::Operand::Value(ast::Value::Word(query))
                        if self.model.queries.iter().any(|q| q.name == query.text) =>
                    {
                        self.call(query, &[], scope, query.span)?
                    }
                    ast::Operand::Value(ast::Value::Word(plural)) => {
                        let store = self.store_by_plural(plural).ok_or(())?;
                        Expr::All {
                            store,
                            ty: Type::List(Box::new(Type::Entity(
                                self.model.store_entity(store).rust.clone(),
                            ))),
                        }
                    }
                    other => self.operand(other, scope, None, false)?,
                };
                let entity = match list.ty() {
                    Type::List(inner) => match &**inner {
                        Type::Entity(rust) => self
                            .model
                            .entities
                            .iter()
                            .find(|e| e.rust == *rust)
                            .cloned(),
                        _ => None,
                    },
                    _ => None,
                };
                let Some(entity) = entity else {
                    self.out.push(
                        err(
                            codes::WRONG_VALUE_TYPE,
                            format!("`ids of` needs a list of entities, not a `{}`", list.ty().spec()),
                            *span,
                            "not a list of entities",
                        )
                        .with_help("name a query that returns entities, or their plural: `ids of done-todos`, `ids of todos`"),
                    );
                    return Err(());
                };
                // An entity without fields was reported already.
                let Some(key) = entity.fields.first() else {
                    return Err(());
                };
                Expr::IdsOf {
                    of: Box::new(list),
                    key: key.rust.clone(),
                    ty: Type::List(Box::new(key.ty.clone())),
                }
            }
        };
        if *expr.ty() != field.ty
            && !matches!(
                expr,
                Expr::Literal {
                    value: Literal::Nothing,
                    ..
                }
            )
        {
            let span = match source {
                ast::FieldSource::Operand(o) => o.span(),
                ast::FieldSource::IdsOf(_, span) => *span,
                ast::FieldSource::Sum(sum) => sum.span(),
            };
            self.out.push(
                err(
                    codes::WRONG_VALUE_TYPE,
                    format!(
                        "`{}` is a `{}`, but this gives a `{}`",
                        field.term,
                        field.ty.spec(),
                        expr.ty().spec()
                    ),
                    span,
                    "wrong type",
                )
                .with_help(format!(
                    "give `{}` a `{}`",
                    field.term,
                    field.ty.spec()
                )),
            );
            return Err(());
        }
        Ok(expr)
    }
}

/// The kind of a guard's rejection: `unless has-x?` is not found, `if
/// has-x?` a conflict, anything else a refusal.
fn guard_kind(unless: bool, condition: &Condition, queries: &[ir::Query]) -> RejectionKind {
    // Another model's `has-x?` (its method `has_x`) says the same.
    if let Condition::Holds {
        expr: Expr::Asked { method, .. },
    } = condition
    {
        if method.starts_with("has_") {
            return if unless {
                RejectionKind::NotFound
            } else {
                RejectionKind::Conflict
            };
        }
    }
    if let Condition::Holds {
        expr: Expr::Call { method, .. },
    } = condition
    {
        let existence = queries.iter().any(|q| {
            q.method == *method
                && (matches!(q.derived, Some(Derived::Has { .. }))
                    || names::kebab(&q.name).starts_with("has-"))
        });
        if existence {
            return if unless {
                RejectionKind::NotFound
            } else {
                RejectionKind::Conflict
            };
        }
    }
    RejectionKind::Refused
}

/// A guard's rule identifier: `<action>/<if|unless>-<words>`.
fn slug(action: &str, unless: bool, condition: &ast::Condition) -> String {
    let text = condition_text(condition);
    let mut words = Vec::new();
    let mut depth = 0;
    for word in text.split_whitespace() {
        if word.starts_with('[') {
            depth += 1;
        }
        // A computed side's operators, as words.
        let operator = match word.trim_matches(['(', ')']) {
            "+" => Some("plus"),
            "-" => Some("minus"),
            "*" | "×" => Some("times"),
            "/" | "÷" => Some("over"),
            _ => None,
        };
        if let (0, Some(operator)) = (depth, operator) {
            words.push(operator.to_string());
        } else if depth == 0 {
            let clean: String = word
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect::<String>()
                .to_ascii_lowercase();
            if !clean.is_empty() {
                words.push(clean);
            }
        }
        if word.ends_with(']') {
            depth = 0_i32.max(depth - 1);
        }
    }
    format!(
        "{action}/{}-{}",
        if unless { "unless" } else { "if" },
        words.join("-")
    )
}

/// Where the bytes `start..end` of a guard's message (as unescaped) are in
/// the spec, the message being written at `span` with its quotes. The
/// characters `"` and `\` are written escaped; when nothing else is (the
/// written message is as long as that makes it), each byte's place is
/// known, and otherwise the whole message is the place.
fn placeholder_span(message: &str, span: Span, start: usize, end: usize) -> Span {
    let escaped = |upto: &str| upto.bytes().filter(|b| matches!(b, b'"' | b'\\')).count();
    if span.end - span.start != message.len() + escaped(message) + 2 {
        return span;
    }
    let at = |i: usize| span.start + 1 + i + escaped(&message[..i]);
    Span::new(at(start), at(end))
}

#[cfg(test)]
mod tests {
    use super::placeholder_span;
    use crate::source::Span;

    #[test]
    fn a_placeholder_is_found_in_the_message_as_written() {
        // `"say \"hi\" to {who}"` written from byte 10: `{who}` is at 26..31.
        let message = r#"say "hi" to {who}"#;
        let written = r#""say \"hi\" to {who}""#;
        let span = Span::new(10, 10 + written.len());
        let start = message.find('{').unwrap();
        assert_eq!(
            placeholder_span(message, span, start, message.len()),
            Span::new(10 + written.find('{').unwrap(), 10 + written.len() - 1)
        );
        // `\{who}` escapes a character that needs none: the place of each
        // byte is not known, so the whole message is the place.
        let written = r#""say \{who}""#;
        let message = "say {who}";
        let span = Span::new(0, written.len());
        assert_eq!(placeholder_span(message, span, 4, 9), span);
    }
}
