//! CachingResolver: hits skip the backend; every mutation through FileStorage invalidates
//! exactly what it affects.

use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};

use parking_lot::Mutex;

use super::dumb::{Node, PathMap};
use crate::{
    CachingResolver, FileStorage, FsError, IterativeResolver, PathResolver, Resolution,
    ResolveContext, ResolveOptions,
};

type Cached = FileStorage<PathMap>;

fn cached_with(resolver: impl PathResolver + 'static) -> Cached {
    let fs = FileStorage::with_resolver(PathMap::new(), resolver);
    fs.create_dir_all("/x").unwrap();
    fs.create_dir_all("/y").unwrap();
    fs.write("/x/f", "x").unwrap();
    fs.write("/y/f", "y").unwrap();
    fs.symlink("/x", "/l").unwrap();
    fs
}

fn cached() -> Cached {
    cached_with(CachingResolver::new(IterativeResolver::new(), 1024))
}

#[test]
fn hits_make_no_backend_lookups() {
    let fs = cached();
    assert_eq!(fs.read("/l/f").unwrap(), b"x");
    let before = fs.backend().lookups();
    assert_eq!(fs.read("/l/f").unwrap(), b"x");
    assert_eq!(fs.backend().lookups(), before);
    // The uncached resolver walks every time.
    let plain = cached_with(IterativeResolver::new());
    plain.read("/l/f").unwrap();
    let before = plain.backend().lookups();
    plain.read("/l/f").unwrap();
    assert_eq!(plain.backend().lookups(), before + 3);
}

#[test]
fn removing_a_symlink_invalidates_paths_through_it() {
    let fs = cached();
    assert_eq!(fs.read("/l/f").unwrap(), b"x");
    fs.remove_file("/l").unwrap();
    assert_eq!(fs.read("/l/f").unwrap_err().code(), "ENOENT");
}

#[test]
fn replacing_a_symlink_redirects_paths_through_it() {
    let fs = cached();
    assert_eq!(fs.read("/l/f").unwrap(), b"x");
    fs.remove_file("/l").unwrap();
    fs.symlink("/y", "/l").unwrap();
    assert_eq!(fs.read("/l/f").unwrap(), b"y");
}

#[test]
fn renaming_over_a_symlink_invalidates_both_ends() {
    let fs = cached();
    fs.symlink("/y", "/l2").unwrap();
    assert_eq!(fs.read("/l/f").unwrap(), b"x");
    assert_eq!(fs.read("/l2/f").unwrap(), b"y");
    fs.rename("/l2", "/l").unwrap();
    assert_eq!(fs.read("/l/f").unwrap(), b"y");
    assert_eq!(fs.read("/l2/f").unwrap_err().code(), "ENOENT");
}

#[test]
fn renaming_a_directory_invalidates_paths_below_it() {
    let fs = cached();
    fs.symlink("/x/f", "/x/inner").unwrap();
    assert_eq!(fs.read("/l/inner").unwrap(), b"x");
    fs.rename("/x", "/moved").unwrap();
    fs.create_dir("/x").unwrap();
    fs.write("/x/f", "new x").unwrap();
    // /l -> /x still, but /x/inner is gone with the old directory.
    assert_eq!(fs.read("/l/inner").unwrap_err().code(), "ENOENT");
    assert_eq!(fs.read("/l/f").unwrap(), b"new x");
    assert_eq!(fs.read("/moved/inner").unwrap(), b"new x"); // absolute target /x/f
}

#[test]
fn removing_a_directory_tree_invalidates_everything_below() {
    let fs = cached();
    fs.create_dir_all("/x/d/e").unwrap();
    fs.symlink("/y", "/x/d/e/to_y").unwrap();
    assert_eq!(fs.read("/l/d/e/to_y/f").unwrap(), b"y");
    fs.remove_dir_all("/x/d").unwrap();
    assert_eq!(fs.read("/l/d/e/to_y/f").unwrap_err().code(), "ENOENT");
}

#[test]
fn creating_a_node_invalidates_soft_results_that_looked_for_it() {
    let fs = cached();
    assert_eq!(
        fs.soft_canonicalize("/l/new/deeper").unwrap(),
        Path::new("/x/new/deeper")
    );
    // A soft resolution through the missing name, cached ...
    fs.create_dir_all("/l/new/deeper").unwrap();
    assert!(matches!(fs.backend().get("/x/new/deeper"), Some(Node::Dir)));
    // ... is dropped when the name becomes a symlink elsewhere.
    fs.remove_dir_all("/x/new").unwrap();
    fs.symlink("/y", "/x/new").unwrap();
    fs.create_dir_all("/l/new/deeper").unwrap();
    assert!(matches!(fs.backend().get("/y/deeper"), Some(Node::Dir)));
}

#[test]
fn capacity_bounds_the_cache() {
    let resolver = Arc::new(CachingResolver::new(IterativeResolver::new(), 3));
    let fs = cached_with(Arc::clone(&resolver));
    for i in 0..10 {
        fs.write(format!("/x/{i}"), "n").unwrap();
        fs.read(format!("/l/{i}")).unwrap();
        assert!(resolver.len() <= 3, "{}", resolver.len());
    }
    assert!(!resolver.is_empty());
    assert_eq!(resolver.capacity(), 3);
}

#[test]
fn zero_capacity_disables_caching() {
    let resolver = Arc::new(CachingResolver::new(IterativeResolver::new(), 0));
    let fs = cached_with(Arc::clone(&resolver));
    fs.read("/l/f").unwrap();
    let before = fs.backend().lookups();
    fs.read("/l/f").unwrap();
    assert!(fs.backend().lookups() > before);
    assert!(resolver.is_empty());
}

#[test]
fn changes_behind_its_back_need_invalidate_all() {
    let resolver = Arc::new(CachingResolver::new(IterativeResolver::new(), 64));
    let fs = cached_with(Arc::clone(&resolver));
    assert_eq!(fs.read("/l/f").unwrap(), b"x");
    // Repoint /l directly on the backend: the cache cannot know.
    fs.backend().put("/l", Node::Link("/y".into()));
    assert_eq!(
        fs.read("/l/f").unwrap(),
        b"x",
        "documented: stale until invalidated"
    );
    resolver.invalidate_all();
    assert!(resolver.is_empty());
    assert_eq!(fs.read("/l/f").unwrap(), b"y");
}

#[test]
fn errors_are_not_cached() {
    let fs = cached();
    assert_eq!(fs.read("/l/later/f").unwrap_err().code(), "ENOENT");
    fs.backend().put("/x/later", Node::Dir); // behind its back, yet seen: errors were not cached
    fs.backend().put("/x/later/f", Node::File(b"now".to_vec()));
    assert_eq!(fs.read("/l/later/f").unwrap(), b"now");
}

/// Resolves like `IterativeResolver`, but the first resolution of `/l/f` stops after its walk
/// until the test says go, so a mutation can land between the walk and the cache insert.
struct Gate {
    inner: IterativeResolver,
    walked: Mutex<Option<mpsc::Sender<()>>>,
    go: Mutex<Option<mpsc::Receiver<()>>>,
}

impl PathResolver for Gate {
    fn resolve(
        &self,
        context: ResolveContext<'_>,
        path: &Path,
        options: ResolveOptions,
        operation: &'static str,
    ) -> Result<PathBuf, FsError> {
        self.inner.resolve(context, path, options, operation)
    }
    fn resolve_tracked(
        &self,
        context: ResolveContext<'_>,
        path: &Path,
        options: ResolveOptions,
        operation: &'static str,
    ) -> Result<Resolution, FsError> {
        let result = self
            .inner
            .resolve_tracked(context, path, options, operation);
        if path == Path::new("/l/f") {
            if let Some(walked) = self.walked.lock().take() {
                walked.send(()).unwrap();
                self.go.lock().take().unwrap().recv().unwrap();
            }
        }
        result
    }
}

#[test]
fn a_walk_that_raced_a_mutation_is_not_cached() {
    let (walked_tx, walked_rx) = mpsc::channel();
    let (go_tx, go_rx) = mpsc::channel();
    let gate = Gate {
        inner: IterativeResolver::new(),
        walked: Mutex::new(Some(walked_tx)),
        go: Mutex::new(Some(go_rx)),
    };
    let fs = Arc::new(cached_with(CachingResolver::new(gate, 64)));
    let reader = {
        let fs = Arc::clone(&fs);
        std::thread::spawn(move || fs.read("/l/f").unwrap())
    };
    walked_rx.recv().unwrap(); // the reader resolved /l/f -> /x/f and is paused
    fs.remove_file("/l").unwrap();
    fs.symlink("/y", "/l").unwrap();
    go_tx.send(()).unwrap();
    assert_eq!(reader.join().unwrap(), b"x"); // it read what it resolved
                                              // Its result was computed before the mutation and must not have been cached.
    assert_eq!(fs.read("/l/f").unwrap(), b"y");
}
