//! The partnership map: a snapshot of joint ventures, members, themes and regions, and the matrix.

use crate::server::entity::{
    joint_venture, joint_venture_region, joint_venture_theme, membership, organisation, region,
};
use crate::{
    domain::JointVentureStatus, domain::MembershipRole, domain::RegionKind, domain::Theme,
    error::AppError, partnerships::layout, partnerships::mandate, partnerships::mandate::Area,
    partnerships::mandate::Venture, partnerships::types::JointVentureRow,
    partnerships::types::MandateOverlapView, partnerships::types::MapEdge,
    partnerships::types::MapFilter, partnerships::types::MapOrganisation,
    partnerships::types::MapVenture, partnerships::types::MatrixRow, partnerships::types::Named,
    partnerships::types::PartnershipMap, partnerships::types::RegionOption,
};
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};
use std::collections::{BTreeMap, BTreeSet, HashMap};

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

pub(crate) fn area(region: region::Model) -> Area {
    Area {
        kind: region.kind.parse().unwrap_or(RegionKind::Municipality),
        code: region.code,
        name: region.name,
        parent: region.parent_code,
    }
}

#[tracing::instrument(level = "error", skip_all)]
pub async fn snapshot(db: &impl ConnectionTrait) -> Result<Snapshot, AppError> {
    let organisations = organisation::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let ventures = joint_venture::Entity::find()
        .order_by_asc(joint_venture::Column::Name)
        .all(db)
        .await?;
    let mut themes: HashMap<i32, BTreeSet<Theme>> = HashMap::new();
    for row in joint_venture_theme::Entity::find().all(db).await? {
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
        .await?
        .into_iter()
        .map(area)
        .collect();
    let by_code: HashMap<&str, &Area> = regions.iter().map(|a| (a.code.as_str(), a)).collect();
    let mut areas: HashMap<i32, Vec<Area>> = HashMap::new();
    for row in joint_venture_region::Entity::find().all(db).await? {
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
        .await?
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
    pub(crate) fn is_active(&self, venture: &joint_venture::Model) -> bool {
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

    pub(crate) fn themes_of(&self, id: i32) -> Vec<Theme> {
        self.themes
            .get(&id)
            .map(|t| t.iter().copied().collect())
            .unwrap_or_default()
    }

    pub(crate) fn areas_of(&self, id: i32) -> &[Area] {
        self.areas.get(&id).map(Vec::as_slice).unwrap_or_default()
    }

    pub(crate) fn organisation_name(&self, id: i32) -> String {
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
    /// right column and the table below it.
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
