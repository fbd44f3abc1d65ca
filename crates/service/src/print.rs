//! Paper: the mediation agreement (人民调解协议书), the visit record (回访记录), the
//! dispute register (矛盾纠纷排查化解登记表) and the monthly report, as PDF.
//!
//! The service decides what a paper says and who may have it: the same station scoping
//! as the screens, full ID numbers only on the agreement (the parties sign it), and every
//! print audited like a reveal (`paper.print`). The wording comes from `paper.toml`, the
//! layout and the PDF from `beatbook-paper`.

mod agreement;
mod papers;

pub use agreement::{AgreementAnswers, AgreementAsk, PartyAsk};

use crate::{Service, ServiceError, Session};
use beatbook_core::report::Month;
use beatbook_i18n::Lang;
use beatbook_model::Id;
use beatbook_paper::{Block, FontFile, FontSet, Paper, PaperError};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// What to print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrintKind {
    /// The mediation agreement of a dispute (its last session that reached agreement).
    Agreement(Id),
    /// The record of a visit: filled in when it was made, blank to fill by hand when it
    /// is still planned.
    Visit(Id),
    /// The register of one station's disputes reported in a period (both days included).
    Register {
        station: Id,
        from: NaiveDate,
        to: NaiveDate,
    },
    /// The monthly report of a station, or of the bureau when `station` is None.
    Report { station: Option<Id>, month: Month },
}

/// A paper written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Printed {
    pub path: PathBuf,
    pub pages: usize,
    pub bytes: usize,
    /// The agreement's number as printed, e.g. （2026）城关调字第 17 号.
    pub number: Option<String>,
}

/// A paper laid out, before it is written: the blocks and a short name for the audit.
pub(crate) struct Composed {
    paper: Paper,
    station: Id,
    audit: String,
    number: Option<String>,
}

impl Service {
    /// Prints `kind` to `out` (PDF, private to this user, whole or not at all) in `lang`,
    /// after checking that the session may read it. Audited.
    pub fn print(
        &self,
        session: &Session,
        kind: &PrintKind,
        out: &Path,
        lang: Lang,
    ) -> Result<Printed, ServiceError> {
        self.authorize(session)?;
        let composed = match kind {
            PrintKind::Agreement(id) => self.agreement_paper(session, *id, lang)?,
            PrintKind::Visit(id) => self.visit_paper(session, *id, lang)?,
            PrintKind::Register { station, from, to } => {
                self.register_paper(session, *station, *from, *to, lang)?
            }
            PrintKind::Report { station, month } => {
                self.report_paper(session, *station, *month, lang)?
            }
        };
        let fonts = self.paper_fonts()?;
        let pdf = beatbook_paper::print(&composed.paper, &fonts).map_err(paper_error)?;
        write_file(out, &pdf.bytes)?;
        let change = self
            .change(session, "paper.print")
            .station(composed.station)
            .detail(format!("{} -> {}", composed.audit, out.display()));
        self.store.commit(&change)?;
        tracing::info!(path = %out.display(), user = session.username(), "paper printed");
        Ok(Printed {
            path: out.to_path_buf(),
            pages: pdf.pages,
            bytes: pdf.bytes.len(),
            number: composed.number,
        })
    }

    /// A file name for `kind` in the data folder's `papers/` (where the screens print
    /// unless told otherwise).
    pub fn paper_path(&self, kind: &PrintKind) -> PathBuf {
        let name = match kind {
            PrintKind::Agreement(id) => format!("agreement-{id}.pdf"),
            PrintKind::Visit(id) => format!("visit-{id}.pdf"),
            PrintKind::Register { station, from, to } => {
                format!("register-{}-{from}-{to}.pdf", self.station_code(*station))
            }
            PrintKind::Report { station, month } => match station {
                Some(s) => format!("report-{}-{month}.pdf", self.station_code(*s)),
                None => format!("report-bureau-{month}.pdf"),
            },
        };
        self.data_dir().join("papers").join(name)
    }

    /// The data folder: where the store is, and the papers and reports written for
    /// people to keep.
    pub(crate) fn data_dir(&self) -> PathBuf {
        let store = self.store.path();
        store
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| store.to_path_buf())
    }

    /// A station's code for file names (its id when it has none): a supervisor printing
    /// two stations' registers of one period gets two files.
    pub(crate) fn station_code(&self, station: Id) -> String {
        match self.store.get::<beatbook_model::Station>(station) {
            Ok(Some(s)) if !s.code.trim().is_empty() => s.code,
            _ => station.to_string(),
        }
    }

    /// The bureau's fonts (paper.toml) then the shipped one.
    fn paper_fonts(&self) -> Result<FontSet, ServiceError> {
        let files: Vec<FontFile> = self
            .settings
            .paper
            .fonts
            .iter()
            .map(|f| FontFile::parse(f))
            .collect();
        FontSet::load(&files).map_err(paper_error)
    }

    /// A paper in `lang`, with the template's page footer.
    pub(crate) fn paper(
        &self,
        title: String,
        blocks: Vec<Block>,
        lang: Lang,
        landscape: bool,
    ) -> Paper {
        Paper {
            title,
            language: lang.pick("zh-CN", "en").to_string(),
            blocks,
            footer: self.paper_text("common.footer", lang, &[]),
            landscape,
        }
    }

    /// A text of paper.toml with its words filled in.
    pub(crate) fn paper_text(&self, key: &str, lang: Lang, values: &[(&str, &str)]) -> String {
        self.settings.paper.fill(key, lang, values)
    }

    /// The station's name and short name (城关 for 城关派出所), for headings and numbers.
    pub(crate) fn station_names(&self, station: Id) -> (String, String) {
        let name = self.station_name(station);
        let short = name
            .strip_suffix("派出所")
            .filter(|s| !s.is_empty())
            .unwrap_or(&name)
            .to_string();
        (name, short)
    }
}

/// The paper errors a person can act on, in words; the rest are bugs.
fn paper_error(e: PaperError) -> ServiceError {
    match e {
        PaperError::MissingGlyphs { chars, fonts } => ServiceError::PaperGlyphs {
            chars: chars.into_iter().collect(),
            fonts: fonts.join(", "),
        },
        PaperError::Font { file, reason } => ServiceError::PaperFont {
            file: file.display().to_string(),
            reason,
        },
        PaperError::Pdf(reason) => ServiceError::Io(std::io::Error::other(reason)),
    }
}

/// Writes `bytes` to `path` durably (temporary name, sync, rename), creating its folder.
/// An I/O error keeps its kind, so that a full disk is told as such.
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ServiceError> {
    use beatbook_store::outfile::{write_whole, OutputError};
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    write_whole(path, bytes).map_err(|e| match e {
        OutputError::Io { source, .. } => ServiceError::Io(source),
        other => ServiceError::Io(std::io::Error::other(other.to_string())),
    })
}

/// A date as the papers write it: 2026年11月25日 / 2026-11-25.
pub(crate) fn paper_date(d: NaiveDate, lang: Lang) -> String {
    use chrono::Datelike;
    match lang {
        Lang::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Lang::En => d.to_string(),
    }
}
