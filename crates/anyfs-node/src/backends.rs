//! Factories of the persistent and host backends: `SqliteBackend` (a database file, or a
//! private in-memory database), `StdFsBackend` and `VRootFsBackend` (a host directory).
//!
//! Glue only: each factory converts its arguments, calls the engine's constructor and wraps the
//! result in a bare [`NativeFs`] with every capability up to `FsPosix`. All of them are
//! `SelfResolving` (they walk paths themselves), so `FileStorage` over them validates and
//! normalizes instead of walking each path twice.
//!
//! All of them are **blocking**: their operations do file I/O or wait on SQLite's locks, so the
//! async methods in JS run on the elastic blocking pool ([`crate::pool`]) and the JS thread
//! stays free; the `*Sync` methods call them on the JS thread, as node's `*Sync` calls do.
//! The in-memory database does no I/O, but its one connection is taken in turns by every
//! operation (a long write holds it), so it is routed to the pool too.
//!
//! The host backends are Linux-only in the engine; elsewhere their factories fail with
//! `NotSupported` (`ENOSYS`) rather than be missing, so JS sees one clear error.

use std::sync::Arc;
use std::time::Duration;

use anyfs::backends::sqlite::{SqliteOptions, Synchronous};
use anyfs::{FsError, SqliteBackend};
use napi_derive::napi;

use crate::convert::{to_u64, to_usize};
use crate::error::{guard, Ctx};
use crate::stack::{NativeFs, POSIX_CAPS};

/// How `SqliteBackend.open` / `SqliteBackend.inMemory` open a database (JS has checked the
/// types and ranges already; the engine checks again). Absent fields keep the engine's
/// defaults.
#[napi(object)]
pub struct NativeSqliteOptions {
    /// SQLite page size of a new database (a power of two, 512..=65536).
    pub page_size: Option<f64>,
    /// Bytes of file content per chunk row of a new database.
    pub chunk_size: Option<f64>,
    /// `"off" | "normal" | "full" | "extra"`.
    pub synchronous: Option<String>,
    /// How long to wait for another process's write lock, in milliseconds.
    pub busy_timeout_ms: Option<f64>,
}

/// The operation name factory errors carry (`syscall` in JS), as node names opening.
const OPEN: &str = "open";

/// The engine's options from the JS ones.
fn sqlite_options(js: Option<NativeSqliteOptions>) -> Result<SqliteOptions, FsError> {
    let mut options = SqliteOptions::new();
    let Some(js) = js else {
        return Ok(options);
    };
    if let Some(page) = js.page_size {
        let page = to_u64(page, "pageSize", OPEN)?;
        let page = u32::try_from(page).map_err(|_| FsError::InvalidInput {
            operation: OPEN,
            reason: format!("pageSize is too large: {page}"),
        })?;
        options = options.page_size(page);
    }
    if let Some(chunk) = js.chunk_size {
        options = options.chunk_size(to_usize(chunk, "chunkSize", OPEN)?);
    }
    if let Some(mode) = js.synchronous.as_deref() {
        options = options.synchronous(synchronous(mode)?);
    }
    if let Some(ms) = js.busy_timeout_ms {
        let ms = to_u64(ms, "busyTimeoutMs", OPEN)?;
        options = options.busy_timeout(Duration::from_millis(ms));
    }
    Ok(options)
}

/// SQLite's `synchronous` mode by its lower-case name.
fn synchronous(mode: &str) -> Result<Synchronous, FsError> {
    match mode {
        "off" => Ok(Synchronous::Off),
        "normal" => Ok(Synchronous::Normal),
        "full" => Ok(Synchronous::Full),
        "extra" => Ok(Synchronous::Extra),
        other => Err(FsError::InvalidInput {
            operation: OPEN,
            reason: format!(
                "synchronous must be 'off', 'normal', 'full' or 'extra', got {other:?}"
            ),
        }),
    }
}

/// A bare handle over a database: blocking, self-resolving, every capability.
fn blocking_handle(backend: SqliteBackend) -> NativeFs {
    NativeFs::bare(Arc::new(backend), POSIX_CAPS, true, true)
}

#[napi]
impl NativeFs {
    /// Opens (or creates) the AnyFS database at `path`. A file that is not an AnyFS database
    /// (or has a newer schema) is refused with the engine's error and left untouched.
    #[napi(factory)]
    pub fn sqlite(path: String, options: Option<NativeSqliteOptions>) -> napi::Result<NativeFs> {
        guard(Ctx::path(OPEN, &path), || {
            let options = sqlite_options(options)?;
            SqliteBackend::open_with(&path, options).map(blocking_handle)
        })
    }

    /// A new private in-memory database, gone when the handle is collected.
    #[napi(factory)]
    pub fn sqlite_in_memory(options: Option<NativeSqliteOptions>) -> napi::Result<NativeFs> {
        guard(Ctx::bare(OPEN), || {
            let options = sqlite_options(options)?;
            SqliteBackend::in_memory_with(options).map(blocking_handle)
        })
    }

    /// The existing host directory `root`, served directly (no containment).
    #[napi(factory)]
    pub fn std_fs(root: String) -> napi::Result<NativeFs> {
        guard(Ctx::path(OPEN, &root), || host::std_fs(&root))
    }

    /// The existing host directory `root` as a contained virtual root.
    #[napi(factory)]
    pub fn vroot_fs(root: String) -> napi::Result<NativeFs> {
        guard(Ctx::path(OPEN, &root), || host::vroot_fs(&root))
    }
}

/// The host backends where the engine has them.
#[cfg(target_os = "linux")]
mod host {
    use std::sync::Arc;

    use anyfs::{FsError, StdFsBackend, VRootFsBackend};

    use crate::stack::{NativeFs, POSIX_CAPS};

    pub(super) fn std_fs(root: &str) -> Result<NativeFs, FsError> {
        let backend = StdFsBackend::new(root)?;
        Ok(NativeFs::bare(Arc::new(backend), POSIX_CAPS, true, true))
    }

    pub(super) fn vroot_fs(root: &str) -> Result<NativeFs, FsError> {
        let backend = VRootFsBackend::new(root)?;
        Ok(NativeFs::bare(Arc::new(backend), POSIX_CAPS, true, true))
    }
}

/// Elsewhere: one clear `NotSupported` (`ENOSYS`) error.
#[cfg(not(target_os = "linux"))]
mod host {
    use anyfs::FsError;

    use crate::stack::NativeFs;

    pub(super) fn std_fs(_root: &str) -> Result<NativeFs, FsError> {
        Err(FsError::NotSupported {
            operation: "StdFsBackend (host backends are Linux-only for now)",
        })
    }

    pub(super) fn vroot_fs(_root: &str) -> Result<NativeFs, FsError> {
        Err(FsError::NotSupported {
            operation: "VRootFsBackend (host backends are Linux-only for now)",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn js(
        page: Option<f64>,
        chunk: Option<f64>,
        sync: Option<&str>,
        busy: Option<f64>,
    ) -> Option<NativeSqliteOptions> {
        Some(NativeSqliteOptions {
            page_size: page,
            chunk_size: chunk,
            synchronous: sync.map(str::to_owned),
            busy_timeout_ms: busy,
        })
    }

    #[test]
    fn options_map_onto_the_engines() {
        let o = sqlite_options(js(Some(8192.0), Some(4096.0), Some("full"), Some(250.0))).unwrap();
        assert_eq!(o.get_page_size(), 8192);
        assert_eq!(o.get_chunk_size(), 4096);
        assert_eq!(o.get_synchronous(), Synchronous::Full);
        assert_eq!(o.get_busy_timeout(), Duration::from_millis(250));
        assert_eq!(sqlite_options(None).unwrap(), SqliteOptions::new());
        assert_eq!(
            sqlite_options(js(None, None, None, None)).unwrap(),
            SqliteOptions::new()
        );
        for (name, mode) in [
            ("off", Synchronous::Off),
            ("normal", Synchronous::Normal),
            ("extra", Synchronous::Extra),
        ] {
            assert_eq!(synchronous(name).unwrap(), mode);
        }
    }

    #[test]
    fn bad_options_are_invalid_input() {
        for bad in [
            js(Some(-1.0), None, None, None),
            js(Some(1.5), None, None, None),
            js(Some(1e12), None, None, None),
            js(None, Some(f64::NAN), None, None),
            js(None, None, Some("FULL"), None),
            js(None, None, None, Some(-5.0)),
        ] {
            let err = sqlite_options(bad).unwrap_err();
            assert_eq!(err.code(), "EINVAL", "{err}");
        }
    }
}
