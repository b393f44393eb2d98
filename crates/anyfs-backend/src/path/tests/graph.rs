//! A tiny node graph implementing [`Walk`], built from paths, with a lookup counter.

use std::cell::Cell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::path::{walk, Walk, WalkOptions, Walked};
use crate::{FileType, FsError};

#[derive(Debug, Clone)]
pub enum Kind {
    Dir,
    File,
    Link(String),
}

/// Node 0 is the root directory.
#[derive(Default)]
pub struct Graph {
    pub kinds: Vec<Kind>,
    pub entries: HashMap<(usize, String), usize>,
    pub lookups: Cell<usize>,
}

impl Graph {
    pub fn new() -> Self {
        Graph {
            kinds: vec![Kind::Dir],
            ..Graph::default()
        }
    }

    /// Adds a node at `path`; parents must already exist (as plain directories, not via links).
    fn add(mut self, path: &str, kind: Kind) -> Self {
        let mut dir = 0;
        let names: Vec<&str> = path.split('/').filter(|n| !n.is_empty()).collect();
        let (last, parents) = names.split_last().unwrap();
        for name in parents {
            dir = self.entries[&(dir, name.to_string())];
        }
        self.kinds.push(kind);
        let id = self.kinds.len() - 1;
        self.entries.insert((dir, last.to_string()), id);
        self
    }

    pub fn dir(self, path: &str) -> Self {
        self.add(path, Kind::Dir)
    }
    pub fn file(self, path: &str) -> Self {
        self.add(path, Kind::File)
    }
    pub fn link(self, path: &str, target: &str) -> Self {
        self.add(path, Kind::Link(target.to_string()))
    }

    /// The node at a plain (symlink-free) path.
    pub fn id(&self, path: &str) -> usize {
        path.split('/')
            .filter(|n| !n.is_empty())
            .fold(0, |dir, name| self.entries[&(dir, name.to_string())])
    }

    pub fn walk(&self, path: &str, options: &WalkOptions<'_>) -> Result<Walked<usize>, FsError> {
        walk(self, Path::new(path), options, "test")
    }

    /// Walk following the final symlink.
    pub fn follow(&self, path: &str) -> Result<Walked<usize>, FsError> {
        self.walk(path, &follow())
    }

    /// Walk not following the final symlink.
    pub fn nofollow(&self, path: &str) -> Result<Walked<usize>, FsError> {
        self.walk(path, &WalkOptions::default())
    }
}

pub fn follow() -> WalkOptions<'static> {
    WalkOptions {
        follow_final: true,
        ..WalkOptions::default()
    }
}

pub fn soft() -> WalkOptions<'static> {
    WalkOptions {
        follow_final: true,
        soft: true,
        ..WalkOptions::default()
    }
}

fn file_type(kind: &Kind) -> FileType {
    match kind {
        Kind::Dir => FileType::Directory,
        Kind::File => FileType::File,
        Kind::Link(_) => FileType::Symlink,
    }
}

impl Walk for Graph {
    type Node = usize;

    fn root(&self) -> usize {
        0
    }

    fn lookup(&self, dir: &usize, name: &str) -> Result<Option<(usize, FileType)>, FsError> {
        assert!(!name.is_empty() && name != "." && name != ".." && !name.contains('/'));
        assert!(
            matches!(self.kinds[*dir], Kind::Dir),
            "lookup in a non-directory"
        );
        self.lookups.set(self.lookups.get() + 1);
        Ok(self
            .entries
            .get(&(*dir, name.to_string()))
            .map(|id| (*id, file_type(&self.kinds[*id]))))
    }

    fn read_link(&self, node: &usize) -> Result<PathBuf, FsError> {
        match &self.kinds[*node] {
            Kind::Link(target) => Ok(PathBuf::from(target)),
            _ => panic!("read_link on a non-link"),
        }
    }
}
