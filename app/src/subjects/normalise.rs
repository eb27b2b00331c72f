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

fn typed(input: &str) -> String {
    input.trim().to_owned()
}

/// A telephone number in E.164 (`+31612345678`). Without a country prefix it is read as Dutch;
/// the trunk `(0)` people write after a prefix and separators are cleaned up first.
pub fn phone(input: &str) -> Result<Normalised, &'static str> {
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
        return Err("enter a phone number such as 06 12345678 or +31 6 12345678");
    }
    let number = phonenumber::parse(Some(phonenumber::country::Id::NL), &cleaned)
        .map_err(|_| "is not a phone number; write it as 06 12345678 or +31 6 12345678")?;
    if !phonenumber::is_valid(&number) {
        return Err("is not a valid phone number for its country; check the digits");
    }
    Ok(Normalised {
        typed: typed(input),
        normal: number.format().mode(phonenumber::Mode::E164).to_string(),
    })
}

/// A bank account as a compact, upper-case IBAN with a valid checksum.
pub fn iban(input: &str) -> Result<Normalised, &'static str> {
    let compact: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_uppercase();
    use iban::IbanLike;
    let parsed: iban::Iban = compact
        .parse()
        .map_err(|_| "is not a valid IBAN; it looks like NL91 ABNA 0417 1643 00 and its check digits must add up")?;
    Ok(Normalised {
        typed: typed(input),
        normal: parsed.electronic_str().to_owned(),
    })
}

/// A vehicle registration: upper-case letters and digits only, with the registering country
/// (ISO 3166 alpha-2), `NL:AB123C`.
pub fn plate(input: &str, country: &str) -> Result<Normalised, &'static str> {
    let country = country.trim().to_uppercase();
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
        return Err("choose the country that registered the vehicle (two letters, such as NL)");
    }
    let plate: String = fold(input)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_uppercase();
    if !(2..=12).contains(&plate.len()) {
        return Err("enter the registration as on the plate, such as 12-ABC-3");
    }
    Ok(Normalised {
        typed: typed(input),
        normal: format!("{country}:{plate}"),
    })
}

/// A Dutch postcode in `1234AB` form (no space, capitals; the first digit is never 0).
pub fn postcode(input: &str) -> Result<Normalised, &'static str> {
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
        return Err("enter a postcode as 1234 AB");
    }
    Ok(Normalised {
        typed: typed(input),
        normal: compact,
    })
}

/// A ship's IMO number: seven digits whose last is the check digit (the first six weighted
/// 7..2, summed, modulo 10). Stored as `IMO9074729`.
pub fn imo(input: &str) -> Result<Normalised, &'static str> {
    let upper = input.trim().to_uppercase();
    let digits: String = upper
        .strip_prefix("IMO")
        .unwrap_or(&upper)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if digits.len() != 7 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err("enter the IMO number: seven digits, such as IMO 9074729");
    }
    let d: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    let sum: u32 = d[..6].iter().zip((2..=7).rev()).map(|(x, w)| x * w).sum();
    if sum % 10 != d[6] {
        return Err("is not a valid IMO number: its check digit does not match");
    }
    Ok(Normalised {
        typed: typed(input),
        normal: format!("IMO{digits}"),
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
pub fn name_key(input: &str) -> Result<Normalised, &'static str> {
    let folded = fold(input);
    let mut tokens: Vec<&str> = folded
        .split(|c: char| !c.is_alphabetic())
        .filter(|t| !t.is_empty())
        .map(variant_key)
        .collect();
    if tokens.is_empty() {
        return Err("enter a name with at least one letter");
    }
    if folded.chars().count() > 200 {
        return Err("may be at most 200 characters");
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
    pub fn parse(input: &str, this_year: i32) -> Result<BirthDate, &'static str> {
        const HOW: &str = "write a date of birth as 1990-05-17 or 17-05-1990, or only 1990-05 or 1990 when that is all that is known";
        let parts: Vec<&str> = input
            .trim()
            .split(['-', '/', '.', ' '])
            .filter(|p| !p.is_empty())
            .collect();
        let number = |s: &str| s.parse::<u32>().map_err(|_| HOW);
        let year = |s: &str| -> Result<i32, &'static str> {
            let y = s.parse::<i32>().map_err(|_| HOW)?;
            if s.len() != 4 || !(1900..=this_year).contains(&y) {
                return Err("the year must have four digits, from 1900 to this year");
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
                    return Err("this day does not exist in that month");
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
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn phones_become_e164_with_the_netherlands_as_default() {
        for typed in [
            "06 12345678",
            "06-12345678",
            "+31 (0)6 1234 5678",
            "0031612345678",
            "+31612345678",
        ] {
            assert_eq!(phone(typed).expect(typed).normal, "+31612345678", "{typed}");
        }
        assert_eq!(
            phone("+32 470 12 34 56").expect("Belgian").normal,
            "+32470123456"
        );
        assert!(phone("12").is_err());
        assert!(phone("call me").is_err());
    }

    #[test]
    fn ibans_are_compact_upper_case_and_checksum_verified() {
        assert_eq!(
            iban("nl91 abna 0417 1643 00").expect("valid").normal,
            "NL91ABNA0417164300"
        );
        assert!(iban("NL92ABNA0417164300").is_err(), "wrong check digits");
        assert!(iban("NL91").is_err());
    }

    #[test]
    fn plates_keep_letters_and_digits_with_their_country() {
        assert_eq!(plate("12-abc-3", "nl").expect("valid").normal, "NL:12ABC3");
        assert_eq!(
            plate(" B-MW 1234 ", "DE").expect("valid").normal,
            "DE:BMW1234"
        );
        assert!(plate("12-ABC-3", "Netherlands").is_err());
        assert!(plate("-", "NL").is_err());
    }

    #[test]
    fn postcodes_take_the_1234ab_form() {
        assert_eq!(postcode("1012 ab").expect("valid").normal, "1012AB");
        for bad in ["0123AB", "1012 A", "10123AB", "ABCD12"] {
            assert!(postcode(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn imo_numbers_are_checksum_verified() {
        assert_eq!(imo("IMO 9074729").expect("valid").normal, "IMO9074729");
        assert_eq!(imo("9074729").expect("valid").normal, "IMO9074729");
        assert!(imo("IMO 9074728").is_err());
        assert!(imo("IMO 907472").is_err());
    }

    #[test]
    fn names_fold_diacritics_case_order_and_documented_variants() {
        let key = |s: &str| name_key(s).expect(s).normal;
        assert_eq!(key("Mohammed El Amrani"), key("el amrani, Muhammad"));
        assert_eq!(key("Mohamed EL-AMRANI"), key("Mohammed el Amrani"));
        assert_eq!(key("Çelik Ayşe"), key("ayse celik"));
        assert_eq!(key("Józef Nowak"), "jozef nowak");
        assert_ne!(key("Mohammed Amrani"), key("Ahmed Amrani"));
        assert!(name_key("  - ").is_err());
    }

    #[test]
    fn every_variant_row_is_folded_and_distinct() {
        let mut seen = std::collections::HashSet::new();
        for row in NAME_VARIANTS {
            for spelling in *row {
                assert_eq!(fold(spelling), *spelling, "rows hold folded spellings");
                assert!(seen.insert(*spelling), "{spelling} in two rows");
            }
        }
    }

    #[test]
    fn dates_of_birth_keep_their_precision() {
        let parse = |s: &str| BirthDate::parse(s, 2026);
        assert_eq!(parse("1990-05-17"), Ok(BirthDate::Full(1990, 5, 17)));
        assert_eq!(parse("17-05-1990"), Ok(BirthDate::Full(1990, 5, 17)));
        assert_eq!(parse("1990-05"), Ok(BirthDate::YearMonth(1990, 5)));
        assert_eq!(parse("05/1990"), Ok(BirthDate::YearMonth(1990, 5)));
        assert_eq!(parse("1990"), Ok(BirthDate::Year(1990)));
        assert_eq!(parse(""), Ok(BirthDate::Unknown));
        assert_eq!(
            parse("2000-02-29").map(BirthDate::normal),
            Ok("2000-02-29".into())
        );
        for bad in [
            "1900-02-29",
            "1990-13-01",
            "2030",
            "90",
            "1990-05-17-1",
            "31-04-1990",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn no_normaliser_panics_on_any_input(input in any::<String>()) {
            let _ = phone(&input);
            let _ = iban(&input);
            let _ = plate(&input, "NL");
            let _ = postcode(&input);
            let _ = imo(&input);
            let _ = name_key(&input);
            let _ = BirthDate::parse(&input, 2026);
        }

        #[test]
        fn normal_forms_are_idempotent(input in "[ -~À-ž]{0,40}") {
            for f in [phone, iban, postcode, imo, name_key] {
                if let Ok(once) = f(&input) {
                    let twice = f(&once.normal).expect("a normal form parses");
                    prop_assert_eq!(&twice.normal, &once.normal);
                }
            }
            if let Ok(once) = plate(&input, "NL") {
                let body = once.normal.trim_start_matches("NL:").to_owned();
                prop_assert_eq!(plate(&body, "NL").expect("parses").normal, once.normal);
            }
        }

        #[test]
        fn phone_separators_never_change_the_number(digits in "[1-9][0-9]{8}") {
            let plain = format!("0{digits}");
            let spaced = format!("0{} {}-{}", &digits[..1], &digits[1..5], &digits[5..]);
            prop_assert_eq!(phone(&plain).map(|p| p.normal), phone(&spaced).map(|p| p.normal));
        }
    }
}
