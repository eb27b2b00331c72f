//! Why and on what legal ground a side agrees to disclose. A coordinator's consent carries a
//! purpose (one of a list, and a note, required for "other") and the legal basis their
//! organisation provides data on (only the grounds the law of their organisation's kind
//! allows: `LegalBasis::applies_to`). Both are stored with the consent, shown to both sides
//! once the overlap is disclosed, and named in the audit trail (codes only, never a value).

use crate::domain::{DisclosurePurpose, LegalBasis, dates::LocalMoment};
use serde::{Deserialize, Serialize};

/// The longest note a purpose may carry.
pub const NOTE_MAX_CHARS: usize = 500;

/// One side's stated grounds, as both sides read them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroundsView {
    /// The side (1 or 2) that gave them.
    pub side: i32,
    pub purpose: DisclosurePurpose,
    pub purpose_note: String,
    pub legal_basis: LegalBasis,
    pub given_at: LocalMoment,
    /// The second coordinator who approved the consent (four eyes), by name; empty when the
    /// reader is the other side, who learns only that it was approved.
    pub approved_by: Option<String>,
}

#[cfg(feature = "ssr")]
pub(crate) use server::*;

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::server::caller::Caller;
    use crate::server::entity::{disclosure_grounds, organisation, user_account};
    use crate::{domain::OrganisationKind, error::AppError, i18n::*};
    use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

    /// Grounds that passed every check, ready to store.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub(crate) struct Grounds {
        pub(crate) purpose: DisclosurePurpose,
        pub(crate) note: String,
        pub(crate) basis: LegalBasis,
    }

    impl Grounds {
        /// The audit trail's note: codes only.
        pub(crate) fn audit_detail(&self) -> String {
            format!(
                "purpose {}, basis {}",
                self.purpose.as_str(),
                self.basis.as_str()
            )
        }
    }

    /// Checks what a coordinator of an organisation of `kind` typed, naming the field at fault.
    pub(crate) fn check(
        user: &Caller,
        kind: OrganisationKind,
        purpose: &str,
        note: &str,
        basis: &str,
    ) -> Result<Grounds, AppError> {
        let locale = user.locale;
        let purpose: DisclosurePurpose = code(
            "purpose",
            purpose,
            td_string!(locale, err_purpose_missing),
            td_string!(locale, err_purpose_unknown),
        )?;
        let note = note.trim();
        if note.chars().count() > NOTE_MAX_CHARS {
            return Err(AppError::invalid(
                "purpose_note",
                td_string!(locale, err_purpose_note_long),
            ));
        }
        if purpose == DisclosurePurpose::Other && note.is_empty() {
            return Err(AppError::invalid(
                "purpose_note",
                td_string!(locale, err_purpose_note_needed),
            ));
        }
        let basis: LegalBasis = code(
            "legal_basis",
            basis,
            td_string!(locale, err_legal_basis_missing),
            td_string!(locale, err_legal_basis_unknown),
        )?;
        if !basis.applies_to(kind) {
            return Err(AppError::invalid(
                "legal_basis",
                td_string!(locale, err_legal_basis_not_yours),
            ));
        }
        Ok(Grounds {
            purpose,
            note: note.to_owned(),
            basis,
        })
    }

    /// A listed code typed into `field`: `missing` when empty, `unknown` when not on the list.
    fn code<T: std::str::FromStr>(
        field: &str,
        typed: &str,
        missing: &str,
        unknown: &str,
    ) -> Result<T, AppError> {
        match typed.trim() {
            "" => Err(AppError::invalid(field, missing)),
            code => code.parse().map_err(|_| AppError::invalid(field, unknown)),
        }
    }

    /// The kind of the caller's organisation (what their data falls under).
    pub(crate) async fn organisation_kind(
        conn: &impl ConnectionTrait,
        user: &Caller,
    ) -> Result<OrganisationKind, AppError> {
        let organisation = organisation::Entity::find_by_id(user.organisation_id)
            .one(conn)
            .await?
            .ok_or(AppError::Forbidden)?;
        Ok(organisation.kind.parse().unwrap_or(OrganisationKind::Other))
    }

    /// Stores `side`'s grounds as `given_by` gave them (and `approved_by` approved them),
    /// inside the consent's transaction.
    pub(crate) async fn store(
        conn: &impl ConnectionTrait,
        overlap_id: i32,
        side: i32,
        grounds: &Grounds,
        (given_by, approved_by): (i32, Option<i32>),
    ) -> Result<(), AppError> {
        let organisation_id = user_account::Entity::find_by_id(given_by)
            .one(conn)
            .await?
            .map(|u| u.organisation_id);
        disclosure_grounds::Entity::insert(disclosure_grounds::ActiveModel {
            overlap_id: Set(overlap_id),
            side: Set(side),
            purpose: Set(grounds.purpose.as_str().to_owned()),
            purpose_note: Set(grounds.note.clone()),
            legal_basis: Set(grounds.basis.as_str().to_owned()),
            given_by: Set(Some(given_by)),
            given_at: Set(crate::server::time::now()),
            approved_by: Set(approved_by),
            organisation_id: Set(organisation_id),
        })
        .exec(conn)
        .await?;
        Ok(())
    }

    /// The grounds given for `overlap_id`, side 1 first. Rows whose codes are no longer known
    /// are left out rather than shown wrong.
    pub(crate) async fn of_overlap(
        conn: &impl ConnectionTrait,
        overlap_id: i32,
    ) -> Result<Vec<GroundsView>, AppError> {
        let mut rows = disclosure_grounds::Entity::find()
            .filter(disclosure_grounds::Column::OverlapId.eq(overlap_id))
            .all(conn)
            .await?;
        rows.sort_by_key(|row| row.side);
        let approvers =
            crate::overlaps::workflow_view::names(conn, rows.iter().filter_map(|r| r.approved_by))
                .await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                Some(GroundsView {
                    side: row.side,
                    purpose: row.purpose.parse().ok()?,
                    purpose_note: row.purpose_note,
                    legal_basis: row.legal_basis.parse().ok()?,
                    given_at: crate::server::time::local_moment(&row.given_at),
                    approved_by: row
                        .approved_by
                        .map(|id| approvers.get(&id).cloned().unwrap_or_default()),
                })
            })
            .collect())
    }
}
