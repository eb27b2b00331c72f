//! Components.

use crate::cases::api::{ImportCases, SaveCase};
use crate::cases::api::{get_case, import_cases, list_cases};
use crate::cases::types::{CASE_COLUMNS, CaseFilter, CaseInput, CaseList, CaseOverlaps};
use crate::ui::page::TableRegion;
use crate::{
    domain::CaseStatus, domain::Handling, domain::Theme, error::AppError, i18n::*,
    partnerships::types::Named, ui::form::Field, ui::form::field_error, ui::form::general_error,
    ui::format, ui::labels::case_status_label, ui::labels::handling_label, ui::labels::theme_label,
    ui::page::PageError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/cases/import`: cases from CSV into one of the caller's joint ventures.
#[component]
pub fn ImportCasesPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |_| list_cases(CaseFilter::default()));
    let upload = Action::new_local(|data: &leptos::web_sys::FormData| {
        let data = data.clone();
        async move { import_cases(data.into()).await }
    });
    let url = <ImportCases as leptos::server_fn::ServerFn>::url();
    view! {
        <Title text=t_string!(i18n, cases_import_title).to_string() />
        <p><a href="/cases">{t!(i18n, cases_title)}</a></p>
        <h1>{t!(i18n, cases_import_title)}</h1>
        <p>{t!(i18n, import_intro)}</p>
        <p>{t!(i18n, cases_import_layout)} " " <code>{CASE_COLUMNS.join(",")}</code></p>
        <p>{t!(i18n, cases_import_values)}</p>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) => view! {
                        <crate::subjects::pages::CsvUpload upload url>
                            <div class="field">
                                <label for="import-joint-venture">{t!(i18n, joint_venture_column)}</label>
                                <select id="import-joint-venture" name="joint_venture_id">
                                    {list.joint_ventures.into_iter().map(|v| view! { <option value=v.id>{v.name}</option> }).collect_view()}
                                </select>
                            </div>
                        </crate::subjects::pages::CsvUpload>
                    }.into_any(),
                    Err(err) => view! { <PageError err return_to="/cases/import" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn CasesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = move || {
        query.with(|q| {
            let get = |k: &str| q.get(k).unwrap_or_default();
            CaseFilter {
                status: get("status"),
                theme: get("theme"),
                q: get("q"),
                sort: get("sort"),
                page: get("page"),
                review: get("review"),
            }
        })
    };
    let list = Resource::new(filter, list_cases);
    view! {
        <Title text=t_string!(i18n, cases_title).to_string() />
        <h1>{t!(i18n, cases_title)}</h1>
        <p>
            <a class="button button--primary" href="/cases/new">{t!(i18n, case_new)}</a>
            " "
            <a class="button" href="/cases/import">{t!(i18n, cases_import_title)}</a>
        </p>
        {move || query.with(|q| q.get("imported")).map(|n| view! {
            <p class="alert alert--success" role="status">{t!(i18n, cases_imported)} " " {n}</p>
        })}
        <form method="get" action="/cases" class="filters" role="search">
            <div class="field">
                <label for="q">{t!(i18n, case_search_label)}</label>
                <input id="q" name="q" type="search" value=move || filter().q />
            </div>
            <div class="field">
                <label for="status">{t!(i18n, users_status_label)}</label>
                <select id="status" name="status">
                    <option value="">{t!(i18n, users_status_all)}</option>
                    {CaseStatus::ALL.iter().map(|s| view! {
                        <option value=s.as_str() selected=move || filter().status == s.as_str()>{case_status_label(i18n, *s)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="theme">{t!(i18n, theme_column)}</label>
                <select id="theme" name="theme">
                    <option value="">{t!(i18n, users_status_all)}</option>
                    {Theme::ALL.iter().map(|t| view! {
                        <option value=t.as_str() selected=move || filter().theme == t.as_str()>{theme_label(i18n, *t)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="review">{t!(i18n, retention_review_on)}</label>
                <select id="review" name="review">
                    <option value="">{t!(i18n, users_status_all)}</option>
                    <option value="due" selected=move || filter().review == "due">{t!(i18n, retention_filter_due)}</option>
                </select>
            </div>
            <div class="field">
                <label for="sort">{t!(i18n, sort_label)}</label>
                <select id="sort" name="sort">
                    {[("reference", t_string!(i18n, case_reference_label)), ("title", t_string!(i18n, case_title_label)),
                      ("status", t_string!(i18n, users_status_label)), ("start", t_string!(i18n, start_label)),
                      ("updated", t_string!(i18n, case_updated_label)), ("review", t_string!(i18n, retention_review_on))]
                        .into_iter()
                        .map(|(code, label)| view! { <option value=code selected=move || filter().sort == code>{label}</option> })
                        .collect_view()}
                </select>
            </div>
            <button type="submit" class="button">{t!(i18n, filter_button)}</button>
        </form>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) => view! { <CaseTable list filter=filter() /> }.into_any(),
                    Err(err) => view! { <PageError err return_to="/cases" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub(crate) fn CaseTable(list: CaseList, filter: CaseFilter) -> impl IntoView {
    let i18n = use_i18n();
    let page_link = move |page: u64| {
        format!(
            "/cases?q={}&status={}&theme={}&sort={}&review={}&page={page}",
            percent_encoding::utf8_percent_encode(&filter.q, percent_encoding::NON_ALPHANUMERIC),
            filter.status,
            filter.theme,
            filter.sort,
            filter.review
        )
    };
    let (page, pages) = (list.page, list.pages);
    view! {
        <p role="status">{t!(i18n, cases_count)} " " {list.total}</p>
        {if list.rows.is_empty() {
            view! { <p>{t!(i18n, cases_none)}</p> }.into_any()
        } else {
            view! {
                <TableRegion label=move || t_string!(i18n, cases_title)>
                    <table class="table">
                        <caption class="visually-hidden">{t!(i18n, cases_title)}</caption>
                        <thead><tr>
                            <th scope="col">{t!(i18n, case_reference_label)}</th>
                            <th scope="col">{t!(i18n, case_title_label)}</th>
                            <th scope="col">{t!(i18n, joint_venture_column)}</th>
                            <th scope="col">{t!(i18n, theme_column)}</th>
                            <th scope="col">{t!(i18n, users_status_label)}</th>
                            <th scope="col">{t!(i18n, start_label)}</th>
                            <th scope="col">{t!(i18n, retention_review_on)}</th>
                        </tr></thead>
                        <tbody>
                            {list.rows.into_iter().map(|row| view! {
                                <tr>
                                    <td class="nowrap"><a href=format!("/cases/{}", row.id)>{row.reference}</a></td>
                                    <td>{row.title}</td>
                                    <td>{row.joint_venture}</td>
                                    <td>{theme_label(i18n, row.theme)}</td>
                                    <td>{case_status_label(i18n, row.status)}</td>
                                    <td>{format::date(i18n, &row.start)}</td>
                                    <td>
                                        {row.review_on.as_deref().map(|d| format::date(i18n, d))}
                                        {row.review_due.then(|| view! { " " <span class="badge badge--flag">{t!(i18n, retention_due_badge)}</span> })}
                                    </td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </TableRegion>
            }.into_any()
        }}
        <nav class="pagination" aria-label=move || t_string!(i18n, pagination_label).to_string()>
            {(page > 1).then(|| view! { <a href=page_link(page - 1) rel="prev">{t!(i18n, previous_page)}</a> })}
            <span>{page} " / " {pages}</span>
            {(page < pages).then(|| view! { <a href=page_link(page + 1) rel="next">{t!(i18n, next_page)}</a> })}
        </nav>
    }
}

#[component]
pub fn NewCasePage() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |_| list_cases(CaseFilter::default()));
    view! {
        <Title text=t_string!(i18n, case_new).to_string() />
        <p><a href="/cases">{t!(i18n, cases_title)}</a></p>
        <h1>{t!(i18n, case_new)}</h1>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) => {
                        let input = CaseInput {
                            status: CaseStatus::Active.as_str().into(),
                            handling: Handling::PointerOnly.as_str().into(),
                            joint_venture_id: list.joint_ventures.first().map(|v| v.id.to_string()).unwrap_or_default(),
                            ..Default::default()
                        };
                        view! { <CaseForm id=None version=None input joint_ventures=list.joint_ventures.clone() partners=list.joint_ventures /> }.into_any()
                    }
                    Err(err) => view! { <PageError err return_to="/cases/new" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn CasePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i32>().ok()));
    let saved = move || query.with(|q| q.get("saved").unwrap_or_default());
    let imported = move || query.with(|q| q.get("imported").unwrap_or_default());
    let landed = move || query.with(|q| q.get("at").unwrap_or_default());
    let subjects_page = move || {
        query.with(|q| {
            q.get("subjects")
                .and_then(|p| p.parse::<u64>().ok())
                .unwrap_or(1)
        })
    };
    let case = Resource::new(
        move || (id(), landed(), subjects_page()),
        |(id, _, page)| async move {
            match id {
                Some(id) => get_case(id, page).await,
                None => Err(AppError::Forbidden),
            }
        },
    );
    let return_to = move || format!("/cases/{}", id().unwrap_or_default());
    view! {
        <Title text=t_string!(i18n, case_title).to_string() />
        <p><a href="/cases">{t!(i18n, cases_title)}</a></p>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match case.await {
                    Ok(case) => {
                        let joint_ventures = vec![case.joint_venture.clone()];
                        view! {
                            <h1>{case.input.reference.clone()} ": " {case.input.title.clone()}</h1>
                            {(!saved().is_empty()).then(|| view! {
                                <p class="alert alert--success" role="status">{t!(i18n, user_done_saved)}</p>
                            })}
                            {query.with(|q| q.get("extended")).map(|_| view! {
                                <p class="alert alert--success" role="status">{t!(i18n, retention_extended_done)}</p>
                            })}
                            {(!imported().is_empty()).then(|| view! {
                                <p class="alert alert--success" role="status">{t!(i18n, import_done)} " " {imported()}</p>
                            })}
                            <p class="muted">{case.joint_venture.name.clone()} " · " {t!(i18n, case_updated_label)} " " <format::Moment at=case.updated_at.clone() /></p>
                            <CaseOverlapsNote overlaps=case.overlaps />
                            <nav class="chips" aria-label=move || t_string!(i18n, case_sections).to_string()>
                                <a href="#subjects-heading">{t!(i18n, subjects_title)}</a>
                                <a href="#operations-heading">{t!(i18n, operations_title)}</a>
                                <a href="#case-details">{t!(i18n, case_details)}</a>
                                {case.retention.is_some().then(|| view! { <a href="#case-retention">{t!(i18n, retention_case_heading)}</a> })}
                            </nav>
                            <crate::subjects::pages::SubjectsSection case_id=case.id subjects=case.subjects />
                            <crate::operations::pages::OperationsSection case_id=case.id operations=case.operations places=case.places />
                            {case.retention.clone().map(|retention| view! {
                                <crate::retention::pages::RetentionSection case_id=case.id retention />
                            })}
                            <section class="section" aria-labelledby="case-details">
                                <h2 id="case-details">{t!(i18n, case_details)}</h2>
                                <CaseForm id=Some(case.id) version=Some(case.version) input=case.input joint_ventures partners=case.partners />
                            </section>
                        }.into_any()
                    }
                    Err(err) => view! { <PageError err return_to=return_to() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Creates a case (`id` none) or changes one, based on `version`.
#[component]
pub(crate) fn CaseForm(
    id: Option<i32>,
    version: Option<i32>,
    input: CaseInput,
    joint_ventures: Vec<Named>,
    partners: Vec<Named>,
) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SaveCase>::new();
    let result = Signal::derive(move || action.value().get());
    let error = move |field: &'static str| Signal::derive(move || field_error(result.get(), field));
    let select =
        move |name: &'static str, label: String, options: Vec<(String, String)>, chosen: String| {
            let err = error(name);
            let id = format!("case-{name}");
            view! {
                <div class="field" class:field--invalid=move || err.get().is_some()>
                    <label for=id.clone()>{label}</label>
                    <Show when=move || err.get().is_some()>
                        <p class="field__error">{move || err.get()}</p>
                    </Show>
                    <select id=id name=format!("case[{name}]")>
                        {options.into_iter().map(|(value, text)| {
                            let selected = value == chosen;
                            view! { <option value=value selected=selected>{text}</option> }
                        }).collect_view()}
                    </select>
                </div>
            }
        };
    let shared_error = error("shared_with");
    view! {
        <ActionForm action attr:class="form form--wide" attr:novalidate="true">
            <Show when=move || general_error(i18n, result.get()).is_some()>
                <p class="alert alert--error" role="alert">{move || general_error(i18n, result.get())}</p>
            </Show>
            {id.map(|id| view! { <input type="hidden" name="id" value=id /> })}
            {version.map(|v| view! { <input type="hidden" name="version" value=v /> })}
            {select("joint_venture_id", t_string!(i18n, joint_venture_column).to_string(),
                joint_ventures.iter().map(|v| (v.id.to_string(), v.name.clone())).collect(), input.joint_venture_id.clone())}
            <Field name="case[reference]" label=move || t_string!(i18n, case_reference_label).to_string()
                kind="text" autocomplete="off" error=error("reference") value=input.reference.clone() />
            <Field name="case[title]" label=move || t_string!(i18n, case_title_label).to_string()
                kind="text" autocomplete="off" error=error("title") value=input.title.clone() />
            {select("theme", t_string!(i18n, theme_column).to_string(),
                Theme::ALL.iter().map(|t| (t.as_str().to_owned(), theme_label(i18n, *t))).collect(), input.theme.clone())}
            {select("status", t_string!(i18n, users_status_label).to_string(),
                CaseStatus::ALL.iter().map(|s| (s.as_str().to_owned(), case_status_label(i18n, *s))).collect(), input.status.clone())}
            <Field name="case[start]" label=move || t_string!(i18n, start_label).to_string()
                kind="date" autocomplete="off" error=error("start") value=input.start.clone() />
            <Field name="case[end]" label=move || t_string!(i18n, end_label).to_string()
                kind="date" autocomplete="off" error=error("end") value=input.end.clone() />
            {select("handling", t_string!(i18n, handling_label).to_string(),
                Handling::ALL.iter().map(|h| (h.as_str().to_owned(), handling_label(i18n, *h))).collect(), input.handling.clone())}
            <fieldset class="field checkboxes checkboxes--columns" class:field--invalid=move || shared_error.get().is_some()>
                <legend>{t!(i18n, shared_with_label)}</legend>
                <Show when=move || shared_error.get().is_some()>
                    <p class="field__error">{move || shared_error.get()}</p>
                </Show>
                {partners.into_iter().map(|p| {
                    let checked = input.shared_with.get(&p.id.to_string()).copied().unwrap_or(false);
                    let id = format!("shared-{}", p.id);
                    view! {
                        <div class="checkbox">
                            <input type="checkbox" id=id.clone() name=format!("case[shared_with][{}]", p.id) value="true" checked=checked />
                            <label for=id>{p.name}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <div class="field" class:field--invalid=move || error("description").get().is_some()>
                <label for="case-description">{t!(i18n, description_label)}</label>
                <textarea id="case-description" name="case[description]" rows="5">{input.description.clone()}</textarea>
            </div>
            <button type="submit" class="button button--primary">{t!(i18n, user_save_button)}</button>
        </ActionForm>
    }
}

/// How many of the case's overlaps wait for a step, and how many of those are urgent, with the
/// way to the overlap inbox.
#[component]
fn CaseOverlapsNote(overlaps: CaseOverlaps) -> impl IntoView {
    let i18n = use_i18n();
    let CaseOverlaps { open, urgent } = overlaps;
    let pressing = urgent > 0;
    view! {
        <p class="case-overlaps" class:case-overlaps--urgent=pressing>
            {if open == 0 {
                view! { <span>{t!(i18n, case_overlaps_none)}</span> }.into_any()
            } else {
                view! {
                    <span>
                        {t!(i18n, case_overlaps_open, number = move || open)}
                        {pressing.then(|| view! {
                            " (" <strong>{t!(i18n, case_overlaps_urgent, number = move || urgent)}</strong> ")"
                        })}
                        ". "
                    </span>
                    <a href="/overlaps">{t!(i18n, case_overlaps_link)}</a>
                }
                .into_any()
            }}
        </p>
    }
}
