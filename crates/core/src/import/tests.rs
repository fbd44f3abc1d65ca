//! Whole-file tests against the fixtures in `tests/fixtures/import/`.

use super::*;
use beatbook_i18n::{Lang, Localize};
use beatbook_model::{Field, Gender, RiskLevel, ValidationError};

const GBK: &[u8] = include_bytes!("../../../../tests/fixtures/import/gbk_chinese_headers.csv");
const ENGLISH: &[u8] = include_bytes!("../../../../tests/fixtures/import/utf8_bom_english.csv");
const BAD: &[u8] = include_bytes!("../../../../tests/fixtures/import/bad_rows.csv");
const TRUNCATED: &[u8] = include_bytes!("../../../../tests/fixtures/import/truncated.csv");

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).expect("date")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("test date")
}

/// The problems as (line, column, problem) for compact assertions.
fn located(problems: &[RowProblem]) -> Vec<(usize, Option<&str>, &ImportProblem)> {
    problems
        .iter()
        .map(|p| (p.line, p.column.as_deref(), &p.problem))
        .collect()
}

#[test]
fn gbk_file_with_chinese_headers() {
    let file = parse_persons_csv(GBK).expect("readable");
    assert_eq!(file.encoding, "GB18030");
    assert_eq!(file.header_line, 1);
    let kinds: Vec<Column> = file.columns.iter().map(|(_, c)| *c).collect();
    assert_eq!(
        kinds,
        vec![
            Column::Ignored,
            Column::Name,
            Column::Gender,
            Column::BirthDate,
            Column::IdNumber,
            Column::Phone,
            Column::Address,
            Column::Village,
            Column::Categories,
            Column::Level,
            Column::Basis,
            Column::Source,
            Column::Responsible,
            Column::NextReview,
            Column::Notes,
        ]
    );
    assert_eq!(file.columns[0].0, "序号");
    assert_eq!(file.header_of(Column::IdNumber), Some("身份证号码"));
    assert!(file.problems.is_empty() && !file.truncated);
    assert_eq!(file.blank_lines, 0);
    let checked = file.validate(today());
    assert!(checked.problems.is_empty(), "{:?}", checked.problems);
    let rows = &checked.valid;
    assert_eq!(rows.len(), 3);
    let wang = &rows[0];
    assert_eq!(wang.line, 2);
    assert_eq!(wang.person.name, "王建国");
    assert_eq!(wang.person.gender, Gender::Male);
    assert_eq!(wang.person.village, "东街社区");
    assert_eq!(wang.categories, vec!["涉稳", "重点上访"]);
    assert_eq!(wang.level, Some(RiskLevel::Red));
    assert_eq!(wang.basis, "多次扬言到省进京上访");
    assert_eq!(wang.source, "排查");
    assert_eq!(wang.responsible, "zhangwei");
    assert_eq!(wang.next_review, Some(date(2026, 12, 1)));
    let liu = &rows[1];
    assert_eq!(liu.person.birth_date, Some(date(1975, 11, 2)));
    assert_eq!(
        liu.person.phone.as_ref().map(|p| p.as_str()),
        Some("0739-5123456")
    );
    assert_eq!(liu.level, Some(RiskLevel::Orange));
    assert_eq!(liu.person.notes, "监护人：其子");
    assert_eq!(liu.next_review, Some(date(2027, 1, 15)));
    let chen = &rows[2];
    // Birth date left empty: taken from the ID number.
    assert_eq!(chen.person.birth_date, Some(date(1990, 7, 7)));
    assert_eq!(chen.next_review, Some(date(2027, 3, 1)));
}

#[test]
fn gbk_encoded_in_memory_reads_like_utf8() {
    let text = "姓名,身份证号,等级\r\n王建国,430521198003151230,红\r\n";
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    let from_gbk = parse_persons_csv(&gbk).expect("gbk");
    let from_utf8 = parse_persons_csv(text.as_bytes()).expect("utf-8");
    assert_eq!(from_gbk.encoding, "GB18030");
    assert_eq!(from_utf8.encoding, "UTF-8");
    assert_eq!(from_gbk.rows, from_utf8.rows);
    assert_eq!(from_gbk.columns, from_utf8.columns);
}

#[test]
fn utf8_with_bom_english_headers_and_quoted_cells() {
    let file = parse_persons_csv(ENGLISH).expect("readable");
    assert_eq!(file.encoding, "UTF-8 (BOM)");
    assert_eq!(file.columns[0], ("name".to_string(), Column::Name));
    assert_eq!(file.header_of(Column::Responsible), Some("officer"));
    let checked = file.validate(today());
    assert!(checked.problems.is_empty(), "{:?}", checked.problems);
    let [zhao, sun] = checked.valid.as_slice() else {
        panic!("two rows expected, got {:?}", checked.valid);
    };
    assert_eq!(zhao.line, 2);
    assert_eq!(zhao.person.gender, Gender::Female);
    assert_eq!(zhao.person.address, "Room 2, Building 5, Riverside Road");
    assert_eq!(zhao.basis, "Suspended sentence,\nreports monthly");
    assert_eq!(zhao.person.notes, "said \"fine\" on the phone");
    assert_eq!(
        zhao.person.phone.as_ref().map(|p| p.as_str()),
        Some("13800001111")
    );
    assert_eq!(zhao.level, Some(RiskLevel::Orange));
    assert_eq!(zhao.categories, vec!["community correction"]);
    // The quoted line break moves the next row to line 4.
    assert_eq!(sun.line, 4);
    assert_eq!(sun.person.name, "孙立军");
    assert_eq!(sun.categories, vec!["drug-related", "other"]);
    assert_eq!(sun.level, Some(RiskLevel::Blue));
    assert_eq!(sun.next_review, None);
    assert_eq!(sun.person.phone, None);
}

#[test]
fn bad_rows_reported_with_line_and_column() {
    let file = parse_persons_csv(BAD).expect("readable");
    assert_eq!(file.encoding, "UTF-8");
    assert_eq!(
        file.header_line, 2,
        "the title row above the header is skipped"
    );
    // Line 4 is empty, line 5 is an all-empty spreadsheet row.
    assert_eq!(file.blank_lines, 2);
    assert!(!file.truncated);
    let checked = file.validate(today());
    let valid: Vec<(usize, &str)> = checked
        .valid
        .iter()
        .map(|r| (r.line, r.person.name.as_str()))
        .collect();
    assert_eq!(valid, vec![(3, "李秀英"), (12, "吴十")]);
    let li = &checked.valid[0];
    assert_eq!(
        li.person.id_number.as_ref().map(|i| i.as_str()),
        Some("11010519491231002X")
    );
    assert_eq!(
        li.person.phone.as_ref().map(|p| p.as_str()),
        Some("13812345678")
    );
    // 出生年月 1975.11 agrees with the ID number, which supplies the day.
    assert_eq!(checked.valid[1].person.birth_date, Some(date(1975, 11, 2)));

    use ImportProblem::*;
    assert_eq!(
        located(&checked.problems),
        vec![
            (6, Some("身份证号"), &ExcelScientific("1.10105E+17".into())),
            (7, Some("等级"), &UnknownLevel("紫色".into())),
            (8, Some("下次评估"), &BadDate("2026-02-30".into())),
            (
                9,
                Some("身份证号"),
                &Invalid(ValidationError::IdNumberCheck { expected: 'X' })
            ),
            (
                10,
                Some("姓名"),
                &Invalid(ValidationError::Required(Field::Name))
            ),
            (
                11,
                None,
                &WrongColumnCount {
                    expected: 8,
                    found: 4
                }
            ),
            (13, Some("联系电话"), &ExcelDecimal("13812345678.0".into())),
            (14, Some("身份证号"), &ExcelZeroedId),
            (15, Some("姓名"), &NotAName("合计：12人".into())),
        ]
    );
}

#[test]
fn problems_told_in_both_languages_with_line_column_and_fix() {
    let file = parse_persons_csv(BAD).expect("readable");
    let checked = file.validate(today());
    let first = &checked.problems[0];
    let zh = first.localize(Lang::Zh);
    let en = first.localize(Lang::En);
    assert!(zh.starts_with("第 6 行「身份证号」列："), "{zh}");
    assert!(zh.contains("文本"), "{zh}");
    assert!(en.starts_with("line 6, column '身份证号': "), "{en}");
    assert!(en.contains("format the column as Text"), "{en}");
    assert_eq!(first.to_string(), en);
    for p in &checked.problems {
        for lang in [Lang::Zh, Lang::En] {
            let text = p.localize(lang);
            assert!(text.len() > 20, "{text}");
            assert!(!text.contains("{"), "{text}");
        }
    }
}

#[test]
fn a_file_cut_mid_quote_is_reported() {
    let file = parse_persons_csv(TRUNCATED).expect("readable");
    assert!(file.truncated);
    assert_eq!(file.rows.len(), 1);
    assert_eq!(file.rows[0].person.notes, "正常\n多行备注");
    assert_eq!(
        located(&file.problems),
        vec![(4, None, &ImportProblem::UnclosedQuote)]
    );
}

#[test]
fn a_file_cut_mid_row_is_reported() {
    let file =
        parse_persons_csv("姓名,性别,身份证号\n张三,男,430521198003151230\n李四,女".as_bytes())
            .expect("readable");
    assert!(file.truncated);
    assert_eq!(file.rows.len(), 1);
    assert_eq!(
        located(&file.problems),
        vec![(
            3,
            None,
            &ImportProblem::Truncated {
                expected: 3,
                found: 2
            }
        )]
    );
    // A complete last row without a final line break is fine.
    let file = parse_persons_csv("姓名,性别\n张三,男".as_bytes()).expect("readable");
    assert!(!file.truncated && file.problems.is_empty());
    assert_eq!(file.rows.len(), 1);
}

#[test]
fn padding_cells_and_shifted_rows() {
    // Excel pads rows to the used range: empty extra cells are harmless, filled ones not.
    let file =
        parse_persons_csv("姓名,性别\n张三,男,,\n李四,女,多余\n".as_bytes()).expect("readable");
    assert_eq!(file.rows.len(), 1);
    assert_eq!(
        located(&file.problems),
        vec![(
            3,
            None,
            &ImportProblem::WrongColumnCount {
                expected: 2,
                found: 3
            }
        )]
    );
}

#[test]
fn file_problems() {
    assert_eq!(parse_persons_csv(b"").err(), Some(FileProblem::Empty));
    assert_eq!(
        parse_persons_csv(b"\xEF\xBB\xBF\r\n\r\n").err(),
        Some(FileProblem::Empty)
    );
    assert_eq!(
        parse_persons_csv("性别,身份证号\n男,430521198003151230\n".as_bytes()).err(),
        Some(FileProblem::NoHeader { looked_at: 2 })
    );
    let many_titles = "标题\n".repeat(20) + "姓名\n张三\n";
    assert_eq!(
        parse_persons_csv(many_titles.as_bytes()).err(),
        Some(FileProblem::NoHeader { looked_at: 10 })
    );
    assert!(matches!(
        parse_persons_csv("姓名,手机,联系电话\n".as_bytes()),
        Err(FileProblem::DuplicateColumn {
            column: Column::Phone,
            ..
        })
    ));
    assert_eq!(
        parse_persons_csv(b"PK\x03\x04\x14\x00").err(),
        Some(FileProblem::Workbook { kind: "xlsx" })
    );
    assert_eq!(
        parse_persons_csv(&[0x00, 0x01, 0x02, 0xff, 0xfe]).err(),
        Some(FileProblem::NotText { line: 1 })
    );
    for p in [
        FileProblem::Empty,
        FileProblem::Workbook { kind: "xlsx" },
        FileProblem::NotText { line: 3 },
        FileProblem::MixedEncoding { line: 3 },
        FileProblem::NoHeader { looked_at: 10 },
        FileProblem::Unreadable { line: 3 },
    ] {
        assert!(!p.localize(Lang::Zh).is_empty());
        assert!(!p.localize(Lang::En).is_empty());
    }
}

#[test]
fn template_rows_with_only_a_serial_number_are_empty() {
    let file =
        parse_persons_csv("序号,姓名,民族\n1,张三,汉\n2,,\n3,,\n".as_bytes()).expect("readable");
    assert_eq!(file.rows.len(), 1);
    assert_eq!(file.blank_lines, 2);
    assert!(file.problems.is_empty());
}

/// Issue 11: a header without rows is a file problem ("no rows"), not an import of
/// nothing that reports success.
#[test]
fn a_header_only_file_has_no_rows() {
    for text in [
        "姓名,性别\n\n",
        "姓名,性别",
        "序号,姓名,性别\r\n12,,\r\n,,\r\n",
    ] {
        let problem = parse_persons_csv(text.as_bytes()).expect_err(text);
        assert_eq!(problem, FileProblem::NoRows, "{text:?}");
        assert!(problem.localize(Lang::En).starts_with("no rows"));
        assert!(problem.localize(Lang::Zh).contains("没有数据行"));
    }
    // Rows that are all rejected are rows: reported one by one, not as "no rows".
    let file = parse_persons_csv("姓名,性别\n张三\n".as_bytes()).expect("readable");
    assert!(file.rows.is_empty() && !file.problems.is_empty());
}

/// Issue 11: a birth date after today names the date and where it is, in the birth-date
/// column or inside the ID number.
#[test]
fn a_future_birth_date_is_told_as_such() {
    // 2030-05-06, sequence 125 (male), check character computed.
    let mut id = String::from("11010220300506125");
    id.push(beatbook_model::resident_id::check_char(id.as_bytes()).expect("17 digits"));
    let text = format!("姓名,出生日期,身份证号\n甲,2027-01-02,\n乙,,{id}\n");
    let checked = parse_persons_csv(text.as_bytes())
        .expect("readable")
        .validate(today());
    let found: Vec<_> = located(&checked.problems)
        .into_iter()
        .map(|(line, column, p)| (line, column, p.clone()))
        .collect();
    assert_eq!(
        found,
        vec![
            (
                2,
                Some("出生日期"),
                ImportProblem::BirthDateInFuture {
                    date: date(2027, 1, 2),
                    today: today(),
                    in_id_number: false
                }
            ),
            (
                3,
                Some("身份证号"),
                ImportProblem::BirthDateInFuture {
                    date: date(2030, 5, 6),
                    today: today(),
                    in_id_number: true
                }
            ),
        ]
    );
}

#[test]
fn tab_separated_utf16_unicode_text() {
    let text = "姓名\t身份证号\t等级\r\n王建国\t430521198003151230\tA级\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let file = parse_persons_csv(&bytes).expect("readable");
    assert_eq!(file.encoding, "UTF-16LE");
    let checked = file.validate(today());
    assert_eq!(checked.valid.len(), 1, "{:?}", checked.problems);
    assert_eq!(checked.valid[0].level, Some(RiskLevel::Red));
}

#[test]
fn unknown_categories_named_by_the_caller_dictionary() {
    let file =
        parse_persons_csv("姓名,人员类别\n张三,涉稳、外星人\n".as_bytes()).expect("readable");
    let checked = file.validate(today());
    let problems = unknown_categories(&checked.valid[0], &file.columns, |c| c == "涉稳");
    assert_eq!(
        located(&problems),
        vec![(
            2,
            Some("人员类别"),
            &ImportProblem::UnknownCategory("外星人".into())
        )]
    );
}

#[test]
fn birth_dates_from_spreadsheets() {
    let parse = |birth: &str, id: &str| {
        let text = format!("姓名,出生日期,身份证号\n张三,{birth},{id}\n");
        let file = parse_persons_csv(text.as_bytes()).expect("readable");
        validate_row(&file.rows[0], &file.columns, today())
    };
    let ok = |r: Result<ValidRow, Vec<RowProblem>>| r.ok().and_then(|v| v.person.birth_date);
    assert_eq!(ok(parse("1980/3/15", "")), Some(date(1980, 3, 15)));
    assert_eq!(ok(parse("1980.03.15", "")), Some(date(1980, 3, 15)));
    assert_eq!(ok(parse("19800315", "")), Some(date(1980, 3, 15)));
    assert_eq!(ok(parse("1980/3/15 0:00", "")), Some(date(1980, 3, 15)));
    assert_eq!(
        ok(parse("1980年3月", "430521198003151230")),
        Some(date(1980, 3, 15))
    );
    let problem = |r: Result<ValidRow, Vec<RowProblem>>| r.err().map(|p| p[0].problem.clone());
    assert_eq!(
        problem(parse("1980年3月", "")),
        Some(ImportProblem::PartialDate("1980年3月".into()))
    );
    assert_eq!(
        problem(parse("29295", "")),
        Some(ImportProblem::ExcelSerialDate("29295".into()))
    );
    assert_eq!(
        problem(parse("1980-02-30", "")),
        Some(ImportProblem::BadDate("1980-02-30".into()))
    );
    assert!(matches!(
        problem(parse("1981年3月", "430521198003151230")),
        Some(ImportProblem::Invalid(
            ValidationError::BirthDateMismatch { .. }
        ))
    ));
}

#[test]
fn several_problems_of_one_row_reported_together() {
    let file = parse_persons_csv(
        "姓名,身份证号,等级,下次评估\n张三,1.10105E+17,紫,2026-13-01\n".as_bytes(),
    )
    .expect("readable");
    let problems = validate_row(&file.rows[0], &file.columns, today()).expect_err("bad");
    let columns: Vec<_> = problems.iter().map(|p| p.column.as_deref()).collect();
    assert_eq!(
        columns,
        vec![Some("身份证号"), Some("等级"), Some("下次评估")]
    );
}

#[test]
fn imported_person_applies_to_a_record() {
    let file = parse_persons_csv(GBK).expect("readable");
    let checked = file.validate(today());
    let meta = beatbook_model::Meta::new(
        beatbook_model::Id::SYSTEM,
        chrono::Utc::now(),
        beatbook_model::Id::SYSTEM,
    );
    let person = beatbook_model::Person::new(meta, checked.valid[0].person.clone());
    assert_eq!(person.name, "王建国");
    assert_eq!(person.masked_id(), "430521********1230");
}

proptest::proptest! {
    /// Whatever the bytes, reading and checking them reports instead of panicking.
    #[test]
    fn any_bytes_are_read_or_refused_without_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
        if let Ok(file) = parse_persons_csv(&bytes) {
            let _ = file.validate(today());
        }
    }

    /// CSV-shaped text with quotes, separators, full-width and odd characters.
    #[test]
    fn csv_shaped_text_is_read_without_panic(
        body in "[姓名身份证号等级,\"\n\r\t 　１Ｘx0-9.E+:：、/年月日红A级]{0,300}"
    ) {
        let text = format!("姓名,身份证号,联系电话,出生日期,等级,下次评估,人员类别\n{body}");
        if let Ok(file) = parse_persons_csv(text.as_bytes()) {
            let checked = file.validate(today());
            for p in &checked.problems {
                let _ = p.localize(Lang::Zh);
            }
        }
    }
}

/// Builds a roster of `n` valid rows in the shape of the GBK fixture.
fn big_roster(n: usize) -> String {
    use beatbook_model::resident_id::check_char;
    let mut out = String::from(
        "序号,姓名,性别,出生日期,身份证号码,联系电话,现住址,村（社区）,人员类别,风险等级,纳入依据,列管来源,责任民警,下次评估,备注\r\n",
    );
    let levels = ["红色", "橙", "黄色", "蓝"];
    let given: Vec<char> = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"
        .chars()
        .collect();
    for i in 0..n {
        let name: String = [
            '张',
            given[i % given.len()],
            given[(i / given.len()) % given.len()],
        ]
        .iter()
        .collect();
        let day = 1 + (i % 28);
        let month = 1 + (i / 28) % 12;
        let first17 = format!("4305211980{month:02}{day:02}{:03}", i % 1000);
        let id = format!("{first17}{}", check_char(first17.as_bytes()).unwrap_or('0'));
        out.push_str(&format!(
            "{i},{name},,1980-{month:02}-{day:02},{id},138{:08},城关镇东街{i}号,东街社区,涉稳、重点上访,{},\"多次扬言上访,需稳控\",排查,zhangwei,2026/12/1,\r\n",
            i % 100_000_000,
            levels[i % 4]
        ));
    }
    out
}

#[test]
fn a_generated_roster_is_all_valid() {
    let text = big_roster(500);
    let file = parse_persons_csv(text.as_bytes()).expect("readable");
    let checked = file.validate(today());
    assert!(checked.problems.is_empty(), "{:?}", &checked.problems[..1]);
    assert_eq!(checked.valid.len(), 500);
}

/// `cargo test --release -- --ignored --nocapture import_timing`: parse and validate
/// 100,000 rows, in UTF-8 and GBK. Prints the times; asserts no wall-clock bound.
#[test]
#[ignore]
fn import_timing_100k_rows() {
    let text = big_roster(100_000);
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    for (label, bytes) in [("UTF-8", text.as_bytes()), ("GBK", &gbk[..])] {
        let start = std::time::Instant::now();
        let file = parse_persons_csv(bytes).expect("readable");
        let parsed = start.elapsed();
        let checked = file.validate(today());
        let total = start.elapsed();
        assert_eq!(checked.valid.len(), 100_000);
        println!(
            "{label}: {} bytes, parse {parsed:?}, parse + validate {total:?}",
            bytes.len()
        );
    }
}
