//! The generated behaviour: bodies of derived queries, of proposing
//! methods (constraints, guards, event fields) and of accepting methods
//! (effects), as Rust text laid out the way rustfmt lays it out. Here,
//! the values and places rules read; [`conditions`] the tests they make,
//! and one file per kind of method.

use super::rust::{
    assign, call, chain_parts, chained, spaces, split_args, struct_lit, width, CHAIN_WIDTH,
    MAX_WIDTH,
};
use crate::model::ir::{
    Check, Cmp, Condition, Derived, Effect, Expr, Guard, Literal, MessagePart, Model, Type,
};
use crate::model::names;

mod accepting;
mod conditions;
mod constraints;
mod policies;
mod proposing;
mod queries;

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
