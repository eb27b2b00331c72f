//! Why and on what legal ground a side agrees to disclose. A coordinator's consent carries a
//! purpose (one of a list, and a note, required where the option says so) and the legal basis
//! their organisation provides data on (only the options for their organisation's kind). Both
//! lists are managed by administrators (`overlaps::grounds_admin`, `disclosure_option`). The
//! grounds are stored with the consent as codes, shown to both sides once the overlap is
//! disclosed, and named in the audit trail (codes only, never a value).

use crate::domain::dates::LocalMoment;
use serde::{Deserialize, Serialize};

/// One option of a list, as the consent form offers it, in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroundsOption {
    pub code: String,
    pub label: String,
    /// A purpose that needs a note saying what for.
    pub needs_note: bool,
}

/// The longest note a purpose may carry.
pub const NOTE_MAX_CHARS: usize = 500;

/// One side's stated grounds, as both sides read them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroundsView {
    /// The side (1 or 2) that gave them.
    pub side: i32,
    /// The purpose's code and its label in the reader's language.
    pub purpose: String,
    pub purpose_label: String,
    pub purpose_note: String,
    pub legal_basis: String,
    pub legal_basis_label: String,
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
    use crate::server::entity::{
        disclosure_grounds, disclosure_option, organisation, user_account,
    };
    use crate::{domain::OrganisationKind, error::AppError, i18n::*};
    use sea_orm::{
        ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    };
    use std::collections::HashMap;

    pub(crate) const PURPOSE: &str = "purpose";
    pub(crate) const LEGAL_BASIS: &str = "legal_basis";

    /// Grounds that passed every check, ready to store: the options' codes.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub(crate) struct Grounds {
        pub(crate) purpose: String,
        pub(crate) note: String,
        pub(crate) basis: String,
    }

    impl Grounds {
        /// The audit trail's note: codes only.
        pub(crate) fn audit_detail(&self) -> String {
            format!("purpose {}, basis {}", self.purpose, self.basis)
        }
    }

    /// An option's label in `locale`.
    pub(crate) fn label_of(option: &disclosure_option::Model, locale: Locale) -> String {
        match locale {
            Locale::en => option.label_en.clone(),
            _ => option.label_nl.clone(),
        }
    }

    /// Whether an organisation of `kind` may give this option (a purpose: anyone).
    pub(crate) fn applies_to(option: &disclosure_option::Model, kind: OrganisationKind) -> bool {
        option.kinds.is_empty() || option.kinds.split(',').any(|k| k == kind.as_str())
    }

    /// Every option of both lists, in their order (retired ones too: stored grounds name them).
    pub(crate) async fn all_options(
        conn: &impl ConnectionTrait,
    ) -> Result<Vec<disclosure_option::Model>, AppError> {
        Ok(disclosure_option::Entity::find()
            .order_by_asc(disclosure_option::Column::List)
            .order_by_asc(disclosure_option::Column::Position)
            .order_by_asc(disclosure_option::Column::Id)
            .all(conn)
            .await?)
    }

    /// What the consent form offers a coordinator of an organisation of `kind`: the active
    /// purposes, and the active legal bases for that kind.
    pub(crate) fn offered(
        options: &[disclosure_option::Model],
        kind: OrganisationKind,
        locale: Locale,
    ) -> (Vec<GroundsOption>, Vec<GroundsOption>) {
        let pick = |list: &str| {
            options
                .iter()
                .filter(|o| o.list == list && o.active && applies_to(o, kind))
                .map(|o| GroundsOption {
                    code: o.code.clone(),
                    label: label_of(o, locale),
                    needs_note: o.needs_note,
                })
                .collect()
        };
        (pick(PURPOSE), pick(LEGAL_BASIS))
    }

    /// Every option's label in `locale`, by (list, code).
    pub(crate) async fn labels(
        conn: &impl ConnectionTrait,
        locale: Locale,
    ) -> Result<HashMap<(String, String), String>, AppError> {
        Ok(labels_of(&all_options(conn).await?, locale))
    }

    /// The same of options already read.
    pub(crate) fn labels_of(
        options: &[disclosure_option::Model],
        locale: Locale,
    ) -> HashMap<(String, String), String> {
        options
            .iter()
            .map(|o| ((o.list.clone(), o.code.clone()), label_of(o, locale)))
            .collect()
    }

    /// The label of `code` in `list`, or the code itself for one no longer on the list.
    pub(crate) fn label_in(
        labels: &HashMap<(String, String), String>,
        list: &str,
        code: &str,
    ) -> String {
        labels
            .get(&(list.to_owned(), code.to_owned()))
            .cloned()
            .unwrap_or_else(|| code.to_owned())
    }

    /// Checks what a coordinator of an organisation of `kind` typed against the lists as they
    /// are now, naming the field at fault: an option that is retired or not for the kind is
    /// refused like one that was never on the list.
    pub(crate) async fn check(
        conn: &impl ConnectionTrait,
        user: &Caller,
        kind: OrganisationKind,
        purpose: &str,
        note: &str,
        basis: &str,
    ) -> Result<Grounds, AppError> {
        let locale = user.locale;
        let options = all_options(conn).await?;
        let find = |list: &str, code: &str| {
            options
                .iter()
                .find(|o| o.list == list && o.code == code && o.active)
        };
        let purpose = match purpose.trim() {
            "" => {
                return Err(AppError::invalid(
                    "purpose",
                    td_string!(locale, err_purpose_missing),
                ));
            }
            code => find(PURPOSE, code).ok_or_else(|| {
                AppError::invalid("purpose", td_string!(locale, err_purpose_unknown))
            })?,
        };
        let note = note.trim();
        if note.chars().count() > NOTE_MAX_CHARS {
            return Err(AppError::invalid(
                "purpose_note",
                td_string!(locale, err_purpose_note_long),
            ));
        }
        if purpose.needs_note && note.is_empty() {
            return Err(AppError::invalid(
                "purpose_note",
                td_string!(locale, err_purpose_note_needed),
            ));
        }
        let basis = match basis.trim() {
            "" => {
                return Err(AppError::invalid(
                    "legal_basis",
                    td_string!(locale, err_legal_basis_missing),
                ));
            }
            code => find(LEGAL_BASIS, code).ok_or_else(|| {
                AppError::invalid("legal_basis", td_string!(locale, err_legal_basis_unknown))
            })?,
        };
        if !applies_to(basis, kind) {
            return Err(AppError::invalid(
                "legal_basis",
                td_string!(locale, err_legal_basis_not_yours),
            ));
        }
        Ok(Grounds {
            purpose: purpose.code.clone(),
            note: note.to_owned(),
            basis: basis.code.clone(),
        })
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
            purpose: Set(grounds.purpose.clone()),
            purpose_note: Set(grounds.note.clone()),
            legal_basis: Set(grounds.basis.clone()),
            given_by: Set(Some(given_by)),
            given_at: Set(crate::server::time::now()),
            approved_by: Set(approved_by),
            organisation_id: Set(organisation_id),
        })
        .exec(conn)
        .await?;
        Ok(())
    }

    /// The grounds given for `overlap_id`, side 1 first, labelled in `locale` (an option
    /// since retired keeps its label; one no longer on the list shows its code).
    pub(crate) async fn of_overlap(
        conn: &impl ConnectionTrait,
        overlap_id: i32,
        labels: &HashMap<(String, String), String>,
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
            .map(|row| GroundsView {
                side: row.side,
                purpose_label: label_in(labels, PURPOSE, &row.purpose),
                purpose: row.purpose,
                purpose_note: row.purpose_note,
                legal_basis_label: label_in(labels, LEGAL_BASIS, &row.legal_basis),
                legal_basis: row.legal_basis,
                given_at: crate::server::time::local_moment(&row.given_at),
                approved_by: row
                    .approved_by
                    .map(|id| approvers.get(&id).cloned().unwrap_or_default()),
            })
            .collect())
    }
}
