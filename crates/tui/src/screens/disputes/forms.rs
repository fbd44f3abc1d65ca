//! Forms of the dispute register: registering (with parties picked or created inline and
//! the duplicate guard) and every workflow action of the detail screen.

use crate::action::Action;
use crate::app::{App, Message, Overlay};
use crate::screens::form::{FormState, Purpose};
use crate::text::T;
use crate::widgets::form::{Checks, Form, FormField, Input, PartyList};
use beatbook_i18n::{Bi, Localize};
use beatbook_model::{Complexity, DisputeScale, DisputeSource, Field, Id, SessionResult};
use beatbook_service::{DisputeAction, DisputeDetail, Permission, Session};

mod save;

pub use save::{save, save_registered};

/// What saving a dispute form does.
#[derive(Clone, Debug)]
pub enum DisputePurpose {
    Register {
        officers: Vec<beatbook_service::OfficerOption>,
        /// Set once the user answered the duplicate guard: link as recurrence of this one.
        recurrence_of: Option<Option<Id>>,
    },
    Edit {
        id: Id,
        revision: u64,
    },
    Session {
        id: Id,
        revision: u64,
    },
    Resolve {
        id: Id,
        revision: u64,
    },
    Handover {
        id: Id,
        revision: u64,
        escalate: bool,
    },
    Reopen {
        id: Id,
        revision: u64,
    },
    RequestExtension {
        id: Id,
        revision: u64,
    },
    DecideExtension {
        id: Id,
        revision: u64,
    },
    Close {
        id: Id,
        revision: u64,
    },
    /// A person created without leaving the register form; added to its parties.
    NewParty,
}

fn choices<T: Localize>(items: &[T]) -> Vec<Bi> {
    items.iter().map(|i| Bi::of(i)).collect()
}

fn position<T: PartialEq>(items: &[T], item: &T) -> Option<usize> {
    items.iter().position(|x| x == item)
}

/// The keys of the workflow steps the service lets this user take on the dispute now.
pub fn available_actions(app: &App, session: &Session, detail: &DisputeDetail) -> Vec<Action> {
    let allowed = app.service.dispute_actions(session, detail);
    let mut out: Vec<Action> = allowed
        .workflow
        .iter()
        .filter_map(|a| match a {
            DisputeAction::Accept => Some(Action::DisputeAccept),
            DisputeAction::RecordSession => Some(Action::DisputeSession),
            DisputeAction::Resolve => Some(Action::DisputeResolve),
            DisputeAction::Close => Some(Action::DisputeClose),
            DisputeAction::Refer => Some(Action::DisputeRefer),
            DisputeAction::Escalate => Some(Action::DisputeEscalate),
            DisputeAction::Reopen => Some(Action::DisputeReopen),
            DisputeAction::RequestExtension => Some(Action::ExtensionRequest),
            DisputeAction::DecideExtension => Some(Action::ExtensionDecide),
            DisputeAction::Edit => Some(Action::DisputeEdit),
            DisputeAction::RecordFeedback => Some(Action::DisputeFeedback),
            // The closing evaluation has no key of its own.
            DisputeAction::Evaluate => None,
        })
        .collect();
    if allowed.new_visit {
        out.push(Action::VisitNew);
    }
    out
}

fn push(app: &mut App, form: Form, purpose: DisputePurpose) {
    app.overlays.push(Overlay::Form(Box::new(FormState {
        form,
        purpose: Purpose::Dispute(purpose),
    })));
}

/// The register form, empty (new) or filled from a dispute (edit).
fn register_form(
    app: &App,
    existing: Option<&DisputeDetail>,
    officers: &[beatbook_service::OfficerOption],
) -> Form {
    let config = &app.service.settings().disputes;
    let d = existing.map(|e| &e.dispute);
    let categories: Vec<Bi> = config
        .categories
        .iter()
        .map(|c| {
            Bi::new(
                format!("{} {}", c.code, c.zh),
                format!("{} {}", c.code, c.en),
            )
        })
        .collect();
    let category = d.and_then(|d| config.categories.iter().position(|c| c.code == d.category));
    let indicators: Vec<(String, Bi)> = config
        .indicators
        .iter()
        .filter(|i| !i.implied)
        .map(|i| (i.code.clone(), Bi::new(i.zh.clone(), i.en.clone())))
        .collect();
    let mut parties = PartyList::default();
    if let Some(e) = existing {
        parties.parties = e.parties.clone();
    }
    let text = |f: Field, v: &str, req: bool| FormField::text(f, v, req);
    let mut fields = vec![
        text(Field::Title, d.map_or("", |d| &d.title), true),
        FormField::choice(Field::Category, categories, category, true),
        FormField::choice(Field::Subcategory, Vec::new(), None, false),
        FormField {
            field: Field::Parties,
            input: Input::Parties(Box::new(parties)),
            required: true,
            hint: None,
            label: None,
        },
        // issue 10 — the station's villages offered, free text allowed.
        FormField::suggest(
            Field::Village,
            d.map_or("", |d| &d.village),
            crate::screens::residents::forms::villages(app),
        ),
        FormField::suggest(
            Field::Place,
            d.map_or("", |d| &d.place),
            crate::screens::residents::forms::villages(app),
        ),
        text(
            Field::HappenedOn,
            &d.and_then(|d| d.happened_on)
                .map(|x| x.to_string())
                .unwrap_or_default(),
            false,
        )
        .with_hint(Bi::new("如 2026-11-20", "e.g. 2026-11-20")),
        FormField::choice(
            Field::Source,
            choices(&DisputeSource::ALL),
            position(
                &DisputeSource::ALL,
                &d.map_or(DisputeSource::default(), |d| d.source),
            ),
            true,
        ),
        FormField::choice(
            Field::Scale,
            choices(&DisputeScale::ALL),
            position(
                &DisputeScale::ALL,
                &d.map_or(DisputeScale::default(), |d| d.scale),
            ),
            true,
        ),
        text(
            Field::PeopleInvolved,
            &d.map(|d| d.people_involved.to_string()).unwrap_or_default(),
            false,
        ),
        text(
            Field::Amount,
            &d.and_then(|d| d.amount_yuan()).unwrap_or_default(),
            false,
        )
        .with_hint(Bi::new("如 12000 或 1.5万", "e.g. 12000")),
        FormField::choice(
            Field::Complexity,
            choices(&[Complexity::Ordinary, Complexity::Complex]),
            Some(usize::from(
                d.is_some_and(|d| d.complexity == Complexity::Complex),
            )),
            true,
        ),
        FormField {
            field: Field::Indicators,
            input: Input::Checks(Checks::new(
                indicators,
                d.map_or(&[][..], |d| &d.indicators[..]),
            )),
            required: false,
            hint: None,
            label: None,
        },
    ];
    if existing.is_none()
        && app
            .session
            .as_ref()
            .is_some_and(|s| app.service.views(s).assign_others)
    {
        let me = app
            .session
            .as_ref()
            .and_then(|s| officers.iter().position(|o| o.id == s.officer()));
        fields.push(FormField::choice(
            Field::Officer,
            officers
                .iter()
                .map(|o| Bi::new(o.display_name.clone(), o.display_name.clone()))
                .collect(),
            me,
            true,
        ));
    }
    fields.push(text(
        Field::Description,
        d.map_or("", |d| &d.description),
        false,
    ));
    let mut form = Form::new(
        if existing.is_some() {
            T::EditDispute.bi()
        } else {
            T::RegisterDispute.bi()
        },
        fields,
    );
    sync_subcategories(app, &mut form, d.map(|d| d.subcategory.as_str()));
    form
}

/// Keeps the sub-category choices in step with the chosen category.
pub fn sync_subcategories(app: &App, form: &mut Form, keep: Option<&str>) {
    let config = &app.service.settings().disputes;
    let category = form
        .choice(Field::Category)
        .and_then(|i| config.categories.get(i));
    let current = form.choice(Field::Subcategory);
    if let Some(f) = form
        .fields
        .iter_mut()
        .find(|f| f.field == Field::Subcategory)
    {
        if let Input::Choice(c) = &mut f.input {
            let subs = category
                .map(|c| c.subcategories.clone())
                .unwrap_or_default();
            let mut options = vec![T::NoSubcategory.bi()];
            options.extend(subs.iter().map(|s| Bi::new(s.zh.clone(), s.en.clone())));
            let selected = match keep {
                Some(code) => subs.iter().position(|s| s.code == code).map(|i| i + 1),
                None if c.options.len() == options.len() => current,
                None => None,
            };
            c.options = options;
            c.selected = selected.or(Some(0));
        }
    }
}

/// Opens the register form for a new dispute.
pub fn open_register(app: &mut App) {
    let Some(session) = &app.session else {
        return;
    };
    if let Err(e) = app
        .service
        .check_permission(session, Permission::WriteCases)
    {
        return app.fail(&e);
    }
    let officers = match app.service.station_officers(session) {
        Ok(o) => o,
        Err(e) => return app.fail(&e),
    };
    let form = register_form(app, None, &officers);
    push(
        app,
        form,
        DisputePurpose::Register {
            officers,
            recurrence_of: None,
        },
    );
}

/// Opens the form (or does the action) for a key on the detail screen.
pub fn open_action(app: &mut App, action: Action, detail: &DisputeDetail) {
    let Some(session) = app.session.clone() else {
        return;
    };
    if !available_actions(app, &session, detail).contains(&action) {
        app.message = Some(Message::info(T::ActionNotAvailable.bi()));
        return;
    }
    let id = detail.dispute.meta.id;
    let revision = detail.dispute.meta.revision;
    let today = app.service.today().format("%Y-%m-%d").to_string();
    let sub = detail.dispute.title.clone();
    let (title, fields, purpose) = match action {
        Action::DisputeAccept => {
            let r = app.service.accept_dispute(&session, id, revision);
            return save::finish(app, r.map(|_| T::Accepted.bi()));
        }
        Action::DisputeFeedback => {
            let r = app.service.record_feedback(&session, id, revision);
            return save::finish(app, r.map(|_| T::FeedbackRecorded.bi()));
        }
        Action::VisitNew => {
            let party = detail.parties.first().map(|(c, _)| c.clone());
            crate::screens::visits::forms::open_new_visit_for(app, party, Some(id));
            return;
        }
        Action::DisputeEdit => {
            let form = register_form(app, Some(detail), &[]);
            push(app, form, DisputePurpose::Edit { id, revision });
            return;
        }
        Action::DisputeSession => (
            T::RecordSession.bi(),
            vec![
                FormField::text(Field::SessionDate, &today, true),
                FormField::text(Field::Participants, "", true),
                FormField::text(Field::SessionMethod, "", false)
                    .with_hint(Bi::new("如 当面调解", "e.g. face to face")),
                FormField::choice(
                    Field::SessionResult,
                    choices(&SessionResult::ALL),
                    None,
                    true,
                ),
                FormField::text(Field::AgreementText, "", false),
                FormField::text(Field::Notes, "", false),
            ],
            DisputePurpose::Session { id, revision },
        ),
        Action::DisputeResolve => (
            T::ResolveDispute.bi(),
            vec![
                FormField::text(Field::ResolutionDate, &today, true),
                FormField::text(Field::ResolutionMethod, "", true)
                    .with_hint(Bi::new("如 当场调解", "e.g. mediated on site")),
                FormField::choice(Field::Success, vec![T::Yes.bi(), T::No.bi()], Some(0), true),
                FormField::text(Field::How, "", true),
            ],
            DisputePurpose::Resolve { id, revision },
        ),
        Action::DisputeRefer | Action::DisputeEscalate => {
            let escalate = action == Action::DisputeEscalate;
            (
                if escalate {
                    T::EscalateDispute.bi()
                } else {
                    T::ReferDispute.bi()
                },
                vec![
                    FormField::text(Field::HandoverTo, "", true).with_hint(if escalate {
                        Bi::new("如 刑事案件", "e.g. criminal case")
                    } else {
                        Bi::new("如 人民调解委员会", "e.g. mediation committee")
                    }),
                    FormField::text(Field::Reference, "", false),
                    FormField::text(Field::HandoverDate, &today, true),
                    FormField::text(Field::Reason, "", false),
                ],
                DisputePurpose::Handover {
                    id,
                    revision,
                    escalate,
                },
            )
        }
        Action::DisputeReopen => (
            T::ReopenDispute.bi(),
            vec![FormField::text(Field::Reason, "", true)],
            DisputePurpose::Reopen { id, revision },
        ),
        Action::ExtensionRequest => (
            T::RequestExtension.bi(),
            vec![
                FormField::text(Field::Days, "", true),
                FormField::text(Field::Reason, "", true),
            ],
            DisputePurpose::RequestExtension { id, revision },
        ),
        Action::ExtensionDecide => (
            T::DecideExtension.bi(),
            vec![
                FormField::choice(
                    Field::Decision,
                    vec![T::Approve.bi(), T::Reject.bi()],
                    None,
                    true,
                ),
                FormField::text(Field::Remarks, "", false),
            ],
            DisputePurpose::DecideExtension { id, revision },
        ),
        Action::DisputeClose => (
            T::CloseDispute.bi(),
            vec![FormField::text(Field::Remarks, "", false)],
            DisputePurpose::Close { id, revision },
        ),
        _ => return,
    };
    push(app, Form::new(title, fields).with_subtitle(sub), purpose);
}

/// Opens a person form whose saved person joins the parties of the form below.
pub fn open_new_party(app: &mut App) {
    let name = match app.overlays.last_mut() {
        Some(Overlay::Form(f)) => f
            .form
            .focused_parties_mut()
            .map(|l| l.picker.query.value().to_string()),
        _ => None,
    };
    let Some(name) = name else {
        return;
    };
    let fields = vec![
        FormField::text(Field::Name, &name, true),
        FormField::text(Field::IdNumber, "", false),
        FormField::choice(
            Field::Gender,
            vec![
                Bi::of(&beatbook_model::Gender::Unknown),
                Bi::of(&beatbook_model::Gender::Male),
                Bi::of(&beatbook_model::Gender::Female),
            ],
            Some(0),
            false,
        ),
        FormField::text(Field::BirthDate, "", false),
        FormField::text(Field::Phone, "", false),
        FormField::suggest(
            Field::Village,
            "",
            crate::screens::residents::forms::villages(app),
        ),
        FormField::text(Field::Address, "", false),
    ];
    push(
        app,
        Form::new(T::NewPerson.bi(), fields),
        DisputePurpose::NewParty,
    );
}
