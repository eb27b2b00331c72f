//! Wire types (both targets): what server functions take and return.

use crate::{partnerships::types::Contact, partnerships::types::Named};
use serde::{Deserialize, Serialize};

/// Why a pair of persons scored as it did (see `score`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Reason {
    FamilyEqual,
    FamilySimilar(f64),
    FamilyDiffers,
    GivenEqual,
    GivenSimilar(f64),
    GivenDiffers,
    NamesSwapped,
    BirthEqual,
    BirthDayMonthSwapped,
    /// One digit or one field of the date different.
    BirthOneOff,
    BirthCompatible,
    BirthYearApart,
    BirthConflict,
    NationalityEqual,
    NationalityDiffers,
    SharedIdentifier,
}

/// How common an equal value is among the stored persons, where that moved its weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Frequency {
    Rare,
    Common,
}

/// One field's part in a person match: what the comparison found and its match weight (log₂
/// of how much likelier it is for one person than for two; positive speaks for a match).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FieldWeight {
    pub reason: Reason,
    pub weight: f64,
    pub frequency: Option<Frequency>,
}

impl FieldWeight {
    pub fn new(reason: Reason, weight: f64, frequency: Option<Frequency>) -> Self {
        FieldWeight {
            reason,
            weight: (weight * 100.0).round() / 100.0,
            frequency,
        }
    }
}

/// What an overlap rests on. Values are never part of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Evidence {
    /// The same normalised identifier (phone, IBAN, plate, …).
    SameIdentifier,
    /// Found before the person model (the reasons only).
    Person(Vec<Reason>),
    /// The person model's weighing: the prior (log₂ odds) and each field's weight; their sum
    /// is the match weight, whose probability is the overlap's score.
    Weighed {
        prior: f64,
        fields: Vec<FieldWeight>,
    },
    /// Two operations this close, overlapping this long.
    Operation { metres: u32, minutes: i64 },
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OverlapFilter {
    /// Empty for every overlap not closed, one state's code, or `all`.
    pub state: String,
    /// A subject kind's code or `operation`; empty for all.
    pub kind: String,
    /// A flag's code; empty for all.
    pub flag: String,
    /// `soon` (due within two working days), `overdue`, or empty.
    pub deadline: String,
    /// Two joint ventures' ids, `3-7`: only overlaps between them (the managers' report
    /// links here from its matrix). Empty for all.
    pub pair: String,
    /// Found on or after this day (`2026-09-01`, Dutch time); empty for any.
    pub since: String,
    /// Found on or before this day; empty for any.
    pub until: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverlapRow {
    pub id: i32,
    pub match_kind: String,
    pub my_case: Named,
    pub other_joint_venture: String,
    pub score: f64,
    pub urgent: bool,
    pub disclosed: bool,
    pub state: String,
    pub created_at: crate::domain::dates::LocalMoment,
    pub flags: Vec<crate::domain::Flag>,
    /// The deadline that counts now.
    pub due: Option<crate::domain::dates::Deadline>,
}

/// One side of an overlap as the viewer may see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Side {
    pub joint_venture: Named,
    /// Reference and title: always for the viewer's own side, for the other side only once
    /// disclosed.
    pub case: Option<(i32, String, String)>,
    /// The matched subject's summary or the operation's kind, place and time, likewise.
    pub item: Option<String>,
    pub consents: bool,
}

/// Which handling code keeps an overlap's two cases from being disclosed to each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Withheld {
    /// The viewer's own case is pointer-only.
    MinePointerOnly,
    /// The viewer's own case is shared with named joint ventures, and not with the other one.
    MineNotNamed,
    /// The other case may not be disclosed to the viewer's joint venture.
    Theirs,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverlapView {
    pub id: i32,
    pub kind: String,
    pub match_kind: String,
    pub score: f64,
    pub urgent: bool,
    pub evidence: Evidence,
    pub mine: Side,
    pub theirs: Side,
    /// The other joint venture's coordinators, to get in touch.
    pub contacts: Vec<Contact>,
    /// Whether the overlap was disclosed at some time (see `disclosed_at`, `withdrawn`).
    pub disclosed: bool,
    /// When it was disclosed: the other side's case and item are shown as they were then.
    pub disclosed_at: Option<crate::domain::dates::LocalMoment>,
    /// Disclosed, but the other case's handling code no longer allows the viewer's joint
    /// venture (pointer-only now, or it no longer names it): the pointer only again.
    pub withdrawn: bool,
    /// Why the sides may not disclose to each other, when a handling code says so.
    pub withheld: Option<Withheld>,
    /// Whether this side may agree to disclose (no handling code withholds it).
    pub can_consent: bool,
    /// The purpose and legal basis each side gave with its consent, as far as the viewer may
    /// read them: their own at once, the other side's once disclosed.
    pub grounds: Vec<crate::overlaps::grounds::GroundsView>,
    /// The viewer's side (1 or 2), to tell their grounds from the other side's.
    pub my_side: i32,
    /// The legal bases the viewer's organisation may provide data on, for the consent form.
    pub legal_bases: Vec<crate::overlaps::grounds::GroundsOption>,
    /// The purposes the consent form offers.
    pub purposes: Vec<crate::overlaps::grounds::GroundsOption>,
    /// Whether the viewer's side needs a second coordinator to approve its consent, and the
    /// side's latest request for approval.
    pub four_eyes: crate::overlaps::approval::FourEyes,
    pub state: String,
    pub created_at: crate::domain::dates::LocalMoment,
    pub workflow: crate::overlaps::workflow_types::Workflow,
    /// The day a side's data lapsed and its evidence, notes and values were deleted.
    pub purged_on: Option<String>,
    /// After disclosure: each side's request that the other delete what it received.
    pub deletions: Vec<DeletionView>,
    /// Whether the viewer's side may ask the other to delete what it received of theirs.
    pub may_request_deletion: bool,
}

/// One side's request that the other delete what it received, and its confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletionView {
    /// The viewer's side asked (or the other side did).
    pub mine: bool,
    pub requested_at: crate::domain::dates::LocalMoment,
    pub reason: String,
    pub confirmed_at: Option<crate::domain::dates::LocalMoment>,
}

/// What a coordinator gives with their consent to disclose, as typed (checked by
/// `overlaps::grounds::check`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentInput {
    pub purpose: String,
    pub purpose_note: String,
    pub legal_basis: String,
}

/// An entry of the benign list as people see it: never the value, only its label. A
/// coordinator is shown the entries of their own joint ventures and the national ones, never
/// another joint venture's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BenignRow {
    pub id: i32,
    pub kind: String,
    pub label: String,
    pub reason: String,
    pub expires_on: String,
    /// The joint venture the entry belongs to; `None` for a national entry.
    pub joint_venture: Option<Named>,
    /// Who added it: for the entry's keepers (its joint venture's coordinators, the
    /// administrators), not on a national entry shown to a coordinator.
    pub added_by: Option<String>,
    /// Whether the caller may remove it.
    pub removable: bool,
}

/// The benign list page: the entries the caller may see, and for whom they may add one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BenignList {
    pub rows: Vec<BenignRow>,
    /// The joint ventures the caller coordinates (an entry is added for one of them).
    pub joint_ventures: Vec<Named>,
    /// Whether the caller may add a national entry (administrators).
    pub national: bool,
}

/// Subjects of one of the caller's cases whose matches another joint venture's benign entry
/// held back: the case and the kind of value, never the value, the entry or who holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldBackRow {
    pub case: Named,
    pub kind: String,
    pub subjects: u32,
}

/// What the benign form sends for an entry of no joint venture (administrators only).
pub const NATIONAL: &str = "national";

/// The kinds a benign value can be, with the value as a subject of that kind takes it.
pub const BENIGN_KINDS: [&str; 5] = ["phone", "email", "bank_account", "address", "company"];

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BenignInput {
    pub kind: String,
    /// The phone number, e-mail address, IBAN or KvK number.
    pub value: String,
    pub postcode: String,
    pub house_number: String,
    pub label: String,
    pub reason: String,
    pub expires_on: String,
    /// The id of one of the caller's joint ventures, or `national` (administrators only).
    pub joint_venture_id: String,
}
