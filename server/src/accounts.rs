//! Account administration from the command line: the first administrator exists before
//! anyone can sign in to create one.

use anyhow::{Context, bail};
use liaison_app::{
    domain::Role,
    server::{
        audit::{self, Actor, Event, Outcome},
        entity::{organisation, user_account, user_role},
        password,
    },
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
};

pub async fn create_admin(
    db: &DatabaseConnection,
    username: &str,
    display_name: &str,
    email: &str,
    organisation_short_name: &str,
    new_password: String,
) -> anyhow::Result<i32> {
    let username = username.trim();
    if username.is_empty() || username.chars().any(char::is_whitespace) {
        bail!("--username: give a user name without spaces");
    }
    if display_name.trim().is_empty() {
        bail!("--name: give the administrator's full name");
    }
    if !email.contains('@') {
        bail!("--email: give an e-mail address");
    }
    if let Err(problem) = password::check(&new_password, username) {
        bail!("password (standard input): {problem}");
    }
    let Some(organisation) = organisation::Entity::find()
        .filter(organisation::Column::ShortName.eq(organisation_short_name))
        .one(db)
        .await?
    else {
        bail!("--organisation: no organisation with short name `{organisation_short_name}`");
    };
    if user_account::Entity::find()
        .filter(user_account::Column::Username.eq(username))
        .one(db)
        .await?
        .is_some()
    {
        bail!("--username: `{username}` is taken");
    }
    let hash = password::hash(new_password)
        .await
        .context("could not hash the password")?;

    let txn = liaison_app::server::begin_write(db).await?;
    let saved = user_account::ActiveModel {
        username: Set(username.to_owned()),
        display_name: Set(display_name.trim().to_owned()),
        email: Set(email.trim().to_owned()),
        organisation_id: Set(organisation.id),
        password_hash: Set(Some(hash)),
        active: Set(true),
        second_factor_required: Set(Role::Admin.needs_second_factor()),
        created_at: Set(chrono::Utc::now().to_rfc3339()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    user_role::ActiveModel {
        user_id: Set(saved.id),
        role: Set(Role::Admin.as_str().to_owned()),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Event {
            actor: Actor {
                user_id: None,
                name: "command line".into(),
                organisation_id: None,
            },
            action: "create_user",
            object_type: "user",
            object_id: saved.id.to_string(),
            outcome: Outcome::Success,
            client_address: "local".into(),
            detail: format!("administrator {username}"),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(saved.id)
}

/// An API client as the command line registers it.
pub struct ApiClientRegistration {
    pub name: String,
    pub organisation: String,
    pub joint_ventures: Vec<String>,
    pub scopes: Vec<String>,
    pub valid_days: u32,
    pub rate_per_minute: u32,
}

/// Registers an API client for the active administrator `by`, through the same checks as the
/// administrators' page.
pub async fn create_api_client(
    db: &DatabaseConnection,
    by: &str,
    registration: ApiClientRegistration,
) -> anyhow::Result<liaison_app::api_clients::types::IssuedToken> {
    use liaison_app::api_clients::{manage, types::ApiClientInput};
    use liaison_app::server::entity::joint_venture;
    let Some(admin) = user_account::Entity::find()
        .filter(user_account::Column::Username.eq(by))
        .filter(user_account::Column::Active.eq(true))
        .one(db)
        .await?
    else {
        bail!("--by: no active account `{by}`");
    };
    let is_admin = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(admin.id))
        .filter(user_role::Column::Role.eq(Role::Admin.as_str()))
        .one(db)
        .await?
        .is_some();
    if !is_admin {
        bail!("--by: `{by}` is not an administrator");
    }
    let Some(organisation) = organisation::Entity::find()
        .filter(organisation::Column::ShortName.eq(registration.organisation.as_str()))
        .one(db)
        .await?
    else {
        bail!(
            "--organisation: no organisation with short name `{}`",
            registration.organisation
        );
    };
    let mut input = ApiClientInput {
        name: registration.name,
        organisation_id: organisation.id.to_string(),
        valid_days: registration.valid_days.to_string(),
        rate_per_minute: registration.rate_per_minute.to_string(),
        ..Default::default()
    };
    for name in &registration.joint_ventures {
        let Some(venture) = joint_venture::Entity::find()
            .filter(joint_venture::Column::Name.eq(name.as_str()))
            .one(db)
            .await?
        else {
            bail!("--joint-venture: no joint venture named `{name}`");
        };
        input.joint_ventures.insert(venture.id.to_string(), true);
    }
    for scope in registration.scopes {
        input.scopes.insert(scope, true);
    }
    let caller = liaison_app::server::caller::Caller {
        user: liaison_app::access::SignedInUser {
            id: admin.id,
            username: admin.username,
            display_name: admin.display_name,
            organisation_id: admin.organisation_id,
            organisation: String::new(),
            roles: vec![Role::Admin],
            coordinates: Vec::new(),
            oversees: Vec::new(),
        },
        locale: liaison_app::i18n::Locale::en,
        address: "command line".into(),
    };
    let refused = |err: liaison_app::error::AppError| anyhow::anyhow!("{err}");
    let valid = manage::parse(&input, caller.locale).map_err(refused)?;
    manage::create(db, &caller, valid).await.map_err(refused)
}
