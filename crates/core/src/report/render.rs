//! The monthly report as text: Markdown to read and print, CSV (long format: one figure a
//! line) to open in a spreadsheet. Both carry the same figures as the screen.

use super::stats::StationStats;
use super::Labels;
use beatbook_i18n::report::R;
use beatbook_i18n::{Lang, Localize};
use beatbook_model::RiskLevel;
use std::fmt::Write as _;

/// The report's file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Csv,
}

impl Format {
    /// Parses `md`/`markdown` or `csv`.
    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Csv => "csv",
        }
    }
}

/// A ratio as a percentage with one decimal, or "—".
pub fn percent(rate: Option<f64>) -> String {
    match rate {
        Some(r) => format!("{:.1}%", r * 100.0),
        None => "—".to_string(),
    }
}

/// Days with at most one decimal, or "—".
pub fn days(lang: Lang, d: Option<f64>) -> String {
    match d {
        Some(d) if d.fract() == 0.0 => R::Days.fill(lang, &[&format!("{d:.0}")]),
        Some(d) => R::Days.fill(lang, &[&format!("{d:.1}")]),
        None => "—".to_string(),
    }
}

/// A dispute category's label, or a marker with the unknown code.
pub fn dispute_category(labels: &Labels, lang: Lang, code: &str) -> String {
    match labels.dispute_category(code) {
        Some(l) => l.get(lang).to_string(),
        None => R::OtherCategory.fill(lang, &[&code]),
    }
}

/// A watch category's label, or a marker with the unknown code.
pub fn watch_category(labels: &Labels, lang: Lang, code: &str) -> String {
    match labels.watch_category(code) {
        Some(l) => l.get(lang).to_string(),
        None => R::OtherCategory.fill(lang, &[&code]),
    }
}

/// Month as people write it: 2026年11月 / 2026-11.
pub fn month_label(lang: Lang, s: &StationStats) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月", s.month.year(), s.month.month()),
        Lang::En => s.month.to_string(),
    }
}

fn row(cells: &[String]) -> String {
    let escaped: Vec<String> = cells.iter().map(|c| c.replace('|', "\\|")).collect();
    format!("| {} |\n", escaped.join(" | "))
}

fn header(cells: &[String]) -> String {
    let mut s = row(cells);
    s.push_str(&format!("|{}\n", "---|".repeat(cells.len())));
    s
}

/// The Markdown report of one station.
pub fn station_markdown(s: &StationStats, labels: &Labels, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}\n",
        R::StationTitle.fill(lang, &[&s.station_name, &month_label(lang, s)])
    );
    preamble(&mut out, s, lang);
    sections(&mut out, s, labels, lang, None);
    out
}

/// The Markdown report of the bureau: stations ranked by overdue items, then the totals.
pub fn bureau_markdown(
    total: &StationStats,
    ranked: &[StationStats],
    labels: &Labels,
    lang: Lang,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}\n",
        R::BureauTitle.fill(lang, &[&month_label(lang, total)])
    );
    preamble(&mut out, total, lang);
    let _ = writeln!(out, "## {}\n", R::Ranking.get(lang));
    out.push_str(&header(&[
        R::Rank.get(lang).into(),
        R::Station.get(lang).into(),
        R::OverdueItems.get(lang).into(),
        R::Received.get(lang).into(),
        R::Resolved.get(lang).into(),
        R::ResolutionRate.get(lang).into(),
        R::OverdueDeadlines.get(lang).into(),
        R::Owed.get(lang).into(),
        R::Made.get(lang).into(),
        R::MissedCol.get(lang).into(),
        R::VisitRate.get(lang).into(),
    ]));
    for (i, st) in ranked.iter().enumerate() {
        let mut name = st.station_name.clone();
        if st.is_zero_report() {
            name = format!("{name}（{}）", R::ZeroReportShort.get(lang));
            if lang == Lang::En {
                name = format!("{} ({})", st.station_name, R::ZeroReportShort.get(lang));
            }
        }
        out.push_str(&row(&[
            (i + 1).to_string(),
            name,
            st.overdue_items().to_string(),
            st.disputes.total.received.to_string(),
            st.disputes.total.resolved.to_string(),
            percent(st.disputes.resolution_rate()),
            st.disputes.total.overdue.to_string(),
            st.visits.total.owed.to_string(),
            st.visits.total.made.to_string(),
            st.visits.total.missed.to_string(),
            percent(st.visits.total.rate()),
        ]));
    }
    let _ = writeln!(out, "\n{}\n", R::OverdueItemsNote.get(lang));
    sections(&mut out, total, labels, lang, Some(ranked));
    out
}

fn preamble(out: &mut String, s: &StationStats, lang: Lang) {
    if s.partial {
        let _ = writeln!(out, "{}\n", R::PartialMonth.fill(lang, &[&s.today]));
    }
    if s.is_zero_report() {
        let _ = writeln!(out, "**{}**\n", R::ZeroReport.get(lang));
    }
}

/// The name of a visits row: the officer's, or in the bureau's totals (rows keyed by
/// station) the station's.
fn visit_row_name(
    labels: &Labels,
    stations: Option<&[StationStats]>,
    id: beatbook_model::Id,
) -> String {
    match stations {
        Some(list) => list
            .iter()
            .find(|s| s.station == id)
            .map(|s| s.station_name.clone())
            .unwrap_or_else(|| id.to_string()),
        None => labels.officer(id),
    }
}

fn sections(
    out: &mut String,
    s: &StationStats,
    labels: &Labels,
    lang: Lang,
    stations: Option<&[StationStats]>,
) {
    let bureau = stations.is_some();
    // Disputes by category.
    let _ = writeln!(out, "## {}\n", R::Disputes.get(lang));
    out.push_str(&header(&[
        R::Category.get(lang).into(),
        R::Received.get(lang).into(),
        R::Resolved.get(lang).into(),
        R::Referred.get(lang).into(),
        R::Escalated.get(lang).into(),
        R::Reopened.get(lang).into(),
        R::Overdue.get(lang).into(),
    ]));
    let counts = |c: &super::CategoryCounts, name: String| {
        row(&[
            name,
            c.received.to_string(),
            c.resolved.to_string(),
            c.referred.to_string(),
            c.escalated.to_string(),
            c.reopened.to_string(),
            c.overdue.to_string(),
        ])
    };
    for c in &s.disputes.by_category {
        out.push_str(&counts(c, dispute_category(labels, lang, &c.category)));
    }
    out.push_str(&counts(
        &s.disputes.total,
        format!("**{}**", R::Total.get(lang)),
    ));
    let rate = format!(
        "{} {}",
        percent(s.disputes.resolution_rate()),
        R::Parenthesised.fill(lang, &[&R::ResolutionRateNote.get(lang)])
    );
    out.push('\n');
    for (label, value) in [
        (R::ResolutionRate, rate),
        (R::MedianDays, days(lang, s.disputes.median_days())),
        (R::OverdueDeadlines, s.disputes.total.overdue.to_string()),
    ] {
        let _ = writeln!(
            out,
            "- {}",
            R::LabelValue.fill(lang, &[&label.get(lang), &value])
        );
    }
    out.push('\n');
    // Visits.
    let _ = writeln!(out, "## {}\n", R::Visits.get(lang));
    let who = if bureau { R::Station } else { R::Officer };
    // Mid-month the owed figure runs to today: the month's total stands beside it.
    let partial = s.partial;
    let mut head: Vec<String> = vec![who.get(lang).into(), R::Owed.get(lang).into()];
    if partial {
        head.push(R::MonthTotal.get(lang).into());
    }
    head.extend([
        R::Made.get(lang).into(),
        R::MissedCol.get(lang).into(),
        R::Pending.get(lang).into(),
        R::VisitRate.get(lang).into(),
    ]);
    out.push_str(&header(&head));
    let visits = |v: &super::OfficerVisits, name: String| {
        let mut cells = vec![name, v.owed.to_string()];
        if partial {
            cells.push(v.month_total.to_string());
        }
        cells.extend([
            v.made.to_string(),
            v.missed.to_string(),
            v.pending.to_string(),
            percent(v.rate()),
        ]);
        row(&cells)
    };
    for v in &s.visits.per_officer {
        out.push_str(&visits(v, visit_row_name(labels, stations, v.officer)));
    }
    out.push_str(&visits(
        &s.visits.total,
        format!("**{}**", R::Total.get(lang)),
    ));
    if partial {
        let t = &s.visits.total;
        let _ = writeln!(
            out,
            "\n{}",
            R::OwedToDate.fill(lang, &[&t.owed, &t.month_total])
        );
    }
    if s.visits.total.owed == 0 {
        let _ = writeln!(out, "\n{}", R::NoVisitsOwed.get(lang));
    }
    out.push('\n');
    // Watch list.
    let _ = writeln!(out, "## {}\n", R::WatchList.get(lang));
    let mut cols: Vec<String> = vec![R::Category.get(lang).into()];
    cols.extend(RiskLevel::DESCENDING.iter().map(|l| l.localize(lang)));
    cols.push(R::Total.get(lang).into());
    out.push_str(&header(&cols));
    let levels = |n: &[u32; 4], name: String| {
        let mut cells = vec![name];
        cells.extend(
            RiskLevel::DESCENDING
                .iter()
                .map(|l| n[l.rank()].to_string()),
        );
        cells.push(n.iter().sum::<u32>().to_string());
        row(&cells)
    };
    for (code, n) in &s.watch.by_category {
        out.push_str(&levels(n, watch_category(labels, lang, code)));
    }
    out.push_str(&levels(
        &s.watch.by_level,
        format!("**{}** ({})", R::Persons.get(lang), R::Total.get(lang)),
    ));
    let c = s.watch.changes;
    let _ = writeln!(
        out,
        "\n{}\n",
        R::WatchChanges.fill(lang, &[&c.added, &c.removed, &c.raised, &c.lowered])
    );
    // Findings.
    let _ = writeln!(out, "## {}\n", R::Findings.get(lang));
    let f = s.findings;
    let _ = writeln!(
        out,
        "{}\n",
        R::FindingsCounts.fill(lang, &[&f.opened, &f.rectified, &f.overdue])
    );
    // Trend.
    let _ = writeln!(out, "## {}\n", R::Trend.get(lang));
    out.push_str(&header(&[
        R::MonthCol.get(lang).into(),
        R::Received.get(lang).into(),
        R::Resolved.get(lang).into(),
    ]));
    for p in &s.trend {
        out.push_str(&row(&[
            p.month.to_string(),
            p.received.to_string(),
            p.resolved.to_string(),
        ]));
    }
}

/// The CSV report of one station: one figure a line.
pub fn station_csv(s: &StationStats, labels: &Labels, lang: Lang) -> String {
    let mut lines = Lines::new(lang);
    figures(&mut lines, s, labels, lang, None);
    lines.finish()
}

/// The CSV report of the bureau: every station's figures, then the bureau's.
pub fn bureau_csv(
    total: &StationStats,
    ranked: &[StationStats],
    labels: &Labels,
    lang: Lang,
) -> String {
    let mut lines = Lines::new(lang);
    for (i, st) in ranked.iter().enumerate() {
        lines.push(
            st,
            R::Ranking,
            R::Rank.get(lang),
            R::Rank,
            (i + 1).to_string(),
        );
        figures(&mut lines, st, labels, lang, None);
    }
    figures(&mut lines, total, labels, lang, Some(ranked));
    lines.finish()
}

/// CSV lines: station, month, section, item, metric, value.
struct Lines {
    lang: Lang,
    writer: csv::Writer<Vec<u8>>,
}

impl Lines {
    fn new(lang: Lang) -> Lines {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let _ = writer.write_record([
            R::CsvStation.get(lang),
            R::CsvMonth.get(lang),
            R::CsvSection.get(lang),
            R::CsvItem.get(lang),
            R::CsvMetric.get(lang),
            R::CsvValue.get(lang),
        ]);
        Lines { lang, writer }
    }

    fn push(&mut self, s: &StationStats, section: R, item: &str, metric: R, value: String) {
        self.push_text(s, section, item, metric.get(self.lang), value);
    }

    /// One line; every cell made safe for a spreadsheet (names and labels come from
    /// people and dictionaries).
    fn push_text(&mut self, s: &StationStats, section: R, item: &str, metric: &str, value: String) {
        let month = s.month.to_string();
        let cells = [
            s.station_name.as_str(),
            month.as_str(),
            section.get(self.lang),
            item,
            metric,
            value.as_str(),
        ];
        let _ = self
            .writer
            .write_record(cells.iter().map(|c| super::csv_cell(c).into_owned()));
    }

    fn finish(self) -> String {
        // Writing into a Vec cannot fail; an empty string is the safe fallback.
        match self.writer.into_inner() {
            Ok(bytes) => String::from_utf8(bytes).unwrap_or_default(),
            Err(_) => String::new(),
        }
    }
}

fn figures(
    lines: &mut Lines,
    s: &StationStats,
    labels: &Labels,
    lang: Lang,
    stations: Option<&[StationStats]>,
) {
    let total = R::Total.get(lang);
    lines.push(
        s,
        R::Summary,
        R::ZeroReportShort.get(lang),
        R::CsvValue,
        u8::from(s.is_zero_report()).to_string(),
    );
    lines.push(
        s,
        R::Summary,
        R::OverdueItems.get(lang),
        R::CsvValue,
        s.overdue_items().to_string(),
    );
    let mut counts = |c: &super::CategoryCounts, item: &str| {
        for (metric, v) in [
            (R::Received, c.received),
            (R::Resolved, c.resolved),
            (R::Referred, c.referred),
            (R::Escalated, c.escalated),
            (R::Reopened, c.reopened),
            (R::Overdue, c.overdue),
        ] {
            lines.push(s, R::Disputes, item, metric, v.to_string());
        }
    };
    for c in &s.disputes.by_category {
        counts(c, &dispute_category(labels, lang, &c.category));
    }
    counts(&s.disputes.total, total);
    lines.push(
        s,
        R::Disputes,
        total,
        R::ResolutionRate,
        percent(s.disputes.resolution_rate()),
    );
    lines.push(
        s,
        R::Disputes,
        total,
        R::MedianDays,
        s.disputes
            .median_days()
            .map(|d| format!("{d:.1}"))
            .unwrap_or_default(),
    );
    let mut visits = |v: &super::OfficerVisits, item: &str| {
        for (metric, n) in [
            (R::Owed, v.owed),
            (R::MonthTotal, v.month_total),
            (R::Made, v.made),
            (R::MissedCol, v.missed),
            (R::Pending, v.pending),
        ] {
            // The month's total is a figure of its own only while the month runs.
            if metric == R::MonthTotal && !s.partial {
                continue;
            }
            lines.push(s, R::Visits, item, metric, n.to_string());
        }
        lines.push(s, R::Visits, item, R::VisitRate, percent(v.rate()));
    };
    for v in &s.visits.per_officer {
        visits(v, &visit_row_name(labels, stations, v.officer));
    }
    visits(&s.visits.total, total);
    for (code, n) in &s.watch.by_category {
        let item = watch_category(labels, lang, code);
        for l in RiskLevel::DESCENDING {
            lines.push_text(
                s,
                R::WatchList,
                &item,
                &l.localize(lang),
                n[l.rank()].to_string(),
            );
        }
    }
    for l in RiskLevel::DESCENDING {
        lines.push_text(
            s,
            R::WatchList,
            total,
            &l.localize(lang),
            s.watch.by_level[l.rank()].to_string(),
        );
    }
    lines.push(
        s,
        R::WatchList,
        total,
        R::Persons,
        s.watch.persons.to_string(),
    );
    let c = s.watch.changes;
    for (metric, n) in [
        (R::Added, c.added),
        (R::Removed, c.removed),
        (R::Raised, c.raised),
        (R::Lowered, c.lowered),
    ] {
        lines.push(s, R::WatchList, total, metric, n.to_string());
    }
    let f = s.findings;
    for (metric, n) in [
        (R::Opened, f.opened),
        (R::Rectified, f.rectified),
        (R::Overdue, f.overdue),
    ] {
        lines.push(s, R::Findings, total, metric, n.to_string());
    }
    for p in &s.trend {
        let m = p.month.to_string();
        lines.push(s, R::Trend, &m, R::Received, p.received.to_string());
        lines.push(s, R::Trend, &m, R::Resolved, p.resolved.to_string());
    }
}
