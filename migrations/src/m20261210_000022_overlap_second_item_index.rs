//! An overlap is found by either of its items: the unique index leads with the first item, so
//! looking one up by its second item (a subject removed, a held-back match checked) walked every
//! overlap of its kind. This index serves the second side.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_overlap_second_item")
                    .table(Overlap::Table)
                    .col(Overlap::Kind)
                    .col(Overlap::SecondItemId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_overlap_second_item")
                    .table(Overlap::Table)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Overlap {
    Table,
    Kind,
    SecondItemId,
}
