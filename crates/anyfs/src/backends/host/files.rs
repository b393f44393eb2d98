//! [`FsRead`]: reads open the file once (following symlinks) and read from the descriptor.

use std::fs::File;
use std::io::Read;
use std::os::unix::fs::FileExt;
use std::path::Path;

use anyfs_backend::{FsError, FsRead, Metadata};
use rustix::fs::{fstat, Mode, OFlags};

use super::{error, is_dir, HostFs, Resolve, VPath};

impl<R: Resolve> HostFs<R> {
    /// Opens `path` for reading; a directory is `NotAFile`. Returns the file and its size.
    pub(super) fn open_file(&self, path: &VPath<'_>) -> Result<(File, u64), FsError> {
        let fd = self.open(path, OFlags::RDONLY, Mode::empty())?;
        let stat = fstat(&fd).map_err(|e| path.err(e))?;
        if is_dir(&stat) {
            return Err(error::is_dir(path.path, path.op));
        }
        Ok((File::from(fd), u64::try_from(stat.st_size).unwrap_or(0)))
    }
}

impl<R: Resolve> FsRead for HostFs<R> {
    fn read(&self, path: &Path) -> Result<Vec<u8>, FsError> {
        let path = VPath::parse(path, "read")?;
        let (mut file, size) = self.open_file(&path)?;
        let mut data = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        file.read_to_end(&mut data).map_err(|e| path.io(e))?;
        Ok(data)
    }

    /// Reads with `pread` from `offset`, at most up to the size the file had when opened.
    fn read_range(&self, path: &Path, offset: u64, len: usize) -> Result<Vec<u8>, FsError> {
        let path = VPath::parse(path, "read_range")?;
        let (file, size) = self.open_file(&path)?;
        let want = usize::try_from(size.saturating_sub(offset))
            .unwrap_or(usize::MAX)
            .min(len);
        let mut data = vec![0u8; want];
        let read = read_full_at(&file, &mut data, offset).map_err(|e| path.io(e))?;
        data.truncate(read);
        Ok(data)
    }

    fn metadata(&self, path: &Path) -> Result<Metadata, FsError> {
        let path = VPath::parse(path, "metadata")?;
        let stat = self.stat(&path, true)?;
        Ok(super::meta::metadata(&stat, &self.root))
    }

    fn open_read(&self, path: &Path) -> Result<Box<dyn Read + Send>, FsError> {
        let path = VPath::parse(path, "open_read")?;
        let (file, _) = self.open_file(&path)?;
        Ok(Box::new(file))
    }
}

/// `pread` until `buf` is full or the end of the file; offsets the host cannot address read as
/// past the end.
pub(crate) fn read_full_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    if offset > i64::MAX as u64 {
        return Ok(0);
    }
    let mut done = 0;
    while let Some(rest) = buf.get_mut(done..) {
        if rest.is_empty() {
            break;
        }
        let at = offset.saturating_add(done as u64);
        match file.read_at(rest, at) {
            Ok(0) => break,
            Ok(n) => done += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}
