//! Who coordinates which joint venture, which manager oversees it, and mandate overlaps a
//! manager has reviewed and marked as intended.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [Assignment::Coordinator, Assignment::Oversight] {
            manager
                .create_table(
                    Table::create()
                        .table(table)
                        .col(integer(Assignment::JointVentureId))
                        .col(integer(Assignment::UserId))
                        .col(date(Assignment::Since))
                        .primary_key(
                            Index::create()
                                .col(Assignment::JointVentureId)
                                .col(Assignment::UserId),
                        )
                        .foreign_key(
                            ForeignKey::create()
                                .from(table, Assignment::JointVentureId)
                                .to(JointVenture::Table, JointVenture::Id)
                                .on_delete(ForeignKeyAction::Cascade),
                        )
                        .foreign_key(
                            ForeignKey::create()
                                .from(table, Assignment::UserId)
                                .to(UserAccount::Table, UserAccount::Id)
                                .on_delete(ForeignKeyAction::Cascade),
                        )
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_coordinator_user")
                    .table(Assignment::Coordinator)
                    .col(Assignment::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_oversight_user")
                    .table(Assignment::Oversight)
                    .col(Assignment::UserId)
                    .to_owned(),
            )
            .await?;

        // One row per reviewed pair, the lower joint venture id first.
        manager
            .create_table(
                Table::create()
                    .table(MandateOverlapReview::Table)
                    .col(pk_auto(MandateOverlapReview::Id))
                    .col(integer(MandateOverlapReview::FirstJointVentureId))
                    .col(integer(MandateOverlapReview::SecondJointVentureId))
                    .col(text(MandateOverlapReview::Justification))
                    .col(integer(MandateOverlapReview::DecidedBy))
                    .col(string(MandateOverlapReview::DecidedAt))
                    .index(
                        Index::create()
                            .unique()
                            .name("idx_mandate_overlap_review_pair")
                            .col(MandateOverlapReview::FirstJointVentureId)
                            .col(MandateOverlapReview::SecondJointVentureId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                MandateOverlapReview::Table,
                                MandateOverlapReview::FirstJointVentureId,
                            )
                            .to(JointVenture::Table, JointVenture::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                MandateOverlapReview::Table,
                                MandateOverlapReview::SecondJointVentureId,
                            )
                            .to(JointVenture::Table, JointVenture::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            MandateOverlapReview::Table.into_iden(),
            Assignment::Oversight.into_iden(),
            Assignment::Coordinator.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Assignment {
    /// The coordinators of a joint venture.
    #[sea_orm(iden = "coordinator")]
    Coordinator,
    /// The managers overseeing a joint venture.
    #[sea_orm(iden = "oversight")]
    Oversight,
    JointVentureId,
    UserId,
    Since,
}

#[derive(DeriveIden)]
enum MandateOverlapReview {
    Table,
    Id,
    FirstJointVentureId,
    SecondJointVentureId,
    Justification,
    DecidedBy,
    DecidedAt,
}

#[derive(DeriveIden)]
enum JointVenture {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum UserAccount {
    Table,
    Id,
}
