//! `NativeMount`: a FUSE mount of a native stack (the engine's `anyfs::mount`), behind
//! `js/mount.ts`'s `MountHandle`.
//!
//! Glue only: options and errors are converted, everything else is the engine's. Errors are
//! encoded as `"\u{1}anyfs-mount\u{1}<kind>\u{1}<path>\u{1}<message>"` and turned into a JS
//! `MountError` by `js/mount.ts`.
//!
//! Every request is served inside [`with_requester`](crate::js_backend::with_requester), so a
//! request made by a JS thread of this process that would need that same (blocked) thread's JS
//! layer fails fast with `EDEADLK` instead of hanging (DESIGN.md section 6, hazard 2).
//!
//! In-process changes: [`NativeMount::watched`] is the mounted stack wrapped in the engine's
//! `Watched`, so changes made through it reach programs at once despite the kernel's caches.
//!
//! Thread safety: the handle sits behind a mutex; mount and unmount are synchronous (an
//! unmount waits at most a few seconds for the session threads), so they also work from
//! `process.on('exit')`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::time::Duration;

use anyfs::{FsFuse, MountError, MountHandle, MountOptions, MountStack};
use napi::Status;
use napi_derive::napi;
use parking_lot::Mutex;

use crate::ops::Backend;
use crate::stack::NativeFs;

/// Capability bits (see `stack::CAPABILITIES`) a mount needs and uses.
const FS_INODE: u32 = 1 << 7;
const FS_HANDLES: u32 = 1 << 8;
/// Everything below `FsInode`: `Fs` + `FsLink` + `FsPermissions` + `FsSync` + `FsStats`.
const FS_FULL: u32 = (1 << 7) - 1;

/// Mount options as JS passes them (see `js/mount.ts` for the documentation of each).
#[napi(object)]
#[derive(Debug, Default)]
pub struct NativeMountOptions {
    pub read_only: Option<bool>,
    pub allow_other: Option<bool>,
    pub auto_unmount: Option<bool>,
    pub uid: Option<u32>,
    pub gid: Option<u32>,
    pub default_permissions: Option<bool>,
    pub fs_name: Option<String>,
    pub max_write: Option<u32>,
    /// Seconds.
    pub entry_ttl: Option<f64>,
    /// Seconds.
    pub attr_ttl: Option<f64>,
    pub threads: Option<u32>,
    pub forward_locks: Option<bool>,
}

fn seconds(value: Option<f64>, default: Duration, name: &str) -> Result<Duration, MountError> {
    match value {
        None => Ok(default),
        Some(s) => Duration::try_from_secs_f64(s).map_err(|_| {
            MountError::Backend(anyfs::FsError::InvalidInput {
                operation: "mount",
                reason: format!("{name} must be a finite number of seconds >= 0, got {s}"),
            })
        }),
    }
}

fn to_options(o: NativeMountOptions) -> Result<MountOptions, MountError> {
    let d = MountOptions::default();
    Ok(MountOptions {
        read_only: o.read_only.unwrap_or(d.read_only),
        allow_other: o.allow_other.unwrap_or(d.allow_other),
        auto_unmount: o.auto_unmount,
        uid: o.uid,
        gid: o.gid,
        default_permissions: o.default_permissions.unwrap_or(d.default_permissions),
        fs_name: o.fs_name.unwrap_or(d.fs_name),
        max_write: o.max_write.unwrap_or(d.max_write),
        entry_ttl: seconds(o.entry_ttl, d.entry_ttl, "entryTtl")?,
        attr_ttl: seconds(o.attr_ttl, d.attr_ttl, "attrTtl")?,
        threads: o
            .threads
            .map_or(d.threads, |t| usize::try_from(t).unwrap_or(d.threads)),
        forward_locks: o.forward_locks.unwrap_or(d.forward_locks),
    })
}

/// The stack of `fs` as the mount serves it: `FsPosix` when it has handles, else `FsFuse`.
fn mount_stack(fs: &NativeFs) -> Result<MountStack, MountError> {
    if fs.caps & (FS_INODE | FS_FULL) != (FS_INODE | FS_FULL) {
        return Err(MountError::Backend(anyfs::FsError::NotSupported {
            operation: "mount (the stack needs FsFuse: Fs, FsLink, FsPermissions, FsSync, FsStats and FsInode)",
        }));
    }
    let stack = if fs.caps & FS_HANDLES != 0 {
        MountStack::from_posix(Arc::clone(&fs.backend))
    } else {
        let posix = Arc::clone(&fs.backend);
        let fuse: Arc<dyn FsFuse> = posix;
        MountStack::from_fuse(fuse)
    };
    Ok(
        stack.with_request_scope(|pid: u32, serve: &mut dyn FnMut()| {
            crate::js_backend::with_requester(pid, serve)
        }),
    )
}

const MAGIC: &str = "\u{1}anyfs-mount";
const SEP: char = '\u{1}';

fn to_napi(e: &MountError) -> napi::Error {
    let clean = |s: &str| s.replace(SEP, "\u{FFFD}");
    let path = e
        .path()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    let message = format!(
        "{MAGIC}{SEP}{}{SEP}{}{SEP}{}",
        e.kind(),
        clean(&path),
        clean(&e.to_string())
    );
    napi::Error::new(Status::GenericFailure, message)
}

/// Runs `f`; a panic becomes a `Platform` error instead of unwinding into Node.
fn no_panic<T>(f: impl FnOnce() -> Result<T, MountError>) -> napi::Result<T> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(MountError::Platform("panic in the mount glue".into())))
        .map_err(|e| to_napi(&e))
}

/// What the watched stack of a mount is made from: the mounted stack and its traits.
struct Base {
    backend: Backend,
    caps: u32,
    blocking: bool,
    self_resolving: bool,
}

/// A live mount (see the module docs).
#[napi]
pub struct NativeMount {
    handle: Mutex<Option<MountHandle>>,
    mount_point: String,
    base: Base,
}

#[napi]
impl NativeMount {
    /// Mounts `stack` at `mount_point`.
    #[napi(factory)]
    pub fn mount(
        stack: &NativeFs,
        mount_point: String,
        options: Option<NativeMountOptions>,
    ) -> napi::Result<NativeMount> {
        no_panic(|| {
            let options = to_options(options.unwrap_or_default())?;
            let handle = MountHandle::mount_with(mount_stack(stack)?, &mount_point, options)?;
            let mount_point = handle
                .mount_point()
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or(mount_point);
            Ok(NativeMount {
                handle: Mutex::new(Some(handle)),
                mount_point,
                base: Base {
                    backend: Arc::clone(&stack.backend),
                    caps: stack.caps,
                    blocking: stack.blocking,
                    self_resolving: stack.self_resolving,
                },
            })
        })
    }

    /// Unmounts (lazily if files are still open under the mount point). A no-op when already
    /// unmounted.
    #[napi]
    pub fn unmount(&self) -> napi::Result<()> {
        no_panic(|| match self.handle.lock().take() {
            Some(h) => h.unmount(),
            None => Ok(()),
        })
    }

    /// Unmounts, failing with `MountPointBusy` (and staying mounted) while files are open.
    #[napi]
    pub fn try_unmount(&self) -> napi::Result<()> {
        no_panic(|| {
            let mut guard = self.handle.lock();
            if let Some(h) = guard.as_mut() {
                h.try_unmount()?;
            }
            *guard = None;
            Ok(())
        })
    }

    /// Whether the filesystem is still mounted (false after an outside `fusermount3 -u`).
    #[napi(getter)]
    pub fn mounted(&self) -> bool {
        self.handle
            .lock()
            .as_ref()
            .is_some_and(MountHandle::is_mounted)
    }

    /// The mount point (canonical).
    #[napi(getter)]
    pub fn mount_point(&self) -> String {
        self.mount_point.clone()
    }

    /// The mounted stack, watched: every change that succeeds through it (or a `FileStorage`
    /// over it) updates the kernel's caches before returning (`anyfs::mount::Watched`). After
    /// the unmount it only forwards.
    #[napi]
    pub fn watched(&self) -> NativeFs {
        let b = &self.base;
        let backend: Backend = match self.handle.lock().as_ref() {
            Some(h) => Arc::new(h.watch(Arc::clone(&b.backend))),
            None => Arc::clone(&b.backend),
        };
        NativeFs::bare(backend, b.caps, b.blocking, b.self_resolving)
    }

    /// Drops the kernel's cached view of `path` (a path of the stack, such as `/a/b`).
    #[napi]
    pub fn invalidate(&self, path: String) -> napi::Result<()> {
        no_panic(|| {
            if let Some(h) = self.handle.lock().as_ref() {
                h.invalidate(&path);
            }
            Ok(())
        })
    }
}

/// Whether this process can mount (Linux, `/dev/fuse`, root or `fusermount3`).
#[napi]
pub fn mount_is_available() -> bool {
    anyfs::mount::is_available()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_convert_and_reject_bad_ttls() {
        let o = to_options(NativeMountOptions {
            read_only: Some(true),
            entry_ttl: Some(2.5),
            threads: Some(2),
            ..NativeMountOptions::default()
        })
        .unwrap();
        assert!(o.read_only);
        assert_eq!(o.entry_ttl, Duration::from_millis(2500));
        assert_eq!(o.threads, 2);
        let err = to_options(NativeMountOptions {
            attr_ttl: Some(-1.0),
            ..NativeMountOptions::default()
        })
        .unwrap_err();
        assert!(err.to_string().contains("attrTtl"), "{err}");
    }

    #[test]
    fn errors_carry_kind_path_and_message() {
        let e = MountError::InvalidMountPoint {
            path: "/m\u{1}x".into(),
            reason: "does not exist".into(),
        };
        let msg = to_napi(&e).reason;
        let fields: Vec<&str> = msg.split(SEP).collect();
        assert_eq!(fields.len(), 5, "{msg:?}");
        assert_eq!(fields.get(2), Some(&"InvalidMountPoint"));
        assert_eq!(fields.get(3), Some(&"/m\u{FFFD}x"));
    }
}
