//! Time as an input: "today" comes from a clock the service is given, so tests, snapshots
//! and demos run on fixed dates.

use chrono::{DateTime, FixedOffset, Local};

/// The source of "now" (local time of the terminal).
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<FixedOffset>;
}

/// The terminal's real local time.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<FixedOffset> {
        Local::now().fixed_offset()
    }
}

/// A clock stopped at one instant (tests, snapshots, `BEATBOOK_NOW`).
#[derive(Clone, Copy, Debug)]
pub struct FixedClock(pub DateTime<FixedOffset>);

impl FixedClock {
    /// Parses an RFC 3339 instant (`2026-11-25T09:00:00+08:00`) or a date (`2026-11-25`,
    /// taken as 09:00 local time, +08:00).
    pub fn parse(s: &str) -> Option<FixedClock> {
        let s = s.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Some(FixedClock(t));
        }
        DateTime::parse_from_rfc3339(&format!("{s}T09:00:00+08:00"))
            .ok()
            .map(FixedClock)
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<FixedOffset> {
        self.0
    }
}
