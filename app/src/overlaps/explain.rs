//! A person match explained: each field's match weight in words, and as a waterfall chart
//! drawn on the server (SVG), with a table of the same numbers beside it for screen readers
//! and for reading off exact values. The chart starts at the prior, each field moves the
//! running match weight up (for) or down (against), and the last bar is the sum, whose
//! probability is the overlap's score.

use crate::i18n::*;
use crate::overlaps::types::{FieldWeight, Frequency};
use crate::ui::format::decimal;
use leptos::prelude::*;

/// A weight with its sign, one decimal: `+12,4`, `−3,2`.
pub fn signed(i18n: leptos_i18n::I18nContext<Locale>, weight: f64) -> String {
    let sign = if weight < 0.0 { "−" } else { "+" };
    format!("{sign}{}", decimal(i18n, weight.abs(), 1))
}

/// One field in words: `family name equal (rare in the data)`.
pub fn field_text(i18n: leptos_i18n::I18nContext<Locale>, field: &FieldWeight) -> String {
    let reason = crate::overlaps::pages::reason_text(i18n, field.reason);
    match field.frequency {
        Some(Frequency::Rare) => format!("{reason} ({})", t_string!(i18n, weight_rare)),
        Some(Frequency::Common) => format!("{reason} ({})", t_string!(i18n, weight_common)),
        None => reason,
    }
}

/// The weighing in words: `date of birth equal: +9,1; given names differ: −3,2`.
pub fn weighed_text(i18n: leptos_i18n::I18nContext<Locale>, fields: &[FieldWeight]) -> String {
    fields
        .iter()
        .map(|f| format!("{}: {}", field_text(i18n, f), signed(i18n, f.weight)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// One bar of the chart: its label, where it starts and ends on the weight axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub from: f64,
    pub to: f64,
    pub kind: BarKind,
}

impl Bar {
    /// What the bar shows as its value: the prior and the total as they stand, a field by how
    /// far it moves the running weight.
    pub fn step(&self) -> f64 {
        match self.kind {
            BarKind::Prior | BarKind::Total => self.to,
            BarKind::For | BarKind::Against => self.to - self.from,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarKind {
    Prior,
    For,
    Against,
    Total,
}

/// The bars: the prior from 0, each field from the running sum, and the total from 0.
pub fn bars(prior: (String, f64), fields: &[(String, f64)], total: String) -> Vec<Bar> {
    let mut out = vec![Bar {
        label: prior.0,
        from: 0.0,
        to: prior.1,
        kind: BarKind::Prior,
    }];
    let mut running = prior.1;
    for (label, weight) in fields {
        out.push(Bar {
            label: label.clone(),
            from: running,
            to: running + weight,
            kind: if *weight >= 0.0 {
                BarKind::For
            } else {
                BarKind::Against
            },
        });
        running += weight;
    }
    out.push(Bar {
        label: total,
        from: 0.0,
        to: running,
        kind: BarKind::Total,
    });
    out
}

const WIDTH: f64 = 640.0;
const LABELS: f64 = 300.0;
const ROW: f64 = 26.0;

/// The waterfall of a weighed person match.
#[component]
pub fn Waterfall(prior: f64, fields: Vec<FieldWeight>, score: f64) -> impl IntoView {
    let i18n = use_i18n();
    let named: Vec<(String, f64)> = fields
        .iter()
        .map(|f| (field_text(i18n, f), f.weight))
        .collect();
    let bars = bars(
        (t_string!(i18n, weight_prior).to_string(), prior),
        &named,
        t_string!(i18n, weight_total).to_string(),
    );
    let low = bars.iter().map(|b| b.from.min(b.to)).fold(0.0, f64::min);
    let high = bars.iter().map(|b| b.from.max(b.to)).fold(0.0, f64::max);
    let span = (high - low).max(1.0);
    let x = move |w: f64| LABELS + (w - low) / span * (WIDTH - LABELS - 60.0);
    let height = ROW * bars.len() as f64 + 10.0;
    let title = t_string!(i18n, weight_chart_title).to_string();
    let total = bars.last().map(|b| b.to).unwrap_or_default();
    let rows = bars.clone();
    view! {
        <figure class="waterfall">
            <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-labelledby="waterfall-title"
                class="waterfall__chart" xmlns="http://www.w3.org/2000/svg">
                <title id="waterfall-title">{title.clone()}</title>
                <line class="waterfall__zero" x1=x(0.0) x2=x(0.0) y1="0" y2=height />
                {bars.into_iter().enumerate().map(|(i, b)| {
                    let y = i as f64 * ROW + 5.0;
                    let (left, right) = (x(b.from.min(b.to)), x(b.from.max(b.to)));
                    let class = match b.kind {
                        BarKind::Prior => "waterfall__bar waterfall__bar--prior",
                        BarKind::For => "waterfall__bar waterfall__bar--for",
                        BarKind::Against => "waterfall__bar waterfall__bar--against",
                        BarKind::Total => "waterfall__bar waterfall__bar--total",
                    };
                    let value = signed(i18n, b.step());
                    view! {
                        <g>
                            <text class="waterfall__label" x="0" y=y + ROW * 0.65>{b.label}</text>
                            <rect class=class x=left y=y + 3.0 width=(right - left).max(1.0) height=ROW - 8.0 />
                            <text class="waterfall__value" x=right + 4.0 y=y + ROW * 0.65>{value}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption>
                {format!("{}: {} · {}: {}", t_string!(i18n, weight_total), signed(i18n, total),
                    t_string!(i18n, weight_probability), crate::ui::format::score(i18n, score))}
            </figcaption>
            <table class="table waterfall__table">
                <caption>{title}</caption>
                <thead><tr>
                    <th scope="col">{t!(i18n, weight_field)}</th>
                    <th scope="col">{t!(i18n, weight_column)}</th>
                    <th scope="col">{t!(i18n, weight_running)}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|b| view! {
                        <tr>
                            <th scope="row">{b.label.clone()}</th>
                            <td>{signed(i18n, b.step())}</td>
                            <td>{signed(i18n, b.to)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_bar_starts_where_the_last_ended_and_the_total_is_the_sum() {
        let bars = bars(
            ("prior".into(), -16.0),
            &[
                ("family".into(), 12.0),
                ("given".into(), -3.0),
                ("birth".into(), 14.0),
            ],
            "total".into(),
        );
        assert_eq!(bars.len(), 5);
        for pair in bars[..4].windows(2) {
            assert_eq!(pair[0].to, pair[1].from);
        }
        assert_eq!(bars[2].kind, BarKind::Against);
        let total = bars.last().expect("a total");
        assert_eq!(
            (total.from, total.to, total.kind),
            (0.0, 7.0, BarKind::Total)
        );
    }
}
