//! The provision register (`/audit/provisions`): every provision of data between joint
//! ventures that Liaison made — one per side of each disclosed overlap, since a disclosure is
//! an exchange — with when, what kind of data (never a value), from which joint venture and
//! organisation to which joint venture, for what purpose, on what legal basis, who consented
//! and who approved. Auditors and privacy officers read it, filter it by period, joint venture
//! and case reference ("who received data about this case", for a data subject's access
//! request) and download it as CSV. Every reading is audited.

use crate::domain::dates::LocalMoment;
use serde::{Deserialize, Serialize};

/// The register's filter, as typed into its (GET) form. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProvisionFilter {
    /// First and last day of disclosure (Dutch days), `YYYY-MM-DD`.
    pub from: String,
    pub to: String,
    /// A joint venture's id: provisions it gave or received.
    pub joint_venture: String,
    /// Part of the providing case's reference, as it was disclosed.
    pub case: String,
}

/// One provision: what one side gave the other when an overlap was disclosed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisionRow {
    pub overlap_id: i32,
    pub disclosed_at: LocalMoment,
    /// The joint venture and the organisation (of the coordinator who consented) that gave.
    pub from_joint_venture: String,
    pub from_organisation: String,
    pub to_joint_venture: String,
    /// The providing case's reference as disclosed.
    pub case_reference: String,
    /// What matched: a subject kind's code or `operation`. The provision is the case's
    /// reference and title and that matched item's description.
    pub data_kind: String,
    /// `None` where the case was shared with the other joint venture by name (its handling
    /// code gave the consent) or the consent predates stated grounds.
    /// Codes, and their labels in the reader's language.
    pub purpose: Option<String>,
    pub purpose_label: String,
    pub purpose_note: String,
    pub legal_basis: Option<String>,
    pub legal_basis_label: String,
    pub consented_by: String,
    pub approved_by: String,
    /// The giving side asked the receiving side to delete it, and when that was confirmed.
    pub deletion_requested: Option<LocalMoment>,
    pub deletion_confirmed: Option<LocalMoment>,
}

/// The register as the page shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisionRegister {
    pub rows: Vec<ProvisionRow>,
    /// More provisions matched than shown (the newest are).
    pub truncated: bool,
    /// The joint ventures to filter by.
    pub joint_ventures: Vec<crate::partnerships::types::Named>,
}

/// The most provisions a page (or a CSV file) holds; narrow the filter for more.
pub const MAX_ROWS: usize = 5000;

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::server::caller::Caller;
    use crate::server::entity::{
        disclosure_grounds, organisation, overlap, overlap_disclosure, user_account,
    };
    use crate::{
        access::{Action, Object, require},
        error::AppError,
        i18n::*,
        server::time::{dutch_day_start, local_moment},
    };
    use sea_orm::{
        ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
        QuerySelect,
    };
    use std::collections::HashMap;

    /// The provisions matching `filter`, newest first (at most [`MAX_ROWS`]). `export` says
    /// whether it is read for the CSV file (audited as such).
    #[tracing::instrument(level = "error", skip_all)]
    pub async fn register(
        db: &DatabaseConnection,
        user: &Caller,
        filter: &ProvisionFilter,
        export: bool,
    ) -> Result<ProvisionRegister, AppError> {
        require(user, Action::Read, Object::ProvisionRegister)?;
        let (from, to) = crate::audit::trail::period(user.locale, &filter.from, &filter.to)?;
        let names = crate::partnerships::store::venture_names(db).await?;
        let labels = crate::overlaps::grounds::labels(db, user.locale).await?;
        let joint_venture = match filter.joint_venture.trim() {
            "" => None,
            typed => Some(
                typed
                    .parse::<i32>()
                    .ok()
                    .filter(|id| names.contains_key(id))
                    .ok_or_else(|| {
                        AppError::invalid(
                            "joint_venture",
                            td_string!(user.locale, err_provision_joint_venture),
                        )
                    })?,
            ),
        };
        let case = filter.case.trim().to_lowercase();
        if case.chars().count() > 100 {
            return Err(AppError::invalid(
                "case",
                td_string!(user.locale, err_provision_case_long),
            ));
        }
        let mut query = overlap::Entity::find().filter(overlap::Column::DisclosedAt.is_not_null());
        // Times are stored as fixed-format UTC text, so text order is time order.
        if let Some(from) = from {
            query = query.filter(overlap::Column::DisclosedAt.gte(dutch_day_start(from)));
        }
        if let Some(to) = to.and_then(|to| to.succ_opt()) {
            query = query.filter(overlap::Column::DisclosedAt.lt(dutch_day_start(to)));
        }
        if let Some(jv) = joint_venture {
            query = query.filter(
                Condition::any()
                    .add(overlap::Column::FirstJointVentureId.eq(jv))
                    .add(overlap::Column::SecondJointVentureId.eq(jv)),
            );
        }
        if !case.is_empty() {
            // The references as disclosed, compared in lower case; `%` and `_` typed are
            // literal.
            use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, Query};
            let escaped: String = case
                .chars()
                .flat_map(|c| match c {
                    '%' | '_' | '\\' => vec!['\\', c],
                    c => vec![c],
                })
                .collect();
            query = query.filter(
                overlap::Column::Id.in_subquery(
                    Query::select()
                        .column(overlap_disclosure::Column::OverlapId)
                        .from(overlap_disclosure::Entity)
                        .and_where(
                            Expr::expr(Func::lower(Expr::col(
                                overlap_disclosure::Column::CaseReference,
                            )))
                            .like(LikeExpr::new(format!("%{escaped}%")).escape('\\')),
                        )
                        .to_owned(),
                ),
            );
        }
        // At most two provisions per overlap: reading one more than fits tells a cut list.
        let overlaps = query
            .order_by_desc(overlap::Column::DisclosedAt)
            .order_by_desc(overlap::Column::Id)
            .limit(MAX_ROWS as u64 + 1)
            .all(db)
            .await?;
        let ids: Vec<i32> = overlaps.iter().map(|o| o.id).collect();
        let mut frozen: HashMap<(i32, i32), overlap_disclosure::Model> = HashMap::new();
        let mut grounds: HashMap<(i32, i32), disclosure_grounds::Model> = HashMap::new();
        for chunk in ids.chunks(5000) {
            for f in overlap_disclosure::Entity::find()
                .filter(overlap_disclosure::Column::OverlapId.is_in(chunk.iter().copied()))
                .all(db)
                .await?
            {
                frozen.insert((f.overlap_id, f.side), f);
            }
            for g in disclosure_grounds::Entity::find()
                .filter(disclosure_grounds::Column::OverlapId.is_in(chunk.iter().copied()))
                .all(db)
                .await?
            {
                grounds.insert((g.overlap_id, g.side), g);
            }
        }
        let people: HashMap<i32, (String, i32)> = user_account::Entity::find()
            .filter(
                user_account::Column::Id.is_in(
                    grounds
                        .values()
                        .flat_map(|g| [g.given_by, g.approved_by])
                        .flatten()
                        .collect::<std::collections::BTreeSet<_>>(),
                ),
            )
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, (u.display_name, u.organisation_id)))
            .collect();
        let organisations: HashMap<i32, String> = organisation::Entity::find()
            .select_only()
            .column(organisation::Column::Id)
            .column(organisation::Column::Name)
            .into_tuple::<(i32, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        let name = |id: Option<i32>| {
            id.and_then(|id| people.get(&id))
                .map(|(name, _)| name.clone())
                .unwrap_or_default()
        };
        let jv_name = |id: i32| names.get(&id).cloned().unwrap_or_default();
        let mut rows = Vec::new();
        let mut truncated = overlaps.len() > MAX_ROWS;
        'overlaps: for o in overlaps.iter().take(MAX_ROWS) {
            for (side, from_jv, to_jv) in [
                (1, o.first_joint_venture_id, o.second_joint_venture_id),
                (2, o.second_joint_venture_id, o.first_joint_venture_id),
            ] {
                let reference = frozen
                    .get(&(o.id, side))
                    .map(|f| f.case_reference.clone())
                    .unwrap_or_default();
                if !case.is_empty() && !reference.to_lowercase().contains(&case) {
                    continue;
                }
                if rows.len() == MAX_ROWS {
                    truncated = true;
                    break 'overlaps;
                }
                let given = grounds.get(&(o.id, side));
                let consenter = given.and_then(|g| g.given_by);
                rows.push(ProvisionRow {
                    overlap_id: o.id,
                    disclosed_at: local_moment(o.disclosed_at.as_deref().unwrap_or_default()),
                    from_joint_venture: jv_name(from_jv),
                    // As it was when the grounds were given; older grounds name the
                    // consenting coordinator's organisation now.
                    from_organisation: given
                        .and_then(|g| g.organisation_id)
                        .or_else(|| {
                            consenter
                                .and_then(|id| people.get(&id))
                                .map(|(_, org)| *org)
                        })
                        .and_then(|org| organisations.get(&org))
                        .cloned()
                        .unwrap_or_default(),
                    to_joint_venture: jv_name(to_jv),
                    case_reference: reference,
                    data_kind: o.match_kind.clone(),
                    purpose: given.map(|g| g.purpose.clone()),
                    purpose_label: given
                        .map(|g| {
                            crate::overlaps::grounds::label_in(
                                &labels,
                                crate::overlaps::grounds::PURPOSE,
                                &g.purpose,
                            )
                        })
                        .unwrap_or_default(),
                    purpose_note: given.map(|g| g.purpose_note.clone()).unwrap_or_default(),
                    legal_basis: given.map(|g| g.legal_basis.clone()),
                    legal_basis_label: given
                        .map(|g| {
                            crate::overlaps::grounds::label_in(
                                &labels,
                                crate::overlaps::grounds::LEGAL_BASIS,
                                &g.legal_basis,
                            )
                        })
                        .unwrap_or_default(),
                    consented_by: name(consenter),
                    approved_by: name(given.and_then(|g| g.approved_by)),
                    deletion_requested: frozen
                        .get(&(o.id, side))
                        .and_then(|f| f.deletion_requested_at.as_deref())
                        .map(local_moment),
                    deletion_confirmed: frozen
                        .get(&(o.id, side))
                        .and_then(|f| f.deletion_confirmed_at.as_deref())
                        .map(local_moment),
                });
            }
        }
        crate::server::audit::record_by(
            db,
            user,
            if export {
                "export_provisions"
            } else {
                "view_provisions"
            },
            "provision_register",
            0,
            format!("{} provisions", rows.len()),
        )
        .await?;
        Ok(ProvisionRegister {
            rows,
            truncated,
            joint_ventures: names
                .into_iter()
                .map(|(id, name)| crate::partnerships::types::Named { id, name })
                .collect(),
        })
    }

    /// The register as CSV, one provision per line; cells a spreadsheet would run are inert.
    pub fn register_csv(r: &ProvisionRegister) -> Result<String, AppError> {
        let code = |c: Option<&str>| c.unwrap_or_default().to_owned();
        let moment = |m: Option<&LocalMoment>| {
            m.map(|m| format!("{} {}", m.date, m.time))
                .unwrap_or_default()
        };
        crate::server::csv_file::write(
            &[
                "overlap",
                "disclosed_at",
                "from_joint_venture",
                "from_organisation",
                "to_joint_venture",
                "case_reference",
                "data_kind",
                "purpose",
                "purpose_note",
                "legal_basis",
                "consented_by",
                "approved_by",
                "deletion_requested",
                "deletion_confirmed",
            ],
            r.rows.iter().map(|p| {
                [
                    p.overlap_id.to_string(),
                    format!("{} {}", p.disclosed_at.date, p.disclosed_at.time),
                    p.from_joint_venture.clone(),
                    p.from_organisation.clone(),
                    p.to_joint_venture.clone(),
                    p.case_reference.clone(),
                    p.data_kind.clone(),
                    code(p.purpose.as_deref()),
                    p.purpose_note.clone(),
                    code(p.legal_basis.as_deref()),
                    p.consented_by.clone(),
                    p.approved_by.clone(),
                    moment(p.deletion_requested.as_ref()),
                    moment(p.deletion_confirmed.as_ref()),
                ]
            }),
        )
    }
}
