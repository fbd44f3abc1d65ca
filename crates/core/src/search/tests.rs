use super::*;
use beatbook_model::resident_id::check_char;
use beatbook_model::{Gender, Meta, Phone, ResidentId};
use chrono::{DateTime, Utc};

fn at() -> DateTime<Utc> {
    DateTime::from_timestamp(1_790_000_000, 0).expect("time")
}

fn person(name: &str, station: Id) -> Person {
    Person {
        meta: Meta::new(station, at(), Id::SYSTEM),
        name: name.into(),
        gender: Gender::Unknown,
        birth_date: None,
        id_number: None,
        phone: None,
        address: String::new(),
        village: String::new(),
        notes: String::new(),
        ethnicity: String::new(),
        occupation: String::new(),
        merged_into: None,
        held_id_number: None,
        merged: Vec::new(),
        merge_request: None,
    }
}

/// An index plus the persons in it, so results can be read back as names.
struct Fixture {
    index: PersonIndex,
    people: HashMap<Id, Person>,
    station: Id,
}

impl Fixture {
    fn new() -> Fixture {
        Fixture {
            index: PersonIndex::new(),
            people: HashMap::new(),
            station: Id::new(),
        }
    }

    fn put(&mut self, p: Person) -> Id {
        self.index.upsert(&p);
        let id = p.meta.id;
        self.people.insert(id, p);
        id
    }

    fn add(&mut self, name: &str) -> Id {
        self.put(person(name, self.station))
    }

    fn names(&self, hits: &[Hit]) -> Vec<String> {
        hits.iter()
            .map(|h| {
                self.people
                    .get(&h.id)
                    .map(|p| p.name.clone())
                    .unwrap_or_default()
            })
            .collect()
    }

    fn find(&self, query: &str) -> Vec<String> {
        self.names(&self.index.search(query, None, 50))
    }
}

#[test]
fn zhang_san_found_by_characters_pinyin_initials_and_mixes() {
    let mut f = Fixture::new();
    f.add("张三");
    f.add("李四");
    for q in [
        "张三",
        "zs",
        "zhangsan",
        "zhang",
        "zhangs",
        "zsan",
        "ZhangSan",
        "zhang san",
        "张s",
    ] {
        assert_eq!(f.find(q), ["张三"], "query {q}");
    }
    assert!(f.find("zhangsi").is_empty());
}

#[test]
fn chinese_substring_matches() {
    let mut f = Fixture::new();
    f.add("张三丰");
    assert_eq!(f.find("张三"), ["张三丰"]);
    assert_eq!(f.find("三丰"), ["张三丰"]);
    assert_eq!(f.find("sanfeng"), ["张三丰"]);
}

#[test]
fn polyphonic_surnames_match_under_every_reading() {
    let mut f = Fixture::new();
    for name in ["曾小明", "单雄信", "解缙", "仇英", "区永强", "朴正浩"] {
        f.add(name);
    }
    let cases = [
        ("zeng", "曾小明"),
        ("ceng", "曾小明"),
        ("cengxm", "曾小明"),
        ("zxm", "曾小明"),
        ("cxm", "曾小明"),
        ("shan", "单雄信"),
        ("dan", "单雄信"),
        ("danxiongxin", "单雄信"),
        ("xiejin", "解缙"),
        ("jiejin", "解缙"),
        ("qiuying", "仇英"),
        ("chouying", "仇英"),
        ("ouyongqiang", "区永强"),
        ("quyongqiang", "区永强"),
        ("piaozhenghao", "朴正浩"),
        ("puzhenghao", "朴正浩"),
    ];
    for (q, name) in cases {
        assert_eq!(
            f.find(q).first().map(String::as_str),
            Some(name),
            "query {q}"
        );
    }
}

#[test]
fn namesakes_are_all_returned_in_id_order() {
    let mut f = Fixture::new();
    let a = f.add("张伟");
    let b = f.add("张伟");
    f.add("张伟明");
    let hits = f.index.search("张伟", None, 10);
    assert_eq!(f.names(&hits), ["张伟", "张伟", "张伟明"]);
    let mut expected = [a, b];
    expected.sort();
    assert_eq!([hits[0].id, hits[1].id], expected);
    assert_eq!(f.find("zw").len(), 3);
}

#[test]
fn exact_beats_pinyin_beats_fuzzy() {
    let mut f = Fixture::new();
    f.add("张三丰");
    f.add("Zhang");
    f.add("张三");
    f.add("李张三");
    // Latin name as written, then whole pinyin, then pinyin prefix, then pinyin from a
    // later character.
    assert_eq!(f.find("zhang"), ["Zhang", "张三", "张三丰", "李张三"]);
    assert_eq!(f.find("zs"), ["张三", "张三丰", "李张三"]);
    // `zhgsan` spells 张国三 but is only a subsequence of zhangsan (and lizhangsan …).
    f.add("张国三");
    let found = f.find("zhgsan");
    assert_eq!(found.first().map(String::as_str), Some("张国三"));
    assert!(found.contains(&"张三".to_string()));
    assert!(!found.contains(&"Zhang".to_string()));
}

#[test]
fn fuzzy_fills_only_what_cheap_matches_leave() {
    let mut f = Fixture::new();
    f.add("张三");
    f.add("张冠三");
    // zhgs spells 张冠三 (zh + g + s) and is only a subsequence of zhangsan.
    let hits = f.index.search("zhgs", None, 10);
    assert_eq!(f.names(&hits), ["张冠三", "张三"]);
    assert!(hits[0].score > hits[1].score);
    // With room for one result, the fuzzy one is not even scored.
    assert_eq!(f.names(&f.index.search("zhgs", None, 1)), ["张冠三"]);
}

#[test]
fn station_filter_is_respected() {
    let mut f = Fixture::new();
    let other = Id::new();
    f.add("王芳");
    f.put(person("王芳", other));
    let here = f.station;
    assert_eq!(f.index.search("wf", None, 10).len(), 2);
    let mine = f.index.search("wf", Some(&[here]), 10);
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].station, here);
    assert_eq!(f.index.search("wf", Some(&[other]), 10)[0].station, other);
    assert_eq!(f.index.search("wf", Some(&[here, other]), 10).len(), 2);
    assert!(f.index.search("wf", Some(&[]), 10).is_empty());
}

#[test]
fn upsert_replaces_and_remove_drops() {
    let mut f = Fixture::new();
    let mut p = person("张三", f.station);
    let id = f.put(p.clone());
    assert_eq!(f.index.len(), 1);
    p.name = "李四".into();
    f.put(p);
    assert_eq!(f.index.len(), 1);
    assert!(f.find("zs").is_empty());
    assert_eq!(f.find("ls"), ["李四"]);
    f.index.remove(id);
    assert!(f.index.is_empty());
    assert!(f.find("ls").is_empty());
    f.index.remove(id);
    assert!(f.index.is_empty());
}

#[test]
fn removing_one_namesake_keeps_the_other_and_positions_stay_right() {
    let mut f = Fixture::new();
    let a = f.add("张伟");
    let b = f.add("张伟");
    let c = f.add("刘洋");
    f.index.remove(a);
    let hits = f.index.search("张伟", None, 10);
    assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), [b]);
    // `c` moved into `a`'s place; replacing and removing it must still work.
    let mut p = person("刘洋洋", f.station);
    p.meta.id = c;
    f.put(p);
    assert_eq!(f.find("liuyang"), ["刘洋洋"]);
    f.index.remove(c);
    assert!(f.find("liuyang").is_empty());
    assert_eq!(f.index.len(), 1);
}

fn resident_id(first17: &str) -> ResidentId {
    let c = check_char(first17.as_bytes()).expect("17 digits");
    ResidentId::parse(&format!("{first17}{c}")).expect("valid id")
}

#[test]
fn id_number_and_phone_tails() {
    let mut f = Fixture::new();
    let mut p = person("李秀英", f.station);
    p.id_number = Some(ResidentId::parse("11010519491231002X").expect("valid"));
    p.phone = Some(Phone::parse("13812345678").expect("valid"));
    f.put(p);
    let mut q = person("黄明", f.station);
    q.id_number = Some(resident_id("44052419800101001"));
    q.phone = Some(Phone::parse("0731-7654321").expect("valid"));
    f.put(q);
    for query in [
        "002x",
        "002X",
        "1231002x",
        "11010519491231002X",
        "5678",
        "13812345678",
    ] {
        assert_eq!(f.find(query), ["李秀英"], "query {query}");
    }
    assert_eq!(f.find("4321"), ["黄明"]);
    assert_eq!(f.find("0731-7654321"), ["黄明"]);
    // Three characters are too few to mean a tail.
    assert!(f.find("02x").is_empty());
    assert!(f.find("678").is_empty());
}

#[test]
fn village_by_text_and_pinyin_ranks_below_names() {
    let mut f = Fixture::new();
    let mut p = person("张三", f.station);
    p.village = "东风村".into();
    f.put(p);
    f.add("董峰");
    assert_eq!(f.find("东风"), ["张三"]);
    assert_eq!(f.find("东风村"), ["张三"]);
    assert_eq!(f.find("dongfengcun"), ["张三"]);
    assert_eq!(f.find("dongfeng"), ["董峰", "张三"]);
}

#[test]
fn names_with_separators_and_latin_names() {
    let mut f = Fixture::new();
    f.add("买买提·艾力");
    f.add("John Smith");
    assert_eq!(f.find("买买提艾力"), ["买买提·艾力"]);
    assert_eq!(f.find("maimaiti"), ["买买提·艾力"]);
    assert_eq!(f.find("SMITH"), ["John Smith"]);
    assert_eq!(f.find("john smith"), ["John Smith"]);
}

#[test]
fn empty_query_and_zero_limit_find_nothing() {
    let mut f = Fixture::new();
    f.add("张三");
    assert!(f.index.search("", None, 10).is_empty());
    assert!(f.index.search("  \t", None, 10).is_empty());
    assert!(f.index.search("zs", None, 0).is_empty());
}

#[test]
fn limit_keeps_the_best_and_order_ignores_insertion_order() {
    let names: Vec<String> = (0..40)
        .map(|i| format!("张{}", ["三", "伟", "丽", "强"][i % 4]))
        .collect();
    let people: Vec<Person> = names.iter().map(|n| person(n, Id::SYSTEM)).collect();
    let mut forward = PersonIndex::new();
    people.iter().for_each(|p| forward.upsert(p));
    let mut backward = PersonIndex::new();
    people.iter().rev().for_each(|p| backward.upsert(p));
    let a = forward.search("zhang", None, 7);
    assert_eq!(a.len(), 7);
    assert_eq!(a, backward.search("zhang", None, 7));
    assert!(a
        .windows(2)
        .all(|w| (w[0].score, w[1].id) >= (w[1].score, w[0].id)));
    let s = forward.search("zhangs", None, 100);
    assert_eq!(s.len(), 10);
}

#[test]
fn text_matches_chinese_pinyin_and_latin() {
    assert!(text_matches("张三", "张三丰"));
    assert!(text_matches("zsf", "张三丰"));
    assert!(text_matches("zhangsanf", "张三丰"));
    assert!(text_matches("sanfeng", "张三丰"));
    assert!(text_matches("ceng", "曾小明"));
    assert!(text_matches("zeng", "曾小明"));
    assert!(text_matches("dan", "单雄信"));
    assert!(text_matches("SMITH", "John Smith"));
    assert!(text_matches("dongfeng", "东风村"));
    assert!(!text_matches("zhgsan", "张三"));
    assert!(!text_matches("xyz", "张三"));
    assert!(!text_matches("李", "张三"));
    assert!(text_matches("", "张三"));
}

#[test]
fn debug_output_shows_no_personal_data() {
    let mut f = Fixture::new();
    f.add("张三");
    let shown = format!("{:?}", f.index);
    assert!(!shown.contains("张三"));
    assert!(shown.contains("persons: 1"));
}

/// Builds `stations × per_station` persons with realistic name collisions, villages, ID
/// numbers and phones.
fn synthetic(stations: usize, per_station: usize) -> (PersonIndex, Vec<Id>) {
    const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤单解仇区朴";
    const GIVEN: &str = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强文红梅玉兰海燕小红春梅金凤德胜长青永福少华振东宏伟晓东海波子豪宇航浩然欣怡梓涵";
    const VILLAGES: &str = "东风幸福红星胜利光明前进新华团结和平建设";
    let surnames: Vec<char> = SURNAMES.chars().collect();
    let given: Vec<char> = GIVEN.chars().collect();
    let village_chars: Vec<char> = VILLAGES.chars().collect();
    let mut rng = fastrand::Rng::with_seed(7);
    let mut index = PersonIndex::new();
    let station_ids: Vec<Id> = (0..stations).map(|_| Id::new()).collect();
    for &station in &station_ids {
        for _ in 0..per_station {
            let mut name = String::from(surnames[rng.usize(..surnames.len())]);
            for _ in 0..rng.usize(1..=2) {
                name.push(given[rng.usize(..given.len())]);
            }
            let mut p = person(&name, station);
            let v = rng.usize(..village_chars.len() / 2) * 2;
            p.village = format!("{}{}村", village_chars[v], village_chars[v + 1]);
            let first17 = format!(
                "110105{}{:02}{:02}{:03}",
                rng.u32(1940..2010),
                rng.u32(1..=12),
                rng.u32(1..=28),
                rng.u32(0..1000)
            );
            p.id_number = Some(resident_id(&first17));
            p.phone =
                Some(Phone::parse(&format!("13{:09}", rng.u32(0..1_000_000_000))).expect("phone"));
            index.upsert(&p);
        }
    }
    (index, station_ids)
}

fn time_queries(label: &str, index: &PersonIndex, stations: Option<&[Id]>) {
    const QUERIES: [&str; 12] = [
        "z", "zs", "zw", "zhangwei", "zhangw", "张伟", "张", "ceng", "002x", "5678", "dongfeng",
        "zhgwq",
    ];
    for q in QUERIES {
        let rounds = 20;
        let start = std::time::Instant::now();
        let mut n = 0;
        for _ in 0..rounds {
            n = index.search(q, stations, 50).len();
        }
        let each = start.elapsed() / rounds;
        println!("{label:>28} {q:>10}: {each:>10.2?} ({n} hits)");
    }
}

/// Timing report, not a test of speed: run with
/// `cargo test --release --lib search::tests::timing -- --ignored --nocapture`.
#[test]
#[ignore]
fn timing_report() {
    let start = std::time::Instant::now();
    let (small, _) = synthetic(1, 40_000);
    println!("built 40k in {:?}: {small:?}", start.elapsed());
    time_queries("40k, one station", &small, None);
    let start = std::time::Instant::now();
    let (mut large, stations) = synthetic(5, 40_000);
    println!("built 200k in {:?}: {large:?}", start.elapsed());
    time_queries("200k, all stations", &large, None);
    time_queries("200k, filtered to 40k", &large, Some(&stations[..1]));
    let mut p = person("张三", stations[0]);
    let start = std::time::Instant::now();
    for i in 0..1000 {
        p.name = format!("张三{}", i % 10);
        large.upsert(&p);
    }
    println!("1000 upserts: {:?}", start.elapsed());
}

#[test]
fn a_person_merged_into_another_is_found_no_more() {
    let mut f = Fixture::new();
    let kept = f.add("王同名");
    let gone = f.add("王同名");
    assert_eq!(f.find("王同名").len(), 2);
    let mut merged = f.people[&gone].clone();
    merged.merged_into = Some(kept);
    f.put(merged);
    assert_eq!(f.find("王同名"), vec!["王同名".to_string()]);
    let hits = f.index.search("wtm", None, 50);
    assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![kept]);
}

#[test]
fn a_person_moved_to_another_station_is_found_there_only_and_stations_are_searched_once() {
    let mut f = Fixture::new();
    let other = Id::new();
    let a = f.add("张伟");
    f.add("张伟国");
    let mut moved = person("张伟", other);
    moved.meta.id = a;
    f.put(moved);
    let home = f.index.search("张伟", Some(&[f.station]), 10);
    assert_eq!(f.names(&home), ["张伟国"]);
    let there = f.index.search("张伟", Some(&[other, other]), 10);
    assert_eq!(there.iter().map(|h| h.id).collect::<Vec<_>>(), [a]);
    assert_eq!(f.index.search("张伟", None, 10).len(), 2);
    assert_eq!(f.index.len(), 2);
    f.index.remove(a);
    assert!(f.index.search("张伟", Some(&[other]), 10).is_empty());
    assert_eq!(f.index.len(), 1);
}
