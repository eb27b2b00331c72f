//! Demo cases: a few per joint venture, with subjects and operations, and a handful of
//! deliberate overlaps between joint ventures for the overlap detection to find:
//! - the same mobile number, typed differently, in Noord and Amsterdam;
//! - one person spelled `Mohammed El Amrani` in Amsterdam and `Mohamed El-Amrani` at Schiphol,
//!   with the same date of birth;
//! - a search by Noord and an arrest by Amsterdam at Amsterdam Sloterdijk station in overlapping
//!   hours, three days after the demo is loaded;
//! - one IBAN in Rotterdam-Rijnmond and in Financiële Recherche;
//! - one plate in Smokkel Zuid and Noord.
//!
//! Every person, number and address is invented. Subjects go through the same parser as a
//! coordinator's input.

use chrono::{Duration, NaiveDate};
use liaison_app::domain::{CaseStatus, Handling, OperationKind, Theme};

pub struct DemoOperation {
    pub kind: OperationKind,
    pub place: &'static str,
    pub municipality: &'static str,
    /// `lat, lon`, or empty for the municipality's point.
    pub coordinates: &'static str,
    /// Days after loading, start hour, length in hours.
    pub in_days: i64,
    pub from_hour: u32,
    pub hours: i64,
}

pub struct DemoCase {
    pub joint_venture: &'static str,
    pub reference: &'static str,
    pub title: &'static str,
    pub theme: Theme,
    pub status: CaseStatus,
    pub start: (i32, u32, u32),
    pub handling: Handling,
    pub description: &'static str,
    /// (kind, [(field, value)]) in the import layout.
    pub subjects: &'static [(&'static str, &'static [(&'static str, &'static str)])],
    pub operations: &'static [DemoOperation],
}

use CaseStatus::{Active, Closed, Planned};
use Handling::{PointerOnly, ShareOnConsent};
use OperationKind as O;
use Theme::{Smuggling, Terrorism, Trafficking};

pub(super) const NORTH: &str = "Taskforce Mensensmokkel Noord";
pub(super) const AMSTERDAM: &str = "Ketenaanpak Mensenhandel Amsterdam";
pub(super) const ROTTERDAM: &str = "Programma Arbeidsuitbuiting Rotterdam-Rijnmond";
pub(super) const INFOBOX: &str = "Landelijke Infobox Contraterrorisme";
pub(super) const SOUTH: &str = "Grensoverschrijdende Smokkel Zuid";
pub(super) const SCHIPHOL: &str = "Migratiecriminaliteit Schiphol";
pub(super) const RECEPTION: &str = "Signalen uit de Opvang";
pub(super) const RADICAL: &str = "Radicalisering Lokaal Zuid-Holland";
pub(super) const EAST: &str = "Uitbuiting Seizoensarbeid Oost";
pub(super) const MONEY: &str = "Financiële Recherche Mensensmokkel";
pub(super) const TRAVEL: &str = "Jihadistische Reisbewegingen";
pub(super) const MINORS: &str = "Minderjarige Slachtoffers Brabant";

/// Amsterdam Sloterdijk station, where two joint ventures plan to act at once.
const SLOTERDIJK: &str = "52.3889, 4.8380";

pub const CASES: &[DemoCase] = &[
    DemoCase {
        joint_venture: NORTH,
        reference: "TMN-2026-014",
        title: "Bestelbussen via Nieuweschans",
        theme: Smuggling,
        status: Active,
        start: (2026, 3, 2),
        handling: ShareOnConsent,
        description: "Migranten worden in bestelbussen via de grensovergang Nieuweschans naar Amsterdam vervoerd; chauffeurs wisselen, het telefoonnummer van de regelaar niet.",
        subjects: &[
            (
                "person",
                &[
                    ("given_names", "Dariusz"),
                    ("family_name", "Kowalczyk"),
                    ("birth_date", "1984-07-21"),
                    ("nationality", "PL"),
                    ("sex", "male"),
                ],
            ),
            ("phone", &[("value", "06 41 23 45 67")]),
            ("vehicle", &[("value", "VX-512-K"), ("country", "NL")]),
            ("vehicle", &[("value", "GD 7731K"), ("country", "PL")]),
        ],
        operations: &[DemoOperation {
            kind: O::Search,
            place: "Station Amsterdam Sloterdijk, busperron",
            municipality: "GM0363",
            coordinates: SLOTERDIJK,
            in_days: 3,
            from_hour: 6,
            hours: 4,
        }],
    },
    DemoCase {
        joint_venture: NORTH,
        reference: "TMN-2026-021",
        title: "Ronselaar bij aanmeldcentrum Ter Apel",
        theme: Smuggling,
        status: Planned,
        start: (2026, 10, 1),
        handling: PointerOnly,
        description: "Een ronselaar biedt bij het aanmeldcentrum vervoer naar andere landen aan.",
        subjects: &[
            (
                "person",
                &[
                    ("given_names", "Yusuf"),
                    ("family_name", "Haddad"),
                    ("birth_date", "1979"),
                    ("nationality", "SYR"),
                ],
            ),
            ("phone", &[("value", "+49 1512 3456789")]),
        ],
        operations: &[DemoOperation {
            kind: O::Interview,
            place: "Aanmeldcentrum Ter Apel",
            municipality: "GM1950",
            coordinates: "",
            in_days: 10,
            from_hour: 9,
            hours: 3,
        }],
    },
    DemoCase {
        joint_venture: AMSTERDAM,
        reference: "KMA-2026-007",
        title: "Uitbuiting in massagesalons West",
        theme: Trafficking,
        status: Active,
        start: (2026, 1, 15),
        handling: ShareOnConsent,
        description: "Vrouwen werken zonder loon in drie salons; huisvesting en vervoer lopen via één regelaar.",
        subjects: &[
            (
                "person",
                &[
                    ("given_names", "Mohammed"),
                    ("family_name", "El Amrani"),
                    ("birth_date", "14-03-1991"),
                    ("nationality", "MA"),
                    ("sex", "male"),
                ],
            ),
            ("phone", &[("value", "+31 (0)6-4123 4567")]),
            (
                "address",
                &[
                    ("street", "Jan van Galenstraat"),
                    ("house_number", "210-B"),
                    ("postcode", "1056 CB"),
                    ("municipality", "Amsterdam"),
                ],
            ),
            ("bank_account", &[("value", "NL02 ABNA 0123 4567 89")]),
        ],
        operations: &[DemoOperation {
            kind: O::Arrest,
            place: "Station Amsterdam Sloterdijk",
            municipality: "GM0363",
            coordinates: "52.3891, 4.8377",
            in_days: 3,
            from_hour: 7,
            hours: 2,
        }],
    },
    DemoCase {
        joint_venture: AMSTERDAM,
        reference: "KMA-2025-031",
        title: "Gedwongen criminaliteit minderjarigen Noord",
        theme: Trafficking,
        status: Closed,
        start: (2025, 4, 1),
        handling: PointerOnly,
        description: "Minderjarigen werden ingezet voor winkeldiefstal; afgerond na vervolging.",
        subjects: &[
            (
                "person",
                &[
                    ("given_names", "Kevin"),
                    ("family_name", "de Wit"),
                    ("birth_date", "2001-11"),
                    ("nationality", "NL"),
                ],
            ),
            ("email", &[("value", "snelgeld.noord@example.org")]),
        ],
        operations: &[],
    },
    DemoCase {
        joint_venture: SCHIPHOL,
        reference: "MCS-2026-003",
        title: "Vervalste verblijfsdocumenten transitpassagiers",
        theme: Smuggling,
        status: Active,
        start: (2026, 2, 10),
        handling: ShareOnConsent,
        description: "Transitpassagiers reizen op vervalste verblijfsdocumenten door naar het Verenigd Koninkrijk.",
        subjects: &[
            (
                "person",
                &[
                    ("given_names", "Mohamed"),
                    ("family_name", "El-Amrani"),
                    ("birth_date", "1991-03-14"),
                    ("nationality", "MAR"),
                ],
            ),
            (
                "document",
                &[
                    ("document_type", "residence_permit"),
                    ("value", "NX4417729"),
                    ("country", "NL"),
                ],
            ),
            ("email", &[("value", "travel.docs.ams@example.org")]),
        ],
        operations: &[],
    },
    DemoCase {
        joint_venture: ROTTERDAM,
        reference: "PAR-2026-011",
        title: "Uitzendbureau met schijnconstructie",
        theme: Trafficking,
        status: Active,
        start: (2026, 5, 4),
        handling: PointerOnly,
        description: "Arbeidsmigranten betalen huur en 'bemiddeling' terug via loonbeslag.",
        subjects: &[
            (
                "company",
                &[
                    ("name", "Flexwerk Maasvlakte BV"),
                    ("value", "87654321"),
                    ("country", "NL"),
                ],
            ),
            ("bank_account", &[("value", "NL44 RABO 0123 4567 89")]),
            (
                "address",
                &[
                    ("street", "Hoogvliet Dorpsstraat"),
                    ("house_number", "12"),
                    ("postcode", "3194 AA"),
                    ("municipality", "Rotterdam"),
                ],
            ),
        ],
        operations: &[DemoOperation {
            kind: O::Search,
            place: "Kantoor uitzendbureau",
            municipality: "GM0599",
            coordinates: "",
            in_days: 14,
            from_hour: 8,
            hours: 6,
        }],
    },
    DemoCase {
        joint_venture: MONEY,
        reference: "FRM-2026-002",
        title: "Hawala-netwerk smokkelgelden",
        theme: Smuggling,
        status: Active,
        start: (2026, 1, 5),
        handling: PointerOnly,
        description: "Betalingen voor smokkel lopen via een hawala-bankier en rekeningen van een uitzendbureau.",
        subjects: &[
            ("bank_account", &[("value", "nl44rabo0123456789")]),
            (
                "person",
                &[
                    ("given_names", "Ahmad"),
                    ("family_name", "Rahimi"),
                    ("birth_date", "1975-02"),
                    ("nationality", "AF"),
                ],
            ),
        ],
        operations: &[],
    },
    DemoCase {
        joint_venture: SOUTH,
        reference: "GSZ-2026-009",
        title: "Smokkelroute Antwerpen–Breda",
        theme: Smuggling,
        status: Active,
        start: (2026, 4, 20),
        handling: ShareOnConsent,
        description: "Personenauto's halen migranten op in Antwerpen en zetten ze af bij tankstations langs de A16.",
        subjects: &[
            ("vehicle", &[("value", "vx 512 k")]),
            ("phone", &[("value", "+32 470 12 34 56")]),
            (
                "person",
                &[
                    ("given_names", "Ilir"),
                    ("family_name", "Hoxha"),
                    ("birth_date", "1988"),
                    ("nationality", "AL"),
                ],
            ),
        ],
        operations: &[DemoOperation {
            kind: O::BorderCheck,
            place: "A16 bij Hazeldonk",
            municipality: "",
            coordinates: "51.4964, 4.7436",
            in_days: 5,
            from_hour: 22,
            hours: 6,
        }],
    },
    DemoCase {
        joint_venture: RECEPTION,
        reference: "SO-2026-017",
        title: "Bewoners opgehaald door busje",
        theme: Trafficking,
        status: Active,
        start: (2026, 6, 1),
        handling: ShareOnConsent,
        description: "Meerdere bewoners van een opvanglocatie worden 's ochtends opgehaald en 's nachts teruggebracht.",
        subjects: &[
            ("vehicle", &[("value", "V-233-XZ")]),
            ("immigration_number", &[("value", "2205114377")]),
        ],
        operations: &[],
    },
    DemoCase {
        joint_venture: RADICAL,
        reference: "RLZ-2026-004",
        title: "Online ronselen in de regio Den Haag",
        theme: Terrorism,
        status: Active,
        start: (2026, 2, 1),
        handling: PointerOnly,
        description: "Een account verspreidt oproepen en zoekt contact met jongeren.",
        subjects: &[
            ("email", &[("value", "echo.haag@example.org")]),
            (
                "person",
                &[
                    ("given_names", "Samir"),
                    ("family_name", "Bouzid"),
                    ("birth_date", "2004"),
                    ("nationality", "NL"),
                ],
            ),
        ],
        operations: &[],
    },
    DemoCase {
        joint_venture: EAST,
        reference: "USO-2026-006",
        title: "Huisvesting seizoenswerkers Westland-Oost",
        theme: Trafficking,
        status: Active,
        start: (2026, 3, 15),
        handling: PointerOnly,
        description: "Veertig seizoenswerkers in één loods; paspoorten ingehouden door de werkgever.",
        subjects: &[
            (
                "company",
                &[
                    ("name", "AgroStaff Oost BV"),
                    ("value", "76543210"),
                    ("country", "NL"),
                ],
            ),
            (
                "address",
                &[
                    ("street", "Industrieweg"),
                    ("house_number", "4"),
                    ("postcode", "7521 PH"),
                    ("municipality", "Enschede"),
                ],
            ),
        ],
        operations: &[DemoOperation {
            kind: O::Search,
            place: "Loods Industrieweg",
            municipality: "GM0153",
            coordinates: "",
            in_days: 7,
            from_hour: 5,
            hours: 5,
        }],
    },
    DemoCase {
        joint_venture: TRAVEL,
        reference: "JR-2026-012",
        title: "Terugkeerder via Istanbul",
        theme: Terrorism,
        status: Active,
        start: (2026, 8, 1),
        handling: PointerOnly,
        description: "Verwachte terugkeer van een uitreiziger via Istanbul naar Schiphol.",
        subjects: &[
            (
                "person",
                &[
                    ("given_names", "Aleksandr"),
                    ("family_name", "Petrov"),
                    ("birth_date", "1993-09-30"),
                    ("nationality", "RU"),
                ],
            ),
            (
                "document",
                &[
                    ("document_type", "passport"),
                    ("value", "751234567"),
                    ("country", "RU"),
                ],
            ),
        ],
        operations: &[DemoOperation {
            kind: O::BorderCheck,
            place: "Schiphol, aankomsthal 3",
            municipality: "GM0394",
            coordinates: "",
            in_days: 12,
            from_hour: 14,
            hours: 3,
        }],
    },
    DemoCase {
        joint_venture: INFOBOX,
        reference: "LIC-2026-001",
        title: "Financiering via cryptohandel",
        theme: Terrorism,
        status: Active,
        start: (2026, 5, 1),
        handling: PointerOnly,
        description: "Kleine betalingen aan een buitenlandse stichting via een handelsplatform.",
        subjects: &[(
            "company",
            &[
                ("name", "Stichting Al-Noor Relief"),
                ("value", "HRB 55123"),
                ("country", "DE"),
            ],
        )],
        operations: &[],
    },
    DemoCase {
        joint_venture: MINORS,
        reference: "MSB-2026-008",
        title: "Loverboy-netwerk Eindhoven",
        theme: Trafficking,
        status: Active,
        start: (2026, 7, 1),
        handling: PointerOnly,
        description: "Minderjarige meisjes worden via sociale media benaderd en uitgebuit.",
        subjects: &[
            (
                "person",
                &[
                    ("given_names", "Jordy"),
                    ("family_name", "van Dam"),
                    ("birth_date", "1999"),
                    ("nationality", "NL"),
                ],
            ),
            ("phone", &[("value", "06-38765432")]),
        ],
        operations: &[DemoOperation {
            kind: O::Hearing,
            place: "Rechtbank Oost-Brabant",
            municipality: "",
            coordinates: "51.6906, 5.2951",
            in_days: 20,
            from_hour: 9,
            hours: 4,
        }],
    },
];

/// The local start and end of an operation, counted from `today`.
pub fn window(op: &DemoOperation, today: NaiveDate) -> Option<(String, String)> {
    let start = (today + Duration::days(op.in_days)).and_hms_opt(op.from_hour, 0, 0)?;
    let end = start + Duration::hours(op.hours);
    let text = |t: chrono::NaiveDateTime| t.format("%Y-%m-%dT%H:%M").to_string();
    Some((text(start), text(end)))
}
