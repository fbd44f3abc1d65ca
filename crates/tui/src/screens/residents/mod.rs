//! The resident register: the list and the person, village and account-particulars forms.

pub mod forms;
pub mod list;
