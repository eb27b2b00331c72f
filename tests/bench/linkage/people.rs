//! A labelled generator of person records in two files, as two agencies register the same
//! people: the true pairs are known, so precision and recall can be counted.
//!
//! Each scenario draws `entities` people (names from `names::ORIGINS`, common names more often
//! than rare ones, as in real registers). The left file holds every one of them; the right file
//! holds 60 % of them again, written as the scenario's noise says, beside as many other people:
//! strangers, and relatives of left-file people (same family name and nationality, another given
//! name, a birth date a few years off) — the pairs a matcher must not raise.

use super::names::{ORIGINS, Origin};
use rand::{Rng, SeedableRng, rngs::SmallRng};
use std::collections::BTreeSet;

/// One registration of a person; an empty field is unknown.
#[derive(Debug, Clone)]
pub struct Record {
    pub id: String,
    pub given: String,
    pub family: String,
    /// `YYYY-MM-DD`, or empty.
    pub birth: String,
    pub nationality: String,
    /// `male` or `female`, or empty.
    pub sex: String,
}

/// How the right file's copy of a person differs from the left file's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Noise {
    /// One or two typing or OCR errors in the names.
    Typos,
    /// Another transliteration of the given and family names.
    Transliteration,
    /// Given and family names swapped (and sometimes a spelling variant).
    Swapped,
    /// Another given name altogether (an alias, a second given name used instead).
    ReplacedGiven,
    /// Fields left empty: the birth date, the given name, the nationality, the sex.
    Missing,
    /// The birth date corrupted: digits swapped, day and month swapped, another year, 1 January
    /// for an unknown day.
    Dates,
    /// All of the above, mixed as they come in real registrations.
    Mixed,
}

impl Noise {
    pub const ALL: [Noise; 7] = [
        Noise::Typos,
        Noise::Transliteration,
        Noise::Swapped,
        Noise::ReplacedGiven,
        Noise::Missing,
        Noise::Dates,
        Noise::Mixed,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Noise::Typos => "typos",
            Noise::Transliteration => "transliteration",
            Noise::Swapped => "swapped names",
            Noise::ReplacedGiven => "replaced given name",
            Noise::Missing => "missing values",
            Noise::Dates => "corrupted dates",
            Noise::Mixed => "mixed",
        }
    }
}

/// Two files of one scenario and the pairs (left id, right id) that are the same person.
pub struct Scenario {
    pub left: Vec<Record>,
    pub right: Vec<Record>,
    pub truth: BTreeSet<(String, String)>,
}

/// A person as drawn: which spelling group of each name, so that copies can vary spelling.
#[derive(Clone)]
struct Person {
    origin: &'static Origin,
    male: bool,
    given: &'static [&'static str],
    family: &'static [&'static str],
    year: i32,
    month: u32,
    day: u32,
    nationality: &'static str,
}

/// An index below `len`, small indexes far more often (Zipf-like: a few names are very common).
fn common_first(rng: &mut SmallRng, len: usize) -> usize {
    let u: f64 = rng.random();
    ((len as f64).powf(u) - 1.0).floor() as usize % len
}

fn draw_person(rng: &mut SmallRng) -> Person {
    let total: u32 = ORIGINS.iter().map(|o| o.weight).sum();
    let mut pick = rng.random_range(0..total);
    let origin = ORIGINS
        .iter()
        .find(|o| {
            if pick < o.weight {
                true
            } else {
                pick -= o.weight;
                false
            }
        })
        .unwrap_or(&ORIGINS[0]);
    let male = rng.random_bool(0.7);
    let pool = if male { origin.male } else { origin.female };
    Person {
        origin,
        male,
        given: pool[common_first(rng, pool.len())],
        family: origin.family[common_first(rng, origin.family.len())],
        year: rng.random_range(1960..=2008),
        month: rng.random_range(1..=12),
        day: rng.random_range(1..=28),
        nationality: origin.nationalities[rng.random_range(0..origin.nationalities.len())],
    }
}

/// A relative of `p`: the same family name and nationality, another given name, born a few
/// years apart.
fn relative(rng: &mut SmallRng, p: &Person) -> Person {
    let male = rng.random_bool(0.5);
    let pool = if male { p.origin.male } else { p.origin.female };
    let mut given = pool[rng.random_range(0..pool.len())];
    while given == p.given && pool.len() > 1 {
        given = pool[rng.random_range(0..pool.len())];
    }
    Person {
        male,
        given,
        year: p.year + [-6, -4, -3, -2, 2, 3, 4, 7][rng.random_range(0..8)],
        month: rng.random_range(1..=12),
        day: rng.random_range(1..=28),
        ..p.clone()
    }
}

/// How a name is usually written: its most common spelling.
fn usual(names: &[&str]) -> String {
    names[0].to_owned()
}

/// Another spelling of the same name where there is one.
fn variant(rng: &mut SmallRng, names: &[&str]) -> String {
    if names.len() == 1 {
        return names[0].to_owned();
    }
    names[rng.random_range(1..names.len())].to_owned()
}

const KEYBOARD: &[(char, &str)] = &[
    ('a', "sqz"),
    ('e', "wrd"),
    ('i', "uok"),
    ('o', "ipl"),
    ('u', "yij"),
    ('n', "bmh"),
    ('m', "nj"),
    ('r', "etf"),
    ('s', "adw"),
    ('t', "ryg"),
    ('h', "gjn"),
    ('d', "sfe"),
    ('l', "kop"),
];

/// One typing or OCR error: a neighbouring key, a letter left out or doubled, two letters
/// swapped, or a shape misread (rn for m, cl for d, 0 for o is not a name: ii for u).
fn typo(rng: &mut SmallRng, name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    if chars.len() < 3 {
        return name.to_owned();
    }
    let at = rng.random_range(1..chars.len() - 1);
    let mut out = chars.clone();
    match rng.random_range(0..5) {
        0 => {
            let lower = chars[at].to_ascii_lowercase();
            if let Some((_, near)) = KEYBOARD.iter().find(|(c, _)| *c == lower) {
                let near: Vec<char> = near.chars().collect();
                out[at] = near[rng.random_range(0..near.len())];
            } else {
                out.remove(at);
            }
        }
        1 => {
            out.remove(at);
        }
        2 => out.insert(at, chars[at]),
        3 => out.swap(at, at + 1),
        _ => {
            let text: String = chars.iter().collect();
            for (from, to) in [
                ("m", "rn"),
                ("d", "cl"),
                ("rn", "m"),
                ("u", "ii"),
                ("h", "b"),
            ] {
                if text[1..].contains(from) {
                    return format!("{}{}", &text[..1], text[1..].replacen(from, to, 1));
                }
            }
            out.remove(at);
        }
    }
    out.into_iter().collect()
}

fn date(year: i32, month: u32, day: u32) -> String {
    format!("{year:04}-{month:02}-{day:02}")
}

/// The left file's record of a person: the usual spellings, every field known.
fn left_record(id: String, p: &Person) -> Record {
    Record {
        id,
        given: usual(p.given),
        family: usual(p.family),
        birth: date(p.year, p.month, p.day),
        nationality: p.nationality.to_owned(),
        sex: if p.male { "male" } else { "female" }.to_owned(),
    }
}

/// The right file's record of the same person, with `noise`.
fn noisy_record(rng: &mut SmallRng, id: String, p: &Person, noise: Noise) -> Record {
    let mut r = left_record(id, p);
    let noise = if noise == Noise::Mixed {
        // Mixed: a third of the copies clean but for spelling, the rest one or two kinds.
        match rng.random_range(0..9) {
            0..=2 => Noise::Transliteration,
            3 => Noise::Typos,
            4 => Noise::Swapped,
            5 => Noise::ReplacedGiven,
            6 => Noise::Missing,
            _ => Noise::Dates,
        }
    } else {
        noise
    };
    match noise {
        Noise::Typos => {
            let both = rng.random_bool(0.3);
            if both || rng.random_bool(0.5) {
                r.family = typo(rng, &r.family);
            }
            if both || r.family == usual(p.family) {
                r.given = typo(rng, &r.given);
            }
        }
        Noise::Transliteration => {
            r.given = variant(rng, p.given);
            if rng.random_bool(0.6) {
                r.family = variant(rng, p.family);
            }
        }
        Noise::Swapped => {
            std::mem::swap(&mut r.given, &mut r.family);
            if rng.random_bool(0.3) {
                r.family = variant(rng, p.given);
            }
        }
        Noise::ReplacedGiven => {
            let pool = if p.male {
                p.origin.male
            } else {
                p.origin.female
            };
            let mut other = pool[rng.random_range(0..pool.len())];
            while other == p.given && pool.len() > 1 {
                other = pool[rng.random_range(0..pool.len())];
            }
            r.given = usual(other);
        }
        Noise::Missing => match rng.random_range(0..4) {
            0 => r.birth.clear(),
            1 => r.given.clear(),
            2 => {
                r.nationality.clear();
                r.sex.clear();
            }
            _ => {
                r.nationality.clear();
                r.given = variant(rng, p.given);
            }
        },
        Noise::Dates => {
            r.birth = match rng.random_range(0..5) {
                // Day and month swapped (where the day can be a month).
                0 if p.day <= 12 => date(p.year, p.day, p.month),
                // Two digits of the year swapped, or one mistyped.
                0 | 1 => {
                    let y = p.year;
                    let swapped = (y / 100) * 100 + (y % 10) * 10 + (y / 10) % 10;
                    // Only where the swapped year is still a birth year (2008 would be 2080).
                    let year = if swapped != y && (1930..=2010).contains(&swapped) {
                        swapped
                    } else {
                        y - 10
                    };
                    date(year, p.month, p.day)
                }
                // An estimated age: another year, a little or a lot off.
                2 => date(
                    p.year + [-3, -2, -1, 1, 2, 3][rng.random_range(0..6)],
                    p.month,
                    p.day,
                ),
                // Unknown day and month registered as 1 January.
                3 => date(p.year, 1, 1),
                // A day mistyped.
                _ => date(p.year, p.month, (p.day % 28) + 1),
            };
        }
        Noise::Mixed => unreachable!("resolved above"),
    }
    r
}

/// One scenario: `entities` people in the left file, 60 % of them again in the right file with
/// `noise`, and as many others there (half strangers, half relatives of left-file people).
pub fn scenario(noise: Noise, entities: usize, seed: u64) -> Scenario {
    let mut rng = SmallRng::seed_from_u64(seed);
    let people: Vec<Person> = (0..entities).map(|_| draw_person(&mut rng)).collect();
    let prefix = noise.name().split(' ').next().unwrap_or("s");
    let left: Vec<Record> = people
        .iter()
        .enumerate()
        .map(|(i, p)| left_record(format!("{prefix}-l{i}"), p))
        .collect();
    let mut right = Vec::new();
    let mut truth = BTreeSet::new();
    for (i, p) in people.iter().enumerate() {
        if rng.random_bool(0.6) {
            let id = format!("{prefix}-r{}", right.len());
            truth.insert((left[i].id.clone(), id.clone()));
            right.push(noisy_record(&mut rng, id, p, noise));
        }
    }
    let copies = right.len();
    for k in 0..copies {
        let id = format!("{prefix}-r{}", right.len());
        let other = if k % 2 == 0 {
            draw_person(&mut rng)
        } else {
            let of = rng.random_range(0..people.len());
            relative(&mut rng, &people[of])
        };
        // Others are written with the same kinds of variation as the copies.
        let mut record = left_record(id, &other);
        if rng.random_bool(0.5) {
            record.given = variant(&mut rng, other.given);
        }
        right.push(record);
    }
    // Shuffled, so that file order says nothing.
    for i in (1..right.len()).rev() {
        right.swap(i, rng.random_range(0..=i));
    }
    Scenario { left, right, truth }
}

/// Writes records as the CSV both matchers read.
pub fn write_csv(path: &std::path::Path, records: &[Record]) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "id,given_name,family_name,birth_date,nationality,sex")?;
    for r in records {
        writeln!(
            out,
            "{},{},{},{},{},{}",
            r.id,
            quote(&r.given),
            quote(&r.family),
            r.birth,
            r.nationality,
            r.sex
        )?;
    }
    out.flush()
}

fn quote(s: &str) -> String {
    if s.contains([',', '"']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}
