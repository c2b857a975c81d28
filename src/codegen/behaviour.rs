//! The generated behaviour: bodies of derived queries, of proposing
//! methods (constraints, guards, event fields) and of accepting methods
//! (effects), as Rust text laid out the way rustfmt lays it out.

use super::rust::{
    assign, call, chain_parts, chained, spaces, split_args, struct_lit, width, CHAIN_WIDTH,
    MAX_WIDTH,
};
use crate::model::ir::{
    Check, Cmp, Condition, Derived, Effect, Expr, Guard, Literal, MessagePart, Model, Type,
};
use crate::model::names;

/// Where the names of a rule are read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// In a proposing method: `command` (owned), the state through `self`.
    Command,
    /// In an accepting method: `event` (borrowed), the state as `state`.
    Event,
    /// In a query: its parameters as passed (borrowed unless `Copy`).
    Query,
}

/// Renders one model's behaviour.
pub struct Behaviour<'m> {
    model: &'m Model,
    /// Entity lookups a guard's condition needs, hoisted into `let`s
    /// before its `if`: (lookup expression, binding).
    lookups: std::cell::RefCell<Vec<(String, String)>>,
    /// The services asked before a guard or a source, awaited into
    /// `let`s: (the call, its binding).
    served: std::cell::RefCell<Vec<(String, String)>>,
    /// The values a guard computes, checked into `let`s before its `if`:
    /// (the computation, its binding).
    computed: std::cell::RefCell<Vec<(Expr, String)>>,
}

/// An entity lookup a condition reads through.
struct Wrap {
    /// The lookup, which identifies it (`self.as_ref().books.get(&command.id)`).
    lookup: String,
    /// What the test is called on: the lookup, or the `let` it was hoisted into.
    receiver: String,
    /// The entity's name inside the test.
    binding: String,
}

/// `inner` inside each lookup's `method` (`is_some_and`: the entities are
/// there and the test holds; `is_none_or`: one is absent or it holds).
fn wrapped(wraps: &[Wrap], inner: String, method: &str) -> String {
    wraps.iter().rev().fold(inner, |test, wrap| {
        format!("{}.{method}(|{}| {test})", wrap.receiver, wrap.binding)
    })
}

/// A condition as Rust: one test, or tests joined by one operator.
#[derive(Debug, Clone)]
enum Joined {
    /// A `bool` expression with no `&&` or `||` at its top.
    Test(String),
    /// `&&` or `||` between two or more parts.
    Op(&'static str, Vec<Joined>),
}

impl Joined {
    /// `parts` joined by `op`, a part joined by the same operator merged
    /// into them.
    fn op(op: &'static str, parts: Vec<Joined>) -> Joined {
        let mut flat = Vec::new();
        for part in parts {
            match part {
                Joined::Op(inner, more) if inner == op => flat.extend(more),
                other => flat.push(other),
            }
        }
        Joined::Op(op, flat)
    }

    /// On one line; a part joined by the other operator in parentheses.
    fn flat(&self) -> String {
        match self {
            Joined::Test(test) => test.clone(),
            Joined::Op(op, parts) => parts
                .iter()
                .map(|part| part.grouped())
                .collect::<Vec<_>>()
                .join(&format!(" {op} ")),
        }
    }

    /// As a part of another operator's parts.
    fn grouped(&self) -> String {
        match self {
            Joined::Test(test) => test.clone(),
            Joined::Op(..) => format!("({})", self.flat()),
        }
    }

    /// Every test, in order.
    fn tests(&self) -> Vec<&str> {
        match self {
            Joined::Test(test) => vec![test.as_str()],
            Joined::Op(_, parts) => parts.iter().flat_map(Joined::tests).collect(),
        }
    }

    /// The same with each test replaced by `name(n)`, `n` counting tests
    /// from 1 in order.
    fn named(&self, next: &mut usize, name: &dyn Fn(usize) -> String) -> Joined {
        match self {
            Joined::Test(_) => {
                *next += 1;
                Joined::Test(name(*next))
            }
            Joined::Op(op, parts) => {
                Joined::Op(op, parts.iter().map(|p| p.named(next, name)).collect())
            }
        }
    }

    /// Whether rustfmt leaves every test on one line (no chain it breaks
    /// however wide the line).
    fn simple(&self) -> bool {
        self.tests()
            .iter()
            .all(|t| !chained(0, "", t, "").contains('\n'))
    }

    /// `{lead}{self}{tail}` on one line at `indent`, when it fits.
    fn one_line(&self, indent: usize, lead: &str, tail: &str) -> Option<String> {
        let one = format!("{}{lead}{}{tail}", spaces(indent), self.flat());
        (self.simple() && width(&one) <= MAX_WIDTH).then_some(one)
    }

    /// `{lead}` and the first part at `indent`, then each other part after
    /// its operator at `indent + 4`, as rustfmt breaks a `bool` expression
    /// too long for one line; `None` when a part does not fit its line.
    fn vertical(&self, indent: usize, lead: &str) -> Option<String> {
        let Joined::Op(op, parts) = self else {
            return None;
        };
        let mut out = format!("{}{lead}{}", spaces(indent), parts.first()?.grouped());
        for part in &parts[1..] {
            out.push_str(&format!("\n{}{op} {}", spaces(indent + 4), part.grouped()));
        }
        (self.simple() && out.lines().all(|line| width(line) <= MAX_WIDTH)).then_some(out)
    }
}

/// Text as a Rust string literal.
pub(super) fn string(text: &str) -> String {
    format!("{text:?}")
}

/// A number as a Rust `f64` literal.
fn float(text: &str) -> String {
    if text.contains('.') {
        text.to_string()
    } else {
        format!("{text}.0")
    }
}

/// A decimal literal: `Decimal::new(mantissa, scale)`.
fn decimal(text: &str) -> String {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = format!("{whole}{fraction}");
    match digits.parse::<i64>() {
        Ok(mantissa) => format!("Decimal::new({mantissa}, {})", fraction.len()),
        Err(_) => format!(
            "Decimal::from_i128_with_scale({}, {})",
            digits.parse::<i128>().unwrap_or(0),
            fraction.len()
        ),
    }
}

/// A value written in the spec, as an owned Rust value of `ty`.
/// The parameter a service is handed to proposing methods by (`atm`).
pub(super) fn service_param(service: &crate::model::ir::Service) -> String {
    names::snake(&names::kebab(&service.name)).unwrap_or_else(|_| "service".to_string())
}

/// Whether `value` is what `Default` gives a field of type `ty`: `""`, a
/// zero, `no`, `nothing`, `[]`.
pub(super) fn is_rust_default(value: &Literal, ty: &Type) -> bool {
    match (value, ty) {
        (Literal::Nothing, _) => true,
        (_, Type::Optional(_)) => false,
        (Literal::Text(t), Type::Text) => t.is_empty(),
        (Literal::Integer(n), _) => *n == 0,
        (Literal::Number(n) | Literal::Decimal(n), _) => n
            .trim_start_matches('-')
            .chars()
            .all(|c| c == '0' || c == '.'),
        (Literal::Boolean(b), _) => !b,
        (Literal::List(items), _) => items.is_empty(),
        _ => false,
    }
}

pub(super) fn literal(value: &Literal, ty: &Type) -> String {
    match (value, ty) {
        (Literal::Nothing, _) => "None".into(),
        (_, Type::Optional(inner)) => format!("Some({})", literal(value, inner)),
        (Literal::Text(t), _) => format!("String::from({})", string(t)),
        (Literal::Integer(n), _) => n.to_string(),
        (Literal::Number(n), _) => float(n),
        (Literal::Decimal(n), _) => decimal(n),
        (Literal::Boolean(b), _) => b.to_string(),
        (Literal::Choice(e, v, _), _) => format!("{e}::{v}"),
        (Literal::Id(t, text), _) => format!("{t}::from({})", string(text)),
        (Literal::List(items), Type::List(inner)) if !items.is_empty() => format!(
            "vec![{}]",
            items
                .iter()
                .map(|i| literal(i, inner))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        (Literal::List(_), _) => "Vec::new()".into(),
        // Only scenarios write maps, through `value_expr`.
        (Literal::Map(_), _) => "BTreeMap::new()".into(),
        // Both were checked when the spec was built, so the defaults are
        // never taken.
        (Literal::Date(y, m, d), _) => {
            format!("NaiveDate::from_ymd_opt({y}, {m}, {d}).unwrap_or_default()")
        }
        (Literal::Timestamp(text), _) => {
            let (seconds, nanos) = crate::model::calendar::unix_time(text).unwrap_or_default();
            format!("DateTime::from_timestamp({seconds}, {nanos}).unwrap_or_default()")
        }
    }
}

impl<'m> Behaviour<'m> {
    /// The renderer of `model`'s behaviour.
    pub fn new(model: &'m Model) -> Self {
        Behaviour {
            model,
            lookups: std::cell::RefCell::new(Vec::new()),
            served: std::cell::RefCell::new(Vec::new()),
            computed: std::cell::RefCell::new(Vec::new()),
        }
    }

    fn store_field(&self, store: usize) -> &str {
        &self.model.state.as_deref().unwrap_or_default()[store].field
    }

    /// The binding of an entity of a store in a closure (`todo`).
    fn binding(&self, store: usize) -> String {
        let entity = self.model.store_entity(store);
        names::snake(&names::kebab(&entity.name)).unwrap_or_else(|_| "entity".into())
    }

    /// The state, read: `self.as_ref()` (or `state` in an accepting
    /// method).
    fn state(ctx: Ctx) -> &'static str {
        match ctx {
            Ctx::Event => "state",
            _ => "self.as_ref()",
        }
    }

    /// An input as a place: `command.text`, `event.id`, `*member_id`.
    fn place(&self, expr: &Expr, ctx: Ctx, item: &str) -> String {
        match expr {
            Expr::Input { rust, ty } => match ctx {
                Ctx::Command => format!("command.{rust}"),
                Ctx::Event => format!("event.{rust}"),
                Ctx::Query if ty.is_copy() || ty.rust_param().starts_with("Option") => rust.clone(),
                Ctx::Query => format!("*{rust}"),
            },
            Expr::Item { rust, .. } => format!("{item}.{rust}"),
            Expr::Own { rust, .. } => format!("{}.{rust}", Self::state(ctx)),
            _ => self.value(expr, ctx, item),
        }
    }

    /// An expression as a reference (`&command.id`), or a value when
    /// `Copy`, for a key lookup.
    fn key_ref(&self, expr: &Expr, ctx: Ctx) -> String {
        match (expr, ctx) {
            (Expr::Input { rust, ty }, Ctx::Query) if !ty.is_copy() => rust.clone(),
            _ => format!("&{}", self.place(expr, ctx, "")),
        }
    }

    /// An expression as an argument of a query whose parameter has type
    /// `ty`.
    fn arg(&self, expr: &Expr, ctx: Ctx) -> String {
        let ty = expr.ty();
        if ctx == Ctx::Query {
            if let Expr::Input { rust, .. } = expr {
                return rust.clone();
            }
        }
        let place = self.place(expr, ctx, "");
        match ty {
            _ if ty.is_copy_or_optional_copy() => place,
            Type::Optional(inner) if **inner == Type::Text => format!("{place}.as_deref()"),
            Type::Optional(_) => format!("{place}.as_ref()"),
            _ => format!("&{place}"),
        }
    }

    /// A computed number as an `Option`: `None` out of its type's range
    /// or for a division by zero; `.1` is whether the text is an `Option`
    /// (else a plain number, a side not yet computed). An entity's field
    /// is read from the binding `bound` gives its lookup.
    fn checked(&self, expr: &Expr, bound: &[(String, String)]) -> (String, bool) {
        let Expr::Arith {
            op,
            left,
            right,
            ty,
            ..
        } = expr
        else {
            let text = match expr {
                Expr::FieldOf {
                    store, field, key, ..
                } => {
                    let lookup = self.command_lookup(*store, key);
                    let b = bound
                        .iter()
                        .find(|(l, _)| *l == lookup)
                        .map_or_else(|| self.binding(*store), |(_, b)| b.clone());
                    format!("{b}.{field}")
                }
                // A written integer's type, for a method called on it.
                Expr::Literal {
                    ty: Type::Integer, ..
                } => {
                    format!("{}_i64", self.value(expr, Ctx::Command, ""))
                }
                other => self.value(other, Ctx::Command, ""),
            };
            return (text, false);
        };
        let ((l, l_option), (r, r_option)) =
            (self.checked(left, bound), self.checked(right, bound));
        let apply = |a: &str, b: &str| match ty {
            Type::Number => format!("Some({a} {} {b}).filter(|n| n.is_finite())", op.symbol()),
            _ => {
                let name = match op {
                    crate::syntax::ast::ArithOp::Add => "add",
                    crate::syntax::ast::ArithOp::Sub => "sub",
                    crate::syntax::ast::ArithOp::Mul => "mul",
                    crate::syntax::ast::ArithOp::Div => "div",
                };
                format!("{a}.checked_{name}({b})")
            }
        };
        let text = match (l_option, r_option) {
            (false, false) => apply(&l, &r),
            (true, false) => format!("{l}.and_then(|left| {})", apply("left", &r)),
            (false, true) => format!("{r}.and_then(|right| {})", apply(&l, "right")),
            (true, true) => format!(
                "{l}.and_then(|left| {r}.and_then(|right| {}))",
                apply("left", "right")
            ),
        };
        (text, true)
    }

    /// A query of a service outside the spec, called: `atm.atm_accepts(
    /// &command.atm_id, command.amount)`.
    fn served_call(&self, expr: &Expr) -> String {
        let Expr::Served {
            service,
            query,
            args,
            ..
        } = expr
        else {
            return String::new();
        };
        let s = &self.model.services[*service];
        let args: Vec<String> = args.iter().map(|a| self.arg(a, Ctx::Command)).collect();
        format!(
            "{}.{}({})",
            service_param(s),
            s.queries[*query].method,
            args.join(", ")
        )
    }

    /// Asks each service `exprs` read that is not asked yet, in order,
    /// each answer awaited into a `let` (a failure rejects the command as
    /// `unavailable`): lines at indentation 8.
    fn ask_services<'e>(
        &self,
        command: &crate::model::ir::Command,
        exprs: impl IntoIterator<Item = &'e Expr>,
    ) -> String {
        let mut out = String::new();
        for expr in exprs {
            expr.visit(&mut |e| {
                let Expr::Served { service, query, .. } = e else {
                    return;
                };
                let call = self.served_call(e);
                if self.served.borrow().iter().any(|(c, _)| *c == call) {
                    return;
                }
                let s = &self.model.services[*service];
                let method = &s.queries[*query].method;
                let mut binding = names::unraw(method).to_string();
                let mut n = 1;
                while self.served.borrow().iter().any(|(_, b)| *b == binding) {
                    n += 1;
                    binding = format!("{}_{n}", names::unraw(method));
                }
                let Some(open) = call.find('(') else {
                    return;
                };
                let args: Vec<String> = match &call[open + 1..call.len() - 1] {
                    "" => Vec::new(),
                    inner => split_args(inner),
                };
                out.push_str(&super::rust::call(
                    8,
                    &format!("let asked = {}", &call[..open]),
                    &args,
                    ";\n",
                ));
                out.push_str(&super::rust::call(
                    8,
                    &format!("let {binding} = answered"),
                    &[
                        "asked.await".to_string(),
                        format!("{}::ACTION", command.rust),
                        string(&self.model.unavailable_rule(command, *service)),
                        string(&s.name),
                    ],
                    "?;\n",
                ));
                self.served.borrow_mut().push((call, binding));
            });
        }
        out
    }

    /// Each value `guard` computes, checked into a `let` (a value out of
    /// range, or a division by zero, rejects the command as `invalid` by
    /// `<guard>-in-range`): lines at indentation 8.
    fn compute(&self, command: &crate::model::ir::Command, guard: &Guard) -> String {
        self.computed.borrow_mut().clear();
        let mut out = String::new();
        for expr in guard.condition.exprs() {
            if !matches!(expr, Expr::Arith { .. })
                || self.computed.borrow().iter().any(|(e, _)| e == expr)
            {
                continue;
            }
            let n = self.computed.borrow().len();
            let binding = if n == 0 {
                "computed".to_string()
            } else {
                format!("computed_{}", n + 1)
            };
            let checked = self.checked(expr, &[]).0;
            out.push_str(&assign(8, &format!("let {binding}"), &checked));
            out.push('\n');
            out.push_str(&format!(
                "        let Some({binding}) = {binding} else {{\n"
            ));
            out.push_str(&self.rejection(
                12,
                command,
                &Guard::range_rule(&guard.rule),
                "Invalid",
                &string(&crate::eval::guard_out_of_range(&guard.rule)),
            ));
            out.push_str("\n        };\n");
            self.computed.borrow_mut().push((expr.clone(), binding));
        }
        out
    }

    /// The lookup of the entity of `store` under `key`, in a proposing
    /// method: `self.as_ref().accounts.get(&command.id)`.
    fn command_lookup(&self, store: usize, key: &Expr) -> String {
        format!(
            "self.as_ref().{}.get({})",
            self.store_field(store),
            self.key_ref(key, Ctx::Command)
        )
    }

    /// `let Some(<binding>) = <lookup> else { <rejected as not found> };`
    /// for the entity a source reads, at indentation 8.
    fn found(
        &self,
        command: &crate::model::ir::Command,
        store: usize,
        key: &Expr,
        binding: &str,
    ) -> String {
        let entity = self.model.store_entity(store);
        let message = format!("there is no {} {{}}", names::kebab(&entity.name));
        let lookup = self.command_lookup(store, key);
        let mut lines = format!("        let Some({binding}) = {lookup} else {{\n");
        lines.push_str(&self.rejection(
            12,
            command,
            &self.model.exists_rule(command, store),
            "NotFound",
            &call(
                0,
                "format!",
                &[string(&message), self.place(key, Ctx::Command, "")],
                "",
            ),
        ));
        lines.push_str("\n        };");
        lines
    }

    /// An expression's value (owned where it is not a place).
    fn value(&self, expr: &Expr, ctx: Ctx, item: &str) -> String {
        match expr {
            // Computed only where the spec allows it, by `checked`, and in
            // a guard checked into a `let` first.
            Expr::Arith { .. } => {
                let computed = self.computed.borrow();
                match computed.iter().find(|(e, _)| e == expr) {
                    Some((_, binding)) => binding.clone(),
                    None => self.checked(expr, &[]).0,
                }
            }
            Expr::Input { .. } | Expr::Item { .. } | Expr::Own { .. } => {
                self.place(expr, ctx, item)
            }
            Expr::Literal { value, ty } => literal(value, ty),
            // Read once, at the top of the method (`clock_reads`).
            Expr::Clock { ty } => {
                if *ty == Type::Date {
                    "today".to_string()
                } else {
                    "now".to_string()
                }
            }
            Expr::Call { method, args, .. } => {
                let args: Vec<String> = args.iter().map(|a| self.arg(a, ctx)).collect();
                format!("self.{method}({})", args.join(", "))
            }
            Expr::Asked {
                ask, method, args, ..
            } => {
                let args: Vec<String> = args.iter().map(|a| self.arg(a, ctx)).collect();
                let model = &self.model.asks[*ask].param;
                format!("{model}.{method}({})", args.join(", "))
            }
            Expr::Served { .. } => {
                let call = self.served_call(expr);
                let served = self.served.borrow();
                served
                    .iter()
                    .find(|(c, _)| *c == call)
                    .map_or_else(|| format!("{call}.await"), |(_, b)| b.clone())
            }
            Expr::All { store, .. } => format!(
                "{}.{}.values().cloned().collect::<Vec<_>>()",
                Self::state(ctx),
                self.store_field(*store)
            ),
            Expr::IdsOf { of, key, .. } => {
                // The ids of a query without parameters that the spec
                // defines are read from the state by that definition, not
                // by cloning each entity the query would return.
                let defined = match &**of {
                    Expr::Call { method, args, .. } if args.is_empty() => self
                        .model
                        .queries
                        .iter()
                        .find(|q| q.method == *method)
                        .and_then(|q| match &q.derived {
                            Some(Derived::Select { store, filter }) => Some((*store, filter)),
                            _ => None,
                        }),
                    Expr::All { store, .. } => Some((*store, &None)),
                    _ => None,
                };
                match defined {
                    Some((store, filter)) => {
                        let b = self.binding(store);
                        let mut list =
                            format!("{}.{}.values()", Self::state(ctx), self.store_field(store));
                        if let Some(condition) = filter {
                            let cond = self.condition(condition, Ctx::Query, &b);
                            let each = if reads_item(condition) {
                                b.as_str()
                            } else {
                                "_"
                            };
                            list.push_str(&format!(".filter(|{each}| {cond})"));
                        }
                        let copy = self
                            .model
                            .store_entity(store)
                            .fields
                            .first()
                            .is_some_and(|f| f.ty.is_copy());
                        let clone = if copy { "" } else { ".clone()" };
                        format!("{list}.map(|{b}| {b}.{key}{clone}).collect()")
                    }
                    None => format!(
                        "{}.into_iter().map(|each| each.{key}).collect()",
                        self.value(of, ctx, item)
                    ),
                }
            }
            Expr::FieldOf { .. } => String::new(),
        }
    }

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
        match (value, ty) {
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
    fn condition(&self, condition: &Condition, ctx: Ctx, item: &str) -> String {
        self.joined(condition, ctx, item, true).flat()
    }

    /// A condition (`positive`) or its negation as tests joined by `&&`
    /// and `||`: a negation is pushed down to the tests (De Morgan), so
    /// that no `!(…)` is written.
    fn joined(&self, condition: &Condition, ctx: Ctx, item: &str, positive: bool) -> Joined {
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

    // ---------------------------------------------------------- queries

    /// `let matching = …;`: the entities of a store that meet a derived
    /// query's condition, each passed through `map` (`.map(|loan|
    /// loan.amount)`, or nothing).
    fn matching(&self, store: usize, filter: Option<&Condition>, map: &str) -> String {
        let state = "self.as_ref()";
        let field = self.store_field(store);
        let b = self.binding(store);
        let mut out = format!("        let {field} = {state}.{field}.values();\n");
        let joined = filter.map(|condition| self.joined(condition, Ctx::Query, &b, true));
        let long = joined
            .as_ref()
            .and_then(|joined| joined_filter(joined, field, &b, false));
        match (filter, long) {
            (Some(_), Some(chain)) => {
                // The filter laid out on lines of its own: the chain
                // ends in the field taken, not in a list.
                let chain = chain
                    .strip_suffix("\n            .cloned()\n            .collect()")
                    .unwrap_or(&chain)
                    .trim_start()
                    .to_string();
                if map.is_empty() {
                    out.push_str(&format!("        let matching = {chain};\n"));
                } else {
                    out.push_str(&format!(
                        "        let matching = {chain}\n            {map};\n"
                    ));
                }
            }
            (Some(condition), None) => {
                let cond = self.condition(condition, Ctx::Query, &b);
                let each = if reads_item(condition) {
                    b.as_str()
                } else {
                    "_"
                };
                out.push_str(&chained(
                    8,
                    "let matching = ",
                    &format!("{field}.filter(|{each}| {cond}){map}"),
                    ";",
                ));
                out.push('\n');
            }
            (None, _) => {
                out.push_str(&chained(
                    8,
                    "let matching = ",
                    &format!("{field}{map}"),
                    ";",
                ));
                out.push('\n');
            }
        }
        out
    }

    /// The body of a derived query, at method indentation (8).
    pub fn query(&self, derived: &Derived) -> String {
        let exprs: Vec<&Expr> = derived.filter().map(Condition::exprs).unwrap_or_default();
        let body = self.query_body(derived);
        format!("{}{body}", clock_reads(exprs))
    }

    fn query_body(&self, derived: &Derived) -> String {
        let state = "self.as_ref()";
        match derived {
            Derived::Sum {
                store,
                field: summed,
                filter,
                ..
            } => {
                let b = self.binding(*store);
                let mut out = self.matching(
                    *store,
                    filter.as_ref(),
                    &format!(".map(|{b}| {b}.{summed})"),
                );
                out.push_str("        super::total(matching)");
                out
            }
            Derived::Per {
                field: by,
                key,
                optional,
                each,
            } => {
                let store = derived.store();
                let b = self.binding(store);
                let field = self.store_field(store);
                let (mut out, source) = match derived.filter() {
                    Some(filter) => (self.matching(store, Some(filter), ""), "matching"),
                    None => (
                        format!("        let {field} = self.as_ref().{field}.values();\n"),
                        field,
                    ),
                };
                let value = if key.is_copy() {
                    format!("{b}.{by}")
                } else {
                    format!("{b}.{by}.clone()")
                };
                let value = if *optional {
                    value
                } else {
                    format!("Some({value})")
                };
                let grouped =
                    format!("        let groups = super::grouped({source}, |{b}| {value});");
                if width(&grouped) <= MAX_WIDTH {
                    out.push_str(&grouped);
                } else {
                    let entity = &self.model.store_entity(store).rust;
                    out.push_str(&format!(
                        "        let key = |{b}: &{entity}| {value};
        let groups = super::grouped({source}, key);"
                    ));
                }
                out.push('\n');
                out.push_str(&match each.as_ref() {
                    Derived::Count { .. } => "        super::counted(groups)".to_string(),
                    Derived::Sum { field: summed, .. } => {
                        format!("        super::summed(groups, |{b}| {b}.{summed})")
                    }
                    _ => "        super::cloned(groups)".to_string(),
                });
                out
            }
            // Answered from the events, not the state: a function of its
            // own (`views::history`), never a method of the queries trait.
            Derived::History { .. } => String::new(),
            Derived::Has { store, key } => format!(
                "        {state}.{}.contains({})",
                self.store_field(*store),
                self.key_ref(key, Ctx::Query)
            ),
            Derived::Get { store, key } => format!(
                "        {state}.{}.get({}).cloned()",
                self.store_field(*store),
                self.key_ref(key, Ctx::Query)
            ),
            Derived::Field {
                store,
                field,
                key,
                ty,
            } => {
                let b = self.binding(*store);
                let (how, value) = match ty {
                    Type::Boolean => ("is_some_and", format!("{b}.{field}")),
                    Type::Optional(inner) => (
                        "and_then",
                        if inner.is_copy() {
                            format!("{b}.{field}")
                        } else {
                            format!("{b}.{field}.clone()")
                        },
                    ),
                    _ if ty.is_copy() => ("map", format!("{b}.{field}")),
                    _ => ("map", format!("{b}.{field}.clone()")),
                };
                let (field_name, key) = (self.store_field(*store), self.key_ref(key, Ctx::Query));
                let one = format!("        {state}.{field_name}.get({key}).{how}(|{b}| {value})");
                if width(&one) <= MAX_WIDTH && width(one.trim_start()) <= CHAIN_WIDTH {
                    one
                } else {
                    format!(
                        "        {state}\n            .{field_name}\n            .get({key})\n            .{how}(|{b}| {value})"
                    )
                }
            }
            Derived::Select { store, filter } | Derived::Count { store, filter } => {
                let field = self.store_field(*store);
                let b = self.binding(*store);
                let count = matches!(derived, Derived::Count { .. });
                let mut out = format!("        let {field} = {state}.{field}.values();\n");
                if let Some(condition) = filter {
                    let joined = self.joined(condition, Ctx::Query, &b, true);
                    if let Some(chain) = joined_filter(&joined, field, &b, count) {
                        out.push_str(&chain);
                        return out;
                    }
                }
                let head = match filter {
                    Some(condition) => {
                        let cond = self.condition(condition, Ctx::Query, &b);
                        let b = if reads_item(condition) {
                            b.as_str()
                        } else {
                            "_"
                        };
                        // It fits a line of the chain (else `joined_filter`
                        // laid it out above).
                        format!("        {field}.filter(|{b}| {cond})")
                    }
                    None => format!("        {field}"),
                };
                if count {
                    if filter.is_some() {
                        let last = head.lines().last().unwrap_or_default();
                        let joined = format!("{head}.count()");
                        let _ = last;
                        out.push_str(&format!("        super::count({})", joined.trim_start()));
                        let last = out.lines().last().unwrap_or_default().to_string();
                        if width(&last) > MAX_WIDTH
                            || chain_parts(joined.trim_start()).len() > 2
                                && width(joined.trim_start()) > CHAIN_WIDTH
                        {
                            out = format!("        let {field} = {state}.{field}.values();\n");
                            out.push_str(&chained(
                                8,
                                "let matching = ",
                                &format!("{}.count()", head.trim_start()),
                                ";",
                            ));
                            out.push_str("\n        super::count(matching)");
                        }
                    } else {
                        out = format!("        super::count({state}.{field}.len())");
                    }
                } else if filter.is_some() && !head.contains('\n') {
                    out.push_str(&chained(
                        8,
                        "",
                        &format!("{}.cloned().collect()", head.trim_start()),
                        "",
                    ));
                } else if filter.is_some() {
                    out.push_str(&format!("{head}.cloned().collect()"));
                } else {
                    out = format!("        {state}.{field}.values().cloned().collect()");
                }
                out
            }
        }
    }

    // ---------------------------------------------------------- proposing

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
            let mut lines = format!("        // {}: stays in range\n", super::rust::inert(said));
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
            super::rust::inert(&said)
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

    fn rejection(
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
    fn if_head(&self, joined: &Joined, named: &str) -> String {
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
        let mut out = format!("        // {}\n", super::rust::inert(&guard.spec_line));
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

    // ---------------------------------------------------------- accepting

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
            Effect::Removes { store, key } => format!(
                "{pad}state.{}.remove({});",
                self.store_field(*store),
                self.key_ref(key, Ctx::Event)
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

    // ---------------------------------------------------------- constraints

    /// The body of a command's `validate`, at indentation 8.
    pub fn validate(&self, command: &crate::model::ir::Command) -> String {
        let mut out = vec!["        let mut problems = super::Problems::default();".to_string()];
        for param in &command.params {
            for check in &param.checks {
                out.push(self.check(param, check));
            }
        }
        out.push(call(
            8,
            "problems.finish",
            &[
                "MODEL".to_string(),
                "Self::ACTION".to_string(),
                string(&format!("{}/constraints", command.name)),
            ],
            "",
        ));
        out.join("\n")
    }

    fn check(&self, param: &crate::model::ir::Field, check: &Check) -> String {
        let (term, rust, ty) = (param.term.as_str(), param.rust.as_str(), &param.ty);
        // Optional values are checked when present.
        let (open, place, close, indent) = match ty {
            Type::Optional(inner) => {
                let binding = "value";
                (
                    format!("        if let Some({binding}) = &self.{rust} {{\n"),
                    if inner.is_copy() {
                        "*value".to_string()
                    } else {
                        "value".to_string()
                    },
                    "\n        }".to_string(),
                    12,
                )
            }
            _ => (String::new(), format!("self.{rust}"), String::new(), 8),
        };
        let base = match ty {
            Type::Optional(inner) => (**inner).clone(),
            other => other.clone(),
        };
        let bad = match check {
            Check::NotBlank => format!("super::is_blank(&{place})"),
            Check::MaxChars { n } => format!("super::chars(&{place}) > {n}"),
            Check::MinChars { n } => format!("super::chars(&{place}) < {n}"),
            Check::AtLeast { n } => format!("{place} < {}", literal(n, &base)),
            Check::AtMost { n } => format!("{place} > {}", literal(n, &base)),
            Check::Between { low, high } => format!(
                "!({}..={}).contains(&{place})",
                literal(low, &base),
                literal(high, &base)
            ),
            Check::Finite => format!("!{}.is_finite()", place.trim_start_matches('*')),
        };
        let bad = bad.replace("&*value", "value").replace("&value", "value");
        let text = param.message(check);
        let pad_i = spaces(indent);
        // A range too long for the `if` line is named first.
        let (range_let, bad) = match check {
            Check::Between { low, high }
                if width(&format!("{pad_i}if {bad} {{")) > MAX_WIDTH
                    || width(&bad) > CHAIN_WIDTH + 2 =>
            {
                let range = format!("{}..={}", literal(low, &base), literal(high, &base));
                (
                    format!("{pad_i}let range = {range};\n"),
                    format!("!range.contains(&{place})")
                        .replace("&*value", "value")
                        .replace("&value", "value"),
                )
            }
            _ => (String::new(), bad),
        };
        let add = call(
            indent + 4,
            "problems.add",
            &[string(term), string(check.id()), string(&text)],
            ";",
        );
        format!("{open}{range_let}{pad_i}if {bad} {{\n{add}\n{pad_i}}}{close}")
    }
}

/// `if <tests joined> {` at indentation 8, laid out as rustfmt lays it
/// out: on one line, or one part per line with `{` on a line of its own;
/// when a test is too long for that, each test is first bound by a `let`
/// of its own (`test_1`, …), in order.
fn if_joined(joined: &Joined) -> String {
    let head = |joined: &Joined| {
        joined.one_line(8, "if ", " {").or_else(|| {
            joined
                .vertical(8, "if ")
                .map(|lines| format!("{lines}\n        {{"))
        })
    };
    if let Some(head) = head(joined) {
        return head;
    }
    let (mut out, named) = hoisted(joined, 8);
    out.push_str(&head(&named).unwrap_or_else(|| format!("        if {} {{", named.flat())));
    out
}

/// Each test of `joined` bound by a `let` of its own at `indent`
/// (`test_1`, …, in order), and `joined` over those names.
fn hoisted(joined: &Joined, indent: usize) -> (String, Joined) {
    let mut lets = String::new();
    for (n, test) in joined.tests().iter().enumerate() {
        lets.push_str(&assign(indent, &format!("let test_{}", n + 1), test));
        lets.push('\n');
    }
    (lets, joined.named(&mut 0, &|n| format!("test_{n}")))
}

/// A derived query's `filter` too long for a line of its own in the
/// chain, laid out as rustfmt lays it out: the chain one call per line,
/// the closure's body a block, broken before each `&&` or `||` (or, when a
/// test is too long even for that, each test bound by a `let` first).
/// `None` when `.filter(…)` fits on a line of the chain: the chain is then
/// laid out as any other.
fn joined_filter(joined: &Joined, field: &str, each: &str, count: bool) -> Option<String> {
    let filter = format!(".filter(|{each}| {})", joined.flat());
    if joined.simple() && width(&filter) + 12 <= MAX_WIDTH {
        return None;
    }
    let body = joined
        .one_line(16, "", "")
        .or_else(|| joined.vertical(16, ""))
        .or_else(|| match joined {
            Joined::Test(test) => Some(chained(16, "", test, "")),
            Joined::Op(..) => None,
        })
        .unwrap_or_else(|| {
            let (lets, named) = hoisted(joined, 16);
            let last = named
                .one_line(16, "", "")
                .or_else(|| named.vertical(16, ""))
                .unwrap_or_else(|| format!("{}{}", spaces(16), named.flat()));
            lets + &last
        });
    let filter = format!("            .filter(|{each}| {{\n{body}\n            }})");
    Some(if count {
        format!("        let matching = {field}\n{filter}\n            .count();\n        super::count(matching)")
    } else {
        format!("        {field}\n{filter}\n            .cloned()\n            .collect()")
    })
}

/// `let today = self.today();` (and `now`) for the clock readings among
/// `exprs` and inside them: a method reads the clock once, so that every
/// rule in it sees one moment.
fn clock_reads(exprs: Vec<&Expr>) -> String {
    let (mut today, mut now) = (false, false);
    for expr in exprs {
        expr.visit(&mut |e| {
            if let Expr::Clock { ty } = e {
                if *ty == Type::Date {
                    today = true;
                } else {
                    now = true;
                }
            }
        });
    }
    let mut out = String::new();
    if today {
        out.push_str("        let today = self.today();\n");
    }
    if now {
        out.push_str("        let now = self.now();\n");
    }
    out
}

/// Whether a derived query's condition reads the entity it looks at
/// (else its closure takes `_`).
fn reads_item(condition: &Condition) -> bool {
    let mut reads = false;
    let mut look = |e: &Expr| reads |= matches!(e, Expr::Item { .. });
    for expr in condition.exprs() {
        expr.visit(&mut look);
    }
    reads
}

/// A guard's message: a string literal, or the arguments of `format!`;
/// `field` renders what a [`MessagePart::Field`] reads.
fn message(parts: &[MessagePart], field: &dyn Fn(&Expr) -> String) -> String {
    let mut text = String::new();
    let mut args = Vec::new();
    for part in parts {
        match part {
            MessagePart::Text(t) => text.push_str(&t.replace('{', "{{").replace('}', "}}")),
            MessagePart::Param(p) => {
                text.push_str("{}");
                args.push(format!("command.{p}"));
            }
            MessagePart::Field(expr) => {
                text.push_str("{}");
                args.push(field(expr));
            }
        }
    }
    if args.is_empty() {
        return string(&text.replace("{{", "{").replace("}}", "}"));
    }
    let mut all = vec![string(&text)];
    all.extend(args);
    all.join(", ")
}
