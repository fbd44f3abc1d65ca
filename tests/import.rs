//! `import persons` through the service: a GBK roster with Chinese headers, bad rows with
//! line numbers, all-or-nothing, partial, dry run, re-import as a no-op, conflicts kept.

use crate::common;

use beatbook::import::ImportProblem;
use beatbook::model::{RiskLevel, ValidationError};
use beatbook::service::ImportOptions;
use beatbook::store::Kind;
use common::{date, import, resident_id, Bureau};

fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable, "test text must be GBK-encodable");
    bytes.into_owned()
}

fn roster(rows: &[String]) -> String {
    let mut s = String::from("姓名,性别,出生日期,身份证号码,联系电话,现住址,村（社区）,人员类别,风险等级,纳入依据,责任民警\r\n");
    for r in rows {
        s.push_str(r);
        s.push_str("\r\n");
    }
    s
}

fn good_rows() -> Vec<String> {
    vec![
        format!("王建国,男,1980-03-15,{},13812345678,城关镇东街12号,东街社区,涉稳、重点上访,红色,多次扬言进京上访,wang.a", resident_id(date(1980, 3, 15), 123)),
        format!("刘秀兰,女,1975/11/2,{},0739-5123456,城关镇西街3号,西街社区,严重精神障碍,橙,家属反映情绪不稳,wang.a", resident_id(date(1975, 11, 2), 234)),
        format!("陈志强,男,,{},13987654321,白云村二组,白云村,刑满释放,黄色,2025年刑满释放,", resident_id(date(1990, 7, 7), 345)),
    ]
}

#[test]
fn a_gbk_roster_imports_once_and_again_changes_nothing() {
    let b = Bureau::new();
    let bytes = gbk(&roster(&good_rows()));
    let before = b.snapshot();
    let report = import(&b, &bytes, ImportOptions::default());
    assert_eq!(report.encoding, "GB18030");
    assert_eq!(
        (report.rows, report.created, report.flagged),
        (3, 3, 3),
        "{report:?}"
    );
    assert!(report.rejected.is_empty() && report.written);
    let after = b.snapshot();
    assert_eq!(after.persons, before.persons + 3);
    assert_eq!(b.store().count(Kind::Flag), 3);
    assert_eq!(
        after.visits,
        before.visits + 3,
        "every flagged person gets a rolling visit"
    );
    let levels: Vec<RiskLevel> = b
        .store()
        .all::<beatbook::model::WatchFlag>()
        .map(|f| f.expect("flag").level)
        .collect();
    assert!(levels.contains(&RiskLevel::Red) && levels.contains(&RiskLevel::Orange));
    common::assert_indexes_ok(b.store());

    // The same file again: nothing new, nothing changed.
    let again = import(&b, &bytes, ImportOptions::default());
    assert_eq!(
        (again.created, again.completed, again.flagged),
        (0, 0, 0),
        "{again:?}"
    );
    assert_eq!(again.unchanged, 3);
    assert_eq!(again.changed, 0, "a re-run writes nothing");
    assert!(
        report.changed >= 9,
        "persons, flags and visits were written: {report:?}"
    );
    assert_eq!(b.snapshot().persons, after.persons);
    assert_eq!(b.snapshot().visits, after.visits);
}

#[test]
fn bad_rows_are_reported_by_line_and_nothing_is_written_unless_partial() {
    let b = Bureau::new();
    let mut rows = good_rows();
    rows.push("张三,男,1980-01-01,110105198001010011,,,,涉稳,红,依据,".into()); // wrong check digit
    rows.push(format!(
        "李四,男,,{},,,,涉毒,紫色,依据,",
        resident_id(date(1985, 5, 5), 11)
    )); // unknown level
    rows.push("王五,男,2026-02-30,,,,,,,,".into()); // impossible date
    rows.push(format!(",男,,{},,,,,,,", resident_id(date(1970, 1, 1), 13))); // empty name
    rows.push("赵六,男,,1.10105E+17,,,,,,,".to_string()); // Excel destroyed the number
    let bytes = gbk(&roster(&rows));
    let before = b.snapshot();
    let report = import(&b, &bytes, ImportOptions::default());
    let lines: Vec<usize> = report.rejected.iter().map(|p| p.line).collect();
    for line in [5, 6, 7, 8, 9] {
        assert!(
            lines.contains(&line),
            "line {line} reported: {:?}",
            report.rejected
        );
    }
    assert!(report.rejected.iter().any(|p| matches!(
        p.problem,
        ImportProblem::Invalid(ValidationError::IdNumberCheck { .. })
    )));
    assert!(report
        .rejected
        .iter()
        .any(|p| matches!(p.problem, ImportProblem::UnknownLevel(_))));
    assert!(report
        .rejected
        .iter()
        .any(|p| matches!(p.problem, ImportProblem::ExcelScientific(_))));
    assert!(!report.written);
    assert_eq!(b.snapshot(), before, "all or nothing");

    let dry = import(
        &b,
        &bytes,
        ImportOptions {
            dry_run: true,
            partial: true,
        },
    );
    assert!(!dry.written);
    assert_eq!(b.snapshot(), before, "a dry run writes nothing");

    let partial = import(
        &b,
        &bytes,
        ImportOptions {
            dry_run: false,
            partial: true,
        },
    );
    assert!(partial.written);
    assert_eq!(partial.created, 3);
    assert_eq!(b.snapshot().persons, before.persons + 3);
}

#[test]
fn differing_values_are_reported_not_overwritten_and_empty_ones_filled() {
    let b = Bureau::new();
    let first = roster(&good_rows());
    import(&b, first.as_bytes(), ImportOptions::default());
    // Same people: a different phone for 王建国, an address for 陈志强 unchanged.
    let mut rows = good_rows();
    rows[0] = rows[0].replace("13812345678", "13900001111");
    let report = import(&b, roster(&rows).as_bytes(), ImportOptions::default());
    assert_eq!(report.conflicts.len(), 1, "{:?}", report.conflicts);
    assert_eq!(report.conflicts[0].line, 2);
    let person = b
        .store()
        .all::<beatbook::model::Person>()
        .map(|p| p.expect("person"))
        .find(|p| p.name == "王建国")
        .expect("imported");
    assert_eq!(
        person.phone.map(String::from).as_deref(),
        Some("13812345678"),
        "kept as on record"
    );
}

#[test]
fn supervisors_cannot_import() {
    let b = Bureau::new();
    let err = b
        .service
        .import_persons(
            &b.supervisor,
            roster(&good_rows()).as_bytes(),
            ImportOptions::default(),
            &mut |_, _| {},
        )
        .expect_err("read-only role");
    assert!(
        matches!(err, beatbook::service::ServiceError::Forbidden(_)),
        "{err:?}"
    );
}
