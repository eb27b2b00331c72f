//! The signed-in start page: what needs the caller's attention, one section per role.
//!
//! Every section is another feature's use-case, called with the caller: the coordinators'
//! overlap inbox (`overlaps::pointer::list`), the managers' oversight
//! (`overlaps::oversight::overseen`), the signal lists (`signals::view::lists`), the published
//! summary (`reports::snapshots::summary`), the takeover requests (`users::takeovers::pending`)
//! and the caller's own notifications. Their need-to-know rules decide what is shown, so the
//! start page shows nothing its pages would not; here `access` only says which sections apply,
//! and the items are picked, ordered and counted.

use crate::access::{Action, Object, may};
use crate::server::caller::Caller;
use crate::settings::Settings;
use crate::{
    domain::Flag, domain::NotificationKind, domain::OverlapState, domain::SignalState,
    domain::Urgency, error::AppError, home::types::AdminWork, home::types::CoordinatorWork,
    home::types::Due, home::types::DueStep, home::types::HeadlineFigures, home::types::ManagerWork,
    home::types::OverlapItem, home::types::ReportItem, home::types::ReporterWork,
    home::types::SignalItem, home::types::StalledItem, home::types::StartPage,
    home::types::ThemeFigures, overlaps::types::OverlapFilter, signals::types::SignalLists,
    signals::types::SignalRow,
};
use chrono::NaiveDate;
use sea_orm::DatabaseConnection;
use std::collections::BTreeSet;

/// How many items a list of the start page shows; the rest are counted, behind a link.
pub const SHOWN: usize = 8;

/// The caller's start page: a section for each role they hold, each read through the use-case
/// of the page it links to.
#[tracing::instrument(level = "error", skip_all)]
pub async fn start_page(
    db: &DatabaseConnection,
    user: &Caller,
    settings: &Settings,
) -> Result<StartPage, AppError> {
    let today = crate::server::time::today();
    let signals = signal_lists(db, user, settings).await?;
    let coordinator = if may(user, Action::Read, Object::CaseWork) {
        Some(coordinator_work(db, user, settings, &signals, today).await?)
    } else {
        None
    };
    let manager = if may(user, Action::Read, Object::Oversight) {
        Some(manager_work(db, user, settings, &signals, today).await?)
    } else {
        None
    };
    let reporter = if may(user, Action::Read, Object::SignalReport) {
        Some(reporter_work(db, user, &signals).await?)
    } else {
        None
    };
    let ministry = if may(user, Action::Read, Object::Summary) {
        Some(headline_figures(db, user, settings).await?)
    } else {
        None
    };
    let admin = if may(user, Action::Read, Object::Users) {
        Some(admin_work(db, user, &signals).await?)
    } else {
        None
    };
    Ok(StartPage {
        display_name: user.display_name.clone(),
        organisation: user.organisation.clone(),
        coordinator,
        manager,
        reporter,
        ministry,
        admin,
        auditor: may(user, Action::Read, Object::AuditTrail),
    })
}

/// The signals page's lists for the caller; none for a caller the signals page refuses (a
/// coordinator without a joint venture, say).
#[tracing::instrument(level = "error", skip_all)]
async fn signal_lists(
    db: &DatabaseConnection,
    user: &Caller,
    settings: &Settings,
) -> Result<SignalLists, AppError> {
    if !may(user, Action::Read, Object::Signals) {
        return Ok(SignalLists::default());
    }
    match crate::signals::view::lists(db, user, settings).await {
        Err(AppError::Forbidden) => Ok(SignalLists::default()),
        other => other,
    }
}

/// Open and acknowledged overlaps of the caller's joint ventures, as their inbox lists them,
/// and the signals those joint ventures own that have not ended.
#[tracing::instrument(level = "error", skip_all)]
async fn coordinator_work(
    db: &DatabaseConnection,
    user: &Caller,
    settings: &Settings,
    signals: &SignalLists,
    today: NaiveDate,
) -> Result<CoordinatorWork, AppError> {
    let rows =
        crate::overlaps::pointer::list(db, user, &settings.deadlines, &OverlapFilter::default())
            .await?;
    let mut overlaps: Vec<OverlapItem> = rows
        .into_iter()
        .filter_map(|o| {
            let state: OverlapState = o.state.parse().ok()?;
            let step = overlap_step(state)?;
            Some(OverlapItem {
                due: o.due.map(|deadline| Due { step, deadline }),
                id: o.id,
                match_kind: o.match_kind,
                my_case: o.my_case.name,
                other_joint_venture: o.other_joint_venture,
                urgent: o.urgent,
                state,
                flags: o.flags,
            })
        })
        .collect();
    overlaps.sort_by_key(|o| order(o.urgent, o.due.as_ref(), o.id));
    let mut owned: Vec<SignalItem> = signals
        .owned
        .iter()
        .filter(|r| waiting(r))
        .map(|r| signal_item(r, today))
        .collect();
    owned.sort_by_key(|s| order(urgent(s), s.due.as_ref(), s.id));
    let (overlaps, more_overlaps) = first(overlaps);
    let (signals, more_signals) = first(owned);
    Ok(CoordinatorWork {
        overlaps,
        more_overlaps,
        signals,
        more_signals,
        approvals: crate::overlaps::approval::waiting_for(db, user).await?,
    })
}

/// Overlaps of the overseen joint ventures flagged uncoordinated (a deadline passed), as the
/// managers' oversight lists them, and overseen signals past their deadline.
#[tracing::instrument(level = "error", skip_all)]
async fn manager_work(
    db: &DatabaseConnection,
    user: &Caller,
    settings: &Settings,
    signals: &SignalLists,
    today: NaiveDate,
) -> Result<ManagerWork, AppError> {
    let filter = OverlapFilter {
        flag: Flag::Uncoordinated.as_str().to_owned(),
        ..OverlapFilter::default()
    };
    let rows = crate::overlaps::oversight::overseen(db, user, settings, &filter).await?;
    let mut stalled: Vec<StalledItem> = rows
        .into_iter()
        .map(|o| StalledItem {
            due: overlap_step(o.state)
                .zip(o.due)
                .map(|(step, deadline)| Due { step, deadline }),
            sides: o
                .sides
                .iter()
                .map(|side| match &side.case {
                    Some((reference, _)) => format!("{reference} ({})", side.joint_venture),
                    None => side.joint_venture.clone(),
                })
                .collect(),
            id: o.id,
            match_kind: o.match_kind,
            urgent: o.urgent,
            state: o.state,
            flags: o.flags,
        })
        .collect();
    stalled.sort_by_key(|o| order(o.urgent, o.due.as_ref(), o.id));
    let mut overdue: Vec<SignalItem> = signals
        .overseen
        .iter()
        .filter(|r| r.overdue && waiting(r))
        .map(|r| signal_item(r, today))
        .collect();
    overdue.sort_by_key(|s| order(urgent(s), s.due.as_ref(), s.id));
    let (stalled, more_stalled) = first(stalled);
    let (overdue_signals, more_signals) = first(overdue);
    Ok(ManagerWork {
        stalled,
        more_stalled,
        overdue_signals,
        more_signals,
    })
}

/// The reporter's own signals as the signals page shows them to their reporter, those with
/// feedback they have not read yet first.
#[tracing::instrument(level = "error", skip_all)]
async fn reporter_work(
    db: &DatabaseConnection,
    user: &Caller,
    signals: &SignalLists,
) -> Result<ReporterWork, AppError> {
    // A feedback notification leads to its signal's page (`notifications::send::link`), whose
    // address names the signal.
    let unread: BTreeSet<String> = crate::notifications::inbox::list(db, user)
        .await?
        .into_iter()
        .filter(|n| n.kind == NotificationKind::SignalFeedback && !n.read)
        .map(|n| n.link)
        .collect();
    let mut mine: Vec<&SignalRow> = signals.mine.iter().collect();
    // Open first, then the newest.
    mine.sort_by_key(|r| (!open(r.state), std::cmp::Reverse(r.id)));
    let (feedback, others): (Vec<&SignalRow>, Vec<&SignalRow>) = mine
        .into_iter()
        .partition(|r| unread.contains(&format!("/signals/{}", r.id)));
    let (signals, more_signals) = first(others.into_iter().map(report_item).collect());
    Ok(ReporterWork {
        feedback: feedback.into_iter().map(report_item).collect(),
        signals,
        more_signals,
    })
}

/// The national figures of the current quarter per theme, from the published summary itself:
/// the same numbers, under the same disclosure control.
#[tracing::instrument(level = "error", skip_all)]
async fn headline_figures(
    db: &DatabaseConnection,
    user: &Caller,
    settings: &Settings,
) -> Result<HeadlineFigures, AppError> {
    let mut figures = HeadlineFigures::default();
    for (theme, current) in crate::reports::snapshots::headline(db, user, settings).await? {
        figures.themes.push(ThemeFigures {
            theme,
            cases: current.cases.table.total,
            overlaps: current.overlaps.table.total,
            conflicts: current.conflicts.table.total,
            signals: current.signals.table.total,
            followed_up_share: current.followed_up_share_national,
        });
        figures.quarter = current.quarter;
        figures.as_of = current.as_of;
        figures.complete = current.complete;
    }
    Ok(figures)
}

/// Takeover requests waiting for a second administrator, and signals waiting for an owner.
#[tracing::instrument(level = "error", skip_all)]
async fn admin_work(
    db: &DatabaseConnection,
    user: &Caller,
    signals: &SignalLists,
) -> Result<AdminWork, AppError> {
    let requests = crate::users::takeovers::pending(db, user, None).await?;
    Ok(AdminWork {
        takeovers: count(requests.len()),
        takeovers_to_decide: count(requests.iter().filter(|r| r.may_decide).count()),
        unrouted_signals: count(signals.unowned.iter().filter(|r| open(r.state)).count()),
    })
}

/// What an overlap in `state` waits for: acknowledging, then deciding.
fn overlap_step(state: OverlapState) -> Option<DueStep> {
    match state {
        OverlapState::Open => Some(DueStep::Acknowledge),
        OverlapState::Acknowledged => Some(DueStep::Decide),
        OverlapState::Decided | OverlapState::Closed => None,
    }
}

fn open(state: SignalState) -> bool {
    matches!(
        state,
        SignalState::New | SignalState::Assessed | SignalState::Routed
    )
}

/// A signal that has not ended and takes steps of its own (an attached report does not).
fn waiting(r: &SignalRow) -> bool {
    open(r.state) && r.attached_to.is_none()
}

fn urgent(s: &SignalItem) -> bool {
    s.urgency == Urgency::Urgent
}

fn signal_item(r: &SignalRow, today: NaiveDate) -> SignalItem {
    let step = match r.state {
        SignalState::New => Some(DueStep::Assess),
        SignalState::Assessed | SignalState::Routed => Some(DueStep::Decide),
        SignalState::FollowedUp | SignalState::NoAction => None,
    };
    SignalItem {
        id: r.id,
        reference: r.reference.clone(),
        state: r.state,
        urgency: r.urgency,
        category: r.category.clone(),
        theme: r.theme,
        owner: r.owner.clone(),
        due: step.and_then(|step| due(step, r.due.as_deref(), today)),
    }
}

fn report_item(r: &SignalRow) -> ReportItem {
    ReportItem {
        id: r.id,
        reference: r.reference.clone(),
        state: r.state,
        reported_on: r.reported_on.clone(),
    }
}

/// Step `step`, due on `day` (`2026-12-01`), as it stands `today`.
fn due(step: DueStep, day: Option<&str>, today: NaiveDate) -> Option<Due> {
    let day: NaiveDate = day?.parse().ok()?;
    Some(Due {
        step,
        deadline: crate::server::time::deadline(day, today),
    })
}

/// Urgent first, then the earliest deadline (none last), then the oldest.
fn order(urgent: bool, due: Option<&Due>, id: i32) -> (bool, String, i32) {
    let day = due.map_or_else(|| "9999-12-31".to_owned(), |d| d.deadline.date.clone());
    (!urgent, day, id)
}

/// The first [`SHOWN`] items, and how many more there are.
fn first<T>(mut items: Vec<T>) -> (Vec<T>, u64) {
    let more = items.len().saturating_sub(SHOWN);
    items.truncate(SHOWN);
    (items, count(more))
}

fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn an_items_deadline_is_read_from_its_day() {
        use crate::domain::dates::DueIn;
        // Friday 27 November 2026: Tuesday 1 December is two working days ahead.
        let friday = day(2026, 11, 27);
        let due_on = due(DueStep::Assess, Some("2026-12-01"), friday).expect("a deadline");
        assert_eq!(due_on.step, DueStep::Assess);
        assert_eq!(due_on.deadline.date, "2026-12-01");
        assert_eq!(due_on.deadline.due_in, DueIn::Ahead(2));
        assert_eq!(due(DueStep::Decide, None, friday), None);
        assert_eq!(due(DueStep::Decide, Some("soon"), friday), None);
    }

    #[test]
    fn urgent_items_come_first_then_the_earliest_deadline() {
        let at = |d: &str| Due {
            step: DueStep::Decide,
            deadline: crate::domain::dates::Deadline {
                date: d.into(),
                due_in: crate::domain::dates::DueIn::Today,
            },
        };
        let mut items = [
            (1, false, Some(at("2026-12-03"))),
            (2, false, None),
            (3, true, Some(at("2026-12-09"))),
            (4, false, Some(at("2026-11-20"))),
        ];
        items.sort_by_key(|(id, urgent, d)| order(*urgent, d.as_ref(), *id));
        let ids: Vec<i32> = items.iter().map(|(id, ..)| *id).collect();
        assert_eq!(ids, [3, 4, 1, 2]);
    }

    #[test]
    fn a_list_shows_the_first_few_and_counts_the_rest() {
        let (shown, more) = first((0..11).collect::<Vec<i32>>());
        assert_eq!((shown.len(), more), (SHOWN, 3));
        let (shown, more) = first(vec![1, 2]);
        assert_eq!((shown, more), (vec![1, 2], 0));
    }
}
