//! Store errors, told in the user's language with what to do next.

use super::{Index, Kind};
use beatbook_i18n::{io::IoReason, Lang, Localize};
use beatbook_model::Id;
use std::path::{Path, PathBuf};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    /// Another process (another beatbook) holds the folder's lock.
    #[error("the data folder {0} is in use by another beatbook")]
    InUse(PathBuf),
    /// The folder cannot be created or written.
    #[error("the data folder {path} cannot be written: {}", IoReason(source).localize(Lang::En))]
    Unwritable {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The store was written by a newer beatbook.
    #[error("the store has schema version {found}; this beatbook understands up to {supported}")]
    NewerSchema { found: u32, supported: u32 },
    /// A record changed since it was read (optimistic concurrency).
    #[error("{kind:?} {id} was changed by someone else since it was read")]
    Conflict { kind: Kind, id: Id },
    #[error("{kind:?} {id} does not exist")]
    NotFound { kind: Kind, id: Id },
    /// A unique index refused a second record with the same value.
    #[error("{index:?} '{value}' already belongs to another record")]
    Duplicate {
        index: Index,
        value: String,
        existing: Option<Id>,
    },
    #[error("index {index:?} points at a missing record")]
    CorruptIndex { index: Index },
    #[error("stored data cannot be read: {0}")]
    Corrupt(String),
    #[error("storage error: {0}")]
    Sled(#[from] sled::Error),
    /// A write does not fit on the disk (found before it began, or when the disk filled
    /// up during it). Nothing of the write was kept.
    #[error("disk full: {needed} bytes needed, {free} free on {} (holding {})", mount.display(), folder.display())]
    DiskFull {
        /// Where the write was going.
        folder: PathBuf,
        /// The mount point of the disk holding it (what to clean up).
        mount: PathBuf,
        /// Bytes free when the error was made.
        free: u64,
        /// Bytes the write was estimated to need.
        needed: u64,
        /// Refused before anything was written (the free-space check), rather than a write
        /// that ran out of space.
        refused_early: bool,
    },
    /// sled refuses to open the store (its files are damaged beyond what opening repairs).
    #[error("the store in {0} cannot be read")]
    Unreadable(PathBuf),
}

impl StoreError {
    pub(super) fn from_io(path: &Path, e: std::io::Error) -> StoreError {
        if super::space::is_disk_full(&e) {
            return super::space::disk_full(path);
        }
        StoreError::Unwritable {
            path: path.to_path_buf(),
            source: e,
        }
    }

    /// sled reports a held lock as an io error ("could not acquire lock … WouldBlock").
    pub(super) fn from_sled_open(path: &Path, e: sled::Error) -> StoreError {
        match e {
            sled::Error::Io(io) => {
                let text = io.to_string();
                if io.kind() == std::io::ErrorKind::WouldBlock
                    || text.contains("could not acquire lock")
                    || text.contains("WouldBlock")
                {
                    StoreError::InUse(path.to_path_buf())
                } else {
                    StoreError::from_io(path, io)
                }
            }
            sled::Error::Corruption { .. } => StoreError::Unreadable(path.to_path_buf()),
            other => StoreError::Sled(other),
        }
    }

    /// The same error, a full disk told as such (with the free space on the disk holding
    /// `dir`, read now) instead of sled's io error.
    pub(super) fn located(self, dir: &Path) -> StoreError {
        match self {
            StoreError::Sled(sled::Error::Io(e)) if super::space::is_disk_full(&e) => {
                super::space::disk_full(dir)
            }
            other => other,
        }
    }
}

impl Localize for StoreError {
    fn localize(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            StoreError::InUse(p) => {
                if zh {
                    format!("数据文件夹 {} 正被另一个 beatbook 使用。请先关闭那个程序，或用 --data 指定其他文件夹。", p.display())
                } else {
                    format!("this data folder is in use by another beatbook ({}). Close the other one first, or choose another folder with --data.", p.display())
                }
            }
            StoreError::Unwritable { path, source } => {
                let reason = IoReason(source).localize(lang);
                if zh {
                    format!("无法写入数据文件夹 {}（{reason}）。请检查权限，或用 --data 指定可写的文件夹。", path.display())
                } else {
                    format!("cannot write the data folder {} ({reason}). Check its permissions, or choose another folder with --data.", path.display())
                }
            }
            StoreError::NewerSchema { found, supported } => {
                if zh {
                    format!("数据由更新版本的 beatbook 写入（格式版本 {found}，本程序支持到 {supported}）。请升级 beatbook。")
                } else {
                    format!("the data was written by a newer beatbook (schema {found}, this one supports up to {supported}). Upgrade beatbook.")
                }
            }
            StoreError::Conflict { .. } => lang
                .pick(
                    "该记录已被他人修改。请刷新后重试，您输入的内容仍保留在表单中。",
                    "someone else changed this record meanwhile. Refresh and try again; what you typed is still in the form.",
                )
                .to_string(),
            StoreError::NotFound { .. } => lang
                .pick("记录不存在（可能已被删除）。", "the record does not exist (it may have been removed).")
                .to_string(),
            StoreError::Duplicate { index, value, .. } => match index {
                Index::PersonByIdNumber => {
                    if zh {
                        format!("身份证号 {value} 已登记在另一人名下，请查找该人员而不是新建。")
                    } else {
                        format!("ID number {value} already belongs to another person; look that person up instead of creating a new one.")
                    }
                }
                Index::OfficerByUsername => {
                    if zh {
                        format!("用户名 {value} 已被使用，请换一个。")
                    } else {
                        format!("username {value} is taken; choose another.")
                    }
                }
                _ => {
                    if zh {
                        format!("{value} 已存在。")
                    } else {
                        format!("{value} already exists.")
                    }
                }
            },
            StoreError::DiskFull {
                folder,
                mount,
                free,
                needed,
                refused_early,
            } => {
                let to_free = mb_up(needed.saturating_sub(*free)).max(1);
                let free = free / super::space::MB;
                let (folder, mount) = (folder.display(), mount.display());
                match (zh, refused_early) {
                    (true, true) => format!("磁盘空间不足：请在 {mount} 上再腾出 {to_free} MB 空间（{folder} 所在的磁盘，现在只剩 {free} MB），然后重试。尚未写入任何内容。"),
                    (true, false) => format!("磁盘已满：请在 {mount} 上再腾出 {to_free} MB 空间（{folder} 所在的磁盘，现在只剩 {free} MB），然后重试。写满时正在保存的内容没有保存，之前已保存的记录都在。"),
                    (false, true) => format!("disk full: free {to_free} MB on {mount} (the disk holding {folder}; {free} MB free now) and try again. Nothing was written."),
                    (false, false) => format!("disk full: free {to_free} MB on {mount} (the disk holding {folder}; {free} MB free now) and try again. What was being saved when the disk filled up was not saved; everything saved before is kept."),
                }
            }
            StoreError::Unreadable(p) => {
                if zh {
                    format!("无法读取 {} 中的数据（文件已损坏）。请用最近的备份恢复：`beatbook restore 备份文件 --force --user 管理员账号`（损坏的数据会原样保留在旁边）；没有备份时，请保留该文件夹不要删除，并联系管理员。", p.display())
                } else {
                    format!("the data in {} cannot be read (its files are damaged). Restore the latest backup with `beatbook restore FILE --force --user ADMIN` (the damaged data is kept aside as it is); without a backup, keep that folder untouched and contact the administrator.", p.display())
                }
            }
            // sled's own text ("Read corrupted data at file offset None backtrace ()")
            // means nothing to an officer; it is in the log (the CLI and the TUI log it).
            StoreError::Sled(_) => lang
                .pick(
                    "数据存储出错（详情见数据文件夹中的 beatbook.log）。请运行 `beatbook check`；如仍出错，请用最近的备份恢复（`beatbook restore 备份文件 --force --user 管理员账号`）并联系管理员。",
                    "storage problem (details in beatbook.log in the data folder). Run `beatbook check`; if it fails too, restore the latest backup (`beatbook restore FILE --force --user ADMIN`) and contact the administrator.",
                )
                .to_string(),
            StoreError::CorruptIndex { .. } | StoreError::Corrupt(_) => {
                if zh {
                    format!("数据存储出错：{self}。请用 `beatbook export` 备份数据，并联系管理员。")
                } else {
                    format!("storage problem: {self}. Back up with `beatbook export` and contact the administrator.")
                }
            }
        }
    }
}

/// Bytes in whole MB, rounded up (a message never says "free 0 MB").
fn mb_up(bytes: u64) -> u64 {
    bytes.div_ceil(super::space::MB)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disk_full_says_how_much_to_free_and_where_in_both_languages() {
        let e = StoreError::DiskFull {
            folder: PathBuf::from("/mnt/usb/data/store"),
            mount: PathBuf::from("/mnt/usb"),
            free: 1 << 20,
            needed: (3 << 20) + 1,
            refused_early: true,
        };
        let en = e.localize(Lang::En);
        assert!(en.starts_with("disk full: free 3 MB on /mnt/usb "), "{en}");
        assert!(
            en.contains("1 MB free now") && en.contains("Nothing was written"),
            "{en}"
        );
        let zh = e.localize(Lang::Zh);
        assert!(zh.contains("/mnt/usb 上再腾出 3 MB"), "{zh}");
        let unreadable = StoreError::Unreadable(PathBuf::from("/d/store")).localize(Lang::En);
        assert!(
            unreadable.contains("/d/store") && unreadable.contains("beatbook restore FILE --force"),
            "{unreadable}"
        );
    }
}
