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

    let unknown = server.request("textDocument/hover", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");

    let shutdown = server.request("shutdown", Value::Null);
    assert_eq!(shutdown["result"], Value::Null);
    server.notify("exit", Value::Null);
    let status = server.child.wait().unwrap();
    assert!(status.success());
}
