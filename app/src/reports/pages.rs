//! Components.

use crate::reports::api::{read_overlap_report, read_summary};
use crate::reports::disclosure::{Shown, difference};
use crate::reports::summary::{BETWEEN, SEVERAL, Table, UNKNOWN};
use crate::{
    domain::Theme, i18n::*, overlaps::workflow_pages::decision_label,
    overlaps::workflow_pages::match_kind_label, ui::page::PageError,
};
use leptos::prelude::*;
use leptos_meta::Title;

/// A button that prints the page (the print stylesheet lays it out on A4).
#[component]
pub(crate) fn PrintButton() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button type="button" class="button no-print" on:click=move |_| {
            let _ = window().print();
        }>{t!(i18n, report_print)}</button>
    }
}

pub(crate) fn change(now: u64, before: u64) -> String {
    let d = now as i64 - before as i64;
    if d > 0 {
        format!("+{d}")
    } else {
        d.to_string()
    }
}

pub(crate) fn days(d: Option<f64>) -> String {
    d.map(|d| format!("{d:.1}")).unwrap_or_else(|| "–".into())
}

/// The heat of a matrix cell: 0 (none) to 5 (the most overlaps of any pair).
pub(crate) fn heat(found: u64, max: u64) -> u64 {
    if found == 0 || max == 0 {
        0
    } else {
        1 + (found * 4).div_ceil(max).min(4)
    }
}

/// `/reports/overlaps`: the managers' overlap report.
#[component]
pub fn OverlapReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(crate::ui::page::query_pair("from", "to"), |(from, to)| {
        read_overlap_report(from, to)
    });
    view! {
        <Title text=t_string!(i18n, report_title).to_string() />
        <h1>{t!(i18n, report_title)}</h1>
        <p class="no-print">{t!(i18n, report_intro)}</p>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(r) => {
                        let csv = format!("/api/overlap-report.csv?from={}&to={}", r.from, r.to);
                        let drill = {
                            let (from, to) = (r.from.clone(), r.to.clone());
                            move |a: i32, b: i32| format!("/oversight?pair={a}-{b}&since={from}&until={to}&state=all")
                        };
                        let max = r.pairs.iter().map(|p| p.found).max().unwrap_or(0);
                        let name = {
                            let ventures = r.ventures.clone();
                            move |id: i32| ventures.iter().find(|(v, _)| *v == id).map(|(_, n)| n.clone()).unwrap_or_default()
                        };
                        let pair_of = {
                            let pairs = r.pairs.clone();
                            move |a: i32, b: i32| pairs.iter().find(|p| (p.first, p.second) == (a.min(b), a.max(b))).cloned()
                        };
                        let headline = [
                            (t_string!(i18n, report_found).to_string(), r.now.found, r.before.found),
                            (t_string!(i18n, report_acknowledged).to_string(), r.now.acknowledged, r.before.acknowledged),
                            (t_string!(i18n, report_decided).to_string(), r.now.decided, r.before.decided),
                            (t_string!(i18n, report_overdue).to_string(), r.now.overdue, r.before.overdue),
                        ];
                        let names: Vec<String> = vec![t_string!(i18n, report_one_side).to_string(); 2];
                        view! {
                            <p class="print-only">{t!(i18n, report_title)} " · " {r.from.clone()} " – " {r.to.clone()}</p>
                            <form method="get" action="/reports/overlaps" class="filters no-print">
                                <div class="field">
                                    <label for="from">{t!(i18n, report_from)}</label>
                                    <input id="from" name="from" type="date" value=r.from.clone() />
                                </div>
                                <div class="field">
                                    <label for="to">{t!(i18n, report_to)}</label>
                                    <input id="to" name="to" type="date" value=r.to.clone() />
                                </div>
                                <button type="submit" class="button">{t!(i18n, filter_button)}</button>
                                <a class="button" href=csv download="">{t!(i18n, report_export)}</a>
                                <PrintButton />
                            </form>
                            <p>
                                {t!(i18n, report_period)} " " <strong>{r.from.clone()} " – " {r.to.clone()}</strong> ", "
                                {t!(i18n, report_compared)} " " {r.previous_from.clone()} " – " {r.previous_to.clone()} ". "
                                {t!(i18n, report_as_of)} " " {r.as_of.get(..16).unwrap_or_default().replace('T', " ")} " UTC."
                            </p>
                            <table class="table">
                                <caption>{t!(i18n, report_headline)}</caption>
                                <thead><tr>
                                    <th scope="col">{t!(i18n, report_measure)}</th>
                                    <th scope="col" class="numeric">{t!(i18n, report_this_period)}</th>
                                    <th scope="col" class="numeric">{t!(i18n, report_previous_period)}</th>
                                    <th scope="col" class="numeric">{t!(i18n, report_change)}</th>
                                </tr></thead>
                                <tbody>
                                    {headline.into_iter().map(|(label, now, before)| view! {
                                        <tr><th scope="row">{label}</th><td class="numeric">{now}</td><td class="numeric">{before}</td><td class="numeric">{change(now, before)}</td></tr>
                                    }).collect_view()}
                                    <tr><th scope="row">{t!(i18n, report_median_acknowledge)}</th>
                                        <td class="numeric">{days(r.now.median_acknowledge_days)}</td><td class="numeric">{days(r.before.median_acknowledge_days)}</td><td></td></tr>
                                    <tr><th scope="row">{t!(i18n, report_median_decide)}</th>
                                        <td class="numeric">{days(r.now.median_decide_days)}</td><td class="numeric">{days(r.before.median_decide_days)}</td><td></td></tr>
                                </tbody>
                            </table>
                            <section class="section" aria-labelledby="matrix-heading">
                                <h2 id="matrix-heading">{t!(i18n, report_matrix)}</h2>
                                <p class="no-print">{t!(i18n, report_matrix_hint)}</p>
                                {if r.ventures.is_empty() {
                                    view! { <p>{t!(i18n, report_none)}</p> }.into_any()
                                } else {
                                    // Rows: the joint ventures the manager oversees; columns: every
                                    // joint venture they overlapped with.
                                    let ventures: Vec<(i32, String)> = r.ventures.iter().filter(|(id, _)| r.oversees.contains(id)).cloned().collect();
                                    let columns = r.ventures.clone();
                                    view! {
                                        <div class="table-scroll">
                                            <table class="table matrix">
                                                <caption class="visually-hidden">{t!(i18n, report_matrix)}</caption>
                                                <thead><tr>
                                                    <td></td>
                                                    {columns.iter().map(|(_, n)| view! { <th scope="col" class="matrix__column"><span>{n.clone()}</span></th> }).collect_view()}
                                                </tr></thead>
                                                <tbody>
                                                    {ventures.into_iter().map(|(a, a_name)| {
                                                        let cells = columns.iter().map(|(b, b_name)| {
                                                            match pair_of(a, *b).filter(|p| p.found > 0 && a != *b) {
                                                                Some(p) => {
                                                                    let label = format!("{a_name} – {b_name}: {} {}, {} {}", p.found, t_string!(i18n, report_found_lower), p.overdue, t_string!(i18n, report_overdue_lower));
                                                                    view! {
                                                                        <td class=format!("matrix__cell heat-{}", heat(p.found, max))>
                                                                            <a href=drill(a, *b) aria-label=label.clone() title=label>
                                                                                {p.found}
                                                                                {(p.overdue > 0).then(|| view! { <span class="matrix__overdue" aria-hidden="true">" !"{p.overdue}</span> })}
                                                                            </a>
                                                                        </td>
                                                                    }.into_any()
                                                                }
                                                                None => view! { <td class="matrix__cell heat-0"></td> }.into_any(),
                                                            }
                                                        }).collect_view();
                                                        view! { <tr><th scope="row">{a_name.clone()}</th>{cells}</tr> }
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        </div>
                                        <p class="field__hint">{t!(i18n, report_matrix_legend)}</p>
                                    }.into_any()
                                }}
                            </section>
                            <section class="section" aria-labelledby="kinds-heading">
                                <h2 id="kinds-heading">{t!(i18n, report_by_kind)}</h2>
                                <table class="table">
                                    <caption class="visually-hidden">{t!(i18n, report_by_kind)}</caption>
                                    <thead><tr>
                                        <th scope="col">{t!(i18n, kind_column)}</th>
                                        <th scope="col" class="numeric">{t!(i18n, report_found)}</th>
                                        <th scope="col" class="numeric">{t!(i18n, report_decided)}</th>
                                        <th scope="col" class="numeric">{t!(i18n, report_previous_period)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {r.by_kind.clone().into_iter().map(|k| view! {
                                            <tr><th scope="row">{match_kind_label(i18n, &k.kind)}</th><td class="numeric">{k.found}</td>
                                                <td class="numeric">{k.decided}</td><td class="numeric">{k.previous}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </section>
                            <section class="section" aria-labelledby="ages-heading">
                                <h2 id="ages-heading">{t!(i18n, report_by_age)}</h2>
                                <table class="table">
                                    <caption class="visually-hidden">{t!(i18n, report_by_age)}</caption>
                                    <thead><tr>
                                        <th scope="col">{t!(i18n, report_age_days)}</th>
                                        <th scope="col" class="numeric">{t!(i18n, overlap_state_open)}</th>
                                        <th scope="col" class="numeric">{t!(i18n, overlap_state_acknowledged)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {r.by_age.clone().into_iter().map(|a| view! {
                                            <tr><th scope="row">{a.bucket}</th><td class="numeric">{a.open}</td><td class="numeric">{a.acknowledged}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </section>
                            <section class="section" aria-labelledby="decisions-heading">
                                <h2 id="decisions-heading">{t!(i18n, report_decisions)}</h2>
                                {if r.decisions.is_empty() {
                                    view! { <p>{t!(i18n, report_none)}</p> }.into_any()
                                } else {
                                    view! {
                                        <table class="table">
                                            <caption class="visually-hidden">{t!(i18n, report_decisions)}</caption>
                                            <thead><tr>
                                                <th scope="col">{t!(i18n, report_decision)}</th>
                                                <th scope="col" class="numeric">{t!(i18n, report_decided)}</th>
                                                <th scope="col" class="numeric">{t!(i18n, report_by_ruling)}</th>
                                            </tr></thead>
                                            <tbody>
                                                {r.decisions.clone().into_iter().map(|d| view! {
                                                    <tr><th scope="row">{decision_label(i18n, d.decision, &names)}</th><td class="numeric">{d.count}</td><td class="numeric">{d.ruled}</td></tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    }.into_any()
                                }}
                            </section>
                            <section class="section" aria-labelledby="recurring-heading">
                                <h2 id="recurring-heading">{t!(i18n, report_recurring)}</h2>
                                <p>{t!(i18n, report_recurring_hint)}</p>
                                {if r.recurring.is_empty() {
                                    view! { <p>{t!(i18n, report_none)}</p> }.into_any()
                                } else {
                                    view! {
                                        <table class="table">
                                            <caption class="visually-hidden">{t!(i18n, report_recurring)}</caption>
                                            <thead><tr>
                                                <th scope="col">{t!(i18n, report_pair)}</th>
                                                <th scope="col" class="numeric">{t!(i18n, report_this_period)}</th>
                                                <th scope="col" class="numeric">{t!(i18n, report_previous_period)}</th>
                                            </tr></thead>
                                            <tbody>
                                                {r.recurring.clone().into_iter().map(|p| view! {
                                                    <tr>
                                                        <th scope="row"><a href=drill(p.first, p.second)>{name(p.first)} " – " {name(p.second)}</a></th>
                                                        <td class="numeric">{p.found}</td><td class="numeric">{p.previous}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    }.into_any()
                                }}
                            </section>
                        }.into_any()
                    }
                    Err(err) => view! { <PageError err return_to="/reports/overlaps" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

pub(crate) fn row_label(
    i18n: leptos_i18n::I18nContext<Locale>,
    (code, name): &(String, String),
) -> String {
    match code.as_str() {
        SEVERAL => t_string!(i18n, summary_several).to_string(),
        BETWEEN => t_string!(i18n, summary_between).to_string(),
        UNKNOWN => t_string!(i18n, summary_unknown).to_string(),
        _ if name.is_empty() => code
            .parse()
            .map(|k| crate::ui::labels::kind_label(i18n, k))
            .unwrap_or_else(|_| code.clone()),
        _ => name.clone(),
    }
}

pub(crate) fn share_text(s: Option<f64>) -> String {
    s.map(|s| format!("{s:.1}%")).unwrap_or_else(|| "x".into())
}

/// A published table: rows, columns, a total column when there are several, the national
/// figures as the last row, and optionally a share per row.
#[component]
pub(crate) fn SummaryTable(
    caption: String,
    row_heading: String,
    columns: Vec<String>,
    table: Table,
    #[prop(optional)] share: Option<(String, Vec<Option<f64>>, Option<f64>)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let several = columns.len() > 1;
    let t = table.table.clone();
    let share_rows = share
        .as_ref()
        .map(|(_, rows, _)| rows.clone())
        .unwrap_or_default();
    let share_national = share.as_ref().and_then(|(_, _, n)| *n);
    let has_share = share.is_some();
    view! {
        <div class="table-scroll">
            <table class="table summary-table">
                <caption>{caption}</caption>
                <thead><tr>
                    <th scope="col">{row_heading}</th>
                    {columns.iter().map(|c| view! { <th scope="col" class="numeric">{c.clone()}</th> }).collect_view()}
                    {several.then(|| view! { <th scope="col" class="numeric">{t!(i18n, summary_total)}</th> })}
                    {share.as_ref().map(|(heading, _, _)| view! { <th scope="col" class="numeric">{heading.clone()}</th> })}
                </tr></thead>
                <tbody>
                    {table.rows.iter().enumerate().map(|(r, row)| view! {
                        <tr>
                            <th scope="row">{row_label(i18n, row)}</th>
                            {t.cells.get(r).cloned().unwrap_or_default().into_iter().map(|c| view! { <td class="numeric">{c.text()}</td> }).collect_view()}
                            {several.then(|| view! { <td class="numeric">{t.row_totals.get(r).map(|v| v.text()).unwrap_or_default()}</td> })}
                            {has_share.then(|| view! { <td class="numeric">{share_text(share_rows.get(r).copied().flatten())}</td> })}
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot>
                    <tr>
                        <th scope="row">{t!(i18n, summary_national)}</th>
                        {t.column_totals.iter().map(|c| view! { <td class="numeric">{c.text()}</td> }).collect_view()}
                        {several.then(|| view! { <td class="numeric">{t.total.text()}</td> })}
                        {has_share.then(|| view! { <td class="numeric">{share_text(share_national)}</td> })}
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}

/// National figures per quarter as grouped bars (hidden or small counts drawn as none, with
/// their text), drawn on the server as SVG; the same figures follow as a table.
#[component]
pub(crate) fn TrendChart(
    title: String,
    series: Vec<(String, Vec<Shown>)>,
    quarters: Vec<String>,
) -> impl IntoView {
    const HEIGHT: u64 = 160;
    const GROUP: u64 = 150;
    const BAR: u64 = 36;
    let value = |s: &Shown| match s {
        Shown::Count(n) => *n,
        _ => 0,
    };
    let max = series
        .iter()
        .flat_map(|(_, v)| v.iter().map(value))
        .max()
        .unwrap_or(0)
        .max(1);
    let width = GROUP * quarters.len().max(1) as u64 + 20;
    let legend_y = HEIGHT + 52;
    view! {
        <svg class="chart" viewBox=format!("0 0 {width} {}", HEIGHT + 80) role="img" aria-labelledby="trend-title"
            preserveAspectRatio="xMinYMin meet">
            <title id="trend-title">{title}</title>
            {quarters.iter().enumerate().map(|(q, quarter)| {
                let x0 = 10 + GROUP * q as u64;
                view! {
                    <g>
                        {series.iter().enumerate().map(|(i, (_, values))| {
                            let shown = values.get(q).copied().unwrap_or(Shown::Hidden);
                            let h = HEIGHT * value(&shown) / max;
                            let x = x0 + 8 + BAR * i as u64;
                            view! {
                                <rect x=x y=HEIGHT - h + 10 width=BAR - 6 height=h class=format!("chart__bar chart__bar--{i}") />
                                <text x=x + (BAR - 6) / 2 y=HEIGHT - h + 4 text-anchor="middle" class="chart__value">{shown.text()}</text>
                            }
                        }).collect_view()}
                        <text x=x0 + GROUP / 2 y=HEIGHT + 30 text-anchor="middle" class="chart__label">{quarter.clone()}</text>
                    </g>
                }
            }).collect_view()}
            {series.iter().enumerate().map(|(i, (label, _))| {
                let x = 10 + 170 * i as u64;
                view! {
                    <rect x=x y=legend_y width="14" height="14" class=format!("chart__bar chart__bar--{i}") />
                    <text x=x + 20 y=legend_y + 12 class="chart__label">{label.clone()}</text>
                }
            }).collect_view()}
        </svg>
    }
}

/// `/summary`: the ministry's summary per quarter and theme.
#[component]
pub fn SummaryPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(
        crate::ui::page::query_pair("quarter", "theme"),
        |(quarter, theme)| read_summary(quarter, theme),
    );
    view! {
        <Title text=t_string!(i18n, summary_title).to_string() />
        <h1>{t!(i18n, summary_title)}</h1>
        <p class="no-print">{t!(i18n, summary_intro)}</p>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(s) => {
                        let c = s.current.clone();
                        let (as_of, complete) = (c.as_of.clone(), c.complete);
                        let csv = format!("/api/summary.csv?quarter={}&theme={}", c.quarter, c.theme);
                        let theme_name = crate::ui::labels::theme_label(i18n, c.theme);
                        let region = t_string!(i18n, summary_region).to_string();
                        let quarters: Vec<String> = s.trend.iter().map(|p| p.quarter.clone()).collect();
                        let series = vec![
                            (t_string!(i18n, summary_cases).to_string(), s.trend.iter().map(|p| p.cases).collect::<Vec<_>>()),
                            (t_string!(i18n, summary_overlaps).to_string(), s.trend.iter().map(|p| p.overlaps).collect()),
                            (t_string!(i18n, summary_signals).to_string(), s.trend.iter().map(|p| p.signals).collect()),
                        ];
                        let previous = s.previous.clone();
                        let compare = move |now: Shown, before: Option<Shown>| {
                            before
                                .and_then(|b| difference(now, b))
                                .map(|d| if d > 0 { format!("+{d}") } else { d.to_string() })
                                .unwrap_or_else(|| "x".into())
                        };
                        let headline = vec![
                            (t_string!(i18n, summary_cases).to_string(), c.cases.table.total, previous.as_ref().map(|p| p.cases.table.total)),
                            (t_string!(i18n, summary_overlaps).to_string(), c.overlaps.table.total, previous.as_ref().map(|p| p.overlaps.table.total)),
                            (t_string!(i18n, summary_conflicts).to_string(), c.conflicts.table.total, previous.as_ref().map(|p| p.conflicts.table.total)),
                            (t_string!(i18n, summary_signals).to_string(), c.signals.table.total, previous.as_ref().map(|p| p.signals.table.total)),
                        ];
                        view! {
                            <p class="print-only">{t!(i18n, summary_title)} " · " {c.quarter.clone()} " · " {theme_name.clone()}</p>
                            <form method="get" action="/summary" class="filters no-print">
                                <div class="field">
                                    <label for="quarter">{t!(i18n, summary_quarter)}</label>
                                    <select id="quarter" name="quarter">
                                        {s.quarters.iter().map(|q| view! { <option value=q.clone() selected=*q == c.quarter>{q.clone()}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="theme">{t!(i18n, signal_theme)}</label>
                                    <select id="theme" name="theme">
                                        {Theme::ALL.iter().map(|t| view! { <option value=t.as_str() selected=*t == c.theme>{crate::ui::labels::theme_label(i18n, *t)}</option> }).collect_view()}
                                    </select>
                                </div>
                                <button type="submit" class="button">{t!(i18n, filter_button)}</button>
                                <a class="button" href=csv download="">{t!(i18n, report_export)}</a>
                                <PrintButton />
                            </form>
                            <p>
                                <strong>{c.quarter.clone()} " · " {theme_name}</strong> ". "
                                {if complete { t_string!(i18n, summary_whole_quarter) } else { t_string!(i18n, summary_up_to) }}
                                {(!complete).then(|| format!(" {as_of}"))}
                                " (" {t!(i18n, summary_counted)} " " {c.computed_at.get(..16).unwrap_or_default().replace('T', " ")} " UTC); "
                                {if complete { t_string!(i18n, summary_fixed) } else { t_string!(i18n, summary_published_daily) }}
                            </p>
                            <details class="details-box">
                                <summary>{t!(i18n, summary_rule_title)}</summary>
                                <p>{t!(i18n, summary_rule_primary)}</p>
                                <p>{t!(i18n, summary_rule_secondary)}</p>
                                <p>{t!(i18n, summary_rule_withheld)}</p>
                                <p>{t!(i18n, summary_rule_regions)}</p>
                            </details>
                            <section class="section" aria-labelledby="trend-heading">
                                <h2 id="trend-heading">{t!(i18n, summary_trend)}</h2>
                                <TrendChart title=t_string!(i18n, summary_trend).to_string() series=series.clone() quarters=quarters.clone() />
                                <table class="table">
                                    <caption>{t!(i18n, summary_trend)}</caption>
                                    <thead><tr>
                                        <th scope="col">{t!(i18n, summary_quarter)}</th>
                                        {series.iter().map(|(label, _)| view! { <th scope="col" class="numeric">{label.clone()}</th> }).collect_view()}
                                        <th scope="col" class="numeric">{t!(i18n, summary_followed_up_share)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {s.trend.clone().into_iter().map(|p| view! {
                                            <tr><th scope="row">{p.quarter}</th><td class="numeric">{p.cases.text()}</td><td class="numeric">{p.overlaps.text()}</td>
                                                <td class="numeric">{p.signals.text()}</td><td class="numeric">{share_text(p.followed_up_share)}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                <table class="table">
                                    <caption>{t!(i18n, summary_change)}</caption>
                                    <thead><tr>
                                        <th scope="col">{t!(i18n, report_measure)}</th>
                                        <th scope="col" class="numeric">{c.quarter.clone()}</th>
                                        <th scope="col" class="numeric">{t!(i18n, summary_change_column)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {headline.into_iter().map(|(label, now, before)| view! {
                                            <tr><th scope="row">{label}</th><td class="numeric">{now.text()}</td><td class="numeric">{compare(now, before)}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </section>
                            <section class="section" aria-labelledby="ventures-heading">
                                <h2 id="ventures-heading">{t!(i18n, summary_ventures)}</h2>
                                <SummaryTable caption=t_string!(i18n, summary_ventures_active).to_string() row_heading=region.clone()
                                    columns=vec![t_string!(i18n, summary_ventures_active).to_string()] table=c.ventures.clone() />
                                <SummaryTable caption=t_string!(i18n, summary_members).to_string() row_heading=region.clone()
                                    columns=vec![t_string!(i18n, summary_members).to_string()] table=c.memberships.clone() />
                                <p>{t!(i18n, summary_mandate_flags)} ": " <strong>{c.mandate_flags.text()}</strong></p>
                            </section>
                            <section class="section" aria-labelledby="cases-heading">
                                <h2 id="cases-heading">{t!(i18n, summary_cases)}</h2>
                                <SummaryTable caption=t_string!(i18n, summary_cases_by_status).to_string() row_heading=region.clone()
                                    columns=vec![
                                        t_string!(i18n, case_status_planned).to_string(),
                                        t_string!(i18n, case_status_active).to_string(),
                                        t_string!(i18n, case_status_suspended).to_string(),
                                        t_string!(i18n, case_status_closed).to_string(),
                                    ] table=c.cases.clone() />
                            </section>
                            <section class="section" aria-labelledby="overlaps-heading">
                                <h2 id="overlaps-heading">{t!(i18n, summary_overlaps)}</h2>
                                <SummaryTable caption=t_string!(i18n, summary_overlaps_by_deadline).to_string() row_heading=region.clone()
                                    columns=vec![
                                        t_string!(i18n, summary_within_deadline).to_string(),
                                        t_string!(i18n, summary_late).to_string(),
                                        t_string!(i18n, summary_undecided).to_string(),
                                        t_string!(i18n, summary_not_yet_due).to_string(),
                                    ] table=c.overlaps.clone()
                                    share=(t_string!(i18n, summary_within_deadline_share).to_string(), c.within_deadline.clone(), c.within_deadline_national) />
                                <SummaryTable caption=t_string!(i18n, summary_conflicts).to_string() row_heading=region.clone()
                                    columns=vec![t_string!(i18n, summary_conflicts).to_string()] table=c.conflicts.clone() />
                            </section>
                            <section class="section" aria-labelledby="signals-heading">
                                <h2 id="signals-heading">{t!(i18n, summary_signals)}</h2>
                                <SummaryTable caption=t_string!(i18n, summary_signals_by_region).to_string() row_heading=region.clone()
                                    columns=vec![t_string!(i18n, signal_hard).to_string(), t_string!(i18n, signal_soft).to_string()] table=c.signals.clone() />
                                <SummaryTable caption=t_string!(i18n, summary_signals_by_kind).to_string() row_heading=t_string!(i18n, signal_analysis_organisation_kind).to_string()
                                    columns=vec![t_string!(i18n, signal_hard).to_string(), t_string!(i18n, signal_soft).to_string()] table=c.signal_kinds.clone() />
                                <SummaryTable caption=t_string!(i18n, summary_follow_up).to_string() row_heading=region.clone()
                                    columns=vec![
                                        t_string!(i18n, signal_state_followed_up).to_string(),
                                        t_string!(i18n, signal_state_no_action).to_string(),
                                        t_string!(i18n, signal_analysis_open).to_string(),
                                    ] table=c.follow_up.clone()
                                    share=(t_string!(i18n, summary_followed_up_share).to_string(), c.followed_up_share.clone(), c.followed_up_share_national) />
                                <p>
                                    {t!(i18n, summary_median_follow_up)} ": "
                                    <strong>{c.median_follow_up_days.map(|d| format!("{d:.1}")).unwrap_or_else(|| "x".into())}</strong>
                                    " (" {t!(i18n, summary_followed_up_count)} " " {c.followed_up.text()} ")"
                                </p>
                            </section>
                        }.into_any()
                    }
                    Err(err) => view! { <PageError err return_to="/summary" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
