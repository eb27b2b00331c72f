//! The page frame: skip link, header with product name, navigation and language switch, the
//! main landmark, and the footer. It names the features whose counts the menu shows, so it
//! sits with the shell, above every feature.

use crate::access::{Action, Object, SignedInUser, may};
use crate::{
    account::api::get_current_user, account::pages::SignOutButton, error::AppError, i18n::*,
    language::LanguageSwitch,
};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let (page_hydrated, set_page_hydrated) = signal(false);
    provide_context(PageHydrated(set_page_hydrated));
    view! {
        <a class="skip-link" href="#content">{t!(i18n, skip_to_content)}</a>
        <SiteHeader />
        <main
            id="content"
            class="page"
            tabindex="-1"
            data-hydrated=move || page_hydrated.get().then_some("true")
        >
            {children()}
        </main>
        <footer class="site-footer">
            <div class="site-footer__inner">
                <p>{t!(i18n, footer_text)}</p>
                <ul class="site-footer__links">
                    <li><a href="/help#accessibility">{t!(i18n, footer_accessibility)}</a></li>
                    <li><a href="/healthz">{t!(i18n, footer_health)}</a></li>
                </ul>
            </div>
        </footer>
    }
}

/// Set once the page inside the frame is hydrated: its code arrives in a chunk of its own (see
/// `shell::pages`), after the frame's, so a hydrated header does not yet mean a live page.
#[derive(Clone, Copy)]
struct PageHydrated(WriteSignal<bool>);

/// Called by every page as it is built: after hydration, `<main>` says `data-hydrated="true"`.
pub(crate) fn mark_page_hydrated() {
    if let Some(PageHydrated(set)) = use_context::<PageHydrated>() {
        // Effects run only in the browser, after the view they belong to is hydrated.
        Effect::new(move |_| set.set(true));
    }
}

/// Who is signed in, as the header reads it once per page for both of its parts.
type CurrentUser = Resource<Result<Option<SignedInUser>, AppError>>;

/// Without JavaScript the navigation is always shown. Once hydrated, narrow screens fold it
/// behind a menu button, so the page stays usable before and without the WebAssembly.
///
/// The account (name and sign-out) sits beside the language switch rather than at the end of
/// the menu: the menu then holds only the places to go and fits one row on a laptop screen,
/// and on a phone the way out stays in sight while the menu is folded.
#[component]
fn SiteHeader() -> impl IntoView {
    let i18n = use_i18n();
    let pathname = use_location().pathname;
    let (enhanced, set_enhanced) = signal(false);
    let (open, set_open) = signal(false);
    // Effects run only in the browser, after hydration.
    Effect::new(move |_| set_enhanced.set(true));
    Effect::new(move |_| {
        pathname.track();
        set_open.set(false);
    });
    let user: CurrentUser = Resource::new(move || pathname.get(), |_| get_current_user());

    view! {
        <header class="site-header" class:enhanced=enhanced>
            <div class="site-header__inner">
                <a class="site-header__brand" href="/">
                    <span class="site-header__logo" aria-hidden="true"></span>
                    <span class="site-header__name">{t!(i18n, app_name)}</span>
                    <span class="site-header__tagline">{t!(i18n, tagline)}</span>
                </a>
                <LanguageSwitch />
                <AccountMenu user />
                <button
                    type="button"
                    class="nav-toggle"
                    aria-controls="main-nav"
                    aria-expanded=move || open.get().to_string()
                    on:click=move |_| set_open.update(|open| *open = !*open)
                >
                    {t!(i18n, menu_button)}
                </button>
                <nav
                    id="main-nav"
                    class="main-nav"
                    class:open=open
                    aria-label=move || t_string!(i18n, nav_label).to_string()
                >
                    <MenuItems user />
                </nav>
            </div>
        </header>
    }
}

/// Who is signed in, with the way out; or the way in.
#[component]
fn AccountMenu(user: CurrentUser) -> impl IntoView {
    let i18n = use_i18n();
    let pathname = use_location().pathname;
    let current = move |path: &'static str| move || (pathname.get() == path).then_some("page");
    view! {
        <div class="account-menu">
            <Suspense>
                {move || Suspend::new(async move {
                    match user.await {
                        Ok(Some(user)) => view! {
                            <a class="account-menu__name" href="/account" aria-current=current("/account")>
                                <span class="visually-hidden">{t!(i18n, signed_in_as)} " "</span>
                                {user.display_name}
                            </a>
                            <SignOutButton />
                        }.into_any(),
                        _ => view! {
                            <a href="/sign-in" aria-current=current("/sign-in")>{t!(i18n, nav_sign_in)}</a>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// The places the signed-in user may go, each only if the server would let them in.
#[component]
fn MenuItems(user: CurrentUser) -> impl IntoView {
    let i18n = use_i18n();
    let pathname = use_location().pathname;
    // `below`: the entry is also current on the pages under it (`/cases/12` for `/cases`).
    let current = move |href: &'static str, below: bool| {
        move || {
            let path = pathname.get();
            (path == href || (below && path.starts_with(href))).then_some("page")
        }
    };
    let open_count = Resource::new(
        move || pathname.get(),
        |_| crate::overlaps::api::open_overlaps(),
    );
    let unread_count = Resource::new(
        move || pathname.get(),
        |_| crate::notifications::api::unread_notifications(),
    );
    view! {
        <ul>
            <li><a href="/" aria-current=current("/", false)>{t!(i18n, nav_home)}</a></li>
            <Suspense>
                {move || Suspend::new(async move {
                    let open = open_count.await.unwrap_or(0);
                    let unread = unread_count.await.unwrap_or(0);
                    let Ok(Some(user)) = user.await else {
                        return ().into_any();
                    };
                    let reads = |object| may(&user, Action::Read, object);
                    view! {
                        {reads(Object::PartnershipMap).then(|| view! {
                            <li><a href="/map" aria-current=current("/map", false)>{t!(i18n, nav_map)}</a></li>
                            <li><a href="/joint-ventures" aria-current=current("/joint-ventures", true)>{t!(i18n, nav_joint_ventures)}</a></li>
                        })}
                        {reads(Object::CaseWork).then(|| view! {
                            <li><a href="/cases" aria-current=current("/cases", true)>{t!(i18n, nav_cases)}</a></li>
                            <li><a href="/operations" aria-current=current("/operations", true)>{t!(i18n, nav_operations)}</a></li>
                            <li>
                                <a href="/overlaps" aria-current=current("/overlaps", true)>
                                    {t!(i18n, nav_overlaps)}
                                    {(open > 0).then(|| view! {
                                        " " <span class="badge">{open}<span class="visually-hidden">" " {t!(i18n, nav_overlaps_open)}</span></span>
                                    })}
                                </a>
                            </li>
                        })}
                        {reads(Object::Oversight).then(|| view! {
                            <li><a href="/oversight" aria-current=current("/oversight", true)>{t!(i18n, nav_oversight)}</a></li>
                            <li><a href="/reports/overlaps" aria-current=current("/reports", true)>{t!(i18n, nav_report)}</a></li>
                        })}
                        {reads(Object::Summary).then(|| view! {
                            <li><a href="/summary" aria-current=current("/summary", false)>{t!(i18n, nav_summary)}</a></li>
                        })}
                        {reads(Object::Signals).then(|| view! {
                            <li><a href="/signals" aria-current=current("/signals", true)>{t!(i18n, nav_signals)}</a></li>
                        })}
                        {reads(Object::Notifications).then(|| view! {
                            <li>
                                <a href="/notifications" aria-current=current("/notifications", false)>
                                    {t!(i18n, nav_notifications)}
                                    {(unread > 0).then(|| view! {
                                        " " <span class="badge">{unread}<span class="visually-hidden">" " {t!(i18n, nav_notifications_unread)}</span></span>
                                    })}
                                </a>
                            </li>
                        })}
                        {reads(Object::Users).then(|| view! {
                            <li><a href="/admin/users" aria-current=current("/admin/users", true)>{t!(i18n, nav_users)}</a></li>
                        })}
                        {reads(Object::ApiClients).then(|| view! {
                            <li><a href="/admin/api-clients" aria-current=current("/admin/api-clients", false)>{t!(i18n, nav_api_clients)}</a></li>
                        })}
                        {reads(Object::AuditTrail).then(|| view! {
                            <li><a href="/audit" aria-current=current("/audit", false)>{t!(i18n, nav_audit)}</a></li>
                        })}
                        {reads(Object::ProvisionRegister).then(|| view! {
                            <li><a href="/audit/provisions" aria-current=current("/audit/provisions", false)>{t!(i18n, nav_provisions)}</a></li>
                        })}
                        {reads(Object::Retention).then(|| view! {
                            <li><a href="/admin/retention" aria-current=current("/admin/retention", false)>{t!(i18n, nav_retention)}</a></li>
                        })}
                        {reads(Object::MatchingModel).then(|| view! {
                            <li><a href="/admin/matching" aria-current=current("/admin/matching", false)>{t!(i18n, nav_matching_model)}</a></li>
                        })}
                        {reads(Object::DisclosureLists).then(|| view! {
                            <li><a href="/admin/disclosure-grounds" aria-current=current("/admin/disclosure-grounds", false)>{t!(i18n, nav_disclosure_grounds)}</a></li>
                        })}
                    }.into_any()
                })}
            </Suspense>
            <li><a href="/help" aria-current=current("/help", false)>{t!(i18n, nav_help)}</a></li>
        </ul>
    }
}
