//! Rules: what the spec says a model *does*. Constraints and defaults of
//! terms, the state esgen keeps (one store per entity), derived queries,
//! guards, where event fields come from, and effects — each name resolved
//! and each value typed, so that code generation only writes them out.
//!
//! A model with no rule line and no derived query is written by hand, as
//! before: this pass gives it constraints only. A model with rules gets a
//! state, and every piece the spec says enough about is generated; the
//! rest stays a method for the user to write.

use super::ir::{
    self, Check, Cmp, Condition, Derived, Effect, Expr, FieldFrom, Guard, Literal, MessagePart,
    Origin, RejectionKind, Store, Type,
};
use super::names;
use crate::diagnostics::{codes, did_you_mean, Diagnostic};
use crate::source::Span;
use crate::syntax::ast;
use std::collections::HashMap;

/// Runs every rule pass over a lowered model. Returns `false` when it
/// reported an error.
pub(super) fn apply(
    model: &ast::Model,
    lowered: &mut ir::Model,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    let before = diagnostics.len();
    let mut pass = Pass {
        model: lowered,
        out: Vec::new(),
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
    let failed = pass.out.iter().any(|d| d.is_error());
    diagnostics.append(&mut pass.out);
    !failed && !crate::diagnostics::has_errors(&diagnostics[before..])
}

struct Pass<'m> {
    model: &'m mut ir::Model,
    out: Vec<Diagnostic>,
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
}

impl Scope<'_> {
    fn inputs(&self) -> &[ir::Field] {
        match self {
            Scope::Command(fields) | Scope::Event(fields) | Scope::Query(fields, _) => fields,
        }
    }

    fn what(&self) -> &'static str {
        match self {
            Scope::Command(_) => "a parameter of the command",
            Scope::Event(_) => "a field of the event",
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

    // ------------------------------------------------------------ terms

    /// Constraints and defaults: checked against each term's type; terms
    /// typed by convention (`new-text`) take their base term's; every
    /// field gets its term's.
    fn term_checks(&mut self, model: &ast::Model) {
        let mut found: HashMap<String, (Vec<Check>, Option<Literal>)> = HashMap::new();
        for term in &model.terms {
            if found.contains_key(&term.name.text) {
                continue;
            }
            let Some(ty) = self.term(&term.name.text).map(|t| t.ty.clone()) else {
                continue;
            };
            let mut checks = Vec::new();
            let mut default = None;
            for constraint in &term.constraints {
                match &constraint.kind {
                    ast::ConstraintKind::Default(value) => {
                        default = self.literal(value, &ty);
                    }
                    kind => {
                        if let Some(check) = self.check(kind, &ty, constraint.span) {
                            checks.push(check);
                        }
                    }
                }
            }
            found.insert(term.name.text.clone(), (checks, default));
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
            let (mut checks, default) = own.unwrap_or_default();
            if finite_needed(&term.ty) {
                checks.push(Check::Finite);
            }
            term.checks = checks;
            term.default = default;
        }
        let by_term: HashMap<String, Vec<Check>> = self
            .model
            .terms
            .iter()
            .map(|t| (t.name.clone(), t.checks.clone()))
            .collect();
        let fill = |fields: &mut Vec<ir::Field>| {
            for field in fields {
                field.checks = by_term.get(&field.term).cloned().unwrap_or_default();
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

    fn check(&mut self, kind: &ast::ConstraintKind, ty: &Type, span: Span) -> Option<Check> {
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

    fn number(&mut self, n: &ast::Number, ty: &Type) -> Option<Literal> {
        self.literal(&ast::Value::Number(n.clone()), ty)
    }

    /// A value written in the spec, as a value of `ty`.
    fn literal(&mut self, value: &ast::Value, ty: &Type) -> Option<Literal> {
        let wrong = |this: &mut Self, code: &'static str, help: String| {
            this.out.push(
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
            (_, Type::Optional(inner)) => self.literal(value, inner),
            (ast::Value::Word(w), Type::Boolean) => match w.text.as_str() {
                "yes" => Some(Literal::Boolean(true)),
                "no" => Some(Literal::Boolean(false)),
                _ => wrong(self, codes::WRONG_VALUE_TYPE, "write `yes` or `no`".into()),
            },
            (ast::Value::Text(text, _), Type::Text) => Some(Literal::Text(text.clone())),
            (ast::Value::Text(text, _) | ast::Value::Word(ast::Ident { text, .. }), Type::Id(of)) => {
                Some(Literal::Id(format!("{of}Id"), text.clone()))
            }
            (ast::Value::Word(w), Type::Choice(rust)) => {
                let choice = self.model.choices.iter().find(|c| c.rust == *rust)?;
                if let Some((word, variant)) = choice.values.iter().find(|(v, _)| *v == w.text) {
                    return Some(Literal::Choice(rust.clone(), variant.clone(), word.clone()));
                }
                let words: Vec<&str> = choice.values.iter().map(|(v, _)| v.as_str()).collect();
                let help = match did_you_mean(&w.text, words.iter().copied()) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!("`{}` is one of: {}", choice.term, words.join(", ")),
                };
                self.out.push(
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
                    self,
                    codes::WRONG_VALUE_TYPE,
                    "an `integer` is a whole number between -9223372036854775808 and 9223372036854775807".into(),
                ),
            },
            (ast::Value::Number(n), Type::Number) => Some(Literal::Number(n.text.clone())),
            (ast::Value::Number(n), Type::Decimal) => Some(Literal::Decimal(n.text.clone())),
            (ast::Value::List(items, _), Type::List(inner)) => items
                .iter()
                .map(|item| self.literal(item, inner))
                .collect::<Option<Vec<_>>>()
                .map(Literal::List),
            (_, Type::Date | Type::Timestamp) => wrong(
                self,
                codes::WRONG_VALUE_TYPE,
                "dates and timestamps cannot be written as values yet: take them from a parameter".into(),
            ),
            (ast::Value::Word(w), _) => {
                self.out.push(
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
                self,
                codes::WRONG_VALUE_TYPE,
                format!("write a `{}` here", ty.spec()),
            ),
        }
    }

    // ------------------------------------------------------------ state

    /// One store per entity, keyed by its first field.
    fn stores(&mut self, model: &ast::Model) {
        let mut stores = Vec::new();
        let mut ok = true;
        for (index, entity) in self.model.entities.iter().enumerate() {
            let Some(key) = entity.fields.first() else {
                continue;
            };
            if !matches!(
                key.ty,
                Type::Id(_) | Type::Text | Type::Integer | Type::Choice(_)
            ) {
                ok = false;
                let span = model
                    .entities
                    .iter()
                    .find(|e| e.name.text == entity.name)
                    .map_or(model.name.span, |e| e.name.span);
                self.out.push(
                    err(
                        codes::WRONG_VALUE_TYPE,
                        format!(
                            "entity `{}` cannot be looked up by its `{}`, a `{}`",
                            entity.name,
                            key.term,
                            key.ty.spec()
                        ),
                        span,
                        "its first field is its key",
                    )
                    .with_help("put its identity first: an `id of …`, a `text` or an `integer`"),
                );
            }
            let plural = names::plural(&names::kebab(&entity.name));
            stores.push(Store {
                entity: index,
                field: names::snake(&plural).unwrap_or_else(|_| format!("{plural}_store")),
                plural,
            });
        }
        if ok {
            self.model.state = Some(stores);
        }
    }

    fn stores_ref(&self) -> &[Store] {
        self.model.state.as_deref().unwrap_or_default()
    }

    fn store_of(&mut self, entity: &ast::Ident) -> Option<usize> {
        let found = self
            .stores_ref()
            .iter()
            .position(|s| self.model.entities[s.entity].name == entity.text);
        if found.is_none() {
            let names: Vec<String> = self.model.entities.iter().map(|e| e.name.clone()).collect();
            let help = match did_you_mean(&entity.text, names.iter().map(String::as_str)) {
                Some(close) => format!("did you mean `{close}`?"),
                None if names.is_empty() => "declare it: `Entity: <Name> [id …]`".to_string(),
                None => format!("the model holds: {}", names.join(", ")),
            };
            self.out.push(
                err(
                    codes::UNKNOWN_IN_RULE,
                    format!("the model holds no entity `{}`", entity.text),
                    entity.span,
                    "unknown entity",
                )
                .with_help(help),
            );
        }
        found
    }

    fn store_by_plural(&mut self, plural: &ast::Ident) -> Option<usize> {
        let kebab = names::kebab(&plural.text);
        let found = self.stores_ref().iter().position(|s| s.plural == kebab);
        if found.is_none() {
            let plurals: Vec<String> = self.stores_ref().iter().map(|s| s.plural.clone()).collect();
            let help = match did_you_mean(&plural.text, plurals.iter().map(String::as_str)) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("name the entities by their plural: {}", plurals.join(", ")),
            };
            self.out.push(
                err(
                    codes::UNKNOWN_IN_RULE,
                    format!("the model holds no `{}`", plural.text),
                    plural.span,
                    "not the plural of an entity",
                )
                .with_help(help),
            );
        }
        found
    }

    fn key_field(&self, store: usize) -> &ir::Field {
        &self.model.store_entity(store).fields[0]
    }

    // ------------------------------------------------------------ names

    /// A bare name as an input of the scope, if it is one.
    fn input(scope: Scope<'_>, name: &str) -> Option<Expr> {
        scope
            .inputs()
            .iter()
            .find(|f| f.term == name)
            .map(|f| Expr::Input {
                rust: f.rust.clone(),
                ty: f.ty.clone(),
            })
    }

    fn item(scope: Scope<'_>, name: &str) -> Option<Expr> {
        let Scope::Query(_, entity) = scope else {
            return None;
        };
        entity
            .fields
            .iter()
            .find(|f| f.term == name)
            .map(|f| Expr::Item {
                rust: f.rust.clone(),
                ty: f.ty.clone(),
            })
    }

    /// An operand that names something (not a literal), if it does;
    /// `Err` after reporting a broken reference.
    fn named(
        &mut self,
        operand: &ast::Operand,
        scope: Scope<'_>,
        left: bool,
    ) -> Result<Option<Expr>, ()> {
        match operand {
            ast::Operand::Value(ast::Value::Word(w)) => {
                let (first, second) = if left {
                    (Self::item(scope, &w.text), Self::input(scope, &w.text))
                } else {
                    (Self::input(scope, &w.text), Self::item(scope, &w.text))
                };
                Ok(first.or(second))
            }
            ast::Operand::Value(_) => Ok(None),
            ast::Operand::FieldOf {
                field, entity, key, ..
            } => {
                let store = self.store_of(entity).ok_or(())?;
                let entity_ir = self.model.store_entity(store);
                let Some(f) = entity_ir.fields.iter().find(|f| f.term == field.text) else {
                    let names: Vec<&str> =
                        entity_ir.fields.iter().map(|f| f.term.as_str()).collect();
                    let help = match did_you_mean(&field.text, names.iter().copied()) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => format!("`{}` has: {}", entity_ir.name, names.join(", ")),
                    };
                    let message = format!("`{}` has no field `{}`", entity_ir.name, field.text);
                    self.out.push(
                        err(codes::UNKNOWN_IN_RULE, message, field.span, "unknown field")
                            .with_help(help),
                    );
                    return Err(());
                };
                let (field_rust, ty) = (f.rust.clone(), f.ty.clone());
                let key = self.key(store, key, scope, operand.span())?;
                Ok(Some(Expr::FieldOf {
                    store,
                    field: field_rust,
                    key: Box::new(key),
                    ty,
                }))
            }
            ast::Operand::Call { query, args, span } => {
                self.call(query, args, scope, *span).map(Some)
            }
        }
    }

    /// `[key]` of an entity: one input of the key's type.
    fn key(
        &mut self,
        store: usize,
        key: &[ast::Ident],
        scope: Scope<'_>,
        span: Span,
    ) -> Result<Expr, ()> {
        let key_field = self.key_field(store).clone();
        let entity = self.model.store_entity(store).name.clone();
        let [name] = key else {
            self.out.push(
                err(
                    codes::UNKNOWN_IN_RULE,
                    format!("`{entity}` is found by one key, its `{}`", key_field.term),
                    span,
                    "give one name in the brackets",
                )
                .with_help(format!("write `{entity} [{}]`", key_field.term)),
            );
            return Err(());
        };
        let Some(expr) = Self::input(scope, &name.text) else {
            self.unknown_name(name, scope);
            return Err(());
        };
        if *expr.ty() != key_field.ty {
            self.out.push(
                err(
                    codes::WRONG_VALUE_TYPE,
                    format!(
                        "`{}` is a `{}`, but `{entity}` is found by a `{}`",
                        name.text,
                        expr.ty().spec(),
                        key_field.ty.spec()
                    ),
                    name.span,
                    "not the entity's key",
                )
                .with_help(format!(
                    "use {} of type `{}`",
                    scope.what(),
                    key_field.ty.spec()
                )),
            );
            return Err(());
        }
        Ok(expr)
    }

    fn unknown_name(&mut self, name: &ast::Ident, scope: Scope<'_>) {
        let mut names: Vec<&str> = scope.inputs().iter().map(|f| f.term.as_str()).collect();
        if let Scope::Query(_, entity) = scope {
            names.extend(entity.fields.iter().map(|f| f.term.as_str()));
        }
        let help = match did_you_mean(&name.text, names.iter().copied()) {
            Some(close) => format!("did you mean `{close}`?"),
            None if names.is_empty() => format!("there is no {} here", scope.what()),
            None => format!("use {}: {}", scope.what(), names.join(", ")),
        };
        self.out.push(
            err(
                codes::UNKNOWN_IN_RULE,
                format!("`{}` is not {}", name.text, scope.what()),
                name.span,
                "unknown here",
            )
            .with_help(help),
        );
    }

    /// `<query> [args]`: the query, each argument an input of its
    /// parameter's type.
    fn call(
        &mut self,
        query: &ast::Ident,
        args: &[ast::Ident],
        scope: Scope<'_>,
        span: Span,
    ) -> Result<Expr, ()> {
        let Some(q) = self.model.queries.iter().find(|q| q.name == query.text) else {
            let names: Vec<String> = self.model.queries.iter().map(|q| q.name.clone()).collect();
            let help = match did_you_mean(&query.text, names.iter().map(String::as_str)) {
                Some(close) => format!("did you mean `{close}`?"),
                None => "declare it under `Queries:`".to_string(),
            };
            self.out.push(
                err(
                    codes::UNKNOWN_IN_RULE,
                    format!("the model has no query `{}`", query.text),
                    query.span,
                    "unknown query",
                )
                .with_help(help),
            );
            return Err(());
        };
        let (method, params, returns, line) = (
            q.method.clone(),
            q.params.clone(),
            q.returns.clone(),
            q.spec_line.clone(),
        );
        if params.len() != args.len() {
            self.out.push(
                err(
                    codes::UNKNOWN_IN_RULE,
                    format!(
                        "query `{}` takes {} argument(s), not {}",
                        query.text,
                        params.len(),
                        args.len()
                    ),
                    span,
                    "these arguments",
                )
                .with_help(format!("it reads `{line}`")),
            );
            return Err(());
        }
        let mut exprs = Vec::new();
        for (arg, param) in args.iter().zip(&params) {
            let Some(expr) = Self::input(scope, &arg.text) else {
                self.unknown_name(arg, scope);
                return Err(());
            };
            if *expr.ty() != param.ty {
                self.out.push(
                    err(
                        codes::WRONG_VALUE_TYPE,
                        format!(
                            "`{}` is a `{}`, but query `{}` wants a `{}` here",
                            arg.text,
                            expr.ty().spec(),
                            query.text,
                            param.ty.spec()
                        ),
                        arg.span,
                        "wrong type",
                    )
                    .with_help(format!("it reads `{line}`")),
                );
                return Err(());
            }
            exprs.push(expr);
        }
        Ok(Expr::Call {
            method,
            args: exprs,
            ty: returns,
        })
    }

    /// An operand as a value of `hint` (when it is a literal).
    fn operand(
        &mut self,
        operand: &ast::Operand,
        scope: Scope<'_>,
        hint: Option<&Type>,
        left: bool,
    ) -> Result<Expr, ()> {
        if let Some(expr) = self.named(operand, scope, left)? {
            return Ok(expr);
        }
        let ast::Operand::Value(value) = operand else {
            return Err(());
        };
        let ty = match (hint, value) {
            (Some(ty), _) => ty.clone(),
            (None, ast::Value::Word(w)) if matches!(w.text.as_str(), "yes" | "no") => Type::Boolean,
            (None, ast::Value::Text(..)) => Type::Text,
            (None, ast::Value::Number(n)) if n.text.contains('.') => Type::Number,
            (None, ast::Value::Number(_)) => Type::Integer,
            (None, ast::Value::Word(w)) => {
                self.unknown_name(w, scope);
                return Err(());
            }
            (None, _) => {
                self.out.push(
                    err(
                        codes::INCOMPATIBLE_COMPARISON,
                        "esgen cannot tell what type this value has",
                        value.span(),
                        "compare it with a parameter or a field",
                    )
                    .with_help("put a parameter or a field on one side"),
                );
                return Err(());
            }
        };
        let literal = self.literal(value, &ty).ok_or(())?;
        Ok(Expr::Literal { value: literal, ty })
    }

    fn condition(&mut self, condition: &ast::Condition, scope: Scope<'_>) -> Result<Condition, ()> {
        let yes_no = |this: &mut Self, expr: Expr, span: Span| {
            if *expr.ty() == Type::Boolean {
                Ok(expr)
            } else {
                this.out.push(
                    err(
                        codes::NOT_YES_NO,
                        format!("this is a `{}`, not yes or no", expr.ty().spec()),
                        span,
                        "not a condition",
                    )
                    .with_help("use a yes/no query or field (`has-todo? [id]`, `completed?`), or compare: `<a> is <b>`"),
                );
                Err(())
            }
        };
        match condition {
            ast::Condition::Holds(operand) => {
                let expr = self.operand(operand, scope, Some(&Type::Boolean), true)?;
                let expr = yes_no(self, expr, operand.span())?;
                Ok(Condition::Holds { expr })
            }
            ast::Condition::Not(operand, _) => {
                let expr = self.operand(operand, scope, Some(&Type::Boolean), true)?;
                let expr = yes_no(self, expr, operand.span())?;
                Ok(Condition::Not { expr })
            }
            ast::Condition::Compare(left, comparator, right, span) => {
                let named_left = self.named(left, scope, true)?;
                let (left, right) = match named_left {
                    Some(l) => {
                        let hint = compare_hint(l.ty(), right);
                        let r = self.operand(right, scope, Some(&hint), false)?;
                        (l, r)
                    }
                    None => {
                        let r = self.operand(right, scope, None, false)?;
                        let hint = r.ty().clone();
                        let l = self.operand(left, scope, Some(&hint), true)?;
                        (l, r)
                    }
                };
                let cmp = match comparator {
                    ast::Comparator::Is => Cmp::Eq,
                    ast::Comparator::IsNot => Cmp::Ne,
                    ast::Comparator::MoreThan => Cmp::Gt,
                    ast::Comparator::LessThan => Cmp::Lt,
                    ast::Comparator::AtLeast => Cmp::Ge,
                    ast::Comparator::AtMost => Cmp::Le,
                };
                let fits = match cmp {
                    Cmp::Eq | Cmp::Ne => {
                        left.ty() == right.ty()
                            || matches!(
                                right,
                                Expr::Literal {
                                    value: Literal::Nothing,
                                    ..
                                }
                            )
                            || matches!(left.ty(), Type::Optional(inner) if **inner == *right.ty())
                    }
                    _ => left.ty() == right.ty() && left.ty().is_ordered(),
                };
                if !fits {
                    self.out.push(
                        err(
                            codes::INCOMPATIBLE_COMPARISON,
                            format!(
                                "a `{}` cannot be compared with a `{}` by `{}`",
                                left.ty().spec(),
                                right.ty().spec(),
                                comparator.words()
                            ),
                            *span,
                            "these do not compare",
                        )
                        .with_help(if matches!(cmp, Cmp::Eq | Cmp::Ne) {
                            "compare values of one type".to_string()
                        } else {
                            "`more than`, `less than`, `at least` and `at most` compare numbers, dates and timestamps of one type".to_string()
                        }),
                    );
                    return Err(());
                }
                Ok(Condition::Compare { left, cmp, right })
            }
        }
    }

    // ------------------------------------------------------------ queries

    fn queries(&mut self, model: &ast::Model) {
        for (index, query) in model.queries.iter().enumerate() {
            let Some(lowered) = self
                .model
                .queries
                .iter()
                .position(|q| q.name == query.name.text)
            else {
                continue;
            };
            if lowered != index && self.model.queries[index].name != query.name.text {
                continue;
            }
            let derived = match &query.body {
                Some(body) => self.derived(body, &self.model.queries[lowered].params.clone()),
                None => self.conventional(lowered),
            };
            if let Some(derived) = derived {
                let returns = match &derived {
                    Derived::Has { .. } => Type::Boolean,
                    Derived::Get { store, .. } => Type::Optional(Box::new(Type::Entity(
                        self.model.store_entity(*store).rust.clone(),
                    ))),
                    Derived::Select { store, .. } => Type::List(Box::new(Type::Entity(
                        self.model.store_entity(*store).rust.clone(),
                    ))),
                    Derived::Count { .. } => Type::Integer,
                };
                if self.model.queries[lowered].returns != returns {
                    if query.body.is_some() {
                        let said = self.model.queries[lowered].returns.spec();
                        self.out.push(
                            err(
                                codes::WRONG_VALUE_TYPE,
                                format!(
                                    "query `{}` returns `{said}`, but its definition gives `{}`",
                                    query.name.text,
                                    returns.spec()
                                ),
                                query.body.as_ref().map_or(query.span, |b| b.span),
                                "this gives another type",
                            )
                            .with_help(format!(
                                "write `returns {}` or leave `returns` out",
                                returns.spec()
                            )),
                        );
                    }
                    continue;
                }
                self.model.queries[lowered].derived = Some(derived);
            }
        }
    }

    fn derived(&mut self, body: &ast::QueryBody, params: &[ir::Field]) -> Option<Derived> {
        let store = self.store_by_plural(&body.plural)?;
        let entity = self.model.store_entity(store).clone();
        let filter = match &body.filter {
            Some(condition) => Some(
                self.condition(condition, Scope::Query(params, &entity))
                    .ok()?,
            ),
            None => None,
        };
        Some(if body.count {
            Derived::Count { store, filter }
        } else {
            Derived::Select { store, filter }
        })
    }

    /// `has-<entity>? [key]`, `get-<entity> [key]` and `all-<entities>`.
    fn conventional(&self, index: usize) -> Option<Derived> {
        let query = &self.model.queries[index];
        let name = query.name.as_str();
        for (store, s) in self.stores_ref().iter().enumerate() {
            let entity = &self.model.entities[s.entity];
            let one = names::kebab(&entity.name);
            let key = &entity.fields[0];
            let keyed = match query.params.as_slice() {
                [param] if param.ty == key.ty => Some(Expr::Input {
                    rust: param.rust.clone(),
                    ty: param.ty.clone(),
                }),
                _ => None,
            };
            if name == format!("has-{one}?") {
                if let Some(key) = keyed {
                    return Some(Derived::Has { store, key });
                }
            } else if name == format!("get-{one}") || name == format!("find-{one}") {
                if let Some(key) = keyed {
                    return Some(Derived::Get { store, key });
                }
            } else if (name == s.plural || name == format!("all-{}", s.plural))
                && query.params.is_empty()
            {
                return Some(Derived::Select {
                    store,
                    filter: None,
                });
            }
        }
        None
    }

    // ------------------------------------------------------------ actions

    fn actions(&mut self, model: &ast::Model) {
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
                        span: _,
                    } => {
                        let Ok(resolved) = self.condition(condition, scope) else {
                            continue;
                        };
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
                if let Some((_, source, _)) = sources.iter().find(|(f, ..)| f.text == field.term) {
                    match self.source(source, field, scope) {
                        Ok(expr) => from.push(FieldFrom {
                            field: field.rust.clone(),
                            term: field.term.clone(),
                            expr,
                            spec: source_text(source),
                        }),
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
                            action.event.span,
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
    fn message(
        &mut self,
        message: &str,
        span: Span,
        params: &[ir::Field],
    ) -> Option<Vec<MessagePart>> {
        let mut parts = Vec::new();
        let mut rest = message;
        let mut ok = true;
        while let Some(open) = rest.find('{') {
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
                    let (message, help) = match found {
                        Some(p) => (
                            format!("`{{{name}}}` is a `{}`, which a message cannot show", p.ty.spec()),
                            "show a parameter that is text, a number, an identity, a date or a choice".to_string(),
                        ),
                        None => (
                            format!("`{{{name}}}` is not a parameter of the command"),
                            match did_you_mean(name, names.iter().copied()) {
                                Some(close) => format!("did you mean `{{{close}}}`?"),
                                None if names.is_empty() => "this command has no parameter to show".to_string(),
                                None => format!("a message can show: {}", names.iter().map(|n| format!("{{{n}}}")).collect::<Vec<_>>().join(", ")),
                            },
                        ),
                    };
                    self.out.push(
                        err(codes::BAD_PLACEHOLDER, message, span, "in this message")
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

    fn source(
        &mut self,
        source: &ast::FieldSource,
        field: &ir::Field,
        scope: Scope<'_>,
    ) -> Result<Expr, ()> {
        let expr = match source {
            ast::FieldSource::Operand(operand) => {
                self.operand(operand, scope, Some(&field.ty), false)?
            }
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

    // ------------------------------------------------------------ effects

    fn effects(&mut self, model: &ast::Model) {
        // The effects each event is given, by the first action that gives
        // any, to compare the others with.
        let mut given: HashMap<String, (Vec<Effect>, Span, String)> = HashMap::new();
        for action in &model.actions {
            let lines: Vec<&ast::Effect> = action
                .clauses
                .iter()
                .filter_map(|c| match c {
                    ast::Clause::Effect(e) => Some(e),
                    _ => None,
                })
                .collect();
            if lines.is_empty() {
                continue;
            }
            let Some(index) = self
                .model
                .events
                .iter()
                .position(|e| e.name == action.event.text)
            else {
                continue;
            };
            let fields = self.model.events[index].fields.clone();
            let scope = Scope::Event(&fields);
            let mut effects = Vec::new();
            let mut ok = true;
            for line in &lines {
                match self.effect(line, scope) {
                    Ok(Some(effect)) => effects.push(effect),
                    Ok(None) => {}
                    Err(()) => ok = false,
                }
            }
            if !ok {
                continue;
            }
            let span = lines[0].span;
            match given.get(&action.event.text) {
                Some((first, first_span, first_action)) if *first != effects => {
                    self.out.push(
                        err(
                            codes::CONFLICTING_EFFECTS,
                            format!(
                                "`{}` and `{}` give the event `{}` different effects",
                                first_action, action.command.text, action.event.text
                            ),
                            span,
                            "these effects",
                        )
                        .with_label(*first_span, "differ from these")
                        .with_help("effects belong to the event: give them once, the same for every action accepted as it, or accept the actions as different events"),
                    );
                }
                Some(_) => {}
                None => {
                    let event = &mut self.model.events[index];
                    event.effects = Some(effects.clone());
                    event.effect_lines = lines
                        .iter()
                        .map(|l| effect_text(l, &self.model.entities))
                        .collect();
                    given.insert(
                        action.event.text.clone(),
                        (effects, span, action.command.text.clone()),
                    );
                }
            }
        }
    }

    fn effect(&mut self, effect: &ast::Effect, scope: Scope<'_>) -> Result<Option<Effect>, ()> {
        if effect.kind == ast::EffectKind::Nothing {
            return Ok(None);
        }
        let store = self.store_of(&effect.entity).ok_or(())?;
        let entity = self.model.store_entity(store).clone();
        let field_of = |this: &mut Self, name: &ast::Ident| -> Result<ir::Field, ()> {
            match entity.fields.iter().find(|f| f.term == name.text) {
                Some(f) => Ok(f.clone()),
                None => {
                    let names: Vec<&str> = entity.fields.iter().map(|f| f.term.as_str()).collect();
                    let help = match did_you_mean(&name.text, names.iter().copied()) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => format!("`{}` has: {}", entity.name, names.join(", ")),
                    };
                    this.out.push(
                        err(
                            codes::UNKNOWN_IN_RULE,
                            format!("`{}` has no field `{}`", entity.name, name.text),
                            name.span,
                            "unknown field",
                        )
                        .with_help(help),
                    );
                    Err(())
                }
            }
        };
        let value_of = |this: &mut Self, value: &ast::Value, ty: &Type| -> Result<Expr, ()> {
            let operand = ast::Operand::Value(value.clone());
            let expr = this.operand(&operand, scope, Some(ty), false)?;
            let fits = expr.ty() == ty
                || matches!(
                    expr,
                    Expr::Literal {
                        value: Literal::Nothing,
                        ..
                    }
                )
                || matches!(ty, Type::Optional(inner) if **inner == *expr.ty());
            if !fits {
                this.out.push(
                    err(
                        codes::WRONG_VALUE_TYPE,
                        format!(
                            "this is a `{}`, but a `{}` is needed",
                            expr.ty().spec(),
                            ty.spec()
                        ),
                        value.span(),
                        "wrong type",
                    )
                    .with_help(format!("give a `{}`", ty.spec())),
                );
                return Err(());
            }
            Ok(expr)
        };
        Ok(Some(match &effect.kind {
            ast::EffectKind::Adds => {
                let mut fields = Vec::new();
                let mut ok = true;
                for field in &entity.fields {
                    let expr = if let Some(input) = Self::input(scope, &field.term) {
                        if *input.ty() != field.ty {
                            ok = false;
                            continue;
                        }
                        input
                    } else if let Some(value) =
                        self.term(&field.term).and_then(|t| t.default.clone())
                    {
                        Expr::Literal {
                            value,
                            ty: field.ty.clone(),
                        }
                    } else if matches!(field.ty, Type::Optional(_)) {
                        Expr::Literal {
                            value: Literal::Nothing,
                            ty: field.ty.clone(),
                        }
                    } else if matches!(field.ty, Type::List(_)) {
                        Expr::Literal {
                            value: Literal::List(Vec::new()),
                            ty: field.ty.clone(),
                        }
                    } else {
                        ok = false;
                        self.out.push(
                            err(
                                codes::NO_SOURCE,
                                format!("`adds {}` has no value for its field `{}`", entity.name, field.term),
                                effect.span,
                                &format!("the event carries no `{}`", field.term),
                            )
                            .with_help(format!(
                                "add `{}` to the event's brackets, or give the term a default: `- {}: {}, default …`",
                                field.term,
                                field.term,
                                field.ty.spec()
                            )),
                        );
                        continue;
                    };
                    fields.push((field.rust.clone(), expr));
                }
                if !ok {
                    return Err(());
                }
                Effect::Adds { store, fields }
            }
            ast::EffectKind::Sets(field, value) => {
                let f = field_of(self, field)?;
                let key = self.key(store, &effect.key, scope, effect.span)?;
                let value = value_of(self, value, &f.ty)?;
                Effect::Sets {
                    store,
                    key,
                    field: f.rust,
                    value,
                }
            }
            ast::EffectKind::Changes {
                increase,
                field,
                by,
            } => {
                let f = field_of(self, field)?;
                if !f.ty.is_numeric() {
                    self.out.push(
                        err(
                            codes::WRONG_VALUE_TYPE,
                            format!("`{}` is a `{}`: it cannot be increased or decreased", field.text, f.ty.spec()),
                            field.span,
                            "not a number",
                        )
                        .with_help("only `integer`, `number` and `decimal` fields go up and down; use `sets … to …`"),
                    );
                    return Err(());
                }
                let key = self.key(store, &effect.key, scope, effect.span)?;
                let by = value_of(self, by, &f.ty)?;
                Effect::Changes {
                    store,
                    key,
                    field: f.rust,
                    by,
                    increase: *increase,
                }
            }
            ast::EffectKind::Removes => {
                let key = self.key(store, &effect.key, scope, effect.span)?;
                Effect::Removes { store, key }
            }
            ast::EffectKind::RemovesEach => {
                let key_ty = self.key_field(store).ty.clone();
                let [name] = effect.key.as_slice() else {
                    self.out.push(
                        err(
                            codes::UNKNOWN_IN_RULE,
                            "`removes each` takes one list of keys",
                            effect.span,
                            "give one name in the brackets",
                        )
                        .with_help(format!("write `removes each {} [ids]`", entity.name)),
                    );
                    return Err(());
                };
                let Some(keys) = Self::input(scope, &name.text) else {
                    self.unknown_name(name, scope);
                    return Err(());
                };
                let wanted = Type::List(Box::new(key_ty));
                if *keys.ty() != wanted {
                    self.out.push(
                        err(
                            codes::WRONG_VALUE_TYPE,
                            format!(
                                "`{}` is a `{}`, not a `{}`",
                                name.text,
                                keys.ty().spec(),
                                wanted.spec()
                            ),
                            name.span,
                            "not a list of the entity's keys",
                        )
                        .with_help(format!("give a field of type `{}`", wanted.spec())),
                    );
                    return Err(());
                }
                Effect::RemovesEach { store, keys }
            }
            ast::EffectKind::Nothing => return Ok(None),
        }))
    }
}

/// Whether a `number` value must be checked finite (JSON has no NaN).
fn finite_needed(ty: &Type) -> bool {
    *ty == Type::Number
}

/// The type a literal compared with a value of `ty` should have.
fn compare_hint(ty: &Type, right: &ast::Operand) -> Type {
    match (ty, right) {
        (Type::Optional(_), ast::Operand::Value(ast::Value::Word(w))) if w.text == "nothing" => {
            ty.clone()
        }
        (Type::Optional(inner), _) => (**inner).clone(),
        _ => ty.clone(),
    }
}

/// The kind of a guard's rejection: `unless has-x?` is not found, `if
/// has-x?` a conflict, anything else a refusal.
fn guard_kind(unless: bool, condition: &Condition, queries: &[ir::Query]) -> RejectionKind {
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
        if depth == 0 {
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

fn operand_text(operand: &ast::Operand) -> String {
    let list = |names: &[ast::Ident]| names::bracket(names.iter().map(|n| n.text.as_str()));
    match operand {
        ast::Operand::Value(value) => value_text(value),
        ast::Operand::FieldOf {
            field, entity, key, ..
        } => format!("{} of {} {}", field.text, entity.text, list(key)),
        ast::Operand::Call { query, args, .. } => format!("{} {}", query.text, list(args)),
    }
}

fn value_text(value: &ast::Value) -> String {
    match value {
        ast::Value::Text(text, _) => format!("{text:?}"),
        ast::Value::Number(n) => n.text.clone(),
        ast::Value::List(items, _) => format!(
            "[{}]",
            items.iter().map(value_text).collect::<Vec<_>>().join(", ")
        ),
        ast::Value::Word(w) => w.text.clone(),
    }
}

/// A condition as the spec writes it.
pub(super) fn condition_text(condition: &ast::Condition) -> String {
    match condition {
        ast::Condition::Holds(o) => operand_text(o),
        ast::Condition::Not(o, _) => format!("not {}", operand_text(o)),
        ast::Condition::Compare(l, c, r, _) => {
            format!("{} {} {}", operand_text(l), c.words(), operand_text(r))
        }
    }
}

fn source_text(source: &ast::FieldSource) -> String {
    match source {
        ast::FieldSource::Operand(o) => operand_text(o),
        ast::FieldSource::IdsOf(o, _) => format!("ids of {}", operand_text(o)),
    }
}

fn effect_text(effect: &ast::Effect, _entities: &[ir::Entity]) -> String {
    let key = names::bracket(effect.key.iter().map(|n| n.text.as_str()));
    let entity = &effect.entity.text;
    match &effect.kind {
        ast::EffectKind::Adds => format!("adds {entity}"),
        ast::EffectKind::Sets(field, value) => {
            format!(
                "sets {} of {entity} {key} to {}",
                field.text,
                value_text(value)
            )
        }
        ast::EffectKind::Changes {
            increase,
            field,
            by,
        } => format!(
            "{} {} of {entity} {key} by {}",
            if *increase { "increases" } else { "decreases" },
            field.text,
            value_text(by)
        ),
        ast::EffectKind::Removes => format!("removes {entity} {key}"),
        ast::EffectKind::RemovesEach => format!("removes each {entity} {key}"),
        ast::EffectKind::Nothing => "changes nothing".into(),
    }
}
