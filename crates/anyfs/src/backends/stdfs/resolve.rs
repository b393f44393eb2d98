//! [`Plain`]: the host kernel resolves every path relative to the root descriptor, exactly as
//! `std::fs` would resolve `<root>/<path>`, with two rewrites that keep the virtual namespace
//! consistent: a caller path containing `..` is first resolved with the shared
//! [`walk`](anyfs_backend::path::walk) (so `/..` is `/`, and `..` after a symlink leaves the
//! symlink's target), and absolute symlink targets are stored below the root.

use std::ffi::OsString;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

use anyfs_backend::path::{walk, Walk, WalkOptions};
use anyfs_backend::{FileType, FsError};
use rustix::fs::{openat, readlinkat, statat, AtFlags, FileType as HostType, Mode, OFlags, Stat};
use rustix::io::Errno;

use crate::backends::host::{relative, DirFd, Parent, Resolve, Root, VPath};

/// Plain kernel resolution relative to the root (no containment).
#[derive(Debug, Default)]
pub(super) struct Plain;

impl Plain {
    /// The text to hand the kernel: the caller's, or its walked form when it has `..`.
    fn text<'t>(
        &self,
        root: &Root,
        path: &VPath<'t>,
        keep: &'t mut String,
    ) -> Result<&'t str, FsError> {
        if !path.has_dotdot() {
            return Ok(path.text);
        }
        let options = WalkOptions {
            follow_final: false,
            soft: true,
            ..WalkOptions::default()
        };
        let walker = HostWalk {
            root,
            plain: self,
            op: path.op,
            path: path.path,
        };
        let walked = walk(&walker, path.path, &options, path.op)?;
        *keep = walked.path.to_string_lossy().into_owned();
        if path.trailing_slash && keep.as_str() != "/" {
            keep.push('/');
        }
        Ok(keep.as_str())
    }
}

impl Resolve for Plain {
    fn open(
        &self,
        root: &Root,
        path: &VPath<'_>,
        flags: OFlags,
        mode: Mode,
    ) -> Result<OwnedFd, FsError> {
        let mut keep = String::new();
        let text = self.text(root, path, &mut keep)?;
        openat(&root.fd, relative(text), flags, mode).map_err(|e| path.err(e))
    }

    fn parent<'r>(&self, root: &'r Root, path: &VPath<'_>) -> Result<Parent<'r>, FsError> {
        let mut keep = String::new();
        let text = self.text(root, path, &mut keep)?;
        Ok(Parent {
            dir: DirFd::Root(root.fd.as_fd()),
            name: relative(text.trim_end_matches('/')).to_owned(),
        })
    }

    /// One `fstatat` relative to the root.
    fn stat(&self, root: &Root, path: &VPath<'_>, follow: bool) -> Result<Stat, FsError> {
        let mut keep = String::new();
        let text = self.text(root, path, &mut keep)?;
        let flags = if follow {
            AtFlags::empty()
        } else {
            AtFlags::SYMLINK_NOFOLLOW
        };
        statat(&root.fd, relative(text), flags).map_err(|e| path.err(e))
    }

    /// An absolute target `/x` is stored as `<root>/x`, so the kernel resolves it inside the
    /// root as callers mean it.
    fn store_target(&self, root: &Root, target: &Path) -> PathBuf {
        let bytes = target.as_os_str().as_bytes();
        if !bytes.starts_with(b"/") || root.path == Path::new("/") {
            return target.to_path_buf();
        }
        let mut stored = root.path.as_os_str().as_bytes().to_vec();
        stored.extend_from_slice(bytes);
        PathBuf::from(OsString::from_vec(stored))
    }

    /// `<root>/x` reads back as `/x`; any other target (relative, or absolute outside the
    /// root because someone else made it) as stored.
    fn load_target(&self, root: &Root, stored: PathBuf) -> PathBuf {
        let prefix = root.path.as_os_str().as_bytes();
        let bytes = stored.as_os_str().as_bytes();
        if root.path == Path::new("/") {
            return stored;
        }
        match bytes.strip_prefix(prefix) {
            Some([]) => PathBuf::from("/"),
            Some(rest) if rest.starts_with(b"/") => {
                PathBuf::from(OsString::from_vec(rest.to_vec()))
            }
            _ => stored,
        }
    }

    fn rewrites_targets(&self) -> bool {
        true
    }
}

/// The shared walk over the host, nodes being virtual paths: one `lstat` per component, one
/// `readlink` per symlink followed.
struct HostWalk<'a> {
    root: &'a Root,
    plain: &'a Plain,
    op: &'static str,
    path: &'a Path,
}

impl Walk for HostWalk<'_> {
    type Node = String;

    fn root(&self) -> String {
        String::from("/")
    }

    fn lookup(&self, dir: &String, name: &str) -> Result<Option<(String, FileType)>, FsError> {
        let child = if dir == "/" {
            format!("/{name}")
        } else {
            format!("{dir}/{name}")
        };
        match statat(&self.root.fd, relative(&child), AtFlags::SYMLINK_NOFOLLOW) {
            Ok(stat) => {
                let file_type = match HostType::from_raw_mode(stat.st_mode) {
                    HostType::Directory => FileType::Directory,
                    HostType::Symlink => FileType::Symlink,
                    _ => FileType::File,
                };
                Ok(Some((child, file_type)))
            }
            Err(Errno::NOENT) => Ok(None),
            Err(e) => Err(crate::backends::host::errno(self.op, self.path, e)),
        }
    }

    fn read_link(&self, node: &String) -> Result<PathBuf, FsError> {
        let stored = readlinkat(&self.root.fd, relative(node), Vec::new())
            .map_err(|e| crate::backends::host::errno(self.op, self.path, e))?;
        let stored = PathBuf::from(OsString::from_vec(stored.into_bytes()));
        Ok(self.plain.load_target(self.root, stored))
    }
}
