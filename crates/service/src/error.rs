//! Why a use case was refused, told in the user's language.

use beatbook_i18n::{Lang, Localize};
use beatbook_model::{Role, ValidationError, VisitStatus};
use beatbook_store::{Kind, StoreError};

/// Refusals of the permission rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Forbidden {
    /// The record belongs to another station.
    OtherStation,
    /// Only the assigned officer or the chief may change this visit.
    NotAssigned,
    /// The role may not change case data (supervisor, admin).
    ReadOnlyRole(Role),
    /// The role may not see case data at all (admin).
    NoCaseData,
    /// Only an administrator may do this.
    AdminOnly,
    /// Officers assign visits only to themselves.
    AssignOthers,
    /// Only a supervisor sees all stations at once.
    BureauView,
    /// Only chiefs (own station) and supervisors read the audit log.
    AuditLog,
    /// Statistics are for chiefs and supervisors.
    StatisticsRole(Role),
    /// Only the station's chief: approvals (the chief's inbox), the villages list, the
    /// station's accounts.
    ChiefOnly,
}

/// Why a use case was refused. Shown to people only through [`Localize`]; its
/// `Display` is the English text of that (for logs and machine-readable lines such as
/// `bench`'s), so no enum variant name or debug text can reach anyone who reads it.
#[derive(Debug)]
pub enum ServiceError {
    Invalid(ValidationError),
    UnknownUser(String),
    WrongPassword {
        tries_left: u32,
    },
    /// The current password given to change it is wrong (the officer is logged in: no
    /// need to hide which part was wrong).
    WrongCurrentPassword,
    Locked {
        minutes_left: i64,
    },
    AccountDisabled,
    Forbidden(Forbidden),
    NotFound(Kind),
    VisitNotOpen(VisitStatus),
    SameDate,
    AlreadySetUp,
    NotSetUp,
    DuplicateIdNumber {
        name: String,
        birth_year: Option<i32>,
        village: String,
    },
    DuplicateIdNumberElsewhere,
    Workflow(beatbook_core::rules::disputes::Refusal),
    Watch(beatbook_core::rules::watch::WatchRefusal),
    Finding(beatbook_core::rules::findings::FindingRefusal),
    ImportFile(beatbook_core::import::FileProblem),
    FeedbackAlreadyGiven,
    AlreadyFlagged,
    ExtensionPending,
    NoExtensionPending,
    OpenFollowUps(usize),
    BadAssignee,
    StationCodeTaken(String),
    StationNameTaken(String),
    LastAdmin,
    PasswordUnchanged,
    PasswordChangeRequired,
    /// The account was disabled, or its role, station or password changed, since the
    /// session's login: the session has lost its rights until the officer logs in again.
    SessionRevoked,
    NothingToChange,
    Hashing(String),
    Poisoned,
    UnknownStation(String),
    FutureMonth(String),
    /// The dispute has no mediation session that reached agreement: nothing to print.
    NoAgreement,
    /// Particulars the agreement needs that the records lack, per party (name, fields),
    /// and whether how the terms are performed is still to be said.
    AgreementIncomplete {
        parties: Vec<(String, Vec<beatbook_model::Field>)>,
        manner: bool,
    },
    /// Characters no configured font (nor the shipped one) can draw.
    PaperGlyphs {
        chars: String,
        fonts: String,
    },
    /// A font file named in paper.toml that cannot be used.
    PaperFont {
        file: String,
        reason: String,
    },
    Io(std::io::Error),
    Store(StoreError),
    Archive(beatbook_store::ArchiveError),
    Hub(beatbook_hub::HubError),
    /// The conflict was decided meanwhile (on another terminal, or another window).
    ConflictDecided,
    /// This conflict can only be decided by keeping one version whole (a workflow clash,
    /// a deletion, a version the hub refused or this store cannot hold).
    ConflictWholeOnly,
    /// A person cannot be merged into itself.
    MergeSamePerson,
    /// One of the two persons was merged into another already.
    MergeAlreadyMerged,
    /// Both persons are on the watch list: one flag must go first.
    MergeBothFlagged,
    /// `hub join --station A` with an enrolment made for station B (or for the bureau:
    /// an empty code).
    HubEnrolment {
        asked: String,
        enrolled: String,
    },
}

impl std::fmt::Display for ServiceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.localize(Lang::En))
    }
}

impl std::error::Error for ServiceError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ServiceError::Invalid(e) => Some(e),
            ServiceError::Workflow(e) => Some(e),
            ServiceError::Watch(e) => Some(e),
            ServiceError::Finding(e) => Some(e),
            ServiceError::Io(e) => Some(e),
            ServiceError::Store(e) => Some(e),
            ServiceError::Archive(e) => Some(e),
            ServiceError::Hub(e) => Some(e),
            _ => None,
        }
    }
}

/// `?` turns the errors of the layers below into a `ServiceError`.
macro_rules! from_below {
    ($($variant:ident($ty:ty)),* $(,)?) => {
        $(impl From<$ty> for ServiceError {
            fn from(e: $ty) -> ServiceError {
                ServiceError::$variant(e)
            }
        })*
    };
}

from_below!(
    Invalid(ValidationError),
    Workflow(beatbook_core::rules::disputes::Refusal),
    Watch(beatbook_core::rules::watch::WatchRefusal),
    Finding(beatbook_core::rules::findings::FindingRefusal),
    Io(std::io::Error),
    Store(StoreError),
    Archive(beatbook_store::ArchiveError),
    Hub(beatbook_hub::HubError),
);

impl ServiceError {
    /// The form field to focus, when the error is about one.
    pub fn field(&self) -> Option<beatbook_model::Field> {
        match self {
            ServiceError::Invalid(v) => v.field(),
            ServiceError::DuplicateIdNumber { .. } | ServiceError::DuplicateIdNumberElsewhere => {
                Some(beatbook_model::Field::IdNumber)
            }
            ServiceError::BadAssignee => Some(beatbook_model::Field::Officer),
            ServiceError::SameDate => Some(beatbook_model::Field::DueDate),
            ServiceError::StationCodeTaken(_) => Some(beatbook_model::Field::StationCode),
            ServiceError::StationNameTaken(_) => Some(beatbook_model::Field::StationName),
            ServiceError::PasswordUnchanged => Some(beatbook_model::Field::Password),
            ServiceError::Store(StoreError::Duplicate {
                index: beatbook_store::Index::OfficerByUsername,
                ..
            }) => Some(beatbook_model::Field::Username),
            _ => None,
        }
    }
}

impl Localize for Forbidden {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            Forbidden::OtherStation => (
                "无权限：该记录属于其他派出所。",
                "not allowed: the record belongs to another station.",
            ),
            Forbidden::NotAssigned => (
                "无权限：只有责任民警或所长可以处理这次回访。",
                "not allowed: only the assigned officer or the chief may change this visit.",
            ),
            Forbidden::ReadOnlyRole(Role::Supervisor) => (
                "无权限：法制监督只能查看，不能修改业务记录。",
                "not allowed: supervisors read records but do not change them.",
            ),
            Forbidden::ReadOnlyRole(_) | Forbidden::NoCaseData => (
                "无权限：管理员管理派出所和账号，不处理业务数据。",
                "not allowed: administrators manage stations and accounts, not case data.",
            ),
            Forbidden::ChiefOnly => (
                "无权限：只有本所所长可以这样做。",
                "not allowed: only the station's chief may do this.",
            ),
            Forbidden::AdminOnly => (
                "无权限：只有管理员可以这样做（管理派出所和账号、备份和维护存储）。",
                "not allowed: only an administrator may do this (stations and accounts, backups and the store's upkeep).",
            ),
            Forbidden::AssignOthers => (
                "无权限：民警只能给自己安排回访，给他人安排请找所长。",
                "not allowed: officers schedule visits for themselves; ask the chief to assign others.",
            ),
            Forbidden::BureauView => (
                "无权限：只有法制监督可以查看全局。",
                "not allowed: only supervisors see all stations.",
            ),
            Forbidden::AuditLog => (
                "无权限：只有所长（本所）和法制监督可以查看审计日志。",
                "not allowed: only chiefs (their own station) and supervisors read the audit log.",
            ),
            Forbidden::StatisticsRole(_) => (
                "无权限：统计和月报只对所长（本所）和法制监督（各所）开放。",
                "not allowed: statistics and monthly reports are for chiefs (own station) and supervisors (all stations).",
            ),
        };
        lang.pick(zh, en).to_string()
    }
}

impl Localize for ServiceError {
    fn localize(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            ServiceError::Invalid(v) => v.localize(lang),
            // The same words for both, on purpose: which one it was would tell a
            // stranger which usernames exist.
            ServiceError::UnknownUser(_) | ServiceError::WrongPassword { .. } => lang
                .pick(
                    "用户名或密码错误。请检查后重试（连续输错多次账号会被锁定）；忘记密码请联系管理员。",
                    "wrong username or password. Check both and try again (repeated wrong tries lock the account); if you forgot the password, ask the administrator.",
                )
                .to_string(),
            ServiceError::WrongCurrentPassword => lang
                .pick(
                    "当前密码不正确，请重新输入当前（或临时）密码。",
                    "the current password is wrong; type your current (or temporary) password again.",
                )
                .to_string(),
            ServiceError::Locked { minutes_left } => {
                if zh {
                    format!("密码错误次数过多，账号已锁定，请 {minutes_left} 分钟后再试，或请管理员解锁。")
                } else {
                    format!("too many wrong passwords: the account is locked. Try again in {minutes_left} min, or ask the administrator to unlock it.")
                }
            }
            ServiceError::AccountDisabled => lang
                .pick("该账号已停用，请联系管理员。", "this account is disabled; contact the administrator.")
                .to_string(),
            ServiceError::Forbidden(f) => f.localize(lang),
            ServiceError::NotFound(kind) => {
                let what = match kind {
                    Kind::Station => lang.pick("派出所", "station"),
                    Kind::Officer => lang.pick("账号", "account"),
                    Kind::Person => lang.pick("人员", "person"),
                    Kind::Visit => lang.pick("回访", "visit"),
                    Kind::Dispute => lang.pick("纠纷", "dispute"),
                    Kind::Flag => lang.pick("重点人员列管记录", "watch-list flag"),
                    Kind::Alert => lang.pick("提醒", "alert"),
                    Kind::Finding => lang.pick("巡查问题", "supervision finding"),
                };
                if zh {
                    format!("找不到该{what}（可能已被删除）。")
                } else {
                    format!("the {what} does not exist (it may have been removed).")
                }
            }
            ServiceError::VisitNotOpen(status) => {
                let s = status.localize(lang);
                if zh {
                    format!("这次回访已是{s}状态，不能再处理。")
                } else {
                    format!("this visit is already {s}; nothing more to record.")
                }
            }
            ServiceError::SameDate => lang
                .pick("新日期与原日期相同。", "the new date is the same as the current one.")
                .to_string(),
            ServiceError::AlreadySetUp => lang
                .pick(
                    "数据已初始化（已有派出所），不能再次初始化或载入演示数据。请用 --data 指定一个空文件夹。",
                    "this store is already set up (it has stations); use --data with an empty folder for a fresh one.",
                )
                .to_string(),
            ServiceError::NotSetUp => lang
                .pick(
                    "数据尚未初始化。运行 beatbook（首次运行会引导设置）或 beatbook init / beatbook demo。",
                    "the store is not set up yet. Run beatbook (the first run guides you), or beatbook init / beatbook demo.",
                )
                .to_string(),
            ServiceError::DuplicateIdNumber {
                name,
                birth_year,
                village,
            } => {
                let year = birth_year.map(|y| y.to_string()).unwrap_or_default();
                if zh {
                    format!("该身份证号已登记为 {name}（{year}年生，{village}）。请选择该人员，不要重复新建。")
                } else {
                    format!("this ID number is already registered to {name} (born {year}, {village}); pick that person instead of creating a duplicate.")
                }
            }
            ServiceError::DuplicateIdNumberElsewhere => lang
                .pick(
                    "该身份证号已在其他派出所登记。请与该所或所长联系，不要重复建档。",
                    "this ID number is already registered at another station; contact that station or your chief instead of creating a duplicate.",
                )
                .to_string(),
            ServiceError::Workflow(r) => r.localize(lang),
            ServiceError::Watch(r) => r.localize(lang),
            ServiceError::Finding(r) => r.localize(lang),
            ServiceError::ImportFile(p) => p.localize(lang),
            ServiceError::FeedbackAlreadyGiven => lang
                .pick("已记录过向当事人反馈。", "feedback to the reporting party was already recorded.")
                .to_string(),
            ServiceError::AlreadyFlagged => lang
                .pick(
                    "此人已列为重点人员：请在其人员页调整等级或信息。",
                    "this person is already on the watch list; change the level or details on their page.",
                )
                .to_string(),
            ServiceError::ExtensionPending => lang
                .pick(
                    "已有一项延期申请等待所长审批。",
                    "an extension request is already waiting for the chief.",
                )
                .to_string(),
            ServiceError::NoExtensionPending => lang
                .pick("没有待审批的延期申请。", "no extension request is waiting.")
                .to_string(),
            ServiceError::OpenFollowUps(n) => {
                if zh {
                    format!("还有 {n} 次回访未完成（或未取消并说明原因），不能办结。")
                } else {
                    format!("{n} follow-up visits are still owed (done, or cancelled with a reason, first); the dispute cannot be closed yet.")
                }
            }
            ServiceError::BadAssignee => lang
                .pick(
                    "责任民警必须是本所在岗民警。",
                    "the assigned officer must be an active officer of this station.",
                )
                .to_string(),
            ServiceError::StationCodeTaken(code) => {
                if zh {
                    format!("派出所代码 {code} 已被使用，请换一个。")
                } else {
                    format!("station code {code} is already used; choose another.")
                }
            }
            ServiceError::StationNameTaken(name) => {
                if zh {
                    format!("已有名为 {name} 的派出所。")
                } else {
                    format!("a station named {name} already exists.")
                }
            }
            ServiceError::LastAdmin => lang
                .pick(
                    "不能这样做：系统必须至少保留一名在岗管理员。请先为另一账号设置管理员角色。",
                    "refused: this would leave no active administrator. Make another account an administrator first.",
                )
                .to_string(),
            ServiceError::PasswordUnchanged => lang
                .pick(
                    "新密码不能与当前（临时）密码相同，请另设一个。",
                    "the new password must differ from the current (temporary) one; choose another.",
                )
                .to_string(),
            ServiceError::PasswordChangeRequired => lang
                .pick(
                    "此账号须先修改密码（新账号或密码已重置）：请先在 beatbook 界面登录并设置新密码。",
                    "this account must change its password first (new account or reset): log in to the beatbook screens and set a new one.",
                )
                .to_string(),
            ServiceError::SessionRevoked => lang
                .pick(
                    "账号已被停用或权限已变更，请重新登录。",
                    "Your account was disabled or its rights changed; please log in again.",
                )
                .to_string(),
            ServiceError::NothingToChange => lang
                .pick("没有改动：所选值与当前相同。", "nothing to change: that is the current value.")
                .to_string(),
            ServiceError::Hashing(e) => {
                if zh {
                    format!("密码处理失败：{e}")
                } else {
                    format!("password processing failed: {e}")
                }
            }
            ServiceError::UnknownStation(s) => {
                if zh {
                    format!("没有代码或名称为“{s}”的派出所。请检查拼写（可用派出所代码，如 CG）。")
                } else {
                    format!("there is no station with code or name '{s}'. Check the spelling (station codes such as CG work too).")
                }
            }
            ServiceError::NoAgreement => lang
                .pick(
                    "该纠纷还没有达成协议的调解记录，无法打印调解协议书。请先记录调解结果。",
                    "this dispute has no mediation session that reached agreement, so there is no agreement to print. Record the session first.",
                )
                .to_string(),
            ServiceError::AgreementIncomplete { parties, manner } => {
                let sep = lang.pick("；", "; ");
                let mut listed: Vec<String> = parties
                    .iter()
                    .map(|(name, fields)| {
                        let f: Vec<String> = fields.iter().map(|f| f.localize(lang)).collect();
                        format!("{name}{}{}", lang.pick("：", ": "), f.join(lang.pick("、", ", ")))
                    })
                    .collect();
                if *manner {
                    listed.push(beatbook_model::Field::Manner.localize(lang));
                }
                if zh {
                    format!(
                        "调解协议书还缺少内容，请先补全（在纠纷页按 p 填写，或在命令行用 --set、--manner）：{}。",
                        listed.join(sep)
                    )
                } else {
                    format!(
                        "the agreement still lacks particulars; complete them first (p on the dispute screen, or --set and --manner on the command line): {}.",
                        listed.join(sep)
                    )
                }
            }
            ServiceError::PaperGlyphs { chars, fonts } => {
                let each: Vec<String> = chars
                    .chars()
                    .map(|c| format!("“{c}”（U+{:04X}）", u32::from(c)))
                    .collect();
                if zh {
                    format!(
                        "所选字体（{fonts}）中没有这些字的字形：{}。请在 paper.toml 的 [fonts] 中加入包含这些字的字体（如 Noto Serif CJK），没有打印任何内容。",
                        each.join("、")
                    )
                } else {
                    format!(
                        "the chosen fonts ({fonts}) have no glyph for {}. Add a font that has them to [fonts] in paper.toml (Noto Serif CJK, say); nothing was printed.",
                        each.join(", ")
                    )
                }
            }
            ServiceError::PaperFont { file, reason } => {
                if zh {
                    format!("无法使用字体文件 {file}：{reason}。请检查 paper.toml 的 [fonts]。")
                } else {
                    format!("cannot use the font file {file}: {reason}. Check [fonts] in paper.toml.")
                }
            }
            ServiceError::FutureMonth(m) => {
                if zh {
                    format!("{m} 还没有到，无法统计。请选择本月或以前的月份。")
                } else {
                    format!("{m} has not begun yet; choose this month or an earlier one.")
                }
            }
            ServiceError::Io(e) if beatbook_store::space::is_disk_full(e) => lang
                .pick(
                    "磁盘已满，文件没有写入。请腾出磁盘空间后重试。",
                    "disk full: the file was not written. Free some disk space and try again.",
                )
                .to_string(),
            ServiceError::Io(e) => {
                let e = beatbook_i18n::io::IoReason(e).localize(lang);
                if zh {
                    format!("写文件失败：{e}")
                } else {
                    format!("writing failed: {e}")
                }
            }
            ServiceError::Hub(e) => e.localize(lang),
            ServiceError::MergeSamePerson => lang
                .pick("不能把一个人合并到他自己。", "a person cannot be merged into itself.")
                .to_string(),
            ServiceError::MergeAlreadyMerged => lang
                .pick(
                    "其中一人已经合并到别人名下，请刷新后再看。",
                    "one of the two was already merged into someone else; refresh and look again.",
                )
                .to_string(),
            ServiceError::MergeBothFlagged => lang
                .pick(
                    "两人都在重点人员名单上：请先撤销其中一人的列管，再合并。",
                    "both persons are on the watch list: remove one of the flags first, then merge.",
                )
                .to_string(),
            ServiceError::ConflictDecided => lang
                .pick(
                    "这条冲突已经处理过了（可能在另一台终端上），列表已刷新。",
                    "this conflict was already decided (perhaps on another terminal); the list is refreshed.",
                )
                .to_string(),
            ServiceError::ConflictWholeOnly => lang
                .pick(
                    "这条冲突只能整条保留一个版本（两个版本的办理状态不同，或一方已删除、被汇总库拒收）。请整条采用搁置的版本，或保留现在的版本。",
                    "this conflict can only be decided by keeping one version whole (the versions differ in workflow status, or one side deleted or was refused by the hub). Take the version set aside whole, or keep the current one.",
                )
                .to_string(),
            ServiceError::HubEnrolment { asked, enrolled } => {
                let name = |code: &str| match (code.is_empty(), zh) {
                    (true, true) => "分局".to_string(),
                    (true, false) => "the bureau".to_string(),
                    (false, _) => code.to_string(),
                };
                if zh {
                    format!("该登记凭据属于{}的终端，不是{}，未加入。请使用为{}登记的凭据。", name(enrolled), name(asked), name(asked))
                } else {
                    format!("this enrolment is for a terminal of {}, not {}; not joined. Use the enrolment made for {}.", name(enrolled), name(asked), name(asked))
                }
            }
            ServiceError::Poisoned => lang
                .pick(
                    "程序内部状态异常，请重新启动 beatbook。已保存的数据不受影响。",
                    "internal state is unusable after an earlier failure; restart beatbook. Saved data is not affected.",
                )
                .to_string(),
            ServiceError::Store(e) => e.localize(lang),
            ServiceError::Archive(e) => e.localize(lang),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bench skip reasons and logs print errors with `Display`: no variant names there.
    #[test]
    fn display_is_the_english_message_without_debug_text() {
        for (e, debug) in [
            (ServiceError::Forbidden(Forbidden::ChiefOnly), "ChiefOnly"),
            (ServiceError::Forbidden(Forbidden::NoCaseData), "NoCaseData"),
            (
                ServiceError::Forbidden(Forbidden::StatisticsRole(Role::Officer)),
                "StatisticsRole",
            ),
            (ServiceError::NotFound(Kind::Person), "Person"),
            (ServiceError::VisitNotOpen(VisitStatus::Done), "Done"),
            (
                ServiceError::Invalid(ValidationError::Required(beatbook_model::Field::IdNumber)),
                "IdNumber",
            ),
        ] {
            let shown = e.to_string();
            assert!(!shown.contains(debug), "{shown}");
            assert_eq!(shown, e.localize(Lang::En));
        }
    }

    #[test]
    fn unknown_user_and_wrong_password_read_alike() {
        for lang in [Lang::Zh, Lang::En] {
            let unknown = ServiceError::UnknownUser("nobody".into()).localize(lang);
            let wrong = ServiceError::WrongPassword { tries_left: 3 }.localize(lang);
            assert_eq!(unknown, wrong);
            assert!(!unknown.contains("nobody"));
        }
    }
}
