//! What the history's episodes are about: each quarter, eight pairs of joint ventures that
//! keep running into each other (the value their cases share, and the course each overlap
//! took that quarter), one operational conflict and one person spelled two ways; and what
//! each joint venture's cases were about and where.

use super::episodes::Course::{self, Agreed, Ruled, Shared};
use super::values::Common;
use crate::demo::cases::{
    AMSTERDAM, EAST, INFOBOX, MINORS, MONEY, NORTH, RADICAL, RECEPTION, ROTTERDAM, SCHIPHOL, SOUTH,
    TRAVEL,
};
use Decision::{FalseMatch, JointAction, LeadFirst, LeadSecond, Merge, NoConflict};
use Theme::{Smuggling, Terrorism, Trafficking};
use liaison_app::domain::{Decision, OperationKind, Theme};

pub(super) type Side = (&'static str, Theme);

/// A pair of joint ventures whose cases share a value, and its course in each quarter.
pub(super) struct Pair {
    pub(super) first: Side,
    pub(super) second: Side,
    pub(super) common: &'static [Common],
    pub(super) courses: [Course; 4],
}

pub(super) const PAIRS: &[Pair] = &[
    Pair {
        first: (NORTH, Smuggling),
        second: (SOUTH, Smuggling),
        common: &[Common::Vehicle, Common::Phone],
        courses: [
            Shared(JointAction),
            Agreed(LeadFirst),
            Ruled(Merge),
            Agreed(JointAction),
        ],
    },
    Pair {
        first: (AMSTERDAM, Trafficking),
        second: (SCHIPHOL, Trafficking),
        common: &[Common::Phone, Common::Email],
        courses: [
            Agreed(LeadSecond),
            Shared(JointAction),
            Agreed(FalseMatch),
            Agreed(LeadFirst),
        ],
    },
    Pair {
        first: (AMSTERDAM, Trafficking),
        second: (RECEPTION, Trafficking),
        common: &[Common::ImmigrationNumber, Common::Phone],
        courses: [
            Agreed(NoConflict),
            Ruled(LeadFirst),
            Shared(JointAction),
            Agreed(NoConflict),
        ],
    },
    Pair {
        first: (NORTH, Smuggling),
        second: (MONEY, Smuggling),
        common: &[Common::BankAccount, Common::Phone],
        courses: [
            Agreed(LeadSecond),
            Agreed(Merge),
            Agreed(LeadFirst),
            Shared(JointAction),
        ],
    },
    Pair {
        first: (ROTTERDAM, Trafficking),
        second: (EAST, Trafficking),
        common: &[Common::Company, Common::Address, Common::BankAccount],
        courses: [
            Ruled(JointAction),
            Agreed(Merge),
            Agreed(LeadFirst),
            Ruled(LeadSecond),
        ],
    },
    Pair {
        first: (MINORS, Trafficking),
        second: (AMSTERDAM, Trafficking),
        common: &[Common::Phone, Common::Email, Common::Address],
        courses: [
            Agreed(JointAction),
            Agreed(FalseMatch),
            Shared(LeadSecond),
            Agreed(NoConflict),
        ],
    },
    Pair {
        first: (TRAVEL, Terrorism),
        second: (INFOBOX, Terrorism),
        common: &[Common::Email, Common::Document],
        courses: [
            Agreed(JointAction),
            Agreed(LeadFirst),
            Agreed(Merge),
            Agreed(LeadSecond),
        ],
    },
    Pair {
        first: (SCHIPHOL, Smuggling),
        second: (SOUTH, Smuggling),
        common: &[Common::Document, Common::Vehicle],
        courses: [
            Agreed(LeadFirst),
            Shared(Merge),
            Ruled(NoConflict),
            Agreed(JointAction),
        ],
    },
];

/// Two operations of different joint ventures at one place within the same hours.
pub(super) struct Conflict {
    pub(super) first: (&'static str, Theme, OperationKind),
    pub(super) second: (&'static str, Theme, OperationKind),
    pub(super) place: &'static str,
    pub(super) municipality: &'static str,
    pub(super) point: (f64, f64),
    pub(super) course: Course,
}

/// One per quarter.
pub(super) static CONFLICTS: [Conflict; 4] = [
    Conflict {
        first: (NORTH, Smuggling, OperationKind::Search),
        second: (AMSTERDAM, Trafficking, OperationKind::Arrest),
        place: "Busstation Groningen Hoofdstation",
        municipality: "GM0014",
        point: (53.2105, 6.5641),
        course: Agreed(NoConflict),
    },
    Conflict {
        first: (SOUTH, Smuggling, OperationKind::BorderCheck),
        second: (SCHIPHOL, Smuggling, OperationKind::Arrest),
        place: "Station Breda, perron 5",
        municipality: "GM0758",
        point: (51.5955, 4.7797),
        course: Agreed(JointAction),
    },
    Conflict {
        first: (ROTTERDAM, Trafficking, OperationKind::Search),
        second: (EAST, Trafficking, OperationKind::Search),
        place: "Distributiecentrum Waalhaven",
        municipality: "GM0599",
        point: (51.8897, 4.4232),
        course: Ruled(LeadFirst),
    },
    Conflict {
        first: (RADICAL, Terrorism, OperationKind::Interview),
        second: (TRAVEL, Terrorism, OperationKind::Arrest),
        place: "Den Haag Centraal",
        municipality: "GM0518",
        point: (52.0802, 4.3245),
        course: Agreed(NoConflict),
    },
];

/// One person as two joint ventures typed them (transliterated, with or without diacritics,
/// the date the other way round, a three-letter nationality): given names, family name, date
/// of birth, nationality.
pub(super) struct Namesake {
    pub(super) first: Side,
    pub(super) second: Side,
    pub(super) typed: [(&'static str, &'static str, &'static str, &'static str); 2],
    pub(super) course: Course,
}

/// One per quarter.
pub(super) static NAMESAKES: [Namesake; 4] = [
    Namesake {
        first: (MONEY, Smuggling),
        second: (ROTTERDAM, Trafficking),
        typed: [
            ("Abdallah", "Jaber", "1983-11-05", "SY"),
            ("Abdullah", "Jaber", "05-11-1983", "SYR"),
        ],
        course: Agreed(LeadSecond),
    },
    Namesake {
        first: (SCHIPHOL, Smuggling),
        second: (NORTH, Smuggling),
        typed: [
            ("Ünal", "Öztürk", "1986-04-12", "TR"),
            ("Unal", "Ozturk", "1986-04-12", "TUR"),
        ],
        course: Shared(JointAction),
    },
    Namesake {
        first: (TRAVEL, Terrorism),
        second: (RADICAL, Terrorism),
        typed: [
            ("Mustapha", "Idrissi", "1992-01-17", "MA"),
            ("Moestafa", "Idrissi", "17-01-1992", "MAR"),
        ],
        course: Agreed(JointAction),
    },
    Namesake {
        first: (AMSTERDAM, Trafficking),
        second: (MINORS, Trafficking),
        typed: [
            ("Aleksander", "Morozov", "1978-09-23", "UA"),
            ("Alexander", "Morozov", "1978-09-23", "UA"),
        ],
        course: Agreed(FalseMatch),
    },
];

/// What each joint venture's history cases were about and where: a reference prefix, themes
/// of work and places, combined so that no two of its cases read alike.
pub(super) const CASEBOOK: &[(&str, &str, &[&str], &[&str])] = &[
    (
        NORTH,
        "TMN",
        &[
            "Smokkel in bestelbussen",
            "Taxiritten naar de Duitse grens",
            "Ronselen bij een opvanglocatie",
            "Onderdak voor doorreizigers",
            "Valse reisdocumenten in omloop",
            "Betaalde lifts naar Duitsland",
        ],
        &["Groningen", "Emmen", "Assen", "Winschoten"],
    ),
    (
        AMSTERDAM,
        "KMA",
        &[
            "Uitbuiting in nagelsalons",
            "Gedwongen sekswerk via advertenties",
            "Arbeidsuitbuiting in de horeca",
            "Criminele uitbuiting van jongeren",
            "Uitbuiting in de schoonmaak",
            "Huisvesting via een malafide verhuurder",
        ],
        &[
            "Amsterdam-West",
            "Amsterdam-Zuidoost",
            "Amsterdam-Noord",
            "Amsterdam-Centrum",
        ],
    ),
    (
        ROTTERDAM,
        "PAR",
        &[
            "Uitzendkrachten zonder loon",
            "Schijnzelfstandigheid in de bouw",
            "Overbewoning door een uitzendbureau",
            "Loonbeslag door een huisjesmelker",
            "Uitbuiting in de vleesverwerking",
            "Arbeidsmigranten in de havenlogistiek",
        ],
        &["Rotterdam-Zuid", "Waalhaven", "Schiedam", "Spijkenisse"],
    ),
    (
        INFOBOX,
        "LIC",
        &[
            "Financiering via een stichting",
            "Propaganda via berichtenapps",
            "Reisbewegingen van een netwerk",
            "Geldstromen via cryptohandel",
            "Contacten met een buitenlandse cel",
            "Wapenhandel via het darkweb",
        ],
        &["landelijk", "Randstad", "Zuid"],
    ),
    (
        SOUTH,
        "GSZ",
        &[
            "Smokkelroute over de A16",
            "Personenauto's vanuit Antwerpen",
            "Vrachtwagens op de E19",
            "Treinreizigers zonder papieren",
            "Tankstation als overstapplaats",
            "Koeriers met valse paspoorten",
        ],
        &["Breda", "Roosendaal", "Venlo", "Maastricht"],
    ),
    (
        SCHIPHOL,
        "MCS",
        &[
            "Vervalste verblijfsdocumenten",
            "Transitreizigers naar Londen",
            "Look-alike-fraude bij de paspoortcontrole",
            "Reizigers met geleende paspoorten",
            "Minderjarigen zonder ouders op reis",
            "Tickets betaald door derden",
        ],
        &[
            "vertrekhal 2",
            "aankomsthal 3",
            "transitgebied",
            "Schiphol-Oost",
        ],
    ),
    (
        RECEPTION,
        "SO",
        &[
            "Bewoners 's nachts opgehaald",
            "Werk aangeboden bij de poort",
            "Schulden bij een landgenoot",
            "Verdwenen alleenstaande minderjarige",
            "Verblijf tegen betaling aangeboden",
            "Vervoer naar een ander land aangeboden",
        ],
        &["Budel", "Zwolle", "Gilze", "Musselkanaal"],
    ),
    (
        RADICAL,
        "RLZ",
        &[
            "Online ronselen van scholieren",
            "Dreigende berichten op sociale media",
            "Bijeenkomsten in een buurthuis",
        ],
        &["Den Haag", "Rotterdam"],
    ),
    (
        EAST,
        "USO",
        &[
            "Seizoenswerkers zonder contract",
            "Paspoorten ingehouden door de werkgever",
            "Huisvesting in een schuur",
            "Uitzendbureau zonder registratie",
            "Loon uitbetaald in natura",
            "Vervoer in overvolle busjes",
        ],
        &["Enschede", "Venray", "Deventer", "Apeldoorn"],
    ),
    (
        MONEY,
        "FRM",
        &[
            "Hawala-betalingen voor overtochten",
            "Geldezels met rekeningen bij een neobank",
            "Contante betalingen via een wisselkantoor",
            "Witwassen via een autohandel",
            "Betalingen via cadeaukaarten",
            "Rekeningen van een schijnbedrijf",
        ],
        &["landelijk", "Rotterdam", "Amsterdam"],
    ),
    (
        TRAVEL,
        "JR",
        &[
            "Uitreispoging via Istanbul",
            "Terugkeerder uit een kamp",
            "Reisdocumenten via een tussenpersoon",
            "Geplande uitreis via Wenen",
            "Contact met een ronselaar",
            "Financiering van een reis",
        ],
        &["Schiphol", "Eindhoven Airport", "landelijk"],
    ),
    (
        MINORS,
        "MSB",
        &[
            "Loverboy via sociale media",
            "Meisjes ingezet in hotels",
            "Jongens ingezet als drugskoerier",
            "Uitbuiting via een sportclub",
            "Minderjarigen in een massagesalon",
            "Chantage met beeldmateriaal",
        ],
        &["Eindhoven", "Helmond", "Tilburg", "'s-Hertogenbosch"],
    ),
];

pub(super) const CLOSINGS: &[&str] = &[
    "Afgerond; de bevindingen zijn overgedragen aan het Openbaar Ministerie.",
    "Afgesloten na een gezamenlijke actie met de partners.",
    "Beëindigd: onvoldoende aanwijzingen voor verdere opsporing.",
    "Afgerond met bestuurlijke maatregelen van de gemeente.",
    "Afgesloten; de verdachten zijn gedagvaard.",
];
