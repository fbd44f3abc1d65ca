//! What an archive error says to the person at the terminal, in zh and en.

use super::*;

impl beatbook_i18n::Localize for ArchiveError {
    fn localize(&self, lang: beatbook_i18n::Lang) -> String {
        let zh = lang == beatbook_i18n::Lang::Zh;
        match self {
            ArchiveError::Foreign(p) => {
                if zh {
                    format!("{} 不是 beatbook 备份文件。请检查文件名，应选择 `beatbook backup` 写出的文件。", p.display())
                } else {
                    format!("{} is not a beatbook backup. Check the file name: choose a file written by `beatbook backup`.", p.display())
                }
            }
            ArchiveError::Damaged(p) => {
                if zh {
                    format!(
                        "备份文件 {} 不完整或已损坏（校验和不符），未做任何更改。请换一份备份。",
                        p.display()
                    )
                } else {
                    format!("the backup {} is truncated or damaged (its checksum does not match); nothing was changed. Use another copy.", p.display())
                }
            }
            ArchiveError::Newer {
                path,
                format,
                schema,
            } => {
                if zh {
                    format!("备份 {} 由更新版本的 beatbook 写出（格式 {format}，数据版本 {schema}）。请先升级 beatbook。", path.display())
                } else {
                    format!("the backup {} was written by a newer beatbook (format {format}, schema {schema}). Upgrade beatbook first.", path.display())
                }
            }
            ArchiveError::TargetNotEmpty(p) => {
                if zh {
                    format!("数据文件夹 {} 中已有数据，未做任何更改。确需用备份替换，请加 --force（原数据会保留在旁边）。", p.display())
                } else {
                    format!("the data folder {} already holds data; nothing was changed. To replace it with the backup, add --force (the current data is kept aside).", p.display())
                }
            }
            ArchiveError::AuditBroken(problem) => {
                if zh {
                    format!(
                        "备份中的审计日志校验失败（第 {} 条），未做任何更改。",
                        problem.seq()
                    )
                } else {
                    format!("the audit log in the backup does not verify (entry {}); nothing was changed.", problem.seq())
                }
            }
            ArchiveError::IndexesBroken(m) => {
                if zh {
                    format!(
                        "备份中的索引与记录不符（{} 个索引），未做任何更改。",
                        m.len()
                    )
                } else {
                    format!("the indexes in the backup disagree with the records ({} indexes); nothing was changed.", m.len())
                }
            }
            ArchiveError::Unsigned(p) => {
                if zh {
                    format!("备份 {} 没有本局密钥的签名（旧版 beatbook 写出，或签名已被去掉），无法证明未被改动，未做任何更改。如确认来源可靠，管理员可加 --accept-unsigned 恢复，此操作会记入审计日志。", p.display())
                } else {
                    format!("the backup {} is not signed with a bureau key (written by an older beatbook, or its signature was removed), so nothing shows it was not altered; nothing was changed. If you trust where it came from, an administrator can restore it with --accept-unsigned; that is recorded in the audit log.", p.display())
                }
            }
            ArchiveError::KeyNeeded { path, key_id } => {
                if zh {
                    format!("备份 {} 用本局密钥 {key_id} 签名，但此数据文件夹没有密钥，未做任何更改。在另一台电脑上恢复时，请从原数据文件夹复制 keys/archive.key，并用 --key 文件 指定。", path.display())
                } else {
                    format!("the backup {} is signed with bureau key {key_id}, but this data folder has no key; nothing was changed. To restore on another machine, copy keys/archive.key from the original data folder and name the copy with --key FILE.", path.display())
                }
            }
            ArchiveError::NotAuthentic {
                path,
                signed_with,
                checked_with,
            } => {
                if signed_with != checked_with {
                    if zh {
                        format!("备份 {} 用密钥 {signed_with} 签名，而所用密钥是 {checked_with}，未做任何更改。请用 --key 指定密钥 {signed_with} 的副本（原数据文件夹的 keys/archive.key）。", path.display())
                    } else {
                        format!("the backup {} is signed with key {signed_with}, but the key used is {checked_with}; nothing was changed. Name a copy of key {signed_with} (keys/archive.key of the original data folder) with --key FILE.", path.display())
                    }
                } else if zh {
                    format!("备份 {} 的签名不符：写出后被改动过，未做任何更改。请勿使用此文件，保留它作为证据并报告管理员和法制大队。", path.display())
                } else {
                    format!("the signature of the backup {} does not match: it was altered after it was written; nothing was changed. Do not use this file: keep it as evidence and tell the administrator and the legal affairs brigade.", path.display())
                }
            }
            ArchiveError::NotAdministrator => {
                if zh {
                    "只有管理员可以恢复备份：用户名或密码不对，或该账号不是管理员（替换已有数据时须是现有数据的管理员，恢复到空文件夹时须是备份中的管理员），未做任何更改。请用 --user 指定管理员账号。".to_string()
                } else {
                    "only an administrator can restore a backup: the name or password is wrong, or the account is not an administrator (of the data being replaced, or of the backup when the folder is empty); nothing was changed. Name an administrator with --user.".to_string()
                }
            }
            ArchiveError::Key(e) => match e {
                KeyError::Unreadable { path, source } => {
                    let reason = beatbook_i18n::io::IoReason(source).localize(lang);
                    if zh {
                        format!("无法读取密钥文件 {}（{reason}），未做任何更改。请检查 --key 给出的路径。", path.display())
                    } else {
                        format!("cannot read the key file {} ({reason}); nothing was changed. Check the path given with --key.", path.display())
                    }
                }
                KeyError::NotAKey(path) => {
                    if zh {
                        format!("{} 不是 beatbook 密钥文件，未做任何更改。请指定原数据文件夹中 keys/archive.key 的副本。", path.display())
                    } else {
                        format!("{} is not a beatbook key file; nothing was changed. Name a copy of keys/archive.key from the original data folder.", path.display())
                    }
                }
            },
            ArchiveError::Output(e) => e.localize(lang),
            ArchiveError::Io { path, source } => {
                let reason = beatbook_i18n::io::IoReason(source).localize(lang);
                if zh {
                    format!(
                        "无法读写 {}（{reason}）。请检查路径、权限和磁盘空间。",
                        path.display()
                    )
                } else {
                    format!("cannot read or write {} ({reason}). Check the path, permissions and free disk space.", path.display())
                }
            }
            ArchiveError::Store(e) => e.localize(lang),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use beatbook_i18n::{Lang, Localize};

    /// A backup that cannot be written says why in words: no "(os error 28)" (CI met it
    /// when the disk filled up while the archive's temporary file was written).
    #[cfg(unix)]
    #[test]
    fn archive_io_failures_are_told_without_debug_text() {
        let path = Path::new("/tmp/beatbook-test/x.bbk.tmp");
        for code in [libc::ENOSPC, libc::EACCES, libc::EIO, libc::EROFS] {
            let err = ArchiveError::io(path, std::io::Error::from_raw_os_error(code));
            for lang in [Lang::Zh, Lang::En] {
                let text = err.localize(lang);
                assert!(!text.contains("os error"), "{text}");
                assert!(!text.contains("Os {"), "{text}");
            }
        }
        let full = ArchiveError::io(path, std::io::Error::from_raw_os_error(libc::ENOSPC));
        assert!(
            matches!(full, ArchiveError::Store(StoreError::DiskFull { .. })),
            "{full:?}"
        );
        let key = KeyError::Unreadable {
            path: path.to_path_buf(),
            source: std::io::Error::from_raw_os_error(libc::EACCES),
        };
        let text = ArchiveError::Key(key).localize(Lang::En);
        assert!(text.contains("permission denied"), "{text}");
    }
}
