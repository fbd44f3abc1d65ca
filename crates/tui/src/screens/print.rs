//! Printing (issue 15): the mediation agreement of a dispute (人民调解协议书), the record
//! of a visit (回访记录) and the register of a station (矛盾纠纷排查化解登记表), written
//! as PDF by `Service::print`. Each opens a form first: the agreement's asks what the
//! records still lack (saved to them by `Service::complete_agreement`), the register's
//! the period, every one the file to write. The service decides what a paper says and
//! who may have it; a refusal keeps the form as typed.

use crate::app::{App, Message, Overlay};
use crate::screens::form::{show_refusal, FormState, Purpose};
use crate::text::T;
use crate::widgets::form::{Form, FormField, Input};
use beatbook_core::report::Month;
use beatbook_i18n::{Bi, Lang, Localize};
use beatbook_model::dates::parse_date_input;
use beatbook_model::{Field, Gender, Id, VisitStatus};
use beatbook_service::{AgreementAnswers, PrintKind, Printed, ServiceError, Session};
use chrono::NaiveDate;
use std::path::PathBuf;

/// What a screen asks to print: always the record it shows or highlights.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrintTarget {
    /// The agreement of the dispute shown.
    Agreement(Id),
    /// The record of the visit shown or highlighted.
    Visit(Id),
    /// The register of a station: the highlighted row's (a supervisor reads several),
    /// else the session's own.
    Register(Option<Id>),
}

/// What saving a print form does.
#[derive(Clone, Debug)]
pub enum PrintPurpose {
    Agreement(AgreementPrint),
    Visit(Id),
    Register {
        station: Id,
        /// The file first offered: while it is left as it was, the file follows the
        /// dates typed (its name carries them).
        offered: String,
    },
}

/// The agreement form's dispute and what it asked.
#[derive(Clone, Debug)]
pub struct AgreementPrint {
    dispute: Id,
    /// The dispute's revision the answers go to; it moves on once they are saved, so
    /// that a second try after a refused print applies to the dispute as it now is.
    revision: u64,
    /// Whose particular each of the form's first fields asks, in order.
    asked: Vec<(Id, Field)>,
    /// How and by when the terms are performed, as recorded: saved again only when
    /// changed (or when particulars were asked).
    manner: String,
    due: String,
}

/// A save refused before the service was asked (what was typed is no date), or by it.
enum Refusal {
    Typed { text: Bi, field: Field },
    Service(ServiceError),
}

impl From<ServiceError> for Refusal {
    fn from(e: ServiceError) -> Refusal {
        Refusal::Service(e)
    }
}

/// Opens the print form for `target`, or says why not (e.g. a dispute that reached no
/// agreement, another station's dispute).
pub fn open(app: &mut App, target: PrintTarget) {
    let Some(session) = app.session.clone() else {
        return;
    };
    let state = match target {
        PrintTarget::Agreement(id) => agreement_form(app, &session, id),
        PrintTarget::Visit(id) => visit_form(app, &session, id),
        PrintTarget::Register(station) => Ok(register_form(app, &session, station)),
    };
    match state {
        Ok(state) => app.overlays.push(Overlay::Form(Box::new(state))),
        Err(e) => app.fail(&e),
    }
}

/// The file field, prefilled with the service's suggestion in the data folder.
fn path_field(path: &std::path::Path) -> FormField {
    FormField::text(Field::ArchivePath, &path.display().to_string(), true)
        .with_label(T::PrintPathLabel.bi())
}

/// A label in both languages: a party's name and the particular asked.
fn party_label(name: &str, field: Field) -> Bi {
    let label = |lang: Lang| format!("{name} · {}", field.localize(lang));
    Bi::new(label(Lang::Zh), label(Lang::En))
}

/// The genders a missing one is chosen from (unknown is what is missing).
const GENDERS: [Gender; 2] = [Gender::Male, Gender::Female];

/// One missing particular of one party.
fn particular(name: &str, field: Field) -> FormField {
    let f = match field {
        Field::Gender => FormField::choice(
            field,
            GENDERS.iter().map(|g| Bi::of(g)).collect(),
            None,
            true,
        ),
        Field::BirthDate => FormField::text(field, "", true).with_hint(T::PrintBirthDateHint.bi()),
        _ => FormField::text(field, "", true),
    };
    f.with_label(party_label(name, field))
}

fn agreement_form(app: &App, session: &Session, id: Id) -> Result<FormState, ServiceError> {
    let ask = app.service.agreement_ask(session, id)?;
    let mut fields = Vec::new();
    let mut asked = Vec::new();
    for party in &ask.parties {
        for field in &party.missing {
            fields.push(particular(&party.name, *field));
            asked.push((party.person, *field));
        }
    }
    fields.push(FormField::text(Field::Manner, &ask.manner, true));
    fields.push(
        FormField::text(Field::PerformBy, &ask.due, false).with_hint(T::PrintPerformByHint.bi()),
    );
    fields.push(path_field(
        &app.service.paper_path(&PrintKind::Agreement(id)),
    ));
    let mut subtitle = if asked.is_empty() {
        ask.title.clone()
    } else {
        T::PrintAgreementAsks.fill(app.lang, &[&ask.title])
    };
    if let Some(number) = &ask.number {
        subtitle = format!("{number}  {subtitle}");
    }
    // The focus starts on the first particular asked (on the manner when none is).
    let form = Form::new(T::PrintAgreementTitle.bi(), fields).with_subtitle(subtitle);
    Ok(FormState {
        form,
        purpose: Purpose::Print(PrintPurpose::Agreement(AgreementPrint {
            dispute: id,
            revision: ask.revision,
            asked,
            manner: ask.manner,
            due: ask.due,
        })),
    })
}

fn visit_form(app: &App, session: &Session, id: Id) -> Result<FormState, ServiceError> {
    let d = app.service.visit_detail(session, id)?;
    let lang = app.lang;
    let who = match &d.person {
        Some(p) => p.name.clone(),
        None => d
            .parties
            .iter()
            .map(|(p, _)| p.name.as_str())
            .collect::<Vec<_>>()
            .join(T::ListSep.get(lang)),
    };
    let line = format!("{who}  {}", d.visit.due.format("%Y-%m-%d"));
    let subtitle = if d.visit.status == VisitStatus::Scheduled {
        T::PrintVisitBlank.fill(lang, &[&line])
    } else {
        format!("{line}  {}", d.visit.purpose)
    };
    let form = Form::new(
        T::PrintVisitTitle.bi(),
        vec![path_field(&app.service.paper_path(&PrintKind::Visit(id)))],
    )
    .with_subtitle(subtitle);
    Ok(FormState {
        form,
        purpose: Purpose::Print(PrintPurpose::Visit(id)),
    })
}

/// The first and the last day of the month `day` is in.
fn month_of(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let month = Month::of(day);
    (month.first_day(), month.last_day())
}

/// The register's period: the dates' fields (each under its own label; the fields are
/// date fields so that a typed date shows its weekday).
const FROM: Field = Field::HappenedOn;
const TO: Field = Field::DueDate;

fn register_form(app: &App, session: &Session, station: Option<Id>) -> FormState {
    let station = station.unwrap_or_else(|| session.station());
    let (from, to) = month_of(app.service.today());
    let offered = app
        .service
        .paper_path(&PrintKind::Register { station, from, to });
    let name = if station == session.station() {
        session.station_name().to_string()
    } else {
        app.service
            .stations()
            .ok()
            .and_then(|all| all.into_iter().find(|s| s.meta.id == station))
            .map(|s| s.name)
            .unwrap_or_default()
    };
    let form = Form::new(
        T::PrintRegisterTitle.bi(),
        vec![
            FormField::text(FROM, &from.to_string(), true).with_label(T::PrintFromLabel.bi()),
            FormField::text(TO, &to.to_string(), true).with_label(T::PrintToLabel.bi()),
            path_field(&offered),
        ],
    )
    .with_subtitle(T::PrintRegisterSubtitle.fill(app.lang, &[&name]));
    FormState {
        form,
        purpose: Purpose::Print(PrintPurpose::Register {
            station,
            offered: offered.display().to_string(),
        }),
    }
}

/// Prints what the form on top is for. Written: the form closes and the message line
/// says where, how many pages and the agreement's number. Refused: the form stays as
/// typed with the reason, the focus on the field it names.
pub fn save(app: &mut App, purpose: PrintPurpose) {
    let Some(session) = app.session.clone() else {
        return;
    };
    let Some(Overlay::Form(state)) = app.overlays.last() else {
        return;
    };
    let form = state.form.clone();
    let result = match purpose {
        PrintPurpose::Agreement(target) => save_agreement(app, &session, &form, &target),
        PrintPurpose::Visit(id) => file_of(&form).and_then(|path| {
            app.service
                .print(&session, &PrintKind::Visit(id), &path, app.lang)
                .map_err(Refusal::from)
        }),
        PrintPurpose::Register { station, offered } => {
            save_register(app, &session, &form, station, &offered)
        }
    };
    match result {
        Ok(printed) => {
            app.overlays.pop();
            app.message = Some(Message::success(written(&printed)));
        }
        Err(Refusal::Service(e)) => {
            show_refusal(app, &e);
            if let Some(field) = e.field() {
                focus_asked(app, field);
            }
        }
        Err(Refusal::Typed { text, field }) => {
            let lang = app.lang;
            if let Some(Overlay::Form(state)) = app.overlays.last_mut() {
                state.form.error = Some(text.get(lang).to_string());
                state.form.focus_field(field);
            }
        }
    }
}

/// "PDF written: … (2 pages) (2026) … No. 1", in both languages.
fn written(printed: &Printed) -> Bi {
    let path = printed.path.display().to_string();
    let line = |lang: Lang| {
        let number = match (&printed.number, lang) {
            (Some(n), Lang::Zh) => n.clone(),
            (Some(n), Lang::En) => format!(" {n}"),
            (None, _) => String::new(),
        };
        if printed.pages == 1 {
            T::PaperWrittenOnePage.fill(lang, &[&path, &number])
        } else {
            T::PaperWritten.fill(lang, &[&path, &printed.pages, &number])
        }
    };
    Bi::new(line(Lang::Zh), line(Lang::En))
}

/// The file typed, or a refusal when there is none.
fn file_of(form: &Form) -> Result<PathBuf, Refusal> {
    let typed = form.text(Field::ArchivePath);
    let typed = typed.trim();
    if typed.is_empty() {
        return Err(Refusal::Typed {
            text: T::PrintPathRequired.bi(),
            field: Field::ArchivePath,
        });
    }
    Ok(PathBuf::from(typed))
}

/// The value of the form's `i`th field as the service reads it (a gender as 男/女).
fn value_at(form: &Form, i: usize) -> String {
    match form.fields.get(i).map(|f| &f.input) {
        Some(Input::Choice(c)) => match c.selected.and_then(|s| GENDERS.get(s)) {
            Some(Gender::Male) => "男".into(),
            Some(Gender::Female) => "女".into(),
            _ => String::new(),
        },
        Some(Input::Text(t)) => t.value().to_string(),
        _ => String::new(),
    }
}

/// Saves the answers when there are any (nothing is saved when one is wrong), then
/// prints.
fn save_agreement(
    app: &mut App,
    session: &Session,
    form: &Form,
    target: &AgreementPrint,
) -> Result<Printed, Refusal> {
    let AgreementPrint {
        dispute,
        revision,
        asked,
        manner,
        due,
    } = target;
    let path = file_of(form)?;
    let mut parties: Vec<(Id, Vec<(Field, String)>)> = Vec::new();
    for (i, (person, field)) in asked.iter().enumerate() {
        let value = (*field, value_at(form, i));
        match parties.iter_mut().find(|(p, _)| p == person) {
            Some((_, values)) => values.push(value),
            None => parties.push((*person, vec![value])),
        }
    }
    let answers = AgreementAnswers {
        manner: form.text(Field::Manner),
        due: form.text(Field::PerformBy),
        parties,
    };
    let changed = !asked.is_empty()
        || answers.manner.trim() != manner.trim()
        || answers.due.trim() != due.trim();
    if changed {
        let ask = app
            .service
            .complete_agreement(session, *dispute, *revision, &answers)?;
        if let Some(Overlay::Form(state)) = app.overlays.last_mut() {
            if let Purpose::Print(PrintPurpose::Agreement(kept)) = &mut state.purpose {
                kept.revision = ask.revision;
                kept.manner = ask.manner;
                kept.due = ask.due;
            }
        }
        refresh_dispute_under(app);
    }
    Ok(app
        .service
        .print(session, &PrintKind::Agreement(*dispute), &path, app.lang)?)
}

/// Completing the agreement moved the dispute on: the detail under the form is read
/// again at once, so that its next step goes to the dispute as it now is even if the
/// print is then refused and the form left.
fn refresh_dispute_under(app: &mut App) {
    let Some(form) = app.overlays.pop() else {
        return;
    };
    if matches!(app.overlays.last(), Some(Overlay::Dispute(_))) {
        crate::screens::disputes::detail::refresh(app);
    }
    app.overlays.push(form);
}

/// A date of the register's period, or a refusal naming its label.
fn date_of(form: &Form, field: Field, label: T, today: NaiveDate) -> Result<NaiveDate, Refusal> {
    let typed = form.text(field);
    let typed = typed.trim();
    let text = |lang: Lang| {
        if typed.is_empty() {
            T::PrintDateRequired.fill(lang, &[&label.get(lang)])
        } else {
            T::PrintBadDate.fill(lang, &[&label.get(lang), &typed])
        }
    };
    parse_date_input(field, typed, today).map_err(|_| Refusal::Typed {
        text: Bi::new(text(Lang::Zh), text(Lang::En)),
        field,
    })
}

fn save_register(
    app: &App,
    session: &Session,
    form: &Form,
    station: Id,
    offered: &str,
) -> Result<Printed, Refusal> {
    let today = app.service.today();
    let from = date_of(form, FROM, T::PrintFromLabel, today)?;
    let to = date_of(form, TO, T::PrintToLabel, today)?;
    if from > to {
        return Err(Refusal::Typed {
            text: T::PrintBadPeriod.bi(),
            field: FROM,
        });
    }
    let kind = PrintKind::Register { station, from, to };
    let typed = file_of(form)?;
    // The file offered names the month offered: left as it was, it follows the dates.
    let path = if typed.as_os_str() == offered {
        app.service.paper_path(&kind)
    } else {
        typed
    };
    Ok(app.service.print(session, &kind, &path, app.lang)?)
}

/// After a refusal naming a particular (a birth date the service could not read), the
/// focus goes to that particular where it was typed, not to the first party's.
fn focus_asked(app: &mut App, field: Field) {
    if let Some(Overlay::Form(state)) = app.overlays.last_mut() {
        let form = &mut state.form;
        let typed = form
            .fields
            .iter()
            .position(|f| f.field == field && !f.value().trim().is_empty());
        if let Some(i) = typed {
            form.focus = i;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::month_of;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn the_register_offers_the_whole_month() {
        assert_eq!(month_of(d(2026, 11, 25)), (d(2026, 11, 1), d(2026, 11, 30)));
        assert_eq!(month_of(d(2026, 12, 31)), (d(2026, 12, 1), d(2026, 12, 31)));
        assert_eq!(month_of(d(2028, 2, 10)), (d(2028, 2, 1), d(2028, 2, 29)));
    }
}
