//! What keys map to. One enum for the whole app (ratatui's component pattern): keymaps
//! name these in their `run` fields, screens handle them.

use beatbook_i18n::Lang;

macro_rules! actions {
    ($( $variant:ident = $name:literal, $zh:literal, $en:literal; )*) => {
        /// An app action a key can be bound to.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Action {
            $( $variant ),*
        }

        impl Action {
            /// Every action, for validating keymaps and listing them.
            pub const ALL: &'static [Action] = &[$( Action::$variant ),*];

            /// The name used in keymap files (`run = "visit_done"`).
            pub fn name(self) -> &'static str {
                match self { $( Action::$variant => $name ),* }
            }

            /// Parses a keymap `run` value.
            pub fn from_name(name: &str) -> Option<Action> {
                match name { $( $name => Some(Action::$variant), )* _ => None }
            }

            /// The built-in description, used when a keymap entry gives none.
            pub fn describe(self, lang: Lang) -> &'static str {
                match self { $( Action::$variant => lang.pick($zh, $en) ),* }
            }
        }
    };
}

actions! {
    Quit = "quit", "退出", "Quit";
    ForceQuit = "force_quit", "立即退出", "Quit now";
    Help = "help", "帮助", "Help";
    SwitchLang = "switch_lang", "切换中/英文", "Switch language (中文/English)";
    Logout = "logout", "注销", "Log out";
    Up = "up", "上移", "Move up";
    Down = "down", "下移", "Move down";
    Top = "top", "到顶部", "Go to top";
    Bottom = "bottom", "到底部", "Go to bottom";
    PageUp = "page_up", "上一页", "Page up";
    PageDown = "page_down", "下一页", "Page down";
    Open = "open", "查看详情", "Open details";
    Back = "back", "返回", "Back";
    VisitDone = "visit_done", "记录已访", "Record visit done";
    VisitMissed = "visit_missed", "记为未访", "Mark visit missed";
    VisitReschedule = "visit_reschedule", "改期", "Reschedule visit";
    VisitCancel = "visit_cancel", "取消回访", "Cancel visit";
    VisitNew = "visit_new", "安排新回访", "Schedule a new visit";
    ToggleScope = "toggle_scope", "切换 我的/全所", "Toggle mine / whole station";
    Filter = "filter", "筛选", "Filter the list";
    ClearFilter = "clear_filter", "清除筛选", "Clear the filter";
    AcceptFilter = "accept_filter", "确定筛选", "Keep the filter";
    Refresh = "refresh", "刷新", "Refresh";
    NextField = "next_field", "下一项", "Next field";
    PrevField = "prev_field", "上一项", "Previous field";
    Save = "save", "保存", "Save";
    Cancel = "cancel", "取消", "Cancel";
    Submit = "submit", "确认（最后一项时保存）", "Confirm (saves on the last field)";
    Yes = "yes", "是", "Yes";
    No = "no", "否", "No";
    LoadDemo = "load_demo", "载入演示数据", "Load demo data";
    CreateStation = "create_station", "创建派出所和管理员", "Create first station and administrator";
    SwitchView = "switch_view", "切换 今日回访/纠纷台账", "Switch Today / dispute register";
    FilterStatus = "filter_status", "按状态筛选（循环）", "Filter by status (cycles)";
    FilterRisk = "filter_risk", "按风险筛选（循环）", "Filter by risk (cycles)";
    FilterOverdue = "filter_overdue", "只看超期", "Only overdue";
    FilterCategory = "filter_category", "按类别筛选（循环）", "Filter by category (cycles)";
    Sort = "sort", "排序方式（循环）", "Sort order (cycles)";
    DisputeNew = "dispute_new", "登记纠纷", "Register a dispute";
    DisputeAccept = "dispute_accept", "受理", "Accept";
    DisputeSession = "dispute_session", "记录调解", "Record a mediation session";
    DisputeResolve = "dispute_resolve", "化解", "Resolve";
    DisputeRefer = "dispute_refer", "移交", "Refer";
    DisputeEscalate = "dispute_escalate", "转为案件", "Escalate to a case";
    DisputeReopen = "dispute_reopen", "复发（重新调解）", "Reopen (flared up again)";
    ExtensionRequest = "extension_request", "申请延期", "Request an extension";
    ExtensionDecide = "extension_decide", "审批延期", "Approve or reject an extension";
    DisputeClose = "dispute_close", "办结", "Close";
    DisputeFeedback = "dispute_feedback", "已反馈当事人", "Feedback given";
    DisputeEdit = "dispute_edit", "修改纠纷信息", "Edit the dispute";
    OpenParty = "open_party", "查看当事人", "Open the party";
    Next = "next", "下一条", "Next";
    Previous = "previous", "上一条", "Previous";
    CreatePerson = "create_person", "新建人员", "Create a new person";
    WidenSearch = "widen_search", "在可查看的全部派出所中查找", "Search every station you may read";
    LinkRecurrence = "link_recurrence", "作为复发关联登记", "Register, linked as a recurrence";
    OpenExisting = "open_existing", "打开已有纠纷", "Open the existing dispute instead";
    ContinueAnyway = "continue_anyway", "仍然登记为新纠纷", "Register as a new, unrelated dispute";
    Reveal = "reveal", "显示完整身份证号和电话（记入审计）", "Reveal ID number and phone (audited)";
    Flag = "flag", "列为重点人员", "Put on the watch list";
    FlagLevel = "flag_level", "调整等级", "Change the level";
    FlagRemove = "flag_remove", "撤销列管（需原因）", "Remove from the watch list (reason)";
    FlagDecide = "flag_decide", "审批撤销/降级（所长）", "Approve or reject removal/lowering (chief)";
    FlagReview = "flag_review", "复核", "Record a review";
    Acknowledge = "acknowledge", "确认提醒", "Acknowledge the alert";
    EditProfile = "edit_profile", "修改人员信息", "Edit the person's profile";
    FindingNew = "finding_new", "记录巡查问题（法制监督）", "Record a supervision finding (supervisor)";
    FindingRectify = "finding_rectify", "答复整改", "Answer a finding with the rectification";
    FindingAccept = "finding_accept", "验收整改（法制监督）", "Accept the rectification (supervisor)";
    FindingReturn = "finding_return", "退回整改（需原因）", "Return the rectification (reason)";
    AuditLog = "audit_log", "审计日志（所长、法制监督）", "Audit log (chiefs, supervisors)";
    AccountNew = "account_new", "新建账号", "Create an account";
    StationNew = "station_new", "新建派出所", "Create a station";
    AccountRole = "account_role", "更改角色", "Change the role";
    AccountStation = "account_station", "调动到其他派出所", "Move to another station";
    AccountToggle = "account_toggle", "停用/启用账号", "Disable or re-enable the account";
    AccountReset = "account_reset", "重置密码（下次登录须修改）", "Reset the password (must change at next login)";
    AccountUnlock = "account_unlock", "解锁账号", "Unlock the account";
    Backup = "backup", "备份整个数据库（写入备份文件）", "Back up the whole store to a file";
    Statistics = "statistics", "统计月报（所长、法制）", "Statistics and monthly report (chief, supervisor)";
    PrevMonth = "prev_month", "上个月", "Previous month";
    NextMonth = "next_month", "下个月", "Next month";
    NextStation = "next_station", "切换派出所 / 全局", "Next station / bureau-wide";
    WriteReport = "write_report", "把月报写入数据文件夹", "Write the monthly report to the data folder";
    // issue 10 — Today: jump between the sections (findings, alerts, approvals, visits)
    NextSection = "next_section", "跳到下一分区", "Jump to the next section";
    PrevSection = "prev_section", "跳到上一分区", "Jump to the previous section";
    Noop = "noop", "（无操作）", "(nothing)";
    // issue 10 — residents, villages, account particulars
    PersonNew = "person_new", "新建人员", "Register a new person";
    EditVillages = "edit_villages", "编辑本所村/社区列表", "Edit the station's villages";
    AccountParticulars = "account_particulars", "警号和电话", "Police number and phone";
    StationAccounts = "station_accounts", "本所账号（警号、电话）", "The station's accounts (police no., phone)";
    // issue 14 — conflicts from the hub
    Conflicts = "conflicts", "同步冲突（两台终端同时修改）", "Sync conflicts (changed on two terminals)";
    KeepKept = "keep_kept", "采用搁置的版本（列出的字段）", "Take the version set aside (the fields listed)";
    KeepHub = "keep_hub", "保留现在的版本", "Keep the current version";
    SamePerson = "same_person", "同一个人（合并）", "Same person (merge)";
    DismissRequest = "dismiss_request", "驳回民警的合并申请（所长）", "Turn down an officer's merge request (chief)";
    MergeFirst = "merge_first", "合并到第 1 条（所长）", "Merge into record 1 (chief)";
    MergeSecond = "merge_second", "合并到第 2 条（所长）", "Merge into record 2 (chief)";
    ToggleField = "toggle_field", "该字段改用搁置的版本 / 改回", "Take this field from the version set aside / back";
    // issue 15 — printing
    Print = "print", "打印（生成 PDF）", "Print (write a PDF)";
}
