//! What each side of an overlap disclosed, frozen at the moment of disclosure (its case's
//! reference and title and the matched subject or operation), so that renaming a case or
//! changing a subject afterwards does not change what the other side reads. Overlaps disclosed
//! before this migration are frozen as their cases stand now, the best that can be known.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OverlapDisclosure::Table)
                    .col(integer(OverlapDisclosure::OverlapId))
                    // The side (1 or 2) whose case this is.
                    .col(integer(OverlapDisclosure::Side))
                    .col(string(OverlapDisclosure::CaseReference))
                    .col(string(OverlapDisclosure::CaseTitle))
                    .col(text(OverlapDisclosure::Item))
                    .primary_key(
                        Index::create()
                            .col(OverlapDisclosure::OverlapId)
                            .col(OverlapDisclosure::Side),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(OverlapDisclosure::Table, OverlapDisclosure::OverlapId)
                            .to(Overlap::Table, Overlap::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // The matched operation as `overlaps::store::item_text` writes it.
        let (start, end) = match manager.get_database_backend() {
            sea_orm::DbBackend::Postgres => (
                "to_char(p.starts_at, 'YYYY-MM-DD HH24:MI')",
                "to_char(p.ends_at, 'HH24:MI')",
            ),
            _ => (
                "strftime('%Y-%m-%d %H:%M', p.starts_at)",
                "strftime('%H:%M', p.ends_at)",
            ),
        };
        for (side, case_column, item_column) in [
            (1, "first_case_id", "first_item_id"),
            (2, "second_case_id", "second_item_id"),
        ] {
            let sql = format!(
                "INSERT INTO \"overlap_disclosure\" (overlap_id, side, case_reference, case_title, item) \
                 SELECT o.id, {side}, c.reference, c.title, COALESCE(CASE WHEN o.kind = 'operation' \
                 THEN (SELECT p.kind || ' ' || p.place || ', ' || {start} || ' – ' || {end} \
                       FROM \"operation\" p WHERE p.id = o.{item_column}) \
                 ELSE (SELECT s.summary FROM \"subject\" s WHERE s.id = o.{item_column}) END, '') \
                 FROM \"overlap\" o JOIN \"case\" c ON c.id = o.{case_column} \
                 WHERE o.disclosed_at IS NOT NULL"
            );
            manager.get_connection().execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OverlapDisclosure::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum OverlapDisclosure {
    Table,
    OverlapId,
    Side,
    CaseReference,
    CaseTitle,
    Item,
}

#[derive(DeriveIden)]
enum Overlap {
    Table,
    Id,
}
