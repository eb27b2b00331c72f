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

#[test]
fn countries_take_alpha_2_and_alpha_3_codes() {
    assert_eq!(country("nl"), Ok("NL".into()));
    assert_eq!(country("NLD"), Ok("NL".into()));
    assert_eq!(country("SYR"), Ok("SY".into()));
    assert_eq!(country("XX"), Err(Problem::Country));
    assert_eq!(country("Netherlands"), Err(Problem::Country));
}

#[test]
fn e_mail_addresses_are_lower_cased_and_need_a_domain() {
    assert_eq!(
        email(" J.Doe@Example.ORG ").expect("valid").normal,
        "j.doe@example.org"
    );
    for bad in [
        "j.doe",
        "j.doe@localhost",
        "@example.org",
        "a b@example.org",
    ] {
        assert_eq!(email(bad), Err(Problem::Email), "{bad}");
    }
}

#[test]
fn v_numbers_are_ten_digits() {
    for typed in ["1234567890", "V 12345-67890", "v-nummer: 1234567890"] {
        assert_eq!(immigration_number(typed).expect(typed).normal, "1234567890");
    }
    assert!(immigration_number("123456789").is_err());
    assert!(immigration_number("12345678901").is_err());
}

#[test]
fn documents_and_companies_carry_their_country() {
    assert_eq!(
        document_number("xn-012 345 67", "NLD")
            .expect("valid")
            .normal,
        "NL:XN01234567"
    );
    assert!(document_number("1234", "NL").is_err());
    assert!(document_number("XN0123456", "Holland").is_err());
    assert_eq!(
        registration_number("1234 5678", "NL")
            .expect("valid")
            .normal,
        "NL:12345678"
    );
    assert!(registration_number("1234567", "NL").is_err());
    assert_eq!(
        registration_number("HRB 12345", "DE")
            .expect("valid")
            .normal,
        "DE:HRB12345"
    );
}

#[test]
fn house_numbers_keep_their_addition() {
    for typed in ["12a", "12 A", "12-A"] {
        assert_eq!(house_number(typed).expect(typed).normal, "12A");
    }
    assert!(house_number("A12").is_err());
    assert!(house_number("").is_err());
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
        let _ = country(&input);
        let _ = email(&input);
        let _ = immigration_number(&input);
        let _ = document_number(&input, "NL");
        let _ = registration_number(&input, "DE");
        let _ = house_number(&input);
    }

    #[test]
    fn normal_forms_are_idempotent(input in "[ -~À-ž]{0,40}") {
        for f in [phone, iban, postcode, imo, name_key, email, immigration_number, house_number] {
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
