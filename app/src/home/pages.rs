//! Components.

use crate::home::api::get_portal_overview;
use crate::home::types::PortalOverview;
use crate::i18n::*;
use crate::ui::labels::{kind_label, theme_label};
use leptos::prelude::*;
use leptos_meta::Title;

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
pub(crate) fn Overview(overview: PortalOverview) -> impl IntoView {
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
