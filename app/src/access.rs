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
    /// The person model's parameters (`Read`: administrators, privacy officers, auditors) and
    /// estimating them again from the stored data (`Manage`: administrators).
    MatchingModel,
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
        (Read, MatchingModel) => {
            has(Role::Admin) || has(Role::PrivacyOfficer) || has(Role::Auditor)
        }
        (Manage, MatchingModel) => has(Role::Admin),
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
mod tests;
