//! The TextMate grammar of `editors/vscode` tokenizes every spec in
//! `specs/` as it should (comments, strings, headers, keywords, names),
//! checked with the tokenizer VS Code runs (`scripts/textmate.sh`); and
//! the check fails on a grammar that gets comments wrong. The extension's
//! manifest names the grammar and the server.

mod common;

use std::process::Command;

fn check(grammar: Option<&std::path::Path>, specs: &[std::path::PathBuf]) -> (bool, String) {
    let mut command = Command::new("bash");
    command
        .arg(common::root().join("scripts/textmate.sh"))
        .args(specs)
        .current_dir(common::root());
    if let Some(grammar) = grammar {
        command.env("ESGEN_GRAMMAR", grammar);
    }
    let output = command.output().expect("bash runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_grammar_tokenizes_every_spec() {
    let specs: Vec<_> = common::specs()
        .into_iter()
        .map(|p| common::root().join(p))
        .collect();
    let (ok, said) = check(None, &specs);
    assert!(ok, "{said}");
    for spec in &specs {
        assert!(
            said.contains(&format!("{}: ", spec.display())) && said.contains("lines tokenized"),
            "{}: {said}",
            spec.display()
        );
    }

    // A grammar without its comment rule is caught.
    let grammar = common::root().join("editors/vscode/syntaxes/ddd.tmLanguage.json");
    let text = std::fs::read_to_string(&grammar).unwrap();
    let broken = text.replace("\"match\": \"#.*$\"", "\"match\": \"#never-a-comment\"");
    assert_ne!(broken, text);
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("broken.tmLanguage.json");
    std::fs::write(&path, broken).unwrap();
    let (ok, said) = check(Some(&path), &specs[..1]);
    assert!(
        !ok && said.contains("a comment not scoped as one"),
        "{said}"
    );
}

#[test]
fn the_extension_starts_the_server_for_ddd_files() {
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("editors/vscode/package.json")).unwrap(),
    )
    .unwrap();
    let grammar = &manifest["contributes"]["grammars"][0];
    assert_eq!(grammar["scopeName"], "source.ddd");
    assert!(common::root()
        .join("editors/vscode")
        .join(grammar["path"].as_str().unwrap())
        .is_file());
    assert_eq!(
        manifest["contributes"]["languages"][0]["extensions"][0],
        ".ddd"
    );
    let extension =
        std::fs::read_to_string(common::root().join("editors/vscode/extension.js")).unwrap();
    assert!(extension.contains("args: ['lsp']"), "{extension}");
}
