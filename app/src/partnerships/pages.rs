//! Components.

use crate::partnerships::api::MarkMandateOverlapIntended;
use crate::partnerships::api::{get_joint_venture, get_partnership_map, list_joint_ventures};
use crate::partnerships::layout;
use crate::partnerships::types::{
    Focus, JointVentureDetail, MandateOverlapView, MapFilter, PartnershipMap,
};
use crate::ui::format::date;
use crate::ui::page::TableRegion;
use crate::{
    domain::MembershipRole, domain::Theme, error::AppError, i18n::*, ui::labels::theme_label,
    ui::page::PageError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

pub(crate) fn role_label(i18n: leptos_i18n::I18nContext<Locale>, role: MembershipRole) -> String {
    match role {
        MembershipRole::Lead => t_string!(i18n, membership_lead),
        MembershipRole::Member => t_string!(i18n, membership_member),
        MembershipRole::Observer => t_string!(i18n, membership_observer),
    }
    .to_string()
}

pub(crate) fn themes_label(i18n: leptos_i18n::I18nContext<Locale>, themes: &[Theme]) -> String {
    themes
        .iter()
        .map(|t| theme_label(i18n, *t))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn theme_class(theme: Theme) -> &'static str {
    match theme {
        Theme::Smuggling => "theme-smuggling",
        Theme::Trafficking => "theme-trafficking",
        Theme::Terrorism => "theme-terrorism",
    }
}

#[component]
pub fn MapPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = move || {
        query.with(|q| MapFilter {
            theme: q.get("theme").unwrap_or_default(),
            region: q.get("region").unwrap_or_default(),
            organisation: q.get("organisation").unwrap_or_default(),
        })
    };
    let map = Resource::new(filter, get_partnership_map);
    view! {
        <Title text=t_string!(i18n, map_title).to_string() />
        <h1>{t!(i18n, map_title)}</h1>
        <p class="map-intro">{t!(i18n, map_intro)}</p>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match map.await {
                    Ok(map) => view! { <MapView map filter=filter() /> }.into_any(),
                    Err(err) => view! { <PageError err return_to="/map" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub(crate) fn MapView(map: PartnershipMap, filter: MapFilter) -> impl IntoView {
    let i18n = use_i18n();
    let PartnershipMap {
        organisations,
        joint_ventures,
        edges,
        height,
        matrix,
        overlaps,
        regions,
        all_organisations,
    } = map;
    let chosen = filter.clone();
    let table_rows = joint_ventures.clone();
    // After hydration, pointing at (or tabbing to) a node lights up its lines and dims the rest.
    let (focus, set_focus) = signal(None::<Focus>);
    let lit = move |edge: (i32, i32)| {
        focus.get().map(|f| match f {
            Focus::Organisation(id) => edge.0 == id,
            Focus::JointVenture(id) => edge.1 == id,
        })
    };
    view! {
        <form method="get" action="/map" class="filters" role="search">
            <div class="field">
                <label for="theme">{t!(i18n, theme_column)}</label>
                <select id="theme" name="theme">
                    <option value="">{t!(i18n, users_status_all)}</option>
                    {Theme::ALL.iter().map(|theme| view! {
                        <option value=theme.as_str() selected=chosen.theme == theme.as_str()>{theme_label(i18n, *theme)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="region">{t!(i18n, region_column)}</label>
                <select id="region" name="region">
                    <option value="">{t!(i18n, users_status_all)}</option>
                    {regions.into_iter().map(|region| {
                        let selected = chosen.region == region.code;
                        view! { <option value=region.code selected=selected>{region.name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="organisation">{t!(i18n, organisation_column)}</label>
                <select id="organisation" name="organisation">
                    <option value="">{t!(i18n, users_status_all)}</option>
                    {all_organisations.into_iter().map(|org| {
                        let selected = chosen.organisation == org.id.to_string();
                        view! { <option value=org.id.to_string() selected=selected>{org.name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button">{t!(i18n, filter_button)}</button>
        </form>

        // The picture first, the table below it (at every width, as the intro says). On a phone
        // the picture keeps a legible size and scrolls sideways inside its frame.
        <figure class="partnership-map">
            <div class="partnership-map__frame">
                <svg
                    xmlns="http://www.w3.org/2000/svg"
                    viewBox=format!("0 0 {} {}", layout::WIDTH, height)
                    role="group"
                    aria-labelledby="map-caption"
                >
                    {edges.into_iter().map(|edge| {
                        let base = format!("edge {} edge--{}", theme_class(edge.theme), edge.role.as_str());
                        let ends = (edge.organisation_id, edge.joint_venture_id);
                        view! {
                            <line
                                x1=layout::LEFT_X + 8.0 y1=edge.from_y
                                x2=layout::RIGHT_X - 8.0 y2=edge.to_y
                                class=move || match lit(ends) {
                                    Some(true) => format!("{base} edge--lit"),
                                    Some(false) => format!("{base} edge--dim"),
                                    None => base.clone(),
                                }
                            />
                        }
                    }).collect_view()}
                    {organisations.into_iter().map(|org| {
                        // The short name keeps the column narrow; the full name is the link's
                        // name (which contains the short one) and its tooltip.
                        let shown = if org.short_name.is_empty() { org.name.clone() } else { org.short_name.clone() };
                        let full = if org.short_name.is_empty() || org.short_name == org.name {
                            org.name.clone()
                        } else {
                            format!("{} ({})", org.name, org.short_name)
                        };
                        let label = full.clone();
                        // Inside `<g>` the macro makes `a` and `title` SVG elements, as the
                        // HTML parser does: a page drawn in the browser (after navigating to it)
                        // then shows its links, not HTML anchors an SVG cannot display.
                        view! {
                            <g>
                            <a href=format!("/map?organisation={}", org.id)
                                aria-label=label
                                on:mouseenter=move |_| set_focus.set(Some(Focus::Organisation(org.id)))
                                on:focus=move |_| set_focus.set(Some(Focus::Organisation(org.id)))
                                on:mouseleave=move |_| set_focus.set(None)
                                on:blur=move |_| set_focus.set(None)>
                                <title>{full}</title>
                                <circle cx=layout::LEFT_X cy=org.y r="7" class="node node--organisation" />
                                <text x=layout::LEFT_X - 14.0 y=org.y + 5.0 text-anchor="end">{shown}</text>
                            </a>
                            </g>
                        }
                    }).collect_view()}
                    {joint_ventures.into_iter().map(|jv| {
                        let class = format!("node node--venture {}", jv.themes.first().map(|t| theme_class(*t)).unwrap_or_default());
                        view! {
                            <g>
                            <a href=format!("/joint-ventures/{}", jv.id)
                                on:mouseenter=move |_| set_focus.set(Some(Focus::JointVenture(jv.id)))
                                on:focus=move |_| set_focus.set(Some(Focus::JointVenture(jv.id)))
                                on:mouseleave=move |_| set_focus.set(None)
                                on:blur=move |_| set_focus.set(None)>
                                <title>{format!("{} ({})", jv.name, themes_label(i18n, &jv.themes))}</title>
                                <rect x=layout::RIGHT_X - 7.0 y=jv.y - 7.0 width="14" height="14" class=class />
                                <text x=layout::RIGHT_X + 14.0 y=jv.y + 5.0>{jv.name}</text>
                            </a>
                            </g>
                        }
                    }).collect_view()}
                </svg>
            </div>
            <figcaption id="map-caption">
                {t!(i18n, map_caption)}
                <span class="legend">
                    {Theme::ALL.iter().map(|theme| view! {
                        <span class=format!("legend__item {}", theme_class(*theme))>{theme_label(i18n, *theme)}</span>
                    }).collect_view()}
                </span>
            </figcaption>
        </figure>

        <TableRegion label=move || t_string!(i18n, map_table_caption)>
            <table class="table map-table">
                <caption>{t!(i18n, map_table_caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, joint_venture_column)}</th>
                        <th scope="col">{t!(i18n, theme_column)}</th>
                        <th scope="col">{t!(i18n, region_column)}</th>
                        <th scope="col">{t!(i18n, members_column)}</th>
                    </tr>
                </thead>
                <tbody>
                    {table_rows.into_iter().map(|jv| view! {
                        <tr>
                            <th scope="row"><a href=format!("/joint-ventures/{}", jv.id)>{jv.name}</a></th>
                            <td>{themes_label(i18n, &jv.themes)}</td>
                            <td>{jv.regions.join(", ")}</td>
                            <td>
                                <ul class="plain-list">
                                    {jv.members.into_iter().map(|(org, role)| view! {
                                        <li>{org} " (" {role_label(i18n, role)} ")"</li>
                                    }).collect_view()}
                                </ul>
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </TableRegion>

        <h2 id="matrix">{t!(i18n, matrix_title)}</h2>
        <p>{t!(i18n, matrix_intro)}</p>
        <TableRegion label=move || t_string!(i18n, matrix_title)>
            <table class="table matrix">
                <caption class="visually-hidden">{t!(i18n, matrix_title)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, region_column)}</th>
                        {Theme::ALL.iter().map(|theme| view! { <th scope="col">{theme_label(i18n, *theme)}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {matrix.into_iter().map(|row| view! {
                        <tr class:matrix__national=row.national>
                            <th scope="row">{row.region}</th>
                            {row.cells.into_iter().map(|cell| {
                                let class = match cell.len() {
                                    0 => "matrix__cell matrix__cell--gap",
                                    1 | 2 => "matrix__cell",
                                    _ => "matrix__cell matrix__cell--pile",
                                };
                                view! {
                                    <td class=class>
                                        {if cell.is_empty() {
                                            view! { <span class="visually-hidden">{t!(i18n, matrix_none)}</span><span aria-hidden="true">"–"</span> }.into_any()
                                        } else {
                                            view! {
                                                <ul class="plain-list">
                                                    {cell.into_iter().map(|jv| view! {
                                                        <li><a href=format!("/joint-ventures/{}", jv.id)>{jv.name}</a></li>
                                                    }).collect_view()}
                                                </ul>
                                            }.into_any()
                                        }}
                                    </td>
                                }
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </TableRegion>

        <h2 id="mandate-overlaps">{t!(i18n, mandate_overlaps_title)}</h2>
        <p>{t!(i18n, mandate_overlaps_intro)}</p>
        {if overlaps.is_empty() {
            view! { <p>{t!(i18n, mandate_overlaps_none)}</p> }.into_any()
        } else {
            view! { <MandateOverlapList overlaps /> }.into_any()
        }}
    }
}

#[component]
pub(crate) fn MandateOverlapList(overlaps: Vec<MandateOverlapView>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="flag-list">
            {overlaps.into_iter().map(|o| view! {
                <li class="flag">
                    <a href=format!("/joint-ventures/{}", o.first.id)>{o.first.name}</a>
                    " ↔ "
                    <a href=format!("/joint-ventures/{}", o.second.id)>{o.second.name}</a>
                    <p class="flag__reason">
                        {t!(i18n, mandate_overlap_themes)} " " {themes_label(i18n, &o.themes)} ". "
                        {t!(i18n, mandate_overlap_regions)} " "
                        {o.areas.iter().map(|(a, b)| if a == b { a.clone() } else { format!("{a} / {b}") }).collect::<Vec<_>>().join(", ")} ". "
                        {t!(i18n, mandate_overlap_members)} " " {o.shared_members.join(", ")} "."
                    </p>
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn JointVenturesPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |_| list_joint_ventures());
    let current = Resource::new(|| (), |_| crate::account::api::get_current_user());
    view! {
        <Title text=t_string!(i18n, joint_ventures_title).to_string() />
        <h1>{t!(i18n, joint_ventures_title)}</h1>
        <p><a href="/map">{t!(i18n, map_title)}</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let admin = matches!(current.await, Ok(Some(user)) if crate::access::may(&user, crate::access::Action::Manage, crate::access::Object::Partnerships));
                admin.then(|| view! {
                    <p class="actions">
                        <a class="button button--primary" href="/admin/joint-ventures/new">{t!(i18n, new_joint_venture)}</a>
                        <a class="button" href="/admin/organisations">{t!(i18n, organisations_title)}</a>
                        <a class="button" href="/admin/regions">{t!(i18n, regions_title)}</a>
                    </p>
                })
            })}
        </Suspense>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(rows) => view! {
                        <TableRegion label=move || t_string!(i18n, joint_ventures_title)>
                            <table class="table">
                                <caption class="visually-hidden">{t!(i18n, joint_ventures_title)}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{t!(i18n, joint_venture_column)}</th>
                                        <th scope="col">{t!(i18n, theme_column)}</th>
                                        <th scope="col">{t!(i18n, region_column)}</th>
                                        <th scope="col" class="numeric">{t!(i18n, members_column)}</th>
                                        <th scope="col">{t!(i18n, users_status_label)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows.into_iter().map(|row| view! {
                                        <tr>
                                            <th scope="row"><a href=format!("/joint-ventures/{}", row.id)>{row.name}</a></th>
                                            <td>{themes_label(i18n, &row.themes)}</td>
                                            <td>{row.regions.join(", ")}</td>
                                            <td class="numeric">{row.members}</td>
                                            <td>{if row.active { t_string!(i18n, status_active) } else { t_string!(i18n, status_ended) }}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </TableRegion>
                    }.into_any(),
                    Err(err) => view! { <PageError err return_to="/joint-ventures" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn JointVenturePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i32>().ok()));
    let reviewed = move || query.with(|q| q.get("reviewed").is_some());
    let detail = Resource::new(
        move || (id(), reviewed()),
        move |(id, _)| async move {
            match id {
                Some(id) => get_joint_venture(id).await,
                None => Err(AppError::invalid("id", "")),
            }
        },
    );
    let return_to = move || format!("/joint-ventures/{}", id().unwrap_or_default());
    view! {
        <Title text=t_string!(i18n, joint_venture_title).to_string() />
        <p><a href="/joint-ventures">{t!(i18n, joint_ventures_back)}</a></p>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => view! { <JointVentureView detail reviewed=reviewed() /> }.into_any(),
                    Err(err) => view! { <PageError err return_to=return_to() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub(crate) fn JointVentureView(detail: JointVentureDetail, reviewed: bool) -> impl IntoView {
    let i18n = use_i18n();
    let review = ServerAction::<MarkMandateOverlapIntended>::new();
    let review_result = Signal::derive(move || review.value().get());
    let id = detail.id;
    let may_review = detail.may_review;
    view! {
        <h1>{detail.name.clone()}</h1>
        {detail.may_manage.then(|| view! {
            <p><a class="button" href=format!("/admin/joint-ventures/{id}")>{t!(i18n, manage_link)}</a></p>
        })}
        {reviewed.then(|| view! {
            <p class="alert alert--success" role="status">{t!(i18n, mandate_overlap_reviewed)}</p>
        })}
        {detail.you_coordinate.then(|| view! { <p class="muted">{t!(i18n, you_coordinate)}</p> })}
        <dl class="facts">
            <dt>{t!(i18n, users_status_label)}</dt>
            <dd>{if detail.active { t_string!(i18n, status_active) } else { t_string!(i18n, status_ended) }}</dd>
            <dt>{t!(i18n, theme_column)}</dt><dd>{themes_label(i18n, &detail.themes)}</dd>
            <dt>{t!(i18n, region_column)}</dt><dd>{detail.regions.join(", ")}</dd>
            <dt>{t!(i18n, period_label)}</dt>
            <dd>{date(i18n, &detail.start)} " – " {detail.end.as_deref().map(|end| date(i18n, end))}</dd>
            <dt>{t!(i18n, legal_basis_label)}</dt><dd>{detail.legal_basis.clone()}</dd>
        </dl>
        <h2>{t!(i18n, mandate_label)}</h2>
        <p>{detail.mandate.clone()}</p>

        {(!detail.overlaps.is_empty()).then(|| {
            let overlaps = detail.overlaps.clone();
            view! {
                <section class="alert alert--warning" aria-labelledby="flags-title">
                    <h2 id="flags-title">{t!(i18n, mandate_overlaps_title)}</h2>
                    <MandateOverlapList overlaps=overlaps.clone() />
                    {may_review.then(|| view! {
                        <h3>{t!(i18n, mandate_overlap_review_title)}</h3>
                        <Show when=move || crate::ui::form::general_error(i18n, review_result.get()).is_some()>
                            <p class="alert alert--error" role="alert">{move || crate::ui::form::general_error(i18n, review_result.get())}</p>
                        </Show>
                        {overlaps.into_iter().map(|o| {
                            let other = if o.first.id == id { o.second.name.clone() } else { o.first.name.clone() };
                            let field = format!("justification-{}-{}", o.first.id, o.second.id);
                            view! {
                                <ActionForm action=review attr:class="form" attr:novalidate="true">
                                    <input type="hidden" name="first" value=o.first.id />
                                    <input type="hidden" name="second" value=o.second.id />
                                    <input type="hidden" name="return_to" value=id />
                                    <div class="field" class:field--invalid=move || crate::ui::form::field_error(review_result.get(), "justification").is_some()>
                                        <label for=field.clone()>{t!(i18n, mandate_overlap_justification)} " " {other}</label>
                                        <Show when=move || crate::ui::form::field_error(review_result.get(), "justification").is_some()>
                                            <p class="field__error">{move || crate::ui::form::field_error(review_result.get(), "justification")}</p>
                                        </Show>
                                        <textarea id=field name="justification" rows="3"></textarea>
                                    </div>
                                    <button type="submit" class="button">{t!(i18n, mandate_overlap_mark_intended)}</button>
                                </ActionForm>
                            }
                        }).collect_view()}
                    })}
                </section>
            }
        })}

        <h2>{t!(i18n, members_column)}</h2>
        <TableRegion label=move || t_string!(i18n, members_column)>
            <table class="table">
                <caption class="visually-hidden">{t!(i18n, members_column)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, organisation_column)}</th>
                        <th scope="col">{t!(i18n, membership_role_column)}</th>
                        <th scope="col">{t!(i18n, since_column)}</th>
                        <th scope="col">{t!(i18n, until_column)}</th>
                    </tr>
                </thead>
                <tbody>
                    {detail.members.into_iter().map(|m| view! {
                        <tr>
                            <td>{m.organisation}</td>
                            <td>{role_label(i18n, m.role)}</td>
                            <td>{date(i18n, &m.since)}</td>
                            <td>{m.until.as_deref().map(|until| date(i18n, until))}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </TableRegion>

        <h2>{t!(i18n, coordinators_title)}</h2>
        {match detail.coordinators {
            None => view! { <p class="muted">{t!(i18n, coordinators_hidden)}</p> }.into_any(),
            Some(contacts) if contacts.is_empty() => view! { <p>{t!(i18n, coordinators_none)}</p> }.into_any(),
            Some(contacts) => view! {
                <ul class="plain-list">
                    {contacts.into_iter().map(|c| view! {
                        <li>{c.name} " (" {c.organisation} "), " <a href=format!("mailto:{}", c.email)>{c.email.clone()}</a></li>
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}
