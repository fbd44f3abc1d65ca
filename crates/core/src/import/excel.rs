//! Numbers Excel has destroyed.
//!
//! An 18-digit ID number typed into a General or Number cell is kept to 15 significant
//! digits and shown as `1.10105E+17`; exported as a number it becomes `110105194912310000`
//! or `1.10105194912310E+17`; some exporters append `.0`. The lost digits cannot be
//! recovered from the file, so such cells are reported with how to fix the export,
//! never "repaired".

/// How a number cell was damaged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Damage {
    /// `1.10105E+17`.
    Scientific,
    /// `13812345678.0`.
    Decimal,
}

/// Recognises a cell (spaces already removed) that a spreadsheet turned into a number.
pub fn damage(cell: &str) -> Option<Damage> {
    if is_scientific(cell) {
        Some(Damage::Scientific)
    } else if is_decimal(cell) {
        Some(Damage::Decimal)
    } else {
        None
    }
}

fn is_scientific(s: &str) -> bool {
    let Some((mantissa, exponent)) = s.split_once(['e', 'E']) else {
        return false;
    };
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !exponent.is_empty()
        && exponent.bytes().all(|b| b.is_ascii_digit())
}

fn is_decimal(s: &str) -> bool {
    match s.split_once('.') {
        Some((int, frac)) => {
            int.len() >= 5
                && int.bytes().all(|b| b.is_ascii_digit())
                && !frac.is_empty()
                && frac.bytes().all(|b| b == b'0')
        }
        None => false,
    }
}

/// An 18-digit number whose last three digits are zeros: what Excel's 15 significant
/// digits leave of an ID number. Only worth saying when the check character is wrong.
pub fn looks_zeroed(id: &str) -> bool {
    id.len() == 18 && id.bytes().all(|b| b.is_ascii_digit()) && id.ends_with("000")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damaged_numbers_recognised() {
        for cell in ["1.10105E+17", "1.10105e17", "1.10105194912310E+17", "1E+17"] {
            assert_eq!(damage(cell), Some(Damage::Scientific), "{cell}");
        }
        for cell in ["110105194912310000.0", "13812345678.00"] {
            assert_eq!(damage(cell), Some(Damage::Decimal), "{cell}");
        }
        for cell in [
            "11010519491231002X",
            "13812345678",
            "0731-1234567",
            "E+17",
            "1.5",
            "",
        ] {
            assert_eq!(damage(cell), None, "{cell}");
        }
        assert!(looks_zeroed("110105194912310000"));
        assert!(!looks_zeroed("11010519491231002X"));
    }
}
