use super::*;

fn user(text: &str) -> Result<WatchConfig, ConfigError> {
    WatchConfig::with_user_text(Path::new("/etc/beatbook/watch.toml"), text)
}

fn shipped() -> WatchConfig {
    WatchConfig::shipped().expect("shipped defaults are valid")
}

#[test]
fn shipped_parses_with_the_domain_defaults() {
    let c = shipped();
    let codes: Vec<&str> = c.categories.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "stability",
            "six_loss",
            "mental",
            "drugs",
            "released",
            "correction",
            "youth",
            "petition",
            "other"
        ]
    );
    let six = c.category("six_loss").expect("six_loss");
    assert_eq!(six.zh, "六失人员");
    let kinds: Vec<&str> = six.subcategories.iter().map(|s| s.zh.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "失业失意",
            "失婚失恋",
            "失学失管",
            "失亲失独",
            "失财失利",
            "失德失信"
        ]
    );
    let youth = c.category("youth").expect("youth");
    let kinds: Vec<&str> = youth.subcategories.iter().map(|s| s.zh.as_str()).collect();
    assert_eq!(kinds, ["闲散", "不良行为", "留守儿童", "服刑人员子女"]);
    assert_eq!(
        youth.subcategory("left_behind").map(|s| s.label(Lang::En)),
        Some("left-behind children")
    );
    assert_eq!(
        c.category("mental").map(|c| c.label(Lang::Zh)),
        Some("严重精神障碍（易肇事肇祸）")
    );
    for category in &c.categories {
        assert!(category.en.is_ascii(), "{}", category.en);
        for sub in &category.subcategories {
            assert!(sub.en.is_ascii(), "{}", sub.en);
        }
    }
    assert_eq!(
        c.rhythm,
        WatchRhythm {
            red_days: 7,
            orange_days: 14,
            yellow_days: 30,
            blue_days: 90
        }
    );
    assert_eq!(
        c.review_days,
        WatchRhythm {
            red_days: 30,
            orange_days: 60,
            yellow_days: 90,
            blue_days: 180
        }
    );
    assert_eq!(c.missed_in_a_row_alert, 2);
    assert_eq!(c.repeat_dispute_window_days, 365);
}

#[test]
fn rhythms_per_level() {
    let c = shipped();
    let cases = [
        (RiskLevel::Red, 7, 30),
        (RiskLevel::Orange, 14, 60),
        (RiskLevel::Yellow, 30, 90),
        (RiskLevel::Blue, 90, 180),
    ];
    for (level, visit, review) in cases {
        assert_eq!(c.visit_every_days(level), visit, "{level:?}");
        assert_eq!(c.review_every_days(level), review, "{level:?}");
    }
}

#[test]
fn category_by_label_finds_codes_labels_and_aliases() {
    let c = shipped();
    let cases = [
        // Codes and labels, as written and loosely.
        ("stability", Some("stability")),
        ("Six_Loss", Some("six_loss")),
        ("涉稳", Some("stability")),
        ("  涉 稳 ", Some("stability")),
        ("stability-related", Some("stability")),
        ("Stability Related", Some("stability")),
        ("ＳＴＡＢＩＬＩＴＹ", Some("stability")),
        ("六失人员", Some("six_loss")),
        ("严重精神障碍（易肇事肇祸）", Some("mental")),
        ("严重精神障碍(易肇事肇祸)", Some("mental")),
        ("community correction", Some("correction")),
        ("其他", Some("other")),
        // A trailing 人员/对象 is ignored.
        ("刑满释放人员", Some("released")),
        ("社区矫正对象", Some("correction")),
        ("社区矫正人员", Some("correction")),
        ("涉稳人员", Some("stability")),
        ("涉毒人员", Some("drugs")),
        ("重点上访人员", Some("petition")),
        ("六失", Some("six_loss")),
        // Aliases.
        ("刑释解教人员", Some("released")),
        ("社矫", Some("correction")),
        ("社区服刑人员", Some("correction")),
        ("吸毒人员", Some("drugs")),
        ("肇事肇祸精神病人", Some("mental")),
        ("严重精神障碍患者", Some("mental")),
        ("重点信访人员", Some("petition")),
        ("其它", Some("other")),
        // A kind names its category.
        ("留守儿童", Some("youth")),
        ("失业失意", Some("six_loss")),
        ("children of inmates", Some("youth")),
        // Nothing.
        ("", None),
        ("   ", None),
        ("人员", None),
        ("涉", None),
        ("stabilit", None),
        ("重点人员", None),
    ];
    for (text, want) in cases {
        assert_eq!(
            c.category_by_label(text).map(|c| c.code.as_str()),
            want,
            "{text:?}"
        );
    }
}

#[test]
fn classify_keeps_the_kind() {
    let c = shipped();
    let got = c
        .classify("服刑人员子女")
        .map(|(c, s)| (c.code.as_str(), s.map(|s| s.code.as_str())));
    assert_eq!(got, Some(("youth", Some("inmates_children"))));
    let got = c
        .classify("重点青少年")
        .map(|(c, s)| (c.code.as_str(), s.map(|s| s.code.as_str())));
    assert_eq!(got, Some(("youth", None)));
    let six = c.category("six_loss").expect("six_loss");
    assert_eq!(
        six.subcategory_by_label(" 失婚失恋 ")
            .map(|s| s.code.as_str()),
        Some("love")
    );
    assert_eq!(
        six.subcategory_by_label("MONEY").map(|s| s.code.as_str()),
        Some("money")
    );
    assert!(six.subcategory_by_label("留守儿童").is_none());
    assert!(six.subcategory_by_label("").is_none());
    // A kind two categories share names neither: the import must ask.
    let c = user(concat!(
        "[[categories]]\ncode = \"a\"\nzh = \"甲\"\nen = \"a\"\nsubcategories = [{ code = \"x\", zh = \"其他\", en = \"other\" }]\n",
        "[[categories]]\ncode = \"b\"\nzh = \"乙\"\nen = \"b\"\nsubcategories = [{ code = \"x\", zh = \"其他\", en = \"other\" }]\n",
    ))
    .expect("loads");
    assert!(c.category_by_label("其他").is_none());
    assert_eq!(
        c.category_by_label("乙").map(|c| c.code.as_str()),
        Some("b")
    );
}

#[test]
fn label_keys() {
    let cases = [
        ("涉稳", "涉稳"),
        ("刑满释放人员", "刑满释放"),
        ("社区矫正对象", "社区矫正"),
        ("人员", "人员"),
        ("Six-Loss", "sixloss"),
        ("six_loss", "sixloss"),
        ("ＡＢＣ　１２３", "abc123"),
        ("（易肇事肇祸）", "(易肇事肇祸)"),
        ("", ""),
    ];
    for (text, want) in cases {
        assert_eq!(label_key(text), want, "{text:?}");
    }
}

#[test]
fn missing_user_file_gives_defaults() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("watch.toml");
    assert_eq!(WatchConfig::load(&path), WatchConfig::shipped());
    std::fs::write(&path, "[rhythm]\nred_days = 5\n").expect("write");
    let c = WatchConfig::load(&path).expect("loads");
    assert_eq!(c.rhythm.red_days, 5);
    assert_eq!(c.rhythm.orange_days, 14);
}

#[test]
fn user_file_replaces_only_what_it_names() {
    let shipped = shipped();
    let c = user(
        "[review]\nblue_days = 365\n\n[[categories]]\ncode = \"gangs\"\nzh = \"涉黑涉恶\"\nen = \"organised crime\"\naliases = [\"涉恶\"]\n",
    )
    .expect("loads");
    // The named list is replaced whole…
    assert_eq!(c.categories.len(), 1);
    assert!(c.category("stability").is_none());
    assert!(c.category_by_label("涉稳").is_none());
    assert_eq!(
        c.category_by_label("涉恶").map(|c| c.code.as_str()),
        Some("gangs")
    );
    assert_eq!(c.category("gangs").map(|c| c.subcategories.len()), Some(0));
    // …the named key alone changes…
    assert_eq!(c.review_days.blue_days, 365);
    assert_eq!(c.review_days.red_days, 30);
    // …and what is not named stays.
    assert_eq!(c.rhythm, shipped.rhythm);
    assert_eq!(c.missed_in_a_row_alert, 2);
    assert_eq!(c.repeat_dispute_window_days, 365);

    let c = user("[alerts]\nmissed_in_a_row = 3\n").expect("loads");
    assert_eq!(c.missed_in_a_row_alert, 3);
    assert_eq!(c.repeat_dispute_window_days, 365);
    assert_eq!(c.categories, shipped.categories);
    assert_eq!(c.review_days, shipped.review_days);

    // Levels may share a rhythm, and every key can move together.
    let c = user("[rhythm]\nred_days = 7\norange_days = 7\nyellow_days = 7\nblue_days = 7\n")
        .expect("loads");
    assert_eq!(c.visit_every_days(RiskLevel::Blue), 7);
    let c = user("[rhythm]\nblue_days = 30\n").expect("loads");
    assert_eq!(c.visit_every_days(RiskLevel::Blue), 30);

    // An empty user file changes nothing.
    assert_eq!(user("# nothing yet\n").ok(), Some(shipped));
}

/// Each bad input is refused with the user file's name, the line of the problem and
/// words that say what is wrong.
#[test]
fn bad_input_names_file_and_line() {
    const CAT: &str = "[[categories]]\ncode = \"a\"\nzh = \"甲\"\nen = \"a\"\n";
    let cases: Vec<(String, usize, &str)> = vec![
        ("[rhythm\nred_days = 7\n".into(), 1, ""),
        ("[rhythm]\nred_dayz = 7\n".into(), 2, "red_dayz"),
        ("[rhythms]\nred_days = 7\n".into(), 1, "rhythms"),
        ("[alerts]\n\nmissed = 2\n".into(), 3, "missed"),
        ("colour = \"red\"\n".into(), 1, "colour"),
        ("[rhythm]\nred_days = 0\n".into(), 2, "red_days = 0"),
        ("[rhythm]\n\nblue_days = 400\n".into(), 3, "blue_days = 400"),
        ("[rhythm]\nred_days = -7\n".into(), 2, ""),
        ("[rhythm]\nred_days = \"weekly\"\n".into(), 2, ""),
        ("[review]\norange_days = 0\n".into(), 2, "orange_days = 0"),
        ("[review]\nblue_days = 1000\n".into(), 2, "blue_days = 1000"),
        ("[alerts]\nmissed_in_a_row = 0\n".into(), 2, "missed_in_a_row = 0"),
        ("[alerts]\nmissed_in_a_row = 11\n".into(), 2, "missed_in_a_row"),
        ("[alerts]\nrepeat_dispute_window_days = 0\n".into(), 2, "repeat_dispute_window_days"),
        // Order of levels: blame what the user wrote.
        ("[rhythm]\nred_days = 20\n".into(), 2, "red_days (20) is longer than orange_days (14)"),
        ("[rhythm]\nyellow_days = 100\n".into(), 2, "yellow_days (100) is longer than blue_days (90)"),
        ("[rhythm]\n\nyellow_days = 10\n".into(), 3, "orange_days (14) is longer than yellow_days (10)"),
        ("[review]\nred_days = 40\norange_days = 35\n".into(), 2, "[review] red_days (40)"),
        // Categories.
        (format!("{CAT}{CAT}"), 6, "'a' is used twice"),
        ("[[categories]]\ncode = \"A\"\nzh = \"甲\"\nen = \"a\"\n".into(), 2, "lower-case"),
        ("[[categories]]\ncode = \"a-b\"\nzh = \"甲\"\nen = \"a\"\n".into(), 2, "lower-case"),
        ("[[categories]]\ncode = \" \"\nzh = \"甲\"\nen = \"a\"\n".into(), 2, "empty code"),
        (format!("[[categories]]\ncode = \"{}\"\nzh = \"甲\"\nen = \"a\"\n", "a".repeat(33)), 2, "longer than 32"),
        ("[[categories]]\ncode = \"a\"\nzh = \"\"\nen = \"a\"\n".into(), 3, "empty label"),
        ("[[categories]]\ncode = \"a\"\nzh = \"甲\"\nen = \" \"\n".into(), 4, "empty label"),
        ("[[categories]]\ncode = \"a\"\nen = \"a\"\n".into(), 1, "zh"),
        ("[[categories]]\ncode = \"a\"\nzh = \"甲\"\nen = \"a\"\nlevel = \"red\"\n".into(), 5, "level"),
        (format!("{CAT}aliases = [\"乙\", \"\"]\n"), 5, "empty alias"),
        (format!("{CAT}[[categories]]\ncode = \"b\"\nzh = \"甲人员\"\nen = \"b\"\n"), 7, "'甲人员' also names category 'a'"),
        (format!("{CAT}[[categories]]\ncode = \"b\"\nzh = \"乙\"\nen = \"b\"\naliases = [\n  \"丙\",\n  \"A\",\n]\n"), 11, "'A' also names category 'a'"),
        (format!("{CAT}[[categories]]\ncode = \"b\"\nzh = \"乙\"\nen = \"A\"\n"), 8, "also names category 'a'"),
        (format!("{CAT}subcategories = [\n  {{ code = \"x\", zh = \"子\", en = \"x\" }},\n  {{ code = \"x\", zh = \"丑\", en = \"y\" }},\n]\n"), 7, "'x' is used twice in category 'a'"),
        (format!("{CAT}subcategories = [\n  {{ code = \"x\", zh = \"子\", en = \"x\" }},\n  {{ code = \"y\", zh = \"子\", en = \"y\" }},\n]\n"), 7, "also names subcategory 'x'"),
        (format!("{CAT}subcategories = [\n  {{ code = \"x\", zh = \"子\", en = \"x\", fr = \"x\" }},\n]\n"), 6, "fr"),
        (format!("{CAT}subcategories = [\n  {{ code = \"X\", zh = \"子\", en = \"x\" }},\n]\n"), 6, "lower-case"),
        (format!("{CAT}subcategories = [\n  {{ code = \"x\", zh = \"\", en = \"x\" }},\n]\n"), 6, "empty label"),
        ("categories = []\n".into(), 1, "empty"),
    ];
    for (text, line, words) in cases {
        let e = user(&text).expect_err(&text);
        assert_eq!(e.line, Some(line), "line of {text:?}: {e}");
        assert!(
            e.to_string().starts_with("/etc/beatbook/watch.toml:"),
            "{e}"
        );
        assert!(e.message.contains(words), "{text:?}: {e}");
    }
}

#[test]
fn unreadable_user_file_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A directory where the file should be cannot be read as text.
    let e = WatchConfig::load(dir.path()).expect_err("directory");
    assert_eq!(e.line, None);
}
