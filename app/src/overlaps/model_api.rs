//! `/admin/matching`'s server functions: the person model in force (its parameters, when and
//! by whom they were estimated) for administrators, privacy officers and auditors to read, and
//! a new estimation from the stored data for administrators (audited).

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One level of a field: how often a true match shows it (m), how often two different persons
/// do (u), and its weight in bits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelView {
    /// The level's code (`exact`, `close`, …).
    pub level: String,
    pub m: f64,
    pub u: f64,
    pub weight: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldView {
    /// `family`, `given`, `birth` or `nationality`.
    pub field: String,
    pub levels: Vec<LevelView>,
}

/// When and how the parameters in force were estimated; `None` while the defaults apply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainedView {
    pub trained_at: crate::domain::dates::LocalMoment,
    pub trained_by: String,
    pub persons: u64,
    pub random_pairs: u64,
    pub blocked_pairs: u64,
    pub iterations: u32,
    pub converged: bool,
    pub expected_matches: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelView {
    pub trained: Option<TrainedView>,
    pub fields: Vec<FieldView>,
    pub swapped: f64,
    pub shared_m: f64,
    pub shared_u: f64,
    pub matched_share: f64,
    pub likely: f64,
    pub possible: f64,
    /// Whether the caller may estimate again (administrators).
    pub may_train: bool,
}

#[server(endpoint = "matching_model")]
pub async fn get_matching_model() -> Result<ModelView, AppError> {
    use crate::{access::Action, access::Object, access::require};
    crate::server::respond(
        async {
            let user = crate::server::caller::require_user().await?;
            require(&user, Action::Read, Object::MatchingModel)?;
            let db = crate::server::db()?;
            let trained = crate::overlaps::training::latest(&db).await?;
            Ok(crate::overlaps::model_admin::view(
                trained,
                crate::access::may(&user, Action::Manage, Object::MatchingModel),
            ))
        }
        .await,
    )
}

/// Estimates the person model again from the stored persons and puts it in force.
#[server(endpoint = "train_matching_model")]
pub async fn train_matching_model() -> Result<(), AppError> {
    use crate::{access::Action, access::Object, access::require};
    let result = async {
        let user = crate::server::caller::require_user().await?;
        require(&user, Action::Manage, Object::MatchingModel)?;
        let db = crate::server::db()?;
        let matching = crate::overlaps::candidates::matching()?;
        crate::overlaps::training::train(
            &db,
            &matching,
            crate::overlaps::training::Trainer::Admin(&user),
        )
        .await
    }
    .await;
    if let Ok(trained) = &result {
        let query = if trained.is_some() {
            "trained=1"
        } else {
            "trained=0"
        };
        crate::server::land("/admin/matching", query);
    }
    crate::server::respond(result.map(|_| ()))
}
