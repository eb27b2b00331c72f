//! The reporting layer: the only code the summary calls. It counts in SQL where it can and returns counts.

use crate::{
    domain::CaseStatus, domain::OrganisationKind, domain::RegionKind, domain::SignalNature,
    domain::SignalState, domain::Theme, error::AppError, partnerships::mandate::Area,
    reports::summary::BETWEEN, reports::summary::Counts, reports::summary::Row,
    reports::summary::SEVERAL, reports::summary::UNKNOWN, signals::analysis::median,
};
use crate::{
    partnerships::map::snapshot, partnerships::store::reviewed_pairs, server::entity::case,
    server::entity::overlap, server::entity::signal, server::time::amsterdam_date,
};
use chrono::DateTime;
use chrono::{NaiveDate, TimeZone, Utc};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, QueryTrait,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The province an area lies in; none for the national area.
pub(crate) fn province_of(area: &Area) -> Option<String> {
    match area.kind {
        RegionKind::National => None,
        RegionKind::Province => Some(area.code.clone()),
        RegionKind::Municipality => area.parent.clone(),
    }
}

/// Counts one quarter and theme as it stood when the quarter ended.
#[tracing::instrument(level = "error", skip_all)]
pub async fn count(
    db: &DatabaseConnection,
    quarter: (i32, u32),
    theme: Theme,
    deadlines: &crate::overlaps::workflow::Deadlines,
) -> Result<Counts, AppError> {
    let (_, last_day) = quarter_days(quarter);
    count_until(db, quarter, theme, deadlines, last_day).await
}

/// Counts one quarter and theme as it stood at the end of the Dutch day `as_of` (the
/// quarter's last day at most): what was found, received, decided or closed later does not
/// count yet, so that counting the same day again adds nothing that happened since.
#[tracing::instrument(level = "error", skip_all)]
pub async fn count_until(
    db: &DatabaseConnection,
    quarter: (i32, u32),
    theme: Theme,
    deadlines: &crate::overlaps::workflow::Deadlines,
    as_of: NaiveDate,
) -> Result<Counts, AppError> {
    let (first_day, quarter_end) = quarter_days(quarter);
    // The last day counted; `until` is the midnight that ends it.
    let last_day = as_of.min(quarter_end);
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
        .await?;
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
        .await?;
    // Deadlines count as they stood at the cut-off: one that fell on the last day counted has
    // passed by the midnight that ends it.
    let today = last_day.succ_opt().unwrap_or(last_day);
    for (a, b, kind, created_at, urgent, decide_from, decided_at) in overlaps {
        let before_cut = |at: &String| at.as_str() < until.as_str();
        // Acknowledged or decided after the cut-off: not yet, as the figures stand.
        let (decide_from, decided_at) = (
            decide_from.filter(before_cut),
            decided_at.filter(before_cut),
        );
        let (ra, rb) = (
            region_of.get(&a).copied().unwrap_or(several),
            region_of.get(&b).copied().unwrap_or(several),
        );
        let r = if ra == rb { ra } else { several };
        let times = crate::overlaps::status::Times {
            created_at: &created_at,
            urgent,
            decide_from: decide_from.as_deref(),
        };
        let (acknowledge_by, decide_by) = crate::overlaps::status::due_of(&times, deadlines);
        let due = decide_by.unwrap_or(acknowledge_by);
        let column = match &decided_at {
            Some(at) if amsterdam_date(at) <= due => 0,
            Some(_) => 1,
            None if due < today => 2,
            None => 3,
        };
        counts.overlaps[r][column] += 1;
        if kind == crate::domain::OverlapKind::Operation.as_str() {
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
        .await?;
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
    let signal_region = |municipality: Option<&str>| {
        municipality
            .and_then(|m| province_of_code.get(m).cloned().flatten())
            .and_then(|p| index.get(p.as_str()).copied())
            .unwrap_or(several)
    };
    let follow_up_column = |state: &str| match state.parse::<SignalState>() {
        Ok(SignalState::FollowedUp) => 0,
        Ok(SignalState::NoAction) => 1,
        _ => 2,
    };
    for (municipality, organisation, nature, state, n) in signals {
        let n = n.max(0) as u64;
        let r = signal_region(municipality.as_deref());
        let hard = usize::from(nature.parse::<SignalNature>() != Ok(SignalNature::Hard));
        counts.signals[r][hard] += n;
        let kind = snap
            .organisations
            .get(&organisation)
            .and_then(|o| o.kind.parse().ok())
            .unwrap_or(OrganisationKind::Other);
        kinds.entry(kind).or_default()[hard] += n;
        counts.follow_up[r][follow_up_column(&state)] += n;
    }
    counts.signal_kinds = kinds.into_iter().collect();
    // Signals closed after the cut-off were still open at it.
    let closed_later: Vec<(Option<String>, String, i64)> = signal::Entity::find()
        .select_only()
        .column(signal::Column::Municipality)
        .column(signal::Column::State)
        .column_as(signal::Column::Id.count(), "n")
        .filter(signal::Column::CreatedAt.gte(from.clone()))
        .filter(signal::Column::CreatedAt.lt(until.clone()))
        .filter(signal::Column::Theme.eq(theme.as_str()))
        .filter(signal::Column::DuplicateOf.is_null())
        .filter(signal::Column::ClosedAt.gte(until.clone()))
        .group_by(signal::Column::Municipality)
        .group_by(signal::Column::State)
        .into_tuple()
        .all(db)
        .await?;
    for (municipality, state, n) in closed_later {
        let (r, column) = (
            signal_region(municipality.as_deref()),
            follow_up_column(&state),
        );
        if column < 2 {
            let n = n.max(0) as u64;
            counts.follow_up[r][column] = counts.follow_up[r][column].saturating_sub(n);
            counts.follow_up[r][2] += n;
        }
    }
    // Days from report to follow-up: the times only.
    let times: Vec<(String, Option<String>)> = signal::Entity::find()
        .select_only()
        .column(signal::Column::CreatedAt)
        .column(signal::Column::ClosedAt)
        .filter(signal::Column::CreatedAt.gte(from))
        .filter(signal::Column::CreatedAt.lt(until.clone()))
        .filter(signal::Column::Theme.eq(theme.as_str()))
        .filter(signal::Column::DuplicateOf.is_null())
        .filter(signal::Column::State.eq(SignalState::FollowedUp.as_str()))
        .filter(signal::Column::ClosedAt.lt(until))
        .into_tuple()
        .all(db)
        .await?;
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

pub(crate) fn quarter_days((year, q): (i32, u32)) -> (NaiveDate, NaiveDate) {
    let start = NaiveDate::from_ymd_opt(year, (q - 1) * 3 + 1, 1).unwrap_or_default();
    let end = start
        .checked_add_months(chrono::Months::new(3))
        .and_then(|d| d.pred_opt())
        .unwrap_or(start);
    (start, end)
}

/// Midnight of a Dutch day, as stored UTC text.
pub(crate) fn dutch_midnight(day: NaiveDate) -> String {
    let local = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    let at = chrono_tz::Europe::Amsterdam
        .from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&local));
    crate::server::utc_text(at)
}
