//! The mandate-overlap rule (DESIGN.md, "Flag"): two active joint ventures that share a theme,
//! work in overlapping regions and have at least [`MIN_SHARED_MEMBERS`] member organisations in
//! common probably duplicate each other's mandate unless someone decided it that way on purpose.

use crate::domain::{RegionKind, Theme};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

pub const MIN_SHARED_MEMBERS: usize = 2;

/// A region as the rule needs it: national covers everything, a province covers its
/// municipalities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Area {
    pub code: String,
    pub name: String,
    pub kind: RegionKind,
    pub parent: Option<String>,
}

impl Area {
    pub fn overlaps(&self, other: &Area) -> bool {
        self.kind == RegionKind::National
            || other.kind == RegionKind::National
            || self.code == other.code
            || self.parent.as_deref() == Some(other.code.as_str())
            || other.parent.as_deref() == Some(self.code.as_str())
    }
}

/// What the rule looks at of one joint venture. `members` are the organisations that are
/// members today (leavers do not count).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Venture {
    pub id: i32,
    pub active: bool,
    pub themes: BTreeSet<Theme>,
    pub areas: Vec<Area>,
    pub members: BTreeSet<i32>,
}

/// A flagged pair, `first < second`, with the reasons spelled out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MandateOverlap {
    pub first: i32,
    pub second: i32,
    pub themes: Vec<Theme>,
    /// Each overlapping pair of areas, by name: ("Noord-Holland", "Amsterdam").
    pub areas: Vec<(String, String)>,
    pub shared_members: Vec<i32>,
}

/// Every flagged pair among `ventures`, ordered by the pair's ids.
pub fn mandate_overlaps(ventures: &[Venture]) -> Vec<MandateOverlap> {
    let mut active: Vec<&Venture> = ventures.iter().filter(|v| v.active).collect();
    active.sort_by_key(|v| v.id);
    let mut found = Vec::new();
    for (i, a) in active.iter().enumerate() {
        for b in &active[i + 1..] {
            if let Some(overlap) = pair(a, b) {
                found.push(overlap);
            }
        }
    }
    found
}

fn pair(a: &Venture, b: &Venture) -> Option<MandateOverlap> {
    let themes: Vec<Theme> = a.themes.intersection(&b.themes).copied().collect();
    if themes.is_empty() {
        return None;
    }
    let shared_members: Vec<i32> = a.members.intersection(&b.members).copied().collect();
    if shared_members.len() < MIN_SHARED_MEMBERS {
        return None;
    }
    let areas: Vec<(String, String)> = a
        .areas
        .iter()
        .flat_map(|x| {
            b.areas
                .iter()
                .filter(|y| x.overlaps(y))
                .map(|y| (x.name.clone(), y.name.clone()))
        })
        .collect();
    if areas.is_empty() {
        return None;
    }
    Some(MandateOverlap {
        first: a.id,
        second: b.id,
        themes,
        areas,
        shared_members,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use RegionKind::*;
    use Theme::*;

    fn area(code: &str, kind: RegionKind, parent: Option<&str>) -> Area {
        Area {
            code: code.into(),
            name: code.into(),
            kind,
            parent: parent.map(Into::into),
        }
    }

    fn nl() -> Area {
        area("NL", National, None)
    }
    fn noord_holland() -> Area {
        area("PV27", Province, Some("NL"))
    }
    fn amsterdam() -> Area {
        area("GM0363", Municipality, Some("PV27"))
    }
    fn rotterdam() -> Area {
        area("GM0599", Municipality, Some("PV28"))
    }
    fn zuid_holland() -> Area {
        area("PV28", Province, Some("NL"))
    }

    fn venture(id: i32, themes: &[Theme], areas: Vec<Area>, members: &[i32]) -> Venture {
        Venture {
            id,
            active: true,
            themes: themes.iter().copied().collect(),
            areas,
            members: members.iter().copied().collect(),
        }
    }

    #[test]
    fn a_shared_theme_overlapping_regions_and_two_shared_members_are_flagged_with_reasons() {
        let found = mandate_overlaps(&[
            venture(2, &[Trafficking], vec![amsterdam()], &[1, 2, 3]),
            venture(
                1,
                &[Trafficking, Smuggling],
                vec![noord_holland()],
                &[2, 3, 9],
            ),
        ]);
        assert_eq!(
            found,
            vec![MandateOverlap {
                first: 1,
                second: 2,
                themes: vec![Trafficking],
                areas: vec![("PV27".into(), "GM0363".into())],
                shared_members: vec![2, 3],
            }]
        );
    }

    #[test]
    fn a_shared_theme_without_overlapping_regions_is_not_flagged() {
        let found = mandate_overlaps(&[
            venture(1, &[Trafficking], vec![amsterdam()], &[1, 2]),
            venture(
                2,
                &[Trafficking],
                vec![rotterdam(), zuid_holland()],
                &[1, 2],
            ),
        ]);
        assert_eq!(found, vec![]);
    }

    #[test]
    fn overlapping_regions_without_a_shared_theme_are_not_flagged() {
        let found = mandate_overlaps(&[
            venture(1, &[Terrorism], vec![nl()], &[1, 2]),
            venture(2, &[Trafficking], vec![amsterdam()], &[1, 2]),
        ]);
        assert_eq!(found, vec![]);
    }

    #[test]
    fn one_shared_member_is_not_enough() {
        let found = mandate_overlaps(&[
            venture(1, &[Smuggling], vec![nl()], &[1, 2]),
            venture(2, &[Smuggling], vec![amsterdam()], &[2, 3]),
        ]);
        assert_eq!(found, vec![]);
    }

    #[test]
    fn an_ended_joint_venture_is_never_flagged() {
        let mut ended = venture(2, &[Smuggling], vec![nl()], &[1, 2]);
        ended.active = false;
        let found = mandate_overlaps(&[venture(1, &[Smuggling], vec![nl()], &[1, 2]), ended]);
        assert_eq!(found, vec![]);
    }

    #[test]
    fn national_covers_every_region_and_a_province_its_municipalities_only() {
        assert!(nl().overlaps(&rotterdam()));
        assert!(noord_holland().overlaps(&amsterdam()));
        assert!(amsterdam().overlaps(&noord_holland()));
        assert!(!noord_holland().overlaps(&rotterdam()));
        assert!(!amsterdam().overlaps(&rotterdam()));
        assert!(!noord_holland().overlaps(&zuid_holland()));
    }
}
