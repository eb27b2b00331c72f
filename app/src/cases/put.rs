//! A whole case at once, as an agency's system keeps it: created or brought up to date by its
//! reference, with its subjects and operations, all or nothing, matched as it is saved. The
//! same body twice writes nothing the second time. Also closing a case with a reason.

use crate::cases::rest_types::{
    CaseDocument, CaseResource, OperationResource, PutResult, SubjectDocument, SubjectResource,
};
use crate::cases::save::{ValidCase, save_in};
use crate::operations::save::ValidOperation;
use crate::overlaps::candidates::Matching;
use crate::server::caller::Caller;
use crate::server::entity::{case, case_share, operation, subject};
use crate::subjects::parse::{Invalid, ValidSubject};
use crate::{access::Action, access::Object, access::require};
use crate::{domain::CaseStatus, error::AppError, i18n::*, ui::labels::problem_text};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, sea_query::Expr,
};
use std::collections::{BTreeMap, BTreeSet};

/// The most subjects, and the most operations, one case document may hold.
pub const MAX_ITEMS: usize = 1000;

/// What the client said the case must be before the change (`If-Match`, `If-None-Match: *`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precondition {
    None,
    Version(i32),
    /// `If-Match: *`: the case must exist.
    Exists,
    /// `If-None-Match: *`: the case must not exist yet.
    Absent,
}

#[derive(Debug)]
pub enum PutError {
    App(AppError),
    /// The precondition does not hold: nothing was written.
    Precondition(String),
}

impl From<AppError> for PutError {
    fn from(err: AppError) -> Self {
        PutError::App(err)
    }
}

impl From<sea_orm::DbErr> for PutError {
    fn from(err: sea_orm::DbErr) -> Self {
        PutError::App(err.into())
    }
}

/// A document that passed every check.
pub struct ValidDocument {
    pub case: ValidCase,
    pub subjects: Option<Vec<ValidSubject>>,
    pub operations: Option<Vec<ValidOperation>>,
}

/// Checks the document field by field; a subject's or an operation's field is named by its
/// place in the list (`subjects.2.birth_date`).
pub async fn parse(
    db: &impl ConnectionTrait,
    joint_venture_id: i32,
    reference: &str,
    doc: &CaseDocument,
) -> Result<ValidDocument, AppError> {
    let locale = crate::language::request_locale();
    let input = crate::cases::types::CaseInput {
        joint_venture_id: joint_venture_id.to_string(),
        reference: reference.to_owned(),
        title: doc.title.clone(),
        theme: doc.theme.as_str().to_owned(),
        status: doc.status.as_str().to_owned(),
        start: doc.start.clone(),
        end: doc.end.clone().unwrap_or_default(),
        handling: doc.handling.as_str().to_owned(),
        shared_with: doc
            .shared_with
            .iter()
            .map(|id| (id.to_string(), true))
            .collect(),
        description: doc.description.clone(),
    };
    let case = crate::cases::save::parse(&input)?;
    let too_many = |field: &str| {
        AppError::invalid(
            field,
            format!("{} {MAX_ITEMS}", td_string!(locale, err_too_long)),
        )
    };
    let subjects = match &doc.subjects {
        None => None,
        Some(list) if list.len() > MAX_ITEMS => return Err(too_many("subjects")),
        Some(list) => {
            let year = crate::subjects::save::this_year();
            let mut valid = Vec::with_capacity(list.len());
            let mut seen = BTreeMap::new();
            for (i, s) in list.iter().enumerate() {
                let parsed = crate::subjects::parse::parse(&s.to_input(), year).map_err(
                    |Invalid { field, problem }| {
                        AppError::invalid(&format!("subjects.{i}.{field}"), problem_text(problem))
                    },
                )?;
                if let Some(first) = seen.insert(typed_key(&parsed.typed), i) {
                    return Err(AppError::invalid(
                        &format!("subjects.{i}"),
                        format!(
                            "{} subjects/{first}",
                            td_string!(locale, err_api_same_subject)
                        ),
                    ));
                }
                valid.push(parsed);
            }
            Some(valid)
        }
    };
    let operations = match &doc.operations {
        None => None,
        Some(list) if list.len() > MAX_ITEMS => return Err(too_many("operations")),
        Some(list) => {
            let places = crate::operations::save::places(db).await?;
            let mut valid = Vec::with_capacity(list.len());
            for (i, o) in list.iter().enumerate() {
                valid.push(
                    crate::operations::save::parse(&o.to_input(), &places).map_err(
                        |err| match err {
                            AppError::Invalid { field, message } => {
                                AppError::invalid(&format!("operations.{i}.{field}"), message)
                            }
                            other => other,
                        },
                    )?,
                );
            }
            Some(valid)
        }
    };
    Ok(ValidDocument {
        case,
        subjects,
        operations,
    })
}

/// What identifies a subject within its case: exactly what was typed.
fn typed_key(typed: &crate::subjects::types::SubjectInput) -> String {
    serde_json::to_string(typed).unwrap_or_default()
}

fn operation_of(row: &operation::Model) -> Option<ValidOperation> {
    Some(ValidOperation {
        kind: row.kind.parse().ok()?,
        place: row.place.clone(),
        region_code: row.region_code.clone(),
        latitude: row.latitude,
        longitude: row.longitude,
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        note: row.note.clone(),
    })
}

async fn shares_of(db: &impl ConnectionTrait, case_id: i32) -> Result<BTreeSet<i32>, AppError> {
    Ok(case_share::Entity::find()
        .filter(case_share::Column::CaseId.eq(case_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.joint_venture_id)
        .collect())
}

fn same_case(stored: &case::Model, shares: &BTreeSet<i32>, valid: &ValidCase) -> bool {
    stored.title == valid.title
        && stored.theme == valid.theme.as_str()
        && stored.status == valid.status.as_str()
        && stored.start_date == valid.start
        && stored.end_date == valid.end
        && stored.handling == valid.handling.as_str()
        && stored.description == valid.description
        && *shares == valid.shared_with
}

/// Pairs each wanted item with an equal stored one; returns the stored ids not wanted and the
/// wanted items not stored.
fn difference<W, S>(
    wanted: Vec<W>,
    stored: Vec<(i32, S)>,
    equal: impl Fn(&W, &S) -> bool,
) -> (Vec<i32>, Vec<W>) {
    let mut unmatched: Vec<Option<(i32, S)>> = stored.into_iter().map(Some).collect();
    let mut new = Vec::new();
    for w in wanted {
        let found = unmatched
            .iter_mut()
            .find(|slot| slot.as_ref().is_some_and(|(_, s)| equal(&w, s)));
        match found {
            Some(slot) => *slot = None,
            None => new.push(w),
        }
    }
    (
        unmatched.into_iter().flatten().map(|(id, _)| id).collect(),
        new,
    )
}

/// Creates or updates the case `reference` of `joint_venture_id` to be `doc`.
#[tracing::instrument(level = "error", skip_all)]
pub async fn put(
    db: &DatabaseConnection,
    user: &Caller,
    matching: &Matching,
    joint_venture_id: i32,
    doc: ValidDocument,
    precondition: Precondition,
) -> Result<(PutResult, i32), PutError> {
    require(
        user,
        Action::Manage,
        Object::JointVentureWork(joint_venture_id),
    )?;
    let txn = crate::server::begin_matching(db).await?;
    let answer = put_in(&txn, user, matching, joint_venture_id, doc, precondition).await?;
    txn.commit().await?;
    Ok(answer)
}

/// [`put`] inside the caller's matching transaction (a batch puts many cases in one).
#[tracing::instrument(level = "error", skip_all)]
pub async fn put_in(
    txn: &DatabaseTransaction,
    user: &Caller,
    matching: &Matching,
    joint_venture_id: i32,
    doc: ValidDocument,
    precondition: Precondition,
) -> Result<(PutResult, i32), PutError> {
    require(
        user,
        Action::Manage,
        Object::JointVentureWork(joint_venture_id),
    )?;
    let locale = user.locale;
    let existing = case::Entity::find()
        .filter(case::Column::Reference.eq(doc.case.reference.clone()))
        .one(txn)
        .await?;
    if let Some(found) = &existing
        && found.joint_venture_id != joint_venture_id
    {
        return Err(PutError::App(AppError::Conflict(format!(
            "reference: {}",
            td_string!(locale, err_duplicate_name)
        ))));
    }
    match (precondition, &existing) {
        (Precondition::Version(v), Some(found)) if found.version != v => {
            return Err(PutError::Precondition(format!(
                "If-Match: \"{v}\"; {} \"{}\"",
                td_string!(locale, problem_version_now),
                found.version
            )));
        }
        (Precondition::Version(_) | Precondition::Exists, None)
        | (Precondition::Absent, Some(_)) => {
            return Err(PutError::Precondition(
                td_string!(locale, problem_precondition_detail).to_owned(),
            ));
        }
        _ => {}
    }
    let ValidDocument {
        case: valid_case,
        subjects,
        operations,
    } = doc;
    let (result, case_id, removed_subjects, new_subjects, removed_operations, new_operations) =
        match existing {
            None => {
                let id = save_in(txn, user, None, None, valid_case).await?;
                (
                    PutResult::Created,
                    id,
                    Vec::new(),
                    subjects.unwrap_or_default(),
                    Vec::new(),
                    operations.unwrap_or_default(),
                )
            }
            Some(found) => {
                let shares = shares_of(txn, found.id).await?;
                let (removed_subjects, new_subjects) = match subjects {
                    None => (Vec::new(), Vec::new()),
                    Some(wanted) => {
                        let stored: Vec<(i32, String)> = subject::Entity::find()
                            .filter(subject::Column::CaseId.eq(found.id))
                            .all(txn)
                            .await?
                            .into_iter()
                            .map(|s| {
                                let key = serde_json::from_str(&s.typed)
                                    .map(|t| typed_key(&t))
                                    .unwrap_or(s.typed);
                                (s.id, key)
                            })
                            .collect();
                        difference(wanted, stored, |w, key| typed_key(&w.typed) == *key)
                    }
                };
                let (removed_operations, new_operations) = match operations {
                    None => (Vec::new(), Vec::new()),
                    Some(wanted) => {
                        let stored: Vec<(i32, Option<ValidOperation>)> = operation::Entity::find()
                            .filter(operation::Column::CaseId.eq(found.id))
                            .all(txn)
                            .await?
                            .into_iter()
                            .map(|o| (o.id, operation_of(&o)))
                            .collect();
                        difference(wanted, stored, |w, s| s.as_ref() == Some(w))
                    }
                };
                let items_unchanged = removed_subjects.is_empty()
                    && new_subjects.is_empty()
                    && removed_operations.is_empty()
                    && new_operations.is_empty();
                if items_unchanged && same_case(&found, &shares, &valid_case) {
                    // Nothing to write: the transaction ends without a change.
                    return Ok((PutResult::Unchanged, found.id));
                }
                if !new_subjects.is_empty() {
                    crate::retention::store::accepts_subjects(&found, locale)?;
                }
                save_in(txn, user, Some(found.id), Some(found.version), valid_case).await?;
                (
                    PutResult::Updated,
                    found.id,
                    removed_subjects,
                    new_subjects,
                    removed_operations,
                    new_operations,
                )
            }
        };
    let counts = format!(
        "subjects +{} -{}, operations +{} -{}",
        new_subjects.len(),
        removed_subjects.len(),
        new_operations.len(),
        removed_operations.len()
    );
    let items_changed = counts != "subjects +0 -0, operations +0 -0";
    for id in removed_subjects {
        subject::Entity::delete_by_id(id).exec(txn).await?;
        crate::overlaps::store::forget_item(txn, crate::domain::OverlapKind::Subject, id).await?;
        case::Entity::update_many()
            .col_expr(
                case::Column::PrimarySubjectId,
                Expr::value(Option::<i32>::None),
            )
            .filter(case::Column::Id.eq(case_id))
            .filter(case::Column::PrimarySubjectId.eq(id))
            .exec(txn)
            .await?;
    }
    for id in removed_operations {
        operation::Entity::delete_by_id(id).exec(txn).await?;
        crate::overlaps::store::forget_item(txn, crate::domain::OverlapKind::Operation, id).await?;
    }
    let now = crate::server::utc_text(chrono::Utc::now());
    for valid in new_subjects {
        let saved = crate::subjects::save::new_row(valid, case_id, user.id, &now)
            .insert(txn)
            .await?;
        crate::overlaps::detect::on_subject_saved(txn, matching, &saved, joint_venture_id).await?;
        crate::subjects::save::primary_if_none(txn, case_id, saved.id).await?;
    }
    for valid in new_operations {
        let saved = crate::operations::save::new_row(valid, case_id, user.id, &now)
            .insert(txn)
            .await?;
        crate::overlaps::conflicts::on_operation_saved(txn, matching, &saved, joint_venture_id)
            .await?;
    }
    if items_changed {
        crate::cases::store::record(txn, user, "put_case_items", case_id, counts).await?;
    }
    Ok((result, case_id))
}

/// Closes the case `reference` of `joint_venture_id`, with the reason in the audit trail. A
/// closed case stays closed: closing it again changes nothing.
#[tracing::instrument(level = "error", skip_all)]
pub async fn close(
    db: &DatabaseConnection,
    user: &Caller,
    joint_venture_id: i32,
    reference: &str,
    reason: &str,
    precondition: Precondition,
) -> Result<(PutResult, i32), PutError> {
    require(
        user,
        Action::Manage,
        Object::JointVentureWork(joint_venture_id),
    )?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::invalid("reason", td_string!(user.locale, err_required)).into());
    }
    let txn = crate::server::begin_write(db).await?;
    let found = find_in(&txn, joint_venture_id, reference)
        .await?
        .ok_or(AppError::Forbidden)?;
    match precondition {
        Precondition::Version(v) if v != found.version => {
            return Err(PutError::Precondition(format!(
                "If-Match: \"{v}\"; {} \"{}\"",
                td_string!(user.locale, problem_version_now),
                found.version
            )));
        }
        Precondition::Absent => {
            return Err(PutError::Precondition(
                td_string!(user.locale, problem_precondition_detail).to_owned(),
            ));
        }
        _ => {}
    }
    if found.status == CaseStatus::Closed.as_str() {
        return Ok((PutResult::Unchanged, found.id));
    }
    let shares = shares_of(&txn, found.id).await?;
    let valid = ValidCase {
        joint_venture_id,
        reference: found.reference.clone(),
        title: found.title.clone(),
        theme: found
            .theme
            .parse()
            .map_err(AppError::failed("a stored theme"))?,
        status: CaseStatus::Closed,
        start: found.start_date,
        end: found.end_date,
        handling: found
            .handling
            .parse()
            .map_err(AppError::failed("a stored handling code"))?,
        shared_with: shares,
        description: found.description.clone(),
    };
    save_in(&txn, user, Some(found.id), Some(found.version), valid).await?;
    crate::cases::store::record(&txn, user, "close_case", found.id, reason.to_owned()).await?;
    txn.commit().await?;
    Ok((PutResult::Updated, found.id))
}

/// The case `reference` if it belongs to `joint_venture_id`.
pub async fn find_in(
    db: &impl ConnectionTrait,
    joint_venture_id: i32,
    reference: &str,
) -> Result<Option<case::Model>, AppError> {
    Ok(case::Entity::find()
        .filter(case::Column::Reference.eq(reference.trim().to_uppercase()))
        .filter(case::Column::JointVentureId.eq(joint_venture_id))
        .one(db)
        .await?)
}

/// The case as the API shows it, with all its subjects and operations.
#[tracing::instrument(level = "error", skip_all)]
pub async fn resource(
    db: &impl ConnectionTrait,
    found: case::Model,
) -> Result<CaseResource, AppError> {
    let shares = shares_of(db, found.id).await?;
    let subjects = subject::Entity::find()
        .filter(subject::Column::CaseId.eq(found.id))
        .order_by_asc(subject::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|s| {
            let typed = serde_json::from_str(&s.typed)
                .ok()
                .and_then(|t| SubjectDocument::of_input(&t));
            if typed.is_none() {
                tracing::error!(subject = s.id, "a stored subject does not read back");
            }
            Some(SubjectResource {
                id: s.id,
                summary: s.summary,
                subject: typed?,
            })
        })
        .collect();
    let operations = operation::Entity::find()
        .filter(operation::Column::CaseId.eq(found.id))
        .order_by_asc(operation::Column::StartsAt)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|o| {
            Some(OperationResource {
                id: o.id,
                kind: o.kind.parse().ok()?,
                place: o.place,
                municipality: o.region_code,
                latitude: o.latitude,
                longitude: o.longitude,
                starts_at: o.starts_at.format("%Y-%m-%dT%H:%M").to_string(),
                ends_at: o.ends_at.format("%Y-%m-%dT%H:%M").to_string(),
                note: o.note,
            })
        })
        .collect();
    Ok(CaseResource {
        id: found.id,
        joint_venture_id: found.joint_venture_id,
        theme: found
            .theme
            .parse()
            .map_err(AppError::failed("a stored theme"))?,
        status: found
            .status
            .parse()
            .map_err(AppError::failed("a stored case status"))?,
        handling: found
            .handling
            .parse()
            .map_err(AppError::failed("a stored handling code"))?,
        reference: found.reference,
        version: found.version,
        title: found.title,
        start: found.start_date.to_string(),
        end: found.end_date.map(|d| d.to_string()),
        shared_with: shares.into_iter().collect(),
        description: found.description,
        updated_at: found.updated_at,
        subjects,
        operations,
    })
}
