//! The words for codes: what people read where the code is stored or sent. Codes stay codes in
//! addresses, forms and CSV files.

use crate::domain::SubjectKind;
use crate::{
    domain::{
        AuditAction, AuditObject, AuditOutcome, CaseStatus, DisclosurePurpose, Handling,
        LegalBasis, OperationKind, OrganisationKind, Role, Theme,
    },
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

pub fn purpose_label(i18n: leptos_i18n::I18nContext<Locale>, purpose: DisclosurePurpose) -> String {
    match purpose {
        DisclosurePurpose::CoordinateInvestigations => t_string!(i18n, purpose_coordinate),
        DisclosurePurpose::PreventDuplicateAction => t_string!(i18n, purpose_prevent_duplicate),
        DisclosurePurpose::ProtectVictims => t_string!(i18n, purpose_protect_victims),
        DisclosurePurpose::AssessThreat => t_string!(i18n, purpose_assess_threat),
        DisclosurePurpose::Other => t_string!(i18n, purpose_other),
    }
    .to_string()
}

pub fn legal_basis_label(i18n: leptos_i18n::I18nContext<Locale>, basis: LegalBasis) -> String {
    match basis {
        LegalBasis::Wpg20 => t_string!(i18n, basis_wpg_20),
        LegalBasis::Wpg19 => t_string!(i18n, basis_wpg_19),
        LegalBasis::Wjsg39f => t_string!(i18n, basis_wjsg_39f),
        LegalBasis::Vw107 => t_string!(i18n, basis_vw_107),
        LegalBasis::Wiv62 => t_string!(i18n, basis_wiv_62),
        LegalBasis::Gdpr6e => t_string!(i18n, basis_gdpr_6_1_e),
        LegalBasis::Gdpr6c => t_string!(i18n, basis_gdpr_6_1_c),
    }
    .to_string()
}

pub fn case_status_label(i18n: leptos_i18n::I18nContext<Locale>, status: CaseStatus) -> String {
    match status {
        CaseStatus::Planned => t_string!(i18n, case_status_planned),
        CaseStatus::Active => t_string!(i18n, case_status_active),
        CaseStatus::Suspended => t_string!(i18n, case_status_suspended),
        CaseStatus::Closed => t_string!(i18n, case_status_closed),
    }
    .to_string()
}

pub fn handling_label(i18n: leptos_i18n::I18nContext<Locale>, handling: Handling) -> String {
    match handling {
        Handling::PointerOnly => t_string!(i18n, handling_pointer_only),
        Handling::ShareOnConsent => t_string!(i18n, handling_share_on_consent),
        Handling::ShareOnApproval => t_string!(i18n, handling_share_on_approval),
        Handling::SharedWith => t_string!(i18n, handling_shared_with),
    }
    .to_string()
}

pub fn role_label(i18n: leptos_i18n::I18nContext<Locale>, role: Role) -> String {
    match role {
        Role::Reporter => t_string!(i18n, role_reporter),
        Role::Coordinator => t_string!(i18n, role_coordinator),
        Role::Manager => t_string!(i18n, role_manager),
        Role::Ministry => t_string!(i18n, role_ministry),
        Role::Auditor => t_string!(i18n, role_auditor),
        Role::Admin => t_string!(i18n, role_admin),
        Role::PrivacyOfficer => t_string!(i18n, role_privacy_officer),
    }
    .to_string()
}

pub fn roles_label(i18n: leptos_i18n::I18nContext<Locale>, roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| role_label(i18n, *r))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An operation's kind in `locale`: for text the server writes (an overlap's matched item).
pub fn operation_kind_text(locale: Locale, kind: OperationKind) -> &'static str {
    use OperationKind as K;
    match kind {
        K::Arrest => td_string!(locale, operation_arrest),
        K::Search => td_string!(locale, operation_search),
        K::Interview => td_string!(locale, operation_interview),
        K::Transfer => td_string!(locale, operation_transfer),
        K::BorderCheck => td_string!(locale, operation_border_check),
        K::Hearing => td_string!(locale, operation_hearing),
        K::Other => td_string!(locale, operation_other),
    }
}

pub fn operation_kind_label(i18n: leptos_i18n::I18nContext<Locale>, kind: OperationKind) -> String {
    operation_kind_text(i18n.get_locale(), kind).to_owned()
}

/// An audited action in words; a code recorded before it had words, as it was recorded.
pub fn audit_action_label(i18n: leptos_i18n::I18nContext<Locale>, code: &str) -> String {
    let Ok(action) = code.parse::<AuditAction>() else {
        return code.to_owned();
    };
    use AuditAction as A;
    match action {
        A::SignIn => t_string!(i18n, audit_action_sign_in),
        A::SignOut => t_string!(i18n, audit_action_sign_out),
        A::EnrolSecondFactor => t_string!(i18n, audit_action_enrol_second_factor),
        A::ChangePassword => t_string!(i18n, audit_action_change_password),
        A::SetPassword => t_string!(i18n, audit_action_set_password),
        A::CreateUser => t_string!(i18n, audit_action_create_user),
        A::UpdateUser => t_string!(i18n, audit_action_update_user),
        A::DeactivateUser => t_string!(i18n, audit_action_deactivate_user),
        A::ReactivateUser => t_string!(i18n, audit_action_reactivate_user),
        A::IssueSetPasswordLink => t_string!(i18n, audit_action_issue_set_password_link),
        A::ResetSecondFactor => t_string!(i18n, audit_action_reset_second_factor),
        A::RequestTakeover => t_string!(i18n, audit_action_request_takeover),
        A::ApproveTakeover => t_string!(i18n, audit_action_approve_takeover),
        A::RefuseTakeover => t_string!(i18n, audit_action_refuse_takeover),
        A::CreateOrganisation => t_string!(i18n, audit_action_create_organisation),
        A::UpdateOrganisation => t_string!(i18n, audit_action_update_organisation),
        A::AddRegion => t_string!(i18n, audit_action_add_region),
        A::CreateJointVenture => t_string!(i18n, audit_action_create_joint_venture),
        A::UpdateJointVenture => t_string!(i18n, audit_action_update_joint_venture),
        A::AddMember => t_string!(i18n, audit_action_add_member),
        A::EndMember => t_string!(i18n, audit_action_end_member),
        A::AssignCoordinator => t_string!(i18n, audit_action_assign_coordinator),
        A::RemoveCoordinator => t_string!(i18n, audit_action_remove_coordinator),
        A::AssignOversight => t_string!(i18n, audit_action_assign_oversight),
        A::RemoveOversight => t_string!(i18n, audit_action_remove_oversight),
        A::MarkMandateOverlapIntended => {
            t_string!(i18n, audit_action_mark_mandate_overlap_intended)
        }
        A::ListCases => t_string!(i18n, audit_action_list_cases),
        A::ReadCase => t_string!(i18n, audit_action_read_case),
        A::CreateCase => t_string!(i18n, audit_action_create_case),
        A::UpdateCase => t_string!(i18n, audit_action_update_case),
        A::ImportCases => t_string!(i18n, audit_action_import_cases),
        A::AddSubject => t_string!(i18n, audit_action_add_subject),
        A::RemoveSubject => t_string!(i18n, audit_action_remove_subject),
        A::PrimarySubject => t_string!(i18n, audit_action_primary_subject),
        A::ImportSubjects => t_string!(i18n, audit_action_import_subjects),
        A::ExportSubjects => t_string!(i18n, audit_action_export_subjects),
        A::AddOperation => t_string!(i18n, audit_action_add_operation),
        A::RemoveOperation => t_string!(i18n, audit_action_remove_operation),
        A::ListOverlaps => t_string!(i18n, audit_action_list_overlaps),
        A::ReadOverlap => t_string!(i18n, audit_action_read_overlap),
        A::ConsentOverlap => t_string!(i18n, audit_action_consent_overlap),
        A::DiscloseOverlap => t_string!(i18n, audit_action_disclose_overlap),
        A::RequestDisclosureApproval => {
            t_string!(i18n, audit_action_request_disclosure_approval)
        }
        A::ApproveDisclosure => t_string!(i18n, audit_action_approve_disclosure),
        A::RefuseDisclosure => t_string!(i18n, audit_action_refuse_disclosure),
        A::WithdrawDisclosureRequest => {
            t_string!(i18n, audit_action_withdraw_disclosure_request)
        }
        A::WithdrawConsent => t_string!(i18n, audit_action_withdraw_consent),
        A::ViewProvisions => t_string!(i18n, audit_action_view_provisions),
        A::ExportProvisions => t_string!(i18n, audit_action_export_provisions),
        A::OverlapStep => t_string!(i18n, audit_action_overlap_step),
        A::OverlapNote => t_string!(i18n, audit_action_overlap_note),
        A::ListOverseenOverlaps => t_string!(i18n, audit_action_list_overseen_overlaps),
        A::ReadOverseenOverlap => t_string!(i18n, audit_action_read_overseen_overlap),
        A::OverlapFollowUp => t_string!(i18n, audit_action_overlap_follow_up),
        A::AddBenignValue => t_string!(i18n, audit_action_add_benign_value),
        A::RemoveBenignValue => t_string!(i18n, audit_action_remove_benign_value),
        A::ReportSignal => t_string!(i18n, audit_action_report_signal),
        A::ViewSignal => t_string!(i18n, audit_action_view_signal),
        A::SignalStep => t_string!(i18n, audit_action_signal_step),
        A::SignalOwner => t_string!(i18n, audit_action_signal_owner),
        A::SignalFeedback => t_string!(i18n, audit_action_signal_feedback),
        A::AddRoutingRule => t_string!(i18n, audit_action_add_routing_rule),
        A::RemoveRoutingRule => t_string!(i18n, audit_action_remove_routing_rule),
        A::SaveSignalCategory => t_string!(i18n, audit_action_save_signal_category),
        A::ViewSignalAnalysis => t_string!(i18n, audit_action_view_signal_analysis),
        A::ViewOverlapReport => t_string!(i18n, audit_action_view_overlap_report),
        A::ViewSummary => t_string!(i18n, audit_action_view_summary),
        A::ExtendRetention => t_string!(i18n, audit_action_extend_retention),
        A::SaveRetentionRule => t_string!(i18n, audit_action_save_retention_rule),
        A::RemoveRetentionRule => t_string!(i18n, audit_action_remove_retention_rule),
        A::ViewRetention => t_string!(i18n, audit_action_view_retention),
        A::RetentionRun => t_string!(i18n, audit_action_retention_run),
        A::RequestDeletion => t_string!(i18n, audit_action_request_deletion),
        A::ConfirmDeletion => t_string!(i18n, audit_action_confirm_deletion),
        A::SaveDisclosureOption => t_string!(i18n, audit_action_save_disclosure_option),
        A::TrainMatchingModel => t_string!(i18n, audit_action_train_matching_model),
        A::CreateApiClient => t_string!(i18n, audit_action_create_api_client),
        A::RotateApiToken => t_string!(i18n, audit_action_rotate_api_token),
        A::RevokeApiClient => t_string!(i18n, audit_action_revoke_api_client),
        A::ApiCall => t_string!(i18n, audit_action_api_call),
        A::PutCaseItems => t_string!(i18n, audit_action_put_case_items),
        A::CloseCase => t_string!(i18n, audit_action_close_case),
    }
    .to_string()
}

/// How an audited action ended, in words.
pub fn audit_outcome_label(
    i18n: leptos_i18n::I18nContext<Locale>,
    outcome: AuditOutcome,
) -> String {
    match outcome {
        AuditOutcome::Success => t_string!(i18n, audit_outcome_success),
        AuditOutcome::Failure => t_string!(i18n, audit_outcome_failure),
        AuditOutcome::Refused => t_string!(i18n, audit_outcome_refused),
    }
    .to_string()
}

/// What an audited action was done to, in words; an unknown code as it was recorded.
pub fn audit_object_label(i18n: leptos_i18n::I18nContext<Locale>, code: &str) -> String {
    let Ok(object) = code.parse::<AuditObject>() else {
        return code.to_owned();
    };
    use AuditObject as O;
    match object {
        O::User => t_string!(i18n, audit_object_user),
        O::Organisation => t_string!(i18n, audit_object_organisation),
        O::Region => t_string!(i18n, audit_object_region),
        O::JointVenture => t_string!(i18n, audit_object_joint_venture),
        O::JointVenturePair => t_string!(i18n, audit_object_joint_venture_pair),
        O::Case => t_string!(i18n, audit_object_case),
        O::Overlap => t_string!(i18n, audit_object_overlap),
        O::BenignValue => t_string!(i18n, audit_object_benign_value),
        O::Signal => t_string!(i18n, audit_object_signal),
        O::RoutingRule => t_string!(i18n, audit_object_routing_rule),
        O::SignalCategory => t_string!(i18n, audit_object_signal_category),
        O::SignalAnalysis => t_string!(i18n, audit_object_signal_analysis),
        O::OverlapReport => t_string!(i18n, audit_object_overlap_report),
        O::Summary => t_string!(i18n, audit_object_summary),
        O::ProvisionRegister => t_string!(i18n, audit_object_provision_register),
        O::RetentionRule => t_string!(i18n, audit_object_retention_rule),
        O::RetentionJob => t_string!(i18n, audit_object_retention_job),
        O::DisclosureOption => t_string!(i18n, audit_object_disclosure_option),
        O::MatchingModel => t_string!(i18n, audit_object_matching_model),
        O::ApiClient => t_string!(i18n, audit_object_api_client),
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
