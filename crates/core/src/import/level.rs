//! Watch-list levels as rosters write them.
//!
//! Accepted (case-insensitive, spaces ignored):
//! - colours: 红 橙 黄 蓝 and red orange yellow blue, optionally followed by 色, 级, 预警,
//!   等级, 级别, 风险 or 管控 (红色, 红色预警, 橙色管控…);
//! - letter grades A B C D, optionally followed by 级 (A = red … D = blue);
//! - numbered grades 一级 二级 三级 四级, 1级–4级, Ⅰ级–Ⅳ级 or I级–IV级 (一级 = red …
//!   四级 = blue, as in emergency grading where 一级 is the most serious). The 级 is
//!   required: a bare `1` could be a score where higher means worse.
//!
//! Anything else (高/中/低, 重点, a bare number) is refused: mapping a three-level scheme
//! onto four colours is the bureau's decision, not the importer's.

use beatbook_model::RiskLevel;

/// Suffixes that add nothing to a level.
const SUFFIXES: [&str; 7] = ["预警", "等级", "级别", "风险", "管控", "色", "级"];

/// Reads a level cell; `None` when it is not one of the accepted forms.
pub fn parse_level(cell: &str) -> Option<RiskLevel> {
    let full: String = super::cells::normalize(cell)
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    let mut core = full.as_str();
    let mut graded = false;
    while let Some((suffix, rest)) = SUFFIXES.iter().find_map(|s| {
        core.strip_suffix(s)
            .filter(|r| !r.is_empty())
            .map(|r| (*s, r))
    }) {
        graded |= suffix == "级";
        core = rest;
    }
    let by_colour_or_letter = match core {
        "红" | "red" | "a" => Some(RiskLevel::Red),
        "橙" | "orange" | "b" => Some(RiskLevel::Orange),
        "黄" | "yellow" | "c" => Some(RiskLevel::Yellow),
        "蓝" | "blue" | "d" => Some(RiskLevel::Blue),
        _ => None,
    };
    if by_colour_or_letter.is_some() {
        return by_colour_or_letter;
    }
    if !graded {
        return None;
    }
    match core {
        "一" | "1" | "ⅰ" | "i" => Some(RiskLevel::Red),
        "二" | "2" | "ⅱ" | "ii" => Some(RiskLevel::Orange),
        "三" | "3" | "ⅲ" | "iii" => Some(RiskLevel::Yellow),
        "四" | "4" | "ⅳ" | "iv" => Some(RiskLevel::Blue),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RiskLevel::*;

    #[test]
    fn accepted_forms() {
        for (cell, level) in [
            ("红", Red),
            ("红色", Red),
            (" 红色预警 ", Red),
            ("RED", Red),
            ("Orange", Orange),
            ("橙色管控", Orange),
            ("黄色等级", Yellow),
            ("蓝", Blue),
            ("A", Red),
            ("b级", Orange),
            ("Ｃ", Yellow),
            ("D", Blue),
            ("一级", Red),
            ("二级", Orange),
            ("3级", Yellow),
            ("３级", Yellow),
            ("Ⅳ级", Blue),
            ("II级", Orange),
        ] {
            assert_eq!(parse_level(cell), Some(level), "{cell}");
        }
    }

    #[test]
    fn refused_forms() {
        for cell in [
            "1",
            "一",
            "高",
            "高风险",
            "中",
            "重点",
            "E",
            "五级",
            "紫色",
            "级",
            "色",
            "",
        ] {
            assert_eq!(parse_level(cell), None, "{cell}");
        }
    }
}
