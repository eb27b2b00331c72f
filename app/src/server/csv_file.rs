//! CSV files in and out: uploads read from a multipart form with a size limit, files checked for
//! encoding, layout and cells a spreadsheet would run as a formula, and files written with those
//! cells made inert. What the rows mean is up to the caller (subjects, cases); every problem is
//! reported with its line and column and nothing is saved unless the whole file is valid.

use crate::{
    error::{AppError, FileProblem},
    i18n::*,
    language::request_locale,
};
use std::collections::HashMap;

/// The largest CSV file accepted, and the most rows in it.
pub const MAX_IMPORT_BYTES: usize = 5 * 1024 * 1024;

pub const MAX_IMPORT_ROWS: usize = 20_000;

/// The longest text field of an upload form (the file aside).
const MAX_FIELD_BYTES: usize = 200;

/// Problems reported at most; past this the file is clearly the wrong one.
const MAX_PROBLEMS: usize = 100;

/// An uploaded form: its text fields and the file's bytes.
pub struct Upload {
    pub fields: HashMap<String, String>,
    pub file: Vec<u8>,
}

impl Upload {
    /// A numeric field naming what the file goes into; missing or unreadable is a refusal
    /// (the form always sends it).
    pub fn id(&self, field: &str) -> Result<i32, AppError> {
        self.fields
            .get(field)
            .and_then(|v| v.trim().parse().ok())
            .ok_or(AppError::Forbidden)
    }
}

fn problem(line: u64, column: &str, message: impl Into<String>) -> FileProblem {
    FileProblem {
        line,
        column: column.to_owned(),
        message: message.into(),
    }
}

/// Reads the multipart form, refusing a file over [`MAX_IMPORT_BYTES`] as soon as it gets there.
pub async fn read_upload(
    data: leptos::server_fn::codec::MultipartData,
) -> Result<Upload, AppError> {
    let locale = request_locale();
    let mut form = data.into_inner().ok_or(AppError::Unavailable)?;
    let malformed = || AppError::invalid("file", td_string!(locale, err_upload_malformed));
    let (mut fields, mut file) = (HashMap::new(), None);
    while let Some(mut field) = form.next_field().await.map_err(|_| malformed())? {
        match field.name().map(str::to_owned).as_deref() {
            Some("file") => {
                let too_large = || {
                    AppError::InvalidFile(vec![problem(
                        0,
                        "",
                        td_string!(locale, err_import_too_large),
                    )])
                };
                file =
                    Some(read_at_most(&mut field, MAX_IMPORT_BYTES, too_large, malformed).await?);
            }
            Some(name) if fields.len() < 8 => {
                // A field is an id or a choice: read at most a few hundred bytes of it, never
                // the whole of whatever was sent.
                let name = name.to_owned();
                let too_long = || {
                    AppError::invalid(
                        &name,
                        format!("{} {MAX_FIELD_BYTES}", td_string!(locale, err_too_long)),
                    )
                };
                let bytes = read_at_most(&mut field, MAX_FIELD_BYTES, too_long, malformed).await?;
                let text = String::from_utf8(bytes)
                    .map_err(|_| AppError::invalid(&name, td_string!(locale, err_not_text)))?;
                fields.insert(name, text);
            }
            _ => {}
        }
    }
    let file = file
        .filter(|f| !f.is_empty())
        .ok_or_else(|| AppError::invalid("file", td_string!(locale, err_import_no_file)))?;
    Ok(Upload { fields, file })
}

/// One part of an upload, refused with `too_large()` as soon as it passes `max` bytes.
async fn read_at_most(
    field: &mut multer::Field<'_>,
    max: usize,
    too_large: impl Fn() -> AppError,
    malformed: impl Fn() -> AppError,
) -> Result<Vec<u8>, AppError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|_| malformed())? {
        if bytes.len() + chunk.len() > max {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Undoes the export's guard (`'=…`) and refuses a cell a spreadsheet would run as a formula.
/// A leading `+` or `-` is allowed before digits only (phone numbers, negative numbers).
fn cell(raw: &str) -> Result<String, String> {
    let locale = request_locale();
    let value = raw.trim();
    if value.contains(['\n', '\r']) {
        return Err(td_string!(locale, err_import_malformed).to_owned());
    }
    if let Some(rest) = value.strip_prefix('\'')
        && rest.starts_with(['=', '+', '-', '@'])
    {
        return Ok(rest.to_owned());
    }
    let dangerous = match value.chars().next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => !value[1..]
            .chars()
            .all(|c| c.is_ascii_digit() || " ()-./".contains(c)),
        _ => false,
    };
    if dangerous {
        return Err(td_string!(locale, err_subject_formula).to_owned());
    }
    Ok(value.to_owned())
}

/// One data line of a file: its line number and its cells by column name.
pub struct Row {
    pub line: u64,
    pub cells: Vec<(String, String)>,
}

/// Reads a CSV file whose first line names columns out of `columns` (`required` must be one
/// of them): UTF-8 with or without a byte-order mark, `,` or `;` as separator, blank lines
/// skipped. The rows whose cells passed, and the problems of the others; a file that cannot
/// be read as this layout at all is an error.
pub fn read(
    file: &[u8],
    columns: &[&str],
    required: &str,
) -> Result<(Vec<Row>, Vec<FileProblem>), AppError> {
    let locale = request_locale();
    let whole = |message: &str| AppError::InvalidFile(vec![problem(0, "", message)]);
    if file.starts_with(&[0xFF, 0xFE]) || file.starts_with(&[0xFE, 0xFF]) {
        return Err(whole(td_string!(locale, err_import_encoding)));
    }
    let file = file.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(file);
    let text = std::str::from_utf8(file).map_err(|err| {
        let line = file[..err.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64
            + 1;
        AppError::InvalidFile(vec![problem(
            line,
            "",
            td_string!(locale, err_import_encoding),
        )])
    })?;
    // Spreadsheets set to Dutch save with `;`.
    let header_line = text.lines().next().unwrap_or_default();
    let delimiter = if header_line.matches(';').count() > header_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|_| whole(td_string!(locale, err_import_malformed)))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let mut problems = Vec::new();
    for (index, header) in headers.iter().enumerate() {
        if !columns.contains(&header.as_str()) {
            problems.push(problem(
                1,
                header,
                td_string!(locale, err_import_unknown_column),
            ));
        } else if headers[..index].contains(header) {
            problems.push(problem(
                1,
                header,
                td_string!(locale, err_import_duplicate_column),
            ));
        }
    }
    if !headers.iter().any(|h| h == required) {
        problems.push(problem(
            1,
            required,
            td_string!(locale, err_import_required_column),
        ));
    }
    if !problems.is_empty() {
        return Err(AppError::InvalidFile(problems));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        if problems.len() >= MAX_PROBLEMS {
            problems.push(problem(
                0,
                "",
                td_string!(locale, err_import_too_many_problems),
            ));
            break;
        }
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                let line = err.position().map(|p| p.line()).unwrap_or(0);
                problems.push(problem(line, "", td_string!(locale, err_import_malformed)));
                break;
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if rows.len() + problems.len() >= MAX_IMPORT_ROWS {
            problems.push(problem(
                line,
                "",
                td_string!(locale, err_import_too_many_rows),
            ));
            break;
        }
        if record.len() != headers.len() {
            problems.push(problem(
                line,
                "",
                format!(
                    "{} ({} / {})",
                    td_string!(locale, err_import_field_count),
                    record.len(),
                    headers.len()
                ),
            ));
            continue;
        }
        let mut cells = Vec::with_capacity(headers.len());
        let mut row_ok = true;
        for (header, raw) in headers.iter().zip(record.iter()) {
            match cell(raw) {
                Ok(value) => cells.push((header.clone(), value)),
                Err(message) => {
                    problems.push(problem(line, header, message));
                    row_ok = false;
                }
            }
        }
        if row_ok {
            rows.push(Row { line, cells });
        }
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(problem(0, "", td_string!(locale, err_import_empty)));
    }
    Ok((rows, problems))
}

/// The parsed rows, or the problems of both reading and parsing in line order.
pub fn all_or_nothing<T>(
    parsed: Vec<T>,
    mut problems: Vec<FileProblem>,
) -> Result<Vec<T>, AppError> {
    problems.sort_by_key(|p| p.line);
    if problems.is_empty() {
        Ok(parsed)
    } else {
        Err(AppError::InvalidFile(problems))
    }
}

/// A cell a spreadsheet would run as a formula is prefixed with `'` (OWASP's advice); import
/// takes the prefix off again.
fn inert(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}

/// A CSV file with a header line and every cell made inert.
pub fn write<const N: usize>(
    header: &[&str; N],
    rows: impl Iterator<Item = [String; N]>,
) -> Result<String, AppError> {
    let failed = |err: csv::Error| {
        tracing::error!(error = %err, "writing CSV failed");
        AppError::Unavailable
    };
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).map_err(failed)?;
    for row in rows {
        writer
            .write_record(row.iter().map(|c| inert(c)))
            .map_err(failed)?;
    }
    let bytes = writer.into_inner().map_err(|err| {
        tracing::error!(error = %err, "writing CSV failed");
        AppError::Unavailable
    })?;
    String::from_utf8(bytes).map_err(|_| AppError::Unavailable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_refused_and_guarded_ones_read_back() {
        assert!(cell("=1+1").is_err());
        assert!(cell("@SUM(A1)").is_err());
        assert!(cell("-2+3").is_err());
        assert_eq!(cell("+31 6 12345678").as_deref(), Ok("+31 6 12345678"));
        assert_eq!(cell("'=1+1").as_deref(), Ok("=1+1"));
        assert_eq!(inert("=1+1"), "'=1+1");
        assert_eq!(inert("Smit"), "Smit");
        assert_eq!(cell(&inert("+31 6 1")).as_deref(), Ok("+31 6 1"));
    }
}
