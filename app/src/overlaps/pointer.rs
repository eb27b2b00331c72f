//! The pointer model: each side sees its own case and what matched, the other only after both
//! consent — and then as it was disclosed, while its handling code still allows it.

use crate::overlaps::grounds;
use crate::overlaps::store::{
    Allowed, Disclosed, Handlings, disclosed, freeze, frozen_side, handling_allows, visible,
};
use crate::overlaps::types::ConsentInput;
use crate::overlaps::workflow::Deadlines;
use crate::server::caller::Caller;
use crate::{
    access::Action, access::Object, domain::Handling, error::AppError, i18n::*,
    overlaps::types::Evidence, overlaps::types::OverlapFilter, overlaps::types::OverlapRow,
    overlaps::types::OverlapView, overlaps::types::Side, overlaps::types::Withheld,
    partnerships::types::Named,
};
use crate::{
    overlaps::store::find_visible, overlaps::store::involving, overlaps::store::item_text,
    overlaps::store::record, partnerships::store::venture_names,
};
use crate::{server::entity::case, server::entity::overlap};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect,
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
    mine: SideOf,
    theirs: SideOf,
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
    let frozen = if o.disclosed_at.is_some() {
        frozen_side(db, o.id, their_side).await?
    } else {
        None
    };
    let (deletions, may_request_deletion) =
        crate::overlaps::deletion::of_overlap(db, &o, if first { 1 } else { 2 }).await?;
    let shown = disclosed(&o, their_side, theirs_allowed, frozen);
    let mine = own_side(db, &names, &o, p.mine, mine_of, user.locale).await?;
    let theirs = other_side(&names, p.theirs, theirs_of, &shown);
    let closed = withheld(mine_allowed, theirs_allowed);
    let contacts =
        crate::partnerships::store::coordinator_contacts(db, p.theirs.joint_venture).await?;
    // Each side reads its own grounds at once and the other side's once disclosed (and not
    // withdrawn by its handling code); the form offers the grounds of the caller's organisation.
    let my_side = if first { 1 } else { 2 };
    let their_grounds_shown = matches!(shown, Disclosed::Shown(_));
    let grounds_given = grounds::of_overlap(db, o.id, user.locale)
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
    let (purposes, legal_bases) =
        grounds::offered(db, grounds::organisation_kind(db, user).await?, user.locale).await?;
    let four_eyes = crate::overlaps::approval::four_eyes(
        db,
        user,
        &o,
        my_side,
        (p.mine.case, p.mine.joint_venture),
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

/// What became of a consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consented {
    /// It counts (and, if the other side agreed too, the overlap is disclosed).
    Given,
    /// It waits for a second coordinator of the caller's joint venture (four eyes).
    AwaitingApproval,
}

/// The caller's side agrees to disclose. Refused, with the reason, when either case's handling
/// code does not allow disclosing it to the other side (pointer-only, or shared with named
/// joint ventures only and not this one): nothing is recorded then. Where four eyes apply
/// (`approval`), the consent waits for a second coordinator instead of counting.
#[tracing::instrument(level = "error", skip_all)]
pub async fn consent(
    db: &DatabaseConnection,
    user: &Caller,
    id: i32,
    input: &ConsentInput,
) -> Result<Consented, AppError> {
    let txn = crate::server::begin_write(db).await?;
    crate::overlaps::steps::lock_overlap(&txn, id).await?;
    let (o, first, p) = find_for_consent(&txn, user, id).await?;
    may_agree(&txn, user, &o, first).await?;
    // Why, and on what ground: checked against the law of the caller's organisation.
    let kind = grounds::organisation_kind(&txn, user).await?;
    let given = grounds::check(
        &txn,
        user,
        kind,
        &input.purpose,
        &input.purpose_note,
        &input.legal_basis,
    )
    .await?;
    let side = if first { 1 } else { 2 };
    let outcome =
        if crate::overlaps::approval::required(&txn, p.mine.case, p.mine.joint_venture).await? {
            crate::overlaps::approval::request(&txn, user, &o, side, &given).await?;
            Consented::AwaitingApproval
        } else {
            give_consent(&txn, user, (&o, first), &given, (user.id, None)).await?;
            Consented::Given
        };
    txn.commit().await?;
    Ok(outcome)
}

/// Whether the caller's side may agree now: no handling code withholds the overlap, and the
/// side has not agreed yet. Returns what the other case allows towards the caller's side.
async fn may_agree(
    txn: &impl ConnectionTrait,
    user: &Caller,
    o: &overlap::Model,
    first: bool,
) -> Result<Allowed, AppError> {
    let locale = user.locale;
    let p = perspective(o, first);
    let (mine, theirs) = handlings(txn, &p).await?;
    if let Some(why) = withheld(mine, theirs) {
        return Err(AppError::Refused(
            match why {
                Withheld::MinePointerOnly => td_string!(locale, err_overlap_pointer_only),
                Withheld::MineNotNamed => td_string!(locale, err_overlap_not_named),
                Withheld::Theirs => td_string!(locale, err_overlap_theirs_withheld),
            }
            .to_owned(),
        ));
    }
    // A side agrees once, with the grounds it gave then.
    if if first {
        o.first_consents
    } else {
        o.second_consents
    } {
        return Err(AppError::Conflict(
            td_string!(locale, err_overlap_already_agreed).to_owned(),
        ));
    }
    Ok(theirs)
}

/// Makes a side's consent count, with the grounds given by `given_by` (and approved by the
/// second, if four eyes applied); when both sides have agreed, what each discloses is frozen
/// as it is now. `user` is who makes it count now (the consenting coordinator, or the
/// approver), inside the caller's transaction with the overlap locked.
pub(crate) async fn give_consent(
    txn: &(impl ConnectionTrait + sea_orm::TransactionTrait),
    user: &Caller,
    (o, first): (&overlap::Model, bool),
    given: &grounds::Grounds,
    (given_by, approved_by): (i32, Option<i32>),
) -> Result<(), AppError> {
    let theirs = may_agree(txn, user, o, first).await?;
    let side = if first { 1 } else { 2 };
    // A case shared with the other joint venture by name consents without being asked, also
    // when it was named only after the overlap was found.
    let (first_consents, second_consents) = if first {
        (true, o.second_consents || theirs.consent_given)
    } else {
        (o.first_consents || theirs.consent_given, true)
    };
    let both = first_consents && second_consents;
    let mut active: overlap::ActiveModel = o.clone().into();
    active.first_consents = Set(first_consents);
    active.second_consents = Set(second_consents);
    if both && o.disclosed_at.is_none() {
        active.disclosed_at = Set(Some(crate::server::time::now()));
    }
    let updated = active.update(txn).await?;
    if both && o.disclosed_at.is_none() {
        freeze(txn, &updated).await?;
    }
    grounds::store(txn, o.id, side, given, (given_by, approved_by)).await?;
    crate::overlaps::approval::supersede(txn, user, o.id, side).await?;
    crate::overlaps::steps::add_event(
        txn,
        o.id,
        Some(user.id),
        side,
        if both {
            crate::domain::OverlapStep::Disclose
        } else {
            crate::domain::OverlapStep::Consent
        },
        None,
        None,
    )
    .await?;
    let detail = match approved_by {
        Some(_) => format!("{}, approved", given.audit_detail()),
        None => given.audit_detail(),
    };
    record(
        txn,
        user,
        if both {
            "disclose_overlap"
        } else {
            "consent_overlap"
        },
        o.id,
        detail,
    )
    .await
}

/// The caller's side takes its consent back, before the other side agreed: the overlap is not
/// disclosed, so nothing was shared. The grounds it gave are removed with it (the audit trail
/// keeps both steps). Once disclosed, a consent cannot be withdrawn: the other side already
/// read it (a handling code withdraws it from view from then on). Also cancels nothing else:
/// a request for approval is withdrawn on its own (`approval`).
#[tracing::instrument(level = "error", skip_all)]
pub async fn withdraw_consent(
    db: &DatabaseConnection,
    user: &Caller,
    id: i32,
) -> Result<(), AppError> {
    use crate::server::entity::disclosure_grounds;
    let locale = user.locale;
    let txn = crate::server::begin_write(db).await?;
    crate::overlaps::steps::lock_overlap(&txn, id).await?;
    let (o, first) = crate::overlaps::store::find_visible(&txn, user, id).await?;
    let Some(crate::overlaps::workflow::Actor::Side(_)) = crate::overlaps::steps::actor(user, &o)
    else {
        return Err(AppError::Forbidden);
    };
    if o.disclosed_at.is_some() {
        return Err(AppError::Conflict(
            td_string!(locale, err_consent_already_disclosed).to_owned(),
        ));
    }
    if o.state == crate::domain::OverlapState::Closed.as_str() {
        return Err(AppError::Conflict(
            td_string!(locale, err_overlap_closed_consent).to_owned(),
        ));
    }
    // A case that names the other joint venture consents by its handling code: withdrawing
    // here would be undone by the other side's consent. The code is what to change.
    let (mine, _) = handlings(&txn, &perspective(&o, first)).await?;
    if mine.consent_given {
        return Err(AppError::Refused(
            td_string!(locale, err_consent_by_name).to_owned(),
        ));
    }
    let side = if first { 1 } else { 2 };
    let agreed = if first {
        o.first_consents
    } else {
        o.second_consents
    };
    if !agreed {
        return Err(AppError::Conflict(
            td_string!(locale, err_consent_not_given).to_owned(),
        ));
    }
    let mut active: overlap::ActiveModel = o.clone().into();
    if first {
        active.first_consents = Set(false);
    } else {
        active.second_consents = Set(false);
    }
    active.update(&txn).await?;
    disclosure_grounds::Entity::delete_many()
        .filter(disclosure_grounds::Column::OverlapId.eq(o.id))
        .filter(disclosure_grounds::Column::Side.eq(side))
        .exec(&txn)
        .await?;
    crate::overlaps::steps::add_event(
        &txn,
        o.id,
        Some(user.id),
        side,
        crate::domain::OverlapStep::WithdrawConsent,
        None,
        None,
    )
    .await?;
    crate::overlaps::approval::supersede(&txn, user, o.id, side).await?;
    record(&txn, user, "withdraw_consent", o.id, String::new()).await?;
    txn.commit().await.map_err(AppError::from)
}
