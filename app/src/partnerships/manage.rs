//! Administrators: joint ventures, their members and their coordinators and managers.

use crate::partnerships::admin_store::{date, duplicate_or, optional_date, record, text};
use crate::partnerships::organisations::{known_regions, organisations};
use crate::server::caller::Caller;
use crate::{
    domain::JointVentureStatus, domain::MembershipRole, domain::Role, domain::Theme,
    error::AppError, i18n::*, language::request_locale, partnerships::admin_types::AssignmentRow,
    partnerships::admin_types::JointVentureForm, partnerships::admin_types::JointVentureInput,
    partnerships::admin_types::MemberInput, partnerships::admin_types::MembershipAdminRow,
    partnerships::types::Named,
};
use crate::{
    server::entity::coordinator, server::entity::joint_venture,
    server::entity::joint_venture_region, server::entity::joint_venture_theme,
    server::entity::membership, server::entity::organisation, server::entity::oversight,
    server::entity::user_account, server::entity::user_role,
};
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

/// A joint venture form that passed every check.
pub struct ValidJointVenture {
    pub name: String,
    pub mandate: String,
    pub legal_basis: String,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub themes: Vec<Theme>,
    pub regions: Vec<String>,
    /// Every consent to disclose needs a second coordinator's approval.
    pub four_eyes: bool,
}

pub fn parse_joint_venture(
    input: &JointVentureInput,
    known_regions: &[String],
) -> Result<ValidJointVenture, AppError> {
    let locale = request_locale();
    let name = text("name", &input.name, 120)?;
    let themes = input.themes.themes();
    if themes.is_empty() {
        return Err(AppError::invalid(
            "themes",
            td_string!(locale, err_choose_a_theme),
        ));
    }
    let regions: Vec<String> = input
        .regions
        .iter()
        .filter(|(_, chosen)| **chosen)
        .map(|(code, _)| code.clone())
        .collect();
    if regions.is_empty() {
        return Err(AppError::invalid(
            "regions",
            td_string!(locale, err_choose_a_region),
        ));
    }
    if let Some(unknown) = regions.iter().find(|code| !known_regions.contains(code)) {
        return Err(AppError::invalid(
            "regions",
            format!("{} {unknown}", td_string!(locale, err_unknown_region)),
        ));
    }
    let mandate = text("mandate", &input.mandate, 4000)?;
    let legal_basis = text("legal_basis", &input.legal_basis, 1000)?;
    let start = date("start", &input.start)?;
    let end = optional_date("end", &input.end)?;
    if end.is_some_and(|end| end < start) {
        return Err(AppError::invalid(
            "end",
            td_string!(locale, err_end_before_start),
        ));
    }
    Ok(ValidJointVenture {
        name,
        mandate,
        legal_basis,
        start,
        end,
        themes,
        regions,
        four_eyes: input.four_eyes,
    })
}

#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn users_with_role(
    db: &impl ConnectionTrait,
    role: Role,
) -> Result<Vec<Named>, AppError> {
    let ids: Vec<i32> = user_role::Entity::find()
        .filter(user_role::Column::Role.eq(role.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.user_id)
        .collect();
    Ok(user_account::Entity::find()
        .filter(user_account::Column::Id.is_in(ids))
        .filter(user_account::Column::Active.eq(true))
        .order_by_asc(user_account::Column::DisplayName)
        .all(db)
        .await?
        .into_iter()
        .map(|u| Named {
            id: u.id,
            name: format!("{} ({})", u.display_name, u.username),
        })
        .collect())
}

pub(crate) fn assigned(user_ids: Vec<i32>, candidates: &[Named]) -> Vec<AssignmentRow> {
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
#[tracing::instrument(level = "error", skip_all)]
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
        .await?
        .ok_or_else(|| {
            AppError::invalid(
                "id",
                td_string!(request_locale(), err_no_such_joint_venture),
            )
        })?;
    let themes: Vec<Theme> = joint_venture_theme::Entity::find()
        .filter(joint_venture_theme::Column::JointVentureId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|t| t.theme.parse().ok())
        .collect();
    let regions = joint_venture_region::Entity::find()
        .filter(joint_venture_region::Column::JointVentureId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.region_code, true))
        .collect();
    form.input = JointVentureInput {
        name: venture.name,
        mandate: venture.mandate,
        legal_basis: venture.legal_basis,
        start: venture.start_date.to_string(),
        end: venture.end_date.map(|d| d.to_string()).unwrap_or_default(),
        themes: crate::partnerships::admin_types::ThemeChoice::from_themes(&themes),
        regions,
        four_eyes: venture.four_eyes_disclosure,
    };
    form.memberships = membership::Entity::find()
        .filter(membership::Column::JointVentureId.eq(id))
        .order_by_asc(membership::Column::Since)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            Ok(MembershipAdminRow {
                id: m.id,
                organisation: organisations
                    .iter()
                    .find(|o| o.id == m.organisation_id)
                    .map(|o| o.name.clone())
                    .unwrap_or_default(),
                role: m.role.parse()?,
                since: m.since.to_string(),
                until: m.until.map(|d| d.to_string()),
            })
        })
        .collect::<Result<_, AppError>>()?;
    let coordinator_ids = crate::partnerships::store::coordinators_of(db, id).await?;
    let manager_ids = crate::partnerships::store::overseers_of(db, id).await?;
    form.coordinators = assigned(coordinator_ids, &form.coordinator_candidates);
    form.managers = assigned(manager_ids, &form.manager_candidates);
    Ok(form)
}

#[tracing::instrument(level = "error", skip_all)]
pub async fn save_joint_venture(
    db: &DatabaseConnection,
    admin: &Caller,
    id: Option<i32>,
    input: ValidJointVenture,
) -> Result<i32, AppError> {
    let today = chrono::Utc::now().date_naive();
    let status = if input.end.is_some_and(|end| end < today) {
        JointVentureStatus::Ended
    } else {
        JointVentureStatus::Active
    };
    let txn = crate::server::begin_write(db).await?;
    let mut model = match id {
        Some(id) => joint_venture::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or_else(|| {
                AppError::invalid("id", td_string!(admin.locale, err_no_such_joint_venture))
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
    model.four_eyes_disclosure = Set(input.four_eyes);
    let saved = match id {
        Some(_) => model.update(&txn).await,
        None => model.insert(&txn).await,
    }
    .map_err(duplicate_or("name"))?;
    joint_venture_theme::Entity::delete_many()
        .filter(joint_venture_theme::Column::JointVentureId.eq(saved.id))
        .exec(&txn)
        .await?;
    joint_venture_theme::Entity::insert_many(input.themes.iter().map(|theme| {
        joint_venture_theme::ActiveModel {
            joint_venture_id: Set(saved.id),
            theme: Set(theme.as_str().to_owned()),
        }
    }))
    .exec(&txn)
    .await?;
    joint_venture_region::Entity::delete_many()
        .filter(joint_venture_region::Column::JointVentureId.eq(saved.id))
        .exec(&txn)
        .await?;
    joint_venture_region::Entity::insert_many(input.regions.iter().map(|code| {
        joint_venture_region::ActiveModel {
            joint_venture_id: Set(saved.id),
            region_code: Set(code.clone()),
        }
    }))
    .exec(&txn)
    .await?;
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
    txn.commit().await?;
    Ok(saved.id)
}

#[tracing::instrument(level = "error", skip_all)]
pub async fn add_member(
    db: &DatabaseConnection,
    admin: &Caller,
    joint_venture_id: i32,
    input: &MemberInput,
) -> Result<(), AppError> {
    let locale = admin.locale;
    let organisation_id = input.organisation_id.trim().parse::<i32>().map_err(|_| {
        AppError::invalid("organisation_id", td_string!(locale, err_choose_from_list))
    })?;
    let role: MembershipRole = input
        .role
        .parse()
        .map_err(|_| AppError::invalid("role", td_string!(locale, err_choose_from_list)))?;
    let since = date("since", &input.since)?;
    let venture = joint_venture::Entity::find_by_id(joint_venture_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::invalid("id", td_string!(locale, err_no_such_joint_venture)))?;
    if organisation::Entity::find_by_id(organisation_id)
        .count(db)
        .await?
        == 0
    {
        return Err(AppError::invalid(
            "organisation_id",
            td_string!(locale, err_choose_from_list),
        ));
    }
    if since < venture.start_date || venture.end_date.is_some_and(|end| since > end) {
        return Err(AppError::invalid(
            "since",
            td_string!(locale, err_since_outside_period),
        ));
    }
    let current = membership::Entity::find()
        .filter(membership::Column::JointVentureId.eq(joint_venture_id))
        .filter(membership::Column::OrganisationId.eq(organisation_id))
        .filter(membership::Column::Until.is_null())
        .count(db)
        .await?;
    if current > 0 {
        return Err(AppError::invalid(
            "organisation_id",
            td_string!(locale, err_already_member),
        ));
    }
    let txn = crate::server::begin_write(db).await?;
    let saved = membership::ActiveModel {
        joint_venture_id: Set(joint_venture_id),
        organisation_id: Set(organisation_id),
        role: Set(role.as_str().to_owned()),
        since: Set(since),
        until: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
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
    txn.commit().await.map_err(AppError::from)
}

/// Ends a membership at a date; the row stays, so the history does.
#[tracing::instrument(level = "error", skip_all)]
pub async fn end_member(
    db: &DatabaseConnection,
    admin: &Caller,
    membership_id: i32,
    until: &str,
) -> Result<i32, AppError> {
    let locale = admin.locale;
    let until = date("until", until)?;
    let existing = membership::Entity::find_by_id(membership_id)
        .one(db)
        .await?
        .ok_or_else(|| {
            AppError::invalid("membership_id", td_string!(locale, err_choose_from_list))
        })?;
    if existing.until.is_some() {
        return Err(AppError::invalid(
            "until",
            td_string!(locale, err_membership_ended),
        ));
    }
    if until < existing.since {
        return Err(AppError::invalid(
            "until",
            td_string!(locale, err_end_before_start),
        ));
    }
    let joint_venture_id = existing.joint_venture_id;
    let txn = crate::server::begin_write(db).await?;
    let mut model: membership::ActiveModel = existing.into();
    model.until = Set(Some(until));
    model.update(&txn).await?;
    record(
        &txn,
        admin,
        "end_member",
        "joint_venture",
        joint_venture_id,
        format!("membership {membership_id} until {until}"),
    )
    .await?;
    txn.commit().await?;
    Ok(joint_venture_id)
}

/// Assigns a coordinator or an overseeing manager: the user must hold that role.
#[tracing::instrument(level = "error", skip_all)]
pub async fn assign(
    db: &DatabaseConnection,
    admin: &Caller,
    joint_venture_id: i32,
    user_id: i32,
    as_manager: bool,
    add: bool,
) -> Result<(), AppError> {
    let locale = admin.locale;
    let role = if as_manager {
        Role::Manager
    } else {
        Role::Coordinator
    };
    if joint_venture::Entity::find_by_id(joint_venture_id)
        .count(db)
        .await?
        == 0
    {
        return Err(AppError::invalid(
            "id",
            td_string!(locale, err_no_such_joint_venture),
        ));
    }
    if user_id == admin.id {
        return Err(AppError::invalid(
            "user_id",
            td_string!(locale, err_assign_yourself),
        ));
    }
    if add
        && !users_with_role(db, role)
            .await?
            .iter()
            .any(|u| u.id == user_id)
    {
        return Err(AppError::invalid(
            "user_id",
            td_string!(locale, err_choose_from_list),
        ));
    }
    let txn = crate::server::begin_write(db).await?;
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
    let changed = changed.map_err(AppError::unique_or(
        "user_id",
        td_string!(admin.locale, err_already_assigned).to_owned(),
    ))?;
    if changed == 0 {
        return Err(AppError::invalid(
            "user_id",
            td_string!(locale, err_choose_from_list),
        ));
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
    txn.commit().await.map_err(AppError::from)
}
