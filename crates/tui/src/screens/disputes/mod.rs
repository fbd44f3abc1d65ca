//! Disputes: the register (the list), one dispute (detail), the dispute forms and the duplicate guard.

pub mod detail;
pub mod forms;
pub mod guard;
pub mod register;
