//! The overlap's life as rules, without storage: who may take which step in which state, the
//! deadlines, and the flags. The server applies them; the tests read them as a table.

use crate::domain::{
    Decision, Flag, OverlapState as State, OverlapStep as Step, working_days::add_working_days,
};
use chrono::NaiveDate;

/// Who acts: the coordinators of side 1 or 2, or a manager overseeing either side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Side(u8),
    Manager,
}

/// What the rules look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub state: State,
    /// Whether side 1 and side 2 acknowledged.
    pub acknowledged: [bool; 2],
    /// A pending proposal and the side (1 or 2) that made it.
    pub proposal: Option<(Decision, u8)>,
}

/// Why a step is refused now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The role may never take this step.
    NotYours,
    AlreadyAcknowledged,
    /// Deciding waits until both sides acknowledged.
    NotAcknowledged,
    /// There is no proposal of the other side to agree with.
    NoProposal,
    /// Already decided (reopen first) or closed.
    Decided,
    /// Only a decided overlap can be closed.
    NotDecided,
    Closed,
}

/// Whether `actor` may take `step` now.
pub fn check(status: &Status, actor: Actor, step: Step) -> Result<(), Refusal> {
    use State::*;
    let undecided = matches!(status.state, Open | Acknowledged);
    let refuse_if_done = || match status.state {
        Decided => Err(Refusal::Decided),
        Closed => Err(Refusal::Closed),
        _ => Ok(()),
    };
    match (step, actor) {
        (Step::Acknowledge, Actor::Side(side)) => {
            refuse_if_done()?;
            if status.acknowledged[usize::from(side == 2)] {
                Err(Refusal::AlreadyAcknowledged)
            } else {
                Ok(())
            }
        }
        (Step::Propose, Actor::Side(_)) => {
            refuse_if_done()?;
            if status.state == Acknowledged {
                Ok(())
            } else {
                Err(Refusal::NotAcknowledged)
            }
        }
        (Step::Agree, Actor::Side(side)) => {
            refuse_if_done()?;
            match status.proposal {
                Some((_, by)) if by != side && status.state == Acknowledged => Ok(()),
                _ => Err(Refusal::NoProposal),
            }
        }
        // A manager rules on a stalled decision: before anything was decided.
        (Step::Rule, Actor::Manager) => refuse_if_done(),
        (Step::Reopen, _) => match status.state {
            Decided | Closed => Ok(()),
            _ => Err(Refusal::NotDecided),
        },
        (Step::Close, _) => match status.state {
            Decided => Ok(()),
            Closed => Err(Refusal::Closed),
            _ => Err(Refusal::NotDecided),
        },
        (Step::FollowUp, Actor::Manager) => {
            if status.state == Closed {
                Err(Refusal::Closed)
            } else {
                Ok(())
            }
        }
        (Step::Note, Actor::Side(_)) => Ok(()),
        (Step::Consent, Actor::Side(_)) if undecided || status.state == Decided => Ok(()),
        (Step::Consent, Actor::Side(_)) => Err(Refusal::Closed),
        _ => Err(Refusal::NotYours),
    }
}

/// The state after a step that `check` allowed.
pub fn next(status: &Status, actor: Actor, step: Step) -> State {
    match (step, actor) {
        (Step::Acknowledge, Actor::Side(side)) => {
            let mut acknowledged = status.acknowledged;
            acknowledged[usize::from(side == 2)] = true;
            if acknowledged == [true, true] {
                State::Acknowledged
            } else {
                State::Open
            }
        }
        (Step::Agree | Step::Rule, _) => State::Decided,
        (Step::Reopen, _) => {
            if status.acknowledged == [true, true] {
                State::Acknowledged
            } else {
                State::Open
            }
        }
        (Step::Close, _) => State::Closed,
        _ => status.state,
    }
}

/// Working days to acknowledge and to decide. Operational conflicts are urgent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    pub acknowledge_days: u32,
    pub urgent_acknowledge_days: u32,
    pub decide_days: u32,
}

impl Default for Deadlines {
    fn default() -> Self {
        Self {
            acknowledge_days: 5,
            urgent_acknowledge_days: 1,
            decide_days: 10,
        }
    }
}

impl Deadlines {
    /// The last day to acknowledge an overlap found on `found`.
    pub fn acknowledge_by(&self, found: NaiveDate, urgent: bool) -> NaiveDate {
        let days = if urgent {
            self.urgent_acknowledge_days
        } else {
            self.acknowledge_days
        };
        add_working_days(found, days)
    }

    /// The last day to decide, counted from when both sides acknowledged (or a reopening).
    pub fn decide_by(&self, from: NaiveDate) -> NaiveDate {
        add_working_days(from, self.decide_days)
    }
}

/// What the flags are derived from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagFacts {
    pub state: State,
    pub operation: bool,
    pub today: NaiveDate,
    pub acknowledge_by: NaiveDate,
    pub decide_by: Option<NaiveDate>,
    /// A likely match (score ≥ 0.9) on either case's primary subject.
    pub likely_on_primary: bool,
    pub same_theme: bool,
    pub both_active: bool,
}

/// The flags an overlap carries today. Derived, never typed by hand:
/// - `uncoordinated`: not acknowledged by both by the acknowledge deadline, or not decided by
///   the decide deadline;
/// - `possible duplicate effort`: a likely match on a case's primary subject, same theme, both
///   cases active, not yet decided;
/// - `operational conflict`: overlapping operations, until decided.
pub fn flags(f: &FlagFacts) -> Vec<Flag> {
    let undecided = matches!(f.state, State::Open | State::Acknowledged);
    let mut flags = Vec::new();
    let late = match f.state {
        State::Open => f.today > f.acknowledge_by,
        State::Acknowledged => f.decide_by.is_some_and(|by| f.today > by),
        _ => false,
    };
    if late {
        flags.push(Flag::Uncoordinated);
    }
    if undecided && f.likely_on_primary && f.same_theme && f.both_active && !f.operation {
        flags.push(Flag::PossibleDuplicate);
    }
    if undecided && f.operation {
        flags.push(Flag::OperationalConflict);
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;
    use Actor::*;
    use State::*;

    fn status(state: State, acknowledged: [bool; 2], proposal: Option<(Decision, u8)>) -> Status {
        Status {
            state,
            acknowledged,
            proposal,
        }
    }

    #[test]
    fn an_overlap_goes_from_open_to_closed_by_both_sides() {
        let mut s = status(Open, [false, false], None);
        assert_eq!(
            check(&s, Side(1), Step::Propose),
            Err(Refusal::NotAcknowledged)
        );
        check(&s, Side(1), Step::Acknowledge).expect("side 1 acknowledges");
        s.state = next(&s, Side(1), Step::Acknowledge);
        s.acknowledged[0] = true;
        assert_eq!(s.state, Open);
        assert_eq!(
            check(&s, Side(1), Step::Acknowledge),
            Err(Refusal::AlreadyAcknowledged)
        );
        s.state = next(&s, Side(2), Step::Acknowledge);
        s.acknowledged[1] = true;
        assert_eq!(s.state, Acknowledged);
        check(&s, Side(2), Step::Propose).expect("either side proposes");
        s.proposal = Some((Decision::JointAction, 2));
        assert_eq!(check(&s, Side(2), Step::Agree), Err(Refusal::NoProposal));
        check(&s, Side(1), Step::Agree).expect("the other side agrees");
        s.state = next(&s, Side(1), Step::Agree);
        assert_eq!(s.state, Decided);
        assert_eq!(check(&s, Side(1), Step::Propose), Err(Refusal::Decided));
        check(&s, Side(2), Step::Close).expect("closes");
        s.state = next(&s, Side(2), Step::Close);
        assert_eq!(s.state, Closed);
        assert_eq!(check(&s, Side(1), Step::Close), Err(Refusal::Closed));
        check(&s, Side(1), Step::Reopen).expect("a closed overlap reopens");
        assert_eq!(next(&s, Side(1), Step::Reopen), Acknowledged);
    }

    #[test]
    fn managers_rule_and_assign_but_do_not_acknowledge_or_agree() {
        let open = status(Open, [true, false], None);
        for step in [
            Step::Acknowledge,
            Step::Propose,
            Step::Agree,
            Step::Note,
            Step::Consent,
        ] {
            assert_eq!(
                check(&open, Manager, step),
                Err(Refusal::NotYours),
                "{step:?}"
            );
        }
        check(&open, Manager, Step::Rule).expect("a stalled overlap is ruled on");
        assert_eq!(next(&open, Manager, Step::Rule), Decided);
        check(&open, Manager, Step::FollowUp).expect("a follow-up is assigned");
        let decided = status(Decided, [true, false], None);
        assert_eq!(check(&decided, Manager, Step::Rule), Err(Refusal::Decided));
        check(&decided, Manager, Step::Reopen).expect("a manager reopens");
        assert_eq!(next(&decided, Manager, Step::Reopen), Open);
    }

    #[test]
    fn sides_never_rule_or_assign() {
        let s = status(Acknowledged, [true, true], None);
        for side in [Side(1), Side(2)] {
            assert_eq!(check(&s, side, Step::Rule), Err(Refusal::NotYours));
            assert_eq!(check(&s, side, Step::FollowUp), Err(Refusal::NotYours));
        }
        assert_eq!(check(&s, Side(1), Step::Reopen), Err(Refusal::NotDecided));
        assert_eq!(check(&s, Side(1), Step::Close), Err(Refusal::NotDecided));
    }

    fn facts(state: State, today: NaiveDate) -> FlagFacts {
        let found = NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
        FlagFacts {
            state,
            operation: false,
            today,
            acknowledge_by: Deadlines::default().acknowledge_by(found, false),
            decide_by: None,
            likely_on_primary: false,
            same_theme: false,
            both_active: true,
        }
    }

    #[test]
    fn uncoordinated_from_the_day_after_the_deadline() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 12, day).expect("date");
        // Found Monday 30 November: five working days → due Monday 7 December.
        assert!(flags(&facts(Open, d(7))).is_empty());
        assert_eq!(flags(&facts(Open, d(8))), vec![Flag::Uncoordinated]);
        let mut acknowledged = facts(Acknowledged, d(8));
        acknowledged.decide_by = Some(Deadlines::default().decide_by(d(2)));
        assert!(
            flags(&acknowledged).is_empty(),
            "the decide deadline counts now"
        );
        acknowledged.today = d(17);
        assert_eq!(flags(&acknowledged), vec![Flag::Uncoordinated]);
        assert!(flags(&facts(Decided, d(30))).is_empty());
    }

    #[test]
    fn duplicate_effort_needs_every_condition() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).expect("date");
        let mut f = facts(Open, d);
        f.likely_on_primary = true;
        f.same_theme = true;
        assert_eq!(flags(&f), vec![Flag::PossibleDuplicate]);
        for change in 0..3 {
            let mut g = f.clone();
            match change {
                0 => g.likely_on_primary = false,
                1 => g.same_theme = false,
                _ => g.both_active = false,
            }
            assert!(flags(&g).is_empty(), "condition {change}");
        }
    }

    #[test]
    fn an_operational_conflict_is_flagged_until_decided() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).expect("date");
        let mut f = facts(Acknowledged, d);
        f.operation = true;
        assert_eq!(flags(&f), vec![Flag::OperationalConflict]);
        f.state = Decided;
        assert!(flags(&f).is_empty());
    }

    #[test]
    fn urgent_overlaps_have_one_working_day() {
        let friday = NaiveDate::from_ymd_opt(2026, 12, 4).expect("date");
        let deadlines = Deadlines::default();
        assert_eq!(
            deadlines.acknowledge_by(friday, true),
            NaiveDate::from_ymd_opt(2026, 12, 7).expect("date")
        );
        assert_eq!(
            deadlines.acknowledge_by(friday, false),
            NaiveDate::from_ymd_opt(2026, 12, 11).expect("date")
        );
    }
}
