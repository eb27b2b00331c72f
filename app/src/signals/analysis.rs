//! The joint analysis of signals: counts by month and nature, by the reporting organisation's
//! kind, by category (with how often one led to a case), theme and outcome, the share followed
//! up, and the median days each step took. Pure: the server hands it one [`Fact`] per signal
//! (reports attached to an earlier signal left out, so nothing counts twice).

use crate::domain::{OrganisationKind, SignalNature, SignalOutcome, SignalState, Theme};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One signal as the analysis sees it: no text, no people.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// `2026-11`, Dutch time.
    pub month: String,
    pub organisation: OrganisationKind,
    pub nature: SignalNature,
    pub category: String,
    pub theme: Theme,
    pub state: SignalState,
    pub outcome: Option<SignalOutcome>,
    /// Days from the report to the assessment, from the assessment to routing, and from
    /// routing (or the assessment, for no action) to the end.
    pub assess_days: Option<f64>,
    pub route_days: Option<f64>,
    pub decide_days: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Month {
    pub month: String,
    pub hard: u64,
    pub soft: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CategoryCount {
    pub category: String,
    pub signals: u64,
    pub followed_up: u64,
    /// Followed up by linking to a case or adding to one.
    pub to_case: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StepTime {
    /// `assess`, `route` or `decide`.
    pub step: String,
    pub median_days: Option<f64>,
    /// How many signals took the step.
    pub signals: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub from: String,
    pub to: String,
    pub total: u64,
    pub followed_up: u64,
    pub no_action: u64,
    pub open: u64,
    /// Followed up, of all signals, in percent (one decimal).
    pub followed_up_share: Option<f64>,
    pub by_month: Vec<Month>,
    pub by_organisation: Vec<(OrganisationKind, u64)>,
    pub by_category: Vec<CategoryCount>,
    pub by_theme: Vec<(Theme, u64)>,
    pub by_outcome: Vec<(SignalOutcome, u64)>,
    pub step_times: Vec<StepTime>,
}

/// The median of `values` (the mean of the middle two for an even count), rounded to a tenth.
pub fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let middle = if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    };
    Some((middle * 10.0).round() / 10.0)
}

/// Every month from `from` to `to` (`2026-01`), both included; empty when either is malformed
/// or `to` comes first.
pub fn months(from: &str, to: &str) -> Vec<String> {
    use crate::domain::dates::parse_month as parse;
    let (Some(mut at), Some(end)) = (parse(from), parse(to)) else {
        return Vec::new();
    };
    let mut all = Vec::new();
    while at <= end && all.len() < 240 {
        all.push(format!("{:04}-{:02}", at.0, at.1));
        at = if at.1 == 12 {
            (at.0 + 1, 1)
        } else {
            (at.0, at.1 + 1)
        };
    }
    all
}

/// The analysis of `facts` reported from month `from` to month `to`.
pub fn analyse(facts: &[Fact], from: &str, to: &str) -> Analysis {
    let period = months(from, to);
    let facts: Vec<&Fact> = facts
        .iter()
        .filter(|f| period.binary_search(&f.month).is_ok())
        .collect();
    let count = |pred: &dyn Fn(&Fact) -> bool| facts.iter().filter(|f| pred(f)).count() as u64;
    let total = facts.len() as u64;
    let followed_up = count(&|f| f.state == SignalState::FollowedUp);
    let no_action = count(&|f| f.state == SignalState::NoAction);
    let by_month = period
        .iter()
        .map(|m| Month {
            month: m.clone(),
            hard: count(&|f| &f.month == m && f.nature == SignalNature::Hard),
            soft: count(&|f| &f.month == m && f.nature == SignalNature::Soft),
        })
        .collect();
    let mut categories: BTreeMap<&str, CategoryCount> = BTreeMap::new();
    for f in &facts {
        let c = categories
            .entry(&f.category)
            .or_insert_with(|| CategoryCount {
                category: f.category.clone(),
                ..CategoryCount::default()
            });
        c.signals += 1;
        if f.state == SignalState::FollowedUp {
            c.followed_up += 1;
            if matches!(
                f.outcome,
                Some(SignalOutcome::LinkedCase | SignalOutcome::AddedToCase)
            ) {
                c.to_case += 1;
            }
        }
    }
    let mut by_category: Vec<CategoryCount> = categories.into_values().collect();
    // The categories that most often lead to a case first.
    by_category.sort_by(|a, b| {
        let share = |c: &CategoryCount| c.to_case as f64 / c.signals.max(1) as f64;
        share(b)
            .total_cmp(&share(a))
            .then(b.signals.cmp(&a.signals))
            .then(a.category.cmp(&b.category))
    });
    let step = |name: &str, days: &dyn Fn(&Fact) -> Option<f64>| {
        let values: Vec<f64> = facts.iter().filter_map(|f| days(f)).collect();
        StepTime {
            step: name.to_owned(),
            signals: values.len() as u64,
            median_days: median(values),
        }
    };
    Analysis {
        from: from.to_owned(),
        to: to.to_owned(),
        total,
        followed_up,
        no_action,
        open: total - followed_up - no_action,
        followed_up_share: (total > 0)
            .then(|| (followed_up as f64 * 1000.0 / total as f64).round() / 10.0),
        by_month,
        by_organisation: OrganisationKind::ALL
            .iter()
            .map(|k| (*k, count(&|f| f.organisation == *k)))
            .filter(|(_, n)| *n > 0)
            .collect(),
        by_category,
        by_theme: Theme::ALL
            .iter()
            .map(|t| (*t, count(&|f| f.theme == *t)))
            .collect(),
        by_outcome: SignalOutcome::ALL
            .iter()
            .map(|o| (*o, count(&|f| f.outcome == Some(*o))))
            .collect(),
        step_times: vec![
            step("assess", &|f| f.assess_days),
            step("route", &|f| f.route_days),
            step("decide", &|f| f.decide_days),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(month: &str, nature: SignalNature, category: &str, state: SignalState) -> Fact {
        Fact {
            month: month.into(),
            organisation: OrganisationKind::Reception,
            nature,
            category: category.into(),
            theme: Theme::Trafficking,
            state,
            outcome: None,
            assess_days: None,
            route_days: None,
            decide_days: None,
        }
    }

    #[test]
    fn medians_take_the_middle_or_the_mean_of_the_middle_two() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(vec![0.25]), Some(0.3));
    }

    #[test]
    fn months_run_across_the_new_year_and_refuse_nonsense() {
        assert_eq!(
            months("2025-11", "2026-02"),
            ["2025-11", "2025-12", "2026-01", "2026-02"]
        );
        assert!(months("2026-02", "2025-11").is_empty());
        assert!(months("2026-13", "2027-01").is_empty());
        assert!(months("x", "2027-01").is_empty());
    }

    #[test]
    fn counts_shares_and_step_times_of_a_crafted_set() {
        use SignalNature::*;
        use SignalState::*;
        let mut facts = vec![
            fact("2026-10", Hard, "Document fraud", FollowedUp),
            fact("2026-10", Soft, "Document fraud", NoAction),
            fact("2026-11", Soft, "Exploitation", FollowedUp),
            fact("2026-11", Soft, "Exploitation", New),
            // Outside the period.
            fact("2026-08", Hard, "Exploitation", FollowedUp),
        ];
        facts[0].outcome = Some(SignalOutcome::Forwarded);
        facts[0].assess_days = Some(1.0);
        facts[1].assess_days = Some(3.0);
        facts[2].outcome = Some(SignalOutcome::LinkedCase);
        facts[2].assess_days = Some(2.0);
        facts[2].route_days = Some(0.5);
        facts[2].decide_days = Some(4.0);
        facts[3].organisation = OrganisationKind::BorderPolice;
        let a = analyse(&facts, "2026-10", "2026-11");
        assert_eq!((a.total, a.followed_up, a.no_action, a.open), (4, 2, 1, 1));
        assert_eq!(a.followed_up_share, Some(50.0));
        assert_eq!(
            a.by_month,
            [
                Month {
                    month: "2026-10".into(),
                    hard: 1,
                    soft: 1
                },
                Month {
                    month: "2026-11".into(),
                    hard: 0,
                    soft: 2
                },
            ]
        );
        assert_eq!(
            a.by_organisation,
            [
                (OrganisationKind::BorderPolice, 1),
                (OrganisationKind::Reception, 3)
            ]
        );
        assert_eq!(
            a.by_category[0].category, "Exploitation",
            "leads to a case most often"
        );
        assert_eq!((a.by_category[0].signals, a.by_category[0].to_case), (2, 1));
        assert_eq!(
            (
                a.by_category[1].signals,
                a.by_category[1].followed_up,
                a.by_category[1].to_case
            ),
            (2, 1, 0)
        );
        assert_eq!(a.step_times[0].median_days, Some(2.0));
        assert_eq!(a.step_times[0].signals, 3);
        assert_eq!(a.step_times[2].median_days, Some(4.0));
        assert_eq!(a.by_outcome[0], (SignalOutcome::LinkedCase, 1));
    }
}
