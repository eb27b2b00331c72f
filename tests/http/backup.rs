//! Issue 21, backup and restore: `liaison-server backup` copies the database while it is in
//! use; the copy, restored, holds the same rows and an audit chain that verifies.

use liaison_app::server::audit::{Verification, verify};
use liaison_app::server::entity::{audit_event, case, subject};
use liaison_tests::{Backend, backend, spawn_app};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, EntityTrait, PaginatorTrait};

async fn counts(db: &DatabaseConnection) -> (u64, u64, u64) {
    (
        case::Entity::find().count(db).await.expect("count"),
        subject::Entity::find().count(db).await.expect("count"),
        audit_event::Entity::find().count(db).await.expect("count"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_restores_to_the_same_rows_and_an_intact_audit_chain() {
    let app = spawn_app().await;
    // Some audited work first, so the chain is more than the demo's.
    let north = app
        .sign_in("coordinator-north", liaison_server::demo::DEMO_PASSWORD)
        .await;
    let listed = app.call_with("/api/cases", "", Some(&north)).await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    let before = counts(&app.db).await;
    assert!(before.0 > 0 && before.1 > 0 && before.2 > 0, "{before:?}");

    let dir = tempfile::tempdir().expect("a folder");
    let file = dir.path().join("liaison.backup");
    let written = liaison_server::backup::backup(&app.database.url, &file)
        .await
        .expect("the backup");
    // A second backup to the same file is refused, and leaves the first alone.
    let again = liaison_server::backup::backup(&app.database.url, &file).await;
    assert!(again.is_err(), "an existing file is not overwritten");

    let (restored, restore_db) = match backend() {
        Backend::Sqlite => {
            assert_eq!(written, liaison_server::backup::Written::Sqlite);
            let copy = Database::connect(format!("sqlite://{}?mode=ro", file.display()))
                .await
                .expect("the copy opens");
            (copy, None)
        }
        Backend::Postgres => {
            assert_eq!(written, liaison_server::backup::Written::PgDump);
            let (server, _) = app.database.url.rsplit_once('/').expect("a database name");
            let name = format!("liaison_restore_{}", std::process::id());
            let admin = Database::connect(format!("{server}/postgres"))
                .await
                .expect("PostgreSQL");
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await
                .expect("drop");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create");
            let target = format!("{server}/{name}");
            let status = std::process::Command::new("pg_restore")
                .args(["--no-owner", "--exit-on-error", "--dbname", &target])
                .arg(&file)
                .status()
                .expect("pg_restore runs");
            assert!(status.success(), "pg_restore: {status}");
            let copy = Database::connect(target).await.expect("the restore opens");
            (copy, Some((admin, name)))
        }
    };
    assert_eq!(counts(&restored).await, before);
    match verify(&restored).await.expect("verify") {
        Verification::Intact { events, .. } => assert_eq!(events, before.2),
        broken => panic!("the restored chain is broken: {broken:?}"),
    }
    if let Some((admin, name)) = restore_db {
        restored.close().await.expect("closed");
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await
            .expect("the restore dropped");
    }
}
