use crate::domain::SubjectKind;
use crate::{
    domain::{OrganisationKind, Theme},
    i18n::*,
};

pub fn theme_label(i18n: leptos_i18n::I18nContext<Locale>, theme: Theme) -> String {
    match theme {
        Theme::Smuggling => t_string!(i18n, theme_smuggling).to_string(),
        Theme::Trafficking => t_string!(i18n, theme_trafficking).to_string(),
        Theme::Terrorism => t_string!(i18n, theme_terrorism).to_string(),
    }
}

pub fn kind_label(i18n: leptos_i18n::I18nContext<Locale>, kind: OrganisationKind) -> String {
    use OrganisationKind as K;
    match kind {
        K::Police => t_string!(i18n, kind_police).to_string(),
        K::BorderPolice => t_string!(i18n, kind_border_police).to_string(),
        K::Immigration => t_string!(i18n, kind_immigration).to_string(),
        K::Reception => t_string!(i18n, kind_reception).to_string(),
        K::Prosecution => t_string!(i18n, kind_prosecution).to_string(),
        K::Intelligence => t_string!(i18n, kind_intelligence).to_string(),
        K::Municipality => t_string!(i18n, kind_municipality).to_string(),
        K::Ministry => t_string!(i18n, kind_ministry).to_string(),
        K::Tax => t_string!(i18n, kind_tax).to_string(),
        K::LabourInspectorate => t_string!(i18n, kind_labour_inspectorate).to_string(),
        K::Ngo => t_string!(i18n, kind_ngo).to_string(),
        K::Other => t_string!(i18n, kind_other).to_string(),
    }
}

pub fn subject_kind_label(i18n: leptos_i18n::I18nContext<Locale>, kind: SubjectKind) -> String {
    use SubjectKind as K;
    match kind {
        K::Person => t_string!(i18n, subject_kind_person),
        K::Phone => t_string!(i18n, subject_kind_phone),
        K::Vehicle => t_string!(i18n, subject_kind_vehicle),
        K::BankAccount => t_string!(i18n, subject_kind_bank_account),
        K::Address => t_string!(i18n, subject_kind_address),
        K::Document => t_string!(i18n, subject_kind_document),
        K::ImmigrationNumber => t_string!(i18n, subject_kind_immigration_number),
        K::Email => t_string!(i18n, subject_kind_email),
        K::Vessel => t_string!(i18n, subject_kind_vessel),
        K::Company => t_string!(i18n, subject_kind_company),
    }
    .to_string()
}

/// What is wrong with a value, in the request's language.
#[cfg(feature = "ssr")]
pub fn problem_text(problem: crate::domain::identifiers::Problem) -> String {
    use crate::domain::identifiers::Problem;
    let locale = crate::language::request_locale();
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
