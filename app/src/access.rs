//! Need-to-know, in one place. Every server function asks [`may`] (or [`require`]) before it
//! reads or changes anything; whatever is not allowed here is refused (deny by default).
//! Pages may ask too, to hide what would be refused, but hiding is never the protection.
//!
//! This is the only code that reads a caller's roles. Besides the (action, object) table it
//! answers where a caller stands to one object: which side of an overlap
//! ([`overlap_standing`]), in what capacity they see a signal ([`signal_standing`]). The unit
//! tests below list every role against every action, object and standing; the HTTP test in
//! `tests/http/access.rs` calls every served server function as every role.

use crate::{domain::Role, error::AppError};
use serde::{Deserialize, Serialize};

/// Who is calling, as the server loaded them for this request (never from the browser).
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

impl SignedInUser {
    fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

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
    /// The provision register: every disclosure between joint ventures, with its grounds
    /// (never a subject's value). Auditors and privacy officers.
    ProvisionRegister,
    /// The retention rules and where the cases stand against them (`Read`: administrators,
    /// privacy officers, auditors); changing the rules (`Manage`: administrators).
    Retention,
    /// The purposes and legal bases offered when consenting to disclose (`Read`:
    /// administrators and privacy officers; `Manage`: administrators).
    DisclosureLists,
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
    /// The caller's own work as a coordinator: their cases, operations and overlap inbox
    /// (`Read`); saving a case in one of their joint ventures (`Manage`).
    CaseWork,
    /// The managers' list of the overlaps of the joint ventures they oversee.
    Oversight,
    /// Reporting a signal (`Manage`) and reading one's own reports.
    SignalReport,
    /// The signals page at all: one's own reports, owned, overseen or unrouted signals.
    Signals,
    /// The joint analysis of signals: counts over every signal of a period.
    SignalAnalysis,
    /// One's own notifications (people who take part in overlaps or signals).
    Notifications,
    /// The agencies' systems that use the REST API: registering one, its tokens, revoking it.
    ApiClients,
}

pub fn may(user: &SignedInUser, action: Action, object: Object) -> bool {
    use Action::*;
    use Object::*;
    let has = |role: Role| user.has(role);
    // Who may see the partnership landscape: not reporters (they see their own signals), not
    // auditors (they see the audit trail) and not ministry staff, who reach only the
    // aggregate reporting layer (DESIGN.md; the summary issue).
    let sees_partnerships = has(Role::Coordinator) || has(Role::Manager) || has(Role::Admin);
    let coordinates = |id: i32| has(Role::Coordinator) && user.coordinates.contains(&id);
    let oversees = |id: i32| has(Role::Manager) && user.oversees.contains(&id);
    match (action, object) {
        (Read | Verify, AuditTrail) => has(Role::Auditor),
        (Read, ProvisionRegister) => has(Role::Auditor) || has(Role::PrivacyOfficer),
        (Read, Retention) => has(Role::Admin) || has(Role::PrivacyOfficer) || has(Role::Auditor),
        (Manage, Retention) => has(Role::Admin),
        (Read, DisclosureLists) => has(Role::Admin) || has(Role::PrivacyOfficer),
        (Manage, DisclosureLists) => has(Role::Admin),
        // Administrators manage accounts but never see passwords or second-factor secrets:
        // no server function returns them to anyone.
        (Read | Manage, Users | User(_)) => has(Role::Admin),
        (Read | Manage, ApiClients) => has(Role::Admin),
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
        (Read, CaseWork) => has(Role::Coordinator),
        // Before a case form is even read: only a coordinator of some joint venture saves one.
        (Manage, CaseWork) => !coordinated(user).is_empty(),
        (Read, Oversight) => has(Role::Manager),
        (Read | Manage, SignalReport) => has(Role::Reporter),
        (Read, Signals) => {
            has(Role::Reporter) || has(Role::Coordinator) || has(Role::Manager) || has(Role::Admin)
        }
        (Read, SignalAnalysis) => has(Role::Coordinator) || has(Role::Manager),
        (Read | Manage, Notifications) => {
            has(Role::Reporter) || has(Role::Coordinator) || has(Role::Manager)
        }
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

/// An agency's system as the access rules see it: exactly a coordinator of the joint ventures
/// it acts for (those its organisation still takes part in), and nothing else, whatever roles
/// its account might ever be given. Its scopes narrow this further ([`require_scope`]).
pub fn api_client_user(
    account_id: i32,
    account_name: String,
    display_name: String,
    organisation_id: i32,
    organisation: String,
    joint_ventures: Vec<i32>,
    scopes: &[crate::domain::ApiScope],
) -> SignedInUser {
    // An intake system (`signals:write`) reports signals as its organisation's front-line
    // staff do, and like them sees only what it reported.
    let mut roles = vec![Role::Coordinator];
    if scopes.contains(&crate::domain::ApiScope::SignalsWrite) {
        roles.push(Role::Reporter);
    }
    SignedInUser {
        id: account_id,
        username: account_name,
        display_name,
        organisation_id,
        organisation,
        roles,
        coordinates: joint_ventures,
        oversees: Vec::new(),
    }
}

/// An API client's call needs `scope` among the client's scopes.
pub fn require_scope(
    scopes: &[crate::domain::ApiScope],
    scope: crate::domain::ApiScope,
) -> Result<(), AppError> {
    if scopes.contains(&scope) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The joint ventures the caller coordinates; none without the coordinator role, whatever
/// assignments are left over.
pub fn coordinated(user: &SignedInUser) -> &[i32] {
    if user.has(Role::Coordinator) {
        &user.coordinates
    } else {
        &[]
    }
}

/// The joint ventures the caller oversees; none without the manager role.
pub fn overseen(user: &SignedInUser) -> &[i32] {
    if user.has(Role::Manager) {
        &user.oversees
    } else {
        &[]
    }
}

/// Where the caller stands to an overlap between the joint ventures `first` and `second`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverlapStanding {
    /// A coordinator of side 1 (`first`) or side 2 (`second`): sees their side in full and
    /// the other on the pointer basis, takes the overlap's steps for that side.
    Side(u8),
    /// A manager overseeing either side: references, titles, states, never subjects.
    Overseer,
}

/// The caller's standing to one overlap; `None` means it is not theirs to see at all. A
/// coordinator of both sides stands on the first.
pub fn overlap_standing(user: &SignedInUser, first: i32, second: i32) -> Option<OverlapStanding> {
    if may(user, Action::Manage, Object::JointVentureWork(first)) {
        Some(OverlapStanding::Side(1))
    } else if may(user, Action::Manage, Object::JointVentureWork(second)) {
        Some(OverlapStanding::Side(2))
    } else if may(
        user,
        Action::Review,
        Object::OverlapOversight(first, second),
    ) {
        Some(OverlapStanding::Overseer)
    } else {
        None
    }
}

/// In what capacity the caller sees a signal; what each may see is the signal's page's rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignalStanding {
    /// The reporter: its status and the feedback, never case detail.
    Reporter,
    /// A coordinator of the owning joint venture: the signal in full.
    Owner,
    /// A manager overseeing the owner.
    Overseer,
    /// An administrator, for a signal no rule routed: theme, category, region and urgency.
    Router,
}

/// The caller's standing to a signal owned by `owner` (none before routing) and reported by
/// the user `reported_by`; `None` means it is not theirs to see.
pub fn signal_standing(
    user: &SignedInUser,
    owner: Option<i32>,
    reported_by: i32,
) -> Option<SignalStanding> {
    if let Some(jv) = owner {
        if may(user, Action::Manage, Object::JointVentureWork(jv)) {
            return Some(SignalStanding::Owner);
        }
        if may(user, Action::Read, Object::SignalOversight(jv)) {
            return Some(SignalStanding::Overseer);
        }
    }
    if reported_by == user.id && may(user, Action::Read, Object::SignalReport) {
        return Some(SignalStanding::Reporter);
    }
    if owner.is_none() && may(user, Action::Manage, Object::SignalRouting) {
        return Some(SignalStanding::Router);
    }
    None
}

/// Where the caller stands to one entry of the benign list, of joint venture `owner` (`None`:
/// a national entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BenignStanding {
    /// A coordinator of the owning joint venture, or an administrator: sees the entry in full
    /// (label, reason, who added it) and may remove it.
    Keeper,
    /// A coordinator reading a national entry: its kind, label, reason and end date, not who
    /// added it; removing it is an administrator's.
    Reader,
    /// An administrator and a joint venture's entry: its kind, joint venture and end date, and
    /// removing it; not its label, reason or author, which are the coordinators' words about
    /// their case work (separation of duties).
    Remover,
}

/// The caller's standing to a benign entry of `owner`; `None` means it is not theirs to see
/// at all (another joint venture's entry).
pub fn benign_standing(user: &SignedInUser, owner: Option<i32>) -> Option<BenignStanding> {
    if !may(user, Action::Read, Object::BenignList) {
        return None;
    }
    if user.has(Role::Admin) {
        return Some(match owner {
            Some(_) => BenignStanding::Remover,
            None => BenignStanding::Keeper,
        });
    }
    match owner {
        Some(jv) if may(user, Action::Manage, Object::JointVentureWork(jv)) => {
            Some(BenignStanding::Keeper)
        }
        None => Some(BenignStanding::Reader),
        Some(_) => None,
    }
}

/// Whether the caller may put a value on the benign list for `owner`: a coordinator for one of
/// their joint ventures, an administrator for the whole country (`None`).
pub fn may_add_benign(user: &SignedInUser, owner: Option<i32>) -> bool {
    may(user, Action::Manage, Object::BenignList)
        && match owner {
            Some(jv) => may(user, Action::Manage, Object::JointVentureWork(jv)),
            None => user.has(Role::Admin),
        }
}

/// An administrator changing `target`'s roles from `before` to `after`: never on their own
/// account, so that nobody grants themselves access to case content (or locks themselves out).
pub fn may_set_roles(user: &SignedInUser, target: i32, before: &[Role], after: &[Role]) -> bool {
    let same = before.iter().all(|r| after.contains(r)) && after.iter().all(|r| before.contains(r));
    user.has(Role::Admin) && (target != user.id || same)
}

/// Four eyes on taking over an account (a second-factor reset, a set-password link for an
/// account with a password): another administrator than the one who asked approves or refuses.
/// Whether the two are independent of each other is the use-case's check, on stored history.
pub fn may_decide_takeover(user: &SignedInUser, requested_by: i32) -> bool {
    user.has(Role::Admin) && user.id != requested_by
}

/// Separation of duties: an administrator's account never coordinates nor manages, so it can
/// never reach case content, however its assignments are set.
pub fn roles_compatible(roles: &[Role]) -> bool {
    !(roles.contains(&Role::Admin)
        && (roles.contains(&Role::Coordinator) || roles.contains(&Role::Manager)))
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
        let notifications = [(Read, Notifications), (Manage, Notifications)];
        match role {
            Role::Reporter => {
                allowed.extend(notifications);
                allowed.extend([
                    (Read, SignalReport),
                    (Manage, SignalReport),
                    (Read, Signals),
                ]);
            }
            Role::Coordinator => {
                allowed.extend(partnerships);
                allowed.extend(notifications);
                allowed.extend([
                    (Read, CaseWork),
                    (Manage, CaseWork),
                    (Read, Signals),
                    (Read, SignalAnalysis),
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
                allowed.extend(notifications);
                allowed.extend([
                    (Read, Oversight),
                    (Read, Signals),
                    (Read, SignalAnalysis),
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
            Role::Auditor => allowed.extend([
                (Read, AuditTrail),
                (Verify, AuditTrail),
                (Read, ProvisionRegister),
                (Read, Retention),
            ]),
            Role::PrivacyOfficer => {
                allowed.extend([
                    (Read, ProvisionRegister),
                    (Read, Retention),
                    (Read, DisclosureLists),
                ]);
            }
            Role::Admin => {
                allowed.extend(partnerships);
                allowed.extend([
                    (Read, JointVentureContacts(1)),
                    (Read, JointVentureContacts(2)),
                    (Read, Users),
                    (Manage, Users),
                    (Read, ApiClients),
                    (Manage, ApiClients),
                    (Read, User(7)),
                    (Manage, User(7)),
                    (Read, User(8)),
                    (Manage, User(8)),
                    (Manage, Partnerships),
                    (Read, Retention),
                    (Manage, Retention),
                    (Read, DisclosureLists),
                    (Manage, DisclosureLists),
                    (Read, BenignList),
                    (Manage, BenignList),
                    (Read, SignalRouting),
                    (Manage, SignalRouting),
                    (Read, Signals),
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
            ProvisionRegister,
            Retention,
            DisclosureLists,
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
            CaseWork,
            Oversight,
            SignalReport,
            Signals,
            SignalAnalysis,
            Notifications,
            ApiClients,
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

    /// An API client is a coordinator of its joint ventures and nothing more, whatever it is
    /// called; with `signals:write` also a reporter (of its own signals only).
    #[test]
    fn an_api_client_may_what_a_coordinator_of_its_joint_ventures_may_and_no_more() {
        use crate::domain::ApiScope;
        use Action::*;
        use Object::*;
        let client = |scopes: &[ApiScope]| {
            api_client_user(
                7,
                "api:x".into(),
                "API: x".into(),
                3,
                "KMar".into(),
                vec![1],
                scopes,
            )
        };
        let coordinator = user(&[Role::Coordinator]);
        let reporting = user(&[Role::Coordinator, Role::Reporter]);
        let objects = [
            AuditTrail,
            ProvisionRegister,
            Retention,
            DisclosureLists,
            Users,
            User(7),
            User(8),
            PartnershipMap,
            JointVentureWork(1),
            JointVentureWork(2),
            Partnerships,
            BenignList,
            OverlapOversight(1, 2),
            SignalOversight(1),
            SignalRouting,
            OverlapReport,
            Summary,
            CaseWork,
            Oversight,
            SignalReport,
            Signals,
            SignalAnalysis,
            ApiClients,
        ];
        for object in objects {
            for action in [Read, Manage, Verify, Review] {
                assert_eq!(
                    may(&client(&[ApiScope::CasesWrite]), action, object),
                    may(&coordinator, action, object),
                    "{action:?} {object:?}"
                );
                assert_eq!(
                    may(&client(&[ApiScope::SignalsWrite]), action, object),
                    may(&reporting, action, object),
                    "{action:?} {object:?} with signals:write"
                );
            }
        }
        assert!(require_scope(&[ApiScope::CasesRead], ApiScope::CasesWrite).is_err());
        assert!(require_scope(&[ApiScope::CasesWrite], ApiScope::CasesWrite).is_ok());
    }

    /// Each role's standing to overlaps between joint ventures 1 (the caller's) and 2, in
    /// both orders, and between 2 and 3 (nobody's here).
    #[test]
    fn each_role_against_each_overlap_side() {
        use OverlapStanding::*;
        for role in Role::ALL.iter().copied() {
            let caller = user(&[role]);
            let expected = match role {
                Role::Coordinator => [Some(Side(1)), Some(Side(2)), None],
                Role::Manager => [Some(Overseer), Some(Overseer), None],
                _ => [None, None, None],
            };
            let got = [
                overlap_standing(&caller, 1, 2),
                overlap_standing(&caller, 2, 1),
                overlap_standing(&caller, 2, 3),
            ];
            assert_eq!(got, expected, "{role}");
        }
        let both = SignedInUser {
            coordinates: vec![1, 2],
            ..user(&[Role::Coordinator])
        };
        assert_eq!(overlap_standing(&both, 2, 1), Some(Side(1)));
    }

    /// Each role's standing to a signal owned by joint venture 1 (the caller's), by 2, and
    /// not routed yet; reported by the caller (7) or by someone else (8).
    #[test]
    fn each_role_against_each_signal_viewer() {
        use SignalStanding::*;
        let signals = [
            (Some(1), 7),
            (Some(1), 8),
            (Some(2), 7),
            (Some(2), 8),
            (None, 7),
            (None, 8),
        ];
        for role in Role::ALL.iter().copied() {
            let caller = user(&[role]);
            let expected: Vec<Option<SignalStanding>> = match role {
                Role::Reporter => vec![
                    Some(Reporter),
                    None,
                    Some(Reporter),
                    None,
                    Some(Reporter),
                    None,
                ],
                Role::Coordinator => vec![Some(Owner), Some(Owner), None, None, None, None],
                Role::Manager => vec![Some(Overseer), Some(Overseer), None, None, None, None],
                Role::Admin => vec![None, None, None, None, Some(Router), Some(Router)],
                _ => vec![None; 6],
            };
            let got: Vec<Option<SignalStanding>> = signals
                .iter()
                .map(|&(owner, by)| signal_standing(&caller, owner, by))
                .collect();
            assert_eq!(got, expected, "{role}");
        }
        // A coordinator who also reports sees their own report of another joint venture.
        let both = user(&[Role::Coordinator, Role::Reporter]);
        assert_eq!(signal_standing(&both, Some(2), 7), Some(Reporter));
        assert_eq!(signal_standing(&both, Some(1), 7), Some(Owner));
    }

    /// Each role's standing to benign entries of joint venture 1 (the caller's), of 2, and
    /// national ones; and where each may add one.
    #[test]
    fn each_role_against_each_benign_entry() {
        use BenignStanding::*;
        for role in Role::ALL.iter().copied() {
            let caller = user(&[role]);
            let (standing, adds) = match role {
                Role::Coordinator => ([Some(Keeper), None, Some(Reader)], [true, false, false]),
                Role::Admin => (
                    [Some(Remover), Some(Remover), Some(Keeper)],
                    [false, false, true],
                ),
                _ => ([None; 3], [false; 3]),
            };
            let owners = [Some(1), Some(2), None];
            let got = owners.map(|owner| benign_standing(&caller, owner));
            assert_eq!(got, standing, "{role}");
            let got = owners.map(|owner| may_add_benign(&caller, owner));
            assert_eq!(got, adds, "{role}");
        }
    }

    #[test]
    fn an_administrator_never_changes_their_own_roles() {
        use Role::*;
        let admin = user(&[Admin]);
        // Their own account (7): the roles as they are, in any order, and nothing else.
        assert!(may_set_roles(&admin, 7, &[Admin], &[Admin]));
        assert!(!may_set_roles(&admin, 7, &[Admin], &[Auditor]));
        assert!(!may_set_roles(&admin, 7, &[Admin], &[Admin, Coordinator]));
        assert!(!may_set_roles(&admin, 7, &[Admin], &[]));
        // Someone else's: anything (the separation of duties is checked on its own).
        assert!(may_set_roles(&admin, 8, &[Reporter], &[Auditor, Ministry]));
        assert!(may_set_roles(&admin, 8, &[Reporter], &[]));
        for role in [Reporter, Coordinator, Manager, Ministry, Auditor] {
            assert!(
                !may_set_roles(&user(&[role]), 8, &[], &[Reporter]),
                "{role}"
            );
        }
    }

    #[test]
    fn a_takeover_is_decided_by_another_administrator_than_the_requester() {
        // The caller is user 7.
        assert!(may_decide_takeover(&user(&[Role::Admin]), 8));
        assert!(!may_decide_takeover(&user(&[Role::Admin]), 7));
        for role in Role::ALL.iter().copied().filter(|r| *r != Role::Admin) {
            assert!(!may_decide_takeover(&user(&[role]), 8), "{role}");
        }
    }

    #[test]
    fn an_administrator_account_never_coordinates_nor_manages() {
        use Role::*;
        for role in Role::ALL.iter().copied() {
            assert!(roles_compatible(&[role]), "{role}");
            let with_admin = roles_compatible(&[Admin, role]);
            assert_eq!(with_admin, !matches!(role, Coordinator | Manager), "{role}");
        }
        assert!(roles_compatible(&[Admin, Auditor, Ministry]));
        assert!(!roles_compatible(&[Reporter, Admin, Manager]));
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
        assert!(coordinated(&former).is_empty() && overseen(&former).is_empty());
        assert_eq!(overlap_standing(&former, 1, 2), None);
        assert_eq!(signal_standing(&former, Some(1), 8), None);
        assert!(!may(&former, Action::Manage, Object::CaseWork));
    }
}
