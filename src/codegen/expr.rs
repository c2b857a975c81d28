//! Rust expressions as a small tree, laid out as rustfmt lays them out: on
//! one line when they fit rustfmt's widths, else broken one argument,
//! element or field per line, with a sole argument that is itself a call, a
//! list or a struct overflowing onto the lines of its parent (`f(Foo {`).
//! Enough for the values a scenario writes, which can be of any length.

use super::rust::{spaces, width, MAX_WIDTH};

/// rustfmt's `fn_call_width`.
const CALL_WIDTH: usize = 60;
/// rustfmt's `array_width` (also for `vec![…]`).
const ARRAY_WIDTH: usize = 60;
/// rustfmt's `struct_lit_width`.
const STRUCT_WIDTH: usize = 18;

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Text that is never broken: a literal, a path, a short call.
    Atom(String),
    /// `head(args)`.
    Call(String, Vec<Expr>),
    /// `open items]`: `vec![a, b]` or `&[a, b]`.
    List(&'static str, Vec<Expr>),
    /// `Name { field: value }`.
    Struct(String, Vec<(String, Expr)>),
}

impl Expr {
    /// An atom.
    pub fn atom(text: impl Into<String>) -> Self {
        Expr::Atom(text.into())
    }

    /// A call.
    pub fn call(head: impl Into<String>, args: Vec<Expr>) -> Self {
        Expr::Call(head.into(), args)
    }

    /// The expression on one line.
    pub fn flat(&self) -> String {
        match self {
            Expr::Atom(text) => text.clone(),
            Expr::Call(head, args) => format!("{head}({})", join(args)),
            Expr::List(open, items) => format!("{open}{}]", join(items)),
            Expr::Struct(name, fields) if fields.is_empty() => format!("{name} {{}}"),
            Expr::Struct(name, fields) => format!("{name} {{ {} }}", fields_flat(fields)),
        }
    }

    /// Whether rustfmt keeps the expression on one line, its width aside.
    fn flat_ok(&self) -> bool {
        match self {
            Expr::Atom(_) => true,
            // One quoted string stays on the call's line whatever its
            // length, as long as the line fits.
            Expr::Call(_, args) if matches!(args.as_slice(), [Expr::Atom(a)] if a.starts_with('"')) => {
                true
            }
            Expr::Call(_, args) => {
                width(&join(args)) <= CALL_WIDTH && args.iter().all(Expr::flat_ok)
            }
            Expr::List(_, items) => {
                width(&join(items)) <= ARRAY_WIDTH && items.iter().all(Expr::flat_ok)
            }
            Expr::Struct(_, fields) => {
                width(&fields_flat(fields)) <= STRUCT_WIDTH
                    && fields.iter().all(|(_, value)| value.flat_ok())
            }
        }
    }

    /// `{lhs} = {self}{suffix}` at `indent`, laid out: when the value does
    /// not fit after `=` but fits on one line of its own, rustfmt puts it
    /// on the next line rather than breaking it.
    pub fn assign(&self, indent: usize, lhs: &str, suffix: &str) -> String {
        // A line's width, without the line break a suffix may end in.
        let line_width = |line: &str| width(line.trim_end_matches('\n'));
        let same = format!("{lhs} = ");
        let one = format!("{}{same}{}{suffix}", spaces(indent), self.flat());
        if line_width(&one) <= MAX_WIDTH && self.flat_ok() {
            return one;
        }
        let next = format!("{}{}{suffix}", spaces(indent + 4), self.flat());
        if self.flat_ok() && line_width(&next) <= MAX_WIDTH && !matches!(self, Expr::Struct(..)) {
            return format!("{}{lhs} =\n{next}", spaces(indent));
        }
        self.render(indent, &same, suffix)
    }

    /// `{prefix}{self}{suffix}` at `indent`, laid out.
    pub fn render(&self, indent: usize, prefix: &str, suffix: &str) -> String {
        let one = format!("{}{prefix}{}{suffix}", spaces(indent), self.flat());
        let fits = width(one.trim_end_matches('\n')) <= MAX_WIDTH;
        if matches!(self, Expr::Atom(_)) || (self.flat_ok() && fits) {
            return one;
        }
        match self {
            Expr::Atom(_) => one,
            Expr::Call(head, args) => match args.as_slice() {
                [only @ (Expr::Call(..) | Expr::List(..) | Expr::Struct(..))] => {
                    only.render(indent, &format!("{prefix}{head}("), &format!("){suffix}"))
                }
                _ => vertical(
                    indent,
                    &format!("{prefix}{head}("),
                    args,
                    &format!("){suffix}"),
                ),
            },
            // A sole tuple overflows onto the lines of its list:
            // `&[(` … `)]`.
            Expr::List(open, items) if matches!(items.as_slice(), [Expr::Call(head, _)] if head.is_empty()) => {
                items[0].render(indent, &format!("{prefix}{open}"), &format!("]{suffix}"))
            }
            Expr::List(open, items) => vertical(
                indent,
                &format!("{prefix}{open}"),
                items,
                &format!("]{suffix}"),
            ),
            Expr::Struct(name, fields) => {
                let mut out = format!("{}{prefix}{name} {{\n", spaces(indent));
                for (field, value) in fields {
                    out.push_str(&value.render(indent + 4, &format!("{field}: "), ","));
                    out.push('\n');
                }
                out.push_str(&format!("{}}}{suffix}", spaces(indent)));
                out
            }
        }
    }
}

fn join(items: &[Expr]) -> String {
    items.iter().map(Expr::flat).collect::<Vec<_>>().join(", ")
}

fn fields_flat(fields: &[(String, Expr)]) -> String {
    fields
        .iter()
        .map(|(field, value)| format!("{field}: {}", value.flat()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `open`, one item per line with a trailing comma, then `close`.
fn vertical(indent: usize, open: &str, items: &[Expr], close: &str) -> String {
    let mut out = format!("{}{open}\n", spaces(indent));
    for item in items {
        out.push_str(&item.render(indent + 4, "", ","));
        out.push('\n');
    }
    out.push_str(&format!("{}{close}", spaces(indent)));
    out
}

#[cfg(test)]
mod tests {
    use super::Expr;

    fn id(text: &str) -> Expr {
        Expr::call("TodoId::from", vec![Expr::atom(format!("{text:?}"))])
    }

    #[test]
    fn short_expressions_stay_on_one_line() {
        let call = Expr::call(
            "run.given",
            vec![Expr::Struct(
                "Deleted".into(),
                vec![("id".into(), id("t1"))],
            )],
        );
        // The struct's fields are wider than rustfmt's 18 characters.
        assert_eq!(
            call.render(8, "", ";"),
            "        run.given(Deleted {\n            id: TodoId::from(\"t1\"),\n        });"
        );
        let short = Expr::call("f", vec![Expr::atom("1"), Expr::atom("None")]);
        assert_eq!(short.render(4, "", ";"), "    f(1, None);");
    }

    #[test]
    fn long_lists_and_calls_go_one_item_per_line() {
        let list = Expr::List("vec![", (1..5).map(|i| id(&format!("todo-{i}"))).collect());
        assert_eq!(
            list.render(4, "ids: ", ","),
            "    ids: vec![\n        TodoId::from(\"todo-1\"),\n        TodoId::from(\"todo-2\"),\n        TodoId::from(\"todo-3\"),\n        TodoId::from(\"todo-4\"),\n    ],"
        );
        let text = Expr::call(
            "String::from",
            vec![Expr::atom(format!("{:?}", "x".repeat(90)))],
        );
        assert_eq!(
            text.render(4, "text: ", ","),
            format!(
                "    text: String::from(\n        \"{}\",\n    ),",
                "x".repeat(90)
            )
        );
    }
}
