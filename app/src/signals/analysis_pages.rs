//! The joint analysis: charts drawn on the server with the same numbers as tables.

use crate::signals::analysis;
use crate::signals::api::signal_analysis;
use crate::signals::labels::outcome_label;
use crate::ui::format;
use crate::ui::labels::theme_label;
use crate::ui::page::TableRegion;
use crate::{i18n::*, ui::page::PageError};
use leptos::prelude::*;
use leptos_meta::Title;

/// Horizontal bars, drawn on the server as SVG; the same numbers follow as a table.
#[component]
pub(crate) fn BarChart(id: &'static str, title: String, bars: Vec<(String, u64)>) -> impl IntoView {
    const ROW: u64 = 28;
    const WIDTH: u64 = 600;
    const LABEL: u64 = 220;
    let max = bars.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let height = ROW * bars.len().max(1) as u64 + 8;
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-labelledby=labelled_by
            preserveAspectRatio="xMinYMin meet">
            <title id=title_id>{title}</title>
            {bars.into_iter().enumerate().map(|(i, (label, value))| {
                let y = 4 + ROW * i as u64;
                let length = (WIDTH - LABEL - 60) * value / max;
                view! {
                    <g>
                        <text x=LABEL - 8 y=y + 18 text-anchor="end" class="chart__label">{label}</text>
                        <rect x=LABEL y=y + 4 width=length.max(1) height=ROW - 10 class="chart__bar" />
                        <text x=LABEL + length + 6 y=y + 18 class="chart__value">{value}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}

/// Hard and soft signals per month, stacked, drawn on the server as SVG.
#[component]
pub(crate) fn MonthChart(
    title: String,
    months: Vec<analysis::Month>,
    hard: String,
    soft: String,
) -> impl IntoView {
    const HEIGHT: u64 = 200;
    const COLUMN: u64 = 44;
    let max = months
        .iter()
        .map(|m| m.hard + m.soft)
        .max()
        .unwrap_or(0)
        .max(1);
    let width = COLUMN * months.len().max(1) as u64 + 20;
    view! {
        <svg class="chart" viewBox=format!("0 -16 {width} {}", HEIGHT + 86) role="img" aria-labelledby="months-title"
            preserveAspectRatio="xMinYMin meet">
            <title id="months-title">{title}</title>
            {months.into_iter().enumerate().map(|(i, m)| {
                let x = 10 + COLUMN * i as u64;
                let hard_h = HEIGHT * m.hard / max;
                let soft_h = HEIGHT * m.soft / max;
                view! {
                    <g>
                        <rect x=x + 6 y=HEIGHT - hard_h - soft_h + 10 width=COLUMN - 12 height=soft_h class="chart__bar chart__bar--soft" />
                        <rect x=x + 6 y=HEIGHT - hard_h + 10 width=COLUMN - 12 height=hard_h class="chart__bar" />
                        <text x=x + COLUMN / 2 y=HEIGHT + 28 text-anchor="middle" class="chart__label">{m.month.get(2..).unwrap_or_default().to_owned()}</text>
                        <text x=x + COLUMN / 2 y=HEIGHT - hard_h - soft_h + 4 text-anchor="middle" class="chart__value">{m.hard + m.soft}</text>
                    </g>
                }
            }).collect_view()}
            <rect x="10" y=HEIGHT + 44 width="14" height="14" class="chart__bar" />
            <text x="30" y=HEIGHT + 56 class="chart__label">{hard}</text>
            <rect x="150" y=HEIGHT + 44 width="14" height="14" class="chart__bar chart__bar--soft" />
            <text x="170" y=HEIGHT + 56 class="chart__label">{soft}</text>
        </svg>
    }
}

/// A small two-column table: what, and how many.
#[component]
pub(crate) fn CountTable(
    caption: String,
    heading: String,
    rows: Vec<(String, u64)>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <TableRegion label=caption.clone()>
            <table class="table">
                <caption>{caption}</caption>
                <thead><tr><th scope="col">{heading}</th><th scope="col" class="numeric">{t!(i18n, signals_title)}</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|(label, n)| view! { <tr><th scope="row">{label}</th><td class="numeric">{n}</td></tr> }).collect_view()}
                </tbody>
            </table>
        </TableRegion>
    }
}

/// `/signals/analysis`: what the partners can learn from the signals together.
#[component]
pub fn SignalAnalysisPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(crate::ui::page::query_pair("from", "to"), |(from, to)| {
        signal_analysis(from, to)
    });
    view! {
        <Title text=t_string!(i18n, signal_analysis_title).to_string() />
        <p><a href="/signals">{t!(i18n, signals_back)}</a></p>
        <h1>{t!(i18n, signal_analysis_title)}</h1>
        <p>{t!(i18n, signal_analysis_intro)}</p>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(a) => {
                        let csv = format!("/api/signal-analysis.csv?from={}&to={}", a.from, a.to);
                        let organisations: Vec<(String, u64)> = a.by_organisation.iter().map(|(k, n)| (crate::ui::labels::kind_label(i18n, *k), *n)).collect();
                        let themes: Vec<(String, u64)> = a.by_theme.iter().map(|(t, n)| (theme_label(i18n, *t), *n)).collect();
                        let outcomes: Vec<(String, u64)> = a.by_outcome.iter().map(|(o, n)| (outcome_label(i18n, *o), *n)).collect();
                        let categories: Vec<(String, u64)> = a.by_category.iter().map(|c| (c.category.clone(), c.signals)).collect();
                        let step_name = move |step: &str| match step {
                            "assess" => t_string!(i18n, signal_analysis_step_assess).to_string(),
                            "route" => t_string!(i18n, signal_analysis_step_route).to_string(),
                            _ => t_string!(i18n, signal_analysis_step_decide).to_string(),
                        };
                        view! {
                            <form method="get" action="/signals/analysis" class="filters">
                                <div class="field">
                                    <label for="from">{t!(i18n, signal_analysis_from)}</label>
                                    <input id="from" name="from" type="month" value=a.from.clone() />
                                </div>
                                <div class="field">
                                    <label for="to">{t!(i18n, signal_analysis_to)}</label>
                                    <input id="to" name="to" type="month" value=a.to.clone() />
                                </div>
                                <button type="submit" class="button">{t!(i18n, filter_button)}</button>
                                <a class="button" href=csv download="">{t!(i18n, signal_analysis_export)}</a>
                            </form>
                            <dl class="details">
                                <dt>{t!(i18n, signal_analysis_total)}</dt><dd>{a.total}</dd>
                                <dt>{t!(i18n, signal_state_followed_up)}</dt>
                                <dd>{a.followed_up} {a.followed_up_share.map(|s| format!(" ({})", format::percent(i18n, s)))}</dd>
                                <dt>{t!(i18n, signal_state_no_action)}</dt><dd>{a.no_action}</dd>
                                <dt>{t!(i18n, signal_analysis_open)}</dt><dd>{a.open}</dd>
                            </dl>
                            <section class="section" aria-labelledby="months-heading">
                                <h2 id="months-heading">{t!(i18n, signal_analysis_by_month)}</h2>
                                <MonthChart title=t_string!(i18n, signal_analysis_by_month).to_string() months=a.by_month.clone()
                                    hard=t_string!(i18n, signal_hard).to_string() soft=t_string!(i18n, signal_soft).to_string() />
                                <TableRegion label=move || t_string!(i18n, signal_analysis_by_month)>
                                    <table class="table">
                                        <caption>{t!(i18n, signal_analysis_by_month)}</caption>
                                        <thead><tr>
                                            <th scope="col">{t!(i18n, signal_analysis_month)}</th>
                                            <th scope="col" class="numeric">{t!(i18n, signal_hard)}</th>
                                            <th scope="col" class="numeric">{t!(i18n, signal_soft)}</th>
                                        </tr></thead>
                                        <tbody>
                                            {a.by_month.clone().into_iter().map(|m| view! {
                                                <tr><th scope="row">{format::month(i18n, &m.month)}</th><td class="numeric">{m.hard}</td><td class="numeric">{m.soft}</td></tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </TableRegion>
                            </section>
                            <section class="section" aria-labelledby="organisations-heading">
                                <h2 id="organisations-heading">{t!(i18n, signal_analysis_by_organisation)}</h2>
                                <BarChart id="organisations" title=t_string!(i18n, signal_analysis_by_organisation).to_string() bars=organisations.clone() />
                                <CountTable caption=t_string!(i18n, signal_analysis_by_organisation).to_string()
                                    heading=t_string!(i18n, signal_analysis_organisation_kind).to_string() rows=organisations />
                            </section>
                            <section class="section" aria-labelledby="categories-heading">
                                <h2 id="categories-heading">{t!(i18n, signal_analysis_by_category)}</h2>
                                <BarChart id="categories" title=t_string!(i18n, signal_analysis_by_category).to_string() bars=categories />
                                <TableRegion label=move || t_string!(i18n, signal_analysis_by_category)>
                                    <table class="table">
                                        <caption>{t!(i18n, signal_analysis_by_category)}</caption>
                                        <thead><tr>
                                            <th scope="col">{t!(i18n, signal_category)}</th>
                                            <th scope="col" class="numeric">{t!(i18n, signals_title)}</th>
                                            <th scope="col" class="numeric">{t!(i18n, signal_state_followed_up)}</th>
                                            <th scope="col" class="numeric">{t!(i18n, signal_analysis_to_case)}</th>
                                        </tr></thead>
                                        <tbody>
                                            {a.by_category.clone().into_iter().map(|c| view! {
                                                <tr><th scope="row">{c.category}</th><td class="numeric">{c.signals}</td>
                                                    <td class="numeric">{c.followed_up}</td><td class="numeric">{c.to_case}</td></tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </TableRegion>
                            </section>
                            <section class="section" aria-labelledby="themes-heading">
                                <h2 id="themes-heading">{t!(i18n, signal_analysis_by_theme)}</h2>
                                <BarChart id="themes" title=t_string!(i18n, signal_analysis_by_theme).to_string() bars=themes.clone() />
                                <CountTable caption=t_string!(i18n, signal_analysis_by_theme).to_string()
                                    heading=t_string!(i18n, signal_theme).to_string() rows=themes />
                            </section>
                            <section class="section" aria-labelledby="outcomes-heading">
                                <h2 id="outcomes-heading">{t!(i18n, signal_analysis_by_outcome)}</h2>
                                <BarChart id="outcomes" title=t_string!(i18n, signal_analysis_by_outcome).to_string() bars=outcomes.clone() />
                                <CountTable caption=t_string!(i18n, signal_analysis_by_outcome).to_string()
                                    heading=t_string!(i18n, signal_outcome).to_string() rows=outcomes />
                            </section>
                            <section class="section" aria-labelledby="times-heading">
                                <h2 id="times-heading">{t!(i18n, signal_analysis_step_times)}</h2>
                                <TableRegion label=move || t_string!(i18n, signal_analysis_step_times)>
                                    <table class="table">
                                        <caption>{t!(i18n, signal_analysis_step_times)}</caption>
                                        <thead><tr>
                                            <th scope="col">{t!(i18n, signal_analysis_step)}</th>
                                            <th scope="col" class="numeric">{t!(i18n, signal_analysis_median_days)}</th>
                                            <th scope="col" class="numeric">{t!(i18n, signals_title)}</th>
                                        </tr></thead>
                                        <tbody>
                                            {a.step_times.clone().into_iter().map(|t| view! {
                                                <tr><th scope="row">{step_name(&t.step)}</th>
                                                    <td class="numeric">{t.median_days.map(|d| format::decimal(i18n, d, 1)).unwrap_or_else(|| "–".into())}</td>
                                                    <td class="numeric">{t.signals}</td></tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </TableRegion>
                            </section>
                        }.into_any()
                    }
                    Err(err) => view! { <PageError err return_to="/signals/analysis" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
