//! The managers' overlap report: counts over the joint ventures a manager oversees, and its CSV.

use crate::overlaps::workflow::Deadlines;
use crate::server::caller::Caller;
use crate::{
    access::Action, access::Object, access::require, error::AppError, i18n::*,
    language::request_locale, reports::overlap_report::Fact, reports::overlap_report::analyse,
    reports::types::OverlapReport,
};
use crate::{
    overlaps::status::Times, overlaps::status::next_due_of, partnerships::store::venture_names,
    server::entity::overlap, server::time::amsterdam_date, server::time::today,
    signals::store::audit_event,
};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter,
    QuerySelect,
};

/// The first day of the quarter `day` falls in.
pub fn quarter_start(day: NaiveDate) -> NaiveDate {
    let month = (day.month0() / 3) * 3 + 1;
    NaiveDate::from_ymd_opt(day.year(), month, 1).unwrap_or(day)
}

/// First and last day, both included.
pub type Period = (NaiveDate, NaiveDate);

/// The period asked for, or the current quarter up to today; and the period of the same
/// length just before it. Malformed dates, a period ending before it starts or one longer
/// than three years are refused, naming the field.
pub fn periods(from: &str, to: &str, today: NaiveDate) -> Result<(Period, Period), AppError> {
    let locale = request_locale();
    // Years 2000 to 2100: nothing in Liaison is older, and no date arithmetic can overflow.
    let day = |field: &str, text: &str, default: NaiveDate| match text.trim() {
        "" => Ok(default),
        t => NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .ok()
            .filter(|d| (2000..=2100).contains(&d.year()))
            .ok_or_else(|| AppError::invalid(field, td_string!(locale, err_date_format))),
    };
    let from = day("from", from, quarter_start(today))?;
    let to = day("to", to, today)?;
    if to < from {
        return Err(AppError::invalid(
            "to",
            td_string!(locale, err_to_before_from),
        ));
    }
    let length = (to - from).num_days();
    if length > 366 * 3 {
        return Err(AppError::invalid(
            "from",
            td_string!(locale, err_report_period_too_long),
        ));
    }
    let previous_to = from.pred_opt().unwrap_or(from);
    let previous_from = previous_to
        .checked_sub_days(chrono::Days::new(length.unsigned_abs()))
        .unwrap_or(previous_to);
    Ok(((from, to), (previous_from, previous_to)))
}

#[derive(Debug, FromQueryResult)]
pub(crate) struct Row {
    first_joint_venture_id: i32,
    second_joint_venture_id: i32,
    match_kind: String,
    created_at: String,
    urgent: bool,
    state: String,
    first_acknowledged_at: Option<String>,
    second_acknowledged_at: Option<String>,
    decide_from: Option<String>,
    decision: Option<String>,
    decided_at: Option<String>,
    ruled: bool,
}

pub(crate) fn days_between(from: &str, to: Option<&str>) -> Option<f64> {
    let parse = |t: &str| {
        DateTime::parse_from_rfc3339(t)
            .ok()
            .map(|d| d.with_timezone(&Utc))
    };
    let (from, to) = (parse(from)?, parse(to?)?);
    Some(((to - from).num_minutes().max(0) as f64) / (24.0 * 60.0))
}

/// The report for a manager: only the joint ventures they oversee count.
#[tracing::instrument(level = "error", skip_all)]
pub async fn overlap_report(
    db: &DatabaseConnection,
    user: &Caller,
    deadlines: &Deadlines,
    from: &str,
    to: &str,
) -> Result<OverlapReport, AppError> {
    require(user, Action::Read, Object::OverlapReport)?;
    let today = today();
    let (period, previous) = periods(from, to, today)?;
    // A day's margin either side in UTC; the Dutch day decides below.
    let start = previous.0.pred_opt().unwrap_or(previous.0).to_string();
    let end = period
        .1
        .checked_add_days(chrono::Days::new(2))
        .unwrap_or(period.1)
        .to_string();
    let rows = overlap::Entity::find()
        .select_only()
        .columns([
            overlap::Column::FirstJointVentureId,
            overlap::Column::SecondJointVentureId,
            overlap::Column::MatchKind,
            overlap::Column::CreatedAt,
            overlap::Column::Urgent,
            overlap::Column::State,
            overlap::Column::FirstAcknowledgedAt,
            overlap::Column::SecondAcknowledgedAt,
            overlap::Column::DecideFrom,
            overlap::Column::Decision,
            overlap::Column::DecidedAt,
            overlap::Column::Ruled,
        ])
        .filter(
            Condition::any()
                .add(overlap::Column::FirstJointVentureId.is_in(user.oversees.clone()))
                .add(overlap::Column::SecondJointVentureId.is_in(user.oversees.clone())),
        )
        .filter(overlap::Column::CreatedAt.gte(start))
        .filter(overlap::Column::CreatedAt.lt(end))
        .into_model::<Row>()
        .all(db)
        .await?;
    let facts: Vec<Fact> = rows
        .iter()
        .map(|r| {
            let times = Times {
                created_at: &r.created_at,
                urgent: r.urgent,
                decide_from: r.decide_from.as_deref(),
            };
            let state = r.state.parse().unwrap_or(crate::domain::OverlapState::Open);
            let (a, b) = (r.first_joint_venture_id, r.second_joint_venture_id);
            let acknowledged = match (&r.first_acknowledged_at, &r.second_acknowledged_at) {
                (Some(x), Some(y)) => Some(if x > y { x.as_str() } else { y.as_str() }),
                _ => None,
            };
            Fact {
                pair: (a.min(b), a.max(b)),
                match_kind: r.match_kind.clone(),
                found: amsterdam_date(&r.created_at),
                state,
                acknowledge_days: days_between(&r.created_at, acknowledged),
                decide_days: r
                    .decision
                    .as_ref()
                    .and_then(|_| days_between(&r.created_at, r.decided_at.as_deref())),
                decision: r.decision.as_deref().and_then(|d| d.parse().ok()),
                ruled: r.ruled,
                due: next_due_of(state, &times, deadlines),
            }
        })
        .collect();
    let mut report = analyse(&facts, period, previous, today);
    let names = venture_names(db).await?;
    let mut involved: Vec<i32> = report
        .pairs
        .iter()
        .flat_map(|p| [p.first, p.second])
        .collect();
    involved.sort_unstable();
    involved.dedup();
    report.ventures = involved
        .into_iter()
        .map(|id| (id, names.get(&id).cloned().unwrap_or_default()))
        .collect();
    report.ventures.sort_by(|a, b| a.1.cmp(&b.1));
    report.oversees = user.oversees.clone();
    report.as_of = crate::server::time::moment_of(Utc::now());
    audit_event(
        db,
        user,
        "view_overlap_report",
        "overlap_report",
        format!("{}..{}", report.from, report.to),
        format!("{} overlaps", report.now.found),
    )
    .await?;
    Ok(report)
}

/// The report as CSV, one figure per line: table, item, measure, value.
pub fn overlap_report_csv(r: &OverlapReport) -> Result<String, AppError> {
    let name = |id: i32| {
        r.ventures
            .iter()
            .find(|(v, _)| *v == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    let days = |d: Option<f64>| d.map(|d| format!("{d:.1}")).unwrap_or_default();
    let mut rows: Vec<[String; 4]> = Vec::new();
    let mut put = |table: &str, item: String, measure: &str, value: String| {
        rows.push([table.to_owned(), item, measure.to_owned(), value]);
    };
    for (item, h) in [
        (format!("{}..{}", r.from, r.to), &r.now),
        (format!("{}..{}", r.previous_from, r.previous_to), &r.before),
    ] {
        put("period", item.clone(), "found", h.found.to_string());
        put(
            "period",
            item.clone(),
            "acknowledged",
            h.acknowledged.to_string(),
        );
        put("period", item.clone(), "decided", h.decided.to_string());
        put(
            "period",
            item.clone(),
            "open_past_deadline",
            h.overdue.to_string(),
        );
        put(
            "period",
            item.clone(),
            "median_days_to_acknowledge",
            days(h.median_acknowledge_days),
        );
        put(
            "period",
            item,
            "median_days_to_decide",
            days(h.median_decide_days),
        );
    }
    for p in &r.pairs {
        let item = format!("{} / {}", name(p.first), name(p.second));
        put("pair", item.clone(), "found", p.found.to_string());
        put("pair", item.clone(), "decided", p.decided.to_string());
        put(
            "pair",
            item.clone(),
            "open_past_deadline",
            p.overdue.to_string(),
        );
        put(
            "pair",
            item,
            "found_previous_period",
            p.previous.to_string(),
        );
    }
    for k in &r.by_kind {
        put("kind", k.kind.clone(), "found", k.found.to_string());
        put("kind", k.kind.clone(), "decided", k.decided.to_string());
        put(
            "kind",
            k.kind.clone(),
            "found_previous_period",
            k.previous.to_string(),
        );
    }
    for a in &r.by_age {
        put("age_days", a.bucket.clone(), "open", a.open.to_string());
        put(
            "age_days",
            a.bucket.clone(),
            "acknowledged",
            a.acknowledged.to_string(),
        );
    }
    for d in &r.decisions {
        put(
            "decision",
            d.decision.as_str().into(),
            "decided",
            d.count.to_string(),
        );
        put(
            "decision",
            d.decision.as_str().into(),
            "by_ruling",
            d.ruled.to_string(),
        );
    }
    crate::server::csv_file::write(&["table", "item", "measure", "value"], rows.into_iter())
}
