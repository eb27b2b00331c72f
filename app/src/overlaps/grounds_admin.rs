//! Administrators manage the purposes and legal bases offered when consenting to disclose
//! (`/admin/disclosure-grounds`; privacy officers read them). A code is fixed once made —
//! stored grounds and the provision register name it — so an option is retired by no longer
//! offering it, never deleted; each list keeps at least one option on offer.

use crate::domain::OrganisationKind;
use crate::overlaps::grounds::{LEGAL_BASIS, PURPOSE, all_options};
use crate::overlaps::grounds_types::{DisclosureLists, OptionInput, OptionRow};
use crate::server::caller::Caller;
use crate::server::entity::{disclosure_grounds, disclosure_option};
use crate::{error::AppError, i18n::*};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, ExprTrait,
    PaginatorTrait, QueryFilter, QuerySelect, sea_query::Expr,
};
use std::collections::HashMap;

/// The longest label.
pub const MAX_LABEL: usize = 200;
/// The longest code.
pub const MAX_CODE: usize = 40;

/// Both lists with how often each option was given (the page shows what retiring touches).
#[tracing::instrument(level = "error", skip_all)]
pub async fn lists(db: &DatabaseConnection, user: &Caller) -> Result<DisclosureLists, AppError> {
    use crate::access::{Action, Object, may, require};
    require(user, Action::Read, Object::DisclosureLists)?;
    // How often each code was given: one grouped count per list.
    let mut used: HashMap<(&str, String), u64> = HashMap::new();
    for (list, column) in [
        (PURPOSE, disclosure_grounds::Column::Purpose),
        (LEGAL_BASIS, disclosure_grounds::Column::LegalBasis),
    ] {
        let counted: Vec<(String, i64)> = disclosure_grounds::Entity::find()
            .select_only()
            .column(column)
            .column_as(Expr::col(column).count(), "given")
            .group_by(column)
            .into_tuple()
            .all(db)
            .await?;
        for (code, n) in counted {
            used.insert((list, code), u64::try_from(n).unwrap_or_default());
        }
    }
    let mut rows = Vec::new();
    for o in all_options(db).await? {
        let used = used
            .get(&(o.list.as_str(), o.code.clone()))
            .copied()
            .unwrap_or_default();
        rows.push(OptionRow {
            id: o.id,
            list: o.list,
            code: o.code,
            label_nl: o.label_nl,
            label_en: o.label_en,
            kinds: o.kinds.split(',').filter_map(|k| k.parse().ok()).collect(),
            needs_note: o.needs_note,
            active: o.active,
            used,
        });
    }
    Ok(DisclosureLists {
        options: rows,
        may_manage: may(user, Action::Manage, Object::DisclosureLists),
    })
}

struct Valid {
    list: &'static str,
    code: String,
    label_nl: String,
    label_en: String,
    kinds: String,
    needs_note: bool,
    active: bool,
}

fn parse(input: &OptionInput, locale: Locale) -> Result<Valid, AppError> {
    let list = match input.list.trim() {
        PURPOSE => PURPOSE,
        LEGAL_BASIS => LEGAL_BASIS,
        _ => {
            return Err(AppError::invalid(
                "list",
                td_string!(locale, err_choose_from_list),
            ));
        }
    };
    let code = input.code.trim().to_owned();
    if code.len() < 2
        || code.len() > MAX_CODE
        || !code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(AppError::invalid(
            "code",
            td_string!(locale, err_option_code),
        ));
    }
    let label = |field: &str, text: &str| {
        let text = text.trim();
        if text.is_empty() {
            Err(AppError::invalid(field, td_string!(locale, err_required)))
        } else if text.chars().count() > MAX_LABEL {
            Err(AppError::invalid(
                field,
                format!("{} {MAX_LABEL}", td_string!(locale, err_too_long)),
            ))
        } else {
            Ok(text.to_owned())
        }
    };
    let label_nl = label("label_nl", &input.label_nl)?;
    let label_en = label("label_en", &input.label_en)?;
    let mut kinds = Vec::new();
    for (code, chosen) in &input.kinds {
        if !chosen {
            continue;
        }
        let kind: OrganisationKind = code
            .parse()
            .map_err(|_| AppError::invalid("kinds", td_string!(locale, err_choose_from_list)))?;
        kinds.push(kind);
    }
    if list == PURPOSE && !kinds.is_empty() {
        return Err(AppError::invalid(
            "kinds",
            td_string!(locale, err_option_kinds_purpose),
        ));
    }
    kinds.sort_by_key(|k| OrganisationKind::ALL.iter().position(|a| a == k));
    if list == LEGAL_BASIS && input.needs_note {
        return Err(AppError::invalid(
            "needs_note",
            td_string!(locale, err_option_note_basis),
        ));
    }
    Ok(Valid {
        list,
        code,
        label_nl,
        label_en,
        kinds: kinds
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(","),
        needs_note: input.needs_note,
        active: input.active,
    })
}

/// Adds an option (`id` none) or changes one: its labels, kinds, note and whether it is
/// offered; never its list or code. Audited.
#[tracing::instrument(level = "error", skip_all)]
pub async fn save(
    db: &DatabaseConnection,
    user: &Caller,
    id: Option<i32>,
    input: &OptionInput,
) -> Result<i32, AppError> {
    let locale = user.locale;
    let valid = parse(input, locale)?;
    let txn = crate::server::begin_write(db).await?;
    let saved = match id {
        None => disclosure_option::ActiveModel {
            list: Set(valid.list.to_owned()),
            code: Set(valid.code.clone()),
            label_nl: Set(valid.label_nl.clone()),
            label_en: Set(valid.label_en.clone()),
            kinds: Set(valid.kinds.clone()),
            needs_note: Set(valid.needs_note),
            active: Set(valid.active),
            position: Set(100),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(AppError::unique_or(
            "code",
            td_string!(locale, err_duplicate_name).to_owned(),
        ))?,
        Some(id) => {
            let Some(found) = disclosure_option::Entity::find_by_id(id).one(&txn).await? else {
                return Err(AppError::invalid(
                    "id",
                    td_string!(locale, err_choose_from_list),
                ));
            };
            if found.list != valid.list || found.code != valid.code {
                return Err(AppError::invalid(
                    "code",
                    td_string!(locale, err_option_code_fixed),
                ));
            }
            let mut active: disclosure_option::ActiveModel = found.into();
            active.label_nl = Set(valid.label_nl.clone());
            active.label_en = Set(valid.label_en.clone());
            active.kinds = Set(valid.kinds.clone());
            active.needs_note = Set(valid.needs_note);
            active.active = Set(valid.active);
            active.update(&txn).await?
        }
    };
    let offered = disclosure_option::Entity::find()
        .filter(disclosure_option::Column::List.eq(valid.list))
        .filter(disclosure_option::Column::Active.eq(true))
        .count(&txn)
        .await?;
    if offered == 0 {
        return Err(AppError::invalid(
            "active",
            td_string!(locale, err_option_last),
        ));
    }
    crate::server::audit::record_by(
        &txn,
        user,
        "save_disclosure_option",
        "disclosure_option",
        saved.id,
        format!(
            "{} {}{}{}",
            saved.list,
            saved.code,
            if saved.active { "" } else { ", not offered" },
            if saved.kinds.is_empty() {
                String::new()
            } else {
                format!(", for {}", saved.kinds)
            }
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(saved.id)
}
