//! Accounts, roles, server-side sessions and the hash-chained audit trail.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(UserAccount::Table)
                    .col(pk_auto(UserAccount::Id))
                    .col(string_uniq(UserAccount::Username))
                    .col(string(UserAccount::DisplayName))
                    .col(string(UserAccount::Email))
                    .col(integer(UserAccount::OrganisationId))
                    .col(string_null(UserAccount::PasswordHash))
                    .col(boolean(UserAccount::Active))
                    .col(boolean(UserAccount::SecondFactorRequired))
                    .col(string(UserAccount::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserAccount::Table, UserAccount::OrganisationId)
                            .to(Organisation::Table, Organisation::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(UserRole::Table)
                    .col(integer(UserRole::UserId))
                    .col(string(UserRole::Role))
                    .primary_key(Index::create().col(UserRole::UserId).col(UserRole::Role))
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserRole::Table, UserRole::UserId)
                            .to(UserAccount::Table, UserAccount::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        // tower-sessions records; `user_id` lets deactivation end every session of a user.
        manager
            .create_table(
                Table::create()
                    .table(Session::Table)
                    .col(string(Session::Id).primary_key())
                    .col(text(Session::Data))
                    .col(big_integer(Session::ExpiresAt))
                    .col(integer_null(Session::UserId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_session_user")
                    .table(Session::Table)
                    .col(Session::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_session_expires_at")
                    .table(Session::Table)
                    .col(Session::ExpiresAt)
                    .to_owned(),
            )
            .await?;

        // Append-only. Times are stored as fixed-format UTC text so that the hashed value reads
        // back identically from SQLite and PostgreSQL.
        manager
            .create_table(
                Table::create()
                    .table(AuditEvent::Table)
                    .col(big_pk_auto(AuditEvent::Id))
                    .col(string(AuditEvent::OccurredAt))
                    .col(integer_null(AuditEvent::ActorUserId))
                    .col(string(AuditEvent::ActorName))
                    .col(integer_null(AuditEvent::OrganisationId))
                    .col(string(AuditEvent::Action))
                    .col(string(AuditEvent::ObjectType))
                    .col(string(AuditEvent::ObjectId))
                    .col(string(AuditEvent::Result))
                    .col(string(AuditEvent::ClientAddress))
                    .col(text(AuditEvent::Detail))
                    .col(string(AuditEvent::PreviousHash))
                    .col(string(AuditEvent::Hash))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_event_occurred_at")
                    .table(AuditEvent::Table)
                    .col(AuditEvent::OccurredAt)
                    .to_owned(),
            )
            .await?;

        // The chain's head (count and last hash), updated with every event, so that removing
        // the newest rows is detected too. Its row is also the lock that orders appends.
        let mut head = Query::insert();
        head.into_table(AppMeta::Table)
            .columns([AppMeta::Key, AppMeta::Value])
            .values_panic(["audit_head".into(), format!("0:{}", "0".repeat(64)).into()]);
        manager.exec_stmt(head).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditEvent::Table.into_iden(),
            Session::Table.into_iden(),
            UserRole::Table.into_iden(),
            UserAccount::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum AppMeta {
    Table,
    Key,
    Value,
}

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum UserAccount {
    Table,
    Id,
    Username,
    DisplayName,
    Email,
    OrganisationId,
    PasswordHash,
    Active,
    SecondFactorRequired,
    CreatedAt,
}

#[derive(DeriveIden)]
enum UserRole {
    Table,
    UserId,
    Role,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    Id,
    Data,
    ExpiresAt,
    UserId,
}

#[derive(DeriveIden)]
enum AuditEvent {
    Table,
    Id,
    OccurredAt,
    ActorUserId,
    ActorName,
    OrganisationId,
    Action,
    ObjectType,
    ObjectId,
    Result,
    ClientAddress,
    Detail,
    PreviousHash,
    Hash,
}
