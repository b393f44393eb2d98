//! The merged view: how a path resolves across the two layers (through the shared
//! [`walk`](anyfs_backend::path::walk)), merged listings, and the metadata and inode numbers the
//! overlay reports.
//!
//! A node of the merged tree is a canonical path plus where it lives: in the upper layer (which
//! shadows the base), or in the base only. A directory present in the upper layer is *merged*
//! when the base has a directory at the same path, the parent is merged too, and the upper
//! directory is not opaque: then its listing is the union of both, minus whiteouts.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyfs_backend::path::{validate_lexical_bytes, walk, Walk, WalkOptions};
use anyfs_backend::{DirEntry, FileType, FsError, FsFull, Metadata, ROOT_INODE};

use super::names::{
    self, is_bookkeeping, is_hashed, is_reserved, join, opaque_marker, whiteout_name,
};
use super::Overlay;

/// Which layer provides a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    Upper,
    Base,
}

/// A node of the merged tree.
#[derive(Debug, Clone)]
pub(super) struct Node {
    /// Canonical path (no symlinks, no `.`/`..`), the same in both layers.
    pub path: PathBuf,
    pub source: Source,
    /// For upper directories: the base directory at the same path shows through.
    pub merged: bool,
    pub ty: FileType,
    /// The providing layer's own metadata (not following a final symlink), when known.
    pub meta: Option<Metadata>,
}

impl Node {
    pub fn is_dir(&self) -> bool {
        self.ty == FileType::Directory
    }

    /// True when the base layer is consulted below this directory.
    pub fn sees_base(&self) -> bool {
        self.source == Source::Base || self.merged
    }

    pub fn is_root(&self) -> bool {
        self.path.as_os_str() == "/"
    }
}

/// What a path resolved to, with POSIX's trailing-slash and final-dot facts.
#[derive(Debug)]
pub(super) struct Found {
    pub node: Option<Node>,
    /// The directory holding (or that would hold) the final entry, and its name.
    pub parent: Option<(Node, String)>,
    pub trailing_slash: bool,
    pub dot_final: bool,
}

impl Found {
    /// `NotADirectory` when the path ends in `/` but names an existing non-directory.
    pub fn require_dir(&self, path: &Path, operation: &'static str) -> Result<(), FsError> {
        match &self.node {
            Some(n) if self.trailing_slash && !n.is_dir() => Err(names::not_dir(path, operation)),
            _ => Ok(()),
        }
    }

    /// `InvalidInput` for a path ending in `.` or `..`.
    pub fn require_named(&self, operation: &'static str) -> Result<(), FsError> {
        if self.dot_final {
            return Err(names::invalid(operation, "the path ends in `.` or `..`"));
        }
        Ok(())
    }

    /// The existing node, or `NotFound`.
    pub fn existing(self, path: &Path, operation: &'static str) -> Result<Node, FsError> {
        self.node.ok_or_else(|| names::not_found(path, operation))
    }
}

fn has_trailing_slash(path: &Path) -> bool {
    let bytes = path.as_os_str().as_encoded_bytes();
    bytes.len() > 1 && bytes.ends_with(b"/")
}

/// A walk's final node and the directory entry naming it.
type Walked = (Option<Node>, Option<(Node, String)>);

/// The walker over the merged tree.
struct View<'a, Base, Upper> {
    overlay: &'a Overlay<Base, Upper>,
    operation: &'static str,
}

impl<Base: FsFull, Upper: FsFull> Walk for View<'_, Base, Upper> {
    type Node = Node;

    fn root(&self) -> Node {
        Node {
            path: PathBuf::from("/"),
            source: Source::Upper,
            // Whether the root is opaque is looked up on first use (root() cannot fail).
            merged: !self.overlay.is_opaque(Path::new("/")),
            ty: FileType::Directory,
            meta: None,
        }
    }

    fn lookup(&self, dir: &Node, name: &str) -> Result<Option<(Node, FileType)>, FsError> {
        if is_reserved(name) {
            return Err(names::reserved(name, self.operation));
        }
        let found = self.overlay.child(dir, name)?;
        Ok(found.map(|n| {
            let ty = n.ty;
            (n, ty)
        }))
    }

    fn read_link(&self, node: &Node) -> Result<PathBuf, FsError> {
        match node.source {
            Source::Upper => self.overlay.upper.read_link(&node.path),
            Source::Base => self.overlay.base.read_link(&node.path),
        }
    }
}

/// `Ok(Some(m))`, `Ok(None)` for a missing entry, or the error.
fn stat<L: FsFull + ?Sized>(layer: &L, path: &Path) -> Result<Option<Metadata>, FsError> {
    match layer.symlink_metadata(path) {
        Ok(m) => Ok(Some(m)),
        Err(FsError::NotFound { .. }) | Err(FsError::NotADirectory { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

impl<Base: FsFull, Upper: FsFull> Overlay<Base, Upper> {
    /// True when the upper directory `dir` carries the opaque marker.
    pub(super) fn is_opaque(&self, dir: &Path) -> bool {
        matches!(stat(&self.upper, &opaque_marker(dir)), Ok(Some(_)))
    }

    /// The base's entry at `path` (used below a directory that sees the base).
    pub(super) fn base_entry(&self, path: &Path) -> Result<Option<Metadata>, FsError> {
        stat(&self.base, path)
    }

    /// True when the upper directory `dir` has a whiteout for `name`.
    pub(super) fn has_whiteout(&self, dir: &Path, name: &str) -> Result<bool, FsError> {
        let file = whiteout_name(name);
        let path = dir.join(&file);
        if !is_hashed(&file) {
            return Ok(stat(&self.upper, &path)?.is_some());
        }
        match self.upper.read(&path) {
            Ok(content) => Ok(content == name.as_bytes()),
            Err(FsError::NotFound { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Writes the whiteout hiding `name` in the upper directory `dir` (which exists).
    pub(super) fn place_whiteout(&self, dir: &Path, name: &str) -> Result<(), FsError> {
        self.upper
            .write(&names::whiteout_of(dir, name), name.as_bytes())
    }

    /// The name the upper entry `file_name` of `dir` hides, if it is a whiteout.
    pub(super) fn whiteout_target(
        &self,
        dir: &Path,
        file_name: &str,
    ) -> Result<Option<String>, FsError> {
        if is_bookkeeping(file_name) {
            return Ok(None);
        }
        let Some(rest) = file_name.strip_prefix(names::WHITEOUT_PREFIX) else {
            return Ok(None);
        };
        if is_hashed(file_name) {
            let content = self.upper.read(&dir.join(file_name))?;
            return Ok(String::from_utf8(content).ok());
        }
        Ok(Some(rest.to_owned()))
    }

    /// The entry `name` of the merged directory `dir`.
    pub(super) fn child(&self, dir: &Node, name: &str) -> Result<Option<Node>, FsError> {
        let path = join(&dir.path, name);
        if dir.source == Source::Upper {
            if let Some(m) = stat(&self.upper, &path)? {
                let merged = m.is_dir()
                    && dir.merged
                    && self.base_entry(&path)?.is_some_and(|b| b.is_dir())
                    && !self.is_opaque(&path);
                return Ok(Some(Node {
                    path,
                    source: Source::Upper,
                    merged,
                    ty: m.file_type,
                    meta: Some(m),
                }));
            }
            if !dir.merged {
                return Ok(None);
            }
        }
        // The base first: most missing names are missing there too, which spares the
        // whiteout lookup.
        let Some(m) = self.base_entry(&path)? else {
            return Ok(None);
        };
        if dir.source == Source::Upper && self.has_whiteout(&dir.path, name)? {
            return Ok(None);
        }
        Ok(Some(Node {
            path,
            source: Source::Base,
            merged: false,
            ty: m.file_type,
            meta: Some(m),
        }))
    }

    fn walk_merged(
        &self,
        path: &Path,
        follow: bool,
        operation: &'static str,
    ) -> Result<Walked, FsError> {
        let view = View {
            overlay: self,
            operation,
        };
        let options = WalkOptions {
            follow_final: follow,
            ..WalkOptions::default()
        };
        let walked = walk(&view, path, &options, operation)?;
        Ok((walked.node.map(|(n, _)| n), walked.parent))
    }

    /// The existing node `path` resolves to (`follow` as for [`resolve`](Self::resolve)), or
    /// `NotFound`: for callers that need only the node.
    pub(super) fn node(
        &self,
        path: &Path,
        follow: bool,
        operation: &'static str,
    ) -> Result<Node, FsError> {
        if let Some(node) = self.upper_file(path, operation) {
            return Ok(node);
        }
        self.resolve(path, follow, operation)?
            .existing(path, operation)
    }

    /// The node for `path` in one lookup, when the upper layer holds a non-directory at that
    /// very path and has no symlinks: every component then names an upper directory, and an
    /// upper entry wins whatever the base holds, so the walk would find the same node (a
    /// file's node is never merged). `None` sends the caller to the walk: a path that is not
    /// plain (not normal, `..`, a reserved name, the root), an upper layer with symlinks, a
    /// directory (whose merging the walk works out), a miss or an error (the walk reports it).
    fn upper_file(&self, path: &Path, operation: &'static str) -> Option<Node> {
        if !self.plain_in_upper(path, operation) {
            return None;
        }
        let m = stat(&self.upper, path).ok()??;
        if m.is_dir() {
            return None;
        }
        Some(Node {
            path: path.to_path_buf(),
            source: Source::Upper,
            merged: false,
            ty: m.file_type,
            meta: Some(m),
        })
    }

    /// Whether a change at `path` may be made on the upper layer directly: the path is plain
    /// and the base has nothing there. Then no whiteout is placed or cleared and nothing is
    /// shadowed or copied up, so when the upper layer's own `write` or `remove_file` at `path`
    /// succeeds, it did what the walk's way would have; when it fails (a parent only the base
    /// has, a directory), nothing changed and the caller takes the walk.
    pub(super) fn upper_only(&self, path: &Path, operation: &'static str) -> bool {
        self.plain_in_upper(path, operation) && matches!(self.base_entry(path), Ok(None))
    }

    /// Whether a call on the upper layer at `path` itself answers as the walk would when it
    /// succeeds on a non-directory (see [`upper_file`](Self::upper_file)): the path is plain
    /// (normal, no `..`, no reserved name, not the root) and the upper layer has no symlinks.
    pub(super) fn plain_in_upper(&self, path: &Path, operation: &'static str) -> bool {
        let Ok(lexical) = validate_lexical_bytes(path, operation) else {
            return false;
        };
        if lexical.has_parent || matches!(lexical.normal, Cow::Owned(_)) {
            return false;
        }
        path.to_str()
            .is_some_and(|text| text != "/" && !text.split('/').any(is_reserved))
            && self.upper.symlink_free()
    }

    /// Resolves `path` in the merged tree; `follow` decides whether a final symlink is
    /// followed (a trailing `/` always follows and requires a directory).
    pub(super) fn resolve(
        &self,
        path: &Path,
        follow: bool,
        operation: &'static str,
    ) -> Result<Found, FsError> {
        let (node, parent) = self.walk_merged(path, follow, operation)?;
        Ok(Found {
            node,
            parent,
            trailing_slash: has_trailing_slash(path),
            dot_final: false,
        })
    }

    /// Resolves `path` for an operation on the entry itself (remove, rename, mkdir, the new
    /// name of a link): the final component is never followed, even with a trailing `/`.
    pub(super) fn resolve_entry(
        &self,
        path: &Path,
        operation: &'static str,
    ) -> Result<Found, FsError> {
        let trailing_slash = has_trailing_slash(path);
        let bare = match path.to_str() {
            Some(text) if trailing_slash => {
                let trimmed = text.trim_end_matches('/');
                Path::new(if trimmed.is_empty() { "/" } else { trimmed })
            }
            _ => path,
        };
        let dot_final = bare
            .to_str()
            .and_then(|t| t.rsplit('/').next())
            .is_some_and(|last| last == "." || last == "..");
        let (node, parent) = self.walk_merged(bare, false, operation)?;
        Ok(Found {
            node,
            parent,
            trailing_slash,
            dot_final,
        })
    }

    /// The merged listing of directory `dir`, by name: upper entries, then base entries that
    /// are neither shadowed nor whited out; reserved names never appear. Each entry carries the
    /// overlay's inode number.
    pub(super) fn list(&self, dir: &Node) -> Result<BTreeMap<OsString, DirEntry>, FsError> {
        let mut out = BTreeMap::new();
        let mut hidden = HashSet::new();
        if dir.source == Source::Upper {
            for e in self.upper.read_dir(&dir.path)? {
                let Some(name) = e.name.to_str() else {
                    continue;
                };
                if is_reserved(name) {
                    if let Some(target) = self.whiteout_target(&dir.path, name)? {
                        hidden.insert(OsString::from(target));
                    }
                    continue;
                }
                let inode = upper_inode(e.inode);
                out.insert(e.name.clone(), DirEntry { inode, ..e });
            }
        }
        if dir.sees_base() {
            for e in self.base.read_dir(&dir.path)? {
                if e.name.to_str().is_none_or(is_reserved) || hidden.contains(&e.name) {
                    continue;
                }
                match out.get_mut(&e.name) {
                    None => {
                        let inode = base_inode(e.inode);
                        out.insert(e.name.clone(), DirEntry { inode, ..e });
                    }
                    // A merged directory keeps the base directory's number (see `inode_of`).
                    Some(upper)
                        if upper.file_type == FileType::Directory
                            && e.file_type == FileType::Directory
                            && !self.is_opaque(&dir.path.join(&e.name)) =>
                    {
                        upper.inode = base_inode(e.inode);
                    }
                    Some(_) => {}
                }
            }
        }
        Ok(out)
    }

    /// The provider's metadata of `node` (not following it), with the overlay's inode number
    /// and, for a merged directory, its merged link count.
    pub(super) fn metadata_of(&self, node: &Node) -> Result<Metadata, FsError> {
        let mut m = match &node.meta {
            Some(m) => m.clone(),
            None => match node.source {
                Source::Upper => self.upper.symlink_metadata(&node.path)?,
                Source::Base => self.base.symlink_metadata(&node.path)?,
            },
        };
        m.inode = self.inode_of(node, &m)?;
        if node.merged {
            let subdirs = self
                .list(node)?
                .values()
                .filter(|e| e.file_type == FileType::Directory)
                .count() as u64;
            m.nlink = 2 + subdirs;
        }
        Ok(m)
    }

    /// The overlay's inode number of `node`, whose provider metadata is `m`: the root is
    /// [`ROOT_INODE`]; a merged directory has its base directory's number; otherwise the
    /// provider's number, tagged with the layer (see the module docs).
    pub(super) fn inode_of(&self, node: &Node, m: &Metadata) -> Result<u64, FsError> {
        if node.is_root() {
            return Ok(ROOT_INODE);
        }
        Ok(match node.source {
            Source::Base => base_inode(m.inode),
            Source::Upper if node.merged => match self.base_entry(&node.path)? {
                Some(b) => base_inode(b.inode),
                None => upper_inode(m.inode),
            },
            Source::Upper => upper_inode(m.inode),
        })
    }
}

/// The overlay number of an upper inode: even. `0` (unknown) stays `0`, as does a number too
/// large to tag.
pub(super) fn upper_inode(ino: u64) -> u64 {
    ino.checked_mul(2).unwrap_or(0)
}

/// The overlay number of a base inode: odd (never 1, the root's).
pub(super) fn base_inode(ino: u64) -> u64 {
    if ino == 0 {
        return 0;
    }
    ino.checked_mul(2)
        .and_then(|n| n.checked_add(1))
        .unwrap_or(0)
}

/// Which layer an overlay inode number came from, and the layer's own number.
pub(super) fn decode_inode(ino: u64) -> Option<(Source, u64)> {
    if ino <= ROOT_INODE {
        return None;
    }
    if ino.is_multiple_of(2) {
        Some((Source::Upper, ino / 2))
    } else {
        Some((Source::Base, (ino - 1) / 2))
    }
}
