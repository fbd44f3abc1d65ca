//! The problem types a supervisor files a finding under (执法巡查问题类型): an editable
//! dictionary, because what a legal-affairs brigade checks for differs between bureaus.
//!
//! The defaults ship inside the binary (`defaults/findings.toml`); a user `findings.toml`
//! layered on top replaces `[[problems]]` as a whole, like the other dictionaries (half
//! a list merged into another would leave codes nobody chose). Findings keep the code, so
//! a bureau renaming a label changes no record. Errors name the file and line.

use super::layered::{entry, lacking, last_named, non_empty, RawEntry, SNAKE};
use super::ConfigError;
use beatbook_i18n::Lang;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::Path;

/// The shipped defaults, compiled in.
const SHIPPED_TEXT: &str = include_str!("../../defaults/findings.toml");

/// The name error messages give the shipped defaults.
pub const SHIPPED_PATH: &str = "defaults/findings.toml";

/// One problem type of the dictionary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProblemType {
    pub code: String,
    pub zh: String,
    pub en: String,
}

impl ProblemType {
    /// The label in `lang`.
    pub fn label(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

/// The findings dictionary, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingsConfig {
    pub problems: Vec<ProblemType>,
}

dictionary!(FindingsConfig);

impl FindingsConfig {
    /// The problem type with `code`.
    pub fn problem(&self, code: &str) -> Option<&ProblemType> {
        self.problems.iter().find(|p| p.code == code)
    }

    /// The label of `code` in `lang`; a code the dictionary no longer has shows as itself
    /// (an old finding stays readable after the bureau edits the list).
    pub fn problem_label(&self, code: &str, lang: Lang) -> String {
        self.problem(code)
            .map_or_else(|| code.to_string(), |p| p.label(lang).to_string())
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFile {
    problems: Option<Vec<RawEntry>>,
}

fn build(mut layers: Vec<Layer<'_>>) -> Result<FindingsConfig, ConfigError> {
    let list = last_named(&mut layers, |r| r.problems.take())
        .ok_or_else(|| lacking(SHIPPED_PATH, "[[problems]]"))?;
    non_empty(&list, "problems", "problem")?;
    let src = list.src;
    let mut codes = BTreeSet::new();
    let mut problems = Vec::with_capacity(list.value.len());
    for raw in list.value {
        let problem = entry(
            src, raw.code, raw.zh, raw.en, "problem", SNAKE, &mut codes, "",
        )?;
        problems.push(ProblemType {
            code: problem.code,
            zh: problem.zh,
            en: problem.en,
        });
    }
    Ok(FindingsConfig { problems })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_parses_with_the_issue_defaults() {
        let c = FindingsConfig::shipped().expect("shipped defaults are valid");
        for (code, zh) in [
            ("deadline_missed", "超期未办结"),
            ("record_incomplete", "台账记录不全"),
            ("visit_not_made", "应访未访"),
            ("wrong_procedure", "程序不规范"),
        ] {
            assert_eq!(c.problem(code).map(|p| p.zh.as_str()), Some(zh));
        }
    }

    #[test]
    fn user_list_replaces_and_errors_name_the_line() {
        let path = Path::new("/etc/beatbook/findings.toml");
        let c = FindingsConfig::with_user_text(
            path,
            "[[problems]]\ncode = \"late\"\nzh = \"迟报\"\nen = \"late report\"\n",
        )
        .expect("valid");
        assert_eq!(c.problems.len(), 1);
        assert_eq!(
            c.problem_label("deadline_missed", Lang::En),
            "deadline_missed"
        );
        let e = FindingsConfig::with_user_text(
            path,
            "[[problems]]\ncode = \"a\"\nzh = \"甲\"\nen = \"a\"\n\n[[problems]]\ncode = \"a\"\nzh = \"乙\"\nen = \"b\"\n",
        )
        .expect_err("duplicate code");
        assert_eq!(e.line, Some(7));
        let e = FindingsConfig::with_user_text(
            path,
            "[[problems]]\ncode = \"Bad Code\"\nzh = \"甲\"\nen = \"a\"\n",
        )
        .expect_err("bad code");
        assert_eq!(e.line, Some(2));
        let e = FindingsConfig::with_user_text(path, "[[problem]]\ncode = \"a\"\n")
            .expect_err("unknown key");
        assert!(e.to_string().contains("findings.toml"), "{e}");
    }
}
