//! sea-orm entities. They never leave the server: pages receive DTOs.

pub mod app_meta;
pub mod audit_event;
pub mod benign_value;
pub mod case;
pub mod case_share;
pub mod coordinator;
pub mod false_match;
pub mod joint_venture;
pub mod joint_venture_region;
pub mod joint_venture_theme;
pub mod mandate_overlap_review;
pub mod match_key;
pub mod membership;
pub mod operation;
pub mod organisation;
pub mod overlap;
pub mod oversight;
pub mod region;
pub mod session;
pub mod set_password_link;
pub mod subject;
pub mod user_account;
pub mod user_role;
