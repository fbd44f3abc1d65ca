//! What can go wrong between a terminal and the hub, told to a person in their language
//! with what to do next. The terminal keeps working offline after every one of them.

use beatbook_i18n::{io::IoReason, Lang, Localize};
use beatbook_store::StoreError;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum HubError {
    /// The address is not one beatbook can use.
    #[error("hub address not understood")]
    BadAddress(String),
    /// No answer from the server (down, network away, wrong host or port).
    #[error("hub unreachable")]
    Unreachable(String),
    /// The server refused the terminal's name or secret (or the enrolment was removed).
    #[error("hub refused the credential")]
    Refused,
    /// The server's TLS certificate does not match the bureau's or the host name.
    #[error("hub certificate mismatch")]
    Certificate(String),
    /// A hub over the network without the bureau's CA certificate to check it with.
    #[error("no CA certificate for a hub over the network")]
    NoCertificate,
    /// The hub was set up by a newer beatbook.
    #[error("hub schema newer than this beatbook")]
    NewerSchema { found: u32, supported: u32 },
    /// The database holds no hub (or not yet).
    #[error("no hub in this database")]
    NotAHub,
    /// An upload into a hub that holds records already.
    #[error("hub not empty")]
    NotEmpty(u64),
    /// `hub init` on a database that holds one already.
    #[error("hub already set up")]
    AlreadyAHub,
    /// The hub has no station with this code.
    #[error("unknown station")]
    UnknownStation(String),
    /// The hub says this terminal skipped changes it never sent: its store was replaced by
    /// an older copy, or another folder uses its enrolment.
    #[error("change log gap")]
    Gap { hub_has: u64, terminal_sends: u64 },
    /// The data folder is not joined to a hub.
    #[error("not joined")]
    NotJoined,
    /// The data folder's hub files cannot be read or written.
    #[error("hub file")]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A hub file is there but not in beatbook's form.
    #[error("hub file unreadable")]
    BadFile { path: PathBuf, problem: String },
    /// The server answered something else than beatbook expects (a message from it).
    #[error("hub error")]
    Server(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl HubError {
    /// Whether the terminal is simply offline (the status bar says "offline since …"
    /// rather than showing an error).
    pub fn is_offline(&self) -> bool {
        matches!(self, HubError::Unreachable(_))
    }

    /// Classifies a driver error: unreachable, refused, or the server's own message
    /// (never the driver's debug text).
    pub(crate) fn from_pg(e: postgres::Error) -> HubError {
        if let Some(db) = e.as_db_error() {
            let code = db.code().code();
            // 28P01 invalid_password, 28000 invalid_authorization_specification
            if code.starts_with("28") {
                return HubError::Refused;
            }
            // 42P01 undefined_table: connected, but no hub here.
            if code == "42P01" {
                return HubError::NotAHub;
            }
            // 57P01..03 admin shutdown, crash shutdown, cannot connect now
            if code.starts_with("57P") {
                return HubError::Unreachable(db.message().to_string());
            }
            return HubError::Server(db.message().to_string());
        }
        if e.is_closed() {
            return HubError::Unreachable(plain(&e));
        }
        let text = plain(&e);
        let lower = text.to_lowercase();
        if lower.contains("certificate") || lower.contains("tls") {
            return HubError::Certificate(text);
        }
        HubError::Unreachable(text)
    }
}

/// The driver's message and its cause's, without error numbers.
fn plain(e: &postgres::Error) -> String {
    use std::error::Error;
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            // An error carried inside an io::Error (rustls's "invalid peer certificate:
            // UnknownIssuer") says more than its kind; an OS error is said in words.
            let said = match io.get_ref() {
                Some(inner) => inner.to_string(),
                None => IoReason(io).localize(Lang::En),
            };
            text = format!("{text}: {said}");
            break;
        } else {
            text = format!("{text}: {s}");
        }
        source = s.source();
    }
    text
}

impl Localize for HubError {
    fn localize(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            HubError::BadAddress(why) => {
                if zh {
                    format!("无法识别分局服务器地址（{why}）。地址形如 postgresql://主机:5432/数据库 或 host=/套接字目录 dbname=数据库。")
                } else {
                    format!("the hub address is not understood ({why}). Use postgresql://host:5432/database or host=/socket/folder dbname=database.")
                }
            }
            HubError::Unreachable(why) => {
                if zh {
                    format!("连不上分局服务器（{why}）。本机照常离线工作，改动保存在本机，连上后自动同步。")
                } else {
                    format!("the hub cannot be reached ({why}). This terminal keeps working offline; its changes are kept here and sent when the hub is back.")
                }
            }
            HubError::Refused => lang
                .pick(
                    "分局服务器拒绝了本终端的凭据：终端可能已被注销，或凭据有误。请管理员用 beatbook hub add-terminal 重新登记，再用 hub join 加入。本机照常离线工作。",
                    "the hub refused this terminal's credential: the terminal may have been removed, or the credential is wrong. Ask the administrator to enrol it again (beatbook hub add-terminal), then run hub join. This terminal keeps working offline.",
                )
                .to_string(),
            HubError::Certificate(why) => {
                if zh {
                    format!("分局服务器的证书不对（{why}），未发送任何数据。可能连到了假冒的服务器，请报告管理员。")
                } else {
                    format!("the hub's certificate does not match ({why}); nothing was sent. This may not be the bureau's server: tell the administrator.")
                }
            }
            HubError::NoCertificate => lang
                .pick(
                    "通过网络连接分局服务器时必须核对其证书：请用 --ca 指定分局的 CA 证书文件（PEM），未发送任何数据。",
                    "a hub over the network must prove who it is: give the bureau's CA certificate (PEM) with --ca. Nothing was sent.",
                )
                .to_string(),
            HubError::NewerSchema { found, supported } => {
                if zh {
                    format!("分局服务器由较新的 beatbook 设置（版本 {found}，本机最高支持 {supported}），暂不同步。请升级本机的 beatbook。本机照常离线工作。")
                } else {
                    format!("the hub was set up by a newer beatbook (schema {found}; this one knows up to {supported}); not syncing. Update beatbook on this terminal. It keeps working offline.")
                }
            }
            HubError::NotAHub => lang
                .pick(
                    "该数据库中没有 beatbook 分局服务器。请先运行 beatbook hub init。",
                    "this database holds no beatbook hub. Run beatbook hub init first.",
                )
                .to_string(),
            HubError::AlreadyAHub => lang
                .pick(
                    "该数据库中已有 beatbook 分局服务器，未做任何更改（已是最新版本）。",
                    "this database already holds a beatbook hub; nothing was changed (it is up to date).",
                )
                .to_string(),
            HubError::NotEmpty(n) => {
                if zh {
                    format!("分局服务器上已有 {n} 条记录，只有空的服务器才能整体上传，未做任何更改。")
                } else {
                    format!("the hub holds {n} records already; only an empty hub takes a whole data folder. Nothing was changed.")
                }
            }
            HubError::UnknownStation(code) => {
                if zh {
                    format!("分局服务器上没有代码为 {code} 的派出所。请先让分局终端上传派出所资料（hub join --bureau）。")
                } else {
                    format!("the hub has no station with code {code}. Let the bureau terminal upload the stations first (hub join --bureau).")
                }
            }
            HubError::Gap { hub_has, terminal_sends } => {
                if zh {
                    format!("分局服务器上本终端的改动记录（到第 {hub_has} 条）与本数据文件夹（第 {terminal_sends} 条）对不上：本机数据可能被旧备份替换，或别的文件夹在用本终端的登记。未发送任何数据，请报告管理员。")
                } else {
                    format!("the hub's record of this terminal's changes (up to {hub_has}) does not match this data folder (at change {terminal_sends}): its data may have been replaced by an older backup, or another folder uses this terminal's enrolment. Nothing was sent; tell the administrator.")
                }
            }
            HubError::NotJoined => lang
                .pick(
                    "本数据文件夹尚未加入分局服务器。请用 beatbook hub join 加入。",
                    "this data folder has not joined a hub. Join one with beatbook hub join.",
                )
                .to_string(),
            HubError::File { path, source } => {
                let reason = IoReason(source).localize(lang);
                if zh {
                    format!("无法读写 {}（{reason}）。请检查数据文件夹的权限和磁盘空间。", path.display())
                } else {
                    format!("cannot read or write {} ({reason}). Check the data folder's permissions and free space.", path.display())
                }
            }
            HubError::BadFile { path, problem } => {
                if zh {
                    format!("{} 的内容无法识别（{problem}）。请用 beatbook hub join 重新加入。", path.display())
                } else {
                    format!("{} cannot be read ({problem}). Join again with beatbook hub join.", path.display())
                }
            }
            HubError::Server(message) => {
                if zh {
                    format!("分局服务器报错：{message}。本机照常离线工作，请报告管理员。")
                } else {
                    format!("the hub reported an error: {message}. This terminal keeps working offline; tell the administrator.")
                }
            }
            HubError::Store(e) => e.localize(lang),
        }
    }
}
