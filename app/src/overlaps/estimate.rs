//! Estimating the person model from the stored data, as Splink documents it: u from random
//! pairs of persons (almost all of them two different persons), m and the share of matches by
//! expectation–maximisation on blocked pairs, with u held fixed. A field that a blocking rule
//! makes agree says nothing about its pairs, so EM runs once per rule without it: on pairs of
//! the same date of birth it learns the names and the nationality, on pairs of the same family
//! and given names the date of birth and the nationality; a last pass over all blocked
//! pairs, every m held, finds the share of matches. Term frequencies are left out of the
//! estimation and applied when weighing. Pure: the server gathers the pairs (`training`).

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

fn shares(counts: &[f64]) -> Vec<f64> {
    let total: f64 = counts.iter().sum::<f64>() + SMOOTHING * counts.len() as f64;
    counts.iter().map(|c| (c + SMOOTHING) / total).collect()
}

/// u of every level from random pairs; m stays as in `start`.
pub fn u_from_random(start: &Params, random: &[Sample]) -> Params {
    let mut tally = Tally::new();
    for s in random {
        tally.add(s, 1.0);
    }
    let mut params = start.clone();
    params.family.u = shares(&tally.family);
    params.given.u = shares(&tally.given);
    params.birth.u = shares(&tally.birth);
    params.birth_partial.u = shares(&tally.birth_partial);
    params.nationality.u = shares(&tally.nationality);
    params.shared_u = (tally.shared + SMOOTHING) / (tally.total + 2.0 * SMOOTHING);
    params
}

/// Which fields an EM pass learns. A pass weighs its pairs by the fields it learns only: the
/// fields its blocking rule makes agree say nothing there (Splink does the same). A pass that
/// learns nothing weighs by every field and finds the share of matches alone.
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

    /// The fields a pair is weighed by in this pass.
    fn weighs(self) -> Learn {
        if self == Learn::NOTHING {
            Learn::ALL
        } else {
            self
        }
    }
}

/// The weight of a pair from its levels alone (no term frequencies), by the fields `by` names.
fn level_weight(p: &Params, s: &Sample, by: Learn) -> f64 {
    let c = &s.comparison;
    let mut w = 0.0;
    if by.family {
        w += p.family.weight(c.family.index());
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
        w += c.given.map_or(0.0, |g| p.given.weight(g.index()));
    }
    if by.birth {
        w += c.birth.map_or(0.0, |b| p.birth_levels(c).weight(b.index()));
    }
    if by.nationality {
        w += c
            .nationality
            .map_or(0.0, |n| p.nationality.weight(n.index()));
    }
    w
}

fn max_change(a: &Levels, b: &Levels) -> f64 {
    a.m.iter()
        .zip(&b.m)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

/// m of the fields in `learn` and the share of matches among `blocked` by EM, starting from
/// `start` (whose u, and m of the other fields, are kept). Returns the parameters, the share of
/// matches among the blocked pairs, the iterations run and whether it converged.
pub fn em(start: &Params, blocked: &[Sample], learn: Learn) -> (Params, f64, usize, bool) {
    let mut params = start.clone();
    let mut lambda: f64 = 0.1;
    for iteration in 1..=MAX_ITERATIONS {
        let prior = bits(lambda / (1.0 - lambda));
        let mut tally = Tally::new();
        for s in blocked {
            tally.add(
                s,
                probability(prior + level_weight(&params, s, learn.weighs())),
            );
        }
        let mut next = params.clone();
        if learn.family {
            next.family.m = shares(&tally.family);
            next.swapped = ((tally.swapped + SMOOTHING) / (tally.both_given + 2.0 * SMOOTHING))
                .clamp(1e-4, 0.5);
            next.shared_m = (tally.shared + SMOOTHING) / (tally.total + 2.0 * SMOOTHING);
        }
        if learn.given {
            next.given.m = shares(&tally.given);
        }
        if learn.birth {
            next.birth.m = shares(&tally.birth);
            next.birth_partial.m = shares(&tally.birth_partial);
        }
        if learn.nationality {
            next.nationality.m = shares(&tally.nationality);
        }
        let next_lambda = (tally.total / blocked.len().max(1) as f64).clamp(1e-6, 1.0 - 1e-6);
        let change = [
            max_change(&params.family, &next.family),
            max_change(&params.given, &next.given),
            max_change(&params.birth, &next.birth),
            max_change(&params.birth_partial, &next.birth_partial),
            max_change(&params.nationality, &next.nationality),
            (params.swapped - next.swapped).abs(),
            (params.shared_m - next.shared_m).abs(),
            (lambda - next_lambda).abs(),
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

/// The pairs an estimation learns from: two persons with the same full date of birth, two
/// with the same family and given names, and all the pairs blocking compares (for the share of matches).
pub struct Blocked<'a> {
    pub by_date: &'a [Sample],
    pub by_name: &'a [Sample],
    pub all: &'a [Sample],
}

fn average(a: &Levels, b: &Levels) -> Levels {
    Levels {
        m: a.m.iter().zip(&b.m).map(|(x, y)| (x + y) / 2.0).collect(),
        u: a.u.clone(),
    }
}

/// The whole estimation: u from `random`; by EM, the names' m on the pairs of the same date of
/// birth, the date of birth's on the pairs of the same names, the nationality's on both
/// (averaged); then the share of persons with a match from the
/// expected matches among all blocked pairs, of `cross_pairs` pairs of persons of different
/// joint ventures (`persons` in all). A rule without pairs leaves its fields' m as in `start`.
pub fn estimate(
    start: &Params,
    random: &[Sample],
    blocked: Blocked<'_>,
    persons: u64,
    cross_pairs: f64,
) -> Estimate {
    let with_u = u_from_random(start, random);
    let (mut iterations, mut converged) = (0, true);
    let mut pass = |pairs: &[Sample], learn: Learn| {
        if pairs.is_empty() {
            return None;
        }
        let (learnt, share, runs, done) = em(&with_u, pairs, learn);
        iterations += runs;
        converged &= done;
        Some((learnt, share))
    };
    let by_date = pass(
        blocked.by_date,
        Learn {
            birth: false,
            ..Learn::ALL
        },
    );
    let by_name = pass(
        blocked.by_name,
        Learn {
            family: false,
            given: false,
            ..Learn::ALL
        },
    );
    let mut params = with_u.clone();
    match (&by_date, &by_name) {
        (Some((a, _)), Some((b, _))) => {
            params.family = a.family.clone();
            params.swapped = a.swapped;
            params.shared_m = a.shared_m;
            params.birth = b.birth.clone();
            params.birth_partial = b.birth_partial.clone();
            params.given = a.given.clone();
            params.nationality = average(&a.nationality, &b.nationality);
        }
        (Some((only, _)), None) | (None, Some((only, _))) => params = only.clone(),
        (None, None) => {}
    }
    let (lambda, runs, done) = if blocked.all.is_empty() {
        (0.0, 0, true)
    } else {
        let (_, lambda, runs, done) = em(&params, blocked.all, Learn::NOTHING);
        (lambda, runs, done)
    };
    iterations += runs;
    converged &= done;
    let expected_matches = lambda * blocked.all.len() as f64;
    if cross_pairs > 0.0 && persons > 0 {
        // λ of a random pair, as the prior takes it: the share over the number of persons.
        params.matched_share = (expected_matches / cross_pairs * persons as f64).clamp(1e-4, 1.0);
    }
    Estimate {
        params,
        random_pairs: random.len(),
        blocked_pairs: blocked.all.len(),
        iterations,
        converged,
        expected_matches,
    }
}
