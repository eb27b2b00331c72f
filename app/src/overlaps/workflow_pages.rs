//! An overlap's workflow panel, its filters and labels.

use crate::domain::{Decision, Flag, OverlapState as State, OverlapStep as Step};
use crate::overlaps::workflow_api::{AddOverlapNote, OverlapStep};
use crate::overlaps::workflow_types::Workflow;
use crate::{error::AppError, i18n::*, overlaps::types::OverlapFilter, ui::form::general_error};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

pub fn state_label(i18n: leptos_i18n::I18nContext<Locale>, state: State) -> String {
    match state {
        State::Open => t_string!(i18n, overlap_state_open),
        State::Acknowledged => t_string!(i18n, overlap_state_acknowledged),
        State::Decided => t_string!(i18n, overlap_state_decided),
        State::Closed => t_string!(i18n, overlap_state_closed),
    }
    .to_string()
}

pub fn flag_label(i18n: leptos_i18n::I18nContext<Locale>, flag: Flag) -> String {
    match flag {
        Flag::Uncoordinated => t_string!(i18n, flag_uncoordinated),
        Flag::PossibleDuplicate => t_string!(i18n, flag_possible_duplicate),
        Flag::OperationalConflict => t_string!(i18n, flag_operational_conflict),
    }
    .to_string()
}

/// A decision in words; "lead to" names the joint venture.
pub fn decision_label(
    i18n: leptos_i18n::I18nContext<Locale>,
    decision: Decision,
    side_names: &[String],
) -> String {
    let name = |i: usize| side_names.get(i).cloned().unwrap_or_default();
    match decision {
        Decision::JointAction => t_string!(i18n, decision_joint_action).to_string(),
        Decision::LeadFirst => format!("{} {}", t_string!(i18n, decision_lead_to), name(0)),
        Decision::LeadSecond => format!("{} {}", t_string!(i18n, decision_lead_to), name(1)),
        Decision::NoConflict => t_string!(i18n, decision_no_conflict).to_string(),
        Decision::Merge => t_string!(i18n, decision_merge).to_string(),
        Decision::FalseMatch => t_string!(i18n, decision_false_match).to_string(),
    }
}

pub(crate) fn step_label(i18n: leptos_i18n::I18nContext<Locale>, step: Step) -> String {
    match step {
        Step::Found => t_string!(i18n, step_found),
        Step::Acknowledge => t_string!(i18n, step_acknowledge),
        Step::Propose => t_string!(i18n, step_propose),
        Step::Agree => t_string!(i18n, step_agree),
        Step::Rule => t_string!(i18n, step_rule),
        Step::Reopen => t_string!(i18n, step_reopen),
        Step::Close => t_string!(i18n, step_close),
        Step::FollowUp => t_string!(i18n, step_follow_up),
        Step::Note => t_string!(i18n, step_note),
        Step::Consent => t_string!(i18n, step_consent),
        Step::Disclose => t_string!(i18n, step_disclose),
        Step::WithdrawConsent => t_string!(i18n, step_withdraw_consent),
        Step::RequestDeletion => t_string!(i18n, step_request_deletion),
        Step::ConfirmDeletion => t_string!(i18n, step_confirm_deletion),
        Step::DeadlineNear => t_string!(i18n, step_deadline_near),
        Step::DeadlinePassed => t_string!(i18n, step_deadline_passed),
    }
    .to_string()
}

/// The flags as badges.
#[component]
pub fn Flags(flags: Vec<Flag>) -> impl IntoView {
    let i18n = use_i18n();
    flags
        .into_iter()
        .map(|f| {
            view! { <span class=format!("badge badge--flag badge--{}", f.as_str())>{flag_label(i18n, f)}</span> " " }
        })
        .collect_view()
}

/// A form that takes one step needing nothing else (acknowledge, agree, close).
#[component]
pub(crate) fn StepButton(
    act: ServerAction<OverlapStep>,
    id: i32,
    version: i32,
    step: Step,
    label: String,
    #[prop(optional)] primary: bool,
) -> impl IntoView {
    view! {
        <ActionForm action=act attr:class="inline-form">
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="version" value=version />
            <input type="hidden" name="step" value=step.as_str() />
            <button type="submit" class=if primary { "button button--primary" } else { "button" }>{label}</button>
        </ActionForm>
    }
}

/// The decision form: a side proposes, a manager rules (a reason required). `nested` when it
/// sits under a step's heading (the overlap page's guide) rather than the panel's.
#[component]
pub(crate) fn DecisionForm(
    act: ServerAction<OverlapStep>,
    id: i32,
    version: i32,
    rule: bool,
    names: Vec<String>,
    #[prop(optional)] nested: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let acted = Signal::derive(move || act.value().get());
    let decision_error =
        Signal::derive(move || crate::ui::form::field_error(acted.get(), "decision"));
    let reason_error = Signal::derive(move || crate::ui::form::field_error(acted.get(), "reason"));
    let title = if rule {
        t_string!(i18n, overlap_rule_title).to_string()
    } else {
        t_string!(i18n, overlap_propose_title).to_string()
    };
    let heading = if nested {
        view! { <h4>{title}</h4> }.into_any()
    } else {
        view! { <h3>{title}</h3> }.into_any()
    };
    view! {
        <ActionForm action=act attr:class="form" attr:novalidate="true">
            {heading}
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="version" value=version />
            <input type="hidden" name="step" value=if rule { "rule" } else { "propose" } />
            <div class="field" class:field--invalid=move || decision_error.get().is_some()>
                <label for="decision">{t!(i18n, overlap_decision)}</label>
                <Show when=move || decision_error.get().is_some()>
                    <p class="field__error" id="decision-error">{move || decision_error.get()}</p>
                </Show>
                <select id="decision" name="decision">
                    {Decision::ALL
                        .iter()
                        .map(|d| view! { <option value=d.as_str()>{decision_label(i18n, *d, &names)}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="field" class:field--invalid=move || reason_error.get().is_some()>
                <label for="step-reason">{if rule { t_string!(i18n, overlap_reason_required) } else { t_string!(i18n, overlap_reason_optional) }}</label>
                <Show when=move || reason_error.get().is_some()>
                    <p class="field__error">{move || reason_error.get()}</p>
                </Show>
                <textarea id="step-reason" name="reason" rows="3"></textarea>
            </div>
            <button type="submit" class="button button--primary">
                {if rule { t_string!(i18n, overlap_rule_button) } else { t_string!(i18n, overlap_propose_button) }}
            </button>
        </ActionForm>
    }
}

/// Reopening a decision, folded away: it needs a reason.
#[component]
pub(crate) fn ReopenForm(act: ServerAction<OverlapStep>, id: i32, version: i32) -> impl IntoView {
    let i18n = use_i18n();
    let reason_error =
        Signal::derive(move || crate::ui::form::field_error(act.value().get(), "reason"));
    view! {
        <details class="section" open=move || reason_error.get().is_some()>
            <summary>{t!(i18n, overlap_reopen_button)}</summary>
            <ActionForm action=act attr:class="form" attr:novalidate="true">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="version" value=version />
                <input type="hidden" name="step" value="reopen" />
                <div class="field" class:field--invalid=move || reason_error.get().is_some()>
                    <label for="reopen-reason">{t!(i18n, overlap_reason_required)}</label>
                    <Show when=move || reason_error.get().is_some()>
                        <p class="field__error">{move || reason_error.get()}</p>
                    </Show>
                    <textarea id="reopen-reason" name="reason" rows="3"></textarea>
                </div>
                <button type="submit" class="button">{t!(i18n, overlap_reopen_button)}</button>
            </ActionForm>
        </details>
    }
}

/// A pending proposal in words: who proposed what.
pub(crate) fn proposal_text(
    i18n: leptos_i18n::I18nContext<Locale>,
    w: &Workflow,
) -> Option<String> {
    w.proposal.map(|(d, by)| {
        format!(
            "{} {}: {}",
            t_string!(i18n, overlap_proposed_by),
            side_name(&w.side_names, i32::from(by)),
            decision_label(i18n, d, &w.side_names)
        )
    })
}

/// A side's joint venture by its number (1 or 2); nothing for a manager or the system.
pub(crate) fn side_name(names: &[String], side: i32) -> String {
    match side {
        1 | 2 => names.get(side as usize - 1).cloned().unwrap_or_default(),
        _ => String::new(),
    }
}

/// A moment as the page shows it, on the Dutch clock: `4 december 2026, 04:30`.
pub(crate) fn minute(at: &crate::domain::dates::LocalMoment) -> String {
    crate::ui::format::moment(use_i18n(), at)
}

/// The workflow part of an overlap's page: deadlines, acknowledgements, the decision, the
/// actions allowed now, the timeline and the notes. Shared by the coordinators' and the
/// managers' pages; on the coordinators' page (`guided`) the steps' guide shows where it
/// stands and holds the actions, and this panel keeps the flags, the timeline and the notes.
#[component]
pub fn WorkflowPanel(id: i32, workflow: Workflow, #[prop(optional)] guided: bool) -> impl IntoView {
    let i18n = use_i18n();
    let act = ServerAction::<OverlapStep>::new();
    let acted = Signal::derive(move || act.value().get());
    let note = ServerAction::<AddOverlapNote>::new();
    let noted = Signal::derive(move || note.value().get());
    let field = move |result: Signal<Option<Result<(), AppError>>>, name: &'static str| {
        Signal::derive(move || crate::ui::form::field_error(result.get(), name))
    };
    let title_error = field(noted, "title");
    let body_error = field(noted, "body");
    let w = workflow;
    let can = |step: Step| w.allowed.contains(&step);
    let names = w.side_names.clone();
    let jv_of = {
        let names = names.clone();
        move |side: i32| side_name(&names, side)
    };
    let proposal = proposal_text(i18n, &w);
    let version = w.version;
    // Where it stands and what may be done now: the guide says it on the coordinators' page.
    let standing = (!guided).then(|| {
        view! {
            <dt>{t!(i18n, users_status_label)}</dt><dd>{state_label(i18n, w.state)}</dd>
            <dt>{t!(i18n, overlap_acknowledge_by)}</dt><dd>{crate::ui::format::date(i18n, &w.acknowledge_by)}</dd>
            {w.decide_by.clone().map(|d| view! { <dt>{t!(i18n, overlap_decide_by)}</dt><dd>{crate::ui::format::date(i18n, &d)}</dd> })}
            {w.acknowledged.iter().enumerate().map(|(i, a)| {
                let name = jv_of(i as i32 + 1);
                view! {
                    <dt>{t!(i18n, overlap_acknowledged_by_side)} " " {name}</dt>
                    <dd>{match a.clone() {
                        Some((at, who)) => format!("{} ({who})", minute(&at)),
                        None => t_string!(i18n, overlap_not_yet).to_string(),
                    }}</dd>
                }
            }).collect_view()}
            {w.decision.map(|d| view! {
                <dt>{t!(i18n, overlap_decision)}</dt>
                <dd>
                    {decision_label(i18n, d, &names)}
                    {w.ruled.then(|| view! { " (" {t!(i18n, overlap_ruled)} ")" })}
                </dd>
            })}
            {proposal.clone().map(|p| view! { <dt>{t!(i18n, overlap_proposal)}</dt><dd>{p}</dd> })}
        }
    });
    let actions = (!guided).then(|| {
        view! {
            <Show when=move || general_error(i18n, acted.get()).is_some()>
                <p class="alert alert--error" role="alert">{move || general_error(i18n, acted.get())}</p>
            </Show>
            <div class="actions">
                {can(Step::Acknowledge).then(|| view! {
                    <StepButton act id version step=Step::Acknowledge
                        label=t_string!(i18n, overlap_acknowledge_button).to_string() primary=true />
                })}
                {can(Step::Agree).then(|| view! {
                    <StepButton act id version step=Step::Agree
                        label=format!("{}: {}", t_string!(i18n, overlap_agree_button), proposal.clone().unwrap_or_default()) primary=true />
                })}
                {can(Step::Close).then(|| view! {
                    <StepButton act id version step=Step::Close label=t_string!(i18n, overlap_close_button).to_string() />
                })}
            </div>
            {(can(Step::Propose) || can(Step::Rule)).then(|| view! {
                <DecisionForm act id version rule=can(Step::Rule) names=names.clone() />
            })}
            {can(Step::Reopen).then(|| view! { <ReopenForm act id version /> })}
        }
    });
    let follow_up = w.follow_up.clone();
    let flags = w.flags.clone();
    let has_facts = !guided || follow_up.is_some() || !flags.is_empty();
    view! {
        <section class="section" aria-labelledby="workflow-heading">
            <h2 id="workflow-heading">{if guided { t_string!(i18n, overlap_history) } else { t_string!(i18n, overlap_workflow) }}</h2>
            {has_facts.then(|| view! {
                <dl class="facts">
                    {standing}
                    {follow_up.map(|(who, what)| view! { <dt>{t!(i18n, overlap_follow_up)}</dt><dd>{who} ": " {what}</dd> })}
                    {(!flags.is_empty()).then(|| view! { <dt>{t!(i18n, flags_column)}</dt><dd><Flags flags=flags.clone() /></dd> })}
                </dl>
            })}
            {actions}
            <h3>{t!(i18n, overlap_timeline)}</h3>
            <ol class="timeline">
                {w.timeline.iter().map(|e| {
                    let who = match e.side {
                        1 | 2 => format!("{} ({})", e.who, jv_of(e.side)),
                        _ if e.who.is_empty() => "Liaison".to_owned(),
                        _ => e.who.clone(),
                    };
                    view! {
                        <li>
                            <time>{minute(&e.at)}</time> " "
                            <strong>{step_label(i18n, e.step)}</strong>
                            {e.decision.map(|d| view! { ": " {decision_label(i18n, d, &names)} })}
                            " — " {who}
                            {e.reason.clone().map(|r| view! { <br /><span class="muted">{r}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            <h3>{t!(i18n, overlap_notes)}</h3>
            {w.notes.is_empty().then(|| view! { <p class="muted">{t!(i18n, overlap_no_notes)}</p> })}
            <ul class="notes">
                {w.notes.iter().map(|n| view! {
                    <li>
                        <strong>{n.title.clone()}</strong> " — " {n.author.clone()} " (" {jv_of(n.side)} "), "
                        {minute(&n.at)}
                        {n.body.clone().filter(|b| !b.is_empty()).map(|b| view! { <p>{b}</p> })}
                    </li>
                }).collect_view()}
            </ul>
            {can(Step::Note).then(|| view! {
                <ActionForm action=note attr:class="form" attr:novalidate="true">
                    <Show when=move || general_error(i18n, noted.get()).is_some()>
                        <p class="alert alert--error" role="alert">{move || general_error(i18n, noted.get())}</p>
                    </Show>
                    <input type="hidden" name="id" value=id />
                    <div class="field" class:field--invalid=move || title_error.get().is_some()>
                        <label for="note-title">{t!(i18n, overlap_note_title)}</label>
                        <Show when=move || title_error.get().is_some()>
                            <p class="field__error">{move || title_error.get()}</p>
                        </Show>
                        <input id="note-title" name="title" type="text" maxlength="120" />
                    </div>
                    <div class="field" class:field--invalid=move || body_error.get().is_some()>
                        <label for="note-body">{t!(i18n, overlap_note_body)}</label>
                        <Show when=move || body_error.get().is_some()>
                            <p class="field__error">{move || body_error.get()}</p>
                        </Show>
                        <textarea id="note-body" name="body" rows="4"></textarea>
                    </div>
                    <button type="submit" class="button">{t!(i18n, overlap_note_button)}</button>
                </ActionForm>
            })}
        </section>
    }
}

/// The filters of the inbox and of the managers' list.
#[component]
pub fn OverlapFilters(action: &'static str, filter: Signal<OverlapFilter>) -> impl IntoView {
    let i18n = use_i18n();
    let states = move || {
        let mut list = vec![("", t_string!(i18n, overlap_state_active).to_string())];
        list.extend(
            State::ALL
                .iter()
                .map(|s| (s.as_str(), state_label(i18n, *s))),
        );
        list.push(("all", t_string!(i18n, users_status_all).to_string()));
        list
    };
    let kinds = move || {
        let mut list = vec![("", t_string!(i18n, users_status_all).to_string())];
        list.extend(
            crate::domain::SubjectKind::ALL
                .iter()
                .map(|k| (k.as_str(), match_kind_label(i18n, k.as_str()))),
        );
        list.push(("operation", match_kind_label(i18n, "operation")));
        list
    };
    let flags = move || {
        let mut list = vec![("", t_string!(i18n, users_status_all).to_string())];
        list.extend(Flag::ALL.iter().map(|f| (f.as_str(), flag_label(i18n, *f))));
        list
    };
    let deadlines = move || {
        vec![
            ("", t_string!(i18n, users_status_all).to_string()),
            ("soon", t_string!(i18n, deadline_soon).to_string()),
            ("overdue", t_string!(i18n, deadline_overdue).to_string()),
        ]
    };
    let select = move |id: &'static str,
                       label: String,
                       options: Vec<(&'static str, String)>,
                       current: Signal<String>| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <select id=id name=id>
                    {options.into_iter().map(|(code, text)| view! {
                        <option value=code selected=move || current.get() == code>{text}</option>
                    }).collect_view()}
                </select>
            </div>
        }
    };
    view! {
        <form method="get" action=action class="filters">
            {select("state", t_string!(i18n, users_status_label).to_string(), states(), Signal::derive(move || filter.get().state))}
            {select("kind", t_string!(i18n, kind_column).to_string(), kinds(), Signal::derive(move || filter.get().kind))}
            {select("flag", t_string!(i18n, flags_column).to_string(), flags(), Signal::derive(move || filter.get().flag))}
            {select("deadline", t_string!(i18n, deadline_column).to_string(), deadlines(), Signal::derive(move || filter.get().deadline))}
            // The report's drill-down keeps its pair and period when the filters change.
            {move || {
                let f = filter.get();
                [("pair", f.pair), ("since", f.since), ("until", f.until)]
                    .into_iter()
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
                    .collect_view()
            }}
            <button type="submit" class="button">{t!(i18n, filter_button)}</button>
        </form>
    }
}

/// The filter in the address (`?state=&kind=&flag=&deadline=`).
pub fn filter_from_query() -> Signal<OverlapFilter> {
    let query = use_query_map();
    Signal::derive(move || {
        query.with(|q| OverlapFilter {
            state: q.get("state").unwrap_or_default(),
            kind: q.get("kind").unwrap_or_default(),
            flag: q.get("flag").unwrap_or_default(),
            deadline: q.get("deadline").unwrap_or_default(),
            pair: q.get("pair").unwrap_or_default(),
            since: q.get("since").unwrap_or_default(),
            until: q.get("until").unwrap_or_default(),
        })
    })
}

pub fn match_kind_label(i18n: leptos_i18n::I18nContext<Locale>, kind: &str) -> String {
    match kind.parse::<crate::domain::SubjectKind>() {
        Ok(kind) => crate::ui::labels::subject_kind_label(i18n, kind),
        Err(_) => t_string!(i18n, overlap_kind_operation).to_string(),
    }
}
