//! How common a person's values are among the stored persons: the term frequencies the person
//! model weighs an equal name, full name, date of birth or nationality by. Counted on the
//! subject table's indexes, in one statement a save; a common value (thousands of rows to
//! count) is kept for ten minutes, since a few more or less hardly move its weight, and a rare
//! one is counted afresh at every save. Every common value is counted at start-up and every
//! [`REFRESH`] in the background ([`refresh`]), so a save seldom counts one itself.

use crate::overlaps::candidates::Matching;
use crate::overlaps::model::Counts;
use crate::{domain::SubjectKind, error::AppError, server::entity::subject};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Values held by at least this many persons are kept.
const CACHED_FROM: u64 = 50;
const KEEP: Duration = Duration::from_secs(600);
/// How often the background job counts every common value ([`refresh`]): within [`KEEP`].
pub const REFRESH: Duration = Duration::from_secs(540);
/// The number of persons is kept as long, the subjects saved since added to it.
const PERSONS_KEEP: Duration = KEEP;
/// Beyond this many values kept, the cache starts again.
const MAX_CACHED: usize = 100_000;

#[derive(Debug, Default)]
pub struct FrequencyCache {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// When counted, how many, and the id of the subject then saved.
    persons: Option<(Instant, u64, i32)>,
    /// Each value: when counted, how many, and how many persons there were then.
    values: HashMap<(u8, String), (Instant, u64, u64)>,
}

impl FrequencyCache {
    /// A value's count, while it is young and the persons have not grown by a tenth since
    /// (a bulk load would otherwise leave a common value counted at a fraction of its due).
    fn get(&self, key: &(u8, String), persons: u64) -> Option<u64> {
        let inner = self.inner.lock().ok()?;
        let (at, count, then) = inner.values.get(key)?;
        (at.elapsed() < KEEP && persons.saturating_mul(10) <= then.saturating_mul(11))
            .then_some(*count)
    }

    fn put(&self, key: (u8, String), count: u64, persons: u64) {
        if count < CACHED_FROM {
            return;
        }
        if let Ok(mut inner) = self.inner.lock() {
            if inner.values.len() >= MAX_CACHED {
                inner.values.clear();
            }
            inner.values.insert(key, (Instant::now(), count, persons));
        }
    }

    /// The number of persons counted within the minute, plus the subjects saved since (ids
    /// are handed out in order): during a bulk load thousands of persons come in a minute, and
    /// a count that lagged behind the values' counts would make every value look common.
    fn persons(&self, saved: i32) -> Option<u64> {
        let inner = self.inner.lock().ok()?;
        let (at, count, then) = inner.persons?;
        (at.elapsed() < PERSONS_KEEP).then(|| count + u64::try_from(saved - then).unwrap_or(0))
    }

    /// Kept only where `saved` is a stored subject's id (a signal's subject is not stored).
    fn put_persons(&self, count: u64, saved: i32) {
        if saved <= 0 {
            return;
        }
        if let Ok(mut inner) = self.inner.lock() {
            inner.persons = Some((Instant::now(), count, saved));
        }
    }
}

/// The columns term frequencies are counted on, in `Counts`' order, and a subject's values
/// of them.
const COUNTED: [subject::Column; 4] = [
    subject::Column::FamilyKey,
    subject::Column::GivenKey,
    subject::Column::BirthDate,
    subject::Column::Nationality,
];

fn values(s: &subject::Model) -> [Option<&String>; 4] {
    [&s.family_key, &s.given_key, &s.birth_date, &s.nationality]
        .map(|v| v.as_ref().filter(|v| !v.is_empty()))
}

fn counts(persons: u64, found: [u64; 5]) -> Counts {
    Counts::of(persons, found)
}

/// The cache's key of a full name (family and given names together): field 4.
fn full_name(s: &subject::Model) -> Option<(String, String)> {
    match (&s.family_key, &s.given_key) {
        (Some(family), Some(given)) if !family.is_empty() && !given.is_empty() => {
            Some((family.clone(), given.clone()))
        }
        _ => None,
    }
}

/// `SELECT COUNT(*) FROM subject WHERE …` as an expression of an outer select.
fn count_where(condition: sea_orm::sea_query::Expr) -> sea_orm::sea_query::Expr {
    use sea_orm::sea_query::{Asterisk, Expr, Func, Query, SubQueryStatement};
    let count = Query::select()
        .expr(Func::count(Expr::col(Asterisk)))
        .from(subject::Entity)
        .and_where(condition)
        .to_owned();
    Expr::SubQuery(None, Box::new(SubQueryStatement::SelectStatement(count)))
}

/// How many persons hold each of `s`'s values, and how many persons are stored: whatever the
/// cache does not hold, counted in one statement.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn counts_of(
    db: &impl ConnectionTrait,
    m: &Matching,
    s: &subject::Model,
) -> Result<Counts, AppError> {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
    let cache = &m.frequencies;
    let mut persons = cache.persons(s.id);
    let mut found = [0u64; 5];
    let mut select = Query::select();
    let mut asked = Vec::new();
    if persons.is_none() {
        let person = Expr::col(subject::Column::Kind).eq(SubjectKind::Person.as_str());
        select.expr_as(count_where(person), Alias::new("persons"));
    }
    for (field, (column, value)) in COUNTED.into_iter().zip(values(s)).enumerate() {
        let Some(value) = value else { continue };
        let key = (field as u8, value.clone());
        // Without the persons at hand (counted in this statement), every value is counted.
        match persons.and_then(|n| cache.get(&key, n)) {
            Some(count) => found[field] = count,
            None => {
                let condition = Expr::col(column).eq(value.as_str());
                select.expr_as(count_where(condition), Alias::new(format!("c{field}")));
                asked.push((field, key));
            }
        }
    }
    if let Some((family, given)) = full_name(s) {
        let key = (4u8, format!("{family}\u{1f}{given}"));
        match persons.and_then(|n| cache.get(&key, n)) {
            Some(count) => found[4] = count,
            None => {
                let condition = Expr::col(subject::Column::FamilyKey)
                    .eq(family.as_str())
                    .and(Expr::col(subject::Column::GivenKey).eq(given.as_str()));
                select.expr_as(count_where(condition), Alias::new("c4"));
                asked.push((4, key));
            }
        }
    }
    if persons.is_none() || !asked.is_empty() {
        let row = db.query_one(&select).await?.ok_or_else(|| {
            tracing::error!("a count returned no row");
            AppError::Unavailable
        })?;
        let read = |name: &str| -> Result<u64, AppError> {
            Ok(Ord::max(row.try_get::<i64>("", name)?, 0) as u64)
        };
        if persons.is_none() {
            let n = read("persons")?;
            cache.put_persons(n, s.id);
            persons = Some(n);
        }
        for (field, key) in asked {
            let n = read(&format!("c{field}"))?;
            found[field] = n;
            cache.put(key, n, persons.unwrap_or_default());
        }
    }
    Ok(counts(persons.unwrap_or_default(), found))
}

/// Counts every value at least [`CACHED_FROM`] persons hold, and the persons, into `m`'s cache
/// (at start-up and every [`REFRESH`]). Returns how many values it keeps.
pub async fn refresh(db: &impl ConnectionTrait, m: &Matching) -> Result<usize, AppError> {
    use sea_orm::QuerySelect;
    let newest: Option<i32> = subject::Entity::find()
        .select_only()
        .column_as(subject::Column::Id.max(), "id")
        .into_tuple::<Option<i32>>()
        .one(db)
        .await?
        .flatten();
    let all = AllCounts::load(db).await?;
    let cache = &m.frequencies;
    let persons = all.persons;
    let mut kept = 0;
    for (field, values) in all.values.into_iter().enumerate() {
        for (value, count) in values {
            if count >= CACHED_FROM {
                cache.put((field as u8, value), count, persons);
                kept += 1;
            }
        }
    }
    for ((family, given), count) in all.full_names {
        if count >= CACHED_FROM {
            cache.put((4, format!("{family}\u{1f}{given}")), count, persons);
            kept += 1;
        }
    }
    cache.put_persons(persons, newest.unwrap_or_default());
    Ok(kept)
}

/// Every value's count at once, for the re-scan and the training, which weigh every person.
#[derive(Debug, Default)]
pub(crate) struct AllCounts {
    persons: u64,
    values: [HashMap<String, u64>; 4],
    full_names: HashMap<(String, String), u64>,
}

impl AllCounts {
    #[tracing::instrument(level = "error", skip_all)]
    pub(crate) async fn load(db: &impl ConnectionTrait) -> Result<Self, AppError> {
        use sea_orm::QuerySelect;
        let mut all = AllCounts::default();
        for (i, column) in COUNTED.into_iter().enumerate() {
            let rows = subject::Entity::find()
                .select_only()
                .column(column)
                .column_as(subject::Column::Id.count(), "n")
                .filter(subject::Column::Kind.eq(SubjectKind::Person.as_str()))
                .group_by(column)
                .into_tuple::<(Option<String>, i64)>()
                .all(db)
                .await?;
            for (value, n) in rows {
                if i == 0 {
                    all.persons += n as u64;
                }
                if let Some(value) = value {
                    all.values[i].insert(value, n as u64);
                }
            }
        }
        let rows = subject::Entity::find()
            .select_only()
            .columns([subject::Column::FamilyKey, subject::Column::GivenKey])
            .column_as(subject::Column::Id.count(), "n")
            .filter(subject::Column::Kind.eq(SubjectKind::Person.as_str()))
            .filter(subject::Column::GivenKey.is_not_null())
            .group_by(subject::Column::FamilyKey)
            .group_by(subject::Column::GivenKey)
            .into_tuple::<(Option<String>, Option<String>, i64)>()
            .all(db)
            .await?;
        for (family, given, n) in rows {
            if let (Some(family), Some(given)) = (family, given) {
                all.full_names.insert((family, given), n as u64);
            }
        }
        Ok(all)
    }

    /// The counts of one person's values (at least their own).
    pub(crate) fn of(&self, s: &subject::Model) -> Counts {
        let mut found = [0u64; 5];
        for (i, value) in values(s).into_iter().enumerate() {
            found[i] = value.map_or(0, |v| self.values[i].get(v).copied().unwrap_or(1));
        }
        found[4] = full_name(s).map_or(0, |k| self.full_names.get(&k).copied().unwrap_or(1));
        counts(self.persons.max(1), found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_persons_counted_grow_with_the_subjects_saved_since() {
        let cache = FrequencyCache::default();
        assert_eq!(cache.persons(10), None);
        cache.put_persons(100, 500);
        assert_eq!(cache.persons(500), Some(100));
        assert_eq!(cache.persons(900), Some(500));
        // A subject not stored (a signal's, id 0) neither moves nor sets the count.
        assert_eq!(cache.persons(0), Some(100));
        cache.put_persons(7, 0);
        assert_eq!(cache.persons(500), Some(100));
    }

    #[test]
    fn a_value_is_counted_again_once_the_persons_grew_by_a_tenth() {
        let cache = FrequencyCache::default();
        let key = (0u8, "haddad".to_owned());
        cache.put(key.clone(), 49, 1_000);
        assert_eq!(cache.get(&key, 1_000), None, "rare values are not kept");
        cache.put(key.clone(), 60, 1_000);
        assert_eq!(cache.get(&key, 1_000), Some(60));
        assert_eq!(cache.get(&key, 1_100), Some(60));
        assert_eq!(cache.get(&key, 1_101), None);
    }
}
