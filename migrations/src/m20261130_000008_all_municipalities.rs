//! The full list of Dutch municipalities (1 January 2025) with their points. Municipalities an
//! administrator already added keep their name; points already set (town halls) are kept.

use crate::municipalities::MUNICIPALITIES_2025;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let existing: std::collections::HashSet<String> = db
            .query_all(
                &Query::select()
                    .column(Region::Code)
                    .from(Region::Table)
                    .to_owned(),
            )
            .await?
            .into_iter()
            .filter_map(|row| row.try_get::<String>("", "code").ok())
            .collect();
        let missing: Vec<_> = MUNICIPALITIES_2025
            .iter()
            .filter(|(code, ..)| !existing.contains(*code))
            .collect();
        for chunk in missing.chunks(100) {
            let mut insert = Query::insert();
            insert.into_table(Region::Table).columns([
                Region::Code,
                Region::Name,
                Region::Kind,
                Region::ParentCode,
                Region::Latitude,
                Region::Longitude,
            ]);
            for (code, name, province, latitude, longitude) in chunk {
                insert.values_panic([
                    (*code).into(),
                    (*name).into(),
                    "municipality".into(),
                    Some(*province).into(),
                    Some(*latitude).into(),
                    Some(*longitude).into(),
                ]);
            }
            manager.exec_stmt(insert).await?;
        }
        for (code, _, _, latitude, longitude) in MUNICIPALITIES_2025 {
            manager
                .exec_stmt(
                    Query::update()
                        .table(Region::Table)
                        .value(Region::Latitude, *latitude)
                        .value(Region::Longitude, *longitude)
                        .and_where(Expr::col(Region::Code).eq(*code))
                        .and_where(Expr::col(Region::Latitude).is_null())
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // Joint ventures may refer to any municipality by now; the reference data stays.
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Region {
    Table,
    Code,
    Name,
    Kind,
    ParentCode,
    Latitude,
    Longitude,
}
