//! The history's signals: eight to twelve a month, reported by the reception centres, the
//! border police, the immigration service and the police, routed by the demo's rules (by
//! theme), assessed, and followed up (linked to a history case, added to one, or forwarded)
//! or closed without action; most in time, some late, most with feedback to the reporter.

use super::save::Stored;
use super::{Calendar, CasePlan, Clock, Dice, Known, after, days, stamp};
use crate::demo::cases::{AMSTERDAM, NORTH, TRAVEL};
use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime};
use liaison_app::domain::{SignalNature, SignalOutcome, SignalState, Theme, Urgency};
use liaison_app::server::entity::{signal, signal_event};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, sea_query::Expr,
};

/// How a signal ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Ending {
    /// Followed up: linked to or added to a history case (its index in the plan), or
    /// forwarded to a service.
    FollowedUp {
        outcome: SignalOutcome,
        case: Option<usize>,
        service: Option<&'static str>,
    },
    /// Closed without action, for a reason.
    NoAction(&'static str),
}

/// A signal as planned.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct SignalPlan {
    pub(super) reporter: &'static str,
    pub(super) nature: SignalNature,
    pub(super) theme: Theme,
    pub(super) category: &'static str,
    pub(super) observed: &'static str,
    pub(super) observed_on: NaiveDate,
    pub(super) place: &'static str,
    pub(super) municipality: Option<&'static str>,
    pub(super) urgency: Urgency,
    pub(super) anonymous: bool,
    /// The joint venture the routing rule gave it to.
    pub(super) owner: &'static str,
    pub(super) reported: NaiveDateTime,
    pub(super) assessed: NaiveDateTime,
    pub(super) routed: Option<NaiveDateTime>,
    pub(super) closed: NaiveDateTime,
    pub(super) ending: Ending,
    pub(super) feedback: Option<(NaiveDateTime, &'static str)>,
}

/// A desk that reports: the demo account, how often its signals are soft (in percent), and
/// where it notices things.
struct Desk {
    username: &'static str,
    soft: u32,
    places: &'static [(&'static str, Option<&'static str>)],
}

const DESKS: &[Desk] = &[
    Desk {
        username: "reporter",
        soft: 75,
        places: &[
            ("Aanmeldcentrum Ter Apel", Some("GM1950")),
            ("Azc Budel", Some("GM1706")),
            ("Azc Zwolle", Some("GM0193")),
            ("Opvanglocatie Rotterdam", Some("GM0599")),
            ("Noodopvang, tijdelijke locatie", None),
        ],
    },
    Desk {
        username: "reporter-kmar",
        soft: 35,
        places: &[
            ("Schiphol, paspoortcontrole", Some("GM0394")),
            ("Grensovergang Hazeldonk", Some("GM0758")),
            ("Trein Roosendaal–Antwerpen", Some("GM1674")),
            ("A7 bij Bad Nieuweschans", Some("GM1895")),
        ],
    },
    Desk {
        username: "reporter-ind",
        soft: 45,
        places: &[
            ("IND-loket Den Haag", Some("GM0518")),
            ("IND-loket Zevenaar", Some("GM0299")),
            ("Gehoor in het aanmeldcentrum", Some("GM1950")),
            ("IND-loket Amsterdam", Some("GM0363")),
        ],
    },
    Desk {
        username: "reporter-police",
        soft: 50,
        places: &[
            ("Politiebureau Amsterdam-West", Some("GM0363")),
            ("Wijkteam Rotterdam-Zuid", Some("GM0599")),
            ("Politiebureau Eindhoven", Some("GM0772")),
            ("Politiebureau Enschede", Some("GM0153")),
            ("Controle op de snelweg", None),
        ],
    },
];

/// Who notices what: per theme, the desks by weight.
fn desks(theme: Theme) -> &'static [(&'static str, u32)] {
    match theme {
        Theme::Trafficking => &[
            ("reporter", 45),
            ("reporter-police", 30),
            ("reporter-ind", 15),
            ("reporter-kmar", 10),
        ],
        Theme::Smuggling => &[
            ("reporter-kmar", 45),
            ("reporter", 25),
            ("reporter-ind", 15),
            ("reporter-police", 15),
        ],
        Theme::Terrorism => &[
            ("reporter-police", 40),
            ("reporter-kmar", 30),
            ("reporter-ind", 20),
            ("reporter", 10),
        ],
    }
}

/// The joint venture the demo's routing rule gives a theme to.
fn owner_of(theme: Theme) -> &'static str {
    match theme {
        Theme::Trafficking => AMSTERDAM,
        Theme::Smuggling => NORTH,
        Theme::Terrorism => TRAVEL,
    }
}

fn categories(theme: Theme, nature: SignalNature) -> &'static [&'static str] {
    match (theme, nature) {
        (Theme::Trafficking, SignalNature::Soft) => &["exploitation", "control_by_other"],
        (Theme::Trafficking, SignalNature::Hard) => {
            &["exploitation", "document_fraud", "financial"]
        }
        (Theme::Smuggling, SignalNature::Soft) => &["travel_pattern", "control_by_other"],
        (Theme::Smuggling, SignalNature::Hard) => {
            &["document_fraud", "travel_pattern", "financial"]
        }
        (Theme::Terrorism, SignalNature::Soft) => &["radicalisation", "travel_pattern"],
        (Theme::Terrorism, SignalNature::Hard) => {
            &["radicalisation", "financial", "document_fraud"]
        }
    }
}

fn observations(category: &str) -> &'static [&'static str] {
    match category {
        "exploitation" => &[
            "Een bewoonster werkt lange dagen in een nagelsalon en geeft haar loon af aan een man die haar ophaalt.",
            "Een jongen vertelt dat hij zijn reis moet terugbetalen door in een kwekerij te werken.",
            "Een vrouw heeft geen eigen telefoon en mag alleen onder begeleiding naar buiten.",
        ],
        "control_by_other" => &[
            "Een reisgenoot beantwoordt alle vragen voor een jonge vrouw en houdt haar papieren bij zich.",
            "Een minderjarige wordt elke avond door dezelfde auto opgehaald bij de opvang.",
            "Een man bepaalt wie van de groep met de medewerkers mag praten.",
        ],
        "document_fraud" => &[
            "Een reiziger toont een verblijfsdocument waarvan het hologram ontbreekt.",
            "Twee reizigers hebben paspoorten met opeenvolgende nummers en dezelfde fotoachtergrond.",
            "De pagina met persoonsgegevens van een paspoort is opnieuw gelamineerd.",
        ],
        "travel_pattern" => &[
            "Een reiziger maakte in een maand vijf retourvluchten naar dezelfde bestemming, zonder bagage.",
            "Een groep reist op tickets die met één creditcard zijn betaald.",
            "Iemand vroeg naar een route naar het Verenigd Koninkrijk en had contant geld bij zich voor meerdere personen.",
        ],
        "radicalisation" => &[
            "Een bewoner toont propaganda van een terroristische organisatie aan medebewoners.",
            "Een jongere verheerlijkt een recente aanslag en zoekt contact met gelijkgezinden.",
            "Iemand vraagt herhaaldelijk naar reismogelijkheden naar een conflictgebied.",
        ],
        "financial" => &[
            "Een bewoner ontvangt wekelijks geld van verschillende onbekende afzenders.",
            "Bij een controle had een reiziger twaalfduizend euro contant bij zich, zonder verklaring.",
            "Eén rekening ontvangt betalingen van meerdere bewoners.",
        ],
        _ => &["Een situatie die de melder niet vertrouwde."],
    }
}

const SERVICES: &[&str] = &[
    "Zorgcoördinatie CoMensha",
    "Vreemdelingenpolitie",
    "Nederlandse Arbeidsinspectie",
    "Veilig Thuis",
    "Expertisecentrum Mensenhandel en Mensensmokkel",
];

const NO_ACTION: &[&str] = &[
    "Na een gesprek met de betrokkene geen aanwijzingen voor uitbuiting of smokkel.",
    "Het signaal gaat over een situatie die al in een lopend onderzoek is meegenomen.",
    "Onvoldoende concrete informatie om op te volgen; de melder is om aanvulling gevraagd.",
    "De betrokkene blijkt rechtmatig te reizen; het document is echt.",
];

const THANKS: &[&str] = &[
    "Dank voor uw melding. Wij hebben dit opgepakt met onze partners.",
    "Uw signaal is meegenomen in een onderzoek. Dank voor uw oplettendheid.",
    "We hebben uw signaal beoordeeld en doorgezet naar de juiste instantie.",
];

const NO_ACTION_FEEDBACK: &str = "We hebben uw signaal beoordeeld en ondernemen geen verdere actie. Blijf vergelijkbare situaties melden.";

/// The signals of the twelve months of the history.
pub(super) fn plan(calendar: &Calendar, cases: &[CasePlan], dice: &mut Dice) -> Vec<SignalPlan> {
    let first = calendar.quarters[0].0;
    let mut signals = Vec::new();
    for month in 0..12 {
        let (Some(start), Some(next)) = (
            first.checked_add_months(Months::new(month)),
            first.checked_add_months(Months::new(month + 1)),
        ) else {
            continue;
        };
        let length = u32::try_from((next - start).num_days())
            .unwrap_or(28)
            .max(1);
        // The last month's reports are from its first half, so that they can have been dealt
        // with before the quarter ended.
        let latest = if month == 11 { length / 2 } else { length - 1 };
        for _ in 0..dice.between(8, 12) {
            let day = start + days(dice.between(0, latest));
            signals.push(one(calendar, cases, dice, day));
        }
    }
    signals
}

fn one(calendar: &Calendar, cases: &[CasePlan], dice: &mut Dice, day: NaiveDate) -> SignalPlan {
    let theme = match dice.between(0, 99) {
        0..=44 => Theme::Trafficking,
        45..=84 => Theme::Smuggling,
        _ => Theme::Terrorism,
    };
    let reporter = weighted(dice, desks(theme));
    let desk = DESKS
        .iter()
        .find(|d| d.username == reporter)
        .unwrap_or(&DESKS[0]);
    let nature = if dice.chance(desk.soft) {
        SignalNature::Soft
    } else {
        SignalNature::Hard
    };
    let category = dice.pick(categories(theme, nature));
    let observed = dice.pick(observations(category));
    let (place, municipality) = dice.pick(desk.places);
    let urgency = if dice.chance(8) {
        Urgency::Urgent
    } else {
        Urgency::Normal
    };
    let anonymous = dice.chance(6);
    // Working days to assess and to decide (the demo's settings); some signals took longer.
    let (assess_days, decide_days) = match urgency {
        Urgency::Urgent => (1, 5),
        Urgency::Normal => (2, 10),
    };
    let assess = if dice.chance(15) {
        dice.between(assess_days + 1, assess_days + 4)
    } else {
        dice.between(0, assess_days)
    };
    let followed_up = dice.chance(65);
    let route = dice.between(0, 1);
    let decide = if dice.chance(15) {
        dice.between(decide_days + 2, decide_days + 8)
    } else {
        dice.between(1, decide_days - 1)
    };
    let no_action = dice.between(0, 3);
    let feedback = dice.chance(if followed_up { 90 } else { 60 });
    let feedback_after = dice.between(0, 2);
    let outcome = match dice.between(0, 99) {
        0..=49 => SignalOutcome::LinkedCase,
        50..=74 => SignalOutcome::AddedToCase,
        _ => SignalOutcome::Forwarded,
    };
    let service = dice.pick(SERVICES);
    let reason = dice.pick(NO_ACTION);
    let thanks = dice.pick(THANKS);
    let noticed_before = dice.between(0, 3);
    // Moved back a week at a time until its last step lies before the current quarter.
    let mut reported = day;
    let (assessed, routed, closed, answered) = loop {
        let assessed = after(reported, assess);
        let routed = followed_up.then(|| after(assessed, route));
        let closed = match routed {
            Some(routed) => after(assessed, decide).max(routed),
            None => after(assessed, no_action),
        };
        let answered = feedback.then(|| after(closed, feedback_after));
        if answered.unwrap_or(closed) < calendar.last_day() || reported < calendar.quarters[0].0 {
            break (assessed, routed, closed, answered);
        }
        reported -= Duration::days(7);
    };
    let owner = owner_of(theme);
    let ending = if followed_up {
        // A case of the owner that ran when the signal was followed up, else a service.
        let case = cases
            .iter()
            .position(|c| c.joint_venture == owner && c.start <= closed && closed <= c.end)
            .filter(|_| outcome != SignalOutcome::Forwarded);
        Ending::FollowedUp {
            outcome: if case.is_some() {
                outcome
            } else {
                SignalOutcome::Forwarded
            },
            case,
            service: case.is_none().then_some(service),
        }
    } else {
        Ending::NoAction(reason)
    };
    let mut clock = Clock::default();
    let reported_at = clock.at(dice, reported);
    let assessed_at = clock.at(dice, assessed);
    let routed_at = routed.map(|day| clock.at(dice, day));
    let closed_at = clock.at(dice, closed);
    let text = if followed_up {
        thanks
    } else {
        NO_ACTION_FEEDBACK
    };
    let feedback = answered.map(|day| (clock.at(dice, day), text));
    SignalPlan {
        reporter,
        nature,
        theme,
        category,
        observed,
        observed_on: reported - days(noticed_before),
        place,
        municipality,
        urgency,
        anonymous,
        owner,
        reported: reported_at,
        assessed: assessed_at,
        routed: routed_at,
        closed: closed_at,
        ending,
        feedback,
    }
}

fn weighted(dice: &mut Dice, items: &[(&'static str, u32)]) -> &'static str {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut roll = dice.between(0, total.saturating_sub(1));
    for (item, weight) in items {
        if roll < *weight {
            return item;
        }
        roll -= *weight;
    }
    items.first().map(|(item, _)| *item).unwrap_or_default()
}

/// Writes the signals with their timelines as the intake and the steps write them; each gets
/// its reference from its id, as a new report does.
pub(super) async fn insert(
    txn: &impl ConnectionTrait,
    known: &Known,
    signals: &[SignalPlan],
    stored: &Stored,
) -> Result<(), DbErr> {
    let mut events = Vec::new();
    for (n, s) in signals.iter().enumerate() {
        let (reporter, organisation) = known.reporter(s.reporter)?;
        let owner = known.venture(s.owner)?;
        let coordinator = known.coordinators.get(&owner).copied();
        let (state, outcome, case, service, reason) = match s.ending {
            Ending::FollowedUp {
                outcome,
                case,
                service,
            } => (
                SignalState::FollowedUp,
                Some(outcome.as_str().to_owned()),
                case.and_then(|i| stored.cases.get(i)).map(|c| c.id),
                service.map(str::to_owned),
                None,
            ),
            Ending::NoAction(reason) => (
                SignalState::NoAction,
                None,
                None,
                None,
                Some(reason.to_owned()),
            ),
        };
        // Assessed, routed (when it was followed up) and ended.
        let steps = 2 + i32::from(s.routed.is_some());
        let saved = signal::ActiveModel {
            // Made unique from the id just below.
            reference: Set(format!("history-{n}")),
            organisation_id: Set(organisation),
            reported_by: Set(reporter),
            anonymous: Set(s.anonymous),
            on_behalf_of: Set(None),
            nature: Set(s.nature.as_str().to_owned()),
            theme: Set(s.theme.as_str().to_owned()),
            category_id: Set(known.category(s.category)?),
            observed: Set(s.observed.to_owned()),
            observed_on: Set(s.observed_on.to_string()),
            place: Set(s.place.to_owned()),
            municipality: Set(s.municipality.map(str::to_owned)),
            urgency: Set(s.urgency.as_str().to_owned()),
            state: Set(state.as_str().to_owned()),
            joint_venture_id: Set(Some(owner)),
            routed_by_rule: Set(s.routed.is_none()),
            created_at: Set(stamp(s.reported)),
            assessed_at: Set(Some(stamp(s.assessed))),
            assessed_by: Set(coordinator),
            routed_at: Set(s.routed.map(stamp)),
            routed_by: Set(s.routed.and(coordinator)),
            closed_at: Set(Some(stamp(s.closed))),
            closed_by: Set(coordinator),
            no_action_reason: Set(reason),
            outcome: Set(outcome),
            outcome_case_id: Set(case),
            outcome_service: Set(service),
            feedback: Set(s.feedback.map(|(_, text)| text.to_owned())),
            feedback_at: Set(s.feedback.map(|(at, _)| stamp(at))),
            duplicate_of: Set(None),
            version: Set(1 + steps),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        signal::Entity::update_many()
            .col_expr(
                signal::Column::Reference,
                Expr::value(format!("S-{}-{:05}", s.reported.year(), saved.id)),
            )
            .filter(signal::Column::Id.eq(saved.id))
            .exec(txn)
            .await?;
        let event = |at: NaiveDateTime, actor: Option<i32>, step: &str| signal_event::ActiveModel {
            signal_id: Set(saved.id),
            at: Set(stamp(at)),
            actor_id: Set(actor),
            step: Set(step.to_owned()),
            note: Set(None),
            ..Default::default()
        };
        // The timeline never names the reporter, as the intake writes it.
        events.push(event(s.reported, None, "reported"));
        events.push(event(s.reported, None, "routed_by_rule"));
        events.push(event(s.assessed, coordinator, "assess"));
        if let Some(at) = s.routed {
            events.push(event(at, coordinator, "route"));
        }
        events.push(event(
            s.closed,
            coordinator,
            match state {
                SignalState::FollowedUp => "follow_up",
                _ => "no_action",
            },
        ));
        if let Some((at, _)) = s.feedback {
            events.push(event(at, coordinator, "feedback"));
        }
    }
    for chunk in events.chunks(200) {
        signal_event::Entity::insert_many(chunk.iter().cloned())
            .exec(txn)
            .await?;
    }
    Ok(())
}
