//! What the crash child (`tests/bin/crash_child.rs`) and the durability test that kills
//! it say to each other; the child includes this file too.

/// Each line the child prints once a save returned: this, then the visit's id.
pub const SAVED: &str = "SAVED ";
