//! The ministry's summary is counted per quarter and theme and kept as a snapshot, so that the
//! page answers at once; the page says when it was counted. Indexes let the reports select by
//! date and theme.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SummarySnapshot::Table)
                    .col(pk_auto(SummarySnapshot::Id))
                    // `2026-Q3/trafficking`.
                    .col(string_uniq(SummarySnapshot::Key))
                    .col(string(SummarySnapshot::ComputedAt))
                    // The published summary as JSON: counts after disclosure control only.
                    .col(text(SummarySnapshot::Body))
                    .to_owned(),
            )
            .await?;
        for (name, table, column) in [
            (
                "idx_overlap_created_at",
                Overlap::Table.into_iden(),
                Overlap::CreatedAt.into_iden(),
            ),
            (
                "idx_signal_created_at",
                Signal::Table.into_iden(),
                Signal::CreatedAt.into_iden(),
            ),
            (
                "idx_case_theme",
                Case::Table.into_iden(),
                Case::Theme.into_iden(),
            ),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in [
            ("idx_overlap_created_at", Overlap::Table.into_iden()),
            ("idx_signal_created_at", Signal::Table.into_iden()),
            ("idx_case_theme", Case::Table.into_iden()),
        ] {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        manager
            .drop_table(Table::drop().table(SummarySnapshot::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SummarySnapshot {
    Table,
    Id,
    Key,
    ComputedAt,
    Body,
}

#[derive(DeriveIden)]
enum Overlap {
    Table,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Signal {
    Table,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Case {
    Table,
    Theme,
}
