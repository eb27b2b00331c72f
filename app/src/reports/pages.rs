//! Components.

use crate::reports::api::read_overlap_report;
use crate::ui::format::date;
use crate::ui::page::TableRegion;
use crate::{
    i18n::*, overlaps::workflow_pages::decision_label, overlaps::workflow_pages::match_kind_label,
    ui::page::PageError,
};
use leptos::prelude::*;
use leptos_meta::Title;

/// The ministry's summary lives beside the managers' report; the route names it here.
pub use crate::reports::summary_pages::SummaryPage;

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

/// A median number of days, with one decimal in the reader's notation.
pub(crate) fn days(d: Option<f64>) -> String {
    let i18n = use_i18n();
    d.map(|d| crate::ui::format::decimal(i18n, d, 1))
        .unwrap_or_else(|| "–".into())
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
                        let drill_pair = drill.clone();
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
                            <p class="print-only">{t!(i18n, report_title)} " · " {date(i18n, &r.from)} " – " {date(i18n, &r.to)}</p>
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
                                {t!(i18n, report_period)} " " <strong>{date(i18n, &r.from)} " – " {date(i18n, &r.to)}</strong> ", "
                                {t!(i18n, report_compared)} " " {date(i18n, &r.previous_from)} " – " {date(i18n, &r.previous_to)} ". "
                                {t!(i18n, report_as_of)} " " {crate::ui::format::moment(i18n, &r.as_of)} "."
                            </p>
                            <TableRegion label=move || t_string!(i18n, report_headline)><table class="table">
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
                            </table></TableRegion>
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
                                        <TableRegion label=move || t_string!(i18n, report_matrix)>
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
                                        </TableRegion>
                                        <p class="field__hint">{t!(i18n, report_matrix_legend)}</p>
                                    }.into_any()
                                }}
                            </section>
                            <section class="section" aria-labelledby="kinds-heading">
                                <h2 id="kinds-heading">{t!(i18n, report_by_kind)}</h2>
                                <TableRegion label=move || t_string!(i18n, report_by_kind)><table class="table">
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
                                </table></TableRegion>
                            </section>
                            <section class="section" aria-labelledby="ages-heading">
                                <h2 id="ages-heading">{t!(i18n, report_by_age)}</h2>
                                <TableRegion label=move || t_string!(i18n, report_by_age)><table class="table">
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
                                </table></TableRegion>
                            </section>
                            <section class="section" aria-labelledby="decisions-heading">
                                <h2 id="decisions-heading">{t!(i18n, report_decisions)}</h2>
                                {if r.decisions.is_empty() {
                                    view! { <p>{t!(i18n, report_none)}</p> }.into_any()
                                } else {
                                    view! {
                                        <TableRegion label=move || t_string!(i18n, report_decisions)><table class="table">
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
                                        </table></TableRegion>
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
                                        <TableRegion label=move || t_string!(i18n, report_recurring)><table class="table">
                                            <caption class="visually-hidden">{t!(i18n, report_recurring)}</caption>
                                            <thead><tr>
                                                <th scope="col">{t!(i18n, report_pair)}</th>
                                                <th scope="col" class="numeric">{t!(i18n, report_this_period)}</th>
                                                <th scope="col" class="numeric">{t!(i18n, report_previous_period)}</th>
                                            </tr></thead>
                                            <tbody>
                                                {r.recurring.clone().into_iter().map(|p| view! {
                                                    <tr>
                                                        <th scope="row"><a href=drill_pair(p.first, p.second)>{name(p.first)} " – " {name(p.second)}</a></th>
                                                        <td class="numeric">{p.found}</td><td class="numeric">{p.previous}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table></TableRegion>
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
