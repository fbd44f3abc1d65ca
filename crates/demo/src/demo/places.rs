//! The fictional county bureau of the demo (青山县公安局): its stations, the villages and
//! communities they cover, and their officers. Shared with `seed`, which creates the same
//! stations and accounts on an empty store so that benchmarks log in the same way.

use beatbook_model::Role;

/// One account of the demo bureau.
pub(crate) struct OfficerPlan {
    pub username: &'static str,
    pub display_name: &'static str,
    pub role: Role,
    /// Relative share of the station's visits this officer is assigned.
    pub share: u32,
}

/// One station of the demo bureau.
pub(crate) struct StationPlan {
    pub name: &'static str,
    pub code: &'static str,
    /// Villages (村) and urban communities (社区); the suffix decides the address style.
    pub villages: &'static [&'static str],
    pub officers: &'static [OfficerPlan],
    /// Persons the demo registers here.
    pub persons: usize,
}

const fn officer(
    username: &'static str,
    display_name: &'static str,
    role: Role,
    share: u32,
) -> OfficerPlan {
    OfficerPlan {
        username,
        display_name,
        role,
        share,
    }
}

/// The stations, first one first: it holds the `chief` and `officer` demo accounts and,
/// as the county-seat station, the bureau-level `admin` and `supervisor` accounts.
pub(crate) const STATIONS: &[StationPlan] = &[
    StationPlan {
        name: "城关派出所",
        code: "CG",
        villages: &[
            "城东社区",
            "城西社区",
            "南门社区",
            "北街社区",
            "河滨社区",
            "新华村",
            "杨家村",
        ],
        officers: &[
            officer("admin", "韩涛（县局科信大队）", Role::Admin, 0),
            officer("supervisor", "周明（法制大队）", Role::Supervisor, 0),
            officer("chief", "李建国", Role::Chief, 1),
            officer("officer", "王志强", Role::Officer, 4),
            officer("cg.zhaolei", "赵磊", Role::Officer, 3),
            officer("cg.sunli", "孙丽", Role::Officer, 3),
        ],
        persons: 70,
    },
    StationPlan {
        name: "青石派出所",
        code: "QS",
        villages: &["青石村", "上湾村", "下湾村", "石桥村", "枫树村", "青石社区"],
        officers: &[
            officer("qs.chenhai", "陈海", Role::Chief, 1),
            officer("qs.liuyang", "刘洋", Role::Officer, 3),
            officer("qs.huangwei", "黄伟", Role::Officer, 3),
        ],
        persons: 48,
    },
    StationPlan {
        name: "白沙派出所",
        code: "BS",
        villages: &["白沙村", "沙洲村", "渡口村", "柳林村", "白沙社区"],
        officers: &[
            officer("bs.zhoujun", "周军", Role::Chief, 1),
            officer("bs.wuting", "吴婷", Role::Officer, 3),
            officer("bs.xuming", "徐明", Role::Officer, 3),
        ],
        persons: 46,
    },
    StationPlan {
        name: "龙潭派出所",
        code: "LT",
        villages: &["龙潭村", "黄泥村", "茶园村", "竹山村", "水口村"],
        officers: &[
            officer("lt.heping", "何平", Role::Chief, 1),
            officer("lt.luobin", "罗斌", Role::Officer, 3),
            officer("lt.tangjie", "唐杰", Role::Officer, 3),
        ],
        persons: 44,
    },
    StationPlan {
        name: "桃源派出所",
        code: "TY",
        villages: &["桃源村", "杏花村", "马鞍村", "高坪村", "长岭村"],
        officers: &[
            officer("ty.denggang", "邓刚", Role::Chief, 1),
            officer("ty.fengli", "冯丽", Role::Officer, 3),
            officer("ty.caoyong", "曹勇", Role::Officer, 3),
        ],
        persons: 44,
    },
    StationPlan {
        name: "开发区派出所",
        code: "KF",
        villages: &["工业园社区", "幸福里社区", "锦绣社区", "滨江社区"],
        officers: &[
            officer("kf.pengfei", "彭飞", Role::Chief, 1),
            officer("kf.xiaojing", "肖静", Role::Officer, 3),
            officer("kf.tianlei", "田磊", Role::Officer, 3),
        ],
        persons: 42,
    },
];

/// The four accounts the README and the first-run screen name.
pub(crate) const WELL_KNOWN_ACCOUNTS: [&str; 4] = ["admin", "chief", "officer", "supervisor"];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn usernames_are_unique_and_valid_and_the_well_known_ones_exist() {
        let mut seen = HashSet::new();
        for s in STATIONS {
            for o in s.officers {
                assert!(seen.insert(o.username), "{} twice", o.username);
                assert!(beatbook_model::Officer::validate_username(o.username).is_ok());
            }
        }
        for name in WELL_KNOWN_ACCOUNTS {
            assert!(STATIONS[0].officers.iter().any(|o| o.username == name));
        }
        assert!(STATIONS.len() >= 5);
    }
}
