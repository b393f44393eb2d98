//! `flock(2)` forwarded to the stack's [`FsLock`](anyfs_backend::FsLock), with per-open
//! handles (`forward_locks`). Only `flock` reaches here: the adapter asks the kernel for
//! `FUSE_FLOCK_LOCKS` and not for POSIX byte-range locks, which the kernel keeps itself (the
//! contract's locks are whole-file, and programs such as SQLite lock byte ranges).
//!
//! A blocking `flock` waits on its own thread, not on a dispatch thread, so lock holders can
//! still be served (their `LOCK_UN` must get through).

use anyfs_backend::LockType;
use fuser::{Errno, ReplyEmpty};

use super::io::stack_handle;
use super::reply::{fs, guarded, Res};
use super::Adapter;

/// `struct flock` lock types (Linux).
const F_RDLCK: i32 = 0;
const F_WRLCK: i32 = 1;
const F_UNLCK: i32 = 2;

fn lock_type(typ: i32) -> Res<Option<LockType>> {
    match typ {
        F_RDLCK => Ok(Some(LockType::Shared)),
        F_WRLCK => Ok(Some(LockType::Exclusive)),
        F_UNLCK => Ok(None),
        _ => Err(Errno::EINVAL),
    }
}

impl Adapter {
    pub(super) fn do_setlk(&self, fh: u64, typ: i32, sleep: bool, reply: ReplyEmpty) {
        let prepared = guarded(|| {
            let posix = self.stack.posix_ref().ok_or(Errno::ENOSYS)?;
            let h = stack_handle(fh).ok_or(Errno::EBADF)?;
            Ok((h, lock_type(typ)?, posix))
        });
        let (h, kind, posix) = match prepared {
            Ok(p) => p,
            Err(e) => return reply.error(e),
        };
        let result = match kind {
            None => guarded(|| posix.unlock(h).map_err(fs)),
            Some(kind) if !sleep => guarded(|| match posix.try_lock(h, kind).map_err(fs)? {
                true => Ok(()),
                false => Err(Errno::EWOULDBLOCK),
            }),
            Some(kind) => {
                let stack = self.stack.clone();
                // If the thread cannot start, the closure (and the reply in it) is dropped,
                // and a dropped reply answers EIO.
                let _ = std::thread::Builder::new()
                    .name("anyfs-flock".into())
                    .spawn(move || {
                        let r = guarded(|| match stack.posix_ref() {
                            Some(p) => p.lock(h, kind).map_err(fs),
                            None => Err(Errno::ENOSYS),
                        });
                        answer(reply, r);
                    });
                return;
            }
        };
        answer(reply, result);
    }
}

fn answer(reply: ReplyEmpty, r: Res<()>) {
    match r {
        Ok(()) => reply.ok(),
        Err(e) => reply.error(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_types_map_to_flock_kinds() {
        assert_eq!(lock_type(F_RDLCK), Ok(Some(LockType::Shared)));
        assert_eq!(lock_type(F_WRLCK), Ok(Some(LockType::Exclusive)));
        assert_eq!(lock_type(F_UNLCK), Ok(None));
        assert_eq!(lock_type(9), Err(Errno::EINVAL));
    }
}
