//! Moving the selection of a list, and cycling a pick filter: the same on every list
//! screen, so written once.

use crate::action::Action;

/// Rows a page key moves.
const PAGE: isize = 10;

/// The selection after a movement `action` in a list of `len` rows, or `None` when the
/// action is not a movement (the screen handles it).
pub fn navigate(selected: usize, len: usize, action: Action) -> Option<usize> {
    let last = len.saturating_sub(1);
    let by = |delta: isize| (selected as isize + delta).clamp(0, last as isize) as usize;
    match action {
        Action::Down => Some(by(1)),
        Action::Up => Some(by(-1)),
        Action::PageDown => Some(by(PAGE)),
        Action::PageUp => Some(by(-PAGE)),
        Action::Top => Some(0),
        Action::Bottom => Some(last),
        _ => None,
    }
}

/// The rows of a list of `len` that a view `height` lines tall shows with `selected` on
/// it, as a list scrolled from the top shows them (the selection on the last line once
/// it is past the first screenful), and the selection's place among them. Screens format
/// only these rows: a station's lists run to thousands, and every key press redraws.
pub fn screenful(
    selected: Option<usize>,
    len: usize,
    height: u16,
) -> (std::ops::Range<usize>, Option<usize>) {
    let height = usize::from(height).max(1);
    let first = selected.map_or(0, |s| (s + 1).saturating_sub(height));
    let end = (first + height).min(len);
    (first.min(end)..end, selected.map(|s| s - first))
}

/// Where a list's selection goes after its rows changed (a filter, a reload, a sort, a
/// save): onto the record it was on (`keep`) if that is still listed, else onto the first
/// row. Every list goes through this, so an action can only ever apply to the record the
/// officer sees highlighted, never to whatever row now sits at the old index.
pub fn reselect<K: PartialEq>(mut keys: impl Iterator<Item = K>, keep: Option<&K>) -> usize {
    keep.and_then(|k| keys.position(|key| &key == k))
        .unwrap_or(0)
}

/// The next value of a filter that cycles "none → each choice in order → none".
pub fn cycle<T: Clone + PartialEq>(current: &Option<T>, choices: &[T]) -> Option<T> {
    match current {
        None => choices.first().cloned(),
        Some(c) => choices
            .iter()
            .position(|x| x == c)
            .and_then(|i| choices.get(i + 1).cloned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screenful_keeps_the_selection_on_screen() {
        assert_eq!(screenful(None, 100, 10), (0..10, None));
        assert_eq!(screenful(Some(3), 100, 10), (0..10, Some(3)));
        assert_eq!(screenful(Some(9), 100, 10), (0..10, Some(9)));
        assert_eq!(screenful(Some(10), 100, 10), (1..11, Some(9)));
        assert_eq!(screenful(Some(99), 100, 10), (90..100, Some(9)));
        assert_eq!(screenful(Some(2), 3, 10), (0..3, Some(2)));
        assert_eq!(screenful(None, 0, 10), (0..0, None));
    }

    #[test]
    fn moves_stay_inside_the_list() {
        assert_eq!(navigate(0, 5, Action::Up), Some(0));
        assert_eq!(navigate(4, 5, Action::Down), Some(4));
        assert_eq!(navigate(2, 30, Action::PageDown), Some(12));
        assert_eq!(navigate(3, 5, Action::Bottom), Some(4));
        assert_eq!(navigate(0, 0, Action::Down), Some(0));
        assert_eq!(navigate(0, 5, Action::Open), None);
        assert_eq!(cycle(&None, &[1, 2]), Some(1));
        assert_eq!(cycle(&Some(1), &[1, 2]), Some(2));
        assert_eq!(cycle(&Some(2), &[1, 2]), None);
    }

    #[test]
    fn reselect_follows_the_record_or_falls_to_the_first_row() {
        assert_eq!(reselect([7, 8, 9].into_iter(), Some(&9)), 2);
        assert_eq!(reselect([7, 8].into_iter(), Some(&9)), 0);
        assert_eq!(reselect([7, 8].into_iter(), None), 0);
        assert_eq!(reselect(std::iter::empty::<u8>(), Some(&1)), 0);
    }
}
