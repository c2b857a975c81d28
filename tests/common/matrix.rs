//! A spec that puts every type the rules compare into every place a
//! comparison, a source or an effect can stand: an optional against its
//! inner type on either side, against a written value and `nothing`; a
//! field of an entity, a command's parameter, a derived query's parameter
//! and item, a query's answer and another model's answer; written dates,
//! timestamps, choices and identities; ordered comparisons; sets of an
//! optional to a value, to an optional and to nothing; increases and
//! decreases; conditions joined by `and`, `or` and `not`, computed sides
//! and sums. Besides: grouped queries (`count of`, the entities and
//! `sum of` per each type a group can be keyed by, per a plain and an
//! optional field, with and without `where`); `today` and `now` in guards,
//! sources and derived queries, and `is (not) within N days of`; a
//! history; an entity's fields unknown until set (`Note`), set and
//! compared; effects under a condition; a model that is its own record
//! (`Records`: `State:`, tagged in PascalCase with versions like 1.0, its
//! constraints with their own messages). What `esgen check` accepts here
//! must build clippy-clean and formatted (`tests/compile_generated.rs`),
//! every rule line must reach the model (`tests/accounted.rs`), and the
//! evaluator and the generated code must agree on it
//! (`tests/differential.rs`).

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
    // A note's fields are unknown until an effect sets them; their terms
    // are not optional.
    let unknown: Vec<String> = TYPES
        .iter()
        .map(|(n, ..)| format!("optional {n}"))
        .collect();
    line(format!("Entity: Note [note-id {}]", unknown.join(" ")));
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
    line("  - has-note? [note-id]".into());
    line("  - answer-history [answer-id] = history of Answer [answer-id]".into());
    line("  - note-history [note-id] = history of Note [note-id]".into());
    // The clock, in conditions of derived queries.
    line("  - answers-today = answers where day is today".into());
    line("  - answers-now = answers where at is at most now or maybe-at is now".into());
    line(
        "  - count-today = count of answers where maybe-day is today and not (today is day)".into(),
    );
    line("  - answers-within = answers where day is within 2 days of today".into());
    line("  - answers-near-now = answers where maybe-at is within 1 day of now".into());
    line(
        "  - count-not-within = count of answers where maybe-day is not within 1 day of today"
            .into(),
    );
    line("  - sum-within = sum of int of answers where day is within 0 days of today or maybe-day is within 3 days of day".into());
    // Grouped, per each type a group can be keyed by (not a number), per
    // the plain field and per the optional one, and per a note's field
    // unknown until set.
    for (n, ..) in TYPES.iter().filter(|(n, ..)| *n != "num") {
        line(format!("  - count-per-{n} = count of answers per {n}"));
        line(format!("  - answers-per-{n} = answers per {n}"));
        line(format!("  - int-per-{n} = sum of int of answers per {n}"));
        line(format!(
            "  - count-per-maybe-{n} [{n}] = count of answers per maybe-{n} where {n} is not {n}"
        ));
        line(format!(
            "  - answers-per-maybe-{n} = answers per maybe-{n} where flag or maybe-day is today"
        ));
        line(format!(
            "  - dec-per-maybe-{n} = sum of dec of answers per maybe-{n} where at is at most now"
        ));
        line(format!(
            "  - num-per-{n} [int] = sum of num of answers per {n} where int is at least int"
        ));
        line(format!("  - notes-per-{n} = count of notes per {n}"));
    }
    for (n, ..) in TYPES {
        line(format!("  - notes-with-{n} [{n}] = notes where {n} is {n}"));
        line(format!(
            "  - notes-without-{n} = notes where {n} is nothing"
        ));
    }
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
        if n == "day" {
            line("    rejected if day is today: \"today\"".into());
            line("    rejected if today is maybe-day: \"today, turned\"".into());
            line(
                "    rejected if maybe-day of Answer [answer-id] is today: \"answered today\""
                    .into(),
            );
            line("    rejected if today is more than day of Answer [answer-id]: \"answered before today\"".into());
            line("    rejected if day is within 1 day of today: \"within a day\"".into());
            line(
                "    rejected if maybe-day is not within 2 days of today: \"not within two days\""
                    .into(),
            );
            line("    rejected if maybe-day of Answer [answer-id] is within 3 days of day: \"within three days\"".into());
            line("    rejected if maybe-day-of [answer-id] is not within 0 days of today: \"not today\"".into());
        }
        if n == "at" {
            line("    rejected if at is now: \"now\"".into());
            line("    rejected if now is maybe-at: \"now, turned\"".into());
            line("    rejected if maybe-at of Answer [answer-id] is now: \"answered now\"".into());
            line(
                "    rejected if now is at least at of Answer [answer-id]: \"answered before now\""
                    .into(),
            );
            line("    rejected if at is within 1 day of now: \"within a day of now\"".into());
            line(
                "    rejected if maybe-at of Answer [answer-id] is not within 2 days of at: \"apart\""
                    .into(),
            );
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
    // Effects under a condition, read over the event and the answer as
    // the effects above them left it.
    for (n, _, value, ordered) in TYPES {
        line(format!(
            "  - cond-{n} [answer-id {n} maybe-{n}] accepted as {n}-conditioned [answer-id {n} maybe-{n}]"
        ));
        line(format!(
            "    sets maybe-{n} of Answer [answer-id] to {n} if maybe-{n} of Answer [answer-id] is nothing"
        ));
        line(format!(
            "    sets {n} of Answer [answer-id] to {value} if {n} is maybe-{n} or maybe-{n} is nothing"
        ));
        line(format!(
            "    sets maybe-{n} of Answer [answer-id] to nothing if not ({n} of Answer [answer-id] is {n})"
        ));
        if ordered {
            line(format!(
                "    sets {n} of Answer [answer-id] to {n} if {n} of Answer [answer-id] is more than {n}"
            ));
        }
        // A query of the model in the condition is E0136: an effect reads
        // the event and the entities, never the model's queries.
        line(format!(
            "    sets maybe-{n} of Answer [answer-id] to maybe-{n} if maybe-{n} of Answer [answer-id] is {value} and {n} is not {value}"
        ));
        line(format!(
            "    removes Answer [answer-id] if maybe-{n} of Answer [answer-id] is {n} and {n} is {value}"
        ));
    }
    // The clock, as sources.
    line("  - stamp [answer-id] accepted as stamped [answer-id day at maybe-at]".into());
    line("    rejected unless has-answer? [answer-id]: \"no answer {answer-id}\"".into());
    line("    day = today".into());
    line("    at = now".into());
    line("    maybe-at = maybe-at of Answer [answer-id]".into());
    line("    sets day of Answer [answer-id] to day".into());
    line("    sets maybe-day of Answer [answer-id] to day if maybe-at is nothing".into());
    line("    sets maybe-at of Answer [answer-id] to at".into());
    // Notes, whose fields are unknown until set.
    line("  - open-note [note-id] accepted as noted [note-id]".into());
    line("    rejected if has-note? [note-id]: \"note {note-id} is taken\"".into());
    line("    adds Note".into());
    for (n, _, value, _) in TYPES {
        line(format!(
            "  - note-{n} [note-id {n}] accepted as {n}-noted [note-id {n}]"
        ));
        line("    rejected unless has-note? [note-id]: \"no note {note-id}\"".into());
        line(format!(
            "    rejected if {n} of Note [note-id] is {n}: \"same\""
        ));
        line(format!(
            "    rejected if {n} is {n} of Note [note-id]: \"same, turned\""
        ));
        line(format!(
            "    rejected if {n} of Note [note-id] is {value} and {n} is not {value}: \"the value\""
        ));
        line(format!(
            "    sets {n} of Note [note-id] to {n} if {n} of Note [note-id] is nothing"
        ));
        line(format!(
            "    sets {n} of Note [note-id] to nothing if {n} is {value}"
        ));
        // Not yet for a date or a timestamp: the layout above.
        if !matches!(n, "day" | "at") {
            line(format!(
                "    removes Note [note-id] if {n} of Note [note-id] is {value} and not ({n} is {value})"
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
        if n == "day" {
            line(
                "    rejected if day-of [answer-id] in Answers is today: \"answered today\"".into(),
            );
            line("    rejected if maybe-day-of [answer-id] in Answers is within 1 day of today: \"within a day\"".into());
            line("    rejected if day-of [answer-id] in Answers is not within 2 days of day: \"not within two days\"".into());
        }
        if n == "at" {
            line("    rejected if now is at-of [answer-id] in Answers: \"answered now\"".into());
        }
        line("    adds Ask".into());
    }
    records(&mut line);
    out.join("\n") + "\n"
}

/// A model that is its own record, with a field of each type and its
/// optional: a field whose type has no empty value has a default, or is
/// only there as an optional (a date, a timestamp).
fn records(line: &mut impl FnMut(String)) {
    let in_record = |n: &str| !matches!(n, "day" | "at");
    let fields: Vec<String> = TYPES
        .iter()
        .map(|(n, ..)| {
            if in_record(n) {
                format!("{n} maybe-{n}")
            } else {
                format!("maybe-{n}")
            }
        })
        .collect();
    line(String::new());
    line("# Its own record, each type in it, constraints in its words.".into());
    line("Model: Records".into());
    line("Tags: PascalCase, versions like 1.0".into());
    line(format!("State: [{}]", fields.join(" ")));
    line("Terms:".into());
    for (n, t, ..) in TYPES {
        let more = match n {
            "txt" => ", not blank: \"a text is never blank\", at most 9 characters: \"a text is short\"",
            "int" => ", at least -100: \"an integer is at least -100\", at most 100: \"an integer is at most 100\"",
            "dec" => ", between -50 and 50.5: \"a decimal is between -50 and 50.5\"",
            "num" => ", at least -1000: \"a number is at least -1000\"",
            "ref" => ", default t1",
            "lvl" => ", default low",
            _ => "",
        };
        line(format!("  - {n}: {t}{more}"));
        line(format!("  - maybe-{n}: optional {n}"));
    }
    line("Actions:".into());
    for (n, t, value, ordered) in TYPES {
        let old = in_record(n);
        // A source reading the record's optional field, of every type.
        let old_maybe = true;
        let olds = match (old, old_maybe) {
            (true, true) => format!(" old-{n} old-maybe-{n}"),
            (true, false) => format!(" old-{n}"),
            (false, true) => format!(" old-maybe-{n}"),
            (false, false) => String::new(),
        };
        line(format!(
            "  - put-{n} [new-{n} new-maybe-{n}] accepted as {n}-put [new-{n} new-maybe-{n}{olds}]"
        ));
        line(format!(
            "    rejected if new-{n} is maybe-{n}: \"the record's\""
        ));
        line(format!(
            "    rejected if maybe-{n} is {value} and new-maybe-{n} is nothing: \"the value\""
        ));
        if old {
            line(format!(
                "    rejected if new-maybe-{n} is {n}: \"the record's, maybe\""
            ));
            if ordered {
                line(format!(
                    "    rejected if {n} is more than new-{n}: \"less than the record's\""
                ));
            }
            if matches!(t, "integer" | "decimal" | "number") {
                line(format!(
                    "    rejected if {n} + new-{n} is more than new-{n} * 3 - {value}: \"computed\""
                ));
            }
            line(format!("    old-{n} = {n}"));
        }
        if n == "day" {
            line("    rejected if maybe-day is today: \"the record's is today\"".into());
            line(
                "    rejected if maybe-day is within 1 day of today: \"the record's is within a day\""
                    .into(),
            );
            line("    rejected if new-day is not within 3 days of today: \"too far\"".into());
        }
        if n == "at" {
            line("    rejected if now is maybe-at: \"the record's is now\"".into());
        }
        if old_maybe {
            line(format!("    old-maybe-{n} = maybe-{n}"));
        }
        if old {
            line(format!("    sets {n} to new-{n}"));
        }
        line(format!("    sets maybe-{n} to new-maybe-{n}"));
        line(format!(
            "    sets maybe-{n} to new-{n} if new-maybe-{n} is nothing"
        ));
        line(format!(
            "    sets maybe-{n} to nothing if new-{n} is {value}"
        ));
        if n == "day" {
            line(
                "    sets maybe-day to new-day if new-maybe-day is within 2 days of new-day".into(),
            );
        }
        if old && matches!(t, "integer" | "decimal" | "number") {
            line(format!("    increases {n} by new-{n}"));
            line(format!("    decreases {n} by {value}"));
        }
    }
    line("  - stamp-record [] accepted as record-stamped [day at]".into());
    line("    day = today".into());
    line("    at = now".into());
    line("    sets maybe-day to day".into());
    line("    sets maybe-at to at if day is \"2026-12-01\"".into());
}
