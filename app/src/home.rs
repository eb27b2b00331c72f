//! The start page. Before sign-in exists it shows only what is public: the three questions
//! Liaison answers and which public bodies take part, never a case or a person.

use crate::{
    domain::{OrganisationKind, Theme},
    error::AppError,
    i18n::*,
};
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalOverview {
    pub organisations: Vec<OrganisationEntry>,
    pub active_joint_ventures: u64,
    pub joint_ventures_by_theme: Vec<ThemeCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationEntry {
    pub name: String,
    pub short_name: String,
    pub kind: OrganisationKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeCount {
    pub theme: Theme,
    pub joint_ventures: u64,
}

#[server(endpoint = "portal_overview")]
pub async fn get_portal_overview() -> Result<PortalOverview, AppError> {
    let result = match crate::server::db() {
        Ok(db) => crate::server::overview::load(&db).await.map_err(|err| {
            tracing::error!(error = %err, "loading the portal overview failed");
            AppError::Unavailable
        }),
        Err(err) => Err(err),
    };
    crate::server::respond(result)
}

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let overview = Resource::new(|| (), |_| get_portal_overview());

    view! {
        <Title text="" />
        <h1>{t!(i18n, home_title)}</h1>
        <p class="lead">{t!(i18n, home_intro)}</p>
        <ul class="card-grid">
            <li class="card">
                <h2>{t!(i18n, question_map_title)}</h2>
                <p>{t!(i18n, question_map_text)}</p>
            </li>
            <li class="card">
                <h2>{t!(i18n, question_overlap_title)}</h2>
                <p>{t!(i18n, question_overlap_text)}</p>
            </li>
            <li class="card">
                <h2>{t!(i18n, question_gaps_title)}</h2>
                <p>{t!(i18n, question_gaps_text)}</p>
            </li>
        </ul>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) => view! { <Overview overview /> }.into_any(),
                    Err(_) => view! {
                        <p class="alert alert--warning" role="alert">{t!(i18n, overview_unavailable)}</p>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Overview(overview: PortalOverview) -> impl IntoView {
    let i18n = use_i18n();
    let organisations = overview.organisations.len();
    let joint_ventures = overview.active_joint_ventures;
    view! {
        <section aria-labelledby="themes-title">
            <h2 id="themes-title">{t!(i18n, themes_title)}</h2>
            <table class="table table--compact">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, theme_column)}</th>
                        <th scope="col" class="numeric">{t!(i18n, count_column)}</th>
                    </tr>
                </thead>
                <tbody>
                    {overview
                        .joint_ventures_by_theme
                        .into_iter()
                        .map(|row| {
                            view! {
                                <tr>
                                    <th scope="row">{theme_label(i18n, row.theme)}</th>
                                    <td class="numeric">{row.joint_ventures}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </section>
        <section aria-labelledby="participants-title">
            <h2 id="participants-title">{t!(i18n, participants_title)}</h2>
            <p>
                {t!(
                    i18n, participants_summary,
                    organisations = move || organisations,
                    joint_ventures = move || joint_ventures
                )}
            </p>
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, organisation_column)}</th>
                        <th scope="col">{t!(i18n, kind_column)}</th>
                    </tr>
                </thead>
                <tbody>
                    {overview
                        .organisations
                        .into_iter()
                        .map(|org| {
                            view! {
                                <tr>
                                    <td>
                                        {org.name}
                                        " "
                                        <span class="muted">"(" {org.short_name} ")"</span>
                                    </td>
                                    <td>{kind_label(i18n, org.kind)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </section>
    }
}

pub fn theme_label(i18n: leptos_i18n::I18nContext<Locale>, theme: Theme) -> String {
    match theme {
        Theme::Smuggling => t_string!(i18n, theme_smuggling).to_string(),
        Theme::Trafficking => t_string!(i18n, theme_trafficking).to_string(),
        Theme::Terrorism => t_string!(i18n, theme_terrorism).to_string(),
    }
}

pub fn kind_label(i18n: leptos_i18n::I18nContext<Locale>, kind: OrganisationKind) -> String {
    use OrganisationKind as K;
    match kind {
        K::Police => t_string!(i18n, kind_police).to_string(),
        K::BorderPolice => t_string!(i18n, kind_border_police).to_string(),
        K::Immigration => t_string!(i18n, kind_immigration).to_string(),
        K::Reception => t_string!(i18n, kind_reception).to_string(),
        K::Prosecution => t_string!(i18n, kind_prosecution).to_string(),
        K::Intelligence => t_string!(i18n, kind_intelligence).to_string(),
        K::Municipality => t_string!(i18n, kind_municipality).to_string(),
        K::Ministry => t_string!(i18n, kind_ministry).to_string(),
        K::Tax => t_string!(i18n, kind_tax).to_string(),
        K::LabourInspectorate => t_string!(i18n, kind_labour_inspectorate).to_string(),
        K::Ngo => t_string!(i18n, kind_ngo).to_string(),
        K::Other => t_string!(i18n, kind_other).to_string(),
    }
}
