//! The summary of a quarter, published from a snapshot. A quarter that has ended is counted
//! once, whole, and kept; the current quarter is published once a day, counted up to the end
//! of the day before, so that two versions differ by a whole day's events at the least.

use crate::reports::reporting::count_until;
use crate::reports::reporting::quarter_days;
use crate::server::caller::Caller;
use crate::{
    access::Action, access::Object, access::require, domain::Theme, error::AppError, i18n::*,
    reports::summary::QuarterSummary, reports::summary::Row, reports::summary::parse_quarter,
    reports::summary::previous_quarter, reports::summary::quarter_text,
    reports::summary::summarise, reports::summary::trend_point, reports::types::Summary,
};
use crate::{
    server::entity::summary_snapshot, server::time::dutch_day, server::time::today,
    settings::Settings, signals::store::audit_event,
};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::OnConflict,
};

/// How many quarters the trend shows, the chosen one last.
pub const TREND_QUARTERS: usize = 4;

pub(crate) fn current_quarter(today: NaiveDate) -> (i32, u32) {
    (today.year(), today.month0() / 3 + 1)
}

/// The last Dutch day a quarter's figures count when published on `today`: the whole quarter
/// once it has ended, otherwise up to and including yesterday. Counting the current quarter
/// up to the minute would let two versions a few minutes apart single out one report; cut at
/// midnight, a report made today appears tomorrow, together with everything else of today.
pub fn counted_until(quarter: (i32, u32), today: NaiveDate) -> NaiveDate {
    let (_, last_day) = quarter_days(quarter);
    today.pred_opt().unwrap_or(today).min(last_day)
}

/// The summary for a user who may read it: the chosen quarter and theme, and the trend.
#[tracing::instrument(level = "error", skip_all)]
pub async fn summary(
    db: &DatabaseConnection,
    user: &Caller,
    settings: &Settings,
    quarter: &str,
    theme: &str,
) -> Result<Summary, AppError> {
    require(user, Action::Read, Object::Summary)?;
    let locale = user.locale;
    let today = today();
    let now = current_quarter(today);
    let chosen = match quarter.trim() {
        "" => now,
        text => parse_quarter(text)
            .ok_or_else(|| AppError::invalid("quarter", td_string!(locale, err_quarter_format)))?,
    };
    if chosen > now {
        return Err(AppError::invalid(
            "quarter",
            td_string!(locale, err_quarter_future),
        ));
    }
    // The quarters offered: this one and the seven before (each request counts at most four).
    let choices = offered(now);
    if !choices.contains(&chosen) {
        return Err(AppError::invalid(
            "quarter",
            td_string!(locale, err_quarter_too_old),
        ));
    }
    let theme: Theme = match theme.trim() {
        "" => Theme::Trafficking,
        text => text
            .parse()
            .map_err(|_| AppError::invalid("theme", td_string!(locale, err_choose_option)))?,
    };
    let mut quarters = vec![chosen];
    while quarters.len() < TREND_QUARTERS {
        let earlier = previous_quarter(quarters[0]);
        quarters.insert(0, earlier);
    }
    let mut summaries = Vec::new();
    for q in &quarters {
        summaries.push(quarter_summary(db, *q, theme, settings, today).await?);
    }
    let trend = summaries.iter().map(trend_point).collect();
    let current = summaries.pop().ok_or(AppError::Unavailable)?;
    let previous = summaries.pop();
    audit_event(
        db,
        user,
        "view_summary",
        "summary",
        format!("{}/{}", current.quarter, theme),
        String::new(),
    )
    .await?;
    Ok(Summary {
        counted: crate::server::time::local_moment(&current.computed_at),
        current,
        previous,
        trend,
        quarters: choices.into_iter().map(quarter_text).collect(),
    })
}

/// The current quarter's published figures for every theme: the ministry start page's
/// headline. The same snapshots and suppression as the summary, without its trend, and one
/// audit record of the reading (not one per theme).
#[tracing::instrument(level = "error", skip_all)]
pub async fn headline(
    db: &DatabaseConnection,
    user: &Caller,
    settings: &Settings,
) -> Result<Vec<(Theme, QuarterSummary)>, AppError> {
    require(user, Action::Read, Object::Summary)?;
    let today = today();
    let now = current_quarter(today);
    let mut figures = Vec::new();
    for theme in Theme::ALL {
        figures.push((
            *theme,
            quarter_summary(db, now, *theme, settings, today).await?,
        ));
    }
    audit_event(
        db,
        user,
        "view_summary",
        "summary",
        format!("{}/all", quarter_text(now)),
        String::new(),
    )
    .await?;
    Ok(figures)
}

/// The quarters one may choose, newest first: this one and the seven before.
pub(crate) fn offered(now: (i32, u32)) -> Vec<(i32, u32)> {
    let mut quarters = vec![now];
    while quarters.len() < 8 {
        let earlier = previous_quarter(quarters[quarters.len() - 1]);
        quarters.push(earlier);
    }
    quarters
}

/// The precompute job: counts every quarter a summary may show (the offered ones and the
/// trend's quarters before them) that has no snapshot valid today, so that a request finds its
/// figures ready. Run often, it counts the current quarters once a day, soon after midnight,
/// and otherwise only reads. Returns how many quarters it counted.
#[tracing::instrument(level = "error", skip_all)]
pub async fn refresh(db: &DatabaseConnection, settings: &Settings) -> Result<usize, AppError> {
    let today = today();
    let mut quarters = offered(current_quarter(today));
    for _ in 1..TREND_QUARTERS {
        let earlier = previous_quarter(quarters[quarters.len() - 1]);
        quarters.push(earlier);
    }
    let mut counted = 0;
    for theme in Theme::ALL {
        for q in &quarters {
            let before = crate::server::utc_text(Utc::now());
            let s = quarter_summary(db, *q, *theme, settings, today).await?;
            counted += usize::from(s.computed_at >= before);
        }
    }
    Ok(counted)
}

/// One quarter's summary as published on the Dutch day `today`: the snapshot when it counts
/// up to the day [`counted_until`] gives, otherwise counted afresh up to that day and kept.
/// The snapshot of a quarter that has ended is thus fixed for good, and the current quarter's
/// is counted again once a day.
#[tracing::instrument(level = "error", skip_all)]
pub async fn quarter_summary(
    db: &DatabaseConnection,
    quarter: (i32, u32),
    theme: Theme,
    settings: &Settings,
    today: NaiveDate,
) -> Result<QuarterSummary, AppError> {
    let key = format!("{}/{}", quarter_text(quarter), theme);
    let (_, last_day) = quarter_days(quarter);
    let as_of = counted_until(quarter, today);
    let complete = as_of >= last_day;
    let kept = summary_snapshot::Entity::find()
        .filter(summary_snapshot::Column::Key.eq(key.clone()))
        .one(db)
        .await?;
    if let Some(kept) = kept
        && let Ok(mut summary) = serde_json::from_str::<QuarterSummary>(&kept.body)
    {
        // Counted after the day it counts up to had ended (always so, unless the clock or the
        // table was set back); a snapshot from before the daily rule is kept only when it
        // counted a quarter that had ended.
        let counted_on = DateTime::parse_from_rfc3339(&kept.computed_at)
            .map(|at| dutch_day(at.with_timezone(&Utc)));
        let same_day = if summary.as_of.is_empty() {
            complete
        } else {
            summary.as_of == as_of.to_string()
        };
        if same_day && counted_on.is_ok_and(|day| day > as_of) {
            summary.computed_at = kept.computed_at;
            summary.as_of = as_of.to_string();
            summary.complete = complete;
            return Ok(summary);
        }
    }
    let computed_at = crate::server::utc_text(Utc::now());
    let counts = count_until(db, quarter, theme, &settings.deadlines, as_of).await?;
    let mut summary = summarise(&quarter_text(quarter), theme, &computed_at, &counts);
    summary.as_of = as_of.to_string();
    summary.complete = complete;
    let body = serde_json::to_string(&summary)
        .map_err(AppError::failed("encoding the summary snapshot"))?;
    summary_snapshot::Entity::insert(summary_snapshot::ActiveModel {
        key: Set(key),
        computed_at: Set(computed_at),
        body: Set(body),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(summary_snapshot::Column::Key)
            .update_columns([
                summary_snapshot::Column::ComputedAt,
                summary_snapshot::Column::Body,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(summary)
}

/// Drops every snapshot, so that the next summary is counted afresh (tests, and an operator
/// after a correction). The current quarter still counts up to the end of yesterday, so this
/// publishes nothing reported since.
#[tracing::instrument(level = "error", skip_all)]
pub async fn forget_snapshots(db: &impl ConnectionTrait) -> Result<(), AppError> {
    summary_snapshot::Entity::delete_many().exec(db).await?;
    Ok(())
}

/// The summary as CSV, one published figure per line: table, row, column, value (`<5` for a
/// small count, `x` for one hidden so that a small count cannot be worked out).
pub fn summary_csv(s: &QuarterSummary) -> Result<String, AppError> {
    use crate::reports::summary::Table;
    let mut rows: Vec<[String; 6]> = Vec::new();
    let cell = |v: Option<&crate::reports::disclosure::Shown>| {
        v.map_or_else(|| "x".to_owned(), |v| v.text())
    };
    let label = |(code, name): &Row| {
        if name.is_empty() {
            code.clone()
        } else {
            name.clone()
        }
    };
    let mut put = |table: &str, t: &Table, columns: &[&str]| {
        for (r, row) in t.rows.iter().enumerate() {
            for (c, column) in columns.iter().enumerate() {
                rows.push([
                    s.quarter.clone(),
                    s.theme.as_str().into(),
                    table.into(),
                    label(row),
                    (*column).into(),
                    cell(t.table.cells.get(r).and_then(|row| row.get(c))),
                ]);
            }
            if columns.len() > 1 {
                rows.push([
                    s.quarter.clone(),
                    s.theme.as_str().into(),
                    table.into(),
                    label(row),
                    "total".into(),
                    cell(t.table.row_totals.get(r)),
                ]);
            }
        }
        for (c, column) in columns.iter().enumerate() {
            rows.push([
                s.quarter.clone(),
                s.theme.as_str().into(),
                table.into(),
                "national".into(),
                (*column).into(),
                cell(t.table.column_totals.get(c)),
            ]);
        }
        if columns.len() > 1 {
            rows.push([
                s.quarter.clone(),
                s.theme.as_str().into(),
                table.into(),
                "national".into(),
                "total".into(),
                t.table.total.text(),
            ]);
        }
    };
    put("joint_ventures", &s.ventures, &["active"]);
    put("member_organisations", &s.memberships, &["members"]);
    put(
        "cases",
        &s.cases,
        &["planned", "active", "suspended", "closed"],
    );
    put(
        "overlaps",
        &s.overlaps,
        &[
            "decided_within_deadline",
            "decided_late",
            "undecided_past_deadline",
            "undecided_not_yet_due",
        ],
    );
    put("operational_conflicts", &s.conflicts, &["found"]);
    put("signals_by_region", &s.signals, &["hard", "soft"]);
    put(
        "signals_by_organisation_kind",
        &s.signal_kinds,
        &["hard", "soft"],
    );
    put(
        "signal_follow_up",
        &s.follow_up,
        &["followed_up", "no_action", "open"],
    );
    let single = |what: &str, value: String| {
        [
            s.quarter.clone(),
            s.theme.as_str().into(),
            what.to_owned(),
            "national".into(),
            String::new(),
            value,
        ]
    };
    rows.push(single(
        "median_days_to_follow_up",
        s.median_follow_up_days
            .map(|d| format!("{d:.1}"))
            .unwrap_or_else(|| "x".into()),
    ));
    rows.push(single("mandate_overlap_flags", s.mandate_flags.text()));
    crate::server::csv_file::write(
        &["quarter", "theme", "table", "row", "column", "value"],
        rows.into_iter(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("a date")
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("a time")
            .with_timezone(&Utc)
    }

    #[test]
    fn the_current_quarter_counts_up_to_yesterday_and_an_ended_one_whole() {
        assert_eq!(
            counted_until((2026, 4), day("2026-11-30")),
            day("2026-11-29")
        );
        // On a quarter's first day nothing of it counts yet.
        assert_eq!(
            counted_until((2026, 4), day("2026-10-01")),
            day("2026-09-30")
        );
        assert_eq!(
            counted_until((2026, 1), day("2026-01-01")),
            day("2025-12-31")
        );
        // From the day after it ended, a quarter counts whole, however late.
        assert_eq!(
            counted_until((2026, 3), day("2026-10-01")),
            day("2026-09-30")
        );
        assert_eq!(
            counted_until((2025, 4), day("2027-02-14")),
            day("2025-12-31")
        );
    }

    #[test]
    fn the_day_turns_at_midnight_in_amsterdam() {
        // 23:30 UTC on 30 November is 00:30 on 1 December in winter (UTC+1); 22:30 UTC is
        // still 30 November.
        assert_eq!(
            counted_until((2026, 4), dutch_day(at("2026-11-30T23:30:00Z"))),
            day("2026-11-30")
        );
        assert_eq!(
            counted_until((2026, 4), dutch_day(at("2026-11-30T22:30:00Z"))),
            day("2026-11-29")
        );
        // In summer (UTC+2) the second quarter is whole from 22:00 UTC on 30 June.
        assert_eq!(
            counted_until((2026, 2), dutch_day(at("2026-06-30T22:30:00Z"))),
            day("2026-06-30")
        );
        assert_eq!(
            counted_until((2026, 2), dutch_day(at("2026-06-30T21:30:00Z"))),
            day("2026-06-29")
        );
        // The counting stops at that day's Dutch midnight, as stored UTC text.
        assert_eq!(
            crate::reports::reporting::dutch_midnight(day("2026-12-01")),
            "2026-11-30T23:00:00.000000Z"
        );
    }
}
