//! The administrators' server functions for organisations, regions and joint ventures.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::i18n::*;
use crate::partnerships::admin_types::{
    JointVentureForm, JointVentureInput, MemberInput, OrganisationInput, OrganisationRow,
    RegionInput, RegionRow,
};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub(crate) async fn admin() -> Result<crate::server::caller::Caller, AppError> {
    use crate::{access::Action, access::Object, access::require};
    let user = crate::server::caller::require_user().await?;
    require(&user, Action::Manage, Object::Partnerships)?;
    Ok(user)
}

#[cfg(feature = "ssr")]
pub(crate) fn land(path: &str, done: &str) {
    crate::server::land(path, &format!("done={done}"));
}

#[server(endpoint = "admin/organisations")]
pub async fn list_organisations() -> Result<Vec<OrganisationRow>, AppError> {
    crate::server::respond(
        async {
            admin().await?;
            crate::partnerships::organisations::organisations(&crate::server::db()?).await
        }
        .await,
    )
}

#[server(endpoint = "admin/save_organisation")]
pub async fn save_organisation(
    id: Option<i32>,
    #[server(default)] organisation: OrganisationInput,
) -> Result<(), AppError> {
    use crate::partnerships::organisations;
    let result = async {
        let admin = admin().await?;
        let valid = organisations::parse_organisation(&organisation)?;
        organisations::save_organisation(&crate::server::db()?, &admin, id, valid).await
    }
    .await;
    if result.is_ok() {
        land("/admin/organisations", "saved");
    }
    crate::server::respond(result.map(|_| ()))
}

#[server(endpoint = "admin/regions")]
pub async fn list_regions() -> Result<Vec<RegionRow>, AppError> {
    crate::server::respond(
        async {
            admin().await?;
            crate::partnerships::organisations::regions(&crate::server::db()?).await
        }
        .await,
    )
}

#[server(endpoint = "admin/add_region")]
pub async fn add_region(#[server(default)] region: RegionInput) -> Result<(), AppError> {
    let result = async {
        let admin = admin().await?;
        crate::partnerships::organisations::add_municipality(&crate::server::db()?, &admin, &region)
            .await
    }
    .await;
    if result.is_ok() {
        land("/admin/regions", "saved");
    }
    crate::server::respond(result)
}

#[server(endpoint = "admin/joint_venture_form")]
pub async fn get_joint_venture_form(id: Option<i32>) -> Result<JointVentureForm, AppError> {
    crate::server::respond(
        async {
            admin().await?;
            crate::partnerships::manage::form(&crate::server::db()?, id).await
        }
        .await,
    )
}

#[server(endpoint = "admin/save_joint_venture")]
pub async fn save_joint_venture(
    id: Option<i32>,
    #[server(default)] venture: JointVentureInput,
) -> Result<(), AppError> {
    use crate::partnerships::{manage, organisations};
    let result = async {
        let admin = admin().await?;
        let db = crate::server::db()?;
        let valid =
            manage::parse_joint_venture(&venture, &organisations::region_codes(&db).await?)?;
        manage::save_joint_venture(&db, &admin, id, valid).await
    }
    .await;
    if let Ok(saved) = result {
        land(&format!("/admin/joint-ventures/{saved}"), "saved");
    }
    crate::server::respond(result.map(|_| ()))
}

#[server(endpoint = "admin/add_member")]
pub async fn add_member(
    joint_venture_id: i32,
    #[server(default)] member: MemberInput,
) -> Result<(), AppError> {
    let result = async {
        let admin = admin().await?;
        crate::partnerships::manage::add_member(
            &crate::server::db()?,
            &admin,
            joint_venture_id,
            &member,
        )
        .await
    }
    .await;
    if result.is_ok() {
        land(
            &format!("/admin/joint-ventures/{joint_venture_id}"),
            "member_added",
        );
    }
    crate::server::respond(result)
}

#[server(endpoint = "admin/end_member")]
pub async fn end_member(
    membership_id: i32,
    #[server(default)] until: String,
) -> Result<(), AppError> {
    let result = async {
        let admin = admin().await?;
        crate::partnerships::manage::end_member(
            &crate::server::db()?,
            &admin,
            membership_id,
            &until,
        )
        .await
    }
    .await;
    if let Ok(joint_venture_id) = result {
        land(
            &format!("/admin/joint-ventures/{joint_venture_id}"),
            "member_ended",
        );
    }
    crate::server::respond(result.map(|_| ()))
}

/// Adds or removes a coordinator (`kind=coordinator`) or an overseeing manager
/// (`kind=manager`).
#[server(endpoint = "admin/assign")]
pub async fn assign(
    joint_venture_id: i32,
    #[server(default)] user_id: String,
    #[server(default)] kind: String,
    #[server(default)] remove: bool,
) -> Result<(), AppError> {
    let result = async {
        let admin = admin().await?;
        let locale = crate::language::request_locale();
        let user_id = user_id
            .trim()
            .parse::<i32>()
            .map_err(|_| AppError::invalid("user_id", td_string!(locale, err_choose_from_list)))?;
        let as_manager = match kind.as_str() {
            "coordinator" => false,
            "manager" => true,
            _ => {
                return Err(AppError::invalid(
                    "kind",
                    td_string!(locale, err_choose_from_list),
                ));
            }
        };
        crate::partnerships::manage::assign(
            &crate::server::db()?,
            &admin,
            joint_venture_id,
            user_id,
            as_manager,
            !remove,
        )
        .await
    }
    .await;
    if result.is_ok() {
        land(
            &format!("/admin/joint-ventures/{joint_venture_id}"),
            "assigned",
        );
    }
    crate::server::respond(result)
}
