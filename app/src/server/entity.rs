//! sea-orm entities. They never leave the server: pages receive DTOs.

pub mod app_meta;
pub mod joint_venture;
pub mod joint_venture_region;
pub mod joint_venture_theme;
pub mod membership;
pub mod organisation;
pub mod region;
