//! Wire types (both targets): what server functions take and return.

use crate::{domain::Role, error::AppError, i18n::*};
use serde::{Deserialize, Serialize};

/// Whether an account has, needs or skips a second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SecondFactorState {
    Enrolled,
    /// Required, not set up yet: the user enrols at their next sign-in.
    Pending,
    Off,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub organisation: String,
    pub roles: Vec<Role>,
    pub active: bool,
    pub second_factor: SecondFactorState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDetail {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub organisation_id: i32,
    pub organisation: String,
    pub roles: Vec<Role>,
    pub active: bool,
    pub second_factor: SecondFactorState,
    pub password_set: bool,
    pub open_sessions: u64,
    /// Until when an unused set-password link is valid, if one is.
    pub link_valid_until: Option<crate::domain::dates::LocalMoment>,
    /// The link just issued, shown to the administrator once.
    pub issued_link: Option<String>,
    /// Takeover requests for this account that wait for a decision.
    pub takeovers: Vec<TakeoverRequest>,
    /// Whether another administrator could approve a takeover the caller requests (none can
    /// in a deployment with a single administrator).
    pub takeover_possible: bool,
}

pub use crate::domain::TakeoverKind;

/// A takeover request waiting for a second administrator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TakeoverRequest {
    pub id: i32,
    /// The account it would take over.
    pub user_id: i32,
    pub username: String,
    pub kind: TakeoverKind,
    /// The requesting administrator's user name.
    pub requested_by: String,
    pub requested_at: crate::domain::dates::LocalMoment,
    pub expires_at: crate::domain::dates::LocalMoment,
    /// The caller may approve or refuse it: another administrator than the requester, and
    /// independent of them.
    pub may_decide: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationOption {
    pub id: i32,
    pub name: String,
}

/// The role checkboxes of the user form: a ticked box sends `roles[admin]=true`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RoleChoice {
    pub reporter: bool,
    pub coordinator: bool,
    pub manager: bool,
    pub ministry: bool,
    pub auditor: bool,
    pub admin: bool,
    pub privacy_officer: bool,
}

impl RoleChoice {
    pub fn roles(&self) -> Vec<Role> {
        [
            (self.reporter, Role::Reporter),
            (self.coordinator, Role::Coordinator),
            (self.manager, Role::Manager),
            (self.ministry, Role::Ministry),
            (self.auditor, Role::Auditor),
            (self.admin, Role::Admin),
            (self.privacy_officer, Role::PrivacyOfficer),
        ]
        .into_iter()
        .filter_map(|(chosen, role)| chosen.then_some(role))
        .collect()
    }

    /// The boxes an account's stored roles tick (the inverse of [`RoleChoice::roles`]).
    pub fn of(roles: &[Role]) -> Self {
        let mut choice = RoleChoice::default();
        for role in roles {
            let tick = match role {
                Role::Reporter => &mut choice.reporter,
                Role::Coordinator => &mut choice.coordinator,
                Role::Manager => &mut choice.manager,
                Role::Ministry => &mut choice.ministry,
                Role::Auditor => &mut choice.auditor,
                Role::Admin => &mut choice.admin,
                Role::PrivacyOfficer => &mut choice.privacy_officer,
            };
            *tick = true;
        }
        choice
    }
}

/// The fields of a user form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserInput {
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub organisation_id: String,
    pub roles: RoleChoice,
}

/// A user form that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidUser {
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub organisation_id: i32,
    pub roles: Vec<Role>,
}

impl UserInput {
    /// Checks every field; the first problem found is named. The user name is checked only
    /// when it is being chosen (it cannot change later: the audit trail refers to it).
    pub fn parse(&self, with_username: bool, locale: Locale) -> Result<ValidUser, AppError> {
        let username = self.username.trim().to_lowercase();
        if with_username {
            let allowed =
                |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
            if !(3..=64).contains(&username.chars().count()) {
                return Err(AppError::invalid(
                    "username",
                    td_string!(locale, err_username_length),
                ));
            }
            if !username.starts_with(|c: char| c.is_ascii_lowercase())
                || !username.chars().all(allowed)
            {
                return Err(AppError::invalid(
                    "username",
                    td_string!(locale, err_username_chars),
                ));
            }
        }
        let display_name = self
            .display_name
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if display_name.is_empty() {
            return Err(AppError::invalid(
                "display_name",
                td_string!(locale, err_display_name_empty),
            ));
        }
        if display_name.chars().count() > 100 {
            return Err(AppError::invalid(
                "display_name",
                td_string!(locale, err_display_name_long),
            ));
        }
        let email = self.email.trim().to_owned();
        let valid_email = email.len() <= 254
            && !email.chars().any(char::is_whitespace)
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains('@')
            });
        if !valid_email {
            return Err(AppError::invalid("email", td_string!(locale, err_email)));
        }
        let organisation_id = self.organisation_id.trim().parse::<i32>().map_err(|_| {
            AppError::invalid(
                "organisation_id",
                td_string!(locale, err_organisation_choose),
            )
        })?;
        let roles = self.roles.roles();
        if roles.is_empty() {
            return Err(AppError::invalid(
                "roles",
                td_string!(locale, err_roles_empty),
            ));
        }
        Ok(ValidUser {
            username,
            display_name,
            email,
            organisation_id,
            roles,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> UserInput {
        UserInput {
            username: " J.deVries ".into(),
            display_name: "  Jan   de Vries ".into(),
            email: "j.devries@politie.nl".into(),
            organisation_id: "3".into(),
            roles: RoleChoice {
                coordinator: true,
                ..Default::default()
            },
        }
    }

    #[test]
    fn a_valid_form_is_normalised() {
        let valid = input().parse(true, Locale::en).expect("valid");
        assert_eq!(valid.username, "j.devries");
        assert_eq!(valid.display_name, "Jan de Vries");
        assert_eq!(valid.organisation_id, 3);
        assert_eq!(valid.roles, vec![Role::Coordinator]);
    }

    fn problem(input: UserInput, with_username: bool) -> String {
        match input.parse(with_username, Locale::en) {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn each_bad_field_is_named() {
        type Spoil = fn(&mut UserInput);
        let cases: Vec<(Spoil, &str)> = vec![
            (|u| u.username = "jd".into(), "username"),
            (|u| u.username = "1jan".into(), "username"),
            (|u| u.username = "jan devries".into(), "username"),
            (|u| u.username = "jän".into(), "username"),
            (|u| u.display_name = "   ".into(), "display_name"),
            (|u| u.display_name = "x".repeat(101), "display_name"),
            (|u| u.email = "no-at-sign".into(), "email"),
            (|u| u.email = "a@b".into(), "email"),
            (|u| u.email = "a b@c.nl".into(), "email"),
            (|u| u.organisation_id = "".into(), "organisation_id"),
            (|u| u.organisation_id = "x".into(), "organisation_id"),
            (|u| u.roles = RoleChoice::default(), "roles"),
        ];
        for (spoil, field) in cases {
            let mut bad = input();
            spoil(&mut bad);
            assert_eq!(problem(bad.clone(), true), field, "{bad:?}");
        }
    }

    #[test]
    fn a_takeover_kind_reads_back_from_its_code() {
        for kind in TakeoverKind::ALL.iter().copied() {
            assert_eq!(kind.as_str().parse::<TakeoverKind>(), Ok(kind));
        }
        assert!("take_everything".parse::<TakeoverKind>().is_err());
    }

    #[test]
    fn the_user_name_is_not_checked_when_it_is_not_being_chosen() {
        let mut edit = input();
        edit.username = String::new();
        assert!(edit.parse(false, Locale::en).is_ok());
    }
}
