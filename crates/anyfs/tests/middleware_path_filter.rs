//! PathFilter: deny by default, deny rules winning, checks on resolved paths (symlinks and `..`
//! cannot lead to a denied node), both paths of two-path calls, listings, inodes, handles,
//! errors that do not describe denied places, and no check-to-use race.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use anyfs::middleware::path_filter::{PathFilter, PathFilterLayer, Rule};
use anyfs::*;

fn p(s: &str) -> &Path {
    Path::new(s)
}

fn eacces<T: std::fmt::Debug>(result: Result<T, FsError>, what: &str) {
    match result {
        Err(e @ FsError::AccessDenied { .. }) => assert_eq!(e.code(), "EACCES", "{what}"),
        other => panic!("{what}: expected AccessDenied, got {other:?}"),
    }
}

/// `/workspace` (allowed, with `.env` and `secrets` denied) next to `/secret` (not allowed).
fn sandbox() -> (MemoryBackend, PathFilter<MemoryBackend>) {
    let inner = MemoryBackend::new();
    inner.create_dir_all(p("/workspace/src")).unwrap();
    inner.create_dir_all(p("/workspace/secrets")).unwrap();
    inner.create_dir_all(p("/secret")).unwrap();
    inner.write(p("/workspace/src/a.txt"), b"code").unwrap();
    inner.write(p("/workspace/.env"), b"TOKEN").unwrap();
    inner.write(p("/workspace/secrets/k"), b"KEY").unwrap();
    inner.write(p("/secret/key"), b"SECRET").unwrap();
    let fs = inner.clone().layer(
        PathFilterLayer::builder()
            .allow("/workspace/**")
            .deny("**/.env")
            .deny("**/secrets")
            .build(),
    );
    (inner, fs)
}

#[test]
fn everything_is_denied_without_rules() {
    let inner = MemoryBackend::new();
    inner.write(p("/f"), b"x").unwrap();
    let fs = PathFilter::new(inner);
    eacces(fs.read(p("/f")), "read");
    eacces(fs.metadata(p("/")), "metadata /");
    eacces(fs.read_dir(p("/")), "read_dir /");
    eacces(fs.write(p("/g"), b"x"), "write");
    eacces(fs.exists(p("/f")), "exists");
}

#[test]
fn allowed_paths_work_and_others_are_eacces_with_the_callers_path() {
    let (inner, fs) = sandbox();
    assert_eq!(fs.read(p("/workspace/src/a.txt")).unwrap(), b"code");
    fs.write(p("/workspace/src/b.txt"), b"new").unwrap();
    fs.create_dir_all(p("/workspace/x/y")).unwrap();
    fs.rename(p("/workspace/src/b.txt"), p("/workspace/x/b.txt"))
        .unwrap();
    assert_eq!(inner.read(p("/workspace/x/b.txt")).unwrap(), b"new");
    match fs.read(p("/secret/key")).unwrap_err() {
        FsError::AccessDenied { path, reason } => {
            assert_eq!(path, p("/secret/key"));
            assert_eq!(reason, "path_denied");
        }
        other => panic!("{other:?}"),
    }
    match fs.read(p("/workspace/.env")).unwrap_err() {
        FsError::AccessDenied { reason, .. } => assert_eq!(reason, "pattern_blocked"),
        other => panic!("{other:?}"),
    }
    eacces(fs.write(p("/secret/new"), b"x"), "write outside");
    eacces(fs.write(p("/workspace/a/.env"), b"x"), "write .env");
    eacces(
        fs.read(p("/workspace/secrets/k")),
        "read below a denied dir",
    );
    eacces(
        fs.create_dir(p("/workspace/secrets/sub")),
        "create below a denied dir",
    );
    eacces(fs.remove_file(p("/workspace/.env")), "remove .env");
    assert!(!inner.exists(p("/secret/new")).unwrap());
    assert!(inner.exists(p("/workspace/.env")).unwrap());
}

#[test]
fn deny_rules_win_whatever_the_order() {
    let inner = MemoryBackend::new();
    inner.create_dir(p("/w")).unwrap();
    inner.write(p("/w/.env"), b"x").unwrap();
    let deny_last = PathFilter::new(inner.clone()).allow("/w/**").deny(".env");
    let deny_first = PathFilter::new(inner).deny(".env").allow("/w/**");
    for fs in [deny_last, deny_first] {
        eacces(fs.read(p("/w/.env")), "read .env");
        assert_eq!(fs.read_dir(p("/w")).unwrap(), vec![]);
    }
}

#[test]
fn a_symlink_cannot_lead_to_a_denied_file() {
    let (inner, fs) = sandbox();
    inner.symlink(p("/secret/key"), p("/workspace/l")).unwrap();
    inner.symlink(p("/secret"), p("/workspace/dir")).unwrap();
    inner
        .symlink(p("../secret/key"), p("/workspace/rel"))
        .unwrap();
    for path in ["/workspace/l", "/workspace/dir/key", "/workspace/rel"] {
        let path = p(path);
        eacces(fs.read(path), "read");
        eacces(fs.read_to_string(path), "read_to_string");
        eacces(fs.read_range(path, 0, 1), "read_range");
        eacces(fs.metadata(path), "metadata");
        eacces(fs.exists(path), "exists");
        eacces(fs.open_read(path).map(drop), "open_read");
        eacces(fs.write(path, b"x"), "write");
        eacces(fs.append(path, b"x"), "append");
        eacces(fs.truncate(path, 0), "truncate");
        eacces(fs.open_write(path).map(drop), "open_write");
        eacces(fs.set_times(path, None, None), "set_times");
        eacces(fs.copy(path, p("/workspace/copy")), "copy from");
        eacces(
            fs.set_permissions(path, Permissions::from_mode(0o777)),
            "set_permissions",
        );
        eacces(fs.set_owner(path, Some(1), None), "set_owner");
        eacces(fs.get_xattr(path, "user.x"), "get_xattr");
        eacces(fs.set_xattr(path, "user.x", b"v"), "set_xattr");
        eacces(fs.list_xattr(path), "list_xattr");
        eacces(fs.fsync(path), "fsync");
        eacces(fs.open(path, OpenFlags::READ), "open");
        eacces(fs.canonicalize(path), "canonicalize");
        eacces(fs.soft_canonicalize(path), "soft_canonicalize");
    }
    eacces(fs.read_dir(p("/workspace/dir")), "read_dir through a link");
    eacces(
        fs.copy(p("/workspace/src/a.txt"), p("/workspace/l")),
        "copy onto",
    );
    // The links themselves are allowed nodes: they can be inspected and removed.
    assert_eq!(fs.read_link(p("/workspace/l")).unwrap(), p("/secret/key"));
    assert!(fs.symlink_metadata(p("/workspace/l")).unwrap().is_symlink());
    fs.remove_file(p("/workspace/l")).unwrap();
    assert_eq!(inner.read(p("/secret/key")).unwrap(), b"SECRET");
    assert!(!inner.exists(p("/workspace/copy")).unwrap());
}

#[test]
fn dot_dot_is_resolved_before_the_check() {
    let (_inner, fs) = sandbox();
    eacces(fs.read(p("/workspace/../secret/key")), "../ out");
    eacces(fs.read(p("/workspace/src/../../secret/key")), "../../ out");
    assert_eq!(fs.read(p("/workspace/src/../src/a.txt")).unwrap(), b"code");
    // A denied name on the way is denied even if `..` leaves it.
    eacces(
        fs.read(p("/workspace/secrets/../src/a.txt")),
        "via denied dir",
    );
}

#[test]
fn a_denied_name_is_denied_even_as_a_link_to_an_allowed_file() {
    let (inner, fs) = sandbox();
    inner.remove_file(p("/workspace/.env")).unwrap();
    inner
        .symlink(p("/workspace/src/a.txt"), p("/workspace/.env"))
        .unwrap();
    eacces(fs.read(p("/workspace/.env")), "read .env link");
    eacces(fs.read_link(p("/workspace/.env")), "read_link .env");
}

#[test]
fn creating_symlinks_checks_the_link_and_its_resolved_target() {
    let (inner, fs) = sandbox();
    eacces(
        fs.symlink(p("/secret/key"), p("/workspace/a")),
        "absolute target",
    );
    eacces(
        fs.symlink(p("../secret/key"), p("/workspace/b")),
        "relative target",
    );
    eacces(
        fs.symlink(p("src/../.env"), p("/workspace/c")),
        "target denied by name",
    );
    eacces(
        fs.symlink(p("/workspace/src/a.txt"), p("/secret/d")),
        "link outside",
    );
    eacces(
        fs.symlink(p("src/a.txt"), p("/workspace/secrets/x")),
        "link path",
    );
    for name in ["a", "b", "c"] {
        assert!(!inner.exists(&Path::new("/workspace").join(name)).unwrap());
    }
    // Allowed targets, dangling ones and loops (they lead nowhere) can be created.
    fs.symlink(p("src/a.txt"), p("/workspace/ok")).unwrap();
    assert_eq!(fs.read(p("/workspace/ok")).unwrap(), b"code");
    fs.symlink(p("/workspace/nowhere"), p("/workspace/dangling"))
        .unwrap();
    fs.symlink(p("/workspace/loop2"), p("/workspace/loop1"))
        .unwrap();
    fs.symlink(p("/workspace/loop1"), p("/workspace/loop2"))
        .unwrap();
    assert_eq!(fs.read(p("/workspace/loop1")).unwrap_err().code(), "ELOOP");
}

#[test]
fn two_path_calls_check_both_paths() {
    let (inner, fs) = sandbox();
    eacces(
        fs.rename(p("/workspace/src/a.txt"), p("/secret/a.txt")),
        "rename out",
    );
    eacces(
        fs.rename(p("/secret/key"), p("/workspace/key")),
        "rename in",
    );
    eacces(
        fs.rename(p("/workspace/.env"), p("/workspace/env")),
        "rename a denied name",
    );
    eacces(fs.copy(p("/secret/key"), p("/workspace/key")), "copy in");
    eacces(
        fs.copy(p("/workspace/src/a.txt"), p("/secret/a")),
        "copy out",
    );
    eacces(
        fs.hard_link(p("/secret/key"), p("/workspace/key")),
        "hard_link in",
    );
    eacces(
        fs.hard_link(p("/workspace/src/a.txt"), p("/secret/a")),
        "hard_link out",
    );
    assert!(!inner.exists(p("/workspace/key")).unwrap());
    assert!(!inner.exists(p("/secret/a")).unwrap());
    assert!(inner.exists(p("/workspace/src/a.txt")).unwrap());
    fs.copy(p("/workspace/src/a.txt"), p("/workspace/src/c.txt"))
        .unwrap();
    fs.hard_link(p("/workspace/src/a.txt"), p("/workspace/h"))
        .unwrap();
}

#[test]
fn moving_or_deleting_a_tree_checks_every_node_in_it() {
    let (inner, fs) = sandbox();
    inner.create_dir(p("/workspace/proj")).unwrap();
    inner.write(p("/workspace/proj/.env"), b"x").unwrap();
    inner.write(p("/workspace/proj/main.rs"), b"y").unwrap();
    eacces(fs.remove_dir_all(p("/workspace/proj")), "remove_dir_all");
    eacces(
        fs.rename(p("/workspace/proj"), p("/workspace/p2")),
        "rename dir",
    );
    assert!(inner.exists(p("/workspace/proj/.env")).unwrap());
    // Without denied nodes inside, both work.
    inner.remove_file(p("/workspace/proj/.env")).unwrap();
    fs.rename(p("/workspace/proj"), p("/workspace/p2")).unwrap();
    fs.remove_dir_all(p("/workspace/p2")).unwrap();
    // A tree whose contents would be denied under the new name cannot move there.
    let fs = PathFilter::new(inner.clone())
        .allow("/**")
        .deny("/locked/**");
    inner.create_dir_all(p("/open/d")).unwrap();
    eacces(
        fs.rename(p("/open"), p("/locked")),
        "rename into a denied place",
    );
    inner.create_dir_all(p("/locked/in")).unwrap();
    eacces(
        fs.rename(p("/locked/in"), p("/open/out")),
        "rename out of one",
    );
}

#[test]
fn listings_leave_denied_entries_out() {
    let (inner, fs) = sandbox();
    inner
        .symlink(p("/secret"), p("/workspace/to_secret"))
        .unwrap();
    let names: Vec<String> = fs
        .read_dir(p("/workspace"))
        .unwrap()
        .into_iter()
        .map(|e| e.name.to_string_lossy().into_owned())
        .collect();
    // The link itself is an allowed name (following it is checked at use).
    assert_eq!(names, ["src", "to_secret"]);
    eacces(fs.read_dir(p("/workspace/secrets")), "list a denied dir");
    eacces(fs.read_dir(p("/secret")), "list outside");
    eacces(fs.read_dir(p("/")), "list the root, only traversable");
}

#[test]
fn errors_do_not_describe_denied_places() {
    let (inner, fs) = sandbox();
    inner.symlink(p("/secret/key"), p("/workspace/l")).unwrap();
    // Through the link the walk would find /secret/key is a file: ENOTDIR would tell.
    eacces(fs.read(p("/workspace/l/x")), "error beyond a link");
    eacces(fs.metadata(p("/secret/missing")), "missing outside");
    // In allowed places the backend's own errors come through.
    assert_eq!(
        fs.read(p("/workspace/missing")).unwrap_err().code(),
        "ENOENT"
    );
    assert_eq!(
        fs.read(p("/workspace/src/a.txt/x")).unwrap_err().code(),
        "ENOTDIR"
    );
    assert_eq!(fs.read(p("/workspace/src")).unwrap_err().code(), "EISDIR");
    assert!(!fs.exists(p("/workspace/missing")).unwrap());
    assert_eq!(fs.read(p("relative")).unwrap_err().code(), "EINVAL");
}

#[test]
fn directories_leading_to_allowed_patterns_can_be_looked_up_only() {
    let inner = MemoryBackend::new();
    inner.create_dir_all(p("/data/project")).unwrap();
    inner.write(p("/data/other"), b"x").unwrap();
    let fs = PathFilter::new(inner).allow("/data/project/**");
    assert!(fs.metadata(p("/data")).unwrap().is_dir());
    assert!(fs.exists(p("/")).unwrap());
    assert!(fs.symlink_metadata(p("/data")).is_ok());
    eacces(fs.read_dir(p("/data")), "list /data");
    eacces(fs.metadata(p("/data/other")), "sibling");
    eacces(
        fs.set_permissions(p("/data"), Permissions::from_mode(0o700)),
        "chmod /data",
    );
    eacces(fs.remove_dir(p("/data")), "rmdir /data");
    // So FileStorage's component-by-component resolution reaches the allowed tree.
    let storage = FileStorage::new(fs);
    storage.create_dir_all("/data/project/src").unwrap();
    storage.write("/data/project/src/a.txt", b"hi").unwrap();
    assert_eq!(storage.read("/data/project/src/a.txt").unwrap(), b"hi");
    assert_eq!(storage.read("/data/other").unwrap_err().code(), "EACCES");
}

#[test]
fn the_seeds_sandbox_works_through_file_storage() {
    let fs = FileStorage::new(
        PathFilter::new(MemoryBackend::new())
            .allow("/workspace/**")
            .deny("**/.env"),
    );
    fs.create_dir_all("/workspace/src").unwrap();
    fs.write("/workspace/src/a.txt", b"hello").unwrap();
    assert_eq!(fs.read_to_string("/workspace/src/a.txt").unwrap(), "hello");
    assert_eq!(
        fs.write("/workspace/.env", b"x").unwrap_err().code(),
        "EACCES"
    );
    assert_eq!(fs.write("/etc/passwd", b"x").unwrap_err().code(), "EACCES");
    fs.symlink("/workspace/src", "/workspace/link").unwrap();
    assert_eq!(fs.read("/workspace/link/a.txt").unwrap(), b"hello");
}

#[test]
fn inode_calls_are_filtered() {
    let (inner, fs) = sandbox();
    let secret = inner.path_to_inode(p("/secret/key")).unwrap();
    let secret_dir = inner.path_to_inode(p("/secret")).unwrap();
    let ws = fs.path_to_inode(p("/workspace")).unwrap();
    match fs.inode_to_path(secret).unwrap_err() {
        e @ FsError::AccessDenied { .. } => {
            assert_eq!(e.code(), "EACCES");
            assert!(!e.to_string().contains("secret"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    eacces(fs.metadata_by_inode(secret), "metadata_by_inode");
    eacces(
        fs.lookup(secret_dir, "key".as_ref()),
        "lookup in a denied dir",
    );
    eacces(fs.lookup(ws, ".env".as_ref()), "lookup of a denied name");
    eacces(fs.path_to_inode(p("/secret/key")), "path_to_inode");
    let src = fs.lookup(ws, "src".as_ref()).unwrap();
    assert_eq!(fs.inode_to_path(src).unwrap(), p("/workspace/src"));
    assert!(fs.metadata_by_inode(src).unwrap().is_dir());
    // The root leads to /workspace: it may be looked up.
    assert!(fs.metadata_by_inode(ROOT_INODE).unwrap().is_dir());
}

#[test]
fn handles_are_checked_when_opened() {
    let (_inner, fs) = sandbox();
    eacces(fs.open(p("/secret/key"), OpenFlags::READ), "open outside");
    eacces(
        fs.open(p("/workspace/.env"), OpenFlags::WRITE | OpenFlags::CREATE),
        "open .env",
    );
    let h = fs
        .open(
            p("/workspace/new"),
            OpenFlags::READ_WRITE | OpenFlags::CREATE | OpenFlags::EXCLUSIVE,
        )
        .unwrap();
    fs.write_at(h, b"abc", 0).unwrap();
    let mut buf = [0u8; 3];
    assert_eq!(fs.read_at(h, &mut buf, 0).unwrap(), 3);
    fs.lock(h, LockType::Exclusive).unwrap();
    fs.unlock(h).unwrap();
    fs.close(h).unwrap();
    assert_eq!(&buf, b"abc");
}

#[test]
fn an_invalid_pattern_denies_everything_and_try_build_reports_it() {
    let err = PathFilterLayer::builder()
        .allow("/**")
        .deny("/a/[")
        .try_build()
        .unwrap_err();
    assert_eq!(err.code(), "EINVAL");
    let fs =
        MemoryBackend::new().layer(PathFilterLayer::builder().allow("/**").deny("/a/[").build());
    assert!(fs.rules_error().is_some());
    eacces(fs.read_dir(p("/")), "read_dir");
    eacces(fs.write(p("/b"), b"x"), "write");
    assert!(PathFilterLayer::builder().allow("/**").try_build().is_ok());
}

#[test]
fn builders_and_with_methods_agree() {
    let rules = vec![Rule::Allow("/a/**".into()), Rule::Deny("**/.env".into())];
    let layer = PathFilterLayer::builder()
        .allow("/a/**")
        .deny("**/.env")
        .build();
    assert_eq!(layer.rules(), rules.as_slice());
    assert_eq!(PathFilterLayer::with_rules(rules.clone()), layer);
    assert!(PathFilterLayer::new().rules().is_empty());
    let fs = PathFilter::new(MemoryBackend::new())
        .allow("/a/**")
        .deny("**/.env");
    assert_eq!(fs.rules(), rules.as_slice());
    assert_eq!(MemoryBackend::new().layer(layer).rules(), rules.as_slice());
    let plain = PathFilter::without_links(
        FileStorage::without_links(MemoryBackend::new()).boxed(),
        rules,
    );
    plain.create_dir(p("/a")).unwrap();
    plain.write(p("/a/f"), b"1").unwrap();
    eacces(plain.write(p("/a/.env"), b"1"), "without links");
    eacces(plain.read(p("/a/../b")), "dot-dot without links");
    let _inner = plain.into_inner();
}

/// A reader races a writer who keeps swapping `/workspace/d` between a symlink (under which
/// `/workspace/l` leads to an allowed file) and a real directory (under which the same link
/// leads to `/secret/key`). Check and use are one step, so the secret is never read.
#[test]
fn a_concurrent_rename_cannot_redirect_a_checked_path() {
    let (inner, fs) = sandbox();
    inner.create_dir_all(p("/workspace/a/b")).unwrap();
    inner.create_dir_all(p("/workspace/secret")).unwrap();
    inner.write(p("/workspace/secret/key"), b"public").unwrap();
    inner.create_dir(p("/workspace/dd")).unwrap();
    inner
        .symlink(p("/workspace/a/b"), p("/workspace/d"))
        .unwrap();
    // d/../../secret/key: via the symlink /workspace/secret/key, via a real dir /secret/key.
    inner
        .symlink(p("d/../../secret/key"), p("/workspace/l"))
        .unwrap();
    assert_eq!(fs.read(p("/workspace/l")).unwrap(), b"public");
    let done = AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            for _ in 0..2000 {
                fs.rename(p("/workspace/d"), p("/workspace/dlink")).unwrap();
                fs.rename(p("/workspace/dd"), p("/workspace/d")).unwrap();
                fs.rename(p("/workspace/d"), p("/workspace/dd")).unwrap();
                fs.rename(p("/workspace/dlink"), p("/workspace/d")).unwrap();
            }
            done.store(true, Ordering::Relaxed);
        });
        for _ in 0..2 {
            s.spawn(|| {
                while !done.load(Ordering::Relaxed) {
                    match fs.read(p("/workspace/l")) {
                        Ok(data) => assert_eq!(data, b"public", "read the secret"),
                        Err(e) => {
                            assert!(matches!(e.code(), "EACCES" | "ENOENT"), "unexpected {e}")
                        }
                    }
                }
            });
        }
    });
}
