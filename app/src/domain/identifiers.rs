//! Subjects' values parsed once, at the edge: each type's `parse` validates what a user typed,
//! keeps it, and produces the normal form that matching compares. Past `parse`, no code
//! re-checks a string. Messages say what is wrong and how the value should look.
//!
//! Crates do what is not Liaison's own: `phonenumber` (libphonenumber's metadata) for phones,
//! `iban_validate` for IBAN structure and checksum, `unicode-normalization` for NFKC and
//! diacritics. Liaison's own: plates, postcodes, IMO numbers, dates of birth with their
//! precision, and the name key with its transliteration variants.

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

/// What a user typed and its normal form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalised {
    pub typed: String,
    pub normal: String,
}

/// What is wrong with a typed value. The English text says how it should look; pages show the
/// same text in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("enter a phone number such as 06 12345678 or +31 6 12345678")]
    PhoneFormat,
    #[error("is not a valid phone number for its country; check the digits")]
    PhoneInvalid,
    #[error(
        "is not a valid IBAN; it looks like NL91 ABNA 0417 1643 00 and its check digits must add up"
    )]
    Iban,
    #[error("choose a country as two letters, such as NL or DE")]
    Country,
    #[error("enter the registration as on the plate, such as 12-ABC-3")]
    Plate,
    #[error("enter a postcode as 1234 AB")]
    Postcode,
    #[error("enter the IMO number: seven digits, such as IMO 9074729")]
    ImoFormat,
    #[error("is not a valid IMO number: its check digit does not match")]
    ImoCheck,
    #[error("enter a name with at least one letter, at most 200 characters")]
    Name,
    #[error(
        "write a date of birth as 1990-05-17 or 17-05-1990, or only 1990-05 or 1990 when that is all that is known"
    )]
    BirthDateFormat,
    #[error("the year must have four digits, from 1900 to this year")]
    BirthYear,
    #[error("this day does not exist in that month")]
    BirthDay,
    #[error("enter an e-mail address such as name@example.org")]
    Email,
    #[error("enter the V-number: ten digits, such as 1234567890")]
    ImmigrationNumber,
    #[error("enter the document number: 5 to 20 letters and digits")]
    DocumentNumber,
    #[error(
        "enter the registration number: for the Netherlands the eight-digit KvK number, elsewhere 4 to 20 letters and digits"
    )]
    RegistrationNumber,
    #[error("enter a house number, such as 12 or 12-A")]
    HouseNumber,
    #[error("choose one of the listed values")]
    Choice,
    #[error("is not used for this kind of subject; leave it empty")]
    NotForKind,
    #[error("fill this in")]
    Required,
    #[error("is too long")]
    TooLong,
}

fn typed(input: &str) -> String {
    input.trim().to_owned()
}

/// A telephone number in E.164 (`+31612345678`). Without a country prefix it is read as Dutch;
/// the trunk `(0)` people write after a prefix and separators are cleaned up first.
pub fn phone(input: &str) -> Result<Normalised, Problem> {
    let cleaned: String = input
        .replace("(0)", "")
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '.' | '/' | '(' | ')'))
        .collect();
    let cleaned = match cleaned.strip_prefix("00") {
        Some(rest) => format!("+{rest}"),
        None => cleaned,
    };
    if cleaned.is_empty() || cleaned.len() > 20 {
        return Err(Problem::PhoneFormat);
    }
    let number = phonenumber::parse(Some(phonenumber::country::Id::NL), &cleaned)
        .map_err(|_| Problem::PhoneFormat)?;
    if !phonenumber::is_valid(&number) {
        return Err(Problem::PhoneInvalid);
    }
    Ok(Normalised {
        typed: typed(input),
        normal: number.format().mode(phonenumber::Mode::E164).to_string(),
    })
}

/// A bank account as a compact, upper-case IBAN with a valid checksum.
pub fn iban(input: &str) -> Result<Normalised, Problem> {
    let compact: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_uppercase();
    use iban::IbanLike;
    let parsed: iban::Iban = compact.parse().map_err(|_| Problem::Iban)?;
    Ok(Normalised {
        typed: typed(input),
        normal: parsed.electronic_str().to_owned(),
    })
}

/// A vehicle registration: upper-case letters and digits only, with the registering country
/// (ISO 3166 alpha-2), `NL:AB123C`.
pub fn plate(input: &str, country: &str) -> Result<Normalised, Problem> {
    let country = self::country(country)?;
    let plate: String = fold(input)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_uppercase();
    if !(2..=12).contains(&plate.len()) {
        return Err(Problem::Plate);
    }
    Ok(Normalised {
        typed: typed(input),
        normal: format!("{country}:{plate}"),
    })
}

/// A Dutch postcode in `1234AB` form (no space, capitals; the first digit is never 0).
pub fn postcode(input: &str) -> Result<Normalised, Problem> {
    let compact: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let bytes = compact.as_bytes();
    let valid = bytes.len() == 6
        && bytes[0] != b'0'
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4..].iter().all(u8::is_ascii_uppercase);
    if !valid {
        return Err(Problem::Postcode);
    }
    Ok(Normalised {
        typed: typed(input),
        normal: compact,
    })
}

/// A ship's IMO number: seven digits whose last is the check digit (the first six weighted
/// 7..2, summed, modulo 10). Stored as `IMO9074729`.
pub fn imo(input: &str) -> Result<Normalised, Problem> {
    let upper = input.trim().to_uppercase();
    let digits: String = upper
        .strip_prefix("IMO")
        .unwrap_or(&upper)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if digits.len() != 7 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(Problem::ImoFormat);
    }
    let d: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    let sum: u32 = d[..6].iter().zip((2..=7).rev()).map(|(x, w)| x * w).sum();
    if sum % 10 != d[6] {
        return Err(Problem::ImoCheck);
    }
    Ok(Normalised {
        typed: typed(input),
        normal: format!("IMO{digits}"),
    })
}

/// A country as its ISO 3166-1 alpha-2 code; alpha-3 (as in passports: `NLD`) is accepted and
/// read as its alpha-2 code.
pub fn country(input: &str) -> Result<String, Problem> {
    let code = input.trim().to_uppercase();
    let found = match code.len() {
        2 => isocountry::CountryCode::for_alpha2(&code).ok(),
        3 => isocountry::CountryCode::for_alpha3(&code).ok(),
        _ => None,
    };
    found.map(|c| c.alpha2().to_owned()).ok_or(Problem::Country)
}

/// An e-mail address, lower-cased (mail systems treat the local part case-insensitively in
/// practice, and matching must not miss `J.Doe@` against `j.doe@`).
pub fn email(input: &str) -> Result<Normalised, Problem> {
    let lower = input.trim().to_lowercase();
    if lower.len() > 254 || !email_address::EmailAddress::is_valid(&lower) {
        return Err(Problem::Email);
    }
    let (_, domain) = lower.rsplit_once('@').ok_or(Problem::Email)?;
    if !domain.contains('.') {
        return Err(Problem::Email);
    }
    Ok(Normalised {
        typed: typed(input),
        normal: lower,
    })
}

/// An IND V-number (vreemdelingennummer): ten digits; a `V` prefix and separators are dropped.
pub fn immigration_number(input: &str) -> Result<Normalised, Problem> {
    let upper = input.trim().to_uppercase();
    let body = upper
        .strip_prefix("V-NUMMER")
        .or_else(|| upper.strip_prefix('V'))
        .unwrap_or(&upper);
    let digits: String = body
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '.' | ':'))
        .collect();
    if digits.len() != 10 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(Problem::ImmigrationNumber);
    }
    Ok(Normalised {
        typed: typed(input),
        normal: digits,
    })
}

fn alphanumerics(input: &str) -> String {
    fold(input)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_uppercase()
}

/// An identity document's number with its issuing country: `NL:XN01234567`. The document's
/// type is kept beside it but is not part of the key (the same number on two papers is one
/// person's).
pub fn document_number(input: &str, issuing: &str) -> Result<Normalised, Problem> {
    let country = country(issuing)?;
    let number = alphanumerics(input);
    if !(5..=20).contains(&number.len()) || input.chars().count() > 40 {
        return Err(Problem::DocumentNumber);
    }
    Ok(Normalised {
        typed: typed(input),
        normal: format!("{country}:{number}"),
    })
}

/// A company's registration with its country: `NL:12345678`. Dutch numbers are the KvK's
/// eight digits.
pub fn registration_number(input: &str, registered_in: &str) -> Result<Normalised, Problem> {
    let country = country(registered_in)?;
    let number = alphanumerics(input);
    let valid = if country == "NL" {
        number.len() == 8 && number.chars().all(|c| c.is_ascii_digit())
    } else {
        (4..=20).contains(&number.len())
    };
    if !valid || input.chars().count() > 40 {
        return Err(Problem::RegistrationNumber);
    }
    Ok(Normalised {
        typed: typed(input),
        normal: format!("{country}:{number}"),
    })
}

/// A house number with its addition, as `12A` (`12 a`, `12-A` and `12a` are the same door).
pub fn house_number(input: &str) -> Result<Normalised, Problem> {
    let normal = alphanumerics(input);
    let starts_with_digit = normal.chars().next().is_some_and(|c| c.is_ascii_digit());
    if !starts_with_digit || normal.len() > 12 {
        return Err(Problem::HouseNumber);
    }
    Ok(Normalised {
        typed: typed(input),
        normal,
    })
}

/// NFKC, diacritics removed, case folded: `Ŝtéfan` → `stefan`, `ﬁ` → `fi`.
pub fn fold(input: &str) -> String {
    input
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .nfkc()
        .collect::<String>()
        .to_lowercase()
}

/// Transliteration variants folded to one spelling. Each row lists spellings of one name as
/// they arrive through different transliterations (Arabic, Cyrillic, Pashto, …); the first is
/// the key. Deliberately small and documented: matching explains which row applied.
pub const NAME_VARIANTS: &[&[&str]] = &[
    &[
        "mohammed", "muhammad", "mohamed", "mohammad", "muhammed", "mohamad", "mehmet", "mahomed",
    ],
    &["ahmed", "ahmad", "ahmet"],
    &["yusuf", "youssef", "yousef", "yusef", "joesoef"],
    &["hussein", "husain", "hussain", "hossein", "huseyin"],
    &["abdullah", "abdallah", "abdulla"],
    &["aleksandr", "alexander", "aleksander", "oleksandr"],
    &["sergei", "sergey", "serhiy", "sergej"],
    &["olga", "olha"],
    &["mustafa", "mustapha", "moestafa"],
    &["ali", "aly"],
];

/// The variant key of one folded name token.
pub fn variant_key(token: &str) -> &str {
    NAME_VARIANTS
        .iter()
        .find(|row| row.contains(&token))
        .map(|row| row[0])
        .unwrap_or(token)
}

/// A name's matching key: folded, split on anything that is not a letter, each token mapped to
/// its variant key, tokens sorted (so word order and `van`/`Van` do not matter).
pub fn name_key(input: &str) -> Result<Normalised, Problem> {
    let folded = fold(input);
    let mut tokens: Vec<&str> = folded
        .split(|c: char| !c.is_alphabetic())
        .filter(|t| !t.is_empty())
        .map(variant_key)
        .collect();
    if tokens.is_empty() {
        return Err(Problem::Name);
    }
    if folded.chars().count() > 200 {
        return Err(Problem::Name);
    }
    tokens.sort_unstable();
    Ok(Normalised {
        typed: typed(input),
        normal: tokens.join(" "),
    })
}

/// How much of a date of birth is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BirthDate {
    Unknown,
    Year(i32),
    YearMonth(i32, u32),
    Full(i32, u32, u32),
}

impl BirthDate {
    /// Accepts `YYYY-MM-DD`, `DD-MM-YYYY`, `YYYY-MM`, `MM-YYYY`, `YYYY`, or nothing (unknown).
    /// Years before 1900 or in the future are refused.
    pub fn parse(input: &str, this_year: i32) -> Result<BirthDate, Problem> {
        const HOW: Problem = Problem::BirthDateFormat;
        let parts: Vec<&str> = input
            .trim()
            .split(['-', '/', '.', ' '])
            .filter(|p| !p.is_empty())
            .collect();
        let number = |s: &str| s.parse::<u32>().map_err(|_| HOW);
        let year = |s: &str| -> Result<i32, Problem> {
            let y = s.parse::<i32>().map_err(|_| HOW)?;
            if s.len() != 4 || !(1900..=this_year).contains(&y) {
                return Err(Problem::BirthYear);
            }
            Ok(y)
        };
        let month = |m: u32| {
            if (1..=12).contains(&m) {
                Ok(m)
            } else {
                Err(HOW)
            }
        };
        let date = match parts.as_slice() {
            [] => BirthDate::Unknown,
            [y] => BirthDate::Year(year(y)?),
            [a, b] if a.len() == 4 => BirthDate::YearMonth(year(a)?, month(number(b)?)?),
            [a, b] => BirthDate::YearMonth(year(b)?, month(number(a)?)?),
            [a, b, c] => {
                let (y, m, d) = if a.len() == 4 { (a, b, c) } else { (c, b, a) };
                let (y, m, d) = (year(y)?, month(number(m)?)?, number(d)?);
                if chrono::NaiveDate::from_ymd_opt(y, m, d).is_none() {
                    return Err(Problem::BirthDay);
                }
                BirthDate::Full(y, m, d)
            }
            _ => return Err(HOW),
        };
        Ok(date)
    }

    /// The stored form: `1990-05-17`, `1990-05`, `1990` or empty.
    pub fn normal(self) -> String {
        match self {
            BirthDate::Unknown => String::new(),
            BirthDate::Year(y) => format!("{y:04}"),
            BirthDate::YearMonth(y, m) => format!("{y:04}-{m:02}"),
            BirthDate::Full(y, m, d) => format!("{y:04}-{m:02}-{d:02}"),
        }
    }
}

#[cfg(test)]
mod tests;
