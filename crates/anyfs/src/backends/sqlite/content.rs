//! File content as chunk rows: `chunks(ino, idx, data)` holds bytes
//! `[idx * chunk_size, idx * chunk_size + len(data))` of the file. Every read and write computes
//! the chunk indexes its byte range covers and touches only those rows, so a file never has to
//! fit in memory and a one-byte change to a 1 GiB file rewrites one chunk.
//!
//! Files are sparse: a missing chunk, or the part of a chunk past its stored length, reads as
//! zero bytes up to the file's size. Extending with `truncate` or writing past the end stores
//! nothing for the gap, all-zero chunks of written data are not stored, and overwriting a whole
//! chunk with zeros deletes its row. Invariant: no chunk
//! holds bytes at or past the file's size (shrinking trims), so growing again reads zeros.

use std::path::Path;
use std::sync::atomic::Ordering;

use anyfs_backend::FsError;
use rusqlite::{params, OptionalExtension};

use super::db::Db;
use super::err::{self, SqlResult};
use super::node::int;

/// Largest file size (`i64::MAX` bytes): offsets are SQLite integers. Larger sizes are
/// `FileSizeExceeded` (`EFBIG`).
pub const MAX_FILE_SIZE: u64 = i64::MAX as u64;

fn all_zero(bytes: &[u8]) -> bool {
    bytes.iter().all(|b| *b == 0)
}

impl Db<'_> {
    fn chunk_size(&self) -> u64 {
        self.fs.chunk_size as u64
    }

    /// Reads the bytes of file `ino` (of `size` bytes) from `offset` into `buf`, up to the end
    /// of the file; returns how many. One range query over the chunks it covers.
    pub fn read_into(
        &self,
        ino: u64,
        size: u64,
        offset: u64,
        buf: &mut [u8],
        operation: &'static str,
    ) -> Result<usize, FsError> {
        if offset >= size || buf.is_empty() {
            return Ok(0);
        }
        let end = size.min(offset.saturating_add(buf.len() as u64));
        let n = usize::try_from(end - offset)
            .unwrap_or(buf.len())
            .min(buf.len());
        let out = buf.get_mut(..n).unwrap_or_default();
        out.fill(0);
        let cs = self.chunk_size();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT idx, data FROM chunks WHERE ino = ?1 AND idx BETWEEN ?2 AND ?3")
            .op(operation)?;
        let mut rows = stmt
            .query(params![int(ino), int(offset / cs), int((end - 1) / cs)])
            .op(operation)?;
        let mut fetched = 0u64;
        while let Some(row) = rows.next().op(operation)? {
            fetched += 1;
            let idx: u64 = row.get(0).op(operation)?;
            let data = row
                .get_ref(1)
                .op(operation)?
                .as_blob()
                .map_err(|e| err::corrupt(operation, &format!("chunk data: {e}")))?;
            let start = idx.saturating_mul(cs);
            let from = start.max(offset);
            let to = start.saturating_add(data.len() as u64).min(end);
            if from >= to {
                continue;
            }
            let src = data.get((from - start) as usize..(to - start) as usize);
            let dst = out.get_mut((from - offset) as usize..(to - offset) as usize);
            if let (Some(src), Some(dst)) = (src, dst) {
                dst.copy_from_slice(src);
            }
        }
        self.fs
            .stats
            .chunks_read
            .fetch_add(fetched, Ordering::Relaxed);
        Ok(n)
    }

    /// Up to `len` bytes of file `ino` from `offset` (shorter at the end of the file).
    pub fn read_range(
        &self,
        ino: u64,
        size: u64,
        offset: u64,
        len: usize,
        path: &Path,
        operation: &'static str,
    ) -> Result<Vec<u8>, FsError> {
        if offset >= size {
            return Ok(Vec::new());
        }
        let want = (size - offset).min(len as u64);
        let n = usize::try_from(want).map_err(|_| err::too_big(path, size, isize::MAX as u64))?;
        let mut out = Vec::new();
        out.try_reserve_exact(n)
            .map_err(|_| err::too_big(path, size, isize::MAX as u64))?;
        out.resize(n, 0);
        let got = self.read_into(ino, size, offset, &mut out, operation)?;
        out.truncate(got);
        Ok(out)
    }

    /// The stored bytes of one chunk, if it has a row.
    fn chunk(
        &self,
        ino: u64,
        idx: u64,
        operation: &'static str,
    ) -> Result<Option<Vec<u8>>, FsError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT data FROM chunks WHERE ino = ?1 AND idx = ?2")
            .op(operation)?;
        let data: Option<Vec<u8>> = stmt
            .query_row(params![int(ino), int(idx)], |r| r.get(0))
            .optional()
            .op(operation)?;
        if data.is_some() {
            self.fs.stats.chunks_read.fetch_add(1, Ordering::Relaxed);
        }
        Ok(data)
    }

    /// Stores one chunk (an upsert: the row is updated in place when it exists).
    fn put_chunk(
        &self,
        ino: u64,
        idx: u64,
        data: &[u8],
        operation: &'static str,
    ) -> Result<(), FsError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "INSERT INTO chunks (ino, idx, data) VALUES (?1, ?2, ?3)
                 ON CONFLICT (ino, idx) DO UPDATE SET data = excluded.data",
            )
            .op(operation)?;
        stmt.execute(params![int(ino), int(idx), data])
            .op(operation)?;
        self.fs.stats.chunks_written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Deletes one chunk row, if it exists.
    fn drop_chunk(&self, ino: u64, idx: u64, operation: &'static str) -> Result<(), FsError> {
        let mut stmt = self
            .conn
            .prepare_cached("DELETE FROM chunks WHERE ino = ?1 AND idx = ?2")
            .op(operation)?;
        let dropped = stmt.execute(params![int(ino), int(idx)]).op(operation)?;
        self.fs
            .stats
            .chunks_written
            .fetch_add(dropped as u64, Ordering::Relaxed);
        Ok(())
    }

    /// Writes `data` at `offset` into file `ino` of `size` bytes and returns the new size. A
    /// chunk the write covers whole is stored without reading it; a partly covered one is read,
    /// patched and stored. A gap before `offset` stores nothing (it reads as zeros).
    pub fn write_chunks(
        &self,
        ino: u64,
        size: u64,
        offset: u64,
        data: &[u8],
        path: &Path,
        operation: &'static str,
    ) -> Result<u64, FsError> {
        if data.is_empty() {
            return Ok(size);
        }
        let end = offset
            .checked_add(data.len() as u64)
            .filter(|&end| end <= MAX_FILE_SIZE)
            .ok_or_else(|| {
                err::too_big(
                    path,
                    offset.saturating_add(data.len() as u64),
                    MAX_FILE_SIZE,
                )
            })?;
        let cs = self.chunk_size();
        for idx in offset / cs..=(end - 1) / cs {
            let start = idx * cs;
            let from = start.max(offset);
            let to = (start + cs).min(end);
            let Some(piece) = data.get((from - offset) as usize..(to - offset) as usize) else {
                return Err(err::corrupt(operation, "chunk arithmetic"));
            };
            let (a, b) = ((from - start) as usize, (to - start) as usize);
            // No row can hold bytes at or past the old size, so a chunk starting there is new.
            let fresh = start >= size;
            if a == 0 && b as u64 == cs && all_zero(piece) {
                // A chunk of zeros is no chunk at all (sparse).
                self.drop_chunk(ino, idx, operation)?;
                continue;
            }
            if a == 0 && (b as u64 == cs || fresh) {
                if !(fresh && all_zero(piece)) {
                    self.put_chunk(ino, idx, piece, operation)?;
                }
                continue;
            }
            let existing = if fresh {
                None
            } else {
                self.chunk(ino, idx, operation)?
            };
            if existing.is_none() && all_zero(piece) {
                continue;
            }
            let mut bytes = existing.unwrap_or_default();
            if bytes.len() < b {
                bytes.resize(b, 0);
            }
            if let Some(dst) = bytes.get_mut(a..b) {
                dst.copy_from_slice(piece);
            }
            self.put_chunk(ino, idx, &bytes, operation)?;
        }
        Ok(size.max(end))
    }

    /// Cuts file `ino` from `old` to `new` bytes: drops whole chunks past the end and trims the
    /// last one. Growing stores nothing (the gap reads as zeros).
    pub fn cut_chunks(
        &self,
        ino: u64,
        old: u64,
        new: u64,
        operation: &'static str,
    ) -> Result<(), FsError> {
        if new >= old {
            return Ok(());
        }
        let cs = self.chunk_size();
        let mut stmt = self
            .conn
            .prepare_cached("DELETE FROM chunks WHERE ino = ?1 AND idx >= ?2")
            .op(operation)?;
        stmt.execute(params![int(ino), int(new.div_ceil(cs))])
            .op(operation)?;
        let keep = new % cs;
        if keep != 0 {
            let mut stmt = self
                .conn
                .prepare_cached(
                    "UPDATE chunks SET data = substr(data, 1, ?3)
                     WHERE ino = ?1 AND idx = ?2 AND length(data) > ?3",
                )
                .op(operation)?;
            let trimmed = stmt
                .execute(params![int(ino), int(new / cs), int(keep)])
                .op(operation)?;
            self.fs
                .stats
                .chunks_written
                .fetch_add(trimmed as u64, Ordering::Relaxed);
        }
        Ok(())
    }

    /// Replaces the whole content of file `ino` with `data` (all-zero chunks are not stored).
    pub fn replace_chunks(
        &self,
        ino: u64,
        data: &[u8],
        path: &Path,
        operation: &'static str,
    ) -> Result<u64, FsError> {
        if data.len() as u64 > MAX_FILE_SIZE {
            return Err(err::too_big(path, data.len() as u64, MAX_FILE_SIZE));
        }
        let mut stmt = self
            .conn
            .prepare_cached("DELETE FROM chunks WHERE ino = ?1")
            .op(operation)?;
        stmt.execute([int(ino)]).op(operation)?;
        for (idx, piece) in data.chunks(self.fs.chunk_size).enumerate() {
            if !all_zero(piece) {
                self.put_chunk(ino, idx as u64, piece, operation)?;
            }
        }
        Ok(data.len() as u64)
    }

    /// Replaces the content of `dst` with that of `src`, inside SQLite (one statement; the
    /// bytes never come into this process).
    pub fn copy_chunks(&self, src: u64, dst: u64, operation: &'static str) -> Result<(), FsError> {
        let mut clear = self
            .conn
            .prepare_cached("DELETE FROM chunks WHERE ino = ?1")
            .op(operation)?;
        clear.execute([int(dst)]).op(operation)?;
        let mut stmt = self
            .conn
            .prepare_cached("INSERT INTO chunks (ino, idx, data) SELECT ?2, idx, data FROM chunks WHERE ino = ?1")
            .op(operation)?;
        let copied = stmt.execute(params![int(src), int(dst)]).op(operation)?;
        self.fs
            .stats
            .chunks_written
            .fetch_add(copied as u64, Ordering::Relaxed);
        Ok(())
    }

    /// Records a content change: the new size, mtime and ctime.
    pub fn set_size(
        &self,
        ino: u64,
        size: u64,
        now: i64,
        operation: &'static str,
    ) -> Result<(), FsError> {
        let mut stmt = self
            .conn
            .prepare_cached("UPDATE inodes SET size = ?2, mtime = ?3, ctime = ?3 WHERE ino = ?1")
            .op(operation)?;
        stmt.execute(params![int(ino), int(size), now])
            .op(operation)?;
        Ok(())
    }
}
