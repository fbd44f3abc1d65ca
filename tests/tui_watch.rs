//! The watch list and the person screen in the TUI: snapshots in zh and en at 80×24 and
//! 120×40 with personal data masked, and the audited reveal (`v`).

use crate::common;

use beatbook::i18n::Lang;
use beatbook::model::{
    DisputeDraft, DisputeScale, DisputeSource, Party, PartyRole, PersonDraft, RiskLevel,
    VisitOutcome,
};
use beatbook::service::{DoneForm, FlagForm, Service};
use beatbook::tui::app::App;
use common::tui::{key, login, press, screen};
use common::{at, one_station, OneStation, STATION_PASSWORD as PASSWORD};
use ratatui::crossterm::event::KeyCode;

struct Fixture {
    _dir: tempfile::TempDir,
    service: Service,
}

/// A flagged person: (name, ID number, phone, village, level, categories, basis).
type Listed = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    RiskLevel,
    &'static [&'static str],
    &'static str,
);

/// The four flagged persons.
const LISTED: [Listed; 4] = [
    (
        "高秀兰",
        "220182198001081234",
        "13812345678",
        "东关村",
        RiskLevel::Red,
        &["stability", "petition"],
        "多次扬言到市里上访",
    ),
    (
        "曾小明",
        "440524188001010014",
        "13900001111",
        "南山社区",
        RiskLevel::Orange,
        &["drugs"],
        "社区戒毒期间",
    ),
    (
        "欧阳娜娜",
        "",
        "13712345678",
        "北岭村",
        RiskLevel::Yellow,
        &["youth"],
        "辍学闲散",
    ),
    (
        "张三",
        "11010519491231002X",
        "13698765432",
        "东坪村",
        RiskLevel::Blue,
        &["released"],
        "刑满释放五年",
    ),
];

/// A station with an officer (`wang`) and a chief (`zhao`); four persons on the watch list
/// at each level (flagged on 11-15), one visit made on 11-18, a lowering of the red flag
/// waiting for the chief, and a dispute naming the red person (an alert). Today is 11-25.
fn fixture() -> Fixture {
    let OneStation {
        dir,
        service,
        clock,
    } = one_station(at(2026, 11, 15, 9, 0));
    let wang = service.login("wang", PASSWORD).expect("wang");
    let mut persons = Vec::new();
    for (name, idn, phone, village, level, categories, basis) in LISTED {
        let p = service
            .create_person(
                &wang,
                &PersonDraft {
                    name: name.into(),
                    id_number: idn.into(),
                    phone: phone.into(),
                    village: village.into(),
                    address: format!("{village}8号"),
                    ..Default::default()
                },
            )
            .expect("person");
        let flag = service
            .flag_person(
                &wang,
                p.meta.id,
                &FlagForm {
                    categories: categories.iter().map(|c| c.to_string()).collect(),
                    level: Some(level),
                    basis: basis.into(),
                    source: "社区排查".into(),
                    ..Default::default()
                },
            )
            .expect("flag");
        persons.push((p, flag));
    }
    // 曾小明's first visit made on 11-18.
    clock.set(at(2026, 11, 18, 10, 0));
    let orange = persons[1].0.meta.id;
    let visit = service
        .store()
        .person_visit_summaries(orange)
        .expect("visits")
        .into_iter()
        .next()
        .expect("a rolling visit");
    service
        .record_visit_done(
            &wang,
            visit.id,
            visit.revision,
            &DoneForm {
                outcome: Some(VisitOutcome::Stable),
                ..Default::default()
            },
        )
        .expect("done");
    // The officer asks to lower the red flag.
    clock.set(at(2026, 11, 20, 15, 0));
    let (_, red) = &persons[0];
    service
        .change_flag_level(
            &wang,
            red.meta.id,
            red.meta.revision,
            RiskLevel::Orange,
            "近一月情绪稳定",
        )
        .expect("lowering requested");
    // A dispute between the red person and the blue one: an alert for wang.
    clock.set(at(2026, 11, 24, 11, 0));
    service
        .register_dispute(
            &wang,
            &DisputeDraft {
                title: "宅基地边界纠纷".into(),
                category: "03".into(),
                village: "东关村".into(),
                source: DisputeSource::WalkIn,
                scale: DisputeScale::Individual,
                parties: vec![
                    Party {
                        person: persons[0].0.meta.id,
                        role: PartyRole::Applicant,
                    },
                    Party {
                        person: persons[3].0.meta.id,
                        role: PartyRole::Respondent,
                    },
                ],
                ..Default::default()
            },
            None,
            None,
        )
        .expect("dispute");
    clock.set(at(2026, 11, 25, 9, 0));
    Fixture { _dir: dir, service }
}

/// Today → register → watch list.
fn open_watch_list(app: &mut App) {
    press(app, "<Tab><Tab>");
}

fn reveals(service: &Service) -> Vec<beatbook::store::AuditEntry> {
    service
        .store()
        .audit_entries()
        .filter_map(Result::ok)
        .filter(|e| e.action == "person.reveal")
        .collect()
}

/// No full ID number or phone of any listed person is on the screen.
fn assert_masked(s: &str) {
    for (name, idn, phone, ..) in LISTED {
        assert!(
            idn.is_empty() || !s.contains(idn),
            "{name}'s ID number unmasked:\n{s}"
        );
        assert!(!s.contains(phone), "{name}'s phone unmasked:\n{s}");
    }
}

#[test]
fn watch_list_snapshots_in_both_languages_and_sizes() {
    let fx = fixture();
    for lang in [Lang::Zh, Lang::En] {
        let mut app = login(&fx.service, lang, "wang", PASSWORD);
        open_watch_list(&mut app);
        for (w, h) in [(80, 24), (120, 40)] {
            let s = screen(&app, w, h);
            assert_masked(&s);
            for (name, ..) in LISTED {
                assert!(s.contains(name), "{name} listed at {w}x{h}:\n{s}");
            }
            insta::assert_snapshot!(format!("watch_list_{lang}_{w}x{h}"), s);
        }
        // Highest level first.
        let s = screen(&app, 120, 40);
        let pos: Vec<usize> = LISTED
            .iter()
            .map(|(name, ..)| s.find(name).expect("listed"))
            .collect();
        assert!(pos.windows(2).all(|w| w[0] < w[1]), "red → blue:\n{s}");
    }
    assert!(reveals(&fx.service).is_empty(), "the list reveals nothing");
}

#[test]
fn person_screen_snapshots_masked_then_revealed_and_audited() {
    let fx = fixture();
    for lang in [Lang::Zh, Lang::En] {
        let mut app = login(&fx.service, lang, "wang", PASSWORD);
        open_watch_list(&mut app);
        key(&mut app, KeyCode::Enter); // the red one: 高秀兰
        for (w, h) in [(80, 24), (120, 40)] {
            let s = screen(&app, w, h);
            assert!(s.contains("高秀兰"), "{s}");
            assert!(
                s.contains("220182********1234"),
                "masked ID at {w}x{h}:\n{s}"
            );
            assert!(s.contains("138****5678"), "masked phone at {w}x{h}:\n{s}");
            assert_masked(&s);
            insta::assert_snapshot!(format!("person_{lang}_{w}x{h}"), s);
        }
        let before = reveals(&fx.service).len();
        key(&mut app, KeyCode::Char('v'));
        let s = screen(&app, 120, 40);
        assert!(s.contains("220182198001081234"), "revealed ID:\n{s}");
        assert!(s.contains("13812345678"), "revealed phone:\n{s}");
        insta::assert_snapshot!(format!("person_revealed_{lang}_120x40"), s);
        let after = reveals(&fx.service);
        assert_eq!(after.len(), before + 1, "one audit entry per reveal");
        let entry = after.last().expect("entry");
        assert_eq!(entry.actor_name, "wang");
        let person = fx
            .service
            .store()
            .person_by_id_number(
                &beatbook::model::resident_id::ResidentId::parse("220182198001081234").expect("id"),
            )
            .expect("read")
            .expect("person");
        assert!(entry.detail.contains(&person.meta.id.to_string()));
        // Back to the list and in again: masked again until the next reveal.
        key(&mut app, KeyCode::Esc);
        let s = screen(&app, 120, 40);
        assert_masked(&s);
        key(&mut app, KeyCode::Enter);
        let s = screen(&app, 120, 40);
        assert!(s.contains("220182********1234"), "{s}");
        assert_masked(&s);
    }
}

#[test]
fn person_screen_of_a_person_without_an_id_number_and_the_chiefs_view() {
    let fx = fixture();
    let mut app = login(&fx.service, Lang::Zh, "zhao", PASSWORD);
    open_watch_list(&mut app);
    // The yellow one, third.
    press(&mut app, "jj<Enter>");
    let s = screen(&app, 120, 40);
    assert!(s.contains("欧阳娜娜"), "{s}");
    assert!(s.contains("137****5678"), "{s}");
    assert_masked(&s);
    key(&mut app, KeyCode::Char('v'));
    let s = screen(&app, 120, 40);
    assert!(s.contains("13712345678"), "{s}");
    let entries = reveals(&fx.service);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].actor_name, "zhao");
}

#[test]
fn the_profile_form_shows_full_numbers_and_is_audited() {
    let fx = fixture();
    let mut app = login(&fx.service, Lang::En, "wang", PASSWORD);
    open_watch_list(&mut app);
    key(&mut app, KeyCode::Enter);
    assert!(reveals(&fx.service).is_empty());
    key(&mut app, KeyCode::Char('E'));
    let s = screen(&app, 120, 40);
    assert!(s.contains("220182198001081234"), "{s}");
    assert!(s.contains("13812345678"), "{s}");
    assert_eq!(
        reveals(&fx.service).len(),
        1,
        "opening the form is a reveal"
    );
    key(&mut app, KeyCode::Esc);
    let s = screen(&app, 120, 40);
    assert!(
        s.contains("220182********1234"),
        "masked again behind the form:\n{s}"
    );
    assert!(!s.contains("220182198001081234"), "{s}");
}
