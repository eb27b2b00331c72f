//! Time as Liaison stores and counts it: UTC text in the database, Dutch calendar dates for deadlines.

use chrono::{DateTime, NaiveDate, Utc};

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
    at.with_timezone(&chrono_tz::Europe::Amsterdam).date_naive()
}

/// Today in the Netherlands.
pub fn today() -> NaiveDate {
    dutch_day(Utc::now())
}
