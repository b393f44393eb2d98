//! The canonicalization family (FsPath defaults and LinkWalker) over a path-keyed store.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::link_fs::LinkFs;
use crate::path::{walk, FsPath, LinkWalker, WalkOptions};
use crate::{FileType, FsLink, FsRead};

fn sample() -> LinkFs {
    LinkFs::new()
        .dir("/x")
        .dir("/x/y")
        .file("/x/y/z")
        .link("/link", "/x/y")
        .link("/x/rel", "y/z")
        .link("/loop", "/loop")
        .dir("/jail")
        .dir("/jail/in")
        .link("/jail/out", "/../x")
}

fn p(s: &str) -> &Path {
    Path::new(s)
}

#[test]
fn canonicalize_resolves_everything_and_requires_existence() {
    let fs = sample();
    assert_eq!(fs.canonicalize(p("/link/../y/./z")).unwrap(), p("/x/y/z"));
    assert_eq!(fs.canonicalize(p("/x/rel")).unwrap(), p("/x/y/z"));
    assert_eq!(fs.canonicalize(p("/")).unwrap(), p("/"));
    assert_eq!(fs.canonicalize(p("/x/nope")).unwrap_err().code(), "ENOENT");
    assert_eq!(fs.canonicalize(p("/nope/z")).unwrap_err().code(), "ENOENT");
    assert_eq!(fs.canonicalize(p("/loop")).unwrap_err().code(), "ELOOP");
    assert_eq!(fs.canonicalize(p("relative")).unwrap_err().code(), "EINVAL");
    assert_eq!(
        fs.canonicalize(p("/x/y/z/w")).unwrap_err().code(),
        "ENOTDIR"
    );
}

#[test]
fn soft_canonicalize_appends_the_missing_rest() {
    let fs = sample();
    assert_eq!(
        fs.soft_canonicalize(p("/link/new/deeper")).unwrap(),
        p("/x/y/new/deeper")
    );
    assert_eq!(
        fs.soft_canonicalize(p("/link/a/../b")).unwrap(),
        p("/x/y/b")
    );
    assert_eq!(fs.soft_canonicalize(p("/link")).unwrap(), p("/x/y"));
    assert_eq!(
        fs.soft_canonicalize(p("/loop/a")).unwrap_err().code(),
        "ELOOP"
    );
}

#[test]
fn anchored_canonicalize_stays_inside() {
    let fs = sample();
    let jail = p("/jail");
    for (input, want) in [
        ("../../x/y/z", "/jail/x/y/z"),
        ("/out/y", "/jail/x/y"),
        ("out", "/jail/x"),
        ("in/../..", "/jail"),
        ("/in", "/jail/in"),
    ] {
        let got = fs.anchored_canonicalize(p(input), jail).unwrap();
        assert_eq!(got, p(want), "{input}");
        assert!(got.starts_with(jail));
    }
    assert_eq!(
        fs.anchored_canonicalize(p("a"), p("/nope"))
            .unwrap_err()
            .code(),
        "ENOENT"
    );
}

#[test]
fn pointers_forward_fs_path() {
    let fs = Arc::new(sample());
    assert_eq!(fs.canonicalize(p("/link")).unwrap(), p("/x/y"));
    let boxed: Box<dyn FsPath> = Box::new(sample());
    assert_eq!(boxed.soft_canonicalize(p("/link/q")).unwrap(), p("/x/y/q"));
    fn generic<T: FsPath>(fs: T) -> PathBuf {
        fs.anchored_canonicalize(p("/../y"), p("/x")).unwrap()
    }
    let local = sample();
    assert_eq!(generic(&local), p("/x/y"));
    assert_eq!(generic(boxed), p("/x/y"));
}

#[test]
fn link_walker_records_every_lookup() {
    let fs = sample();
    let walker = LinkWalker::new(&fs, Some(&fs)).recording();
    let options = WalkOptions {
        follow_final: true,
        ..WalkOptions::default()
    };
    let walked = walk(&walker, p("/link/z"), &options, "t").unwrap();
    assert_eq!(walked.node, Some((PathBuf::from("/x/y/z"), FileType::File)));
    let visited = walker.into_visited().unwrap();
    let want: Vec<PathBuf> = ["/link", "/x", "/x/y", "/x/y/z"]
        .iter()
        .map(PathBuf::from)
        .collect();
    assert_eq!(visited, want);
}

#[test]
fn link_walker_without_links_uses_metadata() {
    let fs = LinkFs::new().dir("/a").file("/a/f");
    let walker = LinkWalker::new(&fs as &dyn FsRead, None::<&dyn FsLink>);
    let options = WalkOptions::default();
    assert_eq!(
        walk(&walker, p("/a/../a/f"), &options, "t").unwrap().path,
        p("/a/f")
    );
    assert_eq!(
        walk(&walker, p("/a/f/x"), &options, "t")
            .unwrap_err()
            .code(),
        "ENOTDIR"
    );
    assert_eq!(
        walk(&walker, p("/b/x"), &options, "t").unwrap_err().code(),
        "ENOENT"
    );
}
