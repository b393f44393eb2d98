//! Host `struct stat` to [`Metadata`], and host times to and from [`SystemTime`].

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyfs_backend::{FileType, Metadata, Permissions};
use rustix::fs::{FileType as HostType, Stat, Timespec, UTIME_OMIT};

use super::root::Root;

/// The contract's type for a host file type. FIFOs, sockets and device nodes (which AnyFS has
/// no type for) are reported as files.
pub(crate) fn file_type(host: HostType) -> FileType {
    match host {
        HostType::Directory => FileType::Directory,
        HostType::Symlink => FileType::Symlink,
        _ => FileType::File,
    }
}

/// Whether the stat describes a directory.
pub(crate) fn is_dir(stat: &Stat) -> bool {
    HostType::from_raw_mode(stat.st_mode) == HostType::Directory
}

/// The stat as contract [`Metadata`]: inode renumbered by [`Root::virtual_ino`], size 0 for
/// directories (as the contract says; hosts report a block size there), no birth time (plain
/// `stat` has none).
#[allow(clippy::unnecessary_cast)] // field widths differ between architectures
pub(crate) fn metadata(stat: &Stat, root: &Root) -> Metadata {
    let file_type = file_type(HostType::from_raw_mode(stat.st_mode));
    Metadata {
        inode: root.virtual_ino(stat.st_dev as u64, stat.st_ino as u64),
        nlink: stat.st_nlink as u64,
        file_type,
        size: if file_type == FileType::Directory {
            0
        } else {
            u64::try_from(stat.st_size).unwrap_or(0)
        },
        permissions: Permissions::from_mode(stat.st_mode as u32),
        uid: stat.st_uid,
        gid: stat.st_gid,
        created: None,
        modified: time(stat.st_mtime as i64, stat.st_mtime_nsec as u64),
        accessed: time(stat.st_atime as i64, stat.st_atime_nsec as u64),
        changed: time(stat.st_ctime as i64, stat.st_ctime_nsec as u64),
    }
}

/// A host timestamp as a `SystemTime` (before 1970 included).
fn time(secs: i64, nanos: u64) -> Option<SystemTime> {
    let nanos = Duration::from_nanos(nanos.min(999_999_999));
    if secs >= 0 {
        UNIX_EPOCH.checked_add(Duration::from_secs(secs.unsigned_abs()) + nanos)
    } else {
        UNIX_EPOCH
            .checked_sub(Duration::from_secs(secs.unsigned_abs()))
            .and_then(|t| t.checked_add(nanos))
    }
}

/// `time` as a `utimensat` timestamp; `None` leaves the host's time unchanged (`UTIME_OMIT`).
pub(crate) fn timespec(time: Option<SystemTime>) -> Timespec {
    let Some(time) = time else {
        return Timespec {
            tv_sec: 0,
            tv_nsec: UTIME_OMIT,
        };
    };
    let clamp = |secs: u64| i64::try_from(secs).unwrap_or(i64::MAX);
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => Timespec {
            tv_sec: clamp(after.as_secs()),
            tv_nsec: after.subsec_nanos().into(),
        },
        Err(before) => {
            // `before` is how far before the epoch: whole seconds down, nanoseconds up.
            let before = before.duration();
            let (secs, nanos) = match before.subsec_nanos() {
                0 => (before.as_secs(), 0),
                n => (before.as_secs().saturating_add(1), 1_000_000_000 - n),
            };
            Timespec {
                tv_sec: clamp(secs).saturating_neg(),
                tv_nsec: nanos.into(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip_both_sides_of_the_epoch() {
        for t in [
            UNIX_EPOCH + Duration::new(1_234_567_890, 123_456_789),
            UNIX_EPOCH - Duration::new(5, 250_000_000),
            UNIX_EPOCH,
        ] {
            let ts = timespec(Some(t));
            assert_eq!(time(ts.tv_sec, ts.tv_nsec as u64), Some(t));
        }
        assert_eq!(timespec(None).tv_nsec, UTIME_OMIT);
    }
}
