//! Telling people: a notification per person and reason, once, and the queued e-mail.

use crate::domain::MailState;
use crate::server::caller::Caller;
use crate::server::entity::{coordinator, notification, oversight, user_account, user_role};
use crate::server::mail::Mail;
use crate::{domain::NotificationKind, domain::Role, error::AppError};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, sea_query::OnConflict,
};
use std::collections::BTreeSet;

/// The active users who hold `role` and coordinate (or, for managers, oversee) `jv`.
#[tracing::instrument(level = "error", skip_all)]
pub async fn people_of(
    db: &impl ConnectionTrait,
    jv: i32,
    role: Role,
) -> Result<BTreeSet<i32>, AppError> {
    people_of_any(db, &[jv], role).await
}

/// The active users who hold `role` and coordinate (or, for managers, oversee) any of `jvs`:
/// one query, however many joint ventures (an overlap raised tells both sides).
#[tracing::instrument(level = "error", skip_all)]
pub async fn people_of_any(
    db: &impl ConnectionTrait,
    jvs: &[i32],
    role: Role,
) -> Result<BTreeSet<i32>, AppError> {
    if jvs.is_empty() {
        return Ok(BTreeSet::new());
    }
    let members = if role == Role::Manager {
        oversight::Entity::find()
            .select_only()
            .column(oversight::Column::UserId)
            .filter(oversight::Column::JointVentureId.is_in(jvs.iter().copied()))
            .into_query()
    } else {
        coordinator::Entity::find()
            .select_only()
            .column(coordinator::Column::UserId)
            .filter(coordinator::Column::JointVentureId.is_in(jvs.iter().copied()))
            .into_query()
    };
    let with_role = user_role::Entity::find()
        .select_only()
        .column(user_role::Column::UserId)
        .filter(user_role::Column::Role.eq(role.as_str()))
        .into_query();
    Ok(user_account::Entity::find()
        .select_only()
        .column(user_account::Column::Id)
        .filter(user_account::Column::Id.in_subquery(members))
        .filter(user_account::Column::Id.in_subquery(with_role))
        .filter(user_account::Column::Active.eq(true))
        .into_tuple::<i32>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// What a notification is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum About {
    Overlap(i32),
    Signal(i32),
}

/// Tells `users` about `kind` (on an overlap or a signal), once per user and `dedupe`. With e-mail on, the
/// e-mail is queued for the job to send.
#[tracing::instrument(level = "error", skip_all)]
pub async fn notify(
    db: &impl ConnectionTrait,
    users: &BTreeSet<i32>,
    kind: NotificationKind,
    about: About,
    dedupe: &str,
    mail: &Mail,
) -> Result<(), AppError> {
    if users.is_empty() {
        return Ok(());
    }
    let now = crate::server::utc_text(chrono::Utc::now());
    let rows = users.iter().map(|&user_id| notification::ActiveModel {
        user_id: Set(user_id),
        kind: Set(kind.as_str().to_owned()),
        overlap_id: Set(match about {
            About::Overlap(id) => Some(id),
            About::Signal(_) => None,
        }),
        signal_id: Set(match about {
            About::Signal(id) => Some(id),
            About::Overlap(_) => None,
        }),
        dedupe: Set(dedupe.to_owned()),
        created_at: Set(now.clone()),
        read_at: Set(None),
        mail: Set(if mail.0.is_some() {
            MailState::Pending
        } else {
            MailState::None
        }
        .as_str()
        .to_owned()),
        ..Default::default()
    });
    notification::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([notification::Column::UserId, notification::Column::Dedupe])
                .do_nothing()
                .to_owned(),
        )
        .try_insert()
        .exec(db)
        .await?;
    Ok(())
}

/// Where a notification leads the user: the overlap as a coordinator or as a manager sees it.
pub(crate) fn link(user: &Caller, n: &notification::Model) -> String {
    if let Some(id) = n.signal_id {
        // A case's coordinators learn of the signal on their list, not on its page.
        return if n.kind == NotificationKind::SignalMatch.as_str() {
            "/signals#matches".to_owned()
        } else {
            format!("/signals/{id}")
        };
    }
    match n.overlap_id {
        Some(id) if !crate::access::coordinated(user).is_empty() => {
            format!("/overlaps/{id}")
        }
        Some(id) => format!("/oversight/overlaps/{id}"),
        None => "/notifications".to_owned(),
    }
}

/// The e-mail of one notification: what kind of thing needs attention, and a link. Nothing
/// about the case, the subjects or the other joint venture.
pub fn mail_text(kind: NotificationKind, public_url: &str) -> (String, String) {
    let (nl, en) = match kind {
        NotificationKind::NewOverlap => (
            "Er is een nieuwe overlap gevonden.",
            "A new overlap was found.",
        ),
        NotificationKind::Acknowledged => (
            "De andere kant heeft een overlap bevestigd.",
            "The other side acknowledged an overlap.",
        ),
        NotificationKind::Proposed => (
            "Er is een besluit over een overlap voorgesteld.",
            "A decision on an overlap was proposed.",
        ),
        NotificationKind::Decided => (
            "Er is over een overlap besloten.",
            "An overlap was decided.",
        ),
        NotificationKind::Reopened => ("Een overlap is heropend.", "An overlap was reopened."),
        NotificationKind::DeadlineNear => (
            "Een termijn voor een overlap loopt bijna af.",
            "A deadline on an overlap is near.",
        ),
        NotificationKind::DeadlinePassed => (
            "Een termijn voor een overlap is verstreken.",
            "A deadline on an overlap has passed.",
        ),
        NotificationKind::Escalated => (
            "Een overlap is aan u geëscaleerd.",
            "An overlap was escalated to you.",
        ),
        NotificationKind::FollowUp => (
            "U hebt een vervolgactie toegewezen gekregen.",
            "A follow-up was assigned to you.",
        ),
        NotificationKind::NewSignal => (
            "Er is een nieuw signaal voor u.",
            "There is a new signal for you.",
        ),
        NotificationKind::SignalRouted => (
            "Er is een signaal naar u gerouteerd.",
            "A signal was routed to you.",
        ),
        NotificationKind::SignalOverdue => ("Een signaal is over tijd.", "A signal is overdue."),
        NotificationKind::SignalEscalated => (
            "Een signaal dat over tijd is, is aan u geëscaleerd.",
            "An overdue signal was escalated to you.",
        ),
        NotificationKind::SignalFeedback => (
            "Er is terugkoppeling op uw signaal.",
            "There is feedback on your signal.",
        ),
        NotificationKind::SignalMatch => (
            "Een signaal noemt een onderwerp uit uw zaken.",
            "A signal names a subject of your cases.",
        ),
        NotificationKind::ApprovalRequested => (
            "Een collega vraagt uw goedkeuring om gegevens te delen.",
            "A colleague asks your approval to disclose data.",
        ),
        NotificationKind::ApprovalDecided => (
            "Er is beslist over uw verzoek om goedkeuring.",
            "Your request for approval was decided.",
        ),
        NotificationKind::DeletionRequested => (
            "De andere kant van een overlap vraagt u te verwijderen wat zij met u deelde.",
            "The other side of an overlap asks you to delete what it shared with you.",
        ),
        NotificationKind::DeletionConfirmed => (
            "De andere kant bevestigt dat wat u deelde is verwijderd.",
            "The other side confirms that what you shared was deleted.",
        ),
        NotificationKind::SignalAttached => (
            "Uw signaal is aan een eerder signaal gekoppeld.",
            "Your signal was attached to an earlier one.",
        ),
    };
    let link = format!("{public_url}/notifications");
    (
        "Liaison: iets vraagt uw aandacht / something needs your attention".to_owned(),
        format!("{nl}\n{en}\n\n{link}\n\nLiaison\n"),
    )
}

/// Sends the queued e-mail. Each notification is claimed before it is sent, so two instances
/// running this at once send it once. Returns how many were sent.
#[tracing::instrument(level = "error", skip_all)]
pub async fn send_pending(db: &DatabaseConnection, mail: &Mail) -> Result<usize, AppError> {
    use lettre::AsyncTransport;
    let Some(mailer) = mail.0.as_ref() else {
        return Ok(0);
    };
    let pending = notification::Entity::find()
        .filter(notification::Column::Mail.eq(MailState::Pending.as_str()))
        .order_by_asc(notification::Column::Id)
        .limit(500)
        .all(db)
        .await?;
    let mut sent = 0;
    for n in pending {
        let claimed = notification::Entity::update_many()
            .col_expr(
                notification::Column::Mail,
                sea_orm::sea_query::Expr::value("sending"),
            )
            .filter(notification::Column::Id.eq(n.id))
            .filter(notification::Column::Mail.eq(MailState::Pending.as_str()))
            .exec(db)
            .await?;
        if claimed.rows_affected != 1 {
            continue;
        }
        let to = user_account::Entity::find_by_id(n.user_id)
            .one(db)
            .await?
            .filter(|u| u.active)
            .and_then(|u| u.email.parse::<lettre::message::Mailbox>().ok());
        let outcome = match (to, n.kind.parse::<NotificationKind>()) {
            (Some(to), Ok(kind)) => {
                let (subject, body) = mail_text(kind, &mailer.public_url);
                let message = lettre::Message::builder()
                    .from(mailer.from.clone())
                    .to(to)
                    .subject(subject)
                    .header(lettre::message::header::ContentType::TEXT_PLAIN)
                    .body(body);
                match message {
                    Ok(message) => match mailer.transport.send(message).await {
                        Ok(_) => MailState::Sent,
                        Err(err) => {
                            tracing::warn!(error = %err, notification = n.id, "e-mail not sent");
                            MailState::Failed
                        }
                    },
                    Err(err) => {
                        tracing::warn!(error = %err, notification = n.id, "e-mail not built");
                        MailState::Failed
                    }
                }
            }
            _ => MailState::Failed,
        };
        if outcome == MailState::Sent {
            sent += 1;
        }
        notification::Entity::update_many()
            .col_expr(
                notification::Column::Mail,
                sea_orm::sea_query::Expr::value(outcome.as_str()),
            )
            .filter(notification::Column::Id.eq(n.id))
            .exec(db)
            .await?;
    }
    Ok(sent)
}
