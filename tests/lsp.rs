//! `esgen lsp` driven as an editor drives it: JSON-RPC over the
//! process's stdin and stdout.

mod common;

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

struct Server {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
    next: i64,
}

impl Server {
    fn start(dir: &std::path::Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_esgen"))
            .arg("lsp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("esgen lsp starts");
        let input = child.stdin.take().unwrap();
        let output = BufReader::new(child.stdout.take().unwrap());
        Server {
            child,
            input,
            output,
            next: 0,
        }
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.input, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.input.flush().unwrap();
    }

    fn receive(&mut self) -> Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            self.output.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = n.parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        self.output.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    /// A request, and its response (notifications before it are skipped).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = self.next;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.receive();
            if message["id"] == json!(id) {
                return message;
            }
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next `publishDiagnostics` notification.
    fn diagnostics(&mut self) -> Value {
        loop {
            let message = self.receive();
            if message["method"] == "textDocument/publishDiagnostics" {
                return message["params"].clone();
            }
        }
    }
}

const BROKEN: &str = "Model: Todos\nEntity: Todo [id text]\nTerms:\n  - text: txt\nQueries:\n  - get-todo [id]\nActions:\n  - create-new [id text] accepted as created [id text]\n";

#[test]
fn an_editor_sees_diagnostics_formats_and_lists_symbols() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("todos.ddd");
    let uri = format!("file://{}", path.display());
    let mut server = Server::start(tmp.path());
    let init = server.request("initialize", json!({"capabilities": {}, "processId": null}));
    let capabilities = &init["result"]["capabilities"];
    assert_eq!(
        capabilities["documentFormattingProvider"],
        json!(true),
        "{init}"
    );
    assert_eq!(capabilities["documentSymbolProvider"], json!(true));
    server.notify("initialized", json!({}));

    // Opened with a typo: E0110 where `esgen check` puts it, with its help.
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "ddd", "version": 1, "text": BROKEN}}),
    );
    let published = server.diagnostics();
    let found = published["diagnostics"].as_array().unwrap();
    assert_eq!(found.len(), 1, "{published}");
    assert_eq!(found[0]["code"], "E0110");
    assert_eq!(found[0]["severity"], 1);
    assert_eq!(
        found[0]["range"],
        json!({"start": {"line": 3, "character": 10}, "end": {"line": 3, "character": 13}})
    );
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("help: did you mean `text`?"),
        "{published}"
    );

    // Fixed as the user types: no diagnostics left.
    let fixed = BROKEN.replace("txt", "text");
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    let published = server.diagnostics();
    assert_eq!(published["diagnostics"], json!([]), "{published}");

    // Formatting: one edit of the whole document, as `esgen fmt` lays it out.
    let messy = fixed.replace("  - text: text", "*   text:   text");
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": messy}]}),
    );
    server.diagnostics();
    let formatted = server.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let edits = formatted["result"].as_array().expect("edits");
    assert_eq!(edits.len(), 1, "{formatted}");
    assert_eq!(edits[0]["newText"], json!(fixed));

    // A scenario that does not hold: E0138 at its step, as the user types.
    let todos = std::fs::read_to_string(common_spec("todos")).unwrap();
    let wrong = todos.replacen(
        "    and all-todos is [t1]\n    and open-count is 1",
        "    and all-todos is [t1, t2]\n    and open-count is 1",
        1,
    );
    assert_ne!(wrong, todos);
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"text": wrong}]}),
    );
    let published = server.diagnostics();
    let found = published["diagnostics"].as_array().unwrap();
    assert_eq!(found.len(), 1, "{published}");
    assert_eq!(found[0]["code"], "E0138");
    let line = wrong
        .lines()
        .position(|l| l == "    and all-todos is [t1, t2]")
        .unwrap();
    assert_eq!(found[0]["range"]["start"]["line"], line, "{published}");
    let message = found[0]["message"].as_str().unwrap();
    assert!(
        message.contains("expected: all-todos is [t1, t2]")
            && message.contains("happened: all-todos is [t1]"),
        "{published}"
    );
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 5}, "contentChanges": [{"text": fixed}]}),
    );
    server.diagnostics();

    // Symbols: the model, with its entity, query and action.
    let symbols = server.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let model = &symbols["result"][0];
    assert_eq!(model["name"], "Todos", "{symbols}");
    let children: Vec<&str> = model["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(children, ["Todo", "get-todo", "create-new"]);

    let unknown = server.request("textDocument/rename", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");

    let shutdown = server.request("shutdown", Value::Null);
    assert_eq!(shutdown["result"], Value::Null);
    server.notify("exit", Value::Null);
    let status = server.child.wait().unwrap();
    assert!(status.success());
}

/// The position of the `n`th occurrence of `word` in `text` (0-based), as
/// LSP counts (line, UTF-16 column; ASCII here).
fn at(text: &str, word: &str, n: usize) -> Value {
    let offset = text.match_indices(word).nth(n).expect("the word").0;
    let line = text[..offset].matches('\n').count();
    let column = offset - text[..offset].rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": column + 1})
}

#[test]
fn hover_definitions_references_completion_and_quick_fixes() {
    let tmp = tempfile::tempdir().unwrap();
    let clinic = std::fs::read_to_string(common::root().join("specs/clinic.ddd")).unwrap();
    let path = tmp.path().join("clinic.ddd");
    let uri = format!("file://{}", path.display());
    let mut server = Server::start(tmp.path());
    server.request("initialize", json!({"capabilities": {}}));
    server.notify("initialized", json!({}));
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "ddd", "version": 1, "text": clinic}}),
    );
    assert_eq!(server.diagnostics()["diagnostics"], json!([]));
    let doc = json!({"uri": uri});

    // Hover: a term's type and where it came from; an action's rules.
    let hovered = server.request(
        "textDocument/hover",
        json!({"textDocument": doc, "position": at(&clinic, "capacity of Doctor", 0)}),
    );
    let shown = hovered["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(shown.starts_with("**capacity**: `integer`"), "{hovered}");
    assert!(shown.contains("declared under `Terms:`"), "{shown}");
    let hovered = server.request(
        "textDocument/hover",
        json!({"textDocument": doc, "position": at(&clinic, "book [id doctor-id", 0)}),
    );
    let shown = hovered["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(shown.contains("book/unless-has-doctor"), "{hovered}");

    // Go to definition: a query used in a guard, to its declaration.
    let found = server.request(
        "textDocument/definition",
        json!({"textDocument": doc, "position": at(&clinic, "has-doctor? [doctor-id]:", 0)}),
    );
    let declared = at(&clinic, "has-doctor? [doctor-id]", 0);
    assert_eq!(
        found["result"]["range"]["start"]["line"], declared["line"],
        "{found}"
    );

    // References: every use of a term in its model, none in strings.
    let used = server.request(
        "textDocument/references",
        json!({"textDocument": doc, "position": at(&clinic, "booked-count", 0), "context": {"includeDeclaration": true}}),
    );
    let lines: Vec<u64> = used["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["range"]["start"]["line"].as_u64().unwrap())
        .collect();
    let expected = clinic
        .lines()
        .filter(|l| {
            l.split('#')
                .next()
                .unwrap_or_default()
                .contains("booked-count")
        })
        .count();
    assert_eq!(lines.len(), expected, "{used}");

    // Completion: under an action, the clause words; elsewhere, names.
    let mut typing = clinic.clone();
    typing.push_str("    \n");
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": typing}]}),
    );
    server.diagnostics();
    let line = typing.lines().count() - 1;
    let offered = server.request(
        "textDocument/completion",
        json!({"textDocument": doc, "position": {"line": line, "character": 4}}),
    );
    let labels: Vec<&str> = offered["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    for label in [
        "rejected if ",
        "given ",
        "capacity",
        "has-doctor?",
        "checked-in",
        "book",
    ] {
        assert!(labels.contains(&label), "{label} in {labels:?}");
    }

    // In `Evolution:`, its words and the steps the events may take.
    let mut evolving = clinic.clone();
    evolving.push_str("\nEvolution:\n  - \n");
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": evolving}]}),
    );
    server.diagnostics();
    let line = evolving.lines().count() - 1;
    let offered = server.request(
        "textDocument/completion",
        json!({"textDocument": doc, "position": {"line": line, "character": 4}}),
    );
    let labels: Vec<&str> = offered["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    for label in ["retired ", "reserved ", "migrate by ", "booked -> "] {
        assert!(labels.contains(&label), "{label} in {labels:?}");
    }

    // Quick fixes: the suggested name, and a term declared.
    let typo = clinic.replace("  - capacity: integer", "  - capacity: integr");
    let undeclared = typo.replace(
        "[id doctor-id patient slot fee] accepted as booked",
        "[id doctor-id patient slot fee room] accepted as booked",
    );
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"text": undeclared}]}),
    );
    let published = server.diagnostics();
    let diagnostics = published["diagnostics"].as_array().unwrap().clone();
    let fixes = server.request(
        "textDocument/codeAction",
        json!({"textDocument": doc, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": diagnostics}}),
    );
    let titles: Vec<&str> = fixes["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"Replace with `integer`"), "{fixes}");
    let declare = fixes["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Declare `room` under `Terms:`")
        .unwrap_or_else(|| panic!("{fixes}"));
    let edit = &declare["edit"]["changes"][&uri][0];
    assert_eq!(edit["newText"], "  - room: text\n");
    assert_eq!(
        edit["range"]["start"]["line"],
        at(&clinic, "Terms:", 0)["line"].as_u64().unwrap() + 1
    );

    server.request("shutdown", Value::Null);
    server.notify("exit", Value::Null);
    assert!(server.child.wait().unwrap().success());
}

#[test]
fn every_spec_gets_diagnostics_hover_completion_definitions_and_formatting() {
    let tmp = tempfile::tempdir().unwrap();
    let mut server = Server::start(tmp.path());
    server.request("initialize", json!({"capabilities": {}}));
    server.notify("initialized", json!({}));
    for (n, path) in common::specs().into_iter().enumerate() {
        let text = std::fs::read_to_string(common::root().join(&path)).unwrap();
        // Beside its lock, as `esgen check` reads it.
        let uri = format!("file://{}", common::root().join(&path).display());
        server.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "ddd", "version": n, "text": text}}),
        );
        let published = server.diagnostics();
        let source = esgen::read_spec(&common::root().join(&path)).unwrap();
        let (_, expected) = esgen::check(&source);
        let codes: Vec<&str> = published["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap())
            .collect();
        assert_eq!(
            codes,
            expected.iter().map(|d| d.code).collect::<Vec<_>>(),
            "{}",
            path.display()
        );
        let doc = json!({"uri": uri});
        // The first action's name: hover, definition, completion.
        let spec = source.text.as_str();
        let action = spec
            .lines()
            .find_map(|l| {
                l.trim()
                    .strip_prefix("- ")
                    .filter(|r| r.contains(" accepted as "))
            })
            .and_then(|r| r.split(' ').next())
            .expect("an action");
        let position = at(spec, &format!("- {action} "), 0);
        let position = json!({"line": position["line"], "character": position["character"].as_u64().unwrap() + 2});
        let hovered = server.request(
            "textDocument/hover",
            json!({"textDocument": doc, "position": position}),
        );
        let shown = hovered["result"]["contents"]["value"]
            .as_str()
            .unwrap_or_default();
        assert!(shown.contains(action), "{}: {hovered}", path.display());
        let found = server.request(
            "textDocument/definition",
            json!({"textDocument": doc, "position": position}),
        );
        assert_eq!(
            found["result"]["range"]["start"]["line"],
            position["line"],
            "{}",
            path.display()
        );
        let offered = server.request(
            "textDocument/completion",
            json!({"textDocument": doc, "position": {"line": 0, "character": 0}}),
        );
        assert!(!offered["result"].as_array().unwrap().is_empty());
        let formatted = server.request(
            "textDocument/formatting",
            json!({"textDocument": doc, "options": {"tabSize": 2, "insertSpaces": true}}),
        );
        assert_eq!(
            formatted["result"],
            json!([]),
            "{} is formatted",
            path.display()
        );
    }
    server.request("shutdown", Value::Null);
    server.notify("exit", Value::Null);
    assert!(server.child.wait().unwrap().success());
}

/// A spec of the repository's `specs/`.
fn common_spec(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("specs")
        .join(format!("{name}.ddd"))
}
