//! The one place where what a component asked for ([`Effect`]) is carried out: the only
//! code, with the form dispatcher, that changes the app's overlays and screen.

use super::{App, Overlay, Screen};
use crate::screens::effect::{Ctx, Effect, Open};
use crate::screens::{admin, disputes, findings, form, residents, visits, watch};
use beatbook_model::Id;
use beatbook_service::ServiceError;

impl App<'_> {
    /// Carries out what a screen asked for.
    pub(crate) fn apply(&mut self, effect: Effect) {
        match effect {
            Effect::None => {}
            Effect::Reload => self.reload_screen(),
            Effect::Message(m) => self.message = Some(m),
            Effect::Close => {
                self.overlays.pop();
            }
            Effect::Show(screen) => {
                self.screen = *screen;
                self.reload_screen();
            }
            Effect::SwitchView => crate::screens::cycle::switch_view(self),
            Effect::Logout => self.logout(),
            Effect::EnterSession(session) => self.enter_session(*session),
            Effect::Open(open) => self.open(open),
            Effect::StepToday(delta) => self.step_today(delta),
            Effect::StepRegister { shown, delta } => self.step_register(shown, delta),
            Effect::SaveRegistered(link) => disputes::forms::save_registered(self, link),
            Effect::AdminConfirmed(c) => admin::list::confirmed(self, c),
            Effect::DecideConflict(d) => {
                let (service, lang) = (self.service, self.lang);
                let effect = match (&mut self.screen, &self.session) {
                    (Screen::Conflicts(state), Some(session)) => state.decide(
                        &Ctx {
                            service,
                            session,
                            lang,
                        },
                        d,
                    ),
                    _ => Effect::None,
                };
                self.apply(effect);
            }
            Effect::DiscardForm => {
                if matches!(self.overlays.last(), Some(Overlay::Form(_))) {
                    self.overlays.pop();
                }
            }
            Effect::Quit => self.quit = true,
            Effect::SaveForm => form::save(self),
            Effect::RefreshPicker => self.refresh_picker(),
            Effect::Ask(question) => self.overlays.push(Overlay::Confirm(question)),
            Effect::Then(effects) => {
                for e in effects {
                    self.apply(e);
                }
            }
        }
    }

    /// Opens what a component asked for: an overlay reads its record here (a refusal
    /// goes to the message line), a form reads the choices it offers.
    fn open(&mut self, open: Open) {
        match open {
            Open::CreateStation => self
                .overlays
                .push(Overlay::Form(Box::new(form::create_station()))),
            Open::Visit(id) => self.push_read(|ctx| {
                visits::detail::DetailState::load(ctx, id).map(|s| Overlay::Detail(Box::new(s)))
            }),
            Open::Dispute(id) => self.push_read(|ctx| {
                disputes::detail::DisputeState::load(ctx, id).map(|s| Overlay::Dispute(Box::new(s)))
            }),
            Open::Person(id) => self.push_read(|ctx| {
                watch::person::PersonState::load(ctx, id).map(|s| Overlay::Person(Box::new(s)))
            }),
            Open::Finding(id) => self.push_read(|ctx| {
                findings::detail::FindingState::load(ctx, id).map(|s| Overlay::Finding(Box::new(s)))
            }),
            Open::FindingAnd(id, action) => {
                let below = self.overlays.len();
                self.open(Open::Finding(id));
                if self.overlays.len() > below {
                    self.dispatch(action);
                }
            }
            Open::VisitForm(action, target) => {
                visits::forms::open_visit_form(self, action, &target)
            }
            Open::NewVisit => visits::forms::open_new_visit(self),
            Open::NewFinding { kind, id, label } => {
                findings::forms::open_new(self, kind, id, &label)
            }
            Open::FindingStep {
                action,
                id,
                revision,
                subtitle,
            } => findings::forms::open_step(self, action, id, revision, subtitle),
            Open::DisputeAction(action, detail) => {
                disputes::forms::open_action(self, action, &detail)
            }
            Open::WatchAction(action, detail) => watch::forms::open_action(self, action, &detail),
            Open::RegisterDispute => disputes::forms::open_register(self),
            Open::NewStation => admin::forms::open_new_station(self),
            Open::NewAccount {
                stations,
                preselect,
            } => admin::forms::open_new_account(self, stations, preselect),
            Open::Role(officer) => admin::forms::open_role(self, &officer),
            Open::AccountStation(officer, stations) => {
                admin::forms::open_station(self, &officer, stations)
            }
            Open::Backup(path) => admin::forms::open_backup(self, &path),
            Open::Villages(station) => residents::forms::open_villages(self, station),
            Open::Particulars(officer) => residents::forms::open_particulars(self, &officer),
            Open::NewPerson { name, then } => residents::forms::open_new(self, &name, then),
            Open::NewParty => disputes::forms::open_new_party(self),
            Open::EditPerson(id) => residents::forms::open_edit(self, id),
            Open::StationAccounts => residents::forms::open_station_accounts(self),
            Open::Print(target) => crate::screens::print::open(self, target),
        }
    }

    /// Puts the overlay `read` builds on top, or says why it could not be read.
    fn push_read(&mut self, read: impl FnOnce(&Ctx) -> Result<Overlay, ServiceError>) {
        let Some(session) = &self.session else {
            return;
        };
        let ctx = Ctx {
            service: self.service,
            session,
            lang: self.lang,
        };
        match read(&ctx) {
            Ok(overlay) => self.overlays.push(overlay),
            Err(e) => self.fail(&e),
        }
    }

    /// The visit detail's next/previous. Steps over Today's visits only (never onto an
    /// alert or "+N more" line, which would leave the selection where the overlay hides
    /// it), and only when the detail was opened from Today itself: opened from a person's
    /// visits, the list underneath is not what the officer was reading, and a step would
    /// put one of Today's visits in front of them instead.
    fn step_today(&mut self, delta: isize) {
        let over_today = self.overlays.len() == 1;
        if let (true, Screen::Today(list)) = (over_today, &mut self.screen) {
            if let Some(next) = list.step_visit(delta) {
                self.overlays.pop();
                self.open(Open::Visit(next));
            }
        }
    }

    /// The dispute detail's next/previous over the register.
    fn step_register(&mut self, shown: Id, delta: isize) {
        if let Screen::Register(list) = &mut self.screen {
            list.step(shown, delta);
            if let Some(id) = list.selected_row().map(|r| r.summary.id) {
                self.overlays.pop();
                self.open(Open::Dispute(id));
            }
        }
    }
}
