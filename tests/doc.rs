//! `esgen doc`: for every spec in `specs/`, the Markdown names every term,
//! model, action and query, with a Mermaid diagram per model, and each
//! event as the spec names it; each SVG is well-formed XML whose text
//! names every command and event of its model. The page maps how the
//! models work together, says what older stored events read as, writes
//! no Rust in its domain sections and folds long scenarios. Each lifecycle
//! is drawn as an SVG state diagram the page links: a box per state, an
//! arrow per move and one from the start, final states marked, moves back
//! under the boxes.

mod common;

use std::path::PathBuf;

#[test]
fn every_spec_is_documented_with_a_diagram_per_model() {
    for path in common::specs() {
        let source = esgen::read_spec(&path).expect("a readable spec");
        let (spec, diagnostics) = esgen::check(&source);
        let spec = spec.unwrap_or_else(|| panic!("{}: {diagnostics:?}", path.display()));
        let files = esgen::doc::document(&spec, source.stem());
        let markdown = &files[0];
        let listing = esgen::model::list::list(&spec);
        assert_eq!(markdown.name, format!("{}.md", source.stem()));
        for model in &spec.models {
            assert!(
                markdown.text.contains(&format!("## {}\n", model.name)),
                "{}",
                model.name
            );
            for term in &model.terms {
                assert!(
                    markdown.text.contains(&format!("| `{}` |", term.name)),
                    "{}",
                    term.name
                );
            }
            for query in &model.queries {
                assert!(markdown.text.contains(&query.spec_line), "{}", query.name);
            }
            // Events are named as the spec names them: no version, no
            // PascalCase tag (`registered`, not `registered@2` or
            // `Registered`); the tag is for `esgen list`.
            let listed = listing
                .models
                .iter()
                .find(|m| m.name == model.name)
                .expect("the model is listed");
            assert_eq!(listed.commands.len(), model.commands.len());
            for command in &model.commands {
                let event = &model.events[command.event];
                let action = format!("- **{}** → `{}`\n", command.name, event.name);
                assert!(markdown.text.contains(&action), "{}: {action}", model.name);
            }
            for event in &model.events {
                let node = format!("[\"{}<br/>", event.name);
                assert!(markdown.text.contains(&node), "{}: {node}", model.name);
            }
            if model.commands.is_empty() {
                continue;
            }
            assert!(markdown.text.contains("```mermaid\nflowchart LR\n"));
            let svg = files
                .iter()
                .find(|f| f.name == format!("{}.{}.svg", source.stem(), model.file_stem))
                .unwrap_or_else(|| panic!("no diagram of {}", model.name));
            let document = roxmltree::Document::parse(&svg.text)
                .unwrap_or_else(|e| panic!("{}: not well-formed: {e}", svg.name));
            assert_eq!(document.root_element().tag_name().name(), "svg");
            let texts: Vec<&str> = document
                .descendants()
                .filter(|n| n.has_tag_name("text"))
                .filter_map(|n| n.text())
                .collect();
            for command in &model.commands {
                assert!(
                    texts.contains(&command.name.as_str()),
                    "{}: {}",
                    svg.name,
                    command.name
                );
            }
            for event in &model.events {
                assert!(
                    texts.contains(&event.name.as_str()),
                    "{}: {}",
                    svg.name,
                    event.name
                );
            }
        }
    }
}

#[test]
fn doc_writes_its_files() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::root().join("specs/clinic.ddd"),
        tmp.path().join("clinic.ddd"),
    )
    .unwrap();
    let output = common::esgen(&["doc", "clinic.ddd", "--out", "doc"], tmp.path());
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    assert!(tmp.path().join("doc/clinic.md").is_file());
    assert!(tmp.path().join("doc/clinic.clinic.svg").is_file());
}

/// Every spec of `specs/` and of the rules fixtures, sorted.
fn every_spec() -> Vec<PathBuf> {
    let mut paths = common::specs();
    let fixtures = common::root().join("tests/fixtures/rules");
    let mut more: Vec<PathBuf> = std::fs::read_dir(fixtures)
        .expect("the rules fixtures")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "ddd"))
        .collect();
    more.sort();
    paths.extend(more);
    paths
}

/// The checked spec in `text`, checked against `lock` (none: nothing
/// stored yet), and the lock to keep.
fn checked(
    name: &str,
    text: &str,
    lock: Option<&esgen::Lock>,
) -> (esgen::model::ir::Spec, esgen::Lock) {
    let source = esgen::source::Source::new(name, text);
    let (spec, lock, diagnostics) = esgen::check_with_lock(&source, lock);
    let spec =
        spec.unwrap_or_else(|| panic!("{}", esgen::diagnostics::render(&source, &diagnostics)));
    (spec, lock.expect("a lock to keep"))
}

/// The Markdown page of a spec file of the repository.
fn page(path: &str) -> String {
    let path = common::root().join(path);
    let source = esgen::read_spec(&path).expect("a readable spec");
    let (spec, diagnostics) = esgen::check(&source);
    let spec = spec.unwrap_or_else(|| panic!("{}: {diagnostics:?}", path.display()));
    esgen::doc::document(&spec, source.stem())
        .swap_remove(0)
        .text
}

/// The part of `markdown` from the heading `from` (included) to the next
/// heading of its level or above (excluded).
fn section<'a>(markdown: &'a str, from: &str) -> &'a str {
    let start = markdown
        .find(&format!("{from}\n"))
        .unwrap_or_else(|| panic!("no `{from}` in:\n{markdown}"));
    let level = from.chars().take_while(|c| *c == '#').count();
    let rest = &markdown[start + from.len()..];
    let end = rest
        .match_indices("\n#")
        .find(|(at, _)| {
            let hashes = rest[at + 1..].chars().take_while(|c| *c == '#').count();
            hashes <= level && rest[at + 1 + hashes..].starts_with(' ')
        })
        .map_or(rest.len(), |(at, _)| at + 1);
    &markdown[start..start + from.len() + end]
}

#[test]
fn the_context_map_says_what_each_model_asks_of_the_others() {
    let practice = page("specs/practice.ddd");
    let map = section(&practice, "## How the models work together");
    assert!(
        map.contains("The spec has 2 models: **Patients** and **Visits**."),
        "{map}"
    );
    assert!(map.contains("```mermaid\nflowchart LR\n"), "{map}");
    assert!(
        map.contains("  m0[\"Patients\"]\n  m1[\"Visits\"]\n"),
        "{map}"
    );
    assert!(
        map.contains("  m1 -->|\"has-patient?, is-active?\"| m0\n"),
        "Visits asks Patients: {map}"
    );
    assert!(
        map.contains(
            "- **Visits** asks **Patients** `has-patient? [patient-id]` and `is-active? [patient-id]` to decide **book**; it refers to a Patient of **Patients** (by `patient-id`).\n"
        ),
        "{map}"
    );
    assert!(
        map.contains("- **Patients** asks nothing of the others; **Visits** asks it.\n"),
        "{map}"
    );
    // It comes before the glossary, and the page has one.
    assert!(practice.find("## How the models").unwrap() < practice.find("## Glossary").unwrap());
    insta::assert_snapshot!("practice-context", map);

    // Services outside the spec are boxes of their own, dashed.
    let bank = page("specs/bank.ddd");
    let map = section(&bank, "## How the models work together");
    assert!(
        map.contains("It asks services outside the spec: **Atm** and **Checks**."),
        "{map}"
    );
    assert!(
        map.contains("  x0([\"Atm<br/>outside the spec\"])\n"),
        "{map}"
    );
    assert!(map.contains("  m0 -->|\"atm-accepts?\"| x0\n"), "{map}");
    assert!(map.contains("  m0 -->|\"valid-check?\"| x1\n"), "{map}");
    assert!(
        map.contains("**BankAccount** asks **Atm**, outside the spec, `atm-accepts? [atm-id amount]` to decide **withdraw-money**"),
        "{map}"
    );
    insta::assert_snapshot!("bank-context", map);

    // Models that ask nothing of each other still stand side by side;
    // a lone model is not drawn.
    let library = page("specs/library.ddd");
    let map = section(&library, "## How the models work together");
    assert!(
        map.contains("- **Catalog** asks nothing of the others.\n"),
        "{map}"
    );
    assert!(map.contains("m2 -.->|\"refers to Member\"| m1"), "{map}");
    let todos = page("specs/todos.ddd");
    let map = section(&todos, "## How the models work together");
    assert!(
        map.contains("- **Todos** asks nothing outside itself.\n"),
        "{map}"
    );
    assert!(!map.contains("```mermaid"), "{map}");
}

const BOOKINGS_1: &str = "\
Model: Bookings
Entity: Booking [booking-id guest]
Terms:
  - guest: text
  - remark: text
Queries:
  - has-booking? [booking-id]
Actions:
  - book [booking-id guest] accepted as booked [booking-id guest]
    rejected if has-booking? [booking-id]: \"booking {booking-id} is taken\"
    adds Booking
  - note [booking-id remark] accepted as noted [booking-id remark]
    changes nothing
  - cancel [booking-id] accepted as cancelled [booking-id]
    removes Booking [booking-id]
";

const BOOKINGS_2: &str = "\
Model: Bookings
Entity: Booking [booking-id name room]
Terms:
  - name: text
  - room: text
  - remark: text
Queries:
  - has-booking? [booking-id]
Actions:
  - book [booking-id name room] accepted as booked@2 [booking-id name room]
    rejected if has-booking? [booking-id]: \"booking {booking-id} is taken\"
    adds Booking
  - note [booking-id remark] accepted as remarked [booking-id remark]
    changes nothing
Evolution:
  - booked -> booked@2: room = \"main\", name was guest
  - noted -> remarked
  - retired cancelled
";

#[test]
fn older_events_are_said_in_words() {
    let (_, lock) = checked("bookings.ddd", BOOKINGS_1, None);
    let (spec, _) = checked("bookings.ddd", BOOKINGS_2, Some(&lock));
    let markdown = esgen::doc::document(&spec, "bookings").swap_remove(0).text;
    let kept = section(&markdown, "### How its events are kept");
    for sentence in [
        "- A `booked` event stored at version 1 reads as today's `booked` at version 2, with `name` taken from what was `guest` and `room` = \"main\".\n",
        "- A `noted` event stored at version 1 reads as today's `remarked`, field by field.\n",
        "- Stored `cancelled` events are skipped: they no longer change anything.\n",
    ] {
        assert!(kept.contains(sentence), "{sentence} in:\n{kept}");
    }
    insta::assert_snapshot!("evolution", kept);

    // A spec with a lock: `practice.ddd`'s `registered` was stored
    // without a phone.
    let practice = page("specs/practice.ddd");
    assert!(practice.contains(
        "- A `registered` event stored at version 1 reads as today's `registered` at version 2, with `phone` = nothing.\n"
    ));
    // How the events are named where they are kept is said there, and
    // only there.
    let bank = page("specs/bank.ddd");
    let kept = section(&bank, "### How its events are kept");
    assert!(
        kept.contains("- Its events are kept under the name `account`.\n"),
        "{kept}"
    );
    assert!(
        kept.contains("(`account-opened` is kept as `AccountOpened`)"),
        "{kept}"
    );
    assert!(!kept.contains("- Streams kept the earlier way"), "{kept}");
    assert!(page("specs/accounts.ddd").contains(
        "- Streams kept the earlier way are moved to today's by `from-one-stream`, a step written outside the spec.\n"
    ));
    // Nothing to say, no section.
    assert!(!page("specs/todos.ddd").contains("### How its events are kept"));
}

/// Words of Rust, or of the machinery, that no domain section says.
const ENGINEER_WORDS: [&str; 13] = [
    "(generated)",
    "Option<",
    "Vec<",
    "BTreeMap<",
    "i64",
    "f64",
    "String",
    "NaiveDate",
    "DateTime<",
    "Decimal",
    "by convention",
    "written by hand",
    "State:",
];

#[test]
fn the_domain_sections_say_no_engineer_words() {
    for path in every_spec() {
        let source = esgen::read_spec(&path).expect("a readable spec");
        let (spec, diagnostics) = esgen::check(&source);
        let spec = spec.unwrap_or_else(|| panic!("{}: {diagnostics:?}", path.display()));
        let mut markdown = esgen::doc::document(&spec, source.stem())
            .swap_remove(0)
            .text;
        // The spec author's own words are theirs: documentation comments,
        // spec lines and scenarios, as written.
        let mut written: Vec<String> = Vec::new();
        for model in &spec.models {
            written.push(model.docs.join(" "));
            written.extend(model.entities.iter().map(|e| e.docs.join(" ")));
            written.extend(model.terms.iter().map(|t| t.docs.join(" ")));
            written.extend(model.commands.iter().map(|c| c.docs.join(" ")));
            written.extend(model.queries.iter().map(|q| q.docs.join(" ")));
            written.extend(model.queries.iter().map(|q| q.spec_line.clone()));
            written.extend(
                model
                    .commands
                    .iter()
                    .flat_map(|c| c.guards.iter().map(|g| g.spec_line.replace('|', "\\|"))),
            );
            written.extend(
                model
                    .scenarios
                    .iter()
                    .flat_map(|s| s.text.lines().map(|l| l.trim().to_string())),
            );
        }
        written.retain(|w| !w.is_empty());
        written.sort_by_key(|w| std::cmp::Reverse(w.len()));
        for words in &written {
            markdown = markdown.replace(words.as_str(), "");
        }
        // Where the events are kept is for those who keep them.
        let domain: String = markdown
            .split("### How its events are kept")
            .enumerate()
            .map(|(i, part)| {
                if i == 0 {
                    part
                } else {
                    part.split_once("\n## ").map_or("", |(_, rest)| rest)
                }
            })
            .collect();
        let name = path.display();
        for word in ENGINEER_WORDS {
            assert!(!domain.contains(word), "{name}: `{word}` in:\n{domain}");
        }
        // No Rust name where the spec wrote another: types, actions,
        // events, choices, models.
        let tokens: Vec<&str> = domain
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .collect();
        for model in &spec.models {
            let mut rust: Vec<(&str, &str)> = vec![(&model.rust, &model.name)];
            rust.extend(
                model
                    .commands
                    .iter()
                    .map(|c| (c.rust.as_str(), c.name.as_str())),
            );
            rust.extend(
                model
                    .events
                    .iter()
                    .map(|e| (e.rust.as_str(), e.name.as_str())),
            );
            rust.extend(
                model
                    .choices
                    .iter()
                    .map(|c| (c.rust.as_str(), c.term.as_str())),
            );
            rust.extend(
                model
                    .entities
                    .iter()
                    .map(|e| (e.rust.as_str(), e.name.as_str())),
            );
            for (rust, written) in rust {
                if rust == written || model.entities.iter().any(|e| e.name == rust) {
                    continue;
                }
                assert!(
                    !tokens.contains(&rust),
                    "{name}: `{rust}` for `{written}` in:\n{domain}"
                );
            }
        }
        // Types in words, in the glossary and wherever a field is listed.
        for row in domain.lines().filter(|l| l.starts_with("| `")) {
            let ty = row.split('|').nth(2).expect("a type cell").trim();
            for spec_word in ["integer", "boolean", "timestamp", "decimal", "id of"] {
                assert!(!ty.contains(spec_word), "{name}: `{ty}` in {row}");
            }
        }
        for line in domain
            .lines()
            .filter(|l| l.starts_with("- **") && l.contains("` ("))
        {
            for spec_word in [
                "(integer)",
                "(boolean)",
                "(timestamp)",
                "(decimal)",
                "(id of",
                "(number)",
                "(date)",
            ] {
                assert!(!line.contains(spec_word), "{name}: {line}");
            }
        }
    }
    insta::assert_snapshot!("clinic", page("specs/clinic.ddd"));
}

/// An orchard with a scenario given 41 events, one with a run of 5 like
/// ones, and short ones.
fn orchard() -> String {
    let picked = "    and picked [tree-id: t1]\n".repeat(40);
    let run = "    and picked [tree-id: t2]\n".repeat(5);
    format!(
        "\
Model: Orchard
Entity: Tree [tree-id apples]
Terms:
  - apples: integer, default 0  # picked from it so far
Queries:
  - has-tree? [tree-id]
  - apples-of [tree-id] = apples of Tree [tree-id]
Actions:
  - plant [tree-id] accepted as planted [tree-id]
    rejected if has-tree? [tree-id]: \"tree {{tree-id}} is already planted\"
    adds Tree
  - pick [tree-id] accepted as picked [tree-id]
    rejected unless has-tree? [tree-id]: \"there is no tree {{tree-id}}\"
    increases apples of Tree [tree-id] by 1
Scenarios:
  - a busy season
    given planted [tree-id: t1]
{picked}    when pick [tree-id: t1]
    then picked [tree-id: t1]
    and apples-of [t1] is 41
  - a run of picking
    given planted [tree-id: t1]
    and planted [tree-id: t2]
{run}    when pick [tree-id: t1]
    then picked [tree-id: t1]
    and apples-of [t2] is 5
  - a tree is planted once
    given planted [tree-id: t1]
    when plant [tree-id: t1]
    then rejected as conflict
"
    )
}

#[test]
fn long_scenarios_are_folded() {
    let (spec, _) = checked("orchard.ddd", &orchard(), None);
    let markdown = esgen::doc::document(&spec, "orchard").swap_remove(0).text;
    let scenarios = section(&markdown, "### Scenarios");
    // 41 `given` lines: all folded, under a line that sums them up.
    assert!(
        scenarios.contains("- **a busy season**\n\n  <details><summary>given 41 events (planted ×1, picked ×40)</summary>\n\n  ```\n  given planted [tree-id: t1]\n  and picked [tree-id: t1]\n"),
        "{scenarios}"
    );
    // `when` and `then` stay in sight.
    assert!(
        scenarios.contains("  </details>\n\n  ```\n  when pick [tree-id: t1]\n  then picked [tree-id: t1]\n  and apples-of [t1] is 41\n  ```\n"),
        "{scenarios}"
    );
    // A run of five like lines is folded on its own; the lines around it
    // are not.
    assert!(
        scenarios.contains("  ```\n  given planted [tree-id: t1]\n  and planted [tree-id: t2]\n  ```\n\n  <details><summary>given 5 events (picked ×5)</summary>\n"),
        "{scenarios}"
    );
    // A short scenario is one block.
    assert!(
        scenarios.contains("- **a tree is planted once**\n\n  ```\n  given planted [tree-id: t1]\n  when plant [tree-id: t1]\n  then rejected as conflict\n  ```\n"),
        "{scenarios}"
    );
    assert_eq!(scenarios.matches("<details>").count(), 2, "{scenarios}");
    assert_eq!(scenarios.matches("</details>").count(), 2, "{scenarios}");
    // Every line of the spec's scenarios is still there.
    assert_eq!(
        scenarios.matches("  and picked [tree-id: t1]\n").count(),
        40
    );
    insta::assert_snapshot!("folded", scenarios);
}

#[test]
fn every_page_is_balanced_markdown() {
    for path in every_spec() {
        let markdown = page(&common::relative(&path));
        let fences = markdown
            .lines()
            .filter(|l| l.trim_start().starts_with("```"))
            .count();
        assert_eq!(fences % 2, 0, "{}: an open code block", path.display());
        assert_eq!(
            markdown.matches("<details>").count(),
            markdown.matches("</details>").count(),
            "{}",
            path.display()
        );
        // Each table row has the glossary's five cells.
        for row in markdown.lines().filter(|l| l.starts_with("| `")) {
            assert_eq!(
                row.matches(" | ").count() + 2,
                6,
                "{}: {row}",
                path.display()
            );
        }
    }
}

/// A rect's or a path's numbers, by attribute.
fn number(node: roxmltree::Node, attribute: &str) -> f64 {
    node.attribute(attribute)
        .unwrap_or_else(|| panic!("no {attribute}"))
        .parse()
        .unwrap_or_else(|e| panic!("{attribute}: {e}"))
}

/// The points of a path's `d`: every pair of numbers in it.
fn points(path: roxmltree::Node) -> Vec<(f64, f64)> {
    let numbers: Vec<f64> = path
        .attribute("d")
        .expect("a path's d")
        .split([' ', ','])
        .filter_map(|word| word.parse().ok())
        .collect();
    numbers.chunks(2).map(|p| (p[0], p[1])).collect()
}

#[test]
fn every_lifecycle_is_drawn_as_a_state_diagram() {
    let mut drawn = Vec::new();
    for path in ["specs/delivery.ddd", "tests/fixtures/rules/lifecycle.ddd"] {
        let path = common::root().join(path);
        let source = esgen::read_spec(&path).expect("a readable spec");
        let (spec, diagnostics) = esgen::check(&source);
        let spec = spec.unwrap_or_else(|| panic!("{}: {diagnostics:?}", path.display()));
        let files = esgen::doc::document(&spec, source.stem());
        let markdown = &files[0].text;
        for model in &spec.models {
            for choice in model.choices.iter().filter(|c| !c.moves.is_empty()) {
                let name = format!("{}.{}.{}.svg", source.stem(), model.file_stem, choice.term);
                let svg = files
                    .iter()
                    .find(|f| f.name == name)
                    .unwrap_or_else(|| panic!("no {name}"));
                drawn.push(name.clone());
                // Linked under its heading, in its model's section, before
                // the Mermaid.
                let life = section(
                    section(markdown, &format!("## {}", model.name)),
                    &format!("### The life of `{}`", choice.term),
                );
                let link = life
                    .find(&format!("\n![The life of {}]({name})\n", choice.term))
                    .unwrap_or_else(|| panic!("{name} is not linked in:\n{life}"));
                let mermaid = life
                    .find("```mermaid\nstateDiagram-v2\n")
                    .expect("the Mermaid lifecycle");
                assert!(link < mermaid, "{life}");

                let document = roxmltree::Document::parse(&svg.text)
                    .unwrap_or_else(|e| panic!("{name}: not well-formed: {e}"));
                let root = document.root_element();
                assert_eq!(root.tag_name().name(), "svg");
                let (width, height) = (number(root, "width"), number(root, "height"));
                assert_eq!(
                    root.attribute("viewBox"),
                    Some(format!("0 0 {width} {height}").as_str())
                );
                let with_class = |tag: &str, class: &str| -> Vec<roxmltree::Node> {
                    document
                        .descendants()
                        .filter(|n| n.has_tag_name(tag))
                        .filter(|n| {
                            n.attribute("class")
                                .is_some_and(|c| c.split(' ').any(|w| w == class))
                        })
                        .collect()
                };
                // A box per state, holding its name, inside the picture and
                // overlapping no other.
                let boxes = with_class("rect", "state");
                assert_eq!(boxes.len(), choice.values.len(), "{name}");
                let box_of = |state: &str| -> roxmltree::Node {
                    let named: Vec<roxmltree::Node> = boxes
                        .iter()
                        .copied()
                        .filter(|b| {
                            b.parent().is_some_and(|g| {
                                g.children()
                                    .any(|t| t.has_tag_name("text") && t.text() == Some(state))
                            })
                        })
                        .collect();
                    assert_eq!(named.len(), 1, "{name}: the box of {state}");
                    named[0]
                };
                let area = |b: roxmltree::Node| {
                    let (x, y) = (number(b, "x"), number(b, "y"));
                    (x, y, x + number(b, "width"), y + number(b, "height"))
                };
                for (i, a) in boxes.iter().enumerate() {
                    let (x1, y1, x2, y2) = area(*a);
                    assert!(x1 > 0.0 && y1 > 0.0 && x2 < width && y2 < height, "{name}");
                    for b in &boxes[i + 1..] {
                        let (u1, v1, u2, v2) = area(*b);
                        assert!(x2 <= u1 || u2 <= x1 || y2 <= v1 || v2 <= y1, "{name}");
                    }
                }
                let texts: Vec<&str> = document
                    .descendants()
                    .filter(|n| n.has_tag_name("text"))
                    .filter_map(|n| n.text())
                    .collect();
                for (state, _) in &choice.values {
                    assert_eq!(
                        texts.iter().filter(|t| **t == state.as_str()).count(),
                        1,
                        "{name}: {state}"
                    );
                    box_of(state);
                }
                // An arrow per move, and one from the start dot.
                let arrows: Vec<roxmltree::Node> = document
                    .descendants()
                    .filter(|n| n.has_tag_name("path") && n.attribute("marker-end").is_some())
                    .collect();
                assert_eq!(arrows.len(), choice.moves.len() + 1, "{name}");
                assert_eq!(with_class("path", "move").len(), choice.moves.len());
                for (from, to) in &choice.moves {
                    let titled = format!("{from} → {to}");
                    assert!(
                        arrows.iter().any(|a| a
                            .children()
                            .any(|t| t.has_tag_name("title") && t.text() == Some(&titled))),
                        "{name}: no arrow {titled}"
                    );
                }
                // The start: the default, else the first value, its arrow
                // from a dot on its left to its left side.
                let first = choice
                    .default
                    .map_or(&choice.values[0].0, |d| &choice.values[d].0);
                let (x1, y1, _, y2) = area(box_of(first));
                let dot = with_class("circle", "start");
                assert_eq!(dot.len(), 1, "{name}");
                assert!(number(dot[0], "cx") < x1);
                let start = with_class("path", "start");
                assert_eq!(start.len(), 1, "{name}");
                let &(end_x, end_y) = points(start[0]).last().expect("an end");
                assert!((x1 - 4.0..=x1).contains(&end_x), "{name}: {end_x}");
                assert!((y1..=y2).contains(&end_y), "{name}: {end_y}");
                // Final states, which no move leaves, have a second border.
                let finals: Vec<&str> = choice
                    .values
                    .iter()
                    .map(|(v, _)| v.as_str())
                    .filter(|v| !choice.moves.iter().any(|(from, _)| from == v))
                    .collect();
                assert!(!finals.is_empty(), "{name}");
                assert_eq!(with_class("rect", "final").len(), finals.len(), "{name}");
                for state in &finals {
                    let parent = box_of(state).parent().expect("its group");
                    assert!(
                        parent
                            .children()
                            .any(|r| r.attribute("class") == Some("final")),
                        "{name}: {state} is not drawn final"
                    );
                }
            }
        }
    }
    assert_eq!(
        drawn,
        [
            "delivery.parcels.status.svg",
            "lifecycle.parcels.status.svg",
            "lifecycle.account.status.svg"
        ]
    );
}

/// The delivery spec's lifecycle: a column per step from `registered`,
/// `delivered` and `failed` one above the other, and the move back from
/// `failed` to `out-for-delivery` under every box.
#[test]
fn a_move_back_runs_under_the_states() {
    let path = common::root().join("specs/delivery.ddd");
    let source = esgen::read_spec(&path).expect("a readable spec");
    let (spec, diagnostics) = esgen::check(&source);
    let spec = spec.unwrap_or_else(|| panic!("{diagnostics:?}"));
    let files = esgen::doc::document(&spec, source.stem());
    let svg = files
        .iter()
        .find(|f| f.name == "delivery.parcels.status.svg")
        .expect("the lifecycle's SVG");
    let document = roxmltree::Document::parse(&svg.text).expect("well-formed");
    let boxes: Vec<(String, f64, f64, f64)> = document
        .descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("class") == Some("state"))
        .map(|r| {
            let label = r
                .parent()
                .and_then(|g| g.children().find(|t| t.has_tag_name("text")))
                .and_then(|t| t.text())
                .expect("a name")
                .to_string();
            let y = number(r, "y");
            (label, number(r, "x"), y, y + number(r, "height"))
        })
        .collect();
    let at = |state: &str| {
        boxes
            .iter()
            .find(|b| b.0 == state)
            .unwrap_or_else(|| panic!("no {state}"))
    };
    let order = [
        "registered",
        "picked-up",
        "at-depot",
        "out-for-delivery",
        "failed",
        "returned",
    ];
    for pair in order.windows(2) {
        assert!(at(pair[0]).1 < at(pair[1]).1, "{pair:?}");
    }
    assert_eq!(at("delivered").1, at("failed").1);
    assert!(at("delivered").3 <= at("failed").2);
    let lowest = boxes.iter().map(|b| b.3).fold(0.0, f64::max);
    let back = document
        .descendants()
        .find(|n| {
            n.has_tag_name("path")
                && n.children()
                    .any(|t| t.text() == Some("failed → out-for-delivery"))
        })
        .expect("the move back");
    assert_eq!(back.attribute("class"), Some("move back"));
    let below = points(back).iter().map(|p| p.1).fold(0.0, f64::max);
    assert!(below > lowest, "{below} is not under {lowest}");
    // No forward move goes under the boxes.
    for forward in document
        .descendants()
        .filter(|n| n.attribute("class") == Some("move"))
    {
        assert!(points(forward).iter().all(|p| p.1 < lowest));
    }
    insta::assert_snapshot!("delivery-lifecycle", svg.text);
}

#[test]
fn doc_writes_a_lifecycle_beside_the_model_diagrams() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::root().join("tests/fixtures/rules/lifecycle.ddd"),
        tmp.path().join("lifecycle.ddd"),
    )
    .unwrap();
    let output = common::esgen(&["doc", "lifecycle.ddd", "--out", "doc"], tmp.path());
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    let mut written: Vec<String> = std::fs::read_dir(tmp.path().join("doc"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(
        written,
        [
            "lifecycle.account.status.svg",
            "lifecycle.account.svg",
            "lifecycle.md",
            "lifecycle.parcels.status.svg",
            "lifecycle.parcels.svg"
        ]
    );
}

#[test]
fn policies_are_said_in_words_and_drawn_between_the_models() {
    let shop = page("specs/shop.ddd");
    let map = section(&shop, "## How the models work together");
    for arrow in [
        "m0 ==>|\"placed → charge\"| m1",
        "m0 ==>|\"marked-paid → ship\"| m2",
        "m1 ==>|\"declined → cancel\"| m0",
    ] {
        assert!(map.contains(arrow), "{arrow} in:\n{map}");
    }
    assert!(
        map.contains("- **Payments** asks nothing of the others to decide, asks **Orders** to **mark-paid** when `settled` is recorded and asks **Orders** to **cancel** when `declined` is recorded"),
        "{map}"
    );
    let orders = section(&shop, "## Orders");
    let next = section(orders, "### What happens next");
    assert!(
        next.contains("- when `placed` is recorded, **Payments** is asked to **charge**, with `amount` = `total`\n  Every order is charged for."),
        "{next}"
    );
    assert!(next.contains("- when `placed` is recorded, the app's `send-confirmation` is told"));
    assert!(next.contains("  - at once: the command that recorded it answers only after this"));
    let payments = section(&shop, "## Payments");
    assert!(
        section(payments, "### What happens next")
            .contains("**Orders** is asked to **cancel**, only if reason is not \"retry\""),
        "{payments}"
    );
}

#[test]
fn policies_are_drawn_under_their_events() {
    let path = common::root().join("specs/shop.ddd");
    let source = esgen::read_spec(&path).expect("a readable spec");
    let (spec, _) = esgen::check(&source);
    let spec = spec.expect("shop checks");
    let files = esgen::doc::document(&spec, source.stem());
    let svg = files
        .iter()
        .find(|f| f.name.ends_with("shop.orders.svg"))
        .expect("the diagram of Orders");
    for text in [
        "What happens next",
        "→ charge in Payments",
        "→ notify by send-confirmation",
        "→ ship in Shipping",
        ">strong<",
    ] {
        assert!(svg.text.contains(text), "{text} in:\n{}", svg.text);
    }
    // Three dashed arrows, one from its event to each.
    assert_eq!(svg.text.matches("stroke-dasharray=\"4 3\"").count(), 3);
    let page = &files[0].text;
    assert!(
        page.contains("  subgraph next[\"What happens next\"]\n"),
        "{page}"
    );
    assert!(
        page.contains("  e0 -.-> p0\n  e0 -.-> p1\n  e1 -.-> p2\n"),
        "{page}"
    );
}
