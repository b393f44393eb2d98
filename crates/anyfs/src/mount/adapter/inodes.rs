//! The inodes the kernel holds: their lookup counts (so `forget` ends their life) and, for
//! `FsPosix` stacks, the per-inode handles that serve I/O when opens cost no round trip.
//!
//! The stack's inode numbers go to the kernel unchanged (they are stable, and
//! [`ROOT_INODE`](anyfs_backend::ROOT_INODE) is FUSE's root), so this table translates nothing:
//! it only counts. A per-inode handle is opened at the first read or write of an inode and
//! closed when the kernel forgets the inode (after its last name is gone and its last `close`,
//! or under memory pressure) or at unmount, so a file unlinked while open stays readable, as
//! POSIX says, once it has been read or written.
//!
//! Thread safety and cost: 32 shards, each a `parking_lot::Mutex` over an `FxHashMap`, picked
//! by inode number; every operation is O(1) and holds one shard for a few instructions (never
//! across a call into the stack).

use anyfs_backend::Handle;
use parking_lot::Mutex;
use rustc_hash::FxHashMap;

const SHARDS: usize = 32;

/// One inode the kernel knows.
#[derive(Debug, Default)]
struct Slot {
    /// Lookups the kernel has not forgotten yet.
    lookups: u64,
    /// A read-only handle, opened by the first read.
    reader: Option<Handle>,
    /// A read-write handle, opened by the first write (reads use it too).
    writer: Option<Handle>,
}

type Shard = Mutex<FxHashMap<u64, Slot>>;

/// See the [module docs](self).
#[derive(Debug)]
pub(super) struct InodeTable {
    shards: Vec<Shard>,
    /// Only reached if the shard arithmetic were wrong; keeps `shard` total without a panic.
    spare: Shard,
}

impl InodeTable {
    pub(super) fn new() -> Self {
        InodeTable {
            shards: (0..SHARDS).map(|_| Shard::default()).collect(),
            spare: Shard::default(),
        }
    }

    fn shard(&self, ino: u64) -> &Shard {
        let i = usize::try_from(ino % SHARDS as u64).unwrap_or(0);
        self.shards.get(i).unwrap_or(&self.spare)
    }

    /// The kernel received `ino` in an entry reply (lookup, create, mkdir, readdirplus...).
    pub(super) fn looked_up(&self, ino: u64) {
        let mut shard = self.shard(ino).lock();
        let slot = shard.entry(ino).or_default();
        slot.lookups = slot.lookups.saturating_add(1);
    }

    /// The kernel dropped `n` lookups of `ino`; at zero the inode leaves the table and its
    /// handles are returned for the caller to close.
    pub(super) fn forget(&self, ino: u64, n: u64) -> Vec<Handle> {
        let mut shard = self.shard(ino).lock();
        let Some(slot) = shard.get_mut(&ino) else {
            return Vec::new();
        };
        slot.lookups = slot.lookups.saturating_sub(n);
        if slot.lookups > 0 || ino == anyfs_backend::ROOT_INODE {
            return Vec::new();
        }
        match shard.remove(&ino) {
            Some(slot) => slot.reader.into_iter().chain(slot.writer).collect(),
            None => Vec::new(),
        }
    }

    /// A handle of `ino` fit for writing (`write`) or reading, if one is open.
    pub(super) fn handle(&self, ino: u64, write: bool) -> Option<Handle> {
        let shard = self.shard(ino).lock();
        let slot = shard.get(&ino)?;
        if write {
            slot.writer
        } else {
            slot.writer.or(slot.reader)
        }
    }

    /// Stores a handle just opened for `ino`. Returns the handle to use and, when another
    /// thread stored one first, the caller's own handle to close.
    pub(super) fn install(
        &self,
        ino: u64,
        handle: Handle,
        write: bool,
    ) -> (Handle, Option<Handle>) {
        let mut shard = self.shard(ino).lock();
        let slot = shard.entry(ino).or_default();
        let place = if write {
            &mut slot.writer
        } else {
            &mut slot.reader
        };
        match place {
            Some(existing) => (*existing, Some(handle)),
            None => {
                *place = Some(handle);
                (handle, None)
            }
        }
    }

    /// Empties the table (unmount), returning every handle to close.
    pub(super) fn drain(&self) -> Vec<Handle> {
        let mut out = Vec::new();
        for shard in self.shards.iter().chain(std::iter::once(&self.spare)) {
            for (_, slot) in shard.lock().drain() {
                out.extend(slot.reader);
                out.extend(slot.writer);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forget_closes_at_zero_lookups() {
        let t = InodeTable::new();
        t.looked_up(7);
        t.looked_up(7);
        assert_eq!(t.install(7, Handle(1), false), (Handle(1), None));
        assert_eq!(t.handle(7, false), Some(Handle(1)));
        assert_eq!(t.handle(7, true), None);
        assert!(t.forget(7, 1).is_empty());
        assert_eq!(t.forget(7, 1), vec![Handle(1)]);
        assert_eq!(t.handle(7, false), None);
        assert!(
            t.forget(7, 1).is_empty(),
            "an unknown inode forgets nothing"
        );
    }

    #[test]
    fn a_second_install_loses_and_writers_serve_reads() {
        let t = InodeTable::new();
        assert_eq!(t.install(3, Handle(10), true), (Handle(10), None));
        assert_eq!(
            t.install(3, Handle(11), true),
            (Handle(10), Some(Handle(11)))
        );
        assert_eq!(t.handle(3, false), Some(Handle(10)));
        let mut all = t.drain();
        all.sort();
        assert_eq!(all, vec![Handle(10)]);
    }

    #[test]
    fn the_root_is_never_forgotten() {
        let t = InodeTable::new();
        t.looked_up(1);
        t.install(1, Handle(4), false);
        assert!(t.forget(1, 5).is_empty());
        assert_eq!(t.handle(1, false), Some(Handle(4)));
    }
}
