//! Who is calling: the session, the signed-in user and their address.

use crate::server::{
    db,
    entity::{coordinator, organisation, oversight, user_account, user_role},
    session_store::USER_ID_KEY,
};
use crate::{access::SignedInUser, domain::Role, error::AppError};
use leptos::prelude::*;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use std::time::Duration;
use tower_sessions::Session;

pub(crate) const SIGNED_IN_AT_KEY: &str = "signed_in_at";

/// When the session last served a request (seconds), kept to within [`SEEN_EVERY_SECS`].
pub const SEEN_AT_KEY: &str = "seen_at";
const SEEN_EVERY_SECS: i64 = 60;

/// Session limits, put into the request context by the server.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            absolute: Duration::from_secs(10 * 60 * 60),
        }
    }
}

#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|err| {
        tracing::error!(error = %err, "no session layer");
        AppError::Unavailable
    })
}

/// The caller's address for the audit trail, as the connection reports it.
pub fn client_address() -> String {
    use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|info| info.0.ip().to_string())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

pub(crate) fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn load_user(
    db: &DatabaseConnection,
    id: i32,
) -> Result<Option<SignedInUser>, AppError> {
    let account = user_account::Entity::find_by_id(id)
        .filter(user_account::Column::Active.eq(true))
        .one(db)
        .await?;
    match account {
        Some(account) => signed_in_user(db, account).await.map(Some),
        None => Ok(None),
    }
}

/// The account with its roles and organisation name.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn signed_in_user(
    db: &DatabaseConnection,
    user: user_account::Model,
) -> Result<SignedInUser, AppError> {
    let roles = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(user.id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|row| row.role.parse::<Role>().ok())
        .collect();
    let organisation = organisation::Entity::find_by_id(user.organisation_id)
        .one(db)
        .await?
        .map(|org| org.name)
        .unwrap_or_default();
    let (coordinates, oversees) = assignments_of(db, user.id).await?;
    Ok(SignedInUser {
        coordinates,
        oversees,
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        organisation_id: user.organisation_id,
        organisation,
        roles,
    })
}

/// Who the request is from, looked up once per request: a page asks for the user in its header
/// and again in each of its server functions. The server puts an empty one into every
/// request's context; sign-in and sign-out never read it after changing the session.
#[derive(Debug, Clone, Default)]
pub struct RequestUser(std::sync::Arc<tokio::sync::OnceCell<Option<SignedInUser>>>);

/// The signed-in user, or `None`. A session past its absolute lifetime, or of a user who was
/// deactivated, is ended here.
#[tracing::instrument(level = "error", skip_all)]
pub async fn current_user() -> Result<Option<SignedInUser>, AppError> {
    match use_context::<RequestUser>() {
        Some(cached) => cached.0.get_or_try_init(load_current_user).await.cloned(),
        None => load_current_user().await,
    }
}

#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn load_current_user() -> Result<Option<SignedInUser>, AppError> {
    let session = session().await?;
    let Some(user_id) = session.get::<i32>(USER_ID_KEY).await? else {
        return Ok(None);
    };
    let policy = use_context::<SessionPolicy>().unwrap_or_default();
    let signed_in_at = session.get::<i64>(SIGNED_IN_AT_KEY).await?.unwrap_or(0);
    let age = u64::try_from(now_secs() - signed_in_at).unwrap_or(u64::MAX);
    if age > policy.absolute.as_secs() {
        session.flush().await?;
        return Ok(None);
    }
    let user = load_user(&db()?, user_id).await?;
    if user.is_none() {
        session.flush().await?;
    } else {
        // The session store saves a session (and moves its idle expiry on) only when it
        // changed: note the request, at most once a minute, so that the idle limit counts
        // from the last request rather than from signing in.
        let now = now_secs();
        let seen_at = session.get::<i64>(SEEN_AT_KEY).await?.unwrap_or(0);
        if now.saturating_sub(seen_at) >= SEEN_EVERY_SECS {
            session.insert(SEEN_AT_KEY, now).await?;
        }
    }
    Ok(user)
}

#[tracing::instrument(level = "error", skip_all)]
pub async fn require_user() -> Result<Caller, AppError> {
    let user = current_user().await?.ok_or(AppError::SignInRequired)?;
    Ok(Caller::of_request(user))
}

/// Who is calling, as a use-case takes them: the signed-in user, the language of the request
/// and the address it came from. The server functions build one from the request; a job, the
/// CLI or a REST handler builds its own, so use-cases never read the request themselves.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: SignedInUser,
    pub locale: crate::i18n::Locale,
    pub address: String,
}

impl Caller {
    /// The signed-in `user` as the caller of this request (its language and address).
    pub fn of_request(user: SignedInUser) -> Self {
        Caller {
            user,
            locale: crate::language::request_locale(),
            address: client_address(),
        }
    }
}

/// A caller is the signed-in user wherever access rules or rows ask who it is.
impl std::ops::Deref for Caller {
    type Target = SignedInUser;

    fn deref(&self) -> &SignedInUser {
        &self.user
    }
}

/// The joint ventures a user is assigned to coordinate and to oversee (their roles decide
/// whether the assignments count: `access::coordinated`).
#[tracing::instrument(level = "error", skip_all)]
pub async fn assignments_of(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<(Vec<i32>, Vec<i32>), AppError> {
    let coordinates = coordinator::Entity::find()
        .filter(coordinator::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.joint_venture_id)
        .collect();
    let oversees = oversight::Entity::find()
        .filter(oversight::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.joint_venture_id)
        .collect();
    Ok((coordinates, oversees))
}
