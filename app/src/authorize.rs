//! Need-to-know, in one place. Every server function asks [`may`] (or [`require`]) before it
//! reads or changes anything; whatever is not allowed here is refused (deny by default).
//! Pages may ask too, to hide what would be refused, but hiding is never the protection.
//!
//! Later issues add objects (joint ventures, cases, overlaps, signals) and the table test in
//! `tests/http/access.rs` grows with them.

use crate::{auth::SignedInUser, domain::Role, error::AppError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    /// Create, change, deactivate.
    Manage,
    /// Check the audit trail's hash chain.
    Verify,
}

/// What an action is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Object {
    AuditTrail,
    /// Every user account (the list, and creating one).
    Users,
    /// One user account, by id.
    User(i32),
    /// Who the caller is, and their own password.
    OwnAccount,
}

pub fn may(user: &SignedInUser, action: Action, object: Object) -> bool {
    use Action::*;
    use Object::*;
    let has = |role: Role| user.roles.contains(&role);
    match (action, object) {
        (Read | Verify, AuditTrail) => has(Role::Auditor),
        // Administrators manage accounts but never see passwords or second-factor secrets:
        // no server function returns them to anyone.
        (Read | Manage, Users | User(_)) => has(Role::Admin),
        (Read | Manage, OwnAccount) => true,
        _ => false,
    }
}

/// [`may`], as the error a server function returns.
pub fn require(user: &SignedInUser, action: Action, object: Object) -> Result<(), AppError> {
    if may(user, action, object) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(roles: &[Role]) -> SignedInUser {
        SignedInUser {
            id: 7,
            username: "someone".into(),
            display_name: "Some One".into(),
            organisation_id: 1,
            organisation: "Org".into(),
            roles: roles.to_vec(),
        }
    }

    #[test]
    fn each_role_against_each_action_and_object() {
        use Action::*;
        use Object::*;
        let objects = [AuditTrail, Users, User(7), User(8), OwnAccount];
        let actions = [Read, Manage, Verify];
        for role in Role::ALL.iter().copied() {
            let caller = user(&[role]);
            for object in objects {
                for action in actions {
                    let expected = match (action, object) {
                        (Read | Verify, AuditTrail) => role == Role::Auditor,
                        (Read | Manage, Users | User(_)) => role == Role::Admin,
                        (Read | Manage, OwnAccount) => true,
                        _ => false,
                    };
                    assert_eq!(
                        may(&caller, action, object),
                        expected,
                        "{role} {action:?} {object:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn no_roles_may_nothing_but_their_own_account() {
        let nobody = user(&[]);
        assert!(!may(&nobody, Action::Read, Object::AuditTrail));
        assert!(!may(&nobody, Action::Manage, Object::Users));
        assert!(may(&nobody, Action::Read, Object::OwnAccount));
    }
}
