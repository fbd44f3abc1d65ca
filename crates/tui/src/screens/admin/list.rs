//! The administrator's screen: every station with its accounts, and the account actions
//! (create, role, transfer, disable/enable, password reset, unlock) and the backup.
//!
//! Actions are dispatched in one place, [`AdminState::update`]: a new admin action (e.g.
//! a backup) adds an arm there, a key in the `[admin]` keymap table and, if it needs
//! input, a purpose in [`crate::screens::admin::forms`].

use crate::action::Action;
use crate::app::{App, Confirm, Message, Screen};
use crate::keymap::Mode;
use crate::screens::admin::forms as admin_forms;
use crate::screens::effect::{Ctx, Effect, Open};
use crate::text::T;
use crate::theme;
use crate::widgets::columns::{fit, share, wrap_parts};
use crate::widgets::selection::{navigate, reselect};
use beatbook_i18n::{Bi, Lang, Localize};
use beatbook_model::{Id, Officer, Station};
use beatbook_service::{AccountRow, Service, Session, StationAccounts};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};
use ratatui::Frame;

#[derive(Debug, Default)]
pub struct AdminState {
    pub stations: Vec<StationAccounts>,
    /// Index into [`AdminState::rows`]: station rows and account rows alike.
    pub selected: usize,
    /// Why the list could not be read.
    pub error: Option<Bi>,
}

/// One line of the list: a station heading or one of its accounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowRef {
    Station(usize),
    Account(usize, usize),
}

/// An account action waiting for the administrator's yes (see [`Confirm::Admin`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AdminConfirm {
    pub kind: ConfirmKind,
    pub officer: Id,
    pub revision: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfirmKind {
    Disable,
    Enable,
    /// Yes opens the temporary-password form.
    Reset,
}

impl AdminState {
    pub fn load(service: &Service, session: &Session) -> AdminState {
        match service.accounts_overview(session) {
            Ok(stations) => AdminState {
                stations,
                ..Default::default()
            },
            Err(e) => AdminState {
                error: Some(Bi::of(&e)),
                ..Default::default()
            },
        }
    }

    /// Reads the list again, keeping the selection on the same account or station.
    fn reload(&mut self, service: &Service, session: &Session, select: Option<Id>) {
        let keep = select.or_else(|| self.selected_id());
        *self = AdminState::load(service, session);
        if let Some(id) = keep {
            self.select(id);
        }
    }

    /// Every row in display order.
    pub fn rows(&self) -> Vec<RowRef> {
        let mut out = Vec::new();
        for (s, station) in self.stations.iter().enumerate() {
            out.push(RowRef::Station(s));
            out.extend((0..station.accounts.len()).map(|a| RowRef::Account(s, a)));
        }
        out
    }

    fn selected_row(&self) -> Option<RowRef> {
        self.rows().get(self.selected).copied()
    }

    /// The selected account, if the selection is on one.
    pub fn selected_account(&self) -> Option<&AccountRow> {
        match self.selected_row()? {
            RowRef::Account(s, a) => self.stations.get(s)?.accounts.get(a),
            RowRef::Station(_) => None,
        }
    }

    /// The station of the selected row (a heading or an account under it).
    pub fn selected_station(&self) -> Option<&Station> {
        match self.selected_row()? {
            RowRef::Account(s, _) | RowRef::Station(s) => self.stations.get(s).map(|x| &x.station),
        }
    }

    fn selected_id(&self) -> Option<Id> {
        match self.selected_row()? {
            RowRef::Account(s, a) => Some(self.stations.get(s)?.accounts.get(a)?.officer.meta.id),
            RowRef::Station(s) => Some(self.stations.get(s)?.station.meta.id),
        }
    }

    /// The id of each row, in display order (a station's or an account's).
    fn row_ids(&self) -> Vec<Id> {
        self.rows()
            .into_iter()
            .filter_map(|r| match r {
                RowRef::Station(s) => self.stations.get(s).map(|x| x.station.meta.id),
                RowRef::Account(s, a) => self
                    .stations
                    .get(s)
                    .and_then(|x| x.accounts.get(a))
                    .map(|x| x.officer.meta.id),
            })
            .collect()
    }

    /// Moves the selection to the account or station with `id`, or the first row if it
    /// is not listed (never whatever row now sits at the old index).
    pub fn select(&mut self, id: Id) {
        self.selected = reselect(self.row_ids().into_iter(), Some(&id));
    }

    fn account(&self, id: Id) -> Option<&Officer> {
        self.stations
            .iter()
            .flat_map(|s| &s.accounts)
            .map(|a| &a.officer)
            .find(|o| o.meta.id == id)
    }

    /// (id, name) of every station, for pick lists.
    pub fn station_choices(&self) -> Vec<(Id, String)> {
        self.stations
            .iter()
            .map(|s| (s.station.meta.id, s.station.name.clone()))
            .collect()
    }
}

/// Reads the admin list again after a save, selecting `select` when given.
pub fn reload(app: &mut App, select: Option<Id>) {
    let (Some(session), Screen::Admin(state)) = (&app.session, &mut app.screen) else {
        return;
    };
    state.reload(app.service, session, select);
}

impl AdminState {
    pub fn update(&mut self, ctx: &Ctx, action: Action) -> Effect {
        if let Some(selected) = navigate(self.selected, self.rows().len(), action) {
            self.selected = selected;
            return Effect::None;
        }
        match action {
            Action::Refresh => Effect::Then(vec![
                Effect::Reload,
                Effect::Message(Message::info(T::Refreshed.bi())),
            ]),
            Action::Logout => Effect::Logout,
            Action::StationNew => Effect::Open(Open::NewStation),
            Action::Conflicts => crate::screens::conflicts::ConflictsState::open(ctx),
            Action::AccountNew => {
                let station = self.selected_station().map(|s| s.meta.id);
                let stations = self.station_choices();
                Effect::Open(Open::NewAccount {
                    stations,
                    preselect: station,
                })
            }
            Action::AccountRole
            | Action::AccountStation
            | Action::AccountToggle
            | Action::AccountReset
            | Action::AccountUnlock => self.on_account(ctx, action),
            Action::Backup => {
                let path = ctx.service.default_backup_path();
                Effect::Open(Open::Backup(path))
            }
            // issue 10 — villages of the selected station, particulars of the account.
            Action::EditVillages => match self.selected_station().map(|s| s.meta.id) {
                Some(id) => Effect::Open(Open::Villages(id)),
                None => Effect::Message(Message::info(T::NoStationSelected.bi())),
            },
            Action::AccountParticulars => match self.selected_account() {
                Some(row) => Effect::Open(Open::Particulars(Box::new(row.officer.clone()))),
                None => Effect::Message(Message::info(T::SelectAnAccount.bi())),
            },
            _ => Effect::None,
        }
    }
}

impl AdminState {
    /// An action on the selected account: its form, a question first, or (unlocking)
    /// done here and the list read again.
    fn on_account(&mut self, ctx: &Ctx, action: Action) -> Effect {
        let Some(row) = self.selected_account() else {
            return Effect::Message(Message::info(T::SelectAnAccount.bi()));
        };
        let officer = row.officer.clone();
        let (id, revision) = (officer.meta.id, officer.meta.revision);
        let ask = |kind| {
            Effect::Ask(Confirm::Admin(AdminConfirm {
                kind,
                officer: id,
                revision,
            }))
        };
        match action {
            Action::AccountRole => Effect::Open(Open::Role(Box::new(officer))),
            Action::AccountStation => Effect::Open(Open::AccountStation(
                Box::new(officer),
                self.station_choices(),
            )),
            Action::AccountToggle => ask(if officer.active {
                ConfirmKind::Disable
            } else {
                ConfirmKind::Enable
            }),
            Action::AccountReset => ask(ConfirmKind::Reset),
            Action::AccountUnlock => match ctx.service.unlock_account(ctx.session, id, revision) {
                Ok(o) => {
                    self.reload(ctx.service, ctx.session, Some(id));
                    Effect::Message(Message::success(
                        T::AccountUnlockedMsg.bi_fill(&[&o.username]),
                    ))
                }
                Err(e) => Effect::Message(Message::error(&e)),
            },
            _ => Effect::None,
        }
    }
}

/// The administrator answered yes.
pub fn confirmed(app: &mut App, c: AdminConfirm) {
    let Some(session) = app.session.clone() else {
        return;
    };
    match c.kind {
        ConfirmKind::Reset => {
            let Screen::Admin(state) = &app.screen else {
                return;
            };
            if let Some(o) = state.account(c.officer).cloned() {
                admin_forms::open_reset(app, &o);
            }
        }
        ConfirmKind::Disable | ConfirmKind::Enable => {
            let active = c.kind == ConfirmKind::Enable;
            let r = app
                .service
                .set_account_active(&session, c.officer, c.revision, active)
                .map(|o| {
                    if active {
                        T::AccountEnabledMsg.bi_fill(&[&o.username])
                    } else {
                        T::AccountDisabledMsg.bi_fill(&[&o.username])
                    }
                });
            finish(app, r, Some(c.officer));
        }
    }
}

/// Shows the outcome of an action taken without a form, and reads the list again.
fn finish(app: &mut App, result: Result<Bi, beatbook_service::ServiceError>, select: Option<Id>) {
    match result {
        Ok(text) => {
            reload(app, select);
            app.message = Some(Message::success(text));
        }
        Err(e) => app.fail(&e),
    }
}

/// The question of a confirmation, naming the account.
pub fn confirm_text(app: &App, c: AdminConfirm, lang: Lang) -> String {
    let who = match &app.screen {
        Screen::Admin(state) => state
            .account(c.officer)
            .map(|o| format!("{}（{}）", o.username, o.display_name))
            .unwrap_or_default(),
        _ => String::new(),
    };
    match c.kind {
        ConfirmKind::Disable => T::ConfirmDisable.fill(lang, &[&who]),
        ConfirmKind::Enable => T::ConfirmEnable.fill(lang, &[&who]),
        ConfirmKind::Reset => T::ConfirmReset.fill(lang, &[&who]),
    }
}

/// The key hints under the list, from the keymap (so they follow a user's rebinding).
/// Help is left out: the status line already names its key.
fn hints(app: &App, lang: Lang) -> Vec<String> {
    let pairs = [
        (Action::AccountNew, T::AdminHintNewAccount),
        (Action::StationNew, T::AdminHintNewStation),
        (Action::AccountRole, T::AdminHintRole),
        (Action::AccountStation, T::AdminHintStation),
        (Action::AccountToggle, T::AdminHintToggle),
        (Action::AccountReset, T::AdminHintReset),
        (Action::AccountUnlock, T::AdminHintUnlock),
        (Action::Backup, T::AdminHintBackup),
        (Action::AccountParticulars, T::AdminHintParticulars),
        (Action::EditVillages, T::HintVillages),
    ];
    pairs
        .iter()
        .filter_map(|(a, label)| {
            let key = app.keymap.key_for(Mode::Admin, *a)?;
            Some(format!("{key} {}", label.get(lang)))
        })
        .collect()
}

pub fn draw(app: &App, state: &AdminState, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let hint_lines = wrap_parts(&hints(app, lang), " | ", usize::from(area.width));
    let [title_area, head_area, list_area, hint_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(hint_lines.len() as u16),
    ])
    .areas(area);
    let accounts: usize = state.stations.iter().map(|s| s.accounts.len()).sum();
    let title = Line::from(vec![
        Span::styled(
            format!(" {} ", T::StationsAndAccounts.get(lang)),
            theme::title(),
        ),
        Span::styled(
            T::AccountsCount.fill(lang, &[&state.stations.len(), &accounts]),
            theme::dim(),
        ),
    ]);
    frame.render_widget(title, title_area);
    if let Some(e) = &state.error {
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(e.get(lang), theme::error()))),
            list_area,
        );
        return;
    }

    let total = usize::from(area.width);
    // issue 10 — police number always, the (masked) phone where there is room.
    let show_phone = total >= 100;
    let fixed: &[usize] = if show_phone {
        &[2, 16, 10, 10, 13]
    } else {
        &[2, 16, 10, 10]
    };
    let flex = share(total, fixed, &[1, 2]);
    let mut head = vec![
        fit("", 2),
        fit(T::Username.get(lang), 16),
        fit(T::Name.get(lang), flex[0]),
        fit(T::Role.get(lang), 10),
        fit(T::PoliceNumberColumn.get(lang), 10),
    ];
    if show_phone {
        head.push(fit(T::ResidentsPhoneColumn.get(lang), 13));
    }
    head.push(fit(T::Status.get(lang), flex[1]));
    frame.render_widget(
        Line::from(Span::styled(head.join(" "), theme::header())),
        head_area,
    );
    let items: Vec<ListItem> = state
        .rows()
        .into_iter()
        .map(|row| match row {
            RowRef::Station(s) => {
                let st = &state.stations[s];
                let count = if st.accounts.is_empty() {
                    T::NoAccountsYet.get(lang).to_string()
                } else {
                    T::StationAccountsCount.fill(lang, &[&st.accounts.len()])
                };
                let villages = if st.station.villages.is_empty() {
                    String::new()
                } else {
                    format!(
                        "  {}: {}",
                        T::HintVillages.get(lang),
                        st.station.villages.join(T::ListSep.get(lang))
                    )
                };
                ListItem::new(Line::from(vec![
                    Span::styled(
                        format!("{}  {}", st.station.name, st.station.code),
                        theme::title(),
                    ),
                    Span::styled(format!("  {count}{villages}"), theme::dim()),
                ]))
            }
            RowRef::Account(s, a) => {
                let row = &state.stations[s].accounts[a];
                let o = &row.officer;
                let status = row
                    .statuses()
                    .iter()
                    .map(|st| st.localize(lang))
                    .collect::<Vec<_>>()
                    .join(T::ListSep.get(lang));
                let style = if !o.active {
                    theme::dim()
                } else if row.locked {
                    theme::error()
                } else {
                    ratatui::style::Style::default()
                };
                let mut cells = vec![
                    fit("", 2),
                    fit(&o.username, 16),
                    fit(&o.display_name, flex[0]),
                    fit(&o.role.localize(lang), 10),
                    fit(&o.police_number, 10),
                ];
                if show_phone {
                    let phone = o.phone.as_ref().map(beatbook_model::Phone::masked);
                    cells.push(fit(phone.as_deref().unwrap_or(""), 13));
                }
                cells.push(fit(&status, flex[1]));
                let line = cells.join(" ");
                ListItem::new(Line::from(Span::styled(line, style)))
            }
        })
        .collect();
    let list = List::new(items).highlight_style(theme::selected());
    let mut ls = ListState::default().with_selected(Some(state.selected));
    frame.render_stateful_widget(list, list_area, &mut ls);
    let lines: Vec<Line> = hint_lines
        .into_iter()
        .map(|l| Line::from(Span::styled(l, theme::hint())))
        .collect();
    frame.render_widget(Paragraph::new(lines), hint_area);
}
