//! The demo's memory of earlier disputes, so that repeat parties imply the same
//! indicators the service would compute.

use super::*;

/// The disputes written so far, by party: what the implied indicators are computed from.
/// Mirrors the service's check on save (the same parties in another dispute within the
/// recurrence window; a party in another one), counting only disputes reported up to the
/// day of the check, as they were when that dispute was saved.
#[derive(Default)]
pub(crate) struct Ledger {
    pub(crate) reported: Vec<NaiveDate>,
    pub(crate) parties: Vec<Vec<Id>>,
    pub(crate) by_person: HashMap<Id, Vec<usize>>,
    /// Persons on the watch list (the `watch_list` implied indicator).
    pub watched: std::collections::HashSet<Id>,
}

impl Ledger {
    /// Implied indicator codes for a dispute of `parties` checked on `on`, limited to the
    /// ones the configuration computes.
    pub fn implied(&self, parties: &[Id], on: NaiveDate, config: &DisputeConfig) -> Vec<String> {
        let window = u64::from(config.limits.recurrence_window_days);
        let since = on
            .checked_sub_days(Days::new(window))
            .unwrap_or(NaiveDate::MIN);
        let mine: BTreeSet<Id> = parties.iter().copied().collect();
        let mut out = BTreeSet::new();
        for person in &mine {
            let others = self
                .by_person
                .get(person)
                .into_iter()
                .flatten()
                .filter(|i| (since..=on).contains(&self.reported[**i]));
            if self.watched.contains(person) {
                out.insert(implied::WATCH_LIST);
            }
            for i in others {
                out.insert(implied::REPEAT_PARTY);
                if self.parties[*i].iter().filter(|p| mine.contains(p)).count() >= 2 {
                    out.insert(implied::REPEAT_PARTIES);
                }
            }
        }
        out.into_iter()
            .filter(|c| config.computes(c))
            .map(str::to_string)
            .collect()
    }

    /// Records a dispute written.
    pub fn add(&mut self, parties: &[Id], reported_on: NaiveDate) {
        let i = self.reported.len();
        self.reported.push(reported_on);
        self.parties.push(parties.to_vec());
        for p in parties {
            self.by_person.entry(*p).or_default().push(i);
        }
    }
}
