//! Real programs, in child processes, on a mounted `MemoryBackend`: ls, mkdir, cp, cat, mv,
//! ln, chmod, truncate, rm, tar, git, sqlite3, df. And the same data seen in-process.

#![cfg(all(target_os = "linux", feature = "fuse"))]
// Helpers outside #[test] functions unwrap too: a failure is the point there.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod mount_support;

use std::path::Path;

use anyfs::{FsDir, FsRead, FsWrite, MemoryBackend, MountHandle};
use mount_support::{have, sh_in, TestMount};

fn memory_mount() -> (TestMount, MemoryBackend) {
    let backend = MemoryBackend::new();
    let m = TestMount::new(MountHandle::builder(backend.clone())).expect("mount");
    (m, backend)
}

/// A small tree on the host with varied content: text, binary, empty, nested, large.
fn host_tree() -> tempfile::TempDir {
    let src = tempfile::tempdir().unwrap();
    let p = src.path();
    std::fs::create_dir_all(p.join("tree/a/b/c")).unwrap();
    std::fs::write(p.join("tree/readme.txt"), "hello\n").unwrap();
    std::fs::write(p.join("tree/empty"), "").unwrap();
    let bin: Vec<u8> = (0..300_000u32).map(|i| (i * 7 + i / 251) as u8).collect();
    std::fs::write(p.join("tree/a/data.bin"), &bin).unwrap();
    for i in 0..50 {
        std::fs::write(p.join(format!("tree/a/b/f{i}")), format!("file {i}\n")).unwrap();
    }
    let big: Vec<u8> = (0..5_000_000u32).map(|i| (i % 253) as u8).collect();
    std::fs::write(p.join("tree/a/b/c/big"), &big).unwrap();
    src
}

#[test]
fn coreutils_work_on_the_mount() {
    require_fuse!();
    let (m, backend) = memory_mount();
    m.ok("mkdir -p x/y/z && echo one > x/y/z/f && cat x/y/z/f");
    assert_eq!(backend.read(Path::new("/x/y/z/f")).unwrap(), b"one\n");

    let ls = m.ok("ls -la x/y/z");
    assert!(ls.contains(" f\n"), "{ls}");
    assert!(ls.contains("-rw-r--r--"), "{ls}");

    m.ok("mv x/y/z/f x/g && test ! -e x/y/z/f && test \"$(cat x/g)\" = one");
    m.ok("ln x/g x/hard && ln -s g x/soft");
    assert_eq!(m.ok("cat x/soft"), "one\n");
    assert_eq!(m.ok("readlink x/soft"), "g\n");
    assert_eq!(m.ok("stat -c %h x/g"), "2\n");
    m.ok("echo two >> x/hard");
    assert_eq!(m.ok("cat x/g"), "one\ntwo\n");

    m.ok("chmod 640 x/g");
    assert_eq!(m.ok("stat -c %a x/g"), "640\n");
    m.ok("truncate -s 3 x/g");
    assert_eq!(m.ok("cat x/g"), "one");
    m.ok("truncate -s 10000 x/g");
    assert_eq!(m.ok("stat -c %s x/g"), "10000\n");
    m.ok("touch -d '2001-02-03 04:05:06 UTC' x/g");
    assert_eq!(m.ok("date -u -r x/g +%Y"), "2001\n");

    m.ok("rm -r x");
    assert!(backend.read_dir(Path::new("/")).unwrap().is_empty());
    // Errors reach programs as the right errno.
    assert!(m.fails("cat nope").contains("No such file or directory"));
    m.ok("mkdir d && touch d/f");
    assert!(m.fails("rmdir d").contains("not empty"));
}

#[test]
fn cp_r_copies_a_tree_exactly() {
    require_fuse!();
    let (m, backend) = memory_mount();
    let src = host_tree();
    let from = src.path().join("tree");
    m.ok(&format!("cp -r {} copy", from.display()));
    m.ok(&format!("diff -r {} copy", from.display()));
    let sums = |dir: &Path| {
        let out = sh_in(dir, "find . -type f | sort | xargs sha256sum");
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(sums(&from), sums(&m.join("copy")));
    // The same bytes in-process, through the stack.
    let big = backend.read(Path::new("/copy/a/b/c/big")).unwrap();
    assert_eq!(big, std::fs::read(from.join("a/b/c/big")).unwrap());
    // A listing of many entries pages through one snapshot.
    m.ok("mkdir many && cd many && seq 1 2000 | xargs touch");
    assert_eq!(m.ok("ls many | wc -l").trim(), "2000");
    assert_eq!(m.ok("ls -la many | tail -n +4 | wc -l").trim(), "2000");
}

#[test]
fn tar_round_trip() {
    require_fuse!();
    let (m, _backend) = memory_mount();
    let src = host_tree();
    let work = tempfile::tempdir().unwrap();
    let tarball = work.path().join("t.tar");
    m.ok(&format!("cp -a {} orig", src.path().join("tree").display()));
    m.ok("ln -s readme.txt orig/link");
    m.ok(&format!("tar cf {} orig", tarball.display()));
    m.ok(&format!(
        "mkdir back && tar xf {} -C back",
        tarball.display()
    ));
    m.ok("diff -r orig back/orig");
    assert_eq!(m.ok("readlink back/orig/link"), "readme.txt\n");
}

#[test]
fn git_init_add_commit_status() {
    require_fuse!();
    if !have("git") {
        eprintln!("skipping: git is not installed");
        return;
    }
    let (m, _backend) = memory_mount();
    let git = "git -c user.name=t -c user.email=t@example.com -c init.defaultBranch=main";
    m.ok(&format!(
        "mkdir repo && cd repo && {git} init -q && mkdir src && echo 'fn main() {{}}' > src/main.rs \
         && echo hello > README && {git} add . && {git} commit -q -m first"
    ));
    assert_eq!(m.ok("cd repo && git status --porcelain"), "");
    assert_eq!(m.ok("cd repo && git log --oneline | wc -l").trim(), "1");
    m.ok("cd repo && echo changed >> README");
    assert_eq!(m.ok("cd repo && git status --porcelain"), " M README\n");
    m.ok(&format!(
        "cd repo && {git} commit -qam second && {git} gc -q"
    ));
    assert_eq!(m.ok("cd repo && git log --oneline | wc -l").trim(), "2");
    m.ok("cd repo && git fsck --no-progress");
}

#[test]
fn sqlite3_builds_a_sound_database() {
    require_fuse!();
    if !have("sqlite3") {
        eprintln!("skipping: sqlite3 is not installed");
        return;
    }
    let (m, backend) = memory_mount();
    let sql = "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); \
        WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 20000) \
        INSERT INTO t(v) SELECT printf('row %d %s', x, hex(randomblob(20))) FROM c; \
        CREATE INDEX tv ON t(v); DELETE FROM t WHERE id % 3 = 0; VACUUM;";
    m.ok(&format!("sqlite3 db.sqlite \"{sql}\""));
    assert_eq!(
        m.ok("sqlite3 db.sqlite 'PRAGMA integrity_check; SELECT count(*) FROM t;'"),
        "ok\n13334\n"
    );
    // WAL mode too (shared memory file, more fsyncs).
    m.ok(
        "sqlite3 wal.sqlite 'PRAGMA journal_mode=WAL; CREATE TABLE a(x); INSERT INTO a VALUES(1);'",
    );
    assert_eq!(m.ok("sqlite3 wal.sqlite 'PRAGMA integrity_check;'"), "ok\n");
    let header = backend.read_range(Path::new("/db.sqlite"), 0, 15).unwrap();
    assert_eq!(header, b"SQLite format 3");
}

#[test]
fn df_reports_the_capacity() {
    require_fuse!();
    let backend = MemoryBackend::with_capacity(64 * 1024 * 1024);
    let m = TestMount::new(MountHandle::builder(backend.clone()).fs_name("ramdisk")).unwrap();
    let df = m.ok("df -P -B1 .");
    let row = df.lines().nth(1).unwrap_or_default().to_string();
    let cols: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cols.first(), Some(&"ramdisk"), "{df}");
    assert_eq!(cols.get(1), Some(&"67108864"), "{df}");
    backend.write(Path::new("/f"), &vec![1u8; 4 << 20]).unwrap();
    let used: u64 = m
        .ok("df -P -B1 . | tail -1 | awk '{print $3}'")
        .trim()
        .parse()
        .unwrap();
    assert!(used >= 4 << 20, "{used}");
}

#[test]
fn in_process_and_mounted_views_agree() {
    require_fuse!();
    let (m, backend) = memory_mount();
    // Mount -> process.
    m.ok("printf 'from child' > a.txt && mkdir d");
    assert_eq!(backend.read(Path::new("/a.txt")).unwrap(), b"from child");
    assert!(backend.metadata(Path::new("/d")).unwrap().is_dir());
    // Process -> mount: a name the kernel never saw is found at once.
    backend.write(Path::new("/b.txt"), b"from process").unwrap();
    assert_eq!(m.ok("cat b.txt"), "from process");
    // A change to a file the kernel has cached shows after invalidate().
    backend
        .write(Path::new("/b.txt"), b"changed in process")
        .unwrap();
    m.handle.as_ref().unwrap().invalidate("/b.txt");
    assert_eq!(m.ok("cat b.txt"), "changed in process");
    backend.remove_file(Path::new("/b.txt")).unwrap();
    m.handle.as_ref().unwrap().invalidate("/b.txt");
    assert!(m.fails("cat b.txt").contains("No such file"));
}

#[test]
fn xattrs_and_flock_through_the_mount() {
    require_fuse!();
    let (m, backend) = memory_mount();
    m.ok("touch f");
    if have("setfattr") && have("getfattr") {
        m.ok("setfattr -n user.color -v blue f");
        assert!(m
            .ok("getfattr -n user.color f")
            .contains("user.color=\"blue\""));
    } else {
        // Python is not assumed; go through the stack's view instead.
        use anyfs::FsXattr;
        backend
            .set_xattr(Path::new("/f"), "user.color", b"blue")
            .unwrap();
    }
    use anyfs::FsXattr;
    assert_eq!(
        backend.get_xattr(Path::new("/f"), "user.color").unwrap(),
        b"blue"
    );
    if have("flock") {
        // Kernel-kept flock among processes on the mount: a held lock excludes a second
        // non-blocking one.
        let out = m.sh("flock -x f -c 'flock -n -x f -c true'; echo $?");
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "1");
    }
}
