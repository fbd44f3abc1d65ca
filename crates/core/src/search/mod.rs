//! Person search: the in-memory name index behind every place a person is picked, and the
//! matching used to filter on-screen lists as the user types.
//!
//! Officers search by Chinese name (张伟), full pinyin (`zhangwei`), initials (`zw`), a mix
//! (`zhangw`, `zhw`), the end of the ID or phone number, or the village. Surnames with
//! several readings (曾 zeng/ceng, 单 shan/dan, 解 xie/jie …) match under every reading.
//!
//! Everything a query needs is computed when a person is written ([`PersonIndex::upsert`]),
//! so a query over a large station only compares bytes; the fuzzy matcher only runs when
//! the cheap checks found fewer people than asked for. Results rank the name as written
//! (exact, prefix, substring) above ID/phone tails, above pinyin (whole name, prefix,
//! from a later character), above village matches, above fuzzy ones; shorter names first
//! within a class, then the older id, so the order never depends on the order people
//! were added.

mod keys;
mod normalize;
mod query;
mod table;
#[cfg(test)]
mod tests;

use beatbook_model::{Id, Person, PersonSearchKeys};
use query::Query;
use std::collections::HashMap;
use std::fmt;
use table::{TextId, TextTable};

/// One search result. `score` only orders results of the same query.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Hit {
    pub id: Id,
    pub station: Id,
    pub score: i64,
}

/// What the index keeps of one person: shared name and village keys, and the normalised
/// ends of the ID and phone numbers.
struct Entry {
    id: Id,
    station: Id,
    name: TextId,
    village: Option<TextId>,
    /// The ID number in lower case (`x` as typed most often).
    id_number: Tail,
    /// The phone number's digits, without the area code dash.
    phone: Tail,
}

impl Entry {
    /// Whether the ID or phone number ends with `tail` (normalised).
    fn ends_with(&self, tail: &str) -> bool {
        let tail = tail.as_bytes();
        self.id_number.ends_with(tail) || self.phone.ends_with(tail)
    }
}

/// The end of a number, kept inline so that checking a person for a tail query does not
/// chase a pointer per person. 18 bytes hold a whole ID number and any phone number.
#[derive(Clone, Copy, Default)]
struct Tail {
    bytes: [u8; 18],
    len: u8,
}

impl Tail {
    /// The last 18 ASCII letters and digits of `s`, lower-cased.
    fn of(s: &str) -> Tail {
        let kept: Vec<u8> = s
            .bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| b.to_ascii_lowercase())
            .collect();
        let kept = kept
            .get(kept.len().saturating_sub(18)..)
            .unwrap_or_default();
        let mut tail = Tail::default();
        tail.bytes
            .iter_mut()
            .zip(kept)
            .for_each(|(to, from)| *to = *from);
        tail.len = u8::try_from(kept.len()).unwrap_or(0);
        tail
    }

    fn ends_with(&self, tail: &[u8]) -> bool {
        let kept = self.bytes.get(..usize::from(self.len)).unwrap_or_default();
        kept.ends_with(tail)
    }
}

/// In-memory search index of persons, updated person by person as they are written.
/// Entries are kept per station, so that a search of one station reads that station's
/// persons only: its cost follows the station, not the bureau (issue 16).
#[derive(Default)]
pub struct PersonIndex {
    /// Each station's entries.
    shelves: HashMap<Id, Vec<Entry>>,
    /// Where each person is: station and position on its shelf.
    positions: HashMap<Id, (Id, usize)>,
    texts: TextTable,
}

impl fmt::Debug for PersonIndex {
    /// Sizes only: the index holds names and ID numbers, and Debug output may reach logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PersonIndex")
            .field("persons", &self.len())
            .field("stations", &self.shelves.len())
            .field("distinct_texts", &self.texts.live())
            .finish()
    }
}

impl PersonIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds or replaces a person's entry. Called after every person write, so it only
    /// computes this person's keys (and none at all for a name or village already known).
    pub fn upsert(&mut self, person: &Person) {
        self.upsert_keys(&PersonSearchKeys::of(person));
    }

    /// [`PersonIndex::upsert`] from what the station's person index carries of a person
    /// (an index built at login reads those, not the records).
    pub fn upsert_keys(&mut self, person: &PersonSearchKeys) {
        // A duplicate merged into another person is found as that person only.
        if person.merged {
            self.remove(person.id);
            return;
        }
        let entry = self.entry_for(person);
        if let Some(&(station, pos)) = self.positions.get(&entry.id) {
            if station == entry.station {
                if let Some(slot) = self.shelves.get_mut(&station).and_then(|s| s.get_mut(pos)) {
                    let old = std::mem::replace(slot, entry);
                    self.release(&old);
                    return;
                }
            }
            // Moved to another station (or the slot went missing): off the old shelf.
            self.remove(entry.id);
        }
        let shelf = self.shelves.entry(entry.station).or_default();
        self.positions
            .insert(entry.id, (entry.station, shelf.len()));
        shelf.push(entry);
    }

    /// Drops a person's entry; unknown ids are ignored.
    pub fn remove(&mut self, id: Id) {
        let Some((station, pos)) = self.positions.remove(&id) else {
            return;
        };
        let Some(shelf) = self.shelves.get_mut(&station) else {
            return;
        };
        if pos >= shelf.len() {
            return;
        }
        let old = shelf.swap_remove(pos);
        if let Some(moved) = shelf.get(pos) {
            self.positions.insert(moved.id, (station, pos));
        }
        if shelf.is_empty() {
            self.shelves.remove(&station);
        }
        self.release(&old);
    }

    /// Number of persons indexed.
    pub fn len(&self) -> usize {
        self.positions.len()
    }

    /// Whether no person is indexed.
    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    /// Best matches first, at most `limit`. `stations`: `None` searches all stations,
    /// `Some(list)` only persons whose `meta.station` is in the list (reading only those
    /// stations' entries). An empty or whitespace query finds nothing.
    pub fn search(&self, query: &str, stations: Option<&[Id]>, limit: usize) -> Vec<Hit> {
        let Some(q) = Query::parse(query) else {
            return Vec::new();
        };
        if limit == 0 {
            return Vec::new();
        }
        let shelves: Vec<&Vec<Entry>> = match stations {
            None => self.shelves.values().collect(),
            Some(list) => {
                let mut wanted: Vec<Id> = list.to_vec();
                wanted.sort_unstable();
                wanted.dedup();
                wanted.iter().filter_map(|s| self.shelves.get(s)).collect()
            }
        };
        let mut run = Run::new(&self.texts, &q);
        let mut hits = Vec::new();
        let mut misses = Vec::new();
        for entry in shelves.into_iter().flatten() {
            match run.cheap(entry) {
                Some(score) => hits.push(hit(entry, score)),
                None if q.wants_fuzzy() => misses.push(entry),
                None => {}
            }
        }
        // Fuzzy matches rank below every cheap one, so they can only fill a short list.
        if hits.len() < limit {
            hits.extend(
                misses
                    .into_iter()
                    .filter_map(|e| run.fuzzy(e).map(|s| hit(e, s))),
            );
        }
        best(hits, limit)
    }

    fn entry_for(&mut self, person: &PersonSearchKeys) -> Entry {
        let village = person.village.trim();
        Entry {
            id: person.id,
            station: person.station,
            name: self.texts.acquire(&person.name),
            village: (!village.is_empty()).then(|| self.texts.acquire(village)),
            id_number: Tail::of(&person.id_number),
            phone: Tail::of(&person.phone),
        }
    }

    fn release(&mut self, entry: &Entry) {
        self.texts.release(entry.name);
        if let Some(v) = entry.village {
            self.texts.release(v);
        }
    }
}

fn hit(entry: &Entry, score: i64) -> Hit {
    Hit {
        id: entry.id,
        station: entry.station,
        score,
    }
}

/// The `limit` best hits, best first, ties by id. Selection before sorting keeps a
/// one-letter query over a large station from sorting every hit.
fn best(mut hits: Vec<Hit>, limit: usize) -> Vec<Hit> {
    let order = |a: &Hit, b: &Hit| b.score.cmp(&a.score).then(a.id.cmp(&b.id));
    if hits.len() > limit {
        hits.select_nth_unstable_by(limit - 1, order);
        hits.truncate(limit);
    }
    hits.sort_unstable_by(order);
    hits
}

/// Scores per text slot, filled the first time a slot is met during one query.
struct Memo(Vec<i64>);

impl Memo {
    const UNSEEN: i64 = i64::MIN;
    const MISS: i64 = -1;

    fn new(slots: usize) -> Memo {
        Memo(vec![Memo::UNSEEN; slots])
    }

    fn get_or(&mut self, id: TextId, score: impl FnOnce() -> Option<i64>) -> Option<i64> {
        let cell = self.0.get_mut(id as usize)?;
        if *cell == Memo::UNSEEN {
            *cell = score().unwrap_or(Memo::MISS);
        }
        (*cell != Memo::MISS).then_some(*cell)
    }
}

/// The state of one query: each distinct name and village is matched once.
struct Run<'a> {
    texts: &'a TextTable,
    q: &'a Query,
    names: Memo,
    villages: Memo,
    fuzzy_names: Option<Memo>,
}

impl<'a> Run<'a> {
    fn new(texts: &'a TextTable, q: &'a Query) -> Run<'a> {
        Run {
            texts,
            q,
            names: Memo::new(texts.capacity()),
            villages: Memo::new(texts.capacity()),
            fuzzy_names: None,
        }
    }

    /// Best score from the name, the village and the number tails. The village is only
    /// looked at when the name did not match, since village matches rank below names.
    fn cheap(&mut self, e: &Entry) -> Option<i64> {
        let (texts, q) = (self.texts, self.q);
        let tail = (q.is_tail() && e.ends_with(q.text())).then(query::tail_score);
        let name = self
            .names
            .get_or(e.name, || query::name_score(texts.get(e.name)?, q));
        let village = match (name, e.village) {
            (None, Some(v)) => self
                .villages
                .get_or(v, || query::village_score(texts.get(v)?, q)),
            _ => None,
        };
        [name, village, tail].into_iter().flatten().max()
    }

    fn fuzzy(&mut self, e: &Entry) -> Option<i64> {
        let (texts, q) = (self.texts, self.q);
        self.fuzzy_names
            .get_or_insert_with(|| Memo::new(texts.capacity()))
            .get_or(e.name, || query::fuzzy_score(texts.get(e.name)?, q))
    }
}

/// True if `query` matches `text` the way search matches a name: Chinese substring,
/// pinyin (full, initials or mixed) under every reading of every character, or
/// case-insensitive latin. Fuzzy subsequences are left out so that a filtered list
/// shrinks predictably while typing. An empty query filters nothing out and matches.
pub fn text_matches(query: &str, text: &str) -> bool {
    FilterQuery::parse(query).matches(&PreparedText::new(text))
}

/// A text prepared once (its pinyin under every reading worked out) for lists that are
/// filtered again on every keystroke: preparing is the expensive part of matching.
pub struct PreparedText(keys::TextKeys);

impl PreparedText {
    pub fn new(text: &str) -> PreparedText {
        PreparedText(keys::TextKeys::new(text, false))
    }
}

impl fmt::Debug for PreparedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PreparedText")
    }
}

/// The texts of one list row (name, village, purpose …), prepared once per load.
#[derive(Debug, Default)]
pub struct PreparedRow(Vec<PreparedText>);

impl PreparedRow {
    pub fn new<'a>(texts: impl IntoIterator<Item = &'a str>) -> PreparedRow {
        PreparedRow(texts.into_iter().map(PreparedText::new).collect())
    }

    /// Whether any of the row's texts matches.
    pub fn matches(&self, query: &FilterQuery) -> bool {
        query.0.is_none() || self.0.iter().any(|t| query.matches(t))
    }
}

/// The prepared texts of a list's rows, worked out at the first filter that needs them
/// rather than at every load: preparing (pinyin under every reading) cost 1.3 s for a
/// station's Today of 10,000 rows, which every login paid whether or not anyone then
/// filtered (issue 16). Reset it whenever the list is read again.
#[derive(Debug, Default)]
pub struct LazyRows(Option<Vec<PreparedRow>>);

impl LazyRows {
    /// Forgets the prepared texts: the list was read again.
    pub fn reset(&mut self) {
        self.0 = None;
    }

    /// The positions, out of `count` rows, of those passing `query`; `texts(i)` gives the
    /// texts of row `i`, asked for only when the query filters anything.
    pub fn passing<'a, I>(
        &mut self,
        query: &FilterQuery,
        count: usize,
        texts: impl Fn(usize) -> I,
    ) -> Vec<usize>
    where
        I: IntoIterator<Item = &'a str>,
    {
        if query.is_empty() {
            return (0..count).collect();
        }
        let rows = self
            .0
            .get_or_insert_with(|| (0..count).map(|i| PreparedRow::new(texts(i))).collect());
        rows.iter()
            .enumerate()
            .filter(|(_, row)| row.matches(query))
            .map(|(i, _)| i)
            .collect()
    }
}

/// A filter typed by the user, parsed once per keystroke; matches like [`text_matches`].
pub struct FilterQuery(Option<Query>);

impl FilterQuery {
    pub fn parse(query: &str) -> FilterQuery {
        FilterQuery(Query::parse(query))
    }

    /// True when nothing is typed: every row passes.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// True for an empty query (nothing filtered out).
    pub fn matches(&self, text: &PreparedText) -> bool {
        match &self.0 {
            None => true,
            Some(q) => query::matches_plainly(&text.0, q),
        }
    }
}
