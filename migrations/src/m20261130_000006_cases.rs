//! Cases: what a joint venture works on. `version` counts saves, for optimistic concurrency.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Case::Table)
                    .col(pk_auto(Case::Id))
                    .col(integer(Case::JointVentureId))
                    .col(string(Case::Reference))
                    .col(string(Case::Title))
                    .col(string(Case::Theme))
                    .col(string(Case::Status))
                    .col(date(Case::StartDate))
                    .col(date_null(Case::EndDate))
                    .col(string(Case::Handling))
                    .col(text(Case::Description))
                    .col(integer(Case::Version))
                    .col(string(Case::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Case::Table, Case::JointVentureId)
                            .to(JointVenture::Table, JointVenture::Id),
                    )
                    .index(
                        Index::create()
                            .unique()
                            .name("idx_case_reference")
                            .col(Case::JointVentureId)
                            .col(Case::Reference),
                    )
                    .to_owned(),
            )
            .await?;
        // The joint ventures a `shared-with` case is shared with.
        manager
            .create_table(
                Table::create()
                    .table(CaseShare::Table)
                    .col(integer(CaseShare::CaseId))
                    .col(integer(CaseShare::JointVentureId))
                    .primary_key(
                        Index::create()
                            .col(CaseShare::CaseId)
                            .col(CaseShare::JointVentureId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CaseShare::Table, CaseShare::CaseId)
                            .to(Case::Table, Case::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CaseShare::Table, CaseShare::JointVentureId)
                            .to(JointVenture::Table, JointVenture::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CaseShare::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Case::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Case {
    Table,
    Id,
    JointVentureId,
    Reference,
    Title,
    Theme,
    Status,
    StartDate,
    EndDate,
    Handling,
    Description,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CaseShare {
    Table,
    CaseId,
    JointVentureId,
}

#[derive(DeriveIden)]
enum JointVenture {
    Table,
    Id,
}
