//! Printing from the TUI (issue 15) on the demo bureau, by keys: `P` (or Ctrl-P) on a
//! dispute asks what its agreement lacks (each party's missing particulars, the manner
//! and deadline of performance, the file), saves the answers and writes the PDF; a bad
//! date keeps the form as typed and saves nothing, a print refused after the answers were
//! saved leaves the dispute current; `P` on a visit (its detail, Today) and on the
//! register (a supervisor: the highlighted row's station) write theirs; snapshots of the
//! agreement's form in zh at 80×24 and en at 120×40.

use crate::common;

use beatbook::demo::DEMO_PASSWORD;
use beatbook::i18n::Lang;
use beatbook::model::Id;
use beatbook::service::{RegisterFilter, RegisterSort, Service, Session};
use beatbook::tui::app::App;
use beatbook::tui::screens::form::form_error;
use common::demo;
use common::tui::{app, message, press, screen, screen_text};
use std::path::Path;

/// The demo dispute the agreement tests print: resolved on 11-24 with an agreement; the
/// applicant 郑德 lacks ethnicity, occupation and phone, the respondent 李敏雨 ethnicity
/// and occupation.
const AGREED: &str = "郑某与李某房屋漏水纠纷";

fn officer(service: &Service) -> Session {
    service.login("officer", DEMO_PASSWORD).expect("login")
}

/// The id of the station's dispute titled `title`.
fn dispute_id(service: &Service, session: &Session, title: &str) -> Id {
    let filter = RegisterFilter {
        all_statuses: true,
        ..Default::default()
    };
    service
        .dispute_register(session, &filter, RegisterSort::Risk)
        .expect("register")
        .into_iter()
        .find(|r| r.summary.title == title)
        .map(|r| r.summary.id)
        .unwrap_or_else(|| panic!("demo dispute {title}"))
}

/// Today → the register, filtered to `title`, its dispute opened.
fn open_dispute(app: &mut App, title: &str) {
    press(app, &format!("<Tab>/{title}<Enter><Enter>"));
}

/// The file starts as a PDF does.
fn assert_pdf(path: &Path) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(bytes.starts_with(b"%PDF"), "{} is no PDF", path.display());
}

#[test]
fn the_agreement_form_asks_what_the_records_lack_then_prints() {
    let (dir, service) = demo();
    let session = officer(&service);
    let id = dispute_id(&service, &session, AGREED);
    let mut app = app(&service, Lang::Zh, &session);
    open_dispute(&mut app, AGREED);
    press(&mut app, "P");
    let form = screen_text(&app, 120, 40);
    for label in [
        "打印人民调解协议书",
        "郑德 · 民族*",
        "郑德 · 职业*",
        "郑德 · 联系电话*",
        "李敏雨 · 民族*",
        "李敏雨 · 职业*",
        "履行方式*",
        "履行期限",
        "PDF 文件*",
    ] {
        assert!(form.contains(label), "{label} asked:\n{form}");
    }
    assert!(
        !form.contains("李敏雨 · 联系电话"),
        "only what is missing is asked:\n{form}"
    );
    // The file offered is in the data folder's papers/.
    let offered = dir.path().join("papers");
    assert!(form.contains("papers/agreement-"), "{form}");

    // A deadline that is no date: refused, nothing saved, the form as typed.
    let out = dir.path().join("打印").join("协议书.pdf");
    press(
        &mut app,
        &format!(
            "汉族<Tab>退休工人<Tab>13800138000<Tab>汉族<Tab>学生<Tab>\
             李某请人重做防水并赔偿修复费用<Tab>2026-13-45<Tab><C-u>{}<C-s>",
            out.display()
        ),
    );
    let refused = screen_text(&app, 120, 40);
    assert!(
        refused.contains("打印人民调解协议书"),
        "form open:\n{refused}"
    );
    let error = form_error(&app).expect("the refusal is shown in the form");
    assert!(error.contains("履行期限"), "{error}");
    for typed in [
        "退休工人",
        "13800138000",
        "学生",
        "2026-13-45",
        "李某请人重做防水",
    ] {
        assert!(refused.contains(typed), "{typed} kept:\n{refused}");
    }
    let ask = service.agreement_ask(&session, id).expect("ask");
    assert!(
        !ask.complete() && ask.number.is_none(),
        "nothing saved: {ask:?}"
    );
    assert!(!out.exists());

    // The date put right (the focus is on it): the answers saved, the PDF written.
    press(&mut app, "<C-u>2026-12-31<C-s>");
    let done = screen_text(&app, 120, 40);
    assert!(!done.contains("打印人民调解协议书"), "form closed:\n{done}");
    assert!(
        done.contains(AGREED),
        "the dispute stays open under it:\n{done}"
    );
    assert_pdf(&out);
    let said = message(&app, Lang::Zh);
    assert!(
        said.starts_with(&format!("已生成 PDF：{}（", out.display())),
        "{said}"
    );
    assert!(said.contains(" 页）"), "{said}");
    assert!(said.ends_with("（2026）城关调字第 1 号"), "{said}");
    let ask = service.agreement_ask(&session, id).expect("ask");
    assert!(ask.complete(), "{ask:?}");
    assert_eq!(ask.manner, "李某请人重做防水并赔偿修复费用");
    assert_eq!(ask.due, "2026-12-31");
    assert!(!offered.exists(), "written only where it was asked");

    // Printed again: nothing left to ask, the manner and deadline as saved.
    press(&mut app, "<C-p>");
    let again = screen_text(&app, 120, 40);
    assert!(!again.contains("郑德 · 民族"), "{again}");
    assert!(again.contains("（2026）城关调字第 1 号"), "{again}");
    assert!(again.contains("2026-12-31"), "{again}");
    press(&mut app, "<C-s>");
    assert_pdf(
        &dir.path()
            .join("papers")
            .join(format!("agreement-{id}.pdf")),
    );
    assert!(message(&app, Lang::En).starts_with("PDF written: "));
}

#[test]
fn the_agreement_form_in_both_languages() {
    let (_dir, service) = demo();
    let session = officer(&service);
    for (lang, w, h) in [(Lang::Zh, 80, 24), (Lang::En, 120, 40)] {
        let mut app = app(&service, lang, &session);
        open_dispute(&mut app, AGREED);
        // The file offered lies in a temporary folder: a fixed one for the snapshot,
        // then the focus back on the first particular.
        press(&mut app, "P<S-Tab><C-u>papers/agreement.pdf<Tab>");
        insta::assert_snapshot!(format!("agreement_form_{lang}_{w}x{h}"), screen(&app, w, h));
    }
}

#[test]
fn a_dispute_without_an_agreement_has_nothing_to_print() {
    let (_dir, service) = demo();
    let mut app = app(&service, Lang::En, &officer(&service));
    open_dispute(&mut app, "王某与高某灌溉用水纠纷");
    press(&mut app, "P");
    assert!(form_error(&app).is_none());
    let s = screen_text(&app, 120, 40);
    assert!(
        !s.contains("Print the mediation agreement"),
        "no form:\n{s}"
    );
    assert!(
        message(&app, Lang::En).contains("no mediation session that reached agreement"),
        "{}",
        message(&app, Lang::En)
    );
}

#[test]
fn a_visit_record_prints_from_its_detail_and_from_today() {
    let (dir, service) = demo();
    let mut app = app(&service, Lang::Zh, &officer(&service));
    // Today's first line is a supervision finding: no visit to print there.
    press(&mut app, "<Home>P");
    assert_eq!(message(&app, Lang::Zh), "列表中没有可处理的回访。");
    // The last visit of the coming days, still planned: a blank record.
    press(&mut app, "<End><Enter>P");
    let form = screen_text(&app, 120, 40);
    assert!(form.contains("打印回访记录"), "{form}");
    assert!(form.contains("尚未回访，打印空白回访记录供手填"), "{form}");
    press(&mut app, "<C-s>");
    let said = message(&app, Lang::Zh);
    assert!(said.starts_with("已生成 PDF："), "{said}");
    let papers = dir.path().join("papers");
    let written: Vec<_> = std::fs::read_dir(&papers)
        .expect("papers folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    assert!(said.contains(&written[0].display().to_string()), "{said}");
    assert_pdf(&written[0]);
    assert!(
        screen_text(&app, 120, 40).contains("回访详情"),
        "the detail stays open"
    );

    // From Today itself, with Ctrl-P, to a file of one's own.
    let out = dir.path().join("visit.pdf");
    press(&mut app, &format!("<Esc><C-p><C-u>{}<C-s>", out.display()));
    assert_pdf(&out);
    assert!(message(&app, Lang::Zh).contains(&out.display().to_string()));
}

#[test]
fn the_register_prints_the_month_and_refuses_a_bad_period() {
    let (dir, service) = demo();
    let mut app = app(&service, Lang::En, &officer(&service));
    press(&mut app, "<Tab>P");
    let form = screen_text(&app, 120, 40);
    assert!(form.contains("Print the dispute register"), "{form}");
    assert!(form.contains("城关派出所: by date reported"), "{form}");
    assert!(form.contains("Reported from*  2026-11-01"), "{form}");
    assert!(form.contains("Reported until*  2026-11-30"), "{form}");

    // No such day: refused before printing, the text kept.
    press(&mut app, "<Tab><C-u>2026-11-31<C-s>");
    let error = form_error(&app).expect("refused");
    assert!(
        error.contains("Reported until") && error.contains("2026-11-31"),
        "{error}"
    );
    assert!(screen_text(&app, 120, 40).contains("2026-11-31"));
    // A period that ends before it begins.
    press(&mut app, "<C-u>2026-10-31<C-s>");
    let error = form_error(&app).expect("refused");
    assert!(error.contains("after the last"), "{error}");
    assert!(!dir.path().join("papers").exists(), "nothing written");

    // October instead: the file offered follows the dates.
    press(&mut app, "<C-u>2026-10-01<C-s>");
    let out = dir
        .path()
        .join("papers")
        .join("register-CG-2026-10-01-2026-10-31.pdf");
    assert_pdf(&out);
    let said = message(&app, Lang::En);
    assert!(
        said.starts_with(&format!("PDF written: {} (", out.display())),
        "{said}"
    );
    assert!(!screen_text(&app, 120, 40).contains("Print the dispute register"));
}

#[test]
fn a_print_refused_after_the_answers_were_saved_leaves_the_dispute_current() {
    let (dir, service) = demo();
    let session = officer(&service);
    let id = dispute_id(&service, &session, AGREED);
    let mut app = app(&service, Lang::Zh, &session);
    open_dispute(&mut app, AGREED);
    // The file is a folder: the answers are saved, the print refused.
    press(
        &mut app,
        &format!(
            "P汉族<Tab>退休工人<Tab>13800138000<Tab>汉族<Tab>学生<Tab>赔偿修复费用<Tab><Tab><C-u>{}<C-s>",
            dir.path().display()
        ),
    );
    assert!(form_error(&app).is_some(), "refused");
    assert!(service.agreement_ask(&session, id).expect("ask").complete());
    // Left: the dispute under it was read again, so its next step is not refused as
    // changed since it was read.
    press(&mut app, "<Esc>y");
    assert!(screen_text(&app, 120, 40).contains(AGREED));
    press(&mut app, "E<C-s>");
    assert_eq!(message(&app, Lang::Zh), "已保存。");
}

#[test]
fn a_supervisor_prints_the_register_of_the_highlighted_rows_station() {
    let (dir, service) = demo();
    let session = service.login("supervisor", DEMO_PASSWORD).expect("login");
    let first = service
        .dispute_register(&session, &RegisterFilter::default(), RegisterSort::Risk)
        .expect("register")
        .into_iter()
        .next()
        .expect("a dispute listed");
    let station = service
        .stations()
        .expect("stations")
        .into_iter()
        .find(|s| s.meta.id == first.summary.station)
        .expect("its station");
    assert_ne!(
        station.meta.id,
        session.station(),
        "another station than their own"
    );
    let mut app = app(&service, Lang::Zh, &session);
    press(&mut app, "<Tab>P");
    let form = screen_text(&app, 120, 40);
    assert!(
        form.contains(&format!("{}：按登记日期，含首尾两天", station.name)),
        "{form}"
    );
    press(&mut app, "<C-s>");
    let out = dir.path().join("papers").join(format!(
        "register-{}-2026-11-01-2026-11-30.pdf",
        station.code
    ));
    assert_pdf(&out);
    assert!(message(&app, Lang::Zh).starts_with("已生成 PDF："));
}
