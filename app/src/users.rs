//! User administration (`/admin/users…`) and the one-time set-password page. Administrators
//! create, change, deactivate and re-activate accounts and hand out set-password links; no page
//! or server function ever lets them choose or see a password.

use crate::{
    auth::{Field, field_error, general_error},
    domain::Role,
    error::AppError,
    i18n::*,
    layout::PageError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

/// Whether an account has, needs or skips a second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SecondFactorState {
    Enrolled,
    /// Required, not set up yet: the user enrols at their next sign-in.
    Pending,
    Off,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub organisation: String,
    pub roles: Vec<Role>,
    pub active: bool,
    pub second_factor: SecondFactorState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDetail {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub organisation_id: i32,
    pub organisation: String,
    pub roles: Vec<Role>,
    pub active: bool,
    pub second_factor: SecondFactorState,
    pub password_set: bool,
    pub open_sessions: u64,
    /// Until when an unused set-password link is valid, if one is.
    pub link_valid_until: Option<String>,
    /// The link just issued, shown to the administrator once.
    pub issued_link: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationOption {
    pub id: i32,
    pub name: String,
}

/// The role checkboxes of the user form: a ticked box sends `roles[admin]=true`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RoleChoice {
    pub reporter: bool,
    pub coordinator: bool,
    pub manager: bool,
    pub ministry: bool,
    pub auditor: bool,
    pub admin: bool,
}

impl RoleChoice {
    pub fn roles(&self) -> Vec<Role> {
        [
            (self.reporter, Role::Reporter),
            (self.coordinator, Role::Coordinator),
            (self.manager, Role::Manager),
            (self.ministry, Role::Ministry),
            (self.auditor, Role::Auditor),
            (self.admin, Role::Admin),
        ]
        .into_iter()
        .filter_map(|(chosen, role)| chosen.then_some(role))
        .collect()
    }
}

/// The fields of a user form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserInput {
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub organisation_id: String,
    pub roles: RoleChoice,
}

/// A user form that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidUser {
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub organisation_id: i32,
    pub roles: Vec<Role>,
}

impl UserInput {
    /// Checks every field; the first problem found is named. The user name is checked only
    /// when it is being chosen (it cannot change later: the audit trail refers to it).
    pub fn parse(&self, with_username: bool, locale: Locale) -> Result<ValidUser, AppError> {
        let username = self.username.trim().to_lowercase();
        if with_username {
            let allowed =
                |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
            if !(3..=64).contains(&username.chars().count()) {
                return Err(AppError::invalid(
                    "username",
                    td_string!(locale, err_username_length),
                ));
            }
            if !username.starts_with(|c: char| c.is_ascii_lowercase())
                || !username.chars().all(allowed)
            {
                return Err(AppError::invalid(
                    "username",
                    td_string!(locale, err_username_chars),
                ));
            }
        }
        let display_name = self
            .display_name
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if display_name.is_empty() {
            return Err(AppError::invalid(
                "display_name",
                td_string!(locale, err_display_name_empty),
            ));
        }
        if display_name.chars().count() > 100 {
            return Err(AppError::invalid(
                "display_name",
                td_string!(locale, err_display_name_long),
            ));
        }
        let email = self.email.trim().to_owned();
        let valid_email = email.len() <= 254
            && !email.chars().any(char::is_whitespace)
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains('@')
            });
        if !valid_email {
            return Err(AppError::invalid("email", td_string!(locale, err_email)));
        }
        let organisation_id = self.organisation_id.trim().parse::<i32>().map_err(|_| {
            AppError::invalid(
                "organisation_id",
                td_string!(locale, err_organisation_choose),
            )
        })?;
        let roles = self.roles.roles();
        if roles.is_empty() {
            return Err(AppError::invalid(
                "roles",
                td_string!(locale, err_roles_empty),
            ));
        }
        Ok(ValidUser {
            username,
            display_name,
            email,
            organisation_id,
            roles,
        })
    }
}

#[server(endpoint = "admin/users")]
pub async fn list_users(
    #[server(default)] q: String,
    #[server(default)] status: String,
) -> Result<Vec<UserRow>, AppError> {
    use crate::authorize::{Action, Object, require};
    crate::server::respond(
        async {
            let admin = crate::server::auth::require_user().await?;
            require(&admin, Action::Read, Object::Users)?;
            crate::server::users::list(&crate::server::db()?, &q, &status).await
        }
        .await,
    )
}

#[server(endpoint = "admin/user")]
pub async fn get_user(id: i32) -> Result<UserDetail, AppError> {
    use crate::authorize::{Action, Object, require};
    crate::server::respond(
        async {
            let admin = crate::server::auth::require_user().await?;
            require(&admin, Action::Read, Object::User(id))?;
            crate::server::users::detail(&crate::server::db()?, id).await
        }
        .await,
    )
}

#[server(endpoint = "admin/organisation_options")]
pub async fn organisation_options() -> Result<Vec<OrganisationOption>, AppError> {
    use crate::authorize::{Action, Object, require};
    crate::server::respond(
        async {
            let admin = crate::server::auth::require_user().await?;
            require(&admin, Action::Manage, Object::Users)?;
            crate::server::users::organisation_options(&crate::server::db()?).await
        }
        .await,
    )
}

/// After a change the administrator lands on the user's page, told what was done.
#[cfg(feature = "ssr")]
fn land_on_user(id: i32, done: &str) {
    crate::server::land(&format!("/admin/users/{id}"), &format!("done={done}"));
}

#[server(endpoint = "admin/create_user")]
pub async fn create_user(#[server(default)] user: UserInput) -> Result<(), AppError> {
    use crate::authorize::{Action, Object, require};
    let result = async {
        let admin = crate::server::auth::require_user().await?;
        require(&admin, Action::Manage, Object::Users)?;
        let valid = user.parse(true, crate::language::request_locale())?;
        crate::server::users::create(&crate::server::db()?, &admin, valid).await
    }
    .await;
    if let Ok(id) = result {
        land_on_user(id, "created");
    }
    crate::server::respond(result.map(|_| ()))
}

#[server(endpoint = "admin/update_user")]
pub async fn update_user(id: i32, #[server(default)] user: UserInput) -> Result<(), AppError> {
    use crate::authorize::{Action, Object, require};
    let result = async {
        let admin = crate::server::auth::require_user().await?;
        require(&admin, Action::Manage, Object::User(id))?;
        let valid = user.parse(false, crate::language::request_locale())?;
        crate::server::users::update(&crate::server::db()?, &admin, id, valid).await
    }
    .await;
    if result.is_ok() {
        land_on_user(id, "saved");
    }
    crate::server::respond(result)
}

#[server(endpoint = "admin/set_user_active")]
pub async fn set_user_active(id: i32, active: bool) -> Result<(), AppError> {
    use crate::authorize::{Action, Object, require};
    let result = async {
        let admin = crate::server::auth::require_user().await?;
        require(&admin, Action::Manage, Object::User(id))?;
        crate::server::users::set_active(&crate::server::db()?, &admin, id, active).await
    }
    .await;
    if result.is_ok() {
        land_on_user(id, if active { "reactivated" } else { "deactivated" });
    }
    crate::server::respond(result.map(|_| ()))
}

#[server(endpoint = "admin/issue_set_password_link")]
pub async fn issue_set_password_link(id: i32) -> Result<(), AppError> {
    use crate::authorize::{Action, Object, require};
    let result = async {
        let admin = crate::server::auth::require_user().await?;
        require(&admin, Action::Manage, Object::User(id))?;
        crate::server::users::issue_link(&crate::server::db()?, &admin, id).await
    }
    .await;
    if result.is_ok() {
        land_on_user(id, "link");
    }
    crate::server::respond(result)
}

#[server(endpoint = "admin/reset_second_factor")]
pub async fn reset_second_factor(id: i32) -> Result<(), AppError> {
    use crate::authorize::{Action, Object, require};
    let result = async {
        let admin = crate::server::auth::require_user().await?;
        require(&admin, Action::Manage, Object::User(id))?;
        crate::server::users::reset_second_factor(&crate::server::db()?, &admin, id).await
    }
    .await;
    if result.is_ok() {
        land_on_user(id, "second_factor_reset");
    }
    crate::server::respond(result)
}

/// Whose password a set-password link sets, if the link is still valid. Needs no sign-in: the
/// token is the proof.
#[server(endpoint = "set_password_link")]
pub async fn set_password_link(#[server(default)] token: String) -> Result<String, AppError> {
    crate::server::respond(crate::server::users::link_owner(&crate::server::db()?, &token).await)
}

#[server(endpoint = "set_password")]
pub async fn set_password(
    #[server(default)] token: String,
    #[server(default)] new_password: String,
    #[server(default)] repeat: String,
) -> Result<(), AppError> {
    let result = async {
        crate::server::users::set_password(&crate::server::db()?, &token, new_password, repeat)
            .await
    }
    .await;
    if result.is_ok() {
        leptos_axum::redirect("/sign-in?password_set=1");
    }
    crate::server::respond(result)
}

fn role_label(i18n: leptos_i18n::I18nContext<Locale>, role: Role) -> String {
    match role {
        Role::Reporter => t_string!(i18n, role_reporter),
        Role::Coordinator => t_string!(i18n, role_coordinator),
        Role::Manager => t_string!(i18n, role_manager),
        Role::Ministry => t_string!(i18n, role_ministry),
        Role::Auditor => t_string!(i18n, role_auditor),
        Role::Admin => t_string!(i18n, role_admin),
    }
    .to_string()
}

fn roles_label(i18n: leptos_i18n::I18nContext<Locale>, roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| role_label(i18n, *r))
        .collect::<Vec<_>>()
        .join(", ")
}

fn second_factor_label(i18n: leptos_i18n::I18nContext<Locale>, state: SecondFactorState) -> String {
    match state {
        SecondFactorState::Enrolled => t_string!(i18n, second_factor_enrolled),
        SecondFactorState::Pending => t_string!(i18n, second_factor_pending),
        SecondFactorState::Off => t_string!(i18n, second_factor_off),
    }
    .to_string()
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move || query.with(|q| q.get("q").unwrap_or_default());
    let status = move || query.with(|q| q.get("status").unwrap_or_default());
    let users = Resource::new(move || (q(), status()), |(q, status)| list_users(q, status));
    view! {
        <Title text=move || t_string!(i18n, users_title).to_string() />
        <h1>{t!(i18n, users_title)}</h1>
        <p><a class="button button--primary" href="/admin/users/new">{t!(i18n, users_new)}</a></p>
        <form method="get" action="/admin/users" class="filters" role="search">
            <div class="field">
                <label for="q">{t!(i18n, users_search_label)}</label>
                <input id="q" name="q" type="search" value=q />
            </div>
            <div class="field">
                <label for="status">{t!(i18n, users_status_label)}</label>
                <select id="status" name="status">
                    <option value="" selected=move || status().is_empty()>{t!(i18n, users_status_all)}</option>
                    <option value="active" selected=move || status() == "active">{t!(i18n, users_status_active)}</option>
                    <option value="inactive" selected=move || status() == "inactive">{t!(i18n, users_status_inactive)}</option>
                </select>
            </div>
            <button type="submit" class="button">{t!(i18n, filter_button)}</button>
        </form>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(users) if users.is_empty() => view! { <p>{t!(i18n, users_none)}</p> }.into_any(),
                    Ok(users) => view! { <UserTable users /> }.into_any(),
                    Err(err) => view! { <PageError err return_to="/admin/users" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn UserTable(users: Vec<UserRow>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="table">
            <caption class="visually-hidden">{t!(i18n, users_title)}</caption>
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, username_label)}</th>
                    <th scope="col">{t!(i18n, name_label)}</th>
                    <th scope="col">{t!(i18n, organisation_column)}</th>
                    <th scope="col">{t!(i18n, roles_label)}</th>
                    <th scope="col">{t!(i18n, second_factor_column)}</th>
                    <th scope="col">{t!(i18n, users_status_label)}</th>
                </tr>
            </thead>
            <tbody>
                {users.into_iter().map(|user| view! {
                    <tr>
                        <td><a href=format!("/admin/users/{}", user.id)>{user.username}</a></td>
                        <td>{user.display_name}</td>
                        <td>{user.organisation}</td>
                        <td>{roles_label(i18n, &user.roles)}</td>
                        <td>{second_factor_label(i18n, user.second_factor)}</td>
                        <td>{if user.active {
                            t_string!(i18n, users_status_active).to_string()
                        } else {
                            t_string!(i18n, users_status_inactive).to_string()
                        }}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The fields shared by the create and edit forms, filled with `initial`.
#[component]
fn UserFields(
    initial: UserInput,
    organisations: Vec<OrganisationOption>,
    with_username: bool,
    result: Signal<Option<Result<(), AppError>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = move |field: &'static str| Signal::derive(move || field_error(result.get(), field));
    let chosen = initial.roles.roles();
    let selected_org = initial.organisation_id.clone();
    let org_error = error("organisation_id");
    let roles_error = error("roles");
    view! {
        {with_username.then(|| view! {
            <Field name="user[username]" label=move || t_string!(i18n, username_label).to_string()
                kind="text" autocomplete="off" error=error("username") value=initial.username.clone() />
        })}
        <Field name="user[display_name]" label=move || t_string!(i18n, name_label).to_string()
            kind="text" autocomplete="off" error=error("display_name") value=initial.display_name.clone() />
        <Field name="user[email]" label=move || t_string!(i18n, email_label).to_string()
            kind="email" autocomplete="off" error=error("email") value=initial.email.clone() />
        <div class="field" class:field--invalid=move || org_error.get().is_some()>
            <label for="user[organisation_id]">{t!(i18n, organisation_column)}</label>
            <Show when=move || org_error.get().is_some()>
                <p class="field__error" id="organisation_id-error">{move || org_error.get()}</p>
            </Show>
            <select id="user[organisation_id]" name="user[organisation_id]"
                aria-describedby=move || org_error.get().is_some().then_some("organisation_id-error")>
                <option value="">{t!(i18n, choose_option)}</option>
                {organisations.into_iter().map(|org| {
                    let selected = org.id.to_string() == selected_org;
                    view! { <option value=org.id.to_string() selected=selected>{org.name}</option> }
                }).collect_view()}
            </select>
        </div>
        <fieldset class="field checkboxes" class:field--invalid=move || roles_error.get().is_some()
            aria-describedby=move || roles_error.get().is_some().then_some("roles-error")>
            <legend>{t!(i18n, roles_label)}</legend>
            <Show when=move || roles_error.get().is_some()>
                <p class="field__error" id="roles-error">{move || roles_error.get()}</p>
            </Show>
            {Role::ALL.iter().map(|role| {
                let id = format!("role-{}", role.as_str());
                let name = format!("user[roles][{}]", role.as_str());
                view! {
                    <div class="checkbox">
                        <input type="checkbox" id=id.clone() name=name value="true" checked=chosen.contains(role) />
                        <label for=id>{role_label(i18n, *role)}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

#[component]
pub fn NewUserPage() -> impl IntoView {
    let i18n = use_i18n();
    let organisations = Resource::new(|| (), |_| organisation_options());
    let action = ServerAction::<CreateUser>::new();
    let result = Signal::derive(move || action.value().get());
    view! {
        <Title text=move || t_string!(i18n, users_new).to_string() />
        <p><a href="/admin/users">{t!(i18n, users_back)}</a></p>
        <h1>{t!(i18n, users_new)}</h1>
        <p>{t!(i18n, users_new_intro)}</p>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match organisations.await {
                    Ok(organisations) => view! {
                        <ActionForm action attr:class="form" attr:novalidate="true">
                            <Show when=move || general_error(i18n, result.get()).is_some()>
                                <p class="alert alert--error" role="alert">{move || general_error(i18n, result.get())}</p>
                            </Show>
                            <UserFields initial=UserInput::default() organisations with_username=true result />
                            <button type="submit" class="button button--primary">{t!(i18n, users_create_button)}</button>
                        </ActionForm>
                    }.into_any(),
                    Err(err) => view! { <PageError err return_to="/admin/users/new" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn UserPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i32>().ok()));
    let done = move || query.with(|q| q.get("done").unwrap_or_default());
    let landed = move || query.with(|q| q.get("at").unwrap_or_default());
    let user = Resource::new(
        move || (id(), landed()),
        move |(id, _)| async move {
            match id {
                Some(id) => get_user(id).await,
                None => Err(AppError::invalid("id", t_string!(i18n, err_no_such_user))),
            }
        },
    );
    let organisations = Resource::new(|| (), |_| organisation_options());
    let return_to = move || format!("/admin/users/{}", id().unwrap_or_default());
    view! {
        <Title text=move || t_string!(i18n, user_title).to_string() />
        <p><a href="/admin/users">{t!(i18n, users_back)}</a></p>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match (user.await, organisations.await) {
                    (Ok(user), Ok(organisations)) => view! {
                        <UserView user organisations done=done() />
                    }.into_any(),
                    (Err(err), _) | (_, Err(err)) => view! { <PageError err return_to=return_to() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn done_message(i18n: leptos_i18n::I18nContext<Locale>, done: &str) -> Option<String> {
    Some(
        match done {
            "created" => t_string!(i18n, user_done_created),
            "saved" => t_string!(i18n, user_done_saved),
            "deactivated" => t_string!(i18n, user_done_deactivated),
            "reactivated" => t_string!(i18n, user_done_reactivated),
            "link" => t_string!(i18n, user_done_link),
            "second_factor_reset" => t_string!(i18n, user_done_second_factor_reset),
            _ => return None,
        }
        .to_string(),
    )
}

#[component]
fn UserView(
    user: UserDetail,
    organisations: Vec<OrganisationOption>,
    done: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let update = ServerAction::<UpdateUser>::new();
    let activate = ServerAction::<SetUserActive>::new();
    let link = ServerAction::<IssueSetPasswordLink>::new();
    let reset = ServerAction::<ResetSecondFactor>::new();
    let update_result = Signal::derive(move || update.value().get());
    // The smaller actions share one place for their errors.
    let action_error = move || {
        [
            activate.value().get(),
            link.value().get(),
            reset.value().get(),
        ]
        .into_iter()
        .find_map(|result| general_error(i18n, result))
    };
    let initial = UserInput {
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        email: user.email.clone(),
        organisation_id: user.organisation_id.to_string(),
        roles: RoleChoice {
            reporter: user.roles.contains(&Role::Reporter),
            coordinator: user.roles.contains(&Role::Coordinator),
            manager: user.roles.contains(&Role::Manager),
            ministry: user.roles.contains(&Role::Ministry),
            auditor: user.roles.contains(&Role::Auditor),
            admin: user.roles.contains(&Role::Admin),
        },
    };
    let id = user.id;
    view! {
        <h1>{user.display_name.clone()} " (" {user.username.clone()} ")"</h1>
        {done_message(i18n, &done).map(|message| view! {
            <p class="alert alert--success" role="status">{message}</p>
        })}
        {user.issued_link.clone().map(|link| view! {
            <div class="alert alert--info issued-link">
                <p>{t!(i18n, user_link_intro)}</p>
                <p><code class="link" translate="no">{link}</code></p>
            </div>
        })}
        <Show when=move || action_error().is_some()>
            <p class="alert alert--error" role="alert">{action_error}</p>
        </Show>
        <dl class="facts">
            <dt>{t!(i18n, users_status_label)}</dt>
            <dd>{if user.active { t_string!(i18n, users_status_active) } else { t_string!(i18n, users_status_inactive) }}</dd>
            <dt>{t!(i18n, organisation_column)}</dt><dd>{user.organisation.clone()}</dd>
            <dt>{t!(i18n, roles_label)}</dt><dd>{roles_label(i18n, &user.roles)}</dd>
            <dt>{t!(i18n, second_factor_column)}</dt><dd>{second_factor_label(i18n, user.second_factor)}</dd>
            <dt>{t!(i18n, password_label)}</dt>
            <dd>{if user.password_set { t_string!(i18n, user_password_set) } else { t_string!(i18n, user_password_not_set) }}</dd>
            <dt>{t!(i18n, user_sessions)}</dt><dd>{user.open_sessions}</dd>
            {user.link_valid_until.clone().map(|until| view! {
                <dt>{t!(i18n, user_link_valid_until)}</dt><dd>{until}</dd>
            })}
        </dl>

        <h2>{t!(i18n, user_actions_title)}</h2>
        <div class="actions">
            <ActionForm action=link attr:class="inline-form">
                <input type="hidden" name="id" value=id />
                <button type="submit" class="button">{t!(i18n, user_issue_link)}</button>
            </ActionForm>
            {(user.second_factor == SecondFactorState::Enrolled).then(|| view! {
                <ActionForm action=reset attr:class="inline-form">
                    <input type="hidden" name="id" value=id />
                    <button type="submit" class="button">{t!(i18n, user_reset_second_factor)}</button>
                </ActionForm>
            })}
            <ActionForm action=activate attr:class="inline-form">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="active" value=(!user.active).to_string() />
                <button type="submit" class=if user.active { "button button--danger" } else { "button" }>
                    {if user.active { t_string!(i18n, user_deactivate) } else { t_string!(i18n, user_reactivate) }}
                </button>
            </ActionForm>
        </div>

        <h2>{t!(i18n, user_edit_title)}</h2>
        <ActionForm action=update attr:class="form" attr:novalidate="true">
            <Show when=move || general_error(i18n, update_result.get()).is_some()>
                <p class="alert alert--error" role="alert">{move || general_error(i18n, update_result.get())}</p>
            </Show>
            <input type="hidden" name="id" value=id />
            <UserFields initial organisations with_username=false result=update_result />
            <button type="submit" class="button button--primary">{t!(i18n, user_save_button)}</button>
        </ActionForm>
    }
}

#[component]
pub fn SetPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let owner = Resource::new(token, set_password_link);
    let action = ServerAction::<SetPassword>::new();
    let result = Signal::derive(move || action.value().get());
    view! {
        <Title text=move || t_string!(i18n, set_password_title).to_string() />
        <h1>{t!(i18n, set_password_title)}</h1>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match owner.await {
                    Ok(username) => view! {
                        <p>{t!(i18n, password_rules)}</p>
                        <ActionForm action attr:class="form" attr:novalidate="true">
                            <Show when=move || general_error(i18n, result.get()).is_some()>
                                <p class="alert alert--error" role="alert">{move || general_error(i18n, result.get())}</p>
                            </Show>
                            <input type="hidden" name="token" value=token />
                            // For password managers: whose password this is. Not sent.
                            <div class="field">
                                <label for="username">{t!(i18n, username_label)}</label>
                                <input id="username" type="text" autocomplete="username" readonly value=username />
                            </div>
                            <Field name="new_password" label=move || t_string!(i18n, new_password_label).to_string()
                                kind="password" autocomplete="new-password" error=Signal::derive(move || field_error(result.get(), "new_password")) />
                            <Field name="repeat" label=move || t_string!(i18n, repeat_password_label).to_string()
                                kind="password" autocomplete="new-password" error=Signal::derive(move || field_error(result.get(), "repeat")) />
                            <button type="submit" class="button button--primary">{t!(i18n, set_password_button)}</button>
                        </ActionForm>
                    }.into_any(),
                    Err(_) => view! {
                        <p class="alert alert--error" role="alert">{t!(i18n, set_password_invalid)}</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> UserInput {
        UserInput {
            username: " J.deVries ".into(),
            display_name: "  Jan   de Vries ".into(),
            email: "j.devries@politie.nl".into(),
            organisation_id: "3".into(),
            roles: RoleChoice {
                coordinator: true,
                ..Default::default()
            },
        }
    }

    #[test]
    fn a_valid_form_is_normalised() {
        let valid = input().parse(true, Locale::en).expect("valid");
        assert_eq!(valid.username, "j.devries");
        assert_eq!(valid.display_name, "Jan de Vries");
        assert_eq!(valid.organisation_id, 3);
        assert_eq!(valid.roles, vec![Role::Coordinator]);
    }

    fn problem(input: UserInput, with_username: bool) -> String {
        match input.parse(with_username, Locale::en) {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn each_bad_field_is_named() {
        type Spoil = fn(&mut UserInput);
        let cases: Vec<(Spoil, &str)> = vec![
            (|u| u.username = "jd".into(), "username"),
            (|u| u.username = "1jan".into(), "username"),
            (|u| u.username = "jan devries".into(), "username"),
            (|u| u.username = "jän".into(), "username"),
            (|u| u.display_name = "   ".into(), "display_name"),
            (|u| u.display_name = "x".repeat(101), "display_name"),
            (|u| u.email = "no-at-sign".into(), "email"),
            (|u| u.email = "a@b".into(), "email"),
            (|u| u.email = "a b@c.nl".into(), "email"),
            (|u| u.organisation_id = "".into(), "organisation_id"),
            (|u| u.organisation_id = "x".into(), "organisation_id"),
            (|u| u.roles = RoleChoice::default(), "roles"),
        ];
        for (spoil, field) in cases {
            let mut bad = input();
            spoil(&mut bad);
            assert_eq!(problem(bad.clone(), true), field, "{bad:?}");
        }
    }

    #[test]
    fn the_user_name_is_not_checked_when_it_is_not_being_chosen() {
        let mut edit = input();
        edit.username = String::new();
        assert!(edit.parse(false, Locale::en).is_ok());
    }
}
