//! Supervision findings: the list, one finding (detail), the finding forms.

pub mod detail;
pub mod forms;
pub mod list;
