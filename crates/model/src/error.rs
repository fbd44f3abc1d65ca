//! Validation errors: typed, naming the field, told in both languages.

use beatbook_i18n::{Lang, Localize};

/// The input field a validation error is about; also labels form fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    Gender,
    BirthDate,
    IdNumber,
    Phone,
    Address,
    Village,
    Ethnicity,
    Occupation,
    Notes,
    Purpose,
    Reason,
    DueDate,
    NextVisit,
    Method,
    Outcome,
    Agreement,
    Person,
    Officer,
    Username,
    DisplayName,
    CurrentPassword,
    Password,
    PasswordAgain,
    StationName,
    StationCode,
    Title,
    Category,
    Subcategory,
    Place,
    HappenedOn,
    Source,
    Scale,
    PeopleInvolved,
    Amount,
    Description,
    Parties,
    Complexity,
    Indicators,
    Participants,
    SessionDate,
    SessionMethod,
    SessionResult,
    AgreementText,
    Manner,
    PerformBy,
    ResolutionMethod,
    ResolutionDate,
    Success,
    How,
    HandoverTo,
    Reference,
    HandoverDate,
    /// The date a dispute was accepted (受理); sessions and resolutions cannot precede it.
    AcceptedOn,
    Days,
    Remarks,
    Decision,
    WatchCategories,
    Level,
    Basis,
    NextReview,
    /// Problem type of a supervision finding.
    ProblemType,
    /// The date a finding must be rectified by.
    RectifyBy,
    /// The station's answer to a finding.
    Rectification,
    /// A calendar month (statistics, reports).
    Month,
    /// An account's role (administrator's forms).
    Role,
    /// The station an account belongs to (administrator's forms).
    Station,
    /// Who a follow-up visit met (issue 10: follow-ups for every party).
    Met,
    /// Where a backup archive is written (administrator's backup form).
    ArchivePath,
    /// An account's police number (警号).
    PoliceNumber,
    /// The villages and communities a station covers, one per line.
    Villages,
}

impl Localize for Field {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            Field::Name => ("姓名", "Name"),
            Field::Gender => ("性别", "Gender"),
            Field::BirthDate => ("出生日期", "Birth date"),
            Field::IdNumber => ("身份证号", "ID number"),
            Field::Phone => ("联系电话", "Phone"),
            Field::Address => ("住址", "Address"),
            Field::Village => ("村/社区", "Village"),
            Field::Ethnicity => ("民族", "Ethnicity"),
            Field::Occupation => ("职业", "Occupation"),
            Field::Notes => ("备注", "Notes"),
            Field::Purpose => ("事由", "Purpose"),
            Field::Reason => ("原因", "Reason"),
            Field::DueDate => ("应访日期", "Due date"),
            Field::NextVisit => ("下次回访", "Next visit"),
            Field::Method => ("方式", "Method"),
            Field::Outcome => ("结果", "Outcome"),
            Field::Agreement => ("协议履行", "Agreement kept"),
            Field::Person => ("对象", "Person"),
            Field::Officer => ("责任民警", "Officer"),
            Field::Username => ("用户名", "Username"),
            Field::DisplayName => ("显示名", "Display name"),
            Field::CurrentPassword => ("当前密码", "Current password"),
            Field::Password => ("密码", "Password"),
            Field::PasswordAgain => ("确认密码", "Repeat password"),
            Field::StationName => ("派出所名称", "Station name"),
            Field::StationCode => ("派出所代码", "Station code"),
            Field::Title => ("纠纷名称", "Title"),
            Field::Category => ("类别", "Category"),
            Field::Subcategory => ("子类", "Sub-category"),
            Field::Place => ("发生地点", "Place"),
            Field::HappenedOn => ("发生日期", "Date happened"),
            Field::Source => ("来源", "Source"),
            Field::Scale => ("规模", "Scale"),
            Field::PeopleInvolved => ("涉及人数", "People involved"),
            Field::Amount => ("涉及金额（元）", "Amount (yuan)"),
            Field::Description => ("简要情况", "Description"),
            Field::Parties => ("当事人", "Parties"),
            Field::Complexity => ("复杂程度", "Complexity"),
            Field::Indicators => ("风险因素", "Risk indicators"),
            Field::Participants => ("参加人员", "Participants"),
            Field::SessionDate => ("调解日期", "Session date"),
            Field::SessionMethod => ("调解方式", "How mediated"),
            Field::SessionResult => ("调解结果", "Result"),
            Field::AgreementText => ("协议内容", "Agreement"),
            Field::Manner => ("履行方式", "Manner of performance"),
            Field::PerformBy => ("履行期限", "Perform by"),
            Field::ResolutionMethod => ("化解方式", "Resolution method"),
            Field::ResolutionDate => ("化解日期", "Resolution date"),
            Field::Success => ("是否成功", "Successful"),
            Field::How => ("化解情况", "What was done"),
            Field::HandoverTo => ("移交/转交单位", "Handed to"),
            Field::Reference => ("文号/案号", "Reference no."),
            Field::HandoverDate => ("移交日期", "Date"),
            Field::AcceptedOn => ("受理日期", "Date accepted"),
            Field::Days => ("延长天数", "Extra days"),
            Field::Remarks => ("意见", "Remarks"),
            Field::Decision => ("审批", "Decision"),
            Field::WatchCategories => ("人员类别", "Categories"),
            Field::Level => ("等级", "Level"),
            Field::Basis => ("纳入依据", "Basis for listing"),
            Field::NextReview => ("下次复核", "Next review"),
            Field::ProblemType => ("问题类型", "Problem type"),
            Field::RectifyBy => ("整改期限", "Rectify by"),
            Field::Rectification => ("整改情况", "Rectification"),
            Field::Month => ("月份", "Month"),
            Field::Role => ("角色", "Role"),
            Field::ArchivePath => ("备份文件", "Backup file"),
            Field::PoliceNumber => ("警号", "Police number"),
            Field::Villages => ("村/社区列表", "Villages"),
            Field::Station => ("所属派出所", "Station"),
            Field::Met => ("见到", "Met"),
        };
        lang.pick(zh, en).to_string()
    }
}

/// Why an input was refused. Each variant names the field so a form can point at it.
///
/// `Display` is the English message of [`Localize`]: no field or variant name in Rust
/// spelling ("IdNumber is required") reaches anyone through a log line or a `{e}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValidationError {
    Required(Field),
    TooLong {
        field: Field,
        max: usize,
    },
    ControlCharacters(Field),
    /// A control character in a text field, named (shown visibly, e.g. `\u001B`) so the
    /// officer can find it in the cell or the text it came from. Not used for passwords.
    ControlCharacter {
        field: Field,
        found: char,
    },
    InvalidDate {
        field: Field,
        input: String,
    },
    DateInPast {
        field: Field,
    },
    DateInFuture {
        field: Field,
    },
    IdNumberLength(usize),
    IdNumberCharacters,
    IdNumberBirthDate,
    IdNumberCheck {
        expected: char,
    },
    BirthDateMismatch {
        from_id: String,
        given: String,
    },
    GenderMismatch {
        from_id: super::Gender,
    },
    Phone(String),
    UsernameCharacters,
    PoliceNumberCharacters,
    PasswordTooShort {
        min: usize,
    },
    PasswordMismatch,
    IdNumberElsewhere,
    TooFewParties,
    PartyTwice,
    InvalidAmount {
        field: Field,
        input: String,
    },
    InvalidNumber {
        field: Field,
        input: String,
    },
    Negative {
        field: Field,
    },
    OutOfRange {
        field: Field,
        min: i64,
        max: i64,
    },
    DateBefore {
        field: Field,
        other: Field,
    },
    UnknownChoice {
        field: Field,
        input: String,
    },
}

impl std::fmt::Display for ValidationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.localize(Lang::En))
    }
}

impl std::error::Error for ValidationError {}

impl ValidationError {
    /// The field the error points at, for moving the form's focus there.
    pub fn field(&self) -> Option<Field> {
        use ValidationError::*;
        match self {
            Required(f) | ControlCharacters(f) | ControlCharacter { field: f, .. } => Some(*f),
            TooLong { field, .. }
            | InvalidDate { field, .. }
            | DateInPast { field }
            | DateInFuture { field }
            | UnknownChoice { field, .. }
            | InvalidAmount { field, .. }
            | InvalidNumber { field, .. }
            | Negative { field }
            | OutOfRange { field, .. }
            | DateBefore { field, .. } => Some(*field),
            TooFewParties | PartyTwice => Some(Field::Parties),
            IdNumberLength(_)
            | IdNumberCharacters
            | IdNumberBirthDate
            | IdNumberCheck { .. }
            | IdNumberElsewhere => Some(Field::IdNumber),
            BirthDateMismatch { .. } => Some(Field::BirthDate),
            GenderMismatch { .. } => Some(Field::Gender),
            Phone(_) => Some(Field::Phone),
            UsernameCharacters => Some(Field::Username),
            PoliceNumberCharacters => Some(Field::PoliceNumber),
            PasswordTooShort { .. } => Some(Field::Password),
            PasswordMismatch => Some(Field::PasswordAgain),
        }
    }
}

impl Localize for ValidationError {
    fn localize(&self, lang: Lang) -> String {
        use ValidationError::*;
        let zh = lang == Lang::Zh;
        match self {
            Required(f) => {
                let f = f.localize(lang);
                if zh {
                    format!("请填写{f}")
                } else {
                    format!("{f} is required")
                }
            }
            TooLong { field, max } => {
                let f = field.localize(lang);
                if zh {
                    format!("{f}太长：最多 {max} 个字")
                } else {
                    format!("{f} is too long: at most {max} characters")
                }
            }
            ControlCharacter { field, found } => {
                let f = field.localize(lang);
                let c = crate::text::visible(found.encode_utf8(&mut [0; 4])).into_owned();
                if zh {
                    format!("{f}含有不可见的控制字符 {c}，请删除后重试")
                } else {
                    format!("{f} contains the invisible control character {c}; remove it and try again")
                }
            }
            ControlCharacters(f) => {
                let f = f.localize(lang);
                if zh {
                    format!("{f}含有控制字符，请删除后重试")
                } else {
                    format!("{f} contains control characters; remove them and try again")
                }
            }
            InvalidDate { field, input } => {
                let f = field.localize(lang);
                if zh {
                    format!(
                        "{f}「{input}」不是有效日期，请按 2026-11-25 格式填写（或 +7 表示 7 天后）"
                    )
                } else {
                    format!("{f} '{input}' is not a valid date; write it as 2026-11-25 (or +7 for a week from today)")
                }
            }
            DateInPast { field } => {
                let f = field.localize(lang);
                if zh {
                    format!("{f}不能早于今天")
                } else {
                    format!("{f} cannot lie in the past")
                }
            }
            DateInFuture { field } => {
                let f = field.localize(lang);
                if zh {
                    format!("{f}不能晚于今天")
                } else {
                    format!("{f} cannot lie in the future")
                }
            }
            IdNumberLength(n) => {
                if zh {
                    format!("身份证号应为 18 位（旧证 15 位），现为 {n} 位")
                } else {
                    format!("ID number must have 18 characters (legacy: 15), this one has {n}")
                }
            }
            IdNumberCharacters => lang
                .pick(
                    "身份证号只能包含数字，最后一位可以是 X",
                    "ID number may contain only digits, with an X allowed last",
                )
                .to_string(),
            IdNumberBirthDate => lang
                .pick(
                    "身份证号中的出生日期不存在，请核对",
                    "the birth date inside the ID number does not exist; check the number",
                )
                .to_string(),
            IdNumberCheck { expected } => {
                if zh {
                    format!("身份证号校验位不符（按前 17 位应为 {expected}），请核对")
                } else {
                    format!("ID number check character is wrong (the first 17 digits give {expected}); check the number")
                }
            }
            BirthDateMismatch { from_id, given } => {
                if zh {
                    format!("出生日期 {given} 与身份证号中的 {from_id} 不一致")
                } else {
                    format!("birth date {given} differs from {from_id} in the ID number")
                }
            }
            GenderMismatch { from_id } => {
                let g = from_id.localize(lang);
                if zh {
                    format!("性别与身份证号不一致（身份证号为{g}）")
                } else {
                    format!("gender differs from the ID number (which says {g})")
                }
            }
            Phone(input) => {
                if zh {
                    format!("「{input}」不是有效电话号码（手机 11 位，座机如 0731-1234567）")
                } else {
                    format!("'{input}' is not a phone number (mobile: 11 digits; landline like 0731-1234567)")
                }
            }
            UsernameCharacters => lang
                .pick(
                    "用户名只能使用小写字母、数字和 . _ -",
                    "username may use only a-z, 0-9, '.', '_' and '-'",
                )
                .to_string(),
            PoliceNumberCharacters => lang
                .pick(
                    "警号只能使用字母和数字（不超过 16 位）",
                    "a police number may use only letters and digits (at most 16)",
                )
                .to_string(),
            PasswordTooShort { min } => {
                if zh {
                    format!("密码至少 {min} 位")
                } else {
                    format!("password must have at least {min} characters")
                }
            }
            PasswordMismatch => lang
                .pick("两次输入的密码不一致", "the two passwords differ")
                .to_string(),
            IdNumberElsewhere => lang
                .pick(
                    "该身份证号已在其他派出所登记，不能在本所重复建档。",
                    "this ID number is registered at another station; it cannot be filed here again.",
                )
                .to_string(),
            TooFewParties => lang
                .pick(
                    "纠纷至少要有两名当事人。请在当事人一栏添加。",
                    "a dispute needs at least two parties; add them in the Parties field.",
                )
                .to_string(),
            PartyTwice => lang
                .pick(
                    "同一人被重复列为当事人，请删去重复的一项。",
                    "the same person is listed twice as a party; remove the repeat.",
                )
                .to_string(),
            InvalidAmount { field, input } => {
                let f = field.localize(lang);
                if zh {
                    format!("{f}「{input}」不是有效金额，请写如 12000、1.5万 或 800.50")
                } else {
                    format!("{f} '{input}' is not an amount; write e.g. 12000 or 800.50")
                }
            }
            InvalidNumber { field, input } => {
                let f = field.localize(lang);
                if zh {
                    format!("{f}「{input}」不是整数")
                } else {
                    format!("{f} '{input}' is not a whole number")
                }
            }
            Negative { field } => {
                let f = field.localize(lang);
                if zh {
                    format!("{f}不能为负数")
                } else {
                    format!("{f} cannot be negative")
                }
            }
            OutOfRange { field, min, max } => {
                let f = field.localize(lang);
                if zh {
                    format!("{f}须为 {min} 到 {max} 之间的整数")
                } else {
                    format!("{f} must be a whole number from {min} to {max}")
                }
            }
            DateBefore { field, other } => {
                let (f, o) = (field.localize(lang), other.localize(lang));
                if zh {
                    format!("{f}不能早于{o}")
                } else {
                    format!("{f} cannot lie before the {}", o.to_lowercase())
                }
            }
            UnknownChoice { field, input } => {
                let f = field.localize(lang);
                if zh {
                    format!("{f}「{input}」不在可选范围内")
                } else {
                    format!("{f} '{input}' is not one of the choices")
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_the_english_message_without_rust_names() {
        for (e, debug) in [
            (ValidationError::Required(Field::IdNumber), "IdNumber"),
            (
                ValidationError::DateBefore {
                    field: Field::DueDate,
                    other: Field::HappenedOn,
                },
                "DueDate",
            ),
            (
                ValidationError::GenderMismatch {
                    from_id: super::super::Gender::Female,
                },
                "Female",
            ),
        ] {
            assert!(!e.to_string().contains(debug), "{e}");
            assert_eq!(e.to_string(), e.localize(Lang::En));
        }
    }
}
