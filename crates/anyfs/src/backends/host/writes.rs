//! [`FsWrite`]: content changes through a descriptor opened once; entry changes (`unlinkat`,
//! `renameat`) in the parent directory the resolver opened, so a final symlink is never
//! followed by them.

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::time::SystemTime;

use anyfs_backend::{FsError, FsWrite};
use rustix::fs::{
    fchmod, fstat, ftruncate, renameat, statat, unlinkat, AtFlags, Mode, OFlags, Timestamps,
};

use super::{error, is_dir, key, meta, HostFs, Last, Resolve, VPath};

/// Mode of new files before the umask, as `std::fs` and `open(2)` callers use.
const FILE_MODE: Mode = Mode::from_raw_mode(0o666);

impl<R: Resolve> HostFs<R> {
    /// Opens `path` for writing with `extra` flags (creating it if missing, through a dangling
    /// symlink too, as `open(O_CREAT)` does).
    fn open_for_writing(&self, path: &VPath<'_>, extra: OFlags) -> Result<File, FsError> {
        let flags = OFlags::WRONLY | OFlags::CREATE | extra;
        self.open(path, flags, FILE_MODE).map(File::from)
    }

    /// Linux `unlink("x/")`: never removes anything; says why.
    fn remove_file_with_slash(&self, path: &VPath<'_>) -> FsError {
        match self.stat(&path.with_text(path.text.trim_end_matches('/')), false) {
            Ok(stat) if is_dir(&stat) => error::is_dir(path.path, path.op),
            Ok(_) => error::not_dir(path.path, path.op),
            Err(e) => e,
        }
    }
}

impl<R: Resolve> FsWrite for HostFs<R> {
    fn write(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        let path = VPath::parse(path, "write")?;
        let mut file = self.open_for_writing(&path, OFlags::TRUNC)?;
        file.write_all(data).map_err(|e| path.io(e))
    }

    /// One `O_APPEND` write: appends from many threads or processes interleave whole.
    fn append(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        let path = VPath::parse(path, "append")?;
        let mut file = self.open_for_writing(&path, OFlags::APPEND)?;
        file.write_all(data).map_err(|e| path.io(e))
    }

    fn remove_file(&self, path: &Path) -> Result<(), FsError> {
        let path = VPath::parse(path, "remove_file")?;
        if path.trailing_slash {
            return Err(self.remove_file_with_slash(&path));
        }
        let parent = self.parent(&path, || error::is_dir(path.path, path.op))?;
        unlinkat(&parent.dir, parent.name.as_str(), AtFlags::empty()).map_err(|e| path.err(e))
    }

    fn rename(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        const OP: &str = "rename";
        let src = VPath::parse(from, OP)?;
        let dst = VPath::parse(to, OP)?;
        for p in [&src, &dst] {
            match p.last {
                Last::Root => return Err(error::root_busy(OP)),
                Last::Dot => return Err(error::invalid(OP, "cannot rename . or ..")),
                Last::Name(_) => {}
            }
        }
        let src_parent = self.parent(&src, || error::root_busy(OP))?;
        if src.trailing_slash || dst.trailing_slash {
            // A trailing slash on either side requires the source to be a directory.
            let stat = statat(
                &src_parent.dir,
                src_parent.name.as_str(),
                AtFlags::SYMLINK_NOFOLLOW,
            )
            .map_err(|e| src.err(e))?;
            if !is_dir(&stat) {
                return Err(error::not_dir(src.path, OP));
            }
        }
        let dst_parent = self.parent(&dst, || error::root_busy(OP))?;
        renameat(
            &src_parent.dir,
            src_parent.name.as_str(),
            &dst_parent.dir,
            dst_parent.name.as_str(),
        )
        .map_err(|e| match e {
            rustix::io::Errno::NOTEMPTY
            | rustix::io::Errno::EXIST
            | rustix::io::Errno::ISDIR
            | rustix::io::Errno::NOTDIR => dst.err(e),
            rustix::io::Errno::XDEV => FsError::CrossDevice {
                from: from.to_path_buf(),
                to: to.to_path_buf(),
                operation: OP,
            },
            e => src.err(e),
        })?;
        self.inodes.renamed(&key(from), &key(to));
        Ok(())
    }

    /// Follows a source symlink; copies content (with `copy_file_range` where the host can)
    /// and permission bits. Copying a file onto itself leaves it unchanged.
    fn copy(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        const OP: &str = "copy";
        let src = VPath::parse(from, OP)?;
        let dst = VPath::parse(to, OP)?;
        let (mut source, _) = self.open_file(&src)?;
        let src_stat = fstat(&source).map_err(|e| src.err(e))?;
        // Not truncated yet: the destination may be the source under another name.
        let mut target = self.open_for_writing(&dst, OFlags::empty())?;
        let dst_stat = fstat(&target).map_err(|e| dst.err(e))?;
        if (dst_stat.st_dev, dst_stat.st_ino) == (src_stat.st_dev, src_stat.st_ino) {
            return Ok(());
        }
        ftruncate(&target, 0).map_err(|e| dst.err(e))?;
        std::io::copy(&mut source, &mut target).map_err(|e| dst.io(e))?;
        fchmod(&target, Mode::from_raw_mode(src_stat.st_mode & 0o7777)).map_err(|e| dst.err(e))
    }

    fn truncate(&self, path: &Path, size: u64) -> Result<(), FsError> {
        let path = VPath::parse(path, "truncate")?;
        let fd = self.open(&path, OFlags::WRONLY, Mode::empty())?;
        ftruncate(&fd, size).map_err(|e| path.err(e))
    }

    fn open_write(&self, path: &Path) -> Result<Box<dyn Write + Send>, FsError> {
        let path = VPath::parse(path, "open_write")?;
        Ok(Box::new(self.open_for_writing(&path, OFlags::TRUNC)?))
    }

    /// `utimensat` on the resolved node, at full host precision.
    fn set_times(
        &self,
        path: &Path,
        accessed: Option<SystemTime>,
        modified: Option<SystemTime>,
    ) -> Result<(), FsError> {
        let path = VPath::parse(path, "set_times")?;
        let times = Timestamps {
            last_access: meta::timespec(accessed),
            last_modification: meta::timespec(modified),
        };
        self.node(&path)?.set_times(&times).map_err(|e| path.err(e))
    }
}
