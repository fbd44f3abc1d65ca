//! Which column of a roster holds what: the header row matched against aliases.
//!
//! Rosters come from many hands and templates, so a column is recognised by any of the
//! names officers commonly give it, in Chinese or English, whatever the case, spacing,
//! full-width characters or a required-field star (`*姓名`).

use super::cells::normalize;
use super::problem::FileProblem;
use beatbook_i18n::{Lang, Localize};

/// What a column of the file means to the import.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    Name,
    Gender,
    BirthDate,
    IdNumber,
    Phone,
    Address,
    Village,
    Notes,
    Categories,
    Level,
    Basis,
    Source,
    Responsible,
    NextReview,
    /// A header the import does not know (序号, 民族…): read past, listed in the summary.
    Ignored,
}

/// Header aliases, already in the form [`header_key`] produces (lower case, ASCII
/// parentheses, no spaces, underscores or hyphens).
const ALIASES: &[(Column, &[&str])] = &[
    (Column::Name, &["姓名", "名字", "name", "fullname"]),
    (Column::Gender, &["性别", "gender", "sex"]),
    (
        Column::BirthDate,
        &[
            "出生日期",
            "出生年月",
            "出生年月日",
            "生日",
            "birthdate",
            "dob",
            "dateofbirth",
        ],
    ),
    (
        Column::IdNumber,
        &[
            "身份证号",
            "身份证号码",
            "身份证",
            "公民身份号码",
            "公民身份证号码",
            "证件号码",
            "证件号",
            "idnumber",
            "id",
            "idno",
        ],
    ),
    (
        Column::Phone,
        &[
            "联系电话",
            "电话",
            "电话号码",
            "手机",
            "手机号",
            "手机号码",
            "联系方式",
            "phone",
            "mobile",
            "tel",
        ],
    ),
    (
        Column::Address,
        &["住址", "地址", "现住址", "家庭住址", "居住地址", "address"],
    ),
    (
        Column::Village,
        &[
            "村",
            "社区",
            "村(社区)",
            "村/社区",
            "村居",
            "网格",
            "所属村居",
            "所属社区",
            "所属网格",
            "village",
            "grid",
        ],
    ),
    (Column::Notes, &["备注", "notes", "note", "remarks"]),
    (
        Column::Categories,
        &[
            "类别",
            "人员类别",
            "列管类别",
            "人员类型",
            "category",
            "categories",
        ],
    ),
    (
        Column::Level,
        &[
            "等级",
            "风险等级",
            "管控等级",
            "管控级别",
            "风险级别",
            "级别",
            "level",
        ],
    ),
    (
        Column::Basis,
        &[
            "纳入依据",
            "依据",
            "列管依据",
            "纳入原因",
            "basis",
            "reason",
        ],
    ),
    (Column::Source, &["列管来源", "来源", "source"]),
    (
        Column::Responsible,
        &[
            "责任民警",
            "民警",
            "包保民警",
            "管控民警",
            "responsible",
            "officer",
        ],
    ),
    (
        Column::NextReview,
        &[
            "下次评估",
            "下次评估日期",
            "复核日期",
            "下次复核",
            "下次复核日期",
            "nextreview",
        ],
    ),
];

impl Column {
    /// Every column the import understands, in the order a summary lists them.
    pub const KNOWN: [Column; 14] = [
        Column::Name,
        Column::Gender,
        Column::BirthDate,
        Column::IdNumber,
        Column::Phone,
        Column::Address,
        Column::Village,
        Column::Notes,
        Column::Categories,
        Column::Level,
        Column::Basis,
        Column::Source,
        Column::Responsible,
        Column::NextReview,
    ];

    /// Recognises a header cell; unknown headers are [`Column::Ignored`].
    pub fn from_header(header: &str) -> Column {
        let key = header_key(header);
        if let Some(c) = lookup(&key) {
            return c;
        }
        // Templates append hints: 身份证号（18位）, 出生日期(yyyy-mm-dd). The hint is
        // dropped only when the whole header did not match, so 村（社区） keeps working.
        match key.find('(') {
            Some(pos) if pos > 0 => lookup(&key[..pos]).unwrap_or(Column::Ignored),
            _ => Column::Ignored,
        }
    }

    /// The aliases accepted for this column, for help texts and the documentation.
    pub fn aliases(self) -> &'static [&'static str] {
        ALIASES
            .iter()
            .find(|(c, _)| *c == self)
            .map(|(_, a)| *a)
            .unwrap_or(&[])
    }
}

fn lookup(key: &str) -> Option<Column> {
    ALIASES
        .iter()
        .find(|(_, aliases)| aliases.contains(&key))
        .map(|(c, _)| *c)
}

/// The comparable form of a header: normalised like every cell, lower case, full-width
/// parentheses made ASCII, and spaces, `_`, `-`, `.`, `*`, `:` removed.
pub fn header_key(header: &str) -> String {
    normalize(header)
        .chars()
        .filter_map(|c| match c {
            '（' => Some('('),
            '）' => Some(')'),
            '／' => Some('/'),
            c if c.is_whitespace() => None,
            '_' | '-' | '.' | '*' | ':' | '：' | '＊' => None,
            c => Some(c.to_ascii_lowercase()),
        })
        .collect()
}

/// Maps a header row. Two columns meaning the same thing are refused: which one to import
/// would be a guess.
pub fn map_header(cells: &[String]) -> Result<Vec<(String, Column)>, FileProblem> {
    let mut columns: Vec<(String, Column)> = Vec::with_capacity(cells.len());
    for cell in cells {
        let header = normalize(cell);
        let column = Column::from_header(&header);
        if column != Column::Ignored {
            if let Some((first, _)) = columns.iter().find(|(_, c)| *c == column) {
                return Err(FileProblem::DuplicateColumn {
                    column,
                    first: first.clone(),
                    second: header,
                });
            }
        }
        columns.push((header, column));
    }
    Ok(columns)
}

impl Localize for Column {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            Column::Name => ("姓名", "name"),
            Column::Gender => ("性别", "gender"),
            Column::BirthDate => ("出生日期", "birth date"),
            Column::IdNumber => ("身份证号", "ID number"),
            Column::Phone => ("联系电话", "phone"),
            Column::Address => ("住址", "address"),
            Column::Village => ("村（社区）", "village"),
            Column::Notes => ("备注", "notes"),
            Column::Categories => ("人员类别", "categories"),
            Column::Level => ("等级", "level"),
            Column::Basis => ("纳入依据", "basis"),
            Column::Source => ("列管来源", "source"),
            Column::Responsible => ("责任民警", "responsible officer"),
            Column::NextReview => ("下次评估", "next review"),
            Column::Ignored => ("不导入", "not imported"),
        };
        lang.pick(zh, en).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_in_both_languages_whatever_the_spelling() {
        for (header, column) in [
            ("姓名", Column::Name),
            ("\u{feff}姓名", Column::Name),
            ("*姓名", Column::Name),
            (" Name ", Column::Name),
            ("ID Number", Column::IdNumber),
            ("id_number", Column::IdNumber),
            ("ＩＤ", Column::IdNumber),
            ("公民身份号码", Column::IdNumber),
            ("身份证号（18位）", Column::IdNumber),
            ("村（社区）", Column::Village),
            ("村(社区)", Column::Village),
            ("Birth_Date", Column::BirthDate),
            ("出生年月", Column::BirthDate),
            ("联系电话", Column::Phone),
            ("TEL", Column::Phone),
            ("人员类别", Column::Categories),
            ("管控等级", Column::Level),
            ("Next Review", Column::NextReview),
            ("责任民警", Column::Responsible),
            ("序号", Column::Ignored),
            ("", Column::Ignored),
        ] {
            assert_eq!(Column::from_header(header), column, "{header}");
        }
    }

    #[test]
    fn every_known_column_has_aliases_and_aliases_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for c in Column::KNOWN {
            assert!(!c.aliases().is_empty(), "{c:?}");
            for a in c.aliases() {
                assert_eq!(header_key(a), *a, "alias {a} is not in key form");
                assert!(seen.insert(*a), "alias {a} listed twice");
            }
        }
    }

    #[test]
    fn two_columns_for_one_field_refused() {
        let cells = vec!["姓名".to_string(), "电话".into(), "手机".into()];
        assert_eq!(
            map_header(&cells),
            Err(FileProblem::DuplicateColumn {
                column: Column::Phone,
                first: "电话".into(),
                second: "手机".into()
            })
        );
        let cells = vec!["姓名".to_string(), "".into(), "".into(), "民族".into()];
        assert!(
            map_header(&cells).is_ok(),
            "empty and unknown headers may repeat"
        );
    }
}
