//! Accepting methods: each effect of an event applied to the state.

use super::*;

impl Behaviour<'_> {
    /// The body of a generated accepting method, at indentation 8.
    pub fn accepting(&self, effects: &[Effect]) -> String {
        if effects.is_empty() {
            return "        let _ = (self, event);".into();
        }
        let mut out = vec!["        let state = self.as_mut();".to_string()];
        for effect in effects {
            out.push(self.effect(effect));
        }
        out.join("\n")
    }

    fn effect(&self, effect: &Effect) -> String {
        self.effect_at(effect, 8)
    }

    /// An effect, at indentation `at` (8, or 12 under a condition: only a
    /// `sets` or a `removes` is ever there).
    fn effect_at(&self, effect: &Effect, at: usize) -> String {
        let pad = spaces(at);
        let owned = |e: &Expr| -> String {
            match e {
                Expr::Input { rust, ty } if ty.is_copy_or_optional_copy() => {
                    format!("event.{rust}")
                }
                Expr::Input { rust, .. } => format!("event.{rust}.clone()"),
                other => self.value(other, Ctx::Event, ""),
            }
        };
        match effect {
            Effect::When { condition, then } => {
                self.lookups.borrow_mut().clear();
                let joined = self.joined(condition, Ctx::Event, "", true);
                let mut out = self.if_head(&joined, "applies");
                out.push_str(&self.effect_at(then, 12));
                out.push_str("\n        }");
                out
            }
            Effect::Adds { store, fields } => {
                let entity = self.model.store_entity(*store);
                let values: Vec<(String, String)> = fields
                    .iter()
                    .map(|(f, e)| {
                        // A field unknown until set, given at once.
                        let starts_empty = entity.fields.iter().any(|field| {
                            field.rust == *f
                                && matches!(&field.ty, Type::Optional(inner) if **inner == *e.ty())
                        });
                        if starts_empty {
                            (f.clone(), format!("Some({})", owned(e)))
                        } else {
                            (f.clone(), owned(e))
                        }
                    })
                    .collect();
                let head = format!("state.{}.insert(", self.store_field(*store));
                struct_lit(8, &head, &entity.rust, &values, ");")
            }
            Effect::Sets {
                store,
                key,
                field,
                value,
            } => {
                let b = self.binding(*store);
                let lookup = format!(
                    "{pad}if let Some({b}) = state.{}.get_mut({}) {{",
                    self.store_field(*store),
                    self.key_ref(key, Ctx::Event)
                );
                let field_ty = self
                    .model
                    .store_entity(*store)
                    .fields
                    .iter()
                    .find(|f| f.rust == *field)
                    .map(|f| f.ty.clone());
                // A value put into an optional field that is not optional
                // itself.
                let wrap = matches!(field_ty, Some(Type::Optional(_)))
                    && !matches!(value.ty(), Type::Optional(_))
                    && !matches!(
                        value,
                        Expr::Literal {
                            value: Literal::Nothing,
                            ..
                        }
                    );
                let set = match value {
                    Expr::Input { rust, ty } if !ty.is_copy() && !wrap => {
                        format!("{pad}    {b}.{field}.clone_from(&event.{rust});")
                    }
                    Expr::Literal { .. } => {
                        let ty = field_ty.unwrap_or_else(|| value.ty().clone());
                        let Expr::Literal { value, .. } = value else {
                            unreachable!("matched a literal")
                        };
                        assign(at + 4, &format!("{b}.{field}"), &literal(value, &ty))
                    }
                    other if wrap => assign(
                        at + 4,
                        &format!("{b}.{field}"),
                        &format!("Some({})", owned(other)),
                    ),
                    other => assign(at + 4, &format!("{b}.{field}"), &owned(other)),
                };
                format!("{lookup}\n{set}\n{pad}}}")
            }
            Effect::Changes {
                store,
                key,
                field,
                by,
                increase,
            } => {
                let b = self.binding(*store);
                let entity = self.model.store_entity(*store);
                let ty = entity
                    .fields
                    .iter()
                    .find(|f| f.rust == *field)
                    .map(|f| f.ty.clone())
                    .unwrap_or(Type::Integer);
                let lookup = format!(
                    "        if let Some({b}) = state.{}.get_mut({}) {{",
                    self.store_field(*store),
                    self.key_ref(key, Ctx::Event)
                );
                let by = owned(by);
                let op = if *increase { "add" } else { "sub" };
                let set = match ty {
                    Type::Number => {
                        let sign = if *increase { "+=" } else { "-=" };
                        format!("            {b}.{field} {sign} {by};")
                    }
                    _ => assign(
                        12,
                        &format!("{b}.{field}"),
                        &format!("{b}.{field}.saturating_{op}({by})"),
                    ),
                };
                format!("{lookup}\n{set}\n        }}")
            }
            Effect::SetsOwn { field, value } => {
                let field_ty = self
                    .model
                    .own
                    .iter()
                    .find(|o| o.field.rust == *field)
                    .map(|o| o.field.ty.clone());
                let wrap = matches!(field_ty, Some(Type::Optional(_)))
                    && !matches!(value.ty(), Type::Optional(_))
                    && !matches!(
                        value,
                        Expr::Literal {
                            value: Literal::Nothing,
                            ..
                        }
                    );
                match value {
                    Expr::Input { rust, ty } if !ty.is_copy() && !wrap => {
                        format!("{pad}state.{field}.clone_from(&event.{rust});")
                    }
                    Expr::Literal { value, ty } => {
                        let ty = field_ty.unwrap_or_else(|| ty.clone());
                        assign(at, &format!("state.{field}"), &literal(value, &ty))
                    }
                    other if wrap => assign(
                        at,
                        &format!("state.{field}"),
                        &format!("Some({})", owned(other)),
                    ),
                    other => assign(at, &format!("state.{field}"), &owned(other)),
                }
            }
            Effect::ChangesOwn {
                field,
                by,
                increase,
            } => {
                let ty = self
                    .model
                    .own
                    .iter()
                    .find(|o| o.field.rust == *field)
                    .map_or(Type::Integer, |o| o.field.ty.clone());
                let by = owned(by);
                match ty {
                    Type::Number => {
                        let sign = if *increase { "+=" } else { "-=" };
                        format!("        state.{field} {sign} {by};")
                    }
                    _ => {
                        let op = if *increase { "add" } else { "sub" };
                        assign(
                            8,
                            &format!("state.{field}"),
                            &format!("state.{field}.saturating_{op}({by})"),
                        )
                    }
                }
            }
            Effect::Removes { store, key } => chained(
                at,
                "",
                &format!(
                    "state.{}.remove({})",
                    self.store_field(*store),
                    self.key_ref(key, Ctx::Event)
                ),
                ";",
            ),
            Effect::RemovesEach { store, keys } => {
                let field = self.store_field(*store);
                format!(
                    "        for key in &{} {{\n            state.{field}.remove(key);\n        }}",
                    self.place(keys, Ctx::Event, "")
                )
            }
        }
    }
}
