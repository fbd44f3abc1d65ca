//! Reading key-person rosters exported from Excel (CSV) — the pure half of the import.
//!
//! [`parse_persons_csv`] turns the bytes of a file into rows and structural problems;
//! [`validate_row`] (or [`ParsedFile::validate`] for all rows) checks each row the way
//! the person form does, plus what only spreadsheets get wrong. Nothing here touches the
//! store: dedupe against existing records, the category dictionary, officers and the
//! `beatbook import persons` command build on this API.
//!
//! The rule throughout is that a file is either read exactly or its problem is reported
//! with the line, the column as headed in the file, and what to change in the sheet —
//! never guessed at. What is accepted:
//! - encodings: a BOM decides (UTF-8, UTF-16LE/BE); otherwise valid UTF-8 is UTF-8 and
//!   anything else is GB18030, which covers GBK; comma- or tab-separated;
//! - header names: see [`Column::aliases`]; up to nine title rows above the header;
//! - levels: see [`level`]; dates: see [`dates`]; cell cleaning: see [`cells`].

pub mod cells;
mod columns;
pub mod dates;
mod decode;
mod excel;
pub mod level;
mod problem;
mod records;
mod row;
mod validate;

#[cfg(test)]
mod tests;

pub use columns::Column;
pub use level::parse_level;
pub use problem::{FileProblem, ImportProblem, RowProblem};
pub use row::ImportRow;
pub use validate::{unknown_categories, validate_row, ValidRow};

use chrono::NaiveDate;
use records::Ending;

/// How many records are searched for the header: rosters often start with a title row
/// (`XX派出所重点人员花名册`) and a date line.
const HEADER_SEARCH: usize = 10;

/// A roster file read into rows, not yet validated.
#[derive(Debug)]
pub struct ParsedFile {
    /// `UTF-8`, `UTF-8 (BOM)`, `GB18030` (covers GBK), `UTF-16LE` or `UTF-16BE`.
    pub encoding: &'static str,
    /// Every header cell as written (trimmed, normalised) and what it was taken for.
    pub columns: Vec<(String, Column)>,
    /// 1-based line of the header row; lines above it were titles and are skipped.
    pub header_line: usize,
    pub rows: Vec<ImportRow>,
    /// Rows that could not be read as rows: wrong number of cells, cut off.
    pub problems: Vec<RowProblem>,
    /// Empty lines, all-empty rows (`,,,,`) and rows with nothing in an imported column
    /// (a template's pre-numbered `12,,,,`), skipped.
    pub blank_lines: usize,
    /// The file ends in the middle of a row (its last line is among `problems`).
    pub truncated: bool,
}

/// The outcome of checking every row of a file.
#[derive(Debug)]
pub struct Checked {
    pub valid: Vec<ValidRow>,
    /// Structural and row problems together, by line.
    pub problems: Vec<RowProblem>,
}

impl ParsedFile {
    /// Checks every row; the file's structural problems come first in line order with
    /// the rows' own.
    pub fn validate(&self, today: NaiveDate) -> Checked {
        let mut valid = Vec::with_capacity(self.rows.len());
        let mut problems = self.problems.clone();
        for row in &self.rows {
            match validate_row(row, &self.columns, today) {
                Ok(v) => valid.push(v),
                Err(p) => problems.extend(p),
            }
        }
        problems.sort_by_key(|p| p.line);
        Checked { valid, problems }
    }

    /// The header of `column` as written in this file.
    pub fn header_of(&self, column: Column) -> Option<&str> {
        self.columns
            .iter()
            .find(|(_, c)| *c == column && column != Column::Ignored)
            .map(|(h, _)| h.as_str())
    }
}

/// Reads a roster. Fails only for problems with the whole file; problems with single
/// rows are collected in [`ParsedFile::problems`].
pub fn parse_persons_csv(bytes: &[u8]) -> Result<ParsedFile, FileProblem> {
    let decoded = decode::decode(bytes)?;
    let delimiter = records::sniff_delimiter(&decoded.text);
    let read = records::read(&decoded.text, delimiter)?;
    let mut blank_lines = read.blank_lines;
    let mut records = read.records.into_iter().peekable();

    let mut looked_at = 0;
    let (header_line, columns) = loop {
        let Some(record) = records.next() else {
            return Err(FileProblem::NoHeader { looked_at });
        };
        if row::is_blank(&record.cells) {
            blank_lines += 1;
            continue;
        }
        let cells: Vec<String> = record.cells.iter().map(String::from).collect();
        let columns = columns::map_header(&cells)?;
        if columns.iter().any(|(_, c)| *c == Column::Name) {
            break (record.line, columns);
        }
        looked_at += 1;
        if looked_at >= HEADER_SEARCH {
            return Err(FileProblem::NoHeader { looked_at });
        }
    };

    let index = row::ColumnIndex::new(&columns);
    let expected = columns.len();
    let mut rows = Vec::with_capacity(records.len());
    let mut problems = Vec::new();
    let mut truncated = false;
    while let Some(record) = records.next() {
        let found = record.cells.len();
        let last = records.peek().is_none();
        if last && read.ending == Ending::OpenQuote {
            truncated = true;
            problems.push(RowProblem::row(record.line, ImportProblem::UnclosedQuote));
            continue;
        }
        if row::is_blank(&record.cells) {
            blank_lines += 1;
            continue;
        }
        if last && read.ending == Ending::NoLineBreak && found < expected {
            truncated = true;
            problems.push(RowProblem::row(
                record.line,
                ImportProblem::Truncated { expected, found },
            ));
            continue;
        }
        // Cells beyond the header are harmless when empty (Excel pads to the used range).
        let extra_filled = record
            .cells
            .iter()
            .skip(expected)
            .any(|c| !cells::is_empty(c));
        if found < expected || extra_filled {
            problems.push(RowProblem::row(
                record.line,
                ImportProblem::WrongColumnCount { expected, found },
            ));
            continue;
        }
        if index.is_empty_row(&record.cells) {
            blank_lines += 1;
            continue;
        }
        rows.push(index.row(record.line, &record.cells));
    }
    if rows.is_empty() && problems.is_empty() {
        return Err(FileProblem::NoRows);
    }
    Ok(ParsedFile {
        encoding: decoded.encoding,
        columns,
        header_line,
        rows,
        problems,
        blank_lines,
        truncated,
    })
}
