//! The shop's policies at work: a runner that follows every policy of
//! `specs/shop.ddd` over a database, acting on each event once it is
//! stored, and resuming where it stopped when it is run again.
//!
//! ```text
//! shop-app [database-url]
//! ```
//!
//! The URL is `postgres://…`, or an SQLite file (`sqlite://shop.db`, the
//! default). The tables are created when missing. A database error stops
//! a round of the runner; it says so on standard error and, a second
//! later, starts another from the checkpoints.

use shop::generated::policies::Policy;
use shop::generated::runtime::{postgres, sqlite};
use shop::notifications::Notifier;
use std::time::Duration;

#[tokio::main]
async fn main() {
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "sqlite://shop.db".to_string());
    if let Err(error) = serve(&url).await {
        eprintln!("shop-app: {error}");
        std::process::exit(1);
    }
}

/// Runs the policies over the database at `url` for ever.
async fn serve(url: &str) -> Result<(), Box<dyn std::error::Error>> {
    let names: Vec<&str> = Policy::ALL.iter().map(|p| p.name()).collect();
    eprintln!("shop-app: following {} over {url}", names.join(", "));
    if url.starts_with("postgres") {
        let pool = postgres::connect(url, 4).await?;
        postgres::migrate(&pool).await?;
        let policies =
            shop::generated::policies::postgres::Policies::new(pool, Notifier::default());
        loop {
            let Err(error) = policies.run().await;
            eprintln!("shop-app: {error}; again in a second");
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
    let pool = sqlite::connect(url, 4).await?;
    sqlite::migrate(&pool).await?;
    let policies = shop::generated::policies::sqlite::Policies::new(pool, Notifier::default());
    loop {
        let Err(error) = policies.run().await;
        eprintln!("shop-app: {error}; again in a second");
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
