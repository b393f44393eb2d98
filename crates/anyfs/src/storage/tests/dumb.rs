//! `PathMap`: nodes keyed by exact canonical path, no resolution of its own, call counters.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyfs_backend::path::normalize;
use parking_lot::RwLock;

use crate::{DirEntry, FileType, FsDir, FsError, FsLink, FsRead, FsWrite, Metadata, SelfResolving};

#[derive(Debug, Clone)]
pub enum Node {
    Dir,
    File(Vec<u8>),
    Link(PathBuf),
}

#[derive(Debug)]
pub struct PathMap {
    nodes: RwLock<BTreeMap<PathBuf, Node>>,
    /// Panic when handed a path that is not canonical (off for the NoOp resolver test).
    pub strict: bool,
    pub lookups: AtomicUsize,
}

impl SelfResolving for PathMap {}

impl Default for PathMap {
    fn default() -> Self {
        PathMap::new()
    }
}

fn nf(path: &Path, operation: &'static str) -> FsError {
    FsError::NotFound {
        path: path.into(),
        operation,
    }
}

impl PathMap {
    pub fn new() -> Self {
        PathMap {
            nodes: RwLock::new(BTreeMap::from([(PathBuf::from("/"), Node::Dir)])),
            strict: true,
            lookups: AtomicUsize::new(0),
        }
    }

    pub fn lenient() -> Self {
        PathMap {
            strict: false,
            ..PathMap::new()
        }
    }

    pub fn lookups(&self) -> usize {
        self.lookups.load(Ordering::SeqCst)
    }

    /// Inserts directly, bypassing everything (for setup, or for changes "behind the back").
    pub fn put(&self, path: &str, node: Node) {
        self.nodes.write().insert(path.into(), node);
    }

    pub fn get(&self, path: &str) -> Option<Node> {
        self.nodes.read().get(Path::new(path)).cloned()
    }

    fn check(&self, path: &Path) {
        if self.strict {
            let text = path.to_str().unwrap();
            assert!(text.starts_with('/'), "not absolute: {text}");
            assert_eq!(normalize(path), path, "not normalized: {text}");
            assert!(
                !text.split('/').any(|n| n == ".."),
                "`..` reached the backend: {text}"
            );
        }
    }

    /// A followed path must never name a symlink: the resolver should have followed it.
    fn followed(&self, path: &Path, operation: &'static str) -> Result<Node, FsError> {
        self.check(path);
        let node = self
            .nodes
            .read()
            .get(path)
            .cloned()
            .ok_or_else(|| nf(path, operation))?;
        if self.strict {
            assert!(
                !matches!(node, Node::Link(_)),
                "{operation} got a symlink: {path:?}"
            );
        }
        Ok(node)
    }

    fn parent_is_dir(&self, path: &Path, operation: &'static str) -> Result<(), FsError> {
        let parent = path.parent().ok_or_else(|| FsError::AlreadyExists {
            path: path.into(),
            operation,
        })?;
        match self.nodes.read().get(parent) {
            Some(Node::Dir) => Ok(()),
            Some(_) => Err(FsError::NotADirectory {
                path: path.into(),
                operation,
            }),
            None => Err(nf(path, operation)),
        }
    }

    fn children(&self, dir: &Path) -> Vec<PathBuf> {
        self.nodes
            .read()
            .keys()
            .filter(|k| k.parent() == Some(dir))
            .cloned()
            .collect()
    }

    fn meta(node: &Node) -> Metadata {
        match node {
            Node::Dir => Metadata::new(FileType::Directory),
            Node::File(d) => Metadata {
                size: d.len() as u64,
                ..Metadata::new(FileType::File)
            },
            Node::Link(t) => Metadata {
                size: t.as_os_str().len() as u64,
                ..Metadata::new(FileType::Symlink)
            },
        }
    }
}

impl FsRead for PathMap {
    fn read(&self, path: &Path) -> Result<Vec<u8>, FsError> {
        match self.followed(path, "read")? {
            Node::File(d) => Ok(d),
            _ => Err(FsError::NotAFile {
                path: path.into(),
                operation: "read",
            }),
        }
    }
    fn read_range(&self, path: &Path, offset: u64, len: usize) -> Result<Vec<u8>, FsError> {
        let d = self.read(path)?;
        Ok(d.into_iter().skip(offset as usize).take(len).collect())
    }
    fn metadata(&self, path: &Path) -> Result<Metadata, FsError> {
        self.lookups.fetch_add(1, Ordering::SeqCst);
        Ok(Self::meta(&self.followed(path, "metadata")?))
    }
    fn open_read(&self, path: &Path) -> Result<Box<dyn Read + Send>, FsError> {
        Ok(Box::new(Cursor::new(self.read(path)?)))
    }
}

impl FsWrite for PathMap {
    fn write(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        self.check(path);
        self.parent_is_dir(path, "write")?;
        let mut nodes = self.nodes.write();
        match nodes.get(path) {
            Some(Node::Dir) => Err(FsError::NotAFile {
                path: path.into(),
                operation: "write",
            }),
            Some(Node::Link(_)) if self.strict => panic!("write got a symlink: {path:?}"),
            _ => {
                nodes.insert(path.into(), Node::File(data.to_vec()));
                Ok(())
            }
        }
    }
    fn append(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        let mut d = match self.read(path) {
            Ok(d) => d,
            Err(FsError::NotFound { .. }) => Vec::new(),
            Err(e) => return Err(e),
        };
        d.extend_from_slice(data);
        self.write(path, &d)
    }
    fn remove_file(&self, path: &Path) -> Result<(), FsError> {
        self.check(path);
        let mut nodes = self.nodes.write();
        match nodes.get(path) {
            None => Err(nf(path, "remove_file")),
            Some(Node::Dir) => Err(FsError::NotAFile {
                path: path.into(),
                operation: "remove_file",
            }),
            Some(_) => {
                nodes.remove(path);
                Ok(())
            }
        }
    }
    fn rename(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        self.check(from);
        self.check(to);
        self.parent_is_dir(to, "rename")?;
        let mut nodes = self.nodes.write();
        let moved: Vec<PathBuf> = nodes
            .keys()
            .filter(|k| k.starts_with(from))
            .cloned()
            .collect();
        if moved.is_empty() {
            return Err(nf(from, "rename"));
        }
        nodes.retain(|k, _| !k.starts_with(to));
        for old in moved {
            let node = nodes.remove(&old).unwrap();
            let new = match old.strip_prefix(from).unwrap() {
                rest if rest.as_os_str().is_empty() => to.to_path_buf(),
                rest => to.join(rest),
            };
            nodes.insert(new, node);
        }
        Ok(())
    }
    fn copy(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        let d = self.read(from)?;
        self.write(to, &d)
    }
    fn truncate(&self, path: &Path, size: u64) -> Result<(), FsError> {
        let mut d = self.read(path)?;
        d.resize(size as usize, 0);
        self.write(path, &d)
    }
    fn open_write(&self, path: &Path) -> Result<Box<dyn Write + Send>, FsError> {
        self.write(path, b"")?;
        Ok(Box::new(Vec::new()))
    }
}

impl FsDir for PathMap {
    fn read_dir(&self, path: &Path) -> Result<Vec<DirEntry>, FsError> {
        match self.followed(path, "read_dir")? {
            Node::Dir => {}
            _ => {
                return Err(FsError::NotADirectory {
                    path: path.into(),
                    operation: "read_dir",
                })
            }
        }
        let nodes = self.nodes.read();
        Ok(self
            .children(path)
            .into_iter()
            .map(|p| DirEntry {
                name: p.file_name().unwrap().to_owned(),
                inode: 0,
                file_type: Self::meta(&nodes[&p]).file_type,
            })
            .collect())
    }
    fn create_dir(&self, path: &Path) -> Result<(), FsError> {
        self.check(path);
        self.parent_is_dir(path, "create_dir")?;
        let mut nodes = self.nodes.write();
        if nodes.contains_key(path) {
            return Err(FsError::AlreadyExists {
                path: path.into(),
                operation: "create_dir",
            });
        }
        nodes.insert(path.into(), Node::Dir);
        Ok(())
    }
    fn create_dir_all(&self, path: &Path) -> Result<(), FsError> {
        self.check(path);
        let mut chain: Vec<&Path> = path.ancestors().collect();
        chain.reverse();
        let mut nodes = self.nodes.write();
        for p in chain {
            match nodes.get(p) {
                Some(Node::Dir) => {}
                Some(_) => {
                    return Err(FsError::NotADirectory {
                        path: path.into(),
                        operation: "create_dir_all",
                    })
                }
                None => {
                    nodes.insert(p.into(), Node::Dir);
                }
            }
        }
        Ok(())
    }
    fn remove_dir(&self, path: &Path) -> Result<(), FsError> {
        self.check(path);
        match self.nodes.read().get(path) {
            None => return Err(nf(path, "remove_dir")),
            Some(Node::Dir) => {}
            Some(_) => {
                return Err(FsError::NotADirectory {
                    path: path.into(),
                    operation: "remove_dir",
                })
            }
        }
        if !self.children(path).is_empty() {
            return Err(FsError::DirectoryNotEmpty {
                path: path.into(),
                operation: "remove_dir",
            });
        }
        self.nodes.write().remove(path);
        Ok(())
    }
    fn remove_dir_all(&self, path: &Path) -> Result<(), FsError> {
        self.check(path);
        self.nodes.write().retain(|k, _| !k.starts_with(path));
        Ok(())
    }
}

impl FsLink for PathMap {
    fn symlink(&self, original: &Path, link: &Path) -> Result<(), FsError> {
        self.check(link);
        self.parent_is_dir(link, "symlink")?;
        let mut nodes = self.nodes.write();
        if nodes.contains_key(link) {
            return Err(FsError::AlreadyExists {
                path: link.into(),
                operation: "symlink",
            });
        }
        nodes.insert(link.into(), Node::Link(original.into()));
        Ok(())
    }
    fn hard_link(&self, original: &Path, link: &Path) -> Result<(), FsError> {
        self.check(original);
        self.check(link);
        let node = self
            .nodes
            .read()
            .get(original)
            .cloned()
            .ok_or_else(|| nf(original, "hard_link"))?;
        self.nodes.write().insert(link.into(), node);
        Ok(())
    }
    fn read_link(&self, path: &Path) -> Result<PathBuf, FsError> {
        self.check(path);
        match self.nodes.read().get(path) {
            Some(Node::Link(t)) => Ok(t.clone()),
            Some(_) => Err(FsError::InvalidInput {
                operation: "read_link",
                reason: "not a symlink".into(),
            }),
            None => Err(nf(path, "read_link")),
        }
    }
    fn symlink_metadata(&self, path: &Path) -> Result<Metadata, FsError> {
        self.check(path);
        self.lookups.fetch_add(1, Ordering::SeqCst);
        self.nodes
            .read()
            .get(path)
            .map(Self::meta)
            .ok_or_else(|| nf(path, "symlink_metadata"))
    }
}
