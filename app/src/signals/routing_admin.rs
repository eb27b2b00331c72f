//! Administrators: routing rules and categories.

use crate::server::caller::Caller;
use crate::signals::intake::too_long;
use crate::{
    domain::RegionKind, domain::Theme, error::AppError, i18n::*, partnerships::types::Named,
    partnerships::types::RegionOption, signals::types::CategoryRow, signals::types::RoutingRuleRow,
    signals::types::RoutingView,
};
use crate::{
    server::entity::region, server::entity::routing_rule, server::entity::signal_category,
};
use crate::{
    server::time::now, signals::store::active_ventures, signals::store::audit_event,
    signals::store::categories, signals::store::category_name,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use std::collections::BTreeMap;

pub(crate) fn require_admin(user: &Caller) -> Result<(), AppError> {
    use crate::{access::Action, access::Object, access::require};
    require(user, Action::Manage, Object::SignalRouting)
}

/// The routing rules and categories, for administrators.
#[tracing::instrument(level = "error", skip_all)]
pub async fn routing(db: &DatabaseConnection, user: &Caller) -> Result<RoutingView, AppError> {
    require_admin(user)?;
    let names = crate::partnerships::store::venture_names(db).await?;
    let all_categories = categories(db, false).await?;
    let category_names: BTreeMap<i32, String> = all_categories
        .iter()
        .map(|c| (c.id, category_name(c)))
        .collect();
    let provinces: Vec<region::Model> = region::Entity::find()
        .filter(region::Column::Kind.eq(RegionKind::Province.as_str()))
        .order_by_asc(region::Column::Name)
        .all(db)
        .await?;
    let province_names: BTreeMap<&str, &str> = provinces
        .iter()
        .map(|p| (p.code.as_str(), p.name.as_str()))
        .collect();
    let rules = routing_rule::Entity::find()
        .order_by_asc(routing_rule::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|r| RoutingRuleRow {
            id: r.id,
            theme: r.theme.as_deref().and_then(|t| t.parse().ok()),
            province: r
                .province
                .as_deref()
                .map(|p| province_names.get(p).copied().unwrap_or(p).to_owned()),
            category: r.category_id.and_then(|c| category_names.get(&c).cloned()),
            joint_venture: names.get(&r.joint_venture_id).cloned().unwrap_or_default(),
        })
        .collect();
    let active = active_ventures(db).await?;
    Ok(RoutingView {
        rules,
        categories: all_categories
            .into_iter()
            .map(|c| CategoryRow {
                id: c.id,
                code: c.code,
                name_nl: c.name_nl,
                name_en: c.name_en,
                active: c.active,
            })
            .collect(),
        joint_ventures: names
            .into_iter()
            .filter(|(id, _)| active.contains(id))
            .map(|(id, name)| Named { id, name })
            .collect(),
        provinces: provinces
            .into_iter()
            .map(|p| RegionOption {
                code: p.code,
                name: p.name,
            })
            .collect(),
    })
}

/// Adds a routing rule; empty fields match anything.
#[tracing::instrument(level = "error", skip_all)]
pub async fn add_rule(
    db: &DatabaseConnection,
    user: &Caller,
    theme: &str,
    province: &str,
    category: &str,
    joint_venture_id: &str,
) -> Result<(), AppError> {
    require_admin(user)?;
    let locale = user.locale;
    let choose = |field: &str| AppError::invalid(field, td_string!(locale, err_choose_from_list));
    let theme = match theme.trim() {
        "" => None,
        t => Some(t.parse::<Theme>().map_err(|_| choose("theme"))?),
    };
    let province = match province.trim() {
        "" => None,
        code => Some(
            region::Entity::find_by_id(code.to_owned())
                .filter(region::Column::Kind.eq(RegionKind::Province.as_str()))
                .one(db)
                .await?
                .ok_or_else(|| choose("province"))?
                .code,
        ),
    };
    let all_categories = categories(db, true).await?;
    let category_id = match category.trim() {
        "" => None,
        c => Some(
            c.parse::<i32>()
                .ok()
                .filter(|id| all_categories.iter().any(|x| x.id == *id))
                .ok_or_else(|| choose("category"))?,
        ),
    };
    let active = active_ventures(db).await?;
    let jv = joint_venture_id
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|jv| active.contains(jv))
        .ok_or_else(|| choose("joint_venture_id"))?;
    let txn = crate::server::begin_write(db).await?;
    let saved = routing_rule::ActiveModel {
        theme: Set(theme.map(|t| t.as_str().to_owned())),
        province: Set(province.clone()),
        category_id: Set(category_id),
        joint_venture_id: Set(jv),
        created_at: Set(now()),
        created_by: Set(user.id),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit_event(
        &txn,
        user,
        "add_routing_rule",
        "routing_rule",
        saved.id.to_string(),
        format!(
            "theme {}, province {}, category {}, to {jv}",
            theme.map(Theme::as_str).unwrap_or("any"),
            province.as_deref().unwrap_or("any"),
            category_id.map(|c| c.to_string()).unwrap_or("any".into())
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[tracing::instrument(level = "error", skip_all)]
pub async fn remove_rule(db: &DatabaseConnection, user: &Caller, id: i32) -> Result<(), AppError> {
    require_admin(user)?;
    let locale = user.locale;
    let txn = crate::server::begin_write(db).await?;
    let removed = routing_rule::Entity::delete_by_id(id).exec(&txn).await?;
    if removed.rows_affected != 1 {
        return Err(AppError::invalid(
            "id",
            td_string!(locale, err_signal_no_rule),
        ));
    }
    audit_event(
        &txn,
        user,
        "remove_routing_rule",
        "routing_rule",
        id.to_string(),
        String::new(),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Adds a category (`code`: lower-case letters and `_`) or, with an existing code, changes its
/// names and whether reporters can choose it.
#[tracing::instrument(level = "error", skip_all)]
pub async fn save_category(
    db: &DatabaseConnection,
    user: &Caller,
    code: &str,
    name_nl: &str,
    name_en: &str,
    active: bool,
) -> Result<(), AppError> {
    require_admin(user)?;
    let locale = user.locale;
    let code = code.trim();
    if code.is_empty()
        || code.len() > 40
        || !code.chars().all(|c| c.is_ascii_lowercase() || c == '_')
    {
        return Err(AppError::invalid(
            "code",
            td_string!(locale, err_signal_category_code),
        ));
    }
    let (name_nl, name_en) = (name_nl.trim(), name_en.trim());
    for (field, name) in [("name_nl", name_nl), ("name_en", name_en)] {
        if name.is_empty() {
            return Err(AppError::invalid(field, td_string!(locale, err_required)));
        }
        too_long(field, name, 100)?;
    }
    let all = categories(db, false).await?;
    let txn = crate::server::begin_write(db).await?;
    match all.iter().find(|c| c.code == code) {
        Some(existing) => {
            let mut row: signal_category::ActiveModel = existing.clone().into();
            row.name_nl = Set(name_nl.to_owned());
            row.name_en = Set(name_en.to_owned());
            row.active = Set(active);
            row.update(&txn).await?;
        }
        None => {
            signal_category::ActiveModel {
                code: Set(code.to_owned()),
                name_nl: Set(name_nl.to_owned()),
                name_en: Set(name_en.to_owned()),
                active: Set(active),
                position: Set(all.iter().map(|c| c.position).max().unwrap_or(0) + 1),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    audit_event(
        &txn,
        user,
        "save_signal_category",
        "signal_category",
        code.to_owned(),
        format!(
            "{name_nl} / {name_en}{}",
            if active { "" } else { " (retired)" }
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
