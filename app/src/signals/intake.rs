//! Reporting a signal: the form, the checks, routing to an owner and attaching duplicates.

use crate::server::caller::Caller;
use crate::signals::drafts::{draft, drop_draft};
use crate::signals::matching::match_cases;
use crate::{
    domain::NotificationKind, domain::Role, domain::SignalNature, domain::SignalState,
    domain::SubjectKind, domain::Theme, domain::Urgency, error::AppError, i18n::*,
    language::request_locale, partnerships::types::RegionOption, signals::types::CategoryOption,
    signals::types::IDENTIFIER_KINDS, signals::types::ReportForm, signals::types::SignalInput,
    subjects::parse::parse, subjects::types::SubjectInput,
};
use crate::{
    server::entity::region, server::entity::routing_rule, server::entity::signal,
    server::entity::signal_category, server::entity::signal_subject, server::time::today,
    settings::Settings,
};
use crate::{
    server::time::now, signals::store::MAX_OBSERVED, signals::store::MAX_SHORT,
    signals::store::active_ventures, signals::store::add_event, signals::store::categories,
    signals::store::category_name, signals::store::is_reporter, signals::store::municipalities,
    signals::store::record, signals::store::tell,
};
use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, sea_query::Expr,
};
use std::collections::BTreeSet;

/// What the reporting form offers; reporters only.
#[tracing::instrument(level = "error", skip_all)]
pub async fn form(db: &DatabaseConnection, user: &Caller) -> Result<ReportForm, AppError> {
    if !is_reporter(user) {
        return Err(AppError::Forbidden);
    }
    Ok(ReportForm {
        categories: categories(db, true)
            .await?
            .iter()
            .map(|c| CategoryOption {
                id: c.id,
                name: category_name(c),
            })
            .collect(),
        municipalities: municipalities(db)
            .await?
            .into_iter()
            .map(|r| RegionOption {
                code: r.code,
                name: r.name,
            })
            .collect(),
        today: today().to_string(),
        draft: draft(db).await?,
    })
}

/// A report that passed every check.
#[derive(Debug, Clone)]
pub struct ValidReport {
    pub nature: SignalNature,
    pub theme: Theme,
    pub category_id: i32,
    pub observed: String,
    pub observed_on: NaiveDate,
    pub place: String,
    pub municipality: Option<region::Model>,
    pub urgency: Urgency,
    pub anonymous: bool,
    pub on_behalf_of: Option<String>,
    pub subjects: Vec<crate::subjects::parse::ValidSubject>,
}

pub(crate) fn too_long(field: &str, text: &str, max: usize) -> Result<(), AppError> {
    if text.chars().count() > max {
        let locale = request_locale();
        return Err(AppError::invalid(
            field,
            format!("{} {max}", td_string!(locale, err_too_long)),
        ));
    }
    Ok(())
}

/// Checks a report against the categories and municipalities; `today` is the Dutch date.
pub fn check_report(
    input: &SignalInput,
    categories: &[signal_category::Model],
    municipalities: &[region::Model],
    today: NaiveDate,
) -> Result<ValidReport, AppError> {
    let locale = request_locale();
    let choose = |field: &str| AppError::invalid(field, td_string!(locale, err_choose_from_list));
    let nature: SignalNature = input.nature.trim().parse().map_err(|_| choose("nature"))?;
    let theme: Theme = input.theme.trim().parse().map_err(|_| choose("theme"))?;
    let category_id = input
        .category
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|id| categories.iter().any(|c| c.id == *id && c.active))
        .ok_or_else(|| choose("category"))?;
    let observed = input.observed.trim().to_owned();
    if observed.is_empty() {
        return Err(AppError::invalid(
            "observed",
            td_string!(locale, err_required),
        ));
    }
    too_long("observed", &observed, MAX_OBSERVED)?;
    let observed_on = NaiveDate::parse_from_str(input.day.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid("day", td_string!(locale, err_date_format)))?;
    if observed_on > today {
        return Err(AppError::invalid(
            "day",
            td_string!(locale, err_signal_in_future),
        ));
    }
    if today - observed_on > chrono::Duration::days(366) {
        return Err(AppError::invalid(
            "day",
            td_string!(locale, err_signal_too_old),
        ));
    }
    let place = input.place.trim().to_owned();
    too_long("place", &place, MAX_SHORT)?;
    let municipality = match input.municipality.trim() {
        "" => None,
        code => Some(
            municipalities
                .iter()
                .find(|m| m.code == code)
                .cloned()
                .ok_or_else(|| choose("municipality"))?,
        ),
    };
    let urgency: Urgency = match input.urgency.trim() {
        "" => Urgency::Normal,
        code => code.parse().map_err(|_| choose("urgency"))?,
    };
    let anonymous = matches!(input.anonymous.trim(), "on" | "true" | "1");
    let on_behalf_of = Some(input.on_behalf_of.trim().to_owned()).filter(|s| !s.is_empty());
    if let Some(name) = &on_behalf_of {
        too_long("on_behalf_of", name, MAX_SHORT)?;
    }
    let mut subjects = Vec::new();
    let year = today.year();
    let person = [
        &input.person_given,
        &input.person_family,
        &input.person_birth_date,
        &input.person_nationality,
    ];
    if person.iter().any(|f| !f.trim().is_empty()) {
        let typed = SubjectInput {
            kind: SubjectKind::Person.as_str().into(),
            given_names: input.person_given.clone(),
            family_name: input.person_family.clone(),
            birth_date: input.person_birth_date.clone(),
            nationality: input.person_nationality.clone(),
            ..SubjectInput::default()
        };
        let valid = parse(&typed, year).map_err(|e| {
            let field = match e.field {
                "given_names" => "person_given",
                "birth_date" => "person_birth_date",
                "nationality" => "person_nationality",
                _ => "person_family",
            };
            AppError::invalid(field, crate::ui::labels::problem_text(e.problem))
        })?;
        subjects.push(valid);
    }
    let value = input.identifier_value.trim();
    if !value.is_empty() {
        let kind = input
            .identifier_kind
            .trim()
            .parse::<SubjectKind>()
            .ok()
            .filter(|k| IDENTIFIER_KINDS.contains(k))
            .ok_or_else(|| choose("identifier_kind"))?;
        let typed = SubjectInput {
            kind: kind.as_str().into(),
            value: value.to_owned(),
            ..SubjectInput::default()
        };
        let valid = parse(&typed, year).map_err(|e| {
            AppError::invalid(
                "identifier_value",
                crate::ui::labels::problem_text(e.problem),
            )
        })?;
        subjects.push(valid);
    }
    Ok(ValidReport {
        nature,
        theme,
        category_id,
        observed,
        observed_on,
        place,
        municipality,
        urgency,
        anonymous,
        on_behalf_of,
        subjects,
    })
}

/// The joint venture whose coordinators own a new signal: the most specific rule that
/// matches (theme, province, category; an empty field matches anything), then the lowest id.
/// Only active joint ventures are chosen.
pub fn route(
    rules: &[routing_rule::Model],
    active: &BTreeSet<i32>,
    theme: Theme,
    province: Option<&str>,
    category_id: i32,
) -> Option<i32> {
    rules
        .iter()
        .filter(|r| active.contains(&r.joint_venture_id))
        .filter(|r| r.theme.as_deref().is_none_or(|t| t == theme.as_str()))
        .filter(|r| r.province.as_deref().is_none_or(|p| Some(p) == province))
        .filter(|r| r.category_id.is_none_or(|c| c == category_id))
        .max_by_key(|r| {
            let specific = usize::from(r.theme.is_some())
                + usize::from(r.province.is_some())
                + usize::from(r.category_id.is_some());
            (specific, std::cmp::Reverse(r.id))
        })
        .map(|r| r.joint_venture_id)
}

/// The earlier signal (not itself attached) that names one of `subjects` within `days`.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn earlier_report(
    db: &impl ConnectionTrait,
    subjects: &[crate::subjects::parse::ValidSubject],
    days: u32,
) -> Result<Option<signal::Model>, AppError> {
    if subjects.is_empty() {
        return Ok(None);
    }
    let mut same = Condition::any();
    for s in subjects {
        same = same.add(
            Condition::all()
                .add(signal_subject::Column::Kind.eq(s.kind.as_str()))
                .add(signal_subject::Column::Normal.eq(s.normal.clone())),
        );
    }
    let ids: Vec<i32> = signal_subject::Entity::find()
        .filter(same)
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.signal_id)
        .collect();
    if ids.is_empty() {
        return Ok(None);
    }
    let since = crate::server::utc_text(Utc::now() - chrono::Duration::days(i64::from(days)));
    signal::Entity::find()
        .filter(signal::Column::Id.is_in(ids))
        .filter(signal::Column::DuplicateOf.is_null())
        .filter(signal::Column::CreatedAt.gte(since))
        .order_by_asc(signal::Column::Id)
        .one(db)
        .await
        .map_err(AppError::from)
}

/// Files a report: checked, routed, its subjects stored, attached to an earlier signal about
/// the same subject when there is one, audited, and the owner's coordinators told. Returns
/// the signal's id. Attaching is silent: the earlier signal may be another organisation's, so
/// the reporter learns only that the report was received, as for any other.
#[tracing::instrument(level = "error", skip_all)]
pub async fn report(
    db: &DatabaseConnection,
    user: &Caller,
    settings: &Settings,
    m: &crate::overlaps::candidates::Matching,
    input: &SignalInput,
) -> Result<i32, AppError> {
    report_as(db, user, settings, m, input, None).await
}

/// [`report`], keeping the reporting system's own id of the signal (`external_id`); the
/// database refuses the same id twice for one reporter.
#[tracing::instrument(level = "error", skip_all)]
pub async fn report_as(
    db: &DatabaseConnection,
    user: &Caller,
    settings: &Settings,
    m: &crate::overlaps::candidates::Matching,
    input: &SignalInput,
    external_id: Option<&str>,
) -> Result<i32, AppError> {
    if !is_reporter(user) {
        return Err(AppError::Forbidden);
    }
    let valid = check_report(
        input,
        &categories(db, true).await?,
        &municipalities(db).await?,
        today(),
    )?;
    let txn = crate::server::begin_write(db).await?;
    let earlier = earlier_report(&txn, &valid.subjects, settings.duplicate_days).await?;
    let (owner, by_rule) = match &earlier {
        Some(e) => (e.joint_venture_id, false),
        None => {
            let rules = routing_rule::Entity::find().all(&txn).await?;
            let province = valid
                .municipality
                .as_ref()
                .and_then(|m| m.parent_code.as_deref());
            let owner = route(
                &rules,
                &active_ventures(&txn).await?,
                valid.theme,
                province,
                valid.category_id,
            );
            (owner, owner.is_some())
        }
    };
    let created_at = now();
    let saved = signal::ActiveModel {
        // Made unique from the id just below.
        reference: Set(format!("pending-{}-{created_at}", user.id)),
        organisation_id: Set(user.organisation_id),
        reported_by: Set(user.id),
        anonymous: Set(valid.anonymous),
        on_behalf_of: Set(valid.on_behalf_of.clone()),
        nature: Set(valid.nature.as_str().into()),
        theme: Set(valid.theme.as_str().into()),
        category_id: Set(valid.category_id),
        observed: Set(valid.observed.clone()),
        observed_on: Set(valid.observed_on.to_string()),
        place: Set(valid.place.clone()),
        municipality: Set(valid.municipality.as_ref().map(|m| m.code.clone())),
        urgency: Set(valid.urgency.as_str().into()),
        state: Set(SignalState::New.as_str().into()),
        joint_venture_id: Set(owner),
        routed_by_rule: Set(by_rule),
        created_at: Set(created_at.clone()),
        duplicate_of: Set(earlier.as_ref().map(|e| e.id)),
        external_id: Set(external_id.map(str::to_owned)),
        version: Set(1),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let reference = format!("S-{}-{:05}", today().year(), saved.id);
    signal::Entity::update_many()
        .col_expr(signal::Column::Reference, Expr::value(reference.clone()))
        .filter(signal::Column::Id.eq(saved.id))
        .exec(&txn)
        .await?;
    let mut matched: BTreeSet<i32> = BTreeSet::new();
    for s in &valid.subjects {
        let person = s.person.as_ref();
        let stored = signal_subject::ActiveModel {
            signal_id: Set(saved.id),
            kind: Set(s.kind.as_str().into()),
            typed: Set(serde_json::to_string(&s.typed).unwrap_or_default()),
            summary: Set(s.summary.clone()),
            normal: Set(s.normal.clone()),
            given_key: Set(person.and_then(|p| p.given_key.clone())),
            family_key: Set(person.map(|p| p.family_key.clone())),
            birth_date: Set(person
                .map(|p| p.birth_date.normal())
                .filter(|d| !d.is_empty())),
            nationality: Set(person.and_then(|p| p.nationality.clone())),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        matched.extend(match_cases(&txn, m, saved.id, &stored).await?);
    }
    drop_draft(&txn).await?;
    // The timeline never names the reporter: an anonymous signal's would give them away.
    add_event(&txn, saved.id, None, "reported", None).await?;
    if let Some(e) = &earlier {
        add_event(&txn, saved.id, None, "attached", Some(e.reference.clone())).await?;
        add_event(&txn, e.id, None, "report_attached", Some(reference.clone())).await?;
    } else if owner.is_some() {
        add_event(&txn, saved.id, None, "routed_by_rule", None).await?;
    }
    // The audit trail (auditors only) is where the reporter of an anonymous signal is kept.
    record(
        &txn,
        user,
        "report_signal",
        saved.id,
        format!(
            "{reference} ({}{})",
            valid.nature.as_str(),
            if valid.anonymous { ", anonymous" } else { "" }
        ),
    )
    .await?;
    for jv in &matched {
        tell(
            &txn,
            *jv,
            Role::Coordinator,
            NotificationKind::SignalMatch,
            saved.id,
            &format!("signal:{}:match:{jv}", saved.id),
            settings,
        )
        .await?;
    }
    match (&earlier, owner) {
        (Some(e), _) => {
            if let Some(jv) = e.joint_venture_id {
                tell(
                    &txn,
                    jv,
                    Role::Coordinator,
                    NotificationKind::NewSignal,
                    e.id,
                    &format!("signal:{}:report:{}", e.id, saved.id),
                    settings,
                )
                .await?;
            }
        }
        (None, Some(jv)) => {
            tell(
                &txn,
                jv,
                Role::Coordinator,
                NotificationKind::NewSignal,
                saved.id,
                &format!("signal:{}:new", saved.id),
                settings,
            )
            .await?;
        }
        (None, None) => {}
    }
    crate::retention::store::refresh_signals(
        &txn,
        Some(crate::retention::store::one_signal(saved.id)),
    )
    .await?;
    txn.commit().await?;
    Ok(saved.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(
        id: i32,
        theme: Option<&str>,
        province: Option<&str>,
        category: Option<i32>,
        jv: i32,
    ) -> routing_rule::Model {
        routing_rule::Model {
            id,
            theme: theme.map(str::to_owned),
            province: province.map(str::to_owned),
            category_id: category,
            joint_venture_id: jv,
            created_at: String::new(),
            created_by: 1,
        }
    }

    #[test]
    fn the_most_specific_matching_rule_routes() {
        let rules = [
            rule(1, Some("trafficking"), None, None, 10),
            rule(2, Some("trafficking"), Some("PV27"), None, 20),
            rule(3, Some("trafficking"), Some("PV27"), Some(4), 30),
            rule(4, None, None, None, 40),
            rule(5, Some("trafficking"), Some("PV27"), None, 50),
        ];
        let active = BTreeSet::from([10, 20, 30, 40, 50]);
        let t = Theme::Trafficking;
        assert_eq!(route(&rules, &active, t, Some("PV27"), 4), Some(30));
        assert_eq!(
            route(&rules, &active, t, Some("PV27"), 1),
            Some(20),
            "lowest id of equals"
        );
        assert_eq!(route(&rules, &active, t, Some("PV20"), 1), Some(10));
        assert_eq!(route(&rules, &active, t, None, 4), Some(10));
        assert_eq!(route(&rules, &active, Theme::Terrorism, None, 4), Some(40));
        let ended = BTreeSet::from([10, 20, 40]);
        assert_eq!(
            route(&rules, &ended, t, Some("PV27"), 4),
            Some(20),
            "ended joint ventures are skipped"
        );
        assert_eq!(route(&rules[..3], &active, Theme::Terrorism, None, 4), None);
    }
}
