//! Record identifiers: ULIDs, so ids sort by creation time and can be made on any terminal
//! without coordination (stations work offline and exchange changes later).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use std::sync::Mutex;
use ulid::{Generator, Ulid};

/// One generator per process, so that ids made within the same millisecond still sort in
/// the order they were made ("newest first" lists never shuffle records of one instant).
static IDS: Mutex<Generator> = Mutex::new(Generator::new());

/// A sortable unique record id.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Id(Ulid);

impl Id {
    /// A fresh id, larger than every id this process made before (while the clock does not
    /// step back). Should the generator be unusable (a poisoned lock, 2^80 ids in one
    /// millisecond), a plain random ULID is still unique, only not ordered.
    pub fn new() -> Id {
        match IDS.lock().ok().and_then(|mut g| g.generate().ok()) {
            Some(ordered) => Id(ordered),
            // Not `Ulid::default()`: that is the nil id.
            None => Id(Ulid::new()),
        }
    }

    /// The nil id, used as the actor of writes made by the system itself (setup, demo).
    pub const SYSTEM: Id = Id(Ulid::nil());

    /// 16 big-endian bytes; byte order equals time order, which keeps index scans sorted.
    pub fn to_bytes(self) -> [u8; 16] {
        self.0.to_bytes()
    }

    /// Reads the 16 bytes written by [`Id::to_bytes`].
    pub fn from_bytes(bytes: [u8; 16]) -> Id {
        Id(Ulid::from_bytes(bytes))
    }

    /// Reads an id from the tail of an index key.
    pub fn from_slice(bytes: &[u8]) -> Option<Id> {
        let arr: [u8; 16] = bytes.try_into().ok()?;
        Some(Id::from_bytes(arr))
    }
}

impl Default for Id {
    fn default() -> Self {
        Id::new()
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Id({})", self.0)
    }
}

impl FromStr for Id {
    type Err = ulid::DecodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ulid::from_string(s.trim()).map(Id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_made_in_one_millisecond_still_sort_in_creation_order() {
        let ids: Vec<Id> = (0..10_000).map(|_| Id::new()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn bytes_round_trip_and_sort_by_time() {
        let a = Id::new();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let b = Id::new();
        assert!(a.to_bytes() < b.to_bytes());
        assert_eq!(Id::from_bytes(a.to_bytes()), a);
        assert_eq!(a.to_string().parse::<Id>().ok(), Some(a));
    }
}
