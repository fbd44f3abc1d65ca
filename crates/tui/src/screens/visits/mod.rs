//! Follow-up visits: Today (the list), one visit (detail), the visit forms.

pub mod detail;
pub mod forms;
pub mod today;
