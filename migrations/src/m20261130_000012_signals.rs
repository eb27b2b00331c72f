//! Signals: what front-line staff noticed, its owner (a joint venture's coordinators, chosen by
//! routing rules or by hand), its steps with who and when, the feedback for the reporter, and
//! the subjects it names. Categories are a managed list; notifications may point at a signal.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The categories a signal is filed under at first (administrators add and retire others).
const CATEGORIES: &[(&str, &str, &str)] = &[
    ("document_fraud", "Documentfraude", "Document fraud"),
    ("travel_pattern", "Reispatroon", "Travel pattern"),
    (
        "control_by_other",
        "Controle door een ander",
        "Control by another person",
    ),
    (
        "exploitation",
        "Signalen van uitbuiting",
        "Signs of exploitation",
    ),
    (
        "radicalisation",
        "Radicaliseringsindicatoren",
        "Radicalisation indicators",
    ),
    ("financial", "Financieel", "Financial"),
    ("other", "Overig", "Other"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SignalCategory::Table)
                    .col(pk_auto(SignalCategory::Id))
                    .col(string_uniq(SignalCategory::Code))
                    .col(string(SignalCategory::NameNl))
                    .col(string(SignalCategory::NameEn))
                    .col(boolean(SignalCategory::Active).default(true))
                    .col(integer(SignalCategory::Position))
                    .to_owned(),
            )
            .await?;
        let mut insert = Query::insert();
        insert.into_table(SignalCategory::Table).columns([
            SignalCategory::Code,
            SignalCategory::NameNl,
            SignalCategory::NameEn,
            SignalCategory::Active,
            SignalCategory::Position,
        ]);
        for (position, (code, nl, en)) in CATEGORIES.iter().enumerate() {
            insert.values_panic([
                (*code).into(),
                (*nl).into(),
                (*en).into(),
                true.into(),
                (position as i32).into(),
            ]);
        }
        manager.exec_stmt(insert).await?;
        manager
            .create_table(
                Table::create()
                    .table(RoutingRule::Table)
                    .col(pk_auto(RoutingRule::Id))
                    // Empty means any; the most specific rule wins, then the lowest id.
                    .col(string_null(RoutingRule::Theme))
                    .col(string_null(RoutingRule::Province))
                    .col(integer_null(RoutingRule::CategoryId))
                    .col(integer(RoutingRule::JointVentureId))
                    .col(string(RoutingRule::CreatedAt))
                    .col(integer(RoutingRule::CreatedBy))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Signal::Table)
                    .col(pk_auto(Signal::Id))
                    .col(string_uniq(Signal::Reference))
                    .col(integer(Signal::OrganisationId))
                    // The account that filed it. For an anonymous signal no server function
                    // but the audit trail's (auditors) says who.
                    .col(integer(Signal::ReportedBy))
                    .col(boolean(Signal::Anonymous))
                    .col(string_null(Signal::OnBehalfOf))
                    .col(string(Signal::Nature))
                    .col(string(Signal::Theme))
                    .col(integer(Signal::CategoryId))
                    .col(text(Signal::Observed))
                    .col(string(Signal::ObservedOn))
                    .col(string(Signal::Place))
                    .col(string_null(Signal::Municipality))
                    .col(string(Signal::Urgency))
                    .col(string(Signal::State))
                    .col(integer_null(Signal::JointVentureId))
                    .col(boolean(Signal::RoutedByRule))
                    .col(string(Signal::CreatedAt))
                    .col(string_null(Signal::AssessedAt))
                    .col(integer_null(Signal::AssessedBy))
                    .col(string_null(Signal::RoutedAt))
                    .col(integer_null(Signal::RoutedBy))
                    .col(string_null(Signal::ClosedAt))
                    .col(integer_null(Signal::ClosedBy))
                    .col(text_null(Signal::NoActionReason))
                    // `linked_case`, `forwarded` or `added_to_case`.
                    .col(string_null(Signal::Outcome))
                    .col(integer_null(Signal::OutcomeCaseId))
                    .col(string_null(Signal::OutcomeService))
                    .col(text_null(Signal::Feedback))
                    .col(string_null(Signal::FeedbackAt))
                    // A later report of the same subject, attached to the earlier signal.
                    .col(integer_null(Signal::DuplicateOf))
                    .col(integer(Signal::Version).default(1))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SignalSubject::Table)
                    .col(pk_auto(SignalSubject::Id))
                    .col(integer(SignalSubject::SignalId))
                    .col(string(SignalSubject::Kind))
                    .col(text(SignalSubject::Typed))
                    .col(string(SignalSubject::Summary))
                    .col(string(SignalSubject::Normal))
                    .col(string_null(SignalSubject::GivenKey))
                    .col(string_null(SignalSubject::FamilyKey))
                    .col(string_null(SignalSubject::BirthDate))
                    .col(string_null(SignalSubject::Nationality))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SignalEvent::Table)
                    .col(pk_auto(SignalEvent::Id))
                    .col(integer(SignalEvent::SignalId))
                    .col(string(SignalEvent::At))
                    .col(integer_null(SignalEvent::ActorId))
                    .col(string(SignalEvent::Step))
                    .col(text_null(SignalEvent::Note))
                    .to_owned(),
            )
            .await?;
        // A signal's subject that matches a case subject: the case's coordinators and the
        // signal's owner see it on the pointer basis (`explanation` is JSON of the reasons).
        manager
            .create_table(
                Table::create()
                    .table(SignalMatch::Table)
                    .col(pk_auto(SignalMatch::Id))
                    .col(integer(SignalMatch::SignalId))
                    .col(integer(SignalMatch::SignalSubjectId))
                    .col(integer(SignalMatch::SubjectId))
                    .col(integer(SignalMatch::CaseId))
                    .col(integer(SignalMatch::JointVentureId))
                    .col(string(SignalMatch::MatchKind))
                    .col(double(SignalMatch::Score))
                    .col(text(SignalMatch::Explanation))
                    .col(string(SignalMatch::CreatedAt))
                    .index(
                        Index::create()
                            .unique()
                            .name("idx_signal_match_pair")
                            .col(SignalMatch::SignalSubjectId)
                            .col(SignalMatch::SubjectId),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_signal_match_signal", SignalMatch::SignalId),
            (
                "idx_signal_match_joint_venture",
                SignalMatch::JointVentureId,
            ),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(SignalMatch::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        // A report posted after the session ran out, kept for the reporter to finish once
        // signed in again (found by a random token in a cookie; removed after a day).
        manager
            .create_table(
                Table::create()
                    .table(SignalDraft::Table)
                    .col(pk_auto(SignalDraft::Id))
                    .col(string_uniq(SignalDraft::Token))
                    .col(text(SignalDraft::Form))
                    .col(string(SignalDraft::CreatedAt))
                    .to_owned(),
            )
            .await?;
        for (name, table, column) in [
            (
                "idx_signal_subject_signal",
                SignalSubject::Table.into_iden(),
                SignalSubject::SignalId.into_iden(),
            ),
            (
                "idx_signal_subject_normal",
                SignalSubject::Table.into_iden(),
                SignalSubject::Normal.into_iden(),
            ),
            (
                "idx_signal_event_signal",
                SignalEvent::Table.into_iden(),
                SignalEvent::SignalId.into_iden(),
            ),
            (
                "idx_signal_reported_by",
                Signal::Table.into_iden(),
                Signal::ReportedBy.into_iden(),
            ),
            (
                "idx_signal_joint_venture",
                Signal::Table.into_iden(),
                Signal::JointVentureId.into_iden(),
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
        manager
            .alter_table(
                Table::alter()
                    .table(Notification::Table)
                    .add_column(integer_null(Notification::SignalId))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Notification::Table)
                    .drop_column(Notification::SignalId)
                    .to_owned(),
            )
            .await?;
        for table in [
            SignalMatch::Table.into_iden(),
            SignalDraft::Table.into_iden(),
            SignalEvent::Table.into_iden(),
            SignalSubject::Table.into_iden(),
            Signal::Table.into_iden(),
            RoutingRule::Table.into_iden(),
            SignalCategory::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum SignalCategory {
    Table,
    Id,
    Code,
    NameNl,
    NameEn,
    Active,
    Position,
}

#[derive(DeriveIden)]
enum RoutingRule {
    Table,
    Id,
    Theme,
    Province,
    CategoryId,
    JointVentureId,
    CreatedAt,
    CreatedBy,
}

#[derive(DeriveIden)]
enum Signal {
    Table,
    Id,
    Reference,
    OrganisationId,
    ReportedBy,
    Anonymous,
    OnBehalfOf,
    Nature,
    Theme,
    CategoryId,
    Observed,
    ObservedOn,
    Place,
    Municipality,
    Urgency,
    State,
    JointVentureId,
    RoutedByRule,
    CreatedAt,
    AssessedAt,
    AssessedBy,
    RoutedAt,
    RoutedBy,
    ClosedAt,
    ClosedBy,
    NoActionReason,
    Outcome,
    OutcomeCaseId,
    OutcomeService,
    Feedback,
    FeedbackAt,
    DuplicateOf,
    Version,
}

#[derive(DeriveIden)]
enum SignalSubject {
    Table,
    Id,
    SignalId,
    Kind,
    Typed,
    Summary,
    Normal,
    GivenKey,
    FamilyKey,
    BirthDate,
    Nationality,
}

#[derive(DeriveIden)]
enum SignalEvent {
    Table,
    Id,
    SignalId,
    At,
    ActorId,
    Step,
    Note,
}

#[derive(DeriveIden)]
enum SignalMatch {
    Table,
    Id,
    SignalId,
    SignalSubjectId,
    SubjectId,
    CaseId,
    JointVentureId,
    MatchKind,
    Score,
    Explanation,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SignalDraft {
    Table,
    Id,
    Token,
    Form,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Notification {
    Table,
    SignalId,
}
