//! How Liaison writes dates, times and numbers for people, in one place: `4 december 2026`,
//! `4 december 2026, 04:30`, `0,97`, `over 3 werkdagen`.
//!
//! Moments arrive on the Dutch clock already ([`LocalMoment`], converted on the server), and
//! calendar days as `2026-12-04`; what is left here is string work with the reader's words, so
//! the server's page and the browser's hydration come out the same. Machine values (form
//! fields, addresses, CSV files) keep their ISO forms.

use crate::domain::dates::{Deadline, DueIn, LocalMoment};
use crate::i18n::*;
use leptos::prelude::*;

/// The words a language writes dates and numbers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    /// January first.
    pub months: [&'static str; 12],
    /// Between the whole and the fraction: `,` in Dutch.
    pub decimal: &'static str,
    pub today: &'static str,
    /// Before a number of working days to go: `over`, `in`.
    pub ahead: &'static str,
    pub working_day: &'static str,
    pub working_days: &'static str,
    /// After a number of working days past: `te laat`, `late`.
    pub late: &'static str,
}

impl Words {
    pub fn of(locale: Locale) -> Words {
        Words {
            months: [
                td_string!(locale, format_month_1),
                td_string!(locale, format_month_2),
                td_string!(locale, format_month_3),
                td_string!(locale, format_month_4),
                td_string!(locale, format_month_5),
                td_string!(locale, format_month_6),
                td_string!(locale, format_month_7),
                td_string!(locale, format_month_8),
                td_string!(locale, format_month_9),
                td_string!(locale, format_month_10),
                td_string!(locale, format_month_11),
                td_string!(locale, format_month_12),
            ],
            decimal: td_string!(locale, format_decimal_separator),
            today: td_string!(locale, format_due_today),
            ahead: td_string!(locale, format_due_ahead),
            working_day: td_string!(locale, format_working_day),
            working_days: td_string!(locale, format_working_days),
            late: td_string!(locale, format_due_late),
        }
    }
}

/// The reader's words.
pub fn words(i18n: leptos_i18n::I18nContext<Locale>) -> Words {
    Words::of(i18n.get_locale())
}

/// Year, month and day of `2026-12-04`.
fn parse_date(text: &str) -> Option<(u32, usize, u32)> {
    let (year, rest) = text.split_once('-')?;
    let (month, day) = rest.split_once('-')?;
    let digits =
        |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
    if !(digits(year, 4) && digits(month, 2) && digits(day, 2)) {
        return None;
    }
    let (year, month, day): (u32, usize, u32) =
        (year.parse().ok()?, month.parse().ok()?, day.parse().ok()?);
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some((year, month, day))
}

/// `2026-12-04` as `4 december 2026`; any other text as it is.
pub fn date_in(words: &Words, text: &str) -> String {
    match parse_date(text) {
        Some((year, month, day)) => format!("{day} {} {year}", words.months[month - 1]),
        None => text.to_owned(),
    }
}

/// `2026-11` as `november 2026`; any other text as it is.
pub fn month_in(words: &Words, text: &str) -> String {
    let day = format!("{text}-01");
    match parse_date(&day).filter(|_| text.len() == 7) {
        Some((year, month, _)) => format!("{} {year}", words.months[month - 1]),
        None => text.to_owned(),
    }
}

/// `4 december 2026, 04:30`.
pub fn moment_in(words: &Words, at: &LocalMoment) -> String {
    let day = date_in(words, &at.date);
    if at.time.is_empty() {
        day
    } else {
        format!("{day}, {}", at.time)
    }
}

/// A time window: `12 januari 2027, 06:00 – 09:30`, or with both days when it passes midnight.
pub fn span_in(words: &Words, from: &LocalMoment, to: &LocalMoment) -> String {
    if from.date == to.date {
        format!("{} – {}", moment_in(words, from), to.time)
    } else {
        format!("{} – {}", moment_in(words, from), moment_in(words, to))
    }
}

/// `value` with `places` decimals and the language's separator: `0,97`.
pub fn decimal_in(words: &Words, value: f64, places: usize) -> String {
    format!("{value:.places$}").replace('.', words.decimal)
}

/// `12,5%`.
pub fn percent_in(words: &Words, value: f64, places: usize) -> String {
    format!("{}%", decimal_in(words, value, places))
}

/// `vandaag`, `over 3 werkdagen`, `2 werkdagen te laat`.
pub fn due_in(words: &Words, due: DueIn) -> String {
    let unit = |n: u32| {
        if n == 1 {
            words.working_day
        } else {
            words.working_days
        }
    };
    match due {
        DueIn::Today => words.today.to_owned(),
        DueIn::Ahead(n) => format!("{} {n} {}", words.ahead, unit(n)),
        DueIn::Late(n) => format!("{n} {} {}", unit(n), words.late),
    }
}

/// `7 december 2026 (over 1 werkdag)`.
pub fn deadline_in(words: &Words, deadline: &Deadline) -> String {
    format!(
        "{} ({})",
        date_in(words, &deadline.date),
        due_in(words, deadline.due_in)
    )
}

/// A calendar day (`2026-12-04`) in the reader's words.
pub fn date(i18n: leptos_i18n::I18nContext<Locale>, text: &str) -> String {
    date_in(&words(i18n), text)
}

/// A month (`2026-11`) in the reader's words.
pub fn month(i18n: leptos_i18n::I18nContext<Locale>, text: &str) -> String {
    month_in(&words(i18n), text)
}

/// A moment on the Dutch clock in the reader's words.
pub fn moment(i18n: leptos_i18n::I18nContext<Locale>, at: &LocalMoment) -> String {
    moment_in(&words(i18n), at)
}

/// A time window in the reader's words.
pub fn span(
    i18n: leptos_i18n::I18nContext<Locale>,
    from: &LocalMoment,
    to: &LocalMoment,
) -> String {
    span_in(&words(i18n), from, to)
}

/// A number with decimals in the reader's notation.
pub fn decimal(i18n: leptos_i18n::I18nContext<Locale>, value: f64, places: usize) -> String {
    decimal_in(&words(i18n), value, places)
}

/// A score from 0 to 1, with two decimals: `0,97`.
pub fn score(i18n: leptos_i18n::I18nContext<Locale>, value: f64) -> String {
    decimal(i18n, value, 2)
}

/// A share in percent with one decimal: `12,5%`.
pub fn percent(i18n: leptos_i18n::I18nContext<Locale>, value: f64) -> String {
    percent_in(&words(i18n), value, 1)
}

/// How a deadline stands, in words.
pub fn due(i18n: leptos_i18n::I18nContext<Locale>, due: DueIn) -> String {
    due_in(&words(i18n), due)
}

/// A deadline's day and how it stands.
pub fn deadline(i18n: leptos_i18n::I18nContext<Locale>, deadline: &Deadline) -> String {
    deadline_in(&words(i18n), deadline)
}

/// A moment as `<time>`: words for people, the Dutch clock time for machines.
#[component]
pub fn Moment(at: LocalMoment) -> impl IntoView {
    let i18n = use_i18n();
    view! { <time datetime=at.machine()>{moment(i18n, &at)}</time> }
}

/// A calendar day as `<time>`.
#[component]
pub fn Day(date: String) -> impl IntoView {
    let i18n = use_i18n();
    let text = self::date(i18n, &date);
    view! { <time datetime=date>{text}</time> }
}

/// A deadline in a table: its day as `<time>` and how it stands, each kept on one line, so
/// that `7 december 2026` never breaks inside.
#[component]
pub fn DeadlineCell(deadline: Deadline) -> impl IntoView {
    let i18n = use_i18n();
    let day = date(i18n, &deadline.date);
    let standing = format!("({})", due(i18n, deadline.due_in));
    view! { <time datetime=deadline.date>{day}</time> " " <span class="nowrap">{standing}</span> }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NL: Words = Words {
        months: [
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ],
        decimal: ",",
        today: "vandaag",
        ahead: "over",
        working_day: "werkdag",
        working_days: "werkdagen",
        late: "te laat",
    };

    const EN: Words = Words {
        months: [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        decimal: ".",
        today: "today",
        ahead: "in",
        working_day: "working day",
        working_days: "working days",
        late: "late",
    };

    fn at(date: &str, time: &str) -> LocalMoment {
        LocalMoment {
            date: date.into(),
            time: time.into(),
        }
    }

    #[test]
    fn a_day_is_written_with_the_month_in_words() {
        assert_eq!(date_in(&NL, "2026-12-04"), "4 december 2026");
        assert_eq!(date_in(&EN, "2026-12-04"), "4 December 2026");
        assert_eq!(date_in(&NL, "2027-01-01"), "1 januari 2027");
    }

    #[test]
    fn what_is_no_day_is_written_as_it_is() {
        for text in [
            "",
            "2026-13-01",
            "2026-00-10",
            "2026-12-32",
            "26-12-04",
            "2026-1-04",
            "+202-12-04",
            "2026-12-04T03:30:05Z",
            "vandaag",
        ] {
            assert_eq!(date_in(&NL, text), text);
        }
    }

    #[test]
    fn a_month_is_written_in_words() {
        assert_eq!(month_in(&NL, "2026-11"), "november 2026");
        assert_eq!(month_in(&EN, "2026-03"), "March 2026");
        assert_eq!(month_in(&NL, "2026-13"), "2026-13");
        assert_eq!(month_in(&NL, "2026-11-04"), "2026-11-04");
    }

    #[test]
    fn a_moment_is_the_day_and_the_dutch_clock_time() {
        assert_eq!(
            moment_in(&NL, &at("2026-12-04", "04:30")),
            "4 december 2026, 04:30"
        );
        assert_eq!(
            moment_in(&EN, &at("2026-12-04", "04:30")),
            "4 December 2026, 04:30"
        );
        // Sent without a clock time when the stored time did not read.
        assert_eq!(moment_in(&NL, &at("gisteren", "")), "gisteren");
    }

    #[test]
    fn a_window_names_its_day_once_unless_it_passes_midnight() {
        assert_eq!(
            span_in(&NL, &at("2027-01-12", "06:00"), &at("2027-01-12", "09:30")),
            "12 januari 2027, 06:00 – 09:30"
        );
        assert_eq!(
            span_in(&EN, &at("2027-01-12", "22:00"), &at("2027-01-13", "02:00")),
            "12 January 2027, 22:00 – 13 January 2027, 02:00"
        );
    }

    #[test]
    fn numbers_take_the_languages_decimal_separator() {
        assert_eq!(decimal_in(&NL, 0.97, 2), "0,97");
        assert_eq!(decimal_in(&EN, 0.97, 2), "0.97");
        assert_eq!(decimal_in(&NL, 1.0, 2), "1,00");
        assert_eq!(decimal_in(&NL, 0.966, 2), "0,97");
        assert_eq!(decimal_in(&NL, 3.26, 1), "3,3");
        assert_eq!(decimal_in(&NL, 12.0, 0), "12");
        assert_eq!(percent_in(&NL, 12.5, 1), "12,5%");
        assert_eq!(percent_in(&EN, 100.0, 1), "100.0%");
    }

    #[test]
    fn a_deadline_says_how_many_working_days_are_left_or_past() {
        assert_eq!(due_in(&NL, DueIn::Today), "vandaag");
        assert_eq!(due_in(&NL, DueIn::Ahead(1)), "over 1 werkdag");
        assert_eq!(due_in(&NL, DueIn::Ahead(3)), "over 3 werkdagen");
        assert_eq!(due_in(&NL, DueIn::Late(1)), "1 werkdag te laat");
        assert_eq!(due_in(&NL, DueIn::Late(2)), "2 werkdagen te laat");
        assert_eq!(due_in(&EN, DueIn::Ahead(3)), "in 3 working days");
        assert_eq!(due_in(&EN, DueIn::Late(2)), "2 working days late");
        let deadline = Deadline {
            date: "2026-12-07".into(),
            due_in: DueIn::Ahead(1),
        };
        assert_eq!(
            deadline_in(&NL, &deadline),
            "7 december 2026 (over 1 werkdag)"
        );
    }

    #[test]
    fn the_locales_hold_these_words() {
        assert_eq!(Words::of(Locale::nl), NL);
        assert_eq!(Words::of(Locale::en), EN);
    }
}
