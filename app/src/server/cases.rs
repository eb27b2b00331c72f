//! Cases: queries and rules. Callers pass `authorize::require` for the case's joint venture;
//! every read and change is written to the audit trail.

use super::{
    audit::{self, Actor, Event, Outcome},
    auth::client_address,
    entity::{case, case_share, joint_venture},
};
use crate::{
    auth::SignedInUser,
    cases::{CaseFilter, CaseInput, CaseList, CaseRow, CaseView, PAGE_SIZE},
    domain::{CaseStatus, Handling, Theme},
    error::AppError,
    i18n::*,
    language::request_locale,
    partnerships::Named,
};
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, ExprTrait,
    PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait,
    sea_query::{Expr, Func},
};
use std::collections::BTreeSet;

fn unexpected(err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "cases failed");
    AppError::Unavailable
}

fn invalid(field: &str, message: &str) -> AppError {
    AppError::invalid(field, message)
}

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
        .map_err(|_| invalid("joint_venture_id", choose()))?;
    let reference = input.reference.trim().to_uppercase();
    if reference.is_empty()
        || reference.len() > 40
        || !reference
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-/.".contains(c))
    {
        return Err(invalid("reference", td_string!(locale, err_case_reference)));
    }
    let title = input.title.trim().to_owned();
    if title.is_empty() || title.chars().count() > 200 {
        return Err(invalid("title", td_string!(locale, err_required)));
    }
    let theme = input
        .theme
        .parse()
        .map_err(|_| invalid("theme", choose()))?;
    let status = input
        .status
        .parse()
        .map_err(|_| invalid("status", choose()))?;
    let date = |field: &str, value: &str| {
        NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
            .map_err(|_| invalid(field, td_string!(locale, err_date_format)))
    };
    let start = date("start", &input.start)?;
    let end = if input.end.trim().is_empty() {
        None
    } else {
        Some(date("end", &input.end)?)
    };
    if end.is_some_and(|end| end < start) {
        return Err(invalid("end", td_string!(locale, err_end_before_start)));
    }
    let handling: Handling = input
        .handling
        .parse()
        .map_err(|_| invalid("handling", choose()))?;
    let shared_with: BTreeSet<i32> = input
        .shared_with
        .iter()
        .filter(|(_, chosen)| **chosen)
        .map(|(id, _)| id.parse().map_err(|_| invalid("shared_with", choose())))
        .collect::<Result<_, _>>()?;
    if handling == Handling::SharedWith && shared_with.is_empty() {
        return Err(invalid("shared_with", td_string!(locale, err_shared_with)));
    }
    let description = input.description.trim().to_owned();
    if description.chars().count() > 10_000 {
        return Err(invalid("description", td_string!(locale, err_too_long)));
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

pub(crate) async fn record(
    db: &impl ConnectionTrait,
    user: &SignedInUser,
    action: &'static str,
    case_id: i32,
    detail: String,
) -> Result<(), AppError> {
    audit::record(
        db,
        Event {
            actor: Actor::from(user),
            action,
            object_type: "case",
            object_id: case_id.to_string(),
            outcome: Outcome::Success,
            client_address: client_address(),
            detail,
        },
    )
    .await
    .map_err(unexpected)
}

async fn names(db: &impl ConnectionTrait, ids: &[i32]) -> Result<Vec<Named>, AppError> {
    Ok(joint_venture::Entity::find()
        .filter(joint_venture::Column::Id.is_in(ids.to_vec()))
        .order_by_asc(joint_venture::Column::Name)
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|v| Named {
            id: v.id,
            name: v.name,
        })
        .collect())
}

/// The cases of the joint ventures `user` coordinates, filtered, sorted and one page of them.
pub async fn list(
    db: &DatabaseConnection,
    user: &SignedInUser,
    filter: &CaseFilter,
) -> Result<CaseList, AppError> {
    let mut query =
        case::Entity::find().filter(case::Column::JointVentureId.is_in(user.coordinates.clone()));
    if let Ok(status) = filter.status.parse::<CaseStatus>() {
        query = query.filter(case::Column::Status.eq(status.as_str()));
    }
    if let Ok(theme) = filter.theme.parse::<Theme>() {
        query = query.filter(case::Column::Theme.eq(theme.as_str()));
    }
    let search = filter.q.trim();
    if !search.is_empty() {
        // Any case, on both databases (PostgreSQL's LIKE is case-sensitive).
        let pattern = format!("%{}%", search.to_lowercase());
        let lower = |column: case::Column| Expr::expr(Func::lower(Expr::col(column)));
        query = query.filter(
            Condition::any()
                .add(lower(case::Column::Reference).like(pattern.clone()))
                .add(lower(case::Column::Title).like(pattern)),
        );
    }
    query = match filter.sort.as_str() {
        "title" => query.order_by_asc(case::Column::Title),
        "status" => query.order_by_asc(case::Column::Status),
        "start" => query.order_by_desc(case::Column::StartDate),
        "updated" => query.order_by_desc(case::Column::UpdatedAt),
        _ => query.order_by_asc(case::Column::Reference),
    };
    let paginator = query.paginate(db, PAGE_SIZE);
    let total = paginator.num_items().await.map_err(unexpected)?;
    let pages = Ord::max(total.div_ceil(PAGE_SIZE), 1);
    let page = filter.page.parse::<u64>().unwrap_or(1).clamp(1, pages);
    let joint_ventures = names(db, &user.coordinates).await?;
    let rows = paginator
        .fetch_page(page - 1)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|c| CaseRow {
            id: c.id,
            joint_venture: joint_ventures
                .iter()
                .find(|v| v.id == c.joint_venture_id)
                .map(|v| v.name.clone())
                .unwrap_or_default(),
            reference: c.reference,
            title: c.title,
            theme: c.theme.parse().unwrap_or(Theme::Smuggling),
            status: c.status.parse().unwrap_or(CaseStatus::Active),
            start: c.start_date.to_string(),
        })
        .collect::<Vec<_>>();
    record(
        db,
        user,
        "list_cases",
        0,
        format!("{} of {total} shown", rows.len()),
    )
    .await?;
    Ok(CaseList {
        rows,
        total,
        page,
        pages,
        joint_ventures,
    })
}

pub async fn find(db: &impl ConnectionTrait, id: i32) -> Result<case::Model, AppError> {
    case::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(unexpected)?
        .ok_or_else(|| invalid("id", td_string!(request_locale(), err_no_such_case)))
}

/// The case `id` if `user` may work on it; an unknown case and another joint venture's case
/// are refused alike, so the answer does not tell which cases exist.
pub async fn find_for(
    db: &impl ConnectionTrait,
    user: &SignedInUser,
    id: i32,
) -> Result<case::Model, AppError> {
    use crate::authorize::{Action, Object, require};
    let found = find(db, id).await.map_err(|_| AppError::Forbidden)?;
    require(
        user,
        Action::Manage,
        Object::JointVentureWork(found.joint_venture_id),
    )?;
    Ok(found)
}

/// For a server function working on case `id`: the signed-in user, the database, and the case
/// if they may work on it.
pub async fn at_work(id: i32) -> Result<(DatabaseConnection, SignedInUser, case::Model), AppError> {
    let user = super::auth::require_user().await?;
    let db = super::db()?;
    let case = find_for(&db, &user, id).await?;
    Ok((db, user, case))
}

/// After a change to a case: back to its page (with `query`), and the answer.
pub fn landed(result: Result<(), AppError>, case_id: i32, query: &str) -> Result<(), AppError> {
    if result.is_ok() {
        super::land(&format!("/cases/{case_id}"), query);
    }
    super::respond(result)
}

/// Removes one row of `E` (a subject, an operation) that belongs to `case`, audited as
/// `action`. A row of another case is refused as not there.
pub async fn remove_from<E: EntityTrait>(
    db: &DatabaseConnection,
    user: &SignedInUser,
    case: &case::Model,
    (id_column, case_column): (E::Column, E::Column),
    id: i32,
    action: &'static str,
    not_there: AppError,
) -> Result<(), AppError> {
    let txn = db.begin().await.map_err(unexpected)?;
    let removed = E::delete_many()
        .filter(id_column.eq(id))
        .filter(case_column.eq(case.id))
        .exec(&txn)
        .await
        .map_err(unexpected)?;
    if removed.rows_affected != 1 {
        return Err(not_there);
    }
    record(&txn, user, action, case.id, format!("{id}")).await?;
    txn.commit().await.map_err(unexpected)
}

/// One case as its page shows it; the read is audited.
pub async fn view(
    db: &DatabaseConnection,
    user: &SignedInUser,
    found: case::Model,
    subjects_page: u64,
) -> Result<CaseView, AppError> {
    let shares: Vec<i32> = case_share::Entity::find()
        .filter(case_share::Column::CaseId.eq(found.id))
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|s| s.joint_venture_id)
        .collect();
    let all: Vec<i32> = joint_venture::Entity::find()
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|v| v.id)
        .collect();
    let partners = names(db, &all).await?;
    let subjects = super::subjects::list(db, &found, subjects_page).await?;
    let places = super::operations::places(db).await?;
    let operations = super::operations::list(db, &found, &places).await?;
    record(db, user, "read_case", found.id, found.reference.clone()).await?;
    Ok(CaseView {
        id: found.id,
        joint_venture: partners
            .iter()
            .find(|v| v.id == found.joint_venture_id)
            .cloned()
            .unwrap_or(Named {
                id: found.joint_venture_id,
                name: String::new(),
            }),
        version: found.version,
        updated_at: found.updated_at.clone(),
        input: CaseInput {
            joint_venture_id: found.joint_venture_id.to_string(),
            reference: found.reference,
            title: found.title,
            theme: found.theme,
            status: found.status,
            start: found.start_date.to_string(),
            end: found.end_date.map(|d| d.to_string()).unwrap_or_default(),
            handling: found.handling,
            shared_with: shares.iter().map(|id| (id.to_string(), true)).collect(),
            description: found.description,
        },
        partners,
        subjects,
        operations,
        places: super::operations::place_options(&places),
    })
}

fn now() -> String {
    super::utc_text(chrono::Utc::now())
}

fn conflict() -> AppError {
    AppError::Refused(td_string!(request_locale(), err_case_conflict).to_owned())
}

/// Creates (`id` none) or changes a case. A change names the version it was based on; if the
/// case was saved by someone else since, nothing is written and the caller is told.
pub async fn save(
    db: &DatabaseConnection,
    user: &SignedInUser,
    id: Option<i32>,
    version: Option<i32>,
    valid: ValidCase,
) -> Result<i32, AppError> {
    let duplicate = |err: sea_orm::DbErr| match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => invalid(
            "reference",
            td_string!(request_locale(), err_duplicate_name),
        ),
        _ => unexpected(err),
    };
    let txn = db.begin().await.map_err(unexpected)?;
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
                ..Default::default()
            }
            .insert(&txn)
            .await
            .map_err(duplicate)?
            .id
        }
        Some(id) => {
            let version = version.ok_or_else(conflict)?;
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
                .col_expr(case::Column::Version, Expr::value(version + 1))
                .col_expr(case::Column::UpdatedAt, Expr::value(now()))
                .filter(case::Column::Id.eq(id))
                .filter(case::Column::Version.eq(version))
                .exec(&txn)
                .await
                .map_err(duplicate)?;
            if updated.rows_affected != 1 {
                txn.rollback().await.map_err(unexpected)?;
                return Err(conflict());
            }
            case_share::Entity::delete_many()
                .filter(case_share::Column::CaseId.eq(id))
                .exec(&txn)
                .await
                .map_err(unexpected)?;
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
        .exec(&txn)
        .await
        .map_err(|_| {
            invalid(
                "shared_with",
                td_string!(request_locale(), err_choose_from_list),
            )
        })?;
    }
    let action = if id.is_some() {
        "update_case"
    } else {
        "create_case"
    };
    record(
        &txn,
        user,
        action,
        saved_id,
        format!("{} ({})", valid.reference, valid.status.as_str()),
    )
    .await?;
    txn.commit().await.map_err(unexpected)?;
    Ok(saved_id)
}

/// Imports cases from a CSV file into a joint venture: every row is checked like the case
/// form (and references against the joint venture's and each other), then all are saved in
/// one transaction, or none.
pub async fn import(
    db: &DatabaseConnection,
    user: &SignedInUser,
    joint_venture_id: i32,
    file: &[u8],
) -> Result<usize, AppError> {
    use crate::{cases::CASE_COLUMNS, error::FileProblem};
    let locale = request_locale();
    let (rows, mut problems) = super::csv_file::read(file, &CASE_COLUMNS, "reference")?;
    let existing: BTreeSet<String> = case::Entity::find()
        .filter(case::Column::JointVentureId.eq(joint_venture_id))
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|c| c.reference)
        .collect();
    let mut seen = BTreeSet::new();
    let mut valid = Vec::new();
    for row in rows {
        let mut input = CaseInput {
            joint_venture_id: joint_venture_id.to_string(),
            handling: Handling::PointerOnly.as_str().to_owned(),
            ..Default::default()
        };
        for (column, value) in row.cells {
            let slot = match column.as_str() {
                "reference" => &mut input.reference,
                "title" => &mut input.title,
                "theme" => &mut input.theme,
                "status" => &mut input.status,
                "start" => &mut input.start,
                "end" => &mut input.end,
                "handling" if !value.is_empty() => &mut input.handling,
                "description" => &mut input.description,
                _ => continue,
            };
            *slot = value;
        }
        let problem = |column: &str, message: &str| FileProblem {
            line: row.line,
            column: column.to_owned(),
            message: message.to_owned(),
        };
        match parse(&input) {
            Ok(case) if existing.contains(&case.reference) => {
                problems.push(problem("reference", td_string!(locale, err_duplicate_name)))
            }
            Ok(case) if !seen.insert(case.reference.clone()) => problems.push(problem(
                "reference",
                td_string!(locale, err_import_reference_twice),
            )),
            Ok(case) => valid.push(case),
            Err(AppError::Invalid { field, message }) => problems.push(problem(&field, &message)),
            Err(other) => return Err(other),
        }
    }
    let valid = super::csv_file::all_or_nothing(valid, problems)?;
    let count = valid.len();
    let now = now();
    let txn = db.begin().await.map_err(unexpected)?;
    for chunk in valid.chunks(500) {
        case::Entity::insert_many(chunk.iter().map(|c| case::ActiveModel {
            joint_venture_id: Set(joint_venture_id),
            reference: Set(c.reference.clone()),
            title: Set(c.title.clone()),
            theme: Set(c.theme.as_str().to_owned()),
            status: Set(c.status.as_str().to_owned()),
            start_date: Set(c.start),
            end_date: Set(c.end),
            handling: Set(c.handling.as_str().to_owned()),
            description: Set(c.description.clone()),
            version: Set(1),
            updated_at: Set(now.clone()),
            ..Default::default()
        }))
        .exec(&txn)
        .await
        .map_err(unexpected)?;
    }
    audit::record(
        &txn,
        Event {
            actor: Actor::from(user),
            action: "import_cases",
            object_type: "joint_venture",
            object_id: joint_venture_id.to_string(),
            outcome: Outcome::Success,
            client_address: client_address(),
            detail: format!("{count} cases"),
        },
    )
    .await
    .map_err(unexpected)?;
    txn.commit().await.map_err(unexpected)?;
    Ok(count)
}
