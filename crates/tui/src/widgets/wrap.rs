//! Wrapping styled lines to a width by display columns, before drawing: a screen that
//! scrolls must know how many rows its text takes to stop at the last one, and ratatui's
//! own wrapping does not say.

use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

/// `line` cut into rows at most `width` columns wide (a wide character never split),
/// keeping each piece's style. An empty line stays one empty row.
pub fn wrap_line(line: Line<'static>, width: usize) -> Vec<Line<'static>> {
    let width = width.max(2);
    let mut rows: Vec<Line<'static>> = Vec::new();
    let mut current: Vec<Span<'static>> = Vec::new();
    let mut used = 0usize;
    for span in line.spans {
        let mut piece = String::new();
        for ch in span.content.chars() {
            let w = ch.width().unwrap_or(0);
            if used + w > width && used > 0 {
                if !piece.is_empty() {
                    current.push(Span::styled(std::mem::take(&mut piece), span.style));
                }
                rows.push(Line::from(std::mem::take(&mut current)));
                used = 0;
            }
            piece.push(ch);
            used += w;
        }
        if !piece.is_empty() {
            current.push(Span::styled(piece, span.style));
        }
    }
    rows.push(Line::from(current));
    rows
}

/// Every line wrapped to `width`.
pub fn wrap_lines(lines: Vec<Line<'static>>, width: usize) -> Vec<Line<'static>> {
    lines
        .into_iter()
        .flat_map(|l| wrap_line(l, width))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    fn texts(rows: &[Line]) -> Vec<String> {
        rows.iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn wide_characters_wrap_by_columns_never_split() {
        let rows = wrap_line(Line::from("调解协议履行良好ab"), 5);
        let t = texts(&rows);
        assert_eq!(t, vec!["调解", "协议", "履行", "良好a", "b"]);
        assert!(t.iter().all(|r| r.width() <= 5));
    }

    #[test]
    fn styles_survive_and_empty_lines_stay() {
        let line = Line::from(vec![Span::raw("ab"), Span::styled("cd", theme_style())]);
        let rows = wrap_line(line, 3);
        assert_eq!(texts(&rows), vec!["abc", "d"]);
        assert_eq!(rows[1].spans[0].style, theme_style());
        assert_eq!(wrap_line(Line::from(""), 10).len(), 1);
    }

    fn theme_style() -> ratatui::style::Style {
        ratatui::style::Style::default().add_modifier(ratatui::style::Modifier::BOLD)
    }
}
