//! Four eyes on disclosure: a joint venture may require that a second coordinator approves
//! every consent to disclose (`joint_venture.four_eyes_disclosure`; a case asks for it with
//! the handling code `share-on-approval`). A consent that needs approval waits as a request
//! with a deadline; the grounds that count record who approved them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(JointVenture::Table)
                    .add_column(boolean(JointVenture::FourEyesDisclosure).default(false))
                    .to_owned(),
            )
            .await?;
        // Who approved the consent these grounds were given with (four eyes); null when none
        // was needed. A user id: accounts are deactivated, never deleted.
        manager
            .alter_table(
                Table::alter()
                    .table(DisclosureGrounds::Table)
                    .add_column(integer_null(DisclosureGrounds::ApprovedBy))
                    .to_owned(),
            )
            .await?;
        // The organisation that provided the data, as it was when the grounds were given (the
        // consenting coordinator may move on); null for grounds given before this migration.
        manager
            .alter_table(
                Table::alter()
                    .table(DisclosureGrounds::Table)
                    .add_column(integer_null(DisclosureGrounds::OrganisationId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DisclosureRequest::Table)
                    .col(pk_auto(DisclosureRequest::Id))
                    .col(integer(DisclosureRequest::OverlapId))
                    // The side (1 or 2) whose consent waits for approval.
                    .col(integer(DisclosureRequest::Side))
                    .col(integer_null(DisclosureRequest::RequestedBy))
                    .col(string(DisclosureRequest::RequestedAt))
                    // The last day (Dutch calendar, `YYYY-MM-DD`) it may be approved.
                    .col(string(DisclosureRequest::DueOn))
                    // The grounds as the requester gave them (see `disclosure_grounds`).
                    .col(string(DisclosureRequest::Purpose))
                    .col(text(DisclosureRequest::PurposeNote))
                    .col(string(DisclosureRequest::LegalBasis))
                    // An `ApprovalState` code.
                    .col(string(DisclosureRequest::State))
                    .col(integer_null(DisclosureRequest::DecidedBy))
                    .col(string_null(DisclosureRequest::DecidedAt))
                    .col(text(DisclosureRequest::Reason).default(""))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DisclosureRequest::Table, DisclosureRequest::OverlapId)
                            .to(Overlap::Table, Overlap::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(DisclosureRequest::Table, DisclosureRequest::RequestedBy)
                            .to(UserAccount::Table, UserAccount::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(DisclosureRequest::Table, DisclosureRequest::DecidedBy)
                            .to(UserAccount::Table, UserAccount::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("disclosure_request_overlap")
                    .table(DisclosureRequest::Table)
                    .col(DisclosureRequest::OverlapId)
                    .col(DisclosureRequest::Side)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DisclosureRequest::Table).to_owned())
            .await?;
        for column in [
            DisclosureGrounds::ApprovedBy,
            DisclosureGrounds::OrganisationId,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(DisclosureGrounds::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(JointVenture::Table)
                    .drop_column(JointVenture::FourEyesDisclosure)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum JointVenture {
    Table,
    FourEyesDisclosure,
}

#[derive(DeriveIden)]
enum DisclosureGrounds {
    Table,
    ApprovedBy,
    OrganisationId,
}

#[derive(DeriveIden)]
enum DisclosureRequest {
    Table,
    Id,
    OverlapId,
    Side,
    RequestedBy,
    RequestedAt,
    DueOn,
    Purpose,
    PurposeNote,
    LegalBasis,
    State,
    DecidedBy,
    DecidedAt,
    Reason,
}

#[derive(DeriveIden)]
enum Overlap {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum UserAccount {
    Table,
    Id,
}
