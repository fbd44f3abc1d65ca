//! Grouped indexes: many index entries stored under one sled key.
//!
//! sled costs about the same per key whatever the key holds (a leaf splits at 16 keys;
//! every page keeps a table entry and segment accounts in memory), and on the full seed
//! that overhead was 2.3 GB of a 3.6 GB store, with open time and memory following the
//! key count too (issue 16). The largest indexes are lists under an owner read whole —
//! a person's visits, a dispute's follow-ups — or in time slices, so those are stored one
//! key per owner: the key's first [`Index::group_len`] bytes are the sled key (the
//! group), the rest (the member) and the payload are kept inside its value, sorted by
//! member.
//!
//! Everything above this module still sees one entry per key: records imply the same
//! [`IndexEntry`]s, the check fingerprints the same entries, and reads expand the groups
//! (`Store::index_prefix`, `Store::index_range`). A write reads the group inside its
//! transaction, changes one member and writes the group back.
//!
//! Value layout: a format byte, then the members in ascending member order, each
//! `[member length u8][member][payload length u32 BE][payload]`. Format 0 stores them as
//! they are; format 1, for groups of [`COMPRESS_FROM`] bytes or more, LZ4-compresses them
//! behind their length (u32 BE): the members of one group repeat their station, officer,
//! person and purpose, and compressed they take less than half the bytes.

use super::{Index, StoreError};
use std::borrow::Cow;

const PLAIN: u8 = 0;
const LZ4: u8 = 1;

/// Groups this large or larger are compressed; below it LZ4 gains little.
const COMPRESS_FROM: usize = 256;

/// No group comes near this (a person with a thousand visits is ~150 KB); a larger
/// length in a compressed group's header is damage, not a reason to allocate it.
const LARGEST_GROUP: usize = 16 << 20;

/// The group and member parts of a grouped index's key; None for an index that is not
/// grouped, or a key shorter than its group (which no record implies).
pub fn split(index: Index, key: &[u8]) -> Option<(&[u8], &[u8])> {
    let at = index.group_len()?;
    (key.len() > at).then(|| key.split_at(at))
}

/// One member of a group as stored: its member key and payload.
pub type Member<'a> = (&'a [u8], &'a [u8]);

/// The members' bytes of a stored group value, decompressed when it was compressed; a
/// value that does not parse is reported as a damaged index (the file may have been
/// altered).
pub fn unpack(index: Index, stored: &[u8]) -> Result<Cow<'_, [u8]>, StoreError> {
    let damaged = || StoreError::CorruptIndex { index };
    match stored.split_first() {
        Some((&PLAIN, body)) => Ok(Cow::Borrowed(body)),
        Some((&LZ4, rest)) if rest.len() >= 4 => {
            let (len, packed) = rest.split_at(4);
            let len = u32::from_be_bytes(len.try_into().map_err(|_| damaged())?) as usize;
            super::lz4_exact::decompress_exact(packed, len, LARGEST_GROUP, &[])
                .map(Cow::Owned)
                .ok_or_else(damaged)
        }
        _ => Err(damaged()),
    }
}

/// The members of a group's unpacked bytes ([`unpack`]), in order.
pub fn members(index: Index, body: &[u8]) -> Result<Vec<Member<'_>>, StoreError> {
    let damaged = || StoreError::CorruptIndex { index };
    let mut out = Vec::new();
    let mut rest = body;
    while let Some((&len, tail)) = rest.split_first() {
        let len = usize::from(len);
        if tail.len() < len + 4 {
            return Err(damaged());
        }
        let (member, tail) = tail.split_at(len);
        let (size, tail) = tail.split_at(4);
        let size = u32::from_be_bytes(size.try_into().map_err(|_| damaged())?) as usize;
        if tail.len() < size {
            return Err(damaged());
        }
        let (payload, tail) = tail.split_at(size);
        if out.last().is_some_and(|(last, _): &Member| *last >= member) {
            return Err(damaged());
        }
        out.push((member, payload));
        rest = tail;
    }
    Ok(out)
}

/// Writes members (already in ascending order) as a group's value.
pub(crate) fn encode<'a>(
    index: Index,
    members: impl IntoIterator<Item = Member<'a>>,
) -> Result<Vec<u8>, StoreError> {
    let mut out = vec![PLAIN];
    for (member, payload) in members {
        let len = u8::try_from(member.len()).map_err(|_| StoreError::CorruptIndex { index })?;
        let size = u32::try_from(payload.len()).map_err(|_| StoreError::CorruptIndex { index })?;
        out.push(len);
        out.extend_from_slice(member);
        out.extend_from_slice(&size.to_be_bytes());
        out.extend_from_slice(payload);
    }
    if out.len() < COMPRESS_FROM {
        return Ok(out);
    }
    let body = &out[1..];
    let len = u32::try_from(body.len()).map_err(|_| StoreError::CorruptIndex { index })?;
    let packed = lz4_flex::block::compress(body);
    let mut compressed = Vec::with_capacity(5 + packed.len());
    compressed.push(LZ4);
    compressed.extend_from_slice(&len.to_be_bytes());
    compressed.extend_from_slice(&packed);
    Ok(compressed)
}

/// The group `stored` with `member` set to `payload` (added, or replaced if present).
pub(crate) fn with_member(
    index: Index,
    stored: Option<&[u8]>,
    member: &[u8],
    payload: &[u8],
) -> Result<Vec<u8>, StoreError> {
    let body = match stored {
        Some(value) => unpack(index, value)?,
        None => Cow::Borrowed(&[][..]),
    };
    let mut all = members(index, &body)?;
    match all.binary_search_by(|(m, _)| (*m).cmp(member)) {
        Ok(at) => all[at].1 = payload,
        Err(at) => all.insert(at, (member, payload)),
    }
    encode(index, all)
}

/// The group `stored` without `member`; None when nothing is left (the key is removed).
pub(crate) fn without_member(
    index: Index,
    stored: Option<&[u8]>,
    member: &[u8],
) -> Result<Option<Vec<u8>>, StoreError> {
    let Some(value) = stored else {
        return Ok(None);
    };
    let body = unpack(index, value)?;
    let mut all = members(index, &body)?;
    all.retain(|(m, _)| *m != member);
    if all.is_empty() {
        return Ok(None);
    }
    encode(index, all).map(Some)
}

/// Feeds `f` the entries of a sorted sequence of logical (key, value) pairs as groups:
/// each group's key once, with its members' encoded value. Rebuilds use it to write a
/// grouped index from what the records imply.
pub(crate) fn regroup<'a>(
    index: Index,
    entries: impl IntoIterator<Item = (&'a [u8], &'a [u8])>,
    mut f: impl FnMut(&[u8], Vec<u8>) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut current: Option<&[u8]> = None;
    let mut pending: Vec<Member> = Vec::new();
    for (key, value) in entries {
        let (group, member) = split(index, key).ok_or(StoreError::CorruptIndex { index })?;
        if current != Some(group) {
            if let Some(done) = current {
                f(done, encode(index, pending.drain(..))?)?;
            }
            current = Some(group);
        }
        pending.push((member, value));
    }
    if let Some(done) = current {
        f(done, encode(index, pending)?)?;
    }
    Ok(())
}

/// Feeds `f` the members of the stored `groups` (sled items, in key order) whose whole
/// key (group and member) passes `keep`, as whole keys with their payloads.
pub(crate) fn expand(
    index: Index,
    groups: impl Iterator<Item = sled::Result<(sled::IVec, sled::IVec)>>,
    keep: impl Fn(&[u8]) -> bool,
    mut f: impl FnMut(&[u8], &[u8]) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut key = Vec::new();
    for item in groups {
        let (group, value) = item?;
        each_member(index, &group, &value, &mut key, |whole, payload| {
            if keep(whole) {
                f(whole, payload)?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// Feeds `f` each member of one stored group as its whole key (built in `key`) and its
/// payload. The whole group is parsed first: one that does not parse is an error before
/// any member is fed.
pub(crate) fn each_member(
    index: Index,
    group: &[u8],
    value: &[u8],
    key: &mut Vec<u8>,
    mut f: impl FnMut(&[u8], &[u8]) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let body = unpack(index, value)?;
    for (member, payload) in members(index, &body)? {
        key.clear();
        key.extend_from_slice(group);
        key.extend_from_slice(member);
        f(key, payload)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const I: Index = Index::VisitByPerson;

    fn key(group: u8, member: u8) -> Vec<u8> {
        let mut k = vec![group; 16];
        k.extend_from_slice(&[member; 16]);
        k
    }

    #[test]
    fn members_are_kept_in_order_replaced_and_removed() {
        let (a, b, c) = (key(1, 3), key(1, 1), key(1, 2));
        let mut stored: Option<Vec<u8>> = None;
        for (k, payload) in [(&a, b"a".as_slice()), (&b, b"bb"), (&c, b"")] {
            let (_, member) = split(I, k).expect("grouped");
            stored = Some(with_member(I, stored.as_deref(), member, payload).expect("add"));
        }
        let value = stored.clone().expect("value");
        let body = unpack(I, &value).expect("unpack");
        let listed: Vec<(Vec<u8>, Vec<u8>)> = members(I, &body)
            .expect("members")
            .into_iter()
            .map(|(m, p)| (m.to_vec(), p.to_vec()))
            .collect();
        assert_eq!(
            listed,
            vec![
                (vec![1; 16], b"bb".to_vec()),
                (vec![2; 16], Vec::new()),
                (vec![3; 16], b"a".to_vec())
            ]
        );
        let (_, member) = split(I, &c).expect("grouped");
        let value = with_member(I, Some(&value), member, b"new").expect("replace");
        assert_eq!(
            members(I, &unpack(I, &value).expect("unpack"))
                .expect("members")
                .len(),
            3
        );
        let mut left = Some(value);
        for k in [&a, &b, &c] {
            let (_, member) = split(I, k).expect("grouped");
            left = without_member(I, left.as_deref(), member).expect("remove");
        }
        assert_eq!(left, None, "an emptied group is removed");
    }

    #[test]
    fn damaged_groups_are_refused() {
        let (_, member) = split(I, &key(1, 1))
            .map(|(g, m)| (g.to_vec(), m.to_vec()))
            .expect("k");
        let value = with_member(I, None, &member, b"payload").expect("add");
        assert_eq!(value[0], PLAIN, "a small group is stored as it is");
        let body = &value[1..];
        for cut in 1..body.len() {
            assert!(members(I, &body[..cut]).is_err(), "cut at {cut}");
        }
        let mut twice = body.to_vec();
        twice.extend_from_slice(body);
        assert!(members(I, &twice).is_err(), "a member twice");
        assert!(members(I, body).is_ok());
        assert!(
            unpack(I, &[]).is_err() && unpack(I, &[7, 1, 2]).is_err(),
            "unknown format"
        );
    }

    #[test]
    fn large_groups_are_compressed_and_damage_to_them_refused() {
        let mut stored: Option<Vec<u8>> = None;
        for n in 0..40u8 {
            let k = key(9, n);
            let (_, member) = split(I, &k).expect("grouped");
            let payload = format!("重点人员定期走访（{}）", n % 3).into_bytes();
            stored = Some(with_member(I, stored.as_deref(), member, &payload).expect("add"));
        }
        let value = stored.expect("value");
        assert_eq!(value[0], LZ4);
        let body = unpack(I, &value).expect("unpack");
        assert_eq!(members(I, &body).expect("members").len(), 40);
        assert!(
            value.len() * 2 < body.len(),
            "{} of {}",
            value.len(),
            body.len()
        );
        assert!(unpack(I, &value[..value.len() - 1]).is_err(), "cut short");
        let mut huge = value.clone();
        huge[1..5].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(unpack(I, &huge).is_err(), "a huge length");
        let mut wrong = value.clone();
        wrong[1..5].copy_from_slice(&((body.len() + 1) as u32).to_be_bytes());
        assert!(unpack(I, &wrong).is_err(), "a wrong length");
    }

    #[test]
    fn regroup_writes_one_value_per_group() {
        let entries = [
            (key(1, 1), b"x".to_vec()),
            (key(1, 2), b"y".to_vec()),
            (key(2, 1), b"z".to_vec()),
        ];
        let mut groups = Vec::new();
        regroup(
            I,
            entries.iter().map(|(k, v)| (k.as_slice(), v.as_slice())),
            |g, v| {
                let body = unpack(I, &v).expect("unpack");
                groups.push((g.to_vec(), members(I, &body).expect("members").len()));
                Ok(())
            },
        )
        .expect("regroup");
        assert_eq!(groups, vec![(vec![1; 16], 2), (vec![2; 16], 1)]);
        assert!(
            split(Index::VisitByStation, &key(1, 1)).is_none(),
            "not grouped"
        );
    }
}
