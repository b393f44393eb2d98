//! [`Content`]: a file's bytes. Small files live in a heap vector; on Linux, files of
//! [`SHARED_MIN`] bytes and more live in a memfd ([`MemFile`]), so a whole-file read can hand
//! the reader the descriptor to map ([`SharedContent`]) instead of copying the bytes out.
//!
//! # Copy-on-write
//!
//! A memfd is shared by reference count: between clones of the content (`copy`, a cloned
//! tree) and with readers holding a [`SharedContent`]. A change goes through [`Content::room`],
//! which writes in place only when this content holds the only reference; otherwise the bytes
//! move to fresh storage first. So a memfd's bytes never change while anyone else can see it,
//! and it is never shortened (it only grows, and only while unshared): what `SharedContent`
//! promises.
//!
//! # Cost
//!
//! Reads borrow the bytes (O(1)). A change is in place, as a vector's, unless the memfd is
//! shared (then one O(n) copy of the bytes kept). A memfd too small for a growth grows in place
//! (ftruncate and mremap, no copy; at least doubling, so appends cost O(1) system calls per
//! doubling). Creating a memfd costs three system calls, so files
//! below [`SHARED_MIN`] stay in vectors. Thread safety: as the inode table's, which owns every
//! `Content` (changes under its write lock).

use std::ops::Deref;
#[cfg(target_os = "linux")]
use std::sync::Arc;

use anyfs_backend::SharedContent;

#[cfg(target_os = "linux")]
use super::memfile::MemFile;
use super::prefault;

/// Files of at least this many bytes are kept in a memfd (Linux). Below it, a memfd's three
/// system calls and an fd per file buy little: copying a smaller file costs a few µs. (Chosen,
/// not tuned: at this size the Node binding's mapped reads measured 10-12 GB/s.)
#[cfg(target_os = "linux")]
pub(super) const SHARED_MIN: usize = 256 * 1024;

/// The system refused the memory a change needed (the caller answers `ENOSPC`).
#[derive(Debug)]
pub(super) struct Refused;

/// A file's bytes (see the module docs).
pub(super) enum Content {
    /// In a vector: small files, and any file where memfds are unavailable.
    Heap(Vec<u8>),
    /// The first `len` bytes of a memfd.
    #[cfg(target_os = "linux")]
    Shared { file: Arc<MemFile>, len: usize },
}

/// Where a change writes, once [`Content::room`] has made the storage uniquely owned.
enum Room<'a> {
    Heap(&'a mut Vec<u8>),
    #[cfg(target_os = "linux")]
    Shared(&'a mut MemFile, &'a mut usize),
}

/// How much room a change wants.
#[derive(Clone, Copy)]
enum Fit {
    /// Growth by writing: keep any larger storage, double when out of room.
    Grow,
    /// A whole new size (replace, truncate): storage near that size, memory given back when
    /// the file shrinks a lot.
    Exact,
}

impl Default for Content {
    fn default() -> Self {
        Content::Heap(Vec::new())
    }
}

impl Clone for Content {
    /// Vectors are copied; memfds are shared until either side changes (copy-on-write).
    fn clone(&self) -> Self {
        match self {
            Content::Heap(bytes) => Content::Heap(bytes.clone()),
            #[cfg(target_os = "linux")]
            Content::Shared { file, len } => Content::Shared {
                file: Arc::clone(file),
                len: *len,
            },
        }
    }
}

impl Deref for Content {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Content::Heap(bytes) => bytes,
            #[cfg(target_os = "linux")]
            Content::Shared { file, len } => file.bytes().get(..*len).unwrap_or_default(),
        }
    }
}

impl std::fmt::Debug for Content {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Content::Heap(bytes) => f.debug_tuple("Heap").field(&bytes.len()).finish(),
            #[cfg(target_os = "linux")]
            Content::Shared { file, len } => f
                .debug_struct("Shared")
                .field("len", len)
                .field("cap", &file.cap())
                .finish(),
        }
    }
}

impl Content {
    /// The bytes the storage holds room for (tests check that shrinking gives memory back).
    #[cfg(test)]
    pub fn capacity(&self) -> usize {
        match self {
            Content::Heap(bytes) => bytes.capacity(),
            #[cfg(target_os = "linux")]
            Content::Shared { file, .. } => file.cap(),
        }
    }

    /// The bytes as a descriptor a reader may map, when they are in a memfd.
    pub fn shared(&self) -> Option<SharedContent> {
        match self {
            Content::Heap(_) => None,
            #[cfg(target_os = "linux")]
            Content::Shared { file, len } => {
                let file: Arc<dyn std::os::fd::AsFd + Send + Sync> = Arc::clone(file) as _;
                // SAFETY: a memfd is written only through `room`, which writes in place (or
                // grows it: it is never shortened) only while this content's `Arc` is the only
                // one; the clone handed out keeps it shared until dropped.
                Some(unsafe { SharedContent::new(file, *len as u64) })
            }
        }
    }

    /// Writes `data` at `start` (`start + data.len()` must not overflow), zero-filling any gap
    /// after the current end.
    pub fn write_at(&mut self, start: usize, data: &[u8]) -> Result<(), Refused> {
        let len = self.len();
        let end = start + data.len();
        let new = len.max(end);
        match self.room(len, new, Fit::Grow)? {
            Room::Heap(bytes) => {
                if end > bytes.len() {
                    bytes.try_reserve(end - bytes.len()).map_err(|_| Refused)?;
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
            }
            #[cfg(target_os = "linux")]
            Room::Shared(file, size) => {
                let all = file.bytes_mut();
                if let Some(gap) = all.get_mut(len..start) {
                    gap.fill(0);
                }
                if let Some(dst) = all.get_mut(start..end) {
                    dst.copy_from_slice(data);
                }
                *size = new;
            }
        }
        Ok(())
    }

    /// Replaces the whole content with `data`.
    pub fn replace(&mut self, data: &[u8]) -> Result<(), Refused> {
        match self.room(0, data.len(), Fit::Exact)? {
            Room::Heap(bytes) => {
                if bytes.capacity() < data.len() || bytes.capacity() / 2 > data.len() {
                    // A fresh buffer of the right size: nothing old is copied when growing,
                    // memory is returned when shrinking, and on failure the file keeps its
                    // content.
                    let mut fresh = Vec::new();
                    fresh.try_reserve_exact(data.len()).map_err(|_| Refused)?;
                    prefault::spare(&mut fresh, data.len());
                    fresh.extend_from_slice(data);
                    *bytes = fresh;
                } else {
                    bytes.clear();
                    bytes.extend_from_slice(data);
                }
            }
            #[cfg(target_os = "linux")]
            Room::Shared(file, size) => {
                if let Some(dst) = file.bytes_mut().get_mut(..data.len()) {
                    dst.copy_from_slice(data);
                }
                *size = data.len();
            }
        }
        Ok(())
    }

    /// Sets the length to `size`, zero-filling when it grows.
    pub fn set_len(&mut self, size: usize) -> Result<(), Refused> {
        let len = self.len();
        match self.room(len.min(size), size, Fit::Exact)? {
            Room::Heap(bytes) => {
                if size > bytes.len() {
                    bytes
                        .try_reserve_exact(size - bytes.len())
                        .map_err(|_| Refused)?;
                    prefault::spare(bytes, size);
                }
                bytes.resize(size, 0);
                if bytes.capacity() / 2 > size {
                    bytes.shrink_to_fit();
                }
            }
            #[cfg(target_os = "linux")]
            Room::Shared(file, current) => {
                if let Some(grown) = file.bytes_mut().get_mut(*current..size) {
                    grown.fill(0);
                }
                *current = size;
            }
        }
        Ok(())
    }

    /// Makes the storage uniquely owned with room for `new` bytes, keeping the first `keep`
    /// bytes (`keep <= len`); on Linux, moves it between a vector and a memfd as `new` crosses
    /// [`SHARED_MIN`] (see the module docs).
    #[cfg(target_os = "linux")]
    fn room(&mut self, keep: usize, new: usize, fit: Fit) -> Result<Room<'_>, Refused> {
        let in_place = match self {
            Content::Heap(bytes) => new < SHARED_MIN || bytes.capacity() >= new,
            Content::Shared { file, len } => match Arc::get_mut(file) {
                Some(f) if f.cap() >= new => {
                    matches!(fit, Fit::Grow) || f.cap() / 2 <= new.max(SHARED_MIN)
                }
                // Unshared and growing: the memfd and its mapping grow in place, no copy.
                Some(f) if new >= SHARED_MIN => f.grow(match fit {
                    Fit::Grow => new.max(len.saturating_mul(2)),
                    Fit::Exact => new,
                }),
                _ => false,
            },
        };
        if !in_place {
            let kept = self.get(..keep).unwrap_or_default();
            let moved = if new >= SHARED_MIN {
                let cap = match fit {
                    Fit::Grow => new.max(self.len().saturating_mul(2)),
                    Fit::Exact => new,
                };
                shared_copy(kept, cap)?
            } else {
                None
            };
            *self = match moved {
                Some(content) => content,
                None => {
                    let mut bytes = Vec::new();
                    bytes.try_reserve_exact(new).map_err(|_| Refused)?;
                    prefault::spare(&mut bytes, new);
                    bytes.extend_from_slice(kept);
                    Content::Heap(bytes)
                }
            };
        }
        match self {
            Content::Heap(bytes) => Ok(Room::Heap(bytes)),
            Content::Shared { file, len } => {
                let file = Arc::get_mut(file).ok_or(Refused)?;
                if !file.populate(*len, new) {
                    return Err(Refused);
                }
                Ok(Room::Shared(file, len))
            }
        }
    }

    #[cfg(not(target_os = "linux"))]
    fn room(&mut self, _keep: usize, _new: usize, _fit: Fit) -> Result<Room<'_>, Refused> {
        let Content::Heap(bytes) = self;
        Ok(Room::Heap(bytes))
    }
}

/// A memfd of `cap` bytes holding `kept`; `Ok(None)` when memfds are unavailable (the caller
/// uses a vector), `Err` when memory is refused. (`room` backs the pages past `kept`.)
#[cfg(target_os = "linux")]
fn shared_copy(kept: &[u8], cap: usize) -> Result<Option<Content>, Refused> {
    let Some(mut file) = MemFile::create(cap) else {
        return Ok(None);
    };
    if !file.populate(0, kept.len()) {
        return Err(Refused);
    }
    if let Some(dst) = file.bytes_mut().get_mut(..kept.len()) {
        dst.copy_from_slice(kept);
    }
    Ok(Some(Content::Shared {
        file: Arc::new(file),
        len: kept.len(),
    }))
}
