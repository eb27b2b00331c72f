//! Consenting to disclose: a side agrees (with its grounds, or waiting for a second
//! coordinator under four eyes), and takes its consent back while the other side has not agreed.
//! When both have agreed, each side's case and matched item are frozen as they are (`freeze`).

use crate::overlaps::grounds;
use crate::overlaps::pointer::{find_for_consent, handlings, perspective, withheld};
use crate::overlaps::store::{Allowed, freeze, record};
use crate::overlaps::types::{ConsentInput, Withheld};
use crate::server::caller::Caller;
use crate::server::entity::overlap;
use crate::{error::AppError, i18n::*};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter,
};

/// What became of a consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consented {
    /// It counts (and, if the other side agreed too, the overlap is disclosed).
    Given,
    /// It waits for a second coordinator of the caller's joint venture (four eyes).
    AwaitingApproval,
}

/// The caller's side agrees to disclose. Refused, with the reason, when either case's handling
/// code does not allow disclosing it to the other side (pointer-only, or shared with named
/// joint ventures only and not this one): nothing is recorded then. Where four eyes apply
/// (`approval`), the consent waits for a second coordinator instead of counting.
#[tracing::instrument(level = "error", skip_all)]
pub async fn consent(
    db: &DatabaseConnection,
    user: &Caller,
    id: i32,
    input: &ConsentInput,
) -> Result<Consented, AppError> {
    let txn = crate::server::begin_write(db).await?;
    crate::overlaps::steps::lock_overlap(&txn, id).await?;
    let (o, first, p) = find_for_consent(&txn, user, id).await?;
    may_agree(&txn, user, &o, first).await?;
    // Why, and on what ground: checked against the law of the caller's organisation.
    let kind = grounds::organisation_kind(&txn, user).await?;
    let given = grounds::check(
        &txn,
        user,
        kind,
        &input.purpose,
        &input.purpose_note,
        &input.legal_basis,
    )
    .await?;
    let side = if first { 1 } else { 2 };
    let outcome =
        if crate::overlaps::approval::required(&txn, p.mine.case, p.mine.joint_venture).await? {
            crate::overlaps::approval::request(&txn, user, &o, side, &given).await?;
            Consented::AwaitingApproval
        } else {
            give_consent(&txn, user, (&o, first), &given, (user.id, None)).await?;
            Consented::Given
        };
    txn.commit().await?;
    Ok(outcome)
}

/// Whether the caller's side may agree now: no handling code withholds the overlap, and the
/// side has not agreed yet. Returns what the other case allows towards the caller's side.
async fn may_agree(
    txn: &impl ConnectionTrait,
    user: &Caller,
    o: &overlap::Model,
    first: bool,
) -> Result<Allowed, AppError> {
    let locale = user.locale;
    let p = perspective(o, first);
    let (mine, theirs) = handlings(txn, &p).await?;
    if let Some(why) = withheld(mine, theirs) {
        return Err(AppError::Refused(
            match why {
                Withheld::MinePointerOnly => td_string!(locale, err_overlap_pointer_only),
                Withheld::MineNotNamed => td_string!(locale, err_overlap_not_named),
                Withheld::Theirs => td_string!(locale, err_overlap_theirs_withheld),
            }
            .to_owned(),
        ));
    }
    // A side agrees once, with the grounds it gave then.
    if if first {
        o.first_consents
    } else {
        o.second_consents
    } {
        return Err(AppError::Conflict(
            td_string!(locale, err_overlap_already_agreed).to_owned(),
        ));
    }
    Ok(theirs)
}

/// Makes a side's consent count, with the grounds given by `given_by` (and approved by the
/// second, if four eyes applied); when both sides have agreed, what each discloses is frozen
/// as it is now. `user` is who makes it count now (the consenting coordinator, or the
/// approver), inside the caller's transaction with the overlap locked.
pub(crate) async fn give_consent(
    txn: &(impl ConnectionTrait + sea_orm::TransactionTrait),
    user: &Caller,
    (o, first): (&overlap::Model, bool),
    given: &grounds::Grounds,
    (given_by, approved_by): (i32, Option<i32>),
) -> Result<(), AppError> {
    let theirs = may_agree(txn, user, o, first).await?;
    let side = if first { 1 } else { 2 };
    // A case shared with the other joint venture by name consents without being asked, also
    // when it was named only after the overlap was found.
    let (first_consents, second_consents) = if first {
        (true, o.second_consents || theirs.consent_given)
    } else {
        (o.first_consents || theirs.consent_given, true)
    };
    let both = first_consents && second_consents;
    let mut active: overlap::ActiveModel = o.clone().into();
    active.first_consents = Set(first_consents);
    active.second_consents = Set(second_consents);
    if both && o.disclosed_at.is_none() {
        active.disclosed_at = Set(Some(crate::server::time::now()));
    }
    let updated = active.update(txn).await?;
    if both && o.disclosed_at.is_none() {
        freeze(txn, &updated).await?;
    }
    grounds::store(txn, o.id, side, given, (given_by, approved_by)).await?;
    crate::overlaps::approval::supersede(txn, user, o.id, side).await?;
    crate::overlaps::steps::add_event(
        txn,
        o.id,
        Some(user.id),
        side,
        if both {
            crate::domain::OverlapStep::Disclose
        } else {
            crate::domain::OverlapStep::Consent
        },
        None,
        None,
    )
    .await?;
    let detail = match approved_by {
        Some(_) => format!("{}, approved", given.audit_detail()),
        None => given.audit_detail(),
    };
    record(
        txn,
        user,
        if both {
            "disclose_overlap"
        } else {
            "consent_overlap"
        },
        o.id,
        detail,
    )
    .await
}

/// The caller's side takes its consent back, before the other side agreed: the overlap is not
/// disclosed, so nothing was shared. The grounds it gave are removed with it (the audit trail
/// keeps both steps). Once disclosed, a consent cannot be withdrawn: the other side already
/// read it (a handling code withdraws it from view from then on). Also cancels nothing else:
/// a request for approval is withdrawn on its own (`approval`).
#[tracing::instrument(level = "error", skip_all)]
pub async fn withdraw_consent(
    db: &DatabaseConnection,
    user: &Caller,
    id: i32,
) -> Result<(), AppError> {
    use crate::server::entity::disclosure_grounds;
    let locale = user.locale;
    let txn = crate::server::begin_write(db).await?;
    crate::overlaps::steps::lock_overlap(&txn, id).await?;
    let (o, first) = crate::overlaps::store::find_visible(&txn, user, id).await?;
    let Some(crate::overlaps::workflow::Actor::Side(_)) = crate::overlaps::steps::actor(user, &o)
    else {
        return Err(AppError::Forbidden);
    };
    if o.disclosed_at.is_some() {
        return Err(AppError::Conflict(
            td_string!(locale, err_consent_already_disclosed).to_owned(),
        ));
    }
    if o.state == crate::domain::OverlapState::Closed.as_str() {
        return Err(AppError::Conflict(
            td_string!(locale, err_overlap_closed_consent).to_owned(),
        ));
    }
    // A case that names the other joint venture consents by its handling code: withdrawing
    // here would be undone by the other side's consent. The code is what to change.
    let (mine, _) = handlings(&txn, &perspective(&o, first)).await?;
    if mine.consent_given {
        return Err(AppError::Refused(
            td_string!(locale, err_consent_by_name).to_owned(),
        ));
    }
    let side = if first { 1 } else { 2 };
    let agreed = if first {
        o.first_consents
    } else {
        o.second_consents
    };
    if !agreed {
        return Err(AppError::Conflict(
            td_string!(locale, err_consent_not_given).to_owned(),
        ));
    }
    let mut active: overlap::ActiveModel = o.clone().into();
    if first {
        active.first_consents = Set(false);
    } else {
        active.second_consents = Set(false);
    }
    active.update(&txn).await?;
    disclosure_grounds::Entity::delete_many()
        .filter(disclosure_grounds::Column::OverlapId.eq(o.id))
        .filter(disclosure_grounds::Column::Side.eq(side))
        .exec(&txn)
        .await?;
    crate::overlaps::steps::add_event(
        &txn,
        o.id,
        Some(user.id),
        side,
        crate::domain::OverlapStep::WithdrawConsent,
        None,
        None,
    )
    .await?;
    crate::overlaps::approval::supersede(&txn, user, o.id, side).await?;
    record(&txn, user, "withdraw_consent", o.id, String::new()).await?;
    txn.commit().await.map_err(AppError::from)
}
