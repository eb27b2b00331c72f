//! Components.

use crate::ui::page::TableRegion;
use crate::users::api::{
    ApproveTakeover, CreateUser, IssueSetPasswordLink, RefuseTakeover, ResetSecondFactor,
    SetPassword, SetUserActive, UpdateUser,
};
use crate::users::api::{
    get_user, list_users, organisation_options, set_password_link, takeover_requests,
};
use crate::users::types::{
    OrganisationOption, RoleChoice, SecondFactorState, TakeoverKind, TakeoverRequest, UserDetail,
    UserInput, UserRow,
};
use crate::{
    domain::Role, error::AppError, i18n::*, ui::form::Field, ui::form::field_error,
    ui::form::general_error, ui::format::Moment, ui::labels::role_label, ui::labels::roles_label,
    ui::page::PageError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

pub(crate) fn second_factor_label(
    i18n: leptos_i18n::I18nContext<Locale>,
    state: SecondFactorState,
) -> String {
    match state {
        SecondFactorState::Enrolled => t_string!(i18n, second_factor_enrolled),
        SecondFactorState::Pending => t_string!(i18n, second_factor_pending),
        SecondFactorState::Off => t_string!(i18n, second_factor_off),
    }
    .to_string()
}

pub(crate) fn takeover_kind_label(
    i18n: leptos_i18n::I18nContext<Locale>,
    kind: TakeoverKind,
) -> String {
    match kind {
        TakeoverKind::ResetSecondFactor => t_string!(i18n, takeover_kind_reset),
        TakeoverKind::SetPasswordLink => t_string!(i18n, takeover_kind_link),
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
    let takeovers = Resource::new(|| (), |_| takeover_requests());
    view! {
        <Title text=t_string!(i18n, users_title).to_string() />
        <h1>{t!(i18n, users_title)}</h1>
        <p><a class="button button--primary" href="/admin/users/new">{t!(i18n, users_new)}</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                takeovers.await.ok().filter(|requests| !requests.is_empty()).map(|requests| view! {
                    <section class="alert alert--info" aria-labelledby="takeovers-title">
                        <h2 id="takeovers-title">{t!(i18n, takeover_title)}</h2>
                        <TakeoverOverview requests />
                    </section>
                })
            })}
        </Suspense>
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
pub(crate) fn UserTable(users: Vec<UserRow>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <TableRegion label=move || t_string!(i18n, users_title)>
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
        </TableRegion>
    }
}

/// The takeover requests waiting for a decision, each linking to the account's page (where it
/// is approved or refused).
#[component]
pub(crate) fn TakeoverOverview(requests: Vec<TakeoverRequest>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <TableRegion label=move || t_string!(i18n, takeover_title)>
            <table class="table">
                <caption class="visually-hidden">{t!(i18n, takeover_title)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, username_label)}</th>
                        <th scope="col">{t!(i18n, takeover_kind_column)}</th>
                        <th scope="col">{t!(i18n, takeover_requested_by)}</th>
                        <th scope="col">{t!(i18n, takeover_expires_at)}</th>
                    </tr>
                </thead>
                <tbody>
                    {requests.into_iter().map(|request| view! {
                        <tr>
                            <td><a href=format!("/admin/users/{}", request.user_id)>{request.username}</a></td>
                            <td>{takeover_kind_label(i18n, request.kind)}</td>
                            <td>{request.requested_by}</td>
                            <td><Moment at=request.expires_at /></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </TableRegion>
    }
}

/// The fields shared by the create and edit forms, filled with `initial`.
#[component]
pub(crate) fn UserFields(
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
        <Title text=t_string!(i18n, users_new).to_string() />
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
        <Title text=t_string!(i18n, user_title).to_string() />
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

pub(crate) fn done_message(i18n: leptos_i18n::I18nContext<Locale>, done: &str) -> Option<String> {
    Some(
        match done {
            "created" => t_string!(i18n, user_done_created),
            "saved" => t_string!(i18n, user_done_saved),
            "deactivated" => t_string!(i18n, user_done_deactivated),
            "reactivated" => t_string!(i18n, user_done_reactivated),
            "takeover_requested" => t_string!(i18n, user_done_takeover_requested),
            "takeover_approved" => t_string!(i18n, user_done_takeover_approved),
            "takeover_refused" => t_string!(i18n, user_done_takeover_refused),
            _ => return None,
        }
        .to_string(),
    )
}

#[component]
pub(crate) fn UserView(
    user: UserDetail,
    organisations: Vec<OrganisationOption>,
    done: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let update = ServerAction::<UpdateUser>::new();
    let activate = ServerAction::<SetUserActive>::new();
    let link = ServerAction::<IssueSetPasswordLink>::new();
    let reset = ServerAction::<ResetSecondFactor>::new();
    let approve = ServerAction::<ApproveTakeover>::new();
    let refuse = ServerAction::<RefuseTakeover>::new();
    let update_result = Signal::derive(move || update.value().get());
    // The smaller actions share one place for their errors.
    let action_error = move || {
        [
            activate.value().get(),
            link.value().get(),
            reset.value().get(),
            approve.value().get(),
            refuse.value().get(),
        ]
        .into_iter()
        .find_map(|result| general_error(i18n, result))
    };
    let reason_error = move || field_error(refuse.value().get(), "reason");
    // Every link and factor reset is a request a second administrator decides.
    let may_request = user.takeover_possible;
    let takeovers = user.takeovers.clone();
    let initial = UserInput {
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        email: user.email.clone(),
        organisation_id: user.organisation_id.to_string(),
        roles: RoleChoice::of(&user.roles),
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
                <dt>{t!(i18n, user_link_valid_until)}</dt><dd><Moment at=until /></dd>
            })}
        </dl>

        {(!takeovers.is_empty()).then(|| view! {
            <h2>{t!(i18n, takeover_title)}</h2>
            <Show when=move || reason_error().is_some()>
                <p class="alert alert--error" role="alert">{reason_error}</p>
            </Show>
            <TakeoverDecisions requests=takeovers approve refuse />
        })}

        <h2>{t!(i18n, user_actions_title)}</h2>
        <p>{t!(i18n, takeover_intro)}</p>
        {(!may_request).then(|| view! {
            <p class="alert alert--warning">{t!(i18n, takeover_single_admin)}</p>
        })}
        <div class="actions">
            {may_request.then(|| view! {
                <ActionForm action=link attr:class="inline-form">
                    <input type="hidden" name="id" value=id />
                    <button type="submit" class="button">{t!(i18n, user_request_link)}</button>
                </ActionForm>
            })}
            {(may_request && user.second_factor == SecondFactorState::Enrolled).then(|| view! {
                <ActionForm action=reset attr:class="inline-form">
                    <input type="hidden" name="id" value=id />
                    <button type="submit" class="button">{t!(i18n, user_request_second_factor_reset)}</button>
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

/// The takeover requests for one account: another administrator approves or refuses each
/// (plain form posts); the requester sees that it waits.
#[component]
pub(crate) fn TakeoverDecisions(
    requests: Vec<TakeoverRequest>,
    approve: ServerAction<ApproveTakeover>,
    refuse: ServerAction<RefuseTakeover>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <TableRegion label=move || t_string!(i18n, takeover_title)>
            <table class="table">
                <caption class="visually-hidden">{t!(i18n, takeover_title)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, takeover_kind_column)}</th>
                        <th scope="col">{t!(i18n, takeover_requested_by)}</th>
                        <th scope="col">{t!(i18n, takeover_requested_at)}</th>
                        <th scope="col">{t!(i18n, takeover_expires_at)}</th>
                        <th scope="col">{t!(i18n, takeover_decision_column)}</th>
                    </tr>
                </thead>
                <tbody>
                    {requests.into_iter().map(|request| {
                        let reason_id = format!("reason-{}", request.id);
                        let reason_for = reason_id.clone();
                        let decision = if request.may_decide {
                            view! {
                                <ActionForm action=approve attr:class="inline-form">
                                    <input type="hidden" name="request_id" value=request.id />
                                    <button type="submit" class="button button--primary">{t!(i18n, takeover_approve)}</button>
                                </ActionForm>
                                <ActionForm action=refuse attr:class="inline-form">
                                    <input type="hidden" name="request_id" value=request.id />
                                    <label for=reason_for>{t!(i18n, takeover_reason_label)}</label>
                                    <input type="text" id=reason_id name="reason" autocomplete="off" />
                                    <button type="submit" class="button button--danger">{t!(i18n, takeover_refuse)}</button>
                                </ActionForm>
                            }.into_any()
                        } else {
                            view! { <span>{t!(i18n, takeover_waiting)}</span> }.into_any()
                        };
                        view! {
                            <tr>
                                <td>{takeover_kind_label(i18n, request.kind)}</td>
                                <td>{request.requested_by}</td>
                                <td><Moment at=request.requested_at /></td>
                                <td><Moment at=request.expires_at /></td>
                                <td>{decision}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </TableRegion>
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
        <Title text=t_string!(i18n, set_password_title).to_string() />
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
