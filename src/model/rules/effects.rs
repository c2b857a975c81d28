//! How each event changes the state.

use super::text::effect_text;
use super::{err, Pass, Scope};
use crate::diagnostics::{codes, did_you_mean};
use crate::model::ir::{self, Effect, Expr, Literal, Type};
use crate::source::Span;
use crate::syntax::ast;
use std::collections::HashMap;

impl Pass<'_> {
    pub(super) fn effects(&mut self, model: &ast::Model) {
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
                if let (true, ast::EffectKind::Moves(to)) = (ok, &line.kind) {
                    ok &= self.move_guard(action, line, to).is_ok();
                }
            }
            if !ok {
                continue;
            }
            self.lowered.extend(lines.iter().map(|l| l.span));
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

    /// The lifecycle field of `entity` whose choice has the value `to`:
    /// (the field, its choice's index).
    fn lifecycle_field(&self, fields: &[ir::Field], to: &str) -> Vec<(ir::Field, usize)> {
        fields
            .iter()
            .filter_map(|f| {
                let Type::Choice(rust) = &f.ty else {
                    return None;
                };
                let at = self.model.choices.iter().position(|c| c.rust == *rust)?;
                let choice = &self.model.choices[at];
                (!choice.moves.is_empty() && choice.values.iter().any(|(w, _)| w == to))
                    .then(|| (f.clone(), at))
            })
            .collect()
    }

    /// `moves <Entity> [key] to <value>`: the guard that refuses the
    /// command unless the entity's lifecycle field may move to the value
    /// now, put after the action's own guards.
    fn move_guard(
        &mut self,
        action: &ast::Action,
        line: &ast::Effect,
        to: &ast::Ident,
    ) -> Result<(), ()> {
        let Some(c) = self
            .model
            .commands
            .iter()
            .position(|c| c.name == action.command.text)
        else {
            return Err(());
        };
        // The field moved, as the guard reads it, and how the message names
        // its holder: (read, word, key parameter).
        let (choice, read, word, key_rust) = if line.own {
            let own: Vec<ir::Field> = self.model.own.iter().map(|o| o.field.clone()).collect();
            let Some((field, choice)) = self.lifecycle_field(&own, &to.text).into_iter().next()
            else {
                return Err(());
            };
            let read = Expr::Own {
                rust: field.rust.clone(),
                ty: field.ty.clone(),
            };
            let word = crate::model::names::kebab(&self.model.name);
            (choice, read, word, None)
        } else {
            let store = self.store_of(&line.entity).ok_or(())?;
            let entity = self.model.store_entity(store).clone();
            let Some((field, choice)) = self
                .lifecycle_field(&entity.fields, &to.text)
                .into_iter()
                .next()
            else {
                return Err(());
            };
            let params = self.model.commands[c].params.clone();
            let key = self.key(store, &line.key, Scope::Command(&params), line.span)?;
            let Expr::Input { rust: key_rust, .. } = &key else {
                return Err(());
            };
            let key_rust = key_rust.clone();
            let read = Expr::FieldOf {
                store,
                field: field.rust.clone(),
                key: Box::new(key),
                ty: field.ty.clone(),
            };
            let word = crate::model::names::kebab(&entity.name);
            (choice, read, word, Some(key_rust))
        };
        let at = choice;
        let choice = self.model.choices[at].clone();
        let from: Vec<&String> = choice
            .moves
            .iter()
            .filter(|(_, t)| *t == to.text)
            .map(|(f, _)| f)
            .collect();
        if from.is_empty() {
            self.out.push(
                err(
                    codes::NOT_IN_CHOICE,
                    format!("no move of `{}` leads to `{}`", choice.term, to.text),
                    to.span,
                    "nothing moves here",
                )
                .with_help(format!(
                    "add a move to `{}` to the term's `moves`, e.g. `moves … -> {}`",
                    to.text, to.text
                )),
            );
            return Err(());
        }
        let test = |value: &str| ir::Condition::Compare {
            left: read.clone(),
            cmp: ir::Cmp::Eq,
            right: self.choice_value(at, value, read.ty()),
        };
        let condition = match from.as_slice() {
            [one] => test(one),
            many => ir::Condition::Any {
                parts: many.iter().map(|v| test(v)).collect(),
            },
        };
        let allowed = match from.as_slice() {
            [one] => format!("`{one}`"),
            many => {
                let (last, rest) = many.split_last().unwrap_or((&many[0], &[]));
                format!(
                    "{} or `{last}`",
                    rest.iter()
                        .map(|v| format!("`{v}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        };
        let spec_line = super::text::effect_text(line, &self.model.entities);
        let command = &mut self.model.commands[c];
        let moved = if line.own {
            String::new()
        } else {
            format!("{word}-")
        };
        let mut rule = format!("{}/moves-{moved}to-{}", command.name, to.text);
        let mut n = 2;
        while command.guards.iter().any(|g| g.rule == rule) {
            rule = format!("{}/moves-{moved}to-{}-{n}", command.name, to.text);
            n += 1;
        }
        let mut message = vec![ir::MessagePart::Text(format!("{word} "))];
        if let Some(key) = key_rust {
            message.push(ir::MessagePart::Param(key));
            message.push(ir::MessagePart::Text(" ".to_string()));
        }
        message.push(ir::MessagePart::Text("is `".to_string()));
        message.push(ir::MessagePart::Field(read));
        message.push(ir::MessagePart::Text(format!(
            "`: it moves to `{}` only from {allowed}",
            to.text
        )));
        command.guards.push(ir::Guard {
            rule,
            unless: true,
            condition,
            message,
            kind: ir::RejectionKind::Refused,
            spec_line,
        });
        Ok(())
    }

    /// An effect's value for a field of type `ty`: an event field or a
    /// written value of that type (or of its inner type, for an optional).
    fn effect_value(
        &mut self,
        value: &ast::Value,
        ty: &Type,
        scope: Scope<'_>,
    ) -> Result<Expr, ()> {
        let operand = ast::Operand::Value(value.clone());
        let expr = self.operand(&operand, scope, Some(ty), false)?;
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
            self.out.push(
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
    }

    /// `Ok` when a field of type `ty` may go up and down; else reported.
    fn numeric(&mut self, field: &ast::Ident, ty: &Type) -> Result<(), ()> {
        if ty.is_numeric() {
            return Ok(());
        }
        self.out.push(
            err(
                codes::WRONG_VALUE_TYPE,
                format!(
                    "`{}` is a `{}`: it cannot be increased or decreased",
                    field.text,
                    ty.spec()
                ),
                field.span,
                "not a number",
            )
            .with_help(
                "only `integer`, `number` and `decimal` fields go up and down; use `sets … to …`",
            ),
        );
        Err(())
    }

    /// A value of a choice, written as the spec writes it (`delivered`).
    fn choice_value(&self, choice: usize, word: &str, ty: &Type) -> Expr {
        let choice = &self.model.choices[choice];
        let variant = choice
            .values
            .iter()
            .find(|(w, _)| w == word)
            .map_or_else(String::new, |(_, v)| v.clone());
        Expr::Literal {
            value: Literal::Choice(choice.rust.clone(), variant, word.to_string()),
            ty: ty.clone(),
        }
    }

    /// `sets <field> to <value>`, `increases|decreases <field> by
    /// <value>`: a field of the model's `State:`.
    fn own_effect(&mut self, effect: &ast::Effect, scope: Scope<'_>) -> Result<Effect, ()> {
        if let ast::EffectKind::Moves(to) = &effect.kind {
            let own: Vec<ir::Field> = self.model.own.iter().map(|o| o.field.clone()).collect();
            let fields = self.lifecycle_field(&own, &to.text);
            let [(f, choice)] = fields.as_slice() else {
                let message = if fields.is_empty() {
                    format!(
                        "the model's own record has no lifecycle with the value `{}`",
                        to.text
                    )
                } else {
                    format!(
                        "two fields of the model's own record may move to `{}`",
                        to.text
                    )
                };
                self.out.push(
                    err(codes::NOT_IN_CHOICE, message, to.span, "no one field moves to this")
                        .with_help("give one choice field of `State:` its moves in `Terms:`: `- status: one of [a b], moves a -> b`"),
                );
                return Err(());
            };
            return Ok(Effect::SetsOwn {
                field: f.rust.clone(),
                value: self.choice_value(*choice, &to.text, &f.ty),
            });
        }
        let (field, value) = match &effect.kind {
            ast::EffectKind::Sets(field, value) => (field, value),
            ast::EffectKind::Changes { field, by, .. } => (field, by),
            _ => return Err(()),
        };
        let Some(own) = self.model.own.iter().find(|o| o.field.term == field.text) else {
            let names: Vec<&str> = self
                .model
                .own
                .iter()
                .map(|o| o.field.term.as_str())
                .collect();
            let help = match did_you_mean(&field.text, names.iter().copied()) {
                Some(close) => format!("did you mean `{close}`?"),
                None if names.is_empty() => format!(
                    "name the entity whose field it is: `{} {} of <Entity> [key] …`, or declare the model's own record: `State: [{} …]`",
                    if matches!(effect.kind, ast::EffectKind::Sets(..)) { "sets" } else { "increases" },
                    field.text,
                    field.text
                ),
                None => format!("the state has: {}; or name an entity: `… {} of <Entity> [key] …`", names.join(", "), field.text),
            };
            self.out.push(
                err(
                    codes::UNKNOWN_IN_RULE,
                    format!("the model's state has no field `{}`", field.text),
                    field.span,
                    "not a field of `State:`",
                )
                .with_help(help),
            );
            return Err(());
        };
        let f = own.field.clone();
        if let ast::Value::Word(word) = value {
            let of_state = self.model.own.iter().any(|o| o.field.term == word.text);
            if of_state && Self::input(scope, &word.text).is_none() {
                self.out.push(
                    err(
                        codes::UNKNOWN_IN_RULE,
                        format!("`{}` is not a field of the event", word.text),
                        word.span,
                        "the state's own field",
                    )
                    .with_help(format!(
                        "an effect sets what the event records: add `{}` to the event's brackets",
                        word.text
                    )),
                );
                return Err(());
            }
        }
        let expr = self.effect_value(value, &f.ty, scope)?;
        Ok(match &effect.kind {
            ast::EffectKind::Changes { increase, .. } => {
                self.numeric(field, &f.ty)?;
                Effect::ChangesOwn {
                    field: f.rust,
                    by: expr,
                    increase: *increase,
                }
            }
            _ => Effect::SetsOwn {
                field: f.rust,
                value: expr,
            },
        })
    }

    pub(super) fn effect(
        &mut self,
        effect: &ast::Effect,
        scope: Scope<'_>,
    ) -> Result<Option<Effect>, ()> {
        if effect.kind == ast::EffectKind::Nothing {
            if let Some(condition) = &effect.when {
                self.out.push(
                    err(
                        codes::UNKNOWN_IN_RULE,
                        "`changes nothing` has no condition to apply under",
                        condition.span(),
                        "a condition on nothing",
                    )
                    .with_help("leave out `if …`, or make it the condition of an effect that changes something"),
                );
                return Err(());
            }
            return Ok(None);
        }
        if let Some(condition) = &effect.when {
            let plain = ast::Effect {
                when: None,
                ..effect.clone()
            };
            let conditional = matches!(
                plain.kind,
                ast::EffectKind::Sets(..) | ast::EffectKind::Removes
            );
            if !conditional {
                self.out.push(
                    err(
                        codes::UNKNOWN_IN_RULE,
                        "only `sets` and `removes` apply under a condition",
                        condition.span(),
                        "a condition on this effect",
                    )
                    .with_help("an `adds`, `increases`, `decreases` or `removes each` applies to every event: give the condition to a `sets` or `removes`, or accept the action as another event"),
                );
                return Err(());
            }
            let inner = self.effect(&plain, scope)?;
            let resolved = self.condition(condition, scope)?;
            if let Some(found) = super::logic::check(condition, true) {
                self.out.push(found);
                return Err(());
            }
            return Ok(inner.map(|effect| Effect::When {
                condition: resolved,
                then: Box::new(effect),
            }));
        }
        if effect.own {
            return self.own_effect(effect, scope).map(Some);
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
        Ok(Some(match &effect.kind {
            ast::EffectKind::Moves(to) => {
                let fields = self.lifecycle_field(&entity.fields, &to.text);
                let Some((f, choice)) = fields.first().cloned() else {
                    self.out.push(
                        err(
                            codes::NOT_IN_CHOICE,
                            format!("`{}` has no lifecycle with the value `{}`", entity.name, to.text),
                            to.span,
                            "no field moves to this",
                        )
                        .with_help("give a choice field of the entity its moves in `Terms:`: `- status: one of [a b], moves a -> b`"),
                    );
                    return Err(());
                };
                if fields.len() > 1 {
                    self.out.push(
                        err(
                            codes::NOT_IN_CHOICE,
                            format!("two fields of `{}` may move to `{}`", entity.name, to.text),
                            to.span,
                            "which one?",
                        )
                        .with_help("write `sets <field> of <Entity> [key] to <value>` for the one you mean"),
                    );
                    return Err(());
                }
                let key = self.key(store, &effect.key, scope, effect.span)?;
                Effect::Sets {
                    store,
                    key,
                    value: self.choice_value(choice, &to.text, &f.ty),
                    field: f.rust,
                }
            }
            ast::EffectKind::Adds => {
                let mut fields = Vec::new();
                let mut ok = true;
                for field in &entity.fields {
                    let expr = if let Some(input) = Self::input(scope, &field.term) {
                        let fits = *input.ty() == field.ty
                            || matches!(&field.ty, Type::Optional(inner) if **inner == *input.ty());
                        if !fits {
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
                                "if `{term}` is only known later, write it `optional` in the entity's brackets (`Entity: {entity} [… optional {term}]`): a new {entity} has none until an effect sets it, and commands and events keep `{term}` as it is; if it is known when the {entity} is added, add it to the event's brackets; if every new one starts with the same value, give its term a default (`…, default <value>`)",
                                term = field.term,
                                entity = entity.name,
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
                if entity.fields.first().is_some_and(|key| key.rust == f.rust) {
                    self.out.push(
                        err(
                            codes::WRONG_VALUE_TYPE,
                            format!("`{}` is the key of `{}`: it cannot change", field.text, entity.name),
                            field.span,
                            "the entity's key",
                        )
                        .with_help(format!(
                            "an entity keeps its key for life: to move one, `removes {} [...]` and `adds {}` under another key",
                            entity.name, entity.name
                        )),
                    );
                    return Err(());
                }
                let key = self.key(store, &effect.key, scope, effect.span)?;
                let value = self.effect_value(value, &f.ty, scope)?;
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
                self.numeric(field, &f.ty)?;
                let key = self.key(store, &effect.key, scope, effect.span)?;
                let by = self.effect_value(by, &f.ty, scope)?;
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
