//! Person matching: two persons scored field by field into a number between 0 and 1 with the
//! reasons a coordinator reads. Pure: no database.
//!
//! **Scoring.** Names weigh 0.55, the date of birth 0.30, nationality 0.15; a field unknown on
//! either side leaves the score and the remaining weights are scaled up.
//! - Names compare as token sets after folding and the variant table (`name_key`): each token
//!   of one side against the best token of the other by Jaro–Winkler (`strsim`), family names
//!   0.6 and given names 0.4 of the name score; given and family names swapped is tried too.
//!   Family names below 0.85 or given names below 0.8 count as different people: the score is
//!   capped below the possible threshold.
//! - Date of birth: equal 1.0; day and month swapped 0.85; equal as far as the less precise
//!   side goes (`1990` against `1990-03-14`) 0.7; one year apart 0.4; otherwise a conflict (0,
//!   and the whole score is capped below the possible threshold).
//! - Nationality: equal 1.0, different 0.
//!
//! **Thresholds.** [`LIKELY`] ≥ 0.9, [`POSSIBLE`] ≥ 0.75; below that no overlap is raised.
//! **Never on name alone**: a pair needs a compatible date of birth, an equal nationality or a
//! shared identifier between the two cases, or it is not raised whatever its name score.

use crate::domain::identifiers::BirthDate;
pub use crate::overlaps::types::Reason;
use serde::{Deserialize, Serialize};

pub const LIKELY: f64 = 0.9;
pub const POSSIBLE: f64 = 0.75;
/// Below these Jaro–Winkler similarities names count as different.
const FAMILY_FLOOR: f64 = 0.85;
const GIVEN_FLOOR: f64 = 0.8;

/// A person as matching sees them: name keys (folded, variants applied, tokens sorted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub given: Option<String>,
    pub family: String,
    pub birth: BirthDate,
    pub nationality: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scored {
    pub score: f64,
    pub reasons: Vec<Reason>,
}

fn tokens(key: &str) -> Vec<&str> {
    key.split(' ').filter(|t| !t.is_empty()).collect()
}

/// Token-set similarity: each token of the shorter side against its best match on the other.
fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (tokens(a), tokens(b));
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return 0.0;
    }
    let total: f64 = short
        .iter()
        .map(|t| {
            long.iter()
                .map(|u| strsim::jaro_winkler(t, u))
                .fold(0.0, f64::max)
        })
        .sum();
    total / short.len() as f64
}

fn birth(a: BirthDate, b: BirthDate) -> Option<(f64, Reason)> {
    use BirthDate::*;
    let year = |d: BirthDate| match d {
        Year(y) | YearMonth(y, _) | Full(y, _, _) => Some(y),
        Unknown => None,
    };
    let (ya, yb) = (year(a)?, year(b)?);
    let result = match (a, b) {
        (Full(..), Full(..)) if a == b => (1.0, Reason::BirthEqual),
        (Full(y1, m1, d1), Full(y2, m2, d2)) if y1 == y2 && m1 == d2 && d1 == m2 => {
            (0.85, Reason::BirthDayMonthSwapped)
        }
        (YearMonth(_, m1), Full(_, m2, _) | YearMonth(_, m2))
        | (Full(_, m1, _), YearMonth(_, m2))
            if ya == yb && m1 == m2 =>
        {
            if a == b {
                (1.0, Reason::BirthEqual)
            } else {
                (0.7, Reason::BirthCompatible)
            }
        }
        (Year(_), _) | (_, Year(_)) if ya == yb => {
            if a == b {
                (0.8, Reason::BirthEqual)
            } else {
                (0.7, Reason::BirthCompatible)
            }
        }
        _ if (ya - yb).abs() == 1 => (0.4, Reason::BirthYearApart),
        _ => (0.0, Reason::BirthConflict),
    };
    Some(result)
}

/// Scores two persons; `shared_identifier` says whether their cases already share an exact
/// identifier (phone, IBAN, …). `None` when the pair is below [`POSSIBLE`] or uncorroborated.
pub fn score(a: &Person, b: &Person, shared_identifier: bool) -> Option<Scored> {
    let mut reasons = Vec::new();
    let names = |fa: &str, ga: Option<&str>, fb: &str, gb: Option<&str>| {
        let family = similarity(fa, fb);
        match (ga, gb) {
            (Some(ga), Some(gb)) => (
                family,
                Some(similarity(ga, gb)),
                0.6 * family + 0.4 * similarity(ga, gb),
            ),
            _ => (family, None, 0.9 * family),
        }
    };
    let straight = names(&a.family, a.given.as_deref(), &b.family, b.given.as_deref());
    // One side's family name against the other's given names, and the other way round.
    let swapped = match (&a.given, &b.given) {
        (Some(_), Some(gb)) => Some(names(&a.family, a.given.as_deref(), gb, Some(&b.family))),
        _ => None,
    };
    let ((family, given, name_score), was_swapped) = match swapped {
        Some(s) if s.2 > straight.2 + 0.05 => (s, true),
        _ => (straight, false),
    };
    if was_swapped {
        reasons.push(Reason::NamesSwapped);
    }
    reasons.push(if family >= 0.999 {
        Reason::FamilyEqual
    } else {
        Reason::FamilySimilar(round(family))
    });
    if let Some(given) = given {
        reasons.push(if given >= 0.999 {
            Reason::GivenEqual
        } else if given >= GIVEN_FLOOR {
            Reason::GivenSimilar(round(given))
        } else {
            Reason::GivenDiffers
        });
    }
    // Clearly different names are different people (siblings, namesakes), whatever else agrees.
    let names_differ = family < FAMILY_FLOOR || given.is_some_and(|g| g < GIVEN_FLOOR);
    let mut parts = vec![(0.55, name_score)];
    let birth = birth(a.birth, b.birth);
    if let Some((value, reason)) = birth {
        parts.push((0.30, value));
        reasons.push(reason);
    }
    let nationality = match (&a.nationality, &b.nationality) {
        (Some(x), Some(y)) => {
            let equal = x == y;
            reasons.push(if equal {
                Reason::NationalityEqual
            } else {
                Reason::NationalityDiffers
            });
            parts.push((0.15, if equal { 1.0 } else { 0.0 }));
            Some(equal)
        }
        _ => None,
    };
    if shared_identifier {
        reasons.push(Reason::SharedIdentifier);
    }
    let weight: f64 = parts.iter().map(|(w, _)| w).sum();
    let mut total = parts.iter().map(|(w, v)| w * v).sum::<f64>() / weight;
    let conflict = names_differ || birth.is_some_and(|(_, r)| r == Reason::BirthConflict);
    if conflict {
        total = total.min(POSSIBLE - 0.05);
    }
    let corroborated =
        birth.is_some_and(|(v, _)| v >= 0.4) || nationality == Some(true) || shared_identifier;
    (corroborated && total >= POSSIBLE).then(|| Scored {
        score: round(total),
        reasons,
    })
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::identifiers::name_key;

    fn person(given: &str, family: &str, birth: &str, nationality: &str) -> Person {
        let key = |s: &str| (!s.is_empty()).then(|| name_key(s).expect("a name").normal);
        Person {
            given: key(given),
            family: key(family).expect("a family name"),
            birth: BirthDate::parse(birth, 2026).expect("a date"),
            nationality: (!nationality.is_empty()).then(|| nationality.to_owned()),
        }
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
            // Same name, different date of birth: two people.
            (
                ("Jan", "de Vries", "1970-01-01", "NL"),
                ("Jan", "de Vries", "1985-09-12", "NL"),
                false,
            ),
            // Name alone: nothing to corroborate.
            (
                ("Ahmad", "Rahimi", "", ""),
                ("Ahmad", "Rahimi", "", ""),
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
        ];
        for ((ga, fa, ba, na), (gb, fb, bb, nb), raised) in pairs {
            let (a, b) = (person(ga, fa, ba, na), person(gb, fb, bb, nb));
            let scored = score(&a, &b, false);
            assert_eq!(scored.is_some(), raised, "{fa} / {fb}: {scored:?}");
            assert_eq!(
                score(&b, &a, false).is_some(),
                raised,
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
        let scored = score(&a, &b, true).expect("corroborated by a shared phone");
        assert!(scored.reasons.contains(&Reason::SharedIdentifier));
        assert!(scored.score >= LIKELY);
    }

    #[test]
    fn the_explanation_names_each_field() {
        let scored = score(
            &person("Mohammed", "El Amrani", "1991-03-14", "MA"),
            &person("Mohamed", "El-Amrani", "14-03-1991", "MA"),
            false,
        )
        .expect("raised");
        assert_eq!(
            scored.reasons,
            [
                Reason::FamilyEqual,
                Reason::GivenEqual,
                Reason::BirthEqual,
                Reason::NationalityEqual
            ]
        );
        assert_eq!(scored.score, 1.0);
    }
}
