//! Search keys of one text (a name or a village), computed once when a person is written
//! so that a query only compares bytes.
//!
//! Pinyin is kept per character, as the list of every reading of that character, rather
//! than as whole-text spellings: a name of three polyphonic characters has dozens of
//! spellings, but walking the per-character lists checks all of them at the cost of one.
//! Whole-text spellings are kept too, capped, because fuzzy scoring needs strings.

use super::normalize::{alnum_bit, alnum_set, char_set, normalize};
use pinyin::ToPinyinMulti;

/// Most whole-text spellings kept for fuzzy scoring. 单解朴 alone has 27; the first
/// readings listed are the common ones, and exact or prefix matching sees every reading
/// through the per-character lists anyway.
const MAX_VARIANTS: usize = 16;

/// Characters of a text given pinyin. Names have at most 40 and villages 80; longer texts
/// filtered on screen match by pinyin on their beginning only (substring matching still
/// covers all of them).
const MAX_SPELLED_CHARS: usize = 160;

/// Longest query matched by pinyin; nothing longer spells a name.
const MAX_SPELLED_QUERY: usize = 96;

/// Texts with more characters than this get a memo of failed positions while matched, so
/// that long texts cannot make the walk exponential. Names stay below it and skip the cost.
const MEMO_ABOVE_CHARS: usize = 8;

/// A byte range in [`TextKeys::buf`].
#[derive(Clone, Copy)]
struct Span {
    start: u32,
    len: u32,
}

/// How a query spelled a text in pinyin, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Spelling {
    /// From the second character or later (`san` in 张三).
    Infix,
    /// From the first character, not necessarily to the end (`zhang`, `zhangs`, `zs` in
    /// 张三丰).
    Prefix,
    /// The full pinyin or the initials of the whole text (`zhangsan`, `zs` in 张三).
    Whole,
}

/// How much of a reading one step of the walk may consume.
#[derive(Clone, Copy)]
enum Step {
    /// The whole reading (full pinyin).
    Whole,
    /// Its first character (initials).
    Initial,
    /// Any non-empty prefix (mixed input such as `zhangs` or `zhsf`).
    AnyPrefix,
}

/// The keys of one text.
pub(crate) struct TextKeys {
    /// The normalised text, then every reading, then every whole-text spelling.
    buf: Box<str>,
    compact_len: u32,
    /// Readings of all spelled characters, grouped by character.
    readings: Box<[Span]>,
    /// `groups[i]..groups[i + 1]` are the readings of spelled character `i`.
    groups: Box<[u32]>,
    variants: Box<[Span]>,
    /// ASCII letters and digits occurring in any reading.
    letters: u64,
    /// ASCII letters and digits starting any reading: where a pinyin match can begin.
    heads: u64,
    has_ascii: bool,
    /// [`char_set`] of the normalised text.
    chars_in: u64,
    /// Characters in the normalised text, to rank short names above long ones.
    chars: u32,
}

impl TextKeys {
    /// Builds the keys. `with_variants` is false for one-off matching, which never scores
    /// fuzzily.
    pub(crate) fn new(text: &str, with_variants: bool) -> TextKeys {
        TextKeys::from_normalized(normalize(text), with_variants)
    }

    /// Builds the keys of a text already passed through [`normalize`].
    pub(crate) fn from_normalized(compact: String, with_variants: bool) -> TextKeys {
        let per_char: Vec<Vec<String>> = compact
            .chars()
            .take(MAX_SPELLED_CHARS)
            .map(readings_of)
            .collect();
        let variants = if with_variants {
            spellings(&per_char)
        } else {
            Vec::new()
        };
        assemble(compact, &per_char, &variants)
    }

    /// The normalised text.
    pub(crate) fn compact(&self) -> &str {
        self.buf
            .get(..self.compact_len as usize)
            .unwrap_or_default()
    }

    /// Characters in the normalised text.
    pub(crate) fn char_count(&self) -> u32 {
        self.chars
    }

    /// Whether the normalised text has ASCII in it; an ASCII query cannot be a substring of
    /// a text without any.
    pub(crate) fn has_ascii(&self) -> bool {
        self.has_ascii
    }

    /// Whether every character of a query with [`char_set`] `set` occurs in the text, as
    /// a cheap necessary condition for substring and subsequence matches.
    pub(crate) fn may_contain(&self, set: u64) -> bool {
        set & !self.chars_in == 0
    }

    /// Whether every ASCII letter and digit of a query occurs in some reading, as a
    /// cheap necessary condition for matching a whole-text spelling.
    pub(crate) fn may_spell_with(&self, letters: u64) -> bool {
        letters & !self.letters == 0
    }

    /// Whole-text pinyin spellings, at most [`MAX_VARIANTS`].
    pub(crate) fn variants(&self) -> impl Iterator<Item = &str> + '_ {
        self.variants.iter().map(|s| self.text(*s))
    }

    /// A cheap necessary condition for [`TextKeys::spell`]: every ASCII letter and digit of
    /// the query occurs in some reading, and the first one can start a reading.
    pub(crate) fn could_spell(&self, letters: u64, head: Option<u64>) -> bool {
        letters & !self.letters == 0 && head.map_or(true, |h| h & self.heads != 0)
    }

    /// How `query` (normalised) spells this text in pinyin, under every reading of every
    /// character; a Chinese character in the query must match itself (`张s`).
    pub(crate) fn spell(&self, query: &[u8]) -> Option<Spelling> {
        if query.is_empty() || query.len() > MAX_SPELLED_QUERY {
            return None;
        }
        if Walk::new(self, query, Step::AnyPrefix, false).from(0, 0) {
            let whole = Walk::new(self, query, Step::Whole, true).from(0, 0)
                || Walk::new(self, query, Step::Initial, true).from(0, 0);
            return Some(if whole {
                Spelling::Whole
            } else {
                Spelling::Prefix
            });
        }
        // Failures depend only on (query position, character), so one memo serves every
        // start.
        let mut walk = Walk::new(self, query, Step::AnyPrefix, false);
        (1..self.spelled_chars())
            .any(|ci| walk.from(0, ci))
            .then_some(Spelling::Infix)
    }

    fn spelled_chars(&self) -> usize {
        self.groups.len().saturating_sub(1)
    }

    fn readings_of(&self, ci: usize) -> impl Iterator<Item = &[u8]> + '_ {
        let start = self.groups.get(ci).copied().unwrap_or(0) as usize;
        let end = self.groups.get(ci + 1).copied().unwrap_or(0) as usize;
        self.readings
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .map(|s| self.text(*s).as_bytes())
    }

    fn text(&self, span: Span) -> &str {
        let start = span.start as usize;
        self.buf
            .get(start..start + span.len as usize)
            .unwrap_or_default()
    }
}

/// Every reading of one (normalised) character: its toneless pinyin readings (`ü` written
/// both `v` and `u`, as people type either) followed by the character itself, so that a
/// query may mix characters and pinyin. ASCII characters read as themselves.
fn readings_of(c: char) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if let Some(multi) = c.to_pinyin_multi() {
        for reading in multi {
            let plain = reading.plain().replace('ê', "e");
            if plain.contains('ü') {
                push_unique(&mut out, plain.replace('ü', "v"));
                push_unique(&mut out, plain.replace('ü', "u"));
            } else {
                push_unique(&mut out, plain);
            }
        }
    }
    push_unique(&mut out, c.to_string());
    out
}

fn push_unique(out: &mut Vec<String>, s: String) {
    if !s.is_empty() && !out.contains(&s) {
        out.push(s);
    }
}

/// Whether a reading is pinyin (or a latin letter or digit) rather than the character
/// itself; only those make whole-text spellings.
fn is_spelling(reading: &str) -> bool {
    reading.is_ascii()
}

/// Whole-text spellings, earlier (commoner) readings first, at most [`MAX_VARIANTS`].
fn spellings(per_char: &[Vec<String>]) -> Vec<String> {
    let mut out = vec![String::new()];
    for readings in per_char {
        let spelled: Vec<&String> = readings.iter().filter(|r| is_spelling(r)).collect();
        if spelled.is_empty() {
            // A character without pinyin (e.g. a rare one): keep it as written.
            out.iter_mut()
                .for_each(|v| v.push_str(readings.last().map_or("", |r| r.as_str())));
            continue;
        }
        out = out
            .iter()
            .flat_map(|v| spelled.iter().map(move |r| format!("{v}{r}")))
            .take(MAX_VARIANTS)
            .collect();
    }
    out.retain(|v| !v.is_empty());
    out
}

/// Packs the parts into one buffer, so that a text costs a handful of allocations however
/// many readings it has.
fn assemble(compact: String, per_char: &[Vec<String>], variants: &[String]) -> TextKeys {
    let mut buf = compact;
    let compact_len = to_u32(buf.len());
    let chars = to_u32(buf.chars().count());
    let has_ascii = buf.bytes().any(|b| b.is_ascii());
    let chars_in = char_set(&buf);
    let push = |s: &str, buf: &mut String| {
        let span = Span {
            start: to_u32(buf.len()),
            len: to_u32(s.len()),
        };
        buf.push_str(s);
        span
    };
    let mut readings = Vec::new();
    let mut groups = vec![0];
    let (mut letters, mut heads) = (0, 0);
    for char_readings in per_char {
        for r in char_readings {
            letters |= alnum_set(r.as_bytes());
            heads |= r.bytes().next().map_or(0, alnum_bit);
            readings.push(push(r, &mut buf));
        }
        groups.push(to_u32(readings.len()));
    }
    let variants: Vec<Span> = variants.iter().map(|v| push(v, &mut buf)).collect();
    TextKeys {
        buf: buf.into_boxed_str(),
        compact_len,
        readings: readings.into_boxed_slice(),
        groups: groups.into_boxed_slice(),
        variants: variants.into_boxed_slice(),
        letters,
        heads,
        has_ascii,
        chars_in,
        chars,
    }
}

/// Lengths here are bounded by the text limits; saturating keeps a pathological input from
/// wrapping instead of panicking.
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// One attempt to spell a text: consume the query character by character of the text,
/// each step taking a part of one reading as allowed by `step`.
struct Walk<'a> {
    keys: &'a TextKeys,
    query: &'a [u8],
    step: Step,
    /// Whether the query must end exactly at the text's last character.
    cover_all: bool,
    /// Positions `query_pos * (chars + 1) + char` known to fail, for long texts only.
    failed: Option<Vec<bool>>,
}

impl<'a> Walk<'a> {
    fn new(keys: &'a TextKeys, query: &'a [u8], step: Step, cover_all: bool) -> Walk<'a> {
        let n = keys.spelled_chars();
        let failed = (n > MEMO_ABOVE_CHARS).then(|| vec![false; (query.len() + 1) * (n + 1)]);
        Walk {
            keys,
            query,
            step,
            cover_all,
            failed,
        }
    }

    /// Whether the query from byte `qi` spells the text from character `ci`.
    fn from(&mut self, qi: usize, ci: usize) -> bool {
        let n = self.keys.spelled_chars();
        if qi >= self.query.len() {
            return !self.cover_all || ci == n;
        }
        if ci >= n {
            return false;
        }
        let slot = qi * (n + 1) + ci;
        if self.known_failure(slot) {
            return false;
        }
        let keys = self.keys;
        let found = keys.readings_of(ci).any(|r| self.through(qi, ci, r));
        if !found {
            if let Some(cell) = self.failed.as_mut().and_then(|f| f.get_mut(slot)) {
                *cell = true;
            }
        }
        found
    }

    fn known_failure(&self, slot: usize) -> bool {
        self.failed
            .as_ref()
            .and_then(|f| f.get(slot))
            .copied()
            .unwrap_or(false)
    }

    /// Whether the query from `qi` continues through `reading` of character `ci`. Longer
    /// parts are tried first: they are the likelier intent and usually succeed at once.
    fn through(&mut self, qi: usize, ci: usize, reading: &[u8]) -> bool {
        let rest = self.query.get(qi..).unwrap_or_default();
        let common = rest.iter().zip(reading).take_while(|(a, b)| a == b).count();
        if common == 0 {
            return false;
        }
        let whole = common == reading.len();
        let written_char = !reading.first().is_some_and(u8::is_ascii);
        match self.step {
            _ if written_char => whole && self.from(qi + reading.len(), ci + 1),
            Step::Whole => whole && self.from(qi + reading.len(), ci + 1),
            Step::Initial => self.from(qi + 1, ci + 1),
            Step::AnyPrefix => (1..=common).rev().any(|k| self.from(qi + k, ci + 1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spell(text: &str, query: &str) -> Option<Spelling> {
        TextKeys::new(text, true).spell(normalize(query).as_bytes())
    }

    #[test]
    fn every_reading_of_polyphonic_characters() {
        let keys = TextKeys::new("曾", true);
        let all: Vec<&[u8]> = keys.readings_of(0).collect();
        assert!(all.contains(&b"zeng".as_slice()));
        assert!(all.contains(&b"ceng".as_slice()));
        assert_eq!(spell("单田芳", "dantianfang"), Some(Spelling::Whole));
        assert_eq!(spell("单田芳", "shantianfang"), Some(Spelling::Whole));
        assert_eq!(spell("朴槿惠", "piao"), Some(Spelling::Prefix));
    }

    #[test]
    fn whole_prefix_and_infix() {
        assert_eq!(spell("张三", "zhangsan"), Some(Spelling::Whole));
        assert_eq!(spell("张三", "zs"), Some(Spelling::Whole));
        assert_eq!(spell("张三丰", "zs"), Some(Spelling::Prefix));
        assert_eq!(spell("张三丰", "zhangs"), Some(Spelling::Prefix));
        assert_eq!(spell("张三丰", "zhsf"), Some(Spelling::Prefix));
        assert_eq!(spell("张三丰", "sanfeng"), Some(Spelling::Infix));
        assert_eq!(spell("张三丰", "张s"), Some(Spelling::Prefix));
        assert_eq!(spell("张三", "zhangsanfeng"), None);
        assert_eq!(spell("张三", "zx"), None);
    }

    #[test]
    fn u_umlaut_typed_as_v_or_u() {
        assert_eq!(spell("吕布", "lvbu"), Some(Spelling::Whole));
        assert_eq!(spell("吕布", "lubu"), Some(Spelling::Whole));
    }

    #[test]
    fn variants_are_capped_and_commonest_first() {
        let keys = TextKeys::new("单解朴仇区", true);
        let v: Vec<&str> = keys.variants().collect();
        assert!(v.len() <= MAX_VARIANTS && !v.is_empty());
        assert!(v.iter().all(|s| s.is_ascii()));
        assert_eq!(
            TextKeys::new("张三", true).variants().collect::<Vec<_>>(),
            ["zhangsan"]
        );
    }

    #[test]
    fn long_texts_stay_fast() {
        let text = "啊".repeat(80);
        let query = "a".repeat(90);
        assert_eq!(spell(&text, &query), None);
        assert_eq!(spell(&text, &"a".repeat(80)), Some(Spelling::Whole));
    }
}
