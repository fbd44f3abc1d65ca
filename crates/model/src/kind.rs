//! The kinds of record beatbook keeps: what the audit log, the change log and exports name.

use beatbook_i18n::Lang;
use serde::{Deserialize, Serialize};

/// The kinds of record, one sled tree each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Station,
    Officer,
    Person,
    Visit,
    Dispute,
    Flag,
    Alert,
    Finding,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Station,
        Kind::Officer,
        Kind::Person,
        Kind::Visit,
        Kind::Dispute,
        Kind::Flag,
        Kind::Alert,
        Kind::Finding,
    ];

    /// The `kind` field of export lines.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Station => "station",
            Kind::Officer => "officer",
            Kind::Person => "person",
            Kind::Visit => "visit",
            Kind::Dispute => "dispute",
            Kind::Flag => "flag",
            Kind::Alert => "alert",
            Kind::Finding => "finding",
        }
    }

    /// The kind's name in `lang`, as the audit viewer shows it.
    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Kind::Station => ("派出所", "station"),
            Kind::Officer => ("账号", "account"),
            Kind::Person => ("人员", "person"),
            Kind::Visit => ("走访", "visit"),
            Kind::Dispute => ("纠纷", "dispute"),
            Kind::Flag => ("列管", "flag"),
            Kind::Alert => ("预警", "alert"),
            Kind::Finding => ("督办", "finding"),
        };
        lang.pick(zh, en)
    }
}
