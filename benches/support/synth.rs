//! A maker of synthetic specs: `spec(models, actions)` writes a valid spec
//! of `models` models with `actions` actions each, deterministically (a
//! fixed seed), for benchmarks and for people who want a big spec to try.
//!
//! The specs read like real ones: every model declares two entities (one
//! holding a list of the other), terms of every type form (`text`,
//! `integer`, `number`, `boolean`, `list of`, `optional`, `id of`, an
//! entity, an alias of an alias, nested forms), queries answered by
//! convention and by `returns`, and actions of several shapes (creating,
//! changing a term through `new-…`, toggling a flag, adding and removing a
//! part, lifecycle steps that record a snapshot, bulk actions over `ids`).
//! Models refer to each other's entities by identity (`owner: id of …`,
//! `<noun>-id`), so identity types are shared across models. Names are
//! drawn from word lists, so no two models read alike; a number is added
//! only once the words run out.
//!
//! Every term is declared or typed by a convention and every declared term
//! is used, so a spec from here checks without errors or warnings.

use std::fmt::Write as _;

/// The seed of every spec: the same sizes always give the same text.
pub const SEED: u64 = 0x5eed_e5e6_2026_0005;

/// Entities (singular, plural by `s`), one per model as its main record.
const NOUNS: &[&str] = &[
    "parcel",
    "invoice",
    "ticket",
    "booking",
    "account",
    "shipment",
    "course",
    "patient",
    "vehicle",
    "contract",
    "voucher",
    "request",
    "payment",
    "listing",
    "review",
    "project",
    "incident",
    "deposit",
    "claim",
    "permit",
    "lesson",
    "container",
    "meter",
    "tenant",
    "order",
    "pallet",
    "visit",
    "badge",
    "grant",
    "recipe",
    "journey",
    "venue",
    "locker",
    "dossier",
    "survey",
    "quote",
    "bundle",
    "cabin",
    "cart",
    "workshop",
];

/// Words that make a model's name: `Harbour` + `Parcels`.
const QUALIFIERS: &[&str] = &[
    "Harbour", "City", "Night", "Field", "Campus", "Clinic", "Fleet", "Retail", "Garden", "Studio",
    "Airport", "Market", "Library", "River", "Mountain", "Coastal", "Regional", "Partner",
    "Express", "Budget", "Premium", "Junior", "Senior", "Online", "Rural", "Metro", "Northern",
    "Southern", "Eastern", "Western", "Winter", "Summer", "Central", "Local", "Global", "Public",
    "Private", "Trade", "School", "Village",
];

/// Second entities, held by the main one in a list.
const PARTS: &[&str] = &[
    "line", "stop", "slot", "step", "seat", "leg", "room", "task", "part", "mark", "shift",
    "phase", "gate", "lane", "bay", "zone", "tier", "dose", "stage", "unit",
];

const TEXTS: &[&str] = &[
    "label",
    "title",
    "reference",
    "remark",
    "colour",
    "region",
    "channel",
    "address",
    "summary",
    "owner-name",
    "language",
    "currency",
    "category",
    "origin",
    "status-note",
    "type",
    "postcode",
    "surname",
    "barcode",
    "headline",
];

const INTEGERS: &[&str] = &[
    "quantity", "priority", "capacity", "duration", "level", "rank", "position", "sequence",
    "version", "retries", "floor", "age-days",
];

const NUMBERS: &[&str] = &[
    "weight",
    "price",
    "distance",
    "rate",
    "volume",
    "score",
    "balance",
    "temperature",
    "discount",
    "length",
];

const FLAGS: &[&str] = &[
    "urgent?",
    "verified?",
    "archived?",
    "paid?",
    "public?",
    "flagged?",
    "locked?",
    "insured?",
    "signed?",
    "sealed?",
];

const TEXT_LISTS: &[&str] = &[
    "keywords", "aliases", "contacts", "remarks", "hints", "notes",
];

const OPTIONAL_TEXTS: &[&str] = &["nickname", "comment", "instructions", "memo"];

const OPTIONAL_INTEGERS: &[&str] = &["deadline", "limit", "expiry", "grace-days"];

/// (imperative, past) of the verbs that create the main entity.
const CREATE: &[(&str, &str)] = &[
    ("register", "registered"),
    ("open", "opened"),
    ("create", "created"),
    ("file", "filed"),
    ("enrol", "enrolled"),
    ("book", "booked"),
    ("issue", "issued"),
    ("submit", "submitted"),
    ("start", "started"),
    ("log", "logged"),
];

/// (imperative, past) of the verbs that change one term.
const CHANGE: &[(&str, &str)] = &[
    ("change", "changed"),
    ("update", "updated"),
    ("correct", "corrected"),
    ("revise", "revised"),
    ("adjust", "adjusted"),
    ("amend", "amended"),
];

/// (imperative, past) of lifecycle steps, which record a snapshot.
const LIFECYCLE: &[(&str, &str)] = &[
    ("approve", "approved"),
    ("suspend", "suspended"),
    ("resume", "resumed"),
    ("close", "closed"),
    ("reopen", "reopened"),
    ("cancel", "cancelled"),
    ("escalate", "escalated"),
    ("confirm", "confirmed"),
    ("release", "released"),
    ("hold", "held"),
];

/// Comments: the words of the domain experts.
const REMARKS: &[&str] = &[
    "as the customer wrote it",
    "set by the back office",
    "checked at the counter",
    "may change until the end of the day",
    "agreed with the partner",
    "shown on every receipt",
    "kept for the auditors",
    "in the unit the site uses",
];

/// SplitMix64: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'w>(&mut self, words: &[&'w str]) -> &'w str {
        words[self.below(words.len())]
    }

    /// `count` distinct words.
    fn choose<'w>(&mut self, words: &[&'w str], count: usize) -> Vec<&'w str> {
        let mut pool = words.to_vec();
        self.shuffle(&mut pool);
        pool.truncate(count);
        pool
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

fn pascal(kebab: &str) -> String {
    kebab
        .split('-')
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// The words one model is made of.
struct Model {
    name: String,
    noun: String,
    part: String,
    texts: Vec<&'static str>,
    integers: Vec<&'static str>,
    number: &'static str,
    flags: Vec<&'static str>,
    list: &'static str,
    optional_text: &'static str,
    optional_integer: &'static str,
    /// Entities of other models this one refers to.
    owner_of: String,
    watcher_of: String,
}

/// The name (qualifier + plural noun) and noun of model `index`; distinct
/// for every index.
fn model_name(index: usize, order: &[(usize, usize)]) -> (String, String) {
    let (q, n) = order[index % order.len()];
    let noun = NOUNS[n].to_string();
    let round = index / order.len();
    let name = if round == 0 {
        format!("{}{}s", QUALIFIERS[q], pascal(&noun))
    } else {
        format!("{}{}s{}", QUALIFIERS[q], pascal(&noun), round + 1)
    };
    (name, noun)
}

/// A spec of `models` models with `actions` actions each (at least one).
pub fn spec(models: usize, actions: usize) -> String {
    let mut rng = Rng(SEED);
    let mut order: Vec<(usize, usize)> = (0..QUALIFIERS.len())
        .flat_map(|q| (0..NOUNS.len()).map(move |n| (q, n)))
        .collect();
    rng.shuffle(&mut order);
    let names: Vec<(String, String)> = (0..models).map(|i| model_name(i, &order)).collect();

    let mut out = String::with_capacity(models * (actions * 160 + 2000));
    let _ = writeln!(
        out,
        "# A synthetic domain: {models} model(s) of {actions} action(s) each.\n\
         # Written by benches/support/synth.rs (seed {SEED:#x}); regenerate, do not edit.\n"
    );
    for (index, (name, noun)) in names.iter().enumerate() {
        // Other models' entities, for shared identities.
        let other = |step: usize| names[(index + step) % names.len()].1.clone();
        let mut texts = rng.choose(TEXTS, 3);
        if index % 9 == 4 && !texts.contains(&"type") {
            // A Rust keyword as a term, now and then: `r#type`.
            texts[2] = "type";
        }
        let model = Model {
            name: name.clone(),
            noun: noun.clone(),
            part: rng.pick(PARTS).to_string(),
            texts,
            integers: rng.choose(INTEGERS, 2),
            number: rng.pick(NUMBERS),
            flags: rng.choose(FLAGS, 2),
            list: rng.pick(TEXT_LISTS),
            optional_text: rng.pick(OPTIONAL_TEXTS),
            optional_integer: rng.pick(OPTIONAL_INTEGERS),
            owner_of: other(1),
            watcher_of: other(7),
        };
        write_model(&mut out, &model, actions, &mut rng);
    }
    out
}

fn write_model(out: &mut String, m: &Model, actions: usize, rng: &mut Rng) {
    let noun = &m.noun;
    let nouns = format!("{noun}s");
    let entity = pascal(noun);
    let part = &m.part;
    let part_entity = pascal(part);
    let [text1, text2, text3] = [m.texts[0], m.texts[1], m.texts[2]];
    let [int1, int2] = [m.integers[0], m.integers[1]];
    let [flag1, flag2] = [m.flags[0], m.flags[1]];
    let remark = |rng: &mut Rng| REMARKS[rng.below(REMARKS.len())];

    let _ = writeln!(out, "# The {nouns} of the {} desk.", m.name);
    let _ = writeln!(out, "Model: {}\n", m.name);
    let _ = writeln!(out, "# One {noun}, as the desk knows it.");
    let _ = writeln!(
        out,
        "Entity: {entity} [id {text1} {text2} {} {int2} {flag1} {part}s {} {} readings]",
        m.number, m.list, m.optional_text
    );
    let _ = writeln!(
        out,
        "Entity: {part_entity} [{part}-id {text3} {int1} {} {flag2}]   # a {part} of a {noun}\n",
        m.optional_integer
    );

    let _ = writeln!(out, "Terms:");
    let _ = writeln!(out, "  - id: id of {entity}");
    let _ = writeln!(out, "  - {text1}: text          # {}", remark(rng));
    let _ = writeln!(out, "  - {text2}: text");
    let _ = writeln!(out, "  - {text3}: text");
    let _ = writeln!(out, "  - {int1}: integer");
    let _ = writeln!(out, "  - {int2}: integer        # {}", remark(rng));
    let _ = writeln!(out, "  - {}: number", m.number);
    let _ = writeln!(out, "  - {flag1}: boolean");
    let _ = writeln!(out, "  - {}: list of text", m.list);
    let _ = writeln!(out, "  - {}: optional text", m.optional_text);
    let _ = writeln!(out, "  - {}: optional integer", m.optional_integer);
    let _ = writeln!(out, "  - owner: id of {}", pascal(&m.owner_of));
    let _ = writeln!(
        out,
        "  - watchers: optional list of id of {}",
        pascal(&m.watcher_of)
    );
    let _ = writeln!(out, "  - readings: list of optional number");
    let _ = writeln!(
        out,
        "  - record: {entity}        # a snapshot of the {noun}"
    );
    let _ = writeln!(out, "  - history: list of record\n");

    let _ = writeln!(out, "Queries:");
    let _ = writeln!(out, "  - get-{noun} [id]");
    let _ = writeln!(out, "  - all-{nouns}           # in the order they came");
    let _ = writeln!(out, "  - {noun}-count");
    let _ = writeln!(out, "  - has-{noun}? [id]");
    let _ = writeln!(
        out,
        "  - {nouns}-by-{text1} [{text1}] returns list of {entity}"
    );
    let _ = writeln!(out, "  - {noun}-history [id] returns history");
    let _ = writeln!(out, "  - {part}s-of [id] returns list of {part_entity}");
    let _ = writeln!(out, "  - watchers-of [id] returns watchers");
    let _ = writeln!(out, "  - total-{} returns number\n", m.number);

    let _ = writeln!(out, "Actions:");
    for line in action_lines(m, actions, rng) {
        let _ = writeln!(out, "{line}");
    }
    out.push('\n');
}

/// `actions` action lines: the creating one first, then a deterministic
/// pick of the model's other actions.
fn action_lines(m: &Model, actions: usize, rng: &mut Rng) -> Vec<String> {
    let noun = &m.noun;
    let part = &m.part;
    let other_id = format!("{}-id", m.owner_of);
    let (create, created) = CREATE[rng.below(CREATE.len())];
    let create_fields = format!(
        "[id {} {} {} {} {} owner]",
        m.texts[0], m.texts[1], m.number, m.flags[0], m.list
    );
    let mut lines = vec![
        format!("  # Puts a new {noun} on the books."),
        format!("  - {create}-{noun} {create_fields} accepted as {noun}-{created} {create_fields}"),
    ];

    let changeable: Vec<&str> = [
        m.texts[0],
        m.texts[1],
        m.texts[2],
        m.integers[0],
        m.integers[1],
        m.number,
        m.optional_text,
        m.optional_integer,
    ]
    .to_vec();
    let mut candidates: Vec<Vec<String>> = Vec::new();
    for (verb, past) in CHANGE {
        for term in &changeable {
            candidates.push(vec![format!(
                "  - {verb}-{term} [id new-{term}] accepted as {term}-{past} [id new-{term}]"
            )]);
        }
    }
    for (verb, past) in LIFECYCLE {
        candidates.push(vec![
            format!("  # The {noun} is {past}; the event keeps it as it was."),
            format!("  - {verb}-{noun} [id] accepted as {noun}-{past} [id record]"),
        ]);
    }
    for flag in &m.flags {
        let bare = flag.trim_end_matches('?');
        candidates.push(vec![format!(
            "  - set-{bare} [id {flag}] accepted as {bare}-set [id {flag}]"
        )]);
    }
    candidates.push(vec![format!(
        "  - add-{part} [id {part}] accepted as {part}-added [id {part}]"
    )]);
    candidates.push(vec![format!(
        "  - remove-{part} [id {part}-id] accepted as {part}-removed [id {part}-id]"
    )]);
    candidates.push(vec![format!(
        "  - purge-{noun}s [ids] accepted as {noun}s-purged [ids]"
    )]);
    candidates.push(vec![format!(
        "  - hand-over [id owner] accepted as handed-over [id owner {other_id}]"
    )]);
    candidates.push(vec![format!(
        "  - watch [id watchers] accepted as watched [id watchers]"
    )]);
    candidates.push(vec![format!(
        "  - take-readings [id readings] accepted as readings-taken [id readings {}]",
        m.integers[1]
    )]);
    candidates.push(vec![
        format!("  # Everything about the {noun} at once, for a migration."),
        format!("  - import-{noun} [id history {other_id}s] accepted as {noun}-imported [id history {other_id}s]"),
    ]);
    rng.shuffle(&mut candidates);
    let wanted = actions.saturating_sub(1);
    let mut extra = 0;
    for candidate in candidates.into_iter().take(wanted) {
        lines.extend(candidate);
    }
    // More actions than the words give: numbered stages.
    while lines.iter().filter(|l| l.starts_with("  - ")).count() < actions {
        extra += 1;
        lines.push(format!(
            "  - advance-stage-{extra} [id] accepted as stage-{extra}-advanced [id]"
        ));
    }
    lines
}
