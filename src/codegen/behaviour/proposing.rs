//! Proposing methods: the command's guards, with the lookups, services
//! and computed values they read, then the event's fields.

use super::*;

impl Behaviour<'_> {
    /// The body of a generated proposing method, at indentation 8.
    pub fn proposing(&self, command: &crate::model::ir::Command) -> String {
        self.served.borrow_mut().clear();
        let event = self.model.event_of(command);
        let mut out = Vec::new();
        let mut read = Vec::new();
        command.visit(&mut |e| {
            if matches!(e, Expr::Clock { .. }) {
                read.push(e.clone());
            }
        });
        let reads = clock_reads(read.iter().collect());
        if !reads.is_empty() {
            out.push(reads.trim_end().to_string());
        }
        for guard in &command.guards {
            out.push(self.guard(command, guard));
        }
        let Some(from) = &command.proposing else {
            return out.join("\n");
        };
        let mut fields = Vec::new();
        for f in from {
            let asked = self.ask_services(command, [&f.expr]);
            if !asked.is_empty() {
                out.push(asked.trim_end().to_string());
            }
            let value = match &f.expr {
                Expr::Input { rust, .. } => format!("command.{rust}"),
                Expr::FieldOf {
                    store,
                    field,
                    key,
                    ty,
                } => {
                    let b = self.binding(*store);
                    out.push(self.found(command, *store, key, &b));
                    let clone = if ty.is_copy_or_optional_copy() {
                        ""
                    } else {
                        ".clone()"
                    };
                    let local = format!("{b}_{field}");
                    out.push(format!("        let {local} = {b}.{field}{clone};"));
                    local
                }
                Expr::Arith { .. } => {
                    let local = names::unraw(&f.field).to_string();
                    let mut bound: Vec<(String, String)> = Vec::new();
                    // Each entity it reads, found first (or not found).
                    f.expr.visit(&mut |e| {
                        let Expr::FieldOf { store, key, .. } = e else {
                            return;
                        };
                        let lookup = self.command_lookup(*store, key);
                        if bound.iter().any(|(l, _)| *l == lookup) {
                            return;
                        }
                        let mut b = self.binding(*store);
                        while bound.iter().any(|(_, other)| *other == b) {
                            b = format!("other_{b}");
                        }
                        out.push(self.found(command, *store, key, &b));
                        bound.push((lookup, b));
                    });
                    let computed = self.checked(&f.expr, &bound).0;
                    out.push(assign(8, &format!("let {local}"), &computed));
                    let mut lines = format!("        let Some({local}) = {local} else {{\n");
                    lines.push_str(&self.rejection(
                        12,
                        command,
                        &self.model.computed_rule(command, &f.term),
                        "Invalid",
                        &string(&crate::eval::out_of_range(&f.term, &f.spec)),
                    ));
                    lines.push_str("\n        };");
                    out.push(lines);
                    local
                }
                other => {
                    let local = names::unraw(&f.field).to_string();
                    let mut value = self.value(other, Ctx::Command, "");
                    if matches!(other, Expr::Own { .. }) && !other.ty().is_copy_or_optional_copy() {
                        // Read from the state the method borrows.
                        value.push_str(".clone()");
                    }
                    out.push(assign(8, &format!("let {local}"), &value));
                    local
                }
            };
            fields.push((f.field.clone(), value));
        }
        let checks = self.ranges(command);
        if checks.is_empty() {
            out.push(struct_lit(8, "Ok(", &event.rust, &fields, ")"));
        } else {
            out.push(struct_lit(8, "let event = ", &event.rust, &fields, ";"));
            out.extend(checks);
            out.push("        Ok(event)".into());
        }
        out.join("\n")
    }

    /// For each `increases` and `decreases` of the event, a rejection
    /// (kind `invalid`, rule `<action>/<field>-of-<entity>-in-range`) when
    /// the change would take the field out of its type's range: checked
    /// here, so that accepting the event never has to clamp it.
    fn ranges(&self, command: &crate::model::ir::Command) -> Vec<String> {
        let event = self.model.event_of(command);
        let mut out = Vec::new();
        for effect in event.effects.iter().flatten() {
            if let Effect::ChangesOwn {
                field,
                by,
                increase,
            } = effect
            {
                out.extend(self.own_range(command, field, by, *increase));
                continue;
            }
            let Effect::Changes {
                store,
                key,
                field,
                by,
                increase,
            } = effect
            else {
                continue;
            };
            let entity = self.model.store_entity(*store);
            let Some(f) = entity.fields.iter().find(|f| f.rust == *field) else {
                continue;
            };
            let b = self.binding(*store);
            let by = match by {
                Expr::Input { rust, .. } => format!("event.{rust}"),
                other => self.value(other, Ctx::Event, ""),
            };
            let (op, sign) = if *increase {
                ("add", "+")
            } else {
                ("sub", "-")
            };
            let test = match f.ty {
                Type::Number => format!("!({b}.{field} {sign} {by}).is_finite()"),
                _ => format!("{b}.{field}.checked_{op}({by}).is_none()"),
            };
            let entity_word = names::kebab(&entity.name);
            let rule = self.model.range_rule(command, *store, &f.term);
            let message = format!("`{}` of {entity_word} {{}} would go out of range", f.term);
            let verb = if *increase { "increases" } else { "decreases" };
            let said = format!("{verb} {} of {}", f.term, entity.name);
            let said = event
                .effect_lines
                .iter()
                .find(|l| l.starts_with(&said))
                .unwrap_or(&said);
            let mut lines = format!(
                "        // {}: stays in range\n",
                crate::codegen::rust::inert(said)
            );
            let lookup = format!(
                "self.as_ref().{}.get({})",
                self.store_field(*store),
                self.key_ref(key, Ctx::Event)
            );
            lines.push_str(&assign(8, &format!("let {b}"), &lookup));
            lines.push('\n');
            let condition = format!("{b}.is_some_and(|{b}| {test})");
            let head = format!("        if {condition} {{");
            if width(&head) <= MAX_WIDTH {
                lines.push_str(&head);
            } else {
                lines.push_str(&assign(8, "let refused", &condition));
                lines.push_str("\n        if refused {");
            }
            lines.push('\n');
            let key_place = self.place(key, Ctx::Event, "");
            lines.push_str(&call(
                12,
                "let message = format!",
                &[string(&message), key_place],
                ";",
            ));
            lines.push('\n');
            lines.push_str(&self.rejection(12, command, &rule, "Invalid", "message"));
            lines.push_str("\n        }");
            out.push(lines);
        }
        out
    }

    /// The range check of an `increases` or `decreases` of a field of the
    /// model's `State:` (rule `<action>/<field>-in-range`).
    fn own_range(
        &self,
        command: &crate::model::ir::Command,
        field: &str,
        by: &Expr,
        increase: bool,
    ) -> Option<String> {
        let event = self.model.event_of(command);
        let own = self.model.own.iter().find(|o| o.field.rust == field)?;
        let by = match by {
            Expr::Input { rust, .. } => format!("event.{rust}"),
            other => self.value(other, Ctx::Event, ""),
        };
        let (op, sign) = if increase { ("add", "+") } else { ("sub", "-") };
        let place = format!("self.as_ref().{field}");
        let test = match own.field.ty {
            Type::Number => format!("!({place} {sign} {by}).is_finite()"),
            _ => format!("{place}.checked_{op}({by}).is_none()"),
        };
        let term = &own.field.term;
        let verb = if increase { "increases" } else { "decreases" };
        let said = format!("{verb} {term} by");
        let said = event
            .effect_lines
            .iter()
            .find(|l| l.starts_with(&said))
            .cloned()
            .unwrap_or(said);
        let mut lines = format!(
            "        // {}: stays in range
",
            crate::codegen::rust::inert(&said)
        );
        let head = format!("        if {test} {{");
        if width(&head) <= MAX_WIDTH {
            lines.push_str(&head);
        } else {
            lines.push_str(&assign(8, "let refused", &test));
            lines.push_str("\n        if refused {");
        }
        lines.push('\n');
        let rule = self.model.computed_rule(command, term);
        let message = string(&format!("`{term}` would go out of range"));
        lines.push_str(&self.rejection(
            12,
            command,
            &rule,
            "Invalid",
            &format!("{message}.to_string()"),
        ));
        lines.push_str("\n        }");
        Some(lines)
    }

    pub(super) fn rejection(
        &self,
        indent: usize,
        command: &crate::model::ir::Command,
        rule: &str,
        kind: &str,
        message: &str,
    ) -> String {
        let args = [
            "MODEL".to_string(),
            format!("{}::ACTION", command.rust),
            string(rule),
            format!("RejectionKind::{kind}"),
            message.to_string(),
        ];
        call(indent, "return Err(Rejection::by_rule", &args, ");")
    }

    /// The entity lookups `joined` made, hoisted into `let`s, then `if
    /// <joined> {` at indentation 8 and a new line; a single test too long
    /// for that line is first bound to `named`.
    pub(super) fn if_head(&self, joined: &Joined, named: &str) -> String {
        let mut out = String::new();
        for (lookup, binding) in self.lookups.borrow().iter() {
            out.push_str(&assign(8, &format!("let {binding}"), lookup));
            out.push('\n');
        }
        match joined {
            Joined::Test(test) => {
                let head = format!("        if {test} {{");
                if width(&head) <= MAX_WIDTH && chain_parts(test).len() < 3 {
                    out.push_str(&head);
                } else {
                    out.push_str(&assign(8, &format!("let {named}"), test));
                    out.push_str(&format!("\n        if {named} {{"));
                }
            }
            Joined::Op(..) => out.push_str(&if_joined(joined)),
        }
        out.push('\n');
        out
    }

    fn guard(&self, command: &crate::model::ir::Command, guard: &Guard) -> String {
        self.lookups.borrow_mut().clear();
        let asked = self.ask_services(command, guard.condition.exprs());
        let computed = self.compute(command, guard);
        let joined = self.joined(&guard.condition, Ctx::Command, "", !guard.unless);
        let mut out = format!(
            "        // {}\n",
            crate::codegen::rust::inert(&guard.spec_line)
        );
        out.push_str(&asked);
        out.push_str(&computed);
        out.push_str(&self.if_head(&joined, "refused"));
        // A field the message reads: through the guard's own lookup of its
        // entity when it made one, and `nothing` when the entity is not held.
        let field = |expr: &Expr| {
            let Expr::FieldOf {
                store, field, key, ..
            } = expr
            else {
                return format!("{}.as_str()", self.value(expr, Ctx::Command, ""));
            };
            let lookup = self.command_lookup(*store, key);
            let b = self.binding(*store);
            let found = self.lookups.borrow();
            let receiver = found
                .iter()
                .find(|(l, _)| *l == lookup)
                .map_or(lookup.clone(), |(_, binding)| binding.clone());
            format!("{receiver}.map_or(\"nothing\", |{b}| {b}.{field}.as_str())")
        };
        let message = message(&guard.message, &field);
        if guard
            .message
            .iter()
            .any(|p| matches!(p, MessagePart::Param(_) | MessagePart::Field(_)))
        {
            let args: Vec<String> = split_args(&message);
            out.push_str(&call(12, "let message = format!", &args, ";"));
        } else {
            out.push_str(&format!("            let message = {message};"));
        }
        out.push('\n');
        out.push_str(&self.rejection(12, command, &guard.rule, guard.kind.rust(), "message"));
        out.push_str("\n        }");
        out
    }
}
