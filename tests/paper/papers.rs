use super::*;
use crate::common::{create_person, Bureau};
use beatbook::i18n::{Lang, Localize};
use beatbook::model::{PersonDraft, VisitMethod};
use beatbook::service::Forbidden;
use std::os::unix::fs::PermissionsExt;

fn full_id(p: &Person) -> String {
    p.id_number
        .as_ref()
        .map(|i| i.as_str().to_string())
        .unwrap_or_default()
}

#[test]
fn the_agreement_carries_every_field_in_order_with_full_id_numbers_and_is_audited() {
    let b = Bureau::new();
    let (d, p1, p2) = agreed_dispute(&b);
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("协议书.pdf");
    let printed = print_agreement(&b, &b.officer_a, &d, &p1, &p2, &out);
    let year = b.service.today().format("%Y").to_string();
    let number = format!("（{year}）城关调字第 1 号");
    assert_eq!(printed.number.as_deref(), Some(number.as_str()));
    assert_eq!(printed.pages, 1);
    let mode = std::fs::metadata(&out)
        .expect("written")
        .permissions()
        .mode();
    assert_eq!(mode & 0o077, 0, "the PDF is private: {mode:o}");
    let Some(text) = pdf_text(&out) else { return };
    let age = |p: &Person| {
        let birth = p.birth_date.expect("birth date from the ID number");
        format!("{} 岁", b.service.today().years_since(birth).expect("age"))
    };
    let gender = |p: &Person| p.gender.localize(Lang::Zh);
    assert_in_order(
        &text,
        &[
            "人民调解协议书",
            &number,
            "城关派出所驻所人民调解委员会",
            "当事人基本情况",
            &format!("申请人：{}", p1.name),
            &gender(&p1),
            "汉族",
            &age(&p1),
            "农民",
            &p1.address,
            "13812345678",
            &full_id(&p1),
            &format!("被申请人：{}", p2.name),
            &gender(&p2),
            "回族",
            &age(&p2),
            "个体经营",
            &full_id(&p2),
            "纠纷主要事实、争议事项",
            "两户因宅基地边界发生争执",
            "经调解，各方当事人自愿达成如下协议",
            "以原界桩为准",
            "履行方式、时限",
            "申请人退回越界部分，双方重新设立界桩",
            "2026年12月31日前履行完毕",
            "本协议一式 3 份",
            "签名（盖章或按指印）",
            "三十日内共同向人民法院申请司法确认",
            "申请人（签名、盖章或按指印）：",
            "被申请人（签名、盖章或按指印）：",
            "人民调解员（签名）：王建国",
            "记录人（签名）：王建国",
            "（人民调解委员会印章）",
            "第 1 页 共 1 页",
        ],
    );
    let entries = prints(&b);
    assert_eq!(entries.len(), 1);
    assert!(entries[0].detail.contains(&number), "{}", entries[0].detail);
    assert!(entries[0].detail.contains("full ID numbers"));
    assert!(
        !entries[0].detail.contains(&full_id(&p1)),
        "no ID number in the audit log"
    );
}

#[test]
fn agreements_are_numbered_per_station_and_year_and_a_reprint_keeps_its_number() {
    let b = Bureau::new();
    let dir = tempfile::tempdir().expect("tempdir");
    let (d1, a1, a2) = agreed_dispute(&b);
    let (d2, c1, c2) = agreed_dispute(&b);
    let first = print_agreement(&b, &b.officer_a, &d1, &a1, &a2, &dir.path().join("1.pdf"));
    let second = print_agreement(&b, &b.officer_a2, &d2, &c1, &c2, &dir.path().join("2.pdf"));
    let again = b
        .service
        .print(
            &b.chief_a,
            &PrintKind::Agreement(d1.meta.id),
            &dir.path().join("1-again.pdf"),
            Lang::Zh,
        )
        .expect("reprint");
    let n = |p: &beatbook::service::Printed| p.number.clone().unwrap_or_default();
    assert!(n(&first).ends_with("第 1 号"), "{}", n(&first));
    assert!(n(&second).ends_with("第 2 号"), "{}", n(&second));
    assert_eq!(n(&again), n(&first));
    // Station B counts from 1 on its own.
    let (p1, p2) = fresh_pair(&b, &b.officer_b);
    let d = agreed_between(&b, &b.officer_b, "河西的纠纷", &p1, &p2);
    let hx = print_agreement(&b, &b.officer_b, &d, &p1, &p2, &dir.path().join("hx.pdf"));
    assert!(n(&hx).contains("河西调字第 1 号"), "{}", n(&hx));
}

#[test]
fn what_the_agreement_lacks_is_asked_first_and_a_wrong_answer_saves_nothing() {
    let b = Bureau::new();
    let (d, p1, p2) = agreed_dispute(&b);
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("a.pdf");
    let err = refused_print(&b, &b.officer_a, &PrintKind::Agreement(d.meta.id), &out);
    match &err {
        ServiceError::AgreementIncomplete { parties, manner } => {
            assert!(*manner);
            assert_eq!(parties.len(), 2);
            assert_eq!(parties[0].0, p1.name);
            assert_eq!(parties[0].1, vec![Field::Ethnicity, Field::Occupation]);
        }
        other => panic!("{other:?}"),
    }
    let said = err.localize(Lang::Zh);
    assert!(
        said.contains(&p1.name) && said.contains("民族") && said.contains("履行方式"),
        "{said}"
    );
    let ask = b
        .service
        .agreement_ask(&b.officer_a, d.meta.id)
        .expect("ask");
    assert!(!ask.complete());
    let mut answers = answers_for(&d, &p1, &p2);
    answers.parties[1]
        .1
        .push((Field::BirthDate, "二零二六年".into()));
    let before = crate::common::snapshot(b.store());
    assert!(b
        .service
        .complete_agreement(&b.officer_a, d.meta.id, ask.revision, &answers)
        .is_err());
    assert_eq!(
        crate::common::snapshot(b.store()),
        before,
        "nothing saved when one answer is wrong"
    );
    // A dispute without an agreement has nothing to print.
    let (q1, q2) = fresh_pair(&b, &b.officer_a);
    let bare = register(&b.service, &b.officer_a, "未调解的纠纷", &[&q1, &q2], &[]);
    assert!(matches!(
        b.service.agreement_ask(&b.officer_a, bare.meta.id),
        Err(ServiceError::NoAgreement)
    ));
}

#[test]
fn only_the_station_prints_its_agreements() {
    let b = Bureau::new();
    let (d, p1, p2) = agreed_dispute(&b);
    let dir = tempfile::tempdir().expect("tempdir");
    print_agreement(&b, &b.officer_a, &d, &p1, &p2, &dir.path().join("ok.pdf"));
    let kind = PrintKind::Agreement(d.meta.id);
    let out = dir.path().join("x.pdf");
    for (who, session) in [
        ("other station", &b.officer_b),
        ("supervisor", &b.supervisor),
        ("admin", &b.admin),
    ] {
        let err = refused_print(&b, session, &kind, &out);
        assert!(matches!(err, ServiceError::Forbidden(_)), "{who}: {err:?}");
    }
    let register_b = PrintKind::Register {
        station: b.station_a.meta.id,
        from: crate::common::date(2026, 1, 1),
        to: crate::common::date(2026, 12, 31),
    };
    assert!(matches!(
        refused_print(&b, &b.officer_b, &register_b, &out),
        ServiceError::Forbidden(Forbidden::OtherStation)
    ));
}

#[test]
fn a_rare_character_prints_with_a_font_that_has_it_or_is_named_before_anything_is_written() {
    let b = Bureau::new();
    let rare = create_person(&b.service, &b.officer_a, "𠮷田堃", "东关村");
    let other = create_person(&b.service, &b.officer_a, "王堃", "东关村");
    let d = agreed_between(&b, &b.officer_a, "𠮷田堃与王堃相邻纠纷", &rare, &other);
    let dir = tempfile::tempdir().expect("tempdir");
    let ask = b
        .service
        .agreement_ask(&b.officer_a, d.meta.id)
        .expect("ask");
    b.service
        .complete_agreement(
            &b.officer_a,
            d.meta.id,
            ask.revision,
            &answers_for(&d, &rare, &other),
        )
        .expect("completed");
    // The shipped font has 堃 but not 𠮷 (CJK Extension B).
    let out = dir.path().join("shipped.pdf");
    let err = refused_print(&b, &b.officer_a, &PrintKind::Agreement(d.meta.id), &out);
    let said = err.localize(Lang::Zh);
    assert!(said.contains("“𠮷”（U+20BB7）"), "{said}");
    assert!(!said.contains('堃'), "堃 has a glyph: {said}");
    assert!(err.localize(Lang::En).contains("paper.toml"));
    // With Noto Serif CJK SC before it, the name prints.
    let Some(noto) = noto_serif() else { return };
    let (_config, b2) =
        bureau_with_paper(&format!("[fonts]\nfiles = [\"{}#2\"]\n", noto.display()));
    let rare = create_person(&b2.service, &b2.officer_a, "𠮷田堃", "东关村");
    let other = create_person(&b2.service, &b2.officer_a, "王堃", "东关村");
    let d = agreed_between(&b2, &b2.officer_a, "𠮷田堃与王堃相邻纠纷", &rare, &other);
    let out = dir.path().join("noto.pdf");
    print_agreement(&b2, &b2.officer_a, &d, &rare, &other, &out);
    let Some(text) = pdf_text(&out) else { return };
    assert_in_order(&text, &["申请人：𠮷田堃", "被申请人：王堃"]);
}

#[test]
fn a_bureau_paper_toml_changes_the_wording_and_a_mistake_names_file_and_line() {
    let (_config, b) = bureau_with_paper(
        "[agreement]\ncommittee = { zh = \"城关镇人民调解委员会\" }\nseal = { zh = \"（城关镇人民调解委员会印章）\" }\nnumber = { zh = \"城调〔{year}〕{n} 号\" }\n",
    );
    let (d, p1, p2) = agreed_dispute(&b);
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("a.pdf");
    let printed = print_agreement(&b, &b.officer_a, &d, &p1, &p2, &out);
    let year = b.service.today().format("%Y").to_string();
    assert_eq!(printed.number, Some(format!("城调〔{year}〕1 号")));
    if let Some(text) = pdf_text(&out) {
        assert_in_order(
            &text,
            &[
                "人民调解协议书",
                &format!("城调〔{year}〕1 号"),
                "调解组织：城关镇人民调解委员会",
                "（城关镇人民调解委员会印章）",
            ],
        );
        assert!(!text.contains("驻所人民调解委员会"), "{text}");
    }
    // A mistake: the command says which file and line, and prints nothing.
    let data = tempfile::tempdir().expect("data");
    let xdg = data.path().join("xdg");
    std::fs::create_dir_all(xdg.join("beatbook")).expect("config dir");
    let file = xdg.join("beatbook").join("paper.toml");
    std::fs::write(&file, "[agreement]\n\nnumber = { zh = \"第 {no} 号\" }\n").expect("write");
    let pdf = data.path().join("r.pdf");
    let out = crate::common::bin::beatbook(data.path())
        .env("XDG_CONFIG_HOME", &xdg)
        .env("BEATBOOK_PASSWORD", "x")
        .args(["print", "register", "2026-11", "--user", "nobody", "--out"])
        .arg(&pdf)
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains(&format!("{}:3", file.display())) && err.contains("{no}"),
        "{err}"
    );
    assert!(!pdf.exists());
}

#[test]
fn the_visit_record_masks_phones_and_a_planned_visit_prints_blank_to_fill_by_hand() {
    let b = Bureau::new();
    let (d, p1, p2) = agreed_dispute(&b);
    let dir = tempfile::tempdir().expect("tempdir");
    print_agreement(&b, &b.officer_a, &d, &p1, &p2, &dir.path().join("a.pdf"));
    let (resolved, _) = b
        .service
        .resolve_dispute(
            &b.officer_a,
            d.meta.id,
            crate::common::disputes::reload(&b, &d).meta.revision,
            &crate::common::disputes::resolve_form(&b.service.today().to_string()),
        )
        .expect("resolved");
    let visits = crate::common::disputes::open_visits_of(&b, &resolved);
    let planned = visits.first().expect("follow-up planned");
    let out = dir.path().join("planned.pdf");
    b.service
        .print(
            &b.officer_a,
            &PrintKind::Visit(planned.meta.id),
            &out,
            Lang::Zh,
        )
        .expect("printed");
    if let Some(text) = pdf_text(&out) {
        assert_in_order(
            &text,
            &[
                "回访记录（现场填写）",
                &p1.name,
                "关联纠纷：宅基地边界纠纷",
                "协议编号：（",
                "回访事由",
                "应访日期",
                "协议履行情况",
                "当事人满意程度",
                "有无激化苗头",
                "采取措施及回访情况",
                "回访民警（签名）：王建国",
                "被回访人（签名）：",
            ],
        );
        assert!(!text.contains("13812345678"), "phones masked: {text}");
        assert!(!text.contains(&full_id(&p1)), "no ID numbers: {text}");
        assert!(text.contains("138****5678"), "{text}");
    }
    let _ = (PersonDraft::default(), VisitMethod::Phone);
}

#[test]
fn the_monthly_report_prints_with_its_charts() {
    let b = Bureau::new();
    agreed_dispute(&b);
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("report.pdf");
    let month = beatbook::report::Month::of(b.service.today());
    let printed = b
        .service
        .print(
            &b.chief_a,
            &PrintKind::Report {
                station: Some(b.station_a.meta.id),
                month,
            },
            &out,
            Lang::En,
        )
        .expect("printed");
    assert!(printed.pages >= 1);
    let Some(text) = pdf_text(&out) else { return };
    assert_in_order(
        &text,
        &[
            "城关派出所",
            "Disputes reported, last 12 months",
            "Disputes this month by category",
        ],
    );
}

#[test]
fn a_register_over_several_pages_repeats_its_header_and_lists_every_dispute_once_in_order() {
    let b = Bureau::new();
    let (p1, p2) = fresh_pair(&b, &b.officer_a);
    let titles: Vec<String> = (1..=30).map(|n| format!("第{n:02}号宅基地纠纷")).collect();
    for t in &titles {
        register(&b.service, &b.officer_a, t, &[&p1, &p2], &[]);
    }
    // Station B's dispute stays off station A's register.
    let (q1, q2) = fresh_pair(&b, &b.officer_b);
    register(&b.service, &b.officer_b, "河西的纠纷", &[&q1, &q2], &[]);
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("register.pdf");
    let today = b.service.today();
    let printed = b
        .service
        .print(
            &b.chief_a,
            &PrintKind::Register {
                station: b.station_a.meta.id,
                from: today,
                to: today,
            },
            &out,
            Lang::Zh,
        )
        .expect("printed");
    assert!(printed.pages >= 2, "{} pages", printed.pages);
    let Some(all) = pdf_text(&out) else { return };
    let mut expected = vec!["矛盾纠纷排查化解登记表", "共 30 件", "填报单位：城关派出所"];
    expected.extend(titles.iter().map(String::as_str));
    assert_in_order(&all, &expected);
    assert!(!all.contains("河西的纠纷"), "another station's dispute");
    for t in &titles {
        assert_eq!(all.matches(t.as_str()).count(), 1, "{t} listed once");
    }
    for page in 1..=printed.pages {
        let text = pdf_text_pages(&out, Some(page)).expect("page text");
        assert_in_order(
            &text,
            &[
                "序号",
                "登记日期",
                "纠纷类别",
                "当事人",
                "简要情况",
                "责任民警",
            ],
        );
        assert_in_order(&text, &[&format!("第 {page} 页 共 {} 页", printed.pages)]);
    }
}
