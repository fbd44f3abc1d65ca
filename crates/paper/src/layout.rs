//! Blocks onto A4 pages: each page becomes a list of things to draw at fixed positions.
//! Laying out first and drawing after lets the footer say "page 2 of 5", and lets tests
//! check where text lands without reading a PDF.

use crate::fonts::{FontSet, Readers};
use crate::text::{width_em, wrap_with};
use crate::{Block, Chart, Paper, Table};

/// A4 in points.
const A4_SHORT: f32 = 595.28;
const A4_LONG: f32 = 841.89;
/// Margins: 2.5 cm left and right for binding and filing, 2.2 cm top and bottom.
const MARGIN_X: f32 = 70.0;
const MARGIN_TOP: f32 = 62.0;
const MARGIN_BOTTOM: f32 = 62.0;
/// 小四 (12 pt) for body text, as official documents use; titles 二号 (22 pt).
pub(crate) const BODY: f32 = 12.0;
const TITLE: f32 = 22.0;
const HEADING: f32 = 14.0;
const SMALL: f32 = 9.0;
const LEADING: f32 = 1.55;

/// Something to draw, in points from the page's top-left corner.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// Text whose baseline starts at (x, y).
    Text {
        x: f32,
        y: f32,
        size: f32,
        text: String,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
        dashed: bool,
    },
    /// A filled rectangle (table header shading, chart bars); `shade` 0 black to 1 white.
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        shade: f32,
    },
    Circle {
        cx: f32,
        cy: f32,
        r: f32,
    },
}

/// One laid-out page.
#[derive(Clone, Debug, Default)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub ops: Vec<Op>,
}

struct Flow<'f> {
    readers: Readers<'f>,
    width: f32,
    height: f32,
    pages: Vec<Page>,
    y: f32,
}

impl Flow<'_> {
    fn left(&self) -> f32 {
        MARGIN_X
    }
    fn right(&self) -> f32 {
        self.width - MARGIN_X
    }
    fn content(&self) -> f32 {
        self.right() - self.left()
    }
    fn bottom(&self) -> f32 {
        self.height - MARGIN_BOTTOM
    }

    fn page(&mut self) -> &mut Page {
        if self.pages.is_empty() {
            self.new_page();
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn new_page(&mut self) {
        self.pages.push(Page {
            width: self.width,
            height: self.height,
            ops: Vec::new(),
        });
        self.y = MARGIN_TOP;
    }

    /// Makes room for `h` points, starting a new page when this one is too full.
    fn room(&mut self, h: f32) {
        if self.pages.is_empty() || (self.y + h > self.bottom() && self.y > MARGIN_TOP) {
            self.new_page();
        }
    }

    fn text(&mut self, x: f32, baseline: f32, size: f32, text: &str) {
        if text.is_empty() {
            return;
        }
        self.page().ops.push(Op::Text {
            x,
            y: baseline,
            size,
            text: text.to_string(),
        });
    }

    fn line(&mut self, from: (f32, f32), to: (f32, f32), width: f32) {
        self.page().ops.push(Op::Line {
            from,
            to,
            width,
            dashed: false,
        });
    }

    fn w(&self, text: &str, size: f32) -> f32 {
        width_em(&self.readers, text) * size
    }

    fn wrap(&self, text: &str, size: f32, max: f32) -> Vec<String> {
        wrap_with(&self.readers, text, size, max)
    }

    /// One line of `size` text aligned by `place` (given the text's width, its x).
    fn single(&mut self, text: &str, size: f32, place: impl Fn(&Self, f32) -> f32) {
        for line in self.wrap(text, size, self.content()) {
            let h = size * LEADING;
            self.room(h);
            let x = place(self, self.w(&line, size));
            let baseline = self.y + size * 1.15;
            self.text(x, baseline, size, &line);
            self.y += h;
        }
    }

    /// Lines of text starting at `x` (the first at `first_x`), each wrapped to the right
    /// margin.
    fn lines(&mut self, first_x: f32, x: f32, text: &str, size: f32) {
        let h = size * LEADING;
        let first = self.wrap(text, size, self.right() - first_x);
        let Some((head, rest)) = first.split_first() else {
            return;
        };
        self.room(h);
        self.text(first_x, self.y + size * 1.15, size, head);
        self.y += h;
        if rest.is_empty() {
            return;
        }
        // The rest re-wrapped to the full width from `x` (the first line is a prefix of
        // the text: wrapping only trims the spaces where it breaks).
        let rest = text.get(head.len()..).unwrap_or("").trim_start();
        for line in self.wrap(rest, size, self.right() - x) {
            self.room(h);
            self.text(x, self.y + size * 1.15, size, &line);
            self.y += h;
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Title(t) => {
                self.y += 4.0;
                self.single(t, TITLE, |f, w| f.left() + (f.content() - w) / 2.0);
                self.y += 8.0;
            }
            Block::Centered(t) => {
                self.single(t, BODY, |f, w| f.left() + (f.content() - w) / 2.0);
            }
            Block::Right(t) => self.single(t, BODY, |f, w| f.right() - w),
            Block::Heading(t) => {
                self.y += 6.0;
                // Keep a heading with at least two lines of what follows.
                self.room(HEADING * LEADING + 2.0 * BODY * LEADING);
                self.single(t, HEADING, |f, _| f.left());
            }
            Block::Paragraph(t) => {
                for para in t.split('\n') {
                    let indent = self.left() + 2.0 * BODY;
                    self.lines(indent, self.left(), para, BODY);
                }
            }
            Block::Labeled { label, text } => {
                let label_w = self.w(label, BODY);
                let hang = self.left() + label_w.min(self.content() / 3.0);
                self.room(BODY * LEADING);
                self.text(self.left(), self.y + BODY * 1.15, BODY, label);
                let body: Vec<&str> = text.split('\n').collect();
                for (i, para) in body.iter().enumerate() {
                    if i > 0 {
                        self.room(BODY * LEADING);
                    }
                    self.lines(hang, hang, para, BODY);
                }
            }
            Block::Write { label, lines } => {
                self.room(BODY * LEADING * 2.0);
                self.text(self.left(), self.y + BODY * 1.15, BODY, label);
                self.y += BODY * LEADING;
                for _ in 0..*lines {
                    self.room(26.0);
                    self.y += 26.0;
                    let (l, r, y) = (self.left(), self.right(), self.y - 4.0);
                    self.line((l, y), (r, y), 0.5);
                }
                self.y += 6.0;
            }
            Block::Table(t) => self.table(t),
            Block::Signatures { rows, date } => {
                for row in rows {
                    let h = 30.0;
                    self.room(h);
                    let baseline = self.y + 21.0;
                    let (l, r) = (self.left(), self.right());
                    self.text(l, baseline, BODY, row);
                    let date_w = self.w(date, BODY);
                    let rule_from = l + self.w(row, BODY) + 4.0;
                    let rule_to = (r - date_w - 16.0).max(rule_from + 40.0);
                    self.line((rule_from, baseline + 3.0), (rule_to, baseline + 3.0), 0.6);
                    self.text(r - date_w, baseline, BODY, date);
                    self.y += h;
                }
            }
            Block::Seal { text, date } => {
                let r = 38.0;
                let h = 2.0 * r + 8.0 + BODY * LEADING;
                self.room(h);
                let date_w = self.w(date, BODY);
                let cx = self.right() - date_w.max(2.0 * r) / 2.0;
                let cy = self.y + r + 4.0;
                self.page().ops.push(Op::Circle { cx, cy, r });
                let lines = self.wrap(text, SMALL, 1.5 * r);
                let total = lines.len() as f32 * SMALL * 1.3;
                let mut baseline = cy - total / 2.0 + SMALL;
                for line in lines {
                    let w = self.w(&line, SMALL);
                    self.text(cx - w / 2.0, baseline, SMALL, &line);
                    baseline += SMALL * 1.3;
                }
                let right = self.right();
                self.text(
                    right - date_w,
                    self.y + 2.0 * r + 8.0 + BODY * 1.15,
                    BODY,
                    date,
                );
                self.y += h;
            }
            Block::Bars(chart) => self.bars(chart),
            Block::Gap(h) => self.y += h,
            Block::PageBreak => self.new_page(),
        }
    }

    fn table(&mut self, t: &Table) {
        let pad = 3.0;
        let size = SMALL + 0.5;
        let line_h = size * 1.35;
        let total: f32 = t.columns.iter().map(|c| c.weight.max(0.1)).sum();
        let widths: Vec<f32> = t
            .columns
            .iter()
            .map(|c| self.content() * c.weight.max(0.1) / total)
            .collect();
        let header: Vec<String> = t.columns.iter().map(|c| c.title.clone()).collect();
        let cells = |f: &Self, row: &[String]| -> Vec<Vec<String>> {
            widths
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    let text = row.get(i).map(String::as_str).unwrap_or("");
                    f.wrap(text, size, w - 2.0 * pad)
                })
                .collect()
        };
        let height = |cells: &[Vec<String>]| {
            cells.iter().map(Vec::len).max().unwrap_or(1) as f32 * line_h + 2.0 * pad
        };
        let header_cells = cells(self, &header);
        let header_h = height(&header_cells);
        let draw_row = |f: &mut Self, cells: &[Vec<String>], h: f32, shaded: bool| {
            let top = f.y;
            if shaded {
                let (x, w) = (f.left(), f.content());
                f.page().ops.push(Op::Fill {
                    x,
                    y: top,
                    w,
                    h,
                    shade: 0.88,
                });
            }
            let mut x = f.left();
            for (i, lines) in cells.iter().enumerate() {
                let mut baseline = top + pad + size;
                for l in lines {
                    f.text(x + pad, baseline, size, l);
                    baseline += line_h;
                }
                f.line((x, top), (x, top + h), 0.5);
                x += widths[i];
            }
            let (l, r) = (f.left(), f.right());
            f.line((r, top), (r, top + h), 0.5);
            f.line((l, top), (r, top), 0.5);
            f.line((l, top + h), (r, top + h), 0.5);
            f.y += h;
        };
        self.room(header_h + line_h + 2.0 * pad);
        draw_row(self, &header_cells, header_h, true);
        for row in &t.rows {
            let row_cells = cells(self, row);
            let h = height(&row_cells);
            if self.y + h > self.bottom() {
                self.new_page();
                draw_row(self, &header_cells, header_h, true);
            }
            draw_row(self, &row_cells, h, false);
        }
        self.y += 8.0;
    }

    fn bars(&mut self, chart: &Chart) {
        let bar_h = 13.0;
        let gap = 5.0;
        self.room(HEADING * LEADING + (bar_h + gap) * chart.bars.len().min(4) as f32);
        self.single(&chart.title, BODY, |f, _| f.left());
        let label_w = self.content() * 0.28;
        let max = chart
            .bars
            .iter()
            .map(|(_, v)| *v)
            .fold(0.0f64, f64::max)
            .max(1.0);
        for (label, value) in &chart.bars {
            self.room(bar_h + gap);
            let top = self.y;
            let label = self
                .wrap(label, SMALL, label_w - 6.0)
                .into_iter()
                .next()
                .unwrap_or_default();
            self.text(self.left(), top + SMALL + 1.5, SMALL, &label);
            let value_text = format_value(*value);
            let room = self.content() - label_w - self.w(&value_text, SMALL) - 8.0;
            let w = (room * (*value / max) as f32).max(0.5);
            let x = self.left() + label_w;
            self.page().ops.push(Op::Fill {
                x,
                y: top,
                w,
                h: bar_h,
                shade: 0.45,
            });
            self.text(x + w + 4.0, top + SMALL + 1.5, SMALL, &value_text);
            self.y += bar_h + gap;
        }
        self.y += 6.0;
    }
}

fn format_value(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// Lays `paper` out on pages, the footer on each.
pub fn layout(paper: &Paper, fonts: &FontSet) -> Vec<Page> {
    let (width, height) = if paper.landscape {
        (A4_LONG, A4_SHORT)
    } else {
        (A4_SHORT, A4_LONG)
    };
    let mut flow = Flow {
        readers: fonts.readers(),
        width,
        height,
        pages: Vec::new(),
        y: MARGIN_TOP,
    };
    flow.new_page();
    for block in &paper.blocks {
        flow.block(block);
    }
    let count = flow.pages.len();
    if !paper.footer.is_empty() {
        for (i, page) in flow.pages.iter_mut().enumerate() {
            let text = paper
                .footer
                .replace("{page}", &(i + 1).to_string())
                .replace("{pages}", &count.to_string());
            let w = width_em(&flow.readers, &text) * SMALL;
            page.ops.push(Op::Text {
                x: (width - w) / 2.0,
                y: height - MARGIN_BOTTOM / 2.0,
                size: SMALL,
                text,
            });
        }
    }
    flow.pages
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Column;

    /// The texts of a page in drawing order.
    fn texts(page: &Page) -> Vec<&str> {
        page.ops
            .iter()
            .filter_map(|o| match o {
                Op::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_long_table_repeats_its_header_on_every_page_and_keeps_every_row() {
        let fonts = FontSet::load(&[]).expect("font");
        let rows: Vec<Vec<String>> = (1..=120)
            .map(|n| vec![n.to_string(), format!("张三{n}与李四宅基地纠纷")])
            .collect();
        let paper = Paper {
            blocks: vec![Block::Table(Table {
                columns: vec![
                    Column {
                        title: "序号".into(),
                        weight: 1.0,
                    },
                    Column {
                        title: "纠纷".into(),
                        weight: 5.0,
                    },
                ],
                rows,
            })],
            footer: "第 {page} 页 共 {pages} 页".into(),
            ..Paper::default()
        };
        let pages = layout(&paper, &fonts);
        assert!(pages.len() >= 3, "{} pages", pages.len());
        let mut seen = Vec::new();
        for (i, page) in pages.iter().enumerate() {
            let texts = texts(page);
            assert_eq!(texts[0], "序号", "page {} starts with the header", i + 1);
            assert!(texts.contains(&format!("第 {} 页 共 {} 页", i + 1, pages.len()).as_str()));
            seen.extend(
                texts
                    .iter()
                    .filter(|t| t.ends_with("宅基地纠纷"))
                    .map(|t| t.to_string()),
            );
        }
        assert_eq!(seen.len(), 120);
        assert_eq!(seen[119], "张三120与李四宅基地纠纷");
    }
}
