//! [`FsLock`](crate::FsLock) cases: `flock(2)`-style advisory locks between handles.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::conformance::check::*;
use crate::conformance::fixtures::*;
use crate::conformance::report::{cases, Case, Factory};
use crate::{FsPosix, Handle, LockType, OpenFlags};

/// The FsLock cases.
pub fn cases<B: FsPosix>() -> Vec<Case<B>> {
    cases![B;
        exclusive_lock_conflicts,
        shared_locks_coexist,
        lock_conversion,
        close_releases_lock,
        unlock_without_lock_is_noop,
        locks_are_per_file,
        lock_on_invalid_handle_is_ebadf,
        blocking_lock_waits_for_release,
    ]
}

fn two_handles<B: FsPosix>(fs: &B, path: &str) -> Result<(Handle, Handle), String> {
    put(fs, path, b"lock me")?;
    let a = ok(fs.open(p(path), OpenFlags::READ_WRITE), "open a")?;
    let b = ok(fs.open(p(path), OpenFlags::READ_WRITE), "open b")?;
    Ok((a, b))
}

fn try_lock<B: FsPosix>(fs: &B, h: Handle, kind: LockType, what: &str) -> Result<bool, String> {
    ok(fs.try_lock(h, kind), what)
}

fn exclusive_lock_conflicts<B: FsPosix>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    let (a, b) = two_handles(&fs, "/f")?;
    ensure(
        try_lock(&fs, a, LockType::Exclusive, "a exclusive")?,
        || "try_lock exclusive on a free file failed".into(),
    )?;
    ensure(
        !try_lock(&fs, b, LockType::Exclusive, "b exclusive")?,
        || "b got an exclusive lock while a holds one".into(),
    )?;
    ensure(!try_lock(&fs, b, LockType::Shared, "b shared")?, || {
        "b got a shared lock while a holds an exclusive one".into()
    })?;
    ok(fs.unlock(a), "unlock a")?;
    ensure(
        try_lock(&fs, b, LockType::Exclusive, "b exclusive")?,
        || "b cannot lock after a unlocked".into(),
    )?;
    ok(fs.close(a), "close a")?;
    ok(fs.close(b), "close b")
}

fn shared_locks_coexist<B: FsPosix>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    let (a, b) = two_handles(&fs, "/f")?;
    let c = ok(fs.open(p("/f"), OpenFlags::READ), "open c")?;
    ok(fs.lock(a, LockType::Shared), "lock a shared")?;
    ensure(try_lock(&fs, b, LockType::Shared, "b shared")?, || {
        "two shared locks conflict".into()
    })?;
    ensure(
        !try_lock(&fs, c, LockType::Exclusive, "c exclusive")?,
        || "c got an exclusive lock while two shared locks are held".into(),
    )?;
    for h in [a, b, c] {
        ok(fs.close(h), "close")?;
    }
    Ok(())
}

fn lock_conversion<B: FsPosix>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    let (a, b) = two_handles(&fs, "/f")?;
    ok(fs.lock(a, LockType::Shared), "lock a shared")?;
    ensure(try_lock(&fs, a, LockType::Exclusive, "upgrade a")?, || {
        "the only holder cannot upgrade shared to exclusive".into()
    })?;
    ensure(!try_lock(&fs, b, LockType::Shared, "b shared")?, || {
        "b got a shared lock after a upgraded to exclusive".into()
    })?;
    ok(fs.lock(a, LockType::Shared), "downgrade a")?;
    ensure(try_lock(&fs, b, LockType::Shared, "b shared")?, || {
        "b cannot share after a downgraded".into()
    })?;
    ensure(
        !try_lock(&fs, a, LockType::Exclusive, "upgrade a again")?,
        || "a upgraded to exclusive while b holds a shared lock".into(),
    )?;
    ok(fs.close(a), "close a")?;
    ok(fs.close(b), "close b")
}

fn close_releases_lock<B: FsPosix>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    let (a, b) = two_handles(&fs, "/f")?;
    ok(fs.lock(a, LockType::Exclusive), "lock a exclusive")?;
    ok(fs.close(a), "close a")?;
    ensure(
        try_lock(&fs, b, LockType::Exclusive, "b exclusive")?,
        || "closing a handle did not release its lock".into(),
    )?;
    ok(fs.close(b), "close b")
}

fn unlock_without_lock_is_noop<B: FsPosix>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    let (a, b) = two_handles(&fs, "/f")?;
    ok(fs.unlock(a), "unlock without a lock")?;
    ok(fs.lock(b, LockType::Exclusive), "lock b")?;
    ok(fs.unlock(a), "unlock a while b holds a lock")?;
    ensure(!try_lock(&fs, a, LockType::Shared, "a shared")?, || {
        "unlocking a released b's lock".into()
    })?;
    ok(fs.close(a), "close a")?;
    ok(fs.close(b), "close b")
}

fn locks_are_per_file<B: FsPosix>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    let (a, _) = two_handles(&fs, "/one")?;
    let (b, _) = two_handles(&fs, "/two")?;
    ok(fs.lock(a, LockType::Exclusive), "lock /one")?;
    ensure(try_lock(&fs, b, LockType::Exclusive, "lock /two")?, || {
        "a lock on /one blocks /two".into()
    })
}

fn lock_on_invalid_handle_is_ebadf<B: FsPosix>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    let never = Handle(u64::MAX);
    expect_err(
        fs.lock(never, LockType::Shared),
        INVALID_HANDLE,
        "lock invalid",
    )?;
    expect_err(
        fs.try_lock(never, LockType::Exclusive),
        INVALID_HANDLE,
        "try_lock invalid",
    )?;
    expect_err(fs.unlock(never), INVALID_HANDLE, "unlock invalid")
}

fn blocking_lock_waits_for_release<B: FsPosix>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    let (a, b) = two_handles(&fs, "/f")?;
    ok(fs.lock(a, LockType::Exclusive), "lock a")?;
    let (tx, rx) = mpsc::channel();
    let fs_ref = &fs;
    thread::scope(|s| {
        s.spawn(move || {
            let _ = tx.send(
                fs_ref
                    .lock(b, LockType::Exclusive)
                    .map_err(|e| e.to_string()),
            );
        });
        // While a holds the lock, b's lock() must not return. (A wrong implementation may
        // go unnoticed if the thread is slow to start, but a right one never fails here.)
        thread::sleep(Duration::from_millis(50));
        let early = rx.try_recv().is_ok();
        let unlocked = fs.unlock(a);
        let late = rx.recv_timeout(Duration::from_secs(30));
        ensure(!early, || {
            "lock() returned while another handle held the lock".into()
        })?;
        ok(unlocked, "unlock a")?;
        match late {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(format!("blocked lock() failed after release: {e}")),
            Err(_) => {
                // The scope cannot end while that thread waits: say why the run hangs.
                eprintln!("conformance: lock() still waiting 30 s after the holder unlocked");
                Err("lock() still waiting 30 s after the holder unlocked".into())
            }
        }
    })?;
    ok(fs.close(a), "close a")?;
    ok(fs.close(b), "close b")
}
