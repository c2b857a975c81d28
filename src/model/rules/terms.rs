//! Constraints, defaults and the typed values written in a spec.

use super::{err, Pass};
use crate::diagnostics::{codes, did_you_mean, Diagnostic};
use crate::model::calendar::{date, timestamp};
use crate::model::ir::{self, Check, Literal, Origin, Type};
use crate::source::Span;
use crate::syntax::ast;
use std::collections::HashMap;

impl Pass<'_> {
    /// `moves a -> b, …` on a choice term: each value one of its own,
    /// recorded on the choice.
    fn lifecycle(&mut self, term: &str, ty: &Type, edges: &[(ast::Ident, ast::Ident)], span: Span) {
        let Some(at) = self.model.choices.iter().position(|c| c.term == term) else {
            self.out.push(
                err(
                    codes::CONSTRAINT_MISFIT,
                    format!("`moves` is a lifecycle of a choice, and `{term}` is a `{}`", ty.spec()),
                    span,
                    "not a choice",
                )
                .with_help("declare the term as a choice with its values, `one of [a b c]`, then its moves"),
            );
            return;
        };
        let values: Vec<String> = self.model.choices[at]
            .values
            .iter()
            .map(|(w, _)| w.clone())
            .collect();
        let mut moves = Vec::new();
        for (from, to) in edges {
            for state in [from, to] {
                if !values.contains(&state.text) {
                    let help = match crate::diagnostics::did_you_mean(
                        &state.text,
                        values.iter().map(String::as_str),
                    ) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => format!("`{term}` is one of: {}", values.join(", ")),
                    };
                    self.out.push(
                        err(
                            codes::NOT_IN_CHOICE,
                            format!("`{}` is not a value of `{term}`", state.text),
                            state.span,
                            "not one of its values",
                        )
                        .with_help(help),
                    );
                    return;
                }
            }
            let edge = (from.text.clone(), to.text.clone());
            if !moves.contains(&edge) {
                moves.push(edge);
            }
        }
        self.model.choices[at].moves = moves;
    }

    /// Constraints and defaults: checked against each term's type; terms
    /// typed by convention (`new-text`) take their base term's; every
    /// field gets its term's.
    pub(super) fn term_checks(&mut self, model: &ast::Model) {
        type Said = Vec<(String, String)>;
        type Found = (Vec<Check>, Option<Literal>, Said);
        let mut found: HashMap<String, Found> = HashMap::new();
        for term in &model.terms {
            if found.contains_key(&term.name.text) {
                continue;
            }
            let Some(ty) = self.term(&term.name.text).map(|t| t.ty.clone()) else {
                continue;
            };
            let mut checks = Vec::new();
            let mut default = None;
            let mut said = Vec::new();
            for constraint in &term.constraints {
                match &constraint.kind {
                    ast::ConstraintKind::Moves(edges) => {
                        self.lifecycle(&term.name.text, &ty, edges, constraint.span);
                    }
                    ast::ConstraintKind::Default(value) => {
                        default = self.literal(value, &ty);
                        if let Some((_, span)) = &constraint.said {
                            self.out.push(
                                err(
                                    codes::CONSTRAINT_MISFIT,
                                    "a default refuses nothing: it has no message",
                                    *span,
                                    "said of a default",
                                )
                                .with_help("put the message after the constraint a command may break: `not blank: \"…\"`"),
                            );
                        }
                    }
                    kind => {
                        if let Some(check) = self.check(kind, &ty, constraint.span) {
                            if let Some((message, _)) = &constraint.said {
                                said.push((check.id().to_string(), message.clone()));
                            }
                            checks.push(check);
                        }
                    }
                }
            }
            found.insert(term.name.text.clone(), (checks, default, said));
        }
        for term in &mut self.model.terms {
            let mut own = found.get(&term.name).cloned();
            if own.is_none() {
                if let Origin::Convention(why) = &term.origin {
                    // `has the type of `base``: the base term's rules too.
                    if let Some(base) = why
                        .strip_prefix("has the type of `")
                        .and_then(|b| b.strip_suffix('`'))
                    {
                        own = found.get(base).cloned();
                    }
                }
            }
            let (mut checks, default, said) = own.unwrap_or_default();
            if finite_needed(&term.ty) {
                checks.push(Check::Finite);
            }
            term.checks = checks;
            term.default = default;
            term.said = said;
        }
        let by_term: HashMap<String, (Vec<Check>, Said)> = self
            .model
            .terms
            .iter()
            .map(|t| (t.name.clone(), (t.checks.clone(), t.said.clone())))
            .collect();
        let fill = |fields: &mut Vec<ir::Field>| {
            for field in fields {
                let (checks, said) = by_term.get(&field.term).cloned().unwrap_or_default();
                field.checks = checks;
                field.said = said;
            }
        };
        for command in &mut self.model.commands {
            fill(&mut command.params);
        }
        for choice in &mut self.model.choices {
            if let Some(Literal::Choice(_, variant, _)) = self
                .model
                .terms
                .iter()
                .find(|t| t.name == choice.term)
                .and_then(|t| t.default.as_ref())
            {
                choice.default = choice.values.iter().position(|(_, v)| v == variant);
            }
        }
    }

    pub(super) fn check(
        &mut self,
        kind: &ast::ConstraintKind,
        ty: &Type,
        span: Span,
    ) -> Option<Check> {
        // An optional value is checked when it is there.
        let ty = match ty {
            Type::Optional(inner) => &**inner,
            other => other,
        };
        let misfit = |this: &mut Self, what: &str, fits: &str| {
            this.out.push(
                err(
                    codes::CONSTRAINT_MISFIT,
                    format!("`{what}` does not fit a term of type `{}`", ty.spec()),
                    span,
                    "this constraint",
                )
                .with_help(format!(
                    "`{what}` is for {fits}; remove it or change the term's type"
                )),
            );
            None
        };
        let count = |this: &mut Self, n: &ast::Number| -> Option<u64> {
            match n.text.parse::<u64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    this.out.push(
                        err(
                            codes::CONSTRAINT_MISFIT,
                            format!("`{}` is not a number of characters", n.text),
                            n.span,
                            "a whole number, 0 or more",
                        )
                        .with_help("write a whole number, e.g. `at most 80 characters`"),
                    );
                    None
                }
            }
        };
        match kind {
            ast::ConstraintKind::Moves(_) => None,
            ast::ConstraintKind::NotBlank if *ty == Type::Text => Some(Check::NotBlank),
            ast::ConstraintKind::NotBlank => misfit(self, "not blank", "text"),
            ast::ConstraintKind::MaxChars(n) if *ty == Type::Text => {
                count(self, n).map(|n| Check::MaxChars { n })
            }
            ast::ConstraintKind::MinChars(n) if *ty == Type::Text => {
                count(self, n).map(|n| Check::MinChars { n })
            }
            ast::ConstraintKind::MaxChars(_) => misfit(self, "at most … characters", "text"),
            ast::ConstraintKind::MinChars(_) => misfit(self, "at least … characters", "text"),
            ast::ConstraintKind::AtLeast(n) | ast::ConstraintKind::AtMost(n) if ty.is_numeric() => {
                let n = self.number(n, ty)?;
                Some(if matches!(kind, ast::ConstraintKind::AtLeast(_)) {
                    Check::AtLeast { n }
                } else {
                    Check::AtMost { n }
                })
            }
            ast::ConstraintKind::Between(low, high) if ty.is_numeric() => {
                let bounds = (low.text.parse::<f64>(), high.text.parse::<f64>());
                if let (Ok(l), Ok(h)) = bounds {
                    if l > h {
                        self.out.push(
                            err(
                                codes::CONSTRAINT_MISFIT,
                                format!("no value is between {} and {}", low.text, high.text),
                                span,
                                "the bounds are the wrong way round",
                            )
                            .with_help(format!("write `between {} and {}`", high.text, low.text)),
                        );
                        return None;
                    }
                }
                let low = self.number(low, ty)?;
                let high = self.number(high, ty)?;
                Some(Check::Between { low, high })
            }
            ast::ConstraintKind::AtLeast(_) => {
                misfit(self, "at least …", "`integer`, `number` and `decimal`")
            }
            ast::ConstraintKind::AtMost(_) => {
                misfit(self, "at most …", "`integer`, `number` and `decimal`")
            }
            ast::ConstraintKind::Between(..) => {
                misfit(self, "between …", "`integer`, `number` and `decimal`")
            }
            ast::ConstraintKind::Default(_) => None,
        }
    }

    pub(super) fn number(&mut self, n: &ast::Number, ty: &Type) -> Option<Literal> {
        self.literal(&ast::Value::Number(n.clone()), ty)
    }

    /// A value written in the spec, as a value of `ty`.
    pub(super) fn literal(&mut self, value: &ast::Value, ty: &Type) -> Option<Literal> {
        // A choice another model declares (a query asked of it answers
        // one) is found there, under the path this model names it by.
        let inner = match ty {
            Type::Optional(inner) | Type::List(inner) => inner,
            other => other,
        };
        let foreign = match inner {
            Type::Choice(path) => path
                .strip_prefix("super::")
                .and_then(|p| p.split_once("::")),
            _ => None,
        };
        let Some((module, name)) = foreign else {
            return literal(&self.model.choices, value, ty, &mut self.out);
        };
        let choices: Vec<ir::Choice> = self
            .others
            .iter()
            .filter(|other| other.module == module)
            .flat_map(|other| &other.choices)
            .filter(|c| c.rust == name)
            .map(|c| ir::Choice {
                rust: format!("super::{module}::{name}"),
                ..c.clone()
            })
            .collect();
        literal(&choices, value, ty, &mut self.out)
    }
}

/// A value written in the spec, as a value of `ty`; reported when it is not
/// one.
pub(crate) fn literal(
    choices: &[ir::Choice],
    value: &ast::Value,
    ty: &Type,
    out: &mut Vec<Diagnostic>,
) -> Option<Literal> {
    let wrong = |out: &mut Vec<Diagnostic>, code: &'static str, help: String| {
        out.push(
            err(
                code,
                format!("this value is not a `{}`", ty.spec()),
                value.span(),
                &format!("expected a `{}`", ty.spec()),
            )
            .with_help(help),
        );
        None
    };
    match (value, ty) {
        (ast::Value::Word(w), Type::Optional(_)) if w.text == "nothing" => {
            Some(Literal::Nothing)
        }
        (_, Type::Optional(inner)) => literal(choices, value, inner, out),
        (ast::Value::Word(w), Type::Boolean) => match w.text.as_str() {
            "yes" => Some(Literal::Boolean(true)),
            "no" => Some(Literal::Boolean(false)),
            _ => wrong(out, codes::WRONG_VALUE_TYPE, "write `yes` or `no`".into()),
        },
        (ast::Value::Text(text, _), Type::Text) => Some(Literal::Text(text.clone())),
        (ast::Value::Text(text, _) | ast::Value::Word(ast::Ident { text, .. }), Type::Id(of)) => {
            Some(Literal::Id(format!("{of}Id"), text.clone()))
        }
        (ast::Value::Word(w), Type::Choice(rust)) => {
            let Some(choice) = choices.iter().find(|c| c.rust == *rust) else {
                return wrong(
                    out,
                    codes::RULE_NOT_LOWERED,
                    format!("esgen cannot find the choice `{rust}`: this is a fault in esgen, please report it"),
                );
            };
            if let Some((word, variant)) = choice.values.iter().find(|(v, _)| *v == w.text) {
                return Some(Literal::Choice(rust.clone(), variant.clone(), word.clone()));
            }
            let words: Vec<&str> = choice.values.iter().map(|(v, _)| v.as_str()).collect();
            let help = match did_you_mean(&w.text, words.iter().copied()) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("`{}` is one of: {}", choice.term, words.join(", ")),
            };
            out.push(
                err(
                    codes::NOT_IN_CHOICE,
                    format!("`{}` is not a value of `{}`", w.text, choice.term),
                    w.span,
                    "not one of its values",
                )
                .with_help(help),
            );
            None
        }
        (ast::Value::Number(n), Type::Integer) => match n.text.parse::<i64>() {
            Ok(i) => Some(Literal::Integer(i)),
            Err(_) => wrong(
                out,
                codes::WRONG_VALUE_TYPE,
                "an `integer` is a whole number between -9223372036854775808 and 9223372036854775807".into(),
            ),
        },
        (ast::Value::Number(n), Type::Number) => Some(Literal::Number(n.text.clone())),
        (ast::Value::Number(n), Type::Decimal) => Some(Literal::Decimal(n.text.clone())),
        (ast::Value::List(items, _), Type::List(inner)) => items
            .iter()
            .map(|item| literal(choices, item, inner, out))
            .collect::<Option<Vec<_>>>()
            .map(Literal::List),
        (ast::Value::Text(text, _), Type::Date) if date(text).is_some() => {
            let (y, m, d) = date(text)?;
            Some(Literal::Date(y, m, d))
        }
        (ast::Value::Text(text, _), Type::Timestamp) if timestamp(text) => {
            Some(Literal::Timestamp(text.clone()))
        }
        (_, Type::Date) => wrong(
            out,
            codes::WRONG_VALUE_TYPE,
            "write a date that exists, quoted: `\"2026-12-01\"`".into(),
        ),
        (_, Type::Timestamp) => wrong(
            out,
            codes::WRONG_VALUE_TYPE,
            "write a timestamp, quoted, in RFC 3339 with its offset: `\"2026-12-01T09:30:00Z\"`".into(),
        ),
        (ast::Value::Word(w), _) => {
            out.push(
                err(
                    codes::UNKNOWN_IN_RULE,
                    format!("`{}` is not a value of type `{}`", w.text, ty.spec()),
                    w.span,
                    "not a known name or value",
                )
                .with_help(match ty {
                    Type::Text => format!("quote text: `\"{}\"`", w.text),
                    _ => format!("write a `{}` here", ty.spec()),
                }),
            );
            None
        }
        _ => wrong(
            out,
            codes::WRONG_VALUE_TYPE,
            format!("write a `{}` here", ty.spec()),
        ),
    }
}

/// Whether a `number` value must be checked finite (JSON has no NaN).
fn finite_needed(ty: &Type) -> bool {
    match ty {
        Type::Optional(inner) => **inner == Type::Number,
        other => *other == Type::Number,
    }
}
