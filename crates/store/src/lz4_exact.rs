//! Reading an LZ4 block whose decompressed length is stored beside it. Records, log
//! blocks and index groups all come from files someone may have altered, so each is held
//! to the same rules: a length beyond what beatbook writes is damage (not a reason to
//! allocate it), and the block must decompress to exactly the length stored.

/// The block `packed` decompressed against `dict` (empty: none), if it gives exactly
/// `len` bytes and `len` is at most `limit`.
pub(crate) fn decompress_exact(
    packed: &[u8],
    len: usize,
    limit: usize,
    dict: &[u8],
) -> Option<Vec<u8>> {
    if len > limit {
        return None;
    }
    let body = lz4_flex::block::decompress_with_dict(packed, len, dict).ok()?;
    (body.len() == len).then_some(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_length_within_the_limit_is_read() {
        let body = "重点人员定期走访".repeat(20).into_bytes();
        let packed = lz4_flex::block::compress(&body);
        let n = body.len();
        assert_eq!(decompress_exact(&packed, n, n, &[]), Some(body));
        assert_eq!(
            decompress_exact(&packed, n, n - 1, &[]),
            None,
            "over the limit"
        );
        assert_eq!(
            decompress_exact(&packed, n + 1, 1 << 20, &[]),
            None,
            "too long"
        );
        assert_eq!(
            decompress_exact(&packed[..packed.len() - 1], n, n, &[]),
            None
        );
    }
}
