//! Person matching: the person model's verdict (`model`) with the policy on top, into the score
//! an overlap is stored with (its match probability) and the weights a coordinator reads.
//!
//! - From [`LIKELY`] (0.99) a pair is a likely match, from [`POSSIBLE`] (0.9) a possible one;
//!   below that nothing is raised.
//! - **Never likely on names alone.** A pair needs a date of birth that agrees or nearly does,
//!   an equal nationality, or cases that share an identifier, to be more than possible. A pair
//!   with nothing but its names is raised only where the names are rare enough in the stored
//!   data for the model to reach [`POSSIBLE`] on them (term frequencies), and then as possible,
//!   its score held at [`NAMES_ONLY_CAP`].

use crate::overlaps::model::compare;
pub use crate::overlaps::model::{Counts, LIKELY, POSSIBLE, Params, Person};
use crate::overlaps::types::Evidence;
pub use crate::overlaps::types::Reason;
use serde::{Deserialize, Serialize};

/// The score of a pair raised on its names alone: below [`LIKELY`].
pub const NAMES_ONLY_CAP: f64 = 0.98;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scored {
    /// The match probability, to four decimals.
    pub score: f64,
    pub evidence: Evidence,
}

/// Scores two persons; `shared_identifier` says whether their cases share an exact identifier
/// (phone, IBAN, document, …), which is evidence of its own. `None` below [`POSSIBLE`].
pub fn score(
    params: &Params,
    counts: &Counts,
    a: &Person,
    b: &Person,
    shared_identifier: bool,
) -> Option<Scored> {
    let comparison = compare(a, b);
    let weighed = params.weigh(&comparison, counts, shared_identifier);
    let mut p = weighed.probability;
    if p < POSSIBLE {
        return None;
    }
    if !comparison.corroborated() && !shared_identifier {
        p = p.min(NAMES_ONLY_CAP);
    }
    Some(Scored {
        score: (p * 10_000.0).floor() / 10_000.0,
        evidence: Evidence::Weighed {
            prior: (weighed.prior * 100.0).round() / 100.0,
            fields: weighed.fields,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::identifiers::{BirthDate, name_key};
    use crate::overlaps::types::{FieldWeight, Frequency};

    fn person(given: &str, family: &str, birth: &str, nationality: &str) -> Person {
        let key = |s: &str| (!s.is_empty()).then(|| name_key(s).expect("a name").normal);
        Person {
            given: key(given),
            family: key(family).expect("a family name"),
            birth: BirthDate::parse(birth, 2026).expect("a date"),
            nationality: (!nationality.is_empty()).then(|| nationality.to_owned()),
        }
    }

    /// Ten thousand persons: a family name twenty of them hold, a given name fifty, a date of
    /// birth the pair alone.
    fn counts() -> Counts {
        Counts {
            persons: 10_000,
            family: 20,
            given: 50,
            birth: 2,
            nationality: 1_000,
            name: 0,
        }
    }

    fn scored(a: &Person, b: &Person, shared: bool) -> Option<Scored> {
        score(&Params::default(), &counts(), a, b, shared)
    }

    /// Labelled pairs: (a, b, raised?). Hard ones included.
    #[test]
    fn labelled_pairs_are_scored_as_labelled() {
        let pairs = [
            // Transliteration variant and hyphen, same date of birth.
            (
                ("Mohammed", "El Amrani", "1991-03-14", "MA"),
                ("Mohamed", "El-Amrani", "14-03-1991", "MA"),
                true,
            ),
            // Day and month swapped.
            (
                ("Ayşe", "Çelik", "1990-05-04", "TR"),
                ("Ayse", "Celik", "1990-04-05", "TR"),
                true,
            ),
            // Given and family name swapped.
            (
                ("Haddad", "Yusuf", "1979", "SY"),
                ("Youssef", "Haddad", "1979", "SY"),
                true,
            ),
            // Year only against a full date.
            (
                ("Olha", "Kovalenko", "1987", "UA"),
                ("Olga", "Kovalenko", "1987-06-02", "UA"),
                true,
            ),
            // Typo in the family name.
            (
                ("Dariusz", "Kowalczyk", "1984-07-21", "PL"),
                ("Dariusz", "Kowalcyzk", "1984-07-21", "PL"),
                true,
            ),
            // A typo in both names.
            (
                ("Tesfaye", "Gebremariam", "1993-11-02", "ER"),
                ("Tesfay", "Gebremaryam", "1993-11-02", "ER"),
                true,
            ),
            // A digit of the year typed wrong.
            (
                ("Yonas", "Tesfamariam", "1993-11-02", "ER"),
                ("Yonas", "Tesfamariam", "1998-11-02", "ER"),
                true,
            ),
            // Same name, different date of birth: two people.
            (
                ("Jan", "de Vries", "1970-01-01", "NL"),
                ("Jan", "de Vries", "1985-09-12", "NL"),
                false,
            ),
            // Different people who share a family name and nationality.
            (
                ("Samir", "Bouzid", "2004", "NL"),
                ("Karim", "Bouzid", "2004", "NL"),
                false,
            ),
            // Similar-looking but different names.
            (
                ("Ilir", "Hoxha", "1988", "AL"),
                ("Ilir", "Hoxhaj", "1975", "AL"),
                false,
            ),
            // Brothers: family name and nationality equal, born years apart.
            (
                ("Yonas", "Haile", "1996-02-11", "ER"),
                ("Dawit", "Haile", "1999-07-30", "ER"),
                false,
            ),
        ];
        for ((ga, fa, ba, na), (gb, fb, bb, nb), raised) in pairs {
            let (a, b) = (person(ga, fa, ba, na), person(gb, fb, bb, nb));
            let found = scored(&a, &b, false);
            assert_eq!(found.is_some(), raised, "{fa} / {fb}: {found:?}");
            assert_eq!(
                scored(&b, &a, false).map(|s| s.score),
                found.map(|s| s.score),
                "symmetric: {fa} / {fb}"
            );
        }
    }

    #[test]
    fn a_shared_identifier_corroborates_a_name() {
        let (a, b) = (
            person("Ahmad", "Rahimi", "", ""),
            person("Ahmad", "Rahimi", "", ""),
        );
        // Names fifty and two hundred persons in ten thousand hold.
        let common = Counts {
            family: 50,
            given: 200,
            ..counts()
        };
        let params = Params::default();
        assert!(score(&params, &common, &a, &b, false).is_none());
        let found = score(&params, &common, &a, &b, true).expect("corroborated by a shared phone");
        let Evidence::Weighed { fields, .. } = &found.evidence else {
            panic!("weighed: {found:?}")
        };
        assert!(fields.iter().any(|f| f.reason == Reason::SharedIdentifier));
        assert!(found.score >= LIKELY, "{found:?}");
    }

    #[test]
    fn names_alone_are_at_most_possible_and_only_when_rare() {
        let (a, b) = (
            person("Zerihun", "Woldemichael", "", ""),
            person("Zerihun", "Woldemichael", "", ""),
        );
        let rare = Counts {
            persons: 1_000_000,
            family: 2,
            given: 2,
            ..Counts::default()
        };
        let found = score(&Params::default(), &rare, &a, &b, false).expect("rare names");
        assert_eq!(found.score, NAMES_ONLY_CAP);
        let common = Counts {
            family: 20_000,
            given: 30_000,
            ..rare
        };
        assert!(score(&Params::default(), &common, &a, &b, false).is_none());
    }

    #[test]
    fn the_explanation_weighs_each_field_and_sums_to_the_score() {
        let rare = Counts {
            family: 2,
            given: 2,
            ..counts()
        };
        let found = score(
            &Params::default(),
            &rare,
            &person("Mohammed", "El Amrani", "1991-03-14", "MA"),
            &person("Mohamed", "El-Amrani", "14-03-1991", "MA"),
            false,
        )
        .expect("raised");
        let Evidence::Weighed { prior, fields } = &found.evidence else {
            panic!("weighed: {found:?}")
        };
        let reasons: Vec<Reason> = fields.iter().map(|f| f.reason).collect();
        assert_eq!(
            reasons,
            [
                Reason::FamilyEqual,
                Reason::GivenEqual,
                Reason::BirthEqual,
                Reason::NationalityEqual
            ]
        );
        assert!(fields.iter().all(|f| f.weight > 0.0), "{fields:?}");
        assert!(*prior < 0.0);
        assert!(found.score >= LIKELY);
        // Names held by two persons in ten thousand are rare against the defaults.
        let FieldWeight { frequency, .. } = fields[0];
        assert_eq!(frequency, Some(Frequency::Rare));
    }
}
