//! Components.

use crate::domain::NotificationKind;
use crate::notifications::api::MarkRead;
use crate::notifications::api::list_notifications;
use crate::{i18n::*, ui::form::general_error, ui::page::PageError};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

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
        K::ApprovalRequested => t_string!(i18n, notification_approval_requested),
        K::DeletionRequested => t_string!(i18n, notification_deletion_requested),
        K::DeletionConfirmed => t_string!(i18n, notification_deletion_confirmed),
        K::ApprovalDecided => t_string!(i18n, notification_approval_decided),
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
        <Title text=t_string!(i18n, notifications_title).to_string() />
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
                                        <crate::ui::format::Moment at=n.created_at.clone() /> " "
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
