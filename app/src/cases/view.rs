//! The cases of the caller's joint ventures, and one case's page.

use crate::cases::store::{names, record};
use crate::server::caller::Caller;
use crate::{
    cases::types::CaseFilter, cases::types::CaseInput, cases::types::CaseList,
    cases::types::CaseOverlaps, cases::types::CaseRow, cases::types::CaseView,
    cases::types::PAGE_SIZE, domain::CaseStatus, domain::Theme, error::AppError, i18n::*,
    partnerships::types::Named,
};
use crate::{server::entity::case, server::entity::case_share, server::entity::joint_venture};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, ExprTrait, PaginatorTrait,
    QueryFilter, QueryOrder,
    sea_query::{Expr, Func},
};

/// The longest search text: a search is a reference or a few words of a title, and SQLite
/// refuses a `LIKE` pattern past 50,000 bytes.
const MAX_SEARCH: usize = 200;

/// The cases of the joint ventures `user` coordinates, filtered, sorted and one page of them.
#[tracing::instrument(level = "error", skip_all)]
pub async fn list(
    db: &DatabaseConnection,
    user: &Caller,
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
    let today = crate::server::time::today();
    match filter.review.as_str() {
        "" => {}
        "due" => {
            query = query
                .filter(case::Column::PurgedOn.is_null())
                .filter(case::Column::ReviewOn.lte(today));
        }
        _ => {
            return Err(AppError::invalid(
                "review",
                td_string!(user.locale, err_choose_from_list),
            ));
        }
    }
    let search = filter.q.trim();
    if search.chars().count() > MAX_SEARCH {
        return Err(AppError::invalid(
            "q",
            format!("{} {MAX_SEARCH}", td_string!(user.locale, err_too_long)),
        ));
    }
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
        "review" => query.order_by_asc(case::Column::ReviewOn),
        _ => query.order_by_asc(case::Column::Reference),
    };
    let paginator = query.paginate(db, PAGE_SIZE);
    let total = paginator.num_items().await?;
    let pages = Ord::max(total.div_ceil(PAGE_SIZE), 1);
    let page = filter.page.parse::<u64>().unwrap_or(1).clamp(1, pages);
    let joint_ventures = names(db, &user.coordinates).await?;
    let rows = paginator
        .fetch_page(page - 1)
        .await?
        .into_iter()
        .map(|c| {
            Ok(CaseRow {
                id: c.id,
                joint_venture: joint_ventures
                    .iter()
                    .find(|v| v.id == c.joint_venture_id)
                    .map(|v| v.name.clone())
                    .unwrap_or_default(),
                reference: c.reference,
                title: c.title,
                theme: c.theme.parse()?,
                status: c.status.parse()?,
                start: c.start_date.to_string(),
                review_on: c.review_on.map(|d| d.to_string()),
                review_due: c.purged_on.is_none() && c.review_on.is_some_and(|d| d <= today),
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
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

/// One case as its page shows it; the read is audited.
#[tracing::instrument(level = "error", skip_all)]
pub async fn view(
    db: &DatabaseConnection,
    user: &Caller,
    found: case::Model,
    subjects_page: u64,
) -> Result<CaseView, AppError> {
    let shares: Vec<i32> = case_share::Entity::find()
        .filter(case_share::Column::CaseId.eq(found.id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.joint_venture_id)
        .collect();
    let all: Vec<i32> = joint_venture::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|v| v.id)
        .collect();
    let partners = names(db, &all).await?;
    let subjects = crate::subjects::save::list(db, &found, subjects_page).await?;
    let places = crate::operations::save::places(db).await?;
    let operations = crate::operations::save::list(db, &found, &places).await?;
    let (open, urgent) = crate::overlaps::pointer::open_of_case(db, user, found.id).await?;
    record(db, user, "read_case", found.id, found.reference.clone()).await?;
    let retention = crate::retention::store::of_case(&found, crate::server::time::today());
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
        updated_at: crate::server::time::local_moment(&found.updated_at),
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
        places: crate::operations::save::place_options(&places),
        overlaps: CaseOverlaps { open, urgent },
        retention,
    })
}
