//! Files beatbook writes for people to keep — archives, exports, reports: whole or not at
//! all, and only ever as a plain file.
//!
//! Each is written to `FILE.tmp`, synced, renamed over `FILE` and its folder synced, so a
//! failed or killed run never leaves half a file under the name asked for. The rename
//! would also replace whatever `FILE` is: as root, `--out /dev/null` replaced the device,
//! and a symlink planted where a backup goes could send the archive — every ID number and
//! password hash — somewhere else. So a target that exists and is not a regular file is
//! refused, and the temporary file is created new (never opened through an existing name).
//! A `FILE.tmp` left behind by a killed run is removed and reported.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

/// Why an output file was not written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The target (or its temporary name) exists and is a folder, a link, a device, a pipe.
    #[error("{0} exists and is not a regular file")]
    NotAFile(PathBuf),
    #[error("cannot write {path}: {}", IoReason(source).localize(beatbook_i18n::Lang::En))]
    Io { path: PathBuf, source: io::Error },
}

use beatbook_i18n::{io::IoReason, Localize};

impl Localize for OutputError {
    fn localize(&self, lang: beatbook_i18n::Lang) -> String {
        let zh = lang == beatbook_i18n::Lang::Zh;
        match self {
            OutputError::NotAFile(p) => {
                if zh {
                    format!("{} 已存在，但不是普通文件（可能是文件夹、链接或设备），未写入。请换一个文件名。", p.display())
                } else {
                    format!("{} exists and is not a plain file (a folder, a link or a device); nothing was written. Choose another file name.", p.display())
                }
            }
            // Told like a full disk under the store: how much to free, and where.
            OutputError::Io { path, source } if super::space::is_disk_full(source) => {
                super::space::disk_full(path).localize(lang)
            }
            OutputError::Io { path, source } => {
                let source = beatbook_i18n::io::IoReason(source).localize(lang);
                if zh {
                    format!(
                        "无法写入 {}（{source}）。请检查文件夹是否存在、是否可写、磁盘是否已满。",
                        path.display()
                    )
                } else {
                    format!("cannot write {} ({source}). Check that the folder exists and is writable and that the disk is not full.", path.display())
                }
            }
        }
    }
}

/// An output file being written under its temporary name.
#[derive(Debug)]
pub struct Staged {
    path: PathBuf,
    tmp: PathBuf,
    file: Option<File>,
    /// A `FILE.tmp` of an earlier, interrupted run was found and removed.
    pub leftover_removed: bool,
}

/// Checks `path` and opens its temporary file for writing.
pub fn stage(path: &Path) -> Result<Staged, OutputError> {
    refuse_unless_plain(path)?;
    let tmp = with_suffix(path, ".tmp");
    refuse_unless_plain(&tmp)?;
    let leftover_removed = match std::fs::remove_file(&tmp) {
        Ok(()) => true,
        Err(e) if e.kind() == io::ErrorKind::NotFound => false,
        Err(e) => return Err(io_error(&tmp, e)),
    };
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    // Private whatever the process's umask: these files hold ID numbers and phones.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(&tmp).map_err(|e| io_error(&tmp, e))?;
    Ok(Staged {
        path: path.to_path_buf(),
        tmp,
        file: Some(file),
        leftover_removed,
    })
}

impl Staged {
    /// The temporary file to write into.
    pub fn file(&mut self) -> Result<&mut File, OutputError> {
        match self.file.as_mut() {
            Some(f) => Ok(f),
            None => Err(io_error(&self.tmp, io::Error::other("already closed"))),
        }
    }

    /// The temporary file's name (for messages about a write into it).
    pub fn tmp_path(&self) -> &Path {
        &self.tmp
    }

    /// Syncs the file, renames it to its name and syncs the folder: once this returns the
    /// whole file is on disk under its name.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let result = self.finish();
        if result.is_err() {
            let _ = std::fs::remove_file(&self.tmp);
        }
        result
    }

    fn finish(&mut self) -> Result<(), OutputError> {
        if let Some(file) = self.file.take() {
            file.sync_all().map_err(|e| io_error(&self.tmp, e))?;
        }
        // The target may have appeared meanwhile; it must still be a plain file or absent.
        refuse_unless_plain(&self.path)?;
        std::fs::rename(&self.tmp, &self.path).map_err(|e| io_error(&self.path, e))?;
        sync_dir(parent_of(&self.path));
        Ok(())
    }

    /// Gives up: the temporary file is removed, the target untouched.
    pub fn abandon(mut self) {
        self.file.take();
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// Writes `bytes` as the whole of `path` through [`stage`]: on disk under its name, or
/// not at all.
pub fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let mut staged = stage(path)?;
    let tmp = staged.tmp_path().to_path_buf();
    let written = staged
        .file()
        .and_then(|f| io::Write::write_all(f, bytes).map_err(|e| io_error(&tmp, e)));
    match written {
        Ok(()) => staged.commit(),
        Err(e) => {
            staged.abandon();
            Err(e)
        }
    }
}

/// Refuses `path` when it exists as anything but a regular file (links are not followed).
fn refuse_unless_plain(path: &Path) -> Result<(), OutputError> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_file() => Ok(()),
        Ok(_) => Err(OutputError::NotAFile(path.to_path_buf())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error(path, e)),
    }
}

fn io_error(path: &Path, source: io::Error) -> OutputError {
    OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// `path` with `suffix` added to its file name (`a.bbk` → `a.bbk.tmp`).
pub(crate) fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

pub(crate) fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Makes renames in a folder durable (best effort; not every platform can sync a folder).
pub(crate) fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn writes_whole_files_and_refuses_what_is_not_a_plain_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("out.txt");
        let mut staged = stage(&path).expect("stage");
        staged
            .file()
            .expect("file")
            .write_all(b"one")
            .expect("write");
        assert!(!path.exists(), "nothing under the name before the commit");
        staged.commit().expect("commit");
        assert_eq!(std::fs::read(&path).expect("read"), b"one");

        // A leftover of a killed run is removed and said so.
        std::fs::write(with_suffix(&path, ".tmp"), b"half").expect("leftover");
        let staged = stage(&path).expect("stage again");
        assert!(staged.leftover_removed);
        staged.abandon();
        assert!(!with_suffix(&path, ".tmp").exists());
        assert_eq!(std::fs::read(&path).expect("read"), b"one", "untouched");

        // A folder, and (on Unix) a link, are refused: nothing is written through them.
        let folder = dir.path().join("folder");
        std::fs::create_dir(&folder).expect("folder");
        assert!(matches!(stage(&folder), Err(OutputError::NotAFile(_))));
        #[cfg(unix)]
        {
            let outside = dir.path().join("outside.txt");
            std::fs::write(&outside, b"keep").expect("outside");
            let link = dir.path().join("link.bbk");
            std::os::unix::fs::symlink(&outside, &link).expect("symlink");
            assert!(matches!(stage(&link), Err(OutputError::NotAFile(_))));
            let tmp_link = dir.path().join("other.bbk.tmp");
            std::os::unix::fs::symlink(&outside, &tmp_link).expect("symlink");
            assert!(matches!(
                stage(&dir.path().join("other.bbk")),
                Err(OutputError::NotAFile(_))
            ));
            assert_eq!(std::fs::read(&outside).expect("read"), b"keep");
        }
    }
}
