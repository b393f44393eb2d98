//! One test per walk rule.

use std::path::Path;

use super::graph::{soft, Graph};
use crate::path::{WalkOptions, MAX_SYMLINKS};
use crate::FileType;

fn sample() -> Graph {
    Graph::new()
        .dir("/a")
        .dir("/a/b")
        .file("/a/b/f")
        .dir("/x")
        .dir("/x/y")
        .file("/x/y/z")
        .link("/link", "/x/y")
        .link("/a/rel", "../x/y")
        .link("/a/dangling", "/x/nope")
        .link("/a/deep", "/missing/dir/file")
        .link("/tofile", "/a/b/f")
        .link("/root", "/")
        .link("/empty", "")
}

#[test]
fn root_is_its_own_canonical_path() {
    let g = sample();
    let w = g.follow("/").unwrap();
    assert_eq!(w.path, Path::new("/"));
    assert_eq!(w.node, Some((0, FileType::Directory)));
    assert!(w.parent.is_none());
}

#[test]
fn plain_file_has_node_and_parent() {
    let g = sample();
    let w = g.follow("/a/b/f").unwrap();
    assert_eq!(w.path, Path::new("/a/b/f"));
    assert_eq!(w.node, Some((g.id("/a/b/f"), FileType::File)));
    assert_eq!(w.parent, Some((g.id("/a/b"), "f".to_string())));
}

#[test]
fn dot_is_skipped_and_double_slashes_collapse() {
    let g = sample();
    let w = g.follow("//a/./b//f").unwrap();
    assert_eq!(w.path, Path::new("/a/b/f"));
    assert_eq!(w.node.unwrap().0, g.id("/a/b/f"));
}

#[test]
fn dotdot_never_goes_above_root() {
    let g = sample();
    assert_eq!(g.follow("/..").unwrap().path, Path::new("/"));
    assert_eq!(g.follow("/../../a/../..").unwrap().path, Path::new("/"));
    let w = g.follow("/../../a/b").unwrap();
    assert_eq!(w.path, Path::new("/a/b"));
    assert_eq!(w.node.unwrap().0, g.id("/a/b"));
}

#[test]
fn dotdot_after_symlink_leaves_the_target_not_the_link() {
    let g = sample();
    let w = g.follow("/link/..").unwrap();
    assert_eq!(w.path, Path::new("/x"));
    assert_eq!(w.node, Some((g.id("/x"), FileType::Directory)));
    assert_eq!(w.parent, Some((0, "x".to_string())));
    // Lexical resolution would have said `/` here.
    let w = g.follow("/link/../y/z").unwrap();
    assert_eq!(w.path, Path::new("/x/y/z"));
}

#[test]
fn relative_target_resolves_from_the_symlinks_directory() {
    let g = sample();
    let w = g.follow("/a/rel/z").unwrap();
    assert_eq!(w.path, Path::new("/x/y/z"));
    assert_eq!(w.node.unwrap().0, g.id("/x/y/z"));
}

#[test]
fn intermediate_symlinks_are_always_followed() {
    let g = sample();
    let w = g.nofollow("/link/z").unwrap();
    assert_eq!(w.path, Path::new("/x/y/z"));
    assert_eq!(w.parent, Some((g.id("/x/y"), "z".to_string())));
}

#[test]
fn final_symlink_followed_only_when_asked() {
    let g = sample();
    let w = g.nofollow("/link").unwrap();
    assert_eq!(w.path, Path::new("/link"));
    assert_eq!(w.node, Some((g.id("/link"), FileType::Symlink)));
    assert_eq!(w.parent, Some((0, "link".to_string())));

    let w = g.follow("/link").unwrap();
    assert_eq!(w.path, Path::new("/x/y"));
    assert_eq!(w.node, Some((g.id("/x/y"), FileType::Directory)));
    assert_eq!(w.parent, Some((g.id("/x"), "y".to_string())));
}

#[test]
fn symlink_to_root_and_chains() {
    let g = sample()
        .link("/c1", "/c2")
        .link("/c2", "c3")
        .link("/c3", "/a/rel");
    assert_eq!(g.follow("/root").unwrap().path, Path::new("/"));
    assert_eq!(g.follow("/root/a/b/f").unwrap().path, Path::new("/a/b/f"));
    let w = g.follow("/c1/z").unwrap();
    assert_eq!(w.path, Path::new("/x/y/z"));
    assert_eq!(w.node.unwrap().0, g.id("/x/y/z"));
}

#[test]
fn symlink_loops_fail_with_eloop() {
    let g = sample()
        .link("/self", "/self")
        .link("/p", "q")
        .link("/q", "/p/x");
    for path in ["/self", "/self/x", "/p", "/q/y"] {
        let err = g.follow(path).unwrap_err();
        assert_eq!(err.code(), "ELOOP", "{path}");
        assert_eq!(err.path().as_deref(), Some(path));
    }
    // Not following the final symlink never expands it, so no loop.
    assert_eq!(
        g.nofollow("/self").unwrap().node.unwrap().1,
        FileType::Symlink
    );
}

#[test]
fn symlink_budget_is_exact() {
    // /l0 -> /l1 -> ... -> /l40 -> /a : 41 expansions for /l0, 40 for /l1.
    let mut g = sample();
    for i in 0..=MAX_SYMLINKS {
        let target = if i == MAX_SYMLINKS {
            "/a".to_string()
        } else {
            format!("/l{}", i + 1)
        };
        g = g.link(&format!("/l{i}"), &target);
    }
    assert_eq!(g.follow("/l1").unwrap().path, Path::new("/a"));
    assert_eq!(g.follow("/l0").unwrap_err().code(), "ELOOP");

    let small = WalkOptions {
        follow_final: true,
        max_symlinks: 2,
        ..WalkOptions::default()
    };
    let at = |n: u32| format!("/l{}", MAX_SYMLINKS + 1 - n);
    assert_eq!(g.walk(&at(2), &small).unwrap().path, Path::new("/a"));
    assert_eq!(g.walk(&at(3), &small).unwrap_err().code(), "ELOOP");
}

#[test]
fn intermediate_non_directory_is_enotdir() {
    let g = sample();
    for path in ["/a/b/f/x", "/a/b/f/..", "/a/b/f/.", "/tofile/x"] {
        let err = g.follow(path).unwrap_err();
        assert_eq!(err.code(), "ENOTDIR", "{path}");
        assert_eq!(
            g.walk(path, &soft()).unwrap_err().code(),
            "ENOTDIR",
            "{path}"
        );
    }
}

#[test]
fn missing_intermediate_is_enoent() {
    let g = sample();
    for path in [
        "/nope/x",
        "/a/nope/b",
        "/a/nope/..",
        "/a/deep",
        "/a/dangling/x",
    ] {
        let err = g.follow(path).unwrap_err();
        assert_eq!(err.code(), "ENOENT", "{path}");
        assert_eq!(err.path().as_deref(), Some(path));
    }
}

#[test]
fn missing_final_returns_the_parent_to_create_in() {
    let g = sample();
    let w = g.nofollow("/a/b/new").unwrap();
    assert_eq!(w.path, Path::new("/a/b/new"));
    assert!(w.node.is_none());
    assert_eq!(w.parent, Some((g.id("/a/b"), "new".to_string())));

    // Through a symlinked directory, the parent is the real directory.
    let w = g.nofollow("/link/new").unwrap();
    assert_eq!(w.path, Path::new("/x/y/new"));
    assert_eq!(w.parent, Some((g.id("/x/y"), "new".to_string())));
}

#[test]
fn dangling_final_symlink_resolves_to_its_would_be_target() {
    let g = sample();
    let w = g.follow("/a/dangling").unwrap();
    assert_eq!(w.path, Path::new("/x/nope"));
    assert!(w.node.is_none());
    assert_eq!(w.parent, Some((g.id("/x"), "nope".to_string())));
}

#[test]
fn empty_symlink_target_is_enoent() {
    let g = sample();
    assert_eq!(g.follow("/empty").unwrap_err().code(), "ENOENT");
    assert_eq!(g.follow("/empty/x").unwrap_err().code(), "ENOENT");
}

#[test]
fn soft_mode_appends_the_missing_rest() {
    let g = sample();
    let w = g.walk("/link/m1/m2/./f", &soft()).unwrap();
    assert_eq!(w.path, Path::new("/x/y/m1/m2/f"));
    assert!(w.node.is_none());
    assert!(w.parent.is_none());

    // `..` in the remainder removes appended names ...
    let w = g.walk("/a/m1/m2/../f", &soft()).unwrap();
    assert_eq!(w.path, Path::new("/a/m1/f"));
    // ... and when it climbs back into existing directories, real lookups resume.
    let w = g.walk("/a/m1/../b/f", &soft()).unwrap();
    assert_eq!(w.path, Path::new("/a/b/f"));
    assert_eq!(w.node.unwrap().0, g.id("/a/b/f"));
    let w = g.walk("/a/m1/../../link/..", &soft()).unwrap();
    assert_eq!(w.path, Path::new("/x"));

    // A dangling symlink in the middle is resolved as far as it exists.
    let w = g.walk("/a/deep/more", &soft()).unwrap();
    assert_eq!(w.path, Path::new("/missing/dir/file/more"));
}

#[test]
fn trailing_slash_follows_and_requires_a_directory() {
    let g = sample();
    let w = g.nofollow("/link/").unwrap();
    assert_eq!(w.path, Path::new("/x/y"));
    assert_eq!(w.node.unwrap().1, FileType::Directory);

    assert_eq!(g.follow("/a/b/f/").unwrap_err().code(), "ENOTDIR");
    assert_eq!(g.nofollow("/tofile/").unwrap_err().code(), "ENOTDIR");

    let w = g.nofollow("/a/new/").unwrap();
    assert_eq!(w.path, Path::new("/a/new"));
    assert!(w.node.is_none());
    assert_eq!(w.parent, Some((g.id("/a"), "new".to_string())));
}

#[test]
fn symlink_followed_as_a_directory_by_trailing_dot() {
    let g = sample();
    // `/link/.` makes `link` an intermediate component, so it is followed.
    let w = g.nofollow("/link/.").unwrap();
    assert_eq!(w.path, Path::new("/x/y"));
    assert_eq!(g.nofollow("/tofile/.").unwrap_err().code(), "ENOTDIR");
}

#[test]
fn anchored_walk_cannot_leave_the_anchor() {
    let g = sample()
        .dir("/jail")
        .dir("/jail/in")
        .file("/jail/in/f")
        .link("/jail/abs", "/in")
        .link("/jail/up", "../../../x")
        .link("/jail/in/escape", "/../../x/y");
    let anchor = WalkOptions {
        follow_final: true,
        soft: true,
        anchor: Some(Path::new("/jail")),
        max_symlinks: 0,
    };
    let cases = [
        ("/in/f", "/jail/in/f"),
        ("in/f", "/jail/in/f"),
        ("../../../x", "/jail/x"),
        ("/..", "/jail"),
        ("abs/f", "/jail/in/f"),
        ("up", "/jail/x"),
        ("/in/escape", "/jail/x/y"),
        ("in/../../../in/f", "/jail/in/f"),
    ];
    for (path, want) in cases {
        let w = g.walk(path, &anchor).unwrap();
        assert_eq!(w.path, Path::new(want), "{path}");
    }
    assert_eq!(
        g.walk("abs/f", &anchor).unwrap().node.unwrap().0,
        g.id("/jail/in/f")
    );
    // The anchor itself may be reached through a symlink; results use its real path.
    let via_link = WalkOptions {
        anchor: Some(Path::new("/link")),
        ..anchor.clone()
    };
    assert_eq!(
        g.walk("../../z", &via_link).unwrap().path,
        Path::new("/x/y/z")
    );
}

#[test]
fn anchor_must_be_an_existing_directory() {
    let g = sample();
    let with = |anchor: &'static str| WalkOptions {
        follow_final: true,
        soft: true,
        anchor: Some(Path::new(anchor)),
        max_symlinks: 0,
    };
    assert_eq!(g.walk("/x", &with("/nope")).unwrap_err().code(), "ENOENT");
    assert_eq!(g.walk("/x", &with("/a/b/f")).unwrap_err().code(), "ENOTDIR");
    assert_eq!(
        g.walk("/x", &with("relative")).unwrap_err().code(),
        "EINVAL"
    );
}

#[test]
fn invalid_paths_are_rejected_before_any_lookup() {
    let g = sample();
    let long_name = format!("/{}", "n".repeat(256));
    let long_path = "/abc".repeat(1024);
    let cases = [
        ("", "EINVAL"),
        ("a/b", "EINVAL"),
        ("/a\0b", "EINVAL"),
        (long_name.as_str(), "ENAMETOOLONG"),
        (long_path.as_str(), "ENAMETOOLONG"),
    ];
    for (path, code) in cases {
        assert_eq!(g.follow(path).unwrap_err().code(), code, "{path:?}");
    }
    assert_eq!(g.lookups.get(), 0);
}

#[test]
fn ordinary_names_include_backslash_space_and_unicode() {
    let g = Graph::new().dir("/sp ace").file("/sp ace/ü\\名 .txt");
    let w = g.follow("/sp ace/ü\\名 .txt").unwrap();
    assert_eq!(w.node.unwrap().1, FileType::File);
}

#[test]
fn lookups_are_linear_in_components_plus_expansions() {
    let g = sample();
    g.lookups.set(0);
    g.follow("/a/b/f").unwrap();
    assert_eq!(g.lookups.get(), 3);
    g.lookups.set(0);
    // link (1) + its target x, y (2) + z (1)
    g.follow("/link/z").unwrap();
    assert_eq!(g.lookups.get(), 4);
    g.lookups.set(0);
    // `..` and `.` cost no lookups.
    g.follow("/a/../a/./b").unwrap();
    assert_eq!(g.lookups.get(), 3);
}

#[test]
fn deep_paths_do_not_recurse() {
    // 800 `a/..` pairs near the length limit: just iterations of one loop.
    let path = format!("/{}a", "a/../".repeat(800));
    let g = sample();
    assert_eq!(g.follow(&path).unwrap().path, Path::new("/a"));
}
