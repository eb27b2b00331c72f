//! API clients: an agency's own system acting for chosen joint ventures of its organisation
//! with chosen scopes (`/admin/api-clients`). Each client has an account of its own
//! (`user_account`, user name `api:…`, no password, no roles) so that the rows it creates name
//! it and the audit trail shows it as the actor. Tokens are stored as a SHA-256 hash next to a
//! public lookup id; two may be valid at once while a token is rotated. A signal reported by
//! an agency's intake system keeps that system's own id, once per reporter.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiClient::Table)
                    .col(pk_auto(ApiClient::Id))
                    .col(string_uniq(ApiClient::Name))
                    .col(integer(ApiClient::OrganisationId))
                    .col(integer_uniq(ApiClient::AccountId))
                    // Scope codes, comma-separated.
                    .col(string(ApiClient::Scopes))
                    // Requests a minute, per instance.
                    .col(integer(ApiClient::RatePerMinute))
                    .col(integer(ApiClient::CreatedBy))
                    .col(string(ApiClient::CreatedAt))
                    .col(string_null(ApiClient::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApiClient::Table, ApiClient::OrganisationId)
                            .to(Organisation::Table, Organisation::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApiClient::Table, ApiClient::AccountId)
                            .to(UserAccount::Table, UserAccount::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ApiClientJointVenture::Table)
                    .col(integer(ApiClientJointVenture::ClientId))
                    .col(integer(ApiClientJointVenture::JointVentureId))
                    .primary_key(
                        Index::create()
                            .col(ApiClientJointVenture::ClientId)
                            .col(ApiClientJointVenture::JointVentureId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                ApiClientJointVenture::Table,
                                ApiClientJointVenture::ClientId,
                            )
                            .to(ApiClient::Table, ApiClient::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                ApiClientJointVenture::Table,
                                ApiClientJointVenture::JointVentureId,
                            )
                            .to(JointVenture::Table, JointVenture::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ApiToken::Table)
                    .col(pk_auto(ApiToken::Id))
                    .col(integer(ApiToken::ClientId))
                    // The public part of the token, to find its row; the secret is only hashed.
                    .col(string_uniq(ApiToken::Lookup))
                    .col(string(ApiToken::SecretHash))
                    .col(string(ApiToken::CreatedAt))
                    .col(string(ApiToken::ExpiresAt))
                    .col(string_null(ApiToken::RevokedAt))
                    .col(string_null(ApiToken::LastUsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApiToken::Table, ApiToken::ClientId)
                            .to(ApiClient::Table, ApiClient::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_api_token_client")
                    .table(ApiToken::Table)
                    .col(ApiToken::ClientId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Signal::Table)
                    .add_column(string_null(Signal::ExternalId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_signal_external_id")
                    .table(Signal::Table)
                    .col(Signal::ReportedBy)
                    .col(Signal::ExternalId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_signal_external_id")
                    .table(Signal::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Signal::Table)
                    .drop_column(Signal::ExternalId)
                    .to_owned(),
            )
            .await?;
        for table in [
            ApiToken::Table.into_iden(),
            ApiClientJointVenture::Table.into_iden(),
            ApiClient::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum ApiClient {
    Table,
    Id,
    Name,
    OrganisationId,
    AccountId,
    Scopes,
    RatePerMinute,
    CreatedBy,
    CreatedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum ApiClientJointVenture {
    Table,
    ClientId,
    JointVentureId,
}

#[derive(DeriveIden)]
enum ApiToken {
    Table,
    Id,
    ClientId,
    Lookup,
    SecretHash,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
    LastUsedAt,
}

#[derive(DeriveIden)]
enum Signal {
    Table,
    ReportedBy,
    ExternalId,
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
}

#[derive(DeriveIden)]
enum JointVenture {
    Table,
    Id,
}
