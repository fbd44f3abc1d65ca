//! The visit record (filled in, or blank for a planned visit), the dispute register of a
//! station and period, and the monthly report with its charts. ID numbers never appear
//! on these: names and masked phones are enough to file them.

use super::{paper_date, Composed};
use crate::names::Names;
use crate::{Forbidden, Service, ServiceError, Session};
use beatbook_core::report::{Format, Month};
use beatbook_i18n::{Lang, Localize};
use beatbook_model::{Dispute, Id, Person, Role, Visit, VisitOutcome, VisitStatus};
use beatbook_paper::{Block, Chart, Column, Table};
use chrono::NaiveDate;

impl Service {
    pub(super) fn visit_paper(
        &self,
        session: &Session,
        id: Id,
        lang: Lang,
    ) -> Result<Composed, ServiceError> {
        let v = self.readable::<Visit>(session, id)?;
        let t = |key: &str, values: &[(&str, &str)]| self.paper_text(key, lang, values);
        let (station_name, _) = self.station_names(v.meta.station);
        let planned = v.status == VisitStatus::Scheduled;
        let mut visited: Vec<String> = Vec::new();
        let met = v.met.clone().unwrap_or_else(|| {
            if v.parties.is_empty() {
                v.subject.person.into_iter().collect()
            } else {
                v.parties.clone()
            }
        });
        for p in met {
            if let Some(p) = self.store.get::<Person>(p)? {
                let phone = p.masked_phone();
                visited.push(if phone.is_empty() {
                    p.name
                } else {
                    format!("{}（{phone}）", p.name)
                });
            }
        }
        let dispute = match v.subject.dispute {
            Some(d) => self.store.get::<Dispute>(d)?,
            None => None,
        };
        let mut blocks = vec![
            Block::Title(t(
                if planned {
                    "visit.blank_title"
                } else {
                    "visit.title"
                },
                &[],
            )),
            Block::Centered(t("visit.station_line", &[("station_name", &station_name)])),
            Block::Gap(8.0),
            Block::Labeled {
                label: t("visit.party", &[]),
                text: visited.join(lang.pick("、", ", ")),
            },
        ];
        if let Some(d) = &dispute {
            blocks.push(Block::Labeled {
                label: t("visit.dispute", &[]),
                text: d.title.clone(),
            });
            if let Some(a) = &d.agreement_paper {
                blocks.push(Block::Labeled {
                    label: t("visit.number", &[]),
                    text: self.agreement_number(d, a, lang),
                });
            }
        }
        blocks.push(Block::Labeled {
            label: t("visit.reason", &[]),
            text: v.purpose.clone(),
        });
        let officer = Names::default().officer(self, v.assigned_to);
        if planned {
            blocks.push(Block::Labeled {
                label: t("visit.due", &[]),
                text: paper_date(v.due, lang),
            });
            for key in [
                "visit.when",
                "visit.performance",
                "visit.satisfaction",
                "visit.escalation",
            ] {
                blocks.push(Block::Write {
                    label: t(key, &[]),
                    lines: 1,
                });
            }
            blocks.push(Block::Write {
                label: t("visit.measures", &[]),
                lines: 5,
            });
        } else {
            let tz = self.now().timezone();
            let when = v
                .completed_at
                .map(|at| at.with_timezone(&tz).date_naive())
                .unwrap_or(v.due);
            blocks.push(Block::Labeled {
                label: t("visit.when", &[]),
                text: format!("{}，{}", paper_date(when, lang), v.method.localize(lang)),
            });
            let performance = match v.agreement_honoured {
                Some(true) => t("visit.honoured", &[]),
                Some(false) => t("visit.not_honoured", &[]),
                None => t("visit.not_asked", &[]),
            };
            blocks.push(Block::Labeled {
                label: t("visit.performance", &[]),
                text: performance,
            });
            blocks.push(Block::Write {
                label: format!(
                    "{}{}",
                    t("visit.satisfaction", &[]),
                    t("visit.not_recorded", &[])
                ),
                lines: 1,
            });
            let outcome = v.outcome.map(|o| o.localize(lang)).unwrap_or_default();
            let escalation = match v.outcome {
                Some(VisitOutcome::Worsened) => t("visit.escalating", &[("outcome", &outcome)]),
                _ => t("visit.calm", &[("outcome", &outcome)]),
            };
            blocks.push(Block::Labeled {
                label: t("visit.escalation", &[]),
                text: escalation,
            });
            blocks.push(Block::Labeled {
                label: t("visit.measures", &[]),
                text: v.notes.clone(),
            });
        }
        blocks.push(Block::Gap(16.0));
        blocks.push(Block::Signatures {
            rows: vec![
                t("visit.sign_officer", &[("name", &officer)]),
                t("visit.sign_party", &[]),
            ],
            date: t("common.date_line", &[]),
        });
        Ok(Composed {
            paper: self.paper(t("visit.title", &[]), blocks, lang, false),
            station: v.meta.station,
            audit: format!("visit record {id}"),
            number: None,
        })
    }

    pub(super) fn register_paper(
        &self,
        session: &Session,
        station: Id,
        from: NaiveDate,
        to: NaiveDate,
        lang: Lang,
    ) -> Result<Composed, ServiceError> {
        if session.role == Role::Admin {
            return Err(ServiceError::Forbidden(Forbidden::NoCaseData));
        }
        if !beatbook_core::rules::access::can_read_station(&session.principal(), station) {
            return Err(ServiceError::Forbidden(Forbidden::OtherStation));
        }
        let t = |key: &str, values: &[(&str, &str)]| self.paper_text(key, lang, values);
        let config = self.dispute_config();
        let mut summaries: Vec<_> = self
            .store
            .station_disputes(station, &[])?
            .into_iter()
            .filter(|s| s.reported_on >= from && s.reported_on <= to)
            .collect();
        summaries.sort_by_key(|s| (s.reported_on, s.id));
        let columns = &self.settings.paper.register_columns;
        let mut names = Names::default();
        let mut rows = Vec::with_capacity(summaries.len());
        for (n, s) in summaries.iter().enumerate() {
            let Some(d) = self.store.get::<Dispute>(s.id)? else {
                continue;
            };
            let mut parties = Vec::new();
            for p in &d.parties {
                if let Some(person) = self.store.get::<Person>(p.person)? {
                    parties.push(person.name);
                }
            }
            let officer = names.officer(self, d.assigned_to);
            let row = columns
                .iter()
                .map(|c| match c.key.as_str() {
                    "no" => (n + 1).to_string(),
                    "reported_on" => d.reported_on.to_string(),
                    "category" => config.category_label(&d.category, lang),
                    "parties" => parties.join(lang.pick("、", ", ")),
                    "summary" => {
                        if d.description.trim().is_empty() {
                            d.title.clone()
                        } else {
                            format!("{}：{}", d.title, d.description)
                        }
                    }
                    "risk" => d.risk.localize(lang),
                    "status" => d.status.localize(lang),
                    "resolution" => match &d.resolution {
                        Some(r) => format!(
                            "{}{}",
                            r.method,
                            if r.how.is_empty() {
                                String::new()
                            } else {
                                format!("：{}", r.how)
                            }
                        ),
                        None => d
                            .handover
                            .as_ref()
                            .map(|h| format!("{} {}", h.to, h.reference))
                            .unwrap_or_default(),
                    },
                    "officer" => officer.clone(),
                    "village" => d.village.clone(),
                    _ => d
                        .agreement_paper
                        .as_ref()
                        .map(|a| format!("{}-{}", a.year, a.number))
                        .unwrap_or_default(),
                })
                .collect();
            rows.push(row);
        }
        let (station_name, _) = self.station_names(station);
        let count = rows.len().to_string();
        let mut blocks = vec![
            Block::Title(t("register.title", &[])),
            Block::Centered(t(
                "register.period",
                &[
                    ("from", &paper_date(from, lang)),
                    ("to", &paper_date(to, lang)),
                    ("count", &count),
                ],
            )),
            Block::Labeled {
                label: String::new(),
                text: t("register.station_line", &[("station_name", &station_name)]),
            },
        ];
        if rows.is_empty() {
            blocks.push(Block::Paragraph(t("register.empty", &[])));
        }
        blocks.push(Block::Table(Table {
            columns: columns
                .iter()
                .map(|c| Column {
                    title: c.title.get(lang).to_string(),
                    weight: c.weight,
                })
                .collect(),
            rows,
        }));
        Ok(Composed {
            paper: self.paper(t("register.title", &[]), blocks, lang, true),
            station,
            audit: format!("register {from}..{to} ({count} disputes)"),
            number: None,
        })
    }

    pub(super) fn report_paper(
        &self,
        session: &Session,
        station: Option<Id>,
        month: Month,
        lang: Lang,
    ) -> Result<Composed, ServiceError> {
        let (markdown, figures) =
            self.monthly_report_with_figures(session, station, month, Format::Markdown, lang)?;
        let t = |key: &str| self.paper_text(key, lang, &[]);
        let mut blocks = markdown_blocks(&markdown);
        if let Some(s) = figures {
            let config = self.dispute_config();
            blocks.push(Block::Bars(Chart {
                title: t("report.trend"),
                bars: s
                    .trend
                    .iter()
                    .map(|p| (p.month.to_string(), f64::from(p.received)))
                    .collect(),
            }));
            blocks.push(Block::Bars(Chart {
                title: t("report.categories"),
                bars: s
                    .disputes
                    .by_category
                    .iter()
                    .filter(|c| c.received > 0)
                    .map(|c| {
                        let label = config.category_label(&c.category, lang);
                        (label, f64::from(c.received))
                    })
                    .collect(),
            }));
        }
        let title = blocks
            .iter()
            .find_map(|b| match b {
                Block::Title(t) => Some(t.clone()),
                _ => None,
            })
            .unwrap_or_default();
        Ok(Composed {
            paper: self.paper(title, blocks, lang, false),
            station: station.unwrap_or(session.station),
            audit: format!("monthly report {month}"),
            number: None,
        })
    }
}

/// The report's Markdown as blocks: `#` title, `##`/`###` headings, tables, text. One
/// text serves the screen, the file and the paper.
fn markdown_blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut table: Option<Table> = None;
    let cells = |line: &str| -> Vec<String> {
        line.trim()
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().replace("**", ""))
            .collect()
    };
    for line in markdown.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('|') {
            let row = cells(trimmed);
            if row
                .iter()
                .all(|c| c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
            {
                continue;
            }
            match &mut table {
                Some(t) => t.rows.push(row),
                None => {
                    table = Some(Table {
                        columns: row
                            .into_iter()
                            .enumerate()
                            .map(|(i, title)| Column {
                                title,
                                weight: if i == 0 { 2.0 } else { 1.0 },
                            })
                            .collect(),
                        rows: Vec::new(),
                    })
                }
            }
            continue;
        }
        if let Some(t) = table.take() {
            blocks.push(Block::Table(t));
        }
        if trimmed.is_empty() {
            continue;
        }
        if let Some(h) = trimmed.strip_prefix("# ") {
            blocks.push(Block::Title(h.to_string()));
        } else if let Some(h) = trimmed.trim_start_matches('#').strip_prefix(' ') {
            blocks.push(Block::Heading(h.to_string()));
        } else {
            let text = trimmed
                .trim_start_matches("- ")
                .trim_start_matches("* ")
                .replace("**", "");
            blocks.push(Block::Paragraph(text));
        }
    }
    if let Some(t) = table.take() {
        blocks.push(Block::Table(t));
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_title_headings_tables_and_text() {
        let blocks = markdown_blocks(
            "# 城关派出所 2026年11月\n\n## 纠纷\n\n| 类别 | 受理 |\n|---|---:|\n| 婚姻家庭 | **3** |\n\n- 化解率 80%\n",
        );
        assert!(matches!(&blocks[0], Block::Title(t) if t == "城关派出所 2026年11月"));
        assert!(matches!(&blocks[1], Block::Heading(t) if t == "纠纷"));
        match &blocks[2] {
            Block::Table(t) => {
                assert_eq!(t.columns[0].title, "类别");
                assert_eq!(t.rows, vec![vec!["婚姻家庭".to_string(), "3".to_string()]]);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(&blocks[3], Block::Paragraph(t) if t == "化解率 80%"));
    }
}
