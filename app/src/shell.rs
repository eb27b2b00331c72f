//! The HTML document every page is rendered into, and the application root.

pub mod frame;

use crate::{
    account::pages::AccountPage, account::pages::EnrolPage, account::pages::SecondFactorPage,
    account::pages::SignInPage, audit::pages::AuditPage, cases::pages::CasePage,
    cases::pages::CasesPage, cases::pages::ImportCasesPage, cases::pages::NewCasePage,
    help::HelpPage, home::pages::HomePage, i18n::I18nContextProvider, not_found::NotFound,
    operations::pages::OperationsPage, overlaps::pages::BenignPage, overlaps::pages::OverlapPage,
    overlaps::pages::OverlapsPage, partnerships::admin_pages::JointVentureAdminPage,
    partnerships::admin_pages::OrganisationsPage, partnerships::admin_pages::RegionsPage,
    partnerships::pages::JointVenturePage, partnerships::pages::JointVenturesPage,
    partnerships::pages::MapPage, shell::frame::Layout, subjects::pages::ImportPage,
    subjects::pages::NewSubjectPage, users::pages::NewUserPage, users::pages::SetPasswordPage,
    users::pages::UserPage, users::pages::UsersPage,
};
use leptos::prelude::*;
use leptos_meta::{Link, MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
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
            <Title formatter=|page: String| {
                if page.is_empty() { "Liaison".to_owned() } else { format!("{page} · Liaison") }
            } />
            <Router>
                <Layout>
                    <Routes fallback=NotFound>
                        // Async: the whole page is rendered before it is sent, so it is
                        // complete without JavaScript (streamed Suspense needs a script).
                        <Route path=path!("") view=HomePage ssr=SsrMode::Async />
                        <Route path=path!("help") view=HelpPage ssr=SsrMode::Async />
                        <Route path=path!("sign-in") view=SignInPage ssr=SsrMode::Async />
                        <Route path=path!("sign-in/second-factor") view=SecondFactorPage ssr=SsrMode::Async />
                        <Route path=path!("sign-in/enrol") view=EnrolPage ssr=SsrMode::Async />
                        <Route path=path!("set-password") view=SetPasswordPage ssr=SsrMode::Async />
                        <Route path=path!("map") view=MapPage ssr=SsrMode::Async />
                        <Route path=path!("cases") view=CasesPage ssr=SsrMode::Async />
                        <Route path=path!("cases/new") view=NewCasePage ssr=SsrMode::Async />
                        <Route path=path!("cases/import") view=ImportCasesPage ssr=SsrMode::Async />
                        <Route path=path!("cases/:id") view=CasePage ssr=SsrMode::Async />
                        <Route path=path!("cases/:id/subjects/new") view=NewSubjectPage ssr=SsrMode::Async />
                        <Route path=path!("cases/:id/import") view=ImportPage ssr=SsrMode::Async />
                        <Route path=path!("operations") view=OperationsPage ssr=SsrMode::Async />
                        <Route path=path!("overlaps") view=OverlapsPage ssr=SsrMode::Async />
                        <Route path=path!("overlaps/:id") view=OverlapPage ssr=SsrMode::Async />
                        <Route path=path!("benign") view=BenignPage ssr=SsrMode::Async />
                        <Route path=path!("notifications") view=crate::notifications::pages::NotificationsPage ssr=SsrMode::Async />
                        <Route path=path!("oversight") view=crate::overlaps::oversight_pages::OversightPage ssr=SsrMode::Async />
                        <Route path=path!("oversight/overlaps/:id") view=crate::overlaps::oversight_pages::OverseenOverlapPage ssr=SsrMode::Async />
                        <Route path=path!("reports/overlaps") view=crate::reports::pages::OverlapReportPage ssr=SsrMode::Async />
                        <Route path=path!("summary") view=crate::reports::pages::SummaryPage ssr=SsrMode::Async />
                        <Route path=path!("signals") view=crate::signals::pages::SignalsPage ssr=SsrMode::Async />
                        <Route path=path!("signals/new") view=crate::signals::report_pages::ReportSignalPage ssr=SsrMode::Async />
                        <Route path=path!("signals/analysis") view=crate::signals::analysis_pages::SignalAnalysisPage ssr=SsrMode::Async />
                        <Route path=path!("signals/:id") view=crate::signals::pages::SignalPage ssr=SsrMode::Async />
                        <Route path=path!("admin/signal-routing") view=crate::signals::routing_pages::SignalRoutingPage ssr=SsrMode::Async />
                        <Route path=path!("joint-ventures") view=JointVenturesPage ssr=SsrMode::Async />
                        <Route path=path!("joint-ventures/:id") view=JointVenturePage ssr=SsrMode::Async />
                        <Route path=path!("admin/organisations") view=OrganisationsPage ssr=SsrMode::Async />
                        <Route path=path!("admin/regions") view=RegionsPage ssr=SsrMode::Async />
                        <Route path=path!("admin/joint-ventures/:id") view=JointVentureAdminPage ssr=SsrMode::Async />
                        <Route path=path!("admin/users") view=UsersPage ssr=SsrMode::Async />
                        <Route path=path!("admin/users/new") view=NewUserPage ssr=SsrMode::Async />
                        <Route path=path!("admin/users/:id") view=UserPage ssr=SsrMode::Async />
                        <Route path=path!("account") view=AccountPage ssr=SsrMode::Async />
                        <Route path=path!("audit") view=AuditPage ssr=SsrMode::Async />
                    </Routes>
                </Layout>
            </Router>
        </I18nContextProvider>
    }
}
