//! Serves the todos over HTTP: its API, OpenAPI document and console.
//!
//! ```text
//! DATABASE_URL=postgres://… cargo run -p todos-app
//! ```
//!
//! `ESGEN_ADDRESS` says where to listen (`127.0.0.1:3000` unless set: this
//! machine only); `ESGEN_TOKEN`, when set, is the bearer token commands
//! need. Prints the console's address once it listens.

use todos::generated::runtime::{connect, migrate};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("DATABASE_URL")
        .map_err(|_| "DATABASE_URL is not set: give the address of a PostgreSQL database (postgres://user:password@host/database)")?;
    let pool = connect(&url, 8).await?;
    migrate(&pool).await?;
    let address = std::env::var("ESGEN_ADDRESS").unwrap_or_else(|_| "127.0.0.1:3000".to_string());
    let listener = tokio::net::TcpListener::bind(&address).await?;
    println!("console: http://{}/", listener.local_addr()?);
    let app = todos_app::app(pool, std::env::var("ESGEN_TOKEN").ok());
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
