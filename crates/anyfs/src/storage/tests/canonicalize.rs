//! The canonicalization family on FileStorage.

use std::path::Path;

use super::dumb::PathMap;
use crate::{CachingResolver, FileStorage, FsPath, IterativeResolver};

fn p(s: &str) -> &Path {
    Path::new(s)
}

fn storage() -> FileStorage<PathMap> {
    let fs = FileStorage::new(PathMap::new());
    fs.create_dir_all("/x/y").unwrap();
    fs.write("/x/y/z", "z").unwrap();
    fs.symlink("/x/y", "/link").unwrap();
    fs.symlink("/loop", "/loop").unwrap();
    fs.create_dir_all("/jail/in").unwrap();
    fs.symlink("/../../x", "/jail/abs").unwrap();
    fs.symlink("../../../x", "/jail/in/rel").unwrap();
    fs
}

#[test]
fn canonicalize_is_strict() {
    let fs = storage();
    assert_eq!(fs.canonicalize("/link/../y/./z").unwrap(), p("/x/y/z"));
    assert_eq!(fs.canonicalize("/link").unwrap(), p("/x/y"));
    assert_eq!(fs.canonicalize("/link/nope").unwrap_err().code(), "ENOENT");
    assert_eq!(fs.canonicalize("/loop").unwrap_err().code(), "ELOOP");
    assert_eq!(fs.canonicalize("").unwrap_err().code(), "EINVAL");
}

#[test]
fn soft_canonicalize_appends_the_missing_rest() {
    let fs = storage();
    assert_eq!(
        fs.soft_canonicalize("/link/new/file.txt").unwrap(),
        p("/x/y/new/file.txt")
    );
    assert_eq!(fs.soft_canonicalize("/link/new/../z").unwrap(), p("/x/y/z"));
    assert_eq!(
        fs.soft_canonicalize("/x/y/z/below").unwrap_err().code(),
        "ENOTDIR"
    );
}

#[test]
fn anchored_canonicalize_cannot_escape() {
    let fs = storage();
    for (input, want) in [
        ("/../../etc/passwd", "/jail/etc/passwd"),
        ("abs/y", "/jail/x/y"),
        ("/in/rel", "/jail/x"),
        ("in/rel/../..", "/jail"),
        ("in", "/jail/in"),
    ] {
        let got = fs.anchored_canonicalize(input, "/jail").unwrap();
        assert_eq!(got, p(want), "{input}");
        assert!(got.starts_with("/jail"), "{input}");
    }
    // The anchor may itself be reached through a symlink.
    assert_eq!(
        fs.anchored_canonicalize("../../..", "/link").unwrap(),
        p("/x/y")
    );
    assert_eq!(
        fs.anchored_canonicalize("a", "/x/y/z").unwrap_err().code(),
        "ENOTDIR"
    );
}

#[test]
fn canonicalize_bypasses_the_cache() {
    let fs = FileStorage::with_resolver(
        PathMap::new(),
        CachingResolver::new(IterativeResolver::new(), 16),
    );
    fs.create_dir_all("/x").unwrap();
    fs.create_dir_all("/y").unwrap();
    fs.symlink("/x", "/l").unwrap();
    assert_eq!(fs.canonicalize("/l").unwrap(), p("/x"));
    fs.backend().put("/l", super::dumb::Node::Link("/y".into()));
    assert_eq!(fs.canonicalize("/l").unwrap(), p("/y"));
}

#[test]
fn fs_path_trait_matches_the_inherent_methods() {
    fn via_trait(fs: &dyn FsPath) -> std::path::PathBuf {
        fs.anchored_canonicalize(p("abs"), p("/jail")).unwrap()
    }
    let fs = storage();
    assert_eq!(via_trait(&fs), p("/jail/x"));
}
