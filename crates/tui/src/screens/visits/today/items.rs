//! The rows Today lists besides visits (alerts, approvals, findings), the sections they fall in and how many lines each may take.

use beatbook_core::rules::visits::Urgency;
use beatbook_model::Id;
use beatbook_service::{
    AlertKind, AlertRow, ApprovalKind, ApprovalRow, ApprovalTarget, DisputeAlert, FindingRow,
};

/// The parts of Today, in the order they are listed. The section jump (`s`) moves
/// between them: at 80×24 the alerts alone can fill a screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    Findings,
    Disputes,
    Watch,
    /// The chief's pending approvals.
    Inbox,
    Overdue,
    DueToday,
    Upcoming,
}

impl Section {
    pub(super) fn of(u: Urgency) -> Section {
        match u {
            Urgency::Overdue => Section::Overdue,
            Urgency::DueToday => Section::DueToday,
            Urgency::Upcoming => Section::Upcoming,
        }
    }

    /// The alert sections, in list order.
    pub(super) const ALERTS: [Section; 4] = [
        Section::Findings,
        Section::Disputes,
        Section::Watch,
        Section::Inbox,
    ];
}

/// A line above the visits: a supervision finding, a dispute matter, a watch-list alert
/// or (for the chief) an approval waiting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TodayAlert {
    Dispute(DisputeAlert),
    Watch(AlertRow),
    /// A finding the station owes an answer to (or, for a supervisor, one to judge).
    Finding(FindingRow),
    /// Something only the chief decides.
    Approval(ApprovalRow),
}

impl TodayAlert {
    /// What the line is about: the dispute title or the person's name.
    pub fn title(&self) -> &str {
        match self {
            TodayAlert::Dispute(a) => &a.title,
            TodayAlert::Watch(a) => &a.person_name,
            TodayAlert::Finding(f) => &f.finding.target_label,
            TodayAlert::Approval(r) => &r.title,
        }
    }

    pub fn section(&self) -> Section {
        match self {
            TodayAlert::Finding(_) => Section::Findings,
            TodayAlert::Dispute(_) => Section::Disputes,
            TodayAlert::Watch(_) => Section::Watch,
            TodayAlert::Approval(_) => Section::Inbox,
        }
    }

    /// The record behind the line, to find it again after the list changed.
    pub(super) fn key(&self) -> ItemKey {
        match self {
            TodayAlert::Finding(f) => ItemKey::Finding(f.finding.meta.id),
            TodayAlert::Dispute(a) => ItemKey::Dispute(a.dispute, dispute_kind_code(a.kind)),
            TodayAlert::Watch(a) => ItemKey::Watch(a.alert.meta.id),
            TodayAlert::Approval(r) => ItemKey::Approval(r.target, approval_kind_code(r.kind)),
        }
    }
}

fn dispute_kind_code(kind: AlertKind) -> u8 {
    match kind {
        AlertKind::DeadlineOverdue { .. } => 0,
        AlertKind::DeadlineSoon => 1,
        AlertKind::FeedbackDue => 2,
        AlertKind::NoContact { .. } => 3,
        AlertKind::ExtensionPending => 4,
        AlertKind::Closable => 5,
    }
}

fn approval_kind_code(kind: ApprovalKind) -> u8 {
    match kind {
        ApprovalKind::FlagLowering { .. } => 0,
        ApprovalKind::FlagRemoval { .. } => 1,
        ApprovalKind::Extension { .. } => 2,
        ApprovalKind::Closable => 3,
    }
}

/// What a line of Today stands for, by record id: the selection follows it through
/// filters, reloads and scope switches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKey {
    Finding(Id),
    Dispute(Id, u8),
    Watch(Id),
    Approval(ApprovalTarget, u8),
    Visit(Id),
    Toggle(Section),
}

/// One selectable line of Today (section headings are drawn, not selected).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item {
    /// Index into `alerts`.
    Alert(usize),
    /// The "+N more" / "show fewer" line of a long alert section.
    Toggle {
        section: Section,
        hidden: usize,
        expanded: bool,
    },
    /// Index into `view.rows`.
    Visit(usize),
}

/// Where a section starts among the items, and how many of its records pass the filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SectionSpan {
    pub section: Section,
    pub count: usize,
    pub start: usize,
}

/// Alert lines (headings, alerts and "+N more" rows together) the sections may take
/// before they are collapsed further: at 80×24 the list has 20 lines, and the first owed
/// visit (its heading and row) must stay on the first of them.
pub(super) const ALERT_LINES: usize = 12;
/// Alerts a section shows before "+N more", at most.
pub(super) const COLLAPSED: usize = 3;

/// Alerts shown per collapsed section when `sections` alert sections are listed: three
/// when there is room, fewer when the chief has all four.
pub(super) fn collapsed_limit(sections: usize) -> usize {
    if sections == 0 {
        return COLLAPSED;
    }
    // Each section takes a heading and a "+N more" line besides its alerts.
    (ALERT_LINES / sections)
        .saturating_sub(2)
        .clamp(1, COLLAPSED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alert_sections_leave_room_for_the_first_visit_at_80x24() {
        // 20 list lines at 80×24: the alerts (headings, lines, "+N more") take at most
        // ALERT_LINES, the first visit's heading and row the next two.
        for sections in 1..=Section::ALERTS.len() {
            let limit = collapsed_limit(sections);
            assert!((1..=COLLAPSED).contains(&limit));
            assert!(sections * (limit + 2) <= ALERT_LINES, "{sections}: {limit}");
        }
        assert_eq!(collapsed_limit(1), 3);
        assert_eq!(collapsed_limit(4), 1);
    }
}
