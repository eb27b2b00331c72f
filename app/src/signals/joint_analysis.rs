//! The joint analysis of a period's signals, and its CSV.

use crate::server::caller::Caller;
use crate::signals::store::{audit_event, categories, category_name, state_of};
use crate::{domain::SignalNature, domain::Theme, error::AppError, i18n::*};
use crate::{
    server::entity::organisation, server::entity::signal, server::time::amsterdam_date,
    server::time::today,
};
use chrono::{Datelike, NaiveDate};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use std::collections::BTreeMap;

/// Days between two stored times, if both are there.
pub(crate) fn days_between(from: Option<&str>, to: Option<&str>) -> Option<f64> {
    let parse = |t: &str| chrono::DateTime::parse_from_rfc3339(t).ok();
    let (from, to) = (parse(from?)?, parse(to?)?);
    Some((to - from).num_seconds().max(0) as f64 / 86_400.0)
}

/// The default period: the last twelve months, this one included.
pub(crate) fn default_period(today: NaiveDate) -> (String, String) {
    let to = format!("{:04}-{:02}", today.year(), today.month());
    let back = today
        .with_day(1)
        .and_then(|d| d.checked_sub_months(chrono::Months::new(11)))
        .unwrap_or(today);
    (format!("{:04}-{:02}", back.year(), back.month()), to)
}

/// The joint analysis over every signal reported in the period (months `from` to `to`,
/// `2026-01`), for coordinators and managers: counts only, never a signal. Audited.
#[tracing::instrument(level = "error", skip_all)]
pub async fn analysis(
    db: &DatabaseConnection,
    user: &Caller,
    from: &str,
    to: &str,
) -> Result<crate::signals::analysis::Analysis, AppError> {
    use crate::signals::analysis::{Fact, analyse, months};
    crate::access::require(
        user,
        crate::access::Action::Read,
        crate::access::Object::SignalAnalysis,
    )?;
    let locale = user.locale;
    let (default_from, default_to) = default_period(today());
    let from = match from.trim() {
        "" => default_from,
        m => m.to_owned(),
    };
    let to = match to.trim() {
        "" => default_to,
        m => m.to_owned(),
    };
    for (field, month) in [("from", &from), ("to", &to)] {
        if months(month, month).is_empty() {
            return Err(AppError::invalid(
                field,
                td_string!(locale, err_month_format),
            ));
        }
    }
    let period = months(&from, &to);
    if period.is_empty() {
        return Err(AppError::invalid(
            "to",
            td_string!(locale, err_to_before_from),
        ));
    }
    if period.len() > 60 {
        return Err(AppError::invalid(
            "from",
            td_string!(locale, err_period_too_long),
        ));
    }
    // A day either side of the period in UTC; the months are taken in Dutch time below.
    let start = format!("{}-01", period[0]);
    let start = NaiveDate::parse_from_str(&start, "%Y-%m-%d")
        .map_err(AppError::failed("reading the period"))?
        .pred_opt()
        .unwrap_or_default();
    let end = NaiveDate::parse_from_str(&format!("{to}-01"), "%Y-%m-%d")
        .map_err(AppError::failed("reading the period"))?
        .checked_add_months(chrono::Months::new(1))
        .and_then(|d| d.succ_opt())
        .unwrap_or_default();
    let signals = signal::Entity::find()
        .filter(signal::Column::CreatedAt.gte(start.to_string()))
        .filter(signal::Column::CreatedAt.lt(end.to_string()))
        .filter(signal::Column::DuplicateOf.is_null())
        .all(db)
        .await?;
    let kinds: BTreeMap<i32, crate::domain::OrganisationKind> = organisation::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|o| Some((o.id, o.kind.parse().ok()?)))
        .collect();
    let names: BTreeMap<i32, String> = categories(db, false)
        .await?
        .iter()
        .map(|c| (c.id, category_name(c)))
        .collect();
    let facts: Vec<Fact> = signals
        .iter()
        .map(|s| {
            let date = amsterdam_date(&s.created_at);
            Fact {
                month: format!("{:04}-{:02}", date.year(), date.month()),
                organisation: kinds
                    .get(&s.organisation_id)
                    .copied()
                    .unwrap_or(crate::domain::OrganisationKind::Other),
                nature: s.nature.parse().unwrap_or(SignalNature::Soft),
                category: names.get(&s.category_id).cloned().unwrap_or_default(),
                theme: s.theme.parse().unwrap_or(Theme::Smuggling),
                state: state_of(s),
                outcome: s.outcome.as_deref().and_then(|o| o.parse().ok()),
                assess_days: days_between(Some(&s.created_at), s.assessed_at.as_deref()),
                route_days: days_between(s.assessed_at.as_deref(), s.routed_at.as_deref()),
                decide_days: days_between(
                    s.routed_at.as_deref().or(s.assessed_at.as_deref()),
                    s.closed_at.as_deref(),
                ),
            }
        })
        .collect();
    let result = analyse(&facts, &from, &to);
    audit_event(
        db,
        user,
        "view_signal_analysis",
        "signal_analysis",
        format!("{from}..{to}"),
        format!("{} signals", result.total),
    )
    .await?;
    Ok(result)
}

/// The analysis as CSV: one line per dimension and value.
pub fn analysis_csv(a: &crate::signals::analysis::Analysis) -> Result<String, AppError> {
    let mut rows: Vec<[String; 5]> = Vec::new();
    let n = |v: u64| v.to_string();
    for m in &a.by_month {
        rows.push([
            "month_hard".into(),
            m.month.clone(),
            n(m.hard),
            String::new(),
            String::new(),
        ]);
        rows.push([
            "month_soft".into(),
            m.month.clone(),
            n(m.soft),
            String::new(),
            String::new(),
        ]);
    }
    for (kind, count) in &a.by_organisation {
        rows.push([
            "organisation_kind".into(),
            kind.as_str().into(),
            n(*count),
            String::new(),
            String::new(),
        ]);
    }
    for c in &a.by_category {
        rows.push([
            "category".into(),
            c.category.clone(),
            n(c.signals),
            n(c.followed_up),
            n(c.to_case),
        ]);
    }
    for (theme, count) in &a.by_theme {
        rows.push([
            "theme".into(),
            theme.as_str().into(),
            n(*count),
            String::new(),
            String::new(),
        ]);
    }
    for (outcome, count) in &a.by_outcome {
        rows.push([
            "outcome".into(),
            outcome.as_str().into(),
            n(*count),
            String::new(),
            String::new(),
        ]);
    }
    rows.push([
        "state".into(),
        "followed_up".into(),
        n(a.followed_up),
        String::new(),
        String::new(),
    ]);
    rows.push([
        "state".into(),
        "no_action".into(),
        n(a.no_action),
        String::new(),
        String::new(),
    ]);
    rows.push([
        "state".into(),
        "open".into(),
        n(a.open),
        String::new(),
        String::new(),
    ]);
    for t in &a.step_times {
        rows.push([
            "median_days".into(),
            t.step.clone(),
            n(t.signals),
            t.median_days.map(|d| d.to_string()).unwrap_or_default(),
            String::new(),
        ]);
    }
    crate::server::csv_file::write(
        &[
            "dimension",
            "value",
            "signals",
            "followed_up_or_median_days",
            "led_to_case",
        ],
        rows.into_iter(),
    )
}
