//! Retention: rules per organisation kind and theme (set by administrators) give every case
//! and signal a review date and a retention end; past its end a daily job deletes the personal
//! data and records the day it did (`purged_on`). A case remembers the organisation that keeps
//! it (the creating coordinator's) and the day it was closed, which the rules count from.
//! After disclosure, a side can ask the other to delete what it received (`overlap_disclosure`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The rules a new database starts with (README, "Retention"): everything the data-protection
/// officer did not say otherwise is reviewed within two years and kept a year after closing;
/// intelligence services' data shorter, terrorism cases of the police longer.
const DEFAULT_RULES: [(&str, &str, i32, i32, i32); 3] = [
    ("", "", 24, 12, 60),
    ("intelligence", "", 18, 6, 60),
    ("police", "terrorism", 36, 24, 60),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RetentionRule::Table)
                    .col(pk_auto(RetentionRule::Id))
                    // An `OrganisationKind` code, or empty for any kind.
                    .col(string(RetentionRule::OrganisationKind).default(""))
                    // A `Theme` code, or empty for any theme.
                    .col(string(RetentionRule::Theme).default(""))
                    // How long an open case or signal is kept after it began or was last
                    // extended, and a closed one after it was closed (or extended).
                    .col(integer(RetentionRule::OpenMonths))
                    .col(integer(RetentionRule::ClosedMonths))
                    // How many days before its end a case is due for review.
                    .col(integer(RetentionRule::ReviewDays))
                    .col(string(RetentionRule::UpdatedAt).default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("retention_rule_scope")
                    .table(RetentionRule::Table)
                    .col(RetentionRule::OrganisationKind)
                    .col(RetentionRule::Theme)
                    .unique()
                    .to_owned(),
            )
            .await?;
        let mut insert = Query::insert();
        insert.into_table(RetentionRule::Table).columns([
            RetentionRule::OrganisationKind,
            RetentionRule::Theme,
            RetentionRule::OpenMonths,
            RetentionRule::ClosedMonths,
            RetentionRule::ReviewDays,
        ]);
        for (kind, theme, open, closed, review) in DEFAULT_RULES {
            insert.values_panic([
                kind.into(),
                theme.into(),
                open.into(),
                closed.into(),
                review.into(),
            ]);
        }
        manager.exec_stmt(insert).await?;

        for column in [
            integer_null(Case::OrganisationId),
            date_null(Case::ClosedOn),
            date_null(Case::ReviewOn),
            date_null(Case::RetentionEnd),
            date_null(Case::RetentionExtendedOn),
            date_null(Case::PurgedOn),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Case::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [
            date_null(Signal::ReviewOn),
            date_null(Signal::RetentionEnd),
            date_null(Signal::RetentionExtendedOn),
            date_null(Signal::PurgedOn),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Signal::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        // After disclosure, the side that gave can ask the other to delete what it received:
        // Liaison's copy goes at once, the other side confirms its own copies went too.
        for column in [
            string_null(OverlapDisclosure::DeletionRequestedAt),
            integer_null(OverlapDisclosure::DeletionRequestedBy),
            text_null(OverlapDisclosure::DeletionReason),
            string_null(OverlapDisclosure::DeletionConfirmedAt),
            integer_null(OverlapDisclosure::DeletionConfirmedBy),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(OverlapDisclosure::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Overlap::Table)
                    .add_column(date_null(Overlap::PurgedOn))
                    .to_owned(),
            )
            .await?;
        for (name, table, column) in [
            ("case_retention_end", Case::Table, Case::RetentionEnd),
            ("case_review_on", Case::Table, Case::ReviewOn),
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
        manager
            .create_index(
                Index::create()
                    .name("signal_retention_end")
                    .table(Signal::Table)
                    .col(Signal::RetentionEnd)
                    .to_owned(),
            )
            .await?;
        // The organisation that keeps a case: its creator's, as the audit trail recorded it.
        // Cases created otherwise (demo data, a restore) fall under the rules for any kind.
        manager
            .get_connection()
            .execute_unprepared(
                r#"UPDATE "case" SET organisation_id = (
                    SELECT a.organisation_id FROM audit_event a
                    WHERE a.action = 'create_case' AND a.object_type = 'case'
                      AND a.object_id = CAST("case".id AS TEXT)
                    ORDER BY a.id LIMIT 1)"#,
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in [
            "case_retention_end",
            "case_review_on",
            "signal_retention_end",
        ] {
            manager
                .drop_index(Index::drop().name(name).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Overlap::Table)
                    .drop_column(Overlap::PurgedOn)
                    .to_owned(),
            )
            .await?;
        for column in [
            OverlapDisclosure::DeletionRequestedAt,
            OverlapDisclosure::DeletionRequestedBy,
            OverlapDisclosure::DeletionReason,
            OverlapDisclosure::DeletionConfirmedAt,
            OverlapDisclosure::DeletionConfirmedBy,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(OverlapDisclosure::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [
            Signal::ReviewOn,
            Signal::RetentionEnd,
            Signal::RetentionExtendedOn,
            Signal::PurgedOn,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Signal::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [
            Case::OrganisationId,
            Case::ClosedOn,
            Case::ReviewOn,
            Case::RetentionEnd,
            Case::RetentionExtendedOn,
            Case::PurgedOn,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Case::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(RetentionRule::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum RetentionRule {
    Table,
    Id,
    OrganisationKind,
    Theme,
    OpenMonths,
    ClosedMonths,
    ReviewDays,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Case {
    Table,
    OrganisationId,
    ClosedOn,
    ReviewOn,
    RetentionEnd,
    RetentionExtendedOn,
    PurgedOn,
}

#[derive(DeriveIden)]
enum Signal {
    Table,
    ReviewOn,
    RetentionEnd,
    RetentionExtendedOn,
    PurgedOn,
}

#[derive(DeriveIden)]
enum OverlapDisclosure {
    Table,
    DeletionRequestedAt,
    DeletionRequestedBy,
    DeletionReason,
    DeletionConfirmedAt,
    DeletionConfirmedBy,
}

#[derive(DeriveIden)]
enum Overlap {
    Table,
    PurgedOn,
}
