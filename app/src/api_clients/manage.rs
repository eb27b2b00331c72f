//! Registering an API client, rotating its token, revoking it; the list the administrators'
//! page shows. Every change is audited; a token is returned once and never stored.

use crate::api_clients::tokens;
use crate::api_clients::types::{
    ApiClientInput, ApiClientRow, ApiClientsPage, DEFAULT_RATE_PER_MINUTE, IssuedToken,
    MAX_RATE_PER_MINUTE, MAX_VALID_DAYS, OrganisationChoice, ROTATION_OVERLAP_DAYS, TokenRow,
};
use crate::server::caller::Caller;
use crate::server::entity::{
    api_client, api_client_joint_venture, api_token, joint_venture, membership, organisation,
    user_account,
};
use crate::{domain::ApiScope, error::AppError, i18n::*, partnerships::types::Named};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, sea_query::Expr,
};
use std::collections::{BTreeSet, HashMap};

/// The user names of client accounts start with this; a person's user name cannot contain `:`.
pub const ACCOUNT_PREFIX: &str = "api:";
/// A new token is valid this many days unless the administrator chooses otherwise.
pub const DEFAULT_VALID_DAYS: u32 = 90;

/// A registration that passed every check.
pub struct ValidClient {
    pub name: String,
    pub organisation_id: i32,
    pub joint_ventures: BTreeSet<i32>,
    pub scopes: BTreeSet<ApiScope>,
    pub valid_days: u32,
    pub rate_per_minute: u32,
}

fn whole_number(
    field: &str,
    value: &str,
    default: u32,
    max: u32,
    locale: Locale,
) -> Result<u32, AppError> {
    if value.trim().is_empty() {
        return Ok(default);
    }
    value
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=max).contains(n))
        .ok_or_else(|| {
            AppError::invalid(
                field,
                format!("{} 1–{max}", td_string!(locale, err_whole_number_range)),
            )
        })
}

pub fn valid_days(value: &str, locale: Locale) -> Result<u32, AppError> {
    whole_number(
        "valid_days",
        value,
        DEFAULT_VALID_DAYS,
        MAX_VALID_DAYS,
        locale,
    )
}

/// Checks the form; whether the joint ventures are the organisation's is checked against the
/// database when saving.
pub fn parse(input: &ApiClientInput, locale: Locale) -> Result<ValidClient, AppError> {
    let choose = || td_string!(locale, err_choose_from_list);
    let name = input.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(AppError::invalid("name", td_string!(locale, err_required)));
    }
    if name.chars().count() > 80 {
        return Err(AppError::invalid(
            "name",
            format!("{} 80", td_string!(locale, err_too_long)),
        ));
    }
    let organisation_id = input
        .organisation_id
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("organisation_id", choose()))?;
    let chosen = |map: &std::collections::BTreeMap<String, bool>| {
        map.iter()
            .filter(|(_, on)| **on)
            .map(|(k, _)| k.clone())
            .collect::<Vec<_>>()
    };
    let joint_ventures = chosen(&input.joint_ventures)
        .iter()
        .map(|id| id.parse::<i32>())
        .collect::<Result<BTreeSet<_>, _>>()
        .ok()
        .filter(|set| !set.is_empty())
        .ok_or_else(|| AppError::invalid("joint_ventures", choose()))?;
    let scopes = chosen(&input.scopes)
        .iter()
        .map(|code| code.parse::<ApiScope>())
        .collect::<Result<BTreeSet<_>, _>>()
        .ok()
        .filter(|set| !set.is_empty())
        .ok_or_else(|| AppError::invalid("scopes", choose()))?;
    Ok(ValidClient {
        name,
        organisation_id,
        joint_ventures,
        scopes,
        valid_days: valid_days(&input.valid_days, locale)?,
        rate_per_minute: whole_number(
            "rate_per_minute",
            &input.rate_per_minute,
            DEFAULT_RATE_PER_MINUTE,
            MAX_RATE_PER_MINUTE,
            locale,
        )?,
    })
}

/// The joint ventures `organisation_id` takes part in today.
#[tracing::instrument(level = "error", skip_all)]
pub async fn current_joint_ventures(
    db: &impl ConnectionTrait,
    organisation_id: i32,
) -> Result<BTreeSet<i32>, AppError> {
    let today = crate::server::time::today();
    Ok(membership::Entity::find()
        .filter(membership::Column::OrganisationId.eq(organisation_id))
        .filter(membership::Column::Since.lte(today))
        .filter(
            sea_orm::Condition::any()
                .add(membership::Column::Until.is_null())
                .add(membership::Column::Until.gte(today)),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.joint_venture_id)
        .collect())
}

fn scope_codes(scopes: &BTreeSet<ApiScope>) -> String {
    scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// The scopes stored for a client; a code that no longer parses is logged and left out.
pub fn stored_scopes(codes: &str) -> Vec<ApiScope> {
    codes
        .split(',')
        .filter(|c| !c.is_empty())
        .filter_map(|code| {
            code.parse()
                .inspect_err(|err| tracing::error!(%err, "an API client's stored scope"))
                .ok()
        })
        .collect()
}

fn now_text() -> String {
    crate::server::utc_text(chrono::Utc::now())
}

fn days_from_now(days: u32) -> String {
    crate::server::utc_text(chrono::Utc::now() + chrono::Duration::days(i64::from(days)))
}

async fn insert_token(
    txn: &impl ConnectionTrait,
    client_id: i32,
    valid_days: u32,
) -> Result<(tokens::NewToken, String), AppError> {
    let token = tokens::issue()?;
    let expires_at = days_from_now(valid_days);
    api_token::ActiveModel {
        client_id: Set(client_id),
        lookup: Set(token.lookup.clone()),
        secret_hash: Set(token.secret_hash.clone()),
        created_at: Set(now_text()),
        expires_at: Set(expires_at.clone()),
        revoked_at: Set(None),
        last_used_at: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok((token, expires_at))
}

/// Registers a client with its own account and a first token.
#[tracing::instrument(level = "error", skip_all)]
pub async fn create(
    db: &DatabaseConnection,
    admin: &Caller,
    valid: ValidClient,
) -> Result<IssuedToken, AppError> {
    let locale = admin.locale;
    if organisation::Entity::find_by_id(valid.organisation_id)
        .one(db)
        .await?
        .is_none()
    {
        return Err(AppError::invalid(
            "organisation_id",
            td_string!(locale, err_no_such_organisation),
        ));
    }
    // Never more than a coordinator of joint ventures the organisation takes part in.
    let allowed = current_joint_ventures(db, valid.organisation_id).await?;
    if !valid.joint_ventures.is_subset(&allowed) {
        return Err(AppError::invalid(
            "joint_ventures",
            td_string!(locale, err_api_joint_venture_not_member),
        ));
    }
    let taken = AppError::unique_or("name", td_string!(locale, err_duplicate_name).to_owned());
    let txn = crate::server::begin_write(db).await?;
    let account = user_account::ActiveModel {
        username: Set(format!(
            "{ACCOUNT_PREFIX}{}",
            valid.name.to_lowercase().replace(' ', "-")
        )),
        display_name: Set(format!("API: {}", valid.name)),
        email: Set(String::new()),
        organisation_id: Set(valid.organisation_id),
        password_hash: Set(None),
        active: Set(false),
        second_factor_required: Set(false),
        totp_secret: Set(None),
        totp_last_step: Set(None),
        created_at: Set(now_text()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(&taken)?;
    let client = api_client::ActiveModel {
        name: Set(valid.name.clone()),
        organisation_id: Set(valid.organisation_id),
        account_id: Set(account.id),
        scopes: Set(scope_codes(&valid.scopes)),
        rate_per_minute: Set(i32::try_from(valid.rate_per_minute).unwrap_or(i32::MAX)),
        created_by: Set(admin.id),
        created_at: Set(now_text()),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(&taken)?;
    api_client_joint_venture::Entity::insert_many(valid.joint_ventures.iter().map(|jv| {
        api_client_joint_venture::ActiveModel {
            client_id: Set(client.id),
            joint_venture_id: Set(*jv),
        }
    }))
    .exec(&txn)
    .await?;
    let (token, expires_at) = insert_token(&txn, client.id, valid.valid_days).await?;
    crate::server::audit::record_by(
        &txn,
        admin,
        "create_api_client",
        "api_client",
        client.id,
        format!(
            "{} for joint ventures {:?} with scopes {}; token {} until {expires_at}",
            valid.name,
            valid.joint_ventures,
            scope_codes(&valid.scopes),
            token.lookup
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(IssuedToken {
        client: valid.name,
        token: token.text,
        expires_at,
    })
}

async fn live_client(
    db: &impl ConnectionTrait,
    id: i32,
    locale: Locale,
) -> Result<api_client::Model, AppError> {
    api_client::Entity::find_by_id(id)
        .filter(api_client::Column::RevokedAt.is_null())
        .one(db)
        .await?
        .ok_or_else(|| AppError::invalid("id", td_string!(locale, err_no_such_api_client)))
}

/// A new token; the newest one still valid stays valid for [`ROTATION_OVERLAP_DAYS`] (or until
/// it expires, if sooner) so the system can switch over, and any older one ends now: never
/// more than two valid tokens.
#[tracing::instrument(level = "error", skip_all)]
pub async fn rotate(
    db: &DatabaseConnection,
    admin: &Caller,
    id: i32,
    valid_days: u32,
) -> Result<IssuedToken, AppError> {
    let txn = crate::server::begin_write(db).await?;
    let client = live_client(&txn, id, admin.locale).await?;
    let now = now_text();
    let valid: Vec<api_token::Model> = api_token::Entity::find()
        .filter(api_token::Column::ClientId.eq(id))
        .filter(api_token::Column::RevokedAt.is_null())
        .filter(api_token::Column::ExpiresAt.gt(now.clone()))
        .order_by_desc(api_token::Column::Id)
        .all(&txn)
        .await?;
    let overlap_until = days_from_now(ROTATION_OVERLAP_DAYS);
    for (i, token) in valid.iter().enumerate() {
        let mut change =
            api_token::Entity::update_many().filter(api_token::Column::Id.eq(token.id));
        change = if i == 0 {
            change.col_expr(
                api_token::Column::ExpiresAt,
                Expr::value(token.expires_at.clone().min(overlap_until.clone())),
            )
        } else {
            change.col_expr(api_token::Column::RevokedAt, Expr::value(now.clone()))
        };
        change.exec(&txn).await?;
    }
    let (token, expires_at) = insert_token(&txn, id, valid_days).await?;
    crate::server::audit::record_by(
        &txn,
        admin,
        "rotate_api_token",
        "api_client",
        id,
        format!(
            "{}: token {} until {expires_at}; the one before until {}",
            client.name,
            token.lookup,
            valid
                .first()
                .map(|t| t.expires_at.clone().min(overlap_until.clone()))
                .unwrap_or_default()
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(IssuedToken {
        client: client.name,
        token: token.text,
        expires_at,
    })
}

/// Ends a client and every token of it at once; its rows and audit events stay.
#[tracing::instrument(level = "error", skip_all)]
pub async fn revoke(
    db: &DatabaseConnection,
    admin: &Caller,
    id: i32,
    reason: &str,
) -> Result<(), AppError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid(
            "reason",
            td_string!(admin.locale, err_required),
        ));
    }
    if reason.chars().count() > 500 {
        return Err(AppError::invalid(
            "reason",
            format!("{} 500", td_string!(admin.locale, err_too_long)),
        ));
    }
    let txn = crate::server::begin_write(db).await?;
    let client = live_client(&txn, id, admin.locale).await?;
    let now = now_text();
    api_client::Entity::update_many()
        .col_expr(api_client::Column::RevokedAt, Expr::value(now.clone()))
        .filter(api_client::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(now))
        .filter(api_token::Column::ClientId.eq(id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    crate::server::audit::record_by(
        &txn,
        admin,
        "revoke_api_client",
        "api_client",
        id,
        format!("{}: {reason}", client.name),
    )
    .await?;
    txn.commit().await.map_err(AppError::from)
}

/// Every client with its joint ventures and tokens, newest first; and what the form offers.
#[tracing::instrument(level = "error", skip_all)]
pub async fn page(
    db: &DatabaseConnection,
    issued: Option<IssuedToken>,
) -> Result<ApiClientsPage, AppError> {
    let organisations: HashMap<i32, String> = organisation::Entity::find()
        .order_by_asc(organisation::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let ventures: HashMap<i32, String> = joint_venture::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.id, v.name))
        .collect();
    let named = |id: i32| Named {
        id,
        name: ventures.get(&id).cloned().unwrap_or_default(),
    };
    let mut client_ventures: HashMap<i32, Vec<Named>> = HashMap::new();
    for row in api_client_joint_venture::Entity::find().all(db).await? {
        client_ventures
            .entry(row.client_id)
            .or_default()
            .push(named(row.joint_venture_id));
    }
    let now = now_text();
    let mut client_tokens: HashMap<i32, Vec<TokenRow>> = HashMap::new();
    for t in api_token::Entity::find()
        .order_by_desc(api_token::Column::Id)
        .all(db)
        .await?
    {
        client_tokens
            .entry(t.client_id)
            .or_default()
            .push(TokenRow {
                valid: t.revoked_at.is_none() && t.expires_at > now,
                lookup: t.lookup,
                created_at: t.created_at,
                expires_at: t.expires_at,
                last_used_at: t.last_used_at,
            });
    }
    let clients = api_client::Entity::find()
        .order_by_desc(api_client::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|c| ApiClientRow {
            organisation: organisations
                .get(&c.organisation_id)
                .cloned()
                .unwrap_or_default(),
            joint_ventures: client_ventures.remove(&c.id).unwrap_or_default(),
            scopes: stored_scopes(&c.scopes),
            rate_per_minute: u32::try_from(c.rate_per_minute).unwrap_or_default(),
            tokens: client_tokens.remove(&c.id).unwrap_or_default(),
            id: c.id,
            name: c.name,
            created_at: c.created_at,
            revoked_at: c.revoked_at,
        })
        .collect();
    let mut choices = Vec::new();
    let mut by_name: Vec<(&i32, &String)> = organisations.iter().collect();
    by_name.sort_by(|a, b| a.1.cmp(b.1));
    for (id, name) in by_name {
        let mut joint_ventures: Vec<Named> = current_joint_ventures(db, *id)
            .await?
            .into_iter()
            .map(named)
            .collect();
        joint_ventures.sort_by(|a, b| a.name.cmp(&b.name));
        if !joint_ventures.is_empty() {
            choices.push(OrganisationChoice {
                id: *id,
                name: name.clone(),
                joint_ventures,
            });
        }
    }
    Ok(ApiClientsPage {
        clients,
        organisations: choices,
        issued,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(pairs: &[(&str, &str)]) -> ApiClientInput {
        let mut input = ApiClientInput {
            name: "BVH intake".into(),
            organisation_id: "3".into(),
            ..Default::default()
        };
        input.joint_ventures.insert("1".into(), true);
        input.scopes.insert("cases:write".into(), true);
        for (k, v) in pairs {
            match *k {
                "name" => input.name = (*v).into(),
                "valid_days" => input.valid_days = (*v).into(),
                "rate_per_minute" => input.rate_per_minute = (*v).into(),
                "scope" => {
                    input.scopes.insert((*v).into(), true);
                }
                "jv" => {
                    input.joint_ventures.insert((*v).into(), true);
                }
                _ => unreachable!(),
            }
        }
        input
    }

    fn field_of(result: Result<ValidClient, AppError>) -> String {
        match result {
            Err(AppError::Invalid { field, .. }) => field,
            Err(other) => format!("{other:?}"),
            Ok(_) => "ok".into(),
        }
    }

    #[test]
    fn a_registration_is_checked_field_by_field() {
        let english = Locale::en;
        let ok = parse(&input(&[]), english).unwrap();
        assert_eq!(ok.valid_days, DEFAULT_VALID_DAYS);
        assert_eq!(ok.rate_per_minute, DEFAULT_RATE_PER_MINUTE);
        assert_eq!(ok.scopes, BTreeSet::from([ApiScope::CasesWrite]));
        for (pairs, field) in [
            (vec![("name", "  ")], "name"),
            (vec![("name", &"x".repeat(81)[..])], "name"),
            (vec![("scope", "cases:admin")], "scopes"),
            (vec![("scope", "admin")], "scopes"),
            (vec![("jv", "x")], "joint_ventures"),
            (vec![("valid_days", "0")], "valid_days"),
            (vec![("valid_days", "366")], "valid_days"),
            (vec![("valid_days", "-1")], "valid_days"),
            (vec![("rate_per_minute", "60001")], "rate_per_minute"),
        ] {
            assert_eq!(field_of(parse(&input(&pairs), english)), field, "{pairs:?}");
        }
        assert_eq!(
            parse(&input(&[("valid_days", "365")]), english)
                .unwrap()
                .valid_days,
            365
        );
    }

    #[test]
    fn stored_scopes_read_back_and_unknown_codes_are_left_out() {
        assert_eq!(
            stored_scopes("cases:read,overlaps:act,nonsense,"),
            vec![ApiScope::CasesRead, ApiScope::OverlapsAct]
        );
        let all: BTreeSet<ApiScope> = ApiScope::ALL.iter().copied().collect();
        assert_eq!(stored_scopes(&scope_codes(&all)).len(), ApiScope::ALL.len());
    }
}
