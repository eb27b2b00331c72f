//! Reports for managers and the ministry's summary (the reporting issue). Its first part is the
//! disclosure control every published count goes through.

pub mod disclosure;
