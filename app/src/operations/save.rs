//! A case's operations: the checks, saving, removing, and the calendar.

use crate::overlaps::candidates::Matching;
use crate::server::caller::Caller;
use crate::{
    cases::store::record, server::entity::case, server::entity::operation, server::entity::region,
};
use crate::{
    domain::OperationKind, domain::RegionKind, error::AppError, i18n::*, language::request_locale,
    operations::types::OperationCalendar, operations::types::OperationInput,
    operations::types::OperationRow, partnerships::types::RegionOption,
};
use chrono::{Duration, NaiveDateTime};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder,
};
use std::collections::BTreeMap;

/// The longest window an operation may span.
pub(crate) const MAX_WINDOW_DAYS: i64 = 14;

/// An operation form that passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidOperation {
    pub kind: OperationKind,
    pub place: String,
    pub region_code: Option<String>,
    pub latitude: f64,
    pub longitude: f64,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub note: String,
}

/// `52.3731, 4.8922` or `52.3731 4.8922`: latitude then longitude, decimal degrees.
pub fn parse_coordinates(input: &str) -> Option<(f64, f64)> {
    let parts: Vec<&str> = input
        .split([',', ';', ' '])
        .filter(|p| !p.is_empty())
        .collect();
    let [lat, lon] = parts.as_slice() else {
        return None;
    };
    let (lat, lon) = (lat.parse::<f64>().ok()?, lon.parse::<f64>().ok()?);
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
}

pub use crate::domain::dates::parse_local_time;

/// Checks an operation form; `places` are the regions with a known point.
pub fn parse(input: &OperationInput, places: &[region::Model]) -> Result<ValidOperation, AppError> {
    let locale = request_locale();
    let kind = input
        .kind
        .parse()
        .map_err(|_| AppError::invalid("kind", td_string!(locale, err_choose_from_list)))?;
    let starts_at = parse_local_time(&input.starts_at)
        .ok_or_else(|| AppError::invalid("starts_at", td_string!(locale, err_operation_time)))?;
    let ends_at = parse_local_time(&input.ends_at)
        .ok_or_else(|| AppError::invalid("ends_at", td_string!(locale, err_operation_time)))?;
    if ends_at <= starts_at {
        return Err(AppError::invalid(
            "ends_at",
            td_string!(locale, err_operation_ends_before),
        ));
    }
    if ends_at - starts_at > Duration::days(MAX_WINDOW_DAYS) {
        return Err(AppError::invalid(
            "ends_at",
            td_string!(locale, err_operation_too_long),
        ));
    }
    let place = input.place.trim().to_owned();
    let note = input.note.trim().to_owned();
    if place.chars().count() > 200 {
        return Err(AppError::invalid("place", td_string!(locale, err_too_long)));
    }
    if note.chars().count() > 1000 {
        return Err(AppError::invalid("note", td_string!(locale, err_too_long)));
    }
    let municipality = match input.municipality.trim() {
        "" => None,
        code => Some(places.iter().find(|r| r.code == code).ok_or_else(|| {
            AppError::invalid("municipality", td_string!(locale, err_choose_from_list))
        })?),
    };
    let (latitude, longitude) = match input.coordinates.trim() {
        "" => match municipality.and_then(|m| m.latitude.zip(m.longitude)) {
            Some(point) => point,
            None => {
                return Err(AppError::invalid(
                    "municipality",
                    td_string!(locale, err_operation_no_place),
                ));
            }
        },
        typed => parse_coordinates(typed).ok_or_else(|| {
            AppError::invalid("coordinates", td_string!(locale, err_operation_coordinates))
        })?,
    };
    Ok(ValidOperation {
        kind,
        place,
        region_code: municipality.map(|m| m.code.clone()),
        latitude,
        longitude,
        starts_at,
        ends_at,
        note,
    })
}

/// The municipalities an operation can be placed in (those with a known point).
#[tracing::instrument(level = "error", skip_all)]
pub async fn places(db: &impl ConnectionTrait) -> Result<Vec<region::Model>, AppError> {
    region::Entity::find()
        .filter(region::Column::Kind.eq(RegionKind::Municipality.as_str()))
        .filter(region::Column::Latitude.is_not_null())
        .order_by_asc(region::Column::Name)
        .all(db)
        .await
        .map_err(AppError::from)
}

pub fn place_options(places: &[region::Model]) -> Vec<RegionOption> {
    places
        .iter()
        .map(|r| RegionOption {
            code: r.code.clone(),
            name: r.name.clone(),
        })
        .collect()
}

pub(crate) fn to_row(
    o: operation::Model,
    reference: &str,
    places: &[region::Model],
) -> OperationRow {
    OperationRow {
        id: o.id,
        case_id: o.case_id,
        case_reference: reference.to_owned(),
        kind: o.kind.parse().unwrap_or(OperationKind::Other),
        place: o.place,
        municipality: o
            .region_code
            .and_then(|code| {
                places
                    .iter()
                    .find(|r| r.code == code)
                    .map(|r| r.name.clone())
            })
            .unwrap_or_default(),
        latitude: o.latitude,
        longitude: o.longitude,
        starts_at: crate::server::time::wall_clock(o.starts_at),
        ends_at: crate::server::time::wall_clock(o.ends_at),
        note: o.note,
    }
}

/// A case's operations, earliest first.
#[tracing::instrument(level = "error", skip_all)]
pub async fn list(
    db: &DatabaseConnection,
    case: &case::Model,
    places: &[region::Model],
) -> Result<Vec<OperationRow>, AppError> {
    Ok(operation::Entity::find()
        .filter(operation::Column::CaseId.eq(case.id))
        .order_by_asc(operation::Column::StartsAt)
        .all(db)
        .await?
        .into_iter()
        .map(|o| to_row(o, &case.reference, places))
        .collect())
}

/// A new operation row; `created_by` is a user id.
pub fn new_row(
    valid: ValidOperation,
    case_id: i32,
    created_by: i32,
    now: &str,
) -> operation::ActiveModel {
    operation::ActiveModel {
        case_id: Set(case_id),
        kind: Set(valid.kind.as_str().to_owned()),
        place: Set(valid.place),
        region_code: Set(valid.region_code),
        latitude: Set(valid.latitude),
        longitude: Set(valid.longitude),
        starts_at: Set(valid.starts_at),
        ends_at: Set(valid.ends_at),
        note: Set(valid.note),
        created_at: Set(now.to_owned()),
        created_by: Set(created_by),
        ..Default::default()
    }
}

#[tracing::instrument(level = "error", skip_all)]
pub async fn add(
    db: &DatabaseConnection,
    user: &Caller,
    matching: &Matching,
    case: &case::Model,
    input: &OperationInput,
) -> Result<(), AppError> {
    let valid = parse(input, &places(db).await?)?;
    let kind = valid.kind;
    let txn = crate::server::begin_matching(db).await?;
    let saved = new_row(
        valid,
        case.id,
        user.id,
        &crate::server::utc_text(chrono::Utc::now()),
    )
    .insert(&txn)
    .await?;
    crate::overlaps::conflicts::on_operation_saved(&txn, matching, &saved, case.joint_venture_id)
        .await?;
    record(
        &txn,
        user,
        "add_operation",
        case.id,
        format!("{} operation {}", kind.as_str(), saved.id),
    )
    .await?;
    txn.commit().await.map_err(AppError::from)
}

#[tracing::instrument(level = "error", skip_all)]
pub async fn remove(
    db: &DatabaseConnection,
    user: &Caller,
    case: &case::Model,
    operation_id: i32,
) -> Result<(), AppError> {
    crate::cases::store::remove_from::<operation::Entity>(
        db,
        user,
        case,
        (operation::Column::Id, operation::Column::CaseId),
        operation_id,
        crate::domain::OverlapKind::Operation,
        AppError::invalid(
            "operation_id",
            td_string!(user.locale, err_no_such_operation),
        ),
    )
    .await
}

pub(crate) const CALENDAR_DAYS: u32 = 28;

/// The operations of every joint venture `user` coordinates that overlap the four weeks from
/// `from` (today when empty or unreadable), by day of their start.
#[tracing::instrument(level = "error", skip_all)]
pub async fn calendar(
    db: &DatabaseConnection,
    user: &Caller,
    from: &str,
) -> Result<OperationCalendar, AppError> {
    let today = crate::server::time::today();
    let from = crate::domain::dates::parse_day(from).unwrap_or(today);
    let start = from.and_hms_opt(0, 0, 0).unwrap_or_default();
    let end = start + Duration::days(i64::from(CALENDAR_DAYS));
    let cases: BTreeMap<i32, String> = case::Entity::find()
        .filter(case::Column::JointVentureId.is_in(user.coordinates.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.reference))
        .collect();
    let places = places(db).await?;
    let mut by_day: BTreeMap<String, Vec<OperationRow>> = BTreeMap::new();
    let found = operation::Entity::find()
        .filter(operation::Column::CaseId.is_in(cases.keys().copied()))
        .filter(operation::Column::StartsAt.lt(end))
        .filter(operation::Column::EndsAt.gt(start))
        .order_by_asc(operation::Column::StartsAt)
        .all(db)
        .await?;
    for o in found {
        let day = o.starts_at.date().max(from).format("%Y-%m-%d").to_string();
        let reference = cases.get(&o.case_id).cloned().unwrap_or_default();
        by_day
            .entry(day)
            .or_default()
            .push(to_row(o, &reference, &places));
    }
    let step = Duration::days(i64::from(CALENDAR_DAYS));
    Ok(OperationCalendar {
        from: from.to_string(),
        days: CALENDAR_DAYS,
        previous: (from - step).to_string(),
        next: (from + step).to_string(),
        by_day: by_day.into_iter().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_are_latitude_then_longitude_in_range() {
        assert_eq!(
            parse_coordinates("52.3731, 4.8922"),
            Some((52.3731, 4.8922))
        );
        assert_eq!(parse_coordinates("52.3731 4.8922"), Some((52.3731, 4.8922)));
        assert_eq!(parse_coordinates("91, 4"), None);
        assert_eq!(parse_coordinates("52.37"), None);
        assert_eq!(parse_coordinates("Damrak"), None);
    }

    #[test]
    fn local_times_come_from_datetime_fields() {
        assert!(parse_local_time("2026-12-03T06:00").is_some());
        assert!(parse_local_time("2026-12-03 06:00").is_some());
        assert!(parse_local_time("03-12-2026 06:00").is_none());
    }

    fn amsterdam() -> region::Model {
        region::Model {
            code: "GM0363".into(),
            name: "Amsterdam".into(),
            kind: "municipality".into(),
            parent_code: Some("PV27".into()),
            latitude: Some(52.3728),
            longitude: Some(4.8936),
        }
    }

    fn input(fields: &[(&str, &str)]) -> OperationInput {
        let mut input = OperationInput {
            kind: "search".into(),
            starts_at: "2026-12-03T06:00".into(),
            ends_at: "2026-12-03T09:00".into(),
            ..Default::default()
        };
        for (field, value) in fields {
            let slot = match *field {
                "kind" => &mut input.kind,
                "municipality" => &mut input.municipality,
                "coordinates" => &mut input.coordinates,
                "starts_at" => &mut input.starts_at,
                _ => &mut input.ends_at,
            };
            *slot = (*value).to_owned();
        }
        input
    }

    #[test]
    fn a_municipality_gives_its_point_and_coordinates_win() {
        let places = [amsterdam()];
        let by_place = parse(&input(&[("municipality", "GM0363")]), &places).expect("valid");
        assert_eq!((by_place.latitude, by_place.longitude), (52.3728, 4.8936));
        let exact = parse(
            &input(&[("municipality", "GM0363"), ("coordinates", "52.37, 4.90")]),
            &places,
        )
        .expect("valid");
        assert_eq!((exact.latitude, exact.longitude), (52.37, 4.90));
    }

    #[test]
    fn each_bad_field_is_named() {
        let places = [amsterdam()];
        let field = |given: OperationInput| match parse(&given, &places) {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(input(&[])), "municipality", "no place at all");
        assert_eq!(
            field(input(&[("kind", "party"), ("municipality", "GM0363")])),
            "kind"
        );
        assert_eq!(field(input(&[("municipality", "GM9999")])), "municipality");
        assert_eq!(field(input(&[("coordinates", "200, 5")])), "coordinates");
        assert_eq!(
            field(input(&[
                ("municipality", "GM0363"),
                ("ends_at", "2026-12-03T05:00")
            ])),
            "ends_at"
        );
        assert_eq!(
            field(input(&[
                ("municipality", "GM0363"),
                ("ends_at", "2026-12-30T05:00")
            ])),
            "ends_at",
            "longer than two weeks"
        );
        assert_eq!(
            field(input(&[("municipality", "GM0363"), ("starts_at", "soon")])),
            "starts_at"
        );
    }
}
