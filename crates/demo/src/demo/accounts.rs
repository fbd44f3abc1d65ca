//! The demo accounts' stable particulars: officers picked by name or weight, and police
//! numbers and phones derived from the username.

use super::*;

pub(crate) fn officer_named(officers: &[(Id, &str, u32)], username: &str) -> Option<Id> {
    officers
        .iter()
        .find(|(_, name, _)| *name == username)
        .map(|(id, _, _)| *id)
}

pub(crate) fn weighted_officer(rng: &mut Rng, officers: &[(Id, &str, u32)]) -> Option<Id> {
    let table: Vec<(Id, u32)> = officers.iter().map(|(id, _, w)| (*id, *w)).collect();
    if table.is_empty() {
        return None;
    }
    Some(*people::weighted(rng, &table))
}

/// A stable six-digit number from a demo username (FNV-1a), so the same demo accounts
/// always carry the same police number and phone.
pub(crate) fn demo_digits(username: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in username.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h % 1_000_000
}

/// A demo account's police number (警号): six digits.
pub(crate) fn demo_police_number(username: &str) -> String {
    format!("{:06}", demo_digits(username))
}

/// A demo account's work phone: a mobile number in the 139 range.
pub(crate) fn demo_phone(username: &str) -> Option<beatbook_model::Phone> {
    beatbook_model::Phone::parse(&format!("13900{:06}", demo_digits(username))).ok()
}
