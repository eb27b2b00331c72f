//! The background jobs in one list: overlap deadlines, overdue signals, queued e-mail.

use crate::error::AppError;
use crate::overlaps::deadlines::deadlines_once;
use crate::server::leases::{finish_lease, take_lease};
use crate::settings::Settings;
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

/// What one run of the deadline job did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JobReport {
    /// False when another instance holds the job's lease.
    pub ran: bool,
    pub flags_raised: usize,
    pub flags_cleared: usize,
    pub mail_sent: usize,
    /// Signals past their current step's deadline.
    pub signals_overdue: usize,
}

/// The deadline job: raises and clears the stored flags, tells both sides when a deadline is
/// near or passed, escalates an uncoordinated overlap to the managers overseeing either side,
/// and sends the queued e-mail. One instance at a time holds its lease; even without it, every
/// notification is unique per user and reason, so a second run adds nothing.
#[tracing::instrument(level = "error", skip_all)]
pub async fn run_job(
    db: &DatabaseConnection,
    settings: &Settings,
    holder: &str,
    now: DateTime<Utc>,
) -> Result<JobReport, AppError> {
    run(db, settings, holder, now, None).await
}

/// The deadline job as the instances schedule it, every `period`: the instance that ran it
/// keeps the lease until `now + period`, so that with several instances ticking at different
/// moments it runs once per period, not once per instance. A failed run hands the lease back
/// for another instance to try.
#[tracing::instrument(level = "error", skip_all)]
pub async fn run_scheduled(
    db: &DatabaseConnection,
    settings: &Settings,
    holder: &str,
    now: DateTime<Utc>,
    period: chrono::Duration,
) -> Result<JobReport, AppError> {
    run(db, settings, holder, now, Some(period)).await
}

async fn run(
    db: &DatabaseConnection,
    settings: &Settings,
    holder: &str,
    now: DateTime<Utc>,
    period: Option<chrono::Duration>,
) -> Result<JobReport, AppError> {
    const LEASE: &str = "deadlines";
    if !take_lease(db, LEASE, holder, now, 300).await? {
        return Ok(JobReport::default());
    }
    let result = async {
        let flags = deadlines_once(db, settings, now).await?;
        let today = crate::server::time::dutch_day(now);
        let signals_overdue = crate::signals::overdue::overdue_once(db, settings, today).await?;
        let mail_sent = crate::notifications::send::send_pending(db, &settings.mail).await?;
        Ok(JobReport {
            ran: true,
            flags_raised: flags.raised,
            flags_cleared: flags.cleared,
            mail_sent,
            signals_overdue,
        })
    }
    .await;
    let kept_until = period.filter(|_| result.is_ok()).map(|period| now + period);
    finish_lease(db, LEASE, holder, kept_until).await?;
    result
}
