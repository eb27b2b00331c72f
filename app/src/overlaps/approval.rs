//! Four eyes on disclosure. Where the case's handling code (`share-on-approval`) or its joint
//! venture's setting asks for it, a coordinator's consent to disclose does not count until a
//! second coordinator of the same joint venture approves it: until then it waits as a request
//! with the grounds given and a deadline. The requester never approves their own request; a
//! joint venture with one coordinator cannot disclose such a case (the page says why). A
//! refusal is recorded with its reason; a request past its deadline is expired and can be
//! asked again. Approving gives the consent exactly as the requester stated it, in the same
//! transaction, and records who approved.

use crate::domain::{ApprovalState, dates::Deadline, dates::LocalMoment};
use serde::{Deserialize, Serialize};

/// Working days a second coordinator has to approve.
pub const APPROVE_WITHIN_WORKING_DAYS: u32 = 2;

/// The longest reason for a refusal.
pub const REASON_MAX_CHARS: usize = 1000;

/// A side's latest request for approval, as that side's coordinators read it (the other side
/// never sees requests: only a consent that counts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalView {
    pub id: i32,
    pub requested_by: String,
    pub requested_at: LocalMoment,
    pub due: Deadline,
    /// The purpose and legal basis asked with, labelled in the reader's language.
    pub purpose: String,
    pub purpose_note: String,
    pub legal_basis: String,
    pub state: ApprovalState,
    /// Pending, but past its deadline.
    pub expired: bool,
    pub decided_by: Option<String>,
    pub decided_at: Option<LocalMoment>,
    pub reason: String,
    /// The caller asked for it (and so may withdraw it, never approve it).
    pub mine: bool,
    /// The side's last refusal before this request, by whom and why, so that asking again
    /// cannot go from approver to approver unseen.
    pub earlier_refusal: Option<(String, String)>,
}

impl ApprovalView {
    /// Waiting for a decision now.
    pub fn waiting(&self) -> bool {
        self.state == ApprovalState::Pending && !self.expired
    }
}

/// A request another coordinator of the caller's joint venture made, waiting for the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingApproval {
    pub overlap_id: i32,
    pub match_kind: String,
    /// The reference of the caller's side's case.
    pub my_case: String,
    pub requested_by: String,
    pub due: Deadline,
}

/// Whether the viewer's side needs a second coordinator, whether it has one, and its latest
/// request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FourEyes {
    pub required: bool,
    /// Another active coordinator of the side's joint venture than the viewer.
    pub second_coordinator: bool,
    pub request: Option<ApprovalView>,
}

#[cfg(feature = "ssr")]
pub(crate) use server::*;

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::domain::{Handling, NotificationKind, Role};
    use crate::notifications::send::{About, notify, people_of};
    use crate::overlaps::grounds::Grounds;
    use crate::overlaps::store::{handling_of, record};
    use crate::server::caller::Caller;
    use crate::server::entity::{case, disclosure_request, joint_venture, overlap, user_account};
    use crate::{error::AppError, i18n::*};
    use sea_orm::{
        ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
        EntityTrait, QueryFilter, QueryOrder,
    };

    /// Whether a consent of the side with `case_id` in joint venture `jv` needs approval.
    pub(crate) async fn required(
        conn: &impl ConnectionTrait,
        case_id: i32,
        jv: i32,
    ) -> Result<bool, AppError> {
        let by_case = case::Entity::find_by_id(case_id)
            .one(conn)
            .await?
            .is_some_and(|c| handling_of(&c) == Handling::ShareOnApproval);
        if by_case {
            return Ok(true);
        }
        Ok(joint_venture::Entity::find_by_id(jv)
            .one(conn)
            .await?
            .is_some_and(|v| v.four_eyes_disclosure))
    }

    /// Who may approve `user_id`'s request for `side` of `o`: the other active coordinators of
    /// that side's joint venture. A coordinator of both joint ventures stands on side 1 (see
    /// `store::visible`), so never decides for side 2.
    pub(crate) async fn approvers(
        conn: &impl ConnectionTrait,
        o: &overlap::Model,
        side: i32,
        user_id: i32,
    ) -> Result<std::collections::BTreeSet<i32>, AppError> {
        let jv = if side == 1 {
            o.first_joint_venture_id
        } else {
            o.second_joint_venture_id
        };
        let mut people = people_of(conn, jv, Role::Coordinator).await?;
        people.remove(&user_id);
        if side == 2 {
            let first = people_of(conn, o.first_joint_venture_id, Role::Coordinator).await?;
            people.retain(|id| !first.contains(id));
        }
        Ok(people)
    }

    /// Marks the side's waiting requests withdrawn: a consent that counts now (given directly,
    /// or approved) or was withdrawn leaves none to approve later.
    pub(crate) async fn supersede(
        conn: &impl ConnectionTrait,
        user: &Caller,
        overlap_id: i32,
        side: i32,
    ) -> Result<(), AppError> {
        disclosure_request::Entity::update_many()
            .col_expr(
                disclosure_request::Column::State,
                sea_orm::sea_query::Expr::value(ApprovalState::Withdrawn.as_str()),
            )
            .col_expr(
                disclosure_request::Column::DecidedBy,
                sea_orm::sea_query::Expr::value(user.id),
            )
            .col_expr(
                disclosure_request::Column::DecidedAt,
                sea_orm::sea_query::Expr::value(crate::server::time::now()),
            )
            .filter(disclosure_request::Column::OverlapId.eq(overlap_id))
            .filter(disclosure_request::Column::Side.eq(side))
            .filter(disclosure_request::Column::State.eq(ApprovalState::Pending.as_str()))
            .exec(conn)
            .await?;
        Ok(())
    }

    fn expired(row: &disclosure_request::Model, today: chrono::NaiveDate) -> bool {
        row.state == ApprovalState::Pending.as_str()
            && row
                .due_on
                .parse::<chrono::NaiveDate>()
                .is_ok_and(|due| today > due)
    }

    async fn latest(
        conn: &impl ConnectionTrait,
        overlap_id: i32,
        side: i32,
    ) -> Result<Option<disclosure_request::Model>, AppError> {
        Ok(disclosure_request::Entity::find()
            .filter(disclosure_request::Column::OverlapId.eq(overlap_id))
            .filter(disclosure_request::Column::Side.eq(side))
            .order_by_desc(disclosure_request::Column::Id)
            .one(conn)
            .await?)
    }

    async fn name_of(conn: &impl ConnectionTrait, id: Option<i32>) -> Result<String, AppError> {
        let Some(id) = id else {
            return Ok(String::new());
        };
        Ok(user_account::Entity::find_by_id(id)
            .one(conn)
            .await?
            .map(|u| u.display_name)
            .unwrap_or_default())
    }

    /// What the viewer's side reads about four eyes on this overlap.
    pub(crate) async fn four_eyes(
        conn: &impl ConnectionTrait,
        user: &Caller,
        o: &overlap::Model,
        side: i32,
        (case_id, jv): (i32, i32),
        labels: &std::collections::HashMap<(String, String), String>,
    ) -> Result<FourEyes, AppError> {
        let required = required(conn, case_id, jv).await?;
        let second_coordinator = !approvers(conn, o, side, user.id).await?.is_empty();
        let today = crate::server::time::today();
        let overlap_id = o.id;
        let request = match latest(conn, overlap_id, side).await? {
            Some(row) => {
                let purpose = crate::overlaps::grounds::label_in(
                    labels,
                    crate::overlaps::grounds::PURPOSE,
                    &row.purpose,
                );
                let legal_basis = crate::overlaps::grounds::label_in(
                    labels,
                    crate::overlaps::grounds::LEGAL_BASIS,
                    &row.legal_basis,
                );
                let (Ok(state), Ok(due)) =
                    (row.state.parse(), row.due_on.parse::<chrono::NaiveDate>())
                else {
                    return Ok(FourEyes {
                        required,
                        second_coordinator,
                        request: None,
                    });
                };
                Some(ApprovalView {
                    id: row.id,
                    requested_by: name_of(conn, row.requested_by).await?,
                    requested_at: crate::server::time::local_moment(&row.requested_at),
                    due: crate::server::time::deadline(due, today),
                    purpose,
                    purpose_note: row.purpose_note.clone(),
                    legal_basis,
                    state,
                    expired: expired(&row, today),
                    decided_by: match row.decided_by {
                        Some(_) => Some(name_of(conn, row.decided_by).await?),
                        None => None,
                    },
                    decided_at: row
                        .decided_at
                        .as_deref()
                        .map(crate::server::time::local_moment),
                    reason: row.reason.clone(),
                    mine: row.requested_by == Some(user.id),
                    earlier_refusal: match disclosure_request::Entity::find()
                        .filter(disclosure_request::Column::OverlapId.eq(overlap_id))
                        .filter(disclosure_request::Column::Side.eq(side))
                        .filter(
                            disclosure_request::Column::State.eq(ApprovalState::Refused.as_str()),
                        )
                        .filter(disclosure_request::Column::Id.lt(row.id))
                        .order_by_desc(disclosure_request::Column::Id)
                        .one(conn)
                        .await?
                    {
                        Some(refused) => {
                            Some((name_of(conn, refused.decided_by).await?, refused.reason))
                        }
                        None => None,
                    },
                })
            }
            None => None,
        };
        Ok(FourEyes {
            required,
            second_coordinator,
            request,
        })
    }

    /// The requests the caller may decide: pending, not expired, of a side of an overlap the
    /// caller coordinates, made by someone else. Nearest deadline first.
    pub(crate) async fn waiting_for(
        conn: &impl ConnectionTrait,
        user: &Caller,
    ) -> Result<Vec<WaitingApproval>, AppError> {
        let today = crate::server::time::today();
        let pending = disclosure_request::Entity::find()
            .filter(disclosure_request::Column::State.eq(ApprovalState::Pending.as_str()))
            .filter(disclosure_request::Column::RequestedBy.ne(user.id))
            .filter(disclosure_request::Column::DueOn.gte(today.to_string()))
            .order_by_asc(disclosure_request::Column::DueOn)
            .all(conn)
            .await?;
        if pending.is_empty() {
            return Ok(Vec::new());
        }
        // One read each for the overlaps (only the caller's joint ventures'), their cases and
        // the requesters' names: the start page is read on every visit.
        let overlaps: std::collections::HashMap<i32, overlap::Model> = overlap::Entity::find()
            .filter(overlap::Column::Id.is_in(pending.iter().map(|r| r.overlap_id)))
            .filter(crate::overlaps::store::involving(user))
            .all(conn)
            .await?
            .into_iter()
            .map(|o| (o.id, o))
            .collect();
        let mine = |row: &disclosure_request::Model| {
            let o = overlaps.get(&row.overlap_id)?;
            let first = crate::overlaps::store::visible(user, o)?;
            let (side, case) = if first {
                (1, o.first_case_id)
            } else {
                (2, o.second_case_id)
            };
            let due = row.due_on.parse::<chrono::NaiveDate>().ok()?;
            (row.side == side).then_some((o, case, due))
        };
        let cases: std::collections::HashMap<i32, String> = case::Entity::find()
            .filter(case::Column::Id.is_in(pending.iter().filter_map(|r| Some(mine(r)?.1))))
            .all(conn)
            .await?
            .into_iter()
            .map(|c| (c.id, c.reference))
            .collect();
        let names = crate::overlaps::workflow_view::names(
            conn,
            pending.iter().filter_map(|r| r.requested_by),
        )
        .await?;
        let waiting = pending
            .iter()
            .filter_map(|row| {
                let (o, case, due) = mine(row)?;
                Some(WaitingApproval {
                    overlap_id: o.id,
                    match_kind: o.match_kind.clone(),
                    my_case: cases.get(&case).cloned().unwrap_or_default(),
                    requested_by: row
                        .requested_by
                        .and_then(|id| names.get(&id).cloned())
                        .unwrap_or_default(),
                    due: crate::server::time::deadline(due, today),
                })
            })
            .collect();
        Ok(waiting)
    }

    /// The caller's consent waits for a second coordinator of `jv`: refused when there is none,
    /// or when a request of this side already waits. Inside the consent's transaction.
    pub(crate) async fn request(
        txn: &(impl ConnectionTrait + sea_orm::TransactionTrait),
        user: &Caller,
        o: &overlap::Model,
        side: i32,
        given: &Grounds,
    ) -> Result<(), AppError> {
        let locale = user.locale;
        let approvers = approvers(txn, o, side, user.id).await?;
        if approvers.is_empty() {
            return Err(AppError::Refused(
                td_string!(locale, err_four_eyes_alone).to_owned(),
            ));
        }
        let today = crate::server::time::today();
        if let Some(waiting) = latest(txn, o.id, side).await?
            && waiting.state == ApprovalState::Pending.as_str()
            && !expired(&waiting, today)
        {
            return Err(AppError::Conflict(
                td_string!(locale, err_approval_waiting).to_owned(),
            ));
        }
        let due = crate::domain::working_days::add_working_days(today, APPROVE_WITHIN_WORKING_DAYS);
        let saved = disclosure_request::ActiveModel {
            overlap_id: Set(o.id),
            side: Set(side),
            requested_by: Set(Some(user.id)),
            requested_at: Set(crate::server::time::now()),
            due_on: Set(due.to_string()),
            purpose: Set(given.purpose.clone()),
            purpose_note: Set(given.note.clone()),
            legal_basis: Set(given.basis.clone()),
            state: Set(ApprovalState::Pending.as_str().to_owned()),
            decided_by: Set(None),
            decided_at: Set(None),
            reason: Set(String::new()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        notify(
            txn,
            &approvers,
            NotificationKind::ApprovalRequested,
            About::Overlap(o.id),
            &format!("approval-requested:{}", saved.id),
            &crate::settings::settings().mail,
        )
        .await?;
        record(
            txn,
            user,
            "request_disclosure_approval",
            o.id,
            format!("request {}, {}", saved.id, given.audit_detail()),
        )
        .await
    }

    /// What a second coordinator decides on a request.
    pub enum Decision {
        Approve,
        Refuse(String),
        /// The requester (or another coordinator of the side) takes it back.
        Withdraw,
    }

    /// Approves, refuses or withdraws request `request_id`. Only a coordinator of the request's
    /// side sees it at all (anyone else: the unknown-id answer); only another coordinator than
    /// the requester decides it, and only while it waits.
    pub async fn decide(
        db: &DatabaseConnection,
        user: &Caller,
        request_id: i32,
        decision: Decision,
    ) -> Result<i32, AppError> {
        let locale = user.locale;
        // Only a coordinator of some joint venture gets further (the request itself is checked
        // below): bad input of anyone else is not even read.
        crate::access::require(
            user,
            crate::access::Action::Manage,
            crate::access::Object::CaseWork,
        )?;
        let reason = match &decision {
            Decision::Refuse(reason) => {
                let reason = reason.trim();
                if reason.is_empty() {
                    return Err(AppError::invalid(
                        "reason",
                        td_string!(locale, err_refusal_reason_missing),
                    ));
                }
                if reason.chars().count() > REASON_MAX_CHARS {
                    return Err(AppError::invalid(
                        "reason",
                        td_string!(locale, err_refusal_reason_long),
                    ));
                }
                reason.to_owned()
            }
            _ => String::new(),
        };
        let txn = crate::server::begin_write(db).await?;
        let overlap_id = disclosure_request::Entity::find_by_id(request_id)
            .one(&txn)
            .await?
            .ok_or(AppError::Forbidden)?
            .overlap_id;
        // Every change of a request happens with its overlap locked: read it again under the
        // lock, so that an approval racing a withdrawal (or another decision) sees its outcome.
        crate::overlaps::steps::lock_overlap(&txn, overlap_id).await?;
        let row = disclosure_request::Entity::find_by_id(request_id)
            .one(&txn)
            .await?
            .ok_or(AppError::Forbidden)?;
        // Approving gives a consent: the workflow must still allow one (not closed).
        let (o, first) = if matches!(decision, Decision::Approve) {
            let (o, first, _) =
                crate::overlaps::pointer::find_for_consent(&txn, user, row.overlap_id).await?;
            (o, first)
        } else {
            crate::overlaps::store::find_visible(&txn, user, row.overlap_id).await?
        };
        let side = if first { 1 } else { 2 };
        // A request of the other side is none of the caller's business.
        if row.side != side {
            return Err(AppError::Forbidden);
        }
        let today = crate::server::time::today();
        if row.state != ApprovalState::Pending.as_str() {
            return Err(AppError::Conflict(
                td_string!(locale, err_approval_decided).to_owned(),
            ));
        }
        if expired(&row, today) {
            return Err(AppError::Conflict(
                td_string!(locale, err_approval_expired).to_owned(),
            ));
        }
        let by_requester = row.requested_by == Some(user.id);
        let (state, action) = match decision {
            // Taking a request back is the requester's; anyone else refuses, with a reason.
            Decision::Withdraw if by_requester => {
                (ApprovalState::Withdrawn, "withdraw_disclosure_request")
            }
            Decision::Withdraw => return Err(AppError::Forbidden),
            _ if by_requester => {
                return Err(AppError::Refused(
                    td_string!(locale, err_approval_own).to_owned(),
                ));
            }
            Decision::Approve => (ApprovalState::Approved, "approve_disclosure"),
            Decision::Refuse(_) => (ApprovalState::Refused, "refuse_disclosure"),
        };
        let mut active: disclosure_request::ActiveModel = row.clone().into();
        active.state = Set(state.as_str().to_owned());
        active.decided_by = Set(Some(user.id));
        active.decided_at = Set(Some(crate::server::time::now()));
        active.reason = Set(reason);
        active.update(&txn).await?;
        record(&txn, user, action, o.id, format!("request {}", row.id)).await?;
        if state == ApprovalState::Approved {
            // The consent is given in the requester's name: they must still be a coordinator
            // of the side's joint venture.
            let jv = if first {
                o.first_joint_venture_id
            } else {
                o.second_joint_venture_id
            };
            let gone =
                || AppError::Conflict(td_string!(locale, err_approval_requester_gone).to_owned());
            let requester = row.requested_by.ok_or_else(gone)?;
            if !people_of(&txn, jv, Role::Coordinator)
                .await?
                .contains(&requester)
            {
                return Err(gone());
            }
            let given = Grounds {
                purpose: row.purpose.clone(),
                note: row.purpose_note.clone(),
                basis: row.legal_basis.clone(),
            };
            let given_by = requester;
            crate::overlaps::consent::give_consent(
                &txn,
                user,
                (&o, first),
                &given,
                (given_by, Some(user.id)),
            )
            .await?;
        }
        if matches!(state, ApprovalState::Approved | ApprovalState::Refused)
            && let Some(requester) = row.requested_by
        {
            notify(
                &txn,
                &std::collections::BTreeSet::from([requester]),
                NotificationKind::ApprovalDecided,
                About::Overlap(o.id),
                &format!("approval-decided:{}", row.id),
                &crate::settings::settings().mail,
            )
            .await?;
        }
        txn.commit().await?;
        Ok(o.id)
    }
}
