//! Sign-in throttling counts recent failures in the audit trail, by user name and by address.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_event_actor_action_time")
                    .table(AuditEvent::Table)
                    .col(AuditEvent::ActorName)
                    .col(AuditEvent::Action)
                    .col(AuditEvent::OccurredAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_event_address_action_time")
                    .table(AuditEvent::Table)
                    .col(AuditEvent::ClientAddress)
                    .col(AuditEvent::Action)
                    .col(AuditEvent::OccurredAt)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum AuditEvent {
    Table,
    ActorName,
    Action,
    OccurredAt,
    ClientAddress,
}
