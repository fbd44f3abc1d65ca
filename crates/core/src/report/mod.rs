//! Monthly statistics of a station and of the bureau (GLOSSARY.md, Reports): pure logic
//! over facts the service reads from the indexes, and the report text (Markdown, CSV).
//! No I/O here, so every figure can be checked against a hand-computed fixture.

mod month;
mod render;
mod spreadsheet;
mod stats;

pub use month::{local_date, local_midnight, Month};
pub use render::{
    bureau_csv, bureau_markdown, days, dispute_category, percent, station_csv, station_markdown,
    watch_category, Format,
};
pub use spreadsheet::csv_cell;
pub use stats::{
    compute_station, merge, rank_by_overdue, CategoryCounts, DisputeFact, DisputeFactKind,
    DisputeFigures, FindingsFigures, FlagFact, FlagFactKind, Inputs, OfficerVisits, StationStats,
    TrendCount, TrendPoint, VisitFact, VisitFigures, WatchChanges, WatchFigures, TREND_MONTHS,
};

use beatbook_i18n::Bi;
use beatbook_model::Id;

/// Names the figures need, in both languages, from the dictionaries and the accounts.
#[derive(Clone, Debug, Default)]
pub struct Labels {
    /// Dispute categories in dictionary order: code and label.
    pub dispute_categories: Vec<(String, Bi)>,
    /// Watch-list categories in dictionary order.
    pub watch_categories: Vec<(String, Bi)>,
    /// Officers' display names.
    pub officers: Vec<(Id, String)>,
}

impl Labels {
    fn dispute_category(&self, code: &str) -> Option<&Bi> {
        self.dispute_categories
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, l)| l)
    }

    fn watch_category(&self, code: &str) -> Option<&Bi> {
        self.watch_categories
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, l)| l)
    }

    /// An officer's name, or the id's tail when the account is gone.
    pub fn officer(&self, id: Id) -> String {
        self.officers
            .iter()
            .find(|(o, _)| *o == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| {
                let s = id.to_string();
                s[s.len().saturating_sub(6)..].to_string()
            })
    }
}
