//! Reading signals: the lists per role and one signal's page.

use crate::server::caller::Caller;
use crate::signals::matching::matches_for_cases;
use crate::signals::store::{
    Names, active_ventures, categories, category_name, deadline, find_for, is_reporter,
    named_cases, record, state_of, urgency_of,
};
use crate::{
    domain::SignalState, error::AppError, partnerships::types::Named, signals::rules,
    signals::types::SignalEventView, signals::types::SignalLists, signals::types::SignalRow,
    signals::types::SignalView, signals::types::Viewer,
};
use crate::{
    server::entity::case, server::entity::organisation, server::entity::region,
    server::entity::signal, server::entity::signal_event, server::entity::signal_subject,
    server::entity::user_account, server::time::amsterdam_date, server::time::today,
    settings::Settings,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use std::collections::{BTreeMap, BTreeSet};

#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn rows(
    db: &impl ConnectionTrait,
    signals: Vec<signal::Model>,
    with_owner: bool,
    settings: &Settings,
    known: &Names,
) -> Result<Vec<SignalRow>, AppError> {
    let (names, categories) = (&known.ventures, &known.categories);
    let earlier: BTreeSet<i32> = signals.iter().filter_map(|s| s.duplicate_of).collect();
    let references: BTreeMap<i32, String> = signal::Entity::find()
        .filter(signal::Column::Id.is_in(earlier))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.reference))
        .collect();
    let today = today();
    signals
        .into_iter()
        .map(|s| {
            let due = deadline(&s, &settings.signals);
            Ok(SignalRow {
                id: s.id,
                reference: s.reference.clone(),
                state: state_of(&s),
                nature: s.nature.parse()?,
                theme: s.theme.parse()?,
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
            })
        })
        .collect()
}

/// A reporter's own report as a row: its status, never the owning joint venture, the owner's
/// deadline or the earlier signal it was attached to. The earlier one may be another
/// organisation's, and a deadline missing on an attached report would tell the same.
fn as_reporter_sees(row: SignalRow) -> SignalRow {
    SignalRow {
        owner: None,
        due: None,
        overdue: false,
        attached_to: None,
        ..row
    }
}

/// The state of the signal each attached report among `signals` was attached to, by the
/// report's id: its reporter sees the follow-up go on as if it were their own report's (an
/// attached report takes no steps of its own), never which signal carries it.
#[tracing::instrument(level = "error", skip_all)]
async fn progress_of_attached(
    db: &impl ConnectionTrait,
    signals: &[signal::Model],
) -> Result<BTreeMap<i32, SignalState>, AppError> {
    let attached: BTreeMap<i32, i32> = signals
        .iter()
        .filter_map(|s| Some((s.id, s.duplicate_of?)))
        .collect();
    if attached.is_empty() {
        return Ok(BTreeMap::new());
    }
    let earlier: BTreeMap<i32, SignalState> = signal::Entity::find()
        .filter(signal::Column::Id.is_in(attached.values().copied()))
        .all(db)
        .await?
        .iter()
        .map(|e| (e.id, state_of(e)))
        .collect();
    Ok(attached
        .into_iter()
        .filter_map(|(report, to)| Some((report, *earlier.get(&to)?)))
        .collect())
}

/// Timeline steps a reporter does not read: each tells how the signal was routed, or that it
/// was attached to another report or another to it.
const NOT_FOR_REPORTERS: &[&str] = &[
    "attached",
    "report_attached",
    "routed_by_rule",
    "owner_assigned",
];

/// Open first (overdue first among them), then the newest.
pub(crate) fn ordered(mut rows: Vec<SignalRow>) -> Vec<SignalRow> {
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
#[tracing::instrument(level = "error", skip_all)]
pub async fn lists(
    db: &DatabaseConnection,
    user: &Caller,
    settings: &Settings,
) -> Result<SignalLists, AppError> {
    use crate::{access::Action, access::Object, access::may};
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
            .await?;
        let progress = progress_of_attached(db, &mine).await?;
        lists.mine = rows(db, mine, false, settings, &known)
            .await?
            .into_iter()
            .map(|row| SignalRow {
                state: progress.get(&row.id).copied().unwrap_or(row.state),
                ..as_reporter_sees(row)
            })
            .collect();
    }
    let coordinated = crate::access::coordinated(user);
    if !coordinated.is_empty() {
        lists.coordinates = true;
        let owned = find()
            .filter(signal::Column::JointVentureId.is_in(coordinated.to_vec()))
            .all(db)
            .await?;
        lists.owned = ordered(rows(db, owned, true, settings, &known).await?);
        lists.matches = matches_for_cases(db, user, &known).await?;
    }
    let overseen = crate::access::overseen(user);
    if !overseen.is_empty() {
        lists.oversees = true;
        let overseen = find()
            .filter(signal::Column::JointVentureId.is_in(overseen.to_vec()))
            .all(db)
            .await?;
        lists.overseen = ordered(rows(db, overseen, true, settings, &known).await?);
    }
    if may(user, Action::Manage, Object::SignalRouting) {
        lists.routes = true;
        let unowned = find()
            .filter(signal::Column::JointVentureId.is_null())
            .all(db)
            .await?;
        lists.unowned = rows(db, unowned, false, settings, &known).await?;
    }
    if !(lists.reports || lists.coordinates || lists.oversees || lists.routes) {
        return Err(AppError::Forbidden);
    }
    Ok(lists)
}

/// One signal as the caller may see it; audited.
#[tracing::instrument(level = "error", skip_all)]
pub async fn view(
    db: &DatabaseConnection,
    user: &Caller,
    settings: &Settings,
    id: i32,
) -> Result<SignalView, AppError> {
    let (s, viewer) = find_for(db, user, id).await?;
    let names = crate::partnerships::store::venture_names(db).await?;
    let category = categories(db, false)
        .await?
        .iter()
        .find(|c| c.id == s.category_id)
        .map(category_name)
        .unwrap_or_default();
    // The owner's coordinators read the signal in full; managers overseeing the owner read its
    // metadata, state, deadlines and outcome, never what was observed, who it was about or
    // who reported it (they never see personal data); the reporter reads their own report.
    let full = matches!(viewer, Viewer::Owner | Viewer::Overseer);
    let personal = viewer == Viewer::Owner;
    let own = viewer == Viewer::Reporter;
    let region_row = match &s.municipality {
        Some(code) => region::Entity::find_by_id(code.clone()).one(db).await?,
        None => None,
    };
    let organisation = organisation::Entity::find_by_id(s.organisation_id)
        .one(db)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let reporter = if personal && !s.anonymous {
        user_account::Entity::find_by_id(s.reported_by)
            .one(db)
            .await?
            .map(|u| format!("{} ({organisation})", u.display_name))
    } else if full {
        Some(organisation.clone())
    } else {
        None
    };
    let subjects = if personal || own {
        signal_subject::Entity::find()
            .filter(signal_subject::Column::SignalId.eq(s.id))
            .order_by_asc(signal_subject::Column::Id)
            .all(db)
            .await?
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
        .await?;
    let actors: BTreeMap<i32, String> = user_account::Entity::find()
        .filter(user_account::Column::Id.is_in(events.iter().filter_map(|e| e.actor_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let timeline = events
        .into_iter()
        // A reporter reads the steps, not who took them nor the coordinators' notes.
        .filter(|e| !(own && NOT_FOR_REPORTERS.contains(&e.step.as_str())))
        .map(|e| SignalEventView {
            at: crate::server::time::local_moment(&e.at),
            step: e.step,
            by: if full {
                e.actor_id.and_then(|a| actors.get(&a).cloned())
            } else {
                None
            },
            note: if personal { e.note } else { None },
        })
        .collect();
    let named = |x: signal::Model| Named {
        id: x.id,
        name: x.reference,
    };
    // A reporter is not told their report was attached: the earlier signal may be another
    // organisation's.
    let duplicate_of = match s.duplicate_of.filter(|_| !own) {
        Some(earlier) => signal::Entity::find_by_id(earlier)
            .one(db)
            .await?
            .map(named),
        None => None,
    };
    let attached = if full {
        signal::Entity::find()
            .filter(signal::Column::DuplicateOf.eq(s.id))
            .order_by_asc(signal::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(named)
            .collect()
    } else {
        Vec::new()
    };
    let outcome_case = match (full, s.outcome_case_id) {
        (true, Some(case_id)) => case::Entity::find_by_id(case_id)
            .one(db)
            .await?
            .map(|c| Named {
                id: c.id,
                name: c.reference,
            }),
        _ => None,
    };
    let matches = if full {
        use crate::server::entity::signal_match;
        signal_match::Entity::find()
            .filter(signal_match::Column::SignalId.eq(s.id))
            .order_by_asc(signal_match::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .filter_map(|f| {
                Some(crate::signals::types::SignalMatchView {
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
    let state = if own {
        progress_of_attached(db, std::slice::from_ref(&s))
            .await?
            .get(&s.id)
            .copied()
            .unwrap_or_else(|| state_of(&s))
    } else {
        state_of(&s)
    };
    let acts = viewer == Viewer::Owner && s.duplicate_of.is_none();
    let due = deadline(&s, &settings.signals);
    let view = SignalView {
        purged_on: s.purged_on.map(|d| d.to_string()),
        may_extend: personal && s.purged_on.is_none(),
        retention_end: s
            .retention_end
            .filter(|_| personal && !own)
            .map(|d| d.to_string()),
        viewer,
        id: s.id,
        reference: s.reference.clone(),
        version: s.version,
        state,
        nature: s.nature.parse()?,
        theme: s.theme.parse()?,
        category,
        urgency: urgency_of(&s),
        reported_on: amsterdam_date(&s.created_at).to_string(),
        region: region_row.map(|r| r.name),
        observed: (personal || own).then(|| s.observed.clone()),
        observed_on: (personal || own).then(|| s.observed_on.clone()),
        place: (personal || own).then(|| s.place.clone()),
        reporter,
        organisation: full.then_some(organisation),
        anonymous: s.anonymous,
        // Reported on behalf of a colleague, anonymously: the colleague is as hidden as the
        // reporter, from everyone but the reporter.
        on_behalf_of: if own || (personal && !s.anonymous) {
            s.on_behalf_of.clone()
        } else {
            None
        },
        subjects,
        // Reporters never learn which joint venture owns a signal; a router chooses it.
        owner: if matches!(viewer, Viewer::Router | Viewer::Reporter) {
            None
        } else {
            s.joint_venture_id.map(|jv| Named {
                id: jv,
                name: names.get(&jv).cloned().unwrap_or_default(),
            })
        },
        routed_by_rule: s.routed_by_rule && !own,
        // The owner's deadlines, not the reporter's: an attached report has none, so showing
        // them would tell its reporter it was attached.
        due: due
            .filter(|_| !own)
            .map(|(step, by)| (step.to_owned(), by.to_string())),
        overdue: !own && rules::overdue(due, today()),
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
