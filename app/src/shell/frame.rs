//! The page frame: skip link, header with product name, navigation and language switch, the
//! main landmark, and the footer. It names the features whose counts the menu shows, so it
//! sits with the shell, above every feature.

use crate::access::{Action, Object, may};
use crate::{
    account::api::get_current_user, account::pages::SignOutButton, i18n::*,
    language::LanguageSwitch,
};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="skip-link" href="#content">{t!(i18n, skip_to_content)}</a>
        <SiteHeader />
        <main id="content" class="page" tabindex="-1">{children()}</main>
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

/// Without JavaScript the navigation is always shown. Once hydrated, narrow screens fold it
/// behind a menu button, so the page stays usable before and without the WebAssembly.
#[component]
fn SiteHeader() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let (enhanced, set_enhanced) = signal(false);
    let (open, set_open) = signal(false);
    // Effects run only in the browser, after hydration.
    Effect::new(move |_| set_enhanced.set(true));
    Effect::new(move |_| {
        location.pathname.track();
        set_open.set(false);
    });
    let current =
        move |path: &'static str| move || (location.pathname.get() == path).then_some("page");

    view! {
        <header class="site-header" class:enhanced=enhanced>
            <div class="site-header__bar">
                <a class="site-header__brand" href="/">
                    <span class="site-header__logo" aria-hidden="true"></span>
                    <span class="site-header__name">{t!(i18n, app_name)}</span>
                    <span class="site-header__tagline">{t!(i18n, tagline)}</span>
                </a>
                <LanguageSwitch />
            </div>
            <div class="site-header__nav">
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
                    <ul>
                        <li><a href="/" aria-current=current("/")>{t!(i18n, nav_home)}</a></li>
                        <li><a href="/help" aria-current=current("/help")>{t!(i18n, nav_help)}</a></li>
                    </ul>
                    <UserMenu />
                </nav>
            </div>
        </header>
    }
}

/// Who is signed in, with the way out; or the way in.
#[component]
fn UserMenu() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let user = Resource::new(move || location.pathname.get(), |_| get_current_user());
    let open_count = Resource::new(
        move || location.pathname.get(),
        |_| crate::overlaps::api::open_overlaps(),
    );
    let unread_count = Resource::new(
        move || location.pathname.get(),
        |_| crate::notifications::api::unread_notifications(),
    );
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let open = open_count.await.unwrap_or(0);
                let unread = unread_count.await.unwrap_or(0);
                match user.await {
                    Ok(Some(user)) => view! {
                        <div class="user-menu">
                            {may(&user, Action::Read, Object::PartnershipMap).then(|| view! {
                                <a href="/map" aria-current=move || (location.pathname.get() == "/map").then_some("page")>
                                    {t!(i18n, nav_map)}
                                </a>
                                <a href="/joint-ventures" aria-current=move || location.pathname.get().starts_with("/joint-ventures").then_some("page")>
                                    {t!(i18n, nav_joint_ventures)}
                                </a>
                            })}
                            {may(&user, Action::Read, Object::CaseWork).then(|| view! {
                                <a href="/cases" aria-current=move || location.pathname.get().starts_with("/cases").then_some("page")>
                                    {t!(i18n, nav_cases)}
                                </a>
                                <a href="/operations" aria-current=move || location.pathname.get().starts_with("/operations").then_some("page")>
                                    {t!(i18n, nav_operations)}
                                </a>
                                <a href="/overlaps" aria-current=move || location.pathname.get().starts_with("/overlaps").then_some("page")>
                                    {t!(i18n, nav_overlaps)}
                                    {(open > 0).then(|| view! {
                                        " " <span class="badge">{open}<span class="visually-hidden">" " {t!(i18n, nav_overlaps_open)}</span></span>
                                    })}
                                </a>
                            })}
                            {may(&user, Action::Read, Object::Oversight).then(|| view! {
                                <a href="/oversight" aria-current=move || location.pathname.get().starts_with("/oversight").then_some("page")>
                                    {t!(i18n, nav_oversight)}
                                </a>
                                <a href="/reports/overlaps" aria-current=move || location.pathname.get().starts_with("/reports").then_some("page")>
                                    {t!(i18n, nav_report)}
                                </a>
                            })}
                            {may(&user, Action::Read, Object::Summary).then(|| view! {
                                <a href="/summary" aria-current=move || (location.pathname.get() == "/summary").then_some("page")>
                                    {t!(i18n, nav_summary)}
                                </a>
                            })}
                            {may(&user, Action::Read, Object::Signals).then(|| view! {
                                <a href="/signals" aria-current=move || location.pathname.get().starts_with("/signals").then_some("page")>
                                    {t!(i18n, nav_signals)}
                                </a>
                            })}
                            {may(&user, Action::Read, Object::Notifications).then(|| view! {
                                <a href="/notifications" aria-current=move || (location.pathname.get() == "/notifications").then_some("page")>
                                    {t!(i18n, nav_notifications)}
                                    {(unread > 0).then(|| view! {
                                        " " <span class="badge">{unread}<span class="visually-hidden">" " {t!(i18n, nav_notifications_unread)}</span></span>
                                    })}
                                </a>
                            })}
                            {may(&user, Action::Read, Object::Users).then(|| view! {
                                <a href="/admin/users" aria-current=move || location.pathname.get().starts_with("/admin/users").then_some("page")>
                                    {t!(i18n, nav_users)}
                                </a>
                            })}
                            {may(&user, Action::Read, Object::AuditTrail).then(|| view! {
                                <a href="/audit" aria-current=move || (location.pathname.get() == "/audit").then_some("page")>
                                    {t!(i18n, nav_audit)}
                                </a>
                            })}
                            <a href="/account" aria-current=move || (location.pathname.get() == "/account").then_some("page")>
                                <span class="visually-hidden">{t!(i18n, signed_in_as)} " "</span>
                                {user.display_name}
                            </a>
                            <SignOutButton />
                        </div>
                    }.into_any(),
                    _ => view! {
                        <div class="user-menu">
                            <a href="/sign-in" aria-current=move || (location.pathname.get() == "/sign-in").then_some("page")>
                                {t!(i18n, nav_sign_in)}
                            </a>
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
