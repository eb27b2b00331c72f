//! Overlaps: when two joint ventures look at the same person, phone, vehicle, account or place,
//! both must know, on a pointer basis. This part holds the person scorer.

#[cfg(feature = "ssr")]
pub mod score;
