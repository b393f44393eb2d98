//! Bad input through FileStorage: each returns the error a user would expect, never a panic.

use std::path::Path;

use super::dumb::PathMap;
use crate::{FileStorage, FileType};

fn storage() -> FileStorage<PathMap> {
    let fs = FileStorage::new(PathMap::new());
    fs.create_dir("/dir").unwrap();
    fs.write("/dir/file", "f").unwrap();
    fs
}

#[test]
fn empty_path_is_einval() {
    let fs = storage();
    assert_eq!(fs.read("").unwrap_err().code(), "EINVAL");
    assert_eq!(fs.write("", "x").unwrap_err().code(), "EINVAL");
    assert_eq!(fs.exists("").unwrap_err().code(), "EINVAL");
}

#[test]
fn relative_path_is_einval() {
    let fs = storage();
    assert_eq!(fs.read("dir/file").unwrap_err().code(), "EINVAL");
    assert_eq!(fs.create_dir_all("a/b").unwrap_err().code(), "EINVAL");
    assert_eq!(fs.rename("/dir/file", "file").unwrap_err().code(), "EINVAL");
}

#[test]
fn nul_byte_is_einval() {
    let fs = storage();
    assert_eq!(fs.read("/dir/fi\0le").unwrap_err().code(), "EINVAL");
    assert_eq!(fs.write("/\0", "x").unwrap_err().code(), "EINVAL");
}

#[cfg(unix)]
#[test]
fn invalid_utf8_is_einval() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let fs = storage();
    let bad = Path::new(OsStr::from_bytes(b"/dir/\xff"));
    assert_eq!(fs.read(bad).unwrap_err().code(), "EINVAL");
    assert_eq!(fs.write(bad, "x").unwrap_err().code(), "EINVAL");
}

#[test]
fn long_names_and_paths_are_enametoolong() {
    let fs = storage();
    let long_name = format!("/dir/{}", "n".repeat(256));
    assert_eq!(
        fs.write(&long_name, "x").unwrap_err().code(),
        "ENAMETOOLONG"
    );
    let long_path = "/dir".repeat(1100);
    assert_eq!(fs.read(&long_path).unwrap_err().code(), "ENAMETOOLONG");
}

#[test]
fn doubled_and_trailing_slashes() {
    let fs = storage();
    assert_eq!(fs.read("//dir///file").unwrap(), b"f");
    assert_eq!(fs.read_dir("/dir/").unwrap().len(), 1);
    assert_eq!(fs.read("/dir/file/").unwrap_err().code(), "ENOTDIR");
    assert_eq!(fs.write("/dir/new/", "x").unwrap_err().code(), "EISDIR");
    assert_eq!(fs.write("/dir/", "x").unwrap_err().code(), "EISDIR");
    assert!(fs.backend().get("/dir/new").is_none());
    fs.create_dir("/dir/sub/").unwrap();
    assert_eq!(
        fs.metadata("/dir/sub").unwrap().file_type,
        FileType::Directory
    );
}

#[test]
fn dotdot_above_root_is_root() {
    let fs = storage();
    assert_eq!(fs.read("/../../dir/file").unwrap(), b"f");
    assert_eq!(fs.read_dir("/..").unwrap().len(), 1);
}

#[test]
fn unicode_spaces_and_backslashes_are_names() {
    let fs = storage();
    for name in ["/dir/with space", "/dir/ünï 名前 🦀", "/dir/back\\slash"] {
        fs.write(name, name).unwrap();
        assert_eq!(fs.read_to_string(name).unwrap(), name);
    }
}

#[test]
fn wrong_node_types() {
    let fs = storage();
    assert_eq!(fs.read("/dir").unwrap_err().code(), "EISDIR");
    assert_eq!(fs.read_dir("/dir/file").unwrap_err().code(), "ENOTDIR");
    assert_eq!(fs.remove_dir("/").unwrap_err().code(), "ENOTEMPTY");
    assert_eq!(fs.create_dir("/dir/file/x").unwrap_err().code(), "ENOTDIR");
}
