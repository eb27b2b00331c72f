//! Subjects and operations of cases, and where places are: each region gets a point (the
//! town hall or provincial capital) so an operation placed in a municipality has coordinates.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Points of the shipped regions, WGS84 (latitude, longitude).
const POINTS: &[(&str, f64, f64)] = &[
    ("NL", 52.1326, 5.2913),
    ("PV20", 53.2194, 6.5665),
    ("PV21", 53.2012, 5.7999),
    ("PV22", 52.9929, 6.5642),
    ("PV23", 52.5168, 6.0830),
    ("PV24", 52.5185, 5.4714),
    ("PV25", 51.9851, 5.8987),
    ("PV26", 52.0907, 5.1214),
    ("PV27", 52.3874, 4.6462),
    ("PV28", 52.0799, 4.3113),
    ("PV29", 51.4988, 3.6136),
    ("PV30", 51.6978, 5.3037),
    ("PV31", 50.8514, 5.6910),
    ("GM0363", 52.3728, 4.8936),
    ("GM0599", 51.9225, 4.4792),
    ("GM0518", 52.0799, 4.3113),
    ("GM0344", 52.0907, 5.1214),
    ("GM0772", 51.4416, 5.4697),
    ("GM0014", 53.2194, 6.5665),
    ("GM0114", 52.7792, 6.9069),
    ("GM0935", 50.8514, 5.6910),
    ("GM0080", 53.2012, 5.7999),
    ("GM0034", 52.3508, 5.2647),
    ("GM0268", 51.8426, 5.8528),
    ("GM0153", 52.2215, 6.8937),
    ("GM0687", 51.4988, 3.6136),
    ("GM0394", 52.3030, 4.6889),
    ("GM1950", 52.8767, 7.0700),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Region::Latitude, Region::Longitude] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Region::Table)
                        .add_column(double_null(column))
                        .to_owned(),
                )
                .await?;
        }
        for (code, latitude, longitude) in POINTS {
            manager
                .exec_stmt(
                    Query::update()
                        .table(Region::Table)
                        .value(Region::Latitude, *latitude)
                        .value(Region::Longitude, *longitude)
                        .and_where(Expr::col(Region::Code).eq(*code))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(Subject::Table)
                    .col(pk_auto(Subject::Id))
                    .col(integer(Subject::CaseId))
                    .col(string(Subject::Kind))
                    // What the user typed, as JSON, so the form and exports show it unchanged.
                    .col(text(Subject::Typed))
                    .col(string(Subject::Summary))
                    .col(string(Subject::Normal))
                    .col(string_null(Subject::GivenKey))
                    .col(string_null(Subject::FamilyKey))
                    .col(string_null(Subject::BirthDate))
                    .col(string_null(Subject::Nationality))
                    .col(string(Subject::CreatedAt))
                    .col(integer(Subject::CreatedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Subject::Table, Subject::CaseId)
                            .to(Case::Table, Case::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_subject_case")
                    .table(Subject::Table)
                    .col(Subject::CaseId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_subject_kind_normal")
                    .table(Subject::Table)
                    .col(Subject::Kind)
                    .col(Subject::Normal)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Operation::Table)
                    .col(pk_auto(Operation::Id))
                    .col(integer(Operation::CaseId))
                    .col(string(Operation::Kind))
                    .col(string(Operation::Place))
                    .col(string_null(Operation::RegionCode))
                    .col(double(Operation::Latitude))
                    .col(double(Operation::Longitude))
                    // Dutch local time, as planned.
                    .col(date_time(Operation::StartsAt))
                    .col(date_time(Operation::EndsAt))
                    .col(text(Operation::Note))
                    .col(string(Operation::CreatedAt))
                    .col(integer(Operation::CreatedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Operation::Table, Operation::CaseId)
                            .to(Case::Table, Case::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Operation::Table, Operation::RegionCode)
                            .to(Region::Table, Region::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_operation_case")
                    .table(Operation::Table)
                    .col(Operation::CaseId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_operation_starts")
                    .table(Operation::Table)
                    .col(Operation::StartsAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Operation::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Subject::Table).to_owned())
            .await?;
        for column in [Region::Latitude, Region::Longitude] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Region::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Region {
    Table,
    Code,
    Latitude,
    Longitude,
}

#[derive(DeriveIden)]
enum Case {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Subject {
    Table,
    Id,
    CaseId,
    Kind,
    Typed,
    Summary,
    Normal,
    GivenKey,
    FamilyKey,
    BirthDate,
    Nationality,
    CreatedAt,
    CreatedBy,
}

#[derive(DeriveIden)]
enum Operation {
    Table,
    Id,
    CaseId,
    Kind,
    Place,
    RegionCode,
    Latitude,
    Longitude,
    StartsAt,
    EndsAt,
    Note,
    CreatedAt,
    CreatedBy,
}
