//! The same resident registered offline on two terminals: after the rounds it is one
//! "possible duplicate" item on both (the second copy pulled keeps its ID number aside,
//! nothing is refused or lost); the chief merges on one terminal; after the next rounds
//! every linked record points to the kept person on every terminal, the duplicate says
//! where it went, and the stores check clean.

use crate::common::hub::{station_id, TestHub};
use crate::common::{assert_indexes_ok, fresh_resident_id, schedule};
use beatbook::model::{Id, Person, PersonDraft, Visit};
use beatbook::service::{DuplicateReason, JoinAs, Service, ServiceError, Session};

fn cg() -> JoinAs {
    JoinAs::Station("CG".into())
}

fn register(service: &Service, session: &Session, id_number: &str, notes: &str) -> Person {
    service
        .create_person(
            session,
            &PersonDraft {
                name: "李重名".into(),
                id_number: id_number.into(),
                phone: "13900001111".into(),
                address: "城关镇西街5号".into(),
                village: "西街社区".into(),
                notes: notes.into(),
                ..Default::default()
            },
        )
        .expect("registered")
}

fn person(service: &Service, id: Id) -> Person {
    service.store().get(id).expect("read").expect("person")
}

#[test]
fn a_resident_registered_on_two_terminals_is_one_item_and_a_merge_reaches_every_terminal() {
    let Some(hub) = TestHub::with_demo() else {
        return;
    };
    let (t1, t2) = (hub.terminal(cg()), hub.terminal(cg()));
    let (o1, o2) = (t1.login("officer"), t2.login("cg.zhaolei"));
    let number = fresh_resident_id();
    // Both offline: the same resident, once on each terminal, with a visit on the second.
    let first = register(&t1.service, &o1, &number, "一号终端登记");
    let second = register(&t2.service, &o2, &number, "二号终端登记");
    let visit = schedule(&t2.service, &o2, second.meta.id, "2026-11-28", None);
    t1.sync();
    t2.sync();
    t1.sync();

    // Nothing refused, nothing lost: both terminals hold both records, and one item.
    for t in [&t1, &t2] {
        let chief = t.login("chief");
        let items = t.service.possible_duplicates(&chief).expect("duplicates");
        assert_eq!(items.len(), 1, "{items:?}");
        assert_eq!(items[0].reason, DuplicateReason::SameIdNumber);
        let ids = [items[0].first.id, items[0].second.id];
        assert!(ids.contains(&first.meta.id) && ids.contains(&second.meta.id));
        assert!(!format!("{items:?}").contains(&number), "ID number masked");
        assert_eq!(person(&t.service, second.meta.id).notes, "二号终端登记");
        assert_eq!(person(&t.service, first.meta.id).notes, "一号终端登记");
        assert_indexes_ok(t.service.store());
    }
    // Officers see it too but only the chief merges.
    assert!(matches!(
        t1.service.merge_persons(&o1, first.meta.id, second.meta.id),
        Err(ServiceError::Forbidden(_))
    ));

    // The chief merges on terminal 1, keeping the first registration.
    let chief = t1.login("chief");
    let kept = t1
        .service
        .merge_persons(&chief, first.meta.id, second.meta.id)
        .expect("merged");
    assert_eq!(kept.merged.len(), 1);
    assert_eq!(kept.merged[0].notes, "二号终端登记");
    t1.sync();
    t2.sync();
    t1.sync();

    let cg_id = station_id(t1.service.store(), "CG");
    assert_eq!(t1.records(&[cg_id.as_str()]), t2.records(&[cg_id.as_str()]));
    for t in [&t1, &t2] {
        let chief = t.login("chief");
        assert!(t
            .service
            .possible_duplicates(&chief)
            .expect("duplicates")
            .is_empty());
        let kept = person(&t.service, first.meta.id);
        assert_eq!(
            kept.id_number.as_ref().map(|n| n.as_str().to_string()),
            Some(number.clone())
        );
        assert_eq!(kept.merged[0].id, second.meta.id);
        let gone = person(&t.service, second.meta.id);
        assert_eq!(gone.merged_into, Some(first.meta.id));
        assert!(gone.id_number.is_none() && gone.held_id_number.is_none());
        let v: Visit = t
            .service
            .store()
            .get(visit.meta.id)
            .expect("read")
            .expect("visit");
        assert_eq!(v.subject.person, Some(first.meta.id), "the visit follows");
        // The duplicate is found no more; the kept person is.
        let found = t.service.residents(&chief, "李重名").expect("search");
        let ids: Vec<Id> = found.iter().map(|r| r.card.id).collect();
        assert!(ids.contains(&first.meta.id), "{ids:?}");
        assert!(!ids.contains(&second.meta.id), "{ids:?}");
        assert_indexes_ok(t.service.store());
        assert!(t.service.sync_conflicts().expect("conflicts").is_empty());
    }
    // Audited on the terminal that merged.
    let log = t1
        .service
        .audit_page(&chief, &Default::default(), None)
        .expect("audit");
    assert!(log.rows.iter().any(|r| r.entry.action == "person.merge"));
}

#[test]
fn the_same_name_and_birth_date_is_listed_and_merging_needs_the_chief_of_the_station() {
    let Some(hub) = TestHub::with_demo() else {
        return;
    };
    let t1 = hub.terminal(cg());
    let o1 = t1.login("officer");
    let make = |notes: &str| {
        t1.service
            .create_person(
                &o1,
                &PersonDraft {
                    name: "王同名".into(),
                    birth_date: "1980-05-06".into(),
                    village: "东街社区".into(),
                    notes: notes.into(),
                    ..Default::default()
                },
            )
            .expect("registered")
    };
    let (a, b) = (make("甲"), make("乙"));
    let chief = t1.login("chief");
    let items = t1.service.possible_duplicates(&chief).expect("duplicates");
    let ours: Vec<_> = items.iter().filter(|i| i.first.name == "王同名").collect();
    assert_eq!(ours.len(), 1, "{items:?}");
    assert_eq!(ours[0].reason, DuplicateReason::SameNameAndBirthDate);
    assert!(matches!(
        t1.service.merge_persons(&chief, a.meta.id, a.meta.id),
        Err(ServiceError::MergeSamePerson)
    ));
    t1.service
        .merge_persons(&chief, b.meta.id, a.meta.id)
        .expect("merged");
    assert!(matches!(
        t1.service.merge_persons(&chief, b.meta.id, a.meta.id),
        Err(ServiceError::MergeAlreadyMerged)
    ));
    // A supervisor terminal reads but cannot merge.
    let sup = hub.terminal(JoinAs::Bureau);
    let s = sup.login("supervisor");
    assert!(sup.service.merge_persons(&s, b.meta.id, a.meta.id).is_err());
}
