//! [`CachingResolver`]: remembers resolved paths and forgets exactly those a mutation affects.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyfs_backend::FsError;
use parking_lot::RwLock;

use super::iterative::IterativeResolver;
use super::resolver::{PathResolver, ResolveContext, ResolveOptions};

/// Caches another resolver's results, keyed by the caller's path and the resolve options.
///
/// # Invalidation
///
/// The inner resolver reports which paths each result depends on (every entry the walk looked
/// up: the components, and the components of the symlink targets it followed). `FileStorage`
/// tells the resolver about every entry it creates, removes, renames or replaces, and the cache
/// drops exactly the results that looked that entry up. Directory entries are looked up from the
/// root down, so a result that went *below* a changed directory also looked the directory up and
/// is dropped with it.
///
/// Mutations made **behind its back** (directly on the backend, through another `FileStorage`,
/// or by another process for a host-disk backend) are not seen: a cached resolution may then
/// name a path that no longer leads where it did. Share one `FileStorage` (or call
/// [`invalidate_all`](PathResolver::invalidate_all), e.g. through an `Arc<CachingResolver>`) when
/// that can happen. Results whose dependencies the inner resolver cannot report are not cached.
///
/// # Cost and bounds
///
/// A hit is one hash lookup under a shared lock (no backend call). A miss costs the inner
/// resolver plus O(dependencies) to record. Invalidating a path is O(results that depend on it).
/// At most `capacity` results are kept; when full, an arbitrary result is evicted. A result
/// computed while any invalidation happened is returned but not cached, so a concurrent mutation
/// can never leave a stale entry behind.
///
/// Thread-safe: one `parking_lot::RwLock` (hits share it; inserts and invalidations take it
/// exclusively, briefly). The inner resolver runs outside the lock.
pub struct CachingResolver<R = IterativeResolver> {
    inner: R,
    capacity: usize,
    state: RwLock<State>,
}

/// One cached resolution, found through its input path and mode.
struct Cached {
    id: u64,
    resolved: PathBuf,
}

/// What eviction and invalidation need to remove a result.
struct Record {
    input: PathBuf,
    mode: usize,
    dependencies: Vec<PathBuf>,
}

#[derive(Default)]
struct State {
    /// Input path -> one slot per [`mode`].
    by_input: HashMap<PathBuf, [Option<Cached>; 4]>,
    records: HashMap<u64, Record>,
    /// Dependency path -> ids of the results that looked it up.
    dependents: HashMap<PathBuf, HashSet<u64>>,
    next_id: u64,
    /// Bumped by every invalidation; a result computed across a bump is not cached.
    epoch: u64,
}

fn mode(options: ResolveOptions) -> usize {
    usize::from(options.follow_final) | (usize::from(options.soft) << 1)
}

impl<R: PathResolver> CachingResolver<R> {
    /// Caches up to `capacity` results of `inner` (`0` disables caching).
    pub fn new(inner: R, capacity: usize) -> Self {
        CachingResolver {
            inner,
            capacity,
            state: RwLock::new(State::default()),
        }
    }

    /// The wrapped resolver.
    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// The most results kept at once.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many results are cached now.
    pub fn len(&self) -> usize {
        self.state.read().records.len()
    }

    /// True when nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<R> std::fmt::Debug for CachingResolver<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CachingResolver")
            .field("capacity", &self.capacity)
            .field("len", &self.state.read().records.len())
            .finish_non_exhaustive()
    }
}

impl State {
    fn get(&self, path: &Path, mode: usize) -> Option<PathBuf> {
        let slots = self.by_input.get(path)?;
        slots.get(mode)?.as_ref().map(|c| c.resolved.clone())
    }

    fn insert(
        &mut self,
        capacity: usize,
        input: &Path,
        mode: usize,
        resolved: PathBuf,
        mut dependencies: Vec<PathBuf>,
    ) {
        let previous = self
            .by_input
            .get(input)
            .and_then(|slots| slots.get(mode))
            .and_then(|slot| slot.as_ref().map(|c| c.id));
        if let Some(id) = previous {
            self.remove(id);
        }
        while self.records.len() >= capacity {
            let Some(victim) = self.records.keys().next().copied() else {
                break;
            };
            self.remove(victim);
        }
        dependencies.sort_unstable();
        dependencies.dedup();
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1);
        for dependency in &dependencies {
            self.dependents
                .entry(dependency.clone())
                .or_default()
                .insert(id);
        }
        let slots = self.by_input.entry(input.to_path_buf()).or_default();
        if let Some(slot) = slots.get_mut(mode) {
            *slot = Some(Cached { id, resolved });
        }
        self.records.insert(
            id,
            Record {
                input: input.to_path_buf(),
                mode,
                dependencies,
            },
        );
    }

    fn remove(&mut self, id: u64) {
        let Some(record) = self.records.remove(&id) else {
            return;
        };
        for dependency in &record.dependencies {
            if let Some(ids) = self.dependents.get_mut(dependency) {
                ids.remove(&id);
                if ids.is_empty() {
                    self.dependents.remove(dependency);
                }
            }
        }
        if let Some(slots) = self.by_input.get_mut(&record.input) {
            if let Some(slot) = slots.get_mut(record.mode) {
                *slot = None;
            }
            if slots.iter().all(Option::is_none) {
                self.by_input.remove(&record.input);
            }
        }
    }
}

impl<R: PathResolver> PathResolver for CachingResolver<R> {
    fn resolve(
        &self,
        context: ResolveContext<'_>,
        path: &Path,
        options: ResolveOptions,
        operation: &'static str,
    ) -> Result<PathBuf, FsError> {
        if self.capacity == 0 {
            return self.inner.resolve(context, path, options, operation);
        }
        let mode = mode(options);
        let epoch = {
            let state = self.state.read();
            if let Some(hit) = state.get(path, mode) {
                return Ok(hit);
            }
            state.epoch
        };
        let resolution = self
            .inner
            .resolve_tracked(context, path, options, operation)?;
        if let Some(dependencies) = resolution.dependencies {
            let mut state = self.state.write();
            if state.epoch == epoch {
                state.insert(
                    self.capacity,
                    path,
                    mode,
                    resolution.path.clone(),
                    dependencies,
                );
            }
        }
        Ok(resolution.path)
    }

    fn invalidate(&self, path: &Path) {
        let mut state = self.state.write();
        state.epoch = state.epoch.wrapping_add(1);
        if let Some(ids) = state.dependents.remove(path) {
            for id in ids {
                state.remove(id);
            }
        }
        drop(state);
        self.inner.invalidate(path);
    }

    fn invalidate_all(&self) {
        let mut state = self.state.write();
        let epoch = state.epoch.wrapping_add(1);
        *state = State {
            epoch,
            next_id: state.next_id,
            ..State::default()
        };
        drop(state);
        self.inner.invalidate_all();
    }
}
