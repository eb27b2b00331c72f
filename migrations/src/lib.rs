//! Liaison's schema, one migration per change. Applied automatically when the server starts.

pub use sea_orm_migration::prelude::*;

mod m20261129_000001_partnerships;
mod m20261129_000002_accounts;
mod m20261129_000003_sign_in_throttle_index;
mod m20261130_000004_second_factor_and_set_password_links;
mod m20261130_000005_coordination;
mod m20261130_000006_cases;
mod m20261130_000007_subjects_and_operations;
mod m20261130_000008_all_municipalities;
mod m20261130_000009_overlaps;
mod m20261130_000010_deconfliction;
mod m20261130_000011_pair_keys;
mod m20261130_000012_signals;
mod m20261130_000013_summary_snapshots;
mod m20261206_000014_benign_scope;
mod m20261206_000015_frozen_disclosures;
mod m20261206_000016_account_takeover_approvals;
mod m20261206_000017_disclosure_grounds;
mod m20261207_000018_four_eyes_disclosure;
mod m20261208_000019_retention;
mod m20261208_000020_disclosure_lists;
mod m20261209_000021_api_clients;
mod m20261210_000022_overlap_second_item_index;
mod m20261211_000023_person_model;
mod m20261212_000024_full_name_index;
mod municipalities;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261129_000001_partnerships::Migration),
            Box::new(m20261129_000002_accounts::Migration),
            Box::new(m20261129_000003_sign_in_throttle_index::Migration),
            Box::new(m20261130_000004_second_factor_and_set_password_links::Migration),
            Box::new(m20261130_000005_coordination::Migration),
            Box::new(m20261130_000006_cases::Migration),
            Box::new(m20261130_000007_subjects_and_operations::Migration),
            Box::new(m20261130_000008_all_municipalities::Migration),
            Box::new(m20261130_000009_overlaps::Migration),
            Box::new(m20261130_000010_deconfliction::Migration),
            Box::new(m20261130_000011_pair_keys::Migration),
            Box::new(m20261130_000012_signals::Migration),
            Box::new(m20261130_000013_summary_snapshots::Migration),
            Box::new(m20261206_000014_benign_scope::Migration),
            Box::new(m20261206_000015_frozen_disclosures::Migration),
            Box::new(m20261206_000016_account_takeover_approvals::Migration),
            Box::new(m20261206_000017_disclosure_grounds::Migration),
            Box::new(m20261207_000018_four_eyes_disclosure::Migration),
            Box::new(m20261208_000019_retention::Migration),
            Box::new(m20261208_000020_disclosure_lists::Migration),
            Box::new(m20261209_000021_api_clients::Migration),
            Box::new(m20261210_000022_overlap_second_item_index::Migration),
            Box::new(m20261211_000023_person_model::Migration),
            Box::new(m20261212_000024_full_name_index::Migration),
        ]
    }
}
