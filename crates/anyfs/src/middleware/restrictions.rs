//! `Restrictions<B>`: opt-in denial of chmod/chown, symlink creation and hard links (`EPERM`).
//!
//! ```
//! use std::path::Path;
//! use anyfs::middleware::restrictions::{Restrictions, RestrictionsLayer};
//! use anyfs::{FsLink, FsPermissions, FsWrite, LayerExt, MemoryBackend, Permissions};
//!
//! let fs = Restrictions::new(MemoryBackend::new())
//!     .deny_hard_links()
//!     .deny_permissions();
//! fs.write(Path::new("/a"), b"x")?;
//! fs.symlink(Path::new("/a"), Path::new("/link"))?; // symlinks were not denied
//! let err = fs.hard_link(Path::new("/a"), Path::new("/b")).unwrap_err();
//! assert_eq!(err.code(), "EPERM");
//! let err = fs.set_permissions(Path::new("/a"), Permissions::from_mode(0o777)).unwrap_err();
//! assert_eq!(err.code(), "EPERM");
//!
//! // The same through a layer.
//! let layer = RestrictionsLayer::builder().deny_symlinks().build();
//! let fs = MemoryBackend::new().layer(layer);
//! assert_eq!(fs.symlink(Path::new("/t"), Path::new("/l")).unwrap_err().code(), "EPERM");
//! # Ok::<(), anyfs::FsError>(())
//! ```
//!
//! # What it intercepts
//!
//! By default nothing is denied and every call is forwarded. Each `deny_*` switch refuses a
//! group of calls before they reach the inner backend:
//!
//! | switch | refused calls | `feature` in the error |
//! |---|---|---|
//! | [`deny_permissions`](Restrictions::deny_permissions) | `set_permissions`, `set_owner`, and `set_xattr` / `remove_xattr` of POSIX ACLs (`system.posix_acl_access`, `system.posix_acl_default`), which are permissions by another name on host backends | `"permissions"` |
//! | [`deny_symlinks`](Restrictions::deny_symlinks) | `symlink` (creating; existing symlinks are still followed and read) | `"symlinks"` |
//! | [`deny_hard_links`](Restrictions::deny_hard_links) | `hard_link` | `"hard_links"` |
//!
//! A refused call returns [`FsError::FeatureNotEnabled`] whether or not its paths exist, and
//! has no side effect.
//!
//! Everything else is forwarded, the fast forms a middleware above may use included
//! (`write_replacing`, `remove_file_reporting`, `resolve_path`, `symlink_free`), so a Quota or
//! PathFilter over `Restrictions` takes the same fast paths as over the backend itself.
//!
//! # Thread safety and cost
//!
//! The switches are fixed at construction: `Restrictions<B>` is `Send + Sync` when `B` is, with
//! no lock. A call costs one comparison of the method name on the link, permission and xattr
//! traits and nothing on the others: O(1), no allocation.

use std::path::Path;

use anyfs_backend::{Fs, FsError, FsXattr, Layer};

use super::forward::{forward, Access};

/// The operation groups a [`Restrictions`] denies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct DeniedFeatures {
    /// `set_permissions`, `set_owner` and POSIX ACL xattrs are refused.
    pub permissions: bool,
    /// `symlink` is refused.
    pub symlinks: bool,
    /// `hard_link` is refused.
    pub hard_links: bool,
}

/// Xattrs that change permissions on host filesystems (POSIX ACLs).
const ACL_XATTRS: [&str; 2] = ["system.posix_acl_access", "system.posix_acl_default"];

/// A backend with some operations switched off; see the [module docs](self).
#[derive(Debug, Clone, Default)]
pub struct Restrictions<B> {
    inner: B,
    denied: DeniedFeatures,
}

impl<B> Restrictions<B> {
    /// Wraps `inner` with nothing denied yet.
    pub fn new(inner: B) -> Self {
        Restrictions {
            inner,
            denied: DeniedFeatures::default(),
        }
    }

    /// Wraps `inner`, denying what `denied` says.
    pub fn with_denied(inner: B, denied: DeniedFeatures) -> Self {
        Restrictions { inner, denied }
    }

    /// Also refuse `set_permissions`, `set_owner` and POSIX ACL xattr changes.
    pub fn deny_permissions(mut self) -> Self {
        self.denied.permissions = true;
        self
    }

    /// Also refuse `symlink`.
    pub fn deny_symlinks(mut self) -> Self {
        self.denied.symlinks = true;
        self
    }

    /// Also refuse `hard_link`.
    pub fn deny_hard_links(mut self) -> Self {
        self.denied.hard_links = true;
        self
    }

    /// What is denied.
    pub fn denied(&self) -> DeniedFeatures {
        self.denied
    }

    /// The inner backend.
    pub fn get_ref(&self) -> &B {
        &self.inner
    }

    /// Unwraps the inner backend.
    pub fn into_inner(self) -> B {
        self.inner
    }

    /// Called first by every forwarded link and permission method, with its name.
    fn guard(&self, operation: &'static str, _: Access) -> Result<(), FsError> {
        let feature = match operation {
            "symlink" if self.denied.symlinks => "symlinks",
            "hard_link" if self.denied.hard_links => "hard_links",
            "set_permissions" | "set_owner" if self.denied.permissions => "permissions",
            _ => return Ok(()),
        };
        Err(FsError::FeatureNotEnabled { feature, operation })
    }

    fn guard_xattr(&self, name: &str, operation: &'static str) -> Result<(), FsError> {
        if self.denied.permissions && ACL_XATTRS.contains(&name) {
            return Err(FsError::FeatureNotEnabled {
                feature: "permissions",
                operation,
            });
        }
        Ok(())
    }
}

forward!(Restrictions.inner => FsLink, FsPermissions; guard guard);
forward!(Restrictions.inner => FsRead, FsWrite, FsDir, FsSync, FsStats, FsInode, FsHandles,
    FsLock, FsPath, SelfResolving);

impl<B: FsXattr> FsXattr for Restrictions<B> {
    fn get_xattr(&self, path: &Path, name: &str) -> Result<Vec<u8>, FsError> {
        self.inner.get_xattr(path, name)
    }

    fn set_xattr(&self, path: &Path, name: &str, value: &[u8]) -> Result<(), FsError> {
        self.guard_xattr(name, "set_xattr")?;
        self.inner.set_xattr(path, name, value)
    }

    fn remove_xattr(&self, path: &Path, name: &str) -> Result<(), FsError> {
        self.guard_xattr(name, "remove_xattr")?;
        self.inner.remove_xattr(path, name)
    }

    fn list_xattr(&self, path: &Path) -> Result<Vec<String>, FsError> {
        self.inner.list_xattr(path)
    }
}

/// The [`Layer`] that wraps a backend in [`Restrictions`].
///
/// `RestrictionsLayer::new()` denies nothing; configure it with [`builder`](Self::builder).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RestrictionsLayer {
    denied: DeniedFeatures,
}

impl RestrictionsLayer {
    /// A layer that denies nothing.
    pub fn new() -> Self {
        RestrictionsLayer::default()
    }

    /// A layer denying what `denied` says.
    pub fn with_denied(denied: DeniedFeatures) -> Self {
        RestrictionsLayer { denied }
    }

    /// A builder: `RestrictionsLayer::builder().deny_permissions().build()`.
    pub fn builder() -> RestrictionsLayerBuilder {
        RestrictionsLayerBuilder::default()
    }

    /// What the layer denies.
    pub fn denied(&self) -> DeniedFeatures {
        self.denied
    }
}

/// Builder of [`RestrictionsLayer`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RestrictionsLayerBuilder {
    denied: DeniedFeatures,
}

impl RestrictionsLayerBuilder {
    /// Refuse `set_permissions`, `set_owner` and POSIX ACL xattr changes.
    pub fn deny_permissions(mut self) -> Self {
        self.denied.permissions = true;
        self
    }

    /// Refuse `symlink`.
    pub fn deny_symlinks(mut self) -> Self {
        self.denied.symlinks = true;
        self
    }

    /// Refuse `hard_link`.
    pub fn deny_hard_links(mut self) -> Self {
        self.denied.hard_links = true;
        self
    }

    /// The layer.
    pub fn build(self) -> RestrictionsLayer {
        RestrictionsLayer {
            denied: self.denied,
        }
    }
}

impl<B: Fs> Layer<B> for RestrictionsLayer {
    type Backend = Restrictions<B>;

    fn layer(self, backend: B) -> Restrictions<B> {
        Restrictions::with_denied(backend, self.denied)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use anyfs_backend::*;

    use super::*;
    use crate::MemoryBackend;

    fn p(s: &str) -> &Path {
        Path::new(s)
    }

    fn fixture() -> MemoryBackend {
        let inner = MemoryBackend::new();
        inner.write(p("/f"), b"data").unwrap();
        inner
    }

    fn eperm(result: Result<(), FsError>, feature: &str, operation: &str) {
        match result {
            Err(e @ FsError::FeatureNotEnabled { .. }) => {
                assert_eq!(e.code(), "EPERM");
                assert_eq!(e.errno(), 1);
                let FsError::FeatureNotEnabled {
                    feature: f,
                    operation: o,
                } = e
                else {
                    unreachable!()
                };
                assert_eq!((f, o), (feature, operation));
            }
            other => panic!("{operation}: expected FeatureNotEnabled, got {other:?}"),
        }
    }

    #[test]
    fn nothing_is_denied_by_default() {
        let fs = Restrictions::new(fixture());
        assert_eq!(fs.denied(), DeniedFeatures::default());
        fs.symlink(p("/f"), p("/s")).unwrap();
        fs.hard_link(p("/f"), p("/h")).unwrap();
        fs.set_permissions(p("/f"), Permissions::from_mode(0o600))
            .unwrap();
        fs.set_owner(p("/f"), Some(7), Some(8)).unwrap();
        fs.set_xattr(p("/f"), "system.posix_acl_access", b"acl")
            .unwrap();
        let m = fs.metadata(p("/h")).unwrap();
        assert_eq!(
            (m.permissions.mode(), m.uid, m.gid, m.nlink),
            (0o600, 7, 8, 2)
        );
    }

    #[test]
    fn deny_permissions_refuses_chmod_chown_and_acls_only() {
        let inner = fixture();
        let fs = Restrictions::new(inner.clone()).deny_permissions();
        eperm(
            fs.set_permissions(p("/f"), Permissions::from_mode(0o777)),
            "permissions",
            "set_permissions",
        );
        eperm(
            fs.set_owner(p("/f"), Some(1), None),
            "permissions",
            "set_owner",
        );
        eperm(
            fs.set_permissions(p("/missing"), Permissions::from_mode(0o777)),
            "permissions",
            "set_permissions",
        );
        for acl in ACL_XATTRS {
            eperm(fs.set_xattr(p("/f"), acl, b"x"), "permissions", "set_xattr");
            eperm(fs.remove_xattr(p("/f"), acl), "permissions", "remove_xattr");
        }
        assert_eq!(inner.metadata(p("/f")).unwrap().permissions.mode(), 0o644);
        assert!(inner.list_xattr(p("/f")).unwrap().is_empty());
        // Other xattrs, links and writes still work.
        fs.set_xattr(p("/f"), "user.tag", b"v").unwrap();
        assert_eq!(fs.get_xattr(p("/f"), "user.tag").unwrap(), b"v");
        assert_eq!(
            fs.list_xattr(p("/f")).unwrap(),
            vec!["user.tag".to_string()]
        );
        fs.remove_xattr(p("/f"), "user.tag").unwrap();
        fs.symlink(p("/f"), p("/s")).unwrap();
        fs.hard_link(p("/f"), p("/h")).unwrap();
        fs.write(p("/g"), b"1").unwrap();
    }

    #[test]
    fn deny_symlinks_refuses_creation_but_not_following() {
        let inner = fixture();
        inner.symlink(p("/f"), p("/old")).unwrap();
        let fs = Restrictions::new(inner.clone()).deny_symlinks();
        eperm(fs.symlink(p("/f"), p("/s")), "symlinks", "symlink");
        assert!(!inner.exists(p("/s")).unwrap());
        assert_eq!(fs.read(p("/old")).unwrap(), b"data");
        assert_eq!(fs.read_link(p("/old")).unwrap(), p("/f"));
        fs.hard_link(p("/f"), p("/h")).unwrap();
        fs.set_permissions(p("/f"), Permissions::from_mode(0o600))
            .unwrap();
    }

    #[test]
    fn deny_hard_links_refuses_hard_link() {
        let inner = fixture();
        let fs = RestrictionsLayer::builder()
            .deny_hard_links()
            .build()
            .layer(inner.clone());
        eperm(fs.hard_link(p("/f"), p("/h")), "hard_links", "hard_link");
        assert!(!inner.exists(p("/h")).unwrap());
        assert_eq!(inner.metadata(p("/f")).unwrap().nlink, 1);
        fs.symlink(p("/f"), p("/s")).unwrap();
    }

    #[test]
    fn layer_configuration_round_trips() {
        let all = DeniedFeatures {
            permissions: true,
            symlinks: true,
            hard_links: true,
        };
        let layer = RestrictionsLayer::builder()
            .deny_permissions()
            .deny_symlinks()
            .deny_hard_links()
            .build();
        assert_eq!(layer, RestrictionsLayer::with_denied(all));
        assert_eq!(layer.denied(), all);
        let fs = MemoryBackend::new().layer(layer);
        assert_eq!(fs.denied(), all);
        assert_eq!(RestrictionsLayer::new().denied(), DeniedFeatures::default());
        let _: &MemoryBackend = fs.get_ref();
        let _: MemoryBackend = fs.into_inner();
    }
}
