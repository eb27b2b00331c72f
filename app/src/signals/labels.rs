//! The words for a signal's codes.
use crate::{
    domain::SignalNature, domain::SignalOutcome, domain::SignalState, domain::Urgency, i18n::*,
};

pub fn state_label(i18n: leptos_i18n::I18nContext<Locale>, state: SignalState) -> String {
    match state {
        SignalState::New => t_string!(i18n, signal_state_new),
        SignalState::Assessed => t_string!(i18n, signal_state_assessed),
        SignalState::Routed => t_string!(i18n, signal_state_routed),
        SignalState::FollowedUp => t_string!(i18n, signal_state_followed_up),
        SignalState::NoAction => t_string!(i18n, signal_state_no_action),
    }
    .to_string()
}

pub fn nature_label(i18n: leptos_i18n::I18nContext<Locale>, nature: SignalNature) -> String {
    match nature {
        SignalNature::Hard => t_string!(i18n, signal_hard),
        SignalNature::Soft => t_string!(i18n, signal_soft),
    }
    .to_string()
}

pub fn urgency_label(i18n: leptos_i18n::I18nContext<Locale>, urgency: Urgency) -> String {
    match urgency {
        Urgency::Normal => t_string!(i18n, signal_urgency_normal),
        Urgency::Urgent => t_string!(i18n, signal_urgency_urgent),
    }
    .to_string()
}

pub fn outcome_label(i18n: leptos_i18n::I18nContext<Locale>, outcome: SignalOutcome) -> String {
    match outcome {
        SignalOutcome::LinkedCase => t_string!(i18n, signal_outcome_linked_case),
        SignalOutcome::Forwarded => t_string!(i18n, signal_outcome_forwarded),
        SignalOutcome::AddedToCase => t_string!(i18n, signal_outcome_added_to_case),
    }
    .to_string()
}

pub(crate) fn step_label(i18n: leptos_i18n::I18nContext<Locale>, step: &str) -> String {
    match step {
        "reported" => t_string!(i18n, signal_event_reported),
        "routed_by_rule" => t_string!(i18n, signal_event_routed_by_rule),
        "attached" => t_string!(i18n, signal_event_attached),
        "report_attached" => t_string!(i18n, signal_event_report_attached),
        "owner_assigned" => t_string!(i18n, signal_event_owner_assigned),
        "assess" => t_string!(i18n, signal_step_assess),
        "route" => t_string!(i18n, signal_step_route),
        "follow_up" => t_string!(i18n, signal_step_follow_up),
        "no_action" => t_string!(i18n, signal_step_no_action),
        "feedback" => t_string!(i18n, signal_event_feedback),
        _ => t_string!(i18n, signal_event_other),
    }
    .to_string()
}
