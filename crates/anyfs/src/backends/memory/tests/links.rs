//! Symlinks, hard links and link counts.

use anyfs_backend::{FileType, FsDir, FsLink, FsRead, FsWrite};

use super::{code, p, sample, MemoryBackend};

#[test]
fn directory_nlink_is_two_plus_subdirectories() {
    let fs = MemoryBackend::new();
    assert_eq!(fs.metadata(p("/")).unwrap().nlink, 2);
    fs.create_dir(p("/a")).unwrap();
    fs.create_dir(p("/a/b")).unwrap();
    fs.create_dir(p("/a/c")).unwrap();
    fs.write(p("/a/file"), b"").unwrap();
    fs.symlink(p("/a"), p("/a/link")).unwrap();
    assert_eq!(fs.metadata(p("/a")).unwrap().nlink, 4);
    assert_eq!(fs.metadata(p("/")).unwrap().nlink, 3);
    fs.remove_dir(p("/a/b")).unwrap();
    assert_eq!(fs.metadata(p("/a")).unwrap().nlink, 3);
    fs.rename(p("/a/c"), p("/c")).unwrap();
    assert_eq!(fs.metadata(p("/a")).unwrap().nlink, 2);
    assert_eq!(fs.metadata(p("/")).unwrap().nlink, 4);
}

#[test]
fn file_nlink_counts_names() {
    let fs = sample();
    let m = fs.metadata(p("/d/f")).unwrap();
    assert_eq!(m.nlink, 1);
    fs.hard_link(p("/d/f"), p("/h1")).unwrap();
    fs.hard_link(p("/h1"), p("/d/h2")).unwrap();
    let h = fs.metadata(p("/d/h2")).unwrap();
    assert_eq!(h.nlink, 3);
    assert_eq!(h.inode, m.inode);
    // Shared content.
    fs.write(p("/h1"), b"shared").unwrap();
    assert_eq!(fs.read(p("/d/f")).unwrap(), b"shared");
    fs.remove_file(p("/d/f")).unwrap();
    assert_eq!(fs.metadata(p("/h1")).unwrap().nlink, 2);
    fs.remove_file(p("/h1")).unwrap();
    assert_eq!(fs.read(p("/d/h2")).unwrap(), b"shared");
    assert_eq!(fs.metadata(p("/d/h2")).unwrap().nlink, 1);
}

#[test]
fn symlink_is_stored_as_data() {
    let fs = sample();
    fs.symlink(p("relative/target"), p("/rel")).unwrap();
    assert_eq!(
        fs.read_link(p("/rel")).unwrap(),
        p("relative/target").to_path_buf()
    );
    let m = fs.symlink_metadata(p("/rel")).unwrap();
    assert_eq!(m.file_type, FileType::Symlink);
    assert_eq!(m.size, "relative/target".len() as u64);
    assert_eq!(m.permissions.mode(), 0o777);
    assert_eq!(m.nlink, 1);
    // metadata follows, symlink_metadata does not.
    assert!(fs.metadata(p("/l")).unwrap().is_file());
    assert!(fs.symlink_metadata(p("/l")).unwrap().is_symlink());
    assert_eq!(code(fs.metadata(p("/rel"))), "ENOENT");
}

#[test]
fn relative_symlinks_resolve_from_their_directory() {
    let fs = sample();
    fs.symlink(p("f"), p("/d/rel")).unwrap();
    assert_eq!(fs.read(p("/d/rel")).unwrap(), b"data");
    fs.symlink(p("../d/f"), p("/d/up")).unwrap();
    assert_eq!(fs.read(p("/d/up")).unwrap(), b"data");
}

#[test]
fn symlink_loops_are_eloop() {
    let fs = MemoryBackend::new();
    fs.symlink(p("/b"), p("/a")).unwrap();
    fs.symlink(p("/a"), p("/b")).unwrap();
    assert_eq!(code(fs.read(p("/a"))), "ELOOP");
    assert_eq!(code(fs.metadata(p("/a/x"))), "ELOOP");
    assert!(fs.symlink_metadata(p("/a")).unwrap().is_symlink());
}

#[test]
fn symlink_errors() {
    let fs = sample();
    assert_eq!(code(fs.symlink(p("/x"), p("/l"))), "EEXIST");
    assert_eq!(code(fs.symlink(p("/x"), p("/d"))), "EEXIST");
    assert_eq!(code(fs.symlink(p(""), p("/e"))), "ENOENT");
    assert_eq!(code(fs.symlink(p("/x"), p("/new/"))), "ENOENT");
    assert_eq!(code(fs.symlink(p("/x"), p("/missing/e"))), "ENOENT");
    assert_eq!(code(fs.symlink(p("/x"), p("rel"))), "EINVAL");
}

#[test]
fn hard_link_errors() {
    let fs = sample();
    assert_eq!(code(fs.hard_link(p("/d"), p("/d2"))), "EISDIR");
    assert_eq!(code(fs.hard_link(p("/missing"), p("/x"))), "ENOENT");
    assert_eq!(code(fs.hard_link(p("/d/f"), p("/l"))), "EEXIST");
    assert_eq!(code(fs.hard_link(p("/d/f"), p("/nope/x"))), "ENOENT");
    assert_eq!(code(fs.hard_link(p("/d/f/"), p("/x"))), "ENOTDIR");
}

#[test]
fn hard_link_of_a_symlink_links_the_symlink_itself() {
    let fs = sample();
    fs.hard_link(p("/l"), p("/l2")).unwrap();
    let m = fs.symlink_metadata(p("/l2")).unwrap();
    assert!(m.is_symlink());
    assert_eq!(m.nlink, 2);
    assert_eq!(fs.metadata(p("/d/f")).unwrap().nlink, 1);
}

#[test]
fn read_link_on_a_non_symlink_is_einval() {
    let fs = sample();
    assert_eq!(code(fs.read_link(p("/d/f"))), "EINVAL");
    assert_eq!(code(fs.read_link(p("/d"))), "EINVAL");
    assert_eq!(code(fs.read_link(p("/missing"))), "ENOENT");
}

#[test]
fn remove_file_removes_symlinks_not_targets() {
    let fs = sample();
    fs.remove_file(p("/l")).unwrap();
    assert_eq!(fs.read(p("/d/f")).unwrap(), b"data");
    assert_eq!(code(fs.remove_file(p("/d"))), "EISDIR");
    assert_eq!(code(fs.remove_file(p("/"))), "EISDIR");
    assert_eq!(code(fs.remove_file(p("/l"))), "ENOENT");
    assert_eq!(code(fs.remove_file(p("/d/f/"))), "ENOTDIR");
}

#[test]
fn dotdot_after_a_symlink_leaves_its_target() {
    let fs = MemoryBackend::new();
    fs.create_dir_all(p("/x/y")).unwrap();
    fs.write(p("/x/marker"), b"x").unwrap();
    fs.symlink(p("/x/y"), p("/link")).unwrap();
    assert_eq!(fs.read(p("/link/../marker")).unwrap(), b"x");
}

#[test]
fn canonicalize_family_matches_the_walk_over_the_public_api() {
    use anyfs_backend::path::LinkWalker;
    use anyfs_backend::FsPath;
    let fs = sample();
    fs.create_dir_all(p("/x/y")).unwrap();
    fs.symlink(p("/x/y"), p("/ly")).unwrap();
    fs.symlink(p("../d"), p("/x/rel")).unwrap();
    let generic = LinkWalker::from_parts(&fs, Some(&fs));
    for path in [
        "/l",
        "/ly/..",
        "/x/rel/f",
        "/d/./f",
        "/ly/missing/more",
        "/",
    ] {
        assert_eq!(
            fs.soft_canonicalize(p(path)).unwrap(),
            generic.soft_canonicalize(p(path)).unwrap(),
            "{path}"
        );
    }
    assert_eq!(fs.canonicalize(p("/l")).unwrap(), p("/d/f"));
    assert_eq!(fs.canonicalize(p("/ly/..")).unwrap(), p("/x"));
    assert_eq!(code(fs.canonicalize(p("/ly/missing"))), "ENOENT");
    assert_eq!(
        fs.soft_canonicalize(p("/ly/missing/z")).unwrap(),
        p("/x/y/missing/z")
    );
    assert_eq!(
        fs.anchored_canonicalize(p("../../d/f"), p("/x")).unwrap(),
        generic
            .anchored_canonicalize(p("../../d/f"), p("/x"))
            .unwrap()
    );
    assert!(fs
        .anchored_canonicalize(p("/../../etc"), p("/x"))
        .unwrap()
        .starts_with("/x"));
}

#[test]
fn is_self_resolving() {
    fn assert_self_resolving<T: anyfs_backend::SelfResolving>() {}
    assert_self_resolving::<MemoryBackend>();
}

/// `symlink_free` says "no symlink" exactly while the table holds none: it follows creation,
/// each way a symlink's last name can go, hard links to a symlink, and snapshots.
#[test]
fn symlink_free_follows_the_symlinks_in_the_table() {
    let fs = MemoryBackend::new();
    assert!(fs.symlink_free());
    fs.create_dir_all(p("/d/e")).unwrap();
    fs.write(p("/d/f"), b"x").unwrap();
    assert!(fs.symlink_free());
    // remove_file of the only name.
    fs.symlink(p("/d/f"), p("/s")).unwrap();
    assert!(!fs.symlink_free());
    fs.remove_file(p("/s")).unwrap();
    assert!(fs.symlink_free());
    // A second name keeps it alive; removing both frees it.
    fs.symlink(p("/d/f"), p("/s")).unwrap();
    fs.hard_link(p("/s"), p("/d/s2")).unwrap();
    fs.remove_file(p("/s")).unwrap();
    assert!(!fs.symlink_free());
    fs.remove_file(p("/d/s2")).unwrap();
    assert!(fs.symlink_free());
    // Replaced by a rename.
    fs.symlink(p("f"), p("/d/s")).unwrap();
    fs.write(p("/d/g"), b"y").unwrap();
    fs.rename(p("/d/g"), p("/d/s")).unwrap();
    assert!(fs.symlink_free());
    // Moved by a rename: still there.
    fs.symlink(p("f"), p("/d/e/s")).unwrap();
    fs.rename(p("/d/e/s"), p("/d/t")).unwrap();
    assert!(!fs.symlink_free());
    // A snapshot has the same symlinks; freed with a whole subtree.
    let copy = fs.snapshot();
    assert!(!copy.symlink_free());
    fs.remove_dir_all(p("/d")).unwrap();
    assert!(fs.symlink_free());
    assert!(!copy.symlink_free());
    // A symlink that failed to be created leaves no trace.
    assert_eq!(code(fs.symlink(p("/x"), p("/missing/s"))), "ENOENT");
    assert!(fs.symlink_free());
}
