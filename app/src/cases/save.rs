//! Saving a case: the checks, the handling code and the change of joint venture.

use crate::server::caller::Caller;
use crate::{cases::store::record, server::time::now};
use crate::{
    cases::types::CaseInput, domain::CaseStatus, domain::Handling, domain::Theme, error::AppError,
    i18n::*, language::request_locale,
};
use crate::{server::entity::case, server::entity::case_share};
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, ExprTrait, QueryFilter, sea_query::Expr,
};
use std::collections::BTreeSet;

/// A case form that passed every check.
pub struct ValidCase {
    pub joint_venture_id: i32,
    pub reference: String,
    pub title: String,
    pub theme: Theme,
    pub status: CaseStatus,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub handling: Handling,
    pub shared_with: BTreeSet<i32>,
    pub description: String,
}

pub fn parse(input: &CaseInput) -> Result<ValidCase, AppError> {
    let locale = request_locale();
    let choose = || td_string!(locale, err_choose_from_list);
    let joint_venture_id = input
        .joint_venture_id
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("joint_venture_id", choose()))?;
    let reference = input.reference.trim().to_uppercase();
    if reference.is_empty()
        || reference.len() > 40
        || !reference
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-/.".contains(c))
    {
        return Err(AppError::invalid(
            "reference",
            td_string!(locale, err_case_reference),
        ));
    }
    let title = input.title.trim().to_owned();
    if title.is_empty() || title.chars().count() > 200 {
        return Err(AppError::invalid("title", td_string!(locale, err_required)));
    }
    let theme = input
        .theme
        .parse()
        .map_err(|_| AppError::invalid("theme", choose()))?;
    let status = input
        .status
        .parse()
        .map_err(|_| AppError::invalid("status", choose()))?;
    let date = |field: &str, value: &str| {
        crate::domain::dates::parse_day(value)
            .ok_or_else(|| AppError::invalid(field, td_string!(locale, err_date_format)))
    };
    let start = date("start", &input.start)?;
    let end = if input.end.trim().is_empty() {
        None
    } else {
        Some(date("end", &input.end)?)
    };
    if end.is_some_and(|end| end < start) {
        return Err(AppError::invalid(
            "end",
            td_string!(locale, err_end_before_start),
        ));
    }
    let handling: Handling = input
        .handling
        .parse()
        .map_err(|_| AppError::invalid("handling", choose()))?;
    let shared_with: BTreeSet<i32> = input
        .shared_with
        .iter()
        .filter(|(_, chosen)| **chosen)
        .map(|(id, _)| {
            id.parse()
                .map_err(|_| AppError::invalid("shared_with", choose()))
        })
        .collect::<Result<_, _>>()?;
    if handling == Handling::SharedWith && shared_with.is_empty() {
        return Err(AppError::invalid(
            "shared_with",
            td_string!(locale, err_shared_with),
        ));
    }
    let description = input.description.trim().to_owned();
    if description.chars().count() > 10_000 {
        return Err(AppError::invalid(
            "description",
            td_string!(locale, err_too_long),
        ));
    }
    Ok(ValidCase {
        joint_venture_id,
        reference,
        title,
        theme,
        status,
        start,
        end,
        handling,
        shared_with: if handling == Handling::SharedWith {
            shared_with
        } else {
            BTreeSet::new()
        },
        description,
    })
}

/// Four eyes cannot be undone alone: a case marked `share-on-approval` is not relaxed to a
/// code that discloses on one coordinator's consent (`share-on-consent`, `shared-with`) while
/// it has an overlap that is not disclosed yet. Otherwise a coordinator whose request was
/// refused could relax the code and consent alone. Making it stricter (`pointer-only`) is
/// always possible; once nothing waits, relaxing it is an ordinary (audited) change.
async fn four_eyes_kept(
    txn: &impl sea_orm::ConnectionTrait,
    user: &Caller,
    id: i32,
    handling: Handling,
) -> Result<(), AppError> {
    use crate::server::entity::overlap;
    use sea_orm::PaginatorTrait;
    let Some(stored) = case::Entity::find_by_id(id).one(txn).await? else {
        return Ok(());
    };
    if stored.handling != Handling::ShareOnApproval.as_str()
        || !matches!(handling, Handling::ShareOnConsent | Handling::SharedWith)
    {
        return Ok(());
    }
    let undisclosed = overlap::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(overlap::Column::FirstCaseId.eq(id))
                .add(overlap::Column::SecondCaseId.eq(id)),
        )
        .filter(overlap::Column::DisclosedAt.is_null())
        .filter(overlap::Column::State.ne(crate::domain::OverlapState::Closed.as_str()))
        .count(txn)
        .await?;
    if undisclosed > 0 {
        return Err(AppError::invalid(
            "handling",
            td_string!(user.locale, err_handling_four_eyes_kept),
        ));
    }
    Ok(())
}

pub(crate) fn conflict() -> AppError {
    AppError::Refused(td_string!(request_locale(), err_case_conflict).to_owned())
}

/// Creates (`id` none) or changes a case. A change names the version it was based on; if the
/// case was saved by someone else since, nothing is written and the caller is told.
#[tracing::instrument(level = "error", skip_all)]
pub async fn save(
    db: &DatabaseConnection,
    user: &Caller,
    id: Option<i32>,
    version: Option<i32>,
    valid: ValidCase,
) -> Result<i32, AppError> {
    let txn = crate::server::begin_write(db).await?;
    let saved = save_in(&txn, user, id, version, valid).await?;
    txn.commit().await?;
    Ok(saved)
}

/// [`save`] inside the caller's transaction (the REST API saves a case with its subjects and
/// operations all or nothing); on a conflict nothing is written and the transaction is the
/// caller's to drop.
#[tracing::instrument(level = "error", skip_all)]
pub async fn save_in(
    txn: &DatabaseTransaction,
    user: &Caller,
    id: Option<i32>,
    version: Option<i32>,
    valid: ValidCase,
) -> Result<i32, AppError> {
    let duplicate = AppError::unique_or(
        "reference",
        td_string!(user.locale, err_duplicate_name).to_owned(),
    );
    let saved_id = match id {
        None => {
            case::ActiveModel {
                joint_venture_id: Set(valid.joint_venture_id),
                reference: Set(valid.reference.clone()),
                title: Set(valid.title.clone()),
                theme: Set(valid.theme.as_str().to_owned()),
                status: Set(valid.status.as_str().to_owned()),
                start_date: Set(valid.start),
                end_date: Set(valid.end),
                handling: Set(valid.handling.as_str().to_owned()),
                description: Set(valid.description.clone()),
                version: Set(1),
                updated_at: Set(now()),
                organisation_id: Set(Some(user.organisation_id)),
                ..Default::default()
            }
            .insert(txn)
            .await
            .map_err(duplicate)?
            .id
        }
        Some(id) => {
            let version = version.ok_or_else(conflict)?;
            four_eyes_kept(txn, user, id, valid.handling).await?;
            let updated = case::Entity::update_many()
                .col_expr(
                    case::Column::Reference,
                    Expr::value(valid.reference.clone()),
                )
                .col_expr(case::Column::Title, Expr::value(valid.title.clone()))
                .col_expr(case::Column::Theme, Expr::value(valid.theme.as_str()))
                .col_expr(case::Column::Status, Expr::value(valid.status.as_str()))
                .col_expr(case::Column::StartDate, Expr::value(valid.start))
                .col_expr(case::Column::EndDate, Expr::value(valid.end))
                .col_expr(case::Column::Handling, Expr::value(valid.handling.as_str()))
                .col_expr(
                    case::Column::Description,
                    Expr::value(valid.description.clone()),
                )
                .col_expr(
                    case::Column::Version,
                    Expr::col(case::Column::Version).add(1),
                )
                .col_expr(case::Column::UpdatedAt, Expr::value(now()))
                .filter(case::Column::Id.eq(id))
                .filter(case::Column::Version.eq(version))
                .exec(txn)
                .await
                .map_err(duplicate)?;
            if updated.rows_affected != 1 {
                return Err(conflict());
            }
            case_share::Entity::delete_many()
                .filter(case_share::Column::CaseId.eq(id))
                .exec(txn)
                .await?;
            id
        }
    };
    if !valid.shared_with.is_empty() {
        case_share::Entity::insert_many(valid.shared_with.iter().map(|jv| {
            case_share::ActiveModel {
                case_id: Set(saved_id),
                joint_venture_id: Set(*jv),
            }
        }))
        .exec(txn)
        .await
        .map_err(|_| {
            AppError::invalid("shared_with", td_string!(user.locale, err_choose_from_list))
        })?;
    }
    crate::retention::store::refresh_cases(txn, Some(crate::retention::store::one(saved_id)))
        .await?;
    let action = if id.is_some() {
        "update_case"
    } else {
        "create_case"
    };
    record(
        txn,
        user,
        action,
        saved_id,
        format!("{} ({})", valid.reference, valid.status.as_str()),
    )
    .await?;
    Ok(saved_id)
}
