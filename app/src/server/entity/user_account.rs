use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "user_account")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub organisation_id: i32,
    /// argon2id PHC string; empty until the user has set a password.
    pub password_hash: Option<String>,
    pub active: bool,
    pub second_factor_required: bool,
    /// Base32 TOTP secret once the user has enrolled a second factor.
    pub totp_secret: Option<String>,
    /// The last TOTP time step accepted: a code is used once (RFC 6238 §5.2).
    pub totp_last_step: Option<i64>,
    pub created_at: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::user_role::Entity")]
    Role,
}

impl Related<super::user_role::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Role.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
