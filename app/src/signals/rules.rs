//! A signal's life as a pure function: which step may follow which state, the deadlines of
//! each step in working days, and when a signal is overdue. No database.
//!
//! `new → assessed → routed → followed up | no action`. Assessing says the signal was read and
//! judged; routing confirms the owner (or hands it to another joint venture's coordinators);
//! the signal then ends followed up (with an outcome) or with no action (with a reason).
//! A signal still being assessed or routed may end with no action too.

use crate::{domain::SignalState, domain::Urgency, domain::working_days::add_working_days};
use chrono::NaiveDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Assess,
    Route,
    FollowUp,
    NoAction,
}

impl Step {
    pub fn parse(code: &str) -> Option<Step> {
        Some(match code {
            "assess" => Step::Assess,
            "route" => Step::Route,
            "follow_up" => Step::FollowUp,
            "no_action" => Step::NoAction,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Step::Assess => "assess",
            Step::Route => "route",
            Step::FollowUp => "follow_up",
            Step::NoAction => "no_action",
        }
    }
}

/// Whether `step` may be taken in `state`.
pub fn allowed(state: SignalState, step: Step) -> bool {
    use SignalState::*;
    matches!(
        (state, step),
        (New, Step::Assess)
            | (Assessed | Routed, Step::Route)
            | (Routed, Step::FollowUp)
            | (New | Assessed | Routed, Step::NoAction)
    )
}

/// The state after `step`.
pub fn next(step: Step) -> SignalState {
    match step {
        Step::Assess => SignalState::Assessed,
        Step::Route => SignalState::Routed,
        Step::FollowUp => SignalState::FollowedUp,
        Step::NoAction => SignalState::NoAction,
    }
}

/// The steps open in `state`, in the order a coordinator takes them.
pub fn open_steps(state: SignalState) -> Vec<Step> {
    [Step::Assess, Step::Route, Step::FollowUp, Step::NoAction]
        .into_iter()
        .filter(|s| allowed(state, *s))
        .collect()
}

/// Working days per step, by urgency (`LIAISON_SIGNAL_*` settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignalDeadlines {
    pub assess_days: u32,
    pub urgent_assess_days: u32,
    /// From the assessment to followed up or no action.
    pub decide_days: u32,
    pub urgent_decide_days: u32,
}

impl Default for SignalDeadlines {
    fn default() -> Self {
        SignalDeadlines {
            assess_days: 2,
            urgent_assess_days: 1,
            decide_days: 10,
            urgent_decide_days: 5,
        }
    }
}

impl SignalDeadlines {
    pub fn assess_by(&self, reported: NaiveDate, urgency: Urgency) -> NaiveDate {
        let days = match urgency {
            Urgency::Urgent => self.urgent_assess_days,
            Urgency::Normal => self.assess_days,
        };
        add_working_days(reported, days)
    }

    pub fn decide_by(&self, assessed: NaiveDate, urgency: Urgency) -> NaiveDate {
        let days = match urgency {
            Urgency::Urgent => self.urgent_decide_days,
            Urgency::Normal => self.decide_days,
        };
        add_working_days(assessed, days)
    }

    /// The deadline the signal is working towards now, and which step it is for: none once
    /// it has ended.
    pub fn current(
        &self,
        state: SignalState,
        urgency: Urgency,
        reported: NaiveDate,
        assessed: Option<NaiveDate>,
    ) -> Option<(&'static str, NaiveDate)> {
        match state {
            SignalState::New => Some(("assess", self.assess_by(reported, urgency))),
            SignalState::Assessed | SignalState::Routed => Some((
                "decide",
                self.decide_by(assessed.unwrap_or(reported), urgency),
            )),
            SignalState::FollowedUp | SignalState::NoAction => None,
        }
    }
}

/// Overdue: the current step's last day has passed.
pub fn overdue(deadline: Option<(&'static str, NaiveDate)>, today: NaiveDate) -> bool {
    deadline.is_some_and(|(_, by)| today > by)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn the_steps_follow_the_lifecycle_and_nothing_else() {
        use SignalState::*;
        let table = [
            (New, vec![Step::Assess, Step::NoAction]),
            (Assessed, vec![Step::Route, Step::NoAction]),
            (Routed, vec![Step::Route, Step::FollowUp, Step::NoAction]),
            (FollowedUp, vec![]),
            (NoAction, vec![]),
        ];
        for (state, steps) in table {
            assert_eq!(open_steps(state), steps, "{state:?}");
        }
        assert_eq!(next(Step::FollowUp), FollowedUp);
        for step in ["assess", "route", "follow_up", "no_action"] {
            assert_eq!(Step::parse(step).map(Step::as_str), Some(step));
        }
        assert_eq!(Step::parse("close"), None);
    }

    #[test]
    fn deadlines_count_working_days_by_urgency() {
        let d = SignalDeadlines::default();
        // Friday 27 November 2026: two working days is Tuesday 1 December.
        let friday = day(2026, 11, 27);
        assert_eq!(d.assess_by(friday, Urgency::Normal), day(2026, 12, 1));
        assert_eq!(d.assess_by(friday, Urgency::Urgent), day(2026, 11, 30));
        // Across Christmas: 24 December plus ten working days skips both Christmas days.
        assert_eq!(
            d.decide_by(day(2026, 12, 24), Urgency::Normal),
            day(2027, 1, 11)
        );
        assert_eq!(
            d.current(SignalState::New, Urgency::Normal, friday, None),
            Some(("assess", day(2026, 12, 1)))
        );
        assert_eq!(
            d.current(SignalState::FollowedUp, Urgency::Normal, friday, None),
            None
        );
        let deadline = d.current(SignalState::New, Urgency::Normal, friday, None);
        assert!(!overdue(deadline, day(2026, 12, 1)), "the last day itself");
        assert!(overdue(deadline, day(2026, 12, 2)));
        assert!(!overdue(None, day(2030, 1, 1)));
    }
}
