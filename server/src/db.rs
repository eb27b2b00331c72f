//! Opening the database and bringing its schema up to date.

use anyhow::Context;
use liaison_migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend};
use std::{path::Path, time::Duration};

/// How long an SQLite writer waits for another to finish: longer than any one write
/// transaction of Liaison's (the re-scan writes in batches).
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Connects, creating an SQLite file (and its folder) on first use, and applies all migrations.
pub async fn connect(database_url: &str) -> anyhow::Result<DatabaseConnection> {
    let url = prepare_sqlite(database_url)?;
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(10)
        .connect_timeout(Duration::from_secs(10))
        // While the database is unreachable (a restart, a fail-over) a request waits this long
        // for a connection and is then answered 503 with Retry-After; the pool reconnects by
        // itself once the database is back.
        .acquire_timeout(Duration::from_secs(5))
        .sqlx_logging(false)
        // One writer at a time on SQLite: a writer waits this long for its turn rather than
        // failing with "database is locked" (write transactions begin IMMEDIATE, see
        // `liaison_app::server::begin_write`, so the wait is taken at their start).
        .map_sqlx_sqlite_opts(|options| options.busy_timeout(SQLITE_BUSY_TIMEOUT));
    let db = Database::connect(options)
        .await
        .with_context(|| format!("could not open the database {}", describe(database_url)))?;
    if db.get_database_backend() == DbBackend::Sqlite {
        // WAL lets readers go on while one connection writes; it is a property of the file.
        // (sqlx turns foreign keys on for every connection itself.)
        db.execute_unprepared("PRAGMA journal_mode=WAL")
            .await
            .context("could not configure SQLite")?;
    }
    // Several instances starting at once on one PostgreSQL: one migrates, the others wait.
    let lock = start_lock(database_url).await?;
    let migrated = Migrator::up(&db, None)
        .await
        .context("could not apply the database migrations");
    release_start_lock(lock).await;
    migrated?;
    Ok(db)
}

/// An arbitrary constant of Liaison's for the start-up lock ("LIAISON1" in ASCII).
const START_LOCK: i64 = 0x4c49_4149_534f_4e31;

/// On PostgreSQL, waits for and takes the start-up lock: a session-level advisory lock on a
/// connection of its own, so that of several instances starting together one at a time
/// migrates the schema or loads the demo data. The lock goes with the connection, also when
/// the process dies. SQLite has one instance and needs none (`None`).
pub async fn start_lock(database_url: &str) -> anyhow::Result<Option<DatabaseConnection>> {
    if !database_url.starts_with("postgres") {
        return Ok(None);
    }
    let mut options = ConnectOptions::new(database_url.to_owned());
    options
        .max_connections(1)
        .min_connections(0)
        .connect_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    let conn = Database::connect(options)
        .await
        .with_context(|| format!("could not open the database {}", describe(database_url)))?;
    conn.execute_unprepared(&format!("SELECT pg_advisory_lock({START_LOCK})"))
        .await
        .context("could not take the start-up lock")?;
    Ok(Some(conn))
}

/// Releases what [`start_lock`] took (closing its connection would too).
pub async fn release_start_lock(lock: Option<DatabaseConnection>) {
    if let Some(conn) = lock {
        let _ = conn
            .execute_unprepared(&format!("SELECT pg_advisory_unlock({START_LOCK})"))
            .await;
        let _ = conn.close().await;
    }
}

/// `sqlite://data/liaison.db` → creates `data/` and asks SQLite to create the file.
fn prepare_sqlite(database_url: &str) -> anyhow::Result<String> {
    let Some(rest) = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
    else {
        return Ok(database_url.to_owned());
    };
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path != ":memory:"
        && let Some(parent) = Path::new(path)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("could not create the folder {}", parent.display()))?;
    }
    if query.split('&').any(|p| p.starts_with("mode=")) {
        Ok(database_url.to_owned())
    } else if query.is_empty() {
        Ok(format!("{database_url}?mode=rwc"))
    } else {
        Ok(format!("{database_url}&mode=rwc"))
    }
}

/// The database for messages and logs, without a password.
pub fn describe(database_url: &str) -> String {
    match database_url.split_once("://") {
        Some((scheme, rest)) if scheme.starts_with("postgres") => {
            let host = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
            format!("{scheme}://{host}")
        }
        _ => database_url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_postgres_password_is_never_described() {
        assert_eq!(
            describe("postgres://liaison:s3cret@db.internal:5432/liaison"),
            "postgres://db.internal:5432/liaison"
        );
    }

    #[test]
    fn sqlite_is_asked_to_create_a_missing_file() {
        let dir = std::env::temp_dir().join(format!("liaison-db-test-{}", std::process::id()));
        let url = format!("sqlite://{}/sub/liaison.db", dir.display());
        assert_eq!(
            prepare_sqlite(&url).expect("prepared"),
            format!("{url}?mode=rwc")
        );
        assert!(dir.join("sub").is_dir());
        let with_mode = format!("{url}?mode=ro");
        assert_eq!(prepare_sqlite(&with_mode).expect("prepared"), with_mode);
        std::fs::remove_dir_all(dir).expect("cleaned up");
    }
}
