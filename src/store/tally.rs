//! Tally payloads: a row of counters (big-endian u32 each) that a write adds to or
//! subtracts from the value under a key, so an index can hold a sum over many records
//! (see [`super::Index::is_tally`]).

use super::StoreError;

/// Which way a record's entry moves the stored counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Direction {
    Add,
    Subtract,
}

/// `stored` moved by `entry`, counter by counter; None when every counter is then zero
/// (the key is removed rather than kept at zero, so checks compare like with like).
/// A missing stored value counts as zeros; a subtraction below zero or a row of the
/// wrong length means the tally no longer matches the records.
pub(super) fn apply(
    stored: Option<&[u8]>,
    entry: &[u8],
    direction: Direction,
) -> Result<Option<Vec<u8>>, StoreError> {
    let corrupt = || StoreError::Corrupt("tally counters do not match the records".into());
    let entry = counters(entry).ok_or_else(corrupt)?;
    let mut sum = match stored {
        Some(bytes) => counters(bytes).ok_or_else(corrupt)?,
        None => vec![0; entry.len()],
    };
    if sum.len() != entry.len() {
        return Err(corrupt());
    }
    for (total, n) in sum.iter_mut().zip(&entry) {
        *total = match direction {
            Direction::Add => total.checked_add(*n),
            Direction::Subtract => total.checked_sub(*n),
        }
        .ok_or_else(corrupt)?;
    }
    Ok(if sum.iter().all(|n| *n == 0) {
        None
    } else {
        Some(encode(&sum))
    })
}

pub(super) fn encode(counts: &[u32]) -> Vec<u8> {
    counts.iter().flat_map(|n| n.to_be_bytes()).collect()
}

/// The counters of a payload; None unless it is a whole number of u32s.
pub(super) fn counters(bytes: &[u8]) -> Option<Vec<u32>> {
    if bytes.len() % 4 != 0 {
        return None;
    }
    Some(
        bytes
            .chunks_exact(4)
            .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_subtracts_and_removes_at_zero() {
        let one = encode(&[1, 0]);
        let both = encode(&[1, 1]);
        let a = apply(None, &one, Direction::Add)
            .expect("add")
            .expect("kept");
        let b = apply(Some(&a), &both, Direction::Add)
            .expect("add")
            .expect("kept");
        assert_eq!(counters(&b), Some(vec![2, 1]));
        let c = apply(Some(&b), &both, Direction::Subtract)
            .expect("sub")
            .expect("kept");
        assert_eq!(c, one);
        assert_eq!(
            apply(Some(&c), &one, Direction::Subtract).expect("sub"),
            None
        );
    }

    #[test]
    fn refuses_to_go_below_zero_or_mix_lengths() {
        let one = encode(&[1, 0]);
        assert!(apply(None, &one, Direction::Subtract).is_err());
        assert!(apply(Some(&encode(&[1])), &one, Direction::Add).is_err());
        assert!(apply(Some(&[1, 2, 3]), &one, Direction::Add).is_err());
    }
}
