//! A data row picked apart by column, cleaned but not yet checked.

use super::cells;
use super::columns::Column;
use beatbook_model::PersonDraft;
use csv::StringRecord;
use std::fmt;

/// One person row of a roster: every cell cleaned (see [`cells`]), nothing validated.
#[derive(Clone, PartialEq, Eq)]
pub struct ImportRow {
    /// 1-based line in the file where the row starts (the header is usually line 1).
    pub line: usize,
    pub person: PersonDraft,
    /// Category texts as written, split on `、 , ， ; ； / ／` and line breaks.
    pub categories: Vec<String>,
    /// The level as written; `None` when the file has no level column or the cell is
    /// empty.
    pub level: Option<String>,
    pub basis: String,
    pub source: String,
    /// Officer username or name, as written.
    pub responsible: String,
    pub next_review: String,
}

impl fmt::Debug for ImportRow {
    /// Leaves out ID number, phone and address: Debug output may reach logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImportRow")
            .field("line", &self.line)
            .field("name", &self.person.name)
            .field("categories", &self.categories)
            .field("level", &self.level)
            .finish_non_exhaustive()
    }
}

/// Where each known column sits in a record.
pub struct ColumnIndex {
    index: [Option<usize>; Column::KNOWN.len()],
}

impl ColumnIndex {
    pub fn new(columns: &[(String, Column)]) -> ColumnIndex {
        let mut index = [None; Column::KNOWN.len()];
        for (i, (_, column)) in columns.iter().enumerate() {
            if let Some(slot) = Column::KNOWN.iter().position(|c| c == column) {
                index[slot].get_or_insert(i);
            }
        }
        ColumnIndex { index }
    }

    /// The raw cell of `column` in `record`, empty when the file has no such column.
    fn cell<'r>(&self, record: &'r StringRecord, column: Column) -> &'r str {
        Column::KNOWN
            .iter()
            .position(|c| *c == column)
            .and_then(|slot| self.index[slot])
            .and_then(|i| record.get(i))
            .unwrap_or("")
    }

    /// Whether the record has nothing in any imported column: a template row that holds
    /// only a pre-filled 序号 is an empty row, not a person without a name.
    pub fn is_empty_row(&self, record: &StringRecord) -> bool {
        self.index
            .iter()
            .flatten()
            .all(|&i| record.get(i).map_or(true, cells::is_empty))
    }

    /// Builds the row of one record.
    pub fn row(&self, line: usize, record: &StringRecord) -> ImportRow {
        let cell = |c| self.cell(record, c);
        let level = cells::single_line(cell(Column::Level));
        ImportRow {
            line,
            person: PersonDraft {
                name: cells::name(cell(Column::Name)),
                gender: cells::gender(cell(Column::Gender)),
                birth_date: cells::single_line(cell(Column::BirthDate)),
                id_number: cells::number(cell(Column::IdNumber)),
                phone: cells::number(cell(Column::Phone)),
                address: cells::single_line(cell(Column::Address)),
                village: cells::single_line(cell(Column::Village)),
                notes: cells::multi_line(cell(Column::Notes)),
                // The roster has no columns for these; the agreement form asks for them.
                ethnicity: String::new(),
                occupation: String::new(),
            },
            categories: cells::categories(cell(Column::Categories)),
            level: (!level.is_empty()).then_some(level),
            basis: cells::multi_line(cell(Column::Basis)),
            source: cells::single_line(cell(Column::Source)),
            responsible: cells::single_line(cell(Column::Responsible)),
            next_review: cells::single_line(cell(Column::NextReview)),
        }
    }
}

/// Whether every cell of a record is empty after cleaning: a blank spreadsheet row
/// (`,,,,`) counts as a blank line.
pub fn is_blank(record: &StringRecord) -> bool {
    record.iter().all(cells::is_empty)
}
