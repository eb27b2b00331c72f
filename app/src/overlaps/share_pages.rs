//! The "share" step of the overlap page: consenting with grounds, four eyes on the caller's
//! side, taking a consent back before the other side agrees, and asking (or confirming) that
//! what was shared be deleted after disclosure.

use crate::overlaps::api::{
    ConfirmDeletion, ConsentToDisclose, DecideDisclosureRequest, RequestDeletion, WithdrawConsent,
};
use crate::overlaps::approval::{ApprovalView, FourEyes, REASON_MAX_CHARS};
use crate::overlaps::grounds::{GroundsOption, NOTE_MAX_CHARS};
use crate::overlaps::workflow_pages::minute;
use crate::{i18n::*, ui::form::field_error, ui::form::general_error};
use leptos::prelude::*;

/// Agreeing to share asks why (a purpose from the list, a note for "other") and on what legal
/// ground, among those the coordinator's organisation may use; the server checks both again.
#[component]
pub(crate) fn ConsentForm(
    consent: ServerAction<ConsentToDisclose>,
    id: i32,
    purposes: Vec<GroundsOption>,
    legal_bases: Vec<GroundsOption>,
) -> impl IntoView {
    let i18n = use_i18n();
    let result = Signal::derive(move || consent.value().get());
    let purpose_error = move || field_error(result.get(), "purpose");
    let note_error = move || field_error(result.get(), "purpose_note");
    let basis_error = move || field_error(result.get(), "legal_basis");
    view! {
        <ActionForm action=consent attr:class="form" attr:novalidate="true">
            <input type="hidden" name="id" value=id />
            <div class="field" class:field--invalid=move || purpose_error().is_some()>
                <label for="consent-purpose">{t!(i18n, grounds_purpose)}</label>
                <Show when=move || purpose_error().is_some()>
                    <p class="field__error">{purpose_error}</p>
                </Show>
                <select id="consent-purpose" name="purpose" required>
                    <option value="">{t!(i18n, grounds_choose)}</option>
                    {purposes.into_iter().map(|p| view! {
                        <option value=p.code>{p.label}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field" class:field--invalid=move || note_error().is_some()>
                <label for="consent-purpose-note">{t!(i18n, grounds_note)}</label>
                <p class="field__hint" id="consent-purpose-note-hint">{t!(i18n, grounds_note_hint)}</p>
                <Show when=move || note_error().is_some()>
                    <p class="field__error">{note_error}</p>
                </Show>
                <textarea
                    id="consent-purpose-note"
                    name="purpose_note"
                    rows="2"
                    maxlength=NOTE_MAX_CHARS.to_string()
                    aria-describedby="consent-purpose-note-hint"
                ></textarea>
            </div>
            <div class="field" class:field--invalid=move || basis_error().is_some()>
                <label for="consent-legal-basis">{t!(i18n, grounds_basis_label)}</label>
                <Show when=move || basis_error().is_some()>
                    <p class="field__error">{basis_error}</p>
                </Show>
                <select id="consent-legal-basis" name="legal_basis" required>
                    <option value="">{t!(i18n, grounds_choose)}</option>
                    {legal_bases.into_iter().map(|b| view! {
                        <option value=b.code>{b.label}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button button--primary">{t!(i18n, overlap_consent_button)}</button>
        </ActionForm>
    }
}

impl FourEyes {
    /// Whether the side may ask (or consent) now: no approval needed, or a second coordinator
    /// to approve and no request already waiting.
    pub(crate) fn may_ask(&self) -> bool {
        !self.required
            || (self.second_coordinator
                && !self.request.as_ref().is_some_and(ApprovalView::waiting))
    }
}

/// Four eyes on the caller's side: that a consent needs a second coordinator (or that the
/// joint venture has none), the request that waits and its decision, or the last outcome.
#[component]
pub(crate) fn FourEyesBox(four_eyes: FourEyes, my_jv: String, offered: bool) -> impl IntoView {
    let i18n = use_i18n();
    let decide = ServerAction::<DecideDisclosureRequest>::new();
    let result = Signal::derive(move || decide.value().get());
    let reason_error = move || field_error(result.get(), "reason");
    let required = four_eyes.required.then(|| {
        if four_eyes.second_coordinator {
            view! { <p class="muted">{t!(i18n, approval_required)} " " {my_jv.clone()} "."</p> }
                .into_any()
        } else {
            view! { <p class="alert alert--warning">{t!(i18n, approval_alone)}</p> }.into_any()
        }
    });
    // Only while the side may still consent (acknowledged, not yet agreed, not closed).
    let request = four_eyes.request.clone().filter(|_| offered).map(|r| {
        let grounds = format!(
            "{}{}; {} {}",
            r.purpose,
            if r.purpose_note.is_empty() { String::new() } else { format!(" – {}", r.purpose_note) },
            t_string!(i18n, grounds_basis),
            r.legal_basis
        );
        let asked = format!(
            "{} {} ({})",
            t_string!(i18n, approval_asked_by),
            r.requested_by,
            minute(&r.requested_at)
        );
        let id = r.id;
        if r.waiting() {
            view! {
                <div class="alert alert--info" role="status">
                    <p><strong>{t!(i18n, approval_waiting)}</strong> " " {asked}</p>
                    <p>{t!(i18n, approval_grounds)} " " {grounds}</p>
                    <p>{t!(i18n, approval_due)} " " {crate::ui::format::deadline(i18n, &r.due)}</p>
                    {r.earlier_refusal.clone().map(|(by, reason)| view! {
                        <p>{t!(i18n, approval_earlier_refusal)} " " {by} ": " {reason}</p>
                    })}
                    <Show when=move || general_error(i18n, result.get()).is_some()>
                        <p class="alert alert--error" role="alert">{move || general_error(i18n, result.get())}</p>
                    </Show>
                    {if r.mine {
                        view! {
                            <p class="muted">{t!(i18n, approval_not_yours)}</p>
                            <ActionForm action=decide attr:class="inline-form">
                                <input type="hidden" name="request" value=id />
                                <input type="hidden" name="decision" value="withdraw" />
                                <button type="submit" class="button">{t!(i18n, approval_withdraw_button)}</button>
                            </ActionForm>
                        }.into_any()
                    } else {
                        view! {
                            <ActionForm action=decide attr:class="inline-form">
                                <input type="hidden" name="request" value=id />
                                <input type="hidden" name="decision" value="approve" />
                                <button type="submit" class="button button--primary">{t!(i18n, approval_approve_button)}</button>
                            </ActionForm>
                            <ActionForm action=decide attr:class="form" attr:novalidate="true">
                                <input type="hidden" name="request" value=id />
                                <input type="hidden" name="decision" value="refuse" />
                                <div class="field" class:field--invalid=move || reason_error().is_some()>
                                    <label for=format!("refuse-reason-{id}")>{t!(i18n, approval_reason)}</label>
                                    <Show when=move || reason_error().is_some()>
                                        <p class="field__error">{reason_error}</p>
                                    </Show>
                                    <textarea id=format!("refuse-reason-{id}") name="reason" rows="2"
                                        maxlength=REASON_MAX_CHARS.to_string() required></textarea>
                                </div>
                                <button type="submit" class="button">{t!(i18n, approval_refuse_button)}</button>
                            </ActionForm>
                        }.into_any()
                    }}
                </div>
            }.into_any()
        } else {
            let outcome = match r.state {
                _ if r.expired => format!(
                    "{} {}",
                    t_string!(i18n, approval_expired),
                    crate::ui::format::date(i18n, &r.due.date)
                ),
                crate::domain::ApprovalState::Approved => String::new(),
                crate::domain::ApprovalState::Refused => format!(
                    "{} {} ({}): {}",
                    t_string!(i18n, approval_refused_by),
                    r.decided_by.clone().unwrap_or_default(),
                    r.decided_at.as_ref().map(minute).unwrap_or_default(),
                    r.reason
                ),
                _ => format!(
                    "{} ({})",
                    t_string!(i18n, approval_withdrawn),
                    r.decided_at.as_ref().map(minute).unwrap_or_default()
                ),
            };
            // An approved request shows as the consent's grounds (approved by …).
            (!outcome.is_empty() && offered).then(|| view! {
                <p class="alert alert--warning">{asked} ". " {outcome}</p>
            }).into_any()
        }
    });
    view! { {required} {request} }
}

/// Taking back the side's consent, while the other side has not agreed yet.
#[component]
pub(crate) fn WithdrawConsentForm(id: i32) -> impl IntoView {
    let i18n = use_i18n();
    let withdraw = ServerAction::<WithdrawConsent>::new();
    let result = Signal::derive(move || withdraw.value().get());
    view! {
        <Show when=move || general_error(i18n, result.get()).is_some()>
            <p class="alert alert--error" role="alert">{move || general_error(i18n, result.get())}</p>
        </Show>
        <p class="muted">{t!(i18n, overlap_withdraw_consent_text)}</p>
        <ActionForm action=withdraw attr:class="inline-form">
            <input type="hidden" name="id" value=id />
            <button type="submit" class="button">{t!(i18n, overlap_withdraw_consent_button)}</button>
        </ActionForm>
    }
}

/// After disclosure: both sides' requests to delete what was shared, the form to ask, and the
/// confirmation the other side gives.
#[component]
pub(crate) fn DeletionBox(
    id: i32,
    deletions: Vec<crate::overlaps::types::DeletionView>,
    may_request: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let ask = ServerAction::<RequestDeletion>::new();
    let asked = Signal::derive(move || ask.value().get());
    let reason_error = Signal::derive(move || field_error(asked.get(), "reason"));
    let confirm = ServerAction::<ConfirmDeletion>::new();
    let confirmed = Signal::derive(move || confirm.value().get());
    if deletions.is_empty() && !may_request {
        return ().into_any();
    }
    let rows = deletions
        .into_iter()
        .map(|d| {
            let awaiting = !d.mine && d.confirmed_at.is_none();
            view! {
                <div class="alert alert--info">
                    <p>
                        {if d.mine { t_string!(i18n, deletion_asked_by_me) } else { t_string!(i18n, deletion_asked_of_me) }}
                        " " {minute(&d.requested_at)} ": " {d.reason.clone()}
                    </p>
                    {match d.confirmed_at.as_ref() {
                        Some(at) => view! { <p>{t!(i18n, deletion_confirmed)} " " {minute(at)}</p> }.into_any(),
                        None if d.mine => view! { <p>{t!(i18n, deletion_waiting)}</p> }.into_any(),
                        None => ().into_any(),
                    }}
                    {awaiting.then(|| view! {
                        <p>{t!(i18n, deletion_confirm_text)}</p>
                        <ActionForm action=confirm attr:class="inline-form">
                            <input type="hidden" name="id" value=id />
                            <button type="submit" class="button">{t!(i18n, deletion_confirm_button)}</button>
                        </ActionForm>
                    })}
                </div>
            }
        })
        .collect_view();
    view! {
        <h4>{t!(i18n, deletion_title)}</h4>
        <Show when=move || general_error(i18n, confirmed.get()).is_some()>
            <p class="alert alert--error" role="alert">{move || general_error(i18n, confirmed.get())}</p>
        </Show>
        {rows}
        {may_request.then(|| view! {
            <p class="muted">{t!(i18n, deletion_text)}</p>
            <ActionForm action=ask attr:class="form" attr:novalidate="true">
                <Show when=move || general_error(i18n, asked.get()).is_some()>
                    <p class="alert alert--error" role="alert">{move || general_error(i18n, asked.get())}</p>
                </Show>
                <input type="hidden" name="id" value=id />
                <div class="field" class:field--invalid=move || reason_error.get().is_some()>
                    <label for="deletion-reason">{t!(i18n, deletion_reason)}</label>
                    <Show when=move || reason_error.get().is_some()>
                        <p class="field__error">{move || reason_error.get()}</p>
                    </Show>
                    <textarea id="deletion-reason" name="reason" rows="2"></textarea>
                </div>
                <button type="submit" class="button">{t!(i18n, deletion_request_button)}</button>
            </ActionForm>
        })}
    }
    .into_any()
}
