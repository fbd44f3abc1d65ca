//! A data folder in use, or one that cannot be written, gives a friendly typed error in
//! both languages, never a raw io error or a panic.

use beatbook::i18n::{Lang, Localize};
use beatbook::store::{Store, StoreError};

#[test]
fn second_open_of_a_folder_in_use_is_refused_in_both_languages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = Store::open(dir.path()).expect("first open");
    let err = Store::open(dir.path()).expect_err("second open refused while the first lives");
    match &err {
        StoreError::InUse(path) => assert_eq!(path, dir.path()),
        other => panic!("expected InUse, got {other:?}"),
    }
    let en = err.localize(Lang::En);
    assert!(en.contains("in use by another beatbook"), "{en}");
    assert!(en.contains("--data"), "tells what to do next: {en}");
    let zh = err.localize(Lang::Zh);
    assert!(zh.contains("正被另一个 beatbook 使用"), "{zh}");
    // The first handle keeps working.
    assert!(first.is_empty());
    first.flush().expect("flush");
    drop(first);
    // Released on close: the folder opens again.
    Store::open(dir.path()).expect("opens after the first closed");
}

#[test]
fn folder_under_a_regular_file_is_unwritable_not_a_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, b"plain file").expect("write file");
    let target = file.join("data");
    let err = Store::open(&target).expect_err("cannot create a folder inside a file");
    match &err {
        StoreError::Unwritable { path, .. } => {
            assert_eq!(path, &target);
        }
        other => panic!("expected Unwritable, got {other:?}"),
    }
    let en = err.localize(Lang::En);
    assert!(en.contains("cannot write the data folder"), "{en}");
    assert!(en.contains("--data"), "{en}");
    let zh = err.localize(Lang::Zh);
    assert!(zh.contains("无法写入数据文件夹"), "{zh}");

    // The path of a regular file itself is no data folder either.
    let err = Store::open(&file).expect_err("a file is not a folder");
    assert!(
        matches!(err, StoreError::Unwritable { .. }),
        "expected Unwritable, got {err:?}"
    );
}
