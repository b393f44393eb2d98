//! Small setup and inspection helpers shared by the cases.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::{Duration, SystemTime};

use super::check::{ok, Outcome};
use crate::{FileType, Fs, FsError};

/// Writes `data` to `path`, naming the step in the failure message.
pub fn put<B: Fs + ?Sized>(fs: &B, path: &str, data: &[u8]) -> Outcome {
    ok(fs.write(Path::new(path), data), &format!("write {path}"))
}

/// Creates `path` and its parents.
pub fn mkdirs<B: Fs + ?Sized>(fs: &B, path: &str) -> Outcome {
    ok(
        fs.create_dir_all(Path::new(path)),
        &format!("create_dir_all {path}"),
    )
}

/// Reads `path`.
pub fn get<B: Fs + ?Sized>(fs: &B, path: &str) -> Result<Vec<u8>, String> {
    ok(fs.read(Path::new(path)), &format!("read {path}"))
}

/// The entry names of a directory, as a set: the contract fixes no order.
pub fn names<B: Fs + ?Sized>(fs: &B, dir: &str) -> Result<BTreeSet<String>, String> {
    Ok(types(fs, dir)?.into_keys().collect())
}

/// The entries of a directory with their types, keyed by name.
pub fn types<B: Fs + ?Sized>(fs: &B, dir: &str) -> Result<BTreeMap<String, FileType>, String> {
    let entries = ok(fs.read_dir(Path::new(dir)), &format!("read_dir {dir}"))?;
    let count = entries.len();
    let map: BTreeMap<String, FileType> = entries
        .into_iter()
        .map(|e| (e.name.to_string_lossy().into_owned(), e.file_type))
        .collect();
    if map.len() != count {
        return Err(format!(
            "read_dir {dir}: {count} entries but only {} distinct names",
            map.len()
        ));
    }
    Ok(map)
}

/// A set of names from string literals, to compare with [`names`].
pub fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// A time well in the past (2001-09-09), used to age a node before a change.
pub fn past() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000)
}

/// Makes the node's mtime older than anything the next operation can set, so a check for
/// "mtime changed" cannot pass or fail by clock resolution.
///
/// Uses `set_times` when the backend has it; otherwise waits long enough for a coarse
/// (millisecond) clock to tick. Returns the mtime after aging.
pub fn age<B: Fs + ?Sized>(fs: &B, path: &str) -> Result<SystemTime, String> {
    match fs.set_times(Path::new(path), Some(past()), Some(past())) {
        Ok(()) => {}
        Err(FsError::NotSupported { .. }) => std::thread::sleep(Duration::from_millis(20)),
        Err(e) => return ok(Err(e), &format!("set_times {path}")),
    }
    mtime(fs, path)
}

/// The node's mtime, which a backend at layer 2 or above must record.
pub fn mtime<B: Fs + ?Sized>(fs: &B, path: &str) -> Result<SystemTime, String> {
    ok(fs.metadata(Path::new(path)), &format!("metadata {path}"))?
        .modified
        .ok_or_else(|| format!("metadata {path}: modified is None (mtime not recorded)"))
}

/// Deterministic non-trivial content of `len` bytes (every byte value occurs).
pub fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i % 251) as u8 ^ seed.wrapping_mul(31))
        .collect()
}
