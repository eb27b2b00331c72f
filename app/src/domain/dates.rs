//! Dates as people type them, and as pages receive them. Every date read from a form or an
//! address goes through here, so that no later date arithmetic (a calendar's four weeks, a
//! period's day of margin, a deadline) can leave chrono's range and panic on a request.

#[cfg(feature = "ssr")]
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::ops::RangeInclusive;

/// A moment as a Dutch clock showed it (CET or CEST). Moments are stored as UTC text and
/// converted on the server (`server::time::local_moment`): the time-zone rules stay out of the
/// browser's build, and the server's page and the browser's hydration write the same words
/// from it (`ui::format`).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LocalMoment {
    /// The Dutch calendar day, `2026-12-04`.
    pub date: String,
    /// The Dutch clock time, `04:30`.
    pub time: String,
}

impl LocalMoment {
    /// `2026-12-04T04:30`, for a `<time datetime>` attribute (a local date and time).
    pub fn machine(&self) -> String {
        if self.time.is_empty() {
            self.date.clone()
        } else {
            format!("{}T{}", self.date, self.time)
        }
    }
}

/// How a deadline stands on the Dutch day it is read, in working days (see
/// `server::time::deadline`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DueIn {
    Today,
    /// Working days left, at least one.
    Ahead(u32),
    /// Working days past it, at least one.
    Late(u32),
}

/// A deadline: its last day (`2026-12-07`) and how it stands today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub date: String,
    pub due_in: DueIn,
}

/// The years a typed date may have: wide enough for any date of birth, plan or retention
/// date, narrow enough that adding or subtracting centuries stays representable.
pub const YEARS: RangeInclusive<i32> = 1900..=2200;

/// `2026-11-30`, within [`YEARS`].
#[cfg(feature = "ssr")]
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .filter(|day| YEARS.contains(&day.year()))
}

/// What a `datetime-local` field sends (`2026-12-03T06:00`, seconds optional, or a space
/// for the `T`), within [`YEARS`].
#[cfg(feature = "ssr")]
pub fn parse_local_time(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim().replace(' ', "T");
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(&text, format).ok())
        .filter(|at| YEARS.contains(&at.year()))
}

/// `2026-11` as (year, month), within [`YEARS`].
pub fn parse_month(text: &str) -> Option<(i32, u32)> {
    let (year, month) = text.trim().split_once('-')?;
    if year.len() != 4 || month.len() != 2 {
        return None;
    }
    let (year, month) = (year.parse().ok()?, month.parse().ok()?);
    (YEARS.contains(&year) && (1..=12).contains(&month)).then_some((year, month))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "ssr")]
    #[test]
    fn dates_outside_the_years_are_not_dates() {
        assert!(parse_day("2026-11-30").is_some());
        assert!(parse_day(" 2026-11-30 ").is_some());
        for text in [
            "+262142-12-31",
            "-262143-01-01",
            "10000-01-01",
            "1899-12-31",
            "2201-01-01",
            "2026-02-30",
            "0000-00-00",
            "",
        ] {
            assert_eq!(parse_day(text), None, "{text}");
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn times_outside_the_years_are_not_times() {
        assert!(parse_local_time("2026-12-03T06:00").is_some());
        assert!(parse_local_time("2026-12-03 06:00:30").is_some());
        assert_eq!(parse_local_time("+262142-12-31T00:00"), None);
        assert_eq!(parse_local_time("2026-12-03T25:00"), None);
    }

    #[test]
    fn months_are_four_digit_years_and_two_digit_months() {
        assert_eq!(parse_month("2026-11"), Some((2026, 11)));
        for text in [
            "2147483647-12",
            "10000-01",
            "-5-01",
            "2026-13",
            "2026-1",
            "26-01",
            "x",
        ] {
            assert_eq!(parse_month(text), None, "{text}");
        }
    }
}
