//! The figures of one station-month, from facts read off the indexes.
//!
//! Definitions (what each number means, so a chief can defend it):
//!
//! - **Received** (受理/登记): disputes whose first status-history line (registration)
//!   falls in the month, by local date. **Resolved / referred / escalated / reopened**:
//!   status changes into that status dated in the month (a dispute resolved, reopened and
//!   resolved again in one month counts twice as resolved).
//! - **Resolution rate** (化解率): resolved ÷ (resolved + referred + escalated) in the
//!   month — the share of disputes that left mediation by being resolved rather than handed
//!   over. No rate when none left mediation.
//! - **Median days to resolution**: over the month's resolutions, local date resolved minus
//!   the local date reported, in whole days.
//! - **Overdue** (超期): disputes whose mediation deadline (extensions included) fell in the
//!   month, is past (before today), and which were still being mediated at the end of the
//!   deadline day.
//! - **Visits** (应访尽访): over visits *due* in the month and not cancelled — the
//!   **month total** (本月共) is all of them; **owed** (应访) those due up to today
//!   (today included) or already settled (made or recorded missed): mid-month, visits due next week are not yet owed,
//!   so the rate is not dragged down by work nobody could have done yet (a past month is
//!   owed whole). **made** = done (even if late or early); **missed** = recorded missed,
//!   or still scheduled with the due date past; **pending** = still scheduled and not yet
//!   past due. The 应访尽访 rate is made ÷ owed; nothing owed shows no rate ("—"), not
//!   100 %.
//! - **Watch list**: active flags at the end of the month (or now, for the current month)
//!   by category (a person with two categories counts in both) and level; the month's
//!   changes count listings, removals and level changes (raised / lowered) dated in it.
//!   Categories are the flag's current ones: the history does not keep old ones.
//! - **Trend**: received and resolved for the month and the eleven before it.

use super::month::local_date;
use super::Month;
use beatbook_model::{DisputeStatus, Id, RiskLevel, VisitStatus};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use std::collections::BTreeMap;

/// How many months the trend covers.
pub const TREND_MONTHS: usize = 12;

/// What happened to a dispute at one instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisputeFact {
    pub dispute: Id,
    pub at: DateTime<Utc>,
    pub category: String,
    pub reported_on: NaiveDate,
    pub kind: DisputeFactKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DisputeFactKind {
    /// A status-history line; `from` None is the registration.
    Status {
        from: Option<DisputeStatus>,
        to: DisputeStatus,
    },
    /// The mediation deadline, and when mediation ended (if it has).
    Deadline {
        deadline: NaiveDate,
        ended: Option<DateTime<Utc>>,
    },
}

/// `count` visits of one officer in one status due on `due` (or, counted from the
/// index, due within a range that lies on the same side of today as `due`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VisitFact {
    pub officer: Id,
    pub due: NaiveDate,
    pub status: VisitStatus,
    pub count: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagFactKind {
    Added,
    LevelChanged,
    Removed,
}

/// A watch-list change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlagFact {
    pub flag: Id,
    pub at: DateTime<Utc>,
    pub kind: FlagFactKind,
    pub categories: Vec<String>,
    pub from_level: Option<RiskLevel>,
    pub to_level: Option<RiskLevel>,
}

/// Counts of the month's supervision findings (执法巡查): recorded, rectified (the
/// rectification accepted) and overdue at the month's end.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FindingsFigures {
    pub opened: u32,
    pub rectified: u32,
    pub overdue: u32,
}

/// Everything one station-month is computed from.
#[derive(Clone, Debug)]
pub struct Inputs {
    pub station: Id,
    pub station_name: String,
    pub month: Month,
    /// The terminal's zone: month boundaries and "in the month" use local dates.
    pub zone: FixedOffset,
    /// Local today: deadlines and visits due before it count as missed.
    pub today: NaiveDate,
    /// Dispute category codes in dictionary order (every one gets a row).
    pub categories: Vec<String>,
    /// Dispute facts dated within the month (a day's margin either side is fine).
    pub disputes: Vec<DisputeFact>,
    /// Disputes received and resolved over the trend's months, counted at instants (the
    /// store tallies them per hour, so a year is a few thousand counts, not every event).
    pub trend_counts: Vec<TrendCount>,
    /// Visits due in the month, any status.
    pub visits: Vec<VisitFact>,
    /// Watch-list facts before the end of the month, in time order.
    pub flags: Vec<FlagFact>,
    pub findings: FindingsFigures,
}

/// Dispute counts of one category (or the total).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CategoryCounts {
    pub category: String,
    pub received: u32,
    pub resolved: u32,
    pub referred: u32,
    pub escalated: u32,
    pub reopened: u32,
    pub overdue: u32,
}

impl CategoryCounts {
    fn add(&mut self, o: &CategoryCounts) {
        self.received += o.received;
        self.resolved += o.resolved;
        self.referred += o.referred;
        self.escalated += o.escalated;
        self.reopened += o.reopened;
        self.overdue += o.overdue;
    }

    fn is_empty(&self) -> bool {
        self.received
            + self.resolved
            + self.referred
            + self.escalated
            + self.reopened
            + self.overdue
            == 0
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct DisputeFigures {
    pub by_category: Vec<CategoryCounts>,
    pub total: CategoryCounts,
    /// Days to resolution of each of the month's resolutions (for the median; kept so
    /// bureau totals take the median of all, not of medians).
    pub resolution_days: Vec<i64>,
}

impl DisputeFigures {
    /// resolved ÷ (resolved + referred + escalated), None when nothing left mediation.
    pub fn resolution_rate(&self) -> Option<f64> {
        let t = &self.total;
        let out = t.resolved + t.referred + t.escalated;
        (out > 0).then(|| f64::from(t.resolved) / f64::from(out))
    }

    /// The median of the days to resolution, None without resolutions.
    pub fn median_days(&self) -> Option<f64> {
        let mut d = self.resolution_days.clone();
        if d.is_empty() {
            return None;
        }
        d.sort_unstable();
        let n = d.len();
        Some(if n % 2 == 1 {
            d[n / 2] as f64
        } else {
            (d[n / 2 - 1] + d[n / 2]) as f64 / 2.0
        })
    }
}

/// One officer's visits due in the month.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OfficerVisits {
    pub officer: Id,
    /// Due up to today (today included) or already settled (made, recorded missed):
    /// what the rate is over.
    pub owed: u32,
    /// Every visit due in the month, whenever: the owed figure's "of how many".
    pub month_total: u32,
    pub made: u32,
    pub missed: u32,
    pub pending: u32,
}

impl OfficerVisits {
    /// The 应访尽访 rate, made ÷ owed; None when nothing was owed.
    pub fn rate(&self) -> Option<f64> {
        (self.owed > 0).then(|| f64::from(self.made) / f64::from(self.owed))
    }

    fn add(&mut self, o: &OfficerVisits) {
        self.owed += o.owed;
        self.month_total += o.month_total;
        self.made += o.made;
        self.missed += o.missed;
        self.pending += o.pending;
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VisitFigures {
    /// By officer, most owed first.
    pub per_officer: Vec<OfficerVisits>,
    pub total: OfficerVisits,
}

/// The month's watch-list changes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WatchChanges {
    pub added: u32,
    pub removed: u32,
    pub raised: u32,
    pub lowered: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WatchFigures {
    /// Category code and active flags per level (blue, yellow, orange, red).
    pub by_category: Vec<(String, [u32; 4])>,
    /// Active flags per level.
    pub by_level: [u32; 4],
    /// Active flags (persons).
    pub persons: u32,
    pub changes: WatchChanges,
}

/// Disputes received and resolved at one instant (or in the hour starting at it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrendCount {
    pub at: DateTime<Utc>,
    pub received: u32,
    pub resolved: u32,
}

impl TrendCount {
    /// What one dispute fact adds to the trend: received (the first status line) and
    /// resolved (a change to resolved); None for anything else.
    pub fn of_fact(fact: &DisputeFact) -> Option<TrendCount> {
        let DisputeFactKind::Status { from, to } = &fact.kind else {
            return None;
        };
        let received = u32::from(from.is_none());
        let resolved = u32::from(*to == DisputeStatus::Resolved);
        (received + resolved > 0).then_some(TrendCount {
            at: fact.at,
            received,
            resolved,
        })
    }
}

/// Received and resolved in one month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrendPoint {
    pub month: Month,
    pub received: u32,
    pub resolved: u32,
}

/// The figures of one station (or, merged, of the bureau) for one month.
#[derive(Clone, Debug, PartialEq)]
pub struct StationStats {
    pub station: Id,
    pub station_name: String,
    pub month: Month,
    /// The month is not over: figures run to `today`.
    pub partial: bool,
    pub today: NaiveDate,
    pub disputes: DisputeFigures,
    pub visits: VisitFigures,
    pub watch: WatchFigures,
    pub trend: Vec<TrendPoint>,
    pub findings: FindingsFigures,
}

impl StationStats {
    /// What the bureau ranks stations by: missed deadlines, missed visits and overdue
    /// supervision findings of the month.
    pub fn overdue_items(&self) -> u32 {
        self.disputes.total.overdue + self.visits.total.missed + self.findings.overdue
    }

    /// No dispute activity at all in the month: the report says so (零报告).
    pub fn is_zero_report(&self) -> bool {
        self.disputes.total.is_empty()
    }
}

/// Computes a station's figures for the month.
pub fn compute_station(input: &Inputs) -> StationStats {
    let month = input.month;
    StationStats {
        station: input.station,
        station_name: input.station_name.clone(),
        month,
        partial: input.today <= month.last_day(),
        today: input.today,
        disputes: dispute_figures(input),
        visits: visit_figures(input),
        watch: watch_figures(input),
        trend: trend(input),
        findings: input.findings,
    }
}

fn dispute_figures(input: &Inputs) -> DisputeFigures {
    let mut rows: BTreeMap<&str, CategoryCounts> = BTreeMap::new();
    let mut days = Vec::new();
    for fact in &input.disputes {
        let counts = || CategoryCounts {
            category: fact.category.clone(),
            ..Default::default()
        };
        match &fact.kind {
            DisputeFactKind::Status { from, to } => {
                let on = local_date(fact.at, input.zone);
                if !input.month.contains(on) {
                    continue;
                }
                let row = rows.entry(&fact.category).or_insert_with(counts);
                if from.is_none() {
                    row.received += 1;
                }
                match to {
                    DisputeStatus::Resolved => {
                        row.resolved += 1;
                        days.push((on - fact.reported_on).num_days().max(0));
                    }
                    DisputeStatus::Referred => row.referred += 1,
                    DisputeStatus::Escalated => row.escalated += 1,
                    DisputeStatus::Reopened => row.reopened += 1,
                    _ => {}
                }
            }
            DisputeFactKind::Deadline { deadline, ended } => {
                if !input.month.contains(*deadline) || *deadline >= input.today {
                    continue;
                }
                let met = ended.is_some_and(|t| local_date(t, input.zone) <= *deadline);
                if !met {
                    rows.entry(&fact.category).or_insert_with(counts).overdue += 1;
                }
            }
        }
    }
    let mut by_category: Vec<CategoryCounts> = input
        .categories
        .iter()
        .map(|c| {
            rows.remove(c.as_str()).unwrap_or_else(|| CategoryCounts {
                category: c.clone(),
                ..Default::default()
            })
        })
        .collect();
    // Codes no longer in the dictionary still count, after the known ones.
    by_category.extend(rows.into_values());
    let mut total = CategoryCounts::default();
    for row in &by_category {
        total.add(row);
    }
    DisputeFigures {
        by_category,
        total,
        resolution_days: days,
    }
}

fn visit_figures(input: &Inputs) -> VisitFigures {
    let mut per: BTreeMap<Id, OfficerVisits> = BTreeMap::new();
    for v in &input.visits {
        if !input.month.contains(v.due) || v.status == VisitStatus::Cancelled || v.count == 0 {
            continue;
        }
        let row = per.entry(v.officer).or_insert_with(|| OfficerVisits {
            officer: v.officer,
            ..Default::default()
        });
        row.month_total += v.count;
        // Owed: everything but what is still scheduled for a later day.
        if v.due <= input.today || v.status != VisitStatus::Scheduled {
            row.owed += v.count;
        }
        match v.status {
            VisitStatus::Done => row.made += v.count,
            VisitStatus::Missed => row.missed += v.count,
            VisitStatus::Scheduled if v.due < input.today => row.missed += v.count,
            VisitStatus::Scheduled => row.pending += v.count,
            VisitStatus::Cancelled => {}
        }
    }
    let mut per_officer: Vec<OfficerVisits> = per.into_values().collect();
    per_officer.sort_by(|a, b| b.owed.cmp(&a.owed).then(a.officer.cmp(&b.officer)));
    let mut total = OfficerVisits::default();
    for row in &per_officer {
        total.add(row);
    }
    VisitFigures { per_officer, total }
}

fn watch_figures(input: &Inputs) -> WatchFigures {
    /// A flag's state as the facts replay it.
    struct State<'a> {
        active: bool,
        level: RiskLevel,
        categories: &'a [String],
    }
    let end = input.month.end_instant(input.zone);
    let mut flags: BTreeMap<Id, State> = BTreeMap::new();
    let mut changes = WatchChanges::default();
    for fact in input.flags.iter().filter(|f| f.at < end) {
        let in_month = input.month.contains(local_date(fact.at, input.zone));
        let state = flags.entry(fact.flag).or_insert(State {
            active: false,
            level: RiskLevel::Blue,
            categories: &fact.categories,
        });
        state.categories = &fact.categories;
        match fact.kind {
            FlagFactKind::Added => {
                state.active = true;
                state.level = fact.to_level.unwrap_or(state.level);
                changes.added += u32::from(in_month);
            }
            FlagFactKind::LevelChanged => {
                let to = fact.to_level.unwrap_or(state.level);
                let from = fact.from_level.unwrap_or(state.level);
                if in_month && to > from {
                    changes.raised += 1;
                } else if in_month && to < from {
                    changes.lowered += 1;
                }
                state.level = to;
            }
            FlagFactKind::Removed => {
                state.active = false;
                changes.removed += u32::from(in_month);
            }
        }
    }
    let mut by_category: BTreeMap<&str, [u32; 4]> = BTreeMap::new();
    let mut by_level = [0u32; 4];
    let mut persons = 0;
    for state in flags.values().filter(|s| s.active) {
        persons += 1;
        let slot = state.level.rank();
        by_level[slot] += 1;
        for c in state.categories {
            by_category.entry(c).or_default()[slot] += 1;
        }
    }
    WatchFigures {
        by_category: by_category
            .into_iter()
            .map(|(c, n)| (c.to_string(), n))
            .collect(),
        by_level,
        persons,
        changes,
    }
}

fn trend(input: &Inputs) -> Vec<TrendPoint> {
    let months = input.month.trailing(TREND_MONTHS);
    let mut points: Vec<TrendPoint> = months
        .iter()
        .map(|m| TrendPoint {
            month: *m,
            received: 0,
            resolved: 0,
        })
        .collect();
    for count in &input.trend_counts {
        let m = Month::of(local_date(count.at, input.zone));
        let Some(p) = points.iter_mut().find(|p| p.month == m) else {
            continue;
        };
        p.received += count.received;
        p.resolved += count.resolved;
    }
    points
}

/// The bureau's total over stations: counts summed, medians over every resolution, visits
/// per station (in `per_officer`, keyed by station id), watch counts summed.
pub fn merge(
    stations: &[StationStats],
    name: &str,
    month: Month,
    today: NaiveDate,
) -> StationStats {
    let mut disputes = DisputeFigures::default();
    let mut visits = VisitFigures::default();
    let mut watch = WatchFigures::default();
    let mut trend: Vec<TrendPoint> = month
        .trailing(TREND_MONTHS)
        .into_iter()
        .map(|m| TrendPoint {
            month: m,
            received: 0,
            resolved: 0,
        })
        .collect();
    let mut findings = FindingsFigures::default();
    for s in stations {
        for row in &s.disputes.by_category {
            match disputes
                .by_category
                .iter_mut()
                .find(|r| r.category == row.category)
            {
                Some(r) => r.add(row),
                None => disputes.by_category.push(row.clone()),
            }
        }
        disputes.total.add(&s.disputes.total);
        disputes
            .resolution_days
            .extend_from_slice(&s.disputes.resolution_days);
        let mut station_visits = s.visits.total.clone();
        station_visits.officer = s.station;
        visits.total.add(&station_visits);
        visits.per_officer.push(station_visits);
        for (code, n) in &s.watch.by_category {
            match watch.by_category.iter_mut().find(|(c, _)| c == code) {
                Some((_, m)) => (0..4).for_each(|i| m[i] += n[i]),
                None => watch.by_category.push((code.clone(), *n)),
            }
        }
        (0..4).for_each(|i| watch.by_level[i] += s.watch.by_level[i]);
        watch.persons += s.watch.persons;
        watch.changes.added += s.watch.changes.added;
        watch.changes.removed += s.watch.changes.removed;
        watch.changes.raised += s.watch.changes.raised;
        watch.changes.lowered += s.watch.changes.lowered;
        for (t, p) in trend.iter_mut().zip(&s.trend) {
            t.received += p.received;
            t.resolved += p.resolved;
        }
        findings.opened += s.findings.opened;
        findings.rectified += s.findings.rectified;
        findings.overdue += s.findings.overdue;
    }
    watch.by_category.sort_by(|a, b| a.0.cmp(&b.0));
    StationStats {
        station: Id::SYSTEM,
        station_name: name.to_string(),
        month,
        partial: today <= month.last_day(),
        today,
        disputes,
        visits,
        watch,
        trend,
        findings,
    }
}

/// Stations with the most overdue items first; ties by name.
pub fn rank_by_overdue(stations: &mut [StationStats]) {
    stations.sort_by(|a, b| {
        b.overdue_items()
            .cmp(&a.overdue_items())
            .then_with(|| a.station_name.cmp(&b.station_name))
    });
}
