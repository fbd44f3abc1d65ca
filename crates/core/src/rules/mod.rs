//! Pure business rules: who may do what, how urgent a visit is, when an account locks.
//! No I/O; the service layer applies them.

pub mod access;
pub mod disputes;
pub mod findings;
pub mod lockout;
pub mod risk;
pub mod schedule;
pub mod visits;
pub mod watch;
