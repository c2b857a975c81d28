//! Small pieces of Rust text that templates cannot lay out alone: doc lines
//! made inert, and signatures broken the way rustfmt breaks them.

/// rustfmt's default line width.
pub const MAX_WIDTH: usize = 100;

/// rustfmt's default `chain_width`: a longer method chain is broken, one
/// call per line.
pub const CHAIN_WIDTH: usize = 60;

/// Spec text made safe to place after `///` or `//`: it can only ever be
/// documentation. Control and bidirectional-override characters are written
/// as escapes, leading white space (which Markdown reads as a code block)
/// is dropped, and a code fence is escaped so that rustdoc never runs spec
/// text as a doctest.
pub fn inert(text: &str) -> String {
    let text = text.trim_start();
    if text.bytes().all(|b| matches!(b, b' '..=b'~')) {
        // Printable ASCII (the usual case) has nothing to escape.
        return defused(text.trim_end());
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let bidi = matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if c == '\t' {
            out.push(' ');
        } else if c.is_control() || bidi {
            out.push_str(&format!("\\u{{{:04x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    defused(out.trim_end())
}

/// A line that cannot open a code fence.
fn defused(line: &str) -> String {
    if line.starts_with("```") || line.starts_with("~~~") {
        format!("\\{line}")
    } else {
        line.to_string()
    }
}

/// A line of the spec's own prose, made inert and read by rustdoc as the
/// writer meant it: outside code spans, `<` would open an HTML tag and `[`
/// an intra-doc link, so both are escaped.
pub fn prose(text: &str) -> String {
    let inert = inert(text);
    if !inert.contains(['`', '<', '[', ']']) {
        return inert;
    }
    let mut out = String::with_capacity(inert.len());
    let mut in_code = false;
    for c in inert.chars() {
        match c {
            '`' => in_code = !in_code,
            '<' | '[' | ']' if !in_code => out.push('\\'),
            _ => {}
        }
        out.push(c);
    }
    out
}

/// Doc lines: the spec's own prose, then a blank line and `extra` (esgen's
/// own sentences) if there are both.
pub fn docs(spec_docs: &[String], extra: &[String]) -> Vec<String> {
    let mut lines: Vec<String> = spec_docs.iter().map(|l| prose(l)).collect();
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    if !lines.is_empty() && !extra.is_empty() {
        lines.push(String::new());
    }
    lines.extend(extra.iter().map(|l| inert(l)));
    lines
}

/// A function signature at `indent`, on one line if it fits in rustfmt's
/// width, else with one parameter per line, as rustfmt lays it out.
/// `end` is `;` for a declaration or ` {` for a definition.
pub fn signature(
    indent: usize,
    name: &str,
    params: &[String],
    returns: Option<&str>,
    end: &str,
) -> String {
    signature_with(indent, "fn", name, params, returns, end)
}

/// [`signature`] with other words before the name than `fn`
/// (`pub async fn`).
pub fn signature_with<P: AsRef<str>>(
    indent: usize,
    keywords: &str,
    name: &str,
    params: &[P],
    returns: Option<&str>,
    end: &str,
) -> String {
    // The width of the one-line form, counted without building it.
    let params_width: usize = params.iter().map(|p| width(p.as_ref())).sum::<usize>()
        + 2 * params.len().saturating_sub(1);
    let returns_width = returns.map_or(0, |r| " -> ".len() + width(r));
    let one_line = indent
        + width(keywords)
        + " (".len()
        + width(name)
        + params_width
        + 1
        + returns_width
        + width(end);
    let mut out = String::with_capacity(one_line + params.len() * (indent + 6) + indent + 2);
    pad(&mut out, indent);
    out.push_str(keywords);
    out.push(' ');
    out.push_str(name);
    out.push('(');
    if one_line <= MAX_WIDTH {
        for (i, param) in params.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(param.as_ref());
        }
    } else {
        out.push('\n');
        for param in params {
            pad(&mut out, indent + 4);
            out.push_str(param.as_ref());
            out.push_str(",\n");
        }
        pad(&mut out, indent);
    }
    out.push(')');
    if let Some(returns) = returns {
        out.push_str(" -> ");
        out.push_str(returns);
    }
    out.push_str(end);
    out
}

/// Width in characters, as rustfmt counts it.
pub fn width(text: &str) -> usize {
    text.chars().count()
}

/// `{name}: {bounds},` in a `where` clause (after its 4 spaces): on one
/// line if it fits, else a bound per line, as rustfmt lays it out.
pub fn bound_line(name: &str, bounds: &str) -> String {
    let one = format!("{name}: {bounds},");
    if width(&one) + 4 <= 100 {
        return one;
    }
    if width(bounds) + 9 <= 100 {
        return format!("{name}:\n        {bounds},");
    }
    let mut out = format!("{name}: ");
    for (i, bound) in bounds.split(" + ").enumerate() {
        if i > 0 {
            out.push_str("\n        + ");
        }
        out.push_str(bound);
    }
    out.push(',');
    out
}

/// `count` spaces.
fn pad(out: &mut String, count: usize) {
    out.extend(std::iter::repeat_n(' ', count));
}

/// A match arm `pattern => self.method(binding).map(wrap),` at `indent`,
/// laid out as rustfmt lays it out.
pub fn map_arm(indent: usize, pattern: &str, call: &str, wrap: &str) -> String {
    let pad = " ".repeat(indent);
    let chain = format!("{call}.map({wrap})");
    if chain.chars().count() > CHAIN_WIDTH {
        let inner = " ".repeat(indent + 4);
        let (root, rest) = call.split_once('.').unwrap_or((call, ""));
        return format!("{pad}{pattern} => {root}\n{inner}.{rest}\n{inner}.map({wrap}),");
    }
    arm(indent, pattern, &chain)
}

/// A match arm `pattern => call,` at `indent`, laid out as rustfmt lays it
/// out: on one line if it fits, else the call in a block; a pattern too long
/// for that has its binding on a line of its own.
pub fn arm(indent: usize, pattern: &str, call: &str) -> String {
    // `{pad}{pattern} => {call},`
    let one_line = indent + width(pattern) + " => ".len() + width(call) + ",".len();
    if one_line <= MAX_WIDTH {
        let mut one_line = String::with_capacity(indent + pattern.len() + call.len() + 5);
        pad(&mut one_line, indent);
        one_line.push_str(pattern);
        one_line.push_str(" => ");
        one_line.push_str(call);
        one_line.push(',');
        return one_line;
    }
    let pad = " ".repeat(indent);
    let inner = " ".repeat(indent + 4);
    if format!("{pad}{pattern} => {{").chars().count() > MAX_WIDTH {
        if let Some((path, binding)) = pattern.strip_suffix(')').and_then(|p| p.split_once('(')) {
            return format!("{pad}{path}(\n{inner}{binding},\n{pad}) => {call},");
        }
    }
    format!("{pad}{pattern} => {{\n{inner}{call}\n{pad}}}")
}

/// `    pub const NAME: &'static str = "value";` in an `impl`, with the value
/// on a line of its own when the whole would be too wide, as rustfmt does.
pub fn str_const(name: &str, value: &str) -> String {
    let head = format!("    pub const {name}: &'static str =");
    let value = format!("\"{value}\";");
    if width(&head) + 1 + width(&value) <= MAX_WIDTH {
        format!("{head} {value}")
    } else {
        format!("{head}\n        {value}")
    }
}

/// An arm of the aggregate's `execute`: propose, accept and return the
/// event in one arm per command, so that the command is dispatched by one
/// `match` (proposing and then accepting through two would cost a second
/// dispatch on the event). Laid out as rustfmt lays it out.
pub fn execute_arm(
    indent: usize,
    pattern: &str,
    propose: &str,
    accept: &str,
    validate: bool,
) -> String {
    let pad = " ".repeat(indent);
    let inner = " ".repeat(indent + 4);
    let deeper = " ".repeat(indent + 8);
    let mut out = format!("{pad}{pattern} => {{\n");
    if validate {
        out.push_str(&format!("{inner}command.validate()?;\n"));
    }
    let proposal = format!("self.{propose}?;");
    if indent + 4 + "let event = ".len() + width(&proposal) <= MAX_WIDTH {
        out.push_str(&format!("{inner}let event = {proposal}\n"));
    } else {
        out.push_str(&format!("{inner}let event =\n{deeper}{proposal}\n"));
    }
    let acceptance = format!("self.{accept}(&event);");
    if indent + 4 + width(&acceptance) <= MAX_WIDTH {
        out.push_str(&format!("{inner}{acceptance}\n"));
    } else {
        out.push_str(&format!(
            "{inner}self.{accept}(\n{deeper}&event,\n{inner});\n"
        ));
    }
    out.push_str(&format!("{inner}Ok(event.into())\n{pad}}}"));
    out
}

/// `head: A + B + C {`, broken as rustfmt breaks a trait's supertraits:
/// the bounds on a line of their own, the brace on the next.
pub fn trait_header(head: &str, bounds: &[String]) -> String {
    let joined = bounds.join(" + ");
    let one_line = format!("{head}: {joined} {{");
    // rustfmt keeps a trait's header with a body on one line up to 92
    // columns, not 100 (found by trying).
    if one_line.chars().count() <= MAX_WIDTH - 8 {
        return one_line;
    }
    format!("{head}:\n    {joined}\n{{")
}

/// `impl<T> Trait for T where T: A + B {}`, broken as rustfmt breaks it.
pub fn blanket_impl(head: &str, bounds: &[String]) -> String {
    let joined = bounds.join(" + ");
    // As rustfmt measures it: the empty body's ` {}` does not count
    // towards the width, and a header one column too wide still keeps its
    // `where` on its line, with the body below.
    let where_line = format!("{head} where T: {joined}");
    let width = where_line.chars().count();
    if width <= MAX_WIDTH {
        return format!("{where_line} {{}}");
    }
    if width == MAX_WIDTH + 1 {
        return format!("{where_line}\n{{}}");
    }
    let bound_line = format!("    T: {joined}");
    if bound_line.chars().count() <= MAX_WIDTH {
        return format!("{head} where\n{bound_line}\n{{\n}}");
    }
    format!(
        "{head} where\n    T: {}\n{{\n}}",
        bounds.join("\n        + ")
    )
}

/// rustfmt's `fn_call_width`: longer argument lists go one per line.
const CALL_WIDTH: usize = 60;
/// rustfmt's `struct_lit_width`: longer struct literals go one field per line.
const STRUCT_WIDTH: usize = 18;

/// `count` spaces.
pub fn spaces(count: usize) -> String {
    " ".repeat(count)
}

/// `head(args)tail` at `indent`: on one line if it fits, else one argument
/// per line (with a trailing comma, but for a macro).
pub fn call(indent: usize, head: &str, args: &[String], tail: &str) -> String {
    let joined = args.join(", ");
    let one = format!("{}{head}({joined}){tail}", spaces(indent));
    let multiline = args.iter().any(|a| a.contains('\n'));
    if !multiline && width(&one) <= MAX_WIDTH && width(&joined) <= CALL_WIDTH {
        return one;
    }
    let macro_call = head.ends_with('!');
    let mut out = format!("{}{head}(\n", spaces(indent));
    for (i, arg) in args.iter().enumerate() {
        out.push_str(&spaces(indent + 4));
        out.push_str(&arg.replace('\n', &format!("\n{}", spaces(indent + 4))));
        if !macro_call || i + 1 < args.len() {
            out.push(',');
        }
        out.push('\n');
    }
    out.push_str(&spaces(indent));
    out.push(')');
    out.push_str(tail);
    out
}

/// `head Name { a: x, b: y }tail` at `indent`, laid out as rustfmt lays a
/// struct literal out.
pub fn struct_lit(
    indent: usize,
    head: &str,
    name: &str,
    fields: &[(String, String)],
    tail: &str,
) -> String {
    if fields.is_empty() {
        return format!("{}{head}{name} {{}}{tail}", spaces(indent));
    }
    let body = fields
        .iter()
        .map(|(f, v)| {
            if f == v {
                f.clone()
            } else {
                format!("{f}: {v}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    let one = format!("{}{head}{name} {{ {body} }}{tail}", spaces(indent));
    if width(&body) <= STRUCT_WIDTH && width(&one) <= MAX_WIDTH && !body.contains('\n') {
        return one;
    }
    let mut out = format!("{}{head}{name} {{\n", spaces(indent));
    for (f, v) in fields {
        out.push_str(&spaces(indent + 4));
        if f == v {
            out.push_str(f);
        } else {
            out.push_str(&format!("{f}: {v}"));
        }
        out.push_str(",\n");
    }
    out.push_str(&spaces(indent));
    out.push('}');
    out.push_str(tail);
    out
}

/// The elements of a method chain: the root, then each `.call(…)` or
/// `.field` at the top level.
pub fn chain_parts(expr: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    let mut in_string = false;
    let bytes = expr.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' if i == 0 || bytes[i - 1] != b'\\' => in_string = !in_string,
            _ if in_string => {}
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth -= 1,
            b'.' if depth == 0 && i > start => {
                parts.push(&expr[start..i]);
                start = i;
            }
            _ => {}
        }
    }
    parts.push(&expr[start..]);
    parts
}

/// `{lhs} = {rhs};` laid out as rustfmt lays it out: a chain longer than
/// rustfmt's chain width is broken, one element per line.
pub fn assign(indent: usize, lhs: &str, rhs: &str) -> String {
    chained(indent, &format!("{lhs} = "), rhs, ";")
}

/// rustfmt's indentation: a chain whose root is at least this wide, too
/// long for its line, puts its first call on a line of its own.
const TAB: usize = 4;

/// The operators a generated comparison is made of, as written between
/// its operands.
const COMPARISONS: [&str; 6] = [" == ", " != ", " >= ", " <= ", " > ", " < "];

/// `expr` split at its one comparison outside brackets, closures and
/// strings: (left, operator, right).
fn comparison(expr: &str) -> Option<(&str, &str, &str)> {
    let bytes = expr.as_bytes();
    let (mut depth, mut in_string, mut escaped, mut bars) = (0i32, false, false, 0u32);
    let mut found = None;
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth -= 1,
            b'|' => bars += 1,
            b' ' if depth == 0 && bars % 2 == 0 => {
                if let Some(op) = COMPARISONS.iter().find(|op| expr[i..].starts_with(**op)) {
                    if found.is_some() {
                        return None;
                    }
                    found = Some((i, *op));
                }
            }
            _ => {}
        }
    }
    let (at, op) = found?;
    Some((&expr[..at], op.trim(), &expr[at + op.len()..]))
}

/// Whether rustfmt keeps the chain `expr` on one line.
fn chain_fits(expr: &str) -> bool {
    chain_parts(expr).len() < 3 || width(expr) <= CHAIN_WIDTH
}

/// `{prefix}{left} {op} {right}{suffix}` as rustfmt lays out a comparison:
/// on one line when it fits; else, after `let … =`, on the next line; else
/// broken before the operator, each operand laid out as a chain.
fn compared(
    indent: usize,
    prefix: &str,
    (left, op, right): (&str, &str, &str),
    suffix: &str,
) -> String {
    let expr = format!("{left} {op} {right}");
    let fits = chain_fits(left) && chain_fits(right);
    let one = format!("{}{prefix}{expr}{suffix}", spaces(indent));
    if fits && width(&one) <= MAX_WIDTH && !one.contains('\n') {
        return one;
    }
    if let Some(head) = prefix.strip_suffix(" = ") {
        let next = format!("{}{expr}{suffix}", spaces(indent + 4));
        if fits && width(&next) <= MAX_WIDTH {
            return format!("{}{head} =\n{next}", spaces(indent));
        }
    }
    let first = chained(indent, prefix, left, "");
    let second = chained(indent + 4, &format!("{op} "), right, suffix);
    format!("{first}\n{second}")
}

/// `{prefix}{expr}{suffix}` with the chain `expr` broken as rustfmt breaks
/// it when it is too long.
pub fn chained(indent: usize, prefix: &str, expr: &str, suffix: &str) -> String {
    if let Some(parts) = comparison(expr) {
        return compared(indent, prefix, parts, suffix);
    }
    let one = format!("{}{prefix}{expr}{suffix}", spaces(indent));
    let parts = chain_parts(expr);
    // rustfmt lays a `let`'s right side that ends in `?` out two
    // characters short of the line's width.
    let limit = if prefix.trim_start().starts_with("let ") && expr.ends_with('?') {
        MAX_WIDTH - 2
    } else {
        MAX_WIDTH
    };
    // The right side of `let x = ` too long for its line goes whole on
    // the next, when it fits there on one line (a chain of more than one
    // call only within rustfmt's chain width).
    if width(&one) > limit && prefix.ends_with(" = ") {
        let next = format!("{}{expr}{suffix}", spaces(indent + 4));
        if width(&next) <= MAX_WIDTH && (parts.len() <= 2 || width(expr) <= CHAIN_WIDTH) {
            return format!("{}{}\n{next}", spaces(indent), prefix.trim_end());
        }
    }
    if parts.len() < 3 || (width(expr) <= CHAIN_WIDTH && width(&one) <= limit) {
        if width(&one) > limit && parts.len() == 2 && width(parts[0]) >= TAB {
            // A root as wide as a tab stays alone on its line when the
            // call then fits on the next: rustfmt breaks the chain there.
            let line = format!("{}{}{suffix}", spaces(indent + 4), parts[1]);
            if width(&line) <= MAX_WIDTH {
                return format!("{}{prefix}{}\n{line}", spaces(indent), parts[0]);
            }
        }
        if width(&one) > limit && parts.len() == 2 {
            if let Some(block) =
                closure_block(indent, &format!("{prefix}{}", parts[0]), parts[1], suffix)
            {
                return block;
            }
        }
        return one;
    }
    if let Some(overflowed) = overflow_last(indent, prefix, &parts, suffix) {
        return overflowed;
    }
    // rustfmt keeps adding the next element to a root no wider than a tab
    // less what precedes it on its line (`loan.reminded_on`, `self.as_ref()`
    // at the start of a statement).
    let mut root = parts[0].to_string();
    let mut next = 1;
    while width(&root) <= TAB.saturating_sub(width(prefix)) && next < parts.len() {
        root.push_str(parts[next]);
        next += 1;
    }
    let mut out = format!("{}{prefix}{root}", spaces(indent));
    for part in &parts[next..] {
        out.push('\n');
        let line = format!("{}{part}", spaces(indent + 4));
        match closure_block(indent + 4, "", part, "") {
            Some(block) if width(&line) > MAX_WIDTH => out.push_str(&block),
            _ => out.push_str(&line),
        }
    }
    out.push_str(suffix);
    out
}

/// `fn <name>() {` at `indent`, a test's head: rustfmt puts the brace on
/// a line of its own when the line is too long.
pub fn test_head(indent: usize, name: &str) -> String {
    let head = format!("{}fn {name}() {{", spaces(indent));
    if width(&head) <= MAX_WIDTH {
        head
    } else {
        format!("{}fn {name}()\n{}{{", spaces(indent), spaces(indent))
    }
}

/// A chain on one line up to its last call, a closure whose body goes in a
/// block below (`state.notes.get(&key).is_some_and(|note| {`), as rustfmt
/// lays it out when that first line fits and the call, put on a line of
/// its own instead, would still need a block; `None` otherwise.
fn overflow_last(indent: usize, prefix: &str, parts: &[&str], suffix: &str) -> Option<String> {
    let (last, head) = parts.split_last()?;
    if head.len() < 2 {
        return None;
    }
    let over = closure_block(indent, &format!("{prefix}{}", head.concat()), last, suffix)?;
    if over.lines().next().map_or(usize::MAX, width) > MAX_WIDTH {
        return None;
    }
    if over.lines().count() >= 5 {
        return Some(over);
    }
    // On a line of its own, the call fits whole: rustfmt breaks the chain.
    if width(&format!("{}{last}{suffix}", spaces(indent + 4))) <= MAX_WIDTH {
        return None;
    }
    Some(over)
}

/// `{prefix}.method(|x| body){suffix}` with the closure's body in a block
/// of its own, as rustfmt lays out a closure too long for its line; `None`
/// when `call` is not a call with one closure.
pub fn closure_block(indent: usize, prefix: &str, call: &str, suffix: &str) -> Option<String> {
    let open = call.find("(|")?;
    let inner = call[open + 2..].strip_suffix(')')?;
    let (binding, body) = inner.split_once("| ")?;
    if binding.contains(['(', ')']) {
        return None;
    }
    let head = &call[..open];
    let body = chained(indent + 4, "", body, "");
    Some(format!(
        "{}{prefix}{head}(|{binding}| {{\n{body}\n{}}}){suffix}",
        spaces(indent),
        spaces(indent)
    ))
}

/// The top-level arguments of an argument list (commas outside strings
/// and brackets).
pub fn split_args(list: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut in_string = false;
    let mut escaped = false;
    let mut current = String::new();
    for c in list.chars() {
        if in_string {
            current.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(current.trim().to_string());
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    out.push(current.trim().to_string());
    out
}

/// How rustfmt orders `use` lines: segment by segment, `self`, `super`
/// and `crate` first, then a path from the crate root (`::x`), then names
/// (snake case, then camel case, then upper case), then `*`.
pub fn use_order(line: &str) -> Vec<(u8, String)> {
    let path = line
        .trim_start_matches("pub ")
        .trim_start_matches("use ")
        .trim_end_matches(';')
        .split(" as ")
        .next()
        .unwrap_or_default();
    let (root, path) = match path.strip_prefix("::") {
        Some(rest) => (vec![(3, String::new())], rest),
        None => (Vec::new(), path),
    };
    root.into_iter()
        .chain(path.split("::").map(|segment| {
            let rank = match segment {
                "self" => 0,
                "super" => 1,
                "crate" => 2,
                "*" => 8,
                s if s.starts_with('{') => 9,
                s if s.chars().all(|c| !c.is_ascii_lowercase()) && s.len() > 1 => 6,
                s if s.starts_with(|c: char| c.is_ascii_uppercase()) => 5,
                _ => 4,
            };
            // rustfmt compares a raw identifier with its `r#`.
            (rank, segment.to_string())
        }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_text_stays_documentation() {
        assert_eq!(inert("  ```rust"), "\\```rust");
        assert_eq!(
            inert("a\u{202e}b\u{0}c\r"),
            "a\\u{202e}b\\u{0000}c\\u{000d}"
        );
        assert_eq!(
            inert("*/ {{ x }} {% if %} \"q\" \\"),
            "*/ {{ x }} {% if %} \"q\" \\"
        );
        assert_eq!(inert(" \t ~~~ fence \t"), "\\~~~ fence");
        assert_eq!(inert("  plain words  "), "plain words");
        assert_eq!(inert("tab\there "), "tab here");
        assert_eq!(inert("é\u{7f}"), "é\\u{007f}");
    }

    #[test]
    fn prose_is_not_markup() {
        assert_eq!(
            prose("a Vec<u8> in [brackets], but `Vec<u8>` and `[x]` in code"),
            "a Vec\\<u8> in \\[brackets\\], but `Vec<u8>` and `[x]` in code"
        );
    }

    #[test]
    fn lays_blanket_impls_out_as_rustfmt_does() {
        // Each expectation is what rustfmt 1.95 makes of the one-line form.
        let bounds = |n: usize| {
            let name = "L".repeat(n);
            (
                format!("impl<T> {name}Aggregate for T"),
                vec![
                    format!("{name}Propose"),
                    format!("{name}Accept"),
                    "Default".to_string(),
                ],
            )
        };
        let (head, b) = bounds(13);
        assert_eq!(
            blanket_impl(&head, &b),
            format!("{head} where T: {} {{}}", b.join(" + "))
        );
        let (head, b) = bounds(14);
        assert_eq!(
            blanket_impl(&head, &b),
            format!("{head} where T: {}\n{{}}", b.join(" + "))
        );
        let (head, b) = bounds(15);
        assert_eq!(
            blanket_impl(&head, &b),
            format!("{head} where\n    T: {}\n{{\n}}", b.join(" + "))
        );
    }

    #[test]
    fn breaks_long_signatures() {
        assert_eq!(
            signature(4, "f", &["&self".into()], Some("bool"), ";"),
            "    fn f(&self) -> bool;"
        );
        let long = signature(
            4,
            &"g".repeat(80),
            &["&self".into(), "x: i64".into()],
            Some("bool"),
            ";",
        );
        assert_eq!(
            long,
            format!(
                "    fn {}(\n        &self,\n        x: i64,\n    ) -> bool;",
                "g".repeat(80)
            )
        );
    }

    #[test]
    fn a_let_whose_right_side_ends_in_a_question_mark_is_broken_two_characters_early() {
        let prefix =
            "let abcd: crate::generated::answers::DateTime<crate::generated::answers::Utc> = ";
        // 99 characters on one line: rustfmt breaks it.
        assert_eq!(
            super::chained(4, prefix, "params.one(x)?", ";"),
            format!("    {}\n        params.one(x)?;", prefix.trim_end())
        );
        // 97 on one line: kept; and a call that ends otherwise keeps 100.
        let short =
            "let ab: crate::generated::answers::DateTime<crate::generated::answers::Utc> = ";
        assert_eq!(
            super::chained(4, short, "params.one(x)?", ";"),
            format!("    {short}params.one(x)?;")
        );
        let call = format!("let a = {}(x)", "f".repeat(84));
        assert_eq!(super::chained(4, &call, "", ";").len(), 100);
    }
}
