//! The statistics screen (chief, supervisor): one station's month — disputes by category
//! as a bar chart, resolution rate and median days, overdue deadlines, visits per officer
//! with the 应访尽访 rate, the watch list by category and level, a 12-month sparkline — or,
//! for supervisors, every station ranked by overdue items. Sections stack vertically and
//! scroll a section at a time, so 80×24 shows everything in turn and 120×40 at once.

use crate::action::Action;
use crate::app::{App, Message, Screen};
use crate::screens::effect::{Ctx, Effect};
use crate::widgets::columns::fit_right;
use beatbook_core::report::Month;
use beatbook_i18n::report::R;
use beatbook_i18n::Lang;
use beatbook_model::Id;
use beatbook_service::{
    BureauReport, Service, ServiceError, Session, StationChoice, StationReport,
};

mod draw;

pub use draw::draw;

/// A right-aligned column `width` wide that always keeps a space before its text.
fn col(text: &str, width: usize) -> String {
    format!(" {}", fit_right(text, width.saturating_sub(1)))
}

/// What is on screen: a station's month or the bureau's.
#[derive(Debug)]
pub enum Loaded {
    Station(Box<StationReport>),
    Bureau(Box<BureauReport>),
}

#[derive(Debug)]
pub struct StatisticsState {
    pub month: Month,
    /// None: the bureau-wide view (supervisors).
    pub station: Option<Id>,
    /// The stations the user may switch between.
    pub stations: Vec<StationChoice>,
    pub loaded: Option<Loaded>,
    /// The first section shown.
    pub scroll: usize,
}

impl StatisticsState {
    /// Opens on the current month: the chief's station, or the bureau for supervisors.
    pub fn new(service: &Service, session: &Session) -> StatisticsState {
        StatisticsState {
            month: Month::of(service.today()),
            station: (!service.views(session).bureau_wide).then(|| session.station()),
            stations: Vec::new(),
            loaded: None,
            scroll: 0,
        }
    }

    pub fn reload(&mut self, service: &Service, session: &Session) -> Result<(), ServiceError> {
        if self.stations.is_empty() {
            self.stations = service.statistics_stations(session)?;
        }
        self.loaded = Some(match self.station {
            Some(id) => Loaded::Station(Box::new(
                service.station_statistics(session, id, self.month)?,
            )),
            None => Loaded::Bureau(Box::new(service.bureau_statistics(session, self.month)?)),
        });
        Ok(())
    }

    /// The next station in the list; after the last, the bureau view (supervisors).
    fn next_station(&mut self, bureau: bool) {
        let pos = self
            .station
            .and_then(|id| self.stations.iter().position(|s| s.id == id));
        self.station = match pos {
            None => self.stations.first().map(|s| s.id),
            Some(i) if i + 1 < self.stations.len() => Some(self.stations[i + 1].id),
            Some(_) if bureau => None,
            Some(_) => self.stations.first().map(|s| s.id),
        };
        self.scroll = 0;
    }
}

/// The screen in place of the current one (from Today), read as it is shown.
pub fn open(ctx: &Ctx) -> Effect {
    let (service, session) = (ctx.service, ctx.session);
    if let Err(e) = service.check_permission(session, beatbook_service::Permission::Statistics) {
        return Effect::Message(Message::error(&e));
    }
    Effect::Show(Box::new(Screen::Statistics(StatisticsState::new(
        service, session,
    ))))
}

pub(crate) fn reload(app: &mut App) {
    let (Some(session), Screen::Statistics(state)) = (&app.session, &mut app.screen) else {
        return;
    };
    if let Err(e) = state.reload(app.service, session) {
        app.message = Some(Message::error(&e));
    }
}

impl StatisticsState {
    pub fn update(&mut self, ctx: &Ctx, action: Action) -> Effect {
        let (service, session) = (ctx.service, ctx.session);
        match action {
            Action::PrevMonth => {
                self.month = self.month.prev();
                Effect::Reload
            }
            Action::NextMonth => {
                if self.month < Month::of(service.today()) {
                    self.month = self.month.next();
                    Effect::Reload
                } else {
                    Effect::Message(Message::error(&ServiceError::FutureMonth(
                        self.month.next().to_string(),
                    )))
                }
            }
            Action::NextStation => {
                self.next_station(service.views(session).bureau_wide);
                Effect::Reload
            }
            Action::Down | Action::PageDown => self.scroll_to(self.scroll.saturating_add(1)),
            Action::Up | Action::PageUp => self.scroll_to(self.scroll.saturating_sub(1)),
            Action::Top => self.scroll_to(0),
            Action::Bottom => self.scroll_to(usize::MAX),
            Action::Refresh => Effect::Reload,
            Action::WriteReport => {
                match service.write_monthly_report(session, self.station, self.month, ctx.lang) {
                    Ok(path) => {
                        let p = path.display().to_string();
                        Effect::Message(Message::success(beatbook_i18n::Bi::new(
                            R::ReportWritten.fill(Lang::Zh, &[&p]),
                            R::ReportWritten.fill(Lang::En, &[&p]),
                        )))
                    }
                    Err(e) => Effect::Message(Message::error(&e)),
                }
            }
            Action::SwitchView => Effect::SwitchView,
            Action::Back => Effect::Show(Box::new(Screen::Today(
                crate::screens::visits::today::TodayState::new(service.views(session).start_scope),
            ))),
            Action::Logout => Effect::Logout,
            _ => Effect::None,
        }
    }

    fn scroll_to(&mut self, scroll: usize) -> Effect {
        self.scroll = scroll;
        Effect::None
    }
}
