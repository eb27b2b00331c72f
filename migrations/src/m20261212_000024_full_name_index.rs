//! A person's full name (family and given names together) is counted at every save, since two
//! equal names weigh at most what the full name's own frequency says: an index on both keys,
//! which also serves what the family-name index served (its leading column), so that one goes.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_subject_full_name")
                    .table(Subject::Table)
                    .col(Subject::FamilyKey)
                    .col(Subject::GivenKey)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_subject_family_key")
                    .table(Subject::Table)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_subject_family_key")
                    .table(Subject::Table)
                    .col(Subject::FamilyKey)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_subject_full_name")
                    .table(Subject::Table)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Subject {
    Table,
    FamilyKey,
    GivenKey,
}
