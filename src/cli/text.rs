//! Texts of the command-line subcommands: errors, summaries and prompts. Machine-readable
//! output (`bench` JSON lines, `export` records) stays English and is not listed here.

beatbook_i18n::text_table! {
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
        PrintWritten => ("已生成 PDF：{}（{} 页，{} KB）{}", "PDF written: {} ({} pages, {} KB) {}"),
        PrintBadPeriod => (
            "时间段“{}”格式不对，请写成 年-月（如 2026-11）或 起..止（如 2026-11-01..2026-11-30）。",
            "'{}' is not a period; write a month (2026-11) or FROM..TO (2026-11-01..2026-11-30)."
        ),
        PrintBadSet => (
            "“{}”写法不对：请写成 当事人姓名.项目=内容，项目为 gender、ethnicity、birth_date、occupation、address、phone 之一，姓名须是该纠纷的当事人。",
            "'{}' is not NAME.FIELD=VALUE with NAME a party of the dispute and FIELD one of gender, ethnicity, birth_date, occupation, address, phone."
        ),
        PrintBadId => ("“{}”不是记录编号（可用 beatbook export 查看编号）。", "'{}' is not a record id (beatbook export lists them)."),
        ImportOtherStation => ("只能导入到本人所在的派出所（{}）。", "you can import only into your own station ({})."),
        ImportUnreadable => ("无法读取文件 {}：{}", "cannot read {}: {}"),
        ImportSummary => (
            "文件 {}（编码 {}）：{} 行数据，新建 {} 人，补充 {} 人，无变化 {} 人，列管 {} 人；冲突 {} 处，不合格 {} 行。",
            "{} (encoding {}): {} rows, {} created, {} completed, {} unchanged, {} put on the watch list; {} conflicts, {} rows rejected."
        ),
        ImportConflictLine => ("  第 {} 行 {}：{} 在册为「{}」，文件为「{}」（未覆盖）", "  line {} {}: {} on record '{}', in the file '{}' (kept)"),
        ImportRejectedLine => ("  第 {} 行{}：{}", "  line {}{}: {}"),
        ImportMoreRejected => ("  ……另有 {} 处问题，见报告文件。", "  … {} more problems, see the report file."),
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
        AuditHubMatches => (
            "与分局服务器核对：其记录的本终端第 {} 条审计记录（{} 上传）与本机一致。",
            "Checked against the hub: the entry {} it recorded for this terminal (pushed {}) is in this chain unchanged."
        ),
        AuditHubDiffers => (
            "与分局服务器核对不符：其记录的本终端第 {} 条审计记录（{} 上传）与本机不同——审计日志被改写过。请勿继续使用本机数据，保留现场并报告管理员和法制大队。",
            "Does not match the hub: the entry {} it recorded for this terminal (pushed {}) is not the one in this chain — the audit log was rewritten. Stop using this data, keep it as evidence and tell the administrator and the legal affairs brigade."
        ),
        AuditHubShorter => (
            "与分局服务器核对不符：本机审计日志只到第 {} 条，而分局服务器记录到第 {} 条（{} 上传）——日志被截短或换成了较早的副本。",
            "Does not match the hub: this chain ends at entry {}, but the hub recorded entry {} (pushed {}) — the log was cut short or replaced by an older copy."
        ),
        AuditHubNotRecorded => (
            "分局服务器尚无本终端审计日志的记录（尚未上传过改动）。",
            "The hub has no record of this terminal's audit log yet (nothing pushed)."
        ),
        AuditHubUnreachable => (
            "现在无法与分局服务器核对；上次核对：{}。",
            "Not checked against the hub now; last checked: {}."
        ),
        AuditHubNever => ("从未", "never"),
        HubInitDone => (
            "分局服务器已建立：{}。下一步：用 beatbook hub add-terminal 为各终端登记。",
            "The hub is set up at {}. Next: enrol terminals with beatbook hub add-terminal."
        ),
        HubTerminalAdded => (
            "已登记终端 {}。以下登记凭据只显示这一次，请交给该终端的操作人员，勿写入聊天或邮件：",
            "Enrolled terminal {}. Its enrolment is shown this once; hand it to the terminal's operator, never through chat or mail:"
        ),
        HubTerminalAddedFile => (
            "已登记终端 {}，登记凭据写入 {}（仅本用户可读）。加入后请删除该文件。",
            "Enrolled terminal {}; its enrolment is in {} (readable by this user only). Delete the file once the terminal has joined."
        ),
        HubJoinHint => (
            "在该终端上运行：{}（凭据用 --credential 文件、环境变量 BEATBOOK_HUB_SECRET 或按提示输入）。",
            "On that terminal run: {} (the enrolment from a --credential file, BEATBOOK_HUB_SECRET, or typed when asked)."
        ),
        HubUploaded => (
            "已上传 {} 条记录，用时 {} 秒。",
            "Uploaded {} records in {} s."
        ),
        HubDemoNext => (
            "用以上命令加入两个城关派出所终端和一个分局终端，然后对各文件夹运行 beatbook --data 文件夹，用 officer / supervisor（密码 demo1234）登录。",
            "Join two terminals of 城关派出所 and one bureau terminal with the commands above, then run beatbook --data FOLDER on each and log in as officer or supervisor (password demo1234)."
        ),
        HubJoined => ("已加入分局服务器 {}。", "Joined the hub at {}."),
        HubNotJoined => (
            "本数据文件夹未加入分局服务器（单机使用）。",
            "This data folder has not joined a hub (it works on its own)."
        ),
        HubBureau => ("分局", "the bureau"),
        HubStatus => (
            "分局服务器：{}\n本终端：{}（{}）\n待发送改动：{} 条\n待处理冲突：{} 个",
            "Hub: {}\nThis terminal: {} ({})\nChanges waiting: {}\nConflicts waiting: {}"
        ),
        HubSecretPrompt => ("请输入登记凭据：", "Enrolment: "),
        HubSecretUnreadable => (
            "无法从终端读取登记凭据（{}）。请用 --credential 文件或环境变量 BEATBOOK_HUB_SECRET 提供。",
            "cannot read the enrolment from the terminal ({}). Give it with --credential FILE or BEATBOOK_HUB_SECRET."
        ),
        HubBadSecret => (
            "登记凭据格式不对（应为 hub add-terminal 给出的“名称.密钥”）。",
            "the enrolment is not in its form (NAME.SECRET, as hub add-terminal gives it)."
        ),
        SyncPushing => ("正在发送：{} 条改动", "sending: {} changes"),
        SyncPulling => ("正在接收：{} 条记录", "receiving: {} records"),
        SyncDone => (
            "同步完成：发送 {} 条，接收 {} 条，仍待发送 {} 条，用时 {} 秒。",
            "Synced: {} sent, {} received, {} still waiting, {} s."
        ),
        SyncResolved => (
            "{} 条冲突的处理已交汇总库，各终端同步后一致。",
            "{} conflict decision(s) handed to the hub; every terminal agrees after its sync."
        ),
        SyncDecidedElsewhere => (
            "{} 条冲突已先在其他终端处理，以那边的处理为准。",
            "{} conflict(s) had already been decided on another terminal; that decision stands."
        ),
        SyncMerged => (
            "{} 条改动与其他终端对同一记录的改动涉及不同字段，已自动合并。",
            "{} changes touched other fields of records another terminal changed too; merged by themselves."
        ),
        SyncConflicts => (
            "{} 条改动与其他终端冲突，两个版本都已保留，等待处理。",
            "{} changes clash with another terminal's; both versions are kept for a person to decide."
        ),
        BackupDone => (
            "备份已写入 {}：{} 个数据树，共 {} 条（其中审计日志 {} 条），{} MB，用时 {} 秒。",
            "Backup written to {}: {} trees, {} entries ({} audit entries), {} MB, {} s."
        ),
        RestoreOlderThanHub => (
            "注意：这份备份比汇总库记录的本终端旧（备份中审计日志 {} 条；汇总库在 {} 记录了 {} 条）。恢复后，本终端会从汇总库取回备份之后的改动。",
            "Note: this backup is older than the hub's record of this terminal: it holds {} audit entries; at {} the hub recorded {}. After the restore the terminal pulls back the changes made since the backup."
        ),
        RestoreOlderAsk => ("仍要恢复吗？[y/N]", "Restore it anyway? [y/N]"),
        RestoreOlderRefused => (
            "未恢复：备份比汇总库的记录旧。确认要恢复时加上 --older（之后的改动会从汇总库取回）。",
            "not restored: the backup is older than the hub's record. Add --older to restore it anyway (the later changes are pulled back from the hub)."
        ),
        RestoreHubUnchecked => (
            "注意：无法向汇总库核对这份备份是否过旧（{}）。恢复后请尽快同步。",
            "Note: the backup could not be checked against the hub ({}). Sync soon after the restore."
        ),
        RestoreRejoined => (
            "已与汇总库重新衔接：取回 {} 条记录。",
            "Back in step with the hub: {} records pulled back."
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
        CheckSpace => (
            "空间：存储占用磁盘 {} MB，其中数据 {} MB（{} 倍）。",
            "space: {} MB on disk for {} MB of entries ({}×)."
        ),
        CheckCompactHint => (
            "管理员运行 `beatbook compact --user 管理员账号` 可重写存储，把多占的空间还给磁盘（数据文件夹里会留一份压缩前的备份）。",
            "an administrator can run `beatbook compact --user ADMIN` to write the store anew and give the extra space back to the disk (a backup of the store as it was stays in the data folder)."
        ),
        CheckFailed => ("检查发现问题，见上。", "the check found problems, listed above."),
        // issue 11 — forged archives, restore rights, the audit head outside the store, audited exports
        RestoreNeedsUser => (
            "恢复备份须由管理员进行：请用 --user 指定管理员账号（替换已有数据时是现有数据的管理员，恢复到空文件夹时是备份中的管理员），密码从 BEATBOOK_PASSWORD 读取或随后询问。",
            "restoring a backup is for an administrator: name one with --user (of the data being replaced, or of the backup when the folder is empty); the password is read from BEATBOOK_PASSWORD or asked."
        ),
        CompactNeedsUser => (
            "压缩存储须由管理员进行：请用 --user 指定管理员账号，密码从 BEATBOOK_PASSWORD 读取或随后询问。",
            "compacting the store is for an administrator: name one with --user; the password is read from BEATBOOK_PASSWORD or asked."
        ),
        CompactDone => (
            "存储已重写压缩：{} MB → {} MB，共 {} 条，用时 {} 秒；审计链和索引均已校验。",
            "The store was rewritten compactly: {} MB → {} MB, {} entries, {} s; audit chain and indexes verified."
        ),
        CompactArchiveKept => (
            "压缩前的存储已备份到 {}（确认无误后可自行删除或另行保管）。",
            "A backup of the store as it was is at {} (keep it elsewhere or delete it once you are sure)."
        ),
        CompactLeftAside => (
            "被替换的旧存储未能删除，仍在 {}：确认无误后请手动删除以腾出空间。",
            "The replaced store could not be removed and is still at {}: delete it by hand to free the space."
        ),
        RestoreSigned => ("备份签名已用本局密钥 {} 验证。", "The backup's signature verified under bureau key {}."),
        RestoreUnsignedAccepted => (
            "注意：此备份没有签名，按 --accept-unsigned 恢复，已记入审计日志。",
            "Note: this backup carries no signature; it was restored because of --accept-unsigned, and that is in the audit log."
        ),
        RestoreKeyInstalled => (
            "--key 给出的密钥已成为此数据文件夹的密钥：{}。",
            "The key given with --key is now this data folder's key: {}."
        ),
        BackupSigned => (
            "备份已用本局密钥 {} 签名（{}）。请另存一份密钥副本，与备份分开保管：在别的电脑上恢复需要它。",
            "Signed with bureau key {} ({}). Keep a copy of that key apart from the backups: restoring on another machine needs it."
        ),
        BackupUnsigned => (
            "注意：此数据文件夹没有本局密钥，备份未签名；恢复时须加 --accept-unsigned。",
            "Note: this data folder has no bureau key, so the backup is unsigned; restoring it will need --accept-unsigned."
        ),
        KeyWhere => (
            "备份签名密钥：{}。请复制一份，与备份分开保管（不要放在同一个U盘或硬盘上）。",
            "Backup signing key: {}. Keep a copy of it apart from the backups (not on the same stick or disk)."
        ),
        KeyCreated => (
            "已为此数据文件夹创建备份签名密钥：{}。今后的备份都用它签名，在别的电脑上恢复需要它：请复制一份，与备份分开保管。",
            "Created this data folder's backup signing key: {}. Backups are signed with it from now on and restoring one on another machine needs it: keep a copy apart from the backups."
        ),
        AuditHeadMatches => (
            "与存放在数据库之外的审计链记录一致（第 {} 条）。",
            "It matches the audit head kept outside the store (entry {})."
        ),
        AuditHeadMissing => (
            "警告：数据库之外的审计链记录（{}）缺失或无法读取，无法确认审计日志未被整体改写。请报告管理员和法制大队。",
            "warning: the audit head kept outside the store ({}) is missing or unreadable, so a rewritten audit log cannot be ruled out. Tell the administrator and the legal affairs brigade."
        ),
        AuditHeadShorter => (
            "警告：审计日志只有 {} 条，而数据库之外的记录表明曾有 {} 条：日志尾部被截掉了。数据可能被篡改，请保留此数据文件夹的副本作为证据，并报告管理员和法制大队。",
            "warning: the audit log holds {} entries, but the head kept outside the store recorded {}: its tail was cut off. The data may have been tampered with; keep a copy of this data folder as evidence and tell the administrator and the legal affairs brigade."
        ),
        AuditHeadWarning => (
            "警告：审计日志与数据库之外记录的审计链不符，可能被改写。请运行 `beatbook audit verify` 查看详情，并报告管理员和法制大队。",
            "warning: the audit log does not match the head recorded outside the store; it may have been rewritten. Run `beatbook audit verify` for details and tell the administrator and the legal affairs brigade."
        ),
        AuditHeadDiffers => (
            "警告：审计日志第 {} 条与数据库之外记录的不同：日志被改写并重新计算了校验。数据可能被篡改，请保留此数据文件夹的副本作为证据，并报告管理员和法制大队。",
            "warning: audit entry {} differs from the one recorded outside the store: the log was rewritten and re-hashed. The data may have been tampered with; keep a copy of this data folder as evidence and tell the administrator and the legal affairs brigade."
        ),
        // issue 11 — import
        ImportUndone => (
            "上次中断的导入（{} 行，{} 于 {} 开始）已撤销：{} 条记录已删除或恢复原样，数据与导入前一致。请重新导入该文件。",
            "an interrupted import ({} rows, started by {} at {}) was undone: {} records were removed or put back as they were, so the data is as before it. Import the file again."
        ),
        ReportMonthYear => (
            "月份“{}”的年份超出范围：只接受 2000 年至 2100 年，例如 2026-11。",
            "'{}' is out of range: the year must be from 2000 to 2100, e.g. 2026-11."
        ),
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
