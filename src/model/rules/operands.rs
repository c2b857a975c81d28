//! Names, operands and conditions of rules, resolved and typed in their
//! scope.

use super::{err, Pass, Scope};
use crate::diagnostics::{codes, did_you_mean};
use crate::model::ir::{self, Cmp, Condition, Expr, Literal, Type};
use crate::model::names;
use crate::source::Span;
use crate::syntax::ast;

impl Pass<'_> {
    /// A bare name as an input of the scope, if it is one.
    pub(super) fn input(scope: Scope<'_>, name: &str) -> Option<Expr> {
        scope
            .inputs()
            .iter()
            .find(|f| f.term == name)
            .map(|f| Expr::Input {
                rust: f.rust.clone(),
                ty: f.ty.clone(),
            })
    }

    pub(super) fn item(scope: Scope<'_>, name: &str) -> Option<Expr> {
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

    /// A bare name as a field of the model's `State:`, in a guard or a
    /// source (where the command's parameters go first), if it is one. An
    /// effect's values are the event's, as for entities: what it sets is
    /// what the event recorded.
    pub(super) fn own(&self, scope: Scope<'_>, name: &str) -> Option<Expr> {
        if !matches!(scope, Scope::Command(_)) {
            return None;
        }
        self.model
            .own
            .iter()
            .find(|own| own.field.term == name)
            .map(|own| Expr::Own {
                rust: own.field.rust.clone(),
                ty: own.field.ty.clone(),
            })
    }

    /// An operand that names something (not a literal), if it does;
    /// `Err` after reporting a broken reference.
    pub(super) fn named(
        &mut self,
        operand: &ast::Operand,
        scope: Scope<'_>,
        left: bool,
    ) -> Result<Option<Expr>, ()> {
        if let Scope::Policy(_) = scope {
            return self.policy_named(operand, scope);
        }
        match operand {
            ast::Operand::Value(ast::Value::Word(w)) => {
                let (first, second) = if left {
                    (Self::item(scope, &w.text), Self::input(scope, &w.text))
                } else {
                    (Self::input(scope, &w.text), Self::item(scope, &w.text))
                };
                match first.or(second).or_else(|| self.own(scope, &w.text)) {
                    Some(found) => Ok(Some(found)),
                    // A query without parameters needs no brackets.
                    None if self
                        .model
                        .queries
                        .iter()
                        .any(|q| q.name == w.text && q.params.is_empty()) =>
                    {
                        self.call(w, &[], scope, w.span).map(Some)
                    }
                    None if matches!(w.text.as_str(), "today" | "now") => self.clock(w, scope),
                    // The record's field, where an effect reads only its
                    // event.
                    None if matches!(scope, Scope::Event(_))
                        && self.model.own.iter().any(|o| o.field.term == w.text) =>
                    {
                        self.out.push(
                            err(
                                codes::UNKNOWN_IN_RULE,
                                format!("`{}` is the record's, and an effect reads its event", w.text),
                                w.span,
                                "the record's field",
                            )
                            .with_help(format!(
                                "record it in the event under the action (`old-{0} = {0}`, with `old-{0}` in the event's brackets) and read that field here",
                                w.text
                            )),
                        );
                        Err(())
                    }
                    None => Ok(None),
                }
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
            ast::Operand::Asked {
                query,
                args,
                model,
                span,
            } => self.asked(query, args, model, scope, *span).map(Some),
            ast::Operand::Served {
                query,
                args,
                service,
                span,
            } => self.served(query, args, service, scope, *span).map(Some),
            ast::Operand::Sum(sum) => {
                if !matches!(scope, Scope::Command(_)) {
                    self.out.push(
                        err(
                            codes::ARITHMETIC_TYPES,
                            "a value is computed in a guard or a source of the event only",
                            sum.span(),
                            "computed here",
                        )
                        .with_help("compute it in a source of the event (`total = price * quantity`) and use the event's field"),
                    );
                    return Err(());
                }
                let mut reads_entity = false;
                for leaf in sum.operands() {
                    reads_entity |= matches!(leaf, ast::Operand::FieldOf { .. });
                }
                if reads_entity {
                    self.out.push(
                        err(
                            codes::ARITHMETIC_TYPES,
                            "a guard computes from the command, the model's own record and its queries, not from an entity's field",
                            sum.span(),
                            "reads an entity's field",
                        )
                        .with_help("compare the field without computing (`quantity is more than stock of Item [item-id]`), or compute from the command's values and the model's own record; a source of the event may compute from an entity's field"),
                    );
                    return Err(());
                }
                self.sum(sum, scope, None).map(Some)
            }
        }
    }

    /// `<query> [args] from <Service>`: a query of a service outside the
    /// spec, asked when proposing, so in a guard or a source only. Its
    /// parameters are its first arguments' (inputs or fields of the
    /// state); it answers yes or no when its name ends in `?`, else a
    /// value of the term of its name.
    fn served(
        &mut self,
        query: &ast::Ident,
        args: &[ast::Ident],
        service: &ast::Ident,
        scope: Scope<'_>,
        span: Span,
    ) -> Result<Expr, ()> {
        if !matches!(scope, Scope::Command(_)) {
            let here = match scope {
                Scope::Query(..) => "a derived query",
                _ => "an effect",
            };
            self.out.push(
                err(
                    codes::ASKED_WHERE_NOT_ALLOWED,
                    format!("a service cannot be asked in {here}"),
                    span,
                    "asked here",
                )
                .with_help("a service is asked when a command is proposed: ask it in a guard, or in a source of the event and record its answer"),
            );
            return Err(());
        }
        let model_named =
            service.text == self.model.name || self.others.iter().any(|m| m.name == service.text);
        if model_named {
            self.out.push(
                err(
                    codes::ASKED_WHERE_NOT_ALLOWED,
                    format!(
                        "`{}` is a model of this spec, not a service outside it",
                        service.text
                    ),
                    service.span,
                    "a model",
                )
                .with_help(if service.text == self.model.name {
                    format!(
                        "ask this model's own query without `from`: `{} [...]`",
                        query.text
                    )
                } else {
                    format!(
                        "ask another model with `in`: `{} [...] in {}`",
                        query.text, service.text
                    )
                }),
            );
            return Err(());
        }
        if let Some(ask) = self.model.asks.first() {
            self.out.push(mixed(span, &ask.name, &service.text));
            return Err(());
        }
        let rust = match names::pascal(&service.text) {
            Ok(rust) if service.text.starts_with(|c: char| c.is_ascii_uppercase()) => rust,
            _ => {
                self.out.push(
                    err(
                        codes::INVALID_NAME,
                        format!("`{}` cannot name a service", service.text),
                        service.span,
                        "not a service's name",
                    )
                    .with_help("name a service as a model is named, capitalized: `from Checks`"),
                );
                return Err(());
            }
        };
        let mut exprs = Vec::new();
        for arg in args {
            let Some(expr) = Self::input(scope, &arg.text).or_else(|| self.own(scope, &arg.text))
            else {
                self.unknown_argument(arg, scope);
                return Err(());
            };
            exprs.push(expr);
        }
        let returns = if query.text.ends_with('?') {
            Type::Boolean
        } else if let Some(term) = self.term(&query.text) {
            term.ty.clone()
        } else {
            self.out.push(
                err(
                    codes::UNKNOWN_IN_RULE,
                    format!("what `{}` of `{}` answers is not said", query.text, service.text),
                    query.span,
                    "answers what?",
                )
                .with_help(format!(
                    "end its name in `?` for a yes or no, or declare a term of its name for a value: `- {}: decimal`",
                    query.text
                )),
            );
            return Err(());
        };
        let service_at = match self
            .model
            .services
            .iter()
            .position(|s| s.name == service.text)
        {
            Some(at) => at,
            None => {
                self.model.services.push(ir::Service {
                    name: service.text.clone(),
                    rust,
                    queries: Vec::new(),
                });
                self.model.services.len() - 1
            }
        };
        let known = self.model.services[service_at]
            .queries
            .iter()
            .position(|q| q.name == query.text);
        let query_at = match known {
            Some(at) => {
                let known = &self.model.services[service_at].queries[at];
                let same = known.params.len() == exprs.len()
                    && known
                        .params
                        .iter()
                        .zip(&exprs)
                        .all(|(p, e)| p.ty == *e.ty());
                if !same {
                    let line = format!(
                        "{} {}",
                        known.name,
                        names::bracket(known.params.iter().map(|p| p.term.as_str()))
                    );
                    self.out.push(
                        err(
                            codes::WRONG_VALUE_TYPE,
                            format!(
                                "`{}` of `{}` is asked with other arguments than before",
                                query.text, service.text
                            ),
                            span,
                            "these arguments",
                        )
                        .with_help(format!("it was first asked as `{line}`: give arguments of the same types, in that order")),
                    );
                    return Err(());
                }
                at
            }
            None => {
                let method = match names::snake(&query.text) {
                    Ok(method) => method,
                    Err(_) => {
                        self.out.push(
                            err(
                                codes::INVALID_NAME,
                                format!("`{}` cannot name a service's query", query.text),
                                query.span,
                                "not a method name",
                            )
                            .with_help("use letters, digits and `-`, starting with a letter"),
                        );
                        return Err(());
                    }
                };
                let params = args
                    .iter()
                    .zip(&exprs)
                    .map(|(arg, expr)| ir::Field {
                        term: arg.text.clone(),
                        rust: names::snake(&arg.text).unwrap_or_else(|_| "value".to_string()),
                        ty: expr.ty().clone(),
                        docs: Vec::new(),
                        checks: Vec::new(),
                        said: Vec::new(),
                    })
                    .collect();
                let queries = &mut self.model.services[service_at].queries;
                queries.push(ir::ServiceQuery {
                    name: query.text.clone(),
                    method,
                    params,
                    returns: returns.clone(),
                });
                queries.len() - 1
            }
        };
        Ok(Expr::Served {
            service: service_at,
            query: query_at,
            args: exprs,
            ty: returns,
        })
    }

    /// `<query> [args] in <Model>`: a query of another model of the spec,
    /// asked when proposing, so in a guard or a source only; each argument
    /// an input of its parameter's type.
    fn asked(
        &mut self,
        query: &ast::Ident,
        args: &[ast::Ident],
        model: &ast::Ident,
        scope: Scope<'_>,
        span: Span,
    ) -> Result<Expr, ()> {
        if !matches!(scope, Scope::Command(_)) {
            let (here, help) = match scope {
                Scope::Query(..) => (
                    "a derived query",
                    "a derived query reads its own model's entities only; write it by hand, or ask the other model in a guard",
                ),
                _ => (
                    "an effect",
                    "an effect changes what its own model holds; ask the other model in a guard or a source of the event",
                ),
            };
            self.out.push(
                err(
                    codes::ASKED_WHERE_NOT_ALLOWED,
                    format!("another model's query cannot be asked in {here}"),
                    span,
                    "asked here",
                )
                .with_help(help),
            );
            return Err(());
        }
        if model.text == self.model.name {
            self.out.push(
                err(
                    codes::ASKED_WHERE_NOT_ALLOWED,
                    format!(
                        "`{}` is this model: its queries are asked without `in`",
                        model.text
                    ),
                    model.span,
                    "this model",
                )
                .with_help(format!(
                    "write `{} {}`",
                    query.text,
                    names::bracket(args.iter().map(|a| a.text.as_str()))
                )),
            );
            return Err(());
        }
        let others = self.others;
        let Some(other) = others.iter().find(|m| m.name == model.text) else {
            let names: Vec<&str> = others
                .iter()
                .map(|m| m.name.as_str())
                .chain(std::iter::once(self.model.name.as_str()))
                .collect();
            let help = match did_you_mean(&model.text, names.iter().copied()) {
                Some(close) if close != self.model.name => format!("did you mean `{close}`?"),
                _ => "name a model of this spec: `in <Model>` asks a query of another model"
                    .to_string(),
            };
            self.out.push(
                err(
                    codes::UNKNOWN_IN_RULE,
                    format!("the spec has no model `{}`", model.text),
                    model.span,
                    "unknown model",
                )
                .with_help(help),
            );
            return Err(());
        };
        if other.commands.is_empty() {
            self.out.push(
                err(
                    codes::ASKED_WHERE_NOT_ALLOWED,
                    format!(
                        "model `{}` has no actions: nothing ever changes what it answers",
                        other.name
                    ),
                    model.span,
                    "a model without actions",
                )
                .with_help(format!(
                    "give `{}` the actions that record what its queries read, or ask this model instead",
                    other.name
                )),
            );
            return Err(());
        }
        let Some(q) = other.queries.iter().find(|q| q.name == query.text) else {
            let names: Vec<&str> = other.queries.iter().map(|q| q.name.as_str()).collect();
            let help = match did_you_mean(&query.text, names.iter().copied()) {
                Some(close) => format!("did you mean `{close}`?"),
                None if names.is_empty() => format!("`{}` has no queries", other.name),
                None => format!("`{}` has: {}", other.name, names.join(", ")),
            };
            self.out.push(
                err(
                    codes::UNKNOWN_IN_RULE,
                    format!("model `{}` has no query `{}`", other.name, query.text),
                    query.span,
                    "unknown query",
                )
                .with_help(help),
            );
            return Err(());
        };
        if let Some(entity) = entity_in(&q.returns) {
            self.out.push(
                err(
                    codes::ASKED_WHERE_NOT_ALLOWED,
                    format!(
                        "query `{}` of `{}` returns `{}`, an entity of that model",
                        q.name,
                        other.name,
                        q.returns.spec()
                    ),
                    span,
                    "asked here",
                )
                .with_help(format!(
                    "ask a query that answers yes/no or a value, such as `has-{}? [...] in {}`",
                    names::kebab(entity),
                    other.name
                )),
            );
            return Err(());
        }
        let (method, params, returns, line) = (
            q.method.clone(),
            q.params.clone(),
            foreign(&q.returns, other),
            q.spec_line.clone(),
        );
        let exprs = self.arguments(query, args, &params, &line, scope, span)?;
        if let Some(service) = self.model.services.first() {
            self.out.push(mixed(span, &other.name, &service.name));
            return Err(());
        }
        let ask = match self.model.asks.iter().position(|a| a.name == other.name) {
            Some(at) => at,
            None => {
                self.model.asks.push(ir::Ask {
                    name: other.name.clone(),
                    rust: other.rust.clone(),
                    module: other.module.clone(),
                    param: names::unraw(&other.module).to_string(),
                });
                self.model.asks.len() - 1
            }
        };
        Ok(Expr::Asked {
            ask,
            method,
            args: exprs,
            ty: returns,
        })
    }

    /// `[key]` of an entity: one input of the key's type.
    pub(super) fn key(
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
        let Some(expr) = Self::input(scope, &name.text).or_else(|| self.own(scope, &name.text))
        else {
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

    /// An argument of a query that is not an input of the scope. In a
    /// derived query's condition, the entity's fields are not arguments:
    /// the query asked is answered once, not for each entity.
    fn unknown_argument(&mut self, arg: &ast::Ident, scope: Scope<'_>) {
        let Scope::Query(params, entity) = scope else {
            self.unknown_name(arg, scope);
            return;
        };
        let names: Vec<&str> = params.iter().map(|f| f.term.as_str()).collect();
        let field = entity.fields.iter().any(|f| f.term == arg.text);
        let message = if field {
            format!(
                "`{}` is a field of the `{}` looked at, which a query asked here cannot take",
                arg.text, entity.name
            )
        } else {
            format!("`{}` is not a parameter of the query", arg.text)
        };
        let help = match did_you_mean(&arg.text, names.iter().copied()) {
            Some(close) if !field => format!("did you mean `{close}`?"),
            _ if names.is_empty() => format!(
                "a query asked in a condition is answered once, not for each `{}`: its arguments are parameters of the query being defined, which has none",
                entity.name
            ),
            _ => format!(
                "a query asked in a condition is answered once, not for each `{}`: its arguments are parameters of the query being defined: {}",
                entity.name,
                names.join(", ")
            ),
        };
        self.out.push(
            err(
                codes::UNKNOWN_IN_RULE,
                message,
                arg.span,
                "not an argument here",
            )
            .with_help(help),
        );
    }

    /// What a name means in a policy: a field of its event, or a value.
    /// Whatever else an operand reads (a query, an entity's field, the
    /// clock) is the state's when the policy runs, not when its event
    /// happened, and is refused.
    fn policy_named(
        &mut self,
        operand: &ast::Operand,
        scope: Scope<'_>,
    ) -> Result<Option<Expr>, ()> {
        let known = match operand {
            ast::Operand::Value(ast::Value::Word(w)) => {
                if let Some(input) = Self::input(scope, &w.text) {
                    return Ok(Some(input));
                }
                self.model.queries.iter().any(|q| q.name == w.text)
                    || matches!(w.text.as_str(), "today" | "now")
            }
            ast::Operand::Value(_) => false,
            ast::Operand::Sum(sum) => {
                self.out.push(computed_in_policy(sum.span()));
                return Err(());
            }
            _ => true,
        };
        if !known {
            return Ok(None);
        }
        let text = super::text::operand_text(operand);
        self.out.push(
            err(
                codes::POLICY,
                format!("a policy reads its event, and `{text}` is not in it"),
                operand.span(),
                "read when the policy runs, not when the event happened",
            )
            .with_help(format!(
                "record it in the event under its action (`<field> = {text}`, with `<field>` in the event's brackets) and read that field here"
            )),
        );
        Err(())
    }

    pub(super) fn unknown_name(&mut self, name: &ast::Ident, scope: Scope<'_>) {
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
    pub(super) fn call(
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
        if let Scope::Event(_) = scope {
            self.out.push(
                err(
                    codes::ASKED_WHERE_NOT_ALLOWED,
                    format!("an effect cannot ask `{}`", query.text),
                    query.span,
                    "a query, asked where the event is applied",
                )
                .with_help(format!(
                    "an effect reads the event and the entities it changes: compare a field (`<field> of <Entity> [key]`), or record the answer in the event under the action (`<field> = {} […]`) and read that field here",
                    query.text
                )),
            );
            return Err(());
        }
        if matches!(&q.returns, Type::List(inner) if matches!(**inner, Type::Event(_))) {
            self.out.push(
                err(
                    codes::ASKED_WHERE_NOT_ALLOWED,
                    format!("a rule cannot ask `{}`", query.text),
                    query.span,
                    "a history query",
                )
                .with_help("a history is read from the stored events, not from the model the rules decide on; ask a query over the entities instead (`status of Parcel [parcel-id]`), or record what the rule needs in an entity's field"),
            );
            return Err(());
        }
        let (method, params, returns, line) = (
            q.method.clone(),
            q.params.clone(),
            q.returns.clone(),
            q.spec_line.clone(),
        );
        let exprs = self.arguments(query, args, &params, &line, scope, span)?;
        Ok(Expr::Call {
            method,
            args: exprs,
            ty: returns,
        })
    }

    /// The arguments of a query, each an input of its parameter's type.
    fn arguments(
        &mut self,
        query: &ast::Ident,
        args: &[ast::Ident],
        params: &[ir::Field],
        line: &str,
        scope: Scope<'_>,
        span: Span,
    ) -> Result<Vec<Expr>, ()> {
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
        for (arg, param) in args.iter().zip(params) {
            let Some(expr) = Self::input(scope, &arg.text).or_else(|| self.own(scope, &arg.text))
            else {
                self.unknown_argument(arg, scope);
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
        Ok(exprs)
    }

    /// An operand as a value of `hint` (when it is a literal).
    /// `today` and `now`: the clock's date and time, read when a command
    /// is proposed or a query answered, never when an event is applied
    /// (replaying the event on another day would change it).
    fn clock(&mut self, word: &ast::Ident, scope: Scope<'_>) -> Result<Option<Expr>, ()> {
        let today = word.text == "today";
        if let Scope::Event(_) = scope {
            let field = if today { "failed-on" } else { "failed-at" };
            self.out.push(
                err(
                    codes::ASKED_WHERE_NOT_ALLOWED,
                    format!("an effect cannot read `{}`", word.text),
                    word.span,
                    "read when the event is applied",
                )
                .with_help(format!(
                    "an effect is applied again each time the event is replayed, on another day: put the moment in the event instead, a field in its brackets filled under the action (`{field} = {}`), and set this from that field",
                    word.text
                )),
            );
            return Err(());
        }
        Ok(Some(Expr::Clock {
            ty: if today { Type::Date } else { Type::Timestamp },
        }))
    }

    pub(super) fn operand(
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

    /// A number computed from others (`balance of Account [id] + amount`):
    /// each side a number of one type, `integer`, `number` or `decimal`,
    /// which is the result's; a written number takes the other side's
    /// type, or `hint`'s.
    pub(super) fn sum(
        &mut self,
        sum: &ast::Sum,
        scope: Scope<'_>,
        hint: Option<&Type>,
    ) -> Result<Expr, ()> {
        let ast::Sum::Op(left, op, right, span) = sum else {
            let ast::Sum::Operand(operand) = sum else {
                return Err(());
            };
            return self.operand(operand, scope, hint, false);
        };
        let written = |s: &ast::Sum| {
            matches!(
                s,
                ast::Sum::Operand(ast::Operand::Value(ast::Value::Number(_)))
            )
        };
        // The side that is not a written number first: its type is the
        // other's hint.
        let (l, r) = if written(left) && !written(right) {
            let r = self.sum(right, scope, hint)?;
            let l = self.sum(left, scope, Some(r.ty()))?;
            (l, r)
        } else {
            let l = self.sum(left, scope, hint)?;
            let r = self.sum(right, scope, Some(l.ty()))?;
            (l, r)
        };
        let numeric = |t: &Type| matches!(t, Type::Integer | Type::Number | Type::Decimal);
        if l.ty() != r.ty() || !numeric(l.ty()) {
            let optional = [&l, &r]
                .into_iter()
                .any(|e| matches!(e.ty(), Type::Optional(_)));
            self.out.push(
                err(
                    codes::ARITHMETIC_TYPES,
                    format!(
                        "`{}` cannot be computed from a `{}` and a `{}`",
                        op.symbol(),
                        l.ty().spec(),
                        r.ty().spec()
                    ),
                    *span,
                    "not two numbers of one type",
                )
                .with_help(if optional {
                    "an optional value may be nothing, which has no sum: give its term a default instead of making it optional (`default 0`)"
                } else {
                    "`+`, `-`, `*` and `/` take two `integer`s, two `number`s or two `decimal`s"
                }),
            );
            return Err(());
        }
        let ty = l.ty().clone();
        Ok(Expr::Arith {
            op: *op,
            left: Box::new(l),
            right: Box::new(r),
            ty,
        })
    }

    pub(super) fn condition(
        &mut self,
        condition: &ast::Condition,
        scope: Scope<'_>,
    ) -> Result<Condition, ()> {
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
            ast::Condition::All(parts, _) | ast::Condition::Any(parts, _) => {
                let any = matches!(condition, ast::Condition::Any(..));
                if any {
                    // `a and b or c`: `and` goes first, but a reader
                    // should not have to know that.
                    if let Some(both) = parts.iter().find(|p| matches!(p, ast::Condition::All(..)))
                    {
                        self.out.push(
                            err(
                                codes::AND_OR_UNGROUPED,
                                "this condition joins `and` and `or` without saying which goes first",
                                both.span(),
                                "group this with parentheses",
                            )
                            .with_help(format!(
                                "`and` goes first: if that is what you mean, write `({})`; if not, put the parentheses around the `or`",
                                super::text::condition_text(both)
                            )),
                        );
                        return Err(());
                    }
                }
                // Every part is checked, so that each mistake is reported.
                let lowered: Vec<Result<Condition, ()>> = parts
                    .iter()
                    .map(|part| self.condition(part, scope))
                    .collect();
                let parts = lowered.into_iter().collect::<Result<Vec<_>, ()>>()?;
                Ok(if any {
                    Condition::Any { parts }
                } else {
                    Condition::All { parts }
                })
            }
            ast::Condition::Negated(part, _) => Ok(Condition::Negate {
                part: Box::new(self.condition(part, scope)?),
            }),
            ast::Condition::Grouped(part, _) => self.condition(part, scope),
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
                    ast::Comparator::Within(n) => Cmp::Within(*n),
                    ast::Comparator::Beyond(n) => Cmp::Beyond(*n),
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
                            || matches!(right.ty(), Type::Optional(inner) if **inner == *left.ty())
                    }
                    // Two dates; the left one may be nothing (then it is
                    // within no days of anything).
                    Cmp::Within(_) | Cmp::Beyond(_) => {
                        let moment = matches!(right.ty(), Type::Date | Type::Timestamp);
                        let left_inner = match left.ty() {
                            Type::Optional(inner) => inner.as_ref(),
                            other => other,
                        };
                        moment && left_inner == right.ty()
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
                        } else if matches!(cmp, Cmp::Within(_) | Cmp::Beyond(_)) {
                            "`within <n> days of` compares two dates or two timestamps: one (or an optional one) on the left, one of the same type on the right (`due is within 3 days of today`)".to_string()
                        } else if let Some(optional) = [&left, &right]
                            .into_iter()
                            .find(|e| matches!(e.ty(), Type::Optional(_)))
                        {
                            format!(
                                "an `{}` may be nothing, which has no order: `is` and `is not` compare it with a value or `nothing`; to order it, give its term a default instead of making it optional (`default 0`)",
                                optional.ty().spec()
                            )
                        } else {
                            "`more than`, `less than`, `at least` and `at most` compare numbers, dates and timestamps of one type".to_string()
                        }),
                    );
                    return Err(());
                }
                // Both sides read the same value: the test never depends
                // on anything (`doctor-id is doctor-id` where both name the
                // entity's field).
                if left == right && !matches!(left, Expr::Literal { .. }) {
                    let always = matches!(cmp, Cmp::Eq | Cmp::Ge | Cmp::Le | Cmp::Within(_));
                    self.out.push(
                        err(
                            codes::CONDITION_CONTRADICTS,
                            format!(
                                "both sides of `{}` read the same value: it {}",
                                super::text::condition_text(condition),
                                if always { "always holds" } else { "never holds" }
                            ),
                            *span,
                            "compared with itself",
                        )
                        .with_help("compare with another value: a name means a parameter or a field of the entity looked at, whichever the side says first (see `esgen explain E0140`)"),
                    );
                    return Err(());
                }
                Ok(Condition::Compare { left, cmp, right })
            }
        }
    }
}

/// The type a literal compared with a value of `ty` should have.
/// A value a policy would compute: it passes its event's values as they
/// are.
pub(super) fn computed_in_policy(span: Span) -> crate::diagnostics::Diagnostic {
    err(
        codes::POLICY,
        "a policy passes its event's values as they are, and computes none",
        span,
        "computed here",
    )
    .with_help("compute it when the event happens, in a source under its action (`<field> = …`, with `<field>` in the event's brackets), and read that field here")
}

fn compare_hint(ty: &Type, right: &ast::Operand) -> Type {
    match (ty, right) {
        (Type::Optional(_), ast::Operand::Value(ast::Value::Word(w))) if w.text == "nothing" => {
            ty.clone()
        }
        (Type::Optional(inner), _) => (**inner).clone(),
        _ => ty.clone(),
    }
}

/// A type of another model as this model's code names it: its choices by
/// their path (`super::shows::Stage`), so that they compare only with
/// themselves and their values are written where that model declares them.
fn foreign(ty: &Type, other: &ir::Model) -> Type {
    match ty {
        Type::Choice(rust) if other.choices.iter().any(|c| c.rust == *rust) => {
            Type::Choice(format!("super::{}::{rust}", other.module))
        }
        Type::List(inner) => Type::List(Box::new(foreign(inner, other))),
        Type::Optional(inner) => Type::Optional(Box::new(foreign(inner, other))),
        _ => ty.clone(),
    }
}

/// The entity a type holds, if it holds one.
fn entity_in(ty: &Type) -> Option<&str> {
    match ty {
        Type::Entity(name) => Some(name),
        Type::List(inner) | Type::Optional(inner) => entity_in(inner),
        _ => None,
    }
}

/// A model that asks both another model and a service outside the spec:
/// its cqrs-es `Services` would have to be both, which esgen does not
/// generate.
fn mixed(span: Span, model: &str, service: &str) -> crate::diagnostics::Diagnostic {
    err(
        codes::ASKED_WHERE_NOT_ALLOWED,
        format!("this model asks both the model `{model}` and the service `{service}`"),
        span,
        "asked here",
    )
    .with_help(format!(
        "esgen cannot yet hand one model both other models and services: ask `{model}`'s answer through the service (`… from {service}`), or move this rule to a model that asks only one of them"
    ))
}
