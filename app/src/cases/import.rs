//! Importing cases from a CSV file, all or nothing.

use crate::cases::save::parse;
use crate::server::caller::Caller;
use crate::server::time::now;
use crate::{cases::types::CaseInput, domain::Handling, error::AppError, i18n::*};
use crate::{
    server::audit, server::audit::Actor, server::audit::Event, server::audit::Outcome,
    server::entity::case,
};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use std::collections::BTreeSet;

/// Imports cases from a CSV file into a joint venture: every row is checked like the case
/// form (and references against the joint venture's and each other), then all are saved in
/// one transaction, or none.
#[tracing::instrument(level = "error", skip_all)]
pub async fn import(
    db: &DatabaseConnection,
    user: &Caller,
    joint_venture_id: i32,
    file: &[u8],
) -> Result<usize, AppError> {
    use crate::{cases::types::CASE_COLUMNS, error::FileProblem};
    let locale = user.locale;
    let (rows, mut problems) = crate::server::csv_file::read(file, &CASE_COLUMNS, "reference")?;
    let existing: BTreeSet<String> = case::Entity::find()
        .filter(case::Column::JointVentureId.eq(joint_venture_id))
        .all(db)
        .await?
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
    let valid = crate::server::csv_file::all_or_nothing(valid, problems)?;
    let count = valid.len();
    let now = now();
    let txn = crate::server::begin_write(db).await?;
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
            organisation_id: Set(Some(user.organisation_id)),
            ..Default::default()
        }))
        .exec(&txn)
        .await?;
    }
    crate::retention::store::refresh_cases(
        &txn,
        Some(
            sea_orm::Condition::all()
                .add(case::Column::JointVentureId.eq(joint_venture_id))
                .add(case::Column::ReviewOn.is_null()),
        ),
    )
    .await?;
    audit::record(
        &txn,
        Event {
            actor: Actor::from(user),
            action: "import_cases",
            object_type: "joint_venture",
            object_id: joint_venture_id.to_string(),
            outcome: Outcome::Success,
            client_address: user.address.clone(),
            detail: format!("{count} cases"),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(count)
}
