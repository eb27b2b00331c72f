//! The retention rules as data, and the dates they give (pure, both targets).

use crate::domain::{OrganisationKind, Theme};
#[cfg(feature = "ssr")]
use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The longest period a rule may set: ten years.
pub const MAX_MONTHS: u32 = 120;
/// The most days before its end a case can come up for review: a year.
pub const MAX_REVIEW_DAYS: u32 = 365;

/// How long the data of one organisation kind and theme is kept; `None` is any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub id: i32,
    pub organisation_kind: Option<OrganisationKind>,
    pub theme: Option<Theme>,
    /// An open case or signal: kept this long after it began or was last extended.
    pub open_months: u32,
    /// A closed one: kept this long after it was closed or last extended.
    pub closed_months: u32,
    /// Due for review this many days before the retention end.
    pub review_days: u32,
}

impl Rule {
    /// What holds when no rule is stored at all (an administrator removed every one): the
    /// documented default for any kind and theme.
    pub fn fallback() -> Self {
        Rule {
            id: 0,
            organisation_kind: None,
            theme: None,
            open_months: 24,
            closed_months: 12,
            review_days: 60,
        }
    }
}

/// The most specific rule for `kind` and `theme`: both named, then the kind, then the theme,
/// then the one for any kind and theme, and the fallback when even that is gone.
pub fn pick(rules: &[Rule], kind: Option<OrganisationKind>, theme: Option<Theme>) -> Rule {
    [(kind, theme), (kind, None), (None, theme), (None, None)]
        .iter()
        .find_map(|(k, t)| {
            rules
                .iter()
                .find(|r| r.organisation_kind == *k && r.theme == *t)
        })
        .cloned()
        .unwrap_or_else(Rule::fallback)
}

/// What a case's or signal's dates are counted from.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    pub opened: NaiveDate,
    /// Set once it is closed.
    pub closed: Option<NaiveDate>,
    /// The last day a coordinator extended it.
    pub extended: Option<NaiveDate>,
}

#[cfg(feature = "ssr")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dates {
    /// From this day it is due for review.
    pub review_on: NaiveDate,
    /// The last day its personal data is kept; the day after, the job deletes it.
    pub retention_end: NaiveDate,
}

/// The dates `rule` gives: counted from the closing day (closed) or the opening day (open),
/// or from a later extension; never a review before the day counted from.
#[cfg(feature = "ssr")]
pub fn dates(rule: &Rule, facts: Facts) -> Dates {
    let (from, months) = match facts.closed {
        Some(closed) => (closed, rule.closed_months),
        None => (facts.opened, rule.open_months),
    };
    let from = facts.extended.map_or(from, |extended| extended.max(from));
    let retention_end = from
        .checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX);
    let review_on = retention_end
        .checked_sub_days(Days::new(u64::from(rule.review_days)))
        .unwrap_or(from)
        .max(from);
    Dates {
        review_on,
        retention_end,
    }
}

/// Where a case stands on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Standing {
    Kept,
    /// On or past its review date, not yet past its end.
    Due,
    /// Past its end: the next run of the job deletes its personal data.
    Lapsed,
    /// Its personal data was deleted.
    Purged,
}

#[cfg(feature = "ssr")]
pub fn standing(dates: Dates, purged: bool, today: NaiveDate) -> Standing {
    if purged {
        Standing::Purged
    } else if today > dates.retention_end {
        Standing::Lapsed
    } else if today >= dates.review_on {
        Standing::Due
    } else {
        Standing::Kept
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("a day")
    }

    fn rule(kind: Option<OrganisationKind>, theme: Option<Theme>, open: u32) -> Rule {
        Rule {
            id: open as i32,
            organisation_kind: kind,
            theme,
            open_months: open,
            closed_months: 12,
            review_days: 30,
        }
    }

    #[test]
    fn the_most_specific_rule_wins_and_an_empty_list_falls_back_to_the_default() {
        use OrganisationKind::*;
        use Theme::*;
        let rules = [
            rule(None, None, 24),
            rule(Some(Police), None, 12),
            rule(None, Some(Terrorism), 36),
            rule(Some(Police), Some(Terrorism), 48),
        ];
        assert_eq!(pick(&rules, Some(Police), Some(Terrorism)).open_months, 48);
        assert_eq!(pick(&rules, Some(Police), Some(Smuggling)).open_months, 12);
        assert_eq!(
            pick(&rules, Some(Immigration), Some(Terrorism)).open_months,
            36
        );
        assert_eq!(
            pick(&rules, Some(Immigration), Some(Smuggling)).open_months,
            24
        );
        assert_eq!(pick(&rules, None, Some(Smuggling)).open_months, 24);
        // A rule for another kind never applies to a case of no known kind.
        assert_eq!(pick(&rules[1..2], None, None), Rule::fallback());
        assert_eq!(pick(&[], Some(Police), None), Rule::fallback());
    }

    #[test]
    fn dates_count_from_closing_or_opening_or_a_later_extension() {
        let r = rule(None, None, 24);
        let open = Facts {
            opened: day("2026-01-31"),
            closed: None,
            extended: None,
        };
        assert_eq!(
            dates(&r, open),
            Dates {
                review_on: day("2028-01-01"),
                retention_end: day("2028-01-31"),
            }
        );
        let closed = Facts {
            closed: Some(day("2026-03-31")),
            ..open
        };
        // A month without the 31st ends on its last day.
        assert_eq!(dates(&r, closed).retention_end, day("2027-03-31"));
        let extended = Facts {
            extended: Some(day("2026-12-07")),
            ..closed
        };
        assert_eq!(dates(&r, extended).retention_end, day("2027-12-07"));
        // An extension older than the closing day does not shorten anything.
        let early = Facts {
            extended: Some(day("2026-02-01")),
            ..closed
        };
        assert_eq!(dates(&r, early), dates(&r, closed));
        // Zero months after closing: the review is the closing day itself, never before it.
        let zero = Rule {
            closed_months: 0,
            ..r
        };
        assert_eq!(
            dates(&zero, closed),
            Dates {
                review_on: day("2026-03-31"),
                retention_end: day("2026-03-31"),
            }
        );
    }

    #[test]
    fn standing_on_a_day() {
        let d = Dates {
            review_on: day("2026-11-01"),
            retention_end: day("2026-12-01"),
        };
        assert_eq!(standing(d, false, day("2026-10-31")), Standing::Kept);
        assert_eq!(standing(d, false, day("2026-11-01")), Standing::Due);
        assert_eq!(standing(d, false, day("2026-12-01")), Standing::Due);
        assert_eq!(standing(d, false, day("2026-12-02")), Standing::Lapsed);
        assert_eq!(standing(d, true, day("2026-10-01")), Standing::Purged);
    }
}
