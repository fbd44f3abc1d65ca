//! Administrators: the stations and accounts (list) and their forms.

pub mod forms;
pub mod list;
