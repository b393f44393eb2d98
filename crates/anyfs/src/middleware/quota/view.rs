//! What Quota asks the inner backend before a change: where a new node would go (canonical
//! path, depth, the parent's entry count) and what a subtree holds.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyfs_backend::{FileType, FsError, Metadata};

use crate::middleware::view::View;

/// Where a new node would go.
pub(super) struct Placement {
    /// Components of its canonical path.
    pub depth: u64,
    /// Entries its parent directory has now (0 if the parent is missing).
    pub parent_entries: u64,
    /// The canonical parent directory.
    pub parent: PathBuf,
}

/// What a subtree holds, as removing it would free it.
#[derive(Debug, Default)]
pub(super) struct Subtree {
    /// Bytes of files whose every link lies inside the subtree.
    pub bytes: u64,
    /// Depth of the deepest node below the subtree's root (0 for a file or an empty directory).
    pub height: u64,
    /// Every node that would disappear, with its content bytes: directories, symlinks, and
    /// files whose every link is inside (open files are freed only at their last close).
    pub freed: Vec<(u64, u64)>,
}

/// Where a node created at `path` would go.
pub(super) fn placement(view: &View<'_>, path: &Path) -> Result<Placement, FsError> {
    let canonical = view.canonical(path)?;
    let depth = depth(&canonical);
    let parent = canonical
        .parent()
        .map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
    let parent_entries = match view.dir.read_dir(&parent) {
        Ok(entries) => entries.len() as u64,
        Err(FsError::NotFound { .. }) | Err(FsError::NotADirectory { .. }) => 0,
        Err(e) => return Err(e),
    };
    Ok(Placement {
        depth,
        parent_entries,
        parent,
    })
}

/// How a subtree walk treats what the inner backend will not show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Hidden {
    /// Measuring usage: a PathFilter below hides some nodes; they are not counted (nothing
    /// can be written to them through this stack either).
    Skip,
    /// Removing or moving a tree: a hidden node is an error (the call would fail below).
    Fail,
}

/// What removing the node at `path` (described by `root`, not following a final symlink)
/// would free: a file's content if this was its last link, a symlink, or a directory with
/// everything below it. O(nodes in the subtree) backend calls.
pub(super) fn subtree(
    view: &View<'_>,
    path: &Path,
    root: &Metadata,
    hidden: Hidden,
) -> Result<Subtree, FsError> {
    let mut out = Subtree::default();
    // Files with other links: inode -> (size, nlink, links seen inside).
    let mut shared: HashMap<u64, (u64, u64, u64)> = HashMap::new();
    let mut count_file = |out: &mut Subtree, m: &Metadata| {
        if m.nlink > 1 && m.inode != 0 {
            let seen = shared.entry(m.inode).or_insert((m.size, m.nlink, 0));
            seen.2 += 1;
        } else {
            out.bytes += m.size;
            out.freed.push((m.inode, m.size));
        }
    };
    match root.file_type {
        FileType::File => count_file(&mut out, root),
        FileType::Symlink => out.freed.push((root.inode, 0)),
        FileType::Directory => {
            out.freed.push((root.inode, 0));
            let skip = hidden == Hidden::Skip;
            view.for_each_below(path, skip, |child, level, entry| {
                out.height = out.height.max(level);
                match entry.file_type {
                    FileType::Directory | FileType::Symlink => out.freed.push((entry.inode, 0)),
                    FileType::File => match view.lstat(child) {
                        Ok(Some(m)) => count_file(&mut out, &m),
                        Err(FsError::AccessDenied { .. }) if skip => {}
                        Ok(None) => {
                            return Err(FsError::NotFound {
                                path: child.to_path_buf(),
                                operation: "quota scan",
                            })
                        }
                        Err(e) => return Err(e),
                    },
                }
                Ok(())
            })?;
        }
    }
    for (inode, (size, nlink, seen)) in shared {
        if seen >= nlink {
            out.bytes += size;
            out.freed.push((inode, size));
        }
    }
    Ok(out)
}

/// Components of a canonical absolute path (`/` has depth 0).
pub(super) fn depth(canonical: &Path) -> u64 {
    canonical
        .components()
        .filter(|c| matches!(c, std::path::Component::Normal(_)))
        .count() as u64
}
