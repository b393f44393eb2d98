//! Unit tests of what is StdFsBackend's own: absolute symlink targets stored below the root,
//! `..` in caller paths resolved before the kernel sees them, and the documented lack of
//! containment.

use std::path::Path;

use anyfs_backend::{FsDir, FsLink, FsRead, FsWrite};

use super::StdFsBackend;

fn p(s: &str) -> &Path {
    Path::new(s)
}

#[test]
fn absolute_targets_are_stored_below_the_root_and_read_back_verbatim() {
    let dir = tempfile::tempdir().unwrap();
    let fs = StdFsBackend::new(dir.path()).unwrap();
    fs.write(p("/t"), b"x").unwrap();
    fs.symlink(p("/t"), p("/l")).unwrap();
    let host = std::fs::read_link(dir.path().join("l")).unwrap();
    assert_eq!(host, fs.root().join("t"));
    assert_eq!(fs.read_link(p("/l")).unwrap(), Path::new("/t"));
    assert_eq!(fs.symlink_metadata(p("/l")).unwrap().size, 2);
    fs.symlink(p("rel/x"), p("/r")).unwrap();
    assert_eq!(
        std::fs::read_link(dir.path().join("r")).unwrap(),
        Path::new("rel/x")
    );
}

#[test]
fn dotdot_in_caller_paths_stops_at_the_root() {
    let outer = tempfile::tempdir().unwrap();
    std::fs::write(outer.path().join("secret"), b"outside").unwrap();
    std::fs::create_dir(outer.path().join("root")).unwrap();
    let fs = StdFsBackend::new(outer.path().join("root")).unwrap();
    assert_eq!(fs.read(p("/../secret")).unwrap_err().code(), "ENOENT");
    fs.create_dir(p("/d")).unwrap();
    fs.write(p("/d/../../x"), b"in").unwrap();
    assert_eq!(fs.read(p("/x")).unwrap(), b"in");
    assert!(!outer.path().join("x").exists());
}

#[test]
fn symlinks_made_on_the_host_are_followed_out_of_the_root() {
    // Documented: StdFsBackend offers no containment.
    let outer = tempfile::tempdir().unwrap();
    std::fs::write(outer.path().join("secret"), b"outside").unwrap();
    std::fs::create_dir(outer.path().join("root")).unwrap();
    std::os::unix::fs::symlink("../secret", outer.path().join("root/escape")).unwrap();
    let fs = StdFsBackend::new(outer.path().join("root")).unwrap();
    assert_eq!(fs.read(p("/escape")).unwrap(), b"outside");
    assert_eq!(fs.read_dir(p("/")).unwrap().len(), 1);
}

#[test]
fn a_bad_root_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f");
    std::fs::write(&file, b"").unwrap();
    assert_eq!(StdFsBackend::new(&file).unwrap_err().code(), "ENOTDIR");
    assert_eq!(
        StdFsBackend::new(dir.path().join("missing"))
            .unwrap_err()
            .code(),
        "ENOENT"
    );
}
