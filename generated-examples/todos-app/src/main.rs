//! Serves the todos over HTTP: its API, OpenAPI document and console.
//!
//! ```text
//! cargo run -p todos-app                                  # events in ./todos.db (SQLite)
//! DATABASE_URL=postgres://… cargo run -p todos-app        # events in PostgreSQL
//! ```
//!
//! `ESGEN_ADDRESS` says where to listen (`127.0.0.1:3000` unless set: this
//! machine only); `ESGEN_TOKEN`, when set, is the bearer token commands
//! need. Prints the console's address once it listens.

use todos_app::{app, DEFAULT_DATABASE};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE.to_string());
    let service = todos::generated::http::open(&url).await?;
    let address = std::env::var("ESGEN_ADDRESS").unwrap_or_else(|_| "127.0.0.1:3000".to_string());
    let listener = tokio::net::TcpListener::bind(&address).await?;
    let store = url.split('@').next_back().unwrap_or(&url);
    println!(
        "console: http://{}/ (events in {store})",
        listener.local_addr()?
    );
    let app = app(service, std::env::var("ESGEN_TOKEN").ok());
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
