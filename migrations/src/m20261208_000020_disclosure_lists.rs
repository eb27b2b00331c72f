//! The purposes and legal bases a coordinator chooses from when consenting to disclose, as
//! lists administrators manage (`/admin/disclosure-grounds`): labels in Dutch and English, for
//! a legal basis the organisation kinds that provide data on it, and whether an option is
//! still offered. Codes stay once made (stored grounds name them); an option is retired by
//! deactivating it. Seeded with the lists that were fixed in code until now.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const GDPR_KINDS: &str =
    "border_police,immigration,reception,municipality,ministry,tax,labour_inspectorate,ngo,other";

/// (list, code, Dutch, English, kinds, needs a note)
const SEED: [(&str, &str, &str, &str, &str, bool); 12] = [
    (
        "purpose",
        "coordinate_investigations",
        "Onderzoeken op elkaar afstemmen",
        "Coordinate investigations",
        "",
        false,
    ),
    (
        "purpose",
        "prevent_duplicate_action",
        "Dubbel of tegenstrijdig optreden voorkomen",
        "Prevent duplicate or conflicting action",
        "",
        false,
    ),
    (
        "purpose",
        "protect_victims",
        "Slachtoffers beschermen",
        "Protect victims",
        "",
        false,
    ),
    (
        "purpose",
        "assess_threat",
        "Een dreiging beoordelen",
        "Assess a threat",
        "",
        false,
    ),
    (
        "purpose",
        "other",
        "Ander doel (licht toe)",
        "Other purpose (explain)",
        "",
        true,
    ),
    (
        "legal_basis",
        "wpg_20",
        "Wpg, artikel 20 (samenwerkingsverband)",
        "Police Data Act (Wpg), article 20 (joint venture)",
        "police,border_police",
        false,
    ),
    (
        "legal_basis",
        "wpg_19",
        "Wpg, artikel 19 (zwaarwegend algemeen belang)",
        "Police Data Act (Wpg), article 19 (compelling public interest)",
        "police,border_police",
        false,
    ),
    (
        "legal_basis",
        "wjsg_39f",
        "Wjsg, artikel 39f (zwaarwegend algemeen belang)",
        "Judicial Data Act (Wjsg), article 39f (compelling public interest)",
        "prosecution",
        false,
    ),
    (
        "legal_basis",
        "vw_107",
        "Vreemdelingenwet 2000, artikel 107",
        "Aliens Act 2000, article 107",
        "immigration,border_police",
        false,
    ),
    (
        "legal_basis",
        "wiv_62",
        "Wiv 2017, verstrekking (artikel 62)",
        "Intelligence and Security Services Act 2017, provision (article 62)",
        "intelligence",
        false,
    ),
    (
        "legal_basis",
        "gdpr_6_1_e",
        "AVG, artikel 6 lid 1 onder e (taak van algemeen belang)",
        "GDPR, article 6(1)(e) (task in the public interest)",
        GDPR_KINDS,
        false,
    ),
    (
        "legal_basis",
        "gdpr_6_1_c",
        "AVG, artikel 6 lid 1 onder c (wettelijke verplichting)",
        "GDPR, article 6(1)(c) (legal obligation)",
        GDPR_KINDS,
        false,
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DisclosureOption::Table)
                    .col(pk_auto(DisclosureOption::Id))
                    // `purpose` or `legal_basis`.
                    .col(string(DisclosureOption::List))
                    .col(string(DisclosureOption::Code))
                    .col(string(DisclosureOption::LabelNl))
                    .col(string(DisclosureOption::LabelEn))
                    // Organisation kind codes, comma-separated; empty for every kind.
                    .col(string(DisclosureOption::Kinds).default(""))
                    // A purpose that needs a note saying what for.
                    .col(boolean(DisclosureOption::NeedsNote).default(false))
                    .col(boolean(DisclosureOption::Active).default(true))
                    .col(integer(DisclosureOption::Position).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("disclosure_option_code")
                    .table(DisclosureOption::Table)
                    .col(DisclosureOption::List)
                    .col(DisclosureOption::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;
        let mut insert = Query::insert();
        insert.into_table(DisclosureOption::Table).columns([
            DisclosureOption::List,
            DisclosureOption::Code,
            DisclosureOption::LabelNl,
            DisclosureOption::LabelEn,
            DisclosureOption::Kinds,
            DisclosureOption::NeedsNote,
            DisclosureOption::Position,
        ]);
        for (position, (list, code, nl, en, kinds, note)) in SEED.into_iter().enumerate() {
            insert.values_panic([
                list.into(),
                code.into(),
                nl.into(),
                en.into(),
                kinds.into(),
                note.into(),
                (position as i32).into(),
            ]);
        }
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DisclosureOption::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum DisclosureOption {
    Table,
    Id,
    List,
    Code,
    LabelNl,
    LabelEn,
    Kinds,
    NeedsNote,
    Active,
    Position,
}
