//! What a case (or signal) is about: persons, phones, vehicles, bank accounts, addresses,
//! documents, immigration numbers, e-mail addresses, vessels and companies. This first part holds
//! the normalisers; the pages and storage follow with the cases issue.

#[cfg(feature = "ssr")]
pub mod normalise;
