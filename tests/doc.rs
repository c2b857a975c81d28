//! `esgen doc`: for every spec in `specs/`, the Markdown names every term,
//! model, action and query, with a Mermaid diagram per model, and each
//! event as `esgen list` names it; each SVG is well-formed XML whose text
//! names every command and event of its model.

mod common;

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
            // Events are named as `esgen list` names them: by their tag
            // (`registered@2` above version 1).
            let listed = listing
                .models
                .iter()
                .find(|m| m.name == model.name)
                .expect("the model is listed");
            for command in &listed.commands {
                let action = format!("- **{}** → `{}`\n", command.name, command.event);
                assert!(markdown.text.contains(&action), "{}: {action}", model.name);
            }
            for event in &listed.events {
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
                    texts.contains(&event.tag().as_str()),
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
