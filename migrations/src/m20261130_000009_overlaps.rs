//! Overlaps between cases of different joint ventures, the blocking keys that find them (keyed
//! hashes only: these tables alone reveal no phone number or name), judged false matches, and
//! the benign list.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MatchKey::Table)
                    .col(pk_auto(MatchKey::Id))
                    .col(integer(MatchKey::SubjectId))
                    .col(integer(MatchKey::CaseId))
                    .col(integer(MatchKey::JointVentureId))
                    .col(string(MatchKey::KeyHash))
                    .foreign_key(
                        ForeignKey::create()
                            .from(MatchKey::Table, MatchKey::SubjectId)
                            .to(Subject::Table, Subject::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_match_key_hash", MatchKey::KeyHash),
            ("idx_match_key_subject", MatchKey::SubjectId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(MatchKey::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(Overlap::Table)
                    .col(pk_auto(Overlap::Id))
                    // `subject` or `operation`, and what matched (a subject kind, `person`, …).
                    .col(string(Overlap::Kind))
                    .col(string(Overlap::MatchKind))
                    .col(integer(Overlap::FirstCaseId))
                    .col(integer(Overlap::SecondCaseId))
                    .col(integer(Overlap::FirstJointVentureId))
                    .col(integer(Overlap::SecondJointVentureId))
                    .col(integer(Overlap::FirstItemId))
                    .col(integer(Overlap::SecondItemId))
                    .col(double(Overlap::Score))
                    .col(text(Overlap::Explanation))
                    .col(boolean(Overlap::Urgent))
                    .col(string(Overlap::Evidence))
                    .col(boolean(Overlap::FirstConsents))
                    .col(boolean(Overlap::SecondConsents))
                    .col(string_null(Overlap::DisclosedAt))
                    .col(string(Overlap::State))
                    .col(string(Overlap::CreatedAt))
                    .index(
                        Index::create()
                            .unique()
                            .name("idx_overlap_items")
                            .col(Overlap::Kind)
                            .col(Overlap::FirstItemId)
                            .col(Overlap::SecondItemId),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_overlap_first_jv", Overlap::FirstJointVentureId),
            ("idx_overlap_second_jv", Overlap::SecondJointVentureId),
            ("idx_overlap_first_case", Overlap::FirstCaseId),
            ("idx_overlap_second_case", Overlap::SecondCaseId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Overlap::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        // Evidence judged a false match: the same evidence is never raised again.
        manager
            .create_table(
                Table::create()
                    .table(FalseMatch::Table)
                    .col(string(FalseMatch::Evidence).primary_key())
                    .col(text(FalseMatch::Reason))
                    .col(integer(FalseMatch::JudgedBy))
                    .col(string(FalseMatch::JudgedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BenignValue::Table)
                    .col(pk_auto(BenignValue::Id))
                    .col(string(BenignValue::KeyHash))
                    .col(string(BenignValue::Kind))
                    .col(string(BenignValue::Label))
                    .col(text(BenignValue::Reason))
                    .col(date(BenignValue::ExpiresOn))
                    .col(integer(BenignValue::CreatedBy))
                    .col(string(BenignValue::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_benign_value_hash")
                    .table(BenignValue::Table)
                    .col(BenignValue::KeyHash)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            BenignValue::Table.into_iden(),
            FalseMatch::Table.into_iden(),
            Overlap::Table.into_iden(),
            MatchKey::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Subject {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum MatchKey {
    Table,
    Id,
    SubjectId,
    CaseId,
    JointVentureId,
    KeyHash,
}

#[derive(DeriveIden)]
enum Overlap {
    Table,
    Id,
    Kind,
    MatchKind,
    FirstCaseId,
    SecondCaseId,
    FirstJointVentureId,
    SecondJointVentureId,
    FirstItemId,
    SecondItemId,
    Score,
    Explanation,
    Urgent,
    Evidence,
    FirstConsents,
    SecondConsents,
    DisclosedAt,
    State,
    CreatedAt,
}

#[derive(DeriveIden)]
enum FalseMatch {
    Table,
    Evidence,
    Reason,
    JudgedBy,
    JudgedAt,
}

#[derive(DeriveIden)]
enum BenignValue {
    Table,
    Id,
    KeyHash,
    Kind,
    Label,
    Reason,
    ExpiresOn,
    CreatedBy,
    CreatedAt,
}
