//! Shared texts: many people have the same name (张伟) and nearly everyone at a station
//! shares one of a few dozen villages, so each distinct text gets its keys computed and
//! matched once per query rather than once per person.

use super::keys::TextKeys;
use super::normalize::normalize;
use std::collections::HashMap;

/// A slot number in [`TextTable`].
pub(crate) type TextId = u32;

struct Slot {
    keys: TextKeys,
    /// People using this text; the slot is freed at zero.
    users: u32,
}

/// Reference-counted texts keyed by their normalised form.
#[derive(Default)]
pub(crate) struct TextTable {
    slots: Vec<Option<Slot>>,
    by_text: HashMap<Box<str>, TextId>,
    free: Vec<TextId>,
}

impl TextTable {
    /// The slot of `text`, creating it (and computing its keys) if new.
    pub(crate) fn acquire(&mut self, text: &str) -> TextId {
        let compact = normalize(text);
        if let Some(&id) = self.by_text.get(compact.as_str()) {
            if let Some(slot) = self.slot_mut(id) {
                slot.users += 1;
                return id;
            }
        }
        let keys = TextKeys::from_normalized(compact, true);
        let compact: Box<str> = keys.compact().into();
        let slot = Slot { keys, users: 1 };
        let id = match self.free.pop() {
            Some(id) => {
                if let Some(cell) = self.slots.get_mut(id as usize) {
                    *cell = Some(slot);
                }
                id
            }
            None => {
                self.slots.push(Some(slot));
                TextId::try_from(self.slots.len() - 1).unwrap_or(TextId::MAX)
            }
        };
        self.by_text.insert(compact, id);
        id
    }

    /// Gives up one use of a slot, freeing it when nobody uses it any more.
    pub(crate) fn release(&mut self, id: TextId) {
        let Some(slot) = self.slot_mut(id) else {
            return;
        };
        slot.users = slot.users.saturating_sub(1);
        if slot.users > 0 {
            return;
        }
        if let Some(slot) = self.slots.get_mut(id as usize).and_then(Option::take) {
            self.by_text.remove(slot.keys.compact());
            self.free.push(id);
        }
    }

    /// The keys of a live slot.
    pub(crate) fn get(&self, id: TextId) -> Option<&TextKeys> {
        self.slots.get(id as usize)?.as_ref().map(|s| &s.keys)
    }

    /// Number of slots, live or free: the size of a per-query memo.
    pub(crate) fn capacity(&self) -> usize {
        self.slots.len()
    }

    /// Number of distinct live texts.
    pub(crate) fn live(&self) -> usize {
        self.by_text.len()
    }

    fn slot_mut(&mut self, id: TextId) -> Option<&mut Slot> {
        self.slots.get_mut(id as usize)?.as_mut()
    }
}
