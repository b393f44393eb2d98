//! Bad input never panics: each bad input returns the `FsError` variant and POSIX `code()` a
//! user would expect. Every test runs twice, on MemoryBackend directly
//! (`<test>::memory_backend`) and through FileStorage (`<test>::file_storage`).

// Integration-test helpers are test code too: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::Path;

use anyfs::{FileStorage, FsError, FsFull, MemoryBackend};

/// Asserts `$result` is `Err` matching `$variant` with `code() == $code`.
macro_rules! assert_fs_err {
    ($result:expr, $variant:pat, $code:literal) => {{
        match $result {
            Err(e) => {
                assert!(
                    matches!(e, $variant),
                    "expected {}, got {:?}",
                    stringify!($variant),
                    e
                );
                assert_eq!(e.code(), $code, "code() of {e:?}");
            }
            Ok(_) => panic!("expected {} ({}), got Ok", stringify!($variant), $code),
        }
    }};
}

/// Each named function below becomes a module with one test per backend.
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            use super::*;
            #[test]
            fn memory_backend() {
                super::$name(MemoryBackend::new());
            }
            #[test]
            fn file_storage() {
                super::$name(FileStorage::new(MemoryBackend::new()));
            }
        }
    )*};
}

on_both!(
    empty_path_is_einval,
    relative_path_is_einval,
    nul_byte_is_einval,
    invalid_utf8_is_einval,
    dotdot_above_root_is_root,
    doubled_slashes_work,
    trailing_slash_on_directory_works,
    trailing_slash_on_file_is_enotdir,
    name_of_255_bytes_works,
    name_of_256_bytes_is_enametoolong,
    path_of_4095_bytes_works,
    path_over_4095_bytes_is_enametoolong,
    unicode_and_spaces_roundtrip_in_read_dir,
    symlink_loop_is_eloop,
    read_on_directory_is_eisdir,
    read_dir_on_file_is_enotdir,
    remove_dir_on_non_empty_is_enotempty,
    rename_directory_into_itself_is_einval,
    write_into_missing_parent_is_enoent,
    create_dir_on_existing_is_eexist,
);

fn p(s: &str) -> &Path {
    Path::new(s)
}

fn names<B: FsFull>(fs: &B, dir: &str) -> BTreeSet<String> {
    fs.read_dir(p(dir))
        .unwrap()
        .into_iter()
        .map(|e| e.name.into_string().unwrap())
        .collect()
}

fn empty_path_is_einval<B: FsFull>(fs: B) {
    assert_fs_err!(fs.read(p("")), FsError::InvalidPath { .. }, "EINVAL");
    assert_fs_err!(fs.write(p(""), b"x"), FsError::InvalidPath { .. }, "EINVAL");
    assert_fs_err!(fs.metadata(p("")), FsError::InvalidPath { .. }, "EINVAL");
    assert_fs_err!(fs.create_dir(p("")), FsError::InvalidPath { .. }, "EINVAL");
    assert_fs_err!(fs.read_dir(p("")), FsError::InvalidPath { .. }, "EINVAL");
    assert_fs_err!(fs.remove_file(p("")), FsError::InvalidPath { .. }, "EINVAL");
}

fn relative_path_is_einval<B: FsFull>(fs: B) {
    fs.write(p("/a.txt"), b"a").unwrap();
    assert_fs_err!(fs.read(p("a.txt")), FsError::InvalidPath { .. }, "EINVAL");
    assert_fs_err!(
        fs.write(p("dir/b.txt"), b"x"),
        FsError::InvalidPath { .. },
        "EINVAL"
    );
    assert_fs_err!(
        fs.metadata(p("./a.txt")),
        FsError::InvalidPath { .. },
        "EINVAL"
    );
    assert_fs_err!(
        fs.create_dir_all(p("x/y")),
        FsError::InvalidPath { .. },
        "EINVAL"
    );
    assert_eq!(names(&fs, "/"), BTreeSet::from(["a.txt".to_owned()]));
}

fn nul_byte_is_einval<B: FsFull>(fs: B) {
    assert_fs_err!(
        fs.write(p("/a\0b"), b"x"),
        FsError::InvalidPath { .. },
        "EINVAL"
    );
    assert_fs_err!(fs.read(p("/a\0b")), FsError::InvalidPath { .. }, "EINVAL");
    assert_fs_err!(
        fs.create_dir(p("/\0")),
        FsError::InvalidPath { .. },
        "EINVAL"
    );
    assert!(names(&fs, "/").is_empty());
}

fn invalid_utf8_is_einval<B: FsFull>(fs: B) {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let bad = Path::new(OsStr::from_bytes(b"/bad\xff\xfe.txt"));
    assert_fs_err!(fs.write(bad, b"x"), FsError::InvalidPath { .. }, "EINVAL");
    assert_fs_err!(fs.read(bad), FsError::InvalidPath { .. }, "EINVAL");
    assert_fs_err!(fs.metadata(bad), FsError::InvalidPath { .. }, "EINVAL");
    assert!(names(&fs, "/").is_empty());
}

fn dotdot_above_root_is_root<B: FsFull>(fs: B) {
    // POSIX: `/..` is `/`, so `..` can never climb out of the root.
    fs.write(p("/a.txt"), b"root file").unwrap();
    assert_eq!(fs.read(p("/../a.txt")).unwrap(), b"root file");
    assert_eq!(fs.read(p("/../../../a.txt")).unwrap(), b"root file");
    fs.write(p("/../b.txt"), b"b").unwrap();
    assert_eq!(fs.read(p("/b.txt")).unwrap(), b"b");
    assert!(fs.metadata(p("/..")).unwrap().is_dir());
}

fn doubled_slashes_work<B: FsFull>(fs: B) {
    fs.create_dir(p("/dir")).unwrap();
    fs.write(p("/dir//a.txt"), b"a").unwrap();
    assert_eq!(fs.read(p("/dir/a.txt")).unwrap(), b"a");
    assert_eq!(fs.read(p("//dir///a.txt")).unwrap(), b"a");
    assert_eq!(names(&fs, "/dir"), BTreeSet::from(["a.txt".to_owned()]));
}

fn trailing_slash_on_directory_works<B: FsFull>(fs: B) {
    fs.create_dir(p("/dir/")).unwrap();
    fs.write(p("/dir/a.txt"), b"a").unwrap();
    assert!(fs.metadata(p("/dir/")).unwrap().is_dir());
    assert_eq!(names(&fs, "/dir/"), BTreeSet::from(["a.txt".to_owned()]));
}

fn trailing_slash_on_file_is_enotdir<B: FsFull>(fs: B) {
    fs.write(p("/file.txt"), b"f").unwrap();
    assert_fs_err!(
        fs.read(p("/file.txt/")),
        FsError::NotADirectory { .. },
        "ENOTDIR"
    );
    assert_fs_err!(
        fs.metadata(p("/file.txt/")),
        FsError::NotADirectory { .. },
        "ENOTDIR"
    );
}

fn name_of_255_bytes_works<B: FsFull>(fs: B) {
    let name = "n".repeat(255);
    fs.write(p(&format!("/{name}")), b"x").unwrap();
    assert_eq!(fs.read(p(&format!("/{name}"))).unwrap(), b"x");
    assert_eq!(names(&fs, "/"), BTreeSet::from([name]));
}

fn name_of_256_bytes_is_enametoolong<B: FsFull>(fs: B) {
    let path = format!("/{}", "n".repeat(256));
    assert_fs_err!(
        fs.write(p(&path), b"x"),
        FsError::NameTooLong { .. },
        "ENAMETOOLONG"
    );
    assert_fs_err!(
        fs.create_dir(p(&path)),
        FsError::NameTooLong { .. },
        "ENAMETOOLONG"
    );
    assert_fs_err!(
        fs.metadata(p(&path)),
        FsError::NameTooLong { .. },
        "ENAMETOOLONG"
    );
    // 128 × "é" is 128 characters but 256 bytes: the limit is in bytes.
    let path = format!("/{}", "é".repeat(128));
    assert_fs_err!(
        fs.write(p(&path), b"x"),
        FsError::NameTooLong { .. },
        "ENAMETOOLONG"
    );
    assert!(names(&fs, "/").is_empty());
}

/// (directories, full path) with the full path exactly `len` bytes long.
fn path_of_len(len: usize) -> (String, String) {
    let dirs = format!("/{}", vec!["d".repeat(200); 20].join("/")); // 20 × 201 = 4020 bytes
    let file = "f".repeat(len - dirs.len() - 1);
    let full = format!("{dirs}/{file}");
    assert_eq!(full.len(), len);
    (dirs, full)
}

fn path_of_4095_bytes_works<B: FsFull>(fs: B) {
    let (dirs, full) = path_of_len(4095);
    fs.create_dir_all(p(&dirs)).unwrap();
    fs.write(p(&full), b"deep").unwrap();
    assert_eq!(fs.read(p(&full)).unwrap(), b"deep");
}

fn path_over_4095_bytes_is_enametoolong<B: FsFull>(fs: B) {
    let (dirs, full) = path_of_len(4096);
    fs.create_dir_all(p(&dirs)).unwrap();
    assert_fs_err!(
        fs.write(p(&full), b"x"),
        FsError::NameTooLong { .. },
        "ENAMETOOLONG"
    );
    assert_fs_err!(
        fs.read(p(&full)),
        FsError::NameTooLong { .. },
        "ENAMETOOLONG"
    );
    let huge = format!("/{}", "x/".repeat(5000));
    assert_fs_err!(
        fs.create_dir_all(p(&huge)),
        FsError::NameTooLong { .. },
        "ENAMETOOLONG"
    );
}

fn unicode_and_spaces_roundtrip_in_read_dir<B: FsFull>(fs: B) {
    let wanted = [
        "日本語 ファイル.txt",
        "emoji 🎉.md",
        " leading and trailing ",
        "Ünïcödé",
        "quote'\"semi;colon",
    ];
    fs.create_dir(p("/dir with spaces")).unwrap();
    for name in wanted {
        fs.write(p(&format!("/dir with spaces/{name}")), name.as_bytes())
            .unwrap();
    }
    for name in wanted {
        let read = fs.read(p(&format!("/dir with spaces/{name}"))).unwrap();
        assert_eq!(read, name.as_bytes());
    }
    let expected: BTreeSet<String> = wanted.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(names(&fs, "/dir with spaces"), expected);
}

fn symlink_loop_is_eloop<B: FsFull>(fs: B) {
    fs.symlink(p("/b"), p("/a")).unwrap();
    fs.symlink(p("/a"), p("/b")).unwrap();
    assert_fs_err!(fs.read(p("/a")), FsError::SymlinkLoop { .. }, "ELOOP");
    assert_fs_err!(fs.metadata(p("/b")), FsError::SymlinkLoop { .. }, "ELOOP");
    assert_fs_err!(
        fs.write(p("/a/x"), b"x"),
        FsError::SymlinkLoop { .. },
        "ELOOP"
    );
    assert!(fs.symlink_metadata(p("/a")).unwrap().is_symlink());
}

fn read_on_directory_is_eisdir<B: FsFull>(fs: B) {
    fs.create_dir(p("/dir")).unwrap();
    assert_fs_err!(fs.read(p("/dir")), FsError::NotAFile { .. }, "EISDIR");
    assert_fs_err!(fs.read(p("/")), FsError::NotAFile { .. }, "EISDIR");
}

fn read_dir_on_file_is_enotdir<B: FsFull>(fs: B) {
    fs.write(p("/file.txt"), b"f").unwrap();
    assert_fs_err!(
        fs.read_dir(p("/file.txt")),
        FsError::NotADirectory { .. },
        "ENOTDIR"
    );
}

fn remove_dir_on_non_empty_is_enotempty<B: FsFull>(fs: B) {
    fs.create_dir_all(p("/dir/sub")).unwrap();
    assert_fs_err!(
        fs.remove_dir(p("/dir")),
        FsError::DirectoryNotEmpty { .. },
        "ENOTEMPTY"
    );
    assert!(fs.metadata(p("/dir/sub")).unwrap().is_dir());
}

fn rename_directory_into_itself_is_einval<B: FsFull>(fs: B) {
    fs.create_dir_all(p("/a/b")).unwrap();
    assert_fs_err!(
        fs.rename(p("/a"), p("/a/b/c")),
        FsError::InvalidInput { .. },
        "EINVAL"
    );
    assert_fs_err!(
        fs.rename(p("/a"), p("/a/x")),
        FsError::InvalidInput { .. },
        "EINVAL"
    );
    assert!(fs.metadata(p("/a/b")).unwrap().is_dir());
}

fn write_into_missing_parent_is_enoent<B: FsFull>(fs: B) {
    assert_fs_err!(
        fs.write(p("/missing/a.txt"), b"x"),
        FsError::NotFound { .. },
        "ENOENT"
    );
    assert!(names(&fs, "/").is_empty());
}

fn create_dir_on_existing_is_eexist<B: FsFull>(fs: B) {
    fs.create_dir(p("/dir")).unwrap();
    fs.write(p("/file"), b"f").unwrap();
    assert_fs_err!(
        fs.create_dir(p("/dir")),
        FsError::AlreadyExists { .. },
        "EEXIST"
    );
    assert_fs_err!(
        fs.create_dir(p("/file")),
        FsError::AlreadyExists { .. },
        "EEXIST"
    );
}
