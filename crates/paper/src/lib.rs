//! Paper beatbook prints: mediation agreements, visit records, the dispute register and
//! the monthly report, as A4 PDF.
//!
//! A caller describes a [`Paper`] as a list of [`Block`]s (a title, labelled text, a table
//! whose header repeats on every page, signature lines, a seal area, a bar chart); this
//! crate lays them out on pages (`layout`), then writes the PDF with krilla, which
//! embeds only the glyphs used (`render`). It knows nothing of disputes or visits:
//! the service decides what is printed and who may print it.
//!
//! Why our own layout rather than a typesetting engine: these papers are forms (labels,
//! lines, tables), the only hard part is Chinese line breaking, which Unicode's rules
//! cover (`text`), and a full engine (typst) would multiply the cold build of CI.

mod fonts;
mod layout;
mod render;
mod text;

pub use fonts::{FontFile, FontSet, SHIPPED_LABEL};
use layout::layout;

use std::path::PathBuf;

/// A document to print.
#[derive(Clone, Debug, Default)]
pub struct Paper {
    /// The PDF's title (shown by viewers), e.g. 人民调解协议书.
    pub title: String,
    /// `zh-CN` or `en`: the PDF's language, for screen readers and text extraction.
    pub language: String,
    pub blocks: Vec<Block>,
    /// Printed at the foot of every page; `{page}` and `{pages}` are replaced.
    pub footer: String,
    /// Landscape A4 (wide tables such as the register).
    pub landscape: bool,
}

/// One piece of a paper, laid out top to bottom.
#[derive(Clone, Debug)]
pub enum Block {
    /// The document's heading, centred and large.
    Title(String),
    /// A centred line (a subtitle, the period of a register).
    Centered(String),
    /// A line set flush right (a document number).
    Right(String),
    /// A section heading.
    Heading(String),
    /// Running text, wrapped, the first line indented by two characters.
    Paragraph(String),
    /// `label` then the text, wrapped under itself (a hanging indent).
    Labeled { label: String, text: String },
    /// `label`, then ruled lines to write on by hand.
    Write { label: String, lines: u8 },
    /// A table; its header is repeated on every page it runs onto.
    Table(Table),
    /// Lines to sign on: each label, a rule, then the date written as the template says.
    Signatures { rows: Vec<String>, date: String },
    /// The area for the committee's seal: a dashed circle with the text inside, and the
    /// date under it, kept together at the right.
    Seal { text: String, date: String },
    /// A bar chart of labelled values.
    Bars(Chart),
    /// Vertical space, in points.
    Gap(f32),
    /// Continue on a new page.
    PageBreak,
}

/// A table: columns share the width in proportion to their weights.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Clone, Debug)]
pub struct Column {
    pub title: String,
    pub weight: f32,
}

/// Horizontal bars, longest value full width.
#[derive(Clone, Debug, Default)]
pub struct Chart {
    pub title: String,
    pub bars: Vec<(String, f64)>,
}

/// Why a paper could not be printed.
#[derive(Debug, thiserror::Error)]
pub enum PaperError {
    /// Characters none of the fonts can draw: printing them as boxes would put a wrong
    /// name on a signed paper.
    #[error("no glyph for {chars:?} in {fonts:?}")]
    MissingGlyphs {
        chars: Vec<char>,
        fonts: Vec<String>,
    },
    /// A configured font file that cannot be read or used.
    #[error("font {file}: {reason}")]
    Font { file: PathBuf, reason: String },
    /// The PDF writer refused (a bug, not an input problem).
    #[error("PDF: {0}")]
    Pdf(String),
}

/// A paper written: the PDF and its number of pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
}

/// Lays out and writes `paper` as PDF. Every character is checked first: a character no
/// font can draw is an error naming it, before anything is produced.
pub fn print(paper: &Paper, fonts: &FontSet) -> Result<Pdf, PaperError> {
    let missing = fonts.missing(paper.texts());
    if !missing.is_empty() {
        return Err(PaperError::MissingGlyphs {
            chars: missing,
            fonts: fonts.labels(),
        });
    }
    let pages = layout(paper, fonts);
    let bytes = render::pdf(paper, &pages, fonts)?;
    Ok(Pdf {
        bytes,
        pages: pages.len(),
    })
}

impl Paper {
    /// Every text the paper prints.
    fn texts(&self) -> impl Iterator<Item = &str> {
        let blocks = self.blocks.iter().flat_map(|b| -> Vec<&str> {
            match b {
                Block::Title(t)
                | Block::Centered(t)
                | Block::Right(t)
                | Block::Heading(t)
                | Block::Paragraph(t) => vec![t],
                Block::Seal { text, date } => vec![text, date],
                Block::Labeled { label, text } => vec![label, text],
                Block::Write { label, .. } => vec![label],
                Block::Table(t) => t
                    .columns
                    .iter()
                    .map(|c| c.title.as_str())
                    .chain(t.rows.iter().flatten().map(String::as_str))
                    .collect(),
                Block::Signatures { rows, date } => rows
                    .iter()
                    .map(String::as_str)
                    .chain([date.as_str()])
                    .collect(),
                Block::Bars(c) => std::iter::once(c.title.as_str())
                    .chain(c.bars.iter().map(|(l, _)| l.as_str()))
                    .collect(),
                Block::Gap(_) | Block::PageBreak => vec![],
            }
        });
        blocks.chain([self.footer.as_str()])
    }
}
