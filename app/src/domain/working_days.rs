//! Working days for deadlines: Monday to Friday, except the generally recognised public
//! holidays of the Algemene termijnenwet (art. 3: New Year's Day, Easter Monday, Whit Monday,
//! both Christmas days, Ascension Day, King's Day and 5 May, with Good Friday treated the same)
//! and the days the government equates with them by decree (bridge days).

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// Days equated with a public holiday by the *Besluit gelijkstelling* decrees (Staatscourant):
/// the day between a holiday and a weekend. Add new decrees here as they are published.
const EQUATED: &[(i32, u32, u32)] = &[
    (2023, 4, 28),
    (2023, 5, 19),
    (2024, 5, 10),
    (2024, 12, 27),
    (2025, 5, 30),
    (2026, 1, 2),
    (2026, 5, 15),
    (2027, 5, 7),
    (2028, 4, 28),
    (2028, 5, 26),
];

fn date(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

/// The public holidays of `year` that can fall on a weekday.
pub fn holidays(year: i32) -> Vec<NaiveDate> {
    let mut days = Vec::new();
    if let Ok(easter) = computus::gregorian_naive(year) {
        let from_easter = |offset: i64| easter.checked_add_signed(chrono::Duration::days(offset));
        // Good Friday, Easter Monday, Ascension Day, Whit Monday.
        days.extend([-2, 1, 39, 50].into_iter().filter_map(from_easter));
    }
    // King's Day is 27 April, or the 26th when the 27th is a Sunday.
    let kings_day = date(year, 4, 27).map(|d| {
        if d.weekday() == Weekday::Sun {
            d - Days::new(1)
        } else {
            d
        }
    });
    days.extend(kings_day);
    days.extend(
        [(1, 1), (5, 5), (12, 25), (12, 26)]
            .iter()
            .filter_map(|&(m, d)| date(year, m, d)),
    );
    days.extend(
        EQUATED
            .iter()
            .filter(|(y, ..)| *y == year)
            .filter_map(|&(y, m, d)| date(y, m, d)),
    );
    days.sort();
    days
}

pub fn is_working_day(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !holidays(day.year()).contains(&day)
}

/// The `n`-th working day after `from` (`from` itself does not count): something found on a
/// Friday with one working day to act is due on Monday, or Tuesday after Easter.
pub fn add_working_days(from: NaiveDate, n: u32) -> NaiveDate {
    let mut day = from;
    let mut left = n;
    while left > 0 {
        day = day.succ_opt().unwrap_or(day);
        if is_working_day(day) {
            left -= 1;
        }
    }
    day
}

/// Working days from `from` (exclusive) up to `to` (inclusive); 0 when `to` is not later.
pub fn working_days_between(from: NaiveDate, to: NaiveDate) -> u32 {
    from.iter_days()
        .skip(1)
        .take_while(|d| *d <= to)
        .filter(|d| is_working_day(*d))
        .count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("a date")
    }

    #[test]
    fn the_2026_holidays_are_the_published_ones() {
        assert_eq!(
            holidays(2026),
            vec![
                d(2026, 1, 1),
                d(2026, 1, 2),
                d(2026, 4, 3),
                d(2026, 4, 6),
                d(2026, 4, 27),
                d(2026, 5, 5),
                d(2026, 5, 14),
                d(2026, 5, 15),
                d(2026, 5, 25),
                d(2026, 12, 25),
                d(2026, 12, 26),
            ]
        );
    }

    #[test]
    fn kings_day_moves_to_saturday_when_it_falls_on_a_sunday() {
        // 27 April 2025 was a Sunday.
        assert!(holidays(2025).contains(&d(2025, 4, 26)));
        assert!(!holidays(2025).contains(&d(2025, 4, 27)));
    }

    #[test]
    fn weekends_are_skipped() {
        // Friday 4 December 2026 + 1 working day = Monday 7 December.
        assert_eq!(add_working_days(d(2026, 12, 4), 1), d(2026, 12, 7));
        // Monday 30 November 2026 + 5 = Monday 7 December.
        assert_eq!(add_working_days(d(2026, 11, 30), 5), d(2026, 12, 7));
        // Found on a Saturday: the Monday is the first working day.
        assert_eq!(add_working_days(d(2026, 12, 5), 1), d(2026, 12, 7));
    }

    #[test]
    fn holidays_are_skipped() {
        // Thursday 24 December 2026 + 1: Christmas is Friday, Boxing Day Saturday → Monday 28.
        assert_eq!(add_working_days(d(2026, 12, 24), 1), d(2026, 12, 28));
        // Thursday 2 April 2026 + 1: Good Friday, the weekend, Easter Monday → Tuesday 7 April.
        assert_eq!(add_working_days(d(2026, 4, 2), 1), d(2026, 4, 7));
        // Wednesday 13 May 2026 + 2: Ascension Thursday and the equated Friday → Tuesday 19.
        assert_eq!(add_working_days(d(2026, 5, 13), 2), d(2026, 5, 19));
        // New Year: Wednesday 31 December 2025 + 1 → Monday 5 January 2026 (1 and 2 January off).
        assert_eq!(add_working_days(d(2025, 12, 31), 1), d(2026, 1, 5));
    }

    #[test]
    fn counting_back_agrees_with_adding() {
        let start = d(2026, 3, 30);
        for n in 0..40 {
            let due = add_working_days(start, n);
            assert_eq!(working_days_between(start, due), n, "{n} working days");
        }
    }
}
