//! The pointer model: each side sees its own case and what matched, the other only after both consent.

use crate::overlaps::detect::Item;
use crate::overlaps::detect::handling_allows;
use crate::overlaps::store::visible;
use crate::overlaps::workflow::Deadlines;
use crate::server::caller::Caller;
use crate::{
    access::Action, access::Object, error::AppError, i18n::*, overlaps::types::Evidence,
    overlaps::types::OverlapFilter, overlaps::types::OverlapRow, overlaps::types::OverlapView,
    overlaps::types::Side, partnerships::types::Named,
};
use crate::{
    overlaps::store::find_visible, overlaps::store::involving, overlaps::store::item_text,
    overlaps::store::record, partnerships::store::venture_names, server::time::now,
};
use crate::{server::entity::case, server::entity::overlap};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
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

/// Whether the two cases' handling codes allow disclosure at all (no `pointer-only` side).
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn disclosable(
    db: &impl ConnectionTrait,
    p: &Perspective,
) -> Result<bool, AppError> {
    let mine = handling_allows(db, p.mine.case, p.theirs.joint_venture).await?;
    let theirs = handling_allows(db, p.theirs.case, p.mine.joint_venture).await?;
    Ok(mine.disclosure && theirs.disclosure)
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
                due: due.map(|d| d.to_string()),
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
                disclosed: o.disclosed_at.is_some(),
                state: o.state,
                created_at: o.created_at,
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

#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn side_of(
    db: &impl ConnectionTrait,
    names: &BTreeMap<i32, String>,
    kind: &str,
    of: Item,
    consents: bool,
    full: bool,
) -> Result<Side, AppError> {
    let jv = of.joint_venture;
    let (case, item) = if full {
        let found = case::Entity::find_by_id(of.case).one(db).await?;
        (
            found.map(|c| (c.id, c.reference, c.title)),
            Some(item_text(db, kind, of.id).await?),
        )
    } else {
        (None, None)
    };
    Ok(Side {
        joint_venture: Named {
            id: jv,
            name: names.get(&jv).cloned().unwrap_or_default(),
        },
        case,
        item,
        consents,
    })
}

/// One overlap as `user` may see it: their own side in full, the other side's case and item
/// only once both sides agreed to disclose. Audited.
#[tracing::instrument(level = "error", skip_all)]
pub async fn view(
    db: &DatabaseConnection,
    user: &Caller,
    deadlines: &Deadlines,
    id: i32,
) -> Result<OverlapView, AppError> {
    let (o, first) = find_visible(db, user, id).await?;
    let names = venture_names(db).await?;
    let disclosed = o.disclosed_at.is_some();
    let side = |case_id: i32, jv: i32, item_id: i32, consents: bool, full: bool| {
        let of = Item {
            id: item_id,
            case: case_id,
            joint_venture: jv,
        };
        side_of(db, &names, &o.kind, of, consents, full)
    };
    let first_side = side(
        o.first_case_id,
        o.first_joint_venture_id,
        o.first_item_id,
        o.first_consents,
        first || disclosed,
    )
    .await?;
    let second_side = side(
        o.second_case_id,
        o.second_joint_venture_id,
        o.second_item_id,
        o.second_consents,
        !first || disclosed,
    )
    .await?;
    let (mine, theirs) = if first {
        (first_side, second_side)
    } else {
        (second_side, first_side)
    };
    let p = perspective(&o, first);
    let can_consent = disclosable(db, &p).await?;
    let contacts =
        crate::partnerships::store::coordinator_contacts(db, p.theirs.joint_venture).await?;
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
        if disclosed {
            "disclosed".into()
        } else {
            "pointer".into()
        },
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
        disclosed,
        can_consent,
        state: o.state,
        created_at: o.created_at,
        workflow,
    })
}

/// The caller's side agrees to disclose. A pointer-only case on either side never discloses.
#[tracing::instrument(level = "error", skip_all)]
pub async fn consent(db: &DatabaseConnection, user: &Caller, id: i32) -> Result<(), AppError> {
    let locale = user.locale;
    let txn = db.begin().await?;
    crate::overlaps::steps::lock_overlap(&txn, id).await?;
    let (o, first, p) = find_for_consent(&txn, user, id).await?;
    if !disclosable(&txn, &p).await? {
        return Err(AppError::Refused(
            td_string!(locale, err_overlap_pointer_only).to_owned(),
        ));
    }
    let (first_consents, second_consents) = if first {
        (true, o.second_consents)
    } else {
        (o.first_consents, true)
    };
    let disclosed = first_consents && second_consents;
    let mut active: overlap::ActiveModel = o.clone().into();
    active.first_consents = Set(first_consents);
    active.second_consents = Set(second_consents);
    if disclosed && o.disclosed_at.is_none() {
        active.disclosed_at = Set(Some(now()));
    }
    active.update(&txn).await?;
    crate::overlaps::steps::add_event(
        &txn,
        o.id,
        Some(user.id),
        if first { 1 } else { 2 },
        if disclosed {
            crate::domain::OverlapStep::Disclose
        } else {
            crate::domain::OverlapStep::Consent
        },
        None,
        None,
    )
    .await?;
    record(
        &txn,
        user,
        if disclosed {
            "disclose_overlap"
        } else {
            "consent_overlap"
        },
        o.id,
        String::new(),
    )
    .await?;
    txn.commit().await.map_err(AppError::from)
}
