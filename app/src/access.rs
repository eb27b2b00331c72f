//! Need-to-know, in one place. Every server function asks [`may`] (or [`require`]) before it
//! reads or changes anything; whatever is not allowed here is refused (deny by default).
//! Pages may ask too, to hide what would be refused, but hiding is never the protection.
//!
//! Later issues add objects (joint ventures, cases, overlaps, signals) and the table test in
//! `tests/http/access.rs` grows with them.

use crate::{domain::Role, error::AppError};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    /// Judge a flag (a mandate overlap marked as intended).
    Review,
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
    /// The map, the matrix and the list: joint ventures, themes, regions, member organisations.
    PartnershipMap,
    /// A joint venture's own facts: mandate, legal basis, members, flags.
    JointVenture(i32),
    /// The names and contact details of a joint venture's coordinators (people).
    JointVentureContacts(i32),
    /// A joint venture's work in full detail: cases, subjects, signals (later issues).
    JointVentureWork(i32),
    /// Organisations, joint ventures, members and coordinators as things to manage.
    Partnerships,
    /// A flagged mandate overlap between two joint ventures.
    MandateOverlap(i32, i32),
    /// Values that raise no overlap (a reception centre's address, a helpline).
    BenignList,
    /// An overlap between two joint ventures as its managers see it: references, titles,
    /// states, decisions, flags; ruling on it and assigning a follow-up (`Review`).
    OverlapOversight(i32, i32),
    /// The signals a joint venture owns, as its managers read them.
    SignalOversight(i32),
    /// Giving a signal no rule routed an owner; the routing rules and categories.
    SignalRouting,
    /// The overlap report: counts over the joint ventures the manager oversees.
    OverlapReport,
    /// The summary: aggregates under disclosure control, the only thing ministry staff reach.
    Summary,
}

pub fn may(user: &SignedInUser, action: Action, object: Object) -> bool {
    use Action::*;
    use Object::*;
    let has = |role: Role| user.roles.contains(&role);
    // Who may see the partnership landscape: not reporters (they see their own signals), not
    // auditors (they see the audit trail) and not ministry staff, who reach only the
    // aggregate reporting layer (DESIGN.md; the summary issue).
    let sees_partnerships = has(Role::Coordinator) || has(Role::Manager) || has(Role::Admin);
    let coordinates = |id: i32| has(Role::Coordinator) && user.coordinates.contains(&id);
    let oversees = |id: i32| has(Role::Manager) && user.oversees.contains(&id);
    match (action, object) {
        (Read | Verify, AuditTrail) => has(Role::Auditor),
        // Administrators manage accounts but never see passwords or second-factor secrets:
        // no server function returns them to anyone.
        (Read | Manage, Users | User(_)) => has(Role::Admin),
        (Read | Manage, OwnAccount) => true,
        (Read, PartnershipMap | JointVenture(_) | MandateOverlap(..)) => sees_partnerships,
        // Coordinators need each other's contacts: the pointer model names them.
        (Read, JointVentureContacts(_)) => sees_partnerships,
        (Read | Manage, JointVentureWork(id)) => coordinates(id),
        (Manage, Partnerships) => has(Role::Admin),
        (Review, MandateOverlap(a, b)) => oversees(a) || oversees(b),
        (Read | Review, OverlapOversight(a, b)) => oversees(a) || oversees(b),
        // Coordinators know which values are common in their field; administrators keep the
        // list tidy. Entries hold a label and a keyed hash, never the value.
        (Read | Manage, BenignList) => has(Role::Coordinator) || has(Role::Admin),
        (Read, SignalOversight(id)) => oversees(id),
        // Administrators route what no rule could; they see a signal's theme, category,
        // region and urgency, never what was observed or who reported it.
        (Read | Manage, SignalRouting) => has(Role::Admin),
        (Read, OverlapReport) => has(Role::Manager),
        // Ministry staff only: a manager who knows the cases of some joint ventures could take
        // them from a region's count and learn about the others'.
        (Read, Summary) => has(Role::Ministry),
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

    /// Joint venture 1 is the caller's (coordinated or overseen); 2 is someone else's.
    fn user(roles: &[Role]) -> SignedInUser {
        SignedInUser {
            id: 7,
            username: "someone".into(),
            display_name: "Some One".into(),
            organisation_id: 1,
            organisation: "Org".into(),
            roles: roles.to_vec(),
            coordinates: if roles.contains(&Role::Coordinator) {
                vec![1]
            } else {
                vec![]
            },
            oversees: if roles.contains(&Role::Manager) {
                vec![1]
            } else {
                vec![]
            },
        }
    }

    /// The access table: for each role, exactly the (action, object) pairs it is allowed.
    fn allowed(role: Role) -> Vec<(Action, Object)> {
        use Action::*;
        use Object::*;
        let mut allowed = vec![(Read, OwnAccount), (Manage, OwnAccount)];
        let partnerships = [
            (Read, PartnershipMap),
            (Read, JointVenture(1)),
            (Read, JointVenture(2)),
            (Read, MandateOverlap(1, 2)),
            (Read, MandateOverlap(2, 3)),
        ];
        match role {
            Role::Reporter => {}
            Role::Coordinator => {
                allowed.extend(partnerships);
                allowed.extend([
                    (Read, JointVentureContacts(1)),
                    (Read, JointVentureContacts(2)),
                    (Read, JointVentureWork(1)),
                    (Manage, JointVentureWork(1)),
                    (Read, BenignList),
                    (Manage, BenignList),
                ]);
            }
            Role::Manager => {
                allowed.extend(partnerships);
                allowed.extend([
                    (Read, JointVentureContacts(1)),
                    (Read, JointVentureContacts(2)),
                    (Review, MandateOverlap(1, 2)),
                    (Read, OverlapOversight(1, 2)),
                    (Review, OverlapOversight(1, 2)),
                    (Read, SignalOversight(1)),
                    (Read, OverlapReport),
                ]);
            }
            Role::Ministry => allowed.push((Read, Summary)),
            Role::Auditor => allowed.extend([(Read, AuditTrail), (Verify, AuditTrail)]),
            Role::Admin => {
                allowed.extend(partnerships);
                allowed.extend([
                    (Read, JointVentureContacts(1)),
                    (Read, JointVentureContacts(2)),
                    (Read, Users),
                    (Manage, Users),
                    (Read, User(7)),
                    (Manage, User(7)),
                    (Read, User(8)),
                    (Manage, User(8)),
                    (Manage, Partnerships),
                    (Read, BenignList),
                    (Manage, BenignList),
                    (Read, SignalRouting),
                    (Manage, SignalRouting),
                ]);
            }
        }
        allowed
    }

    #[test]
    fn each_role_against_each_action_on_objects_inside_and_outside_its_joint_ventures() {
        use Action::*;
        use Object::*;
        let objects = [
            AuditTrail,
            Users,
            User(7),
            User(8),
            OwnAccount,
            PartnershipMap,
            JointVenture(1),
            JointVenture(2),
            JointVentureContacts(1),
            JointVentureContacts(2),
            JointVentureWork(1),
            JointVentureWork(2),
            Partnerships,
            MandateOverlap(1, 2),
            MandateOverlap(2, 3),
            BenignList,
            OverlapOversight(1, 2),
            OverlapOversight(2, 3),
            SignalOversight(1),
            SignalOversight(2),
            SignalRouting,
            OverlapReport,
            Summary,
        ];
        for role in Role::ALL.iter().copied() {
            let caller = user(&[role]);
            let allowed = allowed(role);
            for object in objects {
                for action in [Read, Manage, Verify, Review] {
                    assert_eq!(
                        may(&caller, action, object),
                        allowed.contains(&(action, object)),
                        "{role} {action:?} {object:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn an_assignment_without_the_role_grants_nothing() {
        let mut former = user(&[Role::Reporter]);
        former.coordinates = vec![1];
        former.oversees = vec![1];
        assert!(!may(&former, Action::Read, Object::JointVentureWork(1)));
        assert!(!may(&former, Action::Review, Object::MandateOverlap(1, 2)));
        assert!(!may(
            &former,
            Action::Review,
            Object::OverlapOversight(1, 2)
        ));
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedInUser {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub organisation_id: i32,
    pub organisation: String,
    pub roles: Vec<Role>,
    /// Joint ventures this user coordinates.
    pub coordinates: Vec<i32>,
    /// Joint ventures this user oversees as a manager.
    pub oversees: Vec<i32>,
}
