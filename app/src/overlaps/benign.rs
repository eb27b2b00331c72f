//! The benign list: values that raise no overlap.

use crate::overlaps::candidates::Matching;
use crate::server::caller::Caller;
use crate::server::time::now;
use crate::{access::Action, access::Object, error::AppError, i18n::*, overlaps::keys};
use crate::{
    server::audit, server::audit::Actor, server::audit::Event, server::audit::Outcome,
    server::entity::benign_value, server::entity::user_account,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait, QueryOrder,
    TransactionTrait,
};
use std::collections::BTreeMap;

pub(crate) fn benign_invalid(field: &str, message: &str) -> AppError {
    AppError::invalid(field, message)
}

/// The benign list; only its labels, never the values.
#[tracing::instrument(level = "error", skip_all)]
pub async fn benign_list(
    db: &DatabaseConnection,
    user: &Caller,
) -> Result<Vec<crate::overlaps::types::BenignRow>, AppError> {
    crate::access::require(user, Action::Read, Object::BenignList)?;
    let users: BTreeMap<i32, String> = user_account::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    Ok(benign_value::Entity::find()
        .order_by_asc(benign_value::Column::ExpiresOn)
        .all(db)
        .await?
        .into_iter()
        .map(|b| crate::overlaps::types::BenignRow {
            id: b.id,
            kind: b.kind,
            label: b.label,
            reason: b.reason,
            expires_on: b.expires_on.to_string(),
            added_by: users.get(&b.created_by).cloned().unwrap_or_default(),
        })
        .collect())
}

/// Adds a value to the benign list: parsed like a subject of its kind, stored as the keyed hash
/// of its blocking key with a label, a reason and an end date (at most two years ahead).
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
    let txn = db.begin().await?;
    let saved = benign_value::ActiveModel {
        key_hash: Set(m.secret.hash(&key)),
        kind: Set(kind.to_owned()),
        label: Set(label.to_owned()),
        reason: Set(reason.to_owned()),
        expires_on: Set(expires),
        created_by: Set(user.id),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Event {
            actor: Actor::from(user),
            action: "add_benign_value",
            object_type: "benign_value",
            object_id: saved.id.to_string(),
            outcome: Outcome::Success,
            client_address: user.address.clone(),
            detail: format!("{kind}: {label} until {expires}"),
        },
    )
    .await?;
    txn.commit().await.map_err(AppError::from)
}

#[tracing::instrument(level = "error", skip_all)]
pub async fn remove_benign(
    db: &DatabaseConnection,
    user: &Caller,
    id: i32,
) -> Result<(), AppError> {
    crate::access::require(user, Action::Manage, Object::BenignList)?;
    let txn = db.begin().await?;
    let removed = benign_value::Entity::delete_by_id(id).exec(&txn).await?;
    if removed.rows_affected != 1 {
        return Err(benign_invalid(
            "id",
            td_string!(user.locale, err_no_such_benign),
        ));
    }
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
