//! Advisory locks, within one thread and across threads.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use anyfs_backend::{FsHandles, FsLock, FsWrite, LockType, OpenFlags};

use super::{code, p, MemoryBackend};

fn setup() -> (MemoryBackend, anyfs_backend::Handle, anyfs_backend::Handle) {
    let fs = MemoryBackend::new();
    fs.write(p("/f"), b"x").unwrap();
    let a = fs.open(p("/f"), OpenFlags::READ).unwrap();
    let b = fs.open(p("/f"), OpenFlags::READ).unwrap();
    (fs, a, b)
}

#[test]
fn shared_locks_coexist_and_exclude_exclusive() {
    let (fs, a, b) = setup();
    assert!(fs.try_lock(a, LockType::Shared).unwrap());
    assert!(fs.try_lock(b, LockType::Shared).unwrap());
    let c = fs.open(p("/f"), OpenFlags::READ).unwrap();
    assert!(!fs.try_lock(c, LockType::Exclusive).unwrap());
    fs.unlock(a).unwrap();
    assert!(!fs.try_lock(c, LockType::Exclusive).unwrap());
    fs.unlock(b).unwrap();
    assert!(fs.try_lock(c, LockType::Exclusive).unwrap());
    assert!(!fs.try_lock(a, LockType::Shared).unwrap());
}

#[test]
fn exclusive_excludes_everything_until_close() {
    let (fs, a, b) = setup();
    fs.lock(a, LockType::Exclusive).unwrap();
    assert!(!fs.try_lock(b, LockType::Shared).unwrap());
    assert!(!fs.try_lock(b, LockType::Exclusive).unwrap());
    fs.close(a).unwrap();
    assert!(fs.try_lock(b, LockType::Exclusive).unwrap());
}

#[test]
fn locks_are_per_inode() {
    let (fs, a, _) = setup();
    fs.write(p("/g"), b"").unwrap();
    let g = fs.open(p("/g"), OpenFlags::READ).unwrap();
    fs.lock(a, LockType::Exclusive).unwrap();
    assert!(fs.try_lock(g, LockType::Exclusive).unwrap());
}

#[test]
fn relocking_converts() {
    let (fs, a, b) = setup();
    fs.lock(a, LockType::Exclusive).unwrap();
    fs.lock(a, LockType::Exclusive).unwrap();
    // Downgrade lets a shared lock in.
    fs.lock(a, LockType::Shared).unwrap();
    assert!(fs.try_lock(b, LockType::Shared).unwrap());
    // An upgrade that conflicts fails with try_lock, and the old shared lock stays.
    assert!(!fs.try_lock(a, LockType::Exclusive).unwrap());
    let c = fs.open(p("/f"), OpenFlags::READ).unwrap();
    assert!(!fs.try_lock(c, LockType::Exclusive).unwrap());
    fs.unlock(b).unwrap();
    assert!(fs.try_lock(a, LockType::Exclusive).unwrap());
}

#[test]
fn unlock_without_a_lock_is_fine_and_bad_handles_are_ebadf() {
    let (fs, a, _) = setup();
    fs.unlock(a).unwrap();
    fs.close(a).unwrap();
    assert_eq!(code(fs.lock(a, LockType::Shared)), "EBADF");
    assert_eq!(code(fs.try_lock(a, LockType::Shared)), "EBADF");
    assert_eq!(code(fs.unlock(a)), "EBADF");
}

#[test]
fn lock_blocks_until_the_holder_unlocks() {
    let (fs, a, b) = setup();
    fs.lock(a, LockType::Exclusive).unwrap();
    let acquired = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel();
    let waiter = {
        let fs = fs.clone();
        let acquired = acquired.clone();
        thread::spawn(move || {
            tx.send(()).unwrap();
            fs.lock(b, LockType::Shared).unwrap();
            acquired.store(true, Ordering::SeqCst);
        })
    };
    rx.recv().unwrap();
    // The waiter cannot have the lock while `a` holds it exclusively.
    thread::sleep(Duration::from_millis(20));
    assert!(!acquired.load(Ordering::SeqCst));
    fs.unlock(a).unwrap();
    waiter.join().unwrap();
    assert!(acquired.load(Ordering::SeqCst));
    assert!(!fs.try_lock(a, LockType::Exclusive).unwrap());
}

#[test]
fn a_waiter_whose_handle_closes_gets_ebadf() {
    let (fs, a, b) = setup();
    fs.lock(a, LockType::Exclusive).unwrap();
    let (tx, rx) = mpsc::channel();
    let waiter = {
        let fs = fs.clone();
        thread::spawn(move || {
            tx.send(()).unwrap();
            fs.lock(b, LockType::Exclusive)
        })
    };
    rx.recv().unwrap();
    thread::sleep(Duration::from_millis(10));
    // Closing the waiting handle itself ends its wait with EBADF, while `a` still holds.
    fs.close(b).unwrap();
    assert_eq!(code(waiter.join().unwrap()), "EBADF");
    assert!(!fs
        .try_lock(fs.open(p("/f"), OpenFlags::READ).unwrap(), LockType::Shared)
        .unwrap());
    fs.close(a).unwrap();
}

#[test]
fn exclusive_lock_is_mutual_exclusion_across_threads() {
    let fs = MemoryBackend::new();
    fs.write(p("/counter"), b"0").unwrap();
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let fs = fs.clone();
            thread::spawn(move || {
                let h = fs.open(p("/counter"), OpenFlags::READ_WRITE).unwrap();
                for _ in 0..50 {
                    fs.lock(h, LockType::Exclusive).unwrap();
                    // Read-modify-write that would lose updates without the lock.
                    let mut buf = [0u8; 16];
                    let n = fs.read_at(h, &mut buf, 0).unwrap();
                    let v: u64 = std::str::from_utf8(&buf[..n]).unwrap().parse().unwrap();
                    thread::yield_now();
                    let s = (v + 1).to_string();
                    let trunc = fs
                        .open(p("/counter"), OpenFlags::WRITE | OpenFlags::TRUNCATE)
                        .unwrap();
                    fs.write_at(trunc, s.as_bytes(), 0).unwrap();
                    fs.close(trunc).unwrap();
                    fs.unlock(h).unwrap();
                }
                fs.close(h).unwrap();
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    use anyfs_backend::FsRead;
    assert_eq!(fs.read_to_string(p("/counter")).unwrap(), "400");
}
