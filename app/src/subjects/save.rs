//! A case's subjects: adding, listing, the primary subject, removing.

use crate::overlaps::candidates::Matching;
use crate::server::caller::Caller;
use crate::ui::labels::problem_text;
use crate::{cases::store::record, server::entity::case, server::entity::subject};
use crate::{
    error::AppError, i18n::*, subjects::parse::Invalid, subjects::parse::ValidSubject,
    subjects::parse::parse, subjects::types::SUBJECTS_PER_PAGE, subjects::types::SubjectInput,
    subjects::types::SubjectPage, subjects::types::SubjectRow,
};
use chrono::Datelike;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

pub(crate) fn this_year() -> i32 {
    chrono::Utc::now().year()
}

/// A new subject row; `created_by` is a user id.
pub fn new_row(
    valid: ValidSubject,
    case_id: i32,
    created_by: i32,
    now: &str,
) -> subject::ActiveModel {
    let person = valid.person.as_ref();
    subject::ActiveModel {
        case_id: Set(case_id),
        kind: Set(valid.kind.as_str().to_owned()),
        typed: Set(serde_json::to_string(&valid.typed).unwrap_or_default()),
        summary: Set(valid.summary),
        normal: Set(valid.normal),
        given_key: Set(person.and_then(|p| p.given_key.clone())),
        family_key: Set(person.map(|p| p.family_key.clone())),
        birth_date: Set(person
            .map(|p| p.birth_date.normal())
            .filter(|d| !d.is_empty())),
        nationality: Set(person.and_then(|p| p.nationality.clone())),
        created_at: Set(now.to_owned()),
        created_by: Set(created_by),
        ..Default::default()
    }
}

/// One page of a case's subjects, in the order they were added.
#[tracing::instrument(level = "error", skip_all)]
pub async fn list(
    db: &DatabaseConnection,
    case: &case::Model,
    page: u64,
) -> Result<SubjectPage, AppError> {
    let paginator = subject::Entity::find()
        .filter(subject::Column::CaseId.eq(case.id))
        .order_by_asc(subject::Column::Id)
        .paginate(db, SUBJECTS_PER_PAGE);
    let total = paginator.num_items().await?;
    let pages = Ord::max(total.div_ceil(SUBJECTS_PER_PAGE), 1);
    let page = page.clamp(1, pages);
    let rows = paginator
        .fetch_page(page - 1)
        .await?
        .into_iter()
        .map(|s| {
            Ok(SubjectRow {
                id: s.id,
                kind: s.kind.parse()?,
                summary: s.summary,
                normal: s.normal,
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(SubjectPage {
        rows,
        total,
        page,
        pages,
        primary: case.primary_subject_id,
    })
}

/// Makes a case's first subject its primary one, if it has none yet.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn primary_if_none(
    db: &impl ConnectionTrait,
    case_id: i32,
    subject_id: i32,
) -> Result<(), AppError> {
    case::Entity::update_many()
        .col_expr(
            case::Column::PrimarySubjectId,
            sea_orm::sea_query::Expr::value(subject_id),
        )
        .filter(case::Column::Id.eq(case_id))
        .filter(case::Column::PrimarySubjectId.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Makes one of the case's subjects the one the case is mainly about.
#[tracing::instrument(level = "error", skip_all)]
pub async fn make_primary(
    db: &DatabaseConnection,
    user: &Caller,
    case: &case::Model,
    subject_id: i32,
) -> Result<(), AppError> {
    let txn = crate::server::begin_write(db).await?;
    let found = subject::Entity::find_by_id(subject_id)
        .filter(subject::Column::CaseId.eq(case.id))
        .one(&txn)
        .await?;
    if found.is_none() {
        return Err(AppError::invalid(
            "subject_id",
            td_string!(user.locale, err_no_such_subject),
        ));
    }
    case::Entity::update_many()
        .col_expr(
            case::Column::PrimarySubjectId,
            sea_orm::sea_query::Expr::value(subject_id),
        )
        .filter(case::Column::Id.eq(case.id))
        .exec(&txn)
        .await?;
    record(
        &txn,
        user,
        "primary_subject",
        case.id,
        format!("subject {subject_id}"),
    )
    .await?;
    txn.commit().await.map_err(AppError::from)
}

#[tracing::instrument(level = "error", skip_all)]
pub async fn add(
    db: &DatabaseConnection,
    user: &Caller,
    matching: &Matching,
    case: &case::Model,
    input: &SubjectInput,
) -> Result<(), AppError> {
    crate::retention::store::accepts_subjects(case, user.locale)?;
    let valid = parse(input, this_year())
        .map_err(|Invalid { field, problem }| AppError::invalid(field, problem_text(problem)))?;
    let kind = valid.kind;
    let txn = crate::server::begin_matching(db).await?;
    let saved = new_row(
        valid,
        case.id,
        user.id,
        &crate::server::utc_text(chrono::Utc::now()),
    )
    .insert(&txn)
    .await?;
    crate::overlaps::detect::on_subject_saved(&txn, matching, &saved, case.joint_venture_id)
        .await?;
    primary_if_none(&txn, case.id, saved.id).await?;
    record(
        &txn,
        user,
        "add_subject",
        case.id,
        format!("{} subject {}", kind.as_str(), saved.id),
    )
    .await?;
    txn.commit().await.map_err(AppError::from)
}

#[tracing::instrument(level = "error", skip_all)]
pub async fn remove(
    db: &DatabaseConnection,
    user: &Caller,
    case: &case::Model,
    subject_id: i32,
) -> Result<(), AppError> {
    crate::cases::store::remove_from::<subject::Entity>(
        db,
        user,
        case,
        (subject::Column::Id, subject::Column::CaseId),
        subject_id,
        crate::domain::OverlapKind::Subject,
        AppError::invalid("subject_id", td_string!(user.locale, err_no_such_subject)),
    )
    .await?;
    // A removed primary subject leaves the case without one until another is chosen.
    case::Entity::update_many()
        .col_expr(
            case::Column::PrimarySubjectId,
            sea_orm::sea_query::Expr::value(Option::<i32>::None),
        )
        .filter(case::Column::Id.eq(case.id))
        .filter(case::Column::PrimarySubjectId.eq(subject_id))
        .exec(db)
        .await?;
    Ok(())
}
