//! The console in a real browser: headless Chromium, driven by
//! `tests/console.py` (`scripts/browser.sh` installs Chromium, its driver
//! and Selenium), opens the console of a service over PostgreSQL, sends
//! commands, sees the rows, the events and a refusal's message appear.
//! The screenshot it takes is kept at `target/console/todos.png`.

mod serve;
mod support;

use serve::{root, script, serve};
use support::database;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_works_in_a_browser() {
    let url = serve(todos::generated::http::postgres::router(database().await)).await;
    let shots = root().join("target/console");
    std::fs::create_dir_all(&shots).expect("a directory for the screenshot");
    let shot = shots.join("todos.png");
    let _ = std::fs::remove_file(&shot);
    let driver = root().join("generated-examples/todos-app/tests/console.py");
    let said = script(
        "browser.sh",
        vec![
            driver.display().to_string(),
            format!("{url}/"),
            shot.display().to_string(),
        ],
    )
    .await;
    assert!(said.contains("the console sent commands"), "{said}");
    let png = std::fs::read(&shot).expect("the screenshot");
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
}
