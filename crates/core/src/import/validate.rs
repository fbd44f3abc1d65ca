//! Checking a row: the person form's validation plus what only spreadsheets get wrong.

use super::columns::Column;
use super::dates::{parse_date_cell, DateCell};
use super::excel::{self, Damage};
use super::level::parse_level;
use super::problem::{ImportProblem, RowProblem};
use super::row::ImportRow;
use beatbook_model::text::{clean, limits};
use beatbook_model::{Field, ResidentId, RiskLevel, ValidPerson, ValidationError};
use chrono::{Datelike, NaiveDate};

/// A row that passed every check the file alone allows. Categories and the responsible
/// officer are still texts: the dictionary and the officer list live in the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidRow {
    pub line: usize,
    /// The checked content of the row's [`beatbook_model::PersonDraft`].
    pub person: ValidPerson,
    pub categories: Vec<String>,
    /// `None` when the row gives no level.
    pub level: Option<RiskLevel>,
    pub basis: String,
    pub source: String,
    pub responsible: String,
    pub next_review: Option<NaiveDate>,
}

/// Checks one row. `headers` (the file's [`super::ParsedFile::columns`]) names the
/// column of each problem as the file heads it. Every problem found is returned, so a
/// row can be fixed in one go; the person fields stop at the first, as the form does.
pub fn validate_row(
    row: &ImportRow,
    headers: &[(String, Column)],
    today: NaiveDate,
) -> Result<ValidRow, Vec<RowProblem>> {
    let mut problems = Vec::new();
    let mut report = |column, problem| {
        problems.push(RowProblem::at(row.line, column, headers, problem));
    };
    let mut draft = row.person.clone();

    for (column, cell) in [
        (Column::IdNumber, &mut draft.id_number),
        (Column::Phone, &mut draft.phone),
    ] {
        if let Some(damage) = excel::damage(cell) {
            let input = std::mem::take(cell);
            report(
                column,
                match damage {
                    Damage::Scientific => ImportProblem::ExcelScientific(input),
                    Damage::Decimal => ImportProblem::ExcelDecimal(input),
                },
            );
        }
    }

    let raw_birth = std::mem::take(&mut draft.birth_date);
    match parse_date_cell(&raw_birth) {
        DateCell::Empty => {}
        DateCell::Date(d) => draft.birth_date = d.format("%Y-%m-%d").to_string(),
        DateCell::YearMonth(y, m) => {
            // 出生年月: the ID number holds the day; they must agree on year and month.
            let from_id = ResidentId::parse(&draft.id_number)
                .ok()
                .and_then(|id| id.birth_date());
            match from_id {
                Some(d) if d.year() == y && d.month() == m => {}
                Some(d) => report(
                    Column::BirthDate,
                    ImportProblem::Invalid(ValidationError::BirthDateMismatch {
                        from_id: d.to_string(),
                        given: raw_birth.clone(),
                    }),
                ),
                None => report(Column::BirthDate, ImportProblem::PartialDate(raw_birth)),
            }
        }
        DateCell::ExcelSerial => {
            report(Column::BirthDate, ImportProblem::ExcelSerialDate(raw_birth))
        }
        DateCell::Invalid => report(Column::BirthDate, ImportProblem::BadDate(raw_birth)),
    }

    if draft
        .name
        .chars()
        .any(|c| c.is_ascii_digit() || c == ':' || c == '：')
    {
        report(Column::Name, ImportProblem::NotAName(draft.name.clone()));
    }

    let person = match draft.validate(today) {
        Ok(p) => Some(p),
        Err(e) => {
            if matches!(e, ValidationError::IdNumberCheck { .. })
                && excel::looks_zeroed(&draft.id_number)
            {
                report(Column::IdNumber, ImportProblem::ExcelZeroedId);
            } else if let Some((column, problem)) = future_birth(&e, &draft, today) {
                report(column, problem);
            } else {
                report(column_of(&e), ImportProblem::Invalid(e));
            }
            None
        }
    };

    let level = match &row.level {
        None => None,
        Some(text) => match parse_level(text) {
            Some(l) => Some(l),
            None => {
                report(Column::Level, ImportProblem::UnknownLevel(text.clone()));
                None
            }
        },
    };

    let next_review = match parse_date_cell(&row.next_review) {
        DateCell::Empty => None,
        DateCell::Date(d) => Some(d),
        DateCell::YearMonth(..) => {
            report(
                Column::NextReview,
                ImportProblem::PartialDate(row.next_review.clone()),
            );
            None
        }
        DateCell::ExcelSerial => {
            report(
                Column::NextReview,
                ImportProblem::ExcelSerialDate(row.next_review.clone()),
            );
            None
        }
        DateCell::Invalid => {
            report(
                Column::NextReview,
                ImportProblem::BadDate(row.next_review.clone()),
            );
            None
        }
    };

    let mut text = |column, field, input: &str, max, multiline| {
        clean(field, input, max, false, multiline).unwrap_or_else(|e| {
            report(column, ImportProblem::Invalid(e));
            String::new()
        })
    };
    let basis = text(
        Column::Basis,
        Field::Reason,
        &row.basis,
        limits::NOTES,
        true,
    );
    let source = text(
        Column::Source,
        Field::Source,
        &row.source,
        limits::SHORT,
        false,
    );
    let responsible = text(
        Column::Responsible,
        Field::Officer,
        &row.responsible,
        limits::NAME,
        false,
    );
    let categories: Vec<String> = row
        .categories
        .iter()
        .map(|c| text(Column::Categories, Field::Category, c, limits::SHORT, false))
        .collect();

    match person {
        Some(person) if problems.is_empty() => Ok(ValidRow {
            line: row.line,
            person,
            categories,
            level,
            basis,
            source,
            responsible,
            next_review,
        }),
        _ => Err(problems),
    }
}

/// Problems for the categories of `row` that the dictionary does not know. The caller
/// holds the dictionary; `is_known` answers for one text as written.
pub fn unknown_categories(
    row: &ValidRow,
    headers: &[(String, Column)],
    is_known: impl Fn(&str) -> bool,
) -> Vec<RowProblem> {
    row.categories
        .iter()
        .filter(|c| !is_known(c))
        .map(|c| {
            RowProblem::at(
                row.line,
                Column::Categories,
                headers,
                ImportProblem::UnknownCategory(c.clone()),
            )
        })
        .collect()
}

/// A birth date after today told as such, with the date, whether the birth-date column or
/// the ID number holds it (the form's errors say only "in the future" or "impossible").
fn future_birth(
    e: &ValidationError,
    draft: &beatbook_model::PersonDraft,
    today: NaiveDate,
) -> Option<(Column, ImportProblem)> {
    let (column, date, in_id_number) = match e {
        ValidationError::DateInFuture {
            field: Field::BirthDate,
        } => (
            Column::BirthDate,
            NaiveDate::parse_from_str(&draft.birth_date, "%Y-%m-%d").ok()?,
            false,
        ),
        ValidationError::IdNumberBirthDate => (
            Column::IdNumber,
            ResidentId::parse(&draft.id_number).ok()?.birth_date()?,
            true,
        ),
        _ => return None,
    };
    (date > today).then_some((
        column,
        ImportProblem::BirthDateInFuture {
            date,
            today,
            in_id_number,
        },
    ))
}

/// The column a person-form error points at.
fn column_of(e: &ValidationError) -> Column {
    match e.field() {
        Some(Field::Name) => Column::Name,
        Some(Field::Gender) => Column::Gender,
        Some(Field::BirthDate) => Column::BirthDate,
        Some(Field::IdNumber) => Column::IdNumber,
        Some(Field::Phone) => Column::Phone,
        Some(Field::Address) => Column::Address,
        Some(Field::Village) => Column::Village,
        Some(Field::Notes) => Column::Notes,
        _ => Column::Ignored,
    }
}
