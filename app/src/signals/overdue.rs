//! The overdue job: a signal past its step's deadline is flagged, told and escalated once per step.

use crate::signals::store::{deadline, tell};
use crate::{
    domain::NotificationKind, domain::Role, domain::SignalState, error::AppError, signals::rules,
};
use crate::{server::entity::signal, settings::Settings};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

/// The deadline job's part for signals: the owner's coordinators are told a step is overdue
/// and the managers overseeing the owner get an escalation, each once per step and deadline.
#[tracing::instrument(level = "error", skip_all)]
pub async fn overdue_once(
    db: &DatabaseConnection,
    settings: &Settings,
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
        .await?;
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
        let txn = crate::server::begin_write(db).await?;
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
        txn.commit().await?;
    }
    Ok(overdue)
}
