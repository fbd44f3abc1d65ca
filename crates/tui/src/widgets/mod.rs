//! Reusable pieces of the screens.

pub mod columns;
pub mod form;
pub mod form_input;
pub mod popup;
pub mod scrub;
pub mod selection;
pub mod text_field;
pub mod wrap;
