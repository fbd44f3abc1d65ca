//! Reading a list again after a save or a switch, and selecting the record just made
//! when the list shows it (see [`Created`]).

use super::{App, Created, Message, Screen};
use crate::screens::created::{show_created, RecordList};
use crate::screens::{admin, residents, statistics};
use crate::text::T;
use beatbook_i18n::Bi;
use beatbook_service::ServiceError;

impl App<'_> {
    /// Reads the screen that is up, and only it (after switching to it).
    pub(crate) fn reload_screen(&mut self) {
        match self.screen {
            Screen::Today(_) => self.reload_today(),
            Screen::Register(_) => self.reload_register(),
            Screen::Watch(_) => self.reload_watch(),
            Screen::Findings(_) => self.reload_findings(),
            Screen::Residents(_) => residents::list::reload(self, None),
            Screen::Statistics(_) => statistics::reload(self),
            Screen::Admin(_) => admin::list::reload(self, None),
            Screen::Conflicts(_) => self.reload_conflicts(),
            // The audit log reads itself on the actions that need it (a page costs more
            // than a switch should); set-up and login show nothing stored.
            Screen::Setup(_) | Screen::Login(_) | Screen::Audit(_) => {}
        }
    }

    /// Reads the conflicts list again (after a round brought or closed some).
    pub(crate) fn reload_conflicts(&mut self) {
        let (Some(session), Screen::Conflicts(state)) = (&self.session, &mut self.screen) else {
            return;
        };
        if let Err(e) = state.reload(self.service, session) {
            self.message = Some(Message::error(&e));
        }
    }

    /// Reads the Today list again (after every save, and on refresh).
    pub(crate) fn reload_today(&mut self) {
        // Every save path calls this one: the resident register under an overlay (a
        // person opened from it and edited, flagged, …) follows the same saves.
        if matches!(self.screen, Screen::Residents(_)) {
            residents::list::reload(self, None);
            return;
        }
        let (Some(session), Screen::Today(state)) = (&self.session, &mut self.screen) else {
            return;
        };
        if let Err(e) = state.reload(self.service, session) {
            self.message = Some(Message::error(&e));
        }
    }

    /// Reads the dispute register again (after saves and filter changes).
    pub(crate) fn reload_register(&mut self) {
        self.reload_list(
            |screen| match screen {
                Screen::Register(state) => Some(state),
                _ => None,
            },
            |c| match c {
                Created::Dispute(id) => Some(id),
                _ => None,
            },
        );
    }

    /// Reads the watch list again.
    pub(crate) fn reload_watch(&mut self) {
        self.reload_list(
            |screen| match screen {
                Screen::Watch(state) => Some(state),
                _ => None,
            },
            |c| match c {
                Created::Flag(id) => Some(id),
                _ => None,
            },
        );
    }

    /// Reads the findings list again.
    pub(crate) fn reload_findings(&mut self) {
        self.reload_list(
            |screen| match screen {
                Screen::Findings(state) => Some(state),
                _ => None,
            },
            |c| match c {
                Created::Finding(id) => Some(id),
                _ => None,
            },
        );
    }

    /// Reads the list `list` picks out of the current screen (none: another screen is
    /// up), then selects the record of kind `created` made since, if any.
    fn reload_list<L: RecordList>(
        &mut self,
        list: impl FnOnce(&mut Screen) -> Option<&mut L>,
        created: impl Fn(Created) -> Option<beatbook_model::Id>,
    ) {
        let (Some(session), Some(state)) = (&self.session, list(&mut self.screen)) else {
            return;
        };
        let new = take_created(&mut self.created, created);
        let result = state.read(self.service, session).and_then(|()| match new {
            Some(id) => show_created(state, self.service, session, id),
            None => Ok(false),
        });
        self.after_reload(result);
    }

    /// Reports a list read: a refusal replaces the message; filters cleared to show a new
    /// record are said after the save's message, so the officer knows why the list changed.
    fn after_reload(&mut self, result: Result<bool, ServiceError>) {
        match result {
            Err(e) => self.message = Some(Message::error(&e)),
            Ok(true) => {
                let note = T::FiltersClearedToShowIt.bi();
                self.message = Some(match self.message.take() {
                    Some(m) => Message {
                        kind: m.kind,
                        text: Bi::new(m.text.zh + &note.zh, m.text.en + &note.en),
                    },
                    None => Message::info(note),
                });
            }
            Ok(false) => {}
        }
    }
}

/// Takes the new record of one kind out of the waiting ones (the newest if several).
fn take_created(
    created: &mut Vec<Created>,
    kind: impl Fn(Created) -> Option<beatbook_model::Id>,
) -> Option<beatbook_model::Id> {
    let at = created.iter().rposition(|c| kind(*c).is_some())?;
    let id = kind(created.remove(at));
    created.retain(|c| kind(*c).is_none());
    id
}

#[cfg(test)]
mod created_tests {
    use super::{take_created, Created};
    use beatbook_model::Id;

    #[test]
    fn a_list_takes_only_its_kind_and_the_newest_of_it() {
        let (d1, d2, f) = (Id::new(), Id::new(), Id::new());
        let mut waiting = vec![
            Created::Dispute(d1),
            Created::Finding(f),
            Created::Dispute(d2),
        ];
        let dispute = |c| match c {
            Created::Dispute(id) => Some(id),
            _ => None,
        };
        assert_eq!(take_created(&mut waiting, dispute), Some(d2));
        assert_eq!(
            waiting,
            vec![Created::Finding(f)],
            "older disputes are dropped"
        );
        assert_eq!(take_created(&mut waiting, dispute), None);
        let flag = |c| match c {
            Created::Flag(id) => Some(id),
            _ => None,
        };
        assert_eq!(take_created(&mut waiting, flag), None);
        assert_eq!(waiting, vec![Created::Finding(f)], "other kinds wait");
    }
}
