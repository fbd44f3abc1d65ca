//! Importing a key-person roster exported from Excel: every row checked, duplicates merged
//! by ID number (else name and birth date), conflicting values reported instead of
//! overwritten, all-or-nothing unless partial, and re-running the same file changes
//! nothing.

use super::{Forbidden, Service, ServiceError, Session};
use beatbook_core::config::WatchConfig;
use beatbook_core::import::{
    parse_persons_csv, unknown_categories, Column, ImportProblem, RowProblem, ValidRow,
};
use beatbook_core::rules::watch::{next_review, next_visit_due};
use beatbook_i18n::{Lang, Localize};
use beatbook_model::{
    Field, FlagChange, FlagChangeKind, FlagStatus, Gender, Id, Meta, Officer, Person, RiskLevel,
    Role, ValidationError, VisitStatus, WatchFlag,
};
use beatbook_store::{Actor, AnyRecord, Change, ImportJournal, Write};
use chrono::NaiveDate;
use std::collections::HashMap;

/// How to import.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Check everything, write nothing.
    pub dry_run: bool,
    /// Import the good rows even when some are rejected.
    pub partial: bool,
}

/// A value in the file that differs from the one on record: kept as on record, reported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportConflict {
    pub line: usize,
    pub name: String,
    pub field: Field,
    pub on_record: ConflictValue,
    pub in_file: ConflictValue,
}

/// One side of a conflict, shown in the reader's language (a gender or level is a word
/// of the language, never a Rust variant name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConflictValue {
    /// Text shown as it is (a masked number, an address, a date).
    Text(String),
    Gender(Gender),
    Level(RiskLevel),
}

impl Localize for ConflictValue {
    fn localize(&self, lang: Lang) -> String {
        match self {
            ConflictValue::Text(s) => s.clone(),
            ConflictValue::Gender(g) => g.localize(lang),
            ConflictValue::Level(l) => l.localize(lang),
        }
    }
}

/// What an import did (or, for a dry run or a refused file, would do).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub encoding: &'static str,
    pub rows: usize,
    pub blank_lines: usize,
    pub created: usize,
    /// Existing persons whose empty fields the file filled.
    pub completed: usize,
    pub unchanged: usize,
    /// Persons put on the watch list (or given categories they lacked).
    pub flagged: usize,
    pub conflicts: Vec<ImportConflict>,
    pub rejected: Vec<RowProblem>,
    /// Whether the import was applied (not a dry run, not refused for rejected rows).
    pub written: bool,
    /// Records written (0 when the file was already imported: a re-run changes nothing).
    pub changed: usize,
}

impl ImportReport {
    /// Rows rejected: a row with several problems is one row (each problem is still
    /// listed in [`ImportReport::rejected`]).
    pub fn rejected_rows(&self) -> usize {
        let mut lines: Vec<usize> = self.rejected.iter().map(|p| p.line).collect();
        lines.sort_unstable();
        lines.dedup();
        lines.len()
    }
}

/// Records per transaction: big enough to be fast, small enough to keep memory flat.
/// Public for `bench`'s engine floor, which writes transactions of the same size.
pub const IMPORT_CHUNK: usize = 2000;

impl Service {
    /// Imports a roster into the session's station. Officers and chiefs only.
    pub fn import_persons(
        &self,
        session: &Session,
        bytes: &[u8],
        options: ImportOptions,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportReport, ServiceError> {
        self.authorize(session)?;
        if !matches!(session.role, Role::Officer | Role::Chief) {
            return Err(ServiceError::Forbidden(Forbidden::ReadOnlyRole(
                session.role,
            )));
        }
        let parsed = parse_persons_csv(bytes).map_err(ServiceError::ImportFile)?;
        let today = self.today();
        let checked = parsed.validate(today);
        let mut report = ImportReport {
            encoding: parsed.encoding,
            rows: parsed.rows.len(),
            blank_lines: parsed.blank_lines,
            rejected: checked.problems,
            ..Default::default()
        };
        let config = &self.settings.watch;
        let officers = self.station_officer_names(session)?;
        let mut rows: Vec<(ValidRow, Vec<String>, Option<Id>)> = Vec::new();
        let mut labels = Labels::default();
        for row in checked.valid {
            let categories: Vec<String> = row
                .categories
                .iter()
                .filter_map(|c| labels.code(config, c))
                .collect();
            let mut problems = unknown_categories(&row, &parsed.columns, |c| labels.known(c));
            if !categories.is_empty() && row.level.is_none() {
                problems.push(RowProblem::at(
                    row.line,
                    Column::Level,
                    &parsed.columns,
                    ImportProblem::Invalid(ValidationError::Required(Field::Level)),
                ));
            }
            let responsible = if row.responsible.trim().is_empty() {
                None
            } else {
                match officers.get(row.responsible.trim()) {
                    Some(id) => Some(*id),
                    None => {
                        problems.push(RowProblem::at(
                            row.line,
                            Column::Responsible,
                            &parsed.columns,
                            ImportProblem::Invalid(ValidationError::UnknownChoice {
                                field: Field::Officer,
                                input: row.responsible.clone(),
                            }),
                        ));
                        None
                    }
                }
            };
            if problems.is_empty() {
                rows.push((row, categories, responsible));
            } else {
                report.rejected.extend(problems);
            }
        }
        report.rejected.sort_by_key(|p| p.line);

        // Match every good row against the station's persons and the rows before it.
        let station_persons = self.station_persons(session.station)?;
        let mut by_key: HashMap<(String, NaiveDate), usize> = HashMap::new();
        let mut by_number: HashMap<String, usize> = HashMap::new();
        let mut persons: Vec<Person> = Vec::new();
        let mut touched: Vec<bool> = Vec::new();
        for p in station_persons {
            if let Some(n) = &p.id_number {
                by_number.insert(n.as_str().to_string(), persons.len());
            }
            if let Some(b) = p.birth_date {
                by_key.insert((p.name.clone(), b), persons.len());
            }
            persons.push(p);
            touched.push(false);
        }
        // The first line of the file that matched or created each person, for naming it
        // in a conflict; persons on record before the import have none.
        let mut first_line: HashMap<usize, usize> = HashMap::new();
        let mut flags: HashMap<Id, WatchFlag> = HashMap::new();
        let now = self.now_utc();
        let actor = session.actor();
        let total = rows.len();
        for (done, (row, categories, responsible)) in rows.into_iter().enumerate() {
            if done % 1000 == 0 {
                progress(done, total);
            }
            let incoming = &row.person;
            let number = incoming.id_number.as_ref().map(|n| n.as_str().to_string());
            let mut at = number.as_ref().and_then(|n| by_number.get(n).copied());
            if at.is_none() {
                if let Some(number) = &incoming.id_number {
                    if let Some(other) = self.store.person_by_id_number(number)? {
                        if other.meta.station != session.station {
                            report.rejected.push(RowProblem::at(
                                row.line,
                                Column::IdNumber,
                                &parsed.columns,
                                ImportProblem::Invalid(ValidationError::IdNumberElsewhere),
                            ));
                            continue;
                        }
                    }
                }
            }
            if at.is_none() {
                at = incoming
                    .birth_date
                    .and_then(|b| by_key.get(&(incoming.name.clone(), b)).copied());
            }
            // The same ID number under another name is two people or a typo: never
            // merged, the row is rejected naming both.
            if let (Some(i), Some(number)) = (at, &incoming.id_number) {
                if persons[i].name != incoming.name {
                    report.rejected.push(RowProblem::at(
                        row.line,
                        Column::Name,
                        &parsed.columns,
                        ImportProblem::NameConflict {
                            id_number: number.masked(),
                            first: persons[i].name.clone(),
                            first_line: first_line.get(&i).copied(),
                            name: incoming.name.clone(),
                        },
                    ));
                    continue;
                }
            }
            let index = match at {
                Some(i) => {
                    if merge(&mut persons[i], &row, &mut report.conflicts) {
                        if !touched[i] {
                            report.completed += 1;
                        }
                        touched[i] = true;
                    } else {
                        report.unchanged += 1;
                    }
                    i
                }
                None => {
                    let meta = Meta::new(session.station, now, session.officer);
                    let p = Person::new(meta, incoming.clone());
                    report.created += 1;
                    touched.push(true);
                    persons.push(p);
                    persons.len() - 1
                }
            };
            first_line.entry(index).or_insert(row.line);
            let person = &persons[index];
            if let Some(n) = &person.id_number {
                by_number.insert(n.as_str().to_string(), index);
            }
            if let Some(b) = person.birth_date {
                by_key.insert((person.name.clone(), b), index);
            }
            if let (false, Some(level)) = (categories.is_empty(), row.level) {
                let person_id = person.meta.id;
                let existing = match flags.get(&person_id) {
                    Some(f) => Some(f.clone()),
                    // A person this file creates has no flag on record yet.
                    None if person.meta.revision == 0 => None,
                    None => self.store.flag_of(person_id)?,
                };
                match existing.filter(WatchFlag::is_active) {
                    Some(mut flag) => {
                        if flag.level != level {
                            report.conflicts.push(ImportConflict {
                                line: row.line,
                                name: person.name.clone(),
                                field: Field::Level,
                                on_record: ConflictValue::Level(flag.level),
                                in_file: ConflictValue::Level(level),
                            });
                        }
                        let missing: Vec<String> = categories
                            .iter()
                            .filter(|c| !flag.categories.contains(c))
                            .cloned()
                            .collect();
                        if !missing.is_empty() {
                            flag.categories.extend(missing);
                            flags.insert(person_id, flag);
                        }
                    }
                    None => {
                        let flag = WatchFlag {
                            meta: Meta::new(session.station, now, session.officer),
                            person: person_id,
                            categories,
                            subcategories: Vec::new(),
                            level,
                            basis: row.basis.clone(),
                            source: row.source.clone(),
                            responsible: responsible.unwrap_or(session.officer),
                            added_on: today,
                            next_review: row
                                .next_review
                                .unwrap_or_else(|| next_review(level, today, config)),
                            status: FlagStatus::Active,
                            pending: None,
                            last_contact: None,
                            missed_in_a_row: 0,
                            history: vec![FlagChange {
                                at: now,
                                by: session.officer,
                                kind: FlagChangeKind::Added,
                                from_level: None,
                                to_level: Some(level),
                                reason: row.basis.clone(),
                            }],
                            // Filled from the person as written, below.
                            listed_as: beatbook_model::FlagPerson::default(),
                        };
                        flags.insert(person_id, flag);
                    }
                }
            }
        }
        progress(total, total);
        report.rejected.sort_by_key(|p| p.line);
        report.flagged = flags.len();
        if options.dry_run || (!report.rejected.is_empty() && !options.partial) {
            return Ok(report);
        }
        // Each person written, with their flag when it is new, gains categories or must
        // show the person's new data: one group, so that they land in the same
        // transaction and the watch list never shows a stale copy of the person.
        let mut groups: Vec<Vec<AnyRecord>> = Vec::new();
        for (person, touched) in persons.iter().zip(&touched) {
            let id = person.meta.id;
            let mut group = Vec::new();
            if *touched {
                group.push(AnyRecord::from(person.clone()));
            }
            let flag = match flags.remove(&id) {
                Some(mut flag) => {
                    flag.list_person_from(person);
                    Some(flag)
                }
                None if *touched && person.meta.revision > 0 => self
                    .store
                    .flag_of(id)?
                    .and_then(|mut flag| flag.list_person_from(person).then_some(flag)),
                None => None,
            };
            if let Some(flag) = flag {
                // A person this file creates has no visit on record yet.
                let has_visit = person.meta.revision > 0
                    && self
                        .store
                        .person_visit_summaries(flag.person)?
                        .iter()
                        .any(|v| v.status == VisitStatus::Scheduled);
                if flag.meta.revision == 0 && !has_visit {
                    let due = next_visit_due(flag.level, None, today, today, config);
                    group.push(self.watch_visit(session, &flag, due).into());
                }
                group.push(flag.into());
            }
            if !group.is_empty() {
                groups.push(group);
            }
        }
        report.changed = groups.iter().map(Vec::len).sum();
        self.write_import(&actor, session, report.rows, groups)?;
        report.written = true;
        Ok(report)
    }

    /// The station's officers by username and by display name, for the responsible column.
    fn station_officer_names(
        &self,
        session: &Session,
    ) -> Result<HashMap<String, Id>, ServiceError> {
        let mut out = HashMap::new();
        for o in self.store.all::<Officer>() {
            let o = o?;
            if o.meta.station == session.station
                && o.active
                && matches!(o.role, Role::Officer | Role::Chief)
            {
                out.insert(o.username.clone(), o.meta.id);
                out.insert(o.display_name.clone(), o.meta.id);
            }
        }
        Ok(out)
    }

    fn station_persons(&self, station: Id) -> Result<Vec<Person>, ServiceError> {
        let mut out = Vec::new();
        for id in self.store.station_person_ids(station) {
            if let Some(p) = self.store.get::<Person>(id?)? {
                out.push(p);
            }
        }
        Ok(out)
    }

    /// Writes the import in chunks of whole groups (a person and their flag), each one
    /// transaction with its audit entries, under an import journal (see
    /// [`beatbook_store::ImportJournal`]): until the last transaction removes the journal,
    /// a kill leaves an import that the next open of the store undoes, so the file lands
    /// whole or not at all. A write that fails midway is undone at once.
    fn write_import(
        &self,
        actor: &Actor,
        session: &Session,
        rows: usize,
        groups: Vec<Vec<AnyRecord>>,
    ) -> Result<(), ServiceError> {
        if groups.is_empty() {
            // A re-run of a file already imported: nothing to write, nothing to audit.
            return Ok(());
        }
        let journal = ImportJournal::new(rows, session.station, actor, self.now_utc());
        self.store.begin_import(&journal)?;
        match self.write_journaled(actor, session, &journal, groups) {
            Ok(()) => Ok(()),
            Err(e) => {
                if let Err(undo) = self.store.undo_import() {
                    // The next open tries again; the write's own error is the one to tell.
                    tracing::error!("undoing a failed import: {undo}");
                }
                Err(e)
            }
        }
    }

    fn write_journaled(
        &self,
        actor: &Actor,
        session: &Session,
        journal: &ImportJournal,
        groups: Vec<Vec<AnyRecord>>,
    ) -> Result<(), ServiceError> {
        let new_change =
            || Change::new("import.persons", actor, self.now_utc()).station(session.station);
        let mut change = new_change();
        let mut written = 0;
        for group in groups {
            change
                .writes
                .extend(group.into_iter().map(|r| Write::Put(Box::new(r))));
            if change.writes.len() >= IMPORT_CHUNK {
                self.store.commit_journaled(journal, &change)?;
                written += change.writes.len();
                change = new_change();
            }
        }
        if !change.writes.is_empty() {
            self.store.commit_journaled(journal, &change)?;
            written += change.writes.len();
        }
        let done = new_change().detail(format!(
            "import {} of {} rows complete: {written} records written",
            journal.id, journal.rows
        ));
        self.store.finish_import(journal, &done)?;
        Ok(())
    }
}

/// The category codes of the labels a roster writes, each label classified once: a
/// roster repeats a handful of labels on every row, and classifying one folds every label
/// of the dictionary to compare it.
#[derive(Default)]
struct Labels {
    codes: HashMap<String, Option<String>>,
}

impl Labels {
    /// The code of the category `label` names, if the dictionary knows it.
    fn code(&mut self, config: &WatchConfig, label: &str) -> Option<String> {
        if let Some(code) = self.codes.get(label) {
            return code.clone();
        }
        let code = config.classify(label).map(|(c, _)| c.code.clone());
        self.codes.insert(label.to_string(), code.clone());
        code
    }

    /// Whether `label`, already looked up with [`Labels::code`], names a category.
    fn known(&self, label: &str) -> bool {
        matches!(self.codes.get(label), Some(Some(_)))
    }
}

fn text(s: String) -> ConflictValue {
    ConflictValue::Text(s)
}

/// Fills the record's empty fields from the row; differing filled ones are reported.
/// Returns whether anything could be filled.
fn merge(p: &mut Person, row: &ValidRow, conflicts: &mut Vec<ImportConflict>) -> bool {
    let incoming = &row.person;
    let name = p.name.clone();
    let mut report = |field: Field, on_record: ConflictValue, in_file: ConflictValue| {
        conflicts.push(ImportConflict {
            line: row.line,
            name: name.clone(),
            field,
            on_record,
            in_file,
        })
    };
    let mut filled = false;
    match (&p.id_number, &incoming.id_number) {
        (None, Some(n)) => {
            p.id_number = Some(n.clone());
            filled = true;
        }
        (Some(a), Some(b)) if a != b => report(Field::IdNumber, text(a.masked()), text(b.masked())),
        _ => {}
    }
    match (p.gender, incoming.gender) {
        (Gender::Unknown, g) if g != Gender::Unknown => {
            p.gender = g;
            filled = true;
        }
        (a, b) if a != b && b != Gender::Unknown => report(
            Field::Gender,
            ConflictValue::Gender(a),
            ConflictValue::Gender(b),
        ),
        _ => {}
    }
    match (p.birth_date, incoming.birth_date) {
        (None, Some(b)) => {
            p.birth_date = Some(b);
            filled = true;
        }
        (Some(a), Some(b)) if a != b => {
            report(Field::BirthDate, text(a.to_string()), text(b.to_string()))
        }
        _ => {}
    }
    match (&p.phone, &incoming.phone) {
        (None, Some(n)) => {
            p.phone = Some(n.clone());
            filled = true;
        }
        (Some(a), Some(b)) if a != b => report(Field::Phone, text(a.masked()), text(b.masked())),
        _ => {}
    }
    for (field, mine, theirs) in [
        (Field::Address, &mut p.address, &incoming.address),
        (Field::Village, &mut p.village, &incoming.village),
    ] {
        if mine.is_empty() && !theirs.is_empty() {
            *mine = theirs.clone();
            filled = true;
        } else if !theirs.is_empty() && mine != theirs {
            let (a, b) = (mine.clone(), theirs.clone());
            report(field, text(a), text(b));
        }
    }
    filled
}
