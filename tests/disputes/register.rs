//! The register's filters and sorting, from its index.

use super::*;

#[test]
fn the_register_filters_and_sorts_from_its_index() {
    let b = Bureau::new();
    let s = &b.service;
    let (o, chief) = (&b.officer_a, &b.chief_a);
    let zhang = common::create_person(s, o, "张三", "东关村");
    let li = common::create_person(s, o, "李四", "东关村");
    let (p, q) = fresh_pair(&b, o);
    let (x, y) = fresh_pair(&b, o);

    // D1: land, blue, reported. D2: debt, red, accepted (deadline 11-30). D3: land,
    // yellow, the colleague's, accepted next day as complex (deadline 12-11).
    let d1 = register(s, o, "宅基地边界纠纷", &[&zhang, &li], &[]);
    let mut debt = common::disputes::land_draft("民间借贷纠纷", &[&p, &q], &["weapons"]);
    debt.category = "04".into();
    debt.subcategory.clear();
    debt.village = "西街社区".into();
    let d2 = s.register_dispute(o, &debt, None, None).expect("debt");
    let d2 = act(&b, o, &d2, Accept).expect("accept");
    b.clock.advance(Duration::days(1));
    let mut big = common::disputes::land_draft("承包地流转纠纷", &[&x, &y], &["large_amount"]);
    big.complexity = Complexity::Complex;
    let d3 = s
        .register_dispute(chief, &big, Some(b.officer_a2.officer()), None)
        .expect("for the colleague");
    let d3 = act(&b, chief, &d3, Accept).expect("accept");
    // Station B's dispute stays out of station A's register.
    let (u, v) = fresh_pair(&b, &b.officer_b);
    let d5 = register(s, &b.officer_b, "河西纠纷", &[&u, &v], &[]);

    let ids = |who: &Session, filter: RegisterFilter, sort: RegisterSort| {
        s.dispute_register(who, &filter, sort)
            .expect("register")
            .into_iter()
            .map(|r| r.summary.id)
            .collect::<Vec<_>>()
    };
    let (i1, i2, i3, i5) = (d1.meta.id, d2.meta.id, d3.meta.id, d5.meta.id);
    let all = RegisterFilter::default();
    assert_eq!(ids(chief, all.clone(), RegisterSort::Risk), [i2, i3, i1]);
    assert_eq!(
        ids(chief, all.clone(), RegisterSort::Deadline),
        [i2, i3, i1]
    );
    assert_eq!(ids(chief, all.clone(), RegisterSort::Reported)[0], i3);
    let by = |f: RegisterFilter| ids(chief, f, RegisterSort::Risk);
    assert_eq!(
        by(RegisterFilter {
            category: Some("04".into()),
            ..Default::default()
        }),
        [i2]
    );
    assert_eq!(
        by(RegisterFilter {
            min_risk: Some(beatbook::model::RiskLevel::Yellow),
            ..Default::default()
        }),
        [i2, i3]
    );
    assert_eq!(
        by(RegisterFilter {
            officer: Some(b.officer_a2.officer()),
            ..Default::default()
        }),
        [i3]
    );
    assert_eq!(
        by(RegisterFilter {
            status: Some(Accepted),
            ..Default::default()
        }),
        [i2, i3]
    );
    // Free text: title, village, or a party's name — also in pinyin.
    for (text, want) in [
        ("借贷", vec![i2]),
        ("西街", vec![i2]),
        ("zs", vec![i1]),
        ("李四", vec![i1]),
        ("chengbao", vec![i3]),
    ] {
        assert_eq!(
            by(RegisterFilter {
                text: text.into(),
                ..Default::default()
            }),
            want,
            "{text}"
        );
    }
    // Officers read the whole station, supervisors every station.
    assert_eq!(ids(o, all.clone(), RegisterSort::Risk), [i2, i3, i1]);
    assert!(!ids(chief, all.clone(), RegisterSort::Risk).contains(&i5));
    let everyone = ids(&b.supervisor, all, RegisterSort::Risk);
    assert!([i1, i2, i3, i5].iter().all(|i| everyone.contains(i)));
    // The row names parties and officer.
    let r = row(&b, chief, &d3, &RegisterFilter::default()).expect("row");
    assert_eq!(r.officer_name, "李卫东");
    assert_eq!(r.party_names, [x.name.clone(), y.name.clone()]);
    assert_eq!(r.summary.deadline, Some(date(2026, 12, 11)));
}

/// The register as the screen reads it comes without party names, and names the rows it
/// is asked about: the same rows as the named register, the same names. Names are read
/// only for rows of a station the session may read; a party registered at another
/// station is named only when a dispute it is party to is readable.
#[test]
fn the_unnamed_register_is_named_on_request_within_the_sessions_reach() {
    let b = Bureau::new();
    let s = &b.service;
    let (o, ob) = (&b.officer_a, &b.officer_b);
    let (p, q) = fresh_pair(&b, o);
    register(s, o, "宅基地边界纠纷", &[&p, &q], &[]);
    register(s, o, "邻里噪音纠纷", &[&q, &b.person_a], &[]);
    let (x, y) = fresh_pair(&b, ob);
    register(s, ob, "河西邻里纠纷", &[&x, &y], &[]);

    let filter = RegisterFilter::default();
    let named = s
        .dispute_register(o, &filter, RegisterSort::Risk)
        .expect("named");
    let unnamed = s
        .dispute_register_unnamed(o, &filter, RegisterSort::Risk)
        .expect("unnamed");
    assert_eq!(named.len(), 2);
    assert!(unnamed.iter().all(|r| r.party_names.is_empty()));
    let bare = |rows: &[RegisterRow]| -> Vec<RegisterRow> {
        rows.iter()
            .map(|r| RegisterRow {
                party_names: Vec::new(),
                ..r.clone()
            })
            .collect()
    };
    assert_eq!(bare(&named), unnamed);
    let names = s
        .register_party_names(o, unnamed.iter().map(|r| &r.summary))
        .expect("names");
    for row in &named {
        let read: Vec<String> = row
            .summary
            .parties
            .iter()
            .map(|p| names[p].clone())
            .collect();
        assert_eq!(read, row.party_names);
    }
    assert_eq!(names[&b.person_a.meta.id], b.person_a.name);

    // Station B's rows are not station A's to name; an administrator names none.
    let theirs = s
        .dispute_register_unnamed(ob, &filter, RegisterSort::Risk)
        .expect("station B");
    for session in [o, &b.admin] {
        let e = refusal(
            "another station's names",
            s.register_party_names(session, theirs.iter().map(|r| &r.summary)),
        );
        assert!(matches!(e, ServiceError::Forbidden(_)), "{e:?}");
    }
    // A row made up to pass as station A's does not name station B's residents (a party
    // registered at another station is named only when party to a readable dispute).
    let mut forged = unnamed[0].summary.clone();
    forged.parties = vec![x.meta.id];
    let names = s
        .register_party_names(o, [&forged])
        .expect("names of a forged row");
    assert_eq!(names[&x.meta.id], "?");
    // The supervisor reads every station.
    let all = s
        .register_party_names(&b.supervisor, theirs.iter().map(|r| &r.summary))
        .expect("supervisor");
    assert_eq!(all[&x.meta.id], x.name);
}
