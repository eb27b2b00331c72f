//! Organisations, joint ventures, their themes, regions and members over time, and the
//! region reference data (the Netherlands, its provinces and the municipalities Liaison uses).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AppMeta::Table)
                    .col(string(AppMeta::Key).primary_key())
                    .col(string(AppMeta::Value))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Organisation::Table)
                    .col(pk_auto(Organisation::Id))
                    .col(string_uniq(Organisation::Name))
                    .col(string_uniq(Organisation::ShortName))
                    .col(string(Organisation::Kind))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Region::Table)
                    .col(string(Region::Code).primary_key())
                    .col(string(Region::Name))
                    .col(string(Region::Kind))
                    .col(string_null(Region::ParentCode))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Region::Table, Region::ParentCode)
                            .to(Region::Table, Region::Code),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(JointVenture::Table)
                    .col(pk_auto(JointVenture::Id))
                    .col(string_uniq(JointVenture::Name))
                    .col(text(JointVenture::Mandate))
                    .col(text(JointVenture::LegalBasis))
                    .col(date(JointVenture::StartDate))
                    .col(date_null(JointVenture::EndDate))
                    .col(string(JointVenture::Status))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(JointVentureTheme::Table)
                    .col(integer(JointVentureTheme::JointVentureId))
                    .col(string(JointVentureTheme::Theme))
                    .primary_key(
                        Index::create()
                            .col(JointVentureTheme::JointVentureId)
                            .col(JointVentureTheme::Theme),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(JointVentureTheme::Table, JointVentureTheme::JointVentureId)
                            .to(JointVenture::Table, JointVenture::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(JointVentureRegion::Table)
                    .col(integer(JointVentureRegion::JointVentureId))
                    .col(string(JointVentureRegion::RegionCode))
                    .primary_key(
                        Index::create()
                            .col(JointVentureRegion::JointVentureId)
                            .col(JointVentureRegion::RegionCode),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                JointVentureRegion::Table,
                                JointVentureRegion::JointVentureId,
                            )
                            .to(JointVenture::Table, JointVenture::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(JointVentureRegion::Table, JointVentureRegion::RegionCode)
                            .to(Region::Table, Region::Code),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Membership::Table)
                    .col(pk_auto(Membership::Id))
                    .col(integer(Membership::JointVentureId))
                    .col(integer(Membership::OrganisationId))
                    .col(string(Membership::Role))
                    .col(date(Membership::Since))
                    .col(date_null(Membership::Until))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Membership::Table, Membership::JointVentureId)
                            .to(JointVenture::Table, JointVenture::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Membership::Table, Membership::OrganisationId)
                            .to(Organisation::Table, Organisation::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_membership_organisation")
                    .table(Membership::Table)
                    .col(Membership::OrganisationId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_membership_joint_venture")
                    .table(Membership::Table)
                    .col(Membership::JointVentureId)
                    .to_owned(),
            )
            .await?;

        insert_regions(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Membership::Table.into_iden(),
            JointVentureRegion::Table.into_iden(),
            JointVentureTheme::Table.into_iden(),
            JointVenture::Table.into_iden(),
            Region::Table.into_iden(),
            Organisation::Table.into_iden(),
            AppMeta::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// Region codes follow CBS: `PV20`…`PV31` for provinces, `GM0363` for municipalities.
const PROVINCES: &[(&str, &str)] = &[
    ("PV20", "Groningen"),
    ("PV21", "Fryslân"),
    ("PV22", "Drenthe"),
    ("PV23", "Overijssel"),
    ("PV24", "Flevoland"),
    ("PV25", "Gelderland"),
    ("PV26", "Utrecht"),
    ("PV27", "Noord-Holland"),
    ("PV28", "Zuid-Holland"),
    ("PV29", "Zeeland"),
    ("PV30", "Noord-Brabant"),
    ("PV31", "Limburg"),
];

const MUNICIPALITIES: &[(&str, &str, &str)] = &[
    ("GM0363", "Amsterdam", "PV27"),
    ("GM0599", "Rotterdam", "PV28"),
    ("GM0518", "'s-Gravenhage", "PV28"),
    ("GM0344", "Utrecht", "PV26"),
    ("GM0772", "Eindhoven", "PV30"),
    ("GM0014", "Groningen", "PV20"),
    ("GM0114", "Emmen", "PV22"),
    ("GM0935", "Maastricht", "PV31"),
    ("GM0080", "Leeuwarden", "PV21"),
    ("GM0034", "Almere", "PV24"),
    ("GM0268", "Nijmegen", "PV25"),
    ("GM0153", "Enschede", "PV23"),
    ("GM0687", "Middelburg", "PV29"),
    ("GM0394", "Haarlemmermeer", "PV27"),
    ("GM1950", "Westerwolde", "PV20"),
];

async fn insert_regions(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let mut insert = Query::insert();
    insert.into_table(Region::Table).columns([
        Region::Code,
        Region::Name,
        Region::Kind,
        Region::ParentCode,
    ]);
    insert.values_panic([
        "NL".into(),
        "Nederland".into(),
        "national".into(),
        Option::<String>::None.into(),
    ]);
    for (code, name) in PROVINCES {
        insert.values_panic([
            (*code).into(),
            (*name).into(),
            "province".into(),
            Some("NL").into(),
        ]);
    }
    for (code, name, province) in MUNICIPALITIES {
        insert.values_panic([
            (*code).into(),
            (*name).into(),
            "municipality".into(),
            Some(*province).into(),
        ]);
    }
    manager.exec_stmt(insert).await
}

#[derive(DeriveIden)]
enum AppMeta {
    Table,
    Key,
    Value,
}

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Id,
    Name,
    ShortName,
    Kind,
}

#[derive(DeriveIden)]
enum Region {
    Table,
    Code,
    Name,
    Kind,
    ParentCode,
}

#[derive(DeriveIden)]
enum JointVenture {
    Table,
    Id,
    Name,
    Mandate,
    LegalBasis,
    StartDate,
    EndDate,
    Status,
}

#[derive(DeriveIden)]
enum JointVentureTheme {
    Table,
    JointVentureId,
    Theme,
}

#[derive(DeriveIden)]
enum JointVentureRegion {
    Table,
    JointVentureId,
    RegionCode,
}

#[derive(DeriveIden)]
enum Membership {
    Table,
    Id,
    JointVentureId,
    OrganisationId,
    Role,
    Since,
    Until,
}
