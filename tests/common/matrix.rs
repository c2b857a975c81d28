//! A spec that puts every type the rules compare into every place a
//! comparison, a source or an effect can stand: an optional against its
//! inner type on either side, against a written value and `nothing`; a
//! field of an entity, a command's parameter, a derived query's parameter
//! and item, a query's answer and another model's answer; written dates,
//! timestamps, choices and identities; ordered comparisons; sets of an
//! optional to a value, to an optional and to nothing; increases and
//! decreases; conditions joined by `and`, `or` and `not`, computed sides
//! and sums. What `esgen check` accepts here must build clippy-clean and
//! formatted (`tests/compile_generated.rs`), and every rule line must reach
//! the model (`tests/accounted.rs`).

/// (term, type, a written value, ordered).
const TYPES: [(&str, &str, &str, bool); 9] = [
    ("txt", "text", "\"a\"", false),
    ("int", "integer", "1", true),
    ("dec", "decimal", "1.5", true),
    ("num", "number", "2.5", true),
    ("day", "date", "\"2026-12-01\"", true),
    ("at", "timestamp", "\"2026-12-01T10:00:00Z\"", true),
    ("ref", "id of Thing", "t1", false),
    ("lvl", "one of [low high]", "high", false),
    ("flag", "boolean", "yes", false),
];

/// The spec's text.
pub fn spec() -> String {
    let mut out: Vec<String> = Vec::new();
    let mut line = |text: String| out.push(text);
    let fields: Vec<String> = TYPES
        .iter()
        .map(|(n, ..)| format!("{n} maybe-{n}"))
        .collect();
    let fields = fields.join(" ");
    line("# Every comparison of an optional with its inner type, in every place.".into());
    line("Model: Answers".into());
    line(format!("Entity: Answer [answer-id {fields}]"));
    line("Terms:".into());
    for (n, t, ..) in TYPES {
        line(format!("  - {n}: {t}"));
        line(format!("  - maybe-{n}: optional {n}"));
    }
    line("Queries:".into());
    line("  - has-answer? [answer-id]".into());
    // Conditions that do not read the entity looked at.
    line("  - answer-count = count of answers".into());
    line("  - answers-if-many = answers where answer-count is more than 2".into());
    line("  - count-if-many = count of answers where answer-count is more than 2".into());
    for (n, ..) in TYPES {
        line(format!(
            "  - maybe-{n}-of [answer-id] = maybe-{n} of Answer [answer-id]"
        ));
        line(format!(
            "  - {n}-of [answer-id] = {n} of Answer [answer-id]"
        ));
        line(format!(
            "  - answers-with-{n} [{n}] = answers where maybe-{n} is {n}"
        ));
        line(format!(
            "  - answers-with-maybe-{n} [maybe-{n}] = answers where {n} is maybe-{n}"
        ));
        line(format!(
            "  - answers-without-{n} [{n}] = answers where maybe-{n} is not {n}"
        ));
        if matches!(n, "int" | "dec" | "num") {
            line(format!(
                "  - sum-of-{n} [{n}] = sum of {n} of answers where maybe-{n} is {n} or {n} is more than {n}"
            ));
        }
    }
    line("Actions:".into());
    line("  - forget-if-many [] accepted as forgotten [answer-ids]".into());
    line("    answer-ids = ids of answers-if-many".into());
    line("    removes each Answer [answer-ids]".into());
    line(format!(
        "  - record [answer-id {fields}] accepted as recorded [answer-id {fields}]"
    ));
    line("    rejected if has-answer? [answer-id]: \"answer {answer-id} is recorded\"".into());
    line("    adds Answer".into());
    for (n, _, value, ordered) in TYPES {
        line(format!(
            "  - check-{n} [answer-id {n} maybe-{n}] accepted as {n}-checked [answer-id]"
        ));
        line("    rejected unless has-answer? [answer-id]: \"no answer {answer-id}\"".into());
        line(format!(
            "    rejected if maybe-{n} of Answer [answer-id] is {n}: \"same\""
        ));
        line(format!(
            "    rejected if {n} is not maybe-{n} of Answer [answer-id]: \"differs\""
        ));
        line(format!(
            "    rejected if maybe-{n} is {n}: \"same parameters\""
        ));
        line(format!(
            "    rejected if {n} is maybe-{n}: \"same parameters, turned\""
        ));
        line(format!(
            "    rejected if maybe-{n}-of [answer-id] is {n}: \"same answer\""
        ));
        line(format!(
            "    rejected if maybe-{n} is {n} of Answer [answer-id]: \"same field\""
        ));
        line(format!(
            "    rejected if maybe-{n} of Answer [answer-id] is {value}: \"the value\""
        ));
        line(format!(
            "    rejected if maybe-{n} of Answer [answer-id] is nothing: \"nothing\""
        ));
        line(format!(
            "    rejected if ({n} is {value} and maybe-{n} is nothing) or not (maybe-{n}-of [answer-id] is {value}): \"joined\""
        ));
        if matches!(n, "int" | "dec" | "num") {
            line(format!(
                "    rejected if {n} + {value} is more than {n} * 2 - {value}: \"computed\""
            ));
            line(format!(
                "    rejected if {value} / {n} is less than {value} and {n} * {n} is at least 0: \"divided\""
            ));
        }
        if ordered {
            line(format!(
                "    rejected if {n} of Answer [answer-id] is at least {n}: \"at least\""
            ));
            line(format!(
                "    rejected if {n} is more than {value}: \"more than the value\""
            ));
        }
        line("    changes nothing".into());
    }
    for (n, t, value, _) in TYPES {
        line(format!(
            "  - copy-{n} [answer-id {n}] accepted as {n}-copied [answer-id {n} maybe-{n}]"
        ));
        line("    rejected unless has-answer? [answer-id]: \"no answer {answer-id}\"".into());
        line(format!("    maybe-{n} = maybe-{n} of Answer [answer-id]"));
        line(format!("    sets maybe-{n} of Answer [answer-id] to {n}"));
        line(format!(
            "    sets maybe-{n} of Answer [answer-id] to maybe-{n}"
        ));
        line(format!(
            "    sets maybe-{n} of Answer [answer-id] to nothing"
        ));
        line(format!(
            "    sets maybe-{n} of Answer [answer-id] to {value}"
        ));
        line(format!("    sets {n} of Answer [answer-id] to {value}"));
        if matches!(t, "integer" | "decimal" | "number") {
            line(format!("    increases {n} of Answer [answer-id] by {n}"));
            line(format!(
                "    decreases {n} of Answer [answer-id] by {value}"
            ));
        }
    }
    line(String::new());
    line("# Asks the answers, whose optional answers compare with values.".into());
    line("Model: Askers".into());
    line("Entity: Ask [ask-id]".into());
    line("Terms:".into());
    // Another model's choice is that model's type: only its values
    // compare with it here.
    for (n, t, ..) in TYPES.iter().filter(|(n, ..)| *n != "lvl") {
        line(format!("  - {n}: {t}"));
    }
    line("Queries:".into());
    line("  - has-ask? [ask-id]".into());
    line("Actions:".into());
    for (n, _, value, _) in TYPES {
        let param = if n == "lvl" {
            String::new()
        } else {
            format!(" {n}")
        };
        line(format!(
            "  - ask-{n} [ask-id answer-id{param}] accepted as asked-{n} [ask-id answer-id{param}]"
        ));
        line("    rejected if has-ask? [ask-id]: \"asked\"".into());
        if n != "lvl" {
            line(format!(
                "    rejected if maybe-{n}-of [answer-id] in Answers is {n}: \"same\""
            ));
            line(format!(
                "    rejected if {n} is maybe-{n}-of [answer-id] in Answers: \"same, turned\""
            ));
        }
        line(format!(
            "    rejected unless maybe-{n}-of [answer-id] in Answers is {value}: \"not the value\""
        ));
        if n != "flag" {
            line(format!(
                "    rejected if {n}-of [answer-id] in Answers is nothing: \"no answer\""
            ));
        }
        line("    adds Ask".into());
    }
    out.join("\n") + "\n"
}
