//! Forms of supervision findings: recording one (supervisor, from a dispute, a visit or a
//! watch-list flag), the station's rectification, and the supervisor's return (with a
//! reason) or acceptance.

use crate::action::Action;
use crate::app::{App, Created, Message, Overlay};
use crate::screens::form::{FormState, Purpose};
use crate::text::T;
use crate::widgets::form::{Form, FormField};
use beatbook_i18n::{Bi, Localize};
use beatbook_model::{Field, Id, TargetKind};
use beatbook_service::{NewFinding, ServiceError};

/// What saving a findings form does.
#[derive(Clone, Debug)]
pub enum FindingPurpose {
    New {
        target: TargetKind,
        target_id: Id,
        /// Problem codes in the order the choice shows them.
        codes: Vec<String>,
    },
    Rectify {
        id: Id,
        revision: u64,
    },
    Accept {
        id: Id,
        revision: u64,
    },
    Return {
        id: Id,
        revision: u64,
    },
}

fn push(app: &mut App, form: Form, purpose: FindingPurpose) {
    app.overlays.push(Overlay::Form(Box::new(FormState {
        form,
        purpose: Purpose::Finding(purpose),
    })));
}

/// Opens "record a finding" about a target; only supervisors get the form, others are
/// told why (the service refuses them too).
pub fn open_new(app: &mut App, target: TargetKind, target_id: Id, label: &str) {
    let Some(session) = &app.session else {
        return;
    };
    if let Err(e) = app
        .service
        .check_permission(session, beatbook_service::Permission::RecordFinding)
    {
        app.fail(&e);
        return;
    }
    let problems = &app.service.settings().findings.problems;
    let codes: Vec<String> = problems.iter().map(|p| p.code.clone()).collect();
    let labels: Vec<Bi> = problems
        .iter()
        .map(|p| Bi::new(p.zh.clone(), p.en.clone()))
        .collect();
    let form = Form::new(
        T::RecordFinding.bi(),
        vec![
            FormField::choice(Field::ProblemType, labels, None, true),
            FormField::text(Field::Description, "", true),
            FormField::text(Field::RectifyBy, "", true).with_hint(T::EG20261202Or.bi()),
        ],
    )
    .with_subtitle(format!("{}  {label}", target.localize(app.lang)));
    push(
        app,
        form,
        FindingPurpose::New {
            target,
            target_id,
            codes,
        },
    );
}

/// Opens the form of a step on a finding: rectify, accept or return.
pub fn open_step(app: &mut App, action: Action, id: Id, revision: u64, subtitle: String) {
    let (form, purpose) = match action {
        Action::FindingRectify => (
            Form::new(
                T::RectifyFinding.bi(),
                vec![FormField::text(Field::Rectification, "", true)],
            ),
            FindingPurpose::Rectify { id, revision },
        ),
        Action::FindingAccept => (
            Form::new(
                T::AcceptFinding.bi(),
                vec![FormField::text(Field::Remarks, "", false)],
            ),
            FindingPurpose::Accept { id, revision },
        ),
        Action::FindingReturn => (
            Form::new(
                T::ReturnFinding.bi(),
                vec![FormField::text(Field::Reason, "", true)],
            ),
            FindingPurpose::Return { id, revision },
        ),
        _ => return,
    };
    push(app, form.with_subtitle(subtitle), purpose);
}

/// Calls the service; on refusal the form stays as typed with the message and focus.
pub fn save(app: &mut App, purpose: FindingPurpose) {
    let Some(session) = app.session.clone() else {
        return;
    };
    let Some(Overlay::Form(state)) = app.overlays.last() else {
        return;
    };
    let form = state.form.clone();
    let service = app.service;
    let lang = app.lang;
    // A finding just recorded: the findings list selects it (see `Created`).
    let mut created = None;
    let result: Result<Bi, ServiceError> = match purpose {
        FindingPurpose::New {
            target,
            target_id,
            codes,
        } => service
            .create_finding(
                &session,
                &NewFinding {
                    target,
                    target_id,
                    problem: form
                        .choice(Field::ProblemType)
                        .and_then(|i| codes.get(i).cloned()),
                    description: form.text(Field::Description),
                    deadline: form.text(Field::RectifyBy),
                },
            )
            .map(|f| {
                created = Some(Created::Finding(f.meta.id));
                T::FindingRecorded.bi_fill(&[&f.deadline.format("%Y-%m-%d")])
            }),
        FindingPurpose::Rectify { id, revision } => service
            .rectify_finding(&session, id, revision, &form.text(Field::Rectification))
            .map(|_| T::RectificationSent.bi()),
        FindingPurpose::Accept { id, revision } => service
            .accept_finding(&session, id, revision, &form.text(Field::Remarks))
            .map(|_| T::FindingAccepted.bi()),
        FindingPurpose::Return { id, revision } => service
            .return_finding(&session, id, revision, &form.text(Field::Reason))
            .map(|_| T::FindingReturned.bi()),
    };
    match result {
        Ok(message) => {
            app.overlays.pop();
            app.message = Some(Message::success(message));
            app.created.extend(created);
            crate::screens::findings::detail::refresh(app);
            app.reload_today();
            app.reload_findings();
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
