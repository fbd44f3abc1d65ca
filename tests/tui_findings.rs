//! Supervision findings in the TUI: the station's findings on Today (overdue first) and
//! the supervisor's findings list, as snapshots in zh and en at 80×24; answering, judging
//! and recording a finding by keys, with bad input keeping what was typed.

use crate::common;

use beatbook::i18n::Lang;
use beatbook::model::{FindingStatus, TargetKind};
use beatbook::service::{FindingFilter, NewFinding};
use beatbook::tui::app::App;
use common::disputes::{fresh_pair, register};
use common::tui::{app, key, press, screen};
use common::{at, Bureau};
use ratatui::crossterm::event::KeyCode;

/// Station A with a dispute and a visit; the supervisor found three problems on
/// 2026-11-25; it is now 2026-11-28, so the visit finding (due 11-26) is overdue and the
/// third one was answered and waits for the supervisor.
fn fixture() -> Bureau {
    let b = Bureau::new();
    let s = &b.service;
    let (p1, p2) = fresh_pair(&b, &b.officer_a);
    let d = register(s, &b.officer_a, "宅基地边界纠纷", &[&p1, &p2], &[]);
    let v = b.visit(&b.officer_a, &b.person_a, "+1");
    let new = |target, id, problem: &str, description: &str, deadline: &str| NewFinding {
        target,
        target_id: id,
        problem: Some(problem.into()),
        description: description.into(),
        deadline: deadline.into(),
    };
    s.create_finding(
        &b.supervisor,
        &new(
            TargetKind::Dispute,
            d.meta.id,
            "record_incomplete",
            "调解笔录缺少当事人签名",
            "+10",
        ),
    )
    .expect("dispute finding");
    s.create_finding(
        &b.supervisor,
        &new(
            TargetKind::Visit,
            v.meta.id,
            "visit_not_made",
            "应访未访，未记录原因",
            "+1",
        ),
    )
    .expect("visit finding");
    let f = s
        .create_finding(
            &b.supervisor,
            &new(
                TargetKind::Dispute,
                d.meta.id,
                "wrong_procedure",
                "未按时反馈报告人",
                "+5",
            ),
        )
        .expect("third");
    b.clock.set(at(2026, 11, 27, 15, 0));
    s.rectify_finding(&b.chief_a, f.meta.id, f.meta.revision, "已补反馈并登记")
        .expect("answered");
    b.clock.set(at(2026, 11, 28, 9, 0));
    b
}

/// Today → register → watch list → residents → findings.
fn open_findings(app: &mut App) {
    for _ in 0..4 {
        key(app, KeyCode::Tab);
    }
}

#[test]
fn today_shows_the_station_its_findings_overdue_first() {
    let b = fixture();
    for lang in [Lang::Zh, Lang::En] {
        let app = app(&b.service, lang, &b.chief_a);
        let s = screen(&app, 80, 24);
        let (section, late) = match lang {
            Lang::Zh => ("巡查问题 (2)", "整改超期2天"),
            Lang::En => ("Supervision findings (2)", "2 d late"),
        };
        assert!(s.contains(section), "{s}");
        assert!(s.contains(late), "{s}");
        let overdue = s.find(late).expect("late line");
        let other = s.find("12-05").expect("dispute finding line");
        assert!(overdue < other, "overdue first:\n{s}");
        insta::assert_snapshot!(format!("today_findings_{lang}_80x24"), s);
    }
    // Another station's Today has none of it.
    let s = screen(&app(&b.service, Lang::Zh, &b.chief_b), 80, 24);
    assert!(!s.contains("巡查问题"), "{s}");
}

#[test]
fn supervisor_reaches_the_findings_list_and_judges_by_keys() {
    let b = fixture();
    for lang in [Lang::Zh, Lang::En] {
        let mut app = app(&b.service, lang, &b.supervisor);
        open_findings(&mut app);
        let s = screen(&app, 80, 24);
        assert!(
            s.contains(match lang {
                Lang::Zh => "执法巡查问题 (3)",
                Lang::En => "Supervision findings (3)",
            }),
            "{s}"
        );
        insta::assert_snapshot!(format!("findings_list_{lang}_80x24"), s);
    }
    let mut app = app(&b.service, Lang::Zh, &b.supervisor);
    open_findings(&mut app);
    // Only the answered one: status filter cycles open → rectified.
    press(&mut app, "ff<Enter>");
    let s = screen(&app, 80, 24);
    assert!(
        s.contains("已补反馈并登记") && s.contains("答复整改"),
        "{s}"
    );
    insta::assert_snapshot!("finding_detail_zh_80x24", s);
    // Return without a reason: refused, the form stays; with one, saved.
    press(&mut app, "b<C-s>");
    assert!(
        screen(&app, 80, 24).contains("请填写原因"),
        "{}",
        screen(&app, 80, 24)
    );
    press(&mut app, "登记表缺签字<C-s>");
    let returned = b
        .service
        .station_findings(
            &b.supervisor,
            None,
            &FindingFilter {
                status: Some(FindingStatus::Returned),
                ..Default::default()
            },
        )
        .expect("list");
    assert_eq!(returned.len(), 1);
    assert!(
        screen(&app, 80, 24).contains("已退回派出所重新整改"),
        "{}",
        screen(&app, 80, 24)
    );
}

#[test]
fn the_station_answers_from_today_and_bad_input_keeps_the_text() {
    let b = fixture();
    let mut app = app(&b.service, Lang::Zh, &b.officer_a);
    press(&mut app, "<Home>e<C-s>");
    assert!(
        screen(&app, 80, 24).contains("请填写整改情况"),
        "{}",
        screen(&app, 80, 24)
    );
    press(&mut app, "已补访<C-s>");
    let rows = b.service.today_findings(&b.chief_a).expect("today");
    assert_eq!(rows.len(), 1, "the overdue one was answered");
    assert!(!rows[0].overdue);
}

#[test]
fn supervisor_records_a_finding_from_a_dispute_and_a_chief_cannot() {
    let b = fixture();
    let mut app = app(&b.service, Lang::En, &b.supervisor);
    key(&mut app, KeyCode::Tab); // the register
    press(&mut app, "<Enter>i");
    key(&mut app, KeyCode::Char('2')); // record incomplete
    press(&mut app, "<Tab>no agreement on file<Tab>2026-11-01<C-s>");
    let s = screen(&app, 80, 24);
    assert!(s.contains("cannot lie in the past"), "{s}");
    assert!(
        s.contains("no agreement on file"),
        "what was typed stays:\n{s}"
    );
    for _ in 0.."2026-11-01".len() {
        key(&mut app, KeyCode::Backspace);
    }
    press(&mut app, "+7<C-s>");
    let all = b
        .service
        .station_findings(&b.supervisor, None, &FindingFilter::default())
        .expect("list");
    assert_eq!(all.len(), 4, "{:?}", app.message());

    let mut chief = app_for_chief(&b);
    press(&mut chief, "<Tab><Enter>i");
    let s = screen(&chief, 80, 24);
    assert!(s.contains("所长不能记录巡查问题"), "{s}");
}

fn app_for_chief(b: &Bureau) -> App<'_> {
    app(&b.service, Lang::Zh, &b.chief_a)
}
