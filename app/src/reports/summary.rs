//! The ministry's summary for one quarter and theme: the counts the reporting layer made,
//! turned into published tables under the disclosure control. Pure: no database.
//!
//! Every table has the reporting regions as rows, so that its column totals are the national
//! figures and the secondary rule covers the regions and the nation together. A joint venture
//! belongs to one reporting region: its province, or "national or several provinces". An
//! overlap belongs to a region when both of its joint ventures do, and otherwise to "between
//! regions or national". A signal belongs to the province of the municipality where it was
//! observed. Figures are published per theme only: a sum over themes is never shown, so a
//! hidden count cannot be worked out from the themes either.

use super::disclosure::{Link, Protected, Shown, Side, protect, protect_linked};
use crate::domain::{OrganisationKind, Theme};
use serde::{Deserialize, Serialize};

/// A row of a table: a region's code and name, or one of the codes below with no name.
pub type Row = (String, String);

/// Joint ventures working nationally or in more than one province.
pub const SEVERAL: &str = "*several";
/// Overlaps between joint ventures of different reporting regions.
pub const BETWEEN: &str = "*between";
/// Signals observed where no municipality was given.
pub const UNKNOWN: &str = "*unknown";

/// What the reporting layer counted for one quarter and theme: counts, a median, nothing else.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    /// Rows of the joint-venture and case tables (provinces, then [`SEVERAL`]).
    pub regions: Vec<Row>,
    pub ventures: Vec<u64>,
    /// Member organisations of those joint ventures, counted once per joint venture.
    pub memberships: Vec<u64>,
    /// Per region: planned, active, suspended, closed.
    pub cases: Vec<[u64; 4]>,
    /// Rows of the overlap tables (provinces, then [`BETWEEN`]).
    pub overlap_regions: Vec<Row>,
    /// Per row: decided within the deadline, decided later, not decided and past the deadline,
    /// not decided and not yet due.
    pub overlaps: Vec<[u64; 4]>,
    pub conflicts: Vec<u64>,
    /// Rows of the signal tables (provinces, then [`UNKNOWN`]).
    pub signal_regions: Vec<Row>,
    /// Per row: hard, soft.
    pub signals: Vec<[u64; 2]>,
    /// Per organisation kind that reported: hard, soft.
    pub signal_kinds: Vec<(OrganisationKind, [u64; 2])>,
    /// Per signal row: followed up, no action, still open.
    pub follow_up: Vec<[u64; 3]>,
    /// The median days from a report to its follow-up, and over how many signals.
    pub follow_up_days: Option<f64>,
    pub followed_up: u64,
    /// Mandate-overlap flags between active joint ventures of the theme, not marked intended.
    pub mandate_flags: u64,
}

/// A published table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub rows: Vec<Row>,
    pub table: Protected,
}

/// The summary of one quarter and theme as published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuarterSummary {
    /// `2026-Q3`.
    pub quarter: String,
    pub theme: Theme,
    /// When the counts were made (UTC, RFC 3339).
    pub computed_at: String,
    /// The last Dutch day the figures count (`2026-11-29`): the quarter's last day once it has
    /// ended; for the current quarter the day before it was counted, since the current quarter
    /// is published once a day (empty in a snapshot kept from before this rule).
    #[serde(default)]
    pub as_of: String,
    /// The figures count the whole quarter and no longer change.
    #[serde(default)]
    pub complete: bool,
    pub ventures: Table,
    pub memberships: Table,
    pub cases: Table,
    pub overlaps: Table,
    /// Decided within the deadline, in percent of the overlaps found whose deadline has come,
    /// per row and nationally; only where the counts are shown.
    pub within_deadline: Vec<Option<f64>>,
    pub within_deadline_national: Option<f64>,
    pub conflicts: Table,
    pub signals: Table,
    pub signal_kinds: Table,
    pub kinds: Vec<OrganisationKind>,
    pub follow_up: Table,
    pub followed_up_share: Vec<Option<f64>>,
    pub followed_up_share_national: Option<f64>,
    /// Shown only when five or more signals were followed up.
    pub median_follow_up_days: Option<f64>,
    pub followed_up: Shown,
    pub mandate_flags: Shown,
}

/// One quarter of the trend: national figures as published in that quarter's summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendPoint {
    pub quarter: String,
    pub cases: Shown,
    pub overlaps: Shown,
    pub signals: Shown,
    pub followed_up_share: Option<f64>,
}

/// A count shown alone (no totals): only the primary rule applies.
pub fn single(n: u64) -> Shown {
    if (1..=4).contains(&n) {
        Shown::Small
    } else {
        Shown::Count(n)
    }
}

/// `part` of `whole` in percent to a tenth, when both are shown and `whole` is not zero.
pub fn share(part: Shown, whole: Shown) -> Option<f64> {
    match (part, whole) {
        (Shown::Count(p), Shown::Count(w)) if w > 0 => {
            Some((p as f64 * 1000.0 / w as f64).round() / 10.0)
        }
        _ => None,
    }
}

fn rows_of<const N: usize>(rows: &[[u64; N]]) -> Vec<Vec<u64>> {
    rows.iter().map(|r| r.to_vec()).collect()
}

fn column(values: &[u64]) -> Vec<Vec<u64>> {
    values.iter().map(|v| vec![*v]).collect()
}

/// Publishes the counts of one quarter and theme.
pub fn summarise(quarter: &str, theme: Theme, computed_at: &str, c: &Counts) -> QuarterSummary {
    let table = |rows: &[Row], cells: &[Vec<u64>]| Table {
        rows: rows.to_vec(),
        table: protect(cells),
    };
    let overlaps = table(&c.overlap_regions, &rows_of(&c.overlaps));
    // Signals by region and nature, by organisation kind and nature, and by region and
    // follow-up count the same signals: they share their totals, so they are protected
    // together.
    let signals = rows_of(&c.signals);
    let kinds: Vec<Vec<u64>> = c.signal_kinds.iter().map(|(_, r)| r.to_vec()).collect();
    let follow_up = rows_of(&c.follow_up);
    let mut linked = protect_linked(
        &[&signals, &kinds, &follow_up],
        &[
            Link {
                first: 0,
                second: 1,
                totals: vec![(Side::Columns, Side::Columns)],
            },
            Link {
                first: 0,
                second: 2,
                totals: vec![(Side::Rows, Side::Rows)],
            },
            Link {
                first: 1,
                second: 2,
                totals: vec![],
            },
        ],
    )
    .into_iter();
    let (signals, kinds, follow_up) = (
        linked.next().unwrap_or_else(|| protect(&signals)),
        linked.next().unwrap_or_else(|| protect(&kinds)),
        linked.next().unwrap_or_else(|| protect(&follow_up)),
    );
    // Of the overlaps whose deadline has come: found minus those not yet due.
    let due = |row: &[Shown], total: Shown| match (total, row.get(3)) {
        (Shown::Count(t), Some(Shown::Count(pending))) => Shown::Count(t.saturating_sub(*pending)),
        _ => Shown::Hidden,
    };
    let within_deadline = overlaps
        .table
        .cells
        .iter()
        .zip(&overlaps.table.row_totals)
        .map(|(row, total)| share(row[0], due(row, *total)))
        .collect();
    let within_deadline_national = overlaps.table.column_totals.first().and_then(|within| {
        share(
            *within,
            due(&overlaps.table.column_totals, overlaps.table.total),
        )
    });
    let followed_up_share = follow_up
        .cells
        .iter()
        .zip(&follow_up.row_totals)
        .map(|(row, total)| share(row[0], *total))
        .collect();
    let followed_up_share_national = follow_up
        .column_totals
        .first()
        .and_then(|done| share(*done, follow_up.total));
    let median_follow_up_days = c.follow_up_days.filter(|_| {
        c.followed_up >= 10
            && follow_up
                .column_totals
                .first()
                .is_some_and(|t| t.is_shown())
    });
    let followed_up = follow_up
        .column_totals
        .first()
        .copied()
        .unwrap_or(Shown::Hidden);
    QuarterSummary {
        quarter: quarter.to_owned(),
        theme,
        computed_at: computed_at.to_owned(),
        as_of: String::new(),
        complete: false,
        ventures: table(&c.regions, &column(&c.ventures)),
        memberships: table(&c.regions, &column(&c.memberships)),
        cases: table(&c.regions, &rows_of(&c.cases)),
        within_deadline,
        within_deadline_national,
        overlaps,
        conflicts: table(&c.overlap_regions, &column(&c.conflicts)),
        signals: Table {
            rows: c.signal_regions.clone(),
            table: signals,
        },
        signal_kinds: Table {
            rows: c
                .signal_kinds
                .iter()
                .map(|(k, _)| (k.as_str().to_owned(), String::new()))
                .collect(),
            table: kinds,
        },
        kinds: c.signal_kinds.iter().map(|(k, _)| *k).collect(),
        follow_up: Table {
            rows: c.signal_regions.clone(),
            table: follow_up,
        },
        followed_up_share,
        followed_up_share_national,
        // The national count of followed-up signals as the follow-up table publishes it (it
        // may be hidden there); the median only over ten or more.
        median_follow_up_days,
        followed_up,
        mandate_flags: single(c.mandate_flags),
    }
}

/// A quarter's national figures for the trend.
pub fn trend_point(s: &QuarterSummary) -> TrendPoint {
    TrendPoint {
        quarter: s.quarter.clone(),
        cases: s.cases.table.total,
        overlaps: s.overlaps.table.total,
        signals: s.signals.table.total,
        followed_up_share: s.followed_up_share_national,
    }
}

/// A quarter as `(year, 1..=4)` from `2026-Q3`.
pub fn parse_quarter(text: &str) -> Option<(i32, u32)> {
    let (year, q) = text.trim().split_once("-Q")?;
    let year: i32 = year.parse().ok()?;
    let q: u32 = q.parse().ok()?;
    ((2000..=2100).contains(&year) && (1..=4).contains(&q)).then_some((year, q))
}

pub fn quarter_text((year, q): (i32, u32)) -> String {
    format!("{year}-Q{q}")
}

/// The quarter before.
pub fn previous_quarter((year, q): (i32, u32)) -> (i32, u32) {
    if q == 1 { (year - 1, 4) } else { (year, q - 1) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regions(n: usize, last: &str) -> Vec<Row> {
        let mut rows: Vec<Row> = (0..n)
            .map(|i| (format!("P{i}"), format!("Province {i}")))
            .collect();
        rows.push((last.into(), String::new()));
        rows
    }

    #[test]
    fn shares_need_both_counts_shown() {
        assert_eq!(share(Shown::Count(3), Shown::Count(12)), Some(25.0));
        assert_eq!(share(Shown::Small, Shown::Count(12)), None);
        assert_eq!(share(Shown::Count(0), Shown::Count(0)), None);
        assert_eq!(single(3), Shown::Small);
        assert_eq!(single(0), Shown::Count(0));
    }

    #[test]
    fn quarters_read_and_step_back() {
        assert_eq!(parse_quarter("2026-Q3"), Some((2026, 3)));
        assert_eq!(parse_quarter("2026-Q5"), None);
        assert_eq!(parse_quarter("Q3"), None);
        assert_eq!(previous_quarter((2026, 1)), (2025, 4));
        assert_eq!(quarter_text((2026, 2)), "2026-Q2");
    }

    #[test]
    fn a_small_region_cannot_be_worked_out_from_the_national_figures_or_the_linked_tables() {
        let counts = Counts {
            regions: regions(2, SEVERAL),
            ventures: vec![3, 6, 2],
            memberships: vec![11, 20, 9],
            cases: vec![[0, 2, 0, 9], [5, 30, 1, 12], [0, 14, 0, 8]],
            overlap_regions: regions(2, BETWEEN),
            overlaps: vec![[2, 0, 1, 0], [10, 5, 6, 2], [20, 3, 7, 9]],
            conflicts: vec![0, 3, 6],
            signal_regions: regions(2, UNKNOWN),
            signals: vec![[3, 12], [9, 25], [0, 6]],
            signal_kinds: vec![
                (OrganisationKind::Police, [10, 20]),
                (OrganisationKind::Reception, [2, 23]),
            ],
            follow_up: vec![[7, 4, 4], [20, 10, 4], [6, 0, 0]],
            follow_up_days: Some(4.5),
            followed_up: 33,
            mandate_flags: 2,
        };
        let s = summarise("2026-Q3", Theme::Trafficking, "now", &counts);
        // The primary rule everywhere.
        assert_eq!(s.ventures.table.cells[0][0], Shown::Small);
        assert_eq!(s.cases.table.cells[0][1], Shown::Small);
        assert_eq!(s.signals.table.cells[0][0], Shown::Small);
        assert_eq!(s.signal_kinds.table.cells[1][0], Shown::Small);
        assert_eq!(s.mandate_flags, Shown::Small);
        // The secondary rule: no small count follows from its row and column.
        for t in [
            &s.cases,
            &s.overlaps,
            &s.signals,
            &s.signal_kinds,
            &s.follow_up,
        ] {
            for (r, row) in t.table.cells.iter().enumerate() {
                let hidden = row
                    .iter()
                    .chain([&t.table.row_totals[r]])
                    .filter(|c| !c.is_shown())
                    .count();
                assert_ne!(hidden, 1, "row {r} of {t:?}");
            }
        }
        // The linked tables hide the same shared totals.
        for c in 0..2 {
            assert_eq!(
                s.signals.table.column_totals[c].is_shown(),
                s.signal_kinds.table.column_totals[c].is_shown()
            );
        }
        for r in 0..3 {
            assert_eq!(
                s.signals.table.row_totals[r].is_shown(),
                s.follow_up.table.row_totals[r].is_shown()
            );
        }
        // Shares only from shown counts.
        assert_eq!(s.within_deadline[0], None);
        // The median only where the national count of followed-up signals is shown.
        assert_eq!(
            s.median_follow_up_days.is_some(),
            s.followed_up.is_shown(),
            "{s:?}"
        );
        assert_eq!(trend_point(&s).quarter, "2026-Q3");
    }
}
