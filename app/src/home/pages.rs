//! Components.

use crate::home::api::{get_portal_overview, get_start_page};
use crate::home::types::{
    AdminWork, CoordinatorWork, Due, DueStep, HeadlineFigures, ManagerWork, OverlapItem,
    PortalOverview, ReportItem, ReporterWork, SignalItem, StalledItem, StartPage,
};
use crate::i18n::*;
use crate::overlaps::workflow_pages::{Flags, match_kind_label};
use crate::ui::format::Day;
use crate::ui::labels::{kind_label, theme_label};
use crate::ui::page::TableRegion;
use crate::{domain::Urgency, domain::dates::DueIn, error::AppError};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/`: for a signed-in user, what needs their attention, a section per role; for a visitor,
/// what Liaison is and who takes part.
#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let start = Resource::new(|| (), |_| get_start_page());
    let overview = Resource::new(|| (), |_| get_portal_overview());
    view! {
        <Title text="" />
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match start.await {
                    Ok(Some(page)) => view! { <StartSections page /> }.into_any(),
                    _ => {
                        let overview = overview.await;
                        view! { <PublicStart overview /> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// The public start page: the three questions and the participating organisations.
#[component]
fn PublicStart(overview: Result<PortalOverview, AppError>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, home_title)}</h1>
        <p class="lead">{t!(i18n, home_intro)}</p>
        <ul class="card-grid">
            <li class="card">
                <h2>{t!(i18n, question_map_title)}</h2>
                <p>{t!(i18n, question_map_text)}</p>
            </li>
            <li class="card">
                <h2>{t!(i18n, question_overlap_title)}</h2>
                <p>{t!(i18n, question_overlap_text)}</p>
            </li>
            <li class="card">
                <h2>{t!(i18n, question_gaps_title)}</h2>
                <p>{t!(i18n, question_gaps_text)}</p>
            </li>
        </ul>
        {match overview {
            Ok(overview) => view! { <Overview overview /> }.into_any(),
            Err(_) => view! {
                <p class="alert alert--warning" role="alert">{t!(i18n, overview_unavailable)}</p>
            }
            .into_any(),
        }}
    }
}

#[component]
pub(crate) fn Overview(overview: PortalOverview) -> impl IntoView {
    let i18n = use_i18n();
    let organisations = overview.organisations.len();
    let joint_ventures = overview.active_joint_ventures;
    view! {
        <section aria-labelledby="themes-title">
            <h2 id="themes-title">{t!(i18n, themes_title)}</h2>
            <TableRegion label=move || t_string!(i18n, themes_title)><table class="table table--compact">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, theme_column)}</th>
                        <th scope="col" class="numeric">{t!(i18n, count_column)}</th>
                    </tr>
                </thead>
                <tbody>
                    {overview
                        .joint_ventures_by_theme
                        .into_iter()
                        .map(|row| {
                            view! {
                                <tr>
                                    <th scope="row">{theme_label(i18n, row.theme)}</th>
                                    <td class="numeric">{row.joint_ventures}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table></TableRegion>
        </section>
        <section aria-labelledby="participants-title">
            <h2 id="participants-title">{t!(i18n, participants_title)}</h2>
            <p>
                {t!(
                    i18n, participants_summary,
                    organisations = move || organisations,
                    joint_ventures = move || joint_ventures
                )}
            </p>
            <TableRegion label=move || t_string!(i18n, participants_title)><table class="table">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, organisation_column)}</th>
                        <th scope="col">{t!(i18n, kind_column)}</th>
                    </tr>
                </thead>
                <tbody>
                    {overview
                        .organisations
                        .into_iter()
                        .map(|org| {
                            view! {
                                <tr>
                                    <td>
                                        {org.name}
                                        " "
                                        <span class="muted">"(" {org.short_name} ")"</span>
                                    </td>
                                    <td>{kind_label(i18n, org.kind)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table></TableRegion>
        </section>
    }
}

/// The signed-in start page: a section per role the caller holds, the most pressing first.
#[component]
fn StartSections(page: StartPage) -> impl IntoView {
    let i18n = use_i18n();
    let empty = page.is_empty();
    let StartPage {
        display_name,
        organisation,
        coordinator,
        manager,
        reporter,
        ministry,
        admin,
        auditor,
    } = page;
    view! {
        <Title text=t_string!(i18n, home_work_title).to_string() />
        <h1>{t!(i18n, home_work_title)}</h1>
        <p class="lead">
            {t!(
                i18n, home_work_intro,
                person = move || display_name.clone(),
                organisation = move || organisation.clone()
            )}
        </p>
        {empty.then(|| view! { <p class="start-empty">{t!(i18n, home_nothing_waiting)}</p> })}
        {coordinator.map(|work| view! { <CoordinatorSection work /> })}
        {manager.map(|work| view! { <ManagerSection work /> })}
        {reporter.map(|work| view! { <ReporterSection work /> })}
        {ministry.map(|figures| view! { <MinistrySection figures /> })}
        {admin.map(|work| view! { <AdminSection work /> })}
        {auditor.then(|| view! { <AuditorSection /> })}
    }
}

/// A coordinator's joint ventures: the overlaps and the signals waiting on them.
#[component]
fn CoordinatorSection(work: CoordinatorWork) -> impl IntoView {
    let i18n = use_i18n();
    let CoordinatorWork {
        overlaps,
        more_overlaps,
        signals,
        more_signals,
        approvals,
    } = work;
    // Shown only when there is something to approve (four eyes on disclosure).
    let approvals = (!approvals.is_empty()).then(|| {
        view! {
            <h3 id="start-approvals">{t!(i18n, home_approvals_waiting)}</h3>
            <ul class="work-list" aria-labelledby="start-approvals">
                {approvals.into_iter().map(|a| view! {
                    <li class="work-item">
                        <a class="work-item__link" href=format!("/overlaps/{}", a.overlap_id)>
                            {match_kind_label(i18n, &a.match_kind)} ": " {a.my_case}
                        </a>
                        <p class="work-item__meta">
                            {t!(i18n, approval_asked_by)} " " {a.requested_by} " · "
                            {t!(i18n, approval_due)} " " {crate::ui::format::deadline(i18n, &a.due)}
                        </p>
                    </li>
                }).collect_view()}
            </ul>
        }
    });
    view! {
        <section class="section start-section" aria-labelledby="start-coordinator">
            <h2 id="start-coordinator">{t!(i18n, home_coordinator_title)}</h2>
            {approvals}
            <h3 id="start-overlaps">{t!(i18n, home_overlaps_waiting)}</h3>
            {work_list(overlaps, "start-overlaps", t_string!(i18n, home_nothing_waiting), |o| view! { <OverlapEntry o /> }.into_any())}
            <More more=more_overlaps />
            <p><a href="/overlaps">{t!(i18n, home_overlaps_all)}</a></p>
            <h3 id="start-signals">{t!(i18n, home_signals_waiting)}</h3>
            <SignalList signals labelled_by="start-signals" />
            <More more=more_signals />
            <p><a href="/signals">{t!(i18n, home_signals_all)}</a></p>
        </section>
    }
}

#[component]
fn OverlapEntry(o: OverlapItem) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <li class="work-item" class:work-item--urgent=o.urgent>
            <a class="work-item__link" href=format!("/overlaps/{}", o.id)>
                {match_kind_label(i18n, &o.match_kind)} ": " {o.my_case} " – " {o.other_joint_venture}
            </a>
            <p class="work-item__meta">
                {o.urgent.then(|| view! { <strong class="badge badge--urgent">{t!(i18n, home_urgent)}</strong> " " })}
                {crate::overlaps::workflow_pages::state_label(i18n, o.state)}
                {o.due.map(|due| view! { " · " <DueText due /> })}
                " " <Flags flags=o.flags />
            </p>
        </li>
    }
}

/// A manager's overseen joint ventures: the stalled overlaps and the overdue signals.
#[component]
fn ManagerSection(work: ManagerWork) -> impl IntoView {
    let i18n = use_i18n();
    let ManagerWork {
        stalled,
        more_stalled,
        overdue_signals,
        more_signals,
    } = work;
    view! {
        <section class="section start-section" aria-labelledby="start-manager">
            <h2 id="start-manager">{t!(i18n, home_manager_title)}</h2>
            <h3 id="start-stalled">{t!(i18n, home_stalled_title)}</h3>
            {work_list(stalled, "start-stalled", t_string!(i18n, home_nothing_waiting), |o| view! { <StalledEntry o /> }.into_any())}
            <More more=more_stalled />
            <p><a href="/oversight?flag=uncoordinated">{t!(i18n, home_stalled_all)}</a></p>
            <h3 id="start-overdue">{t!(i18n, home_overdue_title)}</h3>
            <SignalList signals=overdue_signals labelled_by="start-overdue" />
            <More more=more_signals />
            <p><a href="/signals">{t!(i18n, home_overseen_signals_all)}</a></p>
        </section>
    }
}

#[component]
fn StalledEntry(o: StalledItem) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <li class="work-item" class:work-item--urgent=o.urgent>
            <a class="work-item__link" href=format!("/oversight/overlaps/{}", o.id)>
                {match_kind_label(i18n, &o.match_kind)} ": " {o.sides.join(" – ")}
            </a>
            <p class="work-item__meta">
                {o.urgent.then(|| view! { <strong class="badge badge--urgent">{t!(i18n, home_urgent)}</strong> " " })}
                {crate::overlaps::workflow_pages::state_label(i18n, o.state)}
                {o.due.map(|due| view! { " · " <DueText due /> })}
                " " <Flags flags=o.flags />
            </p>
        </li>
    }
}

/// Signals with their urgency, state, owner and deadline; "nothing waits" when there are none.
/// The items of a start-page list, or the sentence that says nothing waits.
fn work_list<T>(
    items: Vec<T>,
    labelled_by: &'static str,
    empty: &'static str,
    entry: impl Fn(T) -> AnyView,
) -> AnyView {
    if items.is_empty() {
        return view! { <p class="start-empty">{empty}</p> }.into_any();
    }
    view! {
        <ul class="work-list" aria-labelledby=labelled_by>
            {items.into_iter().map(entry).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn SignalList(signals: Vec<SignalItem>, labelled_by: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    work_list(
        signals,
        labelled_by,
        t_string!(i18n, home_nothing_waiting),
        |s| view! { <SignalEntry s /> }.into_any(),
    )
}

#[component]
fn SignalEntry(s: SignalItem) -> impl IntoView {
    let i18n = use_i18n();
    let urgent = s.urgency == Urgency::Urgent;
    view! {
        <li class="work-item" class:work-item--urgent=urgent>
            <a class="work-item__link" href=format!("/signals/{}", s.id)>
                {s.reference} ": " {s.category} " (" {theme_label(i18n, s.theme)} ")"
            </a>
            <p class="work-item__meta">
                {urgent.then(|| view! {
                    <strong class="badge badge--urgent">{crate::signals::labels::urgency_label(i18n, Urgency::Urgent)}</strong> " "
                })}
                {crate::signals::labels::state_label(i18n, s.state)}
                {s.owner.map(|owner| view! { " · " {owner} })}
                {s.due.map(|due| view! { " · " <DueText due /> })}
            </p>
        </li>
    }
}

/// A reporter's own signals: those with new feedback, then the others.
#[component]
fn ReporterSection(work: ReporterWork) -> impl IntoView {
    let i18n = use_i18n();
    let ReporterWork {
        feedback,
        signals,
        more_signals,
    } = work;
    view! {
        <section class="section start-section" aria-labelledby="start-reporter">
            <h2 id="start-reporter">{t!(i18n, home_reporter_title)}</h2>
            <p><a class="button button--primary" href="/signals/new">{t!(i18n, home_report_new)}</a></p>
            <h3 id="start-feedback">{t!(i18n, home_feedback_title)}</h3>
            {work_list(feedback, "start-feedback", t_string!(i18n, home_feedback_none), |r| view! { <ReportEntry r /> }.into_any())}
            <h3 id="start-reports">{t!(i18n, home_reports_title)}</h3>
            {work_list(signals, "start-reports", t_string!(i18n, home_reports_none), |r| view! { <ReportEntry r /> }.into_any())}
            <More more=more_signals />
            <p><a href="/signals">{t!(i18n, home_reports_all)}</a></p>
        </section>
    }
}

#[component]
fn ReportEntry(r: ReportItem) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <li class="work-item">
            <a class="work-item__link" href=format!("/signals/{}", r.id)>{r.reference}</a>
            <p class="work-item__meta">
                {crate::signals::labels::state_label(i18n, r.state)} " · "
                {t!(i18n, home_reported_on)} " " <Day date=r.reported_on />
            </p>
        </li>
    }
}

/// Ministry staff: the published summary's national figures of the current quarter.
#[component]
fn MinistrySection(figures: HeadlineFigures) -> impl IntoView {
    let i18n = use_i18n();
    let HeadlineFigures {
        quarter,
        as_of,
        complete,
        themes,
    } = figures;
    let heading = quarter.clone();
    view! {
        <section class="section start-section" aria-labelledby="start-ministry">
            <h2 id="start-ministry">{t!(i18n, home_figures_title, quarter = move || heading.clone())}</h2>
            <p>
                {if complete {
                    view! { <span>{t!(i18n, summary_whole_quarter)}</span> }.into_any()
                } else {
                    view! { <span>{t!(i18n, summary_up_to)} " " <Day date=as_of /></span> }.into_any()
                }}
                ". " {t!(i18n, summary_rule_primary)}
            </p>
            <TableRegion label=move || t_string!(i18n, home_figures_caption)>
                <table class="table">
                    <caption>{t!(i18n, home_figures_caption)}</caption>
                    <thead><tr>
                        <th scope="col">{t!(i18n, theme_column)}</th>
                        <th scope="col" class="numeric">{t!(i18n, summary_cases)}</th>
                        <th scope="col" class="numeric">{t!(i18n, summary_overlaps)}</th>
                        <th scope="col" class="numeric">{t!(i18n, summary_conflicts)}</th>
                        <th scope="col" class="numeric">{t!(i18n, summary_signals)}</th>
                        <th scope="col" class="numeric">{t!(i18n, summary_followed_up_share)}</th>
                    </tr></thead>
                    <tbody>
                        {themes.into_iter().map(|row| view! {
                            <tr>
                                <th scope="row">
                                    <a href=format!("/summary?quarter={}&theme={}", quarter, row.theme.as_str())>{theme_label(i18n, row.theme)}</a>
                                </th>
                                <td class="numeric">{row.cases.text()}</td>
                                <td class="numeric">{row.overlaps.text()}</td>
                                <td class="numeric">{row.conflicts.text()}</td>
                                <td class="numeric">{row.signals.text()}</td>
                                <td class="numeric">{row.followed_up_share.map(|s| crate::ui::format::percent(i18n, s)).unwrap_or_else(|| "x".to_owned())}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </TableRegion>
            <p><a href="/summary">{t!(i18n, home_figures_all)}</a></p>
        </section>
    }
}

/// Administrators: takeover requests and unrouted signals waiting, and what they manage.
#[component]
fn AdminSection(work: AdminWork) -> impl IntoView {
    let i18n = use_i18n();
    let AdminWork {
        takeovers,
        takeovers_to_decide,
        unrouted_signals,
    } = work;
    view! {
        <section class="section start-section" aria-labelledby="start-admin">
            <h2 id="start-admin">{t!(i18n, home_admin_title)}</h2>
            <h3 id="start-admin-waiting">{t!(i18n, home_admin_waiting)}</h3>
            {if takeovers == 0 && unrouted_signals == 0 {
                view! { <p class="start-empty">{t!(i18n, home_nothing_waiting)}</p> }.into_any()
            } else {
                view! {
                    <ul class="work-list" aria-labelledby="start-admin-waiting">
                        {(takeovers > 0).then(|| view! {
                            <li class="work-item">
                                <a class="work-item__link" href="/admin/users">
                                    {t!(i18n, home_takeovers_waiting, number = move || takeovers)}
                                </a>
                                <p class="work-item__meta">
                                    {t!(i18n, home_takeovers_to_decide, number = move || takeovers_to_decide)}
                                </p>
                            </li>
                        })}
                        {(unrouted_signals > 0).then(|| view! {
                            <li class="work-item">
                                <a class="work-item__link" href="/signals">
                                    {t!(i18n, home_unrouted_signals, number = move || unrouted_signals)}
                                </a>
                            </li>
                        })}
                    </ul>
                }
                .into_any()
            }}
            <h3 id="start-admin-tasks">{t!(i18n, home_tasks_title)}</h3>
            <ul class="task-list" aria-labelledby="start-admin-tasks">
                <li><a href="/admin/users">{t!(i18n, home_task_accounts)}</a></li>
                <li><a href="/admin/organisations">{t!(i18n, organisations_title)}</a></li>
                <li><a href="/joint-ventures">{t!(i18n, home_task_joint_ventures)}</a></li>
                <li><a href="/admin/regions">{t!(i18n, regions_title)}</a></li>
                <li><a href="/admin/signal-routing">{t!(i18n, signal_routing_title)}</a></li>
                <li><a href="/benign">{t!(i18n, benign_title)}</a></li>
            </ul>
        </section>
    }
}

/// Auditors: where the audit trail is read and verified.
#[component]
fn AuditorSection() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="section start-section" aria-labelledby="start-auditor">
            <h2 id="start-auditor">{t!(i18n, home_auditor_title)}</h2>
            <p>{t!(i18n, home_auditor_text)}</p>
            <ul class="task-list">
                <li><a href="/audit">{t!(i18n, home_task_audit)}</a></li>
            </ul>
        </section>
    }
}

/// "And N more", when a list shows only its first items.
#[component]
fn More(more: u64) -> impl IntoView {
    let i18n = use_i18n();
    (more > 0).then(|| view! { <p class="muted">{t!(i18n, home_more, number = move || more)}</p> })
}

/// A step and its deadline in words: what is due, the day, and how it stands today.
#[component]
fn DueText(due: Due) -> impl IntoView {
    let i18n = use_i18n();
    let step = match due.step {
        DueStep::Acknowledge => t_string!(i18n, home_step_acknowledge),
        DueStep::Assess => t_string!(i18n, home_step_assess),
        DueStep::Decide => t_string!(i18n, home_step_decide),
    }
    .to_string();
    let late = matches!(due.deadline.due_in, DueIn::Late(_));
    let standing = crate::ui::format::due(i18n, due.deadline.due_in);
    view! {
        <span class="due" class:due--late=late>
            {step} " " {t!(i18n, home_due_by)} " " <Day date=due.deadline.date /> " (" {standing} ")"
        </span>
    }
}
