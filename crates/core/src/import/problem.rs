//! What can be wrong with a roster, told so that the officer knows what to fix.
//!
//! File problems stop the import before any row is read; row problems reject one row and
//! name its line, its column as headed in the file, and what to do in the spreadsheet.

use super::columns::Column;
use beatbook_i18n::{Lang, Localize};
use beatbook_model::ValidationError;
use chrono::NaiveDate;
use std::fmt;

/// Why a file cannot be read as a roster at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileProblem {
    /// No bytes, or only blanks.
    Empty,
    /// A workbook (`xlsx`, `xls`) or an HTML table named `.xls`, not an exported CSV.
    Workbook { kind: &'static str },
    /// Not text in UTF-8, GBK/GB18030 or UTF-16 (a binary file, a stray byte).
    NotText { line: usize },
    /// UTF-8 with some lines in another encoding (files pasted together).
    MixedEncoding { line: usize },
    /// No header row with a name column among the first lines.
    NoHeader { looked_at: usize },
    /// Two columns mean the same field.
    DuplicateColumn {
        column: Column,
        first: String,
        second: String,
    },
    /// The CSV reader gave up (should not happen for decoded text).
    Unreadable { line: usize },
    /// A header and no data row under it.
    NoRows,
}

/// What is wrong with one row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportProblem {
    /// A field failed the same validation as the person form.
    Invalid(ValidationError),
    /// `1.10105E+17`: the spreadsheet stored the number as a number and lost digits.
    ExcelScientific(String),
    /// `13812345678.0`: the number was stored as a decimal.
    ExcelDecimal(String),
    /// An 18-digit ID number ending in `000` with a wrong check character: almost surely
    /// Excel's 15-digit precision.
    ExcelZeroedId,
    /// A 5-digit number in a date column: an Excel date serial.
    ExcelSerialDate(String),
    /// A date in none of the accepted forms.
    BadDate(String),
    /// Only year and month, and no ID number to complete it.
    PartialDate(String),
    UnknownLevel(String),
    /// A category not in the watch-list dictionary (checked by the caller, who holds it).
    UnknownCategory(String),
    /// A name with digits or a colon: a total, signature or note line, not a person.
    NotAName(String),
    /// Cells in this row do not line up with the header.
    WrongColumnCount {
        expected: usize,
        found: usize,
    },
    /// The file ends in the middle of this row.
    Truncated {
        expected: usize,
        found: usize,
    },
    /// A quote opened in this row is never closed; the rest of the file became one cell.
    UnclosedQuote,
    /// A birth date after today, in the birth-date column or inside the ID number.
    BirthDateInFuture {
        date: NaiveDate,
        today: NaiveDate,
        in_id_number: bool,
    },
    /// The row's ID number belongs to a person of another name: on record, or on an
    /// earlier line of the file. Never merged.
    NameConflict {
        /// Masked, as lists show it.
        id_number: String,
        /// The name the number already has.
        first: String,
        /// The file's line that gave it, when it came from the file.
        first_line: Option<usize>,
        /// The name on this row.
        name: String,
    },
}

/// A problem with a row, where to find it and what it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowProblem {
    /// 1-based line in the file, as a text editor counts (the header is usually line 1).
    pub line: usize,
    /// The column's header as written in the file, when the problem is in one column.
    pub column: Option<String>,
    pub problem: ImportProblem,
}

impl RowProblem {
    /// A problem in `column`, named as in the file's header (`headers`); no column when
    /// the file has none for it (a birth date that disagrees with the ID number in a
    /// file without a birth-date column).
    pub fn at(
        line: usize,
        column: Column,
        headers: &[(String, Column)],
        problem: ImportProblem,
    ) -> RowProblem {
        let column = headers
            .iter()
            .find(|(_, c)| *c == column && column != Column::Ignored)
            .map(|(h, _)| h.clone());
        RowProblem {
            line,
            column,
            problem,
        }
    }

    /// A problem with the whole row.
    pub fn row(line: usize, problem: ImportProblem) -> RowProblem {
        RowProblem {
            line,
            column: None,
            problem,
        }
    }
}

/// The advice shared by every destroyed number.
fn fix_number_column(lang: Lang) -> &'static str {
    lang.pick(
        "请在 Excel 中把该列设置为“文本”格式，从原始资料重新录入号码，再另存为 CSV 导入",
        "in Excel, format the column as Text, re-enter the numbers from the original records, and save as CSV again",
    )
}

impl Localize for ImportProblem {
    fn localize(&self, lang: Lang) -> String {
        use ImportProblem::*;
        let zh = lang == Lang::Zh;
        match self {
            Invalid(e) => e.localize(lang),
            ExcelScientific(input) => {
                if zh {
                    format!("「{input}」是被 Excel 转成科学计数法的数字，后几位已丢失；{}", fix_number_column(lang))
                } else {
                    format!("'{input}' is a number Excel turned into scientific notation, and its last digits are lost; {}", fix_number_column(lang))
                }
            }
            ExcelDecimal(input) => {
                if zh {
                    format!("「{input}」被表格存成了小数，号码可能已不准确；{}", fix_number_column(lang))
                } else {
                    format!("'{input}' was stored as a decimal number and may no longer be exact; {}", fix_number_column(lang))
                }
            }
            ExcelZeroedId => {
                if zh {
                    format!("身份证号末三位为 000 且校验位不符，多半是 Excel 只保留 15 位有效数字造成的；{}", fix_number_column(lang))
                } else {
                    format!("the ID number ends in 000 and its check character is wrong, most likely because Excel keeps only 15 digits; {}", fix_number_column(lang))
                }
            }
            ExcelSerialDate(input) => {
                if zh {
                    format!("「{input}」是 Excel 的日期序号而不是日期；请在 Excel 中把该列设置为日期格式（yyyy-mm-dd）后重新导出")
                } else {
                    format!("'{input}' is an Excel date serial number, not a date; format the column as a date (yyyy-mm-dd) in Excel and export again")
                }
            }
            BadDate(input) => {
                if zh {
                    format!("「{input}」不是有效日期；请写成 2026-11-25、2026/11/25、2026.11.25 或 20261125")
                } else {
                    format!("'{input}' is not a valid date; write it as 2026-11-25, 2026/11/25, 2026.11.25 or 20261125")
                }
            }
            PartialDate(input) => {
                if zh {
                    format!("「{input}」只有年月；请填写完整日期，或填写身份证号（其中含出生日期）")
                } else {
                    format!("'{input}' has only a year and month; write the full date, or fill in the ID number, which contains it")
                }
            }
            UnknownLevel(input) => {
                if zh {
                    format!("「{input}」不是等级；请填写 红/橙/黄/蓝（或 红色…）、A–D 或 一级–四级")
                } else {
                    format!("'{input}' is not a level; write red/orange/yellow/blue (红/橙/黄/蓝), A–D or 一级–四级 (grade 1–4)")
                }
            }
            UnknownCategory(input) => {
                if zh {
                    format!("「{input}」不在重点人员类别字典中；请改用字典中的类别，或先在字典中添加")
                } else {
                    format!("'{input}' is not a watch-list category in the dictionary; use one of its categories, or add it to the dictionary first")
                }
            }
            NotAName(input) => {
                if zh {
                    format!("「{input}」含数字或冒号，不像姓名（合计行、制表人或说明？）；请在表格中删除或改正这一行")
                } else {
                    format!("'{input}' contains digits or a colon and does not look like a name (a total, signature or note line?); delete or correct the row in the sheet")
                }
            }
            WrongColumnCount { expected, found } => {
                if zh {
                    format!("这一行有 {found} 列，表头有 {expected} 列：可能某个单元格里有未加引号的逗号，或整行错位；请在 Excel 中检查这一行后重新导出")
                } else {
                    format!("this row has {found} cells but the header has {expected}: a cell may hold an unquoted comma, or the row is shifted; check the row in Excel and export again")
                }
            }
            Truncated { expected, found } => {
                if zh {
                    format!("文件在这一行中间结束（只有 {found} 列，应有 {expected} 列），文件不完整；请重新导出或完整复制文件")
                } else {
                    format!("the file ends in the middle of this row ({found} of {expected} cells): it is incomplete; export it again or copy the whole file")
                }
            }
            UnclosedQuote => lang
                .pick(
                    "这一行的引号没有闭合，之后直到文件末尾的内容都被读成了一个单元格，文件可能不完整；请重新导出",
                    "a quotation mark opened in this row is never closed, so everything up to the end of the file was read as one cell; the file is probably incomplete: export it again",
                )
                .to_string(),
            BirthDateInFuture {
                date,
                today,
                in_id_number: true,
            } => {
                if zh {
                    format!("身份证号中的出生日期 {date} 晚于今天（{today}），号码多半录错了；请核对身份证号")
                } else {
                    format!("the birth date inside the ID number, {date}, is in the future (today is {today}): the number is probably mistyped; check it")
                }
            }
            BirthDateInFuture {
                date,
                today,
                in_id_number: false,
            } => {
                if zh {
                    format!("出生日期 {date} 晚于今天（{today}）；请核对出生日期")
                } else {
                    format!("the birth date {date} is in the future (today is {today}); check it")
                }
            }
            NameConflict {
                id_number,
                first,
                first_line: Some(line),
                name,
            } => {
                if zh {
                    format!("身份证号 {id_number} 在本文件第 {line} 行是「{first}」，这一行却是「{name}」：一个号码不能对应两个姓名，未合并；请核对姓名或号码")
                } else {
                    format!("ID number {id_number} is '{first}' on line {line} of this file but '{name}' on this row: one number cannot have two names, so nothing was merged; check the name or the number")
                }
            }
            NameConflict {
                id_number,
                first,
                first_line: None,
                name,
            } => {
                if zh {
                    format!("身份证号 {id_number} 在册人员是「{first}」，这一行却是「{name}」：未合并；请核对姓名或号码（确需改名，请在人员档案中修改）")
                } else {
                    format!("ID number {id_number} belongs to '{first}' on record but this row says '{name}': nothing was merged; check the name or the number (to rename the person, edit the person record)")
                }
            }
        }
    }
}

impl Localize for RowProblem {
    fn localize(&self, lang: Lang) -> String {
        let what = self.problem.localize(lang);
        match (&self.column, lang) {
            (Some(c), Lang::Zh) => format!("第 {} 行「{c}」列：{what}", self.line),
            (Some(c), Lang::En) => format!("line {}, column '{c}': {what}", self.line),
            (None, Lang::Zh) => format!("第 {} 行：{what}", self.line),
            (None, Lang::En) => format!("line {}: {what}", self.line),
        }
    }
}

impl Localize for FileProblem {
    fn localize(&self, lang: Lang) -> String {
        use FileProblem::*;
        let zh = lang == Lang::Zh;
        match self {
            Empty => lang
                .pick(
                    "文件是空的，没有数据行；请从 Excel 另存为 CSV 后再导入",
                    "the file is empty: no rows to import; save the sheet as CSV from Excel and import that",
                )
                .to_string(),
            NoRows => lang
                .pick(
                    "没有数据行：文件只有表头，没有人员数据；请在表头下填写人员后再导入",
                    "no rows: the file has a header but no data rows under it; fill in the persons under the header and import again",
                )
                .to_string(),
            Workbook { kind } => {
                if zh {
                    format!("这是 {kind} 格式的表格文件，不是 CSV；请在 Excel 或 WPS 中打开，选择“另存为” → “CSV（逗号分隔）”后再导入")
                } else {
                    format!("this is a {kind} workbook, not a CSV file; open it in Excel or WPS, choose Save As → CSV (comma delimited), and import that file")
                }
            }
            NotText { line } => {
                if zh {
                    format!("第 {line} 行附近含有无法识别的字节，这不是 UTF-8、GBK 或 UTF-16 文本；请从 Excel 另存为 CSV 后再导入")
                } else {
                    format!("near line {line} the file holds bytes that are not UTF-8, GBK or UTF-16 text; save the sheet as CSV from Excel and import that")
                }
            }
            MixedEncoding { line } => {
                if zh {
                    format!("文件是 UTF-8 编码，但第 {line} 行附近混有其他编码（如 GBK）的内容，可能是两份文件拼接而成；请在 Excel 中整理为一个表格后重新另存为 CSV")
                } else {
                    format!("the file is UTF-8 but near line {line} holds text in another encoding (such as GBK), perhaps from joining two files; gather the rows in one sheet in Excel and save it as CSV again")
                }
            }
            NoHeader { looked_at } => {
                if zh {
                    format!("前 {looked_at} 行中没有找到表头（至少要有“姓名”列）；请确认第一行是列名，如 姓名、性别、身份证号、联系电话")
                } else {
                    format!("no header row found in the first {looked_at} lines (it needs at least a name column); make the first row hold column names such as name, gender, id_number, phone")
                }
            }
            DuplicateColumn {
                column,
                first,
                second,
            } => {
                let c = column.localize(lang);
                if zh {
                    format!("「{first}」和「{second}」两列都是{c}，无法确定导入哪一列；请删除或改名其中一列后重新导出")
                } else {
                    format!("columns '{first}' and '{second}' both mean {c}, so which one to import is unclear; delete or rename one of them and export again")
                }
            }
            Unreadable { line } => {
                if zh {
                    format!("第 {line} 行无法按 CSV 读取；请从 Excel 重新另存为 CSV")
                } else {
                    format!(
                        "line {line} cannot be read as CSV; save the sheet as CSV from Excel again"
                    )
                }
            }
        }
    }
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.localize(Lang::En))
    }
}

impl std::error::Error for FileProblem {}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.localize(Lang::En))
    }
}

impl std::error::Error for RowProblem {}
