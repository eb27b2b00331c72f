//! The second factor (a TOTP secret and the last time step used, for the one-time rule) and the
//! one-time set-password links administrators issue.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        manager
            .alter_table(
                Table::alter()
                    .table(UserAccount::Table)
                    .add_column(string_null(UserAccount::TotpSecret))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(UserAccount::Table)
                    .add_column(big_integer_null(UserAccount::TotpLastStep))
                    .to_owned(),
            )
            .await?;

        // Only the SHA-256 of a link's token is stored: the table alone opens no account.
        manager
            .create_table(
                Table::create()
                    .table(SetPasswordLink::Table)
                    .col(pk_auto(SetPasswordLink::Id))
                    .col(integer(SetPasswordLink::UserId))
                    .col(string_uniq(SetPasswordLink::TokenHash))
                    .col(integer(SetPasswordLink::IssuedBy))
                    .col(string(SetPasswordLink::IssuedAt))
                    .col(string(SetPasswordLink::ExpiresAt))
                    .col(string_null(SetPasswordLink::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SetPasswordLink::Table, SetPasswordLink::UserId)
                            .to(UserAccount::Table, UserAccount::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_set_password_link_user")
                    .table(SetPasswordLink::Table)
                    .col(SetPasswordLink::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SetPasswordLink::Table).to_owned())
            .await?;
        for column in [UserAccount::TotpLastStep, UserAccount::TotpSecret] {
            manager
                .alter_table(
                    Table::alter()
                        .table(UserAccount::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum UserAccount {
    Table,
    Id,
    TotpSecret,
    TotpLastStep,
}

#[derive(DeriveIden)]
enum SetPasswordLink {
    Table,
    Id,
    UserId,
    TokenHash,
    IssuedBy,
    IssuedAt,
    ExpiresAt,
    UsedAt,
}
