//! The reporting layer: the only part of the server the ministry's summary calls.
//!
//! It counts; it returns counts. Where the database can count, it counts in SQL (`GROUP BY`):
//! cases by joint venture and status, signals by municipality, organisation, nature and state.
//! Where a deadline in working days or a duration decides, it reads the anonymous time columns
//! of overlaps and signals (no ids, no references, no text) and reduces them to counts and a
//! median at once. Its result, [`Counts`], holds nothing else, and the summary published from
//! it goes through the disclosure control of `crate::reports::disclosure`.
//!
//! A quarter's summary is kept as a snapshot for `summary_max_age_minutes` (default 15), so
//! that the page answers at once; the page says when the figures were counted. A quarter
//! counted after it ended is kept for good: two versions of a closed quarter would let their
//! difference single out one late change.

use super::{
    deconfliction::{Deconfliction, amsterdam_date, settings, today},
    entity::{case, overlap, signal, summary_snapshot},
    partnerships::{reviewed_pairs, snapshot},
    signals::audit_event,
};
use crate::{
    auth::SignedInUser,
    authorize::{Action, Object, require},
    domain::{CaseStatus, OrganisationKind, RegionKind, SignalNature, SignalState, Theme},
    error::AppError,
    i18n::*,
    language::request_locale,
    partnerships::mandate::Area,
    reports::{
        Summary,
        summary::{
            BETWEEN, Counts, QuarterSummary, Row, SEVERAL, UNKNOWN, parse_quarter,
            previous_quarter, quarter_text, summarise, trend_point,
        },
    },
    signals::analysis::median,
};
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QuerySelect, QueryTrait, sea_query::OnConflict,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

fn unexpected(err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "reporting");
    AppError::Unavailable
}

/// How many quarters the trend shows, the chosen one last.
pub const TREND_QUARTERS: usize = 4;

fn current_quarter(today: NaiveDate) -> (i32, u32) {
    (today.year(), today.month0() / 3 + 1)
}

fn quarter_days((year, q): (i32, u32)) -> (NaiveDate, NaiveDate) {
    let start = NaiveDate::from_ymd_opt(year, (q - 1) * 3 + 1, 1).unwrap_or_default();
    let end = start
        .checked_add_months(chrono::Months::new(3))
        .and_then(|d| d.pred_opt())
        .unwrap_or(start);
    (start, end)
}

/// Midnight of a Dutch day, as stored UTC text.
fn dutch_midnight(day: NaiveDate) -> String {
    let local = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    let at = chrono_tz::Europe::Amsterdam
        .from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&local));
    super::utc_text(at)
}

/// The summary for a user who may read it: the chosen quarter and theme, and the trend.
pub async fn summary(
    db: &DatabaseConnection,
    user: &SignedInUser,
    quarter: &str,
    theme: &str,
) -> Result<Summary, AppError> {
    require(user, Action::Read, Object::Summary)?;
    let settings = settings();
    let locale = request_locale();
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
        summaries.push(quarter_summary(db, *q, theme, &settings, false).await?);
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
fn offered(now: (i32, u32)) -> Vec<(i32, u32)> {
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
pub async fn refresh(db: &DatabaseConnection, settings: &Deconfliction) -> Result<usize, AppError> {
    let now = current_quarter(today());
    let mut quarters = offered(now);
    for _ in 1..TREND_QUARTERS {
        let earlier = previous_quarter(quarters[quarters.len() - 1]);
        quarters.push(earlier);
    }
    let mut counted = 0;
    for theme in Theme::ALL {
        for q in &quarters {
            let before = super::utc_text(Utc::now());
            let s = quarter_summary(db, *q, *theme, settings, *q == now).await?;
            counted += usize::from(s.computed_at >= before);
        }
    }
    Ok(counted)
}

/// One quarter's published summary: the snapshot while it is young enough (or for good, once
/// counted after the quarter ended), otherwise counted afresh and kept; `force` counts afresh.
pub async fn quarter_summary(
    db: &DatabaseConnection,
    quarter: (i32, u32),
    theme: Theme,
    settings: &Deconfliction,
    force: bool,
) -> Result<QuarterSummary, AppError> {
    let key = format!("{}/{}", quarter_text(quarter), theme);
    let max_age = chrono::Duration::minutes(i64::from(settings.summary_max_age_minutes));
    let kept = summary_snapshot::Entity::find()
        .filter(summary_snapshot::Column::Key.eq(key.clone()))
        .one(db)
        .await
        .map_err(unexpected)?;
    if let Some(kept) = kept {
        // A quarter counted after it ended is fixed: counting it again later would publish
        // two versions whose difference could single out one late change.
        let (_, last_day) = quarter_days(quarter);
        let counted =
            DateTime::parse_from_rfc3339(&kept.computed_at).map(|at| at.with_timezone(&Utc));
        let fixed = counted.is_ok_and(|at| amsterdam_date(&super::utc_text(at)) > last_day);
        let young = counted.is_ok_and(|at| Utc::now() - at < max_age);
        if !force
            && (fixed || young)
            && let Ok(mut summary) = serde_json::from_str::<QuarterSummary>(&kept.body)
        {
            summary.computed_at = kept.computed_at;
            return Ok(summary);
        }
    }
    let computed_at = super::utc_text(Utc::now());
    let counts = count(db, quarter, theme, &settings.deadlines).await?;
    let summary = summarise(&quarter_text(quarter), theme, &computed_at, &counts);
    let body = serde_json::to_string(&summary).map_err(unexpected)?;
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
    .await
    .map_err(unexpected)?;
    Ok(summary)
}

/// Drops every snapshot, so that the next summary is counted afresh (tests, and an operator
/// who wants today's figures at once).
pub async fn forget_snapshots(db: &impl ConnectionTrait) -> Result<(), AppError> {
    summary_snapshot::Entity::delete_many()
        .exec(db)
        .await
        .map_err(unexpected)?;
    Ok(())
}

/// The province an area lies in; none for the national area.
fn province_of(area: &Area) -> Option<String> {
    match area.kind {
        RegionKind::National => None,
        RegionKind::Province => Some(area.code.clone()),
        RegionKind::Municipality => area.parent.clone(),
    }
}

/// Counts one quarter and theme.
pub async fn count(
    db: &DatabaseConnection,
    quarter: (i32, u32),
    theme: Theme,
    deadlines: &crate::deconfliction::rules::Deadlines,
) -> Result<Counts, AppError> {
    let (first_day, last_day) = quarter_days(quarter);
    let (from, until) = (
        dutch_midnight(first_day),
        dutch_midnight(last_day.succ_opt().unwrap_or(last_day)),
    );
    let snap = snapshot(db).await?;
    let mut provinces: Vec<&Area> = snap
        .regions
        .iter()
        .filter(|a| a.kind == RegionKind::Province)
        .collect();
    provinces.sort_by(|a, b| a.name.cmp(&b.name));
    let index: HashMap<&str, usize> = provinces
        .iter()
        .enumerate()
        .map(|(i, a)| (a.code.as_str(), i))
        .collect();
    let rows = |last: &str| -> Vec<Row> {
        provinces
            .iter()
            .map(|a| (a.code.clone(), a.name.clone()))
            .chain([(last.to_owned(), String::new())])
            .collect()
    };
    let several = provinces.len();
    // Each joint venture's reporting region: its one province, or `several`.
    let region_of: HashMap<i32, usize> = snap
        .ventures
        .iter()
        .map(|v| {
            let areas = snap.areas.get(&v.id).map(Vec::as_slice).unwrap_or_default();
            let found: BTreeSet<Option<String>> = areas.iter().map(province_of).collect();
            let region = match found.iter().next() {
                Some(Some(code)) if found.len() == 1 => {
                    index.get(code.as_str()).copied().unwrap_or(several)
                }
                _ => several,
            };
            (v.id, region)
        })
        .collect();
    let of_theme = |id: i32| snap.themes.get(&id).is_some_and(|t| t.contains(&theme));
    let mut counts = Counts {
        regions: rows(SEVERAL),
        ventures: vec![0; several + 1],
        memberships: vec![0; several + 1],
        cases: vec![[0; 4]; several + 1],
        overlap_regions: rows(BETWEEN),
        overlaps: vec![[0; 4]; several + 1],
        conflicts: vec![0; several + 1],
        signal_regions: rows(UNKNOWN),
        signals: vec![[0; 2]; several + 1],
        follow_up: vec![[0; 3]; several + 1],
        ..Counts::default()
    };
    // Joint ventures active at some time in the quarter, and their members then.
    for v in &snap.ventures {
        let active = v.start_date <= last_day
            && match v.end_date {
                Some(end) => end >= first_day,
                None => v.status == crate::domain::JointVentureStatus::Active.as_str(),
            };
        if !active || !of_theme(v.id) {
            continue;
        }
        let r = region_of.get(&v.id).copied().unwrap_or(several);
        counts.ventures[r] += 1;
        counts.memberships[r] += snap
            .memberships
            .get(&v.id)
            .into_iter()
            .flatten()
            .filter(|m| m.since <= last_day && m.until.is_none_or(|u| u >= first_day))
            .map(|m| m.organisation_id)
            .collect::<BTreeSet<i32>>()
            .len() as u64;
    }
    // Cases of the theme running at some time in the quarter, by their status now.
    let cases: Vec<(i32, String, i64)> = case::Entity::find()
        .select_only()
        .column(case::Column::JointVentureId)
        .column(case::Column::Status)
        .column_as(case::Column::Id.count(), "n")
        .filter(case::Column::Theme.eq(theme.as_str()))
        .filter(case::Column::StartDate.lte(last_day))
        .filter(
            Condition::any()
                .add(case::Column::EndDate.is_null())
                .add(case::Column::EndDate.gte(first_day)),
        )
        .group_by(case::Column::JointVentureId)
        .group_by(case::Column::Status)
        .into_tuple()
        .all(db)
        .await
        .map_err(unexpected)?;
    for (jv, status, n) in cases {
        let r = region_of.get(&jv).copied().unwrap_or(several);
        let column = match status.parse::<CaseStatus>() {
            Ok(CaseStatus::Planned) => 0,
            Ok(CaseStatus::Active) => 1,
            Ok(CaseStatus::Suspended) => 2,
            _ => 3,
        };
        counts.cases[r][column] += n.max(0) as u64;
    }
    // Overlaps found in the quarter where a case of the theme is on either side.
    let of_theme_cases = case::Entity::find()
        .select_only()
        .column(case::Column::Id)
        .filter(case::Column::Theme.eq(theme.as_str()))
        .into_query();
    type OverlapTimes = (
        i32,
        i32,
        String,
        String,
        bool,
        Option<String>,
        Option<String>,
    );
    let overlaps: Vec<OverlapTimes> = overlap::Entity::find()
        .select_only()
        .columns([
            overlap::Column::FirstJointVentureId,
            overlap::Column::SecondJointVentureId,
            overlap::Column::Kind,
            overlap::Column::CreatedAt,
            overlap::Column::Urgent,
            overlap::Column::DecideFrom,
            overlap::Column::DecidedAt,
        ])
        .filter(overlap::Column::CreatedAt.gte(from.clone()))
        .filter(overlap::Column::CreatedAt.lt(until.clone()))
        .filter(
            Condition::any()
                .add(overlap::Column::FirstCaseId.in_subquery(of_theme_cases.clone()))
                .add(overlap::Column::SecondCaseId.in_subquery(of_theme_cases)),
        )
        .into_tuple()
        .all(db)
        .await
        .map_err(unexpected)?;
    let today = today();
    for (a, b, kind, created_at, urgent, decide_from, decided_at) in overlaps {
        let (ra, rb) = (
            region_of.get(&a).copied().unwrap_or(several),
            region_of.get(&b).copied().unwrap_or(several),
        );
        let r = if ra == rb { ra } else { several };
        let times = super::deconfliction::Times {
            created_at: &created_at,
            urgent,
            decide_from: decide_from.as_deref(),
        };
        let (acknowledge_by, decide_by) = super::deconfliction::due_of(&times, deadlines);
        let due = decide_by.unwrap_or(acknowledge_by);
        let column = match &decided_at {
            Some(at) if amsterdam_date(at) <= due => 0,
            Some(_) => 1,
            None if due < today => 2,
            None => 3,
        };
        counts.overlaps[r][column] += 1;
        if kind == "operation" {
            counts.conflicts[r] += 1;
        }
    }
    // Signals received in the quarter (a report attached to an earlier one counts once).
    let signals: Vec<(Option<String>, i32, String, String, i64)> = signal::Entity::find()
        .select_only()
        .column(signal::Column::Municipality)
        .column(signal::Column::OrganisationId)
        .column(signal::Column::Nature)
        .column(signal::Column::State)
        .column_as(signal::Column::Id.count(), "n")
        .filter(signal::Column::CreatedAt.gte(from.clone()))
        .filter(signal::Column::CreatedAt.lt(until.clone()))
        .filter(signal::Column::Theme.eq(theme.as_str()))
        .filter(signal::Column::DuplicateOf.is_null())
        .group_by(signal::Column::Municipality)
        .group_by(signal::Column::OrganisationId)
        .group_by(signal::Column::Nature)
        .group_by(signal::Column::State)
        .into_tuple()
        .all(db)
        .await
        .map_err(unexpected)?;
    let province_of_code: HashMap<&str, Option<String>> = snap
        .regions
        .iter()
        .map(|a| (a.code.as_str(), province_of(a)))
        .collect();
    // Every kind of organisation there is, so that the table keeps its shape when a kind
    // reported nothing.
    let mut kinds: BTreeMap<OrganisationKind, [u64; 2]> = snap
        .organisations
        .values()
        .filter_map(|o| o.kind.parse().ok())
        .map(|k| (k, [0; 2]))
        .collect();
    for (municipality, organisation, nature, state, n) in signals {
        let n = n.max(0) as u64;
        let r = municipality
            .as_deref()
            .and_then(|m| province_of_code.get(m).cloned().flatten())
            .and_then(|p| index.get(p.as_str()).copied())
            .unwrap_or(several);
        let hard = usize::from(nature.parse::<SignalNature>() != Ok(SignalNature::Hard));
        counts.signals[r][hard] += n;
        let kind = snap
            .organisations
            .get(&organisation)
            .and_then(|o| o.kind.parse().ok())
            .unwrap_or(OrganisationKind::Other);
        kinds.entry(kind).or_default()[hard] += n;
        let column = match state.parse::<SignalState>() {
            Ok(SignalState::FollowedUp) => 0,
            Ok(SignalState::NoAction) => 1,
            _ => 2,
        };
        counts.follow_up[r][column] += n;
    }
    counts.signal_kinds = kinds.into_iter().collect();
    // Days from report to follow-up: the times only.
    let times: Vec<(String, Option<String>)> = signal::Entity::find()
        .select_only()
        .column(signal::Column::CreatedAt)
        .column(signal::Column::ClosedAt)
        .filter(signal::Column::CreatedAt.gte(from))
        .filter(signal::Column::CreatedAt.lt(until))
        .filter(signal::Column::Theme.eq(theme.as_str()))
        .filter(signal::Column::DuplicateOf.is_null())
        .filter(signal::Column::State.eq(SignalState::FollowedUp.as_str()))
        .into_tuple()
        .all(db)
        .await
        .map_err(unexpected)?;
    let days: Vec<f64> = times
        .iter()
        .filter_map(|(created, closed)| {
            let parse = |t: &str| DateTime::parse_from_rfc3339(t).ok();
            let (a, b) = (parse(created)?, parse(closed.as_deref()?)?);
            Some((b - a).num_minutes().max(0) as f64 / (24.0 * 60.0))
        })
        .collect();
    counts.followed_up = days.len() as u64;
    counts.follow_up_days = median(days);
    // Mandate-overlap flags of the theme as they stand now.
    let reviewed = reviewed_pairs(db).await?;
    counts.mandate_flags = snap
        .open_mandate_overlaps(&reviewed)
        .iter()
        .filter(|o| o.themes.contains(&theme))
        .count() as u64;
    Ok(counts)
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
    super::csv_file::write(
        &["quarter", "theme", "table", "row", "column", "value"],
        rows.into_iter(),
    )
}
