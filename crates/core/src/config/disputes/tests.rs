use super::*;

fn user(text: &str) -> Result<DisputeConfig, ConfigError> {
    DisputeConfig::with_user_text(Path::new("/etc/beatbook/disputes.toml"), text)
}

#[test]
fn shipped_parses_with_the_domain_defaults() {
    let c = DisputeConfig::shipped().expect("shipped defaults are valid");
    let codes: Vec<&str> = c.categories.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(
        codes,
        ["01", "02", "03", "04", "05", "06", "07", "08", "09", "99"]
    );
    let land = c.category("03").expect("03");
    assert_eq!(land.zh, "土地及资源权属");
    assert_eq!(
        land.subcategory("0302").map(|s| s.zh.as_str()),
        Some("宅基地")
    );
    assert_eq!(c.category("01").map(|c| c.subcategories.len()), Some(4));
    assert_eq!(c.category("05").map(|c| c.subcategories.len()), Some(1));
    assert_eq!(c.category("08").map(|c| c.subcategories.len()), Some(2));
    assert_eq!(c.indicators.len(), 13);
    for code in implied::ALL {
        assert!(c.computes(code), "{code} computed");
    }
    assert_eq!(c.tickable().count(), 10);
    assert!(!c.computes("weapons"));
    assert_eq!(c.rhythm.days_after_resolution, [1, 3, 7, 30]);
    assert_eq!(c.rhythm.high_risk_every_days, Some(7));
    assert_eq!(
        c.limits,
        TimeLimits {
            ordinary_days: 5,
            complex_days: 15,
            feedback_hours: 24,
            high_risk_contact_days: 3,
            recurrence_window_days: 365,
        }
    );
    assert_eq!(
        c.rule("weapons_or_threats").map(|r| r.level),
        Some(RiskLevel::Red)
    );
    // Every indicator is named by at least one rule, so none is decoration.
    for i in &c.indicators {
        assert!(
            c.rules
                .iter()
                .any(|r| r.any_of.contains(&i.code) || r.all_of.contains(&i.code)),
            "{} in no rule",
            i.code
        );
    }
    assert_eq!(
        c.indicator("alcohol").map(|i| i.label(Lang::Zh)),
        Some("酗酒")
    );
}

#[test]
fn missing_user_file_gives_defaults() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("disputes.toml");
    assert_eq!(DisputeConfig::load(&path), DisputeConfig::shipped());
    std::fs::write(&path, "[limits]\nordinary_days = 7\n").expect("write");
    let c = DisputeConfig::load(&path).expect("loads");
    assert_eq!(c.limits.ordinary_days, 7);
}

#[test]
fn user_file_replaces_only_what_it_names() {
    let shipped = DisputeConfig::shipped().expect("shipped");
    let c = user(
        "[limits]\ncomplex_days = 20\n\n[[categories]]\ncode = \"A1\"\nzh = \"山林\"\nen = \"forest\"\n",
    )
    .expect("loads");
    // The named list is replaced whole…
    assert_eq!(c.categories.len(), 1);
    assert!(c.category("01").is_none());
    assert_eq!(c.category("A1").map(|c| c.en.as_str()), Some("forest"));
    // …the named key alone changes…
    assert_eq!(c.limits.complex_days, 20);
    assert_eq!(c.limits.ordinary_days, 5);
    // …and what is not named stays.
    assert_eq!(c.indicators, shipped.indicators);
    assert_eq!(c.rules, shipped.rules);
    assert_eq!(c.rhythm, shipped.rhythm);

    let c = user("[rhythm]\nhigh_risk_every_days = 0\n").expect("loads");
    assert_eq!(c.rhythm.high_risk_every_days, None);
    assert_eq!(c.rhythm.days_after_resolution, [1, 3, 7, 30]);
    let c = user("[rhythm]\ndays_after_resolution = [14, 2]\n").expect("loads");
    assert_eq!(c.rhythm.days_after_resolution, [2, 14]);

    // Rules alone replaced, against the shipped indicators; an implied indicator
    // left out of a replaced list is no longer computed.
    let c = user(concat!(
        "[[indicators]]\ncode = \"weapons\"\nzh = \"凶器\"\nen = \"weapons\"\n",
        "[[indicators]]\ncode = \"watch_list\"\nzh = \"重点人员\"\nen = \"watch list\"\nimplied = true\n",
        "[[rules]]\nid = \"w\"\nzh = \"凶器\"\nen = \"weapons\"\nlevel = \"红\"\nany_of = [\"weapons\"]\n",
    ))
    .expect("loads");
    assert_eq!(c.rules.len(), 1);
    assert_eq!(c.rules[0].level, RiskLevel::Red);
    assert!(c.computes("watch_list"));
    assert!(!c.computes("repeat_party"));
}

/// Each bad input is refused with the user file's name, the line of the problem and
/// words that say what is wrong.
#[test]
fn bad_input_names_file_and_line() {
    const RULE: &str = "[[rules]]\nid = \"r\"\nzh = \"规则\"\nen = \"rule\"\n";
    const IND: &str = "[[indicators]]\ncode = \"a\"\nzh = \"甲\"\nen = \"a\"\n";
    let cases: Vec<(String, usize, &str)> = vec![
        ("[limits\nordinary_days = 5\n".into(), 1, ""),
        ("[limits]\nordinary_dayz = 5\n".into(), 2, "ordinary_dayz"),
        ("[limit]\nordinary_days = 5\n".into(), 1, "limit"),
        ("[limits]\nordinary_days = 0\n".into(), 2, "ordinary_days = 0"),
        ("[limits]\n\nfeedback_hours = 1000\n".into(), 3, "feedback_hours"),
        ("[limits]\nordinary_days = -3\n".into(), 2, ""),
        ("[limits]\nhigh_risk_contact_days = 0\n".into(), 2, "high_risk_contact_days"),
        ("[limits]\nrecurrence_window_days = 99999\n".into(), 2, "recurrence_window_days"),
        ("[limits]\ncomplex_days = 3\n".into(), 2, "shorter"),
        ("[limits]\n\nordinary_days = 20\n".into(), 3, "shorter"),
        ("[limits]\nordinary_days = 9\ncomplex_days = 8\n".into(), 3, "shorter"),
        ("[rhythm]\ndays_after_resolution = []\n".into(), 2, "empty"),
        ("[rhythm]\ndays_after_resolution = [\n  1,\n  0,\n]\n".into(), 4, "day 0"),
        ("[rhythm]\ndays_after_resolution = [1, 3, 3]\n".into(), 2, "twice"),
        ("[rhythm]\nhigh_risk_every_days = 400\n".into(), 2, "high_risk_every_days"),
        (format!("{RULE}level = \"purple\"\nany_of = [\"weapons\"]\n"), 5, "unknown level 'purple'"),
        (format!("{RULE}level = \"red\"\nany_of = [\"weapon\"]\n"), 6, "unknown indicator 'weapon'"),
        (format!("{RULE}level = \"red\"\nall_of = [\"weapons\",\n  \"drunk\"]\n"), 7, "unknown indicator 'drunk'"),
        (format!("{RULE}level = \"red\"\n"), 2, "no condition"),
        (format!("{RULE}level = \"red\"\nmin_count = 0\n"), 6, "min_count"),
        (format!("{RULE}level = \"red\"\nmin_count = 99\n"), 6, "min_count"),
        (format!("{RULE}level = \"red\"\nmin_count = 2\n{RULE}level = \"red\"\nmin_count = 3\n"), 8, "'r' is used twice"),
        (format!("{RULE}level = \"red\"\nany_of = [\"weapons\"]\nthen = \"call\"\n"), 7, "then"),
        ("[[rules]]\nid = \"r\"\nzh = \" \"\nen = \"x\"\nlevel = \"red\"\nmin_count = 1\n".into(), 3, "empty label"),
        ("[[rules]]\nid = \"Bad Id\"\nzh = \"x\"\nen = \"x\"\nlevel = \"red\"\nmin_count = 1\n".into(), 2, "lower-case"),
        (format!("{IND}{IND}"), 6, "'a' is used twice"),
        (format!("{IND}implied = true\n"), 5, "only watch_list"),
        ("[[indicators]]\ncode = \"watch_list\"\nzh = \"重点\"\nen = \"w\"\n".into(), 2, "implied = true"),
        ("[[indicators]]\ncode = \"a\"\nzh = \"甲\"\nen = \"\"\n".into(), 4, "empty label"),
        ("[[categories]]\ncode = \"01\"\nzh = \"a\"\nen = \"a\"\n\n[[categories]]\ncode = \"01\"\nzh = \"b\"\nen = \"b\"\n".into(), 7, "'01' is used twice"),
        ("[[categories]]\ncode = \"01\"\nzh = \"\"\nen = \"a\"\n".into(), 3, "empty label"),
        ("[[categories]]\ncode = \"0 1\"\nzh = \"a\"\nen = \"a\"\n".into(), 2, "letters, digits"),
        ("[[categories]]\ncode = \"01\"\nzh = \"a\"\nen = \"a\"\nsubcategories = [\n  { code = \"x\", zh = \"x\", en = \"x\" },\n  { code = \"x\", zh = \"y\", en = \"y\" },\n]\n".into(), 7, "'x' is used twice"),
        ("[[categories]]\ncode = \"01\"\nzh = \"a\"\nen = \"a\"\nsubcategories = [\n  { code = \"x\", zh = \"x\", en = \"x\", fr = \"x\" },\n]\n".into(), 6, "fr"),
        ("[[categories]]\ncode = \"01\"\nen = \"a\"\n".into(), 1, "zh"),
        ("categories = []\n".into(), 1, "empty"),
    ];
    for (text, line, words) in cases {
        let e = user(&text).expect_err(&text);
        assert_eq!(e.line, Some(line), "line of {text:?}: {e}");
        assert!(
            e.to_string().starts_with("/etc/beatbook/disputes.toml:"),
            "{e}"
        );
        assert!(e.message.contains(words), "{text:?}: {e}");
    }
}

#[test]
fn replaced_indicators_break_shipped_rules_with_a_pointer() {
    // Dropping an indicator the shipped rules use blames the user's list (the thing to
    // fix) and quotes the shipped rule.
    let e = user("# mine\n[[indicators]]\ncode = \"weapons\"\nzh = \"凶器\"\nen = \"weapons\"\n")
        .expect_err("shipped rules name dropped indicators");
    assert_eq!(e.file, Path::new("/etc/beatbook/disputes.toml"));
    assert_eq!(e.line, Some(2));
    assert!(e.message.contains(SHIPPED_PATH), "{e}");
    assert!(e.message.contains("violence_threat"), "{e}");
    assert!(e.message.contains("replace [[rules]]"), "{e}");
}

#[test]
fn unreadable_user_file_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A directory where the file should be cannot be read as text.
    let e = DisputeConfig::load(dir.path()).expect_err("directory");
    assert_eq!(e.line, None);
}
