//! Made-up but realistic people: names with common and polyphonic surnames (so that
//! pinyin search has something to chew on), deliberate namesakes, valid resident ID
//! numbers under fictional address codes, mobile numbers and addresses.

use beatbook_model::resident_id::check_char;
use beatbook_model::{Gender, Phone, ResidentId};
use chrono::{Datelike, Days, NaiveDate};
use fastrand::Rng;
use std::collections::HashSet;

/// Surnames with a rough frequency weight. Includes the polyphonic ones person search must
/// match under every reading (曾 单 解 仇 区 朴) and two compound surnames.
const SURNAMES: &[(&str, u32)] = &[
    ("王", 70),
    ("李", 70),
    ("张", 65),
    ("刘", 55),
    ("陈", 50),
    ("杨", 32),
    ("黄", 25),
    ("赵", 22),
    ("吴", 20),
    ("周", 20),
    ("徐", 16),
    ("孙", 15),
    ("马", 14),
    ("朱", 13),
    ("胡", 13),
    ("郭", 12),
    ("何", 12),
    ("林", 11),
    ("罗", 10),
    ("高", 10),
    ("郑", 9),
    ("梁", 9),
    ("谢", 8),
    ("宋", 7),
    ("唐", 7),
    ("许", 7),
    ("韩", 6),
    ("邓", 6),
    ("冯", 6),
    ("曹", 6),
    ("彭", 6),
    ("曾", 8),
    ("肖", 5),
    ("田", 5),
    ("董", 5),
    ("潘", 4),
    ("袁", 4),
    ("蔡", 4),
    ("蒋", 4),
    ("余", 4),
    ("杜", 4),
    ("叶", 4),
    ("程", 3),
    ("魏", 3),
    ("苏", 3),
    ("吕", 3),
    ("丁", 3),
    ("姚", 3),
    ("廖", 3),
    ("石", 3),
    ("龙", 3),
    ("谭", 3),
    ("单", 4),
    ("解", 4),
    ("仇", 3),
    ("区", 3),
    ("朴", 3),
    ("欧阳", 2),
    ("司马", 1),
];

const MALE_CHARS: &[&str] = &[
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞",
    "鑫", "波", "宁", "建", "国", "志", "文", "海", "东", "峰", "林", "德", "永", "俊", "宇", "浩",
    "轩", "博", "晨", "昊", "天", "成", "春", "生", "福", "贵", "荣", "长", "顺",
];

const FEMALE_CHARS: &[&str] = &[
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "英", "玲", "桂", "兰", "萍", "红", "梅",
    "琳", "雪", "婷", "慧", "颖", "倩", "洁", "燕", "莉", "欣", "怡", "佳", "萱", "雨", "晓", "月",
    "凤", "琴", "春", "华",
];

/// The most common full names of China: drawn now and then, so that namesakes appear and
/// lists have to tell them apart by birth year, village and masked ID.
const NAMESAKES_MALE: &[&str] = &["张伟", "王伟", "李伟", "刘洋", "王磊", "李强", "曾伟"];
const NAMESAKES_FEMALE: &[&str] = &["王芳", "李娜", "张敏", "王静", "李秀英", "刘芳"];

/// Fictional address codes ("99" is no real prefecture): most people belong to the demo
/// county, some were born elsewhere.
const HOME_AREA: &str = "439921";
const OTHER_AREAS: &[&str] = &["439901", "439902", "439923", "529901", "369912", "519903"];

const MOBILE_PREFIXES: &[&str] = &[
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
    "156", "157", "158", "159", "166", "177", "180", "181", "182", "183", "185", "186", "187",
    "188", "189", "191", "199",
];

const ROADS: &[&str] = &[
    "解放路",
    "人民路",
    "建设路",
    "新华路",
    "中山路",
    "滨江路",
    "青山大道",
    "文化路",
    "朝阳路",
    "府前街",
];

/// Picks from a weighted table.
pub(crate) fn weighted<'a, T>(rng: &mut Rng, table: &'a [(T, u32)]) -> &'a T {
    let total: u32 = table.iter().map(|(_, w)| w).sum();
    let mut pick = rng.u32(0..total.max(1));
    for (item, w) in table {
        if pick < *w {
            return item;
        }
        pick -= w;
    }
    &table[0].0
}

/// One of a slice, uniformly.
pub(crate) fn one<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(0..items.len())]
}

/// A full name for a person of `gender`.
pub(crate) fn name(rng: &mut Rng, gender: Gender) -> String {
    if rng.u32(0..100) < 6 {
        let pool = match gender {
            Gender::Female => NAMESAKES_FEMALE,
            _ => NAMESAKES_MALE,
        };
        return one(rng, pool).to_string();
    }
    let chars = match gender {
        Gender::Female => FEMALE_CHARS,
        _ => MALE_CHARS,
    };
    let mut name = weighted(rng, SURNAMES).to_string();
    name.push_str(one::<&str>(rng, chars));
    if rng.u32(0..100) < 62 {
        name.push_str(one::<&str>(rng, chars));
    }
    name
}

/// How station records name a party: the surname and 某 (张某, 欧阳某), which keeps
/// titles short and readable without spelling out full names in lists.
pub(crate) fn mou(name: &str) -> String {
    let compound = SURNAMES
        .iter()
        .map(|(s, _)| *s)
        .find(|s| s.chars().count() > 1 && name.starts_with(s));
    let surname: String = match compound {
        Some(s) => s.to_string(),
        None => name.chars().take(1).collect(),
    };
    format!("{surname}某")
}

/// A birth date for someone aged `min_age..=max_age` on `today`.
pub(crate) fn birth_date(rng: &mut Rng, today: NaiveDate, min_age: u32, max_age: u32) -> NaiveDate {
    let age = rng.u32(min_age..=max_age.max(min_age));
    let year = today.year() - age as i32;
    let base = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
    let date = base
        .checked_add_days(Days::new(rng.u64(0..365)))
        .unwrap_or(base);
    // Still `age` years old today: not born after today's day of the year.
    if date.ordinal() > today.ordinal() && age == min_age {
        base
    } else {
        date
    }
}

/// Valid 18-character resident ID numbers, never the same twice in one run.
#[derive(Default)]
pub(crate) struct IdNumbers {
    used: HashSet<String>,
}

impl IdNumbers {
    /// A new number for a person born on `birth` of `gender`; `taken` reports numbers the
    /// store already holds. The sequence number's parity encodes the gender (odd male).
    pub fn make(
        &mut self,
        rng: &mut Rng,
        birth: NaiveDate,
        gender: Gender,
        taken: &mut dyn FnMut(&str) -> bool,
    ) -> Option<ResidentId> {
        let male = gender == Gender::Male;
        for _ in 0..64 {
            let area = if rng.u32(0..100) < 85 {
                HOME_AREA
            } else {
                one(rng, OTHER_AREAS)
            };
            let mut seq = rng.u32(0..500) * 2 + u32::from(male);
            if seq == 0 {
                seq = 2;
            }
            let first17 = format!("{area}{}{seq:03}", birth.format("%Y%m%d"));
            let check = check_char(first17.as_bytes())?;
            let number = format!("{first17}{check}");
            if self.used.contains(&number) || taken(&number) {
                continue;
            }
            let id = ResidentId::parse(&number).ok()?;
            self.used.insert(number);
            return Some(id);
        }
        None
    }
}

/// A mobile number.
pub(crate) fn phone(rng: &mut Rng) -> Option<Phone> {
    let number = format!(
        "{}{:08}",
        one(rng, MOBILE_PREFIXES),
        rng.u32(0..100_000_000)
    );
    Phone::parse(&number).ok()
}

/// A street address in `village`: group and house number in a village, road, building
/// and flat in an urban community.
pub(crate) fn address(rng: &mut Rng, village: &str) -> String {
    if village.ends_with("社区") {
        format!(
            "青山县{}{}号{}栋{}单元{}0{}室",
            one(rng, ROADS),
            rng.u32(1..300),
            rng.u32(1..12),
            rng.u32(1..4),
            rng.u32(1..7),
            rng.u32(1..5)
        )
    } else {
        format!("{}{}组{}号", village, rng.u32(1..10), rng.u32(1..60))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_numbers_are_valid_unique_and_agree_with_gender_and_birth() {
        let mut rng = Rng::with_seed(7);
        let mut ids = IdNumbers::default();
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).expect("date");
        for i in 0..2000 {
            let gender = if i % 2 == 0 {
                Gender::Male
            } else {
                Gender::Female
            };
            let birth = birth_date(&mut rng, today, 14, 90);
            let id = ids
                .make(&mut rng, birth, gender, &mut |_| false)
                .expect("a number");
            assert_eq!(id.gender(), gender);
            assert_eq!(id.birth_date(), Some(birth));
            assert!(birth <= today);
        }
    }

    #[test]
    fn names_phones_addresses() {
        let mut rng = Rng::with_seed(1);
        for _ in 0..500 {
            let n = name(&mut rng, Gender::Female);
            assert!((2..=4).contains(&n.chars().count()), "{n}");
            assert!(phone(&mut rng).is_some());
        }
        assert!(address(&mut rng, "青石村").starts_with("青石村"));
        assert_eq!(mou("张伟"), "张某");
        assert_eq!(mou("欧阳秀英"), "欧阳某");
        assert_eq!(mou(""), "某");
        assert!(address(&mut rng, "城东社区").starts_with("青山县"));
    }
}
