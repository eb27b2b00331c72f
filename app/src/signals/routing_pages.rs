//! Administrators: routing rules and categories.

use crate::signals::api::signal_routing;
use crate::signals::api::{AddRoutingRule, RemoveRoutingRule, SaveSignalCategory};
use crate::signals::report_pages::Choice;
use crate::ui::labels::theme_label;
use crate::ui::page::TableRegion;
use crate::{
    domain::Theme, i18n::*, ui::form::Field, ui::form::field_error, ui::form::general_error,
    ui::page::PageError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/admin/signal-routing`: the rules that choose a new signal's owner, and the categories.
#[component]
pub fn SignalRoutingPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let landed = move || query.with(|q| q.get("at").unwrap_or_default());
    let view_data = Resource::new(landed, |_| signal_routing());
    let add = ServerAction::<AddRoutingRule>::new();
    let added = Signal::derive(move || add.value().get());
    let remove = ServerAction::<RemoveRoutingRule>::new();
    let removed = Signal::derive(move || remove.value().get());
    let category = ServerAction::<SaveSignalCategory>::new();
    let categorised = Signal::derive(move || category.value().get());
    let rule_error =
        move |field: &'static str| Signal::derive(move || field_error(added.get(), field));
    let category_error =
        move |field: &'static str| Signal::derive(move || field_error(categorised.get(), field));
    view! {
        <Title text=t_string!(i18n, signal_routing_title).to_string() />
        <h1>{t!(i18n, signal_routing_title)}</h1>
        <p>{t!(i18n, signal_routing_intro)}</p>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match view_data.await {
                    Ok(v) => {
                        let any = t_string!(i18n, signal_any).to_string();
                        let mut themes = vec![(String::new(), any.clone())];
                        themes.extend(Theme::ALL.iter().map(|t| (t.as_str().to_owned(), theme_label(i18n, *t))));
                        let mut provinces = vec![(String::new(), any.clone())];
                        provinces.extend(v.provinces.iter().map(|p| (p.code.clone(), p.name.clone())));
                        let mut categories = vec![(String::new(), any.clone())];
                        categories.extend(v.categories.iter().filter(|c| c.active).map(|c| (c.id.to_string(), if crate::language::locale_code(i18n.get_locale()) == "en" { c.name_en.clone() } else { c.name_nl.clone() })));
                        let jvs: Vec<(String, String)> = v.joint_ventures.iter().map(|n| (n.id.to_string(), n.name.clone())).collect();
                        view! {
                            <section class="section" aria-labelledby="rules-heading">
                                <h2 id="rules-heading">{t!(i18n, signal_rules)}</h2>
                                <Show when=move || general_error(i18n, removed.get()).is_some()>
                                    <p class="alert alert--error" role="alert">{move || general_error(i18n, removed.get())}</p>
                                </Show>
                                {if v.rules.is_empty() {
                                    view! { <p>{t!(i18n, signal_rules_none)}</p> }.into_any()
                                } else {
                                    view! {
                                        <TableRegion label=move || t_string!(i18n, signal_rules)>
                                            <table class="table">
                                                <caption class="visually-hidden">{t!(i18n, signal_rules)}</caption>
                                                <thead><tr>
                                                    <th scope="col">{t!(i18n, signal_theme)}</th>
                                                    <th scope="col">{t!(i18n, signal_province)}</th>
                                                    <th scope="col">{t!(i18n, signal_category)}</th>
                                                    <th scope="col">{t!(i18n, signal_owner)}</th>
                                                    <th scope="col"><span class="visually-hidden">{t!(i18n, actions_column)}</span></th>
                                                </tr></thead>
                                                <tbody>
                                                    {v.rules.clone().into_iter().map(|r| {
                                                        let label = format!("{} #{}", t_string!(i18n, remove_button), r.id);
                                                        let any = any.clone();
                                                        view! {
                                                            <tr>
                                                                <td>{r.theme.map(|t| theme_label(i18n, t)).unwrap_or(any.clone())}</td>
                                                                <td>{r.province.clone().unwrap_or(any.clone())}</td>
                                                                <td>{r.category.clone().unwrap_or(any)}</td>
                                                                <td>{r.joint_venture.clone()}</td>
                                                                <td>
                                                                    <ActionForm action=remove attr:class="inline-form">
                                                                        <input type="hidden" name="id" value=r.id />
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
                                <h3>{t!(i18n, signal_rule_new)}</h3>
                                <ActionForm action=add attr:class="form" attr:novalidate="true">
                                    <Show when=move || general_error(i18n, added.get()).is_some()>
                                        <p class="alert alert--error" role="alert">{move || general_error(i18n, added.get())}</p>
                                    </Show>
                                    <Choice name="theme" id="rule-theme" label=move || t_string!(i18n, signal_theme).to_string() options=themes error=rule_error("theme") />
                                    <Choice name="province" id="rule-province" label=move || t_string!(i18n, signal_province).to_string() options=provinces error=rule_error("province") />
                                    <Choice name="category" id="rule-category" label=move || t_string!(i18n, signal_category).to_string() options=categories error=rule_error("category") />
                                    <Choice name="joint_venture_id" id="rule-owner" label=move || t_string!(i18n, signal_owner).to_string() options=jvs error=rule_error("joint_venture_id") />
                                    <button type="submit" class="button button--primary">{t!(i18n, signal_rule_add)}</button>
                                </ActionForm>
                            </section>
                            <section class="section" aria-labelledby="categories-heading">
                                <h2 id="categories-heading">{t!(i18n, signal_categories)}</h2>
                                <TableRegion label=move || t_string!(i18n, signal_categories)>
                                    <table class="table">
                                        <caption class="visually-hidden">{t!(i18n, signal_categories)}</caption>
                                        <thead><tr>
                                            <th scope="col">{t!(i18n, signal_category_code)}</th>
                                            <th scope="col">{t!(i18n, signal_category_name_nl)}</th>
                                            <th scope="col">{t!(i18n, signal_category_name_en)}</th>
                                            <th scope="col">{t!(i18n, signal_category_active)}</th>
                                        </tr></thead>
                                        <tbody>
                                            {v.categories.clone().into_iter().map(|c| view! {
                                                <tr>
                                                    <td><code>{c.code.clone()}</code></td>
                                                    <td>{c.name_nl.clone()}</td>
                                                    <td>{c.name_en.clone()}</td>
                                                    <td>{if c.active { t_string!(i18n, yes) } else { t_string!(i18n, no) }}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </TableRegion>
                                <h3>{t!(i18n, signal_category_save)}</h3>
                                <p class="field__hint">{t!(i18n, signal_category_hint)}</p>
                                <ActionForm action=category attr:class="form" attr:novalidate="true">
                                    <Show when=move || general_error(i18n, categorised.get()).is_some()>
                                        <p class="alert alert--error" role="alert">{move || general_error(i18n, categorised.get())}</p>
                                    </Show>
                                    <Field name="code" label=move || t_string!(i18n, signal_category_code).to_string() kind="text" autocomplete="off" error=category_error("code") />
                                    <Field name="name_nl" label=move || t_string!(i18n, signal_category_name_nl).to_string() kind="text" autocomplete="off" error=category_error("name_nl") />
                                    <Field name="name_en" label=move || t_string!(i18n, signal_category_name_en).to_string() kind="text" autocomplete="off" error=category_error("name_en") />
                                    <div class="choice">
                                        <input type="checkbox" id="category-active" name="active" value="on" checked=true />
                                        <label for="category-active">{t!(i18n, signal_category_active)}</label>
                                    </div>
                                    <button type="submit" class="button button--primary">{t!(i18n, signal_category_save)}</button>
                                </ActionForm>
                            </section>
                        }.into_any()
                    }
                    Err(err) => view! { <PageError err return_to="/admin/signal-routing" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
