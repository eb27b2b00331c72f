//! Deconfliction: every overlap gets an owner on each side, a deadline and a recorded
//! decision. `open → acknowledged (by each side) → decided → closed`; a decision needs both
//! sides (one proposes, the other agrees) or a manager's ruling, and can be reopened with a
//! reason. Flags are derived (`rules::flags`), never typed. Managers see the overlaps of the
//! joint ventures they oversee at `/oversight` — references, titles, states, decisions and
//! flags, never subjects.

#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod working_days;

pub use crate::domain::{Decision, Flag, OverlapState as State, OverlapStep as Step};

use crate::{
    auth::general_error,
    error::AppError,
    i18n::*,
    layout::PageError,
    overlaps::{OverlapFilter, match_kind_label},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

/// One entry of an overlap's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: String,
    pub who: String,
    /// 1 or 2 for a side's coordinator, 0 for a manager or the system.
    pub side: i32,
    pub step: Step,
    pub decision: Option<Decision>,
    pub reason: Option<String>,
}

/// A shared note; `body` is `None` for managers (they see titles only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoteView {
    pub at: String,
    pub author: String,
    pub side: i32,
    pub title: String,
    pub body: Option<String>,
}

/// Where an overlap stands and what the viewer may do next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workflow {
    pub state: State,
    pub version: i32,
    /// The viewer's side (1 or 2), or 0 for a manager.
    pub my_side: i32,
    /// The two joint ventures' names, side 1 first.
    pub side_names: Vec<String>,
    /// Per side: when and by whom it acknowledged.
    pub acknowledged: Vec<Option<(String, String)>>,
    pub acknowledge_by: String,
    pub decide_by: Option<String>,
    /// A pending proposal and the side that made it.
    pub proposal: Option<(Decision, u8)>,
    pub decision: Option<Decision>,
    pub decided_at: Option<String>,
    /// Decided by a manager's ruling.
    pub ruled: bool,
    /// A manager's follow-up: assignee and what to do.
    pub follow_up: Option<(String, String)>,
    pub flags: Vec<Flag>,
    /// The steps the viewer may take now.
    pub allowed: Vec<Step>,
    pub timeline: Vec<TimelineEntry>,
    pub notes: Vec<NoteView>,
}

/// One side as a manager sees it: the case only for a side they oversee (or once disclosed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverseenSide {
    pub joint_venture: String,
    /// Reference and title.
    pub case: Option<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverseenRow {
    pub id: i32,
    pub match_kind: String,
    pub urgent: bool,
    pub sides: Vec<OverseenSide>,
    pub state: State,
    pub decision: Option<Decision>,
    pub flags: Vec<Flag>,
    /// The deadline that counts now.
    pub due: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverseenView {
    pub id: i32,
    pub match_kind: String,
    pub score: f64,
    pub urgent: bool,
    pub sides: Vec<OverseenSide>,
    pub workflow: Workflow,
    /// Either side's coordinators (id, "name (joint venture)"), to assign a follow-up to.
    pub coordinators: Vec<(i32, String)>,
}

fn landing(id: i32, manager: bool) -> String {
    if manager {
        format!("/oversight/overlaps/{id}")
    } else {
        format!("/overlaps/{id}")
    }
}

/// One step of the overlap's life: `acknowledge`, `propose` (with a decision), `agree`, `rule`
/// (a manager, with a decision and a reason), `reopen` (with a reason) or `close`. `version` is
/// the version the caller saw.
#[server(endpoint = "overlap_step")]
pub async fn overlap_step(
    id: i32,
    version: i32,
    step: String,
    #[server(default)] decision: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let result = async {
        let user = crate::server::auth::require_user().await?;
        let settings = crate::server::deconfliction::settings();
        let input = crate::server::deconfliction::StepInput {
            step,
            version,
            decision,
            reason,
        };
        crate::server::deconfliction::take_step(&crate::server::db()?, &user, &settings, id, &input)
            .await
    }
    .await;
    // The caller lands where they act from: a side's page, or the manager's.
    let result = result.map(|actor| {
        let manager = actor == crate::deconfliction::rules::Actor::Manager;
        crate::server::land(&landing(id, manager), "done=step");
    });
    crate::server::respond(result)
}

/// A note for both sides of the overlap.
#[server(endpoint = "overlap_note")]
pub async fn add_overlap_note(
    id: i32,
    title: String,
    #[server(default)] body: String,
) -> Result<(), AppError> {
    let result = async {
        let user = crate::server::auth::require_user().await?;
        crate::server::deconfliction::add_note(&crate::server::db()?, &user, id, &title, &body)
            .await
    }
    .await;
    if result.is_ok() {
        crate::server::land(&landing(id, false), "done=note");
    }
    crate::server::respond(result)
}

/// A manager assigns a follow-up to one of either side's coordinators.
#[server(endpoint = "overlap_follow_up")]
pub async fn assign_follow_up(
    id: i32,
    version: i32,
    #[server(default)] assignee: String,
    #[server(default)] follow_up: String,
) -> Result<(), AppError> {
    let result = async {
        let user = crate::server::auth::require_user().await?;
        let assignee = assignee.trim().parse::<i32>().map_err(|_| {
            AppError::invalid(
                "assignee",
                td_string!(crate::language::request_locale(), err_choose_from_list),
            )
        })?;
        let settings = crate::server::deconfliction::settings();
        crate::server::deconfliction::assign_follow_up(
            &crate::server::db()?,
            &user,
            &settings,
            id,
            version,
            assignee,
            &follow_up,
        )
        .await
    }
    .await;
    if result.is_ok() {
        crate::server::land(&landing(id, true), "done=follow_up");
    }
    crate::server::respond(result)
}

#[server(endpoint = "overseen_overlaps")]
pub async fn overseen_overlaps(
    #[server(default)] filter: OverlapFilter,
) -> Result<Vec<OverseenRow>, AppError> {
    crate::server::respond(
        async {
            let user = crate::server::auth::require_user().await?;
            crate::server::deconfliction::overseen(&crate::server::db()?, &user, &filter).await
        }
        .await,
    )
}

#[server(endpoint = "overseen_overlap")]
pub async fn overseen_overlap(id: i32) -> Result<OverseenView, AppError> {
    crate::server::respond(
        async {
            let user = crate::server::auth::require_user().await?;
            crate::server::deconfliction::overseen_view(&crate::server::db()?, &user, id).await
        }
        .await,
    )
}

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

fn step_label(i18n: leptos_i18n::I18nContext<Locale>, step: Step) -> String {
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

/// The workflow part of an overlap's page: deadlines, acknowledgements, the decision, the
/// actions allowed now, the timeline and the notes. Shared by the coordinators' and the
/// managers' pages.
#[component]
pub fn WorkflowPanel(id: i32, workflow: Workflow) -> impl IntoView {
    let i18n = use_i18n();
    let act = ServerAction::<OverlapStep>::new();
    let acted = Signal::derive(move || act.value().get());
    let note = ServerAction::<AddOverlapNote>::new();
    let noted = Signal::derive(move || note.value().get());
    let field = move |result: Signal<Option<Result<(), AppError>>>, name: &'static str| {
        Signal::derive(move || crate::auth::field_error(result.get(), name))
    };
    let decision_error = field(acted, "decision");
    let reason_error = field(acted, "reason");
    let title_error = field(noted, "title");
    let body_error = field(noted, "body");
    let w = workflow;
    let can = |step: Step| w.allowed.contains(&step);
    let names = w.side_names.clone();
    let side_name = {
        let names = names.clone();
        move |side: i32| match side {
            1 | 2 => names.get(side as usize - 1).cloned().unwrap_or_default(),
            _ => String::new(),
        }
    };
    let decision_options = {
        let names = names.clone();
        move || {
            Decision::ALL
                .iter()
                .map(|d| view! { <option value=d.as_str()>{decision_label(i18n, *d, &names)}</option> })
                .collect_view()
        }
    };
    let simple = |step: Step, label: String, primary: bool| {
        view! {
            <ActionForm action=act attr:class="inline-form">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="version" value=w.version />
                <input type="hidden" name="step" value=step.as_str() />
                <button type="submit" class=if primary { "button button--primary" } else { "button" }>{label}</button>
            </ActionForm>
        }
    };
    let proposal_text = w.proposal.map(|(d, by)| {
        format!(
            "{} {}: {}",
            t_string!(i18n, overlap_proposed_by),
            side_name(i32::from(by)),
            decision_label(i18n, d, &names)
        )
    });
    view! {
        <section class="section" aria-labelledby="workflow-heading">
            <h2 id="workflow-heading">{t!(i18n, overlap_workflow)}</h2>
            <dl class="facts">
                <dt>{t!(i18n, users_status_label)}</dt><dd>{state_label(i18n, w.state)}</dd>
                <dt>{t!(i18n, overlap_acknowledge_by)}</dt><dd>{w.acknowledge_by.clone()}</dd>
                {w.decide_by.clone().map(|d| view! { <dt>{t!(i18n, overlap_decide_by)}</dt><dd>{d}</dd> })}
                {w.acknowledged.iter().enumerate().map(|(i, a)| {
                    let name = side_name(i as i32 + 1);
                    view! {
                        <dt>{t!(i18n, overlap_acknowledged_by_side)} " " {name}</dt>
                        <dd>{match a.clone() {
                            Some((at, who)) => format!("{} ({who})", at.get(..16).unwrap_or_default().replace('T', " ")),
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
                {proposal_text.clone().map(|p| view! { <dt>{t!(i18n, overlap_proposal)}</dt><dd>{p}</dd> })}
                {w.follow_up.clone().map(|(who, what)| view! { <dt>{t!(i18n, overlap_follow_up)}</dt><dd>{who} ": " {what}</dd> })}
                {(!w.flags.is_empty()).then(|| view! { <dt>{t!(i18n, flags_column)}</dt><dd><Flags flags=w.flags.clone() /></dd> })}
            </dl>
            <Show when=move || general_error(i18n, acted.get()).is_some()>
                <p class="alert alert--error" role="alert">{move || general_error(i18n, acted.get())}</p>
            </Show>
            <div class="actions">
                {can(Step::Acknowledge).then(|| simple(Step::Acknowledge, t_string!(i18n, overlap_acknowledge_button).to_string(), true))}
                {can(Step::Agree).then(|| simple(Step::Agree, format!("{}: {}", t_string!(i18n, overlap_agree_button), proposal_text.clone().unwrap_or_default()), true))}
                {can(Step::Close).then(|| simple(Step::Close, t_string!(i18n, overlap_close_button).to_string(), false))}
            </div>
            {(can(Step::Propose) || can(Step::Rule)).then(|| {
                let rule = can(Step::Rule);
                view! {
                    <ActionForm action=act attr:class="form" attr:novalidate="true">
                        <h3>{if rule { t_string!(i18n, overlap_rule_title) } else { t_string!(i18n, overlap_propose_title) }}</h3>
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="version" value=w.version />
                        <input type="hidden" name="step" value=if rule { "rule" } else { "propose" } />
                        <div class="field" class:field--invalid=move || decision_error.get().is_some()>
                            <label for="decision">{t!(i18n, overlap_decision)}</label>
                            <Show when=move || decision_error.get().is_some()>
                                <p class="field__error" id="decision-error">{move || decision_error.get()}</p>
                            </Show>
                            <select id="decision" name="decision">{decision_options()}</select>
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
            })}
            {can(Step::Reopen).then(|| view! {
                <details class="section">
                    <summary>{t!(i18n, overlap_reopen_button)}</summary>
                    <ActionForm action=act attr:class="form" attr:novalidate="true">
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="version" value=w.version />
                        <input type="hidden" name="step" value="reopen" />
                        <div class="field">
                            <label for="reopen-reason">{t!(i18n, overlap_reason_required)}</label>
                            <textarea id="reopen-reason" name="reason" rows="3"></textarea>
                        </div>
                        <button type="submit" class="button">{t!(i18n, overlap_reopen_button)}</button>
                    </ActionForm>
                </details>
            })}
            <h3>{t!(i18n, overlap_timeline)}</h3>
            <ol class="timeline">
                {w.timeline.iter().map(|e| {
                    let who = match e.side {
                        1 | 2 => format!("{} ({})", e.who, side_name(e.side)),
                        _ if e.who.is_empty() => "Liaison".to_owned(),
                        _ => e.who.clone(),
                    };
                    view! {
                        <li>
                            <time>{e.at.get(..16).unwrap_or_default().replace('T', " ")}</time> " "
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
                        <strong>{n.title.clone()}</strong> " — " {n.author.clone()} " (" {side_name(n.side)} "), "
                        {n.at.get(..16).unwrap_or_default().replace('T', " ")}
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

/// `/oversight`: the overlaps of the joint ventures a manager oversees.
#[component]
pub fn OversightPage() -> impl IntoView {
    let i18n = use_i18n();
    let filter = filter_from_query();
    let list = Resource::new(move || filter.get(), overseen_overlaps);
    view! {
        <Title text=move || t_string!(i18n, oversight_overlaps_title).to_string() />
        <h1>{t!(i18n, oversight_overlaps_title)}</h1>
        <p>{t!(i18n, oversight_intro)}</p>
        <OverlapFilters action="/oversight" filter />
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(rows) if rows.is_empty() => view! { <p>{t!(i18n, overlaps_none)}</p> }.into_any(),
                    Ok(rows) => view! {
                        <table class="table">
                            <caption class="visually-hidden">{t!(i18n, oversight_overlaps_title)}</caption>
                            <thead><tr>
                                <th scope="col">{t!(i18n, overlap_column)}</th>
                                <th scope="col">{t!(i18n, oversight_side_a)}</th>
                                <th scope="col">{t!(i18n, oversight_side_b)}</th>
                                <th scope="col">{t!(i18n, users_status_label)}</th>
                                <th scope="col">{t!(i18n, flags_column)}</th>
                                <th scope="col">{t!(i18n, deadline_column)}</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|o| {
                                    let side = |s: &OverseenSide| match &s.case {
                                        Some((reference, title)) => format!("{} — {reference}: {title}", s.joint_venture),
                                        None => s.joint_venture.clone(),
                                    };
                                    let names: Vec<String> = o.sides.iter().map(|s| s.joint_venture.clone()).collect();
                                    view! {
                                        <tr class:row--urgent=o.urgent>
                                            <td><a href=format!("/oversight/overlaps/{}", o.id)>{match_kind_label(i18n, &o.match_kind)} " #" {o.id}</a></td>
                                            <td>{o.sides.first().map(side)}</td>
                                            <td>{o.sides.get(1).map(side)}</td>
                                            <td>
                                                {state_label(i18n, o.state)}
                                                {o.decision.map(|d| view! { ": " {decision_label(i18n, d, &names)} })}
                                            </td>
                                            <td><Flags flags=o.flags.clone() /></td>
                                            <td>{o.due.clone().unwrap_or_default()}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(err) => view! { <PageError err return_to="/oversight" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/oversight/overlaps/{id}`: one overlap for a manager, with a ruling and a follow-up.
#[component]
pub fn OverseenOverlapPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i32>().ok()));
    let landed = move || query.with(|q| q.get("at").unwrap_or_default());
    let overlap = Resource::new(
        move || (id(), landed()),
        |(id, _)| async move {
            match id {
                Some(id) => overseen_overlap(id).await,
                None => Err(AppError::Forbidden),
            }
        },
    );
    let assign = ServerAction::<AssignFollowUp>::new();
    let assigned = Signal::derive(move || assign.value().get());
    let assignee_error =
        Signal::derive(move || crate::auth::field_error(assigned.get(), "assignee"));
    let text_error = Signal::derive(move || crate::auth::field_error(assigned.get(), "follow_up"));
    let return_to = move || format!("/oversight/overlaps/{}", id().unwrap_or_default());
    view! {
        <Title text=move || t_string!(i18n, overlap_title).to_string() />
        <p><a href="/oversight">{t!(i18n, oversight_overlaps_title)}</a></p>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match overlap.await {
                    Ok(o) => {
                        let can_assign = o.workflow.allowed.contains(&Step::FollowUp);
                        view! {
                            <h1>{t!(i18n, overlap_title)} ": " {match_kind_label(i18n, &o.match_kind)} " #" {o.id}</h1>
                            {o.urgent.then(|| view! { <p class="alert alert--warning" role="status">{t!(i18n, overlap_urgent_text)}</p> })}
                            <dl class="facts">
                                <dt>{t!(i18n, overlap_score)}</dt><dd>{format!("{:.2}", o.score)}</dd>
                                {o.sides.iter().map(|s| view! {
                                    <dt>{s.joint_venture.clone()}</dt>
                                    <dd>{match &s.case {
                                        Some((reference, title)) => format!("{reference}: {title}"),
                                        None => t_string!(i18n, overlap_not_disclosed).to_string(),
                                    }}</dd>
                                }).collect_view()}
                            </dl>
                            <WorkflowPanel id=o.id workflow=o.workflow.clone() />
                            {can_assign.then(|| view! {
                                <section class="section">
                                    <h2>{t!(i18n, overlap_assign_title)}</h2>
                                    <ActionForm action=assign attr:class="form" attr:novalidate="true">
                                        <Show when=move || general_error(i18n, assigned.get()).is_some()>
                                            <p class="alert alert--error" role="alert">{move || general_error(i18n, assigned.get())}</p>
                                        </Show>
                                        <input type="hidden" name="id" value=o.id />
                                        <input type="hidden" name="version" value=o.workflow.version />
                                        <div class="field" class:field--invalid=move || assignee_error.get().is_some()>
                                            <label for="assignee">{t!(i18n, overlap_assignee)}</label>
                                            <Show when=move || assignee_error.get().is_some()>
                                                <p class="field__error">{move || assignee_error.get()}</p>
                                            </Show>
                                            <select id="assignee" name="assignee">
                                                {o.coordinators.iter().map(|(id, name)| view! { <option value=*id>{name.clone()}</option> }).collect_view()}
                                            </select>
                                        </div>
                                        <div class="field" class:field--invalid=move || text_error.get().is_some()>
                                            <label for="follow-up">{t!(i18n, overlap_follow_up)}</label>
                                            <Show when=move || text_error.get().is_some()>
                                                <p class="field__error">{move || text_error.get()}</p>
                                            </Show>
                                            <textarea id="follow-up" name="follow_up" rows="3"></textarea>
                                        </div>
                                        <button type="submit" class="button">{t!(i18n, overlap_assign_button)}</button>
                                    </ActionForm>
                                </section>
                            })}
                        }.into_any()
                    }
                    Err(err) => view! { <PageError err return_to=return_to() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
