//! File content primitives: positional write, whole replacement and resize, each charging the
//! capacity and setting mtime and ctime. Growth goes through `try_reserve`, so an allocation
//! the system refuses is `ENOSPC`, never an abort; a large growth then has its new pages
//! prefaulted in one system call (`prefault.rs`) rather than one page fault per 4 KiB.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyfs_backend::FsError;

use super::err;
use super::node::Kind;
use super::prefault;
use super::tree::Tree;

/// The path to name in an error about inode `ino` (computed only when an error happens).
fn error_path(tree: &Tree, ino: u64, path: Option<&Path>) -> PathBuf {
    match path {
        Some(p) => p.to_path_buf(),
        None => tree.path_of(ino, "write").unwrap_or_default(),
    }
}

/// Writes `data` into file `ino` at `offset` (`None`: at the end), zero-filling a gap, charging
/// the capacity, and setting mtime and ctime.
pub(super) fn write_file(
    tree: &mut Tree,
    ino: u64,
    offset: Option<u64>,
    data: &[u8],
    now: SystemTime,
    path: Option<&Path>,
    operation: &'static str,
) -> Result<(), FsError> {
    let old = tree.node(ino, operation)?.size();
    let start = offset.unwrap_or(old);
    let end = start
        .checked_add(data.len() as u64)
        .filter(|&end| end <= isize::MAX as u64)
        .ok_or_else(|| err::too_big(&error_path(tree, ino, path), u64::MAX))?;
    let new = old.max(end);
    tree.check_space(old, new)?;
    let refused = tree.out_of_memory(new - old);
    let node = tree.node_mut(ino, operation)?;
    let Kind::File(bytes) = &mut node.kind else {
        return Err(err::corrupt(operation));
    };
    // Both fit in usize: `end` was checked against isize::MAX above.
    let (start, end) = (start as usize, end as usize);
    if end > bytes.len() {
        bytes.try_reserve(end - bytes.len()).map_err(|_| refused)?;
        prefault::spare(bytes, end);
    }
    if start > bytes.len() {
        bytes.resize(start, 0);
    }
    let overlap = bytes.len().min(end) - start;
    let (head, tail) = data.split_at(overlap);
    if let Some(dst) = bytes.get_mut(start..start + overlap) {
        dst.copy_from_slice(head);
    }
    bytes.extend_from_slice(tail);
    node.touch(now);
    tree.account(old, new);
    Ok(())
}

/// Replaces the whole content of file `ino` (`write`, `copy`), reusing its buffer when the
/// sizes are close and releasing it when the file shrinks a lot.
pub(super) fn replace_file(
    tree: &mut Tree,
    ino: u64,
    data: &[u8],
    now: SystemTime,
    path: &Path,
    operation: &'static str,
) -> Result<(), FsError> {
    let old = tree.node(ino, operation)?.size();
    let new = data.len() as u64;
    tree.check_space(old, new)?;
    let refused = tree.out_of_memory(new);
    let node = tree.node_mut(ino, operation)?;
    let Kind::File(bytes) = &mut node.kind else {
        return Err(err::is_dir(path, operation));
    };
    if bytes.capacity() < data.len() || bytes.capacity() / 2 > data.len() {
        // A fresh buffer of the right size: nothing old is copied when growing, memory is
        // returned when shrinking, and on failure the file keeps its content.
        let mut fresh = Vec::new();
        fresh.try_reserve_exact(data.len()).map_err(|_| refused)?;
        prefault::spare(&mut fresh, data.len());
        fresh.extend_from_slice(data);
        *bytes = fresh;
    } else {
        bytes.clear();
        bytes.extend_from_slice(data);
    }
    node.touch(now);
    tree.account(old, new);
    Ok(())
}

/// Sets file `ino` to `size` bytes (zero-filled when growing), charging the capacity.
pub(super) fn set_len(
    tree: &mut Tree,
    ino: u64,
    size: u64,
    now: SystemTime,
    path: &Path,
    operation: &'static str,
) -> Result<(), FsError> {
    if size > isize::MAX as u64 {
        return Err(err::too_big(path, size));
    }
    let old = tree.node(ino, operation)?.size();
    tree.check_space(old, size)?;
    let refused = tree.out_of_memory(size.saturating_sub(old));
    let node = tree.node_mut(ino, operation)?;
    let Kind::File(bytes) = &mut node.kind else {
        return Err(err::is_dir(path, operation));
    };
    let size = size as usize;
    if size > bytes.len() {
        bytes
            .try_reserve_exact(size - bytes.len())
            .map_err(|_| refused)?;
        prefault::spare(bytes, size);
    }
    bytes.resize(size, 0);
    if bytes.capacity() / 2 > size {
        bytes.shrink_to_fit();
    }
    node.touch(now);
    tree.account(old, size as u64);
    Ok(())
}
