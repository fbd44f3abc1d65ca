//! Fixed-width columns measured in display columns, so Chinese and Latin text line up.

use beatbook_model::text::visible;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The ellipsis that marks cut text: one display column (`unicode-width` counts it as
/// narrow), so a cut cell keeps its width.
pub const ELLIPSIS: char = '…';

/// `text` fitted to exactly `width` display columns: padded with spaces when it is
/// shorter; when it is longer, cut and ended with `…` so that nobody mistakes a cut
/// name or title for the whole of it (a wide character that would straddle the edge is
/// dropped and its column padded).
///
/// Control, bidi and zero-width characters (an old store or an imported file may hold
/// them) are shown as visible `\uXXXX` escapes (`model::text::visible`), so a list cell
/// can neither drive the terminal nor be drawn other than it is.
pub fn fit(text: &str, width: usize) -> String {
    let text = visible(text);
    let text = text.as_ref();
    if text.width() <= width {
        let mut out = String::with_capacity(text.len() + width);
        out.push_str(text);
        out.push_str(&" ".repeat(width - text.width()));
        return out;
    }
    if width == 0 {
        return String::new();
    }
    let mut out = take_columns(text, width - 1);
    out.push(ELLIPSIS);
    let used = out.width();
    out.push_str(&" ".repeat(width.saturating_sub(used)));
    out
}

/// Like [`fit`], but the part of `text` from `keep` on (e.g. a follow-up's "（第7天）")
/// stays whole when the cell is too narrow: the text before it is cut instead, marked
/// with `…`. Falls back to [`fit`] when `keep` is absent or does not fit by itself.
pub fn fit_keeping(text: &str, keep: &str, width: usize) -> String {
    let text = visible(text);
    let text = text.as_ref();
    let Some(at) = (!keep.is_empty()).then(|| text.rfind(keep)).flatten() else {
        return fit(text, width);
    };
    let tail = &text[at..];
    if text.width() <= width || tail.width() + 1 > width {
        return fit(text, width);
    }
    let mut out = take_columns(&text[..at], width - tail.width() - 1);
    out.push(ELLIPSIS);
    out.push_str(tail);
    let used = out.width();
    out.push_str(&" ".repeat(width.saturating_sub(used)));
    out
}

/// The longest prefix of `text` at most `width` display columns wide.
fn take_columns(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(width + 4);
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out
}

/// Columns of text, each fitted to its display width, one space apart.
pub fn fit_columns(cols: &[(String, usize)]) -> String {
    cols.iter()
        .map(|(text, w)| fit(text, *w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Like [`fit`], right-aligned.
pub fn fit_right(text: &str, width: usize) -> String {
    let text = visible(text);
    let text = text.as_ref();
    let w = text.width();
    if w >= width {
        fit(text, width)
    } else {
        format!("{}{}", " ".repeat(width - w), text)
    }
}

/// Splits `total` columns among flexible columns by weight, after the fixed ones.
pub fn share(total: usize, fixed: &[usize], weights: &[usize]) -> Vec<usize> {
    let gaps = fixed.len() + weights.len();
    let rest = total.saturating_sub(fixed.iter().sum::<usize>() + gaps);
    let sum: usize = weights.iter().sum::<usize>().max(1);
    let mut out: Vec<usize> = weights.iter().map(|w| rest * w / sum).collect();
    let assigned: usize = out.iter().sum();
    if let Some(first) = out.first_mut() {
        *first += rest - assigned;
    }
    out
}

/// Joins `parts` with `sep` into lines of at most `width` display columns, breaking only
/// between parts (key hints must not be split inside a word or a Chinese label).
pub fn wrap_parts(parts: &[String], sep: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for part in parts {
        let candidate = if current.is_empty() {
            part.clone()
        } else {
            format!("{current}{sep}{part}")
        };
        if candidate.width() <= width || current.is_empty() {
            current = candidate;
        } else {
            lines.push(std::mem::take(&mut current));
            current = part.clone();
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_counts_display_columns() {
        assert_eq!(fit("张三丰", 5), "张三…");
        assert_eq!(fit("张三丰", 6), "张三丰");
        assert_eq!(fit("张三丰", 4), "张… ");
        assert_eq!(fit("neighbours", 6), "neigh…");
        assert_eq!(fit("abc", 0), "");
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(fit_right("3", 3), "  3");
        assert_eq!(share(20, &[5], &[1, 1]), vec![6, 6]);
        let purpose = "交通事故赔偿纠纷调解后回访（第3天）";
        let kept = fit_keeping(purpose, "（第3天）", 24);
        assert_eq!(kept.width(), 24);
        assert!(kept.ends_with("…（第3天）"), "{kept}");
        assert_eq!(fit_keeping(purpose, "（第3天）", 80).trim_end(), purpose);
        assert_eq!(fit_keeping("abc", "zz", 2), "a…");
        let parts: Vec<String> = ["a 受理", "f 移交", "Esc 返回"].map(String::from).to_vec();
        assert_eq!(
            wrap_parts(&parts, " | ", 15),
            vec!["a 受理 | f 移交", "Esc 返回"]
        );
        assert_eq!(
            wrap_parts(&parts, " | ", 14),
            vec!["a 受理", "f 移交", "Esc 返回"]
        );
    }
}
