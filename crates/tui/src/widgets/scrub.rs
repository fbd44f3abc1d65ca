//! The last guard between the screens and the terminal.
//!
//! Lists show control, bidi and zero-width characters as visible escapes
//! (`columns::fit`), but a screen may draw stored text some other way (a detail card, a
//! form opened on an old record). ratatui drops control characters yet sends a
//! zero-width one (U+202E, U+200B…) on with the cell before it, where it reverses or hides
//! what follows. After every frame is drawn, such characters are taken out of every cell,
//! so none reaches the terminal whatever screen drew it.

use beatbook_model::text::is_unsafe;
use ratatui::buffer::Buffer;

/// Removes control, bidi and zero-width characters from every cell of `buf`.
pub fn scrub(buf: &mut Buffer) {
    for cell in buf.content.iter_mut() {
        if cell.symbol().chars().any(is_unsafe) {
            let kept: String = cell.symbol().chars().filter(|&c| !is_unsafe(c)).collect();
            cell.set_symbol(if kept.is_empty() { " " } else { &kept });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::text::Line;
    use ratatui::widgets::Widget;

    #[test]
    fn no_cell_keeps_a_bidi_or_zero_width_character() {
        let area = Rect::new(0, 0, 20, 1);
        let mut buf = Buffer::empty(area);
        // A line as lists draw it: a lone zero-width character goes with the cell before
        // it; a joiner is part of that cell's grapheme anyway.
        Line::from("张\u{202e}三\u{200d}ab\u{2066}").render(area, &mut buf);
        assert!(
            buf.content
                .iter()
                .any(|c| c.symbol().chars().any(is_unsafe)),
            "ratatui passes them on (the reason for this guard)"
        );
        scrub(&mut buf);
        assert!(buf
            .content
            .iter()
            .all(|c| !c.symbol().chars().any(is_unsafe)));
        let text: String = buf.content.iter().map(|c| c.symbol()).collect();
        assert!(
            text.contains('张') && text.contains('三') && text.contains("ab"),
            "{text:?}"
        );
    }
}
