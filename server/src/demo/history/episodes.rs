//! The history's overlaps as planned: each episode is two cases of different joint ventures
//! that share one value (see `casebook`), saved one after the other so that detection finds
//! the overlap, and the course the overlap then took, on time or late.

use super::casebook::{CASEBOOK, CLOSINGS, CONFLICTS, Conflict, NAMESAKES, Namesake, PAIRS, Side};
use super::values::{self, Common};
use super::{Calendar, CasePlan, Clock, Dice, after, days, has, working};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use liaison_app::domain::{Decision, Handling, Role};
use liaison_app::operations::save::ValidOperation;
use std::collections::HashMap;

/// How an overlap went, up to its decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Course {
    /// Both sides acknowledged; one proposed, the other agreed.
    Agreed(Decision),
    /// As agreed, after both sides had consented to disclose their cases to each other.
    Shared(Decision),
    /// A manager overseeing a side ruled on it, the sides having let it stall.
    Ruled(Decision),
}

impl Course {
    pub(super) fn decision(self) -> Decision {
        match self {
            Course::Agreed(d) | Course::Shared(d) | Course::Ruled(d) => d,
        }
    }
}

use Course::{Agreed, Ruled, Shared};
use Decision::FalseMatch;

/// How an overlap went after it was found, as planned.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Story {
    /// The two cases (indexes into the plan's cases), in the order they were saved.
    pub(super) cases: [usize; 2],
    pub(super) course: Course,
    pub(super) found: NaiveDateTime,
    /// When each case's side acknowledged.
    pub(super) acknowledged: [Option<NaiveDateTime>; 2],
    /// The side that consented first, when, and when the other side's consent disclosed both.
    pub(super) shared: Option<(usize, NaiveDateTime, NaiveDateTime)>,
    /// A shared note: by which side and when.
    pub(super) note: Option<(usize, NaiveDateTime)>,
    /// The side that proposed the decision, and when.
    pub(super) proposed: Option<(usize, NaiveDateTime)>,
    pub(super) decided: NaiveDateTime,
    /// A follow-up the ruling manager gave a side's coordinator, and when.
    pub(super) follow_up: Option<(usize, NaiveDateTime)>,
    pub(super) closed: Option<NaiveDateTime>,
    /// Picks the wording of its reasons and notes.
    pub(super) wording: usize,
}

/// How fast the sides were.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pace {
    OnTime,
    /// One side acknowledged after the deadline; the decision came in time after that.
    SlowAcknowledgement,
    /// Decided after the decision deadline.
    SlowDecision,
}

/// What an episode is about.
#[derive(Clone, Copy)]
enum Evidence {
    Common(&'static [Common]),
    Conflict(&'static Conflict),
    Namesake(&'static Namesake),
}

/// Numbers handed out while planning: each joint venture's next case, the next value, the
/// next invented person.
#[derive(Default)]
struct Book {
    cases: HashMap<&'static str, usize>,
    values: u64,
    persons: u64,
}

impl Book {
    fn value(&mut self) -> u64 {
        self.values += 1;
        self.values
    }

    fn person(&mut self) -> u64 {
        self.persons += 1;
        self.persons
    }

    /// A new case's reference, title and description.
    fn case(&mut self, joint_venture: &'static str, start: NaiveDate) -> (String, String, String) {
        const ELSEWHERE: (&str, &[&str], &[&str]) = ("HIS", &["Onderzoek"], &["landelijk"]);
        let counter = self.cases.entry(joint_venture).or_insert(0);
        let n = *counter;
        *counter += 1;
        let (prefix, work, places) = CASEBOOK
            .iter()
            .find(|(name, ..)| *name == joint_venture)
            .map(|(_, prefix, work, places)| (*prefix, *work, *places))
            .unwrap_or(ELSEWHERE);
        let what = work[n % work.len()];
        let place = places[(n / work.len()) % places.len()];
        (
            format!("{prefix}-{}-{}", start.year(), 101 + n),
            format!("{what}, {place}"),
            format!("{what} ({place}). {}", CLOSINGS[n % CLOSINGS.len()]),
        )
    }
}

/// The working-day gaps between an episode's steps, drawn once, so that moving an episode
/// earlier changes its dates and nothing else.
struct Gaps {
    found: u32,
    acknowledge: [u32; 2],
    consent: [u32; 2],
    propose: u32,
    agree: u32,
    rule: u32,
    ruled_after_both: bool,
    follow_up: u32,
    close: u32,
    /// Calendar days: from found to the operations, from each case's start to found, from
    /// the last step to each case's end.
    operation: u32,
    opened: [u32; 2],
    ended: [u32; 2],
}

/// An episode's days.
struct Dates {
    found: NaiveDate,
    acknowledged: [Option<NaiveDate>; 2],
    shared: Option<(NaiveDate, NaiveDate)>,
    proposed: Option<NaiveDate>,
    decided: NaiveDate,
    follow_up: Option<NaiveDate>,
    closed: Option<NaiveDate>,
    operation: NaiveDate,
    last: NaiveDate,
}

/// Which sides the steps fall to.
struct Roles {
    /// The side that acknowledges when only one does before a ruling.
    only_acknowledging: usize,
    follow_up: Option<usize>,
    closes: bool,
}

fn dates(found: NaiveDate, course: Course, g: &Gaps, roles: &Roles, urgent: bool) -> Dates {
    let acknowledge = |side: usize| Some(after(found, g.acknowledge[side]));
    let (acknowledged, shared, proposed, decided) = match course {
        Agreed(_) | Shared(_) => {
            let acknowledged = [acknowledge(0), acknowledge(1)];
            let decide_from = after(found, g.acknowledge[0].max(g.acknowledge[1]));
            let shared = matches!(course, Shared(_)).then(|| {
                let first = after(decide_from, g.consent[0]);
                (first, after(first, g.consent[1]))
            });
            let proposed = after(shared.map_or(decide_from, |(_, both)| both), g.propose);
            (
                acknowledged,
                shared,
                Some(proposed),
                after(proposed, g.agree),
            )
        }
        Ruled(_) if g.ruled_after_both => {
            let decide_from = after(found, g.acknowledge[0].max(g.acknowledge[1]));
            (
                [acknowledge(0), acknowledge(1)],
                None,
                None,
                after(decide_from, g.rule),
            )
        }
        Ruled(_) => {
            let mut acknowledged = [None, None];
            acknowledged[roles.only_acknowledging] = acknowledge(roles.only_acknowledging);
            (acknowledged, None, None, after(found, g.rule))
        }
    };
    let follow_up = roles.follow_up.map(|_| after(decided, g.follow_up));
    let closed = roles
        .closes
        .then(|| after(follow_up.unwrap_or(decided), g.close));
    let operation = found + days(g.operation);
    let steps = closed.or(follow_up).unwrap_or(decided);
    Dates {
        found,
        acknowledged,
        shared,
        proposed,
        decided,
        follow_up,
        closed,
        operation,
        last: if urgent { steps.max(operation) } else { steps },
    }
}

/// The history's cases, in the order they are saved, and how each overlap went.
pub(super) fn plan(calendar: &Calendar, dice: &mut Dice) -> (Vec<CasePlan>, Vec<Story>) {
    let mut book = Book::default();
    let mut cases = Vec::new();
    let mut stories = Vec::new();
    for (quarter, (first_day, _)) in calendar.quarters.iter().enumerate() {
        let conflict = &CONFLICTS[quarter];
        let namesake = &NAMESAKES[quarter];
        let episodes = PAIRS
            .iter()
            .map(|p| {
                (
                    p.first,
                    p.second,
                    Evidence::Common(p.common),
                    p.courses[quarter],
                )
            })
            .chain([
                (
                    (conflict.first.0, conflict.first.1),
                    (conflict.second.0, conflict.second.1),
                    Evidence::Conflict(conflict),
                    conflict.course,
                ),
                (
                    namesake.first,
                    namesake.second,
                    Evidence::Namesake(namesake),
                    namesake.course,
                ),
            ]);
        for (index, (first, second, evidence, course)) in episodes.enumerate() {
            let episode = Episode {
                sides: [first, second],
                evidence,
                course,
                // Every fifth episode one side is slow to acknowledge, every fifth the decision
                // is late; rulings are always late (that is why a manager rules).
                pace: match (index + quarter) % 5 {
                    0 => Pace::SlowAcknowledgement,
                    1 => Pace::SlowDecision,
                    _ => Pace::OnTime,
                },
                // Half of the overlaps elsewhere stay decided; see `Roles::closes`.
                closes_anyway: (index + quarter).is_multiple_of(2),
            };
            let (a, b, story) = episode.plan(calendar, *first_day, dice, &mut book, cases.len());
            cases.push(a);
            cases.push(b);
            stories.push(story);
        }
    }
    (cases, stories)
}

struct Episode {
    sides: [Side; 2],
    evidence: Evidence,
    course: Course,
    pace: Pace,
    closes_anyway: bool,
}

impl Episode {
    /// The episode's two cases and its story; `next` is the index the first case will have.
    fn plan(
        &self,
        calendar: &Calendar,
        first_day: NaiveDate,
        dice: &mut Dice,
        book: &mut Book,
        next: usize,
    ) -> (CasePlan, CasePlan, Story) {
        let [(first, _), (second, _)] = self.sides;
        let urgent = matches!(self.evidence, Evidence::Conflict(_));
        let coordinated = [
            has(Role::Coordinator, first),
            has(Role::Coordinator, second),
        ];
        let overseen = has(Role::Manager, first) || has(Role::Manager, second);
        let course = match self.course {
            Ruled(d) if !overseen => Agreed(d),
            other => other,
        };
        let pace = if matches!(course, Ruled(_)) {
            Pace::OnTime
        } else {
            self.pace
        };
        // Working days to acknowledge: five, one for an operational conflict.
        let (first_on_time, second_on_time, second_late) = if urgent {
            ((0, 1), (0, 1), (2, 4))
        } else {
            ((0, 1), (1, 3), (6, 10))
        };
        let slow_decision = pace == Pace::SlowDecision;
        let ruled_after_both = dice.chance(50);
        let gaps = Gaps {
            found: dice.between(2, 80),
            acknowledge: [
                dice.between(first_on_time.0, first_on_time.1),
                if pace == Pace::SlowAcknowledgement {
                    dice.between(second_late.0, second_late.1)
                } else {
                    dice.between(second_on_time.0, second_on_time.1)
                },
            ],
            consent: [dice.between(0, 1), dice.between(0, 2)],
            // Ten working days to decide: on time within nine, late from eleven.
            propose: if slow_decision {
                dice.between(6, 9)
            } else {
                dice.between(1, 3)
            },
            agree: if slow_decision {
                dice.between(5, 8)
            } else {
                dice.between(1, 3)
            },
            // A ruling comes after the decision deadline, or after the deadline to
            // acknowledge when only one side did.
            rule: if ruled_after_both {
                dice.between(12, 16)
            } else {
                dice.between(8, 12)
            },
            ruled_after_both,
            follow_up: dice.between(0, 1),
            close: dice.between(2, 10),
            operation: dice.between(3, 10),
            opened: [dice.between(45, 200), dice.between(5, 30)],
            ended: [dice.between(5, 40), dice.between(5, 40)],
        };
        let single_coordinated = match coordinated {
            [true, false] => Some(0),
            [false, true] => Some(1),
            _ => None,
        };
        let any_coordinated = coordinated.iter().position(|c| *c);
        let roles = Roles {
            only_acknowledging: single_coordinated.unwrap_or(0),
            follow_up: if matches!(course, Ruled(_)) {
                any_coordinated
            } else {
                None
            },
            // An overlap of a joint venture with a demo coordinator is closed, so that the
            // history is in no coordinator's inbox.
            closes: any_coordinated.is_some() || self.closes_anyway,
        };
        // Moved back a week at a time until its last step lies before the current quarter.
        let mut found = working(first_day + days(gaps.found));
        let mut d = dates(found, course, &gaps, &roles, urgent);
        for _ in 0..12 {
            if d.last < calendar.last_day() {
                break;
            }
            found = working(found - Duration::days(7));
            d = dates(found, course, &gaps, &roles, urgent);
        }
        let starts = [
            d.found - days(gaps.opened[0]),
            d.found - days(gaps.opened[1]),
        ];
        let ends = [
            (d.last + days(gaps.ended[0])).min(calendar.last_day()),
            (d.last + days(gaps.ended[1])).min(calendar.last_day()),
        ];
        let mut handling = || {
            if matches!(course, Shared(_)) || dice.chance(60) {
                Handling::ShareOnConsent
            } else {
                Handling::PointerOnly
            }
        };
        let handlings = [handling(), handling()];
        let mut cases = [0usize, 1].map(|side| {
            let (joint_venture, theme) = self.sides[side];
            let (reference, title, description) = book.case(joint_venture, starts[side]);
            CasePlan {
                joint_venture,
                reference,
                title,
                theme,
                handling: handlings[side],
                description,
                start: starts[side],
                end: ends[side],
                subjects: Vec::new(),
                operations: Vec::new(),
            }
        });
        let persons = match self.evidence {
            Evidence::Namesake(n) => [
                values::typed_person(n.typed[0]),
                values::typed_person(n.typed[1]),
            ],
            _ => [values::person(book.person()), values::person(book.person())],
        };
        let extras = [
            dice.chance(30).then(|| values::single(book.value())),
            dice.chance(30).then(|| values::single(book.value())),
        ];
        let shared_value = match self.evidence {
            Evidence::Common(kinds) => Some(values::common(dice.pick(kinds), book.value())),
            _ => None,
        };
        // The first case is saved weeks before the second; the second case's item that
        // matches is saved last, on the day the overlap is found.
        let saved_on = [
            starts[0] + days(dice.between(0, 4)),
            starts[1] + days(dice.between(0, 2)),
        ];
        let namesake = matches!(self.evidence, Evidence::Namesake(_));
        let mut clock = Clock::default();
        for (side, case) in cases.iter_mut().enumerate() {
            let mut items = Vec::new();
            if !namesake {
                items.push(persons[side].clone());
            }
            if let Some(extra) = &extras[side] {
                items.push(extra.clone());
            }
            if namesake {
                items.push(persons[side].clone());
            }
            if let Some(values) = &shared_value {
                items.push(values[side].clone());
            }
            let count = items.len();
            for (i, item) in items.into_iter().enumerate() {
                let finds = side == 1 && i + 1 == count && !urgent;
                let on = if finds { d.found } else { saved_on[side] };
                case.subjects.push((clock.at(dice, on), item));
            }
            if let Evidence::Conflict(c) = self.evidence {
                let kind = if side == 0 { c.first.2 } else { c.second.2 };
                // Both teams at the same hours, the second some fifty metres from the first.
                let (hour, minutes) = if side == 0 { (6, 240) } else { (7, 150) };
                let starts_at = d.operation.and_hms_opt(hour, 0, 0).unwrap_or_default();
                let on = if side == 1 { d.found } else { saved_on[side] };
                let offset = if side == 0 { 0.0 } else { 1.0 };
                case.operations.push((
                    clock.at(dice, on),
                    ValidOperation {
                        kind,
                        place: c.place.to_owned(),
                        region_code: Some(c.municipality.to_owned()),
                        latitude: c.point.0 + 0.0004 * offset,
                        longitude: c.point.1 + 0.0003 * offset,
                        starts_at,
                        ends_at: starts_at + Duration::minutes(minutes),
                        note: String::new(),
                    },
                ));
            }
        }
        let found_at = cases[1]
            .operations
            .last()
            .map(|(at, _)| *at)
            .or_else(|| cases[1].subjects.last().map(|(at, _)| *at))
            .unwrap_or_default();
        // The steps, in the order they were taken.
        let mut acknowledged = [None, None];
        let mut order: Vec<(NaiveDate, usize)> = (0..2)
            .filter_map(|side| d.acknowledged[side].map(|day| (day, side)))
            .collect();
        order.sort();
        for (day, side) in order {
            acknowledged[side] = Some(clock.at(dice, day));
        }
        let shared = d.shared.map(|(first, both)| {
            let side = dice.between(0, 1) as usize;
            (side, clock.at(dice, first), clock.at(dice, both))
        });
        let note_side = match coordinated {
            [true, true] => Some(dice.between(0, 1) as usize),
            _ => any_coordinated,
        };
        let note = note_side
            .filter(|_| dice.chance(60))
            .map(|side| (side, clock.at(dice, d.proposed.unwrap_or(d.decided))));
        // A false match is judged by the side that agrees: one with a coordinator when only
        // one side has one.
        let proposer = match (course, single_coordinated) {
            (Agreed(FalseMatch) | Shared(FalseMatch), Some(side)) => 1 - side,
            _ => dice.between(0, 1) as usize,
        };
        let proposed = d.proposed.map(|day| (proposer, clock.at(dice, day)));
        let decided = clock.at(dice, d.decided);
        let follow_up = roles
            .follow_up
            .zip(d.follow_up)
            .map(|(side, day)| (side, clock.at(dice, day)));
        let closed = d.closed.map(|day| clock.at(dice, day));
        let story = Story {
            cases: [next, next + 1],
            course,
            found: found_at,
            acknowledged,
            shared,
            note,
            proposed,
            decided,
            follow_up,
            closed,
            wording: dice.between(0, 5) as usize,
        };
        let [a, b] = cases;
        (a, b, story)
    }
}
