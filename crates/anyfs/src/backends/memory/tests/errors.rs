//! Bad paths never panic and get the code a user expects, on every kind of operation.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use anyfs_backend::{FsDir, FsHandles, FsInode, FsLink, FsRead, FsWrite, FsXattr, OpenFlags};

use super::{code, p, sample, MemoryBackend};

/// Runs a representative call of each trait on `path` and returns the codes.
fn codes_for(fs: &MemoryBackend, path: &Path) -> Vec<&'static str> {
    vec![
        code(fs.read(path)),
        code(fs.metadata(path)),
        code(fs.write(path, b"x")),
        code(fs.create_dir(path)),
        code(fs.read_dir(path)),
        code(fs.remove_file(path)),
        code(fs.symlink_metadata(path)),
        code(fs.path_to_inode(path)),
        code(fs.open(path, OpenFlags::READ)),
        code(fs.list_xattr(path)),
    ]
}

#[test]
fn invalid_paths_are_einval() {
    let fs = sample();
    let bad: [&Path; 4] = [
        p(""),
        p("relative/path"),
        p("/nul\0byte"),
        Path::new(OsStr::from_bytes(b"/not-utf8-\xff")),
    ];
    for path in bad {
        for c in codes_for(&fs, path) {
            assert_eq!(c, "EINVAL", "{path:?}");
        }
    }
}

#[test]
fn over_long_names_and_paths_are_enametoolong() {
    let fs = sample();
    let long_name = format!("/{}", "n".repeat(256));
    let long_path = "/abc".repeat(1100);
    for path in [long_name.as_str(), long_path.as_str()] {
        for c in codes_for(&fs, p(path)) {
            assert_eq!(c, "ENAMETOOLONG");
        }
    }
    // Exactly at the limit is fine.
    let max_name = format!("/{}", "n".repeat(255));
    fs.write(p(&max_name), b"ok").unwrap();
    assert_eq!(fs.read(p(&max_name)).unwrap(), b"ok");
}

#[test]
fn doubled_and_trailing_slashes_and_dots() {
    let fs = sample();
    assert_eq!(fs.read(p("//d///f")).unwrap(), b"data");
    assert_eq!(fs.read(p("/d/./f")).unwrap(), b"data");
    assert_eq!(fs.read(p("/d/../d/f")).unwrap(), b"data");
    assert_eq!(fs.read(p("/../../d/f")).unwrap(), b"data");
    assert!(fs.metadata(p("/d/")).unwrap().is_dir());
    assert_eq!(code(fs.metadata(p("/d/f/"))), "ENOTDIR");
    assert_eq!(code(fs.read(p("/d/f/"))), "ENOTDIR");
    assert_eq!(code(fs.write(p("/d/new/"), b"x")), "EISDIR");
    assert_eq!(code(fs.read(p("/d/f/x"))), "ENOTDIR");
}

#[test]
fn unicode_spaces_and_specials_are_ordinary_names() {
    let fs = MemoryBackend::new();
    for name in [
        "/ünï cödé",
        "/with space",
        "/back\\slash",
        "/日本語",
        "/-dash",
        "/.hidden",
    ] {
        fs.write(p(name), name.as_bytes()).unwrap();
        assert_eq!(fs.read(p(name)).unwrap(), name.as_bytes());
    }
    assert_eq!(fs.read_dir(p("/")).unwrap().len(), 6);
    // Case-sensitive.
    fs.write(p("/Foo"), b"1").unwrap();
    assert!(!fs.exists(p("/foo")).unwrap());
}

#[test]
fn wrong_node_type_errors() {
    let fs = sample();
    assert_eq!(code(fs.read(p("/d"))), "EISDIR");
    assert_eq!(code(fs.write(p("/d"), b"x")), "EISDIR");
    assert_eq!(code(fs.append(p("/d"), b"x")), "EISDIR");
    assert_eq!(code(fs.read_range(p("/d"), 0, 1)), "EISDIR");
    assert_eq!(code(fs.read_dir(p("/d/f"))), "ENOTDIR");
    assert_eq!(code(fs.create_dir(p("/d/f/sub"))), "ENOTDIR");
    assert_eq!(code(fs.write(p("/d/f/sub"), b"")), "ENOTDIR");
    assert_eq!(code(fs.remove_dir(p("/d"))), "ENOTEMPTY");
    assert_eq!(code(fs.remove_file(p("/d"))), "EISDIR");
    assert_eq!(code(fs.hard_link(p("/d"), p("/x"))), "EISDIR");
    assert_eq!(code(fs.rename(p("/d"), p("/d/inside"))), "EINVAL");
    assert_eq!(code(fs.read_link(p("/d/f"))), "EINVAL");
}

#[test]
fn missing_things_are_enoent() {
    let fs = sample();
    assert_eq!(code(fs.read(p("/missing"))), "ENOENT");
    assert_eq!(code(fs.metadata(p("/missing/deeper"))), "ENOENT");
    assert_eq!(code(fs.write(p("/missing/f"), b"")), "ENOENT");
    assert_eq!(code(fs.remove_file(p("/missing"))), "ENOENT");
    assert_eq!(code(fs.read_dir(p("/missing"))), "ENOENT");
    assert_eq!(code(fs.get_xattr(p("/missing"), "user.x")), "ENOENT");
}
