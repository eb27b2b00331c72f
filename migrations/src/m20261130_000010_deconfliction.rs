//! The deconfliction workflow: an overlap's acknowledgements, proposal, decision, follow-up and
//! version (optimistic concurrency); its timeline and shared notes; the flags the deadline job
//! raised; notifications (and their e-mail); a lease so that one server instance runs a job at a
//! time; and a case's primary subject.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        let columns = [
            integer(Overlap::Version).default(1).to_owned(),
            string_null(Overlap::FirstAcknowledgedAt),
            integer_null(Overlap::FirstAcknowledgedBy),
            string_null(Overlap::SecondAcknowledgedAt),
            integer_null(Overlap::SecondAcknowledgedBy),
            // When the decision period started: both sides acknowledged, or a reopening.
            string_null(Overlap::DecideFrom),
            string_null(Overlap::ProposedDecision),
            integer_null(Overlap::ProposedBySide),
            string_null(Overlap::Decision),
            string_null(Overlap::DecidedAt),
            integer_null(Overlap::DecidedBy),
            boolean(Overlap::Ruled).default(false).to_owned(),
            string_null(Overlap::ClosedAt),
            integer_null(Overlap::FollowUpBy),
            text_null(Overlap::FollowUp),
        ];
        for column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Overlap::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        // Overlaps judged a false match before this workflow were closed by one side.
        manager
            .exec_stmt(
                Query::update()
                    .table(Overlap::Table)
                    .value(Overlap::Decision, "false_match")
                    .and_where(Expr::col(Overlap::State).eq("closed"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Case::Table)
                    .add_column(integer_null(Case::PrimarySubjectId))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OverlapEvent::Table)
                    .col(pk_auto(OverlapEvent::Id))
                    .col(integer(OverlapEvent::OverlapId))
                    .col(string(OverlapEvent::At))
                    .col(integer_null(OverlapEvent::ActorId))
                    // 1 or 2 for a side's coordinator, 0 for a manager or the system.
                    .col(integer(OverlapEvent::Side))
                    .col(string(OverlapEvent::Step))
                    .col(string_null(OverlapEvent::Decision))
                    .col(text_null(OverlapEvent::Reason))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OverlapNote::Table)
                    .col(pk_auto(OverlapNote::Id))
                    .col(integer(OverlapNote::OverlapId))
                    .col(integer(OverlapNote::AuthorId))
                    .col(integer(OverlapNote::Side))
                    .col(string(OverlapNote::Title))
                    .col(text(OverlapNote::Body))
                    .col(string(OverlapNote::CreatedAt))
                    .to_owned(),
            )
            .await?;
        for (name, table, column) in [
            (
                "idx_overlap_event_overlap",
                OverlapEvent::Table.into_iden(),
                OverlapEvent::OverlapId.into_iden(),
            ),
            (
                "idx_overlap_note_overlap",
                OverlapNote::Table.into_iden(),
                OverlapNote::OverlapId.into_iden(),
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
        // Flags the deadline job raised (pages derive flags again on read; this records when a
        // flag was first raised, so that it escalates once).
        manager
            .create_table(
                Table::create()
                    .table(OverlapFlag::Table)
                    .col(integer(OverlapFlag::OverlapId))
                    .col(string(OverlapFlag::Flag))
                    .col(string(OverlapFlag::RaisedAt))
                    .primary_key(
                        Index::create()
                            .col(OverlapFlag::OverlapId)
                            .col(OverlapFlag::Flag),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Notification::Table)
                    .col(pk_auto(Notification::Id))
                    .col(integer(Notification::UserId))
                    .col(string(Notification::Kind))
                    .col(integer_null(Notification::OverlapId))
                    // What makes it the same notification again: created at most once.
                    .col(string(Notification::Dedupe))
                    .col(string(Notification::CreatedAt))
                    .col(string_null(Notification::ReadAt))
                    // `none`, `pending`, `sending`, `sent` or `failed`.
                    .col(string(Notification::Mail))
                    .index(
                        Index::create()
                            .unique()
                            .name("idx_notification_dedupe")
                            .col(Notification::UserId)
                            .col(Notification::Dedupe),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notification_mail")
                    .table(Notification::Table)
                    .col(Notification::Mail)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(JobLease::Table)
                    .col(string(JobLease::Name).primary_key())
                    .col(string(JobLease::Holder))
                    .col(string(JobLease::Until))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            JobLease::Table.into_iden(),
            Notification::Table.into_iden(),
            OverlapFlag::Table.into_iden(),
            OverlapNote::Table.into_iden(),
            OverlapEvent::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Case {
    Table,
    PrimarySubjectId,
}

#[derive(DeriveIden)]
enum Overlap {
    Table,
    State,
    Version,
    FirstAcknowledgedAt,
    FirstAcknowledgedBy,
    SecondAcknowledgedAt,
    SecondAcknowledgedBy,
    DecideFrom,
    ProposedDecision,
    ProposedBySide,
    Decision,
    DecidedAt,
    DecidedBy,
    Ruled,
    ClosedAt,
    FollowUpBy,
    FollowUp,
}

#[derive(DeriveIden)]
enum OverlapEvent {
    Table,
    Id,
    OverlapId,
    At,
    ActorId,
    Side,
    Step,
    Decision,
    Reason,
}

#[derive(DeriveIden)]
enum OverlapNote {
    Table,
    Id,
    OverlapId,
    AuthorId,
    Side,
    Title,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OverlapFlag {
    Table,
    OverlapId,
    Flag,
    RaisedAt,
}

#[derive(DeriveIden)]
enum Notification {
    Table,
    Id,
    UserId,
    Kind,
    OverlapId,
    Dedupe,
    CreatedAt,
    ReadAt,
    Mail,
}

#[derive(DeriveIden)]
enum JobLease {
    Table,
    Name,
    Holder,
    Until,
}
