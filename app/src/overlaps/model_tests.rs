use super::*;
use crate::overlaps::estimate::{Blocked, Learn, Sample, Share, em, estimate};
use proptest::prelude::*;
use rand::{Rng, SeedableRng, rngs::SmallRng};

fn person(
    given: Option<&str>,
    family: &str,
    birth: BirthDate,
    nationality: Option<&str>,
) -> Person {
    Person {
        given: given.map(str::to_owned),
        family: family.to_owned(),
        birth,
        nationality: nationality.map(str::to_owned),
    }
}

fn counts(persons: u64) -> Counts {
    Counts {
        persons,
        family: 2,
        given: 2,
        birth: 2,
        nationality: persons / 10,
        name: 0,
    }
}

#[test]
fn the_default_weights_fall_from_each_fields_best_level_to_its_worst() {
    let p = Params::default();
    for levels in [&p.family, &p.given, &p.birth, &p.nationality] {
        let weights: Vec<f64> = (0..levels.m.len()).map(|l| levels.weight(l)).collect();
        assert!(
            weights[0] > 0.0 && weights[weights.len() - 1] < 0.0,
            "{weights:?}"
        );
        assert!(
            (levels.u.iter().sum::<f64>() - 1.0).abs() < 1e-9,
            "u sums to 1"
        );
        assert!(
            (levels.m.iter().sum::<f64>() - 1.0).abs() < 1e-9,
            "m sums to 1"
        );
    }
    let names: Vec<f64> = NameLevel::ALL
        .iter()
        .map(|l| p.family.weight(l.index()))
        .collect();
    assert!(names.windows(2).all(|w| w[0] > w[1]), "{names:?}");
}

#[test]
fn dates_of_birth_compare_by_level() {
    use BirthDate::*;
    let cases = [
        (Full(1990, 5, 4), Full(1990, 5, 4), Some(BirthLevel::Exact)),
        (
            Full(1990, 5, 4),
            Full(1990, 4, 5),
            Some(BirthLevel::DayMonthSwapped),
        ),
        (Full(1990, 5, 4), Full(1990, 5, 9), Some(BirthLevel::OneOff)),
        (Full(1990, 5, 4), Full(1996, 5, 4), Some(BirthLevel::OneOff)),
        (Full(1990, 5, 4), Year(1990), Some(BirthLevel::Compatible)),
        (
            YearMonth(1990, 5),
            Full(1990, 5, 4),
            Some(BirthLevel::Compatible),
        ),
        (
            Full(1990, 5, 4),
            Full(1991, 8, 9),
            Some(BirthLevel::YearApart),
        ),
        (
            Full(1990, 5, 4),
            Full(1975, 8, 9),
            Some(BirthLevel::Different),
        ),
        (Year(1990), Year(1984), Some(BirthLevel::Different)),
        (Unknown, Full(1990, 5, 4), None),
    ];
    for (a, b, level) in cases {
        assert_eq!(birth_level(a, b), level, "{a:?} / {b:?}");
        assert_eq!(birth_level(b, a), level, "symmetric: {a:?} / {b:?}");
    }
}

#[test]
fn swapped_names_are_compared_crosswise_at_a_cost() {
    let a = person(Some("haddad"), "yusuf", BirthDate::Year(1979), None);
    let b = person(Some("yusuf"), "haddad", BirthDate::Year(1979), None);
    let c = compare(&a, &b);
    assert!(c.swapped);
    assert_eq!(
        (c.family, c.given),
        (NameLevel::Exact, Some(NameLevel::Exact))
    );
    let w = Params::default().weigh(&c, &counts(10_000), false);
    assert_eq!(w.fields[0].reason, Reason::NamesSwapped);
    assert!(w.fields[0].weight < 0.0);
    let straight = compare(&a, &a.clone());
    assert!(!straight.swapped);
}

#[test]
fn a_common_value_weighs_less_than_a_rare_one() {
    let p = Params::default();
    let a = person(
        Some("mohammed"),
        "ahmadi",
        BirthDate::Full(1990, 1, 1),
        Some("AF"),
    );
    let c = compare(&a, &a.clone());
    let rare = p.weigh(&c, &counts(1_000_000), false);
    let common = p.weigh(
        &c,
        &Counts {
            persons: 1_000_000,
            family: 20_000,
            given: 40_000,
            birth: 30_000,
            nationality: 300_000,
            name: 0,
        },
        false,
    );
    for (r, c) in rare.fields.iter().zip(&common.fields) {
        assert!(r.weight > c.weight, "{r:?} against {c:?}");
    }
    assert_eq!(rare.fields[0].frequency, Some(Frequency::Rare));
    assert_eq!(common.fields[0].frequency, Some(Frequency::Common));
    assert!(rare.probability > common.probability);
}

#[test]
fn a_young_database_needs_the_evidence_a_full_one_would() {
    let p = Params::default();
    assert_eq!(p.prior(3), p.prior(MIN_PERSONS as u64));
    assert!(p.prior(1_000_000) < p.prior(10_000));
    // The smoothing keeps two namesakes in a database of three from counting as rare.
    let (few, none) = (
        p.field(&p.family, 0, true, 2, 3),
        p.field(&p.family, 0, true, 2, 0),
    );
    assert!((few.0 - none.0).abs() < 1.0, "{few:?} {none:?}");
    assert_ne!(few.1, Some(Frequency::Common));
}

#[test]
fn the_match_weight_is_the_prior_and_the_fields_summed() {
    let p = Params::default();
    let a = person(
        Some("dawit"),
        "haile",
        BirthDate::Full(1996, 2, 11),
        Some("ER"),
    );
    let b = person(Some("dawit"), "hailu", BirthDate::Year(1996), Some("ER"));
    let w = p.weigh(&compare(&a, &b), &counts(50_000), true);
    let sum: f64 = w.prior + w.fields.iter().map(|f| f.weight).sum::<f64>();
    assert!((w.match_weight - sum).abs() < 0.05);
    assert!((w.probability - probability(w.match_weight)).abs() < 1e-12);
    assert_eq!(
        w.fields.last().map(|f| f.reason),
        Some(Reason::SharedIdentifier)
    );
}

fn name() -> impl Strategy<Value = String> {
    "[a-z]{2,9}( [a-z]{2,9})?"
}

fn birth() -> impl Strategy<Value = BirthDate> {
    prop_oneof![
        Just(BirthDate::Unknown),
        (1950..2010i32).prop_map(BirthDate::Year),
        (1950..2010i32, 1..13u32, 1..29u32).prop_map(|(y, m, d)| BirthDate::Full(y, m, d)),
    ]
}

fn any_person() -> impl Strategy<Value = Person> {
    (
        proptest::option::of(name()),
        name(),
        birth(),
        proptest::option::of(prop_oneof![Just("SY"), Just("ER"), Just("AF")]),
    )
        .prop_map(|(g, f, b, n)| person(g.as_deref(), &f, b, n))
}

proptest! {
    #[test]
    fn weighing_is_symmetric(a in any_person(), b in any_person()) {
        let p = Params::default();
        let (ab, ba) = (compare(&a, &b), compare(&b, &a));
        prop_assert_eq!(ab, ba);
        let n = counts(100_000);
        prop_assert!((p.weigh(&ab, &n, false).match_weight - p.weigh(&ba, &n, false).match_weight).abs() < 1e-9);
    }

    #[test]
    fn a_closer_name_never_weighs_less(a in "[a-z]{3,10}", b in "[a-z]{3,10}", c in "[a-z]{3,10}") {
        // Whichever of b and c is more like a is at a level at least as good.
        let (sb, sc) = (similarity(&a, &b), similarity(&a, &c));
        let (lb, lc) = (name_level(&a, &b), name_level(&a, &c));
        if sb > sc && b != a && c != a {
            prop_assert!(lb.index() <= lc.index());
            let p = Params::default();
            prop_assert!(p.family.weight(lb.index()) >= p.family.weight(lc.index()));
        }
    }

    #[test]
    fn an_equal_person_is_never_below_a_changed_one(a in any_person(), b in any_person()) {
        let p = Params::default();
        let n = counts(100_000);
        let same = p.weigh(&compare(&a, &a.clone()), &n, false).match_weight;
        prop_assert!(same >= p.weigh(&compare(&a, &b), &n, false).match_weight - 1e-9);
    }
}

/// Comparison vectors drawn from a known mixture: matches mostly agree, non-matches mostly
/// differ. EM, started from the defaults, finds the mixture's m and its share of matches.
#[test]
fn em_recovers_a_known_mixture() {
    let mut rng = SmallRng::seed_from_u64(7);
    let draw = |rng: &mut SmallRng, shares: &[f64]| {
        let x: f64 = rng.random();
        let mut acc = 0.0;
        shares
            .iter()
            .position(|s| {
                acc += s;
                x < acc
            })
            .unwrap_or(shares.len() - 1)
    };
    let truth = Params {
        family: Levels::new(&[0.7, 0.15, 0.1, 0.05], &[0.01, 0.02, 0.07, 0.9]),
        given: Levels::new(&[0.6, 0.2, 0.1, 0.1], &[0.02, 0.03, 0.1, 0.85]),
        birth: Levels::new(
            &[0.6, 0.05, 0.1, 0.1, 0.05, 0.1],
            &[0.001, 0.001, 0.01, 0.05, 0.1, 0.838],
        ),
        birth_partial: Params::default().birth_partial,
        nationality: Levels::new(&[0.9, 0.1], &[0.3, 0.7]),
        swapped: 0.05,
        shared_m: 0.2,
        shared_u: 0.001,
        matched_share: 0.1,
    };
    let sample = |rng: &mut SmallRng, matched: bool| {
        let pick = |l: &Levels| if matched { l.m.clone() } else { l.u.clone() };
        Sample {
            comparison: Comparison {
                family: NameLevel::ALL[draw(rng, &pick(&truth.family))],
                given: Some(NameLevel::ALL[draw(rng, &pick(&truth.given))]),
                birth: Some(BirthLevel::ALL[draw(rng, &pick(&truth.birth))]),
                birth_partial: false,
                nationality: Some(NationalityLevel::ALL[draw(rng, &pick(&truth.nationality))]),
                swapped: false,
            },
            shared: rng.random::<f64>()
                < if matched {
                    truth.shared_m
                } else {
                    truth.shared_u
                },
            counts: [0; 5],
        }
    };
    let blocked: Vec<Sample> = (0..60_000).map(|i| sample(&mut rng, i % 4 == 0)).collect();
    let random: Vec<Sample> = (0..200_000).map(|_| sample(&mut rng, false)).collect();
    // Every pair compared: the blocked pairs are all the pairs there are.
    let (learnt, share, _, converged) = em(
        &crate::overlaps::estimate::u_from_random(&Params::default(), &random),
        &blocked,
        Learn::ALL,
        Share::OfAll(60_000.0),
        0,
    );
    assert!(converged);
    assert!(
        (share - 0.25).abs() < 0.02,
        "a quarter are matches: {share}"
    );
    // The whole estimation on the same pairs (no pairs of one date or one name: λ alone).
    let found = estimate(
        &learnt,
        &random,
        Blocked {
            by_date: &[],
            all: &blocked,
        },
        10,
        60_000.0,
    );
    assert!(found.converged, "{found:?}");
    let close = |got: &[f64], want: &[f64], tol: f64| {
        got.iter().zip(want).all(|(g, w)| (g - w).abs() < tol)
    };
    let p = &learnt;
    assert!(
        close(&p.family.m, &truth.family.m, 0.03),
        "{:?}",
        p.family.m
    );
    assert!(close(&p.given.m, &truth.given.m, 0.03), "{:?}", p.given.m);
    assert!(close(&p.birth.m, &truth.birth.m, 0.03), "{:?}", p.birth.m);
    assert!(
        close(&p.family.u, &truth.family.u, 0.01),
        "{:?}",
        p.family.u
    );
    assert!(
        (found.expected_matches / 15_000.0 - 1.0).abs() < 0.05,
        "a quarter are matches: {}",
        found.expected_matches
    );
    // The prior's share: λ (a quarter) times the persons (ten).
    assert!(
        (found.params.matched_share - 2.5).abs() < 0.15,
        "{}",
        found.params.matched_share
    );
    // From a poor start too: every level equally likely for a match.
    let mut poor = found.params.clone();
    poor.family.m = vec![0.25; 4];
    poor.given.m = vec![0.25; 4];
    poor.birth.m = vec![1.0 / 6.0; 6];
    let (again, lambda, _, converged) = em(&poor, &blocked, Learn::ALL, Share::Free, 0);
    assert!(converged && (lambda - 0.25).abs() < 0.02, "{lambda}");
    assert!(close(&again.family.m, &truth.family.m, 0.03));
}

#[test]
fn two_equal_names_weigh_at_most_what_the_full_name_says() {
    let p = Params::default();
    let a = person(
        Some("ahmad"),
        "rahimi",
        BirthDate::Full(1990, 5, 4),
        Some("AF"),
    );
    let b = person(
        Some("ahmad"),
        "rahimi",
        BirthDate::Full(1985, 2, 11),
        Some("AF"),
    );
    let c = compare(&a, &b);
    let names = |counts: &Counts| -> f64 {
        let (family, given) = p.names(&c, counts);
        family.0 + given.map_or(0.0, |g| g.0)
    };
    // A family name 500 and a given name 2,000 of a million persons hold: together by chance
    // one in a thousand of those; 400 hold both (one origin), far more than chance.
    let apart = Counts {
        persons: 1_000_000,
        family: 500,
        given: 2_000,
        birth: 2,
        nationality: 100_000,
        name: 0,
    };
    let together = Counts { name: 400, ..apart };
    assert!(
        names(&together) < names(&apart) - 5.0,
        "{} against {}",
        names(&together),
        names(&apart)
    );
    // The family name keeps its own weight; the given names carry the difference, marked
    // common.
    let (family, given) = p.names(&c, &together);
    assert_eq!(family, p.names(&c, &apart).0);
    assert_eq!(given.and_then(|g| g.1), Some(Frequency::Common));
    // A full name as rare as its parts say changes nothing; nor do different names.
    let rare = Counts { name: 1, ..apart };
    assert_eq!(names(&rare), names(&apart));
    let other = compare(
        &a,
        &person(
            Some("karim"),
            "rahimi",
            BirthDate::Full(1990, 5, 4),
            Some("AF"),
        ),
    );
    assert_eq!(p.names(&other, &together), p.names(&other, &apart));
    // The whole weighing sums the same.
    let weighed = p.weigh(&c, &together, false);
    let sum: f64 = weighed.fields.iter().map(|f| f.weight).sum();
    assert!((weighed.match_weight - weighed.prior - sum).abs() < 1e-9);
}
