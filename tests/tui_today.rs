//! Today in the whole app (issue 10): keys replayed into the app on a real store, the
//! screen drawn on a `TestBackend`, the store checked afterwards. The selection follows
//! its record through a filter and onto a visit just scheduled; the sections can be
//! jumped between and long alert sections fold behind "+N more"; the chief's inbox lists
//! what waits for the chief and opens each record; the columns line up.

use crate::common;

use beatbook::i18n::Lang;
use beatbook::model::{Person, RiskLevel, Visit, VisitStatus};
use beatbook::service::{
    ApprovalKind, ApprovalTarget, FlagForm, Forbidden, Service, ServiceError, Session,
};
use common::disputes::{register, resolve_form, session_form};
use common::tui::{app, ch, ctrl, key, lines, press, screen_text};
use common::{at, create_person, schedule, start_time, Bureau};
use ratatui::crossterm::event::KeyCode;
use unicode_width::UnicodeWidthStr;

/// The display column where `needle` starts on the first line holding `anchor`.
fn column_on(lines: &[String], anchor: &str, needle: &str) -> usize {
    let line = lines
        .iter()
        .find(|l| l.contains(anchor))
        .unwrap_or_else(|| panic!("no line with {anchor}:\n{}", lines.join("\n")));
    let at = line
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not on {line}"));
    line[..at].width()
}

/// Station A's officer wang with four persons of 2-, 3- and 4-character names and a
/// visit each, scheduled on 11-15: two overdue on 11-25, one due today, one coming.
struct Desk {
    b: Bureau,
    persons: Vec<Person>,
}

fn desk() -> Desk {
    let b = Bureau::new_at(at(2026, 11, 15, 9, 0));
    let o = b.officer_a.clone();
    let plan = [
        ("张三", "东坪村", "2026-11-20"),
        ("李秀英", "西河村", "2026-11-22"),
        ("曾小明", "南山社区", "2026-11-25"),
        ("欧阳娜娜", "北岭村", "2026-11-27"),
    ];
    let mut persons = Vec::new();
    for (name, village, due) in plan {
        let p = create_person(&b.service, &o, name, village);
        schedule(&b.service, &o, p.meta.id, due, None);
        persons.push(p);
    }
    b.clock.set(start_time());
    Desk { b, persons }
}

fn visits(service: &Service) -> Vec<Visit> {
    service
        .store()
        .all::<Visit>()
        .collect::<Result<_, _>>()
        .expect("visits readable")
}

/// Defect: after `/` the selection stayed at its old index, so `d` recorded whatever
/// visit now sat there, not the first one the officer saw. Now it goes to the first row
/// when its record was filtered out, and `d` records the highlighted visit.
#[test]
fn filter_then_done_records_the_highlighted_visit() {
    let d = desk();
    let mut app = app(&d.b.service, Lang::Zh, &d.b.officer_a);
    // On 曾小明 (third row), then filter to the villages named 村: 曾小明 (南山社区) goes.
    press(&mut app, "<Down><Down>/村<Enter>");
    let s = screen_text(&app, 80, 24);
    assert!(!s.contains("曾小明"), "{s}");
    ch(&mut app, 'd');
    let form = screen_text(&app, 80, 24);
    assert!(
        form.contains("张三  2026-11-20"),
        "the first row is 张三's:\n{form}"
    );
    key(&mut app, KeyCode::Right); // outcome
    ctrl(&mut app, 's');
    let done: Vec<_> = visits(&d.b.service)
        .into_iter()
        .filter(|v| v.status == VisitStatus::Done)
        .collect();
    assert_eq!(done.len(), 1, "{done:?}");
    assert_eq!(done[0].subject.person, Some(d.persons[0].meta.id));

    // A record still listed keeps the selection: on 欧阳娜娜, a filter that keeps her.
    let mut app = self::app(&d.b.service, Lang::Zh, &d.b.officer_a);
    press(&mut app, "<End>/村<Enter>d");
    let form = screen_text(&app, 80, 24);
    assert!(form.contains("欧阳娜娜  2026-11-27"), "{form}");
}

/// Defect: a visit scheduled with `n` was not selected, so Enter or `d` went to another.
#[test]
fn a_visit_scheduled_with_n_is_selected() {
    let d = desk();
    let mut app = app(&d.b.service, Lang::Zh, &d.b.officer_a);
    press(&mut app, "nlxy");
    key(&mut app, KeyCode::Enter); // pick 李秀英
    press(&mut app, "+1<Tab><Tab>了解近况<C-s>");
    let s = screen_text(&app, 80, 24);
    assert!(s.contains("了解近况"), "{s}");
    ch(&mut app, 'd');
    let form = screen_text(&app, 80, 24);
    assert!(form.contains("李秀英  2026-11-26"), "{form}");
}

/// The section jump moves between the sections, forwards and back, with its twin keys.
#[test]
fn section_jump_moves_to_the_next_section() {
    let d = desk();
    let mut app = app(&d.b.service, Lang::En, &d.b.officer_a);
    // Starts on the first overdue visit (张三); the next section is "due today".
    press(&mut app, "sd");
    assert!(screen_text(&app, 120, 40).contains("曾小明  2026-11-25"));
    press(&mut app, "<Esc><C-Down>d");
    assert!(screen_text(&app, 120, 40).contains("欧阳娜娜  2026-11-27"));
    key(&mut app, KeyCode::Esc);
    // After the last section: back to the first. Backwards: the previous one.
    press(&mut app, "sSd");
    assert!(screen_text(&app, 120, 40).contains("欧阳娜娜  2026-11-27"));
    press(&mut app, "<Esc><C-Up>d");
    assert!(screen_text(&app, 120, 40).contains("曾小明  2026-11-25"));
}

/// Flags `person` red for `officer` and asks to lower it: a lowering waits for the chief.
fn pending_lowering(b: &Bureau, officer: &Session, person: &Person) {
    let f = b
        .service
        .flag_person(
            officer,
            person.meta.id,
            &FlagForm {
                categories: vec!["stability".into()],
                level: Some(RiskLevel::Red),
                basis: "多次扬言上访".into(),
                ..Default::default()
            },
        )
        .expect("flagged");
    b.service
        .change_flag_level(
            officer,
            f.meta.id,
            f.meta.revision,
            RiskLevel::Yellow,
            "情绪稳定三个月",
        )
        .expect("lowering asked");
}

/// The chief's desk: the officer's four visits, a red flag waiting to be lowered, an
/// extension waiting, a dispute ready to close, and a resolved dispute with a long title
/// whose follow-ups are owed.
struct Inbox {
    d: Desk,
    extension_title: &'static str,
    closable_title: &'static str,
}

const LONG_TITLE: &str = "东关村三组张家与李家因宅基地边界界桩移位纠纷";

fn inbox() -> Inbox {
    let d = desk();
    let b = &d.b;
    let o = &b.officer_a;
    let s = &b.service;
    let listed = create_person(s, o, "高秀兰", "东关村");
    pending_lowering(b, o, &listed);
    let (p, q) = (&d.persons[2], &d.persons[3]);
    let extension_title = "延期宅基地纠纷";
    let e = register(s, o, extension_title, &[p, q], &[]);
    let e = s
        .accept_dispute(o, e.meta.id, e.meta.revision)
        .expect("accepted");
    s.request_extension(o, e.meta.id, e.meta.revision, "3", "当事人外出务工")
        .expect("extension asked");
    let closable_title = "可办结宅基地纠纷";
    let c = resolved(s, o, closable_title, p, q);
    for v in visits(s)
        .into_iter()
        .filter(|v| v.subject.dispute == Some(c.meta.id) && v.status == VisitStatus::Scheduled)
    {
        s.cancel_visit(o, v.meta.id, v.meta.revision, "当事人已搬离本村")
            .expect("follow-up cancelled");
    }
    resolved(s, o, LONG_TITLE, p, q);
    Inbox {
        d,
        extension_title,
        closable_title,
    }
}

fn resolved(
    s: &Service,
    o: &Session,
    title: &str,
    p: &Person,
    q: &Person,
) -> beatbook::model::Dispute {
    let d = register(s, o, title, &[p, q], &[]);
    let d = s
        .accept_dispute(o, d.meta.id, d.meta.revision)
        .expect("accepted");
    let d = s
        .record_session(o, d.meta.id, d.meta.revision, &session_form("today"))
        .expect("session");
    s.resolve_dispute(o, d.meta.id, d.meta.revision, &resolve_form("today"))
        .expect("resolved")
        .0
}

/// The inbox use case: chief only (refused in the service to every other role), own
/// station only, plain rows.
#[test]
fn the_inbox_is_the_chiefs_and_lists_each_approval_once() {
    let i = inbox();
    let b = &i.d.b;
    for session in [&b.officer_a, &b.supervisor, &b.admin] {
        match b.service.approvals(session) {
            Err(ServiceError::Forbidden(Forbidden::ChiefOnly)) => {}
            other => panic!("{}: expected a refusal, got {other:?}", session.username()),
        }
    }
    assert!(b.service.approvals(&b.chief_b).expect("chief b").is_empty());
    let rows = b.service.approvals(&b.chief_a).expect("chief a");
    let kinds: Vec<_> = rows.iter().map(|r| (r.kind, r.title.as_str())).collect();
    assert_eq!(
        kinds,
        vec![
            (
                ApprovalKind::FlagLowering {
                    from: RiskLevel::Red,
                    to: RiskLevel::Yellow
                },
                "高秀兰"
            ),
            (ApprovalKind::Extension { days: 3 }, i.extension_title),
            (ApprovalKind::Closable, i.closable_title),
        ]
    );
    assert!(matches!(rows[0].target, ApprovalTarget::Person(_)));
    assert_eq!(rows[0].requested_by, "王建国");
    assert_eq!(rows[0].reason, "情绪稳定三个月");
}

/// Defect: a pending lowering was visible only inside the person. The chief's Today lists
/// it with the extension and the closable dispute in one section (not twice), and Enter
/// opens each record.
#[test]
fn chiefs_inbox_lists_approvals_and_enter_opens_each() {
    let i = inbox();
    let b = &i.d.b;
    let mut app = app(&b.service, Lang::Zh, &b.chief_a);
    let s = screen_text(&app, 120, 40);
    assert!(s.contains("待我审批 (3)"), "{s}");
    assert!(s.contains("申请降为黄"), "{s}");
    assert!(s.contains("申请延期3天"), "{s}");
    assert!(s.contains("可办结"), "{s}");
    assert!(!s.contains("延期待审批"), "listed once, in the inbox:\n{s}");
    // From the first visit back one section: the inbox.
    press(&mut app, "S<Enter>");
    let person = screen_text(&app, 120, 40);
    assert!(
        person.contains("待所长审批"),
        "the person screen:\n{person}"
    );
    press(&mut app, "<Esc><Down><Enter>");
    let dispute = screen_text(&app, 120, 40);
    assert!(dispute.contains(i.extension_title), "{dispute}");
    assert!(
        dispute.contains("申请延长 3 天待审批"),
        "the dispute detail:\n{dispute}"
    );
    press(&mut app, "<Esc><Down><Enter>");
    let dispute = screen_text(&app, 120, 40);
    assert!(dispute.contains(i.closable_title), "{dispute}");
    assert!(dispute.contains("经过"), "the dispute detail:\n{dispute}");
}

/// Defect: findings and alerts pushed every visit below the screen. With many approvals
/// at 80×24 the section heads stay on top, the first owed visit is on the first screen,
/// and "+N more" expands (and collapses again).
#[test]
fn many_alerts_fold_and_the_first_owed_visit_stays_on_screen() {
    let i = inbox();
    let b = &i.d.b;
    for n in 0..6 {
        let p = create_person(&b.service, &b.officer_a, &format!("列管{n}"), "东关村");
        pending_lowering(b, &b.officer_a, &p);
    }
    let mut app = app(&b.service, Lang::Zh, &b.chief_a);
    let s = screen_text(&app, 80, 24);
    assert!(s.contains("待我审批 (9)"), "{s}");
    assert!(s.contains("Enter 展开"), "{s}");
    assert!(s.contains("超期未访 (2)"), "{s}");
    assert!(s.contains("张三"), "the first owed visit:\n{s}");
    assert!(!s.contains("列管5"), "folded:\n{s}");
    // Back to the inbox, down to "+N more", Enter: everything shows.
    ch(&mut app, 'S');
    for _ in 0..8 {
        press(&mut app, "<Down><Enter>");
        if screen_text(&app, 120, 40).contains("收起") {
            break;
        }
        // Enter on an approval opened its record: back to the list.
        key(&mut app, KeyCode::Esc);
    }
    let s = screen_text(&app, 120, 40);
    assert!(s.contains("收起"), "expanded:\n{s}");
    for n in 0..6 {
        assert!(s.contains(&format!("列管{n}")), "{s}");
    }
    // Down to "show fewer", Enter: folded again.
    for _ in 0..12 {
        key(&mut app, KeyCode::Down);
    }
    let mut folded = false;
    for _ in 0..12 {
        key(&mut app, KeyCode::Enter);
        if screen_text(&app, 120, 40).contains("Enter 展开") {
            folded = true;
            break;
        }
        press(&mut app, "<Esc><Up>");
    }
    assert!(folded, "{}", screen_text(&app, 120, 40));
}

/// Name, village and purpose each start at one display column on every row, whatever
/// the length of the name; a long follow-up purpose ends with "…" and keeps its day.
#[test]
fn today_columns_line_up_and_keep_the_follow_up_day_in_both_languages_and_sizes() {
    let i = inbox();
    let b = &i.d.b;
    for lang in [Lang::Zh, Lang::En] {
        let app = app(&b.service, lang, &b.officer_a);
        for (w, h) in [(80u16, 24u16), (120, 40)] {
            let shown = lines(&app, w, h);
            let text = shown.join("\n");
            // The visit rows (alert lines name no village): each name, its village
            // and the purpose start at the same display column on every row.
            let rows = [
                ("张三", "东坪村"),
                ("李秀英", "西河村"),
                ("曾小明", "南山社区"),
                ("欧阳娜娜", "北岭村"),
            ];
            let names: Vec<usize> = rows
                .iter()
                .map(|(name, village)| column_on(&shown, village, name))
                .collect();
            let villages: Vec<usize> = rows
                .iter()
                .map(|(_, village)| column_on(&shown, village, village))
                .collect();
            assert!(
                names.windows(2).all(|v| v[0] == v[1]) && villages.windows(2).all(|v| v[0] == v[1]),
                "{lang} {w}x{h}: names at {names:?}, villages at {villages:?}\n{text}"
            );
            let purposes: Vec<usize> = rows
                .iter()
                .map(|(_, village)| column_on(&shown, village, "重点人员定期走访"))
                .collect();
            assert!(
                purposes.windows(2).all(|v| v[0] == v[1]),
                "{lang} {w}x{h}: purposes at {purposes:?}\n{text}"
            );
            let follow_up = shown
                .iter()
                .find(|l| l.contains("东关村三组") && l.contains("天回访"))
                .unwrap_or_else(|| panic!("{lang} {w}x{h}: no follow-up row\n{text}"));
            assert!(follow_up.contains('…'), "{follow_up}");
            assert!(
                ["第1天", "第3天", "第7天"]
                    .iter()
                    .any(|day| follow_up.contains(day)),
                "the day stays visible: {follow_up}"
            );
            let (title, head) = (&shown[0], &shown[1]);
            match lang {
                Lang::Zh => {
                    assert!(title.contains("今日回访"), "{title}");
                    assert!(head.contains("对象") && head.contains("村/社区"), "{head}");
                }
                Lang::En => {
                    assert!(title.contains("Today"), "{title}");
                    assert!(
                        head.contains("Person") && head.contains("Village"),
                        "{head}"
                    );
                }
            }
        }
    }
}

/// Defect: the visit detail's previous/next stepped over every Today line, so from the
/// first visit `k` moved the selection onto an alert hidden behind the overlay, and `d`
/// afterwards found no visit. It steps over visits only and stays put at either end.
#[test]
fn detail_steps_over_visits_only() {
    let i = inbox();
    let b = &i.d.b;
    let mut app = app(&b.service, Lang::Zh, &b.officer_a);
    // Alerts stand above the visits; the selection starts on the first visit (张三).
    assert!(screen_text(&app, 120, 40).contains("纠纷提醒"));
    press(&mut app, "<Enter>k<Esc>d");
    let form = screen_text(&app, 120, 40);
    assert!(form.contains("张三  2026-11-20"), "{form}");
    press(&mut app, "<Esc><Enter>j<Esc>d");
    let form = screen_text(&app, 120, 40);
    assert!(form.contains("李秀英  2026-11-22"), "{form}");
}

/// The selection follows its record through clearing the filter and switching the scope
/// (it used to jump to the first row on every scope switch).
#[test]
fn selection_survives_clearing_the_filter_and_switching_scope() {
    let i = inbox();
    let b = &i.d.b;
    let chief = &b.chief_a;
    let a = create_person(&b.service, chief, "上官云", "东关村");
    let c = create_person(&b.service, chief, "司马光", "东关村");
    schedule(&b.service, chief, a.meta.id, "+1", None);
    schedule(&b.service, chief, c.meta.id, "+3", None);
    let mut app = app(&b.service, Lang::Zh, chief);
    press(&mut app, "/司马光<Enter>");
    key(&mut app, KeyCode::Esc); // clears the filter: every row is back
    assert!(screen_text(&app, 120, 40).contains("张三"));
    ch(&mut app, 'm'); // whole station -> mine
    let s = screen_text(&app, 120, 40);
    assert!(s.contains("[我的]"), "{s}");
    ch(&mut app, 'd');
    let form = screen_text(&app, 120, 40);
    assert!(form.contains("司马光  2026-11-28"), "{form}");
}
