//! A tower-sessions store on Liaison's own database through sea-orm, so that sessions share
//! the application's one connection pool and several server instances share the sessions.

use crate::server::entity::session;
use async_trait::async_trait;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    SqlErr, sea_query::Expr,
};
use tower_sessions::{
    ExpiredDeletion, SessionStore,
    session::{Id, Record},
    session_store,
};

/// The session key that holds the signed-in user's id (also kept in its own column, so that
/// all sessions of a user can be ended at once).
pub const USER_ID_KEY: &str = "user_id";

#[derive(Debug, Clone)]
pub struct DbSessionStore {
    db: DatabaseConnection,
}

impl DbSessionStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

fn backend(err: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
}

fn row(record: &Record) -> session_store::Result<session::Model> {
    let data = serde_json::to_string(&record.data)
        .map_err(|e| session_store::Error::Encode(e.to_string()))?;
    let user_id = record
        .data
        .get(USER_ID_KEY)
        .and_then(serde_json::Value::as_i64)
        .and_then(|id| i32::try_from(id).ok());
    Ok(session::Model {
        id: record.id.to_string(),
        data,
        expires_at: record.expiry_date.unix_timestamp(),
        user_id,
    })
}

fn new_row(record: &Record) -> session_store::Result<session::ActiveModel> {
    let row = row(record)?;
    Ok(session::ActiveModel {
        id: Set(row.id),
        data: Set(row.data),
        expires_at: Set(row.expires_at),
        user_id: Set(row.user_id),
    })
}

/// Ends every session of `user_id` except `keep` (the caller's own, when it has been stored
/// already); returns how many ended. Inside the transaction of the change that requires it,
/// such as a new password.
pub async fn end_other_sessions(
    conn: &impl ConnectionTrait,
    user_id: i32,
    keep: Option<Id>,
) -> Result<u64, sea_orm::DbErr> {
    let mut query = session::Entity::delete_many().filter(session::Column::UserId.eq(user_id));
    if let Some(keep) = keep {
        query = query.filter(session::Column::Id.ne(keep.to_string()));
    }
    Ok(query.exec(conn).await?.rows_affected)
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A new id is random; on the (astronomically rare) collision, draw another.
        loop {
            match session::Entity::insert(new_row(record)?)
                .exec(&self.db)
                .await
            {
                Ok(_) => return Ok(()),
                Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                    record.id = Id::default();
                }
                Err(err) => return Err(backend(err)),
            }
        }
    }

    /// Updates a stored session, never re-creates one: a session ended meanwhile (a password
    /// change, a deactivation, a second-factor reset deleting its row while one of its requests
    /// was still running) stays ended. New sessions come through `create`.
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let row = row(record)?;
        session::Entity::update_many()
            .col_expr(session::Column::Data, Expr::value(row.data))
            .col_expr(session::Column::ExpiresAt, Expr::value(row.expires_at))
            .col_expr(session::Column::UserId, Expr::value(row.user_id))
            .filter(session::Column::Id.eq(row.id))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let Some(found) = session::Entity::find_by_id(id.to_string())
            .filter(session::Column::ExpiresAt.gt(now()))
            .one(&self.db)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let data = serde_json::from_str(&found.data)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = time::OffsetDateTime::from_unix_timestamp(found.expires_at)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        session::Entity::delete_by_id(id.to_string())
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        session::Entity::delete_many()
            .filter(session::Column::ExpiresAt.lte(now()))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
