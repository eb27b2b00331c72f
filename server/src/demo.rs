//! The demo data set: real public bodies, invented joint ventures, cases with invented
//! persons, and (in the portal as it starts) a year of history behind them. Loaded once per
//! database.

use anyhow::Context;
use chrono::NaiveDate;
use liaison_app::overlaps::candidates::Matching;
use liaison_app::{
    domain::{JointVentureStatus, MembershipRole, OrganisationKind, Role, Theme},
    server::{
        entity::{
            app_meta, coordinator, joint_venture, joint_venture_region, joint_venture_theme,
            membership, organisation, oversight, user_account, user_role,
        },
        password,
    },
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, DatabaseConnection, DbErr, EntityTrait, SqlErr,
    TransactionTrait,
};
use std::collections::HashMap;

mod cases;
mod history;
pub use cases::CASES;

const MARKER: &str = "demo_data_loaded";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Loaded,
    AlreadyPresent,
}

pub struct DemoOrganisation {
    pub name: &'static str,
    pub short_name: &'static str,
    pub kind: OrganisationKind,
}

pub struct DemoJointVenture {
    pub name: &'static str,
    pub themes: &'static [Theme],
    pub regions: &'static [&'static str],
    pub mandate: &'static str,
    pub legal_basis: &'static str,
    pub start: (i32, u32, u32),
    pub end: Option<(i32, u32, u32)>,
    /// (short name, role, joined)
    pub members: &'static [(&'static str, MembershipRole, (i32, u32, u32))],
}

use MembershipRole::{Lead, Member, Observer};
use OrganisationKind as K;
use Theme::{Smuggling, Terrorism, Trafficking};

pub const ORGANISATIONS: &[DemoOrganisation] = &[
    DemoOrganisation {
        name: "Politie",
        short_name: "POL",
        kind: K::Police,
    },
    DemoOrganisation {
        name: "Koninklijke Marechaussee",
        short_name: "KMar",
        kind: K::BorderPolice,
    },
    DemoOrganisation {
        name: "Immigratie- en Naturalisatiedienst",
        short_name: "IND",
        kind: K::Immigration,
    },
    DemoOrganisation {
        name: "Centraal Orgaan opvang asielzoekers",
        short_name: "COA",
        kind: K::Reception,
    },
    DemoOrganisation {
        name: "Openbaar Ministerie",
        short_name: "OM",
        kind: K::Prosecution,
    },
    DemoOrganisation {
        name: "Algemene Inlichtingen- en Veiligheidsdienst",
        short_name: "AIVD",
        kind: K::Intelligence,
    },
    DemoOrganisation {
        name: "Nationaal Coördinator Terrorismebestrijding en Veiligheid",
        short_name: "NCTV",
        kind: K::Ministry,
    },
    DemoOrganisation {
        name: "Nederlandse Arbeidsinspectie",
        short_name: "NLA",
        kind: K::LabourInspectorate,
    },
    DemoOrganisation {
        name: "Fiscale Inlichtingen- en Opsporingsdienst",
        short_name: "FIOD",
        kind: K::Tax,
    },
    DemoOrganisation {
        name: "Dienst Terugkeer en Vertrek",
        short_name: "DTenV",
        kind: K::Immigration,
    },
    DemoOrganisation {
        name: "Ministerie van Justitie en Veiligheid",
        short_name: "JenV",
        kind: K::Ministry,
    },
    DemoOrganisation {
        name: "Gemeente Amsterdam",
        short_name: "GAMS",
        kind: K::Municipality,
    },
    DemoOrganisation {
        name: "Gemeente Rotterdam",
        short_name: "GRTM",
        kind: K::Municipality,
    },
    DemoOrganisation {
        name: "Gemeente Eindhoven",
        short_name: "GEHV",
        kind: K::Municipality,
    },
    DemoOrganisation {
        name: "Gemeente Westerwolde",
        short_name: "GWW",
        kind: K::Municipality,
    },
    DemoOrganisation {
        name: "CoMensha",
        short_name: "CoM",
        kind: K::Ngo,
    },
];

pub const JOINT_VENTURES: &[DemoJointVenture] = &[
    DemoJointVenture {
        name: "Taskforce Mensensmokkel Noord",
        themes: &[Smuggling],
        regions: &["PV20", "PV21", "PV22"],
        mandate: "Smokkelnetwerken opsporen die asielzoekers via de noordelijke provincies naar het aanmeldcentrum brengen, en signalen uit het aanmeldproces gezamenlijk duiden.",
        legal_basis: "Convenant Taskforce Mensensmokkel Noord 2022, art. 3 (Wpg art. 20)",
        start: (2022, 3, 1),
        end: None,
        members: &[
            ("KMar", Lead, (2022, 3, 1)),
            ("POL", Member, (2022, 3, 1)),
            ("IND", Member, (2022, 3, 1)),
            ("COA", Member, (2022, 6, 1)),
            ("GWW", Member, (2023, 1, 1)),
            ("OM", Member, (2022, 3, 1)),
        ],
    },
    DemoJointVenture {
        name: "Ketenaanpak Mensenhandel Amsterdam",
        themes: &[Trafficking],
        regions: &["GM0363"],
        mandate: "Signalen van seksuele en criminele uitbuiting in Amsterdam bij elkaar brengen, slachtoffers naar hulp leiden en daders vervolgen.",
        legal_basis: "Convenant Zorg- en Veiligheidshuis Amsterdam 2021",
        start: (2021, 1, 1),
        end: None,
        members: &[
            ("GAMS", Lead, (2021, 1, 1)),
            ("POL", Member, (2021, 1, 1)),
            ("OM", Member, (2021, 1, 1)),
            ("NLA", Member, (2021, 9, 1)),
            ("FIOD", Member, (2022, 1, 1)),
            ("CoM", Observer, (2021, 1, 1)),
        ],
    },
    DemoJointVenture {
        name: "Programma Arbeidsuitbuiting Rotterdam-Rijnmond",
        themes: &[Trafficking],
        regions: &["GM0599", "PV28"],
        mandate: "Arbeidsuitbuiting in haven, logistiek en uitzendbranche aanpakken met bestuurlijke, fiscale en strafrechtelijke middelen.",
        legal_basis: "RIEC-convenant 2020, bijlage arbeidsuitbuiting",
        start: (2020, 6, 1),
        end: None,
        members: &[
            ("GRTM", Lead, (2020, 6, 1)),
            ("POL", Member, (2020, 6, 1)),
            ("NLA", Member, (2020, 6, 1)),
            ("FIOD", Member, (2020, 6, 1)),
            ("OM", Member, (2020, 6, 1)),
        ],
    },
    DemoJointVenture {
        name: "Landelijke Infobox Contraterrorisme",
        themes: &[Terrorism],
        regions: &["NL"],
        mandate: "Informatie over personen en netwerken die betrokken zijn bij terrorisme en radicalisering bijeenbrengen en gezamenlijk analyseren.",
        legal_basis: "Besluit Infobox Contraterrorisme, Wet politiegegevens art. 20",
        start: (2019, 1, 1),
        end: None,
        members: &[
            ("AIVD", Lead, (2019, 1, 1)),
            ("POL", Member, (2019, 1, 1)),
            ("KMar", Member, (2019, 1, 1)),
            ("IND", Member, (2019, 1, 1)),
            ("OM", Member, (2019, 1, 1)),
            ("FIOD", Member, (2020, 1, 1)),
        ],
    },
    DemoJointVenture {
        name: "Grensoverschrijdende Smokkel Zuid",
        themes: &[Smuggling],
        regions: &["PV30", "PV31"],
        mandate: "Smokkelroutes over de zuidgrens met België en Duitsland in kaart brengen en gezamenlijke controles plannen.",
        legal_basis: "Samenwerkingsovereenkomst Zuid 2023",
        start: (2023, 2, 1),
        end: None,
        members: &[
            ("KMar", Lead, (2023, 2, 1)),
            ("POL", Member, (2023, 2, 1)),
            ("OM", Member, (2023, 2, 1)),
            ("IND", Observer, (2023, 5, 1)),
        ],
    },
    DemoJointVenture {
        name: "Migratiecriminaliteit Schiphol",
        themes: &[Smuggling, Trafficking],
        regions: &["GM0394"],
        mandate: "Vervalste documenten, smokkel en signalen van mensenhandel op de luchthaven gezamenlijk onderzoeken.",
        legal_basis: "Convenant Luchthaven Schiphol 2021",
        start: (2021, 4, 1),
        end: None,
        members: &[
            ("KMar", Lead, (2021, 4, 1)),
            ("IND", Member, (2021, 4, 1)),
            ("POL", Member, (2021, 4, 1)),
            ("OM", Member, (2021, 4, 1)),
        ],
    },
    DemoJointVenture {
        name: "Signalen uit de Opvang",
        themes: &[Trafficking, Smuggling],
        regions: &["NL"],
        mandate: "Zachte en harde signalen van medewerkers in opvanglocaties opvolgen en de terugkoppeling aan de melders borgen.",
        legal_basis: "Werkafspraken signalering asielketen 2024",
        start: (2024, 1, 1),
        end: None,
        members: &[
            ("COA", Lead, (2024, 1, 1)),
            ("IND", Member, (2024, 1, 1)),
            ("POL", Member, (2024, 1, 1)),
            ("KMar", Member, (2024, 1, 1)),
            ("DTenV", Observer, (2024, 4, 1)),
        ],
    },
    DemoJointVenture {
        name: "Radicalisering Lokaal Zuid-Holland",
        themes: &[Terrorism],
        regions: &["GM0599", "GM0518"],
        mandate: "Casusoverleg over radicaliserende personen; interventies van gemeente, politie en OM op elkaar afstemmen.",
        legal_basis: "Convenant persoonsgerichte aanpak radicalisering 2022",
        start: (2022, 9, 1),
        end: None,
        members: &[
            ("NCTV", Lead, (2022, 9, 1)),
            ("GRTM", Member, (2022, 9, 1)),
            ("POL", Member, (2022, 9, 1)),
            ("OM", Member, (2022, 9, 1)),
            ("AIVD", Observer, (2022, 9, 1)),
        ],
    },
    DemoJointVenture {
        name: "Uitbuiting Seizoensarbeid Oost",
        themes: &[Trafficking],
        regions: &["PV25", "PV23"],
        mandate: "Uitbuiting van seizoensarbeiders in land- en tuinbouw opsporen en malafide huisvesters en uitzenders aanpakken.",
        legal_basis: "Samenwerkingsconvenant Oost 2023",
        start: (2023, 4, 1),
        end: None,
        members: &[
            ("NLA", Lead, (2023, 4, 1)),
            ("POL", Member, (2023, 4, 1)),
            ("OM", Member, (2023, 4, 1)),
            ("FIOD", Member, (2023, 4, 1)),
        ],
    },
    DemoJointVenture {
        name: "Financiële Recherche Mensensmokkel",
        themes: &[Smuggling],
        regions: &["NL"],
        mandate: "Geldstromen van smokkelorganisaties volgen en vermogen afpakken.",
        legal_basis: "Convenant Financieel Expertise Centrum, werkgroep smokkel",
        start: (2022, 1, 1),
        end: None,
        members: &[
            ("FIOD", Lead, (2022, 1, 1)),
            ("OM", Member, (2022, 1, 1)),
            ("POL", Member, (2022, 1, 1)),
            ("KMar", Member, (2022, 1, 1)),
        ],
    },
    DemoJointVenture {
        name: "Jihadistische Reisbewegingen",
        themes: &[Terrorism],
        regions: &["NL"],
        mandate: "Uitreis en terugkeer van personen die zich bij terroristische organisaties willen aansluiten signaleren en opvolgen.",
        legal_basis: "Werkafspraken uitreizigers en terugkeerders 2020",
        start: (2020, 1, 1),
        end: None,
        members: &[
            ("POL", Lead, (2020, 1, 1)),
            ("KMar", Member, (2020, 1, 1)),
            ("IND", Member, (2020, 1, 1)),
            ("AIVD", Member, (2020, 1, 1)),
            ("OM", Member, (2020, 1, 1)),
            ("NCTV", Member, (2020, 1, 1)),
        ],
    },
    DemoJointVenture {
        name: "Minderjarige Slachtoffers Brabant",
        themes: &[Trafficking],
        regions: &["PV30", "GM0772"],
        mandate: "Minderjarige slachtoffers van uitbuiting vroeg herkennen, beschermen en daders vervolgen.",
        legal_basis: "Convenant Zorg- en Veiligheidshuis Brabant-Zuidoost 2022",
        start: (2022, 5, 1),
        end: None,
        members: &[
            ("POL", Lead, (2022, 5, 1)),
            ("GEHV", Member, (2022, 5, 1)),
            ("OM", Member, (2022, 5, 1)),
            ("COA", Member, (2023, 1, 1)),
            ("CoM", Observer, (2022, 5, 1)),
        ],
    },
    DemoJointVenture {
        name: "Taskforce Arbeidsmigratie 2019",
        themes: &[Trafficking],
        regions: &["NL"],
        mandate: "Tijdelijke taskforce naar misstanden bij arbeidsmigranten; afgerond met een eindrapport.",
        legal_basis: "Instellingsbesluit Taskforce Arbeidsmigratie 2019",
        start: (2019, 5, 1),
        end: Some((2021, 12, 31)),
        members: &[
            ("NLA", Lead, (2019, 5, 1)),
            ("POL", Member, (2019, 5, 1)),
            ("GRTM", Member, (2019, 5, 1)),
        ],
    },
];

/// The password of every demo account; the README lists the accounts.
pub const DEMO_PASSWORD: &str = "liaison-demo-2026";

pub struct DemoUser {
    pub username: &'static str,
    pub display_name: &'static str,
    pub organisation: &'static str,
    pub roles: &'static [Role],
    /// Joint ventures (by name) the user coordinates, or as a manager oversees.
    pub joint_ventures: &'static [&'static str],
}

const NORTH: &str = "Taskforce Mensensmokkel Noord";
const AMSTERDAM: &str = "Ketenaanpak Mensenhandel Amsterdam";

/// One account per role, two coordinators of different joint ventures and two administrators.
/// Invented people.
pub const USERS: &[DemoUser] = &[
    DemoUser {
        username: "reporter",
        display_name: "Rosa Bakker",
        organisation: "COA",
        roles: &[Role::Reporter],
        joint_ventures: &[],
    },
    DemoUser {
        username: "coordinator-north",
        display_name: "Chris Jansen",
        organisation: "KMar",
        roles: &[Role::Coordinator],
        joint_ventures: &[NORTH],
    },
    // A second coordinator of the same joint venture: four eyes on disclosure.
    DemoUser {
        username: "coordinator-north2",
        display_name: "Noor Hendriks",
        organisation: "KMar",
        roles: &[Role::Coordinator],
        joint_ventures: &[NORTH],
    },
    DemoUser {
        username: "coordinator-amsterdam",
        display_name: "Carmen Visser",
        organisation: "GAMS",
        roles: &[Role::Coordinator],
        joint_ventures: &[AMSTERDAM],
    },
    DemoUser {
        username: "manager",
        display_name: "Mehmet Smit",
        organisation: "POL",
        roles: &[Role::Manager],
        joint_ventures: &[
            NORTH,
            AMSTERDAM,
            "Programma Arbeidsuitbuiting Rotterdam-Rijnmond",
            "Grensoverschrijdende Smokkel Zuid",
            "Migratiecriminaliteit Schiphol",
            "Signalen uit de Opvang",
        ],
    },
    DemoUser {
        username: "ministry",
        display_name: "Bart Meijer",
        organisation: "JenV",
        roles: &[Role::Ministry],
        joint_ventures: &[],
    },
    DemoUser {
        username: "auditor",
        display_name: "Anouk Mulder",
        organisation: "JenV",
        roles: &[Role::Auditor],
        joint_ventures: &[],
    },
    DemoUser {
        username: "privacy",
        display_name: "Iris de Graaf",
        organisation: "JenV",
        roles: &[Role::PrivacyOfficer],
        joint_ventures: &[],
    },
    DemoUser {
        username: "admin",
        display_name: "Floor Dekker",
        organisation: "JenV",
        roles: &[Role::Admin],
        joint_ventures: &[],
    },
    // Taking over an account needs a second administrator's approval.
    DemoUser {
        username: "admin2",
        display_name: "Sem de Wit",
        organisation: "JenV",
        roles: &[Role::Admin],
        joint_ventures: &[],
    },
];

/// Loads the demo data unless it is present. The marker row is written first, in the same
/// transaction, so two servers starting at once cannot both load it.
pub async fn load_once(db: &DatabaseConnection, matching: &Matching) -> anyhow::Result<Outcome> {
    load(db, matching, None).await
}

/// [`load_once`] with a year of history before `today` (see `history`): what the portal loads
/// when it starts with demo data. The tests' applications load the demo data without it, so
/// that their counts and lists are the demo's own and every start stays fast; a test that is
/// about the history loads it with this.
pub async fn load_once_with_history(
    db: &DatabaseConnection,
    matching: &Matching,
    today: NaiveDate,
) -> anyhow::Result<Outcome> {
    load(db, matching, Some(today)).await
}

async fn load(
    db: &DatabaseConnection,
    matching: &Matching,
    history_before: Option<NaiveDate>,
) -> anyhow::Result<Outcome> {
    let txn = db
        .begin()
        .await
        .context("could not start the demo data transaction")?;
    let marker = app_meta::ActiveModel {
        key: Set(MARKER.to_owned()),
        value: Set(chrono::Utc::now().to_rfc3339()),
    };
    match app_meta::Entity::insert(marker).exec(&txn).await {
        Ok(_) => {}
        Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Ok(Outcome::AlreadyPresent);
        }
        Err(err) => return Err(err).context("could not check for demo data"),
    }
    // One hash for the shared demo password: argon2 is deliberately slow.
    let password_hash = password::hash(DEMO_PASSWORD.to_owned())
        .await
        .context("could not hash the demo password")?;
    insert_all(&txn, &password_hash, matching)
        .await
        .context("could not load the demo data")?;
    if let Some(today) = history_before {
        history::insert(&txn, &password_hash, matching, today)
            .await
            .context("could not load the demo history")?;
    }
    txn.commit().await.context("could not save the demo data")?;
    Ok(Outcome::Loaded)
}

fn day((y, m, d): (i32, u32, u32)) -> Result<NaiveDate, DbErr> {
    NaiveDate::from_ymd_opt(y, m, d)
        .ok_or_else(|| DbErr::Custom(format!("no such day {y}-{m}-{d}")))
}

async fn insert_all(
    txn: &impl sea_orm::ConnectionTrait,
    password_hash: &str,
    matching: &Matching,
) -> Result<(), DbErr> {
    let mut organisation_ids = HashMap::new();
    for org in ORGANISATIONS {
        let saved = organisation::ActiveModel {
            name: Set(org.name.to_owned()),
            short_name: Set(org.short_name.to_owned()),
            kind: Set(org.kind.as_str().to_owned()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        organisation_ids.insert(org.short_name, saved.id);
    }

    let mut joint_venture_ids = HashMap::new();
    for jv in JOINT_VENTURES {
        let status = if jv.end.is_some() {
            JointVentureStatus::Ended
        } else {
            JointVentureStatus::Active
        };
        let saved: joint_venture::Model = joint_venture::ActiveModel {
            name: Set(jv.name.to_owned()),
            mandate: Set(jv.mandate.to_owned()),
            legal_basis: Set(jv.legal_basis.to_owned()),
            start_date: Set(day(jv.start)?),
            end_date: Set(jv.end.map(day).transpose()?),
            status: Set(status.as_str().to_owned()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        joint_venture_ids.insert(jv.name, saved.id);
        joint_venture_theme::Entity::insert_many(jv.themes.iter().map(|theme| {
            joint_venture_theme::ActiveModel {
                joint_venture_id: Set(saved.id),
                theme: Set(theme.as_str().to_owned()),
            }
        }))
        .exec(txn)
        .await?;
        joint_venture_region::Entity::insert_many(jv.regions.iter().map(|code| {
            joint_venture_region::ActiveModel {
                joint_venture_id: Set(saved.id),
                region_code: Set((*code).to_owned()),
            }
        }))
        .exec(txn)
        .await?;
        for (short_name, role, since) in jv.members {
            let organisation_id = *organisation_ids.get(short_name).ok_or_else(|| {
                DbErr::Custom(format!(
                    "demo member {short_name} is not a demo organisation"
                ))
            })?;
            membership::ActiveModel {
                joint_venture_id: Set(saved.id),
                organisation_id: Set(organisation_id),
                role: Set(role.as_str().to_owned()),
                since: Set(day(*since)?),
                until: Set(jv.end.map(day).transpose()?),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
    }

    let created_at = chrono::Utc::now().to_rfc3339();
    let mut admin_id = None;
    for user in USERS {
        let organisation_id = *organisation_ids.get(user.organisation).ok_or_else(|| {
            DbErr::Custom(format!(
                "demo user {} has no demo organisation",
                user.username
            ))
        })?;
        let saved = account(
            user.username,
            user.display_name,
            organisation_id,
            password_hash,
            &created_at,
        )
        .insert(txn)
        .await?;
        if user.roles.contains(&Role::Admin) && admin_id.is_none() {
            admin_id = Some(saved.id);
        }
        user_role::Entity::insert_many(user.roles.iter().map(|role| user_role::ActiveModel {
            user_id: Set(saved.id),
            role: Set(role.as_str().to_owned()),
        }))
        .exec(txn)
        .await?;
        for name in user.joint_ventures {
            let joint_venture_id = *joint_venture_ids.get(name).ok_or_else(|| {
                DbErr::Custom(format!("demo joint venture {name} does not exist"))
            })?;
            let since = day((2025, 1, 1))?;
            if user.roles.contains(&Role::Manager) {
                oversight::ActiveModel {
                    joint_venture_id: Set(joint_venture_id),
                    user_id: Set(saved.id),
                    since: Set(since),
                }
                .insert(txn)
                .await?;
            } else {
                coordinator::ActiveModel {
                    joint_venture_id: Set(joint_venture_id),
                    user_id: Set(saved.id),
                    since: Set(since),
                }
                .insert(txn)
                .await?;
            }
        }
    }
    let admin_id = admin_id.ok_or_else(|| DbErr::Custom("no demo admin".into()))?;
    insert_routing_rules(txn, &joint_venture_ids, admin_id).await?;
    insert_cases(txn, &joint_venture_ids, admin_id, matching).await
}

/// Signals go by theme: trafficking to Amsterdam's chain approach, smuggling to the northern
/// taskforce, terrorism to the travel-movements partnership (the two demo coordinators own
/// the first two).
const ROUTING: &[(Theme, &str)] = &[
    (Theme::Trafficking, AMSTERDAM),
    (Theme::Smuggling, NORTH),
    (Theme::Terrorism, "Jihadistische Reisbewegingen"),
];

async fn insert_routing_rules(
    txn: &impl sea_orm::ConnectionTrait,
    joint_venture_ids: &HashMap<&str, i32>,
    created_by: i32,
) -> Result<(), DbErr> {
    use liaison_app::server::entity::routing_rule;
    for (theme, name) in ROUTING {
        let joint_venture_id = *joint_venture_ids
            .get(name)
            .ok_or_else(|| DbErr::Custom(format!("no demo joint venture {name}")))?;
        routing_rule::ActiveModel {
            theme: Set(Some(theme.as_str().to_owned())),
            province: Set(None),
            category_id: Set(None),
            joint_venture_id: Set(joint_venture_id),
            created_at: Set(chrono::Utc::now()
                .format("%Y-%m-%dT%H:%M:%S%.6fZ")
                .to_string()),
            created_by: Set(created_by),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// The demo cases with their subjects (parsed like a coordinator's input) and operations
/// (placed from today, so they are always upcoming).
async fn insert_cases(
    txn: &impl sea_orm::ConnectionTrait,
    joint_venture_ids: &HashMap<&str, i32>,
    created_by: i32,
    matching: &Matching,
) -> Result<(), DbErr> {
    use liaison_app::{
        operations::types::OperationInput, server::entity::case, subjects::types::SubjectInput,
    };
    let now = liaison_app::server::utc_text(chrono::Utc::now());
    let today = chrono::Local::now().date_naive();
    let places = liaison_app::operations::save::places(txn)
        .await
        .map_err(|err| DbErr::Custom(err.to_string()))?;
    for demo in CASES {
        let joint_venture_id = *joint_venture_ids.get(demo.joint_venture).ok_or_else(|| {
            DbErr::Custom(format!("demo case {} has no joint venture", demo.reference))
        })?;
        let saved = case::ActiveModel {
            joint_venture_id: Set(joint_venture_id),
            reference: Set(demo.reference.to_owned()),
            title: Set(demo.title.to_owned()),
            theme: Set(demo.theme.as_str().to_owned()),
            status: Set(demo.status.as_str().to_owned()),
            start_date: Set(day(demo.start)?),
            end_date: Set(None),
            handling: Set(demo.handling.as_str().to_owned()),
            description: Set(demo.description.to_owned()),
            version: Set(1),
            updated_at: Set(now.clone()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        let mut primary = None;
        for (kind, fields) in demo.subjects {
            let mut input = SubjectInput {
                kind: (*kind).to_owned(),
                ..Default::default()
            };
            for (field, value) in *fields {
                input.set(field, (*value).to_owned());
            }
            let valid = liaison_app::subjects::parse::parse(&input, 2026).map_err(|err| {
                DbErr::Custom(format!("demo subject of {}: {err:?}", demo.reference))
            })?;
            let stored = liaison_app::subjects::save::new_row(valid, saved.id, created_by, &now)
                .insert(txn)
                .await?;
            liaison_app::overlaps::detect::on_subject_saved(
                txn,
                matching,
                &stored,
                joint_venture_id,
            )
            .await
            .map_err(|err| DbErr::Custom(err.to_string()))?;
            primary = primary.or(Some(stored.id));
        }
        // The first subject is what the case is mainly about.
        let mut with_primary: case::ActiveModel = saved.clone().into();
        with_primary.primary_subject_id = Set(primary);
        with_primary.update(txn).await?;
        for op in demo.operations {
            let (starts_at, ends_at) = cases::window(op, today)
                .ok_or_else(|| DbErr::Custom(format!("demo operation of {}", demo.reference)))?;
            let input = OperationInput {
                kind: op.kind.as_str().to_owned(),
                place: op.place.to_owned(),
                municipality: op.municipality.to_owned(),
                coordinates: op.coordinates.to_owned(),
                starts_at,
                ends_at,
                note: String::new(),
            };
            let valid = liaison_app::operations::save::parse(&input, &places).map_err(|err| {
                DbErr::Custom(format!("demo operation of {}: {err}", demo.reference))
            })?;
            let stored = liaison_app::operations::save::new_row(valid, saved.id, created_by, &now)
                .insert(txn)
                .await?;
            liaison_app::overlaps::conflicts::on_operation_saved(
                txn,
                matching,
                &stored,
                joint_venture_id,
            )
            .await
            .map_err(|err| DbErr::Custom(err.to_string()))?;
        }
    }
    stall_the_plate_overlap(txn).await
}

/// The plate seen by Smokkel Zuid and Noord was found three weeks ago and never acknowledged:
/// it shows as uncoordinated, escalated to the manager.
async fn stall_the_plate_overlap(txn: &impl sea_orm::ConnectionTrait) -> Result<(), DbErr> {
    use liaison_app::server::entity::{overlap, overlap_event};
    use sea_orm::{ColumnTrait, QueryFilter, sea_query::Expr};
    let found = liaison_app::server::utc_text(chrono::Utc::now() - chrono::Duration::days(21));
    let stalled: Vec<i32> = overlap::Entity::find()
        .filter(overlap::Column::MatchKind.eq("vehicle"))
        .all(txn)
        .await?
        .into_iter()
        .map(|o| o.id)
        .collect();
    overlap::Entity::update_many()
        .col_expr(overlap::Column::CreatedAt, Expr::value(found.clone()))
        .filter(overlap::Column::Id.is_in(stalled.clone()))
        .exec(txn)
        .await?;
    overlap_event::Entity::update_many()
        .col_expr(overlap_event::Column::At, Expr::value(found))
        .filter(overlap_event::Column::OverlapId.is_in(stalled))
        .exec(txn)
        .await?;
    Ok(())
}

/// A demo account with the demo password, in `organisation_id`.
pub(crate) fn account(
    username: &str,
    display_name: &str,
    organisation_id: i32,
    password_hash: &str,
    created_at: &str,
) -> user_account::ActiveModel {
    user_account::ActiveModel {
        username: Set(username.to_owned()),
        display_name: Set(display_name.to_owned()),
        email: Set(format!("{username}@demo.liaison.invalid")),
        organisation_id: Set(organisation_id),
        password_hash: Set(Some(password_hash.to_owned())),
        active: Set(true),
        // Demo accounts skip the second factor so that every view is easy to try.
        second_factor_required: Set(false),
        created_at: Set(created_at.to_owned()),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_member_is_a_demo_organisation_and_joins_within_the_joint_venture_period() {
        let known: HashSet<_> = ORGANISATIONS.iter().map(|o| o.short_name).collect();
        for jv in JOINT_VENTURES {
            let start = day(jv.start).expect("valid start");
            assert!(
                jv.members.iter().any(|(_, role, _)| *role == Lead),
                "{} has a lead",
                jv.name
            );
            for (member, _, since) in jv.members {
                assert!(known.contains(member), "{member} in {}", jv.name);
                assert!(
                    day(*since).expect("valid date") >= start,
                    "{member} joins {} after it starts",
                    jv.name
                );
            }
        }
    }

    #[test]
    fn there_is_a_demo_account_for_every_role_and_the_demo_password_is_acceptable() {
        for role in Role::ALL {
            assert!(USERS.iter().any(|u| u.roles.contains(role)), "{role}");
        }
        let coordinators = USERS
            .iter()
            .filter(|u| u.roles.contains(&Role::Coordinator))
            .count();
        // Noord has two (four eyes on disclosure), Amsterdam one.
        assert_eq!(coordinators, 3);
        for user in USERS {
            assert_eq!(
                password::check(DEMO_PASSWORD, user.username),
                Ok(()),
                "{}",
                user.username
            );
        }
    }

    #[test]
    fn the_demo_has_a_dozen_active_joint_ventures_on_every_theme() {
        let active: Vec<_> = JOINT_VENTURES
            .iter()
            .filter(|jv| jv.end.is_none())
            .collect();
        assert_eq!(active.len(), 12);
        for theme in Theme::ALL {
            assert!(active.iter().any(|jv| jv.themes.contains(theme)), "{theme}");
        }
    }
}
