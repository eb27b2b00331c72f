//! The HTML document every page is rendered into, and the application root.

pub mod frame;
mod pages;

use crate::{i18n::I18nContextProvider, not_found::NotFound, shell::frame::Layout};
use leptos::prelude::*;
use leptos_meta::{Link, MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    Lazy, SsrMode,
    components::{Route, Router, Routes},
    path,
};

/// The outer document, rendered on the server only. `<html lang>` is set by the i18n provider.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::security::content_security_policy();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <I18nContextProvider>
            <Stylesheet id="liaison" href="/pkg/liaison.css" />
            <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
            // An empty text below every page's own: while a page's code is still loading (its
            // area's chunk hydrates after the frame) the title reads "Liaison", never nothing.
            <Title text="" formatter=|page: String| {
                if page.is_empty() { "Liaison".to_owned() } else { format!("{page} · Liaison") }
            } />
            <Router>
                <Layout>
                    <Routes fallback=NotFound>
                        // Async: the whole page is rendered before it is sent, so it is
                        // complete without JavaScript (streamed Suspense needs a script).
                        <Route path=path!("") view={Lazy::<pages::Home>::new()} ssr=SsrMode::Async />
                        <Route path=path!("help") view={Lazy::<pages::Help>::new()} ssr=SsrMode::Async />
                        <Route path=path!("help/api") view={Lazy::<pages::ApiReference>::new()} ssr=SsrMode::Async />
                        <Route path=path!("sign-in") view={Lazy::<pages::SignIn>::new()} ssr=SsrMode::Async />
                        <Route path=path!("sign-in/second-factor") view={Lazy::<pages::SecondFactor>::new()} ssr=SsrMode::Async />
                        <Route path=path!("sign-in/enrol") view={Lazy::<pages::Enrol>::new()} ssr=SsrMode::Async />
                        <Route path=path!("set-password") view={Lazy::<pages::SetPassword>::new()} ssr=SsrMode::Async />
                        <Route path=path!("map") view={Lazy::<pages::Map>::new()} ssr=SsrMode::Async />
                        <Route path=path!("cases") view={Lazy::<pages::Cases>::new()} ssr=SsrMode::Async />
                        <Route path=path!("cases/new") view={Lazy::<pages::NewCase>::new()} ssr=SsrMode::Async />
                        <Route path=path!("cases/import") view={Lazy::<pages::ImportCases>::new()} ssr=SsrMode::Async />
                        <Route path=path!("cases/:id") view={Lazy::<pages::Case>::new()} ssr=SsrMode::Async />
                        <Route path=path!("cases/:id/subjects/new") view={Lazy::<pages::NewSubject>::new()} ssr=SsrMode::Async />
                        <Route path=path!("cases/:id/import") view={Lazy::<pages::Import>::new()} ssr=SsrMode::Async />
                        <Route path=path!("operations") view={Lazy::<pages::Operations>::new()} ssr=SsrMode::Async />
                        <Route path=path!("overlaps") view={Lazy::<pages::Overlaps>::new()} ssr=SsrMode::Async />
                        <Route path=path!("overlaps/:id") view={Lazy::<pages::Overlap>::new()} ssr=SsrMode::Async />
                        <Route path=path!("benign") view={Lazy::<pages::Benign>::new()} ssr=SsrMode::Async />
                        <Route path=path!("notifications") view={Lazy::<pages::Notifications>::new()} ssr=SsrMode::Async />
                        <Route path=path!("oversight") view={Lazy::<pages::Oversight>::new()} ssr=SsrMode::Async />
                        <Route path=path!("oversight/overlaps/:id") view={Lazy::<pages::OverseenOverlap>::new()} ssr=SsrMode::Async />
                        <Route path=path!("reports/overlaps") view={Lazy::<pages::OverlapReport>::new()} ssr=SsrMode::Async />
                        <Route path=path!("summary") view={Lazy::<pages::Summary>::new()} ssr=SsrMode::Async />
                        <Route path=path!("signals") view={Lazy::<pages::Signals>::new()} ssr=SsrMode::Async />
                        <Route path=path!("signals/new") view={Lazy::<pages::ReportSignal>::new()} ssr=SsrMode::Async />
                        <Route path=path!("signals/analysis") view={Lazy::<pages::SignalAnalysis>::new()} ssr=SsrMode::Async />
                        <Route path=path!("signals/:id") view={Lazy::<pages::Signal>::new()} ssr=SsrMode::Async />
                        <Route path=path!("admin/signal-routing") view={Lazy::<pages::SignalRouting>::new()} ssr=SsrMode::Async />
                        <Route path=path!("joint-ventures") view={Lazy::<pages::JointVentures>::new()} ssr=SsrMode::Async />
                        <Route path=path!("joint-ventures/:id") view={Lazy::<pages::JointVenture>::new()} ssr=SsrMode::Async />
                        <Route path=path!("admin/organisations") view={Lazy::<pages::Organisations>::new()} ssr=SsrMode::Async />
                        <Route path=path!("admin/regions") view={Lazy::<pages::Regions>::new()} ssr=SsrMode::Async />
                        <Route path=path!("admin/joint-ventures/:id") view={Lazy::<pages::JointVentureAdmin>::new()} ssr=SsrMode::Async />
                        <Route path=path!("admin/users") view={Lazy::<pages::Users>::new()} ssr=SsrMode::Async />
                        <Route path=path!("admin/users/new") view={Lazy::<pages::NewUser>::new()} ssr=SsrMode::Async />
                        <Route path=path!("admin/users/:id") view={Lazy::<pages::User>::new()} ssr=SsrMode::Async />
                        <Route path=path!("account") view={Lazy::<pages::Account>::new()} ssr=SsrMode::Async />
                        <Route path=path!("audit") view={Lazy::<pages::Audit>::new()} ssr=SsrMode::Async />
                        <Route path=path!("audit/provisions") view={Lazy::<pages::Provisions>::new()} ssr=SsrMode::Async />
                        <Route path=path!("admin/retention") view={Lazy::<pages::Retention>::new()} ssr=SsrMode::Async />
                        <Route path=path!("admin/disclosure-grounds") view={Lazy::<pages::DisclosureGrounds>::new()} ssr=SsrMode::Async />
                        <Route path=path!("admin/api-clients") view={Lazy::<pages::ApiClients>::new()} ssr=SsrMode::Async />
                        <Route path=path!("admin/matching") view={Lazy::<pages::MatchingModel>::new()} ssr=SsrMode::Async />
                    </Routes>
                </Layout>
            </Router>
        </I18nContextProvider>
    }
}
