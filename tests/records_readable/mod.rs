//! Issue 10, records an officer can read back: a done or missed visit opened shows what
//! was recorded and by whom; the person screen lists past visits; the dispute detail shows
//! the agreement, each session, the resolution and the recurrence link both ways, and
//! scrolls to its last line at 80×24; a resolved dispute's follow-ups cover every party,
//! and "met" counts as contact for each one met.

use crate::common;

use beatbook::i18n::Lang;
use beatbook::model::{
    Dispute, Field, Id, Person, RiskLevel, ValidationError, Visit, VisitMethod, VisitOutcome,
};
use beatbook::report::Month;
use beatbook::service::{DoneForm, MissedForm, ServiceError};
use beatbook::tui::screens::disputes::detail as dispute;
use beatbook::tui::screens::visits::detail;
use beatbook::tui::screens::watch::person;
use chrono::Duration;
use common::disputes::*;
use common::tui::{key, lines, login, press};
use common::watch::{flag, stored_flag};
use common::*;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthStr;

mod dispute_detail;
mod follow_ups;
mod past_visits;

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

fn text(rows: &[String]) -> String {
    rows.join("\n")
}

/// A two-party dispute, accepted, one mediation session, resolved today.
fn resolved_pair(b: &Bureau) -> (Person, Person, Dispute, Vec<Visit>) {
    let (p, q) = fresh_pair(b, &b.officer_a);
    let s = &b.service;
    let d = register(s, &b.officer_a, "张某与李某宅基地纠纷", &[&p, &q], &[]);
    let d = s
        .accept_dispute(&b.officer_a, d.meta.id, d.meta.revision)
        .expect("accept");
    let d = s
        .record_session(&b.officer_a, d.meta.id, d.meta.revision, &session_form("0"))
        .expect("session");
    let (d, visits) = s
        .resolve_dispute(&b.officer_a, d.meta.id, d.meta.revision, &resolve_form("0"))
        .expect("resolve");
    (p, q, d, visits)
}

fn done_met(met: Option<Vec<Id>>) -> DoneForm {
    DoneForm {
        met,
        method: VisitMethod::InPerson,
        ..done_form()
    }
}
