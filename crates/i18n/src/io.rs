//! Operating-system errors told to a person.
//!
//! `std::io::Error`'s own text is English and ends in "(os error 28)": debug text a
//! station officer must never read, in a language half of them do not. Every message that
//! names why a file could not be read or written says it through [`IoReason`], in the
//! reader's language.

use crate::{Lang, Localize};
use std::io;

/// Whether an I/O error means the disk (or the user's quota) is full. By the OS error
/// code, or by the kind's name: sled hands on clones of its errors made with
/// `io::Error::new(kind, …)`, which keep the kind but lose the code (and
/// `ErrorKind::StorageFull` is newer than this crate's minimum Rust, so it is not named).
pub fn is_disk_full(e: &io::Error) -> bool {
    #[cfg(unix)]
    let full = matches!(e.raw_os_error(), Some(libc::ENOSPC) | Some(libc::EDQUOT));
    // ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL
    #[cfg(windows)]
    let full = matches!(e.raw_os_error(), Some(39) | Some(112));
    #[cfg(not(any(unix, windows)))]
    let full = false;
    full || matches!(kind_name(e).as_str(), "StorageFull" | "QuotaExceeded")
}

/// Why an I/O operation failed, in words: "the disk is full", "permission denied"… The
/// reasons a station meets have their own text in both languages; any other is the
/// system's own description without its error number.
pub struct IoReason<'a>(pub &'a io::Error);

impl Localize for IoReason<'_> {
    fn localize(&self, lang: Lang) -> String {
        let e = self.0;
        let known = if is_disk_full(e) {
            Some(("磁盘已满", "the disk is full"))
        } else {
            match e.kind() {
                io::ErrorKind::NotFound => Some(("不存在", "it does not exist")),
                io::ErrorKind::PermissionDenied => Some(("没有权限", "permission denied")),
                io::ErrorKind::AlreadyExists => Some(("已存在", "it already exists")),
                io::ErrorKind::InvalidData => Some(("内容无法读取", "its content cannot be read")),
                io::ErrorKind::UnexpectedEof => Some(("文件不完整", "the file ends too early")),
                _ => match kind_name(e).as_str() {
                    "ReadOnlyFilesystem" => Some(("磁盘只读", "the disk is read-only")),
                    "IsADirectory" => Some(("这是一个文件夹", "it is a folder")),
                    "NotADirectory" => Some((
                        "路径中有一段不是文件夹",
                        "a part of the path is not a folder",
                    )),
                    "FileTooLarge" => Some(("文件太大", "the file is too large")),
                    _ => None,
                },
            }
        };
        match known {
            Some((zh, en)) => lang.pick(zh, en).to_string(),
            None => {
                let text = without_error_number(&e.to_string());
                lang.pick(&format!("系统错误：{text}"), &text).to_string()
            }
        }
    }
}

/// The kind's name (`ErrorKind` variants newer than the minimum Rust are matched by name).
fn kind_name(e: &io::Error) -> String {
    format!("{:?}", e.kind())
}

/// "No space left on device (os error 28)" → "No space left on device".
fn without_error_number(text: &str) -> String {
    match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => text[..at].to_string(),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every reason, known or not, is free of the error number in both languages.
    #[test]
    fn no_reason_carries_the_os_error_number() {
        let mut errors: Vec<io::Error> = (1..=133).map(io::Error::from_raw_os_error).collect();
        errors.push(io::Error::other("something odd"));
        for e in &errors {
            for lang in [Lang::Zh, Lang::En] {
                let text = IoReason(e).localize(lang);
                assert!(!text.contains("os error"), "{text}");
                assert!(!text.is_empty());
            }
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_full_disk_and_a_refused_folder_are_said_plainly() {
        let full = io::Error::from_raw_os_error(libc::ENOSPC);
        assert!(is_disk_full(&full));
        assert_eq!(IoReason(&full).localize(Lang::Zh), "磁盘已满");
        assert_eq!(IoReason(&full).localize(Lang::En), "the disk is full");
        let sled_clone = io::Error::new(full.kind(), "cloned");
        assert!(is_disk_full(&sled_clone));
        let denied = io::Error::from_raw_os_error(libc::EACCES);
        assert_eq!(IoReason(&denied).localize(Lang::En), "permission denied");
        let odd = io::Error::from_raw_os_error(libc::EIO);
        assert!(IoReason(&odd).localize(Lang::Zh).starts_with("系统错误："));
    }
}
