//! Administrators: organisations and regions.

use crate::partnerships::admin_store::{duplicate_or, record, text};
use crate::server::caller::Caller;
use crate::{
    domain::OrganisationKind, error::AppError, i18n::*, language::request_locale,
    partnerships::admin_types::OrganisationInput, partnerships::admin_types::OrganisationRow,
    partnerships::admin_types::RegionInput, partnerships::admin_types::RegionRow,
    partnerships::types::RegionOption,
};
use crate::{
    server::audit, server::audit::Actor, server::audit::Event, server::audit::Outcome,
    server::entity::organisation, server::entity::region,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryOrder,
};

/// An organisation form that passed every check.
pub struct ValidOrganisation {
    pub name: String,
    pub short_name: String,
    pub kind: OrganisationKind,
}

pub fn parse_organisation(input: &OrganisationInput) -> Result<ValidOrganisation, AppError> {
    Ok(ValidOrganisation {
        name: text("name", &input.name, 120)?,
        short_name: text("short_name", &input.short_name, 20)?,
        kind: input.kind.parse().map_err(|_| {
            AppError::invalid("kind", td_string!(request_locale(), err_choose_from_list))
        })?,
    })
}

#[tracing::instrument(level = "error", skip_all)]
pub async fn organisations(db: &DatabaseConnection) -> Result<Vec<OrganisationRow>, AppError> {
    organisation::Entity::find()
        .order_by_asc(organisation::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|o| {
            Ok(OrganisationRow {
                id: o.id,
                kind: o.kind.parse()?,
                name: o.name,
                short_name: o.short_name,
            })
        })
        .collect::<Result<_, AppError>>()
}

#[tracing::instrument(level = "error", skip_all)]
pub async fn save_organisation(
    db: &DatabaseConnection,
    admin: &Caller,
    id: Option<i32>,
    input: ValidOrganisation,
) -> Result<i32, AppError> {
    let txn = crate::server::begin_write(db).await?;
    let mut model = match id {
        Some(id) => organisation::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or_else(|| {
                AppError::invalid("id", td_string!(admin.locale, err_no_such_organisation))
            })?
            .into(),
        None => organisation::ActiveModel {
            ..Default::default()
        },
    };
    model.name = Set(input.name.clone());
    model.short_name = Set(input.short_name.clone());
    model.kind = Set(input.kind.as_str().to_owned());
    let saved = match id {
        Some(_) => model.update(&txn).await,
        None => model.insert(&txn).await,
    }
    .map_err(|err| {
        let name_taken = err.to_string().contains("short_name");
        duplicate_or(if name_taken { "short_name" } else { "name" })(err)
    })?;
    let action = if id.is_some() {
        "update_organisation"
    } else {
        "create_organisation"
    };
    record(&txn, admin, action, "organisation", saved.id, input.name).await?;
    txn.commit().await?;
    Ok(saved.id)
}

#[tracing::instrument(level = "error", skip_all)]
pub async fn regions(db: &DatabaseConnection) -> Result<Vec<RegionRow>, AppError> {
    region::Entity::find()
        .order_by_asc(region::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|r| {
            Ok(RegionRow {
                kind: r.kind.parse()?,
                code: r.code,
                name: r.name,
                parent: r.parent_code,
            })
        })
        .collect::<Result<_, AppError>>()
}

/// Adds a municipality to the reference list. Liaison ships the provinces and a first set of
/// municipalities; CBS renumbers municipalities when they merge, so administrators keep the
/// list current here.
#[tracing::instrument(level = "error", skip_all)]
pub async fn add_municipality(
    db: &DatabaseConnection,
    admin: &Caller,
    input: &RegionInput,
) -> Result<(), AppError> {
    let locale = admin.locale;
    let code = input.code.trim().to_ascii_uppercase();
    let well_formed =
        code.len() == 6 && code.starts_with("GM") && code[2..].chars().all(|c| c.is_ascii_digit());
    if !well_formed {
        return Err(AppError::invalid("code", td_string!(locale, err_cbs_code)));
    }
    let name = text("name", &input.name, 80)?;
    let province = region::Entity::find_by_id(input.province.trim())
        .one(db)
        .await?
        .filter(|r| r.kind == crate::domain::RegionKind::Province.as_str())
        .ok_or_else(|| AppError::invalid("province", td_string!(locale, err_choose_from_list)))?;
    if region::Entity::find_by_id(code.as_str()).count(db).await? > 0 {
        return Err(AppError::invalid(
            "code",
            td_string!(locale, err_duplicate_name),
        ));
    }
    let txn = crate::server::begin_write(db).await?;
    region::ActiveModel {
        code: Set(code.clone()),
        name: Set(name.clone()),
        kind: Set(crate::domain::RegionKind::Municipality.as_str().to_owned()),
        parent_code: Set(Some(province.code.clone())),
        latitude: Set(None),
        longitude: Set(None),
    }
    .insert(&txn)
    .await
    .map_err(duplicate_or("code"))?;
    audit::record(
        &txn,
        Event {
            actor: Actor::from(admin),
            action: "add_region",
            object_type: "region",
            object_id: code,
            outcome: Outcome::Success,
            client_address: admin.address.clone(),
            detail: format!("{name} in {}", province.name),
        },
    )
    .await?;
    txn.commit().await.map_err(AppError::from)
}

#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn known_regions(
    db: &impl ConnectionTrait,
) -> Result<Vec<RegionOption>, AppError> {
    Ok(region::Entity::find()
        .order_by_asc(region::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|r| RegionOption {
            code: r.code,
            name: r.name,
        })
        .collect())
}

#[tracing::instrument(level = "error", skip_all)]
pub async fn region_codes(db: &impl ConnectionTrait) -> Result<Vec<String>, AppError> {
    Ok(known_regions(db)
        .await?
        .into_iter()
        .map(|r| r.code)
        .collect())
}
