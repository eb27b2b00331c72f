//! Signals: the report's checks, routing, the steps, feedback, what each viewer may see, and the
//! overdue flag. Every server function passes [`viewer`] (or a role check) first; every read of
//! a signal and every change is audited.

use super::{
    audit::{self, Actor, Event, Outcome},
    auth::client_address,
    deconfliction::{Deconfliction, amsterdam_date, today},
    entity::{
        case, joint_venture, organisation, region, routing_rule, signal, signal_category,
        signal_draft, signal_event, signal_subject, user_account,
    },
    notifications::{About, notify, people_of},
};
use crate::{
    auth::SignedInUser,
    domain::{
        NotificationKind, RegionKind, Role, SignalNature, SignalOutcome, SignalState, SubjectKind,
        Theme, Urgency,
    },
    error::AppError,
    i18n::*,
    language::{locale_code, request_locale},
    partnerships::{Named, RegionOption},
    signals::{
        CategoryOption, CategoryRow, IDENTIFIER_KINDS, ReportForm, RoutingRuleRow, RoutingView,
        SignalEventView, SignalInput, SignalLists, SignalRow, SignalView, Viewer,
        rules::{self, Step},
    },
    subjects::{SubjectInput, parse::parse},
};
use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait,
    sea_query::Expr,
};
use std::collections::{BTreeMap, BTreeSet};

fn unexpected(err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "signals failed");
    AppError::Unavailable
}

fn invalid(field: &str, message: &str) -> AppError {
    AppError::invalid(field, message)
}

fn now() -> String {
    super::utc_text(Utc::now())
}

const MAX_OBSERVED: usize = 4000;
const MAX_FEEDBACK: usize = 1000;
const MAX_SHORT: usize = 200;

pub(super) async fn audit_event(
    db: &impl ConnectionTrait,
    user: &SignedInUser,
    action: &'static str,
    object_type: &'static str,
    object_id: String,
    detail: String,
) -> Result<(), AppError> {
    audit::record(
        db,
        Event {
            actor: Actor::from(user),
            action,
            object_type,
            object_id,
            outcome: Outcome::Success,
            client_address: client_address(),
            detail,
        },
    )
    .await
    .map_err(unexpected)
}

async fn record(
    db: &impl ConnectionTrait,
    user: &SignedInUser,
    action: &'static str,
    id: i32,
    detail: String,
) -> Result<(), AppError> {
    audit_event(db, user, action, "signal", id.to_string(), detail).await
}

async fn categories(
    db: &impl ConnectionTrait,
    active_only: bool,
) -> Result<Vec<signal_category::Model>, AppError> {
    let mut query = signal_category::Entity::find();
    if active_only {
        query = query.filter(signal_category::Column::Active.eq(true));
    }
    query
        .order_by_asc(signal_category::Column::Position)
        .order_by_asc(signal_category::Column::Id)
        .all(db)
        .await
        .map_err(unexpected)
}

fn category_name(c: &signal_category::Model) -> String {
    if locale_code(request_locale()) == "en" {
        c.name_en.clone()
    } else {
        c.name_nl.clone()
    }
}

async fn municipalities(db: &impl ConnectionTrait) -> Result<Vec<region::Model>, AppError> {
    region::Entity::find()
        .filter(region::Column::Kind.eq(RegionKind::Municipality.as_str()))
        .order_by_asc(region::Column::Name)
        .all(db)
        .await
        .map_err(unexpected)
}

fn is_reporter(user: &SignedInUser) -> bool {
    user.roles.contains(&Role::Reporter)
}

/// What the reporting form offers; reporters only.
pub async fn form(db: &DatabaseConnection, user: &SignedInUser) -> Result<ReportForm, AppError> {
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

fn too_long(field: &str, text: &str, max: usize) -> Result<(), AppError> {
    if text.chars().count() > max {
        let locale = request_locale();
        return Err(invalid(
            field,
            &format!("{} {max}", td_string!(locale, err_too_long)),
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
    let choose = |field: &str| invalid(field, td_string!(locale, err_choose_from_list));
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
        return Err(invalid("observed", td_string!(locale, err_required)));
    }
    too_long("observed", &observed, MAX_OBSERVED)?;
    let observed_on = NaiveDate::parse_from_str(input.day.trim(), "%Y-%m-%d")
        .map_err(|_| invalid("day", td_string!(locale, err_date_format)))?;
    if observed_on > today {
        return Err(invalid("day", td_string!(locale, err_signal_in_future)));
    }
    if today - observed_on > chrono::Duration::days(366) {
        return Err(invalid("day", td_string!(locale, err_signal_too_old)));
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
            invalid(field, &super::subjects::problem_text(e.problem))
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
            invalid(
                "identifier_value",
                &super::subjects::problem_text(e.problem),
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

async fn active_ventures(db: &impl ConnectionTrait) -> Result<BTreeSet<i32>, AppError> {
    let today = today();
    Ok(joint_venture::Entity::find()
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .filter(|v| v.end_date.is_none_or(|end| end >= today))
        .map(|v| v.id)
        .collect())
}

async fn add_event(
    db: &impl ConnectionTrait,
    signal_id: i32,
    actor: Option<i32>,
    step: &str,
    note: Option<String>,
) -> Result<(), AppError> {
    signal_event::ActiveModel {
        signal_id: Set(signal_id),
        at: Set(now()),
        actor_id: Set(actor),
        step: Set(step.to_owned()),
        note: Set(note),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(unexpected)?;
    Ok(())
}

/// The earlier signal (not itself attached) that names one of `subjects` within `days`.
async fn earlier_report(
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
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|s| s.signal_id)
        .collect();
    if ids.is_empty() {
        return Ok(None);
    }
    let since = super::utc_text(Utc::now() - chrono::Duration::days(i64::from(days)));
    signal::Entity::find()
        .filter(signal::Column::Id.is_in(ids))
        .filter(signal::Column::DuplicateOf.is_null())
        .filter(signal::Column::CreatedAt.gte(since))
        .order_by_asc(signal::Column::Id)
        .one(db)
        .await
        .map_err(unexpected)
}

/// Files a report: checked, routed, its subjects stored, attached to an earlier signal about
/// the same subject when there is one, audited, and the owner's coordinators told. Returns
/// the signal's id.
pub async fn report(
    db: &DatabaseConnection,
    user: &SignedInUser,
    settings: &Deconfliction,
    m: &super::overlaps::Matching,
    input: &SignalInput,
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
    let txn = db.begin().await.map_err(unexpected)?;
    let earlier = earlier_report(&txn, &valid.subjects, settings.duplicate_days).await?;
    let (owner, by_rule) = match &earlier {
        Some(e) => (e.joint_venture_id, false),
        None => {
            let rules = routing_rule::Entity::find()
                .all(&txn)
                .await
                .map_err(unexpected)?;
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
        version: Set(1),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(unexpected)?;
    let reference = format!("S-{}-{:05}", today().year(), saved.id);
    signal::Entity::update_many()
        .col_expr(signal::Column::Reference, Expr::value(reference.clone()))
        .filter(signal::Column::Id.eq(saved.id))
        .exec(&txn)
        .await
        .map_err(unexpected)?;
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
        .await
        .map_err(unexpected)?;
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
            notify(
                &txn,
                &BTreeSet::from([user.id]),
                NotificationKind::SignalAttached,
                About::Signal(saved.id),
                &format!("signal:{}:attached", saved.id),
                &settings.mail,
            )
            .await?;
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
    txn.commit().await.map_err(unexpected)?;
    Ok(saved.id)
}

const DRAFT_COOKIE: &str = "liaison_signal_draft";
/// A draft is kept for a day.
const DRAFT_SECONDS: i64 = 24 * 3600;
/// The longest draft kept (a report is a few kilobytes).
const MAX_DRAFT: usize = 32 * 1024;
/// The most drafts kept at once.
const MAX_DRAFTS: u64 = 10_000;

fn draft_token() -> Option<String> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == DRAFT_COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|t| t.len() == 64 && t.chars().all(|c| c.is_ascii_hexdigit()))
}

fn set_draft_cookie(token: &str, max_age: i64) {
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
        && let Ok(value) = http::HeaderValue::from_str(&format!(
            "{DRAFT_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}"
        ))
    {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

/// Keeps a report posted after the session ran out; the reporter finds it in the form once
/// signed in again. Nothing of it is checked or routed until then.
pub async fn keep_draft(db: &DatabaseConnection, input: &SignalInput) -> Result<(), AppError> {
    let form = serde_json::to_string(input).map_err(unexpected)?;
    if form.len() > MAX_DRAFT {
        return Err(invalid(
            "observed",
            &format!(
                "{} {MAX_OBSERVED}",
                td_string!(request_locale(), err_too_long)
            ),
        ));
    }
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(unexpected)?;
    let token = hex::encode(bytes);
    let stale = super::utc_text(Utc::now() - chrono::Duration::seconds(DRAFT_SECONDS));
    signal_draft::Entity::delete_many()
        .filter(signal_draft::Column::CreatedAt.lt(stale))
        .exec(db)
        .await
        .map_err(unexpected)?;
    // Anyone can post without a session: beyond this many drafts a day none is kept, so the
    // table cannot be filled from outside.
    let kept = signal_draft::Entity::find()
        .count(db)
        .await
        .map_err(unexpected)?;
    if kept >= MAX_DRAFTS {
        tracing::warn!(kept, "signal drafts at their limit; this one is not kept");
        return Ok(());
    }
    signal_draft::ActiveModel {
        token: Set(token.clone()),
        form: Set(form),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(unexpected)?;
    set_draft_cookie(&token, DRAFT_SECONDS);
    Ok(())
}

/// The draft this browser left, if any (a day at most).
async fn draft(db: &DatabaseConnection) -> Result<Option<SignalInput>, AppError> {
    let Some(token) = draft_token() else {
        return Ok(None);
    };
    let stale = super::utc_text(Utc::now() - chrono::Duration::seconds(DRAFT_SECONDS));
    Ok(signal_draft::Entity::find()
        .filter(signal_draft::Column::Token.eq(token))
        .filter(signal_draft::Column::CreatedAt.gte(stale))
        .one(db)
        .await
        .map_err(unexpected)?
        .and_then(|d| serde_json::from_str(&d.form).ok()))
}

/// Removes this browser's draft once the report is filed.
async fn drop_draft(db: &impl ConnectionTrait) -> Result<(), AppError> {
    if let Some(token) = draft_token() {
        signal_draft::Entity::delete_many()
            .filter(signal_draft::Column::Token.eq(token))
            .exec(db)
            .await
            .map_err(unexpected)?;
        set_draft_cookie("", 0);
    }
    Ok(())
}

/// Tells the people holding `role` in joint venture `jv` about signal `signal_id`, once per
/// `dedupe`.
async fn tell(
    db: &impl ConnectionTrait,
    jv: i32,
    role: Role,
    kind: NotificationKind,
    signal_id: i32,
    dedupe: &str,
    settings: &Deconfliction,
) -> Result<(), AppError> {
    let people = people_of(db, jv, role).await?;
    notify(
        db,
        &people,
        kind,
        About::Signal(signal_id),
        dedupe,
        &settings.mail,
    )
    .await
}

/// Matches a signal's subject against the case subjects and records each match (an overlap of
/// kind `signal`). Returns the joint ventures whose cases matched.
async fn match_cases(
    db: &impl ConnectionTrait,
    m: &super::overlaps::Matching,
    signal_id: i32,
    s: &signal_subject::Model,
) -> Result<BTreeSet<i32>, AppError> {
    use super::entity::{signal_match, subject};
    // The signal's subject as matching sees a subject; it is no case's.
    let probe = subject::Model {
        id: 0,
        case_id: 0,
        kind: s.kind.clone(),
        typed: String::new(),
        summary: String::new(),
        normal: s.normal.clone(),
        given_key: s.given_key.clone(),
        family_key: s.family_key.clone(),
        birth_date: s.birth_date.clone(),
        nationality: s.nationality.clone(),
        created_at: String::new(),
        created_by: 0,
    };
    let mut ventures = BTreeSet::new();
    for found in super::overlaps::case_matches(db, m, &probe).await? {
        signal_match::ActiveModel {
            signal_id: Set(signal_id),
            signal_subject_id: Set(s.id),
            subject_id: Set(found.subject.id),
            case_id: Set(found.subject.case_id),
            joint_venture_id: Set(found.joint_venture_id),
            match_kind: Set(found.match_kind),
            score: Set(found.score),
            explanation: Set(serde_json::to_string(&found.evidence).unwrap_or_default()),
            created_at: Set(now()),
            ..Default::default()
        }
        .insert(db)
        .await
        .map_err(unexpected)?;
        ventures.insert(found.joint_venture_id);
    }
    Ok(ventures)
}

/// The signals that name subjects of the caller's cases: their case and subject, the match,
/// and of the signal only its reference, theme, category, date and owner (pointer basis).
async fn matches_for_cases(
    db: &impl ConnectionTrait,
    user: &SignedInUser,
    known: &Names,
) -> Result<Vec<crate::signals::CaseSignalMatch>, AppError> {
    use super::entity::{signal_match, subject};
    let found = signal_match::Entity::find()
        .filter(signal_match::Column::JointVentureId.is_in(user.coordinates.clone()))
        .order_by_desc(signal_match::Column::Id)
        .all(db)
        .await
        .map_err(unexpected)?;
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let cases: BTreeMap<i32, String> = case::Entity::find()
        .filter(case::Column::Id.is_in(found.iter().map(|f| f.case_id)))
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|c| (c.id, c.reference))
        .collect();
    let subjects: BTreeMap<i32, String> = subject::Entity::find()
        .filter(subject::Column::Id.is_in(found.iter().map(|f| f.subject_id)))
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|s| (s.id, s.summary))
        .collect();
    let signals: BTreeMap<i32, signal::Model> = signal::Entity::find()
        .filter(signal::Column::Id.is_in(found.iter().map(|f| f.signal_id)))
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let (names, categories) = (&known.ventures, &known.categories);
    Ok(found
        .into_iter()
        .filter_map(|f| {
            let s = signals.get(&f.signal_id)?;
            Some(crate::signals::CaseSignalMatch {
                case: Named {
                    id: f.case_id,
                    name: cases.get(&f.case_id).cloned().unwrap_or_default(),
                },
                subject: subjects.get(&f.subject_id).cloned().unwrap_or_default(),
                match_kind: f.match_kind,
                score: f.score,
                evidence: serde_json::from_str(&f.explanation).ok()?,
                signal_reference: s.reference.clone(),
                theme: s.theme.parse().unwrap_or(Theme::Smuggling),
                category: categories.get(&s.category_id).cloned().unwrap_or_default(),
                reported_on: amsterdam_date(&s.created_at).to_string(),
                owner: s.joint_venture_id.map(|jv| Named {
                    id: jv,
                    name: names.get(&jv).cloned().unwrap_or_default(),
                }),
            })
        })
        .collect())
}

/// How `user` may look at signal `s`, if at all. Coordinators of the owner act; managers
/// overseeing it read; the reporter reads their own; an administrator sees an unowned
/// signal to route it.
pub fn viewer(user: &SignedInUser, s: &signal::Model) -> Option<Viewer> {
    use crate::authorize::{Action, Object, may};
    if let Some(jv) = s.joint_venture_id {
        if may(user, Action::Manage, Object::JointVentureWork(jv)) {
            return Some(Viewer::Owner);
        }
        if may(user, Action::Read, Object::SignalOversight(jv)) {
            return Some(Viewer::Overseer);
        }
    }
    if s.reported_by == user.id && is_reporter(user) {
        return Some(Viewer::Reporter);
    }
    if s.joint_venture_id.is_none() && may(user, Action::Manage, Object::SignalRouting) {
        return Some(Viewer::Router);
    }
    None
}

/// Signal `id` and how the caller sees it; an unknown signal and another's are refused alike.
async fn find_for(
    db: &impl ConnectionTrait,
    user: &SignedInUser,
    id: i32,
) -> Result<(signal::Model, Viewer), AppError> {
    let s = signal::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(unexpected)?
        .ok_or(AppError::Forbidden)?;
    let viewer = viewer(user, &s).ok_or(AppError::Forbidden)?;
    Ok((s, viewer))
}

fn state_of(s: &signal::Model) -> SignalState {
    s.state.parse().unwrap_or(SignalState::New)
}

fn urgency_of(s: &signal::Model) -> Urgency {
    s.urgency.parse().unwrap_or(Urgency::Normal)
}

/// The step the signal works towards and its last day; none once ended or when attached to
/// an earlier signal (that one carries the follow-up).
pub fn deadline(
    s: &signal::Model,
    deadlines: &rules::SignalDeadlines,
) -> Option<(&'static str, NaiveDate)> {
    if s.duplicate_of.is_some() {
        return None;
    }
    deadlines.current(
        state_of(s),
        urgency_of(s),
        amsterdam_date(&s.created_at),
        s.assessed_at.as_deref().map(amsterdam_date),
    )
}

/// Joint venture and category names, read once for a whole page.
struct Names {
    ventures: BTreeMap<i32, String>,
    categories: BTreeMap<i32, String>,
}

impl Names {
    async fn read(db: &impl ConnectionTrait) -> Result<Self, AppError> {
        Ok(Names {
            ventures: super::overlaps::venture_names(db).await?,
            categories: categories(db, false)
                .await?
                .iter()
                .map(|c| (c.id, category_name(c)))
                .collect(),
        })
    }
}

async fn rows(
    db: &impl ConnectionTrait,
    signals: Vec<signal::Model>,
    with_owner: bool,
    settings: &Deconfliction,
    known: &Names,
) -> Result<Vec<SignalRow>, AppError> {
    let (names, categories) = (&known.ventures, &known.categories);
    let earlier: BTreeSet<i32> = signals.iter().filter_map(|s| s.duplicate_of).collect();
    let references: BTreeMap<i32, String> = signal::Entity::find()
        .filter(signal::Column::Id.is_in(earlier))
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|s| (s.id, s.reference))
        .collect();
    let today = today();
    Ok(signals
        .into_iter()
        .map(|s| {
            let due = deadline(&s, &settings.signals);
            SignalRow {
                id: s.id,
                reference: s.reference.clone(),
                state: state_of(&s),
                nature: s.nature.parse().unwrap_or(SignalNature::Soft),
                theme: s.theme.parse().unwrap_or(Theme::Smuggling),
                category: categories.get(&s.category_id).cloned().unwrap_or_default(),
                urgency: urgency_of(&s),
                reported_on: amsterdam_date(&s.created_at).to_string(),
                owner: if with_owner {
                    s.joint_venture_id.and_then(|jv| names.get(&jv).cloned())
                } else {
                    None
                },
                due: due.map(|(_, by)| by.to_string()),
                overdue: rules::overdue(due, today),
                attached_to: s.duplicate_of.and_then(|id| references.get(&id).cloned()),
            }
        })
        .collect())
}

/// Open first (overdue first among them), then the newest.
fn ordered(mut rows: Vec<SignalRow>) -> Vec<SignalRow> {
    let ended = |r: &SignalRow| matches!(r.state, SignalState::FollowedUp | SignalState::NoAction);
    rows.sort_by(|a, b| {
        (ended(a), !a.overdue, std::cmp::Reverse(a.id)).cmp(&(
            ended(b),
            !b.overdue,
            std::cmp::Reverse(b.id),
        ))
    });
    rows
}

/// `/signals`: the lists the caller's roles give; audited.
pub async fn lists(
    db: &DatabaseConnection,
    user: &SignedInUser,
    settings: &Deconfliction,
) -> Result<SignalLists, AppError> {
    use crate::authorize::{Action, Object, may};
    const LIMIT: u64 = 500;
    let mut lists = SignalLists::default();
    let known = Names::read(db).await?;
    let find = || {
        use sea_orm::QuerySelect;
        signal::Entity::find()
            .order_by_desc(signal::Column::Id)
            .limit(LIMIT)
    };
    if is_reporter(user) {
        lists.reports = true;
        let mine = find()
            .filter(signal::Column::ReportedBy.eq(user.id))
            .all(db)
            .await
            .map_err(unexpected)?;
        lists.mine = rows(db, mine, false, settings, &known).await?;
    }
    if user.roles.contains(&Role::Coordinator) && !user.coordinates.is_empty() {
        lists.coordinates = true;
        let owned = find()
            .filter(signal::Column::JointVentureId.is_in(user.coordinates.clone()))
            .all(db)
            .await
            .map_err(unexpected)?;
        lists.owned = ordered(rows(db, owned, true, settings, &known).await?);
        lists.matches = matches_for_cases(db, user, &known).await?;
    }
    if user.roles.contains(&Role::Manager) && !user.oversees.is_empty() {
        lists.oversees = true;
        let overseen = find()
            .filter(signal::Column::JointVentureId.is_in(user.oversees.clone()))
            .all(db)
            .await
            .map_err(unexpected)?;
        lists.overseen = ordered(rows(db, overseen, true, settings, &known).await?);
    }
    if may(user, Action::Manage, Object::SignalRouting) {
        lists.routes = true;
        let unowned = find()
            .filter(signal::Column::JointVentureId.is_null())
            .all(db)
            .await
            .map_err(unexpected)?;
        lists.unowned = rows(db, unowned, false, settings, &known).await?;
    }
    if !(lists.reports || lists.coordinates || lists.oversees || lists.routes) {
        return Err(AppError::Forbidden);
    }
    Ok(lists)
}

async fn named_cases(db: &impl ConnectionTrait, jv: Option<i32>) -> Result<Vec<Named>, AppError> {
    let Some(jv) = jv else {
        return Ok(Vec::new());
    };
    Ok(case::Entity::find()
        .filter(case::Column::JointVentureId.eq(jv))
        .order_by_asc(case::Column::Reference)
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|c| Named {
            id: c.id,
            name: format!("{} — {}", c.reference, c.title),
        })
        .collect())
}

/// One signal as the caller may see it; audited.
pub async fn view(
    db: &DatabaseConnection,
    user: &SignedInUser,
    settings: &Deconfliction,
    id: i32,
) -> Result<SignalView, AppError> {
    let (s, viewer) = find_for(db, user, id).await?;
    let names = super::overlaps::venture_names(db).await?;
    let category = categories(db, false)
        .await?
        .iter()
        .find(|c| c.id == s.category_id)
        .map(category_name)
        .unwrap_or_default();
    let full = matches!(viewer, Viewer::Owner | Viewer::Overseer);
    let own = viewer == Viewer::Reporter;
    let region_row = match &s.municipality {
        Some(code) => region::Entity::find_by_id(code.clone())
            .one(db)
            .await
            .map_err(unexpected)?,
        None => None,
    };
    let organisation = organisation::Entity::find_by_id(s.organisation_id)
        .one(db)
        .await
        .map_err(unexpected)?
        .map(|o| o.name)
        .unwrap_or_default();
    let reporter = if full && !s.anonymous {
        user_account::Entity::find_by_id(s.reported_by)
            .one(db)
            .await
            .map_err(unexpected)?
            .map(|u| format!("{} ({organisation})", u.display_name))
    } else if full {
        Some(organisation.clone())
    } else {
        None
    };
    let subjects = if full || own {
        signal_subject::Entity::find()
            .filter(signal_subject::Column::SignalId.eq(s.id))
            .order_by_asc(signal_subject::Column::Id)
            .all(db)
            .await
            .map_err(unexpected)?
            .into_iter()
            .map(|x| x.summary)
            .collect()
    } else {
        Vec::new()
    };
    let events = signal_event::Entity::find()
        .filter(signal_event::Column::SignalId.eq(s.id))
        .order_by_asc(signal_event::Column::Id)
        .all(db)
        .await
        .map_err(unexpected)?;
    let actors: BTreeMap<i32, String> = user_account::Entity::find()
        .filter(user_account::Column::Id.is_in(events.iter().filter_map(|e| e.actor_id)))
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let timeline = events
        .into_iter()
        // A reporter reads the steps, not who took them nor the coordinators' notes.
        .map(|e| SignalEventView {
            at: e.at.get(..16).unwrap_or_default().replace('T', " "),
            step: e.step,
            by: if full {
                e.actor_id.and_then(|a| actors.get(&a).cloned())
            } else {
                None
            },
            note: if full { e.note } else { None },
        })
        .collect();
    let named = |x: signal::Model| Named {
        id: x.id,
        name: x.reference,
    };
    let duplicate_of = match s.duplicate_of {
        Some(earlier) => signal::Entity::find_by_id(earlier)
            .one(db)
            .await
            .map_err(unexpected)?
            .map(named),
        None => None,
    };
    let attached = if full {
        signal::Entity::find()
            .filter(signal::Column::DuplicateOf.eq(s.id))
            .order_by_asc(signal::Column::Id)
            .all(db)
            .await
            .map_err(unexpected)?
            .into_iter()
            .map(named)
            .collect()
    } else {
        Vec::new()
    };
    let outcome_case = match (full, s.outcome_case_id) {
        (true, Some(case_id)) => case::Entity::find_by_id(case_id)
            .one(db)
            .await
            .map_err(unexpected)?
            .map(|c| Named {
                id: c.id,
                name: c.reference,
            }),
        _ => None,
    };
    let matches = if full {
        use super::entity::signal_match;
        signal_match::Entity::find()
            .filter(signal_match::Column::SignalId.eq(s.id))
            .order_by_asc(signal_match::Column::Id)
            .all(db)
            .await
            .map_err(unexpected)?
            .into_iter()
            .filter_map(|f| {
                Some(crate::signals::SignalMatchView {
                    joint_venture: Named {
                        id: f.joint_venture_id,
                        name: names.get(&f.joint_venture_id).cloned().unwrap_or_default(),
                    },
                    match_kind: f.match_kind,
                    score: f.score,
                    evidence: serde_json::from_str(&f.explanation).ok()?,
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let state = state_of(&s);
    let acts = viewer == Viewer::Owner && s.duplicate_of.is_none();
    let due = deadline(&s, &settings.signals);
    let view = SignalView {
        viewer,
        id: s.id,
        reference: s.reference.clone(),
        version: s.version,
        state,
        nature: s.nature.parse().unwrap_or(SignalNature::Soft),
        theme: s.theme.parse().unwrap_or(Theme::Smuggling),
        category,
        urgency: urgency_of(&s),
        reported_on: amsterdam_date(&s.created_at).to_string(),
        region: region_row.map(|r| r.name),
        observed: (full || own).then(|| s.observed.clone()),
        observed_on: (full || own).then(|| s.observed_on.clone()),
        place: (full || own).then(|| s.place.clone()),
        reporter,
        organisation: full.then_some(organisation),
        anonymous: s.anonymous,
        on_behalf_of: if full || own {
            s.on_behalf_of.clone()
        } else {
            None
        },
        subjects,
        owner: if viewer == Viewer::Router {
            None
        } else {
            s.joint_venture_id.map(|jv| Named {
                id: jv,
                name: names.get(&jv).cloned().unwrap_or_default(),
            })
        },
        routed_by_rule: s.routed_by_rule,
        due: due.map(|(step, by)| (step.to_owned(), by.to_string())),
        overdue: rules::overdue(due, today()),
        outcome: s.outcome.as_deref().and_then(|o| o.parse().ok()),
        outcome_case,
        outcome_service: full.then(|| s.outcome_service.clone()).flatten(),
        no_action_reason: full.then(|| s.no_action_reason.clone()).flatten(),
        feedback: s.feedback.clone(),
        feedback_at: s
            .feedback_at
            .as_deref()
            .map(|t| amsterdam_date(t).to_string()),
        timeline,
        matches,
        duplicate_of,
        attached,
        steps: if acts {
            rules::open_steps(state)
                .into_iter()
                .map(|step| step.as_str().to_owned())
                .collect()
        } else {
            Vec::new()
        },
        route_options: if acts || viewer == Viewer::Router {
            let active = active_ventures(db).await?;
            names
                .iter()
                .filter(|(id, _)| active.contains(id))
                .map(|(id, name)| Named {
                    id: *id,
                    name: name.clone(),
                })
                .collect()
        } else {
            Vec::new()
        },
        case_options: if acts {
            named_cases(db, s.joint_venture_id).await?
        } else {
            Vec::new()
        },
    };
    record(db, user, "view_signal", s.id, s.reference).await?;
    Ok(view)
}

/// A step as the form posts it.
#[derive(Debug, Clone, Default)]
pub struct StepInput {
    pub version: i32,
    pub step: String,
    pub joint_venture_id: String,
    pub outcome: String,
    pub case_id: String,
    pub service: String,
    pub reason: String,
    pub note: String,
}

/// Takes a step on a signal the caller's joint venture owns. A stale `version` is a conflict
/// and changes nothing.
pub async fn take_step(
    db: &DatabaseConnection,
    user: &SignedInUser,
    settings: &Deconfliction,
    id: i32,
    input: &StepInput,
) -> Result<(), AppError> {
    let locale = request_locale();
    let (s, viewer) = find_for(db, user, id).await?;
    if viewer != Viewer::Owner || s.duplicate_of.is_some() {
        return Err(AppError::Forbidden);
    }
    let step = Step::parse(input.step.trim())
        .ok_or_else(|| invalid("step", td_string!(locale, err_choose_from_list)))?;
    let state = state_of(&s);
    if !rules::allowed(state, step) {
        return Err(AppError::Refused(
            td_string!(locale, err_signal_step_not_now).to_owned(),
        ));
    }
    let note = Some(input.note.trim().to_owned()).filter(|n| !n.is_empty());
    if let Some(note) = &note {
        too_long("note", note, MAX_FEEDBACK)?;
    }
    let at = now();
    let mut update = signal::Entity::update_many()
        .col_expr(
            signal::Column::State,
            Expr::value(rules::next(step).as_str()),
        )
        .col_expr(signal::Column::Version, Expr::value(s.version + 1));
    let mut new_owner = None;
    let mut detail = step.as_str().to_owned();
    match step {
        Step::Assess => {
            update = update
                .col_expr(signal::Column::AssessedAt, Expr::value(at.clone()))
                .col_expr(signal::Column::AssessedBy, Expr::value(user.id));
        }
        Step::Route => {
            let active = active_ventures(db).await?;
            let target = input
                .joint_venture_id
                .trim()
                .parse::<i32>()
                .ok()
                .filter(|jv| active.contains(jv))
                .ok_or_else(|| {
                    invalid("joint_venture_id", td_string!(locale, err_choose_from_list))
                })?;
            update = update
                .col_expr(signal::Column::RoutedAt, Expr::value(at.clone()))
                .col_expr(signal::Column::RoutedBy, Expr::value(user.id))
                .col_expr(signal::Column::JointVentureId, Expr::value(target))
                .col_expr(signal::Column::RoutedByRule, Expr::value(false));
            if Some(target) != s.joint_venture_id {
                new_owner = Some(target);
            }
            detail = format!("route to {target}");
        }
        Step::FollowUp => {
            let outcome: SignalOutcome = input
                .outcome
                .trim()
                .parse()
                .map_err(|_| invalid("outcome", td_string!(locale, err_choose_from_list)))?;
            let (case_id, service) = match outcome {
                SignalOutcome::LinkedCase | SignalOutcome::AddedToCase => {
                    let cases = named_cases(db, s.joint_venture_id).await?;
                    let case_id = input
                        .case_id
                        .trim()
                        .parse::<i32>()
                        .ok()
                        .filter(|c| cases.iter().any(|x| x.id == *c))
                        .ok_or_else(|| {
                            invalid("case_id", td_string!(locale, err_choose_from_list))
                        })?;
                    (Some(case_id), None)
                }
                SignalOutcome::Forwarded => {
                    let service = input.service.trim().to_owned();
                    if service.is_empty() {
                        return Err(invalid("service", td_string!(locale, err_required)));
                    }
                    too_long("service", &service, MAX_SHORT)?;
                    (None, Some(service))
                }
            };
            update = update
                .col_expr(signal::Column::ClosedAt, Expr::value(at.clone()))
                .col_expr(signal::Column::ClosedBy, Expr::value(user.id))
                .col_expr(signal::Column::Outcome, Expr::value(outcome.as_str()))
                .col_expr(signal::Column::OutcomeCaseId, Expr::value(case_id))
                .col_expr(signal::Column::OutcomeService, Expr::value(service));
            detail = format!("follow_up {}", outcome.as_str());
        }
        Step::NoAction => {
            let reason = input.reason.trim().to_owned();
            if reason.chars().count() < 10 {
                return Err(invalid("reason", td_string!(locale, err_signal_reason)));
            }
            too_long("reason", &reason, MAX_FEEDBACK)?;
            update = update
                .col_expr(signal::Column::ClosedAt, Expr::value(at.clone()))
                .col_expr(signal::Column::ClosedBy, Expr::value(user.id))
                .col_expr(signal::Column::NoActionReason, Expr::value(reason));
        }
    }
    let txn = db.begin().await.map_err(unexpected)?;
    let updated = update
        .filter(signal::Column::Id.eq(s.id))
        .filter(signal::Column::Version.eq(input.version))
        .exec(&txn)
        .await
        .map_err(unexpected)?;
    if updated.rows_affected != 1 {
        txn.rollback().await.map_err(unexpected)?;
        return Err(AppError::Conflict(
            td_string!(locale, err_signal_conflict).to_owned(),
        ));
    }
    add_event(&txn, s.id, Some(user.id), step.as_str(), note).await?;
    record(
        &txn,
        user,
        "signal_step",
        s.id,
        format!("{}: {detail}", s.reference),
    )
    .await?;
    if let Some(jv) = new_owner {
        tell(
            &txn,
            jv,
            Role::Coordinator,
            NotificationKind::SignalRouted,
            s.id,
            &format!("signal:{}:routed:{}", s.id, s.version + 1),
            settings,
        )
        .await?;
    }
    txn.commit().await.map_err(unexpected)?;
    Ok(())
}

/// Writes (or rewrites) the feedback the reporter reads; the owner's coordinators only. The
/// reporter is told.
pub async fn give_feedback(
    db: &DatabaseConnection,
    user: &SignedInUser,
    settings: &Deconfliction,
    id: i32,
    feedback: &str,
) -> Result<(), AppError> {
    let locale = request_locale();
    let (s, viewer) = find_for(db, user, id).await?;
    if viewer != Viewer::Owner {
        return Err(AppError::Forbidden);
    }
    let feedback = feedback.trim().to_owned();
    if feedback.is_empty() {
        return Err(invalid("feedback", td_string!(locale, err_required)));
    }
    too_long("feedback", &feedback, MAX_FEEDBACK)?;
    let txn = db.begin().await.map_err(unexpected)?;
    signal::Entity::update_many()
        .col_expr(signal::Column::Feedback, Expr::value(feedback))
        .col_expr(signal::Column::FeedbackAt, Expr::value(now()))
        .filter(signal::Column::Id.eq(s.id))
        .exec(&txn)
        .await
        .map_err(unexpected)?;
    add_event(&txn, s.id, Some(user.id), "feedback", None).await?;
    record(&txn, user, "signal_feedback", s.id, s.reference.clone()).await?;
    notify(
        &txn,
        &BTreeSet::from([s.reported_by]),
        NotificationKind::SignalFeedback,
        About::Signal(s.id),
        &format!("signal:{}:feedback:{}", s.id, now()),
        &settings.mail,
    )
    .await?;
    txn.commit().await.map_err(unexpected)?;
    Ok(())
}

/// An administrator gives a signal no rule routed an owner.
pub async fn assign_owner(
    db: &DatabaseConnection,
    user: &SignedInUser,
    settings: &Deconfliction,
    id: i32,
    joint_venture_id: &str,
) -> Result<(), AppError> {
    let locale = request_locale();
    let (s, viewer) = find_for(db, user, id).await?;
    if viewer != Viewer::Router {
        return Err(AppError::Forbidden);
    }
    let active = active_ventures(db).await?;
    let target = joint_venture_id
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|jv| active.contains(jv))
        .ok_or_else(|| invalid("joint_venture_id", td_string!(locale, err_choose_from_list)))?;
    let txn = db.begin().await.map_err(unexpected)?;
    let updated = signal::Entity::update_many()
        .col_expr(signal::Column::JointVentureId, Expr::value(target))
        .col_expr(signal::Column::Version, Expr::value(s.version + 1))
        .filter(signal::Column::Id.eq(s.id))
        .filter(signal::Column::JointVentureId.is_null())
        .exec(&txn)
        .await
        .map_err(unexpected)?;
    if updated.rows_affected != 1 {
        txn.rollback().await.map_err(unexpected)?;
        return Err(AppError::Conflict(
            td_string!(locale, err_signal_conflict).to_owned(),
        ));
    }
    add_event(&txn, s.id, Some(user.id), "owner_assigned", None).await?;
    record(
        &txn,
        user,
        "signal_owner",
        s.id,
        format!("{} to {target}", s.reference),
    )
    .await?;
    tell(
        &txn,
        target,
        Role::Coordinator,
        NotificationKind::NewSignal,
        s.id,
        &format!("signal:{}:new", s.id),
        settings,
    )
    .await?;
    txn.commit().await.map_err(unexpected)?;
    Ok(())
}

fn require_admin(user: &SignedInUser) -> Result<(), AppError> {
    use crate::authorize::{Action, Object, require};
    require(user, Action::Manage, Object::SignalRouting)
}

/// The routing rules and categories, for administrators.
pub async fn routing(
    db: &DatabaseConnection,
    user: &SignedInUser,
) -> Result<RoutingView, AppError> {
    require_admin(user)?;
    let names = super::overlaps::venture_names(db).await?;
    let all_categories = categories(db, false).await?;
    let category_names: BTreeMap<i32, String> = all_categories
        .iter()
        .map(|c| (c.id, category_name(c)))
        .collect();
    let provinces: Vec<region::Model> = region::Entity::find()
        .filter(region::Column::Kind.eq(RegionKind::Province.as_str()))
        .order_by_asc(region::Column::Name)
        .all(db)
        .await
        .map_err(unexpected)?;
    let province_names: BTreeMap<&str, &str> = provinces
        .iter()
        .map(|p| (p.code.as_str(), p.name.as_str()))
        .collect();
    let rules = routing_rule::Entity::find()
        .order_by_asc(routing_rule::Column::Id)
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|r| RoutingRuleRow {
            id: r.id,
            theme: r.theme.as_deref().and_then(|t| t.parse().ok()),
            province: r
                .province
                .as_deref()
                .map(|p| province_names.get(p).copied().unwrap_or(p).to_owned()),
            category: r.category_id.and_then(|c| category_names.get(&c).cloned()),
            joint_venture: names.get(&r.joint_venture_id).cloned().unwrap_or_default(),
        })
        .collect();
    let active = active_ventures(db).await?;
    Ok(RoutingView {
        rules,
        categories: all_categories
            .into_iter()
            .map(|c| CategoryRow {
                id: c.id,
                code: c.code,
                name_nl: c.name_nl,
                name_en: c.name_en,
                active: c.active,
            })
            .collect(),
        joint_ventures: names
            .into_iter()
            .filter(|(id, _)| active.contains(id))
            .map(|(id, name)| Named { id, name })
            .collect(),
        provinces: provinces
            .into_iter()
            .map(|p| RegionOption {
                code: p.code,
                name: p.name,
            })
            .collect(),
    })
}

/// Adds a routing rule; empty fields match anything.
pub async fn add_rule(
    db: &DatabaseConnection,
    user: &SignedInUser,
    theme: &str,
    province: &str,
    category: &str,
    joint_venture_id: &str,
) -> Result<(), AppError> {
    require_admin(user)?;
    let locale = request_locale();
    let choose = |field: &str| invalid(field, td_string!(locale, err_choose_from_list));
    let theme = match theme.trim() {
        "" => None,
        t => Some(t.parse::<Theme>().map_err(|_| choose("theme"))?),
    };
    let province = match province.trim() {
        "" => None,
        code => Some(
            region::Entity::find_by_id(code.to_owned())
                .filter(region::Column::Kind.eq(RegionKind::Province.as_str()))
                .one(db)
                .await
                .map_err(unexpected)?
                .ok_or_else(|| choose("province"))?
                .code,
        ),
    };
    let all_categories = categories(db, true).await?;
    let category_id = match category.trim() {
        "" => None,
        c => Some(
            c.parse::<i32>()
                .ok()
                .filter(|id| all_categories.iter().any(|x| x.id == *id))
                .ok_or_else(|| choose("category"))?,
        ),
    };
    let active = active_ventures(db).await?;
    let jv = joint_venture_id
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|jv| active.contains(jv))
        .ok_or_else(|| choose("joint_venture_id"))?;
    let txn = db.begin().await.map_err(unexpected)?;
    let saved = routing_rule::ActiveModel {
        theme: Set(theme.map(|t| t.as_str().to_owned())),
        province: Set(province.clone()),
        category_id: Set(category_id),
        joint_venture_id: Set(jv),
        created_at: Set(now()),
        created_by: Set(user.id),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(unexpected)?;
    audit_event(
        &txn,
        user,
        "add_routing_rule",
        "routing_rule",
        saved.id.to_string(),
        format!(
            "theme {}, province {}, category {}, to {jv}",
            theme.map(Theme::as_str).unwrap_or("any"),
            province.as_deref().unwrap_or("any"),
            category_id.map(|c| c.to_string()).unwrap_or("any".into())
        ),
    )
    .await?;
    txn.commit().await.map_err(unexpected)?;
    Ok(())
}

pub async fn remove_rule(
    db: &DatabaseConnection,
    user: &SignedInUser,
    id: i32,
) -> Result<(), AppError> {
    require_admin(user)?;
    let locale = request_locale();
    let txn = db.begin().await.map_err(unexpected)?;
    let removed = routing_rule::Entity::delete_by_id(id)
        .exec(&txn)
        .await
        .map_err(unexpected)?;
    if removed.rows_affected != 1 {
        return Err(invalid("id", td_string!(locale, err_signal_no_rule)));
    }
    audit_event(
        &txn,
        user,
        "remove_routing_rule",
        "routing_rule",
        id.to_string(),
        String::new(),
    )
    .await?;
    txn.commit().await.map_err(unexpected)?;
    Ok(())
}

/// Adds a category (`code`: lower-case letters and `_`) or, with an existing code, changes its
/// names and whether reporters can choose it.
pub async fn save_category(
    db: &DatabaseConnection,
    user: &SignedInUser,
    code: &str,
    name_nl: &str,
    name_en: &str,
    active: bool,
) -> Result<(), AppError> {
    require_admin(user)?;
    let locale = request_locale();
    let code = code.trim();
    if code.is_empty()
        || code.len() > 40
        || !code.chars().all(|c| c.is_ascii_lowercase() || c == '_')
    {
        return Err(invalid(
            "code",
            td_string!(locale, err_signal_category_code),
        ));
    }
    let (name_nl, name_en) = (name_nl.trim(), name_en.trim());
    for (field, name) in [("name_nl", name_nl), ("name_en", name_en)] {
        if name.is_empty() {
            return Err(invalid(field, td_string!(locale, err_required)));
        }
        too_long(field, name, 100)?;
    }
    let all = categories(db, false).await?;
    let txn = db.begin().await.map_err(unexpected)?;
    match all.iter().find(|c| c.code == code) {
        Some(existing) => {
            let mut row: signal_category::ActiveModel = existing.clone().into();
            row.name_nl = Set(name_nl.to_owned());
            row.name_en = Set(name_en.to_owned());
            row.active = Set(active);
            row.update(&txn).await.map_err(unexpected)?;
        }
        None => {
            signal_category::ActiveModel {
                code: Set(code.to_owned()),
                name_nl: Set(name_nl.to_owned()),
                name_en: Set(name_en.to_owned()),
                active: Set(active),
                position: Set(all.iter().map(|c| c.position).max().unwrap_or(0) + 1),
                ..Default::default()
            }
            .insert(&txn)
            .await
            .map_err(unexpected)?;
        }
    }
    audit_event(
        &txn,
        user,
        "save_signal_category",
        "signal_category",
        code.to_owned(),
        format!(
            "{name_nl} / {name_en}{}",
            if active { "" } else { " (retired)" }
        ),
    )
    .await?;
    txn.commit().await.map_err(unexpected)?;
    Ok(())
}

/// The deadline job's part for signals: the owner's coordinators are told a step is overdue
/// and the managers overseeing the owner get an escalation, each once per step and deadline.
pub async fn overdue_once(
    db: &DatabaseConnection,
    settings: &Deconfliction,
    today: NaiveDate,
) -> Result<usize, AppError> {
    let open = signal::Entity::find()
        .filter(signal::Column::State.is_in([
            SignalState::New.as_str(),
            SignalState::Assessed.as_str(),
            SignalState::Routed.as_str(),
        ]))
        .filter(signal::Column::DuplicateOf.is_null())
        .filter(signal::Column::JointVentureId.is_not_null())
        .all(db)
        .await
        .map_err(unexpected)?;
    let mut overdue = 0;
    for s in open {
        let due = deadline(&s, &settings.signals);
        let (Some((step, by)), Some(jv)) = (due, s.joint_venture_id) else {
            continue;
        };
        if !rules::overdue(due, today) {
            continue;
        }
        overdue += 1;
        let key = format!("signal:{}:{step}:{by}", s.id);
        let txn = db.begin().await.map_err(unexpected)?;
        tell(
            &txn,
            jv,
            Role::Coordinator,
            NotificationKind::SignalOverdue,
            s.id,
            &format!("{key}:overdue"),
            settings,
        )
        .await?;
        tell(
            &txn,
            jv,
            Role::Manager,
            NotificationKind::SignalEscalated,
            s.id,
            &format!("{key}:escalated"),
            settings,
        )
        .await?;
        txn.commit().await.map_err(unexpected)?;
    }
    Ok(overdue)
}

/// Days between two stored times, if both are there.
fn days_between(from: Option<&str>, to: Option<&str>) -> Option<f64> {
    let parse = |t: &str| chrono::DateTime::parse_from_rfc3339(t).ok();
    let (from, to) = (parse(from?)?, parse(to?)?);
    Some((to - from).num_seconds().max(0) as f64 / 86_400.0)
}

/// The default period: the last twelve months, this one included.
fn default_period(today: NaiveDate) -> (String, String) {
    let to = format!("{:04}-{:02}", today.year(), today.month());
    let back = today
        .with_day(1)
        .and_then(|d| d.checked_sub_months(chrono::Months::new(11)))
        .unwrap_or(today);
    (format!("{:04}-{:02}", back.year(), back.month()), to)
}

/// The joint analysis over every signal reported in the period (months `from` to `to`,
/// `2026-01`), for coordinators and managers: counts only, never a signal. Audited.
pub async fn analysis(
    db: &DatabaseConnection,
    user: &SignedInUser,
    from: &str,
    to: &str,
) -> Result<crate::signals::analysis::Analysis, AppError> {
    use crate::signals::analysis::{Fact, analyse, months};
    if !(user.roles.contains(&Role::Coordinator) || user.roles.contains(&Role::Manager)) {
        return Err(AppError::Forbidden);
    }
    let locale = request_locale();
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
            return Err(invalid(field, td_string!(locale, err_month_format)));
        }
    }
    let period = months(&from, &to);
    if period.is_empty() {
        return Err(invalid("to", td_string!(locale, err_to_before_from)));
    }
    if period.len() > 60 {
        return Err(invalid("from", td_string!(locale, err_period_too_long)));
    }
    // A day either side of the period in UTC; the months are taken in Dutch time below.
    let start = format!("{}-01", period[0]);
    let start = NaiveDate::parse_from_str(&start, "%Y-%m-%d")
        .map_err(unexpected)?
        .pred_opt()
        .unwrap_or_default();
    let end = NaiveDate::parse_from_str(&format!("{to}-01"), "%Y-%m-%d")
        .map_err(unexpected)?
        .checked_add_months(chrono::Months::new(1))
        .and_then(|d| d.succ_opt())
        .unwrap_or_default();
    let signals = signal::Entity::find()
        .filter(signal::Column::CreatedAt.gte(start.to_string()))
        .filter(signal::Column::CreatedAt.lt(end.to_string()))
        .filter(signal::Column::DuplicateOf.is_null())
        .all(db)
        .await
        .map_err(unexpected)?;
    let kinds: BTreeMap<i32, crate::domain::OrganisationKind> = organisation::Entity::find()
        .all(db)
        .await
        .map_err(unexpected)?
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
    super::csv_file::write(
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
