//! The overlap page as a guided sequence — what matched → acknowledge → share, or not →
//! decide — worked out from what the page already has: which step is the viewer's now, how
//! far each step went, how strong the match reads in words, and what a landing's `done=`
//! confirms. Pure and for both targets. It only says what to do next: the server enforces
//! the steps (`workflow::check`) and the need-to-know rules (`pointer`) whatever the page
//! shows.

use crate::domain::{OverlapState as State, OverlapStep as Step};

/// The steps of the page, in their order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Matched,
    Acknowledge,
    Share,
    Decide,
}

impl Stage {
    pub const ALL: [Stage; 4] = [
        Stage::Matched,
        Stage::Acknowledge,
        Stage::Share,
        Stage::Decide,
    ];

    /// Its number as the page shows it (1 to 4).
    pub fn number(self) -> usize {
        match self {
            Stage::Matched => 1,
            Stage::Acknowledge => 2,
            Stage::Share => 3,
            Stage::Decide => 4,
        }
    }
}

/// How far a step went, said in words on the page (never by colour alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    Done,
    /// The step to take now (`aria-current="step"`).
    Current,
    /// Comes after the current step.
    Later,
    /// Passed without being taken: sharing not chosen (it may still be), or an acknowledgement
    /// a manager's ruling made unnecessary.
    Skipped,
    /// A handling code keeps the two cases from being shared.
    NotPossible,
}

impl Progress {
    /// The class the page's stylesheet marks it with.
    pub fn class(self) -> &'static str {
        match self {
            Progress::Done => "done",
            Progress::Current => "current",
            Progress::Later => "later",
            Progress::Skipped => "skipped",
            Progress::NotPossible => "not-possible",
        }
    }
}

/// What the guide looks at, all from the viewer's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    pub state: State,
    /// The viewer's side acknowledged.
    pub acknowledged: bool,
    /// The viewer's side agreed to share.
    pub consented: bool,
    /// No handling code withholds sharing between the two cases.
    pub shareable: bool,
}

impl Facts {
    /// The step to take now; none once the overlap is decided or closed. Sharing is the step
    /// while the other side has yet to acknowledge (deciding waits for it anyway); once both
    /// have, deciding is, and sharing stays open beside it.
    pub fn current(&self) -> Option<Stage> {
        match self.state {
            State::Decided | State::Closed => None,
            _ if !self.acknowledged => Some(Stage::Acknowledge),
            State::Open if self.shareable && !self.consented => Some(Stage::Share),
            _ => Some(Stage::Decide),
        }
    }

    pub fn progress(&self, stage: Stage) -> Progress {
        let current = self.current();
        if current == Some(stage) {
            return Progress::Current;
        }
        match stage {
            Stage::Matched => Progress::Done,
            Stage::Acknowledge if self.acknowledged => Progress::Done,
            Stage::Acknowledge => Progress::Skipped,
            Stage::Share if self.consented => Progress::Done,
            Stage::Share if !self.shareable => Progress::NotPossible,
            Stage::Share if current == Some(Stage::Acknowledge) => Progress::Later,
            Stage::Share => Progress::Skipped,
            Stage::Decide if current.is_none() => Progress::Done,
            Stage::Decide => Progress::Later,
        }
    }

    /// Whether the page offers to agree to share now: after acknowledging, as the order
    /// says, and while the workflow still takes a consent (not once closed).
    pub fn offers_consent(&self) -> bool {
        self.acknowledged && self.shareable && !self.consented && self.state != State::Closed
    }
}

/// A match's strength in words. The thresholds are matching's own (`model::LIKELY` and
/// `model::POSSIBLE`): an identifier that is the same scores 1; a person's score is its match
/// probability, raised from `POSSIBLE` (0.9) and a likely match from `LIKELY` (0.99).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strength {
    /// 0.99 or more.
    Strong,
    /// Below 0.99.
    Possible,
}

/// `score::LIKELY`, which is server-only; a test keeps the two equal.
pub const STRONG_FROM: f64 = 0.99;

pub fn strength(score: f64) -> Strength {
    if score >= STRONG_FROM {
        Strength::Strong
    } else {
        Strength::Possible
    }
}

/// What a form post that landed back on the page (`?done=…`) did: the page confirms it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    Step(Step),
    Note,
    /// The consent waits for a second coordinator (four eyes).
    ApprovalRequested,
    /// A second coordinator approved, refused, or the side withdrew its request.
    Approved,
    Refused,
    RequestWithdrawn,
    /// A step the landing did not name.
    Other,
}

/// `done=` as the server functions write it: a step's code (`acknowledge`, `consent`,
/// `propose`, …), `note`, or `step`. Nothing for an empty or unknown value.
pub fn done_of(code: &str) -> Option<Done> {
    match code {
        "" => None,
        "note" => Some(Done::Note),
        "approval_requested" => Some(Done::ApprovalRequested),
        "approved" => Some(Done::Approved),
        "refused" => Some(Done::Refused),
        "request_withdrawn" => Some(Done::RequestWithdrawn),
        "step" => Some(Done::Other),
        code => code.parse::<Step>().ok().map(Done::Step),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use State::*;

    fn facts(state: State, acknowledged: bool, consented: bool, shareable: bool) -> Facts {
        Facts {
            state,
            acknowledged,
            consented,
            shareable,
        }
    }

    #[test]
    fn the_current_step_moves_from_acknowledging_through_sharing_to_deciding() {
        let mut f = facts(Open, false, false, true);
        assert_eq!(f.current(), Some(Stage::Acknowledge));
        assert_eq!(f.progress(Stage::Matched), Progress::Done);
        assert_eq!(f.progress(Stage::Share), Progress::Later);
        assert_eq!(f.progress(Stage::Decide), Progress::Later);
        assert!(!f.offers_consent(), "acknowledge first");
        f.acknowledged = true;
        assert_eq!(f.current(), Some(Stage::Share));
        assert_eq!(f.progress(Stage::Acknowledge), Progress::Done);
        assert!(f.offers_consent());
        f.consented = true;
        assert_eq!(f.current(), Some(Stage::Decide));
        assert_eq!(f.progress(Stage::Share), Progress::Done);
        f.state = Acknowledged;
        assert_eq!(f.current(), Some(Stage::Decide));
        f.state = Decided;
        assert_eq!(f.current(), None);
        for stage in Stage::ALL {
            assert_eq!(f.progress(stage), Progress::Done, "{stage:?}");
        }
    }

    #[test]
    fn sharing_is_passed_over_not_required_and_said_so_when_a_handling_code_forbids_it() {
        let both = facts(Acknowledged, true, false, true);
        assert_eq!(both.current(), Some(Stage::Decide));
        assert_eq!(both.progress(Stage::Share), Progress::Skipped);
        assert!(both.offers_consent(), "sharing stays open beside deciding");
        let withheld = facts(Open, true, false, false);
        assert_eq!(withheld.current(), Some(Stage::Decide));
        assert_eq!(withheld.progress(Stage::Share), Progress::NotPossible);
        assert!(!withheld.offers_consent());
        let closed = facts(Closed, true, false, true);
        assert!(!closed.offers_consent());
        let ruled = facts(Decided, false, false, true);
        assert_eq!(ruled.progress(Stage::Acknowledge), Progress::Skipped);
    }

    #[test]
    fn strength_and_landings_read_in_words() {
        assert_eq!(strength(1.0), Strength::Strong);
        assert_eq!(strength(0.99), Strength::Strong);
        assert_eq!(strength(0.9899), Strength::Possible);
        assert_eq!(done_of("acknowledge"), Some(Done::Step(Step::Acknowledge)));
        assert_eq!(done_of("consent"), Some(Done::Step(Step::Consent)));
        assert_eq!(done_of("approval_requested"), Some(Done::ApprovalRequested));
        assert_eq!(done_of("refused"), Some(Done::Refused));
        assert_eq!(
            done_of("withdraw_consent"),
            Some(Done::Step(Step::WithdrawConsent))
        );
        assert_eq!(done_of("note"), Some(Done::Note));
        assert_eq!(done_of("step"), Some(Done::Other));
        assert_eq!(done_of(""), None);
        assert_eq!(done_of("<script>"), None);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_strong_match_is_what_matching_calls_likely() {
        assert!((STRONG_FROM - crate::overlaps::score::LIKELY).abs() < f64::EPSILON);
    }
}
