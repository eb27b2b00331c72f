//! Components.

use crate::subjects::api::import_subjects;
use crate::subjects::api::{AddSubject, ImportSubjects, MakePrimary, RemoveSubject};
use crate::subjects::types::{SubjectPage, fields_of};
use crate::ui::labels::subject_kind_label;
use crate::ui::page::TableRegion;
use crate::{
    domain::DocumentType, domain::Sex, domain::SubjectKind, error::AppError, error::FileProblem,
    i18n::*, ui::form::field_error, ui::form::general_error,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

pub(crate) fn document_type_label(
    i18n: leptos_i18n::I18nContext<Locale>,
    kind: DocumentType,
) -> String {
    use DocumentType as D;
    match kind {
        D::Passport => t_string!(i18n, document_passport),
        D::IdentityCard => t_string!(i18n, document_id_card),
        D::ResidencePermit => t_string!(i18n, document_residence_permit),
        D::DrivingLicence => t_string!(i18n, document_driving_licence),
        D::TravelDocument => t_string!(i18n, document_travel_document),
        D::Other => t_string!(i18n, document_other),
    }
    .to_string()
}

pub(crate) fn sex_label(i18n: leptos_i18n::I18nContext<Locale>, sex: Sex) -> String {
    match sex {
        Sex::Unknown => t_string!(i18n, sex_unknown),
        Sex::Female => t_string!(i18n, sex_female),
        Sex::Male => t_string!(i18n, sex_male),
        Sex::X => t_string!(i18n, sex_x),
    }
    .to_string()
}

/// The label and the hint on how to write a field, for a kind.
pub(crate) fn field_text(
    i18n: leptos_i18n::I18nContext<Locale>,
    kind: SubjectKind,
    field: &str,
) -> (String, String) {
    use SubjectKind as K;
    let (label, hint) = match (kind, field) {
        (_, "given_names") => (t_string!(i18n, subject_given_names), ""),
        (_, "family_name") => (t_string!(i18n, subject_family_name), ""),
        (_, "aliases") => (
            t_string!(i18n, subject_aliases),
            t_string!(i18n, subject_aliases_hint),
        ),
        (_, "birth_date") => (
            t_string!(i18n, subject_birth_date),
            t_string!(i18n, subject_birth_date_hint),
        ),
        (_, "nationality") => (
            t_string!(i18n, subject_nationality),
            t_string!(i18n, subject_country_hint),
        ),
        (_, "sex") => (t_string!(i18n, subject_sex), ""),
        (K::Phone, "value") => (
            t_string!(i18n, subject_phone),
            t_string!(i18n, subject_phone_hint),
        ),
        (K::BankAccount, "value") => (
            t_string!(i18n, subject_iban),
            t_string!(i18n, subject_iban_hint),
        ),
        (K::Vehicle, "value") => (
            t_string!(i18n, subject_plate),
            t_string!(i18n, subject_plate_hint),
        ),
        (K::ImmigrationNumber, "value") => (
            t_string!(i18n, subject_v_number),
            t_string!(i18n, subject_v_number_hint),
        ),
        (K::Email, "value") => (t_string!(i18n, subject_email), ""),
        (K::Vessel, "value") => (
            t_string!(i18n, subject_imo),
            t_string!(i18n, subject_imo_hint),
        ),
        (K::Company, "value") => (
            t_string!(i18n, subject_registration),
            t_string!(i18n, subject_registration_hint),
        ),
        (_, "value") => (t_string!(i18n, subject_document_number), ""),
        (K::Vehicle, "country") => (
            t_string!(i18n, subject_vehicle_country),
            t_string!(i18n, subject_country_default_hint),
        ),
        (K::Document, "country") => (
            t_string!(i18n, subject_issuing_country),
            t_string!(i18n, subject_country_hint),
        ),
        (_, "country") => (
            t_string!(i18n, subject_country),
            t_string!(i18n, subject_country_default_hint),
        ),
        (_, "street") => (t_string!(i18n, subject_street), ""),
        (_, "house_number") => (
            t_string!(i18n, subject_house_number),
            t_string!(i18n, subject_house_number_hint),
        ),
        (_, "postcode") => (
            t_string!(i18n, subject_postcode),
            t_string!(i18n, subject_postcode_hint),
        ),
        (_, "municipality") => (t_string!(i18n, subject_municipality), ""),
        (_, "document_type") => (t_string!(i18n, subject_document_type), ""),
        _ => (t_string!(i18n, name_label), ""),
    };
    (label.to_string(), hint.to_string())
}

/// The subjects of a case, on its page: the list, removal, and the ways to add more.
#[component]
pub fn SubjectsSection(case_id: i32, subjects: SubjectPage) -> impl IntoView {
    let i18n = use_i18n();
    let remove = ServerAction::<RemoveSubject>::new();
    let removed = Signal::derive(move || remove.value().get());
    let primary = ServerAction::<MakePrimary>::new();
    let primary_id = subjects.primary;
    view! {
        <section aria-labelledby="subjects-heading" class="section">
            <h2 id="subjects-heading">{t!(i18n, subjects_title)}</h2>
            <Show when=move || general_error(i18n, removed.get()).is_some()>
                <p class="alert alert--error" role="alert">{move || general_error(i18n, removed.get())}</p>
            </Show>
            <p role="status">{t!(i18n, subjects_count)} " " {subjects.total}</p>
            {(subjects.pages > 1).then(|| {
                let (page, pages) = (subjects.page, subjects.pages);
                let link = move |p: u64| format!("/cases/{case_id}?subjects={p}#subjects-heading");
                view! {
                    <nav class="pagination" aria-label=move || t_string!(i18n, subjects_pagination).to_string()>
                        {(page > 1).then(|| view! { <a href=link(page - 1) rel="prev">{t!(i18n, previous_page)}</a> })}
                        <span>{page} " / " {pages}</span>
                        {(page < pages).then(|| view! { <a href=link(page + 1) rel="next">{t!(i18n, next_page)}</a> })}
                    </nav>
                }
            })}
            {if subjects.rows.is_empty() {
                view! { <p>{t!(i18n, subjects_none)}</p> }.into_any()
            } else {
                view! {
                    <TableRegion label=move || t_string!(i18n, subjects_title)>
                        <table class="table">
                            <caption class="visually-hidden">{t!(i18n, subjects_title)}</caption>
                            <thead><tr>
                                <th scope="col">{t!(i18n, kind_column)}</th>
                                <th scope="col">{t!(i18n, subject_as_typed)}</th>
                                <th scope="col">{t!(i18n, subject_normal_form)}</th>
                                <th scope="col"><span class="visually-hidden">{t!(i18n, actions_column)}</span></th>
                            </tr></thead>
                            <tbody>
                                {subjects.rows.into_iter().map(|s| {
                                    let summary = s.summary.clone();
                                    view! {
                                    <tr>
                                        <td>{subject_kind_label(i18n, s.kind)}</td>
                                        <td>{s.summary.clone()}</td>
                                        <td><code>{s.normal}</code></td>
                                        <td>
                                            {if primary_id == Some(s.id) {
                                                view! { <strong class="badge">{t!(i18n, subject_primary)}</strong> }.into_any()
                                            } else {
                                                view! {
                                                    <ActionForm action=primary attr:class="inline-form">
                                                        <input type="hidden" name="case_id" value=case_id />
                                                        <input type="hidden" name="subject_id" value=s.id />
                                                        <button type="submit" class="button button--small"
                                                            aria-label=format!("{} {}", t_string!(i18n, subject_make_primary), summary)>
                                                            {t!(i18n, subject_make_primary)}
                                                        </button>
                                                    </ActionForm>
                                                }.into_any()
                                            }}
                                            " "
                                            <ActionForm action=remove attr:class="inline-form">
                                                <input type="hidden" name="case_id" value=case_id />
                                                <input type="hidden" name="subject_id" value=s.id />
                                                <button type="submit" class="button button--small"
                                                    aria-label=format!("{} {}", t_string!(i18n, remove_button), s.summary)>
                                                    {t!(i18n, remove_button)}
                                                </button>
                                            </ActionForm>
                                        </td>
                                    </tr>
                                }}).collect_view()}
                            </tbody>
                        </table>
                    </TableRegion>
                }.into_any()
            }}
            <p>{t!(i18n, subject_add_label)}</p>
            <ul class="chips">
                {SubjectKind::ALL.iter().map(|k| view! {
                    <li><a class="button button--small" href=format!("/cases/{case_id}/subjects/new?kind={}", k.as_str())>
                        {subject_kind_label(i18n, *k)}
                    </a></li>
                }).collect_view()}
            </ul>
            <p>
                <a class="button" href=format!("/cases/{case_id}/import")>{t!(i18n, import_title)}</a>
                " "
                <a class="button" href=format!("/api/subjects.csv?case_id={case_id}") download="">{t!(i18n, export_button)}</a>
            </p>
        </section>
    }
}

#[component]
pub fn NewSubjectPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let case_id = move || {
        params.with(|p| {
            p.get("id")
                .and_then(|id| id.parse::<i32>().ok())
                .unwrap_or_default()
        })
    };
    let kind = move || {
        query.with(|q| {
            q.get("kind")
                .and_then(|k| k.parse::<SubjectKind>().ok())
                .unwrap_or(SubjectKind::Person)
        })
    };
    let action = ServerAction::<AddSubject>::new();
    let result = Signal::derive(move || action.value().get());
    view! {
        <Title text=t_string!(i18n, subject_new_title).to_string() />
        <p><a href=move || format!("/cases/{}", case_id())>{t!(i18n, subject_back_to_case)}</a></p>
        <h1>{t!(i18n, subject_new_title)} ": " {move || subject_kind_label(i18n, kind())}</h1>
        {move || {
            let kind = kind();
            view! {
                <ActionForm action attr:class="form" attr:novalidate="true">
                    <Show when=move || general_error(i18n, result.get()).is_some()>
                        <p class="alert alert--error" role="alert">{move || general_error(i18n, result.get())}</p>
                    </Show>
                    <input type="hidden" name="case_id" value=case_id() />
                    <input type="hidden" name="subject[kind]" value=kind.as_str() />
                    {fields_of(kind).iter().map(|field| {
                        let field = *field;
                        let (label, hint) = field_text(i18n, kind, field);
                        let error = Signal::derive(move || field_error(result.get(), field));
                        let id = format!("subject-{field}");
                        let hint_id = format!("{id}-hint");
                        let described = (!hint.is_empty()).then(|| hint_id.clone());
                        let control = match field {
                            "sex" => view! {
                                <select id=id.clone() name="subject[sex]">
                                    {Sex::ALL.iter().map(|s| view! { <option value=s.as_str()>{sex_label(i18n, *s)}</option> }).collect_view()}
                                </select>
                            }.into_any(),
                            "document_type" => view! {
                                <select id=id.clone() name="subject[document_type]">
                                    {DocumentType::ALL.iter().map(|d| view! { <option value=d.as_str()>{document_type_label(i18n, *d)}</option> }).collect_view()}
                                </select>
                            }.into_any(),
                            _ => view! {
                                <input id=id.clone() name=format!("subject[{field}]") type="text" autocomplete="off"
                                    aria-describedby=described
                                    aria-invalid=move || error.get().is_some().then_some("true") />
                            }.into_any(),
                        };
                        view! {
                            <div class="field" class:field--invalid=move || error.get().is_some()>
                                <label for=id>{label}</label>
                                {(!hint.is_empty()).then(|| view! { <p class="field__hint" id=hint_id>{hint}</p> })}
                                <Show when=move || error.get().is_some()>
                                    <p class="field__error" role="alert">{move || error.get()}</p>
                                </Show>
                                {control}
                            </div>
                        }
                    }).collect_view()}
                    <button type="submit" class="button button--primary">{t!(i18n, subject_add_button)}</button>
                </ActionForm>
            }
        }}
    }
}

/// `/cases/{id}/import`: the CSV layout, the template, and the upload. Without JavaScript the
/// form posts the file as it is; with it, the problems are listed on this page.
#[component]
pub fn ImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let case_id = move || {
        params.with(|p| {
            p.get("id")
                .and_then(|id| id.parse::<i32>().ok())
                .unwrap_or_default()
        })
    };
    let upload = Action::new_local(|data: &leptos::web_sys::FormData| {
        let data = data.clone();
        async move { import_subjects(data.into()).await }
    });
    let import_url = <ImportSubjects as leptos::server_fn::ServerFn>::url();
    view! {
        <Title text=t_string!(i18n, import_title).to_string() />
        <p><a href=move || format!("/cases/{}", case_id())>{t!(i18n, subject_back_to_case)}</a></p>
        <h1>{t!(i18n, import_title)}</h1>
        <p>{t!(i18n, import_intro)}</p>
        <p><a href="/api/subjects-template.csv" download="">{t!(i18n, import_template_link)}</a></p>
        <details class="section">
            <summary>{t!(i18n, import_layout_title)}</summary>
            <TableRegion label=move || t_string!(i18n, import_layout_title)>
                <table class="table">
                    <caption class="visually-hidden">{t!(i18n, import_layout_title)}</caption>
                    <thead><tr>
                        <th scope="col">{t!(i18n, kind_column)}</th>
                        <th scope="col">{t!(i18n, import_columns_used)}</th>
                    </tr></thead>
                    <tbody>
                        {SubjectKind::ALL.iter().map(|k| view! {
                            <tr>
                                <td><code>{k.as_str()}</code> " " {subject_kind_label(i18n, *k)}</td>
                                <td>{fields_of(*k).join(", ")}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </TableRegion>
            <p>{t!(i18n, import_rules)}</p>
        </details>
        <CsvUpload upload url=import_url>
            <input type="hidden" name="case_id" value=case_id />
        </CsvUpload>
    }
}

/// A CSV upload form: posts the file as it is without JavaScript; with it, sends it through
/// `upload` and lists the problems of a refused file on the page. `children` are the form's
/// other fields (where the file goes).
#[component]
pub fn CsvUpload(
    upload: Action<leptos::web_sys::FormData, Result<usize, AppError>>,
    url: &'static str,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let problems = move || match upload.value().get() {
        Some(Err(AppError::InvalidFile(problems))) => problems,
        Some(Err(AppError::Invalid { field, message })) => vec![FileProblem {
            line: 0,
            column: field,
            message,
        }],
        _ => Vec::new(),
    };
    let other_error = Signal::derive(move || {
        upload
            .value()
            .get()
            .and_then(|r| general_error(i18n, Some(r.map(|_| ()))))
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        use leptos::wasm_bindgen::JsCast;
        ev.prevent_default();
        let form = ev
            .target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::HtmlFormElement>().ok());
        if let Some(data) = form.and_then(|f| leptos::web_sys::FormData::new_with_form(&f).ok()) {
            upload.dispatch_local(data);
        }
    };
    view! {
        <form method="post" action=url enctype="multipart/form-data" class="form" on:submit=on_submit>
            {children()}
            <div class="field">
                <label for="import-file">{t!(i18n, import_file_label)}</label>
                <input id="import-file" name="file" type="file" accept=".csv,text/csv" required />
            </div>
            <button type="submit" class="button button--primary" disabled=move || upload.pending().get()>
                {t!(i18n, import_button)}
            </button>
        </form>
        <Show when=move || upload.pending().get()>
            <p role="status">{t!(i18n, loading)}</p>
        </Show>
        <Show when=move || other_error.get().is_some()>
            <p class="alert alert--error" role="alert">{move || other_error.get()}</p>
        </Show>
        <Show when=move || !problems().is_empty()>
            <div class="alert alert--error" role="alert">
                <p>{t!(i18n, import_failed)}</p>
                <TableRegion label=move || t_string!(i18n, import_problems)>
                    <table class="table">
                        <caption class="visually-hidden">{t!(i18n, import_problems)}</caption>
                        <thead><tr>
                            <th scope="col">{t!(i18n, import_line)}</th>
                            <th scope="col">{t!(i18n, import_column)}</th>
                            <th scope="col">{t!(i18n, import_problem)}</th>
                        </tr></thead>
                        <tbody>
                            {move || problems().into_iter().map(|p| view! {
                                <tr><td>{p.line}</td><td>{p.column}</td><td>{p.message}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </TableRegion>
            </div>
        </Show>
    }
}
