//! Texts of the screens.
