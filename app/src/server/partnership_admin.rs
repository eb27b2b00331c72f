//! Managing the partnerships (administrators): organisations, joint ventures, memberships over
//! time, coordinators and oversight. Input is parsed once, here, into valid values; every
//! change is written with its audit event in one transaction, or not at all.

use super::{
    audit::{self, Actor, Event, Outcome},
    auth::client_address,
    entity::{
        coordinator, joint_venture, joint_venture_region, joint_venture_theme, membership,
        organisation, oversight, region, user_account, user_role,
    },
};
use crate::{
    auth::SignedInUser,
    domain::{JointVentureStatus, MembershipRole, OrganisationKind, Role, Theme},
    error::AppError,
    i18n::*,
    language::request_locale,
    partnerships::{
        Named, RegionOption,
        admin::{
            AssignmentRow, JointVentureForm, JointVentureInput, MemberInput, MembershipAdminRow,
            OrganisationInput, OrganisationRow, RegionInput, RegionRow,
        },
    },
};
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait,
};

fn unexpected(err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "managing the partnerships failed");
    AppError::Unavailable
}

fn invalid(field: &str, message: &str) -> AppError {
    AppError::invalid(field, message)
}

fn date(field: &str, value: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| invalid(field, td_string!(request_locale(), err_date_format)))
}

fn optional_date(field: &str, value: &str) -> Result<Option<NaiveDate>, AppError> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        date(field, value).map(Some)
    }
}

fn text(field: &str, value: &str, max: usize) -> Result<String, AppError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(invalid(field, td_string!(request_locale(), err_required)));
    }
    if value.chars().count() > max {
        return Err(invalid(
            field,
            &format!("{} {max}", td_string!(request_locale(), err_too_long)),
        ));
    }
    Ok(value.to_owned())
}

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
        kind: input
            .kind
            .parse()
            .map_err(|_| invalid("kind", td_string!(request_locale(), err_choose_from_list)))?,
    })
}

/// A joint venture form that passed every check.
pub struct ValidJointVenture {
    pub name: String,
    pub mandate: String,
    pub legal_basis: String,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub themes: Vec<Theme>,
    pub regions: Vec<String>,
}

pub fn parse_joint_venture(
    input: &JointVentureInput,
    known_regions: &[String],
) -> Result<ValidJointVenture, AppError> {
    let locale = request_locale();
    let name = text("name", &input.name, 120)?;
    let themes = input.themes.themes();
    if themes.is_empty() {
        return Err(invalid("themes", td_string!(locale, err_choose_a_theme)));
    }
    let regions: Vec<String> = input
        .regions
        .iter()
        .filter(|(_, chosen)| **chosen)
        .map(|(code, _)| code.clone())
        .collect();
    if regions.is_empty() {
        return Err(invalid("regions", td_string!(locale, err_choose_a_region)));
    }
    if let Some(unknown) = regions.iter().find(|code| !known_regions.contains(code)) {
        return Err(invalid(
            "regions",
            &format!("{} {unknown}", td_string!(locale, err_unknown_region)),
        ));
    }
    let mandate = text("mandate", &input.mandate, 4000)?;
    let legal_basis = text("legal_basis", &input.legal_basis, 1000)?;
    let start = date("start", &input.start)?;
    let end = optional_date("end", &input.end)?;
    if end.is_some_and(|end| end < start) {
        return Err(invalid("end", td_string!(locale, err_end_before_start)));
    }
    Ok(ValidJointVenture {
        name,
        mandate,
        legal_basis,
        start,
        end,
        themes,
        regions,
    })
}

async fn record(
    txn: &DatabaseTransaction,
    admin: &SignedInUser,
    action: &'static str,
    object_type: &'static str,
    object_id: i32,
    detail: String,
) -> Result<(), AppError> {
    audit::record(
        txn,
        Event {
            actor: Actor::from(admin),
            action,
            object_type,
            object_id: object_id.to_string(),
            outcome: Outcome::Success,
            client_address: client_address(),
            detail,
        },
    )
    .await
    .map_err(unexpected)
}

/// A unique index refusing a duplicate becomes a message on the field.
fn duplicate_or(field: &'static str) -> impl Fn(sea_orm::DbErr) -> AppError {
    move |err| match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            invalid(field, td_string!(request_locale(), err_duplicate_name))
        }
        _ => unexpected(err),
    }
}

pub async fn organisations(db: &DatabaseConnection) -> Result<Vec<OrganisationRow>, AppError> {
    Ok(organisation::Entity::find()
        .order_by_asc(organisation::Column::Name)
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|o| OrganisationRow {
            id: o.id,
            kind: o.kind.parse().unwrap_or(OrganisationKind::Other),
            name: o.name,
            short_name: o.short_name,
        })
        .collect())
}

pub async fn save_organisation(
    db: &DatabaseConnection,
    admin: &SignedInUser,
    id: Option<i32>,
    input: ValidOrganisation,
) -> Result<i32, AppError> {
    let txn = db.begin().await.map_err(unexpected)?;
    let mut model = match id {
        Some(id) => organisation::Entity::find_by_id(id)
            .one(&txn)
            .await
            .map_err(unexpected)?
            .ok_or_else(|| invalid("id", td_string!(request_locale(), err_no_such_organisation)))?
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
    txn.commit().await.map_err(unexpected)?;
    Ok(saved.id)
}

pub async fn regions(db: &DatabaseConnection) -> Result<Vec<RegionRow>, AppError> {
    Ok(region::Entity::find()
        .order_by_asc(region::Column::Name)
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|r| RegionRow {
            kind: r
                .kind
                .parse()
                .unwrap_or(crate::domain::RegionKind::Municipality),
            code: r.code,
            name: r.name,
            parent: r.parent_code,
        })
        .collect())
}

/// Adds a municipality to the reference list. Liaison ships the provinces and a first set of
/// municipalities; CBS renumbers municipalities when they merge, so administrators keep the
/// list current here.
pub async fn add_municipality(
    db: &DatabaseConnection,
    admin: &SignedInUser,
    input: &RegionInput,
) -> Result<(), AppError> {
    let locale = request_locale();
    let code = input.code.trim().to_ascii_uppercase();
    let well_formed =
        code.len() == 6 && code.starts_with("GM") && code[2..].chars().all(|c| c.is_ascii_digit());
    if !well_formed {
        return Err(invalid("code", td_string!(locale, err_cbs_code)));
    }
    let name = text("name", &input.name, 80)?;
    let province = region::Entity::find_by_id(input.province.trim())
        .one(db)
        .await
        .map_err(unexpected)?
        .filter(|r| r.kind == crate::domain::RegionKind::Province.as_str())
        .ok_or_else(|| invalid("province", td_string!(locale, err_choose_from_list)))?;
    if region::Entity::find_by_id(code.as_str())
        .count(db)
        .await
        .map_err(unexpected)?
        > 0
    {
        return Err(invalid("code", td_string!(locale, err_duplicate_name)));
    }
    let txn = db.begin().await.map_err(unexpected)?;
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
            client_address: client_address(),
            detail: format!("{name} in {}", province.name),
        },
    )
    .await
    .map_err(unexpected)?;
    txn.commit().await.map_err(unexpected)
}

async fn known_regions(db: &impl ConnectionTrait) -> Result<Vec<RegionOption>, AppError> {
    Ok(region::Entity::find()
        .order_by_asc(region::Column::Code)
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|r| RegionOption {
            code: r.code,
            name: r.name,
        })
        .collect())
}

pub async fn region_codes(db: &impl ConnectionTrait) -> Result<Vec<String>, AppError> {
    Ok(known_regions(db)
        .await?
        .into_iter()
        .map(|r| r.code)
        .collect())
}

async fn users_with_role(db: &impl ConnectionTrait, role: Role) -> Result<Vec<Named>, AppError> {
    let ids: Vec<i32> = user_role::Entity::find()
        .filter(user_role::Column::Role.eq(role.as_str()))
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|r| r.user_id)
        .collect();
    Ok(user_account::Entity::find()
        .filter(user_account::Column::Id.is_in(ids))
        .filter(user_account::Column::Active.eq(true))
        .order_by_asc(user_account::Column::DisplayName)
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|u| Named {
            id: u.id,
            name: format!("{} ({})", u.display_name, u.username),
        })
        .collect())
}

fn assigned(user_ids: Vec<i32>, candidates: &[Named]) -> Vec<AssignmentRow> {
    user_ids
        .into_iter()
        .map(|id| AssignmentRow {
            user_id: id,
            name: candidates
                .iter()
                .find(|c| c.id == id)
                .map(|c| c.name.clone())
                .unwrap_or_else(|| format!("#{id}")),
        })
        .collect()
}

/// What the joint venture form needs: the current values (for an existing one), the choices,
/// and the memberships and assignments to manage.
pub async fn form(db: &DatabaseConnection, id: Option<i32>) -> Result<JointVentureForm, AppError> {
    let regions = known_regions(db).await?;
    let organisations = organisations(db)
        .await?
        .into_iter()
        .map(|o| Named {
            id: o.id,
            name: o.name,
        })
        .collect::<Vec<_>>();
    let coordinator_candidates = users_with_role(db, Role::Coordinator).await?;
    let manager_candidates = users_with_role(db, Role::Manager).await?;
    let mut form = JointVentureForm {
        id,
        input: JointVentureInput::default(),
        regions,
        organisations: organisations.clone(),
        memberships: Vec::new(),
        coordinators: Vec::new(),
        managers: Vec::new(),
        coordinator_candidates,
        manager_candidates,
    };
    let Some(id) = id else {
        return Ok(form);
    };
    let venture = joint_venture::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(unexpected)?
        .ok_or_else(|| {
            invalid(
                "id",
                td_string!(request_locale(), err_no_such_joint_venture),
            )
        })?;
    let themes: Vec<Theme> = joint_venture_theme::Entity::find()
        .filter(joint_venture_theme::Column::JointVentureId.eq(id))
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .filter_map(|t| t.theme.parse().ok())
        .collect();
    let regions = joint_venture_region::Entity::find()
        .filter(joint_venture_region::Column::JointVentureId.eq(id))
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|r| (r.region_code, true))
        .collect();
    form.input = JointVentureInput {
        name: venture.name,
        mandate: venture.mandate,
        legal_basis: venture.legal_basis,
        start: venture.start_date.to_string(),
        end: venture.end_date.map(|d| d.to_string()).unwrap_or_default(),
        themes: crate::partnerships::admin::ThemeChoice::from_themes(&themes),
        regions,
    };
    form.memberships = membership::Entity::find()
        .filter(membership::Column::JointVentureId.eq(id))
        .order_by_asc(membership::Column::Since)
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|m| MembershipAdminRow {
            id: m.id,
            organisation: organisations
                .iter()
                .find(|o| o.id == m.organisation_id)
                .map(|o| o.name.clone())
                .unwrap_or_default(),
            role: m.role.parse().unwrap_or(MembershipRole::Member),
            since: m.since.to_string(),
            until: m.until.map(|d| d.to_string()),
        })
        .collect();
    let coordinator_ids = super::partnerships::coordinators_of(db, id).await?;
    let manager_ids = super::partnerships::overseers_of(db, id).await?;
    form.coordinators = assigned(coordinator_ids, &form.coordinator_candidates);
    form.managers = assigned(manager_ids, &form.manager_candidates);
    Ok(form)
}

pub async fn save_joint_venture(
    db: &DatabaseConnection,
    admin: &SignedInUser,
    id: Option<i32>,
    input: ValidJointVenture,
) -> Result<i32, AppError> {
    let today = chrono::Utc::now().date_naive();
    let status = if input.end.is_some_and(|end| end < today) {
        JointVentureStatus::Ended
    } else {
        JointVentureStatus::Active
    };
    let txn = db.begin().await.map_err(unexpected)?;
    let mut model = match id {
        Some(id) => joint_venture::Entity::find_by_id(id)
            .one(&txn)
            .await
            .map_err(unexpected)?
            .ok_or_else(|| {
                invalid(
                    "id",
                    td_string!(request_locale(), err_no_such_joint_venture),
                )
            })?
            .into(),
        None => joint_venture::ActiveModel {
            ..Default::default()
        },
    };
    model.name = Set(input.name.clone());
    model.mandate = Set(input.mandate);
    model.legal_basis = Set(input.legal_basis);
    model.start_date = Set(input.start);
    model.end_date = Set(input.end);
    model.status = Set(status.as_str().to_owned());
    let saved = match id {
        Some(_) => model.update(&txn).await,
        None => model.insert(&txn).await,
    }
    .map_err(duplicate_or("name"))?;
    joint_venture_theme::Entity::delete_many()
        .filter(joint_venture_theme::Column::JointVentureId.eq(saved.id))
        .exec(&txn)
        .await
        .map_err(unexpected)?;
    joint_venture_theme::Entity::insert_many(input.themes.iter().map(|theme| {
        joint_venture_theme::ActiveModel {
            joint_venture_id: Set(saved.id),
            theme: Set(theme.as_str().to_owned()),
        }
    }))
    .exec(&txn)
    .await
    .map_err(unexpected)?;
    joint_venture_region::Entity::delete_many()
        .filter(joint_venture_region::Column::JointVentureId.eq(saved.id))
        .exec(&txn)
        .await
        .map_err(unexpected)?;
    joint_venture_region::Entity::insert_many(input.regions.iter().map(|code| {
        joint_venture_region::ActiveModel {
            joint_venture_id: Set(saved.id),
            region_code: Set(code.clone()),
        }
    }))
    .exec(&txn)
    .await
    .map_err(unexpected)?;
    let action = if id.is_some() {
        "update_joint_venture"
    } else {
        "create_joint_venture"
    };
    let detail = format!(
        "{}; themes {}; regions {}",
        input.name,
        input
            .themes
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        input.regions.join(", ")
    );
    record(&txn, admin, action, "joint_venture", saved.id, detail).await?;
    txn.commit().await.map_err(unexpected)?;
    Ok(saved.id)
}

pub async fn add_member(
    db: &DatabaseConnection,
    admin: &SignedInUser,
    joint_venture_id: i32,
    input: &MemberInput,
) -> Result<(), AppError> {
    let locale = request_locale();
    let organisation_id = input
        .organisation_id
        .trim()
        .parse::<i32>()
        .map_err(|_| invalid("organisation_id", td_string!(locale, err_choose_from_list)))?;
    let role: MembershipRole = input
        .role
        .parse()
        .map_err(|_| invalid("role", td_string!(locale, err_choose_from_list)))?;
    let since = date("since", &input.since)?;
    let venture = joint_venture::Entity::find_by_id(joint_venture_id)
        .one(db)
        .await
        .map_err(unexpected)?
        .ok_or_else(|| invalid("id", td_string!(locale, err_no_such_joint_venture)))?;
    if organisation::Entity::find_by_id(organisation_id)
        .count(db)
        .await
        .map_err(unexpected)?
        == 0
    {
        return Err(invalid(
            "organisation_id",
            td_string!(locale, err_choose_from_list),
        ));
    }
    if since < venture.start_date || venture.end_date.is_some_and(|end| since > end) {
        return Err(invalid(
            "since",
            td_string!(locale, err_since_outside_period),
        ));
    }
    let current = membership::Entity::find()
        .filter(membership::Column::JointVentureId.eq(joint_venture_id))
        .filter(membership::Column::OrganisationId.eq(organisation_id))
        .filter(membership::Column::Until.is_null())
        .count(db)
        .await
        .map_err(unexpected)?;
    if current > 0 {
        return Err(invalid(
            "organisation_id",
            td_string!(locale, err_already_member),
        ));
    }
    let txn = db.begin().await.map_err(unexpected)?;
    let saved = membership::ActiveModel {
        joint_venture_id: Set(joint_venture_id),
        organisation_id: Set(organisation_id),
        role: Set(role.as_str().to_owned()),
        since: Set(since),
        until: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(unexpected)?;
    record(
        &txn,
        admin,
        "add_member",
        "joint_venture",
        joint_venture_id,
        format!(
            "organisation {organisation_id} as {} from {since} (membership {})",
            role.as_str(),
            saved.id
        ),
    )
    .await?;
    txn.commit().await.map_err(unexpected)
}

/// Ends a membership at a date; the row stays, so the history does.
pub async fn end_member(
    db: &DatabaseConnection,
    admin: &SignedInUser,
    membership_id: i32,
    until: &str,
) -> Result<i32, AppError> {
    let locale = request_locale();
    let until = date("until", until)?;
    let existing = membership::Entity::find_by_id(membership_id)
        .one(db)
        .await
        .map_err(unexpected)?
        .ok_or_else(|| invalid("membership_id", td_string!(locale, err_choose_from_list)))?;
    if existing.until.is_some() {
        return Err(invalid("until", td_string!(locale, err_membership_ended)));
    }
    if until < existing.since {
        return Err(invalid("until", td_string!(locale, err_end_before_start)));
    }
    let joint_venture_id = existing.joint_venture_id;
    let txn = db.begin().await.map_err(unexpected)?;
    let mut model: membership::ActiveModel = existing.into();
    model.until = Set(Some(until));
    model.update(&txn).await.map_err(unexpected)?;
    record(
        &txn,
        admin,
        "end_member",
        "joint_venture",
        joint_venture_id,
        format!("membership {membership_id} until {until}"),
    )
    .await?;
    txn.commit().await.map_err(unexpected)?;
    Ok(joint_venture_id)
}

/// Assigns a coordinator or an overseeing manager: the user must hold that role.
pub async fn assign(
    db: &DatabaseConnection,
    admin: &SignedInUser,
    joint_venture_id: i32,
    user_id: i32,
    as_manager: bool,
    add: bool,
) -> Result<(), AppError> {
    let locale = request_locale();
    let role = if as_manager {
        Role::Manager
    } else {
        Role::Coordinator
    };
    if joint_venture::Entity::find_by_id(joint_venture_id)
        .count(db)
        .await
        .map_err(unexpected)?
        == 0
    {
        return Err(invalid("id", td_string!(locale, err_no_such_joint_venture)));
    }
    if add
        && !users_with_role(db, role)
            .await?
            .iter()
            .any(|u| u.id == user_id)
    {
        return Err(invalid("user_id", td_string!(locale, err_choose_from_list)));
    }
    let txn = db.begin().await.map_err(unexpected)?;
    let since = chrono::Utc::now().date_naive();
    // How many assignments changed: removing someone who is not assigned changes none.
    let changed = match (as_manager, add) {
        (false, true) => coordinator::ActiveModel {
            joint_venture_id: Set(joint_venture_id),
            user_id: Set(user_id),
            since: Set(since),
        }
        .insert(&txn)
        .await
        .map(|_| 1),
        (true, true) => oversight::ActiveModel {
            joint_venture_id: Set(joint_venture_id),
            user_id: Set(user_id),
            since: Set(since),
        }
        .insert(&txn)
        .await
        .map(|_| 1),
        (false, false) => coordinator::Entity::delete_by_id((joint_venture_id, user_id))
            .exec(&txn)
            .await
            .map(|done| done.rows_affected),
        (true, false) => oversight::Entity::delete_by_id((joint_venture_id, user_id))
            .exec(&txn)
            .await
            .map(|done| done.rows_affected),
    };
    let changed = changed.map_err(|err| match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => invalid(
            "user_id",
            td_string!(request_locale(), err_already_assigned),
        ),
        _ => unexpected(err),
    })?;
    if changed == 0 {
        return Err(invalid("user_id", td_string!(locale, err_choose_from_list)));
    }
    let action = match (as_manager, add) {
        (false, true) => "assign_coordinator",
        (false, false) => "remove_coordinator",
        (true, true) => "assign_oversight",
        (true, false) => "remove_oversight",
    };
    record(
        &txn,
        admin,
        action,
        "joint_venture",
        joint_venture_id,
        format!("user {user_id}"),
    )
    .await?;
    txn.commit().await.map_err(unexpected)
}
