//! Subjects: storage, CSV import (all or nothing) and export. Callers have checked that the
//! user may work on the case (`cases::find_for`); every change and export is audited.

use super::{
    cases::record,
    csv_file,
    entity::{case, subject},
};
use crate::{
    auth::SignedInUser,
    domain::SubjectKind,
    error::{AppError, FileProblem},
    i18n::*,
    language::request_locale,
    subjects::{
        SUBJECTS_PER_PAGE, SubjectInput, SubjectPage, SubjectRow,
        normalise::Problem,
        parse::{Invalid, ValidSubject, parse},
    },
};
use chrono::Datelike;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait,
};

fn unexpected(err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "subjects failed");
    AppError::Unavailable
}

/// What is wrong with a value, in the request's language.
pub fn problem_text(problem: Problem) -> String {
    let locale = request_locale();
    match problem {
        Problem::PhoneFormat => td_string!(locale, err_subject_phone_format),
        Problem::PhoneInvalid => td_string!(locale, err_subject_phone_invalid),
        Problem::Iban => td_string!(locale, err_subject_iban),
        Problem::Country => td_string!(locale, err_subject_country),
        Problem::Plate => td_string!(locale, err_subject_plate),
        Problem::Postcode => td_string!(locale, err_subject_postcode),
        Problem::ImoFormat => td_string!(locale, err_subject_imo_format),
        Problem::ImoCheck => td_string!(locale, err_subject_imo_check),
        Problem::Name => td_string!(locale, err_subject_name),
        Problem::BirthDateFormat => td_string!(locale, err_subject_birth_date),
        Problem::BirthYear => td_string!(locale, err_subject_birth_year),
        Problem::BirthDay => td_string!(locale, err_subject_birth_day),
        Problem::Email => td_string!(locale, err_subject_email),
        Problem::ImmigrationNumber => td_string!(locale, err_subject_v_number),
        Problem::DocumentNumber => td_string!(locale, err_subject_document_number),
        Problem::RegistrationNumber => td_string!(locale, err_subject_registration),
        Problem::HouseNumber => td_string!(locale, err_subject_house_number),
        Problem::Choice => td_string!(locale, err_choose_from_list),
        Problem::NotForKind => td_string!(locale, err_subject_not_for_kind),
        Problem::Required => td_string!(locale, err_required),
        Problem::TooLong => td_string!(locale, err_too_long),
    }
    .to_owned()
}

fn this_year() -> i32 {
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
pub async fn list(
    db: &DatabaseConnection,
    case: &case::Model,
    page: u64,
) -> Result<SubjectPage, AppError> {
    let paginator = subject::Entity::find()
        .filter(subject::Column::CaseId.eq(case.id))
        .order_by_asc(subject::Column::Id)
        .paginate(db, SUBJECTS_PER_PAGE);
    let total = paginator.num_items().await.map_err(unexpected)?;
    let pages = Ord::max(total.div_ceil(SUBJECTS_PER_PAGE), 1);
    let page = page.clamp(1, pages);
    let rows = paginator
        .fetch_page(page - 1)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|s| SubjectRow {
            id: s.id,
            kind: s.kind.parse().unwrap_or(SubjectKind::Person),
            summary: s.summary,
            normal: s.normal,
        })
        .collect();
    Ok(SubjectPage {
        rows,
        total,
        page,
        pages,
        primary: case.primary_subject_id,
    })
}

/// Makes a case's first subject its primary one, if it has none yet.
async fn primary_if_none(
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
        .await
        .map_err(unexpected)?;
    Ok(())
}

/// Makes one of the case's subjects the one the case is mainly about.
pub async fn make_primary(
    db: &DatabaseConnection,
    user: &SignedInUser,
    case: &case::Model,
    subject_id: i32,
) -> Result<(), AppError> {
    let txn = db.begin().await.map_err(unexpected)?;
    let found = subject::Entity::find_by_id(subject_id)
        .filter(subject::Column::CaseId.eq(case.id))
        .one(&txn)
        .await
        .map_err(unexpected)?;
    if found.is_none() {
        return Err(AppError::invalid(
            "subject_id",
            td_string!(request_locale(), err_no_such_subject),
        ));
    }
    case::Entity::update_many()
        .col_expr(
            case::Column::PrimarySubjectId,
            sea_orm::sea_query::Expr::value(subject_id),
        )
        .filter(case::Column::Id.eq(case.id))
        .exec(&txn)
        .await
        .map_err(unexpected)?;
    record(
        &txn,
        user,
        "primary_subject",
        case.id,
        format!("subject {subject_id}"),
    )
    .await?;
    txn.commit().await.map_err(unexpected)
}

pub async fn add(
    db: &DatabaseConnection,
    user: &SignedInUser,
    case: &case::Model,
    input: &SubjectInput,
) -> Result<(), AppError> {
    let valid = parse(input, this_year())
        .map_err(|Invalid { field, problem }| AppError::invalid(field, problem_text(problem)))?;
    let kind = valid.kind;
    let matching = super::overlaps::matching()?;
    let txn = db.begin().await.map_err(unexpected)?;
    let saved = new_row(
        valid,
        case.id,
        user.id,
        &super::utc_text(chrono::Utc::now()),
    )
    .insert(&txn)
    .await
    .map_err(unexpected)?;
    super::overlaps::on_subject_saved(&txn, &matching, &saved, case.joint_venture_id).await?;
    primary_if_none(&txn, case.id, saved.id).await?;
    record(
        &txn,
        user,
        "add_subject",
        case.id,
        format!("{} subject {}", kind.as_str(), saved.id),
    )
    .await?;
    txn.commit().await.map_err(unexpected)
}

pub async fn remove(
    db: &DatabaseConnection,
    user: &SignedInUser,
    case: &case::Model,
    subject_id: i32,
) -> Result<(), AppError> {
    super::cases::remove_from::<subject::Entity>(
        db,
        user,
        case,
        (subject::Column::Id, subject::Column::CaseId),
        subject_id,
        "remove_subject",
        AppError::invalid(
            "subject_id",
            td_string!(request_locale(), err_no_such_subject),
        ),
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
        .await
        .map_err(unexpected)?;
    Ok(())
}

/// Checks the whole file, and saves every row in one transaction only if all are valid.
pub async fn import(
    db: &DatabaseConnection,
    user: &SignedInUser,
    case: &case::Model,
    file: &[u8],
) -> Result<usize, AppError> {
    let subjects = read_file(file, this_year())?;
    let count = subjects.len();
    let now = super::utc_text(chrono::Utc::now());
    let matching = super::overlaps::matching()?;
    let txn = db.begin().await.map_err(unexpected)?;
    // One by one: each subject is matched as it is saved, like a subject added by hand.
    for valid in subjects {
        let saved = new_row(valid, case.id, user.id, &now)
            .insert(&txn)
            .await
            .map_err(unexpected)?;
        super::overlaps::on_subject_saved(&txn, &matching, &saved, case.joint_venture_id).await?;
        primary_if_none(&txn, case.id, saved.id).await?;
    }
    record(
        &txn,
        user,
        "import_subjects",
        case.id,
        format!("{count} subjects"),
    )
    .await?;
    txn.commit().await.map_err(unexpected)?;
    Ok(count)
}

/// Parses a CSV file in the import layout into subjects, or every problem with its line and
/// column. Pure: no database.
pub fn read_file(file: &[u8], this_year: i32) -> Result<Vec<ValidSubject>, AppError> {
    let (rows, mut problems) = csv_file::read(file, &SubjectInput::COLUMNS, "kind")?;
    let mut subjects = Vec::new();
    for row in rows {
        let mut input = SubjectInput::default();
        for (column, value) in row.cells {
            input.set(&column, value);
        }
        match parse(&input, this_year) {
            Ok(valid) => subjects.push(valid),
            Err(Invalid { field, problem }) => problems.push(FileProblem {
                line: row.line,
                column: field.to_owned(),
                message: problem_text(problem),
            }),
        }
    }
    csv_file::all_or_nothing(subjects, problems)
}

fn write_csv(rows: impl Iterator<Item = SubjectInput>) -> Result<String, AppError> {
    csv_file::write(
        &SubjectInput::COLUMNS,
        rows.map(|input| SubjectInput::COLUMNS.map(|c| input.get(c).to_owned())),
    )
}

/// The subjects of a case as CSV in the import layout; the export is audited.
pub async fn export(
    db: &DatabaseConnection,
    user: &SignedInUser,
    case: &case::Model,
) -> Result<String, AppError> {
    let stored = subject::Entity::find()
        .filter(subject::Column::CaseId.eq(case.id))
        .order_by_asc(subject::Column::Id)
        .all(db)
        .await
        .map_err(unexpected)?;
    let count = stored.len();
    let csv = write_csv(
        stored
            .into_iter()
            .map(|s| serde_json::from_str::<SubjectInput>(&s.typed).unwrap_or_default()),
    )?;
    record(
        db,
        user,
        "export_subjects",
        case.id,
        format!("{count} subjects"),
    )
    .await?;
    Ok(csv)
}

/// The layout with one example per kind (invented values with valid checksums).
pub fn template() -> String {
    let example = |kind: &str, fields: &[(&str, &str)]| {
        let mut input = SubjectInput {
            kind: kind.to_owned(),
            ..Default::default()
        };
        for (field, value) in fields {
            input.set(field, (*value).to_owned());
        }
        input
    };
    let rows = vec![
        example(
            "person",
            &[
                ("given_names", "Jan"),
                ("family_name", "Voorbeeld"),
                ("aliases", "Johnny V; J. Voorbeeldt"),
                ("birth_date", "1985"),
                ("nationality", "NL"),
                ("sex", "male"),
            ],
        ),
        example("phone", &[("value", "+31 6 12345678")]),
        example("vehicle", &[("value", "12-ABC-3"), ("country", "NL")]),
        example("bank_account", &[("value", "NL91 ABNA 0417 1643 00")]),
        example(
            "address",
            &[
                ("street", "Voorbeeldstraat"),
                ("house_number", "1A"),
                ("postcode", "1234 AB"),
                ("municipality", "Amsterdam"),
                ("country", "NL"),
            ],
        ),
        example(
            "document",
            &[
                ("document_type", "passport"),
                ("value", "XN0123456"),
                ("country", "NL"),
            ],
        ),
        example("immigration_number", &[("value", "1234567890")]),
        example("email", &[("value", "naam@example.org")]),
        example("vessel", &[("value", "IMO 9074729"), ("name", "Voorbeeld")]),
        example(
            "company",
            &[
                ("name", "Voorbeeld Transport BV"),
                ("value", "12345678"),
                ("country", "NL"),
            ],
        ),
    ];
    write_csv(rows.into_iter()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(file: &str) -> Vec<FileProblem> {
        match read_file(file.as_bytes(), 2026) {
            Err(AppError::InvalidFile(problems)) => problems,
            other => panic!("expected problems, got {other:?}"),
        }
    }

    #[test]
    fn the_template_imports_as_it_is() {
        let subjects = read_file(template().as_bytes(), 2026).expect("the template is valid");
        assert_eq!(subjects.len(), SubjectKind::ALL.len());
    }

    #[test]
    fn every_problem_is_reported_with_its_line_and_column() {
        let found = problems(
            "kind,family_name,birth_date,value\n\
             person,Smit,1990,\n\
             phone,,,12\n\
             person,,1990,\n\
             vehicle,,,\n",
        );
        let at: Vec<(u64, &str)> = found.iter().map(|p| (p.line, p.column.as_str())).collect();
        assert_eq!(
            at,
            [(3, "value"), (4, "family_name"), (5, "value")],
            "{found:?}"
        );
    }

    #[test]
    fn a_formula_is_refused_and_a_guarded_one_read_back() {
        let found =
            problems("kind,family_name\nperson,=HYPERLINK(\"http://x\")\nperson,@SUM(A1)\n");
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().all(|p| p.column == "family_name"));
        let read = read_file(
            b"kind,value\nphone,'+31 6 12345678\nphone,+32 470 12 34 56\n",
            2026,
        )
        .expect("a guarded phone number and a plain one");
        assert_eq!(read[0].normal, "+31612345678");
        assert_eq!(read[1].normal, "+32470123456");
    }

    #[test]
    fn semicolons_a_byte_order_mark_and_blank_lines_are_accepted() {
        let read = read_file(
            "\u{feff}kind;value\r\nphone;06 12345678\r\n;\r\nemail;a@example.org\r\n".as_bytes(),
            2026,
        )
        .expect("valid");
        assert_eq!(read.len(), 2);
    }

    #[test]
    fn files_that_are_not_utf8_or_not_this_layout_are_refused_whole() {
        let latin1 = b"kind,family_name\nperson,M\xfcller\n";
        assert_eq!(problems("x\n").len(), 2, "unknown column and no kind");
        match read_file(latin1, 2026) {
            Err(AppError::InvalidFile(p)) => assert_eq!(p[0].line, 2),
            other => panic!("{other:?}"),
        }
        let unknown = problems("kind,shoe_size\nperson,44\n");
        assert_eq!(unknown[0].column, "shoe_size");
        let ragged = problems("kind,value\nphone,0612345678,extra\n");
        assert_eq!(ragged[0].line, 2);
        let unterminated = problems("kind,family_name\nperson,\"Smit\nperson,Jansen\n");
        assert_eq!(
            (unterminated[0].line, unterminated[0].column.as_str()),
            (2, "family_name")
        );
        assert!(!unterminated.is_empty());
        assert_eq!(problems("kind,value\n")[0].line, 0, "no rows");
    }

    #[test]
    fn an_export_imports_again_to_the_same_subjects() {
        let original = read_file(template().as_bytes(), 2026).expect("valid");
        let exported = write_csv(original.iter().map(|s| s.typed.clone())).expect("csv");
        let again = read_file(exported.as_bytes(), 2026).expect("re-import");
        let normals = |v: &[ValidSubject]| v.iter().map(|s| s.normal.clone()).collect::<Vec<_>>();
        assert_eq!(normals(&again), normals(&original));
    }
}
