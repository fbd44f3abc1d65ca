//! Folding typed text and stored text into one comparable form, so that every later check
//! can be a plain byte comparison.

/// Characters typed between name parts or carried in by spreadsheets. They are dropped so
/// that `买买提·艾力` matches `买买提艾力`, `zhang san` matches `zhangsan` and
/// `0731-1234567` matches the phone number's digits.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '·' | '•' | '・' | '‧' | '\'' | '’' | '-' | '－' | '_' | '.' | '．'
        )
}

/// Full-width ASCII, which Chinese input methods produce easily, to its half-width form.
fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        other => other,
    }
}

/// Lower-cases, folds full-width ASCII, writes `ü` as `v` (as pinyin keyboards do) and
/// drops separators. Applied to queries and stored texts alike.
pub(crate) fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().map(half_width) {
        match c {
            c if is_separator(c) => {}
            'ü' | 'Ü' => out.push('v'),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Bit of an ASCII letter or digit in a 36-bit set, used to rule texts out before any
/// string comparison.
pub(crate) fn alnum_bit(b: u8) -> u64 {
    match b {
        b'a'..=b'z' => 1 << (b - b'a'),
        b'0'..=b'9' => 1 << (26 + b - b'0'),
        _ => 0,
    }
}

/// The set of ASCII letters and digits in `bytes`.
pub(crate) fn alnum_set(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0, |set, &b| set | alnum_bit(b))
}

/// A 64-bit summary of which characters occur in `s`. If a query's set has a bit the
/// text's lacks, the query cannot be a substring or subsequence of the text; this rules
/// out most names before any string comparison.
pub(crate) fn char_set(s: &str) -> u64 {
    s.chars().fold(0, |set, c| {
        let h = u32::from(c).wrapping_mul(0x9E37_79B1) >> 26;
        set | 1 << h
    })
}

/// True if `needle`'s bytes appear in `hay` in order (the precondition of a fuzzy match,
/// checked before the far dearer scoring).
pub(crate) fn is_subsequence(needle: &[u8], hay: &[u8]) -> bool {
    let mut rest = hay.iter();
    needle.iter().all(|n| rest.any(|h| h == n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_width_and_separators() {
        assert_eq!(normalize(" Zhang San "), "zhangsan");
        assert_eq!(normalize("ＺＨＡＮＧ３"), "zhang3");
        assert_eq!(normalize("买买提·艾力"), "买买提艾力");
        assert_eq!(normalize("0731-1234567"), "07311234567");
        assert_eq!(normalize("lü"), "lv");
    }

    #[test]
    fn subsequence() {
        assert!(is_subsequence(b"zgs", b"zhangsan"));
        assert!(!is_subsequence(b"zsg", b"zhangsan"));
        assert!(is_subsequence(b"", b"x"));
    }
}
