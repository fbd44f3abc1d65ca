//! Cells of the CSV files beatbook writes (monthly reports, rejected import rows), made
//! safe to open in a spreadsheet.
//!
//! A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel
//! and its kin as a formula: a resident registered as `=HYPERLINK("http://…")`, or a
//! roster header crafted that way, would run in the chief's spreadsheet. As OWASP
//! recommends, such a cell is written with a leading `'`, which the spreadsheet shows as
//! text. Plain numbers (`-3`, `0.25`) are left as they are. Only the files are changed:
//! the screens show a name exactly as it was typed.

use std::borrow::Cow;

/// `cell` as it may be written into a CSV file.
pub fn csv_cell(cell: &str) -> Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.trim().parse::<f64>().is_err() {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn formulas_become_text_and_numbers_stay_numbers() {
        assert_eq!(
            csv_cell("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(csv_cell("+1+2"), "'+1+2");
        assert_eq!(
            csv_cell("-2+3+cmd|' /C calc'!A0"),
            "'-2+3+cmd|' /C calc'!A0"
        );
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(csv_cell("\rx"), "'\rx");
        assert_eq!(csv_cell("-3"), "-3");
        assert_eq!(csv_cell("0.25"), "0.25");
        assert_eq!(csv_cell("张三"), "张三");
        assert_eq!(csv_cell(""), "");
    }
}
