//! Words and forms the language does not have where they were written
//! (`and` between constraints, `>` in a condition, `if` in a derived
//! query, …): what the language says instead, and the line rewritten in
//! its words when a rewrite is possible.
//!
//! A rewrite is offered only when it parses: each one is read again with
//! the grammar, and a line with several such slips is mended slip by slip.

use super::super::grammar::{DddParser, Rule};
use pest::error::InputLocation;
use pest::Parser;

/// A word or form out of place, said in the spec's words.
pub(super) struct Slip {
    pub message: String,
    /// Where, in the line.
    pub start: usize,
    pub end: usize,
    pub help: String,
}

/// What one slip is, and how to mend it.
struct Found {
    message: String,
    start: usize,
    end: usize,
    /// The line with this slip mended: one line, or two (one effect a
    /// line), separated by `\n`.
    mended: Option<String>,
    /// The help before the rewrite (`constraints are separated by commas`).
    lead: String,
    /// The help when no rewrite parses.
    otherwise: String,
}

/// The slip at `pos` of `line` (a line that does not parse with `rule`),
/// when it is one of those this module knows.
pub(super) fn slip(rule: Rule, line: &str, pos: usize) -> Option<Slip> {
    let code = code_of(line);
    if pos > code.len() {
        return None;
    }
    let found = classify(rule, code, pos)?;
    let help = match found.mended.as_deref().and_then(|m| settle(rule, m)) {
        Some(lines) => {
            let shown: Vec<String> = lines.iter().map(|l| format!("`{}`", l.trim())).collect();
            let shown = shown.join(", then ");
            if found.lead.ends_with("write") {
                format!("{} {shown}", found.lead)
            } else {
                format!("{}: {shown}", found.lead)
            }
        }
        None => found.otherwise,
    };
    Some(Slip {
        message: found.message,
        start: found.start,
        end: found.end,
        help,
    })
}

/// The line up to its comment (a `#` outside quotes), without trailing
/// white space.
pub(super) fn code_of(line: &str) -> &str {
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '#' if !quoted => return line[..i].trim_end(),
            _ => {}
        }
    }
    line.trim_end()
}

/// Where a line stops parsing, if it does.
pub(super) fn failure(rule: Rule, line: &str) -> Option<usize> {
    match DddParser::parse(rule, line) {
        Ok(_) => None,
        Err(error) => Some(match error.location {
            InputLocation::Pos(pos) => pos,
            InputLocation::Span((start, _)) => start,
        }),
    }
}

/// Mends each line of `text` slip by slip, until it parses; `None` when
/// some slip is not one this module mends.
fn settle(rule: Rule, text: &str) -> Option<Vec<String>> {
    let mut done = Vec::new();
    for line in text.lines() {
        let mut line = line.to_string();
        let mut tries = 0;
        while let Some(pos) = failure(rule, &line) {
            tries += 1;
            if tries > 8 {
                return None;
            }
            let next = classify(rule, &line, pos)?.mended?;
            // One slip may become two lines: each is mended in turn.
            let mut parts = next.lines();
            line = parts.next()?.to_string();
            let rest: Vec<&str> = parts.collect();
            if !rest.is_empty() {
                let more = settle(rule, &rest.join("\n"))?;
                let first = settle(rule, &line)?;
                done.extend(first);
                done.extend(more);
                line.clear();
                break;
            }
        }
        if !line.is_empty() {
            done.push(line);
        }
    }
    Some(done)
}

/// The words of a line, each with where it starts and ends.
fn words(code: &str) -> Vec<(usize, usize, &str)> {
    let mut found = Vec::new();
    let mut start = None;
    for (i, c) in code.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                found.push((s, i, &code[s..i]));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        found.push((s, code.len(), &code[s..]));
    }
    found
}

/// A phrase of `phrase` (words separated by single spaces) in `code`
/// whose words cover `pos`, or start there: its start and end.
fn phrase_at(code: &str, pos: usize, phrase: &str) -> Option<(usize, usize)> {
    let all = words(code);
    let wanted: Vec<&str> = phrase.split(' ').collect();
    (0..all.len()).find_map(|i| {
        let run = all.get(i..i + wanted.len())?;
        let same = run
            .iter()
            .zip(&wanted)
            .all(|((_, _, w), x)| w.eq_ignore_ascii_case(x));
        let (start, end) = (run[0].0, run[run.len() - 1].1);
        (same && start <= pos && pos < end.max(start + 1)).then_some((start, end))
    })
}

/// `before` + `with` + `after`, with single spaces where they meet.
fn join(before: &str, with: &str, after: &str) -> String {
    let before = before.trim_end();
    let after = after.trim_start();
    match (with.is_empty(), after.is_empty()) {
        (true, true) => before.to_string(),
        (true, false) => format!("{before} {after}"),
        (false, true) => format!("{before} {with}"),
        (false, false) if with == "," => format!("{before}, {after}"),
        (false, false) if after.starts_with(',') => format!("{before} {with}{after}"),
        (false, false) => format!("{before} {with} {after}"),
    }
}

/// The effect verbs, which start an effect line.
const EFFECT_VERBS: [&str; 7] = [
    "adds",
    "sets",
    "increases",
    "decreases",
    "removes",
    "moves",
    "changes",
];

/// How a condition compares, written otherwise, and how the language says it.
const COMPARED: [(&str, &str); 34] = [
    ("is greater than or equal to", "is at least"),
    ("is more than or equal to", "is at least"),
    ("is less than or equal to", "is at most"),
    ("is smaller than or equal to", "is at most"),
    ("greater than or equal to", "is at least"),
    ("more than or equal to", "is at least"),
    ("less than or equal to", "is at most"),
    ("is not the same as", "is not"),
    ("is the same as", "is"),
    ("is different from", "is not"),
    ("is not equal to", "is not"),
    ("does not equal", "is not"),
    ("is not more than", "is at most"),
    ("is not less than", "is at least"),
    ("not equal to", "is not"),
    ("not equals", "is not"),
    ("not equal", "is not"),
    ("is equal to", "is"),
    ("equal to", "is"),
    ("equals", "is"),
    ("is greater than", "is more than"),
    ("greater than", "is more than"),
    ("is bigger than", "is more than"),
    ("is larger than", "is more than"),
    ("is higher than", "is more than"),
    ("is above", "is more than"),
    ("is over", "is more than"),
    ("is smaller than", "is less than"),
    ("is lower than", "is less than"),
    ("is fewer than", "is less than"),
    ("is below", "is less than"),
    ("is under", "is less than"),
    ("more than", "is more than"),
    ("less than", "is less than"),
];

/// Symbols for comparing, and the words the language has for them.
const SYMBOLS: [(&str, &str); 13] = [
    (">=", "is at least"),
    ("=>", "is at least"),
    ("≥", "is at least"),
    ("<=", "is at most"),
    ("=<", "is at most"),
    ("≤", "is at most"),
    ("==", "is"),
    ("!=", "is not"),
    ("<>", "is not"),
    ("≠", "is not"),
    (">", "is more than"),
    ("<", "is less than"),
    ("=", "is"),
];

/// A bound written otherwise in a constraint: the phrase, whether it is
/// a lower bound, and whether the bound itself is left out (`more than`).
const BOUNDS: [(&str, bool, bool); 24] = [
    ("no more than", false, false),
    ("not more than", false, false),
    ("no less than", true, false),
    ("not less than", true, false),
    ("more than", true, true),
    ("greater than", true, true),
    ("bigger than", true, true),
    ("over", true, true),
    ("above", true, true),
    (">=", true, false),
    ("≥", true, false),
    (">", true, true),
    ("minimum", true, false),
    ("min", true, false),
    ("less than", false, true),
    ("fewer than", false, true),
    ("under", false, true),
    ("below", false, true),
    ("<=", false, false),
    ("≤", false, false),
    ("<", false, true),
    ("maximum", false, false),
    ("max", false, false),
    ("up to", false, false),
];

fn classify(rule: Rule, code: &str, pos: usize) -> Option<Found> {
    let rest = &code[pos..];
    let word_len = rest
        .find(|c: char| c.is_whitespace() || matches!(c, '[' | ']' | ',' | ':' | '(' | ')'))
        .unwrap_or(rest.len());
    let word = &rest[..word_len];
    let before = &code[..pos];
    let content = code.trim_start();
    let first = content.split_whitespace().next().unwrap_or_default();
    match rule {
        Rule::terms_line => constraint_slip(code, pos, word),
        Rule::queries_line => query_slip(code, pos, word).or_else(|| condition_slip(code, pos)),
        Rule::actions_line if first == "rejected" => {
            guard_slip(code, pos, word).or_else(|| condition_slip(code, pos))
        }
        Rule::actions_line if EFFECT_VERBS.contains(&first) => {
            effect_slip(code, pos, word).or_else(|| condition_slip(code, pos))
        }
        Rule::actions_line if content.starts_with(['-', '*', '•']) => {
            action_slip(code, pos, word)
        }
        Rule::actions_line if before.trim().is_empty() => block_slip(code, pos, word),
        Rule::scenarios_line => scenario_slip(code, pos, word),
        _ => None,
    }
}

fn is_word(word: &str, of: &[&str]) -> bool {
    of.iter().any(|w| word.eq_ignore_ascii_case(w))
}

// ---------------------------------------------------------------- terms

fn constraint_slip(code: &str, pos: usize, word: &str) -> Option<Found> {
    let content = code.trim_start();
    let term = content
        .trim_start_matches(['-', '*', '•'])
        .trim_start()
        .split(':')
        .next()
        .unwrap_or_default()
        .trim();
    let (_, after_colon) = code.split_once(':')?;
    let ty = after_colon.split(',').next().unwrap_or_default().trim();

    if is_word(word, &["and", "or", "&", ";"]) {
        let mended = join(&code[..pos], ",", &code[pos + word.len()..]);
        let message = if word.eq_ignore_ascii_case("or") {
            "a value meets every constraint of its term: they are not joined by `or`".to_string()
        } else {
            format!("constraints are separated by commas, not `{word}`")
        };
        return Some(Found {
            message,
            start: pos,
            end: pos + word.len(),
            mended: Some(mended),
            lead: "constraints are separated by commas, and a value meets them all".to_string(),
            otherwise: "constraints are separated by commas, and a value meets them all"
                .to_string(),
        });
    }
    if is_word(word, &["today", "now"]) {
        let word = word.to_ascii_lowercase();
        let (lower, _) = BOUNDS
            .iter()
            .chain([("at least", true, false), ("at most", false, false)].iter())
            .find(|(p, ..)| code[..pos].trim_end().ends_with(p))
            .map_or((true, false), |(_, lower, strict)| (*lower, *strict));
        let (refused, side) = if lower {
            ("is less than", "before")
        } else {
            ("is more than", "after")
        };
        return Some(Found {
            message: format!("a constraint cannot compare with `{word}`"),
            start: pos,
            end: pos + word.len(),
            mended: None,
            lead: String::new(),
            otherwise: format!(
                "a constraint's bound is a written number; to refuse a `{term}` {side} {word}, write a guard under the action: `rejected if {term} {refused} {word}: \"…\"`"
            ),
        });
    }
    if is_word(word, &["per", "each", "every"]) {
        let after = &code[pos..];
        let end = after.find(',').map_or(code.len(), |i| pos + i);
        let mended = join(&code[..pos], "", &code[end..]);
        return Some(Found {
            message: format!("a constraint has no `{word}`: it holds for each value of `{term}` on its own"),
            start: pos,
            end: pos + word.len(),
            mended: Some(mended),
            lead: "write".to_string(),
            otherwise: "a constraint holds for each value on its own: `at least 1`, `at most 80 characters`".to_string(),
        });
    }
    if is_word(word, &["when", "if", "unless", "where"]) {
        return Some(Found {
            message: format!("a constraint always holds: it has no `{word}`"),
            start: pos,
            end: pos + word.len(),
            mended: None,
            lead: String::new(),
            otherwise: "to refuse a command only in some cases, write a guard under the action: `rejected if <condition>: \"…\"`".to_string(),
        });
    }
    for (phrase, lower, strict) in BOUNDS {
        let Some((start, end)) = phrase_at(code, pos, phrase).or_else(|| {
            // A symbol needs no space after it: `>0`.
            (!phrase.starts_with(|c: char| c.is_ascii_alphabetic())
                && code[pos..].starts_with(phrase))
            .then_some((pos, pos + phrase.len()))
        }) else {
            continue;
        };
        let said = if lower { "at least" } else { "at most" };
        let after = code[end..].trim_start();
        let number_len = after
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
            .unwrap_or(after.len());
        let number = &after[..number_len];
        let characters = after[number_len..].trim_start().starts_with("characters");
        let whole = (ty == "integer" || characters) && number.parse::<i64>().is_ok();
        let (bound, lead) = match number.parse::<i64>() {
            Ok(n) if strict && whole => ((if lower { n + 1 } else { n - 1 }).to_string(), "write"),
            _ if strict => (
                number.to_string(),
                "`{said}` allows the bound itself; write",
            ),
            _ => (number.to_string(), "write"),
        };
        let lead = lead.replace("{said}", said);
        let mended = (!number.is_empty()).then(|| {
            join(
                &code[..start],
                &format!("{said} {bound}"),
                &code[code.len() - after.len() + number_len..],
            )
        });
        return Some(Found {
            message: format!("a constraint says `at least` or `at most`, not `{phrase}`"),
            start,
            end,
            mended,
            lead,
            otherwise: format!("write `{said} <number>`: the bound itself is allowed"),
        });
    }
    None
}

// ---------------------------------------------------------------- queries

fn query_slip(code: &str, pos: usize, word: &str) -> Option<Found> {
    let before = &code[..pos];
    if !before.contains('=') || before.contains(" where ") {
        return None;
    }
    if is_word(
        word,
        &["if", "when", "whose", "with", "having", "that", "which"],
    ) {
        let mended = join(before, "where", &code[pos + word.len()..]);
        return Some(Found {
            message: format!("a derived query picks its entities with `where`, not `{word}`"),
            start: pos,
            end: pos + word.len(),
            mended: Some(mended),
            lead: "write".to_string(),
            otherwise: "a derived query reads `= <entities> where <condition>`".to_string(),
        });
    }
    None
}

// ---------------------------------------------------------------- conditions

/// Whether `before` has opened a condition: `where`, `rejected if`,
/// `rejected unless`, or an effect's `if`.
fn in_condition(before: &str) -> bool {
    before
        .split_whitespace()
        .any(|w| matches!(w, "where" | "if" | "unless"))
}

fn condition_slip(code: &str, pos: usize) -> Option<Found> {
    let before = &code[..pos];
    if !in_condition(before) {
        return None;
    }
    if let Some(found) = one_of_slip(code, pos) {
        return Some(found);
    }
    let otherwise = "a condition compares with `is`, `is not`, `is more than`, `is less than`, `is at least` or `is at most`".to_string();
    for (symbol, said) in SYMBOLS {
        if !code[pos..].starts_with(symbol) {
            continue;
        }
        let said_here = if before.trim_end().ends_with(" is") {
            said.trim_start_matches("is ")
        } else {
            said
        };
        let mended = if said_here == "is" && before.trim_end().ends_with(" is") {
            join(before, "", &code[pos + symbol.len()..])
        } else {
            join(before, said_here, &code[pos + symbol.len()..])
        };
        return Some(Found {
            message: format!("a condition says `{said}`, not `{symbol}`"),
            start: pos,
            end: pos + symbol.len(),
            mended: Some(mended),
            lead: "write".to_string(),
            otherwise,
        });
    }
    for (phrase, said) in COMPARED {
        let Some((start, end)) = phrase_at(code, pos, phrase) else {
            continue;
        };
        let mended = join(&code[..start], said, &code[end..]);
        return Some(Found {
            message: format!("a condition says `{said}`, not `{phrase}`"),
            start,
            end,
            mended: Some(mended),
            lead: "write".to_string(),
            otherwise,
        });
    }
    None
}

/// `status is one of [a b]`, `status in [a b]`: each value compared, and
/// the comparisons joined by `or` (`and`, for `is not one of`).
fn one_of_slip(code: &str, pos: usize) -> Option<Found> {
    // The `[` of the list: here, or after the words that introduce it
    // (`in [a b]` may stop the parser at `in`).
    let bracket = pos + code[pos..].find('[')?;
    let between = code[pos..bracket].trim();
    if !between.is_empty() && !["in", "one of", "is one of", "not in", "is in"].contains(&between) {
        return None;
    }
    let before = code[..bracket].trim_end();
    let pos = bracket;
    let (phrase, negated) = [
        ("is not one of", true),
        ("is one of", false),
        ("is not in", true),
        ("not in", true),
        ("is in", false),
        ("in", false),
        ("one of", false),
    ]
    .into_iter()
    .find(|(p, _)| {
        before.ends_with(p)
            && before[..before.len() - p.len()].ends_with(|c: char| c.is_whitespace())
    })?;
    let phrase_start = before.len() - phrase.len();
    let close = pos + code[pos..].find(']')?;
    let values: Vec<&str> = code[pos + 1..close]
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|v| !v.is_empty())
        .collect();
    // The left side: back to the word that opened this part.
    let left_part = &code[..phrase_start];
    let opened = words(left_part)
        .into_iter()
        .rev()
        .find(|(_, _, w)| matches!(*w, "if" | "unless" | "where" | "and" | "or" | "not"))
        .map_or(0, |(_, end, _)| end);
    let opened = opened.max(left_part.rfind('(').map_or(0, |i| i + 1));
    let left = left_part[opened..].trim();
    if left.is_empty() || values.is_empty() {
        return None;
    }
    let (is, joiner) = if negated {
        ("is not", " and ")
    } else {
        ("is", " or ")
    };
    let mut joined = values
        .iter()
        .map(|v| format!("{left} {is} {v}"))
        .collect::<Vec<_>>()
        .join(joiner);
    let rest = &code[close + 1..];
    let others = words(&code[..opened])
        .iter()
        .chain(words(rest).iter())
        .any(|(_, _, w)| matches!(*w, "and" | "or" | "not"));
    if values.len() > 1 && others {
        joined = format!("({joined})");
    }
    let head = code[..opened].trim_end();
    let mended = if head.ends_with('(') {
        format!("{head}{joined}{rest}")
    } else {
        format!("{head} {joined}{rest}")
    };
    Some(Found {
        message: format!("a condition cannot say `{phrase} [...]`"),
        start: phrase_start,
        end: close + 1,
        mended: Some(mended),
        lead: format!("compare with each value, joined by `{}`", joiner.trim()),
        otherwise: format!(
            "compare with each value, joined by `{}`: `{left} {is} {} {} {left} {is} {}`",
            joiner.trim(),
            values[0],
            joiner.trim(),
            values.last().unwrap_or(&"…")
        ),
    })
}

// ---------------------------------------------------------------- rule lines

fn guard_slip(code: &str, pos: usize, word: &str) -> Option<Found> {
    let before = code[..pos].trim();
    if before == "rejected" && is_word(word, &["when", "whenever", "because"]) {
        let mended = join(&code[..pos], "if", &code[pos + word.len()..]);
        return Some(Found {
            message: format!("a guard reads `rejected if` or `rejected unless`, not `rejected {word}`"),
            start: pos,
            end: pos + word.len(),
            mended: Some(mended),
            lead: "write".to_string(),
            otherwise: "a guard reads `rejected if <condition>: \"…\"` or `rejected unless <condition>: \"…\"`".to_string(),
        });
    }
    if is_word(word, &["otherwise", "else"]) {
        return Some(Found {
            message: format!("a guard has no `{word}`"),
            start: pos,
            end: pos + word.len(),
            mended: None,
            lead: String::new(),
            otherwise: "each guard refuses on its own: write one line for each case, `rejected if <condition>: \"…\"`".to_string(),
        });
    }
    None
}

fn effect_slip(code: &str, pos: usize, word: &str) -> Option<Found> {
    let before = &code[..pos];
    let indent = &code[..code.len() - code.trim_start().len()];
    let content = code.trim_start();
    let verb = content.split_whitespace().next().unwrap_or_default();
    let after = &code[pos + word.len()..];
    let has_if = words(before).iter().any(|(_, _, w)| *w == "if");
    if is_word(word, &["and"]) && !has_if {
        let first = before.trim_end().to_string();
        let second = after.trim();
        let mut tries = vec![second.to_string()];
        // `sets a of X [k] to 1 and b to 2`: the second on the same entity.
        if let Some(i) = first.find(" of ").filter(|_| !second.contains(" of ")) {
            let target_end = first[i..].find(']').map(|j| i + j + 1);
            if let Some(target_end) = target_end {
                let target = &first[i..target_end];
                let mut parts = second.splitn(2, ' ');
                let field = parts.next().unwrap_or_default();
                let tail = parts.next().unwrap_or_default();
                tries.push(format!("{verb} {field}{target} {tail}"));
            }
        }
        tries.push(format!("{verb} {second}"));
        let second = tries
            .iter()
            .find(|t| failure(Rule::actions_line, &format!("{indent}{t}")).is_none())
            .cloned();
        return Some(Found {
            message: "an effect does one thing: `and` cannot join two".to_string(),
            start: pos,
            end: pos + word.len(),
            mended: second.map(|s| format!("{first}\n{indent}{s}")),
            lead: "write each on a line of its own".to_string(),
            otherwise: "write each effect on a line of its own under the action".to_string(),
        });
    }
    if is_word(word, &["when", "whenever", "unless"]) && !has_if {
        let (said, after) = if word.eq_ignore_ascii_case("unless") {
            ("if not (", format!("{})", after.trim()))
        } else {
            ("if", after.to_string())
        };
        let mended = if said == "if" {
            join(before, "if", &after)
        } else {
            format!("{} if not ({}", before.trim_end(), after.trim_start())
        };
        return Some(Found {
            message: format!("an effect's condition starts with `if`, not `{word}`"),
            start: pos,
            end: pos + word.len(),
            mended: Some(mended),
            lead: "write".to_string(),
            otherwise: "an effect's condition reads `… if <condition>`".to_string(),
        });
    }
    if is_word(word, &["otherwise", "else"]) {
        let other = after.trim();
        let mended = if verb == "sets" && has_if && !other.is_empty() {
            let (head, condition) = before.trim_end().rsplit_once(" if ")?;
            let (target, _) = head.rsplit_once(" to ")?;
            Some(format!(
                "{} if {}\n{indent}{} to {other} if not ({})",
                head,
                condition.trim(),
                target.trim(),
                condition.trim()
            ))
        } else {
            None
        };
        return Some(Found {
            message: format!("an effect has no `{word}`"),
            start: pos,
            end: pos + word.len(),
            mended,
            lead: "write one effect for each case, each with its condition".to_string(),
            otherwise: "write one effect for each case, each with its condition: `sets … to <value> if <condition>`, then `sets … to <other value> if not (<condition>)`".to_string(),
        });
    }
    if is_word(word, &["or"]) && !has_if {
        return Some(Found {
            message: "an effect sets one value: it cannot choose with `or`".to_string(),
            start: pos,
            end: pos + word.len(),
            mended: None,
            lead: String::new(),
            otherwise: format!(
                "write one effect for each value, each with the condition it holds under: `{} if <condition>`",
                before.trim()
            ),
        });
    }
    if is_word(word, &["per", "each", "every"]) {
        let end = after
            .find(" if ")
            .map_or(code.len(), |i| pos + word.len() + i);
        let mended = join(before, "", &code[end..]);
        return Some(Found {
            message: format!("an effect has no `{word}`: it applies once to each event"),
            start: pos,
            end: pos + word.len(),
            mended: Some(mended),
            lead: "write".to_string(),
            otherwise: "an effect changes what it names once, for each event accepted".to_string(),
        });
    }
    None
}

/// An action line: `- <command> [<parameters>] accepted as <event> [<fields>]`.
fn action_slip(code: &str, pos: usize, word: &str) -> Option<Found> {
    let before = &code[..pos];
    if !before.contains("accepted as") || !before.trim_end().ends_with(']') {
        return None;
    }
    if is_word(word, &["and", "or", "then"]) {
        return Some(Found {
            message: format!("an action is accepted as one event, not two joined by `{word}`"),
            start: pos,
            end: pos + word.len(),
            mended: Some(before.trim_end().to_string()),
            lead: "write one event, and another action for the other".to_string(),
            otherwise: "an action is accepted as one event; write another action for the other"
                .to_string(),
        });
    }
    None
}

/// A line in `Actions:` that is neither an action nor a rule line.
fn block_slip(code: &str, pos: usize, word: &str) -> Option<Found> {
    let rest = code[pos..].trim_start();
    if is_word(word, &["otherwise", "else"]) {
        return Some(Found {
            message: format!("an action's rules have no `{word}`"),
            start: pos,
            end: pos + word.len(),
            mended: None,
            lead: String::new(),
            otherwise: "each rule line stands on its own: give each effect its condition at its end, `sets … to <value> if <condition>`, and the other case `sets … to <other value> if not (<condition>)`".to_string(),
        });
    }
    if is_word(word, &["if", "unless"]) {
        let condition = rest[word.len()..].trim().trim_end_matches(':').trim();
        return Some(Found {
            message: format!("a condition cannot stand on a line of its own: `{word}` goes in a rule line"),
            start: pos,
            end: pos + word.len(),
            mended: None,
            lead: String::new(),
            otherwise: format!(
                "put it at the end of each effect it limits, `sets … if {condition}`, or refuse the command with it: `rejected {word} {condition}: \"…\"`"
            ),
        });
    }
    None
}

// ---------------------------------------------------------------- scenarios

fn scenario_slip(code: &str, pos: usize, word: &str) -> Option<Found> {
    let before = &code[..pos];
    if !is_word(word, &["and", "&"]) {
        return None;
    }
    let open = before.matches('[').count() > before.matches(']').count();
    if open {
        let mended = join(before, ",", &code[pos + word.len()..]);
        return Some(Found {
            message: format!("the values in brackets are separated by commas, not `{word}`"),
            start: pos,
            end: pos + word.len(),
            mended: Some(mended),
            lead: "separate them with commas".to_string(),
            otherwise: "separate the values with commas: `[field: value, field: value]`"
                .to_string(),
        });
    }
    if before.trim_end().ends_with(']') {
        let indent = &code[..code.len() - code.trim_start().len()];
        let mended = format!(
            "{}\n{indent}and {}",
            before.trim_end(),
            code[pos + word.len()..].trim()
        );
        return Some(Found {
            message: "a step says one thing: the next goes on a line of its own".to_string(),
            start: pos,
            end: pos + word.len(),
            mended: Some(mended),
            lead: "write the next on a line of its own".to_string(),
            otherwise: "write each event or answer on a line of its own, starting with `and`"
                .to_string(),
        });
    }
    None
}
