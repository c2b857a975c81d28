//! A service listening on 127.0.0.1, in the test's process, for tools
//! that speak HTTP from outside it (Schemathesis, a browser).

#![allow(dead_code)]

use axum::Router;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Serves `app` on a free port of 127.0.0.1 until the test ends; returns
/// its base URL.
pub async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let address = listener.local_addr().expect("an address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

/// The repository's root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `bash scripts/<script> args…` from the root, on a thread of its own
/// so that the service goes on answering; panics with its output unless it
/// succeeds, and returns its standard output.
pub async fn script(script: &str, args: Vec<String>) -> String {
    let script = script.to_string();
    let output = tokio::task::spawn_blocking(move || {
        Command::new("bash")
            .arg(root().join("scripts").join(&script))
            .args(&args)
            .current_dir(root())
            .output()
            .expect("bash runs")
    })
    .await
    .expect("the script's thread");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    stdout
}
