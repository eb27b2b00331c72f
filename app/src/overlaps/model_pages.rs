//! `/admin/matching`: the person model in force, for administrators, privacy officers and
//! auditors; administrators estimate it again from the stored data.

use crate::i18n::*;
use crate::overlaps::model_api::{FieldView, ModelView, TrainMatchingModel, get_matching_model};
use crate::ui::format::{decimal, moment, percent};
use crate::ui::page::{PageError, TableRegion};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn field_label(i18n: leptos_i18n::I18nContext<Locale>, field: &str) -> String {
    match field {
        "family" => t_string!(i18n, model_field_family),
        "given" => t_string!(i18n, model_field_given),
        "birth" => t_string!(i18n, model_field_birth),
        "birth_partial" => t_string!(i18n, model_field_birth_partial),
        _ => t_string!(i18n, model_field_nationality),
    }
    .to_string()
}

fn level_label(i18n: leptos_i18n::I18nContext<Locale>, level: &str) -> String {
    match level {
        "exact" => t_string!(i18n, model_level_exact),
        "close" => t_string!(i18n, model_level_close),
        "similar" => t_string!(i18n, model_level_similar),
        "day_month_swapped" => t_string!(i18n, model_level_day_month_swapped),
        "one_off" => t_string!(i18n, model_level_one_off),
        "compatible" => t_string!(i18n, model_level_compatible),
        "year_apart" => t_string!(i18n, model_level_year_apart),
        _ => t_string!(i18n, model_level_different),
    }
    .to_string()
}

/// A small probability readably: `0.0021` rather than `0.00`.
fn probability(i18n: leptos_i18n::I18nContext<Locale>, p: f64) -> String {
    let places = if p >= 0.01 { 3 } else { 6 };
    decimal(i18n, p, places)
}

#[component]
pub fn MatchingModelPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let trained = move || query.with(|q| q.get("trained"));
    let model = Resource::new(trained, |_| get_matching_model());
    view! {
        <Title text=t_string!(i18n, model_title).to_string() />
        <h1>{t!(i18n, model_title)}</h1>
        <p>{t!(i18n, model_intro)} " " <a href="/help#matching">{t!(i18n, help_matching_title)}</a></p>
        {move || match trained().as_deref() {
            Some("1") => Some(view! { <p class="alert alert--success" role="status">{t!(i18n, model_trained)}</p> }.into_any()),
            Some("0") => Some(view! { <p class="alert alert--warning" role="status">{t!(i18n, model_nothing_to_learn)}</p> }.into_any()),
            _ => None,
        }}
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match model.await {
                    Ok(model) => view! { <Model model /> }.into_any(),
                    Err(err) => view! { <PageError err return_to="/admin/matching" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Model(model: ModelView) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<TrainMatchingModel>::new();
    let status = match &model.trained {
        Some(t) => format!(
            "{} {} ({}): {} {}, {} {}, {} {}, {} {}{}; {} {}.",
            t_string!(i18n, model_trained_at),
            moment(i18n, &t.trained_at),
            t.trained_by,
            t.persons,
            t_string!(i18n, model_persons),
            t.random_pairs,
            t_string!(i18n, model_random_pairs),
            t.blocked_pairs,
            t_string!(i18n, model_blocked_pairs),
            t.iterations,
            t_string!(i18n, model_iterations),
            if t.converged {
                String::new()
            } else {
                format!(" ({})", t_string!(i18n, model_not_converged))
            },
            decimal(i18n, t.expected_matches, 0),
            t_string!(i18n, model_expected_matches),
        ),
        None => t_string!(i18n, model_defaults).to_string(),
    };
    let table = |f: FieldView| {
        let label = field_label(i18n, &f.field);
        let caption = label.clone();
        view! {
            <TableRegion label=move || label.clone()>
                <table class="table">
                    <caption>{caption}</caption>
                    <thead><tr>
                        <th scope="col">{t!(i18n, model_level)}</th>
                        <th scope="col">"m"</th>
                        <th scope="col">"u"</th>
                        <th scope="col">{t!(i18n, weight_column)}</th>
                    </tr></thead>
                    <tbody>
                        {f.levels.into_iter().map(|l| view! {
                            <tr>
                                <th scope="row">{level_label(i18n, &l.level)}</th>
                                <td>{probability(i18n, l.m)}</td>
                                <td>{probability(i18n, l.u)}</td>
                                <td>{crate::overlaps::explain::signed(i18n, l.weight)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </TableRegion>
        }
    };
    view! {
        <p>{status}</p>
        <dl class="facts">
            <dt>{t!(i18n, model_thresholds)}</dt>
            <dd>{format!("{} {} · {} {}", t_string!(i18n, model_likely_from), decimal(i18n, model.likely, 2),
                t_string!(i18n, model_possible_from), decimal(i18n, model.possible, 2))}</dd>
            <dt>{t!(i18n, model_matched_share)}</dt><dd>{decimal(i18n, model.matched_share, 2)}</dd>
            <dt>{t!(i18n, model_swapped)}</dt><dd>{percent(i18n, model.swapped * 100.0)}</dd>
            <dt>{t!(i18n, model_shared)}</dt>
            <dd>{format!("m {} · u {}", probability(i18n, model.shared_m), probability(i18n, model.shared_u))}</dd>
        </dl>
        {model.fields.into_iter().map(table).collect_view()}
        {model.may_train.then(|| view! {
            <ActionForm action>
                <p>{t!(i18n, model_train_explained)}</p>
                <button type="submit" class="button button--primary">{t!(i18n, model_train_button)}</button>
            </ActionForm>
        })}
    }
}
