//! Shared user interface: the page frame, form parts, the words for codes and how dates and
//! numbers are written. Names no feature.

pub mod form;
pub mod format;
pub mod labels;
pub mod page;
