//! issue 10 — the person form (register a resident, edit one, or create the person a
//! visit is being scheduled for without leaving that form), the station's village list
//! and an account's particulars (police number, phone). Saving calls the service; a
//! refusal keeps what was typed and points at the field it names.

use crate::app::{App, Message, Overlay, Screen};
use crate::screens::form::{FormState, Purpose};
use crate::text::T;
use crate::widgets::form::{Form, FormField};
use beatbook_i18n::{Bi, Localize};
use beatbook_model::{Field, Gender, Id, Officer, PersonDraft};
use beatbook_service::{AccountParticulars, PersonCard, ServiceError};

/// Where a newly created person goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterCreate {
    /// Selected in the resident register.
    Residents,
    /// Chosen in the person field of the form below (schedule a visit).
    VisitPicker,
}

/// What saving one of these forms does.
#[derive(Clone, Debug)]
pub enum PersonPurpose {
    New(AfterCreate),
    Edit {
        id: Id,
        revision: u64,
    },
    Villages {
        station: Id,
        revision: u64,
        name: String,
    },
    Particulars {
        officer: Id,
        revision: u64,
        username: String,
    },
}

fn push(app: &mut App, form: Form, purpose: PersonPurpose) {
    app.overlays.push(Overlay::Form(Box::new(FormState {
        form,
        purpose: Purpose::Person(purpose),
    })));
}

/// The station's villages for the suggestions (none when they cannot be read: free
/// text still works).
pub fn villages(app: &App) -> Vec<String> {
    app.session
        .as_ref()
        .and_then(|s| app.service.station_villages(s).ok())
        .unwrap_or_default()
}

fn genders() -> Vec<Bi> {
    vec![
        Bi::of(&Gender::Unknown),
        Bi::of(&Gender::Male),
        Bi::of(&Gender::Female),
    ]
}

fn person_fields(app: &App, d: &PersonDraft) -> Vec<FormField> {
    let gender = match d.gender.as_str() {
        "男" => 1,
        "女" => 2,
        _ => 0,
    };
    vec![
        FormField::text(Field::Name, &d.name, true),
        FormField::text(Field::IdNumber, &d.id_number, false),
        FormField::choice(Field::Gender, genders(), Some(gender), false),
        FormField::text(Field::BirthDate, &d.birth_date, false)
            .with_hint(Bi::new("如 1970-05-01", "e.g. 1970-05-01")),
        FormField::text(Field::Phone, &d.phone, false),
        FormField::suggest(Field::Village, &d.village, villages(app)),
        FormField::text(Field::Address, &d.address, false),
        FormField::text(Field::Ethnicity, &d.ethnicity, false),
        FormField::text(Field::Occupation, &d.occupation, false),
        FormField::text(Field::Notes, &d.notes, false),
    ]
}

/// Opens the form for a new person, the name prefilled with what was typed.
pub fn open_new(app: &mut App, name: &str, then: AfterCreate) {
    let draft = PersonDraft {
        name: name.trim().to_string(),
        ..Default::default()
    };
    let fields = person_fields(app, &draft);
    push(
        app,
        Form::new(T::NewPerson.bi(), fields),
        PersonPurpose::New(then),
    );
}

/// Opens the profile form of a person (reading it unmasked is audited by the service).
pub fn open_edit(app: &mut App, id: Id) {
    let Some(session) = app.session.clone() else {
        return;
    };
    let (draft, revision) = match app.service.person_draft(&session, id) {
        Ok(x) => x,
        Err(e) => return app.fail(&e),
    };
    let fields = person_fields(app, &draft);
    push(
        app,
        Form::new(T::EditProfile.bi(), fields).with_subtitle(draft.name.clone()),
        PersonPurpose::Edit { id, revision },
    );
}

/// Opens the village list of a station (its chief, or an administrator).
pub fn open_villages(app: &mut App, station: Id) {
    let Some(session) = app.session.clone() else {
        return;
    };
    // Said before anything is typed; the service refuses the save all the same.
    if let Err(e) = app
        .service
        .check_permission(&session, beatbook_service::Permission::Villages)
    {
        return app.fail(&e);
    }
    let s = match app.service.station_record(&session, station) {
        Ok(s) => s,
        Err(e) => return app.fail(&e),
    };
    let form = Form::new(
        T::VillagesTitle.bi(),
        vec![FormField::text(
            Field::Villages,
            &s.villages.join("、"),
            false,
        )],
    )
    .with_subtitle(T::VillagesSubtitle.fill(app.lang, &[&s.name]));
    push(
        app,
        form,
        PersonPurpose::Villages {
            station,
            revision: s.meta.revision,
            name: s.name,
        },
    );
}

/// Opens an account's police number and phone (administrators).
pub fn open_particulars(app: &mut App, o: &Officer) {
    let phone = o.phone.as_ref().map(|p| p.as_str().to_string());
    let form = Form::new(
        T::ParticularsTitle.bi(),
        vec![
            FormField::text(Field::PoliceNumber, &o.police_number, false),
            FormField::text(Field::Phone, phone.as_deref().unwrap_or(""), false),
        ],
    )
    .with_subtitle(format!("{}  {}", o.username, o.display_name));
    push(
        app,
        form,
        PersonPurpose::Particulars {
            officer: o.meta.id,
            revision: o.meta.revision,
            username: o.username.clone(),
        },
    );
}

/// The chief's look at the station's accounts: police numbers and masked phones, shown
/// on the message line (one line per account would need a screen of its own; a station
/// has a handful).
pub fn open_station_accounts(app: &mut App) {
    let Some(session) = app.session.clone() else {
        return;
    };
    match app.service.station_accounts(&session) {
        Ok(list) if list.is_empty() => {
            app.message = Some(Message::info(T::StationAccountsEmpty.bi()));
        }
        Ok(list) => {
            let line = |lang| {
                let parts: Vec<String> = list
                    .iter()
                    .map(|a| {
                        [
                            a.display_name.clone(),
                            a.police_number.clone(),
                            a.masked_phone.clone(),
                        ]
                        .into_iter()
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join(" ")
                    })
                    .collect();
                format!(
                    "{}: {}",
                    T::StationAccountsTitle.get(lang),
                    parts.join(T::ListSep.get(lang))
                )
            };
            app.message = Some(Message::info(Bi::new(
                line(beatbook_i18n::Lang::Zh),
                line(beatbook_i18n::Lang::En),
            )));
        }
        Err(e) => app.fail(&e),
    }
}

fn draft_of(form: &Form) -> PersonDraft {
    let gender = match form.choice(Field::Gender) {
        Some(1) => "男",
        Some(2) => "女",
        _ => "",
    };
    PersonDraft {
        name: form.text(Field::Name),
        gender: gender.into(),
        birth_date: form.text(Field::BirthDate),
        id_number: form.text(Field::IdNumber),
        phone: form.text(Field::Phone),
        address: form.text(Field::Address),
        village: form.text(Field::Village),
        notes: form.text(Field::Notes),
        ethnicity: form.text(Field::Ethnicity),
        occupation: form.text(Field::Occupation),
    }
}

/// Saves the top form.
pub fn save(app: &mut App, purpose: PersonPurpose) {
    let Some(session) = app.session.clone() else {
        return;
    };
    let Some(Overlay::Form(state)) = app.overlays.last() else {
        return;
    };
    let form = state.form.clone();
    let service = app.service;
    let result: Result<(), ServiceError> = match purpose {
        PersonPurpose::New(then) => {
            service
                .create_person(&session, &draft_of(&form))
                .map(|person| {
                    app.overlays.pop();
                    let card = PersonCard::from(&person);
                    match then {
                        AfterCreate::Residents => {
                            crate::screens::residents::list::reload(app, Some(person.meta.id));
                            app.message = Some(Message::success(
                                T::ResidentCreated.bi_fill(&[&person.name]),
                            ));
                        }
                        AfterCreate::VisitPicker => {
                            choose_in_picker(app, card);
                            app.message = Some(Message::success(
                                T::PersonCreatedForVisit.bi_fill(&[&person.name]),
                            ));
                        }
                    }
                })
        }
        PersonPurpose::Edit { id, revision } => service
            .update_person(&session, id, revision, &draft_of(&form))
            .map(|_| {
                app.overlays.pop();
                crate::screens::residents::list::reload(app, Some(id));
                crate::screens::watch::person::refresh(app);
                app.message = Some(Message::success(T::Saved.bi()));
            }),
        PersonPurpose::Villages {
            station,
            revision,
            name,
        } => service
            .set_station_villages(&session, station, revision, &[form.text(Field::Villages)])
            .map(|s| {
                app.overlays.pop();
                if matches!(app.screen, Screen::Admin(_)) {
                    crate::screens::admin::list::reload(app, Some(station));
                }
                let n = s.villages.len();
                app.message = Some(Message::success(T::VillagesSaved.bi_fill(&[&name, &n])));
            }),
        PersonPurpose::Particulars {
            officer,
            revision,
            username,
        } => service
            .set_account_particulars(
                &session,
                officer,
                revision,
                &AccountParticulars {
                    police_number: form.text(Field::PoliceNumber),
                    phone: form.text(Field::Phone),
                },
            )
            .map(|_| {
                app.overlays.pop();
                crate::screens::admin::list::reload(app, Some(officer));
                app.message = Some(Message::success(T::ParticularsSaved.bi_fill(&[&username])));
            }),
    };
    if let Err(e) = result {
        let lang = app.lang;
        let field = e.field();
        if let Some(Overlay::Form(state)) = app.overlays.last_mut() {
            state.form.error = Some(e.localize(lang));
            if let Some(f) = field {
                state.form.focus_field(f);
            }
        }
    }
}

/// Puts a just-created person into the focused person field of the form now on top
/// (the visit being scheduled) and moves on to the next field.
fn choose_in_picker(app: &mut App, card: PersonCard) {
    if let Some(Overlay::Form(f)) = app.overlays.last_mut() {
        if let Some(p) = f.form.focused_picker_mut() {
            p.query.set_value(&card.name);
            p.results.clear();
            p.highlighted = 0;
            p.chosen = Some(card);
            f.form.error = None;
            f.form.next_field();
        }
    }
}
