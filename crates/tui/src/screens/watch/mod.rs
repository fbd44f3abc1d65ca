//! The watch list of key persons: the list, one person (person), the watch-list forms.

pub mod forms;
pub mod list;
pub mod person;

/// The list's state, by the name `beatbook bench` times its filter with.
pub use list::WatchState;
