//! File content primitives: positional write, whole replacement and resize, each charging the
//! capacity and setting mtime and ctime. The bytes change through [`Content`](super::content::Content),
//! whose allocations are fallible, so memory the system refuses is `ENOSPC`, never an abort.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyfs_backend::FsError;

use super::err;
use super::node::Kind;
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
    // Fits in usize: `end` was checked against isize::MAX above.
    bytes.write_at(start as usize, data).map_err(|_| refused)?;
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
    bytes.replace(data).map_err(|_| refused)?;
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
    bytes.set_len(size as usize).map_err(|_| refused)?;
    node.touch(now);
    tree.account(old, size);
    Ok(())
}
