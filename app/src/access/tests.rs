//! Every role, standing and API client against every action and object.
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
            (Read, MatchingModel),
        ]),
        Role::PrivacyOfficer => {
            allowed.extend([
                (Read, ProvisionRegister),
                (Read, Retention),
                (Read, DisclosureLists),
                (Read, MatchingModel),
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
                (Read, MatchingModel),
                (Manage, MatchingModel),
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
        MatchingModel,
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
        MatchingModel,
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
