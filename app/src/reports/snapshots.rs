//! The summary of a quarter, published from a snapshot; counted again only when it has aged.

use crate::reports::reporting::count;
use crate::reports::reporting::quarter_days;
use crate::server::caller::Caller;
use crate::{
    access::Action, access::Object, access::require, domain::Theme, error::AppError, i18n::*,
    reports::summary::QuarterSummary, reports::summary::Row, reports::summary::parse_quarter,
    reports::summary::previous_quarter, reports::summary::quarter_text,
    reports::summary::summarise, reports::summary::trend_point, reports::types::Summary,
};
use crate::{
    server::entity::summary_snapshot, server::time::amsterdam_date, server::time::today,
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
    let now = current_quarter(today());
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
        summaries.push(quarter_summary(db, *q, theme, settings, false).await?);
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
        current,
        previous,
        trend,
        quarters: choices.into_iter().map(quarter_text).collect(),
        max_age_minutes: settings.summary_max_age_minutes,
    })
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

/// The precompute job: counts the current quarter of every theme again, and every other
/// quarter a summary may show (the offered ones and the trend's quarters before them) that has
/// no lasting snapshot yet, so that a request finds its figures ready. Returns how many
/// quarters it counted.
#[tracing::instrument(level = "error", skip_all)]
pub async fn refresh(db: &DatabaseConnection, settings: &Settings) -> Result<usize, AppError> {
    let now = current_quarter(today());
    let mut quarters = offered(now);
    for _ in 1..TREND_QUARTERS {
        let earlier = previous_quarter(quarters[quarters.len() - 1]);
        quarters.push(earlier);
    }
    let mut counted = 0;
    for theme in Theme::ALL {
        for q in &quarters {
            let before = crate::server::utc_text(Utc::now());
            let s = quarter_summary(db, *q, *theme, settings, *q == now).await?;
            counted += usize::from(s.computed_at >= before);
        }
    }
    Ok(counted)
}

/// One quarter's published summary: the snapshot while it is young enough (or for good, once
/// counted after the quarter ended), otherwise counted afresh and kept; `force` counts afresh.
#[tracing::instrument(level = "error", skip_all)]
pub async fn quarter_summary(
    db: &DatabaseConnection,
    quarter: (i32, u32),
    theme: Theme,
    settings: &Settings,
    force: bool,
) -> Result<QuarterSummary, AppError> {
    let key = format!("{}/{}", quarter_text(quarter), theme);
    let max_age = chrono::Duration::minutes(i64::from(settings.summary_max_age_minutes));
    let kept = summary_snapshot::Entity::find()
        .filter(summary_snapshot::Column::Key.eq(key.clone()))
        .one(db)
        .await?;
    if let Some(kept) = kept {
        // A quarter counted after it ended is fixed: counting it again later would publish
        // two versions whose difference could single out one late change.
        let (_, last_day) = quarter_days(quarter);
        let counted =
            DateTime::parse_from_rfc3339(&kept.computed_at).map(|at| at.with_timezone(&Utc));
        let fixed = counted.is_ok_and(|at| amsterdam_date(&crate::server::utc_text(at)) > last_day);
        let young = counted.is_ok_and(|at| Utc::now() - at < max_age);
        if !force
            && (fixed || young)
            && let Ok(mut summary) = serde_json::from_str::<QuarterSummary>(&kept.body)
        {
            summary.computed_at = kept.computed_at;
            return Ok(summary);
        }
    }
    let computed_at = crate::server::utc_text(Utc::now());
    let counts = count(db, quarter, theme, &settings.deadlines).await?;
    let summary = summarise(&quarter_text(quarter), theme, &computed_at, &counts);
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
/// who wants today's figures at once).
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
