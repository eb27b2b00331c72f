//! The benign list scoped (issue 18, item 3): an entry belongs to a joint venture and holds
//! back only matches in which that joint venture takes part; without one it is national.
//! Entries made before were meant for everybody and stay national.
//!
//! The joint venture is a plain nullable column with an index, no foreign key: SQLite cannot
//! add a column with a foreign key to a table that exists, and joint ventures are never
//! deleted (they end).
//!
//! `held_back_match` records a match held back by one joint venture's entry for the other
//! side, which is told that it happened (the case and the kind, never the value nor the
//! entry); its rows go with the entry.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(BenignValue::Table)
                    .add_column(integer_null(BenignValue::JointVentureId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_benign_value_joint_venture")
                    .table(BenignValue::Table)
                    .col(BenignValue::JointVentureId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(HeldBackMatch::Table)
                    .col(pk_auto(HeldBackMatch::Id))
                    .col(integer(HeldBackMatch::BenignValueId))
                    // The side that is told: its joint venture, case and subject.
                    .col(integer(HeldBackMatch::JointVentureId))
                    .col(integer(HeldBackMatch::CaseId))
                    .col(integer(HeldBackMatch::SubjectId))
                    .col(string(HeldBackMatch::Kind))
                    .col(string(HeldBackMatch::CreatedAt))
                    .index(
                        Index::create()
                            .unique()
                            .name("idx_held_back_match_entry_subject")
                            .col(HeldBackMatch::BenignValueId)
                            .col(HeldBackMatch::SubjectId),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_held_back_match_joint_venture")
                    .table(HeldBackMatch::Table)
                    .col(HeldBackMatch::JointVentureId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(HeldBackMatch::Table).to_owned())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_benign_value_joint_venture")
                    .table(BenignValue::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(BenignValue::Table)
                    .drop_column(BenignValue::JointVentureId)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum BenignValue {
    Table,
    JointVentureId,
}

#[derive(DeriveIden)]
enum HeldBackMatch {
    Table,
    Id,
    BenignValueId,
    JointVentureId,
    CaseId,
    SubjectId,
    Kind,
    CreatedAt,
}
