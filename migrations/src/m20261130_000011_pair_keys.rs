//! Persons are keyed by pairs of name tokens now (see `overlaps::keys`), not by each token
//! alone. The keys filed under the old scheme are removed; the server rebuilds all keys with a
//! re-scan when it starts and finds subjects without keys.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DELETE FROM match_key")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The old keys cannot be told apart from the new: a re-scan rebuilds them either way.
        manager
            .get_connection()
            .execute_unprepared("DELETE FROM match_key")
            .await?;
        Ok(())
    }
}
