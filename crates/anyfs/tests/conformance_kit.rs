//! Tests of the kit itself: a deliberately faulty backend must fail exactly the cases that
//! cover its faults, a panicking case must not hide the others, and the report must say so.
//! A kit that passes everything proves nothing.

// Integration-test helpers are test code too: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Read, Write};
use std::path::Path;

use anyfs::conformance::{self, check, Case, Report};
use anyfs::{DirEntry, FsDir, FsError, FsRead, FsWrite, MemoryBackend, Metadata};

/// MemoryBackend with three planted faults:
/// - reading a missing file reports `EIO` instead of `ENOENT`;
/// - renaming a path onto itself panics;
/// - `read_dir` of the root lists every entry twice.
struct Faulty(MemoryBackend);

impl FsRead for Faulty {
    fn read(&self, path: &Path) -> Result<Vec<u8>, FsError> {
        match self.0.read(path) {
            Err(FsError::NotFound { .. }) => Err(FsError::backend("read", "planted fault")),
            other => other,
        }
    }
    fn read_range(&self, path: &Path, offset: u64, len: usize) -> Result<Vec<u8>, FsError> {
        self.0.read_range(path, offset, len)
    }
    fn metadata(&self, path: &Path) -> Result<Metadata, FsError> {
        self.0.metadata(path)
    }
    fn open_read(&self, path: &Path) -> Result<Box<dyn Read + Send>, FsError> {
        self.0.open_read(path)
    }
}

impl FsWrite for Faulty {
    fn write(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        self.0.write(path, data)
    }
    fn append(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        self.0.append(path, data)
    }
    fn remove_file(&self, path: &Path) -> Result<(), FsError> {
        self.0.remove_file(path)
    }
    fn rename(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        assert_ne!(from, to, "planted fault: rename onto itself");
        self.0.rename(from, to)
    }
    fn copy(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        self.0.copy(from, to)
    }
    fn truncate(&self, path: &Path, size: u64) -> Result<(), FsError> {
        self.0.truncate(path, size)
    }
    fn open_write(&self, path: &Path) -> Result<Box<dyn Write + Send>, FsError> {
        self.0.open_write(path)
    }
}

impl FsDir for Faulty {
    fn read_dir(&self, path: &Path) -> Result<Vec<DirEntry>, FsError> {
        let mut entries = self.0.read_dir(path)?;
        if path == Path::new("/") {
            entries.extend(entries.clone());
        }
        Ok(entries)
    }
    fn create_dir(&self, path: &Path) -> Result<(), FsError> {
        self.0.create_dir(path)
    }
    fn create_dir_all(&self, path: &Path) -> Result<(), FsError> {
        self.0.create_dir_all(path)
    }
    fn remove_dir(&self, path: &Path) -> Result<(), FsError> {
        self.0.remove_dir(path)
    }
    fn remove_dir_all(&self, path: &Path) -> Result<(), FsError> {
        self.0.remove_dir_all(path)
    }
}

fn failure<'r>(report: &'r Report, name: &str) -> Option<&'r str> {
    report
        .results
        .iter()
        .find(|r| r.name == name)
        .and_then(|r| r.failure.as_deref())
}

#[test]
fn faulty_backend_fails_the_cases_that_cover_its_faults() {
    let report = conformance::run_fs(|| Faulty(MemoryBackend::new()))
        .expect_err("a faulty backend must not pass the kit");

    // Every case ran, the panicking one included.
    let expected_cases: Vec<Case<Faulty>> = conformance::layer1::cases();
    assert_eq!(report.results.len(), expected_cases.len());
    assert_eq!(report.passed() + report.failed(), report.results.len());

    let eio = failure(&report, "read_missing_is_not_found").expect("EIO fault not caught");
    assert!(
        eio.contains("expected ENOENT (NotFound), got EIO (Backend)"),
        "{eio}"
    );

    let panicked = failure(&report, "rename_to_same_path_is_noop").expect("panic not caught");
    assert!(
        panicked.contains("panicked") && panicked.contains("planted fault"),
        "{panicked}"
    );

    let dup = failure(&report, "read_dir_lists_names_and_types").expect("duplicates not caught");
    assert!(dup.contains("distinct names"), "{dup}");
    // An empty root has nothing to duplicate: that case must still pass.
    assert!(failure(&report, "new_backend_has_empty_root").is_none());

    // Unrelated cases still pass, so a failure is specific, not collateral.
    assert!(failure(&report, "read_range_slices").is_none());
    assert!(report.passed() > report.failed());

    let text = format!("{report:?}");
    assert!(text.starts_with("conformance: fs: "), "{text}");
    assert!(text.contains("FAIL read_missing_is_not_found"), "{text}");
}

#[test]
fn expect_err_checks_variant_and_code() {
    let not_found = || {
        Err::<(), _>(FsError::NotFound {
            path: "/a".into(),
            operation: "read",
        })
    };
    assert!(check::expect_err(not_found(), check::NOT_FOUND, "x").is_ok());
    let wrong = check::expect_err(not_found(), check::ALREADY_EXISTS, "x").unwrap_err();
    assert!(wrong.contains("expected EEXIST (AlreadyExists), got ENOENT (NotFound)"));
    let ok = check::expect_err(Ok::<(), FsError>(()), check::NOT_FOUND, "x").unwrap_err();
    assert!(ok.contains("got Ok"));
    // Same code, other variant: still a failure (InvalidInput is EINVAL like InvalidPath).
    let same_code = Err::<(), _>(FsError::InvalidInput {
        operation: "rename",
        reason: "x".into(),
    });
    assert!(check::expect_err(same_code, check::INVALID_PATH, "x").is_err());
}

#[test]
fn report_counts_and_summary() {
    fn pass(_: conformance::Factory<'_, ()>) -> conformance::Outcome {
        Ok(())
    }
    fn fail(_: conformance::Factory<'_, ()>) -> conformance::Outcome {
        Err("nope".into())
    }
    fn boom(_: conformance::Factory<'_, ()>) -> conformance::Outcome {
        panic!("boom")
    }
    let cases = vec![
        Case {
            name: "pass",
            run: pass,
        },
        Case {
            name: "fail",
            run: fail,
        },
        Case {
            name: "boom",
            run: boom,
        },
        Case {
            name: "pass2",
            run: pass,
        },
    ];
    let report = conformance::run_cases("unit", || (), cases).unwrap_err();
    assert_eq!((report.passed(), report.failed()), (2, 2));
    assert_eq!(report.summary(), "conformance: unit: 2 passed, 2 failed");
    assert_eq!(failure(&report, "fail"), Some("nope"));
    assert_eq!(failure(&report, "boom"), Some("panicked: boom"));

    let all_good = vec![Case::<()> {
        name: "pass",
        run: pass,
    }];
    let report = conformance::run_cases("unit", || (), all_good).unwrap();
    assert_eq!(report.summary(), "conformance: unit: 1 passed, 0 failed");
}

mod mutants {
    //! MemoryBackend with one planted fault per run, across layers 2 to 4: each fault must
    //! make the case written for it fail.

    use std::ffi::OsStr;
    use std::io::{Read, Write};
    use std::path::{Path, PathBuf};
    use std::time::SystemTime;

    use anyfs::conformance;
    use anyfs::{
        DirEntry, FsDir, FsError, FsHandles, FsInode, FsLink, FsLock, FsPermissions, FsRead,
        FsStats, FsSync, FsWrite, FsXattr, Handle, LockType, MemoryBackend, Metadata, OpenFlags,
        Permissions, StatFs,
    };

    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    enum Fault {
        /// `symlink_metadata` follows the link.
        LstatFollows,
        /// `metadata` always reports `nlink == 1`.
        NlinkAlwaysOne,
        /// `set_times` is ignored (reports success, changes nothing).
        SetTimesIgnored,
        /// A directory's mtime never moves.
        DirMtimeFrozen,
        /// `path_to_inode` follows a final symlink.
        InodeFollows,
        /// `try_lock` always succeeds.
        TryLockAlwaysWins,
        /// A missing xattr is `ENOENT` instead of `ENODATA`.
        XattrEnoent,
        /// `read_link` drops a relative target's `../`.
        ReadLinkNormalizes,
    }

    struct Mutant(MemoryBackend, Fault);

    impl FsRead for Mutant {
        fn read(&self, path: &Path) -> Result<Vec<u8>, FsError> {
            self.0.read(path)
        }
        fn read_range(&self, path: &Path, offset: u64, len: usize) -> Result<Vec<u8>, FsError> {
            self.0.read_range(path, offset, len)
        }
        fn metadata(&self, path: &Path) -> Result<Metadata, FsError> {
            let mut m = self.0.metadata(path)?;
            if self.1 == Fault::NlinkAlwaysOne {
                m.nlink = 1;
            }
            if self.1 == Fault::DirMtimeFrozen && m.is_dir() {
                m.modified = Some(SystemTime::UNIX_EPOCH);
            }
            Ok(m)
        }
        fn open_read(&self, path: &Path) -> Result<Box<dyn Read + Send>, FsError> {
            self.0.open_read(path)
        }
    }

    impl FsWrite for Mutant {
        fn write(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
            self.0.write(path, data)
        }
        fn append(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
            self.0.append(path, data)
        }
        fn remove_file(&self, path: &Path) -> Result<(), FsError> {
            self.0.remove_file(path)
        }
        fn rename(&self, from: &Path, to: &Path) -> Result<(), FsError> {
            self.0.rename(from, to)
        }
        fn copy(&self, from: &Path, to: &Path) -> Result<(), FsError> {
            self.0.copy(from, to)
        }
        fn truncate(&self, path: &Path, size: u64) -> Result<(), FsError> {
            self.0.truncate(path, size)
        }
        fn open_write(&self, path: &Path) -> Result<Box<dyn Write + Send>, FsError> {
            self.0.open_write(path)
        }
        fn set_times(
            &self,
            path: &Path,
            accessed: Option<SystemTime>,
            modified: Option<SystemTime>,
        ) -> Result<(), FsError> {
            if self.1 == Fault::SetTimesIgnored {
                return Ok(());
            }
            self.0.set_times(path, accessed, modified)
        }
    }

    impl FsDir for Mutant {
        fn read_dir(&self, path: &Path) -> Result<Vec<DirEntry>, FsError> {
            self.0.read_dir(path)
        }
        fn create_dir(&self, path: &Path) -> Result<(), FsError> {
            self.0.create_dir(path)
        }
        fn create_dir_all(&self, path: &Path) -> Result<(), FsError> {
            self.0.create_dir_all(path)
        }
        fn remove_dir(&self, path: &Path) -> Result<(), FsError> {
            self.0.remove_dir(path)
        }
        fn remove_dir_all(&self, path: &Path) -> Result<(), FsError> {
            self.0.remove_dir_all(path)
        }
    }

    impl FsLink for Mutant {
        fn symlink(&self, original: &Path, link: &Path) -> Result<(), FsError> {
            self.0.symlink(original, link)
        }
        fn hard_link(&self, original: &Path, link: &Path) -> Result<(), FsError> {
            self.0.hard_link(original, link)
        }
        fn read_link(&self, path: &Path) -> Result<PathBuf, FsError> {
            let target = self.0.read_link(path)?;
            if self.1 == Fault::ReadLinkNormalizes {
                return Ok(target
                    .components()
                    .filter(|c| c.as_os_str() != "..")
                    .collect());
            }
            Ok(target)
        }
        fn symlink_metadata(&self, path: &Path) -> Result<Metadata, FsError> {
            if self.1 == Fault::LstatFollows {
                return self.0.metadata(path);
            }
            self.0.symlink_metadata(path)
        }
    }

    impl FsPermissions for Mutant {
        fn set_permissions(&self, path: &Path, perm: Permissions) -> Result<(), FsError> {
            self.0.set_permissions(path, perm)
        }
        fn set_owner(
            &self,
            path: &Path,
            uid: Option<u32>,
            gid: Option<u32>,
        ) -> Result<(), FsError> {
            self.0.set_owner(path, uid, gid)
        }
    }

    impl FsSync for Mutant {
        fn sync(&self) -> Result<(), FsError> {
            self.0.sync()
        }
        fn fsync(&self, path: &Path) -> Result<(), FsError> {
            self.0.fsync(path)
        }
    }

    impl FsStats for Mutant {
        fn statfs(&self) -> Result<StatFs, FsError> {
            self.0.statfs()
        }
    }

    impl FsInode for Mutant {
        fn path_to_inode(&self, path: &Path) -> Result<u64, FsError> {
            if self.1 == Fault::InodeFollows {
                return Ok(self.0.metadata(path)?.inode);
            }
            self.0.path_to_inode(path)
        }
        fn inode_to_path(&self, inode: u64) -> Result<PathBuf, FsError> {
            self.0.inode_to_path(inode)
        }
        fn lookup(&self, parent_inode: u64, name: &OsStr) -> Result<u64, FsError> {
            self.0.lookup(parent_inode, name)
        }
        fn metadata_by_inode(&self, inode: u64) -> Result<Metadata, FsError> {
            self.0.metadata_by_inode(inode)
        }
    }

    impl FsHandles for Mutant {
        fn open(&self, path: &Path, flags: OpenFlags) -> Result<Handle, FsError> {
            self.0.open(path, flags)
        }
        fn read_at(&self, handle: Handle, buf: &mut [u8], offset: u64) -> Result<usize, FsError> {
            self.0.read_at(handle, buf, offset)
        }
        fn write_at(&self, handle: Handle, data: &[u8], offset: u64) -> Result<usize, FsError> {
            self.0.write_at(handle, data, offset)
        }
        fn close(&self, handle: Handle) -> Result<(), FsError> {
            self.0.close(handle)
        }
    }

    impl FsLock for Mutant {
        fn lock(&self, handle: Handle, lock: LockType) -> Result<(), FsError> {
            self.0.lock(handle, lock)
        }
        fn try_lock(&self, handle: Handle, lock: LockType) -> Result<bool, FsError> {
            let got = self.0.try_lock(handle, lock)?;
            Ok(got || self.1 == Fault::TryLockAlwaysWins)
        }
        fn unlock(&self, handle: Handle) -> Result<(), FsError> {
            self.0.unlock(handle)
        }
    }

    impl FsXattr for Mutant {
        fn get_xattr(&self, path: &Path, name: &str) -> Result<Vec<u8>, FsError> {
            match self.0.get_xattr(path, name) {
                Err(FsError::XattrNotFound {
                    path, operation, ..
                }) if self.1 == Fault::XattrEnoent => Err(FsError::NotFound { path, operation }),
                other => other,
            }
        }
        fn set_xattr(&self, path: &Path, name: &str, value: &[u8]) -> Result<(), FsError> {
            self.0.set_xattr(path, name, value)
        }
        fn remove_xattr(&self, path: &Path, name: &str) -> Result<(), FsError> {
            self.0.remove_xattr(path, name)
        }
        fn list_xattr(&self, path: &Path) -> Result<Vec<String>, FsError> {
            self.0.list_xattr(path)
        }
    }

    /// Runs layers 1-4 and path resolution with `fault` planted; returns the failed cases.
    fn failed_cases(fault: Fault) -> Vec<&'static str> {
        let make = || Mutant(MemoryBackend::new(), fault);
        let mut failed = Vec::new();
        for report in [
            conformance::run_fs_posix(make),
            conformance::run_path_resolution(make),
        ] {
            let report = report.unwrap_or_else(|r| r);
            failed.extend(report.failures().map(|r| r.name));
        }
        failed
    }

    #[test]
    fn each_planted_fault_is_caught_by_its_case() {
        let expectations = [
            (Fault::LstatFollows, "symlink_metadata_describes_the_link"),
            (Fault::NlinkAlwaysOne, "nlink_of_files_with_hard_links"),
            (Fault::NlinkAlwaysOne, "nlink_of_directories"),
            (Fault::SetTimesIgnored, "set_times_sets_or_is_unsupported"),
            (
                Fault::DirMtimeFrozen,
                "dir_mtime_changes_when_entries_change",
            ),
            (
                Fault::InodeFollows,
                "inodes_are_distinct_and_match_metadata",
            ),
            (Fault::TryLockAlwaysWins, "exclusive_lock_conflicts"),
            (Fault::TryLockAlwaysWins, "shared_locks_coexist"),
            (Fault::XattrEnoent, "xattr_missing_is_enodata"),
            (Fault::ReadLinkNormalizes, "symlink_stores_target_verbatim"),
        ];
        for (fault, case) in expectations {
            let failed = failed_cases(fault);
            assert!(
                failed.contains(&case),
                "{fault:?} was not caught by {case}; failed: {failed:?}"
            );
            assert!(
                failed.len() < 10,
                "{fault:?} failed too broadly: {failed:?}"
            );
        }
    }
}
