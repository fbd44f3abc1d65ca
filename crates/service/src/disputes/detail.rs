//! Everything the dispute screen shows about one dispute: the record, its timeline,
//! its visits, the disputes it recurs or is recurred by.

use super::*;

impl Service {
    /// The earlier dispute this one recurs, and the later ones recurring it. A recurrence
    /// is between the same parties, so the later ones are found among the first party's
    /// disputes (index), not by reading the whole register.
    pub(crate) fn recurrence_links(
        &self,
        session: &Session,
        d: &Dispute,
    ) -> Result<(Option<DisputeLink>, Vec<DisputeLink>), ServiceError> {
        let p = session.principal();
        let earlier = match d.recurrence_of {
            Some(id) => self
                .store
                .get::<Dispute>(id)?
                .filter(|e| access::can_read_station(&p, e.meta.station))
                .map(|e| DisputeLink::of(&e)),
            None => None,
        };
        let mut later = Vec::new();
        if let Some(first) = d.party_ids().next() {
            for s in self.store.person_disputes(first)? {
                if s.id == d.meta.id || !access::can_read_station(&p, s.station) {
                    continue;
                }
                if let Some(other) = self.store.get::<Dispute>(s.id)? {
                    if other.recurrence_of == Some(d.meta.id) {
                        later.push(DisputeLink::of(&other));
                    }
                }
            }
        }
        later.sort_by_key(|l| (l.reported_on, l.id));
        Ok((earlier, later))
    }

    /// Everything about one dispute, names resolved.
    pub fn dispute_detail(&self, session: &Session, id: Id) -> Result<DisputeDetail, ServiceError> {
        self.authorize(session)?;
        let d = self.readable::<Dispute>(session, id)?;
        let config = self.dispute_config();
        let mut parties = Vec::new();
        for p in &d.parties {
            if let Some(person) = self.store.get::<Person>(p.person)? {
                parties.push((PersonCard::from(&person), p.role));
            }
        }
        let visits = self.dispute_visits(&d)?;
        let open_follow_ups = visits.iter().filter(|v| v.is_open()).count();
        let mut names: HashMap<Id, String> = HashMap::new();
        let mut name = |id: Id| -> String {
            names
                .entry(id)
                .or_insert_with(|| match self.store.get::<Officer>(id) {
                    Ok(Some(o)) => o.display_name,
                    _ => "?".into(),
                })
                .clone()
        };
        let mut timeline = Vec::new();
        // When each entry happened, to order entries of the same day.
        let mut instants = Vec::new();
        let tz = self.now().timezone();
        for h in &d.history {
            instants.push(h.at);
            timeline.push(TimelineEntry {
                date: h.at.with_timezone(&tz).date_naive(),
                who: name(h.by),
                what: beatbook_i18n::Bi::new(
                    format!(
                        "{}{}",
                        h.to.localize(Lang::Zh),
                        reason_suffix(&h.reason, Lang::Zh)
                    ),
                    format!(
                        "{}{}",
                        h.to.localize(Lang::En),
                        reason_suffix(&h.reason, Lang::En)
                    ),
                ),
            });
        }
        for s in &d.sessions {
            instants.push(s.recorded_at);
            timeline.push(TimelineEntry {
                date: s.date,
                who: name(s.recorded_by),
                what: beatbook_i18n::Bi::new(
                    format!(
                        "调解：{}（{}）",
                        s.result.localize(Lang::Zh),
                        s.participants
                    ),
                    format!(
                        "mediation: {} ({})",
                        s.result.localize(Lang::En),
                        s.participants
                    ),
                ),
            });
        }
        for e in &d.extensions {
            instants.push(e.requested_at);
            timeline.push(TimelineEntry {
                date: e.requested_at.with_timezone(&tz).date_naive(),
                who: name(e.requested_by),
                what: beatbook_i18n::Bi::new(
                    format!("申请延期 {} 天：{}", e.days, e.reason),
                    format!("extension of {} days requested: {}", e.days, e.reason),
                ),
            });
            if let Some(dec) = &e.decision {
                instants.push(dec.at);
                timeline.push(TimelineEntry {
                    date: dec.at.with_timezone(&tz).date_naive(),
                    who: name(dec.by),
                    what: if dec.approved {
                        beatbook_i18n::Bi::new("批准延期", "extension approved")
                    } else {
                        beatbook_i18n::Bi::new(
                            format!("不批准延期：{}", dec.remarks),
                            format!("extension rejected: {}", dec.remarks),
                        )
                    },
                });
            }
        }
        for v in &visits {
            if v.status != VisitStatus::Scheduled {
                // When and by whom it was done, missed or cancelled (a cancelled visit
                // has no completion time; its due date may lie weeks ahead).
                let (at, by) = v
                    .history
                    .last()
                    .map_or((v.meta.updated_at, v.assigned_to), |c| (c.at, c.by));
                instants.push(at);
                // Who was met, when the follow-up covered several parties.
                let met = if v.parties.is_empty() || v.status != VisitStatus::Done {
                    None
                } else {
                    Some(
                        v.contacted()
                            .iter()
                            .filter_map(|id| {
                                parties
                                    .iter()
                                    .find(|(c, _)| c.id == *id)
                                    .map(|(c, _)| c.name.clone())
                            })
                            .collect::<Vec<_>>(),
                    )
                };
                let met_text = |lang: Lang| match &met {
                    None => String::new(),
                    Some(names) if names.is_empty() => {
                        lang.pick("（未见到当事人）", " (no party met)").to_string()
                    }
                    Some(names) => match lang {
                        Lang::Zh => format!("（见到：{}）", names.join("、")),
                        Lang::En => format!(" (met: {})", names.join(", ")),
                    },
                };
                timeline.push(TimelineEntry {
                    date: at.with_timezone(&tz).date_naive(),
                    who: name(by),
                    what: beatbook_i18n::Bi::new(
                        format!(
                            "回访{}{}{}",
                            v.status.localize(Lang::Zh),
                            v.outcome
                                .map(|o| format!("：{}", o.localize(Lang::Zh)))
                                .unwrap_or_default(),
                            met_text(Lang::Zh)
                        ),
                        format!(
                            "visit {}{}{}",
                            v.status.localize(Lang::En),
                            v.outcome
                                .map(|o| format!(": {}", o.localize(Lang::En)))
                                .unwrap_or_default(),
                            met_text(Lang::En)
                        ),
                    ),
                });
            }
        }
        let mut keyed: Vec<_> = instants.into_iter().zip(timeline).collect();
        keyed.sort_by_key(|(at, t)| (t.date, *at));
        let timeline: Vec<TimelineEntry> = keyed.into_iter().map(|(_, t)| t).collect();
        let label = |code: &str| -> beatbook_i18n::Bi {
            match config.indicator(code) {
                Some(i) => beatbook_i18n::Bi::new(i.zh.clone(), i.en.clone()),
                None => beatbook_i18n::Bi::new(code, code),
            }
        };
        let indicator_labels = d
            .indicators
            .iter()
            .chain(d.implied_indicators.iter())
            .map(|c| label(c))
            .collect();
        let rule_labels = d
            .fired_rules
            .iter()
            .map(|id| match config.rules.iter().find(|r| &r.id == id) {
                Some(r) => beatbook_i18n::Bi::new(
                    format!("{}（{}）", r.zh, r.level.localize(Lang::Zh)),
                    format!("{} ({})", r.en, r.level.localize(Lang::En)),
                ),
                None => beatbook_i18n::Bi::new(id.clone(), id.clone()),
            })
            .collect();
        let now_local = self.now().naive_local();
        let deadline = d
            .mediation_deadline
            .filter(|_| d.status.mediation_running())
            .map(|dl| deadline_state(dl, now_local));
        let resolution_officer = d
            .resolution
            .as_ref()
            .map(|r| name(r.officer))
            .unwrap_or_default();
        let (recurrence_of, recurrences) = self.recurrence_links(session, &d)?;
        Ok(DisputeDetail {
            resolution_officer,
            recurrence_of,
            recurrences,
            officer_name: name(d.assigned_to),
            station_name: self.station_name(d.meta.station),
            closable: is_closable(d.status, open_follow_ups),
            open_follow_ups,
            parties,
            visits,
            timeline,
            indicator_labels,
            rule_labels,
            deadline,
            dispute: d,
        })
    }
}

impl DisputeLink {
    fn of(d: &Dispute) -> DisputeLink {
        DisputeLink {
            id: d.meta.id,
            title: d.title.clone(),
            reported_on: d.reported_on,
            status: d.status,
        }
    }
}

pub(crate) fn reason_suffix(reason: &str, lang: Lang) -> String {
    if reason.is_empty() {
        String::new()
    } else {
        match lang {
            Lang::Zh => format!("：{reason}"),
            Lang::En => format!(": {reason}"),
        }
    }
}
