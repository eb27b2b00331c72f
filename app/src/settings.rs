//! Liaison's settings, from the configuration. Use-cases take them as a parameter; the server
//! also puts them into each request's context, where only the server functions read them.

use crate::overlaps::workflow::Deadlines;
use crate::server::mail::Mail;

/// The workflow's settings, put into every request's context by the server.
#[derive(Clone, Debug)]
pub struct Settings {
    pub deadlines: Deadlines,
    /// A signal's deadlines per step and urgency.
    pub signals: crate::signals::rules::SignalDeadlines,
    /// Days within which a second report of a subject is attached to the first signal.
    pub duplicate_days: u32,
    /// How often the summary job looks whether a new day's figures are due (every third of
    /// it). It no longer decides what is published: the current quarter is published once a
    /// day, counted up to the end of the day before; a quarter that ended, once and for good.
    pub summary_max_age_minutes: u32,
    pub mail: Mail,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            deadlines: Deadlines::default(),
            signals: crate::signals::rules::SignalDeadlines::default(),
            duplicate_days: 30,
            summary_max_age_minutes: 15,
            mail: Mail::default(),
        }
    }
}

pub fn settings() -> Settings {
    leptos::prelude::use_context::<Settings>().unwrap_or_default()
}
