//! `/help/api`: the REST API's reference for the agencies' developers, drawn from the OpenAPI
//! document this build serves (`/api/v1/openapi.json`); nothing is loaded from elsewhere.

use crate::api_clients::api::api_reference;
use crate::api_clients::types::{ApiField, ApiOperation, ApiReference};
use crate::i18n::*;
use crate::ui::page::{PageError, TableRegion};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ApiReferencePage() -> impl IntoView {
    let i18n = use_i18n();
    let reference = Resource::new(|| (), |_| api_reference());
    view! {
        <Title text=t_string!(i18n, api_reference_title).to_string() />
        <h1>{t!(i18n, api_reference_title)}</h1>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match reference.await {
                    Ok(reference) => view! { <Reference reference /> }.into_any(),
                    Err(err) => view! { <PageError err return_to="/help" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Reference(reference: ApiReference) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="lead">{reference.description.clone()}</p>
        <p>
            {t!(i18n, api_reference_document)} " "
            <a href="/api/v1/openapi.json"><code>"/api/v1/openapi.json"</code></a>
        </p>
        <nav aria-labelledby="api-operations">
            <h2 id="api-operations">{t!(i18n, api_reference_operations)}</h2>
            <ul>
                {reference.operations.iter().map(|op| view! {
                    <li><a href=format!("#{}", op.anchor)><code>{format!("{} {}", op.method, op.path)}</code></a> " " {op.summary.clone()}</li>
                }).collect_view()}
            </ul>
        </nav>
        {reference.operations.into_iter().map(|op| view! { <Operation op /> }).collect_view()}
        <section aria-labelledby="api-problems">
            <h2 id="api-problems">{t!(i18n, api_reference_problems)}</h2>
            <p>{t!(i18n, api_reference_problems_text)}</p>
            <dl>
                {[
                    ("bad-request", "400"), ("unauthorized", "401"), ("scope", "403"), ("not-found", "404"),
                    ("conflict", "409"), ("precondition-failed", "412"), ("too-large", "413"),
                    ("media-type", "415"), ("invalid", "422"), ("rate", "429"), ("unavailable", "503"),
                ].into_iter().map(|(code, status)| view! {
                    <dt id=format!("problem-{code}")><code>{format!("/help/api#problem-{code}")}</code></dt>
                    <dd>{status}</dd>
                }).collect_view()}
            </dl>
        </section>
        <section aria-labelledby="api-schemas">
            <h2 id="api-schemas">{t!(i18n, api_reference_schemas)}</h2>
            {reference.schemas.into_iter().map(|s| {
                let id = format!("schema-{}", s.name);
                let label = s.name.clone();
                view! {
                    <h3 id=id>{s.name.clone()}</h3>
                    {(!s.description.is_empty()).then(|| view! { <p>{s.description.clone()}</p> })}
                    <Fields fields=s.fields label />
                }
            }).collect_view()}
        </section>
    }
}

#[component]
fn Fields(fields: Vec<ApiField>, label: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <TableRegion label=label>
            <table class="table">
                <thead><tr>
                    <th scope="col">{t!(i18n, api_reference_field)}</th>
                    <th scope="col">{t!(i18n, api_reference_type)}</th>
                    <th scope="col">{t!(i18n, api_reference_required)}</th>
                    <th scope="col">{t!(i18n, api_reference_meaning)}</th>
                </tr></thead>
                <tbody>
                    {fields.into_iter().map(|f| view! {
                        <tr>
                            <td><code>{f.name}</code>{(!f.location.is_empty()).then(|| format!(" ({})", f.location))}</td>
                            <td>{f.kind}</td>
                            <td>{if f.required { t_string!(i18n, api_reference_yes) } else { t_string!(i18n, api_reference_no) }}</td>
                            <td>{f.description}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </TableRegion>
    }
}

#[component]
fn Operation(op: ApiOperation) -> impl IntoView {
    let i18n = use_i18n();
    let heading = format!("{} {}", op.method, op.path);
    let label = heading.clone();
    view! {
        <section aria-labelledby=op.anchor.clone()>
            <h2 id=op.anchor.clone()><code>{heading}</code></h2>
            <p><strong>{op.summary.clone()}</strong></p>
            {(!op.description.is_empty()).then(|| view! { <p>{op.description.clone()}</p> })}
            <p>{t!(i18n, api_reference_scopes)} " " {op.scopes.iter().map(|s| view! { <code>{s.clone()}</code> " " }).collect_view()}</p>
            {(!op.parameters.is_empty()).then(|| view! {
                <h3>{t!(i18n, api_reference_parameters)}</h3>
                <Fields fields=op.parameters.clone() label=label.clone() />
            })}
            {op.body.clone().map(|body| view! {
                <h3>{t!(i18n, api_reference_body)}</h3>
                <p><a href=format!("#schema-{body}")><code>{body.clone()}</code></a></p>
            })}
            {op.example.clone().map(|example| view! {
                <h3>{t!(i18n, api_reference_example)}</h3>
                <pre><code>{example}</code></pre>
            })}
            <h3>{t!(i18n, api_reference_call)}</h3>
            <pre><code>{op.curl.clone()}</code></pre>
            <h3>{t!(i18n, api_reference_answers)}</h3>
            <ul>
                {op.responses.into_iter().map(|(status, description, schema)| view! {
                    <li><code>{status}</code> " " {description} {(!schema.is_empty()).then(|| view! { " — " <a href=format!("#schema-{schema}")><code>{schema.clone()}</code></a> })}</li>
                }).collect_view()}
            </ul>
        </section>
    }
}
