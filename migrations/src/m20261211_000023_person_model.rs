//! The person model (issue 19): the stored parameters with the day they were estimated, the
//! indexes that count how common a name, a date of birth or a nationality is among the stored
//! persons (term frequencies), and blocking under several rules. The old blocking keys are
//! removed: the server sees subjects without keys at start-up and re-scans, which files every
//! subject under the new rules (as the pair-key change did).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [(&str, Subject); 4] = [
    ("idx_subject_family_key", Subject::FamilyKey),
    ("idx_subject_given_key", Subject::GivenKey),
    ("idx_subject_birth_date", Subject::BirthDate),
    ("idx_subject_nationality", Subject::Nationality),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MatchingModel::Table)
                    .col(
                        ColumnDef::new(MatchingModel::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(MatchingModel::TrainedAt).string().not_null())
                    .col(ColumnDef::new(MatchingModel::Params).text().not_null())
                    .col(
                        ColumnDef::new(MatchingModel::Persons)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(MatchingModel::RandomPairs)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(MatchingModel::BlockedPairs)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(MatchingModel::Iterations)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(MatchingModel::Converged)
                            .boolean()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(MatchingModel::ExpectedMatches)
                            .double()
                            .not_null(),
                    )
                    .col(ColumnDef::new(MatchingModel::TrainedBy).string().not_null())
                    .to_owned(),
            )
            .await?;
        for (name, column) in INDEXES {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Subject::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .exec_stmt(Query::delete().from_table(MatchKey::Table).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in INDEXES {
            manager
                .drop_index(Index::drop().name(name).table(Subject::Table).to_owned())
                .await?;
        }
        manager
            .drop_table(Table::drop().table(MatchingModel::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum MatchingModel {
    Table,
    Id,
    TrainedAt,
    Params,
    Persons,
    RandomPairs,
    BlockedPairs,
    Iterations,
    Converged,
    ExpectedMatches,
    TrainedBy,
}

#[derive(DeriveIden, Clone, Copy)]
enum Subject {
    Table,
    FamilyKey,
    GivenKey,
    BirthDate,
    Nationality,
}

#[derive(DeriveIden)]
enum MatchKey {
    Table,
}
