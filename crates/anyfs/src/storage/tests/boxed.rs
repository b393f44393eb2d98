//! Type erasure keeps resolution; marker types keep storages apart.

use std::path::Path;

use super::dumb::PathMap;
use crate::{CachingResolver, FileStorage, FileType, Fs, FsFull, IterativeResolver};

fn prepared() -> FileStorage<PathMap> {
    let fs = FileStorage::new(PathMap::new());
    fs.create_dir_all("/a/b").unwrap();
    fs.write("/a/t", "through the link").unwrap();
    fs.write("/t", "decoy").unwrap();
    fs.symlink("/a/b", "/foo").unwrap();
    fs
}

#[test]
fn boxed_storage_still_follows_symlinks() {
    let boxed: FileStorage<Box<dyn Fs>> = prepared().boxed();
    assert_eq!(boxed.read("/foo/../t").unwrap(), b"through the link");
    assert_eq!(
        boxed.metadata("/foo").unwrap().file_type,
        FileType::Directory
    );
    boxed.write("/foo/new", "n").unwrap();
    assert_eq!(boxed.read("/a/b/new").unwrap(), b"n");
    assert_eq!(boxed.read("/a/t/").unwrap_err().code(), "ENOTDIR");
    assert_eq!(boxed.write("/a/nope/x/", "n").unwrap_err().code(), "ENOENT");
    assert_eq!(boxed.write("/a/new/", "n").unwrap_err().code(), "EISDIR");
}

#[test]
fn boxed_full_keeps_links_and_canonicalize() {
    let full: FileStorage<Box<dyn FsFull>> =
        FileStorage::new(crate::MemoryBackend::new()).boxed_full();
    full.create_dir_all("/a/b").unwrap();
    full.symlink("/a/b", "/foo").unwrap();
    full.write("/foo/../t", "x").unwrap();
    assert_eq!(full.read("/a/t").unwrap(), b"x");
    assert_eq!(
        full.symlink_metadata("/foo").unwrap().file_type,
        FileType::Symlink
    );
    assert_eq!(full.read_link("/foo").unwrap(), Path::new("/a/b"));
    assert_eq!(full.canonicalize("/foo/..").unwrap(), Path::new("/a"));
    assert_eq!(
        full.anchored_canonicalize("/../../b", "/a").unwrap(),
        Path::new("/a/b")
    );
}

#[test]
fn boxed_storage_keeps_its_cache() {
    let fs = FileStorage::with_resolver(
        PathMap::new(),
        CachingResolver::new(IterativeResolver::new(), 16),
    );
    fs.create_dir("/x").unwrap();
    fs.write("/x/f", "x").unwrap();
    fs.symlink("/x", "/l").unwrap();
    let boxed = fs.boxed();
    assert_eq!(boxed.read("/l/f").unwrap(), b"x");
    boxed.remove_file("/l").unwrap();
    assert_eq!(boxed.read("/l/f").unwrap_err().code(), "ENOENT");
}

#[test]
fn boxed_storages_fit_one_collection() {
    let all: Vec<FileStorage<Box<dyn Fs>>> = vec![
        prepared().boxed(),
        FileStorage::new(crate::MemoryBackend::new()).boxed(),
        FileStorage::without_links(PathMap::new()).boxed(),
    ];
    for fs in &all {
        fs.write("/w", "1").unwrap();
        assert_eq!(fs.read("/w").unwrap(), b"1");
    }
}

struct Sandbox;
struct UserData;

fn sandbox_only(fs: &FileStorage<impl Fs, Sandbox>) -> bool {
    fs.exists("/").unwrap()
}

#[test]
fn marker_types_compile_and_cost_nothing() {
    let sandbox: FileStorage<_, Sandbox> = FileStorage::new(PathMap::new()).with_marker();
    let user = FileStorage::new(PathMap::new()).with_marker::<UserData>();
    assert!(sandbox_only(&sandbox));
    // sandbox_only(&user) would not compile; re-tagging is explicit:
    assert!(sandbox_only(&user.with_marker::<Sandbox>()));
    let boxed: FileStorage<Box<dyn Fs>, Sandbox> = sandbox.boxed();
    assert!(sandbox_only(&boxed));
    assert_eq!(
        std::mem::size_of::<FileStorage<PathMap, Sandbox>>(),
        std::mem::size_of::<FileStorage<PathMap>>()
    );
}

#[test]
fn storage_is_send_and_sync_whatever_the_marker() {
    fn assert_send_sync<T: Send + Sync>() {}
    struct NotSync(std::cell::Cell<u8>);
    assert_send_sync::<FileStorage<PathMap, NotSync>>();
    let _tagged: FileStorage<PathMap, NotSync> = FileStorage::new(PathMap::new()).with_marker();
    assert_send_sync::<FileStorage<Box<dyn Fs>, NotSync>>();
    let _ = NotSync(std::cell::Cell::new(0)).0;
}
