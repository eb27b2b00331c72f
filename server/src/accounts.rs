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
