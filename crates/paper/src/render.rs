//! Laid-out pages into PDF with krilla. Text is drawn glyph by glyph in the font chosen
//! for each character (so a bureau's 仿宋 and the shipped font can share a line), each
//! glyph carrying the text it stands for, so that a reader (or `pdftotext`) gets the
//! characters back. krilla embeds a subset of each font: only the glyphs used.

use crate::fonts::FontSet;
use crate::layout::{Op, Page};
use crate::{Paper, PaperError};
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke, StrokeDash};
use krilla::surface::Surface;
use krilla::text::{GlyphId, KrillaGlyph};
use krilla::Document;

pub(crate) fn pdf(paper: &Paper, pages: &[Page], fonts: &FontSet) -> Result<Vec<u8>, PaperError> {
    let mut document = Document::new();
    let mut metadata = Metadata::new()
        .title(paper.title.clone())
        .creator("beatbook".to_string());
    if !paper.language.is_empty() {
        metadata = metadata.language(paper.language.clone());
    }
    document.set_metadata(metadata);
    for page in pages {
        let settings = PageSettings::from_wh(page.width, page.height)
            .ok_or_else(|| PaperError::Pdf("page size".into()))?;
        let mut pdf_page = document.start_page_with(settings);
        let mut surface = pdf_page.surface();
        for op in &page.ops {
            draw(&mut surface, op, fonts);
        }
        surface.finish();
        pdf_page.finish();
    }
    document
        .finish()
        .map_err(|e| PaperError::Pdf(format!("{e:?}")))
}

fn black() -> krilla::paint::Paint {
    rgb::Color::black().into()
}

fn draw(surface: &mut Surface<'_>, op: &Op, fonts: &FontSet) {
    match op {
        Op::Text { x, y, size, text } => draw_text(surface, *x, *y, *size, text, fonts),
        Op::Line {
            from,
            to,
            width,
            dashed,
        } => {
            let mut pb = PathBuilder::new();
            pb.move_to(from.0, from.1);
            pb.line_to(to.0, to.1);
            if let Some(path) = pb.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(stroke(*width, *dashed)));
                surface.draw_path(&path);
                surface.set_stroke(None);
            }
        }
        Op::Fill { x, y, w, h, shade } => {
            let mut pb = PathBuilder::new();
            if let Some(rect) = krilla::geom::Rect::from_xywh(*x, *y, *w, *h) {
                pb.push_rect(rect);
            }
            if let Some(path) = pb.finish() {
                let level = (shade.clamp(0.0, 1.0) * 255.0) as u8;
                surface.set_stroke(None);
                surface.set_fill(Some(Fill {
                    paint: rgb::Color::new(level, level, level).into(),
                    ..Fill::default()
                }));
                surface.draw_path(&path);
                surface.set_fill(None);
            }
        }
        Op::Circle { cx, cy, r } => {
            // Four cubic arcs (the usual 0.5523 control-point factor).
            let k = 0.552_284_8 * r;
            let mut pb = PathBuilder::new();
            pb.move_to(cx + r, *cy);
            pb.cubic_to(cx + r, cy + k, cx + k, cy + r, *cx, cy + r);
            pb.cubic_to(cx - k, cy + r, cx - r, cy + k, cx - r, *cy);
            pb.cubic_to(cx - r, cy - k, cx - k, cy - r, *cx, cy - r);
            pb.cubic_to(cx + k, cy - r, cx + r, cy - k, cx + r, *cy);
            pb.close();
            if let Some(path) = pb.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(stroke(0.8, true)));
                surface.draw_path(&path);
                surface.set_stroke(None);
            }
        }
    }
}

fn stroke(width: f32, dashed: bool) -> Stroke {
    Stroke {
        paint: black(),
        width,
        dash: dashed.then(|| StrokeDash {
            array: vec![3.0, 2.0],
            offset: 0.0,
        }),
        ..Stroke::default()
    }
}

/// Draws `text` with its baseline at (x, y): consecutive characters of one font become
/// one run of glyphs.
fn draw_text(surface: &mut Surface<'_>, x: f32, y: f32, size: f32, text: &str, fonts: &FontSet) {
    let readers = fonts.readers();
    surface.set_stroke(None);
    surface.set_fill(Some(Fill {
        paint: black(),
        ..Fill::default()
    }));
    let mut pen = x;
    let mut run: Vec<KrillaGlyph> = Vec::new();
    let mut run_face = usize::MAX;
    let mut run_start = 0usize;
    let mut run_x = x;
    let flush = |surface: &mut Surface<'_>,
                 run: &mut Vec<KrillaGlyph>,
                 face: usize,
                 start: usize,
                 end: usize,
                 at: f32| {
        if run.is_empty() {
            return;
        }
        if let Some(font) = fonts.pdf_font(face) {
            surface.draw_glyphs(
                Point::from_xy(at, y),
                run,
                font,
                &text[start..end],
                size,
                false,
            );
        }
        run.clear();
    };
    for (at, ch) in text.char_indices() {
        if ch.is_control() {
            continue;
        }
        // Characters were checked before layout; one missing here is skipped, not boxed.
        let Some(placed) = readers.place(ch) else {
            continue;
        };
        if placed.face != run_face {
            flush(surface, &mut run, run_face, run_start, at, run_x);
            run_face = placed.face;
            run_start = at;
            run_x = pen;
        }
        let local = at - run_start;
        run.push(KrillaGlyph::new(
            GlyphId::new(placed.glyph),
            placed.advance,
            0.0,
            0.0,
            0.0,
            local..local + ch.len_utf8(),
            None,
        ));
        pen += placed.advance * size;
    }
    flush(surface, &mut run, run_face, run_start, text.len(), run_x);
    surface.set_fill(None);
}
