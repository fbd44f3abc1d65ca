//! Whole-app tests of the TUI: keys replayed into the app, screens drawn on a
//! `TestBackend` and compared with snapshots (zh and en, 80×24 and 120×40), and the store
//! checked afterwards.

use crate::common;

use beatbook::config::Settings;
use beatbook::i18n::Lang;
use beatbook::model::{PersonDraft, Role, VisitMethod, VisitOutcome, VisitStatus};
use beatbook::service::{NewOfficer, NewVisitForm, Service, Session};
use beatbook::store::Store;
use beatbook::tui::app::App;
use common::tui::{ctrl, key, keymap, login, press, screen, terminal, type_str};
use common::{at, one_station, OneStation, TestClock, STATION_PASSWORD as PASSWORD};
use ratatui::crossterm::event::KeyCode;
use std::sync::Arc;

mod first_run;
mod flows;
mod keys;
mod opening;
mod today;
mod visits;

struct Fixture {
    _dir: tempfile::TempDir,
    service: Service,
    clock: Arc<TestClock>,
}

/// A station with an officer (`wang`) and a chief (`zhao`), four persons and visits:
/// two overdue, one due today, two in the coming week, one beyond the window.
fn fixture() -> Fixture {
    let OneStation {
        dir,
        service,
        clock,
    } = one_station(at(2026, 11, 15, 9, 0));
    let wang = service.login("wang", PASSWORD).expect("wang");
    let zhao = service.login("zhao", PASSWORD).expect("zhao");
    let persons = [
        ("张三", "11010519491231002X", "东坪村"),
        ("李秀英", "", "西河村"),
        ("曾小明", "440524188001010014", "南山社区"),
        ("欧阳娜娜", "", "北岭村"),
    ];
    let mut ids = Vec::new();
    for (name, idn, village) in persons {
        let p = service
            .create_person(
                &wang,
                &PersonDraft {
                    name: name.into(),
                    id_number: idn.into(),
                    village: village.into(),
                    phone: "13812345678".into(),
                    ..Default::default()
                },
            )
            .expect("person");
        ids.push(p.meta.id);
    }
    // Scheduled on 11-15 for dates that are overdue by 11-25.
    let plan: [(usize, &str, &str, &Session); 7] = [
        (0, "2026-11-20", "矛盾纠纷调解后回访", &wang),
        (1, "2026-11-22", "重点人员定期走访", &wang),
        (2, "2026-11-25", "社区矫正人员走访", &wang),
        (3, "2026-11-27", "邻里纠纷回访", &wang),
        (0, "2026-12-01", "调解协议履行情况回访", &zhao),
        (1, "2026-12-20", "季度走访", &wang),
        (2, "2026-11-26", "电话回访", &zhao),
    ];
    for (person, due, purpose, who) in plan {
        service
            .schedule_visit(
                who,
                &NewVisitForm {
                    person: Some(ids[person]),
                    due: due.into(),
                    method: VisitMethod::InPerson,
                    purpose: purpose.into(),
                    assigned_to: None,
                    notes: String::new(),
                    dispute: None,
                },
            )
            .expect("visit");
    }
    clock.set(at(2026, 11, 25, 9, 0));
    Fixture {
        _dir: dir,
        service,
        clock,
    }
}
