//! Names of audit-log actions, record kinds and the machine-written details, in both
//! languages: the log stores stable codes (`person.reveal`, `visit.done`) so that it can
//! be verified and exchanged; the viewer shows what they mean to the reader.

use super::Lang;

/// What an action code means (`person.reveal` → 查看身份证号 / revealed ID). An unknown
/// code (a newer version's, a station-specific one) is shown as it is.
pub fn action_label(code: &str, lang: Lang) -> String {
    let (zh, en) = match code {
        "account.create" => ("新建账号", "account created"),
        "account.disable" => ("停用账号", "account disabled"),
        "account.enable" => ("启用账号", "account enabled"),
        "account.password_changed" => ("修改密码", "password changed"),
        "account.password_reset" => ("重置密码", "password reset"),
        "account.role" => ("更改角色", "role changed"),
        "account.station" => ("调动派出所", "station changed"),
        "account.unlock" => ("解锁账号", "account unlocked"),
        "alert.acknowledge" => ("确认预警", "alert acknowledged"),
        "backup" => ("备份", "backup"),
        "demo.findings" => ("演示督办", "demo findings"),
        "demo.load" => ("载入演示数据", "demo data loaded"),
        "dispute.accept" => ("受理纠纷", "dispute accepted"),
        "dispute.close" => ("结案", "dispute closed"),
        "dispute.edit" => ("修改纠纷", "dispute edited"),
        "dispute.escalate" => ("上报纠纷", "dispute escalated"),
        "dispute.extension_decision" => ("审批延期", "extension decided"),
        "dispute.extension_request" => ("申请延期", "extension requested"),
        "dispute.feedback" => ("反馈报告人", "feedback given"),
        "conflict.resolve" => ("处理同步冲突", "sync conflict decided"),
        "dispute.refer" => ("移交纠纷", "dispute referred"),
        "dispute.register" => ("登记纠纷", "dispute registered"),
        "dispute.reopen" => ("重新调处", "dispute reopened"),
        "dispute.resolve" => ("化解纠纷", "dispute resolved"),
        "dispute.session" => ("调解记录", "mediation session"),
        "export" => ("导出数据", "export"),
        "finding.accept" => ("督办销号", "finding accepted"),
        "finding.create" => ("下发督办", "finding recorded"),
        "finding.rectify" => ("整改回复", "finding answered"),
        "finding.return" => ("督办退回", "finding returned"),
        "import.persons" => ("导入人员", "persons imported"),
        "login" => ("登录", "login"),
        "login.failed" => ("登录失败", "login failed"),
        "login.locked" => ("账号锁定", "account locked"),
        "login.refused_disabled" => ("停用账号登录被拒", "login refused (disabled)"),
        "login.refused_locked" => ("锁定账号登录被拒", "login refused (locked)"),
        "login.unknown_user" => ("未知用户登录", "login by unknown user"),
        "paper.print" => ("打印文书", "paper printed"),
        "dispute.agreement" => ("补全调解协议书", "agreement completed"),
        "person.create" => ("新建人员", "person created"),
        "person.reveal" => ("查看身份证号", "ID revealed"),
        "person.update" => ("修改人员", "person edited"),
        "setup.first_station" => ("初始设置", "first setup"),
        "sync.pull" => ("从汇总库同步", "pulled from the hub"),
        "station.create" => ("新建派出所", "station created"),
        "store.repair_flag_copies" => ("修复列管副本", "flag copies repaired"),
        "store.repair_indexes" => ("重建索引", "indexes rebuilt"),
        "visit.cancel" => ("取消走访", "visit cancelled"),
        "visit.done" => ("走访完成", "visit done"),
        "visit.missed" => ("走访未成", "visit missed"),
        "visit.reschedule" => ("改期走访", "visit rescheduled"),
        "visit.schedule" => ("安排走访", "visit scheduled"),
        "watch.decide" => ("审批列管", "watch decision"),
        "watch.flag" => ("列入重点", "person flagged"),
        "watch.level" => ("调整等级", "level changed"),
        "watch.remove" => ("撤销列管", "flag removed"),
        "watch.review" => ("列管复核", "flag reviewed"),
        "watch.review_alerts" => ("复核预警", "alerts reviewed"),
        // issue 11 — forged archives, restore rights, the audit head outside the store, audited exports
        "export.started" => ("开始导出", "export started"),
        "export.failed" => ("导出未完成", "export not completed"),
        "restore" => ("从备份恢复", "restored from a backup"),
        "restore.refused" => ("恢复被拒", "restore refused"),
        _ => return code.to_string(),
    };
    lang.pick(zh, en).to_string()
}

/// The detail of an entry in the reader's language where the service wrote it as
/// machine text (`visit due 2026-12-05`, `revealed ID number and phone of person …`);
/// `subject` is the name the viewer resolved for the entry. Free text someone typed (a
/// title, a reason) is shown as it is.
pub fn detail_text(action: &str, detail: &str, subject: &str, lang: Lang) -> String {
    let who = if subject.is_empty() { "?" } else { subject };
    if action == "person.reveal" && detail.starts_with("revealed ID number and phone") {
        return match lang {
            Lang::Zh => format!("查看了 {who} 的身份证号和电话"),
            Lang::En => format!("revealed the ID number and phone of {who}"),
        };
    }
    if let Some(due) = detail.strip_prefix("visit due ") {
        return match lang {
            Lang::Zh => format!("应访日期 {due}"),
            Lang::En => format!("visit due {due}"),
        };
    }
    if let Some(rest) = detail.strip_prefix("visit to ") {
        if let Some((name, due)) = rest.rsplit_once(" due ") {
            return match lang {
                Lang::Zh => format!("走访 {name}，应访日期 {due}"),
                Lang::En => format!("visit to {name} due {due}"),
            };
        }
    }
    if let Some(rest) = detail.strip_prefix("resolved; ") {
        if let Some(n) = rest.strip_suffix(" follow-up visits scheduled") {
            return match lang {
                Lang::Zh => format!("已化解；安排回访 {n} 次"),
                Lang::En => detail.to_string(),
            };
        }
    }
    if let Some(n) = detail
        .strip_prefix("export of ")
        .and_then(|r| r.strip_suffix(" records"))
    {
        return match lang {
            Lang::Zh => format!("导出 {n} 条记录"),
            Lang::En => detail.to_string(),
        };
    }
    detail.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_the_service_writes_has_a_chinese_label() {
        for code in ["person.reveal", "visit.done", "dispute.register", "login"] {
            assert_ne!(action_label(code, Lang::Zh), code);
        }
        assert_eq!(action_label("something.new", Lang::Zh), "something.new");
    }

    #[test]
    fn a_reveal_names_whose_id_was_read() {
        let d = detail_text(
            "person.reveal",
            "revealed ID number and phone of person 01J",
            "张三丰",
            Lang::Zh,
        );
        assert_eq!(d, "查看了 张三丰 的身份证号和电话");
        assert_eq!(
            detail_text("dispute.edit", "邻里噪音", "", Lang::Zh),
            "邻里噪音"
        );
    }
}
