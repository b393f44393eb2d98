//! `rename` across the layers.
//!
//! - An upper node that hides nothing of the base moves with the upper layer's own `rename`
//!   (O(1)); a whiteout is left behind when the base has an entry at the old path.
//! - A base file or symlink is copied up directly to the new path, then whited out at the old
//!   one (O(size of the file)).
//! - A directory with base content (base-only, or merged) is copied recursively into the upper
//!   layer at the new path, then whited out at the old one: O(size of the subtree), and not
//!   atomic (an interruption can leave a partial copy at the destination; the source stays
//!   whole until the end). overlayfs answers `EXDEV` here instead; a recursive copy-up keeps
//!   `rename` working for callers that have no copy-and-delete fallback.

use std::path::Path;

use anyfs_backend::{FsError, FsFull};

use super::names::{self, join};
use super::view::{Node, Source};
use super::Overlay;

impl<Base: FsFull, Upper: FsFull> Overlay<Base, Upper> {
    pub(super) fn rename_entry(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        const OP: &str = "rename";
        let src = self.resolve_entry(from, OP)?;
        let src_node = src.node.clone().ok_or_else(|| names::not_found(from, OP))?;
        src.require_dir(from, OP)?;
        src.require_named(OP)?;
        let (src_dir, src_name) = src.parent.ok_or_else(|| names::root_busy(OP))?;
        let dst = self.resolve_entry(to, OP)?;
        dst.require_dir(to, OP)?;
        dst.require_named(OP)?;
        let dst_node = dst.node.clone();
        let (dst_dir, dst_name) = dst.parent.ok_or_else(|| names::root_busy(OP))?;
        if names::is_reserved(&dst_name) {
            return Err(names::reserved(&dst_name, OP));
        }
        let src_is_dir = src_node.is_dir();
        if dst.trailing_slash && !src_is_dir {
            return Err(names::not_dir(to, OP));
        }
        if let Some(existing) = &dst_node {
            if Self::same_node(&src_node, existing) {
                return Ok(());
            }
            match (src_is_dir, existing.is_dir()) {
                (false, true) => return Err(names::is_dir(to, OP)),
                (true, false) => return Err(names::not_dir(to, OP)),
                (true, true) if !self.list(existing)?.is_empty() => {
                    return Err(names::not_empty(to, OP))
                }
                _ => {}
            }
        }
        if src_is_dir && dst_dir.path.starts_with(&src_node.path) {
            return Err(names::invalid(
                OP,
                "cannot move a directory into its own subtree",
            ));
        }
        let dest = join(&dst_dir.path, &dst_name);
        self.ensure_upper_dirs(&dst_dir.path)?;
        // Clear the way: an existing destination is replaced (an empty directory in the merged
        // view may still hold whiteouts in the upper layer).
        if let Some(existing) = &dst_node {
            if existing.is_dir() {
                self.remove_entry(&dst_dir, &dst_name, existing)?;
            }
        }
        let opaque = src_is_dir && self.needs_opaque(&dst_dir, &dest)?;
        if src_node.source == Source::Upper && !src_node.merged {
            self.move_upper(&src_dir, &src_name, &src_node, &dest, opaque)?;
        } else if src_is_dir {
            self.copy_tree(&src_node, &dest, opaque)?;
            self.remove_entry(&src_dir, &src_name, &src_node)?;
        } else {
            self.copy_to(&src_node, &dest, true)?;
            self.remove_entry(&src_dir, &src_name, &src_node)?;
        }
        self.clear_whiteout(&dst_dir, &dst_name)
    }

    /// Moves an upper node that hides nothing of the base below it.
    fn move_upper(
        &self,
        src_dir: &Node,
        src_name: &str,
        src: &Node,
        dest: &Path,
        opaque: bool,
    ) -> Result<(), FsError> {
        if src_dir.sees_base() && self.base_entry(&src.path)?.is_some() {
            // Left behind, the base entry would reappear; the whiteout goes first (the upper
            // entry still wins until it moves).
            self.place_whiteout(&src_dir.path, src_name)?;
        }
        if opaque {
            // The moved directory lands where the base has a directory: keep that hidden.
            self.upper.write(&names::opaque_marker(&src.path), b"")?;
        }
        self.upper.rename(&src.path, dest)
    }
}
