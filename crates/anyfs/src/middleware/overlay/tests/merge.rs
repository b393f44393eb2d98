//! Lookup and listing across the layers, whiteouts, opaque directories, reserved names.

use anyfs_backend::{FsDir, FsLink, FsRead, FsWrite, LayerExt};

use super::{base, names, overlay, p, tree};
use crate::middleware::overlay::{Overlay, OverlayLayer};
use crate::MemoryBackend;

#[test]
fn reads_see_upper_then_base() {
    let (fs, _, upper) = overlay();
    assert_eq!(fs.read(p("/etc/conf")).unwrap(), b"base conf");
    assert_eq!(fs.read(p("/link")).unwrap(), b"base conf");
    assert_eq!(fs.read(p("/dirlink/lib/mod.rs")).unwrap(), b"mod");
    assert_eq!(fs.read(p("/dirlink/../etc/hosts")).unwrap(), b"base hosts");
    upper.create_dir(p("/etc")).unwrap();
    upper.write(p("/etc/conf"), b"upper conf").unwrap();
    assert_eq!(fs.read(p("/etc/conf")).unwrap(), b"upper conf");
    assert_eq!(fs.read(p("/link")).unwrap(), b"upper conf");
    assert_eq!(fs.read(p("/etc/hosts")).unwrap(), b"base hosts");
    assert_eq!(fs.read(p("/nope")).unwrap_err().code(), "ENOENT");
    assert_eq!(fs.read(p("/etc")).unwrap_err().code(), "EISDIR");
    assert_eq!(fs.read_dir(p("/etc/conf")).unwrap_err().code(), "ENOTDIR");
}

#[test]
fn listings_merge_sorted_and_hide_whiteouts_and_reserved_names() {
    let b = base();
    b.write(p("/etc/.wh.sneaky"), b"").unwrap();
    let fs = Overlay::new(b, MemoryBackend::new());
    assert_eq!(
        names(&fs, "/"),
        vec!["dirlink", "docs", "etc", "link", "src"]
    );
    fs.write(p("/etc/added"), b"a").unwrap();
    fs.remove_file(p("/etc/hosts")).unwrap();
    assert_eq!(names(&fs, "/etc"), vec!["added", "conf"]);
    fs.write(p("/etc/hosts"), b"again").unwrap();
    assert_eq!(names(&fs, "/etc"), vec!["added", "conf", "hosts"]);
    assert_eq!(fs.read(p("/etc/hosts")).unwrap(), b"again");
    // Each listing entry's type is the one that shows.
    fs.remove_file(p("/link")).unwrap();
    fs.create_dir(p("/link")).unwrap();
    let link = fs
        .read_dir(p("/"))
        .unwrap()
        .into_iter()
        .find(|e| e.name == "link")
        .unwrap();
    assert_eq!(link.file_type, anyfs_backend::FileType::Directory);
}

#[test]
fn deleting_base_entries_leaves_the_base_untouched() {
    let (fs, b, _) = overlay();
    let before = tree(&b);
    fs.remove_file(p("/etc/conf")).unwrap();
    fs.remove_dir_all(p("/src")).unwrap();
    fs.remove_dir(p("/docs")).unwrap();
    fs.remove_file(p("/dirlink")).unwrap();
    assert_eq!(names(&fs, "/"), vec!["etc", "link"]);
    assert_eq!(fs.read(p("/etc/conf")).unwrap_err().code(), "ENOENT");
    assert_eq!(fs.read(p("/link")).unwrap_err().code(), "ENOENT");
    assert_eq!(fs.read_link(p("/link")).unwrap(), p("/etc/conf"));
    assert!(!fs.exists(p("/src/main.rs")).unwrap());
    assert_eq!(fs.write(p("/src/new"), b"x").unwrap_err().code(), "ENOENT");
    assert_eq!(tree(&b), before);
}

#[test]
fn remove_dir_all_of_a_large_base_tree_is_one_whiteout() {
    let b = MemoryBackend::new();
    for d in 0..20 {
        let dir = format!("/big/d{d}");
        b.create_dir_all(p(&dir)).unwrap();
        for f in 0..50 {
            b.write(p(&format!("{dir}/f{f}")), b"x").unwrap();
        }
    }
    let upper = MemoryBackend::new();
    let fs = Overlay::new(b, upper.clone());
    fs.remove_dir_all(p("/big")).unwrap();
    assert!(!fs.exists(p("/big")).unwrap());
    // The upper layer holds exactly one entry: the whiteout of /big.
    assert_eq!(names(&upper, "/"), vec![".wh.big"]);
    assert_eq!(tree(&upper).len(), 1);
}

#[test]
fn a_directory_created_over_a_deleted_one_is_opaque() {
    let (fs, _, _) = overlay();
    fs.remove_dir_all(p("/src")).unwrap();
    fs.create_dir(p("/src")).unwrap();
    assert!(names(&fs, "/src").is_empty());
    assert_eq!(fs.read(p("/src/main.rs")).unwrap_err().code(), "ENOENT");
    fs.write(p("/src/new.rs"), b"new").unwrap();
    assert_eq!(names(&fs, "/src"), vec!["new.rs"]);
    // Through create_dir_all too, below a deleted directory.
    fs.remove_dir_all(p("/etc")).unwrap();
    fs.create_dir_all(p("/etc/x")).unwrap();
    assert_eq!(names(&fs, "/etc"), vec!["x"]);
}

#[test]
fn reserved_names_are_refused() {
    let (fs, _, _) = overlay();
    for path in ["/.wh.x", "/etc/.wh..wh..opq", "/.wh.etc/conf"] {
        assert_eq!(
            fs.write(p(path), b"").unwrap_err().code(),
            "EINVAL",
            "{path}"
        );
        assert_eq!(fs.read(p(path)).unwrap_err().code(), "EINVAL", "{path}");
        assert_eq!(
            fs.create_dir(p(path)).unwrap_err().code(),
            "EINVAL",
            "{path}"
        );
        assert_eq!(fs.metadata(p(path)).unwrap_err().code(), "EINVAL", "{path}");
    }
    assert_eq!(
        fs.rename(p("/etc/conf"), p("/etc/.wh.hosts"))
            .unwrap_err()
            .code(),
        "EINVAL"
    );
    assert_eq!(
        fs.symlink(p("/x"), p("/.wh.l")).unwrap_err().code(),
        "EINVAL"
    );
    // A symlink whose target walks into a reserved name cannot reach it either.
    fs.symlink(p("/.wh.etc"), p("/sneak")).unwrap();
    assert_eq!(fs.read(p("/sneak")).unwrap_err().code(), "EINVAL");
    assert_eq!(fs.read(p("/etc/conf")).unwrap(), b"base conf");
}

#[test]
fn errors_follow_posix_across_layers() {
    let (fs, _, _) = overlay();
    assert_eq!(fs.create_dir(p("/etc")).unwrap_err().code(), "EEXIST");
    assert_eq!(fs.remove_dir(p("/etc")).unwrap_err().code(), "ENOTEMPTY");
    assert_eq!(fs.remove_dir(p("/etc/conf")).unwrap_err().code(), "ENOTDIR");
    assert_eq!(fs.remove_file(p("/etc")).unwrap_err().code(), "EISDIR");
    assert_eq!(fs.remove_dir_all(p("/")).unwrap_err().code(), "EBUSY");
    assert_eq!(
        fs.rename(p("/src"), p("/src/lib/inside"))
            .unwrap_err()
            .code(),
        "EINVAL"
    );
    assert_eq!(
        fs.rename(p("/etc/conf"), p("/src")).unwrap_err().code(),
        "EISDIR"
    );
    assert_eq!(
        fs.rename(p("/src"), p("/etc")).unwrap_err().code(),
        "ENOTEMPTY"
    );
    assert_eq!(fs.symlink(p("/x"), p("/etc")).unwrap_err().code(), "EEXIST");
    assert_eq!(
        fs.hard_link(p("/src"), p("/h")).unwrap_err().code(),
        "EISDIR"
    );
    // An empty merged directory really is empty once its base entries are deleted.
    fs.remove_file(p("/etc/conf")).unwrap();
    fs.remove_file(p("/etc/hosts")).unwrap();
    fs.remove_dir(p("/etc")).unwrap();
    assert!(!fs.exists(p("/etc")).unwrap());
}

#[test]
fn the_upper_layer_persists_whiteouts_and_markers() {
    let (fs, b, upper) = overlay();
    fs.remove_file(p("/etc/hosts")).unwrap();
    fs.remove_dir_all(p("/src")).unwrap();
    fs.create_dir(p("/src")).unwrap();
    fs.write(p("/src/only"), b"o").unwrap();
    fs.append(p("/etc/conf"), b"+").unwrap();
    let view = tree(&fs);
    drop(fs);
    // A new overlay over the same two stores sees the same tree.
    let reopened = Overlay::new(b, upper);
    assert_eq!(tree(&reopened), view);
    assert_eq!(names(&reopened, "/src"), vec!["only"]);
}

#[test]
fn long_names_get_hashed_whiteouts() {
    let b = MemoryBackend::new();
    let long = "n".repeat(255);
    let other = format!("{}m", "n".repeat(254));
    b.write(p(&format!("/{long}")), b"1").unwrap();
    b.write(p(&format!("/{other}")), b"2").unwrap();
    let upper = MemoryBackend::new();
    let fs = Overlay::new(b.clone(), upper.clone());
    fs.remove_file(p(&format!("/{long}"))).unwrap();
    assert_eq!(names(&fs, "/"), vec![other.clone()]);
    let stored = names(&upper, "/");
    assert_eq!(stored.len(), 1);
    assert!(
        stored[0].starts_with(".wh.#") && stored[0].len() == 21,
        "{stored:?}"
    );
    let reopened = Overlay::new(b, upper);
    assert_eq!(names(&reopened, "/"), vec![other]);
    reopened.write(p(&format!("/{long}")), b"back").unwrap();
    assert_eq!(reopened.read(p(&format!("/{long}"))).unwrap(), b"back");
    assert_eq!(names(&reopened, "/").len(), 2);
}

#[test]
fn layer_and_accessors() {
    let b = base();
    let fs = b
        .clone()
        .layer(OverlayLayer::builder().upper(MemoryBackend::new()).build());
    fs.write(p("/etc/conf"), b"new").unwrap();
    assert_eq!(fs.get_ref().read(p("/etc/conf")).unwrap(), b"base conf");
    assert_eq!(fs.base().read(p("/etc/conf")).unwrap(), b"base conf");
    assert_eq!(fs.upper().read(p("/etc/conf")).unwrap(), b"new");
    let fs2 = b.layer(OverlayLayer::new(MemoryBackend::new()));
    assert_eq!(fs2.read(p("/etc/conf")).unwrap(), b"base conf");
    let (_base, upper) = fs.into_inner();
    assert!(upper.exists(p("/etc/conf")).unwrap());
}
