//! A year of demo history, so that the managers' overlap report, the ministry's summary and the
//! joint analysis of signals have something to show: over the four quarters before the one the
//! demo is loaded in, eighty cases of the demo's joint ventures that ran and were closed, forty
//! overlaps between them found on save, acknowledged, shared and decided (every kind of
//! decision, some by a manager's ruling, some past their deadline), and some 120 signals
//! reported by four organisations, assessed and followed up or closed without action.
//!
//! Nothing of it is open, so the work of today is what it is without the history: every step
//! lies before the current quarter; history cases are closed and have subjects of their own
//! (no value of the live demo cases), so they overlap only each other; an overlap in a joint
//! venture that has a demo coordinator is closed, so it is in no inbox; and the notifications
//! of finding them are gone. The history is planned first, as plain data from the day it is
//! loaded and a fixed seed (the same day gives the same rows), then written: cases and
//! subjects through the parser and the detection a coordinator's input goes through, the steps
//! that followed as the workflow writes them, with their past times. It writes no audit events:
//! the trail is a hash chain of what happened in this portal, and the history did not.

mod casebook;
mod episodes;
mod save;
mod signals;
mod values;

use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime};
use liaison_app::domain::working_days::{add_working_days, is_working_day};
use liaison_app::overlaps::candidates::Matching;
use liaison_app::{
    domain::Role,
    server::entity::{
        coordinator, organisation, oversight, signal_category, user_account, user_role,
    },
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait, QueryOrder,
};
use std::collections::HashMap;

/// Reporters of other organisations than the demo's reception-centre reporter, so that the
/// signals come from the border, the immigration service and the police too.
struct NewReporter {
    username: &'static str,
    display_name: &'static str,
    organisation: &'static str,
}

const REPORTERS: &[NewReporter] = &[
    NewReporter {
        username: "reporter-kmar",
        display_name: "Jeroen Bos",
        organisation: "KMar",
    },
    NewReporter {
        username: "reporter-ind",
        display_name: "Fatima Ouali",
        organisation: "IND",
    },
    NewReporter {
        username: "reporter-police",
        display_name: "Lars de Groot",
        organisation: "POL",
    },
];

/// SplitMix64 (Steele, Lea and Flood, 2014): four lines and no dependency for a stream of
/// numbers that is the same on every machine; a fixed seed makes every load alike.
struct Dice(u64);

impl Dice {
    const SEED: u64 = 0x4c69_6169_736f_6e21;

    fn seeded() -> Self {
        Dice(Self::SEED)
    }

    fn roll(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number from `low` to `high`, both included.
    fn between(&mut self, low: u32, high: u32) -> u32 {
        let span = u64::from(high.saturating_sub(low)) + 1;
        low + (self.roll() % span) as u32
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u32) -> bool {
        self.between(0, 99) < percent
    }

    /// One of `items`, which is never empty.
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        let last = items.len().saturating_sub(1) as u32;
        items[self.between(0, last) as usize]
    }
}

/// The four quarters before the one the demo is loaded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Calendar {
    /// Oldest first: first and last day.
    quarters: [(NaiveDate, NaiveDate); 4],
    /// The first day of the current quarter: the history has ended before it.
    boundary: NaiveDate,
}

impl Calendar {
    fn before(today: NaiveDate) -> Option<Calendar> {
        let boundary = NaiveDate::from_ymd_opt(today.year(), today.month0() / 3 * 3 + 1, 1)?;
        let back = |quarters: u32| boundary.checked_sub_months(Months::new(3 * quarters));
        let mut quarters = [(boundary, boundary); 4];
        for (i, quarter) in (0u32..).zip(quarters.iter_mut()) {
            *quarter = (back(4 - i)?, back(3 - i)?.pred_opt()?);
        }
        Some(Calendar { quarters, boundary })
    }

    /// The last day anything of the history happens on.
    fn last_day(&self) -> NaiveDate {
        self.boundary.pred_opt().unwrap_or(self.boundary)
    }
}

/// `n` working days after `day` (none: `day` itself).
fn after(day: NaiveDate, n: u32) -> NaiveDate {
    add_working_days(day, n)
}

/// The first working day from `day` on.
fn working(day: NaiveDate) -> NaiveDate {
    let mut day = day;
    for _ in 0..10 {
        if is_working_day(day) {
            break;
        }
        day = day.succ_opt().unwrap_or(day);
    }
    day
}

fn days(n: u32) -> Duration {
    Duration::days(i64::from(n))
}

/// The moments of one story's steps, each later than the one before, in office hours: 08:00
/// to 15:30 UTC is the same date in Amsterdam in winter and in summer, so a step's Dutch day
/// (which deadlines and quarters count in) is the day it was planned on.
#[derive(Default)]
struct Clock(Option<NaiveDateTime>);

impl Clock {
    fn at(&mut self, dice: &mut Dice, day: NaiveDate) -> NaiveDateTime {
        let office = day.and_hms_opt(8, 0, 0).unwrap_or_default()
            + Duration::minutes(i64::from(dice.between(0, 420)));
        let at = match self.0 {
            Some(last) if office <= last => {
                last + Duration::minutes(i64::from(dice.between(4, 30)))
            }
            _ => office,
        };
        self.0 = Some(at);
        at
    }
}

/// A moment as Liaison stores it.
fn stamp(at: NaiveDateTime) -> String {
    liaison_app::server::utc_text(at.and_utc())
}

/// Whether a demo account coordinates (or, as a manager, oversees) the joint venture.
fn has(role: Role, joint_venture: &str) -> bool {
    super::USERS
        .iter()
        .any(|u| u.roles.contains(&role) && u.joint_ventures.contains(&joint_venture))
}

/// A history case as planned: closed, with its subjects and operations and when each was saved.
#[derive(Debug, Clone, PartialEq)]
struct CasePlan {
    joint_venture: &'static str,
    reference: String,
    title: String,
    theme: liaison_app::domain::Theme,
    handling: liaison_app::domain::Handling,
    description: String,
    start: NaiveDate,
    end: NaiveDate,
    subjects: Vec<(NaiveDateTime, liaison_app::subjects::types::SubjectInput)>,
    operations: Vec<(NaiveDateTime, liaison_app::operations::save::ValidOperation)>,
}

/// The whole history as data, before anything is written.
#[derive(Debug, Clone, PartialEq)]
struct Plan {
    calendar: Calendar,
    /// In the order they are saved: an episode's two cases one after the other.
    cases: Vec<CasePlan>,
    stories: Vec<episodes::Story>,
    signals: Vec<signals::SignalPlan>,
}

/// The history for a demo loaded on `today`.
fn plan(today: NaiveDate) -> Option<Plan> {
    let calendar = Calendar::before(today)?;
    let mut dice = Dice::seeded();
    let (cases, stories) = episodes::plan(&calendar, &mut dice);
    let signals = signals::plan(&calendar, &cases, &mut dice);
    Some(Plan {
        calendar,
        cases,
        stories,
        signals,
    })
}

/// Writes the history of a demo loaded on `today`, in the demo's transaction.
pub(super) async fn insert(
    txn: &impl ConnectionTrait,
    password_hash: &str,
    matching: &Matching,
    today: NaiveDate,
) -> Result<(), DbErr> {
    let plan = plan(today).ok_or_else(|| DbErr::Custom(format!("no history before {today}")))?;
    let known = Known::read(txn, password_hash, &plan.calendar).await?;
    let stored = save::insert_cases(txn, matching, &known, &plan.cases, today.year()).await?;
    save::settle(txn, &known, &plan, &stored).await?;
    signals::insert(txn, &known, &plan.signals, &stored).await
}

/// The ids the history refers to by name.
struct Known {
    ventures: HashMap<String, i32>,
    /// Each joint venture's first coordinator, and the first manager overseeing it.
    coordinators: HashMap<i32, i32>,
    overseers: HashMap<i32, i32>,
    /// Reporters by user name: their id and their organisation's.
    reporters: HashMap<String, (i32, i32)>,
    categories: HashMap<String, i32>,
    /// Who entered the subjects of a joint venture without a demo coordinator (as for the demo
    /// cases).
    administrator: i32,
    /// The legal basis each joint venture's consents name: the first its coordinator's
    /// organisation (or, without a demo coordinator, its lead member) may give.
    bases: HashMap<i32, (liaison_app::domain::LegalBasis, i32)>,
}

impl Known {
    /// Reads the demo's ids, adding the reporters of the other organisations first.
    async fn read(
        txn: &impl ConnectionTrait,
        password_hash: &str,
        calendar: &Calendar,
    ) -> Result<Known, DbErr> {
        let organisations: HashMap<String, i32> = organisation::Entity::find()
            .all(txn)
            .await?
            .into_iter()
            .map(|o| (o.short_name, o.id))
            .collect();
        let created_at = stamp(
            calendar.quarters[0]
                .0
                .and_hms_opt(8, 0, 0)
                .unwrap_or_default(),
        );
        for r in REPORTERS {
            let organisation_id = *organisations
                .get(r.organisation)
                .ok_or_else(|| DbErr::Custom(format!("no demo organisation {}", r.organisation)))?;
            let saved = super::account(
                r.username,
                r.display_name,
                organisation_id,
                password_hash,
                &created_at,
            )
            .insert(txn)
            .await?;
            user_role::Entity::insert_many([user_role::ActiveModel {
                user_id: Set(saved.id),
                role: Set(Role::Reporter.as_str().to_owned()),
            }])
            .exec(txn)
            .await?;
        }
        let users: HashMap<String, (i32, i32)> = user_account::Entity::find()
            .all(txn)
            .await?
            .into_iter()
            .map(|u| (u.username, (u.id, u.organisation_id)))
            .collect();
        let mut coordinators = HashMap::new();
        for c in coordinator::Entity::find()
            .order_by_asc(coordinator::Column::UserId)
            .all(txn)
            .await?
        {
            coordinators.entry(c.joint_venture_id).or_insert(c.user_id);
        }
        let mut overseers = HashMap::new();
        for o in oversight::Entity::find()
            .order_by_asc(oversight::Column::UserId)
            .all(txn)
            .await?
        {
            overseers.entry(o.joint_venture_id).or_insert(o.user_id);
        }
        let kinds: HashMap<i32, liaison_app::domain::OrganisationKind> =
            organisation::Entity::find()
                .all(txn)
                .await?
                .into_iter()
                .map(|o| {
                    (
                        o.id,
                        o.kind
                            .parse()
                            .unwrap_or(liaison_app::domain::OrganisationKind::Other),
                    )
                })
                .collect();
        let organisation_of: HashMap<i32, i32> = users.values().copied().collect();
        let mut bases = HashMap::new();
        for m in liaison_app::server::entity::membership::Entity::find()
            .all(txn)
            .await?
        {
            let giver = match coordinators.get(&m.joint_venture_id) {
                Some(user) => organisation_of.get(user).copied(),
                None if m.role == liaison_app::domain::MembershipRole::Lead.as_str() => {
                    Some(m.organisation_id)
                }
                None => None,
            };
            if let Some((basis, org)) = giver.and_then(|org| {
                let kind = kinds.get(&org)?;
                Some((
                    *liaison_app::domain::LegalBasis::for_kind(*kind).first()?,
                    org,
                ))
            }) {
                bases.insert(m.joint_venture_id, (basis, org));
            }
        }
        let administrator = users
            .get("admin")
            .map(|(id, _)| *id)
            .ok_or_else(|| DbErr::Custom("no demo administrator".into()))?;
        Ok(Known {
            ventures: liaison_app::server::entity::joint_venture::Entity::find()
                .all(txn)
                .await?
                .into_iter()
                .map(|v| (v.name, v.id))
                .collect(),
            coordinators,
            overseers,
            reporters: users,
            categories: signal_category::Entity::find()
                .all(txn)
                .await?
                .into_iter()
                .map(|c| (c.code, c.id))
                .collect(),
            administrator,
            bases,
        })
    }

    fn venture(&self, name: &str) -> Result<i32, DbErr> {
        self.ventures
            .get(name)
            .copied()
            .ok_or_else(|| DbErr::Custom(format!("no demo joint venture {name}")))
    }

    /// A reporter's id and organisation.
    fn reporter(&self, username: &str) -> Result<(i32, i32), DbErr> {
        self.reporters
            .get(username)
            .copied()
            .ok_or_else(|| DbErr::Custom(format!("no demo reporter {username}")))
    }

    fn category(&self, code: &str) -> Result<i32, DbErr> {
        self.categories
            .get(code)
            .copied()
            .ok_or_else(|| DbErr::Custom(format!("no signal category {code}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use liaison_app::domain::{Decision, SignalOutcome};
    use std::collections::BTreeSet;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("a date")
    }

    #[test]
    fn the_history_takes_the_four_quarters_before_the_current_one() {
        let c = Calendar::before(day("2026-12-06")).expect("a calendar");
        assert_eq!(c.boundary, day("2026-10-01"));
        assert_eq!(c.quarters[0], (day("2025-10-01"), day("2025-12-31")));
        assert_eq!(c.quarters[3], (day("2026-07-01"), day("2026-09-30")));
        let c = Calendar::before(day("2027-01-01")).expect("a calendar");
        assert_eq!(c.quarters[0], (day("2026-01-01"), day("2026-03-31")));
        assert_eq!(c.last_day(), day("2026-12-31"));
    }

    #[test]
    fn the_same_day_plans_the_same_history() {
        let today = day("2026-12-06");
        assert_eq!(plan(today), plan(today));
        assert_ne!(plan(today), plan(day("2027-04-02")));
    }

    #[test]
    fn every_subject_of_the_history_reads_as_a_coordinator_would_type_it() {
        let plan = plan(day("2026-12-06")).expect("a plan");
        let mut values = BTreeSet::new();
        for case in &plan.cases {
            for (_, input) in &case.subjects {
                let valid = liaison_app::subjects::parse::parse(input, 2026)
                    .unwrap_or_else(|err| panic!("{input:?} of {}: {err:?}", case.reference));
                if valid.kind != liaison_app::domain::SubjectKind::Person {
                    values.insert((case.reference.clone(), valid.normal));
                }
            }
        }
        // Each shared value is in exactly the two cases of its episode.
        let mut cases_of: HashMap<String, usize> = HashMap::new();
        for (_, normal) in &values {
            *cases_of.entry(normal.clone()).or_default() += 1;
        }
        assert!(cases_of.values().all(|n| *n <= 2), "{cases_of:?}");
        let live: BTreeSet<String> = crate::demo::CASES
            .iter()
            .flat_map(|c| c.subjects.iter())
            .filter(|(kind, _)| *kind != "person")
            .filter_map(|(kind, fields)| {
                let mut input = liaison_app::subjects::types::SubjectInput {
                    kind: (*kind).to_owned(),
                    ..Default::default()
                };
                for (field, value) in *fields {
                    input.set(field, (*value).to_owned());
                }
                liaison_app::subjects::parse::parse(&input, 2026).ok()
            })
            .map(|v| v.normal)
            .collect();
        assert!(
            cases_of.keys().all(|normal| !live.contains(normal)),
            "no value of a live demo case"
        );
    }

    #[test]
    fn the_history_ends_before_the_current_quarter_and_covers_each_of_the_four() {
        for today in ["2026-12-06", "2026-10-01", "2027-03-31", "2027-08-15"] {
            let plan = plan(day(today)).expect("a plan");
            let c = plan.calendar;
            let quarter_of = |d: NaiveDate| c.quarters.iter().position(|(a, b)| *a <= d && d <= *b);
            let mut found = BTreeSet::new();
            for s in &plan.stories {
                found.insert(quarter_of(s.found.date()));
                let last = s
                    .closed
                    .or(s.follow_up.map(|(_, at)| at))
                    .unwrap_or(s.decided);
                assert!(last.date() < c.boundary, "{today}: {s:?}");
            }
            assert_eq!(found.len(), 4, "{today}");
            assert!(!found.contains(&None), "{today}");
            for case in &plan.cases {
                assert!(
                    case.start <= case.end && case.end < c.boundary,
                    "{}",
                    case.reference
                );
            }
            let mut months = BTreeSet::new();
            for s in &plan.signals {
                let last = s.feedback.map(|(at, _)| at).unwrap_or(s.closed);
                assert!(last.date() < c.boundary, "{today}: {s:?}");
                assert!(s.reported <= s.assessed && s.assessed <= s.closed);
                months.insert((s.reported.date().year(), s.reported.date().month()));
            }
            assert_eq!(months.len(), 12, "{today}: a signal every month");
        }
    }

    #[test]
    fn the_history_holds_every_decision_stage_and_outcome() {
        let plan = plan(day("2026-12-06")).expect("a plan");
        let decisions: BTreeSet<&str> = plan
            .stories
            .iter()
            .map(|s| s.course.decision().as_str())
            .collect();
        let all: BTreeSet<&str> = Decision::ALL.iter().map(|d| d.as_str()).collect();
        assert_eq!(decisions, all);
        use super::episodes::Course;
        assert!(
            plan.stories
                .iter()
                .any(|s| matches!(s.course, Course::Ruled(_)))
        );
        assert!(plan.stories.iter().any(|s| s.shared.is_some()));
        assert!(plan.stories.iter().any(|s| s.closed.is_some()));
        assert!(plan.stories.iter().any(|s| s.closed.is_none()));
        assert!(plan.stories.iter().any(|s| s.note.is_some()));
        assert!(plan.stories.iter().any(|s| s.follow_up.is_some()));
        // In a joint venture with a demo coordinator, every overlap is closed: none of the
        // history is in an inbox.
        for s in &plan.stories {
            let coordinated = s
                .cases
                .iter()
                .any(|c| has(Role::Coordinator, plan.cases[*c].joint_venture));
            assert!(!coordinated || s.closed.is_some(), "{s:?}");
        }
        let outcomes: BTreeSet<&str> = plan
            .signals
            .iter()
            .filter_map(|s| match s.ending {
                signals::Ending::FollowedUp { outcome, .. } => Some(outcome.as_str()),
                signals::Ending::NoAction(_) => None,
            })
            .collect();
        let all: BTreeSet<&str> = SignalOutcome::ALL.iter().map(|o| o.as_str()).collect();
        assert_eq!(outcomes, all);
        assert!(
            plan.signals
                .iter()
                .any(|s| matches!(s.ending, signals::Ending::NoAction(_)))
        );
        let reporters: BTreeSet<&str> = plan.signals.iter().map(|s| s.reporter).collect();
        assert_eq!(reporters.len(), 4);
    }
}
