//! Writes the planned cases as a coordinator's input is written, so that detection finds the
//! overlaps between them, and then takes each overlap through its story: the row as the
//! workflow leaves it, the timeline, the frozen disclosure, the note, the false-match memory.

use super::episodes::Course::{Agreed, Ruled, Shared};
use super::episodes::Story;
use super::{CasePlan, Clock, Dice, Known, Plan, after, stamp};
use Decision::{FalseMatch, NoConflict};
use chrono::NaiveDateTime;
use liaison_app::domain::{CaseStatus, Decision, OverlapKind, OverlapState, OverlapStep};
use liaison_app::overlaps::candidates::Matching;
use liaison_app::server::entity::{
    case, disclosure_grounds, false_match, notification, overlap, overlap_disclosure,
    overlap_event, overlap_note,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr,
    EntityTrait, QueryFilter, QueryOrder, sea_query::Expr,
};
use std::collections::HashMap;

const RULINGS: &[&str] = &[
    "De teams kwamen binnen de termijn niet tot een besluit; besloten in het programmaoverleg.",
    "Geen reactie binnen de termijn; besloten na overleg met beide officieren van justitie.",
    "Beide zaken lopen vast op dezelfde verdachten; de programmaleiding hakt de knoop door.",
];

const NOT_THE_SAME: &[&str] = &[
    "Het nummer is van een belwinkel die veel mensen gebruiken; geen verband tussen de zaken.",
    "Een andere persoon met dezelfde naam en geboortedatum; vastgesteld aan de hand van foto's.",
    "Het adres is een postadres van een administratiekantoor; geen verband.",
];

const FOLLOW_UPS: &[&str] = &[
    "Stem de planning van de acties af en meld het resultaat in het programmaoverleg.",
    "Deel de bevindingen met de officier van justitie van beide zaken.",
];

const NOTES: &[(&str, &str)] = &[
    (
        "Afstemming gepland",
        "Overleg met de andere partij op maandag; wij brengen de tijdlijn van onze zaak mee.",
    ),
    (
        "Aanspreekpunt",
        "Onze rechercheur is het aanspreekpunt voor deze overlap, bereikbaar via de meldkamer.",
    ),
    (
        "Stand van zaken",
        "Ons onderzoek loopt nog twee weken; daarna kunnen we over een taakverdeling beslissen.",
    ),
];

/// The history cases as saved, and the texts of their items for a disclosure's frozen copy.
pub(super) struct Stored {
    pub(super) cases: Vec<case::Model>,
    subjects: HashMap<i32, String>,
    operations: HashMap<i32, String>,
}

/// Saves the cases, their subjects and operations as a coordinator's input is saved: parsed,
/// keyed and matched, so that detection finds the overlaps.
pub(super) async fn insert_cases(
    txn: &impl ConnectionTrait,
    matching: &Matching,
    known: &Known,
    plans: &[CasePlan],
    this_year: i32,
) -> Result<Stored, DbErr> {
    let mut stored = Stored {
        cases: Vec::with_capacity(plans.len()),
        subjects: HashMap::new(),
        operations: HashMap::new(),
    };
    for plan in plans {
        let joint_venture = known.venture(plan.joint_venture)?;
        let author = known
            .coordinators
            .get(&joint_venture)
            .copied()
            .unwrap_or(known.administrator);
        let saved = case::ActiveModel {
            joint_venture_id: Set(joint_venture),
            reference: Set(plan.reference.clone()),
            title: Set(plan.title.clone()),
            theme: Set(plan.theme.as_str().to_owned()),
            status: Set(CaseStatus::Closed.as_str().to_owned()),
            start_date: Set(plan.start),
            end_date: Set(Some(plan.end)),
            handling: Set(plan.handling.as_str().to_owned()),
            description: Set(plan.description.clone()),
            version: Set(1),
            updated_at: Set(stamp(plan.end.and_hms_opt(15, 0, 0).unwrap_or_default())),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        let mut primary = None;
        for (at, input) in &plan.subjects {
            let valid = liaison_app::subjects::parse::parse(input, this_year).map_err(|err| {
                DbErr::Custom(format!("history subject of {}: {err:?}", plan.reference))
            })?;
            let subject =
                liaison_app::subjects::save::new_row(valid, saved.id, author, &stamp(*at))
                    .insert(txn)
                    .await?;
            liaison_app::overlaps::detect::on_subject_saved(txn, matching, &subject, joint_venture)
                .await
                .map_err(|err| DbErr::Custom(err.to_string()))?;
            stored.subjects.insert(subject.id, subject.summary.clone());
            primary = primary.or(Some(subject.id));
        }
        for (at, operation) in &plan.operations {
            let op = liaison_app::operations::save::new_row(
                operation.clone(),
                saved.id,
                author,
                &stamp(*at),
            )
            .insert(txn)
            .await?;
            liaison_app::overlaps::conflicts::on_operation_saved(txn, matching, &op, joint_venture)
                .await
                .map_err(|err| DbErr::Custom(err.to_string()))?;
            stored.operations.insert(
                op.id,
                format!(
                    "{} {}, {} – {}",
                    op.kind,
                    op.place,
                    op.starts_at.format("%Y-%m-%d %H:%M"),
                    op.ends_at.format("%H:%M")
                ),
            );
        }
        let mut with_primary: case::ActiveModel = saved.into();
        with_primary.primary_subject_id = Set(primary);
        stored.cases.push(with_primary.update(txn).await?);
    }
    Ok(stored)
}

/// Takes every overlap detection found between history cases through the course its story
/// planned, with the steps' past times. The notifications of their finding are removed: they
/// were news a year ago.
pub(super) async fn settle(
    txn: &impl ConnectionTrait,
    known: &Known,
    plan: &Plan,
    stored: &Stored,
) -> Result<(), DbErr> {
    let ids: Vec<i32> = stored.cases.iter().map(|c| c.id).collect();
    let index: HashMap<i32, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let stories: HashMap<[usize; 2], &Story> = plan.stories.iter().map(|s| (s.cases, s)).collect();
    let found = overlap::Entity::find()
        .filter(
            Condition::any()
                .add(overlap::Column::FirstCaseId.is_in(ids.clone()))
                .add(overlap::Column::SecondCaseId.is_in(ids)),
        )
        .order_by_asc(overlap::Column::Id)
        .all(txn)
        .await?;
    if found.is_empty() {
        return Ok(());
    }
    notification::Entity::delete_many()
        .filter(notification::Column::OverlapId.is_in(found.iter().map(|o| o.id)))
        .exec(txn)
        .await?;
    let mut events = Vec::new();
    for o in &found {
        let (first, second) = (
            index.get(&o.first_case_id).copied(),
            index.get(&o.second_case_id).copied(),
        );
        let planned = match (first, second) {
            (Some(a), Some(b)) => stories
                .get(&[a, b])
                .map(|s| (*s, true))
                .or_else(|| stories.get(&[b, a]).map(|s| (*s, false))),
            _ => None,
        };
        let (story, story_first) = match planned {
            Some((story, first_is_story_first)) => (story.clone(), first_is_story_first),
            None => (unplanned(plan, [first, second]), true),
        };
        events.extend(settle_one(txn, known, stored, o, &story, story_first).await?);
    }
    for chunk in events.chunks(200) {
        overlap_event::Entity::insert_many(chunk.iter().cloned())
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// An overlap no episode planned (a likeness the plan did not mean): agreed as no conflict
/// soon after it was found, and closed, so that it is not left open.
fn unplanned(plan: &Plan, cases: [Option<usize>; 2]) -> Story {
    let saved = cases
        .iter()
        .flatten()
        .filter_map(|i| plan.cases.get(*i))
        .flat_map(|c| {
            c.subjects
                .iter()
                .map(|(at, _)| *at)
                .chain(c.operations.iter().map(|(at, _)| *at))
        })
        .max()
        .unwrap_or_default();
    let last_day = plan.calendar.last_day();
    let on = |n: u32| after(saved.date(), n).min(last_day);
    let mut dice = Dice::seeded();
    let mut clock = Clock(Some(saved));
    let acknowledged = [
        Some(clock.at(&mut dice, on(1))),
        Some(clock.at(&mut dice, on(1))),
    ];
    let proposed = Some((0, clock.at(&mut dice, on(2))));
    let decided = clock.at(&mut dice, on(3));
    let closed = Some(clock.at(&mut dice, on(5)));
    Story {
        cases: [cases[0].unwrap_or(0), cases[1].unwrap_or(0)],
        course: Agreed(NoConflict),
        found: saved,
        acknowledged,
        shared: None,
        note: None,
        proposed,
        decided,
        follow_up: None,
        closed,
        wording: 0,
    }
}

/// Writes one overlap's course: its row as the workflow leaves it, its frozen disclosure, its
/// note and its false-match memory; moves the event of its finding to when it was found, and
/// returns the events of the steps that followed, in the order they were taken.
async fn settle_one(
    txn: &impl ConnectionTrait,
    known: &Known,
    stored: &Stored,
    o: &overlap::Model,
    story: &Story,
    story_first: bool,
) -> Result<Vec<overlap_event::ActiveModel>, DbErr> {
    // The overlap's side (1 or 2) of a story's side (0: the case saved first).
    let side = |s: usize| -> i32 { if (s == 0) == story_first { 1 } else { 2 } };
    let coordinator = |n: i32| {
        let joint_venture = if n == 1 {
            o.first_joint_venture_id
        } else {
            o.second_joint_venture_id
        };
        known.coordinators.get(&joint_venture).copied()
    };
    let overseer = known
        .overseers
        .get(&o.first_joint_venture_id)
        .or_else(|| known.overseers.get(&o.second_joint_venture_id))
        .copied();
    let event = |at: NaiveDateTime,
                 actor: Option<i32>,
                 side: i32,
                 step: OverlapStep,
                 decision: Option<Decision>,
                 reason: Option<String>| overlap_event::ActiveModel {
        overlap_id: Set(o.id),
        at: Set(stamp(at)),
        actor_id: Set(actor),
        side: Set(side),
        step: Set(step.as_str().to_owned()),
        decision: Set(decision.map(|d| d.as_str().to_owned())),
        reason: Set(reason),
        ..Default::default()
    };
    let mut events = Vec::new();
    let mut row: overlap::ActiveModel = o.clone().into();
    let mut version = o.version;
    row.created_at = Set(stamp(story.found));
    let mut acknowledgements: Vec<(NaiveDateTime, usize)> = (0..2)
        .filter_map(|s| story.acknowledged[s].map(|at| (at, s)))
        .collect();
    acknowledgements.sort();
    for (at, s) in &acknowledgements {
        let n = side(*s);
        let by = coordinator(n);
        if n == 1 {
            row.first_acknowledged_at = Set(Some(stamp(*at)));
            row.first_acknowledged_by = Set(by);
        } else {
            row.second_acknowledged_at = Set(Some(stamp(*at)));
            row.second_acknowledged_by = Set(by);
        }
        events.push(event(*at, by, n, OverlapStep::Acknowledge, None, None));
        version += 1;
    }
    if acknowledgements.len() == 2 {
        row.decide_from = Set(acknowledgements.last().map(|(at, _)| stamp(*at)));
    }
    if let Some((s, first, both)) = story.shared {
        let (n, other) = (side(s), side(1 - s));
        events.push(event(
            first,
            coordinator(n),
            n,
            OverlapStep::Consent,
            None,
            None,
        ));
        events.push(event(
            both,
            coordinator(other),
            other,
            OverlapStep::Disclose,
            None,
            None,
        ));
        row.first_consents = Set(true);
        row.second_consents = Set(true);
        row.disclosed_at = Set(Some(stamp(both)));
        freeze(txn, stored, o).await?;
        // Each side's stated grounds, as a coordinator gives them with a consent.
        for (n, at) in [(side(s), first), (side(1 - s), both)] {
            let jv = if n == 1 {
                o.first_joint_venture_id
            } else {
                o.second_joint_venture_id
            };
            let Some((basis, organisation)) = known.bases.get(&jv) else {
                continue;
            };
            let purpose = PURPOSES[(story.wording + n as usize) % PURPOSES.len()];
            disclosure_grounds::Entity::insert(disclosure_grounds::ActiveModel {
                overlap_id: Set(o.id),
                side: Set(n),
                purpose: Set(purpose.as_str().to_owned()),
                purpose_note: Set(String::new()),
                legal_basis: Set(basis.as_str().to_owned()),
                given_by: Set(coordinator(n)),
                given_at: Set(stamp(at)),
                approved_by: Set(None),
                organisation_id: Set(Some(*organisation)),
            })
            .exec(txn)
            .await?;
        }
    }
    if let Some((s, at)) = story.note
        && let Some(author) = coordinator(side(s))
    {
        let (title, body) = NOTES[story.wording % NOTES.len()];
        overlap_note::ActiveModel {
            overlap_id: Set(o.id),
            author_id: Set(author),
            side: Set(side(s)),
            title: Set(title.to_owned()),
            body: Set(body.to_owned()),
            created_at: Set(stamp(at)),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        events.push(event(
            at,
            Some(author),
            side(s),
            OverlapStep::Note,
            None,
            None,
        ));
    }
    let decision = story.course.decision();
    let reason = (decision == FalseMatch)
        .then(|| NOT_THE_SAME[story.wording % NOT_THE_SAME.len()].to_owned());
    let (decided_by, proposed_by) = match story.course {
        Ruled(_) => {
            let ruling = RULINGS[story.wording % RULINGS.len()].to_owned();
            events.push(event(
                story.decided,
                overseer,
                0,
                OverlapStep::Rule,
                Some(decision),
                Some(reason.clone().unwrap_or(ruling)),
            ));
            row.ruled = Set(true);
            version += 1;
            (overseer, None)
        }
        Agreed(_) | Shared(_) => {
            let (proposer, at) = story.proposed.unwrap_or((0, story.decided));
            let (n, other) = (side(proposer), side(1 - proposer));
            events.push(event(
                at,
                coordinator(n),
                n,
                OverlapStep::Propose,
                Some(decision),
                reason.clone(),
            ));
            events.push(event(
                story.decided,
                coordinator(other),
                other,
                OverlapStep::Agree,
                Some(decision),
                None,
            ));
            row.ruled = Set(false);
            version += 2;
            (coordinator(other), coordinator(n))
        }
    };
    row.decision = Set(Some(decision.as_str().to_owned()));
    row.decided_at = Set(Some(stamp(story.decided)));
    row.decided_by = Set(decided_by);
    row.proposed_decision = Set(None);
    row.proposed_by_side = Set(None);
    // The pair is remembered as judged, as the workflow does, so that it is never raised again.
    if decision == FalseMatch
        && let Some(judge) = decided_by.or(proposed_by).or(overseer)
    {
        false_match::ActiveModel {
            evidence: Set(o.evidence.clone()),
            reason: Set(reason.clone().unwrap_or_default()),
            judged_by: Set(judge),
            judged_at: Set(stamp(story.decided)),
        }
        .insert(txn)
        .await?;
    }
    if let Some((s, at)) = story.follow_up
        && let (Some(manager), Some(assignee)) = (overseer, coordinator(side(s)))
    {
        let text = FOLLOW_UPS[story.wording % FOLLOW_UPS.len()];
        row.follow_up_by = Set(Some(assignee));
        row.follow_up = Set(Some(text.to_owned()));
        events.push(event(
            at,
            Some(manager),
            0,
            OverlapStep::FollowUp,
            None,
            Some(text.to_owned()),
        ));
        version += 1;
    }
    let state = match story.closed {
        Some(at) => {
            let (by, n) = match (coordinator(1), coordinator(2)) {
                (Some(user), _) => (Some(user), 1),
                (None, Some(user)) => (Some(user), 2),
                (None, None) => (overseer, 0),
            };
            events.push(event(at, by, n, OverlapStep::Close, None, None));
            row.closed_at = Set(Some(stamp(at)));
            version += 1;
            OverlapState::Closed
        }
        None => OverlapState::Decided,
    };
    row.state = Set(state.as_str().to_owned());
    row.version = Set(version);
    row.update(txn).await?;
    overlap_event::Entity::update_many()
        .col_expr(overlap_event::Column::At, Expr::value(stamp(story.found)))
        .filter(overlap_event::Column::OverlapId.eq(o.id))
        .exec(txn)
        .await?;
    Ok(events)
}

/// The purposes the history's consents state, in turn.
const PURPOSES: [liaison_app::domain::DisclosurePurpose; 3] = [
    liaison_app::domain::DisclosurePurpose::CoordinateInvestigations,
    liaison_app::domain::DisclosurePurpose::PreventDuplicateAction,
    liaison_app::domain::DisclosurePurpose::ProtectVictims,
];

/// What each side discloses, frozen as it was when both had consented.
async fn freeze(
    txn: &impl ConnectionTrait,
    stored: &Stored,
    o: &overlap::Model,
) -> Result<(), DbErr> {
    for (side, case_id, item_id) in [
        (1, o.first_case_id, o.first_item_id),
        (2, o.second_case_id, o.second_item_id),
    ] {
        let Some(c) = stored.cases.iter().find(|c| c.id == case_id) else {
            continue;
        };
        let texts = if o.kind == OverlapKind::Operation.as_str() {
            &stored.operations
        } else {
            &stored.subjects
        };
        overlap_disclosure::Entity::insert(overlap_disclosure::ActiveModel {
            overlap_id: Set(o.id),
            side: Set(side),
            case_reference: Set(c.reference.clone()),
            case_title: Set(c.title.clone()),
            item: Set(texts.get(&item_id).cloned().unwrap_or_default()),
            ..Default::default()
        })
        .exec(txn)
        .await?;
    }
    Ok(())
}
