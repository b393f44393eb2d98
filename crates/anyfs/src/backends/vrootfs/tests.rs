//! Unit tests of what is VRootFsBackend's own: construction. Containment is tested by the
//! escape corpus and the race test in `tests/vrootfs_escape.rs`.

use std::path::Path;

use anyfs_backend::{FsRead, FsWrite};

use super::VRootFsBackend;

#[test]
fn a_bad_root_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f");
    std::fs::write(&file, b"").unwrap();
    assert_eq!(VRootFsBackend::new(&file).unwrap_err().code(), "ENOTDIR");
    assert_eq!(
        VRootFsBackend::new(dir.path().join("missing"))
            .unwrap_err()
            .code(),
        "ENOENT"
    );
}

#[test]
fn from_a_strict_path_virtual_root() {
    let dir = tempfile::tempdir().unwrap();
    let vroot = strict_path::VirtualRoot::try_new(dir.path()).unwrap();
    let fs = VRootFsBackend::from_virtual_root(vroot).unwrap();
    fs.write(Path::new("/a"), b"x").unwrap();
    assert_eq!(std::fs::read(dir.path().join("a")).unwrap(), b"x");
    assert_eq!(fs.read(Path::new("/../a")).unwrap(), b"x");
    assert_eq!(fs.virtual_root().interop_path(), fs.root().as_os_str());
}
