//! The ministry's summary (`/summary`): the national figures in brief first, the key to `<5`,
//! `x` and `–` beside the first table, a chart only when there is something to draw, and the
//! published tables with their empty rows folded away. The figures and their protection are
//! `summary` and `disclosure`'s; the page only arranges them.

use crate::reports::api::read_summary;
use crate::reports::disclosure::{Shown, difference};
use crate::reports::pages::PrintButton;
use crate::reports::summary::{BETWEEN, SEVERAL, Table, UNKNOWN};
use crate::ui::page::TableRegion;
use crate::{domain::Theme, i18n::*, ui::page::PageError};
use leptos::prelude::*;
use leptos_meta::Title;

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

/// A share in percent, in the reader's notation; `x` where it is not published.
pub(crate) fn share_text(s: Option<f64>) -> String {
    let i18n = use_i18n();
    s.map(|s| crate::ui::format::percent(i18n, s))
        .unwrap_or_else(|| "x".into())
}

/// A published count in words, for the figures in brief.
pub(crate) fn count_words(i18n: leptos_i18n::I18nContext<Locale>, n: Shown) -> String {
    match n {
        Shown::Count(n) => n.to_string(),
        Shown::Small => t_string!(i18n, summary_words_small).to_string(),
        Shown::Hidden => t_string!(i18n, summary_words_hidden).to_string(),
        Shown::Withheld => t_string!(i18n, summary_words_withheld).to_string(),
    }
}

/// What `<5`, `x` and `–` mean, shown beside the first table rather than folded away.
#[component]
pub(crate) fn SummaryKey() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="summary-key">
            <h3>{t!(i18n, summary_key_title)}</h3>
            <dl>
                <dt>{Shown::Small.text()}</dt><dd>{t!(i18n, summary_key_small)}</dd>
                <dt>{Shown::Hidden.text()}</dt><dd>{t!(i18n, summary_key_hidden)}</dd>
                <dt>{Shown::Withheld.text()}</dt><dd>{t!(i18n, summary_key_withheld)}</dd>
                <dt>"0"</dt><dd>{t!(i18n, summary_key_zero)}</dd>
            </dl>
        </div>
    }
}

/// Nothing above zero to read: zero, `<5`, `x` or `–`.
fn quiet(n: &Shown) -> bool {
    !matches!(n, Shown::Count(n) if *n > 0)
}

/// A published table: rows, columns, a total column when there are several, the national
/// figures as the last row, and optionally a share per row. Rows with nothing above zero (all
/// 0 or protected) are folded into a `<details>` under the table that names them; a table with
/// nothing above zero at all is folded whole, its summary saying so. The figures are the same
/// either way: only where they sit changes.
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
    let share_heading = share.map(|(heading, _, _)| heading);
    let head = move || {
        view! {
            <thead><tr>
                <th scope="col">{row_heading.clone()}</th>
                {columns.iter().map(|c| view! { <th scope="col" class="numeric">{c.clone()}</th> }).collect_view()}
                {several.then(|| view! { <th scope="col" class="numeric">{t!(i18n, summary_total)}</th> })}
                {share_heading.clone().map(|heading| view! { <th scope="col" class="numeric">{heading}</th> })}
            </tr></thead>
        }
    };
    let rows = |which: &[usize]| {
        which
            .iter()
            .map(|&r| {
                let label = table.rows.get(r).map(|row| row_label(i18n, row)).unwrap_or_default();
                view! {
                    <tr>
                        <th scope="row">{label}</th>
                        {t.cells.get(r).cloned().unwrap_or_default().into_iter().map(|c| view! { <td class="numeric">{c.text()}</td> }).collect_view()}
                        {several.then(|| view! { <td class="numeric">{t.row_totals.get(r).map(|v| v.text()).unwrap_or_default()}</td> })}
                        {has_share.then(|| view! { <td class="numeric">{share_text(share_rows.get(r).copied().flatten())}</td> })}
                    </tr>
                }
            })
            .collect_view()
    };
    let national = || {
        view! {
            <tfoot>
                <tr>
                    <th scope="row">{t!(i18n, summary_national)}</th>
                    {t.column_totals.iter().map(|c| view! { <td class="numeric">{c.text()}</td> }).collect_view()}
                    {several.then(|| view! { <td class="numeric">{t.total.text()}</td> })}
                    {has_share.then(|| view! { <td class="numeric">{share_text(share_national)}</td> })}
                </tr>
            </tfoot>
        }
    };
    let quiet_row = |r: &usize| {
        t.cells.get(*r).is_none_or(|cells| cells.iter().all(quiet))
            && t.row_totals.get(*r).is_none_or(quiet)
    };
    let (quiet_rows, shown_rows): (Vec<usize>, Vec<usize>) =
        (0..table.rows.len()).partition(quiet_row);
    let nation_quiet = t.column_totals.iter().all(quiet) && quiet(&t.total);
    if shown_rows.is_empty() && nation_quiet {
        let why = if t.total == Shown::Withheld {
            t_string!(i18n, summary_table_withheld)
        } else {
            t_string!(i18n, summary_table_quiet)
        };
        return view! {
            <details class="details-box summary-quiet">
                <summary>{format!("{caption}: {why}")}</summary>
                <div class="table-scroll" role="region" tabindex="0" aria-label=format!("{caption} ({})", t_string!(i18n, table_region))>
                    <table class="table summary-table">
                        <caption>{caption.clone()}</caption>
                        {head()}
                        <tbody>{rows(quiet_rows.as_slice())}</tbody>
                        {national()}
                    </table>
                </div>
            </details>
        }
        .into_any();
    }
    let folded = (!quiet_rows.is_empty()).then(|| {
        let names = quiet_rows
            .iter()
            .filter_map(|r| table.rows.get(*r))
            .map(|row| row_label(i18n, row))
            .collect::<Vec<_>>()
            .join(", ");
        let label = t_string!(i18n, summary_rows_quiet);
        view! {
            <details class="details-box summary-quiet">
                <summary>{format!("{label} ({}): {names}", quiet_rows.len())}</summary>
                <div class="table-scroll" role="region" tabindex="0" aria-label=format!("{caption} — {label} ({})", t_string!(i18n, table_region))>
                    <table class="table summary-table">
                        <caption>{format!("{caption} — {label}")}</caption>
                        {head()}
                        <tbody>{rows(quiet_rows.as_slice())}</tbody>
                    </table>
                </div>
            </details>
        }
    });
    view! {
        <div class="table-scroll" role="region" tabindex="0" aria-label=format!("{caption} ({})", t_string!(i18n, table_region))>
            <table class="table summary-table">
                <caption>{caption.clone()}</caption>
                {head()}
                <tbody>{rows(shown_rows.as_slice())}</tbody>
                {national()}
            </table>
        </div>
        {folded}
    }
    .into_any()
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
    // The view box starts 16 units above the bars, so that the tallest bar's value is not cut off.
    view! {
        <svg class="chart" viewBox=format!("0 -16 {width} {}", HEIGHT + 96) role="img" aria-labelledby="trend-title"
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

/// Why the trend has no chart: nothing was counted, or nothing is shown above zero (`<5`,
/// `x`, `–`), so every bar would be empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NoChart {
    Nothing,
    TooSmall,
}

/// `None` when some figure is shown above zero and the chart has a bar to draw.
pub(crate) fn no_chart(figures: impl IntoIterator<Item = Shown>) -> Option<NoChart> {
    let mut nothing = true;
    for figure in figures {
        match figure {
            Shown::Count(0) => {}
            Shown::Count(_) => return None,
            Shown::Small | Shown::Hidden | Shown::Withheld => nothing = false,
        }
    }
    Some(if nothing {
        NoChart::Nothing
    } else {
        NoChart::TooSmall
    })
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
                        // The national figures in words, first.
                        let words = move |n: Shown| count_words(i18n, n);
                        let in_brief = vec![
                            (words(c.ventures.table.total), t_string!(i18n, summary_brief_ventures).to_string()),
                            (words(c.cases.table.total), t_string!(i18n, summary_brief_cases).to_string()),
                            (words(c.overlaps.table.total), t_string!(i18n, summary_brief_overlaps).to_string()),
                            (words(c.conflicts.table.total), t_string!(i18n, summary_brief_conflicts).to_string()),
                            (words(c.signals.table.total), t_string!(i18n, summary_brief_signals).to_string()),
                        ];
                        let shares = [
                            (c.within_deadline_national, t_string!(i18n, summary_brief_within_deadline), t_string!(i18n, summary_brief_within_deadline_unknown)),
                            (c.followed_up_share_national, t_string!(i18n, summary_brief_followed_up), t_string!(i18n, summary_brief_followed_up_unknown)),
                        ];
                        // A chart only when there is something to draw; otherwise why not.
                        let chartless = no_chart(series.iter().flat_map(|(_, v)| v.iter().copied())).map(|why| match why {
                            NoChart::Nothing => t_string!(i18n, summary_chart_none_zero),
                            NoChart::TooSmall => t_string!(i18n, summary_chart_none_small),
                        });
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
                                {(!complete).then(|| format!(" {}", crate::ui::format::date(i18n, &as_of)))}
                                " (" {t!(i18n, summary_counted)} " " {crate::ui::format::moment(i18n, &s.counted)} "); "
                                {if complete { t_string!(i18n, summary_fixed) } else { t_string!(i18n, summary_published_daily) }}
                            </p>
                            <section class="section" aria-labelledby="brief-heading">
                                <h2 id="brief-heading">{t!(i18n, summary_brief_title)}</h2>
                                <ul class="summary-brief">
                                    {in_brief.into_iter().map(|(count, label)| view! {
                                        <li><strong>{count}</strong> " " {label}</li>
                                    }).collect_view()}
                                    {shares.into_iter().map(|(share, label, unknown)| match share {
                                        Some(share) => view! { <li><strong>{share_text(Some(share))}</strong> " " {label}</li> }.into_any(),
                                        None => view! { <li>{unknown}</li> }.into_any(),
                                    }).collect_view()}
                                </ul>
                            </section>
                            <section class="section" aria-labelledby="trend-heading">
                                <h2 id="trend-heading">{t!(i18n, summary_trend)}</h2>
                                <SummaryKey />
                                {match chartless {
                                    None => view! {
                                        <TrendChart title=t_string!(i18n, summary_trend).to_string() series=series.clone() quarters=quarters.clone() />
                                    }.into_any(),
                                    Some(why) => view! { <p class="summary-no-chart">{why}</p> }.into_any(),
                                }}
                                <TableRegion label=move || t_string!(i18n, summary_trend)><table class="table">
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
                                </table></TableRegion>
                                <TableRegion label=move || t_string!(i18n, summary_change)><table class="table">
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
                                </table></TableRegion>
                                <details class="details-box">
                                    <summary>{t!(i18n, summary_rule_title)}</summary>
                                    <p>{t!(i18n, summary_rule_primary)}</p>
                                    <p>{t!(i18n, summary_rule_secondary)}</p>
                                    <p>{t!(i18n, summary_rule_withheld)}</p>
                                    <p>{t!(i18n, summary_rule_regions)}</p>
                                </details>
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
                                    <strong>{c.median_follow_up_days.map(|d| crate::ui::format::decimal(i18n, d, 1)).unwrap_or_else(|| "x".into())}</strong>
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_needs_a_figure_above_zero_and_says_why_not_otherwise() {
        use Shown::*;
        assert_eq!(no_chart([Count(0), Small, Count(3)]), None);
        assert_eq!(no_chart([Count(0), Count(0)]), Some(NoChart::Nothing));
        assert_eq!(no_chart(Vec::<Shown>::new()), Some(NoChart::Nothing));
        assert_eq!(
            no_chart([Count(0), Small, Hidden, Withheld]),
            Some(NoChart::TooSmall)
        );
    }

    #[test]
    fn only_a_count_above_zero_is_worth_a_row_of_its_own() {
        assert!(quiet(&Shown::Count(0)));
        assert!(quiet(&Shown::Small) && quiet(&Shown::Hidden) && quiet(&Shown::Withheld));
        assert!(!quiet(&Shown::Count(5)));
    }
}
