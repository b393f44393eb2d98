//! diff, commit and discard.

use std::path::PathBuf;

use anyfs_backend::{FsDir, FsPermissions, FsRead, FsWrite, Permissions};

use super::{overlay, p, tree};
use crate::middleware::overlay::{Change, Overlay};
use crate::MemoryBackend;

fn pb(s: &str) -> PathBuf {
    PathBuf::from(s)
}

/// A representative set of changes over the base.
fn changed() -> (
    Overlay<MemoryBackend, MemoryBackend>,
    MemoryBackend,
    MemoryBackend,
) {
    let (fs, b, u) = overlay();
    fs.write(p("/etc/conf"), b"new conf").unwrap(); // Modified
    fs.remove_file(p("/etc/hosts")).unwrap(); // Deleted
    fs.create_dir_all(p("/new/dir")).unwrap(); // Added (+ below)
    fs.write(p("/new/dir/f"), b"f").unwrap();
    fs.remove_dir_all(p("/src")).unwrap(); // Replaced
    fs.create_dir(p("/src")).unwrap();
    fs.write(p("/src/only.rs"), b"only").unwrap();
    fs.set_permissions(p("/docs"), Permissions::from_mode(0o750))
        .unwrap(); // Modified directory
    fs.remove_file(p("/dirlink")).unwrap(); // Deleted symlink
    (fs, b, u)
}

#[test]
fn diff_lists_every_kind_of_change_sorted() {
    let (fs, _, _) = changed();
    assert_eq!(
        fs.diff().unwrap(),
        vec![
            Change::Deleted(pb("/dirlink")),
            Change::Modified(pb("/docs")),
            Change::Modified(pb("/etc/conf")),
            Change::Deleted(pb("/etc/hosts")),
            Change::Added(pb("/new")),
            Change::Added(pb("/new/dir")),
            Change::Added(pb("/new/dir/f")),
            Change::Replaced(pb("/src")),
            Change::Added(pb("/src/only.rs")),
        ]
    );
    assert_eq!(Change::Added(pb("/x")).path(), p("/x"));
}

#[test]
fn diff_of_an_untouched_overlay_is_empty_even_after_reads() {
    let (fs, _, _) = overlay();
    fs.read(p("/etc/conf")).unwrap();
    fs.read_dir(p("/src")).unwrap();
    assert!(fs.diff().unwrap().is_empty());
    // A directory copied up only because something below it changed is not itself modified.
    fs.write(p("/src/lib/mod.rs"), b"changed").unwrap();
    assert_eq!(
        fs.diff().unwrap(),
        vec![Change::Modified(pb("/src/lib/mod.rs"))]
    );
}

#[test]
fn commit_onto_a_copy_of_the_base_reproduces_the_overlay() {
    let (fs, b, _) = changed();
    let target = b.snapshot();
    let applied = fs.commit(&target).unwrap();
    assert_eq!(applied, fs.diff().unwrap());
    assert_eq!(tree(&target), tree(&fs));
}

#[test]
fn commit_onto_the_base_then_discard_keeps_the_view() {
    let (fs, b, upper) = changed();
    let view = tree(&fs);
    fs.commit(fs.base()).unwrap();
    fs.discard().unwrap();
    assert!(upper.read_dir(p("/")).unwrap().is_empty());
    assert_eq!(tree(&fs), view);
    assert_eq!(tree(&b), view);
    assert!(fs.diff().unwrap().is_empty());
}

#[test]
fn discard_drops_every_change() {
    let (fs, b, upper) = changed();
    fs.discard().unwrap();
    assert_eq!(tree(&fs), tree(&b));
    assert!(upper.read_dir(p("/")).unwrap().is_empty());
    assert!(fs.diff().unwrap().is_empty());
}
