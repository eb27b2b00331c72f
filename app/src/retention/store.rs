//! Reading and writing retention: the rules, each case's and signal's stored dates, an
//! extension, and the rules as administrators change them.

use crate::retention::rules::{Dates, Facts, MAX_MONTHS, MAX_REVIEW_DAYS, Rule, pick};
use crate::retention::types::{CaseRetention, RetentionOverview, RetentionRun, RuleInput};
use crate::server::caller::Caller;
use crate::server::entity::{audit_event, case, organisation, retention_rule, signal};
use crate::{
    domain::CaseStatus, domain::OrganisationKind, domain::Theme, error::AppError, i18n::*,
};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, sea_query::Expr,
};
use std::collections::HashMap;

/// The longest reason for an extension.
pub const MAX_REASON: usize = 1000;

/// The stored rules, in the order the page lists them (any kind and theme first). A row with a
/// code this build does not know is left out rather than read as "any".
#[tracing::instrument(level = "error", skip_all)]
pub async fn rules(db: &impl ConnectionTrait) -> Result<Vec<Rule>, AppError> {
    Ok(retention_rule::Entity::find()
        .order_by_asc(retention_rule::Column::OrganisationKind)
        .order_by_asc(retention_rule::Column::Theme)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|r| {
            let code = |text: &str| -> Result<Option<_>, ()> {
                match text {
                    "" => Ok(None),
                    code => code.parse().map(Some).map_err(|_| ()),
                }
            };
            Some(Rule {
                id: r.id,
                organisation_kind: code(&r.organisation_kind).ok()?,
                theme: match r.theme.as_str() {
                    "" => None,
                    code => Some(code.parse::<Theme>().ok()?),
                },
                open_months: u32::try_from(r.open_months).ok()?,
                closed_months: u32::try_from(r.closed_months).ok()?,
                review_days: u32::try_from(r.review_days).ok()?,
            })
        })
        .collect())
}

async fn kinds(db: &impl ConnectionTrait) -> Result<HashMap<i32, OrganisationKind>, AppError> {
    Ok(organisation::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|o| Some((o.id, o.kind.parse().ok()?)))
        .collect())
}

fn day_of(stamp: &str) -> Option<NaiveDate> {
    DateTime::parse_from_rfc3339(stamp)
        .ok()
        .map(|at| crate::server::time::dutch_day(at.with_timezone(&Utc)))
}

/// The day a closed case counts from: the day it was closed, or for a case closed before
/// that was recorded (imported, restored), its end date if that was not after its last save.
fn closed_day(c: &case::Model) -> Option<NaiveDate> {
    if c.status != CaseStatus::Closed.as_str() {
        return None;
    }
    let saved = day_of(&c.updated_at).unwrap_or_else(crate::server::time::today);
    Some(
        c.closed_on
            .unwrap_or_else(|| c.end_date.map_or(saved, |end| end.min(saved))),
    )
}

fn case_dates(
    rules: &[Rule],
    kinds: &HashMap<i32, OrganisationKind>,
    c: &case::Model,
) -> (Option<NaiveDate>, Dates) {
    let kind = c.organisation_id.and_then(|id| kinds.get(&id).copied());
    let rule = pick(rules, kind, c.theme.parse().ok());
    let closed = closed_day(c);
    let dates = crate::retention::rules::dates(
        &rule,
        Facts {
            opened: c.start_date,
            closed,
            extended: c.retention_extended_on,
        },
    );
    (closed, dates)
}

/// Brings the stored dates of every case (or only those `only` selects) up to the rules;
/// returns how many changed. Saves, imports, extensions and rule changes call it, and the
/// daily job before it deletes anything.
#[tracing::instrument(level = "error", skip_all)]
pub async fn refresh_cases(
    db: &impl ConnectionTrait,
    only: Option<sea_orm::Condition>,
) -> Result<u64, AppError> {
    let rules = rules(db).await?;
    let kinds = kinds(db).await?;
    let mut query = case::Entity::find().order_by_asc(case::Column::Id);
    if let Some(condition) = only {
        query = query.filter(condition);
    }
    let mut changed = 0;
    let mut pages = query.paginate(db, 2000);
    while let Some(cases) = pages.fetch_and_next().await? {
        for c in cases {
            let (closed, dates) = case_dates(&rules, &kinds, &c);
            if c.closed_on == closed
                && c.review_on == Some(dates.review_on)
                && c.retention_end == Some(dates.retention_end)
            {
                continue;
            }
            case::Entity::update_many()
                .col_expr(case::Column::ClosedOn, Expr::value(closed))
                .col_expr(case::Column::ReviewOn, Expr::value(dates.review_on))
                .col_expr(case::Column::RetentionEnd, Expr::value(dates.retention_end))
                .filter(case::Column::Id.eq(c.id))
                .exec(db)
                .await?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// The same for signals: counted from the day reported, or from the day closed (followed up
/// or no action); the rule of the reporting organisation's kind and the signal's theme.
#[tracing::instrument(level = "error", skip_all)]
pub async fn refresh_signals(
    db: &impl ConnectionTrait,
    only: Option<sea_orm::Condition>,
) -> Result<u64, AppError> {
    let rules = rules(db).await?;
    let kinds = kinds(db).await?;
    let mut query = signal::Entity::find().order_by_asc(signal::Column::Id);
    if let Some(condition) = only {
        query = query.filter(condition);
    }
    let mut changed = 0;
    let mut pages = query.paginate(db, 2000);
    while let Some(signals) = pages.fetch_and_next().await? {
        for s in signals {
            let rule = pick(
                &rules,
                kinds.get(&s.organisation_id).copied(),
                s.theme.parse().ok(),
            );
            let Some(opened) = day_of(&s.created_at) else {
                continue;
            };
            let dates = crate::retention::rules::dates(
                &rule,
                Facts {
                    opened,
                    closed: s.closed_at.as_deref().and_then(day_of),
                    extended: s.retention_extended_on,
                },
            );
            if s.review_on == Some(dates.review_on) && s.retention_end == Some(dates.retention_end)
            {
                continue;
            }
            signal::Entity::update_many()
                .col_expr(signal::Column::ReviewOn, Expr::value(dates.review_on))
                .col_expr(
                    signal::Column::RetentionEnd,
                    Expr::value(dates.retention_end),
                )
                .filter(signal::Column::Id.eq(s.id))
                .exec(db)
                .await?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// Selects one case for [`refresh_cases`].
pub fn one(case_id: i32) -> sea_orm::Condition {
    sea_orm::Condition::all().add(case::Column::Id.eq(case_id))
}

/// Selects one signal for [`refresh_signals`].
pub fn one_signal(signal_id: i32) -> sea_orm::Condition {
    sea_orm::Condition::all().add(signal::Column::Id.eq(signal_id))
}

/// What start-up counts: only the cases and signals never dated (a new database, the first
/// start after the migration). Everything else was dated when it changed, and rule changes
/// and the daily job re-date all.
pub async fn date_undated(db: &impl ConnectionTrait) -> Result<(u64, u64), AppError> {
    let cases = refresh_cases(
        db,
        Some(sea_orm::Condition::all().add(case::Column::ReviewOn.is_null())),
    )
    .await?;
    let signals = refresh_signals(
        db,
        Some(sea_orm::Condition::all().add(signal::Column::ReviewOn.is_null())),
    )
    .await?;
    Ok((cases, signals))
}

/// A case's retention as its page shows it; none before its dates were first counted.
pub fn of_case(c: &case::Model, today: NaiveDate) -> Option<CaseRetention> {
    let dates = Dates {
        review_on: c.review_on?,
        retention_end: c.retention_end?,
    };
    Some(CaseRetention {
        review_on: dates.review_on.to_string(),
        retention_end: dates.retention_end.to_string(),
        extended_on: c.retention_extended_on.map(|d| d.to_string()),
        purged_on: c.purged_on.map(|d| d.to_string()),
        standing: crate::retention::rules::standing(dates, c.purged_on.is_some(), today),
    })
}

/// A case past its retention end takes no new subjects: the job would delete them the next
/// night. A coordinator who still needs it extends it first.
pub fn accepts_subjects(c: &case::Model, locale: Locale) -> Result<(), AppError> {
    let ended = c.purged_on.is_some()
        || c.retention_end
            .is_some_and(|end| end < crate::server::time::today());
    if ended {
        return Err(AppError::invalid(
            "case_id",
            td_string!(locale, err_retention_ended),
        ));
    }
    Ok(())
}

/// The reason for an extension, as typed: required, at most [`MAX_REASON`] characters.
fn reason_of(reason: &str, locale: Locale) -> Result<&str, AppError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid(
            "reason",
            td_string!(locale, err_required),
        ));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(AppError::invalid(
            "reason",
            format!("{} {MAX_REASON}", td_string!(locale, err_too_long)),
        ));
    }
    Ok(reason)
}

/// Extends a signal's retention from today, with a reason: the owning joint venture's
/// coordinators, before its data was deleted; audited on the signal.
#[tracing::instrument(level = "error", skip_all)]
pub async fn extend_signal(
    db: &DatabaseConnection,
    user: &Caller,
    signal_id: i32,
    reason: &str,
) -> Result<(), AppError> {
    let found = signal::Entity::find_by_id(signal_id)
        .one(db)
        .await?
        .ok_or(AppError::Forbidden)?;
    let owner = crate::access::signal_standing(user, found.joint_venture_id, found.reported_by)
        == Some(crate::access::SignalStanding::Owner);
    if !owner {
        return Err(AppError::Forbidden);
    }
    let reason = reason_of(reason, user.locale)?;
    let today = crate::server::time::today();
    let txn = crate::server::begin_write(db).await?;
    let updated = signal::Entity::update_many()
        .col_expr(signal::Column::RetentionExtendedOn, Expr::value(today))
        .filter(signal::Column::Id.eq(signal_id))
        .filter(signal::Column::PurgedOn.is_null())
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::Conflict(
            td_string!(user.locale, err_retention_purged).to_owned(),
        ));
    }
    refresh_signals(&txn, Some(one_signal(signal_id))).await?;
    let end = signal::Entity::find_by_id(signal_id)
        .one(&txn)
        .await?
        .and_then(|s| s.retention_end)
        .map(|d| d.to_string())
        .unwrap_or_default();
    crate::signals::store::record(
        &txn,
        user,
        "extend_retention",
        signal_id,
        format!("{} → {end}: {reason}", found.reference),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Extends a case's retention from today, with a reason; audited. A case whose data was
/// already deleted cannot be extended (nothing is left to keep).
#[tracing::instrument(level = "error", skip_all)]
pub async fn extend(
    db: &DatabaseConnection,
    user: &Caller,
    c: &case::Model,
    reason: &str,
) -> Result<CaseRetention, AppError> {
    let reason = reason_of(reason, user.locale)?;
    let today = crate::server::time::today();
    let txn = crate::server::begin_write(db).await?;
    let updated = case::Entity::update_many()
        .col_expr(case::Column::RetentionExtendedOn, Expr::value(today))
        .filter(case::Column::Id.eq(c.id))
        .filter(case::Column::PurgedOn.is_null())
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::Conflict(
            td_string!(user.locale, err_retention_purged).to_owned(),
        ));
    }
    refresh_cases(&txn, Some(one(c.id))).await?;
    let now = crate::cases::store::find(&txn, c.id).await?;
    let retention = of_case(&now, today).ok_or(AppError::Unavailable)?;
    crate::cases::store::record(
        &txn,
        user,
        "extend_retention",
        c.id,
        format!("{} → {}: {reason}", c.reference, retention.retention_end),
    )
    .await?;
    txn.commit().await?;
    Ok(retention)
}

fn parse_rule(input: &RuleInput, locale: Locale) -> Result<Rule, AppError> {
    let choose = || td_string!(locale, err_choose_from_list);
    let organisation_kind = match input.organisation_kind.trim() {
        "" => None,
        code => Some(
            code.parse()
                .map_err(|_| AppError::invalid("organisation_kind", choose()))?,
        ),
    };
    let theme = match input.theme.trim() {
        "" => None,
        code => Some(
            code.parse()
                .map_err(|_| AppError::invalid("theme", choose()))?,
        ),
    };
    let number = |field: &str, text: &str, max: u32| {
        text.trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n <= max)
            .ok_or_else(|| {
                AppError::invalid(
                    field,
                    format!("{} 0–{max}", td_string!(locale, err_whole_number_range)),
                )
            })
    };
    Ok(Rule {
        id: 0,
        organisation_kind,
        theme,
        open_months: number("open_months", &input.open_months, MAX_MONTHS)?,
        closed_months: number("closed_months", &input.closed_months, MAX_MONTHS)?,
        review_days: number("review_days", &input.review_days, MAX_REVIEW_DAYS)?,
    })
}

fn scope_text(rule: &Rule) -> String {
    format!(
        "{}/{}",
        rule.organisation_kind.map_or("*", |k| k.as_str()),
        rule.theme.map_or("*", |t| t.as_str())
    )
}

/// Adds a rule (`id` none) or changes one; one rule per kind and theme. Every case's and
/// signal's dates follow at once, in the same transaction; audited.
#[tracing::instrument(level = "error", skip_all)]
pub async fn save_rule(
    db: &DatabaseConnection,
    user: &Caller,
    id: Option<i32>,
    input: &RuleInput,
) -> Result<i32, AppError> {
    let rule = parse_rule(input, user.locale)?;
    let duplicate = AppError::unique_or(
        "organisation_kind",
        td_string!(user.locale, err_retention_rule_exists).to_owned(),
    );
    let txn = crate::server::begin_write(db).await?;
    let kind = rule.organisation_kind.map_or("", |k| k.as_str()).to_owned();
    let theme = rule.theme.map_or("", |t| t.as_str()).to_owned();
    let now = crate::server::time::now();
    let saved = match id {
        None => {
            retention_rule::ActiveModel {
                organisation_kind: Set(kind),
                theme: Set(theme),
                open_months: Set(rule.open_months as i32),
                closed_months: Set(rule.closed_months as i32),
                review_days: Set(rule.review_days as i32),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await
            .map_err(duplicate)?
            .id
        }
        Some(id) => {
            let updated = retention_rule::Entity::update_many()
                .col_expr(retention_rule::Column::OrganisationKind, Expr::value(kind))
                .col_expr(retention_rule::Column::Theme, Expr::value(theme))
                .col_expr(
                    retention_rule::Column::OpenMonths,
                    Expr::value(rule.open_months as i32),
                )
                .col_expr(
                    retention_rule::Column::ClosedMonths,
                    Expr::value(rule.closed_months as i32),
                )
                .col_expr(
                    retention_rule::Column::ReviewDays,
                    Expr::value(rule.review_days as i32),
                )
                .col_expr(retention_rule::Column::UpdatedAt, Expr::value(now))
                .filter(retention_rule::Column::Id.eq(id))
                .exec(&txn)
                .await
                .map_err(duplicate)?;
            if updated.rows_affected != 1 {
                return Err(AppError::invalid(
                    "id",
                    td_string!(user.locale, err_choose_from_list),
                ));
            }
            id
        }
    };
    let cases = refresh_cases(&txn, None).await?;
    let signals = refresh_signals(&txn, None).await?;
    crate::server::audit::record_by(
        &txn,
        user,
        "save_retention_rule",
        "retention_rule",
        saved,
        format!(
            "{}: open {} months, closed {} months, review {} days before; {cases} cases and {signals} signals re-dated",
            scope_text(&rule),
            rule.open_months,
            rule.closed_months,
            rule.review_days
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Removes a rule; the one for any kind and theme stays (it is what every other falls back
/// to). Dates follow at once; audited.
#[tracing::instrument(level = "error", skip_all)]
pub async fn remove_rule(db: &DatabaseConnection, user: &Caller, id: i32) -> Result<(), AppError> {
    let txn = crate::server::begin_write(db).await?;
    let Some(found) = retention_rule::Entity::find_by_id(id).one(&txn).await? else {
        return Err(AppError::invalid(
            "id",
            td_string!(user.locale, err_choose_from_list),
        ));
    };
    if found.organisation_kind.is_empty() && found.theme.is_empty() {
        return Err(AppError::invalid(
            "id",
            td_string!(user.locale, err_retention_default_stays),
        ));
    }
    retention_rule::Entity::delete_by_id(id).exec(&txn).await?;
    let cases = refresh_cases(&txn, None).await?;
    let signals = refresh_signals(&txn, None).await?;
    crate::server::audit::record_by(
        &txn,
        user,
        "remove_retention_rule",
        "retention_rule",
        id,
        format!(
            "{}/{}; {cases} cases and {signals} signals re-dated",
            if found.organisation_kind.is_empty() {
                "*"
            } else {
                found.organisation_kind.as_str()
            },
            if found.theme.is_empty() {
                "*"
            } else {
                found.theme.as_str()
            },
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The last runs of the job shown on the overview.
const RUNS_SHOWN: u64 = 10;

/// `/admin/retention` for administrators, privacy officers and auditors; the read is audited.
#[tracing::instrument(level = "error", skip_all)]
pub async fn overview(
    db: &DatabaseConnection,
    user: &Caller,
) -> Result<RetentionOverview, AppError> {
    use crate::access::{Action, Object, may, require};
    require(user, Action::Read, Object::Retention)?;
    let today = crate::server::time::today();
    let count = |condition: sea_orm::Condition| case::Entity::find().filter(condition).count(db);
    let due = count(
        sea_orm::Condition::all()
            .add(case::Column::PurgedOn.is_null())
            .add(case::Column::ReviewOn.lte(today))
            .add(case::Column::RetentionEnd.gte(today)),
    )
    .await?;
    let lapsed = count(
        sea_orm::Condition::all()
            .add(case::Column::PurgedOn.is_null())
            .add(case::Column::RetentionEnd.lt(today)),
    )
    .await?;
    let purged = count(sea_orm::Condition::all().add(case::Column::PurgedOn.is_not_null())).await?;
    let runs = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("retention_run"))
        .order_by_desc(audit_event::Column::Id)
        .limit(RUNS_SHOWN)
        .all(db)
        .await?
        .into_iter()
        .map(|e| RetentionRun {
            at: crate::server::time::local_moment(&e.occurred_at),
            counts: serde_json::from_str(&e.detail).unwrap_or_default(),
        })
        .collect();
    crate::server::audit::record_by(
        db,
        user,
        "view_retention",
        "retention_rule",
        0,
        String::new(),
    )
    .await?;
    Ok(RetentionOverview {
        rules: rules(db).await?,
        due,
        lapsed,
        purged,
        runs,
        may_manage: may(user, Action::Manage, Object::Retention),
    })
}
