//! Wire types (both targets): what server functions take and return.

use serde::{Deserialize, Serialize};

/// The secret of a second factor being enrolled, shown once while enrolling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    pub username: String,
    /// Base32, for typing into an app that cannot scan.
    pub secret: String,
    /// The provisioning address as an inline SVG QR code.
    pub qr_svg: String,
}
