//! The server functions: check the caller, call a use-case, map the answer.

use crate::error::AppError;
use crate::partnerships::types::{JointVentureDetail, JointVentureRow, MapFilter, PartnershipMap};
use leptos::prelude::*;

#[server(endpoint = "partnership_map")]
pub async fn get_partnership_map(
    #[server(default)] filter: MapFilter,
) -> Result<PartnershipMap, AppError> {
    use crate::{access::Action, access::Object, access::require};
    use crate::{partnerships::map::snapshot, partnerships::store::reviewed_pairs};
    crate::server::respond(
        async {
            let user = crate::server::caller::require_user().await?;
            require(&user, Action::Read, Object::PartnershipMap)?;
            let db = crate::server::db()?;
            let snapshot = snapshot(&db).await?;
            Ok(snapshot.map(&filter, &reviewed_pairs(&db).await?))
        }
        .await,
    )
}

#[server(endpoint = "joint_ventures")]
pub async fn list_joint_ventures() -> Result<Vec<JointVentureRow>, AppError> {
    use crate::{access::Action, access::Object, access::require};
    crate::server::respond(
        async {
            let user = crate::server::caller::require_user().await?;
            require(&user, Action::Read, Object::PartnershipMap)?;
            let db = crate::server::db()?;
            Ok(crate::partnerships::map::snapshot(&db).await?.list())
        }
        .await,
    )
}

#[server(endpoint = "joint_venture")]
pub async fn get_joint_venture(id: i32) -> Result<JointVentureDetail, AppError> {
    use crate::{access::Action, access::Object, access::may, access::require};
    crate::server::respond(
        async {
            let user = crate::server::caller::require_user().await?;
            require(&user, Action::Read, Object::JointVenture(id))?;
            let db = crate::server::db()?;
            let contacts = may(&user, Action::Read, Object::JointVentureContacts(id));
            let mut detail = crate::partnerships::detail::detail(&db, id, contacts).await?;
            detail.may_review = detail.overlaps.iter().any(|o| {
                may(
                    &user,
                    Action::Review,
                    Object::MandateOverlap(o.first.id, o.second.id),
                )
            });
            detail.you_coordinate = user.coordinates.contains(&id);
            detail.may_manage = may(&user, Action::Manage, Object::Partnerships);
            Ok(detail)
        }
        .await,
    )
}

#[server(endpoint = "mark_mandate_overlap_intended")]
pub async fn mark_mandate_overlap_intended(
    first: i32,
    second: i32,
    #[server(default)] justification: String,
    return_to: i32,
) -> Result<(), AppError> {
    use crate::{access::Action, access::Object, access::require};
    let result = async {
        let user = crate::server::caller::require_user().await?;
        require(&user, Action::Review, Object::MandateOverlap(first, second))?;
        let db = crate::server::db()?;
        crate::partnerships::detail::mark_intended(&db, &user, first, second, &justification).await
    }
    .await;
    if result.is_ok() {
        leptos_axum::redirect(&format!("/joint-ventures/{return_to}?reviewed=1"));
    }
    crate::server::respond(result)
}
