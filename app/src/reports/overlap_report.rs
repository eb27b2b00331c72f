//! The managers' overlap report, computed from one [`Fact`] per overlap: no references, no
//! titles, no subjects. Pure: the server hands it the overlaps of the joint ventures the
//! manager oversees, found in the period or the one before.

use crate::reports::types::{
    AgeCount, DecisionCount, Headline, KindCount, OverlapReport, PairCount,
};
use crate::{
    domain::{Decision, OverlapState as State},
    signals::analysis::median,
};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// One overlap as the report sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// The pair of joint ventures, lower id first.
    pub pair: (i32, i32),
    pub match_kind: String,
    /// Found on (Dutch date).
    pub found: NaiveDate,
    pub state: State,
    /// Days from found to both sides' acknowledgement, and to the decision.
    pub acknowledge_days: Option<f64>,
    pub decide_days: Option<f64>,
    pub decision: Option<Decision>,
    /// Decided by a manager's ruling.
    pub ruled: bool,
    /// The deadline that counts now (open: acknowledge; acknowledged: decide).
    pub due: Option<NaiveDate>,
}

/// Age buckets of undecided overlaps, in days since found.
pub const AGES: [(&str, i64, i64); 4] = [
    ("0-7", 0, 7),
    ("8-30", 8, 30),
    ("31-90", 31, 90),
    ("91+", 91, i64::MAX),
];

fn overdue(f: &Fact, today: NaiveDate) -> bool {
    matches!(f.state, State::Open | State::Acknowledged) && f.due.is_some_and(|d| d < today)
}

fn headline(facts: &[&Fact], today: NaiveDate) -> Headline {
    Headline {
        found: facts.len() as u64,
        acknowledged: facts
            .iter()
            .filter(|f| f.acknowledge_days.is_some())
            .count() as u64,
        decided: facts.iter().filter(|f| f.decision.is_some()).count() as u64,
        overdue: facts.iter().filter(|f| overdue(f, today)).count() as u64,
        median_acknowledge_days: median(facts.iter().filter_map(|f| f.acknowledge_days).collect()),
        median_decide_days: median(facts.iter().filter_map(|f| f.decide_days).collect()),
    }
}

/// The report for `from..=to`, compared with `previous_from..=previous_to`.
pub fn analyse(
    facts: &[Fact],
    (from, to): (NaiveDate, NaiveDate),
    (previous_from, previous_to): (NaiveDate, NaiveDate),
    today: NaiveDate,
) -> OverlapReport {
    let now: Vec<&Fact> = facts
        .iter()
        .filter(|f| f.found >= from && f.found <= to)
        .collect();
    let before: Vec<&Fact> = facts
        .iter()
        .filter(|f| f.found >= previous_from && f.found <= previous_to)
        .collect();
    let mut pairs: BTreeMap<(i32, i32), PairCount> = BTreeMap::new();
    let pair = |pairs: &mut BTreeMap<(i32, i32), PairCount>, (a, b): (i32, i32)| {
        pairs.entry((a, b)).or_insert_with(|| PairCount {
            first: a,
            second: b,
            ..PairCount::default()
        });
    };
    for f in &now {
        pair(&mut pairs, f.pair);
        if let Some(p) = pairs.get_mut(&f.pair) {
            p.found += 1;
            p.overdue += u64::from(overdue(f, today));
            p.decided += u64::from(f.decision.is_some());
        }
    }
    for f in &before {
        pair(&mut pairs, f.pair);
        if let Some(p) = pairs.get_mut(&f.pair) {
            p.previous += 1;
        }
    }
    let mut kinds: BTreeMap<String, KindCount> = BTreeMap::new();
    for f in &now {
        let k = kinds
            .entry(f.match_kind.clone())
            .or_insert_with(|| KindCount {
                kind: f.match_kind.clone(),
                ..KindCount::default()
            });
        k.found += 1;
        k.decided += u64::from(f.decision.is_some());
    }
    for f in &before {
        let k = kinds
            .entry(f.match_kind.clone())
            .or_insert_with(|| KindCount {
                kind: f.match_kind.clone(),
                ..KindCount::default()
            });
        k.previous += 1;
    }
    let by_age = AGES
        .iter()
        .map(|(bucket, low, high)| {
            let within = |f: &&&Fact| {
                let age = (today - f.found).num_days();
                age >= *low && age <= *high
            };
            AgeCount {
                bucket: (*bucket).to_owned(),
                open: now
                    .iter()
                    .filter(|f| f.state == State::Open)
                    .filter(within)
                    .count() as u64,
                acknowledged: now
                    .iter()
                    .filter(|f| f.state == State::Acknowledged)
                    .filter(within)
                    .count() as u64,
            }
        })
        .collect();
    let decisions = Decision::ALL
        .iter()
        .map(|d| DecisionCount {
            decision: *d,
            count: now.iter().filter(|f| f.decision == Some(*d)).count() as u64,
            ruled: now
                .iter()
                .filter(|f| f.decision == Some(*d) && f.ruled)
                .count() as u64,
        })
        .filter(|d| d.count > 0)
        .collect();
    let pairs: Vec<PairCount> = pairs.into_values().collect();
    // Recurring: pairs that overlapped in both periods, the most overlaps first.
    let mut recurring: Vec<PairCount> = pairs
        .iter()
        .filter(|p| p.found > 0 && p.previous > 0)
        .cloned()
        .collect();
    recurring.sort_by_key(|p| std::cmp::Reverse((p.found + p.previous, p.found)));
    recurring.truncate(10);
    let mut kinds: Vec<KindCount> = kinds.into_values().collect();
    kinds.sort_by_key(|k| std::cmp::Reverse(k.found));
    OverlapReport {
        from: from.to_string(),
        to: to.to_string(),
        previous_from: previous_from.to_string(),
        previous_to: previous_to.to_string(),
        now: headline(&now, today),
        before: headline(&before, today),
        pairs,
        by_kind: kinds,
        by_age,
        decisions,
        recurring,
        ..OverlapReport::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: &str) -> NaiveDate {
        d.parse().expect("date")
    }

    fn fact(pair: (i32, i32), found: &str, state: State) -> Fact {
        Fact {
            pair,
            match_kind: "phone".into(),
            found: day(found),
            state,
            acknowledge_days: None,
            decide_days: None,
            decision: None,
            ruled: false,
            due: None,
        }
    }

    #[test]
    fn counts_medians_ages_and_recurring_pairs() {
        let today = day("2026-11-30");
        let mut decided = fact((1, 2), "2026-10-05", State::Decided);
        decided.acknowledge_days = Some(2.0);
        decided.decide_days = Some(6.0);
        decided.decision = Some(Decision::JointAction);
        let mut ruled = fact((1, 2), "2026-10-20", State::Closed);
        ruled.acknowledge_days = Some(4.0);
        ruled.decide_days = Some(10.0);
        ruled.decision = Some(Decision::LeadFirst);
        ruled.ruled = true;
        let mut late = fact((1, 3), "2026-11-02", State::Open);
        late.due = Some(day("2026-11-09"));
        let mut fresh = fact((1, 3), "2026-11-27", State::Acknowledged);
        fresh.acknowledge_days = Some(1.0);
        fresh.due = Some(day("2026-12-10"));
        fresh.match_kind = "operation".into();
        let earlier = fact((1, 2), "2026-08-10", State::Closed);
        let outside = fact((2, 3), "2025-01-10", State::Open);
        let facts = vec![decided, ruled, late, fresh, earlier, outside];
        let r = analyse(
            &facts,
            (day("2026-09-01"), day("2026-11-30")),
            (day("2026-06-03"), day("2026-08-31")),
            today,
        );
        assert_eq!(r.now.found, 4);
        assert_eq!(r.now.acknowledged, 3);
        assert_eq!(r.now.decided, 2);
        assert_eq!(r.now.overdue, 1);
        assert_eq!(r.now.median_acknowledge_days, Some(2.0));
        assert_eq!(r.now.median_decide_days, Some(8.0));
        assert_eq!(r.before.found, 1);
        let pair = |a, b| r.pairs.iter().find(|p| (p.first, p.second) == (a, b));
        assert_eq!(
            pair(1, 2).map(|p| (p.found, p.previous, p.decided)),
            Some((2, 1, 2))
        );
        assert_eq!(pair(1, 3).map(|p| (p.found, p.overdue)), Some((2, 1)));
        assert!(pair(2, 3).is_none(), "outside both periods");
        assert_eq!(r.recurring.len(), 1);
        assert_eq!((r.recurring[0].first, r.recurring[0].second), (1, 2));
        assert_eq!(r.by_age[0].acknowledged, 1, "3 days old");
        assert_eq!(r.by_age[1].open, 1, "28 days old");
        assert_eq!(r.by_kind[0].kind, "phone");
        assert_eq!(r.by_kind[0].found, 3);
        let lead = r
            .decisions
            .iter()
            .find(|d| d.decision == Decision::LeadFirst);
        assert_eq!(lead.map(|d| (d.count, d.ruled)), Some((1, 1)));
    }
}
