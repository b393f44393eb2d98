//! Prefaulting the memory a large write is about to fill (Linux).
//!
//! New file content lands in memory the process has never touched. Left to itself the kernel
//! backs it one 4 KiB page at a time, each on its own page fault taken inside the copy; on a
//! virtual machine every fault is an expensive exception, and for a 1 MiB write they cost more
//! than the copy. `MADV_POPULATE_WRITE` (Linux 5.14) backs a whole range in one system call
//! instead, as if each page had been written, without writing anything.
//!
//! Only ranges of at least [`MIN_PREFAULT`] bytes are prefaulted, so small writes pay nothing
//! (not even the system call). Failure is ignored: an older kernel answers `EINVAL` and the
//! pages are faulted in by the copy as before; a refused allocation surfaces there too.
//!
//! Transparent huge pages (`MADV_HUGEPAGE` on buffers of 8 MiB and more) were measured too
//! and left out. Where the huge pages come from memory the host still backs, they fill fresh
//! memory 1.6x faster than prefaulting 4 KiB pages; but on a virtual machine with free page
//! reporting (virtio-balloon, as the 2-vCPU VM this was tuned on) the free 2 MiB blocks are
//! exactly the ones handed back to the host, so a huge page usually costs a host fault per
//! 4 KiB when the kernel zeroes it: sequential writes of a new file fell to 0.4-0.8 GiB/s.
//!
//! Cost and thread safety: one `madvise` per growth of at least 64 KiB, doing in the kernel
//! (O(pages)) the work the copy's page faults would have done; an O(1) comparison otherwise.
//! It only touches the vector it is handed, under whatever lock guards that vector (the tree's
//! write lock), like the copy that follows.

/// The fewest new bytes for which prefaulting pays for its system call.
pub(super) const MIN_PREFAULT: usize = 64 * 1024;

/// Backs the part of `bytes`'s spare capacity that a write ending at `end` will fill (from
/// `bytes.len()` to `end`, whole pages only), if it is at least [`MIN_PREFAULT`] bytes.
/// `end` beyond the capacity prefaults nothing: the caller reserves first.
#[cfg(target_os = "linux")]
pub(super) fn spare(bytes: &mut Vec<u8>, end: usize) {
    let from = bytes.len();
    if end.saturating_sub(from) < MIN_PREFAULT {
        return;
    }
    let Some(range) = bytes.spare_capacity_mut().get_mut(..end - from) else {
        return;
    };
    let page = rustix::param::page_size();
    let skip = range.as_mut_ptr().align_offset(page);
    let Some(aligned) = range.get_mut(skip..) else {
        return;
    };
    let len = aligned.len() / page * page;
    if len == 0 {
        return;
    }
    // SAFETY: the range is whole pages inside this vector's allocation, past its initialized
    // bytes, and stays borrowed for the call. MADV_POPULATE_WRITE only maps those pages
    // writable (zero-filled, as a first write would); it changes no byte anyone can read and
    // does not unmap or move the allocation.
    let _ = unsafe {
        rustix::mm::madvise(
            aligned.as_mut_ptr().cast(),
            len,
            rustix::mm::Advice::LinuxPopulateWrite,
        )
    };
}

/// No prefaulting off Linux: pages are faulted in by the copy.
#[cfg(not(target_os = "linux"))]
pub(super) fn spare(_bytes: &mut Vec<u8>, _end: usize) {}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn prefaulting_changes_no_content_and_no_length() {
        let mut bytes = vec![7u8; 10];
        bytes.reserve(4 * MIN_PREFAULT);
        let capacity = bytes.capacity();
        spare(&mut bytes, 10 + 2 * MIN_PREFAULT);
        assert_eq!(bytes, vec![7u8; 10]);
        assert_eq!(bytes.capacity(), capacity);
        bytes.extend(std::iter::repeat_n(1u8, 2 * MIN_PREFAULT));
        assert_eq!(bytes.len(), 10 + 2 * MIN_PREFAULT);
        assert!(bytes.iter().skip(10).all(|&b| b == 1));
    }

    /// Every growth path that prefaults (positional write past the end with a gap, append,
    /// whole-file replace, truncate up) keeps the content exact.
    #[test]
    fn large_growth_through_the_backend_keeps_content_exact() {
        use crate::backends::memory::MemoryBackend;
        use anyfs_backend::{FsHandles, FsRead, FsWrite, OpenFlags};
        use std::path::Path;

        let fs = MemoryBackend::new();
        let p = Path::new("/big");
        let big = vec![5u8; 3 * MIN_PREFAULT + 123];
        fs.write(p, &big).unwrap();
        assert_eq!(fs.read(p).unwrap(), big);

        let h = fs.open(p, OpenFlags::READ_WRITE).unwrap();
        let gap_at = big.len() as u64 + 1000;
        fs.write_at(h, &big, gap_at).unwrap();
        fs.close(h).unwrap();
        let all = fs.read(p).unwrap();
        assert_eq!(all.len(), big.len() + 1000 + big.len());
        assert_eq!(all.get(..big.len()), Some(&big[..]));
        assert!(all
            .get(big.len()..big.len() + 1000)
            .unwrap()
            .iter()
            .all(|&b| b == 0));
        assert_eq!(all.get(big.len() + 1000..), Some(&big[..]));

        fs.append(p, &big).unwrap();
        assert_eq!(fs.read(p).unwrap().len(), 3 * big.len() + 1000);

        fs.truncate(p, 10).unwrap();
        fs.truncate(p, 4 * MIN_PREFAULT as u64).unwrap();
        let grown = fs.read(p).unwrap();
        assert_eq!(grown.len(), 4 * MIN_PREFAULT);
        assert_eq!(grown.get(..10), Some(&[5u8; 10][..]));
        assert!(grown.get(10..).unwrap().iter().all(|&b| b == 0));
    }

    #[test]
    fn small_or_unreserved_ranges_are_left_alone() {
        let mut bytes = Vec::with_capacity(MIN_PREFAULT / 2);
        spare(&mut bytes, MIN_PREFAULT / 2);
        // Past the capacity: nothing to prefault, and no out-of-bounds range.
        spare(&mut bytes, 1 << 30);
        assert!(bytes.is_empty());
    }
}
