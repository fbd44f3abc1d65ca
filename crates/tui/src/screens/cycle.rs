//! The order the lists follow when the officer switches between them; which of them the
//! session gets is the service's answer ([`beatbook_service::Views`]).

use crate::app::{App, Screen};
use crate::screens::{audit, disputes, findings, statistics, visits, watch};

/// Cycles the lists: Today, the dispute register, the watch list, the residents, the
/// findings, and for chiefs and supervisors the statistics and the audit log. Only the
/// list switched to is read.
pub fn switch_view(app: &mut App) {
    let Some(session) = &app.session else {
        return;
    };
    let views = app.service.views(session);
    if matches!(app.screen, Screen::Statistics(_)) && views.audit {
        audit::open(app);
        return;
    }
    app.screen = match app.screen {
        Screen::Today(_) => Screen::Register(disputes::register::RegisterState::default()),
        Screen::Register(_) => Screen::Watch(watch::list::WatchState::default()),
        Screen::Watch(_) => Screen::Residents(Box::default()),
        Screen::Residents(_) => Screen::Findings(findings::list::FindingsState::default()),
        Screen::Findings(_) if views.statistics => {
            Screen::Statistics(statistics::StatisticsState::new(app.service, session))
        }
        _ => Screen::Today(visits::today::TodayState::new(views.start_scope)),
    };
    app.reload_screen();
}
