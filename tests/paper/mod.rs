//! Printed paper (issue 15), read back as a reader would: the PDF's text extracted with
//! poppler's `pdftotext` (installed by `.ci/run`) must hold every field in order; names
//! with rare characters print or are refused naming the character; a bureau's
//! `paper.toml` changes the wording; ID numbers are full only on the agreement; every
//! print is audited.

mod papers;

use crate::common::disputes::{fresh_pair, register, session_form};
use crate::common::{audit, Bureau};
use beatbook::config::{PaperConfig, Settings};
use beatbook::model::{Dispute, Field, Person};
use beatbook::service::{AgreementAnswers, PrintKind, ServiceError, Session};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The text of a PDF (`pdftotext`, reading order), or None when poppler is missing
/// outside CI (in CI a missing tool fails the test: `.ci/run` installs it).
pub fn pdf_text(path: &Path) -> Option<String> {
    pdf_text_pages(path, None)
}

/// The text of one page (1-based) or of the whole document.
pub fn pdf_text_pages(path: &Path, page: Option<usize>) -> Option<String> {
    let mut cmd = Command::new("pdftotext");
    cmd.args(["-enc", "UTF-8"]);
    if let Some(p) = page {
        cmd.args(["-f", &p.to_string(), "-l", &p.to_string()]);
    }
    match cmd.arg(path).arg("-").output() {
        Ok(out) => {
            assert!(
                out.status.success(),
                "pdftotext failed on {}: {}",
                path.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            Some(String::from_utf8_lossy(&out.stdout).into_owned())
        }
        Err(e) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "pdftotext (poppler-utils) is missing in CI: {e}"
            );
            eprintln!("skipped: pdftotext not installed ({e})");
            None
        }
    }
}

/// Asserts that `parts` occur in `text` in this order (whitespace and line breaks
/// ignored: the layout wraps lines where it must).
pub fn assert_in_order(text: &str, parts: &[&str]) {
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut from = 0;
    for part in parts {
        let needle: String = part.chars().filter(|c| !c.is_whitespace()).collect();
        match flat[from..].find(&needle) {
            Some(at) => from += at + needle.len(),
            None => {
                panic!("'{part}' not found after position {from} (or out of order) in:\n{text}")
            }
        }
    }
}

/// A dispute of station A between two fresh persons, accepted and mediated to an
/// agreement today.
pub fn agreed_dispute(b: &Bureau) -> (Dispute, Person, Person) {
    let (p1, p2) = fresh_pair(b, &b.officer_a);
    let d = agreed_between(b, &b.officer_a, "宅基地边界纠纷", &p1, &p2);
    (d, p1, p2)
}

/// A dispute `title` between `p1` and `p2`, registered by `session`, accepted and
/// mediated to an agreement today.
pub fn agreed_between(
    b: &Bureau,
    session: &Session,
    title: &str,
    p1: &Person,
    p2: &Person,
) -> Dispute {
    let d = register(&b.service, session, title, &[p1, p2], &[]);
    let d = b
        .service
        .accept_dispute(session, d.meta.id, d.meta.revision)
        .expect("accepted");
    let today = b.service.today().to_string();
    b.service
        .record_session(session, d.meta.id, d.meta.revision, &session_form(&today))
        .expect("session")
}

/// The answers that complete an agreement of fresh persons (they lack ethnicity and
/// occupation).
pub fn answers_for(d: &Dispute, p1: &Person, p2: &Person) -> AgreementAnswers {
    let _ = d;
    AgreementAnswers {
        manner: "申请人退回越界部分，双方重新设立界桩".into(),
        due: "2026-12-31".into(),
        parties: vec![
            (
                p1.meta.id,
                vec![
                    (Field::Ethnicity, "汉族".into()),
                    (Field::Occupation, "农民".into()),
                ],
            ),
            (
                p2.meta.id,
                vec![
                    (Field::Ethnicity, "回族".into()),
                    (Field::Occupation, "个体经营".into()),
                ],
            ),
        ],
    }
}

/// Completes and prints the agreement of `d` as `session` into `dir`.
pub fn print_agreement(
    b: &Bureau,
    session: &Session,
    d: &Dispute,
    p1: &Person,
    p2: &Person,
    out: &Path,
) -> beatbook::service::Printed {
    let ask = b
        .service
        .agreement_ask(session, d.meta.id)
        .expect("agreement ask");
    b.service
        .complete_agreement(session, d.meta.id, ask.revision, &answers_for(d, p1, p2))
        .expect("completed");
    b.service
        .print(
            session,
            &PrintKind::Agreement(d.meta.id),
            out,
            beatbook::i18n::Lang::Zh,
        )
        .expect("printed")
}

/// A bureau whose paper.toml is `text` (written beside the other settings files).
pub fn bureau_with_paper(text: &str) -> (tempfile::TempDir, Bureau) {
    let config = tempfile::tempdir().expect("config dir");
    let path = config.path().join("paper.toml");
    std::fs::write(&path, text).expect("paper.toml");
    let settings = Settings {
        paper: PaperConfig::load(&path).expect("paper.toml valid"),
        ..Settings::default()
    };
    (
        config,
        Bureau::with_settings(crate::common::start_time(), settings),
    )
}

/// Where Debian's fonts-noto-cjk puts Noto Serif CJK (face 2: SC), which has 𠮷; `.ci/run`
/// installs it. None outside CI when missing.
pub fn noto_serif() -> Option<PathBuf> {
    let path = PathBuf::from("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc");
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "fonts-noto-cjk is missing in CI ({})",
        path.display()
    );
    eprintln!("skipped: fonts-noto-cjk not installed");
    None
}

/// The audit entries of paper prints.
pub fn prints(b: &Bureau) -> Vec<beatbook::store::AuditEntry> {
    audit(b.store())
        .into_iter()
        .filter(|e| e.action == "paper.print")
        .collect()
}

/// The refusal of a print that must not happen, with no file left behind.
pub fn refused_print(b: &Bureau, session: &Session, kind: &PrintKind, out: &Path) -> ServiceError {
    let err = b
        .service
        .print(session, kind, out, beatbook::i18n::Lang::Zh)
        .expect_err("refused");
    assert!(!out.exists(), "a refused print wrote {}", out.display());
    err
}
