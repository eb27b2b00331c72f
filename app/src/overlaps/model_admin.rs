//! The person model as `/admin/matching` shows it: each field's levels with m, u and weight.

use crate::overlaps::model::{BirthLevel, LIKELY, Levels, NameLevel, NationalityLevel, POSSIBLE};
use crate::overlaps::model_api::{FieldView, LevelView, ModelView, TrainedView};
use crate::overlaps::training::Trained;

fn field(name: &str, levels: &Levels, codes: &[&str]) -> FieldView {
    FieldView {
        field: name.to_owned(),
        levels: codes
            .iter()
            .enumerate()
            .map(|(i, code)| LevelView {
                level: (*code).to_owned(),
                m: levels.m[i],
                u: levels.u[i],
                weight: (levels.weight(i) * 100.0).round() / 100.0,
            })
            .collect(),
    }
}

/// The page's view of the parameters in force: the latest estimation, or the defaults.
pub fn view(trained: Option<Trained>, may_train: bool) -> ModelView {
    let params = trained
        .as_ref()
        .map(|t| t.estimate.params.clone())
        .unwrap_or_default();
    ModelView {
        fields: vec![
            field(
                "family",
                &params.family,
                &NameLevel::ALL.map(NameLevel::code),
            ),
            field("given", &params.given, &NameLevel::ALL.map(NameLevel::code)),
            field(
                "birth",
                &params.birth,
                &BirthLevel::ALL.map(BirthLevel::code),
            ),
            field(
                "birth_partial",
                &params.birth_partial,
                &BirthLevel::ALL.map(BirthLevel::code),
            ),
            field(
                "nationality",
                &params.nationality,
                &NationalityLevel::ALL.map(NationalityLevel::code),
            ),
        ],
        swapped: params.swapped,
        shared_m: params.shared_m,
        shared_u: params.shared_u,
        matched_share: params.matched_share,
        likely: LIKELY,
        possible: POSSIBLE,
        may_train,
        trained: trained.map(|t| TrainedView {
            trained_at: crate::server::time::local_moment(&t.trained_at),
            trained_by: t.trained_by,
            persons: t.persons,
            random_pairs: t.estimate.random_pairs as u64,
            blocked_pairs: t.estimate.blocked_pairs as u64,
            iterations: t.estimate.iterations as u32,
            converged: t.estimate.converged,
            expected_matches: t.estimate.expected_matches,
        }),
    }
}
