//! The benign list: values that raise no overlap.
//!
//! An entry belongs to a joint venture and holds back only the matches that joint venture
//! takes part in; a national entry (an administrator's) holds back every match. Its joint
//! venture's coordinators and the administrators see it in full and may remove it; other
//! coordinators see the national entries without who added them, and never another joint
//! venture's entries.
//!
//! Matching weighs the entries per match (`candidates::Benign::verdict`, in `detect::compare`).
//!
//! **The other side is told by a record, not a notification.** When X's entry holds back a
//! match between X and Y, a `held_back_match` row names Y's case, subject and the kind of
//! value (`candidates::hold_back`), and Y's overlap inbox says how many subjects of which case
//! are held back ([`held_back`]). Never the value, the entry's label or which joint venture
//! holds it: that would tell Y what X keeps on its list. One row per entry and subject, so
//! saving again or a re-scan adds nothing; the rows go with the entry, and only entries in
//! force count. A national entry tells nobody: it is on everyone's list. A signal's match held
//! back by a case's joint venture is not recorded: a signal has no coordinator side to tell.

use crate::overlaps::candidates::Matching;
use crate::overlaps::types::{BenignList, BenignRow, HeldBackRow, NATIONAL};
use crate::server::caller::Caller;
use crate::server::entity::case;
use crate::server::time::now;
use crate::{access::Action, access::BenignStanding, access::Object, partnerships::types::Named};
use crate::{error::AppError, i18n::*, overlaps::keys};
use crate::{
    server::audit, server::audit::Actor, server::audit::Event, server::audit::Outcome,
    server::entity::benign_value, server::entity::held_back_match, server::entity::user_account,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use std::collections::{BTreeMap, BTreeSet};

pub(crate) fn benign_invalid(field: &str, message: &str) -> AppError {
    AppError::invalid(field, message)
}

/// The benign list as the caller may see it (only labels, never the values), and for whom
/// they may add an entry.
#[tracing::instrument(level = "error", skip_all)]
pub async fn benign_list(db: &DatabaseConnection, user: &Caller) -> Result<BenignList, AppError> {
    crate::access::require(user, Action::Read, Object::BenignList)?;
    let shown: Vec<(benign_value::Model, BenignStanding)> = benign_value::Entity::find()
        .order_by_asc(benign_value::Column::ExpiresOn)
        .order_by_asc(benign_value::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|b| {
            let standing = crate::access::benign_standing(user, b.joint_venture_id)?;
            Some((b, standing))
        })
        .collect();
    let mine: Vec<i32> = crate::access::coordinated(user).to_vec();
    let names = crate::partnerships::store::venture_names(db).await?;
    let authors: BTreeSet<i32> = shown
        .iter()
        .filter(|(_, standing)| *standing == BenignStanding::Keeper)
        .map(|(b, _)| b.created_by)
        .collect();
    let users: BTreeMap<i32, String> = user_account::Entity::find()
        .filter(user_account::Column::Id.is_in(authors))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let named = |id: i32| Named {
        id,
        name: names.get(&id).cloned().unwrap_or_default(),
    };
    let rows = shown
        .into_iter()
        .map(|(b, standing)| {
            let keeper = standing == BenignStanding::Keeper;
            let words = standing != BenignStanding::Remover;
            BenignRow {
                id: b.id,
                kind: b.kind,
                label: if words { b.label } else { String::new() },
                reason: if words { b.reason } else { String::new() },
                expires_on: b.expires_on.to_string(),
                joint_venture: b.joint_venture_id.map(named),
                added_by: keeper.then(|| users.get(&b.created_by).cloned().unwrap_or_default()),
                removable: keeper || standing == BenignStanding::Remover,
            }
        })
        .collect();
    Ok(BenignList {
        rows,
        joint_ventures: mine.into_iter().map(named).collect(),
        national: crate::access::may_add_benign(user, None),
    })
}

/// The joint venture an entry is added for, as the form names it: one the caller coordinates,
/// or `national` for an administrator. Anything else is the same field error, whether or not
/// such a joint venture exists.
fn owner_of(user: &Caller, typed: &str) -> Result<Option<i32>, AppError> {
    let refused = || {
        benign_invalid(
            "joint_venture_id",
            td_string!(user.locale, err_benign_joint_venture),
        )
    };
    let owner = match typed.trim() {
        "" | NATIONAL => None,
        id => Some(id.parse::<i32>().map_err(|_| refused())?),
    };
    if crate::access::may_add_benign(user, owner) {
        Ok(owner)
    } else {
        Err(refused())
    }
}

/// Adds a value to the benign list for one of the caller's joint ventures (or, by an
/// administrator, for all): parsed like a subject of its kind, stored as the keyed hash of its
/// blocking key with a label, a reason and an end date (at most two years ahead).
#[tracing::instrument(level = "error", skip_all)]
pub async fn add_benign(
    db: &DatabaseConnection,
    user: &Caller,
    m: &Matching,
    input: &crate::overlaps::types::BenignInput,
) -> Result<(), AppError> {
    use crate::{subjects::parse::parse, subjects::types::SubjectInput};
    crate::access::require(user, Action::Manage, Object::BenignList)?;
    let locale = user.locale;
    let owner = owner_of(user, &input.joint_venture_id)?;
    let kind = input.kind.trim();
    if !crate::overlaps::types::BENIGN_KINDS.contains(&kind) {
        return Err(benign_invalid(
            "kind",
            td_string!(locale, err_choose_from_list),
        ));
    }
    let mut subject = SubjectInput {
        kind: kind.to_owned(),
        ..Default::default()
    };
    match kind {
        "address" => {
            subject.postcode = input.postcode.clone();
            subject.house_number = input.house_number.clone();
        }
        "company" => {
            subject.value = input.value.clone();
            subject.name = "-".into();
        }
        _ => subject.value = input.value.clone(),
    }
    let valid = parse(&subject, 9999).map_err(|invalid| {
        benign_invalid(
            invalid.field,
            &crate::ui::labels::problem_text(invalid.problem),
        )
    })?;
    let label = input.label.trim();
    if label.is_empty() || label.chars().count() > 120 {
        return Err(benign_invalid("label", td_string!(locale, err_required)));
    }
    let reason = input.reason.trim();
    if reason.chars().count() < 5 || reason.chars().count() > 2000 {
        return Err(benign_invalid(
            "reason",
            td_string!(locale, err_overlap_reason),
        ));
    }
    let today = chrono::Local::now().date_naive();
    let expires = chrono::NaiveDate::parse_from_str(input.expires_on.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| *d > today && *d <= today + chrono::Duration::days(731))
        .ok_or_else(|| benign_invalid("expires_on", td_string!(locale, err_benign_expiry)))?;
    let key = keys::stored(valid.kind, &valid.normal, None)
        .into_iter()
        .next()
        .ok_or_else(|| benign_invalid("kind", td_string!(locale, err_choose_from_list)))?;
    let txn = crate::server::begin_write(db).await?;
    let saved = benign_value::ActiveModel {
        key_hash: Set(m.secret.hash(&key)),
        kind: Set(kind.to_owned()),
        label: Set(label.to_owned()),
        reason: Set(reason.to_owned()),
        expires_on: Set(expires),
        created_by: Set(user.id),
        created_at: Set(now()),
        joint_venture_id: Set(owner),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let scope = match owner {
        Some(jv) => format!("joint venture {jv}"),
        None => NATIONAL.to_owned(),
    };
    audit::record(
        &txn,
        Event {
            actor: Actor::from(user),
            action: "add_benign_value",
            object_type: "benign_value",
            object_id: saved.id.to_string(),
            outcome: Outcome::Success,
            client_address: user.address.clone(),
            detail: format!("{kind}: {label} until {expires}, {scope}"),
        },
    )
    .await?;
    txn.commit().await.map_err(AppError::from)
}

/// Removes an entry: its joint venture's coordinators or an administrator. Anyone else is
/// answered as for an entry that does not exist, so that nobody learns of others' entries.
#[tracing::instrument(level = "error", skip_all)]
pub async fn remove_benign(
    db: &DatabaseConnection,
    user: &Caller,
    id: i32,
) -> Result<(), AppError> {
    crate::access::require(user, Action::Manage, Object::BenignList)?;
    let no_such = || benign_invalid("id", td_string!(user.locale, err_no_such_benign));
    // Read, then written: the write lock first (SQLite).
    let txn = crate::server::begin_write(db).await?;
    let entry = benign_value::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(no_such)?;
    if !matches!(
        crate::access::benign_standing(user, entry.joint_venture_id),
        Some(BenignStanding::Keeper | BenignStanding::Remover)
    ) {
        return Err(no_such());
    }
    // Read above inside this write transaction: it is there to delete.
    benign_value::Entity::delete_by_id(id).exec(&txn).await?;
    held_back_match::Entity::delete_many()
        .filter(held_back_match::Column::BenignValueId.eq(id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        Event {
            actor: Actor::from(user),
            action: "remove_benign_value",
            object_type: "benign_value",
            object_id: id.to_string(),
            outcome: Outcome::Success,
            client_address: user.address.clone(),
            detail: String::new(),
        },
    )
    .await?;
    txn.commit().await.map_err(AppError::from)
}

/// The subjects of the caller's cases whose matches another joint venture's entry (in force)
/// holds back, counted per case and kind of value: that it happened, never the value, the
/// entry or whose it is.
#[tracing::instrument(level = "error", skip_all)]
pub async fn held_back(
    db: &DatabaseConnection,
    user: &Caller,
) -> Result<Vec<HeldBackRow>, AppError> {
    crate::access::require(user, Action::Read, Object::CaseWork)?;
    let mine = crate::access::coordinated(user).to_vec();
    if mine.is_empty() {
        return Ok(Vec::new());
    }
    let rows = held_back_match::Entity::find()
        .filter(held_back_match::Column::JointVentureId.is_in(mine))
        .all(db)
        .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    // Each entry and case once (a common value holds back many subjects of one case); a
    // removed subject takes its rows along (`overlaps::store::forget_item`), a removed case is
    // not found below.
    let entries: BTreeSet<i32> = rows.iter().map(|r| r.benign_value_id).collect();
    let live: BTreeSet<i32> = benign_value::Entity::find()
        .select_only()
        .column(benign_value::Column::Id)
        .filter(benign_value::Column::Id.is_in(entries))
        .filter(crate::overlaps::candidates::benign_in_force())
        .into_tuple::<i32>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let cases: BTreeSet<i32> = rows.iter().map(|r| r.case_id).collect();
    let references: BTreeMap<i32, String> = case::Entity::find()
        .select_only()
        .column(case::Column::Id)
        .column(case::Column::Reference)
        .filter(case::Column::Id.is_in(cases))
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut counted: BTreeMap<(String, i32, String), BTreeSet<i32>> = BTreeMap::new();
    for r in rows {
        let Some(reference) = references.get(&r.case_id) else {
            continue;
        };
        if live.contains(&r.benign_value_id) {
            counted
                .entry((reference.clone(), r.case_id, r.kind))
                .or_default()
                .insert(r.subject_id);
        }
    }
    Ok(counted
        .into_iter()
        .map(|((reference, case_id, kind), subjects)| HeldBackRow {
            case: Named {
                id: case_id,
                name: reference,
            },
            kind,
            subjects: u32::try_from(subjects.len()).unwrap_or(u32::MAX),
        })
        .collect())
}
