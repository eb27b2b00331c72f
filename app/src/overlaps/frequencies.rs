//! How common a person's values are among the stored persons: the term frequencies the person
//! model weighs an equal name, date of birth or nationality by. Counted on the subject table's
//! indexes; a common value (thousands of rows to count) is kept for ten minutes, since a few
//! more or less hardly move its weight, and a rare one is counted afresh at every save.

use crate::overlaps::candidates::Matching;
use crate::overlaps::model::Counts;
use crate::{domain::SubjectKind, error::AppError, server::entity::subject};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Values held by at least this many persons are kept.
const CACHED_FROM: u64 = 50;
const KEEP: Duration = Duration::from_secs(600);
/// The number of persons is counted at most once a minute.
const PERSONS_KEEP: Duration = Duration::from_secs(60);
/// Beyond this many values kept, the cache starts again.
const MAX_CACHED: usize = 100_000;

#[derive(Debug, Default)]
pub struct FrequencyCache {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    persons: Option<(Instant, u64)>,
    values: HashMap<(u8, String), (Instant, u64)>,
}

impl FrequencyCache {
    fn get(&self, key: &(u8, String)) -> Option<u64> {
        let inner = self.inner.lock().ok()?;
        let (at, count) = inner.values.get(key)?;
        (at.elapsed() < KEEP).then_some(*count)
    }

    fn put(&self, key: (u8, String), count: u64) {
        if count < CACHED_FROM {
            return;
        }
        if let Ok(mut inner) = self.inner.lock() {
            if inner.values.len() >= MAX_CACHED {
                inner.values.clear();
            }
            inner.values.insert(key, (Instant::now(), count));
        }
    }

    fn persons(&self) -> Option<u64> {
        let inner = self.inner.lock().ok()?;
        let (at, count) = inner.persons?;
        (at.elapsed() < PERSONS_KEEP).then_some(count)
    }

    fn put_persons(&self, count: u64) {
        if let Ok(mut inner) = self.inner.lock() {
            inner.persons = Some((Instant::now(), count));
        }
    }
}

/// How many persons hold each of `s`'s values, and how many persons are stored.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn counts_of(
    db: &impl ConnectionTrait,
    m: &Matching,
    s: &subject::Model,
) -> Result<Counts, AppError> {
    let cache = &m.frequencies;
    let persons = match cache.persons() {
        Some(n) => n,
        None => {
            let n = subject::Entity::find()
                .filter(subject::Column::Kind.eq(SubjectKind::Person.as_str()))
                .count(db)
                .await?;
            cache.put_persons(n);
            n
        }
    };
    let fields = [
        (0u8, subject::Column::FamilyKey, s.family_key.clone()),
        (1, subject::Column::GivenKey, s.given_key.clone()),
        (2, subject::Column::BirthDate, s.birth_date.clone()),
        (3, subject::Column::Nationality, s.nationality.clone()),
    ];
    let mut found = [0u64; 4];
    for (field, column, value) in fields {
        let Some(value) = value.filter(|v| !v.is_empty()) else {
            continue;
        };
        let key = (field, value);
        found[field as usize] = match cache.get(&key) {
            Some(count) => count,
            None => {
                let count = subject::Entity::find()
                    .filter(column.eq(key.1.clone()))
                    .count(db)
                    .await?;
                cache.put(key, count);
                count
            }
        };
    }
    Ok(Counts {
        persons,
        family: found[0],
        given: found[1],
        birth: found[2],
        nationality: found[3],
    })
}

/// Every value's count at once, for the re-scan and the training, which weigh every person.
#[derive(Debug, Default)]
pub(crate) struct AllCounts {
    persons: u64,
    values: [HashMap<String, u64>; 4],
}

impl AllCounts {
    #[tracing::instrument(level = "error", skip_all)]
    pub(crate) async fn load(db: &impl ConnectionTrait) -> Result<Self, AppError> {
        use sea_orm::QuerySelect;
        let mut all = AllCounts::default();
        let columns = [
            subject::Column::FamilyKey,
            subject::Column::GivenKey,
            subject::Column::BirthDate,
            subject::Column::Nationality,
        ];
        for (i, column) in columns.into_iter().enumerate() {
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
        Ok(all)
    }

    /// The counts of one person's values (at least their own).
    pub(crate) fn of(&self, s: &subject::Model) -> Counts {
        let count = |i: usize, v: &Option<String>| {
            v.as_ref()
                .map_or(0, |v| self.values[i].get(v).copied().unwrap_or(1))
        };
        Counts {
            persons: self.persons.max(1),
            family: count(0, &s.family_key),
            given: count(1, &s.given_key),
            birth: count(2, &s.birth_date),
            nationality: count(3, &s.nationality),
        }
    }
}
