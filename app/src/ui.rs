//! Shared user interface: the page frame, form parts and the words for codes. Names no feature.

pub mod form;
pub mod labels;
pub mod page;
