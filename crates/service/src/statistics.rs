//! Monthly statistics and the monthly report (GLOSSARY.md, Reports): the chief sees the own
//! station, supervisors any station or the whole bureau; officers and administrators are
//! refused. Figures come from the indexes only — the station's dispute and flag event
//! ranges and its visit summaries due in the month — never from a scan of every record.

use super::{Service, ServiceError, Session};
use beatbook_core::report::{
    self, DisputeFact, FindingsFigures, FlagFact, FlagFactKind, Format, Inputs, Labels, Month,
    StationStats, TrendCount, VisitFact,
};
use beatbook_i18n::report::R;
use beatbook_i18n::{Bi, Lang};
use beatbook_model::{Id, Officer, Role, Station};
use beatbook_store::{DisputeEvent, FlagEvent, Kind};
use chrono::{Duration, FixedOffset};
use std::path::PathBuf;

/// One station's figures for a month, with the names to show them.
#[derive(Clone, Debug)]
pub struct StationReport {
    pub stats: StationStats,
    pub labels: Labels,
}

/// Every station's figures, most overdue items first, and the bureau's totals.
#[derive(Clone, Debug)]
pub struct BureauReport {
    pub total: StationStats,
    pub ranked: Vec<StationStats>,
    pub labels: Labels,
}

/// A station a statistics user may pick.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StationChoice {
    pub id: Id,
    pub name: String,
    pub code: String,
}

impl Service {
    /// Refuses roles that do not see statistics, a station the session may not read,
    /// and months after the current one.
    fn check_statistics(
        &self,
        session: &Session,
        station: Option<Id>,
        month: Month,
    ) -> Result<(), ServiceError> {
        match (session.role, station) {
            (Role::Officer | Role::Admin, _) => {
                return Err(ServiceError::Forbidden(super::Forbidden::StatisticsRole(
                    session.role,
                )))
            }
            (Role::Chief, None) => {
                return Err(ServiceError::Forbidden(super::Forbidden::BureauView))
            }
            (Role::Chief, Some(s)) if s != session.station => {
                return Err(ServiceError::Forbidden(super::Forbidden::OtherStation))
            }
            _ => {}
        }
        if month > Month::of(self.today()) {
            return Err(ServiceError::FutureMonth(month.to_string()));
        }
        Ok(())
    }

    /// The stations a statistics user may look at: the chief's own, every one for a
    /// supervisor. Officers and administrators get the refusal.
    pub fn statistics_stations(
        &self,
        session: &Session,
    ) -> Result<Vec<StationChoice>, ServiceError> {
        self.authorize(session)?;
        self.check_statistics(session, Some(session.station), Month::of(self.today()))?;
        let mut out = Vec::new();
        for s in self.store.all::<Station>() {
            let s = s?;
            if session.role == Role::Supervisor || s.meta.id == session.station {
                out.push(StationChoice {
                    id: s.meta.id,
                    name: s.name,
                    code: s.code,
                });
            }
        }
        Ok(out)
    }

    /// Finds a station by code or name (the command line's `--station`).
    pub fn station_by_code_or_name(&self, text: &str) -> Result<Station, ServiceError> {
        let want = text.trim();
        for s in self.store.all::<Station>() {
            let s = s?;
            if s.code.eq_ignore_ascii_case(want) || s.name == want {
                return Ok(s);
            }
        }
        Err(ServiceError::UnknownStation(want.to_string()))
    }

    /// A station's figures for `month` (the current month runs to today).
    pub fn station_statistics(
        &self,
        session: &Session,
        station: Id,
        month: Month,
    ) -> Result<StationReport, ServiceError> {
        self.authorize(session)?;
        self.check_statistics(session, Some(station), month)?;
        let s = self
            .store
            .get::<Station>(station)?
            .ok_or(ServiceError::NotFound(Kind::Station))?;
        let stats = self.compute_station(&s, month)?;
        Ok(StationReport {
            stats,
            labels: self.report_labels()?,
        })
    }

    /// Every station's figures for `month`, ranked by overdue items, and the totals.
    pub fn bureau_statistics(
        &self,
        session: &Session,
        month: Month,
    ) -> Result<BureauReport, ServiceError> {
        self.authorize(session)?;
        if session.role == Role::Chief {
            return Err(ServiceError::Forbidden(super::Forbidden::BureauView));
        }
        self.check_statistics(session, None, month)?;
        let (total, ranked) = self.bureau_figures(month, R::Bureau.get(Lang::Zh))?;
        Ok(BureauReport {
            total,
            ranked,
            labels: self.report_labels()?,
        })
    }

    /// The monthly report as text: one station, or the bureau when `station` is None.
    pub fn monthly_report(
        &self,
        session: &Session,
        station: Option<Id>,
        month: Month,
        format: Format,
        lang: Lang,
    ) -> Result<String, ServiceError> {
        self.authorize(session)?;
        Ok(self
            .monthly_report_with_figures(session, station, month, format, lang)?
            .0)
    }

    /// [`Service::monthly_report`] with the station's figures it was made from (None for
    /// the bureau): the printed report draws its charts from them without counting twice.
    pub(crate) fn monthly_report_with_figures(
        &self,
        session: &Session,
        station: Option<Id>,
        month: Month,
        format: Format,
        lang: Lang,
    ) -> Result<(String, Option<StationStats>), ServiceError> {
        self.authorize(session)?;
        if station.is_none() && session.role == Role::Chief {
            return Err(ServiceError::Forbidden(super::Forbidden::BureauView));
        }
        self.check_statistics(session, station, month)?;
        self.report_text(station, month, format, lang)
    }

    /// The monthly report of this data folder for whoever holds it, like the full
    /// `export` without `--user`: no account, so no role to check; a future month is
    /// still refused.
    pub fn monthly_report_of_folder(
        &self,
        station: Option<Id>,
        month: Month,
        format: Format,
        lang: Lang,
    ) -> Result<String, ServiceError> {
        if month > Month::of(self.today()) {
            return Err(ServiceError::FutureMonth(month.to_string()));
        }
        Ok(self.report_text(station, month, format, lang)?.0)
    }

    fn report_text(
        &self,
        station: Option<Id>,
        month: Month,
        format: Format,
        lang: Lang,
    ) -> Result<(String, Option<StationStats>), ServiceError> {
        let labels = self.report_labels()?;
        // Station, officer and category names come from the store: a report opened in
        // a terminal or an editor must show any control or bidi character in them, not
        // obey it.
        let (text, figures) = match station {
            Some(id) => {
                let s = self
                    .store
                    .get::<Station>(id)?
                    .ok_or(ServiceError::NotFound(Kind::Station))?;
                let stats = self.compute_station(&s, month)?;
                let text = match format {
                    Format::Markdown => report::station_markdown(&stats, &labels, lang),
                    Format::Csv => report::station_csv(&stats, &labels, lang),
                };
                (text, Some(stats))
            }
            None => {
                let (total, ranked) = self.bureau_figures(month, R::Bureau.get(lang))?;
                let text = match format {
                    Format::Markdown => report::bureau_markdown(&total, &ranked, &labels, lang),
                    Format::Csv => report::bureau_csv(&total, &ranked, &labels, lang),
                };
                (text, None)
            }
        };
        let text = beatbook_model::text::visible_multiline(&text).into_owned();
        Ok((text, figures))
    }

    /// Every station's figures, ranked, and their total under `name`.
    fn bureau_figures(
        &self,
        month: Month,
        name: &str,
    ) -> Result<(StationStats, Vec<StationStats>), ServiceError> {
        let mut ranked = Vec::new();
        for s in self.store.all::<Station>() {
            ranked.push(self.compute_station(&s?, month)?);
        }
        report::rank_by_overdue(&mut ranked);
        let total = report::merge(&ranked, name, month, self.today());
        Ok((total, ranked))
    }

    /// Writes the monthly report (Markdown) into `reports/` of the data folder and returns
    /// the path. Written to a temporary name first, then renamed, so a half-written report
    /// never carries the real name.
    pub fn write_monthly_report(
        &self,
        session: &Session,
        station: Option<Id>,
        month: Month,
        lang: Lang,
    ) -> Result<PathBuf, ServiceError> {
        self.authorize(session)?;
        let text = self.monthly_report(session, station, month, Format::Markdown, lang)?;
        let code = match station {
            Some(id) => self.station_code(id),
            None => "bureau".to_string(),
        };
        let name = format!("report-{code}-{month}-{lang}.md");
        let path = self.data_dir().join("reports").join(name);
        // Synced, renamed and its folder synced before it is reported written.
        crate::print::write_file(&path, text.as_bytes())?;
        tracing::info!(path = %path.display(), user = session.username(), "monthly report written");
        Ok(path)
    }

    fn report_labels(&self) -> Result<Labels, ServiceError> {
        let mut officers = Vec::new();
        for o in self.store.all::<Officer>() {
            let o = o?;
            officers.push((o.meta.id, o.display_name));
        }
        Ok(Labels {
            dispute_categories: self
                .settings
                .disputes
                .categories
                .iter()
                .map(|c| (c.code.clone(), Bi::new(c.zh.clone(), c.en.clone())))
                .collect(),
            watch_categories: self
                .settings
                .watch
                .categories
                .iter()
                .map(|c| (c.code.clone(), Bi::new(c.zh.clone(), c.en.clone())))
                .collect(),
            officers,
        })
    }

    fn zone(&self) -> FixedOffset {
        *self.now().offset()
    }

    /// Reads one station's facts for `month` from the indexes and computes its figures.
    fn compute_station(
        &self,
        station: &Station,
        month: Month,
    ) -> Result<StationStats, ServiceError> {
        let zone = self.zone();
        let id = station.meta.id;
        // A day's margin either side: deadline entries are keyed at 00:00 UTC of their
        // date, which may lie on either side of local midnight.
        let disputes: Vec<DisputeFact> = self
            .store
            .station_dispute_events(
                id,
                month.start_instant(zone) - Duration::days(1),
                month.end_instant(zone) + Duration::days(1),
            )?
            .into_iter()
            .filter_map(dispute_fact)
            .collect();
        let trend_counts = self.trend_counts(id, month)?;
        let visits = self.visit_facts(id, month)?;
        let flags = self
            .store
            .station_flag_events(id, month.end_instant(zone))?
            .into_iter()
            .filter_map(flag_fact)
            .collect();
        let inputs = Inputs {
            station: id,
            station_name: station.name.clone(),
            month,
            zone,
            today: self.today(),
            categories: self
                .settings
                .disputes
                .categories
                .iter()
                .map(|c| c.code.clone())
                .collect(),
            disputes,
            trend_counts,
            visits,
            flags,
            findings: self.findings_figures(id, month)?,
        };
        let mut stats = report::compute_station(&inputs);
        // Watch categories in dictionary order, unknown codes last.
        let order = |code: &str| {
            self.settings
                .watch
                .categories
                .iter()
                .position(|c| c.code == code)
                .unwrap_or(usize::MAX)
        };
        stats
            .watch
            .by_category
            .sort_by(|a, b| order(&a.0).cmp(&order(&b.0)).then_with(|| a.0.cmp(&b.0)));
        Ok(stats)
    }

    /// Disputes received and resolved over the trend's months ending with `month`: from
    /// the store's per-hour tally when local months begin on a whole UTC hour (every zone
    /// but a few), else from the status changes themselves.
    fn trend_counts(&self, station: Id, month: Month) -> Result<Vec<TrendCount>, ServiceError> {
        let zone = self.zone();
        let months = month.trailing(report::TREND_MONTHS);
        let first = months.first().copied().unwrap_or(month);
        let (from, until) = (first.start_instant(zone), month.end_instant(zone));
        if zone.local_minus_utc() % 3600 == 0 {
            return Ok(self
                .store
                .station_dispute_trend(station, from, until)?
                .into_iter()
                .map(|(at, received, resolved)| TrendCount {
                    at,
                    received,
                    resolved,
                })
                .collect());
        }
        Ok(self
            .store
            .station_dispute_events(station, from, until)?
            .into_iter()
            .filter_map(dispute_fact)
            .filter_map(|fact| TrendCount::of_fact(&fact))
            .collect())
    }

    /// The station's visits due in `month`, counted per (due date, officer, status) by
    /// the store's visit tally: a few hundred counters, whoever the visits are assigned
    /// to.
    fn visit_facts(&self, station: Id, month: Month) -> Result<Vec<VisitFact>, ServiceError> {
        Ok(self
            .store
            .station_visit_counts(station, month.first_day(), month.last_day())?
            .into_iter()
            .map(|(due, officer, status, count)| VisitFact {
                officer,
                due,
                status,
                count,
            })
            .collect())
    }

    /// The month's supervision findings of a station: recorded, rectified (the
    /// rectification accepted) and overdue at the month's end.
    fn findings_figures(&self, station: Id, month: Month) -> Result<FindingsFigures, ServiceError> {
        let counts = self.station_finding_counts(station, month.first_day(), month.last_day())?;
        let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        Ok(FindingsFigures {
            opened: n(counts.opened),
            rectified: n(counts.accepted),
            overdue: n(counts.overdue),
        })
    }
}

fn dispute_fact(e: DisputeEvent) -> Option<DisputeFact> {
    let kind = match (e.to, e.deadline) {
        (Some(to), _) => report::DisputeFactKind::Status { from: e.from, to },
        (None, Some(deadline)) => report::DisputeFactKind::Deadline {
            deadline,
            ended: e.mediation_ended,
        },
        (None, None) => return None,
    };
    Some(DisputeFact {
        dispute: e.dispute,
        at: e.at,
        category: e.category,
        reported_on: e.reported_on,
        kind,
    })
}

fn flag_fact(e: FlagEvent) -> Option<FlagFact> {
    use beatbook_model::FlagChangeKind as K;
    let kind = match e.kind {
        K::Added => FlagFactKind::Added,
        K::LevelChanged => FlagFactKind::LevelChanged,
        K::Removed => FlagFactKind::Removed,
        _ => return None,
    };
    Some(FlagFact {
        flag: e.flag,
        at: e.at,
        kind,
        categories: e.categories,
        from_level: e.from_level,
        to_level: e.to_level,
    })
}
