//! A query, prepared once, and the scoring of texts against it.
//!
//! A score is a match class (tier) times [`TIER`] plus a bonus inside the class, so that
//! every exact name match outranks every pinyin match, which outranks every fuzzy one.

use super::keys::{Spelling, TextKeys};
use super::normalize::{alnum_bit, alnum_set, char_set, is_subsequence, normalize};
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use std::sync::OnceLock;

/// Width of one match class in the score.
const TIER: i64 = 1_000_000;

/// Digits an ID or phone tail query needs: fewer match too many people to mean anything.
const MIN_TAIL: usize = 4;

/// Match classes, worst first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    /// A subsequence of the name or of one of its spellings, scored by skim.
    Fuzzy = 1,
    VillagePinyin,
    VillageText,
    PinyinInfix,
    PinyinPrefix,
    /// Full pinyin or initials of the whole name.
    PinyinWhole,
    /// The end of the ID or phone number.
    Tail,
    NameInfix,
    NamePrefix,
    NameExact,
}

/// A normalised query and what can be decided about it before looking at any person.
pub(crate) struct Query {
    text: String,
    /// ASCII letters and digits in the query.
    letters: u64,
    /// The first byte's bit if it is an ASCII letter or digit: a pinyin match must start
    /// with a reading beginning with it.
    head: Option<u64>,
    /// Whether pinyin matching applies (the query has ASCII letters or digits).
    spelled: bool,
    /// Whether the query looks like the end of an ID or phone number (`002x`, `5678`).
    tail: bool,
    /// [`char_set`] of the text.
    chars_in: u64,
    /// Whether the query is all ASCII: then only texts with some ASCII can contain it.
    ascii: bool,
}

impl Query {
    /// `None` for a query with nothing searchable in it.
    pub(crate) fn parse(raw: &str) -> Option<Query> {
        let text = normalize(raw);
        if text.is_empty() {
            return None;
        }
        let bytes = text.as_bytes();
        let letters = alnum_set(bytes);
        Some(Query {
            head: bytes.first().map(|&b| alnum_bit(b)).filter(|&bit| bit != 0),
            spelled: letters != 0,
            tail: looks_like_tail(bytes),
            chars_in: char_set(&text),
            ascii: text.is_ascii(),
            letters,
            text,
        })
    }

    /// Whether this may be the end of an ID number or phone number.
    pub(crate) fn is_tail(&self) -> bool {
        self.tail
    }

    /// The normalised text (lower case, ASCII `x`).
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// Whether fuzzy matching is worth running: one character matches nearly everyone as
    /// a subsequence, and digits are tails, not names.
    pub(crate) fn wants_fuzzy(&self) -> bool {
        self.text.chars().nth(1).is_some()
            && !self.tail
            && !self.text.bytes().all(|b| b.is_ascii_digit())
    }
}

/// Digits, optionally ending in `x` (the ID check character), at least [`MIN_TAIL`] long.
fn looks_like_tail(bytes: &[u8]) -> bool {
    let digits = bytes.strip_suffix(b"x").unwrap_or(bytes);
    bytes.len() >= MIN_TAIL && digits.iter().all(u8::is_ascii_digit)
}

fn score(tier: Tier, bonus: i64) -> i64 {
    tier as i64 * TIER + bonus.clamp(0, TIER - 1)
}

/// Inside a class, shorter names first: `张三` is likelier meant by `zhangs` than `张三丰`.
fn brevity(keys: &TextKeys) -> i64 {
    999 - i64::from(keys.char_count().min(99)) * 10
}

/// Matches of the text as written: exact, prefix or substring (case-insensitive).
fn text_tier(keys: &TextKeys, q: &Query) -> Option<Spelling> {
    if !keys.may_contain(q.chars_in) || (q.ascii && !keys.has_ascii()) {
        return None;
    }
    let text = keys.compact();
    if text == q.text {
        Some(Spelling::Whole)
    } else if text.starts_with(&q.text) {
        Some(Spelling::Prefix)
    } else if text.contains(&q.text) {
        Some(Spelling::Infix)
    } else {
        None
    }
}

/// Matches of the text's pinyin under every reading.
fn pinyin_tier(keys: &TextKeys, q: &Query) -> Option<Spelling> {
    if !q.spelled || !keys.could_spell(q.letters, q.head) {
        return None;
    }
    keys.spell(q.text.as_bytes())
}

/// Score of a person's name, without fuzzy matching.
pub(crate) fn name_score(keys: &TextKeys, q: &Query) -> Option<i64> {
    let tier = match text_tier(keys, q) {
        Some(Spelling::Whole) => Tier::NameExact,
        Some(Spelling::Prefix) => Tier::NamePrefix,
        Some(Spelling::Infix) => Tier::NameInfix,
        None => match pinyin_tier(keys, q)? {
            Spelling::Whole => Tier::PinyinWhole,
            Spelling::Prefix => Tier::PinyinPrefix,
            Spelling::Infix => Tier::PinyinInfix,
        },
    };
    Some(score(tier, brevity(keys)))
}

/// Score of a person's village: below any name match, since a village names many people.
pub(crate) fn village_score(keys: &TextKeys, q: &Query) -> Option<i64> {
    let tier = if text_tier(keys, q).is_some() {
        Tier::VillageText
    } else if q.text.len() >= 2 && pinyin_tier(keys, q).is_some() {
        Tier::VillagePinyin
    } else {
        return None;
    };
    Some(score(tier, brevity(keys)))
}

/// Score of an ID or phone tail match.
pub(crate) fn tail_score() -> i64 {
    score(Tier::Tail, 0)
}

/// Fuzzy score of a name: the query as a subsequence of the name or of one of its
/// spellings, scored by skim. Only run on people nothing cheaper matched.
pub(crate) fn fuzzy_score(keys: &TextKeys, q: &Query) -> Option<i64> {
    let pattern = q.text.as_bytes();
    let as_written = Some(keys.compact()).filter(|_| keys.may_contain(q.chars_in));
    let spelled = q.ascii && keys.may_spell_with(q.letters);
    let spellings = keys.variants().filter(|_| spelled);
    as_written
        .into_iter()
        .chain(spellings)
        .filter(|choice| is_subsequence(pattern, choice.as_bytes()))
        .filter_map(|choice| matcher().fuzzy_match(choice, &q.text))
        .max()
        .map(|s| score(Tier::Fuzzy, s))
}

/// Whether the text matches without fuzzy matching, as [`super::text_matches`] promises.
pub(crate) fn matches_plainly(keys: &TextKeys, q: &Query) -> bool {
    text_tier(keys, q).is_some() || pinyin_tier(keys, q).is_some()
}

/// One matcher for the process: it keeps per-thread scratch buffers, so sharing it saves
/// an allocation per scored text.
fn matcher() -> &'static SkimMatcherV2 {
    static MATCHER: OnceLock<SkimMatcherV2> = OnceLock::new();
    MATCHER.get_or_init(|| SkimMatcherV2::default().ignore_case())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Query {
        Query::parse(s).expect("query")
    }

    #[test]
    fn tails_recognised() {
        assert!(q("002X").is_tail());
        assert!(q("5678").is_tail());
        assert!(!q("567").is_tail());
        assert!(!q("x002").is_tail());
        assert!(Query::parse("  ").is_none());
    }

    #[test]
    fn classes_ordered() {
        let name = TextKeys::new("张三", true);
        let exact = name_score(&name, &q("张三")).expect("exact");
        let pinyin = name_score(&name, &q("zhangsan")).expect("pinyin");
        let fuzzy = fuzzy_score(&TextKeys::new("张三丰", true), &q("zhsanf")).expect("fuzzy");
        assert!(exact > pinyin && pinyin > fuzzy);
        assert!(name_score(&name, &q("zhgsan")).is_none());
    }
}
