//! The generated crates: snapshots of every file, `--explain` for every
//! spec, determinism, and the committed examples kept up to date.

mod common;

use esgen::codegen::Owner;

#[test]
fn every_generated_file_matches_its_snapshot() {
    for spec in common::specs() {
        let compiled = common::compile(&spec);
        let stem = spec.file_stem().unwrap().to_string_lossy().to_string();
        for file in &compiled.files.files {
            let name = format!(
                "{stem}__{}",
                file.path.to_string_lossy().replace(['/', '\\'], "__")
            );
            insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
                insta::assert_snapshot!(name, file.contents);
            });
        }
    }
}

#[test]
fn explain_matches_its_snapshot() {
    for spec in common::specs() {
        let compiled = common::compile(&spec);
        let stem = spec.file_stem().unwrap().to_string_lossy().to_string();
        insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(format!("explain__{stem}"), esgen::model::explain::explain(&compiled.spec));
        });
    }
}

#[test]
fn generation_is_deterministic() {
    for spec in common::specs() {
        // Each run builds its hash maps with fresh random seeds, so any
        // dependence on their order would show here.
        let first = common::compile(&spec).files;
        for _ in 0..5 {
            assert_eq!(
                common::compile(&spec).files.files,
                first.files,
                "{}",
                spec.display()
            );
        }
    }
}

#[test]
fn committed_examples_are_up_to_date() {
    // Regenerate every spec into a temporary directory, through the same
    // output stage as `esgen build`, and compare what esgen owns.
    let tmp = tempfile::tempdir().unwrap();
    let mut stale = Vec::new();
    for spec in common::specs() {
        let compiled = common::compile(&spec);
        let name = &compiled.spec.crate_name;
        let fresh = tmp.path().join(name);
        esgen::output::write(&fresh, &compiled.files, &Default::default())
            .unwrap_or_else(|e| panic!("{}", e[0].message));
        let committed = common::root().join("generated-examples").join(name);
        for file in &compiled.files.files {
            let now = std::fs::read(fresh.join(&file.path)).unwrap();
            let fine = match (file.owner, std::fs::read(committed.join(&file.path))) {
                (Owner::Esgen, Ok(before)) => before == now,
                (Owner::User, Ok(_)) => true,
                (_, Err(_)) => false,
            };
            if !fine {
                stale.push(format!(
                    "generated-examples/{name}/{} (run `cargo run -- build {} --out generated-examples/{name}`)",
                    file.path.display(),
                    common::relative(&spec),
                ));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale or missing generated files:\n{}",
        stale.join("\n")
    );
}

#[test]
fn seed_listing_builds_the_inferred_todo() {
    let compiled = common::compile(&common::root().join("specs/seed-todos.ddd"));
    let model = &compiled.spec.models[0];
    let todo = &model.entities[0];
    assert_eq!(todo.rust, "Todo");
    let fields: Vec<(&str, String)> = todo
        .fields
        .iter()
        .map(|f| (f.rust.as_str(), f.ty.rust()))
        .collect();
    assert_eq!(
        fields,
        [
            ("id", "TodoId".to_string()),
            ("text", "String".to_string()),
            ("completed", "bool".to_string())
        ]
    );
    let generated = compiled
        .files
        .get("src/generated/todos.rs")
        .expect("model file");
    assert!(generated
        .contents
        .contains("fn get_todo(&self, id: &TodoId) -> Option<Todo>;"));
    assert!(generated
        .contents
        .contains("fn clear_done(&self, command: ClearDone) -> Result<DoneCleared, Rejection>;"));
    assert!(generated.contents.contains("pub ids: Vec<TodoId>,"));
}

#[test]
fn spec_file_names_are_escaped_in_the_manifest() {
    let text = std::fs::read_to_string(common::root().join("specs/todos.ddd")).unwrap();
    let source = esgen::source::Source::new("we\"ird\u{7}.ddd", text);
    let (compiled, _) = esgen::compile(&source);
    let compiled = compiled.expect("a valid spec");
    let manifest = &compiled.files.get("Cargo.toml").unwrap().contents;
    assert!(
        manifest.contains(r#"spec = "we\"ird\\u{0007}.ddd""#),
        "{manifest}"
    );
}

/// The names a spec gives (models, their Rust names, entities, actions,
/// events), as they would appear in code and docs.
fn names_of(spec: &esgen::model::ir::Spec) -> std::collections::BTreeSet<String> {
    let mut names = std::collections::BTreeSet::new();
    for model in &spec.models {
        names.insert(model.name.clone());
        names.insert(model.rust.clone());
        names.insert(format!("{}Event", model.rust));
        names.insert(format!("{}Command", model.rust));
        names.extend(model.entities.iter().map(|e| e.rust.clone()));
        names.extend(model.commands.iter().map(|c| c.name.clone()));
        names.extend(model.commands.iter().map(|c| c.rust.clone()));
        names.extend(model.events.iter().map(|e| e.name.clone()));
        names.extend(model.events.iter().map(|e| e.rust.clone()));
        names.extend(model.choices.iter().map(|c| c.rust.clone()));
    }
    names.extend(spec.identities.iter().map(|i| i.rust.clone()));
    names
}

/// Every name a spec gives: [`names_of`], its queries and its terms too.
fn all_names_of(spec: &esgen::model::ir::Spec) -> std::collections::BTreeSet<String> {
    let mut names = names_of(spec);
    for model in &spec.models {
        names.extend(model.queries.iter().map(|q| q.name.clone()));
        names.extend(model.terms.iter().map(|t| t.name.clone()));
        // A choice's values (`Status::Returned`) may share a name with
        // another spec's event.
        for choice in &model.choices {
            for (word, rust) in &choice.values {
                names.insert(word.clone());
                names.insert(rust.clone());
            }
        }
    }
    names
}

/// Names esgen's own generated code has in every crate (a spec may give
/// one too: `store` is an action in one).
const ESGEN_OWN: [&str; 10] = [
    "open",
    "Store",
    "Rejection",
    "RejectionKind",
    "Problem",
    "Problems",
    "Keyed",
    "stored",
    "wire",
    "generated",
];

#[test]
fn no_generated_file_speaks_of_another_spec() {
    let specs: Vec<(String, esgen::model::ir::Spec, esgen::codegen::FileSet)> = common::specs()
        .iter()
        .map(|path| {
            let source = esgen::read_spec(path).unwrap();
            let (compiled, found) = esgen::compile(&source);
            let compiled = compiled.unwrap_or_else(|| panic!("{found:?}"));
            (common::relative(path), compiled.spec, compiled.files)
        })
        .collect();
    let mut looked = 0;
    for (name, spec, files) in &specs {
        let own = all_names_of(spec);
        // Another spec's names that are not this one's too, written as a
        // name is in code or docs: in backticks, or before `::`/`(`.
        let foreign: Vec<String> = specs
            .iter()
            .filter(|(other, ..)| other != name)
            .flat_map(|(_, other, _)| names_of(other))
            .filter(|n| !own.contains(n) && !ESGEN_OWN.contains(&n.as_str()))
            .collect();
        for file in &files.files {
            for word in &foreign {
                let text = &file.contents;
                let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                let capitals = word.chars().filter(|c| c.is_uppercase()).count();
                let stray = if capitals > 0 {
                    // A type or model name, as a whole word: a compound one
                    // (`TodosEvent`) anywhere, a single word (`Todos`, also
                    // English at a sentence's start) where code names it.
                    text.match_indices(word.as_str()).any(|(at, _)| {
                        let before = text[..at].chars().next_back();
                        let after = text[at + word.len()..].chars().next();
                        !ident(before)
                            && !ident(after)
                            && (capitals > 1
                                || before.is_some_and(|c| "`<(:[".contains(c))
                                || after.is_some_and(|c| "`>):,]{".contains(c)))
                    })
                } else {
                    // A spec word: where a name is quoted.
                    [format!("`{word}`"), format!("`{word} [")]
                        .iter()
                        .any(|quoted| text.contains(quoted.as_str()))
                };
                assert!(
                    !stray,
                    "{name}: {} speaks of `{word}`, a name of another spec",
                    file.path.display()
                );
                looked += 1;
            }
        }
    }
    assert!(looked > 1000, "{looked}");
}
