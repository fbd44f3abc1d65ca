//! Everything Today shows, read at once: the first screen after a login.

use super::{AlertRow, FindingRow, Scope, Service, ServiceError, Session, TodayInbox, TodayView};

/// What Today shows: the owed visits, and above them what waits (findings, dispute
/// alerts, the chief's approvals, watch-list alerts, conflicts to decide).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TodayScreen {
    pub list: TodayView,
    pub inbox: TodayInbox,
    pub findings: Vec<FindingRow>,
    pub watch_alerts: Vec<AlertRow>,
    pub conflicts: usize,
}

impl Service {
    /// Today in `scope` (dispute alerts of the session's own disputes only when `scope`
    /// is [`Scope::Mine`]), read on two threads: the list of owed
    /// visits on one, everything above it on the other. They read different indexes,
    /// and right after a login each pulls its pages into the cache: a station PC has two
    /// cores, and the officer waits for both (issue 16: login to Today < 150 ms).
    pub fn today_screen(
        &self,
        session: &Session,
        scope: Scope,
    ) -> Result<TodayScreen, ServiceError> {
        self.authorize(session)?;
        let mine = scope == Scope::Mine;
        let (list, above) = std::thread::scope(|threads| {
            let list = threads.spawn(|| self.today_list(session, scope));
            let above = self.today_inbox(session, mine).and_then(|inbox| {
                Ok((
                    inbox,
                    self.today_findings(session)?,
                    self.watch_alerts(session)?,
                    self.conflicts_to_decide(session)?,
                ))
            });
            (crate::joined(list), above)
        });
        let (inbox, findings, watch_alerts, conflicts) = above?;
        Ok(TodayScreen {
            list: list?,
            inbox,
            findings,
            watch_alerts,
            conflicts,
        })
    }
}
