//! SqliteBackend across processes: two processes writing one database file at once, and the
//! crash test: a child process writing and fsyncing in a loop is killed with SIGKILL at random
//! moments; after every kill the database must pass `PRAGMA integrity_check` (and AnyFS's own
//! invariants) and hold every write the child acknowledged after `fsync`.
//!
//! The children are this test binary itself, run with `--ignored --exact child_process` and the
//! role in an environment variable. The number of kills is 110 by default; set
//! `ANYFS_SQLITE_CRASH_KILLS` for a longer soak (see `benchmark/sqlite_soak.sh`).

// Integration-test helpers are test code too: a failed unwrap is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use anyfs::backends::sqlite::{SqliteOptions, Synchronous};
use anyfs::{FsDir, FsError, FsHandles, FsRead, FsSync, FsWrite, OpenFlags, SqliteBackend};

/// Set in a child: `<role> <database path>`.
const CHILD_ENV: &str = "ANYFS_SQLITE_CHILD";

fn p(s: &str) -> &Path {
    Path::new(s)
}

/// Starts this test binary as a child running `role` on `db`, its stdout piped.
fn spawn(role: &str, db: &Path) -> Child {
    Command::new(std::env::current_exe().expect("test binary path"))
        .args([
            "--ignored",
            "--exact",
            "child_process",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, format!("{role} {}", db.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn the child process")
}

/// The entry point of the children; not a test of its own.
#[test]
#[ignore = "entry point of the child processes that the other tests in this file spawn"]
fn child_process() {
    let spec = std::env::var(CHILD_ENV).expect("only run as a child of this file's tests");
    let (role, db) = spec.split_once(' ').expect("role and path");
    // A fresh line, so libtest's "test child_process ... " prefix never joins an ack line.
    println!();
    match role {
        "crash_writer" => crash_writer(Path::new(db)),
        "peer" => peer(Path::new(db), "child"),
        other => panic!("unknown child role {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Two processes at once.

/// Each process writes 150 files of its own, appends 150 records to one shared log, and
/// re-creates a shared directory tree, all at the same time as the other.
fn peer(db: &Path, who: &str) {
    let fs = SqliteBackend::open(db).unwrap();
    fs.create_dir_all(p(&format!("/p/{who}"))).unwrap();
    fs.create_dir_all(p("/p/shared/x/y")).unwrap();
    for i in 0..150 {
        fs.write(
            p(&format!("/p/{who}/f{i:03}")),
            format!("{who} {i}").as_bytes(),
        )
        .unwrap();
        fs.append(p("/p/log"), format!("{who:>6} {i:03}\n").as_bytes())
            .unwrap();
        if i % 10 == 0 {
            // Both processes race to create the same directories: both must succeed.
            fs.create_dir_all(p(&format!("/p/shared/{i}/deep")))
                .unwrap();
            // And read what the other wrote so far (WAL readers are never blocked).
            fs.read_dir(p("/p")).unwrap();
        }
    }
    fs.sync().unwrap();
    println!("done {who}");
}

#[test]
fn two_processes_write_one_database_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("two.db");
    SqliteBackend::open(&db)
        .unwrap()
        .create_dir(p("/p"))
        .unwrap();
    let child = spawn("peer", &db);
    peer(&db, "parent");
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "child failed: {:?}", out.status);
    assert!(String::from_utf8_lossy(&out.stdout).contains("done child"));

    // Everything the child wrote is read by this process, and the other way round.
    let fs = SqliteBackend::open(&db).unwrap();
    for who in ["child", "parent"] {
        let names = fs.read_dir(p(&format!("/p/{who}"))).unwrap();
        assert_eq!(names.len(), 150, "{who}'s files");
        for i in [0, 77, 149] {
            let got = fs.read(p(&format!("/p/{who}/f{i:03}"))).unwrap();
            assert_eq!(got, format!("{who} {i}").as_bytes());
        }
    }
    // No append was lost or torn, and each process's records are in its order.
    let log = String::from_utf8(fs.read(p("/p/log")).unwrap()).unwrap();
    for who in ["child", "parent"] {
        let mine: Vec<&str> = log
            .lines()
            .filter(|l| l.trim_start().starts_with(who))
            .collect();
        let want: Vec<String> = (0..150).map(|i| format!("{who:>6} {i:03}")).collect();
        assert_eq!(mine, want, "{who}'s log records");
    }
    assert_eq!(log.lines().count(), 300);
    assert_eq!(fs.read_dir(p("/p/shared")).unwrap().len(), 16);
    fs.check_integrity().unwrap();
}

// ---------------------------------------------------------------------------------------------
// The crash test.

/// The content the crash writer stores in `/crash/state` at step `n`: self-describing, so a
/// torn or mixed value is detected.
fn state_content(n: u64) -> Vec<u8> {
    let mut v = format!("state {n:010}\n").into_bytes();
    v.extend((0..3000u64).map(|i| ((i * 31 + n) % 251) as u8));
    v
}

/// Files published together in `/crash/dirs/<n>` (staged, then renamed in place in one
/// operation).
fn batch_files(n: u64) -> [(String, Vec<u8>); 3] {
    [
        ("a".into(), format!("a{n}").into_bytes()),
        ("b".into(), vec![(n % 256) as u8; 70_000]),
        ("c".into(), Vec::new()),
    ]
}

/// The child: resumes the sequence after the last record in `/crash/log`, and for each step
/// `n` appends record `n`, replaces `/crash/state` by a rename, every 4th step publishes a
/// directory by a rename and removes an old one, then fsyncs and prints `ack n`. It keeps a
/// handle open on an old state file, which the renames orphan: the orphan must not survive
/// the kill.
fn crash_writer(db: &Path) {
    let fs = SqliteBackend::open_with(db, SqliteOptions::new().synchronous(Synchronous::Normal))
        .unwrap();
    fs.create_dir_all(p("/crash/dirs")).unwrap();
    fs.create_dir_all(p("/crash/stage")).unwrap();
    let mut next = match fs.read(p("/crash/log")) {
        Ok(log) => log.split(|b| *b == b'\n').filter(|l| !l.is_empty()).count() as u64,
        Err(FsError::NotFound { .. }) => 0,
        Err(e) => panic!("read the log: {e}"),
    };
    let _held = fs.open(p("/crash/state"), OpenFlags::READ).ok();
    let stdout = std::io::stdout();
    loop {
        let n = next;
        fs.append(p("/crash/log"), format!("{n:010}\n").as_bytes())
            .unwrap();
        fs.write(p("/crash/state.tmp"), &state_content(n)).unwrap();
        fs.rename(p("/crash/state.tmp"), p("/crash/state")).unwrap();
        if n % 4 == 0 {
            let stage = format!("/crash/stage/{n}");
            fs.create_dir_all(p(&stage)).unwrap();
            for (name, data) in batch_files(n) {
                fs.write(p(&format!("{stage}/{name}")), &data).unwrap();
            }
            let _ = fs.remove_dir_all(p(&format!("/crash/dirs/{n}")));
            fs.rename(p(&stage), p(&format!("/crash/dirs/{n}")))
                .unwrap();
            if n >= 16 {
                let _ = fs.remove_dir_all(p(&format!("/crash/dirs/{}", n - 16)));
            }
        }
        fs.fsync(p("/crash/log")).unwrap();
        let mut out = stdout.lock();
        writeln!(out, "ack {n}").unwrap();
        out.flush().unwrap();
        next += 1;
    }
}

/// Runs one child and kills it with SIGKILL after `delay`; returns the acknowledged steps.
fn run_and_kill(db: &Path, delay: Duration) -> Vec<u64> {
    let mut child = spawn("crash_writer", db);
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel();
    let reader = thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(n) = line.strip_prefix("ack ") {
                let _ = tx.send(n.trim().parse::<u64>().expect("an ack number"));
            }
        }
    });
    thread::sleep(delay);
    child.kill().expect("SIGKILL the child");
    let status = child.wait().expect("reap the child");
    reader.join().expect("stdout reader");
    // A child that exited by itself (a panic) is a failure, not a crash we caused.
    assert!(
        status.code().is_none(),
        "the child exited on its own: {status:?}"
    );
    rx.try_iter().collect()
}

/// Checks the database after a kill: integrity, every acknowledged step present, the state
/// file and the published directories whole. Returns the last step found in the log.
fn verify(db: &Path, last_ack: Option<u64>, round: usize) -> Option<u64> {
    let fs = SqliteBackend::open(db).unwrap_or_else(|e| panic!("round {round}: reopen: {e}"));
    fs.check_integrity()
        .unwrap_or_else(|e| panic!("round {round}: integrity: {e}"));
    let log = match fs.read(p("/crash/log")) {
        Ok(log) => log,
        Err(FsError::NotFound { .. }) => {
            assert_eq!(last_ack, None, "round {round}: the log vanished");
            return None;
        }
        Err(e) => panic!("round {round}: read the log: {e}"),
    };
    let text = String::from_utf8(log).expect("the log is text");
    let records: Vec<u64> = text
        .lines()
        .map(|l| {
            assert_eq!(l.len(), 10, "round {round}: torn record {l:?}");
            l.parse().expect("a record number")
        })
        .collect();
    let want: Vec<u64> = (0..records.len() as u64).collect();
    assert_eq!(records, want, "round {round}: log records out of sequence");
    let last = records.last().copied();
    if let Some(acked) = last_ack {
        assert!(
            last.is_some_and(|l| l >= acked),
            "round {round}: acknowledged step {acked} lost (log ends at {last:?})"
        );
    }
    if let Ok(state) = fs.read(p("/crash/state")) {
        let n: u64 = std::str::from_utf8(&state[6..16]).unwrap().parse().unwrap();
        assert_eq!(state, state_content(n), "round {round}: torn state file");
        if let Some(acked) = last_ack {
            assert!(
                n >= acked,
                "round {round}: state {n} older than ack {acked}"
            );
        }
    }
    for entry in fs.read_dir(p("/crash/dirs")).unwrap_or_default() {
        let name = entry.name.to_string_lossy().into_owned();
        let n: u64 = name.parse().expect("a step number");
        let dir = PathBuf::from("/crash/dirs").join(&name);
        let listed: BTreeSet<String> = fs
            .read_dir(&dir)
            .unwrap()
            .into_iter()
            .map(|e| e.name.to_string_lossy().into_owned())
            .collect();
        assert_eq!(listed.len(), 3, "round {round}: half-published {dir:?}");
        for (file, data) in batch_files(n) {
            assert_eq!(fs.read(&dir.join(file)).unwrap(), data, "round {round}");
        }
    }
    // The handle the dead child held died with it: no orphan survives this open.
    let orphans = rusqlite::Connection::open(db)
        .unwrap()
        .query_row("SELECT count(*) FROM orphans", [], |r| r.get::<_, i64>(0))
        .unwrap();
    assert_eq!(
        orphans, 0,
        "round {round}: orphans of a dead process survived"
    );
    last
}

#[test]
fn killed_writers_lose_no_acknowledged_write() {
    let kills: usize = std::env::var("ANYFS_SQLITE_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(110);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    let started = Instant::now();
    let mut last_ack: Option<u64> = None;
    let mut acked_rounds = 0;
    for round in 0..kills {
        // Some kills land during process start or while opening the database, most in the
        // middle of the write loop.
        let delay = Duration::from_millis(fastrand::u64(0..70));
        let acks = run_and_kill(&db, delay);
        if let Some(&max) = acks.iter().max() {
            acked_rounds += 1;
            last_ack = Some(last_ack.map_or(max, |l| l.max(max)));
        }
        verify(&db, last_ack, round);
    }
    eprintln!(
        "crash test: {kills} kills, {acked_rounds} rounds with acknowledged writes, \
         {} steps acknowledged, {:.1?}",
        last_ack.map_or(0, |l| l + 1),
        started.elapsed()
    );
    assert!(
        acked_rounds * 2 >= kills,
        "too few rounds got to write ({acked_rounds} of {kills}): the test checks little"
    );
}
