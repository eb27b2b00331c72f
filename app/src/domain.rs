//! Liaison's domain vocabulary, shared by server and browser. Each value is stored by its
//! stable code (`as_str`), never by its position, so adding a variant changes no stored row.

pub mod dates;
#[cfg(feature = "ssr")]
pub mod identifiers;
#[cfg(feature = "ssr")]
pub mod working_days;

use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

/// A value read from storage or input that is not one of the known codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} code `{code}`")]
pub struct UnknownCode {
    pub what: &'static str,
    pub code: String,
}

macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        // On the wire as in storage: the code itself.
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let code = String::deserialize(deserializer)?;
                code.parse().map_err(serde::de::Error::custom)
            }
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
        }

        impl FromStr for $name {
            type Err = UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($code => Ok($name::$variant),)+
                    _ => Err(UnknownCode { what: $what, code: s.to_owned() }),
                }
            }
        }

        // In the REST API's OpenAPI document: a string, one of the codes.
        #[cfg(feature = "ssr")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($code),+]))
                    .into()
            }
        }

        #[cfg(feature = "ssr")]
        impl utoipa::ToSchema for $name {}

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

coded_enum!(
    /// What taking over an account does once a second administrator approves it: clear the
    /// second factor (the user enrols a new one at their next sign-in), or issue a
    /// set-password link.
    TakeoverKind, "takeover kind" {
        ResetSecondFactor => "reset_second_factor",
        SetPasswordLink => "set_password_link",
    }
);

coded_enum!(
    /// What a joint venture works against.
    Theme, "theme" {
        Smuggling => "smuggling",
        Trafficking => "trafficking",
        Terrorism => "terrorism",
    }
);

coded_enum!(
    /// The kind of authority or body an organisation is.
    OrganisationKind, "organisation kind" {
        Police => "police",
        BorderPolice => "border_police",
        Immigration => "immigration",
        Reception => "reception",
        Prosecution => "prosecution",
        Intelligence => "intelligence",
        Municipality => "municipality",
        Ministry => "ministry",
        Tax => "tax",
        LabourInspectorate => "labour_inspectorate",
        Ngo => "ngo",
        Other => "other",
    }
);

coded_enum!(
    /// Why a side agrees to disclose what matched. `Other` needs a note saying what for.
    DisclosurePurpose, "disclosure purpose" {
        CoordinateInvestigations => "coordinate_investigations",
        PreventDuplicateAction => "prevent_duplicate_action",
        ProtectVictims => "protect_victims",
        AssessThreat => "assess_threat",
        Other => "other",
    }
);

coded_enum!(
    /// The legal ground on which an organisation provides data to a partner. Which grounds an
    /// organisation may use depends on the law its data falls under (`applies_to`): police data
    /// on the Police Data Act (Wpg), judicial data on the Wjsg, aliens' data on the Aliens Act,
    /// the services' data on the Wiv 2017, everything else on the GDPR.
    LegalBasis, "legal basis" {
        Wpg20 => "wpg_20",
        Wpg19 => "wpg_19",
        Wjsg39f => "wjsg_39f",
        Vw107 => "vw_107",
        Wiv62 => "wiv_62",
        Gdpr6e => "gdpr_6_1_e",
        Gdpr6c => "gdpr_6_1_c",
    }
);

impl LegalBasis {
    /// Whether an organisation of `kind` provides data on this ground.
    pub fn applies_to(self, kind: OrganisationKind) -> bool {
        use OrganisationKind as K;
        match self {
            LegalBasis::Wpg20 | LegalBasis::Wpg19 => matches!(kind, K::Police | K::BorderPolice),
            LegalBasis::Wjsg39f => kind == K::Prosecution,
            LegalBasis::Vw107 => matches!(kind, K::Immigration | K::BorderPolice),
            LegalBasis::Wiv62 => kind == K::Intelligence,
            LegalBasis::Gdpr6e | LegalBasis::Gdpr6c => {
                !matches!(kind, K::Police | K::Prosecution | K::Intelligence)
            }
        }
    }

    /// The grounds an organisation of `kind` may give, in the order a form offers them.
    pub fn for_kind(kind: OrganisationKind) -> Vec<LegalBasis> {
        LegalBasis::ALL
            .iter()
            .copied()
            .filter(|basis| basis.applies_to(kind))
            .collect()
    }
}

coded_enum!(
    /// What an API client may do (`/admin/api-clients`), on top of what a coordinator of its
    /// joint ventures may: each scope opens a part of `/api/v1/`, and none opens more.
    ApiScope, "API scope" {
        CasesRead => "cases:read",
        CasesWrite => "cases:write",
        SubjectsWrite => "subjects:write",
        OperationsWrite => "operations:write",
        SignalsWrite => "signals:write",
        OverlapsRead => "overlaps:read",
        OverlapsAct => "overlaps:act",
        EventsRead => "events:read",
    }
);

coded_enum!(
    /// How an organisation takes part in a joint venture.
    MembershipRole, "membership role" {
        Lead => "lead",
        Member => "member",
        Observer => "observer",
    }
);

coded_enum!(
    /// What a user may do; see DESIGN.md. A user may hold several.
    Role, "role" {
        Reporter => "reporter",
        Coordinator => "coordinator",
        Manager => "manager",
        Ministry => "ministry",
        Auditor => "auditor",
        Admin => "admin",
        PrivacyOfficer => "privacy_officer",
    }
);

impl Role {
    /// Every role that can reach case content or manage users needs a second factor.
    pub fn needs_second_factor(self) -> bool {
        !matches!(self, Role::Reporter | Role::Ministry)
    }
}

coded_enum!(
    JointVentureStatus, "joint venture status" {
        Active => "active",
        Ended => "ended",
    }
);

coded_enum!(
    /// Where a case stands.
    CaseStatus, "case status" {
        Planned => "planned",
        Active => "active",
        Suspended => "suspended",
        Closed => "closed",
    }
);

coded_enum!(
    /// Who may learn of a case: only its pointer, on consent, or named joint ventures.
    Handling, "handling code" {
        PointerOnly => "pointer-only",
        ShareOnConsent => "share-on-consent",
        ShareOnApproval => "share-on-approval",
        SharedWith => "shared-with",
    }
);

coded_enum!(
    /// What a subject is: each kind has its own fields and normal form.
    SubjectKind, "subject kind" {
        Person => "person",
        Phone => "phone",
        Vehicle => "vehicle",
        BankAccount => "bank_account",
        Address => "address",
        Document => "document",
        ImmigrationNumber => "immigration_number",
        Email => "email",
        Vessel => "vessel",
        Company => "company",
    }
);

coded_enum!(
    /// A person's sex as recorded in their documents; `x` as in Dutch passports.
    Sex, "sex" {
        Unknown => "unknown",
        Female => "female",
        Male => "male",
        X => "x",
    }
);

coded_enum!(
    DocumentType, "document type" {
        Passport => "passport",
        IdentityCard => "id_card",
        ResidencePermit => "residence_permit",
        DrivingLicence => "driving_licence",
        TravelDocument => "travel_document",
        Other => "other",
    }
);

coded_enum!(
    /// What a planned operation is.
    OperationKind, "operation kind" {
        Arrest => "arrest",
        Search => "search",
        Interview => "interview",
        Transfer => "transfer",
        BorderCheck => "border_check",
        Hearing => "hearing",
        Other => "other",
    }
);

coded_enum!(
    RegionKind, "region kind" {
        National => "national",
        Province => "province",
        Municipality => "municipality",
    }
);

coded_enum!(
    /// Where an overlap is in its life (its rules: the overlap workflow).
    OverlapState, "overlap state" {
        Open => "open",
        Acknowledged => "acknowledged",
        Decided => "decided",
        Closed => "closed",
    }
);

coded_enum!(
    /// What an overlap rests on: matching subjects, or two operations close in place and time.
    OverlapKind, "overlap kind" {
        Subject => "subject",
        Operation => "operation",
    }
);

coded_enum!(
    /// Where a notification's e-mail is: none (no SMTP configured), waiting for the deadline
    /// job, sent, or failed (the notification itself is kept either way).
    MailState, "mail state" {
        None => "none",
        Pending => "pending",
        Sent => "sent",
        Failed => "failed",
    }
);

coded_enum!(
    /// What two joint ventures decided about an overlap. `LeadFirst`/`LeadSecond` name the side
    /// (the first is the side with the lower item id) that takes the lead.
    Decision, "decision" {
        JointAction => "joint_action",
        LeadFirst => "lead_first",
        LeadSecond => "lead_second",
        NoConflict => "no_conflict",
        Merge => "merge",
        FalseMatch => "false_match",
    }
);

coded_enum!(
    /// A step in an overlap's life, as its timeline records it.
    OverlapStep, "overlap step" {
        Found => "found",
        Acknowledge => "acknowledge",
        Propose => "propose",
        Agree => "agree",
        Rule => "rule",
        Reopen => "reopen",
        Close => "close",
        FollowUp => "follow_up",
        Note => "note",
        Consent => "consent",
        WithdrawConsent => "withdraw_consent",
        Disclose => "disclose",
        RequestDeletion => "request_deletion",
        ConfirmDeletion => "confirm_deletion",
        DeadlineNear => "deadline_near",
        DeadlinePassed => "deadline_passed",
    }
);

coded_enum!(
    /// A flag on an overlap: derived from its facts, never typed by hand.
    Flag, "flag" {
        Uncoordinated => "uncoordinated",
        PossibleDuplicate => "possible_duplicate",
        OperationalConflict => "operational_conflict",
    }
);

coded_enum!(
    /// What a notification is about.
    NotificationKind, "notification kind" {
        NewOverlap => "new_overlap",
        Acknowledged => "acknowledged",
        Proposed => "proposed",
        Decided => "decided",
        Reopened => "reopened",
        DeadlineNear => "deadline_near",
        DeadlinePassed => "deadline_passed",
        Escalated => "escalated",
        FollowUp => "follow_up",
        NewSignal => "new_signal",
        SignalRouted => "signal_routed",
        SignalOverdue => "signal_overdue",
        SignalEscalated => "signal_escalated",
        SignalFeedback => "signal_feedback",
        SignalAttached => "signal_attached",
        SignalMatch => "signal_match",
        ApprovalRequested => "approval_requested",
        ApprovalDecided => "approval_decided",
        DeletionRequested => "deletion_requested",
        DeletionConfirmed => "deletion_confirmed",
    }
);

coded_enum!(
    /// Where a request for a second coordinator's approval of a consent stands. A pending
    /// request past its deadline counts as expired (read, never stored).
    ApprovalState, "approval state" {
        Pending => "pending",
        Approved => "approved",
        Refused => "refused",
        Withdrawn => "withdrawn",
    }
);

coded_enum!(
    /// Whether a signal is a fact (a forged document) or an impression (someone seems to be
    /// controlled by another).
    SignalNature, "signal nature" {
        Hard => "hard",
        Soft => "soft",
    }
);

coded_enum!(
    Urgency, "urgency" {
        Normal => "normal",
        Urgent => "urgent",
    }
);

coded_enum!(
    /// A signal's life: `new → assessed → routed → followed up | no action`.
    SignalState, "signal state" {
        New => "new",
        Assessed => "assessed",
        Routed => "routed",
        FollowedUp => "followed_up",
        NoAction => "no_action",
    }
);

coded_enum!(
    /// What following up a signal came to.
    SignalOutcome, "signal outcome" {
        LinkedCase => "linked_case",
        Forwarded => "forwarded",
        AddedToCase => "added_to_case",
    }
);

coded_enum!(
    /// How an audited action ended.
    AuditOutcome, "audit outcome" {
        Success => "success",
        Failure => "failure",
        Refused => "refused",
    }
);

coded_enum!(
    /// What the audit trail records that someone did. The trail stores the code; a code
    /// written before a variant was added here is shown as it was stored.
    AuditAction, "audit action" {
        SignIn => "sign_in",
        SignOut => "sign_out",
        EnrolSecondFactor => "enrol_second_factor",
        ChangePassword => "change_password",
        SetPassword => "set_password",
        CreateUser => "create_user",
        UpdateUser => "update_user",
        DeactivateUser => "deactivate_user",
        ReactivateUser => "reactivate_user",
        IssueSetPasswordLink => "issue_set_password_link",
        ResetSecondFactor => "reset_second_factor",
        RequestTakeover => "request_takeover",
        ApproveTakeover => "approve_takeover",
        RefuseTakeover => "refuse_takeover",
        CreateOrganisation => "create_organisation",
        UpdateOrganisation => "update_organisation",
        AddRegion => "add_region",
        CreateJointVenture => "create_joint_venture",
        UpdateJointVenture => "update_joint_venture",
        AddMember => "add_member",
        EndMember => "end_member",
        AssignCoordinator => "assign_coordinator",
        RemoveCoordinator => "remove_coordinator",
        AssignOversight => "assign_oversight",
        RemoveOversight => "remove_oversight",
        MarkMandateOverlapIntended => "mark_mandate_overlap_intended",
        ListCases => "list_cases",
        ReadCase => "read_case",
        CreateCase => "create_case",
        UpdateCase => "update_case",
        ImportCases => "import_cases",
        AddSubject => "add_subject",
        RemoveSubject => "remove_subject",
        PrimarySubject => "primary_subject",
        ImportSubjects => "import_subjects",
        ExportSubjects => "export_subjects",
        AddOperation => "add_operation",
        RemoveOperation => "remove_operation",
        ListOverlaps => "list_overlaps",
        ReadOverlap => "read_overlap",
        ConsentOverlap => "consent_overlap",
        DiscloseOverlap => "disclose_overlap",
        RequestDisclosureApproval => "request_disclosure_approval",
        ApproveDisclosure => "approve_disclosure",
        RefuseDisclosure => "refuse_disclosure",
        WithdrawDisclosureRequest => "withdraw_disclosure_request",
        WithdrawConsent => "withdraw_consent",
        ViewProvisions => "view_provisions",
        ExportProvisions => "export_provisions",
        OverlapStep => "overlap_step",
        OverlapNote => "overlap_note",
        ListOverseenOverlaps => "list_overseen_overlaps",
        ReadOverseenOverlap => "read_overseen_overlap",
        OverlapFollowUp => "overlap_follow_up",
        AddBenignValue => "add_benign_value",
        RemoveBenignValue => "remove_benign_value",
        ReportSignal => "report_signal",
        ViewSignal => "view_signal",
        SignalStep => "signal_step",
        SignalOwner => "signal_owner",
        SignalFeedback => "signal_feedback",
        AddRoutingRule => "add_routing_rule",
        RemoveRoutingRule => "remove_routing_rule",
        SaveSignalCategory => "save_signal_category",
        ViewSignalAnalysis => "view_signal_analysis",
        ViewOverlapReport => "view_overlap_report",
        ViewSummary => "view_summary",
        ExtendRetention => "extend_retention",
        SaveRetentionRule => "save_retention_rule",
        RemoveRetentionRule => "remove_retention_rule",
        ViewRetention => "view_retention",
        RetentionRun => "retention_run",
        RequestDeletion => "request_deletion",
        ConfirmDeletion => "confirm_deletion",
        SaveDisclosureOption => "save_disclosure_option",
        CreateApiClient => "create_api_client",
        RotateApiToken => "rotate_api_token",
        RevokeApiClient => "revoke_api_client",
        ApiCall => "api_call",
        PutCaseItems => "put_case_items",
        CloseCase => "close_case",
        TrainMatchingModel => "train_matching_model",
    }
);

coded_enum!(
    /// What kind of thing an audited action was done to.
    AuditObject, "audit object" {
        User => "user",
        Organisation => "organisation",
        Region => "region",
        JointVenture => "joint_venture",
        JointVenturePair => "joint_venture_pair",
        Case => "case",
        Overlap => "overlap",
        BenignValue => "benign_value",
        Signal => "signal",
        RoutingRule => "routing_rule",
        SignalCategory => "signal_category",
        SignalAnalysis => "signal_analysis",
        OverlapReport => "overlap_report",
        Summary => "summary",
        ProvisionRegister => "provision_register",
        RetentionRule => "retention_rule",
        RetentionJob => "retention_job",
        DisclosureOption => "disclosure_option",
        ApiClient => "api_client",
        MatchingModel => "matching_model",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_as_its_variant() {
        for theme in Theme::ALL {
            assert_eq!(theme.as_str().parse::<Theme>(), Ok(*theme));
        }
        for kind in OrganisationKind::ALL {
            assert_eq!(kind.as_str().parse::<OrganisationKind>(), Ok(*kind));
        }
        for role in MembershipRole::ALL {
            assert_eq!(role.as_str().parse::<MembershipRole>(), Ok(*role));
        }
        for kind in SubjectKind::ALL {
            assert_eq!(kind.as_str().parse::<SubjectKind>(), Ok(*kind));
        }
        for kind in OperationKind::ALL {
            assert_eq!(kind.as_str().parse::<OperationKind>(), Ok(*kind));
        }
        for kind in DocumentType::ALL {
            assert_eq!(kind.as_str().parse::<DocumentType>(), Ok(*kind));
        }
        for sex in Sex::ALL {
            assert_eq!(sex.as_str().parse::<Sex>(), Ok(*sex));
        }
        for action in AuditAction::ALL {
            assert_eq!(action.as_str().parse::<AuditAction>(), Ok(*action));
        }
        for outcome in AuditOutcome::ALL {
            assert_eq!(outcome.as_str().parse::<AuditOutcome>(), Ok(*outcome));
        }
    }

    #[test]
    fn an_unknown_code_is_refused_with_what_it_was_meant_to_be() {
        let err = "piracy".parse::<Theme>().unwrap_err();
        assert_eq!(err.to_string(), "unknown theme code `piracy`");
    }

    #[test]
    fn serde_uses_the_same_codes_as_storage() {
        let json = serde_json_like(OrganisationKind::BorderPolice);
        assert_eq!(json, OrganisationKind::BorderPolice.as_str());
    }

    /// serde's `rename_all` and `as_str` must agree, or the wire and the database would
    /// spell the same kind differently.
    fn serde_json_like(kind: OrganisationKind) -> String {
        use serde::de::IntoDeserializer;
        use serde::de::value::{Error, StrDeserializer};
        let de: StrDeserializer<'_, Error> = kind.as_str().into_deserializer();
        let back = OrganisationKind::deserialize(de).expect("as_str is a serde name");
        back.as_str().to_owned()
    }

    #[test]
    fn every_organisation_kind_has_a_legal_basis_and_police_data_never_the_gdpr() {
        for kind in OrganisationKind::ALL {
            assert!(!LegalBasis::for_kind(*kind).is_empty(), "{kind}");
        }
        assert_eq!(
            LegalBasis::for_kind(OrganisationKind::Police),
            vec![LegalBasis::Wpg20, LegalBasis::Wpg19]
        );
        assert!(!LegalBasis::Gdpr6e.applies_to(OrganisationKind::Intelligence));
        assert!(LegalBasis::Vw107.applies_to(OrganisationKind::BorderPolice));
        assert!(!LegalBasis::Wpg20.applies_to(OrganisationKind::Municipality));
        for basis in LegalBasis::ALL {
            assert_eq!(basis.as_str().parse::<LegalBasis>(), Ok(*basis));
        }
    }
}
