//! The pages as lazily loaded routes. The pages of one area (cases, overlaps, signals, …) are
//! one WebAssembly chunk, loaded with the first page of the area a browser shows; the server
//! names the chunk in the page's preload links. A first visit loads the frame and one area
//! instead of the whole portal. (A chunk per page made hundreds of small shared chunks.)

use leptos::prelude::*;
use leptos_router::LazyRoute;

/// An area: its pages as an enum, one lazy function that shows any of them (the split point),
/// and a lazily loaded route per page. `$show` and `$preload` name the function and the
/// preloader `#[lazy]` makes for it (`__preload_` + its name).
macro_rules! area {
    ($(#[$doc:meta])* $area:ident, $show:ident, $preload:ident { $($route:ident => $page:path,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy)]
        pub enum $area {
            $($route,)*
        }

        #[leptos::lazy]
        fn $show(page: $area) -> AnyView {
            crate::shell::frame::mark_page_hydrated();
            match page {
                $($area::$route => $page().into_any(),)*
            }
        }

        $(
            pub struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    $show($area::$route).await
                }

                async fn preload() {
                    #[cfg(target_arch = "wasm32")]
                    $preload().await;
                }
            }
        )*
    };
}

area! {
    /// The pages of the start page and help.
    StartArea, start_pages, __preload_start_pages {
        Home => crate::home::pages::HomePage,
        Help => crate::help::HelpPage,
        ApiReference => crate::api_clients::reference_pages::ApiReferencePage,
    }
}

area! {
    /// The pages of signing in and one's own account.
    AccountArea, account_pages, __preload_account_pages {
        SignIn => crate::account::pages::SignInPage,
        SecondFactor => crate::account::pages::SecondFactorPage,
        Enrol => crate::account::pages::EnrolPage,
        SetPassword => crate::users::pages::SetPasswordPage,
        Account => crate::account::pages::AccountPage,
    }
}

area! {
    /// The pages of cases, their subjects and operations.
    CasesArea, cases_pages, __preload_cases_pages {
        Cases => crate::cases::pages::CasesPage,
        NewCase => crate::cases::pages::NewCasePage,
        ImportCases => crate::cases::pages::ImportCasesPage,
        Case => crate::cases::pages::CasePage,
        NewSubject => crate::subjects::pages::NewSubjectPage,
        Import => crate::subjects::pages::ImportPage,
        Operations => crate::operations::pages::OperationsPage,
    }
}

area! {
    /// The pages of overlaps, their oversight and notifications.
    OverlapsArea, overlaps_pages, __preload_overlaps_pages {
        Overlaps => crate::overlaps::pages::OverlapsPage,
        Overlap => crate::overlaps::pages::OverlapPage,
        Benign => crate::overlaps::pages::BenignPage,
        Notifications => crate::notifications::pages::NotificationsPage,
        Oversight => crate::overlaps::oversight_pages::OversightPage,
        OverseenOverlap => crate::overlaps::oversight_pages::OverseenOverlapPage,
    }
}

area! {
    /// The pages of the overlap report and the summary.
    ReportsArea, reports_pages, __preload_reports_pages {
        OverlapReport => crate::reports::pages::OverlapReportPage,
        Summary => crate::reports::pages::SummaryPage,
    }
}

area! {
    /// The pages of signals.
    SignalsArea, signals_pages, __preload_signals_pages {
        Signals => crate::signals::pages::SignalsPage,
        ReportSignal => crate::signals::report_pages::ReportSignalPage,
        SignalAnalysis => crate::signals::analysis_pages::SignalAnalysisPage,
        Signal => crate::signals::pages::SignalPage,
        SignalRouting => crate::signals::routing_pages::SignalRoutingPage,
    }
}

area! {
    /// The pages of the partnership map and its administration.
    PartnershipsArea, partnerships_pages, __preload_partnerships_pages {
        Map => crate::partnerships::pages::MapPage,
        JointVentures => crate::partnerships::pages::JointVenturesPage,
        JointVenture => crate::partnerships::pages::JointVenturePage,
        Organisations => crate::partnerships::admin_pages::OrganisationsPage,
        Regions => crate::partnerships::admin_pages::RegionsPage,
        JointVentureAdmin => crate::partnerships::admin_pages::JointVentureAdminPage,
    }
}

area! {
    /// The pages of accounts and the audit trail.
    AdminArea, admin_pages, __preload_admin_pages {
        Users => crate::users::pages::UsersPage,
        NewUser => crate::users::pages::NewUserPage,
        User => crate::users::pages::UserPage,
        Audit => crate::audit::pages::AuditPage,
        Provisions => crate::audit::provisions_pages::ProvisionsPage,
        Retention => crate::retention::pages::RetentionPage,
        DisclosureGrounds => crate::overlaps::grounds_pages::DisclosureGroundsPage,
        ApiClients => crate::api_clients::pages::ApiClientsAdminPage,
        MatchingModel => crate::overlaps::model_pages::MatchingModelPage,
    }
}
