//! The values of the history's subjects. Each is made from a serial number, so that no two
//! episodes share one by accident and none is a value of the live demo cases or of the tests'
//! input, and each shared value is typed a little differently by the two sides, as
//! coordinators do: the normal forms match.

use liaison_app::subjects::types::SubjectInput;

/// What the two cases of an episode had in common.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Common {
    Phone,
    Email,
    Vehicle,
    BankAccount,
    ImmigrationNumber,
    Document,
    Company,
    Address,
}

pub(super) fn input(kind: &str, fields: &[(&str, String)]) -> SubjectInput {
    let mut input = SubjectInput {
        kind: kind.to_owned(),
        ..Default::default()
    };
    for (field, value) in fields {
        input.set(field, value.clone());
    }
    input
}

fn owned(value: &str) -> String {
    value.to_owned()
}

/// Plate letters: consonants only, as on Dutch plates.
const LETTERS: &[u8] = b"BDFGHJKLNPRSTXZ";

fn letter(i: u64) -> char {
    char::from(LETTERS[(i % LETTERS.len() as u64) as usize])
}

/// One value as the first and the second side typed it.
pub(super) fn common(kind: Common, n: u64) -> [SubjectInput; 2] {
    match kind {
        Common::Phone => {
            let d = mobile_digits(n);
            [
                input(
                    "phone",
                    &[(
                        "value",
                        format!("06 47 {} {} {}", &d[0..2], &d[2..4], &d[4..6]),
                    )],
                ),
                input("phone", &[("value", format!("+31 6 47{d}"))]),
            ]
        }
        Common::Email => {
            let local = mailbox(n);
            [
                input("email", &[("value", format!("{local}@example.net"))]),
                input(
                    "email",
                    &[("value", format!("{}@Example.net", capitalised(&local)))],
                ),
            ]
        }
        Common::Vehicle => {
            let digits = 100 + (n * 37) % 900;
            match n % 3 {
                0 => {
                    let plate = format!(
                        "{}{}-{digits}-{}",
                        letter(n),
                        letter(n / 15 + 4),
                        letter(n * 7 + 2)
                    );
                    [
                        input(
                            "vehicle",
                            &[("value", plate.clone()), ("country", owned("NL"))],
                        ),
                        input(
                            "vehicle",
                            &[("value", plate.replace('-', "").to_lowercase())],
                        ),
                    ]
                }
                1 => {
                    let plate = format!(
                        "1-{}{}{}-{digits}",
                        letter(n + 1),
                        letter(n / 15 + 6),
                        letter(n * 3)
                    );
                    [
                        input(
                            "vehicle",
                            &[("value", plate.clone()), ("country", owned("BE"))],
                        ),
                        input(
                            "vehicle",
                            &[("value", plate.to_lowercase()), ("country", owned("BEL"))],
                        ),
                    ]
                }
                _ => {
                    let plate = format!(
                        "W{}{} {digits}{:02}",
                        letter(n + 2),
                        letter(n / 15 + 1),
                        n % 100
                    );
                    [
                        input(
                            "vehicle",
                            &[("value", plate.clone()), ("country", owned("PL"))],
                        ),
                        input(
                            "vehicle",
                            &[
                                ("value", plate.replace(' ', "").to_lowercase()),
                                ("country", owned("POL")),
                            ],
                        ),
                    ]
                }
            }
        }
        Common::BankAccount => {
            let iban = dutch_iban(n);
            let spaced = iban
                .as_bytes()
                .chunks(4)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect::<Vec<_>>()
                .join(" ");
            [
                input("bank_account", &[("value", spaced)]),
                input("bank_account", &[("value", iban.to_lowercase())]),
            ]
        }
        Common::ImmigrationNumber => {
            let number = format!("31{:08}", (n * 7_121 + 1_234_567) % 100_000_000);
            [
                input("immigration_number", &[("value", number.clone())]),
                input(
                    "immigration_number",
                    &[("value", format!("V {} {}", &number[0..5], &number[5..10]))],
                ),
            ]
        }
        Common::Document => {
            const PAPERS: &[(&str, &str, &str)] = &[
                ("passport", "RO", "ROU"),
                ("residence_permit", "NL", "NLD"),
                ("id_card", "BE", "BEL"),
                ("passport", "UA", "UKR"),
                ("passport", "NG", "NGA"),
            ];
            let (paper, alpha2, alpha3) = PAPERS[(n % PAPERS.len() as u64) as usize];
            let number = format!(
                "{}{}{:07}",
                letter(n + 5),
                letter(n / 15 + 9),
                (n * 7_331 + 2_000_000) % 10_000_000
            );
            let retyped = format!("{}-{}-{}", &number[0..2], &number[2..5], &number[5..9]);
            [
                input(
                    "document",
                    &[
                        ("document_type", owned(paper)),
                        ("value", number),
                        ("country", owned(alpha2)),
                    ],
                ),
                input(
                    "document",
                    &[
                        ("document_type", owned(paper)),
                        ("value", retyped.to_lowercase()),
                        ("country", owned(alpha3)),
                    ],
                ),
            ]
        }
        Common::Company => {
            const COMPANIES: &[&str] = &[
                "Snelbouw Uitzendservice",
                "Rijnmond Flexwerk",
                "Oost Agri Personeel",
                "Havenlogistiek Personeel",
                "Bouwhulp Direct",
                "Vers en Verwerking Personeel",
            ];
            let name = COMPANIES[(n % COMPANIES.len() as u64) as usize];
            let number = format!("6{:07}", (n * 9_377 + 1_000_003) % 10_000_000);
            [
                input(
                    "company",
                    &[
                        ("name", format!("{name} BV")),
                        ("value", number.clone()),
                        ("country", owned("NL")),
                    ],
                ),
                input(
                    "company",
                    &[
                        ("name", format!("{name} B.V.")),
                        ("value", format!("{} {}", &number[0..4], &number[4..8])),
                        ("country", owned("NL")),
                    ],
                ),
            ]
        }
        Common::Address => {
            const STREETS: &[(&str, &str)] = &[
                ("Boezemsingel", "Rotterdam"),
                ("Kanaalweg", "Enschede"),
                ("Spoorlaan", "Tilburg"),
                ("Rijnstraat", "Arnhem"),
                ("Havenstraat", "Schiedam"),
                ("Marktweg", "Venlo"),
            ];
            const PAIRS: &[&str] = &["BX", "CK", "DR", "EH", "GL", "JP", "KT", "LM"];
            let (street, town) = STREETS[(n % STREETS.len() as u64) as usize];
            let digits = 1000 + (n * 613 + 2011) % 9000;
            let pair = PAIRS[((n / 6) % PAIRS.len() as u64) as usize];
            let house = 1 + (n * 29) % 180;
            [
                input(
                    "address",
                    &[
                        ("street", owned(street)),
                        ("house_number", house.to_string()),
                        ("postcode", format!("{digits} {pair}")),
                        ("municipality", owned(town)),
                    ],
                ),
                input(
                    "address",
                    &[
                        ("street", owned(street)),
                        ("house_number", house.to_string()),
                        ("postcode", format!("{digits}{}", pair.to_lowercase())),
                        ("municipality", owned(town)),
                    ],
                ),
            ]
        }
    }
}

/// A value only one case has: a phone number or an e-mail address.
pub(super) fn single(n: u64) -> SubjectInput {
    if n.is_multiple_of(2) {
        input("phone", &[("value", format!("06-47{}", mobile_digits(n)))])
    } else {
        input("email", &[("value", format!("{}@example.net", mailbox(n)))])
    }
}

/// Six digits after `06 47`, different for every `n` below a million.
fn mobile_digits(n: u64) -> String {
    format!("{:06}", (n * 7_919 + 104_729) % 1_000_000)
}

fn mailbox(n: u64) -> String {
    const MAILBOXES: &[&str] = &[
        "snelvervoer",
        "werkbemiddeling",
        "reisdesk",
        "kamerverhuur",
        "geldtransfer",
        "uitzendhulp",
        "visumservice",
        "pendelbus",
    ];
    format!("{}{n}", MAILBOXES[(n % MAILBOXES.len() as u64) as usize])
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A Dutch IBAN with a valid check: the account number passes the eleven test (weights 10 to
/// 1) and the check digits make the whole divisible by 97 (ISO 13616).
pub(super) fn dutch_iban(n: u64) -> String {
    const BANKS: &[&str] = &["RABO", "INGB", "ABNA", "TRIO", "SNSB", "ASNB"];
    let bank = BANKS[(n % BANKS.len() as u64) as usize];
    let mut body = 100_000_000 + (n * 37_139) % 800_000_000;
    let account = loop {
        let digits: Vec<u64> = body
            .to_string()
            .bytes()
            .map(|b| u64::from(b.saturating_sub(b'0')))
            .collect();
        let sum: u64 = (0u64..).zip(&digits).map(|(i, d)| d * (10 - i)).sum();
        let last = (11 - sum % 11) % 11;
        if last < 10 {
            break format!("{body}{last}");
        }
        body += 1;
    };
    let mut rest = 0u64;
    for c in format!("{bank}{account}NL00").chars() {
        let value = u64::from(c.to_digit(36).unwrap_or(0));
        rest = if value >= 10 {
            (rest * 100 + value) % 97
        } else {
            (rest * 10 + value) % 97
        };
    }
    format!("NL{:02}{bank}{account}", 98 - rest)
}

/// Invented people, each with a nationality: family names distinct enough that two of them
/// never match as one person, given names apart.
const FAMILIES: &[(&str, &str)] = &[
    ("Vermeulen", "NL"),
    ("Oduya", "NG"),
    ("Stanescu", "RO"),
    ("Haidari", "AF"),
    ("Nwosu", "NG"),
    ("Brandsma", "NL"),
    ("Kuipers", "NL"),
    ("Lungu", "RO"),
    ("Demir", "TR"),
    ("Osmani", "AL"),
    ("Tesfaye", "ER"),
    ("Nazari", "AF"),
    ("Popescu", "RO"),
    ("Gashi", "AL"),
    ("Mensah", "GH"),
    ("Kaya", "TR"),
    ("Baran", "PL"),
    ("Dijkstra", "NL"),
    ("Rostami", "IR"),
    ("Hakimi", "AF"),
    ("Okafor", "NG"),
    ("Berisha", "AL"),
    ("Yilmaz", "TR"),
    ("Sadiqi", "AF"),
    ("Wojcik", "PL"),
    ("Horvat", "HR"),
    ("Mwangi", "KE"),
    ("Faizi", "AF"),
    ("Kebede", "ET"),
    ("Markovic", "RS"),
    ("Teunissen", "NL"),
    ("Zeqiri", "MK"),
    ("Boateng", "GH"),
    ("Lindqvist", "SE"),
    ("Ghebre", "ER"),
    ("Tahiri", "MA"),
    ("Smolenko", "UA"),
    ("Achterberg", "NL"),
    ("Quispe", "PE"),
    ("Ekwueme", "NG"),
    ("Varga", "HU"),
    ("Uddin", "BD"),
    ("Jovanovic", "RS"),
    ("Ramdin", "SR"),
    ("Coban", "TR"),
    ("Fofana", "GN"),
    ("Idowu", "NG"),
    ("Pereira", "BR"),
];

const GIVEN: &[&str] = &[
    "Ionut", "Amina", "Dawit", "Elena", "Kofi", "Samira", "Bram", "Nadia", "Tomasz", "Leyla",
    "Arben", "Grace", "Milan", "Farida", "Goran", "Sanne", "Yonas", "Irina", "Hamid", "Mirela",
    "Jasper", "Esra", "Viktor", "Zainab",
];

/// The `p`-th invented person. One family name comes back every 48 people, born twenty or
/// more years apart: no date of birth fits both, so they are never taken for one person.
pub(super) fn person(p: u64) -> SubjectInput {
    let (family, nationality) = FAMILIES[(p % FAMILIES.len() as u64) as usize];
    let given = GIVEN[((p * 5 + 3) % GIVEN.len() as u64) as usize];
    let year = 1962 + (p * 17) % 44;
    let month = 1 + (p * 5) % 12;
    let day = 1 + (p * 11) % 28;
    input(
        "person",
        &[
            ("given_names", owned(given)),
            ("family_name", owned(family)),
            ("birth_date", format!("{year}-{month:02}-{day:02}")),
            ("nationality", owned(nationality)),
        ],
    )
}

/// A person as one side typed them: given names, family name, date of birth, nationality.
pub(super) fn typed_person(
    (given, family, born, nationality): (&str, &str, &str, &str),
) -> SubjectInput {
    input(
        "person",
        &[
            ("given_names", owned(given)),
            ("family_name", owned(family)),
            ("birth_date", owned(born)),
            ("nationality", owned(nationality)),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_iban_check_is_the_published_one() {
        // The account of the published example, through the same check computation.
        let mut rest = 0u64;
        for c in "ABNA0417164300NL00".chars() {
            let value = u64::from(c.to_digit(36).unwrap_or(0));
            rest = if value >= 10 {
                (rest * 100 + value) % 97
            } else {
                (rest * 10 + value) % 97
            };
        }
        assert_eq!(98 - rest, 91);
        for n in 0..50 {
            let iban = dutch_iban(n);
            assert_eq!(iban.len(), 18, "{iban}");
            assert!(
                liaison_app::domain::identifiers::iban(&iban).is_ok(),
                "{iban}"
            );
        }
    }
}
