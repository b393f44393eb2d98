//! The [`fuser::Filesystem`] impl: each callback runs its `do_*` body under the panic guard
//! and turns the result into the reply. Also the connection setup (`init`): request sizes and
//! the kernel features that remove round trips.

use std::ffi::OsStr;
use std::path::Path;
use std::time::SystemTime;

use fuser::{
    AccessFlags, BsdFileFlags, Errno, FileHandle, Filesystem, FopenFlags, Generation, INodeNo,
    InitFlags, KernelConfig, LockOwner, OpenFlags, RenameFlags, ReplyAttr, ReplyCreate, ReplyData,
    ReplyDirectory, ReplyDirectoryPlus, ReplyEmpty, ReplyEntry, ReplyLock, ReplyOpen, ReplyStatfs,
    ReplyWrite, ReplyXattr, Request, TimeOrNow, WriteFlags,
};

use super::attrs::Changes;
use super::reply::{guarded, Res};
use super::xattr::XattrReply;
use super::Adapter;

fn empty(reply: ReplyEmpty, r: Res<()>) {
    match r {
        Ok(()) => reply.ok(),
        Err(e) => reply.error(e),
    }
}

impl Adapter {
    fn entry_reply(&self, reply: ReplyEntry, r: Res<fuser::FileAttr>) {
        match r {
            Ok(attr) => reply.entry_with_ttls(
                &self.settings.attr_ttl,
                &self.settings.entry_ttl,
                &attr,
                Generation(0),
            ),
            Err(e) => reply.error(e),
        }
    }

    fn attr_reply(&self, reply: ReplyAttr, r: Res<fuser::FileAttr>) {
        match r {
            Ok(attr) => reply.attr(&self.settings.attr_ttl, &attr),
            Err(e) => reply.error(e),
        }
    }
}

fn xattr_reply(reply: ReplyXattr, r: Res<XattrReply>) {
    match r {
        Ok(XattrReply::Size(n)) => reply.size(n),
        Ok(XattrReply::Data(d)) => reply.data(&d),
        Err(e) => reply.error(e),
    }
}

impl Filesystem for Adapter {
    fn init(&mut self, _req: &Request, config: &mut KernelConfig) -> std::io::Result<()> {
        // Each is optional: a kernel without one simply does without.
        let _ = config.set_max_write(self.settings.max_write);
        let _ = config.set_max_background(64);
        // Skipping OPEN needs a kernel that understands an ENOSYS answer (Linux 4.18+); an
        // older one gets an empty answer (no handle) to each OPEN instead.
        self.settings.skip_open = config
            .capabilities()
            .contains(InitFlags::FUSE_NO_OPEN_SUPPORT);
        // AUTO_INVAL_DATA makes a refreshed mtime drop a file's cached pages: how unwatched
        // in-process changes reach programs once the TTL expires. It also drops them at the
        // first stat after a write through the mount (the kernel does not track the mtime our
        // write set), ~0.8 µs of that stat and a READ at the next read; kept for coherence.
        // WRITEBACK_CACHE is left out: measured slower here for sequential writes (the kernel
        // throttles FUSE dirty pages hard) and for create+write (a flush and a SETATTR of the
        // times at each close), and it makes the kernel own size and mtime.
        let mut wanted = InitFlags::FUSE_DO_READDIRPLUS
            | InitFlags::FUSE_READDIRPLUS_AUTO
            | InitFlags::FUSE_PARALLEL_DIROPS
            | InitFlags::FUSE_AUTO_INVAL_DATA
            | InitFlags::FUSE_CACHE_SYMLINKS
            | InitFlags::FUSE_ASYNC_DIO;
        if self.settings.per_open {
            // O_TRUNC inside OPEN saves a SETATTR; only with real opens (with no OPEN at all
            // the kernel would skip the truncation).
            wanted |= InitFlags::FUSE_ATOMIC_O_TRUNC | InitFlags::FUSE_FLOCK_LOCKS;
        }
        for flag in wanted.iter() {
            let _ = config.add_capabilities(flag);
        }
        Ok(())
    }

    fn destroy(&mut self) {
        self.close_all();
    }

    fn lookup(&self, req: &Request, parent: INodeNo, name: &OsStr, reply: ReplyEntry) {
        let r = self.serve(req, || self.entry(parent.0, name));
        self.entry_reply(reply, r);
    }

    fn forget(&self, _req: &Request, ino: INodeNo, nlookup: u64) {
        let _ = guarded(|| {
            let handles = self.inodes.forget(ino.0, nlookup);
            if let Some(posix) = self.stack.posix_ref() {
                for h in handles {
                    let _ = posix.close(h);
                }
            }
            Ok(())
        });
    }

    fn getattr(&self, req: &Request, ino: INodeNo, _fh: Option<FileHandle>, reply: ReplyAttr) {
        let r = self.serve(req, || self.do_getattr(ino.0));
        self.attr_reply(reply, r);
    }

    fn setattr(
        &self,
        req: &Request,
        ino: INodeNo,
        mode: Option<u32>,
        uid: Option<u32>,
        gid: Option<u32>,
        size: Option<u64>,
        atime: Option<TimeOrNow>,
        mtime: Option<TimeOrNow>,
        _ctime: Option<SystemTime>,
        _fh: Option<FileHandle>,
        _crtime: Option<SystemTime>,
        _chgtime: Option<SystemTime>,
        _bkuptime: Option<SystemTime>,
        _flags: Option<BsdFileFlags>,
        reply: ReplyAttr,
    ) {
        let changes = Changes {
            mode,
            uid,
            gid,
            size,
            atime,
            mtime,
        };
        let r = self.serve(req, || self.do_setattr(ino.0, changes));
        self.attr_reply(reply, r);
    }

    fn readlink(&self, req: &Request, ino: INodeNo, reply: ReplyData) {
        match self.serve(req, || self.do_readlink(ino.0)) {
            Ok(target) => reply.data(&target),
            Err(e) => reply.error(e),
        }
    }

    fn mknod(
        &self,
        req: &Request,
        parent: INodeNo,
        name: &OsStr,
        mode: u32,
        umask: u32,
        _rdev: u32,
        reply: ReplyEntry,
    ) {
        let r = self.serve(req, || self.do_mknod(parent.0, name, mode, umask));
        self.entry_reply(reply, r);
    }

    fn mkdir(
        &self,
        req: &Request,
        parent: INodeNo,
        name: &OsStr,
        mode: u32,
        umask: u32,
        reply: ReplyEntry,
    ) {
        let r = self.serve(req, || self.do_mkdir(parent.0, name, mode, umask));
        self.entry_reply(reply, r);
    }

    fn unlink(&self, req: &Request, parent: INodeNo, name: &OsStr, reply: ReplyEmpty) {
        empty(reply, self.serve(req, || self.do_unlink(parent.0, name)));
    }

    fn rmdir(&self, req: &Request, parent: INodeNo, name: &OsStr, reply: ReplyEmpty) {
        empty(reply, self.serve(req, || self.do_rmdir(parent.0, name)));
    }

    fn symlink(
        &self,
        req: &Request,
        parent: INodeNo,
        link_name: &OsStr,
        target: &Path,
        reply: ReplyEntry,
    ) {
        let r = self.serve(req, || self.do_symlink(parent.0, link_name, target));
        self.entry_reply(reply, r);
    }

    fn rename(
        &self,
        req: &Request,
        parent: INodeNo,
        name: &OsStr,
        newparent: INodeNo,
        newname: &OsStr,
        flags: RenameFlags,
        reply: ReplyEmpty,
    ) {
        let r = self.serve(req, || {
            self.do_rename(parent.0, name, newparent.0, newname, flags)
        });
        empty(reply, r);
    }

    fn link(
        &self,
        req: &Request,
        ino: INodeNo,
        newparent: INodeNo,
        newname: &OsStr,
        reply: ReplyEntry,
    ) {
        let r = self.serve(req, || self.do_link(ino.0, newparent.0, newname));
        self.entry_reply(reply, r);
    }

    fn open(&self, req: &Request, ino: INodeNo, flags: OpenFlags, reply: ReplyOpen) {
        match self.serve(req, || self.do_open(ino.0, flags.0)) {
            Ok(fh) => reply.opened(FileHandle(fh), FopenFlags::FOPEN_KEEP_CACHE),
            Err(e) => reply.error(e),
        }
    }

    fn read(
        &self,
        req: &Request,
        ino: INodeNo,
        fh: FileHandle,
        offset: u64,
        size: u32,
        _flags: OpenFlags,
        _lock_owner: Option<LockOwner>,
        reply: ReplyData,
    ) {
        // The reply is moved into the body, which answers from the thread's read buffer; a
        // panic drops it, and a dropped reply answers EIO.
        let _ = self.serve(req, || {
            let mut reply = Some(reply);
            let r = self.read_with(ino.0, fh.0, offset, size, |data| {
                if let Some(reply) = reply.take() {
                    reply.data(data);
                }
            });
            if let (Err(e), Some(reply)) = (r, reply.take()) {
                reply.error(e);
            }
            Ok(())
        });
    }

    fn write(
        &self,
        req: &Request,
        ino: INodeNo,
        fh: FileHandle,
        offset: u64,
        data: &[u8],
        _write_flags: WriteFlags,
        _flags: OpenFlags,
        _lock_owner: Option<LockOwner>,
        reply: ReplyWrite,
    ) {
        match self.serve(req, || self.do_write(ino.0, fh.0, offset, data)) {
            Ok(n) => reply.written(n),
            Err(e) => reply.error(e),
        }
    }

    /// Every write reached the stack before it was answered, so there is nothing to flush:
    /// `ENOSYS` tells the kernel to stop sending FLUSH on every `close(2)`.
    fn flush(
        &self,
        _req: &Request,
        _ino: INodeNo,
        _fh: FileHandle,
        _lo: LockOwner,
        reply: ReplyEmpty,
    ) {
        reply.error(Errno::ENOSYS);
    }

    fn release(
        &self,
        req: &Request,
        _ino: INodeNo,
        fh: FileHandle,
        _flags: OpenFlags,
        _lock_owner: Option<LockOwner>,
        _flush: bool,
        reply: ReplyEmpty,
    ) {
        empty(reply, self.serve(req, || self.do_release(fh.0)));
    }

    fn fsync(&self, req: &Request, ino: INodeNo, _fh: FileHandle, _ds: bool, reply: ReplyEmpty) {
        empty(reply, self.serve(req, || self.do_fsync(ino.0)));
    }

    fn opendir(&self, req: &Request, ino: INodeNo, _flags: OpenFlags, reply: ReplyOpen) {
        match self.serve(req, || self.do_opendir(ino.0)) {
            Ok(fh) => reply.opened(FileHandle(fh), FopenFlags::empty()),
            Err(e) => reply.error(e),
        }
    }

    fn readdir(
        &self,
        req: &Request,
        ino: INodeNo,
        fh: FileHandle,
        offset: u64,
        reply: ReplyDirectory,
    ) {
        // The reply is moved into the body; a panic drops it, and a dropped reply answers EIO.
        let _ = self.serve(req, || {
            self.do_readdir(ino, fh, offset, reply);
            Ok(())
        });
    }

    fn readdirplus(
        &self,
        req: &Request,
        ino: INodeNo,
        fh: FileHandle,
        offset: u64,
        reply: ReplyDirectoryPlus,
    ) {
        let _ = self.serve(req, || {
            self.do_readdirplus(ino, fh, offset, reply);
            Ok(())
        });
    }

    fn releasedir(
        &self,
        _req: &Request,
        _ino: INodeNo,
        fh: FileHandle,
        _f: OpenFlags,
        reply: ReplyEmpty,
    ) {
        self.dirs.remove(fh.0);
        reply.ok();
    }

    fn fsyncdir(&self, req: &Request, ino: INodeNo, _fh: FileHandle, _ds: bool, reply: ReplyEmpty) {
        empty(reply, self.serve(req, || self.do_fsync(ino.0)));
    }

    fn statfs(&self, req: &Request, _ino: INodeNo, reply: ReplyStatfs) {
        match self.serve(req, || self.do_statfs()) {
            Ok((blocks, bfree, bavail, files, ffree, bsize, namelen)) => {
                reply.statfs(blocks, bfree, bavail, files, ffree, bsize, namelen, bsize)
            }
            Err(e) => reply.error(e),
        }
    }

    fn setxattr(
        &self,
        req: &Request,
        ino: INodeNo,
        name: &OsStr,
        value: &[u8],
        flags: i32,
        _position: u32,
        reply: ReplyEmpty,
    ) {
        empty(
            reply,
            self.serve(req, || self.do_setxattr(ino.0, name, value, flags)),
        );
    }

    fn getxattr(&self, req: &Request, ino: INodeNo, name: &OsStr, size: u32, reply: ReplyXattr) {
        xattr_reply(
            reply,
            self.serve(req, || self.do_getxattr(ino.0, name, size)),
        );
    }

    fn listxattr(&self, req: &Request, ino: INodeNo, size: u32, reply: ReplyXattr) {
        xattr_reply(reply, self.serve(req, || self.do_listxattr(ino.0, size)));
    }

    fn removexattr(&self, req: &Request, ino: INodeNo, name: &OsStr, reply: ReplyEmpty) {
        empty(reply, self.serve(req, || self.do_removexattr(ino.0, name)));
    }

    fn access(&self, req: &Request, ino: INodeNo, mask: AccessFlags, reply: ReplyEmpty) {
        let r = self.serve(req, || self.do_access(ino.0, mask, req.uid(), req.gid()));
        empty(reply, r);
    }

    fn create(
        &self,
        req: &Request,
        parent: INodeNo,
        name: &OsStr,
        mode: u32,
        umask: u32,
        flags: i32,
        reply: ReplyCreate,
    ) {
        match self.serve(req, || self.do_create(parent.0, name, mode, umask, flags)) {
            Ok((attr, fh)) => reply.created(
                &self.settings.entry_ttl,
                &attr,
                Generation(0),
                FileHandle(fh),
                FopenFlags::FOPEN_KEEP_CACHE,
            ),
            Err(e) => reply.error(e),
        }
    }

    /// POSIX byte-range locks stay in the kernel (see `locks.rs`).
    fn getlk(
        &self,
        _req: &Request,
        _ino: INodeNo,
        _fh: FileHandle,
        _lock_owner: LockOwner,
        _start: u64,
        _end: u64,
        _typ: i32,
        _pid: u32,
        reply: ReplyLock,
    ) {
        reply.error(Errno::ENOSYS);
    }

    fn setlk(
        &self,
        _req: &Request,
        _ino: INodeNo,
        fh: FileHandle,
        _lock_owner: LockOwner,
        _start: u64,
        _end: u64,
        typ: i32,
        _pid: u32,
        sleep: bool,
        reply: ReplyEmpty,
    ) {
        self.do_setlk(fh.0, typ, sleep, reply);
    }
}
