//! issue 10 — the resident register, the station's villages and the accounts' police
//! number and phone: service use cases with their refusals (roles, other station), and
//! the whole app driven by keys on a `TestBackend` (zh and en, 80×24 and 120×40).

use crate::common;

use beatbook::i18n::Lang;
use beatbook::model::{Officer, Person, RiskLevel, Role, Station, ValidationError, Visit};
use beatbook::service::{
    AccountParticulars, FirstStation, FlagForm, Forbidden, NewOfficer, ServiceError,
};
use beatbook::store::{Store, StoreError};
use beatbook::tui::app::App;
use common::tui::{app, ctrl, key, press, screen, tabs, type_str};
use common::{audit, create_person, first_login, Bureau, TestClock, FIRST_PASSWORD, PASSWORD};
use ratatui::crossterm::event::KeyCode;

/// Today → register → watch list → residents.
fn to_residents(app: &mut App) {
    tabs(app, 3);
}

fn station(b: &Bureau, id: beatbook::model::Id) -> Station {
    b.store()
        .get::<Station>(id)
        .expect("readable")
        .expect("station")
}

fn officer(store: &Store, username: &str) -> Officer {
    store
        .officer_by_username(username)
        .expect("readable")
        .expect("account")
}

// ---------------------------------------------------------------- service

#[test]
fn the_register_lists_the_own_station_with_flag_and_open_disputes() {
    let b = Bureau::new();
    let li = create_person(&b.service, &b.officer_a, "李四", "西关村");
    b.service
        .flag_person(
            &b.officer_a,
            li.meta.id,
            &FlagForm {
                categories: vec!["stability".into()],
                level: Some(RiskLevel::Yellow),
                basis: "多次扬言报复".into(),
                ..Default::default()
            },
        )
        .expect("flag");
    common::disputes::register(
        &b.service,
        &b.officer_a,
        "宅基地边界纠纷",
        &[&b.person_a, &li],
        &[],
    );

    let rows = b.service.residents(&b.officer_a, "").expect("list");
    let names: Vec<&str> = rows.iter().map(|r| r.card.name.as_str()).collect();
    // By village: 东关村 before 西关村; the other station's person is not listed.
    assert_eq!(names, vec!["张三丰", "李四"]);
    assert_eq!(rows[0].flag, None);
    assert_eq!(rows[0].open_disputes, 1);
    assert_eq!(rows[1].flag, Some(RiskLevel::Yellow));
    assert_eq!(rows[1].open_disputes, 1);
    assert!(rows[0].card.masked_id.contains('*'), "ID masked");
    assert!(rows[0].card.masked_phone.contains('*'), "phone masked");

    // Search by initials, by village; the other station's person is never found.
    let hits = b.service.residents(&b.officer_a, "zsf").expect("search");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].card.name, "张三丰");
    let hits = b.service.residents(&b.officer_a, "西关").expect("search");
    assert_eq!(
        hits.iter().map(|r| r.card.id).collect::<Vec<_>>(),
        vec![li.meta.id]
    );
    assert!(b
        .service
        .residents(&b.officer_a, "李秀英")
        .expect("search")
        .is_empty());

    // The other station's chief sees only its own; a supervisor's search reads all.
    let other = b.service.residents(&b.chief_b, "").expect("list");
    assert_eq!(other.len(), 1);
    assert_eq!(other[0].card.name, "李秀英");
    let wide = b
        .service
        .residents(&b.supervisor, "李秀英")
        .expect("search");
    assert_eq!(wide.len(), 1);

    // An administrator sees no case data.
    assert!(matches!(
        b.service.residents(&b.admin, ""),
        Err(ServiceError::Forbidden(Forbidden::NoCaseData))
    ));
}

#[test]
fn villages_are_kept_by_the_chief_and_the_admin_only() {
    let b = Bureau::new();
    let a = station(&b, b.station_a.meta.id);
    let list = vec!["东关村、西关村".to_string(), "城南社区".to_string()];

    // Refused: officer, supervisor, the other station's chief. Nothing written.
    let before = b.snapshot();
    for (who, expect) in [
        (&b.officer_a, Forbidden::ChiefOnly),
        (&b.supervisor, Forbidden::ChiefOnly),
        (&b.chief_b, Forbidden::OtherStation),
    ] {
        match b
            .service
            .set_station_villages(who, a.meta.id, a.meta.revision, &list)
        {
            Err(ServiceError::Forbidden(f)) => assert_eq!(f, expect),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
    assert_eq!(b.snapshot(), before);

    let saved = b
        .service
        .set_station_villages(&b.chief_a, a.meta.id, a.meta.revision, &list)
        .expect("chief saves");
    assert_eq!(saved.villages, vec!["东关村", "西关村", "城南社区"]);
    assert_eq!(
        b.service.station_villages(&b.officer_a).expect("villages"),
        saved.villages
    );
    let entry = audit(b.store())
        .into_iter()
        .rev()
        .find(|e| e.action == "station.villages")
        .expect("audited");
    assert!(entry.detail.contains("城南社区"), "{}", entry.detail);

    // A stale revision is a conflict; the administrator may edit any station.
    assert!(matches!(
        b.service
            .set_station_villages(&b.chief_a, a.meta.id, a.meta.revision, &list),
        Err(ServiceError::Store(StoreError::Conflict { .. }))
    ));
    let hx = station(&b, b.station_b.meta.id);
    b.service
        .set_station_villages(&b.admin, hx.meta.id, hx.meta.revision, &["河西村".into()])
        .expect("admin saves");
    assert_eq!(station(&b, hx.meta.id).villages, vec!["河西村"]);
    common::assert_audit_ok(b.store());
}

#[test]
fn account_particulars_are_validated_audited_and_admin_only() {
    let b = Bureau::new();
    let wang = officer(b.store(), "wang.a");
    let good = AccountParticulars {
        police_number: "a012345".into(),
        phone: "13912345678".into(),
    };
    // Refused to a chief.
    assert!(matches!(
        b.service
            .set_account_particulars(&b.chief_a, wang.meta.id, wang.meta.revision, &good),
        Err(ServiceError::Forbidden(Forbidden::AdminOnly))
    ));
    // Bad input: a clear error naming the field; nothing written.
    let before = b.snapshot();
    let bad_number = AccountParticulars {
        police_number: "A-12".into(),
        ..good.clone()
    };
    assert!(matches!(
        b.service
            .set_account_particulars(&b.admin, wang.meta.id, wang.meta.revision, &bad_number),
        Err(ServiceError::Invalid(
            ValidationError::PoliceNumberCharacters
        ))
    ));
    let bad_phone = AccountParticulars {
        phone: "12345".into(),
        ..good.clone()
    };
    assert!(matches!(
        b.service
            .set_account_particulars(&b.admin, wang.meta.id, wang.meta.revision, &bad_phone),
        Err(ServiceError::Invalid(ValidationError::Phone(_)))
    ));
    assert_eq!(b.snapshot(), before);

    b.service
        .set_account_particulars(&b.admin, wang.meta.id, wang.meta.revision, &good)
        .expect("saved");
    let stored = officer(b.store(), "wang.a");
    assert_eq!(stored.police_number, "A012345");
    assert_eq!(
        stored.phone.as_ref().map(|p| p.as_str().to_string()),
        Some("13912345678".into())
    );
    let entry = audit(b.store())
        .into_iter()
        .rev()
        .find(|e| e.action == "account.particulars")
        .expect("audited");
    assert!(entry.detail.contains("A012345"));
    assert!(
        !entry.detail.contains("13912345678"),
        "no phone in the trail"
    );
    // The officer's session is not ended by it.
    assert!(b.service.residents(&b.officer_a, "").is_ok());

    // The chief sees the station's accounts with the phone masked; an officer may not.
    let accounts = b.service.station_accounts(&b.chief_a).expect("chief");
    let w = accounts
        .iter()
        .find(|a| a.username == "wang.a")
        .expect("listed");
    assert_eq!(w.police_number, "A012345");
    assert!(w.masked_phone.contains('*') && !w.masked_phone.contains("1234"));
    assert!(
        accounts.iter().all(|a| a.username != "chen.b"),
        "own station only"
    );
    assert!(matches!(
        b.service.station_accounts(&b.officer_a),
        Err(ServiceError::Forbidden(Forbidden::ChiefOnly))
    ));

    // Created with particulars in one commit; a bad one refuses the account.
    let new = NewOfficer {
        station: b.station_a.meta.id,
        username: "qian.a".into(),
        display_name: "钱警官".into(),
        role: Role::Officer,
        password: FIRST_PASSWORD.into(),
    };
    assert!(b
        .service
        .create_officer_with(&b.admin, &new, &bad_number)
        .is_err());
    assert!(b
        .store()
        .officer_by_username("qian.a")
        .expect("read")
        .is_none());
    let o = b
        .service
        .create_officer_with(&b.admin, &new, &good)
        .expect("created");
    assert_eq!(o.police_number, "A012345");
}

// ---------------------------------------------------------------- whole app

#[test]
fn tab_reaches_the_residents_and_slash_searches() {
    let b = Bureau::new();
    create_person(&b.service, &b.officer_a, "李四", "西关村");
    let mut app = app(&b.service, Lang::Zh, &b.officer_a);
    to_residents(&mut app);
    let s = screen(&app, 80, 24);
    assert!(s.contains("居民登记"), "{s}");
    assert!(s.contains("张三丰") && s.contains("李四"), "{s}");
    assert!(!s.contains("李秀英"), "other station: {s}");

    press(&mut app, "/ls");
    let s = screen(&app, 80, 24);
    assert!(s.contains("李四"), "{s}");
    assert!(!s.contains("张三丰"), "filtered out: {s}");
    // Enter keeps the search; Enter again opens the highlighted (and only) person.
    press(&mut app, "<Enter><Enter>");
    let s = screen(&app, 120, 40);
    assert!(s.contains("李四"), "{s}");
    assert!(s.contains("西关村"), "{s}");
    // Esc leaves the person, Esc again clears the search: everyone is back.
    press(&mut app, "<Esc><Esc>");
    let s = screen(&app, 80, 24);
    assert!(s.contains("张三丰") && s.contains("李四"), "{s}");
    // Help lists the register's keys, from the keymap.
    key(&mut app, KeyCode::F(1));
    let s = screen(&app, 120, 40);
    assert!(s.contains("新建人员") && s.contains("修改所选人员"), "{s}");
}

#[test]
fn a_person_created_from_the_list_is_selected() {
    let b = Bureau::new();
    for (name, village) in [("李四", "西关村"), ("王五", "北关村")] {
        create_person(&b.service, &b.officer_a, name, village);
    }
    let mut app = app(&b.service, Lang::Zh, &b.officer_a);
    to_residents(&mut app);
    key(&mut app, KeyCode::Char('n'));
    let s = screen(&app, 80, 24);
    assert!(s.contains("新建人员"), "{s}");
    type_str(&mut app, "钱七");
    tabs(&mut app, 5); // → village
    press(&mut app, "南关村<C-s>");
    let s = screen(&app, 80, 24);
    assert!(s.contains("已新建人员 钱七"), "{s}");
    assert!(s.contains("钱七"), "{s}");
    // The highlighted row is the new person: editing opens it.
    ctrl(&mut app, 'e');
    let s = screen(&app, 80, 24);
    assert!(s.contains("修改人员信息"), "{s}");
    assert!(
        s.contains("姓名*  钱七"),
        "the new person, not the first row: {s}"
    );
    assert!(s.contains("南关村"), "{s}");
    let stored: Vec<Person> = b
        .store()
        .all::<Person>()
        .collect::<Result<_, _>>()
        .expect("persons");
    let p = stored.iter().find(|p| p.name == "钱七").expect("saved");
    assert_eq!(p.village, "南关村");
    assert_eq!(p.meta.station, b.station_a.meta.id);
}

#[test]
fn a_fresh_station_schedules_its_first_visit_from_the_keyboard() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = TestClock::new(common::start_time());
    let service = common::open_service(dir.path(), clock);
    let (station, _) = service
        .set_up_first_station(&FirstStation {
            station_name: "新建派出所".into(),
            station_code: "XJ".into(),
            admin_username: "admin".into(),
            admin_display_name: "管理员".into(),
            password: PASSWORD.into(),
            password_again: PASSWORD.into(),
        })
        .expect("setup");
    let admin = service.login("admin", PASSWORD).expect("admin");
    service
        .create_officer(
            &admin,
            &NewOfficer {
                station: station.meta.id,
                username: "wu".into(),
                display_name: "吴警官".into(),
                role: Role::Officer,
                password: FIRST_PASSWORD.into(),
            },
        )
        .expect("officer");
    let wu = first_login(&service, "wu", FIRST_PASSWORD, PASSWORD);
    let mut app = app(&service, Lang::Zh, &wu);

    press(&mut app, "n赵六");
    let s = screen(&app, 80, 24);
    assert!(s.contains("没有匹配的人员"), "{s}");
    assert!(s.contains("新建此人"), "the way out is named: {s}");
    ctrl(&mut app, 'n');
    let s = screen(&app, 80, 24);
    assert!(s.contains("新建人员"), "{s}");
    assert!(s.contains("赵六"), "name carried over: {s}");
    ctrl(&mut app, 's');
    let s = screen(&app, 80, 24);
    assert!(s.contains("安排"), "back on the visit form: {s}");
    assert!(s.contains("已新建人员 赵六"), "{s}");
    // The focus moved on to the due date.
    type_str(&mut app, "2026-11-25");
    tabs(&mut app, 2); // method → purpose
    press(&mut app, "首次走访<C-s>");
    let s = screen(&app, 120, 40);
    assert!(s.contains("赵六"), "the first visit is on Today: {s}");
    assert!(s.contains("首次走访"), "{s}");

    let persons: Vec<Person> = service
        .store()
        .all::<Person>()
        .collect::<Result<_, _>>()
        .expect("persons");
    assert_eq!(persons.len(), 1);
    let visits: Vec<Visit> = service
        .store()
        .all::<Visit>()
        .collect::<Result<_, _>>()
        .expect("visits");
    assert_eq!(visits.len(), 1);
    let of_person = service
        .store()
        .person_visit_summaries(persons[0].meta.id)
        .expect("summaries");
    assert_eq!(of_person.len(), 1, "the visit is for the new person");
    common::assert_indexes_ok(service.store());
}

#[test]
fn the_chief_edits_the_villages_and_the_person_form_offers_them() {
    let b = Bureau::new();
    let mut app = app(&b.service, Lang::Zh, &b.chief_a);
    to_residents(&mut app);
    key(&mut app, KeyCode::Char('v'));
    let s = screen(&app, 80, 24);
    assert!(s.contains("村/社区列表"), "{s}");
    press(&mut app, "东关村、西关村<C-s>");
    let s = screen(&app, 80, 24);
    assert!(s.contains("已保存 城关派出所 的村/社区列表（2 个）"), "{s}");
    assert_eq!(
        station(&b, b.station_a.meta.id).villages,
        vec!["东关村", "西关村"]
    );

    press(&mut app, "n孙八");
    tabs(&mut app, 5); // → village
    let s = screen(&app, 120, 40);
    assert!(s.contains("↓ 东关村  西关村"), "suggestions shown: {s}");
    // Typing narrows them; Down puts the match in the field.
    press(&mut app, "西<Down><C-s>");
    let persons: Vec<Person> = b
        .store()
        .all::<Person>()
        .collect::<Result<_, _>>()
        .expect("persons");
    let p = persons.iter().find(|p| p.name == "孙八").expect("saved");
    assert_eq!(p.village, "西关村");

    // Free text stays allowed.
    press(&mut app, "n周九");
    tabs(&mut app, 5);
    press(&mut app, "山后组<C-s>");
    let persons: Vec<Person> = b
        .store()
        .all::<Person>()
        .collect::<Result<_, _>>()
        .expect("persons");
    let p = persons.iter().find(|p| p.name == "周九").expect("saved");
    assert_eq!(p.village, "山后组");

    // An officer cannot: refused at once, no form to fill in for nothing.
    let mut officer_app = app_for_officer(&b);
    to_residents(&mut officer_app);
    key(&mut officer_app, KeyCode::Char('v'));
    let s = screen(&officer_app, 120, 40);
    assert!(!s.contains("村/社区列表"), "no form: {s}");
    assert!(
        s.contains("只有本所所长可以这样做"),
        "the refusal is said: {s}"
    );
    assert_eq!(
        station(&b, b.station_a.meta.id).villages,
        vec!["东关村", "西关村"]
    );
}

fn app_for_officer(b: &Bureau) -> App<'_> {
    app(&b.service, Lang::Zh, &b.officer_a)
}

#[test]
fn the_admin_enters_police_number_and_phone() {
    let b = Bureau::new();
    let mut app = app(&b.service, Lang::Zh, &b.admin);
    // Station A, then its accounts by username: admin, fa.zhi, li.a, wang.a.
    for _ in 0..4 {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Char('e'));
    let s = screen(&app, 80, 24);
    assert!(s.contains("警号和电话"), "{s}");
    assert!(s.contains("wang.a"), "the form names the account: {s}");
    press(&mut app, "A-12<Tab>13912345678<C-s>");
    let s = screen(&app, 80, 24);
    assert!(s.contains("警号只能使用字母和数字"), "clear message: {s}");
    assert!(s.contains("A-12"), "what was typed stays: {s}");
    assert!(s.contains("13912345678"), "{s}");
    // The focus is back on the police number: fix it.
    for _ in 0..4 {
        key(&mut app, KeyCode::Backspace);
    }
    press(&mut app, "A012345<C-s>");
    let s = screen(&app, 120, 40);
    assert!(s.contains("已保存 wang.a 的警号和电话"), "{s}");
    assert!(s.contains("A012345"), "shown on the admin screen: {s}");
    assert!(s.contains("139****5678"), "phone masked: {s}");
    assert!(!s.contains("13912345678"), "{s}");
    let o = officer(b.store(), "wang.a");
    assert_eq!(o.police_number, "A012345");
    assert!(audit(b.store())
        .iter()
        .any(|e| e.action == "account.particulars"));

    // In English too.
    let app_en = self::app(&b.service, Lang::En, &b.admin);
    let s = screen(&app_en, 120, 40);
    assert!(s.contains("Police no."), "{s}");
}

#[test]
fn residents_screen_in_both_languages_and_sizes() {
    let b = Bureau::new();
    create_person(&b.service, &b.officer_a, "欧阳娜娜", "西关村");
    for lang in [Lang::Zh, Lang::En] {
        let mut app = app(&b.service, lang, &b.officer_a);
        to_residents(&mut app);
        for (w, h) in [(80, 24), (120, 40)] {
            let s = screen(&app, w, h);
            let (title, name_col, village_col) = match lang {
                Lang::Zh => ("居民登记", "姓名", "村/社区"),
                Lang::En => ("Residents", "Name", "Village"),
            };
            assert!(s.contains(title), "{lang} {w}x{h}: {s}");
            assert!(s.contains(name_col), "{lang} {w}x{h}: {s}");
            assert!(s.contains(village_col), "{lang} {w}x{h}: {s}");
            assert!(s.contains("张三丰") && s.contains("欧阳娜娜"), "{s}");
            assert!(s.contains("东关村") && s.contains("西关村"), "{s}");
            // ID numbers are masked.
            assert!(s.contains("********"), "{s}");
            if w >= 120 {
                assert!(s.contains("138****5678"), "phone masked: {s}");
            }
        }
    }
}

#[test]
fn the_register_follows_an_edit_made_on_the_person_screen() {
    let b = Bureau::new();
    create_person(&b.service, &b.officer_a, "李四", "西关村");
    let mut app = app(&b.service, Lang::Zh, &b.officer_a);
    to_residents(&mut app);
    // 张三丰 (东关村) is first; open them and edit the village there.
    press(&mut app, "<Enter><C-e>");
    let s = screen(&app, 120, 40);
    assert!(s.contains("修改人员信息"), "{s}");
    tabs(&mut app, 5); // → village
    for _ in 0.."东关村".chars().count() {
        key(&mut app, KeyCode::Backspace);
    }
    press(&mut app, "北关村<C-s>");
    key(&mut app, KeyCode::Esc); // leave the person screen
    let s = screen(&app, 120, 40);
    assert!(s.contains("居民登记"), "{s}");
    assert!(s.contains("北关村"), "the list was read again: {s}");
    assert!(!s.contains("东关村"), "{s}");
}

#[test]
fn demo_stations_have_villages_and_demo_accounts_police_numbers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let service = common::open_service(
        dir.path(),
        std::sync::Arc::new(beatbook::service::FixedClock(common::start_time())),
    );
    beatbook::demo::load_demo(&service).expect("demo loads");
    let chief = service
        .login("chief", beatbook::demo::DEMO_PASSWORD)
        .expect("chief");
    let villages = service.station_villages(&chief).expect("villages");
    assert!(!villages.is_empty(), "demo station has villages");
    // The register lists the demo's persons at once, and the search finds them.
    let rows = service.residents(&chief, "").expect("register");
    assert!(!rows.is_empty());
    let first = rows[0].card.name.clone();
    assert!(service
        .residents(&chief, &first)
        .expect("search")
        .iter()
        .any(|r| r.card.name == first));
    let accounts = service.station_accounts(&chief).expect("accounts");
    assert!(!accounts.is_empty());
    for a in &accounts {
        assert!(
            !a.police_number.is_empty() && a.police_number.chars().all(|c| c.is_ascii_digit()),
            "{a:?}"
        );
        assert!(a.masked_phone.contains('*'), "{a:?}");
    }
}
