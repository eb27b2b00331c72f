//! What a request to a server function may carry, checked before the function reads it: a
//! body of bounded size, a form of valid UTF-8 text, every field within its length, and an
//! upload with a boundary. Past these checks a server function never holds more than a
//! bounded amount of text, so no field can be stored or read whole at any size.

use crate::{error::AppError, i18n::*};
use percent_encoding::percent_decode;

/// A form post: a signal's observation or a mandate is a few thousand characters at most.
pub const MAX_FORM_BYTES: usize = 1024 * 1024;

/// An upload: the CSV file and its few small fields.
pub const MAX_UPLOAD_BYTES: usize = crate::server::csv_file::MAX_IMPORT_BYTES + 64 * 1024;

/// The longest value of any form field; longer texts are none of Liaison's.
pub const MAX_FIELD_CHARS: usize = 20_000;

/// Fields that are short by nature, by their name (the part in the last brackets). A user
/// name is kept in the audit trail even when a sign-in fails, so it is bounded tightly.
const SHORT_FIELDS: &[(&str, usize)] = &[
    ("username", 200),
    ("password", 1_024),
    ("current", 1_024),
    ("new", 1_024),
    ("repeat", 1_024),
    ("code", 200),
    ("token", 200),
    // A search: SQLite refuses a `LIKE` pattern past 50,000 bytes.
    ("q", 200),
];

/// The most a body may hold: an upload's, or a form's.
pub fn body_limit(upload: bool) -> usize {
    if upload {
        MAX_UPLOAD_BYTES
    } else {
        MAX_FORM_BYTES
    }
}

/// The longest value the field `name` may have.
pub fn field_limit(name: &str) -> usize {
    let base = name
        .rsplit('[')
        .next()
        .unwrap_or(name)
        .trim_end_matches(']');
    SHORT_FIELDS
        .iter()
        .find(|(field, _)| *field == base)
        .map_or(MAX_FIELD_CHARS, |(_, max)| *max)
}

/// The refusal of a body over `limit` bytes (answered with 413).
pub fn too_large(locale: Locale, limit: usize) -> AppError {
    AppError::invalid(
        "request",
        format!(
            "{} {} MB",
            td_string!(locale, err_request_too_large),
            limit.div_ceil(1024 * 1024)
        ),
    )
}

/// A post to an upload that is not `multipart/form-data` (answered with 415).
pub fn not_an_upload(locale: Locale) -> AppError {
    AppError::invalid("file", td_string!(locale, err_upload_malformed))
}

/// A URL-encoded form: every name and value is UTF-8 text once decoded, and every value is
/// within its field's length. Names the first field that is not.
pub fn check_form(body: &[u8], locale: Locale) -> Result<(), AppError> {
    for pair in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let (name, value) = match pair.iter().position(|b| *b == b'=') {
            Some(at) => (&pair[..at], &pair[at + 1..]),
            None => (pair, &pair[pair.len()..]),
        };
        let decode = |raw: &[u8]| -> Option<String> {
            let spaced: Vec<u8> = raw
                .iter()
                .map(|b| if *b == b'+' { b' ' } else { *b })
                .collect();
            percent_decode(&spaced)
                .decode_utf8()
                .ok()
                .map(|text| text.into_owned())
        };
        let not_text = |field: &str| AppError::invalid(field, td_string!(locale, err_not_text));
        let name = decode(name)
            .filter(|name| !has_control(name))
            .ok_or_else(|| not_text("form"))?;
        let value = decode(value).ok_or_else(|| not_text(&name))?;
        if has_control(&value) {
            return Err(AppError::invalid(
                &name,
                td_string!(locale, err_control_character),
            ));
        }
        let max = field_limit(&name);
        if value.chars().count() > max {
            return Err(AppError::invalid(
                &name,
                format!("{} {max}", td_string!(locale, err_too_long)),
            ));
        }
    }
    Ok(())
}

/// A control character other than a tab or a line break: no text typed by a person holds one,
/// and PostgreSQL refuses a NUL in text outright.
fn has_control(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: Locale = Locale::en;

    #[test]
    fn a_form_of_short_text_passes() {
        assert_eq!(
            check_form(b"case[title]=Hallo+w%C3%A9reld&x=&y", EN),
            Ok(())
        );
    }

    #[test]
    fn bytes_that_are_no_text_name_their_field() {
        let err = check_form(b"ok=1&title=%FF%FE", EN).expect_err("refused");
        assert!(
            matches!(err, AppError::Invalid { ref field, .. } if field == "title"),
            "{err:?}"
        );
        let err = check_form(b"a=\xff\xfe", EN).expect_err("refused");
        assert!(
            matches!(err, AppError::Invalid { ref field, .. } if field == "a"),
            "{err:?}"
        );
        let err = check_form(b"%FF=1", EN).expect_err("refused");
        assert!(
            matches!(err, AppError::Invalid { ref field, .. } if field == "form"),
            "{err:?}"
        );
    }

    #[test]
    fn control_characters_are_refused_by_name_but_line_breaks_pass() {
        let err = check_form(b"case[title]=a%00b", EN).expect_err("refused");
        assert!(matches!(err, AppError::Invalid { ref field, .. } if field == "case[title]"));
        assert!(check_form(b"note=a%1Bb", EN).is_err());
        assert!(check_form(b"a%00=1", EN).is_err());
        assert_eq!(check_form(b"note=line%0D%0Aline%09tab", EN), Ok(()));
    }

    #[test]
    fn a_value_past_its_field_limit_is_refused_by_name() {
        let long_name = format!("username={}", "a".repeat(201));
        let err = check_form(long_name.as_bytes(), EN).expect_err("refused");
        assert!(matches!(err, AppError::Invalid { ref field, .. } if field == "username"));
        let fine = format!("user[display_name]={}", "a".repeat(MAX_FIELD_CHARS));
        assert_eq!(check_form(fine.as_bytes(), EN), Ok(()));
        let long = format!("user[display_name]={}", "a".repeat(MAX_FIELD_CHARS + 1));
        assert!(check_form(long.as_bytes(), EN).is_err());
        assert_eq!(field_limit("user[username]"), 200);
    }
}
