//! Reading the screens (issue 10): the audit viewer in the officer's language with names,
//! mid-month visit rates, the weekday of a typed date, pasted text cleaned at the field,
//! the status bar in Chinese with its help hint at 80 columns, and every list's columns
//! lined up by display width with 2-, 3- and 4-character names.

use crate::common;

use beatbook::demo::DEMO_PASSWORD;
use beatbook::i18n::ui::T;
use beatbook::i18n::Lang;
use beatbook::model::{Role, TargetKind, VisitMethod, VisitOutcome, VisitStatus};
use beatbook::report::Month;
use beatbook::service::{DoneForm, FlagForm, NewFinding, NewOfficer, Session};
use beatbook::tui::app::App;
use common::disputes::register;
use common::tui::{app, ctrl, key, press, screen_text, type_str};
use common::{at, create_person, demo, first_login, Bureau};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::Terminal;
use unicode_width::UnicodeWidthStr;

const PASSWORD: &str = "pass1234";

fn draw(app: &App, w: u16, h: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    terminal.draw(|f| app.draw(f)).expect("draw");
    terminal.backend().buffer().clone()
}

/// The characters of row `y` with the display column each starts at (the cell after a
/// wide character is its second half, not a character of its own).
fn row_chars(buf: &Buffer, y: u16) -> Vec<(usize, char)> {
    let mut out = Vec::new();
    let mut next = 0usize;
    for x in 0..buf.area.width {
        let x_us = usize::from(x);
        if x_us < next {
            continue;
        }
        let sym = buf[(x, y)].symbol();
        let mut col = x_us;
        for c in sym.chars() {
            out.push((col, c));
            col += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        }
        next = x_us + sym.width().max(1);
    }
    out
}

fn line_text(buf: &Buffer, y: u16) -> String {
    row_chars(buf, y).into_iter().map(|(_, c)| c).collect()
}

/// The display column where `needle` starts on row `y`.
fn column_of(buf: &Buffer, y: u16, needle: &str) -> Option<usize> {
    let chars = row_chars(buf, y);
    let text: Vec<char> = chars.iter().map(|(_, c)| *c).collect();
    let want: Vec<char> = needle.chars().collect();
    (0..text.len().saturating_sub(want.len() - 1))
        .find(|&i| text[i..i + want.len()] == want[..])
        .map(|i| chars[i].0)
}

/// The first row that holds `needle` (after the title rows).
fn row_of(buf: &Buffer, needle: &str) -> Option<u16> {
    (1..buf.area.height).find(|&y| column_of(buf, y, needle).is_some())
}

/// Where the next cell after `needle` starts and ends on row `y`: the first run of
/// non-blank characters after the needle and at least one blank.
fn next_cell(buf: &Buffer, y: u16, needle: &str) -> Option<(usize, usize)> {
    let start = column_of(buf, y, needle)? + needle.width();
    let chars = row_chars(buf, y);
    let iter = chars.iter().filter(|(x, _)| *x >= start);
    let mut seen_blank = false;
    let mut begin = None;
    let mut end = 0;
    for &(x, c) in iter {
        if c == ' ' {
            if begin.is_some() {
                break;
            }
            seen_blank = true;
            continue;
        }
        if seen_blank {
            begin.get_or_insert(x);
            end = x + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        }
    }
    begin.map(|b| (b, end))
}

/// Checks that on every row holding one of `names` the name starts at the same display
/// column, and so does the next cell (or, `right_aligned`, it ends at the same column).
fn assert_aligned(what: &str, buf: &Buffer, names: &[&str], right_aligned: bool) {
    let text = (0..buf.area.height)
        .map(|y| line_text(buf, y))
        .collect::<Vec<_>>()
        .join("\n");
    let mut starts = Vec::new();
    let mut nexts = Vec::new();
    for name in names {
        let y = row_of(buf, name).unwrap_or_else(|| panic!("{what}: no row for {name}:\n{text}"));
        starts.push((name, column_of(buf, y, name).expect("column")));
        let (b, e) = next_cell(buf, y, name)
            .unwrap_or_else(|| panic!("{what}: nothing after {name}:\n{text}"));
        nexts.push((name, if right_aligned { e } else { b }));
    }
    let same = |v: &[(&&str, usize)]| v.iter().all(|(_, x)| *x == v[0].1);
    assert!(same(&starts), "{what}: names start at {starts:?}:\n{text}");
    assert!(
        same(&nexts),
        "{what}: the column after the names is at {nexts:?}:\n{text}"
    );
}

/// Presses Tab until the list titled `title` shows (its title opens the first row).
fn tab_to(app: &mut App, title: &str) {
    for _ in 0..8 {
        let top = line_text(&draw(app, 120, 40), 0);
        if top.trim_start().starts_with(title) {
            return;
        }
        key(app, KeyCode::Tab);
    }
    panic!("never reached {title}:\n{}", screen_text(app, 120, 40));
}

/// Persons and officers of 2, 3 and 4 characters at station A, as of 2026-11-25.
struct Reading {
    b: Bureau,
    ma: Session,
    ou: Session,
}

const PERSONS: [&str; 3] = ["张三", "李秀英", "欧阳娜娜"];
const OFFICERS: [&str; 3] = ["马力", "王建国", "欧阳建国"];

fn reading() -> Reading {
    let b = Bureau::new_at(at(2026, 11, 2, 9, 0));
    let s = &b.service;
    for (user, name) in [("ma.a", "马力"), ("ou.a", "欧阳建国")] {
        s.create_officer(
            &b.admin,
            &NewOfficer {
                station: b.station_a.meta.id,
                username: user.into(),
                display_name: name.into(),
                role: Role::Officer,
                password: "first1234".into(),
            },
        )
        .expect("officer");
        first_login(s, user, "first1234", PASSWORD);
    }
    let ma = s.login("ma.a", PASSWORD).expect("ma");
    let ou = s.login("ou.a", PASSWORD).expect("ou");
    let officers = [&ma, &b.officer_a, &ou];
    let villages = ["东关村", "西河村", "南山社区"];
    let mut persons = Vec::new();
    for (i, name) in PERSONS.iter().enumerate() {
        let p = create_person(s, officers[i], name, villages[i]);
        persons.push(p);
    }
    // Each officer visits a person before 11-25 and one after; 马力's first is made.
    let before = ["2026-11-05", "2026-11-10", "2026-11-20"];
    let after = ["2026-11-28", "2026-11-30", "2026-11-27"];
    let mut first = Vec::new();
    for (i, p) in persons.iter().enumerate() {
        first.push(common::schedule(s, officers[i], p.meta.id, before[i], None));
        common::schedule(s, officers[i], p.meta.id, after[i], None);
    }
    b.clock.set(at(2026, 11, 5, 15, 0));
    s.record_visit_done(
        &ma,
        first[0].meta.id,
        first[0].meta.revision,
        &DoneForm {
            outcome: Some(VisitOutcome::Stable),
            method: VisitMethod::InPerson,
            notes: "情况稳定".into(),
            ..Default::default()
        },
    )
    .expect("done");
    // Disputes with parties of each length, and each person on the watch list.
    register(
        s,
        &b.officer_a,
        "宅基地边界",
        &[&persons[0], &persons[1]],
        &[],
    );
    register(
        s,
        &b.officer_a,
        "邻里噪音纠纷",
        &[&persons[1], &persons[2]],
        &[],
    );
    register(s, &b.officer_a, "债务", &[&persons[2], &persons[0]], &[]);
    for (i, p) in persons.iter().enumerate() {
        s.flag_person(
            officers[i],
            p.meta.id,
            &FlagForm {
                categories: vec!["stability".into()],
                level: Some(beatbook::model::RiskLevel::Yellow),
                basis: "社区排查发现".into(),
                source: "社区排查".into(),
                ..Default::default()
            },
        )
        .expect("flag");
    }
    b.clock.set(at(2026, 11, 25, 9, 0));
    // The supervisor finds each officer's first visit not made.
    for v in &first[1..] {
        s.create_finding(
            &b.supervisor,
            &NewFinding {
                target: TargetKind::Visit,
                target_id: v.meta.id,
                problem: Some("visit_not_made".into()),
                description: "应访未访".into(),
                deadline: "+10".into(),
            },
        )
        .expect("finding");
    }
    s.create_finding(
        &b.supervisor,
        &NewFinding {
            target: TargetKind::Visit,
            target_id: first[0].meta.id,
            problem: Some("record_incomplete".into()),
            description: "走访记录不全".into(),
            deadline: "+10".into(),
        },
    )
    .expect("finding");
    // Each reveals the ID of the person they visit.
    for (i, p) in persons.iter().enumerate() {
        s.reveal_person(officers[i], p.meta.id).expect("reveal");
    }
    Reading { b, ma, ou }
}

#[test]
fn audit_viewer_in_chinese_names_action_officer_and_subject_and_finds_by_name() {
    let r = reading();
    let b = &r.b;
    let mut app = app(&b.service, Lang::Zh, &b.chief_a);
    beatbook::tui::screens::audit::open(&mut app);
    let s = screen_text(&app, 120, 40);
    assert!(s.contains("查看身份证号"), "Chinese action name:\n{s}");
    assert!(
        !s.contains("person.reveal"),
        "no action code in the list:\n{s}"
    );
    assert!(s.contains("王建国 (wang.a)"), "officer by name:\n{s}");
    assert!(s.contains("欧阳娜娜"), "subject named:\n{s}");
    // `/` with a person's name finds the reveal of that person's ID.
    press(&mut app, "/李秀英<Enter>");
    let s = screen_text(&app, 120, 40);
    let buf = draw(&app, 120, 40);
    let reveal = (0..40)
        .map(|y| line_text(&buf, y))
        .find(|l| l.starts_with("2026-") && l.contains("查看身份证号"))
        .unwrap_or_else(|| panic!("the reveal of 李秀英 is found:\n{s}"));
    assert!(reveal.contains("李秀英"), "{reveal}");
    assert!(!s.contains("欧阳娜娜"), "only entries about 李秀英:\n{s}");
    // The entry's detail says whose ID was read, in Chinese.
    key(&mut app, KeyCode::Enter);
    let s = screen_text(&app, 120, 40);
    assert!(s.contains("查看了 李秀英 的身份证号和电话"), "{s}");
    // The service finds it too, by name, for a supervisor.
    let rows = b
        .service
        .audit_page(
            &b.supervisor,
            &beatbook::service::AuditFilter {
                record: "欧阳娜娜".into(),
                action: "person.reveal".into(),
                ..Default::default()
            },
            None,
        )
        .expect("page")
        .rows;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].subject, "欧阳娜娜");
    assert_eq!(rows[0].actor_display, "欧阳建国");
    let _ = (&r.ma, &r.ou);
}

#[test]
fn mid_month_rate_counts_visits_due_up_to_today_with_the_month_total_beside_it() {
    let r = reading();
    let b = &r.b;
    let month = Month::new(2026, 11).expect("month");
    let report = b
        .service
        .station_statistics(&b.chief_a, b.station_a.meta.id, month)
        .expect("stats");
    let v = &report.stats.visits.total;
    let today = b.service.today();
    let visits: Vec<beatbook::model::Visit> = b
        .store()
        .all::<beatbook::model::Visit>()
        .collect::<Result<_, _>>()
        .expect("visits");
    let in_month: Vec<_> = visits
        .iter()
        .filter(|v| month.contains(v.due) && v.status != VisitStatus::Cancelled)
        .filter(|v| v.meta.station == b.station_a.meta.id)
        .collect();
    let owed = in_month
        .iter()
        .filter(|v| v.due <= today || v.status != VisitStatus::Scheduled)
        .count() as u32;
    assert!(
        owed < in_month.len() as u32,
        "the fixture has visits still to come"
    );
    assert_eq!(v.owed, owed, "owed counts visits due up to today");
    assert_eq!(v.month_total, in_month.len() as u32);
    assert_eq!(v.made, 1);
    assert_eq!(v.rate(), Some(1.0 / f64::from(owed)));
    // The screen says both.
    let mut app = app(&b.service, Lang::Zh, &b.chief_a);
    key(&mut app, KeyCode::Char('t'));
    let want = format!("应访 {owed}（截至今日）/ 本月共 {}", in_month.len());
    let mut s = screen_text(&app, 120, 40);
    for _ in 0..4 {
        if s.contains(&want) {
            break;
        }
        key(&mut app, KeyCode::Down);
        s = screen_text(&app, 120, 40);
    }
    assert!(s.contains(&want), "{want}:\n{s}");
    assert!(
        !s.contains("Left/Right"),
        "arrow keys as arrows in zh:\n{s}"
    );
    // The monthly report too; a past month is counted whole, as before.
    let md = b
        .service
        .monthly_report(
            &b.chief_a,
            Some(b.station_a.meta.id),
            month,
            beatbook::report::Format::Markdown,
            Lang::Zh,
        )
        .expect("report");
    assert!(md.contains(&want), "{md}");
    let past = b
        .service
        .station_statistics(
            &b.chief_a,
            b.station_a.meta.id,
            Month::new(2026, 10).expect("m"),
        )
        .expect("october");
    assert_eq!(
        past.stats.visits.total.owed,
        past.stats.visits.total.month_total
    );
}

#[test]
fn a_typed_date_shows_its_weekday_and_a_relative_one_its_date() {
    let r = reading();
    let b = &r.b;
    for (lang, day) in [(Lang::Zh, "周六"), (Lang::En, "Sat")] {
        let mut app = app(&b.service, lang, &r.ou);
        // Reschedule the first visit: the date field has the focus.
        press(&mut app, "r2026-12-05");
        let s = screen_text(&app, 80, 24);
        assert!(
            s.contains(&format!("2026-12-05  {day}")),
            "weekday after the date:\n{s}"
        );
        for _ in 0..10 {
            key(&mut app, KeyCode::Backspace);
        }
        type_str(&mut app, "+7");
        let s = screen_text(&app, 80, 24);
        let want = format!(
            "→ 2026-12-02 {}",
            if lang == Lang::Zh { "周三" } else { "Wed" }
        );
        assert!(s.contains(&want), "{want}:\n{s}");
        key(&mut app, KeyCode::Esc);
    }
}

#[test]
fn pasted_windows_text_is_cleaned_in_a_notes_field_and_says_how_many_were_removed() {
    let r = reading();
    let b = &r.b;
    let mut app = app(&b.service, Lang::Zh, &r.ou);
    // The first row is 欧阳娜娜's overdue visit (11-20).
    key(&mut app, KeyCode::Char('d'));
    key(&mut app, KeyCode::Right); // outcome
    key(&mut app, KeyCode::Tab); // method
    key(&mut app, KeyCode::Tab); // agreement
    key(&mut app, KeyCode::Tab); // notes
    app.on_paste("a\r\nb\tc\u{7}");
    let s = screen_text(&app, 80, 24);
    assert!(s.contains("1 个不可见的控制字符"), "{s}");
    assert!(
        s.contains("a⏎b    c"),
        "the line break shown, the tab as spaces:\n{s}"
    );
    ctrl(&mut app, 's');
    let s = screen_text(&app, 80, 24);
    assert!(s.contains("已记录"), "saved, not refused:\n{s}");
    let done = b
        .store()
        .all::<beatbook::model::Visit>()
        .filter_map(Result::ok)
        .find(|v| v.status == VisitStatus::Done && v.assigned_to == r.ou.officer())
        .expect("done visit");
    assert_eq!(done.notes, "a\nb    c");
}

#[test]
fn status_bar_in_chinese_says_demo_data_and_keeps_the_help_hint_at_80_columns() {
    let (_dir, service) = demo();
    for user in ["officer", "chief", "supervisor", "admin"] {
        let session = service.login(user, DEMO_PASSWORD).expect("login");
        for lang in [Lang::Zh, Lang::En] {
            let app = app(&service, lang, &session);
            let buf = draw(&app, 80, 24);
            let status = line_text(&buf, 23);
            let badge = T::DemoDataBadge.get(lang);
            assert!(status.contains(badge), "{user} {lang}: {status}");
            assert!(
                status.trim_end().ends_with(T::HelpHint.get(lang)),
                "{user} {lang}: the help hint stays: {status}"
            );
            if lang == Lang::Zh {
                assert!(!status.contains("DEMO"), "{status}");
            }
        }
    }
}

#[test]
fn every_list_lines_up_with_names_of_two_three_and_four_characters() {
    let r = reading();
    let b = &r.b;
    for lang in [Lang::Zh, Lang::En] {
        for (w, h) in [(80, 24), (120, 40)] {
            let at = |what: &str| format!("{what} {lang} {w}x{h}");
            // The dispute register: titles, then parties, then the category.
            let mut a = app(&b.service, lang, &b.chief_a);
            tab_to(&mut a, T::DisputeRegister.get(lang));
            let buf = draw(&a, w, h);
            assert_aligned(
                &at("register"),
                &buf,
                &["宅基地边界", "邻里噪音纠纷", "债务"],
                false,
            );
            // The watch list.
            tab_to(&mut a, T::WatchList.get(lang));
            let buf = draw(&a, w, h);
            assert_aligned(&at("watch list"), &buf, &PERSONS, false);
            // The audit log: officers by name.
            beatbook::tui::screens::audit::open(&mut a);
            let buf = draw(&a, w, h);
            let actors = ["马力 (ma.a)", "王建国 (wang.a)", "欧阳建国 (ou.a)"];
            assert_aligned(&at("audit"), &buf, &actors, false);
            // Statistics: the officers' visits, numbers right-aligned.
            let mut st = app(&b.service, lang, &b.chief_a);
            key(&mut st, KeyCode::Char('t'));
            let mut buf = draw(&st, w, h);
            for _ in 0..4 {
                if OFFICERS.iter().all(|n| row_of(&buf, n).is_some()) {
                    break;
                }
                key(&mut st, KeyCode::Down);
                buf = draw(&st, w, h);
            }
            assert_aligned(&at("statistics"), &buf, &OFFICERS, true);
            // The supervisor's findings: the officer, then the station.
            let mut sup = app(&b.service, lang, &b.supervisor);
            tab_to(&mut sup, T::FindingsTitle.get(lang));
            let buf = draw(&sup, w, h);
            assert_aligned(&at("findings"), &buf, &OFFICERS, false);
            let station_col = OFFICERS.map(|n| {
                let y = row_of(&buf, n).expect("row");
                column_of(&buf, y, "城关派出所")
            });
            assert!(
                station_col
                    .iter()
                    .all(|c| c.is_some() && *c == station_col[0]),
                "findings: the station in its own column: {station_col:?}"
            );
            // The administrator's accounts.
            let admin = app(&b.service, lang, &b.admin);
            let buf = draw(&admin, w, h);
            assert_aligned(&at("accounts"), &buf, &["ma.a", "wang.a", "ou.a"], false);
        }
    }
}

#[test]
fn today_lines_up_with_names_of_two_three_and_four_characters() {
    let r = reading();
    let b = &r.b;
    for lang in [Lang::Zh, Lang::En] {
        for (w, h) in [(80, 24), (120, 40)] {
            let a = app(&b.service, lang, &b.chief_a);
            let mut buf = draw(&a, w, h);
            // The visit rows come last: blank the findings and alerts above them, which
            // name the same persons in other columns.
            let first_visit_row = (0..buf.area.height)
                .rev()
                .filter(|&y| PERSONS.iter().any(|n| column_of(&buf, y, n).is_some()))
                .nth(PERSONS.len() - 1)
                .expect("visit rows");
            for y in 1..first_visit_row {
                for x in 0..buf.area.width {
                    buf[(x, y)].set_symbol(" ");
                }
            }
            assert_aligned(&format!("today {lang} {w}x{h}"), &buf, &PERSONS, false);
        }
    }
}

#[test]
fn a_check_list_in_a_form_says_space_ticks() {
    let r = reading();
    let b = &r.b;
    for (lang, hint) in [(Lang::Zh, "空格 勾选"), (Lang::En, "Space ticks")] {
        let mut a = app(&b.service, lang, &b.officer_a);
        tab_to(&mut a, T::DisputeRegister.get(lang));
        key(&mut a, KeyCode::Char('n'));
        let mut seen = false;
        for _ in 0..30 {
            if screen_text(&a, 80, 24).contains(hint) {
                seen = true;
                break;
            }
            key(&mut a, KeyCode::Tab);
        }
        assert!(
            seen,
            "{lang}: the indicators field says how to tick:\n{}",
            screen_text(&a, 80, 24)
        );
    }
}
