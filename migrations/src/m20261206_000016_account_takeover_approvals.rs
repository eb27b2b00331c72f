//! Taking over an account (resetting its second factor, or a set-password link for an account
//! that has a password) is a request one administrator makes and a different one decides.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TakeoverApproval::Table)
                    .col(pk_auto(TakeoverApproval::Id))
                    .col(integer(TakeoverApproval::UserId))
                    .col(string(TakeoverApproval::Kind))
                    .col(integer(TakeoverApproval::RequestedBy))
                    .col(string(TakeoverApproval::RequestedAt))
                    .col(string(TakeoverApproval::ExpiresAt))
                    .col(string_null(TakeoverApproval::Decision))
                    .col(integer_null(TakeoverApproval::DecidedBy))
                    .col(string_null(TakeoverApproval::DecidedAt))
                    .col(text_null(TakeoverApproval::Reason))
                    .foreign_key(
                        ForeignKey::create()
                            .from(TakeoverApproval::Table, TakeoverApproval::UserId)
                            .to(UserAccount::Table, UserAccount::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_takeover_approval_user")
                    .table(TakeoverApproval::Table)
                    .col(TakeoverApproval::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TakeoverApproval::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum UserAccount {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum TakeoverApproval {
    Table,
    Id,
    UserId,
    Kind,
    RequestedBy,
    RequestedAt,
    ExpiresAt,
    Decision,
    DecidedBy,
    DecidedAt,
    Reason,
}
