//! What the overlap use-cases share: the audit record, names, visible overlaps, shared
//! identifiers, and the one rule of what a case's handling code lets the other side learn.

use crate::access::{OverlapStanding, overlap_standing};
use crate::server::caller::Caller;
use crate::{domain::Handling, domain::SubjectKind, error::AppError};
use crate::{
    server::audit, server::entity::case, server::entity::case_share, server::entity::joint_venture,
    server::entity::operation, server::entity::overlap, server::entity::overlap_disclosure,
    server::entity::subject,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QuerySelect,
};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Case pairs (lower id first) known to share an identifier overlap: with one, a person
/// matched on name alone is corroborated.
pub(crate) type Sharing = HashSet<(i32, i32)>;

pub(crate) fn case_pair(a: i32, b: i32) -> (i32, i32) {
    (a.min(b), a.max(b))
}

pub(crate) fn identifier_overlaps() -> sea_orm::Select<overlap::Entity> {
    overlap::Entity::find()
        .filter(overlap::Column::Kind.eq(crate::domain::OverlapKind::Subject.as_str()))
        .filter(overlap::Column::MatchKind.ne(SubjectKind::Person.as_str()))
}

/// The pairs of `case_id` with any of `others` that share an identifier: one query per save.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn sharing_among(
    db: &impl ConnectionTrait,
    case_id: i32,
    others: BTreeSet<i32>,
) -> Result<Sharing, AppError> {
    if others.is_empty() {
        return Ok(Sharing::new());
    }
    let either = Condition::any()
        .add(
            Condition::all()
                .add(overlap::Column::FirstCaseId.eq(case_id))
                .add(overlap::Column::SecondCaseId.is_in(others.clone())),
        )
        .add(
            Condition::all()
                .add(overlap::Column::SecondCaseId.eq(case_id))
                .add(overlap::Column::FirstCaseId.is_in(others)),
        );
    // The kind is checked here rather than in the query: with it there, SQLite walks the items
    // index over every overlap of the kind instead of the two case indexes.
    Ok(overlap::Entity::find()
        .filter(either)
        .select_only()
        .column(overlap::Column::FirstCaseId)
        .column(overlap::Column::SecondCaseId)
        .column(overlap::Column::Kind)
        .column(overlap::Column::MatchKind)
        .into_tuple::<(i32, i32, String, String)>()
        .all(db)
        .await?
        .into_iter()
        .filter(|(_, _, kind, match_kind)| {
            kind == crate::domain::OverlapKind::Subject.as_str()
                && match_kind != SubjectKind::Person.as_str()
        })
        .map(|(a, b, _, _)| case_pair(a, b))
        .collect())
}

/// The case pairs of the identifier overlaps that meet `condition`.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn sharing_where(
    db: &impl ConnectionTrait,
    condition: Condition,
) -> Result<Sharing, AppError> {
    Ok(identifier_overlaps()
        .filter(condition)
        .select_only()
        .column(overlap::Column::FirstCaseId)
        .column(overlap::Column::SecondCaseId)
        .into_tuple::<(i32, i32)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(a, b)| case_pair(a, b))
        .collect())
}

pub(crate) fn involving(user: &Caller) -> Condition {
    Condition::any()
        .add(overlap::Column::FirstJointVentureId.is_in(user.coordinates.clone()))
        .add(overlap::Column::SecondJointVentureId.is_in(user.coordinates.clone()))
}

/// Records an action on an overlap.
pub(crate) async fn record(
    db: &impl sea_orm::TransactionTrait,
    user: &Caller,
    action: &'static str,
    id: i32,
    detail: String,
) -> Result<(), AppError> {
    audit::record_by(db, user, action, "overlap", id, detail).await
}

#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn find_visible(
    db: &impl ConnectionTrait,
    user: &Caller,
    id: i32,
) -> Result<(overlap::Model, bool), AppError> {
    let found = overlap::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::Forbidden)?;
    let first = visible(user, &found).ok_or(AppError::Forbidden)?;
    Ok((found, first))
}

/// What matched on one side, in `locale`'s words: a subject's summary, or an operation's kind,
/// place and window (`Doorzoeking, Loods, 12 januari 2027, 06:00 – 09:30`).
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn item_text(
    db: &impl ConnectionTrait,
    kind: &str,
    id: i32,
    locale: crate::i18n::Locale,
) -> Result<String, AppError> {
    if kind == crate::domain::OverlapKind::Operation.as_str() {
        use crate::server::time::wall_clock;
        let op = operation::Entity::find_by_id(id).one(db).await?;
        Ok(op
            .map(|o| {
                let what = o
                    .kind
                    .parse()
                    .map(|kind| crate::ui::labels::operation_kind_text(locale, kind))
                    .unwrap_or(o.kind.as_str());
                let when = crate::ui::format::span_in(
                    &crate::ui::format::Words::of(locale),
                    &wall_clock(o.starts_at),
                    &wall_clock(o.ends_at),
                );
                [what, o.place.as_str(), when.as_str()]
                    .into_iter()
                    .filter(|part| !part.is_empty())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default())
    } else {
        Ok(subject::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|s| s.summary)
            .unwrap_or_default())
    }
}

/// Which side of the overlap the caller coordinates: `Some(true)` the first, `Some(false)` the
/// second, `None` neither (a manager's view is the oversight page's).
pub(crate) fn visible(user: &Caller, o: &overlap::Model) -> Option<bool> {
    match overlap_standing(user, o.first_joint_venture_id, o.second_joint_venture_id)? {
        OverlapStanding::Side(side) => Some(side == 1),
        OverlapStanding::Overseer => None,
    }
}

/// What a case's handling code allows towards one other joint venture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Allowed {
    pub(crate) handling: Handling,
    /// The case may be disclosed to it, now or (once disclosed) still.
    pub(crate) disclosure: bool,
    /// The case's side consents without being asked (shared with that partner by name).
    pub(crate) consent_given: bool,
}

/// Who may ever learn of a case: nobody with `pointer-only`; the other side of an overlap once
/// both agreed with `share-on-consent` (and `share-on-approval`, whose consent a second
/// coordinator approves: `approval`); with `shared-with` only the joint ventures it names
/// (their consent is given by naming them). To a joint venture it does not name, a
/// `shared-with` case is as closed as a `pointer-only` one.
pub(crate) fn allowed_by(handling: Handling, named: bool) -> Allowed {
    let (disclosure, consent_given) = match handling {
        Handling::PointerOnly => (false, false),
        Handling::ShareOnConsent | Handling::ShareOnApproval => (true, false),
        Handling::SharedWith => (named, named),
    };
    Allowed {
        handling,
        disclosure,
        consent_given,
    }
}

/// A case's handling code. A corrupt one is logged as an error and read as pointer-only, the
/// code that discloses nothing: refusing instead would fail the saves of every other joint
/// venture whose subjects match this case, and leave a re-scan half done.
pub(crate) fn handling_of(c: &case::Model) -> Handling {
    c.handling.parse::<Handling>().unwrap_or_else(|err| {
        tracing::error!(error = %err, case = c.id, "a stored handling code is unknown");
        Handling::PointerOnly
    })
}

/// What case `case_id`'s handling code allows towards joint venture `other_jv`, read now.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn handling_allows(
    db: &impl ConnectionTrait,
    case_id: i32,
    other_jv: i32,
) -> Result<Allowed, AppError> {
    let Some(found) = case::Entity::find_by_id(case_id).one(db).await? else {
        return Ok(allowed_by(Handling::PointerOnly, false));
    };
    let handling = handling_of(&found);
    let named = handling == Handling::SharedWith
        && case_share::Entity::find()
            .filter(case_share::Column::CaseId.eq(case_id))
            .filter(case_share::Column::JointVentureId.eq(other_jv))
            .one(db)
            .await?
            .is_some();
    let mut allowed = allowed_by(handling, named);
    // Naming a joint venture consents in advance, on one coordinator's word: where the case's
    // joint venture asks for four eyes on disclosure, the name allows disclosure but each
    // consent still needs a second coordinator (`approval`).
    if allowed.consent_given
        && joint_venture::Entity::find_by_id(found.joint_venture_id)
            .one(db)
            .await?
            .is_some_and(|v| v.four_eyes_disclosure)
    {
        allowed.consent_given = false;
    }
    Ok(allowed)
}

/// The handling codes and shares of many cases at once, so that a list decides what each case
/// allows towards another joint venture without a query per overlap.
pub(crate) struct Handlings {
    codes: HashMap<i32, Handling>,
    shares: HashSet<(i32, i32)>,
}

impl Handlings {
    #[tracing::instrument(level = "error", skip_all)]
    pub(crate) async fn of(
        db: &impl ConnectionTrait,
        cases: &HashMap<i32, case::Model>,
    ) -> Result<Self, AppError> {
        let codes: HashMap<i32, Handling> =
            cases.values().map(|c| (c.id, handling_of(c))).collect();
        let shared: Vec<i32> = codes
            .iter()
            .filter(|(_, handling)| **handling == Handling::SharedWith)
            .map(|(id, _)| *id)
            .collect();
        let mut shares = HashSet::new();
        for chunk in shared.chunks(5000) {
            for share in case_share::Entity::find()
                .filter(case_share::Column::CaseId.is_in(chunk.iter().copied()))
                .all(db)
                .await?
            {
                shares.insert((share.case_id, share.joint_venture_id));
            }
        }
        Ok(Self { codes, shares })
    }

    /// As [`handling_allows`]; a case not loaded is read as pointer-only.
    pub(crate) fn allows(&self, case_id: i32, other_jv: i32) -> Allowed {
        let handling = self
            .codes
            .get(&case_id)
            .copied()
            .unwrap_or(Handling::PointerOnly);
        allowed_by(handling, self.shares.contains(&(case_id, other_jv)))
    }
}

/// What one side of an overlap shows the other side's readers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Disclosed {
    /// Never disclosed: the pointer only.
    No,
    /// Disclosed, but the case's handling code no longer allows the reader (it is pointer-only
    /// now, or no longer names the reader's joint venture): the pointer only.
    Withdrawn,
    /// Disclosed: the case and matched item as they were then.
    Shown(overlap_disclosure::Model),
}

impl Disclosed {
    pub(crate) fn frozen(&self) -> Option<&overlap_disclosure::Model> {
        match self {
            Disclosed::Shown(frozen) => Some(frozen),
            Disclosed::No | Disclosed::Withdrawn => None,
        }
    }

    pub(crate) fn withdrawn(&self) -> bool {
        *self == Disclosed::Withdrawn
    }
}

/// The one rule every reader of a disclosed overlap goes through: side `side`'s frozen content,
/// shown only while its case's handling code (`allowed`, towards the reader's joint venture,
/// read now) still allows it. Never the live case.
pub(crate) fn disclosed(
    o: &overlap::Model,
    side: i32,
    allowed: Allowed,
    frozen: Option<overlap_disclosure::Model>,
) -> Disclosed {
    if o.disclosed_at.is_none() {
        return Disclosed::No;
    }
    if !allowed.disclosure {
        return Disclosed::Withdrawn;
    }
    match frozen {
        // The giving side asked for it to be deleted: the pointer only, for good.
        Some(frozen) if frozen.deletion_requested_at.is_some() => Disclosed::Withdrawn,
        Some(frozen) => Disclosed::Shown(frozen),
        None => {
            tracing::error!(
                overlap = o.id,
                side,
                "a disclosed overlap has no frozen side"
            );
            Disclosed::Withdrawn
        }
    }
}

/// The frozen side `side` (1 or 2) of one overlap.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn frozen_side(
    db: &impl ConnectionTrait,
    overlap_id: i32,
    side: i32,
) -> Result<Option<overlap_disclosure::Model>, AppError> {
    Ok(overlap_disclosure::Entity::find_by_id((overlap_id, side))
        .one(db)
        .await?)
}

/// The frozen sides of the disclosed overlaps among `overlaps`, by (overlap, side).
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn frozen_sides(
    db: &impl ConnectionTrait,
    overlaps: &[overlap::Model],
) -> Result<HashMap<(i32, i32), overlap_disclosure::Model>, AppError> {
    let ids: Vec<i32> = overlaps
        .iter()
        .filter(|o| o.disclosed_at.is_some())
        .map(|o| o.id)
        .collect();
    let mut frozen = HashMap::new();
    for chunk in ids.chunks(5000) {
        for row in overlap_disclosure::Entity::find()
            .filter(overlap_disclosure::Column::OverlapId.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            frozen.insert((row.overlap_id, row.side), row);
        }
    }
    Ok(frozen)
}

/// A subject or operation that is removed takes what its side disclosed of it along: the frozen
/// copy keeps its case's reference and title but no longer the item, so no personal data
/// outlives the subject in another joint venture's view. A subject's held-back matches go too.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn forget_item(
    db: &impl ConnectionTrait,
    kind: crate::domain::OverlapKind,
    item_id: i32,
) -> Result<(), AppError> {
    if kind == crate::domain::OverlapKind::Subject {
        crate::server::entity::held_back_match::Entity::delete_many()
            .filter(crate::server::entity::held_back_match::Column::SubjectId.eq(item_id))
            .exec(db)
            .await?;
    }
    for (side, column) in [
        (1, overlap::Column::FirstItemId),
        (2, overlap::Column::SecondItemId),
    ] {
        let ids: Vec<i32> = overlap::Entity::find()
            .select_only()
            .column(overlap::Column::Id)
            .filter(overlap::Column::Kind.eq(kind.as_str()))
            .filter(column.eq(item_id))
            .into_tuple()
            .all(db)
            .await?;
        for chunk in ids.chunks(5000) {
            overlap_disclosure::Entity::update_many()
                .col_expr(
                    overlap_disclosure::Column::Item,
                    sea_orm::sea_query::Expr::value(String::new()),
                )
                .filter(overlap_disclosure::Column::OverlapId.is_in(chunk.iter().copied()))
                .filter(overlap_disclosure::Column::Side.eq(side))
                .exec(db)
                .await?;
        }
    }
    Ok(())
}

/// Freezes what each side of `o` discloses, as it is at this moment of disclosure: its case's
/// reference and title and the matched item. Readers see this from now on, never the live
/// case. A side frozen before is left as it was.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn freeze(db: &impl ConnectionTrait, o: &overlap::Model) -> Result<(), AppError> {
    for (side, case_id, item_id) in [
        (1, o.first_case_id, o.first_item_id),
        (2, o.second_case_id, o.second_item_id),
    ] {
        if frozen_side(db, o.id, side).await?.is_some() {
            continue;
        }
        let Some(c) = case::Entity::find_by_id(case_id).one(db).await? else {
            continue;
        };
        // Kept as text, in the portal's default language (Dutch): either side may read it.
        let item = item_text(db, &o.kind, item_id, crate::i18n::Locale::default()).await?;
        overlap_disclosure::Entity::insert(overlap_disclosure::ActiveModel {
            overlap_id: Set(o.id),
            side: Set(side),
            case_reference: Set(c.reference),
            case_title: Set(c.title),
            item: Set(item),
            ..Default::default()
        })
        .exec(db)
        .await?;
    }
    Ok(())
}
