//! SqliteBackend on disk: a tree written, dropped and reopened is the same tree (content,
//! metadata, inode numbers, links, xattrs); files that are not AnyFS databases, or are of a
//! newer schema version, are refused and left byte-for-byte untouched.

// Integration-test helpers are test code too: a failed unwrap is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyfs::backends::sqlite::{SqliteOptions, Synchronous, APPLICATION_ID, SCHEMA_VERSION};
use anyfs::{
    FileType, FsDir, FsError, FsInode, FsLink, FsPermissions, FsRead, FsWrite, FsXattr, Metadata,
    Permissions, SqliteBackend,
};

fn p(s: &str) -> &Path {
    Path::new(s)
}

/// Everything observable about one node.
#[derive(Debug, PartialEq)]
struct Node {
    meta: Metadata,
    content: Option<Vec<u8>>,
    target: Option<PathBuf>,
    xattrs: BTreeMap<String, Vec<u8>>,
}

/// The whole tree, by path (symlinks not followed).
fn snapshot(fs: &SqliteBackend) -> BTreeMap<PathBuf, Node> {
    let mut out = BTreeMap::new();
    let mut pending = vec![PathBuf::from("/")];
    while let Some(path) = pending.pop() {
        let meta = fs.symlink_metadata(&path).unwrap();
        let (content, target, xattrs) = match meta.file_type {
            FileType::File => (
                Some(fs.read(&path).unwrap()),
                None,
                fs.list_xattr(&path)
                    .unwrap()
                    .into_iter()
                    .map(|n| {
                        let v = fs.get_xattr(&path, &n).unwrap();
                        (n, v)
                    })
                    .collect(),
            ),
            FileType::Symlink => (None, Some(fs.read_link(&path).unwrap()), BTreeMap::new()),
            FileType::Directory => {
                for e in fs.read_dir(&path).unwrap() {
                    pending.push(path.join(e.name));
                }
                (None, None, BTreeMap::new())
            }
        };
        out.insert(
            path,
            Node {
                meta,
                content,
                target,
                xattrs,
            },
        );
    }
    out
}

fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8 ^ seed).collect()
}

fn populate(fs: &SqliteBackend) {
    fs.create_dir_all(p("/docs/deep/er")).unwrap();
    fs.create_dir(p("/empty")).unwrap();
    fs.write(p("/docs/a.txt"), b"hello").unwrap();
    fs.write(p("/docs/big.bin"), &pattern(300_000, 3)).unwrap();
    fs.write(p("/docs/deep/er/x"), b"").unwrap();
    fs.write(p("/docs/sparse"), b"head").unwrap();
    fs.truncate(p("/docs/sparse"), 10 << 20).unwrap();
    fs.append(p("/docs/sparse"), b"tail").unwrap();
    fs.symlink(p("a.txt"), p("/docs/rel")).unwrap();
    fs.symlink(p("/docs"), p("/abs")).unwrap();
    fs.symlink(p("/nowhere"), p("/dangling")).unwrap();
    fs.hard_link(p("/docs/a.txt"), p("/hard")).unwrap();
    fs.set_xattr(p("/docs/a.txt"), "user.tag", b"v1").unwrap();
    fs.set_xattr(p("/docs/a.txt"), "com.apple.quarantine", b"")
        .unwrap();
    fs.set_permissions(p("/docs/big.bin"), Permissions::from_mode(0o600))
        .unwrap();
    fs.set_owner(p("/docs/deep"), Some(1000), Some(100))
        .unwrap();
    let t = SystemTime::UNIX_EPOCH + Duration::new(1_234_567_890, 987_654_321);
    fs.set_times(p("/docs/deep/er/x"), Some(t), Some(t))
        .unwrap();
    let old = SystemTime::UNIX_EPOCH - Duration::from_secs(86_400 * 365);
    fs.set_times(p("/empty"), None, Some(old)).unwrap();
}

#[test]
fn a_tree_survives_drop_and_reopen_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("drive.db");
    let before = {
        let fs = SqliteBackend::open(&db).unwrap();
        populate(&fs);
        snapshot(&fs)
    };
    assert_eq!(before.len(), 13);
    let fs = SqliteBackend::open(&db).unwrap();
    let after = snapshot(&fs);
    assert_eq!(after, before);
    fs.check_integrity().unwrap();
    // The same inodes by number, and new ones never reuse a freed number.
    let ino = fs.path_to_inode(p("/docs/big.bin")).unwrap();
    assert_eq!(fs.inode_to_path(ino).unwrap(), p("/docs/big.bin"));
    let max = after.values().map(|n| n.meta.inode).max().unwrap();
    fs.remove_file(p("/docs/deep/er/x")).unwrap();
    drop(fs);
    let fs = SqliteBackend::open(&db).unwrap();
    fs.write(p("/new"), b"n").unwrap();
    assert!(fs.metadata(p("/new")).unwrap().inode > max);
    assert_eq!(fs.read(p("/abs/rel")).unwrap(), b"hello");
    assert_eq!(
        fs.read_range(p("/docs/sparse"), 10 << 20, 10).unwrap(),
        b"tail"
    );
}

#[test]
fn two_instances_on_one_file_see_each_others_commits() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shared.db");
    let a = SqliteBackend::open(&db).unwrap();
    let b =
        SqliteBackend::open_with(&db, SqliteOptions::new().synchronous(Synchronous::Full)).unwrap();
    populate(&a);
    assert_eq!(snapshot(&b), snapshot(&a));
    b.remove_dir_all(p("/docs")).unwrap();
    assert!(!a.exists(p("/docs/a.txt")).unwrap());
    assert_eq!(a.read(p("/hard")).unwrap(), b"hello");
    a.check_integrity().unwrap();
}

/// A file's length and a hash of its bytes, and which SQLite side files exist next to it
/// (a hash, so a failure does not print the whole file).
fn state_of(path: &Path) -> (usize, u64, bool, bool) {
    use std::hash::{Hash, Hasher};
    let side = |ext: &str| {
        let mut s = path.as_os_str().to_owned();
        s.push(ext);
        PathBuf::from(s).exists()
    };
    let bytes = std::fs::read(path).unwrap();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    (bytes.len(), h.finish(), side("-wal"), side("-shm"))
}

#[track_caller]
fn assert_refused(path: &Path, message: &str) {
    let before = state_of(path);
    let err: FsError = SqliteBackend::open(path).unwrap_err();
    assert_eq!((err.code(), err.kind()), ("EIO", "Backend"), "{err}");
    assert!(err.to_string().contains(message), "{err}");
    assert_eq!(state_of(path), before, "the file was touched");
}

#[test]
fn a_file_that_is_not_a_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let random = dir.path().join("random.bin");
    std::fs::write(&random, pattern(10_000, 42)).unwrap();
    assert_refused(&random, "not an AnyFS database");
    let short = dir.path().join("short.txt");
    std::fs::write(&short, b"hello").unwrap();
    assert_refused(&short, "not an AnyFS database");
    // A SQLite header followed by garbage.
    let fake = dir.path().join("fake.db");
    let mut bytes = b"SQLite format 3\0".to_vec();
    bytes.extend(pattern(4000, 9));
    std::fs::write(&fake, &bytes).unwrap();
    assert_refused(&fake, "not an AnyFS database");
}

#[test]
fn a_sqlite_database_of_another_program_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    for (name, app_id) in [("other.db", 0x1234_5678), ("plain.db", 0)] {
        let path = dir.path().join(name);
        {
            let c = rusqlite::Connection::open(&path).unwrap();
            c.execute_batch(&format!(
                "PRAGMA application_id = {app_id};
                 CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
                 INSERT INTO notes (body) VALUES ('mine');"
            ))
            .unwrap();
        }
        assert_refused(&path, "not an AnyFS database");
        let c = rusqlite::Connection::open(&path).unwrap();
        let body: String = c
            .query_row("SELECT body FROM notes", [], |r| r.get(0))
            .unwrap();
        assert_eq!(body, "mine");
    }
}

#[test]
fn a_live_wal_database_of_another_program_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("live.db");
    // The other program keeps its connection open: its `-wal` and `-shm` exist, and its last
    // commit is only in the log.
    let other = rusqlite::Connection::open(&path).unwrap();
    other
        .execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE notes (body TEXT);
             PRAGMA wal_checkpoint(TRUNCATE);
             INSERT INTO notes VALUES ('in the log only');",
        )
        .unwrap();
    assert_refused(&path, "not an AnyFS database");
    let body: String = other
        .query_row("SELECT body FROM notes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(body, "in the log only");
}

#[test]
fn a_newer_schema_version_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    {
        let fs = SqliteBackend::open(&path).unwrap();
        fs.write(p("/f"), b"from the future").unwrap();
    }
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        let id: i32 = c
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .unwrap();
        assert_eq!(id, APPLICATION_ID);
        c.execute_batch(&format!("PRAGMA user_version = {};", SCHEMA_VERSION + 1))
            .unwrap();
    }
    assert_refused(&path, "newer than this build supports");
}

#[test]
fn an_empty_file_becomes_a_new_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.db");
    std::fs::write(&path, b"").unwrap();
    let fs = SqliteBackend::open(&path).unwrap();
    fs.write(p("/f"), b"x").unwrap();
    assert_eq!(fs.read_dir(p("/")).unwrap().len(), 1);
    assert!(std::fs::metadata(&path).unwrap().len() > 0);
}
