//! VRootFsBackend containment: every attack of the escape corpus (`vrootfs_escape/corpus.rs`)
//! against every operation that takes a path, and a race that swaps a directory and a symlink
//! to the outside while other threads use the path.
//!
//! The oracle, per attack and operation, in a fresh fixture:
//!
//! - inotify watches on the directory holding the root, the sentinel file, the sentinel
//!   directory and the file in it report *any* access: an open, a read, a write, an attribute
//!   change, an entry created, deleted or moved. The only events allowed are those about the
//!   root directory itself (the backend opens its root).
//! - the sentinels' `stat` (inode, link count, mode, size, all three times), their content,
//!   their xattr and the listings around the root are unchanged;
//! - a successful operation returned nothing of the sentinels (content, names, inode, xattr),
//!   and a failed one failed with a code from [`ALLOWED`].
//!
//! The same oracle run against StdFsBackend, which has no containment, must catch escapes:
//! that proves the oracle can fail.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod vrootfs_escape {
    pub mod corpus;
}

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::io::Read;
use std::mem::MaybeUninit;
use std::os::fd::OwnedFd;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use anyfs::{FsError, FsPosix, FsRead, OpenFlags, Permissions, StdFsBackend, VRootFsBackend};
use rustix::fs::inotify::{self, CreateFlags, ReadFlags, WatchFlags};
use vrootfs_escape::corpus::{corpus, Attack, World, HOST_SAFE};

const SENTINEL: &[u8] = b"SENTINEL-CONTENT";
const INNER: &[u8] = b"INNER-SECRET";
const SECRET_XATTR: &str = "user.secret";
const SECRET_VALUE: &[u8] = b"outside-xattr";
/// Names that exist only outside the root.
const OUTSIDE_NAMES: [&str; 4] = ["sentinel", "sentinel_dir", "inner", "root"];
/// Codes an attack may fail with: "no such thing here", "wrong kind", "refused".
const ALLOWED: [&str; 11] = [
    "ENOENT",
    "ENOTDIR",
    "EISDIR",
    "ELOOP",
    "EINVAL",
    "EEXIST",
    "ENOTEMPTY",
    "EBUSY",
    "ENODATA",
    "ENAMETOOLONG",
    "EXDEV",
];

/// The stat fields an access would change.
#[derive(Debug, PartialEq, Eq)]
struct Stamp {
    ino: u64,
    nlink: u64,
    mode: u32,
    size: u64,
    mtime: (i64, i64),
    atime: (i64, i64),
    ctime: (i64, i64),
}

fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::symlink_metadata(path).ok()?;
    Some(Stamp {
        ino: m.ino(),
        nlink: m.nlink(),
        mode: m.mode(),
        size: m.size(),
        mtime: (m.mtime(), m.mtime_nsec()),
        atime: (m.atime(), m.atime_nsec()),
        ctime: (m.ctime(), m.ctime_nsec()),
    })
}

fn names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// A fresh outer directory with the sentinels, a root inside it, and inotify watching.
struct Fixture {
    _outer: tempfile::TempDir,
    world: World,
    inotify: OwnedFd,
    stamps: Vec<(PathBuf, Option<Stamp>)>,
    outside_inodes: Vec<u64>,
}

impl Fixture {
    fn new(setup: impl FnOnce(&World)) -> Fixture {
        let outer = tempfile::Builder::new()
            .prefix("anyfs-escape-")
            .tempdir()
            .expect("tempdir");
        let world = World {
            outer: outer.path().to_path_buf(),
            root: outer.path().join("root"),
        };
        std::fs::write(world.sentinel(), SENTINEL).expect("sentinel");
        rustix::fs::setxattr(
            world.sentinel(),
            SECRET_XATTR,
            SECRET_VALUE,
            rustix::fs::XattrFlags::empty(),
        )
        .expect("sentinel xattr");
        std::fs::create_dir(world.sentinel_dir()).expect("sentinel dir");
        std::fs::write(world.sentinel_dir().join("inner"), INNER).expect("inner");
        std::fs::create_dir(&world.root).expect("root");
        std::fs::write(world.root.join("src_file"), b"inside-src").expect("src_file");
        std::fs::create_dir(world.root.join("src_dir")).expect("src_dir");
        setup(&world);
        // Old times, so a read (relatime) or a write shows in atime/mtime as well.
        let times = rustix::fs::Timestamps {
            last_access: rustix::fs::Timespec {
                tv_sec: 1_000_000_000,
                tv_nsec: 0,
            },
            last_modification: rustix::fs::Timespec {
                tv_sec: 1_000_000_000,
                tv_nsec: 0,
            },
        };
        let watched = [
            world.outer.clone(),
            world.sentinel(),
            world.sentinel_dir(),
            world.sentinel_dir().join("inner"),
        ];
        for path in &watched {
            rustix::fs::utimensat(rustix::fs::CWD, path, &times, rustix::fs::AtFlags::empty())
                .expect("age sentinel");
        }
        let inotify = inotify::init(CreateFlags::NONBLOCK | CreateFlags::CLOEXEC).expect("inotify");
        for path in &watched {
            inotify::add_watch(&inotify, path, WatchFlags::ALL_EVENTS).expect("watch");
        }
        let stamps = watched
            .iter()
            .map(|p| (p.clone(), stamp(p)))
            .collect::<Vec<_>>();
        let outside_inodes = stamps
            .iter()
            .filter_map(|(_, s)| s.as_ref().map(|s| s.ino))
            .collect();
        Fixture {
            _outer: outer,
            world,
            inotify,
            stamps,
            outside_inodes,
        }
    }

    /// Every problem seen outside the root since the fixture was made (empty when none).
    fn outside_changes(&self) -> Vec<String> {
        let mut problems = Vec::new();
        // 1. inotify: anything but events about the root directory itself.
        let mut buf = [MaybeUninit::<u8>::uninit(); 8192];
        let mut reader = inotify::Reader::new(&self.inotify, &mut buf);
        loop {
            match reader.next() {
                Ok(event) => {
                    let name = event.file_name().map(|n| n.to_string_lossy().into_owned());
                    if name.as_deref() == Some("root")
                        || event.events().contains(ReadFlags::IGNORED)
                    {
                        continue;
                    }
                    problems.push(format!(
                        "inotify event {:?} on watch {} name {:?}",
                        event.events(),
                        event.wd(),
                        name
                    ));
                }
                Err(rustix::io::Errno::WOULDBLOCK) => break,
                Err(e) => {
                    problems.push(format!("inotify read failed: {e}"));
                    break;
                }
            }
        }
        // 2. stat, then listings, then content (reading last: it changes atime itself).
        for (path, before) in &self.stamps {
            let after = stamp(path);
            if &after != before {
                problems.push(format!(
                    "{} changed: {before:?} -> {after:?}",
                    path.display()
                ));
            }
        }
        let outer = names(&self.world.outer);
        let expected: BTreeSet<String> = ["root", "sentinel", "sentinel_dir"]
            .map(String::from)
            .into();
        if outer != expected {
            problems.push(format!("entries outside the root changed: {outer:?}"));
        }
        let inner = names(&self.world.sentinel_dir());
        if inner != BTreeSet::from(["inner".to_owned()]) {
            problems.push(format!("sentinel_dir entries changed: {inner:?}"));
        }
        if std::fs::read(self.world.sentinel()).ok().as_deref() != Some(SENTINEL) {
            problems.push("sentinel content changed".into());
        }
        if std::fs::read(self.world.sentinel_dir().join("inner"))
            .ok()
            .as_deref()
            != Some(INNER)
        {
            problems.push("inner content changed".into());
        }
        let xattr = rustix::fs::getxattr(self.world.sentinel(), SECRET_XATTR, &mut [0u8; 64][..]);
        if xattr != Ok(SECRET_VALUE.len()) {
            problems.push(format!("sentinel xattr changed: {xattr:?}"));
        }
        problems
    }
}

/// What an operation returned, for the leak check.
enum Got {
    Nothing,
    Data(Vec<u8>),
    Names(Vec<String>),
    Inode(u64),
}

fn leak(got: &Got, fixture: &Fixture) -> Option<String> {
    let contains = |data: &[u8], needle: &[u8]| data.windows(needle.len()).any(|w| w == needle);
    match got {
        Got::Nothing => None,
        Got::Data(data) => [SENTINEL, INNER, SECRET_VALUE]
            .iter()
            .find(|secret| contains(data, secret))
            .map(|secret| {
                format!(
                    "returned outside data {:?}",
                    String::from_utf8_lossy(secret)
                )
            }),
        Got::Names(names) => names
            .iter()
            .find(|n| OUTSIDE_NAMES.contains(&n.as_str()) || n.as_str() == SECRET_XATTR)
            .map(|n| format!("returned the outside name {n:?}")),
        Got::Inode(ino) => fixture
            .outside_inodes
            .contains(ino)
            .then(|| format!("returned the inode {ino} of a node outside")),
    }
}

type Op<B> = (&'static str, fn(&B, &Path) -> Result<Got, FsError>);

fn data(r: Result<Vec<u8>, FsError>) -> Result<Got, FsError> {
    r.map(Got::Data)
}

fn unit(r: Result<(), FsError>) -> Result<Got, FsError> {
    r.map(|()| Got::Nothing)
}

fn read_back<B: FsRead>(fs: &B, at: &str) -> Result<Got, FsError> {
    Ok(Got::Data(fs.read(Path::new(at)).unwrap_or_default()))
}

/// Every operation that takes a path, each given the attack path (`P`) in every position it
/// can take one.
fn ops<B: FsPosix>() -> Vec<Op<B>> {
    vec![
        ("read", |fs, p| data(fs.read(p))),
        ("read_range", |fs, p| data(fs.read_range(p, 0, 1 << 20))),
        ("open_read", |fs, p| {
            let mut out = Vec::new();
            fs.open_read(p)?
                .read_to_end(&mut out)
                .map_err(|e| FsError::io("open_read", p, e))?;
            Ok(Got::Data(out))
        }),
        ("exists", |fs, p| fs.exists(p).map(|_| Got::Nothing)),
        ("metadata", |fs, p| {
            fs.metadata(p).map(|m| Got::Inode(m.inode))
        }),
        ("symlink_metadata", |fs, p| {
            fs.symlink_metadata(p).map(|m| Got::Inode(m.inode))
        }),
        ("path_to_inode", |fs, p| fs.path_to_inode(p).map(Got::Inode)),
        ("read_dir", |fs, p| {
            fs.read_dir(p).map(|es| {
                Got::Names(
                    es.into_iter()
                        .map(|e| e.name.to_string_lossy().into_owned())
                        .collect(),
                )
            })
        }),
        ("read_link", |fs, p| {
            fs.read_link(p)
                .map(|t| Got::Data(t.into_os_string().into_encoded_bytes()))
        }),
        ("write", |fs, p| unit(fs.write(p, b"PWNED"))),
        ("append", |fs, p| unit(fs.append(p, b"PWNED"))),
        ("open_write", |fs, p| {
            let mut w = fs.open_write(p)?;
            std::io::Write::write_all(&mut w, b"PWNED")
                .map_err(|e| FsError::io("open_write", p, e))?;
            Ok(Got::Nothing)
        }),
        ("truncate", |fs, p| unit(fs.truncate(p, 0))),
        ("create_dir", |fs, p| unit(fs.create_dir(p))),
        ("create_dir_all", |fs, p| unit(fs.create_dir_all(p))),
        ("open CREATE|WRITE + write_at", |fs, p| {
            let h = fs.open(p, OpenFlags::WRITE | OpenFlags::CREATE)?;
            let written = fs.write_at(h, b"PWNED", 0);
            fs.close(h)?;
            written.map(|_| Got::Nothing)
        }),
        ("open READ + read_at", |fs, p| {
            let h = fs.open(p, OpenFlags::READ)?;
            let mut buf = vec![0u8; 256];
            let n = fs.read_at(h, &mut buf, 0);
            fs.close(h)?;
            buf.truncate(n?);
            Ok(Got::Data(buf))
        }),
        ("remove_file", |fs, p| unit(fs.remove_file(p))),
        ("remove_dir", |fs, p| unit(fs.remove_dir(p))),
        ("remove_dir_all", |fs, p| unit(fs.remove_dir_all(p))),
        ("rename from P", |fs, p| {
            fs.rename(p, Path::new("/moved"))?;
            read_back(fs, "/moved")
        }),
        ("rename to P", |fs, p| {
            unit(fs.rename(Path::new("/src_file"), p))
        }),
        ("rename dir to P", |fs, p| {
            unit(fs.rename(Path::new("/src_dir"), p))
        }),
        ("hard_link from P", |fs, p| {
            fs.hard_link(p, Path::new("/hl"))?;
            read_back(fs, "/hl")
        }),
        ("hard_link to P", |fs, p| {
            unit(fs.hard_link(Path::new("/src_file"), p))
        }),
        ("copy from P", |fs, p| {
            fs.copy(p, Path::new("/copied"))?;
            read_back(fs, "/copied")
        }),
        ("copy to P", |fs, p| {
            unit(fs.copy(Path::new("/src_file"), p))
        }),
        ("symlink at P", |fs, p| {
            unit(fs.symlink(Path::new("/src_file"), p))
        }),
        ("symlink to P, then read it", |fs, p| {
            fs.symlink(p, Path::new("/via"))?;
            data(fs.read(Path::new("/via")))
        }),
        ("symlink to P, then write it", |fs, p| {
            fs.symlink(p, Path::new("/via"))?;
            unit(fs.write(Path::new("/via"), b"PWNED"))
        }),
        ("symlink to P, then list it", |fs, p| {
            fs.symlink(p, Path::new("/via"))?;
            fs.read_dir(Path::new("/via")).map(|es| {
                Got::Names(
                    es.into_iter()
                        .map(|e| e.name.to_string_lossy().into_owned())
                        .collect(),
                )
            })
        }),
        ("set_permissions", |fs, p| {
            unit(fs.set_permissions(p, Permissions::from_mode(0o777)))
        }),
        ("set_owner", |fs, p| {
            unit(fs.set_owner(p, Some(4242), Some(4242)))
        }),
        ("set_times", |fs, p| {
            unit(fs.set_times(p, Some(SystemTime::now()), Some(SystemTime::now())))
        }),
        ("fsync", |fs, p| unit(fs.fsync(p))),
        ("get_xattr", |fs, p| data(fs.get_xattr(p, SECRET_XATTR))),
        ("list_xattr", |fs, p| fs.list_xattr(p).map(Got::Names)),
        ("set_xattr", |fs, p| {
            unit(fs.set_xattr(p, "user.pwned", b"PWNED"))
        }),
        ("remove_xattr", |fs, p| {
            unit(fs.remove_xattr(p, SECRET_XATTR))
        }),
    ]
}

/// Runs one attack with one operation on a fresh fixture; returns the problems found.
fn run_one<B: FsPosix>(
    attack: &Attack,
    op: &Op<B>,
    make: &dyn Fn(&Path) -> Result<B, FsError>,
) -> Vec<String> {
    let fixture = Fixture::new(attack.setup);
    let fs = make(&fixture.world.root).expect("backend");
    let outer = fixture.world.outer.to_string_lossy();
    let text = attack
        .path
        .replace("{outer}", outer.trim_start_matches('/'));
    let path = Path::new(OsStr::new(&text));
    let result = (op.1)(&fs, path);
    drop(fs);
    let mut problems = fixture.outside_changes();
    match result {
        Ok(got) => problems.extend(leak(&got, &fixture)),
        Err(e) if ALLOWED.contains(&e.code()) => {}
        Err(e) => problems.push(format!(
            "failed with unexpected code {} ({}): {e}",
            e.code(),
            e.kind()
        )),
    }
    problems
        .into_iter()
        .map(|p| format!("{} / {}: {p}", attack.name, op.0))
        .collect()
}

fn run_corpus<B: FsPosix>(
    attacks: Vec<Attack>,
    make: &dyn Fn(&Path) -> Result<B, FsError>,
) -> (usize, Vec<String>) {
    let mut runs = 0;
    let mut problems = Vec::new();
    for attack in attacks {
        for op in ops::<B>() {
            runs += 1;
            problems.extend(run_one(&attack, &op, make));
        }
    }
    (runs, problems)
}

#[test]
fn corpus_has_at_least_30_named_attacks() {
    let attacks = corpus();
    assert!(attacks.len() >= 30, "only {} attacks", attacks.len());
    let names: BTreeSet<_> = attacks.iter().map(|a| a.name).collect();
    assert_eq!(names.len(), attacks.len(), "attack names must be unique");
}

#[test]
fn no_attack_gets_out_of_vrootfs() {
    let (runs, problems) = run_corpus(corpus(), &|root| VRootFsBackend::new(root));
    assert!(runs >= 30 * 30, "only {runs} attack runs");
    assert!(
        problems.is_empty(),
        "{} problem(s) in {runs} runs:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// StdFsBackend has no containment: the same oracle must see it escape, which shows the
/// oracle (and so the test above) can fail. Only [`HOST_SAFE`] attacks run here, whose
/// escapes reach the fixture's own sentinels and nothing else on the machine.
#[test]
fn the_oracle_catches_escapes_from_stdfs() {
    // Only attacks whose escapes stay in the fixture: this backend really escapes.
    let safe = corpus()
        .into_iter()
        .filter(|a| HOST_SAFE.contains(&a.name))
        .collect::<Vec<_>>();
    assert_eq!(
        safe.len(),
        HOST_SAFE.len(),
        "HOST_SAFE names an attack that is gone"
    );
    let (runs, problems) = run_corpus(safe, &|root| StdFsBackend::new(root));
    let leaked_data = problems
        .iter()
        .filter(|p| p.contains("returned outside data"))
        .count();
    let touched = problems
        .iter()
        .filter(|p| p.contains("inotify event"))
        .count();
    let wrote = problems
        .iter()
        .filter(|p| p.contains("entries outside the root changed"))
        .count();
    assert!(
        leaked_data > 0 && touched > 0 && wrote > 0,
        "StdFsBackend escapes went unseen in {runs} runs: {leaked_data} data leaks, \
         {touched} inotify reports, {wrote} outside entries"
    );
}

/// One thread swaps `/flip` between a real directory and a symlink to the outside (an absolute
/// host path, or a relative climb) with `renameat2(RENAME_EXCHANGE)`, as fast as it can, while
/// two threads read, write, list and change things through `/flip/...` for two seconds.
/// Returns the problems seen: outside changes, and reads or listings that got outside data.
fn race<B: FsPosix>(make: &dyn Fn(&Path) -> Result<B, FsError>, target_kind: &str) -> Vec<String> {
    let fixture = Fixture::new(|w| {
        w.dir("/flip");
        // Same name as the outside file, so a read that escaped returns its content.
        std::fs::write(w.host("/flip/inner"), b"INSIDE").expect("inside file");
        std::fs::write(w.host("/flip/only_inside"), b"").expect("inside marker");
        match target_kind {
            "absolute" => w.link(w.sentinel_dir(), "/other"),
            _ => w.link("../sentinel_dir", "/other"),
        }
    });
    let fs = make(&fixture.world.root).expect("backend");
    let stop = AtomicBool::new(false);
    let swaps = AtomicUsize::new(0);
    let inside_reads = AtomicUsize::new(0);
    let mut problems: Vec<String> = Vec::new();
    std::thread::scope(|s| {
        let (root, stop, swaps) = (&fixture.world.root, &stop, &swaps);
        s.spawn(move || {
            let flags = rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::RDONLY;
            let dir = rustix::fs::open(root, flags, rustix::fs::Mode::empty()).expect("root fd");
            while !stop.load(Ordering::Relaxed) {
                let exchange = rustix::fs::RenameFlags::EXCHANGE;
                rustix::fs::renameat_with(&dir, "flip", &dir, "other", exchange).expect("exchange");
                swaps.fetch_add(1, Ordering::Relaxed);
            }
        });
        let users: Vec<_> = (0..2)
            .map(|t| {
                let (fs, inside_reads) = (&fs, &inside_reads);
                s.spawn(move || {
                    let mut seen = Vec::new();
                    let p = |s: &str| PathBuf::from(s);
                    let mut i = 0u32;
                    while !stop.load(Ordering::Relaxed) {
                        i = i.wrapping_add(1);
                        match fs.read(&p("/flip/inner")) {
                            Ok(d) if d == b"INSIDE" => {
                                inside_reads.fetch_add(1, Ordering::Relaxed);
                            }
                            Ok(d) => seen.push(format!(
                                "read /flip/inner gave {:?}",
                                String::from_utf8_lossy(&d)
                            )),
                            Err(_) => {}
                        }
                        if let Ok(entries) = fs.read_dir(&p("/flip")) {
                            if !entries.iter().any(|e| e.name == "only_inside") {
                                seen.push(
                                    "read_dir /flip listed a directory that is not /flip".into(),
                                );
                            }
                        }
                        let _ = fs.write(&p(&format!("/flip/new{t}")), b"PWNED");
                        let _ = fs.append(&p("/flip/inner"), b"");
                        let mode = 0o600 | ((i & 1) * 0o44);
                        let _ = fs.set_permissions(&p("/flip/inner"), Permissions::from_mode(mode));
                        let _ = fs.create_dir(&p(&format!("/flip/d{t}")));
                        let _ = fs.remove_dir(&p(&format!("/flip/d{t}")));
                        let _ = fs.hard_link(&p("/flip/inner"), &p(&format!("/hl{t}_{i}")));
                        let _ = fs.remove_file(&p(&format!("/flip/new{t}")));
                        let _ = fs.metadata(&p("/flip/inner"));
                        let _ = fs.set_xattr(&p("/flip/inner"), "user.pwned", b"x");
                    }
                    seen
                })
            })
            .collect();
        std::thread::sleep(Duration::from_secs(2));
        stop.store(true, Ordering::Relaxed);
        for u in users {
            problems.extend(u.join().expect("user thread"));
        }
    });
    drop(fs);
    problems.extend(fixture.outside_changes());
    assert!(
        swaps.load(Ordering::Relaxed) > 100,
        "the swapper barely ran"
    );
    assert!(
        inside_reads.load(Ordering::Relaxed) > 0,
        "no read ever went through"
    );
    problems
}

#[test]
fn swapping_a_symlink_in_during_use_never_escapes() {
    for target_kind in ["absolute", "relative"] {
        let problems = race(&|root| VRootFsBackend::new(root), target_kind);
        assert!(
            problems.is_empty(),
            "{target_kind} target: {}",
            problems.join("\n")
        );
    }
}

/// The race's oracle sees StdFsBackend (no containment) follow the swapped-in symlink out.
#[test]
fn the_race_oracle_catches_stdfs() {
    let problems = race(&|root| StdFsBackend::new(root), "relative");
    assert!(
        !problems.is_empty(),
        "StdFsBackend followed the outside symlink unseen"
    );
}

/// Renames (and mounts) anywhere on the system make the kernel answer `EAGAIN` to a resolution
/// through `..` that it cannot prove stayed inside (about 5% of these reads without retries);
/// VRootFsBackend retries, backing off, instead of passing the spurious error on.
#[test]
fn lookups_through_dotdot_survive_concurrent_renames() {
    let outer = tempfile::Builder::new()
        .prefix("anyfs-renames-")
        .tempdir()
        .expect("tempdir");
    let root = outer.path().join("root");
    std::fs::create_dir_all(root.join("a")).expect("a");
    std::fs::write(root.join("f"), b"x").expect("f");
    // A `..` the kernel meets itself, inside a symlink's target.
    std::os::unix::fs::symlink("a/../f", root.join("l")).expect("l");
    let churn = outer.path().join("churn");
    std::fs::create_dir(&churn).expect("churn");
    let fs = VRootFsBackend::new(&root).expect("backend");
    let stop = AtomicBool::new(false);
    let renames = AtomicUsize::new(0);
    let (reads, failures) = std::thread::scope(|s| {
        for t in 0..2 {
            let (churn, stop, renames) = (&churn, &stop, &renames);
            s.spawn(move || {
                let (one, two) = (churn.join(format!("{t}-1")), churn.join(format!("{t}-2")));
                std::fs::write(&one, b"").expect("churn file");
                while !stop.load(Ordering::Relaxed) {
                    let _ = std::fs::rename(&one, &two);
                    let _ = std::fs::rename(&two, &one);
                    renames.fetch_add(2, Ordering::Relaxed);
                }
            });
        }
        while renames.load(Ordering::Relaxed) < 100 {
            std::thread::yield_now();
        }
        let (mut reads, mut failures) = (0, Vec::new());
        let until = std::time::Instant::now() + Duration::from_millis(500);
        while std::time::Instant::now() < until {
            reads += 1;
            if let Err(e) = fs.read(Path::new("/l")) {
                failures.push(e.to_string());
            }
        }
        stop.store(true, Ordering::Relaxed);
        (reads, failures)
    });
    assert!(
        failures.is_empty(),
        "{} of {reads} reads failed while {} renames ran, first: {}",
        failures.len(),
        renames.load(Ordering::Relaxed),
        failures[0]
    );
}
