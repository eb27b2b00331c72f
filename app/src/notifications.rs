//! Notifications (`/notifications`): a new overlap, the other side acknowledged, a decision
//! proposed or taken, a deadline near or passed, an escalation, a follow-up. The header shows
//! how many are unread. With e-mail configured, each also goes out as an e-mail that says only
//! that something needs attention, with a link.

pub use crate::domain::NotificationKind;
use crate::{auth::general_error, error::AppError, i18n::*, layout::PageError};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationRow {
    pub id: i32,
    pub kind: NotificationKind,
    /// Where to look.
    pub link: String,
    pub overlap_id: Option<i32>,
    pub created_at: String,
    pub read: bool,
}

#[server(endpoint = "notifications")]
pub async fn list_notifications() -> Result<Vec<NotificationRow>, AppError> {
    crate::server::respond(
        async {
            let user = crate::server::auth::require_user().await?;
            crate::server::notifications::list(&crate::server::db()?, &user).await
        }
        .await,
    )
}

/// How many of the caller's notifications are unread (none for a visitor).
#[server(endpoint = "unread_notifications")]
pub async fn unread_notifications() -> Result<u64, AppError> {
    crate::server::respond(
        async {
            match crate::server::auth::current_user().await? {
                Some(user) => {
                    crate::server::notifications::unread(&crate::server::db()?, &user).await
                }
                None => Ok(0),
            }
        }
        .await,
    )
}

/// Marks one notification (`id`) or all of the caller's (`id` empty) read.
#[server(endpoint = "mark_notifications_read")]
pub async fn mark_read(#[server(default)] id: String) -> Result<(), AppError> {
    let result = async {
        let user = crate::server::auth::require_user().await?;
        let id = match id.trim() {
            "" => None,
            text => Some(text.parse::<i32>().map_err(|_| {
                AppError::invalid(
                    "id",
                    td_string!(crate::language::request_locale(), err_choose_from_list),
                )
            })?),
        };
        crate::server::notifications::mark_read(&crate::server::db()?, &user, id).await
    }
    .await;
    if result.is_ok() {
        crate::server::land("/notifications", "done=read");
    }
    crate::server::respond(result)
}

pub fn kind_label(i18n: leptos_i18n::I18nContext<Locale>, kind: NotificationKind) -> String {
    use NotificationKind as K;
    match kind {
        K::NewOverlap => t_string!(i18n, notification_new_overlap),
        K::Acknowledged => t_string!(i18n, notification_acknowledged),
        K::Proposed => t_string!(i18n, notification_proposed),
        K::Decided => t_string!(i18n, notification_decided),
        K::Reopened => t_string!(i18n, notification_reopened),
        K::DeadlineNear => t_string!(i18n, notification_deadline_near),
        K::DeadlinePassed => t_string!(i18n, notification_deadline_passed),
        K::Escalated => t_string!(i18n, notification_escalated),
        K::FollowUp => t_string!(i18n, notification_follow_up),
        K::NewSignal => t_string!(i18n, notification_new_signal),
        K::SignalRouted => t_string!(i18n, notification_signal_routed),
        K::SignalOverdue => t_string!(i18n, notification_signal_overdue),
        K::SignalEscalated => t_string!(i18n, notification_signal_escalated),
        K::SignalFeedback => t_string!(i18n, notification_signal_feedback),
        K::SignalAttached => t_string!(i18n, notification_signal_attached),
        K::SignalMatch => t_string!(i18n, notification_signal_match),
    }
    .to_string()
}

/// `/notifications`: the caller's notifications, newest first.
#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let landed = move || query.with(|q| q.get("at").unwrap_or_default());
    let list = Resource::new(landed, |_| list_notifications());
    let read = ServerAction::<MarkRead>::new();
    let marked = Signal::derive(move || read.value().get());
    view! {
        <Title text=move || t_string!(i18n, notifications_title).to_string() />
        <h1>{t!(i18n, notifications_title)}</h1>
        <Show when=move || general_error(i18n, marked.get()).is_some()>
            <p class="alert alert--error" role="alert">{move || general_error(i18n, marked.get())}</p>
        </Show>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(rows) if rows.is_empty() => view! { <p>{t!(i18n, notifications_none)}</p> }.into_any(),
                    Ok(rows) => {
                        let unread = rows.iter().any(|n| !n.read);
                        view! {
                            {unread.then(|| view! {
                                <ActionForm action=read attr:class="inline-form">
                                    <input type="hidden" name="id" value="" />
                                    <button type="submit" class="button">{t!(i18n, notifications_all_read)}</button>
                                </ActionForm>
                            })}
                            <ul class="notifications">
                                {rows.into_iter().map(|n| view! {
                                    <li class:notification--unread=!n.read>
                                        <time>{n.created_at.get(..16).unwrap_or_default().replace('T', " ")}</time> " "
                                        {(!n.read).then(|| view! { <strong class="badge">{t!(i18n, notifications_unread)}</strong> " " })}
                                        <a href=n.link.clone()>
                                            {kind_label(i18n, n.kind)}
                                            {n.overlap_id.map(|id| format!(" (#{id})"))}
                                        </a>
                                        {(!n.read).then(|| view! {
                                            " "
                                            <ActionForm action=read attr:class="inline-form">
                                                <input type="hidden" name="id" value=n.id />
                                                <button type="submit" class="button button--small"
                                                    aria-label=format!("{} #{}", t_string!(i18n, notifications_mark_read), n.id)>
                                                    {t!(i18n, notifications_mark_read)}
                                                </button>
                                            </ActionForm>
                                        })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                    Err(err) => view! { <PageError err return_to="/notifications" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
