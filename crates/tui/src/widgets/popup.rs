//! Centred boxes over the current screen.

use ratatui::layout::Rect;

/// A rectangle of at most `width`×`height` centred in `area` (clamped to fit).
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Clears the area under a popup. One extra column is cleared on each side: a wide
/// (Chinese) character of the screen below that straddles the popup's edge would
/// otherwise still be drawn by the terminal over the border.
pub fn clear(frame: &mut ratatui::Frame, popup: Rect) {
    let bounds = frame.area();
    let x = popup.x.saturating_sub(1).max(bounds.x);
    let right = (popup.right() + 1).min(bounds.right());
    frame.render_widget(
        ratatui::widgets::Clear,
        Rect {
            x,
            width: right - x,
            ..popup
        },
    );
}
