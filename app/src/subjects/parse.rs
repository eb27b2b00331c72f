//! A subject form (or CSV row) parsed into a subject: each kind's fields checked through the
//! normalisers, fields the kind does not use refused (so no typed value is silently dropped),
//! and the summary people read and the normal form matching uses computed once.

use crate::domain::{DocumentType, Sex, SubjectKind};
use crate::{
    domain::identifiers::{self as normalise, BirthDate, Problem},
    subjects::types::{SubjectInput, fields_of},
};

/// Which field is wrong and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invalid {
    pub field: &'static str,
    pub problem: Problem,
}

/// A person's own matching keys, beside the subject's name key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonKeys {
    pub given_key: Option<String>,
    pub family_key: String,
    pub birth_date: BirthDate,
    pub nationality: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSubject {
    pub kind: SubjectKind,
    /// The input as typed (trimmed), unused fields empty.
    pub typed: SubjectInput,
    /// One line a person reads: `Mohammed El Amrani, born 1990, SY`.
    pub summary: String,
    /// What exact matching compares; for a person the name key of all their names.
    pub normal: String,
    pub person: Option<PersonKeys>,
}

const MAX_TEXT: usize = 200;

fn at(field: &'static str) -> impl Fn(Problem) -> Invalid {
    move |problem| Invalid { field, problem }
}

fn required(field: &'static str, value: &str) -> Result<String, Invalid> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Invalid {
            field,
            problem: Problem::Required,
        });
    }
    optional(field, value)
}

fn optional(field: &'static str, value: &str) -> Result<String, Invalid> {
    let value = value.trim();
    if value.chars().count() > MAX_TEXT {
        return Err(Invalid {
            field,
            problem: Problem::TooLong,
        });
    }
    Ok(value.to_owned())
}

/// Parses `input` as the subject kind it names. `this_year` bounds dates of birth.
pub fn parse(input: &SubjectInput, this_year: i32) -> Result<ValidSubject, Invalid> {
    let kind: SubjectKind = input.kind.trim().parse().map_err(|_| Invalid {
        field: "kind",
        problem: Problem::Choice,
    })?;
    let used = fields_of(kind);
    for (field, value) in input.fields() {
        if !used.contains(&field) && !value.trim().is_empty() {
            return Err(Invalid {
                field,
                problem: Problem::NotForKind,
            });
        }
    }
    let mut typed = SubjectInput {
        kind: kind.as_str().to_owned(),
        ..Default::default()
    };
    for field in used {
        typed.set(field, optional(field, input.get(field))?);
    }
    let value = typed.value.clone();
    let country = |default: &str| -> Result<String, Invalid> {
        let given = typed.country.trim();
        normalise::country(if given.is_empty() { default } else { given }).map_err(at("country"))
    };
    let (summary, normal, person) = match kind {
        SubjectKind::Person => {
            let family = required("family_name", &typed.family_name)?;
            let family_key = normalise::name_key(&family)
                .map_err(at("family_name"))?
                .normal;
            let given_key = match typed.given_names.as_str() {
                "" => None,
                given => Some(
                    normalise::name_key(given)
                        .map_err(at("given_names"))?
                        .normal,
                ),
            };
            for alias in typed.aliases.split(';').filter(|a| !a.trim().is_empty()) {
                normalise::name_key(alias).map_err(at("aliases"))?;
            }
            let birth_date =
                BirthDate::parse(&typed.birth_date, this_year).map_err(at("birth_date"))?;
            let nationality = match typed.nationality.as_str() {
                "" => None,
                given => Some(normalise::country(given).map_err(at("nationality"))?),
            };
            if !typed.sex.is_empty() {
                typed.sex.parse::<Sex>().map_err(|_| Invalid {
                    field: "sex",
                    problem: Problem::Choice,
                })?;
            }
            let full = format!("{} {}", typed.given_names, family);
            let normal = normalise::name_key(&full)
                .map_err(at("family_name"))?
                .normal;
            let mut summary = full.trim().to_owned();
            if birth_date != BirthDate::Unknown {
                summary.push_str(&format!(", {}", birth_date.normal()));
            }
            if let Some(nationality) = &nationality {
                summary.push_str(&format!(", {nationality}"));
            }
            typed.birth_date = birth_date.normal();
            let keys = PersonKeys {
                given_key,
                family_key,
                birth_date,
                nationality,
            };
            (summary, normal, Some(keys))
        }
        SubjectKind::Phone => {
            let phone = normalise::phone(&required("value", &value)?).map_err(at("value"))?;
            (phone.typed, phone.normal, None)
        }
        SubjectKind::BankAccount => {
            let iban = normalise::iban(&required("value", &value)?).map_err(at("value"))?;
            (iban.typed, iban.normal, None)
        }
        SubjectKind::ImmigrationNumber => {
            let number =
                normalise::immigration_number(&required("value", &value)?).map_err(at("value"))?;
            (format!("V {}", number.normal), number.normal, None)
        }
        SubjectKind::Email => {
            let email = normalise::email(&required("value", &value)?).map_err(at("value"))?;
            (email.normal.clone(), email.normal, None)
        }
        SubjectKind::Vehicle => {
            let country = country("NL")?;
            let plate =
                normalise::plate(&required("value", &value)?, &country).map_err(at("value"))?;
            (format!("{} ({country})", plate.typed), plate.normal, None)
        }
        SubjectKind::Document => {
            let document_type: DocumentType = typed.document_type.parse().map_err(|_| Invalid {
                field: "document_type",
                problem: Problem::Choice,
            })?;
            let country = country("")?;
            let number = normalise::document_number(&required("value", &value)?, &country)
                .map_err(at("value"))?;
            (
                format!("{} {} ({country})", document_type.as_str(), number.typed),
                number.normal,
                None,
            )
        }
        SubjectKind::Vessel => {
            let imo = normalise::imo(&required("value", &value)?).map_err(at("value"))?;
            let summary = match typed.name.as_str() {
                "" => imo.normal.clone(),
                name => format!("{name} ({})", imo.normal),
            };
            (summary, imo.normal, None)
        }
        SubjectKind::Company => {
            let name = required("name", &typed.name)?;
            let normal = if value.is_empty() {
                // Without a registration number a company can only be found by its name.
                format!(
                    "name:{}",
                    normalise::name_key(&name).map_err(at("name"))?.normal
                )
            } else {
                normalise::registration_number(&value, &country("NL")?)
                    .map_err(at("value"))?
                    .normal
            };
            (name, normal, None)
        }
        SubjectKind::Address => {
            let country = country("NL")?;
            let number = normalise::house_number(&required("house_number", &typed.house_number)?)
                .map_err(at("house_number"))?;
            let street = typed.street.clone();
            let municipality = typed.municipality.clone();
            // A Dutch postcode and house number name one door; elsewhere, or without a
            // postcode, the street, number and place do.
            let postcode = match (typed.postcode.as_str(), country.as_str()) {
                ("", _) => None,
                (code, "NL") => Some(normalise::postcode(code).map_err(at("postcode"))?.normal),
                (code, _) => Some(
                    code.chars()
                        .filter(char::is_ascii_alphanumeric)
                        .collect::<String>()
                        .to_uppercase(),
                ),
            };
            let normal = match &postcode {
                Some(postcode) => format!("{country}:{postcode}:{}", number.normal),
                None => {
                    required("street", &street)?;
                    required("municipality", &municipality)?;
                    format!(
                        "{country}:{}:{}:{}",
                        normalise::fold(&street),
                        number.normal,
                        normalise::fold(&municipality)
                    )
                }
            };
            let summary = format!(
                "{street} {}, {} {municipality}, {country}",
                number.typed,
                postcode.unwrap_or_default()
            )
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
            (summary, normal, None)
        }
    };
    Ok(ValidSubject {
        kind,
        typed,
        summary,
        normal,
        person,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn input(kind: &str, fields: &[(&'static str, &str)]) -> SubjectInput {
        let mut input = SubjectInput {
            kind: kind.into(),
            ..Default::default()
        };
        for (field, value) in fields {
            input.set(field, (*value).to_owned());
        }
        input
    }

    #[test]
    fn a_person_with_a_year_only_birth_date_keeps_its_precision() {
        let person = parse(
            &input(
                "person",
                &[
                    ("given_names", "Mohamed"),
                    ("family_name", "El Amrani"),
                    ("birth_date", "1990"),
                    ("nationality", "MAR"),
                ],
            ),
            2026,
        )
        .expect("valid");
        let keys = person.person.expect("a person has keys");
        assert_eq!(keys.birth_date, BirthDate::Year(1990));
        assert_eq!(keys.nationality.as_deref(), Some("MA"));
        assert_eq!(person.normal, "amrani el mohammed");
        assert_eq!(person.summary, "Mohamed El Amrani, 1990, MA");
    }

    #[test]
    fn a_foreign_phone_number_keeps_its_country() {
        let phone = parse(&input("phone", &[("value", "+44 20 7946 0958")]), 2026).expect("valid");
        assert_eq!(phone.normal, "+442079460958");
        assert_eq!(phone.summary, "+44 20 7946 0958");
    }

    #[test]
    fn each_problem_names_its_field() {
        let cases = [
            (
                input("person", &[("given_names", "Ann")]),
                "family_name",
                Problem::Required,
            ),
            (
                input(
                    "person",
                    &[("family_name", "Smit"), ("birth_date", "1990-02-30")],
                ),
                "birth_date",
                Problem::BirthDay,
            ),
            (
                input("phone", &[("value", "12")]),
                "value",
                Problem::PhoneInvalid,
            ),
            (
                input("phone", &[("value", "0612345678"), ("street", "Damrak")]),
                "street",
                Problem::NotForKind,
            ),
            (
                input("document", &[("value", "XN0123456")]),
                "document_type",
                Problem::Choice,
            ),
            (
                input(
                    "document",
                    &[("document_type", "passport"), ("value", "XN0123456")],
                ),
                "country",
                Problem::Country,
            ),
            (input("alien", &[]), "kind", Problem::Choice),
            (
                input("address", &[("house_number", "1"), ("postcode", "0000AA")]),
                "postcode",
                Problem::Postcode,
            ),
        ];
        for (given, field, problem) in cases {
            assert_eq!(
                parse(&given, 2026),
                Err(Invalid { field, problem }),
                "{given:?}"
            );
        }
    }

    #[test]
    fn addresses_match_on_postcode_and_number_or_on_street_number_and_place() {
        let by_postcode = parse(
            &input(
                "address",
                &[
                    ("street", "Damrak"),
                    ("house_number", "1 a"),
                    ("postcode", "1012 lg"),
                ],
            ),
            2026,
        )
        .expect("valid");
        assert_eq!(by_postcode.normal, "NL:1012LG:1A");
        let by_street = parse(
            &input(
                "address",
                &[
                    ("street", "Rue de la Loi"),
                    ("house_number", "16"),
                    ("municipality", "Bruxelles"),
                    ("country", "BE"),
                ],
            ),
            2026,
        )
        .expect("valid");
        assert_eq!(by_street.normal, "BE:rue de la loi:16:bruxelles");
    }

    #[test]
    fn every_kind_parses_a_typical_value() {
        let typical = [
            input("bank_account", &[("value", "NL91 ABNA 0417 1643 00")]),
            input("vehicle", &[("value", "12-ABC-3")]),
            input("immigration_number", &[("value", "V 1234567890")]),
            input("email", &[("value", "x@example.org")]),
            input(
                "vessel",
                &[("value", "IMO 9074729"), ("name", "Ocean Star")],
            ),
            input(
                "company",
                &[("name", "Snelle Transport BV"), ("value", "12345678")],
            ),
            input("company", &[("name", "Unregistered Ltd")]),
            input(
                "document",
                &[
                    ("document_type", "passport"),
                    ("value", "XN0123456"),
                    ("country", "NL"),
                ],
            ),
        ];
        for given in typical {
            parse(&given, 2026).unwrap_or_else(|err| panic!("{given:?}: {err:?}"));
        }
    }

    proptest! {
        #[test]
        fn parsing_never_panics(kind in prop::sample::select(SubjectKind::ALL), values in prop::collection::vec(any::<String>(), 15)) {
            let mut given = SubjectInput { kind: kind.as_str().into(), ..Default::default() };
            for (field, value) in SubjectInput::COLUMNS[1..].iter().zip(values) {
                given.set(field, value);
            }
            let _ = parse(&given, 2026);
        }

        #[test]
        fn a_parsed_subject_parses_again_to_the_same_normal_form(digits in "[1-9][0-9]{8}", year in 1900i32..2026) {
            let person = input("person", &[("family_name", "Ağa"), ("birth_date", &year.to_string())]);
            let once = parse(&person, 2026).expect("valid");
            prop_assert_eq!(parse(&once.typed, 2026).expect("again").normal, once.normal);
            let phone = input("phone", &[("value", &format!("0{digits}"))]);
            if let Ok(once) = parse(&phone, 2026) {
                prop_assert_eq!(parse(&once.typed, 2026).expect("again").normal, once.normal);
            }
        }
    }
}
