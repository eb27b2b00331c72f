//! Estimating the person model from the stored data, as Splink documents it, with one change
//! where Splink's way leaves the answer unsettled:
//!
//! 1. **u** from random pairs of persons (almost all of them two different persons);
//! 2. **the names' and the nationality's m** by expectation–maximisation on the pairs of the
//!    same full date of birth (mostly one person twice: a date is shared by chance rarely), the
//!    date left out of the weighing since the rule makes it agree;
//! 3. **λ**, the chance that a random pair of persons of different joint ventures is a match:
//!    EM on the prior alone over all pairs blocking compares, each weighed by every field, the
//!    pairs not compared taken for non-matches.
//!
//! **The date of birth's m is not learnt** but kept from the start. Splink learns it on pairs
//! of the same names, with the share of matches among them free; with the names fixed by the
//! rule and the nationality alike among namesakes, one field is left and the split is not
//! settled: on the labelled bench EM takes every pair of namesakes for a match and the date of
//! birth for noise (its weight for a different date near 0), and held at λ it does the same,
//! since names shared within a family or an origin are far more common than their frequencies
//! alone say.
//!
//! Wherever a pair is weighed by an equal value, the value's frequency counts, as when
//! matching: namesakes of a common name are not taken for matches. A table seen on too few
//! pairs keeps its values from the start. Pure: the server gathers the pairs (`training`).

use crate::overlaps::model::{
    BirthLevel, Comparison, Levels, NameLevel, NationalityLevel, Params, bits, probability,
};
use serde::{Deserialize, Serialize};

/// One pair as the estimation sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sample {
    pub comparison: Comparison,
    /// Whether the two persons' cases share an identifier.
    pub shared: bool,
    /// How many persons hold the first person's family name, given name, date of birth,
    /// nationality, and family and given names together: an equal value is weighed by its
    /// frequency, as when matching.
    pub counts: [u32; 5],
}

/// Pseudo-counts added to every level, so that a level no pair showed keeps a finite weight.
const SMOOTHING: f64 = 0.5;
/// EM stops when no m moved more than this in an iteration.
const TOLERANCE: f64 = 1e-5;
pub const MAX_ITERATIONS: usize = 200;

/// What an estimation found, to store and to show to administrators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub params: Params,
    pub random_pairs: usize,
    pub blocked_pairs: usize,
    pub iterations: usize,
    pub converged: bool,
    /// The expected number of true matches among the blocked pairs.
    pub expected_matches: f64,
}

/// Each field's level counts: `weights[i]` per level, and the total over pairs that have the
/// field.
struct Tally {
    family: Vec<f64>,
    given: Vec<f64>,
    birth: Vec<f64>,
    birth_partial: Vec<f64>,
    nationality: Vec<f64>,
    swapped: f64,
    both_given: f64,
    shared: f64,
    total: f64,
}

impl Tally {
    fn new() -> Self {
        Tally {
            family: vec![0.0; NameLevel::ALL.len()],
            given: vec![0.0; NameLevel::ALL.len()],
            birth: vec![0.0; BirthLevel::ALL.len()],
            birth_partial: vec![0.0; BirthLevel::ALL.len()],
            nationality: vec![0.0; NationalityLevel::ALL.len()],
            swapped: 0.0,
            both_given: 0.0,
            shared: 0.0,
            total: 0.0,
        }
    }

    fn add(&mut self, s: &Sample, w: f64) {
        let c = &s.comparison;
        self.family[c.family.index()] += w;
        if let Some(g) = c.given {
            self.given[g.index()] += w;
            self.both_given += w;
            if c.swapped {
                self.swapped += w;
            }
        }
        if let Some(b) = c.birth {
            if c.birth_partial {
                self.birth_partial[b.index()] += w;
            } else {
                self.birth[b.index()] += w;
            }
        }
        if let Some(n) = c.nationality {
            self.nationality[n.index()] += w;
        }
        if s.shared {
            self.shared += w;
        }
        self.total += w;
    }
}

/// A table's counts seen on fewer pairs than this leave its values as they were.
const MIN_SEEN: f64 = 30.0;

/// Each level's share of `counts`, or `before` where the table was seen too rarely.
fn shares(counts: &[f64], before: &[f64]) -> Vec<f64> {
    let seen: f64 = counts.iter().sum();
    if seen < MIN_SEEN {
        return before.to_vec();
    }
    let total = seen + SMOOTHING * counts.len() as f64;
    counts.iter().map(|c| (c + SMOOTHING) / total).collect()
}

/// u of every level from random pairs; m stays as in `start`.
pub fn u_from_random(start: &Params, random: &[Sample]) -> Params {
    let mut tally = Tally::new();
    for s in random {
        tally.add(s, 1.0);
    }
    let mut params = start.clone();
    params.family.u = shares(&tally.family, &start.family.u);
    params.given.u = shares(&tally.given, &start.given.u);
    params.birth.u = shares(&tally.birth, &start.birth.u);
    params.birth_partial.u = shares(&tally.birth_partial, &start.birth_partial.u);
    params.nationality.u = shares(&tally.nationality, &start.nationality.u);
    if tally.total >= MIN_SEEN {
        params.shared_u = (tally.shared + SMOOTHING) / (tally.total + 2.0 * SMOOTHING);
    }
    params
}

/// Which fields an EM pass learns. A pass weighs its pairs by the fields it learns only: the
/// fields its blocking rule makes agree say nothing there (Splink does the same). A pass that
/// learns nothing weighs by every field (it finds λ).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Learn {
    pub family: bool,
    pub given: bool,
    pub birth: bool,
    pub nationality: bool,
}

impl Learn {
    pub const ALL: Learn = Learn {
        family: true,
        given: true,
        birth: true,
        nationality: true,
    };
    pub const NOTHING: Learn = Learn {
        family: false,
        given: false,
        birth: false,
        nationality: false,
    };

    fn weighs(self) -> Learn {
        if self == Learn::NOTHING {
            Learn::ALL
        } else {
            self
        }
    }
}

/// What a pass takes the share of matches among its pairs to be.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Share {
    /// Learnt from the pairs themselves, which are weighed by the fields learnt only.
    Free,
    /// Every pair weighed by all its fields and the prior of a random pair, λ, learnt: of this
    /// many pairs, those of the pass are the ones blocking compares, the rest taken for
    /// non-matches.
    OfAll(f64),
}

/// The weight of a pair by the fields `by` names, equal values by their frequency among
/// `persons` (none where `persons` is 0).
fn level_weight(p: &Params, s: &Sample, by: Learn, persons: u64) -> f64 {
    use crate::overlaps::model::{BirthLevel as B, NationalityLevel as Nat};
    let c = &s.comparison;
    let counts = crate::overlaps::model::Counts::of(persons, s.counts.map(u64::from));
    let mut w = 0.0;
    let (family_weight, given_weight) = p.names(c, &counts);
    if by.family {
        w += family_weight.0;
        // As weighing does: crosswise costs the share of matches recorded so.
        if c.swapped {
            w += bits(2.0 * p.swapped);
        }
        w += if s.shared {
            bits(p.shared_m / p.shared_u)
        } else {
            bits((1.0 - p.shared_m) / (1.0 - p.shared_u))
        };
    }
    if by.given {
        w += given_weight.map_or(0.0, |g| g.0);
    }
    if by.birth {
        w += c.birth.map_or(0.0, |b| {
            p.field(
                p.birth_levels(c),
                b.index(),
                b == B::Exact,
                counts.birth,
                persons,
            )
            .0
        });
    }
    if by.nationality {
        w += c.nationality.map_or(0.0, |n| {
            p.field(
                &p.nationality,
                n.index(),
                n == Nat::Equal,
                counts.nationality,
                persons,
            )
            .0
        });
    }
    w
}

fn max_change(a: &Levels, b: &Levels) -> f64 {
    a.m.iter()
        .zip(&b.m)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

/// m of the fields in `learn` by EM on `pairs` of `persons`, from `start` (whose u, and m of
/// the other fields, are kept), the share of matches as `share` says. Returns the parameters,
/// the share of matches (λ but for [`Share::Free`]), the iterations run and whether it
/// converged.
pub fn em(
    start: &Params,
    pairs: &[Sample],
    learn: Learn,
    share: Share,
    persons: u64,
) -> (Params, f64, usize, bool) {
    let mut params = start.clone();
    if pairs.is_empty() {
        return (params, 0.0, 0, true);
    }
    let n = pairs.len() as f64;
    let mut lambda: f64 = match share {
        Share::Free => 0.1,
        Share::OfAll(all) => (n / all.max(n) / 10.0).clamp(1e-12, 0.5),
    };
    let by = match share {
        Share::Free => learn.weighs(),
        Share::OfAll(_) => Learn::ALL,
    };
    for iteration in 1..=MAX_ITERATIONS {
        let prior = bits(lambda / (1.0 - lambda));
        let mut tally = Tally::new();
        for s in pairs {
            tally.add(
                s,
                probability(prior + level_weight(&params, s, by, persons)),
            );
        }
        let mut next = params.clone();
        if learn.family {
            next.family.m = shares(&tally.family, &params.family.m);
            if tally.both_given >= MIN_SEEN {
                next.swapped = ((tally.swapped + SMOOTHING) / (tally.both_given + 2.0 * SMOOTHING))
                    .clamp(1e-4, 0.5);
            }
            if tally.total >= MIN_SEEN {
                next.shared_m = (tally.shared + SMOOTHING) / (tally.total + 2.0 * SMOOTHING);
            }
        }
        if learn.given {
            next.given.m = shares(&tally.given, &params.given.m);
        }
        if learn.birth {
            next.birth.m = shares(&tally.birth, &params.birth.m);
            next.birth_partial.m = shares(&tally.birth_partial, &params.birth_partial.m);
        }
        if learn.nationality {
            next.nationality.m = shares(&tally.nationality, &params.nationality.m);
        }
        let next_lambda = match share {
            Share::Free => (tally.total / n).clamp(1e-6, 1.0 - 1e-6),
            Share::OfAll(all) => (tally.total / all.max(n)).clamp(1e-12, 0.5),
        };
        let change = [
            max_change(&params.family, &next.family),
            max_change(&params.given, &next.given),
            max_change(&params.birth, &next.birth),
            max_change(&params.birth_partial, &next.birth_partial),
            max_change(&params.nationality, &next.nationality),
            (params.swapped - next.swapped).abs(),
            (params.shared_m - next.shared_m).abs(),
            // λ by its ratio: it can be one in a million.
            (next_lambda / lambda).log2().abs() / 100.0,
        ]
        .into_iter()
        .fold(0.0, f64::max);
        params = next;
        lambda = next_lambda;
        if change < TOLERANCE {
            return (params, lambda, iteration, true);
        }
    }
    (params, lambda, MAX_ITERATIONS, false)
}

/// The pairs an estimation learns from: two persons with the same full date of birth, and
/// all the pairs blocking compares.
pub struct Blocked<'a> {
    pub by_date: &'a [Sample],
    pub all: &'a [Sample],
}

/// The whole estimation (the steps in this module's documentation), on `blocked` of
/// `cross_pairs` pairs of persons of different joint ventures (`persons` in all). The prior's
/// `matched_share` is λ times the number of persons. A rule without pairs leaves its fields'
/// m as in `start`.
pub fn estimate(
    start: &Params,
    random: &[Sample],
    blocked: Blocked<'_>,
    persons: u64,
    cross_pairs: f64,
) -> Estimate {
    let (mut iterations, mut converged) = (0, true);
    let mut pass = |params: &Params, pairs: &[Sample], learn: Learn, share: Share| {
        let (learnt, lambda, runs, done) = em(params, pairs, learn, share, persons);
        iterations += runs;
        converged &= done;
        (learnt, lambda)
    };
    let mut params = u_from_random(start, random);
    (params, _) = pass(
        &params,
        blocked.by_date,
        Learn {
            birth: false,
            ..Learn::ALL
        },
        Share::Free,
    );
    let (_, lambda) = pass(
        &params,
        blocked.all,
        Learn::NOTHING,
        Share::OfAll(cross_pairs),
    );
    if persons > 0 && lambda > 0.0 {
        params.matched_share = (lambda * persons as f64).clamp(1e-4, MAX_MATCHED_SHARE);
    }
    Estimate {
        params,
        random_pairs: random.len(),
        blocked_pairs: blocked.all.len(),
        iterations,
        converged,
        expected_matches: lambda * cross_pairs,
    }
}

/// The most `matched_share` can be: beyond one where persons have matches in several other
/// joint ventures, or where few joint ventures hold them (fewer pairs between them).
pub const MAX_MATCHED_SHARE: f64 = 4.0;
