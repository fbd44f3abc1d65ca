//! The fonts a paper is printed with: the bureau's own files first (a 仿宋 for official
//! documents, say), in the order given, then the font beatbook ships, so that printing
//! works on a fresh machine. Each character takes the first font that has a glyph for it;
//! a character none of them has is named before anything is drawn.

use crate::PaperError;
use krilla::text::Font;
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// WenQuanYi Micro Hei (Apache-2.0), as Debian's fonts-wqy-microhei ships it: the CJK
/// Unified Ideographs, Extension A in part, Latin and the CJK punctuation, in 5 MB.
/// Rarer characters (𠮷, Extension B) need a bureau font such as Noto Serif CJK.
static SHIPPED: &[u8] = include_bytes!("../fonts/wqy-microhei.ttc");

/// How error messages and the PDF's font list name the shipped font.
pub const SHIPPED_LABEL: &str = "WenQuanYi Micro Hei";

/// A font file to try before the shipped one: a path, and the face of a collection
/// (`.ttc`), 0 for a single font.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FontFile {
    pub path: PathBuf,
    pub face: u32,
}

impl FontFile {
    /// Reads `PATH` or `PATH#N` (face N of a collection), as a settings file writes it.
    pub fn parse(text: &str) -> FontFile {
        if let Some((path, face)) = text.rsplit_once('#') {
            if let Ok(face) = face.trim().parse::<u32>() {
                return FontFile {
                    path: PathBuf::from(path.trim()),
                    face,
                };
            }
        }
        FontFile {
            path: PathBuf::from(text.trim()),
            face: 0,
        }
    }
}

/// One loaded face: its bytes, its face index, and krilla's handle for drawing.
struct Face {
    label: String,
    data: Arc<dyn AsRef<[u8]> + Send + Sync>,
    index: u32,
    pdf: Font,
    units_per_em: f32,
}

impl Face {
    fn load(
        label: String,
        data: Arc<dyn AsRef<[u8]> + Send + Sync>,
        index: u32,
    ) -> Result<Face, String> {
        let read = FontRef::from_index((*data).as_ref(), index).map_err(|e| e.to_string())?;
        let units_per_em = f32::from(
            read.metrics(Size::unscaled(), LocationRef::default())
                .units_per_em,
        );
        let pdf = Font::new(krilla::Data::from(data.clone()), index)
            .ok_or_else(|| "not a font krilla can embed".to_string())?;
        Ok(Face {
            label,
            data,
            index,
            pdf,
            units_per_em: units_per_em.max(1.0),
        })
    }

    fn reader(&self) -> Option<FontRef<'_>> {
        FontRef::from_index((*self.data).as_ref(), self.index).ok()
    }
}

/// The fonts of one print, in the order they are tried.
pub struct FontSet {
    faces: Vec<Face>,
}

/// One character placed: which face, which glyph, how far the pen moves (in em).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Placed {
    pub face: usize,
    pub glyph: u32,
    pub advance: f32,
}

/// The faces read for one measuring pass (parsing a font's tables once per text, not
/// once per character).
pub(crate) struct Readers<'a> {
    faces: Vec<(FontRef<'a>, f32)>,
}

impl Readers<'_> {
    /// The glyph of `ch` in the first face that has one, or `None`.
    pub fn place(&self, ch: char) -> Option<Placed> {
        for (i, (font, upem)) in self.faces.iter().enumerate() {
            if let Some(gid) = font.charmap().map(ch) {
                if gid.to_u32() == 0 {
                    continue;
                }
                let advance = font
                    .glyph_metrics(Size::unscaled(), LocationRef::default())
                    .advance_width(gid)
                    .unwrap_or(*upem);
                return Some(Placed {
                    face: i,
                    glyph: gid.to_u32(),
                    advance: advance / upem,
                });
            }
        }
        None
    }
}

impl FontSet {
    /// The bureau's fonts (in order), then the shipped one. A file that cannot be read or
    /// is not a font is an error naming it: printing with a different font than the
    /// bureau chose would go unnoticed.
    pub fn load(files: &[FontFile]) -> Result<FontSet, PaperError> {
        let mut faces = Vec::with_capacity(files.len() + 1);
        for file in files {
            let bytes = std::fs::read(&file.path).map_err(|e| PaperError::Font {
                file: file.path.clone(),
                reason: e.to_string(),
            })?;
            let label = font_label(&file.path, file.face);
            let face = Face::load(label, Arc::new(bytes), file.face).map_err(|reason| {
                PaperError::Font {
                    file: file.path.clone(),
                    reason,
                }
            })?;
            faces.push(face);
        }
        let shipped =
            Face::load(SHIPPED_LABEL.to_string(), Arc::new(SHIPPED), 0).map_err(|reason| {
                PaperError::Font {
                    file: PathBuf::from(SHIPPED_LABEL),
                    reason,
                }
            })?;
        faces.push(shipped);
        Ok(FontSet { faces })
    }

    /// The faces' names, in the order they are tried (for messages).
    pub fn labels(&self) -> Vec<String> {
        self.faces.iter().map(|f| f.label.clone()).collect()
    }

    pub(crate) fn readers(&self) -> Readers<'_> {
        Readers {
            faces: self
                .faces
                .iter()
                .filter_map(|f| f.reader().map(|r| (r, f.units_per_em)))
                .collect(),
        }
    }

    pub(crate) fn pdf_font(&self, face: usize) -> Option<Font> {
        self.faces.get(face).map(|f| f.pdf.clone())
    }

    /// The characters of `texts` no font has a glyph for, each once, in the order met.
    /// Spaces and line breaks need none.
    pub fn missing<'a>(&self, texts: impl IntoIterator<Item = &'a str>) -> Vec<char> {
        let readers = self.readers();
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for text in texts {
            for ch in text.chars() {
                if ch.is_whitespace() || ch.is_control() || !seen.insert(ch) {
                    continue;
                }
                if readers.place(ch).is_none() {
                    out.push(ch);
                }
            }
        }
        out
    }
}

fn font_label(path: &Path, face: u32) -> String {
    if face == 0 {
        path.display().to_string()
    } else {
        format!("{}#{face}", path.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_face_index_follows_the_path() {
        assert_eq!(
            FontFile::parse("/usr/share/fonts/noto/NotoSerifCJK-Regular.ttc#2"),
            FontFile {
                path: PathBuf::from("/usr/share/fonts/noto/NotoSerifCJK-Regular.ttc"),
                face: 2
            }
        );
        assert_eq!(FontFile::parse("C:\\Windows\\Fonts\\simfang.ttf").face, 0);
    }

    #[test]
    fn the_shipped_font_has_common_and_rare_basic_characters_but_not_extension_b() {
        let fonts = FontSet::load(&[]).expect("shipped font loads");
        assert!(fonts
            .missing(["张三 堃 李四，（2026）城关调字第 17 号 ABC"])
            .is_empty());
        assert_eq!(fonts.missing(["𠮷田"]), vec!['𠮷']);
    }

    #[test]
    fn an_unreadable_font_file_is_named() {
        let err = FontSet::load(&[FontFile::parse("/nonexistent/仿宋.ttf")])
            .err()
            .expect("refused");
        assert!(err.to_string().contains("/nonexistent/仿宋.ttf"), "{err}");
    }
}
