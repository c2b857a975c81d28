//! Conditions: comparisons, tests through entity lookups, and their
//! negations pushed down to the tests, as Rust `bool` expressions.

use super::*;

impl Behaviour<'_> {
    /// `left <op> right`, each a place or value.
    fn compare(&self, left: &Expr, cmp: Cmp, right: &Expr, l: &str, r: &str) -> String {
        let op = match cmp {
            Cmp::Eq => "==",
            Cmp::Ne => "!=",
            Cmp::Gt => ">",
            Cmp::Lt => "<",
            Cmp::Ge => ">=",
            Cmp::Le => "<=",
            // Days apart, at most or more than `n`: an optional date that
            // is nothing is within no days of anything.
            Cmp::Within(n) | Cmp::Beyond(n) => {
                let (op, test) = if matches!(cmp, Cmp::Within(_)) {
                    ("<=", "is_some_and")
                } else {
                    (">", "is_none_or")
                };
                return if matches!(left.ty(), Type::Optional(_)) {
                    format!("{l}.{test}(|day| (day - {r}).num_days().abs() {op} {n})")
                } else {
                    format!("({l} - {r}).num_days().abs() {op} {n}")
                };
            }
        };
        let literal_of = |e: &Expr| match e {
            Expr::Literal { value, .. } => Some(value.clone()),
            _ => None,
        };
        match (literal_of(right), left.ty()) {
            (Some(Literal::Nothing), _) => {
                if cmp == Cmp::Eq {
                    format!("{l}.is_none()")
                } else {
                    format!("{l}.is_some()")
                }
            }
            (Some(value), Type::Optional(inner)) if matches!(cmp, Cmp::Eq | Cmp::Ne) => {
                // Compared as options: nothing is never the value.
                let (place, wanted) = match (&value, &**inner) {
                    (Literal::Text(t), _) => (format!("{l}.as_deref()"), string(t)),
                    (Literal::Id(id, t), _) => {
                        (format!("{l}.as_ref().map({id}::as_str)"), string(t))
                    }
                    (_, ty) if ty.is_copy() => (l.to_string(), literal(&value, ty)),
                    (_, ty) => (format!("{l}.as_ref()"), format!("&{}", literal(&value, ty))),
                };
                format!("{place} {op} Some({wanted})")
            }
            (Some(value), Type::Optional(inner)) => {
                let test = self.compare_literal(&value, inner, op, "value");
                format!("{l}.as_ref().is_some_and(|value| {test})")
            }
            (Some(value), ty) => self.compare_literal(&value, ty, op, l),
            // An optional and a value of the type inside it: compared as
            // options, so that nothing is never the value.
            (None, Type::Optional(inner)) if **inner == *right.ty() => {
                format!("{l} {op} {}", Self::some(r, inner))
            }
            (None, ty) if matches!(right.ty(), Type::Optional(inner) if **inner == *ty) => {
                format!("{} {op} {r}", Self::some(l, ty))
            }
            (None, _) => format!("{l} {op} {r}"),
        }
    }

    /// A value of `ty` borrowed inside `Some`, to compare with an optional
    /// that was borrowed (`Option<&T>`, `Option<&str>`): a query's
    /// parameter, already a reference, as it is.
    fn some(place: &str, ty: &Type) -> String {
        match (place.strip_prefix('*'), ty) {
            (Some(borrowed), _) => format!("Some({borrowed})"),
            (None, Type::Text) => format!("Some({place}.as_str())"),
            (None, _) => format!("Some(&{place})"),
        }
    }

    fn compare_literal(&self, value: &Literal, ty: &Type, op: &str, place: &str) -> String {
        let place_deref = if place == "value" {
            "*value".to_string()
        } else {
            place.to_string()
        };
        let empty = |place: String| match op {
            "==" => format!("{place}.is_empty()"),
            _ => format!("!{place}.is_empty()"),
        };
        match (value, ty) {
            (Literal::Text(t), _) if t.is_empty() && matches!(op, "==" | "!=") => {
                empty(place.to_string())
            }
            (Literal::Id(_, t), _) if t.is_empty() && matches!(op, "==" | "!=") => {
                empty(format!("{place}.as_str()"))
            }
            (Literal::Text(t), _) => format!("{place} {op} {}", string(t)),
            (Literal::Id(_, t), _) => format!("{place}.as_str() {op} {}", string(t)),
            (Literal::Boolean(b), _) if matches!(op, "==" | "!=") => {
                if (op == "==") == *b {
                    place_deref
                } else {
                    format!("!{place_deref}")
                }
            }
            _ => format!("{place_deref} {op} {}", literal(value, ty)),
        }
    }

    /// A yes/no expression that reads no entity's field.
    fn truth(&self, expr: &Expr, ctx: Ctx, item: &str) -> String {
        match expr {
            Expr::Input { .. } if ctx == Ctx::Query => self
                .place(expr, ctx, item)
                .trim_start_matches('*')
                .to_string(),
            _ => self.value(expr, ctx, item),
        }
    }

    /// The binding of an entity a condition reads a field of, recording the
    /// lookup in `wraps`: (lookup, receiver, binding). In a proposing
    /// method the lookup is hoisted into a `let` before the guard (see
    /// [`Behaviour::guard`]), and the receiver is that `let`.
    fn lookup(&self, expr: &Expr, ctx: Ctx, item: &str, wraps: &mut Vec<Wrap>) -> String {
        let Expr::FieldOf {
            store, field, key, ..
        } = expr
        else {
            return self.value(expr, ctx, item);
        };
        let lookup = format!(
            "{}.{}.get({})",
            Self::state(ctx),
            self.store_field(*store),
            self.key_ref(key, ctx)
        );
        if let Some(wrap) = wraps.iter().find(|w| w.lookup == lookup) {
            return format!("{}.{field}", wrap.binding);
        }
        let taken = |b: &str| b == item || wraps.iter().any(|w| w.binding == b);
        let binding = if ctx == Ctx::Command {
            let mut hoisted = self.lookups.borrow_mut();
            match hoisted.iter().find(|(l, _)| *l == lookup) {
                Some((_, b)) => b.clone(),
                None => {
                    let mut b = self.binding(*store);
                    while taken(&b) || hoisted.iter().any(|(_, other)| *other == b) {
                        b = format!("other_{b}");
                    }
                    hoisted.push((lookup.clone(), b.clone()));
                    b
                }
            }
        } else {
            let mut b = self.binding(*store);
            while taken(&b) {
                b = format!("other_{b}");
            }
            b
        };
        let receiver = if ctx == Ctx::Command {
            binding.clone()
        } else {
            lookup.clone()
        };
        wraps.push(Wrap {
            lookup,
            receiver,
            binding: binding.clone(),
        });
        format!("{binding}.{field}")
    }

    /// A condition as the entity lookups it reads and the test on them.
    fn test(&self, condition: &Condition, ctx: Ctx, item: &str) -> (Vec<Wrap>, String) {
        let mut wraps = Vec::new();
        let inner = match condition {
            Condition::All { .. } | Condition::Any { .. } | Condition::Negate { .. } => {
                self.joined(condition, ctx, item, true).flat()
            }
            Condition::Holds { expr } => match expr {
                Expr::FieldOf { .. } => self.lookup(expr, ctx, item, &mut wraps),
                _ => self.truth(expr, ctx, item),
            },
            Condition::Not { expr } => match expr {
                Expr::FieldOf { .. } => format!("!{}", self.lookup(expr, ctx, item, &mut wraps)),
                _ => format!("!{}", self.truth(expr, ctx, item)),
            },
            Condition::Compare { left, cmp, right } => {
                let mut l = self.lookup(left, ctx, item, &mut wraps);
                let mut r = self.lookup(right, ctx, item, &mut wraps);
                // Days apart: the dates as they are.
                if matches!(cmp, Cmp::Within(_) | Cmp::Beyond(_)) {
                    let test = self.compare(left, *cmp, right, &l, &r);
                    return (wraps, test);
                }
                // A query's optional parameter is borrowed inside
                // (`Option<&T>`, `Option<&str>`): the other side is too.
                let borrowed = |e: &Expr| {
                    ctx == Ctx::Query
                        && matches!(e, Expr::Input { ty: Type::Optional(inner), .. } if !inner.is_copy())
                };
                let as_borrowed = |place: &str, e: &Expr| match e.ty() {
                    Type::Optional(inner) if **inner == Type::Text => format!("{place}.as_deref()"),
                    _ => format!("{place}.as_ref()"),
                };
                let both_optional = matches!(left.ty(), Type::Optional(_))
                    && matches!(right.ty(), Type::Optional(_));
                if both_optional && borrowed(right) && !borrowed(left) {
                    l = as_borrowed(&l, left);
                } else if both_optional && borrowed(left) && !borrowed(right) {
                    r = as_borrowed(&r, right);
                }
                // An optional and a value of the type inside it: the
                // optional borrowed (`Option<&T>`), the value put in
                // `Some(&…)`.
                let literal = |e: &Expr| matches!(e, Expr::Literal { .. });
                if !both_optional && !literal(left) && !literal(right) {
                    if matches!(left.ty(), Type::Optional(_)) && !borrowed(left) {
                        l = as_borrowed(&l, left);
                    }
                    if matches!(right.ty(), Type::Optional(_)) && !borrowed(right) {
                        r = as_borrowed(&r, right);
                    }
                }
                self.compare(left, *cmp, right, &l, &r)
            }
        };
        (wraps, inner)
    }

    /// A condition as a Rust `bool` expression. A statement about a field
    /// of an entity the model does not hold is false.
    pub(super) fn condition(&self, condition: &Condition, ctx: Ctx, item: &str) -> String {
        self.joined(condition, ctx, item, true).flat()
    }

    /// A condition (`positive`) or its negation as tests joined by `&&`
    /// and `||`: a negation is pushed down to the tests (De Morgan), so
    /// that no `!(…)` is written.
    pub(super) fn joined(
        &self,
        condition: &Condition,
        ctx: Ctx,
        item: &str,
        positive: bool,
    ) -> Joined {
        let parts = |parts: &[Condition], positive: bool| -> Vec<Joined> {
            parts
                .iter()
                .map(|part| self.joined(part, ctx, item, positive))
                .collect()
        };
        match condition {
            Condition::All { parts: all } if positive => Joined::op("&&", parts(all, true)),
            Condition::Any { parts: any } if !positive => Joined::op("&&", parts(any, false)),
            Condition::Any { parts: any } => Joined::op("||", parts(any, true)),
            Condition::All { parts: all } => Joined::op("||", parts(all, false)),
            Condition::Negate { part } => self.joined(part, ctx, item, !positive),
            test if positive => {
                let (wraps, inner) = self.test(test, ctx, item);
                Joined::Test(wrapped(&wraps, inner, "is_some_and"))
            }
            test => Joined::Test(self.opposite(test, ctx, item)),
        }
    }

    /// The negation of a test, written without `!(…)`: the opposite
    /// test, and an absent entity makes it true.
    fn opposite(&self, condition: &Condition, ctx: Ctx, item: &str) -> String {
        let opposite = match condition {
            Condition::Holds { expr } => Condition::Not { expr: expr.clone() },
            Condition::Not { expr } => Condition::Holds { expr: expr.clone() },
            Condition::Compare { left, cmp, right } => Condition::Compare {
                left: left.clone(),
                cmp: match cmp {
                    Cmp::Eq => Cmp::Ne,
                    Cmp::Ne => Cmp::Eq,
                    Cmp::Gt => Cmp::Le,
                    Cmp::Le => Cmp::Gt,
                    Cmp::Lt => Cmp::Ge,
                    Cmp::Ge => Cmp::Lt,
                    Cmp::Within(n) => Cmp::Beyond(*n),
                    Cmp::Beyond(n) => Cmp::Within(*n),
                },
                right: right.clone(),
            },
            compound => return self.joined(compound, ctx, item, false).flat(),
        };
        let (wraps, inner) = self.test(&opposite, ctx, item);
        wrapped(&wraps, inner, "is_none_or")
    }
}
