//! Time as Liaison stores and counts it: UTC text in the database, Dutch calendar dates for deadlines.
//! What people read is on the Dutch clock: the moments sent to pages are converted here, where
//! the time-zone rules are, so that the browser's build needs none (see `ui::format`).

use crate::domain::dates::{Deadline, DueIn, LocalMoment};
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;
use std::cmp::Ordering;

pub(crate) fn now() -> String {
    crate::server::utc_text(Utc::now())
}

/// The Dutch calendar date of a stored UTC time.
pub fn amsterdam_date(text: &str) -> NaiveDate {
    let at = DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|_| Utc::now());
    dutch_day(at)
}

/// The Dutch calendar date at a moment (deadlines count in Dutch working days).
pub fn dutch_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Amsterdam).date_naive()
}

/// Today in the Netherlands.
pub fn today() -> NaiveDate {
    dutch_day(Utc::now())
}

/// A moment on the Dutch clock.
pub fn moment_of(at: DateTime<Utc>) -> LocalMoment {
    wall_clock(at.with_timezone(&Amsterdam).naive_local())
}

/// A stored UTC time (RFC 3339) on the Dutch clock. One that does not read is logged and sent
/// as it was stored, without a clock time (the page then shows the text itself).
pub fn local_moment(text: &str) -> LocalMoment {
    match DateTime::parse_from_rfc3339(text) {
        Ok(at) => moment_of(at.with_timezone(&Utc)),
        Err(err) => {
            tracing::error!(error = %err, stored = text, "a stored time does not read");
            LocalMoment {
                date: text.to_owned(),
                time: String::new(),
            }
        }
    }
}

/// A time that is on the Dutch clock already (an operation's window, as it was planned).
pub fn wall_clock(at: NaiveDateTime) -> LocalMoment {
    LocalMoment {
        date: at.format("%Y-%m-%d").to_string(),
        time: at.format("%H:%M").to_string(),
    }
}

/// The deadline `due` as it stands on the Dutch day `today`. A deadline on a day that is no
/// working day (only a typed one can be) still counts as at least one day ahead or late.
pub fn deadline(due: NaiveDate, today: NaiveDate) -> Deadline {
    use crate::domain::working_days::working_days_between;
    let due_in = match due.cmp(&today) {
        Ordering::Equal => DueIn::Today,
        Ordering::Greater => DueIn::Ahead(working_days_between(today, due).max(1)),
        Ordering::Less => DueIn::Late(working_days_between(due, today).max(1)),
    };
    Deadline {
        date: due.to_string(),
        due_in,
    }
}

/// The stored (UTC) text of the first moment of a Dutch day, to select the stored times from
/// that day on.
pub fn dutch_day_start(day: NaiveDate) -> String {
    // Midnight exists on every Dutch day: the clocks change at two and three in the night.
    day.and_hms_opt(0, 0, 0)
        .and_then(|midnight| Amsterdam.from_local_datetime(&midnight).earliest())
        .map(|at| crate::server::utc_text(at.with_timezone(&Utc)))
        .unwrap_or_else(|| format!("{day}T00:00:00"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moment(date: &str, time: &str) -> LocalMoment {
        LocalMoment {
            date: date.into(),
            time: time.into(),
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn a_winter_time_is_an_hour_ahead_of_utc() {
        assert_eq!(
            local_moment("2026-12-04T03:30:05.166043Z"),
            moment("2026-12-04", "04:30")
        );
        // Late in the UTC evening it is the next Dutch day already.
        assert_eq!(
            local_moment("2026-12-31T23:15:00.000000Z"),
            moment("2027-01-01", "00:15")
        );
    }

    #[test]
    fn a_summer_time_is_two_hours_ahead_of_utc() {
        assert_eq!(
            local_moment("2026-07-01T22:30:00.000000Z"),
            moment("2026-07-02", "00:30")
        );
        assert_eq!(
            local_moment("2026-07-01T10:00:00+00:00"),
            moment("2026-07-01", "12:00")
        );
    }

    #[test]
    fn the_clocks_go_forward_on_the_last_sunday_of_march_at_one_utc() {
        // Sunday 29 March 2026: 02:00 CET becomes 03:00 CEST.
        assert_eq!(
            local_moment("2026-03-29T00:59:00Z"),
            moment("2026-03-29", "01:59")
        );
        assert_eq!(
            local_moment("2026-03-29T01:00:00Z"),
            moment("2026-03-29", "03:00")
        );
        // The day before is still winter time.
        assert_eq!(
            local_moment("2026-03-28T12:00:00Z"),
            moment("2026-03-28", "13:00")
        );
    }

    #[test]
    fn the_clocks_go_back_on_the_last_sunday_of_october_at_one_utc() {
        // Sunday 25 October 2026: 03:00 CEST becomes 02:00 CET, so 02:30 happens twice.
        assert_eq!(
            local_moment("2026-10-25T00:30:00Z"),
            moment("2026-10-25", "02:30")
        );
        assert_eq!(
            local_moment("2026-10-25T01:30:00Z"),
            moment("2026-10-25", "02:30")
        );
        assert_eq!(
            local_moment("2026-10-25T02:00:00Z"),
            moment("2026-10-25", "03:00")
        );
    }

    #[test]
    fn a_stored_time_that_does_not_read_is_sent_as_stored() {
        assert_eq!(local_moment("yesterday"), moment("yesterday", ""));
    }

    #[test]
    fn a_planned_time_keeps_its_clock() {
        let at = day(2027, 1, 12).and_hms_opt(6, 0, 0).expect("a time");
        assert_eq!(wall_clock(at), moment("2027-01-12", "06:00"));
    }

    #[test]
    fn a_deadline_counts_working_days_from_today() {
        // Friday 4 December 2026.
        let friday = day(2026, 12, 4);
        assert_eq!(deadline(friday, friday).due_in, DueIn::Today);
        assert_eq!(deadline(day(2026, 12, 7), friday).due_in, DueIn::Ahead(1));
        assert_eq!(deadline(day(2026, 12, 9), friday).due_in, DueIn::Ahead(3));
        assert_eq!(deadline(day(2026, 12, 2), friday).due_in, DueIn::Late(2));
        assert_eq!(deadline(day(2026, 12, 7), friday).date, "2026-12-07");
        // Christmas and the weekend are no working days.
        assert_eq!(
            deadline(day(2026, 12, 28), day(2026, 12, 24)).due_in,
            DueIn::Ahead(1)
        );
        // A deadline on a Sunday, read on the Saturday before or the Monday after.
        assert_eq!(
            deadline(day(2026, 12, 6), day(2026, 12, 5)).due_in,
            DueIn::Ahead(1)
        );
        assert_eq!(
            deadline(day(2026, 12, 6), day(2026, 12, 7)).due_in,
            DueIn::Late(1)
        );
    }

    #[test]
    fn a_dutch_day_starts_at_its_midnight_in_utc() {
        assert_eq!(
            dutch_day_start(day(2026, 12, 4)),
            "2026-12-03T23:00:00.000000Z"
        );
        assert_eq!(
            dutch_day_start(day(2026, 7, 2)),
            "2026-07-01T22:00:00.000000Z"
        );
        // The day the clocks go forward starts in winter time.
        assert_eq!(
            dutch_day_start(day(2026, 3, 29)),
            "2026-03-28T23:00:00.000000Z"
        );
    }
}
