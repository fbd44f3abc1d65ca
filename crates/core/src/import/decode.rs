//! Turning the bytes of an exported roster into text.
//!
//! Excel on Chinese Windows saves "CSV" in the ANSI code page, GBK; "CSV UTF-8" saves
//! UTF-8 with a BOM; WPS and other systems save UTF-8 without one; "Unicode text" saves
//! UTF-16 with a BOM. The rule is deliberately simple and predictable: a BOM decides;
//! otherwise valid UTF-8 is UTF-8, and anything else is read as GB18030 (a superset of
//! GBK and GB2312). Guessing further (Big5, Latin-1) would risk silently wrong names.

use super::problem::FileProblem;
use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE};

/// The file as text, with the encoding it was read in.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    /// `UTF-8`, `UTF-8 (BOM)`, `GB18030` (covers GBK), `UTF-16LE` or `UTF-16BE`.
    pub encoding: &'static str,
}

/// Decodes the file, refusing what is not a text roster.
pub fn decode(bytes: &[u8]) -> Result<Decoded, FileProblem> {
    if let Some(kind) = workbook_kind(bytes) {
        return Err(FileProblem::Workbook { kind });
    }
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let text = std::str::from_utf8(rest).map_err(|e| FileProblem::NotText {
            line: line_at(rest, e.valid_up_to()),
        })?;
        (text.to_string(), "UTF-8 (BOM)")
    } else if bytes.starts_with(b"\xFF\xFE") {
        (utf16(UTF_16LE, bytes)?, "UTF-16LE")
    } else if bytes.starts_with(b"\xFE\xFF") {
        (utf16(UTF_16BE, bytes)?, "UTF-16BE")
    } else {
        match std::str::from_utf8(bytes) {
            Ok(text) => (text.to_string(), "UTF-8"),
            Err(e) => {
                if mostly_utf8(bytes) {
                    return Err(FileProblem::MixedEncoding {
                        line: line_at(bytes, e.valid_up_to()),
                    });
                }
                let text = GB18030
                    .decode_without_bom_handling_and_without_replacement(bytes)
                    .ok_or(FileProblem::NotText {
                        line: line_at(bytes, e.valid_up_to()),
                    })?;
                (text.into_owned(), "GB18030")
            }
        }
    };
    if let Some(pos) = text.find('\0') {
        return Err(FileProblem::NotText {
            line: line_at(text.as_bytes(), pos),
        });
    }
    if text.trim().is_empty() {
        return Err(FileProblem::Empty);
    }
    if looks_like_html(&text) {
        return Err(FileProblem::Workbook { kind: "HTML" });
    }
    Ok(Decoded {
        text: old_mac_line_ends(text),
        encoding,
    })
}

/// Workbooks saved as such, not exported: `.xlsx` is a zip, `.xls`/`.et` an OLE file.
fn workbook_kind(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"PK\x03\x04") {
        Some("xlsx")
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        Some("xls")
    } else {
        None
    }
}

/// Many police information systems "export to Excel" as an HTML table named `.xls`.
fn looks_like_html(text: &str) -> bool {
    let head: String = text.trim_start().chars().take(200).collect();
    let head = head.to_ascii_lowercase();
    head.starts_with('<') && (head.contains("<html") || head.contains("<table"))
}

fn utf16(encoding: &'static Encoding, bytes: &[u8]) -> Result<String, FileProblem> {
    let (text, had_errors) = encoding.decode_with_bom_removal(bytes);
    if had_errors {
        return Err(FileProblem::NotText { line: 1 });
    }
    Ok(text.into_owned())
}

/// Whether invalid UTF-8 is a stray in a UTF-8 file (two exports pasted together, one
/// cell from a GBK system) rather than a GBK file. Reading such a file as GB18030 would
/// turn every correct Chinese character into different, valid-looking ones, so it is
/// refused instead. GBK text forms a valid UTF-8 Chinese character only by accident, far
/// less often than it forms invalid sequences.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut chinese, mut invalid) = (0usize, 0usize);
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                chinese += count_chinese(valid);
                break;
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                chinese += std::str::from_utf8(valid).map_or(0, count_chinese);
                invalid += 1;
                let skip = e.error_len().unwrap_or(after.len()).max(1);
                rest = after.get(skip..).unwrap_or_default();
            }
        }
    }
    chinese > invalid
}

fn count_chinese(s: &str) -> usize {
    s.chars()
        .filter(|c| matches!(*c as u32, 0x4E00..=0x9FFF))
        .count()
}

/// 1-based line of a byte offset.
fn line_at(bytes: &[u8], offset: usize) -> usize {
    let end = offset.min(bytes.len());
    bytes[..end].iter().filter(|b| **b == b'\n').count() + 1
}

/// Excel for Mac 2011 ends lines with a bare `\r`; line numbers count `\n`.
fn old_mac_line_ends(text: String) -> String {
    if text.contains('\r') && !text.contains('\n') {
        text.replace('\r', "\n")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode("姓名\n张三\n".as_bytes()).expect("utf-8");
        assert_eq!((d.text.as_str(), d.encoding), ("姓名\n张三\n", "UTF-8"));
        let d = decode(b"\xEF\xBB\xBFname\n").expect("bom");
        assert_eq!((d.text.as_str(), d.encoding), ("name\n", "UTF-8 (BOM)"));
    }

    #[test]
    fn gbk_is_read_as_gb18030() {
        let (bytes, _, _) = GB18030.encode("姓名,性别\r\n张三,男\r\n");
        let d = decode(&bytes).expect("gbk");
        assert_eq!(d.encoding, "GB18030");
        assert_eq!(d.text, "姓名,性别\r\n张三,男\r\n");
    }

    #[test]
    fn utf16_from_unicode_text_export() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "姓名\t性别\n".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&bytes).expect("utf-16");
        assert_eq!((d.text.as_str(), d.encoding), ("姓名\t性别\n", "UTF-16LE"));
    }

    #[test]
    fn workbooks_binary_and_empty_refused() {
        assert_eq!(
            decode(b"PK\x03\x04rest").err(),
            Some(FileProblem::Workbook { kind: "xlsx" })
        );
        assert_eq!(
            decode(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1...").err(),
            Some(FileProblem::Workbook { kind: "xls" })
        );
        assert_eq!(
            decode(b"<html><body><table><tr><td>1</td></tr></table>").err(),
            Some(FileProblem::Workbook { kind: "HTML" })
        );
        assert_eq!(
            decode(b"name\nab\0cd").err(),
            Some(FileProblem::NotText { line: 2 })
        );
        assert_eq!(decode(b"").err(), Some(FileProblem::Empty));
        assert_eq!(decode(b"\xEF\xBB\xBF \r\n").err(), Some(FileProblem::Empty));
        // 0xFF never appears in GB18030.
        assert_eq!(
            decode(b"name\n\xFF\xFF").err(),
            Some(FileProblem::NotText { line: 2 })
        );
    }

    #[test]
    fn a_gbk_cell_in_a_utf8_file_is_refused_not_garbled() {
        let mut bytes = "姓名,住址\n张三,城关镇东街\n李四,城关镇西街\n"
            .as_bytes()
            .to_vec();
        let (gbk, _, _) = GB18030.encode("王五,南街\n");
        bytes.extend_from_slice(&gbk);
        assert_eq!(
            decode(&bytes).err(),
            Some(FileProblem::MixedEncoding { line: 4 })
        );
    }

    #[test]
    fn bare_carriage_returns_become_line_feeds() {
        let d = decode(b"name\rab\r").expect("text");
        assert_eq!(d.text, "name\nab\n");
    }
}
