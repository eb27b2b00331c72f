//! Blocking keys: what a subject is filed under so that saving one finds its candidates with an
//! index lookup, never a scan. Keys are plain text here and keyed hashes in storage.
//!
//! - Identifiers (phone, IBAN, plate, document, V-number, e-mail, IMO, company, address): the
//!   kind and the normal form.
//! - Persons, per name token (so word order and swapped given/family names do not matter):
//!   the token with the birth year, its Double Metaphone code with the birth year (spelling
//!   variants), and the token with the nationality (for persons whose birth year is unknown on
//!   one side). A search probes the neighbouring birth years too (± 1 year).

use super::score::Person;
use crate::{domain::SubjectKind, subjects::normalise::BirthDate};
use hmac::{Hmac, Mac};
use rphonetic::{DoubleMetaphone, Encoder};
use sha2::Sha256;
use std::collections::BTreeSet;

fn year(birth: BirthDate) -> Option<i32> {
    match birth {
        BirthDate::Year(y) | BirthDate::YearMonth(y, _) | BirthDate::Full(y, _, _) => Some(y),
        BirthDate::Unknown => None,
    }
}

fn name_tokens(person: &Person) -> BTreeSet<&str> {
    person
        .family
        .split(' ')
        .chain(person.given.as_deref().unwrap_or_default().split(' '))
        .filter(|t| t.chars().count() >= 2)
        .collect()
}

/// A person's keys. `years` are the birth years to file or probe under; the nationality keys
/// reach persons whose birth year is unknown on one side. They come in two kinds so that the
/// common case stays narrow: `any` (a token and a nationality, whatever the birth year) is
/// stored by persons with a known year and probed only by persons without one; `unknown` is
/// stored by persons without a year and probed by everyone.
fn person_keys(person: &Person, years: &[i32], probing: bool) -> BTreeSet<String> {
    let phonetic = DoubleMetaphone::default();
    let known_year = year(person.birth).is_some();
    let mut keys = BTreeSet::new();
    for token in name_tokens(person) {
        for y in years {
            keys.insert(format!("person:{token}|{y}"));
            keys.insert(format!("person~{}|{y}", phonetic.encode(token)));
        }
        if let Some(nationality) = &person.nationality {
            let any = format!("person:{token}|{nationality}|any");
            let unknown = format!("person:{token}|{nationality}|unknown");
            match (known_year, probing) {
                (true, false) => {
                    keys.insert(any);
                }
                (true, true) => {
                    keys.insert(unknown);
                }
                (false, false) => {
                    keys.insert(unknown);
                }
                (false, true) => {
                    keys.insert(any);
                    keys.insert(unknown);
                }
            }
        }
    }
    keys
}

/// The keys a subject is stored under.
pub fn stored(kind: SubjectKind, normal: &str, person: Option<&Person>) -> BTreeSet<String> {
    match (kind, person) {
        (SubjectKind::Person, Some(person)) => {
            let years: Vec<i32> = year(person.birth).into_iter().collect();
            person_keys(person, &years, false)
        }
        (SubjectKind::Person, None) => BTreeSet::new(),
        _ => BTreeSet::from([format!("{}={normal}", kind.as_str())]),
    }
}

/// The keys to look up when a subject is saved: its own, and for persons the neighbouring
/// birth years.
pub fn probes(kind: SubjectKind, normal: &str, person: Option<&Person>) -> BTreeSet<String> {
    match (kind, person) {
        (SubjectKind::Person, Some(person)) => {
            let years: Vec<i32> = year(person.birth)
                .map(|y| vec![y - 1, y, y + 1])
                .unwrap_or_default();
            person_keys(person, &years, true)
        }
        _ => stored(kind, normal, person),
    }
}

/// The secret the keys are hashed with: derived from the server secret, so the server secret
/// itself is never the HMAC key of a table an attacker might read.
#[derive(Clone)]
pub struct MatchSecret(Vec<u8>);

impl std::fmt::Debug for MatchSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MatchSecret(…)")
    }
}

impl MatchSecret {
    pub fn derive(server_secret: &str) -> Self {
        let mut mac = Hmac::<Sha256>::new_from_slice(server_secret.as_bytes())
            .expect("HMAC takes a key of any length");
        mac.update(b"liaison match keys v1");
        MatchSecret(mac.finalize().into_bytes().to_vec())
    }

    /// The stored form of a key: HMAC-SHA256, hex, first 128 bits.
    pub fn hash(&self, key: &str) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        mac.update(key.as_bytes());
        hex::encode(&mac.finalize().into_bytes()[..16])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::subjects::normalise::name_key;

    fn person(given: &str, family: &str, birth: BirthDate, nationality: Option<&str>) -> Person {
        Person {
            given: Some(name_key(given).expect("name").normal),
            family: name_key(family).expect("name").normal,
            birth,
            nationality: nationality.map(str::to_owned),
        }
    }

    #[test]
    fn spelling_variants_and_swapped_names_share_a_key() {
        let a = person("Mohammed", "El Amrani", BirthDate::Year(1991), None);
        let b = person("Amrani", "Mohamed", BirthDate::Full(1991, 3, 14), None);
        let c = person("Dariusz", "Kowalczyk", BirthDate::Year(1984), None);
        let d = person("Dariusz", "Kowalcyk", BirthDate::Year(1985), None);
        let shared = |x: &Person, y: &Person| {
            !probes(SubjectKind::Person, "", Some(x)).is_disjoint(&stored(
                SubjectKind::Person,
                "",
                Some(y),
            ))
        };
        assert!(shared(&a, &b) && shared(&b, &a));
        assert!(shared(&c, &d), "a year apart and a phonetic variant");
        assert!(!shared(&a, &c));
    }

    #[test]
    fn a_person_without_a_birth_year_is_found_through_the_nationality_both_ways() {
        let known = person("Ahmad", "Rahimi", BirthDate::Year(1975), Some("AF"));
        let unknown = person("Ahmed", "Rahimi", BirthDate::Unknown, Some("AF"));
        let other_known = person("Ahmad", "Rahimi", BirthDate::Year(1990), Some("AF"));
        let finds = |saved: &Person, earlier: &Person| {
            !probes(SubjectKind::Person, "", Some(saved)).is_disjoint(&stored(
                SubjectKind::Person,
                "",
                Some(earlier),
            ))
        };
        assert!(finds(&known, &unknown) && finds(&unknown, &known));
        assert!(finds(&unknown, &unknown.clone()));
        assert!(
            !finds(&known, &other_known),
            "two known years far apart are not neighbours through the nationality"
        );
    }

    #[test]
    fn identifiers_are_keyed_by_kind_and_normal_form_and_hashed() {
        let keys = stored(SubjectKind::Phone, "+31612345678", None);
        assert_eq!(keys, BTreeSet::from(["phone=+31612345678".to_owned()]));
        let secret = MatchSecret::derive("a server secret of enough length 123");
        let hash = secret.hash("phone=+31612345678");
        assert_eq!(hash.len(), 32);
        assert!(!hash.contains("612345678"));
        assert_ne!(
            hash,
            MatchSecret::derive("another secret of enough length 4567").hash("phone=+31612345678")
        );
    }
}
