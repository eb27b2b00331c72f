//! Components.

use crate::operations::api::list_operations;
use crate::operations::api::{AddOperation, RemoveOperation};
use crate::operations::types::OperationRow;
use crate::ui::labels::operation_kind_label;
use crate::ui::page::TableRegion;
use crate::{
    domain::OperationKind, i18n::*, partnerships::types::RegionOption, ui::form::Field,
    ui::form::field_error, ui::form::general_error, ui::format, ui::page::PageError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

pub(crate) fn place_text(row: &OperationRow) -> String {
    let mut parts = vec![row.place.clone(), row.municipality.clone()];
    parts.retain(|p| !p.is_empty());
    format!(
        "{} ({:.4}, {:.4})",
        parts.join(", "),
        row.latitude,
        row.longitude
    )
}

/// An operation's window under the calendar's day: the clock times, and a day only where the
/// window starts before it (an operation running into the calendar's first day) or ends after.
fn calendar_time(i18n: leptos_i18n::I18nContext<Locale>, day: &str, o: &OperationRow) -> String {
    let start = if o.starts_at.date == day {
        o.starts_at.time.clone()
    } else {
        format::moment(i18n, &o.starts_at)
    };
    let end = if o.ends_at.date == o.starts_at.date {
        o.ends_at.time.clone()
    } else {
        format::moment(i18n, &o.ends_at)
    };
    format!("{start} – {end}")
}

/// A case's operations and the form to plan another.
#[component]
pub fn OperationsSection(
    case_id: i32,
    operations: Vec<OperationRow>,
    places: Vec<RegionOption>,
) -> impl IntoView {
    let i18n = use_i18n();
    let remove = ServerAction::<RemoveOperation>::new();
    let removed = Signal::derive(move || remove.value().get());
    let add = ServerAction::<AddOperation>::new();
    let added = Signal::derive(move || add.value().get());
    let error = move |field: &'static str| Signal::derive(move || field_error(added.get(), field));
    let kind_error = error("kind");
    let municipality_error = error("municipality");
    let open = move || added.get().is_some_and(|r| r.is_err());
    view! {
        <section aria-labelledby="operations-heading" class="section">
            <h2 id="operations-heading">{t!(i18n, operations_title)}</h2>
            <Show when=move || general_error(i18n, removed.get()).is_some()>
                <p class="alert alert--error" role="alert">{move || general_error(i18n, removed.get())}</p>
            </Show>
            {if operations.is_empty() {
                view! { <p>{t!(i18n, operations_none)}</p> }.into_any()
            } else {
                view! {
                    <TableRegion label=move || t_string!(i18n, operations_title)>
                        <table class="table">
                            <caption class="visually-hidden">{t!(i18n, operations_title)}</caption>
                            <thead><tr>
                                <th scope="col">{t!(i18n, kind_column)}</th>
                                <th scope="col">{t!(i18n, operation_when)}</th>
                                <th scope="col">{t!(i18n, operation_place)}</th>
                                <th scope="col">{t!(i18n, operation_note)}</th>
                                <th scope="col"><span class="visually-hidden">{t!(i18n, actions_column)}</span></th>
                            </tr></thead>
                            <tbody>
                                {operations.into_iter().map(|o| {
                                    let when = format::span(i18n, &o.starts_at, &o.ends_at);
                                    let label = format!("{} {when}", t_string!(i18n, remove_button));
                                    view! {
                                        <tr>
                                            <td>{operation_kind_label(i18n, o.kind)}</td>
                                            <td>{when}</td>
                                            <td>{place_text(&o)}</td>
                                            <td>{o.note.clone()}</td>
                                            <td>
                                                <ActionForm action=remove attr:class="inline-form">
                                                    <input type="hidden" name="case_id" value=case_id />
                                                    <input type="hidden" name="operation_id" value=o.id />
                                                    <button type="submit" class="button button--small" aria-label=label>{t!(i18n, remove_button)}</button>
                                                </ActionForm>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </TableRegion>
                }.into_any()
            }}
            <details open=open>
                <summary>{t!(i18n, operation_new)}</summary>
                <ActionForm action=add attr:class="form" attr:novalidate="true">
                    <Show when=move || general_error(i18n, added.get()).is_some()>
                        <p class="alert alert--error" role="alert">{move || general_error(i18n, added.get())}</p>
                    </Show>
                    <input type="hidden" name="case_id" value=case_id />
                    <div class="field" class:field--invalid=move || kind_error.get().is_some()>
                        <label for="operation-kind">{t!(i18n, kind_column)}</label>
                        <Show when=move || kind_error.get().is_some()>
                            <p class="field__error">{move || kind_error.get()}</p>
                        </Show>
                        <select id="operation-kind" name="operation[kind]">
                            {OperationKind::ALL.iter().map(|k| view! { <option value=k.as_str()>{operation_kind_label(i18n, *k)}</option> }).collect_view()}
                        </select>
                    </div>
                    <Field name="operation[starts_at]" label=move || t_string!(i18n, operation_starts).to_string()
                        kind="datetime-local" autocomplete="off" error=error("starts_at") />
                    <Field name="operation[ends_at]" label=move || t_string!(i18n, operation_ends).to_string()
                        kind="datetime-local" autocomplete="off" error=error("ends_at") />
                    <Field name="operation[place]" label=move || t_string!(i18n, operation_place_text).to_string()
                        kind="text" autocomplete="off" error=error("place") />
                    <div class="field" class:field--invalid=move || municipality_error.get().is_some()>
                        <label for="operation-municipality">{t!(i18n, subject_municipality)}</label>
                        <Show when=move || municipality_error.get().is_some()>
                            <p class="field__error">{move || municipality_error.get()}</p>
                        </Show>
                        <select id="operation-municipality" name="operation[municipality]">
                            <option value="">{t!(i18n, operation_no_municipality)}</option>
                            {places.into_iter().map(|p| view! { <option value=p.code>{p.name}</option> }).collect_view()}
                        </select>
                    </div>
                    <Field name="operation[coordinates]" label=move || t_string!(i18n, operation_coordinates).to_string()
                        kind="text" autocomplete="off" error=error("coordinates") />
                    <p class="field__hint">{t!(i18n, operation_coordinates_hint)}</p>
                    <Field name="operation[note]" label=move || t_string!(i18n, operation_note).to_string()
                        kind="text" autocomplete="off" error=error("note") />
                    <button type="submit" class="button button--primary">{t!(i18n, operation_add_button)}</button>
                </ActionForm>
            </details>
        </section>
    }
}

/// `/operations`: every operation of the caller's joint ventures, by day.
#[component]
pub fn OperationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let from = move || query.with(|q| q.get("from").unwrap_or_default());
    let calendar = Resource::new(from, list_operations);
    view! {
        <Title text=t_string!(i18n, operations_title).to_string() />
        <h1>{t!(i18n, operations_title)}</h1>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match calendar.await {
                    Ok(calendar) => view! {
                        <form method="get" action="/operations" class="filters">
                            <div class="field">
                                <label for="from">{t!(i18n, operations_from)}</label>
                                <input id="from" name="from" type="date" value=calendar.from.clone() />
                            </div>
                            <button type="submit" class="button">{t!(i18n, filter_button)}</button>
                        </form>
                        <nav class="pagination" aria-label=move || t_string!(i18n, pagination_label).to_string()>
                            <a href=format!("/operations?from={}", calendar.previous) rel="prev">{t!(i18n, operations_earlier)}</a>
                            <span>{format::date(i18n, &calendar.from)} " + " {calendar.days} " " {t!(i18n, operations_days)}</span>
                            <a href=format!("/operations?from={}", calendar.next) rel="next">{t!(i18n, operations_later)}</a>
                        </nav>
                        {if calendar.by_day.is_empty() {
                            view! { <p>{t!(i18n, operations_none)}</p> }.into_any()
                        } else {
                            calendar.by_day.into_iter().map(|(day, rows)| view! {
                                <section class="calendar-day" aria-label=format::date(i18n, &day)>
                                    <h2><format::Day date=day.clone() /></h2>
                                    <ul class="calendar-list">
                                        {rows.into_iter().map(|o| view! {
                                            <li>
                                                <span class="calendar-time">{calendar_time(i18n, &day, &o)}</span>
                                                " " <strong>{operation_kind_label(i18n, o.kind)}</strong>
                                                " · " <a href=format!("/cases/{}", o.case_id)>{o.case_reference.clone()}</a>
                                                " · " {place_text(&o)}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </section>
                            }).collect_view().into_any()
                        }}
                    }.into_any(),
                    Err(err) => view! { <PageError err return_to="/operations" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
