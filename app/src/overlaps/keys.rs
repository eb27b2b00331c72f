//! Blocking keys: what a subject is filed under so that saving one finds its candidates with an
//! index lookup, never a scan. Keys are plain text here and keyed hashes in storage.
//!
//! - Identifiers (phone, IBAN, plate, document, V-number, e-mail, IMO, company, address): the
//!   kind and the normal form.
//! - Persons, by pairs of name tokens, so that one common name (a given name shared by
//!   thousands) is never a key on its own: for every family-name token and given-name token,
//!   one token's Double Metaphone code with the other's initial, both ways round (so swapped
//!   given and family names and a spelling variant in either name still meet). With the birth
//!   year; a search probes the neighbouring years too (± 1 year). A person without a birth
//!   year is keyed by the nationality instead, and a person without given names by the
//!   family name alone.
//!
//! - Persons, by date of birth as well (rules OR-ed: a pair is compared when any key meets):
//!   the full date with day and month in either order, with the initial of any name token (a
//!   given name replaced or misspelt, a family name misspelt); the day and month with a
//!   family-name token's sound code (a year typed wrong); and, where the nationality is
//!   known, the sound codes of a family-name and a given-name token, in either order, whatever
//!   the birth year (a date of birth wrong altogether).
//!
//! Each key is narrow (a name pair in one year, a date with an initial), so a save reads tens
//! of candidates, and the candidate query keeps the [`MAX_CANDIDATES`] that share the most
//! keys (`candidates`), which bounds the fan-out of a very common value.
//!
//! [`MAX_CANDIDATES`]: crate::overlaps::candidates::MAX_CANDIDATES

use super::model::Person;
use crate::{domain::SubjectKind, domain::identifiers::BirthDate};
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

fn tokens(names: &str) -> impl Iterator<Item = &str> {
    names.split(' ').filter(|t| t.chars().count() >= 2)
}

/// A token's sound code (the token itself where it has none).
fn sound(encoder: &DoubleMetaphone, token: &str) -> String {
    let code = encoder.encode(token);
    if code.is_empty() {
        token.to_owned()
    } else {
        code
    }
}

/// The name part of a person's keys. A person with given names is filed under token pairs,
/// and under each family-name token alone for persons without given names to find (`any`);
/// a person without given names is filed under the family-name tokens (`alone`), which
/// everyone probes.
fn name_parts(person: &Person, probing: bool) -> BTreeSet<String> {
    let encoder = DoubleMetaphone::default();
    let mut parts = BTreeSet::new();
    let family: Vec<&str> = tokens(&person.family).collect();
    let given: Vec<&str> = tokens(person.given.as_deref().unwrap_or_default()).collect();
    for f in &family {
        let code = sound(&encoder, f);
        if given.is_empty() {
            parts.insert(format!("alone~{code}"));
            if probing {
                parts.insert(format!("any~{code}"));
            }
        } else {
            parts.insert(format!("{}~{code}", if probing { "alone" } else { "any" }));
        }
        for g in &given {
            let initial = |t: &str| t.chars().next().unwrap_or_default();
            parts.insert(format!("pair~{code}/{}", initial(g)));
            parts.insert(format!("pair~{}/{}", sound(&encoder, g), initial(f)));
        }
    }
    parts
}

/// The keys by date of birth and by name sounds alone (the same stored as probed).
fn other_rules(person: &Person) -> BTreeSet<String> {
    let encoder = DoubleMetaphone::default();
    let mut keys = BTreeSet::new();
    let family: Vec<&str> = tokens(&person.family).collect();
    let given: Vec<&str> = tokens(person.given.as_deref().unwrap_or_default()).collect();
    if let BirthDate::Full(y, m, d) = person.birth {
        let (lo, hi) = (m.min(d), m.max(d));
        for t in family.iter().chain(&given) {
            let initial = t.chars().next().unwrap_or_default();
            keys.insert(format!("person:dob~{y}-{lo}-{hi}/{initial}"));
            keys.insert(format!("person:md~{lo}-{hi}/{}", sound(&encoder, t)));
        }
    }
    if let Some(nationality) = &person.nationality {
        for f in &family {
            for g in &given {
                let (a, b) = (sound(&encoder, f), sound(&encoder, g));
                let (a, b) = if a <= b { (a, b) } else { (b, a) };
                keys.insert(format!("person:sounds~{a}/{b}|{nationality}"));
            }
        }
    }
    keys
}

/// A person's keys: the name parts with the birth year (`years`). Without a birth year on one
/// side a pair is found through the nationality, in two kinds so that the common case stays
/// narrow: `any` (whatever the birth year) is stored by persons with a known year and probed
/// only by persons without one; `unknown` is stored by persons without a year and probed by
/// everyone.
fn person_keys(person: &Person, years: &[i32], probing: bool) -> BTreeSet<String> {
    let known_year = year(person.birth).is_some();
    let mut keys = other_rules(person);
    for name in name_parts(person, probing) {
        for y in years {
            keys.insert(format!("person:{name}|{y}"));
        }
        if let Some(nationality) = &person.nationality {
            let any = format!("person:{name}|{nationality}|any");
            let unknown = format!("person:{name}|{nationality}|unknown");
            match (known_year, probing) {
                (true, false) => {
                    keys.insert(any);
                }
                (true, true) | (false, false) => {
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
    use crate::domain::identifiers::name_key;

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
        let namesake = person("Mohammed", "Bakker", BirthDate::Year(1991), None);
        assert!(
            !shared(&a, &namesake) && !shared(&namesake, &a),
            "a common given name alone is no key"
        );
    }

    #[test]
    fn a_person_without_given_names_meets_persons_with_and_without_them() {
        let full = person("Dariusz", "Kowalczyk", BirthDate::Year(1984), None);
        let bare = Person {
            given: None,
            ..full.clone()
        };
        let other_bare = bare.clone();
        let other_full = person("Piotr", "Kowalczyk", BirthDate::Year(1984), None);
        let finds = |saved: &Person, earlier: &Person| {
            !probes(SubjectKind::Person, "", Some(saved)).is_disjoint(&stored(
                SubjectKind::Person,
                "",
                Some(earlier),
            ))
        };
        assert!(finds(&full, &bare) && finds(&bare, &full));
        assert!(finds(&bare, &other_bare));
        assert!(
            !finds(&full, &other_full),
            "a shared family name with different given names is no key"
        );
    }

    #[test]
    fn a_person_without_a_birth_year_is_found_through_the_nationality_both_ways() {
        let known = person("Ahmad", "Rahimi", BirthDate::Year(1975), Some("AF"));
        let unknown = person("Ahmed", "Rahimi", BirthDate::Unknown, Some("AF"));
        // Another given name: the name sounds with the nationality (year-free) do not meet.
        let other_known = person("Karim", "Rahimi", BirthDate::Year(1990), Some("AF"));
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
