//! The pointer model: each side sees its own case and what matched, the other only after both
//! consent — and then as it was disclosed, while its handling code still allows it.

use crate::overlaps::grounds;
use crate::overlaps::store::{
    Allowed, Disclosed, Handlings, disclosed, frozen_side, handling_allows, visible,
};
use crate::overlaps::workflow::Deadlines;
use crate::server::caller::Caller;
use crate::{
    access::Action, access::Object, domain::Handling, error::AppError, overlaps::types::Evidence,
    overlaps::types::OverlapFilter, overlaps::types::OverlapRow, overlaps::types::OverlapView,
    overlaps::types::Side, overlaps::types::Withheld, partnerships::types::Named,
};
use crate::{
    overlaps::store::find_visible, overlaps::store::involving, overlaps::store::item_text,
    overlaps::store::record, partnerships::store::venture_names,
};
use crate::{server::entity::case, server::entity::overlap};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::collections::BTreeMap;

/// One side of an overlap: its case and joint venture.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SideOf {
    pub(crate) case: i32,
    pub(crate) joint_venture: i32,
}

/// An overlap from the viewer's side: their side and the other.
pub(crate) struct Perspective {
    pub(crate) mine: SideOf,
    pub(crate) theirs: SideOf,
}

pub(crate) fn perspective(o: &overlap::Model, first: bool) -> Perspective {
    let a = SideOf {
        case: o.first_case_id,
        joint_venture: o.first_joint_venture_id,
    };
    let b = SideOf {
        case: o.second_case_id,
        joint_venture: o.second_joint_venture_id,
    };
    let (mine, theirs) = if first { (a, b) } else { (b, a) };
    Perspective { mine, theirs }
}

/// What each case's handling code allows towards the other side, read now: `.0` the viewer's
/// case towards the other joint venture, `.1` the other case towards the viewer's.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn handlings(
    db: &impl ConnectionTrait,
    p: &Perspective,
) -> Result<(Allowed, Allowed), AppError> {
    let mine = handling_allows(db, p.mine.case, p.theirs.joint_venture).await?;
    let theirs = handling_allows(db, p.theirs.case, p.mine.joint_venture).await?;
    Ok((mine, theirs))
}

/// Why the two sides may not disclose to each other, if they may not. A disclosure is an
/// exchange: either case's handling code keeps both closed. The viewer's own case is named
/// first, as the one they can change.
pub(crate) fn withheld(mine: Allowed, theirs: Allowed) -> Option<Withheld> {
    if !mine.disclosure {
        Some(if mine.handling == Handling::PointerOnly {
            Withheld::MinePointerOnly
        } else {
            Withheld::MineNotNamed
        })
    } else if !theirs.disclosure {
        Some(Withheld::Theirs)
    } else {
        None
    }
}

/// An overlap the caller's side may agree to disclose: the workflow's rules decide (a side's
/// coordinator, not once closed).
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn find_for_consent(
    txn: &impl ConnectionTrait,
    user: &Caller,
    id: i32,
) -> Result<(overlap::Model, bool, Perspective), AppError> {
    let (o, first) = find_visible(txn, user, id).await?;
    let actor = crate::overlaps::steps::actor(user, &o).ok_or(AppError::Forbidden)?;
    crate::overlaps::workflow::check(
        &crate::overlaps::status::status_of(&o),
        actor,
        crate::domain::OverlapStep::Consent,
    )
    .map_err(crate::overlaps::steps::refused)?;
    let p = perspective(&o, first);
    Ok((o, first, p))
}

/// The overlaps of the joint ventures `user` coordinates; the list is audited.
#[tracing::instrument(level = "error", skip_all)]
pub async fn list(
    db: &DatabaseConnection,
    user: &Caller,
    deadlines: &Deadlines,
    filter: &OverlapFilter,
) -> Result<Vec<OverlapRow>, AppError> {
    crate::access::require(user, Action::Read, Object::CaseWork)?;
    let mut query = overlap::Entity::find()
        .filter(involving(user))
        .filter(crate::overlaps::oversight::state_condition(&filter.state));
    if !filter.kind.is_empty() && filter.kind != "all" {
        query = query.filter(overlap::Column::MatchKind.eq(filter.kind.clone()));
    }
    let found = query
        .order_by_desc(overlap::Column::Urgent)
        .order_by_desc(overlap::Column::Id)
        .limit(500)
        .all(db)
        .await?;
    let today = crate::server::time::today();
    let cases = crate::overlaps::status::cases_of(db, &found).await?;
    let flags = crate::overlaps::status::flags_with(&found, &cases, deadlines, today);
    let handlings = Handlings::of(db, &cases).await?;
    let names = venture_names(db).await?;
    let rows: Vec<OverlapRow> = found
        .into_iter()
        .filter_map(|o| {
            let p = perspective(&o, visible(user, &o)?);
            let (my_case, other_jv) = (p.mine.case, p.theirs.joint_venture);
            let flags = flags.get(&o.id).cloned().unwrap_or_default();
            let due = crate::overlaps::status::next_due(&o, deadlines);
            if !crate::overlaps::oversight::passes(filter, &flags, due, today) {
                return None;
            }
            Some(OverlapRow {
                flags,
                due: due.map(|d| crate::server::time::deadline(d, today)),
                id: o.id,
                match_kind: o.match_kind,
                my_case: Named {
                    id: my_case,
                    name: cases
                        .get(&my_case)
                        .map(|c| c.reference.clone())
                        .unwrap_or_default(),
                },
                other_joint_venture: names.get(&other_jv).cloned().unwrap_or_default(),
                score: o.score,
                urgent: o.urgent,
                // Shared only while the other case's handling code still allows it.
                disclosed: o.disclosed_at.is_some()
                    && handlings
                        .allows(p.theirs.case, p.mine.joint_venture)
                        .disclosure,
                state: o.state,
                created_at: crate::server::time::local_moment(&o.created_at),
            })
        })
        .collect();
    record(
        db,
        user,
        "list_overlaps",
        0,
        format!("{} shown", rows.len()),
    )
    .await?;
    Ok(rows)
}

#[tracing::instrument(level = "error", skip_all)]
pub async fn open_count(db: &DatabaseConnection, user: &Caller) -> Result<u64, AppError> {
    use sea_orm::PaginatorTrait;
    if user.coordinates.is_empty() {
        return Ok(0);
    }
    overlap::Entity::find()
        .filter(involving(user))
        .filter(overlap::Column::State.eq(crate::domain::OverlapState::Open.as_str()))
        .count(db)
        .await
        .map_err(AppError::from)
}

/// How many overlaps of case `case_id` wait for a step (open or acknowledged, not yet decided),
/// and how many of those are urgent, by the inbox's rule: only overlaps of the joint ventures
/// the caller coordinates count.
#[tracing::instrument(level = "error", skip_all)]
pub async fn open_of_case(
    db: &DatabaseConnection,
    user: &Caller,
    case_id: i32,
) -> Result<(u64, u64), AppError> {
    use sea_orm::PaginatorTrait;
    let of_case = || {
        overlap::Entity::find()
            .filter(involving(user))
            .filter(
                sea_orm::Condition::any()
                    .add(overlap::Column::FirstCaseId.eq(case_id))
                    .add(overlap::Column::SecondCaseId.eq(case_id)),
            )
            .filter(overlap::Column::State.is_in([
                crate::domain::OverlapState::Open.as_str(),
                crate::domain::OverlapState::Acknowledged.as_str(),
            ]))
    };
    let open = of_case().count(db).await?;
    let urgent = of_case()
        .filter(overlap::Column::Urgent.eq(true))
        .count(db)
        .await?;
    Ok((open, urgent))
}

fn named(names: &BTreeMap<i32, String>, jv: i32) -> Named {
    Named {
        id: jv,
        name: names.get(&jv).cloned().unwrap_or_default(),
    }
}

/// The viewer's own side: its case and matched item as they are now.
#[tracing::instrument(level = "error", skip_all)]
async fn own_side(
    db: &impl ConnectionTrait,
    names: &BTreeMap<i32, String>,
    o: &overlap::Model,
    of: SideOf,
    (item_id, consents): (i32, bool),
    locale: crate::i18n::Locale,
) -> Result<Side, AppError> {
    let case = case::Entity::find_by_id(of.case)
        .one(db)
        .await?
        .map(|c| (c.id, c.reference, c.title));
    Ok(Side {
        joint_venture: named(names, of.joint_venture),
        case,
        item: Some(item_text(db, &o.kind, item_id, locale).await?),
        consents,
    })
}

/// The other side: its joint venture, and its case and matched item only as they were frozen
/// at disclosure, and only while its handling code allows the viewer.
fn other_side(
    names: &BTreeMap<i32, String>,
    of: SideOf,
    consents: bool,
    shown: &Disclosed,
) -> Side {
    let frozen = shown.frozen();
    Side {
        joint_venture: named(names, of.joint_venture),
        case: frozen.map(|f| (of.case, f.case_reference.clone(), f.case_title.clone())),
        item: frozen
            .map(|f| f.item.clone())
            .filter(|item| !item.is_empty()),
        consents,
    }
}

/// One overlap as `user` may see it: their own side in full, the other side's case and item
/// only once both sides agreed to disclose — as they were then, and only while the other
/// case's handling code still allows the viewer's joint venture. Audited.
#[tracing::instrument(level = "error", skip_all)]
pub async fn view(
    db: &DatabaseConnection,
    user: &Caller,
    deadlines: &Deadlines,
    id: i32,
) -> Result<OverlapView, AppError> {
    let (o, first) = find_visible(db, user, id).await?;
    let names = venture_names(db).await?;
    let p = perspective(&o, first);
    let (mine_allowed, theirs_allowed) = handlings(db, &p).await?;
    let (mine_of, theirs_of, their_side) = if first {
        ((o.first_item_id, o.first_consents), o.second_consents, 2)
    } else {
        ((o.second_item_id, o.second_consents), o.first_consents, 1)
    };
    let my_side = if first { 1 } else { 2 };
    // Both sides' frozen copies: the other side's is what the viewer may be shown; each one
    // carries that side's request to delete it.
    let (frozen, my_frozen) = if o.disclosed_at.is_some() {
        (
            frozen_side(db, o.id, their_side).await?,
            frozen_side(db, o.id, my_side).await?,
        )
    } else {
        (None, None)
    };
    let (deletions, may_request_deletion) =
        crate::overlaps::deletion::of_overlap(my_frozen.as_ref(), frozen.as_ref());
    let shown = disclosed(&o, their_side, theirs_allowed, frozen);
    let mine = own_side(db, &names, &o, p.mine, mine_of, user.locale).await?;
    let theirs = other_side(&names, p.theirs, theirs_of, &shown);
    let closed = withheld(mine_allowed, theirs_allowed);
    let contacts =
        crate::partnerships::store::coordinator_contacts(db, p.theirs.joint_venture).await?;
    // Each side reads its own grounds at once and the other side's once disclosed (and not
    // withdrawn by its handling code); the form offers the grounds of the caller's organisation.
    // The lists are read once for both.
    let options = grounds::all_options(db).await?;
    let labels = grounds::labels_of(&options, user.locale);
    let their_grounds_shown = matches!(shown, Disclosed::Shown(_));
    let grounds_given = grounds::of_overlap(db, o.id, &labels)
        .await?
        .into_iter()
        .filter(|g| g.side == my_side || their_grounds_shown)
        .map(|mut g| {
            // The other side learns that a second coordinator approved, not who.
            if g.side != my_side && g.approved_by.is_some() {
                g.approved_by = Some(String::new());
            }
            g
        })
        .collect();
    let (purposes, legal_bases) = grounds::offered(
        &options,
        grounds::organisation_kind(db, user).await?,
        user.locale,
    );
    let four_eyes = crate::overlaps::approval::four_eyes(
        db,
        user,
        &o,
        my_side,
        (p.mine.case, p.mine.joint_venture),
        &labels,
    )
    .await?;
    let workflow = crate::overlaps::workflow_view::workflow(
        db,
        &o,
        crate::overlaps::steps::actor(user, &o).ok_or(AppError::Forbidden)?,
        deadlines,
    )
    .await?;
    record(
        db,
        user,
        "read_overlap",
        o.id,
        match &shown {
            Disclosed::Shown(_) => "disclosed",
            Disclosed::Withdrawn => "withdrawn",
            Disclosed::No => "pointer",
        }
        .into(),
    )
    .await?;
    Ok(OverlapView {
        id: o.id,
        kind: o.kind,
        match_kind: o.match_kind,
        score: o.score,
        urgent: o.urgent,
        evidence: serde_json::from_str(&o.explanation).unwrap_or(Evidence::SameIdentifier),
        mine,
        theirs,
        contacts,
        disclosed: o.disclosed_at.is_some(),
        disclosed_at: o
            .disclosed_at
            .as_deref()
            .map(crate::server::time::local_moment),
        withdrawn: shown.withdrawn(),
        withheld: closed,
        can_consent: closed.is_none(),
        grounds: grounds_given,
        my_side,
        purposes,
        legal_bases,
        four_eyes,
        state: o.state,
        created_at: crate::server::time::local_moment(&o.created_at),
        workflow,
        purged_on: o.purged_on.map(|d| d.to_string()),
        deletions,
        may_request_deletion,
    })
}
