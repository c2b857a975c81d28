//! A fresh database for each test, on the cluster `scripts/test.sh` starts,
//! or in a new SQLite file.

use clinic::generated::runtime::{connect, migrate, PgPool};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The cluster's address, or a failure that says how to get one: these
/// tests never pass without a database.
pub fn cluster_url() -> String {
    std::env::var("ESGEN_TEST_DATABASE_URL").unwrap_or_else(|_| {
        panic!(
            "these tests store events in PostgreSQL and ESGEN_TEST_DATABASE_URL is not set: \
             run them with `bash scripts/test.sh`, which installs PostgreSQL when it is \
             missing and starts a throwaway cluster"
        )
    })
}

/// The URL of a new, empty database with the crate's schema applied.
pub async fn database() -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let url = cluster_url();
    let admin = connect(&url, 1)
        .await
        .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {url}: {e}"));
    let name = format!(
        "clinic_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await
        .expect("a test database");
    admin.close().await;
    let (server, _) = url.rsplit_once('/').expect("a URL ending in /<database>");
    let url = format!("{server}/{name}");
    let pool = pool(&url).await;
    migrate(&pool).await.expect("the schema applies");
    pool.close().await;
    url
}

/// A pool on `url`.
pub async fn pool(url: &str) -> PgPool {
    connect(url, 8).await.expect("a connection")
}

/// The path of a new SQLite file, in a directory of its own, and the
/// directory, which is removed with the file when dropped. The tests that
/// run on both stores use it; the others leave it unused.
#[allow(dead_code)]
pub fn sqlite_file() -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a directory");
    let path = dir.path().join("events.db").display().to_string();
    (path, dir)
}

/// A pool on the SQLite file at `path`, opened as the generated runtime
/// opens it (write-ahead log, a busy timeout), created when missing.
#[allow(dead_code)]
pub async fn sqlite_pool(path: &str) -> accounts::generated::runtime::sqlite::Pool {
    accounts::generated::runtime::sqlite::connect(path, 8)
        .await
        .expect("an SQLite file")
}
