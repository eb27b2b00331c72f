//! The partnership map's data: organisations, joint ventures with their themes, regions and
//! members, read in a handful of queries and shaped in Rust (hundreds of rows, not millions).

use super::entity::{
    coordinator, joint_venture, joint_venture_region, joint_venture_theme, mandate_overlap_review,
    membership, organisation, oversight, region, user_account,
};
use crate::{
    domain::{JointVentureStatus, MembershipRole, RegionKind, Theme},
    error::AppError,
    partnerships::{
        Contact, JointVentureDetail, JointVentureRow, MandateOverlapView, MapEdge, MapFilter,
        MapOrganisation, MapVenture, MatrixRow, MemberRow, Named, PartnershipMap, RegionOption,
        layout,
        mandate::{self, Area, Venture},
    },
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{BTreeMap, BTreeSet, HashMap};

fn unexpected(err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "reading the partnerships failed");
    AppError::Unavailable
}

/// Everything the map, the matrix, the list and the flags are made of.
pub struct Snapshot {
    pub organisations: BTreeMap<i32, organisation::Model>,
    pub ventures: Vec<joint_venture::Model>,
    pub themes: HashMap<i32, BTreeSet<Theme>>,
    pub areas: HashMap<i32, Vec<Area>>,
    pub memberships: HashMap<i32, Vec<membership::Model>>,
    pub regions: Vec<Area>,
    pub today: chrono::NaiveDate,
}

fn area(region: region::Model) -> Area {
    Area {
        kind: region.kind.parse().unwrap_or(RegionKind::Municipality),
        code: region.code,
        name: region.name,
        parent: region.parent_code,
    }
}

pub async fn snapshot(db: &impl ConnectionTrait) -> Result<Snapshot, AppError> {
    let organisations = organisation::Entity::find()
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let ventures = joint_venture::Entity::find()
        .order_by_asc(joint_venture::Column::Name)
        .all(db)
        .await
        .map_err(unexpected)?;
    let mut themes: HashMap<i32, BTreeSet<Theme>> = HashMap::new();
    for row in joint_venture_theme::Entity::find()
        .all(db)
        .await
        .map_err(unexpected)?
    {
        if let Ok(theme) = row.theme.parse() {
            themes
                .entry(row.joint_venture_id)
                .or_default()
                .insert(theme);
        }
    }
    let regions: Vec<Area> = region::Entity::find()
        .order_by_asc(region::Column::Code)
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(area)
        .collect();
    let by_code: HashMap<&str, &Area> = regions.iter().map(|a| (a.code.as_str(), a)).collect();
    let mut areas: HashMap<i32, Vec<Area>> = HashMap::new();
    for row in joint_venture_region::Entity::find()
        .all(db)
        .await
        .map_err(unexpected)?
    {
        if let Some(found) = by_code.get(row.region_code.as_str()) {
            areas
                .entry(row.joint_venture_id)
                .or_default()
                .push((*found).clone());
        }
    }
    let mut memberships: HashMap<i32, Vec<membership::Model>> = HashMap::new();
    for row in membership::Entity::find()
        .order_by_asc(membership::Column::Since)
        .all(db)
        .await
        .map_err(unexpected)?
    {
        memberships
            .entry(row.joint_venture_id)
            .or_default()
            .push(row);
    }
    Ok(Snapshot {
        organisations,
        ventures,
        themes,
        areas,
        memberships,
        regions,
        today: chrono::Utc::now().date_naive(),
    })
}

impl Snapshot {
    fn is_active(&self, venture: &joint_venture::Model) -> bool {
        venture.status == JointVentureStatus::Active.as_str()
            && venture.end_date.is_none_or(|end| end >= self.today)
    }

    fn current_members(&self, id: i32) -> impl Iterator<Item = &membership::Model> {
        let today = self.today;
        self.memberships
            .get(&id)
            .into_iter()
            .flatten()
            .filter(move |m| m.since <= today && m.until.is_none_or(|until| until >= today))
    }

    fn themes_of(&self, id: i32) -> Vec<Theme> {
        self.themes
            .get(&id)
            .map(|t| t.iter().copied().collect())
            .unwrap_or_default()
    }

    fn areas_of(&self, id: i32) -> &[Area] {
        self.areas.get(&id).map(Vec::as_slice).unwrap_or_default()
    }

    fn organisation_name(&self, id: i32) -> String {
        self.organisations
            .get(&id)
            .map(|o| o.name.clone())
            .unwrap_or_default()
    }

    fn venture_name(&self, id: i32) -> String {
        self.ventures
            .iter()
            .find(|v| v.id == id)
            .map(|v| v.name.clone())
            .unwrap_or_default()
    }

    /// The mandate-overlap flags that no manager has marked as intended.
    pub fn open_mandate_overlaps(
        &self,
        reviewed: &BTreeSet<(i32, i32)>,
    ) -> Vec<MandateOverlapView> {
        let facts: Vec<Venture> = self
            .ventures
            .iter()
            .map(|v| Venture {
                id: v.id,
                active: self.is_active(v),
                themes: self.themes.get(&v.id).cloned().unwrap_or_default(),
                areas: self.areas_of(v.id).to_vec(),
                members: self
                    .current_members(v.id)
                    .map(|m| m.organisation_id)
                    .collect(),
            })
            .collect();
        mandate::mandate_overlaps(&facts)
            .into_iter()
            .filter(|o| !reviewed.contains(&(o.first, o.second)))
            .map(|o| MandateOverlapView {
                first: Named {
                    id: o.first,
                    name: self.venture_name(o.first),
                },
                second: Named {
                    id: o.second,
                    name: self.venture_name(o.second),
                },
                themes: o.themes,
                areas: o.areas,
                shared_members: o
                    .shared_members
                    .iter()
                    .map(|id| self.organisation_name(*id))
                    .collect(),
            })
            .collect()
    }

    /// Active joint ventures that pass the filter, by first theme and then name: the map's
    /// right column and the table beside it.
    fn shown(&self, filter: &MapFilter) -> Vec<&joint_venture::Model> {
        let theme = filter.theme.parse::<Theme>().ok();
        let region = self.regions.iter().find(|a| a.code == filter.region);
        let organisation = filter.organisation.parse::<i32>().ok();
        let mut shown: Vec<&joint_venture::Model> = self
            .ventures
            .iter()
            .filter(|v| self.is_active(v))
            .filter(|v| {
                theme.is_none_or(|t| self.themes.get(&v.id).is_some_and(|ts| ts.contains(&t)))
            })
            .filter(|v| region.is_none_or(|r| self.areas_of(v.id).iter().any(|a| a.overlaps(r))))
            .filter(|v| {
                organisation
                    .is_none_or(|o| self.current_members(v.id).any(|m| m.organisation_id == o))
            })
            .collect();
        shown.sort_by_key(|v| (self.themes_of(v.id).first().copied(), v.name.clone()));
        shown
    }

    pub fn map(&self, filter: &MapFilter, reviewed: &BTreeSet<(i32, i32)>) -> PartnershipMap {
        let shown = self.shown(filter);
        let mut organisation_ids: BTreeSet<(String, i32)> = BTreeSet::new();
        for venture in &shown {
            for member in self.current_members(venture.id) {
                organisation_ids.insert((
                    self.organisation_name(member.organisation_id),
                    member.organisation_id,
                ));
            }
        }
        let left: Vec<i32> = organisation_ids.into_iter().map(|(_, id)| id).collect();
        let left_index: HashMap<i32, usize> =
            left.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let mut edges = Vec::new();
        let mut edge_roles = Vec::new();
        for (r, venture) in shown.iter().enumerate() {
            for member in self.current_members(venture.id) {
                if let Some(&l) = left_index.get(&member.organisation_id) {
                    edges.push((l, r));
                    edge_roles.push(member.role.parse().unwrap_or(MembershipRole::Member));
                }
            }
        }
        let placement = layout::place(left.len(), shown.len(), &edges);
        let organisations = left
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let org = self.organisations.get(id);
                MapOrganisation {
                    id: *id,
                    name: org.map(|o| o.name.clone()).unwrap_or_default(),
                    short_name: org.map(|o| o.short_name.clone()).unwrap_or_default(),
                    y: placement.left_y[i],
                }
            })
            .collect();
        let joint_ventures = shown
            .iter()
            .enumerate()
            .map(|(i, v)| MapVenture {
                id: v.id,
                name: v.name.clone(),
                themes: self.themes_of(v.id),
                regions: self.areas_of(v.id).iter().map(|a| a.name.clone()).collect(),
                members: self
                    .current_members(v.id)
                    .map(|m| {
                        (
                            self.organisation_name(m.organisation_id),
                            m.role.parse().unwrap_or(MembershipRole::Member),
                        )
                    })
                    .collect(),
                y: placement.right_y[i],
            })
            .collect::<Vec<_>>();
        let edges = edges
            .iter()
            .zip(edge_roles)
            .map(|(&(l, r), role)| MapEdge {
                organisation_id: left[l],
                joint_venture_id: shown[r].id,
                from_y: placement.left_y[l],
                to_y: placement.right_y[r],
                theme: self
                    .themes_of(shown[r].id)
                    .first()
                    .copied()
                    .unwrap_or(Theme::Smuggling),
                role,
            })
            .collect();
        PartnershipMap {
            organisations,
            joint_ventures,
            edges,
            height: placement.height,
            matrix: self.matrix(),
            overlaps: self.open_mandate_overlaps(reviewed),
            regions: self
                .regions
                .iter()
                .map(|a| RegionOption {
                    code: a.code.clone(),
                    name: a.name.clone(),
                })
                .collect(),
            all_organisations: self
                .organisations
                .values()
                .map(|o| Named {
                    id: o.id,
                    name: o.name.clone(),
                })
                .collect(),
        }
    }

    /// Themes × regions (national, then each province with its municipalities): which
    /// active joint ventures work where.
    fn matrix(&self) -> Vec<MatrixRow> {
        self.regions
            .iter()
            .filter(|a| a.kind != RegionKind::Municipality)
            .map(|region| {
                let cells = Theme::ALL
                    .iter()
                    .map(|theme| {
                        self.ventures
                            .iter()
                            .filter(|v| self.is_active(v))
                            .filter(|v| self.themes.get(&v.id).is_some_and(|t| t.contains(theme)))
                            .filter(|v| {
                                self.areas_of(v.id).iter().any(|a| match region.kind {
                                    RegionKind::National => a.kind == RegionKind::National,
                                    _ => {
                                        a.code == region.code
                                            || a.parent.as_deref() == Some(region.code.as_str())
                                    }
                                })
                            })
                            .map(|v| Named {
                                id: v.id,
                                name: v.name.clone(),
                            })
                            .collect()
                    })
                    .collect();
                MatrixRow {
                    region: region.name.clone(),
                    national: region.kind == RegionKind::National,
                    cells,
                }
            })
            .collect()
    }

    pub fn list(&self) -> Vec<JointVentureRow> {
        self.ventures
            .iter()
            .map(|v| JointVentureRow {
                id: v.id,
                name: v.name.clone(),
                themes: self.themes_of(v.id),
                regions: self.areas_of(v.id).iter().map(|a| a.name.clone()).collect(),
                members: self.current_members(v.id).count(),
                active: self.is_active(v),
            })
            .collect()
    }
}

pub async fn reviewed_pairs(db: &impl ConnectionTrait) -> Result<BTreeSet<(i32, i32)>, AppError> {
    Ok(mandate_overlap_review::Entity::find()
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|r| (r.first_joint_venture_id, r.second_joint_venture_id))
        .collect())
}

/// The coordinators (user ids) of a joint venture.
pub async fn coordinators_of(
    db: &impl ConnectionTrait,
    joint_venture_id: i32,
) -> Result<Vec<i32>, AppError> {
    Ok(coordinator::Entity::find()
        .filter(coordinator::Column::JointVentureId.eq(joint_venture_id))
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|c| c.user_id)
        .collect())
}

/// The active coordinators of a joint venture with their organisation and e-mail address: who
/// to get in touch with (the joint venture's page, and the other side of an overlap).
pub async fn coordinator_contacts(
    db: &impl ConnectionTrait,
    joint_venture_id: i32,
) -> Result<Vec<Contact>, AppError> {
    let users = user_account::Entity::find()
        .filter(user_account::Column::Id.is_in(coordinators_of(db, joint_venture_id).await?))
        .filter(user_account::Column::Active.eq(true))
        .order_by_asc(user_account::Column::DisplayName)
        .all(db)
        .await
        .map_err(unexpected)?;
    let organisations: std::collections::BTreeMap<i32, String> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(users.iter().map(|u| u.organisation_id)))
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    Ok(users
        .into_iter()
        .map(|u| Contact {
            organisation: organisations
                .get(&u.organisation_id)
                .cloned()
                .unwrap_or_default(),
            name: u.display_name,
            email: u.email,
        })
        .collect())
}

/// The managers (user ids) overseeing a joint venture.
pub async fn overseers_of(
    db: &impl ConnectionTrait,
    joint_venture_id: i32,
) -> Result<Vec<i32>, AppError> {
    Ok(oversight::Entity::find()
        .filter(oversight::Column::JointVentureId.eq(joint_venture_id))
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|o| o.user_id)
        .collect())
}

/// The joint ventures a user coordinates and oversees.
pub async fn assignments_of(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<(Vec<i32>, Vec<i32>), AppError> {
    let coordinates = coordinator::Entity::find()
        .filter(coordinator::Column::UserId.eq(user_id))
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|c| c.joint_venture_id)
        .collect();
    let oversees = oversight::Entity::find()
        .filter(oversight::Column::UserId.eq(user_id))
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|o| o.joint_venture_id)
        .collect();
    Ok((coordinates, oversees))
}

pub async fn detail(
    db: &impl ConnectionTrait,
    id: i32,
    with_contacts: bool,
) -> Result<JointVentureDetail, AppError> {
    let snapshot = snapshot(db).await?;
    let Some(venture) = snapshot.ventures.iter().find(|v| v.id == id) else {
        return Err(AppError::invalid(
            "id",
            crate::i18n::td_string!(crate::language::request_locale(), err_no_such_joint_venture),
        ));
    };
    let contacts = if with_contacts {
        Some(coordinator_contacts(db, id).await?)
    } else {
        None
    };
    let reviewed = reviewed_pairs(db).await?;
    let overlaps = snapshot
        .open_mandate_overlaps(&reviewed)
        .into_iter()
        .filter(|o| o.first.id == id || o.second.id == id)
        .collect();
    Ok(JointVentureDetail {
        id,
        name: venture.name.clone(),
        mandate: venture.mandate.clone(),
        legal_basis: venture.legal_basis.clone(),
        start: venture.start_date.to_string(),
        end: venture.end_date.map(|d| d.to_string()),
        active: snapshot.is_active(venture),
        themes: snapshot.themes_of(id),
        regions: snapshot
            .areas_of(id)
            .iter()
            .map(|a| a.name.clone())
            .collect(),
        members: snapshot
            .memberships
            .get(&id)
            .into_iter()
            .flatten()
            .map(|m| MemberRow {
                organisation: snapshot.organisation_name(m.organisation_id),
                role: m.role.parse().unwrap_or(MembershipRole::Member),
                since: m.since.to_string(),
                until: m.until.map(|d| d.to_string()),
            })
            .collect(),
        coordinators: contacts,
        overlaps,
        may_review: false,
        you_coordinate: false,
        may_manage: false,
    })
}

/// Marks a flagged pair as intended, with the manager's justification, audited in the same
/// transaction. Refuses a pair that is not (or no longer) flagged.
pub async fn mark_intended(
    db: &sea_orm::DatabaseConnection,
    manager: &crate::auth::SignedInUser,
    first: i32,
    second: i32,
    justification: &str,
) -> Result<(), AppError> {
    use super::audit::{self, Actor, Event, Outcome};
    use crate::{i18n::*, language::request_locale};
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, TransactionTrait};
    let (first, second) = (first.min(second), first.max(second));
    let justification = justification.trim();
    if justification.chars().count() < 10 {
        return Err(AppError::invalid(
            "justification",
            td_string!(request_locale(), err_justification),
        ));
    }
    let snapshot = snapshot(db).await?;
    let reviewed = reviewed_pairs(db).await?;
    let flagged = snapshot
        .open_mandate_overlaps(&reviewed)
        .into_iter()
        .any(|o| (o.first.id, o.second.id) == (first, second));
    if !flagged {
        return Err(AppError::Refused(
            td_string!(request_locale(), err_not_flagged).to_owned(),
        ));
    }
    let txn = db.begin().await.map_err(unexpected)?;
    mandate_overlap_review::ActiveModel {
        first_joint_venture_id: Set(first),
        second_joint_venture_id: Set(second),
        justification: Set(justification.to_owned()),
        decided_by: Set(manager.id),
        decided_at: Set(super::utc_text(chrono::Utc::now())),
        ..Default::default()
    }
    .insert(&txn)
    .await
    // Two managers marking the same pair at once: the unique pair index decides.
    .map_err(|err| match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            AppError::Refused(td_string!(request_locale(), err_not_flagged).to_owned())
        }
        _ => unexpected(err),
    })?;
    audit::record(
        &txn,
        Event {
            actor: Actor::from(manager),
            action: "mark_mandate_overlap_intended",
            object_type: "joint_venture_pair",
            object_id: format!("{first}-{second}"),
            outcome: Outcome::Success,
            client_address: super::auth::client_address(),
            detail: justification.to_owned(),
        },
    )
    .await
    .map_err(unexpected)?;
    txn.commit().await.map_err(unexpected)
}
