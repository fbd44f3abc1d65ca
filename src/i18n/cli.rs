//! Texts of the command-line subcommands: errors, summaries and prompts. Machine-readable
//! output (`bench` JSON lines, `export` records) stays English and is not listed here.

crate::text_table! {
    /// One message of the command line.
    pub enum Cli {
        ErrorPrefix => ("错误：", "error: "),
        ConfigError => (
            "配置文件有误：{}。请改正该文件（或把它移走以使用默认设置）。",
            "configuration error: {}. Fix that file (or move it away to use the defaults)."
        ),
        BadNow => (
            "BEATBOOK_NOW=“{}”不是日期或 RFC 3339 时间（例如 2026-11-25 或 2026-11-25T09:00:00+08:00）。",
            "BEATBOOK_NOW='{}' is not a date or an RFC 3339 time (e.g. 2026-11-25 or 2026-11-25T09:00:00+08:00)."
        ),
        UnknownLang => (
            "不支持的语言“{}”（可选 zh、en），按系统语言使用中文。",
            "unsupported language '{}' (choose zh or en); using English from the system locale."
        ),
        PasswordPrompt => ("请输入 {} 的密码：", "Password for {}: "),
        PasswordAgain => ("请再输入一次：", "Repeat the password: "),
        PasswordUnreadable => (
            "无法从终端读取密码（{}）。请改用环境变量 BEATBOOK_PASSWORD 提供密码。",
            "cannot read the password from the terminal ({}). Set BEATBOOK_PASSWORD instead."
        ),
        InitDone => (
            "已建立派出所“{}”和管理员账号 {}。运行 beatbook 并用 {} 登录。",
            "Set up station '{}' with administrator {}. Run beatbook and log in as {}."
        ),
        DemoDone => (
            "演示数据已载入：{} 个派出所，{} 个账号，{} 名人员，{} 次回访（用时 {} 秒）。",
            "Demo data loaded: {} stations, {} accounts, {} persons, {} visits ({} s)."
        ),
        AccountsHeader => ("可用账号（密码均为 {}）：", "Accounts (password {} for all):"),
        DataFolder => ("数据文件夹：{}", "Data folder: {}"),
        ExportDone => (
            "已导出 {} 条记录：派出所 {}，账号 {}，人员 {}，回访 {}。",
            "Exported {} records: {} stations, {} accounts, {} persons, {} visits."
        ),
        ExportWritten => ("已写入 {}", "Written to {}"),
        ExportFailed => (
            "导出失败：{}。{} 未被写入或覆盖。",
            "export failed: {}. {} was not written or replaced."
        ),
        CannotWrite => ("无法写入 {}：{}", "cannot write {}: {}"),
        FolderTightened => ("{} 原先其他用户可以读取（权限 {}），现已改为仅本用户可访问。如曾有他人使用本机，请向管理员报告。", "{} was open to other users (mode {}); it is now private to you. If others use this computer, tell the administrator."),
        LeftoverRemoved => ("已删除上次中断运行留下的未完成文件 {}。", "removed {}, an unfinished file left by an interrupted earlier run."),
        OutputFailed => ("输出未能完整写出：{}。工作已完成，但输出不完整，请检查目标磁盘后重试。", "the output could not be written in full: {}. The work was done, but its output is incomplete; check the target disk and run it again."),
        SeedStart => (
            "正在生成合成数据：{} 名人员，{} 次回访，{} 起纠纷……",
            "Seeding synthetic data: {} persons, {} visits, {} disputes..."
        ),
        SeedCreatedStations => (
            "空数据：已新建 {} 个派出所和账号。",
            "Empty store: created {} stations and their accounts."
        ),
        SeedProgress => ("  已写入 {} / {} 条记录（{} 秒）", "  {} / {} records written ({} s)"),
        SeedDone => (
            "已生成 {} 名人员、{} 次回访、{} 起纠纷（另有纠纷回访 {} 次），用时 {} 秒；数据占用磁盘 {} MB。",
            "Seeded {} persons, {} visits and {} disputes (plus {} dispute follow-up visits) in {} s; the store takes {} MB on disk."
        ),
        SeedWatch => (
            "另列管重点人员 {} 名，滚动走访 {} 次。",
            "Watch list: {} persons flagged, with {} rolling visits."
        ),
        DemoWatch => (
            "重点人员 {} 名（含各类别、各等级），待处理预警 {} 条。",
            "Watch list: {} persons over every category and level, {} open alerts."
        ),
        BenchLogin => (
            "bench：无法以 {} 登录：{}",
            "bench: cannot log in as {}: {}"
        ),
        TuiFailed => ("终端界面异常退出：{}", "the terminal interface stopped: {}"),
        ReportBadMonth => (
            "月份“{}”格式不对，请写成 年-月，例如 2026-11。",
            "'{}' is not a month; write it as year-month, e.g. 2026-11."
        ),
        ImportLogin => ("无法以 {} 登录：{}", "cannot log in as {}: {}"),
        ImportOtherStation => ("只能导入到本人所在的派出所（{}）。", "you can import only into your own station ({})."),
        ImportUnreadable => ("无法读取文件 {}：{}", "cannot read {}: {}"),
        ImportSummary => (
            "文件 {}（编码 {}）：{} 行数据，新建 {} 人，补充 {} 人，无变化 {} 人，列管 {} 人；冲突 {} 处，不合格 {} 行。",
            "{} (encoding {}): {} rows, {} created, {} completed, {} unchanged, {} put on the watch list; {} conflicts, {} rows rejected."
        ),
        ImportConflictLine => ("  第 {} 行 {}：{} 在册为「{}」，文件为「{}」（未覆盖）", "  line {} {}: {} on record '{}', in the file '{}' (kept)"),
        ImportRejectedLine => ("  第 {} 行{}：{}", "  line {}{}: {}"),
        ImportMoreRejected => ("  ……另有 {} 行，见报告文件。", "  … {} more, see the report file."),
        ImportReportWritten => ("不合格行的报告已写入 {}", "rejected rows written to {}"),
        ImportNothingWritten => (
            "有不合格的行，未导入任何数据。请改正后重新导入，或加 --partial 只导入合格的行。",
            "some rows were rejected, so nothing was imported. Fix them and import again, or add --partial to import the good rows."
        ),
        ImportDryRun => ("试运行（--dry-run）：未写入任何数据。", "dry run: nothing was written."),
        ImportDone => ("导入完成，已保存。", "import done and saved."),
        ImportNothingToChange => (
            "没有需要更新的内容：文件中的人员均已在册且信息一致。",
            "nothing to change: everyone in the file is already on record as the file says."
        ),
        ImportProgress => ("核对", "checking"),
        AuditIntact => (
            "审计日志完整：共 {} 条，哈希链全部校验通过（用时 {} 秒）。",
            "audit chain intact, {} entries ({} s)."
        ),
        AuditFirstBad => (
            "第一条校验失败的记录：第 {} 条，时间 {}，操作人 {}，操作 {}。",
            "first entry that does not verify: #{}, at {}, by {}, action {}."
        ),
        AuditBadUnreadable => (
            "第一条校验失败的记录：第 {} 条（无法读取或已被删除）。",
            "first entry that does not verify: #{} (missing or unreadable)."
        ),
        AuditBroken => (
            "审计日志已被改动。请保留此数据文件夹的副本作为证据，并报告管理员和法制大队。",
            "the audit log was altered. Keep a copy of this data folder as evidence and tell the administrator and the legal affairs brigade."
        ),
        BackupDone => (
            "备份已写入 {}：{} 个数据树，共 {} 条（其中审计日志 {} 条），{} MB，用时 {} 秒。",
            "Backup written to {}: {} trees, {} entries ({} audit entries), {} MB, {} s."
        ),
        RestoreDone => (
            "已从 {} 创建的备份恢复：共 {} 条（审计日志 {} 条），审计链和索引均已校验。",
            "Restored the backup made at {}: {} entries ({} audit entries); audit chain and indexes verified."
        ),
        RestoreReplaced => ("原有数据已移到 {}（确认无误后可自行删除）。", "The data it replaced was moved to {} (delete it once you are sure)."),
        CheckAuditOk => ("审计日志完整：共 {} 条。", "audit chain intact, {} entries."),
        CheckIndexesOk => ("索引与记录一致。", "indexes agree with the records."),
        CheckIndexBad => (
            "索引 {} 与记录不符：多余 {} 条，缺少 {} 条。",
            "index {} disagrees with the records: {} stray, {} missing."
        ),
        CheckRepairHint => (
            "运行 `beatbook check --repair` 可由记录重建索引。",
            "run `beatbook check --repair` to rebuild the indexes from the records."
        ),
        CheckRepaired => (
            "已由记录重建全部索引（已记入审计日志），复查通过。",
            "rebuilt every index from the records (audited); the re-check passes."
        ),
        CheckFlagsOk => (
            "重点人员列管记录中的人员信息与人员档案一致。",
            "every watch-list flag's copy of its person agrees with the person."
        ),
        CheckFlagsStale => (
            "{} 条列管记录中的人员信息（姓名、村/社区、出生年份、身份证号）与人员档案不符。",
            "{} watch-list flags show their person's name, village, birth year or ID number differently from the person record."
        ),
        CheckFlagsRepairHint => (
            "运行 `beatbook check --repair` 可按人员档案更新这些列管记录。",
            "run `beatbook check --repair` to copy the persons onto those flags."
        ),
        CheckFlagsRepaired => (
            "已按人员档案更新 {} 条列管记录（已记入审计日志），复查通过。",
            "copied the persons onto {} flags (audited); the re-check passes."
        ),
        CheckFailed => ("检查发现问题，见上。", "the check found problems, listed above."),
        // issue 11 — usernames, hostile characters, messages a person can act on
        UsageUnknownArgument => ("命令行中有不认识的参数 {}。", "unknown argument {}."),
        UsageUnknownCommand => ("没有名为 {} 的子命令。", "there is no subcommand {}."),
        UsageBadValue => ("参数 {} 的值“{}”无效。", "{} has an invalid value '{}'."),
        UsageMissingArgument => ("缺少必需的参数：{}。", "a required argument is missing: {}."),
        UsageMissingCommand => ("缺少子命令。", "a subcommand is missing."),
        UsageValueCount => ("参数 {} 的值个数不对。", "{} got the wrong number of values."),
        UsageConflict => ("参数 {} 不能与 {} 同时使用。", "{} cannot be used together with {}."),
        UsageNoEquals => ("参数 {} 的值须用等号连写，例如 {}=值。", "write the value of {} with an equals sign."),
        UsageNotUtf8 => ("命令行含有无法识别的字符（不是 UTF-8 编码）。", "the command line holds characters that are not UTF-8."),
        UsageOther => ("命令行用法有误。", "the command line is not valid."),
        UsageValidValues => ("可选值：{}。", " Possible values: {}."),
        UsageDidYouMean => ("您是否想用 {}？", " Did you mean {}?"),
        UsageSeeHelp => (
            "运行 beatbook --help 查看全部子命令和参数（中文说明见随程序附带的 README.md）。",
            " Run beatbook --help for every subcommand and option."
        ),
        HelpInChinese => (
            "以上为英文参数说明。中文说明（全部命令、参数和按键）见随程序附带的 README.md；不带子命令运行 beatbook 打开中文界面（--lang zh）。",
            ""
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn both_languages_present_and_filled() {
        let zh = Cli::InitDone.fill(Lang::Zh, &[&"城关派出所", &"admin", &"admin"]);
        assert!(zh.contains("城关派出所") && !zh.contains("{}"), "{zh}");
        let en = Cli::InitDone.fill(Lang::En, &[&"Town", &"admin", &"admin"]);
        assert!(en.starts_with("Set up station 'Town'"), "{en}");
    }
}
