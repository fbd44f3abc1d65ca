//! Measuring and breaking lines of text. Chinese breaks between any two characters except
//! where the punctuation rules forbid it (no line starts with `，。）」` or ends with
//! `（「`); Latin words and numbers stay whole. The rules are Unicode's (UAX #14, the
//! `unicode-linebreak` crate); a word wider than the line is cut between characters.

use crate::fonts::Readers;
use unicode_linebreak::{linebreaks, BreakOpportunity};

/// The width of `text` in em (multiply by the font size for points).
pub(crate) fn width_em(readers: &Readers<'_>, text: &str) -> f32 {
    text.chars()
        .filter(|c| !c.is_control())
        .map(|c| readers.place(c).map_or(0.5, |p| p.advance))
        .sum()
}

/// `text` broken into lines no wider than `max` points at `size`. A line break in the
/// text always breaks; an empty text is one empty line (a field left blank still takes
/// its place on the page).
pub(crate) fn wrap_with(readers: &Readers<'_>, text: &str, size: f32, max: f32) -> Vec<String> {
    let max_em = (max / size).max(1.0);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_em = 0.0f32;
    let mut from = 0;
    for (at, opportunity) in linebreaks(text) {
        let segment = &text[from..at];
        from = at;
        let visible = segment.trim_end_matches(['\n', '\r', ' ', '\u{2028}', '\u{2029}']);
        let visible_em = width_em(readers, visible);
        if line_em + visible_em > max_em && !line.trim().is_empty() {
            lines.push(std::mem::take(&mut line).trim_end().to_string());
            line_em = 0.0;
        }
        if visible_em > max_em {
            // A word wider than the line: cut it between characters.
            for ch in visible.chars() {
                let w = width_em(readers, ch.encode_utf8(&mut [0; 4]));
                if line_em + w > max_em && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line_em = 0.0;
                }
                line.push(ch);
                line_em += w;
            }
        } else {
            line.push_str(visible);
            line_em += visible_em;
        }
        let tail = &segment[visible.len()..];
        if opportunity == BreakOpportunity::Mandatory && tail.contains(['\n', '\r']) {
            lines.push(std::mem::take(&mut line).trim_end().to_string());
            line_em = 0.0;
        } else {
            // Spaces after a word count unless the line breaks there.
            line.push_str(tail);
            line_em += width_em(readers, tail);
        }
    }
    if !line.trim().is_empty() || lines.is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::FontSet;

    fn fonts() -> FontSet {
        FontSet::load(&[]).expect("shipped font")
    }

    fn width(fonts: &FontSet, text: &str, size: f32) -> f32 {
        width_em(&fonts.readers(), text) * size
    }

    fn wrap(fonts: &FontSet, text: &str, size: f32, max: f32) -> Vec<String> {
        wrap_with(&fonts.readers(), text, size, max)
    }

    #[test]
    fn chinese_breaks_between_characters_and_keeps_punctuation_off_the_line_start() {
        let f = fonts();
        // Ten characters a line at 10 pt over 100 pt.
        let text = "甲方于二零二六年十二月三十一日前一次性支付乙方，赔偿款五千元整。";
        let lines = wrap(&f, text, 10.0, 100.0);
        assert!(lines.len() >= 3, "{lines:?}");
        assert_eq!(lines.concat(), text, "nothing lost or added");
        for l in &lines {
            assert!(width(&f, l, 10.0) <= 100.5, "{l} too wide");
            assert!(!l.starts_with(['，', '。']), "{l} starts with punctuation");
        }
    }

    #[test]
    fn latin_words_stay_whole_and_line_breaks_in_the_text_break() {
        let f = fonts();
        let lines = wrap(&f, "pay 5000 yuan before the end\nof December", 10.0, 80.0);
        assert!(lines.iter().all(|l| !l.starts_with(' ')), "{lines:?}");
        assert!(lines.contains(&"of December".to_string()), "{lines:?}");
        let words: Vec<&str> = lines.iter().flat_map(|l| l.split(' ')).collect();
        assert_eq!(
            words,
            ["pay", "5000", "yuan", "before", "the", "end", "of", "December"]
        );
    }

    #[test]
    fn an_empty_text_is_one_empty_line() {
        assert_eq!(wrap(&fonts(), "", 12.0, 100.0), vec![String::new()]);
    }
}
