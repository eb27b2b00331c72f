//! The coordinators' overlap page as a guided sequence: what matched → acknowledge → share, or
//! not → decide. The steps come in order with the current one marked (`aria-current="step"`,
//! and in words), each holding what it needs; after a form post the page lands with `done=`
//! and says what just happened and what comes next. The rules are the server's (`guide`).

use crate::domain::{OverlapState as State, OverlapStep as Step, SubjectKind};
use crate::overlaps::api::ConsentToDisclose;
use crate::overlaps::explain::Waterfall;
use crate::overlaps::guide::{Done, Facts, Progress, Stage, Strength, done_of, strength};
use crate::overlaps::pages::evidence_text;
use crate::overlaps::share_pages::{ConsentForm, DeletionBox, FourEyesBox, WithdrawConsentForm};
use crate::overlaps::types::{Evidence, OverlapView, Side, Withheld};
use crate::overlaps::workflow_api::OverlapStep;
use crate::overlaps::workflow_pages::{
    DecisionForm, ReopenForm, StepButton, WorkflowPanel, decision_label, minute, proposal_text,
    state_label,
};
use crate::{i18n::*, ui::form::general_error};
use leptos::prelude::*;

/// What matched, in plain words: "Same phone number", or operations at one place and time.
pub fn match_label(i18n: leptos_i18n::I18nContext<Locale>, kind: &str) -> String {
    use SubjectKind as K;
    match kind.parse::<K>() {
        Ok(K::Person) => t_string!(i18n, overlap_match_person),
        Ok(K::Phone) => t_string!(i18n, overlap_match_phone),
        Ok(K::Vehicle) => t_string!(i18n, overlap_match_vehicle),
        Ok(K::BankAccount) => t_string!(i18n, overlap_match_bank_account),
        Ok(K::Address) => t_string!(i18n, overlap_match_address),
        Ok(K::Document) => t_string!(i18n, overlap_match_document),
        Ok(K::ImmigrationNumber) => t_string!(i18n, overlap_match_immigration_number),
        Ok(K::Email) => t_string!(i18n, overlap_match_email),
        Ok(K::Vessel) => t_string!(i18n, overlap_match_vessel),
        Ok(K::Company) => t_string!(i18n, overlap_match_company),
        Err(_) => t_string!(i18n, overlap_kind_operation),
    }
    .to_string()
}

pub fn strength_label(i18n: leptos_i18n::I18nContext<Locale>, score: f64) -> String {
    match strength(score) {
        Strength::Strong => t_string!(i18n, overlap_strength_strong),
        Strength::Possible => t_string!(i18n, overlap_strength_possible),
    }
    .to_string()
}

fn stage_title(i18n: leptos_i18n::I18nContext<Locale>, stage: Stage) -> String {
    match stage {
        Stage::Matched => t_string!(i18n, overlap_guide_matched),
        Stage::Acknowledge => t_string!(i18n, overlap_guide_acknowledge),
        Stage::Share => t_string!(i18n, overlap_guide_share),
        Stage::Decide => t_string!(i18n, overlap_guide_decide),
    }
    .to_string()
}

fn progress_label(i18n: leptos_i18n::I18nContext<Locale>, progress: Progress) -> String {
    match progress {
        Progress::Done => t_string!(i18n, overlap_progress_done),
        Progress::Current => t_string!(i18n, overlap_progress_current),
        Progress::Later => t_string!(i18n, overlap_progress_later),
        Progress::Skipped => t_string!(i18n, overlap_progress_skipped),
        Progress::NotPossible => t_string!(i18n, overlap_progress_not_possible),
    }
    .to_string()
}

/// What the last form post did (from `done=`), and what comes next.
fn confirmation(
    i18n: leptos_i18n::I18nContext<Locale>,
    done: Done,
    o: &OverlapView,
    facts: &Facts,
) -> String {
    let w = &o.workflow;
    let what = match done {
        Done::Step(Step::Acknowledge) => t_string!(i18n, overlap_done_acknowledged).to_string(),
        Done::Step(Step::Consent | Step::Disclose) if o.disclosed && !o.withdrawn => {
            t_string!(i18n, overlap_done_disclosed).to_string()
        }
        Done::Step(Step::Consent | Step::Disclose) => {
            t_string!(i18n, overlap_done_consented).to_string()
        }
        Done::Step(Step::Propose) => t_string!(i18n, overlap_done_proposed).to_string(),
        Done::Step(Step::Agree | Step::Rule) => match w.decision {
            Some(d) => format!(
                "{} {}.",
                t_string!(i18n, overlap_done_decided),
                decision_label(i18n, d, &w.side_names)
            ),
            None => t_string!(i18n, overlap_done_other).to_string(),
        },
        Done::Step(Step::Reopen) => t_string!(i18n, overlap_done_reopened).to_string(),
        Done::Step(Step::Close) => t_string!(i18n, overlap_done_closed).to_string(),
        Done::Note => t_string!(i18n, overlap_done_note).to_string(),
        Done::ApprovalRequested => t_string!(i18n, approval_done_requested).to_string(),
        Done::Approved if o.disclosed && !o.withdrawn => {
            t_string!(i18n, overlap_done_disclosed).to_string()
        }
        Done::Approved => t_string!(i18n, approval_done_approved).to_string(),
        Done::Refused => t_string!(i18n, approval_done_refused).to_string(),
        Done::RequestWithdrawn => t_string!(i18n, approval_done_withdrawn).to_string(),
        Done::Step(Step::WithdrawConsent) => {
            t_string!(i18n, overlap_done_consent_withdrawn).to_string()
        }
        Done::Step(Step::RequestDeletion) => {
            t_string!(i18n, overlap_done_deletion_requested).to_string()
        }
        Done::Step(Step::ConfirmDeletion) => {
            t_string!(i18n, overlap_done_deletion_confirmed).to_string()
        }
        Done::Step(_) | Done::Other => t_string!(i18n, overlap_done_other).to_string(),
    };
    let proposed_by_me = w.proposal.is_some_and(|(_, by)| i32::from(by) == w.my_side);
    let next = match (facts.current(), w.state) {
        (Some(Stage::Share), _) => Some(t_string!(i18n, overlap_next_share)),
        (Some(Stage::Decide), State::Open) => {
            Some(t_string!(i18n, overlap_next_wait_acknowledgement))
        }
        (Some(Stage::Decide), _) if proposed_by_me => {
            Some(t_string!(i18n, overlap_next_wait_agreement))
        }
        (Some(Stage::Decide), _) => Some(t_string!(i18n, overlap_next_decide)),
        (None, State::Decided) => Some(t_string!(i18n, overlap_next_close)),
        _ => None,
    };
    match next {
        Some(next) => format!("{what} {next}"),
        None => what,
    }
}

/// One step of the guide: its number, title and progress in words, then what it holds.
#[component]
fn GuideStep(stage: Stage, progress: Progress, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let number = format!(
        "{} {}: ",
        t_string!(i18n, overlap_guide_step),
        stage.number()
    );
    let said = format!("({})", progress_label(i18n, progress));
    view! {
        <li
            class=format!("overlap-guide__step overlap-guide__step--{}", progress.class())
            aria-current=(progress == Progress::Current).then_some("step")
        >
            <h3 class="overlap-guide__title">
                <span class="overlap-guide__number">{number}</span>
                {stage_title(i18n, stage)}
                " "
                <span class="overlap-guide__progress">{said}</span>
            </h3>
            {children()}
        </li>
    }
}

/// The overlap as its side's coordinator sees it: the steps in order, each with what it needs,
/// then the history and the notes. `done` is the landing's `done=`.
#[component]
pub fn OverlapGuide(
    o: OverlapView,
    done: String,
    act: ServerAction<OverlapStep>,
    consent: ServerAction<ConsentToDisclose>,
) -> impl IntoView {
    let i18n = use_i18n();
    let w = o.workflow.clone();
    let mine_acknowledged = usize::try_from(w.my_side - 1)
        .ok()
        .and_then(|i| w.acknowledged.get(i))
        .is_some_and(Option::is_some);
    let facts = Facts {
        state: w.state,
        acknowledged: mine_acknowledged,
        consented: o.mine.consents,
        shareable: o.can_consent,
    };
    let progress = move |stage: Stage| facts.progress(stage);
    let can = |step: Step| w.allowed.contains(&step);
    let (id, version) = (o.id, w.version);
    let names = w.side_names.clone();
    let (my_jv, their_jv) = (
        o.mine.joint_venture.name.clone(),
        o.theirs.joint_venture.name.clone(),
    );
    let confirmed = done_of(&done).map(|d| confirmation(i18n, d, &o, &facts));
    let acted = Signal::derive(move || act.value().get());
    let consented = Signal::derive(move || consent.value().get());

    // 1. What matched: the match in words, both sides as far as the viewer may see them, and
    // whom to call.
    let how_strong = match &o.evidence {
        // Operations: how close they are says it (the evidence).
        Evidence::Operation { .. } => None,
        _ => Some(view! {
            <dt>{t!(i18n, overlap_strength)}</dt>
            <dd>
                {strength_label(i18n, o.score)} " · "
                <a href="/help#matching">{t!(i18n, overlap_strength_help)}</a>
            </dd>
        }),
    };
    let withdrawn = o.withdrawn;
    // Withdrawn because the giving side asked for it to be deleted, not by a handling code.
    let deleted_for_me = o.deletions.iter().any(|d| !d.mine);
    let disclosed_on = o.disclosed_at.as_ref().map(minute);
    let side = move |side: Side, mine: bool| {
        let heading = if mine {
            t_string!(i18n, overlap_my_side)
        } else {
            t_string!(i18n, overlap_their_side)
        };
        view! {
            <div class="overlap-side">
                <h4>{heading} ": " {side.joint_venture.name.clone()}</h4>
                {match side.case.clone() {
                    Some((case_id, reference, title)) => view! {
                        <p>
                            {t!(i18n, overlap_case)} " "
                            {if mine {
                                view! { <a href=format!("/cases/{case_id}")>{reference}</a> }.into_any()
                            } else {
                                view! { <span>{reference}</span> }.into_any()
                            }}
                            ": " {title}
                        </p>
                    }.into_any(),
                    None if !mine && withdrawn && deleted_for_me => view! {
                        <p class="alert alert--warning">{t!(i18n, deletion_withdrawn_short)}</p>
                    }.into_any(),
                    None if !mine && withdrawn => view! {
                        <p class="alert alert--warning">{t!(i18n, overlap_withdrawn)}</p>
                    }.into_any(),
                    None => view! { <p class="muted">{t!(i18n, overlap_not_disclosed)}</p> }.into_any(),
                }}
                {side.item.clone().map(|item| view! { <p>{t!(i18n, overlap_matched)} " " <strong>{item}</strong></p> })}
                {(!mine && !withdrawn).then(|| disclosed_on.clone()).flatten().map(|on| view! {
                    <p class="muted">{format!("{} {on}", t_string!(i18n, overlap_disclosed_on))} " — " {t!(i18n, overlap_frozen_note)}</p>
                })}
            </div>
        }
    };
    let matched = view! {
        <dl class="facts">
            <dt>{t!(i18n, overlap_what_matched)}</dt><dd>{match_label(i18n, &o.match_kind)}</dd>
            {how_strong}
            <dt>{t!(i18n, overlap_evidence)}</dt><dd>{evidence_text(i18n, &o.evidence)}</dd>
            <dt>{t!(i18n, overlap_found)}</dt><dd>{minute(&o.created_at)}</dd>
        </dl>
        {match &o.evidence {
            Evidence::Weighed { prior, fields } => Some(view! {
                <Waterfall prior=*prior fields=fields.clone() score=o.score />
            }),
            _ => None,
        }}
        <div class="overlap-sides">
            {side(o.mine.clone(), true)}
            {side(o.theirs.clone(), false)}
        </div>
        <h4>{t!(i18n, overlap_contacts)}</h4>
        <ul>
            {o.contacts.iter().map(|c| view! {
                <li>{c.name.clone()} " (" {c.organisation.clone()} "), " <a href=format!("mailto:{}", c.email)>{c.email.clone()}</a></li>
            }).collect_view()}
        </ul>
    };

    // 2. Acknowledge: both sides, before anything can be decided.
    let acknowledgements = w
        .acknowledged
        .iter()
        .zip(&names)
        .map(|(a, name)| {
            view! {
                <dt>{t!(i18n, overlap_acknowledged_by_side)} " " {name.clone()}</dt>
                <dd>{match a.clone() {
                    Some((at, who)) => format!("{} ({who})", minute(&at)),
                    None => t_string!(i18n, overlap_not_yet).to_string(),
                }}</dd>
            }
        })
        .collect_view();
    let acknowledge = view! {
        <p>{t!(i18n, overlap_guide_acknowledge_text)}</p>
        <dl class="facts">
            {(w.state == State::Open).then(|| view! {
                <dt>{t!(i18n, overlap_acknowledge_by)}</dt><dd>{crate::ui::format::date(i18n, &w.acknowledge_by)}</dd>
            })}
            {acknowledgements}
        </dl>
        {can(Step::Acknowledge).then(|| view! {
            <StepButton act id version step=Step::Acknowledge
                label=t_string!(i18n, overlap_acknowledge_button).to_string() primary=true />
        })}
    };

    // 3. Share, or not: what sharing shows, who agreed, what was shared and when.
    let consents = |agrees: bool| {
        if agrees {
            t_string!(i18n, overlap_consents_yes)
        } else {
            t_string!(i18n, overlap_consents_no)
        }
    };
    let withheld = o.withheld.map(|why| match why {
        Withheld::MinePointerOnly => t_string!(i18n, overlap_withheld_mine_pointer_only),
        Withheld::MineNotNamed => t_string!(i18n, overlap_withheld_mine_not_named),
        Withheld::Theirs => t_string!(i18n, overlap_withheld_theirs),
    });
    let received = o
        .theirs
        .case
        .clone()
        .map(|(_, reference, title)| match o.theirs.item.clone() {
            Some(item) => format!("{reference}: {title}; {item}"),
            None => format!("{reference}: {title}"),
        });
    let shared = match (o.disclosed_at.as_ref(), withdrawn) {
        (Some(at), false) => Some(view! {
            <div class="alert alert--info overlap-shared">
                <p>
                    <strong>{format!("{} {}", t_string!(i18n, overlap_disclosed_on), minute(at))}</strong>
                    " — " {t!(i18n, overlap_disclosed_what)}
                </p>
                <ul>
                    <li>{t!(i18n, overlap_disclosed_given)} " " {their_jv.clone()} ": " {t!(i18n, overlap_disclosed_given_what)}</li>
                    {received.map(|r| view! { <li>{t!(i18n, overlap_disclosed_received)} " " {their_jv.clone()} ": " {r}</li> })}
                </ul>
            </div>
        }.into_any()),
        (Some(_), true) if deleted_for_me => None,
        (Some(_), true) => Some(view! {
            <p class="alert alert--warning">{t!(i18n, overlap_withdrawn_short)}</p>
        }.into_any()),
        (None, _) => None,
    };
    let share_first =
        facts.shareable && !facts.acknowledged && !facts.consented && w.state != State::Closed;
    let legal_bases = o.legal_bases.clone();
    let purposes = o.purposes.clone();
    let four_eyes = o.four_eyes.clone();
    let withdrawable = o.mine.consents && !o.disclosed && w.state != State::Closed;
    let missing_grounds = o.disclosed && !o.withdrawn && o.grounds.len() < 2;
    let grounds_list = (!o.grounds.is_empty() || missing_grounds).then(|| {
        let my_side = o.my_side;
        let rows = o
            .grounds
            .iter()
            .map(|g| {
                let who = if g.side == my_side {
                    format!("{} ({})", my_jv, t_string!(i18n, overlap_your_side_short))
                } else {
                    their_jv.clone()
                };
                let note = (!g.purpose_note.is_empty()).then(|| format!(" – {}", g.purpose_note));
                view! {
                    <li>
                        {who} ": " {g.purpose_label.clone()} {note} "; "
                        {t!(i18n, grounds_basis)} " " {g.legal_basis_label.clone()}
                        " (" {minute(&g.given_at)} ")"
                        {g.approved_by.clone().map(|by| if by.is_empty() {
                            format!("; {}", t_string!(i18n, approval_approved_four_eyes))
                        } else {
                            format!("; {} {by}", t_string!(i18n, approval_approved_by))
                        })}
                    </li>
                }
            })
            .collect_view();
        view! {
            <h4>{t!(i18n, grounds_title)}</h4>
            <ul class="plain-list">{rows}</ul>
            {missing_grounds.then(|| view! { <p class="muted">{t!(i18n, grounds_missing)}</p> })}
        }
    });
    let share = view! {
        <p>{t!(i18n, overlap_guide_share_text)}</p>
        <ul class="plain-list">
            <li>{my_jv.clone()} " (" {t!(i18n, overlap_your_side_short)} "): " {consents(o.mine.consents)}</li>
            <li>{their_jv.clone()} ": " {consents(o.theirs.consents)}</li>
        </ul>
        {withheld.map(|why| view! { <p class="muted">{why}</p> })}
        {shared}
        {share_first.then(|| view! { <p class="muted">{t!(i18n, overlap_guide_share_after_acknowledge)}</p> })}
        {grounds_list}
        <FourEyesBox four_eyes=four_eyes.clone() my_jv=my_jv.clone() offered=facts.offers_consent() />
        {(facts.offers_consent() && four_eyes.may_ask()).then(|| view! { <ConsentForm consent id purposes legal_bases /> })}
        {withdrawable.then(|| view! { <WithdrawConsentForm id /> })}
        <DeletionBox id deletions=o.deletions.clone() may_request=o.may_request_deletion />
    };

    // 4. Decide: the decision, or the form, or why it is not open yet.
    let proposal = proposal_text(i18n, &w);
    let proposed_by_me = w.proposal.is_some_and(|(_, by)| i32::from(by) == w.my_side);
    let decide = match w.state {
        State::Decided | State::Closed => view! {
            <dl class="facts">
                <dt>{t!(i18n, overlap_decision)}</dt>
                <dd>
                    {w.decision.map(|d| decision_label(i18n, d, &names))}
                    {w.ruled.then(|| view! { " (" {t!(i18n, overlap_ruled)} ")" })}
                </dd>
                {w.decided_at.as_ref().map(|at| view! {
                    <dt>{t!(i18n, overlap_decided_on)}</dt><dd>{minute(at)}</dd>
                })}
                <dt>{t!(i18n, users_status_label)}</dt><dd>{state_label(i18n, w.state)}</dd>
            </dl>
            {(w.state == State::Decided).then(|| view! { <p>{t!(i18n, overlap_guide_close_text)}</p> })}
            {can(Step::Close).then(|| view! {
                <StepButton act id version step=Step::Close label=t_string!(i18n, overlap_close_button).to_string() />
            })}
            {can(Step::Reopen).then(|| view! { <ReopenForm act id version /> })}
        }.into_any(),
        State::Open => view! {
            <p class="muted">
                {if facts.acknowledged {
                    t_string!(i18n, overlap_guide_decide_waiting)
                } else {
                    t_string!(i18n, overlap_guide_decide_after_both)
                }}
            </p>
        }.into_any(),
        State::Acknowledged => view! {
            <p>{t!(i18n, overlap_guide_decide_text)}</p>
            {w.decide_by.clone().map(|d| view! {
                <dl class="facts"><dt>{t!(i18n, overlap_decide_by)}</dt><dd>{crate::ui::format::date(i18n, &d)}</dd></dl>
            })}
            {proposal.map(|p| view! { <p><strong>{p}</strong></p> })}
            {proposed_by_me.then(|| view! { <p class="muted">{t!(i18n, overlap_next_wait_agreement)}</p> })}
            {can(Step::Agree).then(|| {
                let label = format!(
                    "{}: {}",
                    t_string!(i18n, overlap_agree_button),
                    w.proposal.map(|(d, _)| decision_label(i18n, d, &names)).unwrap_or_default()
                );
                view! { <StepButton act id version step=Step::Agree label primary=true /> }
            })}
            {can(Step::Propose).then(|| view! {
                <DecisionForm act id version rule=false names=names.clone() nested=true />
            })}
        }.into_any(),
    };

    view! {
        <h1>{t!(i18n, overlap_title)} ": " {match_label(i18n, &o.match_kind)}</h1>
        {confirmed.map(|m| view! { <p class="alert alert--success" role="status">{m}</p> })}
        <Show when=move || general_error(i18n, consented.get()).is_some()>
            <p class="alert alert--error" role="alert">{move || general_error(i18n, consented.get())}</p>
        </Show>
        <Show when=move || general_error(i18n, acted.get()).is_some()>
            <p class="alert alert--error" role="alert">{move || general_error(i18n, acted.get())}</p>
        </Show>
        {o.urgent.then(|| view! { <p class="alert alert--warning" role="status">{t!(i18n, overlap_urgent_text)}</p> })}
        {o.purged_on.clone().map(|on| view! {
            <p class="alert alert--info" role="status">{t!(i18n, retention_overlap_purged)} " " {crate::ui::format::date(i18n, &on)}</p>
        })}
        <section class="section" aria-labelledby="guide-heading">
            <h2 id="guide-heading">{t!(i18n, overlap_guide_title)}</h2>
            <p>{t!(i18n, overlap_guide_order)}</p>
            <ol class="overlap-guide">
                <GuideStep stage=Stage::Matched progress=progress(Stage::Matched)>{matched}</GuideStep>
                <GuideStep stage=Stage::Acknowledge progress=progress(Stage::Acknowledge)>{acknowledge}</GuideStep>
                <GuideStep stage=Stage::Share progress=progress(Stage::Share)>{share}</GuideStep>
                <GuideStep stage=Stage::Decide progress=progress(Stage::Decide)>{decide}</GuideStep>
            </ol>
        </section>
        <WorkflowPanel id workflow=w.clone() guided=true />
    }
}
