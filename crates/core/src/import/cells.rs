//! Cleaning of single cells as spreadsheets leave them.
//!
//! Excel rosters are typed by hand, pasted from chat apps and other systems: full-width
//! digits and letters, ideographic spaces, non-breaking spaces, names padded with spaces
//! to line up, ID numbers split into groups. Cleaning here only removes what cannot carry
//! meaning; anything that might (an `E+17`, a `.0`) is left for validation to report.

/// Normalises any cell: full-width ASCII digits and letters become ASCII (ＡＢ１２ →
/// AB12), ideographic and non-breaking spaces become spaces, invisible characters
/// (BOM, zero-width space/joiners, bidi overrides: `model::text::is_hidden`) are
/// dropped, and the ends are trimmed. Full-width
/// punctuation stays: it is ordinary in Chinese text.
pub fn normalize(cell: &str) -> String {
    if cell.is_ascii() {
        return cell.trim().to_string();
    }
    let mut out = String::with_capacity(cell.len());
    for c in cell.chars() {
        match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                out.push(char::from_u32(c as u32 - 0xFEE0).unwrap_or(c))
            }
            '\u{3000}' | '\u{a0}' => out.push(' '),
            c if beatbook_model::text::is_hidden(c) => {}
            _ => out.push(c),
        }
    }
    out.trim().to_string()
}

/// Whether a cell holds nothing but spaces and invisible characters; cheaper than
/// [`normalize`] for the blank-row check.
pub fn is_empty(cell: &str) -> bool {
    cell.chars().all(|c| {
        c.is_whitespace() || matches!(c, '\u{feff}' | '\u{200b}'..='\u{200d}' | '\u{2060}')
    })
}

/// A single-line field: line breaks from Alt+Enter in Excel and tabs become spaces, and
/// runs of spaces shrink to one.
pub fn single_line(cell: &str) -> String {
    let n = normalize(cell);
    if !n.contains(char::is_whitespace) {
        return n;
    }
    let mut out = String::with_capacity(n.len());
    let mut in_space = false;
    for c in n.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

/// A multi-line field (notes, basis): line breaks kept, `\r\n` made `\n`.
pub fn multi_line(cell: &str) -> String {
    let n = normalize(cell);
    if n.contains('\r') {
        n.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        n
    }
}

/// A name: spaces between Chinese characters are alignment padding (`张  三` lines up
/// with three-character names) and go; spaces in Latin-script names stay.
pub fn name(cell: &str) -> String {
    let s = single_line(cell);
    if !s.contains(' ') {
        return s;
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let between_cjk = c == ' '
            && i > 0
            && chars.get(i - 1).copied().is_some_and(is_cjk)
            && chars.get(i + 1).copied().is_some_and(is_cjk);
        if !between_cjk {
            out.push(c);
        }
    }
    out
}

/// Chinese characters (CJK unified ideographs and their extensions).
fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// An ID or phone number: every space goes (`110105 19491231 002X`), and the two ways
/// people force Excel to keep a number as text are undone: a leading apostrophe
/// (`'110105…`) and the formula form `="110105…"`.
pub fn number(cell: &str) -> String {
    let n = normalize(cell);
    let compact: String = n.chars().filter(|c| !c.is_whitespace()).collect();
    let unwrapped = compact
        .strip_prefix("=\"")
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(&compact);
    unwrapped
        .strip_prefix('\'')
        .or_else(|| unwrapped.strip_prefix('‘'))
        .unwrap_or(unwrapped)
        .to_string()
}

/// Gender as rosters write it; 男性/女性 become the forms the model knows.
pub fn gender(cell: &str) -> String {
    let s = single_line(cell);
    match s.as_str() {
        "男性" => "男".to_string(),
        "女性" => "女".to_string(),
        _ => s,
    }
}

/// Categories as written in one cell, split on the separators officers use
/// (`、 , ， ; ； / ／`, line breaks), each trimmed, empty pieces dropped.
pub fn categories(cell: &str) -> Vec<String> {
    normalize(cell)
        .split(['、', ',', '，', ';', '；', '/', '／', '\n', '\r'])
        .map(single_line)
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_and_odd_spaces_normalised() {
        assert_eq!(normalize("\u{3000}ＡＢ１２ａｚ\u{a0}"), "AB12az");
        assert_eq!(normalize("\u{feff}姓名"), "姓名");
        assert_eq!(normalize("村（社区）"), "村（社区）");
        assert_eq!(normalize("  plain  "), "plain");
    }

    #[test]
    fn names_lose_padding_between_chinese_characters_only() {
        assert_eq!(name(" 张  三 "), "张三");
        assert_eq!(name("张\u{3000}三"), "张三");
        assert_eq!(name("阿卜杜拉·买买提"), "阿卜杜拉·买买提");
        assert_eq!(name("John  Smith"), "John Smith");
    }

    #[test]
    fn numbers_lose_spaces_and_text_markers() {
        assert_eq!(number(" 110105 19491231 002x "), "11010519491231002x");
        assert_eq!(number("'11010519491231002X"), "11010519491231002X");
        assert_eq!(number("=\"11010519491231002X\""), "11010519491231002X");
        assert_eq!(number("１３８ １２３４ ５６７８"), "13812345678");
        assert_eq!(number("1.10105E+17"), "1.10105E+17");
    }

    #[test]
    fn single_and_multi_line() {
        assert_eq!(single_line("城关镇\n东街  3 号"), "城关镇 东街 3 号");
        assert_eq!(multi_line("一\r\n二"), "一\n二");
    }

    #[test]
    fn categories_split_on_every_separator() {
        assert_eq!(
            categories("涉稳、刑满释放,社区矫正；重点上访 / 涉毒\n其他"),
            vec!["涉稳", "刑满释放", "社区矫正", "重点上访", "涉毒", "其他"]
        );
        assert!(categories(" 、 ").is_empty());
        assert_eq!(gender("女性"), "女");
    }
}
