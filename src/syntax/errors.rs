//! Syntax errors in words: pest's rule names never reach the user.

use super::grammar::Rule;
use crate::diagnostics::{codes, did_you_mean, Diagnostic};
use crate::source::Span;
use pest::error::{Error, ErrorVariant, InputLocation};

mod words;

/// What a rule is, in the words of the spec's reader.
fn describe(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::name => "a name",
        Rule::name_list | Rule::entity_fields => "`[`",
        Rule::rbracket => "`]`",
        Rule::colon => "`:`",
        Rule::comment => "a comment",
        Rule::type_expr | Rule::named_type => "a type",
        Rule::accepted_as => "`accepted as`",
        Rule::model_header => "`Model:`",
        Rule::entity_decl => "`Entity:`",
        Rule::tag_case => "`PascalCase` or `kebab-case`",
        Rule::version_style => "`1.0` or `1`",
        Rule::section_header => "a section header",
        Rule::term_item => "a term",
        Rule::query_item => "a query",
        Rule::action_item => "an action",
        Rule::clause | Rule::guard | Rule::effect | Rule::source => "a rule of the action",
        Rule::condition | Rule::operand | Rule::negation => "a condition",
        Rule::comparator => "`more than`, `less than`, `at least` or `at most`",
        Rule::string => "a quoted message",
        Rule::value | Rule::number_lit | Rule::list_value => "a value",
        Rule::constraint => "a constraint (`not blank`, `at most 80 characters`, `default …`)",
        Rule::query_body => "`<entities> where …` or `count of <entities>`",
        Rule::choice_type => "`one of [...]`",
        Rule::record => "`[field: value, …]`",
        Rule::entry => "`field: value`",
        Rule::fact | Rule::outcome => "an event",
        Rule::step | Rule::given_step | Rule::when_step | Rule::then_step | Rule::and_step => {
            "`given`, `when`, `then` or `and`"
        }
        Rule::rejected_by | Rule::rejected_as => "`by <rule>`, `as <kind>` or `: \"<message>\"`",
        Rule::rule_ref => "a rule's name",
        Rule::expectation => "`<query> [args] is <value>`",
        Rule::scenario_item => "a scenario",
        Rule::policy_item => "a policy",
        Rule::policy_clause | Rule::only_if => "`<field> = <value>` or `only if <condition>`",
        Rule::notify | Rule::ask => "an action, or `notify by <function>`",
        Rule::policy_option | Rule::strong | Rule::from_now => "`strong` or `from now`",
        Rule::EOI => "the end of the line",
        _ => return None,
    })
}

/// What a well-formed line of this kind looks like, in placeholders.
fn example(rule: Rule) -> &'static str {
    match rule {
        Rule::terms_line => {
            "a term reads `- <name>: <type>`, and its constraints follow after commas: `- <name>: text, not blank, at most 80 characters`"
        }
        Rule::queries_line => {
            "a query reads `- <name> [<parameters>] returns <type>`, or `- <name> = <entities> where <condition>`"
        }
        Rule::actions_line => {
            "an action reads `- <command> [<parameters>] accepted as <event> [<fields>]`; a rule under it reads `rejected if <condition>: \"…\"`, `<field> = <value>`, `adds <Entity>` or `sets <field> of <Entity> [<key>] to <value>`"
        }
        Rule::scenarios_line => {
            "a scenario is a title (`- <what it shows>`), then its steps: `given <event> [<field>: <value>, …]`, `when <action> [<parameter>: <value>, …]`, `then <event> […]` or `then rejected: \"…\"`, and `and <query> is <value>`"
        }
        Rule::policies_line => {
            "a policy reads `- when <event> then <action> in <Model>` or `- when <event> then notify by <function>`, optionally followed by `, strong` or `, from now`; a line under it reads `<field> = <value>` or `only if <condition>`"
        }
        _ => "a spec line is a header (`Model: <Name>`, `Entity: <Name> [<fields>]`, `Actions:`), a list item, or a comment",
    }
}

/// The line mended by the first of `candidates` that parses, without its
/// indentation.
fn first_that_parses(rule: Rule, candidates: &[String]) -> Option<String> {
    candidates
        .iter()
        .find(|candidate| words::failure(rule, candidate).is_none())
        .map(|candidate| candidate.trim().to_string())
}

/// Turns a pest error on one line into a located diagnostic.
pub(super) fn translate(error: &Error<Rule>, rule: Rule, line: &str, offset: usize) -> Diagnostic {
    if let ErrorVariant::CustomError { message } = &error.variant {
        // pest's own limits: the call limit set by the parser, and its
        // guard on the stack.
        if message.contains("limit reached") {
            return too_complex(line, offset);
        }
    }
    let pos = match error.location {
        InputLocation::Pos(pos) => pos,
        InputLocation::Span((start, _)) => start,
    };
    let rest = &line[pos..];
    let found_len = match rest.chars().next() {
        None => 0,
        Some(c) if !c.is_ascii_alphanumeric() => c.len_utf8(),
        Some(_) => rest
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '?')))
            .map_or(rest.len(), |(i, _)| i),
    };
    let found = match rest.chars().next() {
        None => "the end of the line".to_string(),
        Some(c) if is_invisible(c) => describe_char(c),
        Some(_) => format!("`{}`", &rest[..found_len]),
    };
    let at = |start: usize, len: usize| Span::new(start, start + len).shift(offset);

    let mut expected: Vec<&str> = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            positives.iter().filter_map(|r| describe(*r)).collect()
        }
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    expected.sort_unstable();
    expected.dedup();

    let content = line.trim_start();
    let indent = line.len() - content.len();
    let starts_with_bullet = content.starts_with(['•', '-', '*']);
    let before = line[..pos].trim_end();
    let last_word = before.rsplit([' ', '\t']).next().unwrap_or_default();

    let header_word = content
        .split_once(':')
        .map(|(word, _)| word.trim_end())
        .filter(|word| {
            !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        });
    let first_char = rest.chars().next();

    // The common mistakes, said in the spec's words.
    let (message, span, help) = if let Some(slip) = words::slip(rule, line, pos) {
        (
            slip.message,
            at(slip.start, slip.end - slip.start),
            slip.help,
        )
    } else if let Some(word) =
        header_word.filter(|w| !HEADERS.contains(w) && pos > indent + w.len())
    {
        let mut diagnostic_help =
            "headers are `Model:`, `Entity:`, `Terms:`, `Queries:`, `Actions:`, `Scenarios:` and `Evolution:`"
                .to_string();
        if let Some(suggestion) = did_you_mean(word, HEADERS) {
            diagnostic_help = format!("did you mean `{suggestion}:`?");
        }
        (
            format!("unknown header `{word}:`"),
            at(indent, word.len()),
            diagnostic_help,
        )
    } else if expected.contains(&"`:`")
        && HEADERS.contains(&last_word)
        && before.trim_start() == last_word
    {
        let code = content.split_once('#').map_or(content, |(code, _)| code);
        (
            format!("expected `:` after `{last_word}`"),
            at(indent, last_word.len()),
            format!("write `{last_word}:{}`", code[last_word.len()..].trim_end()),
        )
    } else if expected.contains(&"`:`")
        && rule == Rule::terms_line
        && starts_with_bullet
        && first_char.is_some_and(|c| c.is_ascii_alphabetic())
    {
        let code = line.split_once('#').map_or(line, |(code, _)| code);
        (
            format!("expected `:` after the term, found {found}"),
            at(pos, found_len),
            format!(
                "a term's name is followed by `:`: write `{}: {}`",
                before.trim_start(),
                code[pos..].trim_end()
            ),
        )
    } else if matches!(last_word, "list" | "id")
        && before.len() > last_word.len()
        && first_char.is_some_and(|c| c.is_ascii_alphabetic())
        && !rest.starts_with("of")
    {
        let word = &rest[..found_len];
        (
            format!("expected `of` after `{last_word}`, found {found}"),
            at(pos, found_len),
            format!("write `{last_word} of {word}`"),
        )
    } else if rule == Rule::actions_line
        && expected.contains(&"`[`")
        && first_char.is_some_and(|c| c.is_ascii_alphabetic())
        && !rest.starts_with("accepted")
    {
        let command = before.trim_start();
        let command = command
            .strip_prefix(['•', '-', '*'])
            .unwrap_or(command)
            .trim_start();
        let help = match rest.split_once('[') {
            // `- bake loaf [id] …`: a name of two words.
            Some((words, _)) if !words.contains("accepted") => format!(
                "a name is one word: write `{command}-{}`",
                words.split_whitespace().collect::<Vec<_>>().join("-")
            ),
            // `- renew id plan accepted as …`: a list without brackets.
            _ => match rest.split_once("accepted") {
                Some((list, after)) => format!(
                    "put the parameters in brackets: `{command} [{}] accepted{}`",
                    list.trim(),
                    after.trim_end()
                ),
                None => example(rule).to_string(),
            },
        };
        (
            format!("expected `[`, found {found}"),
            at(pos, found_len),
            help,
        )
    } else if rule == Rule::actions_line
        && expected.contains(&"`[`")
        && (rest.starts_with('#') || rest.trim().is_empty())
        && line[..pos].contains("accepted")
    {
        (
            "the event needs its fields in brackets".to_string(),
            at(pos, found_len),
            format!("list what the event records, e.g. `accepted as {last_word} [id]`, or write `[]` if nothing"),
        )
    } else if pos == indent && content.starts_with(['–', '—', '·']) {
        (
            format!("{found} is not a bullet"),
            at(pos, found_len),
            "list items start with `•`, `-` or `*` and a space".to_string(),
        )
    } else if pos == indent
        && starts_with_bullet
        && content.chars().nth(1).is_some_and(|c| !c.is_whitespace())
    {
        let bullet = content.chars().next().unwrap_or('-');
        (
            format!("a list item needs a space after `{bullet}`"),
            at(pos, bullet.len_utf8()),
            format!("write `{bullet} {}`", &content[bullet.len_utf8()..]),
        )
    } else if rest.starts_with("return")
        && !rest.starts_with("returns")
        && rule == Rule::queries_line
    {
        (
            "expected `returns`, found `return`".to_string(),
            at(pos, "return".len()),
            "did you mean `returns`?".to_string(),
        )
    } else if first_char.is_some_and(|c| !c.is_ascii()) {
        (
            format!("{found} cannot be part of a name"),
            at(pos, found_len),
            "names are ASCII letters, digits, `-` and `_`, start with a letter and may end in `?`"
                .to_string(),
        )
    } else if pos == indent && !starts_with_bullet && rule != Rule::outside_line {
        (
            "expected a list item or a header".to_string(),
            at(pos, found_len),
            "list items start with `•`, `-` or `*` and a space; headers end with `:`".to_string(),
        )
    } else if expected.contains(&"`accepted as`") && rest.starts_with("accepted") {
        let after = rest["accepted".len()..].trim_start();
        let after_at = line.len() - after.len();
        let len = after.find([' ', '\t', '[']).unwrap_or(after.len());
        let code = words::code_of(line);
        let mended = code.get(after_at..).and_then(|after| {
            first_that_parses(
                rule,
                &[format!("{} as {after}", code[..after_at].trim_end())],
            )
        });
        (
            "expected `as` after `accepted`".to_string(),
            at(after_at, len),
            mended.map_or_else(|| example(rule).to_string(), |m| format!("write `{m}`")),
        )
    } else if rest.starts_with("returns") && rule == Rule::queries_line {
        (
            "expected a type after `returns`".to_string(),
            at(pos, found_len),
            "write the type it returns, e.g. `returns integer` or `returns list of Todo`"
                .to_string(),
        )
    } else if matches!(last_word, "list" | "id") && rest.trim_end() == "of" {
        (
            format!("expected a type after `{last_word} of`"),
            at(line.trim_end().len(), 0),
            "e.g. `list of text` or `id of Book`".to_string(),
        )
    } else if matches!(last_word, "of" | "optional") && !rest.starts_with('#') {
        (
            format!("expected a type after `{last_word}`, found {found}"),
            at(pos, found_len),
            "types are `text`, `integer`, `number`, `boolean`, `list of <type>`, `optional <type>`, `id of <Name>`, an entity or a term".to_string(),
        )
    } else if rule == Rule::scenarios_line
        && content.starts_with("then ")
        && rest.trim_start().starts_with("is ")
    {
        (
            "`then` says what becomes of the command, not what a query answers".to_string(),
            at(pos, found_len),
            "write `then <event> [...]`, `then accepted` or `then rejected` first, then the answer on a line of its own: `and <query> is <value>`".to_string(),
        )
    } else if rule == Rule::scenarios_line
        && rest.starts_with(['-', ':', 'T'])
        && before.ends_with(|c: char| c.is_ascii_digit())
    {
        let start = before
            .rfind(|c: char| !(c.is_ascii_digit() || c == '-' || c == ':'))
            .map_or(0, |i| i + 1);
        (
            "a date or timestamp is written in quotes".to_string(),
            at(
                start,
                pos - start + rest.find([',', ']', ' ', '\t']).unwrap_or(rest.len()),
            ),
            "write it quoted: `\"2026-12-01\"`, or `\"2026-12-01T09:30:00Z\"` for a timestamp"
                .to_string(),
        )
    } else if rest.starts_with('[') && expected.contains(&"`]`") {
        (
            "expected `]`, found another `[`".to_string(),
            at(pos, found_len),
            "is the `]` that closes the list before it missing?".to_string(),
        )
    } else if expected.is_empty() {
        (
            format!("unexpected {found}"),
            at(pos, found_len),
            example(rule).to_string(),
        )
    } else {
        let help = if rest
            .starts_with(|c: char| !c.is_ascii() || (c.is_ascii_punctuation() && c != '#'))
            && expected.contains(&"a name")
        {
            "names are ASCII letters, digits, `-` and `_`, start with a letter and may end in `?`"
                .to_string()
        } else {
            mended_line(rule, line, pos, &expected).unwrap_or_else(|| example(rule).to_string())
        };
        (
            format!("expected {}, found {found}", join_or(&expected)),
            at(pos, found_len),
            help,
        )
    };
    Diagnostic::error(codes::SYNTAX, message)
        .at_labelled(span, "here")
        .with_help(help)
}

/// A line that misses a word or a mark, mended: `accepted` before `as`,
/// quotes around a message, the `]` that closes a list, `-` for a mark
/// inside a name.
fn mended_line(rule: Rule, line: &str, pos: usize, expected: &[&str]) -> Option<String> {
    let code = words::code_of(line);
    let (before, rest) = (code.get(..pos)?, code.get(pos..)?);
    if expected.contains(&"`accepted as`") && rest.starts_with("as ") {
        let mended = first_that_parses(rule, &[format!("{before}accepted {rest}")])?;
        return Some(format!("the event follows `accepted as`: write `{mended}`"));
    }
    if expected.contains(&"a quoted message") && !rest.is_empty() {
        let mended = first_that_parses(rule, &[format!("{before}\"{rest}\"")])?;
        return Some(format!("a message is written in quotes: `{mended}`"));
    }
    if expected.contains(&"`]`") && rest.is_empty() {
        let mended = first_that_parses(rule, &[format!("{code}]")])?;
        return Some(format!("close the list with `]`: `{mended}`"));
    }
    let mark = rest.chars().next()?;
    let joins = mark.is_ascii_punctuation()
        && before.ends_with(|c: char| c.is_ascii_alphanumeric())
        && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic());
    if joins {
        let mended = first_that_parses(rule, &[format!("{before}-{}", &rest[1..])])?;
        return Some(format!(
            "a name is one word of letters, digits, `-` and `_`: write `{mended}`"
        ));
    }
    None
}

/// The header words.
const HEADERS: [&str; 8] = [
    "Model",
    "Entity",
    "Terms",
    "Queries",
    "Actions",
    "Scenarios",
    "Evolution",
    "Streams",
];

/// Characters that do not show, or look like others.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || (!c.is_ascii()
            && (c.is_whitespace()
                || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}')))
}

/// A character by its code point, and its name when it is a common one.
fn describe_char(c: char) -> String {
    let name = match c {
        '\u{a0}' => " (no-break space)",
        '\u{200b}' => " (zero-width space)",
        '\u{feff}' => " (byte order mark)",
        '\r' => " (carriage return)",
        '\t' => " (tab)",
        _ => "",
    };
    format!("U+{:04X}{name}", c as u32)
}

fn join_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// A section header that is not one of the three.
pub(super) fn unknown_section(word: &str, span: Span) -> Diagnostic {
    let known = ["Terms", "Queries", "Actions", "Model", "Entity"];
    let diagnostic = Diagnostic::error(codes::UNKNOWN_SECTION, format!("unknown section `{word}`"))
        .at_labelled(span, "not a section esgen knows");
    match did_you_mean(word, known) {
        Some(suggestion @ ("Model" | "Entity")) => {
            diagnostic.with_help(format!("did you mean `{suggestion}: <Name>`?"))
        }
        Some(suggestion) => diagnostic.with_help(format!("did you mean `{suggestion}:`?")),
        None if word == "Model" || word == "Entity" => diagnostic.with_help(format!(
            "`{word}:` needs a name after it, e.g. `{word}: Todos`"
        )),
        None => diagnostic
            .with_help("a model's sections are `Terms:`, `Queries:`, `Actions:`, `Scenarios:` and `Evolution:`"),
    }
}

/// A type nested beyond the limit.
pub(super) fn too_deep(at: usize, limit: usize) -> Diagnostic {
    Diagnostic::error(codes::SYNTAX, format!("this type nests `list of` and `optional` more than {limit} deep"))
        .at_labelled(Span::new(at, at + 4), "too deep from here")
        .with_help("name an inner type as a term of its own, e.g. `- scores: list of integer`, then `list of scores`")
}

/// A `\r` that is not followed by `\n`.
pub(super) fn lone_carriage_return(at: usize) -> Diagnostic {
    Diagnostic::error(
        codes::SYNTAX,
        "a carriage return (`\\r`) alone is not a line break",
    )
    .at_labelled(Span::new(at, at + 1), "here")
    .with_help("save the file with LF or CRLF line ends")
}

/// A spec larger than esgen reads.
pub(super) fn too_large(len: u64, limit: u64) -> Diagnostic {
    let mib = |bytes: u64| bytes as f64 / (1024.0 * 1024.0);
    Diagnostic::error(
        codes::SPEC_TOO_LARGE,
        format!(
            "the spec is {:.1} MiB ({len} bytes); esgen reads specs of up to {:.0} MiB",
            mib(len),
            mib(limit)
        ),
    )
    .with_help("is this the right file? A spec of a thousand models is about 1.3 MB; split a larger domain into several specs")
}

/// A line that takes the parser more work than any spec line should.
fn too_complex(line: &str, offset: usize) -> Diagnostic {
    Diagnostic::error(
        codes::SYNTAX,
        format!(
            "this line is too long or too complex to parse ({} characters)",
            line.chars().count()
        ),
    )
    .at_labelled(
        {
            let indent = line.len() - line.trim_start().len();
            let first = line[indent..].chars().next().map_or(0, char::len_utf8);
            Span::new(offset + indent, offset + indent + first)
        },
        "this line",
    )
    .with_help("write one item per line; split long bracket lists over several terms or actions")
}

/// Something before the first `Model:`.
pub(super) fn outside_model(what: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        codes::OUTSIDE_MODEL,
        format!("{what} comes before any model"),
    )
    .at_labelled(span, "no `Model:` line above this")
    .with_help("start the spec with `Model: <Name>`, e.g. `Model: Todos`")
}

/// A rule line (guard, source, effect) with no action above it.
pub(super) fn clause_outside_action(span: Span) -> Diagnostic {
    Diagnostic::error(
        codes::CLAUSE_OUTSIDE_ACTION,
        "this rule belongs to no action",
    )
    .at_labelled(span, "no action line directly above this")
    .with_help("put rule lines (`rejected if …`, `adds …`, `<field> = …`) right under their action in `Actions:`")
}

/// A source or `only if` line in `Policies:` with no policy above it.
pub(super) fn line_outside_policy(span: Span) -> Diagnostic {
    Diagnostic::error(codes::POLICY, "this line belongs to no policy")
        .at_labelled(span, "no policy directly above this")
        .with_help("put `<field> = …` and `only if …` lines right under their policy, e.g. `- when book-lost then order-replacement in Purchasing`")
}

/// A `given`, `when`, `then` or `and` line that is not under a scenario.
pub(super) fn step_outside_scenario(span: Span) -> Diagnostic {
    Diagnostic::error(codes::SCENARIO_SHAPE, "this step belongs to no scenario")
        .at_labelled(span, "no scenario title above this")
        .with_help(
            "put steps under a scenario's title in `Scenarios:`, e.g. `- ids are unique`, then `given …`, `when …`, `then …`",
        )
}
