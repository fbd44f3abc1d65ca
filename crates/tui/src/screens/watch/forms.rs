//! Forms of the watch list: flagging a person, changing the level, removal, the chief's
//! decision, reviews; and acknowledging alerts.

use crate::action::Action;
use crate::app::{App, Created, Message, Overlay};
use crate::screens::form::{FormState, Purpose};
use crate::screens::watch::person;
use crate::text::T;
use crate::widgets::form::{Checks, Form, FormField, Input};
use beatbook_i18n::{Bi, Localize};
use beatbook_model::{Field, Id, RiskLevel};
use beatbook_service::{FlagAction, FlagForm, PersonDetail, ServiceError, Session};

/// What saving a watch-list form does.
#[derive(Clone, Debug)]
pub enum WatchPurpose {
    Flag {
        person: Id,
    },
    Level {
        id: Id,
        revision: u64,
    },
    Remove {
        id: Id,
        revision: u64,
    },
    Decide {
        id: Id,
        revision: u64,
    },
    Review {
        id: Id,
        revision: u64,
    },
    Profile {
        id: Id,
        revision: u64,
    },
    /// Another record is this same person: merge it into `keep` (asked of the chief).
    SamePerson {
        keep: Id,
    },
}

/// The keys of the watch-list steps the service lets this user take on this person now.
pub fn available_actions(app: &App, session: &Session, d: &PersonDetail) -> Vec<Action> {
    let allowed = app.service.flag_actions(session, d);
    let mut out: Vec<Action> = allowed
        .flag
        .iter()
        .filter_map(|a| match a {
            FlagAction::Add => Some(Action::Flag),
            FlagAction::ChangeLevel => Some(Action::FlagLevel),
            FlagAction::RequestRemoval => Some(Action::FlagRemove),
            FlagAction::Decide => Some(Action::FlagDecide),
            FlagAction::Review => Some(Action::FlagReview),
            // Details change through the profile; alerts are acknowledged below.
            FlagAction::ChangeDetails | FlagAction::Acknowledge => None,
        })
        .collect();
    if allowed.acknowledge.is_some() {
        out.push(Action::Acknowledge);
    }
    if allowed.edit_profile {
        out.push(Action::EditProfile);
        out.push(Action::SamePerson);
    }
    if allowed.new_visit {
        out.push(Action::VisitNew);
    }
    out
}

fn levels() -> Vec<Bi> {
    RiskLevel::ALL.iter().rev().map(|l| Bi::of(l)).collect()
}

fn level_at(i: Option<usize>) -> Option<RiskLevel> {
    i.and_then(|i| RiskLevel::ALL.iter().rev().nth(i).copied())
}

fn push(app: &mut App, form: Form, purpose: WatchPurpose) {
    app.overlays.push(Overlay::Form(Box::new(FormState {
        form,
        purpose: Purpose::Watch(purpose),
    })));
}

pub fn open_action(app: &mut App, action: Action, d: &PersonDetail) {
    let Some(session) = app.session.clone() else {
        return;
    };
    if !available_actions(app, &session, d).contains(&action) {
        app.message = Some(Message::info(T::ActionNotAvailable.bi()));
        return;
    }
    let flag = d.flag.as_ref();
    let (id, revision) = flag.map_or((Id::SYSTEM, 0), |f| (f.meta.id, f.meta.revision));
    let sub = d.card.name.clone();
    match action {
        Action::Acknowledge => {
            let mine = app.service.flag_actions(&session, d).acknowledge;
            let alert = d.alerts.iter().find(|a| Some(a.meta.id) == mine).cloned();
            if let Some(a) = alert {
                match app
                    .service
                    .acknowledge_alert(&session, a.meta.id, a.meta.revision)
                {
                    Ok(_) => {
                        app.message = Some(Message::success(T::AlertAcknowledged.bi()));
                        person::refresh(app);
                        app.reload_today();
                    }
                    Err(e) => app.fail(&e),
                }
            }
        }
        Action::VisitNew => {
            crate::screens::visits::forms::open_new_visit_for(app, Some(d.card.clone()), None)
        }
        Action::EditProfile => {
            let (draft, revision) = match app.service.person_draft(&session, d.card.id) {
                Ok(x) => x,
                Err(e) => return app.fail(&e),
            };
            let gender = match draft.gender.as_str() {
                "男" => 1,
                "女" => 2,
                _ => 0,
            };
            let form = Form::new(
                T::EditProfile.bi(),
                vec![
                    FormField::text(Field::Name, &draft.name, true),
                    FormField::text(Field::IdNumber, &draft.id_number, false),
                    FormField::choice(
                        Field::Gender,
                        vec![
                            Bi::of(&beatbook_model::Gender::Unknown),
                            Bi::of(&beatbook_model::Gender::Male),
                            Bi::of(&beatbook_model::Gender::Female),
                        ],
                        Some(gender),
                        false,
                    ),
                    FormField::text(Field::BirthDate, &draft.birth_date, false),
                    FormField::text(Field::Phone, &draft.phone, false),
                    FormField::text(Field::Village, &draft.village, false),
                    FormField::text(Field::Address, &draft.address, false),
                    FormField::text(Field::Ethnicity, &draft.ethnicity, false),
                    FormField::text(Field::Occupation, &draft.occupation, false),
                    FormField::text(Field::Notes, &draft.notes, false),
                ],
            );
            push(
                app,
                form,
                WatchPurpose::Profile {
                    id: d.card.id,
                    revision,
                },
            );
        }
        Action::Flag => {
            let categories: Vec<(String, Bi)> = app
                .service
                .settings()
                .watch
                .categories
                .iter()
                .map(|c| (c.code.clone(), Bi::new(c.zh.clone(), c.en.clone())))
                .collect();
            let form = Form::new(
                T::FlagPerson.bi(),
                vec![
                    FormField {
                        field: Field::WatchCategories,
                        input: Input::Checks(Checks::new(categories, &[])),
                        required: true,
                        hint: None,
                        label: None,
                    },
                    FormField::choice(Field::Level, levels(), None, true),
                    FormField::text(Field::Basis, "", true),
                    FormField::text(Field::Source, "", false),
                    FormField::text(Field::NextReview, "", false)
                        .with_hint(Bi::new("可空：按等级自动", "optional: by level")),
                ],
            )
            .with_subtitle(sub);
            push(app, form, WatchPurpose::Flag { person: d.card.id });
        }
        Action::FlagLevel => {
            let form = Form::new(
                T::ChangeLevel.bi(),
                vec![
                    FormField::choice(Field::Level, levels(), None, true),
                    FormField::text(Field::Reason, "", true),
                ],
            )
            .with_subtitle(sub);
            push(app, form, WatchPurpose::Level { id, revision });
        }
        Action::SamePerson => {
            let form = Form::new(
                T::SamePersonTitle.bi(),
                vec![
                    FormField::picker(Field::Person),
                    FormField::text(Field::Remarks, "", false),
                ],
            )
            .with_subtitle(sub);
            push(app, form, WatchPurpose::SamePerson { keep: d.card.id });
        }
        Action::FlagRemove => {
            let form = Form::new(
                T::RemoveFromList.bi(),
                vec![FormField::text(Field::Reason, "", true)],
            )
            .with_subtitle(sub);
            push(app, form, WatchPurpose::Remove { id, revision });
        }
        Action::FlagDecide => {
            let form = Form::new(
                T::DecidePending.bi(),
                vec![
                    FormField::choice(
                        Field::Decision,
                        vec![T::Approve.bi(), T::Reject.bi()],
                        None,
                        true,
                    ),
                    FormField::text(Field::Remarks, "", false),
                ],
            )
            .with_subtitle(sub);
            push(app, form, WatchPurpose::Decide { id, revision });
        }
        Action::FlagReview => {
            let form = Form::new(
                T::ReviewFlag.bi(),
                vec![FormField::text(Field::Remarks, "", false)],
            )
            .with_subtitle(sub);
            push(app, form, WatchPurpose::Review { id, revision });
        }
        _ => {}
    }
}

pub fn save(app: &mut App, purpose: WatchPurpose) {
    let Some(session) = app.session.clone() else {
        return;
    };
    let Some(Overlay::Form(state)) = app.overlays.last() else {
        return;
    };
    let form = state.form.clone();
    let service = app.service;
    let lang = app.lang;
    // A flag just made: the watch list selects it (see `Created`).
    let mut created = None;
    let result: Result<Bi, ServiceError> = match purpose {
        WatchPurpose::Flag { person } => service
            .flag_person(
                &session,
                person,
                &FlagForm {
                    categories: form.checked(Field::WatchCategories),
                    subcategories: Vec::new(),
                    level: level_at(form.choice(Field::Level)),
                    basis: form.text(Field::Basis),
                    source: form.text(Field::Source),
                    responsible: None,
                    next_review: form.text(Field::NextReview),
                },
            )
            .map(|f| {
                created = Some(Created::Flag(f.meta.id));
                T::Flagged.bi_fill(&[&f.level.localize(lang)])
            }),
        WatchPurpose::Level { id, revision } => match level_at(form.choice(Field::Level)) {
            None => Err(beatbook_model::ValidationError::Required(Field::Level).into()),
            Some(to) => service
                .change_flag_level(&session, id, revision, to, &form.text(Field::Reason))
                .map(|f| {
                    if f.pending.is_some() {
                        T::WaitingForChief.bi()
                    } else {
                        T::Saved.bi()
                    }
                }),
        },
        WatchPurpose::Remove { id, revision } => service
            .remove_flag(&session, id, revision, &form.text(Field::Reason))
            .map(|f| {
                if f.pending.is_some() {
                    T::WaitingForChief.bi()
                } else {
                    T::RemovedFromList.bi()
                }
            }),
        WatchPurpose::Decide { id, revision } => match form.choice(Field::Decision) {
            None => Err(beatbook_model::ValidationError::Required(Field::Decision).into()),
            Some(i) => service
                .decide_flag(&session, id, revision, i == 0, &form.text(Field::Remarks))
                .map(|_| T::Saved.bi()),
        },
        WatchPurpose::Profile { id, revision } => {
            let gender = match form.choice(Field::Gender) {
                Some(1) => "男",
                Some(2) => "女",
                _ => "",
            };
            let draft = beatbook_model::PersonDraft {
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
            };
            service
                .update_person(&session, id, revision, &draft)
                .map(|_| T::Saved.bi())
        }
        WatchPurpose::SamePerson { keep } => match form.picked(Field::Person) {
            None => Err(beatbook_model::ValidationError::Required(Field::Person).into()),
            Some(other) => service
                .request_merge(&session, keep, other.id, &form.text(Field::Remarks))
                .map(|outcome| match outcome {
                    beatbook_service::MergeOutcome::Merged(_) => T::SamePersonMerged.bi(),
                    beatbook_service::MergeOutcome::Requested => T::SamePersonRequested.bi(),
                }),
        },
        WatchPurpose::Review { id, revision } => service
            .review_flag(&session, id, revision, &form.text(Field::Remarks))
            .map(|f| T::Reviewed.bi_fill(&[&f.next_review.format("%Y-%m-%d")])),
    };
    match result {
        Ok(message) => {
            app.overlays.pop();
            app.message = Some(Message::success(message));
            app.created.extend(created);
            person::refresh(app);
            app.reload_watch();
            app.reload_today();
        }
        Err(e) => {
            let field = e.field();
            if let Some(Overlay::Form(state)) = app.overlays.last_mut() {
                state.form.error = Some(e.localize(lang));
                if let Some(f) = field {
                    state.form.focus_field(f);
                }
            }
        }
    }
}
