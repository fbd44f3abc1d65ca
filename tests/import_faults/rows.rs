//! Conflicts, rejected rows, empty files and future birth dates, told in the reader's language.

use super::*;

fn roster(rows: &[String]) -> String {
    let mut s = String::from(
        "姓名,性别,出生日期,身份证号码,联系电话,现住址,人员类别,风险等级,责任民警\r\n",
    );
    for r in rows {
        s.push_str(r);
        s.push_str("\r\n");
    }
    s
}

/// The problems of one line, in a language.
fn problems_of(report: &ImportReport, line: usize, lang: Lang) -> Vec<String> {
    report
        .rejected
        .iter()
        .filter(|p| p.line == line)
        .map(|p| p.problem.localize(lang))
        .collect()
}

/// One ID number under two names — twice in one file, or in the file and on record — is
/// rejected naming the row and both names; nothing is merged into the person on record.
#[test]
fn the_same_id_number_under_another_name_is_a_conflict_never_a_merge() {
    let b = Bureau::new();
    let id = resident_id(date(1980, 3, 15), 123);
    let before = b.snapshot();
    let twice = roster(&[
        format!("王建国,男,,{id},13812345678,,,,"),
        format!("王建华,男,,{id},,城关镇东街12号,,,"),
    ]);
    let report = import(&b, twice.as_bytes(), ImportOptions::default());
    assert!(!report.written, "{report:?}");
    assert_eq!(b.snapshot(), before, "nothing written");
    let zh = problems_of(&report, 3, Lang::Zh);
    assert!(
        zh.iter()
            .any(|m| m.contains("王建国") && m.contains("王建华") && m.contains("第 2 行")),
        "line 3 names both and line 2: {zh:?}"
    );

    // On record as 王建国; the file says 王建华 and brings an address.
    let first = roster(&[format!("王建国,男,,{id},13812345678,,,,")]);
    assert!(import(&b, first.as_bytes(), ImportOptions::default()).written);
    let other = roster(&[format!("王建华,男,,{id},,城关镇东街12号,,,")]);
    let report = import(&b, other.as_bytes(), ImportOptions::default());
    let en = problems_of(&report, 2, Lang::En);
    assert!(
        en.iter()
            .any(|m| m.contains("王建国") && m.contains("王建华")),
        "{report:?}"
    );
    let person = b
        .store()
        .all::<beatbook::model::Person>()
        .map(|p| p.expect("person"))
        .find(|p| p.id_number.as_ref().map(|n| n.as_str()) == Some(id.as_str()))
        .expect("on record");
    assert_eq!(person.name, "王建国");
    assert_eq!(
        person.address, "",
        "the other name's address was not merged in"
    );
}

/// A birth date after today is told as one, with the date — in the birth-date column
/// and inside an ID number — not as an impossible or invalid date.
#[test]
fn a_birth_date_in_the_future_is_told_as_such() {
    let b = Bureau::new();
    // The fixtures' today is 2026-11-25.
    let future_id = resident_id(date(2030, 5, 6), 125);
    let report = import(
        &b,
        roster(&[
            "李四,男,2027-03-01,,,,,,".to_string(),
            format!("王五,男,,{future_id},,,,,"),
        ])
        .as_bytes(),
        ImportOptions::default(),
    );
    for (line, date) in [(2, "2027-03-01"), (3, "2030-05-06")] {
        let en = problems_of(&report, line, Lang::En);
        assert!(
            en.iter()
                .any(|m| m.contains("in the future") && m.contains(date)),
            "line {line}: {en:?}"
        );
        let zh = problems_of(&report, line, Lang::Zh);
        assert!(
            zh.iter()
                .any(|m| m.contains("晚于今天") && m.contains(date)),
            "line {line}: {zh:?}"
        );
    }
}

/// "N rows rejected" counts rows: a row with three problems is one row, and all three
/// problems are listed.
#[test]
fn a_row_with_three_problems_is_one_rejected_row() {
    let root = tempfile::tempdir().expect("tempdir");
    let data = root.path().join("data");
    ok(beatbook(&data, "en_US.UTF-8").arg("demo"));
    let file = root.path().join("bad.csv");
    let good = resident_id(date(1980, 3, 15), 123);
    std::fs::write(
        &file,
        format!(
            "姓名,出生日期,身份证号,联系电话\n段伟,,{good},\n合计:3,45000,1.10105E+17,13812345678.0\n"
        ),
    )
    .expect("write");
    let out = run(&mut import_cmd(&data, &file, "en_US.UTF-8"));
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("1 rows rejected"), "{stdout}");
    let listed = stdout.lines().filter(|l| l.starts_with("  line 3")).count();
    assert!(listed >= 3, "every problem of the row listed: {stdout}");
}

/// A file with a header and no rows, or with nothing at all, is refused with exit 1
/// saying there are no rows, in either language.
#[test]
fn a_file_without_rows_exits_1_saying_no_rows() {
    let root = tempfile::tempdir().expect("tempdir");
    let data = root.path().join("data");
    ok(beatbook(&data, "en_US.UTF-8").arg("demo"));
    for (name, content) in [
        ("header.csv", "姓名,身份证号,联系电话\n"),
        ("header_blank.csv", "姓名,身份证号,联系电话\r\n\r\n,,\r\n"),
        ("empty.csv", ""),
    ] {
        let file = root.path().join(name);
        std::fs::write(&file, content).expect("write");
        for (lang, says) in [("en_US.UTF-8", "no rows"), ("zh_CN.UTF-8", "没有数据行")] {
            let out = run(&mut import_cmd(&data, &file, lang));
            let stderr = text(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{name} {lang}: {stderr}");
            assert!(stderr.contains(says), "{name} {lang}: {stderr}");
            assert!(!stderr.contains("panicked"), "{stderr}");
        }
    }
}

/// A conflict's values are words of the reader's language: 女 and 蓝, never the Rust
/// names `Female` and `Blue`.
#[test]
fn conflicts_show_gender_and_level_in_the_readers_language() {
    let root = tempfile::tempdir().expect("tempdir");
    let data = root.path().join("data");
    ok(beatbook(&data, "en_US.UTF-8").arg("demo"));
    let id = resident_id(date(1975, 11, 2), 234);
    let first = root.path().join("first.csv");
    std::fs::write(
        &first,
        format!("姓名,性别,出生日期,身份证号,类别,等级,责任民警\n刘秀兰,女,,{id},涉毒,蓝,officer\n赵敏,女,1988-02-03,,,,\n"),
    )
    .expect("write");
    ok(&mut import_cmd(&data, &first, "zh_CN.UTF-8"));
    let second = root.path().join("second.csv");
    std::fs::write(
        &second,
        format!("姓名,性别,出生日期,身份证号,类别,等级,责任民警\n刘秀兰,女,,{id},涉毒,红,officer\n赵敏,男,1988-02-03,,,,\n"),
    )
    .expect("write");
    let out = ok(&mut import_cmd(&data, &second, "zh_CN.UTF-8"));
    let stdout = text(&out.stdout);
    for shown in ["「蓝」", "「红」", "「女」", "「男」"] {
        assert!(stdout.contains(shown), "{shown}: {stdout}");
    }
    for debug in ["Female", "Male", "Blue", "Red"] {
        assert!(!stdout.contains(debug), "{debug}: {stdout}");
    }
}
