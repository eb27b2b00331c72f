//! Why and on what legal ground each side of an overlap agreed to disclose: the purpose (a
//! listed one, with a note) and the legal basis its organisation provides data on. Consents
//! given before this migration have no row; the overlap page says so.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DisclosureGrounds::Table)
                    .col(integer(DisclosureGrounds::OverlapId))
                    // The side (1 or 2) that agreed.
                    .col(integer(DisclosureGrounds::Side))
                    // A `DisclosurePurpose` code.
                    .col(string(DisclosureGrounds::Purpose))
                    .col(text(DisclosureGrounds::PurposeNote))
                    // A `LegalBasis` code.
                    .col(string(DisclosureGrounds::LegalBasis))
                    .col(integer_null(DisclosureGrounds::GivenBy))
                    .col(string(DisclosureGrounds::GivenAt))
                    .primary_key(
                        Index::create()
                            .col(DisclosureGrounds::OverlapId)
                            .col(DisclosureGrounds::Side),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(DisclosureGrounds::Table, DisclosureGrounds::OverlapId)
                            .to(Overlap::Table, Overlap::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(DisclosureGrounds::Table, DisclosureGrounds::GivenBy)
                            .to(UserAccount::Table, UserAccount::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DisclosureGrounds::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum DisclosureGrounds {
    Table,
    OverlapId,
    Side,
    Purpose,
    PurposeNote,
    LegalBasis,
    GivenBy,
    GivenAt,
}

#[derive(DeriveIden)]
enum Overlap {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum UserAccount {
    Table,
    Id,
}
