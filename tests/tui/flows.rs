//! Longer keyboard flows: a dispute from register to resolved, a person flagged red.

use super::*;

#[test]
fn register_accept_mediate_and_resolve_a_dispute_by_keyboard() {
    let fx = fixture();
    let mut app = login(&fx.service, Lang::Zh, "wang", PASSWORD);
    key(&mut app, KeyCode::Tab); // dispute register
    let s = screen(&app, 100, 30);
    assert!(s.contains("纠纷台账"), "{s}");
    press(&mut app, "n张三与李秀英宅基地边界纠纷<Tab>");
    type_str(&mut app, "3"); // category 03 land
    key(&mut app, KeyCode::Tab); // sub-category
    key(&mut app, KeyCode::Right); // 土地承包
    key(&mut app, KeyCode::Tab); // parties
    type_str(&mut app, "zs");
    let s = screen(&app, 100, 30);
    assert!(s.contains("张三"), "{s}");
    press(&mut app, "<Enter>lxy<Enter>");
    let s = screen(&app, 100, 30);
    assert!(s.contains("张三（申请人）、李秀英（被申请人）"), "{s}");
    ctrl(&mut app, 's');
    let s = screen(&app, 100, 30);
    assert!(s.contains("已登记"), "{s}");
    assert!(s.contains("宅基地边界纠纷"), "{s}");
    let register_zh = screen(&app, 80, 24);
    insta::assert_snapshot!("register_zh_80x24", register_zh);
    key(&mut app, KeyCode::Enter);
    let s = screen(&app, 100, 30);
    assert!(s.contains("已登记"), "detail open: {s}");
    key(&mut app, KeyCode::F(12));
    let detail_en = screen(&app, 120, 40);
    insta::assert_snapshot!("dispute_detail_en_120x40", detail_en);
    press(&mut app, "<F12>a");
    let s = screen(&app, 100, 30);
    assert!(s.contains("已受理"), "{s}");
    press(&mut app, "s<Tab>张三、李秀英、村调委会主任<Tab><Tab>");
    type_str(&mut app, "1"); // agreement
    ctrl(&mut app, 's');
    let s = screen(&app, 100, 30);
    assert!(s.contains("已记录调解"), "{s}");
    press(
        &mut app,
        "v<Tab>当场调解<Tab><Tab>重新确定界址，双方签字<C-s>",
    );
    let s = screen(&app, 100, 30);
    assert!(s.contains("已化解"), "{s}");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Tab); // watch list
    key(&mut app, KeyCode::Tab); // residents
    key(&mut app, KeyCode::Tab); // supervision findings
    key(&mut app, KeyCode::Tab); // back to Today
    let s = screen(&app, 120, 40);
    assert!(s.contains("宅基地边界纠纷：化解后第1天回访"), "{s}");
}

#[test]
fn flag_a_person_red_from_a_visit_and_see_the_weekly_visit() {
    let fx = fixture();
    let mut app = login(&fx.service, Lang::Zh, "wang", PASSWORD);
    // 欧阳娜娜's visit is the fourth of wang's; open it, then the person.
    for _ in 0..3 {
        key(&mut app, KeyCode::Char('j'));
    }
    press(&mut app, "<Enter>p");
    let s = screen(&app, 100, 30);
    assert!(s.contains("欧阳娜娜"), "{s}");
    assert!(s.contains("未列为重点人员"), "{s}");
    assert!(s.contains("138****5678"), "masked: {s}");
    key(&mut app, KeyCode::Char('v'));
    let s = screen(&app, 100, 30);
    assert!(s.contains("13812345678"), "revealed: {s}");
    let reveals = fx
        .service
        .store()
        .audit_entries()
        .filter_map(Result::ok)
        .filter(|e| e.action == "person.reveal")
        .count();
    assert_eq!(reveals, 1, "the reveal is audited");
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Char(' ')); // first category
    key(&mut app, KeyCode::Tab);
    type_str(&mut app, "1"); // level: red (listed highest first)
    press(&mut app, "<Tab>多次扬言报复邻居<C-s>");
    let s = screen(&app, 100, 30);
    assert!(s.contains("已列为重点人员（红）"), "{s}");
    press(&mut app, "<Esc><Esc><Tab>");
    key(&mut app, KeyCode::Tab); // watch list
    let s = screen(&app, 100, 30);
    assert!(s.contains("欧阳娜娜"), "{s}");
    assert!(
        s.contains("11-27"),
        "the visit already owed is the next one: {s}"
    );
    // Make it (early) on Today: the next one is scheduled a week later by itself.
    key(&mut app, KeyCode::Tab); // residents
    key(&mut app, KeyCode::Tab); // supervision findings
    key(&mut app, KeyCode::Tab); // Today
    for _ in 0..3 {
        key(&mut app, KeyCode::Char('j'));
    }
    press(&mut app, "d<Right><C-s>");
    let s = screen(&app, 120, 40);
    assert!(s.contains("已记录：欧阳娜娜 已访"), "{s}");
    assert!(
        s.contains("12-02"),
        "the weekly visit appears on Today: {s}"
    );
    assert!(s.contains("重点人员定期走访（红）"), "{s}");
}
