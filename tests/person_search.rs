//! Person search through the service, as every person picker uses it: Chinese name, full
//! pinyin, initials and prefixes under every reading of a surname, namesakes told apart
//! on their cards, station scope, and an index kept current by every person write.

use crate::common;

use beatbook::model::{Gender, Person, PersonDraft};
use beatbook::service::{Forbidden, PersonCard, ServiceError, Session};
use common::{date, resident_id, Bureau};

fn person(b: &Bureau, session: &Session, name: &str, village: &str, id: String) -> Person {
    b.service
        .create_person(
            session,
            &PersonDraft {
                name: name.into(),
                id_number: id,
                village: village.into(),
                address: format!("{village}5号"),
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn search(b: &Bureau, session: &Session, query: &str) -> Vec<PersonCard> {
    b.service
        .search_persons(session, query, 20, false)
        .unwrap_or_else(|e| panic!("search {query}: {e}"))
}

fn names(cards: &[PersonCard]) -> Vec<&str> {
    cards.iter().map(|c| c.name.as_str()).collect()
}

#[test]
fn names_pinyin_initials_and_every_reading_of_a_surname() {
    let b = Bureau::new();
    let o = &b.officer_a;
    // Station A already has 张三丰; add 张三, 曾小明, two namesakes 王伟, and a 张三 at
    // station B.
    let zhang_san = person(&b, o, "张三", "东关村", resident_id(date(1980, 3, 1), 11));
    let zeng = person(
        &b,
        o,
        "曾小明",
        "西街社区",
        resident_id(date(1975, 6, 9), 13),
    );
    let wang1 = person(&b, o, "王伟", "东关村", resident_id(date(1962, 1, 20), 15));
    let wang2 = person(&b, o, "王伟", "南湖村", resident_id(date(1991, 8, 8), 24));
    let zhang_b = person(
        &b,
        &b.officer_b,
        "张三",
        "河西村",
        resident_id(date(1984, 2, 2), 17),
    );

    // 张三 by initials, full pinyin, the characters and a pinyin prefix.
    for q in ["zs", "zhangsan", "张三", "zhang", "ZhangSan", " zs "] {
        let hits = search(&b, o, q);
        assert!(
            hits.iter().any(|c| c.id == zhang_san.meta.id),
            "{q:?} finds 张三: {:?}",
            names(&hits)
        );
        assert!(
            hits.iter().all(|c| c.station == b.station_a.meta.id),
            "{q:?}: only station A"
        );
    }
    // The exact name comes first, before the longer 张三丰.
    let hits = search(&b, o, "张三");
    assert_eq!(names(&hits)[..2], ["张三", "张三丰"]);

    // 曾 reads zeng and ceng: both find 曾小明, as do the initials under each reading.
    for q in ["zeng", "ceng", "zengxiaoming", "cengxiaoming", "zxm", "cxm"] {
        let hits = search(&b, o, q);
        assert!(
            hits.iter().any(|c| c.id == zeng.meta.id),
            "{q:?} finds 曾小明: {:?}",
            names(&hits)
        );
    }

    // Namesakes come back both, their cards telling them apart.
    let hits = search(&b, o, "王伟");
    let wangs: Vec<&PersonCard> = hits.iter().filter(|c| c.name == "王伟").collect();
    assert_eq!(wangs.len(), 2, "{:?}", names(&hits));
    let card = |p: &Person| {
        wangs
            .iter()
            .find(|c| c.id == p.meta.id)
            .copied()
            .expect("namesake found")
    };
    let (c1, c2) = (card(&wang1), card(&wang2));
    assert_eq!((c1.birth_year, c2.birth_year), (Some(1962), Some(1991)));
    assert_eq!(
        (c1.village.as_str(), c2.village.as_str()),
        ("东关村", "南湖村")
    );
    assert_ne!(c1.masked_id, c2.masked_id);
    assert_eq!(c2.gender, Gender::Female, "from the ID number");
    // Cards never carry the whole ID number.
    assert!(c1.masked_id.contains('*'), "{}", c1.masked_id);
    assert!(!c1.masked_id.contains("19620120"), "{}", c1.masked_id);
    // The ID-number tail finds one namesake only.
    let tail = &wang2.id_number.as_ref().expect("id").as_str()[12..];
    let hits = search(&b, o, tail);
    assert_eq!(
        hits.first().map(|c| c.id),
        Some(wang2.meta.id),
        "tail {tail}"
    );

    // Station scope: an officer never sees another station's persons, however they
    // search; wide search is the supervisor's.
    for q in ["zs", "zhangsan", "张三", "lxy", "李秀英", "河西村", "hexi"] {
        assert!(
            search(&b, o, q)
                .iter()
                .all(|c| c.station == b.station_a.meta.id),
            "{q:?}"
        );
        let wide = b
            .service
            .search_persons(&b.chief_a, q, 20, true)
            .expect("chief asks wide");
        assert!(
            wide.iter().all(|c| c.station == b.station_a.meta.id),
            "{q:?}: a chief's wide search stays in the station"
        );
    }
    assert!(search(&b, o, "李秀英").is_empty());
    let hits = search(&b, &b.officer_b, "zs");
    assert_eq!(names(&hits), ["张三"]);
    assert_eq!(hits[0].id, zhang_b.meta.id);
    let wide = b
        .service
        .search_persons(&b.supervisor, "张三", 20, true)
        .expect("supervisor wide");
    assert!(wide.iter().any(|c| c.id == zhang_b.meta.id));
    assert!(wide.iter().any(|c| c.id == zhang_san.meta.id));
    let narrow = b
        .service
        .search_persons(&b.supervisor, "张三", 20, false)
        .expect("supervisor narrow");
    assert!(narrow.iter().all(|c| c.station == b.station_a.meta.id));
    assert!(matches!(
        b.service.search_persons(&b.admin, "张三", 20, true),
        Err(ServiceError::Forbidden(Forbidden::NoCaseData))
    ));
}

#[test]
fn a_new_person_is_found_at_once_without_a_rebuild() {
    let b = Bureau::new();
    let o = &b.officer_a;
    // The first search builds the index.
    assert!(search(&b, o, "赵六").is_empty());
    assert!(search(&b, o, "zhaoliu").is_empty());
    let zhao = person(&b, o, "赵六", "北门村", resident_id(date(1990, 5, 5), 31));
    for q in ["赵六", "zhaoliu", "zl", "北门村"] {
        assert_eq!(
            search(&b, o, q).first().map(|c| c.id),
            Some(zhao.meta.id),
            "{q:?}"
        );
    }
    // A person of another station joins that station's results only.
    let other = person(
        &b,
        &b.officer_b,
        "赵六",
        "河西村",
        resident_id(date(1991, 5, 5), 33),
    );
    assert_eq!(
        search(&b, o, "赵六")
            .iter()
            .map(|c| c.id)
            .collect::<Vec<_>>(),
        [zhao.meta.id]
    );
    assert_eq!(
        search(&b, &b.officer_b, "赵六")
            .iter()
            .map(|c| c.id)
            .collect::<Vec<_>>(),
        [other.meta.id]
    );
}

/// The screens prepare the index on a background thread as they start: prepared once,
/// it holds the persons already stored and keeps up with new ones, as if built by the
/// first search.
#[test]
fn a_prepared_index_finds_old_and_new_persons() {
    let b = Bureau::new();
    let o = &b.officer_a;
    let old = person(&b, o, "钱七", "南关村", resident_id(date(1980, 2, 2), 41));
    std::thread::scope(|scope| {
        scope
            .spawn(|| b.service.prepare_person_search(o))
            .join()
            .expect("no panic")
            .expect("prepared");
    });
    let new = person(&b, o, "钱八", "南关村", resident_id(date(1981, 3, 3), 43));
    assert_eq!(
        search(&b, o, "qian")
            .iter()
            .map(|c| c.id)
            .collect::<std::collections::BTreeSet<_>>(),
        [old.meta.id, new.meta.id].into_iter().collect()
    );
}

/// An officer's login prepares only the station's persons (a fifth of a bureau's memory);
/// a supervisor's wide search and another station's officer then widen the index, and
/// nobody's search reaches past what the account may search.
#[test]
fn the_index_holds_the_scope_asked_for_and_widens_on_demand() {
    let b = Bureau::new();
    let (a, other) = (&b.officer_a, &b.officer_b);
    let here = person(&b, a, "钱七", "南关村", resident_id(date(1980, 2, 2), 41));
    b.service.prepare_person_search(a).expect("prepared");
    assert_eq!(names(&search(&b, a, "钱七")), ["钱七"]);
    assert!(
        search(&b, a, "李秀英").is_empty(),
        "another station's person"
    );
    let wide = b
        .service
        .search_persons(&b.supervisor, "李秀英", 20, true)
        .expect("supervisor searches every station");
    assert_eq!(names(&wide), ["李秀英"]);
    assert_eq!(names(&search(&b, other, "李秀英")), ["李秀英"]);
    assert!(search(&b, other, "钱七").is_empty(), "{here:?}");
}

/// The index a login builds is read from the persons-by-station entries alone, not the
/// records (issue 16): after a reopen, persons are found by the end of the phone and of
/// the ID number, a duplicate merged away is not found, and no other station's person is.
#[test]
fn an_index_built_from_the_station_entries_finds_number_tails_but_no_merged_duplicate() {
    let b = Bureau::new();
    let o = &b.officer_a;
    let id_number = resident_id(date(1979, 4, 4), 51);
    let kept = b
        .service
        .create_person(
            o,
            &PersonDraft {
                name: "孙九".into(),
                id_number: id_number.clone(),
                phone: "13912398761".into(),
                village: "东关村".into(),
                ..Default::default()
            },
        )
        .expect("kept");
    let duplicate = person(&b, o, "孙九", "东关村", resident_id(date(1979, 4, 4), 53));
    let other_station = b
        .service
        .create_person(
            &b.officer_b,
            &PersonDraft {
                name: "孙十".into(),
                phone: "13999995678".into(),
                ..Default::default()
            },
        )
        .expect("station B's person");
    b.service
        .merge_persons(&b.chief_a, kept.meta.id, duplicate.meta.id)
        .expect("merged");
    let b = b.reopen_fixed(common::start_time());
    let o = &b.officer_a;
    let ids = |cards: Vec<PersonCard>| cards.into_iter().map(|c| c.id).collect::<Vec<_>>();
    assert_eq!(
        ids(search(&b, o, "2398761")),
        vec![kept.meta.id],
        "phone tail"
    );
    let id_tail = &id_number[id_number.len() - 6..];
    assert_eq!(ids(search(&b, o, id_tail)), vec![kept.meta.id], "ID tail");
    assert_eq!(
        ids(search(&b, o, "孙九")),
        vec![kept.meta.id],
        "the merged one is gone"
    );
    assert!(!ids(search(&b, o, "孙十")).contains(&other_station.meta.id));
}
