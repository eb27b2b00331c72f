//! A case's subjects as CSV: import (all or nothing), export and the template.

use crate::overlaps::candidates::Matching;
use crate::server::caller::Caller;
use crate::{
    cases::store::record, server::csv_file, server::entity::case, server::entity::subject,
};
use crate::{
    error::AppError, error::FileProblem, subjects::parse::Invalid, subjects::parse::ValidSubject,
    subjects::parse::parse, subjects::types::SubjectInput,
};
use crate::{
    subjects::save::new_row, subjects::save::primary_if_none, subjects::save::this_year,
    ui::labels::problem_text,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};

/// Checks the whole file, and saves every row in one transaction only if all are valid.
#[tracing::instrument(level = "error", skip_all)]
pub async fn import(
    db: &DatabaseConnection,
    user: &Caller,
    matching: &Matching,
    case: &case::Model,
    file: &[u8],
) -> Result<usize, AppError> {
    crate::retention::store::accepts_subjects(case, user.locale)?;
    let subjects = read_file(file, this_year())?;
    let count = subjects.len();
    let now = crate::server::utc_text(chrono::Utc::now());
    let txn = crate::server::begin_matching(db).await?;
    // One by one: each subject is matched as it is saved, like a subject added by hand.
    for valid in subjects {
        let saved = new_row(valid, case.id, user.id, &now).insert(&txn).await?;
        crate::overlaps::detect::on_subject_saved(&txn, matching, &saved, case.joint_venture_id)
            .await?;
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
    txn.commit().await?;
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

pub(crate) fn write_csv(rows: impl Iterator<Item = SubjectInput>) -> Result<String, AppError> {
    csv_file::write(
        &SubjectInput::COLUMNS,
        rows.map(|input| SubjectInput::COLUMNS.map(|c| input.get(c).to_owned())),
    )
}

/// The subjects of a case as CSV in the import layout; the export is audited.
#[tracing::instrument(level = "error", skip_all)]
pub async fn export(
    db: &DatabaseConnection,
    user: &Caller,
    case: &case::Model,
) -> Result<String, AppError> {
    let stored = subject::Entity::find()
        .filter(subject::Column::CaseId.eq(case.id))
        .order_by_asc(subject::Column::Id)
        .all(db)
        .await?;
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
    use crate::domain::SubjectKind;

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
