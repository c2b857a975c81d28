//! A spec and the protobuf schema that says the same, for measuring esgen
//! against prost-build side by side (`benches/versus-prost.sh`).
//!
//! Every model is alike, so that both tools get the same shapes in the same
//! numbers: one entity of seven fields (`id title amount weight active?
//! tags owner-id`), six queries, and `actions` actions whose commands and
//! events carry the `id` and two more of those fields. The proto has one
//! message per entity, command and event, and per model a `oneof` of its
//! commands and one of its events, each model in a package (a file) of its
//! own, as each model is a module of its own in esgen's crate.

use std::fmt::Write as _;

/// The fields beyond `id`, as the spec names them and as the proto types
/// and names them.
const FIELDS: [(&str, &str, &str); 6] = [
    ("title", "string", "title"),
    ("amount", "int64", "amount"),
    ("weight", "double", "weight"),
    ("active?", "bool", "active"),
    ("tags", "repeated string", "tags"),
    ("owner-id", "string", "owner_id"),
];

/// Verbs for actions, with the event each is accepted as.
const VERBS: [(&str, &str); 10] = [
    ("open", "opened"),
    ("rename", "renamed"),
    ("reprice", "repriced"),
    ("weigh", "weighed"),
    ("activate", "activated"),
    ("tag", "tagged"),
    ("assign", "assigned"),
    ("archive", "archived"),
    ("restore", "restored"),
    ("close", "closed"),
];

/// The two fields (indexes into [`FIELDS`]) action `k` carries beside the
/// id: every pair in turn.
fn pair(k: usize) -> (usize, usize) {
    let pairs: Vec<(usize, usize)> = (0..FIELDS.len())
        .flat_map(|a| (a + 1..FIELDS.len()).map(move |b| (a, b)))
        .collect();
    pairs[k % pairs.len()]
}

/// Action `k`'s name and its event's, numbered past the tenth.
fn action(k: usize) -> (String, String) {
    let (verb, past) = VERBS[k % VERBS.len()];
    match k / VERBS.len() {
        0 => (verb.to_owned(), past.to_owned()),
        n => (format!("{verb}-{n}"), format!("{past}-{n}")),
    }
}

/// `open-2` → `Open2`.
fn pascal(kebab: &str) -> String {
    kebab
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The spec: `models` models of `actions` actions each.
pub fn spec(models: usize, actions: usize) -> String {
    let mut s = String::new();
    for m in 1..=models {
        let item = format!("item{m}");
        let _ = writeln!(s, "# Stock kept by shop {m}.");
        let _ = writeln!(s, "Model: Shop{m}s");
        let _ = writeln!(s, "# An item on sale.");
        let _ = writeln!(
            s,
            "Entity: Item{m} [id title amount weight active? tags owner-id]"
        );
        s.push_str(
            "\nTerms:\n  - title: text\n  - amount: integer\n  - weight: number\n  - tag: text\n",
        );
        let _ = write!(
            s,
            "\nQueries:\n  - has-{item}? [id]\n  - get-{item} [id]\n  - all-{item}s\n  \
             - active-{item}s\n  - {item}-count\n  - {item}s-owned-by [owner-id] returns list of Item{m}\n"
        );
        s.push_str("\nActions:\n");
        for k in 0..actions {
            let (name, event) = action(k);
            let (a, b) = pair(k);
            let fields = format!("id {} {}", FIELDS[a].0, FIELDS[b].0);
            let _ = writeln!(s, "  - {name} [{fields}] accepted as {event} [{fields}]");
        }
        s.push('\n');
    }
    s
}

/// The proto files, as (file name, text): one per model.
pub fn protos(models: usize, actions: usize) -> Vec<(String, String)> {
    (1..=models)
        .map(|m| {
            let mut p = format!("syntax = \"proto3\";\n\npackage shop{m}s;\n\n");
            p.push_str("// An item on sale.\n");
            let _ = writeln!(p, "message Item{m} {{\n  string id = 1;");
            for (i, (_, ty, name)) in FIELDS.iter().enumerate() {
                let _ = writeln!(p, "  {ty} {name} = {};", i + 2);
            }
            p.push_str("}\n");
            let mut commands = String::new();
            let mut events = String::new();
            for k in 0..actions {
                let (name, event) = action(k);
                let (a, b) = pair(k);
                for (message, list) in [(pascal(&name), &mut commands), (pascal(&event), &mut events)] {
                    let _ = write!(
                        p,
                        "\nmessage {message} {{\n  string id = 1;\n  {} {} = 2;\n  {} {} = 3;\n}}\n",
                        FIELDS[a].1, FIELDS[a].2, FIELDS[b].1, FIELDS[b].2
                    );
                    let _ = writeln!(list, "    {message} {} = {};", name_field(&message), k + 1);
                }
            }
            let _ = write!(
                p,
                "\nmessage Command {{\n  oneof command {{\n{commands}  }}\n}}\n\
                 \nmessage Event {{\n  oneof event {{\n{events}  }}\n}}\n"
            );
            (format!("shop{m}s.proto"), p)
        })
        .collect()
}

/// A `oneof` member's name: the message's name in snake case.
fn name_field(message: &str) -> String {
    let mut out = String::new();
    for (i, c) in message.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}
