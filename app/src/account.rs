//! Sign-in, sign-out and the own-account page. The forms are plain HTML form posts to server
//! functions, so they work before hydration and without JavaScript.

pub mod api;
#[cfg(feature = "ssr")]
pub mod change_password;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod sign_in;
pub mod types;
