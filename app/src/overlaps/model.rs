//! The person model (Fellegi–Sunter): two persons compared field by field into a comparison
//! vector, each field's level weighed as log₂(m/u), the weights summed with the prior into a
//! match weight and a match probability. Pure: no database.
//!
//! - **m** of a level: how often a true match shows it (two records of one person).
//! - **u** of a level: how often two different persons show it by chance.
//! - **Term frequencies.** An equal name, date of birth or nationality weighs by how common the
//!   value is among the stored persons, not by the average: u becomes the value's share of the
//!   other persons, smoothed towards the level's u with [`PSEUDO_PERSONS`] so that a young
//!   database does not take two namesakes for a rare name.
//! - **Prior.** The chance that a person of one joint venture is a given person of another:
//!   the share of persons with a match elsewhere (`matched_share`) over the number of persons
//!   (at least [`MIN_PERSONS`]). Estimated, it is that chance (λ) times the number of persons,
//!   which passes one where few joint ventures hold the persons (fewer pairs between them).
//!
//! The parameters are estimated from the stored data (`estimate`); [`Params::default`] holds
//! the safe values used until then.

use crate::domain::identifiers::BirthDate;
use crate::overlaps::types::{FieldWeight, Frequency, Reason};
use serde::{Deserialize, Serialize};

/// Match probability from which a person pair is a likely match.
pub const LIKELY: f64 = 0.99;
/// Match probability from which a person pair is raised at all (as a possible match).
pub const POSSIBLE: f64 = 0.9;
/// The prior counts at least this many persons, so that a young database needs the evidence a
/// full one would.
pub const MIN_PERSONS: f64 = 10_000.0;
/// Term frequencies are smoothed with this many imagined persons at the level's u.
pub const PSEUDO_PERSONS: f64 = 1_000.0;
/// Probabilities are kept within (ε, 1 − ε) so that every weight is finite.
const EPSILON: f64 = 1e-6;

/// How alike two names are (folded, variant table applied, tokens sorted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NameLevel {
    Exact,
    /// Jaro–Winkler 0.92 or more: a typo, a letter dropped.
    Close,
    /// Jaro–Winkler 0.80 or more.
    Similar,
    Different,
}

/// How alike two dates of birth are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BirthLevel {
    Exact,
    DayMonthSwapped,
    /// One digit or one field (day, month or year) different.
    OneOff,
    /// Equal as far as the less precise side goes (`1990` against `1990-03-14`).
    Compatible,
    /// One year apart.
    YearApart,
    Different,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NationalityLevel {
    Equal,
    Different,
}

impl NameLevel {
    pub const ALL: [NameLevel; 4] = [Self::Exact, Self::Close, Self::Similar, Self::Different];
    pub fn index(self) -> usize {
        self as usize
    }

    /// The level's code, as `/admin/matching` names it.
    pub fn code(self) -> &'static str {
        ["exact", "close", "similar", "different"][self.index()]
    }
}

impl BirthLevel {
    pub const ALL: [BirthLevel; 6] = [
        Self::Exact,
        Self::DayMonthSwapped,
        Self::OneOff,
        Self::Compatible,
        Self::YearApart,
        Self::Different,
    ];
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn code(self) -> &'static str {
        [
            "exact",
            "day_month_swapped",
            "one_off",
            "compatible",
            "year_apart",
            "different",
        ][self.index()]
    }
}

impl NationalityLevel {
    pub const ALL: [NationalityLevel; 2] = [Self::Equal, Self::Different];
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn code(self) -> &'static str {
        ["exact", "different"][self.index()]
    }
}

/// A person as matching sees them: name keys (folded, variants applied, tokens sorted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub given: Option<String>,
    pub family: String,
    pub birth: BirthDate,
    pub nationality: Option<String>,
}

impl Person {
    /// A person as the subject table stores them (name keys, the date's normal form); `None`
    /// without a family name (not a person).
    pub fn stored(
        family: Option<String>,
        given: Option<String>,
        birth: Option<&str>,
        nationality: Option<String>,
    ) -> Option<Person> {
        Some(Person {
            family: family?,
            given,
            birth: birth
                .and_then(|d| BirthDate::parse(d, 9999).ok())
                .unwrap_or(BirthDate::Unknown),
            nationality,
        })
    }
}

/// One field's m and u, a value per level in the level's order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Levels {
    pub m: Vec<f64>,
    pub u: Vec<f64>,
}

impl Levels {
    fn new(m: &[f64], u: &[f64]) -> Self {
        Levels {
            m: m.to_vec(),
            u: u.to_vec(),
        }
    }

    pub fn weight(&self, level: usize) -> f64 {
        bits(self.m[level] / self.u[level])
    }
}

/// The model's parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Params {
    pub family: Levels,
    pub given: Levels,
    /// Dates of birth both known to the day.
    pub birth: Levels,
    /// Dates of birth of which one or both are known only to the year or month: a different
    /// comparison (an equal year says more between two years than between two full dates).
    pub birth_partial: Levels,
    pub nationality: Levels,
    /// The share of true matches recorded with given and family names swapped.
    pub swapped: f64,
    /// The share of true matches whose cases share an identifier (a phone, a document, …), and
    /// the share of other pairs of persons whose cases do.
    pub shared_m: f64,
    pub shared_u: f64,
    /// The share of persons that have a match among the other joint ventures' persons (as
    /// estimated: a random pair's chance of matching times the number of persons).
    pub matched_share: f64,
}

impl Default for Params {
    /// Safe values until the model is trained: u as in a population of some ten thousand
    /// family names and twenty thousand birthdays, m as in registrations with a typo in one
    /// record in ten.
    fn default() -> Self {
        Params {
            family: Levels::new(&[0.80, 0.12, 0.05, 0.03], &[0.002, 0.002, 0.01, 0.986]),
            given: Levels::new(&[0.78, 0.12, 0.05, 0.05], &[0.005, 0.003, 0.02, 0.972]),
            birth: Levels::new(
                &[0.79, 0.02, 0.07, 0.001, 0.03, 0.089],
                &[0.00005, 0.00003, 0.002, 0.001, 0.03, 0.96692],
            ),
            birth_partial: Levels::new(
                &[0.001, 0.001, 0.001, 0.85, 0.077, 0.07],
                &[0.001, 0.001, 0.001, 0.03, 0.06, 0.907],
            ),
            nationality: Levels::new(&[0.95, 0.05], &[0.15, 0.85]),
            swapped: 0.1,
            shared_m: 0.3,
            shared_u: 0.0001,
            matched_share: 0.3,
        }
    }
}

/// A comparison vector: each field's level, `None` where either side lacks the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Comparison {
    pub family: NameLevel,
    pub given: Option<NameLevel>,
    pub birth: Option<BirthLevel>,
    /// One or both dates known only to the year or month (`Params::birth_partial` weighs it).
    pub birth_partial: bool,
    pub nationality: Option<NationalityLevel>,
    /// Family and given names compared crosswise.
    pub swapped: bool,
}

impl Comparison {
    /// Whether anything besides the names speaks for the pair: a date of birth that agrees or
    /// nearly does, or an equal nationality. A shared identifier is the cases' evidence.
    pub fn corroborated(&self) -> bool {
        self.birth.is_some_and(|b| b != BirthLevel::Different)
            || self.nationality == Some(NationalityLevel::Equal)
    }
}

/// How common the saved person's values are among the stored persons (themselves included).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    pub persons: u64,
    pub family: u64,
    pub given: u64,
    pub birth: u64,
    pub nationality: u64,
    /// Persons holding this family name and these given names together (0: not counted).
    pub name: u64,
}

impl Counts {
    /// From the counts of the family name, given names, date of birth, nationality and full
    /// name, in that order.
    pub fn of(persons: u64, [family, given, birth, nationality, name]: [u64; 5]) -> Counts {
        Counts {
            persons,
            family,
            given,
            birth,
            nationality,
            name,
        }
    }
}

/// One field's weight in bits, and whether its value is rare or common in the data.
pub(crate) type Weight = (f64, Option<Frequency>);

/// The model's verdict on a pair.
#[derive(Debug, Clone, PartialEq)]
pub struct Weighed {
    /// log₂ of the prior odds.
    pub prior: f64,
    pub fields: Vec<FieldWeight>,
    pub match_weight: f64,
    pub probability: f64,
}

pub fn bits(x: f64) -> f64 {
    x.clamp(EPSILON, 1.0 / EPSILON).log2()
}

pub fn probability(match_weight: f64) -> f64 {
    let odds = match_weight.clamp(-60.0, 60.0).exp2();
    odds / (1.0 + odds)
}

fn tokens(key: &str) -> impl Iterator<Item = &str> {
    key.split(' ').filter(|t| !t.is_empty())
}

/// Token-set similarity: each token of the side with fewer against its best match on the other.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b): (Vec<&str>, Vec<&str>) = (tokens(a).collect(), tokens(b).collect());
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

pub fn name_level(a: &str, b: &str) -> NameLevel {
    if a == b {
        return NameLevel::Exact;
    }
    match similarity(a, b) {
        s if s >= 0.92 => NameLevel::Close,
        s if s >= 0.80 => NameLevel::Similar,
        _ => NameLevel::Different,
    }
}

/// Whether two years differ in one digit.
fn one_digit(a: i32, b: i32) -> bool {
    let (a, b) = (format!("{a:04}"), format!("{b:04}"));
    a.chars().zip(b.chars()).filter(|(x, y)| x != y).count() == 1
}

pub fn birth_level(a: BirthDate, b: BirthDate) -> Option<BirthLevel> {
    use BirthDate::*;
    let year = |d: BirthDate| match d {
        Year(y) | YearMonth(y, _) | Full(y, _, _) => Some(y),
        Unknown => None,
    };
    let (ya, yb) = (year(a)?, year(b)?);
    let apart = (ya - yb).abs() == 1;
    let level = match (a, b) {
        (Full(..), Full(..)) if a == b => BirthLevel::Exact,
        (Full(y1, m1, d1), Full(y2, m2, d2)) => {
            let differing = [y1 != y2, m1 != m2, d1 != d2];
            if y1 == y2 && m1 == d2 && d1 == m2 {
                BirthLevel::DayMonthSwapped
            } else if differing.iter().filter(|d| **d).count() == 1
                && (y1 == y2 || one_digit(y1, y2) || apart)
            {
                BirthLevel::OneOff
            } else if apart {
                BirthLevel::YearApart
            } else {
                BirthLevel::Different
            }
        }
        (YearMonth(_, m1), Full(_, m2, _) | YearMonth(_, m2))
        | (Full(_, m1, _), YearMonth(_, m2))
            if ya == yb && m1 == m2 =>
        {
            BirthLevel::Compatible
        }
        (Year(_), _) | (_, Year(_)) if ya == yb => BirthLevel::Compatible,
        _ if apart => BirthLevel::YearApart,
        _ => BirthLevel::Different,
    };
    Some(level)
}

/// The comparison vector of two persons. Names are compared straight and crosswise (one
/// side's family name against the other's given names); crosswise counts when both of its
/// names are at least similar and it is closer than straight.
pub fn compare(a: &Person, b: &Person) -> Comparison {
    let family = name_level(&a.family, &b.family);
    let given = match (&a.given, &b.given) {
        (Some(x), Some(y)) => Some(name_level(x, y)),
        _ => None,
    };
    let crosswise = match (&a.given, &b.given) {
        (Some(ga), Some(gb)) => Some((name_level(&a.family, gb), name_level(ga, &b.family))),
        _ => None,
    };
    let rank = |f: NameLevel, g: NameLevel| f.index() + g.index();
    let (family, given, swapped) = match (crosswise, given) {
        (Some((cf, cg)), Some(g))
            if cf.index() <= NameLevel::Similar.index()
                && cg.index() <= NameLevel::Similar.index()
                && rank(cf, cg) < rank(family, g) =>
        {
            (cf, Some(cg), true)
        }
        _ => (family, given, false),
    };
    let nationality = match (&a.nationality, &b.nationality) {
        (Some(x), Some(y)) if x == y => Some(NationalityLevel::Equal),
        (Some(_), Some(_)) => Some(NationalityLevel::Different),
        _ => None,
    };
    let full = |d: BirthDate| matches!(d, BirthDate::Full(..));
    Comparison {
        family,
        given,
        birth: birth_level(a.birth, b.birth),
        birth_partial: !(full(a.birth) && full(b.birth)),
        nationality,
        swapped,
    }
}

/// u of an equal value that `count` of `persons` hold (the saved person among them): the
/// share of the others that hold it, smoothed towards the level's u.
fn term_u(level_u: f64, count: u64, persons: u64) -> f64 {
    (count.saturating_sub(1) as f64 + PSEUDO_PERSONS * level_u)
        / (persons.saturating_sub(1) as f64 + PSEUDO_PERSONS)
}

/// Rare or common against the level's average, where the value's own frequency moved the
/// weight by a bit or more.
fn frequency(level_u: f64, u: f64) -> Option<Frequency> {
    let shift = bits(level_u / u);
    if shift >= 1.0 {
        Some(Frequency::Rare)
    } else if shift <= -1.0 {
        Some(Frequency::Common)
    } else {
        None
    }
}

impl Params {
    /// The table a comparison's date of birth is weighed by.
    pub fn birth_levels(&self, c: &Comparison) -> &Levels {
        if c.birth_partial {
            &self.birth_partial
        } else {
            &self.birth
        }
    }

    /// log₂ of the prior odds that two persons of different joint ventures are one.
    pub fn prior(&self, persons: u64) -> f64 {
        let lambda = self.matched_share / (persons as f64).max(MIN_PERSONS);
        bits(lambda / (1.0 - lambda))
    }

    /// One field's weight, with the term frequency where the level is an equal value.
    pub(crate) fn field(
        &self,
        levels: &Levels,
        level: usize,
        exact: bool,
        count: u64,
        persons: u64,
    ) -> (f64, Option<Frequency>) {
        if exact && persons > 0 {
            let u = term_u(levels.u[level], count.max(1), persons);
            (bits(levels.m[level] / u), frequency(levels.u[level], u))
        } else {
            (levels.weight(level), None)
        }
    }

    /// The family and the given names' weights, each equal name by its frequency. Two equal
    /// names together weigh at most what the full name's own frequency says: within one origin
    /// given and family names go together, and two namesakes of a common full name are far
    /// more common than the two names' frequencies multiplied say. What the full name takes
    /// off is taken off the given names.
    pub(crate) fn names(&self, c: &Comparison, counts: &Counts) -> (Weight, Option<Weight>) {
        let n = counts.persons;
        // Crosswise, the family name's frequency is not the value compared: no adjustment.
        let family = self.field(
            &self.family,
            c.family.index(),
            c.family == NameLevel::Exact && !c.swapped,
            counts.family,
            n,
        );
        let given = c.given.map(|level| {
            self.field(
                &self.given,
                level.index(),
                level == NameLevel::Exact && !c.swapped,
                counts.given,
                n,
            )
        });
        // Held by the pair alone, a full name says nothing of how names go together.
        let both_equal = c.family == NameLevel::Exact
            && c.given == Some(NameLevel::Exact)
            && !c.swapped
            && counts.name > 2
            && n > 0;
        match given {
            Some((weight, _)) if both_equal => {
                let (m, u) = (
                    self.family.m[0] * self.given.m[0],
                    self.family.u[0] * self.given.u[0],
                );
                let full = bits(m / term_u(u, counts.name, n));
                if full < family.0 + weight {
                    return (family, Some((full - family.0, Some(Frequency::Common))));
                }
                (family, given)
            }
            _ => (family, given),
        }
    }

    /// Weighs a comparison: `counts` are the saved person's values' frequencies (they are the
    /// other's too wherever a value is equal), `shared` whether the two cases share an
    /// identifier.
    pub fn weigh(&self, c: &Comparison, counts: &Counts, shared: bool) -> Weighed {
        let n = counts.persons;
        let mut fields = Vec::new();
        if c.swapped {
            // Either order may be the better one for any pair, hence twice the share.
            fields.push(FieldWeight::new(
                Reason::NamesSwapped,
                bits(2.0 * self.swapped),
                None,
            ));
        }
        let (family, given) = self.names(c, counts);
        fields.push(FieldWeight::new(
            name_reason(c.family, true),
            family.0,
            family.1,
        ));
        if let (Some(level), Some((weight, note))) = (c.given, given) {
            fields.push(FieldWeight::new(name_reason(level, false), weight, note));
        }
        if let Some(birth) = c.birth {
            let (weight, note) = self.field(
                self.birth_levels(c),
                birth.index(),
                birth == BirthLevel::Exact,
                counts.birth,
                n,
            );
            fields.push(FieldWeight::new(birth_reason(birth), weight, note));
        }
        if let Some(nationality) = c.nationality {
            let (weight, note) = self.field(
                &self.nationality,
                nationality.index(),
                nationality == NationalityLevel::Equal,
                counts.nationality,
                n,
            );
            let reason = match nationality {
                NationalityLevel::Equal => Reason::NationalityEqual,
                NationalityLevel::Different => Reason::NationalityDiffers,
            };
            fields.push(FieldWeight::new(reason, weight, note));
        }
        if shared {
            fields.push(FieldWeight::new(
                Reason::SharedIdentifier,
                bits(self.shared_m / self.shared_u),
                None,
            ));
        }
        let prior = self.prior(n);
        let match_weight = prior + fields.iter().map(|f| f.weight).sum::<f64>();
        Weighed {
            prior,
            fields,
            match_weight,
            probability: probability(match_weight),
        }
    }
}

fn name_reason(level: NameLevel, family: bool) -> Reason {
    match (level, family) {
        (NameLevel::Exact, true) => Reason::FamilyEqual,
        (NameLevel::Close, true) => Reason::FamilySimilar(0.92),
        (NameLevel::Similar, true) => Reason::FamilySimilar(0.8),
        (NameLevel::Different, true) => Reason::FamilyDiffers,
        (NameLevel::Exact, false) => Reason::GivenEqual,
        (NameLevel::Close, false) => Reason::GivenSimilar(0.92),
        (NameLevel::Similar, false) => Reason::GivenSimilar(0.8),
        (NameLevel::Different, false) => Reason::GivenDiffers,
    }
}

fn birth_reason(level: BirthLevel) -> Reason {
    match level {
        BirthLevel::Exact => Reason::BirthEqual,
        BirthLevel::DayMonthSwapped => Reason::BirthDayMonthSwapped,
        BirthLevel::OneOff => Reason::BirthOneOff,
        BirthLevel::Compatible => Reason::BirthCompatible,
        BirthLevel::YearApart => Reason::BirthYearApart,
        BirthLevel::Different => Reason::BirthConflict,
    }
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
