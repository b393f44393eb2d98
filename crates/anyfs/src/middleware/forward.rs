//! The pass-through boilerplate of every middleware, in one place: [`forward!`] implements
//! contract traits for a wrapper by forwarding each method to the inner backend, optionally
//! calling a guard first.
//!
//! Every method is listed, the provided ones too (`read_to_string`, `exists`, `set_times`,
//! `set_owner`, the `FsPath` family, and the fast forms `read_with`, `write_replacing`,
//! `remove_file_reporting`, `resolve_path`, `symlink_free`): a wrapper that relied on a trait's
//! default would answer those itself (`set_times` would say `NotSupported` over a backend that
//! supports it, `write_replacing` would send a Quota above it down the slow path) and a policy
//! could be bypassed through them.
//!
//! The fast forms answer `None` when the inner backend does not offer them (nothing done);
//! the caller then makes the calls they stand for. Their guard is asked as for the call they
//! stand for (`"read"`, `"write"`, `"remove_file"`; `"resolve_path"` is a lookup), and a refused guard
//! answers `Some(Err)`. A wrapper that counts calls gives an `undo` method
//! (`fn undo(&self, op: &'static str)`), called when the inner backend answered `None`, so the
//! call that did nothing is not counted besides the calls that follow it
//! (`forward!(RateLimit.inner => ...; guard guard, undo refund)`). `symlink_free` is forwarded
//! without a guard: it is a question, not an operation, and cannot fail.
//!
//! ```text
//! // Every trait the inner backend has, each call passing `self.guard(op, access)?` first:
//! forward!(ReadOnly.inner => FsRead, FsWrite, FsDir, FsLink, FsPermissions, FsSync, FsStats,
//!     FsInode, FsHandles, FsLock, FsXattr, FsPath, SelfResolving; guard guard);
//! // Plain pass-through of the traits a middleware does not intercept:
//! forward!(Quota.inner => FsRead, FsPermissions, FsSync);
//! ```
//!
//! A guard is a method `fn guard(&self, op: &'static str, access: Access) -> Result<(), FsError>`;
//! `op` is the method's name (`"write"`, `"set_permissions"`, ...) and [`Access`] says what kind
//! of call it is. Forwarding costs nothing beyond the guard: the generated methods are
//! `#[inline]` calls on the inner value.

// Which middleware features are enabled decides what uses these; with none, nothing does.
#![allow(unused_macros, unused_imports, dead_code)]

use anyfs_backend::OpenFlags;

/// What a forwarded call does, for guards that treat reads and writes differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Access {
    /// Reads data, metadata, names or attributes (also `close`, which releases a handle).
    Read,
    /// Changes content, metadata, attributes or the namespace.
    Write,
    /// Flushes to durable storage (`sync`, `fsync`): changes nothing a reader can see.
    Sync,
    /// Takes or releases an advisory lock.
    Lock,
}

impl Access {
    /// `open` writes when it may write, create or truncate; a plain read-only open reads.
    pub(crate) fn of_open(flags: OpenFlags) -> Access {
        if flags.writable()
            || flags.contains(OpenFlags::CREATE)
            || flags.contains(OpenFlags::TRUNCATE)
        {
            Access::Write
        } else {
            Access::Read
        }
    }
}

/// `forward!(Wrapper.field => Trait, ...)` or `forward!(Wrapper.field => Trait, ...; guard m)`.
///
/// For each listed trait, generates `impl<B: Trait> Trait for Wrapper<B>` forwarding every
/// method to `self.field` (after `self.m(op, access)?` when a guard is given). Accepts the
/// eleven contract traits, `FsPath` and the `SelfResolving` marker, plus `FsWritePlain` and
/// `FsLinkPlain`: `FsWrite` and `FsLink` without the fast forms, for tests of the generic path
/// a caller takes when the backend does not offer them.
macro_rules! forward {
    ($ty:ident . $field:tt => $($tr:ident),+ $(,)?) => {
        $( $crate::middleware::forward::forward!(@$tr $ty, $field, [], []); )+
    };
    ($ty:ident . $field:tt => $($tr:ident),+ ; guard $guard:ident) => {
        $( $crate::middleware::forward::forward!(@$tr $ty, $field, [$guard], []); )+
    };
    ($ty:ident . $field:tt => $($tr:ident),+ ; guard $guard:ident, undo $undo:ident) => {
        $( $crate::middleware::forward::forward!(@$tr $ty, $field, [$guard], [$undo]); )+
    };

    // One forwarded provided method whose `None` means the inner backend does not offer it and
    // nothing was done: a refused guard answers `Some(Err)` (what the call it stands for, `$op`,
    // would answer); a `None` from the inner backend calls the undo method, if any, since the
    // caller will now make the calls it stands for instead.
    (@o $f:tt, [$($g:ident)?], [$($u:ident)?], $acc:expr, $op:literal,
        fn $m:ident(&self $(, $a:ident : $t:ty)*) -> $r:ty) => {
        #[inline]
        fn $m(&self $(, $a: $t)*) -> $r {
            $( if let Err(e) = self.$g($op, $acc) { return Some(Err(e)); } )?
            let answer = self.$f.$m($($a),*);
            $( if answer.is_none() { self.$u($op); } )?
            answer
        }
    };

    // One forwarded method.
    (@m $f:tt, [$($g:ident)?], $acc:expr, fn $m:ident(&self $(, $a:ident : $t:ty)*) -> $r:ty) => {
        #[inline]
        fn $m(&self $(, $a: $t)*) -> $r {
            $( self.$g(stringify!($m), $acc)?; )?
            self.$f.$m($($a),*)
        }
    };

    (@FsRead $ty:ident, $f:tt, $g:tt, $u:tt) => {
        impl<B: ::anyfs_backend::FsRead> ::anyfs_backend::FsRead for $ty<B> {
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Read,
                fn read(&self, path: &::std::path::Path) -> ::std::result::Result<::std::vec::Vec<u8>, ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Read,
                fn read_to_string(&self, path: &::std::path::Path) -> ::std::result::Result<::std::string::String, ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Read,
                fn read_range(&self, path: &::std::path::Path, offset: u64, len: usize) -> ::std::result::Result<::std::vec::Vec<u8>, ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Read,
                fn exists(&self, path: &::std::path::Path) -> ::std::result::Result<bool, ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Read,
                fn metadata(&self, path: &::std::path::Path) -> ::std::result::Result<::anyfs_backend::Metadata, ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Read,
                fn open_read(&self, path: &::std::path::Path) -> ::std::result::Result<::std::boxed::Box<dyn ::std::io::Read + Send>, ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@o $f, $g, $u, $crate::middleware::forward::Access::Read, "read",
                fn read_with(&self, path: &::std::path::Path, visit: &mut dyn FnMut(&[u8], ::std::option::Option<&::anyfs_backend::SharedContent>)) -> ::std::option::Option<::std::result::Result<(), ::anyfs_backend::FsError>>);
        }
    };

    (@FsWrite $ty:ident, $f:tt, $g:tt, $u:tt) => {
        impl<B: ::anyfs_backend::FsWrite> ::anyfs_backend::FsWrite for $ty<B> {
            $crate::middleware::forward::forward!(@FsWriteMethods $f, $g);
            $crate::middleware::forward::forward!(@o $f, $g, $u, $crate::middleware::forward::Access::Write, "write",
                fn write_replacing(&self, path: &::std::path::Path, data: &[u8]) -> ::std::option::Option<::std::result::Result<::std::option::Option<::anyfs_backend::Metadata>, ::anyfs_backend::FsError>>);
            $crate::middleware::forward::forward!(@o $f, $g, $u, $crate::middleware::forward::Access::Write, "remove_file",
                fn remove_file_reporting(&self, path: &::std::path::Path) -> ::std::option::Option<::std::result::Result<::anyfs_backend::Metadata, ::anyfs_backend::FsError>>);
        }
    };

    // Without the fast forms (their defaults answer `None`): for tests of the generic path.
    (@FsWritePlain $ty:ident, $f:tt, $g:tt, $u:tt) => {
        impl<B: ::anyfs_backend::FsWrite> ::anyfs_backend::FsWrite for $ty<B> {
            $crate::middleware::forward::forward!(@FsWriteMethods $f, $g);
        }
    };

    (@FsWriteMethods $f:tt, $g:tt) => {
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Write,
                fn write(&self, path: &::std::path::Path, data: &[u8]) -> ::std::result::Result<(), ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Write,
                fn append(&self, path: &::std::path::Path, data: &[u8]) -> ::std::result::Result<(), ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Write,
                fn remove_file(&self, path: &::std::path::Path) -> ::std::result::Result<(), ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Write,
                fn rename(&self, from: &::std::path::Path, to: &::std::path::Path) -> ::std::result::Result<(), ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Write,
                fn copy(&self, from: &::std::path::Path, to: &::std::path::Path) -> ::std::result::Result<(), ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Write,
                fn truncate(&self, path: &::std::path::Path, size: u64) -> ::std::result::Result<(), ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Write,
                fn open_write(&self, path: &::std::path::Path) -> ::std::result::Result<::std::boxed::Box<dyn ::std::io::Write + Send>, ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Write,
                fn set_times(&self, path: &::std::path::Path, accessed: ::std::option::Option<::std::time::SystemTime>, modified: ::std::option::Option<::std::time::SystemTime>) -> ::std::result::Result<(), ::anyfs_backend::FsError>);
    };

    (@FsDir $ty:ident, $f:tt, $g:tt, $u:tt) => {
        impl<B: ::anyfs_backend::FsDir> ::anyfs_backend::FsDir for $ty<B> {
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Read,
                fn read_dir(&self, path: &::std::path::Path) -> ::std::result::Result<::std::vec::Vec<::anyfs_backend::DirEntry>, ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Write,
                fn create_dir(&self, path: &::std::path::Path) -> ::std::result::Result<(), ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Write,
                fn create_dir_all(&self, path: &::std::path::Path) -> ::std::result::Result<(), ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Write,
                fn remove_dir(&self, path: &::std::path::Path) -> ::std::result::Result<(), ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Write,
                fn remove_dir_all(&self, path: &::std::path::Path) -> ::std::result::Result<(), ::anyfs_backend::FsError>);
        }
    };

    (@FsLink $ty:ident, $f:tt, $g:tt, $u:tt) => {
        impl<B: ::anyfs_backend::FsLink> ::anyfs_backend::FsLink for $ty<B> {
            $crate::middleware::forward::forward!(@FsLinkMethods $f, $g);
            $crate::middleware::forward::forward!(@o $f, $g, $u, $crate::middleware::forward::Access::Read, "resolve_path",
                fn resolve_path(&self, path: &::std::path::Path, follow_final: bool, operation: &'static str) -> ::std::option::Option<::std::result::Result<::anyfs_backend::path::Resolution, ::anyfs_backend::FsError>>);
            /// A question about the namespace, which a forwarding wrapper leaves as it is: no
            /// guard (it cannot fail, and it is not an operation of its own).
            #[inline]
            fn symlink_free(&self) -> bool {
                self.$f.symlink_free()
            }
        }
    };

    // Without the fast forms (their defaults: `None`, "not known"): for tests of the generic
    // path.
    (@FsLinkPlain $ty:ident, $f:tt, $g:tt, $u:tt) => {
        impl<B: ::anyfs_backend::FsLink> ::anyfs_backend::FsLink for $ty<B> {
            $crate::middleware::forward::forward!(@FsLinkMethods $f, $g);
        }
    };

    (@FsLinkMethods $f:tt, $g:tt) => {
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Write,
                fn symlink(&self, original: &::std::path::Path, link: &::std::path::Path) -> ::std::result::Result<(), ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Write,
                fn hard_link(&self, original: &::std::path::Path, link: &::std::path::Path) -> ::std::result::Result<(), ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Read,
                fn read_link(&self, path: &::std::path::Path) -> ::std::result::Result<::std::path::PathBuf, ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Read,
                fn symlink_metadata(&self, path: &::std::path::Path) -> ::std::result::Result<::anyfs_backend::Metadata, ::anyfs_backend::FsError>);
    };

    (@FsPermissions $ty:ident, $f:tt, $g:tt, $u:tt) => {
        impl<B: ::anyfs_backend::FsPermissions> ::anyfs_backend::FsPermissions for $ty<B> {
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Write,
                fn set_permissions(&self, path: &::std::path::Path, perm: ::anyfs_backend::Permissions) -> ::std::result::Result<(), ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Write,
                fn set_owner(&self, path: &::std::path::Path, uid: ::std::option::Option<u32>, gid: ::std::option::Option<u32>) -> ::std::result::Result<(), ::anyfs_backend::FsError>);
        }
    };

    (@FsSync $ty:ident, $f:tt, $g:tt, $u:tt) => {
        impl<B: ::anyfs_backend::FsSync> ::anyfs_backend::FsSync for $ty<B> {
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Sync,
                fn sync(&self) -> ::std::result::Result<(), ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Sync,
                fn fsync(&self, path: &::std::path::Path) -> ::std::result::Result<(), ::anyfs_backend::FsError>);
        }
    };

    (@FsStats $ty:ident, $f:tt, $g:tt, $u:tt) => {
        impl<B: ::anyfs_backend::FsStats> ::anyfs_backend::FsStats for $ty<B> {
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Read,
                fn statfs(&self) -> ::std::result::Result<::anyfs_backend::StatFs, ::anyfs_backend::FsError>);
        }
    };

    (@FsInode $ty:ident, $f:tt, $g:tt, $u:tt) => {
        impl<B: ::anyfs_backend::FsInode> ::anyfs_backend::FsInode for $ty<B> {
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Read,
                fn path_to_inode(&self, path: &::std::path::Path) -> ::std::result::Result<u64, ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Read,
                fn inode_to_path(&self, inode: u64) -> ::std::result::Result<::std::path::PathBuf, ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Read,
                fn lookup(&self, parent_inode: u64, name: &::std::ffi::OsStr) -> ::std::result::Result<u64, ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Read,
                fn metadata_by_inode(&self, inode: u64) -> ::std::result::Result<::anyfs_backend::Metadata, ::anyfs_backend::FsError>);
        }
    };

    (@FsHandles $ty:ident, $f:tt, $g:tt, $u:tt) => {
        impl<B: ::anyfs_backend::FsHandles> ::anyfs_backend::FsHandles for $ty<B> {
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::of_open(flags),
                fn open(&self, path: &::std::path::Path, flags: ::anyfs_backend::OpenFlags) -> ::std::result::Result<::anyfs_backend::Handle, ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Read,
                fn read_at(&self, handle: ::anyfs_backend::Handle, buf: &mut [u8], offset: u64) -> ::std::result::Result<usize, ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Write,
                fn write_at(&self, handle: ::anyfs_backend::Handle, data: &[u8], offset: u64) -> ::std::result::Result<usize, ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Read,
                fn close(&self, handle: ::anyfs_backend::Handle) -> ::std::result::Result<(), ::anyfs_backend::FsError>);
        }
    };

    (@FsLock $ty:ident, $f:tt, $g:tt, $u:tt) => {
        impl<B: ::anyfs_backend::FsLock> ::anyfs_backend::FsLock for $ty<B> {
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Lock,
                fn lock(&self, handle: ::anyfs_backend::Handle, lock: ::anyfs_backend::LockType) -> ::std::result::Result<(), ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Lock,
                fn try_lock(&self, handle: ::anyfs_backend::Handle, lock: ::anyfs_backend::LockType) -> ::std::result::Result<bool, ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Lock,
                fn unlock(&self, handle: ::anyfs_backend::Handle) -> ::std::result::Result<(), ::anyfs_backend::FsError>);
        }
    };

    (@FsXattr $ty:ident, $f:tt, $g:tt, $u:tt) => {
        impl<B: ::anyfs_backend::FsXattr> ::anyfs_backend::FsXattr for $ty<B> {
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Read,
                fn get_xattr(&self, path: &::std::path::Path, name: &str) -> ::std::result::Result<::std::vec::Vec<u8>, ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Write,
                fn set_xattr(&self, path: &::std::path::Path, name: &str, value: &[u8]) -> ::std::result::Result<(), ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Write,
                fn remove_xattr(&self, path: &::std::path::Path, name: &str) -> ::std::result::Result<(), ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Read,
                fn list_xattr(&self, path: &::std::path::Path) -> ::std::result::Result<::std::vec::Vec<::std::string::String>, ::anyfs_backend::FsError>);
        }
    };

    (@FsPath $ty:ident, $f:tt, $g:tt, $u:tt) => {
        impl<B: ::anyfs_backend::FsPath> ::anyfs_backend::FsPath for $ty<B> {
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Read,
                fn canonicalize(&self, path: &::std::path::Path) -> ::std::result::Result<::std::path::PathBuf, ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Read,
                fn soft_canonicalize(&self, path: &::std::path::Path) -> ::std::result::Result<::std::path::PathBuf, ::anyfs_backend::FsError>);
            $crate::middleware::forward::forward!(@m $f, $g, $crate::middleware::forward::Access::Read,
                fn anchored_canonicalize(&self, path: &::std::path::Path, anchor: &::std::path::Path) -> ::std::result::Result<::std::path::PathBuf, ::anyfs_backend::FsError>);
        }
    };

    (@SelfResolving $ty:ident, $f:tt, $g:tt, $u:tt) => {
        impl<B: ::anyfs_backend::SelfResolving> ::anyfs_backend::SelfResolving for $ty<B> {}
    };
}

pub(crate) use forward;
