//! The one path-walking algorithm: component by component, following symlinks, resolving `..`
//! through a symlink's target, bounded against loops. Backends walk their own node graph with it
//! (through [`Walk`]) and `FileStorage`'s resolvers walk any backend with it.
//!
//! # Rules
//!
//! - The walk starts at the root, or at `anchor` (which must be an existing directory).
//! - `.` is skipped. `..` goes to the parent of the directory reached so far, which is the
//!   *resolved* directory: after `link -> /x/y`, `/link/..` is `/x`. It never goes above the root
//!   or the anchor (`/..` is `/`, as in POSIX).
//! - A symlink in an intermediate component is always followed; in the final component only with
//!   [`WalkOptions::follow_final`], or when the path ends in `/`. Relative targets resolve from the
//!   symlink's directory, absolute ones from the root (or the anchor). More than
//!   [`WalkOptions::max_symlinks`] expansions fail with [`FsError::SymlinkLoop`] (`ELOOP`).
//! - An intermediate component that is not a directory fails with [`FsError::NotADirectory`]; a
//!   missing one with [`FsError::NotFound`], unless [`WalkOptions::soft`]: then the rest is
//!   appended lexically (its `..` removing appended names) and the walk resumes real lookups if
//!   `..` brings it back into an existing directory.
//! - A missing final component is not an error: [`Walked::node`] is `None` and
//!   [`Walked::parent`] names the directory that would hold it, so callers can create it.
//! - A trailing `/` requires the final node, if it exists, to be a directory.
//!
//! The walk is iterative: pending components live on an explicit stack, so deep paths and long
//! symlink chains cost memory proportional to their length, never call-stack depth.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use crate::{FileType, FsError};

/// Most symlinks one walk follows before failing with `SymlinkLoop` (Linux's limit).
pub const MAX_SYMLINKS: u32 = 40;

/// What a walk needs from the storage it walks.
///
/// Implement it over whatever identifies a node in your storage: an inode number for an inode
/// table, or the canonical path for path-keyed storage (see [`LinkWalker`](super::LinkWalker)).
pub trait Walk {
    /// A node handle: an inode number, or a canonical path for path-based storage.
    type Node: Clone;

    /// The root directory.
    fn root(&self) -> Self::Node;

    /// The entry `name` of directory `dir`: `Ok(None)` if there is none.
    ///
    /// `name` is never empty, `.` or `..`, and never contains `/`.
    fn lookup(
        &self,
        dir: &Self::Node,
        name: &str,
    ) -> Result<Option<(Self::Node, FileType)>, FsError>;

    /// The target stored in the symlink `node`.
    fn read_link(&self, node: &Self::Node) -> Result<PathBuf, FsError>;
}

/// How a walk treats the final component and missing components.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions<'a> {
    /// Follow a symlink in the final component (`metadata`, `read`) or not (`symlink_metadata`,
    /// `remove_file`, `rename`).
    pub follow_final: bool,
    /// Soft mode: when an intermediate component is missing, append the rest lexically instead
    /// of failing with `NotFound`.
    pub soft: bool,
    /// Resolve as if this existing directory were the root: `..` stops there and absolute
    /// symlink targets start there. With an anchor, the walked path may also be relative (to the
    /// anchor); [`Walked::path`] is always the full canonical path, inside the anchor.
    pub anchor: Option<&'a Path>,
    /// Symlink budget; `0` means [`MAX_SYMLINKS`].
    pub max_symlinks: u32,
}

/// The outcome of a walk.
#[derive(Debug, Clone)]
pub struct Walked<N> {
    /// The canonical path: every existing component resolved, the missing rest appended.
    pub path: PathBuf,
    /// The final node and its type, if it exists.
    pub node: Option<(N, FileType)>,
    /// The directory that holds (or would hold) the final component, with the final name;
    /// `None` for the root, and in soft mode when an intermediate component is missing.
    pub parent: Option<(N, String)>,
}

/// What a backend's own resolver reports for a path
/// ([`FsLink::resolve_path`](crate::FsLink::resolve_path)): the walk's canonical path and
/// the final node's metadata.
#[derive(Debug, Clone)]
pub struct Resolution {
    /// The canonical path, as [`Walked::path`] (soft: a missing rest appended lexically).
    pub path: PathBuf,
    /// The metadata of the node the walk reached (a final symlink followed only when the walk
    /// followed it), or `None` when it does not exist.
    pub metadata: Option<crate::Metadata>,
}

/// Walks `path` (validated first with [`validate`](super::validate)).
///
/// ```
/// use std::collections::HashMap;
/// use std::path::{Path, PathBuf};
/// use anyfs_backend::path::{walk, Walk, WalkOptions};
/// use anyfs_backend::{FileType, FsError};
///
/// /// Nodes are numbers; 0 is the root; node 1 is `/x` (a directory), 2 is `/x/y`, 3 is
/// /// `/link -> /x/y`.
/// struct Graph(HashMap<(u32, &'static str), (u32, FileType)>);
/// impl Walk for Graph {
///     type Node = u32;
///     fn root(&self) -> u32 { 0 }
///     fn lookup(&self, dir: &u32, name: &str) -> Result<Option<(u32, FileType)>, FsError> {
///         Ok(self.0.iter().find(|((d, n), _)| d == dir && *n == name).map(|(_, v)| *v))
///     }
///     fn read_link(&self, _: &u32) -> Result<PathBuf, FsError> { Ok("/x/y".into()) }
/// }
/// let g = Graph(HashMap::from([
///     ((0, "x"), (1, FileType::Directory)),
///     ((1, "y"), (2, FileType::Directory)),
///     ((0, "link"), (3, FileType::Symlink)),
/// ]));
/// // `..` after a symlink leaves the symlink's target, not its own directory.
/// let w = walk(&g, Path::new("/link/.."), &WalkOptions::default(), "metadata").unwrap();
/// assert_eq!(w.path, Path::new("/x"));
/// assert_eq!(w.node, Some((1, FileType::Directory)));
/// ```
pub fn walk<W: Walk + ?Sized>(
    storage: &W,
    path: &Path,
    options: &WalkOptions<'_>,
    operation: &'static str,
) -> Result<Walked<W::Node>, FsError> {
    let limit = if options.max_symlinks == 0 {
        MAX_SYMLINKS
    } else {
        options.max_symlinks
    };
    let (text, base, base_path) = match options.anchor {
        None => (
            super::validate(path, operation)?,
            storage.root(),
            Cow::Borrowed("/"),
        ),
        Some(anchor) => {
            let text = super::validate_text(path, operation)?;
            let (node, anchor_path) = walk_anchor(storage, anchor, limit, operation)?;
            (text, node, Cow::Owned(anchor_path))
        }
    };
    let walker = Walker {
        storage,
        path,
        operation,
        limit,
        follow_final: options.follow_final,
        soft: options.soft,
        base,
        base_path,
    };
    walker.run(text)
}

/// Resolves the anchor itself (strictly, following every symlink); it must be a directory.
fn walk_anchor<W: Walk + ?Sized>(
    storage: &W,
    anchor: &Path,
    limit: u32,
    operation: &'static str,
) -> Result<(W::Node, String), FsError> {
    let options = WalkOptions {
        follow_final: true,
        soft: false,
        anchor: None,
        max_symlinks: limit,
    };
    let walked = walk(storage, anchor, &options, operation)?;
    match walked.node {
        Some((node, FileType::Directory)) => {
            let text =
                walked
                    .path
                    .into_os_string()
                    .into_string()
                    .map_err(|p| FsError::InvalidPath {
                        path: p.to_string_lossy().into_owned(),
                        operation,
                        reason: "not valid UTF-8",
                    })?;
            Ok((node, text))
        }
        Some(_) => Err(FsError::NotADirectory {
            path: anchor.to_path_buf(),
            operation,
        }),
        None => Err(FsError::NotFound {
            path: anchor.to_path_buf(),
            operation,
        }),
    }
}

/// One resolved component on the walk's stack.
struct Frame<'p, N> {
    node: N,
    file_type: FileType,
    name: Cow<'p, str>,
}

struct Walker<'s, 'p, W: Walk + ?Sized> {
    storage: &'s W,
    path: &'p Path,
    operation: &'static str,
    limit: u32,
    follow_final: bool,
    soft: bool,
    base: W::Node,
    /// The canonical path of `base` (`/` without an anchor: no allocation).
    base_path: Cow<'static, str>,
}

/// Components in the order they are processed, last first (so `pop` yields the next one).
fn components_rev(text: &str) -> impl Iterator<Item = &str> {
    text.split('/').filter(|n| !n.is_empty()).rev()
}

impl<'p, W: Walk + ?Sized> Walker<'_, 'p, W> {
    fn run(self, text: &'p str) -> Result<Walked<W::Node>, FsError> {
        // The components still to walk: those of followed symlink targets (last first, so
        // `pop` yields the next one) come before the rest of the written path, which is
        // read in place (a path without symlinks allocates nothing for it).
        let mut written = text.split('/').filter(|n| !n.is_empty()).peekable();
        let mut pending: Vec<Cow<'p, str>> = Vec::new();
        let mut must_be_dir = text.ends_with('/') && written.peek().is_some();
        let mut stack: Vec<Frame<'p, W::Node>> = Vec::new();
        // Soft mode: names below the first missing component, appended lexically.
        let mut tail: Vec<Cow<'p, str>> = Vec::new();
        let mut expansions: u32 = 0;

        while let Some(name) = pending.pop().or_else(|| written.next().map(Cow::Borrowed)) {
            let is_final = pending.is_empty() && written.peek().is_none();
            if name == "." {
                continue;
            }
            if name == ".." {
                if tail.pop().is_none() {
                    stack.pop();
                }
                continue;
            }
            if !tail.is_empty() {
                tail.push(name);
                continue;
            }
            let found = {
                let dir = stack.last().map_or(&self.base, |f| &f.node);
                self.storage.lookup(dir, &name)?
            };
            match found {
                None if is_final => return self.missing_final(stack, name),
                None if self.soft => tail.push(name),
                None => return Err(self.not_found()),
                Some((node, FileType::Symlink))
                    if !is_final || self.follow_final || must_be_dir =>
                {
                    expansions = expansions.saturating_add(1);
                    if expansions > self.limit {
                        return Err(FsError::SymlinkLoop {
                            path: self.path.to_path_buf(),
                            operation: self.operation,
                        });
                    }
                    let target = self.read_target(&node)?;
                    if target.starts_with('/') {
                        stack.clear();
                    }
                    if is_final && target.ends_with('/') {
                        must_be_dir = true;
                    }
                    pending.extend(components_rev(&target).map(|n| Cow::Owned(n.to_owned())));
                }
                Some((node, file_type)) => {
                    if !is_final && file_type != FileType::Directory {
                        return Err(FsError::NotADirectory {
                            path: self.path.to_path_buf(),
                            operation: self.operation,
                        });
                    }
                    stack.push(Frame {
                        node,
                        file_type,
                        name,
                    });
                }
            }
        }

        if !tail.is_empty() {
            let names = stack.iter().map(|f| &f.name).chain(tail.iter());
            return Ok(Walked {
                path: self.build_path(names),
                node: None,
                parent: None,
            });
        }
        let path = self.build_path(stack.iter().map(|f| &f.name));
        let Some(last) = stack.pop() else {
            return Ok(Walked {
                path,
                node: Some((self.base, FileType::Directory)),
                parent: None,
            });
        };
        if must_be_dir && last.file_type != FileType::Directory {
            return Err(FsError::NotADirectory {
                path: self.path.to_path_buf(),
                operation: self.operation,
            });
        }
        let dir = stack.pop().map_or(self.base, |f| f.node);
        Ok(Walked {
            path,
            node: Some((last.node, last.file_type)),
            parent: Some((dir, last.name.into_owned())),
        })
    }

    fn missing_final(
        self,
        mut stack: Vec<Frame<'p, W::Node>>,
        name: Cow<'p, str>,
    ) -> Result<Walked<W::Node>, FsError> {
        let path = self.build_path(stack.iter().map(|f| &f.name).chain(Some(&name)));
        let dir = stack.pop().map_or(self.base, |f| f.node);
        Ok(Walked {
            path,
            node: None,
            parent: Some((dir, name.into_owned())),
        })
    }

    fn read_target(&self, node: &W::Node) -> Result<String, FsError> {
        let target = self
            .storage
            .read_link(node)?
            .into_os_string()
            .into_string()
            .map_err(|t| FsError::InvalidPath {
                path: t.to_string_lossy().into_owned(),
                operation: self.operation,
                reason: "symlink target is not valid UTF-8",
            })?;
        if target.is_empty() {
            // POSIX: an empty symlink target resolves to nothing.
            return Err(self.not_found());
        }
        Ok(target)
    }

    fn not_found(&self) -> FsError {
        FsError::NotFound {
            path: self.path.to_path_buf(),
            operation: self.operation,
        }
    }

    /// The base path and `names` below it, in one allocation of the right size.
    fn build_path<'n>(&self, names: impl Iterator<Item = &'n Cow<'p, str>> + Clone) -> PathBuf
    where
        'p: 'n,
    {
        let len = names.clone().map(|n| n.len() + 1).sum::<usize>();
        let mut out = String::with_capacity(self.base_path.len() + len);
        out.push_str(&self.base_path);
        for name in names {
            if !out.ends_with('/') {
                out.push('/');
            }
            out.push_str(name);
        }
        PathBuf::from(out)
    }
}
