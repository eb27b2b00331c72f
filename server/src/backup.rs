//! `liaison-server backup --to FILE`: a consistent copy of the database while the portal runs.
//! SQLite: `VACUUM INTO`, an online copy as of one transaction, itself a database to open.
//! PostgreSQL: `pg_dump --format=custom` (the PostgreSQL client must be installed), restored
//! with `pg_restore --no-owner --dbname=…` into an empty database. Either way the audit chain
//! is what tells a good restore: `liaison-server verify-audit` on it.

use anyhow::{Context, bail};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use std::path::Path;

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// An SQLite database file.
    Sqlite,
    /// A `pg_dump` archive in the custom format.
    PgDump,
}

/// Copies the database at `database_url` to `to`, which must not exist yet.
pub async fn backup(database_url: &str, to: &Path) -> anyhow::Result<Written> {
    if to.exists() {
        bail!("{} exists already; choose a new file", to.display());
    }
    let text = to
        .to_str()
        .context("the backup file's name is not valid UTF-8")?
        .to_owned();
    if database_url.starts_with("postgres") {
        let url = database_url.to_owned();
        let status = tokio::task::spawn_blocking(move || {
            std::process::Command::new("pg_dump")
                .args(["--format=custom", "--no-owner", "--file", &text, &url])
                .status()
        })
        .await?
        .context("could not run pg_dump (install the PostgreSQL client)")?;
        if !status.success() {
            bail!("pg_dump failed ({status})");
        }
        return Ok(Written::PgDump);
    }
    let db = crate::db::connect(database_url).await?;
    if db.get_database_backend() != DbBackend::Sqlite {
        bail!("only SQLite and PostgreSQL databases can be backed up");
    }
    // One statement, one read transaction: the copy is the database as of its start, while
    // other connections go on writing (WAL).
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "VACUUM INTO ?",
        [text.into()],
    ))
    .await
    .context("could not copy the SQLite database")?;
    Ok(Written::Sqlite)
}
